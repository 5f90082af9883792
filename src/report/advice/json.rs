//! The advice streamed straight to a writer as compact JSON, byte for byte what its
//! `serde` form gives through `serde_json::to_writer`, without building a value tree.
//! Everything is appended to a `Vec<u8>` (an advice is tens of kilobytes), so each
//! small piece is a copy into the buffer rather than a call through `io::Write`.

use std::cell::RefCell;
use std::io::{self, Write};

use super::json_ids::{IdKind, JsonIds, PlainTip, SMALL_ANSWERS};
use super::serde_impl::{whole, AnswerJson};
use super::{
    Advice, AdvisedHandoff, AdvisedTip, NotApplicable, ScanFirst, SectionResult, ToEstablish,
};
use crate::eval::{Confidence, Unknown};
use crate::ruleset::{RuleSetInfo, TipIndex};

thread_local! {
    /// The buffer [`Advice::write_json`] renders into before one write to its writer.
    static JSON: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The buffer a tip's Dutch text is written into before it goes into the JSON.
    static TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

impl Advice<'_> {
    /// Writes the advice as one line of compact JSON (no line feed), the same bytes as
    /// `serde_json::to_writer` of the advice, in one `write_all`.
    pub fn write_json<W: Write>(&self, out: &mut W) -> io::Result<()> {
        JSON.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buffer) => {
                buffer.clear();
                self.append_json(&mut buffer);
                out.write_all(&buffer)
            }
            Err(_) => {
                let mut buffer = Vec::new();
                self.append_json(&mut buffer);
                out.write_all(&buffer)
            }
        })
    }

    /// Appends the advice to `out` as one line of compact JSON (no line feed): the bytes
    /// of [`Advice::write_json`], rendered in place rather than into a buffer of the
    /// thread's and then copied, and with no I/O error to handle.
    pub fn append_json(&self, out: &mut Vec<u8>) {
        TEXT.with(|text| match text.try_borrow_mut() {
            Ok(mut text) => self.append_json_with(out, &mut text),
            Err(_) => self.append_json_with(out, &mut String::new()),
        });
    }

    /// [`Advice::append_json`] with a buffer for the tips' texts.
    fn append_json_with(&self, out: &mut Vec<u8>, text: &mut String) {
        JsonIds::with(self.ruleset, |ids| self.write_with_ids(out, ids, text));
    }

    /// [`Advice::append_json`] with the rule set's ids rendered once.
    fn write_with_ids(&self, out: &mut Vec<u8>, ids: &mut JsonIds, text: &mut String) {
        out.extend_from_slice(b"{\"schema_version\":");
        integer(out, u64::from(self.schema_version));
        out.extend_from_slice(b",\"ruleset\":");
        ruleset(out, self.ruleset);
        out.extend_from_slice(b",\"programme\":");
        string(out, &self.programme);
        if !self.meta.is_empty() {
            out.extend_from_slice(b",\"meta\":");
            // Into memory, with string keys: cannot fail.
            let _ = serde_json::to_writer(&mut *out, &self.meta);
        }
        if let Some(profile) = self.profile {
            out.extend_from_slice(b",\"profile\":");
            string(out, profile);
        }
        if !self.comments.is_empty() {
            out.extend_from_slice(b",\"comments\":");
            let _ = serde_json::to_writer(&mut *out, &self.comments);
        }
        self.write_answers(out, ids);
        out.extend_from_slice(b",\"sections\":");
        members(out, ARRAY, |out| {
            for entry in &self.sections {
                section(out, ids, entry);
            }
        });
        out.extend_from_slice(b",\"focus\":");
        list(out, &self.focus, |out, id| string(out, id));
        out.extend_from_slice(b",\"tips\":");
        members(out, ARRAY, |out| {
            for advised in &self.tips {
                self.tip(out, ids, advised, text);
            }
        });
        out.extend_from_slice(b",\"scan_first\":");
        list(out, &self.scan_first, scan_first);
        out.extend_from_slice(b",\"to_establish\":");
        members(out, ARRAY, |out| {
            for entry in &self.to_establish {
                to_establish(out, ids, entry);
            }
        });
        out.extend_from_slice(b",\"not_applicable\":");
        members(out, ARRAY, |out| {
            for entry in &self.not_applicable {
                not_applicable(out, ids, entry);
            }
        });
        out.extend_from_slice(b",\"handoffs\":");
        members(out, ARRAY, |out| {
            for entry in &self.handoffs {
                handoff(out, ids, entry);
            }
        });
        out.extend_from_slice(b",\"warnings\":");
        list(out, &self.warnings(), |out, warning| string(out, warning));
        out.push(b'}');
    }

    fn write_answers(&self, out: &mut Vec<u8>, ids: &mut JsonIds) {
        out.extend_from_slice(b",\"answers\":");
        members(out, OBJECT, |out| {
            for answer in self.answers() {
                let question = answer.index.index();
                let id = &answer.question.id;
                match small_answer(answer.value) {
                    // The same whole number always writes the same JSON for a question
                    // (-0 as 0, like 0): the key and the value are one cached copy.
                    Some(small) => ids.write_small_answer(out, (question, small), id, |out| {
                        answer_value(out, answer.json());
                    }),
                    None => {
                        ids.write(out, IdKind::QuestionKey, question, id);
                        answer_value(out, answer.json());
                    }
                }
            }
        });
    }
}

