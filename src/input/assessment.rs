//! The assessment of one programme as JSON carries it, and its conversion into the
//! dense [`Answers`] the evaluator reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::comment_column;
use super::json_shape::{Parsed, ASSESSMENT_SHAPE};
use super::limits::{clipped, shown};
use super::records::RowError;
use super::value::{parse_answer_to, AnswerError};
use crate::eval::Answers;
use crate::ruleset::{Question, QuestionIndex, RuleSet};

/// One programme's self-assessment: `{"programme": id, "meta": {...}, "answers": {...},
/// "comments": {...}}`.
///
/// Reading one refuses a key given twice (at the top, or in `answers`, `meta` or
/// `comments`), where serde_json would silently keep the last; other keys are ignored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The programme's id.
    pub programme: String,
    /// Free metadata (name, institution, faculty, ...), carried along untouched.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Answers by question id.
    pub answers: BTreeMap<String, Answer>,
    /// The team's comment or evidence per question id (in tables the
    /// `<question id>#toelichting` columns); empty comments are dropped when read.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub comments: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for Assessment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let parsed = Parsed::deserialize(deserializer)?;
        Assessment::try_from(parsed).map_err(|error| serde::de::Error::custom(error.message))
    }
}

impl TryFrom<Parsed> for Assessment {
    type Error = RowError;

    /// The assessment, or the first problem found while parsing it.
    fn try_from(parsed: Parsed) -> Result<Self, RowError> {
        if let Some(problem) = parsed.problems.into_iter().next() {
            return Err(problem);
        }
        let programme = parsed.programme.ok_or_else(|| {
            RowError::row(
                ASSESSMENT_SHAPE,
                "the assessment has no `programme`: expected the programme id as text",
            )
        })?;
        Ok(Assessment {
            programme,
            meta: parsed.meta,
            answers: parsed
                .answers
                .into_iter()
                .map(|(id, value)| (id, Answer::from(value)))
                .collect(),
            comments: parsed.comments,
        })
    }
}

/// A comment as kept: trimmed, `None` when nothing is left.
pub(crate) fn comment_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Every problem with one assessment's answers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("programme `{programme}`: {}", .errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct AssessmentError {
    /// The programme.
    pub programme: String,
    /// One entry per question that does not fit, in question order.
    pub errors: Vec<AnswerError>,
}

impl RuleSet {
    /// Checks an assessment's answers and converts them into an answer vector.
    pub fn answers(&self, assessment: &Assessment) -> Result<Answers, AssessmentError> {
        let mut answers = Answers::unanswered(self);
        let mut errors = Vec::new();
        let mut questions = SortedQuestions::new(self);
        for (id, value) in &assessment.answers {
            let Some((question, question_decl)) = questions.find(id) else {
                errors.push(unknown_question(self, id, value));
                continue;
            };
            match parse_answer_to(self, question, question_decl, value.raw()) {
                Ok(parsed) => answers.set(question, parsed),
                Err(error) => errors.push(error),
            }
        }
        errors.extend(unknown_comments(self, &assessment.comments));
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(AssessmentError {
                programme: assessment.programme.clone(),
                errors,
            })
        }
    }
}

/// The questions in the byte order of their ids, walked once alongside the answers of
/// an assessment (a `BTreeMap`, so in the same order): each id is matched by comparing
/// it with the next questions' ids, without hashing it.
struct SortedQuestions<'r> {
    ruleset: &'r RuleSet,
    order: std::slice::Iter<'r, QuestionIndex>,
}

impl<'r> SortedQuestions<'r> {
    fn new(ruleset: &'r RuleSet) -> Self {
        SortedQuestions {
            ruleset,
            order: ruleset.program.question_order.iter(),
        }
    }

    /// The question with id `id`, which must not come before the ids asked for so far.
    /// Inlined into the walk: a call costs about 20 instructions per answer.
    #[inline]
    fn find(&mut self, id: &str) -> Option<(QuestionIndex, &'r Question)> {
        loop {
            let rest = self.order.as_slice();
            let &index = rest.first()?;
            let question = self.ruleset.question(index)?;
            // Most answers are to the next question: a test of equality (lengths first)
            // settles them without ordering the bytes.
            if same_id(&question.id, id) {
                self.order.next();
                return Some((index, question));
            }
            match question.id.as_str().cmp(id) {
                std::cmp::Ordering::Less => {
                    self.order.next();
                }
                std::cmp::Ordering::Equal => {
                    self.order.next();
                    return Some((index, question));
                }
                std::cmp::Ordering::Greater => return None,
            }
        }
    }
}

/// Whether two ids are the same text, compared a word at a time (the last word
/// overlapping the one before it) rather than by a call to `memcmp`: most answers are
/// matched to the next question by this test, and ids are short.
#[inline]
fn same_id(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..4 => a == b,
        4..8 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        _ => a.last_chunk::<8>() == b.last_chunk::<8>() && same_words(a, b),
    }
}

/// Whether the whole 8-byte words of two texts of the same length are the same.
#[inline]
fn same_words(mut a: &[u8], mut b: &[u8]) -> bool {
    while let (Some((word_a, rest_a)), Some((word_b, rest_b))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if word_a != word_b {
            return false;
        }
        (a, b) = (rest_a, rest_b);
    }
    true
}

fn unknown_question(ruleset: &RuleSet, id: &str, value: &Answer) -> AnswerError {
    let ids = ruleset
        .questions()
        .iter()
        .map(|question| question.id.as_str());
    let suggestion = crate::diagnostic::did_you_mean(id, ids);
    AnswerError {
        column: clipped(id),
        value: clipped(&value.to_string()),
        expected: "a question id of the rule set".to_owned(),
        message: format!(
            "{} is not a question of this rule set{suggestion}",
            shown(id)
        ),
    }
}

/// An error for every comment on a question the rule set does not have.
pub(crate) fn unknown_comments<'a>(
    ruleset: &'a RuleSet,
    comments: &'a BTreeMap<String, String>,
) -> impl Iterator<Item = AnswerError> + 'a {
    comments
        .iter()
        .filter(|(id, _)| ruleset.question_index(id).is_none())
        .map(|(id, text)| unknown_comment(ruleset, id, text))
}

fn unknown_comment(ruleset: &RuleSet, id: &str, text: &str) -> AnswerError {
    let ids = ruleset
        .questions()
        .iter()
        .map(|question| question.id.as_str());
    let suggestion = crate::diagnostic::did_you_mean(id, ids);
    AnswerError {
        column: clipped(&comment_column(id)),
        value: clipped(text),
        expected: "a comment on a question of the rule set".to_owned(),
        message: format!(
            "the comment {} is on {}, which is not a question of this rule set{suggestion}",
            shown(&comment_column(id)),
            shown(id)
        ),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::same_id;

    proptest! {
        #[test]
        fn ids_are_the_same_exactly_when_their_texts_are(
            a in "[a-c.]{0,40}",
            b in "[a-c.]{0,40}",
        ) {
            prop_assert_eq!(same_id(&a, &b), a == b);
            let twin = a.clone();
            prop_assert!(same_id(&a, &twin));
        }
    }

    #[test]
    fn one_different_byte_at_any_position_makes_another_id() {
        for length in 0..40 {
            let id = "q".repeat(length);
            for position in 0..length {
                let mut other = id.clone().into_bytes();
                other[position] = b'r';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_id(&id, &other), "{length} {position}");
            }
            assert!(same_id(&id, &id.clone()));
        }
    }
}
