//! A programme's report for people as a page: HTML (self-contained, printable on A4) or
//! Markdown, and the index page that links them. [`ProgrammeReport`] is the view model:
//! everything a page shows, built from the rule set and the advice with the library's
//! accessors, serialisable and free of markup; the templates under `templates/`
//! (rendered with minijinja, HTML escaped automatically) only lay it out. The profile
//! chart's geometry is computed in [`bar_chart`].

mod chart;
mod files;
mod labels;
mod progress;
mod render;

use std::collections::HashMap;

use serde::Serialize;

pub use chart::{bar_chart, Bar, BarChart, ChartRow, Tick, CHART_WIDTH, SCALE_MAX};
pub use files::{safe_file_stem, FileNames};
pub use labels::Labels;
pub use progress::{ProgressReport, ProgressRow, ProgressTip};
pub use render::{render_index, render_page, PageFormat, TemplateError};

use labels::{tip_status, TipState};

use super::escape::escape_controls;
use super::{Advice, AdviceSnapshot, Lang};
use crate::ruleset::{horizon_text, QuestionIndex, RuleSet, SectionKind, TipIndex};

/// The metadata keys shown first, in this order; others follow alphabetically.
const META_ORDER: [&str; 4] = ["name", "faculty", "institution", "contact"];

/// Everything one programme's page shows. User text (the id, metadata, comments) has
/// its control characters escaped; the templates escape markup.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeReport {
    /// The language code of the labels (`nl`, `en`).
    pub lang: &'static str,
    /// The labels in that language.
    pub labels: Labels,
    /// The programme's id.
    pub programme: String,
    /// Its name from the metadata, if given.
    pub name: Option<String>,
    /// Its metadata as label and value, name, faculty, institution and contact first.
    pub meta: Vec<MetaEntry>,
    /// The rules that produced the advice.
    pub ruleset: RulesetLine,
    /// The institution profile the leads are in, if any.
    pub profile: Option<String>,
    /// Per principle and factor in the Roadmap's order: score and coverage.
    pub sections: Vec<SectionRow>,
    /// The profile chart of `sections`.
    pub chart: BarChart,
    /// The tips of cycle 1, in the cycle's order, in full.
    pub this_cycle: Vec<TipDetail>,
    /// The tips of cycle 2, briefly.
    pub next_cycle: Vec<TipBrief>,
    /// The later tips, briefly, in plan order.
    pub later: Vec<TipBrief>,
    /// The plan as swimlanes: stakeholders by phases.
    pub plan: Swimlanes,
    /// Sections whose scan should be completed first.
    pub scan_first: Vec<ScanFirstRow>,
    /// Tips whose state is to be established, most important first.
    pub to_establish: Vec<EstablishRow>,
    /// Tips that do not apply, with the reason.
    pub not_applicable: Vec<NotApplicableRow>,
    /// The team's comments, in questionnaire order.
    pub comments: Vec<CommentRow>,
    /// The advice's warnings, in Dutch.
    pub warnings: Vec<String>,
    /// Every tip per section, under the document's headings.
    pub appendix: Vec<AppendixSection>,
    /// What moved since the earlier run, when one was given
    /// ([`ProgrammeReport::with_previous`]).
    pub progress: Option<ProgressReport>,
}

/// A metadata entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaEntry {
    /// The label: a known key's label, else the key.
    pub label: String,
    /// The value as text.
    pub value: String,
}

/// The rule set's name, version and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesetLine {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its content hash (SHA-256, hex).
    pub hash: String,
    /// The first 12 characters of the hash.
    pub short_hash: String,
}

/// One principle or factor's score and coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionRow {
    /// The section's id.
    pub id: String,
    /// "Uitgangspunt" or "Factor" (a label).
    pub kind: &'static str,
    /// The document's number.
    pub number: u32,
    /// The document's title.
    pub title: String,
    /// The mean score on 0–4 to two decimals, or the "no answer" label.
    pub score: String,
    /// Tip questions answered.
    pub answered: u32,
    /// Tip questions asked.
    pub asked: u32,
    /// Only its quick scan was answered.
    pub quick_scan_only: bool,
}

