//! Batch evaluation by columns: a block of [`BLOCK`] programmes is evaluated together.
//! Each value slot holds one column, the slot's value for every programme of the block,
//! and the program runs operation by operation over the whole column, so every
//! operation is one loop over [`BLOCK`] lanes without a branch, which the compiler
//! vectorises. The constants are written once per batch. Then each programme's rules
//! are fired and its tips settled from its lane, as [`RuleSet::evaluate`] does from its
//! row; the results are the same.

use std::borrow::Borrow;
use std::cell::RefCell;

use super::expr::{finite, match_run_kind, select, take, truth};
use super::rules::RuleScan;
use super::{Answers, Evaluation, SlotValues};
use crate::ruleset::{ArgumentRange, Code, Compare, Kind, Ops, Program, RuleSet, Slot, SlotIndex};

/// Programmes evaluated together: one column of a value slot.
pub const BLOCK: usize = 64;

/// One value slot for every programme of a block.
type Column = [f64; BLOCK];

const UNKNOWN: f64 = f64::NAN;

/// What an operand outside the columns reads (never, in a compiled program).
static UNKNOWN_COLUMN: Column = [UNKNOWN; BLOCK];

/// What a batch evaluation needs besides what it returns, kept per thread.
#[derive(Debug, Default)]
struct ColumnScratch {
    /// One column per value slot.
    columns: Vec<Column>,
    /// What the rules' conditions are, for one programme.
    scan: RuleScan,
    /// Per tip, what raising rules add to its priority, for one programme.
    raised: Vec<u32>,
}

thread_local! {
    static COLUMNS: RefCell<ColumnScratch> = RefCell::new(ColumnScratch::default());
}

/// One programme's values: its lane of the columns.
struct Lane<'c> {
    columns: &'c [Column],
    lane: usize,
}

impl SlotValues for Lane<'_> {
    fn value(&self, slot: Slot) -> f64 {
        let column = self.columns.get(slot as usize);
        column
            .and_then(|column| column.get(self.lane))
            .copied()
            .unwrap_or(UNKNOWN)
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
        scratch.columns.resize(program.slot_count(), UNKNOWN_COLUMN);
        fill_constants(&mut scratch.columns, program);
        let blocks = answers.chunks(BLOCK).zip(evaluations.chunks_mut(BLOCK));
        for (block, evaluations) in blocks {
            fill_answers(&mut scratch.columns, program, block);
            run_program(program, &mut scratch.columns);
            for (lane, evaluation) in evaluations.iter_mut().enumerate() {
                let values = Lane {
                    columns: &scratch.columns,
                    lane,
                };
                evaluation.reset(self.tips.len());
                scratch.scan.scan_slots(program, &values);
                self.conclude(&scratch.scan, &values, evaluation, &mut scratch.raised);
            }
        }
    }
}

/// Writes every constant's column.
fn fill_constants(columns: &mut [Column], program: &Program) {
    let constants = columns.iter_mut().skip(program.questions as usize);
    for (column, &constant) in constants.zip(&program.constants) {
        column.fill(constant);
    }
}

/// Writes the answers of a block into the answer columns (unknown in the lanes past
/// the block and past the end of a programme's answers).
fn fill_answers<A: Borrow<Answers>>(columns: &mut [Column], program: &Program, block: &[A]) {
    let questions = columns.iter_mut().take(program.questions as usize);
    for (question, column) in questions.enumerate() {
        if block.len() < BLOCK {
            column.fill(UNKNOWN);
        }
        for (value, answers) in column.iter_mut().zip(block) {
            let slots = answers.borrow().slots();
            *value = slots.get(question).copied().unwrap_or(UNKNOWN);
        }
    }
}

/// Runs every operation of `program` over the columns.
fn run_program(program: &Program, columns: &mut [Column]) {
    let first = program.first_op_slot();
    match &program.code {
        Code::Narrow(ops) => run_all(ops, columns, first),
        Code::Wide(ops) => run_all(ops, columns, first),
    }
}

