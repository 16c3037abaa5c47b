//! Known section headings (`dictionaries/sections.csv`).
//!
//! Section headings are short and look like titles; most are recognised by
//! their shape and by the table of contents, but a bulletin without contents
//! needs the list. It is data: add a line to the CSV to teach a new one.

use std::path::Path;

use super::key;
use crate::extract::DictError;

/// The set of known section headings, compared by [`key`].
#[derive(Debug, Clone, Default)]
pub struct SectionNames {
    names: Vec<String>,
}

impl SectionNames {
    /// Load `sections.csv` (one column, header `name`).
    pub fn load(path: &Path) -> Result<SectionNames, DictError> {
        let shown = path.display().to_string();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .map_err(|e| DictError::Invalid { path: shown.clone(), line: 0, message: e.to_string() })?;
        let mut names = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| DictError::Invalid {
                path: shown.clone(),
                line: e.position().map_or(0, |p| p.line()),
                message: e.to_string(),
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != 1 {
                return Err(DictError::Invalid {
                    path: shown,
                    line,
                    message: format!("expected 1 column (name), found {}", record.len()),
                });
            }
            let name = key(&record[0]);
            if name.is_empty() {
                return Err(DictError::Invalid { path: shown, line, message: "empty name".into() });
            }
            names.push(name);
        }
        Ok(SectionNames { names })
    }

    pub fn from_names<I: IntoIterator<Item = S>, S: AsRef<str>>(names: I) -> SectionNames {
        SectionNames { names: names.into_iter().map(|n| key(n.as_ref())).collect() }
    }

    /// Is `heading_key` (already passed through [`key`]) a known heading?
    pub fn contains(&self, heading_key: &str) -> bool {
        self.names.iter().any(|n| n == heading_key)
    }
}
