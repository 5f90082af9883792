//! The institution summary of a batch run, as JSON (its own schema version): per
//! principle and factor the distribution of scores over the programmes, the tips
//! recommended to many programmes (candidates for institution-wide rather than
//! per-programme interventions), each stakeholder role's workload across programmes,
//! and the programmes that could not be advised.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::eval::Answers;
use crate::input::RowError;
use crate::ruleset::{RuleSetInfo, Section, SectionKind};

/// The version of the summary JSON; raised on any incompatible change.
pub const SUMMARY_SCHEMA_VERSION: u32 = 1;

/// The institution summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstitutionSummary {
    /// [`SUMMARY_SCHEMA_VERSION`].
    #[schemars(extend("const" = SUMMARY_SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The rules that produced the advice.
    pub ruleset: RuleSetInfo,
    /// The institution profile the stakeholder roles are in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Programmes read: advised plus failed.
    pub programmes: u64,
    /// Programmes advised.
    pub advised: u64,
    /// Programmes that could not be advised.
    pub failed: u64,
    /// Rows without any value, skipped.
    pub blank_rows: u64,
    /// Per principle and factor, in the rule set's order: how the advised programmes
    /// score.
    pub sections: Vec<SectionDistribution>,
    /// The candidates for institution-wide interventions (see [`InstitutionWide`]).
    pub institution_wide: InstitutionWide,
    /// Every tip recommended to at least one programme: most programmes first, then
    /// catalogue order.
    pub tips: Vec<TipCount>,
    /// Per stakeholder role, in the roles' order: its share of the plans.
    pub stakeholders: Vec<StakeholderWorkload>,
    /// The programmes that could not be advised, in input order (at most
    /// [`FAILURES_LISTED`]).
    pub failures: Vec<FailedProgramme>,
    /// Failed programmes past the listed ones.
    pub failures_not_listed: u64,
}

/// At most this many failed programmes are listed in the summary; the count covers all.
pub const FAILURES_LISTED: usize = 10_000;

/// The distribution of one principle's or factor's score (the mean of its answered
/// questions, to two decimals) over the advised programmes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionDistribution {
    /// The section's id.
    pub id: String,
    /// Principle or factor.
    pub kind: SectionKind,
    /// The document's number.
    pub number: u32,
    /// The document's title.
    pub title: String,
    /// Programmes with a score (at least one question answered).
    pub scored: u64,
    /// Programmes without one.
    pub not_scored: u64,
    /// Mean over the scored programmes, to two decimals.
    pub mean: Option<f64>,
    /// Lowest score.
    pub min: Option<f64>,
    /// First quartile (nearest rank).
    pub p25: Option<f64>,
    /// Median (nearest rank).
    pub median: Option<f64>,
    /// Third quartile (nearest rank).
    pub p75: Option<f64>,
    /// Highest score.
    pub max: Option<f64>,
    /// Programmes by whole level of the score: `level` counts scores from `level` up
    /// to, not including, `level + 1`. Levels without programmes are left out.
    pub levels: Vec<LevelCount>,
}

/// How many programmes score at one whole level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LevelCount {
    /// The level (the score rounded down).
    pub level: i64,
    /// Programmes at that level.
    pub programmes: u64,
}

/// The candidates for institution-wide rather than per-programme interventions: the
/// tips that many programmes would start with now.
///
/// Every tip applies to and is recommended for many programmes somewhere in their
/// plans (on a generated cohort nearly all 143 reach half of them), so a share of the
/// whole plan does not single anything out. A programme's first cycle (its `focus`)
/// holds only a few tips, so a tip in the first cycle of a large share of the
/// programmes stands out: with 3 of 143 tips per programme, one tip is in about 2% of
/// them by chance. A tip is a candidate when it is in the first cycle of at least
/// `min_share` of the advised programmes; candidates are ranked by that count
/// (`in_focus`), then by how many tips build on it (the catalogue's `fundament`), then
/// catalogue order, and at most [`INSTITUTION_WIDE_LISTED`] are listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstitutionWide {
    /// The share of advised programmes (0–1) whose first cycle must hold a tip for it
    /// to be listed.
    pub min_share: f64,
    /// The tips: most programmes with it in the first cycle (`in_focus`) first, then
    /// most tips building on it, then catalogue order.
    pub tips: Vec<TipCount>,
}

/// At most this many institution-wide candidates are listed: a list a board can
/// discuss.
pub const INSTITUTION_WIDE_LISTED: usize = 15;

/// How often one tip was recommended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TipCount {
    /// The tip's id.
    pub id: String,
    /// Its factor's (or principle's) id.
    pub factor: String,
    /// Programmes the rules recommended it to.
    pub programmes: u64,
    /// That count as a share of the advised programmes (0–1, four decimals).
    pub share: f64,
    /// The mean of the priorities the rules gave it, to two decimals.
    pub mean_priority: f64,
    /// Programmes whose plan starts with it (their focus).
    pub in_focus: u64,
}

/// One stakeholder role's workload across the programmes' plans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StakeholderWorkload {
    /// The role's id.
    pub id: String,
    /// The role's display name.
    pub name: String,
    /// Programmes whose plan involves the role.
    pub programmes: u64,
    /// Plan tips involving the role, over all programmes.
    pub tips: u64,
    /// Of those, tips in phase 1.
    pub phase_one_tips: u64,
    /// Plan tips per advised programme, to two decimals.
    pub mean_tips: f64,
    /// The most plan tips of one programme.
    pub max_tips: u64,
}

/// A programme that could not be advised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FailedProgramme {
    /// Its id; `null` when the row has none.
    pub programme: Option<String>,
    /// Its row (see [`crate::input::Record::row`]).
    pub row: u64,
    /// Every problem of the row.
    pub errors: Vec<RowError>,
}

/// A section's score in hundredths: the mean of its answered questions, rounded to two
/// decimals as the advice rounds it; `None` when none is answered.
pub(crate) fn score_hundredths(section: &Section, answers: &Answers) -> Option<i64> {
    let (sum, count) = section
        .questions
        .iter()
        .filter_map(|&question| answers.get(question))
        .fold((0.0, 0u32), |(sum, count), value| (sum + value, count + 1));
    // INVARIANT: answers are bounded by their questions' ranges, so the rounded mean
    // times 100 fits an i64.
    (count > 0).then(|| (sum / f64::from(count) * 100.0).round() as i64)
}

/// Hundredths as a number with two decimals.
pub(crate) fn from_hundredths(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}
