//! Many programmes from one input file: the [`Record`] each reader yields, the errors
//! that belong to one row ([`RowError`]) and those that stop the whole file
//! ([`ReadError`]), and [`open`], which picks the reader from the file name.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::assessment::unknown_comments;
use super::delimited::DelimitedRows;
use super::json_records::LineChunks;
use super::raw_rows::TextRow;
use super::reader_thread::ReaderThread;
use super::table::{CellValue, TableLayout};
use super::value::AnswerError;
use super::{delimited, json_records, workbook, Assessment};
use crate::eval::Answers;
use crate::ruleset::RuleSet;

/// The column that holds the programme id.
pub const PROGRAMME_COLUMN: &str = "programme";

/// Why one row could not be advised. The shape of the `error` object of a JSON Lines
/// error line; an [`AnswerError`] converts into it.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema, thiserror::Error,
)]
#[error("{message}")]
pub struct RowError {
    /// The column (question id, `programme`, ...); `null` when the row as a whole is
    /// broken.
    pub column: Option<String>,
    /// The value as given; `null` when there is none.
    pub value: Option<String>,
    /// What was expected there.
    pub expected: String,
    /// One sentence for people.
    pub message: String,
}

impl From<AnswerError> for RowError {
    fn from(error: AnswerError) -> Self {
        RowError {
            column: Some(error.column),
            value: Some(error.value),
            expected: error.expected,
            message: error.message,
        }
    }
}

impl RowError {
    /// An error of the row as a whole, not of one cell.
    pub(crate) fn row(expected: impl Into<String>, message: impl Into<String>) -> Self {
        RowError {
            column: None,
            value: None,
            expected: expected.into(),
            message: message.into(),
        }
    }
}

/// A problem that stops reading the whole file: it cannot be opened, its header is
/// wrong, or its syntax breaks beyond recovery.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ReadError {
    /// The file cannot be read.
    #[error("cannot read `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file name does not say which reader to use.
    #[error("`{path}`: cannot tell the format from the file name; expected a name ending in .csv, .tsv, .txt, .xlsx, .xlsm, .xlsb, .xls, .ods, .json, .jsonl or .ndjson, or `-` for JSON Lines on stdin")]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are in an encoding the CSV reader does not decode.
    #[error("`{path}`: {message}")]
    #[diagnostic(help("save the file as \"CSV UTF-8\" (Excel: Save As, then CSV UTF-8)"))]
    Encoding {
        /// The file.
        path: PathBuf,
        /// What was found.
        message: String,
    },
    /// The rows of a CSV file are not all in one encoding.
    #[error("`{path}` row {row}: the row is {encoding}, while row {earlier_row} and the rows after it are {earlier}: the file mixes encodings, so its names would come out garbled")]
    #[diagnostic(help(
        "save the whole file once as \"CSV UTF-8\" (Excel: Save As, then CSV UTF-8)"
    ))]
    MixedEncoding {
        /// The file.
        path: PathBuf,
        /// The first row in the other encoding.
        row: u64,
        /// That row's encoding.
        encoding: &'static str,
        /// The encoding of the rows before it.
        earlier: &'static str,
        /// The row that told the earlier encoding (0: the byte-order mark).
        earlier_row: u64,
    },
    /// The CSV or workbook structure is broken at a point the reader cannot pass.
    #[error("`{path}` row {row}: {message}")]
    Table {
        /// The file.
        path: PathBuf,
        /// The row (1 is the header row).
        row: u64,
        /// What is wrong.
        message: String,
    },
    /// The workbook cannot be opened or the sheet read.
    #[error("`{path}` {message}")]
    Workbook {
        /// The file.
        path: PathBuf,
        /// What is wrong, as the rest of a sentence that starts with the file:
        /// "is not a valid Excel workbook (…)", "sheet `Blad1` cell XFD1: …".
        message: String,
    },
    /// `--sheet` names a sheet the workbook does not have.
    #[error("`{path}` has no sheet `{sheet}`{suggestion}; its sheets are {available}")]
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
        /// A close sheet name, if there is one.
        suggestion: String,
        /// The sheet names, quoted and comma-separated.
        available: String,
    },
    /// A sheet option was given for an input that has no sheets.
    #[error("`{path}` is not a workbook, so it has no sheet `{sheet}`")]
    SheetOfNonWorkbook {
        /// The file.
        path: PathBuf,
        /// The sheet asked for.
        sheet: String,
    },
    /// The file has no header row.
    #[error("`{path}` is empty: expected a header row with `programme` and question ids")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The header row is wrong: unknown, duplicate or missing columns.
    #[error("`{path}` row {row} (the header): {}", .problems.join("; "))]
    #[diagnostic(help("the header names `programme`, optionally name, institution, faculty and contact, and one column per question id; pass --ignore-unknown-columns to skip columns the rules do not know"))]
    Header {
        /// The file.
        path: PathBuf,
        /// The header's row number.
        row: u64,
        /// Every problem found, each naming its column.
        problems: Vec<String>,
    },
    /// JSON that cannot be parsed at all (a JSON array or object file).
    #[error("`{path}` line {line} column {column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde_json reported.
        message: String,
    },
}

