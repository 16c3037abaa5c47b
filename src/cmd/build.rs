//! `policygraph build [INPUT]... [-o DIR]`: bulletins in, graph and tables out.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use policygraph::diffusion::{Detector, Options};
use policygraph::export::{self, diffusion_csv, jsonl, Format, Staging};
use policygraph::graph::{CopyEdge, GraphBuilder};
use policygraph::pipeline::{self, FileResult, Outcome, Resources};
use policygraph::record::ArticleRecord;

use super::{bundled, EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL};

/// Build the policy-event graph from bulletin files.
///
/// Reads every INPUT (a file, or a directory walked recursively for *.txt;
/// default: the bundled sample corpus), splits each bulletin into articles,
/// extracts regions, agencies, programs, amounts and dates, builds the
/// policy-event graph and writes it into the output directory: graph.graphml
/// and graph.gexf (Gephi), nodes.csv and edges.csv (Gephi's spreadsheet
/// import), neo4j/ (neo4j-admin import and LOAD CSV) and articles.jsonl.
/// Outputs are replaced all together or not at all. Files that cannot be read are
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
    /// Formats to write, comma-separated: graphml, gexf, csv, neo4j, jsonl,
    /// or all.
    #[arg(short, long, value_name = "LIST", default_value = "all", value_parser = parse_formats)]
    format: Formats,
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
    let detector = Detector::load(&dictionaries, Options::default())
        .with_context(|| format!("cannot load dictionaries from {}", dictionaries.display()))?;
    check_writable(&args.output)?;
    let inputs = if args.inputs.is_empty() { vec![bundled("corpus/sample")] } else { args.inputs };

    let (files, skipped) = policygraph::ingest::discover(&inputs);
    let total = files.len() + skipped.len();
    let bar = progress_bar(files.len() as u64, args.quiet);

    // Records stream through: each is written to articles.jsonl (under a
    // temporary name) and added to the graph as it comes, in input order.
    let formats = &args.format.0;
    let mut staging = Staging::new(&args.output)?;
    let mut jsonl = formats.contains(&Format::Jsonl).then(|| staging.open(jsonl::FILE)).transpose()?;
    let mut graph = GraphBuilder::new(|id: &str| resources.extractor.region(id));
    let mut outcome = Outcome { skipped, ..Outcome::default() };
    let mut articles = 0usize;
    // Copying detection looks across the whole corpus, so the records (with
    // their text) are kept for it: memory grows with the corpus until the
    // detector works from per-article features alone.
    let mut kept: Vec<ArticleRecord> = Vec::new();
    let mut write_error = None;
    pipeline::run_each(
        &files,
        &resources,
        args.threads,
        |file| {
            bar.set_message(file.source.clone());
            bar.inc(1);
        },
        |mut result| {
            if let FileResult::Read { records, .. } = &mut result {
                for record in records.drain(..) {
                    if let (Some(out), None) = (jsonl.as_mut(), &write_error) {
                        if let Err(e) = jsonl::write_record(&record, out.writer()) {
                            write_error = Some(out.error(e));
                        }
                    }
                    graph.add(&record);
                    articles += 1;
                    kept.push(record);
                }
            }
            outcome.add(result);
        },
    )?;
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e.into());
    }

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
    if let Some(out) = jsonl {
        out.finish()?;
    }
    let mut graph = graph.finish();
    let prepared = detector.prepare(&kept);
    let candidates = detector.candidates(&prepared);
    let findings = detector.score(&kept, &prepared, &candidates);
    let copies = findings.len();
    graph.add_copies(findings.iter().map(CopyEdge::from))?;
    if formats.contains(&Format::Csv) {
        diffusion_csv::stage(&detector.adoptions(&kept, &prepared), &mut staging)?;
    }
    export::stage_graph(&graph, &mut staging, formats)?;
    staging.commit()?;
    if !args.quiet {
        eprintln!(
            "policygraph: read {} of {} file(s), {} article(s), {} copying finding(s); skipped {}; wrote {}",
            outcome.files_read,
            total,
            articles,
            copies,
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

/// The formats `--format` names, each once.
#[derive(Debug, Clone)]
struct Formats(Vec<Format>);

fn parse_formats(spec: &str) -> Result<Formats, String> {
    Format::parse_list(spec).map(Formats).map_err(|e| e.to_string())
}
