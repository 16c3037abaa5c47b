//! Bytes → text: detect the encoding of a bulletin file and decode it.
//!
//! Bulletins arrive as UTF-8 (with or without BOM), UTF-16 with a BOM, or
//! GB18030/GBK from older Windows tools. There is no reliable declaration
//! inside a `.txt` file, so the order of trials matters:
//!
//! 1. a byte-order mark decides outright (UTF-8, UTF-16LE, UTF-16BE);
//! 2. known binary signatures (PDF, ZIP, images…) and NUL bytes mean "not text";
//! 3. strict UTF-8, which almost never validates by accident on GBK bytes;
//! 4. strict GB18030 (a superset of GBK and GB2312);
//! 5. UTF-8 with a handful of bad sequences: decoded with U+FFFD and a
//!    warning, so that one corrupt byte does not cost a researcher a whole
//!    bulletin, while real garbage is still refused.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// At most this many invalid UTF-8 sequences are repaired with U+FFFD…
const MAX_REPAIRS: usize = 16;
/// …and only if they are at most one byte in this many.
const REPAIR_RATIO: usize = 1000;

/// Why a file could not be decoded as text. The messages are for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("not a text file: it looks like {0}")]
    Binary(&'static str),
    #[error(
        "not a text file: it contains NUL bytes (binary data, or UTF-16 without a byte-order mark)"
    )]
    NulBytes,
    #[error(
        "undecodable: not valid UTF-8 (first bad byte at offset {utf8_error_at}) nor GB18030/GBK"
    )]
    Undecodable { utf8_error_at: usize },
    #[error("undecodable: its byte-order mark says {encoding}, but {bad} sequences are not valid {encoding}")]
    BadBom { encoding: &'static str, bad: usize },
    #[error("not a text file: {0}% of its characters are control characters")]
    ControlChars(usize),
}

/// A successfully decoded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Name of the encoding that was used (`UTF-8`, `GB18030`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Something the user should know although the file was read, e.g.
    /// repaired bytes.
    pub warning: Option<String>,
}

/// Decode one file's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// Decode one file's bytes, reusing the buffer for the text when the file is
/// UTF-8 (the common case): a large file then costs its size once, not twice.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        // The mark declares the encoding; a few bad sequences are repaired
        // as below, more mean the mark lies (binary data that happens to
        // start with it).
        let size = bytes.len();
        let text = if encoding == UTF_8 {
            bytes.drain(..bom_len);
            match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }
        } else {
            let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
            text.into_owned()
        };
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        if bad == 0 {
            return finish(text, encoding, None);
        }
        if bad > MAX_REPAIRS || bad * REPAIR_RATIO > size {
            return Err(DecodeError::BadBom {
                encoding: encoding.name(),
                bad,
            });
        }
        let warning = format!(
            "{bad} invalid {} sequence(s) replaced with U+FFFD",
            encoding.name()
        );
        return finish(text, encoding, Some(warning));
    }
    if let Some(kind) = binary_signature(&bytes) {
        return Err(DecodeError::Binary(kind));
    }
    if bytes.contains(&0) {
        return Err(DecodeError::NulBytes);
    }
    let (utf8_error_at, bytes) = match String::from_utf8(bytes) {
        Ok(text) => return finish(text, UTF_8, None),
        Err(e) => (e.utf8_error().valid_up_to(), e.into_bytes()),
    };
    let bad = count_invalid_utf8(&bytes, MAX_REPAIRS + 1);
    let repairable = bad <= MAX_REPAIRS && bad * REPAIR_RATIO <= bytes.len();
    // UTF-8 Chinese with a corrupt byte can pass for GB18030 by accident (a
    // short file, or one with few line breaks); its pairs then fall outside
    // the common GB2312 area where real GBK text lives. Prefer the repair.
    let gb18030 = if repairable && !mostly_gb2312(&bytes) {
        None
    } else {
        GB18030.decode_without_bom_handling_and_without_replacement(&bytes)
    };
    if let Some(text) = gb18030 {
        let text = text.into_owned();
        drop(bytes);
        return finish(text, GB18030, None);
    }
    if repairable {
        let line = bytes[..utf8_error_at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        drop(bytes);
        let warning = format!(
            "{bad} invalid UTF-8 sequence(s) replaced with U+FFFD (first at byte {utf8_error_at}, line {line})"
        );
        return finish(text, UTF_8, Some(warning));
    }
    Err(DecodeError::Undecodable { utf8_error_at })
}

/// Final sanity check shared by every path: real text has few control
/// characters. Catches binary data that happens to decode.
fn finish(
    text: String,
    encoding: &'static Encoding,
    warning: Option<String>,
) -> Result<Decoded, DecodeError> {
    // Most files hold no control character at all: one pass over the bytes
    // tells (control characters, `char::is_control`, are U+0000..=U+001F
    // and U+007F..=U+009F: ASCII bytes, or C2 followed by 80..=9F), and the
    // characters are then only counted.
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f || b == 0xc2;
    // In blocks, without an early exit inside one, so the test vectorises.
    let clean = !text
        .as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | suspect(b)));
    let (total, control) = if clean {
        (text.chars().count(), 0)
    } else {
        let mut total = 0usize;
        let mut control = 0usize;
        for c in text.chars() {
            total += 1;
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0c}') {
                control += 1;
            }
        }
        (total, control)
    };
    if total == 0 {
        return Err(DecodeError::Empty);
    }
    // More than 1% control characters is not prose.
    if control * 100 > total {
        return Err(DecodeError::ControlChars((control * 100 / total).max(1)));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        warning,
    })
}

