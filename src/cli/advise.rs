//! `studentsucces advise INPUT`: advise every programme of an input file (CSV, a
//! workbook, JSON or JSON Lines) in parallel, write the advice in input order, and
//! optionally the institution summary. Exit 0 when every programme was advised, 3 when
//! some could not be (the others still are), 1 when the input or rules are unusable,
//! 2 for a wrong command line.

use std::io::{BufWriter, IoSlice, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::Instant;

use clap::{Args, ValueEnum};
use miette::Diagnostic as _;

use super::dashboard::{read_previous, write_dashboard};
use super::pages::{index_name, prepare_folder, BatchOutput, Destination, Pages};
use super::progress::{progress_bar, ProgressBar};
use super::rules::load;
use super::{check_outputs, stderr, Exit, RulesArgs};
use studentsucces::batch::{Batch, BatchOptions, Dashboard, Processed, Tally};
use studentsucces::input::{open, ReadError, ReadOptions, RowError};
use studentsucces::report::programme::PageFormat;
use studentsucces::report::{
    AdviceWorkbook, InstitutionSummary, Lang, OutputFile, OutputFormat, PreviousRun, TextDetail,
};
use studentsucces::ruleset::RuleSet;

/// At most this many failed programmes are printed on stderr; all are in the output
/// and the summary.
const FAILURES_PRINTED: u64 = 20;

/// The most worker threads `--jobs` takes: past this, threads only cost memory and
/// start-up time (a thread per programme chunk is far more than any machine's cores).
const MAX_JOBS: u16 = 256;

/// Arguments of `advise`.
#[derive(Debug, Args)]
pub struct AdviseArgs {
    /// The programmes: CSV (.csv, .tsv, .txt), a workbook (.xlsx, .xlsm, .xlsb, .xls,
    /// .ods), JSON (.json: one assessment or an array), JSON Lines (.jsonl, .ndjson),
    /// or `-` for JSON Lines on stdin.
    #[arg(value_name = "INPUT")]
    pub input: PathBuf,
    /// Which rules to use.
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Output format; by default the `--out` file's extension tells (.txt, .json,
    /// .jsonl, .ndjson, .csv, .xlsx), and text without `--out`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Ids, priorities and phases only, without texts (with jsonl or json).
    #[arg(long)]
    pub compact: bool,
    /// With text: every tip, every open question, every tip that does not apply, lanes
    /// and handoffs, instead of about two pages per programme.
    #[arg(long)]
    pub detail: bool,
    /// Write the advice to this file, atomically, instead of stdout (`-`); with html
    /// and md, the folder for the pages (required).
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Write the institution summary (JSON) to this file, atomically.
    #[arg(long, value_name = "PATH")]
    pub summary: Option<PathBuf>,
    /// Write the institution dashboard (one self-contained HTML page) to this file,
    /// atomically.
    #[arg(long, value_name = "PATH")]
    pub dashboard: Option<PathBuf>,
    /// The JSON Lines of an earlier `advise --format jsonl` run, to show the progress
    /// since then in the dashboard and in the html, md or text reports.
    #[arg(long, value_name = "PATH")]
    pub previous: Option<PathBuf>,
    /// In the summary and the dashboard, list as institution-wide candidates the tips
    /// in the first cycle of at least this percentage of the programmes (at most 15).
    #[arg(long, value_name = "PERCENT", default_value_t = 10.0, value_parser = percentage)]
    pub min_share: f64,
    /// Worker threads, 1 to 256; all cores when absent. The output is the same for any
    /// number.
    #[arg(long, value_name = "N", value_parser = jobs)]
    pub jobs: Option<u16>,
    /// The workbook sheet to read; the first sheet when absent.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Skip columns (or JSON answers) the rules do not know instead of refusing the
    /// input.
    #[arg(long)]
    pub ignore_unknown_columns: bool,
    /// The field delimiter of CSV output (Excel with Dutch settings opens semicolon
    /// files directly).
    #[arg(long, value_enum, default_value_t = Delimiter::Comma)]
    pub delimiter: Delimiter,
    /// The language of the labels of text, xlsx sheets, html and md pages, the dashboard
    /// and the cycle names of csv; the Roadmap's texts stay Dutch.
    #[arg(long, value_enum, default_value_t = LangArg::Nl)]
    pub lang: LangArg,
}

/// The languages of `--lang`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Dutch.
    Nl,
    /// English.
    En,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

/// Output formats of `advise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for people.
    Text,
    /// The JSON advice contract: one object for one assessment, else an array.
    Json,
    /// JSON Lines: one advice, or one error, per programme.
    Jsonl,
    /// CSV long format for Excel: one row per plan tip.
    Csv,
    /// An Excel workbook (with `--out FILE.xlsx`): an overview of the programmes, the
    /// plan's tips, and the tips per stakeholder.
    Xlsx,
    /// One self-contained HTML page per programme and `index.html`, into the `--out`
    /// folder; printable on A4.
    Html,
    /// One Markdown page per programme and `index.md`, into the `--out` folder.
    Md,
}

