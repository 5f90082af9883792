//! The progress part of a programme's page: what moved since the earlier run of
//! `--previous`, from [`Progress::compare`] (the comparison lives in
//! `report::progress`, for the dashboard and the pages alike), laid out per section
//! with the tips completed and still open by text.

use serde::Serialize;

use super::{Labels, SectionKind};
use crate::report::{Advice, AdviceSnapshot, Progress};
use crate::ruleset::RuleSet;

/// What moved in one programme since the earlier run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressReport {
    /// Whether the earlier run advised this programme; when not, the rest is empty.
    pub in_previous: bool,
    /// Whether the earlier advice came from the same rules (the same content hash).
    pub same_rules: bool,
    /// Per principle and factor, in the Roadmap's order.
    pub sections: Vec<ProgressRow>,
    /// The tips completed: in the earlier plan, no longer in the plan now.
    pub completed: Vec<ProgressTip>,
    /// The tips of the earlier first cycle still in the plan now.
    pub still_open: Vec<ProgressTip>,
    /// The section and tip ids of the earlier advice the rules now do not have, sorted.
    pub no_longer_exist: Vec<String>,
}

/// One principle or factor's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressRow {
    /// "Uitgangspunt" or "Factor" (a label).
    pub kind: &'static str,
    /// The document's number.
    pub number: u32,
    /// The document's title.
    pub title: String,
    /// The earlier score to two decimals, or "–".
    pub previous: String,
    /// The score now to two decimals, or "–".
    pub current: String,
    /// The change with its sign (`+0.75`, `−0.50`, `0.00`), or "–".
    pub change: String,
    /// `up`, `down`, `same` or `na`: how the change is coloured.
    pub direction: &'static str,
    /// Tips of this section completed.
    pub completed: u32,
    /// Tips of this section still open from the earlier first cycle.
    pub still_open: u32,
}

/// A tip completed or still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressTip {
    /// The tip's id.
    pub id: String,
    /// Its section's title.
    pub section: String,
    /// The document's text.
    pub text: String,
}

impl ProgressReport {
    /// The progress of `advice` since `previous`, its advice in the earlier run (`None`
    /// when the earlier run did not advise the programme).
    pub fn new(
        ruleset: &RuleSet,
        advice: &Advice<'_>,
        previous: Option<&AdviceSnapshot>,
        labels: &Labels,
    ) -> ProgressReport {
        let Some(previous) = previous else {
            return ProgressReport {
                in_previous: false,
                same_rules: true,
                sections: Vec::new(),
                completed: Vec::new(),
                still_open: Vec::new(),
                no_longer_exist: Vec::new(),
            };
        };
        let progress = Progress::compare(ruleset, previous, &AdviceSnapshot::from_advice(advice));
        ProgressReport {
            in_previous: true,
            same_rules: progress.same_rules,
            sections: rows(ruleset, &progress, labels),
            completed: tips(ruleset, &progress.completed),
            still_open: tips(ruleset, &progress.still_open),
            no_longer_exist: progress.no_longer_exist,
        }
    }
}

fn rows(ruleset: &RuleSet, progress: &Progress, labels: &Labels) -> Vec<ProgressRow> {
    let score = |score: Option<f64>| score.map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"));
    ruleset
        .sections()
        .iter()
        .zip(&progress.sections)
        .map(|(section, moved)| {
            let (change, direction) = signed(moved.change);
            ProgressRow {
                kind: match section.kind {
                    SectionKind::Principle => labels.principle,
                    SectionKind::Factor => labels.factor,
                },
                number: section.number,
                title: section.title.clone(),
                previous: score(moved.previous),
                current: score(moved.current),
                change,
                direction,
                completed: moved.completed,
                still_open: moved.still_open,
            }
        })
        .collect()
}

/// A change with its sign and its direction.
fn signed(change: Option<f64>) -> (String, &'static str) {
    let Some(change) = change else {
        return ("–".to_owned(), "na");
    };
    let hundredths = (change * 100.0).round() as i64;
    let (sign, direction) = match hundredths {
        0 => ("", "same"),
        h if h > 0 => ("+", "up"),
        _ => ("−", "down"),
    };
    let magnitude = hundredths.unsigned_abs();
    (
        format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100),
        direction,
    )
}

fn tips(ruleset: &RuleSet, ids: &[String]) -> Vec<ProgressTip> {
    ids.iter()
        .filter_map(|id| {
            let tip = ruleset.tip(ruleset.tip_index(id)?)?;
            Some(ProgressTip {
                id: id.clone(),
                section: ruleset
                    .section_of(tip)
                    .map_or_else(String::new, |section| section.title.clone()),
                text: tip.text.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_carry_their_sign_and_direction() {
        assert_eq!(signed(Some(0.75)), ("+0.75".to_owned(), "up"));
        assert_eq!(signed(Some(-1.5)), ("−1.50".to_owned(), "down"));
        assert_eq!(signed(Some(0.001)), ("0.00".to_owned(), "same"));
        assert_eq!(signed(None), ("–".to_owned(), "na"));
    }
}
