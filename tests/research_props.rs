//! Properties of the research computations on generated cohorts: a sweep at one value
//! is a plain run with that param, and a rule set compared with itself changes nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use proptest::prelude::*;
use studentsucces::input::Cohort;
use studentsucces::report::synthetic_assessment;
use studentsucces::research::{diff, sweep, Programme};
use studentsucces::{Assessment, Options, RuleSet};

fn roadmap() -> &'static RuleSet {
    static ROADMAP: OnceLock<RuleSet> = OnceLock::new();
    ROADMAP.get_or_init(|| RuleSet::roadmap().unwrap().into_ruleset())
}

fn cohort(ruleset: &RuleSet, programmes: u64, seed: u64) -> Vec<(Assessment, Programme)> {
    Cohort::new(ruleset, programmes, seed)
        .map(|programme| {
            let assessment = synthetic_assessment(ruleset, programme);
            let programme = Programme {
                answers: ruleset.answers(&assessment).unwrap(),
                id: assessment.programme.clone(),
            };
            (assessment, programme)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn a_rule_set_against_itself_changes_nothing(seed in 0u64..1_000, programmes in 1u64..40) {
        let ruleset = roadmap();
        let pairs: Vec<_> = cohort(ruleset, programmes, seed)
            .into_iter()
            .map(|(_, programme)| (programme.clone(), programme))
            .collect();
        let diff = diff(ruleset, ruleset, &pairs);
        prop_assert!(diff.is_empty(), "{diff:?}");
        prop_assert!(diff.tips.is_empty() && diff.sections.is_empty());
    }

    #[test]
    fn a_sweep_at_one_value_is_a_plain_run(seed in 0u64..1_000, value in 1u32..6) {
        let value = f64::from(value);
        let with_param = RuleSet::roadmap_with(&Options::new().param("focus", value))
            .unwrap()
            .into_ruleset();
        let generated = cohort(&with_param, 25, seed);
        let programmes: Vec<Programme> = generated.iter().map(|(_, p)| p.clone()).collect();
        let swept = sweep("focus", &[(value, &with_param, programmes.as_slice())]);
        let row = &swept.rows[0];
        let mut counts = vec![0u64; with_param.tips().len()];
        let mut cycle_1 = 0u64;
        for (assessment, _) in &generated {
            let advice = with_param.advise(assessment).unwrap();
            for tip in &advice.tips {
                counts[with_param.tip_index(tip.id).unwrap().index()] += 1;
                cycle_1 += u64::from(tip.cycle == 1);
            }
        }
        prop_assert_eq!(&row.tips, &counts);
        prop_assert_eq!(row.cycle_1, cycle_1);
    }
}
