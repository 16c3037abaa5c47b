//! Known section headings (`dictionaries/sections.csv`).
//!
//! Section headings are short and look like titles; most are recognised by
//! their shape and by the table of contents, but a bulletin without contents
//! needs the list. It is data: add a line to the CSV to teach a new one.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::key;
use crate::extract::DictError;

/// The set of known section headings, compared by [`key`].
#[derive(Debug, Clone, Default)]
pub struct SectionNames {
    names: HashSet<String>,
    /// Characters in the longest name.
    longest: usize,
}

impl SectionNames {
    /// Load `sections.csv` (one column, header `name`).
    pub fn load(path: &Path) -> Result<SectionNames, DictError> {
        let shown = path.display().to_string();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .map_err(|e| DictError::Invalid {
                path: shown.clone(),
                line: 0,
                message: e.to_string(),
            })?;
        // Each name and the line it is on, to report a repeat.
        let mut names: HashMap<String, u64> = HashMap::new();
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
                return Err(DictError::Invalid {
                    path: shown,
                    line,
                    message: "empty name".into(),
                });
            }
            if let Some(first) = names.get(&name) {
                return Err(DictError::Invalid {
                    path: shown,
                    line,
                    message: format!("duplicate name {name} (first on line {first})"),
                });
            }
            names.insert(name, line);
        }
        Ok(SectionNames::from_keys(names.into_keys().collect()))
    }

    pub fn from_names<I: IntoIterator<Item = S>, S: AsRef<str>>(names: I) -> SectionNames {
        SectionNames::from_keys(names.into_iter().map(|n| key(n.as_ref())).collect())
    }

    fn from_keys(names: HashSet<String>) -> SectionNames {
        let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        SectionNames { names, longest }
    }

    /// Is `heading_key` (already passed through [`key`]) a known heading?
    pub fn contains(&self, heading_key: &str) -> bool {
        self.names.contains(heading_key)
    }

    /// Characters in the longest known heading.
    pub fn longest(&self) -> usize {
        self.longest
    }
}
