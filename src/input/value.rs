//! One answer, as people and spreadsheets write it, checked against its question:
//! "weet niet" / "n.v.t." / empty are missing, "12,5" and "12%" are numbers, scale
//! labels and choice labels are accepted. Nothing is coerced silently.

use super::limits::{clipped, shown};
use crate::ruleset::{AnswerBounds, Question, QuestionIndex, QuestionKind, RuleSet};

/// A raw answer before it is checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RawAnswer<'a> {
    /// Text from a CSV or spreadsheet cell, or a JSON string.
    Text(&'a str),
    /// A JSON or spreadsheet number.
    Number(f64),
    /// A JSON or spreadsheet boolean.
    Bool(bool),
    /// JSON null or an empty cell.
    Empty,
}

/// Why an answer does not fit its question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[error("`{column}`: {} is not a valid answer; expected {expected}", shown(.value))]
pub struct AnswerError {
    /// The question id (the column).
    pub column: String,
    /// The value as given.
    pub value: String,
    /// What the question takes.
    pub expected: String,
    /// One sentence for people.
    pub message: String,
}

/// Texts that record a missing answer, compared case-insensitively.
pub(crate) const MISSING: [&str; 7] = ["", "weet niet", "n.v.t.", "n.v.t", "nvt", "n/a", "-"];

/// The answer slot value of `raw` for `question`: `Ok(NaN)` when it is missing.
pub fn parse_answer(
    ruleset: &RuleSet,
    question: QuestionIndex,
    raw: RawAnswer<'_>,
) -> Result<f64, AnswerError> {
    match ruleset.question(question) {
        Some(question_decl) => parse_answer_to(ruleset, question, question_decl, raw),
        None => Ok(f64::NAN),
    }
}

/// [`parse_answer`] for a question already looked up.
#[inline]
fn parse_answer_to(
    ruleset: &RuleSet,
    question: QuestionIndex,
    question_decl: &Question,
    raw: RawAnswer<'_>,
) -> Result<f64, AnswerError> {
    let common = ruleset
        .answer_bounds(question)
        .and_then(|bounds| common_answer(bounds, raw));
    match common {
        Some(value) => Ok(value),
        None => parse_any_answer(ruleset, question_decl, raw),
    }
}

/// [`parse_answer`] for a question whose bounds are already in hand (the assessment's
/// walk reads them from the question's check record).
#[inline]
pub(crate) fn parse_answer_within(
    ruleset: &RuleSet,
    question: QuestionIndex,
    bounds: AnswerBounds,
    raw: RawAnswer<'_>,
) -> Result<f64, AnswerError> {
    match common_answer(bounds, raw) {
        Some(value) => Ok(value),
        None => parse_any_answer_at(ruleset, question, raw),
    }
}

/// [`parse_any_answer`] for the question at an index; `Ok(NaN)` for an index past the
/// questions, as [`parse_answer`] gives.
#[inline(never)]
fn parse_any_answer_at(
    ruleset: &RuleSet,
    question: QuestionIndex,
    raw: RawAnswer<'_>,
) -> Result<f64, AnswerError> {
    match ruleset.question(question) {
        Some(question_decl) => parse_any_answer(ruleset, question_decl, raw),
        None => Ok(f64::NAN),
    }
}

/// The value of the forms most answers take, a number that fits its question and a
/// text of a small whole number, checked against the question's bounds; `None` to leave
/// the answer to the general path ([`parse_any_answer`]), which gives every form the
/// same value or the error.
#[inline]
fn common_answer(bounds: AnswerBounds, raw: RawAnswer<'_>) -> Option<f64> {
    let number = match raw {
        RawAnswer::Number(number) => number,
        // Most cells are a small whole number ("2"): read it without trimming, comparing
        // missing texts or parsing a float. A choice takes option ids and labels, which
        // may be digits, and yes/no takes "0" and "1" but not "01", so the bounds say how
        // many digits a text may have to be read here (none for a choice); a number that
        // does not fit takes the general path too, for its message.
        RawAnswer::Text(text) if text.len() <= usize::from(bounds.digits) => {
            plain_whole_number(text)?
        }
        RawAnswer::Text(_) | RawAnswer::Bool(_) | RawAnswer::Empty => return None,
    };
    bounds.fits(number).then_some(without_negative_zero(number))
}

