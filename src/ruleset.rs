//! The compiled rule set: an immutable, `Send + Sync` table of the catalogue, the
//! questionnaire and the rules, indexed by dense ids. Produced by `compile`, read by
//! `eval`, `plan` and `report`; nothing they read refers back to source text (the
//! explanation tables, built from the sources on first use, are apart: `explain`).

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

pub use crate::syntax::ast::{HorizonLevel, SectionKind};

/// Defines a dense id: a `u32` position in one table of the rule set, as its own type
/// so that an id of one table cannot be passed where one of another is expected. Only
/// the crate creates ids (`new`, `from_position`, `all`, `enumerate`); users get them
/// from the rule set and read them with `get` or `index`. Zero-cost: a `u32` in memory.
macro_rules! dense_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Its own type, so that it cannot be passed where another table's id is expected.
        /// The rule set hands ids out (its lookups, tables and results); read one with
        /// [`get`](Self::get) or [`index`](Self::index). It serialises and displays as the
        /// bare number.
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize,
        )]
        #[serde(transparent)]
        pub struct $name(u32);

        #[allow(dead_code, reason = "defined for every id; not every table needs each")]
        impl $name {
            /// The id of the entry at this position.
            #[inline]
            pub(crate) const fn new(position: u32) -> Self {
                Self(position)
            }

            /// The id of the entry at this position; `None` past `u32::MAX`.
            #[inline]
            pub(crate) fn from_position(position: usize) -> Option<Self> {
                u32::try_from(position).ok().map(Self)
            }

            /// The ids of a table of `count` entries, in order.
            #[inline]
            pub(crate) fn all(count: usize) -> impl Iterator<Item = Self> {
                (0..).map(Self).take(count)
            }

            /// Each item with the id of its position, counting from 0.
            #[inline]
            pub(crate) fn enumerate<I: IntoIterator>(
                items: I,
            ) -> impl Iterator<Item = (Self, I::Item)> {
                (0..).map(Self).zip(items)
            }

            /// The id as a number.
            #[inline]
            pub const fn get(self) -> u32 {
                self.0
            }

            /// The id as a position in its table.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

dense_id! {
    /// Index of a question in [`RuleSet::questions`]; also its slot in an answer vector.
    QuestionIndex
}
dense_id! {
    /// Index of a tip in [`RuleSet::tips`].
    TipIndex
}
dense_id! {
    /// Index of a rule in [`RuleSet::rules`].
    RuleIndex
}
dense_id! {
    /// Index of a stakeholder in [`RuleSet::stakeholders`].
    StakeholderIndex
}
dense_id! {
    /// Index of a principle or factor in [`RuleSet::sections`].
    SectionIndex
}

/// Name, version and content hash: what every advice names as its origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct RuleSetInfo {
    /// From the `ruleset` declaration.
    pub name: String,
    /// From the `ruleset` declaration.
    pub version: String,
    /// SHA-256 of the rule sources and param overrides, hex.
    pub hash: String,
}

/// A stakeholder role ("betrokkene").
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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

/// A horizon as the advice writes it; `None` where the document gives none.
pub fn horizon_text(horizon: Horizon) -> Option<String> {
    match horizon {
        Horizon::NotGiven => None,
        range => Some(range.to_string()),
    }
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
    /// The quick-scan question that stands in for the section's tip questions.
    pub quickscan: Option<QuestionIndex>,
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
    /// The role that owns the tip (the tip's `lead`, else its section's).
    pub lead: Option<StakeholderIndex>,
    /// When the tip can apply at all: its section's conditions, then its own.
    pub applies: Vec<Applicability>,
    /// The rule with the tip's id (written out, or generated by a template): its condition
    /// says whether the tip is in place, not in place, or unknown.
    pub base_rule: Option<RuleIndex>,
    /// How many tips build on this one, directly or through others.
    pub fundament: u32,
}

impl Tip {
    /// Whether other tips build on this one: a foundation of its section.
    pub fn is_foundation(&self) -> bool {
        self.fundament > 0
    }
}

