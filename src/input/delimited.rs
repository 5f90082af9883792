//! CSV as Excel and survey tools write it: comma, semicolon or tab (told by the header
//! line, or by Excel's `sep=;` line), UTF-8 with or without a byte-order mark or
//! Windows-1252, quoted fields with line breaks. Streams: memory holds one buffer and
//! one row.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::{ByteRecord, StringRecord};

use super::records::{io_error, ReadError, ReadOptions, Record, Records, RowError};
use super::table::{column_label, TableLayout};
use crate::ruleset::RuleSet;

/// How much of the file is looked at to tell the delimiter and the encoding.
const SNIFF_BYTES: usize = 1 << 16;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextEncoding {
    /// UTF-8: a byte-order mark, or non-ASCII text that is valid UTF-8.
    Utf8 { bom: bool },
    /// Windows-1252, as Excel's "CSV (comma delimited)" writes on Dutch Windows.
    Windows1252,
    /// Only ASCII so far; the first row with other bytes decides.
    Undecided,
}

/// What the first bytes of the file tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sniffed {
    encoding: TextEncoding,
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
    let csv = csv::ReaderBuilder::new()
        .delimiter(sniffed.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut rows = DelimitedRows {
        csv,
        encoding: sniffed.encoding,
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

/// Tells the encoding, the delimiter and the bytes to skip from the file's first bytes.
fn sniff(sample: &[u8]) -> Result<Sniffed, String> {
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return Err("the file is UTF-16 (Excel's \"Unicode text\"), which is not read".to_owned());
    }
    if sample.starts_with(b"PK\x03\x04") {
        return Err(
            "the file is a zip archive, probably an Excel workbook; name it .xlsx".to_owned(),
        );
    }
    if sample.contains(&0) {
        return Err("the file holds NUL bytes, so it is not a CSV text file".to_owned());
    }
    let text = sample.strip_prefix(UTF8_BOM).unwrap_or(sample);
    let bom = text.len() < sample.len();
    let (delimiter, sep_skip) = match sep_line(text) {
        Some((delimiter, length)) => (delimiter, length),
        None => (header_delimiter(text), 0),
    };
    Ok(Sniffed {
        encoding: sample_encoding(text, bom),
        delimiter,
        skip: sample.len() - text.len() + sep_skip,
    })
}

fn sample_encoding(text: &[u8], bom: bool) -> TextEncoding {
    if bom {
        return TextEncoding::Utf8 { bom: true };
    }
    if text.is_ascii() {
        return TextEncoding::Undecided;
    }
    match std::str::from_utf8(text) {
        Ok(_) => TextEncoding::Utf8 { bom: false },
        // A character cut off by the end of the sample is still UTF-8.
        Err(error) if error.error_len().is_none() => TextEncoding::Utf8 { bom: false },
        Err(_) => TextEncoding::Windows1252,
    }
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
    csv: csv::Reader<BufReader<File>>,
    encoding: TextEncoding,
    layout: Option<Arc<TableLayout>>,
    header: Vec<String>,
    path: PathBuf,
    /// The spreadsheet row of the last record read (the header is row 1).
    row: u64,
}

impl DelimitedRows {
    /// The header's column ids; `None` for an empty file.
    fn read_header(&mut self) -> Result<Option<Vec<String>>, ReadError> {
        let Some(bytes) = self.read_bytes()? else {
            return Ok(None);
        };
        match self.decode(bytes) {
            Ok(fields) => Ok(Some(fields.iter().map(str::to_owned).collect())),
            Err(error) => Err(ReadError::Table {
                path: self.path.clone(),
                row: self.row,
                message: error.message,
            }),
        }
    }

    fn read_bytes(&mut self) -> Result<Option<ByteRecord>, ReadError> {
        let mut record = ByteRecord::new();
        match self.csv.read_byte_record(&mut record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                self.row += 1;
                Ok(Some(record))
            }
            Err(error) => Err(self.csv_error(error)),
        }
    }

    fn csv_error(&self, error: csv::Error) -> ReadError {
        let message = error.to_string();
        match error.into_kind() {
            csv::ErrorKind::Io(source) => ReadError::Io {
                path: self.path.clone(),
                source,
            },
            _ => ReadError::Table {
                path: self.path.clone(),
                row: self.row + 1,
                message,
            },
        }
    }

    /// Decodes a row to UTF-8; the error names the column whose bytes do not decode.
    fn decode(&mut self, bytes: ByteRecord) -> Result<StringRecord, RowError> {
        if self.encoding == TextEncoding::Undecided && !bytes.as_slice().is_ascii() {
            let valid = bytes.iter().all(|field| std::str::from_utf8(field).is_ok());
            self.encoding = if valid {
                TextEncoding::Utf8 { bom: false }
            } else {
                TextEncoding::Windows1252
            };
        }
        match self.encoding {
            TextEncoding::Windows1252 => Ok(decode_windows_1252(&bytes)),
            TextEncoding::Utf8 { bom } => {
                StringRecord::from_byte_record(bytes).map_err(|error| self.invalid_utf8(error, bom))
            }
            TextEncoding::Undecided => StringRecord::from_byte_record(bytes)
                .map_err(|error| self.invalid_utf8(error, false)),
        }
    }

    fn invalid_utf8(&self, error: csv::FromUtf8Error, bom: bool) -> RowError {
        let field = error.utf8_error().field();
        let record = error.into_byte_record();
        let value = record.get(field).map(String::from_utf8_lossy);
        let why = if bom {
            "its byte-order mark says UTF-8"
        } else {
            "its first rows are UTF-8"
        };
        RowError {
            column: Some(
                self.header
                    .get(field)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", column_label(field))),
            ),
            value: value.map(|value| value.into_owned()),
            expected: "UTF-8 text".to_owned(),
            message: format!("the cell is not valid UTF-8, while the file is read as UTF-8 because {why}; save the whole file as CSV UTF-8"),
        }
    }
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
        let bytes = match self.read_bytes() {
            Ok(bytes) => bytes?,
            Err(error) => return Some(Err(error)),
        };
        let layout = Arc::clone(self.layout.as_ref()?);
        let row = self.row;
        let record = match self.decode(bytes) {
            Ok(fields) => layout.text_record(row, fields),
            Err(error) => Record::broken(row, String::new(), vec![error]),
        };
        Some(Ok(record))
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
    fn encodings_are_told_apart() {
        assert_eq!(
            sniff(b"\xEF\xBB\xBFprogramme;x\n").unwrap(),
            Sniffed {
                encoding: TextEncoding::Utf8 { bom: true },
                delimiter: b';',
                skip: 3,
            }
        );
        let utf8 = sniff("programme,naam\nA,Oriëntatie\n".as_bytes()).unwrap();
        assert_eq!(utf8.encoding, TextEncoding::Utf8 { bom: false });
        let latin = sniff(b"programme,naam\nA,Ori\xEBntatie\n").unwrap();
        assert_eq!(latin.encoding, TextEncoding::Windows1252);
        let ascii = sniff(b"programme,naam\nA,B\n").unwrap();
        assert_eq!(ascii.encoding, TextEncoding::Undecided);
        // The sample may end in the middle of a character.
        let cut = sniff(&"programme,naam\nA,Oriëntatie".as_bytes()[..21]).unwrap();
        assert_eq!(cut.encoding, TextEncoding::Utf8 { bom: false });
    }

    #[test]
    fn utf16_zip_and_binary_files_are_refused() {
        assert!(sniff(b"\xFF\xFEp\0r\0").unwrap_err().contains("UTF-16"));
        assert!(sniff(b"PK\x03\x04rest").unwrap_err().contains("xlsx"));
        assert!(sniff(b"abc\0def").unwrap_err().contains("NUL"));
    }
}
