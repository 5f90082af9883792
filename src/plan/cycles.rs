//! Cycles: which plan tips a programme takes on now ("Deze cyclus"), next ("Volgende
//! cyclus") and later. A documented, deterministic choice:
//!
//! 1. Every plan tip gets a rank: its own priority, or the rank of a plan tip that builds
//!    on it if that is higher, so a prerequisite is as urgent as what waits for it.
//! 2. Tips are taken in rank order (highest first, ties in document order, never by id).
//! 3. A cycle takes at most `focus` tips, at most `focus_per_section` from one principle or
//!    factor and at most `focus_per_lead` led by one role; a tip is taken only once every
//!    prerequisite in the plan has been taken, in this cycle or an earlier one.
//! 4. Cycle 1 and cycle 2 are filled so; every other tip is "later" (cycle 3).

use super::tables::PlanTables;
use super::{Membership, Plan, TipState};
use crate::ruleset::TipIndex;

/// The cycle of the tips after the first two: "later".
pub const LATER: u8 = 3;

/// Raises each prerequisite's rank to that of the plan tips that build on it. Walks the
/// tips with prerequisites dependents-first, so a rank is final before it is passed on.
pub(super) fn assign_ranks(tables: &PlanTables, states: &mut [TipState]) {
    for state in states.iter_mut() {
        state.rank = state.priority;
    }
    for &tip in tables.dependent_order.iter().rev() {
        let Some(&state) = states.get(tip as usize) else {
            continue;
        };
        if state.membership == Membership::Absent {
            continue;
        }
        for &prerequisite in tables.prerequisites.of(tip) {
            if let Some(needed) = states.get_mut(prerequisite as usize) {
                if needed.membership != Membership::Absent {
                    needed.rank = needed.rank.max(state.rank);
                }
            }
        }
    }
}

/// Fills cycles 1 and 2 and puts every other plan tip in [`LATER`]; cycle 1, in the order
/// taken, is the plan's focus.
pub(super) fn assign_cycles(tables: &PlanTables, plan: &mut Plan) {
    let Plan {
        states,
        focus,
        candidates,
        ..
    } = plan;
    candidates.clear();
    candidates.extend(
        (0..)
            .zip(states.iter())
            .filter(|(_, state)| state.membership != Membership::Absent)
            .map(|(tip, _)| tip),
    );
    candidates.sort_by_key(|&tip| {
        let rank = states.get(tip as usize).map_or(0, |state| state.rank);
        (std::cmp::Reverse(rank), tip)
    });
    for state in states.iter_mut() {
        if state.membership != Membership::Absent {
            state.cycle = LATER;
        }
    }
    focus.clear();
    for cycle in 1..LATER {
        let taken = fill_cycle(tables, states, candidates, cycle);
        if cycle == 1 {
            focus.extend(taken);
        }
    }
}

/// Takes up to `focus` tips into `cycle`, in rank order, within the per-section and
/// per-lead limits; passes again while a taken tip frees one whose prerequisite it was.
fn fill_cycle(
    tables: &PlanTables,
    states: &mut [TipState],
    candidates: &[TipIndex],
    cycle: u8,
) -> Vec<TipIndex> {
    let mut taken: Vec<TipIndex> = Vec::new();
    loop {
        let before = taken.len();
        for &tip in candidates {
            if taken.len() >= tables.focus {
                return taken;
            }
            if can_take(tables, states, &taken, tip) {
                if let Some(state) = states.get_mut(tip as usize) {
                    state.cycle = cycle;
                }
                taken.push(tip);
            }
        }
        if taken.len() == before {
            return taken;
        }
    }
}

fn can_take(tables: &PlanTables, states: &[TipState], taken: &[TipIndex], tip: TipIndex) -> bool {
    let Some(state) = states.get(tip as usize) else {
        return false;
    };
    if state.cycle != LATER || taken.contains(&tip) {
        return false;
    }
    let prerequisites_taken = tables.prerequisites.of(tip).iter().all(|&prerequisite| {
        states
            .get(prerequisite as usize)
            .is_none_or(|needed| needed.membership == Membership::Absent || needed.cycle < LATER)
    });
    let section = tables.section.get(tip as usize);
    let same_section = taken
        .iter()
        .filter(|&&other| tables.section.get(other as usize) == section)
        .count();
    let lead = tables.roles.lead_of(tip);
    let same_lead = match lead {
        Some(_) => taken
            .iter()
            .filter(|&&other| tables.roles.lead_of(other) == lead)
            .count(),
        None => 0,
    };
    prerequisites_taken && same_section < tables.per_section && same_lead < tables.per_lead
}
