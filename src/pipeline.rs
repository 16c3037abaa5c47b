//! The stages wired together, for every front end (the `build` and `eval`
//! commands, benchmarks, tests): files → bulletins → article records.
//!
//! Knows nothing of the command line; reports progress through a callback
//! and problems as values, so callers decide how to show them.

use std::path::{Path, PathBuf};

use crate::extract::{DictError, Extractor};
use crate::ingest::{self, InputFile, SectionNames, Skipped};
use crate::record::ArticleRecord;

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
        Ok(Resources { extractor, sections })
    }
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

/// Read, segment and extract every file, in order.
pub fn run(files: &[InputFile], resources: &Resources, mut progress: impl FnMut(&InputFile)) -> Outcome {
    let mut outcome = Outcome::default();
    for file in files {
        progress(file);
        match ingest::read_file(&file.path, &file.source, &file.id_stem, &resources.sections) {
            Ok(bulletin) => {
                outcome.files_read += 1;
                if let Some(warning) = bulletin.warning {
                    outcome.warnings.push(Skipped { path: file.path.clone(), reason: warning });
                }
                for article in bulletin.articles {
                    let entities = resources.extractor.extract(&article);
                    outcome.records.push(ArticleRecord { article, entities });
                }
            }
            Err(e) => outcome.skipped.push(Skipped { path: file.path.clone(), reason: e.to_string() }),
        }
    }
    outcome
}

/// Discover inputs and run, collecting discovery problems with the rest.
pub fn run_inputs(inputs: &[PathBuf], resources: &Resources, progress: impl FnMut(&InputFile)) -> (Outcome, usize) {
    let (files, skipped) = ingest::discover(inputs);
    let mut outcome = run(&files, resources, progress);
    let total = files.len() + skipped.len();
    let mut all = skipped;
    all.append(&mut outcome.skipped);
    outcome.skipped = all;
    (outcome, total)
}
