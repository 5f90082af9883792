//! The expression interpreter. Values are `f64`: booleans are 0 and 1, choice options
//! their index, NaN is unknown.
//!
//! The value vector holds the answers, then the program's constants, then one value per
//! operation. Operations come in runs of one kind whose operations read only slots
//! before the run (the compiler orders them so), so one pass computes every operation
//! exactly once, one tight loop per run: no recursion, no memo, no dispatch per
//! operation, and shared subexpressions such as `avg(toetsing.*)` cost one computation
//! per programme.

use crate::ruleset::{ArgumentRange, Compare, Kind, Program, Slot};

const UNKNOWN: f64 = f64::NAN;

fn truth(value: bool) -> f64 {
    if value {
        1.0
    } else {
        0.0
    }
}

/// Computes the value of every slot of `program` for the answers in `answers`, into
/// `values` (cleared first), indexed by slot.
pub(crate) fn evaluate_program(program: &Program, answers: &[f64], values: &mut Vec<f64>) {
    values.clear();
    let questions = program.questions as usize;
    values.extend_from_slice(answers.get(..questions).unwrap_or(answers));
    values.resize(questions, UNKNOWN);
    values.extend_from_slice(&program.constants);
    values.resize(program.slot_count(), UNKNOWN);
    let mut tables = Tables::new(program);
    let mut done = program.first_op_slot();
    for run in &program.runs {
        let len = run.len as usize;
        let split = done.min(values.len());
        let (before, rest) = values.split_at_mut(split);
        let out = rest.get_mut(..len).unwrap_or_default();
        tables.run(run.kind, len, before, out);
        done += len;
    }
}

/// The operand tables, each read from the front as runs take their operations.
struct Tables<'p> {
    compares: &'p [Compare],
    unary: &'p [Slot],
    binary: &'p [[Slot; 2]],
    memberships: &'p [(Slot, u64)],
    calls: &'p [ArgumentRange],
    arguments: &'p [Slot],
}

/// The next `len` entries of `table`, which then starts after them.
fn take<'p, T>(table: &mut &'p [T], len: usize) -> &'p [T] {
    let (taken, rest) = table.split_at(len.min(table.len()));
    *table = rest;
    taken
}

impl<'p> Tables<'p> {
    fn new(program: &'p Program) -> Self {
        Tables {
            compares: &program.compares,
            unary: &program.unary,
            binary: &program.binary,
            memberships: &program.memberships,
            calls: &program.calls,
            arguments: &program.arguments,
        }
    }

    /// Computes a run of `len` operations of `kind` into `out` from the slots `before`.
    fn run(&mut self, kind: Kind, len: usize, before: &[f64], out: &mut [f64]) {
        match kind {
            Kind::Compare => compares(out, before, take(&mut self.compares, len)),
            Kind::Not => unary(out, before, take(&mut self.unary, len), |a| 1.0 - a),
            Kind::Negate => unary(out, before, take(&mut self.unary, len), |a| -a),
            Kind::And => binary(out, before, take(&mut self.binary, len), and),
            Kind::Or => binary(out, before, take(&mut self.binary, len), or),
            Kind::Add => binary(out, before, take(&mut self.binary, len), |a, b| {
                finite(a + b)
            }),
            Kind::Subtract => binary(out, before, take(&mut self.binary, len), |a, b| {
                finite(a - b)
            }),
            Kind::Multiply => binary(out, before, take(&mut self.binary, len), |a, b| {
                finite(a * b)
            }),
            Kind::Divide => binary(out, before, take(&mut self.binary, len), |a, b| {
                finite(a / b)
            }),
            Kind::In => memberships(out, before, take(&mut self.memberships, len)),
            Kind::Avg => self.calls(out, before, len, avg),
            Kind::Min => self.calls(out, before, len, |v, a| fold_known(v, a, f64::min)),
            Kind::Max => self.calls(out, before, len, |v, a| fold_known(v, a, f64::max)),
            Kind::Count => self.calls(out, before, len, count),
            Kind::Answered => self.calls(out, before, len, |v, a| {
                truth(a.iter().any(|&slot| !value(v, slot).is_nan()))
            }),
            Kind::Missing => self.calls(out, before, len, |v, a| {
                truth(a.iter().all(|&slot| value(v, slot).is_nan()))
            }),
            Kind::Coalesce => self.calls(out, before, len, coalesce),
        }
    }

