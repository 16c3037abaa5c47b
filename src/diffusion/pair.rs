//! Scoring one candidate pair: shared terms, text reuse and leftover names
//! combined into a directed, evidenced finding.

use std::ops::Range;

use crate::record::ArticleRecord;

use super::places::Jurisdiction;
use super::shingle::{self, align, Normalized};
use super::{
    leftover, score, Candidate, Confidence, Detector, Evidence, Finding, Occurrence, Order,
    Passage, Prepared, SharedTerm, Signal, PASSAGE_SHOWN,
};

impl Detector {
    pub(super) fn score_pair(
        &self,
        records: &[ArticleRecord],
        prepared: &Prepared,
        c: Candidate,
    ) -> Option<Finding> {
        let (ia, ib) = (c.a as usize, c.b as usize);
        let (pa, pb) = (&prepared.articles[ia], &prepared.articles[ib]);
        let (ja, jb) = (pa.jurisdiction.as_ref()?, pb.jurisdiction.as_ref()?);
        if !ja.differs(jb) {
            return None;
        }
        let (ra, rb) = (&records[ia], &records[ib]);
        let n = prepared.articles.len();

        // Shared terms (both lists are sorted by feature).
        let mut shared: Vec<(&Occurrence, &Occurrence, f64)> = Vec::new();
        let (mut x, mut y) = (0, 0);
        while x < pa.occurrences.len() && y < pb.occurrences.len() {
            let (oa, ob) = (&pa.occurrences[x], &pb.occurrences[y]);
            match oa.feature.cmp(&ob.feature) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    let f = &prepared.features[oa.feature as usize];
                    let same_document = f.document && !oa.local && !ob.local;
                    let prior = if same_document {
                        f.prior * 0.4
                    } else {
                        f.prior
                    };
                    let w = score::term_weight(
                        prior,
                        f.df,
                        n,
                        score::salience(oa.in_title, oa.count),
                        score::salience(ob.in_title, ob.count),
                    );
                    shared.push((oa, ob, w));
                    x += 1;
                    y += 1;
                }
            }
        }
        let keyed: Vec<(&str, f64)> = shared
            .iter()
            .map(|(o, _, w)| (prepared.features[o.feature as usize].key.as_str(), *w))
            .collect();
        let (policy, taken) = score::combine_terms(&keyed);

        // Text reuse and leftover names, for pairs LSH proposed.
        let reuse = if c.lsh { Reuse::of(ra, rb) } else { None };
        let (left_ab, left_ba) = match &reuse {
            Some(r) => {
                let sa = leftover::Side {
                    record: ra,
                    jurisdiction: ja,
                    passages: &r.passages_a,
                };
                let sb = leftover::Side {
                    record: rb,
                    jurisdiction: jb,
                    passages: &r.passages_b,
                };
                (
                    leftover::leftover_names(&sb, &sa, &self.places),
                    leftover::leftover_names(&sa, &sb, &self.places),
                )
            }
            None => (Vec::new(), Vec::new()),
        };

        // Direction: a → b unless b came first.
        let (order, a_first) = match (pa.date, pb.date) {
            (Some(da), Some(db)) if da != db => (Order::Date, da < db),
            _ if !left_ab.is_empty() && left_ba.is_empty() => (Order::LeftoverNames, true),
            _ if left_ab.is_empty() && !left_ba.is_empty() => (Order::LeftoverNames, false),
            _ => (Order::Tie, ra.article.id <= rb.article.id),
        };
        let (from, to, pf, pt) = if a_first {
            (ra, rb, pa, pb)
        } else {
            (rb, ra, pb, pa)
        };
        // Normally the names of the earlier article's place kept in the
        // later one; when only the earlier keeps names of the later's place,
        // the dates disagree with the text, and those names are reported.
        let (forward, backward) = if a_first {
            (left_ab, left_ba)
        } else {
            (left_ba, left_ab)
        };
        let leftover_names = if forward.is_empty() {
            backward
        } else {
            forward
        };

        let (text_score, passage, left_score) = match &reuse {
            Some(r) => {
                let (to_norm, to_runs, from_norm, from_runs) = if a_first {
                    (&r.norm_b, &r.runs_b, &r.norm_a, &r.runs_a)
                } else {
                    (&r.norm_a, &r.runs_a, &r.norm_b, &r.runs_b)
                };
                let shared_norm: usize = to_runs.iter().map(|r| r.len()).sum();
                let longest = to_runs
                    .iter()
                    .max_by_key(|r| (r.len(), std::cmp::Reverse(r.start)));
                let passage =
                    longest.map(|l| passage(to, to_norm, to_runs, l, from_norm, from_runs));
                let longest_len = longest.map_or(0, |l| l.len());
                (
                    score::reuse(shared_norm),
                    passage,
                    score::leftover(!leftover_names.is_empty(), longest_len),
                )
            }
            None => (0.0, None, 0.0),
        };

        let total = score::noisy_or(&[policy, text_score, left_score]);
        if total < self.options.min_score {
            return None;
        }
        let terms: Vec<SharedTerm> = taken
            .iter()
            .map(|&i| {
                let (oa, ob, w) = shared[i];
                let f = &prepared.features[oa.feature as usize];
                let (of, ot) = if a_first { (oa, ob) } else { (ob, oa) };
                SharedTerm {
                    signal: f.signal,
                    key: f.key.clone(),
                    from_surface: of.surface.clone(),
                    to_surface: ot.surface.clone(),
                    adopters: f.df,
                    weight: round(w),
                }
            })
            .filter(|t| t.weight > 0.0)
            .collect();
        let mut signals: Vec<Signal> = terms.iter().map(|t| t.signal).collect();
        if passage.is_some() {
            signals.push(Signal::TextReuse);
        }
        if !leftover_names.is_empty() {
            signals.push(Signal::LeftoverNames);
        }
        signals.sort();
        signals.dedup();
        let lag_days = match (pf.date, pt.date) {
            (Some(f), Some(t)) => Some((t - f).num_days()),
            _ => None,
        };
        let total = round(total);
        Some(Finding {
            from: from.article.id.clone(),
            to: to.article.id.clone(),
            from_place: pf
                .jurisdiction
                .as_ref()
                .map(Jurisdiction::label)
                .unwrap_or_default(),
            to_place: pt
                .jurisdiction
                .as_ref()
                .map(Jurisdiction::label)
                .unwrap_or_default(),
            from_date: pf.date,
            to_date: pt.date,
            lag_days,
            order,
            score: total,
            confidence: Confidence::of(total),
            signals,
            evidence: Evidence {
                terms,
                passage,
                leftover_names,
            },
        })
    }
}

