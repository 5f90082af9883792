//! One check record per question, in the byte order of the questions' ids: the order in
//! which an assessment's answers (an `AnswerMap`, sorted by id) come in. Checking an
//! assessment walks the records alongside the answers, so a matched answer is checked
//! from its record alone, without indexing back into the rule set: the id compared as
//! two words and its length, the whole numbers 0–63 the question takes as one mask, and
//! the question's [`AnswerBounds`] for any other number or text of digits.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::{AnswerBounds, QuestionIndex, RuleSet};

/// The whole numbers a small-number mask covers: 0 to `SMALL - 1`.
const SMALL: u64 = u64::BITS as u64;

/// What checking one answer to a question needs, in one record; laid out in the order of
/// its fields, so that the key's first word is the record's.
#[derive(Debug, Clone, PartialEq)]
#[repr(C)]
pub(crate) struct AnswerCheck {
    /// The question's id as compared: its length and words of its bytes.
    key: IdKey,
    /// The question's id, for the bytes the key's words do not cover and for ordering.
    id: Box<str>,
    /// The question, whose slot the answer goes to.
    question: QuestionIndex,
    /// Bit `n` set when the whole number `n` (below 64) fits the question.
    small: u64,
    /// The numbers the question takes.
    bounds: AnswerBounds,
}

impl AnswerCheck {
    fn of(ruleset: &RuleSet, question: QuestionIndex) -> Option<AnswerCheck> {
        let id = ruleset.question(question)?.id.as_str();
        let bounds = ruleset.bounds_of(question)?;
        let small = (0..SMALL)
            .filter(|&number| bounds.fits(number as f64))
            .fold(0, |mask, number| mask | 1 << number);
        Some(AnswerCheck {
            key: IdKey::of(id.as_bytes()),
            id: id.into(),
            question,
            small,
            bounds,
        })
    }

    /// The question checked.
    #[inline]
    pub(crate) fn question(&self) -> QuestionIndex {
        self.question
    }

    /// The numbers the question takes.
    #[inline]
    pub(crate) fn bounds(&self) -> AnswerBounds {
        self.bounds
    }

    /// The value of the whole number `number` when it is below 64 and fits the question,
    /// by one bit of the mask; `None` otherwise (the bounds, or the general path, decide).
    #[inline]
    pub(crate) fn small_value(&self, number: u64) -> Option<f64> {
        if number < SMALL && self.small >> number & 1 == 1 {
            Some(number as f64)
        } else {
            None
        }
    }

    /// [`AnswerCheck::small_value`] and its level code: the whole number `number` when it
    /// is below 64 and fits the question, which is its own level code.
    #[inline]
    pub(crate) fn small_level(&self, number: u64) -> Option<(f64, u8)> {
        if number < SMALL && self.small >> number & 1 == 1 {
            // INVARIANT: below 64, so the cast keeps every bit.
            Some((number as f64, number as u8))
        } else {
            None
        }
    }

    /// Whether this is the question with id `id`: the lengths, then the words of the
    /// key, then (for an id of more than 16 bytes) the bytes between them.
    #[inline]
    pub(crate) fn is(&self, id: &[u8]) -> bool {
        if id.len() != self.key.len {
            return false;
        }
        match (id.first_chunk::<WORD>(), id.last_chunk::<WORD>()) {
            (Some(head), Some(tail)) => {
                u64::from_le_bytes(*head) == self.key.head
                    && u64::from_le_bytes(*tail) == self.key.tail
                    && self.same_middle(id)
            }
            _ => short_word(id) == self.key.head,
        }
    }
}

impl AnswerCheck {
    /// Whether an id of a word or more, of this record's length and with its first and
    /// last words, has this record's bytes between them: none for up to 16 bytes, the
    /// key's middle words for up to 32, else compared a word at a time.
    #[inline]
    fn same_middle(&self, id: &[u8]) -> bool {
        match id.len() {
            ..=16 => true,
            17..=24 => word_at(id, WORD) == Some(self.key.middle[0]),
            25..=32 => {
                word_at(id, WORD) == Some(self.key.middle[0])
                    && word_at(id, 2 * WORD) == Some(self.key.middle[1])
            }
            _ => same_middle(self.id.as_bytes(), id),
        }
    }
}

/// An id as compared first: its length and words of its bytes, which for ids of up to
/// 32 bytes are all of them (the first and the last 8, overlapping, and the 16 after the
/// first); an id shorter than a word is all in `head` ([`short_word`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
struct IdKey {
    head: u64,
    tail: u64,
    len: usize,
    middle: [u64; 2],
}

/// The word of an id's bytes from `at`, if it has 8 bytes there.
#[inline]
fn word_at(id: &[u8], at: usize) -> Option<u64> {
    let word = id.get(at..)?.first_chunk::<WORD>()?;
    Some(u64::from_le_bytes(*word))
}

/// The bytes of a word.
const WORD: usize = 8;

impl IdKey {
    fn of(id: &[u8]) -> IdKey {
        let (head, tail) = match (id.first_chunk::<WORD>(), id.last_chunk::<WORD>()) {
            (Some(head), Some(tail)) => (u64::from_le_bytes(*head), u64::from_le_bytes(*tail)),
            _ => (short_word(id), 0),
        };
        IdKey {
            len: id.len(),
            head,
            tail,
            middle: [
                word_at(id, WORD).unwrap_or(0),
                word_at(id, 2 * WORD).unwrap_or(0),
            ],
        }
    }
}

