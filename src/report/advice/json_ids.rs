//! The JSON strings of a rule set's ids (tips, rules, questions, sections), quoted and
//! escaped once per thread and rule set, then copied as bytes into every advice: an
//! advice writes some 350 ids, each otherwise checked for escapes and quoted again.

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

/// The kinds of ids an advice writes by their index in the rule set.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdKind {
    /// A tip id.
    Tip,
    /// A rule id.
    Rule,
    /// A question id.
    Question,
    /// A section id.
    Section,
}

/// The rendered ids of one rule set, filled as the advices ask for them.
#[derive(Debug, Default)]
pub(crate) struct JsonIds {
    /// The rule set whose ids these are: the address of its info and its content hash.
    owner: Option<(usize, String)>,
    /// Every rendered JSON string, one after the other.
    bytes: Vec<u8>,
    /// Per index, the entry of each tip id once rendered.
    tips: Vec<Option<Entry>>,
    /// The same for rule ids.
    rules: Vec<Option<Entry>>,
    /// The same for question ids.
    questions: Vec<Option<Entry>>,
    /// The same for section ids.
    sections: Vec<Option<Entry>>,
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

    /// Appends the JSON string of `id`, the id of kind `kind` at `index`.
    #[inline]
    pub(crate) fn write(&mut self, out: &mut Vec<u8>, kind: IdKind, index: usize, id: &str) {
        match self.rendered(kind, index, id) {
            Some(bytes) => out.extend_from_slice(bytes),
            None => self.render(out, kind, index, id),
        }
    }

    /// The JSON string of `id` if it was rendered from this very text.
    #[inline]
    fn rendered(&self, kind: IdKind, index: usize, id: &str) -> Option<&[u8]> {
        let table = match kind {
            IdKind::Tip => &self.tips,
            IdKind::Rule => &self.rules,
            IdKind::Question => &self.questions,
            IdKind::Section => &self.sections,
        };
        let entry = (*table.get(index)?)?;
        let same = entry.address == id.as_ptr() as usize && entry.length == id.len();
        same.then(|| self.bytes.get(entry.start..entry.end))?
    }

    /// Renders `id` into the cache and appends it.
    #[cold]
    fn render(&mut self, out: &mut Vec<u8>, kind: IdKind, index: usize, id: &str) {
        let address = id.as_ptr() as usize;
        let start = self.bytes.len();
        string(&mut self.bytes, id);
        let end = self.bytes.len();
        let table = self.table(kind);
        if table.len() <= index {
            table.resize(index + 1, None);
        }
        if let Some(slot) = table.get_mut(index) {
            *slot = Some(Entry {
                address,
                length: id.len(),
                start,
                end,
            });
        }
        out.extend_from_slice(self.bytes.get(start..end).unwrap_or_default());
    }

    /// The entries of one kind of id.
    fn table(&mut self, kind: IdKind) -> &mut Vec<Option<Entry>> {
        match kind {
            IdKind::Tip => &mut self.tips,
            IdKind::Rule => &mut self.rules,
            IdKind::Question => &mut self.questions,
            IdKind::Section => &mut self.sections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{IdKind, JsonIds};
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
                assert_eq!(written(ids, IdKind::Rule, 3, &second), expected(&second));
            }
            // The same index with another text (a caller changed the id): that text.
            assert_eq!(written(ids, IdKind::Tip, 3, &second), expected(&second));
            assert_eq!(written(ids, IdKind::Tip, 3, &first), expected(&first));
        });
        let other_rules = info("other");
        JsonIds::with(&other_rules, |ids| assert!(ids.tips.is_empty()));
    }
}
