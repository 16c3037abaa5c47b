//! Text normalisation: line ends, character width, invisible characters.
//!
//! The goal is that the same bulletin typed on a different machine yields the
//! same articles: CRLF or CR line ends become LF, full-width digits, Latin
//! letters and a few symbols (`１２３`, `％`, `．`) become ASCII, ideographic
//! and no-break spaces become plain spaces. Chinese punctuation (`，。、；：？！
//! （）“”《》`) is kept as it is: it is the normal form of Chinese text, and
//! NFKC would turn `，` into `,` and `（` into `(`, changing what researchers
//! quote. Form feeds and vertical tabs are line breaks; other control
//! characters are dropped (the decoder counts them into a warning).
//! Trailing spaces at line ends are kept because the layout stage reads
//! them (PDF extracts mark hard line breaks with them).

use std::borrow::Cow;

/// Normalise decoded text. Linear in the input, one pass; text that needs no
/// change (most UTF-8 files with LF line ends) is returned as it is, without
/// a copy, which matters for very large files.
pub fn normalize(text: &str) -> Cow<'_, str> {
    let Some(first) = next_change(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    // Runs of characters that stay as they are are copied whole.
    let mut copied = 0;
    let mut at = first;
    loop {
        out.push_str(&text[copied..at]);
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let mut next = at + c.len_utf8();
        match c {
            '\r' => {
                // CRLF → LF, lone CR → LF.
                if text.as_bytes().get(next) == Some(&b'\n') {
                    next += 1;
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            // Byte-order marks and zero-width characters carry no text.
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' => {}
            // Ideographic space, no-break spaces, other Unicode spaces.
            '\u{3000}' | '\u{00a0}' | '\u{2002}'..='\u{200a}' | '\u{202f}' | '\u{205f}' => {
                out.push(' ')
            }
            // Form feed (page break in extracted text), vertical tab (a line
            // break in text saved from Word) → line break.
            '\u{0b}' | '\u{0c}' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(narrow(c)),
        }
        copied = next;
        match next_change(text, next) {
            Some(p) => at = p,
            None => {
                out.push_str(&text[copied..]);
                break;
            }
        }
    }
    Cow::Owned(out)
}

/// Byte offset of the first character at or after byte `from` (a char
/// boundary) that [`normalize`] changes or drops. Only ASCII controls and
/// characters whose UTF-8 lead byte is C2, E2, E3 or EF can change (C1
/// controls and U+00A0; the U+2000 spaces and marks; U+3000; U+FEFF and the
/// full-width forms), so every other byte is passed over without decoding.
fn next_change(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' | b'\t' => i += 1,
            0x00..=0x1f | 0x7f => return Some(i),
            0xc2 | 0xe2 | 0xe3 | 0xef => {
                let c = text[i..].chars().next()?;
                if changes(c) {
                    return Some(i);
                }
                i += c.len_utf8();
            }
            _ => i += 1,
        }
    }
    None
}

/// Does [`normalize`] change or drop this character?
fn changes(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r'
        | '\u{feff}'
        | '\u{200b}'
        | '\u{200c}'
        | '\u{200d}'
        | '\u{2060}'
        | '\u{3000}'
        | '\u{00a0}'
        | '\u{2002}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{2028}'
        | '\u{2029}' => true,
        c => c.is_control() || narrow(c) != c,
    }
}

/// Map a full-width form to ASCII where the full-width form is only a
/// typing accident: digits, Latin letters and symbols that Chinese text does
/// not use as its own punctuation.
fn narrow(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => shift(c),
        '％' | '．' | '＋' | '－' | '＝' | '／' | '＼' | '＆' | '＠' | '＃' | '＄' | '＊'
        | '＿' | '｜' | '＾' | '｀' | '＜' | '＞' | '～' => shift(c),
        _ => c,
    }
}

/// U+FF01..=U+FF5E are U+0021..=U+007E shifted by 0xFEE0.
fn shift(c: char) -> char {
    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_become_lf() {
        assert_eq!(normalize("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(normalize("a\r\r\nb"), "a\n\nb");
    }

    #[test]
    fn full_width_digits_letters_and_symbols_become_ascii() {
        assert_eq!(normalize("２０２０ 年第 １９２ 期"), "2020 年第 192 期");
        assert_eq!(
            normalize("占 ３４．６８％，ＧＥＰ，５Ｇ"),
            "占 34.68%，GEP，5G"
        );
        assert_eq!(normalize("１０％－３０％"), "10%-30%");
    }

    #[test]
    fn chinese_punctuation_is_kept() {
        let s = "“一业一证”改革，《告知书》（试行）：是否？是！、。；";
        assert_eq!(normalize(s), s);
    }

    #[test]
    fn invisible_characters_and_odd_spaces() {
        assert_eq!(
            normalize("\u{feff}上海\u{200b}市\u{3000}浦东"),
            "上海市 浦东"
        );
        assert_eq!(normalize("a\u{1}b\u{7f}c"), "abc");
        assert_eq!(normalize("a\u{0c}b"), "a\nb");
        assert_eq!(normalize("a\u{0b}b"), "a\nb");
    }

    #[test]
    fn text_needing_no_change_is_not_copied() {
        assert!(matches!(
            normalize("上海市，浦东。\n第二行\t"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(normalize("上海\r\n"), Cow::Owned(_)));
        // The change may come late: the prefix is kept as it is.
        assert_eq!(normalize("上海市浦东新区１"), "上海市浦东新区1");
    }

    #[test]
    fn every_changed_character_is_detected() {
        // `changes` and the loop must agree, or text would be returned
        // unnormalised: check every character of the planes bulletins use.
        // (Line feed is left out: after a CR it pairs into one line end.)
        for c in (0u32..0x3_0000)
            .filter_map(char::from_u32)
            .filter(|&c| c != '\n')
        {
            let s = c.to_string();
            let copied = !matches!(normalize(&s), Cow::Borrowed(_));
            let mut forced = String::from("\r");
            forced.push(c);
            let differs = normalize(&forced)[1..] != s;
            assert_eq!(copied, differs, "U+{:04X}", c as u32);
        }
    }
}
