//! The batch pipeline: records are read in bounded chunks; each chunk is checked,
//! evaluated, planned and rendered in parallel with rayon while the next chunk is read;
//! results come back in input order. Memory holds about two chunks, whatever the
//! length of the input. From a stream (a pipe), a chunk is what has arrived, at least
//! one record, so no programme waits for later ones.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, PoisonError};

use fixedbitset::FixedBitSet;
use rayon::prelude::*;

use super::blocks::with_reused_evaluations;
use super::tally::Tally;
use crate::eval::{Answers, Evaluation, BLOCK};
use crate::input::{ReadError, Record, Records, RowError, PROGRAMME_COLUMN};
use crate::plan::Plan;
use crate::report::{AdvisedProgramme, OutputFormat, PreviousRun};
use crate::ruleset::{RuleSet, TipIndex};

/// Programmes per chunk for compact outputs (compact JSON, the CSV long format): large
/// enough to keep every core busy, a few megabytes of output.
pub const DEFAULT_CHUNK_SIZE: usize = 512;

/// Programmes per chunk for outputs with the whole advice (about 20 kB of JSON per
/// programme, 60–100 kB as an HTML page): about three chunks in flight stay within
/// tens of megabytes, and each chunk is still milliseconds of work, shared among the
/// threads in tasks.
pub const FULL_ADVICE_CHUNK_SIZE: usize = 64;

/// The first allocation of a programme's output: a compact JSON line fits.
const OUTPUT_CAPACITY: usize = 8 << 10;

/// The first allocation of a programme's output with the whole advice: a full JSON
/// line (about 20 kB, 28 kB at most on the generated cohort) fits without growing the
/// buffer twice on the way.
const FULL_OUTPUT_CAPACITY: usize = 32 << 10;

/// What a batch needs to know besides the rules and the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    /// How each programme is rendered.
    pub format: OutputFormat,
    /// Programmes per chunk (at least 1).
    pub chunk_size: usize,
}

impl BatchOptions {
    /// Options for `format`, with the chunk size that suits its output's size.
    pub fn for_format(format: OutputFormat) -> BatchOptions {
        let chunk_size = match format {
            OutputFormat::JsonLines { compact: true }
            | OutputFormat::Json { compact: true, .. }
            | OutputFormat::LongCsv { .. } => DEFAULT_CHUNK_SIZE,
            OutputFormat::Text { .. }
            | OutputFormat::JsonLines { compact: false }
            | OutputFormat::Json { compact: false, .. }
            | OutputFormat::SheetRows
            | OutputFormat::Html { .. }
            | OutputFormat::Markdown { .. } => FULL_ADVICE_CHUNK_SIZE,
        };
        BatchOptions { format, chunk_size }
    }
}

/// What the summary needs of one advised programme, by index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeStats {
    /// Per section (in the rule set's order), its score in hundredths; `None` when
    /// none of its questions is answered.
    pub scores: Vec<Option<i64>>,
    /// The tips the rules recommended, with their priorities, in catalogue order.
    pub recommended: Vec<(TipIndex, u8)>,
    /// The plan's tips with their phases, in plan order.
    pub plan: Vec<(TipIndex, u32)>,
    /// The plan's focus tips: its first cycle.
    pub focus: Vec<TipIndex>,
    /// The plan's tips in its second cycle.
    pub cycle_two: Vec<TipIndex>,
    /// The assessment's metadata (`name`, `faculty`, ...), for reports that name the
    /// programme.
    pub meta: BTreeMap<String, serde_json::Value>,
    /// The questions answered, by index.
    pub answered: FixedBitSet,
}

/// One programme after the batch has processed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// Its row in the input.
    pub row: u64,
    /// Its id; empty when the row has none.
    pub programme: String,
    /// Its rendering in the batch's output format.
    pub output: Vec<u8>,
    /// Its metadata, kept only for the formats that list every programme on an index
    /// page ([`OutputFormat::is_pages`]); empty otherwise.
    pub meta: std::collections::BTreeMap<String, serde_json::Value>,
    /// What the summary needs, or every problem of the row.
    pub outcome: Result<ProgrammeStats, Vec<RowError>>,
}

