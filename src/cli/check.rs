//! `studentsucces check`: compile the rules and report.

use super::rules::load;
use super::{print_diagnostics, Exit, RulesArgs};

/// Exit 0 when the rules compile (warnings are printed), 1 with diagnostics otherwise.
pub(super) fn run(args: &RulesArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(args) else {
        return Ok(Exit::Failure);
    };
    print_diagnostics(&compiled.warnings.0);
    let ruleset = &compiled.ruleset;
    let info = ruleset.info();
    super::print(&format!(
        "ok: {} {}: {} principles and factors, {} tips, {} questions, {} rules, {} tests, {} warning(s)\nhash {}\n",
        info.name,
        info.version,
        ruleset.sections().len(),
        ruleset.tips().len(),
        ruleset.questions().len(),
        ruleset.rules().len(),
        ruleset.tests().len(),
        compiled.warnings.0.len(),
        info.hash,
    ))?;
    Ok(Exit::Success)
}
