//! The explanation-only trees of the rules (see `ruleset::explain`): while expressions
//! are lowered, each sub-expression is recorded with its text (placeholders filled in)
//! and its node; each rule and `applies` condition keeps the tree of its root. Bounded:
//! a tree keeps at most [`MAX_TERMS`] sub-expressions and [`MAX_DEPTH`] levels, and a
//! text at most [`MAX_TEXT`] bytes, so explaining costs no more than lowering. Only a
//! compile for explanations records them ([`super::explain_tables`]); every compile
//! records where each rule is written ([`Locations`]), which reports name.

use std::collections::HashMap;
use std::sync::Arc;

use super::fx::FxHashMap;
use super::lower::{Scope, Type};
use super::template::{Filled, Placeholders};
use super::Builder;
use crate::diagnostic::SourceFile;
use crate::ruleset::{
    ExplainTables, ExprTree, NodeId, Program, QuestionIndex, RuleSet, RuleTrees, SourceLocation,
    TermKind, TermType,
};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Span, UnaryOp};

/// Most sub-expressions kept per tree; deeper ones are left out of the explanation.
pub(super) const MAX_TERMS: usize = 512;
/// Most levels kept per tree.
pub(super) const MAX_DEPTH: usize = 48;
/// Most bytes of a sub-expression's text; longer ones end in "…". Enough for the whole
/// of any expression a person writes (the text output wraps it), few enough that a
/// tree of [`MAX_TERMS`] texts stays small.
pub(super) const MAX_TEXT: usize = 1024;

/// The trees recorded so far.
#[derive(Debug, Default)]
pub(super) struct Trace {
    /// Finished sub-expressions of the expression being lowered, innermost last.
    pending: Vec<ExprTree>,
    /// How many sub-expressions are open.
    depth: usize,
    /// How many the current tree holds.
    terms: usize,
    /// The tree of every root lowered, by its node.
    roots: HashMap<NodeId, ExprTree>,
}

/// Where each rule is written, recorded as rules are lowered.
#[derive(Debug, Default)]
pub(super) struct Locations {
    /// Per rule, in the order rules are pushed.
    rules: Vec<Option<SourceLocation>>,
    /// Line starts per file, to find lines without rescanning a file.
    lines: FxHashMap<String, Vec<usize>>,
}

/// What lowering learnt about one sub-expression.
pub(super) struct Lowered {
    pub node: NodeId,
    pub ty: Type,
    pub question: Option<QuestionIndex>,
    pub constant: bool,
}

impl Builder {
    /// Opens a sub-expression; returns the mark [`Builder::trace_close`] takes.
    pub(super) fn trace_open(&mut self) -> usize {
        let Some(trace) = &mut self.trace else {
            return 0;
        };
        trace.depth += 1;
        trace.pending.len()
    }

    /// Closes the sub-expression opened at `mark`: its operands are what was recorded
    /// since. A sub-expression that failed to lower is dropped (the rules do not compile).
    pub(super) fn trace_close(
        &mut self,
        mark: usize,
        scope: &Scope<'_>,
        expr: &Expr,
        lowered: Option<Lowered>,
    ) {
        let Some(trace) = &mut self.trace else {
            return;
        };
        trace.depth = trace.depth.saturating_sub(1);
        let children = if mark <= trace.pending.len() {
            trace.pending.split_off(mark)
        } else {
            Vec::new()
        };
        let Some(lowered) = lowered else {
            return;
        };
        trace.terms += 1;
        let keep = trace.depth < MAX_DEPTH && trace.terms <= MAX_TERMS;
        let kind = match (&expr.kind, lowered.question) {
            (_, Some(question)) => TermKind::Answer(question),
            (ExprKind::Binary(BinaryOp::And, ..), _) => TermKind::And,
            (ExprKind::Binary(BinaryOp::Or, ..), _) => TermKind::Or,
            (ExprKind::Unary(UnaryOp::Not, _), _) => TermKind::Not,
            _ if lowered.constant => TermKind::Constant,
            _ => TermKind::Other,
        };
        let ty = match lowered.ty {
            Type::Number => TermType::Number,
            Type::Bool => TermType::Bool,
            Type::Choice(question) => TermType::Choice(question),
        };
        trace.pending.push(ExprTree {
            text: if keep {
                render(&scope.file.text, &expr.span, scope.placeholders)
            } else {
                String::new()
            },
            kind,
            ty,
            slot: lowered.node,
            children: if keep { children } else { Vec::new() },
        });
    }

