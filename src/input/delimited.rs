//! CSV as Excel and survey tools write it: comma, semicolon or tab (told by the header
//! line, or by Excel's `sep=;` line), UTF-8 with or without a byte-order mark or
//! Windows-1252, quoted fields with line breaks. Streams: memory holds one buffer and
//! one row.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::{ByteRecord, StringRecord};

use super::bounded_csv::{BoundedCsv, NulByte, Overflow, RawRecord};
use super::limits::{
    clipped, clipped_head, shown, shown_head, size, MAX_CELL_BYTES, MAX_HEADER_BYTES, MAX_ROW_BYTES,
};
use super::records::{io_error, ReadError, ReadOptions, Record, Records, RowError};
use super::table::{column_label, TableLayout};
use crate::ruleset::RuleSet;

/// How much of the file is looked at to tell the delimiter.
const SNIFF_BYTES: usize = 1 << 16;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text encoding of a CSV file's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextEncoding {
    /// UTF-8: non-ASCII text that is valid UTF-8.
    Utf8,
    /// Windows-1252, as Excel's "CSV (comma delimited)" writes on Dutch Windows.
    Windows1252,
}

impl TextEncoding {
    /// The encoding of a row with non-ASCII bytes; `None` for an ASCII row, which
    /// every encoding reads alike.
    fn of_row(bytes: &ByteRecord) -> Option<TextEncoding> {
        if bytes.as_slice().is_ascii() {
            return None;
        }
        let utf8 = bytes.iter().all(|field| std::str::from_utf8(field).is_ok());
        Some(if utf8 {
            TextEncoding::Utf8
        } else {
            TextEncoding::Windows1252
        })
    }

    fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What the first bytes of the file tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sniffed {
    /// A UTF-8 byte-order mark: the file says it is UTF-8.
    bom: bool,
    delimiter: u8,
    /// Bytes to skip: the byte-order mark and a `sep=` line.
    skip: usize,
}

/// Opens a CSV file and reads its header.
pub(crate) fn open(
    path: &Path,
    ruleset: &RuleSet,
    options: &ReadOptions,
) -> Result<Records, ReadError> {
    let file = File::open(path).map_err(io_error(path))?;
    let mut reader = BufReader::with_capacity(SNIFF_BYTES, file);
    let sniffed = sniff(reader.fill_buf().map_err(io_error(path))?)
        .map_err(|message| encoding_error(path, message))?;
    reader.consume(sniffed.skip);
    let mut rows = DelimitedRows {
        csv: BoundedCsv::new(reader, sniffed.delimiter),
        encoding: sniffed.bom.then_some((TextEncoding::Utf8, 0)),
        layout: None,
        header: Vec::new(),
        path: path.to_owned(),
        row: 0,
    };
    let header = rows.read_header()?.ok_or_else(|| ReadError::Empty {
        path: path.to_owned(),
    })?;
    rows.layout = Some(TableLayout::from_header(
        ruleset,
        &header,
        options.ignore_unknown_columns,
        path,
        1,
    )?);
    rows.header = header;
    Ok(Records::new(rows))
}

fn encoding_error(path: &Path, message: String) -> ReadError {
    ReadError::Encoding {
        path: path.to_owned(),
        message,
    }
}

/// Tells a byte-order mark, the delimiter and the bytes to skip from the file's first
/// bytes. The encoding is told row by row, as the rows come.
fn sniff(sample: &[u8]) -> Result<Sniffed, String> {
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return Err("the file is UTF-16 (Excel's \"Unicode text\"), which is not read".to_owned());
    }
    if sample.starts_with(b"PK\x03\x04") {
        return Err(
            "the file is a zip archive, probably an Excel workbook; name it .xlsx".to_owned(),
        );
    }
    let text = sample.strip_prefix(UTF8_BOM).unwrap_or(sample);
    let bom = text.len() < sample.len();
    let (delimiter, sep_skip) = match sep_line(text) {
        Some((delimiter, length)) => (delimiter, length),
        None => (header_delimiter(text), 0),
    };
    Ok(Sniffed {
        bom,
        delimiter,
        skip: sample.len() - text.len() + sep_skip,
    })
}

/// Excel's `sep=;` first line: the delimiter and the length of the line.
fn sep_line(text: &[u8]) -> Option<(u8, usize)> {
    let rest = text.strip_prefix(b"sep=")?;
    let (&delimiter, after) = rest.split_first()?;
    let line_end = match after {
        [b'\r', b'\n', ..] => 2,
        [b'\n', ..] => 1,
        _ => return None,
    };
    Some((delimiter, 4 + 1 + line_end))
}

/// The most frequent of comma, semicolon and tab outside quotes on the first line;
/// comma when none occurs.
fn header_delimiter(text: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &byte in text {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if quoted => {}
            _ => {
                for (delimiter, count) in &mut counts {
                    *count += usize::from(*delimiter == byte);
                }
            }
        }
    }
    // Ties go to the earlier entry: comma before semicolon before tab.
    let best = counts.iter().fold(
        (b',', 0),
        |best, &entry| if entry.1 > best.1 { entry } else { best },
    );
    best.0
}