/// Recognise common binary formats that end up with a `.txt` name.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx document)"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an old Microsoft Office document (.doc/.xls)",
        ),
        (b"\x1f\x8b", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"\x7fELF", "an executable program"),
        (b"{\\rtf", "an RTF document"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, kind)| kind)
}

/// Do most double-byte pairs, read as GB18030, lie in the GB2312 area
/// (lead and trail bytes 0xA1..=0xFE), where almost all of real Chinese GBK
/// text is? UTF-8 read that way pairs continuation bytes (0x80..=0xBF) as
/// lead or trail bytes, half of them below 0xA1.
fn mostly_gb2312(bytes: &[u8]) -> bool {
    let (mut pairs, mut common) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            // A four-byte sequence: second byte is a digit.
            Some(&(0x30..=0x39)) => {
                pairs += 1;
                i += 4;
            }
            Some(&t) => {
                pairs += 1;
                if (0xA1..=0xFE).contains(&b) && (0xA1..=0xFE).contains(&t) {
                    common += 1;
                }
                i += 2;
            }
            None => break,
        }
    }
    common * 4 >= pairs * 3
}

/// Count invalid UTF-8 sequences, stopping early at `limit`.
fn count_invalid_utf8(mut bytes: &[u8], limit: usize) -> usize {
    let mut count = 0;
    while count < limit {
        match std::str::from_utf8(bytes) {
            Ok(_) => break,
            Err(e) => {
                count += 1;
                let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
                bytes = &bytes[skip.min(bytes.len())..];
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "长三角每周要讯\n\n2020 年第 192 期\n\n上海启用全国首家市域物联网运营中心\n";

    #[test]
    fn utf8_plain_and_with_bom() {
        assert_eq!(decode(SAMPLE.as_bytes()).unwrap().text, SAMPLE);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d = decode(&bom).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn gbk_is_detected() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.encoding, "gb18030");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let units: Vec<u16> = SAMPLE.encode_utf16().collect();
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in &units {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, SAMPLE);
        assert_eq!(decode(&be).unwrap().text, SAMPLE);
    }

    #[test]
    fn a_byte_order_mark_before_binary_data_is_refused() {
        // Odd-length UTF-16 runs and lone surrogates: garbage after FF FE.
        let mut bytes = vec![0xFF, 0xFE];
        for i in 0..2000u16 {
            bytes.extend_from_slice(&(0xD800 + (i % 0x400)).to_le_bytes());
        }
        let err = decode(&bytes).unwrap_err();
        assert_eq!(
            err,
            DecodeError::BadBom {
                encoding: "UTF-16LE",
                bad: 2000
            }
        );
        assert_eq!(err.to_string(), "undecodable: its byte-order mark says UTF-16LE, but 2000 sequences are not valid UTF-16LE");
        // One bad unit in a real text is repaired, with a warning.
        let mut le = vec![0xFF, 0xFE];
        for u in SAMPLE.repeat(50).encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        le.extend_from_slice(&0xDC00u16.to_le_bytes());
        let d = decode(&le).unwrap();
        assert_eq!(
            d.warning.as_deref(),
            Some("1 invalid UTF-16LE sequence(s) replaced with U+FFFD")
        );
    }

    #[test]
    fn empty_and_binary_files_are_refused_with_a_reason() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(
            decode(b"%PDF-1.7\n..."),
            Err(DecodeError::Binary("a PDF document"))
        );
        assert!(matches!(
            decode(b"PK\x03\x04rest"),
            Err(DecodeError::Binary(_))
        ));
        assert_eq!(decode(b"abc\0def"), Err(DecodeError::NulBytes));
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 | 0x80)
            .collect();
        assert!(decode(&noise).is_err());
    }

    #[test]
    fn control_characters_mean_binary() {
        let text = "a\u{1}\u{2}\u{3}b\u{4}\u{5}";
        assert!(matches!(
            decode(text.as_bytes()),
            Err(DecodeError::ControlChars(_))
        ));
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_repaired_with_a_warning() {
        let text = SAMPLE.repeat(100);
        let at = text
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| i >= 500)
            .unwrap();
        let mut bytes = text.into_bytes();
        bytes.insert(at, 0xFF);
        // GB18030 cannot decode UTF-8 Chinese, so this lands in the repair path.
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.warning.unwrap().contains(&format!("byte {at}")));
    }

    #[test]
    fn a_short_utf8_file_with_a_bad_byte_is_not_taken_for_gbk() {
        // Runs of two Chinese characters are six bytes, three GB18030
        // pairs, and a stray 0x80 is GB18030's euro sign: strict GB18030
        // accepts these bytes, as mojibake. The repair must win.
        let mut bytes = "上海 浦东 新区 ".repeat(60).into_bytes();
        bytes.insert(300, 0x80);
        assert!(GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .is_some());
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("上海 浦东"));
        assert!(d.warning.unwrap().contains("1 invalid UTF-8 sequence(s)"));
    }

    #[test]
    fn gbk_text_is_mostly_gb2312_and_utf8_is_not() {
        let text = "上海启用全国首家市域物联网运营中心，临港新片区发布通知。";
        let (gbk, _, _) = GB18030.encode(text);
        assert!(mostly_gb2312(&gbk));
        assert!(!mostly_gb2312(text.as_bytes()));
    }

    #[test]
    fn many_bad_bytes_are_undecodable() {
        let mut bytes = Vec::new();
        for _ in 0..100 {
            bytes.extend_from_slice("上海".as_bytes());
            bytes.push(0xFF);
        }
        assert!(matches!(
            decode(&bytes),
            Err(DecodeError::Undecodable { .. })
        ));
    }
}
