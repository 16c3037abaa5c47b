//! The table of contents (目 录): recognised so it is not mistaken for
//! articles, and kept because it confirms titles and tells which section an
//! article belongs to when the body lost its heading.
//!
//! Entries come as `title 3`, `- title 3`, `title ..... 20`, `- title` (no
//! page numbers at all), section headings between them, and long titles
//! split over two lines with the page number on the second.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::key;
use super::layout::{self, Block};
use super::sections::SectionNames;

/// A table of contents: titles in order, each with the section it is listed under.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Toc {
    /// `(title key, section)`, where the key is [`key`]`(title)`.
    pub titles: Vec<(String, Option<String>)>,
    /// Section headings, as printed (whitespace removed).
    pub sections: Vec<String>,
}

impl Toc {
    pub fn is_empty(&self) -> bool {
        self.titles.is_empty()
    }

    /// The section the contents list a title under.
    pub fn section_of(&self, title_key: &str) -> Option<&str> {
        self.titles
            .iter()
            .find(|(k, _)| k == title_key)
            .and_then(|(_, s)| s.as_deref())
    }

    pub fn has_title(&self, title_key: &str) -> bool {
        self.titles.iter().any(|(k, _)| k == title_key)
    }

    pub fn has_section(&self, heading_key: &str) -> bool {
        self.sections.iter().any(|s| s == heading_key)
    }
}

/// The contents as lookup tables, built once per bulletin: the body asks
/// about every block, and a linear search per question would be quadratic in
/// a long contents.
#[derive(Debug)]
pub struct TocIndex<'a> {
    toc: &'a Toc,
    /// Title key → the section of its first listing.
    titles: HashMap<&'a str, Option<&'a str>>,
    sections: HashSet<&'a str>,
    longest: usize,
}

impl Toc {
    /// Index the contents for lookups.
    pub fn index(&self) -> TocIndex<'_> {
        let mut titles = HashMap::new();
        for (k, s) in &self.titles {
            titles.entry(k.as_str()).or_insert(s.as_deref());
        }
        let longest = self
            .titles
            .iter()
            .map(|(k, _)| k)
            .chain(&self.sections)
            .map(|k| k.chars().count())
            .max();
        TocIndex {
            toc: self,
            titles,
            sections: self.sections.iter().map(String::as_str).collect(),
            longest: longest.unwrap_or(0),
        }
    }
}

impl<'a> TocIndex<'a> {
    pub fn has_title(&self, title_key: &str) -> bool {
        self.titles.contains_key(title_key)
    }

    pub fn section_of(&self, title_key: &str) -> Option<&'a str> {
        self.titles.get(title_key).copied().flatten()
    }

    pub fn has_section(&self, heading_key: &str) -> bool {
        self.sections.contains(heading_key)
    }

    /// Every title key as listed, repeats included.
    pub fn titles(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.toc.titles.iter().map(|(k, _)| k.as_str())
    }

    pub fn title_count(&self) -> usize {
        self.toc.titles.len()
    }

    /// Characters in the longest title or section key: no longer block can
    /// match an entry.
    pub fn longest_key(&self) -> usize {
        self.longest
    }
}

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^目\s*录$|^本期目录$|^CONTENTS$").expect("valid regex"));
/// A page number after whitespace or leader dots.
static PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?\S)(?:\s*(?:\.{2,}|…+|·{2,})\s*|\s+)(\d{1,3})$").expect("valid regex")
});

/// No contents entry is longer than this, in characters, leader dots and
/// page number included.
const ENTRY_MAX_CHARS: usize = 4 * layout::TITLE_MAX_CHARS;

/// Is this block the contents marker?
pub fn is_marker(text: &str) -> bool {
    MARKER.is_match(crate::script::simplified(text).trim())
}

#[derive(Debug)]
struct Entry {
    text: String,
    page: bool,
    bullet: bool,
}

/// Parse the contents starting right after the marker at `blocks[start]`.
/// Returns the contents and the index of the first body block.
pub fn parse(blocks: &[Block], start: usize, sections: &SectionNames) -> (Toc, usize) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut end = blocks.len();
    for (i, block) in blocks.iter().enumerate().skip(start) {
        // A block far longer than any entry (leader dots included) is prose:
        // decided before any pattern runs over it, so a huge paragraph costs
        // nothing here.
        if block.text.chars().nth(ENTRY_MAX_CHARS).is_some() {
            end = i;
            if entries.last().is_some_and(|e| !e.page && !e.bullet) {
                entries.pop();
                end = i - 1;
            }
            break;
        }
        let (text, bullet) = strip_bullet(&block.text);
        // PAGE ends in a digit (`\d`, a numeric character): most blocks
        // are turned down without running it.
        let may_have_page = text.chars().next_back().is_some_and(char::is_numeric);
        let (text, page) = match may_have_page.then(|| PAGE.captures(text)).flatten() {
            Some(c) if !c[2].starts_with('0') => {
                (c.get(1).map_or("", |m| m.as_str()).to_string(), true)
            }
            _ => (text.to_string(), false),
        };
        let k = key(&text);
        // The body starts where an entry repeats: its first heading or title.
        if !page && seen.contains(&k) {
            end = i;
            break;
        }
        // Or where prose starts (a contents without the body's first title
        // printed again): give back the previous block, the first title.
        if layout::ends_sentence(&text) || text.chars().count() > 2 * layout::TITLE_MAX_CHARS {
            end = i;
            if entries.last().is_some_and(|e| !e.page && !e.bullet) {
                entries.pop();
                end = i - 1;
            }
            break;
        }
        seen.insert(k);
        entries.push(Entry { text, page, bullet });
    }
    (build(entries, sections), end)
}

