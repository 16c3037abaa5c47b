//! Traditional → simplified script, character for character.
//!
//! Bulletins from Taiwan, Hong Kong and Macao, and some mainland pages, are
//! printed in traditional script (發布時間, 江蘇省科技廳); every dictionary is
//! simplified. Stages below the printed text match on a *simplified shadow*:
//! the same text with each traditional character replaced by its simplified
//! form. The table maps one character to one character, never more, so the
//! shadow has exactly as many characters as the text and a character offset
//! into one is the same offset into the other: spans found in the shadow
//! point into the text as printed.
//!
//! The table is OpenCC's `TSCharacters.txt` (`dictionaries/script/`, see its
//! `SOURCE.md`); for a character with several simplified forms, OpenCC's
//! first choice is taken. It is loaded with the other dictionaries
//! ([`Script::load`]), and also compiled into the binary
//! ([`Script::bundled`], [`simplified`]) for code that has no
//! `Resources` at hand, such as ingest matching labels like `發布時間`.

use std::borrow::Cow;
use std::path::Path;
use std::sync::LazyLock;

use crate::extract::DictError;

/// The bundled table, as shipped under `dictionaries/script/`.
const BUNDLED: &str = include_str!("../dictionaries/script/TSCharacters.txt");

/// The file under a dictionaries directory that holds the table.
pub const TABLE_PATH: &str = "script/TSCharacters.txt";

/// Code points below this are looked up in a bitmap first.
const BMP: usize = 0x1_0000;

/// The traditional → simplified table.
#[derive(Clone, Debug)]
pub struct Script {
    /// One bit per code point of the Basic Multilingual Plane: set when the
    /// character has a simplified form. Most characters of most texts are
    /// answered here without a search.
    changes: Box<[u64]>,
    /// Every mapping, sorted by traditional character.
    pairs: Vec<(char, char)>,
}

static BUNDLED_SCRIPT: LazyLock<Script> = LazyLock::new(|| {
    // Checked by the tests: the bundled file always parses.
    Script::parse(BUNDLED, "dictionaries/script/TSCharacters.txt")
        .unwrap_or_else(|_| Script::from_pairs(Vec::new()))
});

/// The simplified form of `s` by the bundled table; borrowed when `s` has
/// nothing to change (one scan). For ingest and other code without
/// `Resources`: `script::simplified(line) == "发布时间"`.
pub fn simplified(s: &str) -> Cow<'_, str> {
    BUNDLED_SCRIPT.simplified(s)
}

impl Script {
    /// The table compiled into the binary (loaded on first use).
    pub fn bundled() -> &'static Script {
        &BUNDLED_SCRIPT
    }

    /// Load the table from `path` (OpenCC's format: `#` comments, then one
    /// `TRADITIONAL<TAB>SIMPLIFIED [OTHER…]` a line). A malformed line is an
    /// error naming the file and the line.
    pub fn load(path: &Path) -> Result<Script, DictError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| DictError::Io {
            path: shown.clone(),
            source,
        })?;
        Script::parse(&text, &shown)
    }

    /// Parse the table's text; `shown` names it in errors.
    pub fn parse(text: &str, shown: &str) -> Result<Script, DictError> {
        // A byte-order mark left by an editor is no part of the first line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut pairs = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let bad = |message: String| DictError::Invalid {
                path: shown.to_string(),
                line: i as u64 + 1,
                message,
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (from, to) = line.split_once('\t').ok_or_else(|| {
                bad("expected a character, a tab and its simplified forms".into())
            })?;
            let from = single(from).ok_or_else(|| {
                bad(format!(
                    "{from:?}: the traditional side must be one character"
                ))
            })?;
            // OpenCC's first choice; the others are alternatives for words.
            let first = to.split(' ').next().unwrap_or("");
            let to = single(first).ok_or_else(|| {
                bad(format!(
                    "{first:?}: a simplified form must be one character (the table never changes the length of a text)"
                ))
            })?;
            if from != to {
                pairs.push((from, to));
            }
        }
        pairs.sort_unstable();
        if let Some(w) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(DictError::Invalid {
                path: shown.to_string(),
                line: line_of(text, w[1].0),
                message: format!("{} is listed twice", w[1].0),
            });
        }
        Ok(Script::from_pairs(pairs))
    }

    fn from_pairs(pairs: Vec<(char, char)>) -> Script {
        let mut changes = vec![0u64; BMP / 64].into_boxed_slice();
        for &(from, _) in &pairs {
            let c = from as usize;
            if c < BMP {
                changes[c / 64] |= 1 << (c % 64);
            }
        }
        Script { changes, pairs }
    }

    /// Number of characters the table changes.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Does the table change `c`?
    #[inline]
    pub fn is_traditional(&self, c: char) -> bool {
        let i = c as usize;
        if i < BMP {
            self.changes[i / 64] >> (i % 64) & 1 == 1
        } else {
            self.search(c).is_some()
        }
    }

    fn search(&self, c: char) -> Option<char> {
        self.pairs
            .binary_search_by_key(&c, |&(from, _)| from)
            .ok()
            .map(|k| self.pairs[k].1)
    }

    /// The simplified form of one character (itself when it has none).
    #[inline]
    pub fn simplify_char(&self, c: char) -> char {
        // ASCII and the common case, a character without a simplified
        // form, are answered by the bitmap.
        if (c as usize) < BMP && !self.is_traditional(c) {
            return c;
        }
        self.search(c).unwrap_or(c)
    }

    /// The simplified form of `s`, character for character: borrowed (one
    /// scan, no copy) when nothing changes, which is the case for every
    /// simplified text. The result has as many characters as `s`.
    pub fn simplified<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let Some(first) = s.char_indices().find(|&(_, c)| self.is_traditional(c)) else {
            return Cow::Borrowed(s);
        };
        let mut out = String::with_capacity(s.len());
        out.push_str(&s[..first.0]);
        out.extend(s[first.0..].chars().map(|c| self.simplify_char(c)));
        Cow::Owned(out)
    }

    /// Is `s` mostly in traditional script? True when at least one in ten of
    /// its ideographs is a traditional form (in traditional prose it is
    /// about one in three; a simplified text has none, or a stray name).
    pub fn is_mostly_traditional(&self, s: &str) -> bool {
        let (mut han, mut traditional) = (0usize, 0usize);
        for c in s.chars() {
            if matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
            {
                han += 1;
                traditional += usize::from(self.is_traditional(c));
            }
        }
        traditional > 0 && traditional * 10 >= han
    }
}

