//! The per-programme outputs of a batch run, rendered one programme at a time so that
//! programmes can be rendered in parallel and written in input order: JSON Lines (the
//! full advice, or `compact`: ids, priorities and phases without texts), a JSON array
//! or single object, plain text, the CSV long format, the rows of the Excel workbook,
//! and one HTML or Markdown page per programme.

use std::collections::BTreeMap;
use std::io::Write as _;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::advice::{json_float, json_integer, json_string, IdKind, JsonIds};
use super::escape::escape_controls;
use super::long_csv;
use super::programme::{render_page, PageFormat, ProgrammeReport};
use super::sheet_rows::ProgrammeRows;
use super::summary::{from_hundredths, score_hundredths};
use super::{render_text_with, Advice, Lang, PreviousRun, TextDetail, TextOptions, SCHEMA_VERSION};
use crate::eval::{Answers, Evaluation};
use crate::input::RowError;
use crate::plan::Plan;
use crate::ruleset::{RuleSet, SectionIndex, TipIndex};

/// How a batch run writes its programmes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Plain text for people, programmes one after another.
    Text {
        /// How much of each advice to show.
        detail: TextDetail,
        /// The language of the labels.
        lang: Lang,
    },
    /// Pretty JSON: one object when the input was a single assessment, else an array.
    Json {
        /// One object rather than an array.
        single: bool,
        /// Ids, priorities and phases only.
        compact: bool,
    },
    /// One JSON object per line.
    JsonLines {
        /// Ids, priorities and phases only.
        compact: bool,
    },
    /// One row per plan tip ([`crate::report::LONG_CSV_COLUMNS`]): programme, cycle,
    /// phase, tip, section, priority, lead, horizon, the other stakeholders, then the
    /// tip's text, the lead's and the cycle's names, the reason and the evidence; UTF-8
    /// with a byte-order mark, so that Excel reads it right.
    LongCsv {
        /// The field delimiter.
        delimiter: u8,
        /// The language of the cycle's name.
        lang: Lang,
    },
    /// Each programme's spreadsheet rows ([`ProgrammeRows`]) as one line of JSON: what a
    /// worker thread renders for the Excel workbook, which is one file for all
    /// programmes and is written when the last has arrived (`AdviceWorkbook`, with the
    /// `spreadsheets` feature). A failed programme is a row with its error.
    SheetRows,
    /// One self-contained HTML page per programme (`report::programme`); the caller
    /// writes each programme's output to its own file and adds the index page.
    Html {
        /// The language of the labels.
        lang: Lang,
    },
    /// One Markdown page per programme, like [`OutputFormat::Html`].
    Markdown {
        /// The language of the labels.
        lang: Lang,
    },
}

/// One advised programme, as the outputs need it.
#[derive(Debug, Clone, Copy)]
pub struct AdvisedProgramme<'a> {
    /// Its row in the input.
    pub row: u64,
    /// Its id.
    pub programme: &'a str,
    /// Its metadata.
    pub meta: &'a BTreeMap<String, serde_json::Value>,
    /// The team's comment or evidence per question id.
    pub comments: &'a BTreeMap<String, String>,
    /// Its answers.
    pub answers: &'a Answers,
    /// What the rules concluded.
    pub evaluation: &'a Evaluation,
    /// Its plan.
    pub plan: &'a Plan,
    /// Per principle and factor (in the rule set's order), its score in hundredths, as
    /// [`AdvisedProgramme::section_scores`] computes it.
    pub scores: &'a [Option<i64>],
    /// The earlier run to compare with (`advise --previous`), when one was given: the
    /// pages show what moved since then.
    pub previous: Option<&'a PreviousRun>,
}

impl AdvisedProgramme<'_> {
    /// Per principle and factor (in the rule set's order), the mean of its answered
    /// questions in hundredths (rounded as the advice rounds it); `None` when none is
    /// answered.
    pub fn section_scores(ruleset: &RuleSet, answers: &Answers) -> Vec<Option<i64>> {
        ruleset
            .sections()
            .iter()
            .map(|section| score_hundredths(section, answers))
            .collect()
    }
}

