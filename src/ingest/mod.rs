//! Ingest: bulletin files → articles.
//!
//! [`decode`] turns bytes into text whatever the encoding, [`normalize`]
//! evens out line ends and character widths, [`layout`] undoes hard wrapping
//! into blocks, and [`segment`] (with [`header`] and [`toc`]) finds the
//! header, the contents, the sections and the articles. [`walk`] turns the
//! command line's files and directories into the list of files to read.

pub mod decode;
pub mod header;
pub mod layout;
pub mod normalize;
pub mod sections;
pub mod segment;
pub mod toc;
pub mod walk;

use std::path::Path;

pub use decode::DecodeError;
pub use sections::SectionNames;
pub use walk::{discover, InputFile, Skipped};

use crate::record::{Article, BulletinMeta};

/// One bulletin, read and segmented.
#[derive(Debug, Clone, PartialEq)]
pub struct Bulletin {
    pub source: String,
    pub meta: BulletinMeta,
    pub articles: Vec<Article>,
    /// The encoding the file was decoded from.
    pub encoding: &'static str,
    /// A problem worth telling although the file was read.
    pub warning: Option<String>,
}

/// Why a file was skipped.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read: {0}")]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Decode(#[from] DecodeError),
}

/// Read, decode and segment one file. `id_stem` prefixes article ids.
pub fn read_file(path: &Path, source: &str, id_stem: &str, sections: &SectionNames) -> Result<Bulletin, IngestError> {
    let bytes = std::fs::read(path)?;
    parse_bytes(&bytes, source, id_stem, sections)
}

/// Decode and segment one file's bytes.
pub fn parse_bytes(bytes: &[u8], source: &str, id_stem: &str, sections: &SectionNames) -> Result<Bulletin, IngestError> {
    let decoded = decode::decode(bytes)?;
    let mut bulletin = parse_text(&decoded.text, source, id_stem, sections);
    bulletin.encoding = decoded.encoding;
    bulletin.warning = decoded.warning;
    Ok(bulletin)
}

/// Segment decoded text.
pub fn parse_text(text: &str, source: &str, id_stem: &str, sections: &SectionNames) -> Bulletin {
    let text = normalize::normalize(text);
    let blocks = layout::blocks(&text);
    let segmented = segment::segment(&blocks, sections);
    let articles = segmented
        .articles
        .into_iter()
        .enumerate()
        .map(|(i, s)| Article {
            id: format!("{id_stem}:{:02}", i + 1),
            source: source.to_string(),
            bulletin: segmented.meta.clone(),
            section: s.section,
            title: s.title,
            text: s.paragraphs.join("\n"),
        })
        .collect();
    Bulletin { source: source.to_string(), meta: segmented.meta, articles, encoding: "UTF-8", warning: None }
}

/// The comparison key of a title or heading: whitespace removed, ASCII and
/// full-width brackets unified, so that the contents' `长三角(上海)` finds the
/// body's `长三角（上海）`.
pub fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '"' | '＂' => '"',
            c => c,
        })
        .collect()
}
