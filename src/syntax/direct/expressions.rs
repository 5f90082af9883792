//! Expressions: the grammar's `expr` read into a flat run of operators and operands (the
//! pairs pest gives `syntax::expr`), then folded by the same Pratt algorithm with the same
//! precedences, spans and depth limit as `syntax::expr`.

use std::iter::Peekable;
use std::vec::IntoIter;

use super::super::ast::*;
use super::{Built, Reader, MAX_NESTING};

/// One pair of an `expr`, in order.
enum Piece {
    /// `not` or `-`, and where it starts.
    Prefix(UnaryOp, usize),
    /// A primary with its depth.
    Operand(Built),
    /// `in [...]`: the options and where it ends.
    Postfix(Vec<Name>, usize),
    /// An infix operator.
    Infix(BinaryOp),
}

impl Piece {
    /// The binding power pest's `PrattParser` gives the operator (`syntax::expr::PRATT`,
    /// lowest first, ten apart); operands bind nothing.
    fn precedence(&self) -> u32 {
        match self {
            Piece::Prefix(UnaryOp::Not, _) => 30,
            Piece::Prefix(UnaryOp::Negate, _) => 70,
            Piece::Operand(_) => 0,
            Piece::Postfix(..) => 40,
            Piece::Infix(op) => match op {
                BinaryOp::Or => 10,
                BinaryOp::And => 20,
                BinaryOp::Compare(_) => 40,
                BinaryOp::Add | BinaryOp::Subtract => 50,
                BinaryOp::Multiply | BinaryOp::Divide => 60,
            },
        }
    }
}

type Pieces = Peekable<IntoIter<Piece>>;