/// A batch run over the records of one input: call [`Batch::next_chunk`] until it
/// returns `None`, writing each chunk's outputs in order.
pub struct Batch<'r> {
    ruleset: &'r RuleSet,
    options: BatchOptions,
    reader: ChunkReader,
    pending: Vec<Record>,
    /// A read error met while reading ahead; returned once the records read before it
    /// are processed.
    deferred: Option<ReadError>,
    /// Programmes handed out so far.
    handed_out: u64,
    /// The earlier run the pages compare with, if any.
    previous: Option<&'r PreviousRun>,
    /// The summary's tally, when the batch keeps it ([`Batch::with_tally`]).
    tally: Option<BatchTally>,
}

/// The summary's tally kept by the batch: the advised programmes are tallied on the
/// worker that processed them, into that worker's tally, so the thread that writes the
/// outputs in order has only the writing to do; the failures, which are listed in input
/// order, are tallied in order as their chunk is handed out.
struct BatchTally {
    workers: WorkerTallies,
    /// The programmes that could not be advised, in input order.
    failures: Tally,
}

/// One tally per worker thread, each locked by its own thread only (but for merging).
struct WorkerTallies {
    /// Indexed by the rayon thread index, modulo its length (at least 1).
    tallies: Vec<Mutex<Tally>>,
    /// Whether each advised programme keeps its [`ProgrammeStats`] after the tally.
    keep_stats: bool,
}

impl WorkerTallies {
    /// Tallies the advised programmes of a part on this thread's tally and, unless the
    /// stats are kept, drops them here rather than on the writer.
    fn add(&self, ruleset: &RuleSet, part: &mut [Processed]) {
        let thread = rayon::current_thread_index().unwrap_or(0);
        let Some(tally) = self.tallies.get(thread % self.tallies.len().max(1)) else {
            return;
        };
        let mut tally = tally.lock().unwrap_or_else(PoisonError::into_inner);
        for processed in part {
            if let Ok(stats) = &mut processed.outcome {
                tally.add_stats(ruleset, stats);
                if !self.keep_stats {
                    *stats = ProgrammeStats::default();
                }
            }
        }
    }
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("options", &self.options)
            .field("handed_out", &self.handed_out)
            .finish_non_exhaustive()
    }
}

impl<'r> Batch<'r> {
    /// A batch over `records`, which must have been opened for `ruleset`.
    pub fn new(ruleset: &'r RuleSet, records: Records, options: BatchOptions) -> Batch<'r> {
        Batch {
            ruleset,
            options: BatchOptions {
                chunk_size: options.chunk_size.max(1),
                ..options
            },
            reader: ChunkReader {
                records,
                seen: HashMap::new(),
                blank_rows: 0,
            },
            pending: Vec::new(),
            deferred: None,
            handed_out: 0,
            previous: None,
            tally: None,
        }
    }

    /// The same batch, keeping the institution summary's tally itself: each advised
    /// programme is tallied on the worker thread that processed it (one [`Tally`] per
    /// thread, merged by [`Batch::tally`]), so whoever writes the chunks in order need
    /// not. Unless `keep_stats` (a dashboard needs them), an advised programme's
    /// [`Processed::outcome`] then holds empty [`ProgrammeStats`]: what only the
    /// summary needed is dropped on the worker too.
    pub fn with_tally(mut self, keep_stats: bool) -> Batch<'r> {
        let threads = rayon::current_num_threads().max(1);
        let tallies = (0..threads)
            .map(|_| Mutex::new(Tally::new(self.ruleset)))
            .collect();
        self.tally = Some(BatchTally {
            workers: WorkerTallies {
                tallies,
                keep_stats,
            },
            failures: Tally::new(self.ruleset),
        });
        self
    }

    /// The tally of every programme handed out so far; `None` unless the batch keeps
    /// it ([`Batch::with_tally`]). The same for any number of threads.
    pub fn tally(&self) -> Option<Tally> {
        let kept = self.tally.as_ref()?;
        let mut merged = Tally::new(self.ruleset);
        for tally in &kept.workers.tallies {
            merged.merge(tally.lock().unwrap_or_else(PoisonError::into_inner).clone());
        }
        merged.merge(kept.failures.clone());
        Some(merged)
    }

