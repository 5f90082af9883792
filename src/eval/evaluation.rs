//! What the rules concluded for one programme, held in one buffer: words (the three
//! tip bitsets, the fired rules as a bitset and the fired rules whose priority is
//! unknown), then bytes read through `zerocopy` (a priority and a status per tip, a
//! priority per rule). A batch writes them by words; a reused evaluation is emptied by
//! filling the words and the tips' bytes with zeros, one run. A `NotApplicable`
//! condition index too large for its status code lives apart, allocated only when one
//! is written: a tip would need 249 `applies` conditions.

use std::fmt;

use zerocopy::{FromBytes, IntoBytes};

use super::status::{Confidence, TipStatus, Unknown};
use crate::ruleset::{RuleIndex, TipIndex};

/// A rule whose condition was true.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FiredRule {
    /// The rule.
    pub rule: RuleIndex,
    /// Its priority (for a raising rule, its amount), clamped to 0–100 and rounded; 0
    /// when it could not be computed.
    pub priority: u8,
    /// False when the priority read unanswered questions and fell back to 0.
    pub priority_known: bool,
}

/// Bits per word of a tip bitset.
const WORD_BITS: usize = usize::BITS as usize;

/// Bytes per word.
const WORD_BYTES: usize = std::mem::size_of::<usize>();

/// The three tip bitsets of an evaluation, in the order of their words in `sets`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Set {
    /// The recommended tips.
    Recommended = 0,
    /// The tips in place.
    InPlace = 1,
    /// The tips that apply only because their context was not given.
    ContextAssumed = 2,
}

/// What the rules concluded for one programme, by index: compact, so batch runs and the
/// planner need not touch strings. [`Evaluation::default`] is an empty one to fill with
/// [`crate::ruleset::RuleSet::evaluate_into`]; [`Evaluation::new`] and its setters build
/// one by hand (for a planner's tests, say).
///
/// The parts are read through methods of their names: [`Evaluation::fired`],
/// [`Evaluation::recommended`], [`Evaluation::tip_priority`], [`Evaluation::in_place`],
/// [`Evaluation::status`] and [`Evaluation::context_assumed`]. They live in one heap
/// buffer (words: the tip bitsets and the fired rules as bits; then bytes: a priority
/// and a status per tip, a priority per rule), so a fresh evaluation allocates once and
/// a reused one is emptied by one `memset`.
#[derive(Clone, Default)]
pub struct Evaluation {
    /// The words of the recommended, in-place and context-assumed tips, one after the
    /// other, `words_for(tips)` words each, then the fired rules and the fired rules
    /// whose priority is unknown, `words_for(rules)` words each (bits past the last tip
    /// or rule are zero): the first `split` words. The rest are bytes: per tip its
    /// priority, then per tip its status code (`status_code`), then per rule its
    /// priority (read only where the rule fired).
    buffer: Vec<usize>,
    /// Per tip, a `NotApplicable` condition index too large for its code, read only
    /// where the code is [`FAR`]; empty (no allocation) until one is written, which
    /// takes a tip with 249 conditions, so that every other evaluation is a third
    /// smaller.
    far: Box<[u16]>,
    /// Where the bytes start in `buffer`, in words.
    split: usize,
    /// The tips the evaluation is for.
    tips: usize,
    /// The rules it has room for.
    rules: usize,
}

/// Words of a bitset of `tips` tips.
fn words_for(tips: usize) -> usize {
    tips.div_ceil(WORD_BITS)
}

/// Bytes of the priorities of `rules` rules: a byte per bit of their words, so that the
/// fired rules of a word read their priorities from a run of [`WORD_BITS`] bytes.
fn rule_bytes(rules: usize) -> usize {
    words_for(rules) * WORD_BITS
}

/// Makes `buffer` `len` zeros, allocating zeroed memory at once where it must grow (a
/// fresh evaluation's case) rather than growing and then filling.
fn zeroed<T: Copy + Default>(buffer: &mut Vec<T>, len: usize) {
    if buffer.capacity() < len {
        *buffer = vec![T::default(); len];
    } else {
        buffer.clear();
        buffer.resize(len, T::default());
    }
}

/// The status codes: [`TipStatus::Clear`] is 0, so a buffer of zeros is all clear.
const RECOMMENDED_ANSWERED: u8 = 1;
const RECOMMENDED_QUICK_SCAN: u8 = 2;
const RECOMMENDED_UNANSWERED: u8 = 3;
const TO_ESTABLISH_UNANSWERED: u8 = 4;
const TO_ESTABLISH_QUICK_SCAN_ONLY: u8 = 5;
/// `NotApplicable(i)` is `NOT_APPLICABLE + i` while that fits below [`FAR`].
const NOT_APPLICABLE: u8 = 6;
/// `NotApplicable(i)` with `i` in the far indices.
const FAR: u8 = u8::MAX;

/// A status as its code, and the condition index to keep in the far indices when the
/// code is [`FAR`].
#[inline]
fn status_code(status: TipStatus) -> (u8, u16) {
    let code = match status {
        TipStatus::Clear => 0,
        TipStatus::Recommended(Confidence::Answered) => RECOMMENDED_ANSWERED,
        TipStatus::Recommended(Confidence::QuickScan) => RECOMMENDED_QUICK_SCAN,
        TipStatus::Recommended(Confidence::Unanswered) => RECOMMENDED_UNANSWERED,
        TipStatus::ToEstablish(Unknown::Unanswered) => TO_ESTABLISH_UNANSWERED,
        TipStatus::ToEstablish(Unknown::QuickScanOnly) => TO_ESTABLISH_QUICK_SCAN_ONLY,
        TipStatus::NotApplicable(condition) => {
            return match u8::try_from(condition) {
                Ok(small) if small < FAR - NOT_APPLICABLE => (NOT_APPLICABLE + small, 0),
                _ => (FAR, condition),
            };
        }
    };
    (code, 0)
}

