//! Scenario documents packed into a page address: raw DEFLATE (miniz_oxide) then URL-safe base64
//! without padding, so an edited document of a few kilobytes becomes a parameter of a few hundred
//! characters that survives copy and paste.
//!
//! Unpacking is defensive: the text comes from whoever wrote the link. A damaged or truncated
//! value is refused with a reason, and a value that would inflate past [`MAX_DOCUMENT_BYTES`] is
//! refused before it fills memory.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Largest document a link may carry once unpacked, in bytes (the upload limit).
pub const MAX_DOCUMENT_BYTES: usize = 1_000_000;

/// Longest packed value the page writes into its address, in characters. Longer documents stay
/// out of the link (the page says so and offers the download instead): addresses this long are
/// already unwieldy in chat and mail.
pub const MAX_PACKED_CHARS: usize = 24_000;

/// Compression level: the best miniz_oxide offers, as documents are small and packed rarely.
const LEVEL: u8 = 9;

/// Packs `text` for a page address.
pub fn pack(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
        text.as_bytes(),
        LEVEL,
    ))
}

/// Unpacks a value written by [`pack`], or says why it cannot be read.
pub fn unpack(value: &str) -> Result<String, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(value.trim())
        .map_err(|e| format!("not a packed document ({e}); the link may be cut short"))?;
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_DOCUMENT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the packed document is larger than {MAX_DOCUMENT_BYTES} bytes")
            }
            _ => "the packed document is damaged or cut short".to_string(),
        })?;
    String::from_utf8(raw).map_err(|_| "the packed document is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_core::scenario::PRESETS;

    #[test]
    fn every_preset_round_trips_and_shrinks() {
        for p in PRESETS {
            let packed = pack(p.toml);
            assert!(
                packed.len() < p.toml.len() * 3 / 4,
                "{}: {} -> {}",
                p.name,
                p.toml.len(),
                packed.len()
            );
            assert!(
                packed
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "only URL-safe characters"
            );
            assert_eq!(unpack(&packed).as_deref(), Ok(p.toml));
        }
    }

    #[test]
    fn damaged_and_truncated_values_are_refused_with_a_reason() {
        let packed = pack(PRESETS[0].toml);
        let cut = &packed[..packed.len() / 2];
        assert!(unpack(cut).unwrap_err().contains("cut short"));
        assert!(unpack("not base64!").unwrap_err().contains("not a packed"));
        assert!(unpack("").is_err());
        let not_utf8 = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[0xff], 1));
        assert!(unpack(&not_utf8).unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn a_value_that_inflates_past_the_limit_is_refused() {
        let bomb = "a".repeat(MAX_DOCUMENT_BYTES + 1);
        let packed = pack(&bomb);
        assert!(packed.len() < 4_000, "compresses well: {}", packed.len());
        assert!(unpack(&packed).unwrap_err().contains("larger than"));
        let fits = "a".repeat(MAX_DOCUMENT_BYTES);
        assert_eq!(
            unpack(&pack(&fits)).map(|s| s.len()),
            Ok(MAX_DOCUMENT_BYTES)
        );
    }
}
