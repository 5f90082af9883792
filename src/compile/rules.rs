//! Rules and rule tests: resolve what they recommend or expect, lower their expressions,
//! and check every `given` value against its question.

use std::collections::HashSet;
use std::sync::Arc;

use super::lower::compiled_op;
use super::lower::{Scope, Type};
use super::template::Placeholders;
use super::{Builder, Declarations};
use crate::diagnostic::{Diagnostic, DiagnosticKind, LineColumn, SourceFile};
use crate::ruleset::{
    CompiledRule, QuestionIndex, QuestionKind, RuleKind, RuleTest, TestExpectation, TipIndex,
};
use crate::syntax::ast::{self, GivenValue, Span, Spanned};

/// A rule as lowering reads it: a `rule` declaration, or a template's body with the
/// placeholders of one tip, borrowed from the syntax tree rather than copied per tip.
pub(super) struct RuleView<'d> {
    /// The rule's id (for a template, the tip's id at the template's name).
    pub id: &'d ast::Name,
    /// `when`.
    pub when: Option<&'d ast::Expr>,
    /// The tips `recommend` names.
    pub recommend: &'d [ast::Name],
    /// The tips `raise` names.
    pub raise: &'d [ast::Name],
    /// The amount after `by`.
    pub raise_by: Option<&'d ast::Expr>,
    /// `priority`.
    pub priority: Option<&'d ast::Expr>,
    /// `because`.
    pub because: Option<&'d ast::Text>,
    /// The whole declaration.
    pub span: &'d Span,
    /// What the placeholders stand for, in a template's body.
    pub placeholders: Option<&'d Placeholders>,
}

impl<'d> From<&'d ast::RuleDecl> for RuleView<'d> {
    fn from(decl: &'d ast::RuleDecl) -> Self {
        RuleView {
            id: &decl.id,
            when: decl.when.as_ref(),
            recommend: &decl.recommend,
            raise: &decl.raise,
            raise_by: decl.raise_by.as_ref(),
            priority: decl.priority.as_ref(),
            because: decl.because.as_ref(),
            span: &decl.span,
            placeholders: None,
        }
    }
}

impl Builder {
    pub(super) fn build_rules(&mut self, declarations: &Declarations<'_>) {
        self.tables.rules.reserve(declarations.rules.len());
        self.ruleset.rules.reserve(declarations.rules.len());
        for (file, decl) in &declarations.rules {
            if self
                .tables
                .rules
                .declare(file, &decl.id, &mut self.diagnostics)
                .is_some()
            {
                let rule = self.build_rule(file, &RuleView::from(*decl));
                self.ruleset.rules.push(rule);
            }
        }
    }

    /// Lowers one rule, a `rule` declaration or a template's body for one tip.
    pub(super) fn build_rule(
        &mut self,
        file: &Arc<SourceFile>,
        rule: &RuleView<'_>,
    ) -> CompiledRule {
        let mut scope = Scope {
            file,
            reads: std::mem::take(&mut self.reads),
            placeholders: rule.placeholders,
        };
        self.locate_rule(file, &rule.id.span);
        let when = match rule.when {
            Some(when) => self.lower_as(&mut scope, when, Type::Bool, "a `when` condition"),
            None => {
                self.missing_part(file, "rule", rule.id, "when");
                None
            }
        };
        self.trace_root(when);
        let (kind, tips, amount) = self.rule_effect(file, rule);
        let priority =
            amount.and_then(|(expr, role)| self.lower_as(&mut scope, expr, Type::Number, role));
        self.trace_root(priority);
        let recommend = tips
            .iter()
            .filter_map(|tip| self.tables.tips.resolve(file, tip, &mut self.diagnostics))
            .collect();
        if rule.because.is_none() {
            self.missing_part(file, "rule", rule.id, "because");
        }
        let mut buffer = scope.reads;
        buffer.sort_unstable();
        buffer.dedup();
        let reads = buffer.clone();
        buffer.clear();
        self.reads = buffer;
        CompiledRule {
            id: rule.id.text.clone(),
            kind,
            template: None,
            recommend,
            because: rule
                .because
                .map(|because| because.value.clone())
                .unwrap_or_default(),
            reads,
            // A rule with an error never reaches a rule set, so the placeholder is never run.
            when: when.unwrap_or(0),
            priority,
        }
    }

