//! The institution dashboard as a library call: a [`Dashboard`] takes the results of
//! [`RuleSet::advise`] (or the batch's processed programmes) one at a time, in input
//! order, beside the [`Summary`](super::Summary) of the same run, and gives the
//! [`DashboardView`] to render.

use super::pipeline::{Processed, ProgrammeStats};
use super::summary::stats;
use crate::input::AssessmentError;
use crate::report::{
    Advice, DashboardBuilder, DashboardProgramme, DashboardView, InstitutionSummary, Lang,
    PreviousRun,
};
use crate::ruleset::{RuleSet, TipIndex};

/// Accumulates the dashboard of many programmes; failures come from the summary given
/// to [`Dashboard::finish`].
#[derive(Debug, Clone)]
pub struct Dashboard<'r> {
    builder: DashboardBuilder<'r>,
}

impl<'r> Dashboard<'r> {
    /// An empty dashboard of programmes advised with `ruleset`, labelled in `lang`, and
    /// compared with an earlier run when one is given.
    pub fn new(ruleset: &'r RuleSet, lang: Lang, previous: Option<PreviousRun>) -> Dashboard<'r> {
        Dashboard {
            builder: DashboardBuilder::new(ruleset, lang, previous),
        }
    }

    /// Adds one programme's advice; a programme that could not be advised is left to
    /// the summary's failures.
    pub fn add(&mut self, ruleset: &RuleSet, result: &Result<Advice<'_>, AssessmentError>) {
        if let Ok(advice) = result {
            self.add_stats(&advice.programme, &stats(ruleset, advice));
        }
    }

    /// Adds one programme of a [`Batch`](super::Batch) run.
    pub fn add_processed(&mut self, processed: &Processed) {
        if let Ok(stats) = &processed.outcome {
            self.add_stats(&processed.programme, stats);
        }
    }

    fn add_stats(&mut self, programme: &str, stats: &ProgrammeStats) {
        let plan: Vec<TipIndex> = stats.plan.iter().map(|&(tip, _)| tip).collect();
        self.builder.add(&DashboardProgramme {
            programme,
            meta: &stats.meta,
            scores: &stats.scores,
            plan: &plan,
            focus: &stats.focus,
            cycle_two: &stats.cycle_two,
            answered: &stats.answered,
        });
    }

    /// The page's data, with the summary of the same run.
    pub fn finish(self, summary: &InstitutionSummary) -> DashboardView {
        self.builder.finish(summary)
    }
}
