//! String literals and comments, pinned: escapes, unicode, empty strings, unterminated
//! strings and their diagnostics (line and column), comments at the end of a file, and
//! Windows line ends. The grammar matches these as runs of characters; this file holds
//! it to what the parser did one character at a time.

use super::ast::{Declaration, Text};
use super::parse_str;
use crate::diagnostic::Diagnostic;

/// The display text of every stakeholder in `text`, which must parse without error.
fn displays(text: &str) -> Vec<Text> {
    let (file, errors) = parse_str("strings.rules", text);
    assert!(errors.is_empty(), "unexpected errors: {errors:?}");
    file.declarations
        .into_iter()
        .map(|declaration| match declaration {
            Declaration::Stakeholder(stakeholder) => stakeholder.display,
            other => panic!("not a stakeholder: {other:?}"),
        })
        .collect()
}

/// The one string literal of `stakeholder a <literal>`.
fn literal(literal: &str) -> Text {
    displays(&format!("stakeholder a {literal}")).remove(0)
}

/// `(line, column, message, label)` of every syntax diagnostic of `text`.
fn errors(text: &str) -> Vec<(usize, usize, String, String)> {
    let (_, errors) = parse_str("strings.rules", text);
    errors
        .iter()
        .map(|d: &Diagnostic| {
            let at = d.location();
            (at.line, at.column, d.kind.to_string(), d.label.clone())
        })
        .collect()
}

/// The syntax error every broken string literal gets: at its opening quote.
fn broken_string_at(line: usize, column: usize) -> Vec<(usize, usize, String, String)> {
    vec![(
        line,
        column,
        "syntax error: expected a string in double quotes".to_owned(),
        "unexpected `\"`".to_owned(),
    )]
}

#[test]
fn escapes_are_unescaped_and_the_span_covers_the_quotes() {
    let text = literal(r#""a\"b\\c\nd""#);
    assert_eq!(text.value, "a\"b\\c\nd");
    assert_eq!(text.span, 14..26);
    assert_eq!(literal(r#""\\""#).value, "\\");
    assert_eq!(literal(r#""\"\"""#).value, "\"\"");
    assert_eq!(literal(r#""end\n""#).value, "end\n");
}

#[test]
fn unicode_is_kept_and_spans_count_bytes() {
    let text = literal("\"Beïnvloedbare factor: één, ë, é\"");
    assert_eq!(text.value, "Beïnvloedbare factor: één, ë, é");
    assert_eq!(text.span, 14..14 + 2 + text.value.len());
    let texts = displays("stakeholder a \"é\"\nstakeholder b \"ë\\\"é\"\n");
    assert_eq!(texts[0].value, "é");
    assert_eq!(texts[0].span, 14..18);
    assert_eq!(texts[1].value, "ë\"é");
    assert_eq!(texts[1].span, 33..41);
}

#[test]
fn empty_strings_are_empty() {
    let text = literal("\"\"");
    assert_eq!(text.value, "");
    assert_eq!(text.span, 14..16);
    let texts = displays("stakeholder a \"\" stakeholder b \"\"");
    assert_eq!(texts.len(), 2);
    assert!(texts.iter().all(|text| text.value.is_empty()));
}

#[test]
fn comment_markers_and_tabs_inside_strings_are_text() {
    assert_eq!(literal("\"a // b\"").value, "a // b");
    assert_eq!(literal("\"a\tb\r\"").value, "a\tb\r");
    assert_eq!(literal("\"x\" // \"y\"").value, "x");
}

#[test]
fn an_unterminated_string_is_reported_at_its_opening_quote() {
    assert_eq!(
        errors("stakeholder a \"Abc\nstakeholder b \"B\"\n"),
        broken_string_at(1, 15)
    );
    assert_eq!(errors("stakeholder a \"Abc"), broken_string_at(1, 15));
    assert_eq!(errors("stakeholder a \"ëë\\"), broken_string_at(1, 15));
    assert_eq!(
        errors("stakeholder a \"é\"\n  stakeholder b \"ë\n"),
        broken_string_at(2, 17)
    );
}

#[test]
fn an_unknown_escape_is_reported_at_the_strings_opening_quote() {
    assert_eq!(errors("stakeholder a \"é\\t\"\n"), broken_string_at(1, 15));
    assert_eq!(
        errors("stakeholder a \"A\"\n\nstakeholder b \"één\\q\"\n"),
        broken_string_at(3, 15)
    );
}

#[test]
fn the_declarations_after_a_broken_string_still_parse() {
    let (file, errors) = parse_str(
        "strings.rules",
        "stakeholder a \"Abc\nstakeholder b \"B\"\n",
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(file.declarations.len(), 1);
}

#[test]
fn comments_may_end_the_file_without_a_line_end() {
    assert_eq!(displays("stakeholder a \"A\" // einde").len(), 1);
    assert_eq!(displays("stakeholder a \"A\" //").len(), 1);
    assert_eq!(displays("stakeholder a \"A\"\n// één, ë\n//").len(), 1);
    assert_eq!(displays("// alleen commentaar, geen regel").len(), 0);
}

#[test]
fn windows_line_ends_are_whitespace() {
    let texts = displays("stakeholder a \"é\" // één\r\nstakeholder b \"x\\\"y\"\r\n// slot\r\n");
    assert_eq!(texts[0].value, "é");
    assert_eq!(texts[1].value, "x\"y");
    assert_eq!(texts[1].span, 43..49);
    assert_eq!(
        errors("stakeholder a \"A\"\r\nstakeholder b \"B\r\n"),
        broken_string_at(2, 15)
    );
    assert_eq!(
        errors("stakeholder a \"Abc\r\nstakeholder b \"B\"\r\n"),
        broken_string_at(1, 15)
    );
}
