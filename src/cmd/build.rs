//! `policygraph build [INPUT]... [-o DIR]`: bulletins in, graph and tables out.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use policygraph::diffusion::texts::SpillWriter;
use policygraph::diffusion::{Corpus, Detector, Options};
use policygraph::export::{self, diffusion_csv, jsonl, Format, Staging};
use policygraph::graph::{CopyEdge, GraphBuilder};
use policygraph::pipeline::{self, FileResult, Outcome, Resources};

use super::{bundled, EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL};

/// Build the policy-event graph from bulletin files.
///
/// Reads every INPUT (a file, or a directory walked recursively for *.txt,
/// *.html, *.pdf, *.docx and *.ofd; default: the bundled sample corpus), splits each bulletin into articles,
/// extracts regions, agencies, programs, amounts and dates, builds the
/// policy-event graph and writes it into the output directory: graph.graphml
/// and graph.gexf (Gephi), nodes.csv and edges.csv (Gephi's spreadsheet
/// import), neo4j/ (neo4j-admin import and LOAD CSV) and articles.jsonl.
/// Outputs are replaced all together or not at all. Files that cannot be read are
/// named on stderr with the reason and skipped; the rest still go through.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  policygraph build                      # the bundled sample corpus → output/\n  policygraph build bulletins/ -o graph/  # every *.txt, *.html, *.pdf, *.docx under bulletins/"
)]
pub struct Args {
    /// Bulletin files or directories (walked for *.txt, *.html, *.htm, *.pdf,
    /// *.docx, *.ofd). Default: corpus/sample.
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
    /// Print the wall time of each stage to stderr.
    #[arg(long)]
    timings: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut timings = Timings::new(args.timings);
    let dictionaries = args.dictionaries.unwrap_or_else(|| bundled("dictionaries"));
    let resources = Resources::load(&dictionaries)
        .with_context(|| format!("cannot load dictionaries from {}", dictionaries.display()))?;
    let detector = Detector::load(&dictionaries, Options::default())
        .with_context(|| format!("cannot load dictionaries from {}", dictionaries.display()))?;
    timings.lap("load dictionaries, compile automata");
    check_writable(&args.output)?;
    let inputs = if args.inputs.is_empty() {
        vec![bundled("corpus/sample")]
    } else {
        args.inputs
    };

    let policygraph::ingest::Discovery {
        files,
        skipped,
        not_read,
    } = policygraph::ingest::discover_inputs(&inputs);
    let total = files.len() + skipped.len();
    let bar = progress_bar(files.len() as u64, args.quiet);