/// The status of `code`; `far` gives the condition index of [`FAR`].
#[inline]
fn status_of(code: u8, far: impl FnOnce() -> u16) -> TipStatus {
    match code {
        0 => TipStatus::Clear,
        RECOMMENDED_ANSWERED => TipStatus::Recommended(Confidence::Answered),
        RECOMMENDED_QUICK_SCAN => TipStatus::Recommended(Confidence::QuickScan),
        RECOMMENDED_UNANSWERED => TipStatus::Recommended(Confidence::Unanswered),
        TO_ESTABLISH_UNANSWERED => TipStatus::ToEstablish(Unknown::Unanswered),
        TO_ESTABLISH_QUICK_SCAN_ONLY => TipStatus::ToEstablish(Unknown::QuickScanOnly),
        FAR => TipStatus::NotApplicable(far()),
        code => TipStatus::NotApplicable(u16::from(code - NOT_APPLICABLE)),
    }
}

impl Evaluation {
    /// An evaluation for `tip_count` tips with no rule fired and every tip clear, not
    /// recommended, not in place, priority 0: to be filled with the setters.
    pub fn new(tip_count: usize) -> Self {
        Evaluation::sized(tip_count, 0)
    }

    /// An empty evaluation for `tips` tips with room for `rules` fired rules.
    pub(super) fn sized(tips: usize, rules: usize) -> Self {
        let mut evaluation = Evaluation::default();
        evaluation.reset(tips, rules);
        evaluation
    }

    /// How many tips the evaluation is for.
    pub fn tip_count(&self) -> usize {
        self.tips
    }

