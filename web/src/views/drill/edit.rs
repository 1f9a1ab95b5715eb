//! Edits of the drill's fault schedule made from the page (a region clicked on the map, a
//! window dragged on the timeline, a toggle switched at the scrubbed time, an entry removed),
//! as pure functions from one document text to the next.
//!
//! The document is read with core's reader into [`Scenario`]; the new schedule is a list of
//! core's [`FaultSpec`]s; a new entry's fields are written by the `toml` crate's serialiser (or
//! serde_json for a JSON document). A TOML document keeps its comments and layout: the new
//! `[[faults]]` table is appended, a removed one cut out, an ended one gets its `for_s`, and the
//! result is read back with core's reader and must equal the intended scenario field for field.
//! A schedule the page cannot edit that way (an inline `faults = [...]` array) is refused with a
//! message rather than the whole document rewritten without its comments. Removing the entry
//! just added gives back the document as it was.

use meridian_core::scenario::{FaultKindSpec, FaultSpec, Scenario};
use meridian_core::sim::Toggle;
use serde_json::Value;

use crate::views::scenario::document::{Format, compile, parse};

/// Longest fault window the page adds, s (core's limit for `for_s`).
pub const MAX_LENGTH_S: f64 = 86_400.0;
/// Shortest fault window the page adds, s (core's limit for `for_s`).
pub const MIN_LENGTH_S: f64 = 0.001;
/// The fault length the view starts with, s.
pub const DEFAULT_LENGTH_S: f64 = 30.0;

/// A change to the schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Append this entry.
    Add(FaultSpec),
    /// Remove the entry at this index.
    Remove(usize),
    /// End the entry at this index after this length, s (its `for_s`).
    End(usize, f64),
}

/// What a click on a region adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegionFault {
    /// The region crashes (`region_down`).
    #[default]
    Down,
    /// The region is cut off from every other region (`partition`, both ways).
    CutOff,
}

impl RegionFault {
    /// Both, in the order the page offers them.
    pub const ALL: [RegionFault; 2] = [RegionFault::Down, RegionFault::CutOff];

    /// The name used in the page's form.
    pub fn key(self) -> &'static str {
        match self {
            RegionFault::Down => "region_down",
            RegionFault::CutOff => "partition",
        }
    }

    /// In words, for the picker.
    pub fn describe(self) -> &'static str {
        match self {
            RegionFault::Down => "region down (crash)",
            RegionFault::CutOff => "region cut off from the others (partition)",
        }
    }

    /// The choice named `key`.
    pub fn from_key(key: &str) -> Option<RegionFault> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// A time as the schedule keeps it: to the millisecond.
fn ms(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}

/// Reads the fault length field: seconds from [`MIN_LENGTH_S`] to [`MAX_LENGTH_S`].
pub fn parse_length(text: &str) -> Result<f64, String> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && (MIN_LENGTH_S..=MAX_LENGTH_S).contains(&v) => Ok(ms(v)),
        _ => Err(format!(
            "fault length '{t}': expected seconds from {MIN_LENGTH_S} to {MAX_LENGTH_S}"
        )),
    }
}

/// The entry for a fault of `kind` on `region` (one of `regions`, the topology's ids) from
/// `at_s` for `for_s`; `None` for a cut-off without another region to be cut from.
pub fn region_fault(
    kind: RegionFault,
    region: &str,
    regions: &[String],
    at_s: f64,
    for_s: f64,
) -> Option<FaultSpec> {
    let kind = match kind {
        RegionFault::Down => FaultKindSpec::RegionDown {
            region: region.to_string(),
        },
        RegionFault::CutOff => {
            let others: Vec<String> = regions.iter().filter(|r| *r != region).cloned().collect();
            if others.is_empty() {
                return None;
            }
            FaultKindSpec::Partition {
                a: vec![region.to_string()],
                b: others,
                one_way: false,
            }
        }
    };
    Some(FaultSpec {
        at_s: ms(at_s.max(0.0)),
        for_s: Some(ms(for_s)),
        kind,
    })
}

