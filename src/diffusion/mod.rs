//! Diffusion: where a policy adopted in one province (or city) reappears in
//! another, who was first, how long after, and on what evidence.
//!
//! Four signals, each in its own module:
//!
//! * **template** — a program of both articles with the same template key
//!   (the extractor's title with jurisdiction, years and versions removed),
//!   or the same named initiative;
//! * **instrument** — the same institution or instrument type from
//!   `dictionaries/instruments.csv` ([`instruments`]), however each place
//!   names it;
//! * **text_reuse** — a passage of one article that reappears nearly
//!   verbatim in the other: sampled shingle fingerprints ([`fingerprint`])
//!   give candidate pairs in near-linear time and an estimate of the shared
//!   passages; the findings kept are then aligned exactly on their texts
//!   ([`shingle`]) for the evidence passage;
//! * **leftover_names** — the later article's shared passage still names
//!   the earlier one's places or agencies ([`leftover`]).
//!
//! [`score`] weighs shared terms by how rare they are in the corpus and
//! how central they are to both articles, so vocabulary everyone uses
//! (人工智能, 区块链) does not make two articles a pair.
//!
//! Work is in three stages, each usable alone (the benchmark times them):
//! [`Detector::sketch`] reduces each article, as it streams past, to a
//! [`Sketch`] of a few hundred bytes (features, jurisdiction, date, text
//! fingerprints, names of other places), collected in a [`Corpus`]; no
//! text is kept. [`Detector::candidates`] pairs articles of different
//! places sharing a term or fingerprints, and [`Detector::score`] scores
//! them, keeps each article's [`Options::max_sources`] strongest sources
//! and reads back only their texts ([`Texts`]) for the evidence
//! ([`Detector::score_each`] hands the findings over a few thousand at a
//! time instead of holding them all). A term
//! shared by more than [`Options::max_df`] articles links each to its
//! nearest earlier adopters only, fingerprints of more than
//! [`Options::max_bucket`] articles are skipped and each article keeps its
//! [`fingerprint::MAX_PARTNERS`] best text partners, so candidates,
//! findings and memory grow linearly with the corpus. The corpus is kept
//! in flat arrays ([`arena`]), about 550 bytes an article on the
//! synthetic benchmark corpus (`Corpus::heap_bytes` itemises it).
//!
//! **Direction and ties.** A finding points from the earlier adopter's
//! article to the later one's, by event date, else bulletin date. When the
//! two dates are equal or either is unknown, leftover foreign names decide
//! when they point one way (the names are the original's); otherwise the
//! finding points from the article with the smaller id (input order) and
//! says so ([`Order::Tie`]); the lag is 0 for a same-day pair and unknown
//! for an undated one.
//!
//! Output is deterministic: no hash map is ever iterated, features are
//! numbered in input order and findings are sorted by score, then ids.
//!
//! The rest: `features` (what an article offers for comparison), `pair`
//! (scoring one candidate), [`places`] (jurisdictions: only pairs of
//! different places count), [`generic`] (vocabulary that is not evidence),
//! [`table`] (adopters of each instrument in date order, for
//! `diffusion.csv`) and [`gold`] (annotated pairs and how findings match
//! them).

pub mod arena;
pub mod features;
pub mod fingerprint;
pub mod generic;
pub mod gold;
pub mod instruments;
pub mod leftover;
mod pair;
pub mod places;
pub mod score;
pub mod shingle;
pub mod sketch;
pub mod table;
pub mod texts;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::extract::DictError;
use crate::graph::CopyEdge;
use crate::record::ArticleRecord;

use arena::{reserve, Flat, FlatStr, Interner};
use fingerprint::Print;
use generic::GenericTerms;
use instruments::Instruments;
use places::{Jurisdiction, PlaceRef, Places};
pub use score::Confidence;
use sketch::Sketch;

