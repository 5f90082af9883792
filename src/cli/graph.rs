//! `studentsucces graph [INPUT --programme ID]`: the tip dependency graph as Graphviz
//! DOT or Mermaid, for the whole catalogue or for one programme's plan.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::rules::load;
use super::{stderr, Exit, RulesArgs};
use studentsucces::eval::Answers;
use studentsucces::input::{self, ReadError, ReadOptions, Record};
use studentsucces::plan::{render_dot, render_mermaid, GraphView};
use studentsucces::ruleset::RuleSet;

/// Arguments of `graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// An assessment file, as `advise` reads it (CSV, workbook, JSON, JSON Lines): draw
    /// the plan of one of its programmes. Without it, the whole catalogue.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
    /// The programme of INPUT to draw; needed when INPUT holds more than one.
    #[arg(long, value_name = "ID", requires = "input")]
    pub programme: Option<String>,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

/// Output formats of `graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT: `dot -Tsvg plan.dot > plan.svg`.
    Dot,
    /// A Mermaid flowchart, for Markdown pages that render Mermaid.
    Mermaid,
}

/// Why no programme could be picked from the input.
pub(super) enum Pick {
    /// The command line must say more (exit 2).
    Usage(String),
    /// The input is wrong (exit 1).
    Failure(String),
}

impl Pick {
    /// Says why on standard error; the exit code it calls for.
    pub(super) fn report(self) -> Exit {
        let (message, exit) = match self {
            Pick::Usage(message) => (message, Exit::Usage),
            Pick::Failure(message) => (message, Exit::Failure),
        };
        stderr::error(message);
        exit
    }
}

pub(super) fn run(args: &GraphArgs) -> std::io::Result<Exit> {
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let ruleset = compiled.ruleset;
    let Some(input) = &args.input else {
        return print_graph(&ruleset, GraphView::Catalogue, args.format);
    };
    let (programme, answers) = match pick(&ruleset, input, args.programme.as_deref()) {
        Ok(picked) => picked,
        Err(why) => return Ok(why.report()),
    };
    let plan = ruleset.plan(&ruleset.evaluate(&answers));
    let view = GraphView::Programme {
        programme: &programme,
        plan: &plan,
    };
    print_graph(&ruleset, view, args.format)
}

fn print_graph(
    ruleset: &RuleSet,
    view: GraphView<'_>,
    format: GraphFormat,
) -> std::io::Result<Exit> {
    let text = match format {
        GraphFormat::Dot => render_dot(ruleset, view),
        GraphFormat::Mermaid => render_mermaid(ruleset, view),
    };
    super::print(&text)?;
    Ok(Exit::Success)
}

/// The id and answers of the programme named, or of the input's only programme when
/// none is named. Reads any input `advise` reads, and stops at the programme it wants.
pub(super) fn pick(
    ruleset: &RuleSet,
    path: &Path,
    programme: Option<&str>,
) -> Result<(String, Answers), Pick> {
    let failure = |error: ReadError| Pick::Failure(error.to_string());
    let records = input::open(path, ruleset, &ReadOptions::default()).map_err(failure)?;
    let mut seen: Vec<String> = Vec::new();
    let mut only: Option<Record> = None;
    for record in records {
        let record = record.map_err(failure)?;
        if programme.is_some_and(|wanted| wanted == record.programme) {
            return answers(ruleset, path, record);
        }
        seen.push(record.programme.clone());
        only.get_or_insert(record);
    }
    let shown = path.display();
    match (programme, only) {
        (Some(wanted), _) => {
            let suggestion =
                studentsucces::diagnostic::did_you_mean(wanted, seen.iter().map(String::as_str));
            Err(Pick::Failure(format!(
                "programme `{wanted}` is not in `{shown}`{suggestion}"
            )))
        }
        (None, None) => Err(Pick::Failure(format!(
            "`{shown}` holds no programme; expected at least one"
        ))),
        (None, Some(record)) if seen.len() == 1 => answers(ruleset, path, record),
        (None, Some(_)) => Err(Pick::Usage(format!(
            "`{shown}` holds {} programmes; name one with `--programme ID`",
            seen.len()
        ))),
    }
}

/// The answers of one record, or every problem with them, each with file and row.
fn answers(ruleset: &RuleSet, path: &Path, record: Record) -> Result<(String, Answers), Pick> {
    match record.answers(ruleset) {
        Ok(answers) => Ok((record.programme, answers)),
        Err(errors) => {
            let shown = path.display();
            let lines: Vec<String> = errors
                .iter()
                .map(|error| format!("`{shown}` row {}: {error}", record.row))
                .collect();
            Err(Pick::Failure(lines.join("\nerror: ")))
        }
    }
}
