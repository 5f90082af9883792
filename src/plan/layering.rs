//! Graph layering: each plan tip's phase (one after its latest prerequisite in the plan),
//! and the plan order, by two counting sorts rather than a comparison sort: first by
//! priority over the tips in id order, then by phase and horizon rank.

use super::tables::{PlanTables, HORIZON_RANKS};
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

/// A plan tip on its way through the ordering.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Entry {
    tip: TipIndex,
    /// Its (phase, horizon rank) group.
    bucket: u32,
    priority: u8,
    pulled_in: bool,
}

/// Orders the plan tips by phase, horizon rank, priority (highest first) and id, and
/// records each tip's position. A least-significant-first radix sort: the plan tips in
/// id order (counted on the way), sorted stably by priority, then stably by (phase,
/// horizon rank). Leaves in `plan.bucket_ends` where each (phase, horizon rank) group
/// ends.
pub(super) fn order_steps(tables: &PlanTables, plan: &mut Plan, phase_count: u32) {
    let Plan {
        steps,
        states,
        by_id,
        by_priority,
        bucket_ends,
        ..
    } = plan;
    // One slot per priority value, shifted one up by the counting.
    let mut priority_starts = [0u32; 256 + 1];
    bucket_ends.clear();
    bucket_ends.resize(phase_count as usize * HORIZON_RANKS + 1, 0);
    by_id.clear();
    for &tip in &tables.by_id_rank {
        let Some(entry) = states.get(tip as usize).and_then(|state| entry(tip, state)) else {
            continue;
        };
        by_id.push(entry);
        increment(
            &mut priority_starts,
            usize::from(inverse(entry.priority)) + 1,
        );
        increment(bucket_ends, entry.bucket as usize + 1);
    }
    running_sum(&mut priority_starts);
    running_sum(bucket_ends);
    by_priority.clear();
    by_priority.resize(by_id.len(), Entry::default());
    for &entry in by_id.iter() {
        let cursor = priority_starts.get_mut(usize::from(inverse(entry.priority)));
        place(by_priority, cursor, entry);
    }
    steps.clear();
    steps.resize(by_id.len(), PlanStep::default());
    for &entry in by_priority.iter() {
        place_step(states, steps, bucket_ends, entry);
    }
}

/// The entry of a plan tip; `None` outside the plan.
fn entry(tip: TipIndex, state: &TipState) -> Option<Entry> {
    let phase = state.phase.checked_sub(1)?;
    let horizon = u32::from(state.horizon).min(HORIZON_RANKS as u32 - 1);
    Some(Entry {
        tip,
        bucket: phase * HORIZON_RANKS as u32 + horizon,
        priority: state.priority,
        pulled_in: state.membership == Membership::PulledIn,
    })
}

/// Highest priority first.
fn inverse(priority: u8) -> u8 {
    u8::MAX - priority
}

fn increment(counts: &mut [u32], slot: usize) {
    if let Some(count) = counts.get_mut(slot) {
        *count += 1;
    }
}

/// Turns counts shifted one slot up into the start of each slot's range.
fn running_sum(counts: &mut [u32]) {
    let mut running = 0;
    for count in counts.iter_mut() {
        running += *count;
        *count = running;
    }
}

/// Writes an entry at the cursor and moves the cursor on.
fn place(slots: &mut [Entry], cursor: Option<&mut u32>, entry: Entry) {
    let Some(cursor) = cursor else {
        return;
    };
    if let Some(slot) = slots.get_mut(*cursor as usize) {
        *slot = entry;
    }
    *cursor += 1;
}

/// Writes a tip's step at its group's cursor, moves the cursor on and records the
/// position.
fn place_step(
    states: &mut [TipState],
    steps: &mut [PlanStep],
    bucket_ends: &mut [u32],
    entry: Entry,
) {
    let Some(cursor) = bucket_ends.get_mut(entry.bucket as usize) else {
        return;
    };
    let position = *cursor;
    *cursor += 1;
    if let Some(state) = states.get_mut(entry.tip as usize) {
        state.position = position;
    }
    if let Some(step) = steps.get_mut(position as usize) {
        *step = PlanStep {
            tip: entry.tip,
            phase: entry.bucket / HORIZON_RANKS as u32 + 1,
            priority: entry.priority,
            pulled_in: entry.pulled_in,
        };
    }
}
