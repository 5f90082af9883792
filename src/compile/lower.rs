//! Expressions: resolve names, check types, and lower into the flat node arena that the
//! evaluator runs. Params become constants here, so evaluation never looks a name up.

use std::sync::Arc;

use super::fx::FxHashMap;
use super::program::Node;
use super::symbols::unknown;
use super::template::{Filled, Placeholders};
use super::Builder;
use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};
use crate::ruleset::{self, Aggregate, ArithmeticOp, NodeId, QuestionIndex, QuestionKind};
use crate::syntax::ast::{
    Argument, BinaryOp, CompareOp, Expr, ExprKind, Function, Name, Span, UnaryOp,
};

/// The type of an expression.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Type {
    Number,
    Bool,
    /// An option of this choice question.
    Choice(QuestionIndex),
}

impl Type {
    fn describe(self) -> &'static str {
        match self {
            Type::Number => "a number",
            Type::Bool => "a yes/no value",
            Type::Choice(_) => "a choice",
        }
    }
}

/// A lowered expression: its node, its type, and what the range check needs to know.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lowered {
    pub node: NodeId,
    pub ty: Type,
    /// The question, when the expression is just a question.
    pub question: Option<QuestionIndex>,
    /// The value, when the expression is a literal or a param.
    pub constant: Option<f64>,
}

/// The arguments of every glob expanded so far, by prefix, for numeric questions only
/// (`avg`, `min`, `max`) and for all. Each is a list of answers, whose nodes exist.
#[derive(Default)]
pub(super) struct Globs {
    numeric: FxHashMap<String, Vec<Lowered>>,
    all: FxHashMap<String, Vec<Lowered>>,
}

impl Globs {
    fn map(&self, numeric_only: bool) -> &FxHashMap<String, Vec<Lowered>> {
        if numeric_only {
            &self.numeric
        } else {
            &self.all
        }
    }

    /// The arguments `prefix.*` was expanded to, if it was.
    fn get(&self, prefix: &str, numeric_only: bool) -> Option<&[Lowered]> {
        self.map(numeric_only).get(prefix).map(Vec::as_slice)
    }

    /// Records what `prefix.*` expands to.
    fn insert(&mut self, prefix: &str, numeric_only: bool, args: Vec<Lowered>) {
        let map = if numeric_only {
            &mut self.numeric
        } else {
            &mut self.all
        };
        map.insert(prefix.to_owned(), args);
    }
}

/// Where an expression stands and the questions it reads.
pub(super) struct Scope<'a> {
    pub file: &'a Arc<SourceFile>,
    pub reads: Vec<QuestionIndex>,
    /// The values of a template's placeholders for the tip it writes a rule for.
    pub placeholders: Option<&'a Placeholders>,
}

impl Builder {
    /// Lowers `expr`, requiring type `expected`; reports and returns `None` on errors.
    pub(super) fn lower_as(
        &mut self,
        scope: &mut Scope<'_>,
        expr: &Expr,
        expected: Type,
        role: &str,
    ) -> Option<NodeId> {
        let errors_before = self.error_count();
        let Some(lowered) = self.lower(scope, expr) else {
            self.never_silently(scope.file, expr, errors_before);
            return None;
        };
        if lowered.ty != expected {
            let message = format!(
                "{role} must be {}, but this is {}",
                expected.describe(),
                lowered.ty.describe()
            );
            self.type_error(scope.file, expr.span.clone(), message);
            return None;
        }
        Some(lowered.node)
    }

    /// An expression that failed to lower must have said why: a rule whose condition
    /// is dropped without an error would run another expression in its place.
    fn never_silently(&mut self, file: &Arc<SourceFile>, expr: &Expr, errors_before: usize) {
        if self.error_count() > errors_before || self.stopped() {
            return;
        }
        let message = "the compiler could not lower this expression and found no mistake in \
                       it (a bug in studentsucces)"
            .to_owned();
        self.invalid(
            file,
            expr.span.clone(),
            message,
            "please report it with this rules file",
        );
    }

    /// How many diagnostics there are; while expressions are lowered, every one is an
    /// error (warnings come after).
    fn error_count(&self) -> usize {
        self.diagnostics.len()
    }

