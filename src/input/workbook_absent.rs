//! Workbooks in a build without the `spreadsheets` feature: opening one is an error
//! that says so, not a missing function.

use std::path::Path;

use super::records::{ReadError, ReadOptions, Records};
use crate::ruleset::RuleSet;

/// What opening a workbook says in a build that reads none.
pub(crate) const NO_SPREADSHEETS: &str =
    "cannot be read: this build reads no spreadsheets: built without the `spreadsheets` feature";

/// Refuses the workbook at `path`: this build reads no spreadsheets.
pub(crate) fn open(
    path: &Path,
    _ruleset: &RuleSet,
    _options: &ReadOptions,
) -> Result<Records, ReadError> {
    Err(ReadError::Workbook {
        path: path.to_owned(),
        message: NO_SPREADSHEETS.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::input::{open, ReadOptions};
    use crate::ruleset::RuleSet;

    #[test]
    fn a_workbook_is_refused_with_the_reason() {
        let ruleset = RuleSet::roadmap().unwrap();
        let error = open(
            Path::new("opleidingen.xlsx"),
            &ruleset,
            &ReadOptions::default(),
        )
        .err()
        .unwrap();
        assert_eq!(
            error.to_string(),
            "`opleidingen.xlsx` cannot be read: this build reads no spreadsheets: \
             built without the `spreadsheets` feature"
        );
    }
}
