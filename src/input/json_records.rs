//! Assessments as JSON: one object, an array of them (streamed element by element on
//! a reader thread), or JSON Lines (one object per line, from a file or stdin). A line
//! that is not an assessment is an error of that line; the others are still read.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use rayon::prelude::*;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};

use super::json_shape::Parsed;
use super::limits::{shown_head, size, MAX_CHUNK_BYTES, MAX_ROW_BYTES};
use super::reader_thread::ReaderThread;
use super::records::{
    io_error, without_unknown_comments, ReadError, ReadOptions, Record, Records, RowError,
};
use super::Assessment;

/// Elements in flight between the JSON array reader thread and the consumer.
const ELEMENTS_IN_FLIGHT: usize = 256;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Opens a `.json` file: an array is streamed element by element; so are objects one
/// after another, and a file whose first line holds a whole object is read as JSON
/// Lines (JSON Lines saved as .json), numbered by line.
pub(crate) fn open_json(path: &Path, options: &ReadOptions) -> Result<Records, ReadError> {
    let mut reader = BufReader::new(File::open(path).map_err(io_error(path))?);
    let ignore = options.ignore_unknown_columns;
    let (first, line) = first_byte(&mut reader).map_err(io_error(path))?;
    match first {
        Some(b'[') => Ok(Records::new(stream_array(
            path.to_owned(),
            NulGuard::new(reader, line),
            ignore,
        ))),
        Some(b'{') => open_objects(path, reader, line, ignore),
        Some(_) => Err(ReadError::Json {
            path: path.to_owned(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
            column: 1,
            message: "expected an assessment object `{` or an array of them `[`".to_owned(),
        }),
        None => Err(ReadError::Empty {
            path: path.to_owned(),
        }),
    }
}

/// The first byte that is not whitespace or a byte-order mark, left unread, and its
/// 1-based line; `None` at the end.
fn first_byte(reader: &mut impl BufRead) -> std::io::Result<(Option<u8>, u64)> {
    let mut line = 1;
    loop {
        let buffer = reader.fill_buf()?;
        let Some(&byte) = buffer.first() else {
            return Ok((None, line));
        };
        if byte.is_ascii_whitespace() || buffer.starts_with(UTF8_BOM) {
            let skip = if byte.is_ascii_whitespace() { 1 } else { 3 };
            line += u64::from(byte == b'\n');
            reader.consume(skip);
        } else {
            return Ok((Some(byte), line));
        }
    }
}

/// Objects one after another. When the first line holds a whole JSON value, the file
/// is JSON Lines; otherwise the objects (pretty-printed, say) are streamed with
/// serde_json and numbered from 1.
fn open_objects(
    path: &Path,
    mut reader: BufReader<File>,
    line: u64,
    ignore_unknown: bool,
) -> Result<Records, ReadError> {
    let mut lines = Lines::new(reader, path.to_owned(), ignore_unknown);
    lines.line = line - 1;
    if let Some(first) = lines.first_whole_line()? {
        let second = lines.next().transpose()?;
        let single = second.is_none();
        let records = Records::new(
            std::iter::once(Ok(first))
                .chain(second.map(Ok))
                .chain(lines),
        );
        return Ok(if single { records.single() } else { records });
    }
    reader = lines.reader;
    reader.seek(SeekFrom::Start(0)).map_err(io_error(path))?;
    let (_, line) = first_byte(&mut reader).map_err(io_error(path))?;
    let mut objects = Objects {
        stream: serde_json::Deserializer::from_reader(NulGuard::new(reader, line))
            .into_iter::<Parsed>(),
        path: path.to_owned(),
        line,
        row: 0,
        ignore_unknown,
        done: false,
    };
    let first = objects.next().transpose()?;
    let second = objects.next().transpose()?;
    let single = first.is_some() && second.is_none();
    let records = Records::new(first.into_iter().chain(second).map(Ok).chain(objects));
    Ok(if single { records.single() } else { records })
}

/// Assessment objects one after another, streamed; a syntax error ends them.
struct Objects<R: Read> {
    stream: serde_json::StreamDeserializer<'static, serde_json::de::IoRead<NulGuard<R>>, Parsed>,
    path: PathBuf,
    /// The line the JSON text starts on, to number serde_json's lines from.
    line: u64,
    row: u64,
    ignore_unknown: bool,
    done: bool,
}

impl<R: Read> Iterator for Objects<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.stream.next()? {
            Ok(parsed) => {
                self.row += 1;
                Some(Ok(parsed_record(self.row, parsed, self.ignore_unknown)))
            }
            Err(error) => {
                self.done = true;
                Some(Err(json_error(&self.path, error, self.line)))
            }
        }
    }
}

