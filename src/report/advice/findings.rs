//! What the advice says besides the plan: how complete each section's scan is, which
//! scans to complete first, which tips to find out about first, and which tips the
//! programme's context rules out.

use serde::{Deserialize, Serialize};

use crate::eval::{Answers, Evaluation, TipStatus, Unknown};
use crate::ruleset::{RuleSet, Section, SectionIndex, Tip};

/// The `min_dekking` share (percent) below which a section's scan must be completed
/// first, when the rules declare no such param.
pub const DEFAULT_MIN_COVERAGE: f64 = 50.0;

/// How much of one section's scan a programme answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The section's id.
    pub section: String,
    /// How many of its tip questions were answered.
    pub answered: u32,
    /// How many tip questions it has.
    pub questions: u32,
    /// `answered` as a whole percentage of `questions`.
    pub share: u32,
    /// Whether its quick-scan question was answered; `null` when it has none.
    pub quick_scan: Option<bool>,
}

/// A section whose scan must be completed before the advice on it means much.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanFirst {
    /// The section's id.
    pub section: String,
    /// Why, in Dutch.
    pub reason: String,
}

/// A tip that applies but whose state is not known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToEstablish {
    /// The tip's id.
    pub tip: String,
    /// Why it is not known, in Dutch.
    pub reason: String,
    /// How many tips build on it: what makes finding out about it important.
    pub fundament: u32,
}

/// A tip the programme's context rules out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotApplicable {
    /// The tip's id.
    pub tip: String,
    /// Why, in Dutch: the `because` of the condition that is false.
    pub reason: String,
}

impl RuleSet {
    /// Per section, how many of its tip questions were answered.
    pub(super) fn coverage(&self, answers: &Answers) -> Vec<Coverage> {
        self.sections
            .iter()
            .map(|section| self.section_coverage(section, answers))
            .collect()
    }

    fn section_coverage(&self, section: &Section, answers: &Answers) -> Coverage {
        let questions: Vec<u32> = section
            .tips
            .iter()
            .filter_map(|&tip| self.tip(tip)?.maturity_question)
            .collect();
        let answered = questions
            .iter()
            .filter(|&&question| answers.get(question).is_some())
            .count();
        let total = questions.len();
        Coverage {
            section: section.id.clone(),
            answered: u32::try_from(answered).unwrap_or(u32::MAX),
            questions: u32::try_from(total).unwrap_or(u32::MAX),
            share: match total {
                0 => 100,
                _ => u32::try_from(answered * 100 / total).unwrap_or(100),
            },
            quick_scan: section
                .quickscan
                .map(|question| answers.get(question).is_some()),
        }
    }

    /// The sections whose coverage is below the `min_dekking` param: those holding tips
    /// others build on first, then the least answered, then in document order.
    pub(super) fn scan_first(&self, answers: &Answers) -> Vec<ScanFirst> {
        let minimum = self
            .param_value("min_dekking")
            .unwrap_or(DEFAULT_MIN_COVERAGE);
        let mut below: Vec<(usize, u32, SectionIndex, ScanFirst)> = (0..)
            .zip(&self.sections)
            .filter_map(|(index, section)| {
                let coverage = self.section_coverage(section, answers);
                let incomplete = coverage.questions > 0 && f64::from(coverage.share) < minimum;
                incomplete.then(|| {
                    let foundations = self.foundation_count(section);
                    let reason = scan_reason(&coverage, foundations);
                    let entry = ScanFirst {
                        section: section.id.clone(),
                        reason,
                    };
                    (foundations, coverage.share, index, entry)
                })
            })
            .collect();
        below.sort_by_key(|(foundations, share, index, _)| {
            (std::cmp::Reverse(*foundations), *share, *index)
        });
        below.into_iter().map(|(_, _, _, entry)| entry).collect()
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
    /// order.
    pub(super) fn to_establish(
        &self,
        answers: &Answers,
        evaluation: &Evaluation,
    ) -> Vec<ToEstablish> {
        let mut open: Vec<(u32, usize, ToEstablish)> = self
            .tips
            .iter()
            .zip(&evaluation.status)
            .enumerate()
            .filter_map(|(index, (tip, status))| match status {
                TipStatus::ToEstablish(unknown) => Some((
                    tip.fundament,
                    index,
                    ToEstablish {
                        tip: tip.id.clone(),
                        reason: self.establish_reason(tip, *unknown, answers),
                        fundament: tip.fundament,
                    },
                )),
                _ => None,
            })
            .collect();
        open.sort_by_key(|(fundament, index, _)| (std::cmp::Reverse(*fundament), *index));
        open.into_iter().map(|(_, _, entry)| entry).collect()
    }

    fn establish_reason(&self, tip: &Tip, unknown: Unknown, answers: &Answers) -> String {
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

    /// The tips the context rules out, in document order, with the failing condition's
    /// reason.
    pub(super) fn not_applicable(&self, evaluation: &Evaluation) -> Vec<NotApplicable> {
        self.tips
            .iter()
            .zip(&evaluation.status)
            .filter_map(|(tip, status)| match status {
                TipStatus::NotApplicable(condition) => Some(NotApplicable {
                    tip: tip.id.clone(),
                    reason: tip
                        .applies
                        .get(usize::from(*condition))
                        .map(|condition| condition.because.clone())
                        .unwrap_or_default(),
                }),
                _ => None,
            })
            .collect()
    }

    /// The value of a param, if the rules declare it.
    fn param_value(&self, name: &str) -> Option<f64> {
        self.params
            .iter()
            .find(|param| param.id == name)
            .map(|param| param.value)
    }
}

fn scan_reason(coverage: &Coverage, foundations: usize) -> String {
    let counted = format!(
        "{} van {} vragen beantwoord",
        coverage.answered, coverage.questions
    );
    let mut reason = match coverage.quick_scan {
        Some(true) => {
            format!("{counted}; alleen de quick-scan staat in voor de rest: doe de detailscan.")
        }
        _ => format!("{counted} en geen quick-scan: vul de zelfscan van deze sectie in."),
    };
    if foundations > 0 {
        reason.push_str(&format!(
            " De sectie bevat {foundations} {} waarop andere tips voortbouwen.",
            if foundations == 1 { "tip" } else { "tips" }
        ));
    }
    reason
}
