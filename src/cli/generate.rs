//! `studentsucces generate --programmes N --seed S`: a synthetic cohort with realistic,
//! correlated answers in the layout `advise` reads, for benchmarks and for trying rules.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::advise::{file_path, Sink};
use super::rules::load;
use super::{check_outputs, stderr, Exit, RulesArgs};
use studentsucces::input::Cohort;
use studentsucces::report::{write_cohort_csv, write_cohort_json_lines};

/// Arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many programmes.
    #[arg(long, value_name = "N")]
    pub programmes: u64,
    /// The seed: the same seed gives the same cohort.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Output format; by default the `--out` file's extension tells (.csv, .jsonl,
    /// .ndjson), and CSV without `--out`.
    #[arg(long, value_enum)]
    pub format: Option<CohortFormat>,
    /// Write to this file, atomically, instead of stdout (`-`).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The rules whose questionnaire the cohort answers.
    #[command(flatten)]
    pub rules: RulesArgs,
}

/// Formats of a generated cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CohortFormat {
    /// CSV: `programme`, metadata columns, one column per question id.
    Csv,
    /// JSON Lines: one assessment per line.
    Jsonl,
}

fn format_of_path(path: &Path) -> Option<CohortFormat> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "csv" => Some(CohortFormat::Csv),
        "jsonl" | "ndjson" => Some(CohortFormat::Jsonl),
        _ => None,
    }
}

pub(super) fn run(args: &GenerateArgs) -> std::io::Result<Exit> {
    let out = file_path(args.out.as_deref());
    let format = match (args.format, out) {
        (Some(format), _) => format,
        (None, None) => CohortFormat::Csv,
        (None, Some(path)) => match format_of_path(path) {
            Some(format) => format,
            None => {
                stderr::error(format!(
                    "cannot tell the format from `{}`; pass --format csv or jsonl",
                    path.display()
                ));
                return Ok(Exit::Usage);
            }
        },
    };
    if let Err(exit) = check_outputs(&args.rules.inputs(), out.as_slice()) {
        return Ok(exit);
    }
    // Opened before any work, so that an unwritable place is reported at once.
    let mut sink = Sink::open(out)?;
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = &compiled.ruleset;
    let cohort = Cohort::new(ruleset, args.programmes, args.seed);
    match format {
        CohortFormat::Csv => write_cohort_csv(ruleset, cohort, &mut sink)?,
        CohortFormat::Jsonl => write_cohort_json_lines(ruleset, cohort, &mut sink)?,
    }
    sink.finish()?;
    Ok(Exit::Success)
}
