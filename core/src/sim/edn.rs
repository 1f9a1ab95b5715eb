//! A run's history in Jepsen's EDN history format, for checkers nobody here wrote (Knossos,
//! Elle, Porcupine-style tools, or any other that reads Jepsen histories).
//!
//! One operation per line, invocations and completions in time order:
//!
//! ```text
//! {:type :invoke, :f :write, :value 115300000064, :process 12, :time 1949346000, :key 9}
//! {:type :ok, :f :write, :value 115300000064, :process 12, :time 2624724000, :key 9}
//! {:type :invoke, :f :read, :value nil, :process 13, :time 2700000000, :key 9}
//! {:type :ok, :f :read, :value 115300000064, :process 13, :time 2790000000, :key 9}
//! ```
//!
//! * Every key is a register; its values are the engine's last-write-wins stamps, unique per
//!   write, and `0` is the initial value.
//! * `:process` is the operation's number: each operation is its own process, so a process
//!   never has two operations in flight (the engine's sessions do).
//! * `:time` is simulated nanoseconds; a completion and an invocation at the same instant are
//!   written completion first (the completion happened before).
//! * A write's value is the stamp it committed (known before its invocation line is written,
//!   as Jepsen clients know what they write), or, for a write that never committed, the stamp
//!   it was last applied under where it was sent ([`HistoryEvent::Accept`]: it may be read
//!   there all the same). A write completes `:ok` when its client was told it committed; a
//!   charge the wallet's check refused wrote nothing and completes `:fail`; a write the client
//!   gave up on completes `:info` (it may or may not have taken effect), with its value if it
//!   was applied anywhere and `nil` if it never was.
//! * A read that failed completes `:fail` (a read has no effect).
//!
//! [`history_edn`] writes every key, with `:key` on each line; [`key_history_edn`] one key.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::history::HistoryEvent;

/// What the writer knows about one client operation.
#[derive(Debug, Clone, Copy)]
struct OpInfo {
    write: bool,
    key: u32,
    /// The stamp it committed (a write), if it did.
    committed: Option<u64>,
    /// The stamp it was last applied under where it was sent, if it was.
    accepted: Option<u64>,
}

impl OpInfo {
    /// The value a write wrote: the stamp it committed, else the one it was last applied under.
    fn value(&self) -> Option<u64> {
        self.committed.or(self.accepted)
    }
}

/// The whole history in EDN, one operation per line, each with its `:key`.
pub fn history_edn(history: &[HistoryEvent]) -> String {
    write_edn(history, None)
}

/// The history of one key in EDN (a single register), one operation per line.
pub fn key_history_edn(history: &[HistoryEvent], key: u32) -> String {
    write_edn(history, Some(key))
}

