//! Stage 3, answers to recommendations: runs every compiled rule and every `applies`
//! condition on one programme's dense answer vector, with Kleene's three-valued logic
//! for unanswered questions, and decides where each tip stands ([`TipStatus`]): not
//! applicable, recommended (on its own answer or the quick scan), to be established, or
//! clear. Works on the compiled [`RuleSet`] only; it never sees source text.

mod columns;
#[cfg(test)]
mod differential_tests;
mod evaluation;
pub(crate) mod expr;
mod rules;
mod ruletest;
mod status;
#[cfg(test)]
mod test_values;
mod typed;

pub use columns::BLOCK;
pub use evaluation::{Evaluation, FiredIter, FiredRule, FiredRules, StatusIter, Statuses, TipSet};
pub use ruletest::TestOutcome;
pub use status::{Confidence, TipStatus, Unknown};
pub use typed::{AnswersBuilder, QuestionHandle, TypedAnswerError};

/// `docs/embedding.md`, whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../docs/embedding.md")]
pub struct EmbeddingGuide;

use std::cell::RefCell;

use zerocopy::IntoBytes;

use crate::ruleset::{QuestionIndex, RuleSet, Slot, NARROW_SLOTS};

/// One programme's answers, one slot per question; NaN marks a missing answer.
///
/// Beside each answer it keeps the answer's level code (a whole number 0–63 as itself,
/// unknown, or no level), so that a batch lays out byte columns for questions whose
/// answers are small whole numbers without converting every answer again: the codes live
/// in the same allocation, packed eight to a slot after the answers.
#[derive(Clone)]
pub struct Answers {
    /// The answers, then `count.div_ceil(8)` slots holding one level code per answer.
    values: Box<[f64]>,
    /// How many answers lead `values`.
    count: usize,
}

/// The highest answer kept as a level: a whole number `0..=LEVEL_MAX`, its own code.
pub(crate) const LEVEL_MAX: u8 = 63;

/// The level code of an unknown answer (NaN): above every level, bit 6 clear.
pub(crate) const UNKNOWN_LEVEL: u8 = 0x80;

/// The level code of an answer that is no level (2.5, -1, -0, 300): the one code with
/// bit 6 set, so that an `or` of a word of codes masked by `0x40` bytes finds any.
pub(crate) const NOT_A_LEVEL: u8 = 0x40;

/// The level code of `value`: the value itself for a whole number `0..=LEVEL_MAX` (its
/// bits exactly those of the level, so -0 is no level), [`UNKNOWN_LEVEL`] for NaN,
/// [`NOT_A_LEVEL`] for anything else.
#[inline]
pub(crate) fn level_code(value: f64) -> u8 {
    // The cast saturates (NaN gives 0); the round trip says whether it was exact.
    let level = value as u8;
    if level <= LEVEL_MAX && f64::from(level).to_bits() == value.to_bits() {
        level
    } else if value.is_nan() {
        UNKNOWN_LEVEL
    } else {
        NOT_A_LEVEL
    }
}

/// Slots of level codes after `count` answers.
fn code_slots(count: usize) -> usize {
    count.div_ceil(8)
}

/// A fresh buffer of `count` unknown answers and their codes.
fn unknown_buffer(count: usize) -> Box<[f64]> {
    let mut values = vec![f64::NAN; count + code_slots(count)].into_boxed_slice();
    clear_buffer(&mut values, count);
    values
}

/// Every answer of a buffer of `count` answers unknown, and its code.
fn clear_buffer(values: &mut [f64], count: usize) {
    let (answers, codes) = values.split_at_mut(count.min(values.len()));
    answers.fill(f64::NAN);
    codes.as_mut_bytes().fill(UNKNOWN_LEVEL);
}

thread_local! {
    /// The slots of answer vectors dropped on this thread, for the next
    /// [`Answers::unanswered`] to fill instead of allocating: a vector of more than 1 kB
    /// (a rule set of more than 128 questions) is past the allocator's per-thread cache,
    /// where every allocation and every free takes its slow path.
    static SPARE_SLOTS: RefCell<Vec<Box<[f64]>>> = const { RefCell::new(Vec::new()) };
}

/// The most dropped answer vectors a thread keeps for reuse.
const SPARE_LIMIT: usize = 4;

impl Answers {
    /// All questions of `ruleset` unanswered.
    pub fn unanswered(ruleset: &RuleSet) -> Self {
        let count = ruleset.questions().len();
        let spare = SPARE_SLOTS.try_with(|spare| spare.try_borrow_mut().ok()?.pop());
        let values = match spare {
            Ok(Some(mut values)) if values.len() == count + code_slots(count) => {
                clear_buffer(&mut values, count);
                values
            }
            _ => unknown_buffer(count),
        };
        Answers { values, count }
    }

    /// The answer to a question, or `None` when it is missing.
    pub fn get(&self, question: QuestionIndex) -> Option<f64> {
        self.slots()
            .get(question.index())
            .copied()
            .filter(|value| !value.is_nan())
    }

