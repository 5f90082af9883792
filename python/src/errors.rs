//! The module's exceptions and the library errors they carry, with the library's
//! messages.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;
use studentsucces::input::LoadError;

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
    "The rules (or a param override) do not compile; the message holds the rendered diagnostics."
);
create_exception!(
    studentsucces,
    AssessmentError,
    Error,
    "An assessment does not fit the rules' questions; the message names the field and value."
);

/// A rule set that cannot be loaded, as [`RulesError`]: for rules that do not compile,
/// the count and every diagnostic rendered as the command line prints them.
pub fn rules_error(error: LoadError) -> PyErr {
    match error {
        LoadError::Invalid(diagnostics) => {
            let errors = diagnostics.errors().count();
            let warnings = diagnostics.warnings().count();
            RulesError::new_err(format!(
                "the rules have {errors} error(s) and {warnings} warning(s)\n{}",
                diagnostics.render_plain()
            ))
        }
        other => RulesError::new_err(other.to_string()),
    }
}

/// An assessment that cannot be advised, as [`AssessmentError`].
pub fn assessment_error(message: impl Into<String>) -> PyErr {
    AssessmentError::new_err(message.into())
}