/// The entry of `toggle` in `faults` whose window holds `t` (from its start, before its end).
pub fn toggle_on_at(faults: &[FaultSpec], toggle: Toggle, t: f64) -> Option<usize> {
    faults.iter().position(|f| {
        matches!(f.kind, FaultKindSpec::Toggle { toggle: x } if x == toggle)
            && f.at_s <= t + 1e-9
            && f.for_s.is_none_or(|d| t < f.at_s + d - 1e-9)
    })
}

/// Switching `toggle` at `t`: on from `t` (to the end of the run) when it is off then; when a
/// window holds `t`, that window ends at `t` (and goes when it starts at `t`).
pub fn switch_toggle(faults: &[FaultSpec], toggle: Toggle, t: f64) -> Change {
    let t = ms(t.max(0.0));
    match toggle_on_at(faults, toggle, t) {
        Some(i) if t - faults[i].at_s < MIN_LENGTH_S => Change::Remove(i),
        Some(i) => Change::End(i, ms(t - faults[i].at_s)),
        None => Change::Add(FaultSpec {
            at_s: t,
            for_s: None,
            kind: FaultKindSpec::Toggle { toggle },
        }),
    }
}

/// The fields of an entry the page adds, as written: the kind first, then its own fields, then
/// the window; `None` for kinds the page does not add (it only removes or ends those).
fn entry_fields(f: &FaultSpec) -> Option<Vec<Vec<(&'static str, Value)>>> {
    let strings = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
    let (kind, own) = match &f.kind {
        FaultKindSpec::RegionDown { region } => (
            "region_down",
            vec![("region", Value::String(region.clone()))],
        ),
        FaultKindSpec::Partition { a, b, one_way } => {
            let mut own = vec![("a", strings(a)), ("b", strings(b))];
            if *one_way {
                own.push(("one_way", Value::Bool(true)));
            }
            ("partition", own)
        }
        FaultKindSpec::Toggle { toggle } => (
            "toggle",
            vec![("toggle", Value::String(toggle.name().to_string()))],
        ),
        _ => return None,
    };
    let mut window = vec![("at_s", Value::from(f.at_s))];
    if let Some(d) = f.for_s {
        window.push(("for_s", Value::from(d)));
    }
    Some(vec![
        vec![("kind", Value::String(kind.into()))],
        own,
        window,
    ])
}

/// TOML `key = value` lines for `fields`, in this order, written by the `toml` crate.
fn toml_lines(fields: Vec<(&'static str, Value)>) -> Result<String, String> {
    let mut out = String::new();
    for (k, v) in fields {
        let mut one = serde_json::Map::new();
        one.insert(k.to_string(), v);
        out.push_str(
            &toml::to_string(&Value::Object(one))
                .map_err(|e| format!("the fault could not be written: {e}"))?,
        );
    }
    Ok(out)
}

/// A new entry as a TOML `[[faults]]` table.
fn toml_entry(f: &FaultSpec) -> Result<String, String> {
    let groups = entry_fields(f).ok_or("the page adds only region_down, partition and toggle")?;
    let mut out = String::from("[[faults]]\n");
    for fields in groups {
        out.push_str(&toml_lines(fields)?);
    }
    Ok(out)
}

/// A new entry as a JSON object.
fn json_entry(f: &FaultSpec) -> Result<Value, String> {
    let groups = entry_fields(f).ok_or("the page adds only region_down, partition and toggle")?;
    let mut map = serde_json::Map::new();
    for (k, v) in groups.into_iter().flatten() {
        map.insert(k.to_string(), v);
    }
    Ok(Value::Object(map))
}

/// A table header's name without blanks and quotes, and whether it is an array of tables.
fn header(line: &str) -> Option<(bool, String)> {
    let t = line.trim();
    let array = t.starts_with("[[");
    let open = if array { 2 } else { 1 };
    if !t.starts_with('[') {
        return None;
    }
    let close = if array { t.find("]]")? } else { t.find(']')? };
    let rest = t[close + open..].trim_start();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return None;
    }
    let name = &t[open..close];
    let ok = name
        .chars()
        .all(|c| c.is_alphanumeric() || "_-.\"' \t".contains(c));
    (ok && !name.trim().is_empty()).then(|| {
        (
            array,
            name.chars()
                .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
                .collect(),
        )
    })
}

