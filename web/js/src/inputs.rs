//! What the API's functions accept, read from JS values: scenarios (object, TOML or JSON text, or
//! a preset name), the options of `simulate`, the parameters of `kata86` and `pbs`, and the
//! resolvers of `merge`. Each input is turned into meridian-core's own types; the errors name the
//! field path.

use std::collections::BTreeMap;

use js_sys::{Function, Object, Reflect};
use meridian_core::conflict::{
    FieldMerge, FieldRule, InsertWins, LwwHlc, LwwPhysical, Resolver, SourcePriority,
};
use meridian_core::kata86::{
    Kata86Config, Kata86Error, Kata86Params, ReadStrategy, Region, StalenessAccounting,
};
use meridian_core::pbs::{
    DEFAULT_T_MS, DEFAULT_TARGET, DEFAULT_TRIALS, PbsConfig, Preset, WarsLegs,
};
use meridian_core::scenario::{PRESETS, Scenario, ScenarioError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use crate::convert::{ApiError, from_data, from_js, from_js_or_default, is_absent};

/// The start of the message of a scenario that cannot be read.
const BAD_SCENARIO: &str = "not a valid scenario";

/// Reads a scenario given as a JS object (the document's fields, as in the JSON files), as TOML
/// or JSON text (JSON when the text starts with `{`), or as a preset's name (text with no `=`,
/// `{` or line break).
pub fn scenario(value: JsValue) -> Result<Scenario, ApiError> {
    if let Some(text) = value.as_string() {
        return scenario_from_text(&text);
    }
    if is_absent(&value) || !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(ApiError::new(format!(
            "{BAD_SCENARIO}: expected a scenario object, TOML or JSON text, or a preset name ({})",
            preset_names()
        )));
    }
    from_js(value, &format!("{BAD_SCENARIO} object"), "")
}

/// The shipped presets' names, comma-separated.
fn preset_names() -> String {
    PRESETS
        .iter()
        .map(|p| p.name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn scenario_from_text(text: &str) -> Result<Scenario, ApiError> {
    let trimmed = text.trim();
    // The text is read as data first and the scenario from that, as objects are (see
    // `from_data`): syntax errors give a line and column, field errors a path.
    let (format, data) = if trimmed.starts_with('{') {
        (
            "JSON",
            serde_json::from_str::<serde_json::Value>(text).map_err(|e| e.to_string()),
        )
    } else if !trimmed.is_empty() && !trimmed.contains(['=', '\n', '[']) {
        return Scenario::preset(trimmed).map_err(|e| match e {
            ScenarioError::UnknownPreset { .. } => ApiError::new(e.to_string()),
            other => ApiError::new(format!("preset '{trimmed}': {other}")),
        });
    } else {
        (
            "TOML",
            toml::from_str::<serde_json::Value>(text).map_err(|e| e.to_string()),
        )
    };
    let context = format!("{BAD_SCENARIO} ({format})");
    let data = data.map_err(|e| ApiError::new(format!("{context}: {}", e.trim_end())))?;
    from_data(data, &context, "")
}

/// Reads `options` without its `onProgress` (read by [`progress_callback`]): absent gives the
/// defaults.
pub fn options<T: DeserializeOwned + Default>(options: &JsValue) -> Result<T, ApiError> {
    const CONTEXT: &str = "invalid options";
    if is_absent(options) {
        return Ok(T::default());
    }
    if !options.is_object() || js_sys::Array::is_array(options) {
        return Err(ApiError::at(CONTEXT, "options", "expected an object"));
    }
    let copy = Object::assign(&Object::new(), options.unchecked_ref());
    // Deleting an own property of a fresh plain object cannot fail.
    let _ = Reflect::delete_property(&copy, &"onProgress".into());
    from_js(copy.into(), CONTEXT, "options")
}

/// The options of `simulate`: the CLI's overrides of `meridian run`, the histograms switch of
/// `--json --histograms`, and a progress callback.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulateOptions {
    /// Replaces the scenario's seed (`--seed`).
    pub seed: Option<u64>,
    /// Replaces the scenario's duration, simulated seconds (`--duration`).
    pub duration: Option<f64>,
    /// Faults added to the schedule, in the CLI's words (`--fault`).
    pub faults: Vec<String>,
    /// Adds the bars behind the figures to the report (`--histograms`).
    pub histograms: bool,
}

/// The options of `kata86` and `pbs`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunOptions {
    /// `kata86` only: return the whole report (percentiles, counts, bins) instead of the four
    /// figures `meridian kata86 --json` prints.
    pub full: bool,
}

