//! What explanations and research reports need and the evaluator does not: per rule and
//! per `applies` condition a small tree of its sub-expressions, each with its text as the
//! rules write it (a template's placeholders filled in), and a second, unfused program
//! that gives every node of the expression graph a value slot. Built once at compile
//! time and shared behind an `Arc`; the evaluator never reads it, so `advise` does not
//! pay for it.

use serde::Serialize;

use super::program::{Program, Slot};
use super::QuestionIndex;

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

/// The trees of one rule and where it is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RuleTrees {
    pub when: Option<ExprTree>,
    pub priority: Option<ExprTree>,
    pub location: Option<SourceLocation>,
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
