//! `studentsucces diff --rules A --against B INPUT`: the programmes whose advice changes
//! between two rule sets or param values (the library's `research::diff`).

use std::path::PathBuf;

use clap::Args;

use super::advise::LangArg;
use super::explain::ExplainFormat as Format;
use super::rules::load;
use super::{Exit, RulesArgs};
use studentsucces::compile::ParamOverride;

/// Arguments of `diff`. A is `--rules`/`--param`/`--profile`; B is `--against` (the
/// same rules as A when absent), `--against-param` and `--against-profile`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The cohort: an assessment file, as `advise` reads it.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Rule set A.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Rule set B: a `.rules` file or folder; the rules of A when absent.
    #[arg(long, value_name = "PATH")]
    pub against: Option<PathBuf>,
    /// A param of B, e.g. `--against-param drempel_mbo=30` (repeatable).
    #[arg(long = "against-param", value_name = "NAME=VALUE")]
    pub against_params: Vec<ParamOverride>,
    /// The institution profile of B; A's when absent.
    #[arg(long = "against-profile", value_name = "PATH")]
    pub against_profile: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The language of the text's labels; ids and the Roadmap's texts stay as written.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

pub(super) fn run(args: &DiffArgs) -> std::io::Result<Exit> {
    let b_args = RulesArgs {
        rules: args.against.clone().or_else(|| args.rules.rules.clone()),
        params: args.against_params.clone(),
        profile: args
            .against_profile
            .clone()
            .or_else(|| args.rules.profile.clone()),
    };
    let (Some(a), Some(b)) = (load(&args.rules), load(&b_args)) else {
        return Ok(Exit::Failure);
    };
    let (Some((under_a, failed_a)), Some((under_b, failed_b))) = (
        super::cohort::read(&a, &args.input),
        super::cohort::read(&b, &args.input),
    ) else {
        return Ok(Exit::Failure);
    };
    let same_programmes =
        under_a.len() == under_b.len() && under_a.iter().zip(&under_b).all(|(a, b)| a.id == b.id);
    if !same_programmes {
        super::stderr::error(
            "the input's programmes do not all fit both rule sets; compare inputs both read",
        );
        return Ok(Exit::PartialFailure);
    }
    let pairs: Vec<_> = under_a.into_iter().zip(under_b).collect();
    let diff = studentsucces::research::diff(&a, &b, &pairs);
    let text = match args.format {
        Format::Text => diff.render_text(args.lang.into()),
        Format::Json => super::explain::json(&diff)?,
    };
    super::print(&text)?;
    Ok(if failed_a || failed_b {
        Exit::PartialFailure
    } else if diff.is_empty() {
        Exit::Success
    } else {
        Exit::Failure
    })
}
