//! Stage 4, recommendations to a plan: orders one programme's recommended tips into
//! cycles and phases a programme can carry out, across stakeholders. The planner never
//! sees answers, only the [`Evaluation`] (recommended tips, their priorities, the tips in
//! place and those that do not apply) and the tables the compiler precomputed from the
//! dependency graph; planning one programme builds no graph.
//!
//! The rules of a plan:
//!
//! - **Pulled-in prerequisites.** A prerequisite (`after`) of a plan tip that is neither
//!   in place (its maturity answer at or above the `in_place` param) nor ruled out by
//!   the programme's context joins the plan, transitively, marked as pulled in by the
//!   plan tips that need it directly. A satisfied prerequisite is not listed, and
//!   neither is anything behind it.
//! - **Priority.** A recommended tip keeps the priority the rules gave it. A pulled-in
//!   tip gets the highest priority of the plan tips that need it directly, so a chain of
//!   missing prerequisites carries the urgency of the tip at its end.
//! - **Phases.** Phase 1 holds the plan tips with no prerequisite in the plan; every
//!   other tip is one phase after its latest prerequisite in the plan (the longest-path
//!   layering of the dependency graph restricted to the plan).
//! - **Cycles.** "Deze cyclus" (1), "Volgende cyclus" (2) and "Later" ([`LATER`]), filled
//!   by rank with limits per section and per lead, prerequisites first and ties in
//!   document order: see the `cycles` module. Cycle 1 is the plan's focus.
//! - **Order.** By cycle, then phase, rank (highest first) and document order. The plan
//!   is a function of its inputs only; tip ids play no part in it.
//! - **Lanes and handoffs** are reported in the rule set's [`Roles`], which an
//!   institution [`Profile`] can rename, merge or remove, and whose leads it can change:
//!   see [`Plan::lanes`] and [`Plan::handoffs`].

mod cycles;
mod export;
mod lanes;
mod layering;
mod order;
mod prerequisites;
mod profile;

pub use crate::ruleset::{horizon_rank, RoleIndex, Roles, DEFAULT_FOCUS, DEFAULT_PER_CYCLE_LIMIT};
pub use cycles::LATER;
pub use export::{render_dot, render_mermaid, GraphView};
pub use lanes::{lanes_of, Handoff, Lane};
pub use profile::{Profile, ProfileError, ProfileProblem};

use crate::eval::{Evaluation, TipStatus};
use crate::ruleset::{PlanTables, RuleSet, TipIndex};

/// Why a tip is in a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Membership {
    /// Not in the plan.
    #[default]
    Absent,
    /// A rule recommended it.
    Recommended,
    /// A plan tip needs it and it is not in place.
    PulledIn,
}

/// Where one tip stands in a plan; indexed by tip.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TipState {
    membership: Membership,
    /// From 1; 0 for a tip not in the plan.
    phase: u32,
    /// The rules' priority, or the inherited one of a pulled-in tip.
    priority: u8,
    /// The priority, or the rank of a plan tip that builds on it if higher: the order in
    /// which cycles take tips.
    rank: u8,
    /// 1 this cycle, 2 next cycle, [`LATER`] after that; 0 outside the plan.
    cycle: u8,
    /// Index into [`Plan::steps`].
    position: u32,
}

/// One tip of a plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct PlanStep {
    /// The tip.
    pub tip: TipIndex,
    /// Its phase, from 1.
    pub phase: u32,
    /// 1 this cycle, 2 next cycle, [`LATER`] after that.
    pub cycle: u8,
    /// 0–100: the rules' priority of a recommended tip; for a pulled-in tip, the highest
    /// of the plan tips that need it.
    pub priority: u8,
    /// True when no rule recommended it: a plan tip needs it and it is not in place.
    pub pulled_in: bool,
}

/// One programme's plan, by index: compact and cheap to compute, for the advice and for
/// batch runs. Reuse one `Plan` with [`RuleSet::plan_into`] to plan many programmes
/// without allocating. Two plans are equal when their steps and focus are.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    steps: Vec<PlanStep>,
    focus: Vec<TipIndex>,
    states: Vec<TipState>,
    /// Scratch: the plan tips by rank, highest first, ties in document order: the order
    /// in which cycles take them.
    by_rank: Vec<TipIndex>,
    scratch: Scratch,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Plan) -> bool {
        self.steps == other.steps && self.focus == other.focus
    }
}

impl Eq for Plan {}

/// Buffers kept across the programmes a `Plan` is reused for.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// The counts of the counting sorts; all zero between sorts.
    buckets: Vec<u32>,
    /// Per section, the tips the cycle being filled has taken; all zero between cycles.
    per_section: Vec<u32>,
    /// Per role, the tips led by it that the cycle being filled has taken.
    per_lead: Vec<u32>,
    /// The tips of cycle 2, in the order taken.
    taken: Vec<TipIndex>,
}

impl RuleSet {
    /// Plans the tips an evaluation recommends.
    pub fn plan(&self, evaluation: &Evaluation) -> Plan {
        let mut plan = Plan::default();
        self.plan_into(evaluation, &mut plan);
        plan
    }

    /// Plans the tips an evaluation recommends into `plan`, reusing its buffers; the
    /// result is the same as [`RuleSet::plan`]'s whatever `plan` held before.
    pub fn plan_into(&self, evaluation: &Evaluation, plan: &mut Plan) {
        plan.reset(&self.planning);
        plan.select(evaluation);
        let satisfied = |tip: TipIndex| {
            evaluation.in_place.contains(tip.index())
                || matches!(
                    evaluation.status.get(tip.index()),
                    Some(TipStatus::NotApplicable(_))
                )
        };
        self.fill(plan, satisfied, true);
    }

