//! Sets of tips as words of bits, a bit per tip: the planner's "in the plan", "pulled
//! in" and "taken by a cycle", tested and iterated without a pass over every tip.

/// One word of a tip set; the evaluation's bitsets use the same word.
pub(super) type Word = usize;

/// Bits per [`Word`].
pub(super) const WORD_BITS: usize = Word::BITS as usize;

/// How many words hold a set of `count` tips.
pub(super) fn words_for(count: usize) -> usize {
    count.div_ceil(WORD_BITS)
}

/// Whether `bit` is in the set; false past its end.
pub(super) fn contains(set: &[Word], bit: usize) -> bool {
    set.get(bit / WORD_BITS)
        .is_some_and(|word| word & (1 << (bit % WORD_BITS)) != 0)
}

/// Adds `bit` to the set; nothing past its end.
pub(super) fn insert(set: &mut [Word], bit: usize) {
    if let Some(word) = set.get_mut(bit / WORD_BITS) {
        *word |= 1 << (bit % WORD_BITS);
    }
}

/// How many bits the set holds.
pub(super) fn count(set: &[Word]) -> usize {
    set.iter().map(|word| word.count_ones() as usize).sum()
}

/// Makes `set` the first `count` bits of `source` (missing words are empty), in
/// `words_for(count)` words.
pub(super) fn copy_prefix(set: &mut Vec<Word>, source: &[Word], count: usize) {
    let words = words_for(count);
    set.clear();
    set.extend(source.iter().take(words));
    set.resize(words, 0);
    let spare = words * WORD_BITS - count;
    if let Some(last) = set.last_mut() {
        *last &= Word::MAX >> spare;
    }
}

/// Makes `set` the empty set of `count` bits.
pub(super) fn clear(set: &mut Vec<Word>, count: usize) {
    set.clear();
    set.resize(words_for(count), 0);
}

/// The bits of `word`, lowest first, each offset by `base`.
#[cfg(test)]
pub(super) fn ones_of(word: Word, base: usize) -> impl Iterator<Item = usize> {
    let mut rest = word;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            base + bit
        })
    })
}

/// The bits of a set, lowest first.
#[cfg(test)]
pub(super) fn ones(set: &[Word]) -> impl Iterator<Item = usize> + '_ {
    set.iter()
        .enumerate()
        .flat_map(|(index, &word)| ones_of(word, index * WORD_BITS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_prefix_keeps_only_the_first_bits() {
        let mut set = Vec::new();
        copy_prefix(&mut set, &[Word::MAX, Word::MAX], WORD_BITS + 3);
        assert_eq!(ones(&set).collect::<Vec<_>>().len(), WORD_BITS + 3);
        copy_prefix(&mut set, &[0b1010], WORD_BITS * 2);
        assert_eq!(set, vec![0b1010, 0]);
        assert_eq!(ones(&set).collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn insert_and_contains_ignore_bits_past_the_end() {
        let mut set = vec![0; 2];
        insert(&mut set, 70);
        insert(&mut set, 500);
        assert!(contains(&set, 70));
        assert!(!contains(&set, 500));
        assert_eq!(count(&set), 1);
    }
}
