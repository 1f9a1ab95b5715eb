//! The Drill view's model: a Scenario view's state (the document, its controls and its run, see
//! [`crate::views::scenario::state`]), one run of the document per failover policy (from
//! [`meridian_core::scenario::drill_variants`], the implementation `meridian drill` uses), and
//! the scrubber: the time shown, and whether it plays.
//!
//! Like the Scenario view's, the reducer runs no simulation: a new valid document makes new
//! policy models, which the view runs through [`crate::hooks::use_run`].

use std::rc::Rc;

use meridian_core::scenario::drill_variants;
use meridian_core::sim::{FailoverPolicy, FailureReport, Model};
use yew::Reducible;

use super::moment::{snap, step};
use crate::hooks::RunStatus;
use crate::run::engine::EngineOutput;
use crate::views::scenario::document::{parse, parse_duration, parse_seed};
use crate::views::scenario::state::{Action as ScenarioAction, ScenarioState, Settings};

/// The preset the view opens on when the address names none: a leader crash with promotion.
pub const DEFAULT_PRESET: &str = "sg-down-promote";

/// Playback speeds offered, in simulated seconds per second.
pub const SPEEDS: [f64; 4] = [1.0, 2.0, 5.0, 10.0];

/// The view's settings kept in the page address.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillSettings {
    /// The preset, seed, duration and edited document, as the Scenario view keeps them.
    pub scenario: Settings,
    /// The scrubbed time, s (absent: the middle of the first fault).
    pub t: Option<f64>,
}

impl Default for DrillSettings {
    fn default() -> Self {
        DrillSettings {
            scenario: Settings {
                preset: DEFAULT_PRESET.to_string(),
                ..Settings::default()
            },
            t: None,
        }
    }
}

/// One failover policy's run of the document.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyRun {
    /// The policy.
    pub policy: FailoverPolicy,
    /// The document compiled with this policy.
    pub model: Rc<Model>,
    /// Its run's progress.
    pub status: RunStatus,
    /// Its report, once run.
    pub output: Option<Rc<EngineOutput>>,
}

impl PolicyRun {
    /// Applies a run event; `false` when it belongs to no run of this one's.
    fn on_event(&mut self, action: ScenarioAction) -> bool {
        let current = match self.status {
            RunStatus::Running { run, .. } => Some(run),
            _ => None,
        };
        match action {
            ScenarioAction::RunStarted { run } => {
                self.status = RunStatus::Running { run, done: 0.0 };
            }
            ScenarioAction::RunProgress { run, done } if current == Some(run) => {
                self.status = RunStatus::Running { run, done };
            }
            ScenarioAction::RunFinished { run, output } if current == Some(run) => {
                self.output = Some(output);
                self.status = RunStatus::Idle;
            }
            ScenarioAction::RunFailed { run, message } if current == Some(run) => {
                self.status = RunStatus::Failed { message };
            }
            _ => return false,
        }
        true
    }
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillState {
    /// The document, its controls and its own run.
    pub scenario: Rc<ScenarioState>,
    /// One run per failover policy, or why the document cannot be drilled.
    pub policies: Result<Vec<PolicyRun>, String>,
    /// The scrubbed time as asked (by the address or the scrubber), s; see [`Self::time`].
    pub asked_t: Option<f64>,
    /// Whether the scrubber plays.
    pub playing: bool,
    /// Playback speed, simulated seconds per second.
    pub speed: f64,
    /// Bumped when playback starts, so that a tick of an earlier playback is ignored.
    pub play_token: u64,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Something for the document, its controls or its own run.
    Scenario(ScenarioAction),
    /// A run event of the policy run at this index.
    Policy(usize, ScenarioAction),
    /// The scrubber moved to this time, s.
    Scrub(f64),
    /// Play from the scrubbed time (from the start when at the end).
    Play,
    /// Stop playing.
    Pause,
    /// One step of playback.
    Tick {
        /// The playback it belongs to.
        token: u64,
    },
    /// A playback speed was picked.
    SetSpeed(f64),
}

/// The failure report of the view's finished run, if it has one.
pub fn failures(s: &ScenarioState) -> Option<&FailureReport> {
    s.results.as_ref()?.output.report.failures.as_ref()
}

/// One run per failover policy of the document with its controls, or why there is none.
fn policy_runs(s: &ScenarioState) -> Result<Vec<PolicyRun>, String> {
    let mut scenario = parse(&s.text).map_err(|e| e.message.clone())?;
    scenario.seed = parse_seed(&s.seed)?;
    scenario.duration_s = parse_duration(&s.duration)?;
    drill_variants(&scenario)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|v| {
            Ok(PolicyRun {
                policy: v.policy,
                model: Rc::new(v.scenario.validate().map_err(|e| e.to_string())?),
                status: RunStatus::Idle,
                output: None,
            })
        })
        .collect()
}

