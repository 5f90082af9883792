//! An assessment's answers by question id: a vector of entries kept sorted by id, so that
//! checking them against the rule set walks them as a slice.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::answer::Answer;

/// The answers of an assessment by question id, in the byte order of the ids, each id
/// once: a map with the methods of a `BTreeMap<String, Answer>` that readers use
/// (`get`, `insert`, `remove`, `retain`, `iter`, `keys`, `len`, collecting from pairs,
/// where a later pair replaces an earlier one with the same id), kept in one sorted
/// vector. In JSON it is an object, its members in id order.
///
/// [`insert`](Self::insert) keeps the vector sorted: an id after every other is
/// appended, any other moves the entries after it, so many answers in no particular
/// order are best collected at once ([`FromIterator`] sorts them once).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswerMap {
    /// The entries, sorted by id and without two of the same id.
    entries: Vec<(String, Answer)>,
}

impl AnswerMap {
    /// No answers.
    pub const fn new() -> AnswerMap {
        AnswerMap {
            entries: Vec::new(),
        }
    }

    /// The answers of entries already in ascending order of their ids, as a `BTreeMap`
    /// gives them, taken as they are.
    pub(crate) fn from_sorted(entries: Vec<(String, Answer)>) -> AnswerMap {
        debug_assert!(entries.is_sorted_by(|(a, _), (b, _)| a < b));
        AnswerMap { entries }
    }

    /// The entries, in ascending order of their ids.
    pub(crate) fn as_slice(&self) -> &[(String, Answer)] {
        &self.entries
    }

    /// How many questions are answered.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no answers.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of `id`'s entry, or where it would go.
    fn position(&self, id: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(entry, _)| entry.as_str().cmp(id))
    }

    /// The answer to the question `id`.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        let at = self.position(id).ok()?;
        self.entries.get(at).map(|(_, answer)| answer)
    }

    /// The answer to the question `id`, to change in place.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Answer> {
        let at = self.position(id).ok()?;
        self.entries.get_mut(at).map(|(_, answer)| answer)
    }

    /// Whether the question `id` is answered.
    pub fn contains_key(&self, id: &str) -> bool {
        self.position(id).is_ok()
    }

    /// Answers the question `id`; the answer it had before, if any.
    pub fn insert(&mut self, id: String, answer: Answer) -> Option<Answer> {
        match self.position(&id) {
            Ok(at) => self
                .entries
                .get_mut(at)
                .map(|(_, old)| std::mem::replace(old, answer)),
            Err(at) => {
                self.entries.insert(at, (id, answer));
                None
            }
        }
    }

    /// Takes the answer to the question `id` out.
    pub fn remove(&mut self, id: &str) -> Option<Answer> {
        let at = self.position(id).ok()?;
        Some(self.entries.remove(at).1)
    }

    /// Keeps only the answers for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&String, &mut Answer) -> bool) {
        self.entries.retain_mut(|(id, answer)| keep(id, answer));
    }

    /// The ids and answers, in id order.
    pub fn iter(&self) -> AnswerMapIter<'_> {
        AnswerMapIter {
            entries: self.entries.iter(),
        }
    }

    /// The ids, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> + DoubleEndedIterator {
        self.entries.iter().map(|(id, _)| id)
    }

    /// The answers, in the order of their ids.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &Answer> + DoubleEndedIterator {
        self.entries.iter().map(|(_, answer)| answer)
    }
}

/// The ids and answers of an [`AnswerMap`], in id order.
#[derive(Debug, Clone)]
pub struct AnswerMapIter<'a> {
    entries: std::slice::Iter<'a, (String, Answer)>,
}

impl<'a> Iterator for AnswerMapIter<'a> {
    type Item = (&'a String, &'a Answer);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.entries.next().map(|(id, answer)| (id, answer))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl DoubleEndedIterator for AnswerMapIter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.entries.next_back().map(|(id, answer)| (id, answer))
    }
}

impl ExactSizeIterator for AnswerMapIter<'_> {}

impl<'a> IntoIterator for &'a AnswerMap {
    type Item = (&'a String, &'a Answer);
    type IntoIter = AnswerMapIter<'a>;

    fn into_iter(self) -> AnswerMapIter<'a> {
        self.iter()
    }
}

impl IntoIterator for AnswerMap {
    type Item = (String, Answer);
    type IntoIter = std::vec::IntoIter<(String, Answer)>;

    /// The ids and answers, in id order.
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl FromIterator<(String, Answer)> for AnswerMap {
    /// The answers of the pairs; of pairs with the same id the last one counts, as in a
    /// `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (String, Answer)>>(pairs: I) -> AnswerMap {
        let mut entries: Vec<(String, Answer)> = pairs.into_iter().collect();
        if !entries.is_sorted_by(|(a, _), (b, _)| a < b) {
            // Stable, so pairs with the same id stay in the order given; each run of
            // them then keeps its last answer.
            entries.sort_by(|(a, _), (b, _)| a.cmp(b));
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(&mut later.1, &mut kept.1);
                }
                same
            });
        }
        AnswerMap { entries }
    }
}

