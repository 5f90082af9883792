//! Progress since last time: one programme's earlier advice compared with its advice
//! now. Per principle and factor the change in score, the tips completed (in the
//! earlier plan, no longer in the plan now) and the tips still open from the earlier
//! first cycle (still in the plan now). An earlier advice may come from other rules:
//! ids are matched where they still exist, and those that no longer exist are counted.
//!
//! [`PreviousRun::read`] reads the JSON Lines of an earlier `advise --format jsonl`
//! run (full advice, schema version 3), one [`AdviceSnapshot`] per programme.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::summary::from_hundredths;
use super::{Advice, AdviceDocument, SCHEMA_VERSION};
use crate::ruleset::{RuleSet, RuleSetInfo, SectionIndex, TipIndex};

/// The longest line of an earlier run read: a full advice is about 20–200 kB.
pub const MAX_PREVIOUS_LINE: usize = 16 << 20;

/// What a comparison needs of one advice: its rules, its scores and its plan, by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdviceSnapshot {
    /// The rules that produced the advice.
    pub ruleset: RuleSetInfo,
    /// The programme's id.
    pub programme: String,
    /// Per principle and factor, in the rules' order: its id and score (`None` when
    /// none of its questions was answered).
    pub sections: Vec<(String, Option<f64>)>,
    /// The plan's tips, in plan order, with their cycles.
    pub plan: Vec<(String, u8)>,
}

impl AdviceSnapshot {
    /// The snapshot of an advice read back from JSON.
    pub fn from_document(document: &AdviceDocument) -> AdviceSnapshot {
        AdviceSnapshot {
            ruleset: document.ruleset.clone(),
            programme: document.programme.clone(),
            sections: document
                .sections
                .iter()
                .map(|section| (section.id.clone(), section.mean))
                .collect(),
            plan: document
                .tips
                .iter()
                .map(|tip| (tip.id.clone(), tip.cycle))
                .collect(),
        }
    }

    /// The snapshot of an advice just made.
    pub fn from_advice(advice: &Advice<'_>) -> AdviceSnapshot {
        AdviceSnapshot {
            ruleset: advice.ruleset.clone(),
            programme: advice.programme.clone(),
            sections: advice
                .sections
                .iter()
                .map(|section| (section.id.to_owned(), section.mean))
                .collect(),
            plan: advice
                .tips
                .iter()
                .map(|tip| (tip.id.to_owned(), tip.cycle))
                .collect(),
        }
    }

    /// The snapshot of a programme of a batch run, from its scores in hundredths (per
    /// section, in the rules' order) and its plan's tips with their cycles, by index.
    pub fn from_indices(
        ruleset: &RuleSet,
        programme: &str,
        scores: &[Option<i64>],
        plan: impl IntoIterator<Item = (TipIndex, u8)>,
    ) -> AdviceSnapshot {
        AdviceSnapshot {
            ruleset: ruleset.info().clone(),
            programme: programme.to_owned(),
            sections: ruleset
                .sections()
                .iter()
                .zip(scores)
                .map(|(section, score)| (section.id.clone(), score.map(from_hundredths)))
                .collect(),
            plan: plan
                .into_iter()
                .filter_map(|(tip, cycle)| Some((ruleset.tip(tip)?.id.clone(), cycle)))
                .collect(),
        }
    }
}

/// What moved in one programme between an earlier advice and the advice now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Progress {
    /// The programme's id.
    pub programme: String,
    /// Whether both advices come from the same rules (the same content hash).
    pub same_rules: bool,
    /// Per principle and factor of the rules now, in their order.
    pub sections: Vec<SectionProgress>,
    /// Tips in the earlier plan that are no longer in the plan, in the order of the
    /// rules now.
    pub completed: Vec<String>,
    /// Tips of the earlier first cycle still in the plan, in the order of the rules now.
    pub still_open: Vec<String>,
    /// Section and tip ids of the earlier advice that the rules now do not have, sorted.
    pub no_longer_exist: Vec<String>,
}

