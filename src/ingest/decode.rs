//! Bytes → text: detect the encoding of a bulletin file and decode it.
//!
//! Bulletins arrive as UTF-8 (with or without BOM), UTF-16 (with or without
//! BOM), GB18030/GBK from older Windows tools on the mainland, or Big5 from
//! Taiwan, Hong Kong and Macao. There is no reliable declaration inside a
//! `.txt` file, so the order of trials matters:
//!
//! 1. a byte-order mark decides outright (UTF-8, UTF-16LE, UTF-16BE);
//! 2. known binary signatures (PDF, ZIP, images…) mean "not text";
//! 3. NUL bytes on one side of every byte pair, with text that reads as
//!    plausible UTF-16 in that order, are UTF-16 without a mark; NUL bytes
//!    otherwise mean binary, unless they are a stray few;
//! 4. strict UTF-8, which almost never validates by accident on GBK or Big5;
//! 5. otherwise every reading is tried (UTF-8 with repairs, GB18030, Big5,
//!    UTF-16 in both orders) and the one whose characters are most often
//!    *common* ones wins: the 3,755 characters of GB2312 level 1, the 5,401
//!    of Big5 level 1, and Chinese punctuation. GBK and Big5 bytes both pair
//!    up as double-byte characters and each decodes the other without an
//!    error more often than not, but the wrong reading lands on rare
//!    characters, kana and private-use code points. A reading that is not
//!    clearly the best, or whose characters are often rare, is taken with a
//!    warning that says so; one made mostly of rare characters
//!    ([`MIN_SCORE`]) is refused: mojibake is never emitted silently.
//!
//! A reading may repair a few malformed sequences (at most one byte in a
//! thousand, and [`MAX_REPAIRS`]) with U+FFFD and a warning naming the byte
//! offset of the first, so that one corrupt byte does not cost a researcher
//! a whole bulletin; real garbage is still refused. Stray control
//! characters are counted into a warning (the normaliser drops them); only
//! a text made of them in earnest is refused as binary.

use std::sync::LazyLock;

use encoding_rs::{DecoderResult, Encoding, BIG5, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// At most this many malformed sequences are repaired with U+FFFD…
pub const MAX_REPAIRS: usize = 16;
/// …and only if they are at most one byte in this many.
const REPAIR_RATIO: usize = 1000;
/// A file not in UTF-8 is judged on this many bytes from its start (all of
/// a real bulletin), so that a huge file is not decoded five times over.
const SAMPLE: usize = 256 * 1024;
/// A reading is sure when at least this percentage of its characters that
/// are not plain ASCII are common ones…
const SURE: usize = 80;
/// …and every other reading scores at least this many points lower.
const MARGIN: usize = 15;
/// A reading with fewer common characters than this percentage (among at
/// least [`EVIDENCE`] characters that are not plain ASCII) is not text.
const MIN_SCORE: usize = 60;
const EVIDENCE: usize = 16;
/// More control characters than this percentage of a text mean binary.
const MAX_CONTROL_PERCENT: usize = 5;
/// More NUL bytes than this percentage of a file (not UTF-16) mean binary.
const MAX_NUL_PERCENT: usize = 1;

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
        "undecodable: not valid UTF-8 (first bad byte at offset {utf8_error_at}) nor GB18030/GBK, Big5 or UTF-16"
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
    /// Name of the encoding that was used (`UTF-8`, `gb18030`, `Big5`,
    /// `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Something the user should know although the file was read: repaired
    /// bytes, an uncertain guess of the encoding, dropped control characters.
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
            return finish(text, encoding, Vec::new());
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
        return finish(text, encoding, vec![warning]);
    }
    if let Some(kind) = binary_signature(&bytes) {
        return Err(DecodeError::Binary(kind));
    }
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > 0 {
        if let Some(encoding) = utf16_without_bom(&bytes) {
            let t = trial(encoding, &bytes, true);
            if t.repairable(bytes.len()) {
                let warnings = t.repair_warning().into_iter().collect();
                return finish(t.text, encoding, warnings);
            }
        }
        if nuls * 100 > bytes.len() * MAX_NUL_PERCENT {
            return Err(DecodeError::NulBytes);
        }
    }
    let (utf8_error_at, bytes) = match String::from_utf8(bytes) {
        Ok(text) => return finish(text, UTF_8, Vec::new()),
        Err(e) => (e.utf8_error().valid_up_to(), e.into_bytes()),
    };
    match guess(&bytes) {
        Some((t, mut warnings)) => {
            drop(bytes);
            warnings.extend(t.repair_warning());
            finish(t.text, t.encoding, warnings)
        }
        None if nuls > 0 => Err(DecodeError::NulBytes),
        None => Err(DecodeError::Undecodable { utf8_error_at }),
    }
}

