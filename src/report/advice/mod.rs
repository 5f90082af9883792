//! The advice for one programme as other tools read it (JSON contract, schema version 3,
//! documented in `docs/advice.md`), built from the compact [`Evaluation`] and [`Plan`].
//! The advice borrows its ids from the [`RuleSet`]; what the rule set already says (texts,
//! leads, a rule's reading of the answers) is left to the catalogue and to the helpers
//! of [`derived`].

mod derived;
mod evidence;
mod findings;
mod json;
mod json_ids;
mod serde_impl;
mod tips;

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::Serialize;

pub use derived::{AdvisedLane, Evidence};
pub use findings::{NotApplicable, ScanFirst, SectionResult, ToEstablish, DEFAULT_MIN_COVERAGE};
pub(crate) use json::{float as json_float, integer as json_integer, string as json_string};
pub(crate) use json_ids::{IdKind, JsonIds};
pub use tips::AdvisedTips;

use crate::eval::{Answers, Confidence, Evaluation, FiredRule, FiredRules, TipSet, TipStatus};
use crate::input::{Assessment, AssessmentError};
use crate::plan::{Plan, PlanStep};
use crate::ruleset::{
    Question, QuestionIndex, RuleIndex, RuleSet, RuleSetInfo, SectionIndex, Tip, TipIndex,
};
use evidence::WhyNowContext;

/// The version of the advice JSON; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

/// The advice for one programme, borrowing ids from the rule set that produced it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice<'r> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The rules that produced this advice.
    pub ruleset: &'r RuleSetInfo,
    /// The programme's id.
    pub programme: String,
    /// The assessment's metadata, carried along.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// The institution profile whose roles the leads and handoffs are in; absent when
    /// the rule set's own stakeholders are used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'r str>,
    /// The team's comment or evidence per question id, carried along from the scan.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub comments: BTreeMap<String, String>,
    /// Every answer the programme gave, once, in questionnaire order.
    #[serde(serialize_with = "serde_impl::answers")]
    pub answers: Vec<GivenAnswer<'r>>,
    /// Per principle and factor, in the rule set's order: its score and coverage.
    pub sections: Vec<SectionResult<'r>>,
    /// The tips of cycle 1 ("Deze cyclus"), in the order the cycle took them.
    pub focus: Vec<&'r str>,
    /// The plan's tips in plan order: cycle, then phase, rank and document order. The
    /// recommended tips and the prerequisites pulled in for them, with their reasons and
    /// links ([`AdvisedTips::because`], [`AdvisedTips::after`],
    /// [`AdvisedTips::pulled_in_by`]).
    pub tips: AdvisedTips<'r>,
    /// Sections whose scan is too incomplete to advise on: complete it first.
    pub scan_first: Vec<ScanFirst<'r>>,
    /// Tips that apply but whose state is not known ("Eerst uitzoeken"), most important
    /// first.
    pub to_establish: Vec<ToEstablish<'r>>,
    /// Tips the programme's context rules out, in document order.
    pub not_applicable: Vec<NotApplicable<'r>>,
    /// The plan's dependency edges between tips with different leads.
    pub handoffs: Vec<AdvisedHandoff<'r>>,
    /// What the reader should know about this advice, in Dutch.
    pub warnings: Vec<String>,
}

/// One answer a programme gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GivenAnswer<'r> {
    /// The question's index in the rule set.
    pub index: QuestionIndex,
    /// The question.
    pub question: &'r Question,
    /// The answer as the rules read it: a number, 0/1 for yes/no, an option's index.
    pub value: f64,
}

/// One tip of the plan. Its lists (reasons, prerequisites, the tips that pulled it in)
/// are kept by the advice's [`AdvisedTips`], which gives them as slices.
#[derive(Debug, Clone, PartialEq)]
pub struct AdvisedTip<'r> {
    /// The tip's index in the rule set.
    pub index: TipIndex,
    /// The tip's id.
    pub id: &'r str,
    /// 1 "Deze cyclus", 2 "Volgende cyclus", 3 "Later".
    pub cycle: u8,
    /// The dependency phase, from 1: after every tip in `after`.
    pub phase: u32,
    /// 0–100: the rules' priority; for a pulled-in tip, the highest of the plan tips
    /// that need it.
    pub priority: u8,
    /// `quick_scan` when only its section's quick scan was answered, `unanswered` when
    /// neither was; left out of the JSON for `answered`.
    pub confidence: Confidence,
    /// For a cycle-1 tip: why now, in Dutch.
    pub why_now: Option<String>,
    /// Set when the tip applies only because the context was not given, saying which.
    pub context_assumed: Option<String>,
    /// Where its prerequisites lie in the advice's links.
    after: tips::Span,
    /// Where the plan tips that need it lie in the advice's links.
    pulled_in_by: tips::Span,
    /// Where its reasons lie in the advice's reasons.
    because: tips::Span,
}

