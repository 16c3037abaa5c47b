//! `policygraph synth --size SIZE -o DIR`: a synthetic corpus for benchmarks.

use std::path::PathBuf;

use anyhow::Context;

use policygraph::ingest::{self, SectionNames};
use policygraph::synth;

use super::{bundled, EXIT_OK};

/// Generate a synthetic corpus of about SIZE bytes for benchmarks.
///
/// Weekly bulletins (header, contents, sections; one file in ten GBK, one
/// in ten with CRLF line ends) of two kinds of article, so that the graph
/// and the copying detector grow as on real data, not on duplicates:
///
/// About 90% are novel: written clause by clause from sample clauses drawn
/// across all sample articles, each with its places moved to the article's
/// province and cities (agencies follow), numbers and dates changed, policy
/// words swapped for synonyms, adverbs added, and every 《document》 and
/// “initiative” given a fresh name. Two novel articles share no passage
/// the copying detector counts, except by rare chance.
///
/// About 10% are adoptions: an earlier article of another province
/// re-issued one to 26 weeks later in a new province, names moved, text
/// kept, a third with a leftover name of the original place; at most three
/// copies of one original. DIR/ADOPTIONS.csv lists them (original and copy
/// article ids as `policygraph build DIR` numbers them).
///
/// The same size and seed always give the same files. Never commit the output.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  policygraph synth --size 100M -o /tmp/corpus-100M\n  policygraph build /tmp/corpus-100M -o /tmp/out-100M"
)]
pub struct Args {
    /// Approximate total size: a number with an optional K, M or G suffix.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    size: u64,
    /// Output directory (created; must be empty or missing).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 2020)]
    seed: u64,
    /// Sample bulletins to recombine. Default: the bundled corpus/sample.
    #[arg(long, value_name = "DIR")]
    samples: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    if args.output.read_dir().is_ok_and(|mut d| d.next().is_some()) {
        anyhow::bail!(
            "{} is not empty; synth writes only into a new or empty directory",
            args.output.display()
        );
    }
    let dictionaries = bundled("dictionaries");
    let sections = SectionNames::load(&dictionaries.join("sections.csv"))?;
    let provinces = synth::load_provinces(&dictionaries.join("divisions")).with_context(|| {
        format!(
            "cannot read division tables under {}",
            dictionaries.display()
        )
    })?;
    let samples = args.samples.unwrap_or_else(|| bundled("corpus/sample"));
    let (files, skipped) = ingest::discover(&[samples.clone()]);
    if let Some(s) = skipped.first() {
        anyhow::bail!("{}: {}", s.path.display(), s.reason);
    }
    let mut pool = Vec::new();
    for file in &files {
        let bulletin = ingest::read_file(&file.path, &file.source, &file.id_stem, &sections)
            .with_context(|| format!("cannot read sample {}", file.path.display()))?;
        pool.extend(bulletin.articles);
    }
    std::fs::create_dir_all(&args.output)?;
    let stats = synth::generate(&pool, &provinces, args.size, args.seed, &args.output)?;
    eprintln!(
        "policygraph: wrote {} bulletins, {} articles ({} adoptions, listed in ADOPTIONS.csv), {} bytes into {}",
        stats.files,
        stats.articles,
        stats.adoptions,
        stats.bytes,
        args.output.display()
    );
    Ok(EXIT_OK)
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let factor = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("unknown unit in {s:?}: use K, M or G")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("size too large: {s:?}"))
}
