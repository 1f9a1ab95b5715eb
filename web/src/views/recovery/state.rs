//! The Recovery view's model: the form as typed (preset, seed and the outage), its field
//! messages, the settings of the last valid form, the run in progress and the last finished
//! run; and, apart from it, seed 003's table: its seeds as typed, its run and its rows.
//!
//! The reducer runs no simulation. A valid form whose settings differ from the last request
//! becomes [`RecoveryState::requested`] with a new [`RecoveryState::generation`], which the view
//! turns into a run through [`crate::hooks::use_run()`]; the table likewise with
//! [`TableState::generation`]. A bad field shows its message and leaves the last results on
//! screen.

use std::rc::Rc;

use meridian_core::reliability::RecoveryReport;
use meridian_core::reliability::scenario::{Outage, OutageKind};

use super::settings::{
    DEFAULT_ERROR_RATE, DEFAULT_EXTRA_MS, NEW_OUTAGE, Settings, kind_name, parse_at,
    parse_error_rate, parse_extra_ms, parse_for, parse_seed, parse_service, preset_outage,
    service_name,
};
use crate::hooks::{RunEvent, RunId, RunStatus};
use crate::run::recovery::{TableJob, TableOutput};
use yew::Reducible;

/// Seeds per row the table starts with.
pub const DEFAULT_TABLE_SEEDS: u32 = 5;

/// The outage lengths of the table, s: seed 003's short, medium and long outages.
pub const TABLE_DURATIONS_S: [f64; 3] = [20.0, 120.0, 600.0];

/// The form as the user sees it; numbers stay text until they validate.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The preset, or the order flow.
    pub preset: String,
    /// The seed, as typed.
    pub seed: String,
    /// The failing service's name, or "none".
    pub service: String,
    /// How it fails.
    pub kind: OutageKind,
    /// Start, s, as typed.
    pub at: String,
    /// Length, s, as typed.
    pub for_s: String,
    /// Error rate (degraded), as typed.
    pub error_rate: String,
    /// Added latency, ms (slow), as typed.
    pub extra_ms: String,
}

impl Form {
    /// The form showing `s`. Without an outage the fields show the preset's (or a new one's)
    /// values, ready to be switched on by picking a service.
    pub fn of(s: &Settings) -> Self {
        let outage = s.outage();
        let shown = outage
            .or_else(|| preset_outage(&s.preset))
            .unwrap_or(NEW_OUTAGE);
        Form {
            preset: s.preset.clone(),
            seed: s.seed.to_string(),
            service: service_name(outage.map(|o| o.service)).to_string(),
            kind: shown.kind,
            at: shown.at_s.to_string(),
            for_s: shown.for_s.to_string(),
            error_rate: shown.error_rate.unwrap_or(DEFAULT_ERROR_RATE).to_string(),
            extra_ms: shown.extra_ms.unwrap_or(DEFAULT_EXTRA_MS).to_string(),
        }
    }

    /// The settings the form holds, or a message for every bad field. Only the figure the
    /// outage's kind uses is read (the error rate for degraded, the added latency for slow),
    /// and no outage field is read without an outage.
    pub fn validate(&self) -> Result<Settings, Box<FieldErrors>> {
        let seed = parse_seed(&self.seed);
        let service = parse_service(&self.service);
        let with_outage = matches!(service, Ok(Some(_)));
        let check = |r: Result<f64, String>| if with_outage { r } else { Ok(0.0) };
        let at = check(parse_at(&self.at, &self.preset));
        let for_s = check(parse_for(&self.for_s));
        let error_rate = match self.kind {
            OutageKind::Degraded => check(parse_error_rate(&self.error_rate)).map(Some),
            _ => Ok(None),
        };
        let extra_ms = match self.kind {
            OutageKind::Slow => check(parse_extra_ms(&self.extra_ms)).map(Some),
            _ => Ok(None),
        };
        match (seed, service, at, for_s, error_rate, extra_ms) {
            (Ok(seed), Ok(service), Ok(at_s), Ok(for_s), Ok(error_rate), Ok(extra_ms)) => {
                let outage = service.map(|service| Outage {
                    service,
                    kind: self.kind,
                    at_s,
                    for_s,
                    error_rate,
                    extra_ms,
                });
                let settings = Settings::with_outage(&self.preset, seed, outage);
                // Core's own checks, for anything the fields do not cover.
                match settings.scenario().validate() {
                    Ok(()) => Ok(settings),
                    Err(e) => Err(Box::new(FieldErrors {
                        scenario: Some(format!("the scenario is refused: {e}")),
                        ..FieldErrors::default()
                    })),
                }
            }
            (seed, service, at, for_s, error_rate, extra_ms) => Err(Box::new(FieldErrors {
                seed: seed.err(),
                service: service.err(),
                at: at.err(),
                for_s: for_s.err(),
                error_rate: error_rate.err(),
                extra_ms: extra_ms.err(),
                scenario: None,
            })),
        }
    }
}

