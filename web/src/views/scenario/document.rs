//! The scenario document as the editor holds it: parsing (TOML, or JSON when the text starts with
//! `{`), the seed and duration controls applied over it, errors located at their field and line,
//! and the text to download with the controls written into it.

use meridian_core::error::FieldError;
use meridian_core::scenario::{MAX_DURATION_S, Scenario, SpannedError};
use meridian_core::sim::Model;

use super::toml_path::path_at;

/// Largest seed the controls accept: the integers a JavaScript number (and a TOML document)
/// holds exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// The document's format, guessed from its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the presets' format.
    Toml,
    /// JSON (the text starts with `{`).
    Json,
}

impl Format {
    /// JSON when the text starts with `{` (after blanks), otherwise TOML.
    pub fn of(text: &str) -> Format {
        if text.trim_start().starts_with('{') {
            Format::Json
        } else {
            Format::Toml
        }
    }

    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    /// MIME type for a download.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Toml => "application/toml",
            Format::Json => "application/json",
        }
    }
}

/// What is wrong with the document, for the message next to the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct DocError {
    /// The whole message (the parser's or the validator's).
    pub message: String,
    /// The field's path in the document, when known (e.g. `workload.keys`).
    pub field: Option<String>,
    /// The line (1-based) where the problem is, when known.
    pub line: Option<usize>,
    /// The column (1-based), when the parser gave one.
    pub column: Option<usize>,
}

impl DocError {
    /// "at workload.keys, line 12": where the problem is, in words (empty when unknown).
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = &self.field {
            parts.push(format!("field {f}"));
        }
        match (self.line, self.column) {
            (Some(l), Some(c)) => parts.push(format!("line {l}, column {c}")),
            (Some(l), None) => parts.push(format!("line {l}")),
            _ => {}
        }
        parts.join(", ")
    }
}

/// The line and column (both 1-based, the column in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The parser's reason on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A structural error of a TOML document as shown: the parser's reason, the field at the
/// position the parser gave (see [`path_at`]), and that position's line and column.
fn structural_error(text: &str, e: &SpannedError) -> DocError {
    let reason = one_line(&e.message);
    let at = e.span.as_ref().map(|s| s.start);
    let field = at.map(|o| path_at(text, o)).filter(|p| !p.is_empty());
    let (line, column) = match at.map(|o| line_column(text, o)) {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    DocError {
        message: match &field {
            Some(f) => format!("not a valid TOML scenario at {f}: {reason}"),
            None => format!("not a valid TOML scenario: {reason}"),
        },
        field,
        line,
        column,
    }
}

/// The line (1-based) of the field at `path` (`topology.regions[2].lat`) in `text`, found by
/// following the path's keys and table headers down the document; `None` when a key cannot be
/// found (e.g. a field left to its default).
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = 0;
    let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let mut found_last = false;
    for (k, segment) in segments.iter().enumerate() {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (*segment, None),
        };
        let is_key = |line: &str| {
            let t = line.trim_start();
            let t = t.strip_prefix('"').unwrap_or(t);
            t.strip_prefix(name).is_some_and(|after| {
                let after = after.strip_prefix('"').unwrap_or(after).trim_start();
                after.starts_with('=') || after.starts_with(':')
            })
        };
        let is_header = |line: &str| {
            let t = line.trim();
            t.starts_with('[')
                && t.trim_matches(|c| c == '[' || c == ']')
                    .rsplit('.')
                    .next()
                    .is_some_and(|last| last.trim() == name)
        };
        let hit = match index {
            Some(i) => lines
                .iter()
                .enumerate()
                .skip(cursor)
                .filter(|(_, l)| is_header(l))
                .nth(i)
                .map(|(n, _)| n)
                .or_else(|| {
                    lines
                        .iter()
                        .enumerate()
                        .skip(cursor)
                        .find(|(_, l)| is_key(l))
                        .map(|(n, _)| n)
                }),
            None => lines
                .iter()
                .enumerate()
                .skip(cursor)
                .find(|(_, l)| is_key(l) || is_header(l))
                .map(|(n, _)| n),
        };
        match hit {
            Some(n) => {
                cursor = n;
                found_last = k + 1 == segments.len();
            }
            None => break,
        }
    }
    found_last.then_some(cursor + 1)
}

