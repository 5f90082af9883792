//! The JSON strings of a rule set's ids (tips, rules, questions, sections), quoted and
//! escaped once per thread and rule set, then copied as bytes into every advice: an
//! advice writes some 350 ids, each otherwise checked for escapes and quoted again.
//! Where an id always has the same text around it (`,{"id":` before a tip's id and
//! `,"cycle":` after it), that text is rendered with it, so that one copy writes both.

use std::cell::RefCell;

use super::json::string;
use crate::ruleset::RuleSetInfo;

/// Where one id's JSON string lies in the cache, and which id it was rendered from.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The address of the id's text; an id at another address is rendered anew.
    address: usize,
    /// The length of the id's text.
    length: usize,
    /// The JSON string's start in [`JsonIds::bytes`].
    start: usize,
    /// Its end.
    end: usize,
}

/// The ways an advice writes an id by its index in the rule set: the id's JSON string
/// alone, or with the fixed text around it. A kind whose text opens with a comma is a
/// member of an object or array written by [`Members`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdKind {
    /// A tip id: `"id"`.
    Tip,
    /// A section id: `"id"`.
    Section,
    /// A tip id in a list: `,"id"`.
    TipItem,
    /// A tip of the advice's `tips`, up to its cycle: `,{"id":"id","cycle":`.
    TipOpen,
    /// A rule's key in a tip's `because`: `,"id":`.
    RuleKey,
    /// A question's key in the answers: `,"id":`.
    QuestionKey,
    /// A section of the advice's `sections`, up to its mean: `,{"id":"id","mean":`.
    SectionOpen,
    /// A whole `to_establish` entry of an unanswered tip.
    Unanswered,
    /// A whole `to_establish` entry of a tip only the quick scan speaks of.
    QuickScanOnly,
    /// A `not_applicable` entry up to its condition: `,{"tip":"id","condition":`.
    NotApplicableOpen,
    /// A handoff up to its second tip: `,{"from":"id","to":`.
    HandoffFrom,
    /// A handoff's second tip and the entry's end: `"id"}`.
    HandoffTo,
    /// A question's key in the answers with a small whole answer (below
    /// [`SMALL_ANSWERS`]): `,"id":3`, by the index `question * SMALL_ANSWERS + answer`.
    SmallAnswer,
}

/// How many kinds [`IdKind`] has.
const KINDS: usize = 13;

/// Answers from 0 to this less one (scale levels, yes/no, the first options of a choice)
/// are cached with their question's key, [`IdKind::SmallAnswer`].
pub(crate) const SMALL_ANSWERS: u8 = 10;

impl IdKind {
    /// The fixed text before and after the id's JSON string.
    fn affixes(self) -> (&'static [u8], &'static [u8]) {
        match self {
            IdKind::Tip | IdKind::Section => (b"", b""),
            IdKind::TipItem => (b",", b""),
            IdKind::TipOpen => (b",{\"id\":", b",\"cycle\":"),
            IdKind::RuleKey | IdKind::QuestionKey | IdKind::SmallAnswer => (b",", b":"),
            IdKind::SectionOpen => (b",{\"id\":", b",\"mean\":"),
            IdKind::Unanswered => (b",{\"tip\":", b",\"unknown\":\"unanswered\"}"),
            IdKind::QuickScanOnly => (b",{\"tip\":", b",\"unknown\":\"quick_scan_only\"}"),
            IdKind::NotApplicableOpen => (b",{\"tip\":", b",\"condition\":"),
            IdKind::HandoffFrom => (b",{\"from\":", b",\"to\":"),
            IdKind::HandoffTo => (b"", b"}"),
        }
    }
}

/// A plan tip of the most common shape, written whole: its id, a one-digit cycle and
/// phase, a two-digit priority, nothing optional, and one reason with a two-digit
/// priority (most tips' reason is their own base rule).
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlainTip<'a> {
    /// The tip's index in the rule set.
    pub(crate) index: usize,
    /// The tip's id.
    pub(crate) id: &'a str,
    /// The id of the rule that is its one reason.
    pub(crate) rule: &'a str,
    /// The digits to patch in: cycle, phase, the priority's two and the reason's two.
    pub(crate) digits: [u8; PLAIN_DIGITS],
}

/// How many digits a [`PlainTip`]'s text has patched in.
const PLAIN_DIGITS: usize = 6;

