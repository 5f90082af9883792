//! CSV rows split off the raw bytes without parsing them, and parsed later, anywhere.
//!
//! The reader of a CSV file only has to find where each row ends, which takes a few
//! `memchr` calls per row; splitting a row into its fields, unquoting them and checking
//! them can then run on the batch's worker threads. Both follow `csv_core`'s grammar
//! (quotes open a field only at its start, `""` inside quotes is one quote, a line end
//! outside quotes ends the row, blank lines are skipped), so the fields are the ones
//! `csv_core` reads; a property test holds them to it.

use std::ops::Range;

/// The quote character of CSV files.
const QUOTE: u8 = b'"';

/// Whether `delimiter` can be split on by [`record_end`] and [`ByteRow::parse`]: not a
/// quote, a line end or a non-ASCII byte (an Excel `sep=` line may name anything).
pub(crate) fn splits_on(delimiter: u8) -> bool {
    delimiter.is_ascii() && !matches!(delimiter, QUOTE | b'\n' | b'\r')
}

/// Whether `byte` ends a row outside quotes.
fn is_line_end(byte: u8) -> bool {
    matches!(byte, b'\n' | b'\r')
}

/// The number of line-end bytes at the start of `bytes`: the blank lines `csv_core`
/// skips before a row (and the `\n` of a `\r\n` after one).
pub(crate) fn line_ends(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&byte| is_line_end(byte)).count()
}

/// Where the row that starts `bytes` (not at a line end) ends: the index of its line
/// end outside quotes, or `None` when `bytes` ends first (the row may go on).
pub(crate) fn record_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut position = 0;
    loop {
        // Outside quotes: the next quote, or the line end.
        let found = position + memchr::memchr3(QUOTE, b'\n', b'\r', bytes.get(position..)?)?;
        if bytes.get(found) != Some(&QUOTE) {
            return Some(found);
        }
        let opens_field = found == 0 || bytes.get(found - 1) == Some(&delimiter);
        position = found + 1;
        if opens_field {
            position = quoted_end(bytes, position)?;
        }
    }
}

/// The index just past the quote that closes a quoted field whose text starts at
/// `start`; `None` when `bytes` ends before it is known.
fn quoted_end(bytes: &[u8], mut start: usize) -> Option<usize> {
    loop {
        let quote = start + memchr::memchr(QUOTE, bytes.get(start..)?)?;
        match bytes.get(quote + 1) {
            Some(&QUOTE) => start = quote + 2,
            Some(_) => return Some(quote + 1),
            None => return None,
        }
    }
}

/// A CSV row's fields as bytes: the row's own buffer with each quoted field unquoted
/// in place, and every field's range in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ByteRow {
    bytes: Vec<u8>,
    fields: Vec<Range<u32>>,
}

impl ByteRow {
    /// The fields of one row as [`record_end`] delimits it (no line end outside quotes).
    pub(crate) fn parse(row: &[u8], delimiter: u8) -> ByteRow {
        let mut parsed = ByteRow {
            bytes: row.to_vec(),
            // Room for the fields of a row of short answers without growing twice.
            fields: Vec::with_capacity((row.len() / 4 + 1).min(256)),
        };
        let mut start = 0;
        loop {
            if parsed.bytes.get(start) != Some(&QUOTE) {
                match parsed.unquoted_fields(start, delimiter) {
                    Some(quoted) => start = quoted,
                    None => return parsed,
                }
            }
            let (field, next) = parsed.field_at(start, delimiter);
            parsed.fields.push(narrow(field));
            if next >= parsed.bytes.len() {
                return parsed;
            }
            start = next + 1;
        }
    }

    /// The fields from `start` on up to the next one that opens with a quote, whose
    /// start is returned; `None` when the row ends first. One pass over the delimiters
    /// instead of a search per field: most fields are a few bytes.
    fn unquoted_fields(&mut self, mut start: usize, delimiter: u8) -> Option<usize> {
        let (bytes, fields) = (&self.bytes, &mut self.fields);
        let rest = bytes.get(start..).unwrap_or_default();
        let offset = start;
        for at in memchr::memchr_iter(delimiter, rest).map(|at| offset + at) {
            fields.push(narrow(start..at));
            start = at + 1;
            if bytes.get(start) == Some(&QUOTE) {
                return Some(start);
            }
        }
        fields.push(narrow(start..bytes.len()));
        None
    }