/// The shared passages of an aligned pair, normalised and as character
/// ranges of each text.
struct Reuse {
    norm_a: Normalized,
    norm_b: Normalized,
    runs_a: Vec<Range<usize>>,
    runs_b: Vec<Range<usize>>,
    passages_a: Vec<Range<usize>>,
    passages_b: Vec<Range<usize>>,
}

impl Reuse {
    fn of(a: &ArticleRecord, b: &ArticleRecord) -> Option<Reuse> {
        let (norm_a, norm_b) = (
            Normalized::new(&a.article.text),
            Normalized::new(&b.article.text),
        );
        let al = align(&norm_a.shingles(), &norm_b.shingles());
        if al.a.is_empty() || al.b.is_empty() {
            return None;
        }
        let passages_a = al.a.iter().map(|r| norm_a.original(r)).collect();
        let passages_b = al.b.iter().map(|r| norm_b.original(r)).collect();
        Some(Reuse {
            norm_a,
            norm_b,
            runs_a: al.a,
            runs_b: al.b,
            passages_a,
            passages_b,
        })
    }
}

/// The evidence passage: the later article's longest shared run, and the
/// earlier article's run that shares most with it.
fn passage(
    to: &ArticleRecord,
    to_norm: &Normalized,
    to_runs: &[Range<usize>],
    longest: &Range<usize>,
    from_norm: &Normalized,
    from_runs: &[Range<usize>],
) -> Passage {
    let span = to_norm.original(longest);
    let chars: Vec<char> = to.article.text.chars().collect();
    let shared_chars: usize = to_runs.iter().map(|r| to_norm.original(r).len()).sum();
    // The run of the earlier text with the same first shingle, else its longest.
    let first: &[char] = &to_norm.chars[longest.start..longest.start + shingle::SHINGLE];
    let from_run = from_runs
        .iter()
        .find(|r| {
            r.len() >= shingle::SHINGLE
                && from_norm.chars[r.start..r.end]
                    .windows(shingle::SHINGLE)
                    .any(|w| w == first)
        })
        .or_else(|| from_runs.iter().max_by_key(|r| r.len()));
    let from_span = from_run.map(|r| from_norm.original(r)).unwrap_or(0..0);
    Passage {
        text: shorten(&chars[span.clone()], PASSAGE_SHOWN),
        to_span: (span.start, span.end),
        from_span: (from_span.start, from_span.end),
        shared_chars,
        total_chars: chars.len(),
    }
}

/// At most `max` characters: the head and tail of a longer text with `…`
/// between.
pub(super) fn shorten(chars: &[char], max: usize) -> String {
    if chars.len() <= max {
        return chars.iter().collect();
    }
    let half = max / 2;
    let mut s: String = chars[..half].iter().collect();
    s.push('…');
    s.extend(&chars[chars.len() - half..]);
    s
}

/// Scores are printed and exported: six decimals, the same on every machine.
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
