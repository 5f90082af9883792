//! The expression interpreter. Values are `f64`: booleans are 0 and 1, choice options
//! their index, NaN is unknown.
//!
//! The value vector holds the answers, then the program's constants, then one value per
//! operation. Operations come in runs of one kind, each operation reading only slots
//! before its own (the compiler orders them so), so one pass computes every operation
//! exactly once, one tight loop per run: no recursion, no memo, no dispatch per
//! operation, and shared subexpressions such as `avg(toetsing.*)` cost one computation
//! per programme. A program of at most [`NARROW_SLOTS`] values (nearly every one) has
//! `u16` operands and runs on a fixed array of that size, which they index without
//! bounds checks.

use std::cell::Cell;

use crate::ruleset::{ArgumentRange, Code, Compare, Kind, Ops, Program, SlotIndex, NARROW_SLOTS};

const UNKNOWN: f64 = f64::NAN;

/// 1 for true, 0 for false, without a branch: comparisons of answers are as
/// unpredictable as the answers.
pub(super) fn truth(value: bool) -> f64 {
    f64::from(u8::from(value))
}

/// `if condition { then } else { otherwise }` without a branch, for conditions that
/// depend on the answers.
pub(super) fn select(condition: bool, then: f64, otherwise: f64) -> f64 {
    let mask = 0u64.wrapping_sub(u64::from(condition));
    f64::from_bits((then.to_bits() & mask) | (otherwise.to_bits() & !mask))
}

/// A value vector, kept between evaluations: the fixed array of narrow programs or the
/// vector of wide ones.
#[derive(Debug, Default)]
pub(crate) struct Values {
    narrow: Option<Box<[f64; NARROW_SLOTS]>>,
    wide: Vec<f64>,
    last_narrow: bool,
}

impl Values {
    /// The values of the last evaluation by slot (and possibly stale ones after them).
    pub fn slots(&self) -> &[f64] {
        match &self.narrow {
            Some(narrow) if self.last_narrow => narrow.as_slice(),
            _ => &self.wide,
        }
    }

    /// The fixed array, if the last evaluation used it.
    pub fn narrow_array(&self) -> Option<&[f64; NARROW_SLOTS]> {
        self.narrow.as_deref().filter(|_| self.last_narrow)
    }

    /// The vector of the last evaluation, if it did not use the fixed array.
    pub fn wide(&self) -> &[f64] {
        &self.wide
    }

    /// The fixed array, allocated on first use.
    fn narrow(&mut self) -> Option<&mut [f64; NARROW_SLOTS]> {
        if self.narrow.is_none() {
            let zeros = vec![0.0; NARROW_SLOTS].into_boxed_slice();
            self.narrow = zeros.try_into().ok();
        }
        self.narrow.as_deref_mut()
    }
}

/// Computes the value of every slot of `program` for the answers in `answers`, into
/// `values`, indexed by slot.
pub(crate) fn evaluate_program(program: &Program, answers: &[f64], values: &mut Values) {
    let first = program.first_op_slot();
    if let Code::Narrow(ops) = &program.code {
        values.last_narrow = true;
        if let Some(narrow) = values.narrow() {
            fill(narrow, program, answers);
            let cells = Cell::from_mut(narrow.as_mut_slice()).as_slice_of_cells();
            if let Ok(array) = <&[Cell<f64>; NARROW_SLOTS]>::try_from(cells) {
                return run_all(ops, array, first);
            }
        }
    }
    values.last_narrow = false;
    values.wide.resize(program.slot_count(), UNKNOWN);
    let wide = values.wide.as_mut_slice();
    fill(wide, program, answers);
    let cells = Cell::from_mut(wide).as_slice_of_cells();
    match &program.code {
        Code::Narrow(ops) => run_all(ops, cells, first),
        Code::Wide(ops) => run_all(ops, cells, first),
    }
}

