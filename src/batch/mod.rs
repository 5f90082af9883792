//! Stage 5, many programmes: the batch run behind `advise` for a whole institution.
//! Records are read in bounded chunks and advised in parallel with rayon across
//! programmes (never across the rules of one), sharing one immutable [`RuleSet`];
//! results keep the input order, so the output is the same for any thread count. Also
//! the institution summary ([`Tally`]).

mod blocks;
mod dashboard;
mod pipeline;
mod summary;
mod tally;

pub use dashboard::Dashboard;
pub use pipeline::{
    Batch, BatchOptions, Processed, ProgrammeStats, DEFAULT_CHUNK_SIZE, FULL_ADVICE_CHUNK_SIZE,
};
pub use summary::{Summary, SummaryOptions, DEFAULT_MIN_SHARE};
pub use tally::Tally;

use crate::input::{Assessment, AssessmentError};
use crate::report::Advice;
use crate::ruleset::RuleSet;

/// Advice for many assessments, computed in parallel a chunk at a time, yielded in
/// input order. See [`RuleSet::advise_all`].
#[derive(Debug)]
pub struct AdviseAll<'r, I> {
    ruleset: &'r RuleSet,
    assessments: I,
    ready: std::vec::IntoIter<Result<Advice<'r>, AssessmentError>>,
}

impl RuleSet {
    /// Advises every assessment, in parallel on the current rayon pool, yielding the
    /// results in input order. The input is consumed lazily, [`FULL_ADVICE_CHUNK_SIZE`]
    /// at a time, so an endless or huge iterator is fine.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use studentsucces::input::Assessment;
    /// use studentsucces::ruleset::RuleSet;
    ///
    /// let ruleset = RuleSet::roadmap()?;
    /// let assessments = (1..=3).map(|n| Assessment {
    ///     programme: format!("P{n}"),
    ///     meta: Default::default(),
    ///     answers: Default::default(),
    ///     comments: Default::default(),
    /// });
    /// let programmes: Vec<String> = ruleset
    ///     .advise_all(assessments)
    ///     .map(|advice| advice.map(|advice| advice.programme))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(programmes, ["P1", "P2", "P3"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn advise_all<I>(&self, assessments: I) -> AdviseAll<'_, I::IntoIter>
    where
        I: IntoIterator<Item = Assessment>,
    {
        AdviseAll {
            ruleset: self,
            assessments: assessments.into_iter(),
            ready: Vec::new().into_iter(),
        }
    }
}

impl<'r, I: Iterator<Item = Assessment>> Iterator for AdviseAll<'r, I> {
    type Item = Result<Advice<'r>, AssessmentError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(result) = self.ready.next() {
            return Some(result);
        }
        let chunk: Vec<Assessment> = self
            .assessments
            .by_ref()
            .take(FULL_ADVICE_CHUNK_SIZE)
            .collect();
        self.ready = blocks::advise_chunk(self.ruleset, &chunk).into_iter();
        self.ready.next()
    }
}
