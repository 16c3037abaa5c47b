//! The byte-level writer every export formats into: a large buffer in front
//! of the destination, integers and dates formatted in place, and escaping
//! that copies runs of plain bytes whole.
//!
//! Exports write tens of bytes per value and millions of values; going
//! through `write!` and a `String` per value (or through `dyn Write` per
//! piece) cost more than everything else in a build. Here a value costs a
//! few table look-ups and one `memcpy`.
//!
//! The text rules are those of [`super::text`]: characters XML 1.0 forbids
//! are dropped from every string of every format, and XML escaping turns
//! tab, line feed and carriage return into character references. The tests
//! check the fast paths against [`super::text::escape`] and the csv crate.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

use crate::graph::PropRef;

/// Flush to the destination when the buffer holds this much.
const FLUSH_AT: usize = 1 << 16;

/// A buffer in front of a writer. Call [`Out::finish`] at the end: dropping
/// it without does not write the tail.
pub struct Out<'w> {
    buf: Vec<u8>,
    inner: &'w mut dyn Write,
}

/// Bytes that may need work in XML text: markup, quotes, every C0 control
/// (tab, line feed and carriage return become references, the rest is
/// dropped), and 0xEF, the lead byte of U+FFFE and U+FFFF.
static XML_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    t[0xEF] = true;
    t
};

/// Bytes that make a CSV field need quotes (`,` `"` CR LF, as the csv
/// crate decides with its default `\n` terminator) or cleaning (other C0
/// controls, 0xEF as above).
static CSV_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b',' as usize] = true;
    t[b'"' as usize] = true;
    t[0xEF] = true;
    t
};

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `w` equals `b` (exact).
#[inline]
fn has_byte(w: u64, b: u8) -> bool {
    let v = w ^ (ONES * b as u64);
    v.wrapping_sub(ONES) & !v & HIGHS != 0
}

/// Whether the 8 bytes of `w` hold a byte of [`XML_SPECIAL`] (exact: the
/// word tests for a zero byte and for a byte below 0x20 have no false
/// answers about existence).
#[inline]
fn xml_word_special(w: u64) -> bool {
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS != 0;
    control
        || has_byte(w, b'&')
        || has_byte(w, b'<')
        || has_byte(w, b'>')
        || has_byte(w, b'"')
        || has_byte(w, b'\'')
        || has_byte(w, 0xEF)
}

/// Whether the 3 bytes at `s[i..]` (starting with 0xEF) are U+FFFE or U+FFFF.
#[inline]
fn is_nonchar(s: &[u8], i: usize) -> bool {
    i + 2 < s.len() && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF)
}

/// Whether control byte `b` is one XML 1.0 allows (tab, line feed, CR).
#[inline]
fn allowed_control(b: u8) -> bool {
    b == b'\t' || b == b'\n' || b == b'\r'
}

