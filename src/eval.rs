//! Scoring extracted article records against a hand-annotated gold file.
//!
//! Gold and predictions are both JSON Lines in the shape of `articles.jsonl`
//! ([`crate::record::ArticleRecord`]), read leniently: a gold line may omit
//! `id`, `bulletin` and `text`, may mark any region, agency, program or amount
//! `"optional": true` (a borderline case: neither a hit nor a miss), and may
//! mark its event date or province `date_optional` / `province_optional`.
//!
//! Matching, all within one article:
//!
//! * articles: by source file name (directories ignored) and title with
//!   whitespace removed; gold articles left over are then paired with
//!   predicted ones of the same file whose titles are nearly the same (a
//!   segmentation that clipped or extended a title is a title error, not a
//!   lost article), and reported as loose matches;
//! * regions: by id when both ids are GB/T 2260 codes (so a wrongly resolved
//!   鼓楼区 is a miss and a false positive), otherwise by canonical name or a
//!   shared surface form; a prediction left unresolved (`?鼓楼区` with
//!   candidates) that lists the gold id among its candidates is a miss but not
//!   a false positive: better than a wrong guess, worse than the answer;
//! * agencies and programs: equal canonical names after normalisation
//!   (whitespace, 《》〈〉 and quotes removed, full-width ASCII folded), or any
//!   shared surface form;
//! * amounts: by value and currency.
//!
//! Each gold item matches at most one prediction. Counts are micro-averaged
//! over all articles of the files the gold file covers; entities of a gold
//! article with no predicted counterpart are misses, those of a predicted
//! article the gold file lacks are false positives. Predicted articles from
//! files the gold file does not mention are left out, so a gold file may
//! cover part of a larger corpus.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

/// Why a gold or prediction file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: not an article record: {source}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
}

/// One article as the evaluation sees it: the fields that are scored, read
/// from either a gold line or a line of `articles.jsonl`. Unknown fields
/// (`text`, `bulletin`, spans, template keys, notes) are ignored.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct EvalArticle {
    #[serde(default)]
    pub id: String,
    pub source: String,
    /// An untitled item (a digest's unheaded paragraph) may be `null` in gold.
    #[serde(deserialize_with = "null_as_empty")]
    pub title: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Publication date (bulletin header, info line or signature).
    #[serde(default)]
    pub published: Option<NaiveDate>,
    /// Gold only: reasonable readers could disagree on the event date.
    #[serde(default)]
    pub date_optional: bool,
    #[serde(default)]
    pub province: Option<String>,
    /// Gold only: reasonable readers could disagree on the province.
    #[serde(default)]
    pub province_optional: bool,
    #[serde(default)]
    pub regions: Vec<EvalEntity>,
    #[serde(default)]
    pub agencies: Vec<EvalEntity>,
    #[serde(default)]
    pub programs: Vec<EvalEntity>,
    #[serde(default)]
    pub amounts: Vec<EvalAmount>,
}

/// A region, agency or program.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct EvalEntity {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Prediction only: the ids an unresolved region may stand for.
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Gold only: a borderline item, neither a hit nor a miss.
    #[serde(default)]
    pub optional: bool,
}

/// A monetary amount.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct EvalAmount {
    #[serde(default)]
    pub text: String,
    pub value_yuan: i64,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

fn default_currency() -> String {
    "CNY".to_string()
}

/// Read a JSON Lines file of article records (gold or predicted). Blank lines
/// are skipped; any other line that is not an article record is an error
/// naming the file and line, since a silently dropped gold article would
/// distort every figure.
pub fn load_jsonl(path: &Path) -> Result<Vec<EvalArticle>, EvalError> {
    use std::io::BufRead;

    let io_error = |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    // Line by line: a predictions file carries every article's full text,
    // which is dropped as each line is parsed.
    let mut articles = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_error)?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let article = serde_json::from_str(line).map_err(|source| EvalError::Parse {
            path: path.to_path_buf(),
            line: i + 1,
            source,
        })?;
        articles.push(article);
    }
    Ok(articles)
}

// ---------------------------------------------------------------------------
// Normalisation

/// Fold a name for comparison: whitespace, book-title brackets and quotes
/// removed, full-width ASCII (including （）) folded to half-width, ASCII
/// lower-cased. `《“一业一证”改革》` and `"一业一证"改革` compare equal.
pub fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .filter(|c| {
            !matches!(
                c,
                '《' | '》'
                    | '〈'
                    | '〉'
                    | '“'
                    | '”'
                    | '‘'
                    | '’'
                    | '"'
                    | '\''
                    | '「'
                    | '」'
                    | '『'
                    | '』'
            )
        })
        .map(fold_width)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A title for article matching: whitespace removed, full-width ASCII folded.
