//! Property tests for every CRDT: merge laws, convergence under any delivery order with
//! duplicates, and the bounded counter's invariant. Histories run on three replicas `A`, `B`,
//! `C`: each step is a local operation (built and applied at one replica, then logged) or a
//! state sync from one replica to another. On failure proptest prints the minimised failing
//! case and its seed, and persists the seed so the case is replayed first on the next run.

use alloc::vec::Vec;
use core::fmt::Debug;

use proptest::prelude::*;

use super::*;
use crate::conflict::{Counter, MergeTrace};

const REPLICAS: [&str; 3] = ["A", "B", "C"];

#[derive(Debug, Clone)]
enum Step<C> {
    /// An operation at a replica.
    Local(usize, C),
    /// `to` merges the state of `from`.
    Sync { from: usize, to: usize },
}

/// A CRDT under test: how to draw commands and turn them into operations.
trait Model {
    type State: Crdt + OpCrdt<Op = Self::Op> + Clone + PartialEq + Debug;
    type Op: Clone + Debug;
    type Cmd: Clone + Debug + 'static;
    fn empty() -> Self::State;
    fn cmd() -> BoxedStrategy<Self::Cmd>;
    /// The operation for `cmd` at replica `r`, or `None` when the state refuses it.
    fn op(state: &Self::State, r: usize, cmd: &Self::Cmd) -> Option<Self::Op>;
}

fn steps<M: Model>() -> impl Strategy<Value = Vec<Step<M::Cmd>>> {
    prop::collection::vec(
        prop_oneof![
            3 => (0..3usize, M::cmd()).prop_map(|(r, c)| Step::Local(r, c)),
            1 => (0..3usize, 0..3usize).prop_map(|(from, to)| Step::Sync { from, to }),
        ],
        0..40,
    )
}

/// Runs a history; returns the three replicas and the log of accepted operations.
fn run<M: Model>(steps: &[Step<M::Cmd>]) -> (Vec<M::State>, Vec<M::Op>) {
    let mut replicas: Vec<M::State> = (0..3).map(|_| M::empty()).collect();
    let mut log = Vec::new();
    for step in steps {
        match step {
            Step::Local(r, cmd) => {
                if let Some(op) = M::op(&replicas[*r], *r, cmd) {
                    replicas[*r].apply(op.clone());
                    log.push(op);
                }
            }
            Step::Sync { from, to } => {
                let source = replicas[*from].clone();
                replicas[*to].merge(&source);
            }
        }
    }
    (replicas, log)
}

fn merged<S: Crdt + Clone>(a: &S, b: &S) -> S {
    let mut out = a.clone();
    out.merge(b);
    out
}

/// Commutative, associative, idempotent, and the traced merge equals the plain one.
fn laws<M: Model>(steps: &[Step<M::Cmd>]) -> Result<(), TestCaseError> {
    let (r, _) = run::<M>(steps);
    let (a, b, c) = (&r[0], &r[1], &r[2]);
    prop_assert_eq!(merged(a, b), merged(b, a), "commutativity");
    prop_assert_eq!(
        merged(&merged(a, b), c),
        merged(a, &merged(b, c)),
        "associativity"
    );
    prop_assert_eq!(&merged(a, a), a, "idempotence");
    let mut traced = a.clone();
    let mut trace = MergeTrace::default();
    traced.merge_traced(b, &mut trace);
    prop_assert_eq!(traced, merged(a, b), "traced merge");
    prop_assert_eq!(trace.inputs.len(), 2);
    prop_assert!(!trace.title.is_empty() && !trace.result.is_empty());
    Ok(())
}

/// The delivery order: the log's indices sorted by random keys, plus duplicates inserted at
/// random positions.
fn delivery(n: usize, keys: &[u64], dups: &[(usize, usize)]) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (keys.get(i).copied().unwrap_or(0), i));
    for &(d, pos) in dups {
        let at = pos % (order.len() + 1);
        order.insert(at, d % n);
    }
    order
}

