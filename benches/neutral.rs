//! The neutral benchmark (`/work/shared/bench/neutral-150`, read as
//! `../shared/bench/neutral-150` from the crate root): 150 rules that have nothing to do
//! with the Roadmap, 10,000 assessments, and the same rules hand-written in Rust, the
//! speed limit.
//!
//! First it checks that the rules recommend exactly the expected tips for every
//! assessment (and that the hand-written function does too); a mismatch panics. Then it
//! times, interleaved in one run, one pass over the assessments of:
//!
//! - `native`: the hand-written function on answers converted once to `[u8; 150]`;
//! - `evaluate`: `RuleSet::evaluate` on answers checked once;
//! - `typed+evaluate`: the embedder's path: answers set through question handles
//!   resolved once and checked by an `AnswersBuilder` (from the same `[u8; 150]` as
//!   `native`), then `RuleSet::evaluate_into` a reused evaluation;
//! - `batch`: `RuleSet::evaluate_batch_into` over all assessments at once, by columns,
//!   into evaluations allocated in the pass;
//! - `batch_reused`: the same into evaluations kept from the pass before (a batch's
//!   steady state: no evaluation allocates);
//! - `answers+evaluate`: checking the assessment's answers, then evaluating;
//! - `advise`: the whole advice document (on the first 1,000 assessments per pass);
//!
//! and prints each one's time per assessment and its ratio to `native` in the same round.
//! Each case runs once per round, after the others, so a case whose data outgrows the
//! caches (the batch's answers and evaluations, some 20 MB a pass) meets them cold.
//! Criterion then measures the same cases back to back, warm. Without the data folder
//! it prints why and skips.
//!
//! Run: `cargo bench --bench neutral`. For callgrind, `NEUTRAL_LOOP=evaluate` (or any
//! other case, or `answers`: `RuleSet::answers` alone) runs that case over all
//! assessments `NEUTRAL_PASSES` times (default 10) in `neutral_loop` and exits, so
//! `--toggle-collect=*neutral_loop*` counts the loop alone.

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
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use studentsucces::eval::{Answers, AnswersBuilder, Evaluation, QuestionHandle};
use studentsucces::input::Assessment;
use studentsucces::ruleset::RuleSet;

const MISSING: u8 = 255;

/// A copy of the data folder's `native_rules.rs`, so the benchmark compiles where the
/// folder is absent; `check_native_copy` makes sure the copy is current.
#[allow(
    clippy::all,
    reason = "generated code, included verbatim as the speed limit to measure against"
)]
mod native {
    use super::MISSING;
    include!("neutral/native_rules.rs");
}
use native::native_tips;

/// Assessments `advise` runs on per pass: the advice document costs far more than the
/// evaluation, and a full pass would make a round take seconds.
const ADVISE_SUBSET: usize = 1_000;
/// Interleaved rounds.
const ROUNDS: usize = 15;

/// Everything read once, before any timing.
struct Data {
    ruleset: RuleSet,
    assessments: Vec<Assessment>,
    answers: Vec<Answers>,
    native: Vec<[u8; 150]>,
    /// `q001`..`q150`, resolved once.
    handles: Vec<QuestionHandle>,
    /// The evaluations `batch_reused` fills, kept between passes.
    reused: std::cell::RefCell<Vec<Evaluation>>,
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/neutral-150")
}

fn check_native_copy(folder: &Path) {
    let shared = std::fs::read_to_string(folder.join("native_rules.rs")).unwrap();
    let copy = include_str!("neutral/native_rules.rs");
    assert!(
        shared == copy,
        "benches/neutral/native_rules.rs differs from {}: copy it over",
        folder.join("native_rules.rs").display()
    );
}

fn load(folder: &Path) -> Data {
    let ruleset = RuleSet::from_path(
        folder.join("rules-150.rules"),
        &studentsucces::Options::default(),
    )
    .unwrap()
    .into_ruleset();
    let text = std::fs::read_to_string(folder.join("assessments-10k.studentsucces.jsonl")).unwrap();
    let assessments: Vec<Assessment> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let answers: Vec<Answers> = assessments
        .iter()
        .map(|assessment| ruleset.answers(assessment).unwrap())
        .collect();
    let native = answers
        .iter()
        .map(|answers| native_answers(&ruleset, answers))
        .collect();
    let handles = (1..=150)
        .map(|n| ruleset.question_handle(&format!("q{n:03}")).unwrap())
        .collect();
    Data {
        ruleset,
        assessments,
        answers,
        native,
        handles,
        reused: std::cell::RefCell::default(),
    }
}