    /// A run of calls of `function` on their argument slots.
    fn calls(
        &mut self,
        out: &mut [f64],
        before: &[f64],
        len: usize,
        function: impl Fn(&[f64], &[Slot]) -> f64,
    ) {
        let arguments = self.arguments;
        for (slot, range) in out.iter_mut().zip(take(&mut self.calls, len)) {
            let slots = arguments.get(range.range()).unwrap_or_default();
            *slot = function(before, slots);
        }
    }
}

/// The value in `slot`. INVARIANT: the compiler only emits operands before the run, so
/// the slot is always in `values`; unknown otherwise, which no program reaches.
fn value(values: &[f64], slot: Slot) -> f64 {
    values.get(slot as usize).copied().unwrap_or(UNKNOWN)
}

fn compares(out: &mut [f64], before: &[f64], compares: &[Compare]) {
    for (slot, compare) in out.iter_mut().zip(compares) {
        let (left, right) = (value(before, compare.left), value(before, compare.right));
        *slot = if left.is_nan() || right.is_nan() {
            compare.missing
        } else {
            // Bit 0 less, bit 1 equal, bit 2 greater.
            let ordering = 2 * u8::from(left > right) + u8::from(left == right);
            truth((compare.mask >> ordering) & 1 == 1)
        };
    }
}

fn unary(out: &mut [f64], before: &[f64], operands: &[Slot], op: impl Fn(f64) -> f64) {
    for (slot, &a) in out.iter_mut().zip(operands) {
        *slot = op(value(before, a));
    }
}

fn binary(out: &mut [f64], before: &[f64], operands: &[[Slot; 2]], op: impl Fn(f64, f64) -> f64) {
    for (slot, &[a, b]) in out.iter_mut().zip(operands) {
        *slot = op(value(before, a), value(before, b));
    }
}

fn memberships(out: &mut [f64], before: &[f64], operands: &[(Slot, u64)]) {
    for (slot, &(a, options)) in out.iter_mut().zip(operands) {
        let option = value(before, a);
        *slot = if option.is_nan() {
            UNKNOWN
        } else {
            truth((options >> (option as u32).min(63)) & 1 == 1)
        };
    }
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

/// Arithmetic results: division by zero and any other non-finite result is unknown.
fn finite(result: f64) -> f64 {
    if result.is_finite() {
        result
    } else {
        UNKNOWN
    }
}

fn coalesce(values: &[f64], slots: &[Slot]) -> f64 {
    slots
        .iter()
        .map(|&slot| value(values, slot))
        .find(|known| !known.is_nan())
        .unwrap_or(UNKNOWN)
}

fn count(values: &[f64], slots: &[Slot]) -> f64 {
    let known = slots.iter().filter(|&&slot| !value(values, slot).is_nan());
    known.count() as f64
}

fn avg(values: &[f64], slots: &[Slot]) -> f64 {
    let (mut sum, mut count) = (0.0, 0u32);
    for &slot in slots {
        let known = value(values, slot);
        if !known.is_nan() {
            sum += known;
            count += 1;
        }
    }
    if count == 0 {
        UNKNOWN
    } else {
        sum / f64::from(count)
    }
}

/// Folds the known values with `combine`; unknown when none is known.
fn fold_known(values: &[f64], slots: &[Slot], combine: fn(f64, f64) -> f64) -> f64 {
    slots
        .iter()
        .map(|&slot| value(values, slot))
        .filter(|known| !known.is_nan())
        .reduce(combine)
        .unwrap_or(UNKNOWN)
}
