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
use std::fmt;

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
    CompiledRule, Question, QuestionIndex, RuleIndex, RuleSet, RuleSetInfo, SectionIndex, Tip,
    TipIndex,
};

/// The version of the advice JSON; raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 3;

/// The advice for one programme, borrowing ids from the rule set that produced it.
///
/// Besides its public fields it holds the rule set, the programme's answers and their
/// evaluation, from which it gives what is cheaper to compute when asked than to keep:
/// the answers given ([`Advice::answers`]), a plan tip's reasons ([`Advice::because`])
/// and Dutch texts ([`Advice::why_now`], [`Advice::context_assumed`]), and the warnings
/// ([`Advice::warnings`]). Its `serde` form is the JSON contract
/// (`serde_impl`), the same bytes as [`Advice::write_json`].
#[derive(Debug, Clone, PartialEq)]
pub struct Advice<'r> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The rules that produced this advice.
    pub ruleset: &'r RuleSetInfo,
    /// The programme's id.
    pub programme: String,
    /// The assessment's metadata, carried along.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// The institution profile whose roles the leads and handoffs are in; absent when
    /// the rule set's own stakeholders are used.
    pub profile: Option<&'r str>,
    /// The team's comment or evidence per question id, carried along from the scan.
    pub comments: BTreeMap<String, String>,
    /// The rule set, the programme's answers and their evaluation.
    held: Held<'r>,
    /// Per principle and factor, in the rule set's order: its score and coverage.
    pub sections: Vec<SectionResult<'r>>,
    /// The tips of cycle 1 ("Deze cyclus"), in the order the cycle took them.
    pub focus: Vec<&'r str>,
    /// The plan's tips in plan order: cycle, then phase, rank and document order. The
    /// recommended tips and the prerequisites pulled in for them, with their links
    /// ([`AdvisedTips::after`], [`AdvisedTips::pulled_in_by`]) and reasons
    /// ([`Advice::because`]).
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

/// One tip of the plan. Its links (prerequisites, the tips that pulled it in) are kept
/// by the advice's [`AdvisedTips`], which gives them as slices; its reasons and Dutch
/// texts are the advice's to compute ([`Advice::because`], [`Advice::why_now`],
/// [`Advice::context_assumed`]), so a tip owns nothing and dropping the advice does not
/// walk its tips.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// Whether it applies only because the context was not given.
    assumed: bool,
    /// Where its prerequisites lie in the advice's links.
    after: tips::Span,
    /// Where the plan tips that need it lie in the advice's links.
    pulled_in_by: tips::Span,
}

impl AdvisedTip<'_> {
    /// Whether the tip has a `why_now` ([`Advice::why_now`]): every tip of cycle 1 has.
    pub fn has_why_now(&self) -> bool {
        self.cycle == 1
    }

    /// Whether the tip applies only because the context was not given; the note that
    /// says which context is [`Advice::context_assumed`].
    pub fn assumes_context(&self) -> bool {
        self.assumed
    }
}

/// What an advice computes from when asked: the rule set that produced it, the
/// programme's answers and their evaluation, moved in by [`RuleSet::advise`] (copies
/// where the builder was lent them).
#[derive(Clone)]
struct Held<'r> {
    rules: &'r RuleSet,
    answers: Answers,
    evaluation: Evaluation,
}

impl fmt::Debug for Held<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Held")
            .field("answers", &self.answers)
            .field("evaluation", &self.evaluation)
            .finish_non_exhaustive()
    }
}

/// Two advices' answers are equal when the same questions were answered alike (a
/// missing answer is NaN, which no comparison of `f64`s finds equal), and their
/// evaluations when they are; their rule sets are compared by the advices' `ruleset`.
impl PartialEq for Held<'_> {
    fn eq(&self, other: &Self) -> bool {
        let (ours, theirs) = (self.answers.slots(), other.answers.slots());
        ours.len() == theirs.len()
            && ours
                .iter()
                .zip(theirs)
                .all(|(ours, theirs)| ours == theirs || (ours.is_nan() && theirs.is_nan()))
            && self.evaluation == other.evaluation
    }
}

