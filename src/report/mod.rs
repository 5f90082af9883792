//! The edge where results go out: the advice document (JSON contract) and its renderings
//! for people (text, and HTML or Markdown pages in [`programme`]).

mod advice;
mod atomic;
mod catalogue;
#[cfg(feature = "synthetic")]
mod cohort;
mod contract;
mod dashboard;
mod escape;
mod explain;
mod explain_text;
mod lang;
mod long_csv;
mod output;
mod output_path;
pub mod programme;
mod progress;
mod questionnaire;
mod sheet_rows;
mod summary;
mod text;
#[cfg(feature = "spreadsheets")]
mod workbook;

pub use advice::{
    Advice, AdvisedHandoff, AdvisedLane, AdvisedTip, AdvisedTips, Evidence, GivenAnswer,
    GivenAnswers, NotApplicable, Reason, Reasons, ScanFirst, SectionResult, ToEstablish,
    DEFAULT_MIN_COVERAGE, SCHEMA_VERSION,
};
pub use atomic::{abandon_unfinished_outputs, Abandoned, OutputFile, STALE_AFTER, TEMPORARY_MARK};
pub use catalogue::{
    Catalogue, CatalogueQuestion, CatalogueRule, CatalogueScale, CatalogueSection, CatalogueTip,
};
#[cfg(feature = "synthetic")]
pub use cohort::{assessment as synthetic_assessment, write_cohort_csv, write_cohort_json_lines};
pub use contract::{
    contract_schemas, AdviceDocument, AnswerDocument, CompactAdviceDocument, ContractSchema,
    HandoffDocument, NotApplicableDocument, ScanFirstDocument, SectionDocument, TipDocument,
    ToEstablishDocument, UnknownState, WeakConfidence,
};
pub use dashboard::{
    CandidateView, Cell, CentralTipView, DashboardBuilder, DashboardError, DashboardProgramme,
    DashboardView, FacultyGroup, FailureView, HeatRow, LegendEntry, ProgrammeMove, ProgressView,
    RoleLoadView, SectionCoverageView, SectionHead, SectionMove, UnknownQuestionView,
    CENTRAL_ROLES, DASHBOARD_PROGRAMMES_LISTED,
};
pub use escape::{
    escape_controls, escape_controls_but_newlines, neutralise_formula, starts_like_a_formula,
};
pub use explain::{
    AppliesCheck, Explanation, FiredFor, GraphPlace, Neighbour, NotFired, PlanPlace, Standing,
    Term, Truth, Value,
};
pub use explain_text::render_plan_text;
pub use lang::Lang;
pub use long_csv::LONG_CSV_COLUMNS;
pub use output::{AdvisedProgramme, ErrorLine, OutputFormat};
pub use output_path::{check_output_paths, output_kind, OutputKind, OutputPathError};
pub use progress::{
    AdviceSnapshot, PreviousError, PreviousRun, Progress, SectionProgress, MAX_PREVIOUS_LINE,
};
#[cfg(feature = "spreadsheets")]
pub use questionnaire::questionnaire_xlsx;
pub use questionnaire::{
    answer_choices, form_questions, questionnaire_csv, questionnaire_markdown, FormLength,
};
pub use sheet_rows::{ProgrammeRows, StakeholderRow, TipRow};
pub(crate) use summary::from_hundredths;
pub use summary::{
    FailedProgramme, InstitutionSummary, InstitutionWide, LevelCount, SectionDistribution,
    StakeholderWorkload, TipCount, FAILURES_LISTED, INSTITUTION_WIDE_LISTED,
    SUMMARY_SCHEMA_VERSION,
};
pub use text::{render_text, render_text_with, TextDetail, TextOptions};
#[cfg(feature = "spreadsheets")]
pub use workbook::{advice_workbook, sheet_names, AdviceWorkbook, MAX_SHEET_ROWS};
