//! The long explanation of each diagnostic code, as `studentsucces check --explain CODE`
//! prints it: what the diagnostic means, an example that gives it, and the fix. The texts
//! are the files under `docs/diagnostics/`, embedded so the binary needs no docs folder.

/// Every code (without the `studentsucces::` prefix) with its explanation, in the order
/// of `docs/diagnostics/README.md`.
const EXPLANATIONS: [(&str, &str); 18] = [
    ("syntax", include_str!("../../docs/diagnostics/syntax.md")),
    (
        "too_deep",
        include_str!("../../docs/diagnostics/too_deep.md"),
    ),
    ("unknown", include_str!("../../docs/diagnostics/unknown.md")),
    (
        "duplicate",
        include_str!("../../docs/diagnostics/duplicate.md"),
    ),
    (
        "missing_part",
        include_str!("../../docs/diagnostics/missing_part.md"),
    ),
    ("type", include_str!("../../docs/diagnostics/type.md")),
    (
        "out_of_range",
        include_str!("../../docs/diagnostics/out_of_range.md"),
    ),
    ("invalid", include_str!("../../docs/diagnostics/invalid.md")),
    ("cycle", include_str!("../../docs/diagnostics/cycle.md")),
    (
        "unreachable_tip",
        include_str!("../../docs/diagnostics/unreachable_tip.md"),
    ),
    (
        "unread_question",
        include_str!("../../docs/diagnostics/unread_question.md"),
    ),
    (
        "number_too_large",
        include_str!("../../docs/diagnostics/number_too_large.md"),
    ),
    ("limit", include_str!("../../docs/diagnostics/limit.md")),
    (
        "not_utf8",
        include_str!("../../docs/diagnostics/not_utf8.md"),
    ),
    (
        "empty_rule_set",
        include_str!("../../docs/diagnostics/empty_rule_set.md"),
    ),
    (
        "empty_file",
        include_str!("../../docs/diagnostics/empty_file.md"),
    ),
    (
        "too_many_diagnostics",
        include_str!("../../docs/diagnostics/too_many_diagnostics.md"),
    ),
    (
        "too_many_syntax_errors",
        include_str!("../../docs/diagnostics/too_many_syntax_errors.md"),
    ),
];

/// Every diagnostic code, without the `studentsucces::` prefix.
pub fn codes() -> impl Iterator<Item = &'static str> {
    EXPLANATIONS.iter().map(|(code, _)| *code)
}

/// The explanation of a code, given as `unknown` or `studentsucces::unknown`.
pub fn explanation(code: &str) -> Option<&'static str> {
    let code = code.trim();
    let code = code.strip_prefix("studentsucces::").unwrap_or(code);
    EXPLANATIONS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, text)| *text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::DiagnosticKind;

    /// The place of a kind in [`every_kind`]; exhaustive, so a new kind does not compile
    /// until it is listed there, and then fails the test until it has an explanation.
    fn place(kind: &DiagnosticKind) -> usize {
        match kind {
            DiagnosticKind::Syntax { .. } => 0,
            DiagnosticKind::TooDeep { .. } => 1,
            DiagnosticKind::Unknown { .. } => 2,
            DiagnosticKind::Duplicate { .. } => 3,
            DiagnosticKind::MissingPart { .. } => 4,
            DiagnosticKind::Type { .. } => 5,
            DiagnosticKind::OutOfRange { .. } => 6,
            DiagnosticKind::Invalid { .. } => 7,
            DiagnosticKind::Cycle { .. } => 8,
            DiagnosticKind::UnreachableTip { .. } => 9,
            DiagnosticKind::UnreadQuestion { .. } => 10,
            DiagnosticKind::NumberTooLarge { .. } => 11,
            DiagnosticKind::OverLimit { .. } => 12,
            DiagnosticKind::NotUtf8 { .. } => 13,
            DiagnosticKind::EmptyRuleSet => 14,
            DiagnosticKind::EmptyFile => 15,
            DiagnosticKind::TooManyDiagnostics { .. } => 16,
            DiagnosticKind::TooManySyntaxErrors { .. } => 17,
        }
    }

    /// One value of every kind, in the order of [`place`].
    fn every_kind() -> Vec<DiagnosticKind> {
        let text = String::new;
        vec![
            DiagnosticKind::Syntax { expected: text() },
            DiagnosticKind::TooDeep { limit: 0 },
            DiagnosticKind::Unknown {
                what: "tip",
                name: text(),
            },
            DiagnosticKind::Duplicate {
                what: "tip",
                name: text(),
            },
            DiagnosticKind::MissingPart {
                what: "tip",
                name: text(),
                part: "text",
            },
            DiagnosticKind::Type { message: text() },
            DiagnosticKind::OutOfRange {
                value: text(),
                question: text(),
                range: text(),
            },
            DiagnosticKind::Invalid { message: text() },
            DiagnosticKind::Cycle { tips: Vec::new() },
            DiagnosticKind::UnreachableTip { tip: text() },
            DiagnosticKind::UnreadQuestion { question: text() },
            DiagnosticKind::NumberTooLarge {
                literal: text(),
                what: "a level",
                limit: text(),
            },
            DiagnosticKind::OverLimit {
                what: text(),
                limit: text(),
            },
            DiagnosticKind::NotUtf8 { byte: 0xFF },
            DiagnosticKind::EmptyRuleSet,
            DiagnosticKind::EmptyFile,
            DiagnosticKind::TooManyDiagnostics { shown: 0, more: 0 },
            DiagnosticKind::TooManySyntaxErrors { limit: 0 },
        ]
    }

    #[test]
    fn every_kind_has_an_explanation_and_every_explanation_a_kind() {
        let every = every_kind();
        let places: Vec<usize> = every.iter().map(place).collect();
        assert_eq!(places, (0..every.len()).collect::<Vec<_>>());
        let kinds: Vec<&str> = every.iter().map(DiagnosticKind::code).collect();
        for code in &kinds {
            assert!(explanation(code).is_some(), "no explanation of {code}");
        }
        for code in codes() {
            let full = format!("studentsucces::{code}");
            assert!(
                kinds.contains(&full.as_str()),
                "{code} is no diagnostic kind"
            );
        }
        assert_eq!(codes().count(), kinds.len());
    }

    #[test]
    fn codes_are_found_with_and_without_their_prefix() {
        assert_eq!(
            explanation("unknown"),
            explanation("studentsucces::unknown")
        );
        assert!(explanation(" cycle ").is_some());
        assert!(explanation("studentsucces::nonsense").is_none());
    }
}
