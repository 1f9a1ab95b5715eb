//! Last-write-wins on whole records: by hybrid logical clock ([`LwwHlc`]), or by the writers'
//! wall clocks ([`LwwPhysical`]), the variant that shows what clock skew does to "last".

use alloc::format;
use alloc::string::String;
use core::cmp::Ordering;

use super::hlc::{describe_us, ms_text};
use super::record::Versioned;
use super::resolver::{Ranked, Resolver, causality_step, close_trace, open_trace};
use super::trace::MergeTrace;

/// The HLC order of two versions, total over distinct versions: the clock, then the wall-clock
/// reading, the event id, the value and the part clocks (the last ones only matter for
/// malformed input, but keep every merge deterministic).
pub(crate) fn hlc_order(a: &Versioned, b: &Versioned) -> Ordering {
    a.hlc
        .cmp(&b.hlc)
        .then(a.physical_us.cmp(&b.physical_us))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.value.cmp(&b.value))
        .then_with(|| a.field_hlc.cmp(&b.field_hlc))
}

/// The wall-clock order: the physical reading, then the node id, then the HLC order.
pub(crate) fn physical_order(a: &Versioned, b: &Versioned) -> Ordering {
    a.physical_us
        .cmp(&b.physical_us)
        .then(a.hlc.node.cmp(&b.hlc.node))
        .then_with(|| hlc_order(a, b))
}

/// Why `w` beats `l` in the HLC order, in words.
pub(crate) fn hlc_reason(w: &Versioned, wn: &str, l: &Versioned, ln: &str) -> String {
    if w.hlc != l.hlc {
        format!(
            "{wn}'s HLC {} beats {ln}'s {} {}",
            w.hlc,
            l.hlc,
            w.hlc.margin_over(&l.hlc)
        )
    } else {
        format!(
            "identical HLC {}: decided by wall clock, event id and value to stay deterministic",
            w.hlc
        )
    }
}

/// Picks the HLC winner of two versions and records the decision under `subject`.
pub(crate) fn decide_by_hlc(
    trace: &mut Option<&mut MergeTrace>,
    local: &Versioned,
    remote: &Versioned,
) -> Versioned {
    let ranked = Ranked::new(local, remote, hlc_order(remote, local) == Ordering::Greater);
    ranked.keep(trace, "write", || {
        hlc_reason(
            ranked.winner,
            &ranked.winner_name,
            ranked.loser,
            &ranked.loser_name,
        )
    })
}

/// Last-write-wins by hybrid logical clock, the node id breaking ties: the version with the
/// greater HLC replaces the other whole.
///
/// Because a write's HLC is greater than that of every write its region had seen, a write made
/// after seeing another always wins over it, however the wall clocks are skewed; only truly
/// concurrent writes are decided by time (and then the one with the later clock wins, losing
/// the other). Commutative, associative and idempotent: replicas converge whatever the order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LwwHlc;

impl Resolver for LwwHlc {
    fn name(&self) -> String {
        String::from("last-write-wins (HLC)")
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        mut trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        open_trace(&mut trace, &self.name(), local, remote);
        causality_step(&mut trace, local, remote);
        let out = decide_by_hlc(&mut trace, local, remote);
        close_trace(&mut trace, &out);
        out
    }
}

/// Last-write-wins by the writers' wall clocks (node id breaking ties), ignoring the logical
/// part: what a system stamping writes with `now()` does.
///
/// It is commutative, associative and idempotent like [`LwwHlc`], but "last" is only as good as
/// the clocks: when a region's clock runs behind, its writes look older than they are and lose,
/// even to writes they had already seen. The trace says so whenever the HLC disagrees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LwwPhysical;