/// A cycle-1 tip in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TipDetail {
    /// Its number in the cycle, from 1.
    pub number: u32,
    /// The tip's id.
    pub id: String,
    /// Its section's title.
    pub section: String,
    /// The document's sub-heading it stands under.
    pub group: Option<String>,
    /// The document's text.
    pub text: String,
    /// The role that leads it.
    pub lead: String,
    /// Its horizon.
    pub horizon: String,
    /// Its priority, 0–100.
    pub priority: u8,
    /// Why now, in Dutch.
    pub why_now: Option<String>,
    /// The answer it rests on and the target, in Dutch.
    pub evidence: Option<String>,
    /// The question that answer is to.
    pub evidence_question: Option<String>,
    /// The team's comment on that question.
    pub comment: Option<String>,
    /// The context assumed because it was not given.
    pub context_assumed: Option<String>,
    /// The note the document adds to its section.
    pub note: Option<String>,
}

/// A tip of a later cycle, briefly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TipBrief {
    /// The tip's id.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// The role that leads it.
    pub lead: String,
    /// Its horizon.
    pub horizon: String,
    /// Its phase.
    pub phase: u32,
    /// Its priority.
    pub priority: u8,
    /// The plan tips it comes after.
    pub after: Vec<String>,
}

/// The plan as a grid: a row per stakeholder, a column per phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swimlanes {
    /// The phases of the plan, ascending.
    pub phases: Vec<u32>,
    /// One lane per stakeholder that leads or is involved in a plan tip.
    pub lanes: Vec<Lane>,
}

/// One stakeholder's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lane {
    /// The stakeholder's display name.
    pub name: String,
    /// How many plan tips it leads.
    pub leads: usize,
    /// How many plan tips it is involved in without leading them.
    pub involved: usize,
    /// Per phase (as [`Swimlanes::phases`]), the tips it leads, in plan order.
    pub cells: Vec<Vec<LaneTip>>,
}

/// A tip in the lane of its lead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneTip {
    /// The tip's id.
    pub id: String,
    /// Its cycle: 1, 2 or 3 (later).
    pub cycle: u8,
    /// Its horizon.
    pub horizon: String,
}

/// A section whose scan should be completed first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanFirstRow {
    /// The section's title.
    pub section: String,
    /// Why, in Dutch.
    pub reason: String,
}

/// A tip to establish.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstablishRow {
    /// The tip's id.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// Why its state is not known, in Dutch.
    pub reason: String,
    /// The questions whose answers would tell.
    pub questions: Vec<QuestionRow>,
}

/// A question, by id and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionRow {
    /// The question's id.
    pub id: String,
    /// Its text.
    pub text: String,
}

/// A tip that does not apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotApplicableRow {
    /// The tip's id.
    pub id: String,
    /// The document's text.
    pub text: String,
    /// Why not, in Dutch.
    pub reason: String,
}

/// A comment of the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentRow {
    /// The question's id.
    pub question: String,
    /// The question's text.
    pub text: String,
    /// The comment.
    pub comment: String,
}

/// A principle or factor with all its tips.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppendixSection {
    /// The heading, e.g. "Factor 3 Toetsing".
    pub heading: String,
    /// Its tips in document order.
    pub tips: Vec<AppendixTip>,
}

/// One tip of the appendix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppendixTip {
    /// The tip's id.
    pub id: String,
    /// The document's sub-heading it stands under.
    pub group: Option<String>,
    /// The document's text.
    pub text: String,
    /// What this advice says about it (a label).
    pub status: &'static str,
}

