//! `studentsucces questionnaire`: the blank form for programmes.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::advise::file_path;
use super::rules::load;
use super::{check_outputs, stderr, Exit, RulesArgs};
use studentsucces::report::{
    questionnaire_csv, questionnaire_markdown, questionnaire_xlsx, FormLength, OutputFile,
};
use studentsucces::ruleset::RuleSet;

/// Arguments of `questionnaire`.
#[derive(Debug, Args)]
pub struct QuestionnaireArgs {
    /// Which rules' questionnaire to write.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Form format.
    #[arg(long, value_enum, default_value_t = FormFormat::Csv)]
    pub format: FormFormat,
    /// Write to this file, atomically, instead of stdout (`-`); required for xlsx on a
    /// terminal.
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
    let out = file_path(args.out.as_deref());
    if out.is_none() && args.format == FormFormat::Xlsx && std::io::stdout().is_terminal() {
        stderr::error("an Excel workbook is binary; pass `--out FILE.xlsx`");
        return Ok(Exit::Usage);
    }
    if let Err(exit) = check_outputs(&args.rules.inputs(), out.as_slice()) {
        return Ok(exit);
    }
    // Opened before any work, so that an unwritable place is reported at once.
    let file = out.map(OutputFile::create).transpose()?;
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let Some(bytes) = form(&compiled.ruleset, args) else {
        return Ok(Exit::Failure);
    };
    match (file, out) {
        (Some(file), Some(path)) => write_whole(file, &bytes).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot write `{}`: {error}", path.display()),
            )
        })?,
        _ => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(Exit::Success)
}

/// The form's bytes; `None` after saying why the workbook could not be built.
fn form(ruleset: &RuleSet, args: &QuestionnaireArgs) -> Option<Vec<u8>> {
    let length = if args.short {
        FormLength::Short
    } else {
        FormLength::Full
    };
    Some(match args.format {
        FormFormat::Csv => questionnaire_csv(ruleset, length).into_bytes(),
        FormFormat::Md => questionnaire_markdown(ruleset, length).into_bytes(),
        FormFormat::Xlsx => match questionnaire_xlsx(ruleset, length) {
            Ok(bytes) => bytes,
            Err(error) => {
                stderr::error(format!("cannot build the workbook: {error}"));
                return None;
            }
        },
    })
}

/// Writes the whole file or nothing: a half-written form is never left behind.
fn write_whole(mut file: OutputFile, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.commit()
}
