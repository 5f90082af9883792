//! `studentsucces catalogue`: the static part of the rules that every advice refers to
//! by id, as JSON (`docs/catalogue.md`).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::advise::{file_path, Sink};
use super::rules::load;
use super::{check_outputs, Exit, RulesArgs};

/// Arguments of `catalogue`.
#[derive(Debug, Args)]
pub struct CatalogueArgs {
    /// Which rules' catalogue to write (with `--profile`, leads and roles after it).
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Write to this file, atomically, instead of stdout (`-`).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub(super) fn run(args: &CatalogueArgs) -> std::io::Result<Exit> {
    let out = file_path(args.out.as_deref());
    if let Err(exit) = check_outputs(&args.rules.inputs(), out.as_slice()) {
        return Ok(exit);
    }
    // Opened before any work, so that an unwritable place is reported at once.
    let mut sink = Sink::open(out)?;
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    serde_json::to_writer_pretty(&mut sink, &compiled.ruleset.catalogue())?;
    sink.write_all(b"\n")?;
    sink.finish()?;
    Ok(Exit::Success)
}
