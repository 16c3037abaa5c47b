//! The one automaton: every name of every dictionary compiled into a single
//! leftmost-longest Aho-Corasick automaton, with a table from pattern to the
//! dictionary entries that share that string.
//!
//! Leftmost-longest is what lets dictionaries block each other without rules:
//! 中山医院 (a blocker) wins over 中山, 江苏省科技厅 is read as 江苏省 + 科技厅,
//! 长三角一体化发展国家战略 (a program) wins over 长三角. A match the caller
//! rejects does not consume its text: the search resumes one character later,
//! so a spurious match cannot hide a real one that starts inside it.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::text::{normalize, Text};

/// What one pattern stands for (a string may stand for several).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A name of a region: index into the gazetteer's forms.
    Region(u32),
    /// An agency stem (科技厅, 发改委): index into the stem table.
    Stem(u32),
    /// A national agency name or alias: index into the national table.
    National(u32),
    /// A known unquoted initiative (科技创新券): index into the initiative table.
    Initiative(u32),
    /// A word that contains a name but is not a mention (中山医院, 太原路).
    Blocker,
}

/// Collects patterns before compiling.
#[derive(Default)]
pub struct LexiconBuilder {
    patterns: Vec<String>,
    entries: Vec<Vec<Entry>>,
    index: HashMap<String, u32>,
}

impl LexiconBuilder {
    /// Add `text` (normalised like article text) standing for `entry`.
    pub fn add(&mut self, text: &str, entry: Entry) {
        let text = normalize(text);
        if text.is_empty() {
            return;
        }
        let id = match self.index.get(&text) {
            Some(&id) => id,
            None => {
                let id = self.patterns.len() as u32;
                self.patterns.push(text.clone());
                self.entries.push(Vec::new());
                self.index.insert(text, id);
                id
            }
        };
        let list = &mut self.entries[id as usize];
        if !list.contains(&entry) {
            list.push(entry);
        }
    }

    /// Compile. `kind` picks the automaton implementation; `None` lets the
    /// crate choose (see [`Lexicon::DEFAULT_KIND`]).
    pub fn build(self, kind: Option<AhoCorasickKind>) -> Result<Lexicon, aho_corasick::BuildError> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Both)
            .kind(kind.or(Lexicon::DEFAULT_KIND))
            .build(&self.patterns)?;
        Ok(Lexicon { ac, patterns: self.patterns, entries: self.entries, index: self.index })
    }
}

/// The compiled automaton and its pattern table.
pub struct Lexicon {
    ac: AhoCorasick,
    pub patterns: Vec<String>,
    pub entries: Vec<Vec<Entry>>,
    index: HashMap<String, u32>,
}

/// One accepted match: normalised character offsets and the pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

/// What the caller of [`Lexicon::scan`] makes of a match.
pub enum Verdict {
    /// Keep it; the search goes on after it.
    Keep,
    /// Not a match here; the search goes on one character after its start.
    Reject,
    /// Keep a shorter reading (`上海市场` → `上海`): new end and pattern.
    Shorten(usize, u32),
}

impl Lexicon {
    /// The automaton kind used when none is asked for. A contiguous NFA:
    /// with tens of thousands of town names a DFA takes seconds and hundreds
    /// of megabytes to build for a search that is not the bottleneck (see
    /// the timing test in `tests/extract_entities.rs`).
    pub const DEFAULT_KIND: Option<AhoCorasickKind> = Some(AhoCorasickKind::ContiguousNFA);

    pub fn builder() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The pattern id of exactly this (normalised) string.
    pub fn get(&self, s: &str) -> Option<u32> {
        self.index.get(s).copied()
    }

    pub fn entries(&self, pattern: u32) -> &[Entry] {
        &self.entries[pattern as usize]
    }

    /// The memory the automaton uses, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.ac.memory_usage()
    }

    pub fn kind(&self) -> AhoCorasickKind {
        self.ac.kind()
    }

    /// The longest pattern that starts exactly at byte 0 of `s`: (byte length, pattern).
    pub fn prefix(&self, s: &str) -> Option<(usize, u32)> {
        let m = self.ac.find(Input::new(s).anchored(Anchored::Yes))?;
        Some((m.end(), m.pattern().as_u32()))
    }

    /// Every match in `text`, leftmost-longest, each judged by `judge`.
    /// Linear in the text: a rejected match restarts the search one
    /// character after its start, never before.
    pub fn scan(&self, text: &Text, mut judge: impl FnMut(&Text, &Token) -> Verdict) -> Vec<Token> {
        let mut out = Vec::new();
        let mut from = 0usize; // character index
        while from < text.len() {
            let input = Input::new(&text.string).range(text.byte(from)..);
            let Some(m) = self.ac.find(input) else { break };
            let start = text.char_at(m.start());
            let end = text.char_at(m.end());
            let token = Token { start, end, pattern: m.pattern().as_u32() };
            match judge(text, &token) {
                Verdict::Keep => {
                    out.push(token);
                    from = end.max(start + 1);
                }
                Verdict::Reject => from = start + 1,
                Verdict::Shorten(new_end, pattern) => {
                    out.push(Token { start, end: new_end, pattern });
                    from = new_end.max(start + 1);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Field;

    fn lexicon() -> Lexicon {
        let mut b = Lexicon::builder();
        b.add("中山", Entry::Region(0));
        b.add("中山医院", Entry::Blocker);
        b.add("江苏省", Entry::Region(1));
        b.add("科技厅", Entry::Stem(0));
        b.add("G60科创走廊", Entry::Region(2));
        b.add("上海市", Entry::Region(3));
        b.add("市场监管局", Entry::Stem(1));
        b.build(None).unwrap()
    }

    #[test]
    fn longest_match_wins_and_rejects_do_not_consume() {
        let lex = lexicon();
        let t = Text::new("复旦大学附属中山医院与江苏省科技厅", Field::Text);
        let found = lex.scan(&t, |_, _| Verdict::Keep);
        let words: Vec<String> = found.iter().map(|k| t.slice(k.start, k.end)).collect();
        assert_eq!(words, ["中山医院", "江苏省", "科技厅"]);
        // A rejected match does not hide one that starts inside it.
        let t = Text::new("上海市场监管局", Field::Text);
        let found = lex.scan(&t, |_, _| Verdict::Keep);
        assert_eq!(found.len(), 1);
        let found = lex.scan(&t, |t, k| if t.slice(k.start, k.end) == "上海市" { Verdict::Reject } else { Verdict::Keep });
        let words: Vec<String> = found.iter().map(|k| t.slice(k.start, k.end)).collect();
        assert_eq!(words, ["市场监管局"]);
    }

    #[test]
    fn case_and_spaces_do_not_matter() {
        let lex = lexicon();
        let t = Text::new("长三角 g60 科创走廊", Field::Text);
        let found = lex.scan(&t, |_, _| Verdict::Keep);
        assert_eq!(found.len(), 1);
        assert_eq!(t.surface(found[0].start, found[0].end), "g60 科创走廊");
        assert_eq!(lex.prefix("江苏省科技厅").map(|(n, _)| n), Some("江苏省".len()));
    }
}
