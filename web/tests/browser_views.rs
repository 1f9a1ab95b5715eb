//! Browser tests of the PBS and Conflicts views, run in headless Chromium by
//! `wasm-bindgen-test`: the PBS view draws core's t-visibility curve and shows core's closed form
//! at `t = 0` next to the simulated value, and follows its form; the Conflicts view steps through
//! core's walkthrough with the keyboard, showing what each strategy kept and discarded.

mod support;

use meridian_core::pbs::k_staleness;
use meridian_core::walkthrough::walkthrough;
use meridian_web::views::conflicts::labels::counter;
use meridian_web::views::conflicts::state::Settings as ConflictsSettings;
use meridian_web::views::conflicts::{ConflictsView, ConflictsViewProps};
use meridian_web::views::pbs::labels::probability;
use meridian_web::views::pbs::settings::Settings as PbsSettings;
use meridian_web::views::pbs::{PbsView, PbsViewProps};
use support::{by_testid, mount, pause, press, text_by_testid, type_into, until};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_pbs_view_draws_the_curve_and_shows_the_closed_form_next_to_the_simulation() {
    let settings = PbsSettings::default();
    let root = mount::<PbsView>(PbsViewProps { initial: settings });
    until(30_000, || !text_by_testid(&root, "pbs-t-target").is_empty()).await;

    // The same run, directly.
    let report = settings.config().run().unwrap();
    let closed = k_staleness(settings.n, settings.r, settings.w, 1);
    assert_eq!(text_by_testid(&root, "pbs-closed-t0"), probability(closed));
    assert_eq!(text_by_testid(&root, "pbs-closed-t0"), "33.33%");
    let simulated = report
        .consistency
        .iter()
        .find(|c| c.t_ms == 0.0)
        .unwrap()
        .p_consistent;
    assert_eq!(text_by_testid(&root, "pbs-sim-t0"), probability(simulated));
    let t_target = text_by_testid(&root, "pbs-t-target");
    assert!(
        t_target.starts_with("99.9% consistent after "),
        "{t_target}"
    );
    // The curve, with its summary as the figure's accessible name.
    assert!(
        root.query_selector("[data-testid=\"pbs-chart\"] svg polyline")
            .unwrap()
            .is_some()
    );
    let img = by_testid(&root, "pbs-chart-img").unwrap();
    assert_eq!(img.get_attribute("role").as_deref(), Some("img"));
    let label = img.get_attribute("aria-label").unwrap();
    assert_eq!(
        label,
        format!("t-visibility for N=3, R=1, W=1 (lnkd-disk): {t_target}")
    );
    assert!(text_by_testid(&root, "pbs-partial").contains("R + W = 2 ≤ N = 3"));

    // R = 2, W = 2: a strict quorum, consistent from commit in both the closed form and the
    // simulation.
    type_into(&root, "pbs-r", "2");
    type_into(&root, "pbs-w", "2");
    until(30_000, || {
        text_by_testid(&root, "pbs-quorum").contains("R=2, W=2")
    })
    .await;
    assert_eq!(
        text_by_testid(&root, "pbs-closed-t0"),
        probability(k_staleness(3, 2, 2, 1))
    );
    assert_eq!(text_by_testid(&root, "pbs-sim-t0"), "100%");
    assert!(text_by_testid(&root, "pbs-strict").contains("strict quorum"));

    // A bad field is named and the last curve stays.
    type_into(&root, "pbs-w", "4");
    pause(20).await;
    assert_eq!(
        text_by_testid(&root, "pbs-w-error"),
        "W '4': expected a whole number from 1 to N (3)"
    );
    assert!(text_by_testid(&root, "pbs-quorum").contains("R=2, W=2"));
    assert!(by_testid(&root, "pbs-stale-note").is_some());
    root.remove();
}

#[wasm_bindgen_test]
async fn the_conflicts_view_steps_with_the_keyboard_and_shows_what_was_kept_and_discarded() {
    let root = mount::<ConflictsView>(ConflictsViewProps {
        initial: ConflictsSettings {
            example: "wallet".into(),
            ..ConflictsSettings::default()
        },
    });
    pause(20).await;
    let walk = walkthrough("wallet").unwrap();
    let (lww, counter_sum) = (&walk.outcomes[0], &walk.outcomes[1]);
    let steps = lww.traces.len().max(counter_sum.traces.len());
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(1, steps));

    let stepper = by_testid(&root, "cf-stepper").unwrap();
    assert_eq!(stepper.get_attribute("tabindex").as_deref(), Some("0"));
    press(&stepper, "ArrowRight");
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(2, steps));
    // Merge 2 of the LWW wallet keeps US's balance and throws SG's away.
    let trace = &lww.traces[1];
    assert!(text_by_testid(&root, "cf-kept-left").contains(&trace.result));
    let discarded = text_by_testid(&root, "cf-discarded-left");
    assert!(!trace.discarded.is_empty());
    for d in &trace.discarded {
        assert!(discarded.contains(d.as_str()), "{discarded}");
    }
    assert!(discarded.starts_with("Discarded:"), "not colour only");
    assert!(
        root.query_selector("[data-testid=\"cf-column-left\"] .kept")
            .unwrap()
            .is_some()
    );

    press(&stepper, "ArrowLeft");
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(1, steps));
    press(&stepper, "ArrowLeft");
    pause(20).await;
    assert_eq!(
        text_by_testid(&root, "cf-counter"),
        counter(1, steps),
        "no step 0"
    );
    press(&stepper, "End");
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(steps, steps));
    // The last step shows each strategy's converged result and verdict.
    assert!(text_by_testid(&root, "cf-outcome-left").contains(&lww.result));
    assert!(text_by_testid(&root, "cf-outcome-right").contains(&counter_sum.verdict));
    press(&stepper, "Home");
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(1, steps));
    assert!(by_testid(&root, "cf-outcome-left").is_none());
    // Other keys do nothing.
    press(&stepper, "Enter");
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(1, steps));

    // The Forward button steps too.
    let forward: web_sys::HtmlElement = by_testid(&root, "cf-forward").unwrap().unchecked_into();
    forward.click();
    pause(20).await;
    assert_eq!(text_by_testid(&root, "cf-counter"), counter(2, steps));
    root.remove();
}