/// Runs every run of `ops`, the first operation writing column `first`.
fn run_all<S: SlotIndex>(ops: &Ops<S>, columns: &mut [Column], first: usize) {
    let mut tables = Tables {
        compares: &ops.compares,
        unary: &ops.unary,
        binary: &ops.binary,
        memberships: &ops.memberships,
        calls: &ops.calls,
        arguments: &ops.arguments,
    };
    let mut next = first;
    for run in &ops.runs {
        let len = run.len as usize;
        tables.run(run.kind, len, columns, next);
        next += len;
    }
}

/// The operand tables, each read from the front as runs take their operations.
struct Tables<'p, S> {
    compares: &'p [Compare<S>],
    unary: &'p [S],
    binary: &'p [[S; 2]],
    memberships: &'p [(S, u64)],
    calls: &'p [ArgumentRange],
    arguments: &'p [S],
}

/// The column an operation writes, and the columns before it, which it reads; `None`
/// past the end of the columns.
fn split(columns: &mut [Column], out: usize) -> Option<(&[Column], &mut Column)> {
    let (before, after) = columns.split_at_mut(out.min(columns.len()));
    Some((before, after.first_mut()?))
}

/// The column of `slot` among `before`.
fn column<S: SlotIndex>(before: &[Column], slot: S) -> &Column {
    before.get(slot.index()).unwrap_or(&UNKNOWN_COLUMN)
}

impl<S: SlotIndex> Tables<'_, S> {
    /// Computes a run of `len` operations of `kind` into the columns from `first` on.
    fn run(&mut self, kind: Kind, len: usize, columns: &mut [Column], first: usize) {
        let out = Out { columns, first };
        match_run_kind!(kind, self, out, len, {
            Kind::Avg => self.calls(out, len, avg),
            Kind::Min => self.calls(out, len, |c, a| fold(c, a, UNKNOWN, f64::min)),
            Kind::Max => self.calls(out, len, |c, a| fold(c, a, UNKNOWN, f64::max)),
            Kind::Count => self.calls(out, len, |c, a| {
                fold(c, a, 0.0, |n, v| n + truth(!v.is_nan()))
            }),
            Kind::Answered => self.calls(out, len, |c, a| {
                fold(c, a, 0.0, |any, v| truth((any == 1.0) | !v.is_nan()))
            }),
            Kind::Missing => self.calls(out, len, |c, a| {
                fold(c, a, 1.0, |all, v| truth((all == 1.0) & v.is_nan()))
            }),
            Kind::Coalesce => self.calls(out, len, |c, a| {
                fold(c, a, UNKNOWN, |first, v| select(first.is_nan(), v, first))
            }),
        })
    }

    /// A run of calls of `function`, which writes one column from the argument slots
    /// among the columns before it.
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn calls(
        &mut self,
        out: Out<'_>,
        len: usize,
        function: impl Fn(&mut Column, Arguments<'_, S>),
    ) {
        let Out { columns, first } = out;
        for (offset, range) in take(&mut self.calls, len).iter().enumerate() {
            let Some((before, column)) = split(columns, first + offset) else {
                return;
            };
            let slots = self.arguments.get(range.range()).unwrap_or_default();
            function(column, Arguments { before, slots });
        }
    }
}

/// The arguments of one call: their slots, among the columns before the call's.
#[derive(Clone, Copy)]
struct Arguments<'a, S> {
    before: &'a [Column],
    slots: &'a [S],
}

impl<'a, S: SlotIndex> Arguments<'a, S> {
    fn columns(self) -> impl Iterator<Item = &'a Column> {
        self.slots
            .iter()
            .map(move |&slot| column(self.before, slot))
    }
}

/// Where a run writes: the columns, from column `first` on.
struct Out<'c> {
    columns: &'c mut [Column],
    first: usize,
}

