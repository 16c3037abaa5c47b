//! Leftover foreign names: a passage an article shares with an article of
//! another place, in which it still names that other place's regions or
//! agencies where its own should stand (a county plan that keeps the
//! township names of the county it was copied from). The strongest sign of
//! a copy, and a sign of its direction: the names are the original's.
//!
//! Two reports of one joint event share passages that name both places;
//! that is not a copy. So a name counts only when the original's shared
//! passages do not name the copying article's own place.

use std::ops::Range;

use crate::record::{ArticleRecord, EntityRef, Field};

use super::places::{Jurisdiction, Places};

/// One side of an aligned pair: the record, and its shared passages as
/// character ranges of its `text`.
pub struct Side<'a> {
    pub record: &'a ArticleRecord,
    pub jurisdiction: &'a Jurisdiction,
    pub passages: &'a [Range<usize>],
}

/// The names of `original`'s place that `copy` keeps inside its shared
/// passages, as written, in text order, each once.
pub fn leftover_names(copy: &Side<'_>, original: &Side<'_>, places: &Places) -> Vec<String> {
    if copy.passages.is_empty() || original.passages.is_empty() {
        return Vec::new();
    }
    // A joint event: the original's shared text names the copier's place.
    let joint = entities(original.record).any(|e| {
        places
            .of_entity(e, original.record)
            .is_some_and(|p| copy.jurisdiction.contains(&p) && !original.jurisdiction.contains(&p))
            && inside(e, original.record, original.passages).is_some()
    });
    if joint {
        return Vec::new();
    }
    let mut found: Vec<(usize, String)> = entities(copy.record)
        .filter(|e| {
            places.of_entity(e, copy.record).is_some_and(|p| {
                original.jurisdiction.contains(&p) && !copy.jurisdiction.contains(&p)
            })
        })
        .filter_map(|e| inside(e, copy.record, copy.passages))
        .collect();
    found.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, n) in found {
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

fn entities(record: &ArticleRecord) -> impl Iterator<Item = &EntityRef> {
    record
        .entities
        .regions
        .iter()
        .chain(&record.entities.agencies)
}

/// The first occurrence of the entity inside one of `passages` (character
/// ranges of the text): its offset and surface form. Uses the record's
/// spans, or, where it has none (hand-made records), finds the surface
/// forms in the text.
fn inside(
    e: &EntityRef,
    record: &ArticleRecord,
    passages: &[Range<usize>],
) -> Option<(usize, String)> {
    let within = |s: usize, end: usize| passages.iter().any(|p| p.start <= s && end <= p.end);
    let text = &record.article.text;
    if !e.spans.is_empty() {
        // Spans are in text order: the first one inside a passage wins.
        let s = e
            .spans
            .iter()
            .find(|s| s.field == Field::Text && within(s.start, s.end))?;
        let surface: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        return Some((s.start, surface));
    }
    e.mentions
        .iter()
        .filter(|m| !m.is_empty())
        .flat_map(|m| char_ranges(text, m).into_iter().map(move |r| (r, m)))
        .filter(|(r, _)| within(r.start, r.end))
        .map(|(r, m)| (r.start, m.clone()))
        .min()
}

/// Every occurrence of `pattern` in `text`, as character ranges, in one
/// walk of the text.
pub fn char_ranges(text: &str, pattern: &str) -> Vec<Range<usize>> {
    let len = pattern.chars().count();
    let mut out = Vec::new();
    let (mut byte, mut chars) = (0usize, 0usize);
    for (b, _) in text.match_indices(pattern) {
        chars += text[byte..b].chars().count();
        byte = b;
        out.push(chars..chars + len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Article, Entities};

    fn places() -> Places {
        Places::from_tables(
            &[("32", "江苏省"), ("33", "浙江省"), ("31", "上海市")],
            &[("3205", "苏州市"), ("3302", "宁波市")],
        )
    }

    fn region(id: &str, name: &str, mentions: &[&str]) -> EntityRef {
        EntityRef {
            id: id.into(),
            name: name.into(),
            mentions: mentions.iter().map(|m| m.to_string()).collect(),
            ..EntityRef::default()
        }
    }

    fn record(text: &str, province: &str, regions: Vec<EntityRef>) -> ArticleRecord {
        ArticleRecord {
            article: Article {
                text: text.into(),
                ..Article::default()
            },
            entities: Entities {
                province: Some(province.into()),
                regions,
                ..Entities::default()
            },
        }
    }

    fn j(p: &str) -> Jurisdiction {
        Jurisdiction {
            provinces: vec![p.into()],
            city: None,
        }
    }

    #[test]
    fn finds_ranges_in_characters() {
        assert_eq!(char_ranges("江苏省和苏州，苏州", "苏州"), vec![4..6, 7..9]);
        assert!(char_ranges("江苏", "上海").is_empty());
    }

    #[test]
    fn a_kept_name_of_the_original_is_leftover() {
        // A Zhejiang article whose shared passage still says 苏州.
        let original = record(
            "江苏省科技创新券由苏州市率先试点，对企业购买科技服务给予补助。",
            "江苏省",
            vec![
                region("320000", "江苏省", &["江苏省"]),
                region("320500", "苏州市", &["苏州市"]),
            ],
        );
        let copy = record(
            "浙江省科技创新券由苏州市率先试点，对企业购买科技服务给予补助。",
            "浙江省",
            vec![
                region("330000", "浙江省", &["浙江省"]),
                region("320500", "苏州市", &["苏州市"]),
            ],
        );
        let (jo, jc) = (j("江苏省"), j("浙江省"));
        let passages = [Range { start: 3, end: 31 }];
        let o = Side {
            record: &original,
            jurisdiction: &jo,
            passages: &passages,
        };
        let c = Side {
            record: &copy,
            jurisdiction: &jc,
            passages: &passages,
        };
        assert_eq!(
            leftover_names(&c, &o, &places()),
            vec!["苏州市".to_string()]
        );
        // Not the other way round: the original names nothing of Zhejiang.
        assert!(leftover_names(&o, &c, &places()).is_empty());
        // Outside the shared passages a foreign name is just a mention.
        let short = [Range { start: 12, end: 31 }];
        let c = Side {
            record: &copy,
            jurisdiction: &jc,
            passages: &short,
        };
        let o = Side {
            record: &original,
            jurisdiction: &jo,
            passages: &short,
        };
        assert!(leftover_names(&c, &o, &places()).is_empty());
    }

    #[test]
    fn joint_events_name_both_places_and_are_not_copies() {
        let text = "上海市与宁波市签署合作协议，共同推进港口一体化发展和航运服务。";
        let a = record(
            text,
            "上海市",
            vec![
                region("310000", "上海市", &["上海市"]),
                region("330200", "宁波市", &["宁波市"]),
            ],
        );
        let b = record(
            text,
            "浙江省",
            vec![
                region("310000", "上海市", &["上海市"]),
                region("330200", "宁波市", &["宁波市"]),
            ],
        );
        let (ja, jb) = (j("上海市"), j("浙江省"));
        let passages = [Range { start: 0, end: 31 }];
        let sa = Side {
            record: &a,
            jurisdiction: &ja,
            passages: &passages,
        };
        let sb = Side {
            record: &b,
            jurisdiction: &jb,
            passages: &passages,
        };
        assert!(leftover_names(&sb, &sa, &places()).is_empty());
        assert!(leftover_names(&sa, &sb, &places()).is_empty());
    }
}
