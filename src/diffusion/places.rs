//! Jurisdictions: which province (and city) adopted the policy an article
//! reports, so that only pairs of different places count as diffusion.
//!
//! Region ids are GB/T 2260 codes (`320000` province, `320500` city,
//! `320581` county) or curated ids whose `parent` is a code; the code's
//! first two digits name the province and the first four the city. The
//! names come from the division tables (`dictionaries/divisions/`), so the
//! province of an article (`Entities::province`, a full name like `江苏省`)
//! and the province of a region compare as names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::extract::DictError;
use crate::record::{ArticleRecord, EntityRef, Field};

/// Province and city names by code, from `provinces.csv` and `cities.csv`.
#[derive(Clone, Debug, Default)]
pub struct Places {
    /// Two-digit code → full name (`32` → `江苏省`).
    provinces: BTreeMap<String, String>,
    /// Four-digit code → full name (`3205` → `苏州市`); municipal districts
    /// (`市辖区`, `县`) are left out: a municipality has no city level.
    cities: BTreeMap<String, String>,
}

/// Where a place lies: its province and, below province level, its city.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlaceRef {
    pub province: String,
    pub city: Option<String>,
}

/// The jurisdiction an article's policy belongs to: one province (and
/// possibly one city of it), or, for an article about several provinces,
/// all of them.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Jurisdiction {
    /// Full province names, sorted, at least one.
    pub provinces: Vec<String>,
    /// The one city the article is about, when it has a single province.
    pub city: Option<String>,
}

impl Places {
    /// Load `provinces.csv` (code,name) and `cities.csv`
    /// (code,name,provinceCode) from `divisions`.
    pub fn load(divisions: &Path) -> Result<Places, DictError> {
        let mut places = Places::default();
        for row in read_rows(&divisions.join("provinces.csv"), 2)? {
            places.provinces.insert(row[0].clone(), row[1].clone());
        }
        for row in read_rows(&divisions.join("cities.csv"), 3)? {
            if !matches!(
                row[1].as_str(),
                "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
            ) {
                places.cities.insert(row[0].clone(), row[1].clone());
            }
        }
        Ok(places)
    }

    /// A table built in code, for tests: (code, name) pairs.
    pub fn from_tables(provinces: &[(&str, &str)], cities: &[(&str, &str)]) -> Places {
        Places {
            provinces: provinces
                .iter()
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .collect(),
            cities: cities
                .iter()
                .map(|(c, n)| (c.to_string(), n.to_string()))
                .collect(),
        }
    }

    /// Where a GB/T 2260 code lies, if it is one the tables know.
    pub fn of_code(&self, code: &str) -> Option<PlaceRef> {
        if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let province = self.provinces.get(&code[..2])?.clone();
        let city = code
            .get(..4)
            .filter(|c| !c.ends_with("00"))
            .and_then(|c| self.cities.get(c))
            .cloned();
        Some(PlaceRef { province, city })
    }

    /// Where a region or agency of `record` lies: by its id when that is a
    /// code, else by its parent (looked up among the record's regions when
    /// the parent is itself a curated id).
    pub fn of_entity(&self, entity: &EntityRef, record: &ArticleRecord) -> Option<PlaceRef> {
        if matches!(
            entity.kind.as_deref(),
            Some("macro" | "country" | "national")
        ) {
            return None;
        }
        if let Some(p) = self.of_code(&entity.id) {
            return Some(p);
        }
        if let Some(p) = self.provinces.values().find(|n| **n == entity.name) {
            return Some(PlaceRef {
                province: p.clone(),
                city: None,
            });
        }
        let mut parent = entity.parent.as_deref();
        for _ in 0..3 {
            let id = parent?;
            if let Some(p) = self.of_code(id) {
                return Some(p);
            }
            parent = record
                .entities
                .regions
                .iter()
                .find(|r| r.id == id)
                .and_then(|r| r.parent.as_deref());
        }
        None
    }

    /// The jurisdiction of an article, or `None` when nothing places it.
    ///
    /// With a province: that province, and the city when the title names
    /// exactly one city of it (`南京探索设立联合河湖长…` → 江苏省 南京市).
    /// Without one (an event of several provinces): every province its
    /// regions lie in.
    pub fn jurisdiction(&self, record: &ArticleRecord) -> Option<Jurisdiction> {
        if let Some(province) = record
            .entities
            .province
            .as_deref()
            .filter(|p| !p.is_empty())
        {
            let cities: BTreeSet<String> = record
                .entities
                .regions
                .iter()
                .filter(|r| in_title(r, &record.article.title))
                .filter_map(|r| self.of_entity(r, record))
                .filter(|p| p.province == province)
                .filter_map(|p| p.city)
                .collect();
            let city = if cities.len() == 1 {
                cities.into_iter().next()
            } else {
                None
            };
            return Some(Jurisdiction {
                provinces: vec![province.to_string()],
                city,
            });
        }
        let provinces: BTreeSet<String> = record
            .entities
            .regions
            .iter()
            .filter_map(|r| self.of_entity(r, record))
            .map(|p| p.province)
            .collect();
        if provinces.is_empty() {
            return None;
        }
        Some(Jurisdiction {
            provinces: provinces.into_iter().collect(),
            city: None,
        })
    }
}

impl Jurisdiction {
    /// Whether two articles belong to different places: different provinces
    /// (as sets), or two different cities of one province. A province and a
    /// city of its own are the same place (that is implementation, not
    /// diffusion).
    pub fn differs(&self, other: &Jurisdiction) -> bool {
        if self.provinces != other.provinces {
            return true;
        }
        matches!((&self.city, &other.city), (Some(a), Some(b)) if a != b)
    }

