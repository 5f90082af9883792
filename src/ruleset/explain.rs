//! What explanations and research reports need and the evaluator does not: per rule and
//! per `applies` condition a small tree of its sub-expressions, each with its text as the
//! rules write it (a template's placeholders filled in), and a second, unfused program
//! that gives every node of the expression graph a value slot. Built the first time an
//! explanation or a coverage report reads them ([`LazyExplain`]), not at compile time,
//! and shared behind an `Arc`; the evaluator never reads them, so neither loading the
//! rules nor `advise` pays for them.

use std::sync::OnceLock;

use serde::Serialize;

use super::program::{Program, Slot};
use super::{QuestionIndex, RuleKind};

/// Where a rule is written: its file and the line of its name (for a rule a template
/// writes, the line of the tip's declaration).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct SourceLocation {
    /// The rules file, as the rule set was loaded from it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A rule as reports name it: its id, what it does, the template that wrote it and
/// where it is written. Explanations and coverage reports flatten it into their own
/// entries, so its fields appear in their JSON as theirs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleIdentity<'r> {
    /// The rule's id.
    pub rule: &'r str,
    /// Whether it recommends or raises.
    pub kind: RuleKind,
    /// The template that wrote the rule, for a tip's base rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<&'r str>,
    /// Where the rule is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'r SourceLocation>,
}

/// What a sub-expression is, as far as an explanation needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermKind {
    /// Kleene `and`.
    And,
    /// Kleene `or`.
    Or,
    /// Kleene `not`.
    Not,
    /// The answer to a question.
    Answer(QuestionIndex),
    /// A literal or a param.
    Constant,
    /// Anything else: comparisons, arithmetic, calls, `in`.
    Other,
}

/// How a sub-expression's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermType {
    /// A number.
    Number,
    /// True or false (1 or 0).
    Bool,
    /// An option of this choice question (its index).
    Choice(QuestionIndex),
}

/// One sub-expression: its text, what it is, the slot of its value in
/// [`ExplainTables::program`], and its operands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExprTree {
    pub text: String,
    pub kind: TermKind,
    pub ty: TermType,
    /// While compiling, the node id in the expression graph; then the slot.
    pub slot: Slot,
    pub children: Vec<ExprTree>,
}

/// The trees of one rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuleTrees {
    pub when: Option<ExprTree>,
    pub priority: Option<ExprTree>,
}

/// The explanation-only side table of a rule set.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExplainTables {
    /// Every node of the expression graph with a slot of its own, unfused.
    pub program: Program,
    /// Per rule, in rule order.
    pub rules: Vec<RuleTrees>,
    /// Per tip, per `applies` condition.
    pub applies: Vec<Vec<Option<ExprTree>>>,
}

/// How [`LazyExplain`] builds its tables: compiles the rule set's sources once more,
/// recording the trees.
type BuildTables = Box<dyn Fn() -> ExplainTables + Send + Sync>;

/// The explanation tables of a rule set, built by `build` the first time they are
/// read and kept from then on; clones of the rule set share them.
pub(crate) struct LazyExplain {
    tables: OnceLock<ExplainTables>,
    build: BuildTables,
}

impl LazyExplain {
    /// Tables that `build` makes when they are first read.
    pub fn new(build: impl Fn() -> ExplainTables + Send + Sync + 'static) -> LazyExplain {
        LazyExplain {
            tables: OnceLock::new(),
            build: Box::new(build),
        }
    }

    /// The tables, built now if this is the first read.
    pub fn tables(&self) -> &ExplainTables {
        self.tables.get_or_init(|| (self.build)())
    }

    /// Whether the tables have been built (for tests of the laziness).
    #[cfg(test)]
    pub fn is_built(&self) -> bool {
        self.tables.get().is_some()
    }
}

impl Default for LazyExplain {
    /// Empty tables: a rule set no explanation can read.
    fn default() -> Self {
        LazyExplain::new(ExplainTables::default)
    }
}

impl std::fmt::Debug for LazyExplain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyExplain")
            .field("tables", &self.tables.get())
            .finish_non_exhaustive()
    }
}