/// A NUL byte met by [`NulGuard`], at a 1-based line and column.
#[derive(Debug, thiserror::Error)]
#[error("a NUL byte at line {line} column {column}")]
struct NulAt {
    line: u64,
    column: u64,
}

/// Passes bytes through, counting lines and columns, and fails at a NUL byte, which
/// JSON text never has.
struct NulGuard<R> {
    inner: R,
    line: u64,
    column: u64,
}

impl<R> NulGuard<R> {
    fn new(inner: R, line: u64) -> Self {
        NulGuard {
            inner,
            line,
            column: 0,
        }
    }
}

impl<R: Read> Read for NulGuard<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let count = self.inner.read(buffer)?;
        for &byte in buffer.get(..count).unwrap_or_default() {
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.column = 0;
                }
                0 => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        NulAt {
                            line: self.line,
                            column: self.column + 1,
                        },
                    ))
                }
                // Continuation bytes of UTF-8 do not start a character.
                _ if byte & 0xC0 == 0x80 => {}
                _ => self.column += 1,
            }
        }
        Ok(count)
    }
}

/// A read error of a streamed JSON file: the NUL byte, the I/O error, or the syntax
/// error at its line (counted from `first_line`, where the JSON text starts) and column.
fn json_error(path: &Path, error: serde_json::Error, first_line: u64) -> ReadError {
    if error.is_io() {
        let io = std::io::Error::from(error);
        if let Some(nul) = io.get_ref().and_then(|inner| inner.downcast_ref::<NulAt>()) {
            return ReadError::Json {
                path: path.to_owned(),
                line: usize::try_from(nul.line).unwrap_or(usize::MAX),
                column: usize::try_from(nul.column).unwrap_or(usize::MAX),
                message: "a NUL byte, which JSON text never has: the file is damaged or not JSON"
                    .to_owned(),
            };
        }
        return ReadError::Io {
            path: path.to_owned(),
            source: io,
        };
    }
    let offset = usize::try_from(first_line.saturating_sub(1)).unwrap_or(0);
    ReadError::Json {
        path: path.to_owned(),
        line: error.line() + offset,
        column: error.column(),
        message: without_position(&error),
    }
}

/// serde_json's message without its " at line L column C", which callers give apart.
fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    message.strip_suffix(&suffix).unwrap_or(&message).to_owned()
}

/// The record of a parsed assessment; one with problems (or, unless they are ignored,
/// unknown keys) is a broken record.
fn parsed_record(row: u64, mut parsed: Parsed, ignore_unknown: bool) -> Record {
    let programme = parsed.programme.clone().unwrap_or_default();
    let mut problems = Vec::new();
    if !ignore_unknown {
        problems.append(&mut parsed.unknown);
    }
    problems.append(&mut parsed.problems);
    if !problems.is_empty() {
        return Record::broken(row, programme, problems);
    }
    match Assessment::try_from(parsed) {
        Ok(assessment) => Record::from_json(row, assessment, ignore_unknown),
        Err(error) => Record::broken(row, programme, vec![error]),
    }
}

/// Streams the elements of a JSON array from a reader thread. A syntax error ends the
/// stream with a [`ReadError`]; an element that is valid JSON but no assessment is a
/// broken record.
fn stream_array<R: Read + Send + 'static>(
    path: PathBuf,
    reader: R,
    ignore_unknown: bool,
) -> impl Iterator<Item = Result<Record, ReadError>> + Send {
    ReaderThread::spawn(ELEMENTS_IN_FLIGHT, move |sender| {
        let mut deserializer = serde_json::Deserializer::from_reader(reader);
        let elements = Elements {
            sender: &sender,
            ignore_unknown,
        };
        let parsed = elements
            .deserialize(&mut deserializer)
            .and_then(|()| deserializer.end());
        if let Err(error) = parsed {
            // The consumer may have stopped already; then nobody needs the error.
            let _ = sender.send(Err(json_error(&path, error, 1)));
        }
    })
}

