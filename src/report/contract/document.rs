//! The advice document as owned types, for reading an advice back: exactly the JSON
//! that [`crate::report::Advice::write_json`] writes (a test holds the two together), and
//! the types its JSON Schema is generated from.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::SCHEMA_VERSION;
use crate::ruleset::RuleSetInfo;

/// One programme's advice as read back from its JSON (`docs/advice.md`). Maps are
/// sorted by key here; the JSON writes answers in questionnaire order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviceDocument {
    /// [`crate::report::SCHEMA_VERSION`].
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The rules that produced the advice.
    pub ruleset: RuleSetInfo,
    /// The programme's id.
    pub programme: String,
    /// The assessment's metadata, carried along; absent when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, serde_json::Value>,
    /// The institution profile applied; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Question id to the team's comment; absent when there are none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub comments: BTreeMap<String, String>,
    /// Every answer given, by question id.
    pub answers: BTreeMap<String, Option<AnswerDocument>>,
    /// Per principle and factor, in the catalogue's order.
    pub sections: Vec<SectionDocument>,
    /// Cycle 1's tip ids, in the order the cycle took them.
    pub focus: Vec<String>,
    /// The plan, in plan order.
    pub tips: Vec<TipDocument>,
    /// Sections whose scan to complete first.
    pub scan_first: Vec<ScanFirstDocument>,
    /// Tips that apply but whose state is not known.
    pub to_establish: Vec<ToEstablishDocument>,
    /// Tips the programme's context rules out.
    pub not_applicable: Vec<NotApplicableDocument>,
    /// Plan edges where work passes between leads.
    pub handoffs: Vec<HandoffDocument>,
    /// What the reader should know, in Dutch.
    pub warnings: Vec<String>,
}

/// An answer: a number (whole ones without a fraction), yes/no, or a choice's option
/// id; `null` only for a choice index without an option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AnswerDocument {
    /// A yes/no answer.
    YesNo(bool),
    /// A scale level, a percentage or a number.
    Number(serde_json::Number),
    /// A choice's option id.
    Option(String),
}

/// One principle or factor: its score and how much of its scan was answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionDocument {
    /// The section's id.
    pub id: String,
    /// Mean of its answered score questions, two decimals; `null` when none is.
    pub mean: Option<f64>,
    /// How many of its tip questions were answered.
    pub answered: u32,
    /// Whether its quick-scan question was answered; absent when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quick_scan: Option<bool>,
}

/// One tip of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TipDocument {
    /// The tip's id.
    pub id: String,
    /// 1 "Deze cyclus", 2 "Volgende cyclus", 3 later.
    #[schemars(range(min = 1, max = 3))]
    pub cycle: u8,
    /// From 1: one after its latest prerequisite in the plan.
    #[schemars(range(min = 1))]
    pub phase: u32,
    /// 0–100.
    #[schemars(range(max = 100))]
    pub priority: u8,
    /// How weak the evidence is; absent when the tip's own question was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<WeakConfidence>,
    /// Cycle 1 only: why now, in Dutch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_now: Option<String>,
    /// The open context questions the tip's applying rests on, in Dutch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_assumed: Option<String>,
    /// Its prerequisites in the plan; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
    /// For a pulled-in prerequisite: the plan tips that need it directly.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pulled_in_by: Vec<String>,
    /// Rule id to the priority it gave or the amount it raised; `{}` when pulled in.
    pub because: BTreeMap<String, u8>,
}

/// The evidence of a tip when its own question was not answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WeakConfidence {
    /// Only its section's quick-scan answer.
    QuickScan,
    /// Neither its question nor the quick scan was answered.
    Unanswered,
}

/// A section whose scan to complete first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScanFirstDocument {
    /// The section's id.
    pub section: String,
    /// Why, in Dutch.
    pub reason: String,
}

/// A tip that applies but whose state is not known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ToEstablishDocument {
    /// The tip's id.
    pub tip: String,
    /// What is not known.
    pub unknown: UnknownState,
}

/// Why a tip's state is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnknownState {
    /// Neither its question nor its section's quick scan was answered.
    Unanswered,
    /// Only the quick scan was, and the tip is no foundation.
    QuickScanOnly,
}

/// A tip the programme's context rules out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableDocument {
    /// The tip's id.
    pub tip: String,
    /// The index of its first false `applies` condition in the catalogue.
    pub condition: u16,
}

/// A plan edge between tips with different leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffDocument {
    /// The prerequisite tip.
    pub from: String,
    /// The tip that waits for it.
    pub to: String,
}

/// The compact advice (`--compact`): ids, scores, cycles, phases and priorities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompactAdviceDocument {
    /// [`crate::report::SCHEMA_VERSION`].
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The programme's id.
    pub programme: String,
    /// Section id to mean (two decimals; `null` when none of its questions is
    /// answered), in the catalogue's order.
    pub scores: BTreeMap<String, Option<f64>>,
    /// Cycle 1's tip ids.
    pub focus: Vec<String>,
    /// The plan in plan order, each tip as `[id, cycle, phase, priority]`.
    pub tips: Vec<(String, u8, u32, u8)>,
    /// The plan tips no rule recommended.
    pub pulled_in: Vec<String>,
}
