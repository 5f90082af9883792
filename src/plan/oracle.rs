//! The planner written plainly, for tests only: the oracle the property tests compare
//! the planner with, step by step, focus and positions. It is the planner before bitsets
//! and counting sorts (per-tip states, stable comparison sorts, a cycle's section and
//! lead limits counted by scanning the tips it took), condensed into one module.

use super::{PlanStep, LATER};
use crate::eval::{Evaluation, TipStatus};
use crate::ruleset::{PlanTables, RuleSet, TipIndex};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Membership {
    #[default]
    Absent,
    Recommended,
    PulledIn,
}

#[derive(Debug, Clone, Copy, Default)]
struct TipState {
    membership: Membership,
    phase: u32,
    priority: u8,
    rank: u8,
    cycle: u8,
}

/// A plan by the old planner: its steps in plan order, its focus in the order taken, and
/// each tip's position in the steps (`None` outside the plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OraclePlan {
    pub steps: Vec<PlanStep>,
    pub focus: Vec<TipIndex>,
    pub positions: Vec<Option<usize>>,
}

/// The old `RuleSet::plan`.
pub(crate) fn plan(ruleset: &RuleSet, evaluation: &Evaluation) -> OraclePlan {
    let tables = &ruleset.planning;
    let mut states = vec![TipState::default(); tables.tip_count];
    for tip in evaluation.recommended().ones() {
        let priority = evaluation.tip_priority().get(tip).copied().unwrap_or(0);
        if let Some(state) = states.get_mut(tip) {
            *state = TipState {
                membership: Membership::Recommended,
                phase: 1,
                priority,
                rank: priority,
                cycle: LATER,
            };
        }
    }
    let satisfied = |tip: TipIndex| {
        evaluation.in_place().contains(tip.index())
            || matches!(
                evaluation.status().get(tip.index()),
                Some(TipStatus::NotApplicable(_))
            )
    };
    fill(tables, &mut states, satisfied, true)
}

/// The old `RuleSet::catalogue_plan`.
pub(crate) fn catalogue_plan(ruleset: &RuleSet) -> OraclePlan {
    let tables = &ruleset.planning;
    let state = TipState {
        membership: Membership::Recommended,
        phase: 1,
        cycle: LATER,
        ..TipState::default()
    };
    let mut states = vec![state; tables.tip_count];
    fill(tables, &mut states, |_| false, false)
}

fn fill(
    tables: &PlanTables,
    states: &mut [TipState],
    satisfied: impl Fn(TipIndex) -> bool,
    with_cycles: bool,
) -> OraclePlan {
    pull_in(tables, satisfied, states);
    assign_phases(tables, states);
    let by_rank = by_rank(states);
    let mut focus = Vec::new();
    if with_cycles {
        focus = fill_cycle(tables, states, &by_rank, 1);
        fill_cycle(tables, states, &by_rank, 2);
    }
    let mut order = by_rank;
    order.sort_by_key(|tip| {
        let state = states.get(tip.index()).copied().unwrap_or_default();
        (state.cycle, state.phase)
    });
    let mut positions = vec![None; tables.tip_count];
    let steps = order
        .iter()
        .enumerate()
        .map(|(position, &tip)| {
            if let Some(slot) = positions.get_mut(tip.index()) {
                *slot = Some(position);
            }
            let state = states.get(tip.index()).copied().unwrap_or_default();
            PlanStep {
                tip,
                phase: state.phase,
                cycle: state.cycle,
                priority: state.priority,
                pulled_in: state.membership == Membership::PulledIn,
            }
        })
        .collect();
    OraclePlan {
        steps,
        focus,
        positions,
    }
}

fn pull_in(tables: &PlanTables, satisfied: impl Fn(TipIndex) -> bool, states: &mut [TipState]) {
    for tip in tables.dependent_order.tips().rev() {
        let Some(&state) = states.get(tip.index()) else {
            continue;
        };
        if state.membership == Membership::Absent {
            continue;
        }
        for &prerequisite in tables.prerequisites.of(tip) {
            let Some(needed) = states.get_mut(prerequisite.index()) else {
                continue;
            };
            match needed.membership {
                Membership::Absent if satisfied(prerequisite) => continue,
                Membership::Absent => {
                    needed.membership = Membership::PulledIn;
                    needed.priority = state.priority;
                    needed.phase = 1;
                    needed.cycle = LATER;
                }
                Membership::PulledIn => needed.priority = needed.priority.max(state.priority),
                Membership::Recommended => {}
            }
            needed.rank = needed.rank.max(state.rank);
        }
    }
}

fn assign_phases(tables: &PlanTables, states: &mut [TipState]) {
    for tip in tables.dependent_order.tips() {
        let is_member = states
            .get(tip.index())
            .is_some_and(|state| state.membership != Membership::Absent);
        if !is_member {
            continue;
        }
        let latest = tables
            .prerequisites
            .of(tip)
            .iter()
            .filter_map(|&prerequisite| states.get(prerequisite.index()))
            .map(|state| state.phase)
            .max()
            .unwrap_or(0);
        if let Some(state) = states.get_mut(tip.index()) {
            state.phase = latest.saturating_add(1);
        }
    }
}

/// The plan tips, highest rank first, ties in document order (a stable sort).
fn by_rank(states: &[TipState]) -> Vec<TipIndex> {
    let mut tips: Vec<TipIndex> = TipIndex::enumerate(states)
        .filter(|(_, state)| state.membership != Membership::Absent)
        .map(|(tip, _)| tip)
        .collect();
    tips.sort_by_key(|tip| {
        std::cmp::Reverse(states.get(tip.index()).map_or(0, |state| state.rank))
    });
    tips
}

/// Fills one cycle and returns its tips in the order taken.
fn fill_cycle(
    tables: &PlanTables,
    states: &mut [TipState],
    by_rank: &[TipIndex],
    cycle: u8,
) -> Vec<TipIndex> {
    let mut taken: Vec<TipIndex> = Vec::new();
    'passes: loop {
        let before = taken.len();
        for &tip in by_rank {
            if taken.len() >= tables.focus {
                break 'passes;
            }
            if can_take(tables, states, &taken, tip) {
                if let Some(state) = states.get_mut(tip.index()) {
                    state.cycle = cycle;
                }
                taken.push(tip);
            }
        }
        if taken.len() == before {
            break;
        }
    }
    taken
}

fn can_take(tables: &PlanTables, states: &[TipState], taken: &[TipIndex], tip: TipIndex) -> bool {
    let not_taken = states
        .get(tip.index())
        .is_some_and(|state| state.cycle == LATER);
    let section = tables.section.get(tip.index());
    let same_section = taken
        .iter()
        .filter(|&&other| tables.section.get(other.index()) == section)
        .count();
    let lead = tables.roles.lead_of(tip);
    let same_lead = taken
        .iter()
        .filter(|&&other| lead.is_some() && tables.roles.lead_of(other) == lead)
        .count();
    not_taken
        && same_section < tables.per_section
        && same_lead < tables.per_lead
        && tables.prerequisites.of(tip).iter().all(|&prerequisite| {
            states.get(prerequisite.index()).is_none_or(|needed| {
                needed.membership == Membership::Absent || needed.cycle < LATER
            })
        })
}
