//! The zip container of a workbook (.xlsx, .xlsm, .xlsb, .ods), checked before calamine
//! inflates any of it: the sizes its central directory declares (the zip reader holds
//! every entry to its declared size) bound the uncompressed workbook and each entry's
//! compression ratio, so a zip bomb is refused in a few milliseconds.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use super::limits::{
    shown, size, MAX_COMPRESSION_RATIO, MAX_WORKBOOK_UNCOMPRESSED, RATIO_FREE_BYTES,
};
use super::records::ReadError;

/// An open zip archive of a workbook.
pub(crate) type Archive = zip::ZipArchive<BufReader<File>>;

/// Opens the workbook's zip archive and checks its declared sizes.
pub(crate) fn check(path: &Path, kind: &str) -> Result<Archive, ReadError> {
    let file = File::open(path).map_err(super::records::io_error(path))?;
    let archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|error| not_a_workbook(path, kind, &describe(&error)))?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_data(index)
            .map_err(|error| not_a_workbook(path, kind, &describe(&error)))?;
        let (inflated, deflated) = (entry.size(), entry.compressed_size());
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        total = total.saturating_add(inflated);
        if total > MAX_WORKBOOK_UNCOMPRESSED {
            return Err(too_large(path, total));
        }
        if too_compressed(inflated, deflated) {
            return Err(bomb(path, &name, inflated, deflated));
        }
    }
    Ok(archive)
}

/// Whether an entry inflates more than [`MAX_COMPRESSION_RATIO`] times; entries up to
/// [`RATIO_FREE_BYTES`] are exempt.
fn too_compressed(inflated: u64, deflated: u64) -> bool {
    inflated > RATIO_FREE_BYTES && inflated > deflated.saturating_mul(MAX_COMPRESSION_RATIO)
}

/// "`x.xlsx` is not a valid Excel workbook (…)".
pub(crate) fn not_a_workbook(path: &Path, kind: &str, why: &str) -> ReadError {
    ReadError::Workbook {
        path: path.to_owned(),
        message: format!("is not a valid {kind} ({why})"),
    }
}

/// A zip error in words.
fn describe(error: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match error {
        ZipError::Io(source) => format!("it cannot be read: {source}"),
        ZipError::InvalidArchive(detail) => {
            format!("it is not a zip archive, or a damaged one: {detail}")
        }
        ZipError::UnsupportedArchive(detail) => {
            format!("its zip archive uses a feature that is not read: {detail}")
        }
        ZipError::FileNotFound => {
            "a part of the workbook is missing from its zip archive".to_owned()
        }
        ZipError::InvalidPassword => "it is protected with a password".to_owned(),
        other => format!("its zip archive cannot be read: {other}"),
    }
}

fn too_large(path: &Path, total: u64) -> ReadError {
    ReadError::Workbook {
        path: path.to_owned(),
        message: format!(
            "inflates to more than {} (at least {}), more than a workbook may have; it may be a zip bomb, or hold pictures or other sheets: save the sheet with the programmes alone",
            size(MAX_WORKBOOK_UNCOMPRESSED),
            size(total)
        ),
    }
}

fn bomb(path: &Path, name: &str, inflated: u64, deflated: u64) -> ReadError {
    ReadError::Workbook {
        path: path.to_owned(),
        message: format!(
            "its part {} inflates from {} to {}, more than {MAX_COMPRESSION_RATIO} times; a workbook compresses far less, so this is taken for a zip bomb",
            shown(name),
            size(deflated),
            size(inflated)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_at_the_ratio_is_taken_and_one_past_it_refused() {
        let deflated = RATIO_FREE_BYTES;
        assert!(!too_compressed(deflated * MAX_COMPRESSION_RATIO, deflated));
        assert!(too_compressed(
            deflated * MAX_COMPRESSION_RATIO + 1,
            deflated
        ));
    }

    #[test]
    fn small_entries_are_exempt_from_the_ratio() {
        assert!(!too_compressed(RATIO_FREE_BYTES, 1));
        assert!(too_compressed(RATIO_FREE_BYTES + 1, 1));
    }
}
