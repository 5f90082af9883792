//! The evaluator alone: `RuleSet::evaluate` on the embedded Roadmap for the bundled
//! example programmes (answers already checked). Run: `cargo bench --bench eval`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use studentsucces::input::Assessment;
use studentsucces::ruleset::RuleSet;

fn bench_evaluate(c: &mut Criterion) {
    let ruleset = RuleSet::roadmap().unwrap();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/programmes.json"
    ))
    .unwrap();
    let assessments: Vec<Assessment> = serde_json::from_str(&text).unwrap();
    let mut group = c.benchmark_group("evaluate");
    for assessment in &assessments {
        let answers = ruleset.answers(assessment).unwrap();
        let fired = ruleset.evaluate(&answers).fired.len();
        let id = BenchmarkId::new(&assessment.programme, format!("{fired} rules fire"));
        group.bench_with_input(id, &answers, |b, answers| {
            b.iter(|| ruleset.evaluate(answers))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