/// What is in a record besides its programme id and metadata.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    /// A data row of a CSV file, decoded to UTF-8, and the header's layout.
    Text {
        layout: Arc<TableLayout>,
        fields: TextRow,
    },
    /// A data row of a workbook, one value per column, and the header's layout.
    #[cfg_attr(
        not(feature = "spreadsheets"),
        expect(dead_code, reason = "workbook rows; this build reads no workbooks")
    )]
    Cells {
        layout: Arc<TableLayout>,
        cells: Vec<CellValue>,
    },
    /// A JSON assessment (its metadata moved to the record); with `ignore_unknown`,
    /// answers to ids the rules do not know are skipped rather than refused.
    Json {
        assessment: Assessment,
        ignore_unknown: bool,
    },
    /// The reader found the row broken.
    Broken(Vec<RowError>),
}

/// One programme as read from an input file, before its answers are checked.
///
/// A record is meant for the rule set the file was opened with: table rows resolve
/// their columns to that rule set's questions once, at the header.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where it is: the spreadsheet row (the header is row 1) for CSV and workbooks,
    /// the line for JSON Lines, the 1-based position for a JSON array.
    pub row: u64,
    /// The programme id; empty when the row has none.
    pub programme: String,
    /// Metadata (name, institution, ...), carried into the advice.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// The team's comment or evidence per question id, empty ones dropped. A table's
    /// comment columns are checked at its header; a JSON assessment's comments with
    /// its answers, and with `--ignore-unknown-columns` those on unknown questions are
    /// left out here.
    pub comments: BTreeMap<String, String>,
    pub(crate) content: Content,
}

impl Record {
    /// A record from a JSON assessment; answers to unknown question ids are errors.
    pub fn from_assessment(row: u64, assessment: Assessment) -> Record {
        Record::from_json(row, assessment, false)
    }

    /// A record from a JSON assessment, optionally skipping unknown question ids.
    pub(crate) fn from_json(row: u64, mut assessment: Assessment, ignore_unknown: bool) -> Record {
        Record {
            row,
            programme: assessment.programme.clone(),
            meta: std::mem::take(&mut assessment.meta),
            comments: std::mem::take(&mut assessment.comments),
            content: Content::Json {
                assessment,
                ignore_unknown,
            },
        }
    }

    /// A record that the reader already found broken.
    pub(crate) fn broken(row: u64, programme: String, errors: Vec<RowError>) -> Record {
        Record {
            row,
            programme,
            meta: BTreeMap::new(),
            comments: BTreeMap::new(),
            content: Content::Broken(errors),
        }
    }

