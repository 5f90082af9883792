//! The assessment of one programme as JSON carries it, and its conversion into the
//! dense [`Answers`] the evaluator reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::answer_map::AnswerMap;
use super::comment_column;
use super::json_shape::{Parsed, ASSESSMENT_SHAPE};
use super::limits::{clipped, shown};
use super::records::RowError;
use super::value::{parse_answer_within, AnswerError};
use crate::eval::{level_code, Answers};
use crate::ruleset::{AnswerCheck, RuleSet};

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
    /// Answers by question id, in the byte order of the ids.
    pub answers: AnswerMap,
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
            answers: AnswerMap::from_sorted(
                parsed
                    .answers
                    .into_iter()
                    .map(|(id, value)| (id, Answer::from(value)))
                    .collect(),
            ),
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
        let mut checks = self.answer_checks().walk();
        let mut entries = assessment.answers.as_slice();
        loop {
            let run = self.check_in_order(entries, checks.rest(), &mut answers, &mut errors);
            checks.pass(run);
            // The answer after the run, if any, is not to the next question: search.
            let Some(((id, value), rest)) = entries.get(run..).and_then(<[_]>::split_first) else {
                break;
            };
            entries = rest;
            match checks.find(id) {
                Some(check) => match checked_value(self, check, value) {
                    Ok(parsed) => answers.set(check.question(), parsed),
                    Err(error) => errors.push(error),
                },
                None => errors.push(unknown_question(self, id, value)),
            }
        }
        errors.extend(unknown_comments(self, &assessment.comments));
        checked(assessment, answers, errors)
    }

    /// Checks the answers at the front of `entries` that are to the questions of the
    /// front of `records`, one to one (most assessments answer every question, so all
    /// of them): each id compared with its record's, each answer read from it, the
    /// answers and the records walked in step. How many were checked; the next answer,
    /// if any, is not to the next record's question.
    #[inline]
    fn check_in_order(
        &self,
        entries: &[(String, Answer)],
        records: &[AnswerCheck],
        answers: &mut Answers,
        errors: &mut Vec<AnswerError>,
    ) -> usize {
        let (slots, levels) = answers.slots_and_levels_mut();
        let mut run = 0;
        for ((id, value), check) in entries.iter().zip(records) {
            if !check.is(id.as_bytes()) {
                break;
            }
            run += 1;
            let (parsed, level) = match small_level(check, value) {
                Some(small) => small,
                None => match other_value(self, check, value) {
                    Ok(parsed) => (parsed, level_code(parsed)),
                    Err(error) => {
                        errors.push(error);
                        continue;
                    }
                },
            };
            let index = check.question().index();
            if let (Some(slot), Some(code)) = (slots.get_mut(index), levels.get_mut(index)) {
                *slot = parsed;
                *code = level;
            }
        }
        run
    }
}

/// The value of `answer` to the question of `check`, or why it does not fit.
#[inline]
fn checked_value(
    ruleset: &RuleSet,
    check: &AnswerCheck,
    answer: &Answer,
) -> Result<f64, AnswerError> {
    match small_number(check, answer) {
        Some(parsed) => Ok(parsed),
        None => other_value(ruleset, check, answer),
    }
}

/// The answers of `assessment`, or its errors when there are any.
fn checked(
    assessment: &Assessment,
    answers: Answers,
    errors: Vec<AnswerError>,
) -> Result<Answers, AssessmentError> {
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(AssessmentError {
            programme: assessment.programme.clone(),
            errors,
        })
    }
}

/// [`small_number`] as its level: the whole number below 64 that the question of
/// `check` takes, which is its own level code ([`level_code`]).
#[inline]
fn small_level(check: &AnswerCheck, answer: &Answer) -> Option<(f64, u8)> {
    match answer {
        Answer::Number(number) => check.small_level(number.as_u64()?),
        _ => None,
    }
}

/// The value of `answer` when it is a whole JSON number below 64 that the question of
/// `check` takes (a scale level, yes/no, a small count), settled by one bit of the
/// record's mask; `None` for any other answer.
#[inline]
fn small_number(check: &AnswerCheck, answer: &Answer) -> Option<f64> {
    match answer {
        Answer::Number(number) => check.small_value(number.as_u64()?),
        _ => None,
    }
}

/// The value of any answer that is not a small number the question takes, or why it
/// does not fit: an unknown answer is `NaN` whatever the question, anything else goes
/// through the question's bounds, then the general path. Out of line, so that the walk
/// keeps the small numbers' path short.
#[inline(never)]
fn other_value(
    ruleset: &RuleSet,
    check: &AnswerCheck,
    answer: &Answer,
) -> Result<f64, AnswerError> {
    match answer {
        Answer::Unknown => Ok(f64::NAN),
        _ => parse_answer_within(ruleset, check.question(), check.bounds(), answer.raw()),
    }
}

