//! Graph layering: each plan tip's phase, one after its latest prerequisite in the plan.

use super::{Membership, TipState};
use crate::ruleset::PlanTables;

/// Walks the tips that have prerequisites, prerequisites-first, so every prerequisite's
/// phase is final when its dependents are reached. Every plan tip starts in phase 1 and
/// every other tip has phase 0, so only these tips can move and tips outside the plan
/// add nothing. Returns the highest phase of a plan tip, at least 1.
pub(super) fn assign_phases(tables: &PlanTables, states: &mut [TipState]) -> u32 {
    let mut phase_count = 1;
    for &tip in &tables.dependent_order {
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
        let phase = latest.saturating_add(1);
        phase_count = phase_count.max(phase);
        if let Some(state) = states.get_mut(tip.index()) {
            state.phase = phase;
        }
    }
    phase_count
}