    /// Whether the row holds nothing at all: no id, no metadata, no answers. Spreadsheets
    /// leave such rows behind; they are counted and skipped, not advised.
    pub fn is_blank(&self) -> bool {
        let empty_content = || match &self.content {
            Content::Text { fields, .. } => fields.iter().all(|field| field.trim().is_empty()),
            Content::Cells { cells, .. } => cells.iter().all(CellValue::is_empty),
            Content::Json { assessment, .. } => assessment.answers.is_empty(),
            Content::Broken(_) => false,
        };
        self.programme.trim().is_empty()
            && self.meta.is_empty()
            && self.comments.is_empty()
            && empty_content()
    }

    /// Checks the answers against `ruleset` and converts them into an answer vector;
    /// every problem of the row is returned, in column order.
    pub fn answers(&self, ruleset: &RuleSet) -> Result<Answers, Vec<RowError>> {
        let answers = match &self.content {
            Content::Text { layout, fields } => layout.text_answers(ruleset, fields),
            Content::Cells { layout, cells } => layout.cell_answers(ruleset, cells),
            Content::Json {
                assessment,
                ignore_unknown,
            } => json_answers(ruleset, assessment, &self.comments, *ignore_unknown),
            Content::Broken(errors) => Err(errors.clone()),
        }?;
        if self.programme.trim().is_empty() {
            return Err(vec![missing_programme()]);
        }
        Ok(answers)
    }
}

/// Keeps only the comments on questions of `known`, for `--ignore-unknown-columns`.
pub(super) fn without_unknown_comments(mut record: Record, known: &HashSet<String>) -> Record {
    record.comments.retain(|id, _| known.contains(id));
    record
}

/// The answers of a JSON assessment, and an error for each comment on an unknown
/// question (the comments were moved from the assessment into the record).
fn json_answers(
    ruleset: &RuleSet,
    assessment: &Assessment,
    comments: &BTreeMap<String, String>,
    ignore_unknown: bool,
) -> Result<Answers, Vec<RowError>> {
    let comment_errors: Vec<RowError> = unknown_comments(ruleset, comments)
        .filter(|_| !ignore_unknown)
        .map(RowError::from)
        .collect();
    match json_only_answers(ruleset, assessment, ignore_unknown) {
        Ok(answers) if comment_errors.is_empty() => Ok(answers),
        Ok(_) => Err(comment_errors),
        Err(mut errors) => {
            errors.extend(comment_errors);
            Err(errors)
        }
    }
}

fn json_only_answers(
    ruleset: &RuleSet,
    assessment: &Assessment,
    ignore_unknown: bool,
) -> Result<Answers, Vec<RowError>> {
    let has_unknown = || {
        assessment
            .answers
            .keys()
            .any(|id| ruleset.question_index(id).is_none())
    };
    let converted = if ignore_unknown && has_unknown() {
        let mut known = assessment.clone();
        known
            .answers
            .retain(|id, _| ruleset.question_index(id).is_some());
        ruleset.answers(&known)
    } else {
        ruleset.answers(assessment)
    };
    converted.map_err(|error| error.errors.into_iter().map(RowError::from).collect())
}

fn missing_programme() -> RowError {
    RowError {
        column: Some(PROGRAMME_COLUMN.to_owned()),
        value: Some(String::new()),
        expected: "a programme id".to_owned(),
        message: "the row has answers but no programme id".to_owned(),
    }
}

/// How to read an input file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The workbook sheet to read; the first when `None`.
    pub sheet: Option<String>,
    /// Skip columns that are neither `programme`, a metadata column nor a question id,
    /// instead of refusing the file.
    pub ignore_unknown_columns: bool,
}

/// Records of a stream in flight between its reader thread and the batch: enough for
/// two chunks of the compact outputs, so a fast producer keeps whole chunks ready.
const STREAM_RECORDS_IN_FLIGHT: usize = 1024;

/// A record iterator that can be sent to a reader thread.
type RecordIter = Box<dyn Iterator<Item = Result<Record, ReadError>> + Send>;

/// The records of one input file, in file order. Reading is lazy: memory holds a
/// buffer, not the file.
pub struct Records {
    source: Source,
    single: bool,
}

