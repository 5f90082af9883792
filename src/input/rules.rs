//! Rule sources from disk or from the binary: a `.rules` file, a folder of them, or the
//! embedded Roadmap.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostics, SourceFile};

include!(concat!(env!("OUT_DIR"), "/roadmap_files.rs"));

/// The largest rules file read, in bytes (10 MiB; the whole Roadmap is under 100 kB).
pub const MAX_RULES_FILE_BYTES: u64 = crate::syntax::MAX_FILE_BYTES as u64;

/// The most bytes read for one rule set, all its files together (32 MiB).
pub const MAX_RULES_TOTAL_BYTES: u64 = 32 * 1024 * 1024;

/// The most `.rules` files read from one folder, subfolders included.
pub const MAX_RULES_FILES: usize = 1000;

/// How many folders deep below the rules folder `.rules` files are looked for.
pub const MAX_FOLDER_DEPTH: usize = 16;

/// Why rules could not be loaded.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum LoadError {
    /// A file or folder could not be read.
    #[error("cannot read rules at `{path}`: {source}")]
    #[diagnostic(
        code(studentsucces::io),
        help("pass a `.rules` file or a folder that holds them")
    )]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A folder holds no `.rules` file.
    #[error("no `.rules` files in `{path}`")]
    #[diagnostic(code(studentsucces::no_rules), help("rule files end in `.rules`"))]
    Empty {
        /// The folder.
        path: PathBuf,
    },
    /// A rules file larger than [`MAX_RULES_FILE_BYTES`].
    #[error("`{path}` is larger than {limit} bytes, the limit for a rules file")]
    #[diagnostic(
        code(studentsucces::limit),
        help("split the rules into several files in one folder, and pass the folder")
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// Rules files that together are larger than [`MAX_RULES_TOTAL_BYTES`].
    #[error("the rules files under `{path}` together are larger than {limit} bytes")]
    #[diagnostic(
        code(studentsucces::limit),
        help("pass the folder of one rule set; the whole Roadmap is under 100 kB")
    )]
    TooLargeTogether {
        /// The rules folder.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// A folder reached a second time, through a symbolic link.
    #[error("`{path}` leads to `{target}`, a folder already read (a symbolic link loop?)")]
    #[diagnostic(
        code(studentsucces::folder_loop),
        help("remove the link, or pass a folder in which every folder is reached once")
    )]
    Loop {
        /// The folder as reached the second time.
        path: PathBuf,
        /// What it resolves to.
        target: PathBuf,
    },
    /// A folder nested deeper than [`MAX_FOLDER_DEPTH`] below the rules folder.
    #[error("`{path}` is more than {limit} folders deep below the rules folder")]
    #[diagnostic(
        code(studentsucces::limit),
        help("keep rules files at most {limit} folders deep")
    )]
    TooDeep {
        /// The folder.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_RULES_FILES`] `.rules` files under the rules folder.
    #[error("more than {limit} `.rules` files under `{path}`")]
    #[diagnostic(
        code(studentsucces::limit),
        help("pass the folder of one rule set; a rule set is a few dozen files")
    )]
    TooManyFiles {
        /// The rules folder.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// The rules do not compile (or a file is not UTF-8).
    #[error("the rules have {} error(s)", .0.errors().count())]
    #[diagnostic(code(studentsucces::invalid_rules))]
    Invalid(Diagnostics),
}

/// The embedded Roadmap's sources, named as under `rules/roadmap/`.
pub fn roadmap_sources() -> Vec<SourceFile> {
    ROADMAP_FILES
        .iter()
        .map(|(name, text)| SourceFile {
            name: format!("rules/roadmap/{name}"),
            hash_name: (*name).to_owned(),
            text: (*text).into(),
        })
        .collect()
}

/// Reads a `.rules` file, or every `.rules` file under a folder (recursively, in path
/// order). Hash names are relative to the folder, so a copy hashes like the original.
///
/// A leading UTF-8 byte-order mark is skipped. Files that are not UTF-8 are reported
/// together, each at its first invalid byte, as [`LoadError::Invalid`]. Files, folders
/// and their nesting are bounded by [`MAX_RULES_FILE_BYTES`], [`MAX_RULES_TOTAL_BYTES`],
/// [`MAX_RULES_FILES`] and [`MAX_FOLDER_DEPTH`], and a folder reached twice (a symbolic
/// link loop) is an error.
pub fn read_sources(path: &Path) -> Result<Vec<SourceFile>, LoadError> {
    Ok(read_sources_with_paths(path)?
        .into_iter()
        .map(|(_, source)| source)
        .collect())
}