    /// Every rule that fired, in rule order.
    pub fn fired(&self) -> FiredRules<'_> {
        let (tips, rules) = (words_for(self.tips), words_for(self.rules));
        let start = 3 * tips;
        let bytes = 2 * self.tips;
        FiredRules {
            fired: self.words().get(start..start + rules).unwrap_or_default(),
            unknown: self
                .words()
                .get(start + rules..start + 2 * rules)
                .unwrap_or_default(),
            priorities: self
                .bytes()
                .get(bytes..bytes + rule_bytes(self.rules))
                .unwrap_or_default(),
        }
    }

    /// The recommended tips: those whose status is [`TipStatus::Recommended`].
    pub fn recommended(&self) -> TipSet<'_> {
        self.set(Set::Recommended)
    }

    /// Tips in place: their own maturity answer reaches the `in_place` level, or their
    /// base rule's condition is false (on the quick scan, say); the planner pulls none
    /// of them in.
    pub fn in_place(&self) -> TipSet<'_> {
        self.set(Set::InPlace)
    }

    /// Tips that apply only because the context their conditions read was not given.
    pub fn context_assumed(&self) -> TipSet<'_> {
        self.set(Set::ContextAssumed)
    }

    /// Per tip (by index), the highest priority of the rules recommending it plus what
    /// raising rules add, clamped to 0–100, for a recommended tip; 0 for every other.
    pub fn tip_priority(&self) -> &[u8] {
        self.bytes().get(..self.tips).unwrap_or_default()
    }

    /// Per tip, where it stands.
    pub fn status(&self) -> Statuses<'_> {
        let codes = self.bytes().get(self.tips..2 * self.tips);
        Statuses {
            codes: codes.unwrap_or_default(),
            far: &self.far,
        }
    }

    /// The recommended tips, in catalogue order.
    pub fn recommended_tips(&self) -> impl Iterator<Item = TipIndex> + '_ {
        self.recommended()
            .ones()
            .map(|tip| TipIndex::new(u32::try_from(tip).unwrap_or(u32::MAX)))
    }

    /// Records a fired rule. The fired rules are kept in rule order, whatever the order
    /// they are recorded in; recording a rule again replaces its priority.
    pub fn push_fired(&mut self, fired: FiredRule) {
        let rule = fired.rule.index();
        if rule >= self.rules {
            self.grow_rules(rule + 1);
        }
        let (word, mask) = (rule / WORD_BITS, 1 << (rule % WORD_BITS));
        let start = 3 * words_for(self.tips);
        let rules = words_for(self.rules);
        if let Some(bits) = self.words_mut().get_mut(start + word) {
            *bits |= mask;
        }
        if let Some(unknown) = self.words_mut().get_mut(start + rules + word) {
            *unknown = match fired.priority_known {
                true => *unknown & !mask,
                false => *unknown | mask,
            };
        }
        let at = 2 * self.tips + rule;
        if let Some(priority) = self.bytes_mut().get_mut(at) {
            *priority = fired.priority;
        }
    }

    /// Sets where `tip` stands; a tip past [`Evaluation::tip_count`] is ignored.
    pub fn set_status(&mut self, tip: TipIndex, status: TipStatus) {
        self.write_status(tip.index(), status);
    }

    /// Sets the priority of `tip`; a tip past [`Evaluation::tip_count`] is ignored.
    pub fn set_tip_priority(&mut self, tip: TipIndex, priority: u8) {
        if let Some(slot) = self.tip_priority_mut().get_mut(tip.index()) {
            *slot = priority;
        }
    }

    /// Puts `tip` in the recommended tips or takes it out (its status is set apart).
    pub fn set_recommended(&mut self, tip: TipIndex, recommended: bool) {
        self.set_bit(Set::Recommended, tip.index(), recommended);
    }

    /// Puts `tip` in the tips in place or takes it out.
    pub fn set_in_place(&mut self, tip: TipIndex, in_place: bool) {
        self.set_bit(Set::InPlace, tip.index(), in_place);
    }

    /// Puts `tip` in the tips whose context was assumed or takes it out.
    pub fn set_context_assumed(&mut self, tip: TipIndex, assumed: bool) {
        self.set_bit(Set::ContextAssumed, tip.index(), assumed);
    }

    /// Empties the evaluation for `tip_count` tips and room for `rules` fired rules,
    /// keeping its buffers: nothing fired, every bit and priority 0, every tip clear
    /// (the rules' priorities and the far indices are read only where a fired bit or a
    /// status code says so, so they stay).
    #[inline]
    pub(super) fn reset(&mut self, tip_count: usize, rules: usize) {
        if self.tips == tip_count && self.rules == rules {
            // The words, then the tips' priorities and statuses: one run of zeros.
            let written = self.split + (2 * tip_count).div_ceil(WORD_BYTES);
            if let Some(written) = self.buffer.get_mut(..written) {
                written.fill(0);
            }
            return;
        }
        if self.tips != tip_count {
            self.far = Box::default();
        }
        self.tips = tip_count;
        self.rules = rules;
        self.split = 3 * words_for(tip_count) + 2 * words_for(rules);
        let bytes = 2 * tip_count + rule_bytes(rules);
        zeroed(&mut self.buffer, self.split + bytes.div_ceil(WORD_BYTES));
    }

    /// Makes room for `rules` fired rules, keeping everything recorded.
    fn grow_rules(&mut self, rules: usize) {
        let mut grown = Evaluation::sized(self.tips, rules);
        let sets = 3 * words_for(self.tips);
        copy_prefix(grown.words_mut(), self.words().get(..sets));
        let fired = self.fired();
        let (fired, unknown, priorities) = (fired.fired, fired.unknown, fired.priorities);
        let old_rules = words_for(self.rules);
        let new_rules = words_for(rules);
        copy_prefix(
            grown.words_mut().get_mut(sets..).unwrap_or_default(),
            Some(fired),
        );
        let unknown_start = sets + new_rules;
        copy_prefix(
            grown
                .words_mut()
                .get_mut(unknown_start..)
                .unwrap_or_default(),
            Some(unknown.get(..old_rules).unwrap_or_default()),
        );
        let tips = 2 * self.tips;
        copy_prefix(grown.bytes_mut(), self.bytes().get(..tips));
        copy_prefix(
            grown.bytes_mut().get_mut(tips..).unwrap_or_default(),
            Some(priorities),
        );
        grown.far = std::mem::take(&mut self.far);
        *self = grown;
    }

    /// The tips' priorities, to write.
    #[inline]
    pub(super) fn tip_priority_mut(&mut self) -> &mut [u8] {
        let tips = self.tips;
        self.bytes_mut().get_mut(..tips).unwrap_or_default()
    }

    /// Sets the priority of fired rule `rule` (nothing past the rules it has room for).
    #[inline]
    pub(super) fn set_rule_priority(&mut self, rule: usize, priority: u8) {
        if rule >= self.rules {
            return;
        }
        let at = 2 * self.tips + rule;
        if let Some(slot) = self.bytes_mut().get_mut(at) {
            *slot = priority;
        }
    }

    /// Word `index` of `set` (0 past its end).
    #[inline]
    pub(super) fn word(&self, set: Set, index: usize) -> usize {
        let words = words_for(self.tips);
        match index < words {
            true => self.words().get(set as usize * words + index).copied(),
            false => None,
        }
        .unwrap_or(0)
    }

    /// Replaces word `index` of `set` (nothing past its end).
    #[inline]
    pub(super) fn set_word(&mut self, set: Set, index: usize, word: usize) {
        let words = words_for(self.tips);
        if index < words {
            if let Some(slot) = self.words_mut().get_mut(set as usize * words + index) {
                *slot = word;
            }
        }
    }

    /// Writes where tip `tip` stands (nothing past the last tip).
    #[inline]
    pub(super) fn write_status(&mut self, tip: usize, status: TipStatus) {
        if tip >= self.tips {
            return;
        }
        let (code, far) = status_code(status);
        let at = self.tips + tip;
        if let Some(slot) = self.bytes_mut().get_mut(at) {
            *slot = code;
        }
        if code == FAR {
            keep_far(&mut self.far, self.tips, tip, far);
        }
    }

    /// The buffers split into the parts the evaluators write, each exactly as long as
    /// the evaluation's tips or rules need, so that their writes find their byte or
    /// word with one bounds check and no offset.
    #[inline]
    pub(super) fn row_parts(&mut self) -> RowParts<'_> {
        let words = words_for(self.tips);
        let rules = words_for(self.rules);
        let (tips, rule_count) = (self.tips, rule_bytes(self.rules));
        let (all_words, all_bytes) = halves(&mut self.buffer, self.split);
        let (recommended, rest) = split_at_most(all_words, words);
        let (in_place, rest) = split_at_most(rest, words);
        let (context_assumed, rest) = split_at_most(rest, words);
        let (fired, rest) = split_at_most(rest, rules);
        let (priority_unknown, _) = split_at_most(rest, rules);
        let (priorities, rest) = split_at_most(all_bytes, tips);
        let (codes, rest) = split_at_most(rest, tips);
        let (rule_priorities, _) = split_at_most(rest, rule_count);
        let far = &mut self.far;
        RowParts {
            fired,
            priority_unknown,
            rule_priorities,
            recommended,
            in_place,
            context_assumed,
            priorities,
            statuses: StatusWriter {
                codes,
                far,
                first: 0,
                tips,
            },
        }
    }

    /// The words: the tip bitsets, the fired rules, the fired rules whose priority is
    /// unknown.
    #[inline]
    fn words(&self) -> &[usize] {
        self.buffer.get(..self.split).unwrap_or_default()
    }

    /// The bytes: the tips' priorities and statuses, the rules' priorities (and up to a
    /// word's worth of padding).
    #[inline]
    fn bytes(&self) -> &[u8] {
        self.buffer.get(self.split..).unwrap_or_default().as_bytes()
    }

    /// The words, to write.
    #[inline]
    fn words_mut(&mut self) -> &mut [usize] {
        self.buffer.get_mut(..self.split).unwrap_or_default()
    }

    /// The bytes, to write.
    #[inline]
    fn bytes_mut(&mut self) -> &mut [u8] {
        self.buffer
            .get_mut(self.split..)
            .unwrap_or_default()
            .as_mut_bytes()
    }

    fn set(&self, set: Set) -> TipSet<'_> {
        let words = words_for(self.tips);
        let start = set as usize * words;
        TipSet {
            words: self.words().get(start..start + words).unwrap_or_default(),
            len: self.tips,
        }
    }

    fn set_bit(&mut self, set: Set, tip: usize, value: bool) {
        if tip >= self.tips {
            return;
        }
        let index = tip / WORD_BITS;
        let mask = 1 << (tip % WORD_BITS);
        let word = self.word(set, index);
        self.set_word(set, index, if value { word | mask } else { word & !mask });
    }
}

