//! The layout shared by CSV files and workbooks: a header row of column ids (the
//! programme, metadata columns, question ids) resolved once against the rule set, and
//! the conversion of each data row into a [`Record`] and its answers.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::assessment::comment_text;
use super::known_forms::KnownForms;
use super::limits::{clipped, shown, MAX_COLUMNS, MAX_HEADER_PROBLEMS};
use super::raw_rows::TextRow;
use super::records::{Content, ReadError, Record, RowError, PROGRAMME_COLUMN};
use super::value::{parse_answer, RawAnswer};
use super::{comment_column, COMMENT_SUFFIX, METADATA_COLUMNS};
use crate::eval::Answers;
use crate::ruleset::{QuestionIndex, QuestionKind, RuleSet};

/// One workbook cell, owned, as the answer parser takes it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    not(feature = "spreadsheets"),
    expect(dead_code, reason = "workbook cells; this build reads no workbooks")
)]
pub(crate) enum CellValue {
    /// No value.
    Empty,
    /// Text, or a number shown as text (a percent-formatted cell becomes "12%").
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A value that is never an answer (a date, an Excel error such as `#N/A`), as shown.
    Invalid(String),
    /// A number between 0 and 1 from a workbook format that keeps no number formats
    /// (.xls, .xlsb, .ods): it may be a percentage Excel stores as a fraction (12% as
    /// 0.12), so a percent question refuses it rather than guess.
    AmbiguousFraction(f64),
}

impl CellValue {
    /// Whether the cell holds nothing (whitespace counts as nothing).
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, for ids and metadata; numbers without a needless ".0".
    fn to_text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(text) | CellValue::Invalid(text) => text.trim().to_owned(),
            CellValue::Number(number) | CellValue::AmbiguousFraction(number) => number.to_string(),
            CellValue::Bool(flag) => flag.to_string(),
        }
    }

    /// The cell as a JSON metadata value; `None` when empty.
    #[cfg_attr(
        not(feature = "spreadsheets"),
        expect(dead_code, reason = "workbook cells; this build reads no workbooks")
    )]
    fn to_meta(&self) -> Option<serde_json::Value> {
        match self {
            CellValue::Number(number) | CellValue::AmbiguousFraction(number) => {
                Some(serde_json::json!(number))
            }
            CellValue::Bool(flag) => Some(serde_json::Value::Bool(*flag)),
            other if other.is_empty() => None,
            other => Some(serde_json::Value::String(other.to_text())),
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Programme,
    Meta(String),
    Question(QuestionIndex),
    /// The `<question id>#toelichting` column of a question: free text.
    Comment(String),
    /// A column the rules do not know, skipped on request.
    Skipped,
    /// A column without a header; any value under it is an error of that row.
    Unnamed,
}

/// The header of a table, resolved against a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableLayout {
    columns: Vec<Column>,
    /// Per column, the texts its cells are most often filled with and their values
    /// (none for a column that is no question's).
    known: Vec<KnownForms>,
    programme: usize,
    /// The metadata columns: position and key.
    meta: Vec<(usize, String)>,
    /// The comment columns: position and question id.
    comments: Vec<(usize, String)>,
}