/// An answer that is a whole number below [`SMALL_ANSWERS`] (a level, yes/no, an
/// early option), as that number.
#[inline]
fn small_answer(value: f64) -> Option<u8> {
    // Saturating: NaN and negative answers become 0, which the comparison then refuses
    // unless the answer is 0 (or -0).
    let small = value as u8;
    (small < SMALL_ANSWERS && f64::from(small) == value).then_some(small)
}

/// An answer's value as JSON.
fn answer_value(out: &mut Vec<u8>, value: AnswerJson<'_>) {
    match value {
        AnswerJson::Number(value) => match whole(value) {
            Some(whole) => signed(out, whole),
            None => float(out, value),
        },
        AnswerJson::Bool(true) => out.extend_from_slice(b"true"),
        AnswerJson::Bool(false) => out.extend_from_slice(b"false"),
        AnswerJson::Option(Some(option)) => string(out, option),
        AnswerJson::Option(None) => out.extend_from_slice(b"null"),
    }
}

fn ruleset(out: &mut Vec<u8>, info: &RuleSetInfo) {
    out.extend_from_slice(b"{\"name\":");
    string(out, &info.name);
    out.extend_from_slice(b",\"version\":");
    string(out, &info.version);
    out.extend_from_slice(b",\"hash\":");
    string(out, &info.hash);
    out.push(b'}');
}

fn section(out: &mut Vec<u8>, ids: &mut JsonIds, section: &SectionResult<'_>) {
    ids.write(out, IdKind::SectionOpen, section.index.index(), section.id);
    match section.mean {
        Some(mean) => hundredths(out, mean),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"answered\":");
    integer(out, u64::from(section.answered));
    match section.quick_scan {
        Some(true) => out.extend_from_slice(b",\"quick_scan\":true"),
        Some(false) => out.extend_from_slice(b",\"quick_scan\":false"),
        None => {}
    }
    out.push(b'}');
}

impl<'r> Advice<'r> {
    /// A plan tip, its texts written into `text` first; the most common shape as one
    /// cached copy ([`PlainTip`]).
    fn tip(&self, out: &mut Vec<u8>, ids: &mut JsonIds, tip: &AdvisedTip<'r>, text: &mut String) {
        let tips = &self.tips;
        if let Some(plain) = self.plain_tip(tip) {
            ids.write_plain_tip(out, plain);
            return;
        }
        ids.write(out, IdKind::TipOpen, tip.index.index(), tip.id);
        cycle_phase_priority(out, tip.cycle, tip.phase, tip.priority);
        match tip.confidence {
            Confidence::Answered => {}
            Confidence::QuickScan => out.extend_from_slice(b",\"confidence\":\"quick_scan\""),
            Confidence::Unanswered => out.extend_from_slice(b",\"confidence\":\"unanswered\""),
        }
        let (rules, answers) = (self.rules(), self.answer_values());
        if tip.has_why_now() {
            text.clear();
            rules.write_why_now(text, tips, tip, (answers, self.evaluation()));
            out.extend_from_slice(b",\"why_now\":");
            string(out, text);
        }
        if let Some(context) = rules.advised_context_assumed(tip, answers) {
            out.extend_from_slice(b",\"context_assumed\":");
            string(out, &context);
        }
        let after = tips.after(tip);
        if !after.is_empty() {
            out.extend_from_slice(b",\"after\":");
            tip_list(out, ids, tips.after_tips(tip), after);
        }
        let pulled_in_by = tips.pulled_in_by(tip);
        if !pulled_in_by.is_empty() {
            out.extend_from_slice(b",\"pulled_in_by\":");
            tip_list(out, ids, tips.pulled_in_by_tips(tip), pulled_in_by);
        }
        out.extend_from_slice(b",\"because\":");
        members(out, OBJECT, |out| {
            for reason in self.because(tip) {
                ids.write(out, IdKind::RuleKey, reason.index.index(), reason.rule);
                priority(out, reason.priority);
            }
        });
        out.push(b'}');
    }
}

