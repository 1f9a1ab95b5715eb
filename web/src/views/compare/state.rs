//! The Compare view's model: two options, A and B, each a Scenario view's state (a preset or an
//! edited document, its run and its last results), run with one shared seed and duration so the
//! difference between the figures is the difference between the designs.
//!
//! A side keeps its own reducer ([`ScenarioState`]); this one forwards actions to a side and puts
//! the shared seed and duration back whenever a side would take its document's own.

use std::rc::Rc;

use yew::Reducible;

use crate::views::scenario::state::{Action as SideAction, ScenarioState, Settings};

/// Kata 86's option A: the pair the view opens with.
pub const DEFAULT_A: &str = "sg-us-wallet";
/// Kata 86's option B.
pub const DEFAULT_B: &str = "sg-us-multi-leader";

/// One side's settings in the page address.
#[derive(Debug, Clone, PartialEq)]
pub struct SideSettings {
    /// A shipped preset's name.
    pub preset: String,
    /// The document, when it is not the preset's own.
    pub document: Option<String>,
}

/// The view's settings kept in the page address.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareSettings {
    /// Option A.
    pub a: SideSettings,
    /// Option B.
    pub b: SideSettings,
    /// Seed for both, over the documents'; A's document's seed when not given.
    pub seed: Option<u64>,
    /// Simulated seconds for both; A's document's when not given.
    pub duration_s: Option<f64>,
}

impl Default for CompareSettings {
    fn default() -> Self {
        let side = |preset: &str| SideSettings {
            preset: preset.to_string(),
            document: None,
        };
        CompareSettings {
            a: side(DEFAULT_A),
            b: side(DEFAULT_B),
            seed: None,
            duration_s: None,
        }
    }
}

/// Which option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Option A.
    A,
    /// Option B.
    B,
}

impl Side {
    /// Both, A first.
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    /// The option's letter.
    pub const fn letter(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Something happened to one side (a preset picked, the document edited, its run).
    Side(Side, SideAction),
    /// The shared seed control changed.
    SetSeed(String),
    /// The shared duration control changed.
    SetDuration(String),
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareState {
    /// Option A.
    pub a: Rc<ScenarioState>,
    /// Option B.
    pub b: Rc<ScenarioState>,
    /// The shared seed, as typed.
    pub seed: String,
    /// The shared duration, as typed.
    pub duration: String,
}

impl CompareState {
    /// The view as the page opens with `settings`.
    pub fn new(settings: &CompareSettings) -> Self {
        let side = |s: &SideSettings, seed, duration_s| {
            Rc::new(ScenarioState::new(&Settings {
                preset: s.preset.clone(),
                seed,
                duration_s,
                document: s.document.clone(),
            }))
        };
        let a = side(&settings.a, settings.seed, settings.duration_s);
        let seed = a.seed.clone();
        let duration = a.duration.clone();
        let b = side(&settings.b, None, None)
            .reduce(SideAction::SetSeed(seed.clone()))
            .reduce(SideAction::SetDuration(duration.clone()));
        CompareState {
            a,
            b,
            seed,
            duration,
        }
    }

    /// One side.
    pub fn side(&self, side: Side) -> &Rc<ScenarioState> {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }

    /// The settings to write into the address, when the shared controls are valid.
    pub fn settings(&self) -> Option<CompareSettings> {
        let a = self.a.settings()?;
        let b = self.b.settings()?;
        Some(CompareSettings {
            a: SideSettings {
                preset: a.preset,
                document: a.document,
            },
            b: SideSettings {
                preset: b.preset,
                document: b.document,
            },
            seed: a.seed,
            duration_s: a.duration_s,
        })
    }

    /// `side` after `action`, with the shared seed and duration kept.
    fn updated(&self, side: &Rc<ScenarioState>, action: SideAction) -> Rc<ScenarioState> {
        let mut s = side.clone().reduce(action);
        if s.seed != self.seed {
            s = s.reduce(SideAction::SetSeed(self.seed.clone()));
        }
        if s.duration != self.duration {
            s = s.reduce(SideAction::SetDuration(self.duration.clone()));
        }
        s
    }
}

impl Reducible for CompareState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Side(side, action) => {
                let next = s.updated(s.side(side), action);
                if Rc::ptr_eq(&next, s.side(side)) {
                    return self;
                }
                match side {
                    Side::A => s.a = next,
                    Side::B => s.b = next,
                }
            }
            Action::SetSeed(seed) => {
                s.seed = seed;
                s.a = s.a.clone().reduce(SideAction::SetSeed(s.seed.clone()));
                s.b = s.b.clone().reduce(SideAction::SetSeed(s.seed.clone()));
            }
            Action::SetDuration(duration) => {
                s.duration = duration;
                s.a =
                    s.a.clone()
                        .reduce(SideAction::SetDuration(s.duration.clone()));
                s.b =
                    s.b.clone()
                        .reduce(SideAction::SetDuration(s.duration.clone()));
            }
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(settings: CompareSettings) -> Rc<CompareState> {
        Rc::new(CompareState::new(&settings))
    }

    #[test]
    fn opens_on_kata86_options_a_and_b_with_one_seed() {
        let s = state(CompareSettings::default());
        assert_eq!(s.a.preset, DEFAULT_A);
        assert_eq!(s.b.preset, DEFAULT_B);
        let (a, b) = (
            s.a.requested.clone().unwrap(),
            s.b.requested.clone().unwrap(),
        );
        assert_eq!((a.seed, a.duration), (b.seed, b.duration));
        assert_eq!(
            s.settings().unwrap(),
            CompareSettings {
                seed: Some(a.seed),
                duration_s: Some(60.0),
                ..CompareSettings::default()
            }
        );
    }

    #[test]
    fn a_side_keeps_the_shared_seed_when_its_preset_changes() {
        let s = state(CompareSettings {
            seed: Some(77),
            duration_s: Some(4.0),
            ..CompareSettings::default()
        });
        let s = s.reduce(Action::Side(
            Side::B,
            SideAction::PickPreset("aws8-single-leader".into()),
        ));
        let b = s.b.requested.clone().unwrap();
        assert_eq!((b.name.as_str(), b.seed), ("aws8-single-leader", 77));
        assert_eq!(b.duration, s.a.requested.as_ref().unwrap().duration);
        assert_eq!(s.b.duration, "4");
        assert_eq!(s.a.generation, 1, "A does not run again");
    }

    #[test]
    fn the_shared_controls_apply_to_both_and_bad_ones_leave_the_address() {
        let s = state(CompareSettings::default()).reduce(Action::SetSeed("12".into()));
        assert_eq!(s.a.requested.as_ref().unwrap().seed, 12);
        assert_eq!(s.b.requested.as_ref().unwrap().seed, 12);
        let s = s.reduce(Action::SetDuration("0".into()));
        assert!(s.a.problems.duration.is_some() && s.b.problems.duration.is_some());
        assert!(s.settings().is_none());
    }

    #[test]
    fn an_edited_side_is_kept_in_the_settings() {
        let s = state(CompareSettings::default());
        let text =
            s.a.text
                .replacen("duration_s = 60.0", "duration_s = 61.0", 1);
        let s = s.reduce(Action::Side(Side::A, SideAction::EditText(text.clone())));
        let settings = s.settings().unwrap();
        assert_eq!(settings.a.document.as_deref(), Some(text.as_str()));
        assert_eq!(settings.b.document, None);
        let back = CompareState::new(&settings);
        assert_eq!(back.a.text, text);
        assert_eq!(back.b.text, s.b.text);
    }
}
