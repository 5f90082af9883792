//! CSV records read with a bounded buffer: csv_core parses into at most a given number
//! of bytes per record, and a record past that is skipped to its end (quotes and all)
//! while its size is counted, so one huge cell costs a buffer, not its size in memory.

use std::io::BufRead;

use super::raw_rows::ByteRow;

/// Bytes parsed at a time while a record that broke the limit is skipped.
const SKIP_CHUNK: usize = 64 * 1024;

/// The first buffer of a record; it doubles up to the limit.
const FIRST_CAPACITY: usize = 4 * 1024;

/// One record as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawRecord {
    /// The fields, within the limit.
    Fields(ByteRow),
    /// A record longer than the limit, skipped.
    TooLong(Overflow),
}

/// What is known of a record that broke the limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Overflow {
    /// The fields read whole before the limit, for the programme id.
    pub(crate) complete: ByteRow,
    /// The whole record's size in bytes (fields only).
    pub(crate) bytes: u64,
    /// The record's longest field: its position, size and first bytes.
    pub(crate) longest: LongField,
}

/// A field of an overlong record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LongField {
    /// Its 0-based position in the record.
    pub(crate) position: usize,
    /// Its size in bytes.
    pub(crate) bytes: u64,
    /// Its first bytes, as far as they were kept.
    pub(crate) head: Vec<u8>,
}

/// A NUL byte met in a record: the 0-based field it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NulByte {
    pub(crate) field: usize,
}

/// Reads CSV records of at most `limit` bytes each.
pub(crate) struct BoundedCsv<R> {
    input: R,
    core: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
}

/// How a read ended.
pub(crate) type ReadResult = std::io::Result<Result<Option<RawRecord>, NulByte>>;

impl<R: BufRead> BoundedCsv<R> {
    /// The input, to read on from where the last record ended.
    pub(crate) fn input_mut(&mut self) -> &mut R {
        &mut self.input
    }

    /// The input back, where the last record ended.
    pub(crate) fn into_input(self) -> R {
        self.input
    }

    /// A reader of `input` with fields separated by `delimiter`.
    pub(crate) fn new(input: R, delimiter: u8) -> Self {
        BoundedCsv {
            input,
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            output: vec![0; FIRST_CAPACITY],
            ends: vec![0; 64],
        }
    }

    /// The next record, `None` at the end; a record past `limit` bytes is skipped and
    /// described; a NUL byte anywhere in the record is reported with its field.
    pub(crate) fn read(&mut self, limit: usize) -> ReadResult {
        let (mut out_len, mut ends_len) = (0, 0);
        // One byte past the limit tells a record of exactly `limit` bytes, which csv_core
        // reports as a full buffer before it sees the line end, from a longer one.
        let capacity = limit.saturating_add(1);
        self.output.resize(self.output.len().clamp(1, capacity), 0);
        loop {
            let input = self.input.fill_buf()?;
            let output = self.output.get_mut(out_len..).unwrap_or_default();
            let ends = self.ends.get_mut(ends_len..).unwrap_or_default();
            let (result, read, written, ended) = self.core.read_record(input, output, ends);
            self.input.consume(read);
            out_len += written;
            ends_len += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull if self.output.len() >= capacity => {
                    return self.skip_rest(out_len, ends_len, limit, false);
                }
                csv_core::ReadRecordResult::OutputFull => {
                    let grown = (self.output.len() * 2).min(capacity);
                    self.output.resize(grown, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                csv_core::ReadRecordResult::Record if out_len > limit => {
                    return self.skip_rest(out_len, ends_len, limit, true);
                }
                csv_core::ReadRecordResult::Record => {
                    return Ok(self.record(out_len, ends_len).map(Some));
                }
                csv_core::ReadRecordResult::End => return Ok(Ok(None)),
            }
        }
    }

    /// The record just read, or the NUL byte in it.
    fn record(&self, out_len: usize, ends_len: usize) -> Result<RawRecord, NulByte> {
        let bytes = self.output.get(..out_len).unwrap_or_default();
        let ends = self.ends.get(..ends_len).unwrap_or_default();
        if let Some(position) = memchr_nul(bytes) {
            return Err(NulByte {
                field: field_at(ends, position),
            });
        }
        Ok(RawRecord::Fields(fields(bytes, ends)))
    }

    /// Parses the rest of a record into a scratch buffer, counting its fields' sizes;
    /// returns the record's size, or the NUL byte met on the way.
    fn skip_to_record_end(
        &mut self,
        sizes: &mut FieldSizes,
        mut total: usize,
    ) -> std::io::Result<Result<usize, NulByte>> {
        let mut scratch = vec![0; SKIP_CHUNK];
        let mut scratch_ends = vec![0; SKIP_CHUNK];
        loop {
            let input = self.input.fill_buf()?;
            let (result, read, written, ended_fields) =
                self.core
                    .read_record(input, &mut scratch, &mut scratch_ends);
            self.input.consume(read);
            let chunk = scratch.get(..written).unwrap_or_default();
            let chunk_ends = scratch_ends.get(..ended_fields).unwrap_or_default();
            if let Some(position) = memchr_nul(chunk) {
                let before = chunk_ends.iter().filter(|&&end| end <= total + position);
                let field = sizes.count + before.count();
                return Ok(Err(NulByte { field }));
            }
            total += written;
            sizes.add(chunk_ends);
            if matches!(
                result,
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End
            ) {
                return Ok(Ok(total));
            }
        }
    }

    /// Describes an overlong record after parsing the rest of it;
    /// `ended` when the record ended exactly one byte past the limit.
    fn skip_rest(
        &mut self,
        out_len: usize,
        ends_len: usize,
        limit: usize,
        ended: bool,
    ) -> ReadResult {
        let kept = self.output.get(..out_len).unwrap_or_default();
        let kept_ends = self.ends.get(..ends_len).unwrap_or_default().to_vec();
        if let Some(position) = memchr_nul(kept) {
            return Ok(Err(NulByte {
                field: field_at(&kept_ends, position),
            }));
        }
        let complete = fields(kept, &kept_ends);
        let mut sizes = FieldSizes::new(&kept_ends);
        let mut total = out_len;
        if !ended {
            total = match self.skip_to_record_end(&mut sizes, total)? {
                Ok(total) => total,
                Err(nul) => return Ok(Err(nul)),
            };
        }
        sizes.finish(total);
        let longest = sizes.longest(&self.output, &kept_ends, limit);
        Ok(Ok(Some(RawRecord::TooLong(Overflow {
            complete,
            bytes: total as u64,
            longest,
        }))))
    }
}

/// The sizes of the fields of an overlong record as they are parsed.
struct FieldSizes {
    /// Fields ended so far.
    count: usize,
    /// Where the last ended field ended.
    last_end: usize,
    /// The longest field so far: position and size.
    longest: (usize, usize),
}

impl FieldSizes {
    fn new(kept_ends: &[usize]) -> Self {
        let mut sizes = FieldSizes {
            count: 0,
            last_end: 0,
            longest: (0, 0),
        };
        sizes.add(kept_ends);
        sizes
    }