impl<'r> Advice<'r> {
    /// The tip as a [`PlainTip`], if it has that shape: answered, no `why_now`, no
    /// assumed context, no links, one reason, a one-digit cycle and phase and two-digit
    /// priorities.
    #[inline]
    fn plain_tip(&self, tip: &AdvisedTip<'r>) -> Option<PlainTip<'r>> {
        let tips = &self.tips;
        let shape = tip.confidence == Confidence::Answered
            && !tip.has_why_now()
            && !tip.assumes_context()
            && tips.after(tip).is_empty()
            && tips.pulled_in_by(tip).is_empty()
            && tip.cycle <= 9
            && tip.phase <= 9
            && (10..=99).contains(&tip.priority);
        if !shape {
            return None;
        }
        let mut reasons = self.because(tip);
        let (Some(reason), None) = (reasons.next(), reasons.next()) else {
            return None;
        };
        (10..=99).contains(&reason.priority).then(|| PlainTip {
            index: tip.index.index(),
            id: tip.id,
            rule: reason.rule,
            // Each below ten or of two digits (checked above), in `u8` arithmetic.
            digits: [
                b'0' + tip.cycle,
                b'0' + u8::try_from(tip.phase).unwrap_or(0),
                b'0' + tip.priority / 10,
                b'0' + tip.priority % 10,
                b'0' + reason.priority / 10,
                b'0' + reason.priority % 10,
            ],
        })
    }
}

/// A reason's priority; the common two-digit one inline, without the call to
/// [`wide_integer`].
#[inline]
fn priority(out: &mut Vec<u8>, value: u8) {
    match value {
        10..=99 => out.extend_from_slice(&[b'0' + value / 10, b'0' + value % 10]),
        _ => integer(out, u64::from(value)),
    }
}

/// A tip's cycle, phase and priority after its `"cycle":` key; the common case (a
/// one-digit cycle and phase, a two-digit priority) in one copy of a patched template.
fn cycle_phase_priority(out: &mut Vec<u8>, cycle: u8, phase: u32, priority: u8) {
    let common = cycle <= 9 && phase <= 9 && (10..=99).contains(&priority);
    if !common {
        integer(out, u64::from(cycle));
        out.extend_from_slice(b",\"phase\":");
        integer(out, u64::from(phase));
        out.extend_from_slice(b",\"priority\":");
        integer(out, u64::from(priority));
        return;
    }
    let mut text = *b"0,\"phase\":0,\"priority\":00";
    text[0] = digit(u64::from(cycle));
    text[10] = digit(u64::from(phase));
    text[23] = digit(u64::from(priority / 10));
    text[24] = digit(u64::from(priority));
    out.extend_from_slice(&text);
}

/// A JSON array of tip ids, each copied from the rendered ids by its tip's index.
fn tip_list(out: &mut Vec<u8>, ids: &mut JsonIds, indices: &[TipIndex], tip_ids: &[&str]) {
    members(out, ARRAY, |out| {
        for (index, id) in indices.iter().zip(tip_ids) {
            ids.write(out, IdKind::TipItem, index.index(), id);
        }
    });
}

fn scan_first(out: &mut Vec<u8>, entry: &ScanFirst<'_>) {
    out.extend_from_slice(b"{\"section\":");
    string(out, entry.section);
    out.extend_from_slice(b",\"reason\":");
    string(out, &entry.reason);
    out.push(b'}');
}

fn to_establish(out: &mut Vec<u8>, ids: &mut JsonIds, entry: &ToEstablish<'_>) {
    let kind = match entry.unknown {
        Unknown::Unanswered => IdKind::Unanswered,
        Unknown::QuickScanOnly => IdKind::QuickScanOnly,
    };
    ids.write(out, kind, entry.index.index(), entry.tip);
}

fn not_applicable(out: &mut Vec<u8>, ids: &mut JsonIds, entry: &NotApplicable<'_>) {
    ids.write(
        out,
        IdKind::NotApplicableOpen,
        entry.index.index(),
        entry.tip,
    );
    integer(out, u64::from(entry.condition));
    out.push(b'}');
}

fn handoff(out: &mut Vec<u8>, ids: &mut JsonIds, handoff: &AdvisedHandoff<'_>) {
    let (from, to) = (handoff.from_index.index(), handoff.to_index.index());
    ids.write(out, IdKind::HandoffFrom, from, handoff.from);
    ids.write(out, IdKind::HandoffTo, to, handoff.to);
}

/// An array's or object's brackets.
type Brackets = [u8; 2];
/// A JSON array's brackets.
const ARRAY: Brackets = *b"[]";
/// A JSON object's brackets.
const OBJECT: Brackets = *b"{}";

/// An array or object whose members `write` appends, each after a comma (the cached
/// texts of [`IdKind`] start with it): the first member's comma becomes the opening
/// bracket, so that no member asks whether it is the first.
fn members(out: &mut Vec<u8>, brackets: Brackets, write: impl FnOnce(&mut Vec<u8>)) {
    let [open, close] = brackets;
    let start = out.len();
    write(out);
    match out.get_mut(start) {
        Some(first) => *first = open,
        None => out.push(open),
    }
    out.push(close);
}

/// A JSON array of `items`, each written by `item`.
pub(crate) fn list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (position, value) in items.iter().enumerate() {
        if position > 0 {
            out.push(b',');
        }
        item(out, value);
    }
    out.push(b']');
}