/// Whether a line holds nothing but blanks or a comment.
fn blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The line ranges (start, end exclusive) of the `[[faults]]` entries of a TOML text split in
/// lines: from the header to the entry's last line (its sub-tables included, trailing blanks and
/// comments left to what follows).
fn fault_blocks(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let close = |start: usize, end: usize, out: &mut Vec<(usize, usize)>| {
        let mut end = end;
        while end > start + 1 && blank_or_comment(lines[end - 1]) {
            end -= 1;
        }
        out.push((start, end));
    };
    for (i, line) in lines.iter().enumerate() {
        let Some((array, name)) = header(line) else {
            continue;
        };
        let entry = array && name == "faults";
        let inside = name.starts_with("faults.");
        if let Some(start) = open
            && !inside
        {
            close(start, i, &mut out);
            open = None;
        }
        if entry {
            open = Some(i);
        }
    }
    if let Some(start) = open {
        close(start, lines.len(), &mut out);
    }
    out
}

/// `lines` without `start..end`, and without one blank line before them when a blank line or
/// the end of the text follows (so that the gap left is the one there was).
fn cut(lines: &[&str], start: usize, end: usize) -> String {
    let gap_after = lines.get(end).is_none_or(|l| l.trim().is_empty());
    let from = if start > 0 && lines[start - 1].trim().is_empty() && gap_after {
        start - 1
    } else {
        start
    };
    let mut out: String = lines[..from].concat();
    out.push_str(&lines[end..].concat());
    out
}

/// `text` with `entries` appended after a blank line.
fn appended(text: &str, entries: &str) -> String {
    let mut out = text.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(entries);
    out
}

/// Whether `line` sets the key `key` (`key = ...`).
fn sets(line: &str, key: &str) -> bool {
    line.trim_start()
        .strip_prefix(key)
        .is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// The TOML text for `change`, spliced into `text`; `None` when the entry it changes cannot be
/// found as a `[[faults]]` table.
fn toml_text(text: &str, change: &Change) -> Result<Option<String>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let blocks = fault_blocks(&lines);
    Ok(match change {
        Change::Add(f) => Some(appended(text, &toml_entry(f)?)),
        Change::Remove(i) => blocks.get(*i).map(|&(s, e)| cut(&lines, s, e)),
        Change::End(i, length) => blocks.get(*i).map(|&(s, e)| {
            let line = toml_lines(vec![("for_s", Value::from(*length))]).unwrap_or_default();
            let mut out: Vec<&str> = lines.clone();
            match (s..e).find(|&k| sets(lines[k], "for_s")) {
                Some(k) => out[k] = &line,
                None => {
                    // After the entry's last line, which may lack its line break.
                    let last = out[e - 1];
                    let fixed = if last.ends_with('\n') {
                        None
                    } else {
                        Some(format!("{last}\n"))
                    };
                    let mut t: String = out[..e - 1].concat();
                    t.push_str(fixed.as_deref().unwrap_or(last));
                    t.push_str(&line);
                    t.push_str(&out[e..].concat());
                    return t;
                }
            }
            out.concat()
        }),
    })
}

