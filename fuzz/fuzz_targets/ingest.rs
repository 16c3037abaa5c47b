//! Decoding, normalisation, re-joining and segmentation of arbitrary bytes
//! (`ingest::parse_bytes`): must never panic, hang or lose a readable file,
//! and what it returns must keep the article contract.
#![no_main]

use std::collections::HashSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policygraph::ingest::{self, SectionNames};

static SECTIONS: LazyLock<SectionNames> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../dictionaries/sections.csv");
    SectionNames::load(std::path::Path::new(path)).expect("dictionaries/sections.csv")
});

fuzz_target!(|data: &[u8]| {
    let Ok(bulletin) = ingest::parse_bytes(data, "fuzz.txt", "fuzz", &SECTIONS) else { return };
    // A file that was read yields articles (one with none is an error).
    assert!(!bulletin.articles.is_empty(), "read, but no article");
    let mut ids = HashSet::new();
    for article in &bulletin.articles {
        // `fuzz:NN`, or `fuzz#K:NN` for the K-th issue of a volume.
        let (stem, n) = article.id.rsplit_once(':').expect("id has a position");
        assert!(stem == "fuzz" || stem.strip_prefix("fuzz#").is_some_and(|k| k.parse::<usize>().is_ok_and(|k| k >= 2)), "{}", article.id);
        assert!(n.len() >= 2 && n.bytes().all(|b| b.is_ascii_digit()), "{}", article.id);
        assert!(ids.insert(article.id.as_str()));
        assert!(!article.title.chars().any(char::is_whitespace), "title {:?}", article.title);
        assert!(!article.title.is_empty() || !article.text.is_empty(), "empty article");
        // Paragraphs are trimmed, non-empty and joined by one line feed.
        assert!(!article.text.contains("\n\n"), "empty paragraph in {:?}", article.text);
        assert_eq!(article.text.trim(), article.text, "untrimmed body");
        assert!(!article.text.contains('\r'), "carriage return in body");
    }
});