impl Format {
    /// The page format of a format with one page per programme.
    fn pages(self) -> Option<PageFormat> {
        match self {
            Format::Html => Some(PageFormat::Html),
            Format::Md => Some(PageFormat::Markdown),
            _ => None,
        }
    }
}

/// Field delimiters of CSV output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Delimiter {
    /// `,`
    Comma,
    /// `;`
    Semicolon,
    /// A tab.
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
        }
    }
}

fn percentage(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("`{text}` is not a percentage from 0 to 100"))
    }
}

/// A number of worker threads from 1 to [`MAX_JOBS`].
fn jobs(text: &str) -> Result<u16, String> {
    let jobs: u64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    match u16::try_from(jobs) {
        Ok(0) => Err("at least 1 worker thread is needed".to_owned()),
        Ok(jobs) if jobs <= MAX_JOBS => Ok(jobs),
        _ => Err(format!(
            "at most {MAX_JOBS} worker threads (this machine has {} cores)",
            std::thread::available_parallelism().map_or(1, usize::from)
        )),
    }
}

pub(super) fn run(args: &AdviseArgs) -> std::io::Result<Exit> {
    let format = match choose_format(args.format, file_path(args.out.as_deref()), args.compact) {
        Ok(format) => format,
        Err(message) => return Ok(usage(&message)),
    };
    if let Err(message) = check_previous(args, format) {
        return Ok(usage(&message));
    }
    let pages = match format.pages() {
        Some(page_format) => match prepare_folder(args.out.as_deref()) {
            Ok(folder) => Some((folder, page_format)),
            Err(message) => return Ok(usage(&message)),
        },
        None => None,
    };
    if let Err(exit) = check_paths(args, pages) {
        return Ok(exit);
    }
    // Opened before any work, so that an unwritable place is reported at once and not
    // after the batch.
    let previous = match read_previous(args.previous.as_deref()) {
        Ok(previous) => previous,
        Err(exit) => return Ok(exit),
    };
    let outputs = Outputs::open(args, pages)?;
    let Some(compiled) = load(&args.rules) else {
        return Ok(Exit::Failure);
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = args.jobs {
        pool = pool.num_threads(usize::from(jobs));
    }
    let pool = pool.build().map_err(std::io::Error::other)?;
    let ruleset = &compiled.ruleset;
    pool.install(|| advise(args, ruleset, format, outputs, previous))
}

fn usage(message: &str) -> Exit {
    stderr::error(message);
    Exit::Usage
}

/// The format asked for, or the one the output file's extension names.
fn choose_format(
    format: Option<Format>,
    out: Option<&Path>,
    compact: bool,
) -> Result<Format, String> {
    let format = match (format, out) {
        (Some(format), _) => format,
        (None, None) => Format::Text,
        (None, Some(path)) => format_of_path(path).ok_or_else(|| {
            format!(
                "cannot tell the output format from `{}`; pass --format text, json, jsonl, csv, xlsx, html or md",
                path.display()
            )
        })?,
    };
    if format == Format::Xlsx && out.is_none() {
        return Err("an Excel workbook is binary; pass `--out FILE.xlsx`".to_owned());
    }
    if compact && !matches!(format, Format::Json | Format::Jsonl) {
        return Err("--compact goes with --format jsonl or json".to_owned());
    }
    Ok(format)
}

/// Refuses `--previous` where nothing would show the progress.
fn check_previous(args: &AdviseArgs, format: Format) -> Result<(), String> {
    let shown =
        args.dashboard.is_some() || matches!(format, Format::Html | Format::Md | Format::Text);
    match args.previous.is_some() && !shown {
        true => Err("--previous shows progress in the dashboard and in the html, md and text reports: pass --dashboard PATH.html or --format html, md or text".to_owned()),
        false => Ok(()),
    }
}

fn format_of_path(path: &Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "txt" | "text" => Some(Format::Text),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        _ => None,
    }
}

