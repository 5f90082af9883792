//! The compiled rule set: an immutable, `Send + Sync` table of the catalogue, the
//! questionnaire and the rules, indexed by dense ids. Produced by `compile`, read by
//! `eval`, `plan` and `report`; nothing here refers back to source text.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

pub use crate::syntax::ast::{CompareOp, HorizonLevel, SectionKind};

/// Index of a question in [`RuleSet::questions`]; also its slot in an answer vector.
pub type QuestionIndex = u32;
/// Index of a tip in [`RuleSet::tips`].
pub type TipIndex = u32;
/// Index of a rule in [`RuleSet::rules`].
pub type RuleIndex = u32;
/// Index of a stakeholder in [`RuleSet::stakeholders`].
pub type StakeholderIndex = u32;
/// Index of a principle or factor in [`RuleSet::sections`].
pub type SectionIndex = u32;

/// Name, version and content hash: what every advice names as its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuleSetInfo {
    /// From the `ruleset` declaration.
    pub name: String,
    /// From the `ruleset` declaration.
    pub version: String,
    /// SHA-256 of the rule sources and param overrides, hex.
    pub hash: String,
}

/// A stakeholder role ("betrokkene").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stakeholder {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// One of the document's three theme headings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    /// Stable id.
    pub id: String,
    /// The heading.
    pub title: String,
    /// Its number, if declared.
    pub number: Option<u32>,
}

/// When a tip can be carried out, as the document gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Horizon {
    /// The document gives none ("-").
    NotGiven,
    /// From `from` to `to` inclusive; equal for a single level.
    Range {
        /// Earliest level.
        from: HorizonLevel,
        /// Latest level.
        to: HorizonLevel,
    },
}

impl std::fmt::Display for Horizon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Horizon::NotGiven => f.write_str("niet gegeven"),
            Horizon::Range { from, to } if from == to => write!(f, "{from}"),
            Horizon::Range { from, to } => write!(f, "{from}-{to}"),
        }
    }
}

/// A principle ("uitgangspunt") or factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable id, the prefix of its tips' ids.
    pub id: String,
    /// Principle or factor.
    pub kind: SectionKind,
    /// The document's number (1–3 for principles, 1–14 for factors).
    pub number: u32,
    /// The document's title.
    pub title: String,
    /// The theme, for factors.
    pub theme: Option<u32>,
    /// The document's horizon.
    pub horizon: Horizon,
    /// Stakeholders involved, in the document's order.
    pub stakeholders: Vec<StakeholderIndex>,
    /// A note the document adds to the section.
    pub note: Option<String>,
    /// The section's tips, in document order.
    pub tips: Vec<TipIndex>,
    /// The numeric questions whose id starts with the section id: the basis of its score.
    pub questions: Vec<QuestionIndex>,
}

/// One tip (intervention).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tip {
    /// Stable id: `<section>.<slug>`.
    pub id: String,
    /// Its principle or factor.
    pub section: SectionIndex,
    /// The document's text.
    pub text: String,
    /// A sub-heading of the document the tip stands under.
    pub group: Option<String>,
    /// Prerequisite tips.
    pub after: Vec<TipIndex>,
    /// The question with the same id, which says how far the tip is in place.
    pub maturity_question: Option<QuestionIndex>,
}

/// A labelled integer scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    /// Stable id.
    pub id: String,
    /// Lowest level.
    pub low: i64,
    /// Highest level.
    pub high: i64,
    /// Labels per level, ascending.
    pub labels: Vec<(i64, String)>,
    /// Descriptions per level, ascending: how a team recognises the level.
    pub descriptions: Vec<(i64, String)>,
}

impl Scale {
    /// The label of a level, if it has one.
    pub fn label(&self, level: i64) -> Option<&str> {
        self.labels
            .iter()
            .find(|(value, _)| *value == level)
            .map(|(_, label)| label.as_str())
    }

    /// The description of a level, if it has one.
    pub fn description(&self, level: i64) -> Option<&str> {
        self.descriptions
            .iter()
            .find(|(value, _)| *value == level)
            .map(|(_, description)| description.as_str())
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceOption {
    /// The value written in input files.
    pub id: String,
    /// The label shown to people.
    pub label: String,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum QuestionKind {
    /// A whole number on a declared scale.
    Scale {
        /// Index into [`RuleSet::scales`].
        scale: u32,
    },
    /// Yes or no.
    YesNo,
    /// 0 to 100.
    Percent,
    /// Any number, or one in an inclusive range.
    Number {
        /// The inclusive range, if declared.
        range: Option<(f64, f64)>,
    },
    /// One of a fixed list of options.
    Choice {
        /// The options, in declared order.
        options: Vec<ChoiceOption>,
    },
}

/// A question of the questionnaire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// Stable id; the column header in input files.
    pub id: String,
    /// Its answer type.
    pub kind: QuestionKind,
    /// The text shown to the programme team.
    pub text: String,
    /// Kept for reports; no rule needs it.
    pub info: bool,
}

/// A tunable number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// Its name.
    pub id: String,
    /// The value used: the default or the override.
    pub value: f64,
    /// The value in the rules file.
    pub default: f64,
    /// What it tunes.
    pub description: Option<String>,
}

/// Index of a node in the expression arena.
pub(crate) type NodeId = u32;

/// A compiled expression node. Values are `f64`: numbers as they are, booleans as 0 and
/// 1, choice options as their index, and NaN for unknown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Node {
    /// A constant, params included (they are folded at compile time).
    Constant(f64),
    /// The answer to a question.
    Answer(QuestionIndex),
    /// Kleene negation.
    Not(NodeId),
    /// Arithmetic negation.
    Negate(NodeId),
    /// Kleene conjunction.
    And(NodeId, NodeId),
    /// Kleene disjunction.
    Or(NodeId, NodeId),
    /// A comparison.
    Compare(CompareOp, NodeId, NodeId),
    /// Arithmetic.
    Arithmetic(ArithmeticOp, NodeId, NodeId),
    /// Membership of a choice value in a set of options (bit i = option i).
    In(NodeId, u64),
    /// A function over the arguments `arguments[range]`.
    Call(Aggregate, ArgumentRange),
}

