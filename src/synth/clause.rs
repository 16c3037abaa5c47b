//! The sample articles cut into clauses, each clause a template of fixed
//! text and slots, and the rendering of a template for one new article.
//!
//! A slot is whatever can change without breaking the sentence: a place
//! (moved to the article's province and cities, so agency names written on a
//! place are rebuilt with it), a number or date, a word of a synonym group, a
//! verb that may take an adverb, a 《document》 or “initiative” name (made
//! anew), a real instrument (kept or swapped for another). The rest is fixed
//! text; a clause whose longest fixed run is long would repeat verbatim
//! wherever it is used, so [`Bank`] keeps such clauses out of new articles.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use chrono::{Datelike, Duration, NaiveDate};

use super::names::Names;
use super::vocab::Vocab;
use super::{Province, Rng};
use crate::record::Article;

/// Longest run of fixed letters and digits a clause may keep and still be
/// used in new articles.
pub const MAX_FIXED: usize = 12;

/// Shortest shared passage the copying detector counts as reuse, in letters
/// and digits: two renderings of a clause in use share a run this long with
/// a chance of at most [`MAX_COINCIDENCE`].
pub const PASSAGE: usize = 18;
pub const MAX_COINCIDENCE: f64 = 0.02;

/// Percent of real instrument mentions kept as written.
const INSTRUMENT_KEPT: u64 = 30;

/// Percent of verbs given an adverb.
const ADVERB: u64 = 35;

/// Short forms that are ordinary words (资源, 合作): never read as counties.
const STOPLIST: &str = include_str!("../../dictionaries/regions/stoplist.csv");

/// One piece of a clause template.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Text(Box<str>),
    /// A province name, by source province index; `short` form or full.
    Province {
        id: u16,
        short: bool,
    },
    /// A prefecture-level city name, by a global city id.
    City {
        id: u32,
        short: bool,
    },
    /// A county-level name, by a global county id.
    County {
        id: u32,
        short: bool,
    },
    /// ASCII digits: integer and fraction lengths, and what follows.
    Number {
        int: u8,
        frac: u8,
        unit: Unit,
    },
    /// A four-digit year, as its offset from the sample year.
    Year(i8),
    Synonym(u16),
    /// A verb that may take an adverb; varied too if it is in a group.
    Verb {
        word: Box<str>,
        group: Option<u16>,
    },
    Instrument(u16),
    /// A 《…》 title and a short “…” name, by source-name id.
    Document(u32),
    Quote(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Plain,
    Month,
    Day,
}

/// A clause: its pieces and the punctuation after it.
#[derive(Debug, Clone)]
pub struct Clause {
    pub pieces: Vec<Piece>,
    pub punct: Option<char>,
    /// Longest run of fixed letters and digits.
    pub fixed: usize,
    /// Chance that two renderings share a run of [`PASSAGE`] characters
    /// (the worst window).
    pub coincidence: f64,
    pub instrument: bool,
}

impl Clause {
    /// Whether new articles may use it.
    pub fn usable(&self) -> bool {
        self.fixed <= MAX_FIXED && self.coincidence <= MAX_COINCIDENCE && !self.pieces.is_empty()
    }
}

/// What a dictionary word stands for in a template.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Protected,
    Instrument(u16),
    Province(u16, bool),
    City(u32, bool),
    County(u32, bool),
    Word { group: Option<u16>, verb: bool },
}

/// Every sample clause, by role, and the automaton that cut them.
#[derive(Debug)]
pub struct Bank {
    pub clauses: Vec<Clause>,
    /// Clauses that open a sentence and clauses that follow, usable anywhere.
    pub openers: Vec<u32>,
    pub inners: Vec<u32>,
    /// Per sample article: its title template and its clauses (all of them).
    pub titles: Vec<Clause>,
    pub by_article: Vec<Vec<u32>>,
    /// Clause counts of the sample sentences.
    pub shapes: Vec<u8>,
    /// Sentence counts of the sample articles.
    pub lengths: Vec<u16>,
}