/// One reading of a file's bytes in one encoding, and how it scores.
#[derive(Debug)]
struct Trial {
    encoding: &'static Encoding,
    text: String,
    /// Malformed sequences, each replaced with U+FFFD.
    errors: usize,
    /// Byte offset in the file and line number of the first.
    first_error: Option<(usize, usize)>,
    /// Characters other than printable ASCII and whitespace…
    foreign: usize,
    /// …and how many of them are common Chinese characters or punctuation.
    common: usize,
}

impl Trial {
    /// Percentage of the foreign characters that are common ones.
    fn score(&self) -> usize {
        (self.common * 100).checked_div(self.foreign).unwrap_or(100)
    }

    /// Few enough malformed sequences to repair them, in a file of `size` bytes.
    fn repairable(&self, size: usize) -> bool {
        self.errors <= MAX_REPAIRS && self.errors * REPAIR_RATIO <= size
    }

    /// Repairable, and not garbage: enough of its characters are common.
    fn usable(&self, size: usize) -> bool {
        self.repairable(size) && (self.foreign < EVIDENCE || self.score() >= MIN_SCORE)
    }

    fn repair_warning(&self) -> Option<String> {
        let (at, line) = self.first_error?;
        Some(format!(
            "{} invalid {} sequence(s) replaced with U+FFFD (first at byte {at}, line {line})",
            self.errors,
            display_name(self.encoding)
        ))
    }
}

/// Decode `bytes` as `encoding`, replacing malformed sequences with U+FFFD
/// and counting them. `last`: the bytes are the whole file (else a sequence
/// cut at the end is no error).
fn trial(encoding: &'static Encoding, bytes: &[u8], last: bool) -> Trial {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = |n: usize| decoder_room(encoding, n);
    let mut text = String::with_capacity(room(bytes.len()));
    let (mut read, mut errors, mut first_error) = (0usize, 0usize, None);
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut text, last);
        read += n;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(room(bytes.len() - read)),
            DecoderResult::Malformed(bad, after) => {
                errors += 1;
                if first_error.is_none() {
                    let at = read.saturating_sub(usize::from(bad) + usize::from(after));
                    let line = text.bytes().filter(|&b| b == b'\n').count() + 1;
                    first_error = Some((at, line));
                }
                text.push('\u{FFFD}');
            }
        }
    }
    let (mut foreign, mut common) = (0, 0);
    for c in text.chars().filter(|&c| !is_plain(c)) {
        foreign += 1;
        common += usize::from(is_common(c));
    }
    Trial {
        encoding,
        text,
        errors,
        first_error,
        foreign,
        common,
    }
}

/// Room to reserve for decoding `n` more bytes (at least a few characters).
fn decoder_room(encoding: &'static Encoding, n: usize) -> usize {
    encoding
        .new_decoder_without_bom_handling()
        .max_utf8_buffer_length_without_replacement(n)
        .unwrap_or(n.saturating_mul(3))
        .max(16)
}

/// Read bytes that are not UTF-8: try every encoding on a sample, keep the
/// reading with the most common characters, and say so when it is not sure.
/// `None`: no reading repairs into text.
fn guess(bytes: &[u8]) -> Option<(Trial, Vec<String>)> {
    let whole = bytes.len() <= SAMPLE;
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    // In order of preference when two readings score the same.
    let mut encodings = vec![UTF_8, GB18030, BIG5];
    // UTF-16 without NUL bytes is Chinese only, whose code units have a
    // byte outside ASCII about half the time; pairs of ASCII bytes read as
    // UTF-16 land on ideographs, common ones among them.
    let high = sample.iter().filter(|&&b| b >= 0x80).count();
    if bytes.len() % 2 == 0 && high * 4 >= sample.len() {
        encodings.extend([UTF_16LE, UTF_16BE]);
    }
    let mut trials: Vec<Trial> = encodings
        .into_iter()
        .map(|e| trial(e, sample, whole))
        .filter(|t| t.usable(sample.len()))
        .collect();
    // Stable: ties keep the order of preference.
    trials.sort_by_key(|t| (std::cmp::Reverse(t.score()), t.errors));
    let mut warnings = Vec::new();
    if let Some(best) = trials.first() {
        let (score, name) = (best.score(), display_name(best.encoding));
        // The next best reading that repairs no more than the best one.
        let next = trials[1..].iter().find(|t| t.errors <= best.errors);
        match next {
            Some(next) if next.score() + MARGIN > score => warnings.push(format!(
                "encoding uncertain: read as {name} ({score}% common characters), but it could be {} ({}%)",
                display_name(next.encoding),
                next.score()
            )),
            _ if score < SURE && best.foreign < EVIDENCE => warnings.push(format!(
                "encoding uncertain: read as {name}, but its {} non-ASCII character(s) are too few and too rare to be sure",
                best.foreign
            )),
            _ if score < SURE => warnings.push(format!(
                "encoding uncertain: read as {name}, but only {score}% of its Chinese characters are common ones: the text may be garbled"
            )),
            _ => {}
        }
    }
    if whole {
        return trials.into_iter().next().map(|t| (t, warnings));
    }
    // A huge file: the first reading that repairs over the whole file.
    trials.into_iter().find_map(|t| {
        let full = trial(t.encoding, bytes, true);
        full.usable(bytes.len())
            .then(|| (full, std::mem::take(&mut warnings)))
    })
}

