//! Extract: dictionaries and patterns → mentions → resolved entities.
//!
//! One aho-corasick automaton, compiled from every dictionary under
//! `dictionaries/`, finds region, agency and program mentions in one pass;
//! regexes and a numeral parser handle the open classes (amounts, dates,
//! 《titles》 and quoted names). Extractors know nothing of the graph: they
//! fill an [`Entities`] record.
//!
//! The modules, in the order an article goes through them:
//!
//! * [`dictionary`] reads and checks the CSV files;
//! * [`gazetteer`] builds regions and every name for them;
//! * [`lexicon`] compiles all names into the automaton and scans a [`text::Text`];
//! * [`program`] finds 《documents》, quoted and known initiatives, and the
//!   spans inside which a place name is part of another name;
//! * [`region`] decides which region matches are mentions and resolves them;
//! * [`agency`] composes agencies from regions and stems;
//! * [`province`] decides where the event takes place.

pub mod agency;
pub mod amount;
pub mod date;
pub mod dictionary;
pub mod gazetteer;
pub mod lexicon;
pub mod numeral;
pub mod program;
pub mod province;
pub mod region;
pub mod rules;
pub mod text;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub use aho_corasick::AhoCorasickKind;

use crate::record::{Article, DateSource, Entities, EntityRef, Field, RegionInfo};
use crate::script::{self, Script};
use agency::{Mode, Scope, Stem};
use dictionary::Dictionaries;
use gazetteer::{FormKind, Gazetteer, Need};
use lexicon::{Entry, Lexicon, Memo, Token, Verdict};
use program::Templates;
use rules::{starts_with_any, Rules};
use text::Text;

/// Errors found while loading dictionaries: always name the file and line.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: String,
        line: u64,
        message: String,
    },
}

/// The compiled dictionaries and patterns; build once, share across threads.
pub struct Extractor {
    gazetteer: Gazetteer,
    lexicon: Lexicon,
    rules: Rules,
    stems: Vec<Stem>,
    national: Vec<String>,
    initiatives: Vec<String>,
    templates: Templates,
    /// One-character abbreviations and their strength (see [`FormKind::Abbr`]).
    abbreviations: text::FastMap<char, u8>,
    /// Traditional → simplified: names are matched on the simplified shadow
    /// of a text (`dictionaries/script/`).
    script: Script,
}

impl Extractor {
    /// Load and validate every dictionary under `dir` and compile the automaton.
    pub fn from_dir(dir: &Path) -> Result<Extractor, DictError> {
        Extractor::from_dir_with(dir, None)
    }

    /// Like [`Extractor::from_dir`], with a chosen automaton implementation
    /// (`None`: the default, [`Lexicon::DEFAULT_KIND`]).
    pub fn from_dir_with(
        dir: &Path,
        kind: Option<AhoCorasickKind>,
    ) -> Result<Extractor, DictError> {
        let d = Dictionaries::load(dir)?;
        let script = Script::load(&dir.join(script::TABLE_PATH))?;
        let gazetteer = Gazetteer::build(&d);
        let rules = Rules::new(&d);
        let mut b = Lexicon::builder();
        let mut abbreviations = text::FastMap::default();
        for (i, f) in gazetteer.forms.iter().enumerate() {
            b.add(&f.text, Entry::Region(i as u32));
            if let FormKind::Abbr { strength } = f.kind {
                if let Some(c) = f.text.chars().next() {
                    abbreviations.insert(c, strength);
                }
            }
        }
        let stems: Vec<Stem> = d
            .stems
            .iter()
            .map(|(stem, canonical, mode)| Stem {
                text: stem.clone(),
                canonical: canonical.clone(),
                mode: match mode.as_str() {
                    "open" => Mode::Open,
                    "port" => Mode::Port,
                    _ => Mode::Plain,
                },
            })
            .collect();
        for (i, s) in stems.iter().enumerate() {
            b.add(&s.text, Entry::Stem(i as u32));
        }
        for (i, (name, aliases)) in d.national.iter().enumerate() {
            for n in std::iter::once(name).chain(aliases) {
                b.add(n, Entry::National(i as u32));
            }
        }
        for (i, (name, aliases)) in d.initiatives.iter().enumerate() {
            for n in std::iter::once(name).chain(aliases) {
                b.add(n, Entry::Initiative(i as u32));
            }
        }
        for w in &d.blockers {
            b.add(w, Entry::Blocker);
        }
        let lexicon = b.build(kind).map_err(|e| DictError::Invalid {
            path: dir.display().to_string(),
            line: 0,
            message: format!("cannot compile the dictionaries into an automaton: {e}"),
        })?;
        Ok(Extractor {
            gazetteer,
            lexicon,
            rules,
            stems,
            national: d.national.iter().map(|(n, _)| n.clone()).collect(),
            initiatives: d.initiatives.iter().map(|(n, _)| n.clone()).collect(),
            templates: Templates::new(),
            abbreviations,
            script,
        })
    }

