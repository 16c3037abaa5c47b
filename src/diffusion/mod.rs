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
//!   verbatim in the other: character shingles ([`shingle`]), MinHash and
//!   LSH banding for candidate pairs in near-linear time ([`minhash`]), then
//!   an alignment of each candidate that keeps the shared passages;
//! * **leftover_names** — the later article's shared passage still names
//!   the earlier one's places or agencies ([`leftover`]).
//!
//! [`score`] weighs shared terms by how rare they are in the corpus and
//! how central they are to both articles, so vocabulary everyone uses
//! (人工智能, 区块链) does not make two articles a pair.
//!
//! Work is in three stages, each usable alone (the benchmark times them):
//! [`Detector::prepare`] (features, jurisdictions and band keys of every
//! article, in parallel), [`Detector::candidates`] (pairs sharing a term or
//! a bucket, of different places) and [`Detector::score`]. A term shared by
//! more than [`Options::max_df`] articles links each to its nearest earlier
//! adopters only, and LSH buckets above [`Options::max_bucket`] are
//! skipped, so the candidate count grows linearly with the corpus.
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

mod features;
pub mod generic;
pub mod gold;
pub mod instruments;
pub mod leftover;
pub mod minhash;
mod pair;
pub mod places;
pub mod score;
pub mod shingle;
pub mod table;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::extract::DictError;
use crate::graph::CopyEdge;
use crate::record::ArticleRecord;

use features::RawOccurrence;
use generic::GenericTerms;
use instruments::Instruments;
use places::{Jurisdiction, Places};
pub use score::Confidence;
use shingle::Normalized;

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
    /// LSH buckets with more articles than this are boilerplate, skipped.
    pub max_bucket: usize,
    /// Look for text reuse (MinHash + LSH); off, only terms pair articles.
    pub text_reuse: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_score: 0.25,
            max_df: 64,
            chain: 3,
            max_bucket: 32,
            text_reuse: true,
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

/// What the detector knows of one article.
#[derive(Clone, Debug, PartialEq)]
pub struct Prep {
    pub jurisdiction: Option<Jurisdiction>,
    pub date: Option<NaiveDate>,
    /// Sorted by feature, each feature once.
    pub occurrences: Vec<Occurrence>,
}

/// The corpus, prepared: per-article features and the band keys for LSH.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub articles: Vec<Prep>,
    pub features: Vec<Feature>,
    pub band_keys: Vec<Vec<u64>>,
}

/// A pair to score, `a < b` (record indices); `lsh` when LSH proposed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    pub a: u32,
    pub b: u32,
    pub lsh: bool,
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

    /// All three stages: the findings for a corpus, strongest first.
    pub fn detect(&self, records: &[ArticleRecord]) -> Vec<Finding> {
        let prepared = self.prepare(records);
        let candidates = self.candidates(&prepared);
        self.score(records, &prepared, &candidates)
    }

    /// Stage 1: every article's jurisdiction, date, features and band keys.
    pub fn prepare(&self, records: &[ArticleRecord]) -> Prepared {
        let raw: Vec<(Prep, Vec<RawOccurrence>, Vec<u64>)> = records
            .par_iter()
            .map(|r| {
                let prep = Prep {
                    jurisdiction: self.places.jurisdiction(r),
                    date: r.entities.date.or(r.article.bulletin.date),
                    occurrences: Vec::new(),
                };
                let keys = if self.options.text_reuse {
                    minhash::band_keys(&Normalized::new(&r.article.text).shingles())
                } else {
                    Vec::new()
                };
                (prep, self.raw_features(r), keys)
            })
            .collect();
        // Number features in input order, so ids (and every tie broken by
        // them) do not depend on threads.
        let mut index: BTreeMap<(Signal, String), u32> = BTreeMap::new();
        let mut features: Vec<Feature> = Vec::new();
        let mut articles = Vec::with_capacity(raw.len());
        let mut band_keys = Vec::with_capacity(raw.len());
        for (mut prep, occurrences, keys) in raw {
            let mut by_feature: BTreeMap<u32, Occurrence> = BTreeMap::new();
            for o in occurrences {
                let id = *index.entry((o.signal, o.key.clone())).or_insert_with(|| {
                    features.push(Feature {
                        signal: o.signal,
                        key: o.key.clone(),
                        prior: o.prior,
                        document: o.document,
                        df: 0,
                    });
                    features.len() as u32 - 1
                });
                let f = &mut features[id as usize];
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
                features[*id as usize].df += 1;
            }
            prep.occurrences = by_feature.into_values().collect();
            articles.push(prep);
            band_keys.push(keys);
        }
        Prepared {
            articles,
            features,
            band_keys,
        }
    }

    /// Stage 2: the pairs worth scoring, of different places, sorted.
    pub fn candidates(&self, prepared: &Prepared) -> Vec<Candidate> {
        let arts = &prepared.articles;
        let differs = |i: usize, j: usize| match (&arts[i].jurisdiction, &arts[j].jurisdiction) {
            (Some(x), Some(y)) => x.differs(y),
            _ => false,
        };
        let n = arts.len();
        let mut adopters: Vec<Vec<u32>> = vec![Vec::new(); prepared.features.len()];
        for (i, a) in arts.iter().enumerate() {
            if a.jurisdiction.is_some() {
                for o in &a.occurrences {
                    adopters[o.feature as usize].push(i as u32);
                }
            }
        }
        let mut pairs: Vec<Candidate> = adopters
            .par_iter()
            .enumerate()
            .filter(|(f, list)| {
                let feat = &prepared.features[*f];
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
                                    lsh: false,
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
                                lsh: false,
                            });
                        }
                    }
                }
                out
            })
            .collect();
        if self.options.text_reuse {
            let lsh =
                minhash::candidate_pairs(&prepared.band_keys, self.options.max_bucket, differs);
            pairs.extend(lsh.into_iter().map(|(a, b)| Candidate { a, b, lsh: true }));
        }
        pairs.par_sort_unstable();
        // One per pair, LSH flag kept (it sorts after `false`).
        let mut out: Vec<Candidate> = Vec::with_capacity(pairs.len());
        for c in pairs {
            match out.last_mut() {
                Some(last) if last.a == c.a && last.b == c.b => last.lsh |= c.lsh,
                _ => out.push(c),
            }
        }
        out
    }

    /// Stage 3: score every candidate; findings above the minimum score,
    /// strongest first, then by ids.
    pub fn score(
        &self,
        records: &[ArticleRecord],
        prepared: &Prepared,
        candidates: &[Candidate],
    ) -> Vec<Finding> {
        let mut findings: Vec<Finding> = candidates
            .par_iter()
            .filter_map(|c| self.score_pair(records, prepared, *c))
            .collect();
        findings.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then_with(|| x.from.cmp(&y.from))
                .then_with(|| x.to.cmp(&y.to))
        });
        findings
    }
}

/// The findings for `records` with `detector`'s dictionaries and options.
pub fn detect(records: &[ArticleRecord], detector: &Detector) -> Vec<Finding> {
    detector.detect(records)
}

#[cfg(test)]
mod tests;