impl Bank {
    pub fn new(pool: &[Article], provinces: &[Province], vocab: &Vocab) -> Bank {
        let mut words: HashMap<String, Kind> = HashMap::new();
        let add = |w: &str, k: Kind, words: &mut HashMap<String, Kind>| {
            if w.chars().count() >= 2 {
                words.entry(w.to_string()).or_insert(k);
            }
        };
        for (i, w) in vocab.instruments.iter().enumerate() {
            add(w, Kind::Instrument(i as u16), &mut words);
        }
        for w in &vocab.protected {
            add(w, Kind::Protected, &mut words);
        }
        let (mut cities, mut counties) = (0u32, 0u32);
        for (p, prov) in provinces.iter().enumerate() {
            add(
                &prov.place.full,
                Kind::Province(p as u16, false),
                &mut words,
            );
            add(
                &prov.place.short,
                Kind::Province(p as u16, true),
                &mut words,
            );
            for city in &prov.cities {
                let id = cities;
                cities += 1;
                add(&city.full, Kind::City(id, false), &mut words);
                add(&city.short, Kind::City(id, true), &mut words);
            }
        }
        for prov in provinces {
            for county in &prov.counties {
                if county.full.chars().count() >= 3 {
                    let id = counties;
                    counties += 1;
                    add(&county.full, Kind::County(id, false), &mut words);
                }
            }
        }
        let stop: std::collections::HashSet<&str> = STOPLIST
            .lines()
            .filter_map(|l| {
                l.split_once(',')
                    .filter(|(_, rest)| rest.starts_with("short"))
                    .map(|(w, _)| w)
            })
            .collect();
        let mut shorts = Vec::new();
        let mut id = 0u32;
        for prov in provinces {
            for county in &prov.counties {
                if county.full.chars().count() >= 3 {
                    if county.short != county.full
                        && county.short.chars().count() >= 2
                        && !stop.contains(county.short.as_str())
                    {
                        shorts.push((county.short.clone(), id));
                    }
                    id += 1;
                }
            }
        }
        let verbs: std::collections::HashSet<&str> =
            vocab.verbs.iter().map(String::as_str).collect();
        for (g, group) in vocab.synonyms.iter().enumerate() {
            for w in group {
                add(
                    w,
                    Kind::Word {
                        group: Some(g as u16),
                        verb: verbs.contains(w.as_str()),
                    },
                    &mut words,
                );
            }
        }
        for w in &vocab.verbs {
            add(
                w,
                Kind::Word {
                    group: None,
                    verb: true,
                },
                &mut words,
            );
        }
        // County short forms last: every other reading of the word wins.
        for (short, id) in &shorts {
            add(short, Kind::County(*id, true), &mut words);
        }
        let mut patterns: Vec<(String, Kind)> = words.into_iter().collect();
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(w, _)| w.as_str()))
            .expect("the synth word list builds an automaton");
        let mut cutter = Cutter {
            ac,
            kinds: patterns.into_iter().map(|(_, k)| k).collect(),
            vocab,
            names: HashMap::new(),
        };

        let mut bank = Bank {
            clauses: Vec::new(),
            openers: Vec::new(),
            inners: Vec::new(),
            titles: Vec::new(),
            by_article: Vec::new(),
            shapes: Vec::new(),
            lengths: Vec::new(),
        };
        for article in pool {
            bank.titles.push(cutter.clause(&article.title, None));
            let mut mine = Vec::new();
            let sentences = super::sentences(&article.text);
            bank.lengths
                .push(sentences.len().min(u16::MAX as usize) as u16);
            for sentence in sentences {
                let parts = split_clauses(sentence.trim());
                bank.shapes.push(parts.len().min(8) as u8);
                for (j, (text, punct)) in parts.into_iter().enumerate() {
                    let clause = cutter.clause(text, punct);
                    let id = bank.clauses.len() as u32;
                    if clause.usable() && !clause.instrument {
                        if j == 0 {
                            bank.openers.push(id);
                        } else {
                            bank.inners.push(id);
                        }
                    }
                    mine.push(id);
                    bank.clauses.push(clause);
                }
            }
            bank.by_article.push(mine);
        }
        bank
    }

    /// Share of sample characters in clauses usable in new articles.
    #[cfg(test)]
    pub fn usable_share(&self) -> f64 {
        let len = |c: &Clause| c.pieces.iter().map(piece_len).sum::<usize>();
        let all: usize = self.clauses.iter().map(len).sum();
        let ok: usize = self
            .openers
            .iter()
            .chain(&self.inners)
            .map(|&i| len(&self.clauses[i as usize]))
            .sum();
        ok as f64 / all.max(1) as f64
    }
}