    /// The same batch, whose outputs compare each programme with its advice in an
    /// earlier run (the pages show what moved; other outputs are unchanged).
    pub fn with_previous(mut self, previous: Option<&'r PreviousRun>) -> Batch<'r> {
        self.previous = previous;
        self
    }

    /// The next chunk of processed programmes, in input order; `None` at the end. The
    /// chunk after it is read while this one is processed. A read error stops the
    /// batch: every programme read before it is returned first, then the error.
    pub fn next_chunk(&mut self) -> Result<Option<Vec<Processed>>, ReadError> {
        if self.pending.is_empty() && self.deferred.is_none() {
            let (records, error) = self.reader.read(self.options.chunk_size, true);
            self.pending = records;
            self.deferred = error;
        }
        if self.pending.is_empty() {
            return match self.deferred.take() {
                Some(error) => Err(error),
                None => Ok(None),
            };
        }
        let current = std::mem::take(&mut self.pending);
        let first_index = self.handed_out;
        self.handed_out += current.len() as u64;
        let read_ahead = self.deferred.is_none();
        let (ruleset, options, reader) = (self.ruleset, self.options, &mut self.reader);
        let render = Render {
            format: options.format,
            previous: self.previous,
            tallies: self.tally.as_ref().map(|tally| &tally.workers),
        };
        let ((next, error), processed) = rayon::join(
            || {
                if read_ahead {
                    reader.read(options.chunk_size, false)
                } else {
                    (Vec::new(), None)
                }
            },
            || process_chunk(ruleset, render, current, first_index),
        );
        self.pending = next;
        if error.is_some() {
            self.deferred = error;
        }
        if let Some(tally) = &mut self.tally {
            for processed in &processed {
                if let Err(errors) = &processed.outcome {
                    let failures = &mut tally.failures;
                    failures.add_failure(&processed.programme, processed.row, errors);
                }
            }
        }
        Ok(Some(processed))
    }

    /// Whether the records arrive over time (a pipe): a chunk then holds the records
    /// already there, at least one, and its outputs should go out before the next
    /// chunk is waited for.
    pub fn is_stream(&self) -> bool {
        self.reader.records.is_stream()
    }

    /// Rows without any value skipped so far.
    pub fn blank_rows(&self) -> u64 {
        self.reader.blank_rows
    }
}

/// Reads records in chunks, skipping blank rows and marking repeated programme ids.
struct ChunkReader {
    records: Records,
    /// A hash of every programme id seen, with the row it was first seen in: the one
    /// thing that grows with the input, by about 32 bytes a programme. Eight bytes of
    /// hash rather than the id keep it small; two ids sharing a 64-bit hash (odds
    /// about 3 in 10^8 for a million programmes) would be reported as a repeat.
    seen: HashMap<u64, u64>,
    blank_rows: u64,
}

impl ChunkReader {
    /// Up to `size` records, and the read error that cut the chunk short, if any. From
    /// a stream, only the records already there, after waiting for the first one if
    /// `wait`; from a file, `size` unless the file ends or the rows are so long that
    /// fewer fill
    /// [`MAX_CHUNK_BYTES`](crate::input::limits::MAX_CHUNK_BYTES).
    fn read(&mut self, size: usize, wait: bool) -> (Vec<Record>, Option<ReadError>) {
        let mut chunk = Vec::with_capacity(size);
        while chunk.len() < size {
            let asked = size - chunk.len();
            let Some(read) = self.records.read_chunk(asked) else {
                return self.read_one_by_one(chunk, size, wait);
            };
            // Fewer than asked: the file ended, or the rows filled the bytes a chunk
            // holds. A full read that had blank rows among it leaves room: read on.
            let full = read.len() == asked;
            for next in read {
                match next {
                    Ok(record) => self.keep(record, &mut chunk),
                    Err(error) => return (chunk, Some(error)),
                }
            }
            if !full {
                break;
            }
        }
        (chunk, None)
    }

    /// [`ChunkReader::read`] for inputs read a record at a time.
    fn read_one_by_one(
        &mut self,
        mut chunk: Vec<Record>,
        size: usize,
        wait: bool,
    ) -> (Vec<Record>, Option<ReadError>) {
        while chunk.len() < size {
            let next = if wait && chunk.is_empty() {
                self.records.next()
            } else {
                match self.records.next_if_ready() {
                    Some(next) => next,
                    None => break,
                }
            };
            match next {
                Some(Ok(record)) => self.keep(record, &mut chunk),
                Some(Err(error)) => return (chunk, Some(error)),
                None => break,
            }
        }
        (chunk, None)
    }