impl Out<'_> {
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn compares<S: SlotIndex>(self, compares: &[Compare<S>], op: impl Fn(f64, f64) -> bool) {
        for (offset, compare) in compares.iter().enumerate() {
            let Some((before, out)) = split(self.columns, self.first + offset) else {
                return;
            };
            let (left, right) = (column(before, compare.left), column(before, compare.right));
            let missing = compare.missing;
            for ((value, &a), &b) in out.iter_mut().zip(left).zip(right) {
                *value = select(a.is_nan() | b.is_nan(), missing, truth(op(a, b)));
            }
        }
    }

    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn unary<S: SlotIndex>(self, operands: &[S], op: impl Fn(f64) -> f64) {
        for (offset, &a) in operands.iter().enumerate() {
            let Some((before, out)) = split(self.columns, self.first + offset) else {
                return;
            };
            for (value, &a) in out.iter_mut().zip(column(before, a)) {
                *value = op(a);
            }
        }
    }

    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn binary<S: SlotIndex>(self, operands: &[[S; 2]], op: impl Fn(f64, f64) -> f64) {
        for (offset, &[a, b]) in operands.iter().enumerate() {
            let Some((before, out)) = split(self.columns, self.first + offset) else {
                return;
            };
            let (left, right) = (column(before, a), column(before, b));
            for ((value, &a), &b) in out.iter_mut().zip(left).zip(right) {
                *value = op(a, b);
            }
        }
    }

    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn memberships<S: SlotIndex>(self, operands: &[(S, u64)]) {
        for (offset, &(a, options)) in operands.iter().enumerate() {
            let Some((before, out)) = split(self.columns, self.first + offset) else {
                return;
            };
            for (value, &option) in out.iter_mut().zip(column(before, a)) {
                let member = (options >> (option as u32).min(63)) & 1 == 1;
                *value = select(option.is_nan(), UNKNOWN, truth(member));
            }
        }
    }
}

/// Kleene conjunction without a branch: false wins over unknown.
fn and(a: f64, b: f64) -> f64 {
    let unknown = select(a.is_nan() | b.is_nan(), UNKNOWN, 1.0);
    select((a == 0.0) | (b == 0.0), 0.0, unknown)
}

/// Kleene disjunction without a branch: true wins over unknown.
fn or(a: f64, b: f64) -> f64 {
    let unknown = select(a.is_nan() | b.is_nan(), UNKNOWN, 0.0);
    select((a == 1.0) | (b == 1.0), 1.0, unknown)
}

/// Folds every argument column into `out` lane by lane, starting from `start`.
fn fold<S: SlotIndex>(
    out: &mut Column,
    arguments: Arguments<'_, S>,
    start: f64,
    combine: impl Fn(f64, f64) -> f64,
) {
    out.fill(start);
    for argument in arguments.columns() {
        for (value, &a) in out.iter_mut().zip(argument) {
            *value = combine(*value, a);
        }
    }
}

/// The mean of the known arguments per lane, as the row evaluator's `avg` computes it:
/// the same additions in the same order, and the same fallback when the sum overflows.
fn avg<S: SlotIndex>(out: &mut Column, arguments: Arguments<'_, S>) {
    let mut count = [0.0; BLOCK];
    out.fill(0.0);
    for argument in arguments.columns() {
        for ((sum, count), &a) in out.iter_mut().zip(&mut count).zip(argument) {
            let known = !a.is_nan();
            *sum += select(known, a, 0.0);
            *count += truth(known);
        }
    }
    let mut overflowed = false;
    for (sum, &count) in out.iter_mut().zip(&count) {
        overflowed |= !sum.is_finite();
        *sum = select(count == 0.0, UNKNOWN, *sum / count);
    }
    if overflowed {
        for (lane, (mean, &count)) in out.iter_mut().zip(&count).enumerate() {
            if !mean.is_finite() && count > 0.0 {
                *mean = divided_first(arguments, lane, count);
            }
        }
    }
}

/// The mean of one lane's known arguments, each divided by `count` before adding (for
/// sums that overflow).
fn divided_first<S: SlotIndex>(arguments: Arguments<'_, S>, lane: usize, count: f64) -> f64 {
    let mut mean = 0.0;
    for argument in arguments.columns() {
        let value = argument.get(lane).copied().unwrap_or(UNKNOWN);
        mean += select(!value.is_nan(), value / count, 0.0);
    }
    finite(mean)
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
