//! The boundary between JavaScript values and meridian-core's serde types: reading inputs with
//! the field path of any error, writing outputs exactly as the CLI's JSON, and the error type that
//! becomes a thrown JS `Error`.

use core::fmt::Display;

use js_sys::{Array, JSON, Map, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting of arrays and objects accepted in an input (a scenario needs under 10). Reading
/// recurses once per level, and a WebAssembly stack overflow would corrupt the module's memory
/// rather than throw, so deeper (or cyclic) inputs are refused before they are read.
pub const MAX_DEPTH: usize = 64;

/// Most values looked at in one JS input (a cyclic object would otherwise be walked forever).
pub const MAX_VALUES: usize = 1 << 20;

/// An error on its way to JavaScript: a message that names the field, and the field's path on
/// its own (`topology.regions[0].lat`, `options.seed`, ...) when one field is to blame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The whole message, e.g. `invalid scenario: replication.w = 5: expected ...`.
    pub message: String,
    /// The path of the offending field, when there is one.
    pub path: Option<String>,
}

impl ApiError {
    /// An error about no field in particular.
    pub fn new(message: impl Into<String>) -> Self {
        ApiError {
            message: message.into(),
            path: None,
        }
    }

    /// An error about the field at `path`; the message is `context: path: reason`, or
    /// `context: reason` when `reason` already starts with the path.
    pub fn at(context: &str, path: impl Into<String>, reason: impl Display) -> Self {
        let path = path.into();
        let reason = reason.to_string();
        let message = if path.is_empty() || reason.starts_with(&path) {
            format!("{context}: {reason}")
        } else {
            format!("{context}: {path}: {reason}")
        };
        ApiError {
            message,
            path: (!path.is_empty()).then_some(path),
        }
    }

    /// A `serde_path_to_error` failure while reading `context`, with `prefix` put in front of
    /// the path (e.g. `options`).
    pub fn from_path_error<E: Display>(
        context: &str,
        prefix: &str,
        e: &serde_path_to_error::Error<E>,
    ) -> Self {
        // serde-wasm-bindgen's errors are JS errors, written `Error: reason`.
        let reason = e.inner().to_string();
        let reason = reason.strip_prefix("Error: ").unwrap_or(&reason);
        ApiError::at(context, join_path(prefix, &e.path().to_string()), reason)
    }

    /// The thrown value: a JS `Error` with this message and, when known, a `path` property.
    pub fn into_js(self) -> JsValue {
        let error = js_sys::Error::new(&self.message);
        if let Some(path) = &self.path {
            // Setting a property on a fresh Error object cannot fail; if it did, the message
            // still names the path.
            let _ = Reflect::set(&error, &"path".into(), &JsValue::from_str(path));
        }
        error.into()
    }
}

impl From<ApiError> for JsValue {
    fn from(e: ApiError) -> Self {
        e.into_js()
    }
}

/// `prefix.path`, `prefix[i]...`, or either alone when the other is empty (serde_path_to_error
/// writes the root as `.`).
pub fn join_path(prefix: &str, path: &str) -> String {
    let path = if path == "." { "" } else { path };
    match (prefix.is_empty(), path.is_empty()) {
        (_, true) => prefix.to_string(),
        (true, false) => path.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

/// Whether `value` is `undefined` or `null` (an argument left out).
pub fn is_absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// Reads a `T` from a plain JS value (`serde-wasm-bindgen`), naming the field path of any error,
/// with `prefix` in front of it. `context` starts the message, e.g. `invalid options`.
///
/// The value is read as JSON data first and `T` from that: `serde-wasm-bindgen` looks up only a
/// struct's known fields, so a misspelt field would otherwise pass unnoticed, while core's types
/// refuse unknown fields. `undefined` reads as `null`; a whole number may be a BigInt.
pub fn from_js<T: DeserializeOwned>(
    value: JsValue,
    context: &str,
    prefix: &str,
) -> Result<T, ApiError> {
    let mut budget = MAX_VALUES;
    check_js_shape(&value, 0, &mut budget)
        .map_err(|reason| ApiError::at(context, prefix, reason))?;
    let de = serde_wasm_bindgen::Deserializer::from(value);
    let data: serde_json::Value = serde_path_to_error::deserialize(de)
        .map_err(|e| ApiError::from_path_error(context, prefix, &e))?;
    from_data(data, context, prefix)
}

/// Refuses a JS value nested deeper than [`MAX_DEPTH`] or holding more than [`MAX_VALUES`]
/// values, looking into arrays, plain objects and `Map`s as `serde-wasm-bindgen` does.
fn check_js_shape(value: &JsValue, depth: usize, budget: &mut usize) -> Result<(), String> {
    if *budget == 0 {
        return Err(format!(
            "more than {MAX_VALUES} values (or an object that contains itself)"
        ));
    }
    *budget -= 1;
    if !value.is_object() {
        return Ok(());
    }
    if depth >= MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (or an object that contains itself)"
        ));
    }
    let children = if Array::is_array(value) {
        Array::from(value)
    } else if let Some(map) = value.dyn_ref::<Map>() {
        Array::from(&map.values())
    } else {
        Object::values(value.unchecked_ref())
    };
    for child in children.iter() {
        check_js_shape(&child, depth + 1, budget)?;
    }
    Ok(())
}