/// `buffer`'s words before `split`, and the rest as bytes.
#[inline]
fn halves(buffer: &mut [usize], split: usize) -> (&mut [usize], &mut [u8]) {
    let (words, bytes) = split_at_most(buffer, split);
    (words, bytes.as_mut_bytes())
}

/// Copies `from` (nothing for `None`) to the start of `to`, as far as both reach.
fn copy_prefix<T: Copy>(to: &mut [T], from: Option<&[T]>) {
    let from = from.unwrap_or_default();
    let len = from.len().min(to.len());
    if let (Some(to), Some(from)) = (to.get_mut(..len), from.get(..len)) {
        to.copy_from_slice(from);
    }
}

/// `slice` split after `len` elements (after all of them where it is shorter).
#[inline]
fn split_at_most<T>(slice: &mut [T], len: usize) -> (&mut [T], &mut [T]) {
    slice.split_at_mut(len.min(slice.len()))
}

/// An evaluation's buffers as the evaluators write them ([`Evaluation::row_parts`]):
/// the fired rules' words, their priorities, the words of each tip bitset, a priority
/// byte per tip and the statuses.
pub(super) struct RowParts<'e> {
    /// The fired rules, a bit per rule.
    pub fired: &'e mut [usize],
    /// The fired rules whose priority is unknown, a bit per rule.
    pub priority_unknown: &'e mut [usize],
    /// A priority per rule, read only where the rule fired.
    pub rule_priorities: &'e mut [u8],
    /// The recommended tips' words.
    pub recommended: &'e mut [usize],
    /// The words of the tips in place.
    pub in_place: &'e mut [usize],
    /// The words of the tips whose context was assumed.
    pub context_assumed: &'e mut [usize],
    /// A priority per tip.
    pub priorities: &'e mut [u8],
    /// A status per tip.
    pub statuses: StatusWriter<'e>,
}

impl RowParts<'_> {
    /// Writes that the tips `first..first + 64` marked in `recommended` are recommended,
    /// on their own answer where `answered` (a subset) marks them too, else on the quick
    /// scan, with the priority of their byte in `fixed`; every other tip of the 64 keeps
    /// its status and gets priority 0 (what an evaluation being written holds). Eight
    /// tips at a time: each tip's bit spread to a byte, its code and priority a few
    /// word operations per eight tips; the last tips, fewer than eight, from the same
    /// words a byte at a time. A recommended tip's status was clear before.
    #[inline]
    pub fn recommend_group(&mut self, first: usize, words: (u64, u64), fixed: &[u8; 64]) {
        let (mut recommended, mut answered) = words;
        let codes = self.statuses.codes.get_mut(first..).unwrap_or_default();
        let priorities = self.priorities.get_mut(first..).unwrap_or_default();
        let len = codes.len().min(priorities.len()).min(fixed.len());
        let codes = codes.get_mut(..len).unwrap_or_default();
        let priorities = priorities.get_mut(..len).unwrap_or_default();
        let full = len - len % 8;
        let (codes, code_rest) = split_at_most(codes, full);
        let (priorities, priority_rest) = split_at_most(priorities, full);
        // The whole eighths as arrays of eight bytes (`as_chunks` is newer than the
        // crate's minimum Rust).
        let code_eights = <[[u8; 8]]>::mut_from_bytes(codes).unwrap_or_default();
        let priority_eights = <[[u8; 8]]>::mut_from_bytes(priorities).unwrap_or_default();
        let fixed_eights = <[[u8; 8]]>::ref_from_bytes(fixed.as_slice()).unwrap_or_default();
        let eights = code_eights
            .iter_mut()
            .zip(priority_eights)
            .zip(fixed_eights);
        // Without quick scans every recommended tip is recommended on its own answer:
        // one code per tip, the loop the compiler keeps apart from the general one.
        let all_answered = answered == recommended;
        for ((codes, priorities), fixed) in eights {
            let (recommend, mask) = recommend_eight((recommended, answered), all_answered);
            (recommended, answered) = (recommended >> 8, answered >> 8);
            *codes = (u64::from_le_bytes(*codes) | recommend).to_le_bytes();
            *priorities = (u64::from_le_bytes(*fixed) & mask).to_le_bytes();
        }
        let (recommend, mask) = recommend_eight((recommended, answered), all_answered);
        let words = recommend.to_le_bytes().into_iter().zip(mask.to_le_bytes());
        let fixed_rest = fixed.get(full..).unwrap_or_default();
        let rest = code_rest.iter_mut().zip(priority_rest).zip(fixed_rest);
        for (((code, priority), &fixed), (recommend, mask)) in rest.zip(words) {
            *code |= recommend;
            *priority = fixed & mask;
        }
    }
}