    /// Adds a record to the chunk, unless it is blank (then it is counted).
    fn keep(&mut self, record: Record, chunk: &mut Vec<Record>) {
        if record.is_blank() {
            self.blank_rows += 1;
        } else {
            chunk.push(self.mark_repeated(record));
        }
    }

    /// A record whose programme id an earlier row already has becomes an error: which
    /// of the two rows is right is for the office to decide.
    fn mark_repeated(&mut self, record: Record) -> Record {
        let id = record.programme.trim();
        if id.is_empty() {
            return record;
        }
        let mut hasher = std::hash::DefaultHasher::new();
        id.hash(&mut hasher);
        let first = *self.seen.entry(hasher.finish()).or_insert(record.row);
        if first == record.row {
            return record;
        }
        let error = RowError {
            column: Some(PROGRAMME_COLUMN.to_owned()),
            value: Some(id.to_owned()),
            expected: "a programme id no earlier row has".to_owned(),
            message: format!("programme `{id}` is also in row {first}; advise each programme once"),
        };
        let (row, programme) = (record.row, record.programme);
        Record::broken(row, programme, vec![error])
    }
}

/// How each programme of a chunk is rendered, and where it is tallied.
#[derive(Clone, Copy)]
struct Render<'r> {
    format: OutputFormat,
    previous: Option<&'r PreviousRun>,
    /// The batch's tallies, when it keeps the summary's.
    tallies: Option<&'r WorkerTallies>,
}

impl Render<'_> {
    /// Whether each advised programme needs the stats only a dashboard or a caller
    /// tallying the summary itself reads (the answered questions, the second cycle,
    /// the metadata).
    fn all_stats(self) -> bool {
        self.tallies.is_none_or(|tallies| tallies.keep_stats)
    }
}

/// Programmes that one worker checks, evaluates (as one block of columns), plans and
/// renders together: small enough parts that the threads share a chunk evenly, even
/// when one of them is still reading the next chunk.
const PART: usize = BLOCK;

/// Processes a chunk in parallel, a part at a time; the result keeps the chunk's order.
fn process_chunk(
    ruleset: &RuleSet,
    render: Render<'_>,
    chunk: Vec<Record>,
    first_index: u64,
) -> Vec<Processed> {
    chunk
        .into_par_iter()
        .chunks(PART)
        .enumerate()
        .flat_map_iter(|(part_index, part)| {
            let first = first_index + (part_index * PART) as u64;
            process_part(ruleset, render, part, first)
        })
        .collect()
}

/// Programmes one task checks, or plans and renders, at least: few enough that the
/// threads share a part (a chunk of whole advice is a single part), enough that handing
/// out the work costs little beside it.
const PROGRAMMES_PER_TASK: usize = 16;

/// Checks a part's answers, evaluates the valid ones together by columns, then plans
/// and renders each programme. Only the evaluation is one indivisible task: checking,
/// planning and rendering are shared out among the threads, so that none waits long
/// for the last part of a chunk.
fn process_part(
    ruleset: &RuleSet,
    render: Render<'_>,
    part: Vec<Record>,
    first_index: u64,
) -> Vec<Processed> {
    let answers: Vec<Result<Answers, Vec<RowError>>> = part
        .par_iter()
        .with_min_len(PROGRAMMES_PER_TASK)
        .map(|record| record.answers(ruleset))
        .collect();
    // Taken out of the thread's keeping, not borrowed there, so that another part this
    // thread takes up while waiting for the tasks below finds it free or allocates.
    let mut evaluations = with_reused_evaluations(std::mem::take);
    let valid: Vec<&Answers> = answers.iter().filter_map(|a| a.as_ref().ok()).collect();
    ruleset.evaluate_batch_into(&valid, &mut evaluations);
    let mut evaluated = evaluations.iter();
    let unevaluated = Evaluation::default();
    let checked: Vec<Result<(Answers, &Evaluation), Vec<RowError>>> = answers
        .into_iter()
        .map(|answers| answers.map(|a| (a, evaluated.next().unwrap_or(&unevaluated))))
        .collect();
    let mut processed: Vec<Processed> = part
        .into_par_iter()
        .zip(checked)
        .enumerate()
        .with_min_len(PROGRAMMES_PER_TASK)
        .map_init(Plan::default, |plan, (offset, (record, checked))| {
            let index = first_index + offset as u64;
            process(ruleset, render, record, checked, index, plan)
        })
        .collect();
    with_reused_evaluations(|kept| *kept = evaluations);
    if let Some(tallies) = render.tallies {
        tallies.add(ruleset, &mut processed);
    }
    processed
}

