//! What the advice says besides the plan: how complete each section's scan is, which
//! scans to complete first, which tips to find out about first, and which tips the
//! programme's context rules out.

use std::cell::RefCell;

use serde::Serialize;

use super::evidence::push_count;
use crate::eval::{Answers, Evaluation, TipSet, TipStatus, Unknown};
use crate::ruleset::{RuleSet, Section, SectionIndex, Tip, TipIndex};

/// The `min_dekking` share (percent) below which a section's scan must be completed
/// first, when the rules declare no such param.
pub const DEFAULT_MIN_COVERAGE: f64 = 50.0;

/// One principle or factor of an advice: its score and how much of its scan was
/// answered. Its title, number and question counts are the rule set's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionResult<'r> {
    /// The section's index in the rule set.
    #[serde(skip)]
    pub index: SectionIndex,
    /// The section's id.
    pub id: &'r str,
    /// Mean of its answered questions (those its score counts), to two decimals; `null`
    /// when none is answered.
    pub mean: Option<f64>,
    /// How many of its tip questions were answered.
    pub answered: u32,
    /// Whether its quick-scan question was answered; absent when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_scan: Option<bool>,
}

/// A section whose scan must be completed before the advice on it means much.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanFirst<'r> {
    /// The section's id.
    pub section: &'r str,
    /// Why, in Dutch.
    pub reason: String,
}

/// A tip that applies but whose state is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ToEstablish<'r> {
    /// The tip's index in the rule set.
    #[serde(skip)]
    pub index: TipIndex,
    /// The tip's id.
    pub tip: &'r str,
    /// Why it is not known: nothing answered, or only the quick scan.
    pub unknown: Unknown,
}

/// A tip the programme's context rules out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NotApplicable<'r> {
    /// The tip's index in the rule set.
    #[serde(skip)]
    pub index: TipIndex,
    /// The tip's id.
    pub tip: &'r str,
    /// The index of its first `applies` condition that is false (the catalogue's
    /// `applies` of the tip holds its reason).
    pub condition: u16,
}

/// How many of a section's tip questions were answered, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub(crate) answered: u32,
    pub(crate) questions: u32,
    pub(crate) quick_scan: Option<bool>,
}

impl Coverage {
    /// `answered` as a whole percentage of `questions`, rounded down.
    pub(super) fn share(&self) -> u32 {
        match self.questions {
            0 => 100,
            total => {
                u32::try_from(u64::from(self.answered) * 100 / u64::from(total)).unwrap_or(100)
            }
        }
    }
}

impl RuleSet {
    /// Per section, its score and how many of its tip questions were answered; and the
    /// sections whose coverage is below the `min_dekking` param, to scan first (those
    /// holding tips others build on first, then the least answered, then in document
    /// order), from the same walk over their coverage.
    #[inline(never)]
    pub(super) fn section_findings(
        &self,
        answers: &Answers,
    ) -> (Vec<SectionResult<'_>>, Vec<ScanFirst<'_>>) {
        let minimum = self.min_coverage();
        let mut results = Vec::with_capacity(self.sections.len());
        let mut below = Vec::new();
        for (index, section) in SectionIndex::enumerate(&self.sections) {
            let coverage = self.section_coverage(index, section, answers);
            results.push(SectionResult {
                index,
                id: section.id.as_str(),
                mean: section_mean(section, answers),
                answered: coverage.answered,
                quick_scan: coverage.quick_scan,
            });
            below.extend(self.incomplete_scan(index.index(), section, coverage, minimum));
        }
        (results, scan_first_order(below))
    }

    /// How many tip questions a section has: the questions its tips are asked by.
    pub fn tip_question_count(&self, section: &Section) -> u32 {
        let with_question = section
            .tips
            .iter()
            .filter(|&&tip| {
                self.tip(tip)
                    .is_some_and(|tip| tip.maturity_question.is_some())
            })
            .count();
        u32::try_from(with_question).unwrap_or(u32::MAX)
    }