/// The encoding's name as people know it in warnings.
fn display_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030/GBK"
    } else {
        encoding.name()
    }
}

/// UTF-16 without a byte-order mark, told by its NUL bytes: the high byte of
/// every ASCII unit (line ends, digits, spaces) is zero, all on one side of
/// the byte pairs, and the text then reads as plausible UTF-16 in that
/// order (at least 90% plain ASCII or common Chinese characters and
/// punctuation; the wrong order turns ASCII into rare ideographs and
/// Chinese into other scripts).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SAMPLE) & !1];
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let encoding = if odd > 4 * even {
        UTF_16LE
    } else if even > 4 * odd {
        UTF_16BE
    } else {
        return None;
    };
    let t = trial(encoding, sample, bytes.len() == sample.len());
    let chars = t.text.chars().count();
    let plausible = chars - t.foreign + t.common;
    (t.errors == 0 && plausible * 10 >= chars * 9).then_some(encoding)
}

/// Printable ASCII and the whitespace text is made of: neutral evidence.
fn is_plain(c: char) -> bool {
    matches!(c, ' '..='~' | '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}')
}

/// A character that real Chinese text is mostly made of: a common
/// ideograph (simplified or traditional) or Chinese punctuation.
fn is_common(c: char) -> bool {
    match c {
        '\u{4E00}'..='\u{9FFF}' => COMMON_HAN.contains(c),
        '\u{3000}'..='\u{303F}'
        | '\u{FF01}'..='\u{FF5E}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{203B}'
        | '\u{2160}'..='\u{216B}'
        | '\u{2460}'..='\u{249B}'
        | '\u{25A0}'..='\u{25CF}'
        | '\u{3220}'..='\u{3229}'
        | '\u{00B0}'
        | '\u{00B7}'
        | '\u{00D7}'
        | '\u{2103}'
        | '\u{2605}'
        | '\u{2606}' => true,
        _ => false,
    }
}

/// The common ideographs: GB2312 level 1 (the 3,755 most frequent simplified
/// characters, bytes B0A1..=D7F9) and Big5 level 1 (the 5,401 most frequent
/// traditional ones, A440..=C67E), read out of the encoders' own tables.
static COMMON_HAN: LazyLock<HanSet> = LazyLock::new(|| {
    let mut set = HanSet::default();
    let mut bytes = Vec::new();
    for lead in 0xB0..=0xD7u8 {
        for trail in 0xA1..=0xFEu8 {
            bytes.extend([lead, trail]);
        }
    }
    set.extend(&GB18030.decode_without_bom_handling(&bytes).0);
    bytes.clear();
    for lead in 0xA4..=0xC6u8 {
        for trail in (0x40..=0x7Eu8).chain(0xA1..=0xFE) {
            if lead < 0xC6 || trail <= 0x7E {
                bytes.extend([lead, trail]);
            }
        }
    }
    set.extend(&BIG5.decode_without_bom_handling(&bytes).0);
    set
});

/// A set of characters of the CJK Unified Ideographs block, as bits.
struct HanSet {
    bits: Vec<u64>,
}

impl Default for HanSet {
    fn default() -> HanSet {
        HanSet {
            bits: vec![0; (0xA000 - 0x4E00) / 64],
        }
    }
}

impl HanSet {
    fn extend(&mut self, text: &str) {
        for c in text.chars() {
            if let Some(i) = (c as usize)
                .checked_sub(0x4E00)
                .filter(|&i| i < 0xA000 - 0x4E00)
            {
                self.bits[i / 64] |= 1 << (i % 64);
            }
        }
    }

