//! Scaling of the diffusion detector: the time of candidate search and
//! scoring on synthetic corpora of N and 10·N articles, and their ratio
//! (all-pairs comparison would make it 100).
//!
//! ```sh
//! cargo bench --bench diffusion                 # N = 2000: 2000 and 20000 articles
//! cargo bench --bench diffusion -- --n 500      # another N
//! cargo bench --bench diffusion -- --show 5     # and up to 5 high findings not related by construction
//! ```
//!
//! Articles are generated in memory from the sample corpus's sentences:
//! each takes a sample article's sentences (some swapped for sentences of
//! other articles), moves them to a random province, and rewrites 30% of
//! their characters at random (drawn from the samples' own character
//! frequencies), so that, as in a real corpus, most text is the article's
//! own and not one text repeated. Dictionary terms survive where the
//! rewriting spares them, so term candidates grow with the corpus as they
//! would. Into 5% of the articles a passage of an earlier article of another
//! province is copied verbatim, names swapped except one: the planted copies
//! the detector must find. Everything is a pure function of N and the seed.
//!
//! Stages, each timed separately (all cores, rayon):
//! * sketch: features, jurisdictions and text fingerprints of every article;
//! * candidates: shared fingerprints and term pairing;
//! * score: alignment and scoring of every candidate.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use policygraph::diffusion::{Confidence, Detector, Options, Signal};
use policygraph::ingest::{self, SectionNames};
use policygraph::record::{Article, ArticleRecord, BulletinMeta, Entities, EntityRef};
use policygraph::synth::{self, Province, Rng};

/// Share of characters rewritten, in percent.
const REWRITE: u64 = 30;
/// Share of articles with a planted copy, in percent.
const PLANTED: u64 = 5;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--n")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let show: usize = args
        .iter()
        .position(|a| a == "--show")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let detector =
        Detector::load(&root.join("dictionaries"), Options::default()).expect("dictionaries load");
    let provinces =
        synth::load_provinces(&root.join("dictionaries/divisions")).expect("division tables");
    let pool = sample_sentences(root);
    println!(
        "diffusion bench: {} sample sentences, {} provinces, {} cores",
        pool.sentences.len(),
        provinces.len(),
        rayon::current_num_threads()
    );

    let mut times = Vec::new();
    for size in [n, 10 * n] {
        let (records, planted, bases) = generate(&pool, &provinces, size, 2020);
        let index = |id: &str| {
            id.strip_prefix("synth_")
                .and_then(|s| s.get(..7))
                .and_then(|s| s.parse::<usize>().ok())
        };
        let original = |i: usize| planted.iter().find(|(c, _)| *c == i).map(|(_, o)| *o);
        // Related by construction: a planted copy and its original, two copies
        // of one original, or two articles made from the same sample article.
        let related = |f: &policygraph::diffusion::Finding| match (index(&f.from), index(&f.to)) {
            (Some(a), Some(b)) => {
                original(b) == Some(a)
                    || original(a) == Some(b)
                    || (original(a).is_some() && original(a) == original(b))
                    || bases[a] == bases[b]
            }
            _ => false,
        };
        let chars: usize = records.iter().map(|r| r.article.text.chars().count()).sum();
        let t = Instant::now();
        let corpus = detector.corpus(&records);
        let prepare = t.elapsed();
        let t = Instant::now();
        let candidates = detector.candidates(&corpus);
        let search = t.elapsed();
        let t = Instant::now();
        let findings = detector
            .score(&corpus, &candidates, &records[..])
            .expect("texts in memory");
        let score = t.elapsed();
        let lsh = candidates.iter().filter(|c| c.text).count();
        let found = planted
            .iter()
            .filter(|(copy, original)| {
                let (c, o) = (&records[*copy].article.id, &records[*original].article.id);
                findings
                    .iter()
                    .any(|f| f.from == *o && f.to == *c && f.signals.contains(&Signal::TextReuse))
            })
            .count();
        let leftovers = findings
            .iter()
            .filter(|f| f.signals.contains(&Signal::LeftoverNames))
            .count();
        let high: Vec<_> = findings
            .iter()
            .filter(|f| f.confidence == Confidence::High)
            .collect();
        let high_related = high.iter().filter(|f| related(f)).count();
        println!(
            "\n{size} articles ({:.1} M chars)\n  sketch (features + prints)    {}\n  candidate search              {}  ({} candidates, {} sharing text)\n  scoring                       {}  ({} findings, {} high; {} with leftover names)\n  candidate search + scoring    {}\n  planted copies found          {found} of {} (directed original → copy, text_reuse)\n  high-confidence findings      {high_related} of {} related by construction (planted copy, two copies of one original, or one sample article relocated twice)",
            chars as f64 / 1e6,
            ms(prepare),
            ms(search),
            candidates.len(),
            lsh,
            ms(score),
            findings.len(),
            high.len(),
            leftovers,
            ms(search + score),
            planted.len(),
            high.len(),
        );
        for f in high.iter().filter(|f| !related(f)).take(show) {
            println!(
                "    unrelated: {} → {} {:.3} {}",
                f.from,
                f.to,
                f.score,
                f.evidence.summary()
            );
        }
        times.push((prepare, search + score));
    }
    let ratio = |a: Duration, b: Duration| b.as_secs_f64() / a.as_secs_f64().max(1e-9);
    println!(
        "\nratio {}→{} articles: candidate search + scoring ×{:.1}; with prepare ×{:.1} (all-pairs would be ×100)",
        n,
        10 * n,
        ratio(times[0].1, times[1].1),
        ratio(times[0].0 + times[0].1, times[1].0 + times[1].1),
    );
}

