//! Word 2007+ documents (`.docx`): the paragraphs of `word/document.xml`.
//!
//! Each `w:p` is one paragraph (`w:t` text runs, `w:tab` a tab, `w:br` a
//! line break); a table row is one line, its cells separated by tabs.
//! Text boxes appear twice in the XML (`mc:Choice` and its `mc:Fallback`
//! for old readers): the fallback copy is left out. Headers, footers,
//! comments and deleted text (`w:delText`) live elsewhere and are not read.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::format::FormatError;
use super::zipped::{Archive, ENTRY_CAP};
use super::Extracted;

const FORMAT: &str = "DOCX";

/// Read a `.docx` file's text.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut archive = Archive::open(bytes, FORMAT)?;
    let Some(xml) = archive.read("word/document.xml", ENTRY_CAP)? else {
        return Err(FormatError::damaged(
            FORMAT,
            "no word/document.xml in the archive: not a Word document",
        ));
    };
    let text = paragraphs(&xml)?;
    if text.trim().is_empty() {
        return Err(FormatError::Empty(FORMAT));
    }
    Ok(Extracted {
        text,
        encoding: FORMAT,
        ..Extracted::default()
    })
}

/// The document's paragraphs and table rows, separated by blank lines.
fn paragraphs(xml: &[u8]) -> Result<String, FormatError> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::new();
    // The paragraph (or table row) being read.
    let mut line = String::new();
    let mut in_text = false;
    let mut tables = 0usize;
    // Depth inside `mc:Fallback`, whose content repeats `mc:Choice`.
    let mut fallback = 0usize;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            FormatError::damaged(
                FORMAT,
                format!("word/document.xml at byte {}: {e}", reader.error_position()),
            )
        })?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                b"Fallback" => fallback += 1,
                _ if fallback > 0 => {}
                b"t" => in_text = true,
                b"tbl" => {
                    flush(&mut out, &mut line);
                    tables += 1;
                }
                b"tab" => line.push('\t'),
                b"br" | b"cr" => line.push('\n'),
                _ => {}
            },
            Event::Empty(e) if fallback == 0 => match e.local_name().as_ref() {
                b"tab" => line.push('\t'),
                b"br" | b"cr" => line.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"Fallback" => fallback = fallback.saturating_sub(1),
                _ if fallback > 0 => {}
                b"t" => in_text = false,
                // Paragraphs inside a table cell run on within the row.
                b"p" if tables > 0 && !line.is_empty() && !line.ends_with(['\t', ' ']) => {
                    line.push(' ');
                }
                b"p" if tables > 0 => {}
                b"p" => flush(&mut out, &mut line),
                b"tc" => {
                    let kept = line.trim_end_matches(' ').len();
                    line.truncate(kept);
                    line.push('\t');
                }
                b"tr" => flush(&mut out, &mut line),
                b"tbl" => {
                    flush(&mut out, &mut line);
                    tables = tables.saturating_sub(1);
                }
                _ => {}
            },
            Event::Text(t) if in_text && fallback == 0 => {
                let text = t.decode().map_err(|e| FormatError::damaged(FORMAT, e))?;
                line.push_str(&text);
            }
            Event::GeneralRef(r) if in_text && fallback == 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    line.push(c);
                } else if let Ok(name) = r.decode() {
                    if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                        line.push_str(s);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    flush(&mut out, &mut line);
    Ok(out)
}

/// End the line being read: trimmed, and a blank line after it.
fn flush(out: &mut String, line: &mut String) {
    let trimmed = line.trim();
    if !trimmed.is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(trimmed);
    }
    line.clear();
}

#[cfg(test)]
mod tests {
    use super::super::zipped::tests::zip_of;
    use super::*;

    fn document(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", xml.as_bytes()),
        ])
    }

    #[test]
    fn paragraphs_runs_breaks_and_tables() {
        let bytes = document(
            r#"<w:p><w:r><w:t>关于</w:t></w:r><w:r><w:t xml:space="preserve">印发 &amp; 通知</w:t></w:r></w:p>
<w:p><w:r><w:t>一、</w:t><w:tab/><w:t>总则</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>
<w:p/>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>地区</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>金额</w:t></w:r></w:p><w:p><w:r><w:t>（万元）</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>南京市</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>500</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><mc:AlternateContent><mc:Choice><w:t>文本框</w:t></mc:Choice><mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#,
        );
        let got = read(&bytes).unwrap();
        assert_eq!(
            got.text,
            "关于印发 & 通知\n\n一、\t总则\n第二行\n\n地区\t金额 （万元）\n\n南京市\t500\n\n文本框"
        );
        assert_eq!(got.encoding, "DOCX");
    }

    #[test]
    fn bad_documents_are_named() {
        let err = read(b"\x01\x02random bytes, no zip").unwrap_err();
        assert!(
            err.to_string().starts_with("not a readable DOCX file"),
            "{err}"
        );
        let no_document = zip_of(&[("xl/workbook.xml", b"<a/>")]);
        assert!(read(&no_document)
            .unwrap_err()
            .to_string()
            .contains("no word/document.xml"));
        let broken = zip_of(&[("word/document.xml", b"<w:p><w:t>a</w:x></w:p>")]);
        assert!(read(&broken)
            .unwrap_err()
            .to_string()
            .starts_with("not a readable DOCX file: word/document.xml at byte"));
        assert_eq!(
            read(&document("<w:p/>")).unwrap_err(),
            FormatError::Empty("DOCX")
        );
    }
}