/// Where records come from.
enum Source {
    /// Read when asked for (a file).
    Lazy(RecordIter),
    /// Read as they come by a thread of their own (a pipe), so that the records already
    /// there can be taken without waiting for more.
    Stream(ReaderThread<Result<Record, ReadError>>),
    /// A CSV file whose rows are split off by the reader and parsed a chunk at a time
    /// on the rayon pool.
    Chunked(Box<DelimitedRows>),
    /// A JSON Lines file, likewise a chunk of lines at a time.
    Lines(Box<LineChunks>),
}

impl std::fmt::Debug for Records {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("single", &self.single)
            .field("stream", &self.is_stream())
            .finish_non_exhaustive()
    }
}

impl Records {
    /// Wraps an iterator of records.
    pub fn new(inner: impl Iterator<Item = Result<Record, ReadError>> + Send + 'static) -> Self {
        Records {
            source: Source::Lazy(Box::new(inner.fuse())),
            single: false,
        }
    }

    /// The rows of a CSV file, read a chunk at a time with [`Records::read_chunk`].
    pub(crate) fn chunked(rows: DelimitedRows) -> Self {
        Records {
            source: Source::Chunked(Box::new(rows)),
            single: false,
        }
    }

    /// Up to `count` records parsed in parallel on the current rayon pool, fewer once
    /// their rows hold [`MAX_CHUNK_BYTES`](super::limits::MAX_CHUNK_BYTES), ended by
    /// the read error that stops the input, if any; empty at the end. `None` when the
    /// input is not read by chunks: then records come one at a time.
    pub(crate) fn read_chunk(&mut self, count: usize) -> Option<Vec<Result<Record, ReadError>>> {
        match &mut self.source {
            Source::Chunked(rows) => Some(rows.read_chunk(count)),
            Source::Lines(lines) => Some(lines.read_chunk(count)),
            Source::Lazy(_) | Source::Stream(_) => None,
        }
    }

    /// The lines of a JSON Lines file, read a chunk at a time with
    /// [`Records::read_chunk`].
    fn lines(lines: LineChunks) -> Self {
        Records {
            source: Source::Lines(Box::new(lines)),
            single: false,
        }
    }

    /// Records that arrive over time (a pipe): a thread reads them as they come, and
    /// [`Records::next_if_ready`] takes those already read without waiting.
    pub fn stream(inner: impl Iterator<Item = Result<Record, ReadError>> + Send + 'static) -> Self {
        let thread = ReaderThread::spawn(STREAM_RECORDS_IN_FLIGHT, move |sender| {
            for record in inner {
                if sender.send(record).is_err() {
                    return;
                }
            }
        });
        Records {
            source: Source::Stream(thread),
            single: false,
        }
    }

    /// Whether the records arrive over time, so that each result should go out as soon
    /// as it is ready rather than when a chunk is full.
    pub fn is_stream(&self) -> bool {
        matches!(self.source, Source::Stream(_))
    }

    /// The next record without waiting for the input: `None` when a stream has not
    /// delivered it yet; otherwise `Some` of what [`Iterator::next`] gives.
    pub fn next_if_ready(&mut self) -> Option<Option<Result<Record, ReadError>>> {
        match &mut self.source {
            Source::Lazy(inner) => Some(inner.next()),
            Source::Stream(thread) => thread.try_next(),
            Source::Chunked(rows) => Some(rows.next()),
            Source::Lines(lines) => Some(lines.next()),
        }
    }

    /// The same records, whose metadata (the name, institution and other columns that
    /// are neither answers nor comments) may be left out, for outputs that do not show
    /// it (compact JSON, the CSV long format): a CSV file's rows then do not build it.
    /// Other inputs keep it, as do records already read.
    pub fn without_metadata(mut self) -> Records {
        if let Source::Chunked(rows) = &mut self.source {
            rows.drop_metadata();
        }
        self
    }

    /// Marks the input as one JSON assessment object (not an array or lines).
    pub(crate) fn single(mut self) -> Self {
        self.single = true;
        self
    }