/// Sends every element of a JSON array as a record, numbered from 1.
struct Elements<'a> {
    sender: &'a SyncSender<Result<Record, ReadError>>,
    ignore_unknown: bool,
}

impl<'de> DeserializeSeed<'de> for Elements<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an array of assessment objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut elements: A) -> Result<(), A::Error> {
        let mut row = 0;
        while let Some(parsed) = elements.next_element::<Parsed>()? {
            row += 1;
            let record = parsed_record(row, parsed, self.ignore_unknown);
            if self.sender.send(Ok(record)).is_err() {
                // The consumer stopped reading; so does the parser.
                return Err(serde::de::Error::custom("reading stopped"));
            }
        }
        Ok(())
    }
}

/// Opens a JSON Lines file, to be read a chunk of lines at a time.
pub(crate) fn open_lines(path: &Path, options: &ReadOptions) -> Result<LineChunks, ReadError> {
    let file = File::open(path).map_err(io_error(path))?;
    Ok(LineChunks {
        lines: Lines::new(
            BufReader::new(file),
            path.to_owned(),
            options.ignore_unknown_columns,
        ),
        known_questions: None,
    })
}

/// Lines that one rayon task parses together: each is some thousands of instructions,
/// so a few make a task worth handing out.
const LINES_PER_TASK: usize = 8;

/// A JSON Lines file read a chunk at a time: the lines are split off in file order (a
/// NUL byte or an I/O error stops the file there), then parsed into records on the
/// rayon pool, each line on its own, so the records are those the lines give one by one.
pub(crate) struct LineChunks {
    lines: Lines<BufReader<File>>,
    /// With `--ignore-unknown-columns`, the question ids whose comments are kept.
    known_questions: Option<HashSet<String>>,
}

impl LineChunks {
    /// The same lines, keeping only the comments on `known_questions` when given.
    pub(crate) fn keeping_comments_on(mut self, known_questions: Option<HashSet<String>>) -> Self {
        self.known_questions = known_questions;
        self
    }

    /// Up to `count` records, parsed on the rayon pool; fewer once their lines hold
    /// [`MAX_CHUNK_BYTES`]; a read error ends them.
    pub(crate) fn read_chunk(&mut self, count: usize) -> Vec<Result<Record, ReadError>> {
        let mut lines = Vec::with_capacity(count);
        let mut stop = None;
        let mut bytes = 0;
        while lines.len() < count && bytes < MAX_CHUNK_BYTES {
            match self.lines.next_line() {
                Ok(Some(line)) => {
                    bytes += line.bytes.len();
                    lines.push(line);
                }
                Ok(None) => break,
                Err(error) => {
                    stop = Some(error);
                    break;
                }
            }
        }
        let this = &*self;
        let parsed = lines
            .into_par_iter()
            .with_min_len(LINES_PER_TASK)
            .map(|line| Ok(this.record(&line)));
        let mut records: Vec<Result<Record, ReadError>> = parsed.collect();
        records.extend(stop.map(Err));
        records
    }

    /// The record of one line, its comments on unknown questions left out if asked.
    fn record(&self, line: &RawLine) -> Record {
        let record = line.record(self.lines.ignore_unknown);
        match &self.known_questions {
            Some(known) => without_unknown_comments(record, known),
            None => record,
        }
    }
}

impl Iterator for LineChunks {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.lines.next_line() {
            Ok(line) => line.map(|line| Ok(self.record(&line))),
            Err(error) => Some(Err(error)),
        }
    }
}

/// One non-blank line as read: its number, how it was read, and its bytes (at most
/// [`MAX_ROW_BYTES`] and the line end).
struct RawLine {
    line: u64,
    read: LineRead,
    bytes: Vec<u8>,
}