/// Writes the answers (unknown past the end of `answers`) and the constants.
fn fill(values: &mut [f64], program: &Program, answers: &[f64]) {
    let questions = (program.questions as usize).min(values.len());
    let (answer_slots, rest) = values.split_at_mut(questions);
    let given = answers.len().min(questions);
    let (known, unknown) = answer_slots.split_at_mut(given);
    known.copy_from_slice(answers.get(..given).unwrap_or_default());
    unknown.fill(UNKNOWN);
    for (slot, &constant) in rest.iter_mut().zip(&program.constants) {
        *slot = constant;
    }
}

/// Where values live, read by slot.
pub(crate) trait Store<S> {
    fn get(&self, slot: S) -> f64;
}

impl Store<u16> for [f64; NARROW_SLOTS] {
    #[expect(
        clippy::indexing_slicing,
        reason = "a u16 indexes an array of 65,536 values in bounds, so the compiler drops the check"
    )]
    fn get(&self, slot: u16) -> f64 {
        self[usize::from(slot)]
    }
}

impl<S: SlotIndex> Store<S> for [f64] {
    fn get(&self, slot: S) -> f64 {
        <[f64]>::get(self, slot.index()).copied().unwrap_or(UNKNOWN)
    }
}

/// The value vector while the program runs: every slot a [`Cell`], so that a run
/// writes its own slots through a slice of them while it reads any slot by index.
pub(crate) trait Cells<S>: Store<S> {
    /// Every slot, to take a run's slots from.
    fn all(&self) -> &[Cell<f64>];
}

impl Store<u16> for [Cell<f64>; NARROW_SLOTS] {
    #[expect(
        clippy::indexing_slicing,
        reason = "a u16 indexes an array of 65,536 values in bounds, so the compiler drops the check"
    )]
    fn get(&self, slot: u16) -> f64 {
        self[usize::from(slot)].get()
    }
}

impl Cells<u16> for [Cell<f64>; NARROW_SLOTS] {
    fn all(&self) -> &[Cell<f64>] {
        self
    }
}

impl<S: SlotIndex> Store<S> for [Cell<f64>] {
    fn get(&self, slot: S) -> f64 {
        <[Cell<f64>]>::get(self, slot.index()).map_or(UNKNOWN, Cell::get)
    }
}

impl<S: SlotIndex> Cells<S> for [Cell<f64>] {
    fn all(&self) -> &[Cell<f64>] {
        self
    }
}

/// Runs every run of `ops`, the first operation writing slot `first`.
fn run_all<S: SlotIndex, V: Cells<S> + ?Sized>(ops: &Ops<S>, values: &V, first: usize) {
    let mut tables = Tables::new(ops);
    let mut next = first;
    for run in &ops.runs {
        let len = run.len as usize;
        let rest = values.all().get(next..).unwrap_or_default();
        let out = Out {
            values,
            out: rest.get(..len).unwrap_or(rest),
        };
        tables.run(run.kind, len, out);
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

/// The next `len` entries of `table`, which then starts after them.
pub(super) fn take<'p, T>(table: &mut &'p [T], len: usize) -> &'p [T] {
    let (taken, rest) = table.split_at(len.min(table.len()));
    *table = rest;
    taken
}

impl<'p, S: SlotIndex> Tables<'p, S> {
    fn new(ops: &'p Ops<S>) -> Self {
        Tables {
            compares: &ops.compares,
            unary: &ops.unary,
            binary: &ops.binary,
            memberships: &ops.memberships,
            calls: &ops.calls,
            arguments: &ops.arguments,
        }
    }