/// Which kind of evidence found a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    Template,
    Instrument,
    TextReuse,
    LeftoverNames,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Template => "template",
            Signal::Instrument => "instrument",
            Signal::TextReuse => "text_reuse",
            Signal::LeftoverNames => "leftover_names",
        }
    }
}

/// What decided the direction of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// The earlier date (event date, else bulletin date).
    Date,
    /// Equal or unknown dates; the later article keeps the earlier one's names.
    LeftoverNames,
    /// Equal or unknown dates and nothing else: from the smaller article id.
    Tie,
}

/// A term both articles name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SharedTerm {
    pub signal: Signal,
    /// The instrument's canonical name or the template key.
    pub key: String,
    /// As written in each article (`上海市城市运行管理中心`,
    /// `重庆市新型智慧城市运行管理中心`).
    pub from_surface: String,
    pub to_surface: String,
    /// Articles of the corpus that name it.
    pub adopters: usize,
    /// Its weight in the score (prior × rarity × centrality).
    pub weight: f64,
}

/// The text both articles share.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Passage {
    /// The longest shared passage, as the later article prints it
    /// (shortened in the middle beyond [`PASSAGE_SHOWN`] characters).
    pub text: String,
    /// Its character range in the later article's text, and the matching
    /// one in the earlier article's.
    pub to_span: (usize, usize),
    pub from_span: (usize, usize),
    /// Characters of the later article's text inside any shared passage …
    pub shared_chars: usize,
    /// … of all its characters ("320 of 390").
    pub total_chars: usize,
}

/// Characters of a passage shown in evidence.
pub const PASSAGE_SHOWN: usize = 160;

/// Everything a reader needs to check a finding.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evidence {
    /// Shared terms that counted, strongest first.
    pub terms: Vec<SharedTerm>,
    pub passage: Option<Passage>,
    /// Names of the earlier article's place kept in the later one's shared
    /// passages (or, when the dates disagree with the text, names of the
    /// later article's place kept in the earlier one's).
    pub leftover_names: Vec<String>,
}

impl Evidence {
    /// One line: `instrument 城市运行管理中心 (上海市城市运行管理中心 / …);
    /// passage 320 of 390 chars “…”; leftover names 苏州市`.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self
            .terms
            .iter()
            .map(|t| {
                let surfaces = if t.from_surface == t.to_surface {
                    t.from_surface.clone()
                } else {
                    format!("{} / {}", t.from_surface, t.to_surface)
                };
                if surfaces == t.key {
                    format!("{} {}", t.signal.as_str(), t.key)
                } else {
                    format!("{} {} ({})", t.signal.as_str(), t.key, surfaces)
                }
            })
            .collect();
        if let Some(p) = &self.passage {
            parts.push(format!(
                "passage {} of {} chars “{}”",
                p.shared_chars, p.total_chars, p.text
            ));
        }
        if !self.leftover_names.is_empty() {
            parts.push(format!("leftover names {}", self.leftover_names.join("、")));
        }
        parts.join("; ")
    }
}

/// One directed `COPIES` finding: the later article (`to`) takes up the
/// policy of the earlier one (`from`), in another place. Maps one to one
/// onto a graph edge ([`CopyEdge`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub from: String,
    pub to: String,
    /// Jurisdiction labels (`上海市`, `江苏省南京市`, `上海市、江苏省`).
    pub from_place: String,
    pub to_place: String,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
    /// Days from `from_date` to `to_date`, when both are known.
    pub lag_days: Option<i64>,
    pub order: Order,
    /// Combined evidence in 0..=1.
    pub score: f64,
    pub confidence: Confidence,
    /// The signals that found the pair, in [`Signal`] order.
    pub signals: Vec<Signal>,
    pub evidence: Evidence,
}

