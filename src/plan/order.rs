//! The orders of a plan without comparison sorts: the plan tips by rank (the order in
//! which cycles take them) from a set of tips per rank, and the plan order (cycle,
//! phase, rank, document order) by placing each cycle's tips in turn.

use super::bits::{Word, WORD_BITS};
use super::facts::{RankedTip, TipFacts};
use super::{Plan, PlanStep, Scratch, LATER};
use crate::ruleset::TipIndex;

/// One count per rank.
pub(super) const RANKS: usize = u8::MAX as usize + 1;

/// Puts the plan tips into the scratch's `by_rank`: highest rank first, ties in
/// document order. A counting sort over the ranks that visits only the plan tips: the
/// counts (`rank_counts`, zero before and after) turn into the starts of the ranks in
/// use, and a second visit puts each tip at its rank's next place.
pub(super) fn sort_by_rank(plan: &mut Plan) {
    let Scratch {
        facts,
        by_rank,
        rank_counts,
        ..
    } = &mut plan.scratch;
    let members = plan.members.as_slice();
    let counts = &mut rank_counts.0;
    let (mut lowest, mut highest, mut count) = (u8::MAX, 0, 0);
    for_each_member(members, |tip| {
        let key = rank_key(facts.get(tip).copied().unwrap_or_default().rank());
        if let Some(slot) = counts.get_mut(usize::from(key)) {
            *slot += 1;
        }
        lowest = lowest.min(key);
        highest = highest.max(key);
        count += 1;
    });
    let in_use = usize::from(lowest)..=usize::from(highest.max(lowest));
    let mut running = 0;
    for slot in counts.get_mut(in_use.clone()).unwrap_or_default() {
        let start = running;
        running += *slot;
        *slot = start;
    }
    by_rank.resize(count, RankedTip::default());
    for_each_member(members, |tip| {
        let tip_facts = facts.get(tip).copied().unwrap_or_default();
        if let Some(next) = counts.get_mut(usize::from(rank_key(tip_facts.rank()))) {
            if let Some(slot) = by_rank.get_mut(*next as usize) {
                *slot = RankedTip {
                    tip: TipIndex::new(tip as u32),
                    facts: tip_facts,
                };
            }
            *next += 1;
        }
    });
    counts.get_mut(in_use).unwrap_or_default().fill(0);
}

/// Calls `visit` with each plan tip, in document order.
fn for_each_member(members: &[Word], mut visit: impl FnMut(usize)) {
    for (word_index, &word) in members.iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            let offset = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            visit(word_index * WORD_BITS + offset);
        }
    }
}

/// The place of a rank in the counting sort: 0 for the highest.
fn rank_key(rank: u8) -> u8 {
    u8::MAX - rank
}

/// Writes the plan's steps in plan order, by cycle, phase, rank (highest first) and
/// document order, and records each tip's position: cycle 1's and cycle 2's few tips
/// sorted, then the later tips by rank, stably by phase. `phase_count` is the highest
/// phase of a plan tip; the scratch's `phase_sizes` hold the plan tips per phase.
pub(super) fn order_steps(plan: &mut Plan, phase_count: u32) {
    // Every step is written below, so the steps of the last plan need no clearing.
    let member_count = plan.scratch.by_rank.len();
    plan.steps.resize(member_count, PlanStep::default());
    let mut next = 0;
    let first_cycle = std::mem::take(&mut plan.focus);
    next = place_cycle(plan, &first_cycle, 1, next);
    plan.focus = first_cycle;
    let second_cycle = std::mem::take(&mut plan.scratch.second_cycle);
    next = place_cycle(plan, &second_cycle, 2, next);
    plan.scratch.second_cycle = second_cycle;
    match phase_count {
        1 => place_later_in_one_phase(plan, next),
        _ => place_later(plan, next),
    }
}

