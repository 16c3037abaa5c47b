//! Blocks → header, contents, sections and articles.
//!
//! After [`layout`](super::layout) every block is a paragraph, a title or a
//! heading. A title is a short block without sentence punctuation that is
//! followed by prose; a section heading is a shorter such block followed by a
//! title. The table of contents, when there is one, confirms both and
//! supplies the section of an article whose heading the body lost. Numbered
//! sub-headings (一、… 二是… （三）… 1.…) are body, never titles.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use super::document;
use super::header;
use super::items;
use super::layout::{self, Block};
use super::sections::SectionNames;
use super::toc::{self, Toc, TocIndex};
use super::{key, key_eq, key_within};
use crate::record::BulletinMeta;

/// One article as segmented, before ids and metadata are attached.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segment {
    pub section: Option<String>,
    /// Title with whitespace removed, as printed otherwise.
    pub title: String,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// The day a chronicle's item is filed under (`一日`, `是日`), resolved
    /// against its issue's month.
    pub date: Option<chrono::NaiveDate>,
}

/// A segmented bulletin.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Segmented {
    pub meta: BulletinMeta,
    pub toc: Toc,
    pub articles: Vec<Segment>,
}

/// Lines that attribute or annotate rather than title: `（来源：…）`, `来源：…`.
static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[（(【\[]|^(?:来源|资料来源|信息来源|供稿|编辑|责任编辑|审核|报送|抄送|附件|注)\s*[:：]",
    )
    .expect("valid regex")
});

/// Does the text start like a bulletin: a header (masthead, issue number,
/// publisher) or a table of contents near the top?
pub fn has_bulletin_header(blocks: &[Block]) -> bool {
    if header::find(blocks).is_some() {
        return true;
    }
    let (meta, end) = header::parse(blocks);
    (meta.title.is_some() && (meta.issue.is_some() || meta.date.is_some()))
        || meta.issue.is_some()
        || blocks
            .iter()
            .skip(end)
            .take(3)
            .any(|b| toc::is_marker(&b.text))
}

/// Segment a bulletin's blocks. Takes them by value so that paragraph text
/// moves into the articles instead of being copied: a bulletin costs its
/// size once here, however large.
pub fn segment(mut blocks: Vec<Block>, sections: &SectionNames) -> Segmented {
    let (mut meta, mut start) = header::parse(&blocks);
    if meta == BulletinMeta::default() {
        // A saved page's own title and info line above the masthead: the
        // info line's date is the issue's when the header prints none.
        if let Some((at, found, end)) = header::find(&blocks) {
            let page_date = blocks[..at]
                .iter()
                .filter_map(|b| document::parse_meta_line(&b.text))
                .filter_map(|m| m.date.map(|d| (m.date_rank, d)))
                .min_by_key(|&(rank, _)| rank)
                .map(|(_, d)| d);
            meta = found;
            meta.date = meta.date.or(page_date);
            start = end;
        }
    }
    let mut contents = Toc::default();
    if blocks.get(start).is_some_and(|b| toc::is_marker(&b.text)) {
        let (parsed, end) = toc::parse(&blocks, start + 1, sections);
        contents = parsed;
        start = end;
    }
    let mut body = remove_running_heads(&blocks, start, &meta);

    // A date alone at the very end is the issue's date line.
    if let Some(&last) = body.last() {
        if let Some(date) = header::parse_date_line(&blocks[last].text) {
            meta.date.get_or_insert(date);
            body.pop();
        }
    }

    // A digest of numbered or bulleted items without contents: one article
    // per item.
    if contents.is_empty() {
        let texts: Vec<&str> = body.iter().map(|&i| blocks[i].text.as_str()).collect();
        if let Some(starts) = items::starts(&texts, is_prose, is_item_title) {
            // The month the days count in: a period line in the header, else
            // the issue's date.
            let at = blocks[..start]
                .iter()
                .find_map(|b| items::year_month(&b.text))
                .or(meta
                    .date
                    .map(|d| (chrono::Datelike::year(&d), chrono::Datelike::month(&d))));
            let articles = item_articles(&mut blocks, &body, &starts, at);
            return Segmented {
                meta,
                toc: contents,
                articles,
            };
        }
    }

    let index = contents.index();
    let roles = {
        let refs: Vec<&Block> = body.iter().map(|&i| &blocks[i]).collect();
        classify(&refs, &index, sections)
    };
    let mut articles: Vec<Segment> = Vec::new();
    let mut section: Option<String> = None;
    // Body blocks before the first title.
    let mut preamble: Vec<usize> = Vec::new();
    for (&i, role) in body.iter().zip(&roles) {
        match role {
            Role::Section => section = Some(key(&blocks[i].text)),
            Role::Title => {
                let title = key_preserving(&blocks[i].text);
                let toc_section = index.section_of(&key(&blocks[i].text)).map(str::to_string);
                articles.push(Segment {
                    section: toc_section.or_else(|| section.clone()),
                    title,
                    paragraphs: Vec::new(),
                    date: None,
                });
            }
            Role::Body => match articles.last_mut() {
                Some(article) => article.paragraphs.push(std::mem::take(&mut blocks[i].text)),
                None => preamble.push(i),
            },
        }
    }
    drop(index);
    if articles.is_empty() && !body.is_empty() {
        // No title anywhere: the whole body is one article.
        let texts = body
            .iter()
            .map(|&i| std::mem::take(&mut blocks[i].text))
            .collect();
        articles.push(whole_text_article(texts));
    } else if preamble.iter().any(|&i| is_prose(&blocks[i].text)) {
        // Prose before the first title (an editor's note, or an article
        // whose title was not recognised) is kept as an untitled article
        // rather than lost; a preamble of short lines only is page
        // furniture (`内部资料`, `（内部刊物 注意保存）`).
        let paragraphs = preamble
            .iter()
            .map(|&i| std::mem::take(&mut blocks[i].text))
            .collect();
        articles.insert(
            0,
            Segment {
                section: None,
                title: String::new(),
                paragraphs,
                date: None,
            },
        );
    }
    Segmented {
        meta,
        toc: contents,
        articles,
    }
}

