//! The expression interpreter. Values are `f64`: booleans are 0 and 1, choice options
//! their index, NaN is unknown.
//!
//! The value vector holds the answers, then the program's constants, then one value per
//! operation. Every operation reads only slots before its own (the compiler emits
//! operands first), so one pass in program order computes every operation exactly once:
//! no recursion, no memo, and shared subexpressions such as `avg(toetsing.*)` cost one
//! computation per programme.

use crate::ruleset::{Aggregate, ArgumentRange, ArithmeticOp, Op, Program, Slot};

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
    values.reserve(program.first_op_slot() + program.ops.len());
    let questions = program.questions as usize;
    values.extend_from_slice(answers.get(..questions).unwrap_or(answers));
    values.resize(questions, UNKNOWN);
    values.extend_from_slice(&program.constants);
    for op in &program.ops {
        let value = op_value(program, values, *op);
        values.push(value);
    }
}

/// One operation's value from the values of the slots before it.
fn op_value(program: &Program, values: &[f64], op: Op) -> f64 {
    // INVARIANT: operands are slots before the operation's own, so they are in `values`.
    let operand = |slot: Slot| values.get(slot as usize).copied().unwrap_or(UNKNOWN);
    match op {
        Op::Not(a) => 1.0 - operand(a),
        Op::Negate(a) => -operand(a),
        Op::And(a, b) => and(operand(a), operand(b)),
        Op::Or(a, b) => or(operand(a), operand(b)),
        Op::Compare {
            mask,
            left,
            right,
            missing,
        } => compare(mask, operand(left), operand(right), missing),
        Op::Arithmetic(op, a, b) => arithmetic(op, operand(a), operand(b)),
        Op::In(a, options) => {
            let option = operand(a);
            if option.is_nan() {
                UNKNOWN
            } else {
                truth((options >> (option as u32).min(63)) & 1 == 1)
            }
        }
        Op::Call(function, arguments) => call(program, values, function, arguments),
    }
}

/// A comparison by mask (bit 0 less, bit 1 equal, bit 2 greater); `missing` when a side
/// is unknown.
fn compare(mask: u8, left: f64, right: f64, missing: f64) -> f64 {
    if left.is_nan() || right.is_nan() {
        return missing;
    }
    let ordering = 2 * u8::from(left > right) + u8::from(left == right);
    truth((mask >> ordering) & 1 == 1)
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

/// Arithmetic; division by zero and any other non-finite result is unknown.
fn arithmetic(op: ArithmeticOp, left: f64, right: f64) -> f64 {
    let result = match op {
        ArithmeticOp::Add => left + right,
        ArithmeticOp::Subtract => left - right,
        ArithmeticOp::Multiply => left * right,
        ArithmeticOp::Divide => left / right,
    };
    if result.is_finite() {
        result
    } else {
        UNKNOWN
    }
}

fn call(program: &Program, values: &[f64], function: Aggregate, arguments: ArgumentRange) -> f64 {
    let nodes = program.arguments.get(arguments.range()).unwrap_or_default();
    let value = |slot: &Slot| values.get(*slot as usize).copied().unwrap_or(UNKNOWN);
    match function {
        Aggregate::Coalesce => {
            for node in nodes {
                let known = value(node);
                if !known.is_nan() {
                    return known;
                }
            }
            UNKNOWN
        }
        Aggregate::Answered => truth(nodes.iter().any(|node| !value(node).is_nan())),
        Aggregate::Missing => truth(nodes.iter().all(|node| value(node).is_nan())),
        Aggregate::Count => nodes.iter().filter(|node| !value(node).is_nan()).count() as f64,
        Aggregate::Min => fold_known(nodes, value, f64::min),
        Aggregate::Max => fold_known(nodes, value, f64::max),
        Aggregate::Avg => {
            let (mut sum, mut count) = (0.0, 0u32);
            for node in nodes {
                let known = value(node);
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
    }
}

/// Folds the known values with `combine`; unknown when none is known.
fn fold_known(nodes: &[Slot], value: impl Fn(&Slot) -> f64, combine: fn(f64, f64) -> f64) -> f64 {
    nodes
        .iter()
        .map(value)
        .filter(|known| !known.is_nan())
        .reduce(combine)
        .unwrap_or(UNKNOWN)
}
