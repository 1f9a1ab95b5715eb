//! The Scenario view's model: the preset, the document being edited, the seed and duration
//! controls, the run in progress and the last good results.
//!
//! The reducer runs no simulation. Every change compiles the document with the controls
//! ([`super::document::compile`]); a valid one becomes [`ScenarioState::requested`] with a new
//! [`ScenarioState::generation`], which the view turns into a run through
//! [`crate::hooks::use_run()`]. A broken document or control never clears the results on screen.

use std::rc::Rc;

use meridian_core::scenario::{PRESETS, Scenario};
use meridian_core::sim::Model;
use yew::Reducible;

use super::document::{Problems, compile, parse};
use crate::hooks::{RunEvent, RunStatus};
use crate::run::engine::EngineOutput;

/// The preset shown when the address names none.
pub fn default_preset() -> &'static str {
    PRESETS.first().map_or("", |p| p.name)
}

/// The view's settings kept in the page address.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A shipped preset's name.
    pub preset: String,
    /// Seed over the document's, if given.
    pub seed: Option<u64>,
    /// Simulated seconds over the document's, if given.
    pub duration_s: Option<f64>,
    /// The document, when it is not the preset's own (edited, or uploaded).
    pub document: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            preset: default_preset().to_string(),
            seed: None,
            duration_s: None,
            document: None,
        }
    }
}

/// A finished run and the model it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The model (topology, clients, SLOs) the figures belong to.
    pub model: Rc<Model>,
    /// The report and histograms.
    pub output: Rc<EngineOutput>,
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioState {
    /// The preset the document came from (the picker's value).
    pub preset: String,
    /// Where the document came from when it was not a preset (an uploaded file's name).
    pub source: Option<String>,
    /// Whether the document differs from the preset's or the uploaded text.
    pub edited: bool,
    /// The document as typed.
    pub text: String,
    /// Seed, as typed.
    pub seed: String,
    /// Duration in simulated seconds, as typed.
    pub duration: String,
    /// What is wrong with the document or the controls, if anything.
    pub problems: Problems,
    /// The last valid model; a new one bumps [`Self::generation`].
    pub requested: Option<Rc<Model>>,
    /// Counts valid changes; the view starts a run whenever it moves.
    pub generation: u64,
    /// The run in progress.
    pub status: RunStatus,
    /// The model of the run in progress.
    running: Option<Rc<Model>>,
    /// The last finished run.
    pub results: Option<Shown>,
    /// A message about the last upload or new seed that failed.
    pub notice: Option<String>,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A preset was picked: its document, seed and duration replace the editor's.
    PickPreset(String),
    /// The document was edited.
    EditText(String),
    /// The seed control changed.
    SetSeed(String),
    /// The duration control changed.
    SetDuration(String),
    /// A file was read: its text replaces the document, and its seed and duration the controls'.
    Upload {
        /// The file's name.
        name: String,
        /// Its text.
        text: String,
    },
    /// Something to tell the user (a file could not be read, no randomness available).
    Notice(String),
    /// What the run of [`ScenarioState::requested`] reported.
    Run(RunEvent<EngineOutput>),
}

/// The seed and duration written in `text`, as the controls show them (`None` when the text does
/// not parse).
fn document_controls(text: &str) -> Option<(String, String)> {
    let s: Scenario = parse(text).ok()?;
    Some((s.seed.to_string(), s.duration_s.to_string()))
}

/// The preset's document, or an empty one when `name` is not a preset (never the case for
/// names read from the address, which are checked).
fn preset_text(name: &str) -> String {
    PRESETS
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.toml.to_string())
        .unwrap_or_default()
}

impl ScenarioState {
    /// The view as the page opens with `settings`.
    pub fn new(settings: &Settings) -> Self {
        let text = settings
            .document
            .clone()
            .unwrap_or_else(|| preset_text(&settings.preset));
        let (doc_seed, doc_duration) = document_controls(&text).unwrap_or_default();
        let mut s = ScenarioState {
            preset: settings.preset.clone(),
            source: None,
            edited: settings.document.is_some(),
            text,
            seed: settings.seed.map_or(doc_seed, |v| v.to_string()),
            duration: settings.duration_s.map_or(doc_duration, |v| v.to_string()),
            problems: Problems::default(),
            requested: None,
            generation: 0,
            status: RunStatus::Idle,
            running: None,
            results: None,
            notice: None,
        };
        s.recompile();
        s
    }

    /// The settings to write into the address, when the controls are valid.
    pub fn settings(&self) -> Option<Settings> {
        if self.problems.seed.is_some() || self.problems.duration.is_some() {
            return None;
        }
        Some(Settings {
            preset: self.preset.clone(),
            seed: self.seed.trim().parse().ok(),
            duration_s: self.duration.trim().parse().ok(),
            document: self.own_document().map(str::to_string),
        })
    }

    /// The document when it is not the preset's own: edited, or uploaded.
    pub fn own_document(&self) -> Option<&str> {
        (self.edited || self.source.is_some()).then_some(self.text.as_str())
    }

    /// Compiles the document with the controls; a valid result is requested.
    fn recompile(&mut self) {
        match compile(&self.text, &self.seed, &self.duration) {
            Ok(model) => {
                self.problems = Problems::default();
                self.requested = Some(Rc::new(model));
                self.generation += 1;
            }
            Err(p) => self.problems = p,
        }
    }

    fn load(&mut self, text: String) {
        if let Some((seed, duration)) = document_controls(&text) {
            self.seed = seed;
            self.duration = duration;
        }
        self.text = text;
        self.edited = false;
        self.notice = None;
    }
}

