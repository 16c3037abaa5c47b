//! Generic vocabulary: words every province uses (人工智能, 区块链, 高质量发展,
//! 一体化) and the document-type words of titles (实施意见, 行动计划).
//!
//! Rarity across the corpus does most of the work of discounting common
//! words, but a template key is judged before any corpus is seen: what is
//! left of `区块链产业发展行动计划` once generic words are removed is nothing,
//! so two provinces' blockchain plans share a kind, not a policy; what is
//! left of `科技创新券试点方案` is `科技创新券`, a specific instrument.
//! `dictionaries/generic_terms.csv` (`term,category`) holds the list.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::extract::dictionary::csv_records;
use crate::extract::DictError;

#[derive(Clone, Debug, Default)]
pub struct GenericTerms {
    terms: Vec<String>,
    automaton: Option<AhoCorasick>,
}

impl GenericTerms {
    /// Load `generic_terms.csv`; a missing file is an empty list.
    pub fn load(path: &Path) -> Result<GenericTerms, DictError> {
        if !path.exists() {
            return Ok(GenericTerms::default());
        }
        let name = path.display().to_string();
        let rows = csv_records(
            path,
            csv::ReaderBuilder::new().comment(Some(b'#')).flexible(true),
        )?;
        let mut terms = Vec::new();
        for (line, row) in rows {
            let term = row.get(0).unwrap_or("").trim();
            if term.is_empty() {
                return Err(DictError::Invalid {
                    path: name,
                    line,
                    message: "empty term".into(),
                });
            }
            terms.push(term.to_string());
        }
        GenericTerms::new(terms).map_err(|message| DictError::Invalid {
            path: name,
            line: 0,
            message,
        })
    }

    pub fn new(terms: Vec<String>) -> Result<GenericTerms, String> {
        let automaton = if terms.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&terms)
                    .map_err(|e| format!("cannot compile the generic terms: {e}"))?,
            )
        };
        Ok(GenericTerms { terms, automaton })
    }

    /// Whether `word` is itself a generic term.
    pub fn contains(&self, word: &str) -> bool {
        self.terms.iter().any(|t| t == word)
    }

    /// What is specific in `key`: its letters once every generic term,
    /// digit and punctuation mark is removed (overlapping terms all count).
    pub fn specific_part(&self, key: &str) -> String {
        let mut covered = vec![false; key.len()];
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(key) {
                covered[m.start()..m.end()]
                    .iter_mut()
                    .for_each(|c| *c = true);
            }
        }
        key.char_indices()
            .filter(|(b, c)| {
                !covered[*b] && c.is_alphanumeric() && !c.is_numeric() && !"年版".contains(*c)
            })
            .map(|(_, c)| c)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> GenericTerms {
        GenericTerms::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/generic_terms.csv"),
        )
        .unwrap()
    }

    #[test]
    fn specific_part_of_template_keys() {
        let g = bundled();
        assert_eq!(g.specific_part("科技创新券试点方案"), "科技创新券");
        assert_eq!(g.specific_part("区块链产业发展行动计划"), "");
        assert_eq!(
            g.specific_part("关于加快推进新型智慧城市建设的指导意见"),
            "新型城市"
        );
        assert_eq!(
            g.specific_part("建筑节能设计专篇示范文本（2020版）"),
            "建筑节能设计专篇文本"
        );
        assert!(g.contains("人工智能"));
        assert!(!g.contains("科技创新券"));
    }

    #[test]
    fn missing_file_is_empty() {
        let g = GenericTerms::load(Path::new("/nonexistent/generic_terms.csv")).unwrap();
        assert_eq!(g.specific_part("人工智能"), "人工智能");
    }
}
