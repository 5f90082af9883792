//! The advice streamed straight to a writer as compact JSON, byte for byte what its
//! `serde` form gives through `serde_json::to_writer`, without building a value tree.

use std::io::{self, Write};

use super::serde_impl::{whole, AnswerJson};
use super::{
    Advice, AdvisedHandoff, AdvisedTip, NotApplicable, ScanFirst, SectionResult, ToEstablish,
};
use crate::eval::{Confidence, Unknown};
use crate::ruleset::RuleSetInfo;

impl Advice<'_> {
    /// Writes the advice as one line of compact JSON (no line feed), the same bytes as
    /// `serde_json::to_writer` of the advice.
    pub fn write_json<W: Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"{\"schema_version\":")?;
        integer(out, u64::from(self.schema_version))?;
        out.write_all(b",\"ruleset\":")?;
        ruleset(out, self.ruleset)?;
        out.write_all(b",\"programme\":")?;
        string(out, &self.programme)?;
        if !self.meta.is_empty() {
            out.write_all(b",\"meta\":")?;
            serde_json::to_writer(&mut *out, &self.meta)?;
        }
        if let Some(profile) = self.profile {
            out.write_all(b",\"profile\":")?;
            string(out, profile)?;
        }
        if !self.comments.is_empty() {
            out.write_all(b",\"comments\":")?;
            serde_json::to_writer(&mut *out, &self.comments)?;
        }
        self.write_answers(out)?;
        out.write_all(b",\"sections\":")?;
        list(out, &self.sections, section)?;
        out.write_all(b",\"focus\":")?;
        list(out, &self.focus, |out, id| string(out, id))?;
        out.write_all(b",\"tips\":")?;
        list(out, &self.tips, tip)?;
        out.write_all(b",\"scan_first\":")?;
        list(out, &self.scan_first, scan_first)?;
        out.write_all(b",\"to_establish\":")?;
        list(out, &self.to_establish, to_establish)?;
        out.write_all(b",\"not_applicable\":")?;
        list(out, &self.not_applicable, not_applicable)?;
        out.write_all(b",\"handoffs\":")?;
        list(out, &self.handoffs, handoff)?;
        out.write_all(b",\"warnings\":")?;
        list(out, &self.warnings, |out, warning| string(out, warning))?;
        out.write_all(b"}")
    }

    fn write_answers<W: Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b",\"answers\":{")?;
        for (position, answer) in self.answers.iter().enumerate() {
            if position > 0 {
                out.write_all(b",")?;
            }
            string(out, &answer.question.id)?;
            out.write_all(b":")?;
            match answer.json() {
                AnswerJson::Number(value) => match whole(value) {
                    Some(whole) => signed(out, whole)?,
                    None => float(out, value)?,
                },
                AnswerJson::Bool(true) => out.write_all(b"true")?,
                AnswerJson::Bool(false) => out.write_all(b"false")?,
                AnswerJson::Option(Some(option)) => string(out, option)?,
                AnswerJson::Option(None) => out.write_all(b"null")?,
            }
        }
        out.write_all(b"}")
    }
}

fn ruleset<W: Write>(out: &mut W, info: &RuleSetInfo) -> io::Result<()> {
    out.write_all(b"{\"name\":")?;
    string(out, &info.name)?;
    out.write_all(b",\"version\":")?;
    string(out, &info.version)?;
    out.write_all(b",\"hash\":")?;
    string(out, &info.hash)?;
    out.write_all(b"}")
}

fn section<W: Write>(out: &mut W, section: &SectionResult<'_>) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    string(out, section.id)?;
    out.write_all(b",\"mean\":")?;
    match section.mean {
        Some(mean) => float(out, mean)?,
        None => out.write_all(b"null")?,
    }
    out.write_all(b",\"answered\":")?;
    integer(out, u64::from(section.answered))?;
    match section.quick_scan {
        Some(true) => out.write_all(b",\"quick_scan\":true")?,
        Some(false) => out.write_all(b",\"quick_scan\":false")?,
        None => {}
    }
    out.write_all(b"}")
}

