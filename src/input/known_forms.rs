//! The texts a questionnaire column is most often filled with besides digits: a scale's
//! own forms (`"2 - Gedeeltelijk ingevoerd"`, `"Ingevoerd"`) and the missing-answer
//! texts (`"weet niet"`, `"n.v.t."`, empty), each with the value the answer parser gives
//! it. Built once per column from the question, so a cell that is one of them byte for
//! byte is read by a look-up instead of trims and case-insensitive comparisons.

use super::value::{parse_answer, RawAnswer, MISSING};
use crate::ruleset::{QuestionIndex, QuestionKind, RuleSet};

/// The known texts of one question's column and their values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct KnownForms {
    /// Each text with the bits of its value (an `f64`, NaN for a missing answer).
    forms: Vec<(Box<str>, u64)>,
    /// Bit `n` set when a text of `n` bytes is known (texts under 64 bytes only), so a
    /// cell of another length is passed over at once.
    lengths: u64,
    /// The bits of the value of each one-digit text `"0"` to `"9"` that the column
    /// takes: most cells are one, so they are read by an index.
    digits: [Option<u64>; 10],
}

impl KnownForms {
    /// The known texts of `question`'s column: every text [`parse_answer`] accepts for
    /// it among the missing texts and, for a scale question, the scale's labels and its
    /// `"<level> - <label>"` forms; each with the value `parse_answer` gives it.
    pub(crate) fn of(ruleset: &RuleSet, question: QuestionIndex) -> KnownForms {
        let mut texts: Vec<String> = MISSING.iter().map(|&text| text.to_owned()).collect();
        let scale = match ruleset.question(question).map(|decl| &decl.kind) {
            Some(QuestionKind::Scale { scale }) => ruleset.scales().get(*scale as usize),
            _ => None,
        };
        for (level, label) in scale.iter().flat_map(|scale| &scale.labels) {
            texts.push(format!("{level} - {label}"));
            texts.push(label.clone());
        }
        let mut known = KnownForms::default();
        for (digit, value) in (b'0'..=b'9').zip(&mut known.digits) {
            let text = [digit];
            let text = std::str::from_utf8(&text).unwrap_or_default();
            let parsed = parse_answer(ruleset, question, RawAnswer::Text(text));
            *value = parsed.ok().map(f64::to_bits);
        }
        for text in texts {
            let Ok(value) = parse_answer(ruleset, question, RawAnswer::Text(&text)) else {
                continue;
            };
            let duplicate = known.forms.iter().any(|(form, _)| **form == *text);
            if text.len() < 64 && !duplicate {
                known.lengths |= 1 << text.len();
                known.forms.push((text.into_boxed_str(), value.to_bits()));
            }
        }
        known
    }

    /// The value of `text` if it is one of the known texts byte for byte: what
    /// [`parse_answer`] gives it.
    pub(crate) fn value(&self, text: &str) -> Option<f64> {
        if let &[byte] = text.as_bytes() {
            let digit = self.digits.get(usize::from(byte.wrapping_sub(b'0')));
            if let Some(&Some(bits)) = digit {
                return Some(f64::from_bits(bits));
            }
        }
        if text.len() >= 64 || self.lengths & (1 << text.len()) == 0 {
            return None;
        }
        self.forms
            .iter()
            .find(|(form, _)| **form == *text)
            .map(|&(_, bits)| f64::from_bits(bits))
    }
}

#[cfg(test)]
mod tests {
    use super::KnownForms;
    use crate::input::value::{parse_answer, RawAnswer};
    use crate::ruleset::{QuestionIndex, RuleSet};

    fn roadmap() -> RuleSet {
        RuleSet::roadmap().unwrap().into_ruleset()
    }

    #[test]
    fn every_known_text_has_the_value_the_parser_gives_it() {
        let ruleset = roadmap();
        let mut scale_forms = 0;
        for (question, _) in QuestionIndex::enumerate(ruleset.questions()) {
            let known = KnownForms::of(&ruleset, question);
            for (form, bits) in &known.forms {
                let parsed = parse_answer(&ruleset, question, RawAnswer::Text(form)).unwrap();
                assert_eq!(parsed.to_bits(), *bits, "{form:?}");
                assert_eq!(known.value(form).map(f64::to_bits), Some(*bits));
                scale_forms += usize::from(form.contains(" - "));
            }
            for digit in 0..10 {
                let text = digit.to_string();
                let parsed = parse_answer(&ruleset, question, RawAnswer::Text(&text));
                let value = known.value(&text).map(f64::to_bits);
                assert_eq!(value, parsed.ok().map(f64::to_bits), "{text:?}");
            }
            for other in ["22", " weet niet", "Weet niet", "2 -  Ingevoerd", "x"] {
                assert_eq!(known.value(other), None, "{other:?}");
            }
        }
        assert!(scale_forms > 100, "{scale_forms} scale forms");
    }

    #[test]
    fn the_generated_forms_are_known() {
        let ruleset = roadmap();
        let scale_question = QuestionIndex::enumerate(ruleset.questions())
            .find(|(_, decl)| matches!(decl.kind, crate::ruleset::QuestionKind::Scale { .. }))
            .map(|(index, _)| index)
            .unwrap();
        let known = KnownForms::of(&ruleset, scale_question);
        assert_eq!(known.value("2 - Gedeeltelijk ingevoerd"), Some(2.0));
        assert!(known.value("weet niet").unwrap().is_nan());
        assert!(known.value("").unwrap().is_nan());
    }
}
