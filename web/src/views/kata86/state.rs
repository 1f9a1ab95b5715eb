//! The Kata 86 view's model: the form's fields, their validation, the run in progress and the
//! last good results.
//!
//! The reducer runs no simulation. A valid form sets [`KataState::requested`]; the view starts a
//! run of those parameters through [`crate::hooks::use_run()`] and feeds the run's events back as
//! [`Action`]s. Invalid input never clears the results on screen: the reducer records a message
//! for the field and keeps showing the figures of the last valid parameters.

use std::rc::Rc;

use meridian_core::kata86::{
    Kata86Params, Kata86Report, MAX_SEED, ReadStrategy, Region, StalenessAccounting,
    StrategyComparison,
};
use yew::Reducible;

use crate::format::group_digits;
use crate::hooks::{RunEvent, RunId, RunStatus};

/// Most iterations the page runs per strategy (it runs all three on every change).
pub const WEB_MAX_ITERATIONS: u64 = 1_000_000;

/// The form as the user sees it; numbers stay text until they validate.
#[derive(Debug, Clone, PartialEq)]
pub struct Controls {
    /// Region serving the client's local reads.
    pub client: Region,
    /// Region accepting writes.
    pub leader: Region,
    /// Read strategy shown in the histograms.
    pub strategy: ReadStrategy,
    /// How staleness is counted.
    pub accounting: StalenessAccounting,
    /// Iterations, as typed.
    pub iterations: String,
    /// Seed, as typed.
    pub seed: String,
}

impl Default for Controls {
    /// A US-served client with the leader in SG: the case where the strategies differ.
    fn default() -> Self {
        Controls {
            client: Region::Us,
            leader: Region::Sg,
            strategy: ReadStrategy::LocalThenLeaderIfStale,
            accounting: StalenessAccounting::ReplicaLag,
            iterations: "5000".into(),
            seed: "1".into(),
        }
    }
}

/// Messages shown next to the fields they concern.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    /// Problem with the iterations field.
    pub iterations: Option<String>,
    /// Problem with the seed field.
    pub seed: Option<String>,
}

impl FieldErrors {
    /// Whether the form's fields are valid.
    pub fn form_is_valid(&self) -> bool {
        self.iterations.is_none() && self.seed.is_none()
    }
}

/// Figures of one valid set of parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The selected strategy's full report.
    pub report: Kata86Report,
    /// All three strategies against the exercise's SLOs.
    pub comparison: Vec<StrategyComparison>,
}

impl Results {
    /// The runs [`Results::from_reports`] expects: `params` once per read strategy, in the order
    /// of [`ReadStrategy::ALL`] (same seed, so the same lag draws).
    pub fn runs_for(params: &Kata86Params) -> Vec<Kata86Params> {
        ReadStrategy::ALL
            .into_iter()
            .map(|strategy| Kata86Params {
                strategy,
                ..*params
            })
            .collect()
    }

    /// Builds the results of `params` from the reports of [`Results::runs_for`]`(params)`, or
    /// says why the reports do not fit.
    pub fn from_reports(params: &Kata86Params, reports: &[Kata86Report]) -> Result<Self, String> {
        let expected = Self::runs_for(params);
        let fits = reports.len() == expected.len()
            && reports.iter().zip(&expected).all(|(r, p)| r.params == *p);
        if !fits {
            return Err("The simulation returned results for other settings.".into());
        }
        let comparison = reports
            .iter()
            .map(|r| StrategyComparison::new(r.params.strategy, r.summary))
            .collect();
        let report = reports
            .iter()
            .find(|r| r.params.strategy == params.strategy)
            .cloned()
            .ok_or("The simulation returned no report for the chosen strategy.")?;
        Ok(Results { report, comparison })
    }
}

/// What the user changed, or what the run of the requested parameters reported.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Choose the client's local region.
    SetClient(Region),
    /// Choose the leader.
    SetLeader(Region),
    /// Choose the read strategy.
    SetStrategy(ReadStrategy),
    /// Choose the staleness accounting rule.
    SetAccounting(StalenessAccounting),
    /// Typed into the iterations field.
    SetIterations(String),
    /// Typed into the seed field.
    SetSeed(String),
    /// What the run of [`KataState::requested`] reported: when finished, one report per
    /// strategy (see [`Results::runs_for`]).
    Run(RunEvent<Vec<Kata86Report>>),
}

/// The whole view model.
#[derive(Debug, Clone, PartialEq)]
pub struct KataState {
    /// The form.
    pub controls: Controls,
    /// Current validation messages.
    pub errors: FieldErrors,
    /// The parameters of the last valid form: what the results on screen are, or are about to
    /// be, the figures of. `None` until the form has been valid once.
    pub requested: Option<Kata86Params>,
    /// The run of `requested`.
    pub status: RunStatus,
    /// Results of the last run that finished, if any did.
    pub results: Option<Rc<Results>>,
}

