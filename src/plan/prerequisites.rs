//! Pulled-in prerequisites: the prerequisites of plan tips that are not in place join
//! the plan, transitively, with the highest priority of the plan tips that need them;
//! and ranks: a prerequisite is as urgent as the plan tips that build on it.

use super::{bits, Plan};
use crate::ruleset::PlanTables;
use crate::ruleset::TipIndex;

/// Walks the tips that have prerequisites dependents-first (the topological order
/// reversed), so that when a tip is reached every plan tip that needs it has been seen:
/// its membership, priority and rank are final, and one pass pulls in whole chains of
/// missing prerequisites. A prerequisite that is `satisfied` (in place, or not
/// applicable to the programme) is not pulled in. Each plan prerequisite's rank is
/// raised to that of the plan tips that build on it; a pulled-in tip's rank and
/// priority start at those of the first plan tip found to need it.
pub(super) fn pull_in(tables: &PlanTables, satisfied: impl Fn(TipIndex) -> bool, plan: &mut Plan) {
    let members = plan.members.as_mut_slice();
    let pulled = plan.scratch.pulled.as_mut_slice();
    let priorities = plan.scratch.priority.as_mut_slice();
    let ranks = plan.scratch.rank.as_mut_slice();
    for &tip in tables.dependent_order.iter().rev() {
        if !bits::contains(members, tip.index()) {
            continue;
        }
        let priority = priorities.get(tip.index()).copied().unwrap_or(0);
        let rank = ranks.get(tip.index()).copied().unwrap_or(0);
        for &prerequisite in tables.prerequisites.of(tip) {
            let index = prerequisite.index();
            let (Some(needed_priority), Some(needed_rank)) =
                (priorities.get_mut(index), ranks.get_mut(index))
            else {
                continue;
            };
            if bits::contains(pulled, index) {
                *needed_priority = (*needed_priority).max(priority);
                *needed_rank = (*needed_rank).max(rank);
            } else if bits::contains(members, index) {
                *needed_rank = (*needed_rank).max(rank);
            } else if !satisfied(prerequisite) {
                bits::insert(members, index);
                bits::insert(pulled, index);
                *needed_priority = priority;
                *needed_rank = rank;
            }
        }
    }
}
