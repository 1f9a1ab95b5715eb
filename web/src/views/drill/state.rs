//! The Drill view's model: a Scenario view's state (the document, its controls and its run, see
//! [`crate::views::scenario::state`]), one run of the document per failover policy (from
//! [`meridian_core::scenario::drill_variants`], the implementation `meridian drill` uses), and
//! the scrubber: the time shown, and whether it plays.
//!
//! Like the Scenario view's, the reducer runs no simulation: a new valid document makes new
//! policy models, which the view runs through [`crate::hooks::use_run()`].
//!
//! Faults added from the page (a region clicked on the map, a window dragged on the timeline, a
//! toggle switched at the scrubbed time, an entry removed) are edits of the document
//! ([`super::edit`]): checked with core before they apply, kept in the address like any edit,
//! and undone one by one.

use std::rc::Rc;

use meridian_core::scenario::drill_variants;
use meridian_core::sim::{FailoverPolicy, FailureReport, Model, Toggle};
use yew::Reducible;

use super::edit::{self, Change, DEFAULT_LENGTH_S, RegionFault};
use super::moment::{snap, step};
use crate::hooks::{RunEvent, RunStatus};
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
            ScenarioAction::Run(RunEvent::Started { run }) => {
                self.status = RunStatus::Running { run, done: 0.0 };
            }
            ScenarioAction::Run(RunEvent::Progress { run, done }) if current == Some(run) => {
                self.status = RunStatus::Running { run, done };
            }
            ScenarioAction::Run(RunEvent::Finished { run, output }) if current == Some(run) => {
                self.output = Some(output);
                self.status = RunStatus::Idle;
            }
            ScenarioAction::Run(RunEvent::Failed { run, message }) if current == Some(run) => {
                self.status = RunStatus::Failed { message };
            }
            _ => return false,
        }
        true
    }
}

/// Most edits the view can undo.
pub const MAX_UNDO: usize = 32;