#[cfg(test)]
fn piece_len(p: &Piece) -> usize {
    match p {
        Piece::Text(t) => t.chars().count(),
        _ => 2,
    }
}

/// Split a sentence into clauses at `，；：` outside brackets and quotes.
fn split_clauses(sentence: &str) -> Vec<(&str, Option<char>)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in sentence.char_indices() {
        match c {
            '《' | '“' | '（' | '(' | '〈' | '「' => depth += 1,
            '》' | '”' | '）' | ')' | '〉' | '」' => depth = (depth - 1).max(0),
            '，' | '；' | '：' | '。' | '！' | '？' if depth == 0 => {
                out.push((&sentence[start..i], Some(c)));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if !sentence[start..].trim().is_empty() {
        out.push((&sentence[start..], None));
    }
    out.retain(|(t, _)| !t.trim().is_empty());
    out
}

/// Cuts text into templates.
struct Cutter<'v> {
    ac: AhoCorasick,
    kinds: Vec<Kind>,
    vocab: &'v Vocab,
    /// Source program names → ids (the same name in two places is one slot).
    names: HashMap<String, u32>,
}

impl Cutter<'_> {
    fn clause(&mut self, text: &str, punct: Option<char>) -> Clause {
        let mut pieces = Vec::new();
        let mut rest = text;
        // Bracketed names first: 《…》 always, “…” when short.
        while !rest.is_empty() {
            let open = rest.find(['《', '“']);
            let Some(open) = open else {
                self.plain(rest, &mut pieces);
                break;
            };
            let is_doc = rest[open..].starts_with('《');
            let close_char = if is_doc { '》' } else { '”' };
            let inner_start = open + '《'.len_utf8();
            let close = rest[inner_start..]
                .find(close_char)
                .map(|i| inner_start + i);
            let Some(close) = close else {
                self.plain(rest, &mut pieces);
                break;
            };
            let inner = &rest[inner_start..close];
            let n = inner.chars().count();
            let known = self
                .vocab
                .protected
                .iter()
                .chain(&self.vocab.instruments)
                .any(|w| w == inner);
            if (is_doc && n >= 2) || (!is_doc && (2..=12).contains(&n) && !known) {
                self.plain(&rest[..open], &mut pieces);
                let next = self.names.len() as u32;
                let id = *self.names.entry(inner.to_string()).or_insert(next);
                pieces.push(if is_doc {
                    Piece::Document(id)
                } else {
                    Piece::Quote(id)
                });
                rest = &rest[close + close_char.len_utf8()..];
            } else {
                // Keep the open mark as text and go on inside.
                let after = open + '“'.len_utf8();
                self.plain(&rest[..after], &mut pieces);
                rest = &rest[after..];
            }
        }
        let mut fixed = 0;
        let mut run = 0;
        let mut instrument = false;
        for p in &pieces {
            match p {
                Piece::Text(t) => {
                    for c in t.chars() {
                        if c.is_alphanumeric() {
                            run += 1;
                            fixed = fixed.max(run);
                        }
                    }
                }
                Piece::Instrument(_) => {
                    instrument = true;
                    run = 0;
                }
                _ => run = 0,
            }
        }
        // An institution named by its last word (…中心) is as telling as an
        // instrument: such clauses stay with their topic too.
        instrument |= pieces.iter().any(|p| matches!(p, Piece::Text(t) if self.vocab.name_endings.iter().any(|e| e.chars().count() >= 2 && t.contains(e.as_str()))));
        let pieces = merge(pieces);
        let coincidence = coincidence(&pieces, self.vocab);
        Clause {
            pieces,
            punct,
            fixed,
            coincidence,
            instrument,
        }
    }

    /// Text without brackets: dictionary words, numbers, fixed text.
    fn plain(&self, text: &str, out: &mut Vec<Piece>) {
        let mut at = 0;
        for m in self.ac.find_iter(text) {
            numbers(&text[at..m.start()], &text[m.end()..], out);
            let word = &text[m.start()..m.end()];
            out.push(match self.kinds[m.pattern().as_usize()] {
                Kind::Protected => Piece::Text(word.into()),
                Kind::Instrument(i) => Piece::Instrument(i),
                Kind::Province(id, short) => Piece::Province { id, short },
                Kind::City(id, short) => Piece::City { id, short },
                Kind::County(id, short) => Piece::County { id, short },
                Kind::Word { group, verb: true } => Piece::Verb {
                    word: word.into(),
                    group,
                },
                Kind::Word {
                    group: Some(g),
                    verb: false,
                } => Piece::Synonym(g),
                Kind::Word {
                    group: None,
                    verb: false,
                } => Piece::Text(word.into()),
            });
            at = m.end();
        }
        numbers(&text[at..], "", out);
    }
}