/// A JSON string; ids and most texts need no escape and are copied as they are.
pub(crate) fn string(out: &mut Vec<u8>, text: &str) {
    if needs_escape(text.as_bytes()) {
        // Into memory: cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
        return;
    }
    out.reserve(text.len() + 2);
    out.push(b'"');
    out.extend_from_slice(text.as_bytes());
    out.push(b'"');
}

/// Each byte of a word set to 1.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether JSON must escape a byte of `bytes`: a control character, `"` or `\`. Eight
/// bytes at a time, since most of what an advice writes (ids, Dutch texts) needs none;
/// the last few bytes are one more word, padded with spaces, rather than a byte loop.
fn needs_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0_u8; 8];
        word.copy_from_slice(chunk);
        if word_needs_escape(u64::from_le_bytes(word)) {
            return true;
        }
    }
    let rest = words.remainder();
    let mut word = [b' '; 8];
    if let Some(start) = word.get_mut(..rest.len()) {
        start.copy_from_slice(rest);
    }
    word_needs_escape(u64::from_le_bytes(word))
}

/// Whether a byte of `word` is below 0x20, `"` or `\` (exact for "any byte": the bit
/// tricks for a byte less than n, n ≤ 128, and a zero byte).
fn word_needs_escape(word: u64) -> bool {
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGHS;
    // One test of the three masks together: no branch per kind of byte.
    (below(word, 0x20)
        | below(word ^ (ONES * u64::from(b'"')), 1)
        | below(word ^ (ONES * u64::from(b'\\')), 1))
        != 0
}

/// A number as `serde_json` writes an `f64`.
pub(crate) fn float(out: &mut Vec<u8>, value: f64) {
    // Into memory: cannot fail.
    let _ = serde_json::to_writer(&mut *out, &value);
}

/// A signed whole number in decimal.
fn signed(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    integer(out, value.unsigned_abs());
}

/// A whole number in decimal; the small ones an advice is full of (levels, phases,
/// priorities) without a loop, and a single digit inline.
#[inline]
pub(crate) fn integer(out: &mut Vec<u8>, value: u64) {
    match value {
        0..=9 => out.push(digit(value)),
        _ => wide_integer(out, value),
    }
}

/// The last decimal digit of `value`.
fn digit(value: u64) -> u8 {
    b'0' + (value % 10) as u8
}

/// [`integer`] of a number of two digits or more.
fn wide_integer(out: &mut Vec<u8>, value: u64) {
    match value {
        10..=99 => out.extend_from_slice(&[digit(value / 10), digit(value)]),
        100..=999 => out.extend_from_slice(&[digit(value / 100), digit(value / 10), digit(value)]),
        _ => {
            let mut digits = [0_u8; 20];
            let mut start = digits.len();
            let mut rest = value;
            loop {
                start -= 1;
                if let Some(slot) = digits.get_mut(start) {
                    *slot = digit(rest);
                }
                rest /= 10;
                if rest == 0 {
                    break;
                }
            }
            out.extend_from_slice(digits.get(start..).unwrap_or_default());
        }
    }
}

/// Beyond this many hundredths [`hundredths`] leaves a number to [`float`].
const MAX_HUNDREDTHS: f64 = 1e12;

