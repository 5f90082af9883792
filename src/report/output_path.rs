//! Output paths checked before any work starts: what each names now (nothing yet, a
//! regular file, a FIFO or character device, or something never to be replaced), that
//! its folder exists, and that no output overwrites an input or another output.

use std::fs::{self, FileType};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

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
    /// The folder the output would be in does not exist.
    #[error("cannot write `{output}`: the folder `{folder}` does not exist")]
    MissingFolder {
        /// The output path as given.
        output: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// What should be the output's folder is a file.
    #[error("cannot write `{output}`: `{folder}` is not a folder")]
    NotAFolder {
        /// The output path as given.
        output: PathBuf,
        /// Its would-be folder.
        folder: PathBuf,
    },
    /// The output path names a folder.
    #[error("cannot write `{output}`: it is a folder; name a file")]
    IsFolder {
        /// The output path as given.
        output: PathBuf,
    },
    /// The output path names something that is neither a regular file nor a stream:
    /// a block device, a socket.
    #[error(
        "cannot write `{output}`: it is {what}, not a regular file, a FIFO or a character device"
    )]
    Special {
        /// The output path as given.
        output: PathBuf,
        /// What it is: "a block device".
        what: &'static str,
    },
    /// The output path is a symbolic link to nothing.
    #[error("cannot write `{output}`: it is a symbolic link to a missing file")]
    DanglingLink {
        /// The output path as given.
        output: PathBuf,
    },
    /// The output path or its folder cannot be looked at.
    #[error("cannot write `{output}`: {source}")]
    Inaccessible {
        /// The output path as given.
        output: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// How an output is written, by what its path names now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputKind {
    /// Nothing yet, or a regular file: written into a temporary file beside `target`
    /// and renamed over it when complete.
    Replace {
        /// The file to replace: the path as given, or, behind a symbolic link, the
        /// file it points to (the link is kept).
        target: PathBuf,
    },
    /// A FIFO or a character device (`/dev/null`, a named pipe, a terminal): written
    /// straight into, like stdout, never replaced.
    Stream,
}

/// What an output path names and so how it is written; refuses folders, block devices,
/// sockets, dangling links and paths whose folder does not exist.
pub fn output_kind(output: &Path) -> Result<OutputKind, OutputPathError> {
    let inaccessible = |source| OutputPathError::Inaccessible {
        output: output.to_owned(),
        source,
    };
    let link = match fs::symlink_metadata(output) {
        Ok(link) => link,
        Err(error) if is_missing(&error) => return new_file(output),
        Err(error) => return Err(inaccessible(error)),
    };
    if !link.file_type().is_symlink() {
        return existing(output, link.file_type(), output.to_owned());
    }
    match fs::metadata(output) {
        Ok(pointed) => {
            let target = fs::canonicalize(output).map_err(inaccessible)?;
            existing(output, pointed.file_type(), target)
        }
        Err(error) if error.kind() == ErrorKind::NotFound => Err(OutputPathError::DanglingLink {
            output: output.to_owned(),
        }),
        Err(error) => Err(inaccessible(error)),
    }
}

