//! The compiler's limits: how many declarations a rule set has, how much expression the
//! rules lower into, and how many diagnostics are reported. Each keeps a hostile or
//! mistaken rule set from making the compiler run for hours or print without end.

use std::sync::Arc;

use super::Builder;
use crate::diagnostic::{Diagnostic, DiagnosticKind, SourceFile};
use crate::syntax::ast::{self, Declaration, Span};

/// The most declarations a rule set may have, all files together (the Roadmap has
/// about 400).
pub const MAX_DECLARATIONS: usize = 10_000;

/// The most expression nodes the rules may lower into: every operator, operand and
/// call, a template's once per tip it writes a rule for, and a glob once per question
/// it matches (the Roadmap lowers into about 6 400).
pub const MAX_EXPRESSION_NODES: usize = 1_000_000;

/// The most diagnostics reported; the compiler stops looking once it has this many.
pub const MAX_DIAGNOSTICS: usize = 1_000;

/// The declaration past the limit, if the rule set has too many: an error there.
pub(super) fn too_many_declarations(trees: &[(Arc<SourceFile>, ast::File)]) -> Option<Diagnostic> {
    let mut all = trees
        .iter()
        .flat_map(|(file, tree)| tree.declarations.iter().map(move |decl| (file, decl)));
    let (file, first_over) = all.nth(MAX_DECLARATIONS)?;
    let total = MAX_DECLARATIONS + 1 + all.count();
    let kind = DiagnosticKind::OverLimit {
        what: format!("the rule set has {total} declarations"),
        limit: MAX_DECLARATIONS.to_string(),
    };
    let label = format!("declaration {} of {total}", MAX_DECLARATIONS + 1);
    let help = "a rule set is one programme model such as the Roadmap (about 400 \
                declarations); a template writes the rule of many tips at once";
    Some(Diagnostic::new(kind, file, name_span(first_over), label).with_help(help))
}

/// Where a declaration's name (or first part) stands.
fn name_span(declaration: &Declaration) -> Span {
    match declaration {
        Declaration::RuleSet(decl) => decl.name.span.clone(),
        Declaration::Stakeholder(decl) => decl.id.span.clone(),
        Declaration::Theme(decl) => decl.id.span.clone(),
        Declaration::Section(decl) => decl.id.span.clone(),
        Declaration::Tip(decl) => decl.id.span.clone(),
        Declaration::Scale(decl) => decl.id.span.clone(),
        Declaration::Question(decl) => decl.id.span.clone(),
        Declaration::Param(decl) => decl.id.span.clone(),
        Declaration::Template(decl) => decl.id.span.clone(),
        Declaration::Rule(decl) => decl.id.span.clone(),
        Declaration::Test(decl) => decl.name.span.clone(),
    }
}

/// Keeps the first [`MAX_DIAGNOSTICS`] diagnostics (in source order) and says how many
/// more there were.
pub(super) fn cap(diagnostics: &mut Vec<Diagnostic>) {
    if diagnostics.len() <= MAX_DIAGNOSTICS {
        return;
    }
    let more = diagnostics.len() - MAX_DIAGNOSTICS;
    diagnostics.truncate(MAX_DIAGNOSTICS);
    if let Some(last) = diagnostics.last() {
        let kind = DiagnosticKind::TooManyDiagnostics {
            shown: MAX_DIAGNOSTICS,
            more,
        };
        let file = Arc::clone(&last.file);
        let span = last.span.clone();
        let note = Diagnostic::new(kind, &file, span, "the last one shown")
            .with_help("fix these and check again to see the rest");
        diagnostics.push(note);
    }
}

/// How much expression has been lowered, against [`MAX_EXPRESSION_NODES`].
#[derive(Debug, Default)]
pub(super) struct Budget {
    nodes: usize,
    exhausted: bool,
}

impl Builder {
    /// Counts `nodes` lowered at `span`; false (reported once) when over the limit, or
    /// when so many diagnostics are found that looking further is pointless.
    pub(super) fn spend(&mut self, file: &Arc<SourceFile>, span: &Span, nodes: usize) -> bool {
        if self.budget.exhausted || self.diagnostics.len() >= MAX_DIAGNOSTICS {
            return false;
        }
        self.budget.nodes = self.budget.nodes.saturating_add(nodes);
        if self.budget.nodes <= MAX_EXPRESSION_NODES {
            return true;
        }
        self.budget.exhausted = true;
        let kind = DiagnosticKind::OverLimit {
            what: format!(
                "the rules' expressions reach {} nodes (a template counts once per tip, \
                 a glob once per question)",
                self.budget.nodes
            ),
            limit: MAX_EXPRESSION_NODES.to_string(),
        };
        let help = "split long expressions, or narrow the globs and templates that \
                    repeat them";
        let diagnostic = Diagnostic::new(kind, file, span.clone(), "the limit is reached here");
        self.diagnostics.push(diagnostic.with_help(help));
        false
    }

    /// How many expression nodes have been counted so far.
    pub(super) fn spent(&self) -> usize {
        self.budget.nodes
    }

    /// Counts `nodes` of a sub-expression lowered again (see `reuse`) when that stays
    /// within the limits; false, counting nothing and reporting nothing, otherwise.
    pub(super) fn spend_quietly(&mut self, nodes: usize) -> bool {
        if self.budget.exhausted || self.diagnostics.len() >= MAX_DIAGNOSTICS {
            return false;
        }
        let total = self.budget.nodes.saturating_add(nodes);
        if total > MAX_EXPRESSION_NODES {
            return false;
        }
        self.budget.nodes = total;
        true
    }

    /// Whether lowering stopped (too many expression nodes or diagnostics).
    pub(super) fn stopped(&self) -> bool {
        self.budget.exhausted || self.diagnostics.len() >= MAX_DIAGNOSTICS
    }
}
