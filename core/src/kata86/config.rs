//! Inputs of a Kata 86 run: regions, read strategy, network figures and run parameters, with
//! validation that names the offending field and the allowed range.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// Largest number of iterations a run accepts (10^12, about an hour and a half natively).
pub const MAX_ITERATIONS: u64 = 1_000_000_000_000;

/// Largest seed accepted: 2^53 - 1, the largest integer a JavaScript number holds exactly. The
/// reference simulation keeps its seed in a double, so larger seeds have no single meaning there.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Largest network or lag figure accepted in a [`Kata86Config`], in milliseconds (one minute).
pub const MAX_CONFIG_MS: u32 = 60_000;

/// Where the exercise's clients are: Vietnam, served mainly from SG.
pub const CLIENT_PLACE: &str = "Ho Chi Minh City";

/// Latitude and longitude of [`CLIENT_PLACE`], in degrees, for drawing the client on a map.
pub const CLIENT_LAT_LON: (f64, f64) = (10.82, 106.63);

/// One of the two regions of the exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Region {
    /// Singapore.
    #[serde(rename = "SG")]
    Sg,
    /// US East (Virginia).
    #[serde(rename = "US")]
    Us,
}

impl Region {
    /// Both regions, in the order the reference simulation visits them.
    pub const ALL: [Region; 2] = [Region::Sg, Region::Us];

    /// Short code, as used on the command line and in reports: `SG` or `US`.
    pub const fn code(self) -> &'static str {
        match self {
            Region::Sg => "SG",
            Region::Us => "US",
        }
    }

    /// Human name of the region's location.
    pub const fn place(self) -> &'static str {
        match self {
            Region::Sg => "Singapore",
            Region::Us => "Virginia",
        }
    }

    /// Latitude and longitude in degrees, for drawing the region on a map.
    pub const fn lat_lon(self) -> (f64, f64) {
        match self {
            Region::Sg => (1.35, 103.82),
            Region::Us => (38.95, -77.45),
        }
    }

    /// The other region.
    pub const fn other(self) -> Region {
        match self {
            Region::Sg => Region::Us,
            Region::Us => Region::Sg,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = Kata86Error;

    /// Parses `SG` or `US`, ignoring case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| Kata86Error::UnknownRegion { given: s.into() })
    }
}

/// Where a balance read is served from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadStrategy {
    /// The client's local region: fastest, possibly stale.
    Local,
    /// The leader region: fresh, but a far client pays the long round trip.
    Leader,
    /// The local region, unless its replication lag exceeds the fallback threshold (2 s); then the
    /// leader.
    LocalThenLeaderIfStale,
}

impl ReadStrategy {
    /// All strategies, in the order reports list them.
    pub const ALL: [ReadStrategy; 3] = [
        ReadStrategy::Local,
        ReadStrategy::Leader,
        ReadStrategy::LocalThenLeaderIfStale,
    ];

    /// The strategy's name as the exercise spells it (`local`, `leader`,
    /// `local_then_leader_if_stale`).
    pub const fn name(self) -> &'static str {
        match self {
            ReadStrategy::Local => "local",
            ReadStrategy::Leader => "leader",
            ReadStrategy::LocalThenLeaderIfStale => "local_then_leader_if_stale",
        }
    }

    /// One sentence on what the strategy does, for tables and help texts.
    pub const fn describe(self) -> &'static str {
        match self {
            ReadStrategy::Local => "read the client's local replica",
            ReadStrategy::Leader => "read the leader",
            ReadStrategy::LocalThenLeaderIfStale => {
                "read locally, fall back to the leader when the local lag exceeds 2 s"
            }
        }
    }
}

impl fmt::Display for ReadStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ReadStrategy {
    type Err = Kata86Error;

    /// Parses a strategy name; case is ignored and `-` may stand for `_`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        ReadStrategy::ALL
            .into_iter()
            .find(|st| {
                st.name().len() == wanted.len()
                    && st
                        .name()
                        .bytes()
                        .zip(wanted.bytes())
                        .all(|(a, b)| a == b.to_ascii_lowercase() || (a == b'_' && b == b'-'))
            })
            .ok_or_else(|| Kata86Error::UnknownStrategy { given: s.into() })
    }
}

/// What a read's staleness is taken to be.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StalenessAccounting {
    /// The exercise's rule: the client region's replication lag, whoever served the read. Gives the
    /// reference simulation's numbers exactly.
    #[default]
    ReplicaLag,
    /// The staleness of the data the read returned: zero when the leader served it.
    ServedRead,
}

