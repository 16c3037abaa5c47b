//! The one automaton: every name of every dictionary compiled into a single
//! leftmost-longest Aho-Corasick automaton, with a table from pattern to the
//! dictionary entries that share that string.
//!
//! Leftmost-longest is what lets dictionaries block each other without rules:
//! 中山医院 (a blocker) wins over 中山, 江苏省科技厅 is read as 江苏省 + 科技厅,
//! 长三角一体化发展国家战略 (a program) wins over 长三角. A match the caller
//! rejects does not consume its text: the search resumes one character later,
//! so a spurious match cannot hide a real one that starts inside it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind, StartKind};

use super::text::{normalize, FastMap, Text};

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
    index: FastMap<String, u32>,
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
            // Unanchored only: `prefix` needs no anchored start state, and
            // a DFA with both kinds of start is twice the size.
            .start_kind(StartKind::Unanchored)
            .kind(kind.or(Lexicon::DEFAULT_KIND))
            .build(&self.patterns)?;
        Ok(Lexicon {
            ac,
            patterns: self.patterns,
            entries: self.entries,
            index: self.index,
        })
    }
}

/// The compiled automaton and its pattern table.
pub struct Lexicon {
    ac: AhoCorasick,
    pub patterns: Vec<String>,
    pub entries: Vec<Vec<Entry>>,
    /// Looked up (never iterated) for every candidate name: a cheap hash.
    index: FastMap<String, u32>,
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
    /// over the ~60,000 patterns it builds in ~0.3 s into 3.4 MB, where a
    /// DFA takes ~0.5 s more and 113 MB, and on a shared machine the DFA's
    /// table misses the cache so often that extraction was slower with it
    /// (`cargo bench --bench pipeline -- --kind dfa` compares the two).
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
    /// Leftmost-longest: if any pattern starts at 0, the leftmost match is
    /// the longest of those, so an unanchored search answers it.
    pub fn prefix(&self, s: &str) -> Option<(usize, u32)> {
        let m = self.ac.find(s).filter(|m| m.start() == 0)?;
        Some((m.end(), m.pattern().as_u32()))
    }

    /// Every match in `text`, leftmost-longest, each judged by `judge`.
    /// Linear in the text: a rejected match restarts the search one
    /// character after its start, never before.
    pub fn scan(&self, text: &Text, judge: impl FnMut(&Text, &Token) -> Verdict) -> Vec<Token> {
        self.scan_with(text, |from| self.find_from(text, from), judge)
    }

    /// [`Lexicon::scan`], remembering in `memo` what the automaton answered,
    /// for [`Lexicon::rescan`] of the same text.
    pub fn scan_recording(
        &self,
        text: &Text,
        memo: &mut Memo,
        judge: impl FnMut(&Text, &Token) -> Verdict,
    ) -> Vec<Token> {
        memo.answers.clear();
        self.scan_with(
            text,
            |from| {
                let found = self.find_from(text, from);
                memo.answers.push((from as u32, found));
                found
            },
            judge,
        )
    }

    /// [`Lexicon::scan`] again over the text `memo` was recorded on, with
    /// another judge: the automaton runs only where the new judge's verdicts
    /// send the search somewhere the first scan did not ask about.
    pub fn rescan(
        &self,
        text: &Text,
        memo: &Memo,
        judge: impl FnMut(&Text, &Token) -> Verdict,
    ) -> Vec<Token> {
        let mut cursor = 0;
        self.scan_with(
            text,
            |from| {
                memo.answer(&mut cursor, from)
                    .unwrap_or_else(|| self.find_from(text, from))
            },
            judge,
        )
    }

    /// The leftmost-longest match starting at character `from` or later.
    fn find_from(&self, text: &Text, from: usize) -> Option<Token> {
        let input = Input::new(&text.string).range(text.byte(from)..);
        let m = self.ac.find(input)?;
        let start = text.char_at(m.start());
        let end = text.char_at(m.end());
        Some(Token {
            start,
            end,
            pattern: m.pattern().as_u32(),
        })
    }