/// A number as [`float`] writes it; one of at most two decimals (a section's mean) as
/// its hundredths, without the float formatting: the shortest text that reads back as
/// the `f64` nearest to n/100 is n/100 itself, without trailing zeros (`2.0`, `2.5`,
/// `2.25`), which is what `serde_json` writes for it.
pub(crate) fn hundredths(out: &mut Vec<u8>, value: f64) {
    let scaled = (value * 100.0).round();
    let exact = scaled.abs() < MAX_HUNDREDTHS
        && scaled / 100.0 == value
        && value.to_bits() != (-0.0_f64).to_bits();
    if !exact {
        float(out, value);
        return;
    }
    if scaled < 0.0 {
        out.push(b'-');
    }
    let count = (scaled as i64).unsigned_abs();
    integer(out, count / 100);
    let cents = count % 100;
    out.push(b'.');
    match cents {
        0 => out.push(b'0'),
        _ if cents % 10 == 0 => out.push(digit(cents / 10)),
        _ => out.extend_from_slice(&[digit(cents / 10), digit(cents)]),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        cycle_phase_priority, hundredths, integer, members, needs_escape, priority, signed,
        small_answer, ARRAY, OBJECT, SMALL_ANSWERS,
    };

    #[test]
    fn small_answers_are_the_whole_numbers_below_the_limit() {
        for value in 0..SMALL_ANSWERS {
            assert_eq!(small_answer(f64::from(value)), Some(value));
        }
        let others = [
            -1.0,
            0.5,
            9.5,
            10.0,
            255.0,
            256.0,
            1e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for value in others {
            assert_eq!(small_answer(value), None, "{value:?}");
        }
        assert_eq!(small_answer(-0.0), Some(0));
    }

    #[test]
    fn members_open_with_their_bracket_and_none_is_an_empty_array_or_object() {
        let mut out = b"x".to_vec();
        members(&mut out, ARRAY, |_| {});
        members(&mut out, OBJECT, |_| {});
        members(&mut out, ARRAY, |out| out.extend_from_slice(b",1,2"));
        members(&mut out, OBJECT, |out| out.extend_from_slice(b",\"a\":1"));
        assert_eq!(out, b"x[]{}[1,2]{\"a\":1}");
    }

    #[test]
    fn cycle_phase_and_priority_are_written_as_their_integers() {
        for cycle in 0..=12 {
            for phase in [0, 1, 5, 9, 10, 11, 99, 100, 12_345] {
                for priority in 0..=u8::MAX {
                    let mut out = Vec::new();
                    cycle_phase_priority(&mut out, cycle, phase, priority);
                    let expected = format!("{cycle},\"phase\":{phase},\"priority\":{priority}");
                    assert_eq!(String::from_utf8(out).unwrap(), expected);
                }
            }
        }
    }

    #[test]
    fn hundredths_are_written_as_serde_writes_them() {
        let mut values: Vec<f64> = (-300_000..=300_000)
            .map(|count| f64::from(count) / 100.0)
            .collect();
        values.extend([
            -0.0,
            0.001,
            1.0 / 3.0,
            2.675,
            -1e-7,
            1e11,
            1e13,
            123_456_789.12,
            f64::MAX,
            5e-324,
        ]);
        for value in values {
            let mut out = Vec::new();
            hundredths(&mut out, value);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&value).unwrap(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn an_empty_string_needs_no_escape() {
        assert!(!needs_escape(b""));
    }

    #[test]
    fn integers_are_written_as_serde_writes_them() {
        let mut values: Vec<u64> = (0..2_000).collect();
        values.extend([9_999, 10_000, 123_456_789, u64::MAX]);
        for value in values {
            let mut out = Vec::new();
            integer(&mut out, value);
            assert_eq!(out, serde_json::to_vec(&value).unwrap());
        }
        for value in 0..=u8::MAX {
            let mut out = Vec::new();
            priority(&mut out, value);
            assert_eq!(out, serde_json::to_vec(&value).unwrap());
        }
        for value in [i64::MIN, -1_000, -7, 0, 7, i64::MAX] {
            let mut out = Vec::new();
            signed(&mut out, value);
            assert_eq!(out, serde_json::to_vec(&value).unwrap());
        }
    }

    #[test]
    fn the_word_test_finds_every_byte_that_needs_an_escape_at_every_position() {
        for byte in 0..=u8::MAX {
            let expected = byte < 0x20 || byte == b'"' || byte == b'\\';
            for position in 0..17 {
                let mut bytes = [b'a'; 17];
                if let Some(slot) = bytes.get_mut(position) {
                    *slot = byte;
                }
                assert_eq!(needs_escape(&bytes), expected, "{byte:#x} at {position}");
            }
            for length in 1..=17 {
                let mut bytes = vec![b'a'; length];
                if let Some(last) = bytes.last_mut() {
                    *last = byte;
                }
                assert_eq!(
                    needs_escape(&bytes),
                    expected,
                    "{byte:#x} at the end of {length}"
                );
            }
        }
    }
}
