//! The institution summary as a library call: a [`Summary`] takes the results of
//! [`RuleSet::advise`] or [`RuleSet::advise_all`] (or the batch's processed programmes)
//! one at a time, in input order, and gives the [`InstitutionSummary`].

use std::borrow::Borrow;

use super::pipeline::{answered_questions, Processed, ProgrammeStats};
use super::tally::Tally;
use crate::input::{AssessmentError, RowError};
use crate::report::{Advice, AdvisedProgramme, InstitutionSummary};
use crate::ruleset::RuleSet;

/// What the institution summary is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryOptions {
    /// From 0 to 1: tips in the first cycle of at least this share of the advised
    /// programmes are listed as institution-wide candidates (the command line's
    /// `--min-share`, in percent there; see [`InstitutionWide`](crate::report::InstitutionWide)).
    pub min_share: f64,
}

/// The default of [`SummaryOptions::min_share`]: a tenth of the programmes, five times
/// what chance gives one tip among the few of a first cycle.
pub const DEFAULT_MIN_SHARE: f64 = 0.1;

impl Default for SummaryOptions {
    /// [`DEFAULT_MIN_SHARE`], as the command line.
    fn default() -> Self {
        SummaryOptions {
            min_share: DEFAULT_MIN_SHARE,
        }
    }
}

/// Accumulates the institution summary of many programmes, one result at a time.
///
/// The summary counts integers and keeps scores in hundredths, so it is the same for
/// any order of the programmes; its memory does not grow with their number. Add only
/// advice of the rule set the summary was made for.
#[derive(Debug, Clone)]
pub struct Summary<'r> {
    ruleset: &'r RuleSet,
    options: SummaryOptions,
    tally: Tally,
    /// Results added so far: the row of the next failure.
    added: u64,
}

impl<'r> Summary<'r> {
    /// An empty summary of programmes advised with `ruleset`.
    pub fn new(ruleset: &'r RuleSet, options: SummaryOptions) -> Summary<'r> {
        Summary {
            ruleset,
            options,
            tally: Tally::new(ruleset),
            added: 0,
        }
    }

    /// Adds one programme's advice, or why it could not be advised (listed among the
    /// failures with its position, from 1, as its row).
    pub fn add(&mut self, result: &Result<Advice<'_>, AssessmentError>) {
        self.added += 1;
        match result {
            Ok(advice) => self
                .tally
                .add_stats(self.ruleset, &stats(self.ruleset, advice)),
            Err(error) => {
                let errors: Vec<RowError> =
                    error.errors.iter().cloned().map(RowError::from).collect();
                self.tally
                    .add_failure(&error.programme, self.added, &errors);
            }
        }
    }

    /// Adds one programme of a [`Batch`](super::Batch) run.
    pub fn add_processed(&mut self, processed: &Processed) {
        self.added += 1;
        self.tally.add(self.ruleset, processed);
    }

    /// Programmes advised so far.
    pub fn advised(&self) -> u64 {
        self.tally.advised()
    }

    /// Programmes that could not be advised so far.
    pub fn failed(&self) -> u64 {
        self.tally.failed()
    }

    /// The institution summary.
    pub fn finish(self) -> InstitutionSummary {
        self.finish_with_blank_rows(0)
    }

    /// The institution summary of an input that also had `blank_rows` blank rows.
    pub fn finish_with_blank_rows(self, blank_rows: u64) -> InstitutionSummary {
        self.tally
            .finish(self.ruleset, self.options.min_share, blank_rows)
    }
}

impl RuleSet {
    /// The institution summary of many results of [`RuleSet::advise`] or
    /// [`RuleSet::advise_all`], taken in order; see [`Summary`].
    pub fn summarize<'a, R>(
        &self,
        results: impl IntoIterator<Item = R>,
        options: &SummaryOptions,
    ) -> InstitutionSummary
    where
        R: Borrow<Result<Advice<'a>, AssessmentError>>,
    {
        let mut summary = Summary::new(self, *options);
        for result in results {
            summary.add(result.borrow());
        }
        summary.finish()
    }
}

/// What the summary needs of an advice: the section scores of its answers, the tips the
/// rules recommended (evaluated again from those answers) and its plan.
pub(crate) fn stats(ruleset: &RuleSet, advice: &Advice<'_>) -> ProgrammeStats {
    let answers = ruleset.advice_answers(advice);
    let evaluation = ruleset.evaluate(&answers);
    ProgrammeStats {
        scores: AdvisedProgramme::section_scores(ruleset, &answers),
        recommended: evaluation
            .recommended_tips()
            .map(|tip| {
                let priority = evaluation.tip_priority().get(tip.index()).copied();
                (tip, priority.unwrap_or(0))
            })
            .collect(),
        plan: advice
            .tips
            .iter()
            .map(|tip| (tip.index, tip.phase))
            .collect(),
        focus: advice
            .tips
            .iter()
            .filter(|tip| tip.cycle == 1)
            .map(|tip| tip.index)
            .collect(),
        cycle_two: advice
            .tips
            .iter()
            .filter(|tip| tip.cycle == 2)
            .map(|tip| tip.index)
            .collect(),
        meta: advice.meta.clone(),
        answered: answered_questions(ruleset, &answers),
    }
}
