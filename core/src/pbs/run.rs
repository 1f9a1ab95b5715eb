//! Running the trials: [`PbsRun`] steps a run (or one part of it) in chunks, tallies each
//! trial's outcome and merges parts; [`PbsConfig::run_parallel`] runs the parts on threads.

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::config::PbsConfig;
use super::fastmath::FastMath;
use super::histogram::MillisHistogram;
use super::report::{K_STALENESS_MAX, KStaleness, PbsReport, TVisibility, k_staleness};
use super::sampler::{Batch, Leg};
use super::scratch::{BATCH_DRAWS, Scratch};
use super::trial::{Outcome, Quorum, batch_trial, first_consistent_t, trial};
use crate::error::FieldError;
use crate::rng::SimRng;

/// Trials per random-number stream: trial block `b` draws from `SimRng::fork(seed, b)`, so a run
/// can be split into parts (for threads) and merged with exactly the result of running it whole.
pub const BLOCK_TRIALS: u64 = 1 << 16;

/// A PBS run in progress, stepped in chunks so that a caller can show progress. Memory is fixed
/// when it is created.
///
/// A run covers all of the configuration's trials ([`PbsRun::new`]) or one contiguous share of
/// its trial blocks ([`PbsRun::part`]); parts run anywhere, in any order, and [`PbsRun::merge`]
/// combines them into the same report, bit for bit, as one whole run.
#[derive(Debug, Clone)]
pub struct PbsRun {
    config: PbsConfig,
    /// Compiled samplers for `W`, `A`, `R`, `S`.
    pub(super) legs: [Leg; 4],
    /// The batched fast path, when all four legs are [`Leg::TwoPart`].
    pub(super) batch: Option<Batch>,
    /// The tables of their logarithms and powers.
    math: Box<FastMath>,
    /// First trial of this run's range (a multiple of [`BLOCK_TRIALS`]).
    begin: u64,
    /// One past the last trial of this run's range.
    end: u64,
    /// Index of the next trial to run.
    next: u64,
    /// Trials counted (`next - begin`, plus those of merged parts).
    done: u64,
    /// Stream of the block holding `next` (re-seeded at each block start).
    rng: SimRng,
    /// The requested times, ascending, without repeats.
    t_sorted: Vec<f64>,
    /// `t_first[j]`: trials first consistent at `t_sorted[j]` (`j == len`: at none of them).
    t_first: Vec<u64>,
    /// The visibility horizons (clamped at 0) and the two latencies.
    horizon: MillisHistogram,
    read: MillisHistogram,
    write: MillisHistogram,
    scratch: Box<Scratch>,
}

impl PbsRun {
    /// A run of all of `config`'s trials, validated first.
    pub fn new(config: PbsConfig) -> Result<Self, FieldError> {
        Self::part(config, 0, 1)
    }

