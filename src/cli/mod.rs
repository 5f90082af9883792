//! The command line: clap types and one file per subcommand. A thin layer over the
//! library; it reads files, calls the library, renders results and picks the exit code.

mod advise;
mod catalogue;
mod check;
mod cohort;
mod coverage;
mod dashboard;
mod diff;
mod explain;
mod fmt;
mod generate;
mod graph;
mod pages;
mod progress;
mod questionnaire;
mod rules;
mod signals;
mod stderr;
mod sweep;
mod test;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Termination;

use clap::{Args, Parser, Subcommand};

use studentsucces::compile::ParamOverride;

/// studentsucces: advice from the Roadmap to studentsucces for every study programme.
#[derive(Debug, Parser)]
#[command(name = "studentsucces", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile the rules and report every error and warning.
    Check(check::CheckArgs),
    /// Run the rule tests written in the rules.
    Test(RulesArgs),
    /// Advise the programmes in an assessment file.
    Advise(advise::AdviseArgs),
    /// Draw the dependency graph (DOT or Mermaid) of the catalogue or of one plan.
    ///
    /// Phases are ranks (columns), tips are labelled with their stakeholders; for a
    /// programme, the focus is bold, pulled-in prerequisites are dashed and handoffs red.
    Graph(graph::GraphArgs),
    /// Write the blank questionnaire (CSV, Excel or Markdown) that `advise` reads back.
    Questionnaire(questionnaire::QuestionnaireArgs),
    /// Write the catalogue as JSON: the roles, principles, factors, tips, questions and
    /// rules, with their texts, that every advice refers to by id.
    Catalogue(catalogue::CatalogueArgs),
    /// Write a synthetic cohort of programmes with realistic, correlated answers.
    Generate(generate::GenerateArgs),
    /// Explain one programme's advice: every tip of its plan, or with `--tip` why one
    /// tip was (or was not) advised, each condition with the value of every part.
    Explain(explain::ExplainArgs),
    /// Over a cohort: how often each rule fired and each condition was true, false or
    /// unknown, and how often each tip was advised; rules that never fire first.
    Coverage(coverage::CoverageArgs),
    /// What-if before changing the rules: the programmes whose advice changes between
    /// rule set A (`--rules`, `--param`) and B (`--against`, `--against-param`).
    ///
    /// Exits 0 when nothing changes and 1 when something does, so it can guard a
    /// refactoring of the rules (2 on a usage error, 3 when programmes could not be read).
    Diff(diff::DiffArgs),
    /// A param over a range of values: per value how many programmes get each tip and
    /// how big cycle 1 is.
    Sweep(sweep::SweepArgs),
    /// Lay rules files out in the canonical style, keeping comments and strings as written.
    Fmt(fmt::FmtArgs),
}

/// Which rules to use.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    /// A `.rules` file or a folder of them; the embedded Roadmap when absent.
    #[arg(long, value_name = "PATH")]
    pub rules: Option<PathBuf>,
    /// Override a param of the rules, e.g. `--param drempel_mbo=30` (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<ParamOverride>,
    /// An institution profile (TOML) that renames, merges or removes stakeholder roles in
    /// plans and lanes, and can give tips another lead.
    #[arg(long, value_name = "PATH")]
    pub profile: Option<PathBuf>,
}

impl RulesArgs {
    /// The files these arguments read, which no output may overwrite.
    fn inputs(&self) -> Vec<&Path> {
        self.rules
            .iter()
            .chain(&self.profile)
            .map(PathBuf::as_path)
            .collect()
    }
}

/// Checks the output paths before any work starts (see
/// [`studentsucces::report::check_output_paths`]); on a problem says why and gives the usage
/// exit code.
fn check_outputs(inputs: &[&Path], outputs: &[&Path]) -> Result<(), Exit> {
    studentsucces::report::check_output_paths(inputs, outputs).map_err(|error| {
        stderr::error(error);
        Exit::Usage
    })
}

/// The process exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything went well.
    Success = 0,
    /// The command failed: invalid rules, failed tests, unreadable input.
    Failure = 1,
    /// The command line was wrong.
    Usage = 2,
    /// Some programmes could not be advised; the others were.
    PartialFailure = 3,
}

impl Termination for Exit {
    fn report(self) -> std::process::ExitCode {
        std::process::ExitCode::from(self as u8)
    }
}

/// Runs a parsed command line. SIGINT and SIGTERM remove the unfinished output files
/// and exit with 130 and 143.
pub fn run(cli: Cli) -> Exit {
    signals::watch();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Advise(args) => advise::run(&args),
        Command::Graph(args) => graph::run(&args),
        Command::Questionnaire(args) => questionnaire::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Catalogue(args) => catalogue::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Coverage(args) => coverage::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Fmt(args) => fmt::run(&args),
    };
    match result {
        Ok(exit) => exit,
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Exit::Success,
        Err(error) => {
            stderr::error(error);
            Exit::Failure
        }
    }
}

/// Writes `text` to stdout in one go, control characters other than line feeds
/// escaped (it quotes the rules' names and texts).
fn print(text: &str) -> std::io::Result<()> {
    let text = studentsucces::report::escape_controls_but_newlines(text);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

/// Renders diagnostics on stderr, in colour on a terminal.
fn print_diagnostics(diagnostics: &[studentsucces::diagnostic::Diagnostic]) {
    let colours = std::io::stderr().is_terminal();
    let theme = if colours {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    stderr::diagnostics(
        &studentsucces::diagnostic::render(diagnostics, theme),
        colours,
    );
}
