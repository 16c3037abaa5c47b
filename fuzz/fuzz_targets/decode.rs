//! The decoder (`ingest::decode::decode`) and the traditional → simplified
//! shadow (`script::simplified`) on arbitrary bytes: no panic, no hang, and
//! the contract callers rely on:
//!
//! * a decoded text is never empty, and valid UTF-8 without NUL or stray
//!   control characters comes back as it is, silently;
//! * U+FFFD appears in a decoded text only where the input had it, or with
//!   a warning that says sequences were replaced;
//! * the encoding named is one the decoder knows;
//! * decoding is deterministic;
//! * the simplified shadow of any decoded text has as many characters as
//!   the text (spans into one point into the other), and is the text itself
//!   when nothing in it is traditional.
#![no_main]

use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use policygraph::ingest::decode::{decode, DecodeError};
use policygraph::script;

const ENCODINGS: &[&str] = &["UTF-8", "gb18030", "Big5", "UTF-16LE", "UTF-16BE"];

fuzz_target!(|data: &[u8]| {
    let result = decode(data);
    assert_eq!(result, decode(data), "not deterministic");
    let decoded = match result {
        Ok(d) => d,
        Err(DecodeError::Empty) => {
            // Nothing, or a byte-order mark and nothing after it.
            let bom_only = encoding_rs::Encoding::for_bom(data).is_some_and(|(_, n)| n == data.len());
            assert!(data.is_empty() || bom_only, "refused as empty");
            return;
        }
        Err(_) => return,
    };
    assert!(!decoded.text.is_empty(), "empty text");
    assert!(ENCODINGS.contains(&decoded.encoding), "encoding {}", decoded.encoding);
    if let Ok(s) = std::str::from_utf8(data) {
        let plain = !s.starts_with('\u{feff}')
            && !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}'));
        if plain {
            assert_eq!((decoded.text.as_str(), decoded.encoding), (s, "UTF-8"));
            assert_eq!(decoded.warning, None);
        }
    }
    let replaced = decoded.text.matches('\u{FFFD}').count();
    let had = String::from_utf8_lossy(data).matches('\u{FFFD}').count();
    if replaced > 0 && decoded.encoding == "UTF-8" {
        assert!(
            replaced <= had || decoded.warning.as_deref().is_some_and(|w| w.contains("replaced with U+FFFD")),
            "{replaced} U+FFFD without a warning: {:?}",
            decoded.warning
        );
    }
    let shadow = script::simplified(&decoded.text);
    assert_eq!(shadow.chars().count(), decoded.text.chars().count(), "the shadow changed the length");
    // Borrowed exactly when nothing changed.
    assert_eq!(matches!(shadow, Cow::Borrowed(_)), shadow == decoded.text.as_str());
    let _ = script::Script::bundled().is_mostly_traditional(&decoded.text);
});
