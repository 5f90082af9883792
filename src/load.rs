//! Rule sets from their sources: the rules `input` reads, compiled by `compile`, with
//! the param overrides and the institution profile of [`Options`] applied while the
//! rule set is built. The one place that does both, so that neither reading nor
//! compiling depends on the other.

use std::path::Path;

use crate::compile::{compile, Compiled, ParamOverride};
use crate::diagnostic::SourceFile;
use crate::error::Error;
use crate::input::{memory_sources, read_sources, roadmap_sources, LoadError};
use crate::plan::{Profile, ProfileError};
use crate::ruleset::RuleSet;

/// How a rule set is built: param overrides and an institution profile. Both are part
/// of the rule set's content hash, so every advice names exactly what produced it.
///
/// ```
/// # fn main() -> Result<(), studentsucces::Error> {
/// use studentsucces::{Options, RuleSet};
///
/// let options = Options::new()
///     .param("focus", 3.0)
///     .profile_toml("profile.toml", "remove = [\"ouders\"]\n")?;
/// let ruleset = RuleSet::roadmap_with(&options)?;
/// assert_ne!(ruleset.info().hash, RuleSet::roadmap()?.info().hash);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    params: Vec<ParamOverride>,
    profile: Option<Profile>,
}

impl Options {
    /// No overrides and no profile: the rules as written.
    pub fn new() -> Options {
        Options::default()
    }

    /// Uses `value` for the param `name` instead of its default.
    pub fn param(mut self, name: impl Into<String>, value: f64) -> Options {
        self.params.push(ParamOverride {
            name: name.into(),
            value,
        });
        self
    }

    /// Adds param overrides, as `--param name=value` parses them.
    pub fn params(mut self, overrides: impl IntoIterator<Item = ParamOverride>) -> Options {
        self.params.extend(overrides);
        self
    }

    /// Reports plans in the roles of an institution profile.
    pub fn profile(mut self, profile: Profile) -> Options {
        self.profile = Some(profile);
        self
    }

    /// Reports plans in the roles of the profile in `text`; `file` names it in errors.
    pub fn profile_toml(self, file: &str, text: impl Into<String>) -> Result<Options, Error> {
        Ok(self.profile(Profile::parse(file, text)?))
    }

    /// Reports plans in the roles of the profile in the file at `path`.
    pub fn profile_path(self, path: impl AsRef<Path>) -> Result<Options, Error> {
        Ok(self.profile(Profile::read(path.as_ref())?))
    }

    /// The param overrides, in the order given.
    pub fn param_overrides(&self) -> &[ParamOverride] {
        &self.params
    }

    /// The institution profile, if any.
    pub fn institution_profile(&self) -> Option<&Profile> {
        self.profile.as_ref()
    }
}

impl RuleSet {
    /// The embedded Roadmap to studentsucces, compiled, with its warnings.
    ///
    /// The embedded rules are checked by the test suite, so this cannot fail in a
    /// released binary; should it anyway, the error lists every diagnostic.
    pub fn roadmap() -> Result<Compiled, Error> {
        Self::roadmap_with(&Options::default())
    }

    /// The embedded Roadmap with param overrides and a profile, and its warnings.
    pub fn roadmap_with(options: &Options) -> Result<Compiled, Error> {
        build(roadmap_sources(), options)
    }

    /// Compiles the rules in a `.rules` file or a folder of them, with its warnings.
    pub fn from_path(path: impl AsRef<Path>, options: &Options) -> Result<Compiled, Error> {
        build(read_sources(path.as_ref())?, options)
    }

    /// Compiles rules held in memory (say, in a database) as `(name, text)` pairs, with
    /// its warnings. The names appear in diagnostics and, sorted, in the content hash;
    /// the limits on files and sizes are those of [`RuleSet::from_path`].
    pub fn from_sources<N, T>(
        sources: impl IntoIterator<Item = (N, T)>,
        options: &Options,
    ) -> Result<Compiled, Error>
    where
        N: Into<String>,
        T: AsRef<str>,
    {
        build(memory_sources(sources)?, options)
    }
}

/// Compiles `sources` and applies the options' profile, so the rule set is final.
fn build(sources: Vec<SourceFile>, options: &Options) -> Result<Compiled, Error> {
    let mut compiled = compile(sources, &options.params).map_err(LoadError::Invalid)?;
    if let Some(profile) = &options.profile {
        with_profile(&mut compiled.ruleset, profile)?;
    }
    Ok(compiled)
}

/// Applies a profile to a rule set being built and adds it to the content hash.
fn with_profile(ruleset: &mut RuleSet, profile: &Profile) -> Result<(), ProfileError> {
    ruleset.set_profile(profile)?;
    ruleset.info.hash = crate::compile::profile_hash(&ruleset.info.hash, profile.text());
    Ok(())
}
