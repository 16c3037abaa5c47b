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
//! and reads back only their texts ([`Texts`]) for the evidence. A term
//! shared by more than [`Options::max_df`] articles links each to its
//! nearest earlier adopters only, fingerprints of more than
//! [`Options::max_bucket`] articles are skipped and each article keeps its
//! [`fingerprint::MAX_PARTNERS`] best text partners, so candidates,
//! findings and memory grow linearly with the corpus.
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

use fingerprint::Print;
use generic::GenericTerms;
use instruments::Instruments;
use places::{Jurisdiction, Places};
pub use score::Confidence;
use sketch::{ForeignName, Sketch};

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
    pub signal: Signal,
    /// Instrument name or template key (what overlaps are judged on).
    pub key: String,
    pub prior: f64,
    /// A policy document (not an initiative): two articles citing the same
    /// document by its full title implement it, they do not copy each other.
    pub document: bool,
    /// Articles naming it.
    pub df: usize,
}

/// One feature in one article.
#[derive(Clone, Debug, PartialEq)]
pub struct Occurrence {
    pub feature: u32,
    pub count: u32,
    pub in_title: bool,
    /// First surface form, widened to the name it stands in.
    pub surface: String,
    /// For a template: whether jurisdiction words were removed from this
    /// article's title to get it (a local version of a common kind).
    pub local: bool,
}

/// What the detector keeps of one article, its features numbered.
#[derive(Clone, Debug)]
pub struct Prep {
    pub id: String,
    pub title: String,
    /// Index into the corpus's jurisdictions ([`Corpus::jurisdiction`]).
    pub jurisdiction: Option<u32>,
    pub date: Option<NaiveDate>,
    /// Sorted by feature, each feature once.
    pub occurrences: Vec<Occurrence>,
    pub prints: Box<[Print]>,
    pub foreign: Box<[ForeignName]>,
    /// Characters of the text.
    pub chars: u32,
}

/// The corpus as the detector sees it: every article's sketch, in input
/// order, with features and jurisdictions numbered in order of first
/// appearance (so ids, and every tie broken by them, do not depend on
/// threads). Built one article at a time ([`Corpus::push`]) while the
/// articles stream past.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub articles: Vec<Prep>,
    pub features: Vec<Feature>,
    jurisdictions: Vec<Jurisdiction>,
    feature_ids: BTreeMap<(Signal, String), u32>,
    jurisdiction_ids: BTreeMap<Jurisdiction, u32>,
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
        let j = self.articles[i].jurisdiction?;
        self.jurisdictions.get(j as usize)
    }

    /// Add the next article.
    pub fn push(&mut self, sketch: Sketch) {
        let mut by_feature: BTreeMap<u32, Occurrence> = BTreeMap::new();
        for o in sketch.occurrences {
            let features = &mut self.features;
            let id = *self
                .feature_ids
                .entry((o.signal, o.key.clone()))
                .or_insert_with(|| {
                    features.push(Feature {
                        signal: o.signal,
                        key: o.key.clone(),
                        prior: o.prior,
                        document: o.document,
                        df: 0,
                    });
                    features.len() as u32 - 1
                });
            let f = &mut self.features[id as usize];
            f.prior = f.prior.max(o.prior);
            f.document &= o.document;
            by_feature
                .entry(id)
                .and_modify(|e| {
                    e.count += o.count;
                    e.in_title |= o.in_title;
                    e.local |= o.local;
                })
                .or_insert(Occurrence {
                    feature: id,
                    count: o.count,
                    in_title: o.in_title,
                    surface: o.surface,
                    local: o.local,
                });
        }
        for id in by_feature.keys() {
            self.features[*id as usize].df += 1;
        }
        let jurisdiction = sketch.jurisdiction.map(|j| {
            let next = self.jurisdictions.len() as u32;
            *self.jurisdiction_ids.entry(j).or_insert_with_key(|j| {
                self.jurisdictions.push(j.clone());
                next
            })
        });
        self.articles.push(Prep {
            id: sketch.id,
            title: sketch.title,
            jurisdiction,
            date: sketch.date,
            occurrences: by_feature.into_values().collect(),
            prints: sketch.prints.into_boxed_slice(),
            foreign: sketch.foreign.into_boxed_slice(),
            chars: sketch.chars,
        });
    }

    /// Whether articles `i` and `j` are of different places (unplaced
    /// articles are of none).
    pub fn differs(&self, i: usize, j: usize) -> bool {
        match (self.articles[i].jurisdiction, self.articles[j].jurisdiction) {
            (Some(x), Some(y)) => x != y && self.jurisdictions[x as usize].differs(&self.jurisdictions[y as usize]),
            _ => false,
        }
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
        let arts = &corpus.articles;
        let n = arts.len();
        let mut adopters: Vec<Vec<u32>> = vec![Vec::new(); corpus.features.len()];
        for (i, a) in arts.iter().enumerate() {
            if a.jurisdiction.is_some() {
                for o in &a.occurrences {
                    adopters[o.feature as usize].push(i as u32);
                }
            }
        }
        let differs = |i: usize, j: usize| corpus.differs(i, j);
        let mut pairs: Vec<Candidate> = adopters
            .par_iter()
            .enumerate()
            .filter(|(f, list)| {
                let feat = &corpus.features[*f];
                list.len() >= 2 && feat.prior * score::idf(feat.df, n).sqrt() >= MIN_TERM
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
                    let mut order = list.clone();
                    order.sort_by_key(|&i| {
                        (arts[i as usize].date.is_none(), arts[i as usize].date, i)
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
        if self.options.text_reuse {
            let prints: Vec<&[Print]> = arts.iter().map(|a| &a.prints[..]).collect();
            let text = fingerprint::candidates(&prints, self.options.max_bucket, differs);
            pairs.extend(text.into_iter().map(|(a, b)| Candidate { a, b, text: true }));
        }
        pairs.par_sort_unstable();
        // One per pair, text flag kept (it sorts after `false`).
        let mut out: Vec<Candidate> = Vec::with_capacity(pairs.len());
        for c in pairs {
            match out.last_mut() {
                Some(last) if last.a == c.a && last.b == c.b => last.text |= c.text,
                _ => out.push(c),
            }
        }
        out
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
        let mut scored: Vec<pair::Scored> = candidates
            .par_iter()
            .filter_map(|c| self.score_pair(corpus, *c, false))
            .collect();
        // Per later article, its strongest sources (ties: the earlier
        // source's id, as findings are ordered).
        scored.par_sort_unstable_by(|x, y| {
            x.to.cmp(&y.to)
                .then_with(|| y.score.total_cmp(&x.score))
                .then_with(|| corpus.articles[x.from as usize].id.cmp(&corpus.articles[y.from as usize].id))
        });
        let mut kept: Vec<Candidate> = Vec::with_capacity(scored.len());
        let mut run = (u32::MAX, 0usize);
        for s in scored {
            if s.to != run.0 {
                run = (s.to, 0);
            }
            run.1 += 1;
            if run.1 <= self.options.max_sources {
                kept.push(s.candidate);
            }
        }
        let mut findings: Vec<Finding> = kept
            .into_par_iter()
            .filter_map(|c| self.score_pair(corpus, c, true))
            .map(|s| {
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
        findings.par_sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| x.from.cmp(&y.from))
                .then_with(|| x.to.cmp(&y.to))
        });
        Ok(findings)
    }
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
