//! The module's exceptions and the library errors they carry, with the library's
//! messages.

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyKeyError};
use pyo3::PyErr;
use studentsucces::ErrorKind;

create_exception!(
    studentsucces,
    Error,
    PyException,
    "Every error of this module: rules that do not compile, an assessment that does not fit."
);
create_exception!(
    studentsucces,
    RulesError,
    Error,
    "The rules (or a param override or profile) do not load; the message holds the rendered diagnostics."
);
create_exception!(
    studentsucces,
    AssessmentError,
    Error,
    "An assessment does not fit the rules' questions; the message names the field and value."
);

/// A rule set that cannot be loaded, as [`RulesError`]: for rules that do not compile,
/// the count and every diagnostic rendered as the command line prints them; for a
/// profile that does not fit, every problem with its line and column.
pub fn rules_error(error: &studentsucces::Error) -> PyErr {
    if let Some(diagnostics) = error.diagnostics() {
        let errors = diagnostics.errors().count();
        let warnings = diagnostics.warnings().count();
        return RulesError::new_err(format!(
            "the rules have {errors} error(s) and {warnings} warning(s)\n{}",
            diagnostics.render_plain()
        ));
    }
    if let Some(problems) = error.profile_problems() {
        let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return RulesError::new_err(format!(
            "the profile has {} error(s)\n{}",
            problems.len(),
            lines.join("\n")
        ));
    }
    RulesError::new_err(error.to_string())
}

/// An error of advising or explaining: a tip the rules do not have is a `KeyError`,
/// anything else an [`AssessmentError`].
pub fn advice_error(error: &studentsucces::Error) -> PyErr {
    match error.kind() {
        ErrorKind::UnknownTip => PyKeyError::new_err(error.to_string()),
        _ => assessment_error(error.to_string()),
    }
}

/// An assessment that cannot be advised, as [`AssessmentError`].
pub fn assessment_error(message: impl Into<String>) -> PyErr {
    AssessmentError::new_err(message.into())
}
