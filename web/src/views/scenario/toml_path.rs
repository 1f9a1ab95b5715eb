//! The field path at a position of a TOML document: `workload.bogus` for the key `bogus` under
//! `[workload]`, `topology.regions[1].lat` under the second `[[topology.regions]]`,
//! `topology.links[0].rtt.kind` inside an inline table. The page reads documents without serde's
//! field-path tracking (a few hundred KB less wasm) and names the field of a structural error
//! from the position the TOML parser gives instead; the paths are written the way
//! serde_path_to_error writes them, which a test checks against meridian-core's tracked reader.
//!
//! Written here rather than taken from a TOML editing crate: the page already carries the TOML
//! parser it needs, and a second one would cost more than this whole module.

/// One level of nesting inside a value on the line: an inline table (with the key being read)
/// or an array (with the index of the element being read).
#[derive(Debug)]
enum Frame {
    Table(Option<String>),
    Array(usize),
}

/// The segments of a header (`[a.b]`, `[[a.b]]`) or a dotted key (`a."b c".d`), unquoted.
fn dotted(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for c in key.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => out.push(std::mem::take(&mut current)),
            (None, c) if c.is_whitespace() => {}
            (None, c) => current.push(c),
        }
    }
    out.push(current);
    out
}

/// Where a `=` outside quotes is on `line`, if any.
fn equals_at(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '=') => return Some(i),
            (None, '#') => return None,
            _ => {}
        }
    }
    None
}

/// The nesting open at the end of `value` (the text after a key's `=`, up to the position): the
/// inline tables and arrays entered and not yet left, each with the key or index being read.
fn nesting(value: &str) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut quote: Option<char> = None;
    let mut word = String::new();
    for c in value.chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '{' => frames.push(Frame::Table(None)),
            '[' => frames.push(Frame::Array(0)),
            '}' | ']' => {
                frames.pop();
            }
            ',' => {
                if let Some(Frame::Array(i)) = frames.last_mut() {
                    *i += 1;
                }
            }
            '=' => {
                if let Some(Frame::Table(key)) = frames.last_mut() {
                    *key = Some(word.trim().trim_matches(['"', '\'']).to_string());
                }
            }
            _ => {}
        }
        if matches!(c, '{' | ',' | '=' | '[' | '}' | ']') {
            word.clear();
        } else {
            word.push(c);
        }
    }
    frames
}

/// Joins segments the way serde_path_to_error writes a path: keys with dots, indices in brackets.
fn render(segments: &[String]) -> String {
    let mut out = String::new();
    for s in segments {
        if s.starts_with('[') {
            out.push_str(s);
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(s);
        }
    }
    out
}

/// The field path at byte `offset` of `text`; empty for the document's top level.
pub fn path_at(text: &str, offset: usize) -> String {
    let mut table: Vec<String> = Vec::new();
    let mut array_counts: Vec<(String, usize)> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let trimmed = line.trim();
        let is_header = trimmed.starts_with('[') && equals_at(trimmed).is_none();
        if is_header {
            let array = trimmed.starts_with("[[");
            let name = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or_default();
            let mut segments = dotted(name);
            if array {
                let full = segments.join(".");
                let index = match array_counts.iter_mut().find(|(n, _)| *n == full) {
                    Some((_, count)) => {
                        *count += 1;
                        *count - 1
                    }
                    None => {
                        array_counts.push((full, 1));
                        0
                    }
                };
                segments.push(format!("[{index}]"));
            }
            table = segments;
        }
        if offset < end || end == text.len() {
            if is_header {
                return render(&table);
            }
            let column = offset.saturating_sub(start).min(line.len());
            let mut segments = table.clone();
            if let Some(eq) = equals_at(line) {
                segments.extend(dotted(line[..eq].trim()));
                if column > eq {
                    let upto = line.get(eq + 1..column).unwrap_or_default();
                    for frame in nesting(upto) {
                        match frame {
                            Frame::Table(Some(key)) => segments.push(key),
                            Frame::Table(None) => {}
                            Frame::Array(i) => segments.push(format!("[{i}]")),
                        }
                    }
                }
            }
            return render(&segments);
        }
        start = end;
    }
    render(&table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::{PRESETS, Scenario, ScenarioError};

    /// The tracked reader's path of `text`'s structural error, and ours from its position.
    fn both(text: &str) -> (String, String) {
        let tracked = match Scenario::from_toml(text) {
            Err(ScenarioError::Parse { message, .. }) => message
                .split_once(": ")
                .map(|(p, _)| p.to_string())
                .unwrap_or_default(),
            other => panic!("expected a structural error, got {other:?}"),
        };
        let spanned = Scenario::from_toml_spanned(text).unwrap_err();
        let ours = path_at(text, spanned.span.expect("a position").start);
        (tracked, ours)
    }

    #[test]
    fn paths_follow_headers_arrays_and_keys() {
        let text = "a = 1\n[workload]\nrate = 3\n[[topology.regions]]\nid = \"x\"\n\
                    [[topology.regions]]\nlat = 2\n[[topology.links]]\nrtt = { kind = \"c\", ms = [1, 2] }\n";
        let at = |needle: &str| path_at(text, text.find(needle).unwrap());
        assert_eq!(at("a = 1"), "a");
        assert_eq!(at("rate"), "workload.rate");
        assert_eq!(at("lat"), "topology.regions[1].lat");
        assert_eq!(at("\"c\""), "topology.links[0].rtt.kind");
        assert_eq!(at("2]"), "topology.links[0].rtt.ms[1]");
        assert_eq!(at("[workload]"), "workload");
        assert_eq!(path_at(text, 10_000), "topology.links[0].rtt");
        assert_eq!(path_at("", 0), "");
        assert_eq!(dotted("a.\"b.c\" . d"), ["a", "b.c", "d"]);
    }

    #[test]
    fn paths_equal_the_tracked_readers_for_broken_presets() {
        let mut checked = 0;
        for p in PRESETS {
            // An unknown key under every table header, one at a time.
            let headers: Vec<usize> = p
                .toml
                .match_indices('\n')
                .map(|(i, _)| i + 1)
                .filter(|&i| p.toml[i..].starts_with('['))
                .collect();
            for &h in &headers {
                let eol = h + p.toml[h..].find('\n').unwrap() + 1;
                let text = format!("{}bogus_field = 1\n{}", &p.toml[..eol], &p.toml[eol..]);
                let (tracked, ours) = both(&text);
                assert_eq!(ours, tracked, "{}: after {}", p.name, &p.toml[h..eol]);
                checked += 1;
            }
            // A number where text is expected, and text where a number is.
            for (from, to) in [("name = \"", "name = 5 #\""), ("seed = ", "seed = \"x\" #")] {
                if let Some(i) = p.toml.find(from) {
                    let text = format!("{}{}{}", &p.toml[..i], to, &p.toml[i + from.len()..]);
                    let (tracked, ours) = both(&text);
                    assert_eq!(ours, tracked, "{}: {to}", p.name);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn odd_text_gives_a_path_without_panicking() {
        for text in [
            "[",
            "[[",
            "= =",
            "a = {",
            "a = [\"]\", {b = ",
            "é = 'x' # ü\n[é]",
        ] {
            for offset in 0..=text.len() + 2 {
                let _ = path_at(text, offset);
            }
        }
    }
}
