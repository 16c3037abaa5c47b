//! PDF files: the text layer, page by page.
//!
//! `lopdf` parses the file and `pdf-extract` lays its text out in lines by
//! position, through the fonts' ToUnicode maps (CID fonts included), which
//! is what Chinese PDFs need; lopdf's own `extract_text` breaks a line at
//! every change of font, `2023 年` becoming three lines.
//!
//! Neither crate was written for hostile files, so this module stands
//! between them and the bytes:
//!
//! - every compressed stream is inflated here first, through a cap
//!   ([`STREAM_CAP`], and [`TOTAL_CAP`] for the whole file), before lopdf
//!   (which inflates object streams while loading, without a limit) sees it;
//! - the page tree and form XObjects are checked for loops and depth, which
//!   pdf-extract follows by recursion (a loop would overflow the stack, which
//!   no `catch_unwind` can stop);
//! - images are emptied before text extraction: pdf-extract runs an image's
//!   bytes through the content-stream parser when a page draws it;
//! - both crates run under `catch_unwind`: a panic is a named skip. They
//!   log through the `log` crate, which this program never sets up, so they
//!   print nothing.
//!
//! A PDF whose pages hold no text (a scan) is named as such, with the OCR
//! command that gives it a text layer.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::format::FormatError;
use super::Extracted;

const FORMAT: &str = "PDF";

/// The most one stream may inflate to. A page's content stream is rarely
/// over a few megabytes; pdf-extract holds a stream's operators in memory
/// at several times its size.
pub const STREAM_CAP: u64 = 32 << 20;
/// The most all streams of a file together may inflate to.
pub const TOTAL_CAP: u64 = 256 << 20;
/// Deepest page tree (`/Parent` chain) and form XObject nesting accepted.
const MAX_DEPTH: usize = 32;

/// Read a PDF's text layer.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    check_streams(bytes)?;
    match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result,
        Err(_) => Err(FormatError::damaged(
            FORMAT,
            "the PDF parser failed on it (a damaged or unusual file)",
        )),
    }
}

fn extract(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| FormatError::damaged(FORMAT, e))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(FormatError::Encrypted);
    }
    check_page_tree(&doc)?;
    check_forms(&doc)?;
    let images = empty_images(&mut doc);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(FormatError::damaged(FORMAT, "it has no pages"));
    }
    let mut texts = Vec::with_capacity(pages.len());
    let mut failed = Vec::new();
    for &page in &pages {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        match pdf_extract::output_doc_page(&doc, &mut output, page) {
            Ok(()) => texts.push(text),
            Err(_) => failed.push(page),
        }
    }
    let text = texts
        .iter()
        .map(|t| unspace_cjk(t.trim()))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.is_empty() {
        if !failed.is_empty() {
            return Err(FormatError::damaged(FORMAT, "no page could be read"));
        }
        return Err(if images > 0 {
            FormatError::NoTextLayer
        } else {
            FormatError::Empty(FORMAT)
        });
    }
    let mut warnings = Vec::new();
    if !failed.is_empty() {
        warnings.push(format!(
            "read in part: {} of {} page(s) could not be read (page {})",
            failed.len(),
            pages.len(),
            failed
                .iter()
                .take(10)
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Extracted {
        text,
        encoding: FORMAT,
        warnings,
        ..Extracted::default()
    })
}

/// Inflate every zlib stream of the raw file through the caps, nested
/// filters (`[/FlateDecode /FlateDecode]`) included, and LZW streams too.
fn check_streams(bytes: &[u8]) -> Result<(), FormatError> {
    let mut total = 0u64;
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream") {
        let keyword = from + at;
        from = keyword + b"stream".len();
        if keyword >= 3 && &bytes[keyword - 3..keyword] == b"end" {
            continue;
        }
        let mut start = from;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        if start == from {
            continue; // `stream` inside some other word or string
        }
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |n| start + n);
        let data = &bytes[start..end];
        let dict = &bytes[keyword.saturating_sub(512)..keyword];
        let size = if find(dict, b"LZWDecode").is_some() {
            lzw_size(data)
        } else {
            zlib_size(data)
        };
        if size > STREAM_CAP {
            return Err(FormatError::TooLarge {
                what: format!("a stream at byte {start}"),
                cap: STREAM_CAP,
            });
        }
        total += size;
        if total > TOTAL_CAP {
            return Err(FormatError::TooLarge {
                what: "its streams together".into(),
                cap: TOTAL_CAP,
            });
        }
        from = end;
    }
    Ok(())
}

