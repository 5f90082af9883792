//! Stage 3, answers to recommendations: runs every compiled rule and every `applies`
//! condition on one programme's dense answer vector, with Kleene's three-valued logic
//! for unanswered questions, and decides where each tip stands ([`TipStatus`]): not
//! applicable, recommended (on its own answer or the quick scan), to be established, or
//! clear. Works on the compiled [`RuleSet`] only; it never sees source text.

pub(crate) mod expr;
mod rules;
mod ruletest;
mod status;

pub use ruletest::TestOutcome;
pub use status::{Confidence, TipStatus, Unknown};

use std::cell::RefCell;

use fixedbitset::FixedBitSet;

use crate::ruleset::{QuestionIndex, RuleIndex, RuleSet, Slot, TipIndex};

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

/// What an evaluation needs besides what it returns, kept per thread so that an
/// evaluation allocates only its result.
#[derive(Debug, Default)]
struct Scratch {
    /// The program's value vector.
    values: expr::Values,
    /// Per tip, what raising rules add to its priority.
    raised: Vec<u32>,
    /// What the rules' conditions are.
    scan: rules::RuleScan,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The value in `slot`; unknown for [`NO_SLOT`].
pub(super) fn value(values: &[f64], slot: Slot) -> f64 {
    values.get(slot as usize).copied().unwrap_or(f64::NAN)
}

impl RuleSet {
    /// Runs every rule on `answers` and decides where each tip stands.
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.evaluate_with(answers, &mut scratch),
            Err(_) => self.evaluate_with(answers, &mut Scratch::default()),
        })
    }

    fn evaluate_with(&self, answers: &Answers, scratch: &mut Scratch) -> Evaluation {
        let tip_count = self.tips.len();
        let mut evaluation = Evaluation {
            fired: Vec::new(),
            recommended: FixedBitSet::with_capacity(tip_count),
            tip_priority: vec![0; tip_count],
            in_place: FixedBitSet::with_capacity(tip_count),
            status: vec![TipStatus::Clear; tip_count],
            context_assumed: FixedBitSet::with_capacity(tip_count),
        };
        expr::evaluate_program(&self.program, answers.slots(), &mut scratch.values);
        let values = scratch.values.slots();
        scratch.scan.scan(&self.program, &scratch.values);
        evaluation.fired.reserve_exact(scratch.scan.firing());
        scratch.raised.clear();
        if self.program.raises {
            scratch.raised.resize(tip_count, 0);
        }
        self.fire_rules(&scratch.scan, values, &mut evaluation, &mut scratch.raised);
        self.settle_tips(&scratch.scan, values, &mut evaluation, &scratch.raised);
        evaluation
    }
}

/// Clamps to 0–100 and rounds half away from zero (NaN gives 0).
pub fn clamp_priority(value: f64) -> u8 {
    let clamped = value.clamp(0.0, 100.0);
    // INVARIANT: the clamped value lies in 0..=100 (or is NaN, which casts to 0), so the
    // cast only drops the fraction, and subtracting the whole part is exact. This rounds
    // like `f64::round` without its call into libm.
    let whole = clamped as u8;
    if clamped - f64::from(whole) >= 0.5 {
        whole + 1
    } else {
        whole
    }
}