fn write_edn(history: &[HistoryEvent], only: Option<u32>) -> String {
    let mut ops: BTreeMap<u64, OpInfo> = BTreeMap::new();
    for e in history {
        match *e {
            HistoryEvent::Invoke { op, write, key, .. } => {
                ops.insert(
                    op,
                    OpInfo {
                        write,
                        key,
                        committed: None,
                        accepted: None,
                    },
                );
            }
            HistoryEvent::Accept { op, stamp, .. } => {
                if let Some(o) = ops.get_mut(&op) {
                    o.accepted = Some(stamp);
                }
            }
            HistoryEvent::Commit { op, stamp, .. } => {
                if let Some(o) = ops.get_mut(&op) {
                    // A retry at a new leader may commit again: the last commit is the one that
                    // stands.
                    o.committed = Some(stamp);
                }
            }
            _ => {}
        }
    }
    // (time, completion before invocation, position): the order lines are written in.
    let mut lines: Vec<(u64, u8, usize, String)> = Vec::new();
    for (position, e) in history.iter().enumerate() {
        let (at_us, op, kind) = match *e {
            HistoryEvent::Invoke { at_us, op, .. } => (at_us, op, Line::Invoke),
            HistoryEvent::Ok {
                at_us, op, stamp, ..
            } => (at_us, op, Line::Ok(stamp)),
            HistoryEvent::Fail { at_us, op } => (at_us, op, Line::Fail),
            HistoryEvent::Accept { .. }
            | HistoryEvent::Commit { .. }
            | HistoryEvent::Apply { .. } => {
                continue;
            }
        };
        let Some(info) = ops.get(&op).copied() else {
            continue;
        };
        if only.is_some_and(|k| k != info.key) {
            continue;
        }
        let (ty, value) = match (kind, info.write) {
            (Line::Invoke, true) => ("invoke", info.value()),
            (Line::Invoke, false) => ("invoke", None),
            (Line::Ok(stamp), true) if info.committed == Some(stamp) => ("ok", Some(stamp)),
            (Line::Ok(_), true) => ("fail", info.value()),
            (Line::Ok(stamp), false) => ("ok", Some(stamp)),
            (Line::Fail, true) => ("info", info.value()),
            (Line::Fail, false) => ("fail", None),
        };
        let mut line = String::new();
        let _ = write!(
            line,
            "{{:type :{ty}, :f :{}, :value {}, :process {op}, :time {}",
            if info.write { "write" } else { "read" },
            Value(value),
            at_us.saturating_mul(1000)
        );
        if only.is_none() {
            let _ = write!(line, ", :key {}", info.key);
        }
        line.push('}');
        let order = u8::from(matches!(kind, Line::Invoke));
        lines.push((at_us, order, position, line));
    }
    lines.sort_by_key(|l| (l.0, l.1, l.2));
    let mut out = String::new();
    for (_, _, _, line) in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The kind of a line before its type is decided.
#[derive(Debug, Clone, Copy)]
enum Line {
    Invoke,
    Ok(u64),
    Fail,
}

/// An EDN value: a number, or `nil`.
struct Value(Option<u64>);

impl core::fmt::Display for Value {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("nil"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoke(at_us: u64, op: u64, write: bool) -> HistoryEvent {
        HistoryEvent::Invoke {
            at_us,
            op,
            write,
            key: 4,
            pop: 0,
        }
    }

    #[test]
    fn writes_reads_refusals_and_give_ups_take_jepsen_types_and_values() {
        let h = [
            invoke(10, 0, true),
            invoke(10, 1, false),
            HistoryEvent::Commit {
                at_us: 20,
                op: 0,
                key: 4,
                stamp: 640,
                region: 0,
            },
            HistoryEvent::Ok {
                at_us: 30,
                op: 0,
                stamp: 640,
                behind: 0,
            },
            HistoryEvent::Ok {
                at_us: 30,
                op: 1,
                stamp: 0,
                behind: 0,
            },
            invoke(30, 2, true),
            HistoryEvent::Ok {
                at_us: 40,
                op: 2,
                stamp: 640,
                behind: 0,
            },
            invoke(50, 3, true),
            HistoryEvent::Fail { at_us: 60, op: 3 },
            // Applied at its leader, never committed, given up on: in doubt, with its value.
            invoke(80, 5, true),
            HistoryEvent::Accept {
                at_us: 85,
                op: 5,
                key: 4,
                stamp: 896,
                region: 0,
            },
            HistoryEvent::Fail { at_us: 90, op: 5 },
            invoke(50, 4, false),
            HistoryEvent::Fail { at_us: 70, op: 4 },
        ];
        let edn = key_history_edn(&h, 4);
        let lines: Vec<&str> = edn.lines().collect();
        assert_eq!(
            lines,
            [
                "{:type :invoke, :f :write, :value 640, :process 0, :time 10000}",
                "{:type :invoke, :f :read, :value nil, :process 1, :time 10000}",
                "{:type :ok, :f :write, :value 640, :process 0, :time 30000}",
                "{:type :ok, :f :read, :value 0, :process 1, :time 30000}",
                // A refused charge wrote nothing; at the same instant, completions come first.
                "{:type :invoke, :f :write, :value nil, :process 2, :time 30000}",
                "{:type :fail, :f :write, :value nil, :process 2, :time 40000}",
                "{:type :invoke, :f :write, :value nil, :process 3, :time 50000}",
                "{:type :invoke, :f :read, :value nil, :process 4, :time 50000}",
                "{:type :info, :f :write, :value nil, :process 3, :time 60000}",
                "{:type :fail, :f :read, :value nil, :process 4, :time 70000}",
                "{:type :invoke, :f :write, :value 896, :process 5, :time 80000}",
                "{:type :info, :f :write, :value 896, :process 5, :time 90000}",
            ]
        );
        assert!(history_edn(&h).lines().all(|l| l.ends_with(", :key 4}")));
        assert_eq!(key_history_edn(&h, 5), "");
    }
}