impl<'w> Out<'w> {
    pub fn new(inner: &'w mut dyn Write) -> Out<'w> {
        Out {
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            inner,
        }
    }

    /// Hands the buffer to the destination if it is full enough. Called
    /// between elements, so an element's bytes may exceed the mark.
    #[inline]
    pub fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes what is left and flushes the destination.
    pub fn finish(mut self) -> io::Result<()> {
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        self.inner.flush()
    }

    #[inline]
    pub fn raw(&mut self, s: &str) -> &mut Self {
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    #[inline]
    pub fn byte(&mut self, b: u8) -> &mut Self {
        self.buf.push(b);
        self
    }

    /// An unsigned integer in decimal.
    #[inline]
    pub fn uint(&mut self, n: u64) -> &mut Self {
        let mut b = itoa::Buffer::new();
        self.buf.extend_from_slice(b.format(n).as_bytes());
        self
    }

    #[inline]
    pub fn int(&mut self, n: i64) -> &mut Self {
        let mut b = itoa::Buffer::new();
        self.buf.extend_from_slice(b.format(n).as_bytes());
        self
    }

    /// A double as Rust's `Display` writes it (shortest round-trip form,
    /// never an exponent), the form every export has always used.
    pub fn double(&mut self, x: f64) -> &mut Self {
        // Writing into a Vec cannot fail.
        let _ = write!(self.buf, "{x}");
        self
    }

    /// A date as `YYYY-MM-DD` (chrono's `%Y-%m-%d`).
    pub fn date(&mut self, d: NaiveDate) -> &mut Self {
        let y = d.year();
        if (0..=9999).contains(&y) {
            let (m, day) = (d.month() as u8, d.day() as u8);
            let y = y as u16;
            self.buf.extend_from_slice(&[
                b'0' + (y / 1000) as u8,
                b'0' + (y / 100 % 10) as u8,
                b'0' + (y / 10 % 10) as u8,
                b'0' + (y % 10) as u8,
                b'-',
                b'0' + m / 10,
                b'0' + m % 10,
                b'-',
                b'0' + day / 10,
                b'0' + day % 10,
            ]);
        } else {
            let _ = write!(self.buf, "{}", d.format("%Y-%m-%d"));
        }
        self
    }

    /// `s` escaped for XML text or a quoted attribute, without the
    /// characters XML forbids: the bytes of [`super::text::escape`].
    pub fn xml(&mut self, s: &str) -> &mut Self {
        let b = s.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < b.len() {
            // Eight plain bytes at a time through the long runs of text.
            if let Some(word) = b.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
                if !xml_word_special(word) {
                    i += 8;
                    continue;
                }
            }
            let c = b[i];
            if !XML_SPECIAL[c as usize] {
                i += 1;
                continue;
            }
            let rep: &[u8] = match c {
                b'&' => b"&amp;",
                b'<' => b"&lt;",
                b'>' => b"&gt;",
                b'"' => b"&quot;",
                b'\'' => b"&apos;",
                b'\t' => b"&#9;",
                b'\n' => b"&#10;",
                b'\r' => b"&#13;",
                0xEF => {
                    if !is_nonchar(b, i) {
                        i += 1;
                        continue;
                    }
                    self.buf.extend_from_slice(&b[start..i]);
                    i += 3;
                    start = i;
                    continue;
                }
                _ => b"", // other C0 controls: dropped
            };
            self.buf.extend_from_slice(&b[start..i]);
            self.buf.extend_from_slice(rep);
            i += 1;
            start = i;
        }
        self.buf.extend_from_slice(&b[start..]);
        self
    }

    /// A value as XML text: lists joined with `|`.
    pub fn xml_value(&mut self, v: PropRef<'_>) -> &mut Self {
        match v {
            PropRef::Str(s) => self.xml(s),
            PropRef::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        self.byte(b'|');
                    }
                    self.xml(item);
                }
                self
            }
            other => self.plain_value(other),
        }
    }

    /// A value whose text never needs escaping or quoting (numbers, booleans,
    /// dates); strings and lists are written raw.
    fn plain_value(&mut self, v: PropRef<'_>) -> &mut Self {
        match v {
            PropRef::Str(s) => self.raw(s),
            PropRef::Int(n) => self.int(n),
            PropRef::Double(x) => self.double(x),
            PropRef::Bool(true) => self.raw("true"),
            PropRef::Bool(false) => self.raw("false"),
            PropRef::Date(d) => self.date(d),
            PropRef::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        self.byte(b'|');
                    }
                    self.raw(item);
                }
                self
            }
        }
    }

    /// One CSV field: `s` without the characters XML forbids, quoted (with
    /// quotes doubled) exactly when the csv crate would quote it.
    pub fn csv(&mut self, s: &str) -> &mut Self {
        let b = s.as_bytes();
        let Some(first) = b.iter().position(|&c| CSV_SPECIAL[c as usize]) else {
            self.buf.extend_from_slice(b);
            return self;
        };
        let rest = &b[first..];
        let quote = rest
            .iter()
            .any(|&c| matches!(c, b',' | b'"' | b'\n' | b'\r'));
        if quote {
            self.buf.push(b'"');
        }
        let mut start = 0;
        let mut i = first;
        while i < b.len() {
            let c = b[i];
            if !CSV_SPECIAL[c as usize] {
                i += 1;
                continue;
            }
            match c {
                b'"' => {
                    self.buf.extend_from_slice(&b[start..=i]);
                    self.buf.push(b'"');
                    i += 1;
                    start = i;
                }
                0xEF if is_nonchar(b, i) => {
                    self.buf.extend_from_slice(&b[start..i]);
                    i += 3;
                    start = i;
                }
                c if c < 0x20 && !allowed_control(c) => {
                    self.buf.extend_from_slice(&b[start..i]);
                    i += 1;
                    start = i;
                }
                _ => i += 1,
            }
        }
        self.buf.extend_from_slice(&b[start..]);
        if quote {
            self.buf.push(b'"');
        }
        self
    }

    /// A CSV field holding a value: lists joined with `sep`, and with
    /// `replace` (if any) substituted for `sep` inside an item first (Neo4j's
    /// array delimiter); `None` is an empty field.
    pub fn csv_value(
        &mut self,
        v: Option<PropRef<'_>>,
        sep: &str,
        replace: Option<&str>,
        scratch: &mut String,
    ) -> &mut Self {
        match v {
            None => self,
            Some(PropRef::Str(s)) => self.csv(s),
            Some(PropRef::List(items)) => {
                scratch.clear();
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        scratch.push_str(sep);
                    }
                    match replace {
                        Some(r) if item.contains(sep) => scratch.push_str(&item.replace(sep, r)),
                        _ => scratch.push_str(item),
                    }
                }
                let s = std::mem::take(scratch);
                self.csv(&s);
                *scratch = s;
                self
            }
            Some(other) => self.plain_value(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::text::{clean, escape};

    fn with(f: impl FnOnce(&mut Out<'_>)) -> String {
        let mut v = Vec::new();
        let mut out = Out::new(&mut v);
        f(&mut out);
        out.finish().unwrap();
        String::from_utf8(v).unwrap()
    }

    const NASTY: &[&str] = &[
        "",
        "plain",
        "江苏省科学技术厅（试点）：，；",
        "“A&B” <测试> ]]> 'q' \"dq\"",
        "a\tb\nc\r\nd",
        "x\u{1}y\u{0}z\u{FFFE}\u{FFFF}\u{1F}",
        "\u{FFFD}\u{FFFE}\u{EFBF}\u{F000}end\u{FFFF}",
        "a,b\n\"c\"",
        "\"",
        "\u{FFFE}",
        "\u{7F}\u{10000}",
    ];

    #[test]
    fn xml_matches_text_escape() {
        let all: String = (0u32..0x11000).filter_map(char::from_u32).collect();
        for s in NASTY.iter().copied().chain([all.as_str()]) {
            assert_eq!(
                with(|o| {
                    o.xml(s);
                }),
                escape(s),
                "{s:?}"
            );
        }
    }

    #[test]
    fn csv_matches_the_csv_crate() {
        let all: String = (0u32..0x11000).filter_map(char::from_u32).collect();
        for s in NASTY.iter().copied().chain([all.as_str()]) {
            let mut expected = Vec::new();
            {
                let mut w = ::csv::Writer::from_writer(&mut expected);
                w.write_record([clean(s).as_ref(), "x"]).unwrap();
                w.flush().unwrap();
            }
            let got = with(|o| {
                o.csv(s).raw(",x\n");
            });
            assert_eq!(got, String::from_utf8(expected).unwrap(), "{s:?}");
        }
    }

    /// The word test answers exactly as the byte table for every byte in
    /// every position.
    #[test]
    fn word_test_agrees_with_the_table() {
        for b in 0..=255u8 {
            for pos in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[pos] = b;
                assert_eq!(
                    xml_word_special(u64::from_le_bytes(bytes)),
                    XML_SPECIAL[b as usize],
                    "{b:#x} at {pos}"
                );
                // With a special byte elsewhere too.
                bytes[(pos + 3) % 8] = b'<';
                assert!(xml_word_special(u64::from_le_bytes(bytes)));
            }
        }
        let plain = u64::from_le_bytes(*b"\xe6\xb1\x9f\xe8\x8b\x8f\xe7\x9c");
        assert!(!xml_word_special(plain));
    }

    #[test]
    fn numbers_and_dates_match_display() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 3).unwrap();
        assert_eq!(
            with(|o| {
                o.date(d);
            }),
            "2020-01-03"
        );
        let far = NaiveDate::from_ymd_opt(12345, 12, 31).unwrap();
        assert_eq!(
            with(|o| {
                o.date(far);
            }),
            far.format("%Y-%m-%d").to_string()
        );
        for x in [0.5, 1.0, 0.1 + 0.2, 1e21, 123456.789] {
            assert_eq!(
                with(|o| {
                    o.double(x);
                }),
                x.to_string()
            );
        }
        assert_eq!(
            with(|o| {
                o.int(-42).byte(b' ').uint(u64::MAX);
            }),
            format!("-42 {}", u64::MAX)
        );
    }

    #[test]
    fn lists_join_and_replace_the_separator() {
        let items = vec!["a;b".to_string(), "c,d".to_string()];
        let mut scratch = String::new();
        let got = with(|o| {
            o.csv_value(
                Some(PropRef::List((&items[..]).into())),
                ";",
                Some("；"),
                &mut scratch,
            );
        });
        assert_eq!(got, "\"a；b;c,d\"");
        let got = with(|o| {
            o.xml_value(PropRef::List((&items[..]).into()));
        });
        assert_eq!(got, "a;b|c,d");
    }
}
