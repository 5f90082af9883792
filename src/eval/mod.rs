//! Stage 3, answers to recommendations: runs every compiled rule on one programme's
//! dense answer vector, with Kleene's three-valued logic for unanswered questions.
//! Works on the compiled [`RuleSet`] only; it never sees source text.

mod expr;
mod ruletest;

pub use ruletest::TestOutcome;

use fixedbitset::FixedBitSet;

use crate::ruleset::{QuestionIndex, RuleIndex, RuleSet, TipIndex};

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
    /// Its priority, clamped to 0–100 and rounded; 0 when it could not be computed.
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
    /// The recommended tips.
    pub recommended: FixedBitSet,
    /// Per tip, the highest priority of the rules recommending it (0 when not recommended).
    pub tip_priority: Vec<u8>,
    /// Tips whose maturity answer reaches the `in_place` level.
    pub in_place: FixedBitSet,
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
    /// Runs every rule on `answers`.
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        let tip_count = self.tips.len();
        let mut evaluation = Evaluation {
            fired: Vec::with_capacity(self.rules.len()),
            recommended: FixedBitSet::with_capacity(tip_count),
            tip_priority: vec![0; tip_count],
            in_place: self.in_place_tips(answers),
        };
        let mut values = Vec::new();
        expr::evaluate_nodes(&self.program, answers.slots(), &mut values);
        let value = |node: u32| values.get(node as usize).copied().unwrap_or(f64::NAN);
        for (index, rule) in (0..).zip(&self.rules) {
            if value(rule.when) != 1.0 {
                continue;
            }
            let fired = fire(index, rule.priority.map(value));
            for &tip in &rule.recommend {
                evaluation.recommended.insert(tip as usize);
                if let Some(best) = evaluation.tip_priority.get_mut(tip as usize) {
                    *best = (*best).max(fired.priority);
                }
            }
            evaluation.fired.push(fired);
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
