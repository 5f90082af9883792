//! Output files written atomically: into a temporary file beside the target, renamed
//! over it only when complete. A failed or interrupted run leaves the previous file
//! untouched and no partial file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Why output files cannot be written where asked.
#[derive(Debug, thiserror::Error)]
pub enum OutputPathError {
    /// An output path names an input file (or another output).
    #[error("`{output}` is also {what}; refusing to overwrite it")]
    Collision {
        /// The output path as given.
        output: PathBuf,
        /// What else it is: "the input file `x`".
        what: String,
    },
}

/// A file being written; [`AtomicFile::commit`] puts it in place.
#[derive(Debug)]
pub struct AtomicFile {
    writer: BufWriter<NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts a file that will replace `path`; the temporary file lives in the same
    /// folder, so the final rename does not cross file systems.
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = path.file_name().unwrap_or(path.as_os_str());
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            // As a plain new file: read-write for all, less the umask.
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temporary = builder.tempfile_in(folder).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot create a file in `{}`: {error}", folder.display()),
            )
        })?;
        Ok(AtomicFile {
            writer: BufWriter::with_capacity(1 << 20, temporary),
            path: path.to_owned(),
        })
    }

    /// The path the file will have.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file to disk and renames it over the target.
    pub fn commit(self) -> std::io::Result<()> {
        let path = self.path;
        let temporary = self
            .writer
            .into_inner()
            .map_err(|error| error.into_error())?;
        temporary.as_file().sync_all()?;
        temporary.persist(&path).map_err(|error| {
            std::io::Error::new(
                error.error.kind(),
                format!("cannot write `{}`: {}", path.display(), error.error),
            )
        })?;
        sync_folder(&path);
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.writer.write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.writer.write_all(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// Makes the rename durable where the platform allows syncing a folder; a failure
/// there loses nothing that a crash would not, so it is not an error.
fn sync_folder(path: &Path) {
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        if let Ok(folder) = File::open(folder) {
            let _ = folder.sync_all();
        }
    }
}

/// Refuses outputs that would overwrite an input or each other. Paths are compared
/// after resolving `.`, `..` and symbolic links; `-` (stdin or stdout) is never a file.
pub fn check_output_paths(inputs: &[&Path], outputs: &[&Path]) -> Result<(), OutputPathError> {
    let mut claimed: Vec<(PathBuf, String)> = inputs
        .iter()
        .filter(|path| **path != Path::new("-"))
        .map(|path| {
            (
                resolved(path),
                format!("the input file `{}`", path.display()),
            )
        })
        .collect();
    for output in outputs.iter().filter(|path| **path != Path::new("-")) {
        let resolved_output = resolved(output);
        if let Some((_, what)) = claimed.iter().find(|(path, _)| *path == resolved_output) {
            return Err(OutputPathError::Collision {
                output: output.to_path_buf(),
                what: what.clone(),
            });
        }
        claimed.push((
            resolved_output,
            format!("the output file `{}`", output.display()),
        ));
    }
    Ok(())
}

/// A path with its folder resolved; the file itself need not exist yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_equal_to_an_input_is_refused_however_spelled() {
        let folder = tempfile::tempdir().unwrap();
        let input = folder.path().join("in.csv");
        std::fs::write(&input, "programme\n").unwrap();
        let same = folder.path().join(".").join("in.csv");
        let error = check_output_paths(&[&input], &[&same]).unwrap_err();
        assert!(error.to_string().contains("input file"), "{error}");
        let other = folder.path().join("out.jsonl");
        assert!(check_output_paths(&[&input], &[&other]).is_ok());
        let error = check_output_paths(&[&input], &[&other, &other]).unwrap_err();
        assert!(error.to_string().contains("output file"), "{error}");
        assert!(check_output_paths(&[Path::new("-")], &[Path::new("-")]).is_ok());
    }

    #[test]
    fn a_file_appears_only_on_commit_and_replaces_the_old_one() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let entries = std::fs::read_dir(folder.path()).unwrap().count();
        assert_eq!(entries, 1, "no temporary file is left behind");
    }

    #[test]
    fn a_dropped_file_leaves_nothing_behind() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.txt");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        drop(file);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);
    }
}