    fn lower(&mut self, scope: &mut Scope<'_>, expr: &Expr) -> Option<Lowered> {
        let key = match scope.placeholders {
            Some(values) if self.trace.is_none() => self.reuse.key(expr, values),
            _ => None,
        };
        let Some(key) = key else {
            return self.lower_fresh(scope, expr);
        };
        if let Some(lowered) = self.replay(scope, &key) {
            return Some(lowered);
        }
        let (nodes, reads, diagnostics) = (self.spent(), scope.reads.len(), self.error_count());
        let lowered = self.lower_fresh(scope, expr)?;
        if self.error_count() == diagnostics && !self.stopped() {
            let read = scope.reads.get(reads..).unwrap_or_default();
            self.reuse
                .keep(key, lowered, self.spent().saturating_sub(nodes), read);
        }
        Some(lowered)
    }

    /// A template sub-expression lowered before for the same placeholder values, its
    /// nodes counted and its questions read again; `None` if it was not kept, or if
    /// counting its nodes reaches the limit (lowering it for real then reports where).
    fn replay(&mut self, scope: &mut Scope<'_>, key: &super::reuse::Key) -> Option<Lowered> {
        let replay = self.reuse.get(key)?;
        if !self.spend_quietly(replay.nodes) {
            return None;
        }
        scope.reads.extend_from_slice(self.reuse.reads(&replay));
        Some(replay.lowered)
    }

    fn lower_fresh(&mut self, scope: &mut Scope<'_>, expr: &Expr) -> Option<Lowered> {
        if !self.spend(scope.file, &expr.span, 1) {
            return None;
        }
        let mark = self.trace_open();
        let lowered = self.lower_kind(scope, expr);
        let traced = lowered.map(|lowered| super::explain::Lowered {
            node: lowered.node,
            ty: lowered.ty,
            question: lowered.question,
            constant: lowered.constant.is_some(),
        });
        self.trace_close(mark, scope, expr, traced);
        lowered
    }

    fn lower_kind(&mut self, scope: &mut Scope<'_>, expr: &Expr) -> Option<Lowered> {
        match &expr.kind {
            ExprKind::Number(value) => Some(self.constant(*value, Type::Number)),
            ExprKind::Bool(value) => Some(self.constant(f64::from(u8::from(*value)), Type::Bool)),
            ExprKind::Reference(name) => self.lower_reference(scope, name, &expr.span),
            ExprKind::Unary(op, operand) => self.lower_unary(scope, *op, operand),
            ExprKind::Binary(op, left, right) => self.lower_binary(scope, *op, left, right),
            ExprKind::In(operand, options) => self.lower_in(scope, operand, options),
            ExprKind::Call(function, arguments) => {
                self.lower_call(scope, *function, arguments, &expr.span)
            }
        }
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.program.node(node)
    }

    fn constant(&mut self, value: f64, ty: Type) -> Lowered {
        let node = self.push(Node::Constant(value));
        Lowered {
            node,
            ty,
            question: None,
            constant: Some(value),
        }
    }

    fn lower_reference(
        &mut self,
        scope: &mut Scope<'_>,
        name: &str,
        span: &Span,
    ) -> Option<Lowered> {
        let name = match scope.placeholders.and_then(|values| values.fill(name)) {
            Some(Filled::Number(value)) => return Some(self.constant(value, Type::Number)),
            Some(Filled::Name(filled)) => filled,
            None => name,
        };
        if let Some(question) = self.tables.questions.get(name) {
            return Some(self.lower_question(scope, question));
        }
        if let Some(param) = self.tables.params.get(name) {
            let value = self
                .ruleset
                .params
                .get(param as usize)
                .map_or(f64::NAN, |param| param.value);
            return Some(self.constant(value, Type::Number));
        }
        let name = Name {
            text: name.to_owned(),
            span: span.clone(),
        };
        if name.text.starts_with('$') {
            self.unfilled_placeholder(scope.file, &name);
            return None;
        }
        let candidates = self
            .tables
            .questions
            .names()
            .chain(self.tables.params.names());
        let diagnostic = unknown("question or param", scope.file, &name, candidates);
        self.diagnostics.push(diagnostic);
        None
    }

