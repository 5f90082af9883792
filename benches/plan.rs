//! Planning one programme on the full Roadmap: the planner alone (no evaluation), with
//! a fresh `Plan` and with one reused across programmes as the batch path does, plus
//! lanes and handoffs for the advice.
//!
//! Run: `cargo bench --bench plan`

#![expect(
    missing_docs,
    reason = "criterion's macros generate the benchmark group's function undocumented"
)]

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use fixedbitset::FixedBitSet;
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
    let mut everything = FixedBitSet::with_capacity(count);
    everything.insert_range(..);
    evaluations.push((
        "all-tips".to_owned(),
        Evaluation {
            fired: Vec::new(),
            recommended: everything,
            tip_priority: (0..count).map(|tip| (tip * 37 % 101) as u8).collect(),
            in_place: FixedBitSet::with_capacity(count),
            status: vec![TipStatus::Recommended(Confidence::Answered); count],
            context_assumed: FixedBitSet::with_capacity(count),
        },
    ));
    evaluations
}

fn bench_plan(c: &mut Criterion) {
    let Ok(ruleset) = RuleSet::roadmap() else {
        eprintln!("the embedded Roadmap does not compile; nothing to measure");
        return;
    };
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
