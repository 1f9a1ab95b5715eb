//! The page's address and the files it reads, as written by whoever sent the link: the query
//! decoder (`url_state::page_from_query`), packed documents (`url_state::packed::unpack`), decks
//! (`deck::Deck::from_json`, `deck::DeckPosition::from_query`). None may panic; beyond that, a
//! state the page reads must write back to an address that reads as the same state with no
//! complaint, a deck it reads must write back to the same deck, and packing any text must unpack
//! to that text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meridian_web::deck::{Deck, DeckPosition};
use meridian_web::url_state::{packed, page_from_query, query_from_page};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (page, _) = page_from_query(text);
    let written = query_from_page(&page);
    let (again, problem) = page_from_query(&written);
    assert_eq!(problem, None, "the page's own address {written} is refused");
    assert_eq!(
        again, page,
        "the page's own address {written} reads differently"
    );

    let _ = DeckPosition::from_query(text);
    if let Ok(deck) = Deck::from_json(text) {
        let back = Deck::from_json(&deck.to_json()).expect("a deck the page read writes back");
        assert_eq!(back, deck);
    }
    if let Ok(unpacked) = packed::unpack(text) {
        let _ = page_from_query(&unpacked);
    }
    if text.len() <= packed::MAX_DOCUMENT_BYTES {
        assert_eq!(packed::unpack(&packed::pack(text)).as_deref(), Ok(text));
    }
});
