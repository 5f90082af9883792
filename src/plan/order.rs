//! The orders of a plan, by counting sorts over small key ranges instead of comparison
//! sorts: the plan tips by rank (the order in which cycles take them), and the plan
//! order (cycle, phase, rank, document order).

use super::{Membership, Plan, PlanStep, TipState};
use crate::ruleset::TipIndex;

/// One bucket per rank, highest first.
const RANK_BUCKETS: usize = 256;

/// Puts the plan tips into `by_rank`: highest rank first, ties in document order. A
/// counting sort over the ranks: `buckets` holds zeros before and after.
pub(super) fn sort_by_rank(
    states: &[TipState],
    buckets: &mut Vec<u32>,
    by_rank: &mut Vec<TipIndex>,
) {
    if buckets.len() < RANK_BUCKETS {
        buckets.resize(RANK_BUCKETS, 0);
    }
    let (mut lowest, mut highest, mut members) = (RANK_BUCKETS, 0, 0);
    for state in states.iter().filter(|state| is_member(state)) {
        let key = rank_key(state);
        if let Some(count) = buckets.get_mut(key) {
            *count += 1;
        }
        lowest = lowest.min(key);
        highest = highest.max(key);
        members += 1;
    }
    by_rank.clear();
    by_rank.resize(members, TipIndex::default());
    starts(buckets.get_mut(lowest..=highest).unwrap_or_default());
    for (tip, state) in TipIndex::enumerate(states).filter(|(_, state)| is_member(state)) {
        if let Some(start) = buckets.get_mut(rank_key(state)) {
            if let Some(slot) = by_rank.get_mut(*start as usize) {
                *slot = tip;
            }
            *start += 1;
        }
    }
    clear(buckets.get_mut(lowest..=highest).unwrap_or_default());
}

/// Orders the plan tips by cycle, phase, rank (highest first) and document order into
/// the plan's steps, and records each tip's position: a stable counting sort of the
/// tips by rank on cycle and phase. `phase_count` is the highest phase of a plan tip.
pub(super) fn order_steps(plan: &mut Plan, phase_count: u32) {
    let Plan {
        steps,
        states,
        by_rank,
        scratch,
        ..
    } = plan;
    let phases = phase_count as usize;
    let buckets = &mut scratch.buckets;
    let used = phases * 3;
    if buckets.len() < used {
        buckets.resize(used, 0);
    }
    for &tip in by_rank.iter() {
        let key = states
            .get(tip.index())
            .map_or(0, |state| order_key(state, phases));
        if let Some(count) = buckets.get_mut(key) {
            *count += 1;
        }
    }
    starts(buckets.get_mut(..used).unwrap_or_default());
    steps.clear();
    steps.resize(by_rank.len(), PlanStep::default());
    for &tip in by_rank.iter() {
        let Some(state) = states.get_mut(tip.index()) else {
            continue;
        };
        let Some(start) = buckets.get_mut(order_key(state, phases)) else {
            continue;
        };
        state.position = *start;
        if let Some(step) = steps.get_mut(*start as usize) {
            *step = step_of(tip, state);
        }
        *start += 1;
    }
    clear(buckets.get_mut(..used).unwrap_or_default());
}

fn is_member(state: &TipState) -> bool {
    state.membership != Membership::Absent
}

/// The bucket of a plan tip by rank: 0 for the highest.
fn rank_key(state: &TipState) -> usize {
    usize::from(u8::MAX - state.rank)
}

/// The bucket of a plan tip by cycle and phase, with `phases` phases per cycle.
fn order_key(state: &TipState, phases: usize) -> usize {
    let cycle = usize::from(state.cycle).saturating_sub(1);
    let phase = (state.phase as usize).saturating_sub(1);
    cycle * phases + phase
}

/// Turns counts into the start of each bucket.
fn starts(counts: &mut [u32]) {
    let mut running = 0;
    for count in counts {
        let next = running + *count;
        *count = running;
        running = next;
    }
}

fn clear(buckets: &mut [u32]) {
    buckets.fill(0);
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
