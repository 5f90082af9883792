//! What the input targets share: the embedded Roadmap, compiled once, and reading one
//! file of a given extension to the end, advising every programme it holds.

use std::io::Write as _;
use std::sync::OnceLock;

use studentsucces::input::{open, ReadOptions};
use studentsucces::ruleset::RuleSet;

/// The embedded Roadmap; compiling it per input would make fuzzing 1,000 times slower.
pub fn roadmap() -> &'static RuleSet {
    static ROADMAP: OnceLock<RuleSet> = OnceLock::new();
    ROADMAP.get_or_init(|| RuleSet::roadmap().expect("the embedded Roadmap compiles"))
}

/// Writes `data` to a temporary file named `input.<extension>`, reads every record and
/// advises every programme that reads cleanly. Errors are fine; panics and aborts are
/// findings.
#[allow(dead_code)] // `advise_answers` shares this module but reads no files.
pub fn read_and_advise(data: &[u8], extension: &str) {
    let Ok(folder) = tempfile::tempdir() else {
        return;
    };
    let path = folder.path().join(format!("input.{extension}"));
    let Ok(mut file) = std::fs::File::create(&path) else {
        return;
    };
    if file.write_all(data).is_err() {
        return;
    }
    drop(file);
    let ruleset = roadmap();
    let Ok(records) = open(&path, ruleset, &ReadOptions::default()) else {
        return;
    };
    for record in records.flatten() {
        if let Ok(answers) = record.answers(ruleset) {
            let evaluation = ruleset.evaluate(&answers);
            let _ = ruleset.build_advice(&record.programme, &answers, &evaluation);
        }
    }
}
