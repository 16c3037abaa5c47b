//! The normalised view of a title or body that the extractors search.
//!
//! Bulletins extracted from PDF scatter spaces inside words (长三角 G60 科创
//! 走廊, 江苏省科技 创新券) and mix full-width and ASCII forms, so patterns are
//! matched against a copy with whitespace (but not line breaks) removed,
//! full-width letters and digits folded to ASCII and ASCII parentheses turned
//! full-width. Each character of the copy remembers its position in the
//! original, so every mention keeps a [`Span`] into the text as written.
//!
//! With a [`Script`] table ([`Text::with_script`]) the copy is also
//! simplified, character for character: a traditional text (江蘇省科技廳)
//! matches the simplified dictionaries, names read from the copy
//! ([`Text::slice`]) are simplified, and surface forms read from the
//! original ([`Text::surface`]) stay as printed.

use crate::record::{Field, Span};
use crate::script::Script;

/// Fold one character; `None` drops it (whitespace other than `\n`).
#[inline]
pub fn normalize_char(c: char) -> Option<char> {
    // CJK ideographs and most punctuation need no folding: one comparison.
    if ('\u{3001}'..'\u{FF00}').contains(&c) {
        return Some(c);
    }
    match c {
        '\n' => Some('\n'),
        c if c.is_whitespace() => None,
        '(' => Some('（'),
        ')' => Some('）'),
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        c => Some(c),
    }
}

/// Normalise a dictionary entry the way texts are normalised.
pub fn normalize(s: &str) -> String {
    s.chars().filter_map(normalize_char).collect()
}

/// A hash map for small keys (positions, characters) that are only looked
/// up, never iterated: a multiply-rotate hash (as in rustc's FxHash) instead
/// of SipHash, which costs more than the lookups it serves here.
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Is `c` a CJK ideograph (a character that can continue a word)?
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Characters that end a sentence for the purpose of "named nearby".
pub fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

/// A title or body, normalised, with the way back to the original.
///
/// Offsets are kept as `u32`: the extractor hands texts over in pieces of a
/// bounded size (see `Extractor::extract`), so memory stays a small multiple
/// of the piece, not of the article.
#[derive(Clone, Debug)]
pub struct Text<'a> {
    pub field: Field,
    /// The normalised characters.
    pub chars: Vec<char>,
    /// The normalised text (what the automaton searches).
    pub string: String,
    /// Byte offset in `string` of each character, plus the end.
    bytes: Vec<u32>,
    /// Original character index of each normalised character, plus the end.
    orig: Vec<u32>,
    /// Original byte offset of each normalised character, plus the end.
    orig_bytes: Vec<u32>,
    original: &'a str,
    /// Positions of the characters that end a sentence / a clause.
    sentence_ends: Vec<u32>,
    clause_ends: Vec<u32>,
}