/// The reasons of a plan tip, in rule order ([`Advice::because`]): every rule that fired
/// and recommends or raises it, read from the per-tip index of rules and the
/// evaluation's fired rules; none for a tip that is not recommended (a pulled-in
/// prerequisite).
#[derive(Debug, Clone)]
pub struct Reasons<'a, 'r> {
    rules: &'r [CompiledRule],
    /// The rules that recommend or raise the tip, not read yet.
    candidates: std::slice::Iter<'r, RuleIndex>,
    fired: FiredRules<'a>,
}

impl<'r> Iterator for Reasons<'_, 'r> {
    type Item = Reason<'r>;

    #[inline]
    fn next(&mut self) -> Option<Reason<'r>> {
        loop {
            let &rule = self.candidates.next()?;
            let Some(FiredRule { priority, .. }) = self.fired.get(rule) else {
                continue;
            };
            if let Some(decl) = self.rules.get(rule.index()) {
                return Some(Reason {
                    index: rule,
                    rule: decl.id.as_str(),
                    priority,
                });
            }
        }
    }
}

/// The answers an advice holds as [`GivenAnswer`]s, in questionnaire order
/// ([`Advice::answers`]).
#[derive(Debug, Clone)]
pub struct GivenAnswers<'a, 'r> {
    questions: std::slice::Iter<'r, Question>,
    values: std::slice::Iter<'a, f64>,
    /// The index of the next question.
    next: u32,
}

