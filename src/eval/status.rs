//! From fired rules to where each tip stands for one programme: not applicable in its
//! context, recommended (on its own answer or on the quick scan), to be established
//! first because the programme does not know, or clear.

use super::evaluation::Set;
use super::rules::RuleScan;
use super::{clamp_priority, Evaluation, SlotValues};
use crate::ruleset::{Program, RuleSet, Slot, TipIndex, NO_SLOT};

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
    /// place); the status of an excluded tip is written into `evaluation` at once. `conditional` holds the tips with conditions from this block on, and is
    /// advanced past the block.
    fn of<V: SlotValues + ?Sized>(
        program: &Program,
        index: usize,
        evaluation: &mut Evaluation,
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
                    evaluation.write_status(tip.index(), TipStatus::NotApplicable(condition));
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
        evaluation: &mut Evaluation,
        raised: &[u32],
    ) {
        let program = &self.program;
        let answered = |slot: Slot| !values.value(slot).is_nan();
        let level = self.in_place.unwrap_or(f64::NAN);
        let mut conditional = program.conditional.as_slice();
        for (index, tips) in program.tips.chunks(BITS).enumerate() {
            let facts = Facts::of(
                program,
                index,
                evaluation,
                (scan, values),
                level,
                &mut conditional,
            );
            let applies = !facts.excluded;
            evaluation.set_word(Set::InPlace, index, facts.mature | (facts.zero & applies));
            evaluation.set_word(Set::ContextAssumed, index, facts.assumed);
            let proposed = evaluation.word(Set::Recommended, index);
            for bit in ones(facts.unknown & facts.based & !proposed & applies) {
                let status = TipStatus::ToEstablish(Unknown::Unanswered);
                evaluation.write_status(index * BITS + bit, status);
            }
            let mut kept = 0;
            for bit in ones(proposed) {
                let Some(tip) = tips.get(bit) else {
                    continue;
                };
                let tip_index = index * BITS + bit;
                // A proposed tip that does not apply keeps its status, not applicable.
                let status = (applies & (1 << bit) != 0).then(|| {
                    let own = tip.maturity == NO_SLOT || answered(tip.maturity);
                    let quickscan = tip.quickscan != NO_SLOT && answered(tip.quickscan);
                    proposed_status(tip.foundation, own, quickscan)
                });
                let extra = raised.get(tip_index).copied().unwrap_or(0);
                let recommended = settle_proposed(evaluation, tip_index, status, extra);
                kept |= usize::from(recommended) << bit;
            }
            evaluation.set_word(Set::Recommended, index, kept);
        }
    }
}

/// Writes a proposed tip's `status` (`None` where it does not apply) and keeps its
/// priority, plus what raising rules add (`extra`), if it is recommended, else zeroes
/// it; whether it is recommended.
#[inline]
fn settle_proposed(
    evaluation: &mut Evaluation,
    tip: usize,
    status: Option<TipStatus>,
    extra: u32,
) -> bool {
    if let Some(status) = status {
        evaluation.write_status(tip, status);
    }
    let recommended = matches!(status, Some(TipStatus::Recommended(_)));
    if let Some(priority) = evaluation.tip_priority_mut().get_mut(tip) {
        *priority = match (recommended, extra) {
            (false, _) => 0,
            (true, 0) => *priority,
            (true, extra) => clamp_priority(f64::from(*priority) + f64::from(extra)),
        };
    }
    recommended
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