fn unknown_question(ruleset: &RuleSet, id: &str, value: &Answer) -> AnswerError {
    let suggestion = question_like(ruleset, id);
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

/// A "did you mean" for `id`, an id that is no question of the rule set: its nearest
/// question id, if one is near (empty otherwise).
fn question_like(ruleset: &RuleSet, id: &str) -> String {
    let ids = ruleset
        .questions()
        .iter()
        .map(|question| question.id.as_str());
    crate::diagnostic::did_you_mean(id, ids)
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
    let suggestion = question_like(ruleset, id);
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
    use std::collections::BTreeMap;
    use std::sync::LazyLock;

    use proptest::prelude::*;

    use super::{checked, unknown_comments, unknown_question, Assessment, AssessmentError};
    use crate::compile::compile;
    use crate::diagnostic::SourceFile;
    use crate::eval::{level_code, Answers};
    use crate::input::value::parse_answer;
    use crate::input::Answer;
    use crate::ruleset::RuleSet;

    /// Ids of every length the walk compares differently (up to 3 bytes, 4 to 7, 8 to
    /// 16, longer), ids that differ only in their middle, and kinds with every shape of
    /// bounds.
    static MIXED: LazyLock<RuleSet> = LazyLock::new(|| {
        let text = "ruleset \"mixed\" version \"1\"\n\
             theme t \"T\" { number 1 }\n\
             factor f \"F\" { number 1 theme t horizon kort }\n\
             tip f.t0 { text \"T0\" }\n\
             scale maturity 0..4 { 1 \"Laag\" \"L\" 3 \"Ingevoerd\" \"I\" }\n\
             scale wide 1..70 { }\n\
             question f.s: maturity \"?\"\n\
             question f.yy: yesno \"?\"\n\
             question f.pct: percent \"?\"\n\
             question f.num_abc: number -5..5 \"?\"\n\
             question f.count: number \"?\"\n\
             question f.range_10_100: number 10..100 \"?\"\n\
             question f.choice_12345678: choice [a, b, c] \"?\"\n\
             question f.a_much_longer_question_id: maturity \"?\"\n\
             question f.a_much_lxnger_question_id: yesno \"?\"\n\
             question f.a_much_longer_question_ie: wide \"?\"\n\
             question f.wide_scale: wide \"?\"\n\
             rule r0 {\n when f.s >= 2\n recommend f.t0\n because \"b\"\n}\n";
        match compile(vec![SourceFile::new("mixed.rules", text.to_owned())], &[]) {
            Ok(compiled) => compiled.ruleset,
            Err(diagnostics) => panic!("{}", diagnostics.render_plain()),
        }
    });

    static ROADMAP: LazyLock<RuleSet> =
        LazyLock::new(|| RuleSet::roadmap().unwrap().into_ruleset());

    /// The check as it was before the check records: each id looked up by its hash, each
    /// answer read by [`parse_answer`]; the test oracle.
    fn answers_by_lookup(
        ruleset: &RuleSet,
        assessment: &Assessment,
    ) -> Result<Answers, AssessmentError> {
        let mut answers = Answers::unanswered(ruleset);
        let mut errors = Vec::new();
        for (id, value) in &assessment.answers {
            let Some(question) = ruleset.question_index(id) else {
                errors.push(unknown_question(ruleset, id, value));
                continue;
            };
            match parse_answer(ruleset, question, value.raw()) {
                Ok(parsed) => answers.set(question, parsed),
                Err(error) => errors.push(error),
            }
        }
        errors.extend(unknown_comments(ruleset, &assessment.comments));
        checked(assessment, answers, errors)
    }

    /// An id: one of the rule set's, one of them with a byte changed, cut or lengthened,
    /// or any short text.
    fn id(ruleset: &'static RuleSet) -> impl Strategy<Value = String> {
        let ids: Vec<String> = ruleset.questions().iter().map(|q| q.id.clone()).collect();
        let count = ids.len();
        let pick = move |at: usize| ids[at % count].clone();
        let changed = pick.clone();
        let cut = pick.clone();
        prop_oneof![
            6 => any::<usize>().prop_map(pick),
            1 => (any::<usize>(), any::<usize>(), b'a'..=b'z').prop_map(move |(at, position, byte)| {
                let mut id = changed(at).into_bytes();
                let position = position % id.len();
                id[position] = byte;
                String::from_utf8(id).unwrap()
            }),
            1 => (any::<usize>(), 0_usize..4, "[a-z]{0,2}").prop_map(move |(at, drop, tail)| {
                let id = cut(at);
                format!("{}{tail}", &id[..id.len().saturating_sub(drop)])
            }),
            1 => "[a-z._]{0,30}",
        ]
    }

    /// An answer of any form.
    fn answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            6 => (0_u64..80).prop_map(Answer::from),
            1 => any::<u64>().prop_map(Answer::from),
            1 => (-80_i64..0).prop_map(Answer::from),
            1 => any::<i64>().prop_map(Answer::from),
            1 => (-400_i32..400).prop_map(|quarters| Answer::from(f64::from(quarters) / 4.0)),
            1 => any::<f64>().prop_map(Answer::from),
            1 => Just(Answer::from(-0.0)),
            1 => "[0-9]{0,4}".prop_map(Answer::from),
            1 => "(ja|nee|weet niet|n.v.t.|a|B|Laag|3 - Ingevoerd|12,5|35%| 7 |x)".prop_map(Answer::from),
            1 => any::<bool>().prop_map(Answer::from),
            1 => Just(Answer::Unknown),
            1 => Just(Answer::Invalid(serde_json::json!([1, 2]))),
        ]
    }

    fn assessment(ruleset: &'static RuleSet) -> impl Strategy<Value = Assessment> {
        (
            prop::collection::btree_map(id(ruleset), answer(), 0..40),
            prop::collection::btree_map(id(ruleset), "[a-z ]{0,8}", 0..3),
        )
            .prop_map(|(answers, comments)| Assessment {
                programme: "P".to_owned(),
                meta: BTreeMap::new(),
                answers: answers.into_iter().collect(),
                comments,
            })
    }

    /// Every question of `ruleset` answered, in id order, but for some answers left out,
    /// some ids changed and a few ids added: long runs of answers to the next questions,
    /// broken anywhere.
    fn mostly_in_order(ruleset: &'static RuleSet) -> impl Strategy<Value = Assessment> {
        let ids: Vec<String> = ruleset.questions().iter().map(|q| q.id.clone()).collect();
        let count = ids.len();
        (
            prop::collection::vec((0_u8..24, answer()), count),
            prop::collection::vec((id(ruleset), answer()), 0..3),
        )
            .prop_map(move |(fates, added)| {
                let kept = ids
                    .iter()
                    .zip(fates)
                    .filter_map(|(id, (fate, answer))| match fate {
                        0 => None,
                        1 => Some((format!("{id}x"), answer)),
                        2 => Some((id[..id.len() - 1].to_owned(), answer)),
                        _ => Some((id.clone(), answer)),
                    });
                Assessment {
                    programme: "P".to_owned(),
                    meta: BTreeMap::new(),
                    answers: kept.chain(added).collect(),
                    comments: BTreeMap::new(),
                }
            })
    }

    /// The walk's result is the oracle's: the same slots, bit for bit, or the same
    /// errors in the same order.
    fn check_against_the_oracle(
        ruleset: &RuleSet,
        assessment: &Assessment,
    ) -> Result<(), TestCaseError> {
        let bits = |answers: Answers| -> Vec<u64> {
            answers
                .slots()
                .iter()
                .map(|value| value.to_bits())
                .collect()
        };
        let walked = ruleset.answers(assessment);
        // Every slot's level code is the code of its value, however it was written.
        if let Ok(walked) = &walked {
            let codes: Vec<u8> = walked.slots().iter().map(|&v| level_code(v)).collect();
            prop_assert_eq!(walked.levels(), &codes[..]);
        }
        let looked_up = answers_by_lookup(ruleset, assessment).map(bits);
        prop_assert_eq!(walked.map(bits), looked_up);
        Ok(())
    }

    proptest! {
        #[test]
        fn the_walk_checks_as_the_lookup_checks_on_every_kind_and_id_length(
            assessment in assessment(&MIXED),
        ) {
            check_against_the_oracle(&MIXED, &assessment)?;
        }

        #[test]
        fn answers_mostly_in_order_are_checked_as_the_lookup_checks_them(
            mixed in mostly_in_order(&MIXED),
            roadmap in mostly_in_order(&ROADMAP),
        ) {
            check_against_the_oracle(&MIXED, &mixed)?;
            check_against_the_oracle(&ROADMAP, &roadmap)?;
        }

        #[test]
        fn the_walk_checks_as_the_lookup_checks_on_the_roadmap(
            assessment in assessment(&ROADMAP),
        ) {
            check_against_the_oracle(&ROADMAP, &assessment)?;
        }
    }

    #[test]
    fn every_question_answered_in_order_is_found() {
        for ruleset in [&*MIXED, &*ROADMAP] {
            let answers = ruleset
                .questions()
                .iter()
                .map(|question| (question.id.clone(), Answer::Unknown))
                .collect();
            let assessment = Assessment {
                programme: "P".to_owned(),
                meta: BTreeMap::new(),
                answers,
                comments: BTreeMap::new(),
            };
            assert!(ruleset.answers(&assessment).is_ok());
        }
    }
}
