//! Graph layering: each plan tip's phase (one after its latest prerequisite in the plan),
//! and the plan order.

use super::tables::PlanTables;
use super::{Membership, Plan, PlanStep, TipState};
use crate::ruleset::TipIndex;

/// Walks the tips that have prerequisites, prerequisites-first, so every prerequisite's
/// phase is final when its dependents are reached. Every plan tip starts in phase 1 and
/// every other tip has phase 0, so only these tips can move and tips outside the plan
/// add nothing. Returns the number of phases.
pub(super) fn assign_phases(tables: &PlanTables, states: &mut [TipState]) -> u32 {
    let mut phase_count = u32::from(states.iter().any(|state| state.phase > 0));
    for &tip in &tables.dependent_order {
        let is_member = states
            .get(tip as usize)
            .is_some_and(|state| state.membership != Membership::Absent);
        if !is_member {
            continue;
        }
        let latest = tables
            .prerequisites
            .of(tip)
            .iter()
            .filter_map(|&prerequisite| states.get(prerequisite as usize))
            .map(|state| state.phase)
            .max()
            .unwrap_or(0);
        let phase = latest.saturating_add(1);
        phase_count = phase_count.max(phase);
        if let Some(state) = states.get_mut(tip as usize) {
            state.phase = phase;
        }
    }
    phase_count
}

/// Orders the plan tips by cycle, phase, rank (highest first) and document order, and
/// records each tip's position.
pub(super) fn order_steps(plan: &mut Plan) {
    let Plan { steps, states, .. } = plan;
    steps.clear();
    for (tip, state) in (0..).zip(states.iter()) {
        if state.membership != Membership::Absent {
            steps.push(step_of(tip, state));
        }
    }
    steps.sort_unstable_by_key(|step| {
        let rank = states.get(step.tip as usize).map_or(0, |state| state.rank);
        (step.cycle, step.phase, std::cmp::Reverse(rank), step.tip)
    });
    for (position, step) in (0..).zip(steps.iter()) {
        if let Some(state) = states.get_mut(step.tip as usize) {
            state.position = position;
        }
    }
}

fn step_of(tip: TipIndex, state: &TipState) -> PlanStep {
    PlanStep {
        tip,
        phase: state.phase,
        cycle: state.cycle,
        priority: state.priority,
        pulled_in: state.membership == Membership::PulledIn,
    }
}
