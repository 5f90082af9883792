//! Number literals: the value a literal stands for, or a diagnostic at the literal when
//! that value cannot be represented. Nothing out of range is ever saturated silently.

use std::sync::Arc;

use super::ast::Span;
use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};

/// Why a number written in a file or on the command line cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// The text is not a number at all.
    #[error("`{0}` is not a number")]
    NotANumber(String),
    /// The number is too large for a 64-bit float (about ±1.8e308), or `inf`/`NaN`.
    #[error("`{0}` is not a finite number (numbers lie between about -1.8e308 and 1.8e308)")]
    NotFinite(String),
}

/// Parses a number and refuses values that are not finite, with the same rule for param
/// literals in a file and for `--param NAME=VALUE` on the command line.
pub fn finite_number(text: &str) -> Result<f64, NumberError> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| NumberError::NotANumber(shorten(text.trim())))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(NumberError::NotFinite(shorten(text.trim())))
    }
}

/// Most characters of a literal shown in a message; longer ones are shortened.
const SHOWN_CHARACTERS: usize = 24;

/// A literal as shown in a message: whole when short, else its start, `…` and its end.
pub(crate) fn shorten(literal: &str) -> String {
    let length = literal.chars().count();
    if length <= SHOWN_CHARACTERS {
        return literal.to_owned();
    }
    let head: String = literal.chars().take(12).collect();
    let tail: String = literal.chars().skip(length - 4).collect();
    format!("{head}…{tail}")
}

/// A number literal that does not fit where it stands.
pub(super) fn too_large(
    file: &Arc<SourceFile>,
    span: Span,
    literal: &str,
    what: &'static str,
    limit: impl Into<String>,
) -> Diagnostic {
    let kind = DiagnosticKind::NumberTooLarge {
        literal: shorten(literal),
        what,
        limit: limit.into(),
    };
    Diagnostic::new(kind, file, span, "too large")
        .with_help("numbers in rules are thresholds, levels and priorities: write a smaller number")
}

#[cfg(test)]
mod tests {
    use super::{finite_number, shorten, NumberError};

    #[test]
    fn finite_numbers_only() {
        assert_eq!(finite_number(" 2.5 "), Ok(2.5));
        assert_eq!(finite_number("1e308"), Ok(1e308));
        assert!(matches!(
            finite_number("1e309"),
            Err(NumberError::NotFinite(_))
        ));
        assert!(matches!(
            finite_number("inf"),
            Err(NumberError::NotFinite(_))
        ));
        assert!(matches!(
            finite_number("NaN"),
            Err(NumberError::NotFinite(_))
        ));
        assert!(matches!(
            finite_number("drie"),
            Err(NumberError::NotANumber(_))
        ));
    }

    #[test]
    fn long_literals_are_shortened_in_messages() {
        assert_eq!(shorten("12345"), "12345");
        let long = format!("1{}", "0".repeat(400));
        assert_eq!(shorten(&long), "100000000000…0000");
    }
}
