//! Which format a file is in, and why a format reader gave up on one.
//!
//! The extension says what a researcher saved the file as; the first bytes
//! say what it is. Files are often renamed (a PDF saved as `.txt`, a `.docx`
//! renamed `.doc`), so a known signature wins over the name.

use std::path::Path;

/// A file format policygraph knows about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text in any encoding `decode` detects.
    Text,
    /// A saved web page.
    Html,
    /// A PDF's text layer.
    Pdf,
    /// A Word 2007+ document (a zip of XML).
    Docx,
    /// A Chinese fixed-layout document (GB/T 33190, a zip of XML).
    Ofd,
    /// Known, but not read: it must be converted first.
    Unsupported(Unsupported),
}

/// A document format that is named and skipped, with the way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsupported {
    /// Word 97-2003 `.doc` (OLE2 compound file).
    Doc,
    /// WPS Office `.wps` (OLE2 compound file).
    Wps,
}

impl Unsupported {
    /// Why it is not read and the command that converts it.
    pub fn reason(self) -> &'static str {
        match self {
            Unsupported::Doc => {
                "old Word .doc format is not read: convert it first, e.g. `libreoffice --headless --convert-to docx FILE`"
            }
            Unsupported::Wps => {
                "WPS .wps format is not read: convert it first, e.g. `libreoffice --headless --convert-to docx FILE` (or save as .docx in WPS)"
            }
        }
    }
}

impl Format {
    /// The format a file's name claims, or `None` for a file that is no
    /// document format policygraph reads or names (an image, a spreadsheet).
    pub fn by_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => Format::Text,
            "html" | "htm" | "shtml" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "ofd" => Format::Ofd,
            "doc" => Format::Unsupported(Unsupported::Doc),
            "wps" => Format::Unsupported(Unsupported::Wps),
            _ => return None,
        })
    }

    /// The format of a file named on the command line: by its name, and
    /// read as text whatever the extension (as before formats were read).
    pub fn of_named(path: &Path) -> Format {
        Format::by_extension(path).unwrap_or(Format::Text)
    }

    /// What the bytes say the file is, where that overrides `claimed`.
    pub fn sniff(bytes: &[u8], claimed: Format) -> Format {
        let head = &bytes[..bytes.len().min(1024)];
        if contains(head, b"%PDF-") {
            return Format::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            // The first entries of a .docx are [Content_Types].xml, _rels
            // and word/; of an .ofd, OFD.xml. Names are stored uncompressed.
            let early = &bytes[..bytes.len().min(64 * 1024)];
            if contains(early, b"word/") {
                return Format::Docx;
            }
            if contains(early, b"OFD.xml") {
                return Format::Ofd;
            }
            return claimed;
        }
        if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            // An OLE2 compound file: old Word, WPS, old Excel… A .wps keeps
            // its name; anything else claiming a document is old Word.
            return match claimed {
                Format::Unsupported(Unsupported::Wps) => claimed,
                _ => Format::Unsupported(Unsupported::Doc),
            };
        }
        if claimed == Format::Text && looks_like_html(head) {
            return Format::Html;
        }
        claimed
    }

    /// How the format is named in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Ofd => "OFD",
            Format::Unsupported(Unsupported::Doc) => "DOC",
            Format::Unsupported(Unsupported::Wps) => "WPS",
        }
    }
}

/// A page saved as `.txt`: markup from the first non-blank character.
fn looks_like_html(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else { return false };
    let head = &head[start..];
    let lower: Vec<u8> = head[..head.len().min(15)].to_ascii_lowercase();
    lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Why a format reader could not use a file, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The bytes are not the format the file claims, or are damaged.
    #[error("not a readable {format} file: {why}")]
    Damaged { format: &'static str, why: String },
    /// Something inside inflates past the cap: a decompression bomb, or a
    /// file too large to read safely.
    #[error("{what} inflates to more than {} MB: a decompression bomb, or too large to read safely", .cap >> 20)]
    TooLarge { what: String, cap: u64 },
    /// A PDF whose pages hold no text, only images.
    #[error("a PDF without a text layer (scanned pages): run OCR on it first, e.g. `ocrmypdf -l chi_sim FILE OUT.pdf`")]
    NoTextLayer,
    /// A PDF that needs a password.
    #[error("an encrypted PDF: save a copy without the password (or print it to PDF) first")]
    Encrypted,
    /// A format that must be converted first.
    #[error("{}", .0.reason())]
    Unsupported(Unsupported),
    /// The document is readable but holds no text.
    #[error("no text in this {0} file")]
    Empty(&'static str),
}

impl FormatError {
    pub fn damaged(format: &'static str, why: impl std::fmt::Display) -> FormatError {
        FormatError::Damaged {
            format,
            why: why.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_win_over_names() {
        let pdf = b"%PDF-1.7\n1 0 obj";
        assert_eq!(Format::sniff(pdf, Format::Text), Format::Pdf);
        assert_eq!(Format::sniff(pdf, Format::Docx), Format::Pdf);
        let docx = b"PK\x03\x04\x14\0\0\0\x08\0........word/document.xml";
        assert_eq!(
            Format::sniff(docx, Format::Unsupported(Unsupported::Doc)),
            Format::Docx
        );
        let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0";
        assert_eq!(
            Format::sniff(ole, Format::Docx),
            Format::Unsupported(Unsupported::Doc)
        );
        assert_eq!(
            Format::sniff(ole, Format::Unsupported(Unsupported::Wps)),
            Format::Unsupported(Unsupported::Wps)
        );
        let page = "\u{feff}\n  <!DOCTYPE html><html>".as_bytes();
        assert_eq!(Format::sniff(page, Format::Text), Format::Html);
        assert_eq!(Format::sniff("通知".as_bytes(), Format::Text), Format::Text);
        assert_eq!(Format::sniff(b"garbage", Format::Docx), Format::Docx);
    }

    #[test]
    fn extensions_name_formats_or_nothing() {
        assert_eq!(Format::by_extension(Path::new("a.HTM")), Some(Format::Html));
        assert_eq!(
            Format::by_extension(Path::new("a.Docx")),
            Some(Format::Docx)
        );
        assert_eq!(Format::by_extension(Path::new("a.png")), None);
        assert_eq!(Format::by_extension(Path::new("README")), None);
        assert_eq!(Format::of_named(Path::new("notes.md")), Format::Text);
    }
}