/// The status codes and the priority mask of the lowest eight tips of `recommended`,
/// on their own answer where `answered` (a subset) marks them too, else on the quick
/// scan: byte `i` of the codes is tip `i`'s code (0 where it is not recommended), of
/// the mask all ones where it is recommended. `all_answered` says `answered` is
/// `recommended` (no quick scans): one code per tip.
#[inline]
fn recommend_eight((recommended, answered): (u64, u64), all_answered: bool) -> (u64, u64) {
    const _: () = assert!(RECOMMENDED_QUICK_SCAN - 1 == RECOMMENDED_ANSWERED);
    let (chosen, mask) = spread(recommended as u8);
    let codes = match all_answered {
        true => chosen * u64::from(RECOMMENDED_ANSWERED),
        // 2 per recommended tip, 1 less on its own answer: no byte borrows.
        false => chosen * u64::from(RECOMMENDED_QUICK_SCAN) - spread(answered as u8).0,
    };
    (codes, mask)
}

/// Byte `i` of the first word is bit `i` of `bits` (0 or 1), and byte `i` of the
/// second all ones where that bit is set, for each of the eight.
#[expect(
    clippy::indexing_slicing,
    reason = "a u8 indexes a table of 256 entries in bounds"
)]
fn spread(bits: u8) -> (u64, u64) {
    SPREAD[usize::from(bits)]
}

/// [`spread`] of every byte, a table the compiler computes.
#[expect(
    clippy::indexing_slicing,
    reason = "a constant: the indices stay below 256 and 8, and an index out of bounds would not compile"
)]
const SPREAD: [(u64, u64); 256] = {
    let mut table = [(0, 0); 256];
    let mut bits = 0;
    while bits < 256 {
        let mut bit = 0;
        while bit < 8 {
            let set = (bits as u64 >> bit) & 1;
            table[bits].0 |= set << (8 * bit);
            table[bits].1 |= (set * 0xFF) << (8 * bit);
            bit += 1;
        }
        bits += 1;
    }
    table
};

/// The status codes of a run of tips, and the evaluation's far indices, to write.
pub(super) struct StatusWriter<'e> {
    /// A status code per tip of the run.
    codes: &'e mut [u8],
    /// The evaluation's far indices (empty until one is written).
    far: &'e mut Box<[u16]>,
    /// The evaluation's tip the run starts at.
    first: usize,
    /// The evaluation's tips, as many as the far indices take.
    tips: usize,
}

impl StatusWriter<'_> {
    /// The writer of the run of `len` tips from the run's tip `first` on (shorter where
    /// the run ends).
    #[inline]
    pub fn block(&mut self, first: usize, len: usize) -> StatusWriter<'_> {
        let codes = self.codes.get_mut(first..).unwrap_or_default();
        let len = len.min(codes.len());
        StatusWriter {
            codes: codes.get_mut(..len).unwrap_or_default(),
            far: self.far,
            first: self.first + first,
            tips: self.tips,
        }
    }

    /// Writes where tip `tip` of the run stands (nothing past its end).
    #[inline]
    pub fn write(&mut self, tip: usize, status: TipStatus) {
        let (code, far) = status_code(status);
        if let Some(slot) = self.codes.get_mut(tip) {
            *slot = code;
        }
        if code == FAR {
            keep_far(self.far, self.tips, self.first + tip, far);
        }
    }
}

/// Keeps `index`, the condition index of tip `tip`'s far status, in `far`, the far
/// indices of an evaluation of `tips` tips, allocating them at the first.
#[cold]
fn keep_far(far: &mut Box<[u16]>, tips: usize, tip: usize, index: u16) {
    if far.is_empty() {
        *far = vec![0; tips].into_boxed_slice();
    }
    if let Some(slot) = far.get_mut(tip) {
        *slot = index;
    }
}

impl PartialEq for Evaluation {
    fn eq(&self, other: &Self) -> bool {
        self.tips == other.tips
            && self.fired().iter().eq(other.fired().iter())
            && self.recommended() == other.recommended()
            && self.in_place() == other.in_place()
            && self.context_assumed() == other.context_assumed()
            && self.tip_priority() == other.tip_priority()
            && self.status().iter().eq(other.status().iter())
    }
}

impl fmt::Debug for Evaluation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Evaluation")
            .field("fired", &self.fired())
            .field("recommended", &self.recommended())
            .field("tip_priority", &self.tip_priority())
            .field("in_place", &self.in_place())
            .field("status", &self.status())
            .field("context_assumed", &self.context_assumed())
            .finish()
    }
}

