//! The institution dashboard of `advise --dashboard PATH.html`: the earlier run of
//! `--previous` read before the batch, and the page written after it.

use std::io::Write as _;
use std::path::Path;

use super::{stderr, Exit};
use studentsucces::batch::Dashboard;
use studentsucces::report::{InstitutionSummary, OutputFile, PreviousRun};

/// The earlier run of `--previous`, or the exit after saying why it cannot be read.
pub(super) fn read_previous(path: Option<&Path>) -> Result<Option<PreviousRun>, Exit> {
    let Some(path) = path else {
        return Ok(None);
    };
    PreviousRun::read(path).map(Some).map_err(|error| {
        stderr::error(error);
        Exit::Failure
    })
}

/// Renders the dashboard into its (not yet committed) file.
pub(super) fn write_dashboard(
    mut file: OutputFile,
    dashboard: Dashboard<'_>,
    summary: &InstitutionSummary,
) -> std::io::Result<OutputFile> {
    let html = dashboard
        .finish(summary)
        .render_html()
        .map_err(std::io::Error::other)?;
    file.write_all(html.as_bytes())?;
    Ok(file)
}