impl ProgrammeReport {
    /// The report of one advice of `ruleset`, with labels in `lang`.
    pub fn new(ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) -> ProgrammeReport {
        let labels = Labels::new(lang);
        let sections = section_rows(ruleset, advice, &labels);
        let chart = bar_chart(
            &sections
                .iter()
                .zip(&advice.sections)
                .map(|(row, result)| ChartRow {
                    label: format!("{} {} {}", row.kind, row.number, row.title),
                    value: result.mean,
                    coverage: format!("{}/{}", row.answered, row.asked),
                    principle: row.kind == labels.principle,
                })
                .collect::<Vec<_>>(),
        );
        let info = advice.ruleset;
        ProgrammeReport {
            lang: lang.code(),
            programme: user_text(&advice.programme),
            name: meta_text(advice, "name"),
            meta: meta_entries(advice, &labels),
            ruleset: RulesetLine {
                name: info.name.clone(),
                version: info.version.clone(),
                hash: info.hash.clone(),
                short_hash: info.hash.chars().take(12).collect(),
            },
            profile: advice.profile.map(user_text),
            sections,
            chart,
            this_cycle: this_cycle(ruleset, advice, &labels),
            next_cycle: briefs(ruleset, advice, &labels, |cycle| cycle == 2),
            later: briefs(ruleset, advice, &labels, |cycle| cycle > 2),
            plan: swimlanes(ruleset, advice, &labels),
            scan_first: advice
                .scan_first
                .iter()
                .map(|entry| ScanFirstRow {
                    section: ruleset
                        .sections()
                        .iter()
                        .find(|section| section.id == entry.section)
                        .map_or_else(|| entry.section.to_owned(), |section| section.title.clone()),
                    reason: entry.reason.clone(),
                })
                .collect(),
            to_establish: to_establish(ruleset, advice),
            not_applicable: advice
                .not_applicable
                .iter()
                .map(|entry| NotApplicableRow {
                    id: entry.tip.to_owned(),
                    text: tip_text(ruleset, entry.index),
                    reason: ruleset.not_applicable_text(entry).to_owned(),
                })
                .collect(),
            comments: comments(ruleset, advice),
            warnings: advice
                .warnings()
                .iter()
                .map(|warning| user_text(warning))
                .collect(),
            appendix: appendix(ruleset, advice, lang),
            progress: None,
            labels,
        }
    }

    /// The same report with what moved since the earlier run: `previous` is the
    /// programme's advice in that run, `None` when that run did not advise it.
    pub fn with_previous(
        mut self,
        ruleset: &RuleSet,
        advice: &Advice<'_>,
        previous: Option<&AdviceSnapshot>,
    ) -> ProgrammeReport {
        self.progress = Some(ProgressReport::new(ruleset, advice, previous, &self.labels));
        self
    }
}

/// User text with its control characters escaped.
fn user_text(text: &str) -> String {
    escape_controls(text).into_owned()
}