/// The rules that fired in an evaluation, in rule order ([`Evaluation::fired`]): a bit
/// per rule, with the fired rules' priorities.
#[derive(Clone, Copy)]
pub struct FiredRules<'a> {
    /// A bit per rule: it fired.
    fired: &'a [usize],
    /// A bit per rule: it fired and its priority is unknown.
    unknown: &'a [usize],
    /// A priority per rule, read where it fired.
    priorities: &'a [u8],
}

impl<'a> FiredRules<'a> {
    /// How many rules fired.
    pub fn len(&self) -> usize {
        self.fired
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }

    /// Whether no rule fired.
    pub fn is_empty(&self) -> bool {
        self.fired.iter().all(|&word| word == 0)
    }

    /// Rule `rule` with its priority, if it fired: one bit and one byte read, so a
    /// caller that asks about a few rules need not walk every fired one.
    #[inline]
    pub fn get(&self, rule: RuleIndex) -> Option<FiredRule> {
        let (word, bit) = (rule.index() / WORD_BITS, rule.index() % WORD_BITS);
        if (self.fired.get(word)? >> bit) & 1 == 0 {
            return None;
        }
        let unknown = self.unknown.get(word).is_some_and(|&w| (w >> bit) & 1 == 1);
        Some(FiredRule {
            rule,
            priority: self.priorities.get(rule.index()).copied().unwrap_or(0),
            priority_known: !unknown,
        })
    }

    /// The fired rules with their priorities, in rule order.
    pub fn iter(&self) -> FiredIter<'a> {
        let words = self.fired.iter().zip(self.unknown);
        FiredIter {
            words: words.zip(self.priorities.chunks_exact(WORD_BITS)),
            next_base: 0,
            base: 0,
            word: 0,
            unknown: 0,
            priorities: &NO_PRIORITIES,
        }
    }
}

/// The priorities of a word of rules none of which fired.
static NO_PRIORITIES: [u8; WORD_BITS] = [0; WORD_BITS];

impl<'a> IntoIterator for FiredRules<'a> {
    type Item = FiredRule;
    type IntoIter = FiredIter<'a>;

    fn into_iter(self) -> FiredIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &FiredRules<'a> {
    type Item = FiredRule;
    type IntoIter = FiredIter<'a>;

    fn into_iter(self) -> FiredIter<'a> {
        self.iter()
    }
}

impl PartialEq for FiredRules<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl fmt::Debug for FiredRules<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_list().entries(self.iter()).finish()
    }
}

/// The words of the fired rules, of those whose priority is unknown, and the rules'
/// priorities a word at a time.
type Words<'a> = std::iter::Zip<
    std::iter::Zip<std::slice::Iter<'a, usize>, std::slice::Iter<'a, usize>>,
    std::slice::ChunksExact<'a, u8>,
>;

/// The fired rules of an evaluation, in rule order ([`FiredRules::iter`]).
#[derive(Debug, Clone)]
pub struct FiredIter<'a> {
    /// The words not read yet.
    words: Words<'a>,
    /// The first rule of the next word.
    next_base: usize,
    /// The first rule of the word being read.
    base: usize,
    /// Its fired bits not read yet.
    word: usize,
    /// Its bits of the rules whose priority is unknown.
    unknown: usize,
    /// Its rules' priorities.
    priorities: &'a [u8; WORD_BITS],
}

impl Iterator for FiredIter<'_> {
    type Item = FiredRule;

    #[inline]
    fn next(&mut self) -> Option<FiredRule> {
        while self.word == 0 {
            let ((&word, &unknown), priorities) = self.words.next()?;
            self.base = self.next_base;
            self.next_base += WORD_BITS;
            self.word = word;
            self.unknown = unknown;
            self.priorities = priorities.try_into().unwrap_or(&NO_PRIORITIES);
        }
        let bit = self.word.trailing_zeros() as usize % WORD_BITS;
        self.word &= self.word - 1;
        Some(FiredRule {
            rule: RuleIndex::new(u32::try_from(self.base + bit).unwrap_or(u32::MAX)),
            priority: self.priorities.get(bit).copied().unwrap_or(0),
            priority_known: (self.unknown >> bit) & 1 == 0,
        })
    }
}

/// A set of tips of an evaluation, a bit per tip (as `FixedBitSet` keeps them).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TipSet<'a> {
    words: &'a [usize],
    len: usize,
}

impl<'a> TipSet<'a> {
    /// How many tips the set ranges over (the evaluation's tips), not how many it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set ranges over no tip at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether tip index `tip` is in the set (false past the last tip).
    #[inline]
    pub fn contains(&self, tip: usize) -> bool {
        let word = self.words.get(tip / WORD_BITS).copied().unwrap_or(0);
        (word >> (tip % WORD_BITS)) & 1 == 1
    }

    /// How many tips the set holds.
    pub fn count(&self) -> usize {
        self.words
            .iter()
            .map(|word| word.count_ones() as usize)
            .sum()
    }

    /// The tip indices in the set, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + 'a {
        self.words.iter().enumerate().flat_map(|(index, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                let bit = word.trailing_zeros() as usize;
                word &= word.wrapping_sub(1);
                (bit < WORD_BITS).then_some(index * WORD_BITS + bit)
            })
        })
    }

    /// The set's words, tip `i` at bit `i % usize::BITS` of word `i / usize::BITS`,
    /// as `FixedBitSet::as_slice` gives them.
    pub fn as_slice(&self) -> &'a [usize] {
        self.words
    }
}

impl fmt::Debug for TipSet<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_set().entries(self.ones()).finish()
    }
}

/// Where each tip of an evaluation stands, by tip index.
#[derive(Clone, Copy)]
pub struct Statuses<'a> {
    codes: &'a [u8],
    far: &'a [u16],
}