    fn contains(&self, c: char) -> bool {
        (c as usize)
            .checked_sub(0x4E00)
            .and_then(|i| self.bits.get(i / 64).map(|w| w >> (i % 64) & 1 == 1))
            .unwrap_or(false)
    }
}

/// Final sanity check shared by every path: real text has few control
/// characters. Catches binary data that happens to decode; a few stray ones
/// (the normaliser drops them) are told in a warning.
fn finish(
    text: String,
    encoding: &'static Encoding,
    mut warnings: Vec<String>,
) -> Result<Decoded, DecodeError> {
    // Most files hold no control character at all: one pass over the bytes
    // tells (control characters, `char::is_control`, are U+0000..=U+001F
    // and U+007F..=U+009F: ASCII bytes, or C2 followed by 80..=9F), and the
    // characters are then only counted.
    let suspect = |b: u8| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0b | 0x0c)) || b == 0x7f || b == 0xc2
    };
    // In blocks, without an early exit inside one, so the test vectorises.
    let clean = !text
        .as_bytes()
        .chunks(64)
        .any(|block| block.iter().fold(false, |any, &b| any | suspect(b)));
    let (total, control, first_line) = if clean {
        (text.chars().count(), 0, 0)
    } else {
        let (mut total, mut control, mut line, mut first_line) = (0usize, 0usize, 1usize, 0usize);
        for c in text.chars() {
            total += 1;
            if c == '\n' {
                line += 1;
            } else if is_stray_control(c) {
                control += 1;
                if first_line == 0 {
                    first_line = line;
                }
            }
        }
        (total, control, first_line)
    };
    if total == 0 {
        return Err(DecodeError::Empty);
    }
    if control * 100 > total * MAX_CONTROL_PERCENT {
        return Err(DecodeError::ControlChars((control * 100 / total).max(1)));
    }
    if control > 0 {
        warnings.push(format!(
            "{control} stray control character(s) dropped (first on line {first_line})"
        ));
    }
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        warning: (!warnings.is_empty()).then(|| warnings.join("; ")),
    })
}