/// The chance that two renderings of `pieces` agree on a whole run of
/// [`PASSAGE`] letters and digits, for the worst such run: the product of
/// the chances that each slot inside it comes out the same.
fn coincidence(pieces: &[Piece], vocab: &Vocab) -> f64 {
    // One entry per letter: the chance that it matches (a slot's chance is
    // carried by its first letter, the rest count 1).
    let mut chars: Vec<f64> = Vec::new();
    let verb = (1.0 - ADVERB as f64 / 100.0).powi(2)
        + (ADVERB as f64 / 100.0).powi(2) / vocab.adverbs.len().max(1) as f64;
    for p in pieces {
        let (len, same) = match p {
            Piece::Text(t) => {
                chars.extend(t.chars().filter(|c| c.is_alphanumeric()).map(|_| 1.0));
                continue;
            }
            Piece::Province { .. } => (2, 1.0 / 31.0),
            Piece::City { .. } | Piece::County { .. } => (3, 1.0 / 100.0),
            Piece::Number { int, frac, unit } => (
                usize::from(*int + *frac),
                match unit {
                    Unit::Month => 0.25,
                    Unit::Day => 1.0 / 28.0,
                    Unit::Plain => 0.1f64.powi(i32::from(*int + *frac)).max(1e-6) * 10.0 / 9.0,
                },
            ),
            Piece::Year(_) => (4, 1.0 / 9.0),
            Piece::Synonym(g) => (2, 1.0 / vocab.synonyms[*g as usize].len() as f64),
            Piece::Verb { group, .. } => (
                2,
                verb / group.map_or(1.0, |g| vocab.synonyms[g as usize].len() as f64),
            ),
            Piece::Instrument(_) => (4, 0.3),
            Piece::Document(_) | Piece::Quote(_) => (6, 1e-6),
        };
        chars.push(same.min(1.0));
        chars.extend(std::iter::repeat_n(1.0, len.saturating_sub(1)));
    }
    if chars.len() < PASSAGE {
        return 0.0;
    }
    chars
        .windows(PASSAGE)
        .map(|w| w.iter().product::<f64>())
        .fold(0.0, f64::max)
}

/// Cut the digit runs out of `text` (`after`: what follows it).
fn numbers(text: &str, after: &str, out: &mut Vec<Piece>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut start = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let int_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int = i - int_start;
        let mut frac = 0;
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
            let f = i + 1;
            i = f;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac = i - f;
        }
        let following = text[i..].trim_start_matches(' ');
        let following = if following.is_empty() {
            after.trim_start_matches(' ')
        } else {
            following
        };
        let piece = if int == 4
            && frac == 0
            && following.starts_with('年')
            && (text[int_start..].starts_with("19") || text[int_start..].starts_with("20"))
        {
            let year: i32 = text[int_start..i].parse().unwrap_or(2020);
            Piece::Year((year - 2020).clamp(-20, 20) as i8)
        } else if frac == 0 && int <= 2 && following.starts_with('月') {
            Piece::Number {
                int: int as u8,
                frac: 0,
                unit: Unit::Month,
            }
        } else if frac == 0
            && int <= 2
            && (following.starts_with('日') || following.starts_with('号'))
        {
            Piece::Number {
                int: int as u8,
                frac: 0,
                unit: Unit::Day,
            }
        } else {
            Piece::Number {
                int: int.min(12) as u8,
                frac: frac.min(4) as u8,
                unit: Unit::Plain,
            }
        };
        if start < int_start {
            out.push(Piece::Text(text[start..int_start].into()));
        }
        out.push(piece);
        start = i;
    }
    if start < text.len() {
        out.push(Piece::Text(text[start..].into()));
    }
}