impl Reader<'_> {
    /// `expr`.
    pub(super) fn expr(&mut self) -> Option<Expr> {
        self.expr_built().map(|(expr, _)| expr)
    }

    /// `expr` and its depth.
    fn expr_built(&mut self) -> Option<Built> {
        let mut pieces = Vec::new();
        self.operand(&mut pieces)?;
        loop {
            let (start, count) = (self.position, pieces.len());
            self.skip();
            let Some(op) = self.infix() else {
                self.position = start;
                break;
            };
            pieces.push(Piece::Infix(op));
            self.skip();
            if self.operand(&mut pieces).is_none() {
                self.position = start;
                pieces.truncate(count);
                break;
            }
        }
        let mut pieces = pieces.into_iter().peekable();
        let built = self.fold(&mut pieces, 0)?;
        pieces.next().is_none().then_some(built)
    }

    /// `prefix* ~ primary ~ postfix?`.
    fn operand(&mut self, pieces: &mut Vec<Piece>) -> Option<()> {
        loop {
            let start = self.position;
            let op = if self.word("not") {
                UnaryOp::Not
            } else if self.literal("-") {
                UnaryOp::Negate
            } else {
                break;
            };
            pieces.push(Piece::Prefix(op, start));
            self.skip();
        }
        let primary = self.primary()?;
        pieces.push(Piece::Operand(primary));
        if let Some((options, end)) = self.then(Self::in_list) {
            pieces.push(Piece::Postfix(options, end));
        }
        Some(())
    }

    /// `primary`: `number | bool_lit | call | placeholder | path | "(" ~ expr ~ ")"`.
    fn primary(&mut self) -> Option<Built> {
        let start = self.position;
        if self.number_end().is_some() {
            let span = start..self.position;
            return Some(leaf(ExprKind::Number(self.float(&span)), span));
        }
        if let Some(value) = self.bool_lit() {
            return Some(leaf(ExprKind::Bool(value), start..self.position));
        }
        if let Some(call) = self.attempt(Self::call) {
            return Some(call);
        }
        if self.placeholder_end().is_some() || self.path_end().is_some() {
            let text = self.slice(start..self.position).to_owned();
            return Some(leaf(ExprKind::Reference(text), start..self.position));
        }
        self.attempt(|reader| {
            reader.expect_literal("(")?;
            let inner = reader.then(Self::expr_built)?;
            reader.skip_literal(")").then_some(inner)
        })
    }

    fn expect_literal(&mut self, literal: &str) -> Option<()> {
        self.literal(literal).then_some(())
    }

    /// `bool_lit`.
    pub(super) fn bool_lit(&mut self) -> Option<bool> {
        [
            ("yes", true),
            ("no", false),
            ("true", true),
            ("false", false),
        ]
        .into_iter()
        .find_map(|(word, value)| self.word(word).then_some(value))
    }

    /// `call`: a function, its arguments in parentheses.
    fn call(&mut self) -> Option<Built> {
        let start = self.position;
        let function = self.function()?;
        if !self.skip_literal("(") {
            return None;
        }
        let arguments = self
            .then(|reader| reader.list(Self::argument))
            .unwrap_or_default();
        if !self.skip_literal(")") {
            return None;
        }
        let depth = arguments.iter().map(|(_, depth)| *depth).max().unwrap_or(0);
        let arguments = arguments
            .into_iter()
            .map(|(argument, _)| argument)
            .collect();
        self.nest(
            ExprKind::Call(function, arguments),
            start..self.position,
            depth,
        )
    }

    /// `function`: a built-in's name followed by blanks and `(`.
    fn function(&mut self) -> Option<Function> {
        let function = [
            ("avg", Function::Avg),
            ("min", Function::Min),
            ("max", Function::Max),
            ("count", Function::Count),
            ("answered", Function::Answered),
            ("missing", Function::Missing),
            ("coalesce", Function::Coalesce),
        ]
        .into_iter()
        .find_map(|(name, function)| self.literal(name).then_some(function))?;
        let blanks = self
            .rest()
            .iter()
            .take_while(|byte| matches!(byte, b' ' | b'\t' | b'\r' | b'\n'));
        (self.bytes.get(self.position + blanks.count()) == Some(&b'(')).then_some(function)
    }

    /// `argument`: a glob, else an expression (a glob adds no depth).
    fn argument(&mut self) -> Option<(Argument, usize)> {
        let start = self.position;
        let glob = self.attempt(|reader| {
            if reader.placeholder_end().is_none() {
                reader.path_end()?;
            }
            reader.expect_literal(".*")
        });
        if glob.is_some() {
            let text = self
                .slice(start..self.position)
                .trim_end_matches(".*")
                .to_owned();
            let span = start..self.position;
            return Some((Argument::Glob(Name { text, span }), 0));
        }
        let (expr, depth) = self.expr_built()?;
        Some((Argument::Expr(expr), depth))
    }

    /// `in_list`: the options and where the list ends.
    fn in_list(&mut self) -> Option<(Vec<Name>, usize)> {
        self.after_keyword("in", |reader| {
            reader.expect_literal("[")?;
            reader.skip();
            let options = reader.list(Self::ident)?;
            reader.then(|reader| reader.expect_literal(","));
            reader
                .skip_literal("]")
                .then_some((options, reader.position))
        })
    }

    /// `infix`, in the grammar's order.
    fn infix(&mut self) -> Option<BinaryOp> {
        if self.word("or") {
            return Some(BinaryOp::Or);
        }
        if self.word("and") {
            return Some(BinaryOp::And);
        }
        if let Some(op) = self.compare_op() {
            return Some(BinaryOp::Compare(op));
        }
        [
            ("+", BinaryOp::Add),
            ("-", BinaryOp::Subtract),
            ("*", BinaryOp::Multiply),
            ("/", BinaryOp::Divide),
        ]
        .into_iter()
        .find_map(|(symbol, op)| self.literal(symbol).then_some(op))
    }

    /// `cmp_op`, in the grammar's order (two-character operators first).
    pub(super) fn compare_op(&mut self) -> Option<CompareOp> {
        [
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("!=", CompareOp::Ne),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
            ("=", CompareOp::Eq),
        ]
        .into_iter()
        .find_map(|(symbol, op)| self.literal(symbol).then_some(op))
    }

    /// pest's Pratt parsing (`expr`, `nud`, `led` and `lbp` of its `PrattParser`) over
    /// the pieces, building as `syntax::expr::build_pairs` does.
    fn fold(&mut self, pieces: &mut Pieces, right_binding: u32) -> Option<Built> {
        let mut left = match pieces.next()? {
            Piece::Prefix(op, start) => {
                let binding = Piece::Prefix(op, start).precedence() - 1;
                let (operand, depth) = self.fold(pieces, binding)?;
                let span = start..operand.span.end;
                self.nest(ExprKind::Unary(op, Box::new(operand)), span, depth)?
            }
            Piece::Operand(built) => built,
            Piece::Postfix(..) | Piece::Infix(_) => return None,
        };
        while right_binding < pieces.peek().map_or(0, Piece::precedence) {
            left = match pieces.next()? {
                Piece::Infix(op) => {
                    let (right, right_depth) = self.fold(pieces, Piece::Infix(op).precedence())?;
                    let (left, left_depth) = left;
                    let span = left.span.start..right.span.end;
                    let kind = ExprKind::Binary(op, Box::new(left), Box::new(right));
                    self.nest(kind, span, left_depth.max(right_depth))?
                }
                Piece::Postfix(options, end) => {
                    let (operand, depth) = left;
                    let span = operand.span.start..end;
                    self.nest(ExprKind::In(Box::new(operand), options), span, depth)?
                }
                Piece::Prefix(..) | Piece::Operand(_) => return None,
            };
        }
        Some(left)
    }

    /// A node over operands `depth` deep; one deeper than `MAX_NESTING` is refused, as
    /// `syntax::expr::nest` reports it.
    fn nest(&mut self, kind: ExprKind, span: Span, depth: usize) -> Option<Built> {
        if depth + 1 > MAX_NESTING {
            self.refused = true;
            return None;
        }
        Some((Expr { kind, span }, depth + 1))
    }
}

/// A primary: depth one.
fn leaf(kind: ExprKind, span: Span) -> Built {
    (Expr { kind, span }, 1)
}