impl Extend<(String, Answer)> for AnswerMap {
    /// Answers each pair's question, a later pair replacing an earlier answer.
    fn extend<I: IntoIterator<Item = (String, Answer)>>(&mut self, pairs: I) {
        for (id, answer) in pairs {
            self.insert(id, answer);
        }
    }
}

impl<const N: usize> From<[(String, Answer); N]> for AnswerMap {
    fn from(pairs: [(String, Answer); N]) -> AnswerMap {
        pairs.into_iter().collect()
    }
}

impl Serialize for AnswerMap {
    /// A JSON object, its members in id order.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (id, answer) in &self.entries {
            map.serialize_entry(id, answer)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for AnswerMap {
    /// From a JSON object; of members with the same id the last one counts, as in a
    /// `BTreeMap` (reading an [`Assessment`](super::Assessment) refuses them instead).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = AnswerMap;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of answers by question id")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<AnswerMap, A::Error> {
                let mut pairs = Vec::with_capacity(members.size_hint().unwrap_or(0).min(4096));
                while let Some(pair) = members.next_entry::<String, Answer>()? {
                    pairs.push(pair);
                }
                Ok(pairs.into_iter().collect())
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::{Answer, AnswerMap};

    /// What a step does to both maps.
    #[derive(Debug, Clone)]
    enum Step {
        Insert(String, u8),
        Remove(String),
        Retain(usize),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => ("[a-d]{0,3}", any::<u8>()).prop_map(|(id, n)| Step::Insert(id, n)),
            1 => "[a-d]{0,3}".prop_map(Step::Remove),
            1 => (0_usize..4).prop_map(Step::Retain),
        ]
    }

    /// Both maps hold the same answers in the same order, and write the same JSON.
    fn same(map: &AnswerMap, model: &BTreeMap<String, Answer>) -> Result<(), TestCaseError> {
        prop_assert_eq!(map.len(), model.len());
        prop_assert_eq!(map.is_empty(), model.is_empty());
        prop_assert!(map.iter().eq(model.iter()));
        prop_assert!(map.keys().eq(model.keys()));
        prop_assert!(map.values().eq(model.values()));
        prop_assert_eq!(
            serde_json::to_string(map).unwrap(),
            serde_json::to_string(model).unwrap()
        );
        Ok(())
    }

    proptest! {
        #[test]
        fn the_map_does_what_a_btree_map_does(
            pairs in prop::collection::vec(("[a-d]{0,3}", any::<u8>()), 0..24),
            steps in prop::collection::vec(step(), 0..24),
        ) {
            let pairs: Vec<(String, Answer)> =
                pairs.into_iter().map(|(id, n)| (id, Answer::from(n))).collect();
            let mut model: BTreeMap<String, Answer> = pairs.iter().cloned().collect();
            let mut map: AnswerMap = pairs.into_iter().collect();
            same(&map, &model)?;
            for step in steps {
                match step {
                    Step::Insert(id, n) => prop_assert_eq!(
                        map.insert(id.clone(), Answer::from(n)),
                        model.insert(id, Answer::from(n))
                    ),
                    Step::Remove(id) => prop_assert_eq!(map.remove(&id), model.remove(&id)),
                    Step::Retain(length) => {
                        map.retain(|id, _| id.len() != length);
                        model.retain(|id, _| id.len() != length);
                    }
                }
                same(&map, &model)?;
                for id in ["", "a", "ab", "dd", "abc"] {
                    prop_assert_eq!(map.get(id), model.get(id));
                    prop_assert_eq!(map.contains_key(id), model.contains_key(id));
                }
            }
        }

        #[test]
        fn json_is_read_as_a_btree_map_reads_it(
            members in prop::collection::vec(("[a-c]{0,2}", 0_u8..4), 0..12),
        ) {
            let text = format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(id, n)| format!("\"{id}\":{n}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let map: AnswerMap = serde_json::from_str(&text).unwrap();
            let model: BTreeMap<String, Answer> = serde_json::from_str(&text).unwrap();
            same(&map, &model)?;
        }
    }

    #[test]
    fn sorted_entries_are_taken_as_they_are() {
        let model: BTreeMap<String, Answer> = [("b", 1), ("a", 2), ("c", 3)]
            .map(|(id, n)| (id.to_owned(), Answer::from(n)))
            .into();
        let map = AnswerMap::from_sorted(model.clone().into_iter().collect());
        assert_eq!(map, model.into_iter().collect());
        assert_eq!(map.as_slice().len(), 3);
    }
}