/// What moved in one principle or factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SectionProgress {
    /// The section's id.
    pub id: String,
    /// Its earlier score; `None` when none of its questions was answered or the earlier
    /// advice did not have the section.
    pub previous: Option<f64>,
    /// Its score now.
    pub current: Option<f64>,
    /// `current - previous`, to two decimals, when both are known.
    pub change: Option<f64>,
    /// Of [`Progress::completed`], the tips of this section.
    pub completed: u32,
    /// Of [`Progress::still_open`], the tips of this section.
    pub still_open: u32,
}

impl Progress {
    /// Compares an earlier advice with the advice now, both of one programme; `ruleset`
    /// is the rules of the advice now, which say which ids still exist and which
    /// section each tip belongs to.
    pub fn compare(
        ruleset: &RuleSet,
        previous: &AdviceSnapshot,
        current: &AdviceSnapshot,
    ) -> Progress {
        let mut no_longer_exist = BTreeSet::new();
        let previous_scores: BTreeMap<&str, Option<f64>> = previous
            .sections
            .iter()
            .map(|(id, score)| (id.as_str(), *score))
            .collect();
        for id in previous_scores.keys() {
            if !ruleset.sections().iter().any(|section| section.id == *id) {
                no_longer_exist.insert((*id).to_owned());
            }
        }
        let current_plan: BTreeSet<&str> = current.plan.iter().map(|(id, _)| id.as_str()).collect();
        let mut completed = BTreeSet::new();
        let mut still_open = BTreeSet::new();
        for (id, cycle) in &previous.plan {
            let Some(tip) = ruleset.tip_index(id) else {
                no_longer_exist.insert(id.clone());
                continue;
            };
            if !current_plan.contains(id.as_str()) {
                completed.insert(tip);
            } else if *cycle == 1 {
                still_open.insert(tip);
            }
        }
        let section_of = |tip: TipIndex| ruleset.tip(tip).map(|tip| tip.section);
        let sections = SectionIndex::enumerate(ruleset.sections())
            .map(|(index, section)| {
                let previous = previous_scores.get(section.id.as_str()).copied().flatten();
                let now = current
                    .sections
                    .iter()
                    .find(|(id, _)| *id == section.id)
                    .and_then(|(_, score)| *score);
                let count = |tips: &BTreeSet<TipIndex>| {
                    let count = tips
                        .iter()
                        .filter(|&&tip| section_of(tip) == Some(index))
                        .count();
                    u32::try_from(count).unwrap_or(u32::MAX)
                };
                SectionProgress {
                    id: section.id.clone(),
                    previous,
                    current: now,
                    change: previous
                        .zip(now)
                        .map(|(before, after)| ((after - before) * 100.0).round() / 100.0),
                    completed: count(&completed),
                    still_open: count(&still_open),
                }
            })
            .collect();
        let ids = |tips: BTreeSet<TipIndex>| {
            tips.into_iter()
                .filter_map(|tip| Some(ruleset.tip(tip)?.id.clone()))
                .collect()
        };
        Progress {
            programme: current.programme.clone(),
            same_rules: previous.ruleset.hash == current.ruleset.hash,
            sections,
            completed: ids(completed),
            still_open: ids(still_open),
            no_longer_exist: no_longer_exist.into_iter().collect(),
        }
    }
}

/// An earlier run: the snapshot of every programme advised in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousRun {
    /// The file it was read from.
    pub path: PathBuf,
    /// Per programme id, its earlier advice (the first line of an id that appears twice).
    pub programmes: BTreeMap<String, AdviceSnapshot>,
    /// Error lines (programmes that could not be advised then), skipped.
    pub error_lines: u64,
    /// Lines of an id an earlier line already had, skipped.
    pub repeated: u64,
    /// The rules of the earlier run's first advice.
    pub ruleset: Option<RuleSetInfo>,
}

