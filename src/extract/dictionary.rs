//! Loading and validating the dictionaries under `dictionaries/`.
//!
//! Every dictionary is a CSV file with a header. This module only reads and
//! checks them (column count, empty names, duplicate ids, ids that point
//! nowhere) and reports the first problem with its file and line, so that a
//! researcher who edits a file learns at once what is wrong. What the entries
//! mean is for the gazetteer and the lexicon to decide.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::DictError;

/// One data line of a CSV file: its 1-based line number and trimmed fields.
#[derive(Clone, Debug)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> &str {
        self.fields.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A CSV file read with its expected header.
#[derive(Clone, Debug)]
pub struct Table {
    pub path: PathBuf,
    pub rows: Vec<Row>,
}

impl Table {
    /// An error pointing at one line of this table.
    pub fn invalid(&self, line: u64, message: impl Into<String>) -> DictError {
        DictError::Invalid {
            path: self.path.display().to_string(),
            line,
            message: message.into(),
        }
    }

    /// Fail unless column `i` is non-empty on every row.
    pub fn require(&self, i: usize, what: &str) -> Result<(), DictError> {
        for row in &self.rows {
            if row.get(i).is_empty() {
                return Err(self.invalid(row.line, format!("empty {what}")));
            }
        }
        Ok(())
    }

    /// Fail if column `i` holds the same value on two rows.
    pub fn unique(&self, i: usize, what: &str) -> Result<(), DictError> {
        let mut seen: HashMap<&str, u64> = HashMap::new();
        for row in &self.rows {
            if let Some(first) = seen.insert(row.get(i), row.line) {
                return Err(self.invalid(
                    row.line,
                    format!("duplicate {what} {:?} (first on line {first})", row.get(i)),
                ));
            }
        }
        Ok(())
    }
}

