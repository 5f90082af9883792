//! One JSON assessment as parsed, before it is judged: a visitor that takes any JSON
//! value and writes down what does not fit (a duplicate key, a value of the wrong
//! shape, too many entries, a NUL character) instead of failing, so that one bad
//! assessment in an array or a JSON Lines file is the error of that one only, and
//! serde_json's silent "last duplicate wins" never happens.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::limits::{clipped, shown, MAX_COLUMNS};
use super::records::RowError;

/// The keys of an assessment object.
pub(crate) const ASSESSMENT_KEYS: [&str; 4] = ["programme", "meta", "answers", "comments"];

/// What an assessment object looks like, for messages.
pub(crate) const ASSESSMENT_SHAPE: &str =
    "an assessment object {\"programme\": ..., \"answers\": {...}}";

/// An assessment as parsed, with every problem found on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Parsed {
    /// The programme id; `None` when missing or not text.
    pub(crate) programme: Option<String>,
    pub(crate) meta: BTreeMap<String, Value>,
    /// The answers in ascending order of their ids, each id once (as the assessment's
    /// `BTreeMap` would hold them, without building one only to read it in order).
    pub(crate) answers: Vec<(String, Value)>,
    /// Comments, empty and `null` ones dropped.
    pub(crate) comments: BTreeMap<String, String>,
    /// What does not fit: the assessment cannot be advised.
    pub(crate) problems: Vec<RowError>,
    /// Keys other than programme, meta, answers and comments.
    pub(crate) unknown: Vec<RowError>,
}

impl<'de> serde::Deserialize<'de> for Parsed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AssessmentVisitor)
    }
}

struct AssessmentVisitor;