    /// The scan proper; `find(from)` is the leftmost-longest match starting
    /// at character `from` or later, asked for increasing `from`.
    fn scan_with(
        &self,
        text: &Text,
        mut find: impl FnMut(usize) -> Option<Token>,
        mut judge: impl FnMut(&Text, &Token) -> Verdict,
    ) -> Vec<Token> {
        let mut out = Vec::new();
        let mut from = 0usize; // character index
        while from < text.len() {
            let Some(token) = find(from) else { break };
            let (start, end) = (token.start, token.end);
            match judge(text, &token) {
                Verdict::Keep => {
                    out.push(token);
                    from = end.max(start + 1);
                }
                Verdict::Reject => from = start + 1,
                Verdict::Shorten(new_end, pattern) => {
                    out.push(Token {
                        start,
                        end: new_end,
                        pattern,
                    });
                    from = new_end.max(start + 1);
                }
            }
        }
        out
    }
}

/// What the automaton answered during one scan of a text: for each position
/// searched from, the leftmost-longest match at or after it. The answer for
/// `from` is also the answer for any later position up to that match's
/// start (no match starts in between, and patterns see nothing before their
/// start), and "none" stays none for any later position.
#[derive(Clone, Debug, Default)]
pub struct Memo {
    answers: Vec<(u32, Option<Token>)>,
}

impl Memo {
    /// The recorded answer that holds for `from`, if any; `cursor` carries
    /// the position in the record between calls with increasing `from`.
    fn answer(&self, cursor: &mut usize, from: usize) -> Option<Option<Token>> {
        while *cursor + 1 < self.answers.len() && self.answers[*cursor + 1].0 as usize <= from {
            *cursor += 1;
        }
        let &(asked, found) = self.answers.get(*cursor)?;
        if asked as usize > from {
            return None;
        }
        match found {
            Some(t) if from > t.start => None,
            _ => Some(found),
        }
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
        let found = lex.scan(&t, |t, k| {
            if t.slice(k.start, k.end) == "上海市" {
                Verdict::Reject
            } else {
                Verdict::Keep
            }
        });
        let words: Vec<String> = found.iter().map(|k| t.slice(k.start, k.end)).collect();
        assert_eq!(words, ["市场监管局"]);
    }

    #[test]
    fn a_rescan_with_another_judge_equals_a_fresh_scan() {
        let lex = lexicon();
        let t = Text::new(
            "复旦大学附属中山医院与上海市场监管局、江苏省科技厅，中山",
            Field::Text,
        );
        let reject_shanghai = |t: &Text, k: &Token| {
            if t.slice(k.start, k.end) == "上海市" {
                Verdict::Reject
            } else {
                Verdict::Keep
            }
        };
        let reject_blocker = |t: &Text, k: &Token| {
            if t.slice(k.start, k.end) == "中山医院" {
                Verdict::Reject
            } else {
                Verdict::Keep
            }
        };
        let mut memo = Memo::default();
        let first = lex.scan_recording(&t, &mut memo, |_, _| Verdict::Keep);
        assert_eq!(first, lex.scan(&t, |_, _| Verdict::Keep));
        for judge in [
            &reject_shanghai as &dyn Fn(&Text, &Token) -> Verdict,
            &reject_blocker,
        ] {
            let fresh = lex.scan(&t, judge);
            assert_eq!(lex.rescan(&t, &memo, judge), fresh);
        }
        let words: Vec<String> = lex
            .rescan(&t, &memo, reject_blocker)
            .iter()
            .map(|k| t.slice(k.start, k.end))
            .collect();
        assert_eq!(words, ["上海市", "江苏省", "科技厅", "中山"]);
    }

    #[test]
    fn case_and_spaces_do_not_matter() {
        let lex = lexicon();
        let t = Text::new("长三角 g60 科创走廊", Field::Text);
        let found = lex.scan(&t, |_, _| Verdict::Keep);
        assert_eq!(found.len(), 1);
        assert_eq!(t.surface(found[0].start, found[0].end), "g60 科创走廊");
        assert_eq!(
            lex.prefix("江苏省科技厅").map(|(n, _)| n),
            Some("江苏省".len())
        );
    }
}
