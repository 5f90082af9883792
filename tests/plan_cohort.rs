//! Plans of the synthetic cohort, pinned: a fingerprint over every field of every plan
//! (steps, order, phases, cycles, focus, positions, prerequisites in the plan, pulled-in
//! prerequisites, edges, lanes, handoffs, and now and then the DOT and Mermaid
//! renderings) of 5,000 generated programmes on the embedded Roadmap with its own
//! params; of 2,000 of them with other `focus` params and after an institution profile;
//! and of 1,000 more with a stricter `in_place`. The value was taken from the planner
//! before it was made faster; any change to the planner must leave every plan exactly
//! as it was.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use studentsucces::compile::ParamOverride;
use studentsucces::eval::Evaluation;
use studentsucces::input::Cohort;
use studentsucces::plan::{render_dot, render_mermaid, GraphView, Plan, Profile, LATER};
use studentsucces::report::synthetic_assessment;
use studentsucces::ruleset::{RuleSet, TipIndex};

/// The fingerprint of the whole cohort's plans, computed by the planner before it was
/// made faster.
const EXPECTED: u64 = 0x53b4_b14a_6507_fe73;

/// The programmes: 3,000 of one seed and 2,000 of another.
const SEEDS: [(u64, u64); 2] = [(7, 3_000), (20_240_817, 2_000)];

/// The programmes planned with the other params and the profile: both seeds.
const VARIANTS: std::ops::Range<usize> = 2_000..4_000;

/// The programmes planned with a stricter `in_place`, which changes the evaluations.
const STRICT_SEEDS: [(u64, u64); 1] = [(99, 1_000)];

/// Every this many programmes, the plan is also rendered as DOT and Mermaid.
const RENDER_EVERY: usize = 250;

/// An institution profile that removes, merges and renames roles and changes leads.
const PROFILE: &str = r#"
name = "Hogeschool Vingerafdruk"
remove = ["alumni", "studiekeuzeadviseurs", "lectoraat"]

[merge]
praktijkbureau = "directie_opleiding"
toetscommissie = "examencommissie"
studentdecanen = "studentcoaches"

[rename]
docenten = "Docententeam"

[lead]
verwachtingen = "docenten"
"toetsing.taxonomieen" = "curriculumcommissie"
welzijn = "studentpsychologen"
"#;

/// FNV-1a, 64 bits.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn number(&mut self, value: u64) {
        self.bytes(&value.to_le_bytes());
    }

    fn optional(&mut self, value: Option<usize>) {
        match value {
            Some(value) => self.number(value as u64 + 1),
            None => self.number(0),
        }
    }

    fn list(&mut self, values: impl IntoIterator<Item = u32>) {
        let mut count = 0;
        for value in values {
            self.number(u64::from(value));
            count += 1;
        }
        self.number(u64::MAX - count);
    }
}

/// Feeds every field of a plan into the hash.
fn fingerprint_plan(hash: &mut Fnv, ruleset: &RuleSet, plan: &Plan) {
    hash.number(plan.len() as u64);
    hash.number(u64::from(plan.is_empty()));
    hash.number(u64::from(plan.phase_count()));
    for step in plan.steps() {
        hash.number(u64::from(step.tip.get()));
        hash.number(u64::from(step.phase));
        hash.number(u64::from(step.cycle));
        hash.number(u64::from(step.priority));
        hash.number(u64::from(step.pulled_in));
        hash.list(plan.after(ruleset, step.tip).map(TipIndex::get));
        hash.list(plan.pulled_in_by(ruleset, step.tip).map(TipIndex::get));
    }
    hash.list(plan.focus().iter().map(|tip| tip.get()));
    for cycle in [1, 2, LATER] {
        hash.list(plan.cycle(cycle).iter().map(|step| step.tip.get()));
    }
    for tip in ruleset
        .tips()
        .iter()
        .map(|tip| ruleset.tip_index(&tip.id).unwrap())
    {
        hash.optional(plan.position(tip));
        hash.number(u64::from(plan.contains(tip)));
        assert_eq!(
            plan.step(tip).map(|step| step.tip),
            plan.contains(tip).then_some(tip)
        );
    }
    for (from, to) in plan.edges(ruleset) {
        hash.list([from.get(), to.get()]);
    }
    for lane in plan.lanes(ruleset) {
        hash.number(u64::from(lane.role.get()));
        hash.list(lane.led.iter().map(|tip| tip.get()));
        hash.list(lane.involved.iter().map(|tip| tip.get()));
    }
    for handoff in plan.handoffs(ruleset) {
        hash.list([
            handoff.from.get(),
            handoff.to.get(),
            handoff.from_lead.get(),
            handoff.to_lead.get(),
        ]);
    }
}

