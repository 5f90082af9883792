//! The `serde` forms of the advice's lean parts: the answers as one object from question
//! id to answer, and a tip's reasons as one object from rule id to priority.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::{GivenAnswer, Reason};
use crate::ruleset::QuestionKind;

/// An answer as JSON reads it: a number, `true`/`false`, or a choice's option id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum AnswerJson<'r> {
    /// A number on a scale, a percentage or a number.
    Number(f64),
    /// A yes/no answer.
    Bool(bool),
    /// A choice's option id; `None` for an index without an option.
    Option(Option<&'r str>),
}

impl<'r> GivenAnswer<'r> {
    /// The answer as JSON writes it.
    pub(super) fn json(&self) -> AnswerJson<'r> {
        match &self.question.kind {
            QuestionKind::YesNo => AnswerJson::Bool(self.value == 1.0),
            QuestionKind::Choice { options } => AnswerJson::Option(
                options
                    .get(self.value as usize)
                    .map(|option| option.id.as_str()),
            ),
            _ => AnswerJson::Number(self.value),
        }
    }
}

impl Serialize for AnswerJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerJson::Number(value) => match whole(*value) {
                Some(whole) => serializer.serialize_i64(whole),
                None => serializer.serialize_f64(*value),
            },
            AnswerJson::Bool(value) => serializer.serialize_bool(*value),
            AnswerJson::Option(Some(option)) => serializer.serialize_str(option),
            AnswerJson::Option(None) => serializer.serialize_none(),
        }
    }
}

/// Beyond this magnitude not every whole `f64` is exact: written as a float.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// A whole answer (a scale level, a whole number) as an integer, so that JSON reads `2`
/// rather than `2.0`; the number is the same. Whole by a round trip through `i64`, exact
/// below [`EXACT_WHOLE`], rather than `fract`, which compiles to a call to `trunc`.
pub(super) fn whole(value: f64) -> Option<i64> {
    let integer = value as i64;
    (value.abs() < EXACT_WHOLE && integer as f64 == value).then_some(integer)
}

/// The answers as an object from question id to answer, in questionnaire order.
pub(super) fn answers<S: Serializer>(
    answers: &[GivenAnswer<'_>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(answers.len()))?;
    for answer in answers {
        map.serialize_entry(&answer.question.id, &answer.json())?;
    }
    map.end()
}

/// A tip's reasons, serialised as one object from rule id to priority, in rule order.
pub(super) struct Because<'a, 'r>(pub(super) &'a [Reason<'r>]);

impl Serialize for Because<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for reason in self.0 {
            map.serialize_entry(reason.rule, &reason.priority)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::whole;

    #[test]
    fn a_number_is_whole_exactly_when_it_has_no_fraction() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -3.0,
            2.5,
            -0.5,
            1e-300,
            4_503_599_627_370_495.5,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in values {
            let expected = (value.fract() == 0.0 && value.abs() < 9_007_199_254_740_992.0)
                .then_some(value as i64);
            assert_eq!(whole(value), expected, "{value:?}");
        }
    }
}