/// Replicas that receive the same operations, in any order and with duplicates, converge to the
/// merge of the replicas that made them.
fn converges<M: Model>(
    steps: &[Step<M::Cmd>],
    keys: &[u64],
    dups: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let (replicas, log) = run::<M>(steps);
    let mut all = M::empty();
    for r in &replicas {
        all.merge(r);
    }
    let mut in_order = M::empty();
    for op in &log {
        in_order.apply(op.clone());
    }
    prop_assert_eq!(&in_order, &all, "in log order");
    let mut shuffled = M::empty();
    for i in delivery(log.len(), keys, dups) {
        shuffled.apply(log[i].clone());
    }
    prop_assert_eq!(&shuffled, &all, "shuffled with duplicates");
    let mut reversed = M::empty();
    for op in log.iter().rev() {
        reversed.apply(op.clone());
        reversed.apply(op.clone());
    }
    prop_assert_eq!(&reversed, &all, "reversed, each twice");
    Ok(())
}

struct G;
impl Model for G {
    type State = GCounter;
    type Op = GCounterOp;
    type Cmd = u64;
    fn empty() -> GCounter {
        GCounter::new()
    }
    fn cmd() -> BoxedStrategy<u64> {
        (0..10u64).boxed()
    }
    fn op(s: &GCounter, r: usize, by: &u64) -> Option<GCounterOp> {
        Some(s.inc(REPLICAS[r], *by))
    }
}

struct Pn;
impl Model for Pn {
    type State = PnCounter;
    type Op = PnCounterOp;
    type Cmd = (bool, u64);
    fn empty() -> PnCounter {
        PnCounter::new()
    }
    fn cmd() -> BoxedStrategy<(bool, u64)> {
        (any::<bool>(), 0..10u64).boxed()
    }
    fn op(s: &PnCounter, r: usize, &(up, by): &(bool, u64)) -> Option<PnCounterOp> {
        Some(if up {
            s.inc(REPLICAS[r], by)
        } else {
            s.dec(REPLICAS[r], by)
        })
    }
}

struct Lww;
impl Model for Lww {
    type State = LwwRegister<u8>;
    type Op = LwwWrite<u8>;
    type Cmd = (u8, u64);
    fn empty() -> LwwRegister<u8> {
        LwwRegister::new()
    }
    fn cmd() -> BoxedStrategy<(u8, u64)> {
        (0..4u8, 0..8u64).boxed()
    }
    fn op(s: &LwwRegister<u8>, r: usize, &(v, t): &(u8, u64)) -> Option<LwwWrite<u8>> {
        Some(s.write(REPLICAS[r], v, t))
    }
}

struct Mv;
impl Model for Mv {
    type State = MvRegister<u8>;
    type Op = MvWrite<u8>;
    type Cmd = u8;
    fn empty() -> MvRegister<u8> {
        MvRegister::new()
    }
    fn cmd() -> BoxedStrategy<u8> {
        (0..4u8).boxed()
    }
    fn op(s: &MvRegister<u8>, r: usize, v: &u8) -> Option<MvWrite<u8>> {
        Some(s.write(REPLICAS[r], *v))
    }
}

struct Or;
impl Model for Or {
    type State = OrSet<u8>;
    type Op = OrSetOp<u8>;
    type Cmd = (bool, u8);
    fn empty() -> OrSet<u8> {
        OrSet::new()
    }
    fn cmd() -> BoxedStrategy<(bool, u8)> {
        (any::<bool>(), 0..4u8).boxed()
    }
    fn op(s: &OrSet<u8>, r: usize, &(add, e): &(bool, u8)) -> Option<OrSetOp<u8>> {
        Some(if add {
            s.add(REPLICAS[r], e)
        } else {
            s.remove(&e)
        })
    }
}

#[derive(Debug, Clone)]
enum BCmd {
    Inc(u64),
    Dec(u64),
    Transfer(usize, u64),
}

