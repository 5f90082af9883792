//! Batch evaluation by columns gives exactly the evaluation of each programme on its
//! own: on the synthetic cohort of the Roadmap, and on the neutral 150-rule set
//! (`../shared/bench/neutral-150` from the crate root) when it is present.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use studentsucces::eval::{Answers, Evaluation, BLOCK};
use studentsucces::input::Assessment;
use studentsucces::input::Cohort;
use studentsucces::report::synthetic_assessment;
use studentsucces::ruleset::RuleSet;

fn assert_columns_equal_rows(ruleset: &RuleSet, answers: &[Answers], name: &str) {
    let batch = ruleset.evaluate_batch(answers);
    assert_eq!(batch.len(), answers.len());
    for (index, (answers, batch)) in answers.iter().zip(&batch).enumerate() {
        let row = ruleset.evaluate(answers);
        assert!(*batch == row, "{name}: programme {index} differs");
    }
}

#[test]
fn columns_equal_rows_on_the_synthetic_cohort() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    // Not a multiple of the block: the last block is partial.
    let answers: Vec<Answers> = Cohort::new(&ruleset, (3 * BLOCK + 17) as u64, 7)
        .map(|programme| {
            let assessment = synthetic_assessment(&ruleset, programme);
            ruleset.answers(&assessment).unwrap()
        })
        .collect();
    assert_columns_equal_rows(&ruleset, &answers, "cohort");
    let mut reused = Evaluation::default();
    for answers in &answers {
        ruleset.evaluate_into(answers, &mut reused);
        assert!(reused == ruleset.evaluate(answers), "evaluate_into differs");
    }
    let mut reused = ruleset.evaluate_batch(&answers[..5]);
    ruleset.evaluate_batch_into(&answers[10..], &mut reused);
    assert!(reused == ruleset.evaluate_batch(&answers[10..]));
}

#[test]
fn columns_equal_rows_on_the_neutral_set_when_present() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/neutral-150");
    if !folder.join("rules-150.rules").exists() {
        println!("{} not found: skipped", folder.display());
        return;
    }
    let ruleset = RuleSet::from_path(
        folder.join("rules-150.rules"),
        &studentsucces::Options::default(),
    )
    .unwrap()
    .into_ruleset();
    let text = std::fs::read_to_string(folder.join("assessments-10k.studentsucces.jsonl")).unwrap();
    let answers: Vec<Answers> = text
        .lines()
        .map(|line| {
            let assessment: Assessment = serde_json::from_str(line).unwrap();
            ruleset.answers(&assessment).unwrap()
        })
        .collect();
    assert_eq!(answers.len(), 10_000);
    assert_columns_equal_rows(&ruleset, &answers, "neutral");
    // Evaluations of the Roadmap's 143 tips, reused for the neutral set's 150.
    let roadmap = RuleSet::roadmap().unwrap().into_ruleset();
    let unanswered = vec![Answers::unanswered(&roadmap); 100];
    let mut reused = roadmap.evaluate_batch(&unanswered);
    ruleset.evaluate_batch_into(&answers[..300], &mut reused);
    assert!(
        reused == ruleset.evaluate_batch(&answers[..300]),
        "reused by blocks"
    );
    let mut one = roadmap.evaluate(&unanswered[0]);
    for answers in &answers[..300] {
        ruleset.evaluate_into(answers, &mut one);
        assert!(one == ruleset.evaluate(answers), "reused one at a time");
    }
}
