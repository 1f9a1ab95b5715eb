//! The Conflicts view's model: which walkthrough, which two of its strategies side by side, and
//! which step, with the stepping rules (steps run from 1 to the larger of the two strategies'
//! merge counts; moves past either end stop there) and the keys that step.
//!
//! A step is one merge, the event in which a replica receives a write and its strategy decides
//! what to keep: core's [`MergeTrace`](meridian_core::conflict::MergeTrace), with its inputs,
//! decisions, result (what is kept) and discarded values.

use std::rc::Rc;

use meridian_core::walkthrough::{EXAMPLES, StrategyOutcome, Walkthrough};

use super::recorded::walkthrough;
use yew::Reducible;

/// The view's settings kept in the page address.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// A walkthrough's name (one of core's [`EXAMPLES`]).
    pub example: String,
    /// The step shown, from 1.
    pub step: usize,
    /// The strategy key of the left column; `None` for the example's first.
    pub a: Option<String>,
    /// The strategy key of the right column; `None` for the example's second.
    pub b: Option<String>,
}

/// The example shown when the address names none.
pub fn default_example() -> &'static str {
    EXAMPLES.first().map_or("", |e| e.name)
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            example: default_example().to_string(),
            step: 1,
            a: None,
            b: None,
        }
    }
}

/// The view's state: the walkthrough run by core and the choices over it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictsState {
    /// The walkthrough shown.
    pub walk: Rc<Walkthrough>,
    /// Index in the walkthrough's outcomes of the left column.
    pub a: usize,
    /// Index of the right column.
    pub b: usize,
    /// The step shown, from 1 to [`ConflictsState::steps`].
    pub step: usize,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// One step back.
    Back,
    /// One step forward.
    Forward,
    /// To the first step.
    First,
    /// To the last step.
    Last,
    /// Another walkthrough, by name: its first two strategies, from step 1.
    Example(String),
    /// Another strategy for the left column, by key.
    Left(String),
    /// Another strategy for the right column, by key.
    Right(String),
}

impl Action {
    /// The step a key press asks for: ArrowLeft and ArrowRight step back and forward, Home and
    /// End go to the first and last step. `None` for any other key.
    pub fn for_key(key: &str) -> Option<Action> {
        match key {
            "ArrowLeft" => Some(Action::Back),
            "ArrowRight" => Some(Action::Forward),
            "Home" => Some(Action::First),
            "End" => Some(Action::Last),
            _ => None,
        }
    }
}

/// The index of the outcome with `key` in `walk`.
pub fn outcome_index(walk: &Walkthrough, key: &str) -> Option<usize> {
    walk.outcomes.iter().position(|o| o.key == key)
}

/// The keys of `walk`'s strategies, in order.
pub fn keys(walk: &Walkthrough) -> Vec<&str> {
    walk.outcomes.iter().map(|o| o.key.as_str()).collect()
}

/// The example's strategies shown by default: its first and its second (or the first twice
/// when it has one).
fn default_pair(walk: &Walkthrough) -> (usize, usize) {
    (0, 1.min(walk.outcomes.len().saturating_sub(1)))
}

/// Steps of two strategies side by side: the larger of their merge counts, at least 1.
pub fn step_count(a: &StrategyOutcome, b: &StrategyOutcome) -> usize {
    a.traces.len().max(b.traces.len()).max(1)
}

/// `step` held to `1..=steps`.
pub fn clamp_step(step: usize, steps: usize) -> usize {
    step.clamp(1, steps.max(1))
}

/// The walkthrough called `name`, or the default one when there is none by that name (never the
/// case for checked settings).
fn load(name: &str) -> Rc<Walkthrough> {
    Rc::new(
        walkthrough(name)
            .or_else(|| walkthrough(default_example()))
            .unwrap_or_else(|| Walkthrough {
                name: String::new(),
                story: String::new(),
                outcomes: Vec::new(),
            }),
    )
}

impl ConflictsState {
    /// The view for `settings`; unknown names fall back to the defaults and the step is held to
    /// the steps there are.
    pub fn new(settings: &Settings) -> Self {
        let walk = load(&settings.example);
        let (da, db) = default_pair(&walk);
        let pick = |key: &Option<String>, fallback| {
            key.as_deref()
                .and_then(|k| outcome_index(&walk, k))
                .unwrap_or(fallback)
        };
        let (a, b) = (pick(&settings.a, da), pick(&settings.b, db));
        let mut s = ConflictsState {
            walk,
            a,
            b,
            step: settings.step,
        };
        s.step = clamp_step(s.step, s.steps());
        s
    }

