//! The plan tips by rank without sorting them: a list of tips per rank (a head per rank,
//! a next per tip) and the set of ranks in use (a bit per rank). Cycles read the order
//! from the top and stop when they are full; the later steps read it out once, rank by
//! rank, which leaves no rank in use for the next plan. Within a rank, tips come in
//! document order, because they are added last tip first.

use std::ops::ControlFlow;

use super::bits::{self, Word, WORD_BITS};

/// One list per `u8` rank.
const RANKS: usize = u8::MAX as usize + 1;

/// The words of the set of ranks in use.
const RANK_WORDS: usize = RANKS / WORD_BITS;

/// The end of a list.
const END: u32 = u32::MAX;

/// The plan tips per rank, highest rank first: the order in which cycles take tips.
///
/// INVARIANT: between plans no rank is in use; a list is read only while its rank is,
/// so heads and links left by an earlier plan are never read.
#[derive(Debug, Clone)]
pub(super) struct RankSets {
    /// Per place (0 for rank 255, the highest), the first tip of its list.
    heads: [u32; RANKS],
    /// Per tip, the next tip of its rank; [`END`] after the last.
    next: Vec<u32>,
    /// The places whose list holds a tip, a bit each.
    in_use: [Word; RANK_WORDS],
}

impl Default for RankSets {
    fn default() -> RankSets {
        RankSets {
            heads: [END; RANKS],
            next: Vec::new(),
            in_use: [0; RANK_WORDS],
        }
    }
}

impl RankSets {
    /// Makes room for lists of `tip_count` tips.
    pub(super) fn prepare(&mut self, tip_count: usize) {
        self.next.resize(tip_count, END);
    }

    /// Adds a tip at its rank, before the tips of that rank added so far: add them last
    /// tip first.
    pub(super) fn insert(&mut self, tip: usize, rank: u8) {
        let place = place_of(rank);
        let bit: Word = 1 << (place % WORD_BITS);
        let (Some(ranks), Some(head), Some(next)) = (
            self.in_use.get_mut(place / WORD_BITS),
            self.heads.get_mut(place),
            self.next.get_mut(tip),
        ) else {
            return;
        };
        *next = if *ranks & bit != 0 { *head } else { END };
        *ranks |= bit;
        *head = tip as u32;
    }

    /// Calls `visit` with each tip, highest rank first and in document order within a
    /// rank, until it breaks; returns whether it did.
    pub(super) fn visit_from_top(
        &self,
        mut visit: impl FnMut(usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        for (block, &ranks) in self.in_use.iter().enumerate() {
            let mut rest_ranks = ranks;
            while rest_ranks != 0 {
                let place = block * WORD_BITS + rest_ranks.trailing_zeros() as usize;
                rest_ranks &= rest_ranks - 1;
                let mut tip = self.heads.get(place).copied().unwrap_or(END);
                while tip != END {
                    visit(tip as usize)?;
                    tip = self.next.get(tip as usize).copied().unwrap_or(END);
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Calls `visit` with each tip not in `skip`, highest rank first and in document
    /// order within a rank, and leaves no rank in use.
    pub(super) fn drain(&mut self, skip: &[Word], mut visit: impl FnMut(usize)) {
        for (block, ranks) in self.in_use.iter_mut().enumerate() {
            let mut rest_ranks = std::mem::take(ranks);
            while rest_ranks != 0 {
                let place = block * WORD_BITS + rest_ranks.trailing_zeros() as usize;
                rest_ranks &= rest_ranks - 1;
                let mut tip = self.heads.get(place).copied().unwrap_or(END);
                while tip != END {
                    if !bits::contains(skip, tip as usize) {
                        visit(tip as usize);
                    }
                    tip = self.next.get(tip as usize).copied().unwrap_or(END);
                }
            }
        }
    }
}

/// The place of a rank's set: 0 for the highest.
fn place_of(rank: u8) -> usize {
    usize::from(u8::MAX - rank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_lists_give_the_tips_by_rank_then_document_order_and_are_left_unused(
            ranks in prop::collection::vec(any::<u8>(), 0..200),
            skipped in prop::collection::vec(any::<bool>(), 200),
        ) {
            let mut sets = RankSets::default();
            sets.prepare(ranks.len());
            for (tip, &rank) in ranks.iter().enumerate().rev() {
                sets.insert(tip, rank);
            }
            let mut expected: Vec<usize> = (0..ranks.len()).collect();
            expected.sort_by_key(|&tip| std::cmp::Reverse(ranks[tip]));
            let mut read = Vec::new();
            let _ = sets.visit_from_top(|tip| {
                read.push(tip);
                ControlFlow::Continue(())
            });
            prop_assert_eq!(&read, &expected);
            let mut skip = vec![0; bits::words_for(ranks.len())];
            for (tip, _) in skipped.iter().enumerate().filter(|(tip, &skip)| skip && *tip < ranks.len()) {
                bits::insert(&mut skip, tip);
            }
            let mut drained = Vec::new();
            sets.drain(&skip, |tip| drained.push(tip));
            expected.retain(|&tip| !bits::contains(&skip, tip));
            prop_assert_eq!(drained, expected);
            prop_assert_eq!(sets.in_use, [0; RANK_WORDS]);
        }
    }

    #[test]
    fn a_visit_stops_where_it_breaks() {
        let mut sets = RankSets::default();
        sets.prepare(3);
        for (tip, rank) in [(2, 7), (1, 9), (0, 5)] {
            sets.insert(tip, rank);
        }
        let mut read = Vec::new();
        let flow = sets.visit_from_top(|tip| {
            read.push(tip);
            if tip == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!((read, flow), (vec![1, 2], ControlFlow::Break(())));
    }
}
