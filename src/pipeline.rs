//! The stages wired together, for every front end (the `build` and `eval`
//! commands, benchmarks, tests): files → bulletins → article records.
//!
//! Files are read, segmented and extracted in parallel (rayon), in batches,
//! and handed to the caller in input order, so output does not depend on the
//! number of threads and memory holds one batch of bulletin text at a time.
//! Knows nothing of the command line: progress goes through a callback and
//! problems come back as values.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::extract::{DictError, Extractor};
use crate::ingest::{self, InputFile, SectionNames, Skipped};
use crate::record::ArticleRecord;

/// Files processed in parallel before their results are handed on.
const BATCH: usize = 256;

/// The compiled dictionaries every stage needs.
pub struct Resources {
    pub extractor: Extractor,
    pub sections: SectionNames,
}

impl Resources {
    /// Load every dictionary under `dir`; the first malformed line is an error.
    pub fn load(dir: &Path) -> Result<Resources, DictError> {
        let sections = SectionNames::load(&dir.join("sections.csv"))?;
        let extractor = Extractor::from_dir(dir)?;
        Ok(Resources {
            extractor,
            sections,
        })
    }
}

/// What became of one input file.
#[derive(Debug)]
pub enum FileResult {
    /// Read; its article records, and a warning worth telling if any.
    Read {
        file: InputFile,
        records: Vec<ArticleRecord>,
        warning: Option<String>,
    },
    /// Not usable, with the reason in plain words.
    Skipped(Skipped),
}

/// What a run produced and what it could not use.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Article records in input order.
    pub records: Vec<ArticleRecord>,
    /// Files read (with or without warnings).
    pub files_read: usize,
    /// Inputs that could not be used, with the reason.
    pub skipped: Vec<Skipped>,
    /// Files read despite a problem worth telling (e.g. repaired bytes).
    pub warnings: Vec<Skipped>,
}

impl Outcome {
    /// Fold one file's result in.
    pub fn add(&mut self, result: FileResult) {
        match result {
            FileResult::Read {
                file,
                mut records,
                warning,
            } => {
                self.files_read += 1;
                if let Some(reason) = warning {
                    self.warnings.push(Skipped {
                        path: file.path,
                        reason,
                    });
                }
                self.records.append(&mut records);
            }
            FileResult::Skipped(s) => self.skipped.push(s),
        }
    }
}

/// Read, segment and extract one file.
pub fn process(file: &InputFile, resources: &Resources) -> FileResult {
    match ingest::read_file(&file.path, &file.source, &file.id_stem, &resources.sections) {
        Ok(bulletin) => {
            let records = bulletin
                .articles
                .into_iter()
                .map(|article| {
                    let entities = resources.extractor.extract(&article);
                    ArticleRecord { article, entities }
                })
                .collect();
            FileResult::Read {
                file: file.clone(),
                records,
                warning: bulletin.warning,
            }
        }
        Err(e) => FileResult::Skipped(Skipped {
            path: file.path.clone(),
            reason: e.to_string(),
        }),
    }
}

/// Process `files` on `threads` threads (0 = all cores), calling `progress`
/// as each file starts and `sink` with each result in input order.
pub fn run_each(
    files: &[InputFile],
    resources: &Resources,
    threads: usize,
    progress: impl Fn(&InputFile) + Sync,
    mut sink: impl FnMut(FileResult),
) -> Result<(), rayon::ThreadPoolBuildError> {
    run_each_with(
        files,
        resources,
        threads,
        progress,
        |_| (),
        |result, _| sink(result),
    )
}

/// [`run_each`], with more work per record done on the worker threads:
/// `per_record` runs in parallel beside extraction, and `sink` gets each
/// file's result with what it made of each record, in record order.
///
/// With more than one thread, `sink` runs on the calling thread while the
/// workers go on with the next batch of files (at most one batch waits), so
/// the work that must be done in order overlaps with the work that need
/// not. With one thread, nothing overlaps: one core does everything.
pub fn run_each_with<T: Send>(
    files: &[InputFile],
    resources: &Resources,
    threads: usize,
    progress: impl Fn(&InputFile) + Sync,
    per_record: impl Fn(&ArticleRecord) -> T + Sync,
    mut sink: impl FnMut(FileResult, Vec<T>),
) -> Result<(), rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let batch = |batch: &[InputFile]| -> Vec<(FileResult, Vec<T>)> {
        pool.install(|| {
            batch
                .par_iter()
                .map(|file| {
                    progress(file);
                    let result = process(file, resources);
                    let made = match &result {
                        FileResult::Read { records, .. } => {
                            records.iter().map(&per_record).collect()
                        }
                        FileResult::Skipped(_) => Vec::new(),
                    };
                    (result, made)
                })
                .collect()
        })
    };
    if pool.current_num_threads() <= 1 {
        for chunk in files.chunks(BATCH) {
            for (result, made) in batch(chunk) {
                sink(result, made);
            }
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for chunk in files.chunks(BATCH) {
                // The receiver gone means the sink stopped: stop too.
                if tx.send(batch(chunk)).is_err() {
                    break;
                }
            }
        });
        for results in rx {
            for (result, made) in results {
                sink(result, made);
            }
        }
    });
    Ok(())
}

/// Read, segment and extract every file, in order, on one thread.
pub fn run(
    files: &[InputFile],
    resources: &Resources,
    mut progress: impl FnMut(&InputFile),
) -> Outcome {
    let mut outcome = Outcome::default();
    for file in files {
        progress(file);
        outcome.add(process(file, resources));
    }
    outcome
}

/// Discover inputs and run, collecting discovery problems with the rest.
/// Returns the outcome and the number of inputs considered.
pub fn run_inputs(
    inputs: &[PathBuf],
    resources: &Resources,
    progress: impl FnMut(&InputFile),
) -> (Outcome, usize) {
    let (files, skipped) = ingest::discover(inputs);
    let mut outcome = run(&files, resources, progress);
    let total = files.len() + skipped.len();
    let mut all = skipped;
    all.append(&mut outcome.skipped);
    outcome.skipped = all;
    (outcome, total)
}
