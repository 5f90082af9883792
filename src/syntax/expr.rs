//! Expressions: pest pairs to [`Expr`] through one Pratt parser, lowest precedence first.

use std::sync::{Arc, LazyLock};

use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::{Argument, BinaryOp, CompareOp, Expr, ExprKind, Function, Name, UnaryOp};
use super::build::{build_name, number_value, span_of, Context};
use super::{too_deep, Rule, MAX_NESTING};
use crate::diagnostic::{Diagnostic, SourceFile};

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        .op(Op::infix(Rule::lt, Assoc::Left)
            | Op::infix(Rule::le, Assoc::Left)
            | Op::infix(Rule::gt, Assoc::Left)
            | Op::infix(Rule::ge, Assoc::Left)
            | Op::infix(Rule::eq, Assoc::Left)
            | Op::infix(Rule::ne, Assoc::Left)
            | Op::postfix(Rule::in_list))
        .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
        .op(Op::infix(Rule::mul, Assoc::Left) | Op::infix(Rule::div, Assoc::Left))
        .op(Op::prefix(Rule::neg))
});

/// An expression and how deep its tree is, so over-deep trees are refused while building.
type Built = Result<(Expr, usize), Box<Diagnostic>>;

/// Builds an `expr` pair.
pub(super) fn build_expr(
    cx: &mut Context<'_>,
    pair: Pair<'_, Rule>,
) -> Result<Expr, Box<Diagnostic>> {
    build_pairs(cx, pair.into_inner()).map(|(expr, _)| expr)
}

fn build_pairs(cx: &mut Context<'_>, pairs: Pairs<'_, Rule>) -> Built {
    let file = cx.file;
    PRATT
        .map_primary(|primary| build_primary(cx, primary))
        .map_prefix(|op, operand| {
            let (operand, depth) = operand?;
            let unary = if op.as_rule() == Rule::not_op {
                UnaryOp::Not
            } else {
                UnaryOp::Negate
            };
            let span = op.as_span().start()..operand.span.end;
            nest(file, ExprKind::Unary(unary, Box::new(operand)), span, depth)
        })
        .map_postfix(|operand, op| {
            let (operand, depth) = operand?;
            let span = operand.span.start..op.as_span().end();
            let options = op.into_inner().map(build_name).collect();
            nest(file, ExprKind::In(Box::new(operand), options), span, depth)
        })
        .map_infix(|left, op, right| {
            let ((left, left_depth), (right, right_depth)) = (left?, right?);
            let span = left.span.start..right.span.end;
            let kind = ExprKind::Binary(binary_op(op.as_rule()), Box::new(left), Box::new(right));
            nest(file, kind, span, left_depth.max(right_depth))
        })
        .parse(pairs)
}

fn nest(file: &Arc<SourceFile>, kind: ExprKind, span: super::ast::Span, depth: usize) -> Built {
    if depth + 1 > MAX_NESTING {
        return Err(Box::new(too_deep(file, span)));
    }
    Ok((Expr { kind, span }, depth + 1))
}

fn binary_op(rule: Rule) -> BinaryOp {
    match rule {
        Rule::or_op => BinaryOp::Or,
        Rule::and_op => BinaryOp::And,
        Rule::lt => BinaryOp::Compare(CompareOp::Lt),
        Rule::le => BinaryOp::Compare(CompareOp::Le),
        Rule::gt => BinaryOp::Compare(CompareOp::Gt),
        Rule::ge => BinaryOp::Compare(CompareOp::Ge),
        Rule::eq => BinaryOp::Compare(CompareOp::Eq),
        Rule::ne => BinaryOp::Compare(CompareOp::Ne),
        Rule::add => BinaryOp::Add,
        Rule::sub => BinaryOp::Subtract,
        Rule::mul => BinaryOp::Multiply,
        _ => BinaryOp::Divide,
    }
}

fn build_primary(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Built {
    let span = span_of(&pair);
    let leaf = |kind| {
        Ok((
            Expr {
                kind,
                span: span.clone(),
            },
            1,
        ))
    };
    match pair.as_rule() {
        Rule::number => leaf(ExprKind::Number(number_value(cx, pair.as_str(), &span))),
        Rule::bool_lit => leaf(ExprKind::Bool(matches!(pair.as_str(), "yes" | "true"))),
        Rule::path | Rule::placeholder => leaf(ExprKind::Reference(pair.as_str().to_owned())),
        Rule::call => build_call(cx, pair),
        _ => build_pairs(cx, pair.into_inner()),
    }
}

fn build_call(cx: &mut Context<'_>, pair: Pair<'_, Rule>) -> Built {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let function = match inner.next().map(|name| name.as_str()) {
        Some("avg") => Function::Avg,
        Some("min") => Function::Min,
        Some("max") => Function::Max,
        Some("count") => Function::Count,
        Some("answered") => Function::Answered,
        Some("missing") => Function::Missing,
        _ => Function::Coalesce,
    };
    let mut depth = 0;
    let mut arguments = Vec::new();
    for argument in inner {
        if argument.as_rule() == Rule::glob {
            let text = argument.as_str().trim_end_matches(".*").to_owned();
            arguments.push(Argument::Glob(Name {
                text,
                span: span_of(&argument),
            }));
        } else {
            let (expr, expr_depth) = build_pairs(cx, argument.into_inner())?;
            depth = depth.max(expr_depth);
            arguments.push(Argument::Expr(expr));
        }
    }
    nest(cx.file, ExprKind::Call(function, arguments), span, depth)
}
