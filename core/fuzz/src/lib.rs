//! What the fuzz targets share: the small budget a fuzzed run is held to, so that libFuzzer spends
//! its time on many short runs rather than a few long ones, and the step cap that turns a run which
//! does not finish within that budget into a crash.
//!
//! The budget only shrinks a document that already parsed: it lowers the arrival rate so that a
//! run expects at most [`MAX_REQUESTS`] requests, and caps the keys and sessions. Everything else
//! (topology, replication, read strategies, faults and their times, failover, timeline) is left as
//! the fuzzer wrote it, and the shrunk document must still pass `validate()` before it is run.

use meridian_core::reliability::RecoveryScenario;
use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;

/// Expected requests of a fuzzed engine run (rate × duration).
pub const MAX_REQUESTS: f64 = 500.0;
/// Keys of a fuzzed engine run.
pub const MAX_KEYS: u32 = 256;
/// Sessions per client population of a fuzzed engine run.
pub const MAX_SESSIONS: u32 = 32;
/// Events a fuzzed engine run may take before it counts as a hang. A request costs a handful of
/// events per replica (send, apply, acknowledge, retries, waits), so this is far above what
/// [`MAX_REQUESTS`] needs when the run ends as it should.
pub const MAX_EVENTS: u64 = 2_000_000;

/// Orders per run of a fuzzed recovery scenario (rate × duration).
pub const MAX_ORDERS: f64 = 200.0;
/// Simulated seconds a fuzzed recovery scenario's jobs keep running after arrivals stop.
pub const MAX_DRAIN_S: f64 = 600.0;

/// Shrinks an engine scenario to the fuzzing budget (see the module docs).
pub fn shrink_scenario(s: &mut Scenario) {
    let w = &mut s.workload;
    if s.duration_s.is_finite() && s.duration_s > 0.0 && w.requests_per_s.is_finite() {
        let most = MAX_REQUESTS / s.duration_s;
        if w.requests_per_s > most {
            w.requests_per_s = most;
        }
    }
    w.keys = w.keys.min(MAX_KEYS);
    w.sessions_per_client = w.sessions_per_client.min(MAX_SESSIONS);
}

/// Validates `s` and, when it passes, runs it to the end, panicking if it takes more than
/// [`MAX_EVENTS`] events. Returns whether it ran.
pub fn run_engine(s: &Scenario) -> bool {
    let Ok(model) = s.validate() else {
        return false;
    };
    let mut sim = Simulation::new(model);
    let mut events = 0u64;
    while sim.step() {
        events += 1;
        assert!(
            events <= MAX_EVENTS,
            "a validated document within the fuzzing budget took more than {MAX_EVENTS} events \
             (simulated time {:?})",
            sim.now()
        );
    }
    // The report reads every metric: percentiles, SLO verdicts, failure measurements.
    let report = sim.report();
    let _ = serde_json::to_string(&report);
    true
}

/// Shrinks a recovery scenario to the fuzzing budget: fewer orders and a shorter drain.
pub fn shrink_recovery(s: &mut RecoveryScenario) {
    if s.duration_s.is_finite() && s.duration_s > 0.0 && s.orders_per_s.is_finite() {
        let most = MAX_ORDERS / s.duration_s;
        if s.orders_per_s > most {
            s.orders_per_s = most;
        }
    }
    if s.drain_s.is_finite() && s.drain_s > MAX_DRAIN_S {
        s.drain_s = MAX_DRAIN_S;
    }
}