fn ms(d: Duration) -> String {
    format!("{:>9.1} ms", d.as_secs_f64() * 1e3)
}

/// The samples cut into sentences, grouped by article, and their characters.
struct Pool {
    articles: Vec<Vec<String>>,
    sentences: Vec<String>,
    chars: Vec<char>,
}

fn sample_sentences(root: &Path) -> Pool {
    let sections = SectionNames::load(&root.join("dictionaries/sections.csv")).expect("sections");
    let (files, _) = ingest::discover(&[root.join("corpus/sample")]);
    let mut articles = Vec::new();
    for f in &files {
        let bulletin =
            ingest::read_file(&f.path, &f.source, &f.id_stem, &sections).expect("sample reads");
        for a in bulletin.articles {
            let s = sentences(&a.text);
            if !s.is_empty() {
                articles.push(s);
            }
        }
    }
    let sentences: Vec<String> = articles.iter().flatten().cloned().collect();
    let chars = sentences
        .iter()
        .flat_map(|s| s.chars())
        .filter(|c| c.is_alphabetic() && !c.is_ascii())
        .collect();
    Pool {
        articles,
        sentences,
        chars,
    }
}

fn sentences(text: &str) -> Vec<String> {
    text.split_inclusive(['。', '；', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().count() > 4)
        .map(str::to_string)
        .collect()
}

/// `size` articles and the planted copies as (copy, original) indices.
/// Also returns each article's base: the sample article it was made from.
fn generate(
    pool: &Pool,
    provinces: &[Province],
    size: usize,
    seed: u64,
) -> (Vec<ArticleRecord>, Vec<(usize, usize)>, Vec<usize>) {
    let mut rng = Rng::new(seed ^ size as u64);
    let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or_default();
    let mut records: Vec<ArticleRecord> = Vec::with_capacity(size);
    let mut homes: Vec<usize> = Vec::with_capacity(size);
    let mut planted = Vec::new();
    let mut bases = Vec::with_capacity(size);
    for i in 0..size {
        let home = rng.below(provinces.len());
        let p = &provinces[home];
        let b = rng.below(pool.articles.len());
        bases.push(b);
        let base = &pool.articles[b];
        let mut text = format!("{}近日召开专题会议，部署有关工作。", p.place.full);
        for s in base {
            let s = if rng.chance(30) {
                &pool.sentences[rng.below(pool.sentences.len())]
            } else {
                s
            };
            text.push_str(&relocate(&rewrite(s, pool, &mut rng), provinces, p));
        }
        // A passage of an earlier article of another province, names swapped
        // but the first one kept: the copy the detector must find.
        if i > 50 && rng.chance(PLANTED) {
            let j = i - 1 - rng.below(50.min(i));
            if homes[j] != home {
                let source = &records[j].article.text;
                let src = &provinces[homes[j]].place;
                let block: Vec<String> = sentences(source).into_iter().skip(1).take(4).collect();
                let block = block.concat();
                if block.chars().count() > 80 {
                    let copied = match block.find(&src.short) {
                        Some(at) => {
                            let keep = at + src.short.len();
                            format!(
                                "{}{}",
                                &block[..keep],
                                block[keep..]
                                    .replace(&src.full, &p.place.full)
                                    .replace(&src.short, &p.place.short)
                            )
                        }
                        None => block.clone(),
                    };
                    text.push('\n');
                    text.push_str(&copied);
                    planted.push((i, j));
                }
            }
        }
        let regions: Vec<EntityRef> = provinces
            .iter()
            .enumerate()
            .filter(|(k, q)| *k == home || text.contains(&q.place.short))
            .map(|(k, q)| EntityRef {
                id: code(provinces, k),
                name: q.place.full.clone(),
                mentions: vec![q.place.short.clone(), q.place.full.clone()],
                kind: Some("province".into()),
                ..EntityRef::default()
            })
            .collect();
        let date = start + chrono::Duration::days(i as i64 * 3000 / size.max(1) as i64);
        records.push(ArticleRecord {
            article: Article {
                id: format!("synth_{i:07}:01"),
                source: format!("synth_{i:07}.txt"),
                bulletin: BulletinMeta {
                    date: Some(date),
                    ..BulletinMeta::default()
                },
                section: None,
                title: format!("{}推进有关工作", p.place.short),
                text,
            },
            entities: Entities {
                province: Some(p.place.full.clone()),
                regions,
                ..Entities::default()
            },
        });
        homes.push(home);
    }
    (records, planted, bases)
}

/// The GB/T 2260 code of the k-th province, looked up from the name the
/// division table gives it (the bench only needs codes the detector's own
/// table resolves back to the same name).
fn code(provinces: &[Province], k: usize) -> String {
    const CODES: [(&str, &str); 31] = [
        ("北京市", "110000"),
        ("天津市", "120000"),
        ("河北省", "130000"),
        ("山西省", "140000"),
        ("内蒙古自治区", "150000"),
        ("辽宁省", "210000"),
        ("吉林省", "220000"),
        ("黑龙江省", "230000"),
        ("上海市", "310000"),
        ("江苏省", "320000"),
        ("浙江省", "330000"),
        ("安徽省", "340000"),
        ("福建省", "350000"),
        ("江西省", "360000"),
        ("山东省", "370000"),
        ("河南省", "410000"),
        ("湖北省", "420000"),
        ("湖南省", "430000"),
        ("广东省", "440000"),
        ("广西壮族自治区", "450000"),
        ("海南省", "460000"),
        ("重庆市", "500000"),
        ("四川省", "510000"),
        ("贵州省", "520000"),
        ("云南省", "530000"),
        ("西藏自治区", "540000"),
        ("陕西省", "610000"),
        ("甘肃省", "620000"),
        ("青海省", "630000"),
        ("宁夏回族自治区", "640000"),
        ("新疆维吾尔自治区", "650000"),
    ];
    let name = &provinces[k].place.full;
    CODES
        .iter()
        .find(|(n, _)| n == name)
        .map_or_else(|| name.clone(), |(_, c)| c.to_string())
}

/// Rewrite REWRITE% of the CJK characters with characters drawn from the
/// samples (so frequencies stay Chinese-like).
fn rewrite(s: &str, pool: &Pool, rng: &mut Rng) -> String {
    s.chars()
        .map(|c| {
            if !c.is_ascii() && c.is_alphabetic() && rng.chance(REWRITE) {
                pool.chars[rng.below(pool.chars.len())]
            } else {
                c
            }
        })
        .collect()
}

/// Every province name still intact moves to `to`.
fn relocate(s: &str, provinces: &[Province], to: &Province) -> String {
    let mut out = s.to_string();
    for p in provinces {
        if out.contains(&p.place.short) {
            out = out
                .replace(&p.place.full, &to.place.full)
                .replace(&p.place.short, &to.place.short);
        }
    }
    out
}