/// A validation error as shown: the validator's message with the field and its line.
fn field_error(text: &str, e: &FieldError) -> DocError {
    DocError {
        message: format!("invalid scenario: {e}"),
        field: Some(e.path.clone()),
        line: locate(text, &e.path),
        column: None,
    }
}

/// Drops `null` members of objects: a missing optional field reads the same (TOML has no null).
fn strip_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// Whether a list holds a `null` anywhere in `v` (TOML cannot say it, and no field accepts it).
fn null_in_list(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Object(map) => map.values().any(null_in_list),
        serde_json::Value::Array(items) => items.iter().any(|i| i.is_null() || null_in_list(i)),
        _ => false,
    }
}

/// Parses a JSON document: its syntax with serde_json (errors at their line and column), then its
/// structure through the same TOML reader as every other document, so the page carries one
/// scenario deserializer instead of two (a few hundred KB of wasm). A structural error names the
/// field, located in the JSON text.
fn parse_json(text: &str) -> Result<Scenario, DocError> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| DocError {
        message: format!("not a valid JSON scenario: {e}"),
        field: None,
        line: Some(e.line()),
        column: Some(e.column()),
    })?;
    if null_in_list(&value) {
        return Err(DocError {
            message: "not a valid JSON scenario: a list holds null".into(),
            field: None,
            line: None,
            column: None,
        });
    }
    strip_nulls(&mut value);
    let toml_text = toml::to_string(&value).map_err(|e| DocError {
        message: format!("not a valid JSON scenario: {e} (null in a list, or a mixed list)"),
        field: None,
        line: None,
        column: None,
    })?;
    Scenario::from_toml_spanned(&toml_text).map_err(|e| {
        // The TOML text's line and column mean nothing to the reader: keep the field and the
        // reason, and locate the field in the JSON.
        let field = structural_error(&toml_text, &e).field;
        let reason = one_line(&e.message);
        DocError {
            message: match &field {
                Some(f) => format!("not a valid JSON scenario at {f}: {reason}"),
                None => format!("not a valid JSON scenario: {reason}"),
            },
            line: field.as_deref().and_then(|f| locate(text, f)),
            field,
            column: None,
        }
    })
}

/// Parses `text` as a scenario (structure only).
pub fn parse(text: &str) -> Result<Scenario, DocError> {
    match Format::of(text) {
        Format::Json => parse_json(text),
        Format::Toml => Scenario::from_toml_spanned(text).map_err(|e| structural_error(text, &e)),
    }
}

/// Reads the seed control: a whole number from 0 to [`MAX_SEED`].
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let t = text.trim();
    match t.parse::<u64>() {
        Ok(v) if v <= MAX_SEED => Ok(v),
        _ => Err(format!(
            "seed '{t}': expected a whole number from 0 to {MAX_SEED}"
        )),
    }
}

/// Reads the duration control: simulated seconds, from 0.001 to one day.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (0.001..=MAX_DURATION_S).contains(&v) => Ok(v),
        _ => Err(format!(
            "duration '{t}': expected seconds from 0.001 to {MAX_DURATION_S}"
        )),
    }
}

/// Why a document with its controls cannot run, split by where the page shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    /// Next to the editor.
    pub document: Option<Box<DocError>>,
    /// Under the seed control.
    pub seed: Option<String>,
    /// Under the duration control.
    pub duration: Option<String>,
}

impl Problems {
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.document.is_none() && self.seed.is_none() && self.duration.is_none()
    }
}

/// The model to run for `text` with the seed and duration controls applied over the document's,
/// or what is wrong, each problem where the page shows it.
pub fn compile(text: &str, seed: &str, duration: &str) -> Result<Model, Problems> {
    let mut problems = Problems {
        seed: parse_seed(seed).err(),
        duration: parse_duration(duration).err(),
        document: None,
    };
    let scenario = match parse(text) {
        Ok(s) => Some(s),
        Err(e) => {
            problems.document = Some(Box::new(e));
            None
        }
    };
    let (Some(mut scenario), Ok(seed), Ok(duration)) =
        (scenario, parse_seed(seed), parse_duration(duration))
    else {
        return Err(problems);
    };
    scenario.seed = seed;
    scenario.duration_s = duration;
    scenario.validate().map_err(|e| {
        if e.path == "duration_s" {
            Problems {
                duration: Some(e.to_string()),
                ..Problems::default()
            }
        } else {
            Problems {
                document: Some(Box::new(field_error(text, &e))),
                ..Problems::default()
            }
        }
    })
}