    fn lower_question(&mut self, scope: &mut Scope<'_>, question: QuestionIndex) -> Lowered {
        scope.reads.push(question);
        let ty = match self
            .ruleset
            .questions
            .get(question.index())
            .map(|q| &q.kind)
        {
            Some(QuestionKind::YesNo) => Type::Bool,
            Some(QuestionKind::Choice { .. }) => Type::Choice(question),
            _ => Type::Number,
        };
        let node = self.push(Node::Answer(question));
        Lowered {
            node,
            ty,
            question: Some(question),
            constant: None,
        }
    }

    fn lower_unary(
        &mut self,
        scope: &mut Scope<'_>,
        op: UnaryOp,
        operand: &Expr,
    ) -> Option<Lowered> {
        let (expected, role) = match op {
            UnaryOp::Not => (Type::Bool, "the operand of `not`"),
            UnaryOp::Negate => (Type::Number, "the operand of `-`"),
        };
        let inner = self.lower_as(scope, operand, expected, role)?;
        let node = self.push(match op {
            UnaryOp::Not => Node::Not(inner),
            UnaryOp::Negate => Node::Negate(inner),
        });
        Some(Lowered {
            node,
            ty: expected,
            question: None,
            constant: None,
        })
    }

    fn lower_binary(
        &mut self,
        scope: &mut Scope<'_>,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
    ) -> Option<Lowered> {
        let (node, ty) = match op {
            BinaryOp::And | BinaryOp::Or => {
                let role = if op == BinaryOp::And {
                    "an operand of `and`"
                } else {
                    "an operand of `or`"
                };
                let left = self.lower_as(scope, left, Type::Bool, role);
                let right = self.lower_as(scope, right, Type::Bool, role);
                let (left, right) = (left?, right?);
                let node = if op == BinaryOp::And {
                    Node::And(left, right)
                } else {
                    Node::Or(left, right)
                };
                (node, Type::Bool)
            }
            BinaryOp::Compare(compare) => {
                (self.lower_compare(scope, compare, left, right)?, Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Subtract | BinaryOp::Multiply | BinaryOp::Divide => {
                let role = "an operand of arithmetic";
                let left = self.lower_as(scope, left, Type::Number, role);
                let right = self.lower_as(scope, right, Type::Number, role);
                (
                    Node::Arithmetic(arithmetic(op), left?, right?),
                    Type::Number,
                )
            }
        };
        let node = self.push(node);
        Some(Lowered {
            node,
            ty,
            question: None,
            constant: None,
        })
    }

    fn lower_compare(
        &mut self,
        scope: &mut Scope<'_>,
        op: CompareOp,
        left_expr: &Expr,
        right_expr: &Expr,
    ) -> Option<Node> {
        let (left, right) = if self.is_option_name(right_expr) {
            let left = self.lower(scope, left_expr)?;
            (left, self.lower_option(scope, right_expr, left.ty)?)
        } else if self.is_option_name(left_expr) {
            let right = self.lower(scope, right_expr)?;
            (self.lower_option(scope, left_expr, right.ty)?, right)
        } else {
            let lowered = (self.lower(scope, left_expr), self.lower(scope, right_expr));
            (lowered.0?, lowered.1?)
        };
        let sides = [
            (left, left_expr.span.clone()),
            (right, right_expr.span.clone()),
        ];
        self.check_comparison(scope.file, op, &sides)?;
        Some(Node::Compare(compiled_op(op), left.node, right.node))
    }

    fn is_option_name(&self, expr: &Expr) -> bool {
        matches!(&expr.kind, ExprKind::Reference(name)
            if self.tables.questions.get(name).is_none() && self.tables.params.get(name).is_none()
                && !name.contains('.') && !name.starts_with('$'))
    }

    /// Lowers a bare name as an option of the choice question on the other side.
    fn lower_option(&mut self, scope: &mut Scope<'_>, expr: &Expr, other: Type) -> Option<Lowered> {
        let ExprKind::Reference(name) = &expr.kind else {
            return None;
        };
        let name = Name {
            text: name.clone(),
            span: expr.span.clone(),
        };
        let Type::Choice(question) = other else {
            let candidates = self
                .tables
                .questions
                .names()
                .chain(self.tables.params.names());
            self.diagnostics
                .push(unknown("question or param", scope.file, &name, candidates));
            return None;
        };
        let index = self.option_index(scope.file, question, &name)?;
        let node = self.push(Node::Constant(f64::from(index)));
        Some(Lowered {
            node,
            ty: other,
            question: None,
            constant: Some(f64::from(index)),
        })
    }

    fn option_index(
        &mut self,
        file: &Arc<SourceFile>,
        question: QuestionIndex,
        name: &Name,
    ) -> Option<u32> {
        let options = match self
            .ruleset
            .questions
            .get(question.index())
            .map(|q| &q.kind)
        {
            Some(QuestionKind::Choice { options }) => options,
            _ => return None,
        };
        let found = options.iter().position(|option| option.id == name.text);
        if found.is_none() {
            let diagnostic = unknown(
                "option",
                file,
                name,
                options.iter().map(|option| option.id.as_str()),
            );
            self.diagnostics.push(diagnostic);
        }
        found.and_then(|index| u32::try_from(index).ok())
    }
}

impl Builder {
    /// Checks that two sides can be compared and that a literal fits the question's range.
    fn check_comparison(
        &mut self,
        file: &Arc<SourceFile>,
        op: CompareOp,
        sides: &[(Lowered, Span); 2],
    ) -> Option<()> {
        let [(left, left_span), (right, right_span)] = sides;
        let whole = left_span.start..right_span.end;
        match (left.ty, right.ty) {
            (Type::Number, Type::Number) => {
                self.check_range(file, left, right, right_span)?;
                self.check_range(file, right, left, left_span)
            }
            (Type::Bool, Type::Bool) | (Type::Choice(_), Type::Choice(_))
                if !matches!(op, CompareOp::Eq | CompareOp::Ne) =>
            {
                let message = format!(
                    "`{}` orders numbers; {} can only be tested with `=` or `!=`",
                    op.symbol(),
                    left.ty.describe()
                );
                self.type_error(file, whole, message);
                None
            }
            (Type::Choice(a), Type::Choice(b)) if a != b => {
                self.type_error(
                    file,
                    whole,
                    "cannot compare the answers of two different choice questions".to_owned(),
                );
                None
            }
            (a, b) if a == b || matches!((a, b), (Type::Choice(_), Type::Choice(_))) => Some(()),
            (a, b) => {
                let message = format!("cannot compare {} with {}", a.describe(), b.describe());
                self.type_error(file, whole, message);
                None
            }
        }
    }

    /// When `question_side` is a question and `literal_side` a constant, the constant must
    /// lie in the question's range.
    fn check_range(
        &mut self,
        file: &Arc<SourceFile>,
        question_side: &Lowered,
        literal_side: &Lowered,
        literal_span: &Span,
    ) -> Option<()> {
        let (Some(question), Some(value)) = (question_side.question, literal_side.constant) else {
            return Some(());
        };
        // A question without a range (`number` alone) takes any value.
        let Some((low, high)) = self.question_range(question) else {
            return Some(());
        };
        // A literal too large to be finite is reported where it is written.
        if (low..=high).contains(&value) || !value.is_finite() {
            return Some(());
        }
        let question_id = self
            .ruleset
            .questions
            .get(question.index())
            .map(|q| q.id.clone())
            .unwrap_or_default();
        let kind = DiagnosticKind::OutOfRange {
            value: value.to_string(),
            question: question_id,
            range: format!("{low}..{high}"),
        };
        let diagnostic = Diagnostic::new(
            kind,
            file,
            literal_span.clone(),
            "no answer can be this value",
        )
        .with_help("compare with a value the question can take");
        self.diagnostics.push(diagnostic);
        None
    }

    /// The inclusive range of a numeric question, if it has one.
    pub(super) fn question_range(&self, question: QuestionIndex) -> Option<(f64, f64)> {
        match &self.ruleset.questions.get(question.index())?.kind {
            QuestionKind::Scale { scale } => {
                let scale = self.ruleset.scales.get(*scale as usize)?;
                Some((scale.low as f64, scale.high as f64))
            }
            QuestionKind::Percent => Some((0.0, 100.0)),
            QuestionKind::Number { range } => *range,
            QuestionKind::YesNo | QuestionKind::Choice { .. } => None,
        }
    }

    fn lower_in(
        &mut self,
        scope: &mut Scope<'_>,
        operand: &Expr,
        options: &[Name],
    ) -> Option<Lowered> {
        let lowered = self.lower(scope, operand)?;
        let Type::Choice(question) = lowered.ty else {
            let message = format!(
                "`in [...]` tests a choice question, but this is {}",
                lowered.ty.describe()
            );
            self.type_error(scope.file, operand.span.clone(), message);
            return None;
        };
        let mut mask = 0u64;
        let mut complete = true;
        for option in options {
            match self.option_index(scope.file, question, option) {
                Some(index) => mask |= 1u64 << index,
                None => complete = false,
            }
        }
        let node = self.push(Node::In(lowered.node, mask));
        complete.then_some(Lowered {
            node,
            ty: Type::Bool,
            question: None,
            constant: None,
        })
    }

    fn lower_call(
        &mut self,
        scope: &mut Scope<'_>,
        function: Function,
        arguments: &[Argument],
        span: &Span,
    ) -> Option<Lowered> {
        let numeric_only = matches!(function, Function::Avg | Function::Min | Function::Max);
        let mut lowered = Vec::new();
        let mut ok = true;
        for argument in arguments {
            match argument {
                Argument::Expr(expr) => match self.lower(scope, expr) {
                    Some(arg) if numeric_only && arg.ty != Type::Number => {
                        let message = format!(
                            "`{}` takes numbers, but this is {}",
                            function_name(function),
                            arg.ty.describe()
                        );
                        self.type_error(scope.file, expr.span.clone(), message);
                        ok = false;
                    }
                    Some(arg) => lowered.push(arg),
                    None => ok = false,
                },
                Argument::Glob(prefix) => {
                    if self
                        .expand_glob(scope, prefix, numeric_only, &mut lowered)
                        .is_none()
                    {
                        ok = false;
                    }
                }
            }
        }
        if !ok {
            return None;
        }
        let ty = self.call_type(scope.file, function, &lowered, span)?;
        let arguments = lowered.iter().map(|arg| arg.node).collect();
        let node = self.program.call(aggregate(function), arguments);
        Some(Lowered {
            node,
            ty,
            question: None,
            constant: None,
        })
    }

    /// The result type of a call, after checking how many arguments it has.
    fn call_type(
        &mut self,
        file: &Arc<SourceFile>,
        function: Function,
        arguments: &[Lowered],
        span: &Span,
    ) -> Option<Type> {
        let name = function_name(function);
        match function {
            Function::Answered | Function::Missing if arguments.len() != 1 => {
                self.type_error(
                    file,
                    span.clone(),
                    format!("`{name}` takes exactly one argument"),
                );
                None
            }
            Function::Answered | Function::Missing => Some(Type::Bool),
            _ if arguments.is_empty() => {
                self.type_error(
                    file,
                    span.clone(),
                    format!("`{name}` needs at least one argument"),
                );
                None
            }
            Function::Count => Some(Type::Number),
            Function::Coalesce => {
                let first = arguments.first()?.ty;
                if arguments.iter().any(|arg| arg.ty != first) {
                    self.type_error(
                        file,
                        span.clone(),
                        "the arguments of `coalesce` must all have one type".to_owned(),
                    );
                    return None;
                }
                Some(first)
            }
            Function::Avg | Function::Min | Function::Max => Some(Type::Number),
        }
    }

    /// The arguments a glob stands for, appended to `lowered`. A prefix expanded once is
    /// read from [`Globs`] after that: every template's `avg($section.*)` expands the
    /// same prefixes again for each tip, and lowering them again would only find the
    /// answer nodes it made the first time.
    fn expand_glob(
        &mut self,
        scope: &mut Scope<'_>,
        prefix: &Name,
        numeric_only: bool,
        lowered: &mut Vec<Lowered>,
    ) -> Option<()> {
        let filled = scope
            .placeholders
            .and_then(|values| values.glob(&prefix.text));
        let text = filled.unwrap_or(&prefix.text);
        if let Some(cached) = self.globs.get(text, numeric_only) {
            let (start, len) = (lowered.len(), cached.len());
            lowered.extend_from_slice(cached);
            if !self.spend(scope.file, &prefix.span, len) {
                return None;
            }
            let questions = lowered.get(start..).unwrap_or_default();
            scope
                .reads
                .extend(questions.iter().filter_map(|arg| arg.question));
            return Some(());
        }
        let filled = filled.map(|text| Name {
            text: text.to_owned(),
            span: prefix.span.clone(),
        });
        let prefix = filled.as_ref().unwrap_or(prefix);
        let args = self.expand_new_glob(scope, prefix, numeric_only)?;
        lowered.extend_from_slice(&args);
        self.globs.insert(&prefix.text, numeric_only, args);
        Some(())
    }

    /// The arguments of a glob not expanded before.
    fn expand_new_glob(
        &mut self,
        scope: &mut Scope<'_>,
        prefix: &Name,
        numeric_only: bool,
    ) -> Option<Vec<Lowered>> {
        if prefix.text.starts_with('$') {
            self.unfilled_placeholder(scope.file, prefix);
            return None;
        }
        let matching = self.questions_under(&prefix.text, numeric_only);
        if !self.spend(scope.file, &prefix.span, matching.len()) {
            return None;
        }
        if matching.is_empty() {
            let kind = DiagnosticKind::Unknown {
                what: "question group",
                name: format!("{}.*", prefix.text),
            };
            let label = if numeric_only {
                "matches no numeric question"
            } else {
                "matches no question"
            };
            let candidates = self
                .tables
                .sections
                .names()
                .map(str::to_owned)
                .collect::<Vec<_>>();
            let mut diagnostic = Diagnostic::new(kind, scope.file, prefix.span.clone(), label);
            if let Some(suggestion) =
                crate::diagnostic::closest(&prefix.text, candidates.iter().map(String::as_str))
            {
                diagnostic = diagnostic.with_help(format!("did you mean `{suggestion}.*`?"));
            }
            self.diagnostics.push(diagnostic);
            return None;
        }
        Some(
            matching
                .into_iter()
                .map(|question| self.lower_question(scope, question))
                .collect(),
        )
    }

    /// A placeholder outside a template, or one a template cannot fill for some tip.
    fn unfilled_placeholder(&mut self, file: &Arc<SourceFile>, name: &Name) {
        let message = format!("placeholder `{}` has no value here", name.text);
        let help = "placeholders stand for the tip at hand, in a `template` only: `$tip` needs \
                    a question with the tip's id, `$quickscan` a `quickscan` line in its section; \
                    the others are `$section.*`, `$fundament` and `$kort`";
        self.invalid(file, name.span.clone(), message, help);
    }

    pub(super) fn type_error(&mut self, file: &Arc<SourceFile>, span: Span, message: String) {
        let kind = DiagnosticKind::Type { message };
        self.diagnostics
            .push(Diagnostic::new(kind, file, span, "here"));
    }
}

fn arithmetic(op: BinaryOp) -> ArithmeticOp {
    match op {
        BinaryOp::Add => ArithmeticOp::Add,
        BinaryOp::Subtract => ArithmeticOp::Subtract,
        BinaryOp::Multiply => ArithmeticOp::Multiply,
        _ => ArithmeticOp::Divide,
    }
}

fn aggregate(function: Function) -> Aggregate {
    match function {
        Function::Avg => Aggregate::Avg,
        Function::Min => Aggregate::Min,
        Function::Max => Aggregate::Max,
        Function::Count => Aggregate::Count,
        Function::Answered => Aggregate::Answered,
        Function::Missing => Aggregate::Missing,
        Function::Coalesce => Aggregate::Coalesce,
    }
}

fn function_name(function: Function) -> &'static str {
    match function {
        Function::Avg => "avg",
        Function::Min => "min",
        Function::Max => "max",
        Function::Count => "count",
        Function::Answered => "answered",
        Function::Missing => "missing",
        Function::Coalesce => "coalesce",
    }
}

/// The compiled program's copy of a comparison operator.
pub(super) fn compiled_op(op: CompareOp) -> ruleset::CompareOp {
    match op {
        CompareOp::Lt => ruleset::CompareOp::Lt,
        CompareOp::Le => ruleset::CompareOp::Le,
        CompareOp::Gt => ruleset::CompareOp::Gt,
        CompareOp::Ge => ruleset::CompareOp::Ge,
        CompareOp::Eq => ruleset::CompareOp::Eq,
        CompareOp::Ne => ruleset::CompareOp::Ne,
    }
}