/// Writes the steps of one cycle's tips from position `next`, in plan order; returns the
/// position after them. The few tips are sorted on a key packed once per tip (phase,
/// rank, document order), not composed in every comparison.
fn place_cycle(plan: &mut Plan, tips: &[TipIndex], cycle: u8, mut next: u32) -> u32 {
    let mut keys = std::mem::take(&mut plan.scratch.cycle_keys);
    keys.clear();
    let facts = plan.scratch.facts.as_slice();
    keys.extend(
        tips.iter()
            .map(|&tip| plan_order_key(tip, facts_of(facts, tip))),
    );
    keys.sort_unstable();
    let mut writer = StepWriter::of(plan);
    for &key in &keys {
        let tip = TipIndex::new(key as u32);
        let ranked = RankedTip {
            tip,
            facts: facts_of(writer.facts, tip),
        };
        writer.place(ranked, cycle, next);
        next += 1;
    }
    plan.scratch.cycle_keys = keys;
    next
}

/// A tip's place in the plan order within its cycle, as one number: phase, then rank
/// (highest first), then document order.
fn plan_order_key(tip: TipIndex, facts: TipFacts) -> u64 {
    u64::from(facts.phase()) << 40 | u64::from(rank_key(facts.rank())) << 32 | u64::from(tip.get())
}

/// Writes the steps of the plan tips no cycle took, from position `next`, when every
/// plan tip is in phase 1: in rank order.
fn place_later_in_one_phase(plan: &mut Plan, mut next: u32) {
    let mut writer = StepWriter::of(plan);
    for &ranked in writer.by_rank {
        if !ranked.facts.is_taken() {
            writer.place(ranked, LATER, next);
            next += 1;
        }
    }
}

/// Writes the steps of the plan tips no cycle took, from position `next`: in rank order,
/// stably by phase. The tips per phase, less those cycles took, give each phase's start.
fn place_later(plan: &mut Plan, next: u32) {
    let mut starts = std::mem::take(&mut plan.scratch.phase_sizes);
    for tip in plan.focus.iter().chain(&plan.scratch.second_cycle) {
        let phase = facts_of(&plan.scratch.facts, *tip).phase();
        if let Some(size) = starts.get_mut(phase as usize - 1) {
            *size -= 1;
        }
    }
    let mut running = next;
    for size in &mut starts {
        let start = running;
        running += *size;
        *size = start;
    }
    let mut writer = StepWriter::of(plan);
    for &ranked in writer.by_rank {
        if ranked.facts.is_taken() {
            continue;
        }
        if let Some(start) = starts.get_mut(ranked.facts.phase() as usize - 1) {
            writer.place(ranked, LATER, *start);
            *start += 1;
        }
    }
    plan.scratch.phase_sizes = starts;
}

/// A tip's facts; the default past the end.
fn facts_of(facts: &[TipFacts], tip: TipIndex) -> TipFacts {
    facts.get(tip.index()).copied().unwrap_or_default()
}

/// Writes steps and positions from the rank order or the tips' facts.
struct StepWriter<'a> {
    steps: &'a mut [PlanStep],
    positions: &'a mut [u32],
    by_rank: &'a [RankedTip],
    facts: &'a [TipFacts],
}

impl<'a> StepWriter<'a> {
    fn of(plan: &'a mut Plan) -> StepWriter<'a> {
        StepWriter {
            steps: &mut plan.steps,
            positions: &mut plan.positions,
            by_rank: &plan.scratch.by_rank,
            facts: &plan.scratch.facts,
        }
    }

    /// Writes a plan tip's step at `position` and records the position.
    fn place(&mut self, ranked: RankedTip, cycle: u8, position: u32) {
        let RankedTip { tip, facts } = ranked;
        let step = PlanStep {
            tip,
            phase: facts.phase(),
            cycle,
            priority: facts.priority(),
            pulled_in: facts.is_pulled_in(),
        };
        if let Some(slot) = self.steps.get_mut(position as usize) {
            *slot = step;
        }
        if let Some(slot) = self.positions.get_mut(tip.index()) {
            *slot = position;
        }
    }
}