/// One rule's reason for a tip: the rule and the priority it gave. Its kind, template,
/// text and the questions it read are the rule set's ([`RuleSet::rules`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reason<'r> {
    /// The rule's index in the rule set.
    pub index: RuleIndex,
    /// The rule's id.
    pub rule: &'r str,
    /// The priority this rule gave, or the amount a raising rule added.
    pub priority: u8,
}

/// A dependency edge of the plan where work passes between leads: the lead of `to`
/// waits for the lead of `from`. The leads are the tips' leads in the rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AdvisedHandoff<'r> {
    /// The prerequisite tip's index.
    #[serde(skip)]
    pub from_index: TipIndex,
    /// The tip's index that waits for it.
    #[serde(skip)]
    pub to_index: TipIndex,
    /// The prerequisite tip.
    pub from: &'r str,
    /// The tip that waits for it.
    pub to: &'r str,
}

thread_local! {
    /// The plan's buffers, reused by every advice built on this thread.
    static PLAN: RefCell<Plan> = RefCell::new(Plan::default());
}

impl RuleSet {
    /// Checks an assessment and advises the programme.
    pub fn advise(&self, assessment: &Assessment) -> Result<Advice<'_>, AssessmentError> {
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
    ) -> Advice<'_> {
        PLAN.with(|plan| match plan.try_borrow_mut() {
            Ok(mut plan) => {
                self.plan_into(evaluation, &mut plan);
                self.build_planned_advice(programme, answers, evaluation, &plan)
            }
            Err(_) => {
                self.build_planned_advice(programme, answers, evaluation, &self.plan(evaluation))
            }
        })
    }

    /// Turns an evaluation and its plan (from [`RuleSet::plan`] or
    /// [`RuleSet::plan_into`]) into the advice document.
    pub fn build_planned_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> Advice<'_> {
        let tips = self.advised_tips(answers, evaluation, plan);
        let handoffs = self.advised_handoffs(plan, &tips);
        let (sections, scan_first) = self.section_findings(answers);
        let (to_establish, not_applicable) = self.open_and_ruled_out(evaluation);
        Advice {
            schema_version: SCHEMA_VERSION,
            ruleset: &self.info,
            programme: programme.to_owned(),
            meta: BTreeMap::new(),
            profile: self.roles().profile(),
            comments: BTreeMap::new(),
            answers: self.given_answers(answers),
            sections,
            focus: self.focus_ids(plan),
            tips,
            scan_first,
            to_establish,
            not_applicable,
            handoffs,
            warnings: self.advice_warnings(answers, evaluation),
        }
    }

    /// The answers given, in questionnaire order: one walk over the questions beside
    /// the answers' slots (NaN is a missing answer).
    #[inline(never)]
    fn given_answers(&self, answers: &Answers) -> Vec<GivenAnswer<'_>> {
        let mut given = Vec::with_capacity(self.questions.len());
        let mut index = QuestionIndex::new(0);
        for (question, &value) in self.questions.iter().zip(answers.slots()) {
            if !value.is_nan() {
                given.push(GivenAnswer {
                    index,
                    question,
                    value,
                });
            }
            index = QuestionIndex::new(index.get() + 1);
        }
        given
    }

    /// The plan's handoffs ([`Plan::handoffs`]), from the `after` links of the advised
    /// tips, which are the plan's edges: those between tips with different leads,
    /// ordered by the plan position of the prerequisite, then of the tip that waits.
    #[inline(never)]
    fn advised_handoffs<'r>(
        &'r self,
        plan: &Plan,
        tips: &AdvisedTips<'r>,
    ) -> Vec<AdvisedHandoff<'r>> {
        // A handoff is an `after` link: without links there is none to look for.
        if !tips.has_links() {
            return Vec::new();
        }
        let roles = self.roles();
        // Each with its plan positions, looked up once rather than at every comparison.
        let mut keyed = Vec::new();
        for tip in tips {
            let Some(to_lead) = roles.lead_of(tip.index) else {
                continue;
            };
            let to_position = plan.position(tip.index);
            for (&from_index, &from) in tips.after_tips(tip).iter().zip(tips.after(tip)) {
                if roles
                    .lead_of(from_index)
                    .is_some_and(|from_lead| from_lead != to_lead)
                {
                    let handoff = AdvisedHandoff {
                        from_index,
                        to_index: tip.index,
                        from,
                        to: tip.id,
                    };
                    keyed.push(((plan.position(from_index), to_position), handoff));
                }
            }
        }
        // INVARIANT: an edge appears once, so no two keys are equal and the unstable
        // sort gives the order of the plan's stable one.
        keyed.sort_unstable_by_key(|&(positions, _)| positions);
        let mut handoffs = Vec::with_capacity(keyed.len());
        handoffs.extend(keyed.into_iter().map(|(_, handoff)| handoff));
        handoffs
    }

    fn tip_ids(&self, tips: impl Iterator<Item = TipIndex>) -> impl Iterator<Item = &str> {
        tips.filter_map(|tip| self.tip(tip))
            .map(|tip| tip.id.as_str())
    }

    /// The tips with their ids, for the links of [`AdvisedTips`].
    fn tip_links(
        &self,
        tips: impl Iterator<Item = TipIndex>,
    ) -> impl Iterator<Item = (TipIndex, &str)> {
        tips.filter_map(|index| Some((index, self.tip(index)?.id.as_str())))
    }

    /// The ids of the plan's cycle-1 tips, in the order the cycle took them.
    fn focus_ids(&self, plan: &Plan) -> Vec<&str> {
        let mut focus = Vec::with_capacity(plan.focus().len());
        focus.extend(self.tip_ids(plan.focus().iter().copied()));
        focus
    }

    /// The plan's tips in plan order, with their reasons and links: one tight pass
    /// writes every tip with its reasons (the common tip is complete then), a second
    /// adds what few tips have: cycle 1's `why_now`, the links and the context assumed.
    pub(crate) fn advised_tips(
        &self,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> AdvisedTips<'_> {
        // Links exist only where tips list prerequisites.
        let linked = self.planning.dependent_order.len() > 0;
        let mut tips = AdvisedTips::with_capacity(plan.len(), linked);
        self.push_tips(&mut tips, answers, evaluation, plan.steps());
        let facts = StepFacts {
            answers,
            assumed: evaluation.context_assumed(),
            plan,
        };
        self.complete_tips(&mut tips, facts, linked);
        tips
    }

    /// Appends a tip for each step with its reasons; its confidence is its status's
    /// for a recommended tip, its evidence's for another. Nothing else is read per tip.
    #[inline(never)]
    fn push_tips<'r>(
        &'r self,
        tips: &mut AdvisedTips<'r>,
        answers: &Answers,
        evaluation: &Evaluation,
        steps: &[PlanStep],
    ) {
        let fired = evaluation.fired();
        let status = evaluation.status();
        let recommended = evaluation.recommended();
        let (advised, reasons) = tips.tips_and_reasons();
        for &step in steps {
            let index = step.tip;
            let Some(tip) = self.tips.get(index.index()) else {
                continue;
            };
            let confidence = match status.get(index.index()) {
                Some(TipStatus::Recommended(confidence)) => confidence,
                _ => self.unrecommended_confidence(tip, answers),
            };
            let start = reasons.len();
            if recommended.contains(index.index()) {
                self.push_reasons(reasons, index, &fired);
            }
            advised.push(AdvisedTip {
                index,
                id: tip.id.as_str(),
                cycle: step.cycle,
                phase: step.phase,
                priority: step.priority,
                confidence,
                why_now: None,
                context_assumed: None,
                after: tips::Span::default(),
                pulled_in_by: tips::Span::default(),
                because: tips::Span::since(start, reasons.len()),
            });
        }
    }

    /// Every fired rule that recommends or raises `tip` (a recommended tip), in rule
    /// order, from the per-tip index of rules, appended to `reasons`.
    #[inline]
    fn push_reasons<'r>(
        &'r self,
        reasons: &mut Vec<Reason<'r>>,
        tip: TipIndex,
        fired: &FiredRules<'_>,
    ) {
        for &rule in self.tip_rules.of(tip) {
            let Some(FiredRule { priority, .. }) = fired.get(rule) else {
                continue;
            };
            if let Some(decl) = self.rules.get(rule.index()) {
                reasons.push(Reason {
                    index: rule,
                    rule: decl.id.as_str(),
                    priority,
                });
            }
        }
    }

    /// The confidence of a plan tip that is not recommended (a pulled-in prerequisite):
    /// from its evidence.
    #[inline(never)]
    fn unrecommended_confidence(&self, tip: &Tip, answers: &Answers) -> Confidence {
        self.evidence_confidence(tip, answers)
    }

    /// Adds to the advised tips what the first pass left out: the `why_now` of the
    /// cycle-1 tips (the plan's first), and, where the rule set has prerequisites or a
    /// context was assumed, each tip's links and assumed context. Steps and tips are
    /// walked side by side (a step whose tip the rule set lacks has no tip).
    #[inline(never)]
    fn complete_tips<'r>(&'r self, tips: &mut AdvisedTips<'r>, facts: StepFacts<'_>, linked: bool) {
        let steps = facts.plan.steps();
        let mut next = 0;
        for &step in steps.iter().take_while(|step| step.cycle == 1) {
            let Some(position) = aligned(tips, &mut next, step) else {
                continue;
            };
            self.add_why_now(tips, position, step, facts);
        }
        let assumed = facts.assumed.as_slice().iter().any(|&word| word != 0);
        if !linked && !assumed {
            return;
        }
        let mut next = 0;
        for &step in steps {
            let Some(position) = aligned(tips, &mut next, step) else {
                continue;
            };
            self.add_links_and_context(tips, position, step, facts);
        }
    }

    /// Sets the `why_now` of the cycle-1 tip at `position`.
    fn add_why_now<'r>(
        &'r self,
        tips: &mut AdvisedTips<'r>,
        position: usize,
        step: PlanStep,
        facts: StepFacts<'_>,
    ) {
        let (Some(tip), Some(advised)) = (self.tip(step.tip), tips.get(position)) else {
            return;
        };
        let context = WhyNowContext {
            answers: facts.answers,
            confidence: advised.confidence,
            because: tips.because(advised),
            plan: facts.plan,
        };
        let why_now = self.why_now(step, tip, context);
        if let Some(advised) = tips.tip_mut(position) {
            advised.why_now = Some(why_now);
        }
    }

    /// Sets the links (`after`, `pulled_in_by`) and the assumed context of the tip at
    /// `position`, where it has them. Most tips list no prerequisite, and only a
    /// pulled-in tip has tips that pulled it in: the others skip the plan's lookups.
    fn add_links_and_context<'r>(
        &'r self,
        tips: &mut AdvisedTips<'r>,
        position: usize,
        step: PlanStep,
        facts: StepFacts<'_>,
    ) {
        let index = step.tip;
        let after = self
            .planning
            .has_prerequisites(index)
            .then(|| tips.push_links(self.tip_links(facts.plan.after(self, index))));
        let pulled_in_by = step
            .pulled_in
            .then(|| tips.push_links(self.tip_links(facts.plan.pulled_in_by(self, index))));
        let context_assumed = match (facts.assumed.contains(index.index()), self.tip(index)) {
            (true, Some(tip)) => Some(self.assumed_context(tip, facts.answers)),
            _ => None,
        };
        let Some(advised) = tips.tip_mut(position) else {
            return;
        };
        if let Some(after) = after {
            advised.after = after;
        }
        if let Some(pulled_in_by) = pulled_in_by {
            advised.pulled_in_by = pulled_in_by;
        }
        if context_assumed.is_some() {
            advised.context_assumed = context_assumed;
        }
    }

    #[inline(never)]
    fn advice_warnings(&self, answers: &Answers, evaluation: &Evaluation) -> Vec<String> {
        let mut warnings: Vec<String> = evaluation
            .fired()
            .iter()
            .filter(|fired| !fired.priority_known)
            .filter_map(|fired| self.rules.get(fired.rule.index()))
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

/// What completing the advised tips reads besides the tips themselves.
#[derive(Debug, Clone, Copy)]
struct StepFacts<'a> {
    answers: &'a Answers,
    /// The tips whose context was assumed.
    assumed: TipSet<'a>,
    plan: &'a Plan,
}

