//! Runs the rule tests written in the language (`test "..." { given ... expect ... }`).

use super::Answers;
use crate::ruleset::{RuleSet, RuleTest};

/// The result of one rule test.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// Where it is written.
    pub location: String,
    /// One message per expectation that did not hold; empty when the test passed.
    pub failures: Vec<String>,
}

impl TestOutcome {
    /// Whether every expectation held.
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

impl RuleSet {
    /// Runs every rule test of the rule set, in declared order.
    pub fn run_tests(&self) -> Vec<TestOutcome> {
        self.tests.iter().map(|test| self.run_test(test)).collect()
    }

    fn run_test(&self, test: &RuleTest) -> TestOutcome {
        let mut answers = Answers::unanswered(self);
        for &(question, value) in &test.given {
            answers.set(question, value);
        }
        let evaluation = self.evaluate(&answers);
        let failures = test
            .expectations
            .iter()
            .filter_map(|expectation| {
                let tip_id = self.tip(expectation.tip).map_or("?", |tip| tip.id.as_str());
                let recommended = evaluation.recommended().contains(expectation.tip.index());
                let priority = evaluation
                    .tip_priority()
                    .get(expectation.tip.index())
                    .copied()
                    .unwrap_or(0);
                let at = &expectation.location;
                match (expectation.negated, recommended, expectation.priority) {
                    (true, true, _) => Some(format!(
                        "{at}: `{tip_id}` is recommended (priority {priority}), expected not"
                    )),
                    (false, false, _) => Some(format!("{at}: `{tip_id}` is not recommended")),
                    (false, true, Some((op, bound))) if !op.apply(f64::from(priority), bound) => {
                        Some(format!(
                            "{at}: `{tip_id}` has priority {priority}, expected {} {bound}",
                            op.symbol()
                        ))
                    }
                    _ => None,
                }
            })
            .collect();
        TestOutcome {
            name: test.name.clone(),
            location: test.location.clone(),
            failures,
        }
    }
}
