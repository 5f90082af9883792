//! The CSV long format for Excel: one row per plan tip of every programme, in plan
//! order (cycle, then phase, rank and document order). UTF-8 with a byte-order mark, because
//! Excel reads a CSV file without one as the system's legacy code page. A text cell that
//! Excel would take for a formula (a programme id `=HYPERLINK(..)`) gets a single quote
//! before it, as OWASP advises against CSV injection.

use super::escape::neutralise_formula;
use super::output::AdvisedProgramme;
use crate::ruleset::{horizon_text, RuleSet};

/// The header of the long format.
pub const LONG_CSV_COLUMNS: [&str; 9] = [
    "programme",
    "cycle",
    "phase",
    "tip",
    "section",
    "priority",
    "lead",
    "horizon",
    "stakeholders",
];

/// Between the stakeholder ids of one cell.
const STAKEHOLDER_SEPARATOR: &str = "; ";

fn writer(delimiter: u8, out: &mut Vec<u8>) -> csv::Writer<&mut Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_writer(out)
}

/// The byte-order mark and the header row.
pub(super) fn header(delimiter: u8, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\xEF\xBB\xBF");
    let mut csv = writer(delimiter, out);
    // Writing into memory cannot fail.
    let _ = csv.write_record(LONG_CSV_COLUMNS);
    let _ = csv.flush();
}

/// The rows of one programme.
pub(super) fn rows(
    ruleset: &RuleSet,
    programme: &AdvisedProgramme<'_>,
    delimiter: u8,
    out: &mut Vec<u8>,
) {
    let mut csv = writer(delimiter, out);
    let roles = ruleset.roles();
    for step in programme.plan.steps() {
        let Some(tip) = ruleset.tip(step.tip) else {
            continue;
        };
        let section = ruleset.section_of(tip);
        let horizon = section
            .and_then(|section| horizon_text(section.horizon))
            .unwrap_or_default();
        let lead_role = roles.lead_of(step.tip);
        let involved: Vec<_> = roles
            .of_tip(step.tip)
            .iter()
            .copied()
            .filter(|&role| Some(role) != lead_role)
            .collect();
        let stakeholders = roles.ids(&involved).join(STAKEHOLDER_SEPARATOR);
        let lead = lead_role
            .and_then(|lead| roles.get(lead))
            .map_or("", |lead| lead.id.as_str());
        // Writing into memory cannot fail.
        let _ = csv.write_record([
            neutralise_formula(programme.programme).as_ref(),
            &step.cycle.to_string(),
            &step.phase.to_string(),
            &neutralise_formula(&tip.id),
            &neutralise_formula(section.map_or("", |section| section.id.as_str())),
            &step.priority.to_string(),
            &neutralise_formula(lead),
            &neutralise_formula(&horizon),
            &neutralise_formula(&stakeholders),
        ]);
    }
    let _ = csv.flush();
}