/// Messages shown next to the fields they concern.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    /// Problem with the seed.
    pub seed: Option<String>,
    /// Problem with the service.
    pub service: Option<String>,
    /// Problem with the start.
    pub at: Option<String>,
    /// Problem with the length.
    pub for_s: Option<String>,
    /// Problem with the error rate.
    pub error_rate: Option<String>,
    /// Problem with the added latency.
    pub extra_ms: Option<String>,
    /// What core refused in the whole scenario.
    pub scenario: Option<String>,
}

impl FieldErrors {
    /// Whether any field is bad.
    pub fn any(&self) -> bool {
        *self != FieldErrors::default()
    }
}

/// A finished run and the settings it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The settings.
    pub settings: Settings,
    /// What core's recovery run reported.
    pub report: Rc<RecoveryReport>,
}

/// Seed 003's table: seeds as typed, the run and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct TableState {
    /// Seeds per row, as typed.
    pub seeds_text: String,
    /// What is wrong with it.
    pub seeds_error: Option<String>,
    /// Seeds of the last valid request.
    pub seeds: u32,
    /// Counts requests; the view starts the table whenever it moves.
    pub generation: u64,
    /// The run in progress.
    pub status: RunStatus,
    /// The last finished table.
    pub results: Option<Rc<TableOutput>>,
}

/// Reads the table's seeds per row, 1 to [`TableJob::MAX_SEEDS`].
pub fn parse_table_seeds(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(v) if (1..=TableJob::MAX_SEEDS).contains(&v) => Ok(v),
        _ => Err(format!(
            "seeds per row '{text}': expected a whole number from 1 to {}",
            TableJob::MAX_SEEDS
        )),
    }
}

/// The view's state.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoveryState {
    /// The form.
    pub form: Form,
    /// What is wrong with the form, if anything.
    pub errors: FieldErrors,
    /// The settings of the last valid form; a change bumps [`Self::generation`].
    pub requested: Settings,
    /// Counts requests; the view starts a run whenever it moves.
    pub generation: u64,
    /// The run in progress.
    pub status: RunStatus,
    /// The settings of the run in progress.
    running: Option<Settings>,
    /// The last finished run.
    pub results: Option<Shown>,
    /// Seed 003's table.
    pub table: TableState,
}

/// What can happen to the view.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A preset (or the order flow) was picked: the form shows its outage.
    SetPreset(String),
    /// The seed was edited.
    SetSeed(String),
    /// The failing service was picked ("none" for no outage).
    SetService(String),
    /// The outage's kind was picked.
    SetKind(OutageKind),
    /// The start was edited.
    SetAt(String),
    /// The length was edited.
    SetFor(String),
    /// The error rate was edited.
    SetErrorRate(String),
    /// The added latency was edited.
    SetExtraMs(String),
    /// What the run of the requested settings reported (in one slice: no progress to show);
    /// when finished, its report or why core refused it.
    Run(RunEvent<Result<RecoveryReport, String>>),
    /// The table's seeds per row were edited.
    SetTableSeeds(String),
    /// What the run of the table reported.
    Table(RunEvent<TableOutput>),
}

impl RecoveryState {
    /// The view as the page opens with `settings` (already checked), with its first run and
    /// its first table requested.
    pub fn new(settings: &Settings) -> Self {
        RecoveryState {
            form: Form::of(settings),
            errors: FieldErrors::default(),
            requested: settings.clone(),
            generation: 1,
            status: RunStatus::Idle,
            running: None,
            results: None,
            table: TableState {
                seeds_text: DEFAULT_TABLE_SEEDS.to_string(),
                seeds_error: None,
                seeds: DEFAULT_TABLE_SEEDS,
                generation: 1,
                status: RunStatus::Idle,
                results: None,
            },
        }
    }

    /// Validates the form; valid new settings are requested.
    fn revalidate(&mut self) {
        match self.form.validate() {
            Ok(settings) => {
                self.errors = FieldErrors::default();
                if settings != self.requested {
                    self.requested = settings;
                    self.generation += 1;
                }
            }
            Err(errors) => self.errors = *errors,
        }
    }