impl StalenessAccounting {
    /// Both rules.
    pub const ALL: [StalenessAccounting; 2] = [
        StalenessAccounting::ReplicaLag,
        StalenessAccounting::ServedRead,
    ];

    /// The rule's name (`replica_lag` or `served_read`).
    pub const fn name(self) -> &'static str {
        match self {
            StalenessAccounting::ReplicaLag => "replica_lag",
            StalenessAccounting::ServedRead => "served_read",
        }
    }
}

impl FromStr for StalenessAccounting {
    type Err = Kata86Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_").to_ascii_lowercase();
        StalenessAccounting::ALL
            .into_iter()
            .find(|a| a.name() == wanted)
            .ok_or_else(|| Kata86Error::UnknownAccounting { given: s.into() })
    }
}

/// The network and replication figures of the exercise, in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kata86Config {
    /// Round trip from the client to SG.
    pub rtt_client_to_sg_ms: u32,
    /// Round trip from the client to US.
    pub rtt_client_to_us_ms: u32,
    /// Round trip between SG and US (a forwarded write pays it once).
    pub rtt_between_regions_ms: u32,
    /// Replication lag before jitter.
    pub replication_base_ms: u32,
    /// Width of the uniform jitter added to the base lag (the jitter is below this value).
    pub replication_jitter_ms: u32,
}

impl Default for Kata86Config {
    /// The exercise's figures: client to SG 40 ms, to US 220 ms, SG-US 180 ms, lag 150 ms + up to
    /// 200 ms of jitter.
    fn default() -> Self {
        Kata86Config {
            rtt_client_to_sg_ms: 40,
            rtt_client_to_us_ms: 220,
            rtt_between_regions_ms: 180,
            replication_base_ms: 150,
            replication_jitter_ms: 200,
        }
    }
}

impl Kata86Config {
    /// Probability that one lag draw carries a spike.
    pub const SPIKE_PROBABILITY: f64 = 0.02;
    /// Smallest extra lag of a spike.
    pub const SPIKE_MIN_MS: u32 = 4000;
    /// Width of the uniform spread of a spike above [`Self::SPIKE_MIN_MS`].
    pub const SPIKE_SPREAD_MS: u32 = 4000;
    /// Lag above which [`ReadStrategy::LocalThenLeaderIfStale`] reads the leader.
    pub const FALLBACK_THRESHOLD_MS: u32 = 2000;

    /// Round trip from the client to `region`.
    pub const fn rtt_client_to(&self, region: Region) -> u32 {
        match region {
            Region::Sg => self.rtt_client_to_sg_ms,
            Region::Us => self.rtt_client_to_us_ms,
        }
    }

    /// The largest lag a draw can produce.
    pub const fn max_lag_ms(&self) -> u32 {
        self.replication_base_ms
            + self.replication_jitter_ms
            + Self::SPIKE_MIN_MS
            + Self::SPIKE_SPREAD_MS
    }

    /// Checks every figure is at most [`MAX_CONFIG_MS`].
    pub fn validate(&self) -> Result<(), Kata86Error> {
        let fields = [
            ("rtt_client_to_sg_ms", self.rtt_client_to_sg_ms),
            ("rtt_client_to_us_ms", self.rtt_client_to_us_ms),
            ("rtt_between_regions_ms", self.rtt_between_regions_ms),
            ("replication_base_ms", self.replication_base_ms),
            ("replication_jitter_ms", self.replication_jitter_ms),
        ];
        for (field, value) in fields {
            if value > MAX_CONFIG_MS {
                return Err(Kata86Error::ConfigOutOfRange { field, value });
            }
        }
        Ok(())
    }
}

/// Everything one Kata 86 run depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kata86Params {
    /// Number of iterations; each draws a lag and records one read and one write.
    pub iterations: u64,
    /// The client's local region.
    pub client: Region,
    /// The region that accepts writes.
    pub leader: Region,
    /// Where reads are served from.
    pub strategy: ReadStrategy,
    /// Seed of the generator (0 to [`MAX_SEED`]).
    pub seed: u64,
    /// How a read's staleness is counted.
    pub accounting: StalenessAccounting,
    /// Network and replication figures.
    pub config: Kata86Config,
}

impl Default for Kata86Params {
    /// The exercise's defaults: 5000 iterations, client and leader in SG, local reads, seed 1.
    fn default() -> Self {
        Kata86Params {
            iterations: 5000,
            client: Region::Sg,
            leader: Region::Sg,
            strategy: ReadStrategy::Local,
            seed: 1,
            accounting: StalenessAccounting::ReplicaLag,
            config: Kata86Config::default(),
        }
    }
}

