//! `policygraph eval --gold FILE [--pred FILE] [--per-article]`: score
//! extracted entities against a hand-annotated gold file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use policygraph::eval;

use super::EXIT_OK;

/// Score extracted entities against a gold file.
///
/// Both files are JSON Lines in the shape of articles.jsonl. Articles are
/// paired by source file name and title (whitespace removed); regions,
/// agencies, programs and amounts are scored with precision, recall and F1,
/// the event date, province and section with accuracy. Gold items marked
/// "optional": true count neither as hits nor as misses. The matching rules
/// and the gold format are described in corpus/gold/README.md.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  policygraph build && policygraph eval --gold corpus/gold/sample.gold.jsonl\n  policygraph eval --gold my.gold.jsonl --pred out/articles.jsonl --per-article"
)]
pub struct Args {
    /// The gold file (JSON Lines, one annotated article per line); repeat
    /// the option to score against several gold files at once.
    #[arg(long, value_name = "FILE", required = true)]
    gold: Vec<PathBuf>,
    /// The predictions: articles.jsonl as written by `policygraph build`.
    #[arg(long, value_name = "FILE", default_value = "output/articles.jsonl")]
    pred: PathBuf,
    /// Also list, article by article, what was missed and what was found
    /// wrongly (articles with nothing wrong are left out).
    #[arg(long)]
    per_article: bool,
}

pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut gold = Vec::new();
    for path in &args.gold {
        gold.extend(eval::load_jsonl(path).context("cannot load the gold file")?);
    }
    let pred = eval::load_jsonl(&args.pred)
        .context("cannot load the predictions (run `policygraph build` first, or pass --pred)")?;
    let report = eval::evaluate(&gold, &pred);
    let mut out = std::io::stdout().lock();
    let written = if args.per_article {
        write!(out, "{}", report.details())
    } else {
        Ok(())
    }
    .and_then(|()| write!(out, "{report}"))
    .and_then(|()| out.flush());
    match written {
        // The reader (`| head`, a closed pager) has seen enough.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        result => result.map(|()| EXIT_OK).context("cannot write the report"),
    }
}
