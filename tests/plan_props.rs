//! Properties of the planner over random dependency graphs, random recommended sets,
//! random priorities and random tips in place: checked against a naive reference.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use fixedbitset::FixedBitSet;
use proptest::prelude::*;
use studentsucces::compile::compile;
use studentsucces::diagnostic::SourceFile;
use studentsucces::eval::Evaluation;
use studentsucces::plan::{horizon_rank, Plan};
use studentsucces::ruleset::RuleSet;

const ROLES: usize = 4;
const HORIZONS: [&str; 7] = [
    "kort",
    "midden",
    "lang",
    "kort..midden",
    "midden..lang",
    "kort..lang",
    "none",
];

/// A random rule set and one random programme's evaluation, by declaration order.
#[derive(Debug, Clone)]
struct Case {
    /// Per section: horizon (index into `HORIZONS`) and which roles it lists.
    sections: Vec<(usize, [bool; ROLES])>,
    /// Per tip: its section and its prerequisites, all earlier tips in a hidden order.
    tips: Vec<(usize, Vec<usize>)>,
    /// Declaration position of each tip, so the graph's order is not the file's.
    declared_at: Vec<usize>,
    recommended: Vec<bool>,
    in_place: Vec<bool>,
    priority: Vec<u8>,
    focus: u8,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..5, 1usize..36).prop_flat_map(|(section_count, tip_count)| {
        let sections =
            prop::collection::vec((0..HORIZONS.len(), any::<[bool; ROLES]>()), section_count);
        let tips = (0..tip_count)
            .map(|tip| {
                let prerequisites = prop::collection::vec(0..tip.max(1), 0..=tip.min(3));
                (0..section_count, prerequisites).prop_map(move |(section, prerequisites)| {
                    let prerequisites = if tip == 0 { Vec::new() } else { prerequisites };
                    (section, prerequisites)
                })
            })
            .collect::<Vec<_>>();
        let order = Just((0..tip_count).collect::<Vec<_>>()).prop_shuffle();
        (
            sections,
            tips,
            order,
            prop::collection::vec(prop::bool::weighted(0.4), tip_count),
            prop::collection::vec(prop::bool::weighted(0.3), tip_count),
            prop::collection::vec(0u8..=100, tip_count),
            0u8..5,
        )
            .prop_map(
                |(sections, tips, declared_at, recommended, in_place, priority, focus)| Case {
                    sections,
                    tips,
                    declared_at,
                    recommended,
                    in_place,
                    priority,
                    focus,
                },
            )
    })
}

fn tip_id(case: &Case, tip: usize) -> String {
    format!("s{}.t{tip}", case.tips[tip].0)
}

fn source(case: &Case) -> String {
    let mut text = String::from("ruleset \"prop\" version \"1\"\ntheme th \"Th\" { number 1 }\n");
    for role in 0..ROLES {
        let _ = writeln!(text, "stakeholder r{role} \"Rol {role}\"");
    }
    let _ = writeln!(text, "param focus = {}", case.focus);
    for (index, (horizon, roles)) in case.sections.iter().enumerate() {
        let listed: Vec<String> = (0..ROLES)
            .filter(|&role| roles[role])
            .map(|role| format!("r{role}"))
            .collect();
        let stakeholders = match listed.is_empty() {
            true => String::new(),
            false => format!("stakeholders {}", listed.join(", ")),
        };
        let horizon = HORIZONS[*horizon];
        let _ = writeln!(
            text,
            "factor s{index} \"S{index}\" {{ number {} theme th horizon {horizon} {stakeholders} }}",
            index + 1
        );
    }
    let mut declaration_order: Vec<usize> = (0..case.tips.len()).collect();
    declaration_order.sort_by_key(|&tip| case.declared_at[tip]);
    for tip in declaration_order {
        let after: Vec<String> = case.tips[tip].1.iter().map(|&p| tip_id(case, p)).collect();
        let after = match after.is_empty() {
            true => String::new(),
            false => format!("after {}", after.join(", ")),
        };
        let _ = writeln!(text, "tip {} {{ text \"t\" {after} }}", tip_id(case, tip));
    }
    text
}