/// Answers as the hand-written function reads them: `q001` at 0, MISSING for none.
fn native_answers(ruleset: &RuleSet, answers: &Answers) -> [u8; 150] {
    let mut native = [MISSING; 150];
    for (slot, value) in native.iter_mut().enumerate() {
        let question = ruleset
            .question_index(&format!("q{:03}", slot + 1))
            .unwrap();
        if let Some(answer) = answers.get(question) {
            *value = answer as u8;
        }
    }
    native
}

#[derive(serde::Deserialize)]
struct Expected {
    id: String,
    tips: Vec<String>,
}

/// Panics with the first assessment whose recommended tips differ from the expected
/// ones, for the rule set and for the hand-written function.
fn check(folder: &Path, data: &Data) {
    let text = std::fs::read_to_string(folder.join("expected-10k.jsonl")).unwrap();
    let expected: Vec<Expected> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(expected.len(), data.assessments.len(), "assessment count");
    let mut out = Vec::new();
    for (index, expected) in expected.iter().enumerate() {
        let programme = &data.assessments[index].programme;
        assert_eq!(&expected.id, programme, "line {}", index + 1);
        let ours = recommended(&data.ruleset, &data.answers[index]);
        assert!(
            ours == expected.tips,
            "{programme}: rules recommend {ours:?}, expected {:?}",
            expected.tips
        );
        out.clear();
        native_tips(&data.native[index], &mut out);
        let native: Vec<String> = out.iter().map(|tip| format!("tip{:03}", tip + 1)).collect();
        assert!(
            native == expected.tips,
            "{programme}: native_tips gives {native:?}, expected {:?}",
            expected.tips
        );
    }
    check_fast_paths(data);
    println!(
        "neutral: {} assessments, 0 mismatches with expected-10k.jsonl (typed and batch too)",
        expected.len()
    );
}

/// Panics unless the typed answers equal the checked ones and the batch evaluation
/// equals the evaluation of each assessment on its own.
fn check_fast_paths(data: &Data) {
    let batch = data.ruleset.evaluate_batch(&data.answers);
    let mut builder = AnswersBuilder::new(&data.ruleset);
    for (index, answers) in data.answers.iter().enumerate() {
        let programme = &data.assessments[index].programme;
        builder.reset();
        for (&handle, &value) in data.handles.iter().zip(&data.native[index]) {
            if value != MISSING {
                builder.set_number(handle, f64::from(value)).unwrap();
            }
        }
        let mut questions = data.ruleset.questions().iter();
        assert!(
            questions.all(|question| {
                let q = data.ruleset.question_index(&question.id).unwrap();
                builder.answers().get(q) == answers.get(q)
            }),
            "{programme}: typed answers differ"
        );
        assert!(
            batch[index] == data.ruleset.evaluate(answers),
            "{programme}: the batch evaluation differs"
        );
    }
}

/// The recommended tips' ids without the `x.` prefix, in catalogue order.
fn recommended(ruleset: &RuleSet, answers: &Answers) -> Vec<String> {
    let evaluation = ruleset.evaluate(answers);
    evaluation
        .recommended_tips()
        .map(|tip| {
            let id = &ruleset.tip(tip).unwrap().id;
            id.strip_prefix("x.").unwrap_or(id).to_owned()
        })
        .collect()
}

fn pass_native(data: &Data) -> usize {
    let mut out = Vec::with_capacity(150);
    let mut total = 0;
    for answers in &data.native {
        out.clear();
        native_tips(black_box(answers), &mut out);
        total += out.len();
    }
    total
}

fn pass_evaluate(data: &Data) -> usize {
    data.answers
        .iter()
        .map(|answers| {
            data.ruleset
                .evaluate(black_box(answers))
                .recommended()
                .count()
        })
        .sum()
}

fn pass_typed_evaluate(data: &Data) -> usize {
    let mut builder = AnswersBuilder::new(&data.ruleset);
    let mut evaluation = Evaluation::default();
    let mut total = 0;
    for values in &data.native {
        builder.reset();
        for (&handle, &value) in data.handles.iter().zip(black_box(values)) {
            if value == MISSING {
                builder.set_missing(handle).unwrap();
            } else {
                builder.set_number(handle, f64::from(value)).unwrap();
            }
        }
        data.ruleset
            .evaluate_into(builder.answers(), &mut evaluation);
        total += evaluation.recommended().count();
    }
    total
}

fn pass_batch(data: &Data) -> usize {
    recommended_by_batch(data, &mut Vec::new())
}

fn pass_batch_reused(data: &Data) -> usize {
    recommended_by_batch(data, &mut data.reused.borrow_mut())
}

