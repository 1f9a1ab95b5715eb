//! The Sweep view's settings, what each may be and how they are checked: the base preset, the
//! first and optional second varied field (`PATH=VALUES`, as `meridian sweep --vary` reads
//! them), the metric charted, the seeds per point and the simulated duration of every run; and
//! [`plan`], which turns valid settings into the base scenario and core's [`SweepSpec`], naming
//! the field at fault when a path, a value or a point of the grid is refused.

use meridian_core::scenario::{PRESETS, Scenario};
use meridian_core::sweep::{Point, SweepSpec, Vary, parse_metric, scenario_at};

/// Most runs (points × seeds) the page makes; `meridian sweep` makes more.
pub const MAX_RUNS: usize = 200;

/// Most seeds per point in the page.
pub const MAX_SEEDS: u32 = 5;

/// Longest simulated duration of one run in the page, s.
pub const MAX_DURATION_S: f64 = 60.0;

/// The view's settings, as the address keeps them.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The base scenario: a shipped preset's name.
    pub preset: String,
    /// The first varied field, `PATH=VALUES` (across the heatmap, along the line).
    pub x: String,
    /// The second varied field, if any (up the heatmap).
    pub y: Option<String>,
    /// The metric charted.
    pub metric: String,
    /// Seeds per point, 1 to [`MAX_SEEDS`].
    pub seeds: u32,
    /// Simulated seconds of every run.
    pub duration_s: f64,
}

impl Default for Settings {
    /// R × W on `quorum-r1w1`: staleness p99 over the read and write quorums.
    fn default() -> Self {
        EXAMPLES[0].settings()
    }
}

/// A ready-made sweep the view offers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Example {
    /// Its name on its button.
    pub label: &'static str,
    /// The base preset.
    pub preset: &'static str,
    /// The first field.
    pub x: &'static str,
    /// The second field.
    pub y: Option<&'static str>,
    /// The metric.
    pub metric: &'static str,
    /// Seeds per point.
    pub seeds: u32,
    /// Simulated seconds per run.
    pub duration_s: f64,
}

impl Example {
    /// The settings of this example.
    pub fn settings(&self) -> Settings {
        Settings {
            preset: self.preset.into(),
            x: self.x.into(),
            y: self.y.map(Into::into),
            metric: self.metric.into(),
            seeds: self.seeds,
            duration_s: self.duration_s,
        }
    }
}

/// The view's examples: the read and write quorums of a leaderless store against its
/// staleness, and the failure detector's timeout against the time writes are refused.
pub const EXAMPLES: [Example; 2] = [
    Example {
        label: "R × W on quorum-r1w1 (staleness p99)",
        preset: "quorum-r1w1",
        x: "replication.r=1,2,3",
        y: Some("replication.w=1,2,3"),
        metric: "staleness_p99_ms",
        seeds: 2,
        duration_s: 10.0,
    },
    Example {
        label: "Detection timeout on sg-down-promote (write RTO)",
        preset: "sg-down-promote",
        x: "failover.heartbeat_timeout_ms=1000..5000:1000",
        y: None,
        metric: "rto_write_ms",
        seeds: 2,
        duration_s: 40.0,
    },
];

/// Reads a preset's name (any case), or says which exist.
pub fn parse_preset(text: &str) -> Result<String, String> {
    PRESETS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(text.trim()))
        .map(|p| p.name.to_string())
        .ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|p| p.name).collect();
            format!("unknown preset '{text}'; available: {}", names.join(", "))
        })
}

/// Reads a varied field as `meridian sweep --vary` does: `replication.r=1,2,3` or
/// `failover.heartbeat_timeout_ms=1000..5000:1000`.
pub fn parse_field(text: &str) -> Result<Vary, String> {
    Vary::parse(text.trim())
}

/// Reads the metric's name.
pub fn parse_metric_name(text: &str) -> Result<String, String> {
    parse_metric(text).map(str::to_string)
}

/// Reads the seeds per point, 1 to [`MAX_SEEDS`].
pub fn parse_seeds(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SEEDS).contains(&n) => Ok(n),
        _ => Err(format!(
            "seeds '{text}': expected a whole number from 1 to {MAX_SEEDS}"
        )),
    }
}