    /// Keeps the tree of the root just lowered to `node`, and starts afresh.
    pub(super) fn trace_root(&mut self, node: Option<NodeId>) {
        let Some(trace) = &mut self.trace else {
            return;
        };
        let tree = trace.pending.pop();
        trace.pending.clear();
        trace.depth = 0;
        trace.terms = 0;
        if let (Some(node), Some(tree)) = (node, tree) {
            trace.roots.entry(node).or_insert(tree);
        }
    }

    /// Records where the rule about to be pushed is written: `span` in `file`.
    pub(super) fn locate_rule(&mut self, file: &Arc<SourceFile>, span: &Span) {
        let location = self.locations.location(file, span.start);
        self.locations.rules.push(Some(location));
    }

    /// Moves the location of the last rule pushed to `span` in `file` (a template's
    /// rule is found at its tip).
    pub(super) fn relocate_rule(&mut self, file: &Arc<SourceFile>, span: &Span) {
        let location = self.locations.location(file, span.start);
        if let Some(last) = self.locations.rules.last_mut() {
            *last = Some(location);
        }
    }
}

impl Locations {
    fn location(&mut self, file: &Arc<SourceFile>, offset: usize) -> SourceLocation {
        if !self.lines.contains_key(&file.name) {
            let starts = std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', file.text.as_bytes()).map(|at| at + 1))
                .collect();
            self.lines.insert(file.name.clone(), starts);
        }
        let starts = self.lines.get(&file.name).map_or(&[][..], Vec::as_slice);
        let line = starts.partition_point(|&start| start <= offset).max(1);
        SourceLocation {
            file: file.name.clone(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    /// Where each of `ruleset`'s rules is written, in rule order; none at all when
    /// some rule was lowered but not kept, so that no rule is given another's place.
    pub(super) fn of_rules(self, ruleset: &RuleSet) -> Vec<Option<SourceLocation>> {
        if self.rules.len() == ruleset.rules.len() {
            self.rules
        } else {
            vec![None; ruleset.rules.len()]
        }
    }
}

impl Trace {
    /// The side table of `ruleset`, whose rules and conditions still hold node ids
    /// (and so do the trees, until [`relabel_all`]).
    pub(super) fn tables(mut self, ruleset: &RuleSet) -> ExplainTables {
        let roots = std::mem::take(&mut self.roots);
        let take = |node: NodeId| roots.get(&node).cloned();
        let rules = ruleset
            .rules
            .iter()
            .map(|rule| RuleTrees {
                when: take(rule.when),
                priority: rule.priority.and_then(take),
            })
            .collect();
        let applies = ruleset
            .tips
            .iter()
            .map(|tip| tip.applies.iter().map(|c| take(c.when)).collect())
            .collect();
        ExplainTables {
            program: Program::default(),
            rules,
            applies,
        }
    }
}

/// Gives `tables` the explanation program, and points every tree at the slots of
/// `program` (`slots` per node id).
pub(super) fn relabel_all(tables: &mut ExplainTables, program: Program, slots: &[u32]) {
    tables.program = program;
    let rules = tables
        .rules
        .iter_mut()
        .flat_map(|rule| rule.when.iter_mut().chain(rule.priority.iter_mut()));
    let applies = tables.applies.iter_mut().flatten().flatten();
    for tree in rules.chain(applies) {
        relabel(tree, slots);
    }
}

/// Points every node id of a tree at its slot, without recursion.
fn relabel(tree: &mut ExprTree, slots: &[u32]) {
    let mut stack = vec![tree];
    while let Some(term) = stack.pop() {
        term.slot = slots.get(term.slot as usize).copied().unwrap_or(u32::MAX);
        stack.extend(term.children.iter_mut());
    }
}

/// The text of the expression at `span`, on one line: comments dropped, runs of white
/// space one space, a template's placeholders filled in, at most [`MAX_TEXT`] bytes.
fn render(text: &str, span: &Span, placeholders: Option<&Placeholders>) -> String {
    let end = span.end.min(span.start.saturating_add(MAX_TEXT * 4));
    let source = (span.start..=end)
        .rev()
        .find_map(|end| text.get(span.start..end))
        .unwrap_or_default();
    let mut out = String::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or_default();
        for word in code.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    if let Some(placeholders) = placeholders {
        out = fill(&out, placeholders);
    }
    balance(&mut out);
    if out.len() > MAX_TEXT || end < span.end {
        let cut = (0..=MAX_TEXT.min(out.len()))
            .rev()
            .find(|&at| out.is_char_boundary(at))
            .unwrap_or(0);
        out.truncate(cut);
        out.push('…');
    }
    out
}

/// `text` with every `$name` a template placeholder fills replaced by its value.
fn fill(text: &str, placeholders: &Placeholders) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = rest.get(at..at + 1 + len).unwrap_or_default();
        match placeholders.fill(name) {
            Some(Filled::Name(id)) => out.push_str(id),
            Some(Filled::Number(value)) => out.push_str(&value.to_string()),
            None => match placeholders.section_of(name) {
                Some(section) => out.push_str(section),
                None => out.push_str(name),
            },
        }
        rest = rest.get(at + 1 + len..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Closes the parentheses a span leaves open: an operator's span ends where its right
/// operand's does, inside that operand's closing parenthesis.
fn balance(text: &mut String) {
    let mut open = 0usize;
    let mut unopened = 0usize;
    for c in text.chars() {
        match c {
            '(' => open += 1,
            ')' if open > 0 => open -= 1,
            ')' => unopened += 1,
            _ => {}
        }
    }
    text.insert_str(0, &"(".repeat(unopened));
    text.push_str(&")".repeat(open));
}

#[cfg(test)]
mod tests {
    use crate::input::Assessment;
    use crate::ruleset::RuleSet;

    fn assessment() -> Assessment {
        Assessment::builder("P1")
            .answer("toetsing.frequentie", 1)
            .answer("context.internationaal", 40)
            .unknown("visie.duidelijke_visie")
            .build()
    }

    fn explained(ruleset: &RuleSet, tip: &str) -> String {
        let explanation = ruleset.explain(&assessment(), tip).unwrap();
        serde_json::to_string(&explanation).unwrap()
    }

    #[test]
    fn a_compile_builds_no_explanation_tables_and_the_first_explain_does() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        assert!(!ruleset.explain.is_built());
        let first = explained(&ruleset, "toetsing.frequentie");
        assert!(ruleset.explain.is_built());
        assert!(first.contains("\"condition\""), "{first}");
        assert_eq!(explained(&ruleset, "toetsing.frequentie"), first);
    }

    #[test]
    fn a_clone_shares_the_tables_and_explains_as_the_original_does() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let copy = ruleset.clone();
        let first = explained(&copy, "toetsing.frequentie");
        assert!(ruleset.explain.is_built());
        assert_eq!(explained(&ruleset, "toetsing.frequentie"), first);
    }

    #[test]
    fn rule_sources_need_no_explanation_tables() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let placed = ruleset.rule_sources.iter().flatten().count();
        assert_eq!(placed, ruleset.rules().len());
        assert!(!ruleset.explain.is_built());
    }
}
