//! The validation error shared by every configurable part of a simulation: it names the field by
//! its path in the scenario document, the value found, and what is allowed.

use alloc::string::{String, ToString};
use core::fmt;

/// A field of a scenario (or of anything else validated) holds a value that is not allowed.
///
/// `path` uses the scenario document's spelling, for example `topology.regions[2].lat` or
/// `replication.write_quorum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Where the value is, as a dotted path with `[i]` for list items.
    pub path: String,
    /// The offending value, as written.
    pub value: String,
    /// What would be accepted, e.g. "a number from -90 to 90".
    pub allowed: String,
}

impl FieldError {
    /// A new error for `path`.
    pub fn new(path: impl Into<String>, value: impl ToString, allowed: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// The same error, with `prefix` put in front of its path (`prefix.path`, or `prefix[i]` style
    /// when the path starts with `[`).
    pub fn within(mut self, prefix: &str) -> Self {
        if prefix.is_empty() {
            return self;
        }
        self.path = if self.path.is_empty() {
            prefix.into()
        } else if self.path.starts_with('[') {
            alloc::format!("{prefix}{}", self.path)
        } else {
            alloc::format!("{prefix}.{}", self.path)
        };
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {}: expected {}",
            self.path, self.value, self.allowed
        )
    }
}

impl core::error::Error for FieldError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_and_display_names_everything() {
        let e = FieldError::new("lat", 123.5, "a number from -90 to 90")
            .within("[2]")
            .within("topology.regions");
        assert_eq!(e.path, "topology.regions[2].lat");
        assert_eq!(
            e.to_string(),
            "topology.regions[2].lat = 123.5: expected a number from -90 to 90"
        );
    }
}
