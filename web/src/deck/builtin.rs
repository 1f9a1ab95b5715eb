//! The decks the page ships: the stories of the design documents behind Meridian, each a few
//! slides long. Every slide is a link into one of the page's views; the figures on it are
//! simulated when the slide is shown, never stored here.

use super::{Deck, Slide};

/// A deck the page ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Short name, used in test ids and file names.
    pub name: &'static str,
    /// The deck's title.
    pub title: &'static str,
    /// The slides: title and link.
    pub slides: &'static [(&'static str, &'static str)],
}

impl Builtin {
    /// The deck, its links in the page's own spelling. A link the page would not open as
    /// written is a bug here (the tests read every one).
    pub fn deck(&self) -> Deck {
        let slides = self
            .slides
            .iter()
            .map(|(title, link)| Slide {
                title: (*title).to_string(),
                link: Deck::slide_of(link).map_or_else(|_| (*link).to_string(), |s| s.link),
            })
            .collect();
        Deck {
            title: self.title.to_string(),
            slides,
        }
    }
}

/// Every shipped deck, in the order the page lists them.
pub const BUILTIN: [Builtin; 4] = [
    Builtin {
        name: "kata86",
        title: "Kata 86: option A vs option B",
        slides: &[
            (
                "Option A: one leader in Singapore, a client in Singapore",
                "?view=kata86&client=SG&leader=SG&strategy=local",
            ),
            (
                "Option A from the US: local reads are fast, and sometimes stale",
                "?view=kata86&client=US&leader=SG&strategy=local",
            ),
            (
                "Option A, US reads fall back to the leader when the replica lags",
                "?view=kata86&client=US&leader=SG&strategy=local_then_leader_if_stale",
            ),
            (
                "Option A against option B (both regions accept writes, last write wins)",
                "?view=compare&a=sg-us-wallet&b=sg-us-multi-leader",
            ),
            (
                "What option B's merges keep and lose",
                "?view=conflicts&example=profile",
            ),
        ],
    },
    Builtin {
        name: "sg-down",
        title: "SG goes down: reject writes or promote US",
        slides: &[
            (
                "The SG leader down for 25 s; writes are rejected until it returns",
                "?view=drill&preset=sg-down-reject",
            ),
            (
                "The same crash; US is promoted after detection and an election",
                "?view=drill&preset=sg-down-promote",
            ),
            (
                "Reject against promote: availability bought with lost writes",
                "?view=compare&a=sg-down-reject&b=sg-down-promote",
            ),
            (
                "A partition instead of a crash: split brain until SG steps down",
                "?view=drill&preset=sg-us-partition",
            ),
        ],
    },
    Builtin {
        name: "quorums",
        title: "Quorums: how fresh is R=1, W=1?",
        slides: &[
            (
                "N=3, R=1, W=1: how long until a read sees the last write",
                "?view=pbs&n=3&r=1&w=1",
            ),
            (
                "One more replica per write: N=3, R=1, W=2",
                "?view=pbs&n=3&r=1&w=2",
            ),
            (
                "A strict quorum, N=3, R=2, W=2: never stale, at a price",
                "?view=pbs&n=3&r=2&w=2",
            ),
            (
                "The same two quorums in the engine, across three AWS regions",
                "?view=compare&a=quorum-r1w1&b=quorum-r2w2",
            ),
        ],
    },
    Builtin {
        name: "money",
        title: "Money under multi-leader: last-write-wins vs escrow",
        slides: &[
            (
                "Two regions charge one wallet at once: what each strategy keeps",
                "?view=conflicts&example=wallet&a=lww&b=escrow",
            ),
            (
                "A day of charges: LWW balances overspend and lose charges, escrow refuses some",
                "?view=compare&a=wallet-multi-leader-lww&b=wallet-multi-leader-escrow",
            ),
            (
                "Escrow in detail: latency, staleness and the SLOs",
                "?view=scenario&preset=wallet-multi-leader-escrow",
            ),
        ],
    },
];

/// The shipped deck called `name`.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slide_of_every_shipped_deck_opens_without_complaint() {
        for b in BUILTIN {
            let deck = b.deck();
            assert!(deck.slides.len() >= 3, "{}", b.name);
            for (slide, (_, link)) in deck.slides.iter().zip(b.slides) {
                assert_eq!(
                    Deck::slide_of(link).map(|s| s.link),
                    Ok(slide.link.clone()),
                    "{}: {link}",
                    b.name
                );
            }
            // The file a user would download reads back as the same deck.
            assert_eq!(Deck::from_json(&deck.to_json()), Ok(deck), "{}", b.name);
        }
        assert_eq!(builtin("quorums").map(|b| b.slides.len()), Some(4));
        assert_eq!(builtin("nope"), None);
    }
}
