//! The planner on a small rule set (`tests/data/plan/small.rules`) and on the embedded
//! Roadmap: pulled-in prerequisites, phases, cycles, order, lanes, handoffs, profiles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::plan_data as data;

use std::path::Path;

use studentsucces::compile::{compile, ParamOverride};
use studentsucces::diagnostic::SourceFile;
use studentsucces::eval::{Answers, Evaluation};
use studentsucces::plan::{Plan, Profile, LATER};
use studentsucces::ruleset::{RuleSet, TipIndex};

fn small() -> RuleSet {
    RuleSet::from_path(data("small.rules"), &studentsucces::Options::default())
        .unwrap()
        .into_ruleset()
}

fn with_profile(profile: Profile) -> RuleSet {
    let options = studentsucces::Options::new().profile(profile);
    RuleSet::from_path(data("small.rules"), &options)
        .unwrap()
        .into_ruleset()
}

fn small_with(overrides: &[ParamOverride]) -> RuleSet {
    let options = studentsucces::Options::new().params(overrides.iter().cloned());
    RuleSet::from_path(data("small.rules"), &options)
        .unwrap()
        .into_ruleset()
}

/// Evaluates answers given as `(question id, level)`; every other question unanswered.
fn evaluate(ruleset: &RuleSet, answers: &[(&str, f64)]) -> Evaluation {
    let mut dense = Answers::unanswered(ruleset);
    for &(id, value) in answers {
        dense.set(ruleset.question_index(id).unwrap(), value);
    }
    ruleset.evaluate(&dense)
}

/// The answers of `tests/data/plan/programme.json`.
const PROGRAMME: &[(&str, f64)] = &[
    ("visie.visie", 1.0),
    ("toetsing.frequentie", 4.0),
    ("toetsing.toetsvorm", 2.0),
    ("toetsing.feedback", 0.0),
    ("stage.plaatsen", 2.0),
    ("stage.begeleiding", 1.0),
    ("welzijn.aanspreekpunt", 0.0),
    ("welzijn.rolverdeling", 3.0),
];

fn ids(ruleset: &RuleSet, tips: impl IntoIterator<Item = TipIndex>) -> Vec<String> {
    tips.into_iter()
        .map(|tip| ruleset.tip(tip).unwrap().id.clone())
        .collect()
}

fn tip(ruleset: &RuleSet, id: &str) -> TipIndex {
    ruleset.tip_index(id).unwrap()
}

/// `(id, cycle, phase, priority, pulled in)` per step, in plan order.
fn steps(ruleset: &RuleSet, plan: &Plan) -> Vec<(String, u8, u32, u8, bool)> {
    plan.steps()
        .iter()
        .map(|step| {
            let id = ruleset.tip(step.tip).unwrap().id.clone();
            (id, step.cycle, step.phase, step.priority, step.pulled_in)
        })
        .collect()
}

fn step(
    id: &str,
    cycle: u8,
    phase: u32,
    priority: u8,
    pulled_in: bool,
) -> (String, u8, u32, u8, bool) {
    (id.to_owned(), cycle, phase, priority, pulled_in)
}

#[test]
fn the_plan_orders_cycles_then_phase_rank_and_document_order() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    assert_eq!(
        steps(&ruleset, &plan),
        [
            // Cycle 1 (`focus = 2`): the two at 65, from two sections, in document order.
            step("toetsing.feedback", 1, 1, 65, false),
            step("welzijn.aanspreekpunt", 1, 1, 65, false),
            // Cycle 2: visie.visie ranks 50 because stage.begeleiding (50) builds on it
            // through stage.plaatsen, which ranks 50 too and may follow its prerequisite
            // within the cycle.
            step("visie.visie", 2, 1, 50, false),
            step("stage.plaatsen", 2, 2, 35, false),
            // Later.
            step("visie.vertaling", 3, 2, 35, true),
            step("stage.begeleiding", 3, 3, 50, false),
            step("toetsing.toetsvorm", 3, 3, 35, false),
        ]
    );
    assert_eq!(plan.phase_count(), 3);
    assert_eq!(
        ids(&ruleset, plan.cycle(2).iter().map(|s| s.tip)),
        ["visie.visie", "stage.plaatsen"]
    );
    assert!(plan.cycle(4).is_empty());
}

#[test]
fn a_cycle_takes_one_tip_per_section_and_prerequisites_first() {
    let ruleset = small();
    let answers = [("visie.vertaling", 0.0), ("stage.plaatsen", 2.0)];
    let plan = ruleset.plan(&evaluate(&ruleset, &answers));
    assert_eq!(
        steps(&ruleset, &plan),
        [
            // visie.vertaling (65) waits for visie.visie, which inherits its rank; the
            // cycle takes no second tip of `visie`, so stage.plaatsen fills it.
            step("visie.visie", 1, 1, 65, true),
            step("stage.plaatsen", 1, 2, 35, false),
            step("visie.vertaling", 2, 2, 65, false),
        ]
    );
}