    /// Computes a run of `len` operations of `kind` into `out`.
    fn run<V: Store<S> + ?Sized>(&mut self, kind: Kind, len: usize, out: Out<'_, V>) {
        match_run_kind!(kind, self, out, len, {
            Kind::Avg => self.calls(out, len, avg),
            Kind::Avg2 => self.averages::<2, V>(out, len),
            Kind::Avg3 => self.averages::<3, V>(out, len),
            Kind::Avg4 => self.averages::<4, V>(out, len),
            Kind::Avg5 => self.averages::<5, V>(out, len),
            Kind::Min => self.calls(out, len, |v, a| fold_known(v, a, f64::min)),
            Kind::Max => self.calls(out, len, |v, a| fold_known(v, a, f64::max)),
            Kind::Count => self.calls(out, len, count),
            Kind::Answered => self.calls(out, len, |v, a| {
                truth(a.iter().any(|&slot| !v.get(slot).is_nan()))
            }),
            Kind::Missing => self.calls(out, len, |v, a| {
                truth(a.iter().all(|&slot| v.get(slot).is_nan()))
            }),
            Kind::Coalesce => self.calls(out, len, coalesce),
        })
    }

    /// A run of `avg` calls of exactly `N` arguments each, added unrolled. A program
    /// lays the calls' arguments out in call order (`Ops::calls_in_order`), so the run
    /// reads one stretch of `N` slots per call, without reading where each call starts.
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn averages<const N: usize, V: Store<S> + ?Sized>(&mut self, out: Out<'_, V>, len: usize) {
        let calls = take(&mut self.calls, len);
        let Out { values, out } = out;
        let start = calls.first().map_or(0, |call| call.start as usize);
        match self.arguments.get(start..start + N * calls.len()) {
            Some(stretch) => {
                let read = |slots: &[S]| match slots.first_chunk::<N>() {
                    Some(slots) => slots.map(|slot| values.get(slot)),
                    // Never: the chunks are exactly `N` long.
                    None => [UNKNOWN; N],
                };
                let (pairs, cells) = (stretch.chunks_exact(2 * N), out.chunks_exact(2));
                let last = pairs.remainder().chunks_exact(N).zip(cells.remainder());
                for (pair, cells) in pairs.zip(cells) {
                    let (first, second) = pair.split_at(N);
                    let means = means_of_two([read(first), read(second)])
                        .unwrap_or_else(|| [mean_of(read(first)), mean_of(read(second))]);
                    for (cell, mean) in cells.iter().zip(means) {
                        cell.set(mean);
                    }
                }
                for (slots, cell) in last {
                    cell.set(mean_of(read(slots)));
                }
            }
            None => {
                for (range, cell) in calls.iter().zip(out) {
                    let slots = self.arguments.get(range.range()).unwrap_or_default();
                    cell.set(avg(values, slots));
                }
            }
        }
    }

    /// A run of calls of `function` on their argument slots.
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn calls<V: Store<S> + ?Sized>(
        &mut self,
        out: Out<'_, V>,
        len: usize,
        function: impl Fn(&V, &[S]) -> f64,
    ) {
        let arguments = self.arguments;
        let Out { values, out } = out;
        for (range, cell) in take(&mut self.calls, len).iter().zip(out) {
            let slots = arguments.get(range.range()).unwrap_or_default();
            cell.set(function(values, slots));
        }
    }
}

/// Where a run reads and writes: the values, and the run's own slots among them.
struct Out<'v, V: ?Sized> {
    values: &'v V,
    out: &'v [Cell<f64>],
}

