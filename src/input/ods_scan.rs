//! A scan of an .ods file's `content.xml` before calamine reads it: calamine spells out
//! every `table:number-columns-repeated` and `table:number-rows-repeated` and every
//! `<text:s text:c="…"/>` in memory, so an 845-byte file can ask for gigabytes. The scan
//! streams the XML once and counts what calamine would build, every table together.
//!
//! A cell counts as used when it carries a value or formula attribute, as calamine
//! reads it; the count over-estimates rather than under-estimates.

use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::limits::{
    size, MAX_CELL_BYTES, MAX_COLUMNS, MAX_SHEET_CELLS, MAX_SHEET_ROWS, MAX_SHEET_TEXT_BYTES,
};
use super::records::ReadError;
use super::sheet_rows::{cell_name, outside_sheet};
use super::workbook_zip::{not_a_workbook, Archive};

/// The attributes that give a cell a value in calamine's reading.
const VALUE_ATTRIBUTES: [&str; 8] = [
    "office:value-type",
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "calcext:value-type",
    "table:formula",
];

/// Checks `content.xml` of an .ods archive against the sheet limits.
pub(crate) fn check(path: &Path, mut archive: Archive) -> Result<(), ReadError> {
    let content = match archive.by_name("content.xml") {
        Ok(content) => content,
        // calamine says what is missing.
        Err(zip::result::ZipError::FileNotFound) => return Ok(()),
        Err(error) => {
            let why = format!("its content cannot be inflated: {error}");
            return Err(not_a_workbook(path, "OpenDocument spreadsheet", &why));
        }
    };
    scan(path, content)
}

