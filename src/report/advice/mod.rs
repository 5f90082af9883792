//! The advice for one programme as other tools read it (JSON contract, schema version 2,
//! documented in `docs/advice.md`), built from the compact [`Evaluation`] and [`Plan`].

mod evidence;
mod findings;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use findings::{Coverage, NotApplicable, ScanFirst, ToEstablish, DEFAULT_MIN_COVERAGE};

use crate::eval::{Answers, Confidence, Evaluation, TipStatus};
use crate::input::{Assessment, AssessmentError};
use crate::plan::{Plan, PlanStep};
use crate::ruleset::{Horizon, QuestionKind, RuleKind, RuleSet, RuleSetInfo, Section, SectionKind};

/// The version of the advice JSON; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

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
    /// The institution profile whose roles the leads, lanes and handoffs are in; absent
    /// when the rule set's own stakeholders are used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The team's comment or evidence per question id, carried along from the scan.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub comments: BTreeMap<String, String>,
    /// Per principle and factor: the mean of its answered questions.
    pub scores: Vec<Score>,
    /// Per principle and factor: how much of its scan the programme answered.
    pub coverage: Vec<Coverage>,
    /// The tips of cycle 1 ("Deze cyclus"), in the order the cycle took them.
    pub focus: Vec<String>,
    /// The plan's tips in plan order: cycle, then phase, rank and document order. The
    /// recommended tips and the prerequisites pulled in for them.
    pub tips: Vec<AdvisedTip>,
    /// Sections whose scan is too incomplete to advise on: complete it first.
    pub scan_first: Vec<ScanFirst>,
    /// Tips that apply but whose state is not known ("Eerst uitzoeken"), most important
    /// first.
    pub to_establish: Vec<ToEstablish>,
    /// Tips the programme's context rules out, with the reason, in document order.
    pub not_applicable: Vec<NotApplicable>,
    /// Per role in the plan, in the roles' order: the tips it leads and those it is
    /// involved in.
    pub lanes: Vec<AdvisedLane>,
    /// The plan's dependency edges between tips with different leads.
    pub handoffs: Vec<AdvisedHandoff>,
    /// What the reader should know about this advice, in Dutch.
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

/// One tip of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedTip {
    /// The tip's id.
    pub id: String,
    /// The id of its principle or factor.
    pub section: String,
    /// The document's sub-heading the tip stands under, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The document's text.
    pub text: String,
    /// 1 "Deze cyclus", 2 "Volgende cyclus", 3 "Later".
    pub cycle: u8,
    /// The dependency phase, from 1: after every tip in `after`.
    pub phase: u32,
    /// 0–100: the rules' priority; for a pulled-in tip, the highest of the plan tips
    /// that need it.
    pub priority: u8,
    /// `answered` when the tip's own question was answered, `quick_scan` when only its
    /// section's quick scan was.
    pub confidence: Confidence,
    /// The role that leads the tip (after the institution profile); `null` when none.
    pub lead: Option<String>,
    /// The other roles involved, in the document's order.
    pub stakeholders: Vec<String>,
    /// The document's horizon, e.g. `kort-midden`; `null` where it gives none.
    pub horizon: Option<String>,
    /// For a cycle-1 tip: why now, in Dutch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_now: Option<String>,
    /// The answer that led to the advice and the target.
    pub evidence: Evidence,
    /// Set when the tip applies only because the context was not given, saying which.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_assumed: Option<String>,
    /// Its prerequisites in the plan, as its `after` lists them.
    pub after: Vec<String>,
    /// For a prerequisite no rule recommended: the plan tips that need it directly.
    pub pulled_in_by: Vec<String>,
    /// Every rule that recommended or raised it; empty for a pulled-in tip.
    pub because: Vec<Reason>,
}

/// The answer a tip's advice rests on, and the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The question read: the tip's own, or its section's quick scan.
    pub question: Option<String>,
    /// The answer; `null` when unanswered.
    pub answer: Option<f64>,
    /// The answer's label on its scale.
    pub answer_label: Option<String>,
    /// The level from which the tip counts as in place (the `in_place` param).
    pub target: Option<f64>,
    /// The target's label on the scale.
    pub target_label: Option<String>,
    /// All of it as one Dutch line, e.g. "antwoord 2 – Gedeeltelijk ingevoerd; doel 3 –
    /// Ingevoerd".
    pub summary: String,
}

/// One role's share of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedLane {
    /// The role's id.
    pub stakeholder: String,
    /// The role's display name (the institution profile's, if it renames it).
    pub name: String,
    /// The tips it leads, in plan order.
    pub leads: Vec<String>,
    /// The tips it is involved in without leading them, in plan order.
    pub involved: Vec<String>,
}

/// A dependency edge of the plan where work passes between leads: the lead of `to`
/// waits for the lead of `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdvisedHandoff {
    /// The prerequisite tip.
    pub from: String,
    /// The tip that waits for it.
    pub to: String,
    /// The lead of the prerequisite.
    pub from_lead: String,
    /// The lead of the tip that waits.
    pub to_lead: String,
}

