//! The advice's `serde` form, the JSON contract: the answers as one object from question
//! id to answer, each tip with its lists and texts, and a tip's reasons as one object from
//! rule id to priority.

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use super::{Advice, AdvisedTip, GivenAnswer, Reasons};
use crate::eval::Confidence;
use crate::ruleset::QuestionKind;

impl Serialize for Advice<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Advice", 16)?;
        fields.serialize_field("schema_version", &self.schema_version)?;
        fields.serialize_field("ruleset", self.ruleset)?;
        fields.serialize_field("programme", &self.programme)?;
        match self.meta.is_empty() {
            true => fields.skip_field("meta")?,
            false => fields.serialize_field("meta", &self.meta)?,
        }
        match self.profile {
            Some(profile) => fields.serialize_field("profile", profile)?,
            None => fields.skip_field("profile")?,
        }
        match self.comments.is_empty() {
            true => fields.skip_field("comments")?,
            false => fields.serialize_field("comments", &self.comments)?,
        }
        fields.serialize_field("answers", &Answers(self))?;
        fields.serialize_field("sections", &self.sections)?;
        fields.serialize_field("focus", &self.focus)?;
        fields.serialize_field("tips", &Tips(self))?;
        fields.serialize_field("scan_first", &self.scan_first)?;
        fields.serialize_field("to_establish", &self.to_establish)?;
        fields.serialize_field("not_applicable", &self.not_applicable)?;
        fields.serialize_field("handoffs", &self.handoffs)?;
        fields.serialize_field("warnings", &self.warnings())?;
        fields.end()
    }
}

/// The answers of an advice as an object from question id to answer, in questionnaire
/// order.
struct Answers<'a, 'r>(&'a Advice<'r>);

impl Serialize for Answers<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for answer in self.0.answers() {
            map.serialize_entry(&answer.question.id, &answer.json())?;
        }
        map.end()
    }
}

/// The plan's tips of an advice, each with its lists and texts.
struct Tips<'a, 'r>(&'a Advice<'r>);

impl Serialize for Tips<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let advice = self.0;
        let mut seq = serializer.serialize_seq(Some(advice.tips.len()))?;
        for tip in advice.tips.iter() {
            seq.serialize_element(&TipWithLists { advice, tip })?;
        }
        seq.end()
    }
}

/// One tip with the advice that holds its lists and computes its texts, serialised as
/// the contract has it.
struct TipWithLists<'a, 'r> {
    advice: &'a Advice<'r>,
    tip: &'a AdvisedTip<'r>,
}

impl Serialize for TipWithLists<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (tip, tips) = (self.tip, &self.advice.tips);
        let after = tips.after(tip);
        let pulled_in_by = tips.pulled_in_by(tip);
        let mut fields = serializer.serialize_struct("AdvisedTip", 10)?;
        fields.serialize_field("id", tip.id)?;
        fields.serialize_field("cycle", &tip.cycle)?;
        fields.serialize_field("phase", &tip.phase)?;
        fields.serialize_field("priority", &tip.priority)?;
        if tip.confidence != Confidence::Answered {
            fields.serialize_field("confidence", &tip.confidence)?;
        }
        if let Some(why_now) = self.advice.why_now(tip) {
            fields.serialize_field("why_now", &why_now)?;
        }
        if let Some(context) = self.advice.context_assumed(tip) {
            fields.serialize_field("context_assumed", &context)?;
        }
        if !after.is_empty() {
            fields.serialize_field("after", after)?;
        }
        if !pulled_in_by.is_empty() {
            fields.serialize_field("pulled_in_by", pulled_in_by)?;
        }
        fields.serialize_field("because", &Because(self.advice.because(tip)))?;
        fields.end()
    }
}

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

/// A tip's reasons, serialised as one object from rule id to priority, in rule order.
struct Because<'a, 'r>(Reasons<'a, 'r>);

impl Serialize for Because<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for reason in self.0.clone() {
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
