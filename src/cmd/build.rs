//! `policygraph build [INPUT]... [-o DIR]`: bulletins in, graph and tables out.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use policygraph::pipeline::{self, Outcome, Resources};

use super::{bundled, EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL};

/// Build the policy-event graph from bulletin files.
///
/// Reads every INPUT (a file, or a directory walked recursively for *.txt;
/// default: the bundled sample corpus), splits each bulletin into articles,
/// extracts regions, agencies, programs, amounts and dates, and writes
/// articles.jsonl into the output directory. Files that cannot be read are
/// named on stderr with the reason and skipped; the rest still go through.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  policygraph build                      # the bundled sample corpus → output/\n  policygraph build bulletins/ -o graph/  # every *.txt under bulletins/")]
pub struct Args {
    /// Bulletin files or directories (walked for *.txt). Default: corpus/sample.
    #[arg(value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output directory (created if missing).
    #[arg(short, long, value_name = "DIR", default_value = "output")]
    output: PathBuf,
    /// Directory of dictionaries (CSV). Default: the bundled dictionaries/.
    #[arg(long, value_name = "DIR")]
    dictionaries: Option<PathBuf>,
    /// Worker threads for reading and extraction (0 = one per core). Output
    /// is byte-identical whatever the number.
    #[arg(short = 'j', long, value_name = "N", default_value_t = 0)]
    threads: usize,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let dictionaries = args.dictionaries.unwrap_or_else(|| bundled("dictionaries"));
    let resources = Resources::load(&dictionaries)
        .with_context(|| format!("cannot load dictionaries from {}", dictionaries.display()))?;
    check_writable(&args.output)?;
    let inputs = if args.inputs.is_empty() { vec![bundled("corpus/sample")] } else { args.inputs };

    let (files, skipped) = policygraph::ingest::discover(&inputs);
    let total = files.len() + skipped.len();
    let bar = progress_bar(files.len() as u64, args.quiet);
    let mut outcome = Outcome { skipped, ..Outcome::default() };
    pipeline::run_each(
        &files,
        &resources,
        args.threads,
        |file| {
            bar.set_message(file.source.clone());
            bar.inc(1);
        },
        |result| outcome.add(result),
    )?;
    bar.finish_and_clear();

    for w in &outcome.warnings {
        eprintln!("policygraph: warning: {}: {}", w.path.display(), w.reason);
    }
    for s in &outcome.skipped {
        eprintln!("policygraph: skipped {}: {}", s.path.display(), s.reason);
    }
    if outcome.files_read == 0 {
        eprintln!("policygraph: nothing could be read ({total} input(s)); no output written");
        return Ok(EXIT_FAILURE);
    }
    write_jsonl(&args.output, &outcome.records)?;
    if !args.quiet {
        eprintln!(
            "policygraph: read {} of {} file(s), {} article(s); skipped {}; wrote {}",
            outcome.files_read,
            total,
            outcome.records.len(),
            outcome.skipped.len(),
            args.output.display()
        );
    }
    Ok(if outcome.skipped.is_empty() { EXIT_OK } else { EXIT_PARTIAL })
}

/// Fail before any work if the output directory cannot be written.
fn check_writable(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
    let probe = dir.join(".policygraph-write-test");
    std::fs::write(&probe, b"").with_context(|| format!("cannot write to output directory {}", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

fn write_jsonl(dir: &std::path::Path, records: &[policygraph::record::ArticleRecord]) -> anyhow::Result<()> {
    let path = dir.join("articles.jsonl");
    let tmp = dir.join("articles.jsonl.tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    for r in records {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(())
}
