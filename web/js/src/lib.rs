//! Meridian's JavaScript/TypeScript API: meridian-core compiled to WebAssembly and wrapped with
//! `wasm-bindgen`, packaged for npm by `wasm-pack` (`--target web` or `--target nodejs`).
//!
//! | function | does what the CLI's | returns |
//! | --- | --- | --- |
//! | [`simulate`] | `meridian run SCENARIO --json` | the run's report |
//! | [`validate`] | (the check `meridian run` makes first) | `{ ok, scenario }` or `{ ok: false, message, path }` |
//! | [`kata86`] | `meridian kata86 --json` | the four figures (or, with `full`, the whole report) |
//! | [`pbs`] | `meridian pbs --json` | the PBS report |
//! | [`merge`] | `meridian merge NAME --json`, or a merge of your own versions | the walkthrough, or the merged version and its traces |
//! | [`presets`] | `meridian presets` | the shipped scenarios |
//!
//! Inputs are plain JS values read by `serde-wasm-bindgen` into core's own types; outputs are
//! core's serde reports, written as the JSON the CLI prints and parsed, so each object is
//! `JSON.parse` of the CLI's output. Every error is a thrown JS `Error` whose message names the
//! field (`invalid scenario: replication.w = 5: expected ...`) and whose `path` property holds
//! the field's path alone. This crate holds no simulation logic: it reads inputs, calls core and
//! writes outputs.
//!
//! The TypeScript declarations (the functions, with overloads where the result's type depends on
//! the arguments, and the types of every input and output) are written by hand in `src/types.d.ts`
//! and replace the generated ones, which would type every object as `any`.

mod convert;
mod inputs;

use js_sys::Function;
use meridian_core::conflict::{MergeTrace, Versioned};
use meridian_core::kata86::Kata86Run;
use meridian_core::pbs::PbsRun;
use meridian_core::scenario::{FaultSpec, PRESETS, Scenario};
use meridian_core::sim::{Model, Simulation};
use meridian_core::time::{SimDuration, SimTime};
use meridian_core::walkthrough::{EXAMPLES, walkthrough};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use convert::ApiError;
use convert::{from_js, is_absent, to_js};
use inputs::{Kata86Input, PbsInput, ResolverSpec, RunOptions, SimulateOptions};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

/// Slices of the arrival period `simulate` runs between two progress calls.
const SIMULATE_SLICES: u64 = 1000;

/// Kata 86 iterations between two progress calls.
const KATA86_CHUNK: u64 = 1 << 18;

/// PBS trials between two progress calls.
const PBS_CHUNK: u64 = 1 << 16;

/// Calls `callback(done, total)` when there is one; an exception it throws ends the run and is
/// thrown on to the caller.
fn report_progress(callback: Option<&Function>, done: f64, total: f64) -> Result<(), JsValue> {
    match callback {
        Some(f) => f
            .call2(&JsValue::UNDEFINED, &done.into(), &total.into())
            .map(|_| ()),
        None => Ok(()),
    }
}

/// Runs a scenario like `meridian run SCENARIO --json` and returns the report the CLI prints,
/// as a plain object.
///
/// `scenario` is a scenario object (the document's fields, as in a `.json` scenario file), the
/// text of a TOML or JSON document (JSON when it starts with `{`), or a preset's name.
/// `options` holds the CLI's overrides: `seed`, `duration` (simulated seconds), `faults` (the
/// CLI's `--fault` lines), `histograms` (`--histograms`), and `onProgress(done, total)`, called
/// about 1,000 times with the simulated milliseconds of the arrival period done so far and in
/// all; it is last called with `done == total`. An exception thrown by `onProgress` stops the
/// run and is thrown on.
///
/// # Errors
/// A thrown `Error` naming the field when the scenario or an option cannot be read or is not
/// valid; the error's `path` property holds the field's path.
#[wasm_bindgen(skip_typescript)]
pub fn simulate(scenario: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let callback = inputs::progress_callback(&options)?;
    let opts: SimulateOptions = inputs::options(&options)?;
    let mut scenario = inputs::scenario(scenario)?;
    if let Some(seed) = opts.seed {
        scenario.seed = seed;
    }
    if let Some(duration) = opts.duration {
        scenario.duration_s = duration;
    }
    for (i, line) in opts.faults.iter().enumerate() {
        let fault = FaultSpec::parse(line)
            .map_err(|e| ApiError::at("invalid options", format!("options.faults[{i}]"), e))?;
        scenario.faults.push(fault);
    }
    let model = compile(&scenario)?;
    let sim = run_model(model, callback.as_ref())?;
    let report = if opts.histograms {
        sim.report_with_histograms()
    } else {
        sim.report()
    };
    Ok(to_js(&report)?)
}

/// Validates a scenario into core's model; the error names the field.
fn compile(scenario: &Scenario) -> Result<Model, ApiError> {
    scenario
        .validate()
        .map_err(|e| ApiError::at("invalid scenario", e.path.clone(), e))
}