    /// The left column's strategy.
    pub fn left(&self) -> Option<&StrategyOutcome> {
        self.walk.outcomes.get(self.a)
    }

    /// The right column's strategy.
    pub fn right(&self) -> Option<&StrategyOutcome> {
        self.walk.outcomes.get(self.b)
    }

    /// The number of steps.
    pub fn steps(&self) -> usize {
        match (self.left(), self.right()) {
            (Some(a), Some(b)) => step_count(a, b),
            _ => 1,
        }
    }

    /// The settings to keep in the address.
    pub fn settings(&self) -> Settings {
        Settings {
            example: self.walk.name.clone(),
            step: self.step,
            a: self.left().map(|o| o.key.clone()),
            b: self.right().map(|o| o.key.clone()),
        }
    }
}

impl Reducible for ConflictsState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Back => s.step = s.step.saturating_sub(1),
            Action::Forward => s.step += 1,
            Action::First => s.step = 1,
            Action::Last => s.step = s.steps(),
            Action::Example(name) => {
                if walkthrough(&name).is_none() {
                    return self;
                }
                s.walk = load(&name);
                (s.a, s.b) = default_pair(&s.walk);
                s.step = 1;
            }
            Action::Left(key) => match outcome_index(&s.walk, &key) {
                Some(i) => s.a = i,
                None => return self,
            },
            Action::Right(key) => match outcome_index(&s.walk, &key) {
                Some(i) => s.b = i,
                None => return self,
            },
        }
        s.step = clamp_step(s.step, s.steps());
        if s == *self {
            return self;
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(example: &str, a: Option<&str>, b: Option<&str>, step: usize) -> Rc<ConflictsState> {
        Rc::new(ConflictsState::new(&Settings {
            example: example.into(),
            step,
            a: a.map(Into::into),
            b: b.map(Into::into),
        }))
    }

    #[test]
    fn steps_stop_at_both_ends() {
        let s = state("wallet", None, None, 1);
        let n = s.steps();
        assert_eq!(n, 4, "four merges for the LWW and counter wallets");
        let back = s.clone().reduce(Action::Back);
        assert!(Rc::ptr_eq(&s, &back), "no step before the first");
        let s = s.reduce(Action::Forward);
        assert_eq!(s.step, 2);
        let s = s.reduce(Action::Last);
        assert_eq!(s.step, n);
        let s = s.reduce(Action::Forward);
        assert_eq!(s.step, n);
        let s = s.reduce(Action::First);
        assert_eq!(s.step, 1);
        assert_eq!(clamp_step(0, 3), 1);
        assert_eq!(clamp_step(9, 3), 3);
        assert_eq!(clamp_step(5, 0), 1);
    }

    #[test]
    fn keys_map_to_steps() {
        assert_eq!(Action::for_key("ArrowLeft"), Some(Action::Back));
        assert_eq!(Action::for_key("ArrowRight"), Some(Action::Forward));
        assert_eq!(Action::for_key("Home"), Some(Action::First));
        assert_eq!(Action::for_key("End"), Some(Action::Last));
        assert_eq!(Action::for_key("Enter"), None);
    }

    #[test]
    fn the_default_pair_is_the_first_two_strategies() {
        let s = state("wallet", None, None, 1);
        assert_eq!((s.a, s.b), (0, 1));
        let settings = s.settings();
        assert_eq!(settings.a.as_deref(), Some("lww"));
        assert_eq!(settings.b.as_deref(), Some("pn-counter"));
        assert_eq!(ConflictsState::new(&settings), *s);
    }

    #[test]
    fn fewer_merges_in_one_column_keep_the_larger_count_and_a_change_reclamps() {
        let s = state("wallet", Some("escrow"), Some("lww"), 4);
        assert_eq!((s.steps(), s.step), (4, 4));
        let s = s.reduce(Action::Right("escrow".into()));
        assert_eq!((s.steps(), s.step), (1, 1), "escrow is one merge");
        let same = s.clone().reduce(Action::Left("nope".into()));
        assert!(Rc::ptr_eq(&s, &same));
        let s = s.reduce(Action::Example("cart".into()));
        assert_eq!((s.walk.name.as_str(), s.a, s.b, s.step), ("cart", 0, 1, 1));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::Example("x".into()))
        ));
    }

    #[test]
    fn unknown_names_fall_back_and_steps_are_held() {
        let s = state("nope", Some("x"), Some("y"), 99);
        assert_eq!(s.walk.name, default_example());
        assert_eq!((s.a, s.b), (0, 1));
        assert_eq!(s.step, s.steps());
    }
}