fn meta_text(advice: &Advice<'_>, key: &str) -> Option<String> {
    let value = advice.meta.get(key)?;
    let text = match value {
        serde_json::Value::Null => return None,
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    (!text.trim().is_empty()).then(|| user_text(&text))
}

fn meta_entries(advice: &Advice<'_>, labels: &Labels) -> Vec<MetaEntry> {
    let known = |key: &str| match key {
        "name" => Some(labels.name),
        "faculty" => Some(labels.faculty),
        "institution" => Some(labels.institution),
        "contact" => Some(labels.contact),
        _ => None,
    };
    let others = advice
        .meta
        .keys()
        .filter(|key| !META_ORDER.contains(&key.as_str()))
        .map(String::as_str);
    META_ORDER
        .into_iter()
        .chain(others)
        .filter_map(|key| {
            Some(MetaEntry {
                label: known(key).map_or_else(|| user_text(key), str::to_owned),
                value: meta_text(advice, key)?,
            })
        })
        .collect()
}

fn section_rows(ruleset: &RuleSet, advice: &Advice<'_>, labels: &Labels) -> Vec<SectionRow> {
    ruleset
        .sections()
        .iter()
        .zip(&advice.sections)
        .map(|(section, result)| SectionRow {
            id: section.id.clone(),
            kind: match section.kind {
                SectionKind::Principle => labels.principle,
                SectionKind::Factor => labels.factor,
            },
            number: section.number,
            title: section.title.clone(),
            score: result
                .mean
                .map_or_else(|| labels.no_answer.to_owned(), |mean| format!("{mean:.2}")),
            answered: result.answered,
            asked: ruleset.tip_question_count(section),
            quick_scan_only: result.quick_scan == Some(true) && result.answered == 0,
        })
        .collect()
}

fn tip_text(ruleset: &RuleSet, tip: TipIndex) -> String {
    ruleset
        .tip(tip)
        .map_or_else(String::new, |tip| tip.text.clone())
}

/// The display name of a tip's lead (after the profile), or the label that says none is.
fn lead_of(ruleset: &RuleSet, tip: TipIndex, labels: &Labels) -> String {
    let roles = ruleset.roles();
    roles
        .lead_of(tip)
        .and_then(|role| roles.get(role))
        .map_or_else(|| labels.not_named.to_owned(), |role| role.name.clone())
}

fn horizon_of(ruleset: &RuleSet, tip: TipIndex, labels: &Labels) -> String {
    ruleset
        .tip(tip)
        .and_then(|tip| ruleset.section_of(tip))
        .and_then(|section| horizon_text(section.horizon))
        .unwrap_or_else(|| labels.not_given.to_owned())
}

fn this_cycle(ruleset: &RuleSet, advice: &Advice<'_>, labels: &Labels) -> Vec<TipDetail> {
    (1..)
        .zip(advice.tips.iter().filter(|tip| tip.cycle == 1))
        .filter_map(|(number, tip)| {
            let catalogued = ruleset.tip(tip.index)?;
            let section = ruleset.section_of(catalogued);
            let evidence = ruleset.tip_evidence(advice, tip.index);
            let question = evidence
                .as_ref()
                .and_then(|evidence| evidence.question.clone());
            Some(TipDetail {
                number,
                id: tip.id.to_owned(),
                section: section.map_or_else(String::new, |section| section.title.clone()),
                group: catalogued.group.clone(),
                text: catalogued.text.clone(),
                lead: lead_of(ruleset, tip.index, labels),
                horizon: horizon_of(ruleset, tip.index, labels),
                priority: tip.priority,
                why_now: advice.why_now(tip),
                evidence: evidence.map(|evidence| evidence.summary),
                comment: question
                    .as_ref()
                    .and_then(|question| advice.comments.get(question))
                    .map(|comment| user_text(comment)),
                evidence_question: question,
                context_assumed: advice.context_assumed(tip),
                note: section.and_then(|section| section.note.clone()),
            })
        })
        .collect()
}

fn briefs(
    ruleset: &RuleSet,
    advice: &Advice<'_>,
    labels: &Labels,
    cycle: impl Fn(u8) -> bool,
) -> Vec<TipBrief> {
    advice
        .tips
        .iter()
        .filter(|tip| cycle(tip.cycle))
        .map(|tip| TipBrief {
            id: tip.id.to_owned(),
            text: tip_text(ruleset, tip.index),
            lead: lead_of(ruleset, tip.index, labels),
            horizon: horizon_of(ruleset, tip.index, labels),
            phase: tip.phase,
            priority: tip.priority,
            after: advice
                .tips
                .after(tip)
                .iter()
                .map(|&id| id.to_owned())
                .collect(),
        })
        .collect()
}

fn swimlanes(ruleset: &RuleSet, advice: &Advice<'_>, labels: &Labels) -> Swimlanes {
    let mut phases: Vec<u32> = advice.tips.iter().map(|tip| tip.phase).collect();
    phases.sort_unstable();
    phases.dedup();
    let lanes = ruleset
        .advice_lanes(advice)
        .into_iter()
        .map(|lane| {
            let cells = phases
                .iter()
                .map(|&phase| {
                    // Plan order: the lane's tips as the plan lists them.
                    advice
                        .tips
                        .iter()
                        .filter(|tip| tip.phase == phase)
                        .filter(|tip| lane.leads.contains(&tip.id))
                        .map(|tip| LaneTip {
                            id: tip.id.to_owned(),
                            cycle: tip.cycle,
                            horizon: horizon_of(ruleset, tip.index, labels),
                        })
                        .collect()
                })
                .collect();
            Lane {
                name: user_text(lane.name),
                leads: lane.leads.len(),
                involved: lane.involved.len(),
                cells,
            }
        })
        .collect();
    Swimlanes { phases, lanes }
}

fn to_establish(ruleset: &RuleSet, advice: &Advice<'_>) -> Vec<EstablishRow> {
    advice
        .to_establish
        .iter()
        .map(|entry| {
            let tip = ruleset.tip(entry.index);
            let quick_scan = tip
                .and_then(|tip| ruleset.section_of(tip))
                .and_then(|section| section.quickscan);
            let questions = tip
                .and_then(|tip| tip.maturity_question)
                .into_iter()
                .chain(quick_scan)
                .filter(|&question| advice.answer_values().get(question).is_none())
                .filter_map(|question| ruleset.question(question))
                .map(|question| QuestionRow {
                    id: question.id.clone(),
                    text: question.text.clone(),
                })
                .collect();
            EstablishRow {
                id: entry.tip.to_owned(),
                text: tip_text(ruleset, entry.index),
                reason: ruleset.establish_text(advice, entry),
                questions,
            }
        })
        .collect()
}

fn comments(ruleset: &RuleSet, advice: &Advice<'_>) -> Vec<CommentRow> {
    let mut rows: Vec<(usize, CommentRow)> = advice
        .comments
        .iter()
        .map(|(question, comment)| {
            let index = ruleset.question_index(question);
            let text = index
                .and_then(|index| ruleset.question(index))
                .map_or_else(String::new, |question| question.text.clone());
            let order = index.map_or(usize::MAX, QuestionIndex::index);
            let row = CommentRow {
                question: user_text(question),
                text,
                comment: user_text(comment),
            };
            (order, row)
        })
        .collect();
    rows.sort_by_key(|(order, _)| *order);
    rows.into_iter().map(|(_, row)| row).collect()
}

fn appendix(ruleset: &RuleSet, advice: &Advice<'_>, lang: Lang) -> Vec<AppendixSection> {
    let mut states: HashMap<TipIndex, TipState> = HashMap::new();
    for entry in &advice.not_applicable {
        states.insert(entry.index, TipState::NotApplicable);
    }
    for entry in &advice.to_establish {
        states.insert(entry.index, TipState::ToEstablish);
    }
    for tip in &advice.tips {
        states.insert(tip.index, TipState::Cycle(tip.cycle));
    }
    let labels = Labels::new(lang);
    ruleset
        .sections()
        .iter()
        .map(|section| AppendixSection {
            heading: format!(
                "{} {} {}",
                match section.kind {
                    SectionKind::Principle => labels.principle,
                    SectionKind::Factor => labels.factor,
                },
                section.number,
                section.title
            ),
            tips: section
                .tips
                .iter()
                .filter_map(|&index| {
                    let tip = ruleset.tip(index)?;
                    let state = states.get(&index).copied().unwrap_or(TipState::Clear);
                    Some(AppendixTip {
                        id: tip.id.clone(),
                        group: tip.group.clone(),
                        text: tip.text.clone(),
                        status: tip_status(lang, state),
                    })
                })
                .collect(),
        })
        .collect()
}

/// One programme on the index page: its file, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexEntry {
    /// The programme's id (empty when its row has none).
    pub programme: String,
    /// Its row in the input.
    pub row: u64,
    /// The file name of its page, when it was advised.
    pub file: Option<String>,
    /// Its name from the metadata.
    pub name: Option<String>,
    /// Its faculty from the metadata.
    pub faculty: Option<String>,
    /// Its institution from the metadata.
    pub institution: Option<String>,
    /// Why it could not be advised.
    pub error: Option<String>,
}

