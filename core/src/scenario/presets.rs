//! Scenarios that ship with the crate.

/// A shipped scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresetInfo {
    /// Name used on the command line and in URLs.
    pub name: &'static str,
    /// One line on what it models.
    pub summary: &'static str,
    /// The scenario document (TOML).
    pub toml: &'static str,
}

/// Every shipped scenario.
pub const PRESETS: &[PresetInfo] = &[
    PresetInfo {
        name: "sg-us-wallet",
        summary: "Kata 86 option A: leader in SG, local reads, async followers, 2% lag spikes",
        toml: include_str!("../../presets/sg-us-wallet.toml"),
    },
    PresetInfo {
        name: "sg-us-wallet-fallback",
        summary: "as sg-us-wallet, reads fall back to the leader when the replica lags > 2 s",
        toml: include_str!("../../presets/sg-us-wallet-fallback.toml"),
    },
    PresetInfo {
        name: "sg-us-multi-leader",
        summary: "Kata 86 option B: SG and US both accept writes, last-write-wins",
        toml: include_str!("../../presets/sg-us-multi-leader.toml"),
    },
    PresetInfo {
        name: "wallet-multi-leader-lww",
        summary: "SG/US multi-leader, per-entity policies; wallets as LWW balances: overspend, lost charges",
        toml: include_str!("../../presets/wallet-multi-leader-lww.toml"),
    },
    PresetInfo {
        name: "wallet-multi-leader-escrow",
        summary: "the same with wallets under escrow: no overspend, some charges refused",
        toml: include_str!("../../presets/wallet-multi-leader-escrow.toml"),
    },
    PresetInfo {
        name: "sg-down-reject",
        summary: "sg-us-wallet with the SG leader down 25 s; writes rejected (read-only mode)",
        toml: include_str!("../../presets/sg-down-reject.toml"),
    },
    PresetInfo {
        name: "sg-down-promote",
        summary: "the same crash; US promoted after 3 s detection + 5 s election (RTO, RPO)",
        toml: include_str!("../../presets/sg-down-promote.toml"),
    },
    PresetInfo {
        name: "sg-us-partition",
        summary: "SG<->US partition 30 s with promotion: split brain until SG steps down",
        toml: include_str!("../../presets/sg-us-partition.toml"),
    },
    PresetInfo {
        name: "clock-skew-lww",
        summary: "option B, SG clock 500 ms behind, LWW on physical time: lost updates",
        toml: include_str!("../../presets/clock-skew-lww.toml"),
    },
    PresetInfo {
        name: "aws8-single-leader",
        summary: "eight AWS regions (cloudping p50 RTTs), leader in us-east-1, local reads",
        toml: include_str!("../../presets/aws8-single-leader.toml"),
    },
    PresetInfo {
        name: "aws8-multi-leader",
        summary: "eight AWS regions (cloudping p50 RTTs), every region accepts writes",
        toml: include_str!("../../presets/aws8-multi-leader.toml"),
    },
    PresetInfo {
        name: "aws8-region-outage",
        summary: "eight AWS regions, ap-southeast-1 down 15 s; Vietnam's reads rerouted to Tokyo",
        toml: include_str!("../../presets/aws8-region-outage.toml"),
    },
    PresetInfo {
        name: "quorum-r1w1",
        summary: "leaderless N=3 R=1 W=1 across us-east-1, us-west-2, eu-west-1",
        toml: include_str!("../../presets/quorum-r1w1.toml"),
    },
    PresetInfo {
        name: "quorum-r2w2",
        summary: "leaderless N=3 R=2 W=2 across us-east-1, us-west-2, eu-west-1",
        toml: include_str!("../../presets/quorum-r2w2.toml"),
    },
];
