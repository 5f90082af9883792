//! Excel and OpenDocument workbooks through calamine: the first sheet or the one named
//! by `--sheet`, the header on the first non-empty row. An .xlsx is streamed cell by
//! cell on a reader thread, so memory holds a few rows; .xls, .xlsb and .ods sheets are
//! read whole, as calamine offers them.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use calamine::{Data, DataRef, Reader, Sheets, Xlsx};

use super::records::{ReadError, ReadOptions, Records};
use super::table::{CellValue, TableLayout};
use crate::ruleset::RuleSet;

/// Rows in flight between the xlsx reader thread and the consumer.
const ROWS_IN_FLIGHT: usize = 256;

/// One sheet row: its spreadsheet row number and one value per column from A.
type SheetRow = (u64, Vec<CellValue>);

/// Opens a workbook, picks the sheet and reads the header row.
pub(crate) fn open(
    path: &Path,
    ruleset: &RuleSet,
    options: &ReadOptions,
) -> Result<Records, ReadError> {
    let workbook =
        calamine::open_workbook_auto(path).map_err(|error| workbook_error(path, error))?;
    let sheet = choose_sheet(path, &workbook.sheet_names(), options.sheet.as_deref())?;
    let mut rows: Box<dyn Iterator<Item = Result<SheetRow, ReadError>> + Send> = match workbook {
        Sheets::Xlsx(xlsx) => Box::new(stream_xlsx(path.to_owned(), xlsx, sheet)),
        mut other => Box::new(
            read_whole_sheet(path, &mut other, &sheet)?
                .into_iter()
                .map(Ok),
        ),
    };
    let (header_row, header) = rows.next().transpose()?.ok_or_else(|| ReadError::Empty {
        path: path.to_owned(),
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
        row.map(|(number, cells)| Arc::clone(&layout).cell_record(number, cells))
    })))
}

fn header_name(cell: &CellValue) -> String {
    match cell {
        CellValue::Text(text) | CellValue::Invalid(text) => text.trim().to_owned(),
        CellValue::Number(number) => number.to_string(),
        CellValue::Bool(flag) => flag.to_string(),
        CellValue::Empty | CellValue::AmbiguousFraction(_) => String::new(),
    }
}

fn workbook_error(path: &Path, error: impl std::fmt::Display) -> ReadError {
    ReadError::Workbook {
        path: path.to_owned(),
        message: error.to_string(),
    }
}

/// The sheet asked for, or the first one.
fn choose_sheet(path: &Path, names: &[String], wanted: Option<&str>) -> Result<String, ReadError> {
    let quoted = || {
        names
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match wanted {
        None => names.first().cloned().ok_or_else(|| ReadError::Workbook {
            path: path.to_owned(),
            message: "the workbook has no sheets".to_owned(),
        }),
        Some(wanted) if names.iter().any(|name| name == wanted) => Ok(wanted.to_owned()),
        Some(wanted) => Err(ReadError::NoSuchSheet {
            path: path.to_owned(),
            sheet: wanted.to_owned(),
            suggestion: super::did_you_mean(wanted, names.iter().map(String::as_str)),
            available: quoted(),
        }),
    }
}

/// Every non-empty row of a sheet of an .xls, .xlsb or .ods workbook.
fn read_whole_sheet(
    path: &Path,
    workbook: &mut Sheets<BufReader<File>>,
    sheet: &str,
) -> Result<Vec<SheetRow>, ReadError> {
    let range = workbook
        .worksheet_range(sheet)
        .map_err(|error| workbook_error(path, error))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .zip(u64::from(first_row) + 1..)
        .filter_map(|(cells, row)| {
            let padding = std::iter::repeat_n(CellValue::Empty, first_column as usize);
            let cells: Vec<CellValue> = padding.chain(cells.iter().map(unstyled_value)).collect();
            (!cells.iter().all(CellValue::is_empty)).then_some((row, cells))
        });
    Ok(rows.collect())
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

/// Streams the rows of an .xlsx sheet from a reader thread.
fn stream_xlsx(
    path: PathBuf,
    xlsx: Xlsx<BufReader<File>>,
    sheet: String,
) -> impl Iterator<Item = Result<SheetRow, ReadError>> + Send {
    let (sender, receiver): (SyncSender<_>, Receiver<_>) = sync_channel(ROWS_IN_FLIGHT);
    std::thread::spawn(move || {
        if let Err(error) = send_xlsx_rows(&path, xlsx, &sheet, &sender) {
            // The consumer may have stopped already; then nobody needs the error.
            let _ = sender.send(Err(error));
        }
    });
    receiver.into_iter()
}

fn send_xlsx_rows(
    path: &Path,
    mut xlsx: Xlsx<BufReader<File>>,
    sheet: &str,
    sender: &SyncSender<Result<SheetRow, ReadError>>,
) -> Result<(), ReadError> {
    let mut cells = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|error| workbook_error(path, error))?;
    let mut current: Option<SheetRow> = None;
    while let Some((cell, style)) = cells
        .next_cell_with_style_id()
        .map_err(|error| workbook_error(path, error))?
    {
        let (row, column) = cell.get_position();
        let percent = cells
            .styles()
            .get(style)
            .and_then(|style| style.number_format.as_ref())
            .is_some_and(|format| is_percent_format(&format.format_code));
        let value = styled_value(cell.get_value(), percent);
        let row = u64::from(row) + 1;
        if current.as_ref().is_some_and(|(number, _)| *number != row) {
            if let Some(done) = current.take().filter(|(_, cells)| !all_empty(cells)) {
                if sender.send(Ok(done)).is_err() {
                    return Ok(());
                }
            }
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        let column = column as usize;
        if values.len() <= column {
            values.resize(column + 1, CellValue::Empty);
        }
        if let Some(slot) = values.get_mut(column) {
            *slot = value;
        }
    }
    if let Some(done) = current.filter(|(_, cells)| !all_empty(cells)) {
        let _ = sender.send(Ok(done));
    }
    Ok(())
}

fn all_empty(cells: &[CellValue]) -> bool {
    cells.iter().all(CellValue::is_empty)
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