/// A programme's page, with what moved since the earlier run when one was given.
fn page_report(ruleset: &RuleSet, programme: &AdvisedProgramme<'_>, lang: Lang) -> ProgrammeReport {
    let advice = advice(ruleset, programme);
    let report = ProgrammeReport::new(ruleset, &advice, lang);
    match programme.previous {
        Some(run) => {
            let previous = run.programmes.get(programme.programme);
            report.with_previous(ruleset, &advice, previous)
        }
        None => report,
    }
}

/// The JSON of a programme that could not be advised: one line of JSON Lines, or an
/// element of a JSON array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorLine {
    /// [`SCHEMA_VERSION`]: the version of the advice whose place it takes.
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The programme's id; `null` when the row has none.
    pub programme: Option<String>,
    /// Its row (see [`crate::input::Record::row`]).
    pub row: u64,
    /// The first problem of the row.
    pub error: RowError,
    /// The row's other problems, in column order; left out when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_errors: Vec<RowError>,
}

impl ErrorLine {
    /// The error line of a row; `None` when `errors` is empty.
    pub fn new(programme: &str, row: u64, errors: &[RowError]) -> Option<ErrorLine> {
        let (first, more) = errors.split_first()?;
        Some(ErrorLine {
            schema_version: SCHEMA_VERSION,
            programme: (!programme.is_empty()).then(|| programme.to_owned()),
            row,
            error: first.clone(),
            more_errors: more.to_vec(),
        })
    }
}

/// The compact advice: what a dashboard or a spreadsheet joins on the programme id,
/// without texts (so without the metadata either). Each plan tip is
/// `[id, cycle, phase, priority]`, in plan order; `pulled_in` lists the plan tips no rule
/// recommended (prerequisites the plan needs).
#[derive(Debug, Serialize)]
struct CompactAdvice<'a> {
    schema_version: u32,
    programme: &'a str,
    scores: CompactScores<'a>,
    focus: Vec<&'a str>,
    tips: Vec<(&'a str, u8, u32, u8)>,
    pulled_in: Vec<&'a str>,
}

/// Section id to score, in the rule set's order.
#[derive(Debug)]
struct CompactScores<'a>(Vec<(&'a str, Option<f64>)>);

impl Serialize for CompactScores<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(id, score)| (id, score)))
    }
}

impl OutputFormat {
    /// Whether the output shows a programme's metadata (its name, institution, ...):
    /// all but the compact formats and the CSV long format do.
    pub fn shows_metadata(&self) -> bool {
        !matches!(
            self,
            OutputFormat::JsonLines { compact: true }
                | OutputFormat::Json { compact: true, .. }
                | OutputFormat::LongCsv { .. }
        )
    }

    /// Whether each programme is a page of its own (HTML, Markdown) rather than a part
    /// of one output.
    pub fn is_pages(&self) -> bool {
        self.page_format().is_some()
    }

    /// The page format and language of a format with one page per programme.
    pub fn page_format(&self) -> Option<(PageFormat, Lang)> {
        match *self {
            OutputFormat::Html { lang } => Some((PageFormat::Html, lang)),
            OutputFormat::Markdown { lang } => Some((PageFormat::Markdown, lang)),
            _ => None,
        }
    }

    /// What comes before the first programme.
    pub fn prologue(&self, out: &mut Vec<u8>) {
        match self {
            OutputFormat::Json { single: false, .. } => out.push(b'['),
            OutputFormat::LongCsv { delimiter, .. } => long_csv::header(*delimiter, out),
            _ => {}
        }
    }

    /// What comes after the last programme; `count` programmes were written.
    pub fn epilogue(&self, count: u64, out: &mut Vec<u8>) {
        if let OutputFormat::Json { single: false, .. } = self {
            out.extend_from_slice(if count == 0 { b"]\n" } else { b"\n]\n" });
        }
    }