impl TableLayout {
    /// Resolves a header row; every problem is reported at once.
    pub(crate) fn from_header(
        ruleset: &RuleSet,
        header: &[String],
        ignore_unknown: bool,
        path: &Path,
        row: u64,
    ) -> Result<Arc<TableLayout>, ReadError> {
        if header.len() > MAX_COLUMNS {
            return Err(ReadError::Header {
                path: path.to_owned(),
                row,
                problems: vec![too_many_columns(header.len())],
            });
        }
        let mut problems = Problems::default();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut columns = Vec::with_capacity(header.len());
        for (position, name) in header.iter().enumerate() {
            let name = name.trim();
            if let Some(first) = seen.insert(name, position).filter(|_| !name.is_empty()) {
                problems.add(|| {
                    format!(
                        "column {} appears twice, in columns {} and {}",
                        shown(name),
                        column_label(first),
                        column_label(position)
                    )
                });
            }
            columns.push(resolve(
                ruleset,
                name,
                position,
                ignore_unknown,
                &mut problems,
            ));
        }
        let programme = columns.iter().position(|c| *c == Column::Programme);
        if programme.is_none() {
            let names = header.iter().map(|name| name.trim());
            let suggestion = closest_header(names);
            problems
                .listed
                .insert(0, format!("no `{PROGRAMME_COLUMN}` column{suggestion}"));
        }
        let problems = problems.into_lines();
        match (programme, problems.is_empty()) {
            (Some(programme), true) => {
                let positions = |pick: fn(&Column) -> Option<&String>| {
                    let named = columns.iter().enumerate();
                    named
                        .filter_map(|(position, column)| Some((position, pick(column)?.clone())))
                        .collect()
                };
                let meta = positions(|column| match column {
                    Column::Meta(key) => Some(key),
                    _ => None,
                });
                let comments = positions(|column| match column {
                    Column::Comment(id) => Some(id),
                    _ => None,
                });
                let known = columns
                    .iter()
                    .map(|column| match column {
                        Column::Question(question) => KnownForms::of(ruleset, *question),
                        _ => KnownForms::default(),
                    })
                    .collect();
                Ok(Arc::new(TableLayout {
                    columns,
                    known,
                    programme,
                    meta,
                    comments,
                }))
            }
            _ => Err(ReadError::Header {
                path: path.to_owned(),
                row,
                problems,
            }),
        }
    }

    /// The position of the `programme` column.
    pub(crate) fn programme_position(&self) -> usize {
        self.programme
    }

    /// The number of header columns.
    pub(crate) fn width(&self) -> usize {
        self.columns.len()
    }

    /// A record of a CSV data row.
    pub(crate) fn text_record(self: &Arc<Self>, row: u64, fields: TextRow) -> Record {
        // Past the header's last column, if the row goes on (skipping a record's fields
        // walks them one by one, so a row of the header's width skips nothing).
        let past_header = (self.width()..fields.len())
            .filter_map(|position| fields.get(position))
            .map(|field| field.trim().is_empty());
        // A field can only hold a line break if a quote opened it; in a short row that is
        // most likely a quote never closed, which took in the lines after it.
        let line_break_at = (fields.len() < self.width())
            .then(|| (0..fields.len()).find(|&at| fields.get(at).is_some_and(|f| f.contains('\n'))))
            .flatten();
        if let Some(error) = self.width_error(fields.len(), past_header, line_break_at) {
            let programme = fields.get(self.programme).unwrap_or("").trim().to_owned();
            return Record::broken(row, programme, vec![error]);
        }
        let programme = fields.get(self.programme).unwrap_or("").trim().to_owned();
        let meta = self.meta(|position| {
            let field = fields.get(position)?.trim();
            (!field.is_empty()).then(|| serde_json::Value::String(field.to_owned()))
        });
        let comments = self.comments(|position| comment_text(fields.get(position)?));
        Record {
            row,
            programme,
            meta,
            comments,
            content: Content::Text {
                layout: Arc::clone(self),
                fields,
            },
        }
    }

    /// A record of a workbook data row.
    #[cfg(feature = "spreadsheets")]
    pub(crate) fn cell_record(self: &Arc<Self>, row: u64, mut cells: Vec<CellValue>) -> Record {
        let past_header = cells.iter().skip(self.width()).map(CellValue::is_empty);
        // A workbook row ends at its last value, so a short row is only empty cells.
        if let Some(error) = self.width_error(cells.len().max(self.width()), past_header, None) {
            let programme = cells.get(self.programme).map(CellValue::to_text);
            return Record::broken(row, programme.unwrap_or_default(), vec![error]);
        }
        cells.resize(self.width(), CellValue::Empty);
        let programme = cells
            .get(self.programme)
            .map(CellValue::to_text)
            .unwrap_or_default();
        let meta = self.meta(|position| cells.get(position)?.to_meta());
        let comments = self.comments(|position| comment_text(&cells.get(position)?.to_text()));
        Record {
            row,
            programme,
            meta,
            comments,
            content: Content::Cells {
                layout: Arc::clone(self),
                cells,
            },
        }
    }