impl From<&Finding> for CopyEdge {
    fn from(f: &Finding) -> CopyEdge {
        CopyEdge {
            from: f.from.clone(),
            to: f.to.clone(),
            score: f.score,
            confidence: f.confidence.as_str().to_string(),
            lag_days: f.lag_days,
            signals: f.signals.iter().map(|s| s.as_str().to_string()).collect(),
            evidence: f.evidence.summary(),
        }
    }
}

/// Tuning knobs; the defaults are what `policygraph` uses.
#[derive(Clone, Debug)]
pub struct Options {
    /// Findings below this score are dropped.
    pub min_score: f64,
    /// A term named by more articles than this no longer pairs every two of
    /// them: each adopter is paired with its [`Options::chain`] nearest
    /// earlier adopters of other places (all of them are still in
    /// `diffusion.csv`).
    pub max_df: usize,
    pub chain: usize,
    /// Fingerprints of more articles than this are boilerplate, skipped.
    pub max_bucket: usize,
    /// Look for text reuse (fingerprints); off, only terms pair articles.
    pub text_reuse: bool,
    /// Findings kept per later article: its strongest sources.
    pub max_sources: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_score: 0.25,
            max_df: 64,
            chain: 3,
            max_bucket: 32,
            text_reuse: true,
            max_sources: 5,
        }
    }
}

/// A term weak enough (prior × √rarity) not to make a candidate pair by
/// itself; it still counts for a pair found otherwise.
const MIN_TERM: f64 = 0.15;

/// A feature of the corpus: an instrument type or a program template.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    pub prior: f64,
    /// Instrument name or template key (what overlaps are judged on), as
    /// a number of the corpus's strings ([`Corpus::str`]).
    pub key: u32,
    /// Articles naming it.
    pub df: u32,
    pub signal: Signal,
    /// A policy document (not an initiative): two articles citing the same
    /// document by its full title implement it, they do not copy each other.
    pub document: bool,
    /// The next feature with the same key (another signal), [`NONE`] for
    /// none: the corpus finds features by key without a map.
    next: u32,
}

/// No feature: the end of a chain of [`Feature::next`].
const NONE: u32 = u32::MAX;

/// One feature in one article (12 bytes: a corpus has millions).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Occurrence {
    pub feature: u32,
    /// First surface form, widened to the name it stands in, as a number
    /// of the corpus's strings ([`Corpus::str`]).
    pub surface: u32,
    /// Mentions, saturating: only "two or more" matters ([`score::salience`]).
    pub count: u16,
    pub in_title: bool,
    /// For a template: whether jurisdiction words were removed from this
    /// article's title to get it (a local version of a common kind).
    pub local: bool,
}

/// A name of another place in an article ([`sketch::ForeignName`]),
/// with its surface and place numbered by the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name {
    pub start: u32,
    pub end: u32,
    /// A number of the corpus's strings ([`Corpus::str`]).
    pub surface: u32,
    /// A number of the corpus's places ([`Corpus::place`]).
    pub place: u32,
}

/// The fixed part of what the detector keeps of one article; the rest
/// (id, title, features, fingerprints, foreign names) is in the corpus's
/// flat arrays, by the article's index.
#[derive(Clone, Copy, Debug)]
struct Article {
    date: Option<NaiveDate>,
    /// Index into the corpus's jurisdictions ([`Corpus::jurisdiction`]).
    jurisdiction: Option<u32>,
    /// Characters of the text.
    chars: u32,
}