    /// Fields from their texts, one after another in one buffer.
    pub(crate) fn from_fields<'a>(fields: impl Iterator<Item = &'a [u8]>) -> ByteRow {
        let mut row = ByteRow::default();
        for field in fields {
            let start = row.bytes.len();
            row.bytes.extend_from_slice(field);
            row.fields.push(narrow(start..row.bytes.len()));
        }
        row
    }

    /// The field that starts at `start`, unquoted in place, and the index of the
    /// delimiter after it (the length at the end of the row).
    fn field_at(&mut self, start: usize, delimiter: u8) -> (Range<usize>, usize) {
        let length = self.bytes.len();
        let rest = self.bytes.get(start..).unwrap_or_default();
        if rest.first() != Some(&QUOTE) {
            let end = memchr::memchr(delimiter, rest).map_or(length, |at| start + at);
            return (start..end, end);
        }
        let mut written = start;
        let mut read = start + 1;
        loop {
            let rest = self.bytes.get(read..).unwrap_or_default();
            let Some(quote) = memchr::memchr(QUOTE, rest).map(|at| read + at) else {
                // A quote left open runs to the end of the row, as csv_core reads it.
                written = self.shift(read..length, written);
                return (start..written, length);
            };
            written = self.shift(read..quote, written);
            match self.bytes.get(quote + 1) {
                Some(&QUOTE) => {
                    written = self.shift(quote..quote + 1, written);
                    read = quote + 2;
                }
                _ => return self.after_closing_quote(start, written, quote + 1, delimiter),
            }
        }
    }

    /// A quoted field after its closing quote: anything up to the delimiter belongs to
    /// it as written, quotes included.
    fn after_closing_quote(
        &mut self,
        start: usize,
        written: usize,
        read: usize,
        delimiter: u8,
    ) -> (Range<usize>, usize) {
        let rest = self.bytes.get(read..).unwrap_or_default();
        let end = memchr::memchr(delimiter, rest).map_or(self.bytes.len(), |at| read + at);
        let written = self.shift(read..end, written);
        (start..written, end)
    }

    /// Moves `from` (at or after `to`) to `to`; the index past what was moved.
    fn shift(&mut self, from: Range<usize>, to: usize) -> usize {
        let length = from.len();
        if from.start != to {
            self.bytes.copy_within(from, to);
        }
        to + length
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// The bytes of all fields together (after unquoting), at least the longest
    /// field's.
    pub(crate) fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// Field `index`, if there is one.
    pub(crate) fn get(&self, index: usize) -> Option<&[u8]> {
        let range = self.fields.get(index)?;
        self.bytes.get(range.start as usize..range.end as usize)
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// The row as text when its buffer is ASCII (its fields are then too), taking the
    /// buffer over.
    pub(crate) fn into_ascii_text(self) -> Result<TextRow, ByteRow> {
        if !self.bytes.is_ascii() {
            return Err(self);
        }
        match String::from_utf8(self.bytes) {
            Ok(text) => Ok(TextRow {
                text,
                fields: self.fields,
            }),
            Err(error) => Err(ByteRow {
                bytes: error.into_bytes(),
                fields: self.fields,
            }),
        }
    }
}

/// A field range in the 32 bits a row needs (rows are bounded far below 4 GB).
fn narrow(range: Range<usize>) -> Range<u32> {
    let narrow = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
    narrow(range.start)..narrow(range.end)
}

/// A CSV row's fields as text: one buffer and every field's range in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TextRow {
    text: String,
    fields: Vec<Range<u32>>,
}

impl TextRow {
    /// Fields from their texts, one after another in one buffer.
    pub(crate) fn from_fields<'a>(fields: impl Iterator<Item = &'a str>) -> TextRow {
        let mut row = TextRow::default();
        for field in fields {
            let start = row.text.len();
            row.text.push_str(field);
            row.fields.push(narrow(start..row.text.len()));
        }
        row
    }

    /// The number of fields.
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `index`, if there is one.
    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let range = self.fields.get(index)?;
        self.text.get(range.start as usize..range.end as usize)
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.fields
            .iter()
            .filter_map(|range| self.text.get(range.start as usize..range.end as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::bounded_csv::{BoundedCsv, RawRecord};
    use proptest::prelude::*;

    /// The rows of `text` as the splitter and the field parser read them.
    fn split_all(text: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut rows = Vec::new();
        let mut position = 0;
        loop {
            position += line_ends(&text[position..]);
            if position >= text.len() {
                return rows;
            }
            let rest = &text[position..];
            let end = record_end(rest, delimiter).unwrap_or(rest.len());
            let row = ByteRow::parse(&rest[..end], delimiter);
            rows.push(row.iter().map(<[u8]>::to_vec).collect());
            position += end;
        }
    }

    /// The rows of `text` as csv_core reads them.
    fn csv_core_all(text: &[u8], delimiter: u8) -> Vec<Vec<Vec<u8>>> {
        let mut reader = BoundedCsv::new(text, delimiter);
        let mut rows = Vec::new();
        while let Ok(Ok(Some(RawRecord::Fields(fields)))) = reader.read(1 << 20) {
            rows.push(fields.iter().map(<[u8]>::to_vec).collect());
        }
        rows
    }

    #[test]
    fn quotes_open_a_field_only_at_its_start() {
        let text = b"a,\"b,\"\"c\"\"\nd\",e\"f,\"g\"h\"i,\"j\r\n\n\r\nk,,\n\"open,\nl";
        assert_eq!(split_all(text, b','), csv_core_all(text, b','));
        assert_eq!(split_all(text, b',').len(), 2);
    }

    #[test]
    fn a_row_cut_inside_quotes_is_not_ended() {
        assert_eq!(record_end(b"a,\"b\nc", b','), None);
        assert_eq!(record_end(b"a,\"b\"", b','), None);
        assert_eq!(record_end(b"a,\"b\"\"\nc\"\n", b','), Some(9));
        assert_eq!(record_end(b"a,b\"\nc", b','), Some(4));
    }

    proptest! {
        #[test]
        fn fields_are_the_ones_csv_core_reads(
            text in proptest::collection::vec(
                prop_oneof![
                    Just(b'a'), Just(b','), Just(b';'), Just(b'"'), Just(b'\n'),
                    Just(b'\r'), Just(b' '), Just(0xE9u8),
                ],
                0..80,
            ),
            semicolon in any::<bool>(),
        ) {
            let delimiter = if semicolon { b';' } else { b',' };
            prop_assert_eq!(split_all(&text, delimiter), csv_core_all(&text, delimiter));
        }
    }
}
