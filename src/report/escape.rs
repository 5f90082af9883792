//! User text made safe where it goes out: control characters escaped for terminals and
//! plain text (an ESC in a programme name must not recolour, move or retitle a
//! terminal), and formula prefixes neutralised for spreadsheets (a programme id
//! `=HYPERLINK(..)` must stay text in Excel, as OWASP's advice on CSV injection says).

use std::borrow::Cow;

/// Whether a character is escaped in text for people: C0 and C1 control characters,
/// DEL, and the Unicode controls that reorder text on screen (bidirectional overrides
/// and isolates, which can make a line read differently from what it holds).
fn is_unsafe(character: char) -> bool {
    character.is_control()
        || matches!(
            character,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with every control character escaped, line breaks included: a tab as `\t`, a
/// carriage return as `\r`, a line feed as `\n`, anything else as `\u{1b}`. For text
/// shown on one line: ids, names, paths.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// `text` with every control character but the line feed escaped (see
/// [`escape_controls`]): for text of several lines.
pub fn escape_controls_but_newlines(text: &str) -> Cow<'_, str> {
    escape_where(text, |character| character != '\n' && is_unsafe(character))
}

fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&escaped) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            _ if !escaped(character) => out.push(character),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            other => out.push_str(&format!("\\u{{{:x}}}", u32::from(other))),
        }
    }
    Cow::Owned(out)
}

/// Whether a spreadsheet would read a cell starting like `text` as a formula: it starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list), or with the
/// full-width `＝`, `＋`, `－`, `＠` that some Excel versions treat alike.
pub fn starts_like_a_formula(text: &str) -> bool {
    text.chars().next().is_some_and(|first| {
        matches!(
            first,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}'
        )
    })
}

/// A CSV cell that a spreadsheet shows as the text it is: a single quote before a
/// formula prefix (see [`starts_like_a_formula`]), as OWASP advises; any other text as
/// it is.
pub fn neutralise_formula(text: &str) -> Cow<'_, str> {
    if starts_like_a_formula(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_other_text_is_kept() {
        assert_eq!(escape_controls("B-ICT (voltijd)"), "B-ICT (voltijd)");
        assert_eq!(escape_controls("\u{1b}[31mrood"), "\\u{1b}[31mrood");
        assert_eq!(
            escape_controls("a\tb\r\nc\u{7f}\u{9b}"),
            "a\\tb\\r\\nc\\u{7f}\\u{9b}"
        );
        assert_eq!(escape_controls("abc\u{202e}cba"), "abc\\u{202e}cba");
        assert_eq!(escape_controls("Économie – zorg ✓"), "Économie – zorg ✓");
        assert_eq!(
            escape_controls_but_newlines("a\nb\rc\u{7}"),
            "a\nb\\rc\\u{7}"
        );
    }

    #[test]
    fn formula_prefixes_are_neutralised_with_a_quote() {
        for formula in ["=1+1", "+31 20", "-2", "@SUM(A1)", "\tx", "\rx", "＝1+1"] {
            assert_eq!(neutralise_formula(formula), format!("'{formula}"));
        }
        for text in ["B-ICT", "", "1", " =1", "'=1", "P0000001"] {
            assert_eq!(neutralise_formula(text), text);
        }
    }
}
