//! The HTML reader on arbitrary bytes (`ingest::html::read`): must never
//! panic, hang or run out of memory, and what it reads must go through
//! segmentation (`ingest::parse_extracted`) and keep the article contract.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policygraph::ingest::{self, SectionNames};

static SECTIONS: LazyLock<SectionNames> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../dictionaries/sections.csv");
    SectionNames::load(std::path::Path::new(path)).expect("dictionaries/sections.csv")
});

fuzz_target!(|data: &[u8]| {
    let Ok(extracted) = ingest::html::read(data) else { return };
    let Ok(bulletin) = ingest::parse_extracted(extracted, "fuzz.html", "fuzz", &SECTIONS) else { return };
    assert!(!bulletin.articles.is_empty(), "read, but no article");
    for article in &bulletin.articles {
        assert!(!article.title.chars().any(char::is_whitespace), "title {:?}", article.title);
        assert!(!article.text.contains("\n\n"), "empty paragraph in {:?}", article.text);
        assert_eq!(article.text.trim(), article.text, "untrimmed body");
        assert!(!article.text.contains('\r'), "carriage return in body");
    }
});