    /// How many of the questions the tips of section `index` (`section`) are asked by
    /// were answered, and whether its quick scan was: from the questions as
    /// `PlanTables::section_questions` lists them at compile time, not from its tips.
    pub(crate) fn section_coverage(
        &self,
        index: SectionIndex,
        section: &Section,
        answers: &Answers,
    ) -> Coverage {
        let questions = self.planning.section_questions(index.index());
        let answered = questions
            .iter()
            .filter(|&&question| answers.get(question).is_some())
            .count();
        let narrow = |count: usize| u32::try_from(count).unwrap_or(u32::MAX);
        Coverage {
            answered: narrow(answered),
            questions: narrow(questions.len()),
            quick_scan: section
                .quickscan
                .map(|question| answers.get(question).is_some()),
        }
    }

    /// The `min_dekking` param, or [`DEFAULT_MIN_COVERAGE`].
    fn min_coverage(&self) -> f64 {
        self.param_value("min_dekking")
            .unwrap_or(DEFAULT_MIN_COVERAGE)
    }

    /// A section's entry of the sections to scan first, with its sort keys, if its coverage
    /// is below `minimum` percent.
    fn incomplete_scan<'r>(
        &'r self,
        index: usize,
        section: &'r Section,
        coverage: Coverage,
        minimum: f64,
    ) -> Option<IncompleteScan<'r>> {
        let share = coverage.share();
        let incomplete = coverage.questions > 0 && f64::from(share) < minimum;
        incomplete.then(|| {
            let foundations = self.foundation_count(section);
            let entry = ScanFirst {
                section: section.id.as_str(),
                reason: scan_reason(&coverage, foundations),
            };
            (foundations, share, index, entry)
        })
    }

    fn foundation_count(&self, section: &Section) -> usize {
        section
            .tips
            .iter()
            .filter_map(|&tip| self.tip(tip))
            .filter(|tip| tip.is_foundation())
            .count()
    }

    /// The tips whose state is unknown, those others build on first, then in document
    /// order; and the tips the context rules out, in document order, with the failing
    /// condition: one pass over the statuses of the tips not recommended, into the
    /// thread's scratch lists, then each copied into a vector of its size. The tips to
    /// establish are put in order by their place in `PlanTables::foundation_rank` (built
    /// at compile time), not by comparing the tips.
    pub(super) fn open_and_ruled_out(
        &self,
        evaluation: &Evaluation,
    ) -> (Vec<ToEstablish<'_>>, Vec<NotApplicable<'_>>) {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.open_and_ruled_out_with(evaluation, &mut scratch),
            Err(_) => self.open_and_ruled_out_with(evaluation, &mut Scratch::default()),
        })
    }

    fn open_and_ruled_out_with(
        &self,
        evaluation: &Evaluation,
        scratch: &mut Scratch,
    ) -> (Vec<ToEstablish<'_>>, Vec<NotApplicable<'_>>) {
        scratch.open.clear();
        scratch.ruled_out.clear();
        let rank = self.planning.foundation_rank();
        let status = evaluation.status();
        let may_be_open = self.planning.may_be_open();
        for tip in unrecommended(evaluation.recommended(), may_be_open) {
            let index = TipIndex::new(u32::try_from(tip).unwrap_or(u32::MAX));
            match status.get(tip) {
                Some(TipStatus::ToEstablish(unknown)) => {
                    let place = rank.get(tip).copied().unwrap_or(u32::MAX);
                    scratch.open.push((place, index, unknown));
                }
                Some(TipStatus::NotApplicable(condition)) => {
                    scratch.ruled_out.push((index, condition));
                }
                _ => {}
            }
        }
        // The places are distinct (one per tip), so the unstable sort is the stable one.
        scratch.open.sort_unstable_by_key(|&(place, _, _)| place);
        let mut open = Vec::with_capacity(scratch.open.len());
        open.extend(scratch.open.iter().filter_map(|&(_, index, unknown)| {
            Some(ToEstablish {
                index,
                tip: self.tip(index)?.id.as_str(),
                unknown,
            })
        }));
        let mut ruled_out = Vec::with_capacity(scratch.ruled_out.len());
        ruled_out.extend(scratch.ruled_out.iter().filter_map(|&(index, condition)| {
            Some(NotApplicable {
                index,
                tip: self.tip(index)?.id.as_str(),
                condition,
            })
        }));
        (open, ruled_out)
    }

    /// Why a tip's state is not known, in Dutch.
    pub(super) fn establish_reason(
        &self,
        tip: &Tip,
        unknown: Unknown,
        answers: &Answers,
    ) -> String {
        let section = self.section_of(tip);
        match unknown {
            Unknown::Unanswered => match section.filter(|section| section.quickscan.is_some()) {
                Some(section) => format!(
                    "Niet beantwoord, ook de quick-scan van {} niet.",
                    section.title
                ),
                None => "Niet beantwoord.".to_owned(),
            },
            Unknown::QuickScanOnly => format!(
                "Alleen de quick-scan ({}); de detailscan moet uitwijzen of deze tip nodig is.",
                self.evidence(tip, answers)
                    .summary
                    .trim_start_matches("quick-scan: ")
            ),
        }
    }

    /// The value of a param, if the rules declare it.
    fn param_value(&self, name: &str) -> Option<f64> {
        self.params
            .iter()
            .find(|param| param.id == name)
            .map(|param| param.value)
    }
}