pub fn normalize_title(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(fold_width)
        .collect()
}

fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The file name of a `source`, so `corpus/sample/000_x.txt` and `000_x.txt`
/// name the same bulletin.
fn file_name(source: &str) -> &str {
    source.rsplit(['/', '\\']).next().unwrap_or(source)
}

/// A GB/T 2260 division code: six (or, for towns, nine) ASCII digits.
fn is_gb_code(id: &str) -> bool {
    (id.len() == 6 || id.len() == 9) && id.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Entity matching

/// The four scored entity types, in report order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Regions,
    Agencies,
    Programs,
    Amounts,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Regions, Kind::Agencies, Kind::Programs, Kind::Amounts];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Regions => "regions",
            Kind::Agencies => "agencies",
            Kind::Programs => "programs",
            Kind::Amounts => "amounts",
        }
    }
}

/// Everything an item is known by, normalised: canonical name, id and
/// surface forms.
fn keys(e: &EvalEntity) -> HashSet<String> {
    std::iter::once(&e.name)
        .chain(std::iter::once(&e.id))
        .chain(e.mentions.iter())
        .map(|s| normalize_name(s))
        .filter(|s| !s.is_empty())
        .collect()
}

/// How strongly a gold and a predicted item agree: `Some(0)` on id or name,
/// `Some(1)` on a shared surface form only, `None` not at all.
fn entity_match(kind: Kind, gold: &EvalEntity, pred: &EvalEntity) -> Option<u8> {
    if kind == Kind::Regions && is_gb_code(&gold.id) {
        if is_gb_code(&pred.id) {
            return (gold.id == pred.id).then_some(0);
        }
        if pred.id.starts_with('?') {
            // Unresolved: judged by its candidates, never by its name.
            return None;
        }
    }
    let (gn, pn) = (normalize_name(&gold.name), normalize_name(&pred.name));
    let (gi, pi) = (normalize_name(&gold.id), normalize_name(&pred.id));
    if (!gn.is_empty() && gn == pn) || (!gi.is_empty() && gi == pi) {
        return Some(0);
    }
    let gk = keys(gold);
    keys(pred).iter().any(|k| gk.contains(k)).then_some(1)
}

/// The outcome of matching one article's items of one type.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Alignment {
    pub tp: usize,
    /// Required gold items not found, as printable labels.
    pub missed: Vec<String>,
    /// Predicted items matching no gold item, as printable labels.
    pub false_positives: Vec<String>,
    /// Of `missed`: found but left unresolved with the right id among the
    /// candidates (not counted as false positives).
    pub unresolved: usize,
    /// Optional gold items (ignored), and predictions that matched them.
    pub optional_gold: usize,
    pub optional_hits: usize,
}

/// Match gold against predicted items one-to-one: required gold first, on
/// name or id before surface forms, then optional gold soaks up what is
/// left, then unresolved regions are checked against their candidates.
/// Articles hold tens of items, so the pairwise comparison is cheap.
fn align<T>(
    gold: &[T],
    pred: &[T],
    optional: impl Fn(&T) -> bool,
    strength: impl Fn(&T, &T) -> Option<u8>,
    label: impl Fn(&T) -> String,
    unresolved_hit: impl Fn(&T, &T) -> bool,
) -> Alignment {
    let mut used = vec![false; pred.len()];
    let mut gold_done = vec![false; gold.len()];
    let required: Vec<usize> = (0..gold.len()).filter(|&i| !optional(&gold[i])).collect();
    let optional_idx: Vec<usize> = (0..gold.len()).filter(|&i| optional(&gold[i])).collect();
    let mut out = Alignment {
        optional_gold: optional_idx.len(),
        ..Alignment::default()
    };

    for group in [&required, &optional_idx] {
        for tier in 0..=1u8 {
            for &g in group.iter() {
                if gold_done[g] {
                    continue;
                }
                let hit = (0..pred.len())
                    .find(|&p| !used[p] && strength(&gold[g], &pred[p]).is_some_and(|s| s <= tier));
                if let Some(p) = hit {
                    used[p] = true;
                    gold_done[g] = true;
                    if optional(&gold[g]) {
                        out.optional_hits += 1;
                    } else {
                        out.tp += 1;
                    }
                }
            }
        }
    }
    for &g in &required {
        if gold_done[g] {
            continue;
        }
        if let Some(p) = (0..pred.len()).find(|&p| !used[p] && unresolved_hit(&gold[g], &pred[p])) {
            used[p] = true;
            out.unresolved += 1;
            out.missed
                .push(format!("{} (left unresolved)", label(&gold[g])));
        } else {
            out.missed.push(label(&gold[g]));
        }
    }
    out.false_positives = (0..pred.len())
        .filter(|&p| !used[p])
        .map(|p| label(&pred[p]))
        .collect();
    out
}