/// A single page whose text is a digest's bulleted items or a chronicle's
/// days (`大事记`, `要闻` pages): one untitled or titled article per item.
/// Numbered parts are not items here: a document's `一、二、三、` are its
/// own sections.
pub fn document_items(
    paragraphs: Vec<String>,
    at: Option<(i32, u32)>,
) -> Result<Vec<Segment>, Vec<String>> {
    let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    let Some(starts) = items::starts(&texts, is_prose, is_item_title) else {
        return Err(paragraphs);
    };
    if starts.len() < 3
        || texts
            .iter()
            .any(|t| matches!(items::marker(t), Some((items::Marker::Number(_), _))))
    {
        return Err(paragraphs);
    }
    let mut blocks: Vec<Block> = paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, text)| Block { text, line: i + 1 })
        .collect();
    let body: Vec<usize> = (0..blocks.len()).collect();
    Ok(item_articles(&mut blocks, &body, &starts, at))
}

/// Articles of a digest's items: `starts` index into `body`. Short headings
/// before an item are its section; an item's text after the marker is its
/// title when it is a headline, else the item is untitled prose.
fn item_articles(
    blocks: &mut [Block],
    body: &[usize],
    starts: &[usize],
    mut at: Option<(i32, u32)>,
) -> Vec<Segment> {
    let mut articles = Vec::new();
    let mut section: Option<String> = None;
    let mut previous: Option<chrono::NaiveDate> = None;
    let chronicle = starts.iter().any(|&s| {
        matches!(
            items::marker(&blocks[body[s]].text),
            Some((items::Marker::Day, _))
        )
    });
    // Month headings before the first item (`一月`).
    for &b in &body[..starts.first().copied().unwrap_or(0)] {
        if let Some(year) = items::year_heading(&blocks[b].text) {
            at = Some((year, at.map_or(1, |(_, m)| m)));
        }
        if let (Some(month), Some((year, _))) = (items::month_heading(&blocks[b].text), at) {
            at = Some((year, month));
        }
    }
    for (k, &s) in starts.iter().enumerate() {
        // Headings between the previous item's text and this one.
        let end = starts.get(k + 1).copied().unwrap_or(body.len());
        let lead = blocks[body[s]].text.clone();
        let skip = items::marker(&lead).map_or(0, |(_, len)| len);
        let after = lead[skip..].trim();
        let mut paragraphs: Vec<String> = Vec::new();
        // A chronicle's day is never a title: its items are untitled.
        let day = matches!(items::marker(&lead), Some((items::Marker::Day, _)));
        // In a chronicle a bullet (`△…`) files another event under the
        // day before it.
        let date = if day {
            items::item_day(&lead, &mut at, previous)
        } else if chronicle {
            previous
        } else {
            None
        };
        previous = date.or(previous);
        // `● 黔江区 ●`: a bullet on both sides frames the title.
        let after = after.trim_end_matches(['●', '◆', '■', '★', '☆', '▲', '△', '◇', '□', '•', ' ']);
        let title = if !day && is_title_shaped(after) {
            key_preserving(after)
        } else {
            paragraphs.push(if skip == 0 {
                std::mem::take(&mut blocks[body[s]].text)
            } else {
                after.to_string()
            });
            String::new()
        };
        let mut next_section = None;
        for &b in &body[s + 1..end] {
            let text = &blocks[b].text;
            if let Some(year) = items::year_heading(text) {
                at = Some((year, 1));
                continue;
            }
            if let (Some(month), Some((year, _))) = (items::month_heading(text), at) {
                at = Some((year, month));
                continue;
            }
            // The next page of a chronicle (`…大事记（2023年9月）`), its info
            // line or breadcrumb: the month moves on, nothing joins the text.
            if !is_prose(text) && (header::is_masthead(text) || document::is_standalone(text)) {
                if let Some(month) = items::year_month(text) {
                    at = Some(month);
                }
                continue;
            }
            // A short heading right before the next item titles its section.
            if is_heading_shaped(&key(text))
                && is_title_shaped(text)
                && starts.get(k + 1).is_some()
                && b == body[end - 1]
            {
                next_section = Some(key(text));
                continue;
            }
            paragraphs.push(std::mem::take(&mut blocks[b].text));
        }
        if k == 0 {
            // Headings before the first item: the last one is its section.
            section = body[..s]
                .iter()
                .rev()
                .map(|&b| &blocks[b].text)
                .find(|t| is_heading_shaped(&key(t)))
                .map(|t| key(t));
        }
        articles.push(Segment {
            section: section.clone(),
            title,
            paragraphs,
            date,
        });
        if next_section.is_some() {
            section = next_section;
        }
    }
    articles
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Section,
    Title,
    Body,
}