/// The tips in `may_be_open` and not in `recommended`, ascending: the only ones that can
/// be to establish or not applicable (a recommended tip's status is recommended, and a
/// tip outside `may_be_open` is recommended or clear), found word by word so that the
/// other tips' statuses are not read.
fn unrecommended<'a>(
    recommended: TipSet<'a>,
    may_be_open: &'a [usize],
) -> impl Iterator<Item = usize> + 'a {
    let tips = recommended.len();
    let words = recommended.as_slice();
    (0..tips.div_ceil(WORD_BITS)).flat_map(move |index| {
        let word = words.get(index).copied().unwrap_or(0);
        let open = may_be_open.get(index).copied().unwrap_or(0);
        let first = index * WORD_BITS;
        // The tips of this word past the last tip are not tips.
        let valid = match tips - first {
            left if left < WORD_BITS => (1 << left) - 1,
            _ => usize::MAX,
        };
        let mut rest = !word & open & valid;
        std::iter::from_fn(move || {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest.wrapping_sub(1);
            (bit < WORD_BITS).then_some(first + bit)
        })
    })
}

/// The bits of a word of a [`TipSet`].
const WORD_BITS: usize = usize::BITS as usize;

/// The lists [`RuleSet::open_and_ruled_out`] fills before it copies them out: the tips to
/// establish with their place in the foundation order, the tips ruled out with their
/// condition.
#[derive(Debug, Default)]
struct Scratch {
    open: Vec<(u32, TipIndex, Unknown)>,
    ruled_out: Vec<(TipIndex, u16)>,
}

thread_local! {
    /// The scratch lists of the advices built on this thread.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// A section to scan first, with its sort keys: its foundation tips, its share answered
/// and its position.
type IncompleteScan<'r> = (usize, u32, usize, ScanFirst<'r>);

