//! Reliability patterns under failure, after seeds 002 and 003: an order flow against four
//! downstream services (product, database, delivery, queue) guarded by circuit breakers, with a
//! fallback answer flagged for review, a transactional outbox drained by a poller, a delivery
//! retry job, sagas that compensate in reverse order, and a reconciliation job. A run puts the
//! flow through service outages and measures what a recovery table needs: detection (outage start
//! to breaker open), recovery (outage end to the steady state), user-visible downtime, and that
//! no order and no event is lost.
//!
//! * [`breaker`]: the circuit breaker state machine.
//! * [`outbox`]: the outbox table and its poller.
//! * [`scenario`]: the document (services, jobs, outages) and its validation.
//! * [`run()`]: the simulation; [`report`]: what it returns.
//! * [`presets`]: seed 003's scenarios (delivery, product, broker and database outages).
//! * [`sweep`]: seed 003's recovery table, simulated over outage lengths and seeds.
//! * [`words`]: a run's figures in words, for the CLI and the page.

pub mod breaker;
pub mod outbox;
pub mod presets;
pub mod report;
mod run;
pub mod scenario;
pub mod sweep;
pub mod words;

pub use report::RecoveryReport;
pub use run::run;
pub use scenario::RecoveryScenario;