    fn add(&mut self, ends: &[usize]) {
        for &end in ends {
            let size = end.saturating_sub(self.last_end);
            if size > self.longest.1 {
                self.longest = (self.count, size);
            }
            self.count += 1;
            self.last_end = end;
        }
    }

    /// Counts the field still open at the end of the input.
    fn finish(&mut self, total: usize) {
        if total > self.last_end {
            self.add(&[total]);
        }
    }

    /// The longest field, with the first bytes kept of it.
    fn longest(&self, output: &[u8], kept_ends: &[usize], limit: usize) -> LongField {
        let (position, bytes) = self.longest;
        let start = match position {
            0 => 0,
            _ => kept_ends.get(position - 1).copied().unwrap_or(limit),
        };
        let end = kept_ends.get(position).copied().unwrap_or(limit);
        let head = output
            .get(start.min(limit)..end.min(limit).min(output.len()))
            .unwrap_or_default();
        LongField {
            position,
            bytes: bytes as u64,
            head: head.iter().copied().take(256).collect(),
        }
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&byte| byte == 0)
}

/// The 0-based field that the byte at `position` belongs to.
fn field_at(ends: &[usize], position: usize) -> usize {
    ends.iter().filter(|&&end| end <= position).count()
}

fn fields(bytes: &[u8], ends: &[usize]) -> ByteRow {
    let starts = std::iter::once(0).chain(ends.iter().copied());
    let ranges = starts.zip(ends.iter().copied());
    ByteRow::from_fields(ranges.map(|(start, end)| bytes.get(start..end).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(text: &[u8], limit: usize) -> Vec<Result<RawRecord, NulByte>> {
        let mut reader = BoundedCsv::new(text, b',');
        let mut records = Vec::new();
        loop {
            match reader.read(limit).unwrap() {
                Ok(Some(record)) => records.push(Ok(record)),
                Ok(None) => return records,
                Err(nul) => {
                    records.push(Err(nul));
                    return records;
                }
            }
        }
    }

    fn fields_of(record: &Result<RawRecord, NulByte>) -> Vec<String> {
        match record {
            Ok(RawRecord::Fields(fields)) => fields
                .iter()
                .map(|field| String::from_utf8_lossy(field).into_owned())
                .collect(),
            other => panic!("not fields: {other:?}"),
        }
    }

    #[test]
    fn records_within_the_limit_are_read_whole() {
        let records = read_all(b"a,\"b,\nc\"\r\n1,2\n\n3", 100);
        let all: Vec<Vec<String>> = records.iter().map(fields_of).collect();
        assert_eq!(all, [vec!["a", "b,\nc"], vec!["1", "2"], vec!["3"]]);
    }

    #[test]
    fn a_record_at_the_limit_is_read_and_one_past_it_is_skipped() {
        let at_limit = format!("{},b\nnext\n", "x".repeat(9));
        let records = read_all(at_limit.as_bytes(), 10);
        assert_eq!(fields_of(&records[0]), ["x".repeat(9), "b".to_owned()]);
        let past = format!("id,\"{}\",c\nnext\n", "y\n".repeat(50));
        let records = read_all(past.as_bytes(), 10);
        let Ok(RawRecord::TooLong(overflow)) = &records[0] else {
            panic!("{records:?}");
        };
        assert_eq!(overflow.bytes, 103);
        assert_eq!(overflow.longest.position, 1);
        assert_eq!(overflow.longest.bytes, 100);
        assert_eq!(overflow.longest.head, b"y\ny\ny\ny\n");
        assert_eq!(overflow.complete.get(0), Some(&b"id"[..]));
        assert_eq!(fields_of(&records[1]), ["next"]);
    }

    #[test]
    fn a_nul_byte_names_its_field() {
        let records = read_all(b"a,b\nc,d\0e\n", 100);
        assert_eq!(records[1], Err(NulByte { field: 1 }));
        let long = format!("a,{}\0\n", "z".repeat(100));
        assert_eq!(read_all(long.as_bytes(), 10)[0], Err(NulByte { field: 1 }));
    }
}
