//! The edge where data comes in: rule sources, assessments, answer values checked
//! against their questions, and synthetic cohorts in the same shape.

mod answer;
mod answer_map;
mod assessment;
mod bounded_csv;
mod builder;
mod delimited;
mod json_records;
mod json_shape;
mod known_forms;
pub mod limits;
#[cfg(feature = "spreadsheets")]
mod ods_scan;
mod raw_rows;
mod reader_thread;
mod records;
mod rules;
#[cfg(feature = "spreadsheets")]
mod sheet_rows;
#[cfg(feature = "synthetic")]
mod synthetic;
mod table;
mod value;
#[cfg(feature = "spreadsheets")]
mod workbook;
#[cfg(not(feature = "spreadsheets"))]
#[path = "workbook_absent.rs"]
mod workbook;
#[cfg(feature = "spreadsheets")]
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

pub use answer::Answer;
pub use answer_map::{AnswerMap, AnswerMapIter};
pub use assessment::{Assessment, AssessmentError};
pub use builder::AssessmentBuilder;
pub use records::{
    open, InputFormat, ReadError, ReadOptions, Record, Records, RowError, PROGRAMME_COLUMN,
};
pub use rules::{
    memory_sources, read_sources, read_sources_with_paths, roadmap_sources, LoadError,
    MAX_FOLDER_DEPTH, MAX_RULES_FILES, MAX_RULES_FILE_BYTES, MAX_RULES_TOTAL_BYTES,
};
#[cfg(feature = "synthetic")]
pub use synthetic::{Cohort, OpenAnswer, SyntheticAnswer, SyntheticProgramme};
pub use value::{is_missing, parse_answer, parse_decimal, AnswerError, RawAnswer};