/// The JSON text for `change`.
fn json_text(text: &str, change: &Change) -> Result<String, String> {
    let mut doc: Value =
        serde_json::from_str(text).map_err(|e| format!("the JSON document does not read: {e}"))?;
    let map = doc
        .as_object_mut()
        .ok_or("the JSON document is not an object")?;
    let faults = map
        .entry("faults")
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .ok_or("the document's faults are not a list")?;
    match change {
        Change::Add(f) => faults.push(json_entry(f)?),
        Change::Remove(i) if *i < faults.len() => {
            faults.remove(*i);
        }
        Change::End(i, length) => {
            let entry = faults
                .get_mut(*i)
                .and_then(Value::as_object_mut)
                .ok_or("the fault is not an object")?;
            entry.insert("for_s".into(), Value::from(*length));
        }
        Change::Remove(_) => return Err("there is no such fault".into()),
    }
    if faults.is_empty() {
        map.remove("faults");
    }
    serde_json::to_string_pretty(&doc)
        .map_err(|e| format!("the document could not be written: {e}"))
}

/// The schedule of the document `text`, or why it cannot be read.
pub fn schedule(text: &str) -> Result<Vec<FaultSpec>, String> {
    parse(text).map(|s| s.faults).map_err(|e| {
        format!(
            "the document does not read, so its faults cannot be changed here \
             (fix it in the editor first): {}",
            e.message
        )
    })
}

/// `text` with `change` made to its `[[faults]]`, or why not. The result reads back as the same
/// scenario with the new schedule (it is not validated here: see [`check`]).
pub fn apply(text: &str, change: &Change) -> Result<String, String> {
    let old: Scenario = parse(text).map_err(|e| {
        format!(
            "the document does not read, so its faults cannot be changed here \
             (fix it in the editor first): {}",
            e.message
        )
    })?;
    let mut faults = old.faults.clone();
    match change {
        Change::Add(f) => faults.push(f.clone()),
        Change::Remove(i) | Change::End(i, _) if *i >= faults.len() => {
            return Err(format!(
                "there is no fault {} (the document has {})",
                i + 1,
                faults.len()
            ));
        }
        Change::Remove(i) => {
            faults.remove(*i);
        }
        Change::End(i, length) => faults[*i].for_s = Some(*length),
    }
    let expected = Scenario {
        faults: faults.clone(),
        ..old
    };
    let reads_as_expected = |t: &String| parse(t).is_ok_and(|s| s == expected);
    match Format::of(text) {
        Format::Json => Some(json_text(text, change)?)
            .filter(reads_as_expected)
            .ok_or_else(|| "the JSON document could not be rewritten with the fault".to_string()),
        Format::Toml => toml_text(text, change)?
            .filter(reads_as_expected)
            .ok_or_else(|| {
                "the document's faults are written in a form the page does not rewrite (an inline \
                 `faults = [...]` array, say): change them in the editor, or write them as \
                 [[faults]] tables"
                    .to_string()
            }),
    }
}