/// The rule set and the evaluation of a case; bitsets and priorities by tip index.
fn build(case: &Case) -> (RuleSet, Evaluation) {
    let compiled = compile(vec![SourceFile::new("prop.rules", source(case))], &[]);
    let ruleset = compiled.map_err(|d| d.render_plain()).unwrap().ruleset;
    let count = ruleset.tips().len();
    let mut evaluation = Evaluation {
        fired: Vec::new(),
        recommended: FixedBitSet::with_capacity(count),
        tip_priority: vec![0; count],
        in_place: FixedBitSet::with_capacity(count),
    };
    for tip in 0..case.tips.len() {
        let index = ruleset.tip_index(&tip_id(case, tip)).unwrap() as usize;
        if case.recommended[tip] {
            evaluation.recommended.insert(index);
            evaluation.tip_priority[index] = case.priority[tip];
        }
        evaluation.in_place.set(index, case.in_place[tip]);
    }
    (ruleset, evaluation)
}

/// The missing prerequisites, transitively, by a plain graph search.
fn reference_pulled_in(ruleset: &RuleSet, evaluation: &Evaluation) -> BTreeSet<u32> {
    let mut pulled = BTreeSet::new();
    let mut stack: Vec<u32> = evaluation.recommended_tips().collect();
    while let Some(tip) = stack.pop() {
        for &prerequisite in &ruleset.tips()[tip as usize].after {
            let index = prerequisite as usize;
            if evaluation.recommended.contains(index) || evaluation.in_place.contains(index) {
                continue;
            }
            if pulled.insert(prerequisite) {
                stack.push(prerequisite);
            }
        }
    }
    pulled
}

fn check_edges_and_phases(ruleset: &RuleSet, plan: &Plan) -> Result<(), TestCaseError> {
    for step in plan.steps() {
        let after: Vec<u32> = plan.after(ruleset, step.tip).collect();
        let expected: Vec<u32> = ruleset.tips()[step.tip as usize]
            .after
            .iter()
            .copied()
            .filter(|&p| plan.contains(p))
            .collect();
        prop_assert_eq!(&after, &expected);
        for &prerequisite in &after {
            prop_assert!(
                plan.step(prerequisite).unwrap().phase < step.phase,
                "edge goes back a phase"
            );
        }
        let latest = after
            .iter()
            .map(|&p| plan.step(p).unwrap().phase)
            .max()
            .unwrap_or(0);
        prop_assert_eq!(
            step.phase,
            latest + 1,
            "a tip starts right after its latest prerequisite"
        );
    }
    Ok(())
}

fn check_pulled_in(
    ruleset: &RuleSet,
    evaluation: &Evaluation,
    plan: &Plan,
) -> Result<(), TestCaseError> {
    let pulled: BTreeSet<u32> = plan
        .steps()
        .iter()
        .filter(|s| s.pulled_in)
        .map(|s| s.tip)
        .collect();
    prop_assert_eq!(&pulled, &reference_pulled_in(ruleset, evaluation));
    let members: BTreeSet<u32> = plan.steps().iter().map(|s| s.tip).collect();
    let expected: BTreeSet<u32> = evaluation
        .recommended_tips()
        .chain(pulled.iter().copied())
        .collect();
    prop_assert_eq!(&members, &expected);
    prop_assert_eq!(members.len(), plan.len(), "each tip once");
    for step in plan.steps() {
        let needers: Vec<u32> = plan.pulled_in_by(ruleset, step.tip).collect();
        if !step.pulled_in {
            prop_assert!(needers.is_empty());
            prop_assert_eq!(step.priority, evaluation.tip_priority[step.tip as usize]);
            continue;
        }
        let expected: Vec<u32> = plan
            .steps()
            .iter()
            .map(|s| s.tip)
            .filter(|&t| ruleset.tips()[t as usize].after.contains(&step.tip))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        prop_assert_eq!(&needers, &expected);
        let highest = needers
            .iter()
            .map(|&t| plan.step(t).unwrap().priority)
            .max();
        prop_assert_eq!(Some(step.priority), highest);
    }
    Ok(())
}