    /// Part `index` of `parts` (0-based) of `config`'s run: a contiguous share of its trial blocks,
    /// possibly empty. Merging all parts gives the report of [`PbsRun::new`]. `parts` of 0 counts
    /// as 1, and an `index` past the last part gives an empty part.
    pub fn part(config: PbsConfig, index: usize, parts: usize) -> Result<Self, FieldError> {
        config.validate()?;
        let parts = parts.max(1) as u64;
        let index = (index as u64).min(parts);
        let blocks = config.trials.div_ceil(BLOCK_TRIALS);
        let share = |i: u64| {
            let block = (u128::from(blocks) * u128::from(i) / u128::from(parts)) as u64;
            block.saturating_mul(BLOCK_TRIALS).min(config.trials)
        };
        let (begin, end) = (share(index), share((index + 1).min(parts)));
        let mut t_sorted = config.t_ms.clone();
        t_sorted.sort_unstable_by(f64::total_cmp);
        t_sorted.dedup();
        let t_first = vec![0; t_sorted.len() + 1];
        let l = &config.legs;
        let legs = [
            Leg::compile(&l.w),
            Leg::compile(&l.a),
            Leg::compile(&l.r),
            Leg::compile(&l.s),
        ];
        Ok(PbsRun {
            rng: SimRng::fork(config.seed, begin / BLOCK_TRIALS),
            batch: Batch::compile(&legs),
            legs,
            math: FastMath::new(),
            begin,
            end,
            next: begin,
            done: 0,
            config,
            t_sorted,
            t_first,
            horizon: MillisHistogram::new(),
            read: MillisHistogram::new(),
            write: MillisHistogram::new(),
            scratch: Box::new(Scratch::default()),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &PbsConfig {
        &self.config
    }

    /// Trials in this run's own range.
    pub fn trials_total(&self) -> u64 {
        self.end - self.begin
    }

    /// Trials completed so far (including those of merged parts).
    pub fn trials_done(&self) -> u64 {
        self.done
    }

    /// Whether every trial of this run's own range has run.
    pub fn is_finished(&self) -> bool {
        self.next >= self.end
    }

    /// Runs up to `max_trials` more trials of this run's range (fewer at the end); returns how
    /// many ran. The result does not depend on how the trials are split into steps.
    pub fn step(&mut self, max_trials: u64) -> u64 {
        let todo = max_trials.min(self.end - self.next);
        let stop = self.next + todo;
        while self.next < stop {
            if self.next.is_multiple_of(BLOCK_TRIALS) {
                self.rng = SimRng::fork(self.config.seed, self.next / BLOCK_TRIALS);
            }
            let block_end = (self.next / BLOCK_TRIALS + 1) * BLOCK_TRIALS;
            let chunk_end = stop.min(block_end);
            self.run_trials(chunk_end - self.next);
            self.next = chunk_end;
        }
        self.done += todo;
        todo
    }

    /// Runs and tallies `count` trials from the current stream.
    fn run_trials(&mut self, count: u64) {
        let PbsRun {
            config,
            legs,
            batch,
            math,
            rng,
            t_sorted,
            t_first,
            horizon,
            read,
            write,
            scratch,
            ..
        } = self;
        let q = Quorum {
            n: config.n as usize,
            r: config.r as usize,
            w: config.w as usize,
        };
        let remote = config.legs.remote_delay_ms;
        let s = &mut **scratch;
        let mut tally = |o: Outcome| {
            t_first[first_consistent_t(t_sorted, o.horizon)] += 1;
            horizon.record(o.horizon.max(0.0));
            write.record(o.write_latency);
            read.record(o.read_latency);
        };
        if let Some(batch) = *batch {
            // In batches: all draws (the generator is sequential), then all samples (independent
            // of each other), then the trials.
            let per_batch = (BATCH_DRAWS / (4 * q.n)) as u64;
            let mut left = count;
            while left > 0 {
                let trials = left.min(per_batch) as usize;
                let firsts = batch.draw(trials, q.n, remote, rng, s);
                batch.evaluate(trials * q.n, firsts, math, s);
                for t in 0..trials {
                    let o = batch_trial(t, remote, q, s);
                    s.horizon[t] = o.horizon;
                    s.write[t] = o.write_latency;
                    s.read[t] = o.read_latency;
                }
                // The same tally as `tally`, histogram by histogram.
                for &h in &s.horizon[..trials] {
                    t_first[first_consistent_t(t_sorted, h)] += 1;
                }
                horizon.record_all(s.horizon[..trials].iter().map(|h| h.max(0.0)));
                write.record_all(s.write[..trials].iter().copied());
                read.record_all(s.read[..trials].iter().copied());
                left -= trials as u64;
            }
        } else {
            for _ in 0..count {
                tally(trial(&config.legs, legs, math, remote, q, rng, s));
            }
        }
    }

    /// Adds the trials of `other`, a part of the same configuration's run (see
    /// [`PbsRun::part`]). Parts may be merged in any order; merging parts that overlap counts
    /// their trials twice. Does nothing if the configurations differ.
    pub fn merge(&mut self, other: &PbsRun) {
        if other.config != self.config {
            return;
        }
        self.done += other.done;
        for (a, b) in self.t_first.iter_mut().zip(&other.t_first) {
            *a += b;
        }
        self.horizon.merge(&other.horizon);
        self.read.merge(&other.read);
        self.write.merge(&other.write);
    }

    /// The report over the trials done so far (all zeros before the first).
    pub fn report(&self) -> PbsReport {
        let c = &self.config;
        let done = self.done.max(1) as f64;
        let mut cumulative = Vec::with_capacity(self.t_sorted.len());
        let mut sum = 0u64;
        for &hits in &self.t_first[..self.t_sorted.len()] {
            sum += hits;
            cumulative.push(sum as f64 / done);
        }
        let consistency = c
            .t_ms
            .iter()
            .map(|&t| {
                let j = self.t_sorted.partition_point(|&x| x < t);
                TVisibility {
                    t_ms: t,
                    p_consistent: cumulative[j],
                }
            })
            .collect();
        PbsReport {
            n: c.n,
            r: c.r,
            w: c.w,
            strict_quorum: c.r + c.w > c.n,
            trials: self.done,
            seed: c.seed,
            legs: c.legs.clone(),
            consistency,
            target: c.target,
            t_for_target_ms: self.horizon.quantile_upper(c.target),
            k_staleness: (1..=K_STALENESS_MAX)
                .map(|k| KStaleness {
                    k,
                    p_within_k: k_staleness(c.n, c.r, c.w, k),
                })
                .collect(),
            read_latency_ms: self.read.summary(),
            write_latency_ms: self.write.summary(),
        }
    }
}

impl PbsConfig {
    /// Validates, runs every trial and returns the report.
    pub fn run(&self) -> Result<PbsReport, FieldError> {
        let mut run = PbsRun::new(self.clone())?;
        run.step(self.trials);
        Ok(run.report())
    }
}

#[cfg(feature = "std")]
impl PbsConfig {
    /// Like [`PbsConfig::run`], on `threads` threads (at least 1), each running a
    /// [`PbsRun::part`]; the report is the same whatever the number of threads.
    pub fn run_parallel(&self, threads: usize) -> Result<PbsReport, FieldError> {
        self.run_parallel_with_progress(threads, |_| {})
    }

    /// Like [`PbsConfig::run_parallel`], calling `progress(trials done)` from the calling
    /// thread as the parts advance (every [`PROGRESS_CHUNK`] trials of its own part), for a
    /// progress bar.
    pub fn run_parallel_with_progress(
        &self,
        threads: usize,
        mut progress: impl FnMut(u64),
    ) -> Result<PbsReport, FieldError> {
        use std::sync::atomic::{AtomicU64, Ordering};
        let threads = threads.max(1);
        let mut parts = (0..threads)
            .map(|i| PbsRun::part(self.clone(), i, threads))
            .collect::<Result<Vec<_>, _>>()?;
        let done = AtomicU64::new(0);
        let (first, rest) = parts.split_at_mut(1);
        std::thread::scope(|scope| {
            for part in rest.iter_mut() {
                let done = &done;
                scope.spawn(move || {
                    while !part.is_finished() {
                        done.fetch_add(part.step(PROGRESS_CHUNK), Ordering::Relaxed);
                    }
                });
            }
            let main = &mut first[0];
            while !main.is_finished() {
                done.fetch_add(main.step(PROGRESS_CHUNK), Ordering::Relaxed);
                progress(done.load(Ordering::Relaxed));
            }
        });
        for part in rest.iter() {
            first[0].merge(part);
        }
        Ok(first[0].report())
    }
}

/// Trials a part runs between two progress reports of [`PbsConfig::run_parallel_with_progress`].
#[cfg(feature = "std")]
pub const PROGRESS_CHUNK: u64 = 1 << 18;
