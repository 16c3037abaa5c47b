//! Entries of a zip archive (`.docx`, `.ofd`), each inflated through a cap.
//!
//! A zip's directory states each entry's size, but a hostile file can state
//! anything: a few kilobytes of deflated zeros inflate to gigabytes. Every
//! entry is therefore read through `take(cap + 1)`, never by the size it
//! claims, and one byte past the cap ends the read with a named error.

use std::io::{Cursor, Read};

use zip::result::ZipError;
use zip::ZipArchive;

use super::format::FormatError;

/// The most one entry may inflate to. The XML of a thousand-page Word
/// document is some tens of megabytes.
pub const ENTRY_CAP: u64 = 128 << 20;

/// An archive held in memory.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
}

impl<'a> Archive<'a> {
    /// Open `bytes` as a zip; `format` names the document type in errors.
    pub fn open(bytes: &'a [u8], format: &'static str) -> Result<Archive<'a>, FormatError> {
        let zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| FormatError::damaged(format, describe(&e)))?;
        Ok(Archive { zip, format })
    }

    /// The inflated bytes of entry `name`, `None` if there is no such entry.
    pub fn read(&mut self, name: &str, cap: u64) -> Result<Option<Vec<u8>>, FormatError> {
        let format = self.format;
        let entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(FormatError::damaged(
                    format,
                    format!("entry {name}: {}", describe(&e)),
                ))
            }
        };
        let mut out = Vec::new();
        entry
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|e| FormatError::damaged(format, format!("entry {name}: {e}")))?;
        if out.len() as u64 > cap {
            return Err(FormatError::TooLarge {
                what: format!("entry {name}"),
                cap,
            });
        }
        Ok(Some(out))
    }
}

/// Zip errors in plain words.
fn describe(e: &ZipError) -> String {
    match e {
        ZipError::InvalidArchive(_) | ZipError::Io(_) => {
            format!("not a zip archive, or a damaged one ({e})")
        }
        ZipError::UnsupportedArchive(what) => format!("unsupported zip feature: {what}"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A zip of `(name, bytes)` entries, deflated.
    pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            out.start_file(*name, options).unwrap();
            out.write_all(bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_past_the_cap_are_refused_by_name() {
        let big = vec![0u8; 4096];
        let bytes = zip_of(&[("a.xml", b"<a/>"), ("big.bin", &big)]);
        let mut archive = Archive::open(&bytes, "DOCX").unwrap();
        assert_eq!(archive.read("a.xml", 100).unwrap().unwrap(), b"<a/>");
        assert_eq!(archive.read("missing", 100).unwrap(), None);
        let err = archive.read("big.bin", 1000).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("entry big.bin inflates to more than"),
            "{err}"
        );
    }

    #[test]
    fn garbage_is_named_not_a_zip() {
        let err = Archive::open(b"PK\x03\x04 random bytes", "DOCX")
            .err()
            .unwrap();
        assert!(
            err.to_string()
                .starts_with("not a readable DOCX file: not a zip archive"),
            "{err}"
        );
    }
}
