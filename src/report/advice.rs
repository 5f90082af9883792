//! The advice for one programme as other tools read it (JSON contract, schema version 1),
//! built from the compact [`Evaluation`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eval::{Answers, Evaluation};
use crate::input::{Assessment, AssessmentError};
use crate::plan::{Plan, PlanStep};
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
    /// The institution profile whose roles the stakeholders, lanes and handoffs are in;
    /// absent when the rule set's own stakeholders are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Per principle and factor: the mean of its answered questions.
    pub scores: Vec<Score>,
    /// The tips to start this cycle with: the `focus` param highest-priority tips of
    /// phase 1, highest first.
    #[serde(default)]
    pub focus: Vec<String>,
    /// The plan's tips, highest priority first (ties in catalogue order): the recommended
    /// tips and the prerequisites pulled in for them.
    pub tips: Vec<AdvisedTip>,
    /// Per stakeholder role involved in the plan, in the roles' order: its tips in plan
    /// order (phase, then horizon, priority and id).
    #[serde(default)]
    pub lanes: Vec<AdvisedLane>,
    /// The plan's dependency edges whose two tips involve different sets of roles, in
    /// plan order of the prerequisite, then of the tip that waits.
    #[serde(default)]
    pub handoffs: Vec<AdvisedHandoff>,
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
    /// 0–100, the highest of the rules that recommended it; for a tip pulled in as a
    /// prerequisite, the highest of the plan tips that need it.
    pub priority: u8,
    /// The plan phase, from 1: after every tip in `after`.
    #[serde(default)]
    pub phase: u32,
    /// The document's horizon: `kort`, `midden`, `lang` or a range such as `kort-midden`;
    /// `null` where the document gives none.
    pub horizon: Option<String>,
    /// Ids of the stakeholder roles involved (after the institution profile), in the
    /// document's order.
    pub stakeholders: Vec<String>,
    /// Its prerequisites in the plan, as its `after` lists them.
    #[serde(default)]
    pub after: Vec<String>,
    /// For a prerequisite no rule recommended, which is not in place: the plan tips that
    /// need it directly. Empty for a recommended tip.
    #[serde(default)]
    pub pulled_in_by: Vec<String>,
    /// Every rule that recommended it; empty for a pulled-in tip.
    pub because: Vec<Reason>,
}

/// One stakeholder role's share of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedLane {
    /// The role's id.
    pub stakeholder: String,
    /// The role's display name (the institution profile's, if it renames it).
    pub name: String,
    /// How many plan tips the role is involved in.
    pub count: u32,
    /// Those tips' ids, in plan order.
    pub tips: Vec<String>,
}

/// A dependency edge of the plan where work passes between roles: the roles of `to`
/// wait for `from`. Two tips involve different roles when their role sets differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedHandoff {
    /// The prerequisite tip.
    pub from: String,
    /// The tip that waits for it.
    pub to: String,
    /// The roles of the prerequisite.
    pub from_stakeholders: Vec<String>,
    /// The roles of the tip that waits.
    pub to_stakeholders: Vec<String>,
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

    /// Turns an evaluation into the advice document, planning it first.
    pub fn build_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Advice {
        self.build_planned_advice(programme, answers, evaluation, &self.plan(evaluation))
    }

    /// Turns an evaluation and its plan (from [`RuleSet::plan`] or
    /// [`RuleSet::plan_into`]) into the advice document.
    pub fn build_planned_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> Advice {
        Advice {
            schema_version: SCHEMA_VERSION,
            ruleset: self.info.clone(),
            programme: programme.to_owned(),
            meta: BTreeMap::new(),
            profile: self.roles().profile().map(str::to_owned),
            scores: self
                .sections
                .iter()
                .map(|section| score(section, answers))
                .collect(),
            focus: self.tip_ids(plan.focus().iter().copied()),
            tips: self.advised_tips(answers, evaluation, plan),
            lanes: self.advised_lanes(plan),
            handoffs: self.advised_handoffs(plan),
            warnings: self.advice_warnings(answers, evaluation),
        }
    }

    fn advised_tips(
        &self,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> Vec<AdvisedTip> {
        let mut steps = plan.steps().to_vec();
        steps.sort_by_key(|step| (std::cmp::Reverse(step.priority), step.tip));
        steps
            .into_iter()
            .filter_map(|step| self.advised_tip(step, answers, evaluation, plan))
            .collect()
    }

    fn advised_lanes(&self, plan: &Plan) -> Vec<AdvisedLane> {
        let roles = self.roles();
        plan.lanes(self)
            .into_iter()
            .filter_map(|lane| {
                let role = roles.get(lane.role)?;
                Some(AdvisedLane {
                    stakeholder: role.id.clone(),
                    name: role.name.clone(),
                    count: u32::try_from(lane.tips.len()).unwrap_or(u32::MAX),
                    tips: self.tip_ids(lane.tips.into_iter()),
                })
            })
            .collect()
    }

    fn advised_handoffs(&self, plan: &Plan) -> Vec<AdvisedHandoff> {
        let roles = self.roles();
        plan.handoffs(self)
            .into_iter()
            .filter_map(|handoff| {
                Some(AdvisedHandoff {
                    from: self.tip(handoff.from)?.id.clone(),
                    to: self.tip(handoff.to)?.id.clone(),
                    from_stakeholders: roles.ids(roles.of_tip(handoff.from)),
                    to_stakeholders: roles.ids(roles.of_tip(handoff.to)),
                })
            })
            .collect()
    }

    fn tip_ids(&self, tips: impl Iterator<Item = u32>) -> Vec<String> {
        tips.filter_map(|tip| self.tip(tip))
            .map(|tip| tip.id.clone())
            .collect()
    }

    fn advised_tip(
        &self,
        step: PlanStep,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> Option<AdvisedTip> {
        let index = step.tip;
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
            priority: step.priority,
            phase: step.phase,
            horizon: horizon_text(section.horizon),
            stakeholders: self.roles().ids(self.roles().of_tip(index)),
            after: self.tip_ids(plan.after(self, index)),
            pulled_in_by: self.tip_ids(plan.pulled_in_by(self, index)),
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
