//! The edge where results go out: the advice document (JSON contract) and its renderings
//! for people.

mod advice;
mod text;

pub use advice::{horizon_text, Advice, AdvisedTip, Reason, Score, SCHEMA_VERSION};
pub use text::render_text;