/// Refuses an output that cannot be written where it is, or that would overwrite the
/// input, the rules, the profile or the other output; for pages, their index stands for
/// the folder.
fn check_paths(args: &AdviseArgs, pages: Option<(&Path, PageFormat)>) -> Result<(), Exit> {
    let mut inputs = vec![args.input.as_path()];
    inputs.extend(args.rules.inputs());
    inputs.extend(args.previous.as_deref());
    let index = pages.map(|(folder, format)| folder.join(index_name(format)));
    let out = match &index {
        Some(index) => Some(index.as_path()),
        None => args.out.as_deref(),
    };
    let outputs: Vec<&Path> = out
        .into_iter()
        .chain(args.summary.as_deref())
        .chain(args.dashboard.as_deref())
        .collect();
    check_outputs(&inputs, &outputs)
}

/// The outputs of a run, opened before it starts.
struct Outputs {
    advice: Destination,
    summary: Option<OutputFile>,
    dashboard: Option<OutputFile>,
}

impl Outputs {
    fn open(args: &AdviseArgs, pages: Option<(&Path, PageFormat)>) -> std::io::Result<Outputs> {
        Ok(Outputs {
            advice: match pages {
                Some((folder, format)) => {
                    Destination::Pages(Pages::new(folder, format, args.lang.into()))
                }
                None => Destination::Stream(Sink::open(file_path(args.out.as_deref()))?),
            },
            summary: args
                .summary
                .as_deref()
                .map(OutputFile::create)
                .transpose()?,
            dashboard: args
                .dashboard
                .as_deref()
                .map(OutputFile::create)
                .transpose()?,
        })
    }
}

/// An output path, unless it is `-` (stdout).
pub(super) fn file_path(path: Option<&Path>) -> Option<&Path> {
    path.filter(|path| *path != Path::new("-"))
}

/// Where the advice goes.
pub(super) enum Sink {
    Stdout(BufWriter<std::io::Stdout>),
    File(OutputFile),
}

impl Sink {
    /// Stdout, or a file written atomically.
    pub(super) fn open(path: Option<&Path>) -> std::io::Result<Sink> {
        Ok(match path {
            Some(path) => Sink::File(OutputFile::create(path)?),
            None => Sink::Stdout(BufWriter::with_capacity(1 << 20, std::io::stdout())),
        })
    }

    /// Flushes stdout, or puts the file in place.
    pub(super) fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(mut stdout) => stdout.flush(),
            Sink::File(file) => file.commit(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(stdout) => stdout.write(bytes),
            Sink::File(file) => file.write(bytes),
        }
    }

    fn write_vectored(&mut self, pieces: &[IoSlice<'_>]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(stdout) => stdout.write_vectored(pieces),
            Sink::File(file) => file.write_vectored(pieces),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(stdout) => stdout.flush(),
            Sink::File(file) => file.flush(),
        }
    }
}

