//! Batch evaluation by columns: a block of [`BLOCK`] programmes is evaluated together.
//! The program is laid out for blocks once per batch ([`layout`]): every condition is
//! two bitsets with a bit per programme (true, and unknown), every other value a column
//! of [`BLOCK`] numbers, so a comparison is one loop over a column packed into a word
//! and `and`, `or`, `not` are a few word operations. The rules' conditions are read as
//! words, a bit per programme, and a 64 × 64 bit transpose turns them into each
//! programme's words, a bit per rule, from which its rules are fired and its tips
//! settled as [`RuleSet::evaluate`] does from its row; the results are the same.

mod bits;
mod layout;
mod run;

use std::borrow::Borrow;
use std::cell::RefCell;

use self::bits::transpose;
use self::layout::Layout;
use self::run::Block;
use super::rules::{RuleScan, BITS};
use super::status::TipAnswers;
use super::{Answers, Evaluation, SlotValues};
use crate::ruleset::{Program, RuleSet, Slot, NO_SLOT};

/// Programmes evaluated together: one bit of a word, one lane of a column.
pub const BLOCK: usize = 64;

/// What a batch evaluation needs besides what it returns, kept per thread.
#[derive(Debug, Default)]
struct ColumnScratch {
    /// The values of the block being evaluated.
    block: Block,
    /// The rules' conditions of the block, by programme.
    conditions: BlockScan,
    /// What the rules' conditions are, for one programme.
    scan: RuleScan,
    /// What the tips' answers say, by programme.
    tip_words: TipScan,
    /// What the tips' answers say, for one programme.
    tip_answers: TipAnswers,
    /// Per tip, what raising rules add to its priority, for one programme.
    raised: Vec<u32>,
}

thread_local! {
    static COLUMNS: RefCell<ColumnScratch> = RefCell::new(ColumnScratch::default());
}

/// One programme's values: its lane of the block.
struct Lane<'b> {
    layout: &'b Layout,
    block: &'b Block,
    lane: usize,
}

impl SlotValues for Lane<'_> {
    fn value(&self, slot: Slot) -> f64 {
        self.block.value(self.layout.place(slot), self.lane)
    }
}

impl RuleSet {
    /// Evaluates many programmes by columns, [`BLOCK`] at a time; the result is
    /// [`RuleSet::evaluate`]'s for each, in the same order.
    pub fn evaluate_batch<A: Borrow<Answers>>(&self, answers: &[A]) -> Vec<Evaluation> {
        let mut evaluations = Vec::new();
        self.evaluate_batch_into(answers, &mut evaluations);
        evaluations
    }

    /// [`RuleSet::evaluate_batch`] into `evaluations`, which is made as long as `answers`
    /// and whose buffers are reused (see [`RuleSet::evaluate_into`]).
    pub fn evaluate_batch_into<A: Borrow<Answers>>(
        &self,
        answers: &[A],
        evaluations: &mut Vec<Evaluation>,
    ) {
        evaluations.resize_with(answers.len(), Evaluation::default);
        if answers.is_empty() {
            return;
        }
        COLUMNS.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.batch_with(answers, evaluations, &mut scratch),
            Err(_) => self.batch_with(answers, evaluations, &mut ColumnScratch::default()),
        });
    }

    fn batch_with<A: Borrow<Answers>>(
        &self,
        answers: &[A],
        evaluations: &mut [Evaluation],
        scratch: &mut ColumnScratch,
    ) {
        let program = &self.program;
        let layout = Layout::new(program, |rule| known_rule(program, rule));
        scratch.block.prepare(&layout);
        let blocks = answers.chunks(BLOCK).zip(evaluations.chunks_mut(BLOCK));
        for (block, evaluations) in blocks {
            fill_answers(&mut scratch.block, &layout, block);
            scratch.block.run(&layout);
            scratch.conditions.scan(&layout, &scratch.block);
            let level = self.in_place.unwrap_or(f64::NAN);
            scratch
                .tip_words
                .scan(program, (&layout, &mut scratch.block), level);
            for (lane, evaluation) in evaluations.iter_mut().enumerate() {
                scratch.conditions.load(lane, &mut scratch.scan);
                scratch.tip_words.load(lane, &mut scratch.tip_answers);
                let values = Lane {
                    layout: &layout,
                    block: &scratch.block,
                    lane,
                };
                evaluation.reset(self.tips.len());
                let known = Some(&scratch.tip_answers);
                self.conclude(
                    (&scratch.scan, &values, known),
                    evaluation,
                    &mut scratch.raised,
                );
            }
        }
    }
}