/// Plans and renders one checked and evaluated programme.
fn process(
    ruleset: &RuleSet,
    render: Render<'_>,
    mut record: Record,
    checked: Result<(Answers, &Evaluation), Vec<RowError>>,
    index: u64,
    plan: &mut Plan,
) -> Processed {
    let format = render.format;
    let capacity = match format {
        OutputFormat::JsonLines { compact: true } | OutputFormat::LongCsv { .. } => OUTPUT_CAPACITY,
        _ => FULL_OUTPUT_CAPACITY,
    };
    let mut output = Vec::with_capacity(capacity);
    let outcome = match checked {
        Ok((answers, evaluation)) => {
            ruleset.plan_into(evaluation, plan);
            let scores = AdvisedProgramme::section_scores(ruleset, &answers);
            let advised = AdvisedProgramme {
                row: record.row,
                programme: &record.programme,
                meta: &record.meta,
                comments: &record.comments,
                answers: &answers,
                evaluation,
                plan,
                scores: &scores,
                previous: render.previous,
            };
            format.advised(ruleset, &advised, index, &mut output);
            let all_stats = render.all_stats();
            let mut stats = stats(ruleset, &advised, all_stats);
            // The record is done with: its metadata moves into the summary's stats
            // (copied only for the pages, whose index lists it too), unless only the
            // batch's tally reads them.
            stats.meta = match (all_stats, format.is_pages()) {
                (false, _) => BTreeMap::new(),
                (true, true) => record.meta.clone(),
                (true, false) => std::mem::take(&mut record.meta),
            };
            Ok(stats)
        }
        Err(errors) => {
            format.failed(&record.programme, record.row, &errors, index, &mut output);
            Err(errors)
        }
    };
    Processed {
        row: record.row,
        programme: record.programme,
        output,
        meta: match format.is_pages() {
            true => record.meta,
            false => std::collections::BTreeMap::new(),
        },
        outcome,
    }
}

/// What the summary needs of an advised programme; with `all`, what the dashboard needs
/// too (the second cycle, the answered questions).
fn stats(ruleset: &RuleSet, advised: &AdvisedProgramme<'_>, all: bool) -> ProgrammeStats {
    let evaluation = advised.evaluation;
    // Sized from the set's count: collected from the bitset's iterator, which cannot
    // tell its length, the vector grew five times for the ~96 tips of a programme.
    let mut recommended = Vec::with_capacity(evaluation.recommended().count());
    recommended.extend(evaluation.recommended_tips().map(|tip| {
        let priority = evaluation.tip_priority().get(tip.index()).copied();
        (tip, priority.unwrap_or(0))
    }));
    ProgrammeStats {
        scores: advised.scores.to_vec(),
        recommended,
        plan: advised
            .plan
            .steps()
            .iter()
            .map(|step| (step.tip, step.phase))
            .collect(),
        focus: advised.plan.focus().to_vec(),
        cycle_two: match all {
            true => advised.plan.cycle(2).iter().map(|step| step.tip).collect(),
            false => Vec::new(),
        },
        meta: BTreeMap::new(),
        answered: match all {
            true => answered_questions(ruleset, advised.answers),
            false => FixedBitSet::new(),
        },
    }
}

/// The questions `answers` answers, by index.
pub(crate) fn answered_questions(ruleset: &RuleSet, answers: &Answers) -> FixedBitSet {
    let count = ruleset.questions().len();
    let slots = answers.slots().get(..count).unwrap_or(answers.slots());
    // A word of bits per block of answer slots at once: a set bit for each slot that is not
    // NaN, which is what `Answers::get` tells.
    let words = slots.chunks(usize::BITS as usize).map(|slots| {
        let answered = slots.iter().enumerate();
        answered.fold(0, |word, (bit, slot)| {
            word | usize::from(!slot.is_nan()) << bit
        })
    });
    FixedBitSet::with_capacity_and_blocks(count, words)
}
