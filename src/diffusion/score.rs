//! Combining the signals of a pair into one score and a confidence level.
//!
//! Every shared term (an instrument type, a program template) weighs its
//! dictionary prior × how rare it is in the corpus × how central it is to
//! both articles. Rarity is an IDF: a term every article shares
//! (人工智能, 一体化) weighs nothing whatever the dictionary says, a term two
//! articles of a thousand share weighs nearly its prior. Centrality: a term
//! in the title or named twice is the article's subject; named once in
//! passing, it counts for [`PASSING`].
//!
//! Terms that name one concept (the instrument 科技创新券 and the template
//! 科技创新券试点方案) count once; independent terms add with diminishing
//! weight. The signals then combine as independent evidence (noisy-or):
//! `1 - Π(1 - s)`.

/// Weight of a term named once, in passing, relative to a central one.
pub const PASSING: f64 = 0.55;
/// Each further independent term counts this much of the one before.
pub const DECAY: f64 = 0.5;
/// Scale of the text-reuse signal: shared characters at which it reaches
/// 1 - 1/e.
pub const REUSE_SCALE: f64 = 120.0;
/// Strength of leftover foreign names in a passage of [`LEFTOVER_FULL`]
/// characters or more.
pub const LEFTOVER: f64 = 0.8;
pub const LEFTOVER_FULL: f64 = 40.0;

/// Confidence thresholds on the combined score.
pub const HIGH: f64 = 0.7;
pub const MEDIUM: f64 = 0.45;

/// How sure a finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn of(score: f64) -> Confidence {
        if score >= HIGH {
            Confidence::High
        } else if score >= MEDIUM {
            Confidence::Medium
        } else {
            Confidence::Low
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Rarity of a term found in `df` of `n` articles, in 0..=1: 1 for a term
/// of one article, 0 for a term of all.
pub fn idf(df: usize, n: usize) -> f64 {
    if n <= 1 || df == 0 {
        return 1.0;
    }
    let v = ((n as f64 + 1.0) / df as f64).ln() / (n as f64 + 1.0).ln();
    v.clamp(0.0, 1.0)
}

/// Centrality of a term in one article.
pub fn salience(in_title: bool, count: u32) -> f64 {
    if in_title || count >= 2 {
        1.0
    } else {
        PASSING
    }
}

/// Weight of one shared term: prior × √rarity × centrality in both.
pub fn term_weight(prior: f64, df: usize, n: usize, salience_a: f64, salience_b: f64) -> f64 {
    (prior * idf(df, n).sqrt() * (salience_a * salience_b).sqrt()).clamp(0.0, 1.0)
}

/// Combine shared terms, given as (key, weight): the strongest first; a
/// term whose key contains or is contained in one already counted is the
/// same concept and adds nothing; each further independent term counts
/// [`DECAY`] times the one before. Returns the score and the indices of
/// the terms that counted, strongest first.
pub fn combine_terms(terms: &[(&str, f64)]) -> (f64, Vec<usize>) {
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_by(|&i, &j| {
        terms[j]
            .1
            .total_cmp(&terms[i].1)
            .then(terms[i].0.cmp(terms[j].0))
    });
    let mut taken: Vec<usize> = Vec::new();
    let mut miss = 1.0;
    let mut factor = 1.0;
    for i in order {
        let key = terms[i].0;
        if taken
            .iter()
            .any(|&t| terms[t].0.contains(key) || key.contains(terms[t].0))
        {
            continue;
        }
        miss *= 1.0 - terms[i].1 * factor;
        factor *= DECAY;
        taken.push(i);
    }
    (1.0 - miss, taken)
}

/// Text reuse: `shared` characters of passage in common.
pub fn reuse(shared: usize) -> f64 {
    if shared == 0 {
        return 0.0;
    }
    1.0 - (-(shared as f64) / REUSE_SCALE).exp()
}

/// Leftover foreign names found inside a passage of `passage` characters.
pub fn leftover(found: bool, passage: usize) -> f64 {
    if !found {
        return 0.0;
    }
    LEFTOVER * (passage as f64 / LEFTOVER_FULL).min(1.0)
}

/// Independent signals combined: `1 - Π(1 - s)`.
pub fn noisy_or(signals: &[f64]) -> f64 {
    1.0 - signals
        .iter()
        .fold(1.0, |miss, s| miss * (1.0 - s.clamp(0.0, 1.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_terms_weigh_more() {
        assert!(idf(2, 1000) > 0.85);
        assert!(idf(500, 1000) < 0.15);
        assert!(idf(1000, 1000) < 0.01);
        assert!(idf(2, 87) > idf(5, 87));
        // The same specific instrument: shared by 2 of 1000 articles it is
        // strong evidence, by half the corpus it is vocabulary.
        assert!(term_weight(0.9, 2, 1000, 1.0, 1.0) > 0.8);
        assert!(term_weight(0.9, 500, 1000, 1.0, 1.0) < 0.35);
    }

    #[test]
    fn passing_mentions_weigh_less() {
        assert!(term_weight(0.9, 2, 87, 1.0, PASSING) < term_weight(0.9, 2, 87, 1.0, 1.0));
        assert_eq!(salience(true, 1), 1.0);
        assert_eq!(salience(false, 3), 1.0);
        assert_eq!(salience(false, 1), PASSING);
    }

    #[test]
    fn one_concept_counts_once() {
        let (one, taken) = combine_terms(&[("科技创新券", 0.7)]);
        let (same, taken_same) = combine_terms(&[("科技创新券试点方案", 0.6), ("科技创新券", 0.7)]);
        assert_eq!(one, same);
        assert_eq!(taken, vec![0]);
        assert_eq!(taken_same, vec![1]);
        let (two, taken_two) = combine_terms(&[("城市运行管理中心", 0.7), ("一网统管", 0.5)]);
        assert!(two > 0.7 && two < 0.7 + 0.5, "{two}");
        assert_eq!(taken_two, vec![0, 1]);
        assert_eq!(combine_terms(&[]).0, 0.0);
    }

    #[test]
    fn signals_combine_as_independent_evidence() {
        assert_eq!(noisy_or(&[]), 0.0);
        assert!((noisy_or(&[0.5, 0.5]) - 0.75).abs() < 1e-12);
        assert!(reuse(320) > 0.9 && reuse(18) < 0.2);
        assert_eq!(leftover(false, 100), 0.0);
        assert!(leftover(true, 20) < leftover(true, 60));
        assert_eq!(Confidence::of(0.8), Confidence::High);
        assert_eq!(Confidence::of(0.5), Confidence::Medium);
        assert_eq!(Confidence::of(0.3), Confidence::Low);
        assert_eq!(Confidence::parse(" High"), Some(Confidence::High));
    }
}