/// Whether rule `rule` is in a block of [`BITS`] rules whose conditions are all known
/// to be 0 or 1 (see [`RuleScan`]).
fn known_rule(program: &Program, rule: usize) -> bool {
    let block = rule / BITS;
    let len = program.rules.len().saturating_sub(block * BITS).min(BITS);
    let all = usize::MAX >> (BITS - len.max(1));
    program.known_whens.get(block).copied() == Some(all) && len > 0
}

/// Writes the answers of a block into the answer columns (unknown in the lanes past
/// the block and past the end of a programme's answers).
fn fill_answers<A: Borrow<Answers>>(block: &mut Block, layout: &Layout, answers: &[A]) {
    let columns = block
        .numbers
        .get_mut(..layout.questions)
        .unwrap_or_default();
    if answers.len() < BLOCK {
        for column in columns.iter_mut() {
            column.fill(f64::NAN);
        }
    }
    for (lane, answers) in answers.iter().enumerate().take(BLOCK) {
        let slots = answers.borrow().slots();
        for (column, &value) in columns.iter_mut().zip(slots) {
            if let Some(lane) = column.get_mut(lane % BLOCK) {
                *lane = value;
            }
        }
        for column in columns.iter_mut().skip(slots.len()) {
            if let Some(lane) = column.get_mut(lane % BLOCK) {
                *lane = f64::NAN;
            }
        }
    }
}

/// The rules' conditions of one block by programme: per group of 64 rules, a word per
/// programme with a bit per rule.
#[derive(Debug, Default)]
struct BlockScan {
    /// The condition is true, at `group * BLOCK + lane`.
    one: Vec<u64>,
    /// The condition is false (unused when it follows from the other two).
    zero: Vec<u64>,
    /// The condition is unknown.
    unknown: Vec<u64>,
    /// Whether false is exactly neither true nor unknown, so `zero` is not kept.
    zero_derived: bool,
    /// How many rules there are.
    rules: usize,
}

impl BlockScan {
    /// Reads every rule's condition over the block and transposes the words.
    fn scan(&mut self, layout: &Layout, block: &Block) {
        self.rules = layout.whens.len();
        self.zero_derived = layout.whens_in_bits;
        let words = self.rules.div_ceil(BLOCK) * BLOCK;
        for words_of in [&mut self.one, &mut self.zero, &mut self.unknown] {
            words_of.resize(words, 0);
        }
        let mut rows = [[0u64; BLOCK]; 3];
        for (group, whens) in layout.whens.chunks(BLOCK).enumerate() {
            for row in &mut rows {
                row.fill(0);
            }
            let [one, zero, unknown] = &mut rows;
            for (rule, when) in whens.iter().enumerate() {
                let reading = block.reading(when.place);
                let (o, z, u) = match when.known {
                    // The row scan counts anything but 1 as false, and nothing unknown.
                    true => (reading.one, !reading.one, 0),
                    false => (reading.one, reading.zero, reading.unknown),
                };
                if let (Some(one), Some(zero), Some(unknown)) =
                    (one.get_mut(rule), zero.get_mut(rule), unknown.get_mut(rule))
                {
                    (*one, *zero, *unknown) = (o, z, u);
                }
            }
            let range = group * BLOCK..(group + 1) * BLOCK;
            let targets = [&mut self.one, &mut self.zero, &mut self.unknown];
            for (index, (row, target)) in rows.iter_mut().zip(targets).enumerate() {
                if index == 1 && self.zero_derived {
                    continue;
                }
                transpose(row);
                if let Some(target) = target.get_mut(range.clone()) {
                    target.copy_from_slice(row);
                }
            }
        }
    }

    /// Programme `lane`'s conditions, as the row scan gives them.
    fn load(&self, lane: usize, scan: &mut RuleScan) {
        scan.one.clear();
        scan.zero.clear();
        scan.unknown.clear();
        let groups = self.rules.div_ceil(BLOCK);
        for group in 0..groups {
            let index = group * BLOCK + lane;
            let one = self.one.get(index).copied().unwrap_or(0);
            let unknown = self.unknown.get(index).copied().unwrap_or(0);
            let rules = self.rules - group * BLOCK;
            let zero = match self.zero_derived {
                true => !one & !unknown & low_bits(rules),
                false => self.zero.get(index).copied().unwrap_or(0),
            };
            push_words(&mut scan.one, one, rules);
            push_words(&mut scan.zero, zero, rules);
            push_words(&mut scan.unknown, unknown, rules);
        }
    }
}