/// [`read_sources`], each source with the path it was read from (for a tool such as
/// `fmt` that writes the files back).
pub fn read_sources_with_paths(path: &Path) -> Result<Vec<(PathBuf, SourceFile)>, LoadError> {
    let files = if path.is_dir() {
        rule_files(path)?
    } else {
        vec![path.to_owned()]
    };
    let mut sources = Vec::with_capacity(files.len());
    let mut not_utf8 = Vec::new();
    let mut total: u64 = 0;
    for file in files {
        let hash_name = if file == path {
            path.file_name()
                .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
        } else {
            let relative = file.strip_prefix(path).unwrap_or(&file);
            relative.to_string_lossy().replace('\\', "/")
        };
        let bytes = read_bounded(&file)?;
        total += bytes.len() as u64;
        if total > MAX_RULES_TOTAL_BYTES {
            return Err(LoadError::TooLargeTogether {
                path: path.to_owned(),
                limit: MAX_RULES_TOTAL_BYTES,
            });
        }
        match SourceFile::from_bytes(file.display().to_string(), hash_name, &bytes) {
            Ok(source) => sources.push((file, source)),
            Err(diagnostic) => not_utf8.push(*diagnostic),
        }
    }
    if !not_utf8.is_empty() {
        return Err(LoadError::Invalid(Diagnostics(not_utf8)));
    }
    Ok(sources)
}

/// Rule sources held in memory, as `(name, text)` pairs, held to the limits of files
/// read from a folder: at most [`MAX_RULES_FILES`] of them, none larger than
/// [`MAX_RULES_FILE_BYTES`], all together at most [`MAX_RULES_TOTAL_BYTES`]; none at
/// all is [`LoadError::Empty`]. The names are used as given, for diagnostics and hash.
pub fn memory_sources<N, T>(
    sources: impl IntoIterator<Item = (N, T)>,
) -> Result<Vec<SourceFile>, LoadError>
where
    N: Into<String>,
    T: AsRef<str>,
{
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for (name, text) in sources {
        let name: String = name.into();
        let bytes = text.as_ref().as_bytes();
        if files.len() == MAX_RULES_FILES {
            return Err(LoadError::TooManyFiles {
                path: PathBuf::from(MEMORY_SOURCES),
                limit: MAX_RULES_FILES,
            });
        }
        if bytes.len() as u64 > MAX_RULES_FILE_BYTES {
            return Err(LoadError::TooLarge {
                path: PathBuf::from(name),
                limit: MAX_RULES_FILE_BYTES,
            });
        }
        total += bytes.len() as u64;
        if total > MAX_RULES_TOTAL_BYTES {
            return Err(LoadError::TooLargeTogether {
                path: PathBuf::from(MEMORY_SOURCES),
                limit: MAX_RULES_TOTAL_BYTES,
            });
        }
        match SourceFile::from_bytes(name.clone(), name, bytes) {
            Ok(source) => files.push(source),
            Err(diagnostic) => return Err(LoadError::Invalid(Diagnostics(vec![*diagnostic]))),
        }
    }
    if files.is_empty() {
        return Err(LoadError::Empty {
            path: PathBuf::from(MEMORY_SOURCES),
        });
    }
    Ok(files)
}

/// How rules held in memory are named as a whole in errors.
const MEMORY_SOURCES: &str = "<rules in memory>";

/// A file's bytes, refusing (without reading it all) one larger than the limit.
fn read_bounded(path: &Path) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(MAX_RULES_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_RULES_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            limit: MAX_RULES_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Every `.rules` file under `root`, sorted by path.
fn rule_files(root: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut walk = FolderWalk {
        root,
        files: Vec::new(),
        visited: HashSet::new(),
    };
    walk.visit(root, 0)?;
    let mut files = walk.files;
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Empty {
            path: root.to_owned(),
        });
    }
    Ok(files)
}

/// The state of a walk through a rules folder.
struct FolderWalk<'a> {
    root: &'a Path,
    files: Vec<PathBuf>,
    /// Canonical paths of the folders read so far, to stop at a symbolic link loop.
    visited: HashSet<PathBuf>,
}

impl FolderWalk<'_> {
    /// Collects the `.rules` files of `dir`, `depth` folders below the root.
    fn visit(&mut self, dir: &Path, depth: usize) -> Result<(), LoadError> {
        let io = |source| LoadError::Io {
            path: dir.to_owned(),
            source,
        };
        if depth > MAX_FOLDER_DEPTH {
            return Err(LoadError::TooDeep {
                path: dir.to_owned(),
                limit: MAX_FOLDER_DEPTH,
            });
        }
        let canonical = dir.canonicalize().map_err(io)?;
        if !self.visited.insert(canonical.clone()) {
            return Err(LoadError::Loop {
                path: dir.to_owned(),
                target: canonical,
            });
        }
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.is_dir() {
                self.visit(&path, depth + 1)?;
            } else if path
                .extension()
                .is_some_and(|extension| extension == "rules")
            {
                self.add(path)?;
            }
        }
        Ok(())
    }

    fn add(&mut self, file: PathBuf) -> Result<(), LoadError> {
        if self.files.len() == MAX_RULES_FILES {
            return Err(LoadError::TooManyFiles {
                path: self.root.to_owned(),
                limit: MAX_RULES_FILES,
            });
        }
        self.files.push(file);
        Ok(())
    }
}
