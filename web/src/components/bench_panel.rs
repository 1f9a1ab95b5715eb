//! The "Measure this browser" panel: times the Kata 86 model for 10,000,000 iterations and the
//! general engine on the `sg-us-wallet` and `aws8-multi-leader` presets with the page's timing
//! harness ([`crate::timing`]), to compare with the native benchmarks.

use meridian_core::kata86::{Kata86Params, ReadStrategy, Region};
use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;
use yew::prelude::*;

use crate::format::{duration_ms, group_digits};
use crate::timing::{Timing, TimingPlan, measure, per_second};

/// Iterations of one Kata 86 timing run.
pub const BENCH_ITERATIONS: u64 = 10_000_000;

/// The browser's millisecond clock, if it has one.
fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

/// "median 12.3 ms over 81 runs (best 11.9 ms)".
fn describe(t: &Timing) -> String {
    format!(
        "median {:.1} ms over {} runs after warm-up (best {:.1} ms)",
        t.median_ms, t.samples, t.best_ms
    )
}

/// Times the Kata 86 model and describes the outcome in iterations per second.
pub fn run_benchmark() -> String {
    let params = Kata86Params {
        iterations: BENCH_ITERATIONS,
        client: Region::Us,
        leader: Region::Sg,
        strategy: ReadStrategy::LocalThenLeaderIfStale,
        ..Kata86Params::default()
    };
    let Some(perf) = performance() else {
        return "This browser offers no performance timer.".into();
    };
    let (timing, report) = measure(TimingPlan::PAGE, || perf.now(), || params.run());
    match report {
        Ok(report) => format!(
            "Kata 86, {} iterations: {}: {:.1} million iterations/s (staleness p99 {} ms)",
            group_digits(BENCH_ITERATIONS),
            describe(&timing),
            per_second(BENCH_ITERATIONS, timing.median_ms) / 1e6,
            report.summary.staleness_p99
        ),
        Err(e) => format!("Benchmark failed: {e}"),
    }
}

/// Times the engine end to end (build, run, report) on one preset and describes the outcome in
/// simulated requests per second.
pub fn run_engine_benchmark(preset: &str) -> String {
    let model = match Scenario::preset(preset).map(|s| s.validate()) {
        Ok(Ok(model)) => model,
        Ok(Err(e)) => return format!("Benchmark failed: {e}"),
        Err(e) => return format!("Benchmark failed: {e}"),
    };
    let Some(perf) = performance() else {
        return "This browser offers no performance timer.".into();
    };
    let (timing, report) = measure(
        TimingPlan::PAGE,
        || perf.now(),
        || {
            let mut sim = Simulation::new(model.clone());
            sim.run();
            sim.report()
        },
    );
    let requests = report.counters.reads + report.counters.writes;
    format!(
        "engine, {preset}, {} requests: {}: {:.2} million requests/s",
        group_digits(requests),
        describe(&timing),
        per_second(requests, timing.median_ms) / 1e6
    )
}

/// What the panel shows: the lines measured so far, and whether more are coming.
#[derive(Clone, Debug, Default, PartialEq)]
struct Progress {
    lines: Vec<String>,
    running: bool,
}

/// The engine presets the panel times, in order, after the Kata 86 model.
const ENGINE_PRESETS: [&str; 2] = ["sg-us-wallet", "aws8-multi-leader"];

/// The benchmarks the panel runs, in order, each producing one line.
const BENCHMARKS: [fn() -> String; 3] = [
    run_benchmark,
    || run_engine_benchmark(ENGINE_PRESETS[0]),
    || run_engine_benchmark(ENGINE_PRESETS[1]),
];

/// What the button does, with the figures of the benchmarks and of [`TimingPlan::PAGE`].
fn describe_plan() -> String {
    let plan = TimingPlan::PAGE;
    let least_ms = (plan.warmup_ms + plan.sample_budget_ms) * BENCHMARKS.len() as f64;
    format!(
        " times {} iterations of the Kata 86 model and the engine on the {} presets, each warmed up \
         for {} and then run for at least {} (at least {} in all).",
        group_digits(BENCH_ITERATIONS),
        ENGINE_PRESETS.join(" and "),
        duration_ms(plan.warmup_ms as u32),
        duration_ms(plan.sample_budget_ms as u32),
        duration_ms(least_ms as u32),
    )
}

/// The benchmark button and its results. Each benchmark runs in its own task, so the page
/// repaints between them and shows which one is running.
#[function_component(BenchPanel)]
pub fn bench_panel() -> Html {
    let progress = use_state(Progress::default);
    let onclick = {
        let progress = progress.clone();
        Callback::from(move |_: MouseEvent| {
            if progress.running {
                return;
            }
            let progress = progress.clone();
            yew::platform::spawn_local(async move {
                let mut lines = Vec::new();
                for bench in BENCHMARKS {
                    progress.set(Progress {
                        lines: lines.clone(),
                        running: true,
                    });
                    // Let the page paint the progress before the benchmark holds the thread.
                    yew::platform::time::sleep(core::time::Duration::from_millis(30)).await;
                    lines.push(bench());
                }
                progress.set(Progress {
                    lines,
                    running: false,
                });
            });
        })
    };
    let status = progress.running.then(|| {
        let separator = if progress.lines.is_empty() { "" } else { "\n" };
        format!(
            "{separator}measuring {} of {}…",
            progress.lines.len() + 1,
            BENCHMARKS.len()
        )
    });
    html! {
        <section class="bench">
            <button type="button" data-testid="bench-button" disabled={progress.running} {onclick}>
                { "Measure this browser" }
            </button>
            <span class="bench-note">
                { describe_plan() }
            </span>
            if progress.running || !progress.lines.is_empty() {
                <pre data-testid="bench-result" data-running={progress.running.to_string()}>
                    { progress.lines.join("\n") }
                    if let Some(status) = status {
                        { status }
                    }
                </pre>
            }
        </section>
    }
}