impl<'r> Iterator for GivenAnswers<'_, 'r> {
    type Item = GivenAnswer<'r>;

    fn next(&mut self) -> Option<GivenAnswer<'r>> {
        loop {
            let (question, &value) = (self.questions.next()?, self.values.next()?);
            let index = QuestionIndex::new(self.next);
            self.next += 1;
            if !value.is_nan() {
                return Some(GivenAnswer {
                    index,
                    question,
                    value,
                });
            }
        }
    }
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
        let mut advice = self.build_advice_from(&assessment.programme, answers, evaluation);
        advice.meta = assessment.meta.clone();
        advice.comments = assessment.comments.clone();
        Ok(advice)
    }

    /// Turns an evaluation into the advice document, planning it first. The advice
    /// holds copies of `answers` and `evaluation`; [`RuleSet::build_advice_from`] takes
    /// them instead.
    pub fn build_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Advice<'_> {
        self.build_advice_from(programme, answers.clone(), evaluation.clone())
    }

    /// [`RuleSet::build_advice`] of answers and their evaluation that the advice then
    /// holds, without copies.
    pub fn build_advice_from(
        &self,
        programme: &str,
        answers: Answers,
        evaluation: Evaluation,
    ) -> Advice<'_> {
        PLAN.with(|plan| match plan.try_borrow_mut() {
            Ok(mut plan) => {
                self.plan_into(&evaluation, &mut plan);
                self.build_planned_advice_from(programme, answers, evaluation, &plan)
            }
            Err(_) => {
                let plan = self.plan(&evaluation);
                self.build_planned_advice_from(programme, answers, evaluation, &plan)
            }
        })
    }

    /// Turns an evaluation and its plan (from [`RuleSet::plan`] or
    /// [`RuleSet::plan_into`]) into the advice document. The advice holds copies of
    /// `answers` and `evaluation`; [`RuleSet::build_planned_advice_from`] takes them
    /// instead.
    pub fn build_planned_advice(
        &self,
        programme: &str,
        answers: &Answers,
        evaluation: &Evaluation,
        plan: &Plan,
    ) -> Advice<'_> {
        self.build_planned_advice_from(programme, answers.clone(), evaluation.clone(), plan)
    }

    /// [`RuleSet::build_planned_advice`] of answers and their evaluation that the advice
    /// then holds, without copies.
    pub fn build_planned_advice_from(
        &self,
        programme: &str,
        answers: Answers,
        evaluation: Evaluation,
        plan: &Plan,
    ) -> Advice<'_> {
        let tips = self.advised_tips(&answers, &evaluation, plan);
        let handoffs = self.advised_handoffs(plan, &tips);
        let (sections, scan_first) = self.section_findings(&answers);
        let (to_establish, not_applicable) = self.open_and_ruled_out(&evaluation);
        Advice {
            schema_version: SCHEMA_VERSION,
            ruleset: &self.info,
            programme: programme.to_owned(),
            meta: BTreeMap::new(),
            profile: self.roles().profile(),
            comments: BTreeMap::new(),
            held: Held {
                rules: self,
                answers,
                evaluation,
            },
            sections,
            focus: self.focus_ids(plan),
            tips,
            scan_first,
            to_establish,
            not_applicable,
            handoffs,
        }
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

    /// The plan's tips in plan order, with their links: one tight pass writes every tip
    /// (the common tip is complete then), a second adds what few tips have: the links
    /// and whether a context was assumed.
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
        let assumed = evaluation.context_assumed();
        let any_assumed = assumed.as_slice().iter().any(|&word| word != 0);
        if linked || any_assumed {
            self.complete_tips(&mut tips, plan, assumed);
        }
        tips
    }

    /// Appends a tip for each step; its confidence is its status's for a recommended
    /// tip, its evidence's for another. Nothing else is read per tip.
    #[inline(never)]
    fn push_tips<'r>(
        &'r self,
        tips: &mut AdvisedTips<'r>,
        answers: &Answers,
        evaluation: &Evaluation,
        steps: &[PlanStep],
    ) {
        let status = evaluation.status();
        let advised = tips.tips_mut();
        for &step in steps {
            let index = step.tip;
            let Some(tip) = self.tips.get(index.index()) else {
                continue;
            };
            let confidence = match status.get(index.index()) {
                Some(TipStatus::Recommended(confidence)) => confidence,
                _ => self.unrecommended_confidence(tip, answers),
            };
            advised.push(AdvisedTip {
                index,
                id: tip.id.as_str(),
                cycle: step.cycle,
                phase: step.phase,
                priority: step.priority,
                confidence,
                assumed: false,
                after: tips::Span::default(),
                pulled_in_by: tips::Span::default(),
            });
        }
    }

    /// The reasons of `tip` in `evaluation` ([`Reasons`]): the fired rules that
    /// recommend or raise it when it is recommended, in rule order; none otherwise.
    pub(crate) fn tip_reasons<'a, 'r>(
        &'r self,
        evaluation: &'a Evaluation,
        tip: TipIndex,
    ) -> Reasons<'a, 'r> {
        let candidates = match evaluation.recommended().contains(tip.index()) {
            true => self.tip_rules.of(tip),
            false => &[],
        };
        Reasons {
            rules: &self.rules,
            candidates: candidates.iter(),
            fired: evaluation.fired(),
        }
    }

    /// The confidence of a plan tip that is not recommended (a pulled-in prerequisite):
    /// from its evidence.
    #[inline(never)]
    fn unrecommended_confidence(&self, tip: &Tip, answers: &Answers) -> Confidence {
        self.evidence_confidence(tip, answers)
    }

    /// Adds to the advised tips what the first pass left out, where the rule set has
    /// prerequisites or a context was assumed: each tip's links and whether its context
    /// was assumed. Steps and tips are walked side by side (a step whose tip the rule set
    /// lacks has no tip).
    #[inline(never)]
    fn complete_tips<'r>(&'r self, tips: &mut AdvisedTips<'r>, plan: &Plan, assumed: TipSet<'_>) {
        let mut next = 0;
        for &step in plan.steps() {
            let Some(position) = aligned(tips, &mut next, step) else {
                continue;
            };
            self.add_links_and_context(tips, position, step, plan, assumed);
        }
    }

    /// Sets the links (`after`, `pulled_in_by`) of the tip at `position`, where it has
    /// them, and whether its context was assumed. Most tips list no prerequisite, and
    /// only a pulled-in tip has tips that pulled it in: the others skip the plan's
    /// lookups.
    fn add_links_and_context<'r>(
        &'r self,
        tips: &mut AdvisedTips<'r>,
        position: usize,
        step: PlanStep,
        plan: &Plan,
        assumed: TipSet<'_>,
    ) {
        let index = step.tip;
        let after = self
            .planning
            .has_prerequisites(index)
            .then(|| tips.push_links(self.tip_links(plan.after(self, index))));
        let pulled_in_by = step
            .pulled_in
            .then(|| tips.push_links(self.tip_links(plan.pulled_in_by(self, index))));
        let Some(advised) = tips.tip_mut(position) else {
            return;
        };
        if let Some(after) = after {
            advised.after = after;
        }
        if let Some(pulled_in_by) = pulled_in_by {
            advised.pulled_in_by = pulled_in_by;
        }
        advised.assumed = assumed.contains(index.index());
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

impl<'r> Advice<'r> {
    /// The section result of a section index, if the advice has it.
    pub fn section(&self, section: SectionIndex) -> Option<&SectionResult<'_>> {
        self.sections.get(section.index())
    }

    /// Every answer the programme gave, once, in questionnaire order (the JSON's
    /// `answers`). The advice holds the answers as the rules read them
    /// ([`Advice::answer_values`]) and gives each given one when asked, rather than
    /// keeping a list of them beside.
    pub fn answers(&self) -> GivenAnswers<'_, 'r> {
        GivenAnswers {
            questions: self.held.rules.questions.iter(),
            values: self.held.answers.slots().iter(),
            next: 0,
        }
    }

    /// The programme's answers as the rules read them, one slot per question (what
    /// [`RuleSet::evaluate`] took).
    pub fn answer_values(&self) -> &Answers {
        &self.held.answers
    }

    /// The evaluation of the answers the advice was built from: every rule that fired
    /// and where each tip stands.
    pub fn evaluation(&self) -> &Evaluation {
        &self.held.evaluation
    }

    /// Every rule that recommended or raised `tip`, in rule order (the JSON's
    /// `because`); none for a pulled-in tip. Read when asked from the evaluation the
    /// advice holds, rather than kept per tip.
    pub fn because(&self, tip: &AdvisedTip<'_>) -> Reasons<'_, 'r> {
        self.held
            .rules
            .tip_reasons(&self.held.evaluation, tip.index)
    }

    /// What the reader should know about this advice, in Dutch (the JSON's
    /// `warnings`): the rules that fired with a priority read from unanswered questions,
    /// and the context left open that tips were assumed to apply under. Computed when
    /// asked, from the answers and the evaluation the advice holds.
    pub fn warnings(&self) -> Vec<String> {
        self.held
            .rules
            .advice_warnings(&self.held.answers, &self.held.evaluation)
    }

    /// For a tip of cycle 1 ([`AdvisedTip::has_why_now`]): why now, in Dutch (the
    /// JSON's `why_now`); `None` for the other tips. Computed when asked from the rule
    /// set, the answers and the tip's reasons and links, which the advice holds, so that
    /// building an advice writes no text.
    pub fn why_now(&self, tip: &AdvisedTip<'_>) -> Option<String> {
        let held = &self.held;
        held.rules
            .advised_why_now(&self.tips, tip, (&held.answers, &held.evaluation))
    }

    /// For a tip that applies only because the context was not given
    /// ([`AdvisedTip::assumes_context`]): which context, in Dutch (the JSON's
    /// `context_assumed`); `None` for the other tips. Computed when asked, like
    /// [`Advice::why_now`].
    pub fn context_assumed(&self, tip: &AdvisedTip<'_>) -> Option<String> {
        self.held
            .rules
            .advised_context_assumed(tip, &self.held.answers)
    }

    /// The rule set that produced the advice.
    pub(crate) fn rules(&self) -> &'r RuleSet {
        self.held.rules
    }
}