/// Evaluates every assessment by blocks into `evaluations`; the recommended tips, summed.
fn recommended_by_batch(data: &Data, evaluations: &mut Vec<Evaluation>) -> usize {
    data.ruleset
        .evaluate_batch_into(black_box(&data.answers), evaluations);
    evaluations
        .iter()
        .map(|evaluation| evaluation.recommended().count())
        .sum()
}

fn pass_answers(data: &Data) -> usize {
    data.assessments
        .iter()
        .map(|assessment| {
            let answers = data.ruleset.answers(black_box(assessment)).unwrap();
            answers.answered_count()
        })
        .sum()
}

fn pass_answers_evaluate(data: &Data) -> usize {
    data.assessments
        .iter()
        .map(|assessment| {
            let answers = data.ruleset.answers(black_box(assessment)).unwrap();
            data.ruleset.evaluate(&answers).recommended().count()
        })
        .sum()
}

fn pass_advise(data: &Data) -> usize {
    data.assessments[..ADVISE_SUBSET.min(data.assessments.len())]
        .iter()
        .map(|assessment| {
            data.ruleset
                .advise(black_box(assessment))
                .unwrap()
                .tips
                .len()
        })
        .sum()
}

/// A timed case: its name, one pass, and how many assessments a pass covers.
type Case = (&'static str, fn(&Data) -> usize, usize);

fn cases(data: &Data) -> [Case; 7] {
    let all = data.assessments.len();
    [
        ("native", pass_native, all),
        ("evaluate", pass_evaluate, all),
        ("typed+evaluate", pass_typed_evaluate, all),
        ("batch", pass_batch, all),
        ("batch_reused", pass_batch_reused, all),
        ("answers+evaluate", pass_answers_evaluate, all),
        ("advise", pass_advise, ADVISE_SUBSET.min(all)),
    ]
}

/// Times the cases interleaved, round by round, and prints the median time per
/// assessment and the median of the per-round ratios to `native`.
fn interleaved(data: &Data) {
    let cases = cases(data);
    let mut per_assessment = vec![Vec::new(); cases.len()];
    for _ in 0..ROUNDS {
        for (times, (_, pass, count)) in per_assessment.iter_mut().zip(&cases) {
            let start = Instant::now();
            black_box(pass(data));
            times.push(start.elapsed().as_secs_f64() / *count as f64);
        }
    }
    println!("neutral, interleaved ({ROUNDS} rounds), median per assessment, ratio to native in the same round:");
    for (times, (name, _, _)) in per_assessment.iter().zip(&cases) {
        let ratios: Vec<f64> = times
            .iter()
            .zip(&per_assessment[0])
            .map(|(ours, native)| ours / native)
            .collect();
        println!(
            "  {name:<18} {:>10.1} ns   {:>7.2}x native   {:>9.0} /s",
            median(times) * 1e9,
            median(&ratios),
            1.0 / median(times)
        );
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn criterion_cases(data: &Data) {
    let mut criterion = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .measurement_time(Duration::from_secs(4));
    let mut group = criterion.benchmark_group("neutral");
    for (name, pass, count) in cases(data) {
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(name, |b| b.iter(|| pass(data)));
    }
    group.finish();
    criterion.final_summary();
}

/// One case `passes` times in a function of its own, for callgrind.
#[inline(never)]
fn neutral_loop(data: &Data, pass: fn(&Data) -> usize, passes: usize) -> usize {
    (0..passes).map(|_| pass(data)).sum()
}

fn main() {
    let folder = folder();
    if !folder.join("rules-150.rules").exists() {
        println!(
            "neutral: {} not found, skipping (it holds the neutral 150-rule set)",
            folder.display()
        );
        return;
    }
    check_native_copy(&folder);
    let data = load(&folder);
    if let Ok(name) = std::env::var("NEUTRAL_LOOP") {
        let passes = std::env::var("NEUTRAL_PASSES").map_or(10, |p| p.parse().unwrap());
        let answers: Case = ("answers", pass_answers, data.assessments.len());
        let (_, pass, count) = cases(&data)
            .into_iter()
            .chain([answers])
            .find(|(case, _, _)| *case == name)
            .unwrap_or_else(|| panic!("NEUTRAL_LOOP={name}: no such case"));
        let total = neutral_loop(&data, pass, passes);
        println!("{name}: {passes} passes of {count} assessments, {total} tips");
        return;
    }
    check(&folder, &data);
    if !std::env::args().any(|arg| arg == "--bench") {
        // `cargo test --benches` runs benchmarks without `--bench`: the check suffices.
        return;
    }
    interleaved(&data);
    criterion_cases(&data);
}
