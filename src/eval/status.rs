//! From fired rules to where each tip stands for one programme: not applicable in its
//! context, recommended (on its own answer or on the quick scan), to be established
//! first because the programme does not know, or clear.

use crate::ruleset::{Slot, TipCode, NO_SLOT};

/// How strong the evidence for a recommendation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The tip's own question was answered.
    Answered,
    /// Only the section's quick-scan question was: weaker evidence.
    QuickScan,
    /// Neither was: only a prerequisite pulled into a plan can be in it so.
    Unanswered,
}

/// Why the state of a tip must be established before it can be advised on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// Neither the tip's question nor its section's quick scan was answered.
    Unanswered,
    /// Only the quick scan was answered, and the tip is no foundation of its section: the
    /// detailed scan must tell whether it is needed.
    QuickScanOnly,
}

/// Where one tip stands for one programme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TipStatus {
    /// No rule recommends it: in place, or not needed.
    #[default]
    Clear,
    /// Recommended.
    Recommended(Confidence),
    /// Its state is not known yet ("eerst uitzoeken").
    ToEstablish(Unknown),
    /// Its context rules it out: the index of the first condition in `Tip::applies`
    /// that is false.
    NotApplicable(u16),
}

/// What evaluating a tip's `applies` conditions gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Applies {
    Yes,
    /// No condition is false, but one is unknown: the context was not given.
    Assumed,
    No(u16),
}

impl Applies {
    /// The applicability of a tip from the values of its `applies` conditions.
    pub(super) fn of(conditions: impl Iterator<Item = f64>) -> Applies {
        let mut assumed = false;
        for (index, holds) in (0u16..).zip(conditions) {
            if holds == 0.0 {
                return Applies::No(index);
            }
            assumed |= holds.is_nan();
        }
        if assumed {
            Applies::Assumed
        } else {
            Applies::Yes
        }
    }
}

/// The status of an applicable tip: `recommended` says whether a rule recommends it,
/// `base` is the value of its base rule's condition (NaN: unknown), and `answered` tells
/// whether a question is answered.
pub(super) fn applicable_status(
    tip: &TipCode,
    recommended: bool,
    base: f64,
    answered: impl Fn(Slot) -> bool,
) -> TipStatus {
    if !recommended {
        return match base.is_nan() && tip.base != NO_SLOT {
            true => TipStatus::ToEstablish(Unknown::Unanswered),
            false => TipStatus::Clear,
        };
    }
    let own_answer = tip.maturity == NO_SLOT || answered(tip.maturity);
    let quickscan = tip.quickscan != NO_SLOT && answered(tip.quickscan);
    match (own_answer || !quickscan, tip.foundation) {
        (true, _) => TipStatus::Recommended(Confidence::Answered),
        (false, true) => TipStatus::Recommended(Confidence::QuickScan),
        (false, false) => TipStatus::ToEstablish(Unknown::QuickScanOnly),
    }
}