impl DrillState {
    /// The view as the page opens with `settings`.
    pub fn new(settings: &DrillSettings) -> Self {
        let scenario = ScenarioState::new(&settings.scenario);
        DrillState {
            policies: policy_runs(&scenario),
            scenario: Rc::new(scenario),
            asked_t: settings.t,
            playing: false,
            speed: SPEEDS[1],
            play_token: 0,
        }
    }

    /// The settings to write into the address, when the controls are valid.
    pub fn settings(&self) -> Option<DrillSettings> {
        Some(DrillSettings {
            scenario: self.scenario.settings()?,
            t: self.asked_t.map(|t| match failures(&self.scenario) {
                Some(f) => snap(f, t),
                None => t,
            }),
        })
    }

    /// The time shown, s, on the finished run's timeline: the one asked, else the middle of the
    /// first fault. `None` before a run with a timeline has finished.
    pub fn time(&self) -> Option<f64> {
        let f = failures(&self.scenario).filter(|f| !f.timeline.is_empty())?;
        let default = || {
            f.faults.first().map_or(0.0, |o| {
                (o.start_s + o.end_s.unwrap_or(o.start_s + 10.0)) / 2.0
            })
        };
        Some(snap(f, self.asked_t.unwrap_or_else(default)))
    }
}

impl Reducible for DrillState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Scenario(a) => {
                let before = s.scenario.generation;
                let next = s.scenario.clone().reduce(a);
                if Rc::ptr_eq(&next, &s.scenario) {
                    return self;
                }
                s.scenario = next;
                if s.scenario.generation != before {
                    s.policies = policy_runs(&s.scenario);
                }
            }
            Action::Policy(i, a) => {
                let Some(run) = s.policies.as_mut().ok().and_then(|p| p.get_mut(i)) else {
                    return self;
                };
                if !run.on_event(a) {
                    return self;
                }
            }
            Action::Scrub(t) => {
                if !t.is_finite() {
                    return self;
                }
                s.asked_t = Some(t.max(0.0));
            }
            Action::Play => {
                let Some((now, end)) = s
                    .time()
                    .zip(failures(&s.scenario).map(|f| snap(f, f64::MAX)))
                else {
                    return self;
                };
                if now >= end {
                    s.asked_t = Some(0.0);
                }
                s.playing = true;
                s.play_token += 1;
            }
            Action::Pause => s.playing = false,
            Action::Tick { token } => {
                if !s.playing || token != s.play_token {
                    return self;
                }
                let (Some(now), Some(f)) = (s.time(), failures(&s.scenario)) else {
                    s.playing = false;
                    return Rc::new(s);
                };
                let end = snap(f, f64::MAX);
                let next = snap(f, now + step(f));
                s.asked_t = Some(next);
                if next >= end {
                    s.playing = false;
                }
            }
            Action::SetSpeed(v) => {
                if !SPEEDS.contains(&v) {
                    return self;
                }
                s.speed = v;
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::sim::{Histograms, Simulation};

    fn finished(s: Rc<DrillState>) -> Rc<DrillState> {
        let model = s.scenario.requested.clone().unwrap();
        let mut sim = Simulation::new((*model).clone());
        while sim.step() {}
        let output = Rc::new(EngineOutput {
            report: sim.report(),
            histograms: Histograms::default(),
        });
        s.reduce(Action::Scenario(ScenarioAction::RunStarted { run: 1 }))
            .reduce(Action::Scenario(ScenarioAction::RunFinished {
                run: 1,
                output,
            }))
    }

    fn short(preset: &str) -> DrillSettings {
        DrillSettings {
            scenario: Settings {
                preset: preset.into(),
                duration_s: Some(50.0),
                ..Settings::default()
            },
            t: None,
        }
    }

    #[test]
    fn the_three_policies_follow_the_document() {
        let s = Rc::new(DrillState::new(&short("sg-down-promote")));
        let runs = s.policies.as_ref().unwrap();
        assert_eq!(
            runs.iter().map(|r| r.policy).collect::<Vec<_>>(),
            FailoverPolicy::ALL
        );
        assert!(runs.iter().all(|r| r.model.seed == 1));
        let s = s.reduce(Action::Scenario(ScenarioAction::PickPreset(
            "sg-us-wallet".into(),
        )));
        assert!(s.policies.as_ref().unwrap_err().contains("no [[faults]]"));
        let s = s.reduce(Action::Scenario(ScenarioAction::PickPreset(
            "sg-us-multi-leader".into(),
        )));
        assert!(s.policies.as_ref().unwrap_err().contains("single_leader"));
    }

    #[test]
    fn policy_runs_take_only_their_own_events() {
        let s = Rc::new(DrillState::new(&short("sg-down-reject")));
        let s = s.reduce(Action::Policy(1, ScenarioAction::RunStarted { run: 4 }));
        let same = s.clone().reduce(Action::Policy(
            1,
            ScenarioAction::RunProgress { run: 3, done: 0.5 },
        ));
        assert!(Rc::ptr_eq(&s, &same));
        let s = s.reduce(Action::Policy(9, ScenarioAction::RunStarted { run: 1 }));
        assert_eq!(
            s.policies.as_ref().unwrap()[1].status,
            RunStatus::Running { run: 4, done: 0.0 }
        );
    }

    #[test]
    fn the_scrubber_snaps_plays_and_stops_at_the_end() {
        let s = Rc::new(DrillState::new(&short("sg-down-promote")));
        assert_eq!(s.time(), None, "no run yet");
        let s = finished(s);
        // The middle of the fault (20 s for 25 s).
        assert_eq!(s.time(), Some(32.0));
        let s = s.reduce(Action::Scrub(23.7));
        assert_eq!(s.time(), Some(23.0));
        assert_eq!(s.settings().unwrap().t, Some(23.0));
        let s = s.reduce(Action::Play);
        let token = s.play_token;
        let s = s.reduce(Action::Tick { token });
        assert_eq!(s.time(), Some(24.0));
        let stale = s.clone().reduce(Action::Tick { token: token - 1 });
        assert!(Rc::ptr_eq(&stale, &s));
        let end = failures(&s.scenario).map(|f| snap(f, f64::MAX)).unwrap();
        let mut s = s.reduce(Action::Scrub(end - 1.0));
        s = s.reduce(Action::Tick { token });
        assert_eq!((s.time(), s.playing), (Some(end), false));
        // Playing again from the end starts over.
        let s = s.reduce(Action::Play);
        assert_eq!((s.time(), s.playing), (Some(1.0), true));
        let s = s.reduce(Action::Pause).reduce(Action::Scrub(f64::NAN));
        assert!(!s.playing);
        assert!(Rc::ptr_eq(&s.clone().reduce(Action::SetSpeed(3.0)), &s));
    }
}
