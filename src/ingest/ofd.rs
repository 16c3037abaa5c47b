//! OFD documents (`.ofd`, GB/T 33190, the fixed-layout format of Chinese
//! e-government): a zip of XML. `OFD.xml` names the document
//! (`DocBody/DocRoot`), the document lists its pages (`Pages/Page@BaseLoc`),
//! and each page's `Content.xml` holds `TextObject`s whose `TextCode`
//! elements carry the text. Text objects follow one another in reading
//! order; one whose top edge (`Boundary`'s y) differs from the one before
//! starts a new line, and pages are separated by blank lines. The layout
//! stage re-joins the lines into paragraphs, as for PDFs.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::format::FormatError;
use super::zipped::{Archive, ENTRY_CAP};
use super::Extracted;

const FORMAT: &str = "OFD";

/// Pages read at most: a bound on the work a hostile document list asks.
const MAX_PAGES: usize = 10_000;

/// Read an `.ofd` file's text.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut archive = Archive::open(bytes, FORMAT)?;
    let Some(root) = archive.read("OFD.xml", ENTRY_CAP)? else {
        return Err(FormatError::damaged(FORMAT, "no OFD.xml in the archive"));
    };
    let doc_root = first_text(&root, b"DocRoot")?
        .ok_or_else(|| FormatError::damaged(FORMAT, "OFD.xml names no document (DocRoot)"))?;
    let doc_path = resolve("", &doc_root);
    let Some(document) = archive.read(&doc_path, ENTRY_CAP)? else {
        return Err(FormatError::damaged(
            FORMAT,
            format!("the document {doc_path} is missing"),
        ));
    };
    let doc_dir = doc_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let pages = page_locations(&document)?;
    let mut texts = Vec::new();
    let mut missing = 0;
    for location in pages.iter().take(MAX_PAGES) {
        let path = resolve(doc_dir, location);
        match archive.read(&path, ENTRY_CAP)? {
            Some(content) => texts.push(page_text(&content)?),
            None => missing += 1,
        }
    }
    let text = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.is_empty() {
        return Err(FormatError::Empty(FORMAT));
    }
    let mut warnings = Vec::new();
    if missing > 0 {
        warnings.push(format!(
            "read in part: {missing} of {} page(s) missing from the archive",
            pages.len()
        ));
    }
    Ok(Extracted {
        text,
        encoding: FORMAT,
        warnings,
        ..Extracted::default()
    })
}

/// A path inside the archive: absolute (`/Doc_0/…`) or relative to `dir`.
fn resolve(dir: &str, location: &str) -> String {
    let location = location.trim().replace('\\', "/");
    match location.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if dir.is_empty() => location,
        None => format!("{dir}/{location}"),
    }
}

fn damaged(what: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> FormatError {
    FormatError::damaged(
        FORMAT,
        format!("{what} at byte {}: {e}", reader.error_position()),
    )
}

/// The text of the first element named `local` (any namespace prefix).
fn first_text(xml: &[u8], local: &[u8]) -> Result<Option<String>, FormatError> {
    let mut reader = Reader::from_reader(xml);
    let mut inside = false;
    let mut out = String::new();
    loop {
        match reader.read_event() {
            Err(e) => return Err(damaged("OFD.xml", &reader, e)),
            Ok(Event::Start(e)) if e.local_name().as_ref() == local => inside = true,
            Ok(Event::End(e)) if inside && e.local_name().as_ref() == local => {
                return Ok(Some(out));
            }
            Ok(Event::Text(t)) if inside => {
                out.push_str(&t.decode().map_err(|e| FormatError::damaged(FORMAT, e))?);
            }
            Ok(Event::Eof) => return Ok(None),
            _ => {}
        }
    }
}

/// `BaseLoc` of every `Page` of the document, in order.
fn page_locations(xml: &[u8]) -> Result<Vec<String>, FormatError> {
    let mut reader = Reader::from_reader(xml);
    let mut pages = Vec::new();
    loop {
        match reader.read_event() {
            Err(e) => return Err(damaged("Document.xml", &reader, e)),
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Page" => {
                if let Some(loc) = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"BaseLoc")
                {
                    pages.push(String::from_utf8_lossy(&loc.value).into_owned());
                }
            }
            Ok(Event::Eof) => return Ok(pages),
            _ => {}
        }
    }
}

/// The text of one page: text objects in order, a new line where one's
/// top edge moves.
fn page_text(xml: &[u8]) -> Result<String, FormatError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    let mut last_top: Option<f64> = None;
    let mut in_code = false;
    loop {
        match reader.read_event() {
            Err(e) => return Err(damaged("a page", &reader, e)),
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"TextObject" => {
                    let top = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"Boundary")
                        .and_then(|a| {
                            String::from_utf8_lossy(&a.value)
                                .split_whitespace()
                                .nth(1)
                                .and_then(|y| y.parse::<f64>().ok())
                        });
                    let moved = match (last_top, top) {
                        (Some(a), Some(b)) => (a - b).abs() > 1.0,
                        _ => true,
                    };
                    if moved && !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    last_top = top.or(last_top);
                }
                b"TextCode" => in_code = true,
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == b"TextCode" => in_code = false,
            Ok(Event::Text(t)) if in_code => {
                out.push_str(&t.decode().map_err(|e| FormatError::damaged(FORMAT, e))?);
            }
            Ok(Event::GeneralRef(r)) if in_code => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Ok(name) = r.decode() {
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        out.push_str(s);
                    }
                }
            }
            Ok(Event::Eof) => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::zipped::tests::zip_of;
    use super::*;

    fn text_object(y: f64, text: &str) -> String {
        format!(
            r#"<ofd:TextObject ID="1" Boundary="20 {y} 170 6" Font="3" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">{text}</ofd:TextCode></ofd:TextObject>"#
        )
    }

    #[test]
    fn pages_lines_and_text_codes() {
        let page = |objects: &[(f64, &str)]| {
            let body: String = objects.iter().map(|(y, t)| text_object(*y, t)).collect();
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2">{body}</ofd:Layer></ofd:Content></ofd:Page>"#
            )
        };
        let page1 = page(&[
            (20.0, "关于组织申报"),
            (20.0, "2023年度项目的通知"),
            (40.0, "各设区市科技局："),
        ]);
        let page2 = page(&[(20.0, "南京市 &amp; 苏州市")]);
        let bytes = zip_of(&[
            ("OFD.xml", br#"<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#),
            ("Doc_0/Document.xml", br#"<?xml version="1.0"?><ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="5" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>"#),
            ("Doc_0/Pages/Page_0/Content.xml", page1.as_bytes()),
            ("Doc_0/Pages/Page_1/Content.xml", page2.as_bytes()),
        ]);
        let got = read(&bytes).unwrap();
        assert_eq!(
            got.text,
            "关于组织申报2023年度项目的通知\n各设区市科技局：\n\n南京市 & 苏州市"
        );
        assert_eq!(got.encoding, "OFD");
    }

    #[test]
    fn broken_archives_are_named() {
        let no_root = zip_of(&[("Doc_0/Document.xml", b"<a/>")]);
        assert_eq!(
            read(&no_root).unwrap_err().to_string(),
            "not a readable OFD file: no OFD.xml in the archive"
        );
        let no_doc = zip_of(&[(
            "OFD.xml",
            b"<OFD><DocBody><DocRoot>Doc_0/Document.xml</DocRoot></DocBody></OFD>",
        )]);
        assert_eq!(
            read(&no_doc).unwrap_err().to_string(),
            "not a readable OFD file: the document Doc_0/Document.xml is missing"
        );
        assert!(read(b"random").is_err());
    }
}