/// Reads the duration of every run, s: above 0, at most [`MAX_DURATION_S`].
pub fn parse_duration(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= MAX_DURATION_S => Ok(v),
        _ => Err(format!(
            "duration '{text}': expected seconds above 0, at most {MAX_DURATION_S}"
        )),
    }
}

/// What is wrong with the settings, by the control it concerns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    /// The preset.
    pub preset: Option<String>,
    /// The first field.
    pub x: Option<String>,
    /// The second field.
    pub y: Option<String>,
    /// The metric.
    pub metric: Option<String>,
    /// The seeds.
    pub seeds: Option<String>,
    /// The duration.
    pub duration: Option<String>,
    /// The grid as a whole: a combination of values core refuses, or too many runs.
    pub grid: Option<String>,
}

impl FieldErrors {
    /// Whether any control is bad.
    pub fn any(&self) -> bool {
        *self != FieldErrors::default()
    }
}

/// What a valid sweep runs: the base scenario with the duration set, and the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The preset with the settings' duration.
    pub base: Scenario,
    /// The varied fields and the seeds.
    pub spec: SweepSpec,
}

impl Plan {
    /// Runs the plan makes.
    pub fn runs(&self) -> usize {
        self.spec.points().len() * self.spec.seeds as usize
    }
}

/// Checks that every value of `vary` makes a valid scenario of `base` with the other fields as
/// they are: the path exists, and each value is one the scenario accepts.
fn check_field(base: &Scenario, vary: &Vary) -> Result<(), String> {
    for value in &vary.values {
        let point = Point {
            index: 0,
            values: vec![(vary.path.clone(), value.clone())],
        };
        let sc = scenario_at(base, &point, 1)?;
        sc.validate().map_err(|e| {
            format!(
                "{}={}: the scenario is refused: {e}",
                vary.path,
                meridian_core::sweep::value_text(value)
            )
        })?;
    }
    Ok(())
}