/// The corpus as the detector sees it: every article's sketch, in input
/// order, with features, strings, places and jurisdictions numbered in
/// order of first appearance (so ids, and every tie broken by them, do not
/// depend on threads). Built one article at a time ([`Corpus::push`])
/// while the articles stream past.
///
/// Kept compact, as it lives until the end of a run over the whole
/// corpus: per article a 16-byte record and slices of flat arrays
/// ([`arena`]), no allocation of its own; keys and surfaces, which recur,
/// stored once ([`arena::Interner`]). [`Corpus::heap_bytes`] says what each
/// part costs.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    articles: Vec<Article>,
    ids: FlatStr,
    titles: FlatStr,
    /// Per article, sorted by feature, each feature once.
    occurrences: Flat<Occurrence>,
    /// Encoded ([`fingerprint::encode`]), 5 bytes a fingerprint.
    prints: Flat<u8>,
    foreign: Flat<Name>,
    pub features: Vec<Feature>,
    strings: Interner,
    jurisdictions: Vec<Jurisdiction>,
    places: Vec<PlaceRef>,
    /// By string number, the first feature with that string as key
    /// ([`NONE`] for none).
    feature_of: Vec<u32>,
    jurisdiction_ids: BTreeMap<Jurisdiction, u32>,
    place_ids: BTreeMap<PlaceRef, u32>,
}

impl Corpus {
    pub fn new() -> Corpus {
        Corpus::default()
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The jurisdiction of article `i`.
    pub fn jurisdiction(&self, i: usize) -> Option<&Jurisdiction> {
        let j = self.articles.get(i)?.jurisdiction?;
        self.jurisdictions.get(j as usize)
    }

    /// The number of article `i`'s jurisdiction (equal numbers, equal
    /// jurisdictions).
    pub fn jurisdiction_id(&self, i: usize) -> Option<u32> {
        self.articles.get(i)?.jurisdiction
    }

    /// Article `i`'s id.
    pub fn id(&self, i: usize) -> &str {
        self.ids.get(i)
    }

    /// Article `i`'s title.
    pub fn title(&self, i: usize) -> &str {
        self.titles.get(i)
    }

    /// Article `i`'s event date, else bulletin date.
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        self.articles.get(i)?.date
    }

    /// Characters of article `i`'s text.
    pub fn chars(&self, i: usize) -> u32 {
        self.articles.get(i).map_or(0, |a| a.chars)
    }

    /// Article `i`'s features, sorted by feature, each once.
    pub fn occurrences(&self, i: usize) -> &[Occurrence] {
        self.occurrences.get(i)
    }

    /// Article `i`'s text fingerprints, in text order.
    pub fn prints(&self, i: usize) -> Vec<Print> {
        let mut out = Vec::new();
        self.prints_into(i, &mut out);
        out
    }

    /// Article `i`'s text fingerprints, in text order, into `out` (cleared).
    pub fn prints_into(&self, i: usize, out: &mut Vec<Print>) {
        out.clear();
        fingerprint::decode(self.prints.get(i), out);
    }

    /// Article `i`'s names of other places, in text order.
    pub fn foreign(&self, i: usize) -> &[Name] {
        self.foreign.get(i)
    }

    /// The string numbered `id` (feature keys, surfaces).
    pub fn str(&self, id: u32) -> &str {
        self.strings.get(id)
    }

    /// The place numbered `id` ([`Name::place`]).
    pub fn place(&self, id: u32) -> Option<&PlaceRef> {
        self.places.get(id as usize)
    }

    /// The key of feature `f`.
    pub fn key(&self, f: &Feature) -> &str {
        self.strings.get(f.key)
    }