/// [`parse_answer`] of any form: the value, `NaN` when missing, or the error. Kept out
/// of line, so that the common forms' path stays a leaf without its stack frame.
#[inline(never)]
fn parse_any_answer(
    ruleset: &RuleSet,
    question_decl: &Question,
    raw: RawAnswer<'_>,
) -> Result<f64, AnswerError> {
    let parsed = match raw {
        RawAnswer::Empty => Some(f64::NAN),
        RawAnswer::Text(text) if is_missing(text) => Some(f64::NAN),
        RawAnswer::Text(text) => parse_text(ruleset, &question_decl.kind, text.trim()),
        RawAnswer::Number(number) => check_number(ruleset, &question_decl.kind, number),
        RawAnswer::Bool(flag) => {
            matches!(question_decl.kind, QuestionKind::YesNo).then_some(f64::from(u8::from(flag)))
        }
    };
    parsed.ok_or_else(|| answer_error(ruleset, question_decl, raw))
}

/// Why `raw` does not fit its question.
#[cold]
fn answer_error(ruleset: &RuleSet, question_decl: &Question, raw: RawAnswer<'_>) -> AnswerError {
    let expected = ruleset.expected_answer(&question_decl.kind);
    let value = match raw {
        RawAnswer::Text(text) => text.to_owned(),
        RawAnswer::Number(number) => number.to_string(),
        RawAnswer::Bool(flag) => flag.to_string(),
        RawAnswer::Empty => String::new(),
    };
    let message = format!(
        "question `{}` takes {expected}; {} is not one of them",
        question_decl.id,
        shown(&value)
    );
    AnswerError {
        column: question_decl.id.clone(),
        value: clipped(&value),
        expected,
        message,
    }
}

/// The value of a text of one to nine ASCII digits and nothing else, as
/// [`parse_decimal`] reads it; `None` for any other text.
fn plain_whole_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut value = 0_u32;
    for &byte in bytes {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        value = value * 10 + u32::from(digit);
    }
    Some(f64::from(value))
}

/// Whether a text records a missing answer.
pub fn is_missing(text: &str) -> bool {
    let text = text.trim();
    // Answers start with a digit far more often than not: no need to compare texts.
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    MISSING
        .iter()
        .any(|missing| text.eq_ignore_ascii_case(missing))
}

fn parse_text(ruleset: &RuleSet, kind: &QuestionKind, text: &str) -> Option<f64> {
    match kind {
        QuestionKind::YesNo => match text.to_lowercase().as_str() {
            "ja" | "j" | "yes" | "y" | "true" | "waar" | "1" => Some(1.0),
            "nee" | "n" | "no" | "false" | "onwaar" | "0" => Some(0.0),
            _ => None,
        },
        QuestionKind::Choice { options } => options
            .iter()
            .position(|option| {
                option.id.eq_ignore_ascii_case(text) || option.label.eq_ignore_ascii_case(text)
            })
            .map(|index| index as f64),
        QuestionKind::Scale { scale } => {
            let scale = ruleset.scales().get(*scale as usize)?;
            let level = scale_level(scale, text)?;
            check_number(ruleset, kind, level)
        }
        QuestionKind::Percent => check_number(
            ruleset,
            kind,
            parse_decimal(text.strip_suffix('%').unwrap_or(text).trim())?,
        ),
        QuestionKind::Number { .. } => check_number(ruleset, kind, parse_decimal(text)?),
    }
}

/// A scale level from "3", "Ingevoerd" or "3 - Ingevoerd" (the questionnaire's own form).
fn scale_level(scale: &crate::ruleset::Scale, text: &str) -> Option<f64> {
    if let Some(level) = parse_decimal(text) {
        return Some(level);
    }
    let by_label = |label_text: &str| {
        scale
            .labels
            .iter()
            .find(|(_, label)| label.eq_ignore_ascii_case(label_text.trim()))
            .map(|(level, _)| *level as f64)
    };
    if let Some(level) = by_label(text) {
        return Some(level);
    }
    let (number, label) = text.split_once(['-', '–'])?;
    let level = parse_decimal(number.trim())?;
    (by_label(label)? == level).then_some(level)
}