/// Decide every block's role, looking one and two blocks ahead.
fn classify(body: &[&Block], contents: &TocIndex<'_>, sections: &SectionNames) -> Vec<Role> {
    let n = body.len();
    let mut roles = vec![Role::Body; n];
    // Only a block short enough to be a title, a heading or a contents
    // entry has a key worth comparing; a long paragraph gets none, so that
    // nothing here copies or compares a whole paragraph.
    let longest = contents
        .longest_key()
        .max(sections.longest())
        .max(layout::TITLE_MAX_CHARS);
    let keys: Vec<Option<String>> = body.iter().map(|b| key_within(&b.text, longest)).collect();
    let candidate: Vec<bool> = body.iter().map(|b| is_title_shaped(&b.text)).collect();
    let prose = |i: usize| i < n && !candidate[i];
    // Contents that list every title the body prints are the authority:
    // then a title-shaped block that the contents do not list is body (a
    // sub-heading or a fragment), not a new article.
    let printed: HashSet<&str> = keys.iter().flatten().map(String::as_str).collect();
    let found = contents.titles().filter(|t| printed.contains(t)).count();
    let authoritative = contents.title_count() >= 3 && found == contents.title_count();
    for i in 0..n {
        let Some(k) = keys[i].as_deref() else {
            continue;
        };
        if contents.has_title(k) {
            roles[i] = Role::Title;
        } else if contents.has_section(k) || (sections.contains(k) && candidate[i]) {
            roles[i] = Role::Section;
        } else if authoritative {
            continue;
        } else if candidate[i] && prose(i + 1) {
            roles[i] = Role::Title;
        } else if candidate[i]
            && is_heading_shaped(k)
            && i + 2 <= n
            && candidate.get(i + 1).copied().unwrap_or(false)
            && prose(i + 2)
        {
            roles[i] = Role::Section;
        }
    }
    roles
}

/// A block that could be a title: short, no sentence punctuation, not a
/// numbered sub-heading, not a note or a date. The length test comes first
/// and looks at most at [`layout::TITLE_MAX_CHARS`] characters, so a huge
/// paragraph is turned down at once.
fn is_title_shaped(text: &str) -> bool {
    layout::could_be_title(text)
        && text.chars().nth(1).is_some()
        && !layout::ends_sentence(text)
        && !text.ends_with(['，', '、', '：', ':', '；', ';', ',', '“', '《', '（'])
        && !layout::is_subheading(text)
        && !NOTE.is_match(text)
        && header::parse_date_line(text).is_none()
        && text.chars().any(|c| c.is_alphabetic())
}