/// Bytes `data` inflates to as zlib, up to one past [`STREAM_CAP`], through
/// up to four nested layers; 0 if it is not zlib.
fn zlib_size(data: &[u8]) -> u64 {
    let mut layers = 0;
    let mut size = 0;
    loop {
        let mut reader: Box<dyn Read> = Box::new(data);
        for _ in 0..=layers {
            reader = Box::new(flate2::read::ZlibDecoder::new(reader));
        }
        let mut head = [0u8; 2];
        let mut got = 0;
        let mut n = 0u64;
        let mut buf = vec![0u8; 64 << 10];
        let mut limited = reader.take(STREAM_CAP + 1);
        loop {
            match limited.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(k) => {
                    if got < 2 {
                        let take = (2 - got).min(k);
                        head[got..got + take].copy_from_slice(&buf[..take]);
                        got += take;
                    }
                    n += k as u64;
                }
            }
        }
        if n == 0 {
            return size;
        }
        size = size.max(n);
        layers += 1;
        if size > STREAM_CAP || layers == 4 || !(got == 2 && is_zlib_header(head)) {
            return size;
        }
    }
}

fn is_zlib_header(h: [u8; 2]) -> bool {
    h[0] & 0x0f == 8 && (u16::from(h[0]) << 8 | u16::from(h[1])) % 31 == 0
}