    /// Whether a rule recommends or raises, its tips, and its priority or amount.
    fn rule_effect<'d>(
        &mut self,
        file: &Arc<SourceFile>,
        rule: &RuleView<'d>,
    ) -> (
        RuleKind,
        &'d [ast::Name],
        Option<(&'d ast::Expr, &'static str)>,
    ) {
        let priority = rule.priority.map(|expr| (expr, "a `priority`"));
        match (rule.recommend.is_empty(), rule.raise.is_empty()) {
            (true, true) => {
                self.missing_part(file, "rule", rule.id, "recommend");
                (RuleKind::Recommend, &[], priority)
            }
            (false, false) => {
                let span = rule
                    .raise
                    .first()
                    .map_or(rule.span.clone(), |n| n.span.clone());
                let message = format!("rule `{}` both recommends and raises", rule.id.text);
                self.invalid(file, span, message, "split it into two rules");
                (RuleKind::Recommend, rule.recommend, priority)
            }
            (false, true) => (RuleKind::Recommend, rule.recommend, priority),
            (true, false) => {
                if let Some((expr, _)) = priority {
                    let message =
                        "a rule that raises has no `priority`; `by` says how much it adds"
                            .to_owned();
                    self.invalid(
                        file,
                        expr.span.clone(),
                        message,
                        "remove the `priority` line",
                    );
                }
                let amount = rule.raise_by.map(|expr| (expr, "the amount after `by`"));
                (RuleKind::Raise, rule.raise, amount)
            }
        }
    }

    pub(super) fn build_tests(&mut self, declarations: &Declarations<'_>) {
        let mut names: HashSet<&str> = HashSet::new();
        for (file, decl) in &declarations.tests {
            if !names.insert(&decl.name.value) {
                let message = format!("two tests are called \"{}\"", decl.name.value);
                self.invalid(
                    file,
                    decl.name.span.clone(),
                    message,
                    "give each test its own name",
                );
            }
            let test = self.build_test(file, decl);
            self.ruleset.tests.push(test);
        }
    }

    fn build_test(&mut self, file: &Arc<SourceFile>, decl: &ast::TestDecl) -> RuleTest {
        let mut given = Vec::new();
        let mut seen = HashSet::new();
        for assignment in &decl.given {
            let Some(question) =
                self.tables
                    .questions
                    .resolve(file, &assignment.question, &mut self.diagnostics)
            else {
                continue;
            };
            if !seen.insert(question) {
                let message = format!("`{}` is given twice", assignment.question.text);
                self.invalid(
                    file,
                    assignment.question.span.clone(),
                    message,
                    "give each question once",
                );
            }
            if let Some(value) = self.given_value(file, question, &assignment.value) {
                given.push((question, value));
            }
        }
        let expectations = decl
            .expectations
            .iter()
            .filter_map(|expectation| {
                let tip =
                    self.tables
                        .tips
                        .resolve(file, &expectation.tip, &mut self.diagnostics)?;
                let priority = expectation
                    .priority
                    .as_ref()
                    .map(|(op, bound)| (compiled_op(*op), bound.value));
                Some(TestExpectation {
                    tip,
                    negated: expectation.negated,
                    priority,
                    location: location(file, &expectation.tip.span),
                })
            })
            .collect();
        RuleTest {
            name: decl.name.value.clone(),
            location: location(file, &decl.name.span),
            given,
            expectations,
        }
    }

    /// The answer slot value of a `given` value, checked against the question's type.
    fn given_value(
        &mut self,
        file: &Arc<SourceFile>,
        question: QuestionIndex,
        value: &Spanned<GivenValue>,
    ) -> Option<f64> {
        let kind = self
            .ruleset
            .questions
            .get(question.index())
            .map(|q| q.kind.clone())?;
        let id = self
            .ruleset
            .questions
            .get(question.index())
            .map(|q| q.id.clone())
            .unwrap_or_default();
        match (&value.value, &kind) {
            (GivenValue::Missing, _) => Some(f64::NAN),
            (GivenValue::Bool(flag), QuestionKind::YesNo) => Some(f64::from(u8::from(*flag))),
            (GivenValue::Option(option), QuestionKind::Choice { options }) => {
                let name = ast::Name {
                    text: option.clone(),
                    span: value.span.clone(),
                };
                let found = options.iter().position(|candidate| candidate.id == *option);
                if found.is_none() {
                    let diagnostic = super::symbols::unknown(
                        "option",
                        file,
                        &name,
                        options.iter().map(|o| o.id.as_str()),
                    );
                    self.diagnostics.push(diagnostic);
                }
                found.map(|index| index as f64)
            }
            (
                GivenValue::Number(number),
                QuestionKind::Scale { .. } | QuestionKind::Percent | QuestionKind::Number { .. },
            ) => self.given_number(file, question, &id, *number, &value.span, &kind),
            (given, _) => {
                let message = format!(
                    "`{id}` takes {}, but the test gives {}",
                    describe_kind(&kind),
                    describe_given(given)
                );
                self.type_error(file, value.span.clone(), message);
                None
            }
        }
    }

    fn given_number(
        &mut self,
        file: &Arc<SourceFile>,
        question: QuestionIndex,
        id: &str,
        number: f64,
        span: &Span,
        kind: &QuestionKind,
    ) -> Option<f64> {
        let in_range = self
            .question_range(question)
            .is_none_or(|(low, high)| (low..=high).contains(&number));
        let whole = !matches!(kind, QuestionKind::Scale { .. }) || number.fract() == 0.0;
        if in_range && whole {
            return Some(number);
        }
        if !number.is_finite() {
            // Reported where the literal is written.
            return None;
        }
        let range = self
            .question_range(question)
            .map_or_else(String::new, |(low, high)| format!("{low}..{high}"));
        let kind = DiagnosticKind::OutOfRange {
            value: number.to_string(),
            question: id.to_owned(),
            range,
        };
        self.diagnostics.push(Diagnostic::new(
            kind,
            file,
            span.clone(),
            "not an answer this question takes",
        ));
        None
    }

    pub(super) fn warn_unused(&mut self) {
        let mut recommended = vec![false; self.ruleset.tips.len()];
        let mut read = vec![false; self.ruleset.questions.len()];
        for rule in &self.ruleset.rules {
            if rule.kind == RuleKind::Recommend {
                rule.recommend
                    .iter()
                    .for_each(|&tip| set(&mut recommended, tip.index()));
            }
            rule.reads
                .iter()
                .for_each(|&question| set(&mut read, question.index()));
        }
        let conditions = self.ruleset.tips.iter().flat_map(|tip| &tip.applies);
        for condition in conditions {
            condition
                .reads
                .iter()
                .for_each(|&question| set(&mut read, question.index()));
        }
        for (index, tip) in TipIndex::enumerate(&self.ruleset.tips) {
            if !recommended.get(index.index()).copied().unwrap_or(true) {
                if let Some((file, name)) = self.tables.tips.declared_at(index) {
                    let kind = DiagnosticKind::UnreachableTip {
                        tip: tip.id.clone(),
                    };
                    let diagnostic = Diagnostic::new(
                        kind,
                        file,
                        name.span.clone(),
                        "no `recommend` names this tip",
                    )
                    .with_help("add a rule that recommends it, or remove the tip");
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        for (index, question) in QuestionIndex::enumerate(&self.ruleset.questions) {
            if !question.info && !read.get(index.index()).copied().unwrap_or(true) {
                if let Some((file, name)) = self.tables.questions.declared_at(index) {
                    let kind = DiagnosticKind::UnreadQuestion {
                        question: question.id.clone(),
                    };
                    let diagnostic = Diagnostic::new(
                        kind,
                        file,
                        name.span.clone(),
                        "no rule or `applies` condition reads this question",
                    )
                    .with_help(
                        "use it in a rule, or mark it `info` if it is kept for reports only",
                    );
                    self.diagnostics.push(diagnostic);
                }
            }
        }
    }
}

fn set(flags: &mut [bool], index: usize) {
    if let Some(flag) = flags.get_mut(index) {
        *flag = true;
    }
}

/// `file:line:column` of a span, for test reports.
fn location(file: &Arc<SourceFile>, span: &Span) -> String {
    let at = LineColumn::of(&file.text, span.start);
    format!("{}:{}:{}", file.name, at.line, at.column)
}

fn describe_kind(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Scale { .. } => "a level of its scale",
        QuestionKind::YesNo => "`yes` or `no`",
        QuestionKind::Percent => "a percentage",
        QuestionKind::Number { .. } => "a number",
        QuestionKind::Choice { .. } => "one of its options",
    }
}

fn describe_given(given: &GivenValue) -> &'static str {
    match given {
        GivenValue::Number(_) => "a number",
        GivenValue::Bool(_) => "a yes/no value",
        GivenValue::Option(_) => "a name",
        GivenValue::Missing => "`missing`",
    }
}