    /// Records an answer; NaN records a missing one. Out-of-range indices are ignored.
    pub fn set(&mut self, question: QuestionIndex, value: f64) {
        let (slots, codes) = self.slots_and_levels_mut();
        if let (Some(slot), Some(code)) = (
            slots.get_mut(question.index()),
            codes.get_mut(question.index()),
        ) {
            *slot = value;
            *code = level_code(value);
        }
    }

    /// How many questions are answered.
    pub fn answered_count(&self) -> usize {
        self.slots().iter().filter(|value| !value.is_nan()).count()
    }

    /// The answers, one slot per question.
    pub(crate) fn slots(&self) -> &[f64] {
        self.values.get(..self.count).unwrap_or_default()
    }

    /// The answers' level codes ([`level_code`]), one per question.
    pub(crate) fn levels(&self) -> &[u8] {
        let codes = self.values.get(self.count..).unwrap_or_default();
        codes.as_bytes().get(..self.count).unwrap_or_default()
    }

    /// The slots and their level codes, one each per question, to be written in place;
    /// the writer keeps each code [`level_code`] of its slot.
    #[inline]
    pub(crate) fn slots_and_levels_mut(&mut self) -> (&mut [f64], &mut [u8]) {
        let count = self.count.min(self.values.len());
        let (slots, codes) = self.values.split_at_mut(count);
        let codes = codes.as_mut_bytes();
        let codes_len = codes.len().min(count);
        (slots, codes.get_mut(..codes_len).unwrap_or_default())
    }

    /// Every question unanswered again, keeping the buffer.
    pub(crate) fn clear(&mut self) {
        clear_buffer(&mut self.values, self.count);
    }
}

impl PartialEq for Answers {
    /// The answers compared slot by slot (the codes follow from them).
    fn eq(&self, other: &Self) -> bool {
        self.slots() == other.slots()
    }
}

impl std::fmt::Debug for Answers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answers")
            .field("values", &self.slots())
            .finish()
    }
}

impl Drop for Answers {
    /// Keeps the slots for the thread's next [`Answers::unanswered`] (up to a few).
    fn drop(&mut self) {
        let values = std::mem::take(&mut self.values);
        if values.is_empty() {
            return;
        }
        // A thread being torn down has no spares left to keep: the slots are freed.
        let _ = SPARE_SLOTS.try_with(|spare| {
            if let Ok(mut spare) = spare.try_borrow_mut() {
                if spare.len() < SPARE_LIMIT {
                    spare.push(values);
                }
            }
        });
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

/// One programme's values by slot, as firing the rules and settling the tips read them:
/// a row of the value vector, or one programme's lane of a block of columns.
pub(super) trait SlotValues {
    /// The value in `slot`; unknown for [`crate::ruleset::NO_SLOT`].
    fn value(&self, slot: Slot) -> f64;
}

impl SlotValues for [f64] {
    fn value(&self, slot: Slot) -> f64 {
        self.get(slot as usize).copied().unwrap_or(f64::NAN)
    }
}

/// The values of a program of at most [`NARROW_SLOTS`] values, read without bounds
/// checks.
struct Narrow<'v>(&'v [f64; NARROW_SLOTS]);

impl SlotValues for Narrow<'_> {
    #[expect(
        clippy::indexing_slicing,
        reason = "a u16 indexes an array of 65,536 values in bounds, so the compiler drops the check"
    )]
    fn value(&self, slot: Slot) -> f64 {
        u16::try_from(slot).map_or(f64::NAN, |slot| self.0[usize::from(slot)])
    }
}

