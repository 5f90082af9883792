//! What-if before changing the rules: the advice of every programme under two rule sets
//! (or two param values), and what changes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use super::Programme;
use crate::plan::PlanStep;
use crate::report::Lang;
use crate::ruleset::RuleSet;

/// A tip whose priority changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reprioritised {
    /// The tip.
    pub tip: String,
    /// Its priority under A.
    pub from: u8,
    /// Its priority under B.
    pub to: u8,
}

/// A tip that moved to another cycle or phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// The tip.
    pub tip: String,
    /// Cycle under A and B.
    pub cycle: (u8, u8),
    /// Phase under A and B.
    pub phase: (u32, u32),
}

/// How one programme's plan changes from A to B.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProgrammeDiff {
    /// The programme.
    pub programme: String,
    /// Tips in B's plan, not in A's.
    pub added: Vec<String>,
    /// Tips in A's plan, not in B's.
    pub removed: Vec<String>,
    /// Tips in both whose priority changed.
    pub reprioritised: Vec<Reprioritised>,
    /// Tips in both that moved to another cycle or phase.
    pub moved: Vec<Moved>,
}

impl ProgrammeDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.reprioritised.is_empty()
            && self.moved.is_empty()
    }
}

/// How often a tip (or a section's tips) changed over the cohort.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DiffTotals {
    /// Programmes whose plan gained it.
    pub added: u64,
    /// Programmes whose plan lost it.
    pub removed: u64,
    /// Programmes where its priority changed.
    pub reprioritised: u64,
    /// Programmes where it moved to another cycle or phase.
    pub moved: u64,
}

impl DiffTotals {
    fn is_empty(&self) -> bool {
        *self == DiffTotals::default()
    }
}

/// The advice of a cohort under rule sets A and B, compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Programmes compared.
    pub programmes: u64,
    /// The programmes whose advice changed, in input order.
    pub changed: Vec<ProgrammeDiff>,
    /// Per tip id that changed anywhere, the totals.
    pub tips: BTreeMap<String, DiffTotals>,
    /// Per section id (the part of a tip id before its last dot), the totals.
    pub sections: BTreeMap<String, DiffTotals>,
}

impl Diff {
    /// Whether no programme's advice changed.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
    }
}

/// Compares the plans of each programme under `a` and `b`; `programmes` pairs the same
/// programme's answers checked against A and against B (the rule sets may have other
/// questions). Parallel over programmes; the result is in input order.
pub fn diff(a: &RuleSet, b: &RuleSet, programmes: &[(Programme, Programme)]) -> Diff {
    let changed: Vec<ProgrammeDiff> = programmes
        .par_iter()
        .map(|(under_a, under_b)| compare(a, b, under_a, under_b))
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|diff| !diff.is_empty())
        .collect();
    let mut tips: BTreeMap<String, DiffTotals> = BTreeMap::new();
    for diff in &changed {
        for tip in &diff.added {
            tips.entry(tip.clone()).or_default().added += 1;
        }
        for tip in &diff.removed {
            tips.entry(tip.clone()).or_default().removed += 1;
        }
        for tip in &diff.reprioritised {
            tips.entry(tip.tip.clone()).or_default().reprioritised += 1;
        }
        for tip in &diff.moved {
            tips.entry(tip.tip.clone()).or_default().moved += 1;
        }
    }
    tips.retain(|_, totals| !totals.is_empty());
    let mut sections: BTreeMap<String, DiffTotals> = BTreeMap::new();
    for (tip, totals) in &tips {
        let section = tip
            .rsplit_once('.')
            .map_or(tip.as_str(), |(section, _)| section);
        let sum = sections.entry(section.to_owned()).or_default();
        sum.added += totals.added;
        sum.removed += totals.removed;
        sum.reprioritised += totals.reprioritised;
        sum.moved += totals.moved;
    }
    Diff {
        programmes: programmes.len() as u64,
        changed,
        tips,
        sections,
    }
}

