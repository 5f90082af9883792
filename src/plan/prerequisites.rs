//! Pulled-in prerequisites: the prerequisites of plan tips that are not in place join
//! the plan, transitively, with the highest priority of the plan tips that need them;
//! and ranks: a prerequisite is as urgent as the plan tips that build on it.

use super::facts::TipFacts;
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
    let facts = plan.scratch.facts.as_mut_slice();
    let dependent_order = &tables.dependent_order;
    for entry in dependent_order.entries().iter().rev() {
        let tip = entry.tip;
        if !bits::contains(members, tip.index()) {
            continue;
        }
        let prerequisites = dependent_order.prerequisites_of(entry);
        let tip_facts = facts.get(tip.index()).copied().unwrap_or_default();
        let (priority, rank) = (tip_facts.priority(), tip_facts.rank());
        for &prerequisite in prerequisites {
            let index = prerequisite.index();
            let Some(needed) = facts.get_mut(index) else {
                continue;
            };
            if !bits::contains(members, index) {
                if !satisfied(prerequisite) {
                    bits::insert(members, index);
                    *needed = TipFacts::pulled_in_by(priority, rank);
                }
            } else if needed.is_pulled_in() {
                *needed = needed.with_urgency_at_least(priority, rank);
            } else {
                *needed = needed.with_rank_at_least(rank);
            }
        }
    }
}
