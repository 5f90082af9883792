//! Batch advising on the embedded Roadmap with a synthetic cohort (`generate`, seed 7):
//!
//! - `compile/roadmap`: compiling the default rules;
//! - `advise_one/typical`: `RuleSet::advise` on one typical programme (checking its
//!   answers, evaluating, planning and building the advice document);
//! - `advise_one/typical_json`: the same plus its JSON appended to a reused buffer
//!   (`Advice::append_json`; the 20 µs target);
//! - `evaluate_plan/threads`: evaluation plus planning of 10,000 programmes whose
//!   answers are already checked, on 1 and 2 threads (the 200,000 programmes per second
//!   per core target);
//! - `evaluate_plan_blocks/threads`: the same by blocks: each thread evaluates parts of
//!   512 programmes by columns (`RuleSet::evaluate_batch_into`, reused evaluations),
//!   then plans each programme;
//! - `batch_compact/threads`: the whole in-process batch on 10,000 CSV rows (checking
//!   answers, evaluating, planning, rendering compact JSON Lines) on 1 and 2 threads;
//! - `cli/advise_100k_csv_compact_summary`: the real binary on a generated
//!   100,000-programme CSV, writing compact JSON Lines and the summary on 2 threads
//!   (the 5 s target).
//!
//! Run: `cargo bench --bench batch`.
//!
//! For callgrind, `ADVISE_LOOP=typical` runs `advise_one/typical_json`'s work (advise
//! the typical programme, append its JSON to a reused buffer) `ADVISE_PASSES` times
//! (default 1,000) in `advise_loop` and exits, so `--toggle-collect=*advise_loop*`
//! counts it alone; `ADVISE_LOOP=cohort` does the same once per pass over the first
//! 1,000 programmes of the cohort.

// A benchmark stops at the first surprise, like a test; criterion's macros write
// undocumented functions.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
use rayon::prelude::*;
use studentsucces::batch::{Batch, BatchOptions, Tally};
use studentsucces::eval::Answers;
use studentsucces::input::Cohort;
use studentsucces::input::{open, ReadOptions};
use studentsucces::plan::Plan;
use studentsucces::report::{synthetic_assessment, write_cohort_csv, OutputFormat};
use studentsucces::ruleset::RuleSet;

const SEED: u64 = 7;
const PROGRAMMES: u64 = 10_000;
const CLI_PROGRAMMES: u64 = 100_000;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// A folder under target/ for generated inputs, kept between runs.
fn data_folder() -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// A generated cohort as CSV, written once.
fn cohort_csv(ruleset: &RuleSet, programmes: u64) -> PathBuf {
    let path = data_folder().join(format!(
        "cohort-{programmes}-seed{SEED}-{}.csv",
        &ruleset.info().hash[..12]
    ));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let file = std::io::BufWriter::new(std::fs::File::create(&partial).unwrap());
        write_cohort_csv(ruleset, Cohort::new(ruleset, programmes, SEED), file).unwrap();
        std::fs::rename(&partial, &path).unwrap();
    }
    path
}

fn checked_answers(ruleset: &RuleSet, programmes: u64) -> Vec<Answers> {
    Cohort::new(ruleset, programmes, SEED)
        .map(|programme| {
            ruleset
                .answers(&synthetic_assessment(ruleset, programme))
                .unwrap()
        })
        .collect()
}

fn bench_compile(c: &mut Criterion) {
    c.bench_function("compile/roadmap", |b| {
        b.iter(|| RuleSet::roadmap().unwrap().into_ruleset());
    });
}

fn bench_advise_one(c: &mut Criterion, ruleset: &RuleSet) {
    let programme = Cohort::new(ruleset, 1, SEED).next().unwrap();
    let assessment = synthetic_assessment(ruleset, programme);
    c.bench_function("advise_one/typical", |b| {
        b.iter(|| ruleset.advise(black_box(&assessment)).unwrap());
    });
    let mut json = Vec::with_capacity(1 << 16);
    c.bench_function("advise_one/typical_json", |b| {
        b.iter(|| {
            json.clear();
            let advice = ruleset.advise(black_box(&assessment)).unwrap();
            advice.append_json(&mut json);
            json.len()
        });
    });
}

fn bench_evaluate_plan(c: &mut Criterion, ruleset: &RuleSet) {
    let answers = checked_answers(ruleset, PROGRAMMES);
    let mut group = c.benchmark_group("evaluate_plan");
    group.throughput(Throughput::Elements(PROGRAMMES));
    for threads in [1, 2] {
        let pool = pool(threads);
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &answers,
            |b, answers| {
                b.iter(|| {
                    pool.install(|| {
                        answers
                            .par_iter()
                            .map_init(Plan::default, |plan, answers| {
                                let evaluation = ruleset.evaluate(answers);
                                ruleset.plan_into(&evaluation, plan);
                                plan.len()
                            })
                            .sum::<usize>()
                    })
                });
            },
        );
    }
    group.finish();
}

