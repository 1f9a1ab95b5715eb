//! The scenario document: one serde value (TOML or JSON) that describes a whole run: topology,
//! clients, workload, replication, read and write paths, SLOs, seed and duration.
//!
//! [`Scenario::validate`] checks every field and compiles the document into a
//! [`crate::sim::Model`] with dense integer ids; its errors name the field path, the value and what
//! is allowed, e.g. `replication.w = 5: expected a whole number from 1 to n (3)`.
//!
//! ```
//! use meridian_core::scenario::Scenario;
//!
//! let scenario = Scenario::preset("sg-us-wallet").expect("shipped preset");
//! let model = scenario.validate().expect("presets are valid");
//! assert_eq!(model.topology.region_count(), 2);
//! ```

use alloc::string::ToString;

mod builder;
mod doc;
mod drill;
mod fault_grammar;
mod faults;
mod presets;
mod validate;
#[cfg(feature = "yaml")]
pub mod yaml;

pub use builder::ScenarioBuilder;
pub use doc::{
    ClientSpec, EntitySpec, FollowerAcks, ReadsSpec, ReplicationSpec, Scenario, SloSpec,
    WorkloadSpec,
};
pub use drill::{DrillError, PolicyVariant, drill_variants};
pub use fault_grammar::{FAULT_GRAMMAR, FaultParseError};
pub use faults::{FailoverSpec, FaultKindSpec, FaultSpec, MAX_FAULTS, MAX_INTERVALS, TimelineSpec};
// The settings the engine and the topology read are theirs; the document uses them as they are.
pub use crate::sim::{
    AgentConfig, DivergentWrites, EntityPolicy, Failback, FailoverPolicy, LwwClock, OnViolation,
    PartitionBy, Popularity, ReadStrategy, SessionGuarantee, SloMetric, Toggle, WritePolicy,
};
pub use crate::topology::{LinkSpec, RegionSpec, TopologySpec, ZoneSpec};
pub use presets::{PRESETS, PresetInfo};
pub use validate::{MAX_DURATION_S, MAX_KEY_REPLICAS, MAX_KEYS, MAX_QUORUM_N, MAX_REQUESTS};
#[cfg(feature = "yaml")]
pub use yaml::{IgnoredField, YamlImport};

/// Why a scenario document could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum ScenarioError {
    /// The text is not valid TOML or JSON for a scenario (syntax, unknown or missing field).
    Parse {
        /// The format tried (`TOML` or `JSON`).
        format: &'static str,
        /// The parser's message, which names the line/field.
        message: alloc::string::String,
    },
    /// A field holds a value that is not allowed.
    Invalid(crate::error::FieldError),
    /// No preset has this name.
    UnknownPreset {
        /// The name asked for.
        name: alloc::string::String,
    },
}

/// A structural error of a document read by [`Scenario::from_toml_spanned`]: the parser's reason
/// and the byte range of the text it is about (a key, a value or a table header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpannedError {
    /// The reason, e.g. ``unknown field `bogus`, expected one of ...``.
    pub message: alloc::string::String,
    /// Where in the text, in bytes, when the parser knows.
    pub span: Option<core::ops::Range<usize>>,
}

impl core::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ScenarioError::Parse { format, message } => {
                write!(f, "not a valid {format} scenario: {message}")
            }
            ScenarioError::Invalid(e) => write!(f, "invalid scenario: {e}"),
            ScenarioError::UnknownPreset { name } => {
                write!(f, "unknown preset '{name}'; available: ")?;
                for (i, p) in PRESETS.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(p.name)?;
                }
                Ok(())
            }
        }
    }
}

impl core::error::Error for ScenarioError {}

impl From<crate::error::FieldError> for ScenarioError {
    fn from(e: crate::error::FieldError) -> Self {
        ScenarioError::Invalid(e)
    }
}

/// The scenario file extensions [`Scenario::load`] reads, for its messages.
#[cfg(all(feature = "std", feature = "yaml"))]
const LOADABLE: &str = ".toml, .json, .yaml or .yml";
#[cfg(all(feature = "std", not(feature = "yaml")))]
const LOADABLE: &str = ".toml or .json";