/// What the tips' own and quick-scan answers say for one block by programme: per group
/// of 64 tips, a word per programme with a bit per tip.
#[derive(Debug, Default)]
struct TipScan {
    /// The own answer reaches the `in_place` level, at `group * BLOCK + lane`.
    mature: Vec<u64>,
    /// The tip has no own question, or it is answered.
    own: Vec<u64>,
    /// The section's quick scan exists and is answered.
    quickscan: Vec<u64>,
    /// How many tips there are.
    tips: usize,
}

impl TipScan {
    /// Reads every tip's answers over the block (maturity from `level` on, none when
    /// `level` is unknown) and transposes the words.
    fn scan(&mut self, program: &Program, (layout, block): (&Layout, &mut Block), level: f64) {
        self.tips = program.tips.len();
        let words = self.tips.div_ceil(BLOCK) * BLOCK;
        for words_of in [&mut self.mature, &mut self.own, &mut self.quickscan] {
            words_of.resize(words, 0);
        }
        let mut rows = [[0u64; BLOCK]; 3];
        let groups = program
            .tips
            .chunks(BLOCK)
            .zip(program.maturities.chunks(BLOCK));
        for (group, (tips, maturities)) in groups.enumerate() {
            let [mature, own, quickscan] = &mut rows;
            let tip_rows = mature
                .iter_mut()
                .zip(own.iter_mut())
                .zip(quickscan.iter_mut());
            for (((mature, own), quickscan), (tip, &maturity)) in
                tip_rows.zip(tips.iter().zip(maturities))
            {
                *own = match tip.maturity {
                    NO_SLOT => u64::MAX,
                    slot => !block.unknown(layout.place(slot)),
                };
                *quickscan = match tip.quickscan {
                    NO_SLOT => 0,
                    slot => !block.unknown(layout.place(slot)),
                };
                *mature = match level.is_nan() {
                    true => 0,
                    false => block.at_least(layout.place(maturity), level),
                };
            }
            for row in rows.iter_mut() {
                for word in row.iter_mut().skip(tips.len()) {
                    *word = 0;
                }
            }
            let range = group * BLOCK..(group + 1) * BLOCK;
            let targets = [&mut self.mature, &mut self.own, &mut self.quickscan];
            for (row, target) in rows.iter_mut().zip(targets) {
                transpose(row);
                if let Some(target) = target.get_mut(range.clone()) {
                    target.copy_from_slice(row);
                }
            }
        }
    }

    /// Programme `lane`'s words, in blocks of [`BITS`] tips.
    fn load(&self, lane: usize, answers: &mut TipAnswers) {
        let targets = [
            (&mut answers.mature, &self.mature),
            (&mut answers.own, &self.own),
            (&mut answers.quickscan, &self.quickscan),
        ];
        for (target, words) in targets {
            target.clear();
            for group in 0..self.tips.div_ceil(BLOCK) {
                let word = words.get(group * BLOCK + lane).copied().unwrap_or(0);
                push_words(target, word, self.tips - group * BLOCK);
            }
        }
    }
}

/// A word with its lowest `count` bits set (all of them from 64 on).
fn low_bits(count: usize) -> u64 {
    u64::MAX >> (64 - count.clamp(1, 64))
}

/// Appends a word of 64 rules' bits as blocks of [`BITS`] rules, those of the `rules`
/// that remain.
fn push_words(target: &mut Vec<usize>, word: u64, rules: usize) {
    for part in 0..(64 / BITS) {
        if part * BITS < rules {
            target.push((word >> (part * BITS)) as usize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BLOCK;
    use crate::eval::Answers;
    use crate::ruleset::{QuestionIndex, RuleSet};

    #[test]
    fn columns_give_the_evaluation_of_each_row() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let questions = ruleset.questions().len();
        let answers: Vec<Answers> = (0..BLOCK * 2 + 5)
            .map(|programme| {
                let mut answers = Answers::unanswered(&ruleset);
                for question in QuestionIndex::all(questions) {
                    let pick = (programme * 7 + question.index() * 13) % 6;
                    let value = if pick == 5 { f64::NAN } else { pick as f64 };
                    answers.set(question, value);
                }
                answers
            })
            .collect();
        let rows: Vec<_> = answers.iter().map(|a| ruleset.evaluate(a)).collect();
        assert_eq!(ruleset.evaluate_batch(&answers), rows);
        let mut reused = ruleset.evaluate_batch(&answers[..3]);
        ruleset.evaluate_batch_into(&answers, &mut reused);
        assert_eq!(reused, rows);
        ruleset.evaluate_batch_into(&answers[1..2], &mut reused);
        assert_eq!(reused, rows[1..2]);
    }
}
