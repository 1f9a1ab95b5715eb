//! Source priority: on a conflict, the write from the region ranked first wins.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::lww::decide_by_hlc;
use super::record::Versioned;
use super::resolver::{Ranked, Resolver, causality_step, close_trace, has_seen, open_trace};
use super::trace::MergeTrace;

/// Concurrent writes are decided by where they came from: the region listed first in `order`
/// wins; regions not listed rank after every listed one. Two writes from equally ranked regions
/// (the same region, or two unlisted ones) fall back to last-write-wins by HLC.
///
/// Only conflicts are decided by rank: a version whose history includes the write the other
/// holds (by version vector) simply replaces it, so a low-priority region can still update a
/// record after reading the high-priority region's value. Because it looks at history, this
/// strategy wants causal delivery ([`Resolver::needs_causal_order`]). It is commutative and
/// idempotent, and associative over versions that are pairwise concurrent.
///
/// Convergence: with two regions, every delivery order ends in the same state. With three or
/// more, rank and history can contradict each other in a cycle (SG ranks over US over EU; EU
/// overwrites SG's write after seeing it; US writes concurrently with both: EU beats SG by
/// history, US beats EU by rank, SG beats US by rank), and then the outcome depends on the
/// order the replica saw the writes. The trace shows which rule took each decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePriority {
    /// Regions from highest to lowest priority.
    pub order: Vec<String>,
}

impl SourcePriority {
    /// A priority list, highest first.
    pub fn new<I, S>(order: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        SourcePriority {
            order: order.into_iter().map(Into::into).collect(),
        }
    }

    /// The rank of `region` (0 = highest), or `None` when it is not listed.
    pub fn rank(&self, region: &str) -> Option<usize> {
        self.order.iter().position(|r| r == region)
    }

    fn rank_text(&self, region: &str) -> String {
        match self.rank(region) {
            Some(i) => format!("{region} ranks {}", i + 1),
            None => format!("{region} is not listed"),
        }
    }
}

impl Resolver for SourcePriority {
    fn name(&self) -> String {
        format!("source priority [{}]", self.order.join(" > "))
    }

    fn needs_causal_order(&self) -> bool {
        true
    }

    fn resolve(
        &self,
        local: &Versioned,
        remote: &Versioned,
        mut trace: Option<&mut MergeTrace>,
    ) -> Versioned {
        open_trace(&mut trace, &self.name(), local, remote);
        causality_step(&mut trace, local, remote);
        let (remote_saw, local_saw) = (has_seen(remote, local), has_seen(local, remote));
        let out = match (remote_saw, local_saw) {
            (true, false) | (false, true) => {
                let newer = Ranked::new(local, remote, remote_saw);
                newer.keep(&mut trace, "write", || {
                    format!(
                        "it was made after seeing {}'s ({}): newer, no conflict to rank",
                        newer.loser_name, newer.loser.id
                    )
                })
            }
            _ => {
                let rl = self.rank(local.origin()).unwrap_or(usize::MAX);
                let rr = self.rank(remote.origin()).unwrap_or(usize::MAX);
                if rl == rr {
                    if let Some(t) = trace.as_deref_mut() {
                        t.step(
                            "",
                            "equal priority: fall back to last-write-wins (HLC)",
                            format!(
                                "{}; {}",
                                self.rank_text(local.origin()),
                                self.rank_text(remote.origin())
                            ),
                        );
                    }
                    decide_by_hlc(&mut trace, local, remote)
                } else {
                    let ranked = Ranked::new(local, remote, rr < rl);
                    ranked.keep(&mut trace, "write", || {
                        format!(
                            "priority order [{}]: {}, {}",
                            self.order.join(" > "),
                            self.rank_text(ranked.winner.origin()),
                            self.rank_text(ranked.loser.origin())
                        )
                    })
                }
            }
        };
        close_trace(&mut trace, &out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conflict::{EventId, FieldValue, Hlc, Record};

    fn w(origin: &str, node: u32, ms: u64, v: i64) -> Versioned {
        Versioned::write(
            Record::new().with("limit", FieldValue::Int(v)),
            EventId::new(origin, 1),
            Hlc::new(ms * 1000, 0, node),
            ms * 1000,
        )
    }

    #[test]
    fn the_first_listed_region_wins_conflicts_but_not_newer_writes() {
        let p = SourcePriority::new(["SG", "US"]);
        let sg = w("SG", 2, 10, 100);
        let us = w("US", 1, 20, 200);
        let (m, t) = p.explain(&us, &sg);
        assert_eq!(m.value, sg.value);
        assert_eq!(t.title, "source priority [SG > US]");
        assert_eq!(
            t.steps[1].reason,
            "priority order [SG > US]: SG ranks 1, US ranks 2"
        );
        assert_eq!(t.discarded.len(), 1);
        assert_eq!(p.resolve(&sg, &us, None), m);

        // US writes again after seeing SG's value: newer, so it replaces it.
        let mut later = w("US", 1, 30, 300);
        later.id.seq = 2;
        later.vv = m.vv.clone();
        later.vv.increment("US");
        let (m2, t) = p.explain(&m, &later);
        assert_eq!(m2.value, later.value);
        assert_eq!(
            t.steps[1].reason,
            "it was made after seeing SG's (SG#1): newer, no conflict to rank"
        );
        assert!(t.discarded.is_empty());

        // Unlisted regions rank last; two unlisted fall back to HLC.
        let eu = w("EU", 3, 50, 5);
        assert_eq!(p.resolve(&eu, &us, None).value, us.value);
        let br = w("BR", 4, 60, 6);
        let (m, t) = p.explain(&eu, &br);
        assert_eq!(m.value, br.value);
        assert_eq!(t.steps[1].reason, "EU is not listed; BR is not listed");
        assert!(p.needs_causal_order());
    }
}
