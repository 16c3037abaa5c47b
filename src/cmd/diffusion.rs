//! `policygraph diffusion [INPUT]... [--top N] [--min-confidence LEVEL]
//! [--json] [--csv FILE] [--gold FILE]`: the top cross-province copying
//! findings of a corpus, with their evidence.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use policygraph::diffusion::{gold, Confidence, Detector, Finding, Options, Order};
use policygraph::export::diffusion_csv;
use policygraph::pipeline::{self, FileResult, Outcome, Resources};
use policygraph::record::ArticleRecord;

use super::{bundled, EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL};

/// Find policies one province (or city) took up from another.
///
/// Reads every INPUT: bulletin files or directories (walked for *.txt),
/// which go through the whole pipeline, or articles.jsonl files written by
/// `policygraph build`, read as they are. Default: the bundled sample corpus.
/// Pairs of articles of different places are found by a shared program
/// template, a shared institution or instrument type (listed in
/// dictionaries/instruments.csv), reused text (sampled fingerprints of character
/// shingles, then alignment) and leftover names of the other place in a
/// reused passage; terms every article uses weigh little. Each article keeps
/// its five strongest earlier sources. Each finding points from
/// the earlier article to the later one and prints its score, confidence
/// (high, medium, low), lag and evidence.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  policygraph diffusion                                # the bundled sample corpus\n  policygraph diffusion output/articles.jsonl --top 50\n  policygraph diffusion bulletins/ --min-confidence medium --csv diffusion.csv\n  policygraph diffusion --gold corpus/gold/diffusion_pairs.csv"
)]
pub struct Args {
    /// Bulletin files or directories (walked for *.txt), or articles.jsonl
    /// files. Default: corpus/sample.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// How many findings to print (0 = all).
    #[arg(short = 'n', long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Print only findings at this confidence or above: low, medium, high.
    #[arg(long, value_name = "LEVEL", default_value = "low", value_parser = parse_confidence)]
    min_confidence: Confidence,
    /// Print findings as JSON Lines (one object per finding) instead of text.
    #[arg(long)]
    json: bool,
    /// Also write the diffusion table (instrument, adopters in date order,
    /// first adopter, lags) to FILE.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Judge the findings against annotated pairs (CSV as in
    /// corpus/gold/diffusion_pairs.csv): share of strong pairs found, share of
    /// high-confidence findings that are real.
    #[arg(long, value_name = "FILE")]
    gold: Option<PathBuf>,
    /// Directory of dictionaries. Default: the bundled dictionaries/.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Worker threads for reading and extraction (0 = one per core).
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Print nothing on stderr but errors.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let dictionaries = args
        .dictionaries
        .clone()
        .unwrap_or_else(|| bundled("dictionaries"));
    let detector = Detector::load(&dictionaries, Options::default()).with_context(|| {
        format!(
            "cannot load the diffusion dictionaries from {}",
            dictionaries.display()
        )
    })?;
    let gold_pairs = match &args.gold {
        Some(path) => Some(gold::load(path).context("cannot load the gold pairs")?),
        None => None,
    };
    let inputs = if args.inputs.is_empty() {
        vec![bundled("corpus/sample")]
    } else {
        args.inputs.clone()
    };
    let (jsonl, bulletins): (Vec<PathBuf>, Vec<PathBuf>) = inputs
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e == "jsonl"));

    let mut outcome = Outcome::default();
    let mut total = 0usize;
    for path in &jsonl {
        total += 1;
        match load_records(path) {
            Ok(mut records) => {
                outcome.files_read += 1;
                outcome.records.append(&mut records);
            }
            Err(e) => outcome.skipped.push(policygraph::ingest::Skipped {
                path: path.clone(),
                reason: format!("{e:#}"),
            }),
        }
    }
    if !bulletins.is_empty() {
        let resources = Resources::load(&dictionaries)
            .with_context(|| format!("cannot load dictionaries from {}", dictionaries.display()))?;
        let (files, skipped) = policygraph::ingest::discover(&bulletins);
        total += files.len() + skipped.len();
        outcome.skipped.extend(skipped);
        pipeline::run_each(
            &files,
            &resources,
            args.threads,
            |_| {},
            |r: FileResult| outcome.add(r),
        )?;
    }
    for w in &outcome.warnings {
        eprintln!("policygraph: warning: {}: {}", w.path.display(), w.reason);
    }
    for s in &outcome.skipped {
        eprintln!("policygraph: skipped {}: {}", s.path.display(), s.reason);
    }
    if outcome.files_read == 0 {
        eprintln!("policygraph: nothing could be read ({total} input(s))");
        return Ok(EXIT_FAILURE);
    }

    let records = outcome.records;
    let corpus = detector.corpus(&records);
    let candidates = detector.candidates(&corpus);
    let findings = detector
        .score(&corpus, &candidates, &records[..])
        .context("cannot read the article texts")?;
    if let Some(path) = &args.csv {
        diffusion_csv::write_file(detector.adoptions(&corpus), path)?;
    }

    let shown: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.confidence >= args.min_confidence)
        .take(if args.top == 0 { usize::MAX } else { args.top })
        .collect();
    let titles: BTreeMap<&str, &ArticleRecord> =
        records.iter().map(|r| (r.article.id.as_str(), r)).collect();
    let mut out = std::io::stdout().lock();
    let mut text = String::new();
    if args.json {
        for f in &shown {
            text.push_str(&serde_json::to_string(f)?);
            text.push('\n');
        }
    } else {
        for (i, f) in shown.iter().enumerate() {
            text.push_str(&describe(i + 1, f, &titles));
        }
    }
    if let Some(pairs) = &gold_pairs {
        let ev = gold::evaluate(pairs, &records, &findings);
        text.push_str(&format!(
            "\ngold {}: strong pairs found {}/{} ({:.0}%), weak {}/{}, negatives found {}, high-confidence findings real {}/{} ({:.0}%)\n",
            args.gold.as_deref().map(Path::display).map(|d| d.to_string()).unwrap_or_default(),
            ev.strong_found,
            ev.strong,
            100.0 * ev.recall(),
            ev.weak_found,
            ev.weak,
            ev.negatives_found.len(),
            ev.high_real,
            ev.high,
            100.0 * ev.high_precision(),
        ));
        for g in &ev.missed {
            text.push_str(&format!(
                "  missed (line {}): {} × {} [{}]\n",
                g.line, g.title_a, g.title_b, g.shared
            ));
        }
        for (g, c) in &ev.negatives_found {
            text.push_str(&format!(
                "  negative found, {c} (line {}): {} × {}\n",
                g.line, g.title_a, g.title_b
            ));
        }
        for f in &ev.high_unreal {
            text.push_str(&format!(
                "  high, not annotated as real: {} → {}\n",
                f.from, f.to
            ));
        }
        for g in &ev.unmatched {
            text.push_str(&format!(
                "  not in the corpus (line {}): {} × {}\n",
                g.line, g.title_a, g.title_b
            ));
        }
    }
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        r => r.context("cannot write the findings")?,
    }
    if !args.quiet {
        let count = |c: Confidence| findings.iter().filter(|f| f.confidence == c).count();
        eprintln!(
            "policygraph: {} article(s) from {} of {} input(s); {} finding(s): {} high, {} medium, {} low{}",
            records.len(),
            outcome.files_read,
            total,
            findings.len(),
            count(Confidence::High),
            count(Confidence::Medium),
            count(Confidence::Low),
            args.csv.as_deref().map(|p| format!("; wrote {}", p.display())).unwrap_or_default(),
        );
    }
    Ok(if outcome.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// One finding as a few lines of text.
fn describe(rank: usize, f: &Finding, records: &BTreeMap<&str, &ArticleRecord>) -> String {
    let lag = match (f.lag_days, f.order) {
        (Some(0), _) => "same day".to_string(),
        (Some(d), _) => format!("{d} days later"),
        (None, Order::LeftoverNames) => "undated; direction from leftover names".to_string(),
        (None, _) => "undated".to_string(),
    };
    let tie = if f.order == Order::Tie {
        "; order by id (tie)"
    } else {
        ""
    };
    let signals: Vec<&str> = f.signals.iter().map(|s| s.as_str()).collect();
    let line = |id: &str, date: Option<chrono::NaiveDate>| {
        let title = records.get(id).map_or("", |r| r.article.title.as_str());
        let date = date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into());
        format!("{id}  {date}  {title}")
    };
    let mut s = format!(
        "{rank}. {:.3} {}  {} → {}, {lag}{tie}  [{}]\n   from {}\n   to   {}\n",
        f.score,
        f.confidence,
        f.from_place,
        f.to_place,
        signals.join(", "),
        line(&f.from, f.from_date),
        line(&f.to, f.to_date),
    );
    for t in &f.evidence.terms {
        s.push_str(&format!(
            "   {} {}: {} / {} (named in {} article(s), weight {:.2})\n",
            t.signal.as_str(),
            t.key,
            t.from_surface,
            t.to_surface,
            t.adopters,
            t.weight
        ));
    }
    if let Some(p) = &f.evidence.passage {
        s.push_str(&format!(
            "   shared text: {} of {} characters; longest passage “{}”\n",
            p.shared_chars, p.total_chars, p.text
        ));
    }
    if !f.evidence.leftover_names.is_empty() {
        s.push_str(&format!(
            "   leftover names of {}: {}\n",
            f.from_place,
            f.evidence.leftover_names.join("、")
        ));
    }
    s
}

/// Article records from an articles.jsonl file, one per line.
fn load_records(path: &Path) -> anyhow::Result<Vec<ArticleRecord>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut records = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not an article record", path.display(), i + 1))?;
        records.push(record);
    }
    Ok(records)
}

fn parse_confidence(s: &str) -> Result<Confidence, String> {
    Confidence::parse(s).ok_or_else(|| format!("{s:?} is not low, medium or high"))
}