impl<V: ?Sized> Out<'_, V> {
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn compares<S: SlotIndex>(self, compares: &[Compare<S>], op: impl Fn(f64, f64) -> bool)
    where
        V: Store<S>,
    {
        let Out { values, out } = self;
        for (compare, cell) in compares.iter().zip(out) {
            let left = values.get(compare.left);
            let right = values.get(compare.right);
            let unknown = left.is_nan() || right.is_nan();
            cell.set(select(unknown, compare.missing, truth(op(left, right))));
        }
    }

    /// Comparisons whose `op` already gives their value for an unknown side (see the
    /// `...ElseFalse` and `...ElseTrue` kinds), so they need no test for unknown. Four
    /// per loop step ([`each`]).
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn known_compares<S: SlotIndex>(self, compares: &[Compare<S>], op: impl Fn(f64, f64) -> bool)
    where
        V: Store<S>,
    {
        let Out { values, out } = self;
        each(compares, out, |compare| {
            truth(op(values.get(compare.left), values.get(compare.right)))
        });
    }

    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn unary<S: SlotIndex>(self, operands: &[S], op: impl Fn(f64) -> f64)
    where
        V: Store<S>,
    {
        let Out { values, out } = self;
        for (&a, cell) in operands.iter().zip(out) {
            cell.set(op(values.get(a)));
        }
    }

    /// Four per loop step ([`each`]).
    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn binary<S: SlotIndex>(self, operands: &[[S; 2]], op: impl Fn(f64, f64) -> f64)
    where
        V: Store<S>,
    {
        let Out { values, out } = self;
        each(operands, out, |&[a, b]| op(values.get(a), values.get(b)));
    }

    // A function of its own per kind keeps every loop's operands in registers.
    #[inline(never)]
    fn memberships<S: SlotIndex>(self, operands: &[(S, u64)])
    where
        V: Store<S>,
    {
        let Out { values, out } = self;
        for (&(a, options), cell) in operands.iter().zip(out) {
            let option = values.get(a);
            let value = if option.is_nan() {
                UNKNOWN
            } else {
                truth((options >> (option as u32).min(63)) & 1 == 1)
            };
            cell.set(value);
        }
    }
}

/// Writes `compute(operand)` into each operand's cell of `out`, four per loop step (the
/// compiler unrolls two at most): no operation of a run reads another's slot, so the
/// order of the writes is free.
#[inline(always)]
fn each<T>(operands: &[T], out: &[Cell<f64>], compute: impl Fn(&T) -> f64) {
    let len = operands.len().min(out.len());
    let operands = operands.get(..len).unwrap_or_default();
    let out = out.get(..len).unwrap_or_default();
    let (quads, cells) = (operands.chunks_exact(4), out.chunks_exact(4));
    let rest = quads.remainder().iter().zip(cells.remainder());
    for (quad, cells) in quads.zip(cells) {
        if let ([a, b, c, d], [w, x, y, z]) = (quad, cells) {
            w.set(compute(a));
            x.set(compute(b));
            y.set(compute(c));
            z.set(compute(d));
        }
    }
    for (operand, cell) in rest {
        cell.set(compute(operand));
    }
}