/// A control character that is not a line or page break nor a tab.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0b}' | '\u{0c}' | '\u{85}')
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "长三角每周要讯\n\n2020 年第 192 期\n\n上海启用全国首家市域物联网运营中心\n";
    /// The same in traditional script, as a Big5 file from Taiwan or Hong
    /// Kong would hold it.
    const TRADITIONAL: &str =
        "長三角每週要訊\n\n2020 年第 192 期\n\n上海啟用全國首家市域物聯網運營中心\n";

    fn utf16(text: &str, little: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    }

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
        assert_eq!(d.warning, None);
    }

    #[test]
    fn big5_is_detected_and_gbk_stays_gbk() {
        let (big5, _, unmappable) = BIG5.encode(TRADITIONAL);
        assert!(!unmappable);
        // Big5 bytes decode as GB18030 without an error: only the
        // characters tell.
        assert!(GB18030
            .decode_without_bom_handling_and_without_replacement(&big5)
            .is_some());
        let d = decode(&big5).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (TRADITIONAL, "Big5"));
        assert_eq!(d.warning, None);
        // Traditional text saved as GBK is still GBK.
        let (gbk, _, _) = GB18030.encode(TRADITIONAL);
        let d = decode(&gbk).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (TRADITIONAL, "gb18030"));
        assert_eq!(d.warning, None);
    }

    #[test]
    fn sentences_in_gbk_and_big5_are_told_apart_without_warnings() {
        let simplified = [
            "江苏省科技厅印发《江苏省科技创新券试点方案》，苏州、无锡率先试点。",
            "浙江省人民政府办公厅关于加快推进数字经济发展的若干意见",
            "安徽合肥：设立10亿元天使投资基金，支持科技型中小企业。",
            "上海市发展和改革委员会发布通知，临港新片区启动建设。",
        ];
        let traditional = [
            "江蘇省科技廳印發《江蘇省科技創新券試點方案》，蘇州、無錫率先試點。",
            "浙江省人民政府辦公廳關於加快推進數位經濟發展的若干意見",
            "安徽合肥：設立10億元天使投資基金，支持科技型中小企業。",
            "上海市發展和改革委員會發布通知，臨港新片區啟動建設。",
        ];
        for s in simplified {
            let d = decode(&GB18030.encode(s).0).unwrap();
            assert_eq!(
                (d.text.as_str(), d.encoding, d.warning),
                (s, "gb18030", None)
            );
        }
        for s in traditional {
            let d = decode(&BIG5.encode(s).0).unwrap();
            assert_eq!((d.text.as_str(), d.encoding, d.warning), (s, "Big5", None));
        }
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16(SAMPLE, true));
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16(SAMPLE, false));
        assert_eq!(decode(&le).unwrap().text, SAMPLE);
        assert_eq!(decode(&be).unwrap().text, SAMPLE);
    }

    #[test]
    fn utf16_without_bom_both_orders() {
        for (little, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            // Line ends and digits: NUL bytes on one side of the pairs.
            let d = decode(&utf16(SAMPLE, little)).unwrap();
            assert_eq!(
                (d.text.as_str(), d.encoding, d.warning),
                (SAMPLE, name, None)
            );
            let d = decode(&utf16(TRADITIONAL, little)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (TRADITIONAL, name));
            // Chinese only, not one NUL byte: the characters tell.
            let chinese = "上海启用全国首家市域物联网运营中心，临港新片区发布通知。";
            let d = decode(&utf16(chinese, little)).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (chinese, name));
        }
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
        le.extend(utf16(&SAMPLE.repeat(50), true));
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
        // Found by fuzzing (fuzz/fuzz_targets/decode.rs): a byte-order mark
        // alone is an empty file, whatever the encoding it names.
        for bom in [&b"\xFF\xFE"[..], b"\xFE\xFF", b"\xEF\xBB\xBF"] {
            assert_eq!(decode(bom), Err(DecodeError::Empty));
        }
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
        let raw: Vec<u8> = (0..5000u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 9) as u8)
            .collect();
        assert_eq!(decode(&raw), Err(DecodeError::NulBytes));
    }

    #[test]
    fn control_characters_mean_binary_only_in_earnest() {
        let text = "a\u{1}\u{2}\u{3}b\u{4}\u{5}";
        assert!(matches!(
            decode(text.as_bytes()),
            Err(DecodeError::ControlChars(_))
        ));
        // A few in a text: read, counted in a warning naming the first line.
        let text = format!("{SAMPLE}第一段\u{1b}\u{7}文字\u{0}。\n{SAMPLE}");
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(
            d.warning.as_deref(),
            Some("3 stray control character(s) dropped (first on line 6)")
        );
        // Form feed and vertical tab are breaks, not stray characters.
        let text = format!("{SAMPLE}\u{0c}{SAMPLE}\u{0b}{SAMPLE}");
        assert_eq!(decode(text.as_bytes()).unwrap().warning, None);
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
    fn a_gbk_file_with_a_corrupt_byte_is_read_with_a_warning_naming_the_offset() {
        let text = SAMPLE.repeat(40);
        let (gbk, _, _) = GB18030.encode(&text);
        // Line 8 starts with the bulletin's name: break its first character.
        let line_start = gbk
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(6)
            .unwrap()
            .0
            + 1;
        let mut bytes = gbk.into_owned();
        bytes[line_start] = 0xFF;
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(
            d.warning.as_deref(),
            Some(
                format!(
                    "1 invalid GB18030/GBK sequence(s) replaced with U+FFFD (first at byte {line_start}, line 8)"
                )
                .as_str()
            )
        );
        assert_eq!(d.text.matches('\u{FFFD}').count(), 1);
        assert!(d.text.ends_with(SAMPLE));
    }

    #[test]
    fn a_mostly_ascii_gbk_file_with_a_rare_character_is_gbk() {
        // 喆 is in GBK but not in GB2312; as UTF-8 its bytes are invalid.
        let text = format!(
            "{}Speaker: 喆\n",
            "Minutes of the meeting, 2020-05-01.\n".repeat(20)
        );
        let (gbk, _, _) = GB18030.encode(&text);
        let d = decode(&gbk).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (text.as_str(), "gb18030"));
        // One character cannot tell GBK from Big5: the guess is told.
        assert_eq!(
            d.warning.as_deref(),
            Some("encoding uncertain: read as GB18030/GBK, but its 1 non-ASCII character(s) are too few and too rare to be sure")
        );
    }

    #[test]
    fn a_stray_nul_in_a_text_is_dropped_with_a_warning() {
        let text = format!("{}\0{}", SAMPLE.repeat(10), SAMPLE);
        let d = decode(text.as_bytes()).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d
            .warning
            .unwrap()
            .starts_with("1 stray control character(s) dropped"));
    }

    #[test]
    fn common_ideographs_are_the_first_levels_of_gb2312_and_big5() {
        assert!(is_common('的') && is_common('發') && is_common('，'));
        assert!(!is_common('喆') && !is_common('ア'));
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
