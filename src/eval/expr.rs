//! The expression interpreter over the node arena. Values are `f64`; booleans are 0 and
//! 1; NaN is unknown. Recursion depth is bounded by the parser's nesting limit.

use crate::ruleset::{Aggregate, ArgumentRange, ArithmeticOp, Node, NodeId, Program};

const UNKNOWN: f64 = f64::NAN;

fn truth(value: bool) -> f64 {
    if value {
        1.0
    } else {
        0.0
    }
}

/// The value of `node` for the answers in `slots`.
pub(super) fn value(program: &Program, slots: &[f64], node: NodeId) -> f64 {
    let Some(&node) = program.nodes.get(node as usize) else {
        return UNKNOWN;
    };
    match node {
        Node::Constant(constant) => constant,
        Node::Answer(question) => slots.get(question as usize).copied().unwrap_or(UNKNOWN),
        Node::Not(operand) => 1.0 - value(program, slots, operand),
        Node::Negate(operand) => -value(program, slots, operand),
        Node::And(left, right) => and(program, slots, left, right),
        Node::Or(left, right) => or(program, slots, left, right),
        Node::Compare(op, left, right) => {
            let (left, right) = (value(program, slots, left), value(program, slots, right));
            if left.is_nan() || right.is_nan() {
                UNKNOWN
            } else {
                truth(op.apply(left, right))
            }
        }
        Node::Arithmetic(op, left, right) => arithmetic(
            op,
            value(program, slots, left),
            value(program, slots, right),
        ),
        Node::In(operand, options) => {
            let option = value(program, slots, operand);
            if option.is_nan() {
                UNKNOWN
            } else {
                truth((options >> (option as u32).min(63)) & 1 == 1)
            }
        }
        Node::Call(function, arguments) => call(program, slots, function, arguments),
    }
}

/// Kleene conjunction: false wins over unknown.
fn and(program: &Program, slots: &[f64], left: NodeId, right: NodeId) -> f64 {
    let left = value(program, slots, left);
    if left == 0.0 {
        return 0.0;
    }
    let right = value(program, slots, right);
    if right == 0.0 {
        0.0
    } else if left.is_nan() || right.is_nan() {
        UNKNOWN
    } else {
        1.0
    }
}

/// Kleene disjunction: true wins over unknown.
fn or(program: &Program, slots: &[f64], left: NodeId, right: NodeId) -> f64 {
    let left = value(program, slots, left);
    if left == 1.0 {
        return 1.0;
    }
    let right = value(program, slots, right);
    if right == 1.0 {
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

fn call(program: &Program, slots: &[f64], function: Aggregate, arguments: ArgumentRange) -> f64 {
    let nodes = program.arguments.get(arguments.range()).unwrap_or_default();
    let mut known = nodes
        .iter()
        .map(|&node| value(program, slots, node))
        .filter(|value| !value.is_nan());
    match function {
        Aggregate::Coalesce => known.next().unwrap_or(UNKNOWN),
        Aggregate::Answered => truth(known.next().is_some()),
        Aggregate::Missing => truth(known.next().is_none()),
        Aggregate::Count => known.count() as f64,
        Aggregate::Min => known.reduce(f64::min).unwrap_or(UNKNOWN),
        Aggregate::Max => known.reduce(f64::max).unwrap_or(UNKNOWN),
        Aggregate::Avg => {
            let (sum, count) =
                known.fold((0.0, 0u32), |(sum, count), value| (sum + value, count + 1));
            if count == 0 {
                UNKNOWN
            } else {
                sum / f64::from(count)
            }
        }
    }
}
