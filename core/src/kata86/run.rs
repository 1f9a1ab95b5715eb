//! The Kata 86 simulation loop, steppable so a caller can show progress or yield to a UI.

use super::config::{Kata86Config, Kata86Error, Kata86Params, ReadStrategy, StalenessAccounting};
use super::exact_counts::ExactCounts;
use super::report::Kata86Report;
use super::seed_lcg::SeedLcg;

/// A Kata 86 run in progress.
///
/// Each iteration draws the follower's replication lag (consuming the generator exactly as the
/// reference does) and records one read and one write. Memory is fixed when the run is created.
///
/// ```
/// use meridian_core::kata86::{Kata86Params, Kata86Run};
///
/// let mut run = Kata86Run::new(Kata86Params { iterations: 10_000, ..Default::default() })?;
/// while !run.is_finished() {
///     run.step(4096); // e.g. update a progress bar between chunks
/// }
/// assert_eq!(run.report().iterations_done, 10_000);
/// # Ok::<(), meridian_core::kata86::Kata86Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Kata86Run {
    params: Kata86Params,
    rng: SeedLcg,
    done: u64,
    /// Staleness of every read, in ms.
    staleness: ExactCounts,
    /// Reads answered by the leader region (the others were answered by the client's region).
    leader_reads: u64,
    /// Reads that fell back to the leader because the local lag exceeded the threshold.
    fallback_reads: u64,
}

impl Kata86Run {
    /// Validates `params` and prepares a run.
    pub fn new(params: Kata86Params) -> Result<Self, Kata86Error> {
        params.validate()?;
        Ok(Kata86Run {
            params,
            rng: SeedLcg::new(params.seed),
            done: 0,
            staleness: ExactCounts::new(params.config.max_lag_ms()),
            leader_reads: 0,
            fallback_reads: 0,
        })
    }

    /// The parameters of this run.
    pub fn params(&self) -> &Kata86Params {
        &self.params
    }

    /// Iterations completed so far.
    pub fn iterations_done(&self) -> u64 {
        self.done
    }

    /// Whether every requested iteration has run.
    pub fn is_finished(&self) -> bool {
        self.done >= self.params.iterations
    }

    /// Runs up to `max_iterations` more iterations and returns how many ran.
    pub fn step(&mut self, max_iterations: u64) -> u64 {
        let n = max_iterations.min(self.params.iterations - self.done);
        let p = self.params;
        let cfg = p.config;
        let client_is_leader = p.client == p.leader;
        let jitter = f64::from(cfg.replication_jitter_ms);
        let spike_spread = f64::from(Kata86Config::SPIKE_SPREAD_MS);
        let may_fall_back = p.strategy == ReadStrategy::LocalThenLeaderIfStale;
        let leader_strategy = p.strategy == ReadStrategy::Leader;
        let served_accounting = p.accounting == StalenessAccounting::ServedRead;

        for _ in 0..n {
            // The follower's lag for this iteration; the reference draws it even when the client
            // sits at the leader, so the generator advances the same way in every case.
            let mut lag =
                cfg.replication_base_ms + libm::floor(self.rng.next_f64() * jitter) as u32;
            if self.rng.next_f64() < Kata86Config::SPIKE_PROBABILITY {
                lag += Kata86Config::SPIKE_MIN_MS
                    + libm::floor(self.rng.next_f64() * spike_spread) as u32;
            }
            if client_is_leader {
                // The client's region is the leader: no lag, every read is the leader's.
                self.leader_reads += 1;
                self.staleness.record(0);
                continue;
            }
            let fell_back = may_fall_back && lag > Kata86Config::FALLBACK_THRESHOLD_MS;
            let at_leader = leader_strategy || fell_back;
            self.fallback_reads += u64::from(fell_back);
            self.leader_reads += u64::from(at_leader);
            let recorded = if served_accounting && at_leader {
                0
            } else {
                lag
            };
            self.staleness.record(recorded);
        }
        self.done += n;
        n
    }

