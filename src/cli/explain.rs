//! `studentsucces explain INPUT --programme ID [--tip TIP]`: why a programme's advice is
//! what it is. The library's `RuleSet::explain_answers` and `explain_plan` do the work;
//! this reads the input, picks the programme and prints text or JSON.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::advise::LangArg;
use super::graph::pick;
use super::rules::load;
use super::{stderr, Exit, RulesArgs};
use studentsucces::report::{render_plan_text, Lang};

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// An assessment file, as `advise` reads it (CSV, workbook, JSON, JSON Lines).
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// The programme of INPUT to explain; needed when INPUT holds more than one.
    #[arg(long, value_name = "ID")]
    pub programme: Option<String>,
    /// The tip to explain in full: the rules that fired and the value of every part of
    /// their conditions, or why it was not advised. Without it, every tip of the plan.
    #[arg(long, value_name = "TIP")]
    pub tip: Option<String>,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
    /// The language of the text's labels; ids and the Roadmap's texts stay as written.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

/// Output formats of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// For people (labels in Dutch, like the advice text, or `--lang en`).
    Text,
    /// For tools: the library's `Explanation` as JSON (an array without `--tip`).
    Json,
}

pub(super) fn run(args: &ExplainArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = compiled.ruleset;
    let (programme, answers) = match pick(&ruleset, &args.input, args.programme.as_deref()) {
        Ok(picked) => picked,
        Err(why) => return Ok(why.report()),
    };
    let lang = Lang::from(args.lang);
    let Some(tip) = &args.tip else {
        let explanations = ruleset.explain_plan(&programme, &answers);
        let text = match args.format {
            ExplainFormat::Text => render_plan_text(&programme, &explanations, lang),
            ExplainFormat::Json => json(&explanations)?,
        };
        super::print(&text)?;
        return Ok(Exit::Success);
    };
    let Some(index) = ruleset.tip_index(tip) else {
        let ids = ruleset.tips().iter().map(|tip| tip.id.as_str());
        let suggestion = studentsucces::diagnostic::did_you_mean(tip, ids);
        stderr::error(format!("there is no tip `{tip}`{suggestion}"));
        return Ok(Exit::Usage);
    };
    let explained = ruleset.explain_answers(&programme, &answers, &[index]);
    let text = match (args.format, explained.first()) {
        (ExplainFormat::Text, Some(explanation)) => explanation.render_text(lang),
        (ExplainFormat::Json, Some(explanation)) => json(explanation)?,
        (_, None) => String::new(),
    };
    super::print(&text)?;
    Ok(Exit::Success)
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> std::io::Result<String> {
    let mut text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    text.push('\n');
    Ok(text)
}