impl Scenario {
    /// Parses a scenario from TOML text (structure only; call [`Scenario::validate`] next).
    /// A structural error names the field path, e.g. `reads.strategy: unknown field `r``.
    pub fn from_toml(text: &str) -> Result<Scenario, ScenarioError> {
        let parse_error = |message| ScenarioError::Parse {
            format: "TOML",
            message,
        };
        let de = toml::Deserializer::parse(text).map_err(|e| parse_error(e.to_string()))?;
        serde_path_to_error::deserialize(de).map_err(|e| parse_error(e.to_string()))
    }

    /// Parses a scenario from TOML text like [`Scenario::from_toml`], but without following the
    /// field path of a structural error: the error is the parser's reason and the byte range of
    /// the text it is about. Reading documents this way takes much less code (the field-path
    /// tracking instantiates every deserializer a second time), which is what a web page wants;
    /// the page finds the field from the position (`toml` reports the offending key or value).
    pub fn from_toml_spanned(text: &str) -> Result<Scenario, SpannedError> {
        toml::from_str(text).map_err(|e: toml::de::Error| SpannedError {
            message: alloc::string::ToString::to_string(e.message()),
            span: e.span(),
        })
    }

    /// Parses a scenario from JSON text (structure only; call [`Scenario::validate`] next).
    /// A structural error names the field path as well as the line and column.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let parse_error = |message| ScenarioError::Parse {
            format: "JSON",
            message,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let scenario: Scenario =
            serde_path_to_error::deserialize(&mut de).map_err(|e| parse_error(e.to_string()))?;
        de.end().map_err(|e| parse_error(e.to_string()))?;
        Ok(scenario)
    }

    /// Reads a scenario file: `.toml` or `.json` (by its extension, in any case), structure only
    /// (call [`Scenario::validate`] next). With the `yaml` feature also a replication config in
    /// `.yaml` / `.yml` ([`Scenario::from_yaml`], validated as it is read; the fields it leaves
    /// out are not reported here). The error says which file and why: it cannot be read, its
    /// extension is none of these, or the parser's reason with the field path.
    #[cfg(feature = "std")]
    pub fn load(path: impl AsRef<std::path::Path>) -> Result<Scenario, alloc::string::String> {
        let path = path.as_ref();
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let parse: fn(&str) -> Result<Scenario, ScenarioError> = match extension.as_deref() {
            Some("toml") => Scenario::from_toml,
            Some("json") => Scenario::from_json,
            #[cfg(feature = "yaml")]
            Some("yaml" | "yml") => |text| Scenario::from_yaml(text).map(|i| i.scenario),
            Some(other) => {
                return Err(alloc::format!(
                    "scenario file '{}' has extension .{other}; expected {LOADABLE}",
                    path.display()
                ));
            }
            None => {
                return Err(alloc::format!(
                    "scenario file '{}' has no extension; expected {LOADABLE}",
                    path.display()
                ));
            }
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| alloc::format!("cannot read scenario file '{}': {e}", path.display()))?;
        parse(&text).map_err(|e| alloc::format!("{}: {e}", path.display()))
    }

    /// Writes the scenario as TOML.
    pub fn to_toml(&self) -> Result<alloc::string::String, ScenarioError> {
        toml::to_string_pretty(self).map_err(|e| ScenarioError::Parse {
            format: "TOML",
            message: alloc::string::ToString::to_string(&e),
        })
    }

    /// A shipped preset by name (see [`PRESETS`]).
    pub fn preset(name: &str) -> Result<Scenario, ScenarioError> {
        let info = PRESETS
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| ScenarioError::UnknownPreset { name: name.into() })?;
        // The presets are known to parse (tests), so no field path is needed for their errors.
        Scenario::from_toml_spanned(info.toml).map_err(|e| ScenarioError::Parse {
            format: "TOML",
            message: e.message,
        })
    }
}