    /// Renders an advised programme; `index` counts the programmes before it.
    pub fn advised(
        &self,
        ruleset: &RuleSet,
        programme: &AdvisedProgramme<'_>,
        index: u64,
        out: &mut Vec<u8>,
    ) {
        match *self {
            OutputFormat::Text { detail, lang } => {
                separate_text(index, out);
                let options = TextOptions {
                    detail,
                    lang,
                    previous: programme.previous,
                };
                let text = render_text_with(ruleset, &advice(ruleset, programme), &options);
                out.extend_from_slice(text.as_bytes());
            }
            OutputFormat::Json { single, compact } => {
                let json = if compact {
                    serde_json::to_string_pretty(&compact_advice(ruleset, programme))
                } else {
                    serde_json::to_string_pretty(&advice(ruleset, programme))
                };
                json_element(single, index, &json.unwrap_or_default(), out);
            }
            OutputFormat::JsonLines { compact: true } => write_compact(ruleset, programme, out),
            OutputFormat::JsonLines { compact: false } => {
                advice(ruleset, programme).append_json(out);
                out.push(b'\n');
            }
            OutputFormat::LongCsv { delimiter, lang } => {
                long_csv::rows(ruleset, programme, delimiter, lang, out)
            }
            OutputFormat::SheetRows => {
                json_line(&ProgrammeRows::advised(ruleset, programme), out);
            }
            OutputFormat::Html { lang } | OutputFormat::Markdown { lang } => {
                let format = match self {
                    OutputFormat::Html { .. } => PageFormat::Html,
                    _ => PageFormat::Markdown,
                };
                match render_page(format, &page_report(ruleset, programme, lang)) {
                    Ok(page) => out.extend_from_slice(page.as_bytes()),
                    // A template that fails is a bug; the page then says so rather than
                    // leaving the programme out unnoticed.
                    Err(error) => {
                        let _ = writeln!(out, "{}", escape_controls(&error.to_string()));
                    }
                }
            }
        }
    }

    /// Renders a programme that could not be advised; `index` counts the programmes
    /// before it. The CSV long format has no place for it: its failures are on stderr
    /// and in the summary. The sheet rows keep it, with its error; the pages list it on
    /// the index page.
    pub fn failed(
        &self,
        programme: &str,
        row: u64,
        errors: &[RowError],
        index: u64,
        out: &mut Vec<u8>,
    ) {
        let Some(line) = ErrorLine::new(programme, row, errors) else {
            return;
        };
        match *self {
            OutputFormat::Text { .. } => {
                separate_text(index, out);
                failed_text(&line, errors, out);
            }
            OutputFormat::Json { single, .. } => {
                let json = serde_json::to_string_pretty(&line).unwrap_or_default();
                json_element(single, index, &json, out);
            }
            OutputFormat::JsonLines { .. } => json_line(&line, out),
            OutputFormat::LongCsv { .. }
            | OutputFormat::Html { .. }
            | OutputFormat::Markdown { .. } => {}
            OutputFormat::SheetRows => {
                json_line(&ProgrammeRows::failed(programme, row, errors), out);
            }
        }
    }
}

fn advice<'r>(ruleset: &'r RuleSet, programme: &AdvisedProgramme<'_>) -> Advice<'r> {
    let mut advice = ruleset.build_planned_advice(
        programme.programme,
        programme.answers,
        programme.evaluation,
        programme.plan,
    );
    advice.meta.clone_from(programme.meta);
    advice.comments.clone_from(programme.comments);
    advice
}