struct Bounded;
impl Model for Bounded {
    type State = BoundedCounter;
    type Op = BoundedCounterOp;
    type Cmd = BCmd;
    fn empty() -> BoundedCounter {
        BoundedCounter::new()
    }
    fn cmd() -> BoxedStrategy<BCmd> {
        prop_oneof![
            (0..10u64).prop_map(BCmd::Inc),
            (0..15u64).prop_map(BCmd::Dec),
            (0..3usize, 0..10u64).prop_map(|(to, n)| BCmd::Transfer(to, n)),
        ]
        .boxed()
    }
    fn op(s: &BoundedCounter, r: usize, cmd: &BCmd) -> Option<BoundedCounterOp> {
        match *cmd {
            BCmd::Inc(n) => s.inc(REPLICAS[r], n).ok(),
            BCmd::Dec(n) => s.dec(REPLICAS[r], n).ok(),
            BCmd::Transfer(to, n) => s.transfer(REPLICAS[r], REPLICAS[to], n).ok(),
        }
    }
}

/// No replica's rights, hence no value, is negative.
fn never_negative(state: &BoundedCounter, when: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        state.value() >= 0,
        "{}: value {} in {:?}",
        when,
        state.value(),
        state
    );
    for (r, held) in state.all_rights() {
        prop_assert!(held >= 0, "{}: {} holds {} in {:?}", when, r, held, state);
    }
    Ok(())
}

/// The bounded counter under any interleaving of increments, decrements (accepted or refused),
/// transfers and syncs across three replicas.
fn bounded_invariant(
    steps: &[Step<BCmd>],
    keys: &[u64],
    dups: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let mut replicas: Vec<BoundedCounter> = (0..3).map(|_| BoundedCounter::new()).collect();
    let mut log = Vec::new();
    let (mut added, mut taken) = (0i128, 0i128);
    for step in steps {
        match step {
            Step::Local(r, cmd) => {
                let state = &replicas[*r];
                let held = state.rights(REPLICAS[*r]);
                let result = match *cmd {
                    BCmd::Inc(n) => state.inc(REPLICAS[*r], n),
                    BCmd::Dec(n) => state.dec(REPLICAS[*r], n),
                    BCmd::Transfer(to, n) => state.transfer(REPLICAS[*r], REPLICAS[to], n),
                };
                match (cmd, result) {
                    (BCmd::Dec(n), Err(e)) => {
                        prop_assert!(held < i128::from(*n));
                        prop_assert_eq!(
                            e,
                            BoundedCounterError::InsufficientRights {
                                replica: ReplicaId::from(REPLICAS[*r]),
                                held,
                                requested: *n,
                                transfer_to: None,
                            }
                        );
                    }
                    (BCmd::Transfer(to, n), Err(_)) => {
                        prop_assert!(*to == *r || held < i128::from(*n))
                    }
                    (BCmd::Inc(_), Err(e)) => prop_assert!(false, "increment refused: {}", e),
                    (cmd, Ok(op)) => {
                        match *cmd {
                            BCmd::Inc(n) => added += i128::from(n),
                            BCmd::Dec(n) => {
                                prop_assert!(held >= i128::from(n));
                                taken += i128::from(n);
                            }
                            BCmd::Transfer(..) => {}
                        }
                        replicas[*r].apply(op.clone());
                        log.push(op);
                    }
                }
                never_negative(&replicas[*r], "after a local operation")?;
            }
            Step::Sync { from, to } => {
                let source = replicas[*from].clone();
                replicas[*to].merge(&source);
                never_negative(&replicas[*to], "after a sync")?;
            }
        }
    }
    let mut all = BoundedCounter::new();
    for r in &replicas {
        all.merge(r);
        never_negative(&all, "while merging replicas")?;
    }
    prop_assert_eq!(
        all.value(),
        added - taken,
        "increments minus accepted decrements"
    );
    let mut delivered = BoundedCounter::new();
    for i in delivery(log.len(), keys, dups) {
        delivered.apply(log[i].clone());
        never_negative(&delivered, "during shuffled delivery")?;
    }
    prop_assert_eq!(&delivered, &all);
    Ok(())
}