/// The text of a [`PlainTip`] around its tip id, its rule id and its digits, `0` where a
/// digit goes: `,{"id":` id `,"cycle":0,"phase":0,"priority":00,"because":{` rule `:00}}`.
const PLAIN_OPEN: &[u8] = b",{\"id\":";
/// See [`PLAIN_OPEN`].
const PLAIN_MIDDLE: &[u8] = b",\"cycle\":0,\"phase\":0,\"priority\":00,\"because\":{";
/// See [`PLAIN_OPEN`].
const PLAIN_CLOSE: &[u8] = b":00}}";
/// The offsets of the digits in [`PLAIN_MIDDLE`]: cycle, phase, the priority's two.
const MIDDLE_DIGITS: [usize; 4] = [9, 19, 32, 33];
/// The offsets of the reason's two digits in [`PLAIN_CLOSE`].
const CLOSE_DIGITS: [usize; 2] = [1, 2];

/// Where a [`PlainTip`]'s rendered text lies in the cache, which ids it was rendered
/// from, and where its digits go.
#[derive(Debug, Clone, Copy)]
struct PlainEntry {
    /// The tip id's entry (its address and length, the whole text's start and end).
    tip: Entry,
    /// The address of the rule id's text.
    rule_address: usize,
    /// The length of the rule id's text.
    rule_length: usize,
    /// The offsets of the digits from the text's start.
    digits: [u32; PLAIN_DIGITS],
}

/// The rendered ids of one rule set, filled as the advices ask for them.
#[derive(Debug, Default)]
pub(crate) struct JsonIds {
    /// The rule set whose ids these are: the address of its info and its content hash.
    owner: Option<(usize, String)>,
    /// Every rendered JSON string, one after the other.
    bytes: Vec<u8>,
    /// Per kind, by the id's index, its entry once rendered.
    tables: [Vec<Option<Entry>>; KINDS],
    /// By tip index, its [`PlainTip`] text once rendered.
    plain_tips: Vec<Option<PlainEntry>>,
}

/// Past this many bytes the cache starts again, so that ids rendered anew (another rule
/// set's, or ids a caller changed) cannot grow it without bound.
const MAX_BYTES: usize = 1 << 20;

thread_local! {
    /// The ids of the rule set this thread last wrote an advice for.
    static IDS: RefCell<JsonIds> = RefCell::new(JsonIds::default());
}

impl JsonIds {
    /// Runs `write` with the rendered ids of the rule set `info` describes.
    pub(crate) fn with<R>(info: &RuleSetInfo, write: impl FnOnce(&mut JsonIds) -> R) -> R {
        IDS.with(|ids| match ids.try_borrow_mut() {
            Ok(mut ids) => {
                ids.own(info);
                write(&mut ids)
            }
            // Only if `write` itself writes an advice: a cache of its own.
            Err(_) => write(&mut JsonIds::default()),
        })
    }

    /// Starts afresh unless the ids are `info`'s rule set's.
    fn own(&mut self, info: &RuleSetInfo) {
        let address = std::ptr::from_ref(info) as usize;
        let same = self
            .owner
            .as_ref()
            .is_some_and(|(owner, hash)| *owner == address && *hash == info.hash);
        if !same || self.bytes.len() > MAX_BYTES {
            *self = JsonIds {
                owner: Some((address, info.hash.clone())),
                ..JsonIds::default()
            };
        }
    }

    /// Appends the JSON string of `id`, the id at `index`, with the text of `kind`
    /// around it.
    #[inline]
    pub(crate) fn write(&mut self, out: &mut Vec<u8>, kind: IdKind, index: usize, id: &str) {
        match self.rendered(kind, index, id) {
            Some(bytes) => out.extend_from_slice(bytes),
            None => self.render(out, kind, index, id, |_| {}),
        }
    }

    /// Appends the key of the question at `question`, whose id is `id`, and its answer, a
    /// whole number below [`SMALL_ANSWERS`], which `value` writes as JSON (called only
    /// when the pair is first rendered).
    #[inline]
    pub(crate) fn write_small_answer(
        &mut self,
        out: &mut Vec<u8>,
        (question, answer): (usize, u8),
        id: &str,
        value: impl FnOnce(&mut Vec<u8>),
    ) {
        let index = question * usize::from(SMALL_ANSWERS) + usize::from(answer);
        match self.rendered(IdKind::SmallAnswer, index, id) {
            Some(bytes) => out.extend_from_slice(bytes),
            None => self.render(out, IdKind::SmallAnswer, index, id, value),
        }
    }