    /// The metadata of a row; `value` gives the value at a column position, `None`
    /// when empty.
    /// Leaves the metadata out of the records this layout makes, for outputs that do
    /// not show it: building it costs a map and two strings per column and row.
    pub(crate) fn drop_metadata(&mut self) {
        self.meta.clear();
    }

    fn meta(
        &self,
        value: impl Fn(usize) -> Option<serde_json::Value>,
    ) -> BTreeMap<String, serde_json::Value> {
        self.meta
            .iter()
            .filter_map(|(position, key)| Some((key.clone(), value(*position)?)))
            .collect()
    }

    /// The comments of a row, by question id; `text` gives the comment at a column
    /// position, `None` when empty.
    fn comments(&self, text: impl Fn(usize) -> Option<String>) -> BTreeMap<String, String> {
        self.comments
            .iter()
            .filter_map(|(position, id)| Some((id.clone(), text(*position)?)))
            .collect()
    }

    /// The error of a row with fewer fields than the header, or with values past it.
    /// `past_header` tells, per field past the header's last column, whether it is
    /// empty; `line_break_at` is the first field holding a line break, if any.
    fn width_error(
        &self,
        count: usize,
        past_header: impl Iterator<Item = bool>,
        line_break_at: Option<usize>,
    ) -> Option<RowError> {
        let width = self.width();
        if let Some(offset) = past_header.into_iter().position(|is_empty| !is_empty) {
            return Some(RowError::row(
                format!("at most {width} fields, one per header column"),
                format!(
                    "the row has a value in column {}, past the last header column; an unquoted decimal comma (12,5) in a comma-separated file splits one value in two",
                    column_label(width + offset)
                ),
            ));
        }
        (count < width).then(|| {
            RowError::row(
                format!("{width} fields, one per header column"),
                match line_break_at {
                    Some(at) => format!(
                        "the row has {count} fields but the header has {width}; the cell in column {} holds a line break: a quote opened there and not closed takes in the lines after it",
                        column_label(at)
                    ),
                    None => format!("the row has {count} fields but the header has {width}; a line break inside an unquoted cell splits a row in two"),
                },
            )
        })
    }

    /// The answers of a CSV data row.
    pub(crate) fn text_answers(
        &self,
        ruleset: &RuleSet,
        fields: &TextRow,
    ) -> Result<Answers, Vec<RowError>> {
        self.answers(
            ruleset,
            fields.iter().map(|field| Cell::Raw(RawAnswer::Text(field))),
        )
    }

    /// The answers of a workbook data row.
    pub(crate) fn cell_answers(
        &self,
        ruleset: &RuleSet,
        cells: &[CellValue],
    ) -> Result<Answers, Vec<RowError>> {
        self.answers(ruleset, cells.iter().map(raw_cell))
    }

    /// Checks each cell against its column.
    fn answers<'a>(
        &self,
        ruleset: &RuleSet,
        cells: impl Iterator<Item = Cell<'a>>,
    ) -> Result<Answers, Vec<RowError>> {
        let mut answers = Answers::unanswered(ruleset);
        let mut errors = Vec::new();
        let known = self.columns.iter().zip(&self.known);
        for (position, ((column, known), cell)) in known.zip(cells).enumerate() {
            match column {
                Column::Question(question) => match known_answer(known, cell)
                    .map_or_else(|| question_answer(ruleset, *question, cell), Ok)
                {
                    Ok(value) => answers.set(*question, value),
                    Err(error) => errors.push(error),
                },
                Column::Unnamed => errors.extend(unnamed_value(position, cell)),
                Column::Programme | Column::Meta(_) | Column::Comment(_) | Column::Skipped => {}
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(errors)
        }
    }
}

