//! Graph layering: each plan tip's phase, one after its latest prerequisite in the plan.

use super::{bits, Plan};
use crate::ruleset::PlanTables;

/// Walks the tips that have prerequisites, prerequisites-first, so every prerequisite's
/// phase is final when its dependents are reached. Every tip starts in phase 1, and only
/// these tips can move; prerequisites outside the plan add nothing. Counts the plan tips
/// of each phase into the scratch's `phase_sizes` and returns the highest phase of a
/// plan tip, at least 1.
pub(super) fn assign_phases(tables: &PlanTables, plan: &mut Plan) -> u32 {
    let members = plan.members.as_slice();
    let facts = plan.scratch.facts.as_mut_slice();
    let sizes = &mut plan.scratch.phase_sizes;
    sizes.clear();
    sizes.resize(tables.dependent_order.len() + 1, 0);
    let (mut phase_count, mut moved) = (1, 0);
    let dependent_order = &tables.dependent_order;
    for entry in dependent_order.entries() {
        let tip = entry.tip;
        if !bits::contains(members, tip.index()) {
            continue;
        }
        let prerequisites = dependent_order.prerequisites_of(entry);
        let mut latest = 0;
        for prerequisite in prerequisites {
            if bits::contains(members, prerequisite.index()) {
                let phase = facts
                    .get(prerequisite.index())
                    .map_or(0, |facts| facts.phase());
                latest = latest.max(phase);
            }
        }
        let phase = latest.saturating_add(1);
        phase_count = phase_count.max(phase);
        if let Some(slot) = facts.get_mut(tip.index()) {
            *slot = slot.in_phase(phase);
        }
        if let Some(size) = sizes.get_mut(phase as usize - 1) {
            *size += 1;
            moved += 1;
        }
    }
    if let Some(first) = sizes.first_mut() {
        *first += bits::count(members) as u32 - moved;
    }
    sizes.truncate(phase_count as usize);
    phase_count
}