/// Whether a look-up failed because the path does not exist: nothing has its name, or
/// one of its folders is a file.
fn is_missing(error: &std::io::Error) -> bool {
    matches!(error.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

/// A path that does not exist yet: its folder must.
fn new_file(output: &Path) -> Result<OutputKind, OutputPathError> {
    let folder = folder_of(output);
    match fs::metadata(folder) {
        Ok(metadata) if metadata.is_dir() => Ok(OutputKind::Replace {
            target: output.to_owned(),
        }),
        Ok(_) => Err(OutputPathError::NotAFolder {
            output: output.to_owned(),
            folder: folder.to_owned(),
        }),
        Err(error) if is_missing(&error) => Err(OutputPathError::MissingFolder {
            output: output.to_owned(),
            folder: folder.to_owned(),
        }),
        Err(source) => Err(OutputPathError::Inaccessible {
            output: output.to_owned(),
            source,
        }),
    }
}

/// An existing path of type `file_type`; `target` is where it really is.
fn existing(
    output: &Path,
    file_type: FileType,
    target: PathBuf,
) -> Result<OutputKind, OutputPathError> {
    if file_type.is_file() {
        return Ok(OutputKind::Replace { target });
    }
    if file_type.is_dir() {
        return Err(OutputPathError::IsFolder {
            output: output.to_owned(),
        });
    }
    match special_kind(file_type) {
        Ok(()) => Ok(OutputKind::Stream),
        Err(what) => Err(OutputPathError::Special {
            output: output.to_owned(),
            what,
        }),
    }
}

/// `Ok` for a FIFO or character device, else what the special file is.
#[cfg(unix)]
fn special_kind(file_type: FileType) -> Result<(), &'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() || file_type.is_char_device() {
        Ok(())
    } else if file_type.is_block_device() {
        Err("a block device")
    } else if file_type.is_socket() {
        Err("a socket")
    } else {
        Err("a special file")
    }
}

/// Elsewhere no special file is written.
#[cfg(not(unix))]
fn special_kind(_: FileType) -> Result<(), &'static str> {
    Err("a special file")
}

/// The folder a path is in; `.` for a bare file name.
pub(super) fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Checks every output before any work starts: each must be writable where it is (see
/// [`output_kind`]), none may overwrite an input, and no two files may be the same.
/// Paths are compared after resolving `.`, `..` and symbolic links; `-` (stdin or
/// stdout) is never a file, and a stream (`/dev/null`) may take more than one output.
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
        let kind = output_kind(output)?;
        let resolved_output = resolved(output);
        if let Some((_, what)) = claimed.iter().find(|(path, _)| *path == resolved_output) {
            return Err(OutputPathError::Collision {
                output: output.to_path_buf(),
                what: what.clone(),
            });
        }
        if kind != OutputKind::Stream {
            claimed.push((
                resolved_output,
                format!("the output file `{}`", output.display()),
            ));
        }
    }
    Ok(())
}

/// A path with its folder resolved; the file itself need not exist yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (folder_of(path).canonicalize(), path.file_name()) {
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
    fn an_output_in_a_missing_folder_or_onto_a_folder_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("nergens").join("s.json");
        let error = output_kind(&missing).unwrap_err();
        assert!(
            matches!(error, OutputPathError::MissingFolder { .. }),
            "{error}"
        );
        assert!(matches!(
            output_kind(folder.path()),
            Err(OutputPathError::IsFolder { .. })
        ));
        let file = folder.path().join("bestand");
        std::fs::write(&file, "").unwrap();
        assert!(matches!(
            output_kind(&file.join("s.json")),
            Err(OutputPathError::NotAFolder { .. })
        ));
        assert_eq!(
            output_kind(&file).unwrap(),
            OutputKind::Replace { target: file }
        );
        assert!(matches!(
            output_kind(Path::new("s.json")),
            Ok(OutputKind::Replace { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_is_a_stream_and_a_link_is_kept() {
        assert_eq!(
            output_kind(Path::new("/dev/null")).unwrap(),
            OutputKind::Stream
        );
        let null = Path::new("/dev/null");
        assert!(check_output_paths(&[], &[null, null]).is_ok());
        let folder = tempfile::tempdir().unwrap();
        let real = folder.path().join("echt.jsonl");
        std::fs::write(&real, "").unwrap();
        let link = folder.path().join("laatste.jsonl");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert_eq!(
            output_kind(&link).unwrap(),
            OutputKind::Replace {
                target: real.canonicalize().unwrap()
            }
        );
        let dangling = folder.path().join("weg.jsonl");
        std::os::unix::fs::symlink(folder.path().join("nergens"), &dangling).unwrap();
        assert!(matches!(
            output_kind(&dangling),
            Err(OutputPathError::DanglingLink { .. })
        ));
    }
}