/// A title of an item, not a masthead repeated on a chronicle's next page.
fn is_item_title(text: &str) -> bool {
    is_title_shaped(text) && !header::is_masthead(text)
}

/// A sentence, or a block too long to be a title or a page furniture line.
fn is_prose(text: &str) -> bool {
    layout::ends_sentence(text) || text.chars().nth(layout::TITLE_MAX_CHARS).is_some()
}

/// Section headings are a few characters of plain words.
fn is_heading_shaped(k: &str) -> bool {
    let n = k.chars().count();
    (2..=8).contains(&n) && k.chars().all(|c| c.is_alphabetic())
}

/// Page headers repeated on every page of a PDF: the masthead, or any short
/// line printed three or more times. Returns the indices of the blocks from
/// `start` on that are kept. Only title-shaped (short) blocks are counted.
fn remove_running_heads(blocks: &[Block], start: usize, meta: &BulletinMeta) -> Vec<usize> {
    let blocks = blocks.get(start..).unwrap_or_default();
    let keys: Vec<Option<String>> = blocks
        .iter()
        .map(|b| is_title_shaped(&b.text).then(|| key(&b.text)))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for k in keys.iter().flatten() {
        *counts.entry(k.as_str()).or_default() += 1;
    }
    let masthead = meta.title.as_deref().map(key);
    (0..blocks.len())
        .filter(|&i| {
            if masthead
                .as_deref()
                .is_some_and(|m| key_eq(&blocks[i].text, m))
            {
                return false;
            }
            keys[i]
                .as_deref()
                .map_or(true, |k| counts.get(k).copied().unwrap_or(0) < 3)
        })
        .map(|i| start + i)
        .collect()
}

/// No title anywhere: the whole text is one article, titled by its first
/// block if that block is short; a single short block is a title alone.
fn whole_text_article(mut texts: Vec<String>) -> Segment {
    let first = &texts[0];
    let short =
        first.chars().nth(layout::TITLE_MAX_CHARS).is_none() && !layout::ends_sentence(first);
    if short && (texts.len() > 1 || is_title_shaped(first)) {
        let title = key_preserving(&texts.remove(0));
        Segment {
            section: None,
            title,
            paragraphs: texts,
            date: None,
        }
    } else {
        Segment {
            section: None,
            title: String::new(),
            paragraphs: texts,
            date: None,
        }
    }
}