fn entity_label(e: &EvalEntity) -> String {
    let mut s = if e.id.is_empty() || e.id == e.name {
        e.name.clone()
    } else {
        format!("{} [{}]", e.name, e.id)
    };
    let shown: Vec<&str> = e
        .mentions
        .iter()
        .map(String::as_str)
        .filter(|m| *m != e.name)
        .collect();
    if !shown.is_empty() {
        s.push_str(&format!(" ({})", shown.join("、")));
    }
    s
}

fn amount_label(a: &EvalAmount) -> String {
    let unit = if a.currency.eq_ignore_ascii_case("CNY") {
        String::new()
    } else {
        format!(" {}", a.currency)
    };
    if a.text.is_empty() {
        format!("{}{unit}", a.value_yuan)
    } else {
        format!("{}{unit} ({})", a.value_yuan, a.text)
    }
}

/// Align one article's items of one type.
pub fn align_kind(kind: Kind, gold: &EvalArticle, pred: &EvalArticle) -> Alignment {
    match kind {
        Kind::Amounts => align(
            &gold.amounts,
            &pred.amounts,
            |a| a.optional,
            |g, p| {
                (g.value_yuan == p.value_yuan && g.currency.eq_ignore_ascii_case(&p.currency))
                    .then_some(0)
            },
            amount_label,
            |_, _| false,
        ),
        _ => {
            let (g, p) = (entities(kind, gold), entities(kind, pred));
            align(
                g,
                p,
                |e| e.optional,
                |ge, pe| entity_match(kind, ge, pe),
                entity_label,
                |ge, pe| {
                    kind == Kind::Regions
                        && pe.id.starts_with('?')
                        && pe.candidates.contains(&ge.id)
                },
            )
        }
    }
}

fn entities(kind: Kind, a: &EvalArticle) -> &[EvalEntity] {
    match kind {
        Kind::Regions => &a.regions,
        Kind::Agencies => &a.agencies,
        Kind::Programs => &a.programs,
        Kind::Amounts => &[],
    }
}

// ---------------------------------------------------------------------------
// Article matching

/// How a gold article found its prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pairing {
    /// Same file, same title.
    Exact,
    /// Same file, nearly the same title.
    Loose,
    /// Gold article with no prediction.
    Missing,
    /// Predicted article the gold file lacks.
    Extra,
}

