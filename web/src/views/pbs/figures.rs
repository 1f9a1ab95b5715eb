//! The figures the PBS view shows, each read from core: from a run's report, the simulated
//! probability of a consistent read at `t = 0` and the smallest `t` reaching the target (and
//! whether the curve gets there); from core's closed form, the probability at `t = 0` for a
//! quorum that does not grow after the write returns; and the span of `t` the chart draws. The
//! chart reads the same figures, so they live with it in core
//! ([`meridian_core::charts::pbs`]) and are re-exported here.

pub use meridian_core::charts::pbs::{Figures, Reach, closed_form_t0};