    /// Whether a place lies within this jurisdiction.
    pub fn contains(&self, place: &PlaceRef) -> bool {
        self.provinces.contains(&place.province)
            && match (&self.city, &place.city) {
                (Some(mine), Some(theirs)) => mine == theirs,
                _ => true,
            }
    }

    /// `江苏省`, `江苏省南京市`, `上海市、江苏省`.
    pub fn label(&self) -> String {
        let mut s = self.provinces.join("、");
        if let Some(c) = &self.city {
            s.push_str(c);
        }
        s
    }
}

/// A province's usual short form: `江苏省` → `江苏`, `广西壮族自治区` → `广西`,
/// `上海市` → `上海`.
pub fn short_name(full: &str) -> &str {
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
    ] {
        if let Some(s) = full.strip_suffix(suffix) {
            if s.chars().count() >= 2 {
                return s;
            }
        }
    }
    full
}

/// Whether a region is mentioned in the title: by a title span, or, where
/// the record carries no spans (hand-made records), by a surface form.
fn in_title(r: &EntityRef, title: &str) -> bool {
    if !r.spans.is_empty() {
        return r.spans.iter().any(|s| s.field == Field::Title);
    }
    r.mentions
        .iter()
        .any(|m| !m.is_empty() && title.contains(m.as_str()))
}

fn read_rows(path: &Path, columns: usize) -> Result<Vec<Vec<String>>, DictError> {
    let name = path.display().to_string();
    let mut reader = csv::Reader::from_path(path).map_err(|e| DictError::Io {
        path: name.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let row = row.map_err(|e| DictError::Invalid {
            path: name.clone(),
            line,
            message: e.to_string(),
        })?;
        if row.len() < columns {
            return Err(DictError::Invalid {
                path: name.clone(),
                line,
                message: format!("expected {columns} columns, found {}", row.len()),
            });
        }
        rows.push(row.iter().map(|f| f.trim().to_string()).collect());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Article, Entities};

    fn places() -> Places {
        Places::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/divisions")).unwrap()
    }

    fn region(id: &str, name: &str, mention: &str) -> EntityRef {
        EntityRef {
            id: id.into(),
            name: name.into(),
            mentions: vec![mention.into()],
            ..EntityRef::default()
        }
    }

    fn record(title: &str, province: Option<&str>, regions: Vec<EntityRef>) -> ArticleRecord {
        ArticleRecord {
            article: Article {
                title: title.into(),
                ..Article::default()
            },
            entities: Entities {
                province: province.map(str::to_string),
                regions,
                ..Entities::default()
            },
        }
    }

    #[test]
    fn short_names() {
        assert_eq!(short_name("江苏省"), "江苏");
        assert_eq!(short_name("广西壮族自治区"), "广西");
        assert_eq!(short_name("上海市"), "上海");
        assert_eq!(short_name(""), "");
    }

    #[test]
    fn codes_resolve_to_province_and_city() {
        let p = places();
        assert_eq!(
            p.of_code("320000"),
            Some(PlaceRef {
                province: "江苏省".into(),
                city: None
            })
        );
        assert_eq!(
            p.of_code("320581"),
            Some(PlaceRef {
                province: "江苏省".into(),
                city: Some("苏州市".into())
            })
        );
        // A municipality's districts have no city level.
        assert_eq!(
            p.of_code("310118"),
            Some(PlaceRef {
                province: "上海市".into(),
                city: None
            })
        );
        assert_eq!(p.of_code("长三角"), None);
    }

    #[test]
    fn city_comes_from_the_title() {
        let p = places();
        let r = record(
            "南京探索设立联合河湖长打破行政壁垒织密河湖防护网",
            Some("江苏省"),
            vec![region("320100", "南京市", "南京")],
        );
        let j = p.jurisdiction(&r).unwrap();
        assert_eq!(j.label(), "江苏省南京市");
        let province = record(
            "江苏启动科技创新券试点",
            Some("江苏省"),
            vec![region("320000", "江苏省", "江苏")],
        );
        let jp = p.jurisdiction(&province).unwrap();
        assert!(!j.differs(&jp), "a city and its own province are one place");
        let suzhou = record(
            "苏州“八个一”工作模式培优做强产业链",
            Some("江苏省"),
            vec![region("320500", "苏州市", "苏州")],
        );
        assert!(
            p.jurisdiction(&suzhou).unwrap().differs(&j),
            "two cities of one province differ"
        );
    }

    #[test]
    fn multi_province_articles_take_every_province() {
        let p = places();
        let zone = EntityRef {
            parent: Some("310000".into()),
            ..region("临港新片区", "临港新片区", "临港")
        };
        let r = record(
            "长三角向高质量发展区域集群迈进",
            None,
            vec![
                region("320500", "苏州市", "苏州"),
                zone,
                region("长三角", "长三角", "长三角"),
            ],
        );
        let j = p.jurisdiction(&r).unwrap();
        assert_eq!(
            j.provinces,
            vec!["上海市".to_string(), "江苏省".to_string()]
        );
        let js = Jurisdiction {
            provinces: vec!["江苏省".into()],
            city: None,
        };
        assert!(j.differs(&js));
        assert!(j.contains(&PlaceRef {
            province: "江苏省".into(),
            city: Some("苏州市".into())
        }));
        assert_eq!(
            p.jurisdiction(&record(
                "长三角",
                None,
                vec![region("长三角", "长三角", "长三角")]
            )),
            None
        );
    }
}