/// The arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithmeticOp {
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// The built-in functions, compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregate {
    Avg,
    Min,
    Max,
    Count,
    Answered,
    Missing,
    Coalesce,
}

/// A slice of [`Program::arguments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArgumentRange {
    pub start: u32,
    pub len: u32,
}

impl ArgumentRange {
    pub fn range(self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// Every compiled expression of a rule set in one arena. Identical subexpressions share
/// one node (the compiler hash-conses them), and every node's operands have smaller ids,
/// so the evaluator computes all nodes in one pass in arena order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    pub nodes: Vec<Node>,
    pub arguments: Vec<NodeId>,
}

/// A compiled rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledRule {
    /// Its id.
    pub id: String,
    /// Tips it recommends.
    pub recommend: Vec<TipIndex>,
    /// Its explanation.
    pub because: String,
    /// Questions its condition and priority read, ascending.
    pub reads: Vec<QuestionIndex>,
    #[serde(skip)]
    pub(crate) when: NodeId,
    #[serde(skip)]
    pub(crate) priority: Option<NodeId>,
}

/// What a rule test expects of one tip.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestExpectation {
    /// The tip.
    pub tip: TipIndex,
    /// Expected absent rather than present.
    pub negated: bool,
    /// A bound on the tip's priority.
    pub priority: Option<(CompareOp, f64)>,
    /// Where the expectation is written (`file:line:column`).
    pub location: String,
}

/// A rule test, compiled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTest {
    /// The test's name.
    pub name: String,
    /// Where it is written (`file:line:column`).
    pub location: String,
    /// Answers given; every other question is unanswered.
    pub given: Vec<(QuestionIndex, f64)>,
    /// What must hold.
    pub expectations: Vec<TestExpectation>,
}

/// The compiled rule set. Immutable after compilation and shared by reference between
/// threads.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) info: RuleSetInfo,
    pub(crate) themes: Vec<Theme>,
    pub(crate) stakeholders: Vec<Stakeholder>,
    pub(crate) sections: Vec<Section>,
    pub(crate) tips: Vec<Tip>,
    pub(crate) scales: Vec<Scale>,
    pub(crate) questions: Vec<Question>,
    pub(crate) params: Vec<Param>,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) tests: Vec<RuleTest>,
    pub(crate) program: Program,
    /// Tips in an order where every tip comes after its prerequisites.
    pub(crate) topological_order: Vec<TipIndex>,
    /// The `in_place` param: from this maturity level on, a tip counts as in place.
    pub(crate) in_place: Option<f64>,
    /// What the planner needs, precomputed once: see [`crate::plan`].
    pub(crate) planning: crate::plan::PlanTables,
    pub(crate) question_lookup: HashMap<String, QuestionIndex>,
    pub(crate) tip_lookup: HashMap<String, TipIndex>,
}

const fn assert_send_sync<T: Send + Sync>() {}
const _: () = assert_send_sync::<RuleSet>();

impl RuleSet {
    /// Name, version and content hash.
    pub fn info(&self) -> &RuleSetInfo {
        &self.info
    }
    /// The themes, in declared order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }
    /// The stakeholder roles, in declared order.
    pub fn stakeholders(&self) -> &[Stakeholder] {
        &self.stakeholders
    }
    /// Principles then factors, each by number.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }
    /// Every tip, in section order then document order.
    pub fn tips(&self) -> &[Tip] {
        &self.tips
    }
    /// The scales.
    pub fn scales(&self) -> &[Scale] {
        &self.scales
    }
    /// The questionnaire, in declared order; the index is the answer slot.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
    /// The params with the values in use.
    pub fn params(&self) -> &[Param] {
        &self.params
    }
    /// The rules, in declared order.
    pub fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }
    /// The rule tests, in declared order.
    pub fn tests(&self) -> &[RuleTest] {
        &self.tests
    }
    /// Tips ordered so that each comes after all of its prerequisites.
    pub fn topological_order(&self) -> &[TipIndex] {
        &self.topological_order
    }
    /// The maturity level from which a tip counts as in place (the `in_place` param).
    pub fn in_place_level(&self) -> Option<f64> {
        self.in_place
    }

    /// The index of the question with this id.
    pub fn question_index(&self, id: &str) -> Option<QuestionIndex> {
        self.question_lookup.get(id).copied()
    }
    /// The index of the tip with this id.
    pub fn tip_index(&self, id: &str) -> Option<TipIndex> {
        self.tip_lookup.get(id).copied()
    }
    /// The question at an index.
    pub fn question(&self, index: QuestionIndex) -> Option<&Question> {
        self.questions.get(index as usize)
    }
    /// The tip at an index.
    pub fn tip(&self, index: TipIndex) -> Option<&Tip> {
        self.tips.get(index as usize)
    }
    /// The section of a tip.
    pub fn section_of(&self, tip: &Tip) -> Option<&Section> {
        self.sections.get(tip.section as usize)
    }
    /// The scale of a scale question.
    pub fn scale_of(&self, question: &Question) -> Option<&Scale> {
        match question.kind {
            QuestionKind::Scale { scale } => self.scales.get(scale as usize),
            _ => None,
        }
    }
}
