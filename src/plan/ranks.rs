//! The plan tips by rank without sorting them: a set of tips per rank (a bit per tip)
//! and the set of ranks in use (a bit per rank). Cycles read the order from the top and
//! stop when they are full; the later steps read it out once, rank by rank, which empties
//! the sets for the next plan. Within a rank, tips come in document order.

use std::ops::ControlFlow;

use super::bits::{self, Word, WORD_BITS};

/// One set per `u8` rank.
const RANKS: usize = u8::MAX as usize + 1;

/// The words of the set of ranks in use.
const RANK_WORDS: usize = RANKS / WORD_BITS;

/// The plan tips per rank, highest rank first: the order in which cycles take tips.
///
/// INVARIANT: between plans every set is empty and no rank is in use; reading the order
/// out ([`RankSets::drain`]) leaves them so.
#[derive(Debug, Clone)]
pub(super) struct RankSets {
    /// Words per tip set.
    words_per_set: usize,
    /// The tip sets, one after another, by place: 0 for rank 255, the highest.
    sets: Vec<Word>,
    /// The places whose set holds a tip, a bit each.
    in_use: [Word; RANK_WORDS],
}

impl Default for RankSets {
    fn default() -> RankSets {
        RankSets {
            words_per_set: 0,
            sets: Vec::new(),
            in_use: [0; RANK_WORDS],
        }
    }
}

impl RankSets {
    /// Makes room for sets of `tip_count` tips; the sets are empty (the invariant).
    pub(super) fn prepare(&mut self, tip_count: usize) {
        let words_per_set = bits::words_for(tip_count);
        if words_per_set != self.words_per_set {
            self.words_per_set = words_per_set;
            self.sets.clear();
            self.sets.resize(RANKS * words_per_set, 0);
        }
    }

    /// Adds a tip at its rank.
    pub(super) fn insert(&mut self, tip: usize, rank: u8) {
        let place = place_of(rank);
        if let Some(word) = self.in_use.get_mut(place / WORD_BITS) {
            *word |= 1 << (place % WORD_BITS);
        }
        let word_index = place * self.words_per_set + tip / WORD_BITS;
        if let Some(word) = self.sets.get_mut(word_index) {
            *word |= 1 << (tip % WORD_BITS);
        }
    }

    /// Calls `visit` with each tip, highest rank first and in document order within a
    /// rank, until it breaks; returns whether it did.
    pub(super) fn visit_from_top(
        &self,
        mut visit: impl FnMut(usize) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let words_per_set = self.words_per_set;
        for (block, &ranks) in self.in_use.iter().enumerate() {
            let mut rest_ranks = ranks;
            while rest_ranks != 0 {
                let place = block * WORD_BITS + rest_ranks.trailing_zeros() as usize;
                rest_ranks &= rest_ranks - 1;
                let start = place * words_per_set;
                let set = self.sets.get(start..start + words_per_set).unwrap_or_default();
                for (word_index, &word) in set.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        let offset = rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        visit(word_index * WORD_BITS + offset)?;
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Calls `visit` with each tip not in `skip`, highest rank first and in document
    /// order within a rank, and empties the sets.
    pub(super) fn drain(&mut self, skip: &[Word], mut visit: impl FnMut(usize)) {
        let words_per_set = self.words_per_set;
        for (block, ranks) in self.in_use.iter_mut().enumerate() {
            let mut rest_ranks = std::mem::take(ranks);
            while rest_ranks != 0 {
                let place = block * WORD_BITS + rest_ranks.trailing_zeros() as usize;
                rest_ranks &= rest_ranks - 1;
                let start = place * words_per_set;
                let set = self
                    .sets
                    .get_mut(start..start + words_per_set)
                    .unwrap_or_default();
                for (word_index, word) in set.iter_mut().enumerate() {
                    let skipped = skip.get(word_index).copied().unwrap_or(0);
                    let mut rest = std::mem::take(word) & !skipped;
                    while rest != 0 {
                        let offset = rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        visit(word_index * WORD_BITS + offset);
                    }
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
        fn the_sets_give_the_tips_by_rank_then_document_order_and_are_left_empty(
            ranks in prop::collection::vec(any::<u8>(), 0..200),
            skipped in prop::collection::vec(any::<bool>(), 200),
        ) {
            let mut sets = RankSets::default();
            sets.prepare(ranks.len());
            for (tip, &rank) in ranks.iter().enumerate() {
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
            prop_assert!(sets.sets.iter().all(|&word| word == 0));
            prop_assert_eq!(sets.in_use, [0; RANK_WORDS]);
        }
    }

    #[test]
    fn a_visit_stops_where_it_breaks() {
        let mut sets = RankSets::default();
        sets.prepare(3);
        for (tip, rank) in [(0, 5), (1, 9), (2, 7)] {
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
