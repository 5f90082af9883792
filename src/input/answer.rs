//! One answer of an assessment as given, before it is checked against its question:
//! typed, and written to JSON exactly as it was read.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::value::RawAnswer;

/// One answer as an assessment gives it. Which values a question takes is checked when
/// the assessment is advised (a level off the scale is an error there, with the same
/// message whether the answer came from JSON, a table or this type).
///
/// In JSON an answer is a number, `true`/`false`, a string or `null`, and it is written
/// back exactly as read: `2` stays `2` and `2.0` stays `2.0` (hence a JSON number, not
/// an `f64`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Answer {
    /// A scale level, a number or a percentage, as written.
    Number(serde_json::Number),
    /// Yes or no.
    Bool(bool),
    /// Text as people write it: a choice option's id or label, a scale label (`"3 -
    /// Ingevoerd"`), a number in Dutch notation (`"12,5"`, `"35%"`), `"ja"`, or
    /// `"weet niet"`.
    Text(String),
    /// Not known ("weet niet"): `null` in JSON.
    Unknown,
    /// An array or object, which no question takes; kept so that the error quotes it.
    Invalid(Value),
}

impl Answer {
    /// A choice option (its id or its label) or a scale label.
    pub fn choice(option: impl Into<String>) -> Answer {
        Answer::Text(option.into())
    }

    /// The number, if the answer is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Answer::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    /// The text, if the answer is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Answer::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The answer as JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Answer::Number(number) => Value::Number(number.clone()),
            Answer::Bool(flag) => Value::Bool(*flag),
            Answer::Text(text) => Value::String(text.clone()),
            Answer::Unknown => Value::Null,
            Answer::Invalid(value) => value.clone(),
        }
    }

    /// The answer before it is checked against its question.
    pub(crate) fn raw(&self) -> RawAnswer<'_> {
        match self {
            Answer::Unknown => RawAnswer::Empty,
            Answer::Bool(flag) => RawAnswer::Bool(*flag),
            Answer::Number(number) => RawAnswer::Number(number.as_f64().unwrap_or(f64::NAN)),
            Answer::Text(text) => RawAnswer::Text(text),
            // Arrays and objects are never answers; their JSON text makes the error readable.
            Answer::Invalid(_) => RawAnswer::Text("<array or object>"),
        }
    }
}

impl From<Value> for Answer {
    fn from(value: Value) -> Answer {
        match value {
            Value::Null => Answer::Unknown,
            Value::Bool(flag) => Answer::Bool(flag),
            Value::Number(number) => Answer::Number(number),
            Value::String(text) => Answer::Text(text),
            other @ (Value::Array(_) | Value::Object(_)) => Answer::Invalid(other),
        }
    }
}

impl From<&Answer> for Value {
    fn from(answer: &Answer) -> Value {
        answer.to_json()
    }
}

impl From<f64> for Answer {
    /// A number; NaN or an infinity is [`Answer::Unknown`], as JSON has no such number.
    fn from(number: f64) -> Answer {
        serde_json::Number::from_f64(number).map_or(Answer::Unknown, Answer::Number)
    }
}

macro_rules! integer_answers {
    ($($integer:ty),*) => {$(
        impl From<$integer> for Answer {
            /// A whole number (a scale level, a count).
            fn from(number: $integer) -> Answer {
                Answer::Number(number.into())
            }
        }
    )*};
}

integer_answers!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<bool> for Answer {
    fn from(flag: bool) -> Answer {
        Answer::Bool(flag)
    }
}

impl From<&str> for Answer {
    fn from(text: &str) -> Answer {
        Answer::Text(text.to_owned())
    }
}

impl From<String> for Answer {
    fn from(text: String) -> Answer {
        Answer::Text(text)
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Number(number) => number.serialize(serializer),
            Answer::Bool(flag) => serializer.serialize_bool(*flag),
            Answer::Text(text) => serializer.serialize_str(text),
            Answer::Unknown => serializer.serialize_unit(),
            Answer::Invalid(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Answer::from)
    }
}

impl fmt::Display for Answer {
    /// The answer's JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_answers_are_written_back_as_read() {
        for text in ["2", "2.0", "-3", "true", "\"weet niet\"", "null", "[1,2]"] {
            let answer: Answer = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&answer).unwrap(), text);
            assert_eq!(answer.to_string(), text);
        }
        // As serde_json writes its own values: `1e3` as `1000.0`.
        let answer: Answer = serde_json::from_str("1e3").unwrap();
        let value: Value = serde_json::from_str("1e3").unwrap();
        assert_eq!(answer.to_string(), value.to_string());
    }

    #[test]
    fn rust_values_become_answers() {
        assert_eq!(Answer::from(2), Answer::Number(2.into()));
        assert_eq!(Answer::from(f64::NAN), Answer::Unknown);
        assert_eq!(Answer::from("ja"), Answer::Text("ja".to_owned()));
        assert_eq!(serde_json::to_string(&Answer::from(40.5)).unwrap(), "40.5");
    }
}
