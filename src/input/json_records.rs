//! Assessments as JSON: one object, an array of them (streamed element by element on
//! a reader thread), or JSON Lines (one object per line, from a file or stdin). A line
//! that is not an assessment is an error of that line; the others are still read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use super::records::{io_error, ReadError, ReadOptions, Record, Records, RowError};
use super::Assessment;

/// Elements in flight between the JSON array reader thread and the consumer.
const ELEMENTS_IN_FLIGHT: usize = 256;

/// The keys of an assessment object.
const ASSESSMENT_KEYS: [&str; 4] = ["programme", "meta", "answers", "comments"];

/// Opens a `.json` file: an array is streamed; one object, or several one after
/// another, are read whole.
pub(crate) fn open_json(path: &Path, options: &ReadOptions) -> Result<Records, ReadError> {
    let mut reader = BufReader::new(File::open(path).map_err(io_error(path))?);
    let ignore = options.ignore_unknown_columns;
    match first_byte(&mut reader).map_err(io_error(path))? {
        Some(b'[') => Ok(Records::new(stream_array(path.to_owned(), reader, ignore))),
        Some(b'{') => read_objects(path, reader, ignore),
        Some(_) => Err(ReadError::Json {
            path: path.to_owned(),
            line: 1,
            column: 1,
            message: "expected an assessment object `{` or an array of them `[`".to_owned(),
        }),
        None => Err(ReadError::Empty {
            path: path.to_owned(),
        }),
    }
}

/// The first byte that is not whitespace, left unread; `None` at the end.
fn first_byte(reader: &mut impl BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buffer = reader.fill_buf()?;
        let Some(&byte) = buffer.first() else {
            return Ok(None);
        };
        if byte.is_ascii_whitespace() || buffer.starts_with(b"\xEF\xBB\xBF") {
            let skip = if byte.is_ascii_whitespace() { 1 } else { 3 };
            reader.consume(skip);
        } else {
            return Ok(Some(byte));
        }
    }
}

/// One or more objects one after another, numbered from 1.
fn read_objects(
    path: &Path,
    mut reader: impl Read,
    ignore_unknown: bool,
) -> Result<Records, ReadError> {
    let mut text = Vec::new();
    reader.read_to_end(&mut text).map_err(io_error(path))?;
    let values: Vec<Value> = serde_json::Deserializer::from_slice(&text)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .map_err(|error| json_error(path, &error))?;
    let single = values.len() == 1;
    let records: Vec<Result<Record, ReadError>> = (1..)
        .zip(values)
        .map(|(row, value)| Ok(value_record(row, value, ignore_unknown)))
        .collect();
    let records = Records::new(records.into_iter());
    Ok(if single { records.single() } else { records })
}

fn json_error(path: &Path, error: &serde_json::Error) -> ReadError {
    ReadError::Json {
        path: path.to_owned(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    }
}

/// The record of one JSON value; a value that is not an assessment is a broken record.
fn value_record(row: u64, value: Value, ignore_unknown: bool) -> Record {
    let programme = value
        .get("programme")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let expected = "an assessment object {\"programme\": ..., \"meta\": {...}, \"answers\": {...}, \"comments\": {...}}";
    if let Some(error) = unknown_key(&value).filter(|_| !ignore_unknown) {
        return Record::broken(row, programme, vec![error]);
    }
    match serde_json::from_value::<Assessment>(value) {
        Ok(assessment) => Record::from_json(row, assessment, ignore_unknown),
        Err(error) => Record::broken(
            row,
            programme,
            vec![RowError::row(
                expected,
                format!("not an assessment: {error}"),
            )],
        ),
    }
}

/// A key of an assessment object other than programme, meta, answers and comments: a typo such
/// as `answer` would otherwise lose every answer without a word.
fn unknown_key(value: &Value) -> Option<RowError> {
    let object = value.as_object()?;
    let key = object
        .keys()
        .find(|key| !ASSESSMENT_KEYS.contains(&key.as_str()))?;
    let suggestion = super::did_you_mean(key, ASSESSMENT_KEYS.into_iter());
    Some(RowError {
        column: Some(key.clone()),
        value: object.get(key).map(Value::to_string),
        expected: "only the keys programme, meta, answers and comments".to_owned(),
        message: format!("unknown key `{key}` in the assessment{suggestion}"),
    })
}

/// Streams the elements of a JSON array from a reader thread. A syntax error ends the
/// stream with a [`ReadError`]; an element that is valid JSON but no assessment is a
/// broken record.
fn stream_array(
    path: PathBuf,
    reader: BufReader<File>,
    ignore_unknown: bool,
) -> impl Iterator<Item = Result<Record, ReadError>> + Send {
    let (sender, receiver) = sync_channel(ELEMENTS_IN_FLIGHT);
    std::thread::spawn(move || {
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
            let _ = sender.send(Err(json_error(&path, &error)));
        }
    });
    receiver.into_iter()
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
        while let Some(value) = elements.next_element::<Value>()? {
            row += 1;
            let record = value_record(row, value, self.ignore_unknown);
            if self.sender.send(Ok(record)).is_err() {
                // The consumer stopped reading; so does the parser.
                return Err(serde::de::Error::custom("reading stopped"));
            }
        }
        Ok(())
    }
}

/// Opens a JSON Lines file.
pub(crate) fn open_lines(path: &Path, options: &ReadOptions) -> Result<Records, ReadError> {
    let file = File::open(path).map_err(io_error(path))?;
    Ok(Records::new(Lines::new(
        BufReader::new(file),
        path.to_owned(),
        options.ignore_unknown_columns,
    )))
}

/// JSON Lines from stdin.
pub(crate) fn read_lines_from_stdin(options: &ReadOptions) -> Records {
    Records::new(Lines::new(
        BufReader::new(std::io::stdin()),
        PathBuf::from("<stdin>"),
        options.ignore_unknown_columns,
    ))
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

    fn line_record(&self, bytes: &[u8]) -> Record {
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                let message = format!("the line is not valid UTF-8 ({error}); JSON is UTF-8");
                return Record::broken(
                    self.line,
                    String::new(),
                    vec![RowError::row("UTF-8 text", message)],
                );
            }
        };
        match serde_json::from_str::<Value>(text) {
            Ok(value) => value_record(self.line, value, self.ignore_unknown),
            Err(error) => Record::broken(
                self.line,
                String::new(),
                vec![RowError::row(
                    "one JSON assessment object on the line",
                    format!("the line is not valid JSON: {error}"),
                )],
            ),
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buffer.clear();
            match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(source) => {
                    return Some(Err(ReadError::Io {
                        path: self.path.clone(),
                        source,
                    }))
                }
            }
            let mut bytes = self.buffer.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            if !bytes.trim_ascii().is_empty() {
                return Some(Ok(self.line_record(bytes.trim_ascii())));
            }
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
        let value = serde_json::json!({
            "programme": "a",
            "comments": {"q.een": " Notulen 12-3 ", "q.twee": "", "q.drie": null}
        });
        let record = value_record(1, value, false);
        assert_eq!(record.comments.len(), 1);
        assert_eq!(record.comments["q.een"], "Notulen 12-3");
        assert!(
            matches!(&record.content, super::super::records::Content::Json { assessment, .. }
            if assessment.comments.is_empty())
        );
    }
}
