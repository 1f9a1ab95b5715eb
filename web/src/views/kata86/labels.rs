//! The Kata 86 view's words that carry figures: every number in them is taken from the model's
//! configuration and constants, so the text stays true if the model's figures change.

use meridian_core::kata86::{Kata86Config, ReadStrategy, Region};

use crate::format::{duration_ms, duration_range_ms, group_digits, percent};

/// The lag above which a read counts as stale and falls back: "2 s".
pub fn threshold() -> String {
    duration_ms(Kata86Config::FALLBACK_THRESHOLD_MS)
}

/// The view's subtitle: "Kata 86: Wallet + Checkout on SG and US".
pub fn subtitle() -> String {
    let codes: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
    format!("Kata 86: Wallet + Checkout on {}", codes.join(" and "))
}

/// The paragraph under the title.
pub fn lede() -> String {
    format!(
        "One leader takes every charge; balance reads go local, to the leader, or local with a \
         fallback to the leader when the local replica lags more than {}. Every figure below is \
         simulated in this page from the seed.",
        threshold()
    )
}

/// What a read strategy does, with the model's threshold.
pub fn strategy(s: ReadStrategy) -> String {
    match s {
        ReadStrategy::LocalThenLeaderIfStale => format!(
            "read locally, fall back to the leader when the local lag exceeds {}",
            threshold()
        ),
        other => other.describe().to_string(),
    }
}

/// The replication link's lag: "lag 150–350 ms, 2% spikes +4–8 s".
pub fn replication_lag(cfg: &Kata86Config) -> String {
    format!(
        "lag {}, {} spikes +{}",
        duration_range_ms(
            cfg.replication_base_ms,
            cfg.replication_base_ms
                .saturating_add(cfg.replication_jitter_ms)
        ),
        percent(Kata86Config::SPIKE_PROBABILITY),
        duration_range_ms(
            Kata86Config::SPIKE_MIN_MS,
            Kata86Config::SPIKE_MIN_MS.saturating_add(Kata86Config::SPIKE_SPREAD_MS)
        ),
    )
}

/// The footer: the client's round trips and the percentile rule.
pub fn footer(cfg: &Kata86Config) -> String {
    let trips: Vec<String> = Region::ALL
        .iter()
        .map(|&r| format!("{} {}", r.code(), duration_ms(cfg.rtt_client_to(r))))
        .collect();
    format!(
        "Client round trips: {}. Percentiles use the exercise's rule (the sample at \
         floor(q/100 × (n − 1)) after sorting); with the default accounting the figures equal the \
         exercise's reference simulation for the same seed.",
        trips.join(", ")
    )
}

/// The line under the headline figures.
pub fn tallies(
    iterations: u64,
    seed: u64,
    leader_share: f64,
    fallbacks: u64,
    stale_share: f64,
) -> String {
    format!(
        "{} iterations, seed {seed} · reads answered by the leader: {:.2}% ({} fallbacks) · \
         reads staler than {}: {:.2}%",
        group_digits(iterations),
        leader_share * 100.0,
        group_digits(fallbacks),
        threshold(),
        stale_share * 100.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exercise_reads_as_before() {
        let cfg = Kata86Config::default();
        assert_eq!(subtitle(), "Kata 86: Wallet + Checkout on SG and US");
        assert!(lede().contains("lags more than 2 s."));
        assert_eq!(replication_lag(&cfg), "lag 150–350 ms, 2% spikes +4–8 s");
        assert!(footer(&cfg).starts_with("Client round trips: SG 40 ms, US 220 ms. "));
        assert_eq!(
            strategy(ReadStrategy::LocalThenLeaderIfStale),
            ReadStrategy::LocalThenLeaderIfStale.describe()
        );
        assert_eq!(
            tallies(20_000, 7, 0.0212, 106, 0.0212),
            "20,000 iterations, seed 7 · reads answered by the leader: 2.12% (106 fallbacks) · \
             reads staler than 2 s: 2.12%"
        );
    }

    #[test]
    fn labels_follow_the_configuration() {
        let cfg = Kata86Config {
            rtt_client_to_sg_ms: 1500,
            replication_base_ms: 100,
            replication_jitter_ms: 50,
            ..Kata86Config::default()
        };
        assert!(footer(&cfg).starts_with("Client round trips: SG 1.5 s, US 220 ms. "));
        assert!(replication_lag(&cfg).starts_with("lag 100–150 ms,"));
    }
}
