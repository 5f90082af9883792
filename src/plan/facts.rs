//! The facts a plan step takes of its tip (phase, priority, pulled in), with the rank
//! the cycles order tips by and whether a cycle took it, packed into one word per tip:
//! ranking, taking and placing a tip each read one word.

/// The bits of the phase, from 1.
const PHASE_MASK: u32 = (1 << 14) - 1;
/// Set when a cycle (1 or 2) took the tip.
const TAKEN: u32 = 1 << 14;
/// Set when no rule recommended the tip and a plan tip needs it.
const PULLED_IN: u32 = 1 << 15;
/// Where the priority (0–100) starts.
const PRIORITY_SHIFT: u32 = 16;
/// Where the rank starts: the highest byte.
const RANK_SHIFT: u32 = 24;

/// One tip's facts while a plan is made: rank, priority, pulled in, taken and phase in
/// one word.
///
/// INVARIANT: a phase is at most the number of tips (one more than its longest chain of
/// prerequisites), and compilation allows at most `MAX_DECLARATIONS` (10,000) tips, so
/// every phase fits the 14 bits it is given; a larger one is held at the largest that
/// fits rather than spilling into the other facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct TipFacts(u32);

impl TipFacts {
    /// A recommended tip with the rules' priority, which is also its first rank, in
    /// phase 1.
    pub(super) fn recommended(priority: u8) -> TipFacts {
        let priority = u32::from(priority);
        TipFacts(priority << RANK_SHIFT | priority << PRIORITY_SHIFT | 1)
    }

    /// A tip pulled in by a plan tip with this priority and rank, in phase 1.
    pub(super) fn pulled_in_by(priority: u8, rank: u8) -> TipFacts {
        let facts = TipFacts::recommended(priority).0 | PULLED_IN;
        TipFacts(facts & !(0xFF << RANK_SHIFT) | u32::from(rank) << RANK_SHIFT)
    }

    /// The order in which cycles take tips: the priority, or the rank of a plan tip that
    /// builds on it if higher.
    pub(super) fn rank(self) -> u8 {
        (self.0 >> RANK_SHIFT) as u8
    }

    /// The rules' priority, or the inherited one of a pulled-in tip.
    pub(super) fn priority(self) -> u8 {
        (self.0 >> PRIORITY_SHIFT) as u8
    }

    /// Whether the tip was pulled in.
    pub(super) fn is_pulled_in(self) -> bool {
        self.0 & PULLED_IN != 0
    }

    /// Whether a cycle took the tip.
    pub(super) fn is_taken(self) -> bool {
        self.0 & TAKEN != 0
    }

    /// The phase, from 1.
    pub(super) fn phase(self) -> u32 {
        self.0 & PHASE_MASK
    }

    /// The same facts in another phase.
    pub(super) fn in_phase(self, phase: u32) -> TipFacts {
        TipFacts(self.0 & !PHASE_MASK | phase.min(PHASE_MASK))
    }

    /// The same facts, taken by a cycle.
    pub(super) fn taken(self) -> TipFacts {
        TipFacts(self.0 | TAKEN)
    }

    /// The same facts with the rank raised to `rank` if that is higher.
    pub(super) fn with_rank_at_least(self, rank: u8) -> TipFacts {
        let raised = u32::from(self.rank().max(rank));
        TipFacts(self.0 & !(0xFF << RANK_SHIFT) | raised << RANK_SHIFT)
    }

    /// The same facts with the rank and the priority raised to these if higher.
    pub(super) fn with_urgency_at_least(self, priority: u8, rank: u8) -> TipFacts {
        let raised = u32::from(self.priority().max(priority));
        let facts = TipFacts(self.0 & !(0xFF << PRIORITY_SHIFT) | raised << PRIORITY_SHIFT);
        facts.with_rank_at_least(rank)
    }
}

/// A plan tip with its facts: an entry of the rank order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct RankedTip {
    /// The tip.
    pub tip: crate::ruleset::TipIndex,
    /// Its facts when the rank order was made; cycles mark it taken here too.
    pub facts: TipFacts,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn each_fact_reads_back_as_written(
            priority: u8, rank: u8, raise: u8, phase in 1u32..=PHASE_MASK, taken: bool
        ) {
            let mut facts = TipFacts::pulled_in_by(priority, rank).in_phase(phase);
            if taken {
                facts = facts.taken();
            }
            prop_assert_eq!(facts.priority(), priority);
            prop_assert_eq!(facts.rank(), rank);
            prop_assert_eq!(facts.phase(), phase);
            prop_assert!(facts.is_pulled_in());
            prop_assert_eq!(facts.is_taken(), taken);
            let raised = facts.with_urgency_at_least(raise, raise);
            prop_assert_eq!(raised.priority(), priority.max(raise));
            prop_assert_eq!(raised.rank(), rank.max(raise));
            prop_assert_eq!(raised.phase(), phase);
            prop_assert_eq!(raised.is_taken(), taken);
        }
    }

    #[test]
    fn a_recommended_tip_starts_in_phase_one_at_its_priority() {
        let facts = TipFacts::recommended(42);
        assert_eq!((facts.priority(), facts.rank(), facts.phase()), (42, 42, 1));
        assert!(!facts.is_pulled_in() && !facts.is_taken());
    }

    #[test]
    fn a_phase_past_the_bits_is_held_at_the_largest() {
        let facts = TipFacts::recommended(7).in_phase(u32::MAX);
        assert_eq!(
            (facts.phase(), facts.priority(), facts.rank()),
            (PHASE_MASK, 7, 7)
        );
        assert!(!facts.is_taken() && !facts.is_pulled_in());
    }
}