/// Turn raw entries into titles and sections.
fn build(entries: Vec<Entry>, sections: &SectionNames) -> Toc {
    let has_pages = entries.iter().any(|e| e.page);
    let mut toc = Toc::default();
    let mut section: Option<String> = None;
    let mut pending: Option<String> = None;
    for (i, entry) in entries.iter().enumerate() {
        let k = key(&entry.text);
        let is_section = sections.contains(&k)
            || (has_pages
                && !entry.page
                && !entry.bullet
                && k.chars().count() <= 8
                && pending.is_none());
        if is_section && pending.is_none() {
            section = Some(k.clone());
            toc.sections.push(k);
            continue;
        }
        let mut title = pending.take().unwrap_or_default();
        title.push_str(&entry.text);
        // A long title split over lines: the page number is on its last line.
        if has_pages && !entry.page && entries.get(i + 1).is_some_and(|n| n.page && !n.bullet) {
            pending = Some(title);
            continue;
        }
        toc.titles.push((key(&title), section.clone()));
    }
    if let Some(title) = pending {
        toc.titles.push((key(&title), section));
    }
    toc
}

fn strip_bullet(text: &str) -> (&str, bool) {
    for bullet in [
        "- ", "-", "· ", "·", "• ", "•", "● ", "●", "◆", "▪", "■", "○",
    ] {
        if let Some(rest) = text.strip_prefix(bullet) {
            return (rest.trim_start(), true);
        }
    }
    (text, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(lines: &[&str]) -> Vec<Block> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Block {
                text: t.to_string(),
                line: i + 1,
            })
            .collect()
    }

    fn sections() -> SectionNames {
        SectionNames::from_names(["经济热点", "产业动向", "科创聚焦"])
    }

    #[test]
    fn contents_with_pages_and_sections() {
        let b = blocks(&[
            "目 录",
            "经济热点",
            "上海启用全国首家市域物联网运营中心 3",
            "产业动向",
            "上海临港新片区 10 大政策助人工智能产业发展 4",
            "上海七部门联合制发告知书确保国家降电价政策落实到位 ... 10",
            "广东“双百行动”重大项目用地审批时间压缩 75%..... 20",
            "上海启用全国首家市域物联网运营中心",
            "10月21日，上海市“一网统管”市域物联网运营中心正式启用。",
        ]);
        let (toc, end) = parse(&b, 1, &sections());
        assert_eq!(end, 7);
        assert_eq!(toc.sections, ["经济热点", "产业动向"]);
        let titles: Vec<&str> = toc.titles.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            titles,
            [
                "上海启用全国首家市域物联网运营中心",
                "上海临港新片区10大政策助人工智能产业发展",
                "上海七部门联合制发告知书确保国家降电价政策落实到位",
                "广东“双百行动”重大项目用地审批时间压缩75%",
            ]
        );
        assert_eq!(
            toc.section_of("上海启用全国首家市域物联网运营中心"),
            Some("经济热点")
        );
        assert_eq!(
            toc.section_of("上海临港新片区10大政策助人工智能产业发展"),
            Some("产业动向")
        );
    }

    #[test]
    fn bullets_without_pages_and_unknown_section_names() {
        let b = blocks(&[
            "目 录",
            "要情速览",
            "- 上海技术交易所开市 建成服务全国技术转移交易网络 3",
            "上海成立长三角投资公司服务一体化发展国家战略 12",
            "上海技术交易所开市 建成服务全国技术转移交易网络",
            "10月28日，上海技术交易所正式开市。",
        ]);
        let (toc, end) = parse(&b, 1, &sections());
        assert_eq!(end, 4);
        assert_eq!(toc.sections, ["要情速览"]);
        assert_eq!(toc.titles.len(), 2);
    }

    #[test]
    fn title_split_over_two_lines() {
        let b = blocks(&[
            "目 录",
            "经济热点",
            "上海七部门联合制发告知书确保国家",
            "降电价政策落实到位 10",
            "上海启用全国首家市域物联网运营中心 12",
            "经济热点",
        ]);
        let (toc, end) = parse(&b, 1, &sections());
        assert_eq!(end, 5);
        assert_eq!(
            toc.titles[0].0,
            "上海七部门联合制发告知书确保国家降电价政策落实到位"
        );
    }

    #[test]
    fn contents_not_repeated_in_body() {
        let b = blocks(&[
            "目 录",
            "- 长三角一体化发展步入认识高度统一、加快推进新阶段",
            "- 推动长三角成全国 5G 示范区",
            "自 2018 年以来，长三角区域一体化发展步入认识高度统一、加快推进的新阶段。",
        ]);
        let (toc, end) = parse(&b, 1, &sections());
        assert_eq!(end, 3);
        assert_eq!(toc.titles.len(), 2);
        // Without bullets the last entry is the body's first title.
        let b = blocks(&[
            "目 录",
            "推动长三角成全国 5G 示范区 3",
            "长三角一体化发展步入新阶段",
            "自 2018 年以来，长三角区域一体化发展步入加快推进的新阶段。",
        ]);
        let (toc, end) = parse(&b, 1, &sections());
        assert_eq!(end, 2);
        assert_eq!(toc.titles.len(), 1);
    }
}