/// Why an earlier run could not be read; names the file and, for a bad line, its number.
#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    /// The file could not be opened or read.
    #[error("cannot read the earlier run `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A line is not a full advice of schema version 3.
    #[error("the earlier run `{path}` line {line}: {message}")]
    Line {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// What is wrong with it.
        message: String,
    },
}

impl PreviousRun {
    /// Reads the JSON Lines of an earlier `advise --format jsonl` run (full advice).
    /// Blank lines and error lines are skipped (error lines counted); any other line
    /// that is not an advice of schema version 3 is an error naming the file and line.
    pub fn read(path: &Path) -> Result<PreviousRun, PreviousError> {
        let io = |source| PreviousError::Io {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        PreviousRun::read_from(path, BufReader::new(file))
    }

    /// Reads an earlier run from `reader`, as [`PreviousRun::read`]; `path` names it in
    /// errors.
    pub fn read_from(path: &Path, reader: impl BufRead) -> Result<PreviousRun, PreviousError> {
        let mut run = PreviousRun {
            path: path.to_owned(),
            ..PreviousRun::default()
        };
        let mut reader = reader.take(u64::MAX);
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            let limit = u64::try_from(MAX_PREVIOUS_LINE).unwrap_or(u64::MAX) + 1;
            reader.set_limit(limit);
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|source| PreviousError::Io {
                    path: path.to_owned(),
                    source,
                })?;
            if read == 0 {
                return Ok(run);
            }
            number += 1;
            let bad = |message: String| PreviousError::Line {
                path: path.to_owned(),
                line: number,
                message,
            };
            if line.len() > MAX_PREVIOUS_LINE {
                return Err(bad(format!(
                    "longer than {} MB; is this the JSON Lines of `advise --format jsonl`?",
                    MAX_PREVIOUS_LINE >> 20
                )));
            }
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            run.add_line(&line).map_err(bad)?;
        }
    }

    fn add_line(&mut self, line: &[u8]) -> Result<(), String> {
        let value: serde_json::Value = serde_json::from_slice(line).map_err(|error| {
            format!("not JSON ({error}); expected the JSON Lines of `advise --format jsonl`")
        })?;
        if value.get("error").is_some() {
            self.error_lines += 1;
            return Ok(());
        }
        let version = value
            .get("schema_version")
            .and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(SCHEMA_VERSION)) {
            return Err(format!(
                "schema version {}, expected {SCHEMA_VERSION}",
                version.map_or_else(|| "absent".to_owned(), |version| version.to_string())
            ));
        }
        if value.get("sections").is_none() {
            return Err(
                "a compact advice; the comparison needs the full advice (`advise --format jsonl` without --compact)"
                    .to_owned(),
            );
        }
        let document: AdviceDocument =
            serde_json::from_value(value).map_err(|error| format!("not a full advice: {error}"))?;
        let snapshot = AdviceSnapshot::from_document(&document);
        if self.ruleset.is_none() {
            self.ruleset = Some(snapshot.ruleset.clone());
        }
        match self.programmes.entry(snapshot.programme.clone()) {
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(snapshot);
            }
            std::collections::btree_map::Entry::Occupied(_) => self.repeated += 1,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruleset() -> RuleSet {
        RuleSet::roadmap().unwrap().into_ruleset()
    }

    fn snapshot(
        ruleset: &RuleSet,
        hash: &str,
        scores: &[(&str, Option<f64>)],
        plan: &[(&str, u8)],
    ) -> AdviceSnapshot {
        AdviceSnapshot {
            ruleset: RuleSetInfo {
                hash: hash.to_owned(),
                ..ruleset.info().clone()
            },
            programme: "P1".to_owned(),
            sections: scores
                .iter()
                .map(|(id, score)| ((*id).to_owned(), *score))
                .collect(),
            plan: plan
                .iter()
                .map(|(id, cycle)| ((*id).to_owned(), *cycle))
                .collect(),
        }
    }

    #[test]
    fn scores_completed_and_still_open_tips_are_compared() {
        let rules = ruleset();
        let hash = rules.info().hash.clone();
        let before = snapshot(
            &rules,
            &hash,
            &[("toetsing", Some(1.5)), ("feedback", None)],
            &[
                ("toetsing.frequentie", 1),
                ("toetsing.formatief", 1),
                ("feedback.zelfbeoordeling", 2),
            ],
        );
        let after = snapshot(
            &rules,
            &hash,
            &[("toetsing", Some(2.25)), ("feedback", Some(3.0))],
            &[("toetsing.formatief", 1)],
        );
        let progress = Progress::compare(&rules, &before, &after);
        assert!(progress.same_rules);
        assert_eq!(
            progress.completed,
            ["toetsing.frequentie", "feedback.zelfbeoordeling"]
        );
        assert_eq!(progress.still_open, ["toetsing.formatief"]);
        assert!(progress.no_longer_exist.is_empty());
        let toetsing = progress
            .sections
            .iter()
            .find(|s| s.id == "toetsing")
            .unwrap();
        assert_eq!(toetsing.change, Some(0.75));
        assert_eq!((toetsing.completed, toetsing.still_open), (1, 1));
        let feedback = progress
            .sections
            .iter()
            .find(|s| s.id == "feedback")
            .unwrap();
        assert_eq!(
            (feedback.previous, feedback.current, feedback.change),
            (None, Some(3.0), None)
        );
        assert_eq!(feedback.completed, 1);
        assert_eq!(progress.sections.len(), rules.sections().len());
    }

    #[test]
    fn ids_of_other_rules_are_matched_where_they_exist_and_counted_where_not() {
        let rules = ruleset();
        let before = snapshot(
            &rules,
            "an older hash",
            &[("toetsing", Some(2.0)), ("oude_factor", Some(1.0))],
            &[("toetsing.frequentie", 1), ("oude_factor.tip", 1)],
        );
        let after = snapshot(&rules, &rules.info().hash, &[("toetsing", Some(2.0))], &[]);
        let progress = Progress::compare(&rules, &before, &after);
        assert!(!progress.same_rules);
        assert_eq!(progress.completed, ["toetsing.frequentie"]);
        assert_eq!(progress.no_longer_exist, ["oude_factor", "oude_factor.tip"]);
        let toetsing = progress
            .sections
            .iter()
            .find(|s| s.id == "toetsing")
            .unwrap();
        assert_eq!(toetsing.change, Some(0.0));
    }

    #[test]
    fn an_earlier_run_skips_error_lines_and_names_a_bad_line() {
        let rules = ruleset();
        let assessment = crate::input::Assessment {
            programme: "P1".to_owned(),
            meta: BTreeMap::new(),
            answers: crate::input::AnswerMap::new(),
            comments: BTreeMap::new(),
        };
        let advice = rules.advise(&assessment).unwrap();
        let line = serde_json::to_string(&advice).unwrap();
        let error = r#"{"schema_version":3,"programme":"P2","row":2,"error":{"column":null,"value":null,"expected":"x","message":"y"}}"#;
        let text = format!("{line}\n{error}\n\n{line}\n");
        let run = PreviousRun::read_from(Path::new("oud.jsonl"), text.as_bytes()).unwrap();
        assert_eq!(run.programmes.len(), 1);
        assert_eq!((run.error_lines, run.repeated), (1, 1));
        assert_eq!(run.ruleset.as_ref(), Some(rules.info()));

        let text = format!("{line}\n{{\"schema_version\": 3, \"programme\": \"P3\"}}\n");
        let error = PreviousRun::read_from(Path::new("oud.jsonl"), text.as_bytes()).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("`oud.jsonl` line 2"), "{message}");

        let error =
            PreviousRun::read_from(Path::new("oud.jsonl"), "niet json\n".as_bytes()).unwrap_err();
        assert!(error.to_string().contains("line 1: not JSON"), "{error}");
    }
}
