//! Between Python objects and the library's JSON. An assessment is read from Python
//! values into a JSON value (with the GIL) and then checked by the library exactly as
//! one JSON assessment of `advise` (without it); an advice goes out as the library's
//! own JSON bytes, loaded by Python's `json` module, so it is the command line's output.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use studentsucces::input::Assessment;
use studentsucces::report::Advice;

/// Nesting deeper than this is refused: no assessment is that deep, and the walk
/// recurses.
const MAX_DEPTH: usize = 32;

/// A Python value as JSON: `None`, `bool`, `int`, `float`, `str`, `dict` with text
/// keys, `list` and `tuple`, and anything with an `item()` method that gives one of
/// those (numpy and pandas scalars). A float NaN (pandas' missing value) is `null`.
pub fn json_value(value: &Bound<'_, PyAny>) -> Result<Value, String> {
    to_json(value, 0)
}

fn to_json(value: &Bound<'_, PyAny>, depth: usize) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if let Ok(number) = value.cast::<PyInt>() {
        return int(number);
    }
    if let Ok(number) = value.cast::<PyFloat>() {
        return Ok(float(number.value()));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return text
            .to_cow()
            .map(|text| Value::String(text.into_owned()))
            .map_err(|error| error.to_string());
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        return object(dict, depth);
    }
    if let Ok(list) = value.cast::<PyList>() {
        return array(list.iter(), depth);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return array(tuple.iter(), depth);
    }
    scalar(value, depth)
}

/// A whole number; one past 64 bits becomes the nearest float, as JSON readers do.
fn int(number: &Bound<'_, PyInt>) -> Result<Value, String> {
    if let Ok(whole) = number.extract::<i64>() {
        return Ok(Value::from(whole));
    }
    if let Ok(whole) = number.extract::<u64>() {
        return Ok(Value::from(whole));
    }
    number
        .extract::<f64>()
        .map(float)
        .map_err(|_| format!("the number {number} is too large"))
}

/// A float; NaN is `null`, an infinity (which JSON has no way to write) is text, and
/// the library refuses it as an answer with its own message.
fn float(number: f64) -> Value {
    if number.is_nan() {
        return Value::Null;
    }
    Number::from_f64(number).map_or_else(|| Value::String(number.to_string()), Value::Number)
}

fn object(dict: &Bound<'_, PyDict>, depth: usize) -> Result<Value, String> {
    let mut map = Map::new();
    for (key, value) in dict.iter() {
        let Ok(key) = key.cast::<PyString>() else {
            return Err(format!("the key {} is not text", short_repr(&key)));
        };
        let key = key.to_cow().map_err(|error| error.to_string())?;
        let value = to_json(&value, depth + 1).map_err(|error| format!("`{key}`: {error}"))?;
        map.insert(key.into_owned(), value);
    }
    Ok(Value::Object(map))
}

fn array<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    depth: usize,
) -> Result<Value, String> {
    items
        .enumerate()
        .map(|(index, item)| {
            to_json(&item, depth + 1).map_err(|error| format!("[{index}]: {error}"))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// A numpy or pandas scalar, through its `item()`; anything else is refused.
fn scalar(value: &Bound<'_, PyAny>, depth: usize) -> Result<Value, String> {
    let refused = || {
        let kind = value
            .get_type()
            .name()
            .map_or_else(|_| "object".to_owned(), |name| name.to_string());
        format!(
            "{} (a {kind}) is not a number, text, true/false, None, dict or list",
            short_repr(value)
        )
    };
    if !value.hasattr("item").unwrap_or(false) {
        return Err(refused());
    }
    match value.call_method0("item") {
        Ok(item) if !item.is(value) && !item.hasattr("item").unwrap_or(false) => {
            to_json(&item, depth + 1)
        }
        _ => Err(refused()),
    }
}

/// `repr` of a value, clipped for a message.
fn short_repr(value: &Bound<'_, PyAny>) -> String {
    let text = value
        .repr()
        .map_or_else(|_| "<unprintable>".to_owned(), |repr| repr.to_string());
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or_default()),
        None => text,
    }
}

/// Reads a JSON value as one assessment, with the library's checks and messages.
pub fn assessment(value: Value) -> Result<Assessment, String> {
    Assessment::deserialize(value).map_err(|error| error.to_string())
}

/// The advice as the library writes it: compact JSON, the command line's bytes.
pub fn advice_json(advice: &Advice<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    advice.append_json(&mut out);
    out
}

/// JSON text as Python objects, through the standard `json` module.
pub fn loads<'py>(py: Python<'py>, json: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let text = std::str::from_utf8(json)
        .map_err(|error| pyo3::exceptions::PyValueError::new_err(error.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}