/// The plan of one programme by tip id.
fn steps<'r>(ruleset: &'r RuleSet, programme: &Programme) -> BTreeMap<&'r str, PlanStep> {
    let plan = ruleset.plan(&ruleset.evaluate(&programme.answers));
    plan.steps()
        .iter()
        .filter_map(|step| Some((ruleset.tip(step.tip)?.id.as_str(), *step)))
        .collect()
}

fn compare(a: &RuleSet, b: &RuleSet, under_a: &Programme, under_b: &Programme) -> ProgrammeDiff {
    let (plan_a, plan_b) = (steps(a, under_a), steps(b, under_b));
    let mut diff = ProgrammeDiff {
        programme: under_a.id.clone(),
        ..ProgrammeDiff::default()
    };
    for (tip, step) in &plan_a {
        match plan_b.get(tip) {
            None => diff.removed.push((*tip).to_owned()),
            Some(other) => {
                if step.priority != other.priority {
                    diff.reprioritised.push(Reprioritised {
                        tip: (*tip).to_owned(),
                        from: step.priority,
                        to: other.priority,
                    });
                }
                if step.cycle != other.cycle || step.phase != other.phase {
                    diff.moved.push(Moved {
                        tip: (*tip).to_owned(),
                        cycle: (step.cycle, other.cycle),
                        phase: (step.phase, other.phase),
                    });
                }
            }
        }
    }
    diff.added = plan_b
        .keys()
        .filter(|tip| !plan_a.contains_key(*tip))
        .map(|tip| (*tip).to_owned())
        .collect();
    diff
}

impl Diff {
    /// The diff as text for people: per changed programme what was added (`+`),
    /// removed (`-`), re-prioritised (`~`) or moved (`>`), then the totals per tip and
    /// per section. Labels follow `lang` (Dutch by default); ids stay as written.
    pub fn render_text(&self, lang: Lang) -> String {
        let mut out = format!(
            "{} {} {} {}\n",
            self.changed.len(),
            lang.pick("van", "of"),
            self.programmes,
            lang.pick("opleidingen veranderen", "programmes change")
        );
        for programme in &self.changed {
            write_programme(&mut out, programme, lang);
        }
        let per_tip = lang.pick("Per tip", "Per tip");
        let per_section = lang.pick("Per sectie", "Per section");
        for (title, totals) in [(per_tip, &self.tips), (per_section, &self.sections)] {
            write_totals(&mut out, title, totals, lang);
        }
        out
    }
}

fn write_programme(out: &mut String, programme: &ProgrammeDiff, lang: Lang) {
    let _ = writeln!(out, "\n{}", programme.programme);
    for tip in &programme.added {
        let _ = writeln!(out, "  + {tip}");
    }
    for tip in &programme.removed {
        let _ = writeln!(out, "  - {tip}");
    }
    for tip in &programme.reprioritised {
        let _ = writeln!(
            out,
            "  ~ {} {} {} -> {}",
            tip.tip,
            lang.pick("prioriteit", "priority"),
            tip.from,
            tip.to
        );
    }
    for tip in &programme.moved {
        let _ = writeln!(
            out,
            "  > {} {} {} -> {}, {} {} -> {}",
            tip.tip,
            lang.pick("cyclus", "cycle"),
            tip.cycle.0,
            tip.cycle.1,
            lang.pick("fase", "phase"),
            tip.phase.0,
            tip.phase.1
        );
    }
}

fn write_totals(out: &mut String, title: &str, totals: &BTreeMap<String, DiffTotals>, lang: Lang) {
    if totals.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{title}: {}",
        lang.pick(
            "erbij  eraf  andere prioriteit  verschoven",
            "added  removed  re-prioritised  moved"
        )
    );
    for (id, total) in totals {
        let _ = writeln!(
            out,
            "  {:>5}  {:>5}  {:>17}  {:>10}  {id}",
            total.added, total.removed, total.reprioritised, total.moved
        );
    }
}
