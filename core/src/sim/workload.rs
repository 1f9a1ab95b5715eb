//! The workload: key popularity as a scenario writes it.

use serde::{Deserialize, Serialize};

/// Key popularity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Popularity {
    /// Every key equally likely.
    Uniform {},
    /// Key of rank k chosen with probability proportional to 1 / k^s, so hot keys collide.
    Zipf {
        /// Exponent (greater than 0; 1 is classic Zipf).
        s: f64,
    },
}

impl Default for Popularity {
    fn default() -> Self {
        Popularity::Uniform {}
    }
}
