//! The limits every reader holds hostile input to, in one place, and how a value that
//! breaks one is shown in a message. README.md's "Limits" table lists the same numbers.
//!
//! The numbers keep the peak memory of one run under 300 MB for any input file of at
//! most 10 MB: rows stream, so a row's size times the rows in flight (about 1,100:
//! the batch's two chunks and the reader's read-ahead) bounds what is held at once.

/// The bytes of one cell (a CSV field, a workbook cell, a JSON string). Excel itself
/// stops at 32,767 characters, which is at most this many bytes for most text.
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// The bytes of one data row (a CSV record, a workbook row's text, a JSON Lines line).
/// A row past it is the error of that programme; the other rows are still read.
pub const MAX_ROW_BYTES: usize = 128 * 1024;

/// The bytes of the rows (CSV records, JSON Lines lines) read into one batch chunk, at
/// least one row: ordinary rows of a few kilobytes fill a chunk's count long before,
/// while a chunk of 512 rows near [`MAX_ROW_BYTES`] would hold 64 MB, and again in
/// every copy made of it while it is parsed.
pub const MAX_CHUNK_BYTES: usize = 8 << 20;

/// The bytes of the header row; a longer header fails the file.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

/// The columns of a table: the header's columns, a workbook cell's column, and the
/// entries of a JSON assessment's `answers`, `comments` and `meta`. The full
/// questionnaire of the Roadmap has about 350.
pub const MAX_COLUMNS: usize = 2048;

/// The row numbers of a sheet: Excel's last row. A reference past it is corrupt.
pub const MAX_SHEET_ROWS: u64 = 1_048_576;

/// The cells of a sheet that calamine reads whole (.xls, .ods), counted with every
/// repeat spelled out and over the rectangle from the first to the last used cell.
pub const MAX_SHEET_CELLS: u64 = 1_000_000;

/// The text of the sheets that calamine reads whole (.ods), with every repeated cell
/// spelled out.
pub const MAX_SHEET_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// The uncompressed size of a zipped workbook (.xlsx, .xlsm, .xlsb, .ods), all entries
/// together, as its central directory declares it (the zip reader holds each entry to
/// its declared size).
pub const MAX_WORKBOOK_UNCOMPRESSED: u64 = 64 * 1024 * 1024;

/// How many times larger than its compressed size an entry of a zipped workbook may be
/// once inflated; entries under [`RATIO_FREE_BYTES`] are exempt.
pub const MAX_COMPRESSION_RATIO: u64 = 100;

/// Entries up to this uncompressed size are not held to [`MAX_COMPRESSION_RATIO`]:
/// small XML parts compress well and cannot hurt.
pub const RATIO_FREE_BYTES: u64 = 1024 * 1024;

/// Names (columns, keys, sheets) longer than this get no "did you mean".
pub use crate::diagnostic::MAX_SUGGESTED_NAME_BYTES;

/// The problems a header error lists; past it, a last line counts the rest.
pub const MAX_HEADER_PROBLEMS: usize = 20;

/// The characters of a value that a message shows before cutting it with "…".
pub const SHOWN_CHARS: usize = 40;

/// A value as a message shows it: in backticks, cut after [`SHOWN_CHARS`] characters
/// with "…" and its size, so that a 200 MB cell does not become a 200 MB message:
/// "`abcdef…` (200 MB)".
pub fn shown(value: &str) -> String {
    match cut(value) {
        Some(head) => format!("`{head}…` ({})", size(value.len() as u64)),
        None => format!("`{value}`"),
    }
}

/// A value cut after [`SHOWN_CHARS`] characters with "…" and its size, without
/// backticks, for the `value` of an error record; short values are returned whole.
pub fn clipped(value: &str) -> String {
    match cut(value) {
        Some(head) => format!("{head}… ({})", size(value.len() as u64)),
        None => value.to_owned(),
    }
}

/// The first bytes of a value too large to keep, as a message shows it: its first
/// [`SHOWN_CHARS`] characters, "…" and the size of the whole value.
pub fn shown_head(head: &str, bytes: u64) -> String {
    format!("`{}…` ({})", cut(head).unwrap_or(head), size(bytes))
}

/// [`shown_head`] without backticks, for the `value` of an error record.
pub fn clipped_head(head: &str, bytes: u64) -> String {
    format!("{}… ({})", cut(head).unwrap_or(head), size(bytes))
}

/// The first [`SHOWN_CHARS`] characters of a longer value; `None` when it is short.
fn cut(value: &str) -> Option<&str> {
    let (end, _) = value.char_indices().nth(SHOWN_CHARS)?;
    value.get(..end)
}

/// A byte count for people: "812 bytes", "64 KB", "200 MB" (binary units).
pub fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    const GB: u64 = 1024 * MB;
    match bytes {
        0..KB => format!("{bytes} bytes"),
        KB..MB => format!("{} KB", rounded(bytes, KB)),
        MB..GB => format!("{} MB", rounded(bytes, MB)),
        _ => format!("{} GB", rounded(bytes, GB)),
    }
}

/// `bytes / unit` with one decimal when it is below 10 and not whole.
fn rounded(bytes: u64, unit: u64) -> String {
    let tenths = (bytes * 10 + unit / 2) / unit;
    if tenths < 100 && tenths % 10 != 0 {
        format!("{}.{}", tenths / 10, tenths % 10)
    } else {
        format!("{}", (tenths + 5) / 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_shown_whole() {
        assert_eq!(shown("12,5"), "`12,5`");
        let forty = "a".repeat(SHOWN_CHARS);
        assert_eq!(shown(&forty), format!("`{forty}`"));
    }

    #[test]
    fn long_values_are_cut_with_their_size() {
        let long = "ë".repeat(SHOWN_CHARS + 1);
        let head = "ë".repeat(SHOWN_CHARS);
        assert_eq!(shown(&long), format!("`{head}…` (82 bytes)"));
        assert_eq!(clipped(&long), format!("{head}… (82 bytes)"));
        let huge = "x".repeat(200 << 20);
        assert!(shown(&huge).ends_with("…` (200 MB)"));
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(size(812), "812 bytes");
        assert_eq!(size(64 * 1024), "64 KB");
        assert_eq!(size(1536), "1.5 KB");
        assert_eq!(size(200 << 20), "200 MB");
        assert_eq!(size(3 << 30), "3 GB");
    }
}