impl Kata86Params {
    /// Checks the iteration count, the seed and the configuration.
    pub fn validate(&self) -> Result<(), Kata86Error> {
        if self.iterations == 0 || self.iterations > MAX_ITERATIONS {
            return Err(Kata86Error::IterationsOutOfRange {
                value: self.iterations,
            });
        }
        if self.seed > MAX_SEED {
            return Err(Kata86Error::SeedOutOfRange { value: self.seed });
        }
        self.config.validate()
    }
}

/// Why a Kata 86 input was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kata86Error {
    /// The iteration count is 0 or above [`MAX_ITERATIONS`]; pick a count in range.
    IterationsOutOfRange {
        /// The value given.
        value: u64,
    },
    /// The seed is above [`MAX_SEED`]; pick a smaller seed.
    SeedOutOfRange {
        /// The value given.
        value: u64,
    },
    /// A network or lag figure is above [`MAX_CONFIG_MS`].
    ConfigOutOfRange {
        /// The field's name.
        field: &'static str,
        /// The value given, in milliseconds.
        value: u32,
    },
    /// A region code other than `SG` or `US`.
    UnknownRegion {
        /// The text given.
        given: String,
    },
    /// A read strategy name other than the three known ones.
    UnknownStrategy {
        /// The text given.
        given: String,
    },
    /// A staleness accounting rule other than `replica_lag` or `served_read`.
    UnknownAccounting {
        /// The text given.
        given: String,
    },
}

impl fmt::Display for Kata86Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kata86Error::IterationsOutOfRange { value } => write!(
                f,
                "iterations must be between 1 and {MAX_ITERATIONS}, got {value}"
            ),
            Kata86Error::SeedOutOfRange { value } => write!(
                f,
                "seed must be between 0 and {MAX_SEED} (2^53 - 1), got {value}"
            ),
            Kata86Error::ConfigOutOfRange { field, value } => write!(
                f,
                "{field} must be at most {MAX_CONFIG_MS} ms, got {value} ms"
            ),
            Kata86Error::UnknownRegion { given } => {
                write!(f, "unknown region '{given}'; allowed: SG, US")
            }
            Kata86Error::UnknownStrategy { given } => write!(
                f,
                "unknown read strategy '{given}'; allowed: local, leader, local_then_leader_if_stale"
            ),
            Kata86Error::UnknownAccounting { given } => write!(
                f,
                "unknown staleness accounting '{given}'; allowed: replica_lag, served_read"
            ),
        }
    }
}

impl core::error::Error for Kata86Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn regions_parse_in_any_case_and_reject_others() {
        assert_eq!("sg".parse::<Region>(), Ok(Region::Sg));
        assert_eq!("US".parse::<Region>(), Ok(Region::Us));
        let err = "EU".parse::<Region>().unwrap_err();
        assert_eq!(err.to_string(), "unknown region 'EU'; allowed: SG, US");
    }

    #[test]
    fn strategies_parse_by_their_seed_names() {
        for st in ReadStrategy::ALL {
            assert_eq!(st.name().parse::<ReadStrategy>(), Ok(st));
        }
        assert_eq!(
            "Local-Then-Leader-If-Stale".parse::<ReadStrategy>(),
            Ok(ReadStrategy::LocalThenLeaderIfStale)
        );
        assert!("quorum".parse::<ReadStrategy>().is_err());
        assert!("loca".parse::<ReadStrategy>().is_err());
    }

    #[test]
    fn validation_names_the_field_and_range() {
        let mut p = Kata86Params {
            iterations: 0,
            ..Kata86Params::default()
        };
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "iterations must be between 1 and 1000000000000, got 0"
        );
        p.iterations = 10;
        p.seed = MAX_SEED + 1;
        assert!(matches!(
            p.validate(),
            Err(Kata86Error::SeedOutOfRange { .. })
        ));
        p.seed = MAX_SEED;
        assert_eq!(p.validate(), Ok(()));
        p.config.replication_jitter_ms = MAX_CONFIG_MS + 1;
        assert_eq!(
            p.validate(),
            Err(Kata86Error::ConfigOutOfRange {
                field: "replication_jitter_ms",
                value: MAX_CONFIG_MS + 1
            })
        );
    }

    #[test]
    fn other_region_is_an_involution() {
        for r in Region::ALL {
            assert_ne!(r.other(), r);
            assert_eq!(r.other().other(), r);
        }
    }
}