impl<'de> Visitor<'de> for AssessmentVisitor {
    type Value = Parsed;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(ASSESSMENT_SHAPE)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut parsed = Parsed::default();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                parsed.problems.push(duplicate(&key, None));
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match key.as_str() {
                "programme" => match map.next_value::<Value>()? {
                    Value::String(id) if !id.contains('\0') => parsed.programme = Some(id),
                    other => parsed.problems.push(not_an_id(&other)),
                },
                "meta" => {
                    let entries = map.next_value_seed(Entries::new("meta"))?;
                    parsed.meta = entries.take(&mut parsed.problems);
                }
                "answers" => {
                    let entries = map.next_value_seed(Entries::new("answers"))?;
                    parsed.answers = entries.take_sorted(&mut parsed.problems);
                }
                "comments" => {
                    let entries = map.next_value_seed(Entries::new("comments"))?;
                    parsed.comments =
                        comments(entries.take(&mut parsed.problems), &mut parsed.problems);
                }
                _ => {
                    let value = map.next_value::<Value>()?;
                    parsed.unknown.push(unknown_key(&key, &value));
                }
            }
        }
        Ok(parsed)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(not_an_object("an array"))
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Parsed, E> {
        Ok(not_an_object("a string"))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Parsed, E> {
        Ok(not_an_object("true or false"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Parsed, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Parsed, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Parsed, E> {
        Ok(not_an_object("a number"))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Parsed, E> {
        Ok(not_an_object("null"))
    }
}

fn not_an_object(found: &str) -> Parsed {
    Parsed {
        problems: vec![RowError::row(
            ASSESSMENT_SHAPE,
            format!("expected {ASSESSMENT_SHAPE}, found {found}"),
        )],
        ..Parsed::default()
    }
}

fn not_an_id(value: &Value) -> RowError {
    RowError {
        column: Some("programme".to_owned()),
        value: Some(clipped(&value.to_string())),
        expected: "the programme id as text".to_owned(),
        message: format!(
            "`programme` must be the programme id as text without NUL characters, not {}",
            shown(&value.to_string())
        ),
    }
}

fn duplicate(key: &str, within: Option<&str>) -> RowError {
    let place = within.map_or_else(|| "the assessment".to_owned(), |name| format!("`{name}`"));
    RowError {
        column: Some(clipped(key)),
        value: None,
        expected: "each key once".to_owned(),
        message: format!(
            "the key {} appears twice in {place}; which value is meant cannot be told",
            shown(key)
        ),
    }
}

fn unknown_key(key: &str, value: &Value) -> RowError {
    let suggestion = crate::diagnostic::did_you_mean(key, ASSESSMENT_KEYS.into_iter());
    RowError {
        column: Some(clipped(key)),
        value: Some(clipped(&value.to_string())),
        expected: "only the keys programme, meta, answers and comments".to_owned(),
        message: format!("unknown key {} in the assessment{suggestion}", shown(key)),
    }
}

/// The comments that are text, without the empty ones.
fn comments(
    entries: BTreeMap<String, Value>,
    problems: &mut Vec<RowError>,
) -> BTreeMap<String, String> {
    let mut kept = BTreeMap::new();
    for (id, value) in entries {
        match value {
            Value::String(text) => {
                if let Some(text) = super::assessment::comment_text(&text) {
                    kept.insert(id, text);
                }
            }
            Value::Null => {}
            other => problems.push(RowError {
                column: Some(clipped(&super::comment_column(&id))),
                value: Some(clipped(&other.to_string())),
                expected: "a comment as text".to_owned(),
                message: format!("the comment on {} must be text", shown(&id)),
            }),
        }
    }
    kept
}

/// The entries of `meta`, `answers` or `comments`, checked.
struct Entries {
    name: &'static str,
    /// The entries while each key is greater than the one before (as in an object
    /// written from a sorted map, which is how most files come): kept without searching
    /// a map for a duplicate, since none can be.
    ascending: Vec<(String, Value)>,
    /// Every entry, once a key came that is not greater than the one before it.
    map: BTreeMap<String, Value>,
    problems: Vec<RowError>,
}

impl Entries {
    fn new(name: &'static str) -> Self {
        Entries {
            name,
            ascending: Vec::new(),
            map: BTreeMap::new(),
            problems: Vec::new(),
        }
    }

    /// The entries in ascending order of their keys, moving the problems to
    /// `problems`.
    fn take_sorted(self, problems: &mut Vec<RowError>) -> Vec<(String, Value)> {
        problems.extend(self.problems);
        if self.map.is_empty() {
            self.ascending
        } else {
            self.map.into_iter().collect()
        }
    }

    /// The entries, moving the problems to `problems`.
    fn take(self, problems: &mut Vec<RowError>) -> BTreeMap<String, Value> {
        problems.extend(self.problems);
        if self.map.is_empty() {
            // Sorted already: the map is built without a search per key.
            self.ascending.into_iter().collect()
        } else {
            self.map
        }
    }

    fn add(&mut self, key: String, value: Value) {
        if key.contains('\0') || holds_nul(&value) {
            self.problems.push(nul_character(self.name, &key));
            return;
        }
        let last = self.ascending.last().map(|(last, _)| last.as_str());
        if self.map.is_empty() && last.is_none_or(|last| last < key.as_str()) {
            self.add_ascending(key, value);
            return;
        }
        self.map.extend(std::mem::take(&mut self.ascending));
        // One search of the map for both the duplicate check and the insert.
        let entries = self.map.len();
        match self.map.entry(key) {
            Entry::Occupied(entry) => {
                let problem = duplicate(entry.key(), Some(self.name));
                self.problems.push(problem);
            }
            Entry::Vacant(_) if entries == MAX_COLUMNS => {
                let problem = self.too_many();
                self.problems.push(problem);
            }
            Entry::Vacant(entry) if entries < MAX_COLUMNS => {
                entry.insert(value);
            }
            Entry::Vacant(_) => {}
        }
    }

    /// Adds an entry whose key is greater than every key before it, so no duplicate.
    fn add_ascending(&mut self, key: String, value: Value) {
        if self.ascending.len() == MAX_COLUMNS {
            self.problems.push(self.too_many());
        } else if self.ascending.len() < MAX_COLUMNS {
            self.ascending.push((key, value));
        }
    }

    fn too_many(&self) -> RowError {
        RowError::row(
            format!("at most {MAX_COLUMNS} entries in `{}`", self.name),
            format!("`{}` has more than {MAX_COLUMNS} entries", self.name),
        )
    }
}

fn nul_character(within: &str, key: &str) -> RowError {
    RowError {
        column: Some(clipped(key)),
        value: None,
        expected: "text without NUL characters".to_owned(),
        message: format!(
            "the entry {} of `{within}` holds a NUL character, which no answer, comment or name has",
            shown(key)
        ),
    }
}

/// Whether a JSON value holds a NUL character in a string or key.
fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map
            .iter()
            .any(|(key, item)| key.contains('\0') || holds_nul(item)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

impl<'de> DeserializeSeed<'de> for Entries {
    type Value = Entries;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Entries, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Entries {
    type Value = Entries;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "an object for `{}`", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Entries, A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Value>()?;
            self.add(key, value);
        }
        Ok(self)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Entries, E> {
        Ok(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.not_an_object("an array"))
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Entries, E> {
        Ok(self.not_an_object("a string"))
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Entries, E> {
        Ok(self.not_an_object("true or false"))
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Entries, E> {
        Ok(self.not_an_object("a number"))
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Entries, E> {
        Ok(self.not_an_object("a number"))
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Entries, E> {
        Ok(self.not_an_object("a number"))
    }
}

impl Entries {
    fn not_an_object(mut self, found: &str) -> Entries {
        let expected = match self.name {
            "answers" => "an object {\"question id\": answer, ...}",
            "comments" => "an object {\"question id\": \"comment\", ...}",
            _ => "an object {\"name\": value, ...}",
        };
        self.problems.push(RowError {
            column: Some(self.name.to_owned()),
            value: None,
            expected: expected.to_owned(),
            message: format!("`{}` must be {expected}, not {found}", self.name),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_duplicate_key_is_a_problem_at_every_level() {
        for text in [
            r#"{"programme": "a", "programme": "b"}"#,
            r#"{"programme": "a", "answers": {"q": 1, "q": 2}}"#,
            r#"{"programme": "a", "meta": {"name": "x", "name": "y"}}"#,
            r#"{"programme": "a", "comments": {"q": "x", "q": "y"}}"#,
        ] {
            let parsed = parse(text);
            assert_eq!(parsed.problems.len(), 1, "{text}");
            assert!(
                parsed.problems[0].message.contains("appears twice"),
                "{text}"
            );
        }
    }

    /// The answer to `id`.
    fn answer<'p>(parsed: &'p Parsed, id: &str) -> &'p Value {
        let (_, value) = parsed.answers.iter().find(|(key, _)| key == id).unwrap();
        value
    }

    #[test]
    fn keys_in_any_order_give_the_same_entries_and_duplicates() {
        let parsed =
            parse(r#"{"programme": "a", "answers": {"b": 1, "c": 2, "a": 3, "c": 4, "d": 5}}"#);
        let keys: Vec<&str> = parsed.answers.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c", "d"]);
        assert_eq!(answer(&parsed, "c"), 2);
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("`c`"));
        let parsed = parse(r#"{"programme": "a", "answers": {"a": 1, "b": 2, "b": 3}}"#);
        assert_eq!(answer(&parsed, "b"), 2);
        assert_eq!(parsed.problems.len(), 1);
    }

    #[test]
    fn a_value_of_the_wrong_shape_is_described_in_words() {
        let parsed = parse(r#""B-HBO-ICT""#);
        assert_eq!(
            parsed.problems[0].message,
            format!("expected {ASSESSMENT_SHAPE}, found a string")
        );
        let parsed = parse(r#"{"programme": "a", "answers": [1, 2]}"#);
        assert!(parsed.problems[0]
            .message
            .contains("`answers` must be an object"));
    }

    #[test]
    fn entries_up_to_the_column_limit_are_kept_and_more_are_a_problem() {
        for padded in [false, true] {
            check_the_column_limit(padded);
        }
    }

    /// The column limit, for keys in ascending order (`padded`) or not.
    fn check_the_column_limit(padded: bool) {
        let key = |n: usize| {
            if padded {
                format!("q{n:05}")
            } else {
                format!("q{n}")
            }
        };
        let entries = |count: usize| {
            let answers: Vec<String> = (0..count).map(|n| format!("\"{}\": 1", key(n))).collect();
            parse(&format!(
                r#"{{"programme": "a", "answers": {{{}}}}}"#,
                answers.join(",")
            ))
        };
        let at_limit = entries(MAX_COLUMNS);
        assert!(at_limit.problems.is_empty());
        assert_eq!(at_limit.answers.len(), MAX_COLUMNS);
        let past = entries(MAX_COLUMNS + 1);
        assert_eq!(past.problems.len(), 1);
        assert!(past.problems[0].message.contains("more than 2048 entries"));
    }

    #[test]
    fn a_nul_character_is_a_problem() {
        let parsed = parse(r#"{"programme": "a", "answers": {"q": "x\u0000y"}}"#);
        assert!(parsed.problems[0].message.contains("NUL character"));
        let parsed = parse(r#"{"programme": "a\u0000"}"#);
        assert!(parsed.problems[0].message.contains("NUL"));
    }
}