impl Resolver for LwwPhysical {
    fn name(&self) -> String {
        String::from("last-write-wins (wall clock)")
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        mut trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        open_trace(&mut trace, &self.name(), local, remote);
        causality_step(&mut trace, local, remote);
        let ranked = Ranked::new(
            local,
            remote,
            physical_order(remote, local) == Ordering::Greater,
        );
        let (w, lo, wn, ln) = (
            ranked.winner,
            ranked.loser,
            ranked.winner_name.as_str(),
            ranked.loser_name.as_str(),
        );
        let out = ranked.keep(&mut trace, "write", || {
            if w.physical_us != lo.physical_us {
                format!(
                    "{wn}'s wall clock {} beats {ln}'s {} by {}",
                    ms_text(w.physical_us),
                    ms_text(lo.physical_us),
                    describe_us(w.physical_us.abs_diff(lo.physical_us))
                )
            } else if w.hlc.node != lo.hlc.node {
                format!(
                    "equal wall clocks {}; node {} vs node {} breaks the tie",
                    ms_text(w.physical_us),
                    w.hlc.node,
                    lo.hlc.node
                )
            } else {
                hlc_reason(w, wn, lo, ln)
            }
        });
        if let Some(t) = trace.as_deref_mut()
            && hlc_order(lo, w) == Ordering::Greater
            && lo.value != w.value
        {
            let seen = if lo.vv.covers(&w.vv) {
                format!(" ({ln}'s write had even seen {wn}'s)")
            } else {
                String::new()
            };
            t.step(
                "",
                "clock skew decided this merge",
                format!(
                    "by HLC {ln}'s write is the newer one{seen}: {}; its wall clock was \
                     behind, so it is dropped",
                    hlc_reason(lo, ln, w, wn)
                ),
            );
        }
        close_trace(&mut trace, &out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{EventId, FieldValue, Hlc, HlcClock, Record, VersionVector};

    fn rec(city: &str) -> Record {
        Record::new().with("city", FieldValue::text(city))
    }

    #[test]
    fn hlc_lww_explains_the_margin_and_what_it_dropped() {
        let us = Versioned::write(
            rec("Austin"),
            EventId::new("US", 1),
            Hlc::new(1_000_000, 3, 1),
            1_000_000,
        );
        let sg = Versioned::write(
            rec("Hanoi"),
            EventId::new("SG", 1),
            Hlc::new(998_000, 0, 2),
            998_000,
        );
        let (m, t) = LwwHlc.explain(&sg, &us);
        assert_eq!(m.value, us.value);
        assert_eq!(
            m.vv,
            [("US", 1), ("SG", 1)]
                .into_iter()
                .collect::<VersionVector>()
        );
        assert_eq!(t.title, "last-write-wins (HLC)");
        assert_eq!(t.inputs[0].source, "SG (local)");
        assert_eq!(t.steps[0].decision, "concurrent versions: a conflict");
        assert_eq!(t.steps[1].decision, "keep US's write");
        assert_eq!(
            t.steps[1].reason,
            "US's HLC 1000ms+3 beats SG's 998ms+0 by 2 ms"
        );
        assert_eq!(t.result, "{city: \"Austin\"}");
        assert_eq!(
            t.discarded,
            ["SG's write {city: \"Hanoi\"} (event SG#1, HLC 998ms+0)"]
        );
        let json = serde_json::to_string(&t).unwrap_or_default();
        assert!(json.contains("beats SG's 998ms+0 by 2 ms"));
    }

    /// SG's clock runs 500 ms behind. US writes at 1000 ms; SG receives it at 1100 ms and
    /// overwrites it at 1200 ms. SG's write is the newer one (it had seen US's), yet its wall
    /// clock reads 700 ms, so last-write-wins by wall clock keeps US's older value. LWW by HLC
    /// keeps SG's.
    #[test]
    fn skew_makes_wall_clock_lww_drop_the_newer_write_and_hlc_keeps_it() {
        let mut us_clock = HlcClock::new(1, 0);
        let mut sg_clock = HlcClock::new(2, -500_000);
        let t_us = us_clock.tick(1_000_000);
        let us = Versioned::write(
            rec("Austin"),
            EventId::new("US", 1),
            t_us,
            us_clock.wall_us(1_000_000),
        );
        sg_clock.receive(1_100_000, us.hlc);
        let t_sg = sg_clock.tick(1_200_000);
        let mut sg_vv = us.vv.clone();
        sg_vv.increment("SG");
        let sg = Versioned::new(
            rec("Hanoi"),
            EventId::new("SG", 1),
            t_sg,
            sg_clock.wall_us(1_200_000),
            sg_vv,
        );
        assert_eq!(sg.physical_us, 700_000);

        let (by_wall, t) = LwwPhysical.explain(&us, &sg);
        assert_eq!(
            by_wall.value,
            rec("Austin"),
            "wall-clock LWW drops the newer write"
        );
        assert_eq!(
            t.steps[0].decision,
            "SG's version is newer: it has seen US's"
        );
        assert_eq!(
            t.steps[1].reason,
            "US's wall clock 1000ms beats SG's 700ms by 300 ms"
        );
        assert_eq!(t.steps[2].decision, "clock skew decided this merge");
        assert!(t.steps[2].reason.contains("SG's write had even seen US's"));
        assert_eq!(t.discarded.len(), 1);

        let (by_hlc, t) = LwwHlc.explain(&us, &sg);
        assert_eq!(by_hlc.value, rec("Hanoi"), "HLC LWW keeps the newer write");
        assert_eq!(
            t.steps[1].reason,
            "SG's HLC 1000ms+2 beats US's 1000ms+0 by 2 logical ticks at the same physical time"
        );
        assert!(
            t.discarded.is_empty(),
            "US's write was superseded, not lost"
        );
        // Either side local, same answers.
        assert_eq!(LwwPhysical.resolve(&sg, &us, None), by_wall);
        assert_eq!(LwwHlc.resolve(&sg, &us, None), by_hlc);
    }

    #[test]
    fn equal_clocks_fall_to_the_node_id() {
        let a = Versioned::write(
            rec("a"),
            EventId::new("US", 1),
            Hlc::new(5_000, 0, 1),
            5_000,
        );
        let b = Versioned::write(
            rec("b"),
            EventId::new("SG", 1),
            Hlc::new(5_000, 0, 2),
            5_000,
        );
        let (m, t) = LwwPhysical.explain(&a, &b);
        assert_eq!(m.value, rec("b"));
        assert_eq!(
            t.steps[1].reason,
            "equal wall clocks 5ms; node 2 vs node 1 breaks the tie"
        );
        let (m, t) = LwwHlc.explain(&a, &b);
        assert_eq!(m.value, rec("b"));
        assert!(
            t.steps[1]
                .reason
                .ends_with("equal clocks; node 2 vs node 1 breaks the tie")
        );
        // Idempotent, and nothing is discarded merging a version with itself.
        let (m, t) = LwwHlc.explain(&a, &a);
        assert_eq!(m, a);
        assert!(t.discarded.is_empty());
        assert_eq!(t.steps[0].decision, "both versions have the same history");
    }
}