impl<'a> Statuses<'a> {
    /// How many tips there are.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether there is no tip.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Where tip index `tip` stands (`None` past the last tip).
    #[inline]
    pub fn get(&self, tip: usize) -> Option<TipStatus> {
        let code = *self.codes.get(tip)?;
        Some(status_of(code, || self.far_index(tip)))
    }

    /// Every tip's status, in tip order.
    pub fn iter(&self) -> StatusIter<'a> {
        StatusIter {
            statuses: *self,
            next: 0,
        }
    }

    fn far_index(&self, tip: usize) -> u16 {
        self.far.get(tip).copied().unwrap_or(0)
    }
}

impl<'a> IntoIterator for Statuses<'a> {
    type Item = TipStatus;
    type IntoIter = StatusIter<'a>;

    fn into_iter(self) -> StatusIter<'a> {
        self.iter()
    }
}

/// The statuses of an evaluation's tips, in tip order ([`Statuses::iter`]).
#[derive(Debug, Clone)]
pub struct StatusIter<'a> {
    statuses: Statuses<'a>,
    next: usize,
}

impl Iterator for StatusIter<'_> {
    type Item = TipStatus;

    fn next(&mut self) -> Option<TipStatus> {
        let status = self.statuses.get(self.next)?;
        self.next += 1;
        Some(status)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.statuses.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for StatusIter<'_> {}

impl fmt::Debug for Statuses<'_> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Evaluation, FiredRule};
    use crate::eval::{Confidence, TipStatus, Unknown};
    use crate::ruleset::{RuleIndex, TipIndex};

    fn any_status() -> impl Strategy<Value = TipStatus> {
        prop_oneof![
            Just(TipStatus::Clear),
            Just(TipStatus::Recommended(Confidence::Answered)),
            Just(TipStatus::Recommended(Confidence::QuickScan)),
            Just(TipStatus::Recommended(Confidence::Unanswered)),
            Just(TipStatus::ToEstablish(Unknown::Unanswered)),
            Just(TipStatus::ToEstablish(Unknown::QuickScanOnly)),
            (0u16..300).prop_map(TipStatus::NotApplicable),
            any::<u16>().prop_map(TipStatus::NotApplicable),
        ]
    }

    proptest! {
        /// Every status set is the status read back, whatever the tip was before, and
        /// the other tips stay as they were.
        #[test]
        fn a_status_set_is_the_status_read(
            statuses in prop::collection::vec((any_status(), any_status()), 1..200),
        ) {
            let mut evaluation = Evaluation::new(statuses.len());
            for (index, &(before, _)) in statuses.iter().enumerate() {
                evaluation.set_status(TipIndex::new(index as u32), before);
            }
            for (index, &(_, after)) in statuses.iter().enumerate().step_by(2) {
                evaluation.set_status(TipIndex::new(index as u32), after);
            }
            let read: Vec<TipStatus> = evaluation.status().iter().collect();
            let expected: Vec<TipStatus> = statuses
                .iter()
                .enumerate()
                .map(|(index, &(before, after))| if index % 2 == 0 { after } else { before })
                .collect();
            prop_assert_eq!(read, expected);
            prop_assert_eq!(evaluation.status().len(), statuses.len());
        }

        /// A status written through the writer of a run of tips lands on its tip of the
        /// evaluation, far ones included, and a tip past the run (or past the last
        /// tip) is written nowhere.
        #[test]
        fn a_block_writer_writes_its_own_tips(
            tips in 1usize..200,
            first in 0usize..200,
            len in 0usize..80,
            offset in 0usize..80,
            writes in prop::collection::vec(any_status(), 1..4),
        ) {
            let mut evaluation = Evaluation::new(tips);
            let mut expected = vec![TipStatus::Clear; tips];
            for &status in &writes {
                evaluation.row_parts().statuses.block(first, len).write(offset, status);
                let tip = first + offset;
                if offset < len && tip < tips {
                    expected[tip] = status;
                }
            }
            let read: Vec<TipStatus> = evaluation.status().iter().collect();
            prop_assert_eq!(read, expected);
        }

        /// A reset evaluation equals a new one, whatever it held and for whatever tip
        /// count (its far condition indices left behind included).
        #[test]
        fn a_reset_evaluation_equals_a_new_one(
            before in 0usize..200,
            after in 0usize..200,
            far in 249u16..,
        ) {
            let mut evaluation = Evaluation::new(before);
            for index in 0..before {
                let tip = TipIndex::new(index as u32);
                evaluation.set_status(tip, TipStatus::NotApplicable(far));
                evaluation.set_recommended(tip, true);
                evaluation.set_in_place(tip, index % 3 == 0);
                evaluation.set_context_assumed(tip, true);
                evaluation.set_tip_priority(tip, 7);
            }
            evaluation.push_fired(FiredRule {
                rule: RuleIndex::new(0),
                priority: 1,
                priority_known: true,
            });
            evaluation.reset(after, 0);
            prop_assert_eq!(&evaluation, &Evaluation::new(after));
            prop_assert!(evaluation.status().iter().all(|status| status == TipStatus::Clear));
        }
    }

    proptest! {
        /// Recommending a group of tips gives each chosen tip its recommended status
        /// (on its own answer or on the quick scan) and its fixed priority, leaves the
        /// other statuses as they were with priority 0, and writes nothing past the
        /// last tip or the group.
        #[test]
        fn recommending_a_group_sets_each_chosen_tip(
            before in prop::collection::vec(any_status(), 1..150),
            first in 0usize..150,
            chosen in any::<u64>(),
            on_answer in any::<u64>(),
            fixed in prop::collection::vec(any::<u8>(), 64),
        ) {
            let mut evaluation = Evaluation::new(before.len());
            let group = |tip: usize| tip.checked_sub(first).filter(|&bit| bit < 64);
            let is_chosen = |tip: usize| group(tip).is_some_and(|bit| (chosen >> bit) & 1 == 1);
            let mut statuses = Vec::new();
            let mut priorities = Vec::new();
            for (tip, &status) in before.iter().enumerate() {
                // A chosen tip was clear before, as in every evaluation that writes them.
                let status = if is_chosen(tip) { TipStatus::Clear } else { status };
                evaluation.set_status(TipIndex::new(tip as u32), status);
                evaluation.set_tip_priority(TipIndex::new(tip as u32), 7);
                statuses.push(match group(tip) {
                    Some(bit) if is_chosen(tip) => match (on_answer >> bit) & 1 {
                        1 => TipStatus::Recommended(Confidence::Answered),
                        _ => TipStatus::Recommended(Confidence::QuickScan),
                    },
                    _ => status,
                });
                priorities.push(match group(tip) {
                    Some(bit) if is_chosen(tip) => fixed[bit],
                    Some(_) => 0,
                    None => 7,
                });
            }
            let fixed: [u8; 64] = fixed.try_into().unwrap();
            evaluation
                .row_parts()
                .recommend_group(first, (chosen, on_answer & chosen), &fixed);
            let read: Vec<TipStatus> = evaluation.status().iter().collect();
            prop_assert_eq!(read, statuses);
            prop_assert_eq!(evaluation.tip_priority(), &priorities[..]);
        }
    }

    proptest! {
        /// The fired rules read back in rule order, each with the priority recorded
        /// last, whatever the order they were recorded in and however far past the
        /// rules the evaluation had room for; `get` finds exactly the rules the walk
        /// yields; the tips are untouched.
        #[test]
        fn fired_rules_read_back_in_rule_order(
            room in 0usize..200,
            pushes in prop::collection::vec((0u32..300, any::<u8>(), any::<bool>()), 0..60),
        ) {
            let mut evaluation = Evaluation::sized(7, room);
            evaluation.set_recommended(TipIndex::new(3), true);
            evaluation.set_tip_priority(TipIndex::new(3), 9);
            evaluation.set_status(TipIndex::new(5), TipStatus::NotApplicable(1000));
            let mut expected = std::collections::BTreeMap::new();
            for &(rule, priority, priority_known) in &pushes {
                let fired = FiredRule { rule: RuleIndex::new(rule), priority, priority_known };
                evaluation.push_fired(fired);
                expected.insert(rule, fired);
            }
            let read: Vec<FiredRule> = evaluation.fired().iter().collect();
            let expected: Vec<FiredRule> = expected.into_values().collect();
            prop_assert_eq!(&read, &expected);
            prop_assert_eq!(evaluation.fired().len(), expected.len());
            prop_assert_eq!(evaluation.fired().is_empty(), expected.is_empty());
            let by_ref: Vec<FiredRule> = (&evaluation.fired()).into_iter().collect();
            prop_assert_eq!(by_ref, read.clone());
            for rule in 0..310 {
                let rule = RuleIndex::new(rule);
                let found = read.iter().find(|fired| fired.rule == rule).copied();
                prop_assert_eq!(evaluation.fired().get(rule), found);
            }
            prop_assert_eq!(evaluation.recommended().ones().collect::<Vec<_>>(), [3]);
            prop_assert_eq!(evaluation.tip_priority()[3], 9);
            prop_assert_eq!(evaluation.status().get(5), Some(TipStatus::NotApplicable(1000)));
            prop_assert_eq!(evaluation.status().len(), 7);
        }
    }

    #[test]
    fn spreading_puts_bit_i_in_byte_i() {
        for bits in 0..=u8::MAX {
            let (ones, masks) = super::spread(bits);
            let pairs = ones.to_le_bytes().into_iter().zip(masks.to_le_bytes());
            for (bit, (one, mask)) in pairs.enumerate() {
                assert_eq!(one, (bits >> bit) & 1, "bits {bits:#010b}, byte {bit}");
                assert_eq!(mask, one * 0xFF, "bits {bits:#010b}, byte {bit}");
            }
        }
    }

    #[test]
    fn tip_sets_read_like_bitsets() {
        let mut evaluation = Evaluation::new(130);
        for index in [0, 63, 64, 129] {
            evaluation.set_recommended(TipIndex::new(index), true);
        }
        evaluation.set_recommended(TipIndex::new(130), true);
        let recommended = evaluation.recommended();
        assert_eq!(recommended.ones().collect::<Vec<_>>(), [0, 63, 64, 129]);
        assert_eq!(recommended.count(), 4);
        assert!(recommended.contains(64) && !recommended.contains(65));
        assert!(!recommended.contains(130) && !recommended.contains(10_000));
        assert_eq!(recommended.len(), 130);
        assert_eq!(
            recommended.as_slice().len(),
            130usize.div_ceil(usize::BITS as usize)
        );
        assert_eq!(evaluation.in_place().count(), 0);
        let tips: Vec<usize> = evaluation
            .recommended_tips()
            .map(|tip| tip.index())
            .collect();
        assert_eq!(tips, [0, 63, 64, 129]);
        evaluation.set_recommended(TipIndex::new(63), false);
        assert_eq!(evaluation.recommended().count(), 3);
        assert_eq!(format!("{:?}", evaluation.recommended()), "{0, 64, 129}");
    }
}