/// Bytes an LZW stream decodes to, up to one past [`STREAM_CAP`].
fn lzw_size(data: &[u8]) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            if self.0 > STREAM_CAP {
                return Err(std::io::Error::other("past the cap"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let mut decoder = weezl::decode::Decoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8);
    let _ = decoder.into_stream(&mut count).decode_all(data);
    count.0
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// `obj`, references followed (a few times at most: references to
/// references are legal, loops of them are not).
fn deref<'a>(doc: &'a Document, mut obj: &'a Object) -> Option<&'a Object> {
    for _ in 0..8 {
        match obj {
            Object::Reference(id) => obj = doc.get_object(*id).ok()?,
            other => return Some(other),
        }
    }
    None
}

fn dict_of<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Every page's `/Parent` chain ends, and not too deep: pdf-extract climbs
/// it by recursion for inherited resources.
fn check_page_tree(doc: &Document) -> Result<(), FormatError> {
    let mut ended: HashSet<ObjectId> = HashSet::new();
    for (_, id) in doc.get_pages() {
        let mut seen = HashSet::new();
        let mut current = Some(id);
        while let Some(node) = current {
            if ended.contains(&node) {
                break;
            }
            if !seen.insert(node) {
                return Err(FormatError::damaged(
                    FORMAT,
                    "its page tree loops back on itself",
                ));
            }
            if seen.len() > MAX_DEPTH {
                return Err(FormatError::damaged(
                    FORMAT,
                    "its page tree is nested too deep",
                ));
            }
            current = doc
                .get_object(node)
                .ok()
                .and_then(|o| dict_of(doc, o))
                .and_then(|d| d.get(b"Parent").ok())
                .and_then(|p| p.as_reference().ok());
        }
        ended.extend(seen);
    }
    Ok(())
}

/// Form XObjects may draw other forms, which pdf-extract follows by
/// recursion: a form that draws itself (directly or not) or forms nested
/// past [`MAX_DEPTH`] are refused. A form without resources of its own
/// uses its page's, so it may draw any form a page can.
fn check_forms(doc: &Document) -> Result<(), FormatError> {
    let xobjects_of = |resources: Option<&Object>| -> Vec<ObjectId> {
        resources
            .and_then(|r| dict_of(doc, r))
            .and_then(|r| r.get(b"XObject").ok())
            .and_then(|x| dict_of(doc, x))
            .map(|x| {
                x.iter()
                    .filter_map(|(_, v)| v.as_reference().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut forms: HashMap<ObjectId, Option<Vec<ObjectId>>> = HashMap::new();
    for (id, obj) in &doc.objects {
        if let Object::Stream(s) = obj {
            let is_form = s
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Form");
            if is_form {
                let own = s.dict.get(b"Resources").ok();
                forms.insert(*id, own.map(|r| xobjects_of(Some(r))));
            }
        }
    }
    if forms.is_empty() {
        return Ok(());
    }
    // Forms any page can draw, for forms without resources of their own.
    let mut from_pages: Vec<ObjectId> = Vec::new();
    for (_, page) in doc.get_pages() {
        let mut node = doc.get_object(page).ok().and_then(|o| dict_of(doc, o));
        for _ in 0..MAX_DEPTH {
            let Some(d) = node else { break };
            from_pages.extend(xobjects_of(d.get(b"Resources").ok()));
            node = d.get(b"Parent").ok().and_then(|p| dict_of(doc, p));
        }
    }
    from_pages.sort();
    from_pages.dedup();
    let children = |id: &ObjectId| -> Vec<ObjectId> {
        match forms.get(id) {
            Some(Some(own)) => own
                .iter()
                .filter(|c| forms.contains_key(c))
                .copied()
                .collect(),
            Some(None) => from_pages
                .iter()
                .filter(|c| forms.contains_key(c))
                .copied()
                .collect(),
            None => Vec::new(),
        }
    };
    // Depth-first, iterative: 0 unvisited, 1 on the path, 2 done.
    let mut state: HashMap<ObjectId, u8> = HashMap::new();
    for &start in forms.keys() {
        if state.contains_key(&start) {
            continue;
        }
        let mut path: Vec<(ObjectId, Vec<ObjectId>)> = vec![(start, children(&start))];
        state.insert(start, 1);
        while let Some((node, pending)) = path.last_mut() {
            let node = *node;
            match pending.pop() {
                Some(child) => match state.get(&child) {
                    Some(1) => {
                        return Err(FormatError::damaged(
                            FORMAT,
                            "a form XObject draws itself (a loop)",
                        ))
                    }
                    Some(_) => {}
                    None => {
                        if path.len() >= MAX_DEPTH {
                            return Err(FormatError::damaged(
                                FORMAT,
                                "form XObjects are nested too deep",
                            ));
                        }
                        state.insert(child, 1);
                        let next = children(&child);
                        path.push((child, next));
                    }
                },
                None => {
                    state.insert(node, 2);
                    path.pop();
                }
            }
        }
    }
    Ok(())
}

/// Empty every image stream; returns how many there were.
fn empty_images(doc: &mut Document) -> usize {
    let mut n = 0;
    for obj in doc.objects.values_mut() {
        if let Object::Stream(s) = obj {
            let is_image = s
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Image");
            if is_image {
                s.set_plain_content(Vec::new());
                n += 1;
            }
        }
    }
    n
}

/// Drop the spaces a PDF puts between Chinese characters and the digits or
/// letters beside them (`申报 2023 年度` → `申报2023年度`): typesetting, not
/// text. Spaces between two Latin words stay.
fn unspace_cjk(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() {
            let (a, b) = (chars[i - 1], chars[i + 1]);
            if (is_cjk(a) && (is_cjk(b) || b.is_ascii_alphanumeric()))
                || (is_cjk(b) && a.is_ascii_alphanumeric())
            {
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn spaces_beside_chinese_go_latin_ones_stay() {
        assert_eq!(
            unspace_cjk("申报 2023 年度，共 5000 万元 Open Source"),
            "申报2023年度，共5000万元Open Source"
        );
    }

    #[test]
    fn streams_past_the_cap_are_refused_before_parsing() {
        let small = deflate(b"BT (Hello) Tj ET");
        let mut pdf = b"%PDF-1.4\n1 0 obj << /Filter /FlateDecode >> stream\n".to_vec();
        pdf.extend(&small);
        pdf.extend(b"\nendstream endobj\n");
        assert!(check_streams(&pdf).is_ok());
        // Zeros past the cap, deflated twice: each layer looks harmless.
        let bomb = deflate(&deflate(&vec![0u8; (STREAM_CAP + 1024) as usize]));
        assert!(bomb.len() < 1 << 20);
        let mut pdf =
            b"%PDF-1.4\n1 0 obj << /Filter [/FlateDecode /FlateDecode] >> stream\r\n".to_vec();
        pdf.extend(&bomb);
        pdf.extend(b"\nendstream endobj\n");
        let err = check_streams(&pdf).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a stream at byte 67 inflates to more than 32 MB"),
            "{err}"
        );
    }

    #[test]
    fn garbage_and_truncated_files_are_named() {
        let err = read(b"%PDF-1.7\n garbage \x00\x01\x02").unwrap_err();
        assert!(
            err.to_string().starts_with("not a readable PDF file"),
            "{err}"
        );
        let good = include_bytes!("../../tests/data/formats/notice.pdf");
        let err = read(&good[..good.len() / 2]);
        assert!(err.is_err() || err.is_ok_and(|e| !e.text.is_empty()));
    }

    #[test]
    fn a_chinese_pdf_reads_as_lines() {
        let good = include_bytes!("../../tests/data/formats/notice.pdf");
        let got = read(good).unwrap();
        assert!(
            got.text
                .starts_with("江苏省科学技术厅关于组织申报2023年度省科技创新券的通知\n"),
            "{}",
            got.text
        );
        assert!(
            got.text.contains("省财政安排专项资金5000万元"),
            "{}",
            got.text
        );
    }
}