impl RuleSet {
    /// Runs every rule on `answers` and decides where each tip stands.
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        let mut evaluation = Evaluation::sized(self.tips.len(), self.program.rules.len());
        self.evaluate_fresh(answers, &mut evaluation);
        evaluation
    }

    /// [`RuleSet::evaluate`] into `evaluation`, reusing its buffers: the result is the
    /// same whatever `evaluation` held before, and once its buffers are large enough
    /// nothing is allocated.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use studentsucces::eval::{Answers, Evaluation};
    /// use studentsucces::ruleset::RuleSet;
    ///
    /// let ruleset = RuleSet::roadmap()?;
    /// let mut evaluation = Evaluation::default();
    /// let answers = Answers::unanswered(&ruleset);
    /// ruleset.evaluate_into(&answers, &mut evaluation);
    /// assert_eq!(evaluation, ruleset.evaluate(&answers));
    /// # Ok(())
    /// # }
    /// ```
    pub fn evaluate_into(&self, answers: &Answers, evaluation: &mut Evaluation) {
        evaluation.reset(self.tips.len(), self.program.rules.len());
        self.evaluate_fresh(answers, evaluation);
    }

    /// Evaluates into an evaluation that is empty for this rule set's tips.
    fn evaluate_fresh(&self, answers: &Answers, evaluation: &mut Evaluation) {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.evaluate_with(answers, &mut scratch, evaluation),
            Err(_) => self.evaluate_with(answers, &mut Scratch::default(), evaluation),
        });
    }

    fn evaluate_with(&self, answers: &Answers, scratch: &mut Scratch, evaluation: &mut Evaluation) {
        expr::evaluate_program(&self.program, answers.slots(), &mut scratch.values);
        scratch.scan.scan(&self.program, &scratch.values);
        let (scan, raised) = (&scratch.scan, &mut scratch.raised);
        match scratch.values.narrow_array() {
            Some(narrow) => self.conclude((scan, &Narrow(narrow)), evaluation, raised),
            None => self.conclude((scan, scratch.values.slots()), evaluation, raised),
        }
    }

    /// Fires the rules the scan found true and settles the tips, into an empty
    /// `evaluation`; `raised` is scratch.
    fn conclude<V: SlotValues + ?Sized>(
        &self,
        (scan, values): (&rules::RuleScan, &V),
        evaluation: &mut Evaluation,
        raised: &mut Vec<u32>,
    ) {
        let mut parts = evaluation.row_parts();
        raised.clear();
        if self.program.raises {
            raised.resize(self.tips.len(), 0);
        }
        self.fire_rules(scan, values, &mut parts, raised);
        self.settle_tips((scan, values), parts, raised);
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

/// The value of every slot of `program` for `answers`: what explanations read of the
/// explanation program (`RuleSet::explain`), one value per node of the expression graph.
pub(crate) fn expression_values(program: &crate::ruleset::Program, answers: &Answers) -> Vec<f64> {
    let mut values = expr::Values::default();
    expr::evaluate_program(program, answers.slots(), &mut values);
    values.slots().to_vec()
}

#[cfg(test)]
mod tests {
    use super::{level_code, Answers, LEVEL_MAX, NOT_A_LEVEL, SPARE_LIMIT, UNKNOWN_LEVEL};
    use crate::eval::test_values::value;
    use crate::ruleset::{QuestionIndex, RuleSet};
    use proptest::prelude::*;

    #[test]
    fn level_codes_are_whole_levels_unknown_or_no_level() {
        for level in 0..=LEVEL_MAX {
            assert_eq!(level_code(f64::from(level)), level);
        }
        assert_eq!(level_code(f64::NAN), UNKNOWN_LEVEL);
        assert_eq!(level_code(-f64::NAN), UNKNOWN_LEVEL);
        let others = [-0.0, 2.5, -1.0, 64.0, 300.0, 37.5, f64::INFINITY, 1e-300];
        for other in others {
            assert_eq!(level_code(other), NOT_A_LEVEL, "{other}");
        }
        // Bit 6 tells a code that is no level from every other.
        assert!((0..=LEVEL_MAX).all(|level| level & NOT_A_LEVEL == 0));
        assert_eq!(UNKNOWN_LEVEL & NOT_A_LEVEL, 0);
    }

    proptest! {
        #[test]
        fn every_code_is_the_code_of_its_answer(
            writes in prop::collection::vec((0..400u32, value()), 0..80),
            clear_at in any::<Option<usize>>(),
        ) {
            let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
            let count = ruleset.questions().len();
            let mut answers = Answers::unanswered(&ruleset);
            let mut plain = vec![f64::NAN; count];
            for (at, &(question, value)) in writes.iter().enumerate() {
                if clear_at.map(|clear| clear % (writes.len() + 1)) == Some(at) {
                    answers.clear();
                    plain.fill(f64::NAN);
                }
                let question = question % count as u32;
                answers.set(QuestionIndex::new(question), value);
                plain[question as usize] = value;
            }
            prop_assert_eq!(answers.levels().len(), count);
            for (slot, (&value, &code)) in answers.slots().iter().zip(answers.levels()).enumerate() {
                prop_assert_eq!(value.to_bits(), plain[slot].to_bits());
                prop_assert_eq!(code, level_code(value));
            }
        }
    }

    #[test]
    fn answers_compare_and_print_by_their_values_only() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let mut one = Answers::unanswered(&ruleset);
        let mut other = Answers::unanswered(&ruleset);
        for question in QuestionIndex::all(ruleset.questions().len()) {
            one.set(question, 2.0);
            other.set(question, 2.0);
        }
        assert_eq!(one, other);
        other.set(QuestionIndex::new(3), 2.5);
        assert_ne!(one, other);
        let printed = format!("{one:?}");
        assert!(
            printed.starts_with("Answers { values: [2.0, 2.0"),
            "{printed}"
        );
        assert_eq!(printed.matches("2.0").count(), ruleset.questions().len());
    }

    #[test]
    fn answers_made_from_dropped_slots_are_all_unanswered() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let count = ruleset.questions().len();
        for round in 0..3 {
            let answered: Vec<Answers> = (0..SPARE_LIMIT + 2)
                .map(|_| {
                    let mut answers = Answers::unanswered(&ruleset);
                    for question in QuestionIndex::all(count) {
                        answers.set(question, f64::from(round));
                    }
                    answers
                })
                .collect();
            drop(answered);
            let fresh = Answers::unanswered(&ruleset);
            assert_eq!(fresh.slots().len(), count);
            assert!(fresh.slots().iter().all(|value| value.is_nan()));
            assert_eq!(fresh.answered_count(), 0);
        }
    }
}
