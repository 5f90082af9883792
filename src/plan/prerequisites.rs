//! Pulled-in prerequisites: the prerequisites of plan tips that are not in place join
//! the plan, transitively, with the highest priority of the plan tips that need them;
//! and ranks: a prerequisite is as urgent as the plan tips that build on it.

use super::{Membership, TipState, LATER};
use crate::ruleset::PlanTables;
use crate::ruleset::TipIndex;

/// Walks the tips that have prerequisites dependents-first (the topological order
/// reversed), so that when a tip is reached every plan tip that needs it has been seen:
/// its membership, priority and rank are final, and one pass pulls in whole chains of
/// missing prerequisites. A pulled-in tip starts in phase 1 until layering moves it, and
/// in [`LATER`] until a cycle takes it. A
/// prerequisite that is `satisfied` (in place, or not applicable to the programme) is
/// not pulled in. Each plan prerequisite's rank is raised to that of the plan tips that
/// build on it; a plan tip's rank starts at its priority (a pulled-in tip's at 0, since
/// its first dependent raises it to at least its priority).
pub(super) fn pull_in(
    tables: &PlanTables,
    satisfied: impl Fn(TipIndex) -> bool,
    states: &mut [TipState],
) {
    for &tip in tables.dependent_order.iter().rev() {
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