    /// Add the next article.
    pub fn push(&mut self, sketch: Sketch) {
        let mut by_feature: BTreeMap<u32, Occurrence> = BTreeMap::new();
        for o in sketch.occurrences {
            let key = self.strings.intern(&o.key);
            let id = self.feature(o.signal, key, o.prior, o.document);
            let f = &mut self.features[id as usize];
            f.prior = f.prior.max(o.prior);
            f.document &= o.document;
            let count = u16::try_from(o.count).unwrap_or(u16::MAX);
            match by_feature.entry(id) {
                std::collections::btree_map::Entry::Occupied(mut e) => {
                    let e = e.get_mut();
                    e.count = e.count.saturating_add(count);
                    e.in_title |= o.in_title;
                    e.local |= o.local;
                }
                std::collections::btree_map::Entry::Vacant(e) => {
                    e.insert(Occurrence {
                        feature: id,
                        count,
                        in_title: o.in_title,
                        surface: self.strings.intern(&o.surface),
                        local: o.local,
                    });
                }
            }
        }
        for id in by_feature.keys() {
            let f = &mut self.features[*id as usize];
            f.df = f.df.saturating_add(1);
        }
        let jurisdiction = sketch.jurisdiction.map(|j| {
            let next = self.jurisdictions.len() as u32;
            *self.jurisdiction_ids.entry(j).or_insert_with_key(|j| {
                self.jurisdictions.push(j.clone());
                next
            })
        });
        let foreign: Vec<Name> = sketch
            .foreign
            .into_iter()
            .map(|n| {
                let next = self.places.len() as u32;
                let place = *self.place_ids.entry(n.place).or_insert_with_key(|p| {
                    self.places.push(p.clone());
                    next
                });
                Name {
                    start: n.start,
                    end: n.end,
                    surface: self.strings.intern(&n.surface),
                    place,
                }
            })
            .collect();
        let occurrences: Vec<Occurrence> = by_feature.into_values().collect();
        if self.articles.len() == self.articles.capacity() {
            self.articles
                .reserve_exact((self.articles.len() / 8).max(64));
        }
        self.articles.push(Article {
            date: sketch.date,
            jurisdiction,
            chars: sketch.chars,
        });
        self.ids.push(&sketch.id);
        self.titles.push(&sketch.title);
        self.occurrences.push(&occurrences);
        let mut prints = Vec::with_capacity(sketch.prints.len() * 5);
        fingerprint::encode(&sketch.prints, &mut prints);
        self.prints.push(&prints);
        self.foreign.push(&foreign);
    }

    /// The number of the feature `(signal, key)`, numbered now if new.
    fn feature(&mut self, signal: Signal, key: u32, prior: f64, document: bool) -> u32 {
        if self.feature_of.len() <= key as usize {
            let want = self.strings.len().max(key as usize + 1);
            let more = want - self.feature_of.len();
            reserve(&mut self.feature_of, more);
            self.feature_of.resize(want, NONE);
        }
        // The features of one key, a chain of one or two.
        let mut last = NONE;
        let mut at = self.feature_of[key as usize];
        while at != NONE {
            if self.features[at as usize].signal == signal {
                return at;
            }
            last = at;
            at = self.features[at as usize].next;
        }
        let id = self.features.len() as u32;
        reserve(&mut self.features, 1);
        self.features.push(Feature {
            signal,
            key,
            prior,
            document,
            df: 0,
            next: NONE,
        });
        if last == NONE {
            self.feature_of[key as usize] = id;
        } else {
            self.features[last as usize].next = id;
        }
        id
    }

    /// Whether articles `i` and `j` are of different places (unplaced
    /// articles are of none).
    pub fn differs(&self, i: usize, j: usize) -> bool {
        match (self.jurisdiction_id(i), self.jurisdiction_id(j)) {
            (Some(x), Some(y)) => {
                x != y && self.jurisdictions[x as usize].differs(&self.jurisdictions[y as usize])
            }
            _ => false,
        }
    }

    /// For each feature, the placed articles naming it, in input order:
    /// one flat array ([`Flat`]), 4 bytes an occurrence.
    pub(crate) fn adopters(&self) -> Flat<u32> {
        let mut counts = vec![0u32; self.features.len()];
        for i in 0..self.len() {
            if self.articles[i].jurisdiction.is_some() {
                for o in self.occurrences(i) {
                    counts[o.feature as usize] += 1;
                }
            }
        }
        let mut starts = Vec::with_capacity(counts.len());
        let mut total = 0u32;
        for c in &counts {
            starts.push(total);
            total += c;
        }
        drop(counts);
        let mut lists = vec![0u32; total as usize];
        let mut at = starts.clone();
        for i in 0..self.len() {
            if self.articles[i].jurisdiction.is_some() {
                for o in self.occurrences(i) {
                    let f = o.feature as usize;
                    lists[at[f] as usize] = i as u32;
                    at[f] += 1;
                }
            }
        }
        drop(starts);
        Flat::from_parts(lists, at)
    }

