//! Properties of the planner over random dependency graphs, random recommended sets,
//! random priorities and random tips in place: checked against a naive reference.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use proptest::prelude::*;
use studentsucces::compile::compile;
use studentsucces::diagnostic::SourceFile;
use studentsucces::eval::{Confidence, Evaluation, TipStatus};
use studentsucces::plan::Plan;
use studentsucces::ruleset::{RuleSet, SectionIndex, TipIndex};

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

/// Other ids for the same tips, sorting the other way round.
fn renamed_tip_id(case: &Case, tip: usize) -> String {
    format!("s{}.z{}", case.tips[tip].0, 999 - tip)
}

/// Each section's lead: the first role it lists.
fn lead_of_section(roles: &[bool; ROLES]) -> Option<usize> {
    (0..ROLES).find(|&role| roles[role])
}

fn source_named(case: &Case, name: fn(&Case, usize) -> String) -> String {
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
        let lead = lead_of_section(roles).map_or(String::new(), |role| format!("lead r{role}"));
        let _ = writeln!(
            text,
            "factor s{index} \"S{index}\" {{ number {} theme th horizon {horizon} {stakeholders} {lead} }}",
            index + 1
        );
    }
    let mut declaration_order: Vec<usize> = (0..case.tips.len()).collect();
    declaration_order.sort_by_key(|&tip| case.declared_at[tip]);
    for tip in declaration_order {
        let after: Vec<String> = case.tips[tip].1.iter().map(|&p| name(case, p)).collect();
        let after = match after.is_empty() {
            true => String::new(),
            false => format!("after {}", after.join(", ")),
        };
        let _ = writeln!(text, "tip {} {{ text \"t\" {after} }}", name(case, tip));
    }
    text
}

/// The rule set and the evaluation of a case; bitsets and priorities by tip index.
fn build(case: &Case) -> (RuleSet, Evaluation) {
    build_named(case, tip_id)
}

fn build_named(case: &Case, name: fn(&Case, usize) -> String) -> (RuleSet, Evaluation) {
    let text = source_named(case, name);
    let compiled = compile(vec![SourceFile::new("prop.rules", text)], &[]);
    let ruleset = compiled.map_err(|d| d.render_plain()).unwrap().ruleset;
    let count = ruleset.tips().len();
    let mut evaluation = Evaluation::new(count);
    for tip in 0..case.tips.len() {
        let index = ruleset.tip_index(&name(case, tip)).unwrap();
        if case.recommended[tip] {
            evaluation.set_recommended(index, true);
            evaluation.set_tip_priority(index, case.priority[tip]);
            evaluation.set_status(index, TipStatus::Recommended(Confidence::Answered));
        }
        evaluation.set_in_place(index, case.in_place[tip]);
    }
    (ruleset, evaluation)
}