/// Dice coefficient of character bigrams: how alike two titles are, 0 to 1.
fn title_similarity(a: &str, b: &str) -> f64 {
    let bigrams = |s: &str| -> Vec<(char, char)> {
        let cs: Vec<char> = s.chars().collect();
        cs.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut counts: HashMap<(char, char), usize> = HashMap::new();
    for g in &x {
        *counts.entry(*g).or_default() += 1;
    }
    let mut common = 0;
    for g in &y {
        if let Some(n) = counts.get_mut(g) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// Titles at least this alike (or one containing the other) pair loosely.
const LOOSE_TITLE: f64 = 0.75;

/// Pair gold with predicted articles: `(gold index, pred index, how)`.
/// Exact pairs first, in file order (a title printed twice in one bulletin
/// pairs first with first); then, per file, the most alike leftover titles.
fn pair_articles(
    gold: &[EvalArticle],
    pred: &[EvalArticle],
) -> Vec<(Option<usize>, Option<usize>, Pairing)> {
    let gold_files: HashSet<&str> = gold.iter().map(|a| file_name(&a.source)).collect();
    let pred: Vec<(usize, &EvalArticle)> = pred
        .iter()
        .enumerate()
        .filter(|(_, a)| gold_files.contains(file_name(&a.source)))
        .collect();

    let mut by_key: HashMap<(&str, String), Vec<usize>> = HashMap::new();
    for &(i, a) in pred.iter().rev() {
        by_key
            .entry((file_name(&a.source), normalize_title(&a.title)))
            .or_default()
            .push(i);
    }
    let mut gold_pair: Vec<Option<(usize, Pairing)>> = vec![None; gold.len()];
    let mut pred_used: HashSet<usize> = HashSet::new();
    for (g, a) in gold.iter().enumerate() {
        if let Some(p) = by_key
            .get_mut(&(file_name(&a.source), normalize_title(&a.title)))
            .and_then(Vec::pop)
        {
            gold_pair[g] = Some((p, Pairing::Exact));
            pred_used.insert(p);
        }
    }

    // Loose pairs: best-first among leftovers of the same file.
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (g, a) in gold.iter().enumerate() {
        if gold_pair[g].is_some() {
            continue;
        }
        let (gt, gf) = (normalize_title(&a.title), file_name(&a.source));
        for &(p, b) in &pred {
            if pred_used.contains(&p) || file_name(&b.source) != gf {
                continue;
            }
            let pt = normalize_title(&b.title);
            let contained =
                !gt.is_empty() && !pt.is_empty() && (gt.contains(&pt) || pt.contains(&gt));
            let sim = if contained {
                1.0
            } else {
                title_similarity(&gt, &pt)
            };
            if sim >= LOOSE_TITLE {
                candidates.push((sim, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, g, p) in candidates {
        if gold_pair[g].is_none() && !pred_used.contains(&p) {
            gold_pair[g] = Some((p, Pairing::Loose));
            pred_used.insert(p);
        }
    }

    let mut pairs: Vec<(Option<usize>, Option<usize>, Pairing)> = gold_pair
        .iter()
        .enumerate()
        .map(|(g, pair)| match pair {
            Some((p, how)) => (Some(g), Some(*p), *how),
            None => (Some(g), None, Pairing::Missing),
        })
        .collect();
    pairs.extend(
        pred.iter()
            .filter(|(p, _)| !pred_used.contains(p))
            .map(|&(p, _)| (None, Some(p), Pairing::Extra)),
    );
    pairs
}

// ---------------------------------------------------------------------------
// The report

/// True positives, false positives and misses of one entity type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    /// Of `fn_`: unresolved predictions listing the right id.
    pub unresolved: usize,
    /// Optional gold items, ignored.
    pub optional: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.unresolved += o.unresolved;
        self.optional += o.optional;
    }
}

/// 1.0 when there is nothing to get right (no gold, no predictions).
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        1.0
    } else {
        num as f64 / den as f64
    }
}

/// Share of matched articles whose field is right (optional gold fields left out).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
}

impl Accuracy {
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
    fn score(&mut self, right: bool) {
        self.total += 1;
        self.correct += usize::from(right);
    }
}

/// Article-level counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArticleCounts {
    pub gold: usize,
    /// Predicted articles from the files the gold file covers.
    pub pred: usize,
    pub exact: usize,
    pub loose: usize,
    pub missing: usize,
    pub extra: usize,
}

/// What went wrong in one article: the material of `--per-article`.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleDiff {
    pub source: String,
    pub gold_title: Option<String>,
    pub pred_title: Option<String>,
    pub pairing: Pairing,
    /// Per entity type (in [`Kind::ALL`] order): misses and false positives.
    pub kinds: Vec<(Kind, Alignment)>,
    /// `(gold, predicted)` where they differ and the gold is not optional.
    pub date: Option<(Option<NaiveDate>, Option<NaiveDate>)>,
    pub province: Option<(Option<String>, Option<String>)>,
    pub section: Option<(Option<String>, Option<String>)>,
}

impl ArticleDiff {
    /// Nothing to report: paired exactly and every scored item right.
    pub fn is_clean(&self) -> bool {
        self.pairing == Pairing::Exact
            && self.date.is_none()
            && self.province.is_none()
            && self.section.is_none()
            && self
                .kinds
                .iter()
                .all(|(_, a)| a.missed.is_empty() && a.false_positives.is_empty())
    }
}

/// The result of [`evaluate`]: prints as the summary table; [`Report::details`]
/// prints what went wrong article by article.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub articles: ArticleCounts,
    /// Files cut into exactly their articles: as many as the gold file
    /// lists, each paired with a gold article (no fragment, nothing swallowed).
    pub files: Accuracy,
    /// Stated dates (gold event dates not marked optional, and gold
    /// publication dates) that the predictions give: the event date in
    /// `date`, the publication date in `published`.
    pub stated_dates: Accuracy,
    /// Of the gold publication dates, those found.
    pub published: Accuracy,
    /// Per entity type, in [`Kind::ALL`] order.
    pub kinds: Vec<(Kind, Counts)>,
    pub date: Accuracy,
    pub province: Accuracy,
    pub section: Accuracy,
    pub per_article: Vec<ArticleDiff>,
}

