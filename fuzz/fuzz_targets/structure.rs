//! Document structure on arbitrary text (`ingest::parse_extracted`): single
//! documents (headline, info lines, signature), digests of items, volumes of
//! several issues, with and without a format reader's headline and info
//! lines. Must never panic or hang, and what it returns must keep the
//! article contract.
#![no_main]

use std::collections::HashSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use policygraph::ingest::{self, Extracted, SectionNames};

static SECTIONS: LazyLock<SectionNames> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../dictionaries/sections.csv");
    SectionNames::load(std::path::Path::new(path)).expect("dictionaries/sections.csv")
});

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest).into_owned();
    // With the low bit set, the first two lines are a web page's headline
    // and info line, as the HTML reader gives them.
    let extracted = if flags & 1 == 1 {
        let mut lines = text.splitn(3, '\n');
        let title = lines.next().map(str::to_string);
        let meta = lines.next().map(str::to_string).into_iter().collect();
        Extracted { text: lines.next().unwrap_or("").to_string(), title, meta_lines: meta, encoding: "HTML", warnings: vec![] }
    } else {
        Extracted { text, encoding: "UTF-8", ..Extracted::default() }
    };
    let Ok(bulletin) = ingest::parse_extracted(extracted, "fuzz.txt", "fuzz", &SECTIONS) else { return };
    assert!(!bulletin.articles.is_empty(), "read, but no article");
    let mut ids = HashSet::new();
    for article in &bulletin.articles {
        assert!(ids.insert(article.id.as_str()), "duplicate id {}", article.id);
        assert!(!article.title.chars().any(char::is_whitespace), "title {:?}", article.title);
        assert!(!article.title.is_empty() || !article.text.is_empty(), "empty article");
        assert!(!article.text.contains("\n\n"), "empty paragraph in {:?}", article.text);
        assert!(!article.text.contains('\r'), "carriage return in body");
        // A publication date has a source, and only then.
        assert_eq!(article.published.is_some(), article.published_source.is_some());
    }
});
