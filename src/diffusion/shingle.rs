//! Character shingles of a normalised text, and the shared passages of two
//! texts found by aligning them.
//!
//! Chinese has no spaces, so the unit is the character: a text is reduced to
//! its letters and digits (punctuation, spaces and wrapped lines removed,
//! full-width ASCII folded, ASCII lower-cased, traditional script
//! simplified), and every run of
//! [`SHINGLE`] consecutive characters is hashed. Hashes are fixed functions
//! of the characters (no per-process seed), so every run sees the same values.
//!
//! Alignment is linear: one hash set of the earlier text's shingles, one walk
//! over the later text marking shingles it shares, and consecutive shared
//! shingles merged into passages. Passages shorter than [`MIN_PASSAGE`]
//! characters are set phrases every bulletin uses (推动长三角一体化发展), not
//! reuse, and are dropped.

use std::collections::HashSet;
use std::ops::Range;

use crate::script::Script;

/// Characters per shingle: long enough that a shared shingle is rarely a
/// coincidence in Chinese, short enough to survive a changed place name.
pub const SHINGLE: usize = 6;

/// Shortest shared passage that counts as reuse, in normalised characters.
pub const MIN_PASSAGE: usize = 18;

/// A text reduced to letters and digits, with the way back to the original.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Normalized {
    pub chars: Vec<char>,
    /// `pos[i]`: the character offset in the original text of `chars[i]`.
    pub pos: Vec<u32>,
}

impl Normalized {
    pub fn new(text: &str) -> Normalized {
        let mut out = Normalized::default();
        for (i, c) in text.chars().enumerate() {
            let c = fold(c);
            if is_text_char(c) {
                out.chars.push(c);
                out.pos.push(i as u32);
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// The hash of every shingle, in order (none when shorter than one).
    pub fn shingles(&self) -> Vec<u64> {
        if self.chars.len() < SHINGLE {
            return Vec::new();
        }
        self.chars.windows(SHINGLE).map(hash_chars).collect()
    }

    /// Original character range covered by normalised range `r` (non-empty).
    pub fn original(&self, r: &Range<usize>) -> Range<usize> {
        self.pos[r.start] as usize..self.pos[r.end - 1] as usize + 1
    }
}

/// Whether a (folded) character is part of the text compared: letters and
/// digits. CJK ideographs and ASCII, nearly every character of a bulletin,
/// are answered without the Unicode tables.
#[inline]
pub fn is_text_char(c: char) -> bool {
    match c as u32 {
        0x4E00..=0x9FFF => true,
        0..=0x7F => c.is_ascii_alphanumeric(),
        0x3000..=0x303F | 0xFF00..=0xFF0F => false,
        _ => c.is_alphanumeric(),
    }
}

/// Full-width ASCII to ASCII, ASCII upper case to lower, traditional
/// script to simplified (the bundled table, [`Script::bundled`]): a copy
/// printed in the other script shares its passages all the same.
#[inline]
pub fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0..=0x7F => c,
        _ => Script::bundled().simplify_char(c),
    };
    c.to_ascii_lowercase()
}

/// A fixed 64-bit hash of a few characters (FxHash-style mixing with a
/// SplitMix64 finish, so nearby strings land far apart).
pub fn hash_chars(chars: &[char]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &c in chars {
        h = (h.rotate_left(5) ^ c as u64).wrapping_mul(0x517C_C1B7_2722_0A95);
    }
    mix(h)
}

/// SplitMix64's finaliser: a bijection that spreads every input bit.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The passages two texts share.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    /// Shared passages of the first text, as normalised ranges, in order.
    pub a: Vec<Range<usize>>,
    /// Shared passages of the second text.
    pub b: Vec<Range<usize>>,
}

impl Alignment {
    /// Normalised characters of the second text inside a shared passage.
    pub fn shared_b(&self) -> usize {
        self.b.iter().map(|r| r.len()).sum()
    }

    pub fn shared_a(&self) -> usize {
        self.a.iter().map(|r| r.len()).sum()
    }