#[cfg(test)]
#[cfg(feature = "synthetic")]
mod tests {
    use proptest::prelude::*;

    use super::Reason;
    use crate::eval::Answers;
    use crate::input::Cohort;
    use crate::report::synthetic_assessment;
    use crate::ruleset::{QuestionIndex, RuleSet};

    /// The Roadmap, compiled once for the tests of this module.
    fn roadmap() -> &'static RuleSet {
        static ROADMAP: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
        ROADMAP.get_or_init(|| RuleSet::roadmap().unwrap().into_ruleset())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// What the advice computes when asked is what it would have kept: the answers
        /// given are the answered slots in questionnaire order, a tip's reasons are the
        /// fired rules that name it (every fired rule read, the oracle), for recommended
        /// tips only, and `why_now` is there exactly for cycle 1.
        #[test]
        fn what_the_advice_computes_is_what_it_holds(seed in 0_u64..10_000) {
            let ruleset = roadmap();
            for programme in Cohort::new(ruleset, 4, seed) {
                let assessment = synthetic_assessment(ruleset, programme);
                let answers = ruleset.answers(&assessment).unwrap();
                let evaluation = ruleset.evaluate(&answers);
                let advice = ruleset.build_advice("p", &answers, &evaluation);
                let given: Vec<_> = advice
                    .answers()
                    .map(|answer| (answer.index, answer.question.id.as_str(), answer.value))
                    .collect();
                let slots: Vec<_> = ruleset
                    .questions()
                    .iter()
                    .enumerate()
                    .filter_map(|(position, question)| {
                        let index = QuestionIndex::new(u32::try_from(position).unwrap());
                        let value = answers.get(index)?;
                        Some((index, question.id.as_str(), value))
                    })
                    .collect();
                prop_assert_eq!(given, slots);
                let bits = |answers: &Answers| -> Vec<u64> {
                    answers.slots().iter().map(|value| value.to_bits()).collect()
                };
                prop_assert_eq!(bits(advice.answer_values()), bits(&answers));
                for tip in advice.tips.iter() {
                    let reasons: Vec<Reason<'_>> = advice.because(tip).collect();
                    let fired: Vec<Reason<'_>> = evaluation
                        .fired()
                        .iter()
                        .filter(|_| evaluation.recommended().contains(tip.index.index()))
                        .filter_map(|fired| {
                            let rule = ruleset.rules.get(fired.rule.index())?;
                            rule.recommend.contains(&tip.index).then_some(Reason {
                                index: fired.rule,
                                rule: rule.id.as_str(),
                                priority: fired.priority,
                            })
                        })
                        .collect();
                    prop_assert_eq!(reasons, fired);
                    prop_assert_eq!(advice.why_now(tip).is_some(), tip.cycle == 1);
                    prop_assert_eq!(
                        advice.context_assumed(tip).is_some(),
                        evaluation.context_assumed().contains(tip.index.index())
                    );
                }
                let owned = ruleset.build_advice_from("p", answers.clone(), evaluation.clone());
                prop_assert_eq!(&owned, &advice);
            }
        }
    }

    #[test]
    fn advices_of_the_same_answers_are_equal_though_missing_answers_are_nan() {
        let ruleset = roadmap();
        let answers = Answers::unanswered(ruleset);
        let evaluation = ruleset.evaluate(&answers);
        let advice = ruleset.build_advice("p", &answers, &evaluation);
        assert_eq!(advice.answers().count(), 0);
        assert_eq!(advice, advice.clone());
        let mut other = answers.clone();
        other.set(QuestionIndex::new(0), 1.0);
        let changed = ruleset.build_advice("p", &other, &ruleset.evaluate(&other));
        assert_ne!(advice, changed);
    }

    #[test]
    fn the_advice_has_the_handoffs_of_its_plan() {
        let ruleset = roadmap();
        let mut total = 0;
        for programme in Cohort::new(ruleset, 200, 5) {
            let assessment = synthetic_assessment(ruleset, programme);
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
                .handoffs(ruleset)
                .iter()
                .map(|handoff| (handoff.from, handoff.to))
                .collect();
            assert_eq!(advised, planned);
            total += advised.len();
        }
        assert!(total > 0, "the cohort's plans have handoffs");
    }
}