/// Programmes a thread evaluates together in `evaluate_plan_blocks`, as the batch
/// pipeline's parts.
const PART: usize = 512;

fn bench_evaluate_plan_blocks(c: &mut Criterion, ruleset: &RuleSet) {
    let answers = checked_answers(ruleset, PROGRAMMES);
    let mut group = c.benchmark_group("evaluate_plan_blocks");
    group.throughput(Throughput::Elements(PROGRAMMES));
    for threads in [1, 2] {
        let pool = pool(threads);
        group.bench_with_input(
            BenchmarkId::new("threads", threads),
            &answers,
            |b, answers| {
                b.iter(|| {
                    pool.install(|| {
                        answers
                            .par_chunks(PART)
                            .map_init(
                                || (Vec::new(), Plan::default()),
                                |(evaluations, plan), part| {
                                    ruleset.evaluate_batch_into(part, evaluations);
                                    let mut planned = 0;
                                    for evaluation in evaluations.iter() {
                                        ruleset.plan_into(evaluation, plan);
                                        planned += plan.len();
                                    }
                                    planned
                                },
                            )
                            .sum::<usize>()
                    })
                });
            },
        );
    }
    group.finish();
}

fn bench_batch(c: &mut Criterion, ruleset: &RuleSet) {
    let input = cohort_csv(ruleset, PROGRAMMES);
    let mut group = c.benchmark_group("batch_compact");
    group.throughput(Throughput::Elements(PROGRAMMES));
    group.sample_size(20);
    for threads in [1, 2] {
        let pool = pool(threads);
        group.bench_with_input(BenchmarkId::new("threads", threads), &input, |b, input| {
            b.iter(|| pool.install(|| run_batch(ruleset, input)));
        });
    }
    group.finish();
}

/// The in-process batch: read, advise, render compact JSON Lines, tally the summary.
fn run_batch(ruleset: &RuleSet, input: &Path) -> usize {
    let records = open(input, ruleset, &ReadOptions::default()).unwrap();
    let options = BatchOptions::for_format(OutputFormat::JsonLines { compact: true });
    let mut batch = Batch::new(ruleset, records, options);
    let mut tally = Tally::new(ruleset);
    let mut bytes = 0;
    while let Some(chunk) = batch.next_chunk().unwrap() {
        for processed in &chunk {
            bytes += processed.output.len();
            tally.add(ruleset, processed);
        }
    }
    black_box(tally.finish(ruleset, 0.5, 0));
    bytes
}

fn bench_cli(c: &mut Criterion, ruleset: &RuleSet) {
    let input = cohort_csv(ruleset, CLI_PROGRAMMES);
    let out = data_folder().join("advice-100k.jsonl");
    let summary = data_folder().join("summary-100k.json");
    let mut group = c.benchmark_group("cli");
    group.throughput(Throughput::Elements(CLI_PROGRAMMES));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("advise_100k_csv_compact_summary", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_studentsucces"))
                .arg("advise")
                .arg(&input)
                .args(["--format", "jsonl", "--compact", "--jobs", "2", "--out"])
                .arg(&out)
                .arg("--summary")
                .arg(&summary)
                .status()
                .unwrap();
            assert!(status.success());
        });
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_compile(c);
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    bench_advise_one(c, &ruleset);
    bench_evaluate_plan(c, &ruleset);
    bench_evaluate_plan_blocks(c, &ruleset);
    bench_batch(c, &ruleset);
    bench_cli(c, &ruleset);
}

/// Advises each assessment and writes its JSON into a reused buffer, `passes` times,
/// for callgrind.
#[inline(never)]
fn advise_loop(
    ruleset: &RuleSet,
    assessments: &[studentsucces::input::Assessment],
    passes: usize,
) -> usize {
    let mut json = Vec::with_capacity(1 << 16);
    let mut total = 0;
    for _ in 0..passes {
        for assessment in assessments {
            json.clear();
            let advice = ruleset.advise(black_box(assessment)).unwrap();
            advice.append_json(&mut json);
            total += json.len();
        }
    }
    total
}

/// Runs `advise_loop` as `ADVISE_LOOP` and `ADVISE_PASSES` ask, if they do.
fn advise_loop_from_env() -> bool {
    let Ok(mode) = std::env::var("ADVISE_LOOP") else {
        return false;
    };
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let programmes = if mode == "cohort" { 1_000 } else { 1 };
    let assessments: Vec<_> = Cohort::new(&ruleset, programmes, SEED)
        .map(|programme| synthetic_assessment(&ruleset, programme))
        .collect();
    let passes = std::env::var("ADVISE_PASSES").map_or(1_000, |p| p.parse().unwrap());
    let total = advise_loop(&ruleset, &assessments, passes);
    println!("advise {mode}: {passes} passes of {programmes} programmes, {total} bytes");
    true
}

criterion_group!(batch, benches);

fn main() {
    if advise_loop_from_env() {
        return;
    }
    batch();
    Criterion::default().configure_from_args().final_summary();
}