impl Reducible for ScenarioState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::PickPreset(name) => {
                if !PRESETS.iter().any(|p| p.name == name) {
                    return self;
                }
                s.load(preset_text(&name));
                s.preset = name;
                s.source = None;
                s.recompile();
            }
            Action::EditText(text) => {
                if text == s.text {
                    return self;
                }
                s.text = text;
                s.edited = true;
                s.recompile();
            }
            Action::SetSeed(seed) => {
                s.seed = seed;
                s.notice = None;
                s.recompile();
            }
            Action::SetDuration(duration) => {
                s.duration = duration;
                s.recompile();
            }
            Action::Upload { name, text } => {
                s.load(text);
                s.source = Some(name);
                s.recompile();
            }
            Action::Notice(message) => s.notice = Some(message),
            Action::Run(RunEvent::Started { run }) => {
                s.status = RunStatus::Running { run, done: 0.0 };
                s.running = s.requested.clone();
            }
            Action::Run(RunEvent::Progress { run, done }) => match s.status {
                RunStatus::Running { run: current, .. } if current == run => {
                    s.status = RunStatus::Running { run, done };
                }
                _ => return self,
            },
            Action::Run(RunEvent::Finished { run, output }) => {
                match (&s.status, s.running.take()) {
                    (RunStatus::Running { run: current, .. }, Some(model)) if *current == run => {
                        s.results = Some(Shown { model, output });
                        s.status = RunStatus::Idle;
                    }
                    _ => return self,
                }
            }
            Action::Run(RunEvent::Failed { run, message }) => match s.status {
                RunStatus::Running { run: current, .. } if current == run => {
                    s.status = RunStatus::Failed { message };
                    s.running = None;
                }
                _ => return self,
            },
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::sim::{Histograms, Simulation};

    fn state(settings: Settings) -> Rc<ScenarioState> {
        Rc::new(ScenarioState::new(&settings))
    }

    fn output(model: &Model) -> Rc<EngineOutput> {
        let mut sim = Simulation::new(model.clone());
        sim.run_until(meridian_core::time::SimTime(1_000));
        Rc::new(EngineOutput {
            report: sim.report(),
            histograms: Histograms::default(),
        })
    }

    #[test]
    fn the_address_settings_apply_over_the_preset() {
        let s = state(Settings {
            preset: "quorum-r2w2".into(),
            seed: Some(9),
            duration_s: Some(3.5),
            document: None,
        });
        assert_eq!((s.seed.as_str(), s.duration.as_str()), ("9", "3.5"));
        let m = s.requested.as_ref().unwrap();
        assert_eq!((m.seed, m.name.as_str()), (9, "quorum-r2w2"));
        assert_eq!(s.generation, 1);
        let d = state(Settings::default());
        assert_eq!(d.seed, "1");
        assert!(d.problems.is_empty());
    }

    #[test]
    fn a_broken_document_keeps_the_last_results_and_request() {
        let s = state(Settings::default());
        let model = s.requested.clone().unwrap();
        let s = s.reduce(Action::Run(RunEvent::Started { run: 1 }));
        let s = s.reduce(Action::Run(RunEvent::Finished {
            run: 1,
            output: output(&model),
        }));
        assert!(s.results.is_some());
        let broken = s.text.replacen("[workload]", "[workload]\nbogus = 1", 1);
        let s = s.reduce(Action::EditText(broken));
        assert!(s.edited);
        assert_eq!(s.generation, 1, "no new run");
        let e = s.problems.document.clone().unwrap();
        assert_eq!(e.field.as_deref(), Some("workload.bogus"));
        assert!(s.results.is_some(), "last results stay");
        assert_eq!(s.requested, Some(model));
    }

    #[test]
    fn picking_a_preset_takes_its_seed_and_duration() {
        let s = state(Settings {
            seed: Some(5),
            ..Settings::default()
        });
        let s = s.reduce(Action::PickPreset("aws8-multi-leader".into()));
        assert_eq!(s.preset, "aws8-multi-leader");
        assert_eq!(s.seed, "1");
        assert_eq!(s.requested.as_ref().unwrap().topology.region_count(), 8);
        let same = s.clone();
        assert!(Rc::ptr_eq(
            &same,
            &same.clone().reduce(Action::PickPreset("nope".into()))
        ));
    }

    #[test]
    fn events_of_older_runs_are_ignored() {
        let s = state(Settings::default());
        let model = s.requested.clone().unwrap();
        let s = s.reduce(Action::Run(RunEvent::Started { run: 2 }));
        let s = s.reduce(Action::Run(RunEvent::Progress { run: 1, done: 0.5 }));
        assert_eq!(s.status, RunStatus::Running { run: 2, done: 0.0 });
        let s = s.reduce(Action::Run(RunEvent::Finished {
            run: 1,
            output: output(&model),
        }));
        assert!(s.results.is_none());
    }

    #[test]
    fn bad_controls_leave_the_address_alone() {
        let s = state(Settings::default()).reduce(Action::SetSeed("x".into()));
        assert!(s.settings().is_none());
        assert!(s.problems.seed.is_some());
        let s = s.reduce(Action::SetSeed("12".into()));
        assert_eq!(s.settings().unwrap().seed, Some(12));
    }

    #[test]
    fn an_upload_replaces_the_document() {
        let text = PRESETS[1].toml.replacen("seed = 1", "seed = 33", 1);
        let s = state(Settings::default()).reduce(Action::Upload {
            name: "mine.toml".into(),
            text,
        });
        assert_eq!(s.source.as_deref(), Some("mine.toml"));
        assert_eq!(s.seed, "33");
        assert!(s.problems.is_empty());
    }
}
