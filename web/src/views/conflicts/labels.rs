//! The Conflicts view's words: the step counter, a merge's heading, and the view's lede and
//! footer.

use meridian_core::walkthrough::EXAMPLES;

/// `step 2 of 4`.
pub fn counter(step: usize, steps: usize) -> String {
    format!("step {step} of {steps}")
}

/// `Merge 2 of 4: wallet at SG: last-write-wins (HLC)`.
pub fn merge_heading(step: usize, merges: usize, title: &str) -> String {
    format!("Merge {step} of {merges}: {title}")
}

/// The paragraph under the title.
pub fn lede() -> String {
    format!(
        "{} races between two regions, run through meridian-core's real resolvers and CRDTs. Step \
         through the merges one at a time and compare two strategies side by side: what each \
         one keeps, and what it throws away.",
        EXAMPLES.len()
    )
}

/// The footer.
pub fn footer() -> String {
    "Each step is one merge: a replica receiving a write and its strategy deciding what to keep. \
     Step with the buttons, or focus the steps and use the arrow keys, Home and End."
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_and_headings_read_naturally() {
        assert_eq!(counter(2, 4), "step 2 of 4");
        assert_eq!(merge_heading(1, 2, "cart"), "Merge 1 of 2: cart");
        assert!(lede().starts_with("4 races"));
    }
}
