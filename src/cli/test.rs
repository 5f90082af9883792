//! `studentsucces test`: run the rule tests.

use super::rules::load;
use super::{Exit, RulesArgs};

/// Exit 0 when every test passes, 1 when any fails or the rules do not compile.
pub(super) fn run(args: &RulesArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(args) else {
        return Ok(Exit::Failure);
    };
    let outcomes = compiled.ruleset.run_tests();
    let mut report = String::new();
    for outcome in outcomes.iter().filter(|outcome| !outcome.passed()) {
        report.push_str(&format!("FAIL {} ({})\n", outcome.name, outcome.location));
        for failure in &outcome.failures {
            report.push_str(&format!("  {failure}\n"));
        }
    }
    let failed = outcomes.iter().filter(|outcome| !outcome.passed()).count();
    report.push_str(&format!(
        "{} tests, {} passed, {failed} failed\n",
        outcomes.len(),
        outcomes.len() - failed
    ));
    super::print(&report)?;
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::Failure
    })
}
