//! A timing harness in the page: runs the Kata 86 model for 10,000,000 iterations and the general
//! engine on the `sg-us-wallet` and `aws8-multi-leader` presets, and reports the browser's
//! throughput, to compare with the native benchmarks.

use meridian_core::kata86::{Kata86Params, ReadStrategy, Region};
use meridian_core::scenario::Scenario;
use meridian_core::sim::Simulation;
use yew::prelude::*;

use crate::state::group_digits;

/// Iterations of one timing run.
pub const BENCH_ITERATIONS: u64 = 10_000_000;

fn now_ms() -> Option<f64> {
    web_sys::window()?.performance().map(|p| p.now())
}

/// Runs the benchmark and describes the outcome.
pub fn run_benchmark() -> String {
    let params = Kata86Params {
        iterations: BENCH_ITERATIONS,
        client: Region::Us,
        leader: Region::Sg,
        strategy: ReadStrategy::LocalThenLeaderIfStale,
        ..Kata86Params::default()
    };
    let Some(start) = now_ms() else {
        return "This browser offers no performance timer.".into();
    };
    let report = match params.run() {
        Ok(r) => r,
        Err(e) => return format!("Benchmark failed: {e}"),
    };
    let elapsed = now_ms().unwrap_or(start) - start;
    let rate = BENCH_ITERATIONS as f64 / (elapsed.max(0.001) / 1000.0);
    format!(
        "{} iterations in {:.0} ms: {:.1} million iterations/s (staleness p99 {} ms)",
        group_digits(BENCH_ITERATIONS),
        elapsed,
        rate / 1e6,
        report.summary.staleness_p99
    )
}

/// Runs of the engine benchmark; the best is reported, as the first runs may execute before the
/// browser has finished optimising the WebAssembly.
const ENGINE_RUNS: usize = 5;

/// Times the engine on one preset (best of [`ENGINE_RUNS`]) and describes the outcome in
/// simulated requests per second.
pub fn run_engine_benchmark(preset: &str) -> String {
    let model = match Scenario::preset(preset).map(|s| s.validate()) {
        Ok(Ok(model)) => model,
        Ok(Err(e)) => return format!("Benchmark failed: {e}"),
        Err(e) => return format!("Benchmark failed: {e}"),
    };
    let mut best = f64::INFINITY;
    let mut requests = 0;
    for _ in 0..ENGINE_RUNS {
        let Some(start) = now_ms() else {
            return "This browser offers no performance timer.".into();
        };
        let mut sim = Simulation::new(model.clone());
        sim.run();
        let report = sim.report();
        best = best.min(now_ms().unwrap_or(start) - start);
        requests = report.counters.reads + report.counters.writes;
    }
    format!(
        "engine, {preset}: {} requests in {:.0} ms (best of {ENGINE_RUNS}): {:.2} million requests/s",
        group_digits(requests),
        best,
        requests as f64 / (best.max(0.001) / 1000.0) / 1e6
    )
}

/// The benchmark button and its last result.
#[function_component(BenchPanel)]
pub fn bench_panel() -> Html {
    let result = use_state(|| None::<String>);
    let onclick = {
        let result = result.clone();
        Callback::from(move |_: MouseEvent| {
            let lines = [
                run_benchmark(),
                run_engine_benchmark("sg-us-wallet"),
                run_engine_benchmark("aws8-multi-leader"),
            ];
            result.set(Some(lines.join("\n")))
        })
    };
    html! {
        <section class="bench">
            <button type="button" data-testid="bench-button" {onclick}>
                { "Measure this browser" }
            </button>
            <span class="bench-note">
                { format!(" runs {} iterations of the Kata 86 model and two engine presets; the page pauses while it runs.", group_digits(BENCH_ITERATIONS)) }
            </span>
            if let Some(text) = &*result {
                <pre data-testid="bench-result">{ text }</pre>
            }
        </section>
    }
}