impl Report {
    /// Counts of one entity type.
    pub fn counts(&self, kind: Kind) -> Counts {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| *c)
            .unwrap_or_default()
    }

    /// All four entity types pooled.
    pub fn all(&self) -> Counts {
        let mut total = Counts::default();
        for (_, c) in &self.kinds {
            total.add(c);
        }
        total
    }

    /// The per-article listing of misses and false positives.
    pub fn details(&self) -> Details<'_> {
        Details(self)
    }
}

/// Score predicted article records against gold ones.
pub fn evaluate(gold: &[EvalArticle], pred: &[EvalArticle]) -> Report {
    let empty = EvalArticle::default();
    let mut kinds: Vec<(Kind, Counts)> =
        Kind::ALL.iter().map(|&k| (k, Counts::default())).collect();
    let mut articles = ArticleCounts {
        gold: gold.len(),
        ..ArticleCounts::default()
    };
    let (mut date, mut province, mut section) = (
        Accuracy::default(),
        Accuracy::default(),
        Accuracy::default(),
    );
    let mut per_article = Vec::new();
    let (mut stated_dates, mut published) = (Accuracy::default(), Accuracy::default());
    // Per file: gold articles, predicted articles, articles paired.
    let mut files: std::collections::BTreeMap<String, (usize, usize, usize)> = Default::default();

    for (g, p, pairing) in pair_articles(gold, pred) {
        let ga = g.map(|i| &gold[i]);
        let pa = p.map(|i| &pred[i]);
        match pairing {
            Pairing::Exact => articles.exact += 1,
            Pairing::Loose => articles.loose += 1,
            Pairing::Missing => articles.missing += 1,
            Pairing::Extra => articles.extra += 1,
        }
        if pa.is_some() {
            articles.pred += 1;
        }
        let file = ga
            .or(pa)
            .map(|a| file_name(&a.source).to_string())
            .unwrap_or_default();
        let counts = files.entry(file).or_default();
        counts.0 += usize::from(ga.is_some());
        counts.1 += usize::from(pa.is_some());
        counts.2 += usize::from(ga.is_some() && pa.is_some());
        if let Some(ga) = ga {
            if ga.date.is_some() && !ga.date_optional {
                stated_dates.score(pa.is_some_and(|p| p.date == ga.date));
            }
            if ga.published.is_some() {
                let found = pa.is_some_and(|p| p.published == ga.published);
                stated_dates.score(found);
                published.score(found);
            }
        }
        let (gr, pr) = (ga.unwrap_or(&empty), pa.unwrap_or(&empty));
        let mut diff = ArticleDiff {
            source: ga.or(pa).map(|a| a.source.clone()).unwrap_or_default(),
            gold_title: ga.map(|a| a.title.clone()),
            pred_title: pa.map(|a| a.title.clone()),
            pairing,
            kinds: Vec::new(),
            date: None,
            province: None,
            section: None,
        };
        for (kind, counts) in kinds.iter_mut() {
            let al = align_kind(*kind, gr, pr);
            counts.add(&Counts {
                tp: al.tp,
                fp: al.false_positives.len(),
                fn_: al.missed.len(),
                unresolved: al.unresolved,
                optional: al.optional_gold,
            });
            diff.kinds.push((*kind, al));
        }
        if let (Some(ga), Some(pa)) = (ga, pa) {
            if !ga.date_optional {
                date.score(ga.date == pa.date);
                if ga.date != pa.date {
                    diff.date = Some((ga.date, pa.date));
                }
            }
            if !ga.province_optional {
                let right = ga.province.as_deref().map(normalize_name)
                    == pa.province.as_deref().map(normalize_name);
                province.score(right);
                if !right {
                    diff.province = Some((ga.province.clone(), pa.province.clone()));
                }
            }
            let right = ga.section.as_deref().map(normalize_title)
                == pa.section.as_deref().map(normalize_title);
            section.score(right);
            if !right {
                diff.section = Some((ga.section.clone(), pa.section.clone()));
            }
        }
        per_article.push(diff);
    }
    let mut file_acc = Accuracy::default();
    for (gold_n, pred_n, paired) in files.values() {
        if *gold_n > 0 {
            file_acc.score(gold_n == pred_n && paired == gold_n);
        }
    }
    Report {
        articles,
        files: file_acc,
        stated_dates,
        published,
        kinds,
        date,
        province,
        section,
        per_article,
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = &self.articles;
        writeln!(
            f,
            "articles: {} gold, {} predicted; titles matched {} exactly, {} loosely; {} missing, {} extra",
            a.gold, a.pred, a.exact, a.loose, a.missing, a.extra
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6} {:>9}",
            "entity", "gold", "pred", "tp", "fp", "fn", "precision", "recall", "f1", "optional"
        )?;
        let rows = self
            .kinds
            .iter()
            .map(|(k, c)| (k.name(), *c))
            .chain(std::iter::once(("all", self.all())));
        for (name, c) in rows {
            writeln!(
                f,
                "{:<10} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>7} {:>6.3} {:>9}",
                name,
                c.tp + c.fn_,
                c.tp + c.fp,
                c.tp,
                c.fp,
                c.fn_,
                shown_ratio(c.tp, c.tp + c.fp),
                shown_ratio(c.tp, c.tp + c.fn_),
                c.f1(),
                c.optional
            )?;
        }
        let unresolved = self.all().unresolved;
        if unresolved > 0 {
            writeln!(f, "({unresolved} of the misses were left unresolved with the right id among the candidates)")?;
        }
        writeln!(f)?;
        writeln!(
            f,
            "{:<20} {:>13} {:>9}",
            "field", "correct/total", "accuracy"
        )?;
        for (name, acc) in [
            ("files cut exactly", self.files),
            (
                "titles exact",
                Accuracy {
                    correct: a.exact,
                    total: a.gold,
                },
            ),
            ("stated dates found", self.stated_dates),
            ("publication date", self.published),
            ("date", self.date),
            ("province", self.province),
            ("section", self.section),
        ] {
            writeln!(
                f,
                "{:<20} {:>13} {:>9}",
                name,
                format!("{}/{}", acc.correct, acc.total),
                shown_ratio(acc.correct, acc.total)
            )?;
        }
        Ok(())
    }
}