impl RawLine {
    /// The line's record: its assessment, or the error that the line is.
    fn record(&self, ignore_unknown: bool) -> Record {
        let bytes = self.bytes.trim_ascii();
        if self.read.truncated || bytes.len() > MAX_ROW_BYTES {
            return self.long_line();
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let message = format!(
                    "the line is not valid UTF-8 (at byte {}); JSON is UTF-8",
                    error.valid_up_to() + 1
                );
                return Record::broken(
                    self.line,
                    String::new(),
                    vec![RowError::row("UTF-8 text", message)],
                );
            }
        };
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let parsed = serde::Deserialize::deserialize(&mut deserializer)
            .and_then(|parsed: Parsed| deserializer.end().map(|()| parsed));
        match parsed {
            Ok(parsed) => parsed_record(self.line, parsed, ignore_unknown),
            Err(error) => Record::broken(
                self.line,
                String::new(),
                vec![RowError::row(
                    "one JSON assessment object on the line",
                    format!(
                        "the line is not valid JSON: column {}: {}",
                        error.column(),
                        without_position(&error)
                    ),
                )],
            ),
        }
    }

    fn long_line(&self) -> Record {
        let head = String::from_utf8_lossy(&self.bytes);
        let message = format!(
            "the line {} is longer than the {} a line may have",
            shown_head(&head, self.read.bytes),
            size(MAX_ROW_BYTES as u64)
        );
        let expected = format!("a line of at most {}", size(MAX_ROW_BYTES as u64));
        Record::broken(
            self.line,
            String::new(),
            vec![RowError::row(expected, message)],
        )
    }
}

/// JSON Lines from stdin, read as they come.
pub(crate) fn lines_from_stdin(
    options: &ReadOptions,
) -> impl Iterator<Item = Result<Record, ReadError>> + Send + 'static {
    Lines::new(
        BufReader::new(std::io::stdin()),
        PathBuf::from("<stdin>"),
        options.ignore_unknown_columns,
    )
}

/// One line as read, at most [`MAX_ROW_BYTES`] of it kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineRead {
    /// The line's size in bytes, its line end included.
    bytes: u64,
    /// The 0-based offset of the first NUL byte, if any.
    nul: Option<u64>,
    /// Whether bytes past the limit were left out.
    truncated: bool,
}

/// Reads a line into `buffer`, keeping at most `limit` bytes and its line end.
fn read_bounded_line(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Option<LineRead>> {
    buffer.clear();
    let mut read = LineRead {
        bytes: 0,
        nul: None,
        truncated: false,
    };
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok((read.bytes > 0).then_some(read));
        }
        let newline = memchr::memchr(b'\n', available);
        let chunk = available
            .get(..newline.map_or(available.len(), |at| at + 1))
            .unwrap_or_default();
        if let (None, Some(at)) = (read.nul, memchr::memchr(0, chunk)) {
            read.nul = Some(read.bytes + at as u64);
        }
        let room = limit.saturating_add(2).saturating_sub(buffer.len());
        buffer.extend_from_slice(chunk.get(..chunk.len().min(room)).unwrap_or_default());
        read.truncated |= chunk.len() > room;
        let length = chunk.len();
        read.bytes += length as u64;
        reader.consume(length);
        if newline.is_some() {
            return Ok(Some(read));
        }
    }
}

/// The records of JSON Lines, one per non-blank line, numbered by line.
struct Lines<R> {
    reader: R,
    path: PathBuf,
    ignore_unknown: bool,
    line: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    fn new(reader: R, path: PathBuf, ignore_unknown: bool) -> Self {
        Lines {
            reader,
            path,
            ignore_unknown,
            line: 0,
            buffer: Vec::new(),
        }
    }

    /// The record of the next line if that line holds one whole JSON value; `None`
    /// (with the line consumed) when it does not.
    fn first_whole_line(&mut self) -> Result<Option<Record>, ReadError> {
        let Some(read) = self.read_line()? else {
            return Ok(None);
        };
        let bytes = self.buffer.trim_ascii();
        if read.truncated || bytes.len() > MAX_ROW_BYTES {
            return Ok(None);
        }
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let whole = serde::Deserialize::deserialize(&mut deserializer)
            .and_then(|parsed: Parsed| deserializer.end().map(|()| parsed));
        Ok(whole
            .ok()
            .map(|parsed| parsed_record(self.line, parsed, self.ignore_unknown)))
    }

