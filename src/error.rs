//! One error type for the library's entry points ([`Error`]), so that a tool calling
//! the engine handles one type and asks [`Error::kind`] what went wrong. It wraps the
//! specific errors (which the command line renders with their diagnostics) and keeps
//! their messages and `source()` chains.

use crate::diagnostic::Diagnostics;
use crate::input::{AssessmentError, LoadError, ReadError, RowError};
use crate::plan::{ProfileError, ProfileProblem};

/// What kind of problem an [`Error`] is, for a caller that handles some kinds itself
/// (say, shows an assessment's problems to the team that filled it in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The rules do not compile; [`Error::diagnostics`] has every finding.
    Rules,
    /// Rule sources could not be read, or break a limit on files and sizes.
    Io,
    /// An institution profile could not be read or does not fit the rules.
    Profile,
    /// An assessment's answers do not fit the questions.
    Assessment,
    /// An input file or text could not be read as assessments.
    Input,
    /// Output could not be written.
    Output,
    /// A tip id the rule set does not have.
    UnknownTip,
}

/// Any error of the library's entry points; [`Error::kind`] tells which kind.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct Error(Repr);

#[derive(Debug, thiserror::Error)]
enum Repr {
    #[error(transparent)]
    Load(LoadError),
    #[error(transparent)]
    Profile(ProfileError),
    #[error(transparent)]
    Assessment(AssessmentError),
    #[error(transparent)]
    Read(ReadError),
    #[error(transparent)]
    Row(RowError),
    #[error(transparent)]
    Json(serde_json::Error),
    #[error(transparent)]
    Output(std::io::Error),
    #[error("`{tip}` is not a tip of this rule set{suggestion}")]
    UnknownTip { tip: String, suggestion: String },
}

impl Error {
    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        match &self.0 {
            Repr::Load(LoadError::Invalid(_)) => ErrorKind::Rules,
            Repr::Load(_) => ErrorKind::Io,
            Repr::Profile(_) => ErrorKind::Profile,
            Repr::Assessment(_) => ErrorKind::Assessment,
            Repr::Read(_) | Repr::Row(_) | Repr::Json(_) => ErrorKind::Input,
            Repr::Output(_) => ErrorKind::Output,
            Repr::UnknownTip { .. } => ErrorKind::UnknownTip,
        }
    }

    /// Every diagnostic (errors and warnings) when the rules do not compile.
    pub fn diagnostics(&self) -> Option<&Diagnostics> {
        match &self.0 {
            Repr::Load(LoadError::Invalid(diagnostics)) => Some(diagnostics),
            _ => None,
        }
    }

    /// Every problem of an institution profile that does not fit, in file order.
    pub fn profile_problems(&self) -> Option<&[ProfileProblem]> {
        match &self.0 {
            Repr::Profile(ProfileError::Invalid { problems }) => Some(problems),
            _ => None,
        }
    }

    /// The assessment's problems, one per answer that does not fit.
    pub fn assessment(&self) -> Option<&AssessmentError> {
        match &self.0 {
            Repr::Assessment(error) => Some(error),
            _ => None,
        }
    }

    /// The error of loading rules, when this is one.
    pub fn as_load(&self) -> Option<&LoadError> {
        match &self.0 {
            Repr::Load(error) => Some(error),
            _ => None,
        }
    }

    /// A tip id the rule set does not have, with a "did you mean" when one is close.
    pub(crate) fn unknown_tip(tip: &str, suggestion: String) -> Error {
        Error(Repr::UnknownTip {
            tip: tip.to_owned(),
            suggestion,
        })
    }
}

impl From<LoadError> for Error {
    fn from(error: LoadError) -> Self {
        Error(Repr::Load(error))
    }
}

impl From<Diagnostics> for Error {
    /// Rules that do not compile, as loading reports them.
    fn from(diagnostics: Diagnostics) -> Self {
        Error(Repr::Load(LoadError::Invalid(diagnostics)))
    }
}

impl From<ProfileError> for Error {
    fn from(error: ProfileError) -> Self {
        Error(Repr::Profile(error))
    }
}

impl From<AssessmentError> for Error {
    fn from(error: AssessmentError) -> Self {
        Error(Repr::Assessment(error))
    }
}

impl From<ReadError> for Error {
    fn from(error: ReadError) -> Self {
        Error(Repr::Read(error))
    }
}

impl From<RowError> for Error {
    fn from(error: RowError) -> Self {
        Error(Repr::Row(error))
    }
}

impl From<serde_json::Error> for Error {
    /// JSON that is not an assessment (of kind [`ErrorKind::Input`]).
    fn from(error: serde_json::Error) -> Self {
        Error(Repr::Json(error))
    }
}

impl From<std::io::Error> for Error {
    /// Writing output failed (of kind [`ErrorKind::Output`]); reading rules and
    /// profiles report their own kinds.
    fn from(error: std::io::Error) -> Self {
        Error(Repr::Output(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_messages_of_the_wrapped_errors() {
        let load = LoadError::Empty {
            path: "rules".into(),
        };
        let message = load.to_string();
        let error = Error::from(load);
        assert_eq!(error.kind(), ErrorKind::Io);
        assert_eq!(error.to_string(), message);
        let io = std::io::Error::other("disk full");
        let error = Error::from(LoadError::Io {
            path: "a.rules".into(),
            source: io,
        });
        let source = std::error::Error::source(&error).map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("disk full"));
        assert_eq!(
            Error::from(Diagnostics(Vec::new())).kind(),
            ErrorKind::Rules
        );
    }
}
