//! Excel and OpenDocument workbooks through calamine: the first sheet or the one named
//! by `--sheet`, the header on the first non-empty row. An .xlsx is streamed cell by
//! cell on a reader thread, so memory holds a few rows; .xls, .xlsb and .ods sheets are
//! read whole, as calamine offers them.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::sync::Arc;

use calamine::{Data, DataRef, Range, Reader, Sheets, Xlsb, Xlsx};

use super::limits::{MAX_HEADER_BYTES, MAX_ROW_BYTES};
use super::reader_thread::ReaderThread;
use super::records::{ReadError, ReadOptions, Record, Records};
use super::sheet_rows::{check_position, RowBuilder, SheetRow};
use super::table::{CellValue, TableLayout};
use crate::ruleset::RuleSet;

/// Rows in flight between the xlsx reader thread and the consumer.
const ROWS_IN_FLIGHT: usize = 64;

/// What a workbook of this file's kind is called in messages.
fn kind(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("ods") => "OpenDocument spreadsheet",
        _ => "Excel workbook",
    }
}

/// Opens a workbook, picks the sheet and reads the header row. A zipped workbook's
/// sizes are checked first, and an .ods file's repeats, before calamine reads them.
pub(crate) fn open(
    path: &Path,
    ruleset: &RuleSet,
    options: &ReadOptions,
) -> Result<Records, ReadError> {
    let kind = kind(path);
    if is_zipped(path) {
        let archive = super::workbook_zip::check(path, kind)?;
        if kind == "OpenDocument spreadsheet" {
            super::ods_scan::check(path, archive)?;
        }
    }
    let workbook =
        calamine::open_workbook_auto(path).map_err(|error| workbook_error(path, kind, error))?;
    let sheet = choose_sheet(path, &workbook.sheet_names(), options.sheet.as_deref())?;
    let mut rows: Box<dyn Iterator<Item = Result<SheetRow, ReadError>> + Send> = match workbook {
        Sheets::Xlsx(xlsx) => Box::new(stream_rows(path.to_owned(), xlsx, sheet, send_xlsx_rows)),
        Sheets::Xlsb(xlsb) => Box::new(stream_rows(path.to_owned(), xlsb, sheet, send_xlsb_rows)),
        mut other => Box::new(read_whole_sheet(path, &mut other, &sheet)?),
    };
    let (header_row, header) = rows.next().transpose()?.ok_or_else(|| ReadError::Empty {
        path: path.to_owned(),
    })?;
    let header = header.map_err(|error| ReadError::Table {
        path: path.to_owned(),
        row: header_row,
        message: format!("the header row: {}", error.message),
    })?;
    let names: Vec<String> = header.iter().map(header_name).collect();
    let layout = TableLayout::from_header(
        ruleset,
        &names,
        options.ignore_unknown_columns,
        path,
        header_row,
    )?;
    Ok(Records::new(rows.map(move |row| {
        row.map(|(number, cells)| match cells {
            Ok(cells) => Arc::clone(&layout).cell_record(number, cells),
            Err(error) => Record::broken(number, String::new(), vec![error]),
        })
    })))
}

/// Whether the workbook is a zip archive (all but the old .xls).
fn is_zipped(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    !matches!(extension.as_deref(), Some("xls"))
}

fn header_name(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(text) | CellValue::Invalid(text) => text.trim().to_owned(),
        CellValue::Number(number) => number.to_string(),
        CellValue::Bool(flag) => flag.to_string(),
        CellValue::Empty | CellValue::AmbiguousFraction(_) => String::new(),
    }
}

/// A calamine error in words: "`x.xlsx` is not a valid Excel workbook (…)".
fn workbook_error(path: &Path, kind: &str, error: impl std::fmt::Display) -> ReadError {
    super::workbook_zip::not_a_workbook(path, kind, &in_words(&error.to_string()))
}

/// calamine's message without its layers of "Xlsx error: Zip error: ", and without
/// Rust's debug notation, which means nothing to the people reading it.
fn in_words(message: &str) -> String {
    let layers = [
        "I/O error: ",
        "Ods error: ",
        "Xls error: ",
        "Xlsx error: ",
        "Xlsb error: ",
        "Zip error: ",
    ];
    let mut text = message;
    while let Some(rest) = layers.iter().find_map(|layer| text.strip_prefix(layer)) {
        text = rest;
    }
    if text.contains("(\"") || text.contains(" { ") || text.contains("Error") {
        return "its content cannot be read".to_owned();
    }
    let mut characters = text.chars();
    characters.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(characters).collect()
    })
}

