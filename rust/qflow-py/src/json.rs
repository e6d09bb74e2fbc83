//! `plain_json(value)`: the compact JSON text `json.dumps` would write for plain data.
//!
//! The store writes specs, plans and task outputs as JSON. Most are plain (dicts with str
//! keys, lists, str, int, float, bool, None); writing them here takes a fifth of the time
//! `json.dumps` needs, and a twentieth of the store's tagged encoder's. The text is byte
//! for byte what `json.dumps(value, separators=(",", ":"), allow_nan=False)` writes (ASCII
//! only, floats as Python's `repr`), so stored text and cache keys do not depend on which
//! path wrote them. Anything else (a tuple, a subclass, a non-str key, the `"$qf"` tag key, a
//! non-finite float, a lone surrogate, very deep nesting) returns `None`, and Python's
//! tagged encoder takes over.

use std::fmt::Write;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

/// The key Python's encoder uses to tag values JSON lacks: a dict holding it is not plain.
const TAG: &str = "$qf";
/// Deeper nesting goes to Python, which raises `RecursionError` as `json.dumps` would.
const MAX_DEPTH: usize = 256;

/// JSON text of `value` when it is plain data, else `None`.
#[pyfunction]
pub fn plain_json(value: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let mut out = String::new();
    Ok(write_value(value, &mut out, 0)?.then_some(out))
}

fn write_value(value: &Bound<'_, PyAny>, out: &mut String, depth: usize) -> PyResult<bool> {
    if let Ok(text) = value.cast_exact::<PyString>() {
        return Ok(write_str(text, out));
    }
    if let Ok(dict) = value.cast_exact::<PyDict>() {
        return write_dict(dict, out, depth);
    }
    if let Ok(list) = value.cast_exact::<PyList>() {
        return write_list(list, out, depth);
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(flag) = value.cast_exact::<PyBool>() {
        out.push_str(if flag.is_true() { "true" } else { "false" });
    } else if let Ok(int) = value.cast_exact::<PyInt>() {
        match int.extract::<i64>() {
            Ok(n) => {
                let _ = write!(out, "{n}");
            }
            Err(_) => out.push_str(&int.repr()?.to_cow()?), // beyond 64 bits
        }
    } else if let Ok(float) = value.cast_exact::<PyFloat>() {
        if !float.value().is_finite() {
            return Ok(false);
        }
        out.push_str(&float.repr()?.to_cow()?); // Python's shortest repr, as json.dumps
    } else {
        return Ok(false);
    }
    Ok(true)
}

fn write_list(list: &Bound<'_, PyList>, out: &mut String, depth: usize) -> PyResult<bool> {
    if depth >= MAX_DEPTH {
        return Ok(false);
    }
    out.push('[');
    for (i, item) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if !write_value(&item, out, depth + 1)? {
            return Ok(false);
        }
    }
    out.push(']');
    Ok(true)
}

fn write_dict(dict: &Bound<'_, PyDict>, out: &mut String, depth: usize) -> PyResult<bool> {
    if depth >= MAX_DEPTH {
        return Ok(false);
    }
    out.push('{');
    for (i, (key, item)) in dict.iter().enumerate() {
        let Ok(key) = key.cast_exact::<PyString>() else {
            return Ok(false);
        };
        if i > 0 {
            out.push(',');
        }
        if key.to_str().is_ok_and(|k| k == TAG) || !write_str(key, out) {
            return Ok(false);
        }
        out.push(':');
        if !write_value(&item, out, depth + 1)? {
            return Ok(false);
        }
    }
    out.push('}');
    Ok(true)
}

/// A JSON string as `json.dumps` writes it with `ensure_ascii`: printable ASCII as is,
/// the usual short escapes, everything else as `\uXXXX` (surrogate pairs above U+FFFF).
/// `false` for a str holding a lone surrogate (not UTF-8).
fn write_str(text: &Bound<'_, PyString>, out: &mut String) -> bool {
    let Ok(text) = text.to_str() else {
        return false;
    };
    out.push('"');
    if text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        out.push_str(text);
    } else {
        for ch in text.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                ' '..='~' => out.push(ch),
                _ => {
                    let mut units = [0u16; 2];
                    for unit in ch.encode_utf16(&mut units) {
                        let _ = write!(out, "\\u{unit:04x}");
                    }
                }
            }
        }
    }
    out.push('"');
    true
}