    /// Runs the remaining iterations and returns the final report.
    pub fn finish(mut self) -> Kata86Report {
        self.step(u64::MAX);
        self.report()
    }

    /// The report over the iterations run so far.
    pub fn report(&self) -> Kata86Report {
        let p = &self.params;
        let cfg = &p.config;
        let local_rtt = cfg.rtt_client_to(p.client);
        let leader_rtt = cfg.rtt_client_to(p.leader);
        let write_ms = if p.client == p.leader {
            leader_rtt
        } else {
            local_rtt + cfg.rtt_between_regions_ms
        };

        // Reads and writes take at most two distinct latencies, so they are counted in the loop as
        // plain tallies and expanded into exact distributions here.
        let mut read = ExactCounts::new(local_rtt.max(leader_rtt));
        read.record_n(leader_rtt, self.leader_reads);
        read.record_n(local_rtt, self.done - self.leader_reads);
        let mut write = ExactCounts::new(write_ms);
        write.record_n(write_ms, self.done);

        Kata86Report::from_counts(
            *p,
            self.done,
            &read,
            &write,
            &self.staleness,
            self.leader_reads,
            self.fallback_reads,
        )
    }
}

impl Kata86Params {
    /// Validates the parameters and runs every iteration.
    pub fn run(&self) -> Result<Kata86Report, Kata86Error> {
        Ok(Kata86Run::new(*self)?.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::Region;
    use super::*;

    fn params(client: Region, leader: Region, strategy: ReadStrategy) -> Kata86Params {
        Kata86Params {
            client,
            leader,
            strategy,
            ..Kata86Params::default()
        }
    }

    #[test]
    fn stepping_in_chunks_equals_one_run() {
        let p = Kata86Params {
            iterations: 10_007,
            seed: 99,
            ..params(Region::Us, Region::Sg, ReadStrategy::LocalThenLeaderIfStale)
        };
        let whole = p.run().unwrap();
        let mut run = Kata86Run::new(p).unwrap();
        let mut chunks = 0;
        while !run.is_finished() {
            run.step(1000);
            chunks += 1;
        }
        assert_eq!(chunks, 11);
        assert_eq!(run.report(), whole);
    }

    #[test]
    fn client_at_leader_is_never_stale_and_pays_one_round_trip() {
        for strategy in ReadStrategy::ALL {
            let r = params(Region::Sg, Region::Sg, strategy).run().unwrap();
            assert_eq!(r.staleness.max, 0.0);
            assert_eq!(r.summary.read_p95, 40);
            assert_eq!(r.summary.write_p95, 40);
        }
    }

    #[test]
    fn served_read_accounting_zeroes_leader_reads_only() {
        let seed_rule = params(Region::Us, Region::Sg, ReadStrategy::Leader)
            .run()
            .unwrap();
        let served = Kata86Params {
            accounting: StalenessAccounting::ServedRead,
            ..params(Region::Us, Region::Sg, ReadStrategy::Leader)
        }
        .run()
        .unwrap();
        assert!(seed_rule.staleness.p50 >= 150.0);
        assert_eq!(served.staleness.max, 0.0);
        // Latency does not depend on the accounting rule.
        assert_eq!(served.read_latency, seed_rule.read_latency);
    }

    #[test]
    fn fallback_happens_exactly_when_lag_exceeds_the_threshold() {
        let p = Kata86Params {
            iterations: 50_000,
            ..params(Region::Us, Region::Sg, ReadStrategy::LocalThenLeaderIfStale)
        };
        let r = p.run().unwrap();
        let local = Kata86Params {
            strategy: ReadStrategy::Local,
            ..p
        }
        .run()
        .unwrap();
        // Same draws, so the fallbacks are exactly the local run's reads above 2 s.
        assert_eq!(r.fallback_reads, local.reads_over_threshold);
        assert!(r.fallback_reads > 0);
        assert_eq!(r.leader_reads, r.fallback_reads);
    }
}
