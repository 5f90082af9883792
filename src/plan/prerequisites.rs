//! Pulled-in prerequisites: the prerequisites of plan tips that are not in place join
//! the plan, transitively, with the highest priority of the plan tips that need them.

use fixedbitset::FixedBitSet;

use super::tables::PlanTables;
use super::{Membership, TipState};

/// Walks the tips that have prerequisites dependents-first (the topological order
/// reversed), so that when a tip is reached every plan tip that needs it has been seen:
/// its membership and priority are final, and one pass pulls in whole chains of missing
/// prerequisites. A pulled-in tip starts in phase 1 until layering moves it.
pub(super) fn pull_in(tables: &PlanTables, in_place: &FixedBitSet, states: &mut [TipState]) {
    for &tip in tables.dependent_order.iter().rev() {
        let Some(&state) = states.get(tip as usize) else {
            continue;
        };
        if state.membership == Membership::Absent {
            continue;
        }
        for &prerequisite in tables.prerequisites.of(tip) {
            let Some(needed) = states.get_mut(prerequisite as usize) else {
                continue;
            };
            match needed.membership {
                Membership::Absent if in_place.contains(prerequisite as usize) => {}
                Membership::Absent => {
                    needed.membership = Membership::PulledIn;
                    needed.priority = state.priority;
                    needed.phase = 1;
                }
                Membership::PulledIn => needed.priority = needed.priority.max(state.priority),
                Membership::Recommended => {}
            }
        }
    }
}