/// Join neighbouring text pieces.
fn merge(pieces: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    for p in pieces {
        if let (Some(Piece::Text(a)), Piece::Text(b)) = (out.last_mut(), &p) {
            let mut s = a.to_string();
            s.push_str(b);
            *a = s.into();
            continue;
        }
        out.push(p);
    }
    out
}

/// One new article being written: its place and date, and the choices made
/// so far, so that a name repeated in the article stays the same.
pub struct Local<'a> {
    pub provinces: &'a [Province],
    pub vocab: &'a Vocab,
    pub province: usize,
    pub event: NaiveDate,
    others: HashMap<u16, usize>,
    places: HashMap<(bool, u32), usize>,
    programs: HashMap<u32, String>,
    /// Names of cities and counties written, full and short.
    pub written: Vec<(String, String)>,
}

impl<'a> Local<'a> {
    pub fn new(
        provinces: &'a [Province],
        vocab: &'a Vocab,
        province: usize,
        event: NaiveDate,
    ) -> Local<'a> {
        Local {
            provinces,
            vocab,
            province,
            event,
            others: HashMap::new(),
            places: HashMap::new(),
            programs: HashMap::new(),
            written: Vec::new(),
        }
    }

    /// Render a clause template into `out`.
    pub fn render(&mut self, clause: &Clause, names: &mut Names, rng: &mut Rng, out: &mut String) {
        let home = &self.provinces[self.province];
        let mut first_province: Option<u16> = None;
        for piece in &clause.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Province { id, short } => {
                    // The first province of a clause is the article's; others
                    // (江苏、浙江两省) become other provinces, fixed per article.
                    let target = if first_province.is_none_or(|f| f == *id) {
                        first_province = Some(*id);
                        self.province
                    } else {
                        let n = self.provinces.len();
                        let here = self.province;
                        *self
                            .others
                            .entry(*id)
                            .or_insert_with(|| (here + 1 + rng.below(n - 1)) % n)
                    };
                    let p = &self.provinces[target].place;
                    out.push_str(if *short { &p.short } else { &p.full });
                }
                Piece::City { id, short } => {
                    let place = self.locality(true, *id, rng);
                    out.push_str(if *short { &place.short } else { &place.full });
                }
                Piece::County { id, short } => {
                    let place = self.locality(false, *id, rng);
                    out.push_str(if *short { &place.short } else { &place.full });
                }
                Piece::Number { int, frac, unit } => {
                    number(*int, *frac, *unit, self.event, rng, out)
                }
                Piece::Year(offset) => {
                    let y = self.event.year() + i32::from(*offset).clamp(-3, 5);
                    let _ = std::fmt::Write::write_fmt(out, format_args!("{y}"));
                }
                Piece::Synonym(g) => {
                    let group = &self.vocab.synonyms[*g as usize];
                    out.push_str(&group[rng.below(group.len())]);
                }
                Piece::Verb { word, group } => {
                    if rng.chance(ADVERB) {
                        out.push_str(&self.vocab.adverbs[rng.below(self.vocab.adverbs.len())]);
                    }
                    match group {
                        Some(g) => {
                            let group = &self.vocab.synonyms[*g as usize];
                            out.push_str(&group[rng.below(group.len())]);
                        }
                        None => out.push_str(word),
                    }
                }
                Piece::Instrument(i) => {
                    // The instrument dictionary was drawn from the samples,
                    // so there nearly every article names a known one; in
                    // real text most are not in it. Keep a share, make the
                    // rest new names of the same type (…中心, …券, …制).
                    let key = u32::MAX - u32::from(*i);
                    if !self.programs.contains_key(&key) {
                        let real = &self.vocab.instruments[*i as usize];
                        let name = if rng.chance(INSTRUMENT_KEPT) {
                            real.clone()
                        } else {
                            let ending = self
                                .vocab
                                .instrument_endings
                                .iter()
                                .find(|e| real.ends_with(e.as_str()))
                                .map_or("", String::as_str);
                            format!("{}{ending}", names.initiative(self.vocab, rng))
                        };
                        self.programs.insert(key, name);
                    }
                    out.push_str(&self.programs[&key]);
                }
                Piece::Document(id) => {
                    if !self.programs.contains_key(id) {
                        let jurisdiction = match rng.below(10) {
                            0..=5 => home.place.full.clone(),
                            6 => {
                                let city = self.locality(true, u32::MAX, rng);
                                format!("{}{}", home.place.full, city.full)
                            }
                            _ => String::new(),
                        };
                        let name =
                            names.document(self.vocab, &jurisdiction, self.event.year(), rng);
                        self.programs.insert(*id, name);
                    }
                    out.push('《');
                    out.push_str(&self.programs[id]);
                    out.push('》');
                }
                Piece::Quote(id) => {
                    let name = self
                        .programs
                        .entry(*id)
                        .or_insert_with(|| names.initiative(self.vocab, rng));
                    out.push('“');
                    out.push_str(name);
                    out.push('”');
                }
            }
        }
    }

    /// The city (or, in a municipality, district) or county of the article's
    /// province that stands for source place `id`.
    fn locality(&mut self, city: bool, id: u32, rng: &mut Rng) -> super::Place {
        let home = &self.provinces[self.province];
        let list = if city && !home.cities.is_empty() {
            &home.cities
        } else {
            &home.counties
        };
        if list.is_empty() {
            return home.place.clone();
        }
        let key = (city, id);
        let i = match self.places.get(&key) {
            Some(&i) => i,
            None => {
                let i = rng.below(list.len());
                self.places.insert(key, i);
                let p = &list[i];
                if !self.written.iter().any(|(f, _)| *f == p.full) {
                    self.written.push((p.full.clone(), p.short.clone()));
                }
                i
            }
        };
        list[i].clone()
    }
}

