//! The orders of a plan without comparison sorts: the plan tips by rank (the order in
//! which cycles take them) as a set of tips per rank, and the plan order (cycle, phase,
//! rank, document order) by placing each cycle's tips in turn.

use super::bits::{self, Word, WORD_BITS};
use super::facts::TipFacts;
use super::ranks::RankSets;
use super::{Plan, PlanStep, LATER};
use crate::ruleset::TipIndex;

/// Puts each plan tip into its rank's list (the scratch's `by_rank`), one visit of the
/// plan tips with their final ranks, last tip first.
pub(super) fn rank(plan: &mut Plan) {
    let facts = plan.scratch.facts.as_slice();
    let by_rank = &mut plan.scratch.by_rank;
    for_each_member_from_last(&plan.members, |tip| {
        let rank = facts.get(tip).copied().unwrap_or_default().rank();
        by_rank.insert(tip, rank);
    });
}

/// Calls `visit` with each plan tip, last tip first.
fn for_each_member_from_last(members: &[Word], mut visit: impl FnMut(usize)) {
    for (word_index, &word) in members.iter().enumerate().rev() {
        let mut rest = word;
        while rest != 0 {
            let offset = (WORD_BITS - 1) - rest.leading_zeros() as usize;
            rest ^= 1 << offset;
            visit(word_index * WORD_BITS + offset);
        }
    }
}

/// The place of a rank in an ascending key: 0 for the highest.
fn rank_key(rank: u8) -> u8 {
    u8::MAX - rank
}

/// Writes the plan's steps in plan order, by cycle, phase, rank (highest first) and
/// document order, and records each tip's position: cycle 1's and cycle 2's few tips
/// sorted, then the later tips by rank, stably by phase. `phase_count` is the highest
/// phase of a plan tip; the scratch's `phase_sizes` hold the plan tips per phase.
pub(super) fn order_steps(plan: &mut Plan, phase_count: u32) {
    // Every step is written below, so the steps of the last plan need no clearing.
    let member_count = bits::count(&plan.members);
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
        let tip = key as u32 as usize;
        writer.place(tip, writer.facts_of(tip), cycle, next);
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
    let (mut writer, by_rank, taken) = StepWriter::with_order(plan);
    by_rank.drain(taken, |tip| {
        writer.place(tip, writer.facts_of(tip), LATER, next);
        next += 1;
    });
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
    let (mut writer, by_rank, taken) = StepWriter::with_order(plan);
    by_rank.drain(taken, |tip| {
        let facts = writer.facts_of(tip);
        if let Some(start) = starts.get_mut(facts.phase() as usize - 1) {
            writer.place(tip, facts, LATER, *start);
            *start += 1;
        }
    });
    plan.scratch.phase_sizes = starts;
}

/// A tip's facts; the default past the end.
fn facts_of(facts: &[TipFacts], tip: TipIndex) -> TipFacts {
    facts.get(tip.index()).copied().unwrap_or_default()
}

/// Writes steps and positions from the tips' facts.
struct StepWriter<'a> {
    steps: &'a mut [PlanStep],
    positions: &'a mut [u32],
    facts: &'a [TipFacts],
}

impl<'a> StepWriter<'a> {
    fn of(plan: &'a mut Plan) -> StepWriter<'a> {
        StepWriter {
            steps: &mut plan.steps,
            positions: &mut plan.positions,
            facts: &plan.scratch.facts,
        }
    }

    /// A writer, with the plan tips by rank to read out and the tips cycles took.
    fn with_order(plan: &'a mut Plan) -> (StepWriter<'a>, &'a mut RankSets, &'a [Word]) {
        let writer = StepWriter {
            steps: &mut plan.steps,
            positions: &mut plan.positions,
            facts: &plan.scratch.facts,
        };
        (writer, &mut plan.scratch.by_rank, &plan.scratch.taken)
    }

    /// A plan tip's facts.
    fn facts_of(&self, tip: usize) -> TipFacts {
        self.facts.get(tip).copied().unwrap_or_default()
    }

    /// Writes a plan tip's step with its facts at `position` and records the position.
    fn place(&mut self, tip: usize, facts: TipFacts, cycle: u8, position: u32) {
        let step = PlanStep {
            tip: TipIndex::new(tip as u32),
            phase: facts.phase(),
            cycle,
            priority: facts.priority(),
            pulled_in: facts.is_pulled_in(),
        };
        if let Some(slot) = self.steps.get_mut(position as usize) {
            *slot = step;
        }
        if let Some(slot) = self.positions.get_mut(tip) {
            *slot = position;
        }
    }
}