    // Records stream through: each is written to articles.jsonl (under a
    // temporary name) and added to the graph as it comes, in input order.
    let formats = &args.format.0;
    let want_jsonl = formats.contains(&Format::Jsonl);
    let mut staging = Staging::new(&args.output)?;
    let mut jsonl = want_jsonl.then(|| staging.open(jsonl::FILE)).transpose()?;
    // The graph is sorted on disk beside the outputs, in unlinked files.
    let mut graph = GraphBuilder::spilling_in(&args.output, SORT_BUDGET, |id: &str| {
        resources.extractor.region(id)
    });
    let mut outcome = Outcome {
        skipped,
        ..Outcome::default()
    };
    let mut articles = 0usize;
    // Copying detection looks across the whole corpus, but keeps only a
    // sketch of each article; the texts go to a spill file, read back at
    // the end for the few findings that quote them.
    let mut corpus = Corpus::new();
    let mut spill = SpillWriter::create_in(&args.output)
        .with_context(|| format!("cannot write to output directory {}", args.output.display()))?;
    let mut write_error: Option<anyhow::Error> = None;
    let mut in_order = Duration::ZERO;
    pipeline::run_each_with(
        &files,
        &resources,
        args.threads,
        |file| {
            bar.set_message(file.source.clone());
            bar.inc(1);
        },
        // On the worker threads: the sketch, and the JSON line.
        |record| {
            let mut line = Vec::new();
            if want_jsonl {
                // Writing to a Vec cannot fail.
                let _ = jsonl::write_record(record, &mut line);
            }
            (detector.sketch(record), line)
        },
        // In input order, on this thread: what must be in order.
        |mut result, made| {
            let t = Instant::now();
            if let FileResult::Read { records, .. } = &mut result {
                for (record, (sketch, line)) in records.drain(..).zip(made) {
                    if write_error.is_none() {
                        if let Some(out) = jsonl.as_mut() {
                            if let Err(e) = out.writer().write_all(&line) {
                                write_error = Some(out.error(e).into());
                            }
                        }
                        if let Err(e) = spill
                            .push(&record.article.text)
                            .and_then(|()| graph.add(&record))
                        {
                            write_error = Some(anyhow::Error::new(e).context(format!(
                                "cannot write a temporary file in {}",
                                args.output.display()
                            )));
                        }
                    }
                    corpus.push(sketch);
                    articles += 1;
                }
            }
            outcome.add(result);
            in_order += t.elapsed();
        },
    )?;
    bar.finish_and_clear();
    // The stages after streaming take minutes on a large corpus: say which
    // one is running (on a terminal, unless --quiet).
    let stage = stage_spinner(args.quiet);
    stage.set_message("copying detection: candidate pairs");
    timings.lap("read, extract, sketch; graph, jsonl (streamed)");
    timings.note(
        "  of which in input order (graph, jsonl, sketches)",
        in_order,
    );
    if let Some(e) = write_error {
        return Err(e);
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
    // Copying detection needs the memory more than the graph's sort buffer.
    graph
        .release()
        .with_context(|| format!("cannot write a temporary file in {}", args.output.display()))?;
    let texts = spill
        .finish()
        .with_context(|| format!("cannot write a temporary file in {}", args.output.display()))?;
    timings.lap("finish graph, jsonl");
    let candidates = detector.candidates(&corpus);
    let text_pairs = candidates.iter().filter(|c| c.text).count();
    timings.lap(&format!(
        "diffusion: {} candidate pairs, {text_pairs} sharing text",
        candidates.len()
    ));
    stage.set_message(format!(
        "copying detection: scoring {} candidate pairs",
        candidates.len()
    ));
    // Each finding becomes a COPIES statement as it is made: the findings
    // (their evidence is most of their size) are never all in memory.
    let mut graph_error: Option<std::io::Error> = None;
    let copies = detector
        .score_each(&corpus, &candidates, &texts, |f| {
            graph
                .add_copies(std::iter::once(CopyEdge::from(&f)))
                .map_err(|e| {
                    let kind = e.kind();
                    graph_error = Some(e);
                    std::io::Error::new(kind, "COPIES statement not written")
                })
        })
        .map_err(|e| match graph_error.take() {
            Some(g) if g.kind() == std::io::ErrorKind::InvalidInput => {
                anyhow::Error::new(g).context("a copying finding was rejected")
            }
            Some(g) => anyhow::Error::new(g).context(format!(
                "cannot write a temporary file in {}",
                args.output.display()
            )),
            None => anyhow::Error::new(e).context(format!(
                "cannot read back a temporary file in {}",
                args.output.display()
            )),
        })?;
    drop((texts, candidates));
    timings.lap("diffusion: scoring, evidence; graph: COPIES statements");
    if formats.contains(&Format::Csv) {
        diffusion_csv::stage(detector.adoptions(&corpus), &mut staging)?;
        timings.lap("export: diffusion.csv");
    }
    drop(corpus);
    let statements = graph.statements();
    stage.set_message(format!("sorting {statements} graph statements"));
    let graph = graph
        .finish()
        .with_context(|| format!("cannot sort the graph in {}", args.output.display()))?;
    timings.lap(&format!("graph: sort and merge {statements} statements"));
    stage.set_message("writing the graph formats");
    export::stage_ordered(&graph, &mut staging, formats, args.threads)?;
    timings.lap("export: graph formats");
    stage.finish_and_clear();
    staging.commit()?;
    timings.lap("commit (rename into place)");
    timings.print();
    if !args.quiet {
        if !not_read.is_empty() {
            eprintln!("{}", not_read_line(&not_read));
        }
        let others = if not_read.is_empty() {
            String::new()
        } else {
            format!("; {} other file(s) not read", not_read.len())
        };
        eprintln!(
            "policygraph: read {} of {} file(s), {} article(s), {} copying finding(s); skipped {}; wrote {}{others}",
            outcome.files_read,
            total,
            articles,
            copies,
            outcome.skipped.len(),
            args.output.display()
        );
    }
    Ok(if outcome.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

/// The files of walked folders in no format policygraph reads, named
/// (the first [`NOT_READ_NAMED`] of them) so that nothing is left out
/// without a word: `policygraph: not read (not a bulletin format): 2 file(s): a.png, b.xlsx`.
fn not_read_line(paths: &[PathBuf]) -> String {
    let mut names: Vec<String> = paths
        .iter()
        .take(NOT_READ_NAMED)
        .map(|p| p.display().to_string())
        .collect();
    if paths.len() > NOT_READ_NAMED {
        names.push(format!("and {} more", paths.len() - NOT_READ_NAMED));
    }
    format!(
        "policygraph: not read (not a format policygraph reads: .txt, .html, .pdf, .docx, .ofd): {} file(s): {}",
        paths.len(),
        names.join(", ")
    )
}

/// Files named one by one in the not-read line; the rest are counted.
const NOT_READ_NAMED: usize = 50;

/// Bytes of graph statements held in memory before a sorted run goes to
/// disk: large enough for few runs, small beside the rest of a build.
const SORT_BUDGET: usize = 64 << 20;

/// Wall time per stage, printed to stderr with `--timings`.
struct Timings {
    on: bool,
    start: Instant,
    last: Instant,
    rows: Vec<(String, Duration)>,
}

impl Timings {
    fn new(on: bool) -> Timings {
        let now = Instant::now();
        Timings {
            on,
            start: now,
            last: now,
            rows: Vec::new(),
        }
    }

    /// The stage that ends now.
    fn lap(&mut self, stage: &str) {
        let now = Instant::now();
        self.rows.push((stage.to_string(), now - self.last));
        self.last = now;
    }

    /// A part of the stage before, measured apart.
    fn note(&mut self, what: &str, time: Duration) {
        self.rows.push((what.to_string(), time));
    }

    fn print(&self) {
        if !self.on {
            return;
        }
        for (stage, time) in &self.rows {
            eprintln!(
                "policygraph: timing: {:>9.3} s  {stage}",
                time.as_secs_f64()
            );
        }
        eprintln!(
            "policygraph: timing: {:>9.3} s  total",
            self.start.elapsed().as_secs_f64()
        );
    }
}

/// Fail before any work if the output directory cannot be written.
fn check_writable(dir: &std::path::Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    let probe = dir.join(".policygraph-write-test");
    std::fs::write(&probe, b"")
        .with_context(|| format!("cannot write to output directory {}", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// A spinner naming the running stage; hidden like the progress bar.
fn stage_spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    // Cleared when dropped, also when an error ends the run early.
    let spinner = ProgressBar::new_spinner().with_finish(indicatif::ProgressFinish::AndClear);
    spinner.enable_steady_tick(Duration::from_millis(200));
    spinner
}

/// The formats `--format` names, each once.
#[derive(Debug, Clone)]
struct Formats(Vec<Format>);

fn parse_formats(spec: &str) -> Result<Formats, String> {
    Format::parse_list(spec)
        .map(Formats)
        .map_err(|e| e.to_string())
}