impl KataState {
    /// Builds the model from initial controls (for example from the URL). A valid form sets
    /// [`Self::requested`], for the view to run.
    pub fn new(controls: Controls) -> Self {
        let mut state = KataState {
            controls,
            errors: FieldErrors::default(),
            requested: None,
            status: RunStatus::Idle,
            results: None,
        };
        state.validate();
        state
    }

    /// The parameters of the results on screen.
    pub fn shown_params(&self) -> Option<&Kata86Params> {
        self.results.as_ref().map(|r| &r.report.params)
    }

    /// Whether the results on screen are not those of the form: the form is invalid, or a run of
    /// new parameters is under way.
    pub fn results_are_behind(&self) -> bool {
        self.results.is_some() && self.shown_params() != self.requested.as_ref()
    }

    fn validate(&mut self) {
        let iterations = parse_iterations(&self.controls.iterations);
        let seed = parse_seed(&self.controls.seed);
        self.errors.iterations = iterations.as_ref().err().cloned();
        self.errors.seed = seed.as_ref().err().cloned();
        let (Ok(iterations), Ok(seed)) = (iterations, seed) else {
            return;
        };
        self.requested = Some(Kata86Params {
            iterations,
            seed,
            client: self.controls.client,
            leader: self.controls.leader,
            strategy: self.controls.strategy,
            accounting: self.controls.accounting,
            ..Kata86Params::default()
        });
    }

    fn is_running(&self, run: RunId) -> bool {
        matches!(self.status, RunStatus::Running { run: r, .. } if r == run)
    }
}

impl Reducible for KataState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let c = &mut next.controls;
        match action {
            Action::SetClient(r) => c.client = r,
            Action::SetLeader(r) => c.leader = r,
            Action::SetStrategy(s) => c.strategy = s,
            Action::SetAccounting(a) => c.accounting = a,
            Action::SetIterations(text) => c.iterations = text,
            Action::SetSeed(text) => c.seed = text,
            Action::Run(RunEvent::Started { run }) => {
                next.status = RunStatus::Running { run, done: 0.0 };
                return Rc::new(next);
            }
            // Events of a run that is no longer the current one are stale and ignored.
            Action::Run(RunEvent::Progress { run, done }) => {
                if !next.is_running(run) {
                    return self;
                }
                next.status = RunStatus::Running { run, done };
                return Rc::new(next);
            }
            Action::Run(RunEvent::Finished {
                run,
                output: reports,
            }) => {
                let Some(params) = next.requested.filter(|_| next.is_running(run)) else {
                    return self;
                };
                next.status = match Results::from_reports(&params, &reports) {
                    Ok(results) => {
                        next.results = Some(Rc::new(results));
                        RunStatus::Idle
                    }
                    Err(message) => RunStatus::Failed { message },
                };
                return Rc::new(next);
            }
            Action::Run(RunEvent::Failed { run, message }) => {
                if !next.is_running(run) {
                    return self;
                }
                next.status = RunStatus::Failed { message };
                return Rc::new(next);
            }
        }
        next.validate();
        Rc::new(next)
    }
}

/// Parses the iterations field: a whole number from 1 to [`WEB_MAX_ITERATIONS`].
pub fn parse_iterations(text: &str) -> Result<u64, String> {
    let allowed = format!(
        "a whole number from 1 to {}",
        group_digits(WEB_MAX_ITERATIONS)
    );
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("Iterations is empty; enter {allowed}."));
    }
    match t.replace(['_', ','], "").parse::<u64>() {
        Ok(n) if (1..=WEB_MAX_ITERATIONS).contains(&n) => Ok(n),
        Ok(n) => Err(format!(
            "Iterations must be {allowed}; {} is out of range.",
            group_digits(n)
        )),
        Err(_) => Err(format!("Iterations must be {allowed}; '{t}' is not.")),
    }
}

