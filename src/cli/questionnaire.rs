//! `studentsucces questionnaire`: the blank form for programmes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::rules::load;
use super::{stderr, Exit, RulesArgs};
use crate::report::{
    questionnaire_csv, questionnaire_markdown, questionnaire_xlsx, AtomicFile, FormLength,
};

/// Arguments of `questionnaire`.
#[derive(Debug, Args)]
pub struct QuestionnaireArgs {
    /// Which rules' questionnaire to write.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Form format.
    #[arg(long, value_enum, default_value_t = FormFormat::Csv)]
    pub format: FormFormat,
    /// Write to this file instead of stdout (required for xlsx on a terminal).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// The short form: the context questions and one quick-scan question per principle
    /// and factor (about 20 minutes); `advise` reads it like the full form.
    #[arg(long)]
    pub short: bool,
}

/// Formats of the blank questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormFormat {
    /// A header line with `programme`, metadata columns and every question id, each
    /// followed by its `#toelichting` comment column.
    Csv,
    /// An Excel workbook with drop-downs, comment columns, a legend of the scale and a
    /// sheet with every question's text.
    Xlsx,
    /// A Markdown document to read or print.
    Md,
}

pub(super) fn run(args: &QuestionnaireArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = &compiled.ruleset;
    let length = if args.short {
        FormLength::Short
    } else {
        FormLength::Full
    };
    let bytes = match args.format {
        FormFormat::Csv => questionnaire_csv(ruleset, length).into_bytes(),
        FormFormat::Md => questionnaire_markdown(ruleset, length).into_bytes(),
        FormFormat::Xlsx => match questionnaire_xlsx(ruleset, length) {
            Ok(bytes) => bytes,
            Err(error) => {
                stderr::error(format!("cannot build the workbook: {error}"));
                return Ok(Exit::Failure);
            }
        },
    };
    match &args.out {
        Some(path) => write_atomically(path, &bytes).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot write `{}`: {error}", path.display()),
            )
        })?,
        None if args.format == FormFormat::Xlsx && std::io::stdout().is_terminal() => {
            stderr::error("an Excel workbook is binary; pass `--out FILE.xlsx`");
            return Ok(Exit::Usage);
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(Exit::Success)
}

/// Writes the whole file or nothing: a half-written form is never left behind.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}
