//! Scoring one candidate pair: shared terms, text reuse and leftover names
//! combined into a directed, evidenced finding; and the evidence passage
//! of a finding kept, from the two texts.

use super::fingerprint::{self, Overlap};
use super::places::Jurisdiction;
use super::shingle::{self, align, Normalized};
use super::{
    leftover, score, Candidate, Confidence, Corpus, Detector, Evidence, Finding, Occurrence, Order,
    Passage, SharedTerm, Signal, PASSAGE_SHOWN,
};

impl Detector {
    /// The score of one candidate, if above the minimum, with the indices
    /// of its earlier and later articles; with `full`, also the finding
    /// and its evidence (made only for the findings kept).
    pub(super) fn score_pair(&self, corpus: &Corpus, c: Candidate, full: bool) -> Option<Scored> {
        let (ia, ib) = (c.a as usize, c.b as usize);
        let (ja, jb) = (corpus.jurisdiction(ia)?, corpus.jurisdiction(ib)?);
        if !ja.differs(jb) {
            return None;
        }
        let n = corpus.len();
        let (occ_a, occ_b) = (corpus.occurrences(ia), corpus.occurrences(ib));
        let (date_a, date_b) = (corpus.date(ia), corpus.date(ib));

        // Shared terms (both lists are sorted by feature).
        let mut shared: Vec<(&Occurrence, &Occurrence, f64)> = Vec::new();
        let (mut x, mut y) = (0, 0);
        while x < occ_a.len() && y < occ_b.len() {
            let (oa, ob) = (&occ_a[x], &occ_b[y]);
            match oa.feature.cmp(&ob.feature) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    let f = &corpus.features[oa.feature as usize];
                    let same_document = f.document && !oa.local && !ob.local;
                    let prior = if same_document {
                        f.prior * 0.4
                    } else {
                        f.prior
                    };
                    let w = score::term_weight(
                        prior,
                        f.df as usize,
                        n,
                        score::salience(oa.in_title, u32::from(oa.count)),
                        score::salience(ob.in_title, u32::from(ob.count)),
                    );
                    shared.push((oa, ob, w));
                    x += 1;
                    y += 1;
                }
            }
        }
        let keyed: Vec<(&str, f64)> = shared
            .iter()
            .map(|(o, _, w)| (corpus.key(&corpus.features[o.feature as usize]), *w))
            .collect();
        let (policy, taken) = score::combine_terms(&keyed);

        // Text reuse and leftover names, for pairs sharing fingerprints.
        let reuse = if c.text {
            Some(fingerprint::align(&corpus.prints(ia), &corpus.prints(ib)))
                .filter(|o| !o.is_empty())
        } else {
            None
        };
        let (left_ab, left_ba) = match &reuse {
            Some(r) => {
                let sa = leftover::Side {
                    foreign: corpus.foreign(ia),
                    jurisdiction: ja,
                    passages: &r.a,
                };
                let sb = leftover::Side {
                    foreign: corpus.foreign(ib),
                    jurisdiction: jb,
                    passages: &r.b,
                };
                (
                    leftover::leftover_names(&sb, &sa, corpus),
                    leftover::leftover_names(&sa, &sb, corpus),
                )
            }
            None => (Vec::new(), Vec::new()),
        };

        // Direction: a → b unless b came first.
        let (order, a_first) = match (date_a, date_b) {
            (Some(da), Some(db)) if da != db => (Order::Date, da < db),
            _ if !left_ab.is_empty() && left_ba.is_empty() => (Order::LeftoverNames, true),
            _ if left_ab.is_empty() && !left_ba.is_empty() => (Order::LeftoverNames, false),
            _ => (Order::Tie, corpus.id(ia) <= corpus.id(ib)),
        };
        let (pf, pt, jf, jt) = if a_first {
            (ia, ib, ja, jb)
        } else {
            (ib, ia, jb, ja)
        };
        // Normally the names of the earlier article's place kept in the
        // later one; when only the earlier keeps names of the later's place,
        // the dates disagree with the text, and those names are reported.
        let (forward, backward) = if a_first {
            (left_ab, left_ba)
        } else {
            (left_ba, left_ab)
        };
        let leftover_names: Vec<String> = if forward.is_empty() {
            backward
        } else {
            forward
        }
        .into_iter()
        .map(|s| corpus.str(s).to_string())
        .collect();

        // Estimated passages, oriented from → to.
        let reuse = reuse.map(|r| {
            if a_first {
                r
            } else {
                Overlap { a: r.b, b: r.a }
            }
        });
        let (text_score, passage, left_score) = match &reuse {
            Some(r) => {
                let longest = r.longest();
                let passage = longest.as_ref().map(|(from_span, to_span)| Passage {
                    text: String::new(),
                    to_span: (to_span.start, to_span.end),
                    from_span: (from_span.start, from_span.end),
                    shared_chars: r.shared_b(),
                    total_chars: corpus.chars(pt) as usize,
                });
                let longest_len = longest.map_or(0, |(_, l)| l.len());
                (
                    score::reuse(r.shared_b()),
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
        let (from_index, to_index) = if a_first { (ia, ib) } else { (ib, ia) };
        let total = round(total);
        if !full {
            return Some(Scored {
                from: from_index as u32,
                to: to_index as u32,
                score: total,
                candidate: c,
                finding: None,
            });
        }
        let terms: Vec<SharedTerm> = taken
            .iter()
            .map(|&i| {
                let (oa, ob, w) = shared[i];
                let f = &corpus.features[oa.feature as usize];
                let (of, ot) = if a_first { (oa, ob) } else { (ob, oa) };
                SharedTerm {
                    signal: f.signal,
                    key: corpus.key(f).to_string(),
                    from_surface: corpus.str(of.surface).to_string(),
                    to_surface: corpus.str(ot.surface).to_string(),
                    adopters: f.df as usize,
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
        let (from_date, to_date) = (corpus.date(pf), corpus.date(pt));
        let lag_days = match (from_date, to_date) {
            (Some(f), Some(t)) => Some((t - f).num_days()),
            _ => None,
        };
        let finding = Finding {
            from: corpus.id(pf).to_string(),
            to: corpus.id(pt).to_string(),
            from_place: Jurisdiction::label(jf),
            to_place: Jurisdiction::label(jt),
            from_date,
            to_date,
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
        };
        Some(Scored {
            from: from_index as u32,
            to: to_index as u32,
            score: total,
            candidate: c,
            finding: Some(finding),
        })
    }
}

/// A scored candidate: the corpus indices of its earlier and later
/// articles, its score and, when asked for, the finding.
pub(super) struct Scored {
    pub from: u32,
    pub to: u32,
    pub score: f64,
    pub candidate: Candidate,
    pub finding: Option<Finding>,
}

/// The evidence passage of a finding kept, from its two texts: aligned
/// exactly, shingle by shingle, the later article's longest shared run and
/// the earlier article's run that shares most with it; when the exact runs
/// are all shorter than [`shingle::MIN_PASSAGE`], the estimated passage
/// already in `p`, as the later text prints it.
pub(super) fn fill_passage(p: &mut Passage, from_text: &str, to_text: &str) {
    let (from_norm, to_norm) = (Normalized::new(from_text), Normalized::new(to_text));
    let al = align(&from_norm.shingles(), &to_norm.shingles());
    let chars: Vec<char> = to_text.chars().collect();
    p.total_chars = chars.len();
    let Some(longest) = al.longest_b() else {
        let (s, e) = (p.to_span.0.min(chars.len()), p.to_span.1.min(chars.len()));
        p.text = shorten(&chars[s..e], PASSAGE_SHOWN);
        return;
    };
    let span = to_norm.original(longest);
    p.shared_chars = al.b.iter().map(|r| to_norm.original(r).len()).sum();
    // The run of the earlier text with the same first shingle, else its longest.
    let first: &[char] = &to_norm.chars[longest.start..longest.start + shingle::SHINGLE];
    let from_run =
        al.a.iter()
            .find(|r| {
                r.len() >= shingle::SHINGLE
                    && from_norm.chars[r.start..r.end]
                        .windows(shingle::SHINGLE)
                        .any(|w| w == first)
            })
            .or_else(|| al.a.iter().max_by_key(|r| r.len()));
    let from_span = from_run.map(|r| from_norm.original(r)).unwrap_or(0..0);
    p.text = shorten(&chars[span.clone()], PASSAGE_SHOWN);
    p.to_span = (span.start, span.end);
    p.from_span = (from_span.start, from_span.end);
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
pub(super) fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