/// Parses the seed field: a whole number from 0 to 2^53 - 1.
pub fn parse_seed(text: &str) -> Result<u64, String> {
    let allowed = format!("a whole number from 0 to {MAX_SEED}");
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("Seed is empty; enter {allowed}."));
    }
    match t.parse::<u64>() {
        Ok(s) if s <= MAX_SEED => Ok(s),
        _ => Err(format!("Seed must be {allowed}; '{t}' is not.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::RunJob;
    use crate::run::kata86::Kata86Job;

    /// Runs the requested parameters to completion as the view would, through the run actions.
    fn settle(state: Rc<KataState>, run: RunId) -> Rc<KataState> {
        let Some(params) = state.requested else {
            return state;
        };
        let mut job = Kata86Job::new(Results::runs_for(&params)).expect("valid parameters");
        let state = state.reduce(Action::Run(RunEvent::Started { run }));
        while !job.is_finished() {
            job.step();
        }
        state.reduce(Action::Run(RunEvent::Finished {
            run,
            output: Rc::new(job.output()),
        }))
    }

    fn state() -> Rc<KataState> {
        settle(Rc::new(KataState::new(Controls::default())), 1)
    }

    #[test]
    fn defaults_compute_results() {
        let s = state();
        let r = s.results.as_ref().expect("results");
        assert_eq!(r.comparison.len(), 3);
        assert_eq!(r.report.iterations_done, 5000);
        assert!(s.errors.form_is_valid());
        assert_eq!(s.status, RunStatus::Idle);
        assert!(!s.results_are_behind());
    }

    #[test]
    fn results_equal_the_direct_runs() {
        let s = state();
        let params = s.requested.expect("requested");
        let r = s.results.as_ref().expect("results");
        assert_eq!(r.report, params.run().unwrap());
        assert_eq!(
            r.comparison,
            meridian_core::kata86::compare_strategies(&params).unwrap()
        );
    }

    #[test]
    fn the_reducer_runs_nothing_itself() {
        let s = Rc::new(KataState::new(Controls::default()));
        assert!(s.requested.is_some());
        assert_eq!(s.results, None);
        let s = s.reduce(Action::SetIterations("1000000".into()));
        assert_eq!(s.results, None);
        assert_eq!(s.requested.map(|p| p.iterations), Some(1_000_000));
    }

    #[test]
    fn bad_iterations_keep_the_last_good_results() {
        let s = state();
        let before = s.results.clone();
        for bad in ["0", "-3", "abc", "1000001", "", "2.5"] {
            let next = s.clone().reduce(Action::SetIterations(bad.into()));
            assert!(next.errors.iterations.is_some(), "{bad:?} accepted");
            assert_eq!(next.results, before, "{bad:?} changed the results");
            assert_eq!(next.requested, s.requested, "{bad:?} changed the request");
        }
    }

    #[test]
    fn a_valid_change_recomputes_and_clears_the_message() {
        let s = state().reduce(Action::SetIterations("x".into()));
        let s = s.reduce(Action::SetIterations("20000".into()));
        assert!(s.errors.iterations.is_none());
        assert!(s.results_are_behind());
        let s = settle(s, 2);
        assert_eq!(s.shown_params().map(|p| p.iterations), Some(20_000));
        let s = settle(s.reduce(Action::SetClient(Region::Sg)), 3);
        assert_eq!(s.results.as_ref().unwrap().report.summary.write_p95, 40);
    }

    #[test]
    fn events_of_an_older_run_are_ignored() {
        let s = state();
        let params = s.requested.expect("requested");
        let stale_reports = Rc::new(
            Results::runs_for(&params)
                .iter()
                .map(|p| p.run().unwrap())
                .collect::<Vec<_>>(),
        );
        let s = s
            .reduce(Action::SetSeed("7".into()))
            .reduce(Action::Run(RunEvent::Started { run: 5 }));
        let before = s.clone();
        for old in [
            Action::Run(RunEvent::Progress { run: 4, done: 0.5 }),
            Action::Run(RunEvent::Finished {
                run: 4,
                output: stale_reports.clone(),
            }),
            Action::Run(RunEvent::Failed {
                run: 4,
                message: "x".into(),
            }),
        ] {
            assert_eq!(s.clone().reduce(old), before);
        }
        let s = s.reduce(Action::Run(RunEvent::Progress { run: 5, done: 0.25 }));
        assert_eq!(s.status, RunStatus::Running { run: 5, done: 0.25 });
    }

    #[test]
    fn reports_for_other_settings_fail_instead_of_showing() {
        let s = state();
        let other = Kata86Params {
            seed: 99,
            ..s.requested.unwrap()
        };
        let reports: Vec<_> = Results::runs_for(&other)
            .iter()
            .map(|p| p.run().unwrap())
            .collect();
        let s = s
            .reduce(Action::Run(RunEvent::Started { run: 9 }))
            .reduce(Action::Run(RunEvent::Finished {
                run: 9,
                output: Rc::new(reports),
            }));
        assert!(matches!(s.status, RunStatus::Failed { .. }));
        assert!(s.results.is_some(), "the last good results stay");
        let empty = s
            .reduce(Action::Run(RunEvent::Started { run: 10 }))
            .reduce(Action::Run(RunEvent::Finished {
                run: 10,
                output: Rc::new(Vec::new()),
            }));
        assert!(matches!(empty.status, RunStatus::Failed { .. }));
    }

    #[test]
    fn messages_say_what_is_allowed() {
        assert_eq!(
            parse_iterations("0").unwrap_err(),
            "Iterations must be a whole number from 1 to 1,000,000; 0 is out of range."
        );
        assert!(
            parse_seed("-1")
                .unwrap_err()
                .contains("from 0 to 9007199254740991")
        );
        assert_eq!(parse_iterations(" 1,000 "), Ok(1000));
    }
}
