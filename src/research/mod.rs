//! Research over a cohort, for the researchers who tune the rules and defend each change:
//! [`coverage`] (how often each rule fires and each condition is true, false or
//! unknown; which tips are advised), [`diff`] (what a change of the rules or a param does
//! to every programme's advice) and [`sweep`] (a param over a range of values). Each runs
//! in parallel with rayon over programmes (and values) and gives the same result for any
//! thread count: counts are summed, lists kept in input order.

mod coverage;
mod diff;
mod sweep;

pub use coverage::{coverage, Counts, Coverage, RuleCoverage, TipCoverage};
pub use diff::{diff, Diff, DiffTotals, Moved, ProgrammeDiff, Reprioritised};
pub use sweep::{sweep, Sweep, SweepRow};

use crate::eval::Answers;

/// One programme of a cohort: its id and its answers, checked against a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    /// The programme's id.
    pub id: String,
    /// Its answers.
    pub answers: Answers,
}
