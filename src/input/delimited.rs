//! CSV as Excel and survey tools write it: comma, semicolon or tab (told by the header
//! line, or by Excel's `sep=;` line), UTF-8 with or without a byte-order mark or
//! Windows-1252, quoted fields with line breaks. Streams: memory holds one buffer and
//! one row.

use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::bounded_csv::{BoundedCsv, Overflow, RawRecord};
use super::limits::{
    clipped, clipped_head, shown, shown_head, size, MAX_CELL_BYTES, MAX_CHUNK_BYTES,
    MAX_HEADER_BYTES, MAX_ROW_BYTES,
};
use super::raw_rows::{self, ByteRow, TextRow};
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
    fn of_row(bytes: &ByteRow) -> Option<TextEncoding> {
        if bytes.iter().all(|field| field.is_ascii()) {
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
    let delimiter = sniffed.delimiter;
    let mut rows = DelimitedRows::new(
        BoundedCsv::new(reader, delimiter),
        path,
        delimiter,
        sniffed.bom,
    );
    let header = rows.read_header()?.ok_or_else(|| ReadError::Empty {
        path: path.to_owned(),
    })?;
    let layout =
        TableLayout::from_header(ruleset, &header, options.ignore_unknown_columns, path, 1)?;
    rows.context = Arc::new(RowContext {
        path: path.to_owned(),
        header,
        layout: Some(layout),
        delimiter,
    });
    Ok(if raw_rows::splits_on(delimiter) {
        Records::chunked(rows)
    } else {
        Records::new(BoundedRows(rows))
    })
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

/// The data rows of an open CSV file, decoded, as records. The reader only finds where
/// each row ends ([`raw_rows::record_end`]); the rows of a chunk are parsed and checked
/// on the rayon pool ([`RowContext::parse`]), and what depends on the rows before
/// (the file's encoding, a NUL byte that stops the file) is settled in file order.
pub(crate) struct DelimitedRows {
    /// Reads the header and the rows too long to split in memory; its input is where
    /// the split rows come from.
    csv: BoundedCsv<BufReader<File>>,
    context: Arc<RowContext>,
    /// The file's encoding and the row that told it (0: the byte-order mark); `None`
    /// while every row was ASCII.
    encoding: Option<(TextEncoding, u64)>,
    /// The spreadsheet row of the last record read (the header is row 1).
    row: u64,
    /// Bytes read from the file and not yet split into rows, from `start` on.
    pending: Vec<u8>,
    start: usize,
}

/// What parsing a row needs to know, shared by the worker threads.
struct RowContext {
    path: PathBuf,
    header: Vec<String>,
    layout: Option<Arc<TableLayout>>,
    delimiter: u8,
}

/// A row as the reader split it off, before it is parsed.
enum SplitRow {
    /// The row's bytes in the reader's buffer.
    Bytes { row: u64, range: Range<usize> },
    /// A row read whole by the bounded reader, or why reading stopped.
    Read(Result<Record, ReadError>),
}

/// A row after parsing, before what depends on the rows before it is settled.
enum ParsedRow {
    /// The record.
    Done(Record),
    /// A row with non-ASCII bytes, decoded in file order by the file's encoding.
    NotAscii { row: u64, fields: ByteRow },
    /// A NUL byte in field `field`: the file stops there.
    Nul { row: u64, field: usize },
    /// A row read whole by the bounded reader, or why reading stopped.
    Read(Result<Record, ReadError>),
}

/// Rows a chunk's parse hands to one worker at least, so that splitting the work
/// costs little beside it.
const ROWS_PER_TASK: usize = 16;

impl DelimitedRows {
    fn new(csv: BoundedCsv<BufReader<File>>, path: &Path, delimiter: u8, bom: bool) -> Self {
        DelimitedRows {
            csv,
            context: Arc::new(RowContext {
                path: path.to_owned(),
                header: Vec::new(),
                layout: None,
                delimiter,
            }),
            encoding: bom.then_some((TextEncoding::Utf8, 0)),
            row: 0,
            pending: Vec::new(),
            start: 0,
        }
    }

    /// Leaves the metadata out of the records read from now on (see
    /// [`Records::without_metadata`](super::Records::without_metadata)): done only while
    /// no chunk is being parsed, else the records keep it.
    pub(crate) fn drop_metadata(&mut self) {
        let layout = Arc::get_mut(&mut self.context).and_then(|context| context.layout.as_mut());
        if let Some(layout) = layout.and_then(Arc::get_mut) {
            layout.drop_metadata();
        }
    }

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
                path: self.context.path.clone(),
                row: self.row,
                message: error.message,
            }),
        }
    }

    fn long_header(&self, overflow: &Overflow) -> ReadError {
        let longest = &overflow.longest;
        ReadError::Table {
            path: self.context.path.clone(),
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

    /// The next record within `limit` bytes through the bounded reader; a NUL byte
    /// stops the file.
    fn read_raw(&mut self, limit: usize) -> Result<Option<RawRecord>, ReadError> {
        let read = self.csv.read(limit).map_err(io_error(&self.context.path))?;
        let record = read.map_err(|nul| self.context.nul_error(self.row + 1, nul.field))?;
        if record.is_some() {
            self.row += 1;
        }
        Ok(record)
    }

    /// Up to `count` records, parsed on the rayon pool; fewer once their rows hold
    /// [`MAX_CHUNK_BYTES`]; a read error ends them.
    pub(crate) fn read_chunk(&mut self, count: usize) -> Vec<Result<Record, ReadError>> {
        // What was split off before goes, unless it is the smaller part (a row at a
        // time, the rest would be moved for every row).
        if self.start > self.pending.len() / 2 {
            self.pending.drain(..self.start.min(self.pending.len()));
            self.start = 0;
        }
        let split = self.split(count);
        let (context, pending) = (&self.context, &self.pending);
        let parsed: Vec<ParsedRow> = split
            .into_par_iter()
            .with_min_len(ROWS_PER_TASK)
            .map(|row| context.parse(pending, row))
            .collect();
        let mut records = Vec::with_capacity(parsed.len());
        for row in parsed {
            let record = self.settle(row);
            let stop = record.is_err();
            records.push(record);
            if stop {
                break;
            }
        }
        records
    }

    /// Up to `count` rows split off the file, and fewer once they hold
    /// [`MAX_CHUNK_BYTES`].
    fn split(&mut self, count: usize) -> Vec<SplitRow> {
        let mut rows = Vec::with_capacity(count);
        let mut bytes = 0;
        while rows.len() < count && bytes < MAX_CHUNK_BYTES {
            match self.next_row_bytes() {
                Ok(Some(range)) => {
                    self.row += 1;
                    bytes += range.len();
                    rows.push(SplitRow::Bytes {
                        row: self.row,
                        range,
                    });
                }
                Ok(None) => break,
                Err(RowEnd::TooLong) if rows.is_empty() => {
                    rows.push(SplitRow::Read(self.read_long_row()));
                    break;
                }
                Err(RowEnd::TooLong) => break,
                Err(RowEnd::Io(error)) => {
                    rows.push(SplitRow::Read(Err(io_error(&self.context.path)(error))));
                    break;
                }
            }
        }
        rows
    }

    /// The bytes of the next row in `pending`; `None` at the end of the file.
    fn next_row_bytes(&mut self) -> Result<Option<Range<usize>>, RowEnd> {
        loop {
            let rest = self.pending.get(self.start..).unwrap_or_default();
            self.start += raw_rows::line_ends(rest);
            let rest = self.pending.get(self.start..).unwrap_or_default();
            if !rest.is_empty() {
                let end = raw_rows::record_end(rest, self.context.delimiter);
                // Past the limit in bytes as written, a row may still be within it in
                // bytes of its fields: the bounded reader tells.
                if end.unwrap_or(rest.len()) > MAX_ROW_BYTES {
                    return Err(RowEnd::TooLong);
                }
                if let Some(end) = end {
                    return Ok(Some(self.take(end)));
                }
            }
            if !self.fill().map_err(RowEnd::Io)? {
                let rest = self.pending.len() - self.start;
                return Ok((rest > 0).then(|| self.take(rest)));
            }
        }
    }

    /// The next `length` bytes of `pending` as a row.
    fn take(&mut self, length: usize) -> Range<usize> {
        let range = self.start..self.start + length;
        self.start = range.end;
        range
    }

    /// Appends the next bytes of the file to `pending`; `false` at its end.
    fn fill(&mut self) -> std::io::Result<bool> {
        let input = self.csv.input_mut();
        let bytes = input.fill_buf()?;
        let length = bytes.len();
        self.pending.extend_from_slice(bytes);
        input.consume(length);
        Ok(length > 0)
    }

    /// A row longer than [`MAX_ROW_BYTES`] before it is split: read by the bounded
    /// reader from where it starts, so it is described rather than held.
    fn read_long_row(&mut self) -> Result<Record, ReadError> {
        let held = self.pending.split_off(self.start.min(self.pending.len()));
        let (path, delimiter) = (self.context.path.clone(), self.context.delimiter);
        let input = Cursor::new(held).chain(self.csv.input_mut());
        let mut long = BoundedCsv::new(input, delimiter);
        let read = long.read(MAX_ROW_BYTES);
        let (held, _) = long.into_input().into_inner();
        let used = usize::try_from(held.position()).unwrap_or(usize::MAX);
        let mut held = held.into_inner();
        held.drain(..used.min(held.len()));
        (self.pending, self.start) = (held, 0);
        match read.map_err(io_error(&path))? {
            Err(nul) => Err(self.context.nul_error(self.row + 1, nul.field)),
            Ok(None) => Err(ReadError::Table {
                path,
                row: self.row + 1,
                message: "the row ends before it starts".to_owned(),
            }),
            Ok(Some(record)) => {
                self.row += 1;
                match record {
                    RawRecord::Fields(fields) => self.data_record(fields),
                    RawRecord::TooLong(overflow) => Ok(self.context.long_row(self.row, &overflow)),
                }
            }
        }
    }

    /// A parsed row as a record, now that the rows before it are settled.
    fn settle(&mut self, row: ParsedRow) -> Result<Record, ReadError> {
        match row {
            ParsedRow::Done(record) => Ok(record),
            ParsedRow::NotAscii { row, fields } => self.decoded_record(row, fields),
            ParsedRow::Nul { row, field } => Err(self.context.nul_error(row, field)),
            ParsedRow::Read(read) => read,
        }
    }

    /// Decodes a row to UTF-8, telling the file's encoding from its first row with
    /// non-ASCII bytes; a later row in the other encoding fails the file. A cell that is
    /// not valid UTF-8 in a file the byte-order mark declares UTF-8 is an error of the
    /// row (the inner result).
    fn decode(&mut self, bytes: ByteRow) -> Result<Result<TextRow, RowError>, ReadError> {
        let Some(found) = TextEncoding::of_row(&bytes) else {
            return Ok(Ok(ascii_text(bytes)));
        };
        let (encoding, since) = *self.encoding.get_or_insert((found, self.row));
        if found != encoding && since > 0 {
            return Err(ReadError::MixedEncoding {
                path: self.context.path.clone(),
                row: self.row,
                encoding: found.name(),
                earlier: encoding.name(),
                earlier_row: since,
            });
        }
        Ok(match encoding {
            TextEncoding::Windows1252 => Ok(decode_windows_1252(&bytes)),
            TextEncoding::Utf8 => {
                utf8_text(&bytes).map_err(|field| self.context.invalid_utf8(&bytes, field))
            }
        })
    }

    /// The record of a row read whole by the bounded reader.
    fn data_record(&mut self, fields: ByteRow) -> Result<Record, ReadError> {
        match self.context.checked(self.row, fields) {
            ParsedRow::NotAscii { row, fields } => self.decoded_record(row, fields),
            other => self.settle(other),
        }
    }

    /// The record of a row with non-ASCII bytes, decoded in file order.
    fn decoded_record(&mut self, row: u64, fields: ByteRow) -> Result<Record, ReadError> {
        let read_row = std::mem::replace(&mut self.row, row);
        let decoded = self.decode(fields);
        self.row = read_row;
        Ok(match (decoded?, &self.context.layout) {
            (Ok(text), Some(layout)) => layout.text_record(row, text),
            (Ok(_), None) => Record::broken(row, String::new(), Vec::new()),
            (Err(error), _) => Record::broken(row, String::new(), vec![error]),
        })
    }
}

/// Why no row bytes came.
enum RowEnd {
    /// The row runs past [`MAX_ROW_BYTES`] before its end.
    TooLong,
    Io(std::io::Error),
}

impl RowContext {
    /// Parses and checks one split row.
    fn parse(&self, pending: &[u8], row: SplitRow) -> ParsedRow {
        let (row, range) = match row {
            SplitRow::Bytes { row, range } => (row, range),
            SplitRow::Read(read) => return ParsedRow::Read(read),
        };
        let bytes = pending.get(range).unwrap_or_default();
        let fields = ByteRow::parse(bytes, self.delimiter);
        if memchr::memchr(0, bytes).is_some() {
            let field = fields.iter().position(|field| field.contains(&0));
            return ParsedRow::Nul {
                row,
                field: field.unwrap_or(0),
            };
        }
        self.checked(row, fields)
    }

    /// A row within the row limit: an error record for its cells past the cell limit,
    /// else its record if it is ASCII.
    fn checked(&self, row: u64, fields: ByteRow) -> ParsedRow {
        let Some(layout) = &self.layout else {
            return ParsedRow::Done(Record::broken(row, String::new(), Vec::new()));
        };
        // A row no longer than a cell may be has no cell past the limit: the scan of
        // every field is for the rare long row.
        let long_cells: Vec<RowError> = match fields.byte_len() > MAX_CELL_BYTES {
            true => fields
                .iter()
                .enumerate()
                .filter(|(_, field)| field.len() > MAX_CELL_BYTES)
                .map(|(position, field)| self.long_cell(position, field))
                .collect(),
            false => Vec::new(),
        };
        if !long_cells.is_empty() {
            let programme = programme_of(layout, &fields);
            return ParsedRow::Done(Record::broken(row, programme, long_cells));
        }
        match fields.into_ascii_text() {
            Ok(text) => ParsedRow::Done(layout.text_record(row, text)),
            Err(fields) => ParsedRow::NotAscii { row, fields },
        }
    }

    fn nul_error(&self, row: u64, field: usize) -> ReadError {
        ReadError::Table {
            path: self.path.clone(),
            row,
            message: format!(
                "column {} holds a NUL byte, which no text has: the file is damaged or not a CSV text file",
                self.column_shown(field)
            ),
        }
    }

    /// A column as a message names it: its header in backticks, else its position.
    fn column_shown(&self, position: usize) -> String {
        match self.header.get(position) {
            Some(name) if !name.trim().is_empty() => shown(name.trim()),
            _ => column_label(position),
        }
    }

    /// A column as an error record names it, like every other record's `column`: its
    /// header as it is (whoever shows the record adds the backticks), else its position.
    fn column_name(&self, position: usize) -> String {
        match self.header.get(position) {
            Some(name) if !name.trim().is_empty() => clipped(name.trim()),
            _ => column_label(position),
        }
    }

    fn invalid_utf8(&self, row: &ByteRow, field: usize) -> RowError {
        let value = row.get(field).map(String::from_utf8_lossy);
        RowError {
            column: Some(self.column_name(field)),
            value: value.map(|value| clipped(&value)),
            expected: "UTF-8 text".to_owned(),
            message: "the cell is not valid UTF-8, while the file is read as UTF-8 because its byte-order mark says so; save the whole file as CSV UTF-8".to_owned(),
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
    fn long_row(&self, row: u64, overflow: &Overflow) -> Record {
        let programme = match &self.layout {
            Some(layout) => programme_of(layout, &overflow.complete),
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
        Record::broken(row, programme, vec![error])
    }
}

/// The programme id of a row that is not decoded, as far as it can be read.
fn programme_of(layout: &TableLayout, bytes: &ByteRow) -> String {
    let field = bytes.get(layout.programme_position()).unwrap_or_default();
    match field.len() <= MAX_CELL_BYTES {
        true => String::from_utf8_lossy(field).trim().to_owned(),
        false => String::new(),
    }
}

/// An ASCII row as text: its buffer taken over, not copied field by field.
fn ascii_text(bytes: ByteRow) -> TextRow {
    // ASCII is valid UTF-8, so this cannot fail; the fallback keeps the lossy copy.
    bytes.into_ascii_text().unwrap_or_else(|bytes| {
        let fields: Vec<String> = bytes
            .iter()
            .map(|field| String::from_utf8_lossy(field).into_owned())
            .collect();
        TextRow::from_fields(fields.iter().map(String::as_str))
    })
}

/// A UTF-8 row as text; the first field that is not valid UTF-8 otherwise.
fn utf8_text(bytes: &ByteRow) -> Result<TextRow, usize> {
    let fields: Vec<&str> = bytes
        .iter()
        .enumerate()
        .map(|(position, field)| std::str::from_utf8(field).map_err(|_| position))
        .collect::<Result<_, _>>()?;
    Ok(TextRow::from_fields(fields.into_iter()))
}

fn decode_windows_1252(bytes: &ByteRow) -> TextRow {
    let fields: Vec<std::borrow::Cow<'_, str>> = bytes
        .iter()
        .map(|field| {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(field)
                .0
        })
        .collect();
    TextRow::from_fields(fields.iter().map(|field| &**field))
}

/// The rows of a file whose delimiter the splitter does not split on (an Excel `sep=`
/// line can name a quote or a non-ASCII byte), read one by one by the bounded reader.
struct BoundedRows(DelimitedRows);

impl Iterator for BoundedRows {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rows = &mut self.0;
        let record = match rows.read_raw(MAX_ROW_BYTES) {
            Ok(record) => record?,
            Err(error) => return Some(Err(error)),
        };
        Some(match record {
            RawRecord::Fields(fields) => rows.data_record(fields),
            RawRecord::TooLong(overflow) => Ok(rows.context.long_row(rows.row, &overflow)),
        })
    }
}

impl Iterator for DelimitedRows {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_chunk(1).pop()
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
        let row = |bytes: &[u8]| ByteRow::from_fields(std::iter::once(bytes));
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
    fn a_chunk_of_long_rows_holds_at_most_the_chunk_bytes_and_one_row() {
        let ruleset = crate::RuleSet::roadmap().unwrap().into_ruleset();
        let question = &ruleset.questions().first().unwrap().id;
        let comment = "x".repeat(50_000);
        let mut csv = format!("programme,{question}#toelichting,{question}\n");
        for row in 0..400 {
            csv.push_str(&format!("P{row},{comment},1\n"));
        }
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("long.csv");
        std::fs::write(&path, csv).unwrap();
        let mut records = open(&path, &ruleset, &ReadOptions::default()).unwrap();
        let mut read = 0;
        loop {
            let chunk = records.read_chunk(512).unwrap();
            if chunk.is_empty() {
                break;
            }
            assert!(
                chunk.len() <= MAX_CHUNK_BYTES / 50_000 + 1,
                "{}",
                chunk.len()
            );
            read += chunk.len();
        }
        assert_eq!(read, 400);
    }

    #[test]
    fn utf16_and_zip_files_are_refused() {
        assert!(sniff(b"\xFF\xFEp\0r\0").unwrap_err().contains("UTF-16"));
        assert!(sniff(b"PK\x03\x04rest").unwrap_err().contains("xlsx"));
    }
}