fn check_order_and_focus(
    ruleset: &RuleSet,
    plan: &Plan,
    focus: usize,
) -> Result<(), TestCaseError> {
    let rank = |tip: u32| {
        let decl = &ruleset.tips()[tip as usize];
        horizon_rank(ruleset.section_of(decl).unwrap().horizon)
    };
    let key = |tip: u32| {
        let step = plan.step(tip).unwrap();
        (
            step.phase,
            rank(tip),
            Reverse(step.priority),
            ruleset.tips()[tip as usize].id.clone(),
        )
    };
    let keys: Vec<_> = plan.steps().iter().map(|s| key(s.tip)).collect();
    prop_assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "plan order");
    let phase_one: Vec<u32> = plan.phase(1).iter().map(|s| s.tip).collect();
    prop_assert_eq!(plan.focus().len(), focus.min(phase_one.len()));
    let priority = |tip: u32| plan.step(tip).unwrap().priority;
    let lowest_focus = plan
        .focus()
        .iter()
        .map(|&t| priority(t))
        .min()
        .unwrap_or(u8::MAX);
    for &tip in &phase_one {
        if !plan.focus().contains(&tip) {
            prop_assert!(
                priority(tip) <= lowest_focus,
                "a left-out phase-1 tip outranks the focus"
            );
        }
    }
    prop_assert!(plan.focus().iter().all(|tip| phase_one.contains(tip)));
    let focus_priorities: Vec<u8> = plan.focus().iter().map(|&t| priority(t)).collect();
    prop_assert!(
        focus_priorities.windows(2).all(|pair| pair[0] >= pair[1]),
        "focus highest first"
    );
    Ok(())
}

fn check_lanes_and_handoffs(ruleset: &RuleSet, plan: &Plan) -> Result<(), TestCaseError> {
    let roles = ruleset.roles();
    let lanes = plan.lanes(ruleset);
    for lane in &lanes {
        let expected: Vec<u32> = plan
            .steps()
            .iter()
            .map(|s| s.tip)
            .filter(|&tip| roles.of_tip(tip).contains(&lane.role))
            .collect();
        prop_assert_eq!(&lane.tips, &expected);
        prop_assert!(!lane.tips.is_empty());
    }
    let handoffs: BTreeSet<(u32, u32)> = plan
        .handoffs(ruleset)
        .iter()
        .map(|h| (h.from, h.to))
        .collect();
    let expected: BTreeSet<(u32, u32)> = plan
        .edges(ruleset)
        .filter(|&(from, to)| {
            let set = |tip: u32| roles.of_tip(tip).iter().copied().collect::<BTreeSet<_>>();
            set(from) != set(to)
        })
        .collect();
    prop_assert_eq!(handoffs, expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn plans_respect_edges_pull_in_exactly_the_missing_prerequisites_and_are_deterministic(
        case in case(),
        other in case(),
    ) {
        let (ruleset, evaluation) = build(&case);
        let plan = ruleset.plan(&evaluation);
        check_edges_and_phases(&ruleset, &plan)?;
        check_pulled_in(&ruleset, &evaluation, &plan)?;
        check_order_and_focus(&ruleset, &plan, usize::from(case.focus))?;
        check_lanes_and_handoffs(&ruleset, &plan)?;

        prop_assert_eq!(&ruleset.plan(&evaluation), &plan, "identical across runs");
        let (other_ruleset, other_evaluation) = build(&other);
        let mut reused = other_ruleset.plan(&other_evaluation);
        ruleset.plan_into(&evaluation, &mut reused);
        prop_assert_eq!(&reused, &plan, "a reused plan forgets what it held");
        let (again, again_evaluation) = build(&case);
        prop_assert_eq!(&again.plan(&again_evaluation), &plan, "identical across compilations");
    }

    #[test]
    fn the_catalogue_plan_layers_every_edge(case in case()) {
        let (ruleset, _) = build(&case);
        let plan = ruleset.catalogue_plan();
        prop_assert_eq!(plan.len(), ruleset.tips().len());
        prop_assert!(plan.focus().is_empty());
        check_edges_and_phases(&ruleset, &plan)?;
    }
}