    /// Number of distinct patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.lexicon.len()
    }

    /// Heap memory of the automaton, in bytes.
    pub fn automaton_memory(&self) -> usize {
        self.lexicon.memory_usage()
    }

    /// Every pattern of the automaton (normalised), for measuring the raw
    /// scan speed the extractor is compared against in benchmarks.
    pub fn patterns(&self) -> &[String] {
        &self.lexicon.patterns
    }

    /// The automaton implementation in use.
    pub fn automaton_kind(&self) -> AhoCorasickKind {
        self.lexicon.kind()
    }

    /// Extract every entity of one article (title and body).
    pub fn extract(&self, article: &Article) -> Entities {
        // Amounts and dates are read on the simplified shadow (50 萬元 is
        // 50 万元): borrowed, no copy, for a simplified article. The shadow
        // has the same characters at the same offsets, so spans point into
        // the text as printed, and surface forms are taken from it.
        let title = self.script.simplified(&article.title);
        let text = self.script.simplified(&article.text);
        // Repeated identical amounts are one (ENTITIES.md); the title's comes first.
        let mut amounts = amount::find_amounts(&title, Field::Title);
        amounts.extend(amount::find_amounts(&text, Field::Text));
        if matches!(title, Cow::Owned(_)) || matches!(text, Cow::Owned(_)) {
            for a in &mut amounts {
                if let Some(span) = a.span {
                    let printed = match span.field {
                        Field::Title => &article.title,
                        Field::Text => &article.text,
                    };
                    a.text = printed
                        .chars()
                        .skip(span.start)
                        .take(span.end.saturating_sub(span.start))
                        .collect();
                }
            }
        }
        let mut entities = Entities {
            amounts: amount::dedupe_amounts(amounts),
            ..Entities::default()
        };
        let published = article.published.or(article.bulletin.date);
        entities.date = article
            .item_date
            .or_else(|| date::event_date(&title, &text, published));
        // A document that states no event is itself the event: the day it
        // was signed.
        let signed = article.document.as_ref().and_then(|d| d.signed);
        entities.date_source = if entities.date.is_some() {
            Some(DateSource::Event)
        } else if let Some(d) = signed {
            entities.date = Some(d);
            Some(DateSource::Signature)
        } else if article.published.is_some() {
            article.published_source.or(Some(DateSource::Publication))
        } else {
            article.bulletin.date.map(|_| DateSource::Bulletin)
        };
        self.extract_names(article, &mut entities);
        entities
    }

    /// Regions, agencies, programs and the province. A body longer than
    /// [`PIECE`] characters is read piece by piece (at line or sentence
    /// breaks) and the pieces' entities merged, so that memory stays bounded
    /// by the piece whatever the article; context (places named elsewhere in
    /// the body) then reaches as far as a piece.
    fn extract_names(&self, article: &Article, out: &mut Entities) {
        let pieces = split_pieces(&article.text, PIECE);
        if pieces.len() <= 1 {
            self.extract_piece(&article.title, &article.text, out);
            return;
        }
        let mut merged = Merged::default();
        let mut provinces: HashMap<String, usize> = HashMap::new();
        let mut offset = 0;
        for (k, piece) in pieces.iter().enumerate() {
            let mut e = Entities::default();
            self.extract_piece(&article.title, piece, &mut e);
            if let Some(p) = e.province.take() {
                *provinces.entry(p).or_default() += 1;
            }
            merged.add(0, &mut out.regions, e.regions, offset, k == 0);
            merged.add(1, &mut out.agencies, e.agencies, offset, k == 0);
            merged.add(2, &mut out.programs, e.programs, offset, k == 0);
            offset += piece.chars().count();
        }
        let named: usize = provinces.values().sum();
        out.province = provinces
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .filter(|(_, n)| 2 * n > named)
            .map(|(p, _)| p);
    }

    /// Extraction proper over a title and a body (or a piece of one).
    fn extract_piece(&self, title: &str, body: &str, out: &mut Entities) {
        let g = &self.gazetteer;
        // Matched on the simplified shadow: spans and surface forms still
        // point into the text as printed (see `text::Text::with_script`).
        let texts = [
            Text::with_script(title, Field::Title, &self.script),
            Text::with_script(body, Field::Text, &self.script),
        ];
        // Two scans: the first finds the provinces the article names outright;
        // the second drops conditional names of other provinces before they
        // can hide a real name that overlaps them (合马 of 联合马鞍山).
        // The second scan asks the automaton again only where its verdicts
        // differ from the first's (see `lexicon::Memo`).
        let mut memos: [Memo; 2] = Default::default();
        let first: [Vec<Token>; 2] = [
            self.scan(&texts[0], None, &mut memos[0]),
            self.scan(&texts[1], None, &mut memos[1]),
        ];
        let context = self.named_provinces(&first);
        let tokens: [Vec<Token>; 2] = [
            self.scan(&texts[0], Some(&context), &mut memos[0]),
            self.scan(&texts[1], Some(&context), &mut memos[1]),
        ];
        let found = program::find(
            &self.lexicon,
            &self.initiatives,
            &self.rules,
            &texts,
            &tokens,
        );
        let shields = text::Cover::new(&found.shields);
        let mut regions = region::collect(&self.lexicon, g, &tokens);
        let stops = agency::stem_starts(&self.lexicon, &tokens);
        region::mark_roles(&mut regions, &texts, &self.rules, &shields, &stops);
        let hits = agency::find(
            &self.lexicon,
            &self.stems,
            &self.rules,
            &texts,
            &tokens,
            &mut regions,
            &shields,
        );
        region::resolve(g, &texts, &self.rules, &mut regions, None);
        region::resolve(g, &texts, &self.rules, &mut regions, None);
        let agency_regions: Vec<(usize, u32)> = hits
            .iter()
            .filter_map(|h| match h.scope {
                Scope::Explicit(ri) => regions[ri].one().map(|r| (h.field, r)),
                _ => None,
            })
            .collect();
        let province = province::decide(g, &self.rules, &texts, &regions, &agency_regions);
        if province.is_some() {
            region::resolve(g, &texts, &self.rules, &mut regions, province);
        }
        let place = province::place(g, &regions, province);
        out.province = province.map(|p| g.regions[p as usize].name.clone());
        out.regions = region::entities(g, &texts, &regions);
        out.agencies = agency::entities(
            g,
            &self.stems,
            &self.national,
            &texts,
            &regions,
            &hits,
            place,
        );
        out.programs = program::entities(
            g,
            &self.lexicon,
            &self.rules,
            &self.templates,
            &texts,
            &regions,
            &found,
            place,
        );
    }

    /// Provinces named without condition by `tokens` (and those of the
    /// members of named zones).
    fn named_provinces(&self, tokens: &[Vec<Token>; 2]) -> HashSet<u32> {
        let g = &self.gazetteer;
        let mut out = HashSet::new();
        for t in tokens.iter().flatten() {
            for e in self.lexicon.entries(t.pattern) {
                if let Entry::Region(f) = e {
                    let f = &g.forms[*f as usize];
                    if f.need == Need::None {
                        let r = f.region;
                        let members = g.members.get(&r).map(Vec::as_slice).unwrap_or(&[]);
                        for &x in std::iter::once(&r).chain(members) {
                            out.extend(g.regions[x as usize].province);
                        }
                    }
                }
            }
        }
        out
    }

    /// Every dictionary match in `text`, with one-character abbreviations kept
    /// only where they are abbreviations, and 上海市场 read as 上海 + 市场.
    /// With `context` (provinces the article names), a name that counts only
    /// in context and lies in none of them is no match at all.
    ///
    /// Without `context`, `memo` records the automaton's answers; with it,
    /// they are replayed.
    fn scan(&self, text: &Text, context: Option<&HashSet<u32>>, memo: &mut Memo) -> Vec<Token> {
        let judge = |text: &Text, tok: &Token| {
            if let Some(context) = context {
                let g = &self.gazetteer;
                let entries = self.lexicon.entries(tok.pattern);
                let word_before = text
                    .before(tok.start)
                    .is_some_and(|c| text::is_han(c) && !self.rules.function_char.contains(&c));
                let hopeless = entries.iter().all(|e| match e {
                    Entry::Region(f) => {
                        let f = &g.forms[*f as usize];
                        f.need != Need::None
                            && !matches!(f.kind, FormKind::Abbr { .. })
                            && (f.need != Need::Loose || word_before)
                            && g.regions[f.region as usize]
                                .province
                                .is_some_and(|p| !context.contains(&p))
                    }
                    _ => false,
                });
                if hopeless {
                    return Verdict::Reject;
                }
            }
            if tok.end == tok.start + 1 {
                if let Some(c) = text.get(tok.start) {
                    if self.abbreviations.contains_key(&c) {
                        return if self.abbreviation_ok(text, tok.start) {
                            Verdict::Keep
                        } else {
                            Verdict::Reject
                        };
                    }
                }
            }
            let entries = self.lexicon.entries(tok.pattern);
            // 交通部 inside 交通部门 (a department in general) is no ministry.
            if text.get(tok.end) == Some('门')
                && text.get(tok.end - 1) == Some('部')
                && entries
                    .iter()
                    .any(|e| matches!(e, Entry::National(_) | Entry::Stem(_)))
            {
                return Verdict::Reject;
            }
            let full = entries.iter().any(|e| match e {
                Entry::Region(f) => self.gazetteer.forms[*f as usize].kind == FormKind::Full,
                _ => false,
            });
            if full {
                if let (Some(last), Some(next)) = (text.get(tok.end - 1), text.get(tok.end)) {
                    if self
                        .rules
                        .split_after
                        .get(&last)
                        .is_some_and(|set| set.contains(&next))
                    {
                        let shorter = text.slice(tok.start, tok.end - 1);
                        if let Some(p) = self.lexicon.get(&shorter) {
                            if self
                                .lexicon
                                .entries(p)
                                .iter()
                                .any(|e| matches!(e, Entry::Region(_)))
                            {
                                return Verdict::Shorten(tok.end - 1, p);
                            }
                        }
                    }
                }
            }
            Verdict::Keep
        };
        match context {
            None => self.lexicon.scan_recording(text, memo, judge),
            Some(_) => self.lexicon.rescan(text, memo, judge),
        }
    }

    /// Is the one-character abbreviation at `pos` used as one? Only in a run
    /// of abbreviations (沪苏浙皖, 京、津、沪, 苏浙皖 3 省) or next to a word that
    /// makes it a place (在沪, 沪浙两地, 沪上), never inside an ordinary word
    /// (晋级, 津贴, 京东).
    fn abbreviation_ok(&self, text: &Text, pos: usize) -> bool {
        let strength = |i: usize| {
            text.get(i)
                .and_then(|c| self.abbreviations.get(&c))
                .copied()
        };
        // Runs are short (沪苏浙皖); a cap keeps a pathological text linear.
        const MAX_RUN: usize = 12;
        let mut run = vec![pos];
        let mut i = pos;
        while run.len() < MAX_RUN {
            if i >= 1 && strength(i - 1).is_some() {
                i -= 1;
            } else if i >= 2 && text.get(i - 1) == Some('、') && strength(i - 2).is_some() {
                i -= 2;
            } else {
                break;
            }
            run.insert(0, i);
        }
        let mut i = pos;
        while run.len() < 2 * MAX_RUN {
            if strength(i + 1).is_some() {
                i += 1;
            } else if text.get(i + 1) == Some('、') && strength(i + 2).is_some() {
                i += 2;
            } else {
                break;
            }
            run.push(i);
        }
        let (first, last) = (run[0], run[run.len() - 1]);
        let after = &text.string[text.byte(last + 1)..];
        let after_cue = starts_with_any(after, &self.rules.abbr_cue_after).is_some();
        let before_cue = text
            .before(first)
            .is_some_and(|c| self.rules.abbr_cue_before.contains(&c));
        let s: Vec<u8> = run.iter().map(|&k| strength(k).unwrap_or(0)).collect();
        match s.len() {
            1 => s[0] == 2 && (before_cue || after_cue),
            2 => {
                (s[0] >= 1 && s[1] >= 1) || (s.iter().any(|&x| x >= 1) && (before_cue || after_cue))
            }
            _ => true,
        }
    }

    /// The traditional → simplified table the extractor matches through.
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// What the gazetteer knows of a region id (for `WITHIN` edges).
    pub fn region(&self, id: &str) -> Option<RegionInfo> {
        self.gazetteer.info(id)
    }

    /// The template key of a program name (jurisdictions, years and editions
    /// removed): 江苏省科技创新券试点方案 → 科技创新券试点方案.
    pub fn template_key(&self, name: &str) -> String {
        self.templates.key(&self.lexicon, &self.rules, name)
    }
}