fn compact_advice<'a>(ruleset: &'a RuleSet, programme: &AdvisedProgramme<'a>) -> CompactAdvice<'a> {
    let tip_id = |tip: TipIndex| ruleset.tip(tip).map_or("", |tip| tip.id.as_str());
    let steps = programme.plan.steps();
    CompactAdvice {
        schema_version: SCHEMA_VERSION,
        programme: programme.programme,
        scores: CompactScores(
            ruleset
                .sections()
                .iter()
                .zip(programme.scores)
                .map(|(section, score)| (section.id.as_str(), score.map(from_hundredths)))
                .collect(),
        ),
        focus: programme
            .plan
            .focus()
            .iter()
            .map(|&tip| tip_id(tip))
            .collect(),
        tips: steps
            .iter()
            .map(|step| (tip_id(step.tip), step.cycle, step.phase, step.priority))
            .collect(),
        pulled_in: steps
            .iter()
            .filter(|step| step.pulled_in)
            .map(|step| tip_id(step.tip))
            .collect(),
    }
}

/// The compact advice as one line of JSON, written straight into `out`: the same bytes
/// as `serde_json::to_writer` of [`compact_advice`] and a line feed.
fn write_compact(ruleset: &RuleSet, programme: &AdvisedProgramme<'_>, out: &mut Vec<u8>) {
    JsonIds::with(ruleset.info(), |ids| {
        write_compact_with_ids(ruleset, programme, ids, out);
    });
}

/// [`write_compact`] with the rule set's ids rendered once.
fn write_compact_with_ids(
    ruleset: &RuleSet,
    programme: &AdvisedProgramme<'_>,
    ids: &mut JsonIds,
    out: &mut Vec<u8>,
) {
    let tip_id = |ids: &mut JsonIds, out: &mut Vec<u8>, tip: TipIndex| {
        let id = ruleset.tip(tip).map_or("", |tip| tip.id.as_str());
        ids.write(out, IdKind::Tip, tip.index(), id);
    };
    let tip_ids =
        |ids: &mut JsonIds, out: &mut Vec<u8>, tips: &mut dyn Iterator<Item = TipIndex>| {
            for (position, tip) in tips.enumerate() {
                if position > 0 {
                    out.push(b',');
                }
                tip_id(ids, out, tip);
            }
        };
    out.extend_from_slice(b"{\"schema_version\":");
    json_integer(out, u64::from(SCHEMA_VERSION));
    out.extend_from_slice(b",\"programme\":");
    json_string(out, programme.programme);
    out.extend_from_slice(b",\"scores\":{");
    let sections = SectionIndex::enumerate(ruleset.sections()).zip(programme.scores);
    for (position, ((index, section), score)) in sections.enumerate() {
        if position > 0 {
            out.push(b',');
        }
        ids.write(out, IdKind::Section, index.index(), &section.id);
        out.push(b':');
        match score {
            Some(hundredths) => write_hundredths(out, *hundredths),
            None => out.extend_from_slice(b"null"),
        }
    }
    out.extend_from_slice(b"},\"focus\":[");
    tip_ids(ids, out, &mut programme.plan.focus().iter().copied());
    out.extend_from_slice(b"],\"tips\":[");
    let steps = programme.plan.steps();
    for (position, step) in steps.iter().enumerate() {
        out.extend_from_slice(if position > 0 { b",[" } else { b"[" });
        tip_id(ids, out, step.tip);
        out.push(b',');
        json_integer(out, u64::from(step.cycle));
        out.push(b',');
        json_integer(out, u64::from(step.phase));
        out.push(b',');
        json_integer(out, u64::from(step.priority));
        out.push(b']');
    }
    out.extend_from_slice(b"],\"pulled_in\":[");
    let pulled_in = steps.iter().filter(|step| step.pulled_in);
    tip_ids(ids, out, &mut pulled_in.map(|step| step.tip));
    out.extend_from_slice(b"]}\n");
}

/// Scores in hundredths below this size are written digit by digit; larger ones (which
/// no mean of answers gives) go through the float writer.
const HUNDREDTHS_WRITTEN_BY_DIGITS: u64 = 1 << 40;

