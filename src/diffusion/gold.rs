//! Annotated article pairs and how well findings match them.
//!
//! A gold file (`corpus/gold/diffusion_pairs.csv`) lists pairs of articles,
//! each by source file and title, labelled `strong` (the same specific
//! policy in two places), `weak` (a shared policy family or a passing
//! mention) or `negative` (only generic vocabulary in common). Two figures
//! judge the detector: the share of strong pairs found (at any confidence),
//! and the share of high-confidence findings that are real (strong or weak);
//! a high-confidence finding on a pair the file does not list counts as not
//! real, so the file should list every pair an annotator considers related.

use std::collections::BTreeMap;
use std::path::Path;

use crate::extract::dictionary::csv_records;
use crate::extract::DictError;
use crate::record::ArticleRecord;

use super::{Confidence, Finding};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    Strong,
    Weak,
    Negative,
}

/// One annotated pair.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldPair {
    pub source_a: String,
    pub title_a: String,
    pub source_b: String,
    pub title_b: String,
    pub label: Label,
    /// What the two share (or, for a negative, the vocabulary that misleads).
    pub shared: String,
    /// Line in the file, for messages.
    pub line: u64,
}

/// Load a gold pair file (`source_a,title_a,source_b,title_b,label,shared,note`).
pub fn load(path: &Path) -> Result<Vec<GoldPair>, DictError> {
    let name = path.display().to_string();
    let mut out = Vec::new();
    for (line, row) in csv_records(path, csv::ReaderBuilder::new().flexible(true))? {
        let field = |i: usize| row.get(i).unwrap_or("").trim().to_string();
        let label = match field(4).as_str() {
            "strong" => Label::Strong,
            "weak" => Label::Weak,
            "negative" => Label::Negative,
            other => {
                return Err(DictError::Invalid {
                    path: name,
                    line,
                    message: format!("label {other:?} is not strong, weak or negative"),
                })
            }
        };
        out.push(GoldPair {
            source_a: field(0),
            title_a: field(1),
            source_b: field(2),
            title_b: field(3),
            label,
            shared: field(5),
            line,
        });
    }
    Ok(out)
}

/// How findings compare with the gold pairs.
#[derive(Clone, Debug, Default)]
pub struct Evaluation {
    pub strong: usize,
    pub strong_found: usize,
    pub weak: usize,
    pub weak_found: usize,
    pub negatives: usize,
    /// Negative pairs that were found, with the finding's confidence.
    pub negatives_found: Vec<(GoldPair, Confidence)>,
    /// Strong pairs not found.
    pub missed: Vec<GoldPair>,
    pub high: usize,
    pub high_real: usize,
    /// High-confidence findings on pairs not labelled strong or weak.
    pub high_unreal: Vec<Finding>,
    /// Gold pairs whose articles are not in the records.
    pub unmatched: Vec<GoldPair>,
}

impl Evaluation {
    /// Strong pairs found / strong pairs (1 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.strong_found, self.strong)
    }

    /// Real pairs among high-confidence findings (1 when there are none).
    pub fn high_precision(&self) -> f64 {
        ratio(self.high_real, self.high)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// Compare `findings` on `records` with `gold`. Articles pair by source
/// file name (directories ignored) and title (whitespace ignored).
pub fn evaluate(gold: &[GoldPair], records: &[ArticleRecord], findings: &[Finding]) -> Evaluation {
    let key = |source: &str, title: &str| {
        let file = Path::new(source)
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or(source)
            .to_string();
        (
            file,
            title
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>(),
        )
    };
    let ids: BTreeMap<(String, String), &str> = records
        .iter()
        .map(|r| {
            (
                key(&r.article.source, &r.article.title),
                r.article.id.as_str(),
            )
        })
        .collect();
    let unordered = |a: &str, b: &str| {
        if a <= b {
            (a.to_string(), b.to_string())
        } else {
            (b.to_string(), a.to_string())
        }
    };
    let found: BTreeMap<(String, String), &Finding> = findings
        .iter()
        .map(|f| (unordered(&f.from, &f.to), f))
        .collect();

    let mut ev = Evaluation::default();
    let mut labelled: BTreeMap<(String, String), Label> = BTreeMap::new();
    for g in gold {
        let (Some(a), Some(b)) = (
            ids.get(&key(&g.source_a, &g.title_a)),
            ids.get(&key(&g.source_b, &g.title_b)),
        ) else {
            ev.unmatched.push(g.clone());
            continue;
        };
        let pair = unordered(a, b);
        let hit = found.get(&pair);
        labelled.insert(pair, g.label);
        match g.label {
            Label::Strong => {
                ev.strong += 1;
                match hit {
                    Some(_) => ev.strong_found += 1,
                    None => ev.missed.push(g.clone()),
                }
            }
            Label::Weak => {
                ev.weak += 1;
                ev.weak_found += usize::from(hit.is_some());
            }
            Label::Negative => {
                ev.negatives += 1;
                if let Some(f) = hit {
                    ev.negatives_found.push((g.clone(), f.confidence));
                }
            }
        }
    }
    for f in findings.iter().filter(|f| f.confidence == Confidence::High) {
        ev.high += 1;
        match labelled.get(&unordered(&f.from, &f.to)) {
            Some(Label::Strong | Label::Weak) => ev.high_real += 1,
            _ => ev.high_unreal.push(f.clone()),
        }
    }
    ev
}
