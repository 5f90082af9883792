//! The rows of a workbook sheet assembled cell by cell under the limits: a cell past
//! the last column or row a sheet may have fails the file (naming sheet and cell); a
//! cell or a row with too much text is the error of that row, and its cells are not
//! kept.

use std::path::Path;

use super::limits::{clipped_head, shown_head, size, MAX_CELL_BYTES, MAX_COLUMNS, MAX_SHEET_ROWS};
use super::records::{ReadError, RowError};
use super::table::{column_label, CellValue};

/// One sheet row: its spreadsheet row number and one value per column from A, or why
/// the row is not kept.
pub(crate) type SheetRow = (u64, Result<Vec<CellValue>, RowError>);

/// A cell's name as a spreadsheet shows it: "XFD1048576" (row 1-based, column 0-based).
pub(crate) fn cell_name(row: u64, column: usize) -> String {
    let label = column_label(column);
    let letters = label
        .split_once('(')
        .map_or("", |(_, rest)| rest.trim_end_matches(')'));
    format!("{letters}{row}")
}

/// The error of a cell past the sheet's last column or row.
pub(crate) fn outside_sheet(path: &Path, sheet: &str, row: u64, column: usize) -> ReadError {
    let what = if column >= MAX_COLUMNS {
        format!(
            "its column {} is past the {MAX_COLUMNS} columns a sheet may have",
            column_label(column)
        )
    } else {
        format!("its row {row} is past the {MAX_SHEET_ROWS} rows a sheet may have")
    };
    ReadError::Workbook {
        path: path.to_owned(),
        message: format!(
            "sheet `{sheet}` cell {}: {what}; delete what is far away from the table (Ctrl+End shows the last used cell)",
            cell_name(row, column)
        ),
    }
}

/// Checks a cell's position against the sheet's limits.
pub(crate) fn check_position(
    path: &Path,
    sheet: &str,
    row: u64,
    column: usize,
) -> Result<(), ReadError> {
    if column >= MAX_COLUMNS || row > MAX_SHEET_ROWS {
        return Err(outside_sheet(path, sheet, row, column));
    }
    Ok(())
}

/// The bytes of text a cell holds, as the row limit counts them.
fn text_bytes(cell: &CellValue) -> usize {
    match cell {
        CellValue::Text(text) | CellValue::Invalid(text) => text.len(),
        CellValue::Empty => 0,
        CellValue::Number(_) | CellValue::AmbiguousFraction(_) | CellValue::Bool(_) => 8,
    }
}

/// A row being assembled.
#[derive(Debug)]
pub(crate) struct RowBuilder {
    number: u64,
    cells: Vec<CellValue>,
    bytes: usize,
    limit: usize,
    error: Option<RowError>,
}

impl RowBuilder {
    /// An empty row `number` that may hold `limit` bytes of text.
    pub(crate) fn new(number: u64, limit: usize) -> Self {
        RowBuilder {
            number,
            cells: Vec::new(),
            bytes: 0,
            limit,
            error: None,
        }
    }

    /// The row's number.
    pub(crate) fn number(&self) -> u64 {
        self.number
    }

    /// Sets the cell at `column` (already checked against [`MAX_COLUMNS`]).
    pub(crate) fn set(&mut self, column: usize, value: CellValue) {
        if self.error.is_some() {
            return;
        }
        let bytes = text_bytes(&value);
        if bytes > MAX_CELL_BYTES {
            self.error = Some(self.long_cell(column, &value, bytes));
            self.cells = Vec::new();
            return;
        }
        self.bytes += bytes;
        if self.bytes > self.limit {
            self.error = Some(self.long_row(column));
            self.cells = Vec::new();
            return;
        }
        if self.cells.len() <= column {
            self.cells.resize(column + 1, CellValue::Empty);
        }
        if let Some(slot) = self.cells.get_mut(column) {
            *slot = value;
        }
    }

    /// Whether the row holds nothing and broke no limit.
    pub(crate) fn is_blank(&self) -> bool {
        self.error.is_none() && self.cells.iter().all(CellValue::is_empty)
    }

    /// The finished row.
    pub(crate) fn finish(self) -> SheetRow {
        match self.error {
            Some(error) => (self.number, Err(error)),
            None => (self.number, Ok(self.cells)),
        }
    }

    fn long_cell(&self, column: usize, value: &CellValue, bytes: usize) -> RowError {
        let text = match value {
            CellValue::Text(text) | CellValue::Invalid(text) => text.as_str(),
            _ => "",
        };
        let head: String = text.chars().take(64).collect();
        RowError {
            column: Some(format!("column {}", column_label(column))),
            value: Some(clipped_head(&head, bytes as u64)),
            expected: format!("a cell of at most {}", size(MAX_CELL_BYTES as u64)),
            message: format!(
                "cell {} {} is longer than the {} a cell may have",
                cell_name(self.number, column),
                shown_head(&head, bytes as u64),
                size(MAX_CELL_BYTES as u64)
            ),
        }
    }

    fn long_row(&self, column: usize) -> RowError {
        RowError::row(
            format!("a row of at most {} of text", size(self.limit as u64)),
            format!(
                "the row holds more than the {} of text a row may have (passed at cell {})",
                size(self.limit as u64),
                cell_name(self.number, column)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::limits::MAX_ROW_BYTES;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(1, 0), "A1");
        assert_eq!(cell_name(1_048_576, 16_383), "XFD1048576");
    }

    #[test]
    fn positions_up_to_the_limits_are_taken_and_past_them_refused() {
        let path = Path::new("x.xlsx");
        assert!(check_position(path, "Blad1", MAX_SHEET_ROWS, MAX_COLUMNS - 1).is_ok());
        let error = check_position(path, "Blad1", 1, MAX_COLUMNS).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`x.xlsx` sheet `Blad1` cell BZU1: its column 2049 (BZU) is past the 2048 columns a sheet may have; delete what is far away from the table (Ctrl+End shows the last used cell)"
        );
        let error = check_position(path, "Blad1", MAX_SHEET_ROWS + 1, 0).unwrap_err();
        assert!(error
            .to_string()
            .contains("cell A1048577: its row 1048577 is past"));
    }

    #[test]
    fn a_cell_at_the_cell_limit_is_kept_and_one_past_it_breaks_the_row() {
        let mut row = RowBuilder::new(2, MAX_ROW_BYTES);
        row.set(1, CellValue::Text("x".repeat(MAX_CELL_BYTES)));
        assert!(row.finish().1.is_ok());
        let mut row = RowBuilder::new(2, MAX_ROW_BYTES);
        row.set(1, CellValue::Text("x".repeat(MAX_CELL_BYTES + 1)));
        let error = row.finish().1.unwrap_err();
        assert!(
            error.message.starts_with("cell B2 `xxxx"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_row_at_the_row_limit_is_kept_and_one_past_it_is_broken() {
        let filled = |extra: usize| {
            let mut row = RowBuilder::new(3, MAX_ROW_BYTES);
            let third = MAX_ROW_BYTES / 3;
            row.set(0, CellValue::Text("a".repeat(third)));
            row.set(1, CellValue::Text("b".repeat(third)));
            row.set(
                2,
                CellValue::Text("c".repeat(MAX_ROW_BYTES - 2 * third + extra)),
            );
            row.finish().1
        };
        assert!(filled(0).is_ok());
        assert!(filled(1).unwrap_err().message.contains("passed at cell C3"));
    }
}
