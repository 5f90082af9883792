//! `studentsucces advise INPUT`: advise the programmes of an assessment file.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::rules::load;
use super::{Exit, RulesArgs};
use crate::input::Assessment;
use crate::report::{render_text, Advice};

/// Arguments of `advise`.
#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// A JSON file with one assessment or an array of them.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// Output formats of `advise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for people.
    Text,
    /// The JSON advice contract: one object, or an array for an array input.
    Json,
}

pub(super) fn run(args: &AdviseArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = compiled.ruleset;
    let text = std::fs::read_to_string(&args.input).map_err(|error| {
        std::io::Error::new(
            error.kind(),
            format!("cannot read `{}`: {error}", args.input.display()),
        )
    })?;
    let (assessments, single) = match parse_assessments(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("error: {}: {error}", args.input.display());
            return Ok(Exit::Failure);
        }
    };
    let mut advices: Vec<Advice> = Vec::new();
    let mut failed = 0;
    for assessment in &assessments {
        match ruleset.advise(assessment) {
            Ok(advice) => advices.push(advice),
            Err(error) => {
                failed += 1;
                eprintln!("error: {}: {error}", args.input.display());
            }
        }
    }
    let output = match args.format {
        Format::Text => advices
            .iter()
            .map(|advice| render_text(&ruleset, advice))
            .collect::<Vec<_>>()
            .join("\n\n"),
        Format::Json if single => advices.first().map(to_json).unwrap_or_default(),
        Format::Json => to_json(&advices),
    };
    super::print(&output)?;
    if failed > 0 {
        eprintln!(
            "{failed} of {} programmes could not be advised",
            assessments.len()
        );
        return Ok(Exit::PartialFailure);
    }
    Ok(Exit::Success)
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut json = serde_json::to_string_pretty(value).unwrap_or_default();
    json.push('\n');
    json
}

/// One assessment object or an array of them; the flag says which it was.
fn parse_assessments(text: &str) -> Result<(Vec<Assessment>, bool), serde_json::Error> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    if value.is_array() {
        Ok((serde_json::from_value(value)?, false))
    } else {
        Ok((vec![serde_json::from_value(value)?], true))
    }
}
