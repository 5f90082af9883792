//! Planning one programme on the full Roadmap: the planner alone (no evaluation), with
//! a fresh `Plan` and with one reused across programmes as the batch path does, plus
//! lanes and handoffs for the advice.
//!
//! Run: `cargo bench --bench plan`
//!
//! For callgrind, `PLAN_LOOP` runs one loop over the first 1,000 programmes of the
//! synthetic cohort of `benches/batch.rs` (`generate --seed 7`; evaluated before the
//! loop) `PLAN_PASSES` times (default 1) in `plan_loop` and exits, so
//! `--toggle-collect=*plan_loop*` counts the loop alone: `plan` plans each into a reused
//! `Plan`; `handoffs` adds `Plan::handoffs`; `links` adds, per plan step, what the advice
//! reads of the plan for its tip (`Plan::after` and `Plan::pulled_in_by`). Subtract
//! `plan` from the others for what they add per programme.

#![expect(
    missing_docs,
    reason = "criterion's macros generate the benchmark group's function undocumented"
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use studentsucces::eval::{Confidence, Evaluation, TipStatus};
use studentsucces::input::Assessment;
use studentsucces::plan::Plan;
use studentsucces::ruleset::RuleSet;

/// The example programmes' evaluations, and one that recommends every tip with nothing
/// in place (the largest plan the Roadmap can give).
fn evaluations(ruleset: &RuleSet) -> Vec<(String, Evaluation)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programmes.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let assessments: Vec<Assessment> = serde_json::from_str(&text).unwrap_or_default();
    let mut evaluations: Vec<(String, Evaluation)> = assessments
        .iter()
        .filter_map(|assessment| {
            let answers = ruleset.answers(assessment).ok()?;
            Some((assessment.programme.clone(), ruleset.evaluate(&answers)))
        })
        .collect();
    let count = ruleset.tips().len();
    let mut everything = Evaluation::new(count);
    let tips = ruleset
        .tips()
        .iter()
        .filter_map(|tip| ruleset.tip_index(&tip.id));
    for (index, tip) in tips.enumerate() {
        everything.set_recommended(tip, true);
        everything.set_tip_priority(tip, (index * 37 % 101) as u8);
        everything.set_status(tip, TipStatus::Recommended(Confidence::Answered));
    }
    evaluations.push(("all-tips".to_owned(), everything));
    evaluations
}

/// The callgrind loops `PLAN_LOOP` names, over the cohort of `benches/batch.rs`.
#[cfg(feature = "synthetic")]
mod callgrind {
    use studentsucces::eval::Evaluation;
    use studentsucces::input::Cohort;
    use studentsucces::plan::Plan;
    use studentsucces::report::synthetic_assessment;
    use studentsucces::ruleset::RuleSet;

    /// What a loop does with each programme besides planning it.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Extra {
        Nothing,
        Handoffs,
        Links,
    }

    /// The first 1,000 programmes of the cohort `benches/batch.rs` uses, evaluated.
    fn cohort_evaluations(ruleset: &RuleSet) -> Vec<Evaluation> {
        Cohort::new(ruleset, 1_000, 7)
            .filter_map(|programme| {
                let assessment = synthetic_assessment(ruleset, programme);
                let answers = ruleset.answers(&assessment).ok()?;
                Some(ruleset.evaluate(&answers))
            })
            .collect()
    }

    /// Plans every evaluation `passes` times into a reused plan, with `extra`; returns a
    /// total so that nothing is optimised away.
    #[inline(never)]
    fn plan_loop(
        ruleset: &RuleSet,
        evaluations: &[Evaluation],
        passes: usize,
        extra: Extra,
    ) -> usize {
        let mut plan = Plan::default();
        let mut total = 0;
        for _ in 0..passes {
            for evaluation in evaluations {
                ruleset.plan_into(evaluation, &mut plan);
                total += plan.len();
                total += match extra {
                    Extra::Nothing => 0,
                    Extra::Handoffs => plan.handoffs(ruleset).len(),
                    Extra::Links => links(ruleset, &plan),
                };
            }
        }
        total
    }

    /// What the advice reads of the plan for each of its tips: the prerequisites in the
    /// plan and, for a pulled-in tip, the plan tips that need it.
    fn links(ruleset: &RuleSet, plan: &Plan) -> usize {
        plan.steps()
            .iter()
            .map(|step| {
                plan.after(ruleset, step.tip).count() + plan.pulled_in_by(ruleset, step.tip).count()
            })
            .sum()
    }

    /// Runs the loop `PLAN_LOOP` names, if it names one; true if it ran.
    pub fn run(ruleset: &RuleSet) -> bool {
        let extra = match std::env::var("PLAN_LOOP").as_deref() {
            Ok("plan") => Extra::Nothing,
            Ok("handoffs") => Extra::Handoffs,
            Ok("links") => Extra::Links,
            _ => return false,
        };
        let passes = std::env::var("PLAN_PASSES")
            .ok()
            .and_then(|passes| passes.parse().ok())
            .unwrap_or(1);
        let evaluations = cohort_evaluations(ruleset);
        let total = plan_loop(ruleset, &evaluations, passes, extra);
        println!("{total}");
        true
    }
}

/// Without synthetic cohorts there is no callgrind loop to run.
#[cfg(not(feature = "synthetic"))]
mod callgrind {
    use studentsucces::ruleset::RuleSet;

    /// Runs nothing.
    pub fn run(_: &RuleSet) -> bool {
        false
    }
}

fn bench_plan(c: &mut Criterion) {
    let Ok(ruleset) = RuleSet::roadmap() else {
        eprintln!("the embedded Roadmap does not compile; nothing to measure");
        return;
    };
    if callgrind::run(&ruleset) {
        std::process::exit(0);
    }
    let mut group = c.benchmark_group("plan");
    for (programme, evaluation) in evaluations(&ruleset) {
        let tips = ruleset.plan(&evaluation).len();
        let label = format!("{programme} ({tips} tips)");
        group.bench_with_input(
            BenchmarkId::new("fresh", &label),
            &evaluation,
            |b, evaluation| {
                b.iter(|| ruleset.plan(black_box(evaluation)));
            },
        );
        let mut scratch = Plan::default();
        group.bench_with_input(
            BenchmarkId::new("reused", &label),
            &evaluation,
            |b, evaluation| {
                b.iter(|| {
                    ruleset.plan_into(black_box(evaluation), &mut scratch);
                    scratch.len()
                });
            },
        );
        let plan = ruleset.plan(&evaluation);
        group.bench_with_input(
            BenchmarkId::new("lanes+handoffs", &label),
            &plan,
            |b, plan| {
                b.iter(|| (plan.lanes(&ruleset), plan.handoffs(&ruleset)));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