fn tip<W: Write>(out: &mut W, tip: &AdvisedTip<'_>) -> io::Result<()> {
    out.write_all(b"{\"id\":")?;
    string(out, tip.id)?;
    out.write_all(b",\"cycle\":")?;
    integer(out, u64::from(tip.cycle))?;
    out.write_all(b",\"phase\":")?;
    integer(out, u64::from(tip.phase))?;
    out.write_all(b",\"priority\":")?;
    integer(out, u64::from(tip.priority))?;
    match tip.confidence {
        Confidence::Answered => {}
        Confidence::QuickScan => out.write_all(b",\"confidence\":\"quick_scan\"")?,
        Confidence::Unanswered => out.write_all(b",\"confidence\":\"unanswered\"")?,
    }
    if let Some(why_now) = &tip.why_now {
        out.write_all(b",\"why_now\":")?;
        string(out, why_now)?;
    }
    if let Some(context) = &tip.context_assumed {
        out.write_all(b",\"context_assumed\":")?;
        string(out, context)?;
    }
    if !tip.after.is_empty() {
        out.write_all(b",\"after\":")?;
        list(out, &tip.after, |out, id| string(out, id))?;
    }
    if !tip.pulled_in_by.is_empty() {
        out.write_all(b",\"pulled_in_by\":")?;
        list(out, &tip.pulled_in_by, |out, id| string(out, id))?;
    }
    out.write_all(b",\"because\":{")?;
    for (position, reason) in tip.because.iter().enumerate() {
        if position > 0 {
            out.write_all(b",")?;
        }
        string(out, reason.rule)?;
        out.write_all(b":")?;
        integer(out, u64::from(reason.priority))?;
    }
    out.write_all(b"}}")
}

fn scan_first<W: Write>(out: &mut W, entry: &ScanFirst<'_>) -> io::Result<()> {
    out.write_all(b"{\"section\":")?;
    string(out, entry.section)?;
    out.write_all(b",\"reason\":")?;
    string(out, &entry.reason)?;
    out.write_all(b"}")
}

fn to_establish<W: Write>(out: &mut W, entry: &ToEstablish<'_>) -> io::Result<()> {
    out.write_all(b"{\"tip\":")?;
    string(out, entry.tip)?;
    out.write_all(match entry.unknown {
        Unknown::Unanswered => b",\"unknown\":\"unanswered\"}",
        Unknown::QuickScanOnly => b",\"unknown\":\"quick_scan_only\"}",
    })
}

fn not_applicable<W: Write>(out: &mut W, entry: &NotApplicable<'_>) -> io::Result<()> {
    out.write_all(b"{\"tip\":")?;
    string(out, entry.tip)?;
    out.write_all(b",\"condition\":")?;
    integer(out, u64::from(entry.condition))?;
    out.write_all(b"}")
}

fn handoff<W: Write>(out: &mut W, handoff: &AdvisedHandoff<'_>) -> io::Result<()> {
    out.write_all(b"{\"from\":")?;
    string(out, handoff.from)?;
    out.write_all(b",\"to\":")?;
    string(out, handoff.to)?;
    out.write_all(b"}")
}

/// A JSON array of `items`, each written by `item`.
fn list<W: Write, T>(
    out: &mut W,
    items: &[T],
    mut item: impl FnMut(&mut W, &T) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(b"[")?;
    for (position, value) in items.iter().enumerate() {
        if position > 0 {
            out.write_all(b",")?;
        }
        item(out, value)?;
    }
    out.write_all(b"]")
}

/// A JSON string; ids and most texts need no escape and are copied as they are.
fn string<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    if needs_escape(text.as_bytes()) {
        return Ok(serde_json::to_writer(&mut *out, text)?);
    }
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

/// Each byte of a word set to 1.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each byte of a word.
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether JSON must escape a byte of `bytes`: a control character, `"` or `\`. Eight
/// bytes at a time, since most of what an advice writes (ids, Dutch texts) needs none.
fn needs_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut word = [0_u8; 8];
        word.copy_from_slice(chunk);
        if word_needs_escape(u64::from_le_bytes(word)) {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&byte| byte < 0x20 || byte == b'"' || byte == b'\\')
}

/// Whether a byte of `word` is below 0x20, `"` or `\` (exact for "any byte": the bit
/// tricks for a byte less than n, n ≤ 128, and a zero byte).
fn word_needs_escape(word: u64) -> bool {
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGHS != 0;
    below(word, 0x20)
        || below(word ^ (ONES * u64::from(b'"')), 1)
        || below(word ^ (ONES * u64::from(b'\\')), 1)
}

/// A number as `serde_json` writes an `f64`.
fn float<W: Write>(out: &mut W, value: f64) -> io::Result<()> {
    Ok(serde_json::to_writer(&mut *out, &value)?)
}

/// A signed whole number in decimal.
fn signed<W: Write>(out: &mut W, value: i64) -> io::Result<()> {
    if value < 0 {
        out.write_all(b"-")?;
    }
    integer(out, value.unsigned_abs())
}

/// A whole number in decimal.
fn integer<W: Write>(out: &mut W, value: u64) -> io::Result<()> {
    let mut digits = [0_u8; 20];
    let mut start = digits.len();
    let mut rest = value;
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.write_all(digits.get(start..).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::needs_escape;

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
        }
    }
}