    /// Reads the next line into the buffer; a NUL byte fails the file.
    fn read_line(&mut self) -> Result<Option<LineRead>, ReadError> {
        let read = read_bounded_line(&mut self.reader, &mut self.buffer, MAX_ROW_BYTES)
            .map_err(io_error(&self.path))?;
        let Some(read) = read else {
            return Ok(None);
        };
        self.line += 1;
        if self.line == 1 && self.buffer.starts_with(UTF8_BOM) {
            self.buffer.drain(..UTF8_BOM.len());
        }
        if let Some(offset) = read.nul {
            return Err(self.nul_error(offset));
        }
        Ok(Some(read))
    }

    fn nul_error(&self, offset: u64) -> ReadError {
        let before = usize::try_from(offset).unwrap_or(usize::MAX);
        let kept = self.buffer.get(..before).unwrap_or(&self.buffer);
        let column = String::from_utf8_lossy(kept).chars().count() + 1;
        ReadError::Json {
            path: self.path.clone(),
            line: usize::try_from(self.line).unwrap_or(usize::MAX),
            column,
            message: "a NUL byte, which JSON text never has: the file is damaged or not JSON"
                .to_owned(),
        }
    }

    /// The next non-blank line, copied out of the buffer; `None` at the end.
    fn next_line(&mut self) -> Result<Option<RawLine>, ReadError> {
        loop {
            let Some(read) = self.read_line()? else {
                return Ok(None);
            };
            if !self.buffer.trim_ascii().is_empty() {
                return Ok(Some(RawLine {
                    line: self.line,
                    read,
                    bytes: self.buffer.clone(),
                }));
            }
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_line() {
            Ok(line) => line.map(|line| Ok(line.record(self.ignore_unknown))),
            Err(error) => Some(Err(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_blank_lines_skipped() {
        let text = "{\"programme\": \"a\"}\n\n{\"programme\": \"b\", \"answer\": {}}\r\nnot json\n";
        let records: Vec<Record> = Lines::new(text.as_bytes(), PathBuf::from("x"), false)
            .map(Result::unwrap)
            .collect();
        let rows: Vec<u64> = records.iter().map(|record| record.row).collect();
        assert_eq!(rows, [1, 3, 4]);
        assert_eq!(records[1].programme, "b");
        assert!(
            matches!(&records[1].content, super::super::records::Content::Broken(errors)
            if errors[0].message.contains("did you mean `answers`"))
        );
        assert!(
            matches!(&records[2].content, super::super::records::Content::Broken(errors)
            if errors[0].message.contains("not valid JSON"))
        );
    }

    #[test]
    fn comments_move_into_the_record_without_the_empty_ones() {
        let parsed: Parsed = serde_json::from_str(
            r#"{"programme": "a", "comments": {"q.een": " Notulen 12-3 ", "q.twee": "", "q.drie": null}}"#,
        )
        .unwrap();
        let record = parsed_record(1, parsed, false);
        assert_eq!(record.comments.len(), 1);
        assert_eq!(record.comments["q.een"], "Notulen 12-3");
        assert!(
            matches!(&record.content, super::super::records::Content::Json { assessment, .. }
            if assessment.comments.is_empty())
        );
    }

    #[test]
    fn a_line_at_the_limit_is_kept_and_one_past_it_is_cut() {
        let mut buffer = Vec::new();
        let line = format!("{}\r\nnext", "x".repeat(10));
        let mut reader = line.as_bytes();
        let read = read_bounded_line(&mut reader, &mut buffer, 10)
            .unwrap()
            .unwrap();
        assert!(!read.truncated);
        assert_eq!(read.bytes, 12);
        let line = format!("{}\n", "x".repeat(11));
        let read = read_bounded_line(&mut line.as_bytes(), &mut buffer, 10)
            .unwrap()
            .unwrap();
        assert!(!read.truncated);
        assert_eq!(buffer.trim_ascii().len(), 11);
        let line = "x".repeat(13);
        let read = read_bounded_line(&mut line.as_bytes(), &mut buffer, 10)
            .unwrap()
            .unwrap();
        assert!(read.truncated);
    }

    #[test]
    fn the_nul_guard_names_line_and_column() {
        let mut guard = NulGuard::new("ab\ncë\0".as_bytes(), 1);
        let error = guard.read_to_end(&mut Vec::new()).unwrap_err();
        let nul = error.get_ref().unwrap().downcast_ref::<NulAt>().unwrap();
        assert_eq!((nul.line, nul.column), (2, 3));
    }
}