/// One rule's reason for a tip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule's id.
    pub rule: String,
    /// `recommend`, or `raise` for a rule that makes a recommended tip more urgent.
    pub kind: RuleKind,
    /// The template that wrote the rule, for a tip's base rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// The rule's explanation.
    pub text: String,
    /// The priority this rule gave, or the amount a raising rule added.
    pub priority: u8,
    /// The answers the rule read, except a template's (the tip's `evidence` shows those);
    /// `null` for unanswered.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, serde_json::Value>,
}

impl RuleSet {
    /// Checks an assessment and advises the programme.
    pub fn advise(&self, assessment: &Assessment) -> Result<Advice, AssessmentError> {
        let answers = self.answers(assessment)?;
        let evaluation = self.evaluate(&answers);
        let mut advice = self.build_advice(&assessment.programme, &answers, &evaluation);
        advice.meta = assessment.meta.clone();
        advice.comments = assessment.comments.clone();
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
            comments: BTreeMap::new(),
            scores: self
                .sections
                .iter()
                .map(|section| score(section, answers))
                .collect(),
            coverage: self.coverage(answers),
            focus: self.tip_ids(plan.focus().iter().copied()),
            tips: plan
                .steps()
                .iter()
                .filter_map(|&step| self.advised_tip(step, answers, evaluation, plan))
                .collect(),
            scan_first: self.scan_first(answers),
            to_establish: self.to_establish(answers, evaluation),
            not_applicable: self.not_applicable(evaluation),
            lanes: self.advised_lanes(plan),
            handoffs: self.advised_handoffs(plan),
            warnings: self.advice_warnings(answers, evaluation),
        }
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
                    leads: self.tip_ids(lane.led.into_iter()),
                    involved: self.tip_ids(lane.involved.into_iter()),
                })
            })
            .collect()
    }

    fn advised_handoffs(&self, plan: &Plan) -> Vec<AdvisedHandoff> {
        let roles = self.roles();
        let role_id = |role| roles.get(role).map(|role| role.id.clone());
        plan.handoffs(self)
            .into_iter()
            .filter_map(|handoff| {
                Some(AdvisedHandoff {
                    from: self.tip(handoff.from)?.id.clone(),
                    to: self.tip(handoff.to)?.id.clone(),
                    from_lead: role_id(handoff.from_lead)?,
                    to_lead: role_id(handoff.to_lead)?,
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
        let roles = self.roles();
        let lead = roles.lead_of(index);
        let confidence = match evaluation.status.get(index as usize) {
            Some(TipStatus::Recommended(confidence)) => *confidence,
            _ => self.evidence_confidence(tip, answers),
        };
        let because = self.reasons(index, answers, evaluation);
        let evidence = self.evidence(tip, answers);
        let why_now = (step.cycle == 1)
            .then(|| self.why_now(step, tip, &evidence, confidence, &because, plan));
        Some(AdvisedTip {
            id: tip.id.clone(),
            section: section.id.clone(),
            group: tip.group.clone(),
            text: tip.text.clone(),
            cycle: step.cycle,
            phase: step.phase,
            priority: step.priority,
            confidence,
            lead: lead
                .and_then(|lead| roles.get(lead))
                .map(|role| role.id.clone()),
            stakeholders: roles.ids(
                &roles
                    .of_tip(index)
                    .iter()
                    .copied()
                    .filter(|&role| Some(role) != lead)
                    .collect::<Vec<_>>(),
            ),
            horizon: horizon_text(section.horizon),
            why_now,
            evidence,
            context_assumed: evaluation
                .context_assumed
                .contains(index as usize)
                .then(|| self.assumed_context(tip, answers)),
            after: self.tip_ids(plan.after(self, index)),
            pulled_in_by: self.tip_ids(plan.pulled_in_by(self, index)),
            because,
        })
    }

    /// Every fired rule that recommends or raises a tip, in rule order.
    fn reasons(&self, tip: u32, answers: &Answers, evaluation: &Evaluation) -> Vec<Reason> {
        if !evaluation.recommended.contains(tip as usize) {
            return Vec::new();
        }
        evaluation
            .fired
            .iter()
            .filter_map(|fired| Some((fired, self.rules.get(fired.rule as usize)?)))
            .filter(|(_, rule)| rule.recommend.contains(&tip))
            .map(|(fired, rule)| Reason {
                rule: rule.id.clone(),
                kind: rule.kind,
                template: rule.template.clone(),
                text: rule.because.clone(),
                priority: fired.priority,
                answers: match rule.template {
                    Some(_) => BTreeMap::new(),
                    None => rule
                        .reads
                        .iter()
                        .filter_map(|&question| self.answer_entry(question, answers))
                        .collect(),
                },
            })
            .collect()
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
            .map(|rule| {
                format!(
                    "Regel `{}` is van toepassing, maar de prioriteit leest onbeantwoorde vragen; prioriteit 0 is gebruikt.",
                    rule.id
                )
            })
            .collect();
        let unknown_context = self.unknown_context(answers, evaluation);
        if !unknown_context.is_empty() {
            warnings.push(format!(
                "De context is niet (volledig) ingevuld ({}); tips die daarvan afhangen zijn als van toepassing meegenomen.",
                unknown_context.join(", ")
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
