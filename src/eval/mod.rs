//! Stage 3, answers to recommendations: runs every compiled rule and every `applies`
//! condition on one programme's dense answer vector, with Kleene's three-valued logic
//! for unanswered questions, and decides where each tip stands ([`TipStatus`]): not
//! applicable, recommended (on its own answer or the quick scan), to be established, or
//! clear. Works on the compiled [`RuleSet`] only; it never sees source text.

pub(crate) mod expr;
mod ruletest;
mod status;

pub use ruletest::TestOutcome;
pub use status::{Confidence, TipStatus, Unknown};

use fixedbitset::FixedBitSet;

use crate::ruleset::{QuestionIndex, RuleIndex, RuleKind, RuleSet, TipIndex};
use status::Applies;

/// One programme's answers, one slot per question; NaN marks a missing answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    values: Box<[f64]>,
}

impl Answers {
    /// All questions of `ruleset` unanswered.
    pub fn unanswered(ruleset: &RuleSet) -> Self {
        Answers {
            values: vec![f64::NAN; ruleset.questions().len()].into_boxed_slice(),
        }
    }

    /// The answer to a question, or `None` when it is missing.
    pub fn get(&self, question: QuestionIndex) -> Option<f64> {
        self.values
            .get(question as usize)
            .copied()
            .filter(|value| !value.is_nan())
    }

    /// Records an answer; NaN records a missing one. Out-of-range indices are ignored.
    pub fn set(&mut self, question: QuestionIndex, value: f64) {
        if let Some(slot) = self.values.get_mut(question as usize) {
            *slot = value;
        }
    }

    /// How many questions are answered.
    pub fn answered_count(&self) -> usize {
        self.values.iter().filter(|value| !value.is_nan()).count()
    }

    pub(crate) fn slots(&self) -> &[f64] {
        &self.values
    }
}

/// A rule whose condition was true.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiredRule {
    /// The rule.
    pub rule: RuleIndex,
    /// Its priority (for a raising rule, its amount), clamped to 0–100 and rounded; 0
    /// when it could not be computed.
    pub priority: u8,
    /// False when the priority read unanswered questions and fell back to 0.
    pub priority_known: bool,
}

/// What the rules concluded for one programme, by index: compact, so batch runs and the
/// planner need not touch strings.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Every rule that fired, in rule order.
    pub fired: Vec<FiredRule>,
    /// The recommended tips: those whose status is [`TipStatus::Recommended`].
    pub recommended: FixedBitSet,
    /// Per recommended tip, the highest priority of the rules recommending it plus what
    /// raising rules add, clamped to 0–100; 0 for every other tip.
    pub tip_priority: Vec<u8>,
    /// Tips in place: their own maturity answer reaches the `in_place` level, or their
    /// base rule's condition is false (on the quick scan, say); the planner pulls none
    /// of them in.
    pub in_place: FixedBitSet,
    /// Per tip, where it stands.
    pub status: Vec<TipStatus>,
    /// Tips that apply only because the context their conditions read was not given.
    pub context_assumed: FixedBitSet,
}

impl Evaluation {
    /// The recommended tips, in catalogue order.
    pub fn recommended_tips(&self) -> impl Iterator<Item = TipIndex> + '_ {
        self.recommended.ones().map(|tip| tip as TipIndex)
    }
}

/// The priority a rule without a `priority` line gives.
pub const DEFAULT_PRIORITY: u8 = 50;

impl RuleSet {
    /// Runs every rule on `answers` and decides where each tip stands.
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        let tip_count = self.tips.len();
        let mut evaluation = Evaluation {
            fired: Vec::with_capacity(self.rules.len()),
            recommended: FixedBitSet::with_capacity(tip_count),
            tip_priority: vec![0; tip_count],
            in_place: self.in_place_tips(answers),
            status: vec![TipStatus::Clear; tip_count],
            context_assumed: FixedBitSet::with_capacity(tip_count),
        };
        let mut values = Vec::new();
        expr::evaluate_program(&self.program, answers.slots(), &mut values);
        let value = |node: u32| values.get(node as usize).copied().unwrap_or(f64::NAN);
        let mut proposed = FixedBitSet::with_capacity(tip_count);
        let mut raised = vec![0u32; tip_count];
        for (index, rule) in (0..).zip(&self.rules) {
            if value(rule.when) != 1.0 {
                continue;
            }
            let fired = fire(index, rule.priority.map(value));
            for &tip in &rule.recommend {
                match rule.kind {
                    RuleKind::Recommend => {
                        proposed.insert(tip as usize);
                        if let Some(best) = evaluation.tip_priority.get_mut(tip as usize) {
                            *best = (*best).max(fired.priority);
                        }
                    }
                    RuleKind::Raise => {
                        if let Some(sum) = raised.get_mut(tip as usize) {
                            *sum += u32::from(fired.priority);
                        }
                    }
                }
            }
            evaluation.fired.push(fired);
        }
        let answered = |question: u32| answers.get(question).is_some();
        for (index, tip) in self.tips.iter().enumerate() {
            let status = match self.applies(tip, value) {
                Applies::No(condition) => TipStatus::NotApplicable(condition),
                applies => {
                    if applies == Applies::Assumed {
                        evaluation.context_assumed.insert(index);
                    }
                    let base = tip
                        .base_rule
                        .and_then(|rule| self.rules.get(rule as usize))
                        .map_or(f64::NAN, |rule| value(rule.when));
                    if base == 0.0 {
                        evaluation.in_place.insert(index);
                    }
                    self.applicable_status(tip, proposed.contains(index), base, answered)
                }
            };
            let priority = evaluation.tip_priority.get_mut(index);
            match status {
                TipStatus::Recommended(_) => {
                    evaluation.recommended.insert(index);
                    if let Some(priority) = priority {
                        let extra = raised.get(index).copied().unwrap_or(0);
                        *priority = clamp_priority(f64::from(*priority) + f64::from(extra));
                    }
                }
                _ => {
                    if let Some(priority) = priority {
                        *priority = 0;
                    }
                }
            }
            if let Some(slot) = evaluation.status.get_mut(index) {
                *slot = status;
            }
        }
        evaluation
    }

    /// Tips whose own maturity question is answered at or above the `in_place` param.
    fn in_place_tips(&self, answers: &Answers) -> FixedBitSet {
        let mut in_place = FixedBitSet::with_capacity(self.tips.len());
        let Some(level) = self.in_place else {
            return in_place;
        };
        for (index, tip) in self.tips.iter().enumerate() {
            let answer = tip
                .maturity_question
                .and_then(|question| answers.get(question));
            if answer.is_some_and(|answer| answer >= level) {
                in_place.insert(index);
            }
        }
        in_place
    }
}

/// A fired rule with its priority value (`None` when the rule has no `priority`).
fn fire(rule: RuleIndex, priority: Option<f64>) -> FiredRule {
    let Some(value) = priority else {
        return FiredRule {
            rule,
            priority: DEFAULT_PRIORITY,
            priority_known: true,
        };
    };
    if value.is_nan() {
        return FiredRule {
            rule,
            priority: 0,
            priority_known: false,
        };
    }
    FiredRule {
        rule,
        priority: clamp_priority(value),
        priority_known: true,
    }
}

/// Clamps to 0–100 and rounds half away from zero.
pub fn clamp_priority(value: f64) -> u8 {
    // INVARIANT: the clamped value lies in 0..=100, so the cast cannot truncate.
    value.clamp(0.0, 100.0).round() as u8
}