#[test]
fn the_limits_per_section_and_per_lead_are_params() {
    let ruleset = small_with(&[
        "focus_per_section=2".parse().unwrap(),
        "focus_per_lead=2".parse().unwrap(),
    ]);
    let answers = [("visie.vertaling", 0.0), ("stage.plaatsen", 2.0)];
    let plan = ruleset.plan(&evaluate(&ruleset, &answers));
    assert_eq!(
        ids(&ruleset, plan.focus().iter().copied()),
        ["visie.visie", "visie.vertaling"],
        "without the limits of one, vertaling follows its prerequisite in cycle 1"
    );
    let per_section_only = small_with(&["focus_per_section=2".parse().unwrap()]);
    let plan = per_section_only.plan(&evaluate(&per_section_only, &answers));
    assert_eq!(
        ids(&per_section_only, plan.focus().iter().copied()),
        ["visie.visie", "stage.plaatsen"],
        "both visie tips are led by the directie"
    );
}

#[test]
fn a_missing_prerequisite_is_pulled_in_by_the_tips_that_need_it() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    let vertaling = tip(&ruleset, "visie.vertaling");
    assert!(plan.step(vertaling).unwrap().pulled_in);
    assert_eq!(
        ids(&ruleset, plan.pulled_in_by(&ruleset, vertaling)),
        ["toetsing.toetsvorm"]
    );
    let toetsvorm = tip(&ruleset, "toetsing.toetsvorm");
    assert_eq!(
        ids(&ruleset, plan.after(&ruleset, toetsvorm)),
        ["visie.vertaling"]
    );
    assert_eq!(
        plan.pulled_in_by(&ruleset, toetsvorm).count(),
        0,
        "recommended, not pulled in"
    );
}

#[test]
fn a_prerequisite_in_place_is_satisfied_and_not_listed() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    assert!(!plan.contains(tip(&ruleset, "toetsing.frequentie")));
    let feedback = plan.step(tip(&ruleset, "toetsing.feedback")).unwrap();
    assert_eq!(feedback.phase, 1);
    assert_eq!(plan.after(&ruleset, feedback.tip).count(), 0);
}

#[test]
fn pulling_in_is_transitive_and_carries_the_priority_of_the_tip_at_the_end() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, &[("toetsing.toetsvorm", 0.0)]));
    assert_eq!(
        steps(&ruleset, &plan),
        [
            step("visie.visie", 1, 1, 65, true),
            step("visie.vertaling", 2, 2, 65, true),
            step("toetsing.toetsvorm", 2, 3, 65, false),
        ]
    );
    let visie = tip(&ruleset, "visie.visie");
    assert_eq!(
        ids(&ruleset, plan.pulled_in_by(&ruleset, visie)),
        ["visie.vertaling"]
    );
}

#[test]
fn a_pulled_in_tip_gets_the_highest_priority_of_the_tips_that_need_it() {
    let ruleset = small();
    let answers = [("visie.vertaling", 0.0), ("stage.plaatsen", 2.0)];
    let plan = ruleset.plan(&evaluate(&ruleset, &answers));
    let visie = plan.step(tip(&ruleset, "visie.visie")).unwrap();
    assert!(visie.pulled_in);
    assert_eq!(visie.priority, 65, "vertaling 65 beats plaatsen 35");
    assert_eq!(
        ids(&ruleset, plan.pulled_in_by(&ruleset, visie.tip)),
        ["visie.vertaling", "stage.plaatsen"]
    );
}

#[test]
fn a_prerequisite_in_place_stops_the_chain() {
    let ruleset = small();
    let answers = [("toetsing.toetsvorm", 0.0), ("visie.vertaling", 3.0)];
    let plan = ruleset.plan(&evaluate(&ruleset, &answers));
    assert_eq!(
        steps(&ruleset, &plan),
        [step("toetsing.toetsvorm", 1, 1, 65, false)]
    );
}

#[test]
fn a_recommended_tip_keeps_the_rules_priority_when_others_need_it() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    let plaatsen = plan.step(tip(&ruleset, "stage.plaatsen")).unwrap();
    assert_eq!(plaatsen.priority, 35, "stage.begeleiding (50) needs it");
}