    /// Appends a plain tip's whole entry in the advice's `tips`: one copy of its text,
    /// rendered from its ids the first time, with its digits patched in.
    #[inline]
    pub(crate) fn write_plain_tip(&mut self, out: &mut Vec<u8>, tip: PlainTip<'_>) {
        let start = out.len();
        let digits = match self.plain_rendered(tip) {
            Some((bytes, digits)) => {
                out.extend_from_slice(bytes);
                digits
            }
            None => self.render_plain(out, tip),
        };
        if let Some(text) = out.get_mut(start..) {
            for (&offset, &digit) in digits.iter().zip(&tip.digits) {
                if let Some(slot) = text.get_mut(offset as usize) {
                    *slot = digit;
                }
            }
        }
    }

    /// A plain tip's text and its digits' offsets, if rendered from these very ids.
    #[inline]
    fn plain_rendered(&self, tip: PlainTip<'_>) -> Option<(&[u8], [u32; PLAIN_DIGITS])> {
        let entry = (*self.plain_tips.get(tip.index)?)?;
        let same = entry.tip.address == tip.id.as_ptr() as usize
            && entry.tip.length == tip.id.len()
            && entry.rule_address == tip.rule.as_ptr() as usize
            && entry.rule_length == tip.rule.len();
        let bytes = same.then(|| self.bytes.get(entry.tip.start..entry.tip.end))??;
        Some((bytes, entry.digits))
    }

    /// Renders a plain tip's text into the cache, appends it and returns its digits'
    /// offsets.
    #[cold]
    fn render_plain(&mut self, out: &mut Vec<u8>, tip: PlainTip<'_>) -> [u32; PLAIN_DIGITS] {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(PLAIN_OPEN);
        string(&mut self.bytes, tip.id);
        let middle = self.bytes.len() - start;
        self.bytes.extend_from_slice(PLAIN_MIDDLE);
        string(&mut self.bytes, tip.rule);
        let close = self.bytes.len() - start;
        self.bytes.extend_from_slice(PLAIN_CLOSE);
        let end = self.bytes.len();
        out.extend_from_slice(self.bytes.get(start..end).unwrap_or_default());
        let offset = |base: usize, within: usize| u32::try_from(base + within).unwrap_or(u32::MAX);
        let [cycle, phase, high, low] = MIDDLE_DIGITS.map(|within| offset(middle, within));
        let [reason_high, reason_low] = CLOSE_DIGITS.map(|within| offset(close, within));
        let digits = [cycle, phase, high, low, reason_high, reason_low];
        let entry = PlainEntry {
            tip: Entry {
                address: tip.id.as_ptr() as usize,
                length: tip.id.len(),
                start,
                end,
            },
            rule_address: tip.rule.as_ptr() as usize,
            rule_length: tip.rule.len(),
            digits,
        };
        if self.plain_tips.len() <= tip.index {
            self.plain_tips.resize(tip.index + 1, None);
        }
        if let Some(slot) = self.plain_tips.get_mut(tip.index) {
            *slot = Some(entry);
        }
        digits
    }

    /// The JSON string of `id` if it was rendered from this very text.
    #[inline]
    fn rendered(&self, kind: IdKind, index: usize, id: &str) -> Option<&[u8]> {
        let entry = (*self.tables.get(kind as usize)?.get(index)?)?;
        let same = entry.address == id.as_ptr() as usize && entry.length == id.len();
        same.then(|| self.bytes.get(entry.start..entry.end))?
    }