/// The plan of `settings`, or what is wrong with each control: a bad path or value is named on
/// its field, a grid of more than [`MAX_RUNS`] runs or a refused combination on the grid.
pub fn plan(settings: &Settings) -> Result<Plan, Box<FieldErrors>> {
    let mut errors = FieldErrors::default();
    let preset = parse_preset(&settings.preset).map_err(|e| errors.preset = Some(e));
    let x = parse_field(&settings.x).map_err(|e| errors.x = Some(e));
    let y = settings
        .y
        .as_deref()
        .map(|y| parse_field(y).map_err(|e| errors.y = Some(e)))
        .transpose();
    if let Err(e) = parse_metric_name(&settings.metric) {
        errors.metric = Some(e);
    }
    if let Err(e) = parse_seeds(&settings.seeds.to_string()) {
        errors.seeds = Some(e);
    }
    if let Err(e) = parse_duration(&settings.duration_s.to_string()) {
        errors.duration = Some(e);
    }
    let base = match preset {
        Ok(name) => match Scenario::preset(&name) {
            Ok(mut sc) => {
                sc.duration_s = settings.duration_s;
                Some(sc)
            }
            Err(e) => {
                errors.preset = Some(e.to_string());
                None
            }
        },
        Err(()) => None,
    };
    // The preset with this duration, before any field is set (a fault after the run's end).
    let base = base.filter(|sc| match sc.validate() {
        Ok(_) => true,
        Err(e) => {
            errors.duration = Some(format!(
                "duration {} s: the preset's scenario is refused: {e}",
                settings.duration_s
            ));
            false
        }
    });
    // The grid's size first, so that a long range is refused before its values are checked.
    let count = |v: &Result<Vary, ()>| v.as_ref().map_or(1, |v| v.values.len());
    let y_count = y
        .as_ref()
        .map_or(1, |y| y.as_ref().map_or(1, |y| y.values.len()));
    let runs = count(&x)
        .saturating_mul(y_count)
        .saturating_mul(settings.seeds as usize);
    if runs > MAX_RUNS {
        errors.grid = Some(format!(
            "{} points × {} seeds = {runs} runs; the page runs at most {MAX_RUNS}: run \
             `meridian sweep` for more",
            count(&x).saturating_mul(y_count),
            settings.seeds
        ));
        return Err(Box::new(errors));
    }
    if let (Some(base), Ok(x)) = (&base, &x) {
        errors.x = check_field(base, x).err().or(errors.x.take());
    }
    if let (Some(base), Ok(Some(y))) = (&base, &y) {
        errors.y = check_field(base, y).err().or(errors.y.take());
        if let Ok(x) = &x
            && x.path == y.path
        {
            errors.y = Some(format!("'{}' is already the first field", y.path));
        }
    }
    if errors.any() {
        return Err(Box::new(errors));
    }
    let (Some(base), Ok(x), Ok(y)) = (base, x, y) else {
        return Err(Box::new(errors));
    };
    let spec = SweepSpec {
        scenario: base.name.clone(),
        vary: std::iter::once(x).chain(y).collect(),
        seeds: settings.seeds,
    };
    let points = spec.points();
    for point in &points {
        let refused = scenario_at(&base, point, 1).and_then(|sc| {
            sc.validate().map(|_| ()).map_err(|e| {
                let at: Vec<String> = point
                    .values
                    .iter()
                    .map(|(p, v)| format!("{p}={}", meridian_core::sweep::value_text(v)))
                    .collect();
                format!("at {}: the scenario is refused: {e}", at.join(", "))
            })
        });
        if let Err(e) = refused {
            errors.grid = Some(e);
            return Err(Box::new(errors));
        }
    }
    Ok(Plan { base, spec })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_plan_and_fit_the_page() {
        for example in EXAMPLES {
            let plan = plan(&example.settings()).unwrap();
            assert!(plan.runs() <= MAX_RUNS, "{}", example.label);
        }
        let plan = plan(&Settings::default()).unwrap();
        assert_eq!((plan.runs(), plan.base.duration_s), (18, 10.0));
        assert_eq!(plan.spec.vary[1].path, "replication.w");
    }

    #[test]
    fn each_bad_control_is_named() {
        let bad = |edit: &dyn Fn(&mut Settings)| {
            let mut s = Settings::default();
            edit(&mut s);
            *plan(&s).unwrap_err()
        };
        let e = bad(&|s| s.x = "replication.q=1,2".into());
        assert!(
            e.x.as_deref().unwrap().contains("no field 'replication.q'"),
            "{e:?}"
        );
        let e = bad(&|s| s.y = Some("replication.w".into()));
        assert!(
            e.y.as_deref().unwrap().contains("expected PATH=VALUES"),
            "{e:?}"
        );
        let e = bad(&|s| s.x = "replication.r=1,9".into());
        let msg = e.x.unwrap();
        assert!(
            msg.starts_with("replication.r=9: the scenario is refused"),
            "{msg}"
        );
        let e = bad(&|s| s.y = Some("replication.r=1".into()));
        assert!(e.y.unwrap().contains("already the first field"));
        let e = bad(&|s| s.preset = "mars".into());
        assert!(e.preset.unwrap().starts_with("unknown preset 'mars'"));
        let e = bad(&|s| {
            s.preset = "sg-down-promote".into();
            s.duration_s = 10.0;
        });
        assert!(
            e.duration
                .unwrap()
                .starts_with("duration 10 s: the preset's scenario is refused"),
        );
        let e = bad(&|s| s.metric = "p99".into());
        assert!(e.metric.unwrap().starts_with("unknown metric 'p99'"));
        let e = bad(&|s| s.x = "replication.apply_delay.mean_ms=1..300:1".into());
        let msg = e.grid.unwrap();
        assert!(
            msg.starts_with("900 points × 2 seeds = 1800 runs; the page runs at most 200")
                && msg.contains("meridian sweep"),
            "{msg}"
        );
        assert!(parse_seeds("6").is_err() && parse_seeds(" 5").is_ok());
        assert!(parse_duration("0").is_err() && parse_duration("61").is_err());
        assert_eq!(parse_duration("2.5"), Ok(2.5));
        assert_eq!(parse_preset("QUORUM-R2W2"), Ok("quorum-r2w2".into()));
    }
}