    /// The whole catalogue as one plan: every tip, nothing in place, every priority 0, no
    /// focus and every tip [`LATER`]. Its phases are the layering of the whole dependency
    /// graph.
    pub fn catalogue_plan(&self) -> Plan {
        let mut plan = Plan::default();
        plan.reset(&self.planning);
        for state in &mut plan.states {
            state.membership = Membership::Recommended;
            state.phase = 1;
            state.cycle = LATER;
        }
        self.fill(&mut plan, |_| false, false);
        plan
    }

    /// The roles plans are reported in: the stakeholders, or an institution profile's.
    pub fn roles(&self) -> &Roles {
        &self.planning.roles
    }

    fn fill(&self, plan: &mut Plan, satisfied: impl Fn(TipIndex) -> bool, with_cycles: bool) {
        let tables = &self.planning;
        prerequisites::pull_in(tables, satisfied, &mut plan.states);
        let phase_count = layering::assign_phases(tables, &mut plan.states);
        order::sort_by_rank(&plan.states, &mut plan.scratch.buckets, &mut plan.by_rank);
        if with_cycles {
            cycles::assign_cycles(tables, plan);
        }
        order::order_steps(plan, phase_count);
    }
}

impl Plan {
    /// Clears the plan for a rule set, keeping the buffers.
    fn reset(&mut self, tables: &PlanTables) {
        self.steps.clear();
        self.focus.clear();
        self.by_rank.clear();
        self.states.clear();
        self.states.resize(tables.tip_count, TipState::default());
    }

    /// Marks the recommended tips with the rules' priorities, which are also their
    /// first ranks, in phase 1 and [`LATER`] until cycles take them.
    fn select(&mut self, evaluation: &Evaluation) {
        for tip in evaluation.recommended.ones() {
            let priority = evaluation.tip_priority.get(tip).copied().unwrap_or(0);
            if let Some(state) = self.states.get_mut(tip) {
                state.membership = Membership::Recommended;
                state.priority = priority;
                state.rank = priority;
                state.phase = 1;
                state.cycle = LATER;
            }
        }
    }

    /// The plan's tips in plan order: by cycle, then phase, rank and document order.
    pub fn steps(&self) -> &[PlanStep] {
        &self.steps
    }

    /// How many tips the plan holds.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the plan holds no tip.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The number of phases; 0 for an empty plan.
    pub fn phase_count(&self) -> u32 {
        self.steps.iter().map(|step| step.phase).max().unwrap_or(0)
    }

    /// The steps of one cycle (1, 2 or [`LATER`]), in plan order.
    pub fn cycle(&self, cycle: u8) -> &[PlanStep] {
        let start = self.steps.partition_point(|step| step.cycle < cycle);
        let end = self.steps.partition_point(|step| step.cycle <= cycle);
        self.steps.get(start..end).unwrap_or_default()
    }

    /// Cycle 1 ("Deze cyclus"), in the order the cycle took its tips: highest rank first.
    pub fn focus(&self) -> &[TipIndex] {
        &self.focus
    }

    /// The step of a tip, if the tip is in the plan.
    pub fn step(&self, tip: TipIndex) -> Option<&PlanStep> {
        self.steps.get(self.position(tip)?)
    }

    /// A tip's index in [`Plan::steps`], if the tip is in the plan.
    pub fn position(&self, tip: TipIndex) -> Option<usize> {
        let state = self.states.get(tip.index())?;
        (state.membership != Membership::Absent).then_some(state.position as usize)
    }

    /// Whether a tip is in the plan.
    pub fn contains(&self, tip: TipIndex) -> bool {
        self.step(tip).is_some()
    }

    /// A tip's prerequisites that are in the plan, in the order its `after` lists them.
    pub fn after<'a>(
        &'a self,
        ruleset: &'a RuleSet,
        tip: TipIndex,
    ) -> impl Iterator<Item = TipIndex> + 'a {
        let prerequisites = match self.contains(tip) {
            true => ruleset.planning.prerequisites.of(tip),
            false => &[],
        };
        prerequisites
            .iter()
            .copied()
            .filter(|&prerequisite| self.contains(prerequisite))
    }

    /// For a pulled-in tip, the plan tips that need it directly, in catalogue order;
    /// nothing for any other tip.
    pub fn pulled_in_by<'a>(
        &'a self,
        ruleset: &'a RuleSet,
        tip: TipIndex,
    ) -> impl Iterator<Item = TipIndex> + 'a {
        let dependents = match self.step(tip) {
            Some(step) if step.pulled_in => ruleset.planning.dependents.of(tip),
            _ => &[],
        };
        dependents
            .iter()
            .copied()
            .filter(|&dependent| self.contains(dependent))
    }

    /// Every dependency edge in the plan as `(prerequisite, tip)`, in plan order of the
    /// tip, then in the order of its `after`.
    pub fn edges<'a>(
        &'a self,
        ruleset: &'a RuleSet,
    ) -> impl Iterator<Item = (TipIndex, TipIndex)> + 'a {
        self.steps.iter().flat_map(move |step| {
            self.after(ruleset, step.tip)
                .map(move |prerequisite| (prerequisite, step.tip))
        })
    }
}
