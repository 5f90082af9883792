//! The expression interpreter. Values are `f64`: booleans are 0 and 1, choice options
//! their index, NaN is unknown.
//!
//! Every node's operands stand before it in the arena (the compiler lowers bottom-up), so
//! one pass in arena order computes every node exactly once: no recursion, no memo, and
//! shared subexpressions such as `avg(toetsing.*)` cost one computation per programme.

use crate::ruleset::{Aggregate, ArgumentRange, ArithmeticOp, Node, Program};

const UNKNOWN: f64 = f64::NAN;

fn truth(value: bool) -> f64 {
    if value {
        1.0
    } else {
        0.0
    }
}

/// Computes the value of every node of `program` for the answers in `slots`, into
/// `values` (cleared first), indexed by node id.
pub(super) fn evaluate_nodes(program: &Program, slots: &[f64], values: &mut Vec<f64>) {
    values.clear();
    values.resize(program.nodes.len(), UNKNOWN);
    for (index, node) in program.nodes.iter().enumerate() {
        let (before, rest) = values.split_at_mut(index);
        if let Some(slot) = rest.first_mut() {
            *slot = node_value(program, slots, before, *node);
        }
    }
}

/// One node's value from the values of the nodes before it.
fn node_value(program: &Program, slots: &[f64], values: &[f64], node: Node) -> f64 {
    // INVARIANT: operands have smaller ids than the node, so they are in `values`.
    let operand = |id: u32| values.get(id as usize).copied().unwrap_or(UNKNOWN);
    match node {
        Node::Constant(constant) => constant,
        Node::Answer(question) => slots.get(question as usize).copied().unwrap_or(UNKNOWN),
        Node::Not(a) => 1.0 - operand(a),
        Node::Negate(a) => -operand(a),
        Node::And(a, b) => and(operand(a), operand(b)),
        Node::Or(a, b) => or(operand(a), operand(b)),
        Node::Compare(op, a, b) => {
            let (left, right) = (operand(a), operand(b));
            if left.is_nan() || right.is_nan() {
                UNKNOWN
            } else {
                truth(op.apply(left, right))
            }
        }
        Node::Arithmetic(op, a, b) => arithmetic(op, operand(a), operand(b)),
        Node::In(a, options) => {
            let option = operand(a);
            if option.is_nan() {
                UNKNOWN
            } else {
                truth((options >> (option as u32).min(63)) & 1 == 1)
            }
        }
        Node::Call(function, arguments) => call(program, values, function, arguments),
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
    let value = |node: &u32| values.get(*node as usize).copied().unwrap_or(UNKNOWN);
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
        Aggregate::Avg => average(nodes.iter().map(value).filter(|known| !known.is_nan())),
    }
}

/// The mean of the known values; unknown when there are none. When the sum overflows
/// (answers near the largest number), each value is divided first: the mean of finite
/// numbers lies between them, so it is finite too.
fn average(known: impl Iterator<Item = f64> + Clone) -> f64 {
    let (mut sum, mut count) = (0.0, 0u32);
    for value in known.clone() {
        sum += value;
        count += 1;
    }
    if count == 0 {
        return UNKNOWN;
    }
    let count = f64::from(count);
    let mean = if sum.is_finite() {
        sum / count
    } else {
        known.map(|value| value / count).sum()
    };
    if mean.is_finite() {
        mean
    } else {
        UNKNOWN
    }
}

/// Folds the known values with `combine`; unknown when none is known.
fn fold_known(nodes: &[u32], value: impl Fn(&u32) -> f64, combine: fn(f64, f64) -> f64) -> f64 {
    nodes
        .iter()
        .map(value)
        .filter(|known| !known.is_nan())
        .reduce(combine)
        .unwrap_or(UNKNOWN)
}
