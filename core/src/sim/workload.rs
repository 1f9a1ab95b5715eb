//! The workload: Poisson arrivals per client population, the read/write mix, and keys chosen
//! uniformly or by Zipf popularity.

use alloc::vec;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::model::Model;
use crate::rng::SimRng;
use crate::time::{SimDuration, SimTime};

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

/// One client request, as drawn at its arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Request {
    /// A write (otherwise a read).
    pub(crate) is_write: bool,
    /// The key it touches.
    pub(crate) key: u32,
    /// The client session it belongs to (dense over every population).
    pub(crate) session: u32,
}

/// The request generator: per population a Poisson arrival process and its own random stream
/// for the request mix, keys and sessions, so populations do not disturb each other's draws.
#[derive(Debug, Clone)]
pub(crate) struct Workload {
    arrivals: Vec<SimRng>,
    /// Exact time of each population's latest arrival, in µs (events are scheduled at the whole
    /// µs, but gaps accumulate unrounded so high rates keep their mean).
    clock_us: Vec<f64>,
    /// Cumulative Zipf probabilities by key rank; empty for uniform popularity.
    zipf_cdf: Vec<f64>,
}

impl Workload {
    pub(crate) fn new(model: &Model) -> Self {
        let zipf_cdf = match model.popularity {
            Popularity::Uniform {} => Vec::new(),
            Popularity::Zipf { s } => {
                let mut acc = 0.0;
                let mut cdf: Vec<f64> = (1..=model.keys)
                    .map(|k| {
                        acc += 1.0 / libm::pow(f64::from(k), s);
                        acc
                    })
                    .collect();
                for c in &mut cdf {
                    *c /= acc;
                }
                cdf
            }
        };
        Workload {
            arrivals: (0..model.clients.len())
                .map(|p| SimRng::fork(model.seed, 1 + p as u64))
                .collect(),
            clock_us: vec![0.0; model.clients.len()],
            zipf_cdf,
        }
    }

    /// Draws population `pop`'s next arrival; `None` once it falls after the arrival period (or
    /// the population sends nothing).
    pub(crate) fn next_arrival(&mut self, model: &Model, pop: usize) -> Option<SimTime> {
        let rate = model.clients[pop].rate_per_s;
        if rate <= 0.0 {
            return None;
        }
        let gap_us = -libm::log(self.arrivals[pop].next_f64_nonzero()) / rate * 1e6;
        let clock = &mut self.clock_us[pop];
        *clock += gap_us;
        let at = SimTime::ZERO + SimDuration::from_micros(libm::floor(*clock) as u64);
        (*clock <= model.duration.as_micros() as f64).then_some(at)
    }

    /// Draws what population `pop`'s request does: read or write, which key, which session.
    pub(crate) fn draw_request(&mut self, model: &Model, pop: usize) -> Request {
        let rng = &mut self.arrivals[pop];
        let is_write = !rng.chance(model.read_fraction);
        let key = if self.zipf_cdf.is_empty() {
            rng.below(u64::from(model.keys)) as u32
        } else {
            let u = rng.next_f64();
            self.zipf_cdf
                .partition_point(|&c| c < u)
                .min(self.zipf_cdf.len() - 1) as u32
        };
        let spc = model.sessions_per_client;
        let session = pop as u32 * spc + rng.below(u64::from(spc)) as u32;
        Request {
            is_write,
            key,
            session,
        }
    }
}
