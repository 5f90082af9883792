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
use crate::ruleset::PlanTables;
use crate::ruleset::TipIndex;

/// The cycle of the tips after the first two: "later".
pub const LATER: u8 = 3;

/// How many tips the cycle being filled has taken per section and per lead; all zero
/// between cycles.
struct Taken<'a> {
    per_section: &'a mut Vec<u32>,
    per_lead: &'a mut Vec<u32>,
}

impl Taken<'_> {
    /// Counts a tip taken.
    fn take(&mut self, tables: &PlanTables, tip: TipIndex) {
        let section = tables.section.get(tip.index()).copied();
        if let Some(count) = section.and_then(|section| self.per_section.get_mut(section.index())) {
            *count += 1;
        }
        let lead = tables.roles.lead_of(tip);
        if let Some(count) = lead.and_then(|lead| self.per_lead.get_mut(lead.index())) {
            *count += 1;
        }
    }

    /// Sets the counts of the tips a cycle took back to zero.
    fn release(&mut self, tables: &PlanTables, taken: &[TipIndex]) {
        for &tip in taken {
            let section = tables.section.get(tip.index()).copied();
            if let Some(count) = section.and_then(|s| self.per_section.get_mut(s.index())) {
                *count = 0;
            }
            let lead = tables.roles.lead_of(tip);
            if let Some(count) = lead.and_then(|lead| self.per_lead.get_mut(lead.index())) {
                *count = 0;
            }
        }
    }

    /// Whether one more tip of this section and lead fits the cycle's limits. A tip
    /// without a lead counts as none of the cycle's tips sharing its lead.
    fn fits(&self, tables: &PlanTables, tip: TipIndex) -> bool {
        let section = tables.section.get(tip.index()).copied();
        let same_section = section
            .and_then(|section| self.per_section.get(section.index()))
            .map_or(0, |&count| count as usize);
        let same_lead = tables
            .roles
            .lead_of(tip)
            .and_then(|lead| self.per_lead.get(lead.index()))
            .map_or(0, |&count| count as usize);
        same_section < tables.per_section && same_lead < tables.per_lead
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
        per_section,
        per_lead,
        second_cycle,
        ..
    } = scratch;
    per_section.resize(tables.section_count, 0);
    per_lead.resize(tables.roles.all().len(), 0);
    let mut counts = Taken {
        per_section,
        per_lead,
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
/// per-lead limits; passes again while a taken tip frees one whose prerequisite it was.
fn fill_cycle(
    tables: &PlanTables,
    candidates: &mut Candidates<'_>,
    counts: &mut Taken<'_>,
    cycle: &mut Vec<TipIndex>,
) {
    'passes: loop {
        let before = cycle.len();
        for index in 0..candidates.by_rank.len() {
            if cycle.len() >= tables.focus {
                break 'passes;
            }
            let Some(&RankedTip { tip, facts }) = candidates.by_rank.get(index) else {
                break;
            };
            if !facts.is_taken() && can_take(tables, candidates, counts, tip) {
                mark_taken(candidates, index, tip);
                counts.take(tables, tip);
                cycle.push(tip);
            }
        }
        if cycle.len() == before {
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

/// Whether a tip not yet taken fits the cycle and every prerequisite in the plan has
/// been taken.
fn can_take(
    tables: &PlanTables,
    candidates: &Candidates<'_>,
    counts: &Taken<'_>,
    tip: TipIndex,
) -> bool {
    counts.fits(tables, tip)
        && tables.prerequisites.of(tip).iter().all(|&prerequisite| {
            !bits::contains(candidates.members, prerequisite.index())
                || bits::contains(candidates.taken, prerequisite.index())
        })
}