/// The one character of `s`, if it is exactly one.
fn single(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The line of `text` on which a mapping of `c` starts (for errors).
fn line_of(text: &str, c: char) -> u64 {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(c) && l[c.len_utf8()..].starts_with('\t'))
        .map(|(i, _)| i as u64 + 1)
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_table_parses_and_maps_common_characters() {
        let s = Script::parse(BUNDLED, "TSCharacters.txt").unwrap();
        assert!(s.len() > 3000, "{} mappings", s.len());
        assert_eq!(Script::bundled().len(), s.len());
        assert_eq!(
            simplified("發布時間：2023年6月9日　來源：江蘇省科技廳"),
            "发布时间：2023年6月9日　来源：江苏省科技厅"
        );
        // OpenCC's first choice where there are several.
        assert_eq!(simplified("於"), "于");
        // Characters that are also simplified stay.
        assert_eq!(simplified("著"), "著");
    }

    #[test]
    fn simplified_text_is_borrowed_and_lengths_never_change() {
        let text = "上海市发展和改革委员会发布通知，临港新片区启动建设。";
        assert!(matches!(simplified(text), Cow::Borrowed(_)));
        let traditional = "上海市發展和改革委員會發布通知，臨港新片區啟動建設。";
        let s = simplified(traditional);
        assert!(matches!(s, Cow::Owned(_)));
        assert_eq!(s, text);
        // Every mapping is one character to one character.
        for &(from, to) in &Script::bundled().pairs {
            let (a, b) = (from.to_string(), to.to_string());
            assert_eq!(simplified(&a).chars().count(), 1);
            assert_eq!(simplified(&a), b);
        }
    }

    #[test]
    fn mostly_traditional_is_told() {
        let s = Script::bundled();
        assert!(s.is_mostly_traditional("江蘇省科技廳印發《江蘇省科技創新券試點方案》"));
        assert!(!s.is_mostly_traditional("江苏省科技厅印发《江苏省科技创新券试点方案》"));
        assert!(!s.is_mostly_traditional("2020 abc"));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = |text: &str| Script::parse(text, "t.txt").unwrap_err().to_string();
        assert_eq!(
            err("# comment\n發\t发\n發展\t发展\n"),
            "t.txt:3: \"發展\": the traditional side must be one character"
        );
        assert!(err("發\t发展\n")
            .starts_with("t.txt:1: \"发展\": a simplified form must be one character"));
        assert_eq!(
            err("發\t发\n來 来\n"),
            "t.txt:2: expected a character, a tab and its simplified forms"
        );
        assert_eq!(
            err("發\t发\n來\t来\n發\t髮\n"),
            "t.txt:3: 發 is listed twice"
        );
        // Windows line ends and a byte-order mark are fine.
        let s = Script::parse("\u{feff}# c\r\n發\t发\r\n", "t.txt").unwrap();
        assert_eq!(s.simplified("發"), "发");
    }
}