/// An edit of the document made by the view, to undo.
#[derive(Debug, Clone, PartialEq)]
pub struct Undo {
    /// The document before it.
    pub before: String,
    /// Whether that document was an edited one (or the preset's own).
    pub before_edited: bool,
    /// The document it made: undo applies while the document is still this one.
    pub after: String,
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
    /// What a click on a region of the map adds.
    pub fault_kind: RegionFault,
    /// The length of a fault added by a click, s, as typed.
    pub length: String,
    /// The region a window dragged on the timeline takes down (`None`: the leader's).
    pub drag_region: Option<String>,
    /// Why the last edit from the page was refused.
    pub edit_error: Option<String>,
    /// The page's edits, oldest first.
    pub undo: Vec<Undo>,
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
    /// What a click on a region adds was picked.
    SetFaultKind(RegionFault),
    /// The fault length field changed.
    SetLength(String),
    /// The region for windows dragged on the timeline was picked.
    SetDragRegion(String),
    /// Add a fault of the picked kind on this region from `from_s`, to `to_s` or for the length
    /// in the field.
    AddRegionFault {
        /// The region's id.
        region: String,
        /// Start, s.
        from_s: f64,
        /// End, s (`None`: the length field's).
        to_s: Option<f64>,
    },
    /// Switch this toggle at this time, s.
    SwitchToggle(Toggle, f64),
    /// Remove the entry at this index of the schedule.
    RemoveFault(usize),
    /// Undo the view's last edit.
    Undo,
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
            fault_kind: RegionFault::default(),
            length: DEFAULT_LENGTH_S.to_string(),
            drag_region: None,
            edit_error: None,
            undo: Vec::new(),
        }
    }

    /// Whether [`Action::Undo`] has an edit to undo: the document is still the one the view's
    /// last edit made.
    pub fn can_undo(&self) -> bool {
        self.undo
            .last()
            .is_some_and(|u| u.after == self.scenario.text)
    }

    /// The region that windows dragged on the timeline take down: the one picked, else the
    /// leader's (the first region without a leader).
    pub fn drag_region(&self) -> Option<String> {
        let model = self.scenario.requested.as_ref()?;
        self.drag_region
            .clone()
            .filter(|r| model.topology.regions().iter().any(|g| &g.id == r))
            .or_else(|| super::add_fault::target(model))
    }

    /// Applies `a` to the document and its run; new policy runs when the document changed.
    fn on_scenario(&mut self, a: ScenarioAction) -> bool {
        let before = self.scenario.generation;
        let text = self.scenario.text.clone();
        let next = self.scenario.clone().reduce(a);
        if Rc::ptr_eq(&next, &self.scenario) {
            return false;
        }
        self.scenario = next;
        if self.scenario.generation != before {
            self.policies = policy_runs(&self.scenario);
        }
        if self.scenario.text != text {
            self.edit_error = None;
        }
        true
    }

    /// Makes `change` to the document when the result is a valid scenario with the controls;
    /// otherwise keeps the document and says why.
    fn edit(&mut self, change: Result<Change, String>) {
        let sc = &self.scenario;
        let result = change
            .and_then(|c| edit::apply(&sc.text, &c))
            .and_then(|t| edit::check(&t, &sc.seed, &sc.duration).map(|()| t));
        match result {
            Ok(text) => {
                let undo = Undo {
                    before: sc.text.clone(),
                    before_edited: sc.edited,
                    after: text.clone(),
                };
                if !self.can_undo() {
                    self.undo.clear();
                }
                self.undo.push(undo);
                if self.undo.len() > MAX_UNDO {
                    self.undo.remove(0);
                }
                self.on_scenario(ScenarioAction::EditText(text));
                self.edit_error = None;
            }
            Err(e) => self.edit_error = Some(format!("Not changed: {e}")),
        }
    }

    /// The fault `AddRegionFault` asks for.
    fn region_change(
        &self,
        region: &str,
        from_s: f64,
        to_s: Option<f64>,
    ) -> Result<Change, String> {
        let model = self
            .scenario
            .requested
            .as_ref()
            .ok_or("the document has no valid version to add to")?;
        let ids: Vec<String> = model
            .topology
            .regions()
            .iter()
            .map(|r| r.id.clone())
            .collect();
        if !ids.iter().any(|r| r == region) {
            return Err(format!("the scenario has no region {region}"));
        }
        if !from_s.is_finite() {
            return Err("the fault has no start time".into());
        }
        let length = match to_s {
            Some(to) if to.is_finite() && to - from_s >= edit::MIN_LENGTH_S => to - from_s,
            Some(_) => return Err("the dragged window is empty".into()),
            None => edit::parse_length(&self.length)?,
        };
        edit::region_fault(self.fault_kind, region, &ids, from_s, length)
            .map(Change::Add)
            .ok_or_else(|| {
                format!("{region} is the only region: there is nothing to cut it off from")
            })
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
                if !s.on_scenario(a) {
                    return self;
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
            Action::SetFaultKind(k) => s.fault_kind = k,
            Action::SetLength(text) => s.length = text,
            Action::SetDragRegion(r) => s.drag_region = Some(r),
            Action::AddRegionFault {
                region,
                from_s,
                to_s,
            } => {
                let change = s.region_change(&region, from_s, to_s);
                s.edit(change);
            }
            Action::SwitchToggle(toggle, t) => {
                let change = edit::schedule(&s.scenario.text)
                    .map(|faults| edit::switch_toggle(&faults, toggle, t));
                s.edit(change);
            }
            Action::RemoveFault(i) => s.edit(Ok(Change::Remove(i))),
            Action::Undo => {
                if !s.can_undo() {
                    return self;
                }
                let Some(u) = s.undo.pop() else {
                    return self;
                };
                s.on_scenario(ScenarioAction::EditText(u.before));
                if s.scenario.edited != u.before_edited {
                    let mut sc = (*s.scenario).clone();
                    sc.edited = u.before_edited;
                    s.scenario = Rc::new(sc);
                }
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
        s.reduce(Action::Scenario(ScenarioAction::Run(RunEvent::Started {
            run: 1,
        })))
        .reduce(Action::Scenario(ScenarioAction::Run(RunEvent::Finished {
            run: 1,
            output,
        })))
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
        let s = s.reduce(Action::Policy(
            1,
            ScenarioAction::Run(RunEvent::Started { run: 4 }),
        ));
        let same = s.clone().reduce(Action::Policy(
            1,
            ScenarioAction::Run(RunEvent::Progress { run: 3, done: 0.5 }),
        ));
        assert!(Rc::ptr_eq(&s, &same));
        let s = s.reduce(Action::Policy(
            9,
            ScenarioAction::Run(RunEvent::Started { run: 1 }),
        ));
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

    #[test]
    fn a_region_clicked_at_a_time_is_added_checked_and_undone() {
        let s = Rc::new(DrillState::new(&short("sg-down-promote")));
        let (text, generation) = (s.scenario.text.clone(), s.scenario.generation);
        assert!(!s.can_undo());
        let s = s.reduce(Action::AddRegionFault {
            region: "US".into(),
            from_s: 25.0,
            to_s: None,
        });
        assert_eq!(s.edit_error, None);
        let model = s.scenario.requested.as_ref().unwrap();
        assert_eq!(model.faults[1].label, "region_down US at 25 s for 30 s");
        assert!(s.scenario.generation > generation);
        assert_eq!(s.policies.as_ref().unwrap()[1].model.faults.len(), 2);
        // The edited document goes into the address.
        let doc = s.settings().unwrap().scenario.document.unwrap();
        assert!(doc.starts_with(&text));
        assert!(s.can_undo());
        // A bad length is named, and nothing changes.
        let bad =
            s.clone()
                .reduce(Action::SetLength("soon".into()))
                .reduce(Action::AddRegionFault {
                    region: "SG".into(),
                    from_s: 5.0,
                    to_s: None,
                });
        assert_eq!(bad.scenario.text, s.scenario.text);
        assert!(
            bad.edit_error
                .as_ref()
                .unwrap()
                .contains("fault length 'soon'")
        );
        // A fault past the run's end (50 s here) is refused by core's validator.
        let late = s.clone().reduce(Action::AddRegionFault {
            region: "SG".into(),
            from_s: 55.0,
            to_s: None,
        });
        assert_eq!(late.scenario.text, s.scenario.text);
        assert!(
            late.edit_error.as_ref().unwrap().contains("faults[2].at_s"),
            "{:?}",
            late.edit_error
        );
        let unknown = s.clone().reduce(Action::AddRegionFault {
            region: "MARS".into(),
            from_s: 5.0,
            to_s: None,
        });
        assert!(
            unknown
                .edit_error
                .as_ref()
                .unwrap()
                .contains("no region MARS")
        );
        // Undo gives the preset's own document back, out of the address.
        let back = s.reduce(Action::Undo);
        assert_eq!(back.scenario.text, text);
        assert!(!back.scenario.edited);
        assert_eq!(back.settings().unwrap().scenario.document, None);
        assert!(!back.can_undo());
        assert!(Rc::ptr_eq(&back.clone().reduce(Action::Undo), &back));
    }

    #[test]
    fn dragged_windows_toggles_and_removals_edit_the_schedule() {
        let s = Rc::new(DrillState::new(&short("sg-down-reject")));
        assert_eq!(s.drag_region().as_deref(), Some("SG"));
        let s = s
            .reduce(Action::SetDragRegion("US".into()))
            .reduce(Action::SetFaultKind(RegionFault::CutOff));
        assert_eq!(s.drag_region().as_deref(), Some("US"));
        let s = s.reduce(Action::AddRegionFault {
            region: "US".into(),
            from_s: 5.0,
            to_s: Some(12.0),
        });
        let labels = |s: &DrillState| -> Vec<String> {
            s.scenario
                .requested
                .as_ref()
                .unwrap()
                .faults
                .iter()
                .map(|f| f.label.clone())
                .collect()
        };
        assert_eq!(labels(&s)[1], "partition US <-> SG at 5 s for 7 s");
        let empty = s.clone().reduce(Action::AddRegionFault {
            region: "US".into(),
            from_s: 5.0,
            to_s: Some(5.0),
        });
        assert!(empty.edit_error.as_ref().unwrap().contains("empty"));
        let s = s.reduce(Action::SwitchToggle(Toggle::WriteReadonlyMode, 30.0));
        assert_eq!(labels(&s)[2], "toggle write_readonly_mode from 30 s");
        let s = s.reduce(Action::SwitchToggle(Toggle::WriteReadonlyMode, 40.0));
        assert_eq!(labels(&s)[2], "toggle write_readonly_mode at 30 s for 10 s");
        let s = s.reduce(Action::RemoveFault(0));
        assert_eq!(labels(&s).len(), 2);
        assert!(
            s.reduce(Action::RemoveFault(5))
                .edit_error
                .as_ref()
                .unwrap()
                .contains("no fault 6")
        );
    }

    #[test]
    fn a_hand_edit_after_the_page_edit_is_not_undone() {
        let s = Rc::new(DrillState::new(&short("sg-down-promote")));
        let s = s.reduce(Action::SwitchToggle(Toggle::ForceLeaderRead, 10.0));
        assert!(s.can_undo());
        let typed = format!("{}\n# a note\n", s.scenario.text);
        let s = s.reduce(Action::Scenario(ScenarioAction::EditText(typed.clone())));
        assert!(!s.can_undo());
        let same = s.clone().reduce(Action::Undo);
        assert!(Rc::ptr_eq(&same, &s));
        assert_eq!(same.scenario.text, typed);
    }
}
