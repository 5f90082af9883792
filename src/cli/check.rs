//! `studentsucces check`: compile the rules and report, or explain a diagnostic code.

use clap::Args;

use super::rules::load;
use super::{print_diagnostics, stderr, Exit, RulesArgs};
use studentsucces::diagnostic::{codes, did_you_mean, explanation};

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Which rules to check.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Print the explanation of a diagnostic code (`unknown` or `studentsucces::unknown`):
    /// what it means, an example and the fix; the rules are not read.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,
}

/// With `--explain`, the explanation (exit 0) or a usage error for an unknown code;
/// otherwise exit 0 when the rules compile (warnings are printed), 1 with diagnostics.
pub(super) fn run(args: &CheckArgs) -> std::io::Result<Exit> {
    if let Some(code) = &args.explain {
        return explain(code);
    }
    let Some(compiled) = load(&args.rules) else {
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

/// Prints the explanation of `code`, or says which codes there are.
fn explain(code: &str) -> std::io::Result<Exit> {
    if let Some(text) = explanation(code) {
        super::print(text)?;
        return Ok(Exit::Success);
    }
    let bare = code.trim().trim_start_matches("studentsucces::");
    let suggestion = did_you_mean(bare, codes());
    let known = codes().collect::<Vec<_>>().join(", ");
    stderr::error(format!(
        "`{}` is no diagnostic code{suggestion} (the codes: {known})",
        code.trim()
    ));
    Ok(Exit::Usage)
}
