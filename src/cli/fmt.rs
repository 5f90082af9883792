//! `studentsucces fmt`: lay rules files out in the canonical style, or with `--check`
//! list those that are not.

use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use super::{print_diagnostics, stderr, Exit};
use studentsucces::format::format_source;
use studentsucces::input::read_sources_with_paths;
use studentsucces::report::OutputFile;

/// Arguments of `fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// A `.rules` file or a folder of them (searched recursively); `rules/` in the
    /// current folder when absent.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Write nothing: list the files that are not formatted and exit 1 when there are any.
    #[arg(long)]
    pub check: bool,
}

/// Formats every file (each written whole or not at all) and prints the path of each
/// that changed, or with `--check` would change. Exit 1 when a file does not parse
/// (it is left as it is and its diagnostics are printed) or, with `--check`, when a
/// file would change; 2 without a path and without a `rules/` folder.
pub(super) fn run(args: &FmtArgs) -> std::io::Result<Exit> {
    let path = match &args.path {
        Some(path) => path.clone(),
        None if PathBuf::from("rules").is_dir() => PathBuf::from("rules"),
        None => {
            stderr::error(
                "no PATH given and no `rules/` folder here: pass a `.rules` file or a folder of them",
            );
            return Ok(Exit::Usage);
        }
    };
    let sources = match read_sources_with_paths(&path) {
        Ok(sources) => sources,
        Err(error) => {
            stderr::error(error);
            return Ok(Exit::Failure);
        }
    };
    let mut exit = Exit::Success;
    let mut changed = String::new();
    for (file, source) in sources {
        let source = Arc::new(source);
        let formatted = match format_source(&source) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                print_diagnostics(&diagnostics.0);
                stderr::error(format!(
                    "`{}` has {} syntax error(s) and is left as it is",
                    file.display(),
                    diagnostics.errors().count()
                ));
                exit = Exit::Failure;
                continue;
            }
        };
        if *formatted == *source.text {
            continue;
        }
        if args.check {
            exit = Exit::Failure;
        } else {
            let mut output = OutputFile::create(&file)?;
            output.write_all(formatted.as_bytes())?;
            output.commit()?;
        }
        changed.push_str(&format!("{}\n", file.display()));
    }
    super::print(&changed)?;
    Ok(exit)
}