fn resolve(
    ruleset: &RuleSet,
    name: &str,
    position: usize,
    ignore_unknown: bool,
    problems: &mut Problems,
) -> Column {
    if name.is_empty() {
        return Column::Unnamed;
    }
    if name == PROGRAMME_COLUMN {
        return Column::Programme;
    }
    if let Some(question) = ruleset.question_index(name) {
        return Column::Question(question);
    }
    if METADATA_COLUMNS.contains(&name) {
        return Column::Meta(name.to_owned());
    }
    let commented = name.strip_suffix(COMMENT_SUFFIX);
    if let Some(question) = commented.and_then(|id| ruleset.question(ruleset.question_index(id)?)) {
        return Column::Comment(question.id.clone());
    }
    if !ignore_unknown {
        problems.add(|| unknown_column(ruleset, name, commented, position));
    }
    Column::Skipped
}

/// The problem of a header naming neither a known column nor a question; a comment
/// column is told apart, since the question before `#toelichting` is what is unknown.
fn unknown_column(
    ruleset: &RuleSet,
    name: &str,
    commented: Option<&str>,
    position: usize,
) -> String {
    let ids = ruleset.questions().iter().map(|q| q.id.as_str());
    let comment_columns: Vec<String> = ids.clone().map(comment_column).collect();
    let known = std::iter::once(PROGRAMME_COLUMN)
        .chain(METADATA_COLUMNS)
        .chain(ids)
        .chain(comment_columns.iter().map(String::as_str));
    let suggestion = crate::diagnostic::did_you_mean(name, known);
    let column = column_label(position);
    let name = shown(name);
    match commented {
        Some(id) => format!(
            "unknown column {name} in column {column}: a comment on {}, which is not a question of this rule set{suggestion}",
            shown(id)
        ),
        None => format!("unknown column {name} in column {column}{suggestion}"),
    }
}

/// The problems of a header: the first [`MAX_HEADER_PROBLEMS`] in words, the rest
/// counted, so a header of thousands of unknown columns neither takes long (each
/// suggestion is an edit-distance search) nor makes a message of megabytes.
#[derive(Debug, Default)]
struct Problems {
    listed: Vec<String>,
    more: usize,
}

impl Problems {
    /// Adds a problem, described only while fewer than the limit are listed.
    fn add(&mut self, describe: impl FnOnce() -> String) {
        if self.listed.len() < MAX_HEADER_PROBLEMS {
            self.listed.push(describe());
        } else {
            self.more += 1;
        }
    }

    /// The problems as lines; a last line counts those not listed.
    fn into_lines(self) -> Vec<String> {
        let mut lines = self.listed;
        match self.more {
            0 => {}
            1 => lines.push("and 1 more problem".to_owned()),
            more => lines.push(format!("and {more} more problems")),
        }
        lines
    }
}

/// The problem of a header wider than [`MAX_COLUMNS`].
pub(crate) fn too_many_columns(count: usize) -> String {
    format!("the header has {count} columns; at most {MAX_COLUMNS} are read (check for a stray value far to the right)")
}

fn closest_header<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let lowercase: Vec<String> = names.map(str::to_lowercase).collect();
    match lowercase.iter().position(|name| name == PROGRAMME_COLUMN) {
        Some(_) => {
            format!("; the header spells it differently, write `{PROGRAMME_COLUMN}` in lowercase")
        }
        None => {
            crate::diagnostic::did_you_mean(PROGRAMME_COLUMN, lowercase.iter().map(String::as_str))
        }
    }
}