    /// Heap bytes of each part of the corpus, for memory accounting.
    pub fn heap_bytes(&self) -> Vec<(&'static str, usize)> {
        vec![
            (
                "articles",
                self.articles.capacity() * std::mem::size_of::<Article>(),
            ),
            ("ids", self.ids.heap_bytes()),
            ("titles", self.titles.heap_bytes()),
            ("occurrences", self.occurrences.heap_bytes()),
            ("prints", self.prints.heap_bytes()),
            ("foreign names", self.foreign.heap_bytes()),
            (
                "features",
                self.features.capacity() * std::mem::size_of::<Feature>(),
            ),
            // A hash map slot: key, value and a control byte, 8/7 as many.
            ("feature ids", self.feature_of.capacity() * 4),
            ("strings", self.strings.heap_bytes().0),
            ("string table", self.strings.heap_bytes().1),
        ]
    }
}

/// A pair to score, `a < b` (article indices); `text` when they share
/// text fingerprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub a: u32,
    pub b: u32,
    pub text: bool,
}

/// The loaded dictionaries and options.
#[derive(Clone, Debug)]
pub struct Detector {
    pub instruments: Instruments,
    pub generic: GenericTerms,
    pub places: Places,
    pub options: Options,
}

impl Detector {
    /// Load `instruments.csv`, `generic_terms.csv` (optional) and the
    /// division tables from a dictionaries directory.
    pub fn load(dictionaries: &Path, options: Options) -> Result<Detector, DictError> {
        Ok(Detector {
            instruments: Instruments::load(&dictionaries.join("instruments.csv"))?,
            generic: GenericTerms::load(&dictionaries.join("generic_terms.csv"))?,
            places: Places::load(&dictionaries.join("divisions"))?,
            options,
        })
    }

    /// Every stage on records in memory: the findings, strongest first.
    pub fn detect(&self, records: &[ArticleRecord]) -> Vec<Finding> {
        let corpus = self.corpus(records);
        let candidates = self.candidates(&corpus);
        // Texts in memory cannot fail to be read.
        self.score(&corpus, &candidates, records)
            .expect("texts in memory are always readable")
    }

    /// Stage 1 for records in memory: sketch them (in parallel) into a corpus.
    pub fn corpus(&self, records: &[ArticleRecord]) -> Corpus {
        let sketches: Vec<Sketch> = records.par_iter().map(|r| self.sketch(r)).collect();
        let mut corpus = Corpus::new();
        for s in sketches {
            corpus.push(s);
        }
        corpus
    }