/// A ratio to three places, or `-` where there is nothing to divide (a
/// precision with no predictions is not perfect, it is undefined).
fn shown_ratio(num: usize, den: usize) -> String {
    if den == 0 {
        "-".to_string()
    } else {
        format!("{:.3}", num as f64 / den as f64)
    }
}

/// Per-article listing of what went wrong; see [`Report::details`].
pub struct Details<'a>(&'a Report);

impl fmt::Display for Details<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |o: &Option<String>| o.clone().unwrap_or_else(|| "null".to_string());
        let show_date = |o: &Option<NaiveDate>| {
            o.map(|d| d.to_string())
                .unwrap_or_else(|| "null".to_string())
        };
        for d in self.0.per_article.iter().filter(|d| !d.is_clean()) {
            let file = file_name(&d.source);
            match d.pairing {
                Pairing::Exact => writeln!(f, "{file} | {}", show(&d.gold_title))?,
                Pairing::Loose => {
                    writeln!(f, "{file} | {}", show(&d.gold_title))?;
                    writeln!(f, "    title predicted as: {}", show(&d.pred_title))?;
                }
                Pairing::Missing => writeln!(
                    f,
                    "{file} | {}\n    MISSING ARTICLE (no predicted article with this title)",
                    show(&d.gold_title)
                )?,
                Pairing::Extra => writeln!(
                    f,
                    "{file} | {}\n    EXTRA ARTICLE (not in the gold file)",
                    show(&d.pred_title)
                )?,
            }
            if let Some((g, p)) = &d.date {
                writeln!(
                    f,
                    "    date: gold {}, predicted {}",
                    show_date(g),
                    show_date(p)
                )?;
            }
            if let Some((g, p)) = &d.province {
                writeln!(f, "    province: gold {}, predicted {}", show(g), show(p))?;
            }
            if let Some((g, p)) = &d.section {
                writeln!(f, "    section: gold {}, predicted {}", show(g), show(p))?;
            }
            for (kind, al) in &d.kinds {
                if !al.missed.is_empty() {
                    writeln!(f, "    {} missed: {}", kind.name(), al.missed.join("; "))?;
                }
                if !al.false_positives.is_empty() {
                    writeln!(
                        f,
                        "    {} false positives: {}",
                        kind.name(),
                        al.false_positives.join("; ")
                    )?;
                }
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(id: &str, name: &str, mentions: &[&str]) -> EvalEntity {
        EvalEntity {
            id: id.into(),
            name: name.into(),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            ..EvalEntity::default()
        }
    }

    fn article(title: &str) -> EvalArticle {
        EvalArticle {
            source: "000_5fd69a67e7dd1237.txt".into(),
            title: title.into(),
            ..EvalArticle::default()
        }
    }

    #[test]
    fn names_fold_brackets_quotes_and_width() {
        assert_eq!(
            normalize_name("《“一业一证”改革》"),
            normalize_name("一业一证改革")
        );
        assert_eq!(normalize_name("上海（浦东新区）"), "上海(浦东新区)");
        assert_eq!(
            normalize_name("G60 科创走廊"),
            normalize_name("g60科创走廊")
        );
        assert_ne!(normalize_name("江苏省科技厅"), normalize_name("省科技厅"));
    }

    #[test]
    fn titles_ignore_whitespace_and_width_only() {
        assert_eq!(
            normalize_title("长三角（上海）互联网医院投入运行 提升健康服务能级"),
            "长三角(上海)互联网医院投入运行提升健康服务能级"
        );
        assert_ne!(normalize_title("“一业一证”"), normalize_title("一业一证"));
    }

    #[test]
    fn sources_compare_by_file_name() {
        assert_eq!(
            file_name("corpus/sample/000_5fd69a67e7dd1237.txt"),
            "000_5fd69a67e7dd1237.txt"
        );
        assert_eq!(file_name(r"C:\data\000.txt"), "000.txt");
        assert_eq!(file_name("000.txt"), "000.txt");
    }

    #[test]
    fn region_codes_decide_when_both_sides_have_them() {
        // 鼓楼区 of 南京 (320106) is not 鼓楼区 of 徐州 (320302), whatever the surface form.
        let gold = ent("320106", "鼓楼区", &["鼓楼区"]);
        assert_eq!(
            entity_match(Kind::Regions, &gold, &ent("320302", "鼓楼区", &["鼓楼区"])),
            None
        );
        assert_eq!(
            entity_match(Kind::Regions, &gold, &ent("320106", "鼓楼区", &["鼓楼"])),
            Some(0)
        );
        // A zone has no code: name or shared surface form.
        let zone = ent(
            "长三角生态绿色一体化发展示范区",
            "长三角生态绿色一体化发展示范区",
            &["示范区"],
        );
        assert_eq!(
            entity_match(Kind::Regions, &zone, &ent("示范区", "示范区", &["示范区"])),
            Some(1)
        );
    }

    #[test]
    fn agencies_match_on_a_shared_surface_form() {
        let gold = ent("江苏省科学技术厅", "江苏省科学技术厅", &["江苏省科技厅"]);
        let pred = ent("江苏省科技厅", "江苏省科技厅", &["江苏省科技厅"]);
        assert_eq!(entity_match(Kind::Agencies, &gold, &pred), Some(1));
        let other = ent("江苏省财政厅", "江苏省财政厅", &["省财政厅"]);
        assert_eq!(entity_match(Kind::Agencies, &gold, &other), None);
    }

    #[test]
    fn optional_gold_neither_hits_nor_misses_and_absorbs_a_prediction() {
        let mut g = article("t");
        g.programs = vec![ent("一业一证", "一业一证", &["一业一证"]), {
            let mut e = ent("一帽牵头", "一帽牵头", &["一帽牵头"]);
            e.optional = true;
            e
        }];
        let mut p = article("t");
        p.programs = vec![ent("一帽牵头", "一帽牵头", &["一帽牵头"])];
        let al = align_kind(Kind::Programs, &g, &p);
        assert_eq!(
            (al.tp, al.missed.len(), al.false_positives.len()),
            (0, 1, 0)
        );
        assert_eq!((al.optional_gold, al.optional_hits), (1, 1));
    }

    #[test]
    fn a_prediction_prefers_required_gold_over_optional() {
        // Both gold items share the surface form 临港; the required one must win.
        let mut g = article("t");
        let mut opt = ent("临港", "临港", &["临港"]);
        opt.optional = true;
        g.regions = vec![
            opt,
            ent("临港新片区", "临港新片区", &["临港新片区", "临港"]),
        ];
        let mut p = article("t");
        p.regions = vec![ent("临港新片区", "临港新片区", &["临港"])];
        let al = align_kind(Kind::Regions, &g, &p);
        assert_eq!(
            (al.tp, al.missed.len(), al.false_positives.len()),
            (1, 0, 0)
        );
    }

    #[test]
    fn one_gold_item_takes_one_prediction() {
        let mut g = article("t");
        g.agencies = vec![ent(
            "上海市发展和改革委员会",
            "上海市发展和改革委员会",
            &["发改委"],
        )];
        let mut p = article("t");
        p.agencies = vec![
            ent("上海市发改委", "上海市发改委", &["发改委"]),
            ent("发改委", "发改委", &["发改委"]),
        ];
        let al = align_kind(Kind::Agencies, &g, &p);
        assert_eq!((al.tp, al.false_positives.len()), (1, 1));
    }

    #[test]
    fn unresolved_region_with_the_right_candidate_is_a_miss_not_a_false_positive() {
        let mut g = article("t");
        g.regions = vec![ent("320106", "鼓楼区", &["鼓楼区"])];
        let mut p = article("t");
        let mut q = ent("?鼓楼区", "鼓楼区", &["鼓楼区"]);
        q.candidates = vec!["320106".into(), "320302".into()];
        p.regions = vec![q];
        let al = align_kind(Kind::Regions, &g, &p);
        assert_eq!(
            (
                al.tp,
                al.missed.len(),
                al.unresolved,
                al.false_positives.len()
            ),
            (0, 1, 1, 0)
        );
    }

    #[test]
    fn amounts_match_on_value_and_currency() {
        let amt = |v: i64, c: &str| EvalAmount {
            text: String::new(),
            value_yuan: v,
            currency: c.into(),
            qualifier: None,
            optional: false,
        };
        let mut g = article("t");
        g.amounts = vec![amt(100_000_000, "CNY"), amt(5_000_000, "USD")];
        let mut p = article("t");
        p.amounts = vec![amt(100_000_000, "cny"), amt(5_000_000, "CNY")];
        let al = align_kind(Kind::Amounts, &g, &p);
        assert_eq!(
            (al.tp, al.missed.len(), al.false_positives.len()),
            (1, 1, 1)
        );
    }

    #[test]
    fn clipped_titles_pair_loosely_and_strangers_do_not() {
        let gold = vec![
            article("上海首次发布标准化工作白皮书多项创新实践领跑全国"),
            article("上海推出智慧停车应用破解停车难问题"),
        ];
        let pred = vec![
            article("上海首次发布标准化工作白皮书"),
            article("山东将重点推进“六有”促进灵活就业"),
        ];
        let pairs = pair_articles(&gold, &pred);
        assert!(pairs.contains(&(Some(0), Some(0), Pairing::Loose)));
        assert!(pairs.contains(&(Some(1), None, Pairing::Missing)));
        assert!(pairs.contains(&(None, Some(1), Pairing::Extra)));
    }

    #[test]
    fn predictions_from_files_outside_the_gold_are_ignored() {
        let gold = vec![article("a")];
        let mut other = article("b");
        other.source = "somewhere/999_other.txt".into();
        let report = evaluate(&gold, &[article("a"), other]);
        assert_eq!(
            report.articles,
            ArticleCounts {
                gold: 1,
                pred: 1,
                exact: 1,
                ..ArticleCounts::default()
            }
        );
    }

    #[test]
    fn repeated_titles_pair_in_order() {
        let mut g1 = article("会议");
        g1.date = NaiveDate::from_ymd_opt(2020, 10, 1);
        let mut g2 = article("会议");
        g2.date = NaiveDate::from_ymd_opt(2020, 10, 2);
        let report = evaluate(&[g1.clone(), g2.clone()], &[g1, g2]);
        assert_eq!(
            report.date,
            Accuracy {
                correct: 2,
                total: 2
            }
        );
    }

    #[test]
    fn empty_on_both_sides_is_perfect_not_undefined() {
        let c = Counts::default();
        assert_eq!((c.precision(), c.recall(), c.f1()), (1.0, 1.0, 1.0));
        let c = Counts {
            tp: 0,
            fp: 3,
            fn_: 2,
            ..Counts::default()
        };
        assert_eq!(c.f1(), 0.0);
    }

    #[test]
    fn the_table_shows_undefined_precision_as_a_dash() {
        let mut g = article("t");
        g.amounts = vec![EvalAmount {
            text: "1 亿元".into(),
            value_yuan: 100_000_000,
            currency: "CNY".into(),
            qualifier: None,
            optional: false,
        }];
        let table = evaluate(&[g], &[article("t")]).to_string();
        let row = table.lines().find(|l| l.starts_with("amounts")).unwrap();
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cells,
            ["amounts", "1", "0", "0", "0", "1", "-", "0.000", "0.000", "0"]
        );
    }
}