/// The missing prerequisites, transitively, by a plain graph search.
fn reference_pulled_in(ruleset: &RuleSet, evaluation: &Evaluation) -> BTreeSet<TipIndex> {
    let mut pulled = BTreeSet::new();
    let mut stack: Vec<TipIndex> = evaluation.recommended_tips().collect();
    while let Some(tip) = stack.pop() {
        for &prerequisite in &ruleset.tips()[tip.index()].after {
            let index = prerequisite.index();
            if evaluation.recommended().contains(index) || evaluation.in_place().contains(index) {
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
        let after: Vec<TipIndex> = plan.after(ruleset, step.tip).collect();
        let expected: Vec<TipIndex> = ruleset.tips()[step.tip.index()]
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
    let pulled: BTreeSet<TipIndex> = plan
        .steps()
        .iter()
        .filter(|s| s.pulled_in)
        .map(|s| s.tip)
        .collect();
    prop_assert_eq!(&pulled, &reference_pulled_in(ruleset, evaluation));
    let members: BTreeSet<TipIndex> = plan.steps().iter().map(|s| s.tip).collect();
    let expected: BTreeSet<TipIndex> = evaluation
        .recommended_tips()
        .chain(pulled.iter().copied())
        .collect();
    prop_assert_eq!(&members, &expected);
    prop_assert_eq!(members.len(), plan.len(), "each tip once");
    for step in plan.steps() {
        let needers: Vec<TipIndex> = plan.pulled_in_by(ruleset, step.tip).collect();
        if !step.pulled_in {
            prop_assert!(needers.is_empty());
            prop_assert_eq!(step.priority, evaluation.tip_priority()[step.tip.index()]);
            continue;
        }
        let expected: Vec<TipIndex> = plan
            .steps()
            .iter()
            .map(|s| s.tip)
            .filter(|&t| ruleset.tips()[t.index()].after.contains(&step.tip))
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

fn check_order_and_cycles(
    ruleset: &RuleSet,
    plan: &Plan,
    focus: usize,
) -> Result<(), TestCaseError> {
    let keys: Vec<(u8, u32)> = plan.steps().iter().map(|s| (s.cycle, s.phase)).collect();
    prop_assert!(keys.windows(2).all(|pair| pair[0] <= pair[1]), "plan order");
    let cycle_one: Vec<TipIndex> = plan.cycle(1).iter().map(|s| s.tip).collect();
    let mut focus_sorted = plan.focus().to_vec();
    focus_sorted.sort_unstable();
    let mut cycle_sorted = cycle_one.clone();
    cycle_sorted.sort_unstable();
    prop_assert_eq!(focus_sorted, cycle_sorted, "the focus is cycle 1");
    let section = |tip: TipIndex| ruleset.tip(tip).unwrap().section;
    let lead = |tip: TipIndex| ruleset.roles().lead_of(tip);
    for cycle in [1, 2] {
        let tips: Vec<TipIndex> = plan.cycle(cycle).iter().map(|s| s.tip).collect();
        prop_assert!(tips.len() <= focus, "a cycle holds at most `focus` tips");
        let sections: BTreeSet<SectionIndex> = tips.iter().map(|&t| section(t)).collect();
        prop_assert_eq!(sections.len(), tips.len(), "one tip per section");
        let leads: Vec<_> = tips.iter().filter_map(|&t| lead(t)).collect();
        let distinct: BTreeSet<_> = leads.iter().collect();
        prop_assert_eq!(distinct.len(), leads.len(), "one tip per lead");
    }
    for (prerequisite, tip) in plan.edges(ruleset) {
        prop_assert!(
            plan.step(prerequisite).unwrap().cycle <= plan.step(tip).unwrap().cycle,
            "a tip never comes a cycle before its prerequisite"
        );
    }
    if cycle_one.len() < focus {
        for step in plan.steps().iter().filter(|s| s.cycle > 1) {
            let blocked = cycle_one.iter().any(|&t| section(t) == section(step.tip))
                || lead(step.tip).is_some_and(|l| cycle_one.iter().any(|&t| lead(t) == Some(l)))
                || plan
                    .after(ruleset, step.tip)
                    .any(|p| plan.step(p).unwrap().cycle > 1);
            prop_assert!(blocked, "a short cycle 1 left out a tip it could take");
        }
    }
    Ok(())
}

fn check_lanes_and_handoffs(ruleset: &RuleSet, plan: &Plan) -> Result<(), TestCaseError> {
    let roles = ruleset.roles();
    let lanes = plan.lanes(ruleset);
    for lane in &lanes {
        let plan_tips = || plan.steps().iter().map(|s| s.tip);
        let led: Vec<TipIndex> = plan_tips()
            .filter(|&tip| roles.lead_of(tip) == Some(lane.role))
            .collect();
        let involved: Vec<TipIndex> = plan_tips()
            .filter(|&tip| {
                roles.of_tip(tip).contains(&lane.role) && roles.lead_of(tip) != Some(lane.role)
            })
            .collect();
        prop_assert_eq!(&lane.led, &led);
        prop_assert_eq!(&lane.involved, &involved);
        prop_assert!(!lane.led.is_empty() || !lane.involved.is_empty());
    }
    let handoffs: BTreeSet<(TipIndex, TipIndex)> = plan
        .handoffs(ruleset)
        .iter()
        .map(|h| (h.from, h.to))
        .collect();
    let expected: BTreeSet<(TipIndex, TipIndex)> = plan
        .edges(ruleset)
        .filter(
            |&(from, to)| match (roles.lead_of(from), roles.lead_of(to)) {
                (Some(a), Some(b)) => a != b,
                _ => false,
            },
        )
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
        check_order_and_cycles(&ruleset, &plan, usize::from(case.focus))?;
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
    fn renaming_tip_ids_changes_no_cycle(case in case()) {
        let (ruleset, evaluation) = build(&case);
        let (renamed, renamed_evaluation) = build_named(&case, renamed_tip_id);
        let plan = ruleset.plan(&evaluation);
        let renamed_plan = renamed.plan(&renamed_evaluation);
        let by_index = |plan: &Plan| -> Vec<(TipIndex, u8)> {
            plan.steps().iter().map(|s| (s.tip, s.cycle)).collect()
        };
        prop_assert_eq!(plan.focus(), renamed_plan.focus());
        prop_assert_eq!(by_index(&plan), by_index(&renamed_plan));
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