/// A cell on its way to the answer parser.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    /// A value the parser judges.
    Raw(RawAnswer<'a>),
    /// A value that is never an answer, as shown.
    Invalid(&'a str),
    /// A number that may be a percentage stored as a fraction.
    AmbiguousFraction(f64),
}

fn raw_cell(cell: &CellValue) -> Cell<'_> {
    match cell {
        CellValue::Empty => Cell::Raw(RawAnswer::Empty),
        CellValue::Text(text) => Cell::Raw(RawAnswer::Text(text)),
        CellValue::Number(number) => Cell::Raw(RawAnswer::Number(*number)),
        CellValue::Bool(flag) => Cell::Raw(RawAnswer::Bool(*flag)),
        CellValue::Invalid(shown) => Cell::Invalid(shown),
        CellValue::AmbiguousFraction(number) => Cell::AmbiguousFraction(*number),
    }
}

/// The answer of a cell that holds one of its column's known texts byte for byte.
fn known_answer(known: &KnownForms, cell: Cell<'_>) -> Option<f64> {
    match cell {
        Cell::Raw(RawAnswer::Text(text)) => known.value(text),
        _ => None,
    }
}

/// The answer of one cell to its question.
fn question_answer(
    ruleset: &RuleSet,
    question: QuestionIndex,
    cell: Cell<'_>,
) -> Result<f64, RowError> {
    let Some(decl) = ruleset.question(question) else {
        return Ok(f64::NAN);
    };
    let refuse = |as_shown: String, why: &str| {
        let expected = ruleset.expected_answer(&decl.kind);
        RowError {
            message: format!("question `{}` takes {expected}; {why}", decl.id),
            column: Some(decl.id.clone()),
            value: Some(clipped(&as_shown)),
            expected,
        }
    };
    match cell {
        Cell::Raw(raw) => parse_answer(ruleset, question, raw).map_err(RowError::from),
        Cell::Invalid(as_shown) => Err(refuse(as_shown.to_owned(), &format!("the cell holds {}, which is no answer", clipped(as_shown)))),
        Cell::AmbiguousFraction(number) if decl.kind == QuestionKind::Percent => Err(refuse(
            number.to_string(),
            &format!("{number} may be a percentage that the workbook stores as a fraction ({}%); write the percentage as a number such as 12, or save the workbook as .xlsx, which keeps number formats", (number * 100.0 * 1e9).round() / 1e9),
        )),
        Cell::AmbiguousFraction(number) => {
            parse_answer(ruleset, question, RawAnswer::Number(number)).map_err(RowError::from)
        }
    }
}

fn unnamed_value(position: usize, cell: Cell<'_>) -> Option<RowError> {
    let value = match cell {
        Cell::Raw(RawAnswer::Text(text)) if text.trim().is_empty() => return None,
        Cell::Raw(RawAnswer::Empty) => return None,
        Cell::Raw(RawAnswer::Text(text)) | Cell::Invalid(text) => (*text).to_owned(),
        Cell::Raw(RawAnswer::Number(number)) | Cell::AmbiguousFraction(number) => {
            number.to_string()
        }
        Cell::Raw(RawAnswer::Bool(flag)) => flag.to_string(),
    };
    Some(RowError {
        column: Some(format!("column {}", column_label(position))),
        message: format!(
            "column {} has no header, so its value {} belongs to no question",
            column_label(position),
            shown(&value)
        ),
        value: Some(clipped(&value)),
        expected: "an empty cell, or a header naming the column".to_owned(),
    })
}

/// A 0-based column position as people see it: "12 (L)".
pub(crate) fn column_label(position: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = position + 1;
    while rest > 0 {
        let digit = u8::try_from((rest - 1) % 26).unwrap_or(0);
        letters.push(char::from(b'A' + digit));
        rest = (rest - 1) / 26;
    }
    let letters: String = letters.iter().rev().collect();
    format!("{} ({letters})", position + 1)
}

#[cfg(test)]
mod tests {
    use super::column_label;

    #[test]
    fn column_labels_count_like_a_spreadsheet() {
        assert_eq!(column_label(0), "1 (A)");
        assert_eq!(column_label(25), "26 (Z)");
        assert_eq!(column_label(26), "27 (AA)");
        assert_eq!(column_label(701), "702 (ZZ)");
        assert_eq!(column_label(702), "703 (AAA)");
    }
}
