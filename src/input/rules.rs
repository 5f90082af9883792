//! Rule sources from disk or from the binary: a `.rules` file, a folder of them, or the
//! embedded Roadmap.

use std::path::{Path, PathBuf};

use crate::compile::{compile, Compiled, ParamOverride};
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::ruleset::RuleSet;

include!(concat!(env!("OUT_DIR"), "/roadmap_files.rs"));

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
    /// The rules do not compile.
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
pub fn read_sources(path: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    if !path.is_dir() {
        let text = std::fs::read_to_string(path).map_err(io)?;
        let hash_name = path
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        return Ok(vec![SourceFile {
            name: path.display().to_string(),
            hash_name,
            text: text.into(),
        }]);
    }
    let mut files = Vec::new();
    collect_rule_files(path, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).map_err(|source| LoadError::Io {
                path: file.clone(),
                source,
            })?;
            let relative = file.strip_prefix(path).unwrap_or(&file);
            let hash_name = relative.to_string_lossy().replace('\\', "/");
            Ok(SourceFile {
                name: file.display().to_string(),
                hash_name,
                text: text.into(),
            })
        })
        .collect()
}

fn collect_rule_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_rule_files(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|extension| extension == "rules")
        {
            files.push(path);
        }
    }
    Ok(())
}

impl RuleSet {
    /// The embedded Roadmap to studentsucces, compiled.
    ///
    /// The embedded rules are checked by the test suite, so this cannot fail in a
    /// released binary; should it anyway, the error lists every diagnostic.
    pub fn roadmap() -> Result<RuleSet, LoadError> {
        Self::roadmap_with(&[]).map(|compiled| compiled.ruleset)
    }

    /// The embedded Roadmap with param overrides, and its warnings.
    pub fn roadmap_with(overrides: &[ParamOverride]) -> Result<Compiled, LoadError> {
        compile(roadmap_sources(), overrides).map_err(LoadError::Invalid)
    }

    /// Compiles the rules in a file or folder.
    pub fn from_path(path: &Path) -> Result<RuleSet, LoadError> {
        Self::from_path_with(path, &[]).map(|compiled| compiled.ruleset)
    }

    /// Compiles the rules in a file or folder with param overrides, keeping warnings.
    pub fn from_path_with(path: &Path, overrides: &[ParamOverride]) -> Result<Compiled, LoadError> {
        compile(read_sources(path)?, overrides).map_err(LoadError::Invalid)
    }
}
