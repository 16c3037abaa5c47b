//! The word lists the generator varies text with: `corpus/synth/vocab.csv`
//! (synonyms, verbs and adverbs, parts of fresh program names), and the names
//! it must leave alone, taken from the extractor's own dictionaries
//! (instruments, known initiatives, agency stems and national bodies).
//!
//! All are compiled in (`include_str!`): the generator's output must depend on
//! the seed and size only, not on which dictionary directory a run points at.

use std::collections::HashSet;
use std::io;

const VOCAB: &str = include_str!("../../corpus/synth/vocab.csv");
const INSTRUMENTS: &str = include_str!("../../dictionaries/instruments.csv");
const INITIATIVES: &str = include_str!("../../dictionaries/programs/initiatives.csv");
const STEMS: &str = include_str!("../../dictionaries/agencies/stems.csv");
const NATIONAL: &str = include_str!("../../dictionaries/agencies/national.csv");

/// The parsed word lists.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    /// Groups of interchangeable words.
    pub synonyms: Vec<Vec<String>>,
    /// Words an adverb may be put before.
    pub verbs: Vec<String>,
    pub adverbs: Vec<String>,
    pub doc_leads: Vec<String>,
    pub doc_topics: Vec<String>,
    pub doc_aspects: Vec<String>,
    pub doc_types: Vec<String>,
    pub name_parts: Vec<String>,
    pub name_tails: Vec<String>,
    /// Type words a renamed instrument keeps (…中心, …券).
    pub instrument_endings: Vec<String>,
    /// Verbs of generated titles (成立, 启动 …).
    pub title_verbs: Vec<String>,
    /// Last words of institution names (`instruments.csv` kind `name`): a
    /// title naming one is written anew, not repeated.
    pub name_endings: Vec<String>,
    /// Real instrument names (the surface forms of `instruments.csv`, kind
    /// `name` excepted): kept as written, and swapped for one another.
    pub instruments: Vec<String>,
    /// Names never to be changed inside: known initiatives, agency stems,
    /// national bodies.
    pub protected: Vec<String>,
}

impl Vocab {
    /// The compiled-in lists.
    pub fn bundled() -> io::Result<Vocab> {
        let mut v = Vocab::parse(VOCAB)?;
        for (_, row) in rows(INSTRUMENTS, "dictionaries/instruments.csv")? {
            if row.get(2).is_some_and(|k| k == "name") {
                v.name_endings.extend(
                    row.get(4)
                        .into_iter()
                        .flat_map(|p| p.split('|'))
                        .map(String::from),
                );
            } else if row.get(2).is_some() {
                if let Some(patterns) = row.get(4) {
                    v.instruments.extend(
                        patterns
                            .split('|')
                            .filter(|p| p.chars().count() >= 3 && !p.contains('“'))
                            .map(String::from),
                    );
                }
            }
        }
        // A part of a fresh name must not bring a real instrument with it.
        let instruments = v.instruments.clone();
        for list in [&mut v.doc_topics, &mut v.doc_aspects, &mut v.name_parts] {
            list.retain(|w| {
                !instruments.iter().any(|i| {
                    w.contains(i.as_str()) || i.contains(w.as_str()) && w.chars().count() >= 4
                })
            });
        }
        for (_, row) in rows(INITIATIVES, "dictionaries/programs/initiatives.csv")? {
            v.protected.extend(
                row.iter()
                    .take(2)
                    .flat_map(|f| f.split('|'))
                    .filter(|w| !w.is_empty())
                    .map(String::from),
            );
        }
        for (_, row) in rows(STEMS, "dictionaries/agencies/stems.csv")? {
            v.protected.extend(
                row.first()
                    .filter(|s| s.chars().count() >= 2 && !s.contains('{'))
                    .cloned(),
            );
        }
        for (_, row) in rows(NATIONAL, "dictionaries/agencies/national.csv")? {
            v.protected.extend(
                row.iter()
                    .take(2)
                    .flat_map(|f| f.split('|'))
                    .filter(|w| !w.is_empty())
                    .map(String::from),
            );
        }
        Ok(v)
    }