    /// Stage 2: the pairs worth scoring, of different places, sorted.
    pub fn candidates(&self, corpus: &Corpus) -> Vec<Candidate> {
        let n = corpus.len();
        let adopters = corpus.adopters();
        let differs = |i: usize, j: usize| corpus.differs(i, j);
        let mut pairs: Vec<Candidate> = (0..adopters.len())
            .into_par_iter()
            .map(|f| (f, adopters.get(f)))
            .filter(|(f, list)| {
                let feat = &corpus.features[*f];
                list.len() >= 2 && feat.prior * score::idf(feat.df as usize, n).sqrt() >= MIN_TERM
            })
            .flat_map_iter(|(_, list)| {
                let mut out = Vec::new();
                if list.len() <= self.options.max_df {
                    for (x, &i) in list.iter().enumerate() {
                        for &j in &list[x + 1..] {
                            if differs(i as usize, j as usize) {
                                out.push(Candidate {
                                    a: i,
                                    b: j,
                                    text: false,
                                });
                            }
                        }
                    }
                } else {
                    // In date order, each adopter with its nearest earlier
                    // adopters of other places.
                    let mut order = list.to_vec();
                    order.sort_by_key(|&i| {
                        let date = corpus.date(i as usize);
                        (date.is_none(), date, i)
                    });
                    for (x, &j) in order.iter().enumerate() {
                        let earlier = order[..x]
                            .iter()
                            .rev()
                            .filter(|&&i| differs(i as usize, j as usize));
                        for &i in earlier.take(self.options.chain) {
                            out.push(Candidate {
                                a: i.min(j),
                                b: i.max(j),
                                text: false,
                            });
                        }
                    }
                }
                out
            })
            .collect();
        drop(adopters);
        if self.options.text_reuse {
            let prints = |i, out: &mut Vec<Print>| corpus.prints_into(i, out);
            let text = fingerprint::candidates_by(n, prints, self.options.max_bucket, differs);
            pairs.reserve_exact(text.len());
            pairs.extend(
                text.into_iter()
                    .map(|(a, b)| Candidate { a, b, text: true }),
            );
        }
        pairs.par_sort_unstable();
        // One per pair, text flag kept (it sorts after `false`), in place.
        let mut kept = 0usize;
        for x in 0..pairs.len() {
            let c = pairs[x];
            if kept > 0 && pairs[kept - 1].a == c.a && pairs[kept - 1].b == c.b {
                pairs[kept - 1].text |= c.text;
            } else {
                pairs[kept] = c;
                kept += 1;
            }
        }
        pairs.truncate(kept);
        pairs.shrink_to_fit();
        pairs
    }

    /// Stage 3: score every candidate and keep each article's
    /// [`Options::max_sources`] strongest earlier sources; then read the
    /// texts of the findings with shared text (only those) from `texts`
    /// for their evidence passages. Findings above the minimum score,
    /// strongest first, then by ids.
    pub fn score(
        &self,
        corpus: &Corpus,
        candidates: &[Candidate],
        texts: &(impl Texts + ?Sized),
    ) -> std::io::Result<Vec<Finding>> {
        let ranked = self.rank(corpus, candidates);
        // One finding per pair kept, at most: no slack in a large vector.
        let mut findings = Vec::with_capacity(ranked.len());
        self.findings_of(corpus, &ranked, texts, |f| {
            findings.push(f);
            Ok(())
        })?;
        Ok(findings)
    }

    /// [`Detector::score`], handing each finding to `each` in the same
    /// order instead of returning them all: only a few thousand findings
    /// (their evidence is most of their size) are held at a time. Stops at
    /// the first error of `texts` or `each`. Returns the number of
    /// findings.
    pub fn score_each(
        &self,
        corpus: &Corpus,
        candidates: &[Candidate],
        texts: &(impl Texts + ?Sized),
        each: impl FnMut(Finding) -> std::io::Result<()>,
    ) -> std::io::Result<usize> {
        let ranked = self.rank(corpus, candidates);
        self.findings_of(corpus, &ranked, texts, each)
    }

