//! The evaluator alone: `RuleSet::evaluate` on the embedded Roadmap for the bundled
//! example programmes (answers already checked). Run: `cargo bench --bench eval`.
//!
//! For callgrind, `EVAL_LOOP=evaluate` (or `evaluate_plan`: evaluation and planning into
//! a reused plan) runs that over the five programmes `EVAL_PASSES` times (default
//! 10,000) in `eval_loop` and exits, so `--toggle-collect=*eval_loop*` counts the loop
//! alone. `EVAL_LOOP=cohort` and `cohort_plan` do the same once over the first 1,000
//! programmes of the synthetic cohort `benches/batch.rs` times (`generate --seed 7`);
//! `EVAL_LOOP=cohort_blocks` and `cohort_blocks_plan` evaluate those 1,000 by blocks
//! (`RuleSet::evaluate_batch_into`, reused evaluations) and plan each.
//! `EVAL_LOOP=compile` compiles the embedded Roadmap `EVAL_PASSES` times (default 10)
//! in `compile_loop`. `EVAL_LOOP=answers` checks the answers of those 1,000 cohort
//! assessments (`RuleSet::answers`) `EVAL_PASSES` times (default 10) in `answers_loop`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{BenchmarkId, Criterion};
use studentsucces::eval::Answers;
use studentsucces::input::Assessment;
use studentsucces::input::Cohort;
use studentsucces::plan::Plan;
use studentsucces::report::synthetic_assessment;
use studentsucces::ruleset::RuleSet;

fn examples(ruleset: &RuleSet) -> Vec<(String, Answers)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/programmes.json"
    ))
    .unwrap();
    let assessments: Vec<Assessment> = serde_json::from_str(&text).unwrap();
    assessments
        .iter()
        .map(|assessment| {
            let answers = ruleset.answers(assessment).unwrap();
            (assessment.programme.clone(), answers)
        })
        .collect()
}

/// The first 1,000 programmes of the cohort `benches/batch.rs` uses.
fn cohort(ruleset: &RuleSet) -> Vec<(String, Answers)> {
    Cohort::new(ruleset, 1_000, 7)
        .map(|programme| {
            let assessment = synthetic_assessment(ruleset, programme);
            let answers = ruleset.answers(&assessment).unwrap();
            (assessment.programme, answers)
        })
        .collect()
}

fn bench_evaluate(c: &mut Criterion, ruleset: &RuleSet) {
    let mut group = c.benchmark_group("evaluate");
    for (programme, answers) in examples(ruleset) {
        let fired = ruleset.evaluate(&answers).fired().len();
        let id = BenchmarkId::new(programme, format!("{fired} rules fire"));
        group.bench_with_input(id, &answers, |b, answers| {
            b.iter(|| ruleset.evaluate(answers))
        });
    }
    group.finish();
}

/// Evaluates (and with `plan`, plans) every example `passes` times, for callgrind.
#[inline(never)]
fn eval_loop(
    ruleset: &RuleSet,
    examples: &[(String, Answers)],
    passes: usize,
    plan: bool,
) -> usize {
    let mut planned = Plan::default();
    let mut total = 0;
    for _ in 0..passes {
        for (_, answers) in examples {
            let evaluation = ruleset.evaluate(std::hint::black_box(answers));
            total += evaluation.fired().len();
            if plan {
                ruleset.plan_into(&evaluation, &mut planned);
                total += planned.len();
            }
        }
    }
    total
}

/// Evaluates every programme by blocks (and with `plan`, plans each) `passes` times,
/// for callgrind.
#[inline(never)]
fn eval_loop_blocks(
    ruleset: &RuleSet,
    programmes: &[(String, Answers)],
    passes: usize,
    plan: bool,
) -> usize {
    let answers: Vec<&Answers> = programmes.iter().map(|(_, answers)| answers).collect();
    let mut evaluations = Vec::new();
    let mut planned = Plan::default();
    let mut total = 0;
    for _ in 0..passes {
        ruleset.evaluate_batch_into(std::hint::black_box(&answers), &mut evaluations);
        for evaluation in &evaluations {
            total += evaluation.fired().len();
            if plan {
                ruleset.plan_into(evaluation, &mut planned);
                total += planned.len();
            }
        }
    }
    total
}

/// Compiles the embedded Roadmap `passes` times, for callgrind.
#[inline(never)]
fn compile_loop(passes: usize) -> usize {
    (0..passes)
        .map(|_| RuleSet::roadmap().unwrap().into_ruleset().rules().len())
        .sum()
}

/// The first 1,000 cohort programmes as assessments, for `answers_loop`.
fn cohort_assessments(ruleset: &RuleSet) -> Vec<Assessment> {
    Cohort::new(ruleset, 1_000, 7)
        .map(|programme| synthetic_assessment(ruleset, programme))
        .collect()
}

/// Checks every assessment's answers `passes` times, for callgrind.
#[inline(never)]
fn answers_loop(ruleset: &RuleSet, assessments: &[Assessment], passes: usize) -> usize {
    let mut total = 0;
    for _ in 0..passes {
        for assessment in assessments {
            let answers = ruleset.answers(std::hint::black_box(assessment)).unwrap();
            total += answers.answered_count();
        }
    }
    total
}

fn main() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    if let Ok(mode) = std::env::var("EVAL_LOOP") {
        if mode == "answers" {
            let passes = std::env::var("EVAL_PASSES").map_or(10, |p| p.parse().unwrap());
            let assessments = cohort_assessments(&ruleset);
            let total = answers_loop(&ruleset, &assessments, passes);
            println!("answers: {passes} passes of 1,000 assessments ({total})");
            return;
        }
        if mode == "compile" {
            let passes = std::env::var("EVAL_PASSES").map_or(10, |p| p.parse().unwrap());
            println!("compile: {} rules", compile_loop(passes));
            return;
        }
        let passes = std::env::var("EVAL_PASSES").map_or(10_000, |p| p.parse().unwrap());
        let examples = match mode.as_str() {
            "cohort" | "cohort_plan" | "cohort_blocks" | "cohort_blocks_plan" => cohort(&ruleset),
            _ => examples(&ruleset),
        };
        let plan = mode.ends_with("plan");
        let total = if mode.starts_with("cohort_blocks") {
            eval_loop_blocks(&ruleset, &examples, passes, plan)
        } else {
            eval_loop(&ruleset, &examples, passes, plan)
        };
        println!(
            "{mode}: {passes} passes of {} programmes ({total})",
            examples.len()
        );
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    bench_evaluate(&mut criterion, &ruleset);
    criterion.final_summary();
}
