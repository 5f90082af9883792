//! The planner against the oracle (the planner written plainly, `oracle`), on random
//! evaluations of the Roadmap under several cycle limits.

use proptest::prelude::*;

use super::oracle::{self, OraclePlan};
use super::Plan;
use crate::eval::{Confidence, Evaluation, TipStatus};
use crate::ruleset::{RuleSet, TipIndex};

/// The Roadmap with its own cycle limits (3, 1, 1) and with others, and with others
/// after the example institution profile (roles merged and removed, leads changed);
/// compiled once.
fn rulesets() -> &'static [RuleSet] {
    static RULESETS: std::sync::OnceLock<Vec<RuleSet>> = std::sync::OnceLock::new();
    RULESETS.get_or_init(compile_rulesets)
}

fn compile_rulesets() -> Vec<RuleSet> {
    let limits = [(3, 1, 1), (6, 2, 2), (40, 5, 9), (0, 1, 1), (12, 30, 30)];
    let roadmap = RuleSet::roadmap().unwrap().into_ruleset();
    let profile = super::Profile::parse(
        "institution-profile.toml",
        include_str!("../../examples/institution-profile.toml"),
    )
    .unwrap();
    let mut profiled = roadmap.clone();
    profiled.set_profile(&profile).unwrap();
    let with_limits = |ruleset: &RuleSet, (focus, per_section, per_lead)| {
        let mut ruleset = ruleset.clone();
        ruleset.planning.focus = focus;
        ruleset.planning.per_section = per_section;
        ruleset.planning.per_lead = per_lead;
        ruleset
    };
    let profiled_limits = [(3, 1, 1), (6, 2, 2)];
    limits
        .iter()
        .map(|&limits| with_limits(&roadmap, limits))
        .chain(
            profiled_limits
                .iter()
                .map(|&limits| with_limits(&profiled, limits)),
        )
        .collect()
}

/// A random evaluation: which tips are recommended, their priorities (the whole `u8`
/// range, four values or one, so ranks tie and differ), which are in place and which do
/// not apply; it may be for fewer or more tips than the rule set has, as a hand-built
/// one can be.
fn evaluation(tip_count: usize) -> impl Strategy<Value = Evaluation> {
    let size = (tip_count - 3)..(tip_count + 3);
    let flags = prop::collection::vec(0u8..8, size.clone());
    let priorities = prop::collection::vec(any::<u8>(), size.clone());
    let few_priorities =
        prop::collection::vec(prop::sample::select(vec![0u8, 20, 50, 100]), size.clone());
    let one_priority = (any::<u8>(), size).prop_map(|(priority, count)| vec![priority; count]);
    let priorities = prop_oneof![priorities, few_priorities, one_priority];
    (flags, priorities, 0u8..4).prop_map(|(flags, tip_priority, density)| {
        let mut evaluation = Evaluation::new(flags.len());
        for (tip, &flag) in TipIndex::enumerate(flags.iter()) {
            evaluation.set_recommended(tip, flag < 2 + density);
            evaluation.set_in_place(tip, flag == 6);
            evaluation.set_status(
                tip,
                match flag {
                    7 => TipStatus::NotApplicable(0),
                    _ => TipStatus::Recommended(Confidence::Answered),
                },
            );
        }
        for (tip, &priority) in TipIndex::enumerate(tip_priority.iter()) {
            evaluation.set_tip_priority(tip, priority);
        }
        evaluation
    })
}

/// What the oracle would say of a plan: its steps, focus and every tip's position.
fn as_oracle(plan: &Plan, tip_count: usize) -> OraclePlan {
    OraclePlan {
        steps: plan.steps().to_vec(),
        focus: plan.focus().to_vec(),
        positions: TipIndex::all(tip_count)
            .map(|tip| plan.position(tip))
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_planner_plans_as_the_oracle(evaluations in prop::collection::vec(evaluation(143), 1..6)) {
        for ruleset in rulesets() {
            let tip_count = ruleset.tips().len();
            let mut reused = Plan::default();
            for evaluation in &evaluations {
                let expected = oracle::plan(ruleset, evaluation);
                ruleset.plan_into(evaluation, &mut reused);
                prop_assert_eq!(&as_oracle(&reused, tip_count), &expected);
                prop_assert_eq!(&as_oracle(&ruleset.plan(evaluation), tip_count), &expected);
            }
        }
    }
}

#[test]
fn the_catalogue_plan_is_the_oracles() {
    for ruleset in rulesets() {
        let tip_count = ruleset.tips().len();
        let plan = ruleset.catalogue_plan();
        assert_eq!(as_oracle(&plan, tip_count), oracle::catalogue_plan(ruleset));
    }
}

#[test]
fn a_plan_reused_after_the_whole_catalogue_plans_an_empty_evaluation_as_a_fresh_one() {
    let roadmap = rulesets().first().unwrap();
    let everything = roadmap.catalogue_plan();
    assert!(everything.len() > 100);
    let mut reused = everything.clone();
    let empty = Evaluation::default();
    roadmap.plan_into(&empty, &mut reused);
    assert!(reused.is_empty());
    assert_eq!(reused, roadmap.plan(&empty));
}