/// Runs `model` to the end; with a callback, in slices of simulated time as the CLI's progress
/// bar does (the figures are the same either way).
fn run_model(model: Model, callback: Option<&Function>) -> Result<Simulation, JsValue> {
    let total_us = model.duration.as_micros();
    let mut sim = Simulation::new(model);
    if callback.is_none() {
        sim.run();
        return Ok(sim);
    }
    let total_ms = (total_us / 1000) as f64;
    let slice = SimDuration::from_micros((total_us / SIMULATE_SLICES).max(1));
    let mut until = SimTime::ZERO;
    let mut reported = -1.0;
    while let Some(next) = sim.next_event_time() {
        // Jump over quiet stretches instead of stepping through them.
        until = (until + slice).max(next);
        sim.run_until(until);
        let done = (sim.progress() * total_ms).floor();
        if done > reported {
            report_progress(callback, done, total_ms)?;
            reported = done;
        }
    }
    if reported < total_ms {
        report_progress(callback, total_ms, total_ms)?;
    }
    Ok(sim)
}

/// The outcome of [`validate`].
#[derive(Serialize)]
struct Validation {
    ok: bool,
    /// The scenario as read, every default filled in (when it could be read and is valid).
    #[serde(skip_serializing_if = "Option::is_none")]
    scenario: Option<Scenario>,
    /// Why not (when it is not).
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    /// The field to blame, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

/// Checks a scenario (object, TOML or JSON text, or preset name, as [`simulate`] takes it)
/// without running it, and never throws: returns `{ ok: true, scenario }` with the scenario as
/// read (every default filled in, as a plain object `simulate` accepts), or
/// `{ ok: false, message, path }` with the message `simulate` would throw and the field's path
/// (absent when no single field is to blame, e.g. a TOML syntax error).
///
/// # Errors
/// Only if the outcome itself cannot be written (not expected).
#[wasm_bindgen(skip_typescript)]
pub fn validate(scenario: JsValue) -> Result<JsValue, JsValue> {
    let outcome = match inputs::scenario(scenario).and_then(|s| compile(&s).map(|_| s)) {
        Ok(s) => Validation {
            ok: true,
            scenario: Some(s),
            message: None,
            path: None,
        },
        Err(e) => Validation {
            ok: false,
            scenario: None,
            message: Some(e.message),
            path: e.path,
        },
    };
    Ok(to_js(&outcome)?)
}

/// Runs the Kata 86 Wallet + Checkout model like `meridian kata86 --json`: returns
/// `{ readP95, writeP95, stalenessP95, stalenessP99 }` (ms), or with `options.full` the whole
/// report.
///
/// `params` has the fields of core's `Kata86Params`, each optional, with the CLI's defaults:
/// `iterations` (5000), `client` and `leader` (`"SG"` or `"US"`, both `"SG"`), `strategy`
/// (`"local"`, `"leader"` or `"local_then_leader_if_stale"`), `seed` (1), `accounting`
/// (`"replica_lag"` or `"served_read"`) and `config` (the network figures, each optional).
/// `options.onProgress(done, total)` is called with iterations done and in all.
///
/// # Errors
/// A thrown `Error` naming the parameter (and a `path` property) when one is out of range or of
/// the wrong type.
#[wasm_bindgen(skip_typescript)]
pub fn kata86(params: Option<JsValue>, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let callback = inputs::progress_callback(&options)?;
    let opts: RunOptions = inputs::options(&options)?;
    let params = Kata86Input::read(params.unwrap_or(JsValue::UNDEFINED))?.params()?;
    let mut run = Kata86Run::new(params).map_err(|e| inputs::kata86_error(&e))?;
    let total = params.iterations as f64;
    while !run.is_finished() {
        run.step(KATA86_CHUNK);
        report_progress(callback.as_ref(), run.iterations_done() as f64, total)?;
    }
    let report = run.report();
    if opts.full {
        Ok(to_js(&report)?)
    } else {
        Ok(to_js(&report.summary)?)
    }
}

/// Runs Probabilistically Bounded Staleness (the WARS Monte Carlo) like `meridian pbs --json`
/// and returns the report the CLI prints.
///
/// `params` takes the CLI's flags under core's names, each optional: `preset` (`"lnkd-ssd"`,
/// `"lnkd-disk"` (default), `"ymmr"`, `"wan"`) or `legs` (latency fits of your own), `n`, `r`,
/// `w` (3, 1, 1), `trials` (1,000,000), `seed` (1), `t_ms` (`[0, 1, 5, 10, 50, 100]`) and
/// `target` (0.999). `options.onProgress(done, total)` is called with trials done and in all.
/// The figures equal the CLI's for any number of its threads.
///
/// # Errors
/// A thrown `Error` naming the parameter (`r`, `t_ms[2]`, `legs.w...`) and a `path` property.
#[wasm_bindgen(skip_typescript)]
pub fn pbs(params: Option<JsValue>, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let callback = inputs::progress_callback(&options)?;
    let opts: RunOptions = inputs::options(&options)?;
    if opts.full {
        return Err(ApiError::at(
            "invalid options",
            "options.full",
            "only kata86 has a full report; pbs always returns the whole report",
        )
        .into());
    }
    let config = PbsInput::read(params.unwrap_or(JsValue::UNDEFINED))?.config()?;
    let mut run = PbsRun::new(config)
        .map_err(|e| ApiError::at("invalid PBS parameters", e.path.clone(), e))?;
    let total = run.trials_total() as f64;
    while !run.is_finished() {
        run.step(PBS_CHUNK);
        report_progress(callback.as_ref(), run.trials_done() as f64, total)?;
    }
    Ok(to_js(&run.report())?)
}

/// The outcome of merging versions of your own.
#[derive(Serialize)]
struct Merged {
    /// The strategy's name, e.g. "last-write-wins (HLC)".
    resolver: String,
    /// The converged version.
    merged: Versioned,
    /// One explained merge per version after the first.
    traces: Vec<MergeTrace>,
}

/// Resolves a conflict. Given a built-in example's name (`"profile"`, `"wallet"`, `"cart"`,
/// `"clock-skew"`), returns its walkthrough, as `meridian merge NAME --json` prints it. Given an
/// array of versions (core's `Versioned` records: `value`, `hlc`, `physical_us`, `id`, `vv`),
/// merges them left to right with `resolver` and returns
/// `{ resolver, merged, traces }`: the strategy's name, the merged version, and each merge's
/// explanation (inputs, decisions with their reasons, result, what was thrown away).
///
/// `resolver` is an object with a `kind` (`lww_hlc`, `lww_physical`, `field_merge` with
/// `rules` and `default`, `source_priority` with `order`, `insert_wins` with `inner`), or one of
/// the names `"lww_hlc"`, `"lww_physical"`, `"field_merge"`.
///
/// # Errors
/// A thrown `Error` for an unknown example, an empty list, a version or resolver that cannot be
/// read (naming the field, e.g. `versions[1].hlc.logical`), or a resolver given with an example.
#[wasm_bindgen(skip_typescript)]
pub fn merge(input: JsValue, resolver: Option<JsValue>) -> Result<JsValue, JsValue> {
    let resolver = resolver.filter(|r| !is_absent(r));
    if let Some(name) = input.as_string() {
        if resolver.is_some() {
            return Err(ApiError::at(
                "invalid merge",
                "resolver",
                "a built-in example runs its own strategies; leave the resolver out",
            )
            .into());
        }
        let w = walkthrough(&name).ok_or_else(|| {
            let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
            ApiError::new(format!(
                "unknown example '{name}'; available: {}",
                names.join(", ")
            ))
        })?;
        return Ok(to_js(&w)?);
    }
    if !js_sys::Array::is_array(&input) {
        return Err(ApiError::new(
            "invalid merge: expected a built-in example's name or an array of versions",
        )
        .into());
    }
    let versions: Vec<Versioned> = from_js(input, "invalid version", "versions")?;
    let resolver = ResolverSpec::read(resolver.unwrap_or(JsValue::UNDEFINED))?.build();
    let mut rest = versions.into_iter();
    let Some(mut merged) = rest.next() else {
        return Err(
            ApiError::at("invalid merge", "versions", "expected at least one version").into(),
        );
    };
    let mut traces = Vec::new();
    for version in rest {
        let (next, trace) = resolver.explain(&merged, &version);
        traces.push(trace);
        merged = next;
    }
    Ok(to_js(&Merged {
        resolver: resolver.name(),
        merged,
        traces,
    })?)
}

/// One shipped scenario, as [`presets`] lists it.
#[derive(Serialize)]
struct Preset {
    name: &'static str,
    summary: &'static str,
    /// The document, as `meridian presets --show NAME` prints it.
    toml: &'static str,
    /// The same document as an object (every default filled in), to change and pass to
    /// `simulate`.
    scenario: Scenario,
}

/// The shipped scenarios, as `meridian presets` lists them: each with its `name`, `summary`,
/// TOML document (`toml`) and the same as an object (`scenario`).
///
/// # Errors
/// Only if a shipped preset could not be read (not expected: core's tests read each one).
#[wasm_bindgen(skip_typescript)]
pub fn presets() -> Result<JsValue, JsValue> {
    let list = PRESETS
        .iter()
        .map(|p| {
            Scenario::preset(p.name)
                .map(|scenario| Preset {
                    name: p.name,
                    summary: p.summary,
                    toml: p.toml,
                    scenario,
                })
                .map_err(|e| ApiError::new(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(to_js(&list)?)
}