/// The data rows of an open CSV file, decoded, as records.
struct DelimitedRows {
    csv: BoundedCsv<BufReader<File>>,
    /// The file's encoding and the row that told it (0: the byte-order mark); `None`
    /// while every row was ASCII.
    encoding: Option<(TextEncoding, u64)>,
    layout: Option<Arc<TableLayout>>,
    header: Vec<String>,
    path: PathBuf,
    /// The spreadsheet row of the last record read (the header is row 1).
    row: u64,
}

impl DelimitedRows {
    /// The header's column ids; `None` for an empty file.
    fn read_header(&mut self) -> Result<Option<Vec<String>>, ReadError> {
        let bytes = match self.read_raw(MAX_HEADER_BYTES)? {
            None => return Ok(None),
            Some(RawRecord::Fields(bytes)) => bytes,
            Some(RawRecord::TooLong(overflow)) => return Err(self.long_header(&overflow)),
        };
        match self.decode(bytes)? {
            Ok(fields) => Ok(Some(fields.iter().map(str::to_owned).collect())),
            Err(error) => Err(ReadError::Table {
                path: self.path.clone(),
                row: self.row,
                message: error.message,
            }),
        }
    }

    fn long_header(&self, overflow: &Overflow) -> ReadError {
        let longest = &overflow.longest;
        ReadError::Table {
            path: self.path.clone(),
            row: self.row,
            message: format!(
                "the header row is {} long, more than the {} a header may have; its longest cell, in column {}, is {}",
                size(overflow.bytes),
                size(MAX_HEADER_BYTES as u64),
                column_label(longest.position),
                shown_head(&String::from_utf8_lossy(&longest.head), longest.bytes),
            ),
        }
    }

    /// The next record within `limit` bytes; a NUL byte stops the file.
    fn read_raw(&mut self, limit: usize) -> Result<Option<RawRecord>, ReadError> {
        let read = self.csv.read(limit).map_err(io_error(&self.path))?;
        let record = read.map_err(|nul| self.nul_error(nul))?;
        if record.is_some() {
            self.row += 1;
        }
        Ok(record)
    }

    fn nul_error(&self, nul: NulByte) -> ReadError {
        ReadError::Table {
            path: self.path.clone(),
            row: self.row + 1,
            message: format!(
                "column {} holds a NUL byte, which no text has: the file is damaged or not a CSV text file",
                self.column_name(nul.field)
            ),
        }
    }

    /// A column as a message names it: its header, else its position.
    fn column_name(&self, position: usize) -> String {
        match self.header.get(position) {
            Some(name) if !name.trim().is_empty() => shown(name.trim()),
            _ => column_label(position),
        }
    }

    /// Decodes a row to UTF-8, telling the file's encoding from its first row with
    /// non-ASCII bytes; a later row in the other encoding fails the file. A cell that is
    /// not valid UTF-8 in a file the byte-order mark declares UTF-8 is an error of the
    /// row (the inner result).
    fn decode(&mut self, bytes: ByteRecord) -> Result<Result<StringRecord, RowError>, ReadError> {
        let Some(found) = TextEncoding::of_row(&bytes) else {
            return Ok(Ok(ascii_record(bytes)));
        };
        let (encoding, since) = *self.encoding.get_or_insert((found, self.row));
        if found != encoding && since > 0 {
            return Err(ReadError::MixedEncoding {
                path: self.path.clone(),
                row: self.row,
                encoding: found.name(),
                earlier: encoding.name(),
                earlier_row: since,
            });
        }
        Ok(match encoding {
            TextEncoding::Windows1252 => Ok(decode_windows_1252(&bytes)),
            TextEncoding::Utf8 => {
                StringRecord::from_byte_record(bytes).map_err(|error| self.invalid_utf8(error))
            }
        })
    }

    fn invalid_utf8(&self, error: csv::FromUtf8Error) -> RowError {
        let field = error.utf8_error().field();
        let record = error.into_byte_record();
        let value = record.get(field).map(String::from_utf8_lossy);
        RowError {
            column: Some(self.column_name(field)),
            value: value.map(|value| clipped(&value)),
            expected: "UTF-8 text".to_owned(),
            message: "the cell is not valid UTF-8, while the file is read as UTF-8 because its byte-order mark says so; save the whole file as CSV UTF-8".to_owned(),
        }
    }

    /// The record of a data row that fits the limits.
    fn data_record(&mut self, bytes: ByteRecord) -> Result<Record, ReadError> {
        let layout = match &self.layout {
            Some(layout) => Arc::clone(layout),
            None => return Ok(Record::broken(self.row, String::new(), Vec::new())),
        };
        let long_cells: Vec<RowError> = bytes
            .iter()
            .enumerate()
            .filter(|(_, field)| field.len() > MAX_CELL_BYTES)
            .map(|(position, field)| self.long_cell(position, field))
            .collect();
        if !long_cells.is_empty() {
            let programme = self.programme_of(&layout, &bytes);
            return Ok(Record::broken(self.row, programme, long_cells));
        }
        Ok(match self.decode(bytes)? {
            Ok(fields) => layout.text_record(self.row, fields),
            Err(error) => Record::broken(self.row, String::new(), vec![error]),
        })
    }