impl IndexEntry {
    /// An entry from a programme's id, row and metadata; control characters escaped.
    pub fn new(
        programme: &str,
        row: u64,
        meta: &std::collections::BTreeMap<String, serde_json::Value>,
    ) -> IndexEntry {
        let text = |key: &str| {
            meta.get(key)
                .and_then(serde_json::Value::as_str)
                .filter(|text| !text.trim().is_empty())
                .map(user_text)
        };
        IndexEntry {
            programme: user_text(programme),
            row,
            file: None,
            name: text("name"),
            faculty: text("faculty"),
            institution: text("institution"),
            error: None,
        }
    }

    /// The same entry with the reason it was not advised.
    pub fn failed(mut self, error: &str) -> IndexEntry {
        self.error = Some(user_text(error));
        self
    }

    /// The same entry with its page's file name.
    pub fn with_file(mut self, file: String) -> IndexEntry {
        self.file = Some(file);
        self
    }
}

/// The index page: every programme of a run in input order, linked to its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexPage {
    /// The language code of the labels.
    pub lang: &'static str,
    /// The labels.
    pub labels: Labels,
    /// The rules used.
    pub ruleset: RulesetLine,
    /// The programmes.
    pub entries: Vec<IndexEntry>,
    /// How many were advised.
    pub advised: usize,
    /// How many failed.
    pub failed: usize,
}

impl IndexPage {
    /// The index of `entries`, advised with `ruleset`.
    pub fn new(ruleset: &RuleSet, entries: Vec<IndexEntry>, lang: Lang) -> IndexPage {
        let info = ruleset.info();
        let failed = entries.iter().filter(|entry| entry.error.is_some()).count();
        IndexPage {
            lang: lang.code(),
            labels: Labels::new(lang),
            ruleset: RulesetLine {
                name: info.name.clone(),
                version: info.version.clone(),
                hash: info.hash.clone(),
                short_hash: info.hash.chars().take(12).collect(),
            },
            advised: entries.len() - failed,
            failed,
            entries,
        }
    }
}
