//! The edge where data comes in: rule sources, assessments, and answer values checked
//! against their questions.

mod assessment;
mod bounded_csv;
mod delimited;
mod json_records;
mod json_shape;
pub mod limits;
mod ods_scan;
mod reader_thread;
mod records;
mod rules;
mod sheet_rows;
mod table;
mod value;
mod workbook;
mod workbook_zip;

/// Metadata columns an input file may carry besides `programme` and the question ids;
/// they are carried into the assessment's `meta`.
pub const METADATA_COLUMNS: [&str; 4] = ["name", "institution", "faculty", "contact"];

/// The suffix of a question's comment column: `toetsing.frequentie#toelichting` holds
/// the programme's comment or evidence for its answer to `toetsing.frequentie`.
pub const COMMENT_SUFFIX: &str = "#toelichting";

/// The comment column of a question: `<question id>#toelichting`.
pub fn comment_column(question_id: &str) -> String {
    format!("{question_id}{COMMENT_SUFFIX}")
}

pub use assessment::{Assessment, AssessmentError};
pub use records::{
    open, InputFormat, ReadError, ReadOptions, Record, Records, RowError, PROGRAMME_COLUMN,
};
pub use rules::{
    read_sources, roadmap_sources, LoadError, MAX_FOLDER_DEPTH, MAX_RULES_FILES,
    MAX_RULES_FILE_BYTES, MAX_RULES_TOTAL_BYTES,
};
pub use value::{expected, is_missing, parse_answer, parse_decimal, AnswerError, RawAnswer};

/// "; did you mean `x`?" when a candidate is close to `name`, else "". Names and
/// candidates longer than [`limits::MAX_SUGGESTED_NAME_BYTES`] get no suggestion: the
/// edit distance takes time in the product of the lengths, and no typo is that long.
pub(crate) fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    if name.len() > limits::MAX_SUGGESTED_NAME_BYTES {
        return String::new();
    }
    let short = candidates.filter(|candidate| candidate.len() <= limits::MAX_SUGGESTED_NAME_BYTES);
    crate::diagnostic::closest(name, short).map_or_else(String::new, |candidate| {
        format!("; did you mean `{candidate}`?")
    })
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;
    use super::limits::MAX_SUGGESTED_NAME_BYTES;

    #[test]
    fn a_name_at_the_suggestion_limit_still_gets_one() {
        let candidate = "a".repeat(MAX_SUGGESTED_NAME_BYTES);
        let name = format!("{}b", "a".repeat(MAX_SUGGESTED_NAME_BYTES - 1));
        let suggestion = did_you_mean(&name, std::iter::once(candidate.as_str()));
        assert!(suggestion.contains(&candidate), "{suggestion}");
    }

    #[test]
    fn a_name_past_the_suggestion_limit_gets_none() {
        let candidate = "a".repeat(MAX_SUGGESTED_NAME_BYTES + 1);
        let name = format!("{}b", "a".repeat(MAX_SUGGESTED_NAME_BYTES));
        assert_eq!(did_you_mean(&name, std::iter::once(candidate.as_str())), "");
        assert_eq!(
            did_you_mean("aaaa", std::iter::once(candidate.as_str())),
            ""
        );
    }
}
