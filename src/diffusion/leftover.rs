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

use super::places::Jurisdiction;
use super::{Corpus, Name};

/// One side of an aligned pair: its names of other places (see
/// [`super::sketch::Sketch::foreign`], numbered by the corpus) and its
/// shared passages, as character ranges of its text.
pub struct Side<'a> {
    pub foreign: &'a [Name],
    pub jurisdiction: &'a Jurisdiction,
    pub passages: &'a [Range<usize>],
}

/// The names of `original`'s place that `copy` keeps inside its shared
/// passages, as written (numbers of `corpus`'s strings), in text order,
/// each once.
pub fn leftover_names(copy: &Side<'_>, original: &Side<'_>, corpus: &Corpus) -> Vec<u32> {
    let contains =
        |j: &Jurisdiction, n: &Name| corpus.place(n.place).is_some_and(|p| j.contains(p));
    if copy.passages.is_empty() || original.passages.is_empty() {
        return Vec::new();
    }
    // A joint event: the original's shared text names the copier's place.
    let joint = original
        .foreign
        .iter()
        .any(|n| contains(copy.jurisdiction, n) && inside(n, original.passages));
    if joint {
        return Vec::new();
    }
    // Equal strings have equal numbers: names compare as numbers.
    let mut names: Vec<u32> = Vec::new();
    for n in copy.foreign {
        if contains(original.jurisdiction, n)
            && inside(n, copy.passages)
            && !names.contains(&n.surface)
        {
            names.push(n.surface);
        }
    }
    names
}

/// Whether a name lies wholly inside one of `passages`.
fn inside(n: &Name, passages: &[Range<usize>]) -> bool {
    passages
        .iter()
        .any(|p| p.start <= n.start as usize && n.end as usize <= p.end)
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
    use crate::diffusion::places::PlaceRef;
    use crate::diffusion::sketch::{ForeignName, Sketch};

    /// A corpus of one article per list of names (only the names count).
    fn corpus(names: Vec<Vec<ForeignName>>) -> Corpus {
        let mut c = Corpus::new();
        for (i, foreign) in names.into_iter().enumerate() {
            c.push(Sketch {
                id: i.to_string(),
                title: String::new(),
                jurisdiction: None,
                date: None,
                occurrences: Vec::new(),
                prints: Vec::new(),
                foreign,
                chars: 0,
            });
        }
        c
    }

    /// The names found, as strings.
    fn found(copy: &Side<'_>, original: &Side<'_>, c: &Corpus) -> Vec<String> {
        leftover_names(copy, original, c)
            .into_iter()
            .map(|s| c.str(s).to_string())
            .collect()
    }

    fn j(p: &str) -> Jurisdiction {
        Jurisdiction {
            provinces: vec![p.into()],
            city: None,
        }
    }

    /// Every occurrence of `surface` in `text`, placed in `province`.
    fn named(text: &str, surface: &str, province: &str) -> Vec<ForeignName> {
        char_ranges(text, surface)
            .into_iter()
            .map(|r| ForeignName {
                start: r.start as u32,
                end: r.end as u32,
                surface: surface.into(),
                place: PlaceRef {
                    province: province.into(),
                    city: None,
                },
            })
            .collect()
    }

    #[test]
    fn finds_ranges_in_characters() {
        assert_eq!(char_ranges("江苏省和苏州，苏州", "苏州"), vec![4..6, 7..9]);
        assert!(char_ranges("江苏", "上海").is_empty());
    }

    #[test]
    fn a_kept_name_of_the_original_is_leftover() {
        // A Zhejiang article whose shared passage still says 苏州市; the
        // original names nothing outside Jiangsu.
        let copy = "浙江省科技创新券由苏州市率先试点，对企业购买科技服务给予补助。";
        let c = corpus(vec![named(copy, "苏州市", "江苏省")]);
        let copy_foreign = c.foreign(0);
        let (jo, jc) = (j("江苏省"), j("浙江省"));
        let passages = [Range { start: 3, end: 31 }];
        let o = Side {
            foreign: &[],
            jurisdiction: &jo,
            passages: &passages,
        };
        let cs = Side {
            foreign: copy_foreign,
            jurisdiction: &jc,
            passages: &passages,
        };
        assert_eq!(found(&cs, &o, &c), vec!["苏州市".to_string()]);
        // Not the other way round: the original names nothing of Zhejiang.
        assert!(found(&o, &cs, &c).is_empty());
        // Outside the shared passages a foreign name is just a mention.
        let short = [Range { start: 12, end: 31 }];
        let cs = Side {
            foreign: copy_foreign,
            jurisdiction: &jc,
            passages: &short,
        };
        let o = Side {
            foreign: &[],
            jurisdiction: &jo,
            passages: &short,
        };
        assert!(found(&cs, &o, &c).is_empty());
    }

    #[test]
    fn joint_events_name_both_places_and_are_not_copies() {
        let text = "上海市与宁波市签署合作协议，共同推进港口一体化发展和航运服务。";
        // Shanghai's report names Ningbo (Zhejiang), Zhejiang's names Shanghai.
        let c = corpus(vec![
            named(text, "宁波市", "浙江省"),
            named(text, "上海市", "上海市"),
        ]);
        let (fa, fb) = (c.foreign(0), c.foreign(1));
        let (ja, jb) = (j("上海市"), j("浙江省"));
        let passages = [Range { start: 0, end: 31 }];
        let sa = Side {
            foreign: fa,
            jurisdiction: &ja,
            passages: &passages,
        };
        let sb = Side {
            foreign: fb,
            jurisdiction: &jb,
            passages: &passages,
        };
        assert!(found(&sb, &sa, &c).is_empty());
        assert!(found(&sa, &sb, &c).is_empty());
    }
}