/// `options.onProgress`, when given: a function, or an error naming the option.
pub fn progress_callback(options: &JsValue) -> Result<Option<Function>, ApiError> {
    if is_absent(options) || !options.is_object() {
        return Ok(None);
    }
    let value = Reflect::get(options, &"onProgress".into()).unwrap_or(JsValue::UNDEFINED);
    if is_absent(&value) {
        return Ok(None);
    }
    value.dyn_into::<Function>().map(Some).map_err(|_| {
        ApiError::at(
            "invalid options",
            "options.onProgress",
            "expected a function (done, total) => void",
        )
    })
}

/// Kata 86's network figures, each optional (the exercise's value otherwise).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Kata86ConfigInput {
    rtt_client_to_sg_ms: Option<u32>,
    rtt_client_to_us_ms: Option<u32>,
    rtt_between_regions_ms: Option<u32>,
    replication_base_ms: Option<u32>,
    replication_jitter_ms: Option<u32>,
}

/// The parameters of `kata86`: the fields of core's [`Kata86Params`], each optional, with the
/// same defaults as `meridian kata86`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Kata86Input {
    iterations: Option<u64>,
    client: Option<Region>,
    leader: Option<Region>,
    strategy: Option<ReadStrategy>,
    seed: Option<u64>,
    accounting: Option<StalenessAccounting>,
    config: Kata86ConfigInput,
}

impl Kata86Input {
    /// Reads the parameters (absent: every default).
    pub fn read(value: JsValue) -> Result<Self, ApiError> {
        from_js_or_default(value, "invalid Kata 86 parameters", "")
    }

    /// Core's parameters, validated.
    pub fn params(self) -> Result<Kata86Params, ApiError> {
        let d = Kata86Params::default();
        let c = self.config;
        let dc = d.config;
        let params = Kata86Params {
            iterations: self.iterations.unwrap_or(d.iterations),
            client: self.client.unwrap_or(d.client),
            leader: self.leader.unwrap_or(d.leader),
            strategy: self.strategy.unwrap_or(d.strategy),
            seed: self.seed.unwrap_or(d.seed),
            accounting: self.accounting.unwrap_or(d.accounting),
            config: Kata86Config {
                rtt_client_to_sg_ms: c.rtt_client_to_sg_ms.unwrap_or(dc.rtt_client_to_sg_ms),
                rtt_client_to_us_ms: c.rtt_client_to_us_ms.unwrap_or(dc.rtt_client_to_us_ms),
                rtt_between_regions_ms: c
                    .rtt_between_regions_ms
                    .unwrap_or(dc.rtt_between_regions_ms),
                replication_base_ms: c.replication_base_ms.unwrap_or(dc.replication_base_ms),
                replication_jitter_ms: c.replication_jitter_ms.unwrap_or(dc.replication_jitter_ms),
            },
        };
        params.validate().map_err(|e| kata86_error(&e))?;
        Ok(params)
    }
}

/// Core's Kata 86 error with the path of its field.
pub fn kata86_error(e: &Kata86Error) -> ApiError {
    let path = match e {
        Kata86Error::IterationsOutOfRange { .. } => "iterations".to_string(),
        Kata86Error::SeedOutOfRange { .. } => "seed".to_string(),
        Kata86Error::ConfigOutOfRange { field, .. } => format!("config.{field}"),
        Kata86Error::UnknownRegion { .. } => "client".to_string(),
        Kata86Error::UnknownStrategy { .. } => "strategy".to_string(),
        Kata86Error::UnknownAccounting { .. } => "accounting".to_string(),
    };
    ApiError::at("invalid Kata 86 parameters", path, e)
}

/// The parameters of `pbs`: the flags of `meridian pbs` under the names of core's
/// [`PbsConfig`], each optional, with the CLI's defaults. `legs` replaces the preset's latency
/// fits with your own.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PbsInput {
    preset: Option<Preset>,
    legs: Option<WarsLegs>,
    n: Option<u32>,
    r: Option<u32>,
    w: Option<u32>,
    trials: Option<u64>,
    seed: Option<u64>,
    t_ms: Option<Vec<f64>>,
    target: Option<f64>,
}