impl<'a> Text<'a> {
    /// One pass over `original`: every table is filled as each character is
    /// read.
    pub fn new(original: &'a str, field: Field) -> Text<'a> {
        Text::build(original, field, None)
    }

    /// [`Text::new`], with the normalised copy in simplified script.
    pub fn with_script(original: &'a str, field: Field, script: &Script) -> Text<'a> {
        Text::build(original, field, Some(script))
    }

    fn build(original: &'a str, field: Field, script: Option<&Script>) -> Text<'a> {
        // Exact sizes up front (counting characters is a fast pass over the
        // bytes): the tables never grow and copy while being filled.
        let cap = original.chars().count() + 1;
        let mut chars = Vec::with_capacity(cap);
        let mut string = String::with_capacity(original.len());
        let mut bytes = Vec::with_capacity(cap);
        let mut orig = Vec::with_capacity(cap);
        let mut orig_bytes = Vec::with_capacity(cap);
        let mut sentence_ends = Vec::with_capacity(cap / 32);
        let mut clause_ends = Vec::with_capacity(cap / 16);
        let mut n_orig = 0u32;
        for (b, c) in original.char_indices() {
            if let Some(n) = normalize_char(c) {
                let n = script.map_or(n, |s| s.simplify_char(n));
                let i = chars.len() as u32;
                if is_sentence_end(n) {
                    sentence_ends.push(i);
                    clause_ends.push(i);
                } else if matches!(n, '，' | ',' | '：' | ':') {
                    clause_ends.push(i);
                }
                chars.push(n);
                bytes.push(string.len() as u32);
                string.push(n);
                orig.push(n_orig);
                orig_bytes.push(b as u32);
            }
            n_orig += 1;
        }
        orig.push(n_orig);
        orig_bytes.push(original.len() as u32);
        bytes.push(string.len() as u32);
        Text {
            field,
            chars,
            string,
            bytes,
            orig,
            orig_bytes,
            original,
            sentence_ends,
            clause_ends,
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Byte offset of character `i` in [`Text::string`].
    pub fn byte(&self, i: usize) -> usize {
        self.bytes[i.min(self.chars.len())] as usize
    }

    /// Character index of byte offset `b` (which must be a char boundary).
    pub fn char_at(&self, b: usize) -> usize {
        self.bytes.partition_point(|&x| (x as usize) < b)
    }

    /// The normalised characters `start..end` as a string.
    pub fn slice(&self, start: usize, end: usize) -> String {
        self.string[self.byte(start)..self.byte(end.max(start))].to_string()
    }

    pub fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// The character before position `i`, if any.
    pub fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.get(j))
    }

    /// Does the normalised text at `i` start with `s`?
    pub fn starts_with_at(&self, i: usize, s: &str) -> bool {
        i <= self.len() && self.string[self.byte(i)..].starts_with(s)
    }

    /// Does the normalised text end with `s` just before position `i`?
    pub fn ends_with_at(&self, i: usize, s: &str) -> bool {
        i <= self.len() && self.string[..self.byte(i)].ends_with(s)
    }

    /// Sentence number of position `i`.
    pub fn sentence(&self, i: usize) -> u32 {
        self.sentence_ends.partition_point(|&e| (e as usize) < i) as u32
    }

    /// Clause number: sentences split further at commas and colons.
    pub fn clause(&self, i: usize) -> u32 {
        self.clause_ends.partition_point(|&e| (e as usize) < i) as u32
    }

    /// The span, in original characters, of normalised characters `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let n = self.len();
        let s = self.orig[start.min(n)] as usize;
        let e = if end == 0 || start >= end {
            s
        } else {
            self.orig[(end - 1).min(n)] as usize + 1
        };
        Span {
            field: self.field,
            start: s,
            end: e.max(s),
        }
    }

    /// The original text of normalised characters `start..end`, as written
    /// (spaces included), so that it equals what the span points at.
    pub fn surface(&self, start: usize, end: usize) -> String {
        let n = self.len();
        if start >= end || start >= n {
            return String::new();
        }
        let from = self.orig_bytes[start] as usize;
        let last = self.orig_bytes[(end - 1).min(n - 1)] as usize;
        let to = last
            + self.original[last..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        self.original[from..to].to_string()
    }
}

/// Spans of title and body inside which names are parts of other names
/// (《documents》, quoted names): the outermost ones, sorted, searched by
/// bisection.
#[derive(Clone, Debug, Default)]
pub struct Cover {
    outer: [Vec<(usize, usize)>; 2],
}

impl Cover {
    /// `spans`: per field, `start..end` (any order, nested or not).
    pub fn new(spans: &[Vec<(usize, usize)>; 2]) -> Cover {
        let mut outer: [Vec<(usize, usize)>; 2] = Default::default();
        for f in 0..2 {
            let mut sorted: Vec<(usize, usize)> =
                spans[f].iter().copied().filter(|&(s, e)| s < e).collect();
            sorted.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
            for (s, e) in sorted {
                match outer[f].last() {
                    Some(&(_, le)) if e <= le => {} // inside the last one kept
                    _ => outer[f].push((s, e)),
                }
            }
        }
        Cover { outer }
    }

    /// The outermost span covering `start..end` entirely, if any.
    pub fn covering(&self, field: usize, start: usize, end: usize) -> Option<(usize, usize)> {
        let spans = &self.outer[field];
        // Kept spans have increasing starts; only the last starting at or
        // before `start` (or the one before it, for partial overlaps) can cover.
        let k = spans.partition_point(|&(s, _)| s <= start);
        spans[..k]
            .iter()
            .rev()
            .take(2)
            .copied()
            .find(|&(s, e)| s <= start && end <= e)
    }

    /// Is `start..end` inside a span that is more than itself?
    pub fn inside(&self, field: usize, start: usize, end: usize) -> bool {
        self.covering(field, start, end)
            .is_some_and(|span| span != (start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_removed_and_spans_point_at_the_original() {
        let t = Text::new("长三角 g60 科创走廊（Ｇ６０）", Field::Text);
        assert_eq!(t.string, "长三角g60科创走廊（G60）");
        let start = t.string.chars().position(|c| c == 'g').unwrap();
        let sp = t.span(start, start + 7);
        assert_eq!((sp.start, sp.end), (4, 12));
        assert_eq!(t.surface(start, start + 7), "g60 科创走廊");
        assert_eq!(t.char_at(t.byte(5)), 5);
    }

    #[test]
    fn with_a_script_table_the_copy_is_simplified_and_surfaces_stay_as_printed() {
        let t = Text::with_script("江蘇省 科技廳（試行）", Field::Text, Script::bundled());
        assert_eq!(t.string, "江苏省科技厅（试行）");
        assert_eq!(t.slice(0, 6), "江苏省科技厅");
        assert_eq!(t.surface(0, 6), "江蘇省 科技廳");
        let sp = t.span(3, 6);
        assert_eq!((sp.start, sp.end), (4, 7));
    }

    #[test]
    fn ascii_parentheses_become_full_width() {
        assert_eq!(
            normalize("长三角(上海)互联网医院"),
            "长三角（上海）互联网医院"
        );
    }

    #[test]
    fn sentences_are_numbered() {
        let t = Text::new("甲。乙；丙\n丁", Field::Text);
        assert_eq!(t.sentence(0), 0);
        assert_eq!(t.sentence(2), 1);
        assert_eq!(t.sentence(6), 3);
    }
}