#[test]
fn focus_is_cycle_one() {
    let ruleset = small();
    let evaluation = evaluate(&ruleset, PROGRAMME);
    let plan = ruleset.plan(&evaluation);
    assert_eq!(
        ids(&ruleset, plan.focus().iter().copied()),
        ["toetsing.feedback", "welzijn.aanspreekpunt"]
    );
    let wide = small_with(&["focus=10".parse().unwrap()]);
    let plan = wide.plan(&evaluation);
    assert_eq!(
        ids(&wide, plan.focus().iter().copied()),
        [
            "toetsing.feedback",
            "welzijn.aanspreekpunt",
            "visie.visie",
            "stage.plaatsen"
        ],
        "one tip per section at most"
    );
    let none = small_with(&["focus=0".parse().unwrap()]);
    let plan = none.plan(&evaluation);
    assert!(plan.focus().is_empty());
    assert!(plan.steps().iter().all(|step| step.cycle == LATER));
}

#[test]
fn focus_defaults_to_three_without_the_param() {
    let text = std::fs::read_to_string(data("small.rules")).unwrap();
    let text = text.replace("param focus = 2", "// no focus param");
    let ruleset = compile(vec![SourceFile::new("small.rules", text)], &[])
        .unwrap()
        .ruleset;
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    assert_eq!(plan.focus().len(), studentsucces::plan::DEFAULT_FOCUS);
}

#[test]
fn lanes_list_the_tips_each_role_leads_apart_from_those_it_is_involved_in() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    let lanes: Vec<(String, Vec<String>, Vec<String>)> = plan
        .lanes(&ruleset)
        .into_iter()
        .map(|lane| {
            let role = ruleset.roles().get(lane.role).unwrap().id.clone();
            (role, ids(&ruleset, lane.led), ids(&ruleset, lane.involved))
        })
        .collect();
    let owned = |tips: &[&str]| tips.iter().map(|tip| (*tip).to_owned()).collect::<Vec<_>>();
    let lane = |role: &str, led: &[&str], involved: &[&str]| {
        (role.to_owned(), owned(led), owned(involved))
    };
    assert_eq!(
        lanes,
        [
            lane(
                "student",
                &[],
                &[
                    "toetsing.feedback",
                    "welzijn.aanspreekpunt",
                    "toetsing.toetsvorm"
                ]
            ),
            lane(
                "directie",
                &["visie.visie", "visie.vertaling"],
                &["stage.plaatsen", "stage.begeleiding"]
            ),
            lane(
                "docenten",
                &["toetsing.feedback"],
                &[
                    "welzijn.aanspreekpunt",
                    "visie.visie",
                    "stage.plaatsen",
                    "visie.vertaling",
                    "stage.begeleiding",
                    "toetsing.toetsvorm",
                ]
            ),
            lane(
                "praktijkbureau",
                &["stage.plaatsen", "stage.begeleiding"],
                &[]
            ),
            lane(
                "examencommissie",
                &["toetsing.toetsvorm"],
                &["toetsing.feedback"]
            ),
        ]
    );
}

#[test]
fn a_role_without_plan_tips_has_no_lane() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, &[("visie.visie", 0.0)]));
    let roles: Vec<&str> = plan
        .lanes(&ruleset)
        .iter()
        .map(|lane| ruleset.roles().get(lane.role).unwrap().id.as_str())
        .collect();
    assert_eq!(roles, ["directie", "docenten"]);
}

fn handoffs(ruleset: &RuleSet, plan: &Plan) -> Vec<(String, String)> {
    plan.handoffs(ruleset)
        .into_iter()
        .map(|handoff| {
            let from = ruleset.tip(handoff.from).unwrap().id.clone();
            (from, ruleset.tip(handoff.to).unwrap().id.clone())
        })
        .collect()
}

#[test]
fn handoffs_are_the_plan_edges_between_different_leads() {
    let ruleset = small();
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    // visie.visie -> visie.vertaling (directie) and stage.plaatsen -> stage.begeleiding
    // (praktijkbureau) stay with one lead.
    assert_eq!(
        handoffs(&ruleset, &plan),
        [
            ("visie.visie".to_owned(), "stage.plaatsen".to_owned()),
            (
                "visie.vertaling".to_owned(),
                "toetsing.toetsvorm".to_owned()
            ),
        ]
    );
}

#[test]
fn a_profile_merge_joins_lanes_and_moves_leads() {
    let profile = Profile::read(&data("profile.toml")).unwrap();
    let ruleset = with_profile(profile);
    assert_eq!(ruleset.roles().profile(), Some("Hogeschool Voorbeeld"));
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    // praktijkbureau merges into directie, so visie.visie -> stage.plaatsen stays with
    // one lead.
    assert_eq!(
        handoffs(&ruleset, &plan),
        [(
            "visie.vertaling".to_owned(),
            "toetsing.toetsvorm".to_owned()
        )]
    );
    let lanes: Vec<(String, String, usize, usize)> = plan
        .lanes(&ruleset)
        .into_iter()
        .map(|lane| {
            let role = ruleset.roles().get(lane.role).unwrap();
            let (led, involved) = (lane.led.len(), lane.involved.len());
            (role.id.clone(), role.name.clone(), led, involved)
        })
        .collect();
    assert_eq!(
        lanes,
        [
            ("student".to_owned(), "Student".to_owned(), 0, 3),
            ("directie".to_owned(), "Directie opleiding".to_owned(), 4, 0),
            ("docenten".to_owned(), "Docententeam".to_owned(), 1, 6),
            (
                "examencommissie".to_owned(),
                "Examencommissie".to_owned(),
                1,
                1
            ),
        ]
    );
    let plaatsen = tip(&ruleset, "stage.plaatsen");
    let roles = ruleset.roles();
    assert_eq!(
        roles.ids(roles.of_tip(plaatsen)),
        ["directie", "docenten"],
        "merged roles count once"
    );
}