impl PbsInput {
    /// Reads the parameters (absent: every default).
    pub fn read(value: JsValue) -> Result<Self, ApiError> {
        from_js_or_default(value, "invalid PBS parameters", "")
    }

    /// Core's configuration, validated.
    pub fn config(self) -> Result<PbsConfig, ApiError> {
        let (n, r, w) = (
            self.n.unwrap_or(3),
            self.r.unwrap_or(1),
            self.w.unwrap_or(1),
        );
        let legs = match (self.preset, self.legs) {
            (Some(_), Some(_)) => {
                return Err(ApiError::at(
                    "invalid PBS parameters",
                    "legs",
                    "give either a preset or legs, not both",
                ));
            }
            (_, Some(legs)) => legs,
            (preset, None) => preset.unwrap_or(Preset::LnkdDisk).legs(),
        };
        let config = PbsConfig {
            trials: self.trials.unwrap_or(DEFAULT_TRIALS),
            seed: self.seed.unwrap_or(1),
            t_ms: self.t_ms.unwrap_or_else(|| DEFAULT_T_MS.to_vec()),
            target: self.target.unwrap_or(DEFAULT_TARGET),
            ..PbsConfig::with_legs(legs, n, r, w)
        };
        config
            .validate()
            .map_err(|e| ApiError::at("invalid PBS parameters", e.path.clone(), e))?;
        Ok(config)
    }
}

/// A conflict-resolution strategy of core's `conflict` module, as `merge` takes it: an object
/// with a `kind` and the strategy's settings.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ResolverSpec {
    /// [`LwwHlc`]: the greater hybrid logical clock wins the whole record. (Variants without
    /// settings are written `{}` so that unknown fields are refused for them too.)
    LwwHlc {},
    /// [`LwwPhysical`]: the writer's wall clock decides.
    LwwPhysical {},
    /// [`FieldMerge`]: a rule per field.
    FieldMerge {
        /// The rule of each named field.
        #[serde(default)]
        rules: BTreeMap<String, FieldRule>,
        /// The rule of the other fields.
        #[serde(default)]
        default: FieldRule,
    },
    /// [`SourcePriority`]: the region listed first wins conflicts.
    SourcePriority {
        /// Regions, highest priority first.
        order: Vec<String>,
    },
    /// [`InsertWins`]: a live write beats a concurrent delete; other conflicts go to `inner`.
    InsertWins {
        /// The strategy for the other conflicts.
        inner: Box<ResolverSpec>,
    },
}

/// The kinds a resolver may be named by.
const RESOLVER_KINDS: &str = "lww_hlc, lww_physical, field_merge, source_priority, insert_wins";

impl ResolverSpec {
    /// Reads `merge`'s second argument: an object with a `kind`, or a kind's name alone for the
    /// strategies without required settings.
    pub fn read(value: JsValue) -> Result<Self, ApiError> {
        const CONTEXT: &str = "invalid resolver";
        if let Some(name) = value.as_string() {
            return match name.trim() {
                "lww_hlc" => Ok(ResolverSpec::LwwHlc {}),
                "lww_physical" => Ok(ResolverSpec::LwwPhysical {}),
                "field_merge" => Ok(ResolverSpec::FieldMerge {
                    rules: BTreeMap::new(),
                    default: FieldRule::Lww,
                }),
                other => Err(ApiError::at(
                    CONTEXT,
                    "resolver",
                    format!(
                        "unknown resolver '{other}'; name one of lww_hlc, lww_physical, \
                         field_merge, or give an object with a kind ({RESOLVER_KINDS})"
                    ),
                )),
            };
        }
        if is_absent(&value) {
            return Err(ApiError::at(
                CONTEXT,
                "resolver",
                format!("merging versions needs a resolver ({RESOLVER_KINDS})"),
            ));
        }
        from_js(value, CONTEXT, "resolver")
    }

    /// The strategy itself.
    pub fn build(self) -> Box<dyn Resolver> {
        match self {
            ResolverSpec::LwwHlc {} => Box::new(LwwHlc),
            ResolverSpec::LwwPhysical {} => Box::new(LwwPhysical),
            ResolverSpec::FieldMerge { rules, default } => Box::new(FieldMerge { rules, default }),
            ResolverSpec::SourcePriority { order } => Box::new(SourcePriority::new(order)),
            ResolverSpec::InsertWins { inner } => Box::new(InsertWins {
                inner: inner.build(),
            }),
        }
    }
}