/// A random number shaped like the source's.
fn number(int: u8, frac: u8, unit: Unit, event: NaiveDate, rng: &mut Rng, out: &mut String) {
    use std::fmt::Write;
    match unit {
        Unit::Month => {
            let m = (event - Duration::days(rng.below(120) as i64)).month();
            let _ = write!(out, "{m}");
        }
        Unit::Day => {
            let _ = write!(out, "{}", 1 + rng.below(28));
        }
        Unit::Plain => {
            if int <= 1 {
                let _ = write!(out, "{}", 1 + rng.below(9));
            } else {
                let low = 10u64.pow(u32::from(int.min(12)) - 1);
                let _ = write!(out, "{}", low + rng.next_u64() % (9 * low));
            }
            if frac > 0 {
                out.push('.');
                for _ in 0..frac {
                    out.push(char::from(b'0' + rng.below(10) as u8));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{self, SectionNames};
    use std::path::Path;

    pub(crate) fn sample_pool() -> Vec<Article> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let sections = SectionNames::load(&root.join("dictionaries/sections.csv")).unwrap();
        let (files, _) = ingest::discover(&[root.join("corpus/sample")]);
        files
            .iter()
            .flat_map(|f| {
                ingest::read_file(&f.path, &f.source, &f.id_stem, &sections)
                    .unwrap()
                    .articles
            })
            .collect()
    }

    fn provinces() -> Vec<Province> {
        super::super::load_provinces(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/divisions"),
        )
        .unwrap()
    }

    #[test]
    fn clauses_split_outside_brackets() {
        let parts = split_clauses("近日，江苏印发《关于A，B的通知》，推进“一网，通办”改革。");
        let texts: Vec<&str> = parts.iter().map(|p| p.0).collect();
        assert_eq!(
            texts,
            ["近日", "江苏印发《关于A，B的通知》", "推进“一网，通办”改革"]
        );
        assert_eq!(parts[2].1, Some('。'));
    }

    #[test]
    fn a_sample_clause_becomes_slots() {
        let v = Vocab::bundled().unwrap();
        let p = provinces();
        let bank = Bank::new(&[], &p, &v);
        let _ = bank;
        let pool = vec![Article {
            title: "江苏启动科技创新券试点".into(),
            text: "10月21日，江苏省科技厅在苏州市发布《江苏省科技创新券试点方案》，首批510万元资金投入“苏创贷”。".into(),
            ..Article::default()
        }];
        let bank = Bank::new(&pool, &p, &v);
        let pieces: Vec<&Piece> = bank.clauses.iter().flat_map(|c| &c.pieces).collect();
        assert!(pieces.contains(&&Piece::Number {
            int: 2,
            frac: 0,
            unit: Unit::Month
        }));
        assert!(pieces.contains(&&Piece::Number {
            int: 2,
            frac: 0,
            unit: Unit::Day
        }));
        assert!(pieces.contains(&&Piece::Number {
            int: 3,
            frac: 0,
            unit: Unit::Plain
        }));
        assert!(pieces
            .iter()
            .any(|p| matches!(p, Piece::Province { short: false, .. })));
        assert!(pieces
            .iter()
            .any(|p| matches!(p, Piece::City { short: false, .. })));
        assert!(pieces.iter().any(|p| matches!(p, Piece::Document(_))));
        assert!(pieces.iter().any(|p| matches!(p, Piece::Quote(_))));
        // The agency stem stays as written, to be rebuilt on the new place.
        assert!(
            pieces.contains(&&Piece::Text("科技厅".into()))
                || pieces
                    .iter()
                    .any(|p| matches!(p, Piece::Text(t) if t.starts_with("科技厅")))
        );
        // The instrument in the title is a slot of its own.
        assert!(bank.titles[0].instrument);

        let mut names = Names::default();
        let mut rng = Rng::new(3);
        let hunan = p.iter().position(|x| x.place.short == "湖南").unwrap();
        let event = NaiveDate::from_ymd_opt(2021, 5, 6).unwrap();
        let mut a = String::new();
        let mut local = Local::new(&p, &v, hunan, event);
        for c in &bank.clauses {
            local.render(c, &mut names, &mut rng, &mut a);
        }
        assert!(a.contains("湖南省科技厅"), "{a}");
        assert!(
            a.contains("《") && !a.contains("科技创新券试点方案》"),
            "{a}"
        );
        assert!(!a.contains("苏州") && !a.contains("江苏"), "{a}");
        assert!(!a.contains("苏创贷"), "{a}");
        assert!(
            local.written.iter().any(|(f, _)| a.contains(f.as_str())),
            "{a}"
        );
    }

    /// Two renderings of one sample clause share no run the detector
    /// counts (18 letters): every clause in use has slots often enough.
    #[test]
    fn renderings_of_one_clause_differ_often() {
        let v = Vocab::bundled().unwrap();
        let p = provinces();
        let pool = sample_pool();
        let bank = Bank::new(&pool, &p, &v);
        let share = bank.usable_share();
        assert!(share > 0.35, "only {share:.2} of the sample text is usable");
        let mut names = Names::default();
        let mut rng = Rng::new(9);
        let event = NaiveDate::from_ymd_opt(2021, 5, 6).unwrap();
        let (mut long, mut total) = (0, 0);
        for &id in bank.openers.iter().chain(&bank.inners) {
            let clause = &bank.clauses[id as usize];
            let mut texts = Vec::new();
            for k in 0..4 {
                let mut s = String::new();
                Local::new(&p, &v, k * 7 % p.len(), event)
                    .render(clause, &mut names, &mut rng, &mut s);
                texts.push(
                    s.chars()
                        .filter(|c| c.is_alphanumeric())
                        .collect::<Vec<char>>(),
                );
            }
            for i in 0..texts.len() {
                for j in i + 1..texts.len() {
                    total += 1;
                    if longest_common_run(&texts[i], &texts[j]) >= 18 {
                        long += 1;
                    }
                }
            }
        }
        let rate = long as f64 / total as f64;
        eprintln!(
            "usable share {share:.2}, {} clauses, {long} of {total} rendering pairs share 18+",
            bank.openers.len() + bank.inners.len()
        );
        assert!(
            rate < 0.01,
            "{long} of {total} pairs of renderings share 18 characters or more"
        );
    }

    fn longest_common_run(a: &[char], b: &[char]) -> usize {
        let mut best = 0;
        let mut prev = vec![0usize; b.len() + 1];
        for x in a {
            let mut cur = vec![0usize; b.len() + 1];
            for (j, y) in b.iter().enumerate() {
                if x == y {
                    cur[j + 1] = prev[j] + 1;
                    best = best.max(cur[j + 1]);
                }
            }
            prev = cur;
        }
        best
    }
}