/// Whether `text`, run with the `seed` and `duration` controls, is a valid scenario; otherwise
/// the validator's message (e.g. a fault starting after the run's end).
pub fn check(text: &str, seed: &str, duration: &str) -> Result<(), String> {
    compile(text, seed, duration).map(|_| ()).map_err(|p| {
        [p.document.map(|d| d.message), p.seed, p.duration]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::PRESETS;

    fn preset(name: &str) -> &'static str {
        PRESETS.iter().find(|p| p.name == name).unwrap().toml
    }

    fn down(region: &str, at: f64, d: f64) -> FaultSpec {
        region_fault(RegionFault::Down, region, &[], at, d).unwrap()
    }

    #[test]
    fn an_added_fault_lands_at_the_end_and_its_removal_restores_the_document() {
        for p in PRESETS {
            let before = parse(p.toml).unwrap();
            let f = down(&before.topology.regions[0].id, 5.0, 10.0);
            let after = apply(p.toml, &Change::Add(f.clone())).unwrap();
            // The document is kept as written, comments included; only the entry is added.
            assert!(after.starts_with(p.toml), "{}", p.name);
            assert!(after.ends_with("at_s = 5.0\nfor_s = 10.0\n"), "{after}");
            let s = parse(&after).unwrap();
            assert_eq!(s.faults.last(), Some(&f), "{}", p.name);
            assert_eq!(s.faults.len(), before.faults.len() + 1);
            assert!(check(&after, "1", "30").is_ok(), "{}", p.name);
            let undone = apply(&after, &Change::Remove(before.faults.len())).unwrap();
            assert_eq!(undone, p.toml, "{}", p.name);
        }
    }

    #[test]
    fn a_fault_in_the_middle_is_removed_and_replaced_in_place() {
        let text = preset("sg-down-promote");
        let one = apply(text, &Change::Add(down("US", 50.0, 5.0))).unwrap();
        // The preset's own fault (index 0) goes; the comments and the added fault stay.
        let gone = apply(&one, &Change::Remove(0)).unwrap();
        let s = parse(&gone).unwrap();
        assert_eq!(s.faults, vec![down("US", 50.0, 5.0)]);
        assert!(gone.contains("# Recovery objectives"));
        assert!(!gone.contains("\n\n\n"), "{gone}");
        let ended = apply(&one, &Change::End(0, 2.0)).unwrap();
        let s = parse(&ended).unwrap();
        assert_eq!(s.faults, vec![down("SG", 20.0, 2.0), down("US", 50.0, 5.0)]);
        assert_eq!(ended.len(), one.len() - 1, "only for_s = 25.0 became 2.0");
        assert!(
            apply(&one, &Change::Remove(7))
                .unwrap_err()
                .contains("no fault 8")
        );
    }

    #[test]
    fn odd_layouts_fall_back_to_rewriting_and_broken_documents_are_refused() {
        // A schedule written as an inline array cannot take a [[faults]] table: refused, named.
        let base = preset("sg-us-wallet");
        let inline = base.replacen(
            "[topology]",
            "faults = [{ kind = \"region_down\", region = \"SG\", at_s = 1.0 }]\n\n[topology]",
            1,
        );
        let e = apply(&inline, &Change::Add(down("US", 2.0, 3.0))).unwrap_err();
        assert!(e.contains("inline"), "{e}");
        // Entries spread around the document, the last without a for_s nor a final line break.
        let spread = format!(
            "{}\n[[faults]]\nkind = \"region_down\"\nregion = \"SG\"\nat_s = 1.0\n\n[failover]\npolicy = \"promote\"\n\n\
             [[faults]]\nkind = \"region_down\"\nregion = \"US\"\nat_s = 2.0",
            base
        );
        let out = apply(&spread, &Change::End(1, 1.0)).unwrap();
        assert_eq!(parse(&out).unwrap().faults[1], down("US", 2.0, 1.0));
        let out = apply(&spread, &Change::Remove(0)).unwrap();
        let s = parse(&out).unwrap();
        assert_eq!((s.faults.len(), s.failover.is_some()), (1, true));
        // A sub-table of an entry goes with it.
        let spike = format!(
            "{base}\n[[faults]]\nkind = \"lag_spike\"\nat_s = 1.0\n\n[faults.apply_delay]\n\
             kind = \"constant\"\nms = 5.0\n\n[[faults]]\nkind = \"toggle\"\ntoggle = \"disable_recs\"\nat_s = 2.0\n"
        );
        let out = apply(&spike, &Change::Remove(0)).unwrap();
        let s = parse(&out).unwrap();
        assert_eq!(s.faults.len(), 1);
        assert!(!out.contains("[faults.apply_delay]"));
        let e = apply("name = ", &Change::Remove(0)).unwrap_err();
        assert!(e.contains("does not read"), "{e}");
        assert!(schedule("[[faults]").is_err());
    }

    #[test]
    fn json_documents_take_the_fault_too() {
        let json = serde_json::to_string(&Scenario::preset("sg-us-wallet").unwrap()).unwrap();
        let out = apply(&json, &Change::Add(down("US", 1.5, 2.0))).unwrap();
        assert_eq!(parse(&out).unwrap().faults, vec![down("US", 1.5, 2.0)]);
        let back = apply(&out, &Change::Remove(0)).unwrap();
        assert!(parse(&back).unwrap().faults.is_empty());
        assert!(!back.contains("faults"));
    }

    #[test]
    fn toggles_switch_on_and_off_at_a_time() {
        let text = preset("sg-down-promote");
        let mut faults = schedule(text).unwrap();
        let on = switch_toggle(&faults, Toggle::ForceLeaderRead, 25.0);
        assert_eq!(
            on,
            Change::Add(FaultSpec {
                at_s: 25.0,
                for_s: None,
                kind: FaultKindSpec::Toggle {
                    toggle: Toggle::ForceLeaderRead
                }
            })
        );
        let text = apply(text, &on).unwrap();
        assert!(
            text.contains("toggle = \"force_leader_read\"\nat_s = 25.0\n"),
            "{text}"
        );
        assert!(check(&text, "1", "60").is_ok());
        faults = schedule(&text).unwrap();
        assert_eq!(toggle_on_at(&faults, Toggle::ForceLeaderRead, 24.0), None);
        assert_eq!(
            toggle_on_at(&faults, Toggle::ForceLeaderRead, 40.0),
            Some(1)
        );
        assert_eq!(toggle_on_at(&faults, Toggle::WriteReadonlyMode, 40.0), None);
        // Off later: the window ends there.
        let off = switch_toggle(&faults, Toggle::ForceLeaderRead, 40.0);
        let text = apply(&text, &off).unwrap();
        let faults = schedule(&text).unwrap();
        assert_eq!((faults[1].at_s, faults[1].for_s), (25.0, Some(15.0)));
        assert_eq!(toggle_on_at(&faults, Toggle::ForceLeaderRead, 40.0), None);
        // Off at its own start: it goes.
        assert_eq!(
            switch_toggle(&faults, Toggle::ForceLeaderRead, 25.0),
            Change::Remove(1)
        );
    }

    #[test]
    fn faults_that_do_not_fit_the_run_are_named_by_the_validator() {
        let text = apply(preset("sg-us-wallet"), &Change::Add(down("SG", 50.0, 5.0))).unwrap();
        let e = check(&text, "1", "30").unwrap_err();
        assert!(e.contains("faults[0].at_s"), "{e}");
        let text = apply(preset("sg-us-wallet"), &Change::Add(down("XX", 5.0, 5.0))).unwrap();
        assert!(
            check(&text, "1", "30")
                .unwrap_err()
                .contains("faults[0].region")
        );
        assert!(
            check(preset("sg-us-wallet"), "x", "30")
                .unwrap_err()
                .contains("seed")
        );
    }

    #[test]
    fn lengths_and_cut_offs() {
        assert_eq!(parse_length(" 30 "), Ok(30.0));
        assert_eq!(
            parse_length("0.0004"),
            Err("fault length '0.0004': expected seconds from 0.001 to 86400".into())
        );
        for bad in ["", "x", "-1", "NaN", "inf", "1e9"] {
            assert!(parse_length(bad).is_err(), "{bad}");
        }
        let ids = vec!["SG".to_string(), "US".to_string(), "EU".to_string()];
        let f = region_fault(RegionFault::CutOff, "US", &ids, 3.0004, 9.0).unwrap();
        assert_eq!(f.at_s, 3.0);
        assert_eq!(
            f.kind,
            FaultKindSpec::Partition {
                a: vec!["US".into()],
                b: vec!["SG".into(), "EU".into()],
                one_way: false
            }
        );
        assert_eq!(
            region_fault(RegionFault::CutOff, "SG", &ids[..1], 1.0, 1.0),
            None
        );
        let text = apply(
            preset("sg-us-wallet"),
            &Change::Add(region_fault(RegionFault::CutOff, "SG", &ids[..2], 5.0, 5.0).unwrap()),
        )
        .unwrap();
        assert!(check(&text, "1", "30").is_ok(), "{text}");
        for k in RegionFault::ALL {
            assert_eq!(RegionFault::from_key(k.key()), Some(k));
        }
    }
}