    /// Whether `run` is the run in progress of `status`.
    fn is_running(status: &RunStatus, run: RunId) -> bool {
        matches!(status, RunStatus::Running { run: current, .. } if *current == run)
    }
}

impl Reducible for RecoveryState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetPreset(p) => {
                // The preset's own outage, with the seed as typed.
                let seed = s.form.seed.clone();
                s.form = Form::of(&Settings {
                    preset: p,
                    ..Settings::default()
                });
                s.form.seed = seed;
            }
            Action::SetSeed(v) => s.form.seed = v,
            Action::SetService(v) => s.form.service = v,
            Action::SetKind(k) => s.form.kind = k,
            Action::SetAt(v) => s.form.at = v,
            Action::SetFor(v) => s.form.for_s = v,
            Action::SetErrorRate(v) => s.form.error_rate = v,
            Action::SetExtraMs(v) => s.form.extra_ms = v,
            Action::Run(RunEvent::Started { run }) => {
                s.status = RunStatus::Running { run, done: 0.0 };
                s.running = Some(s.requested.clone());
                return Rc::new(s);
            }
            // One slice: nothing to show between start and finish.
            Action::Run(RunEvent::Progress { .. }) => return self,
            Action::Run(RunEvent::Finished { run, output }) => {
                if !Self::is_running(&s.status, run) {
                    return self;
                }
                let settings = s.running.take().unwrap_or_else(|| s.requested.clone());
                match &*output {
                    Ok(report) => {
                        s.results = Some(Shown {
                            settings,
                            report: Rc::new(report.clone()),
                        });
                        s.status = RunStatus::Idle;
                    }
                    Err(message) => {
                        s.status = RunStatus::Failed {
                            message: message.clone(),
                        }
                    }
                }
                return Rc::new(s);
            }
            Action::Run(RunEvent::Failed { run, message }) => {
                if !Self::is_running(&s.status, run) {
                    return self;
                }
                s.status = RunStatus::Failed { message };
                s.running = None;
                return Rc::new(s);
            }
            Action::SetTableSeeds(v) => {
                match parse_table_seeds(&v) {
                    Ok(n) => {
                        s.table.seeds_error = None;
                        if n != s.table.seeds {
                            s.table.seeds = n;
                            s.table.generation += 1;
                        }
                    }
                    Err(e) => s.table.seeds_error = Some(e),
                }
                s.table.seeds_text = v;
                return Rc::new(s);
            }
            Action::Table(RunEvent::Started { run }) => {
                s.table.status = RunStatus::Running { run, done: 0.0 };
                return Rc::new(s);
            }
            Action::Table(RunEvent::Progress { run, done }) => {
                if !Self::is_running(&s.table.status, run) {
                    return self;
                }
                s.table.status = RunStatus::Running { run, done };
                return Rc::new(s);
            }
            Action::Table(RunEvent::Finished { run, output }) => {
                if !Self::is_running(&s.table.status, run) {
                    return self;
                }
                s.table.status = match &output.error {
                    Some(message) => RunStatus::Failed {
                        message: message.clone(),
                    },
                    None => RunStatus::Idle,
                };
                s.table.results = Some(output);
                return Rc::new(s);
            }
            Action::Table(RunEvent::Failed { run, message }) => {
                if !Self::is_running(&s.table.status, run) {
                    return self;
                }
                s.table.status = RunStatus::Failed { message };
                return Rc::new(s);
            }
        }
        s.revalidate();
        Rc::new(s)
    }
}

