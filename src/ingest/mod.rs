//! Ingest: bulletin files → articles.
//!
//! [`decode`] turns bytes into text whatever the encoding, [`normalize`]
//! evens out line ends and character widths, [`layout`] undoes hard wrapping
//! into blocks, and [`segment`] (with [`header`] and [`toc`]) finds the
//! header, the contents, the sections and the articles. [`walk`] turns the
//! command line's files and directories into the list of files to read.
//!
//! Files that are not plain text go through a format reader first
//! ([`format`] tells which: [`html`], [`pdf`], [`docx`], [`ofd`]), which gives an
//! [`Extracted`] text for [`parse_extracted`].

pub mod decode;
pub mod document;
pub mod docx;
pub mod format;
pub mod header;
pub mod html;
pub mod items;
pub mod layout;
pub mod normalize;
pub mod ofd;
pub mod pdf;
pub mod sections;
pub mod segment;
pub mod toc;
pub mod volume;
pub mod walk;
mod zipped;

use std::borrow::Cow;
use std::path::Path;

pub use decode::DecodeError;
pub use format::{Format, FormatError};
pub use sections::SectionNames;
pub use walk::{discover, discover_inputs, Discovery, InputFile, Skipped};

use chrono::Datelike;

use crate::record::{Article, BulletinMeta, DateSource};

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
    #[error("cannot read: {}", walk::describe_io(.0))]
    Read(#[from] std::io::Error),
    #[error("{0}")]
    Decode(#[from] DecodeError),
    /// A PDF, Word or HTML file that its reader could not use.
    #[error("{0}")]
    Format(#[from] FormatError),
    /// Decoded, but nothing in it is an article.
    #[error("{0}")]
    NoArticle(&'static str),
}

/// Text read out of one file, with what the file's format said about the
/// document. A `.txt` file gives its decoded text and nothing else; a saved
/// web page also gives its headline and the info line under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// The document's text, one paragraph or line per line.
    pub text: String,
    /// The headline, where the format marks it (HTML `ArticleTitle`, `<h1>`).
    pub title: Option<String>,
    /// Metadata lines the format keeps apart from the text, as printed
    /// (`发布时间：2023-06-09 来源：省政府办公厅`), for the structure stage to parse.
    pub meta_lines: Vec<String>,
    /// How the text was read: an encoding (`UTF-8`, `GBK`) or a format (`HTML`, `PDF`).
    pub encoding: &'static str,
    /// Problems worth telling although the file was read.
    pub warnings: Vec<String>,
}

/// Read, decode and segment one file. `id_stem` prefixes article ids. The
/// format is the one the file's name claims unless its first bytes say
/// otherwise (a PDF saved as `.txt`); a name policygraph does not know is
/// read as text.
pub fn read_file(
    path: &Path,
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Result<Bulletin, IngestError> {
    let bytes = std::fs::read(path)?;
    match Format::sniff(&bytes, Format::of_named(path)) {
        Format::Text => parse_owned(bytes, source, id_stem, sections),
        format => {
            let extracted = read_format(&bytes, format)?;
            drop(bytes);
            parse_extracted(extracted, source, id_stem, sections)
        }
    }
}

/// The text of a file in `format` (not plain text: that is decoded).
pub fn read_format(bytes: &[u8], format: Format) -> Result<Extracted, FormatError> {
    match format {
        Format::Html => html::read(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Docx => docx::read(bytes),
        Format::Ofd => ofd::read(bytes),
        Format::Unsupported(what) => Err(FormatError::Unsupported(what)),
        Format::Text => match decode::decode(bytes) {
            Ok(d) => Ok(Extracted {
                text: d.text,
                encoding: d.encoding,
                warnings: d.warning.into_iter().collect(),
                ..Extracted::default()
            }),
            Err(e) => Err(FormatError::damaged("text", e)),
        },
    }
}

/// Segment text that a format reader extracted: its headline and metadata
/// lines are used as such, not as printed text.
pub fn parse_extracted(
    extracted: Extracted,
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Result<Bulletin, IngestError> {
    let Extracted {
        text,
        title,
        meta_lines,
        encoding,
        warnings,
    } = extracted;
    let hints = document::Hints { title, meta_lines };
    let mut bulletin = segment_text(text, &hints, source, id_stem, sections)?;
    bulletin.encoding = encoding;
    bulletin.warning = (!warnings.is_empty()).then(|| warnings.join("; "));
    Ok(bulletin)
}

/// Decode and segment one file's bytes. A file that decodes but holds no
/// article (only blank lines, or only a header and contents) is an error
/// too: the caller reports it by name rather than count it as read.
pub fn parse_bytes(
    bytes: &[u8],
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Result<Bulletin, IngestError> {
    parse_owned(bytes.to_vec(), source, id_stem, sections)
}

/// [`parse_bytes`] on a buffer it may reuse: each stage frees the previous
/// stage's copy of the text as soon as it has its own, so a huge file costs
/// about twice its size at the peak, not once per stage.
fn parse_owned(
    bytes: Vec<u8>,
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Result<Bulletin, IngestError> {
    let decoded = decode::decode_owned(bytes)?;
    let mut bulletin = segment_text(
        decoded.text,
        &document::Hints::default(),
        source,
        id_stem,
        sections,
    )?;
    bulletin.encoding = decoded.encoding;
    bulletin.warning = decoded.warning;
    Ok(bulletin)
}

/// Normalise and segment decoded text; no article is an error.
fn segment_text(
    text: String,
    hints: &document::Hints,
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Result<Bulletin, IngestError> {
    let text = match normalize::normalize(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(normalised) => normalised,
    };
    let text = match volume::unglue(&text, sections) {
        Cow::Borrowed(_) => text,
        Cow::Owned(unglued) => unglued,
    };
    let blocks = layout::blocks(&text);
    if blocks.is_empty() {
        drop(text);
        return Err(IngestError::NoArticle(
            "no text: only blank lines, spaces or page numbers",
        ));
    }
    let chunks = volume::split(&text, blocks, sections);
    drop(text);
    let bulletin = assemble_all(chunks, hints, source, id_stem, sections);
    if bulletin.articles.is_empty() {
        return Err(IngestError::NoArticle(
            "no article found: only a bulletin header, a table of contents or repeated page headers",
        ));
    }
    Ok(bulletin)
}

/// Segment decoded text.
pub fn parse_text(text: &str, source: &str, id_stem: &str, sections: &SectionNames) -> Bulletin {
    let text = normalize::normalize(text);
    let blocks = layout::blocks(&text);
    let chunks = volume::split(&text, blocks, sections);
    assemble_all(
        chunks,
        &document::Hints::default(),
        source,
        id_stem,
        sections,
    )
}

/// Each issue of a file (most files hold one) segmented as what it is, a
/// bulletin or a single document, into articles with ids and metadata. The
/// first issue's articles are `STEM:NN`, a later issue's `STEM#K:NN`, so
/// that each issue is a bulletin of its own in the graph.
fn assemble_all(
    chunks: Vec<Vec<layout::Block>>,
    hints: &document::Hints,
    source: &str,
    id_stem: &str,
    sections: &SectionNames,
) -> Bulletin {
    let mut out = Bulletin {
        source: source.to_string(),
        meta: BulletinMeta::default(),
        articles: Vec::new(),
        encoding: "UTF-8",
        warning: None,
    };
    let single = chunks.len() == 1;
    for (k, chunk) in chunks.into_iter().enumerate() {
        let stem = if k == 0 {
            id_stem.to_string()
        } else {
            format!("{id_stem}#{}", k + 1)
        };
        let hinted = single && (hints.title.is_some() || !hints.meta_lines.is_empty());
        let is_document = hinted
            || (!segment::has_bulletin_header(&chunk) && document::looks_like_document(&chunk));
        if is_document {
            let none = document::Hints::default();
            let mut doc = document::segment(chunk, if single { hints } else { &none });
            if doc.title.is_empty() && doc.paragraphs.is_empty() {
                continue;
            }
            let (published, published_source) = doc
                .published
                .map_or((None, None), |(d, s)| (Some(d), Some(s)));
            // A chronicle's or digest's page: one article per item.
            if header::is_masthead(&doc.title) {
                let at = items::year_month(&doc.title).or(published.map(|d| (d.year(), d.month())));
                match segment::document_items(doc.paragraphs, at) {
                    Ok(items) => {
                        let meta = BulletinMeta {
                            title: Some(doc.title.clone()),
                            date: published,
                            ..BulletinMeta::default()
                        };
                        if k == 0 {
                            out.meta = meta.clone();
                        }
                        let segmented = segment::Segmented {
                            meta,
                            toc: Default::default(),
                            articles: items,
                        };
                        out.articles.extend(articles_of(segmented, source, &stem));
                        continue;
                    }
                    Err(paragraphs) => doc.paragraphs = paragraphs,
                }
            }
            let meta = BulletinMeta {
                date: published,
                ..BulletinMeta::default()
            };
            if k == 0 {
                out.meta = meta.clone();
            }
            out.articles.push(Article {
                id: format!("{stem}:01"),
                source: source.to_string(),
                bulletin: meta,
                section: None,
                title: doc.title,
                text: doc.paragraphs.join("\n"),
                published,
                published_source,
                item_date: None,
                document: (!doc.meta.is_empty()).then_some(doc.meta),
            });
        } else {
            let segmented = segment::segment(chunk, sections);
            if k == 0 {
                out.meta = segmented.meta.clone();
            }
            out.articles.extend(articles_of(segmented, source, &stem));
        }
    }
    out
}

/// A bulletin's segments → articles with ids and the bulletin's metadata.
fn articles_of(segmented: segment::Segmented, source: &str, id_stem: &str) -> Vec<Article> {
    let meta = segmented.meta;
    segmented
        .articles
        .into_iter()
        .enumerate()
        .map(|(i, mut s)| Article {
            id: format!("{id_stem}:{:02}", i + 1),
            source: source.to_string(),
            bulletin: meta.clone(),
            section: s.section,
            title: s.title,
            // One paragraph (the common case for a huge one) moves as it is.
            text: if s.paragraphs.len() == 1 {
                s.paragraphs.pop().unwrap_or_default()
            } else {
                s.paragraphs.join("\n")
            },
            published: meta.date,
            published_source: meta.date.map(|_| DateSource::Bulletin),
            item_date: s.date,
            document: None,
        })
        .collect()
}

/// The comparison key of a title or heading: whitespace removed, ASCII and
/// full-width brackets unified, so that the contents' `长三角(上海)` finds the
/// body's `长三角（上海）`.
pub fn key(text: &str) -> String {
    // Runs of characters the key keeps as they are are copied whole.
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let k = key_char(c);
        if k != Some(c) {
            out.push_str(&text[run..i]);
            out.extend(k);
            run = i + c.len_utf8();
        }
    }
    out.push_str(&text[run..]);
    out
}

/// [`key`]`(text)` if it has at most `max_chars` characters, else `None`;
/// stops reading `text` as soon as the key is too long, so asking about a
/// huge paragraph costs no copy of it.
pub fn key_within(text: &str, max_chars: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len().min(4 * max_chars));
    let mut n = 0;
    for c in key_chars(text) {
        n += 1;
        if n > max_chars {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

/// `key(text) == k`, without building the key of `text`.
pub fn key_eq(text: &str, k: &str) -> bool {
    key_chars(text).eq(k.chars())
}

fn key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter_map(key_char)
}

/// One character of a key: `None` for whitespace, brackets and colons unified.
#[inline]
fn key_char(c: char) -> Option<char> {
    match c {
        '（' => Some('('),
        '）' => Some(')'),
        '：' => Some(':'),
        '"' | '＂' => Some('"'),
        c if c.is_whitespace() => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::{key, key_eq, key_within};

    #[test]
    fn files_are_read_by_what_they_are_not_what_they_are_called() {
        let sections = super::SectionNames::default();
        let dir = tempfile::tempdir().unwrap();
        let pdf = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/notice.pdf"),
        )
        .unwrap();
        let renamed = dir.path().join("notice.txt");
        std::fs::write(&renamed, &pdf).unwrap();
        let read = super::read_file(&renamed, "notice.txt", "notice", &sections).unwrap();
        assert_eq!(read.encoding, "PDF");
        let old_word = dir.path().join("a.doc");
        std::fs::write(&old_word, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0").unwrap();
        let err = super::read_file(&old_word, "a.doc", "a", &sections).unwrap_err();
        assert!(err
            .to_string()
            .contains("libreoffice --headless --convert-to docx"));
    }

    #[test]
    fn keys_drop_whitespace_and_unify_brackets() {
        assert_eq!(
            key(" 长三角（上海） 互联网医院：一期 "),
            "长三角(上海)互联网医院:一期"
        );
        assert_eq!(key("＂双百＂行动"), "\"双百\"行动");
        assert_eq!(key("经济热点"), "经济热点");
        assert_eq!(
            key_within("长三角（上海）", 7).as_deref(),
            Some("长三角(上海)")
        );
        assert_eq!(key_within("长三角（上海）", 6), None);
        assert!(key_eq("长三角 (上海)", "长三角(上海)"));
    }
}
