//! Step-by-step explanations of a merge, as serde values the CLI and the browser both render.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

/// One input to a merge: which replica or operation it came from and what it held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceInput {
    /// Where the value came from, e.g. "SG replica" or "op #3 (add x at US)".
    pub source: String,
    /// The value, rendered for people, e.g. `{name: "Ann", city: "Hanoi"}`.
    pub value: String,
    /// The metadata that decides conflicts, e.g. "HLC 1000.2 @SG" or "version vector {SG:2, US:1}".
    pub clock: String,
}

/// One decision, in the order it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceStep {
    /// What was decided: a field name, an element, a counter slot; empty for the whole value.
    pub subject: String,
    /// The outcome, e.g. "keep US's value" or "refuse decrement".
    pub decision: String,
    /// Why: which clock, rule or priority decided, and by how much.
    pub reason: String,
}

/// A whole merge, explained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeTrace {
    /// What was merged and by which strategy, e.g. "field merge of profile".
    pub title: String,
    /// The inputs.
    pub inputs: Vec<TraceInput>,
    /// The decisions, in order.
    pub steps: Vec<TraceStep>,
    /// The merged value, rendered.
    pub result: String,
    /// What the merge threw away (values, writes, operations), rendered; empty when nothing was lost.
    pub discarded: Vec<String>,
}

impl MergeTrace {
    /// An empty trace with a title.
    pub fn new(title: impl Into<String>) -> Self {
        MergeTrace {
            title: title.into(),
            ..MergeTrace::default()
        }
    }

    /// Adds an input.
    pub fn input(
        &mut self,
        source: impl Into<String>,
        value: impl Into<String>,
        clock: impl Into<String>,
    ) {
        self.inputs.push(TraceInput {
            source: source.into(),
            value: value.into(),
            clock: clock.into(),
        });
    }

    /// Adds a decision.
    pub fn step(
        &mut self,
        subject: impl Into<String>,
        decision: impl Into<String>,
        reason: impl Into<String>,
    ) {
        self.steps.push(TraceStep {
            subject: subject.into(),
            decision: decision.into(),
            reason: reason.into(),
        });
    }

    /// Records something the merge threw away.
    pub fn discard(&mut self, what: impl Into<String>) {
        self.discarded.push(what.into());
    }
}