    /// Parse a `vocab.csv` text (`kind,words,note`).
    pub fn parse(text: &str) -> io::Result<Vocab> {
        const FILE: &str = "corpus/synth/vocab.csv";
        let mut v = Vocab::default();
        let mut seen = HashSet::new();
        for (line, row) in rows(text, FILE)? {
            let words: Vec<String> = row
                .get(1)
                .map(|w| {
                    w.split('|')
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            if words.is_empty() {
                return Err(bad(FILE, line, "no words"));
            }
            let list = match row[0].as_str() {
                "synonym" => {
                    if words.len() < 2 {
                        return Err(bad(FILE, line, "a synonym group needs two words"));
                    }
                    for w in &words {
                        if !seen.insert(w.clone()) {
                            return Err(bad(FILE, line, &format!("{w} is in two synonym groups")));
                        }
                    }
                    v.synonyms.push(words);
                    continue;
                }
                "verb" => &mut v.verbs,
                "adverb" => &mut v.adverbs,
                "doc_lead" => &mut v.doc_leads,
                "doc_topic" => &mut v.doc_topics,
                "doc_aspect" => &mut v.doc_aspects,
                "doc_type" => &mut v.doc_types,
                "name_part" => &mut v.name_parts,
                "name_tail" => &mut v.name_tails,
                "instrument_ending" => &mut v.instrument_endings,
                "title_verb" => &mut v.title_verbs,
                other => return Err(bad(FILE, line, &format!("unknown kind {other:?}"))),
            };
            list.extend(words);
        }
        for (name, list) in [
            ("adverb", &v.adverbs),
            ("doc_topic", &v.doc_topics),
            ("doc_aspect", &v.doc_aspects),
            ("doc_type", &v.doc_types),
            ("name_part", &v.name_parts),
            ("name_tail", &v.name_tails),
            ("title_verb", &v.title_verbs),
        ] {
            if list.is_empty() {
                return Err(io::Error::other(format!("{FILE}: no {name} words")));
            }
        }
        Ok(v)
    }
}

/// Data rows of a CSV text with a header; `#` lines are comments. Yields
/// the 1-based line number with each row.
fn rows(text: &str, file: &str) -> io::Result<Vec<(usize, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| io::Error::other(format!("{file}: {e}")))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        out.push((line, record.iter().map(|f| f.trim().to_string()).collect()));
    }
    Ok(out)
}

fn bad(file: &str, line: usize, what: &str) -> io::Error {
    io::Error::other(format!("{file}:{line}: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_load() {
        let v = Vocab::bundled().unwrap();
        assert!(v.synonyms.len() > 50);
        assert!(v.synonyms.iter().any(|g| g.contains(&"推进".to_string())));
        assert!(v.instruments.contains(&"科技创新券".to_string()));
        assert!(
            !v.instruments.iter().any(|i| i == "中心"),
            "kind `name` endings are not instruments"
        );
        assert!(v.protected.contains(&"一网通办".to_string()));
        assert!(v.protected.contains(&"科技厅".to_string()));
        assert!(v.doc_types.contains(&"实施方案".to_string()));
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let e =
            Vocab::parse("kind,words,note\nsynonym,推进|推动,\nsynonym,推动|促进,\n").unwrap_err();
        assert!(e.to_string().contains(":3:"), "{e}");
        let e = Vocab::parse("kind,words,note\nsynonym,推进,\n").unwrap_err();
        assert!(e.to_string().contains(":2:"), "{e}");
        let e = Vocab::parse("kind,words,note\nsynonymous,推进|推动,\n").unwrap_err();
        assert!(e.to_string().contains("unknown kind"), "{e}");
    }
}
