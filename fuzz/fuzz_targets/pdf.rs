//! The PDF reader on arbitrary bytes (`ingest::pdf::read`): must never
//! panic, hang or run out of memory, and what it reads must go through
//! segmentation (`ingest::parse_extracted`) and keep the article contract.
//!
//! The reader runs the PDF crates under `catch_unwind`, which turns their
//! panics into a named skip. libfuzzer-sys's panic hook aborts before any
//! `catch_unwind` can act, so this target sets a silent hook: what it
//! reports are real crashes (aborts, stack overflows, out of memory,
//! timeouts) and panics outside that guard, which still abort in
//! libfuzzer-sys's own wrapper.
#![no_main]

use std::sync::{LazyLock, Once};

use libfuzzer_sys::fuzz_target;
use policygraph::ingest::{self, SectionNames};

static SECTIONS: LazyLock<SectionNames> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../dictionaries/sections.csv");
    SectionNames::load(std::path::Path::new(path)).expect("dictionaries/sections.csv")
});

static QUIET: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let Ok(extracted) = ingest::pdf::read(data) else { return };
    let Ok(bulletin) = ingest::parse_extracted(extracted, "fuzz.pdf", "fuzz", &SECTIONS) else { return };
    assert!(!bulletin.articles.is_empty(), "read, but no article");
    for article in &bulletin.articles {
        assert!(!article.title.chars().any(char::is_whitespace), "title {:?}", article.title);
        assert!(!article.text.contains("\n\n"), "empty paragraph in {:?}", article.text);
        assert_eq!(article.text.trim(), article.text, "untrimmed body");
        assert!(!article.text.contains('\r'), "carriage return in body");
    }
});
