//! The amount and numeral parsers (`extract::amount::find_amounts`,
//! `extract::numeral::parse_*`) on arbitrary text: no panic, no hang, no
//! overflow, and every span points at the surface form it reports
//! (record.rs: `text.chars().skip(start).take(end - start)`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use policygraph::extract::{amount, numeral};
use policygraph::record::Field;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let chars: Vec<char> = text.chars().collect();
    for a in amount::find_amounts(&text, Field::Text) {
        if let Some(span) = a.span {
            assert!(span.start <= span.end && span.end <= chars.len(), "span {span:?} outside {} chars", chars.len());
            let surface: String = chars[span.start..span.end].iter().collect();
            assert_eq!(surface, a.text, "span {span:?} does not hold the surface form");
        }
    }
    let _ = numeral::parse_number(&text);
    let _ = numeral::parse_chinese(&text);
    let _ = numeral::parse_arabic(&text);
    // A scan's length is a byte count that callers slice with.
    for scanned in [numeral::scan_chinese(&text), numeral::scan_arabic(&text)].into_iter().flatten() {
        assert!(scanned.len <= text.len() && text.is_char_boundary(scanned.len), "scan length {}", scanned.len);
    }
});