/// Parses "12", "12.5", "12,5" and "1.234,5" (Dutch) or "1,234.5" (English).
pub fn parse_decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    // One pass: any byte other than a digit, a sign, a comma or a dot refuses the text.
    let (mut commas, mut dots, mut last_comma, mut last_dot) = (0_usize, 0_usize, 0, 0);
    for (position, byte) in text.bytes().enumerate() {
        match byte {
            b'0'..=b'9' | b'-' | b'+' => {}
            b',' => (commas, last_comma) = (commas + 1, position),
            b'.' => (dots, last_dot) = (dots + 1, position),
            _ => return None,
        }
    }
    // The common case, a plain number, parses as it is.
    if commas == 0 && dots <= 1 {
        return text.parse::<f64>().ok().filter(|value| value.is_finite());
    }
    // What each comma and dot becomes: a decimal point, or dropped.
    let (comma, dot) = match (commas, dots) {
        (0, _) => return None,
        (_, 0) if commas == 1 => (Some(b'.'), None),
        (_, 0) => return None,
        _ if last_comma > last_dot => (Some(b'.'), None),
        _ => (None, Some(b'.')),
    };
    // A number is short: normalised on the stack, not in a new string (a longer text
    // gets a buffer of its own).
    let mut short = [0_u8; 64];
    let mut long = Vec::new();
    let normalised = match text.len() <= short.len() {
        true => short.as_mut_slice(),
        false => {
            long.resize(text.len(), 0);
            long.as_mut_slice()
        }
    };
    let mut length = 0;
    for byte in text.bytes() {
        let kept = match byte {
            b',' => comma,
            b'.' => dot,
            _ => Some(byte),
        };
        if let Some(kept) = kept {
            *normalised.get_mut(length)? = kept;
            length += 1;
        }
    }
    let normalised = std::str::from_utf8(normalised.get(..length)?).ok()?;
    if normalised.is_empty() {
        return None;
    }
    normalised
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite())
}

fn check_number(ruleset: &RuleSet, kind: &QuestionKind, number: f64) -> Option<f64> {
    if !number.is_finite() {
        return None;
    }
    let fits = match kind {
        QuestionKind::Scale { scale } => {
            let scale = ruleset.scales().get(*scale as usize)?;
            (scale.low as f64..=scale.high as f64).contains(&number) && is_whole(number)
        }
        QuestionKind::Percent => (0.0..=100.0).contains(&number),
        QuestionKind::Number { range } => {
            range.is_none_or(|(low, high)| (low..=high).contains(&number))
        }
        QuestionKind::YesNo => number == 0.0 || number == 1.0,
        QuestionKind::Choice { .. } => false,
    };
    fits.then_some(without_negative_zero(number))
}

/// Whether a number within a scale's levels (so within the range of `i64`) is whole:
/// `number.fract() == 0.0` without the call to `trunc` that `fract` compiles to.
fn is_whole(number: f64) -> bool {
    number as i64 as f64 == number
}

