//! The advice for one programme as other tools read it (JSON contract, schema version 1),
//! built from the compact [`Evaluation`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eval::{Answers, Evaluation};
use crate::input::{Assessment, AssessmentError};
use crate::ruleset::{Horizon, QuestionKind, RuleSet, RuleSetInfo, Section, SectionKind};

/// The version of the advice JSON; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The advice for one programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The rules that produced this advice.
    pub ruleset: RuleSetInfo,
    /// The programme's id.
    pub programme: String,
    /// The assessment's metadata, carried along.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// Per principle and factor: the mean of its answered questions.
    pub scores: Vec<Score>,
    /// Recommended tips, highest priority first.
    pub tips: Vec<AdvisedTip>,
    /// What the reader should know about this advice.
    pub warnings: Vec<String>,
}

/// The score of one principle or factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The section's id.
    pub id: String,
    /// Principle or factor.
    pub kind: SectionKind,
    /// The document's number.
    pub number: u32,
    /// The document's title.
    pub title: String,
    /// Mean of the answered questions, to two decimals; `null` when none is answered.
    pub mean: Option<f64>,
    /// How many of its questions were answered.
    pub answered: u32,
    /// How many questions it has.
    pub questions: u32,
}

/// One recommended tip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedTip {
    /// The tip's id.
    pub id: String,
    /// The id of its factor (or principle).
    pub factor: String,
    /// The document's text.
    pub text: String,
    /// 0–100, the highest of the rules that recommended it.
    pub priority: u8,
    /// The document's horizon: `kort`, `midden`, `lang` or a range such as `kort-midden`;
    /// `null` where the document gives none.
    pub horizon: Option<String>,
    /// Ids of the stakeholders involved.
    pub stakeholders: Vec<String>,
    /// Every rule that recommended it.
    pub because: Vec<Reason>,
}

/// One rule's reason for a tip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule's id.
    pub rule: String,
    /// The rule's explanation.
    pub text: String,
    /// The priority this rule gave.
    pub priority: u8,
    /// The answers the rule read; `null` for unanswered.
    pub answers: BTreeMap<String, serde_json::Value>,
}

impl RuleSet {
    /// Checks an assessment and advises the programme.
    pub fn advise(&self, assessment: &Assessment) -> Result<Advice, AssessmentError> {
        let answers = self.answers(assessment)?;
        let evaluation = self.evaluate(&answers);
        let mut advice = self.build_advice(&assessment.programme, &answers, &evaluation);
        advice.meta = assessment.meta.clone();
        Ok(advice)
    }

    /// Turns an evaluation into the advice document.
    pub fn build_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Advice {
        Advice {
            schema_version: SCHEMA_VERSION,
            ruleset: self.info.clone(),
            programme: programme.to_owned(),
            meta: BTreeMap::new(),
            scores: self
                .sections
                .iter()
                .map(|section| score(section, answers))
                .collect(),
            tips: self.advised_tips(answers, evaluation),
            warnings: self.advice_warnings(answers, evaluation),
        }
    }

    fn advised_tips(&self, answers: &Answers, evaluation: &Evaluation) -> Vec<AdvisedTip> {
        let mut order: Vec<u32> = evaluation.recommended_tips().collect();
        let priority = |tip: u32| {
            evaluation
                .tip_priority
                .get(tip as usize)
                .copied()
                .unwrap_or(0)
        };
        order.sort_by_key(|&tip| (std::cmp::Reverse(priority(tip)), tip));
        order
            .into_iter()
            .filter_map(|tip| self.advised_tip(tip, priority(tip), answers, evaluation))
            .collect()
    }

    fn advised_tip(
        &self,
        index: u32,
        priority: u8,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Option<AdvisedTip> {
        let tip = self.tip(index)?;
        let section = self.section_of(tip)?;
        let because = evaluation
            .fired
            .iter()
            .filter_map(|fired| Some((fired, self.rules.get(fired.rule as usize)?)))
            .filter(|(_, rule)| rule.recommend.contains(&index))
            .map(|(fired, rule)| Reason {
                rule: rule.id.clone(),
                text: rule.because.clone(),
                priority: fired.priority,
                answers: rule
                    .reads
                    .iter()
                    .filter_map(|&question| self.answer_entry(question, answers))
                    .collect(),
            })
            .collect();
        Some(AdvisedTip {
            id: tip.id.clone(),
            factor: section.id.clone(),
            text: tip.text.clone(),
            priority,
            horizon: horizon_text(section.horizon),
            stakeholders: section
                .stakeholders
                .iter()
                .filter_map(|&stakeholder| {
                    self.stakeholders
                        .get(stakeholder as usize)
                        .map(|s| s.id.clone())
                })
                .collect(),
            because,
        })
    }

    /// A question id and its answer as JSON: a number, `true`/`false`, an option id, or null.
    fn answer_entry(
        &self,
        question: u32,
        answers: &Answers,
    ) -> Option<(String, serde_json::Value)> {
        let decl = self.question(question)?;
        let value = match (answers.get(question), &decl.kind) {
            (None, _) => serde_json::Value::Null,
            (Some(value), QuestionKind::YesNo) => serde_json::Value::Bool(value == 1.0),
            (Some(value), QuestionKind::Choice { options }) => options
                .get(value as usize)
                .map_or(serde_json::Value::Null, |option| option.id.clone().into()),
            (Some(value), _) => serde_json::json!(value),
        };
        Some((decl.id.clone(), value))
    }

    fn advice_warnings(&self, answers: &Answers, evaluation: &Evaluation) -> Vec<String> {
        let mut warnings: Vec<String> = evaluation
            .fired
            .iter()
            .filter(|fired| !fired.priority_known)
            .filter_map(|fired| self.rules.get(fired.rule as usize))
            .map(|rule| format!("rule `{}` fired, but its priority reads unanswered questions; priority 0 was used", rule.id))
            .collect();
        let tip_questions: Vec<u32> = self
            .tips
            .iter()
            .filter_map(|tip| tip.maturity_question)
            .collect();
        let answered = tip_questions
            .iter()
            .filter(|&&question| answers.get(question).is_some())
            .count();
        if answered < tip_questions.len() {
            warnings.push(format!(
                "{answered} of {} tip questions are answered; an unanswered question recommends nothing unless a quick-scan answer stands in for it",
                tip_questions.len()
            ));
        }
        warnings
    }
}

fn score(section: &Section, answers: &Answers) -> Score {
    let values: Vec<f64> = section
        .questions
        .iter()
        .filter_map(|&question| answers.get(question))
        .collect();
    let mean = (!values.is_empty()).then(|| {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        (mean * 100.0).round() / 100.0
    });
    Score {
        id: section.id.clone(),
        kind: section.kind,
        number: section.number,
        title: section.title.clone(),
        mean,
        answered: u32::try_from(values.len()).unwrap_or(u32::MAX),
        questions: u32::try_from(section.questions.len()).unwrap_or(u32::MAX),
    }
}

/// A horizon as the advice writes it; `None` where the document gives none.
pub fn horizon_text(horizon: Horizon) -> Option<String> {
    match horizon {
        Horizon::NotGiven => None,
        range => Some(range.to_string()),
    }
}
