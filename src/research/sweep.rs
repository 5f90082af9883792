//! A param over a range of values: per value, how many programmes get each tip and how
//! big cycle 1 is.

use rayon::prelude::*;
use serde::Serialize;

use super::Programme;
use crate::report::Lang;
use crate::ruleset::{RuleSet, TipIndex};

/// The cohort at one value of the param.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepRow {
    /// The param's value.
    pub value: f64,
    /// Per tip (in the order of [`Sweep::tips`]), the programmes whose plan holds it.
    pub tips: Vec<u64>,
    /// The tips in cycle 1, summed over the programmes.
    pub cycle_1: u64,
    /// The mean size of cycle 1 per programme.
    pub cycle_1_mean: f64,
}

/// A sweep of one param: a row per value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// The param.
    pub param: String,
    /// Programmes per value.
    pub programmes: u64,
    /// The tip ids, the columns of every row.
    pub tips: Vec<String>,
    /// One row per value, in the order given.
    pub rows: Vec<SweepRow>,
}

/// Plans every programme under every rule set (one per value of `param`, compiled by
/// the caller with that value), in parallel over values × programmes. `programmes`
/// holds per value the answers checked against that value's rule set. The tip columns
/// are those of the first rule set.
pub fn sweep(param: &str, runs: &[(f64, &RuleSet, &[Programme])]) -> Sweep {
    let tips: Vec<String> = runs
        .first()
        .map(|(_, ruleset, _)| ruleset.tips().iter().map(|tip| tip.id.clone()).collect())
        .unwrap_or_default();
    let rows = runs
        .par_iter()
        .map(|(value, ruleset, programmes)| row(*value, ruleset, programmes, &tips))
        .collect();
    Sweep {
        param: param.to_owned(),
        programmes: runs.first().map_or(0, |(_, _, p)| p.len() as u64),
        tips,
        rows,
    }
}

fn row(value: f64, ruleset: &RuleSet, programmes: &[Programme], tips: &[String]) -> SweepRow {
    let columns: Vec<Option<TipIndex>> = tips.iter().map(|tip| ruleset.tip_index(tip)).collect();
    let (counts, cycle_1) = programmes
        .par_iter()
        .fold(
            || (vec![0u64; ruleset.tips().len()], 0u64),
            |(mut counts, mut cycle_1), programme| {
                let plan = ruleset.plan(&ruleset.evaluate(&programme.answers));
                for step in plan.steps() {
                    if let Some(count) = counts.get_mut(step.tip.index()) {
                        *count += 1;
                    }
                }
                cycle_1 += plan.cycle(1).len() as u64;
                (counts, cycle_1)
            },
        )
        .reduce(
            || (vec![0u64; ruleset.tips().len()], 0u64),
            |(mut a, x), (b, y)| {
                for (a, b) in a.iter_mut().zip(&b) {
                    *a += b;
                }
                (a, x + y)
            },
        );
    SweepRow {
        value,
        tips: columns
            .iter()
            .map(|tip| {
                tip.and_then(|tip| counts.get(tip.index()).copied())
                    .unwrap_or(0)
            })
            .collect(),
        cycle_1,
        cycle_1_mean: if programmes.is_empty() {
            0.0
        } else {
            cycle_1 as f64 / programmes.len() as f64
        },
    }
}

impl Sweep {
    /// The sweep as CSV: `value,cycle_1_mean,<tip>...`, a row per value.
    pub fn to_csv(&self) -> String {
        let mut out = format!("{},cycle_1_mean", self.param);
        for tip in &self.tips {
            out.push(',');
            out.push_str(tip);
        }
        out.push('\n');
        for row in &self.rows {
            out.push_str(&format!("{},{:.3}", row.value, row.cycle_1_mean));
            for count in &row.tips {
                out.push_str(&format!(",{count}"));
            }
            out.push('\n');
        }
        out
    }

    /// The sweep as text: per value the mean size of cycle 1, then per tip whose count
    /// changes over the values, the count at each value. Labels follow `lang` (Dutch
    /// by default); ids stay as written.
    pub fn render_text(&self, lang: Lang) -> String {
        use std::fmt::Write as _;
        let mut out = format!(
            "{} {} {} {}\n\n",
            self.param,
            lang.pick("over", "over"),
            self.programmes,
            lang.pick("opleidingen", "programmes")
        );
        let values: Vec<String> = self
            .rows
            .iter()
            .map(|row| format!("{:>8}", row.value))
            .collect();
        let _ = writeln!(out, "{:<48}{}", self.param, values.join(""));
        let means: Vec<String> = self
            .rows
            .iter()
            .map(|row| format!("{:>8.2}", row.cycle_1_mean))
            .collect();
        let _ = writeln!(
            out,
            "{:<48}{}",
            lang.pick(
                "cyclus 1 (gemiddeld per opleiding)",
                "cycle 1 (mean per programme)"
            ),
            means.join("")
        );
        for (column, tip) in self.tips.iter().enumerate() {
            let counts: Vec<u64> = self
                .rows
                .iter()
                .map(|row| row.tips.get(column).copied().unwrap_or(0))
                .collect();
            if counts.windows(2).all(|pair| pair.first() == pair.last()) {
                continue;
            }
            let cells: Vec<String> = counts.iter().map(|count| format!("{count:>8}")).collect();
            let _ = writeln!(out, "{tip:<48}{}", cells.join(""));
        }
        out
    }
}