/// The sheet asked for, or the first one.
fn choose_sheet(path: &Path, names: &[String], wanted: Option<&str>) -> Result<String, ReadError> {
    let quoted = || {
        names
            .iter()
            .map(|name| super::limits::shown(name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        None => names.first().cloned().ok_or_else(|| ReadError::Workbook {
            path: path.to_owned(),
            message: "has no sheets".to_owned(),
        }),
        Some(wanted) if names.iter().any(|name| name == wanted) => Ok(wanted.to_owned()),
        Some(wanted) => Err(ReadError::NoSuchSheet {
            path: path.to_owned(),
            sheet: wanted.to_owned(),
            suggestion: crate::diagnostic::did_you_mean(wanted, names.iter().map(String::as_str)),
            available: quoted(),
        }),
    }
}

/// The non-empty rows of a sheet of an .xls or .ods workbook, which calamine reads
/// whole; they are converted one at a time, so the sheet is held once.
fn read_whole_sheet(
    path: &Path,
    workbook: &mut Sheets<BufReader<File>>,
    sheet: &str,
) -> Result<WholeSheet, ReadError> {
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|error| workbook_error(path, kind(path), error))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let (last_row, last_column) = range.end().unwrap_or((0, 0));
    check_position(path, sheet, u64::from(last_row) + 1, last_column as usize)?;
    Ok(WholeSheet {
        range,
        next: 0,
        first_row: u64::from(first_row) + 1,
        first_column: first_column as usize,
        sent: false,
    })
}

/// The rows of a sheet read whole, converted as they are asked for.
struct WholeSheet {
    range: Range<Data>,
    /// The next row, counted from the range's first.
    next: usize,
    first_row: u64,
    first_column: usize,
    /// Whether a row (the header) was handed out.
    sent: bool,
}

impl Iterator for WholeSheet {
    type Item = Result<SheetRow, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let cells = self.range.rows().nth(self.next)?;
            let number = self.first_row + self.next as u64;
            self.next += 1;
            let limit = if self.sent {
                MAX_ROW_BYTES
            } else {
                MAX_HEADER_BYTES
            };
            let mut row = RowBuilder::new(number, limit);
            for (offset, cell) in cells.iter().enumerate() {
                if !matches!(cell, Data::Empty) {
                    row.set(self.first_column + offset, unstyled_value(cell));
                }
            }
            if !row.is_blank() {
                self.sent = true;
                return Some(Ok(row.finish()));
            }
        }
    }
}

/// A cell of a workbook that carries no number formats: a number cannot be told from
/// a percentage Excel stores as a fraction.
fn unstyled_value(data: &Data) -> CellValue {
    match data {
        Data::Int(number) => CellValue::Number(*number as f64),
        Data::Float(number) if number.abs() > 0.0 && number.abs() < 1.0 => {
            CellValue::AmbiguousFraction(*number)
        }
        Data::Float(number) => CellValue::Number(*number),
        Data::String(text) => CellValue::Text(text.clone()),
        Data::Bool(flag) => CellValue::Bool(*flag),
        Data::DateTime(date) => CellValue::Invalid(format!("a date ({date})")),
        Data::DateTimeIso(text) | Data::DurationIso(text) => CellValue::Invalid(text.clone()),
        Data::Error(error) => CellValue::Invalid(error.to_string()),
        Data::Empty => CellValue::Empty,
    }
}

/// Streams the rows of a sheet from a reader thread that runs `send` on `workbook`.
fn stream_rows<W: Send + 'static>(
    path: PathBuf,
    workbook: W,
    sheet: String,
    send: fn(&Path, W, &str, &mut RowSink) -> Result<(), ReadError>,
) -> impl Iterator<Item = Result<SheetRow, ReadError>> + Send {
    ReaderThread::spawn(ROWS_IN_FLIGHT, move |sender| {
        let mut sink = RowSink {
            path: path.clone(),
            sheet: sheet.clone(),
            sender,
            current: None,
            sent: false,
            stopped: false,
        };
        let result = send(&path, workbook, &sheet, &mut sink).and_then(|()| sink.flush());
        if let Err(error) = result {
            // The consumer may have stopped already; then nobody needs the error.
            let _ = sink.sender.send(Err(error));
        }
    })
}

/// Gathers a sheet's cells, in row order, into rows for the consumer.
struct RowSink {
    path: PathBuf,
    sheet: String,
    sender: SyncSender<Result<SheetRow, ReadError>>,
    current: Option<RowBuilder>,
    /// Whether a row (the header) was sent.
    sent: bool,
    /// Whether the consumer stopped reading.
    stopped: bool,
}

