//! Advises every `*.json` assessment in a folder through the library:
//! `cargo run --example advise_folder -- DIR [--out FILE]`. Writes the advice as JSON
//! Lines (to FILE, or stdout), prints one line per programme and the institution
//! summary on stderr, and exits 1 when any file could not be read or advised (naming
//! it, and going on with the others).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use studentsucces::{Assessment, RuleSet, Summary, SummaryOptions};

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Advises the folder; `Ok(false)` when some file failed.
fn run() -> Result<bool, Box<dyn std::error::Error>> {
    let (folder, out) = arguments()?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|path| {
        path.extension()
            .is_some_and(|extension| extension == "json")
    });
    files.sort();
    let mut ok = true;
    let mut assessments = Vec::new();
    let mut names = Vec::new();
    for file in &files {
        match read(file) {
            Ok(assessment) => {
                assessments.push(assessment);
                names.push(file.clone());
            }
            Err(error) => {
                eprintln!("error: `{}`: {error}", file.display());
                ok = false;
            }
        }
    }
    let roadmap = RuleSet::roadmap()?;
    let mut output: Box<dyn Write> = match &out {
        Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut summary = Summary::new(&roadmap, SummaryOptions::default());
    for (file, result) in names.iter().zip(roadmap.advise_all(assessments)) {
        match &result {
            Ok(advice) => {
                serde_json::to_writer(&mut output, advice)?;
                output.write_all(b"\n")?;
                let cycle_one = advice.tips.iter().filter(|tip| tip.cycle == 1).count();
                eprintln!(
                    "{}: {} tips in the plan, {cycle_one} this cycle, {} to establish",
                    advice.programme,
                    advice.tips.len(),
                    advice.to_establish.len()
                );
            }
            Err(error) => {
                eprintln!("error: `{}`: {error}", file.display());
                ok = false;
            }
        }
        summary.add(&result);
    }
    output.flush()?;
    eprintln!("{}", serde_json::to_string_pretty(&summary.finish())?);
    Ok(ok)
}

fn read(file: &Path) -> Result<Assessment, Box<dyn std::error::Error>> {
    Ok(serde_json::from_str(&std::fs::read_to_string(file)?)?)
}

/// The folder and the `--out` file, if any.
fn arguments() -> Result<(PathBuf, Option<PathBuf>), String> {
    let usage = "usage: advise_folder DIR [--out FILE]";
    let mut args = std::env::args_os().skip(1);
    let folder = args.next().ok_or(usage)?;
    let out = match (args.next(), args.next(), args.next()) {
        (None, _, _) => None,
        (Some(flag), Some(path), None) if flag == "--out" => Some(PathBuf::from(path)),
        _ => return Err(usage.to_owned()),
    };
    Ok((PathBuf::from(folder), out))
}
