//! Rule sets from their sources: the rules `input` reads, compiled by `compile`. The one
//! place that does both, so that neither reading nor compiling depends on the other.

use std::path::Path;

use crate::compile::{compile, Compiled, ParamOverride};
use crate::input::{read_sources, roadmap_sources, LoadError};
use crate::ruleset::RuleSet;

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