/// The `match` over a run's [`Kind`] that both evaluators share: every element-wise
/// kind (comparisons, `not`, negation, `and`/`or`, `coalesce` of two, arithmetic, `in`)
/// mapped to its operation, followed by the caller's arms for the aggregate kinds, whose
/// argument lists the row and the column evaluators read differently. `and` and `or`
/// are the caller's own (the column evaluator's are branch-free). A macro, not a
/// function table, so that each run stays one loop with its operation inlined.
macro_rules! match_run_kind {
    ($kind:expr, $tables:ident, $out:ident, $len:ident, { $($aggregates:tt)* }) => {
        match $kind {
            Kind::Less => $out.compares(take(&mut $tables.compares, $len), |a, b| a < b),
            Kind::LessOrEqual => $out.compares(take(&mut $tables.compares, $len), |a, b| a <= b),
            Kind::Equal => $out.compares(take(&mut $tables.compares, $len), |a, b| a == b),
            Kind::NotEqual => $out.compares(take(&mut $tables.compares, $len), |a, b| a != b),
            Kind::GreaterOrEqual => $out.compares(take(&mut $tables.compares, $len), |a, b| a >= b),
            Kind::Greater => $out.compares(take(&mut $tables.compares, $len), |a, b| a > b),
            Kind::LessElseFalse => $out.known_compares(take(&mut $tables.compares, $len), |a, b| a < b),
            Kind::LessOrEqualElseFalse => {
                $out.known_compares(take(&mut $tables.compares, $len), |a, b| a <= b)
            }
            Kind::EqualElseFalse => $out.known_compares(take(&mut $tables.compares, $len), |a, b| a == b),
            Kind::NotEqualElseFalse => {
                $out.known_compares(take(&mut $tables.compares, $len), |a, b| (a < b) | (a > b))
            }
            Kind::GreaterOrEqualElseFalse => {
                $out.known_compares(take(&mut $tables.compares, $len), |a, b| a >= b)
            }
            Kind::GreaterElseFalse => $out.known_compares(take(&mut $tables.compares, $len), |a, b| a > b),
            Kind::LessElseTrue => $out.known_compares(take(&mut $tables.compares, $len), less_else_true),
            Kind::LessOrEqualElseTrue => {
                $out.known_compares(take(&mut $tables.compares, $len), less_or_equal_else_true)
            }
            Kind::EqualElseTrue => {
                $out.known_compares(take(&mut $tables.compares, $len), |a, b| !((a < b) | (a > b)))
            }
            Kind::NotEqualElseTrue => $out.known_compares(take(&mut $tables.compares, $len), |a, b| a != b),
            Kind::GreaterOrEqualElseTrue => {
                $out.known_compares(take(&mut $tables.compares, $len), greater_or_equal_else_true)
            }
            Kind::GreaterElseTrue => $out.known_compares(take(&mut $tables.compares, $len), greater_else_true),
            Kind::Not => $out.unary(take(&mut $tables.unary, $len), |a| 1.0 - a),
            Kind::Negate => $out.unary(take(&mut $tables.unary, $len), |a| -a),
            Kind::And => $out.binary(take(&mut $tables.binary, $len), and),
            Kind::Or => $out.binary(take(&mut $tables.binary, $len), or),
            Kind::KnownAnd => $out.binary(take(&mut $tables.binary, $len), known_and),
            Kind::KnownOr => $out.binary(take(&mut $tables.binary, $len), known_or),
            Kind::Coalesce2 => {
                $out.binary(take(&mut $tables.binary, $len), |a, b| select(a.is_nan(), b, a))
            }
            Kind::Add => $out.binary(take(&mut $tables.binary, $len), |a, b| finite(a + b)),
            Kind::Subtract => $out.binary(take(&mut $tables.binary, $len), |a, b| finite(a - b)),
            Kind::Multiply => $out.binary(take(&mut $tables.binary, $len), |a, b| finite(a * b)),
            Kind::Divide => $out.binary(take(&mut $tables.binary, $len), |a, b| finite(a / b)),
            Kind::UncheckedAdd => $out.binary(take(&mut $tables.binary, $len), |a, b| a + b),
            Kind::UncheckedSubtract => $out.binary(take(&mut $tables.binary, $len), |a, b| a - b),
            Kind::UncheckedMultiply => $out.binary(take(&mut $tables.binary, $len), |a, b| a * b),
            Kind::UncheckedDivide => $out.binary(take(&mut $tables.binary, $len), |a, b| a / b),
            Kind::In => $out.memberships(take(&mut $tables.memberships, $len)),
            $($aggregates)*
        }
    };
}
pub(super) use match_run_kind;

/// `a < b`, or true where a side is unknown: `>=` is false on NaN.
#[expect(
    clippy::neg_cmp_op_on_partial_ord,
    reason = "the negation makes NaN true"
)]
fn less_else_true(a: f64, b: f64) -> bool {
    !(a >= b)
}

/// `a <= b`, or true where a side is unknown.
#[expect(
    clippy::neg_cmp_op_on_partial_ord,
    reason = "the negation makes NaN true"
)]
fn less_or_equal_else_true(a: f64, b: f64) -> bool {
    !(a > b)
}

