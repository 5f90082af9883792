//! Error recovery: after a syntax error, blank out the declaration it broke (keeping
//! every byte offset and line break) so the rest of the file can still be parsed.

const DECLARATION_KEYWORDS: [&str; 11] = [
    "ruleset",
    "stakeholder",
    "theme",
    "principle",
    "factor",
    "tip",
    "scale",
    "question",
    "param",
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