/// Title as printed, whitespace removed (ENTITIES.md: "the title is exactly
/// as printed above its body (whitespace removed)").
fn key_preserving(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
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
        SectionNames::from_names(["经济热点", "产业动向", "科创聚焦", "政策举措"])
    }

    #[test]
    fn subheadings_are_body() {
        for s in [
            "《告知书》主要包括以下四方面内容：一是明确了转供",
            "一、突出互联互通，重大基础设施项目加快落地",
            "二是创业“有扶持”",
            "（三）加强组织领导",
            "1.总体要求",
            "三、扇面向外",
            "第一，坚持",
        ] {
            assert!(!is_title_shaped(s), "{s}");
        }
        for s in [
            "上海启用全国首家市域物联网运营中心",
            "长三角(上海)互联网医院投入运行 提升健康服务能级",
            "推动长三角成全国 5G 示范区",
            "10 大政策助力",
        ] {
            assert!(is_title_shaped(s), "{s}");
        }
    }

    #[test]
    fn sections_titles_and_bodies() {
        let b = blocks(&[
            "产业动向",
            "上海临港新片区大飞机园启动",
            "上海市航空航天产业特色园区授牌暨临港新片区大飞机园启动仪式10月23日举行。",
            "目前，临港新片区大飞机园的产业规划与空间布局规划已基本形成方案。",
            "要情速览",
            "山东省明确新型智慧城市建设推进目标",
            "山东省近日印发《关于加快推进新型智慧城市建设的指导意见》。",
            "一、突出互联互通，重大基础设施项目加快落地",
            "着力加强交通基础设施建设。",
        ]);
        let s = segment(b, &sections());
        assert_eq!(s.articles.len(), 2);
        assert_eq!(s.articles[0].section.as_deref(), Some("产业动向"));
        assert_eq!(s.articles[0].title, "上海临港新片区大飞机园启动");
        assert_eq!(s.articles[0].paragraphs.len(), 2);
        // An unknown heading is recognised by its shape.
        assert_eq!(s.articles[1].section.as_deref(), Some("要情速览"));
        assert_eq!(s.articles[1].paragraphs.len(), 3);
    }

    #[test]
    fn contents_supply_lost_heading_and_trailing_date_is_the_issue_date() {
        let b = blocks(&[
            "长三角每周要讯",
            "2020 年第 192 期",
            "目 录",
            "经济热点",
            "上海启用全国首家市域物联网运营中心 3",
            "上海启用全国首家市域物联网运营中心",
            "10月21日，上海市“一网统管”市域物联网运营中心正式启用。",
            "2020 年 10 月 23 日",
        ]);
        let s = segment(b, &sections());
        assert_eq!(s.meta.date, chrono::NaiveDate::from_ymd_opt(2020, 10, 23));
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.articles[0].section.as_deref(), Some("经济热点"));
        assert_eq!(s.articles[0].paragraphs.len(), 1);
    }

    #[test]
    fn running_heads_are_removed() {
        let mut lines = vec![];
        for i in 0..3 {
            lines.push("长三角每周要讯·第 192 期");
            lines.push(if i == 0 {
                "上海启用全国首家市域物联网运营中心"
            } else {
                "该中心将持续建设。"
            });
            lines.push("10月21日，上海市“一网统管”市域物联网运营中心正式启用。");
        }
        let s = segment(blocks(&lines), &sections());
        assert_eq!(s.articles.len(), 1);
        assert!(s.articles[0].paragraphs.iter().all(|p| !p.contains("要讯")));
    }

    #[test]
    fn prose_before_the_first_title_is_kept_short_furniture_is_not() {
        let b = blocks(&[
            "（内部刊物 注意保存）",
            "编者按：本期聚焦长三角一体化发展的新进展，供参阅。",
            "上海启用全国首家市域物联网运营中心",
            "10月21日，上海市“一网统管”市域物联网运营中心正式启用。",
        ]);
        let s = segment(b, &sections());
        assert_eq!(s.articles.len(), 2);
        assert_eq!(s.articles[0].title, "");
        assert_eq!(
            s.articles[0].paragraphs,
            [
                "（内部刊物 注意保存）",
                "编者按：本期聚焦长三角一体化发展的新进展，供参阅。"
            ]
        );
        assert_eq!(s.articles[1].title, "上海启用全国首家市域物联网运营中心");
        let b = blocks(&[
            "（内部刊物 注意保存）",
            "上海启用全国首家市域物联网运营中心",
            "10月21日，运营中心正式启用。",
        ]);
        let s = segment(b, &sections());
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.articles[0].title, "上海启用全国首家市域物联网运营中心");
    }

    #[test]
    fn a_title_alone_is_a_title_only_article() {
        let s = segment(blocks(&["上海启用全国首家市域物联网运营中心"]), &sections());
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.articles[0].title, "上海启用全国首家市域物联网运营中心");
        assert!(s.articles[0].paragraphs.is_empty());
    }

    #[test]
    fn no_structure_is_one_article() {
        let s = segment(
            blocks(&["今天天气很好，我们去公园。", "明天也去。"]),
            &sections(),
        );
        assert_eq!(s.articles.len(), 1);
        assert_eq!(s.articles[0].title, "");
        assert_eq!(s.articles[0].paragraphs.len(), 2);
    }
}

#[cfg(test)]
mod chronicle_tests {
    use super::*;

    #[test]
    fn a_chronicle_dates_its_items() {
        let lines = [
            "山东省人民政府大事记",
            "(2011年6月)",
            "一日 省委书记会见来宾一行。",
            "△全省铁路建设工作会议在济南召开。",
            "二日 全国会议在烟台召开。",
        ];
        let b: Vec<Block> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| Block {
                text: t.to_string(),
                line: i + 1,
            })
            .collect();
        let s = segment(b, &SectionNames::default());
        let dates: Vec<_> = s
            .articles
            .iter()
            .map(|a| a.date.map(|d| d.to_string()))
            .collect();
        assert_eq!(
            dates,
            [
                Some("2011-06-01".into()),
                Some("2011-06-01".into()),
                Some("2011-06-02".into())
            ]
        );
    }
}