/// The sections to scan first in their order: the sections holding more tips
/// others build on first, then the least answered, then in document order.
fn scan_first_order(mut below: Vec<IncompleteScan<'_>>) -> Vec<ScanFirst<'_>> {
    below.sort_by_key(|(foundations, share, index, _)| {
        (std::cmp::Reverse(*foundations), *share, *index)
    });
    below.into_iter().map(|(_, _, _, entry)| entry).collect()
}

/// The mean of a section's answered questions, to two decimals.
pub(super) fn section_mean(section: &Section, answers: &Answers) -> Option<f64> {
    let mut sum = 0.0;
    let mut count = 0_u32;
    for value in section
        .questions
        .iter()
        .filter_map(|&question| answers.get(question))
    {
        sum += value;
        count += 1;
    }
    (count > 0).then(|| {
        let mean = sum / f64::from(count);
        (mean * 100.0).round() / 100.0
    })
}

fn scan_reason(coverage: &Coverage, foundations: usize) -> String {
    let mut reason = String::with_capacity(160);
    push_count(&mut reason, u64::from(coverage.answered));
    reason.push_str(" van ");
    push_count(&mut reason, u64::from(coverage.questions));
    reason.push_str(" vragen beantwoord");
    reason.push_str(match coverage.quick_scan {
        Some(true) => "; alleen de quick-scan staat in voor de rest: doe de detailscan.",
        _ => " en geen quick-scan: vul de zelfscan van deze sectie in.",
    });
    if foundations > 0 {
        let tips = if foundations == 1 { "tip" } else { "tips" };
        reason.push_str(" De sectie bevat ");
        push_count(&mut reason, u64::try_from(foundations).unwrap_or(u64::MAX));
        reason.push(' ');
        reason.push_str(tips);
        reason.push_str(" waarop andere tips voortbouwen.");
    }
    reason
}

#[cfg(test)]
mod tests {
    use super::{scan_reason, Coverage};

    #[test]
    fn scan_reasons_read_as_their_formatted_text() {
        for (answered, questions) in [(0, 1), (3, 12), (9, 10), (10, 100), (123, 4_567)] {
            for quick_scan in [None, Some(false), Some(true)] {
                for foundations in [0, 1, 2, 12, 1_000] {
                    let coverage = Coverage {
                        answered,
                        questions,
                        quick_scan,
                    };
                    let mut expected = format!("{answered} van {questions} vragen beantwoord");
                    expected.push_str(match quick_scan {
                        Some(true) => {
                            "; alleen de quick-scan staat in voor de rest: doe de detailscan."
                        }
                        _ => " en geen quick-scan: vul de zelfscan van deze sectie in.",
                    });
                    if foundations > 0 {
                        let tips = if foundations == 1 { "tip" } else { "tips" };
                        expected.push_str(&format!(
                            " De sectie bevat {foundations} {tips} waarop andere tips voortbouwen."
                        ));
                    }
                    assert_eq!(scan_reason(&coverage, foundations), expected);
                }
            }
        }
    }

    #[cfg(feature = "synthetic")]
    #[test]
    fn a_sections_coverage_from_the_table_is_its_coverage_from_its_tips() {
        use crate::input::Cohort;
        use crate::report::synthetic_assessment;
        use crate::ruleset::{RuleSet, SectionIndex};

        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        for programme in Cohort::new(&ruleset, 100, 13) {
            let assessment = synthetic_assessment(&ruleset, programme);
            let answers = ruleset.answers(&assessment).unwrap();
            for (index, section) in SectionIndex::enumerate(ruleset.sections()) {
                let questions: Vec<_> = section
                    .tips
                    .iter()
                    .filter_map(|&tip| ruleset.tip(tip)?.maturity_question)
                    .collect();
                let answered = questions.iter().filter(|&&q| answers.get(q).is_some());
                let from_tips = Coverage {
                    answered: answered.count() as u32,
                    questions: questions.len() as u32,
                    quick_scan: section.quickscan.map(|q| answers.get(q).is_some()),
                };
                assert_eq!(
                    ruleset.section_coverage(index, section, &answers),
                    from_tips
                );
            }
        }
    }

    #[cfg(feature = "synthetic")]
    #[test]
    fn the_tips_to_establish_are_the_foundations_first_then_in_document_order() {
        use crate::eval::TipStatus;
        use crate::input::Cohort;
        use crate::report::synthetic_assessment;
        use crate::ruleset::{RuleSet, TipIndex};

        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let (mut open_total, mut ruled_out_total) = (0, 0);
        for programme in Cohort::new(&ruleset, 200, 11) {
            let assessment = synthetic_assessment(&ruleset, programme);
            let answers = ruleset.answers(&assessment).unwrap();
            let evaluation = ruleset.evaluate(&answers);
            let mut expected_open = Vec::new();
            let mut expected_ruled_out = Vec::new();
            for (index, status) in TipIndex::enumerate(evaluation.status()) {
                let id = ruleset.tip(index).unwrap().id.as_str();
                match status {
                    TipStatus::ToEstablish(unknown) => expected_open.push((index, id, unknown)),
                    TipStatus::NotApplicable(condition) => {
                        expected_ruled_out.push((index, id, condition));
                    }
                    _ => {}
                }
            }
            expected_open.sort_by_key(|&(index, _, _)| {
                (
                    std::cmp::Reverse(ruleset.tip(index).unwrap().fundament),
                    index,
                )
            });
            let (open, ruled_out) = ruleset.open_and_ruled_out(&evaluation);
            let open: Vec<_> = open
                .iter()
                .map(|entry| (entry.index, entry.tip, entry.unknown))
                .collect();
            let ruled_out: Vec<_> = ruled_out
                .iter()
                .map(|entry| (entry.index, entry.tip, entry.condition))
                .collect();
            assert_eq!(open, expected_open);
            assert_eq!(ruled_out, expected_ruled_out);
            open_total += open.len();
            ruled_out_total += ruled_out.len();
        }
        assert!(open_total > 0 && ruled_out_total > 0, "the cohort has both");
    }
}
