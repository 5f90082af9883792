//! From fired rules to where each tip stands for one programme: not applicable in its
//! context, recommended (on its own answer or on the quick scan), to be established
//! first because the programme does not know, or clear.

use super::evaluation::{RowParts, StatusWriter};
use super::rules::RuleScan;
use super::{clamp_priority, SlotValues};
use crate::ruleset::{Program, RuleSet, Slot, TipCode, TipIndex, NO_SLOT};

/// How strong the evidence for a recommendation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The tip's own question was answered.
    Answered,
    /// Only the section's quick-scan question was: weaker evidence.
    QuickScan,
    /// Neither was: only a prerequisite pulled into a plan can be in it so.
    Unanswered,
}

/// Why the state of a tip must be established before it can be advised on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unknown {
    /// Neither the tip's question nor its section's quick scan was answered.
    Unanswered,
    /// Only the quick scan was answered, and the tip is no foundation of its section: the
    /// detailed scan must tell whether it is needed.
    QuickScanOnly,
}

/// Where one tip stands for one programme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TipStatus {
    /// No rule recommends it: in place, or not needed.
    #[default]
    Clear,
    /// Recommended.
    Recommended(Confidence),
    /// Its state is not known yet ("eerst uitzoeken").
    ToEstablish(Unknown),
    /// Its context rules it out: the index of the first condition in `Tip::applies`
    /// that is false.
    NotApplicable(u16),
}

/// What evaluating a tip's `applies` conditions gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Applies {
    Yes,
    /// No condition is false, but one is unknown: the context was not given.
    Assumed,
    No(u16),
}

impl Applies {
    /// The applicability of a tip from the values of its `applies` conditions.
    fn of(conditions: impl Iterator<Item = f64>) -> Applies {
        let mut assumed = false;
        for (index, holds) in (0u16..).zip(conditions) {
            if holds == 0.0 {
                return Applies::No(index);
            }
            assumed |= holds.is_nan();
        }
        if assumed {
            Applies::Assumed
        } else {
            Applies::Yes
        }
    }
}

// Tips are settled one bitset block at a time.
use super::rules::BITS;

/// What the values say about one block of tips, a bit per tip.
#[derive(Debug, Default)]
struct Facts {
    /// The base rule's condition is false.
    zero: usize,
    /// The base rule's condition is unknown (or there is none).
    unknown: usize,
    /// The tip has a base rule.
    based: usize,
    /// The tip's own answer reaches the `in_place` level.
    mature: usize,
    /// An `applies` condition is false.
    excluded: usize,
    /// No `applies` condition is false, but one is unknown.
    assumed: usize,
}

impl Facts {
    /// The facts of block `index` of the tips (maturity from `level` on counts as in
    /// place); the status of an excluded tip is written into `statuses`, the block's,
    /// at once. `conditional` holds the tips with conditions from this block on, and is
    /// advanced past the block.
    fn of<V: SlotValues + ?Sized>(
        program: &Program,
        index: usize,
        statuses: &mut StatusWriter<'_>,
        (scan, values): (&RuleScan, &V),
        level: f64,
        conditional: &mut &[TipIndex],
    ) -> Self {
        let tips = index * BITS..((index + 1) * BITS).min(program.tips.len());
        let based = program.based.get(index).copied().unwrap_or(0);
        let mut facts = Facts {
            based,
            ..Facts::default()
        };
        if program.aligned {
            // Tip i's base rule is rule i: the scan of the rules has the facts already.
            facts.zero = scan.zero.get(index).copied().unwrap_or(0) & based;
            facts.unknown = scan.unknown.get(index).copied().unwrap_or(0) & based;
        } else if based != 0 {
            // A block without base rules (rule sets without a template) reads none.
            let bases = program.bases.get(tips.clone()).unwrap_or_default();
            for (bit, &slot) in bases.iter().enumerate() {
                let base = values.value(slot);
                facts.zero |= usize::from(base == 0.0) << bit;
                facts.unknown |= usize::from(base.is_nan()) << bit;
            }
        }
        if !level.is_nan() {
            let maturities = program.maturities.get(tips.clone()).unwrap_or_default();
            for (bit, &slot) in maturities.iter().enumerate() {
                facts.mature |= usize::from(values.value(slot) >= level) << bit;
            }
        }
        while let Some((&tip, rest)) = conditional.split_first() {
            if !tips.contains(&tip.index()) {
                break;
            }
            *conditional = rest;
            let bit = tip.index() % BITS;
            match program.applies(tip, values) {
                Applies::No(condition) => {
                    facts.excluded |= 1 << bit;
                    statuses.write(bit, TipStatus::NotApplicable(condition));
                }
                Applies::Assumed => facts.assumed |= 1 << bit,
                Applies::Yes => {}
            }
        }
        facts
    }
}

impl Program {
    /// Whether a tip applies, from the values of its conditions.
    fn applies<V: SlotValues + ?Sized>(&self, tip: TipIndex, values: &V) -> Applies {
        let Some(code) = self.tips.get(tip.index()) else {
            return Applies::Yes;
        };
        let conditions = self.conditions.get(code.conditions.range());
        let conditions = conditions.unwrap_or_default().iter();
        Applies::of(conditions.map(|&slot| values.value(slot)))
    }
}

/// The set bits of a block, lowest first.
fn ones(mut block: usize) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        let bit = block.trailing_zeros() as usize;
        block &= block.wrapping_sub(1);
        (bit < BITS).then_some(bit)
    })
}