/// `text` with its top-level `seed` and `duration_s` set to the controls' values, so that a
/// downloaded document reproduces the run on its own (`meridian run FILE`). TOML keeps its
/// comments and layout; JSON is rewritten.
pub fn with_controls(text: &str, seed: u64, duration_s: f64) -> String {
    match Format::of(text) {
        Format::Json => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.insert("seed".into(), seed.into());
                map.insert("duration_s".into(), duration_s.into());
                serde_json::to_string_pretty(&serde_json::Value::Object(map))
                    .unwrap_or_else(|_| text.to_string())
            }
            _ => text.to_string(),
        },
        Format::Toml => {
            let mut out: Vec<String> = Vec::new();
            let (mut seed_done, mut duration_done, mut in_tables) = (false, false, false);
            let key_of = |line: &str| {
                line.split_once('=')
                    .map(|(k, _)| k.trim().trim_matches('"').to_string())
            };
            for line in text.lines() {
                if line.trim_start().starts_with('[') {
                    in_tables = true;
                }
                let key = (!in_tables).then(|| key_of(line)).flatten();
                match key.as_deref() {
                    Some("seed") if !seed_done => {
                        out.push(format!("seed = {seed}"));
                        seed_done = true;
                    }
                    Some("duration_s") if !duration_done => {
                        out.push(format!("duration_s = {duration_s:?}"));
                        duration_done = true;
                    }
                    _ => out.push(line.to_string()),
                }
            }
            // Keys missing from the document go first: top-level keys must precede any table.
            let mut head = Vec::new();
            if !seed_done {
                head.push(format!("seed = {seed}"));
            }
            if !duration_done {
                head.push(format!("duration_s = {duration_s:?}"));
            }
            head.extend(out);
            let mut s = head.join("\n");
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::PRESETS;

    fn preset(name: &str) -> &'static str {
        PRESETS.iter().find(|p| p.name == name).unwrap().toml
    }

    #[test]
    fn every_preset_compiles_with_its_own_seed_and_duration() {
        for p in PRESETS {
            let s = Scenario::from_toml(p.toml).unwrap();
            let m = compile(p.toml, &s.seed.to_string(), &s.duration_s.to_string()).unwrap();
            assert_eq!(m.seed, s.seed, "{}", p.name);
        }
    }

    #[test]
    fn the_controls_override_the_document() {
        let m = compile(preset("sg-us-wallet"), "77", "2.5").unwrap();
        assert_eq!(m.seed, 77);
        assert_eq!(m.duration.as_micros(), 2_500_000);
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let text = preset("sg-us-wallet").replacen("duration_s = ", "duration_s = = ", 1);
        let e = compile(&text, "1", "60").unwrap_err().document.unwrap();
        let line = text
            .lines()
            .position(|l| l.starts_with("duration_s"))
            .unwrap()
            + 1;
        assert_eq!(e.line, Some(line));
        assert_eq!(e.column, Some(14));
        assert!(e.message.contains("extra `=`"), "{}", e.message);
        assert!(!e.message.contains('|'), "{}", e.message);
    }

    #[test]
    fn an_unknown_field_names_its_path_and_line() {
        let text = preset("sg-us-wallet").replacen("[reads]", "[reads]\nr = 3", 1);
        let e = compile(&text, "1", "60").unwrap_err().document.unwrap();
        assert_eq!(e.field.as_deref(), Some("reads.r"));
        let line = text.lines().position(|l| l == "r = 3").unwrap() + 1;
        assert_eq!(e.line, Some(line));
        assert!(e.message.contains("unknown field `r`"), "{}", e.message);
    }

    #[test]
    fn a_bad_value_names_its_field_and_line() {
        let text = preset("aws8-single-leader").replacen("lat = 38.95", "lat = 123.5", 1);
        let e = compile(&text, "1", "30").unwrap_err().document.unwrap();
        assert_eq!(e.field.as_deref(), Some("topology.regions[1].lat"));
        let line = text.lines().position(|l| l == "lat = 123.5").unwrap() + 1;
        assert_eq!(e.line, Some(line));
        assert!(e.location().contains("field topology.regions[1].lat"));
        let keys = preset("sg-us-wallet").replacen("keys = ", "keys = 0 #", 1);
        let e = compile(&keys, "1", "60").unwrap_err().document.unwrap();
        assert_eq!(e.field.as_deref(), Some("workload.keys"));
        assert!(
            keys.lines()
                .nth(e.line.unwrap() - 1)
                .unwrap()
                .starts_with("keys = 0")
        );
    }

    #[test]
    fn json_is_accepted_and_its_errors_located() {
        let s = Scenario::from_toml(preset("quorum-r2w2")).unwrap();
        let json = serde_json::to_string_pretty(&s).unwrap();
        let ok = compile(&json, "3", "5");
        assert!(ok.is_ok(), "{:?}", ok.err());
        let bad = json.replacen("\"keys\": ", "\"keys\": \"many\", \"x\": ", 1);
        let e = compile(&bad, "3", "5").unwrap_err().document.unwrap();
        assert_eq!(e.field.as_deref(), Some("workload.keys"));
        let line = bad
            .lines()
            .position(|l| l.contains("\"keys\": \"many\""))
            .unwrap()
            + 1;
        assert_eq!(e.line, Some(line), "{e:?}");
        assert!(
            e.message.contains("JSON") && e.message.contains("invalid type"),
            "{e:?}"
        );
        // A syntax error: its line and column in the JSON text.
        let e = compile("{\n  \"name\": ,\n}", "3", "5")
            .unwrap_err()
            .document
            .unwrap();
        assert_eq!((e.line, e.column), (Some(2), Some(11)), "{e:?}");
        // An unknown field, and a value JSON has but TOML has not.
        let e = compile(&json.replacen("{", "{\"colour\": 1,", 1), "3", "5").unwrap_err();
        assert!(
            e.document
                .unwrap()
                .message
                .contains("unknown field `colour`")
        );
        assert!(compile(&json.replacen("{", "{\"timeline\": null,", 1), "3", "5").is_ok());
        let e = compile(&json.replacen("{", "{\"faults\": [null],", 1), "3", "5").unwrap_err();
        assert!(e.document.unwrap().message.contains("a list holds null"));
    }

    #[test]
    fn bad_controls_are_reported_under_their_fields() {
        let p = compile(preset("sg-us-wallet"), "-1", "0").unwrap_err();
        assert!(p.seed.unwrap().contains("seed '-1'"));
        assert!(p.duration.unwrap().contains("duration '0'"));
        assert!(p.document.is_none());
        assert!(parse_seed(&(MAX_SEED + 1).to_string()).is_err());
        assert!(parse_duration("NaN").is_err());
        assert!(parse_duration("86400").is_ok());
    }

    #[test]
    fn hostile_documents_give_errors_not_panics() {
        for text in [
            "",
            "{",
            "}",
            "[",
            "[[",
            "=",
            "name = 1",
            "\u{0}",
            "{\"a\":",
            "[topology]\n[[topology.regions]]\nid=1",
        ] {
            assert!(compile(text, "1", "1").is_err(), "{text:?}");
            let _ = locate(text, "topology.regions[0].id");
            let _ = with_controls(text, 1, 1.0);
        }
        assert_eq!(locate("a = 1", ""), None);
        assert_eq!(locate("a = 1", "b.c[9]"), None);
    }

    #[test]
    fn a_download_carries_the_controls() {
        let text = with_controls(preset("sg-us-wallet"), 99, 12.5);
        let s = Scenario::from_toml(&text).unwrap();
        assert_eq!((s.seed, s.duration_s), (99, 12.5));
        assert!(
            text.starts_with('#') || text.starts_with("name"),
            "comments kept"
        );
        let bare = "name = \"x\"\n[topology]\n";
        assert!(with_controls(bare, 5, 1.0).starts_with("seed = 5\nduration_s = 1.0\n"));
        let json = with_controls("{\"name\": \"x\", \"seed\": 1}", 4, 2.0);
        assert!(
            json.contains("\"seed\": 4") && json.contains("\"duration_s\": 2.0"),
            "{json}"
        );
    }
}