/// The nesting depth of JSON data (arrays and objects), counting at most `limit + 1` levels.
fn data_depth(data: &serde_json::Value, limit: usize) -> usize {
    let children: Box<dyn Iterator<Item = &serde_json::Value>> = match data {
        serde_json::Value::Array(a) => Box::new(a.iter()),
        serde_json::Value::Object(o) => Box::new(o.values()),
        _ => return 0,
    };
    if limit == 0 {
        return 1;
    }
    1 + children
        .map(|v| data_depth(v, limit - 1))
        .max()
        .unwrap_or(0)
}

/// Reads a `T` from JSON data, naming the field path of any error (with `prefix` in front).
/// Every input goes through here, so each type's path-tracking reader is compiled once. (The
/// text parsers limit nesting themselves; the data is checked against [`MAX_DEPTH`] again.)
pub fn from_data<T: DeserializeOwned>(
    data: serde_json::Value,
    context: &str,
    prefix: &str,
) -> Result<T, ApiError> {
    if data_depth(&data, MAX_DEPTH) > MAX_DEPTH {
        return Err(ApiError::at(
            context,
            prefix,
            format!("nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    serde_path_to_error::deserialize(data)
        .map_err(|e| ApiError::from_path_error(context, prefix, &e))
}

/// Like [`from_js`], but `undefined` or `null` give `T::default()`.
pub fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    context: &str,
    prefix: &str,
) -> Result<T, ApiError> {
    if is_absent(&value) {
        Ok(T::default())
    } else {
        from_js(value, context, prefix)
    }
}

/// Writes `value` as a plain JS object: the JSON text the CLI prints for it, parsed by
/// `JSON.parse`. Fields keep the CLI's names and order, absent options are left out as in the
/// JSON, and a non-finite number is `null` as in the JSON.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, ApiError> {
    let text = serde_json::to_string(value)
        .map_err(|e| ApiError::new(format!("cannot write the result: {e}")))?;
    JSON::parse(&text).map_err(|_| ApiError::new("cannot read the result back as JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_like_the_scenario_documents() {
        assert_eq!(join_path("options", "seed"), "options.seed");
        assert_eq!(join_path("options", "."), "options");
        assert_eq!(join_path("versions", "[2].hlc"), "versions[2].hlc");
        assert_eq!(
            join_path("", "topology.regions[0].lat"),
            "topology.regions[0].lat"
        );
    }

    #[test]
    fn data_depth_counts_nested_arrays_and_objects_up_to_a_limit() {
        let data: serde_json::Value =
            serde_json::from_str(r#"{"a": [[1], {"b": 2}], "c": 3}"#).unwrap();
        assert_eq!(data_depth(&data, 10), 3);
        assert_eq!(data_depth(&serde_json::json!(5), 10), 0);
        assert_eq!(data_depth(&data, 3), 3);
        assert_eq!(data_depth(&data, 2), 3);
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        let deep: serde_json::Value = serde_json::from_str(&deep).unwrap();
        assert_eq!(data_depth(&deep, 10), 11);
        assert_eq!(data_depth(&deep, 100), 100);
    }

    #[test]
    fn messages_name_the_path_once() {
        let e = ApiError::at(
            "invalid scenario",
            "replication.w",
            "replication.w = 5: expected",
        );
        assert_eq!(e.message, "invalid scenario: replication.w = 5: expected");
        assert_eq!(e.path.as_deref(), Some("replication.w"));
        let e = ApiError::at("invalid options", "options.seed", "invalid type");
        assert_eq!(e.message, "invalid options: options.seed: invalid type");
        let e = ApiError::at("invalid options", "", "invalid type");
        assert_eq!(e.message, "invalid options: invalid type");
        assert_eq!(e.path, None);
    }
}
