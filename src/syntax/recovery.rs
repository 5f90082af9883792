//! Error recovery: after a syntax error, blank out the declaration it broke (keeping
//! every byte offset and line break) so the rest of the file can still be parsed.

const DECLARATION_KEYWORDS: [&str; 12] = [
    "ruleset",
    "stakeholder",
    "theme",
    "principle",
    "factor",
    "tip",
    "scale",
    "question",
    "param",
    "template",
    "rule",
    "test",
];

/// Blanks the declaration broken at `position`. Returns false when nothing is left to
/// blank, so the caller stops instead of looping.
pub(super) fn blank_broken_declaration(text: &mut String, position: usize) -> bool {
    let starts = declaration_starts(text);
    // An error right at a declaration's first keyword means the one before it did not end.
    let start = starts
        .iter()
        .rev()
        .find(|&&start| start < position)
        .copied()
        .unwrap_or(0);
    let end = starts
        .iter()
        .find(|&&start| start > position)
        .copied()
        .unwrap_or(text.len());
    let Some(broken) = text.get(start..end) else {
        return false;
    };
    if broken.trim().is_empty() {
        return false;
    }
    let blanked: String = broken
        .chars()
        .flat_map(|c| {
            let width = if c == '\n' { 0 } else { c.len_utf8() };
            std::iter::repeat_n(' ', width).chain((c == '\n').then_some('\n'))
        })
        .collect();
    text.replace_range(start..end, &blanked);
    true
}

/// Byte offsets of lines that start, in column 1, with a declaration keyword.
fn declaration_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let first_word = line
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next();
        if first_word.is_some_and(|word| DECLARATION_KEYWORDS.contains(&word)) {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::blank_broken_declaration;

    #[test]
    fn blanks_the_broken_declaration_and_keeps_offsets() {
        let mut text = "stakeholder a \"A\"\nrule r { when é < }\nstakeholder b \"B\"\n".to_owned();
        let length = text.len();
        let error_at = text.find('}').unwrap();
        assert!(blank_broken_declaration(&mut text, error_at));
        assert_eq!(text.len(), length);
        assert!(text.starts_with("stakeholder a \"A\"\n"));
        assert!(text.ends_with("\nstakeholder b \"B\"\n"));
        assert_eq!(text.lines().nth(1).unwrap().trim(), "");
    }

    #[test]
    fn an_error_at_a_declaration_start_blames_the_one_before() {
        let mut text = "factor f \"F\" {\ntip f.t { text \"T\" }\n".to_owned();
        let error_at = text.find("tip").unwrap();
        assert!(blank_broken_declaration(&mut text, error_at));
        assert!(text.trim().is_empty());
        assert!(!blank_broken_declaration(&mut text, 0));
    }
}