/// 0 for -0, so that an answer of `-0` or "-0,0" is echoed as 0 (IEEE 754 keeps the sign
/// of zero, and Rust prints it).
fn without_negative_zero(number: f64) -> f64 {
    if number == 0.0 {
        0.0
    } else {
        number
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::{
        common_answer, is_missing, is_whole, parse_answer, parse_any_answer, parse_decimal,
        plain_whole_number, without_negative_zero, RawAnswer,
    };
    use crate::ruleset::{QuestionIndex, RuleSet};

    static ROADMAP: LazyLock<RuleSet> =
        LazyLock::new(|| RuleSet::roadmap().unwrap().into_ruleset());

    /// The common forms' value is the general path's for every question, and
    /// `parse_answer` gives the general path's value or error.
    fn check_against_the_general_path(raw: RawAnswer<'_>) -> Result<(), TestCaseError> {
        let ruleset = &*ROADMAP;
        for (index, question) in QuestionIndex::enumerate(ruleset.questions()) {
            let general = parse_any_answer(ruleset, question, raw).map(f64::to_bits);
            let bounds = ruleset.answer_bounds(index).unwrap();
            if let Some(common) = common_answer(bounds, raw) {
                prop_assert_eq!(Ok(common.to_bits()), general.clone(), "{}", question.id);
            }
            let parsed = parse_answer(ruleset, index, raw).map(f64::to_bits);
            prop_assert_eq!(parsed, general, "{}", question.id);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn the_common_forms_of_a_text_read_as_the_general_path_reads_them(
            text in prop_oneof![
                "[0-9]{0,11}",
                "[ 0-9,.%+-]{0,8}",
                "(ja|nee|Ja|weet niet|n.v.t.|[0-9] - [A-Za-z ]{0,12})",
                "\\PC{0,12}",
            ],
        ) {
            check_against_the_general_path(RawAnswer::Text(&text))?;
        }

        #[test]
        fn the_common_forms_of_a_number_read_as_the_general_path_reads_them(
            number in prop_oneof![
                any::<f64>(),
                (-5_i32..200).prop_map(f64::from),
                (-500_i32..500).prop_map(|quarters| f64::from(quarters) / 4.0),
                Just(-0.0),
            ],
        ) {
            check_against_the_general_path(RawAnswer::Number(number))?;
        }

        #[test]
        fn a_number_in_the_range_of_i64_is_whole_as_fract_says(
            number in prop_oneof![
                any::<f64>().prop_filter("in the range of i64", |number| {
                    (-9.223_372_036_854_776e18..=9.223_372_036_854_776e18).contains(number)
                }),
                (-1_000_i32..1_000).prop_map(|tenths| f64::from(tenths) / 10.0),
            ],
        ) {
            prop_assert_eq!(is_whole(number), number.fract() == 0.0);
        }
    }

    #[test]
    fn negative_zero_is_zero() {
        for number in [-0.0, 0.0] {
            let zero = without_negative_zero(number);
            assert_eq!(zero.to_bits(), 0.0f64.to_bits());
        }
        assert_eq!(without_negative_zero(-1.5), -1.5);
        assert_eq!(
            parse_decimal("-0,0")
                .map(without_negative_zero)
                .map(f64::to_bits),
            Some(0.0f64.to_bits())
        );
    }

    #[test]
    fn plain_whole_numbers_read_as_parse_decimal_reads_them() {
        for text in ["0", "7", "007", "42", "123456789"] {
            assert_eq!(plain_whole_number(text), parse_decimal(text), "{text:?}");
        }
        for text in ["", " 7", "7 ", "1.5", "-3", "+3", "1234567890", "1,5", "x"] {
            assert_eq!(plain_whole_number(text), None, "{text:?}");
        }
    }

    #[test]
    fn decimals_in_dutch_and_english_notation() {
        let cases = [
            ("12", Some(12.0)),
            ("12,5", Some(12.5)),
            ("12.5", Some(12.5)),
            ("1.234,5", Some(1234.5)),
            ("1,234.5", Some(1234.5)),
            (" 7 ", Some(7.0)),
            ("-3", Some(-3.0)),
            ("1,2,3", None),
            ("1.234.567,5", Some(1_234_567.5)),
            ("1,234,567.5", Some(1_234_567.5)),
            ("-0,5", Some(-0.5)),
            ("12,5%", None),
            ("1 234,5", None),
            ("€12,5", None),
            ("twaalf", None),
            ("", None),
            ("NaN", None),
            ("inf", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_decimal(text), expected, "{text:?}");
        }
        // Past the stack buffer: the same reading.
        let long = format!("{},5", "1".repeat(80));
        let expected = format!("{}.5", "1".repeat(80)).parse::<f64>().ok();
        assert_eq!(parse_decimal(&long), expected);
    }

    #[test]
    fn missing_answers_in_the_forms_people_write() {
        for text in [
            "",
            "  ",
            "weet niet",
            "Weet niet",
            "n.v.t.",
            "N.V.T",
            "nvt",
            "-",
        ] {
            assert!(is_missing(text), "{text:?}");
        }
        assert!(!is_missing("0"));
        assert!(!is_missing("nee"));
    }
}