/// The kinds for the form's select, with their names.
pub fn kind_options() -> Vec<(OutageKind, &'static str)> {
    super::settings::KINDS
        .into_iter()
        .map(|k| (k, kind_name(k)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::recovery::settings::ORDER_FLOW;
    use meridian_core::reliability::run;
    use meridian_core::reliability::scenario::ServiceName;

    fn finished(s: Rc<RecoveryState>, run_id: RunId) -> Rc<RecoveryState> {
        let report = run(&s.requested.scenario());
        let s = s.reduce(Action::Run(RunEvent::Started { run: run_id }));
        s.reduce(Action::Run(RunEvent::Finished {
            run: run_id,
            output: Rc::new(report.map_err(|e| e.to_string())),
        }))
    }

    #[test]
    fn a_valid_edit_requests_a_run_and_an_equal_one_does_not() {
        let s = Rc::new(RecoveryState::new(&Settings::default()));
        assert_eq!(s.form.service, "delivery");
        assert_eq!(s.form.for_s, "600");
        let s = s.reduce(Action::SetFor("300".into()));
        assert_eq!((s.requested.edit.for_s, s.generation), (Some(300.0), 2));
        let s = s.reduce(Action::SetFor(" 300".into()));
        assert_eq!(s.generation, 2, "the same settings, no new run");
        let s = s.reduce(Action::SetFor("600".into()));
        assert!(s.requested.edit.is_empty(), "back to the preset's own");
        let s = s.reduce(Action::SetService("product".into()));
        assert_eq!(
            s.requested.outage().map(|o| o.service),
            Some(ServiceName::Product)
        );
        let s = s.reduce(Action::SetService("none".into()));
        assert_eq!(s.requested.outage(), None);
    }

    #[test]
    fn bad_fields_are_named_and_keep_the_request_and_results() {
        let s = finished(Rc::new(RecoveryState::new(&Settings::default())), 1);
        assert!(s.results.is_some());
        let requested = s.requested.clone();
        let s = s.reduce(Action::SetAt("9000".into()));
        let e = s.errors.at.as_deref().unwrap();
        assert!(e.starts_with("start '9000'"), "{e}");
        let s = s.reduce(Action::SetSeed("x".into()));
        assert!(s.errors.seed.as_deref().unwrap().starts_with("seed 'x'"));
        assert_eq!((&s.requested, s.generation), (&requested, 1));
        assert!(s.results.is_some());
        // A kind's figure is read only for that kind.
        let s = s.reduce(Action::SetSeed("1".into()));
        let s = s.reduce(Action::SetAt("312.5".into()));
        let s = s.reduce(Action::SetErrorRate("7".into()));
        assert!(!s.errors.any());
        let s = s.reduce(Action::SetKind(OutageKind::Degraded));
        assert!(
            s.errors
                .error_rate
                .as_deref()
                .unwrap()
                .starts_with("error rate '7'")
        );
        let s = s.reduce(Action::SetErrorRate("0.4".into()));
        assert!(!s.errors.any());
        assert_eq!(s.requested.outage().unwrap().error_rate, Some(0.4));
    }

    #[test]
    fn picking_a_preset_shows_its_outage_and_keeps_the_seed() {
        let s = Rc::new(RecoveryState::new(&Settings::default()));
        let s = s.reduce(Action::SetSeed("4".into()));
        let s = s.reduce(Action::SetPreset("queue-down-2m".into()));
        assert_eq!(
            (s.form.service.as_str(), s.form.for_s.as_str()),
            ("queue", "120")
        );
        assert_eq!(s.requested.preset, "queue-down-2m");
        assert_eq!(s.requested.seed, 4);
        assert!(s.requested.edit.is_empty());
        let s = s.reduce(Action::SetPreset(ORDER_FLOW.into()));
        assert_eq!(s.form.service, "none");
        assert_eq!(s.requested.outage(), None);
    }

    #[test]
    fn the_tables_seeds_are_checked_and_old_runs_ignored() {
        let s = Rc::new(RecoveryState::new(&Settings::default()));
        let s = s.reduce(Action::SetTableSeeds("51".into()));
        assert!(s.table.seeds_error.as_deref().unwrap().contains("'51'"));
        assert_eq!(s.table.generation, 1);
        let s = s.reduce(Action::SetTableSeeds("3".into()));
        assert_eq!(
            (
                s.table.seeds,
                s.table.generation,
                s.table.seeds_error.clone()
            ),
            (3, 2, None)
        );
        let s = s.reduce(Action::Table(RunEvent::Started { run: 2 }));
        let s = s.reduce(Action::Table(RunEvent::Progress { run: 1, done: 0.5 }));
        assert_eq!(s.table.status, RunStatus::Running { run: 2, done: 0.0 });
        let out = Rc::new(TableOutput {
            rows: Vec::new(),
            seeds: 3,
            error: None,
        });
        let s = s.reduce(Action::Table(RunEvent::Finished {
            run: 1,
            output: out.clone(),
        }));
        assert!(s.table.results.is_none());
        let s = s.reduce(Action::Table(RunEvent::Finished {
            run: 2,
            output: out,
        }));
        assert!(s.table.results.is_some());
        assert_eq!(s.table.status, RunStatus::Idle);
    }
}
