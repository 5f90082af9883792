//! `studentsucces coverage INPUT`: how often each rule fires and each tip is advised
//! over a cohort (the library's `research::coverage`).

use std::path::PathBuf;

use clap::Args;

use super::advise::LangArg;
use super::explain::ExplainFormat as Format;
use super::rules::load;
use super::{Exit, RulesArgs};

/// Arguments of `coverage`.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The cohort: an assessment file, as `advise` reads it.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The language of the text's labels; ids and the Roadmap's texts stay as written.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

pub(super) fn run(args: &CoverageArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = compiled.ruleset;
    let Some((programmes, failed)) = super::cohort::read(&ruleset, &args.input) else {
        return Ok(Exit::Failure);
    };
    let coverage = studentsucces::research::coverage(&ruleset, &programmes);
    let text = match args.format {
        Format::Text => coverage.render_text(args.lang.into()),
        Format::Json => super::explain::json(&coverage)?,
    };
    super::print(&text)?;
    Ok(if failed {
        Exit::PartialFailure
    } else {
        Exit::Success
    })
}