fn advise(
    args: &AdviseArgs,
    ruleset: &RuleSet,
    format: Format,
    outputs: Outputs,
    previous: Option<PreviousRun>,
) -> std::io::Result<Exit> {
    let options = ReadOptions {
        sheet: args.sheet.clone(),
        ignore_unknown_columns: args.ignore_unknown_columns,
    };
    let records = match open(&args.input, ruleset, &options) {
        Ok(records) => records,
        Err(error) => return Ok(read_failure(&error)),
    };
    let output = output_format(format, records.is_single_assessment(), args);
    // The dashboard lists each programme's metadata too.
    let records = match output.shows_metadata() || args.dashboard.is_some() {
        true => records,
        false => records.without_metadata(),
    };
    let batch = Batch::new(ruleset, records, BatchOptions::for_format(output))
        .with_previous(previous.as_ref());
    let mut run = Run::new(args, ruleset);
    let Outputs {
        mut advice,
        summary: summary_file,
        dashboard: dashboard_file,
    } = outputs;
    if dashboard_file.is_some() {
        run.dashboard = Some(Dashboard::new(ruleset, args.lang.into(), previous.clone()));
    }
    let summary = match format {
        Format::Xlsx => drive_workbook(&mut run, batch, args, &mut advice)?,
        _ => run.drive(batch, output, &mut advice)?,
    };
    let Some(summary) = summary else {
        return Ok(Exit::Failure);
    };
    // Every file is written in full before any replaces its old version.
    let summary_file = summary_file
        .map(|file| write_summary(file, &summary))
        .transpose()?;
    let dashboard_file = match (dashboard_file, run.dashboard.take()) {
        (Some(file), Some(dashboard)) => Some(write_dashboard(file, dashboard, &summary)?),
        _ => None,
    };
    advice.finish(ruleset)?;
    for file in summary_file.into_iter().chain(dashboard_file) {
        file.commit()?;
    }
    run.report(&summary);
    Ok(if summary.failed > 0 {
        Exit::PartialFailure
    } else {
        Exit::Success
    })
}

fn output_format(format: Format, single: bool, args: &AdviseArgs) -> OutputFormat {
    match format {
        Format::Text => OutputFormat::Text {
            detail: match args.detail {
                true => TextDetail::Full,
                false => TextDetail::Short,
            },
            lang: args.lang.into(),
        },
        Format::Json => OutputFormat::Json {
            single,
            compact: args.compact,
        },
        Format::Jsonl => OutputFormat::JsonLines {
            compact: args.compact,
        },
        Format::Csv => OutputFormat::LongCsv {
            delimiter: args.delimiter.byte(),
            lang: args.lang.into(),
        },
        Format::Xlsx => OutputFormat::SheetRows,
        Format::Html => OutputFormat::Html {
            lang: args.lang.into(),
        },
        Format::Md => OutputFormat::Markdown {
            lang: args.lang.into(),
        },
    }
}

/// Runs the batch into one Excel workbook, which is written into the sink once every
/// programme is in.
fn drive_workbook(
    run: &mut Run<'_>,
    batch: Batch<'_>,
    args: &AdviseArgs,
    sink: &mut Destination,
) -> std::io::Result<Option<InstitutionSummary>> {
    let mut workbook =
        AdviceWorkbook::new(run.ruleset, args.lang.into()).map_err(std::io::Error::other)?;
    let summary = run.drive(batch, OutputFormat::SheetRows, &mut workbook)?;
    if summary.is_some() {
        sink.write_all(&workbook.finish().map_err(std::io::Error::other)?)?;
    }
    Ok(summary)
}

/// Chunks processed and waiting for the writer thread, besides the one it writes: the
/// workers go on with the next chunk while the writer catches up.
const CHUNKS_WAITING: usize = 4;

