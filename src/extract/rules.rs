//! The word lists of `words.csv`, in the shapes the extractors use them.
//!
//! Each list is data so that a researcher can teach the extractors a new
//! organisation suffix or a new slogan without touching Rust; what each list
//! means is documented in `dictionaries/README.md` and in the file itself.

use std::collections::{HashMap, HashSet};

use super::dictionary::Dictionaries;
use super::text::normalize;

/// Word lists, ready for lookups.
#[derive(Clone, Debug, Default)]
pub struct Rules {
    /// Longest first, so that 有限公司 is tried before 公司.
    pub org_suffix: Vec<String>,
    /// First characters of `org_suffix`, to skip most positions at once.
    pub org_suffix_first: HashSet<char>,
    pub org_gap_breaker: Vec<String>,
    pub road_suffix: Vec<String>,
    /// Last character of a full name (市, 区, 县) → characters after which it
    /// belongs to the next word instead.
    pub split_after: HashMap<char, HashSet<char>>,
    pub abbr_cue_before: HashSet<char>,
    pub abbr_cue_after: Vec<String>,
    pub function_char: HashSet<char>,
    pub doc_suffix: Vec<String>,
    pub doc_after: Vec<String>,
    pub publication: HashSet<String>,
    pub publication_suffix: Vec<String>,
    pub initiative_cue: Vec<String>,
    pub initiative_suffix: Vec<String>,
    pub not_initiative: HashSet<String>,
    pub implicit_province: Vec<String>,
    pub implicit_city: Vec<String>,
    pub implicit_county: Vec<String>,
    pub list_sep: Vec<String>,
    pub session: Vec<String>,
    pub not_agency_before: Vec<String>,
    pub multi_province: Vec<String>,
    pub implicit_not_after: HashSet<char>,
    pub initiative_cue_before: Vec<String>,
    pub doc_publish_verb: Vec<String>,
    pub agency_branch: Vec<String>,
    pub template_drop: Vec<String>,
}

fn longest_first(words: &[String]) -> Vec<String> {
    let mut v: Vec<String> = words
        .iter()
        .map(|w| normalize(w))
        .filter(|w| !w.is_empty())
        .collect();
    v.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    v.dedup();
    v
}

fn chars(words: &[String]) -> HashSet<char> {
    words.iter().filter_map(|w| w.chars().next()).collect()
}

impl Rules {
    pub fn new(d: &Dictionaries) -> Rules {
        let mut split_after: HashMap<char, HashSet<char>> = HashMap::new();
        split_after.insert('市', chars(d.words("split_after_shi")));
        split_after.insert('区', chars(d.words("split_after_qu")));
        split_after.insert('县', chars(d.words("split_after_xian")));
        Rules {
            org_suffix: longest_first(d.words("org_suffix")),
            org_suffix_first: chars(&longest_first(d.words("org_suffix"))),
            org_gap_breaker: longest_first(d.words("org_gap_breaker")),
            road_suffix: longest_first(d.words("road_suffix")),
            split_after,
            abbr_cue_before: chars(d.words("abbr_cue_before")),
            abbr_cue_after: longest_first(d.words("abbr_cue_after")),
            function_char: chars(d.words("function_char")),
            doc_suffix: longest_first(d.words("doc_suffix")),
            doc_after: longest_first(d.words("doc_after")),
            publication: d
                .words("publication")
                .iter()
                .map(|w| normalize(w))
                .collect(),
            publication_suffix: longest_first(d.words("publication_suffix")),
            initiative_cue: longest_first(d.words("initiative_cue")),
            initiative_suffix: longest_first(d.words("initiative_suffix")),
            not_initiative: d
                .words("not_initiative")
                .iter()
                .map(|w| normalize(w))
                .collect(),
            implicit_province: longest_first(d.words("agency_implicit_province")),
            implicit_city: longest_first(d.words("agency_implicit_city")),
            implicit_county: longest_first(d.words("agency_implicit_county")),
            list_sep: longest_first(d.words("agency_list_sep")),
            session: longest_first(d.words("agency_session")),
            not_agency_before: longest_first(d.words("not_agency_before")),
            multi_province: longest_first(d.words("multi_province")),
            implicit_not_after: chars(d.words("implicit_not_after")),
            initiative_cue_before: longest_first(d.words("initiative_cue_before")),
            doc_publish_verb: longest_first(d.words("doc_publish_verb")),
            agency_branch: longest_first(d.words("agency_branch")),
            template_drop: longest_first(d.words("template_drop")),
        }
    }
}

/// The first word of `words` that `s` ends with.
pub fn ends_with_any<'a>(s: &str, words: &'a [String]) -> Option<&'a str> {
    let s = s.as_bytes();
    words.iter().map(String::as_str).find(|w| {
        let w = w.as_bytes();
        // The last two bytes first, inline: most words differ there, and a
        // call to memcmp for each word of a long list costs more.
        w.len() <= s.len()
            && w.iter()
                .rev()
                .zip(s.iter().rev())
                .take(2)
                .all(|(a, b)| a == b)
            && s.ends_with(w)
    })
}

/// The first word of `words` that `s` starts with.
pub fn starts_with_any<'a>(s: &str, words: &'a [String]) -> Option<&'a str> {
    let s = s.as_bytes();
    words.iter().map(String::as_str).find(|w| {
        let w = w.as_bytes();
        // Chinese words share lead bytes: compare the second byte too
        // before the full comparison.
        w.len() <= s.len() && w.iter().zip(s).take(2).all(|(a, b)| a == b) && s.starts_with(w)
    })
}

#[cfg(test)]
mod tests {
    use super::{ends_with_any, starts_with_any};

    #[test]
    fn first_matching_word_in_list_order() {
        let words: Vec<String> = ["有限公司", "公司", "a", "路"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert_eq!(ends_with_any("上海电气有限公司", &words), Some("有限公司"));
        assert_eq!(ends_with_any("电气公司", &words), Some("公司"));
        assert_eq!(ends_with_any("ba", &words), Some("a"));
        assert_eq!(ends_with_any("司", &words), None);
        assert_eq!(starts_with_any("路口", &words), Some("路"));
        assert_eq!(starts_with_any("ab", &words), Some("a"));
        assert_eq!(starts_with_any("公", &words), None);
        assert_eq!(starts_with_any("", &words), None);
    }
}