/// `a >= b`, or true where a side is unknown.
#[expect(
    clippy::neg_cmp_op_on_partial_ord,
    reason = "the negation makes NaN true"
)]
fn greater_or_equal_else_true(a: f64, b: f64) -> bool {
    !(a < b)
}

/// `a > b`, or true where a side is unknown.
#[expect(
    clippy::neg_cmp_op_on_partial_ord,
    reason = "the negation makes NaN true"
)]
fn greater_else_true(a: f64, b: f64) -> bool {
    !(a <= b)
}

/// Conjunction of operands that are never unknown (+0, -0 or 1): the smaller one, and
/// adding +0 turns -0 into +0, so the result is exactly +0 or 1 (a `minsd` and an
/// `addsd`, no comparison to a truth value).
fn known_and(left: f64, right: f64) -> f64 {
    let smaller = if left < right { left } else { right };
    smaller + 0.0
}

/// Disjunction of operands that are never unknown (+0, -0 or 1): the larger one, made
/// exactly +0 or 1 as in [`known_and`].
fn known_or(left: f64, right: f64) -> f64 {
    let larger = if left > right { left } else { right };
    larger + 0.0
}

/// Kleene conjunction: false wins over unknown.
fn and(left: f64, right: f64) -> f64 {
    if left == 0.0 || right == 0.0 {
        0.0
    } else if left.is_nan() || right.is_nan() {
        UNKNOWN
    } else {
        1.0
    }
}

/// Kleene disjunction: true wins over unknown.
fn or(left: f64, right: f64) -> f64 {
    if left == 1.0 || right == 1.0 {
        1.0
    } else if left.is_nan() || right.is_nan() {
        UNKNOWN
    } else {
        0.0
    }
}

/// Arithmetic results: division by zero and any other non-finite result is unknown
/// (without a branch: an unknown operand makes the result unknown).
pub(super) fn finite(result: f64) -> f64 {
    select(result.is_finite(), result, UNKNOWN)
}

fn coalesce<S: Copy, V: Store<S> + ?Sized>(values: &V, slots: &[S]) -> f64 {
    slots
        .iter()
        .map(|&slot| values.get(slot))
        .find(|known| !known.is_nan())
        .unwrap_or(UNKNOWN)
}

fn count<S: Copy, V: Store<S> + ?Sized>(values: &V, slots: &[S]) -> f64 {
    let known = slots.iter().filter(|&&slot| !values.get(slot).is_nan());
    known.count() as f64
}

/// The mean of the known values; unknown when none is known. Two to five arguments (the
/// common calls) are added unrolled, without a loop.
fn avg<S: Copy, V: Store<S> + ?Sized>(values: &V, slots: &[S]) -> f64 {
    let get = |slot: &S| values.get(*slot);
    match slots {
        [a, b] => mean_of([get(a), get(b)]),
        [a, b, c] => mean_of([get(a), get(b), get(c)]),
        [a, b, c, d] => mean_of([get(a), get(b), get(c), get(d)]),
        [a, b, c, d, e] => mean_of([get(a), get(b), get(c), get(d), get(e)]),
        _ => mean(slots.iter().map(get)),
    }
}

/// The mean of the known values of a fixed number of them, as [`mean`] computes it.
#[inline(always)]
fn mean_of<const N: usize>(values: [f64; N]) -> f64 {
    let (mut sum, mut count) = (0.0, 0.0);
    for value in values {
        let (value, one) = known_part(value);
        sum += value;
        count += one;
    }
    if !sum.is_finite() {
        return mean(values.into_iter());
    }
    // With no known value the quotient is NaN, but not necessarily `UNKNOWN`'s NaN.
    select(count == 0.0, UNKNOWN, sum / count)
}

/// What a value adds to a mean's sum and count: itself and 1 when known, +0 and +0 when
/// not, masked rather than selected. Adding +0 for an unknown value changes nothing:
/// the sum starts at +0 and is never -0.
#[inline(always)]
fn known_part(value: f64) -> (f64, f64) {
    let known = 0u64.wrapping_sub(u64::from(!value.is_nan()));
    let one = f64::from_bits(1f64.to_bits() & known);
    (f64::from_bits(value.to_bits() & known), one)
}