    /// The pairs kept (each later article's strongest sources), in the
    /// order of their findings.
    fn rank(&self, corpus: &Corpus, candidates: &[Candidate]) -> Vec<Ranked> {
        // Scores only, 16 bytes a pair: the findings are made for the
        // pairs kept.
        let mut scored: Vec<Ranked> = candidates
            .par_iter()
            .filter_map(|c| self.score_pair(corpus, *c, false))
            .map(|s| Ranked {
                from: s.from,
                to: s.to,
                micros: micros(s.score),
                text: s.candidate.text,
            })
            .collect();
        // Per later article, its strongest sources (ties: the earlier
        // source's id, as findings are ordered).
        scored.par_sort_unstable_by(|x, y| {
            x.to.cmp(&y.to)
                .then_with(|| y.micros.cmp(&x.micros))
                .then_with(|| corpus.id(x.from as usize).cmp(corpus.id(y.from as usize)))
        });
        let mut kept = 0usize;
        let mut run = (u32::MAX, 0usize);
        for x in 0..scored.len() {
            let s = scored[x];
            if s.to != run.0 {
                run = (s.to, 0);
            }
            run.1 += 1;
            if run.1 <= self.options.max_sources {
                scored[kept] = s;
                kept += 1;
            }
        }
        scored.truncate(kept);
        scored.shrink_to_fit();
        // In the findings' order (strongest first, then ids), stable as
        // the findings were once sorted: the same order, known before any
        // finding is made.
        scored.par_sort_by(|x, y| {
            y.micros
                .cmp(&x.micros)
                .then_with(|| corpus.id(x.from as usize).cmp(corpus.id(y.from as usize)))
                .then_with(|| corpus.id(x.to as usize).cmp(corpus.id(y.to as usize)))
        });
        scored
    }

    /// The findings of the pairs `ranked` (see [`Detector::rank`]), in
    /// that order, [`FINDINGS_AT_ONCE`] made at a time, handed to `each`.
    fn findings_of(
        &self,
        corpus: &Corpus,
        ranked: &[Ranked],
        texts: &(impl Texts + ?Sized),
        mut each: impl FnMut(Finding) -> std::io::Result<()>,
    ) -> std::io::Result<usize> {
        let mut made = 0usize;
        for chunk in ranked.chunks(FINDINGS_AT_ONCE) {
            let findings: Vec<Finding> = chunk
                .par_iter()
                .map(|r| {
                    let c = Candidate {
                        a: r.from.min(r.to),
                        b: r.from.max(r.to),
                        text: r.text,
                    };
                    let Some(s) = self.score_pair(corpus, c, true) else {
                        return Ok(None);
                    };
                    let Some(mut f) = s.finding else {
                        return Ok(None);
                    };
                    if let Some(p) = f.evidence.passage.as_mut() {
                        let from = texts.text(s.from as usize)?;
                        let to = texts.text(s.to as usize)?;
                        pair::fill_passage(p, &from, &to);
                    }
                    Ok(Some(f))
                })
                .filter_map(|r| r.transpose())
                .collect::<std::io::Result<_>>()?;
            for f in findings {
                each(f)?;
                made += 1;
            }
        }
        Ok(made)
    }
}

/// Findings made (and held) at a time by [`Detector::score_each`]: enough
/// to keep every thread busy.
const FINDINGS_AT_ONCE: usize = 4096;

/// A scored candidate while each article's strongest sources are chosen.
#[derive(Clone, Copy, Debug)]
struct Ranked {
    from: u32,
    to: u32,
    /// The score in millionths (scores are rounded to six decimals).
    micros: u32,
    text: bool,
}

/// A score rounded to six decimals ([`pair::round`]) as an exact integer
/// of millionths, ordered as the scores are.
fn micros(score: f64) -> u32 {
    (score * 1e6).round().clamp(0.0, u32::MAX as f64) as u32
}

/// The findings for `records` with `detector`'s dictionaries and options.
pub fn detect(records: &[ArticleRecord], detector: &Detector) -> Vec<Finding> {
    detector.detect(records)
}

/// Where the detector reads an article's text back, by its index in the
/// corpus: the records themselves, or a spill file ([`texts::Spill`]) when
/// the corpus is too large to hold.
pub trait Texts: Sync {
    fn text(&self, article: usize) -> std::io::Result<std::borrow::Cow<'_, str>>;
}

impl Texts for [ArticleRecord] {
    fn text(&self, article: usize) -> std::io::Result<std::borrow::Cow<'_, str>> {
        self.get(article)
            .map(|r| std::borrow::Cow::Borrowed(r.article.text.as_str()))
            .ok_or_else(|| std::io::Error::other(format!("no article {article}")))
    }
}

#[cfg(test)]
mod tests;