impl RuleSet {
    /// Decides where each tip stands, from the tips the rules proposed (in
    /// `recommended`, with their priority) and the values of the tips' conditions.
    ///
    /// A tip one of whose `applies` conditions is false does not apply (an unknown one
    /// counts as applying and is flagged); a proposed tip that applies is recommended,
    /// on its own answer or the quick scan, unless only the quick scan speaks for a tip
    /// that is no foundation; a tip nobody proposes whose base rule's condition is
    /// unknown is to be established; the rest is clear. A tip is in place when its own
    /// answer reaches the `in_place` level or, if it applies, its base rule's condition
    /// is false. Only recommended tips keep their priority, plus what raises add.
    pub(super) fn settle_tips<V: SlotValues + ?Sized>(
        &self,
        (scan, values): (&RuleScan, &V),
        parts: RowParts<'_>,
        raised: &[u32],
    ) {
        let program = &self.program;
        let level = self.in_place.unwrap_or(f64::NAN);
        let mut conditional = program.conditional.as_slice();
        let RowParts {
            recommended,
            in_place,
            context_assumed,
            priorities,
            mut statuses,
            ..
        } = parts;
        let words = recommended.iter_mut().zip(in_place).zip(context_assumed);
        let blocks = program
            .tips
            .chunks(BITS)
            .zip(priorities.chunks_mut(BITS))
            .zip(raised.chunks(BITS).chain(std::iter::repeat(&[][..])))
            .zip(words);
        for (index, (((tips, priorities), raised), words)) in blocks.enumerate() {
            let ((recommended, in_place), context_assumed) = words;
            let mut statuses = statuses.block(index * BITS, BITS);
            let facts = Facts::of(
                program,
                index,
                &mut statuses,
                (scan, values),
                level,
                &mut conditional,
            );
            let applies = !facts.excluded;
            *in_place = facts.mature | (facts.zero & applies);
            *context_assumed = facts.assumed;
            let proposed = *recommended;
            for bit in ones(facts.unknown & facts.based & !proposed & applies) {
                statuses.write(bit, TipStatus::ToEstablish(Unknown::Unanswered));
            }
            let block = ProposedBlock {
                tips,
                statuses: &mut statuses,
                priorities,
                raised,
            };
            let quickscanned = program.quickscanned.get(index).copied().unwrap_or(0);
            *recommended = block.settle(proposed & applies, proposed, quickscanned, values);
        }
    }
}

/// One block of tips with its statuses, priorities and raises, for settling the tips
/// the rules proposed.
struct ProposedBlock<'a, 'w> {
    /// The block's tips.
    tips: &'a [TipCode],
    /// Their statuses.
    statuses: &'a mut StatusWriter<'w>,
    /// Their priorities.
    priorities: &'a mut [u8],
    /// What raising rules add to their priorities (empty when no rule raises).
    raised: &'a [u32],
}

impl ProposedBlock<'_, '_> {
    /// Settles the `proposed` tips, of which those in `applies` apply: writes their
    /// statuses and keeps the priorities of the recommended ones, plus what raising
    /// rules add, zeroing the others'; the recommended tips. A tip outside
    /// `quickscanned` (its section has no quick scan) that applies is recommended on its
    /// own answer without reading an answer.
    #[inline]
    fn settle<V: SlotValues + ?Sized>(
        mut self,
        applies: usize,
        proposed: usize,
        quickscanned: usize,
        values: &V,
    ) -> usize {
        // A proposed tip that does not apply keeps its status, not applicable.
        for bit in ones(proposed & !applies) {
            if let Some(priority) = self.priorities.get_mut(bit) {
                *priority = 0;
            }
        }
        let on_own_answer = applies & !quickscanned;
        for bit in ones(on_own_answer) {
            self.statuses
                .write(bit, TipStatus::Recommended(Confidence::Answered));
            self.keep(bit);
        }
        let answered = |slot: Slot| !values.value(slot).is_nan();
        let mut kept = on_own_answer;
        for bit in ones(applies & quickscanned) {
            let (Some(tip), Some(priority)) = (self.tips.get(bit), self.priorities.get_mut(bit))
            else {
                continue;
            };
            let own = tip.maturity == NO_SLOT || answered(tip.maturity);
            let quickscan = tip.quickscan != NO_SLOT && answered(tip.quickscan);
            let status = proposed_status(tip.foundation, own, quickscan);
            self.statuses.write(bit, status);
            if !matches!(status, TipStatus::Recommended(_)) {
                *priority = 0;
                continue;
            }
            kept |= 1 << bit;
            self.keep(bit);
        }
        kept
    }

    /// Keeps the priority of recommended tip `bit`, plus what raising rules add.
    #[inline]
    fn keep(&mut self, bit: usize) {
        let extra = self.raised.get(bit).copied().unwrap_or(0);
        if let (true, Some(priority)) = (extra > 0, self.priorities.get_mut(bit)) {
            *priority = clamp_priority(f64::from(*priority) + f64::from(extra));
        }
    }
}

/// The status of a tip that applies and that a rule recommends, where `own` tells
/// whether its own question is answered (or it has none) and `quickscan` whether its
/// section's quick scan is: recommended on its own answer (or when no quick scan
/// stands in for it), on the quick scan for a foundation, else to be established by
/// the detailed scan.
fn proposed_status(foundation: bool, own: bool, quickscan: bool) -> TipStatus {
    match (own || !quickscan, foundation) {
        (true, _) => TipStatus::Recommended(Confidence::Answered),
        (false, true) => TipStatus::Recommended(Confidence::QuickScan),
        (false, false) => TipStatus::ToEstablish(Unknown::QuickScanOnly),
    }
}