    /// [`known_comments_only`] for the records of a file.
    fn with_known_comments(self, ruleset: &RuleSet, options: &ReadOptions) -> Records {
        let source = match self.source {
            Source::Lazy(inner) => Source::Lazy(known_comments_only(inner, ruleset, options)),
            other @ (Source::Stream(_) | Source::Chunked(_) | Source::Lines(_)) => other,
        };
        Records {
            source,
            single: self.single,
        }
    }

    /// Whether the input was a single JSON assessment object, so that a JSON output
    /// is one object rather than an array.
    pub fn is_single_assessment(&self) -> bool {
        self.single
    }
}

/// With `--ignore-unknown-columns`, drops each record's comments on questions `ruleset`
/// does not have, as its answers to them are skipped.
fn known_comments_only(
    inner: impl Iterator<Item = Result<Record, ReadError>> + Send + 'static,
    ruleset: &RuleSet,
    options: &ReadOptions,
) -> RecordIter {
    let Some(known) = known_questions(ruleset, options) else {
        return Box::new(inner);
    };
    Box::new(inner.map(move |record| record.map(|record| without_unknown_comments(record, &known))))
}

/// With `--ignore-unknown-columns`, the question ids whose comments a record keeps.
fn known_questions(ruleset: &RuleSet, options: &ReadOptions) -> Option<HashSet<String>> {
    let ids = ruleset.questions().iter().map(|q| q.id.clone());
    options.ignore_unknown_columns.then(|| ids.collect())
}

impl Iterator for Records {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            Source::Lazy(inner) => inner.next(),
            Source::Stream(thread) => thread.next(),
            Source::Chunked(rows) => rows.next(),
            Source::Lines(lines) => lines.next(),
        }
    }
}

/// The input formats, as told by the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma, semicolon or tab separated values.
    Delimited,
    /// An Excel or OpenDocument workbook.
    Workbook,
    /// A JSON assessment, an array of them, or several objects one after another.
    Json,
    /// One JSON assessment per line.
    JsonLines,
}

impl InputFormat {
    /// The format a path's extension names; `-` is JSON Lines on stdin.
    pub fn of_path(path: &Path) -> Option<InputFormat> {
        if path == Path::new("-") {
            return Some(InputFormat::JsonLines);
        }
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" | "tsv" | "txt" => Some(InputFormat::Delimited),
            "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(InputFormat::Workbook),
            "json" => Some(InputFormat::Json),
            "jsonl" | "ndjson" => Some(InputFormat::JsonLines),
            _ => None,
        }
    }
}

/// Opens an input file for `ruleset`, reading the header (if any) at once, so that a
/// wrong header is reported before any programme is advised.
pub fn open(path: &Path, ruleset: &RuleSet, options: &ReadOptions) -> Result<Records, ReadError> {
    let format = InputFormat::of_path(path).ok_or_else(|| ReadError::UnknownFormat {
        path: path.to_owned(),
    })?;
    if let (Some(sheet), false) = (&options.sheet, format == InputFormat::Workbook) {
        return Err(ReadError::SheetOfNonWorkbook {
            path: path.to_owned(),
            sheet: sheet.clone(),
        });
    }
    match format {
        InputFormat::Delimited => delimited::open(path, ruleset, options),
        InputFormat::Workbook => workbook::open(path, ruleset, options),
        InputFormat::Json => json_records::open_json(path, options)
            .map(|records| records.with_known_comments(ruleset, options)),
        InputFormat::JsonLines if path == Path::new("-") => {
            let lines = json_records::lines_from_stdin(options);
            Ok(Records::stream(known_comments_only(
                lines, ruleset, options,
            )))
        }
        InputFormat::JsonLines => json_records::open_lines(path, options).map(|lines| {
            Records::lines(lines.keeping_comments_on(known_questions(ruleset, options)))
        }),
    }
}

/// An I/O error with the file's name.
pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ReadError + '_ {
    move |source| ReadError::Io {
        path: path.to_owned(),
        source,
    }
}