/// `x - x`: +0 exactly for a finite `x`, NaN for an infinite or NaN one.
#[inline(always)]
#[expect(
    clippy::eq_op,
    reason = "x - x tells a finite x from an infinite or NaN one in a packed operation"
)]
fn spread(x: f64) -> f64 {
    x - x
}

/// The means of two calls of `N` values each, as [`mean_of`] computes each: the same
/// masked additions in the same order, lane by lane, so that the compiler does both
/// calls' in one register; `None` when a sum is not finite (an overflow, or an
/// infinite value), for [`mean_of`] to take each call again.
#[inline(always)]
fn means_of_two<const N: usize>(calls: [[f64; N]; 2]) -> Option<[f64; 2]> {
    let (mut sum, mut count) = ([0.0; 2], [0.0; 2]);
    let [first, second] = calls;
    for (a, b) in first.into_iter().zip(second) {
        let ((a, one_a), (b, one_b)) = (known_part(a), known_part(b));
        sum = [sum[0] + a, sum[1] + b];
        count = [count[0] + one_a, count[1] + one_b];
    }
    // One test of both lanes at once.
    if (spread(sum[0]) != 0.0) | (spread(sum[1]) != 0.0) {
        return None;
    }
    let means = [sum[0] / count[0], sum[1] / count[1]];
    // With no known value the quotient is NaN, but not necessarily `UNKNOWN`'s NaN.
    Some([
        select(count[0] == 0.0, UNKNOWN, means[0]),
        select(count[1] == 0.0, UNKNOWN, means[1]),
    ])
}

/// The mean of the known values; unknown when none is known.
fn mean(values: impl Iterator<Item = f64> + Clone) -> f64 {
    let (mut sum, mut count) = (0.0, 0u32);
    for value in values.clone() {
        let known = !value.is_nan();
        // Adding +0 for an unknown value changes nothing: the sum starts at +0 and is
        // never -0.
        sum += select(known, value, 0.0);
        count += u32::from(known);
    }
    if count == 0 {
        return UNKNOWN;
    }
    let count = f64::from(count);
    if sum.is_finite() {
        return sum / count;
    }
    // The sum overflowed (answers near the largest number): divide each value first; the
    // mean of finite numbers lies between them, so it is finite too.
    let mut mean = 0.0;
    for value in values {
        mean += select(!value.is_nan(), value / count, 0.0);
    }
    finite(mean)
}