/// The position among the advised tips of `step`'s tip, where `next` is the position
/// after the last one matched: a step whose tip the rule set lacks made no tip.
fn aligned(tips: &AdvisedTips<'_>, next: &mut usize, step: PlanStep) -> Option<usize> {
    let position = *next;
    let matches = tips.get(position).is_some_and(|tip| tip.index == step.tip);
    if matches {
        *next += 1;
    }
    matches.then_some(position)
}

impl Advice<'_> {
    /// The section result of a section index, if the advice has it.
    pub fn section(&self, section: SectionIndex) -> Option<&SectionResult<'_>> {
        self.sections.get(section.index())
    }
}

#[cfg(all(test, feature = "synthetic"))]
mod tests {
    use crate::input::Cohort;
    use crate::report::synthetic_assessment;
    use crate::ruleset::RuleSet;

    #[test]
    fn the_advice_has_the_handoffs_of_its_plan() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let mut total = 0;
        for programme in Cohort::new(&ruleset, 200, 5) {
            let assessment = synthetic_assessment(&ruleset, programme);
            let answers = ruleset.answers(&assessment).unwrap();
            let evaluation = ruleset.evaluate(&answers);
            let plan = ruleset.plan(&evaluation);
            let advice = ruleset.build_planned_advice("p", &answers, &evaluation, &plan);
            let advised: Vec<_> = advice
                .handoffs
                .iter()
                .map(|handoff| (handoff.from_index, handoff.to_index))
                .collect();
            let planned: Vec<_> = plan
                .handoffs(&ruleset)
                .iter()
                .map(|handoff| (handoff.from, handoff.to))
                .collect();
            assert_eq!(advised, planned);
            total += advised.len();
        }
        assert!(total > 0, "the cohort's plans have handoffs");
    }
}