fn shuffle() -> impl Strategy<Value = (Vec<u64>, Vec<(usize, usize)>)> {
    (
        prop::collection::vec(any::<u64>(), 0..40),
        prop::collection::vec((any::<usize>(), any::<usize>()), 0..10),
    )
}

/// Changes to a [`Counter`]: a region and a delta, non-zero (a `PnCounter` stores no zero
/// slot).
fn counter_changes() -> impl Strategy<Value = Vec<(usize, i64)>> {
    prop::collection::vec((0..REPLICAS.len(), prop_oneof![-50i64..0, 1i64..50]), 0..12)
}

fn counter_of(changes: &[(usize, i64)]) -> Counter {
    changes
        .iter()
        .fold(Counter::new(), |c, &(r, d)| c.with(REPLICAS[r], d))
}

proptest! {
    #[test]
    fn gcounter_merge_laws(s in steps::<G>()) { laws::<G>(&s)?; }
    #[test]
    fn gcounter_converges(s in steps::<G>(), (k, d) in shuffle()) { converges::<G>(&s, &k, &d)?; }

    #[test]
    fn pncounter_merge_laws(s in steps::<Pn>()) { laws::<Pn>(&s)?; }
    #[test]
    fn pncounter_converges(s in steps::<Pn>(), (k, d) in shuffle()) { converges::<Pn>(&s, &k, &d)?; }

    #[test]
    fn lww_merge_laws(s in steps::<Lww>()) { laws::<Lww>(&s)?; }
    #[test]
    fn lww_converges(s in steps::<Lww>(), (k, d) in shuffle()) { converges::<Lww>(&s, &k, &d)?; }

    #[test]
    fn mvreg_merge_laws(s in steps::<Mv>()) { laws::<Mv>(&s)?; }
    #[test]
    fn mvreg_converges(s in steps::<Mv>(), (k, d) in shuffle()) { converges::<Mv>(&s, &k, &d)?; }

    #[test]
    fn orset_merge_laws(s in steps::<Or>()) { laws::<Or>(&s)?; }
    #[test]
    fn orset_converges(s in steps::<Or>(), (k, d) in shuffle()) { converges::<Or>(&s, &k, &d)?; }

    #[test]
    fn bounded_merge_laws(s in steps::<Bounded>()) { laws::<Bounded>(&s)?; }
    #[test]
    fn bounded_converges(s in steps::<Bounded>(), (k, d) in shuffle()) { converges::<Bounded>(&s, &k, &d)?; }
    #[test]
    fn bounded_never_below_zero(s in steps::<Bounded>(), (k, d) in shuffle()) {
        bounded_invariant(&s, &k, &d)?;
    }

    /// Deserialising arbitrary JSON never panics, and merging what it gives never panics.
    #[test]
    fn hostile_json_does_not_panic(json in "\\{\"increments\":\\{\"[A-C]\":[0-9]{1,20}\\},\"decrements\":\\{\"[A-C]\":[0-9]{1,20}\\},\"transfers\":\\{\"[A-C]\":\\{\"[A-C]\":[0-9]{1,20}\\}\\}\\}") {
        if let Ok(mut c) = serde_json::from_str::<BoundedCounter>(&json) {
            let other = c.clone();
            let mut trace = MergeTrace::default();
            c.merge_traced(&other, &mut trace);
            let _ = c.dec("A", u64::MAX);
            let _ = c.transfer("A", "B", u64::MAX);
            let _ = c.value();
        }
    }

    /// [`Counter`] is the record-field form of [`PnCounter`]: the same slots, value
    /// and merge.
    #[test]
    fn counter_is_a_pn_counter(a in counter_changes(), b in counter_changes()) {
        let (a, b) = (counter_of(&a), counter_of(&b));
        let (pa, pb) = (PnCounter::from(&a), PnCounter::from(&b));
        prop_assert_eq!(i128::from(a.value()), pa.value());
        prop_assert_eq!(&Counter::from(&pa), &a);
        let mut merged = a.clone();
        merged.merge(&b);
        let mut pn_merged = pa.clone();
        pn_merged.merge(&pb);
        prop_assert_eq!(Counter::from(&pn_merged), merged);
    }
}
