//! The progress since an earlier run in the text output: the sections that moved and
//! the tips completed and still open, by id, from [`Progress::compare`].

use std::fmt::Write as _;

use super::{section_heading, HEADING_WIDTH};
use crate::report::{Advice, AdviceSnapshot, Lang, PreviousRun, Progress};
use crate::ruleset::RuleSet;

/// What moved since the earlier run, from [`Progress::compare`]: the sections whose
/// score changed or whose tips were completed or are still open, then those tips.
pub(super) fn write_progress(
    out: &mut String,
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    previous: &PreviousRun,
    lang: Lang,
) {
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick("Voortgang sinds de vorige keer", "Progress since last time")
    );
    let Some(snapshot) = previous.programmes.get(advice.programme.as_str()) else {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "De vorige run had geen advies voor deze opleiding.",
                "The previous run has no advice for this programme."
            )
        );
        return;
    };
    let progress = Progress::compare(ruleset, snapshot, &AdviceSnapshot::from_advice(advice));
    if !progress.same_rules {
        let _ = writeln!(
            out,
            "  {}",
            lang.pick(
                "De vorige run gebruikte andere regels; ids zijn gekoppeld waar ze nog bestaan.",
                "The previous run used other rules; ids are matched where they still exist."
            )
        );
    }
    write_progress_sections(out, ruleset, &progress, lang);
    write_progress_tips(out, &progress, lang);
}

/// The sections whose score changed or that have tips completed or still open, one
/// line each, and how many did not move.
fn write_progress_sections(out: &mut String, ruleset: &RuleSet, progress: &Progress, lang: Lang) {
    let header = lang.pick(
        "(vorige keer -> nu; afgerond, nog open)",
        "(previous -> now; completed, still open)",
    );
    let _ = writeln!(out, "  {header}");
    let mut unchanged = 0;
    for (section, moved) in ruleset.sections().iter().zip(&progress.sections) {
        let changed = moved.change.is_some_and(|change| change != 0.0)
            || moved.completed > 0
            || moved.still_open > 0;
        if !changed {
            unchanged += 1;
            continue;
        }
        let score =
            |score: Option<f64>| score.map_or_else(|| "-".to_owned(), |s| format!("{s:.2}"));
        let _ = writeln!(
            out,
            "  {:<HEADING_WIDTH$} {:>5} -> {:>5}  {:>2}, {:>2}",
            section_heading(section, lang),
            score(moved.previous),
            score(moved.current),
            moved.completed,
            moved.still_open
        );
    }
    if unchanged > 0 {
        let _ = writeln!(
            out,
            "  {unchanged} {}",
            lang.pick("onderdelen onveranderd", "sections unchanged")
        );
    }
}

/// The ids of the tips completed, those still open and those that no longer exist.
fn write_progress_tips(out: &mut String, progress: &Progress, lang: Lang) {
    let lists = [
        (lang.pick("Afgerond", "Completed"), &progress.completed),
        (
            lang.pick(
                "Nog open uit de vorige cyclus",
                "Still open from the previous cycle",
            ),
            &progress.still_open,
        ),
        (
            lang.pick("Ids die niet meer bestaan", "Ids that no longer exist"),
            &progress.no_longer_exist,
        ),
    ];
    for (label, ids) in lists {
        if !ids.is_empty() {
            let _ = writeln!(out, "  {label} ({}): {}", ids.len(), ids.join(", "));
        }
    }
}
