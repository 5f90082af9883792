//! Reading a whole cohort for the research commands: every programme of INPUT with its
//! answers checked against a rule set; a programme that does not fit is reported with
//! file and row and left out.

use std::path::Path;

use super::stderr;
use studentsucces::input::{self, ReadOptions};
use studentsucces::research::Programme;
use studentsucces::ruleset::RuleSet;

/// The programmes of `path` and whether any had to be left out; `None` when the file
/// cannot be read (said on stderr).
pub(super) fn read(ruleset: &RuleSet, path: &Path) -> Option<(Vec<Programme>, bool)> {
    let records = match input::open(path, ruleset, &ReadOptions::default()) {
        Ok(records) => records,
        Err(error) => {
            stderr::error(error);
            return None;
        }
    };
    let mut programmes = Vec::new();
    let mut failed = false;
    let shown = path.display();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                stderr::error(error);
                return None;
            }
        };
        match record.answers(ruleset) {
            Ok(answers) => programmes.push(Programme {
                id: record.programme,
                answers,
            }),
            Err(errors) => {
                failed = true;
                for error in errors {
                    stderr::error(format!("`{shown}` row {}: {error}", record.row));
                }
            }
        }
    }
    Some((programmes, failed))
}