/// The bytes of an id shorter than a word as one word: of 4 to 7 bytes, the first 4 and
/// the last 4 (overlapping), of fewer its bytes; with the length, the id.
#[inline]
fn short_word(id: &[u8]) -> u64 {
    match (id.first_chunk::<4>(), id.last_chunk::<4>()) {
        (Some(head), Some(tail)) => {
            u64::from(u32::from_le_bytes(*head)) | u64::from(u32::from_le_bytes(*tail)) << 32
        }
        _ => {
            let byte = |at: usize| id.get(at).copied().map_or(0, u64::from);
            byte(0) | byte(1) << 8 | byte(2) << 16
        }
    }
}

/// Whether two ids of the same length (more than 16 bytes) whose first and last words
/// are the same have the same bytes in between, compared a word at a time rather than
/// by a call to `memcmp`.
#[inline]
fn same_middle(a: &[u8], b: &[u8]) -> bool {
    let (Some(mut a), Some(mut b)) = (a.get(WORD..), b.get(WORD..)) else {
        return false;
    };
    while let (Some((word_a, rest_a)), Some((word_b, rest_b))) =
        (a.split_first_chunk::<WORD>(), b.split_first_chunk::<WORD>())
    {
        if word_a != word_b {
            return false;
        }
        (a, b) = (rest_a, rest_b);
    }
    // What is left is shorter than a word and lies within the last word, already equal.
    true
}

/// The check records of a rule set's questions, in the byte order of their ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct AnswerChecks {
    checks: Box<[AnswerCheck]>,
}

impl AnswerChecks {
    /// The records of every question of `ruleset`.
    fn of(ruleset: &RuleSet) -> AnswerChecks {
        let mut checks: Vec<AnswerCheck> = QuestionIndex::all(ruleset.questions().len())
            .filter_map(|question| AnswerCheck::of(ruleset, question))
            .collect();
        checks.sort_by(|a, b| a.id.cmp(&b.id));
        AnswerChecks {
            checks: checks.into_boxed_slice(),
        }
    }

    /// A walk over the records, for answers given in ascending order of their ids.
    pub(crate) fn walk(&self) -> CheckWalk<'_> {
        CheckWalk {
            rest: self.checks.iter(),
        }
    }
}

/// The records not passed yet by a walk alongside an assessment's answers.
#[derive(Debug, Clone)]
pub(crate) struct CheckWalk<'c> {
    rest: std::slice::Iter<'c, AnswerCheck>,
}

impl<'c> CheckWalk<'c> {
    /// The record of the question with id `id`, which must not come before the ids
    /// asked for so far; `None` when no question has that id. Most answers are to the
    /// next question, which one comparison settles; the search past it is out of line.
    #[inline]
    pub(crate) fn find(&mut self, id: &str) -> Option<&'c AnswerCheck> {
        let next = self.rest.as_slice().first()?;
        if next.is(id.as_bytes()) {
            self.rest.next();
            return Some(next);
        }
        self.find_past(id)
    }

    /// The records not passed yet, in order.
    #[inline]
    pub(crate) fn rest(&self) -> &'c [AnswerCheck] {
        self.rest.as_slice()
    }

    /// Passes the next `count` records (all that are left, if fewer).
    #[inline]
    pub(crate) fn pass(&mut self, count: usize) {
        if let Some(last) = count.checked_sub(1) {
            self.rest.nth(last);
        }
    }

    /// [`CheckWalk::find`] when the next record is not the id's: passes the records of
    /// ids that come before it.
    #[inline(never)]
    fn find_past(&mut self, id: &str) -> Option<&'c AnswerCheck> {
        loop {
            let check = self.rest.as_slice().first()?;
            match check.id.as_ref().cmp(id) {
                Ordering::Less => {
                    self.rest.next();
                }
                Ordering::Equal => {
                    self.rest.next();
                    return Some(check);
                }
                Ordering::Greater => return None,
            }
        }
    }
}

/// The check records, built when an assessment is first checked against the rule set
/// (a clone copies them once built).
#[derive(Debug, Clone, Default)]
pub(crate) struct LazyAnswerChecks(OnceLock<AnswerChecks>);

impl RuleSet {
    /// The check records of the questions, in the byte order of their ids.
    #[inline]
    pub(crate) fn answer_checks(&self) -> &AnswerChecks {
        self.answer_checks.0.get_or_init(|| AnswerChecks::of(self))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{AnswerBounds, AnswerCheck, IdKey, QuestionIndex};

    /// The walk's test of equality, on any two ids.
    fn same_id(a: &str, b: &str) -> bool {
        let check = AnswerCheck {
            key: IdKey::of(a.as_bytes()),
            id: a.into(),
            question: QuestionIndex::new(0),
            small: 0,
            bounds: AnswerBounds::NONE,
        };
        check.is(b.as_bytes())
    }

    proptest! {
        #[test]
        fn ids_are_the_same_exactly_when_their_texts_are(
            a in "[a-c.]{0,40}",
            b in "[a-c.]{0,40}",
        ) {
            prop_assert_eq!(same_id(&a, &b), a == b);
            let twin = a.clone();
            prop_assert!(same_id(&a, &twin));
        }
    }

    #[test]
    fn one_different_byte_at_any_position_makes_another_id() {
        for length in 0..40 {
            let id = "q".repeat(length);
            for position in 0..length {
                let mut other = id.clone().into_bytes();
                other[position] = b'r';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_id(&id, &other), "{length} {position}");
            }
            assert!(same_id(&id, &id.clone()));
        }
    }
}
