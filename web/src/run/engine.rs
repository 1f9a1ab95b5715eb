//! [`EngineJob`]: the general discrete-event engine ([`Simulation`]) as a [`RunJob`].

use meridian_core::sim::{Histograms, Model, Report, Simulation};

use super::RunJob;

/// What an engine run gives: the report and the histograms behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineOutput {
    /// The engine's report (the same value `meridian run --json` prints).
    pub report: Report,
    /// Read latency, write latency and staleness as bars, overall and per home region.
    pub histograms: Histograms,
}

/// A run of the general engine over a validated scenario model, stepped a batch of events at a
/// time. The output is the engine's report of everything simulated so far, with its histograms.
#[derive(Debug)]
pub struct EngineJob {
    sim: Simulation,
}

impl EngineJob {
    /// Events per slice.
    pub const EVENTS_PER_STEP: u32 = 4096;

    /// Prepares a run of `model`.
    pub fn new(model: Model) -> Self {
        EngineJob {
            sim: Simulation::new(model),
        }
    }
}

impl RunJob for EngineJob {
    type Output = EngineOutput;

    fn step(&mut self) {
        for _ in 0..Self::EVENTS_PER_STEP {
            if !self.sim.step() {
                break;
            }
        }
    }

    fn progress(&self) -> f64 {
        if self.sim.is_finished() {
            1.0
        } else {
            self.sim.progress().clamp(0.0, 1.0)
        }
    }

    fn is_finished(&self) -> bool {
        self.sim.is_finished()
    }

    fn output(&self) -> EngineOutput {
        EngineOutput {
            report: self.sim.report(),
            histograms: self.sim.histograms(),
        }
    }
}