/// One condition under which a tip can apply to a programme, compiled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applicability {
    /// Why the tip does not apply when the condition is false.
    pub because: String,
    /// The questions the condition reads, ascending.
    pub reads: Vec<QuestionIndex>,
    #[serde(skip)]
    pub(crate) when: Slot,
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
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChoiceOption {
    /// The value written in input files.
    pub id: String,
    /// The label shown to people.
    pub label: String,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
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

mod answer_checks;
mod compare_op;
mod expected;
mod explain;
mod planning;
pub(crate) mod program;
mod roles;
mod tip_rules;

pub(crate) use answer_checks::{AnswerCheck, LazyAnswerChecks};
pub use compare_op::CompareOp;
pub(crate) use expected::AnswerBounds;
pub(crate) use explain::{ExplainTables, ExprTree, LazyExplain, RuleTrees, TermKind, TermType};
pub use explain::{RuleIdentity, SourceLocation};
pub use planning::{horizon_rank, DEFAULT_FOCUS, DEFAULT_PER_CYCLE_LIMIT};
pub(crate) use planning::{CycleSlots, PlanTables};
pub(crate) use roles::Fate;
pub use roles::{RoleIndex, Roles};
pub use tip_rules::TipRules;

pub(crate) use program::{
    fresh_program_id, Aggregate, ArgumentRange, ArithmeticOp, Code, Compare, Kind, NodeId, Op, Ops,
    Program, RuleCode, Slot, SlotIndex, TipCode, NARROW_SLOTS, NO_SLOT,
};

/// What a rule does when its condition holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Recommends its tips with its priority.
    Recommend,
    /// Adds its amount to the priority of its tips, when other rules recommend them.
    Raise,
}

/// A compiled rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompiledRule {
    /// Its id.
    pub id: String,
    /// Recommend or raise.
    pub kind: RuleKind,
    /// The template that wrote it, for a generated base rule.
    pub template: Option<String>,
    /// Tips it recommends (or raises).
    pub recommend: Vec<TipIndex>,
    /// Its explanation.
    pub because: String,
    /// Questions its condition and priority read, ascending.
    pub reads: Vec<QuestionIndex>,
    #[serde(skip)]
    pub(crate) when: Slot,
    /// The priority of a recommending rule; the amount of a raising one.
    #[serde(skip)]
    pub(crate) priority: Option<Slot>,
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
    /// A number no other compile's program has (clones share it, as they share the
    /// program), so that a thread's batch scratch knows it is laid out for this one.
    pub(crate) program_id: u64,
    /// Tips in an order where every tip comes after its prerequisites.
    pub(crate) topological_order: Vec<TipIndex>,
    /// The `in_place` param: from this maturity level on, a tip counts as in place.
    pub(crate) in_place: Option<f64>,
    /// What the planner needs, precomputed once: see [`crate::plan`].
    pub(crate) planning: PlanTables,
    pub(crate) question_lookup: HashMap<String, QuestionIndex>,
    pub(crate) tip_lookup: HashMap<String, TipIndex>,
    /// Per tip, the rules that recommend or raise it.
    pub(crate) tip_rules: TipRules,
    /// Where each rule is written, in rule order (none for a rule set whose rules
    /// could not all be placed).
    pub(crate) rule_sources: Vec<Option<SourceLocation>>,
    /// What explanations and research reports read and the evaluator does not, built
    /// when first read.
    pub(crate) explain: Arc<LazyExplain>,
    /// One check record per question in the byte order of the ids, built when first read.
    pub(crate) answer_checks: LazyAnswerChecks,
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

    /// Per tip, the rules that recommend or raise it, in rule order.
    pub fn tip_rules(&self) -> &TipRules {
        &self.tip_rules
    }

    /// Where a rule is written (file and line), when it came from a rules file.
    pub fn rule_source(&self, rule: RuleIndex) -> Option<&SourceLocation> {
        self.rule_sources.get(rule.index())?.as_ref()
    }

    /// The rule at an index as reports name it: id, kind, template and source.
    pub fn rule_identity(&self, index: RuleIndex) -> Option<RuleIdentity<'_>> {
        let rule = self.rules.get(index.index())?;
        Some(RuleIdentity {
            rule: &rule.id,
            kind: rule.kind,
            template: rule.template.as_deref(),
            source: self.rule_source(index),
        })
    }

    /// The explanation tables, built on the first call (a second compile of the
    /// sources, which takes about as long as loading them did).
    pub(crate) fn explain_tables(&self) -> &ExplainTables {
        self.explain.tables()
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
        self.questions.get(index.index())
    }
    /// The tip at an index.
    pub fn tip(&self, index: TipIndex) -> Option<&Tip> {
        self.tips.get(index.index())
    }
    /// The section of a tip.
    pub fn section_of(&self, tip: &Tip) -> Option<&Section> {
        self.sections.get(tip.section.index())
    }
    /// The scale of a scale question.
    pub fn scale_of(&self, question: &Question) -> Option<&Scale> {
        match question.kind {
            QuestionKind::Scale { scale } => self.scales.get(scale as usize),
            _ => None,
        }
    }
}