    /// The longest passage of the second text.
    pub fn longest_b(&self) -> Option<&Range<usize>> {
        self.b
            .iter()
            .max_by_key(|r| (r.len(), std::cmp::Reverse(r.start)))
    }
}

/// Align two texts given their shingle hashes: each side's passages are
/// the runs of its shingles that also occur in the other, widened to whole
/// characters and kept when at least [`MIN_PASSAGE`] long.
pub fn align(a: &[u64], b: &[u64]) -> Alignment {
    let set_a: HashSet<u64> = a.iter().copied().collect();
    let set_b: HashSet<u64> = b.iter().copied().collect();
    Alignment {
        a: runs(a, &set_b),
        b: runs(b, &set_a),
    }
}

fn runs(shingles: &[u64], other: &HashSet<u64>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, h) in shingles.iter().enumerate() {
        match (other.contains(h), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_run(&mut out, s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_run(&mut out, s, shingles.len());
    }
    out
}

/// Shingles `s..e` cover characters `s..e - 1 + SHINGLE`.
fn push_run(out: &mut Vec<Range<usize>>, s: usize, e: usize) {
    let r = s..e - 1 + SHINGLE;
    if r.len() >= MIN_PASSAGE {
        out.push(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // From 003_fefd0e6c0ad8662e (江苏启动科技创新券试点).
    const JIANGSU: &str = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。\
江苏省科技创新券主要通过省级财政资金后补助的方式，对企业购买科技服务给予相应补助。";

    #[test]
    fn normalisation_drops_punctuation_and_folds_width() {
        let n = Normalized::new("《江苏》 ＡＢ，5G");
        assert_eq!(n.chars.iter().collect::<String>(), "江苏ab5g");
        assert_eq!(n.pos, vec![1, 2, 5, 6, 8, 9]);
        assert_eq!(n.original(&(0..2)), 1..3);
    }

    #[test]
    fn a_text_in_traditional_script_has_the_shingles_of_its_simplified_form() {
        let traditional = "近日，江蘇省科技廳、省財政廳聯合印發《江蘇省科技創新券試點方案》，啟動科技創新券試點工作。\
江蘇省科技創新券主要通過省級財政資金後補助的方式，對企業購買科技服務給予相應補助。";
        assert_eq!(
            Normalized::new(traditional).shingles(),
            Normalized::new(JIANGSU).shingles()
        );
    }

    #[test]
    fn same_text_same_hashes_different_text_different() {
        let a = Normalized::new(JIANGSU).shingles();
        assert_eq!(a, Normalized::new(JIANGSU).shingles());
        assert_eq!(a.len(), Normalized::new(JIANGSU).len() - SHINGLE + 1);
        let b = Normalized::new("近日，浙江省科技厅").shingles();
        assert_ne!(a[..b.len()], b[..]);
    }

    #[test]
    fn copied_passage_is_found_and_place_names_split_it() {
        let copy = JIANGSU.replace("江苏省", "浙江省");
        let (na, nb) = (Normalized::new(JIANGSU), Normalized::new(&copy));
        let al = align(&na.shingles(), &nb.shingles());
        // Every replaced name breaks the passage; the long stretches between survive.
        assert!(al.b.len() >= 2, "{al:?}");
        let longest = al.longest_b().unwrap();
        let text: String = nb.chars[longest.clone()].iter().collect();
        assert!(text.contains("主要通过省级财政资金后补助的方式"), "{text}");
        assert!(
            al.shared_b() * 10 >= nb.len() * 6,
            "{} of {}",
            al.shared_b(),
            nb.len()
        );
        assert_eq!(al.shared_a(), al.shared_b());
    }

    #[test]
    fn set_phrases_are_not_reuse() {
        let a = Normalized::new("上海将推动长三角一体化发展，建设养老基地。").shingles();
        let b = Normalized::new("安徽提出推动长三角一体化发展，开展停电感知。").shingles();
        assert_eq!(align(&a, &b), Alignment::default());
    }
}
