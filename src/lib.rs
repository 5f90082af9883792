//! studentsucces: the *Roadmap to studentsucces* as rules, and advice for study
//! programmes from their self-assessments. The README is the user's guide; this is the
//! library's, through the small API at the crate root.
//!
//! ```
//! # fn main() -> Result<(), studentsucces::Error> {
//! use studentsucces::{Assessment, Options, RuleSet, SummaryOptions};
//!
//! // Load the Roadmap with a param override and an institution profile; both are in
//! // the content hash every advice carries.
//! let options = Options::new()
//!     .param("focus", 4.0)
//!     .profile_toml("profiel.toml", "name = \"Hogeschool Voorbeeld\"\nremove = [\"ouders\"]\n")?;
//! let roadmap = RuleSet::roadmap_with(&options)?;
//!
//! // One programme's answers; values are checked against the questions when advised.
//! let assessment = Assessment::builder("B-VOORBEELD")
//!     .meta("naam", "Bachelor Voorbeeldkunde")
//!     .answer("toetsing.frequentie", 0)
//!     .answer("context.internationaal", 40)
//!     .unknown("visie.duidelijke_visie")
//!     .comment("toetsing.frequentie", "Eén toets aan het eind van elk blok.")
//!     .build();
//! let advice = roadmap.advise(&assessment)?;
//! assert_eq!(advice.ruleset.hash, roadmap.info().hash);
//!
//! // The tips of the plan; their texts are in the catalogue.
//! let catalogue = roadmap.catalogue();
//! for tip in advice.tips.iter().filter(|tip| tip.cycle == 1) {
//!     let text = catalogue.tips.iter().find(|entry| entry.id == tip.id).map(|entry| entry.text);
//!     println!("{} ({}): {}", tip.id, tip.priority, text.unwrap_or_default());
//! }
//!
//! // Why one tip is where it is.
//! let explanation = roadmap.explain(&assessment, "toetsing.frequentie")?;
//! println!("{}", serde_json::to_string_pretty(&explanation)?);
//!
//! // Many programmes in parallel, in input order, and the institution summary.
//! let programmes = (1..=3).map(|n| {
//!     Assessment::builder(format!("P{n}")).answer("toetsing.frequentie", n).build()
//! });
//! let results: Vec<_> = roadmap.advise_all(programmes).collect();
//! let summary = roadmap.summarize(&results, &SummaryOptions::default());
//! assert_eq!(summary.advised, 3);
//! # Ok(())
//! # }
//! ```
//!
//! Every entry point returns [`Error`], whose [`Error::kind`] tells rules that do not
//! compile from an unreadable profile or an assessment that does not fit. The modules
//! below hold the rest: typed answers and column batches for services
//! (`docs/embedding.md`), the planner, the renderers and the command line.

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme_doctests {}

pub mod batch;
pub mod compile;
pub mod diagnostic;
pub mod error;
pub mod eval;
pub mod format;
pub mod input;
pub mod load;
pub mod plan;
pub mod report;
pub mod research;
pub mod ruleset;
mod syntax;

pub use batch::{Summary, SummaryOptions};
pub use compile::Compiled;
pub use error::{Error, ErrorKind};
pub use input::{Answer, AnswerMap, Assessment, AssessmentBuilder, AssessmentError};
pub use load::Options;
pub use plan::Profile;
pub use report::{Advice, Explanation, InstitutionSummary};
pub use ruleset::RuleSet;