/// A score in hundredths as the JSON number `hundredths / 100`: the same bytes that
/// `serde_json` writes for that `f64` (the shortest form that reads back, with at
/// least one decimal), without formatting a float.
fn write_hundredths(out: &mut Vec<u8>, hundredths: i64) {
    let magnitude = hundredths.unsigned_abs();
    if magnitude >= HUNDREDTHS_WRITTEN_BY_DIGITS {
        json_float(out, from_hundredths(hundredths));
        return;
    }
    if hundredths < 0 {
        out.push(b'-');
    }
    json_integer(out, magnitude / 100);
    let (tenths, last) = ((magnitude / 10) % 10, magnitude % 10);
    out.extend_from_slice(&[b'.', b'0' + tenths as u8]);
    if last != 0 {
        out.push(b'0' + last as u8);
    }
}

/// A value as one line of JSON.
fn json_line(value: &impl Serialize, out: &mut Vec<u8>) {
    // Serialising these types into memory cannot fail: every map key is a string.
    let _ = serde_json::to_writer(&mut *out, value);
    out.push(b'\n');
}

fn separate_text(index: u64, out: &mut Vec<u8>) {
    if index > 0 {
        out.push(b'\n');
    }
}

/// The text of a programme that could not be advised; its id and the messages (which
/// quote the values read) with control characters escaped.
fn failed_text(line: &ErrorLine, errors: &[RowError], out: &mut Vec<u8>) {
    let programme = line.programme.as_deref().unwrap_or("(zonder id)");
    let programme = escape_controls(programme);
    let _ = writeln!(out, "Geen advies voor {programme} (rij {})", line.row);
    for error in errors {
        let _ = writeln!(out, "  - {}", escape_controls(&error.message));
    }
}

/// A pretty JSON value as an array element (indented, after `[` or `,`) or alone.
fn json_element(single: bool, index: u64, json: &str, out: &mut Vec<u8>) {
    if single {
        out.extend_from_slice(json.as_bytes());
        out.push(b'\n');
        return;
    }
    out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
    for (number, line) in json.lines().enumerate() {
        if number > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"  ");
        out.extend_from_slice(line.as_bytes());
    }
}

#[cfg(all(test, feature = "synthetic"))]
mod tests {
    use super::*;
    use crate::input::Cohort;
    use crate::report::synthetic_assessment;

    #[test]
    fn scores_in_hundredths_are_written_as_serde_writes_their_floats() {
        let mut values: Vec<i64> = (-30_000..30_000).collect();
        values.extend([
            1 << 39,
            (1 << 40) - 1,
            1 << 40,
            -(1 << 40),
            i64::MAX,
            i64::MIN,
        ]);
        for hundredths in values {
            let mut written = Vec::new();
            write_hundredths(&mut written, hundredths);
            let expected = serde_json::to_vec(&from_hundredths(hundredths)).unwrap();
            assert_eq!(written, expected, "{hundredths}");
        }
    }

    #[test]
    fn the_compact_line_is_what_serde_writes() {
        let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
        let mut plan = Plan::default();
        for (index, programme) in Cohort::new(&ruleset, 300, 11).enumerate() {
            let mut assessment = synthetic_assessment(&ruleset, programme);
            if index % 7 == 0 {
                assessment.programme = format!("P \"{index}\"\n\u{1}é");
            }
            let answers = ruleset.answers(&assessment).unwrap();
            let evaluation = ruleset.evaluate(&answers);
            ruleset.plan_into(&evaluation, &mut plan);
            let scores = AdvisedProgramme::section_scores(&ruleset, &answers);
            let advised = AdvisedProgramme {
                row: 2,
                programme: &assessment.programme,
                meta: &assessment.meta,
                comments: &assessment.comments,
                answers: &answers,
                evaluation: &evaluation,
                plan: &plan,
                scores: &scores,
                previous: None,
            };
            let mut expected = Vec::new();
            json_line(&compact_advice(&ruleset, &advised), &mut expected);
            let mut written = Vec::new();
            write_compact(&ruleset, &advised, &mut written);
            assert_eq!(
                String::from_utf8(written).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
