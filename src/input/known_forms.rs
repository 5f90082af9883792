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
    /// Each text with the bits of its value (an `f64`, NaN for a missing answer),
    /// shortest first.
    forms: Vec<Form>,
    /// Where the forms of each length start: those of `n` bytes are
    /// `forms[starts[n]..starts[n + 1]]` (65 entries; none when no text is known).
    starts: Vec<u16>,
    /// Bit `n` set when a text of `n` bytes is known (texts under 64 bytes only), so a
    /// cell of another length is passed over at once.
    lengths: u64,
    /// The bits of the value of each one-digit text `"0"` to `"9"` that the column
    /// takes: most cells are one, so they are read by an index.
    digits: [Option<u64>; 10],
}

/// One known text, with its [`key`], so that a cell is compared with it in a few
/// register operations: most known texts (the missing-answer texts, short scale
/// labels) are no longer than [`KEY_BYTES`], and for those the key and the length tell
/// the whole text. A call of `memcmp` per candidate cost more than the rest of the
/// look-up.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Form {
    text: Box<str>,
    /// [`key`] of the text.
    key: (u64, u64),
    /// The bits of its value.
    bits: u64,
}

/// The longest texts whose [`key`] holds every byte.
const KEY_BYTES: usize = 16;

/// A text's first and last bytes, read as two numbers without a loop: its first and
/// last eight bytes (overlapping when it is shorter than 16), or four, or each byte of
/// a text of three or fewer. Two texts of the same length up to [`KEY_BYTES`] are equal
/// exactly when their keys are.
fn key(text: &[u8]) -> (u64, u64) {
    if let (Some(first), Some(last)) = (text.first_chunk::<8>(), text.last_chunk::<8>()) {
        return (u64::from_le_bytes(*first), u64::from_le_bytes(*last));
    }
    if let (Some(first), Some(last)) = (text.first_chunk::<4>(), text.last_chunk::<4>()) {
        let word = |bytes: &[u8; 4]| u64::from(u32::from_le_bytes(*bytes));
        return (word(first), word(last));
    }
    let bytes = text
        .iter()
        .fold(0, |word, &byte| word << 8 | u64::from(byte));
    (bytes, 0)
}

impl Form {
    /// Whether `text`, of key `key`, is this form.
    fn is(&self, text: &[u8], key: (u64, u64)) -> bool {
        self.key == key
            && self.text.len() == text.len()
            && (text.len() <= KEY_BYTES || self.text.as_bytes() == text)
    }
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
            let duplicate = known.forms.iter().any(|form| *form.text == *text);
            if text.len() < 64 && !duplicate {
                known.lengths |= 1 << text.len();
                known.forms.push(Form {
                    key: key(text.as_bytes()),
                    text: text.into_boxed_str(),
                    bits: value.to_bits(),
                });
            }
        }
        // Stable: the forms of one length keep their order.
        known.forms.sort_by_key(|form| form.text.len());
        known.starts = (0..=64)
            .map(|length| {
                let shorter = known.forms.iter().filter(|form| form.text.len() < length);
                u16::try_from(shorter.count()).unwrap_or(u16::MAX)
            })
            .collect();
        known
    }

    /// The value of `text` if it is one of the known texts byte for byte: what
    /// [`parse_answer`] gives it.
    #[inline]
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
        self.form_value(text.as_bytes())
    }

    /// The value of `text` if it is one of the forms: those of its length are
    /// compared by their keys.
    fn form_value(&self, text: &[u8]) -> Option<f64> {
        let length = text.len();
        let start = usize::from(*self.starts.get(length)?);
        let end = usize::from(*self.starts.get(length + 1)?);
        let candidates = self.forms.get(start..end)?;
        let key = key(text);
        candidates
            .iter()
            .find(|form| form.is(text, key))
            .map(|form| f64::from_bits(form.bits))
    }
}

#[cfg(test)]
mod tests {
    use super::{key, KnownForms};
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
            for form in &known.forms {
                let (text, bits) = (&*form.text, form.bits);
                let parsed = parse_answer(&ruleset, question, RawAnswer::Text(text)).unwrap();
                assert_eq!(parsed.to_bits(), bits, "{text:?}");
                assert_eq!(known.value(text).map(f64::to_bits), Some(bits));
                scale_forms += usize::from(text.contains(" - "));
            }
            for digit in 0..10 {
                let text = digit.to_string();
                let parsed = parse_answer(&ruleset, question, RawAnswer::Text(&text));
                let value = known.value(&text).map(f64::to_bits);
                assert_eq!(value, parsed.ok().map(f64::to_bits), "{text:?}");
            }
            let others = [
                "22",
                " weet niet",
                "Weet niet",
                "weet niet\0",
                "2 -  Ingevoerd",
                "2 - Gedeeltelijk ingevoerD",
                "x",
            ];
            for other in others {
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

    proptest::proptest! {
        /// Two texts of the same length are equal exactly when their keys are, up to
        /// the key's length; the look-up agrees with comparing the texts.
        #[test]
        fn keys_tell_short_texts_apart(a in "[a-z .-]{0,20}", b in "[a-z .-]{0,20}") {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            if a.len() == b.len() && a.len() <= super::KEY_BYTES {
                proptest::prop_assert_eq!(key(a) == key(b), a == b);
            }
            let text = std::str::from_utf8(a).unwrap_or_default().into();
            let form = super::Form { key: key(a), text, bits: 0 };
            proptest::prop_assert_eq!(form.is(b, key(b)), a == b);
            proptest::prop_assert!(form.is(a, key(a)));
        }
    }
}
