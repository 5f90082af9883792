//! The CSV long format for Excel: one row per plan tip of every programme, in plan
//! order (cycle, then phase, rank and document order), with the tip's text, lead, cycle
//! and reason for people. UTF-8 with a byte-order mark, because
//! Excel reads a CSV file without one as the system's legacy code page. A text cell that
//! Excel would take for a formula (a programme id `=HYPERLINK(..)`) gets a single quote
//! before it, as OWASP advises against CSV injection.

use super::escape::neutralise_formula;
use super::output::AdvisedProgramme;
use super::sheet_rows::{cycle_name, tip_rows, SEPARATOR as STAKEHOLDER_SEPARATOR};
use super::Lang;
use crate::ruleset::RuleSet;

/// The header of the long format: the plan columns first (ids and numbers to sort and
/// join on), then the texts for people (the tip's text, the lead's and the cycle's
/// names, the reason in Dutch and the evidence). The cycle's name follows `--lang`; the
/// header stays the same in every language, since tools join on it.
pub const LONG_CSV_COLUMNS: [&str; 14] = [
    "programme",
    "cycle",
    "phase",
    "tip",
    "section",
    "priority",
    "lead",
    "horizon",
    "stakeholders",
    "text",
    "lead_name",
    "cycle_name",
    "reason",
    "evidence",
];

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
    lang: Lang,
    out: &mut Vec<u8>,
) {
    let mut csv = writer(delimiter, out);
    for row in tip_rows(ruleset, programme) {
        // Writing into memory cannot fail.
        let _ = csv.write_record([
            neutralise_formula(programme.programme).as_ref(),
            &row.cycle.to_string(),
            &row.phase.to_string(),
            &neutralise_formula(&row.tip),
            &neutralise_formula(&row.section),
            &row.priority.to_string(),
            &neutralise_formula(&row.lead),
            &neutralise_formula(&row.horizon),
            &neutralise_formula(&row.stakeholders.join(STAKEHOLDER_SEPARATOR)),
            &neutralise_formula(&row.text),
            &neutralise_formula(&row.lead_name),
            cycle_name(row.cycle, lang),
            &neutralise_formula(&row.reason),
            &neutralise_formula(&row.evidence),
        ]);
    }
    let _ = csv.flush();
}