/// Streams the XML and stops at the first limit broken.
fn scan(path: &Path, content: impl Read) -> Result<(), ReadError> {
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    reader.config_mut().check_end_names = false;
    let mut counts = Counts::new(path);
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        // An XML error is calamine's to report; the scan only guards what it reads.
        let Ok(event) = reader.read_event_into(&mut buffer) else {
            return Ok(());
        };
        match event {
            Event::Start(element) => counts.start(&element, false)?,
            Event::Empty(element) => counts.start(&element, true)?,
            Event::End(element) => counts.end(element.name())?,
            Event::Text(text) if counts.in_cell => counts.cell_text += text.len() as u64,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// What calamine would hold, counted as the XML streams by.
struct Counts<'a> {
    path: &'a Path,
    sheet: String,
    /// Rows of the current table so far, repeats spelled out.
    rows: u64,
    /// The first and last used row of the current table, and its widest used row.
    used_rows: Option<(u64, u64)>,
    width: u64,
    /// The current row: its repeats, the column after its cells so far and after its
    /// last used cell, and its text.
    row_repeats: u64,
    column: u64,
    row_width: u64,
    row_text: u64,
    /// The current cell.
    in_cell: bool,
    cell_repeats: u64,
    cell_used: bool,
    cell_text: u64,
    /// Over every table: cells of the used rectangles and text with repeats.
    cells: u64,
    text: u64,
}

impl<'a> Counts<'a> {
    fn new(path: &'a Path) -> Self {
        Counts {
            path,
            sheet: String::new(),
            rows: 0,
            used_rows: None,
            width: 0,
            row_repeats: 1,
            column: 0,
            row_width: 0,
            row_text: 0,
            in_cell: false,
            cell_repeats: 1,
            cell_used: false,
            cell_text: 0,
            cells: 0,
            text: 0,
        }
    }

    fn start(&mut self, element: &BytesStart<'_>, empty: bool) -> Result<(), ReadError> {
        match element.name() {
            QName("table:table") => self.table(element),
            QName("table:table-row") => {
                self.row_repeats = repeats(element, "table:number-rows-repeated");
                (self.column, self.row_width, self.row_text) = (0, 0, 0);
                if empty {
                    self.end_row()?;
                }
            }
            QName("table:table-cell") | QName("table:covered-table-cell") => {
                self.in_cell = true;
                self.cell_repeats = repeats(element, "table:number-columns-repeated");
                self.cell_used = VALUE_ATTRIBUTES
                    .iter()
                    .any(|name| attribute(element, name).is_some());
                self.cell_text =
                    attribute(element, "office:string-value").map_or(0, |value| value.len() as u64);
                if empty {
                    self.end_cell()?;
                }
            }
            QName("text:s") if self.in_cell => {
                self.cell_text = self.cell_text.saturating_add(repeats(element, "text:c"));
                self.check_cell_text()?;
            }
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, name: QName<'_>) -> Result<(), ReadError> {
        match name {
            QName("table:table-cell") | QName("table:covered-table-cell") => self.end_cell(),
            QName("table:table-row") => self.end_row(),
            QName("table:table") => self.end_table(),
            _ => Ok(()),
        }
    }

    fn table(&mut self, element: &BytesStart<'_>) {
        self.sheet = attribute(element, "table:name").unwrap_or_default();
        (self.rows, self.used_rows, self.width) = (0, None, 0);
    }

    fn end_cell(&mut self) -> Result<(), ReadError> {
        self.in_cell = false;
        self.check_cell_text()?;
        self.column = self.column.saturating_add(self.cell_repeats);
        if self.cell_used {
            self.row_width = self.column;
            let text = self.cell_text.saturating_mul(self.cell_repeats);
            self.row_text = self.row_text.saturating_add(text);
            if self.row_width > MAX_COLUMNS as u64 {
                return Err(self.outside(self.rows + 1, MAX_COLUMNS));
            }
        }
        Ok(())
    }

    fn check_cell_text(&self) -> Result<(), ReadError> {
        if self.cell_text <= MAX_CELL_BYTES as u64 {
            return Ok(());
        }
        let cell = cell_name(
            self.rows + 1,
            usize::try_from(self.column).unwrap_or(usize::MAX),
        );
        Err(self.too_much(format!(
            "cell {cell} holds {} of text, more than the {} a cell may have",
            size(self.cell_text),
            size(MAX_CELL_BYTES as u64)
        )))
    }

    fn end_row(&mut self) -> Result<(), ReadError> {
        let first = self.rows;
        self.rows = self.rows.saturating_add(self.row_repeats);
        if self.row_width == 0 {
            return Ok(());
        }
        if self.rows > MAX_SHEET_ROWS {
            return Err(self.outside(MAX_SHEET_ROWS + 1, 0));
        }
        let start = self.used_rows.map_or(first, |(start, _)| start);
        self.used_rows = Some((start, self.rows));
        self.width = self.width.max(self.row_width);
        self.text = self
            .text
            .saturating_add(self.row_text.saturating_mul(self.row_repeats));
        if self.text > MAX_SHEET_TEXT_BYTES {
            return Err(self.too_much(format!(
                "its sheets hold more than {} of text once repeated cells are spelled out (passed in row {})",
                size(MAX_SHEET_TEXT_BYTES),
                self.rows
            )));
        }
        self.check_cells()
    }

    fn end_table(&mut self) -> Result<(), ReadError> {
        let area = self.area();
        self.cells = self.cells.saturating_add(area);
        (self.used_rows, self.width) = (None, 0);
        self.check_cells()
    }

    /// The cells of the current table's used rectangle.
    fn area(&self) -> u64 {
        let rows = self.used_rows.map_or(0, |(start, end)| end - start);
        rows.saturating_mul(self.width)
    }

    fn check_cells(&self) -> Result<(), ReadError> {
        let cells = self.cells.saturating_add(self.area());
        if cells <= MAX_SHEET_CELLS {
            return Ok(());
        }
        Err(self.too_much(format!(
            "its sheets span more than {MAX_SHEET_CELLS} cells once repeated rows and columns are spelled out (passed in row {}); delete the empty rows and columns between and after the table",
            self.rows
        )))
    }

    fn outside(&self, row: u64, column: usize) -> ReadError {
        outside_sheet(self.path, &self.sheet, row, column)
    }

    fn too_much(&self, what: String) -> ReadError {
        ReadError::Workbook {
            path: self.path.to_owned(),
            message: format!("sheet `{}`: {what}", self.sheet),
        }
    }
}

/// An attribute's value, as written.
fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    let found = element.try_get_attribute(name).ok().flatten()?;
    Some(found.value.into_owned())
}

/// A repeat count; 1 when absent or not a number (calamine then reports the error).
fn repeats(element: &BytesStart<'_>, name: &str) -> u64 {
    attribute(element, name)
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(rows: &str) -> String {
        format!(
            r#"<office:document-content><office:body><office:spreadsheet><table:table table:name="Blad1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn check_rows(rows: &str) -> Result<(), String> {
        scan(Path::new("x.ods"), content(rows).as_bytes()).map_err(|error| error.to_string())
    }

    const VALUE: &str = r#"<table:table-cell office:value-type="float" office:value="1"/>"#;

    #[test]
    fn an_ordinary_sheet_passes() {
        let trailing = r#"<table:table-cell table:number-columns-repeated="16000"/>"#;
        let row = format!("<table:table-row>{VALUE}{VALUE}{trailing}</table:table-row>");
        let empty_rows = r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
        assert_eq!(check_rows(&format!("{row}{row}{empty_rows}")), Ok(()));
    }

    #[test]
    fn repeated_columns_up_to_the_column_limit_pass_and_past_it_fail() {
        let row = |count: usize| {
            format!(
                r#"<table:table-row><table:table-cell table:number-columns-repeated="{count}" office:value-type="float" office:value="1"/></table:table-row>"#
            )
        };
        assert_eq!(check_rows(&row(MAX_COLUMNS)), Ok(()));
        let error = check_rows(&row(MAX_COLUMNS + 1)).unwrap_err();
        assert!(
            error.contains("sheet `Blad1` cell BZU1: its column 2049 (BZU) is past"),
            "{error}"
        );
    }

    #[test]
    fn repeated_rows_up_to_the_cell_limit_pass_and_past_it_fail() {
        let rows = |count: u64| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{count}">{VALUE}</table:table-row>"#
            )
        };
        assert_eq!(check_rows(&rows(MAX_SHEET_CELLS)), Ok(()));
        let error = check_rows(&rows(MAX_SHEET_CELLS + 1)).unwrap_err();
        assert!(error.contains("more than 1000000 cells"), "{error}");
    }

    #[test]
    fn a_used_row_past_the_last_sheet_row_fails() {
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="{MAX_SHEET_ROWS}"/><table:table-row>{VALUE}</table:table-row>"#
        );
        let error = check_rows(&rows).unwrap_err();
        assert!(
            error.contains("cell A1048577: its row 1048577 is past"),
            "{error}"
        );
    }

    #[test]
    fn spaces_up_to_the_cell_limit_pass_and_past_it_fail() {
        let cell = |count: usize| {
            format!(
                r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="{count}"/></text:p></table:table-cell></table:table-row>"#
            )
        };
        assert_eq!(check_rows(&cell(MAX_CELL_BYTES - 1)), Ok(()));
        let error = check_rows(&cell(MAX_CELL_BYTES)).unwrap_err();
        assert!(error.contains("cell A1 holds 64 KB of text"), "{error}");
    }

    #[test]
    fn repeated_text_past_the_sheet_text_limit_fails() {
        let text = "t".repeat(60_000);
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="2000"><table:table-cell office:value-type="string" office:string-value="{text}"/></table:table-row>"#
        );
        let error = check_rows(&rows).unwrap_err();
        assert!(
            error.contains("of text once repeated cells are spelled out"),
            "{error}"
        );
    }
}
