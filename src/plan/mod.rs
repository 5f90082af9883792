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

mod bits;
mod cycles;
mod export;
mod facts;
mod lanes;
mod layering;
#[cfg(test)]
mod oracle;
mod order;
mod prerequisites;
mod profile;
#[cfg(test)]
mod tests;

pub use crate::ruleset::{horizon_rank, RoleIndex, Roles, DEFAULT_FOCUS, DEFAULT_PER_CYCLE_LIMIT};
pub use cycles::LATER;
pub use export::{render_dot, render_mermaid, GraphView};
pub use lanes::{lanes_of, Handoff, Lane};
pub use profile::{Profile, ProfileError, ProfileProblem};

use crate::eval::{Evaluation, TipStatus};
use crate::ruleset::{PlanTables, RuleSet, TipIndex};
use bits::Word;
use facts::{RankedTip, TipFacts};

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
    /// The plan tips (recommended or pulled in), a bit per tip.
    members: Vec<Word>,
    /// Per tip, its index into `steps`; read only for plan tips.
    positions: Vec<u32>,
    scratch: Scratch,
}

impl PartialEq for Plan {
    fn eq(&self, other: &Plan) -> bool {
        self.steps == other.steps && self.focus == other.focus
    }
}

impl Eq for Plan {}

/// Where the plan tips stand while a plan is made, and buffers kept across the
/// programmes a `Plan` is reused for. Per-tip values are read only for plan tips, so
/// they need no clearing between programmes.
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// The plan tips cycle 1 or 2 has taken, a bit per tip.
    taken: Vec<Word>,
    /// Per tip: its rank, priority, phase and whether it was pulled in; read only for
    /// plan tips.
    facts: Vec<TipFacts>,
    /// Per phase from 1, how many plan tips it holds; then the start of its later tips
    /// in the plan order.
    phase_sizes: Vec<u32>,
    /// The plan tips by rank, highest first, ties in document order, with their facts:
    /// the order in which cycles take them.
    by_rank: Vec<RankedTip>,
    /// Per rank (highest first), the counts of the counting sort; all zero between
    /// sorts.
    rank_counts: RankCounts,
    /// Per section and then per role, the tips the cycle being filled has taken from it
    /// or led by it; all zero between cycles.
    limit_counts: Vec<u32>,
    /// The tips of cycle 2, in the order taken.
    second_cycle: Vec<TipIndex>,
    /// A cycle's tips as plan order keys, while its steps are written.
    cycle_keys: Vec<u64>,
}

/// The counts of a counting sort by rank, one per `u8` rank.
#[derive(Debug, Clone)]
struct RankCounts([u32; order::RANKS]);

impl Default for RankCounts {
    fn default() -> RankCounts {
        RankCounts([0; order::RANKS])
    }
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
        plan.reset(&self.planning, evaluation.recommended().as_slice());
        plan.select(evaluation.tip_priority());
        let satisfied = |tip: TipIndex| {
            evaluation.in_place().contains(tip.index())
                || matches!(
                    evaluation.status().get(tip.index()),
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
        let everything = vec![Word::MAX; bits::words_for(self.planning.tip_count)];
        plan.reset(&self.planning, &everything);
        plan.select(&[]);
        self.fill(&mut plan, |_| false, false);
        plan
    }

    /// The roles plans are reported in: the stakeholders, or an institution profile's.
    pub fn roles(&self) -> &Roles {
        &self.planning.roles
    }

    fn fill(&self, plan: &mut Plan, satisfied: impl Fn(TipIndex) -> bool, with_cycles: bool) {
        let tables = &self.planning;
        prerequisites::pull_in(tables, satisfied, plan);
        let phase_count = layering::assign_phases(tables, plan);
        order::sort_by_rank(plan);
        if with_cycles {
            cycles::assign_cycles(tables, plan);
        }
        order::order_steps(plan, phase_count);
    }
}

impl Plan {
    /// Clears the plan for a rule set, keeping the buffers: its tips are the first
    /// `tip_count` bits of `recommended`, nothing taken.
    fn reset(&mut self, tables: &PlanTables, recommended: &[Word]) {
        let tip_count = tables.tip_count;
        self.steps.clear();
        self.focus.clear();
        bits::copy_prefix(&mut self.members, recommended, tip_count);
        self.positions.resize(tip_count, 0);
        bits::clear(&mut self.scratch.taken, tip_count);
    }

    /// Gives the recommended tips the rules' priorities (0 where `priorities` ends), which
    /// are also their first ranks, in phase 1, nothing pulled in.
    fn select(&mut self, priorities: &[u8]) {
        let tip_count = self.positions.len();
        let facts = &mut self.scratch.facts;
        facts.clear();
        facts.extend(
            priorities
                .iter()
                .take(tip_count)
                .map(|&priority| TipFacts::recommended(priority)),
        );
        facts.resize(tip_count, TipFacts::recommended(0));
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
        let position = self.positions.get(tip.index())?;
        bits::contains(&self.members, tip.index()).then_some(*position as usize)
    }

    /// Whether a tip is in the plan.
    pub fn contains(&self, tip: TipIndex) -> bool {
        bits::contains(&self.members, tip.index())
    }

    /// A tip's prerequisites that are in the plan, in the order its `after` lists them.
    pub fn after<'a>(
        &'a self,
        ruleset: &'a RuleSet,
        tip: TipIndex,
    ) -> impl Iterator<Item = TipIndex> + 'a {
        // Most tips list no prerequisite: the table says so before the plan is asked.
        let prerequisites = match ruleset.planning.has_prerequisites(tip) && self.contains(tip) {
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
        // Most tips are no tip's prerequisite: the table says so before the plan is asked.
        let pulled_in = ruleset.planning.has_dependents(tip)
            && self.step(tip).is_some_and(|step| step.pulled_in);
        let dependents = match pulled_in {
            true => ruleset.planning.dependents.of(tip),
            false => &[],
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