    /// The programme id of a row that is not decoded, as far as it can be read.
    fn programme_of(&self, layout: &TableLayout, bytes: &ByteRecord) -> String {
        let field = bytes.get(layout.programme_position()).unwrap_or_default();
        match field.len() <= MAX_CELL_BYTES {
            true => String::from_utf8_lossy(field).trim().to_owned(),
            false => String::new(),
        }
    }

    fn long_cell(&self, position: usize, field: &[u8]) -> RowError {
        let text = String::from_utf8_lossy(field.get(..1024).unwrap_or(field));
        RowError {
            column: Some(self.column_name(position)),
            value: Some(clipped_head(&text, field.len() as u64)),
            expected: format!("a cell of at most {}", size(MAX_CELL_BYTES as u64)),
            message: format!(
                "the cell {} is longer than the {} a cell may have",
                shown_head(&text, field.len() as u64),
                size(MAX_CELL_BYTES as u64)
            ),
        }
    }

    /// The error record of a row past [`MAX_ROW_BYTES`].
    fn long_row(&self, overflow: &Overflow) -> Record {
        let programme = match &self.layout {
            Some(layout) => self.programme_of(layout, &overflow.complete),
            None => String::new(),
        };
        let longest = &overflow.longest;
        let head = String::from_utf8_lossy(&longest.head);
        let error = RowError {
            column: Some(self.column_name(longest.position)),
            value: Some(clipped_head(&head, longest.bytes)),
            expected: format!(
                "a row of at most {} and cells of at most {}",
                size(MAX_ROW_BYTES as u64),
                size(MAX_CELL_BYTES as u64)
            ),
            message: format!(
                "the row is {} long, more than the {} a row may have; its longest cell is {}",
                size(overflow.bytes),
                size(MAX_ROW_BYTES as u64),
                shown_head(&head, longest.bytes)
            ),
        };
        Record::broken(self.row, programme, vec![error])
    }
}

/// An ASCII row as text: its buffer taken over, not copied field by field.
fn ascii_record(bytes: ByteRecord) -> StringRecord {
    // ASCII is valid UTF-8, so this cannot fail; the fallback keeps the lossy copy.
    StringRecord::from_byte_record(bytes).unwrap_or_else(|error| {
        let bytes = error.into_byte_record();
        let mut record = StringRecord::with_capacity(bytes.as_slice().len(), bytes.len());
        for field in &bytes {
            record.push_field(&String::from_utf8_lossy(field));
        }
        record
    })
}

fn decode_windows_1252(bytes: &ByteRecord) -> StringRecord {
    let mut record = StringRecord::with_capacity(bytes.as_slice().len(), bytes.len());
    for field in bytes {
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(field);
        record.push_field(&text);
    }
    record
}

impl Iterator for DelimitedRows {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = match self.read_raw(MAX_ROW_BYTES) {
            Ok(record) => record?,
            Err(error) => return Some(Err(error)),
        };
        Some(match record {
            RawRecord::Fields(bytes) => self.data_record(bytes),
            RawRecord::TooLong(overflow) => Ok(self.long_row(&overflow)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_line_tells_the_delimiter() {
        assert_eq!(header_delimiter(b"programme;a.b;c,d\n1,2,3,4,5"), b';');
        assert_eq!(header_delimiter(b"programme\ta\tb"), b'\t');
        assert_eq!(header_delimiter(b"\"x;y;z\",a,b"), b',');
        assert_eq!(header_delimiter(b"programme"), b',');
    }

    #[test]
    fn an_excel_sep_line_is_honoured_and_skipped() {
        let sniffed = sniff(b"sep=;\r\nprogramme,x;y\r\n").unwrap();
        assert_eq!(sniffed.delimiter, b';');
        assert_eq!(sniffed.skip, 7);
    }

    #[test]
    fn a_bom_is_skipped_and_remembered() {
        assert_eq!(
            sniff(b"\xEF\xBB\xBFprogramme;x\n").unwrap(),
            Sniffed {
                bom: true,
                delimiter: b';',
                skip: 3,
            }
        );
    }

    #[test]
    fn each_row_tells_its_encoding() {
        let row = |bytes: &[u8]| ByteRecord::from(vec![bytes]);
        assert_eq!(TextEncoding::of_row(&row(b"A,B")), None);
        assert_eq!(
            TextEncoding::of_row(&row("Oriëntatie".as_bytes())),
            Some(TextEncoding::Utf8)
        );
        assert_eq!(
            TextEncoding::of_row(&row(b"Ori\xEBntatie")),
            Some(TextEncoding::Windows1252)
        );
    }

    #[test]
    fn utf16_and_zip_files_are_refused() {
        assert!(sniff(b"\xFF\xFEp\0r\0").unwrap_err().contains("UTF-16"));
        assert!(sniff(b"PK\x03\x04rest").unwrap_err().contains("xlsx"));
    }
}