/// Processes the batch's chunks and sends them to the writer, until the input ends, it
/// cannot be read further (the error), or the writer stops taking them (it failed).
fn send_chunks(
    batch: &mut Batch<'_>,
    chunks: &SyncSender<Vec<Processed>>,
) -> Result<(), ReadError> {
    while let Some(chunk) = batch.next_chunk()? {
        if chunks.send(chunk).is_err() {
            break;
        }
    }
    Ok(())
}

/// Prints a read error with its help; the input is unusable.
fn read_failure(error: &ReadError) -> Exit {
    stderr::error(error);
    if let Some(help) = error.help() {
        stderr::help(help);
    }
    Exit::Failure
}

/// One batch run: its progress bar, its clock and its failures so far.
struct Run<'a> {
    args: &'a AdviseArgs,
    ruleset: &'a RuleSet,
    progress: ProgressBar,
    started: Instant,
    /// Failed programmes so far.
    failures: u64,
    /// The dashboard, when one is asked for.
    dashboard: Option<Dashboard<'a>>,
}

impl<'a> Run<'a> {
    fn new(args: &'a AdviseArgs, ruleset: &'a RuleSet) -> Run<'a> {
        Run {
            args,
            ruleset,
            progress: progress_bar(),
            started: Instant::now(),
            failures: 0,
            dashboard: None,
        }
    }

    /// Runs the batch into the output, which the caller then finishes; `None` when
    /// reading failed part-way (the output file, if any, is then left as it was). The
    /// batch tallies the summary on its workers, so writing is all this thread does
    /// per programme (but for a dashboard).
    fn drive(
        &mut self,
        batch: Batch<'_>,
        format: OutputFormat,
        sink: &mut impl BatchOutput,
    ) -> std::io::Result<Option<InstitutionSummary>> {
        let mut batch = batch.with_tally(self.dashboard.is_some());
        let mut buffer = Vec::new();
        format.prologue(&mut buffer);
        sink.write_all(&buffer)?;
        let count = if batch.is_stream() {
            self.drive_stream(&mut batch, sink)?
        } else {
            self.drive_file(&mut batch, sink)?
        };
        let Some(count) = count else {
            return Ok(None);
        };
        buffer.clear();
        format.epilogue(count, &mut buffer);
        sink.write_all(&buffer)?;
        let tally = batch.tally().unwrap_or_else(|| Tally::new(self.ruleset));
        let min_share = self.args.min_share / 100.0;
        Ok(Some(tally.finish(
            self.ruleset,
            min_share,
            batch.blank_rows(),
        )))
    }

    /// Writes every chunk of a file's batch; the number of programmes, or `None` when
    /// reading failed part-way. The chunks are written on a thread of their own, while
    /// the worker threads process the next ones: writing waits for the kernel (copying
    /// into the page cache, asking it to start writing to disk), and a worker waiting
    /// there would leave its core idle.
    fn drive_file(
        &mut self,
        batch: &mut Batch<'_>,
        sink: &mut impl BatchOutput,
    ) -> std::io::Result<Option<u64>> {
        let (chunks, to_write) = std::sync::mpsc::sync_channel(CHUNKS_WAITING);
        let (read, written) = std::thread::scope(|scope| {
            let writer = scope.spawn(|| self.write_chunks(to_write, sink));
            let read = send_chunks(batch, &chunks);
            drop(chunks);
            let written = writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (read, written)
        });
        let count = written?;
        match read {
            Ok(()) => Ok(Some(count)),
            Err(error) => Ok(self.stop(&error)),
        }
    }

    /// Writes the chunks as they come, in order, dropping each once written; the number
    /// of programmes written.
    fn write_chunks(
        &mut self,
        chunks: Receiver<Vec<Processed>>,
        sink: &mut impl BatchOutput,
    ) -> std::io::Result<u64> {
        let mut count = 0;
        for chunk in chunks {
            self.write_chunk(&chunk, sink)?;
            count += chunk.len() as u64;
        }
        Ok(count)
    }

    /// Writes and flushes each chunk of a stream's batch before waiting for the next
    /// input, so a caller that writes one line gets its advice without closing stdin.
    fn drive_stream(
        &mut self,
        batch: &mut Batch<'_>,
        sink: &mut impl BatchOutput,
    ) -> std::io::Result<Option<u64>> {
        let mut count = 0;
        loop {
            let chunk = match batch.next_chunk() {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(Some(count)),
                Err(error) => return Ok(self.stop(&error)),
            };
            self.write_chunk(&chunk, sink)?;
            sink.flush()?;
            count += chunk.len() as u64;
        }
    }

    /// Reports a read error that stops the batch.
    fn stop(&self, error: &ReadError) -> Option<u64> {
        self.progress.finish_and_clear();
        read_failure(error);
        None
    }

    /// Writes a chunk's outputs, adds it to the dashboard and reports its failures.
    fn write_chunk(
        &mut self,
        chunk: &[Processed],
        sink: &mut impl BatchOutput,
    ) -> std::io::Result<()> {
        sink.write_chunk(chunk)?;
        for processed in chunk {
            if let Some(dashboard) = &mut self.dashboard {
                dashboard.add_processed(processed);
            }
            self.print_failure(processed);
        }
        self.progress.inc(chunk.len() as u64);
        Ok(())
    }

    fn print_failure(&mut self, processed: &Processed) {
        let Err(errors) = &processed.outcome else {
            return;
        };
        self.failures += 1;
        if self.failures > FAILURES_PRINTED {
            return;
        }
        let input = self.args.input.display();
        let programme = match processed.programme.trim() {
            "" => String::new(),
            id => format!(", programme `{id}`"),
        };
        self.progress.suspend(|| {
            for error in errors {
                stderr::one_line(&format!(
                    "error: `{input}` row {}{programme}{}",
                    processed.row,
                    describe(error)
                ));
            }
        });
    }

    /// The closing lines on stderr.
    fn report(&self, summary: &InstitutionSummary) {
        self.progress.finish_and_clear();
        let seconds = self.started.elapsed().as_secs_f64();
        let mut line = format!(
            "advised {} of {} programmes from `{}` in {seconds:.2} s",
            summary.advised,
            summary.programmes,
            self.args.input.display()
        );
        if summary.failed > 0 {
            line.push_str(&format!("; {} could not be advised", summary.failed));
        }
        match summary.blank_rows {
            0 => {}
            1 => line.push_str("; 1 blank row skipped"),
            blank => line.push_str(&format!("; {blank} blank rows skipped")),
        }
        stderr::one_line(&line);
        if self.failures > FAILURES_PRINTED {
            let more = self.failures - FAILURES_PRINTED;
            let out = file_path(self.args.out.as_deref());
            let whereabouts = match (out, &self.args.summary) {
                (_, Some(path)) => format!("the summary `{}`", path.display()),
                (Some(path), None) => format!("`{}`", path.display()),
                (None, None) => "the output".to_owned(),
            };
            stderr::one_line(&format!(
                "{more} more failed programmes are not shown here; see {whereabouts}"
            ));
        }
    }
}

/// ", column `x`: message (expected y)" for one problem of a row.
fn describe(error: &RowError) -> String {
    let column = error
        .column
        .as_ref()
        .map_or_else(String::new, |column| format!(", column `{column}`"));
    let expected = if error.message.contains(&error.expected) {
        String::new()
    } else {
        format!(" (expected {})", error.expected)
    };
    format!("{column}: {}{expected}", error.message)
}

/// Writes the summary into its (not yet committed) file.
fn write_summary(
    mut file: OutputFile,
    summary: &InstitutionSummary,
) -> std::io::Result<OutputFile> {
    serde_json::to_writer_pretty(&mut file, summary)?;
    file.write_all(b"\n")?;
    Ok(file)
}
