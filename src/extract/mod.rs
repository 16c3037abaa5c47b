//! Extract: dictionaries and patterns → mentions → resolved entities.
//!
//! One aho-corasick automaton, compiled from every dictionary under
//! `dictionaries/`, finds region, agency and program mentions in one pass;
//! regexes and a numeral parser handle the open classes (amounts, dates).
//! Extractors know nothing of the graph: they fill an [`Entities`] record.

pub mod amount;
pub mod date;
pub mod numeral;

use std::path::Path;

use crate::record::{Article, Entities, RegionInfo};

/// Errors found while loading dictionaries: always name the file and line.
#[derive(Debug, thiserror::Error)]
pub enum DictError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid { path: String, line: u64, message: String },
}

/// The compiled dictionaries and patterns; build once, share across threads.
pub struct Extractor {
    _private: (),
}

impl Extractor {
    /// Load and validate every dictionary under `dir` and compile the automaton.
    pub fn from_dir(_dir: &Path) -> Result<Extractor, DictError> {
        Ok(Extractor { _private: () })
    }

    /// Extract every entity of one article (title and body).
    pub fn extract(&self, article: &Article) -> Entities {
        let mut entities = Entities::default();
        entities.amounts = amount::find_amounts(&article.title, crate::record::Field::Title);
        entities
            .amounts
            .extend(amount::find_amounts(&article.text, crate::record::Field::Text));
        entities.date = date::event_date(&article.title, &article.text, article.bulletin.date);
        entities
    }

    /// What the gazetteer knows of a region id (for `WITHIN` edges).
    pub fn region(&self, _id: &str) -> Option<RegionInfo> {
        None
    }
}
