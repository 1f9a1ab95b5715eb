//! The page's model: the form's fields, their validation, and the last good results.
//!
//! Invalid input never clears the results on screen: the reducer records a message for the field
//! and keeps showing the figures of the last valid parameters.

use std::rc::Rc;

use meridian_core::kata86::{
    Kata86Params, Kata86Report, MAX_SEED, ReadStrategy, Region, StalenessAccounting,
    StrategyComparison, compare_strategies,
};
use yew::Reducible;

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
    /// Problems with the page's URL parameters (the affected settings fell back to defaults).
    pub url: Option<String>,
}

impl FieldErrors {
    /// Whether the form's own fields are valid (URL problems do not block a run).
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

/// What the user changed.
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
}

/// The whole page model.
#[derive(Debug, Clone, PartialEq)]
pub struct KataState {
    /// The form.
    pub controls: Controls,
    /// Current validation messages.
    pub errors: FieldErrors,
    /// Results of the last valid parameters, if there ever were any.
    pub results: Option<Rc<Results>>,
}

impl KataState {
    /// Builds the model from initial controls (for example from the URL) and runs them if valid.
    pub fn new(controls: Controls, url_error: Option<String>) -> Self {
        let mut state = KataState {
            controls,
            errors: FieldErrors {
                url: url_error,
                ..FieldErrors::default()
            },
            results: None,
        };
        state.recompute();
        state
    }

    /// The parameters of the results on screen.
    pub fn shown_params(&self) -> Option<&Kata86Params> {
        self.results.as_ref().map(|r| &r.report.params)
    }

    fn recompute(&mut self) {
        let iterations = parse_iterations(&self.controls.iterations);
        let seed = parse_seed(&self.controls.seed);
        self.errors.iterations = iterations.as_ref().err().cloned();
        self.errors.seed = seed.as_ref().err().cloned();
        let (Ok(iterations), Ok(seed)) = (iterations, seed) else {
            return;
        };
        let params = Kata86Params {
            iterations,
            seed,
            client: self.controls.client,
            leader: self.controls.leader,
            strategy: self.controls.strategy,
            accounting: self.controls.accounting,
            ..Kata86Params::default()
        };
        match (params.run(), compare_strategies(&params)) {
            (Ok(report), Ok(comparison)) => {
                self.results = Some(Rc::new(Results { report, comparison }));
            }
            // Unreachable with the checks above, but shown rather than ignored if core's rules
            // ever grow stricter than the form's.
            (Err(e), _) | (_, Err(e)) => self.errors.iterations = Some(e.to_string()),
        }
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
        }
        next.recompute();
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

/// `1234567` as `1,234,567`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Rc<KataState> {
        Rc::new(KataState::new(Controls::default(), None))
    }

    #[test]
    fn defaults_compute_results() {
        let s = state();
        let r = s.results.as_ref().expect("results");
        assert_eq!(r.comparison.len(), 3);
        assert_eq!(r.report.iterations_done, 5000);
        assert!(s.errors.form_is_valid());
    }

    #[test]
    fn bad_iterations_keep_the_last_good_results() {
        let s = state();
        let before = s.results.clone();
        for bad in ["0", "-3", "abc", "1000001", "", "2.5"] {
            let next = s.clone().reduce(Action::SetIterations(bad.into()));
            assert!(next.errors.iterations.is_some(), "{bad:?} accepted");
            assert_eq!(next.results, before, "{bad:?} changed the results");
        }
    }

    #[test]
    fn a_valid_change_recomputes_and_clears_the_message() {
        let s = state().reduce(Action::SetIterations("x".into()));
        let s = s.reduce(Action::SetIterations("20000".into()));
        assert!(s.errors.iterations.is_none());
        assert_eq!(s.shown_params().map(|p| p.iterations), Some(20_000));
        let s = s.reduce(Action::SetClient(Region::Sg));
        assert_eq!(s.results.as_ref().unwrap().report.summary.write_p95, 40);
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

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1_000), "1,000");
        assert_eq!(group_digits(10_000_000), "10,000,000");
    }
}
