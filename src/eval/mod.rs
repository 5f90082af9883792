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

use std::cell::RefCell;

use fixedbitset::FixedBitSet;

use crate::ruleset::{QuestionIndex, RuleCode, RuleIndex, RuleSet, Slot, TipIndex, NO_SLOT};

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
            fired: Vec::with_capacity(self.rules.len()),
            recommended: FixedBitSet::with_capacity(tip_count),
            tip_priority: vec![0; tip_count],
            in_place: FixedBitSet::with_capacity(tip_count),
            status: vec![TipStatus::Clear; tip_count],
            context_assumed: FixedBitSet::with_capacity(tip_count),
        };
        expr::evaluate_program(&self.program, answers.slots(), &mut scratch.values);
        scratch.raised.clear();
        if self.program.raises {
            scratch.raised.resize(tip_count, 0);
        }
        let values = scratch.values.slots();
        self.fire_rules(values, &mut evaluation, &mut scratch.raised);
        self.settle_tips(values, &mut evaluation, &scratch.raised);
        evaluation
    }

    /// Runs the rules: every rule whose condition is true fires; a recommending rule
    /// proposes its tips (in `recommended`, for now) with its priority, a raising one
    /// adds its amount to `raised`.
    fn fire_rules(&self, values: &[f64], evaluation: &mut Evaluation, raised: &mut [u32]) {
        let program = &self.program;
        let bits = usize::BITS as usize;
        for (block, whens) in program.whens.chunks(bits).enumerate() {
            // Which rules of the block fire, without a branch per rule.
            let mut fire_bits = 0usize;
            for (bit, &when) in whens.iter().enumerate() {
                fire_bits |= usize::from(value(values, when) == 1.0) << bit;
            }
            while fire_bits != 0 {
                let index = block * bits + fire_bits.trailing_zeros() as usize;
                fire_bits &= fire_bits - 1;
                if let Some(rule) = program.rules.get(index) {
                    let index = RuleIndex::try_from(index).unwrap_or(RuleIndex::MAX);
                    self.fire_rule(index, rule, values, evaluation, raised);
                }
            }
        }
    }

    /// Fires one rule whose condition holds.
    fn fire_rule(
        &self,
        index: RuleIndex,
        rule: &RuleCode,
        values: &[f64],
        evaluation: &mut Evaluation,
        raised: &mut [u32],
    ) {
        let priority = (rule.priority != NO_SLOT).then(|| value(values, rule.priority));
        let fired = fire(index, priority);
        let tips = self.program.rule_tips.get(rule.tips.range());
        let tips = tips.unwrap_or_default().iter().map(|&tip| tip as usize);
        if rule.raise {
            for tip in tips {
                if let Some(sum) = raised.get_mut(tip) {
                    *sum += u32::from(fired.priority);
                }
            }
        } else {
            for tip in tips {
                if let Some(best) = evaluation.tip_priority.get_mut(tip) {
                    evaluation.recommended.insert(tip);
                    *best = (*best).max(fired.priority);
                }
            }
        }
        evaluation.fired.push(fired);
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
