//! `studentsucces sweep NAME=FROM..TO[:STEP] INPUT`: a param over a range of values
//! (the library's `research::sweep`); one rule set compiled per value.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::advise::LangArg;
use super::rules::load;
use super::{stderr, Exit, RulesArgs};
use studentsucces::compile::ParamOverride;

/// Most values one sweep takes.
const MAX_VALUES: usize = 1_000;

/// Arguments of `sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The param and its values: `NAME=FROM..TO` (step 1) or `NAME=FROM..TO:STEP`, both
    /// ends included, e.g. `drempel_mbo=20..40:5`.
    #[arg(value_name = "NAME=FROM..TO[:STEP]")]
    pub range: String,
    /// The cohort: an assessment file, as `advise` reads it.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Which rules to use; `--param` sets the other params.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Text)]
    pub format: SweepFormat,
    /// The language of the text's labels; ids and the Roadmap's texts stay as written.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

/// Output formats of `sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// A table for people: the tips whose count changes over the values.
    Text,
    /// A row per value: the value, the mean size of cycle 1, a column per tip.
    Csv,
    /// The library's `Sweep` as JSON.
    Json,
}

/// The param's name and values of `NAME=FROM..TO[:STEP]`.
fn values(range: &str) -> Result<(String, Vec<f64>), String> {
    let usage = || format!("expected NAME=FROM..TO[:STEP], got `{range}`");
    let (name, span) = range.split_once('=').ok_or_else(usage)?;
    let (span, step) = span.split_once(':').unwrap_or((span, "1"));
    let (from, to) = span.split_once("..").ok_or_else(usage)?;
    let number = |text: &str| text.trim().parse::<f64>().ok().filter(|n| n.is_finite());
    let (Some(from), Some(to), Some(step)) = (number(from), number(to), number(step)) else {
        return Err(usage());
    };
    if step <= 0.0 || to < from {
        return Err(format!(
            "`{range}`: FROM must not exceed TO, and STEP must be above 0"
        ));
    }
    let count = ((to - from) / step).floor() + 1.0;
    if count > MAX_VALUES as f64 {
        return Err(format!(
            "`{range}` has {count} values; a sweep takes at most {MAX_VALUES}"
        ));
    }
    let values = (0..count as usize)
        .map(|i| from + step * i as f64)
        .collect();
    Ok((name.trim().to_owned(), values))
}

pub(super) fn run(args: &SweepArgs) -> std::io::Result<Exit> {
    let (name, values) = match values(&args.range) {
        Ok(parsed) => parsed,
        Err(message) => {
            stderr::error(message);
            return Ok(Exit::Usage);
        }
    };
    let mut rulesets = Vec::new();
    for &value in &values {
        let mut rules = args.rules.clone();
        rules.params.retain(|param| param.name != name);
        rules.params.push(ParamOverride {
            name: name.clone(),
            value,
        });
        let Some(compiled) = load(&rules) else {
            return Ok(Exit::Failure);
        };
        rulesets.push(compiled.ruleset);
    }
    // A param changes no question, so the answers read against the first rule set fit
    // every one of them.
    let Some(first) = rulesets.first() else {
        return Ok(Exit::Usage);
    };
    let Some((programmes, failed)) = super::cohort::read(first, &args.input) else {
        return Ok(Exit::Failure);
    };
    let runs: Vec<_> = values
        .iter()
        .zip(&rulesets)
        .map(|(&value, ruleset)| (value, ruleset, programmes.as_slice()))
        .collect();
    let sweep = studentsucces::research::sweep(&name, &runs);
    let text = match args.format {
        SweepFormat::Text => sweep.render_text(args.lang.into()),
        SweepFormat::Csv => sweep.to_csv(),
        SweepFormat::Json => super::explain::json(&sweep)?,
    };
    super::print(&text)?;
    Ok(if failed {
        Exit::PartialFailure
    } else {
        Exit::Success
    })
}