impl RowSink {
    /// Adds a cell at a 0-based row and column; `Ok(false)` once the consumer stopped.
    fn add(&mut self, row: u32, column: u32, value: CellValue) -> Result<bool, ReadError> {
        let (row, column) = (u64::from(row) + 1, column as usize);
        check_position(&self.path, &self.sheet, row, column)?;
        if self
            .current
            .as_ref()
            .is_some_and(|current| current.number() != row)
        {
            self.flush()?;
        }
        let limit = if self.sent {
            MAX_ROW_BYTES
        } else {
            MAX_HEADER_BYTES
        };
        self.current
            .get_or_insert_with(|| RowBuilder::new(row, limit))
            .set(column, value);
        Ok(!self.stopped)
    }

    /// Sends the row being gathered, unless it is blank.
    fn flush(&mut self) -> Result<(), ReadError> {
        if let Some(done) = self.current.take().filter(|row| !row.is_blank()) {
            self.sent = true;
            self.stopped |= self.sender.send(Ok(done.finish())).is_err();
        }
        Ok(())
    }
}

fn send_xlsx_rows(
    path: &Path,
    mut xlsx: Xlsx<BufReader<File>>,
    sheet: &str,
    sink: &mut RowSink,
) -> Result<(), ReadError> {
    let error = |error| workbook_error(path, "Excel workbook", error);
    let mut cells = xlsx.worksheet_cells_reader(sheet).map_err(error)?;
    while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(error)? {
        let (row, column) = cell.get_position();
        let percent = cells
            .styles()
            .get(style)
            .and_then(|style| style.number_format.as_ref())
            .is_some_and(|format| is_percent_format(&format.format_code));
        if !sink.add(row, column, styled_value(cell.get_value(), percent))? {
            return Ok(());
        }
    }
    Ok(())
}

fn send_xlsb_rows(
    path: &Path,
    mut xlsb: Xlsb<BufReader<File>>,
    sheet: &str,
    sink: &mut RowSink,
) -> Result<(), ReadError> {
    let error = |error| workbook_error(path, "Excel workbook", error);
    let mut cells = xlsb.worksheet_cells_reader(sheet).map_err(error)?;
    while let Some(cell) = cells.next_cell().map_err(error)? {
        let (row, column) = cell.get_position();
        if !sink.add(row, column, unstyled_ref(cell.get_value()))? {
            return Ok(());
        }
    }
    Ok(())
}

/// An .xlsb cell: like [`unstyled_value`], as .xlsb keeps no number formats here.
fn unstyled_ref(data: &DataRef<'_>) -> CellValue {
    match data {
        DataRef::Float(number) if number.abs() > 0.0 && number.abs() < 1.0 => {
            CellValue::AmbiguousFraction(*number)
        }
        other => styled_value(other, false),
    }
}

/// An .xlsx cell; a percent-formatted number becomes the text Excel shows ("12%").
fn styled_value(data: &DataRef<'_>, percent: bool) -> CellValue {
    let number = |value: f64| {
        if percent {
            CellValue::Text(format!("{}%", shown_percentage(value)))
        } else {
            CellValue::Number(value)
        }
    };
    match data {
        DataRef::Int(value) => number(*value as f64),
        DataRef::Float(value) => number(*value),
        DataRef::String(text) => CellValue::Text(text.clone()),
        DataRef::SharedString(text) => CellValue::Text((*text).to_owned()),
        DataRef::Bool(flag) => CellValue::Bool(*flag),
        DataRef::DateTime(date) => CellValue::Invalid(format!("a date ({date})")),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => CellValue::Invalid(text.clone()),
        DataRef::Error(error) => CellValue::Invalid(error.to_string()),
        DataRef::Empty => CellValue::Empty,
    }
}

/// A stored fraction as the percentage Excel shows, without binary noise
/// (0.07 × 100 is 7.000000000000001).
fn shown_percentage(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e9).round() / 1e9
}

/// Whether an Excel number format scales by 100: a `%` outside quotes and escapes.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for character in code.chars() {
        match character {
            _ if escaped => escaped = false,
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_are_recognised() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0\" %\""));
        assert!(!is_percent_format("0\\%"));
    }

    #[test]
    fn percentages_are_shown_as_excel_shows_them() {
        assert_eq!(shown_percentage(0.07), 7.0);
        assert_eq!(shown_percentage(0.125), 12.5);
        assert_eq!(
            styled_value(&DataRef::Float(0.35), true),
            CellValue::Text("35%".to_owned())
        );
        assert_eq!(
            styled_value(&DataRef::Int(3), false),
            CellValue::Number(3.0)
        );
    }

    #[test]
    fn fractions_of_unstyled_workbooks_are_marked_ambiguous() {
        assert_eq!(
            unstyled_value(&Data::Float(0.12)),
            CellValue::AmbiguousFraction(0.12)
        );
        assert_eq!(unstyled_value(&Data::Float(12.0)), CellValue::Number(12.0));
        assert_eq!(unstyled_value(&Data::Float(0.0)), CellValue::Number(0.0));
    }
}
