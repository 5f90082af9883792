//! The edge where data comes in: rule sources, assessments, and answer values checked
//! against their questions.

mod assessment;
mod rules;
mod value;

pub use assessment::{Assessment, AssessmentError};
pub use rules::{read_sources, roadmap_sources, LoadError};
pub use value::{expected, is_missing, parse_answer, parse_decimal, AnswerError, RawAnswer};

/// "; did you mean `x`?" when a candidate is close to `name`, else "".
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    crate::diagnostic::closest(name, candidates).map_or_else(String::new, |candidate| {
        format!("; did you mean `{candidate}`?")
    })
}