#[test]
fn a_profile_removal_drops_the_role_from_tips_and_lanes() {
    let profile = Profile::parse(
        "remove.toml",
        "remove = [\"examencommissie\", \"student\"]\n",
    )
    .unwrap();
    let ruleset = with_profile(profile);
    let feedback = tip(&ruleset, "toetsing.feedback");
    let roles = ruleset.roles();
    assert_eq!(roles.ids(roles.of_tip(feedback)), ["docenten"]);
    assert_eq!(
        roles.profile(),
        Some("remove"),
        "the file name when the profile has no name"
    );
    let plan = ruleset.plan(&evaluate(&ruleset, PROGRAMME));
    let lane_roles: Vec<String> = plan
        .lanes(&ruleset)
        .iter()
        .map(|lane| roles.get(lane.role).unwrap().id.clone())
        .collect();
    assert_eq!(lane_roles, ["directie", "docenten", "praktijkbureau"]);
}

#[test]
fn plan_into_reuses_a_plan_and_gives_the_same_result_as_a_fresh_one() {
    let ruleset = small();
    let first = evaluate(&ruleset, PROGRAMME);
    let second = evaluate(&ruleset, &[("toetsing.toetsvorm", 0.0)]);
    let mut reused = ruleset.catalogue_plan();
    ruleset.plan_into(&first, &mut reused);
    assert_eq!(reused, ruleset.plan(&first));
    ruleset.plan_into(&second, &mut reused);
    assert_eq!(reused, ruleset.plan(&second));
}

#[test]
fn an_evaluation_that_recommends_nothing_gives_an_empty_plan() {
    let ruleset = small();
    let all_in_place: Vec<(&str, f64)> = ruleset
        .tips()
        .iter()
        .map(|tip| (tip.id.as_str(), 4.0))
        .collect();
    let plan = ruleset.plan(&evaluate(&ruleset, &all_in_place));
    assert!(plan.is_empty());
    assert_eq!(plan.phase_count(), 0);
    assert!(plan.focus().is_empty() && plan.lanes(&ruleset).is_empty());
}

#[test]
fn the_catalogue_plan_layers_the_whole_roadmap() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let plan = ruleset.catalogue_plan();
    assert_eq!(plan.len(), ruleset.tips().len());
    assert!(plan.focus().is_empty());
    let mut edges = 0;
    for tip in ruleset.tips() {
        let index = ruleset.tip_index(&tip.id).unwrap();
        for &prerequisite in &tip.after {
            edges += 1;
            let (before, after) = (plan.step(prerequisite).unwrap(), plan.step(index).unwrap());
            assert!(
                before.phase < after.phase,
                "{} before {}",
                ruleset.tips()[prerequisite.index()].id,
                tip.id
            );
        }
    }
    assert!(edges > 0, "the Roadmap has dependency edges");
    assert_eq!(plan.edges(&ruleset).count(), edges);
    assert!(plan.phase_count() >= 2);
}

#[test]
fn the_roadmap_plans_an_example_programme() {
    let ruleset = RuleSet::roadmap().unwrap().into_ruleset();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/programmes.json"),
    )
    .unwrap();
    let assessments: Vec<studentsucces::input::Assessment> = serde_json::from_str(&text).unwrap();
    for assessment in &assessments {
        let evaluation = ruleset.evaluate(&ruleset.answers(assessment).unwrap());
        let plan = ruleset.plan(&evaluation);
        assert!(plan.len() >= evaluation.recommended().count());
        for (prerequisite, tip) in plan.edges(&ruleset) {
            assert!(plan.step(prerequisite).unwrap().phase < plan.step(tip).unwrap().phase);
        }
        for (prerequisite, tip) in plan.edges(&ruleset) {
            assert!(plan.step(prerequisite).unwrap().cycle <= plan.step(tip).unwrap().cycle);
        }
        let focus = plan.focus();
        assert!(focus.len() <= 3 && focus.iter().all(|&tip| plan.step(tip).unwrap().cycle == 1));
    }
}