/// Shared helpers for the extractors' unit tests: one extractor over the
/// bundled dictionaries, built once per test binary.
#[cfg(test)]
pub(crate) mod testutil {
    use std::sync::OnceLock;

    use super::Extractor;
    use crate::record::{Article, BulletinMeta, Entities, EntityRef};

    pub fn extractor() -> &'static Extractor {
        static EX: OnceLock<Extractor> = OnceLock::new();
        EX.get_or_init(|| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
            Extractor::from_dir(&dir).expect("bundled dictionaries load")
        })
    }

    pub fn extract(title: &str, text: &str) -> Entities {
        let article = Article {
            id: "t:01".into(),
            source: "t.txt".into(),
            bulletin: BulletinMeta::default(),
            section: None,
            title: title.into(),
            text: text.into(),
            ..Default::default()
        };
        extractor().extract(&article)
    }

    pub fn ids(v: &[EntityRef]) -> Vec<&str> {
        v.iter().map(|e| e.id.as_str()).collect()
    }

    pub fn find<'a>(v: &'a [EntityRef], id: &str) -> Option<&'a EntityRef> {
        v.iter().find(|e| e.id == id)
    }
}

/// Bodies longer than this (in characters) are extracted in pieces.
pub const PIECE: usize = 50_000;

/// Cut `text` into pieces of about `size` characters, at line breaks where
/// possible, else after a sentence end, else anywhere.
fn split_pieces(text: &str, size: usize) -> Vec<&str> {
    if text.len() <= size {
        return vec![text];
    }
    let mut pieces = Vec::new();
    let mut start = 0; // byte
    let mut chars = 0;
    let mut last_line = None; // byte just after the last '\n' in this piece
    let mut last_sentence = None;
    for (b, c) in text.char_indices() {
        chars += 1;
        let after = b + c.len_utf8();
        if c == '\n' {
            last_line = Some(after);
        } else if text::is_sentence_end(c) {
            last_sentence = Some(after);
        }
        if chars >= size {
            let cut = last_line.or(last_sentence).unwrap_or(after);
            pieces.push(&text[start..cut]);
            chars = text[cut..after].chars().count();
            start = cut;
            last_line = None;
            last_sentence = None;
        }
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// Entities of several pieces of one body, merged by id.
#[derive(Default)]
struct Merged {
    index: HashMap<(usize, String), usize>,
}

impl Merged {
    /// Add the entities of one piece whose body starts at character
    /// `offset`; title spans are kept from the first piece only.
    /// `list` tells the target lists apart (regions, agencies, programs).
    fn add(
        &mut self,
        list: usize,
        into: &mut Vec<EntityRef>,
        from: Vec<EntityRef>,
        offset: usize,
        first: bool,
    ) {
        for mut e in from {
            e.spans.retain(|s| first || s.field == Field::Text);
            if e.spans.is_empty() {
                continue;
            }
            for s in &mut e.spans {
                if s.field == Field::Text {
                    s.start += offset;
                    s.end += offset;
                }
            }
            let key = (list, e.id.clone());
            match self.index.get(&key) {
                Some(&i) => {
                    let t = &mut into[i];
                    for m in e.mentions {
                        if !t.mentions.contains(&m) {
                            t.mentions.push(m);
                        }
                    }
                    for c in e.candidates {
                        if !t.candidates.contains(&c) {
                            t.candidates.push(c);
                        }
                    }
                    t.spans.extend(e.spans);
                }
                None => {
                    self.index.insert(key, into.len());
                    into.push(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::{extract, find};
    use super::{split_pieces, PIECE};

    #[test]
    fn traditional_script_yields_the_entities_of_simplified_script_with_mentions_as_printed() {
        let simplified = (
            "江苏启动科技创新券试点",
            "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，苏州、无锡率先试点，\
对科技型中小企业给予最高 50 万元补助。上海市发展和改革委员会、浦东新区同步跟进。",
        );
        let traditional = (
            "江蘇啟動科技創新券試點",
            "近日，江蘇省科技廳、省財政廳聯合印發《江蘇省科技創新券試點方案》，蘇州、無錫率先試點，\
對科技型中小企業給予最高 50 萬元補助。上海市發展和改革委員會、浦東新區同步跟進。",
        );
        let s = extract(simplified.0, simplified.1);
        let t = extract(traditional.0, traditional.1);
        let names =
            |v: &[crate::record::EntityRef]| -> Vec<(String, String, Vec<crate::record::Span>)> {
                v.iter()
                    .map(|e| (e.id.clone(), e.name.clone(), e.spans.clone()))
                    .collect()
            };
        assert!(!s.programs.is_empty() && !s.agencies.is_empty() && !s.regions.is_empty());
        assert_eq!(names(&t.regions), names(&s.regions));
        assert_eq!(names(&t.agencies), names(&s.agencies));
        assert_eq!(names(&t.programs), names(&s.programs));
        assert_eq!(t.province, s.province);
        assert_eq!(
            t.programs.iter().map(|p| &p.template).collect::<Vec<_>>(),
            s.programs.iter().map(|p| &p.template).collect::<Vec<_>>()
        );
        // Mentions are as printed, and every span points at one of them.
        let chars: Vec<char> = traditional.1.chars().collect();
        for e in t.regions.iter().chain(&t.agencies).chain(&t.programs) {
            for sp in e
                .spans
                .iter()
                .filter(|sp| sp.field == crate::record::Field::Text)
            {
                let printed: String = chars[sp.start..sp.end].iter().collect();
                assert!(
                    e.mentions.contains(&printed),
                    "{printed} not in {:?}",
                    e.mentions
                );
            }
        }
        let program = find(&t.programs, "江苏省科技创新券试点方案").unwrap();
        assert_eq!(program.mentions, ["江蘇省科技創新券試點方案"]);
        let agency = find(&t.agencies, "江苏省科学技术厅").unwrap();
        assert_eq!(agency.mentions, ["江蘇省科技廳"]);
        assert!(find(&t.regions, "320500")
            .unwrap()
            .mentions
            .contains(&"蘇州".to_string()));
        // Amounts too, their surface form as printed.
        assert_eq!(t.amounts.len(), s.amounts.len());
        assert_eq!(t.amounts[0].value_yuan, s.amounts[0].value_yuan);
        assert_eq!(t.amounts[0].text.replace('萬', "万"), s.amounts[0].text);
        assert!(t.amounts[0].text.contains('萬'));
    }

    #[test]
    fn pieces_cut_at_line_and_sentence_breaks_and_lose_nothing() {
        let text = "甲乙。丙丁\n戊己庚。辛";
        let pieces = split_pieces(text, 4);
        assert_eq!(pieces.concat(), text);
        assert_eq!(pieces[0], "甲乙。");
        assert!(split_pieces("短文本", 4).len() == 1);
    }

    #[test]
    fn a_long_body_is_read_in_pieces_with_spans_into_the_whole() {
        let unit = "江苏省科技厅印发《江苏省科技创新券试点方案》，苏州、无锡率先试点。\n";
        let n = PIECE / unit.chars().count() * 3;
        let body = unit.repeat(n);
        let e = extract("江苏启动科技创新券试点", &body);
        let chars: Vec<char> = body.chars().collect();
        let suzhou = find(&e.regions, "320500").unwrap();
        assert_eq!(suzhou.spans.len(), n);
        let last = suzhou.spans.last().unwrap();
        assert_eq!(
            chars[last.start..last.end].iter().collect::<String>(),
            "苏州"
        );
        assert_eq!(e.province.as_deref(), Some("江苏省"));
        assert_eq!(
            find(&e.agencies, "江苏省科学技术厅").unwrap().spans.len(),
            n
        );
        assert_eq!(e.regions.iter().filter(|r| r.id == "320000").count(), 1);
    }
}