/// Folds the known values with `combine`; unknown when none is known.
fn fold_known<S: Copy, V: Store<S> + ?Sized>(
    values: &V,
    slots: &[S],
    combine: fn(f64, f64) -> f64,
) -> f64 {
    slots
        .iter()
        .map(|&slot| values.get(slot))
        .filter(|known| !known.is_nan())
        .reduce(combine)
        .unwrap_or(UNKNOWN)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::eval::test_values::value;

    /// A comparison of two values.
    type Predicate = fn(f64, f64) -> bool;

    /// The value of a comparison by `op` that tests for unknown sides: `missing` where
    /// one is unknown.
    fn tested(op: fn(f64, f64) -> bool, a: f64, b: f64, missing: f64) -> f64 {
        select(a.is_nan() || b.is_nan(), missing, truth(op(a, b)))
    }

    /// The values a boolean operand that is never unknown can hold.
    const KNOWN_TRUTHS: [f64; 3] = [0.0, -0.0, 1.0];

    /// `and` and `or` of operands that are never unknown give, bit for bit, what Kleene
    /// logic gives (and what their comparisons to truth values gave) for every pair of
    /// +0, -0 and 1.
    #[test]
    fn known_and_or_are_kleene_logic_on_known_operands() {
        for a in KNOWN_TRUTHS {
            for b in KNOWN_TRUTHS {
                let (kleene_and, kleene_or) = (and(a, b), or(a, b));
                assert_eq!(
                    known_and(a, b).to_bits(),
                    kleene_and.to_bits(),
                    "{a} and {b}"
                );
                assert_eq!(known_or(a, b).to_bits(), kleene_or.to_bits(), "{a} or {b}");
                let compared_and = truth((a != 0.0) & (b != 0.0));
                let compared_or = truth((a == 1.0) | (b == 1.0));
                assert_eq!(known_and(a, b).to_bits(), compared_and.to_bits());
                assert_eq!(known_or(a, b).to_bits(), compared_or.to_bits());
            }
        }
    }

    /// Finite sums take the side-by-side way: unknown where a call knows no value.
    #[test]
    fn means_of_two_calls_with_finite_sums_need_no_second_look() {
        let means = means_of_two([[1.0, 2.0, f64::NAN], [f64::NAN; 3]]);
        assert_eq!(means.map(|[a, b]| (a, b.is_nan())), Some((1.5, true)));
        assert_eq!(means_of_two([[f64::MAX, f64::MAX], [0.0, 1.0]]), None);
    }

    proptest! {
        /// `avg` of two to five arguments, added unrolled, is the loop's mean bit for bit.
        #[test]
        fn an_unrolled_mean_is_the_loops_mean(values in prop::collection::vec(value(), 1..8)) {
            let slots: Vec<u32> = (0..values.len() as u32).collect();
            let unrolled = avg(values.as_slice(), &slots);
            let looped = mean(values.iter().copied());
            prop_assert_eq!(unrolled.to_bits(), looped.to_bits());
        }

        /// Two calls' means computed side by side are each call's mean on its own, bit
        /// for bit, infinite values and overflowing sums included.
        #[test]
        fn means_of_two_calls_are_each_calls_mean(
            first in prop::array::uniform5(prop_oneof![value(), Just(f64::INFINITY)]),
            second in prop::array::uniform5(prop_oneof![value(), Just(f64::NEG_INFINITY)]),
        ) {
            let one_by_one = |calls: [[f64; 5]; 2]| calls.map(mean_of);
            let bits = |means: [f64; 2]| means.map(f64::to_bits);
            let expected = bits(one_by_one([first, second]));
            let together = means_of_two([first, second]).unwrap_or_else(|| one_by_one([first, second]));
            prop_assert_eq!(bits(together), expected);
            let [a, b, c, ..] = first;
            let [d, e, f, ..] = second;
            let short = [[a, b, c], [d, e, f]];
            let together = means_of_two(short).unwrap_or_else(|| short.map(mean_of));
            prop_assert_eq!(bits(together), bits(short.map(mean_of)));
        }

        /// Each comparison kind without a test for unknown gives, bit for bit, what the
        /// tested comparison gives with `missing` false or true.
        #[test]
        fn comparisons_else_false_or_true_are_the_tested_ones(a in value(), b in value()) {
            let kinds: [(Predicate, Predicate, Predicate); 6] = [
                (|a, b| a < b, |a, b| a < b, less_else_true),
                (|a, b| a <= b, |a, b| a <= b, less_or_equal_else_true),
                (|a, b| a == b, |a, b| a == b, |a, b| !((a < b) | (a > b))),
                (|a, b| a != b, |a, b| (a < b) | (a > b), |a, b| a != b),
                (|a, b| a >= b, |a, b| a >= b, greater_or_equal_else_true),
                (|a, b| a > b, |a, b| a > b, greater_else_true),
            ];
            for (op, else_false, else_true) in kinds {
                prop_assert_eq!(truth(else_false(a, b)).to_bits(), tested(op, a, b, 0.0).to_bits());
                prop_assert_eq!(truth(else_true(a, b)).to_bits(), tested(op, a, b, 1.0).to_bits());
            }
        }
    }
}