    /// Renders `id` with its kind's text, then what `value` writes, into the cache and
    /// appends it.
    #[cold]
    fn render(
        &mut self,
        out: &mut Vec<u8>,
        kind: IdKind,
        index: usize,
        id: &str,
        value: impl FnOnce(&mut Vec<u8>),
    ) {
        let start = self.bytes.len();
        let (before, after) = kind.affixes();
        self.bytes.extend_from_slice(before);
        string(&mut self.bytes, id);
        self.bytes.extend_from_slice(after);
        value(&mut self.bytes);
        let end = self.bytes.len();
        out.extend_from_slice(self.bytes.get(start..end).unwrap_or_default());
        let entry = Entry {
            address: id.as_ptr() as usize,
            length: id.len(),
            start,
            end,
        };
        if let Some(table) = self.tables.get_mut(kind as usize) {
            if table.len() <= index {
                table.resize(index + 1, None);
            }
            if let Some(slot) = table.get_mut(index) {
                *slot = Some(entry);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{IdKind, JsonIds, PlainTip};
    use crate::report::advice::json::string;
    use crate::ruleset::RuleSetInfo;

    fn info(hash: &str) -> RuleSetInfo {
        RuleSetInfo {
            name: "r".to_owned(),
            version: "1".to_owned(),
            hash: hash.to_owned(),
        }
    }

    fn written(ids: &mut JsonIds, kind: IdKind, index: usize, id: &str) -> Vec<u8> {
        let mut out = Vec::new();
        ids.write(&mut out, kind, index, id);
        out
    }

    #[test]
    fn a_cached_id_is_the_string_json_writes_and_another_text_is_rendered_anew() {
        let (first, second) = ("visie.duidelijk".to_owned(), "a\"b\\c\u{1}".to_owned());
        let expected = |id: &str| {
            let mut out = Vec::new();
            string(&mut out, id);
            out
        };
        let rules = info("h");
        JsonIds::with(&rules, |ids| {
            for _ in 0..2 {
                assert_eq!(written(ids, IdKind::Tip, 3, &first), expected(&first));
                assert_eq!(written(ids, IdKind::Section, 3, &second), expected(&second));
            }
            // The same index with another text (a caller changed the id): that text.
            assert_eq!(written(ids, IdKind::Tip, 3, &second), expected(&second));
            assert_eq!(written(ids, IdKind::Tip, 3, &first), expected(&first));
        });
        // With its kind's text around it.
        JsonIds::with(&rules, |ids| {
            for _ in 0..2 {
                let mut open = b",{\"id\":".to_vec();
                open.extend(expected(&second));
                open.extend(b",\"cycle\":");
                assert_eq!(written(ids, IdKind::TipOpen, 3, &second), open);
                assert_eq!(written(ids, IdKind::Tip, 3, &first), expected(&first));
            }
        });
        // A small answer with its key, per question and answer.
        JsonIds::with(&rules, |ids| {
            for _ in 0..2 {
                let mut three = Vec::new();
                ids.write_small_answer(&mut three, (3, 3), &first, |out| out.push(b'3'));
                assert_eq!(three, b",\"visie.duidelijk\":3");
                let mut four = Vec::new();
                ids.write_small_answer(&mut four, (3, 4), &first, |out| out.push(b'4'));
                assert_eq!(four, b",\"visie.duidelijk\":4");
            }
        });
        // A plain tip: its text with the digits patched in, the same whether rendered or
        // copied, and rendered anew for another rule.
        let (rule, escaped) = ("r.1".to_owned(), "t\"x".to_owned());
        JsonIds::with(&rules, |ids| {
            for (cycle, phase, priority, reason) in [(1, 1, 77, 77), (3, 2, 10, 99), (1, 1, 77, 77)]
            {
                for (id, rule) in [(&first, &rule), (&escaped, &rule), (&first, &second)] {
                    let digit = |value: u8| b'0' + value % 10;
                    let plain = PlainTip {
                        index: 5,
                        id,
                        rule,
                        digits: [
                            digit(cycle),
                            digit(phase),
                            digit(priority / 10),
                            digit(priority),
                            digit(reason / 10),
                            digit(reason),
                        ],
                    };
                    let mut out = b"x".to_vec();
                    ids.write_plain_tip(&mut out, plain);
                    let expected = format!(
                        "x,{{\"id\":{},\"cycle\":{cycle},\"phase\":{phase},\"priority\":{priority},\"because\":{{{}:{reason}}}}}",
                        serde_json::to_string(id).unwrap(),
                        serde_json::to_string(rule).unwrap(),
                    );
                    assert_eq!(String::from_utf8(out).unwrap(), expected);
                }
            }
        });
        let other_rules = info("other");
        JsonIds::with(&other_rules, |ids| {
            assert!(ids.tables.iter().all(Vec::is_empty))
        });
    }
}