/// Every record of the CSV file `path`, read with `builder`'s settings
/// (header, comments, flexibility), with its line number; an unreadable
/// file or a malformed record is an error naming the file (and line). For
/// files whose columns are checked by their own loader; see [`read_csv`]
/// for the strict form.
pub fn csv_records(
    path: &Path,
    builder: &csv::ReaderBuilder,
) -> Result<Vec<(u64, csv::StringRecord)>, DictError> {
    let name = path.display().to_string();
    let mut reader = builder.from_path(path).map_err(|e| DictError::Io {
        path: name.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| DictError::Invalid {
            path: name.clone(),
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        out.push((row.position().map_or(0, |p| p.line()), row));
    }
    Ok(out)
}

/// Read `path`, which must start with exactly `columns` as its header and have
/// that many fields on every line. Blank lines are skipped.
pub fn read_csv(path: &Path, columns: &[&str]) -> Result<Table, DictError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| DictError::Io {
        path: shown.clone(),
        source,
    })?;
    let invalid = |line: u64, message: String| DictError::Invalid {
        path: shown.clone(),
        line,
        message,
    };
    let text = String::from_utf8(bytes).map_err(|e| invalid(0, format!("not UTF-8: {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            invalid(line, e.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let fields: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
        if !header_seen {
            header_seen = true;
            if fields != columns {
                return Err(invalid(
                    line,
                    format!(
                        "expected header {:?}, found {:?}",
                        columns.join(","),
                        fields.join(",")
                    ),
                ));
            }
            continue;
        }
        if fields.len() != columns.len() {
            return Err(invalid(
                line,
                format!(
                    "expected {} columns ({}), found {}",
                    columns.len(),
                    columns.join(","),
                    fields.len()
                ),
            ));
        }
        rows.push(Row { line, fields });
    }
    if !header_seen {
        return Err(invalid(
            0,
            format!("empty file: expected header {:?}", columns.join(",")),
        ));
    }
    Ok(Table {
        path: path.to_path_buf(),
        rows,
    })
}

/// Split a `|`-separated list field; empty items are dropped.
pub fn list(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// A division from the GB/T 2260 tables.
#[derive(Clone, Debug)]
pub struct Division {
    /// Six-digit code (nine for towns and streets).
    pub code: String,
    pub name: String,
    /// Parent code, six digits (nine-digit codes for nothing: towns' parents are counties).
    pub parent: Option<String>,
    pub level: Level,
}

/// Level of a division in the GB/T 2260 hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Province,
    City,
    County,
    Town,
}

/// A curated region: zone, macro-region or country.
#[derive(Clone, Debug)]
pub struct CuratedRegion {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
    pub aliases: Vec<String>,
    /// Names that count only when the region's parent (or the region itself)
    /// is in the article's context (临港 for 临港新片区).
    pub context_aliases: Vec<String>,
    /// Names that count only standing alone and in context (示范区).
    pub bare_aliases: Vec<String>,
    pub line: u64,
    pub path: PathBuf,
}

/// Every dictionary, read and checked, not yet compiled.
#[derive(Clone, Debug, Default)]
pub struct Dictionaries {
    pub divisions: Vec<Division>,
    pub curated: Vec<CuratedRegion>,
    /// (abbreviation, region id, strength: 2 strong, 1 pair, 0 weak)
    pub abbreviations: Vec<(String, String, u8)>,
    /// (old name, current region id)
    pub old_names: Vec<(String, String)>,
    /// (alias, region id)
    pub aliases: Vec<(String, String)>,
    /// (zone id, member region id): the units a zone is made of.
    pub zone_members: Vec<(String, String)>,
    /// scope → words (`short`, `city`, `full`)
    pub stoplist: HashMap<String, HashSet<String>>,
    pub blockers: Vec<String>,
    /// (stem, canonical, mode)
    pub stems: Vec<(String, String, String)>,
    /// (canonical name, aliases)
    pub national: Vec<(String, Vec<String>)>,
    /// (name, aliases)
    pub initiatives: Vec<(String, Vec<String>)>,
    /// list name → words, in file order
    pub words: HashMap<String, Vec<String>>,
}

/// The word lists `words.csv` may hold; any other list name is an error, so a
/// typo does not silently disable a rule.
pub const WORD_LISTS: &[&str] = &[
    "ethnic",
    "org_suffix",
    "org_gap_breaker",
    "road_suffix",
    "split_after_shi",
    "split_after_qu",
    "split_after_xian",
    "abbr_cue_before",
    "abbr_cue_after",
    "function_char",
    "doc_suffix",
    "doc_after",
    "publication",
    "publication_suffix",
    "initiative_cue",
    "initiative_suffix",
    "not_initiative",
    "agency_implicit_province",
    "agency_implicit_city",
    "agency_implicit_county",
    "agency_list_sep",
    "agency_session",
    "not_agency_before",
    "multi_province",
    "implicit_not_after",
    "initiative_cue_before",
    "doc_publish_verb",
    "agency_branch",
    "template_drop",
];

const REGION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "kind",
    "parent",
    "aliases",
    "context_aliases",
    "bare_aliases",
];

impl Dictionaries {
    /// Read every dictionary under `dir` (see `dictionaries/README.md`).
    pub fn load(dir: &Path) -> Result<Dictionaries, DictError> {
        let mut d = Dictionaries {
            divisions: load_divisions(&dir.join("divisions"))?,
            ..Default::default()
        };
        let codes: HashSet<String> = d.divisions.iter().map(|v| v.code.clone()).collect();

        for file in ["zones.csv", "macro_regions.csv", "countries.csv"] {
            let t = read_csv(&dir.join("regions").join(file), REGION_COLUMNS)?;
            t.require(0, "id")?;
            t.require(1, "name")?;
            t.unique(0, "id")?;
            for row in &t.rows {
                let kind = row.get(2);
                if !["zone", "macro", "country"].contains(&kind) {
                    return Err(t.invalid(
                        row.line,
                        format!("kind must be zone, macro or country, not {kind:?}"),
                    ));
                }
                d.curated.push(CuratedRegion {
                    id: row.get(0).to_string(),
                    name: row.get(1).to_string(),
                    kind: kind.to_string(),
                    parent: Some(row.get(3).to_string()).filter(|p| !p.is_empty()),
                    aliases: list(row.get(4)),
                    context_aliases: list(row.get(5)),
                    bare_aliases: list(row.get(6)),
                    line: row.line,
                    path: t.path.clone(),
                });
            }
        }
        // Ids are one namespace: a curated id may not repeat another or a code.
        let mut ids: HashSet<String> = codes.clone();
        for c in &d.curated {
            if !ids.insert(c.id.clone()) {
                return Err(DictError::Invalid {
                    path: c.path.display().to_string(),
                    line: c.line,
                    message: format!("duplicate region id {:?}", c.id),
                });
            }
        }
        for c in &d.curated {
            if let Some(p) = &c.parent {
                if !ids.contains(p) {
                    return Err(DictError::Invalid {
                        path: c.path.display().to_string(),
                        line: c.line,
                        message: format!("unknown parent region id {p:?}"),
                    });
                }
            }
        }
        let known = |t: &Table, row: &Row, i: usize| -> Result<String, DictError> {
            let id = row.get(i);
            if ids.contains(id) {
                Ok(id.to_string())
            } else {
                Err(t.invalid(row.line, format!("unknown region id {id:?}")))
            }
        };

        let t = read_csv(
            &dir.join("regions/abbreviations.csv"),
            &["abbr", "region_id", "strength"],
        )?;
        t.require(0, "abbreviation")?;
        t.unique(0, "abbreviation")?;
        for row in &t.rows {
            if row.get(0).chars().count() != 1 {
                return Err(t.invalid(row.line, "an abbreviation is one character"));
            }
            let strength = match row.get(2) {
                "strong" => 2,
                "pair" => 1,
                "weak" => 0,
                other => {
                    return Err(t.invalid(
                        row.line,
                        format!("strength must be strong, pair or weak, not {other:?}"),
                    ))
                }
            };
            d.abbreviations
                .push((row.get(0).to_string(), known(&t, row, 1)?, strength));
        }

        let t = read_csv(
            &dir.join("regions/old_names.csv"),
            &["old_name", "region_id", "changed", "note"],
        )?;
        t.require(0, "old name")?;
        t.unique(0, "old name")?;
        for row in &t.rows {
            d.old_names
                .push((row.get(0).to_string(), known(&t, row, 1)?));
        }

        let t = read_csv(
            &dir.join("regions/aliases.csv"),
            &["alias", "region_id", "note"],
        )?;
        t.require(0, "alias")?;
        t.unique(0, "alias")?;
        for row in &t.rows {
            d.aliases.push((row.get(0).to_string(), known(&t, row, 1)?));
        }

        let t = read_csv(
            &dir.join("regions/zone_members.csv"),
            &["zone_id", "member_id", "note"],
        )?;
        for row in &t.rows {
            d.zone_members
                .push((known(&t, row, 0)?, known(&t, row, 1)?));
        }

        let t = read_csv(
            &dir.join("regions/stoplist.csv"),
            &["word", "scope", "note"],
        )?;
        t.require(0, "word")?;
        for row in &t.rows {
            let scope = row.get(1);
            if !["short", "city", "full"].contains(&scope) {
                return Err(t.invalid(
                    row.line,
                    format!("scope must be short, city or full, not {scope:?}"),
                ));
            }
            d.stoplist
                .entry(scope.to_string())
                .or_default()
                .insert(row.get(0).to_string());
        }

        let t = read_csv(&dir.join("blockers.csv"), &["word", "kind", "note"])?;
        t.require(0, "word")?;
        t.unique(0, "word")?;
        d.blockers = t.rows.iter().map(|r| r.get(0).to_string()).collect();

        let t = read_csv(
            &dir.join("agencies/stems.csv"),
            &["stem", "canonical", "mode"],
        )?;
        t.require(0, "stem")?;
        t.require(1, "canonical name")?;
        t.unique(0, "stem")?;
        for row in &t.rows {
            if !["plain", "open", "port"].contains(&row.get(2)) {
                return Err(t.invalid(
                    row.line,
                    format!("mode must be plain, open or port, not {:?}", row.get(2)),
                ));
            }
            d.stems.push((
                row.get(0).to_string(),
                row.get(1).to_string(),
                row.get(2).to_string(),
            ));
        }

        let t = read_csv(&dir.join("agencies/national.csv"), &["name", "aliases"])?;
        t.require(0, "name")?;
        t.unique(0, "name")?;
        d.national = t
            .rows
            .iter()
            .map(|r| (r.get(0).to_string(), list(r.get(1))))
            .collect();
        check_names_unique(&t, d.national.iter().map(|(n, a)| (n, a)))?;

        let t = read_csv(
            &dir.join("programs/initiatives.csv"),
            &["name", "aliases", "note"],
        )?;
        t.require(0, "name")?;
        t.unique(0, "name")?;
        d.initiatives = t
            .rows
            .iter()
            .map(|r| (r.get(0).to_string(), list(r.get(1))))
            .collect();
        check_names_unique(&t, d.initiatives.iter().map(|(n, a)| (n, a)))?;

        let t = read_csv(&dir.join("words.csv"), &["list", "word", "note"])?;
        t.require(0, "list name")?;
        t.require(1, "word")?;
        let mut seen: HashMap<(String, String), u64> = HashMap::new();
        for row in &t.rows {
            let name = row.get(0);
            if !WORD_LISTS.contains(&name) {
                return Err(t.invalid(
                    row.line,
                    format!("unknown list {name:?} (known: {})", WORD_LISTS.join(", ")),
                ));
            }
            let key = (name.to_string(), row.get(1).to_string());
            if let Some(first) = seen.insert(key, row.line) {
                return Err(t.invalid(
                    row.line,
                    format!(
                        "duplicate word {:?} in list {name} (first on line {first})",
                        row.get(1)
                    ),
                ));
            }
            d.words
                .entry(name.to_string())
                .or_default()
                .push(row.get(1).to_string());
        }
        Ok(d)
    }

    /// The words of one list of `words.csv` (empty if the file has none).
    pub fn words(&self, list: &str) -> &[String] {
        debug_assert!(WORD_LISTS.contains(&list), "unknown word list {list}");
        self.words.get(list).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Names and aliases of one file may not repeat across rows: the automaton
/// would not know which entry a shared string stands for.
fn check_names_unique<'a>(
    t: &Table,
    entries: impl Iterator<Item = (&'a String, &'a Vec<String>)>,
) -> Result<(), DictError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, (name, aliases)) in entries.enumerate() {
        for s in std::iter::once(name).chain(aliases.iter()) {
            if let Some(first) = seen.insert(s.as_str(), i) {
                if first != i {
                    return Err(t.invalid(
                        t.rows[i].line,
                        format!("{s:?} also names the entry on line {}", t.rows[first].line),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Read the GB/T 2260 tables: provinces, cities, counties, towns, and the
/// three special units of HK-MO-TW.json. Placeholders (`市辖区`, `县`,
/// `省直辖县级行政区划`) are kept as parents but are not places.
fn load_divisions(dir: &Path) -> Result<Vec<Division>, DictError> {
    let mut out = Vec::new();
    let pad = |code: &str| format!("{code:0<6}");

    let t = read_csv(&dir.join("provinces.csv"), &["code", "name"])?;
    t.require(0, "code")?;
    t.require(1, "name")?;
    t.unique(0, "code")?;
    for row in &t.rows {
        check_code(&t, row, 2)?;
        out.push(Division {
            code: pad(row.get(0)),
            name: row.get(1).into(),
            parent: None,
            level: Level::Province,
        });
    }
    let t = read_csv(&dir.join("cities.csv"), &["code", "name", "provinceCode"])?;
    t.require(1, "name")?;
    t.unique(0, "code")?;
    for row in &t.rows {
        check_code(&t, row, 4)?;
        out.push(Division {
            code: pad(row.get(0)),
            name: row.get(1).into(),
            parent: Some(pad(row.get(2))),
            level: Level::City,
        });
    }
    let t = read_csv(
        &dir.join("areas.csv"),
        &["code", "name", "cityCode", "provinceCode"],
    )?;
    t.require(1, "name")?;
    t.unique(0, "code")?;
    for row in &t.rows {
        check_code(&t, row, 6)?;
        out.push(Division {
            code: row.get(0).into(),
            name: row.get(1).into(),
            parent: Some(pad(row.get(2))),
            level: Level::County,
        });
    }
    let t = read_csv(
        &dir.join("streets.csv"),
        &["code", "name", "areaCode", "provinceCode", "cityCode"],
    )?;
    t.require(1, "name")?;
    t.unique(0, "code")?;
    for row in &t.rows {
        check_code(&t, row, 9)?;
        out.push(Division {
            code: row.get(0).into(),
            name: row.get(1).into(),
            parent: Some(row.get(2).into()),
            level: Level::Town,
        });
    }
    // Hong Kong, Macao and Taiwan: province-level units with the codes
    // GB/T 2260 gives them; their subdivisions are not needed here.
    let path = dir.join("HK-MO-TW.json");
    let shown = path.display().to_string();
    let bytes = std::fs::read(&path).map_err(|source| DictError::Io {
        path: shown.clone(),
        source,
    })?;
    let value: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| DictError::Invalid {
            path: shown.clone(),
            line: e.line() as u64,
            message: e.to_string(),
        })?;
    let object = value.as_object().ok_or_else(|| DictError::Invalid {
        path: shown.clone(),
        line: 1,
        message: "expected a JSON object".into(),
    })?;
    for name in object.keys() {
        let code = match name.as_str() {
            n if n.starts_with("香港") => "810000",
            n if n.starts_with("澳门") => "820000",
            n if n.starts_with("台湾") => "710000",
            other => {
                return Err(DictError::Invalid {
                    path: shown.clone(),
                    line: 0,
                    message: format!("unknown unit {other:?} (expected 香港, 澳门, 台湾)"),
                })
            }
        };
        out.push(Division {
            code: code.into(),
            name: name.clone(),
            parent: None,
            level: Level::Province,
        });
    }
    Ok(out)
}

fn check_code(t: &Table, row: &Row, digits: usize) -> Result<(), DictError> {
    let code = row.get(0);
    if code.len() != digits || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(t.invalid(
            row.line,
            format!("code must be {digits} digits, found {code:?}"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn wrong_column_count_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "x.csv",
            "abbr,region_id,strength\n沪,310000,strong\n苏,320000\n",
        );
        let err = read_csv(&p, &["abbr", "region_id", "strength"]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("x.csv:3:"), "{msg}");
        assert!(msg.contains("expected 3 columns"), "{msg}");
    }

    #[test]
    fn wrong_header_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "x.csv", "name,id\n");
        let err = read_csv(&p, &["id", "name"]).unwrap_err();
        assert!(err.to_string().contains("x.csv:1:"), "{err}");
    }

    #[test]
    fn duplicates_and_empties_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            dir.path(),
            "x.csv",
            "stem,canonical,mode\n发改委,a,plain\n\n科技厅,b,plain\n发改委,c,plain\n",
        );
        let t = read_csv(&p, &["stem", "canonical", "mode"]).unwrap();
        assert_eq!(t.rows.len(), 3);
        let err = t.unique(0, "stem").unwrap_err().to_string();
        assert!(err.contains("x.csv:5:") && err.contains("line 2"), "{err}");
        let p = write(dir.path(), "y.csv", "stem,canonical,mode\n,a,plain\n");
        let t = read_csv(&p, &["stem", "canonical", "mode"]).unwrap();
        assert!(t
            .require(0, "stem")
            .unwrap_err()
            .to_string()
            .contains("y.csv:2: empty stem"));
    }

    #[test]
    fn bundled_dictionaries_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
        let d = Dictionaries::load(&dir).unwrap();
        assert!(d
            .divisions
            .iter()
            .any(|v| v.code == "320506" && v.name == "吴中区"));
        assert!(d.divisions.iter().any(|v| v.code == "810000"));
        assert!(d.curated.iter().any(|c| c.id == "临港新片区"));
        assert!(d.words("org_suffix").iter().any(|w| w == "有限公司"));
    }
}
