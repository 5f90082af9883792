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

use super::bits::{self, Word};
use super::facts::RankedTip;
use super::{Plan, Scratch};
use crate::ruleset::TipIndex;
use crate::ruleset::{CycleSlots, PlanTables};

/// The cycle of the tips after the first two: "later".
pub const LATER: u8 = 3;

/// How many tips the cycle being filled has taken per section and per lead, a slot each
/// (`CycleSlots`); all zero between cycles.
struct Taken<'a> {
    counts: &'a mut Vec<u32>,
}

impl Taken<'_> {
    /// Counts a tip taken.
    fn take(&mut self, slots: CycleSlots) {
        if let Some(count) = self.counts.get_mut(slots.section as usize) {
            *count += 1;
        }
        if let Some(count) = self.counts.get_mut(slots.lead as usize) {
            *count += 1;
        }
    }

    /// Sets the counts of the tips a cycle took back to zero.
    fn release(&mut self, tables: &PlanTables, taken: &[TipIndex]) {
        for &tip in taken {
            let slots = tables
                .cycle_slots
                .get(tip.index())
                .copied()
                .unwrap_or_default();
            for slot in [slots.section, slots.lead] {
                if let Some(count) = self.counts.get_mut(slot as usize) {
                    *count = 0;
                }
            }
        }
    }

    /// Whether one more tip of this section and lead fits the cycle's limits. A tip
    /// without a lead counts as none of the cycle's tips sharing its lead.
    fn fits(&self, tables: &PlanTables, slots: CycleSlots) -> bool {
        let count = |slot: u32| {
            self.counts
                .get(slot as usize)
                .map_or(0, |&count| count as usize)
        };
        count(slots.section) < tables.per_section && count(slots.lead) < tables.per_lead
    }
}

/// The plan tips in rank order and the tips cycles have taken, as a cycle sees them.
struct Candidates<'a> {
    members: &'a [Word],
    by_rank: &'a mut [RankedTip],
    taken: &'a mut Vec<Word>,
}

/// Fills cycles 1 and 2; cycle 1, in the order taken, is the plan's focus, and cycle 2
/// goes into the scratch's `second_cycle`. Every plan tip neither takes is later. The
/// plan tips by rank must be in the scratch's `by_rank`.
pub(super) fn assign_cycles(tables: &PlanTables, plan: &mut Plan) {
    let Plan {
        members,
        focus,
        scratch,
        ..
    } = plan;
    let Scratch {
        taken,
        by_rank,
        limit_counts,
        second_cycle,
        ..
    } = scratch;
    limit_counts.resize(tables.cycle_slot_count(), 0);
    let mut counts = Taken {
        counts: limit_counts,
    };
    let mut candidates = Candidates {
        members,
        by_rank,
        taken,
    };
    focus.clear();
    fill_cycle(tables, &mut candidates, &mut counts, focus);
    second_cycle.clear();
    fill_cycle(tables, &mut candidates, &mut counts, second_cycle);
}

/// Takes up to `focus` tips into a cycle, in rank order, within the per-section and
/// per-lead limits (stopping once it holds as many as the limits allow at all); passes
/// again while a taken tip may have freed one whose prerequisite it was. A tip refused
/// by the limits stays refused (the counts only grow within a cycle), so a pass that
/// refused no tip for its prerequisites is the last.
fn fill_cycle(
    tables: &PlanTables,
    candidates: &mut Candidates<'_>,
    counts: &mut Taken<'_>,
    cycle: &mut Vec<TipIndex>,
) {
    // Past its capacity no tip fits the limits, so the cycle stops there rather than
    // refusing every tip left.
    let capacity = tables.cycle_capacity();
    'passes: loop {
        let before = cycle.len();
        let mut waiting = false;
        for index in 0..candidates.by_rank.len() {
            if cycle.len() >= capacity {
                break 'passes;
            }
            let Some(&RankedTip { tip, facts }) = candidates.by_rank.get(index) else {
                break;
            };
            if facts.is_taken() {
                continue;
            }
            let slots = tables
                .cycle_slots
                .get(tip.index())
                .copied()
                .unwrap_or_default();
            if !counts.fits(tables, slots) {
                continue;
            }
            if prerequisites_taken(tables, candidates, tip, slots) {
                mark_taken(candidates, index, tip);
                counts.take(slots);
                cycle.push(tip);
            } else {
                waiting = true;
            }
        }
        if cycle.len() == before || !waiting {
            break;
        }
    }
    counts.release(tables, cycle);
}

/// Marks the tip at `index` of the rank order taken, there and in the set of taken tips.
fn mark_taken(candidates: &mut Candidates<'_>, index: usize, tip: TipIndex) {
    bits::insert(candidates.taken, tip.index());
    if let Some(ranked) = candidates.by_rank.get_mut(index) {
        ranked.facts = ranked.facts.taken();
    }
}

/// Whether every prerequisite in the plan of a tip not yet taken has been taken.
fn prerequisites_taken(
    tables: &PlanTables,
    candidates: &Candidates<'_>,
    tip: TipIndex,
    slots: CycleSlots,
) -> bool {
    !slots.has_prerequisites
        || tables.prerequisites.of(tip).iter().all(|&prerequisite| {
            !bits::contains(candidates.members, prerequisite.index())
                || bits::contains(candidates.taken, prerequisite.index())
        })
}