/// A rule set: the embedded Roadmap with some params overridden.
fn roadmap_with(params: &[(&str, f64)]) -> RuleSet {
    let overrides: Vec<ParamOverride> = params
        .iter()
        .map(|&(name, value)| ParamOverride {
            name: name.to_owned(),
            value,
        })
        .collect();
    RuleSet::roadmap_with(&studentsucces::Options::new().params(overrides))
        .unwrap()
        .into_ruleset()
}

/// The rule sets the cohort is planned on, by name. Rules read none of the `focus`
/// params and a profile changes only roles, so the first four plan the same
/// evaluations.
fn same_evaluations() -> Vec<(&'static str, RuleSet)> {
    let profile = Profile::parse("fingerprint.toml", PROFILE).unwrap();
    let profiled = RuleSet::roadmap_with(&studentsucces::Options::new().profile(profile))
        .unwrap()
        .into_ruleset();
    let focus = |focus, per_section, per_lead| {
        roadmap_with(&[
            ("focus", focus),
            ("focus_per_section", per_section),
            ("focus_per_lead", per_lead),
        ])
    };
    vec![
        ("roadmap", RuleSet::roadmap().unwrap().into_ruleset()),
        ("wider focus", focus(6.0, 2.0, 2.0)),
        ("large focus", focus(40.0, 5.0, 9.0)),
        ("no focus", focus(0.0, 1.0, 1.0)),
        ("profile", profiled),
    ]
}

/// The evaluations of the cohort on a rule set, with the programmes' ids.
fn evaluations(ruleset: &RuleSet, seeds: &[(u64, u64)]) -> Vec<(String, Evaluation)> {
    seeds
        .iter()
        .flat_map(|&(seed, programmes)| Cohort::new(ruleset, programmes, seed))
        .map(|programme| {
            let assessment = synthetic_assessment(ruleset, programme);
            let answers = ruleset.answers(&assessment).unwrap();
            (assessment.programme, ruleset.evaluate(&answers))
        })
        .collect()
}

/// The fingerprint of every plan of the cohort on one rule set, planned into one reused
/// plan; every so often also a fresh plan (which must be equal) and its renderings.
fn fingerprint_ruleset(
    hash: &mut Fnv,
    name: &str,
    ruleset: &RuleSet,
    evaluations: &[(String, Evaluation)],
) {
    hash.bytes(name.as_bytes());
    let mut plan = Plan::default();
    for (index, (programme, evaluation)) in evaluations.iter().enumerate() {
        ruleset.plan_into(evaluation, &mut plan);
        fingerprint_plan(hash, ruleset, &plan);
        if index % RENDER_EVERY == 0 {
            assert_eq!(plan, ruleset.plan(evaluation), "{name}: {programme}");
            let view = GraphView::Programme {
                programme,
                plan: &plan,
            };
            hash.bytes(render_dot(ruleset, view).as_bytes());
            hash.bytes(render_mermaid(ruleset, view).as_bytes());
        }
    }
    fingerprint_plan(hash, ruleset, &ruleset.catalogue_plan());
    hash.bytes(render_dot(ruleset, GraphView::Catalogue).as_bytes());
}

#[test]
fn the_cohort_plans_are_exactly_those_of_the_reference_planner() {
    let mut hash = Fnv::new();
    let rulesets = same_evaluations();
    let shared = evaluations(&rulesets[0].1, &SEEDS);
    for (index, (name, ruleset)) in rulesets.iter().enumerate() {
        let evaluations = match index {
            0 => &shared[..],
            _ => &shared[VARIANTS],
        };
        fingerprint_ruleset(&mut hash, name, ruleset, evaluations);
    }
    let strict = roadmap_with(&[("in_place", 4.0), ("focus", 5.0)]);
    let own = evaluations(&strict, &STRICT_SEEDS);
    fingerprint_ruleset(&mut hash, "stricter in place", &strict, &own);
    assert_eq!(
        hash.0, EXPECTED,
        "the plans changed: fingerprint {:#018x}",
        hash.0
    );
}
