//! Single documents: a notice, plan, news report, work report or saved web
//! page is one article, titled by its headline.
//!
//! What stands around a document's text is not its title: the page's
//! breadcrumb and section labels (`当前位置：首页 > 政务公开`), the info line
//! (`来源：… 发布时间：2023-06-09 15:30 浏览次数：`), a dateline, a red
//! header (`XX人民政府文件`) and document number (`X政办发〔2024〕12号`), and
//! at the end a signature block (issuer, date, `（此件公开发布）`). These are
//! recognised by their shape, parsed into [`DocumentMeta`] fields and a
//! publication date, and kept out of the title. The headline is the
//! title-shaped line right above the info line when there is one, else the
//! first title-shaped line of the front matter, joined with the next line
//! when it is printed over two.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::layout::{self, Block};
use crate::calendar;
use crate::record::{DateSource, DocumentMeta};
use crate::script;

/// How many leading blocks may be front matter (before the body starts).
const FRONT_MAX: usize = 16;

/// A document, segmented.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The headline, whitespace removed; empty when none was found.
    pub title: String,
    pub paragraphs: Vec<String>,
    pub meta: DocumentMeta,
    pub published: Option<(NaiveDate, DateSource)>,
}

/// What the format reader knew (an HTML page's headline and info lines).
#[derive(Debug, Clone, Default)]
pub struct Hints {
    pub title: Option<String>,
    pub meta_lines: Vec<String>,
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(发布时间|发布日期|发文日期|成文日期|印发日期|公开日期|刊发日期|生成日期|更新时间|更新日期|发稿时间|日期|时间",
        r"|信息来源|文章来源|稿件来源|新闻来源|来源|作者|撰稿|记者|通讯员|责任编辑|编辑|审核|审校|供稿",
        r"|索引号|发文字号|文号|发文机关|发布机构|发布单位|主题分类|主题词|体裁分类|有效性|效力状态|公开目录|公开责任部门|公开形式|公开方式|公开范围|政策解读|所属机构|所属主题|信息分类",
        r"|浏览次数|访问次数|阅读次数|浏览量|阅读量|点击数|点击量|点击率|点击|字号|字体|分享到|分享",
        r"|标题|信息名称|文件编号|分类|公开类别|页码|所属栏目)",
        r"\s*(?:[:：]|\s*[|丨]\s*)"
    ))
    .expect("valid regex")
});

/// Page furniture that is never title or text: breadcrumbs and UI words.
static FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^.{0,8}?(?:您的位置|你的位置|当前位置|您当前的位置|你当前的位置|您现在的位置|所在位置|当前的位置|位置)\s*[:：]",
        r"|^首页\s*(?:>|＞|›|»|/|→)",
        r"|(?:>|＞|›|»)\s*正文$",
        r"|^[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|纠错|扫一扫在手机打开当前页|保存本页)\s*[】\]]?(?:\s*[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|纠错)\s*[】\]]?)*$",
        r"|^[【\[]?\s*(?:字号|字体)\s*[:：]?\s*大\s*中\s*小",
        r"|^大\s*中\s*小$",
        r"|^扫一扫",
        r"|^欢迎(?:访问|来到|光临|您)",
        r"|^(?:返回目录|上一篇|下一篇|放大|缩小|全文复制|\s)+$",
        // a newspaper's page label: `第A02版：综合新闻`, `5：综合`
        r"|^第?\s*[A-Z]?\d{1,3}\s*版",
        r"|^[|丨\s]+$",
    ))
    .expect("valid regex")
});

/// `发布时间 2022-01-29`: a label its value follows after spaces, no colon.
static SPACED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(发布时间|发布日期|成文日期|公开日期|索引号|文件编号|发文字号|发布机构|发文机关|公开类别|主题分类|信息来源)\s+\S").expect("valid regex")
});

/// How a list of addressees ends: the bodies it names.
static ADDRESSEE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:政府|部门|单位|机构|企业|委员会|办事处|管委会|公署|直属机构)$")
        .expect("valid regex")
});

/// A digest's issue line: `总第4059期 …编印`, `第43期(总第69期)`.
static ISSUE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"第\s*\d+\s*期.*(?:编印|主办|印发|编)|总第\s*\d+\s*期").expect("valid regex")
});

/// `粤府办〔2023〕12号`, `新政发〔2020〕16号`, `商财预[2019]148号`.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[\p{Han}]{1,12}\s*[〔\[［(（【]\s*(?:19|20)\d\d\s*[〕\]］)）】]\s*\d{1,4}\s*[号號]$",
    )
    .expect("valid regex")
});

/// A headline that names a document: `关于…的通知`, `…实施方案`, `政府工作报告`.
static DOC_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:通知|通告|公告|公示|意见|方案|办法|规定|决定|报告|批复|复函|函|通报|细则|规划|纲要|要点|措施|条例|规则|解读|讲话|议案|决议|指引|指南|清单|目录|计划)",
        r"[)）》」]?(?:\s*[(（][^()（）]{1,20}[)）])?$"
    ))
    .expect("valid regex")
});

/// The issuer in a signature block or red header: a body's name.
static ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:人民政府|政府|公署|办公厅|办公室|委员会|委|厅|局|部|办|中心|管委会|领导小组|指挥部|政协|人大常委会|党委|党组)$")
        .expect("valid regex")
});

/// A news dateline or byline opening the first paragraph:
/// `本报讯（记者 …）`, `新华社北京3月2日电`, `…客户端3月2日讯(记者…)`.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.{0,30}?(?:讯|电)\s*[(（]?\s*(?:记者|通讯员|实习生|融媒体)|^本报讯|^[(（]\s*(?:记者|通讯员)").expect("valid regex")
});

/// `各市、县人民政府，省政府各部门：`: the addressees; the body starts here
/// (hard-wrapped text may have joined the first paragraph onto them).
fn is_addressee(text: &str) -> bool {
    let folded = script::simplified(text);
    let t = folded.trim();
    let Some(colon) = t.find(['：', ':']) else {
        // `区政府各委、办、局，各街道办事处、镇政府`: the list alone, its colon lost.
        return t.contains('各')
            && t.contains('、')
            && !t.contains(['。', '；'])
            && t.chars().count() <= 80
            && ADDRESSEE_END.is_match(t);
    };
    let head = &t[..colon];
    head.chars().count() <= 80
        && (head.starts_with('各')
            || head.contains('、')
            || head.contains('，')
            || head.contains(','))
        && !head.contains(['。', '；'])
        && LABEL.find(head).is_none()
}

/// Every metadata line, piece of furniture or document number has one of
/// these: a colon, a bar, a breadcrumb arrow, a bracket of a document number,
/// a date's digit or numeral first, or a UI word. Layout asks about every
/// line, so most are turned down here without a pattern.
fn has_standalone_cue(t: &str) -> bool {
    t.contains([
        ':', '：', '|', '丨', '>', '＞', '›', '»', '〔', '[', '［', '【', '版', '期', '号',
    ]) || t.starts_with(|c: char| c.is_ascii_digit() || "〇○零一二".contains(c))
        || ["打印", "关闭", "扫一扫", "大 中 小", "首页", "收藏"]
            .iter()
            .any(|w| t.contains(w))
}

/// A line that stands alone whatever the layout: a metadata line, page
/// furniture or a document number. Hard-wrapped text never joins it to
/// its neighbours.
pub fn is_standalone(text: &str) -> bool {
    let folded = script::simplified(text);
    let t = folded.trim();
    if t.chars().nth(160).is_some() || !has_standalone_cue(t) {
        return false;
    }
    is_furniture(t) || DOC_NUMBER.is_match(t) || parse_meta_line(t).is_some()
}

/// The fields of one metadata line, or `None` if it is no metadata line.
pub fn parse_meta_line(text: &str) -> Option<MetaLine> {
    // Labels in traditional script (`發布時間`, `來源`) read as simplified;
    // values come out simplified too.
    let folded = script::simplified(text);
    // `分  类：…`, `标      题：…`: a label letter-spaced to align a table.
    let despaced = despace_label(
        folded
            .trim()
            .trim_start_matches(['•', '·', '●', '▪'])
            .trim_start(),
    );
    let text = despaced.as_ref();
    if text.is_empty() || text.chars().count() > 160 {
        return None;
    }
    let mut labels: Vec<_> = LABEL.captures_iter(text).collect();
    // `发布时间 2022-01-29`, `文件编号 浦府〔2022〕1号`: a label at the start of a
    // short line, its value after spaces, without a colon.
    if labels.is_empty() && text.chars().count() <= 60 {
        if let Some(c) = SPACED_LABEL.captures(text) {
            labels.push(c);
        }
    }
    let starts_with_label = labels.first().is_some_and(|c| {
        c.get(0).is_some_and(|m| {
            text[..m.start()]
                .trim_matches(|c: char| c.is_whitespace() || "【[（(".contains(c))
                .is_empty()
        })
    });
    let mut line = MetaLine::default();
    // A digest's page header: `第一版：要闻版 总第4059期 >2022-03-28编印`.
    if ISSUE_LINE.is_match(text) && text.chars().count() <= 60 {
        line.date = calendar::find_first(text).map(|f| f.date);
        // The first date of such a line may be the period it covers.
        line.date_rank = 2;
        return Some(line);
    }
    let leading_date = calendar::find_first(text).filter(|f| f.start == 0);
    if let (Some(f), Some(first)) = (leading_date, labels.first().and_then(|c| c.get(0))) {
        // `2020-07-08 19:13:27 来源：…`: a dateline with fields after it.
        if f.end <= first.start() && text[f.end..first.start()].trim().is_empty() {
            line.date = Some(f.date);
            line.date_rank = 1;
        }
    }
    // `呼兰区财政局 发布时间：2024-04-01`: the source, then a publication label.
    let publication_label = labels.iter().any(|c| {
        c.get(1).is_some_and(|l| {
            matches!(
                l.as_str(),
                "发布时间" | "发布日期" | "发文日期" | "公开日期"
            )
        })
    });
    if publication_label && !starts_with_label && labels.len() == 1 && text.chars().count() <= 60 {
        if let (Some(first), Some(date)) = (labels[0].get(0), calendar::find_first(text)) {
            line.date = Some(date.date);
            line.date_rank = 0;
            let before = text[..first.start()].trim();
            line.source = (!before.is_empty()).then(|| before.to_string());
            return Some(line);
        }
    }
    if line.date.is_none() && !starts_with_label && labels.len() < 2 {
        // A dateline alone: `2020年05月08日15:19`, `2023-06-09 15:30`.
        let date = calendar::parse_line(text)?;
        // A parenthesised date under a speech's title is its event date, left to the text.
        if text.starts_with(['(', '（']) {
            return None;
        }
        line.date = Some(date);
        line.date_rank = 1;
        return Some(line);
    }
    let mut date_rank = if line.date.is_some() { 1 } else { u8::MAX };
    for (k, c) in labels.iter().enumerate() {
        let (Some(all), Some(label)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let end = labels
            .get(k + 1)
            .and_then(|n| n.get(0))
            .map_or(text.len(), |m| m.start());
        let value = text[all.end()..end]
            .trim()
            .trim_matches(['【', '】', '[', ']', '|', '丨', ' '])
            .trim();
        let value = (!value.is_empty()).then(|| value.to_string());
        match label.as_str() {
            "发布时间" | "发布日期" | "公开日期" | "刊发日期" | "发稿时间" | "发文日期"
            | "日期" | "时间" | "成文日期" | "印发日期" | "生成日期" | "更新时间" | "更新日期" =>
            {
                // Publication first; the day a document was written or
                // the page last updated only where nothing else is said.
                let rank = match label.as_str() {
                    "发布时间" | "发布日期" | "公开日期" | "刊发日期" | "发稿时间" | "发文日期" => {
                        0
                    }
                    "日期" | "时间" => 1,
                    _ => 2,
                };
                if let Some(date) = value
                    .as_deref()
                    .and_then(calendar::find_first)
                    .map(|f| f.date)
                {
                    if line.date.is_none() || rank < date_rank {
                        line.date = Some(date);
                        date_rank = rank;
                        line.date_rank = rank;
                    }
                }
            }
            "信息来源" | "文章来源" | "稿件来源" | "新闻来源" | "来源" | "供稿" =>
            {
                line.source = line.source.or(value.map(|v| first_field(&v)));
            }
            "作者" | "撰稿" | "记者" | "通讯员" => {
                line.author = line.author.or(value.map(|v| first_field(&v)))
            }
            "发文字号" | "文号" => {
                line.number = line.number.or(value.map(|v| first_field(&v)))
            }
            "发文机关" | "发布机构" | "发布单位" => {
                line.issuer = line.issuer.or(value.map(|v| first_field(&v)))
            }
            "文件编号" => line.number = line.number.or(value.map(|v| first_field(&v))),
            "标题" | "信息名称" => line.title = line.title.or(value.map(|v| first_field(&v))),
            _ => {}
        }
    }
    Some(line)
}

/// A value runs to the next wide gap: `省政府办公厅  字号：…` → `省政府办公厅`.
fn first_field(value: &str) -> String {
    value.split("  ").next().unwrap_or(value).trim().to_string()
}

/// What one metadata line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaLine {
    pub date: Option<NaiveDate>,
    /// How much `date` says publication: 0 a publication label, 1 a bare
    /// date or `时间`, 2 the day it was written or updated.
    pub date_rank: u8,
    pub source: Option<String>,
    pub author: Option<String>,
    pub number: Option<String>,
    pub issuer: Option<String>,
    /// A `标题：` field: the document's headline, as the page's table gives it.
    pub title: Option<String>,
}

/// `分  类：…` → `分类：…`: the spaces inside a short label before its colon
/// go, so the label reads as one word.
fn despace_label(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(colon) = text.find(['：', ':']) else {
        return std::borrow::Cow::Borrowed(text);
    };
    let head = &text[..colon];
    let letters = head.chars().filter(|c| !c.is_whitespace()).count();
    if head.contains(char::is_whitespace)
        && (2..=6).contains(&letters)
        && head
            .chars()
            .all(|c| c.is_whitespace() || ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        let mut out: String = head.chars().filter(|c| !c.is_whitespace()).collect();
        out.push_str(&text[colon..]);
        return std::borrow::Cow::Owned(out);
    }
    std::borrow::Cow::Borrowed(text)
}

/// Breadcrumbs, print/close buttons, font-size switches.
pub fn is_furniture(text: &str) -> bool {
    FURNITURE.is_match(script::simplified(text).trim())
}

/// Does the start of this text look like a single document rather than a
/// bulletin: metadata lines, a red header or document number, addressees,
/// a document-type headline, or a news dateline?
pub fn looks_like_document(blocks: &[Block]) -> bool {
    let mut titles = 0;
    for (i, b) in blocks.iter().enumerate().take(FRONT_MAX) {
        let folded = script::simplified(&b.text);
        let t = folded.as_ref();
        if is_furniture(t) || DOC_NUMBER.is_match(t) || is_addressee(t) || DATELINE.is_match(t) {
            return true;
        }
        if parse_meta_line(t).is_some() {
            return true;
        }
        if is_headline_shaped(t) {
            titles += 1;
            if titles <= 2
                && DOC_TITLE.is_match(t)
                && blocks
                    .get(i + 1)
                    .is_some_and(|n| !is_headline_shaped(&n.text) || DOC_TITLE.is_match(&n.text))
            {
                return true;
            }
        }
        if is_body_start(t) {
            break;
        }
    }
    false
}

/// Segment a document's blocks into one article.
pub fn segment(mut blocks: Vec<Block>, hints: &Hints) -> Document {
    let mut doc = Document::default();
    // The best publication date so far, with its rank (lower is better).
    let mut publication: Option<(NaiveDate, u8)> = None;
    // A `标题：` field of the page's table names the headline.
    let mut table_title: Option<String> = None;
    let mut absorb = |m: MetaLine, doc: &mut Document| {
        if table_title.is_none() {
            table_title = m.title.clone();
        }
        if let Some(d) = m.date {
            if publication.map_or(true, |(_, rank)| m.date_rank < rank) {
                publication = Some((d, m.date_rank));
            }
        }
        let meta = &mut doc.meta;
        meta.source = meta.source.take().or(m.source);
        meta.author = meta.author.take().or(m.author);
        meta.number = meta.number.take().or(m.number);
        meta.issuer = meta.issuer.take().or(m.issuer);
    };
    for line in &hints.meta_lines {
        if let Some(m) = parse_meta_line(line) {
            absorb(m, &mut doc);
        }
    }

    // The front matter: the blocks before the body starts.
    let front_end = blocks
        .iter()
        .take(FRONT_MAX)
        .position(|b| is_body_start(&b.text))
        .unwrap_or(blocks.len().min(FRONT_MAX));
    let mut dropped = vec![false; blocks.len()];
    let mut candidates: Vec<usize> = Vec::new();
    let mut first_meta: Option<usize> = None;
    for i in 0..front_end {
        let folded = script::simplified(&blocks[i].text);
        let t = folded.trim();
        if is_furniture(t) {
            dropped[i] = true;
        } else if let Some(m) = parse_meta_line(t) {
            dropped[i] = true;
            first_meta.get_or_insert(i);
            absorb(m, &mut doc);
        } else if DOC_NUMBER.is_match(t) {
            dropped[i] = true;
            doc.meta.number.get_or_insert_with(|| compact(t));
        } else if is_headline_shaped(t) {
            candidates.push(i);
        }
    }

    // The headline.
    let hinted = hints.title.clone().or(table_title);
    let headline: Option<(usize, usize)> =
        if let Some(title) = hinted.as_deref().filter(|t| !t.trim().is_empty()) {
            doc.title = compact(title);
            // The same headline printed in the text is not body.
            if let Some(&i) = candidates
                .iter()
                .find(|&&i| compact(&blocks[i].text) == doc.title)
            {
                dropped[i] = true;
            }
            None
        } else {
            let pick = match first_meta {
                // The line right above the info line (skipping nothing but
                // other candidates' continuation).
                // A deck (副题) may stand between headline and info line: of
                // the run of title lines there, the first that is no label.
                Some(m) => {
                    let last = candidates.iter().rev().find(|&&i| i < m).copied();
                    let run: Vec<usize> = candidates
                        .iter()
                        .copied()
                        .filter(|&i| last.is_some_and(|l| i <= l && l - i < 2))
                        .collect();
                    run.iter()
                        .copied()
                        .find(|&i| {
                            blocks[i]
                                .text
                                .chars()
                                .filter(|c| !c.is_whitespace())
                                .count()
                                > 8
                        })
                        .or(last)
                        .or_else(|| candidates.first().copied())
                }
                None => candidates
                    .iter()
                    .copied()
                    .find(|&i| !is_red_header(&blocks, i)),
            };
            // `湖南省人民政府` over `关于同意…的批复`: one headline in two lines.
            let pick = pick.map(|i| {
                let joins = is_issuer(&blocks[i].text)
                    && blocks.get(i + 1).is_some_and(|n| {
                        is_headline_shaped(&n.text) && compact(&n.text).starts_with("关于")
                    });
                (i, joins)
            });
            pick.map(|(i, joins)| {
                let mut end = i + 1 + usize::from(joins);
                // Printed over two (or three) lines: the first is unbalanced,
                // or the next finishes a document title the first began.
                while end < front_end.max(i + 1)
                    && end - i < 3
                    && continues_headline(&blocks[end - 1].text, &blocks[end].text)
                {
                    end += 1;
                }
                // Above the info line, a two-line headline is two candidates.
                if let Some(m) = first_meta {
                    if end < m
                        && end == m - 1
                        && i > 0
                        && candidates.contains(&(i - 1))
                        && continues_headline(&blocks[i - 1].text, &blocks[i].text)
                    {
                        return (i - 1, end);
                    }
                    if i > 0
                        && candidates.contains(&(i - 1))
                        && !DOC_TITLE.is_match(&blocks[i - 1].text)
                        && unbalanced(&blocks[i - 1].text)
                    {
                        return (i - 1, end);
                    }
                }
                (i, end)
            })
        };
    if let Some((start, end)) = headline {
        doc.title = blocks[start..end]
            .iter()
            .map(|b| compact(&b.text))
            .collect();
        for d in &mut dropped[start..end] {
            *d = true;
        }
        // What stood above the headline in the front matter was page furniture
        // (site and section labels): short lines, never prose.
        for i in 0..start {
            if !is_body_start(&blocks[i].text) {
                dropped[i] = true;
            }
        }
    }
    // Red-header lines (`XX人民政府文件`) stay out of the body too.
    for (i, drop) in dropped.iter_mut().enumerate().take(front_end) {
        if is_red_header(&blocks, i) {
            *drop = true;
        }
    }

    // The signature block: an issuer and a date alone on their lines.
    let signature = find_signature(&blocks);
    if let Some((issuer, date)) = &signature {
        if let Some(name) = issuer {
            doc.meta.issuer.get_or_insert_with(|| name.clone());
        }
        doc.meta.signed = Some(*date);
    }
    // Furniture at the end (print/close buttons, QR-code prompts).
    for (i, b) in blocks.iter().enumerate().skip(front_end) {
        if is_furniture(&b.text) {
            dropped[i] = true;
        }
    }
    doc.published = match (publication, signature) {
        (Some((d, _)), _) => Some((d, DateSource::Publication)),
        (None, Some((_, d))) => Some((d, DateSource::Signature)),
        (None, None) => None,
    };
    doc.paragraphs = blocks
        .iter_mut()
        .zip(dropped)
        .filter(|(_, d)| !d)
        .map(|(b, _)| std::mem::take(&mut b.text))
        .collect();
    doc
}

/// The signature: the first full-date line that follows an issuer's name or
/// precedes `（此件公开发布）`, or ends the text. Returns the issuer's block
/// (if any) and the date's block and date.
fn find_signature(blocks: &[Block]) -> Option<(Option<String>, NaiveDate)> {
    for (i, b) in blocks.iter().enumerate().skip(1) {
        let t = b.text.trim();
        if t.starts_with(['(', '（']) {
            continue;
        }
        // `阿里地区行政公署 2021年11月9日`: issuer and date on one line.
        if let Some(found) = calendar::find_first(t).filter(|f| f.end == t.len() && f.start > 0) {
            let name = t[..found.start].trim();
            if t.chars().count() <= 50 && is_issuer(name) {
                return Some((Some(compact(name)), found.date));
            }
        }
        let Some(date) = calendar::parse_line(t) else {
            continue;
        };
        let prev = &blocks[i - 1].text;
        let issuer = is_issuer(prev).then(|| compact(prev));
        let note = blocks.get(i + 1).is_some_and(|n| {
            n.text.contains("此件") || n.text.contains("公开发布") || n.text.contains("主动公开")
        });
        let last = i + 1 == blocks.len();
        if issuer.is_some() || note || last {
            return Some((issuer, date));
        }
    }
    None
}

fn is_issuer(text: &str) -> bool {
    let folded = script::simplified(text);
    let t = folded.trim();
    let n = t.chars().count();
    (2..=40).contains(&n)
        && !t.contains(['，', '。', '：', ':', '；'])
        && ISSUER.is_match(&compact(t))
}

/// `新疆维吾尔自治区人民政府` above `文件`, or `XX人民政府办公室文件`.
fn is_red_header(blocks: &[Block], i: usize) -> bool {
    let t = compact(&script::simplified(&blocks[i].text));
    if t == "文件" {
        return true;
    }
    if t.ends_with("文件") && is_issuer(t.trim_end_matches("文件")) {
        return true;
    }
    is_issuer(&t)
        && blocks
            .get(i + 1)
            .is_some_and(|n| compact(&script::simplified(&n.text)) == "文件")
}

/// Does the headline that ends with `first` go on with `next`?
fn continues_headline(first: &str, next: &str) -> bool {
    let (first, next) = (script::simplified(first), script::simplified(next));
    let (first, next) = (first.as_ref(), next.as_ref());
    if !is_headline_shaped(next) || parse_meta_line(next).is_some() || DOC_NUMBER.is_match(next) {
        return false;
    }
    if unbalanced(first) {
        return true;
    }
    let (a, b) = (compact(first), compact(next));
    // `关于印发…` / `…的通知`: the second line finishes the title the first began.
    (a.starts_with("关于") || a.ends_with("关于"))
        && !DOC_TITLE.is_match(&a)
        && DOC_TITLE.is_match(&b)
        && a.chars().count() + b.chars().count() <= 90
}

/// An opening `《（“` without its closing mark.
fn unbalanced(text: &str) -> bool {
    let count = |c: char| text.chars().filter(|&x| x == c).count();
    count('《') > count('》')
        || count('（') > count('）')
        || count('“') > count('”')
        || count('(') > count(')')
}

/// A line that could be a headline: short enough, no sentence inside.
fn is_headline_shaped(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    // Headlines naming several issuers run long; only a document's title does.
    ((2..=80).contains(&n) || (n <= 140 && DOC_TITLE.is_match(t)))
        && !(n > 40 && t.contains(['，', ',']))
        && !layout::ends_sentence(t)
        && !t.contains(['。', '；'])
        && !t.ends_with(['，', '、', '：', ':'])
        && !t.starts_with(['—', '－', '-', '（', '('])
        && !layout::is_subheading(t)
        && t.chars().any(|c| c.is_alphabetic())
}

/// A headline longer than a title usually is that names a document
/// (`…四部门 关于印发…实施方案的通知`): no sentence inside, a document type
/// at its end.
pub fn is_long_document_title(text: &str) -> bool {
    let t = text.trim();
    t.chars().nth(super::layout::TITLE_MAX_CHARS).is_some()
        && t.chars().nth(140).is_none()
        && !t.contains(['，', '。', '；', ',', ';'])
        && DOC_TITLE.is_match(&script::simplified(t))
}

/// The body starts at prose, at the addressees, or at a numbered part.
fn is_body_start(text: &str) -> bool {
    let t = text.trim();
    is_addressee(t)
        || layout::ends_sentence(t)
        || t.contains('。')
        || (t.chars().count() > 80 && !is_headline_shaped(t))
}

fn compact(text: &str) -> String {
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

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn info_lines_are_fields_not_titles() {
        let m = parse_meta_line("来源:新疆政府网 发布时间:2020年03月25日 11:31 浏览次数:").unwrap();
        assert_eq!(m.date, Some(d(2020, 3, 25)));
        assert_eq!(m.source.as_deref(), Some("新疆政府网"));
        let m = parse_meta_line("发布时间：2023-06-09 15:30 来源：省政府办公厅  字号：大 中 小")
            .unwrap();
        assert_eq!(m.date, Some(d(2023, 6, 9)));
        assert_eq!(m.source.as_deref(), Some("省政府办公厅"));
        assert_eq!(
            parse_meta_line("2020年05月08日15:19").unwrap().date,
            Some(d(2020, 5, 8))
        );
        assert!(parse_meta_line("（2022年1月5日）").is_none());
        assert!(parse_meta_line("上海启用全国首家市域物联网运营中心").is_none());
        assert!(
            parse_meta_line("10月21日，上海市“一网统管”市域物联网运营中心正式启用。").is_none()
        );
    }

    #[test]
    fn a_web_notice() {
        let b = blocks(&[
            "政府信息公开",
            "您的位置: 首页  >>  政务公开  >>  自治区文件  >>  正文",
            "自治区文件",
            "关于印发《新疆维吾尔自治区关于进一步做好稳就业工作的实施意见》的通知",
            "来源:新疆政府网 发布时间:2020年03月25日 11:31 浏览次数:",
            "新疆维吾尔自治区人民政府",
            "文件",
            "新政发〔2020〕16号",
            "伊犁哈萨克自治州，各州、市、县（市）人民政府，各行政公署：",
            "《新疆维吾尔自治区关于进一步做好稳就业工作的实施意见》已经自治区人民政府第81次常务会议审议通过，现印发你们，请认真贯彻执行。",
            "新疆维吾尔自治区人民政府",
            "2020年3月19日",
            "（此件公开发布）",
        ]);
        assert!(looks_like_document(&b));
        let doc = segment(b, &Hints::default());
        assert_eq!(
            doc.title,
            "关于印发《新疆维吾尔自治区关于进一步做好稳就业工作的实施意见》的通知"
        );
        assert_eq!(
            doc.published,
            Some((d(2020, 3, 25), DateSource::Publication))
        );
        assert_eq!(doc.meta.number.as_deref(), Some("新政发〔2020〕16号"));
        assert_eq!(doc.meta.source.as_deref(), Some("新疆政府网"));
        assert_eq!(doc.meta.issuer.as_deref(), Some("新疆维吾尔自治区人民政府"));
        assert!(doc
            .paragraphs
            .iter()
            .all(|p| !p.contains("您的位置") && !p.contains("浏览次数")));
        assert!(doc.paragraphs[0].starts_with("伊犁"));
    }

    #[test]
    fn a_headline_over_two_lines_and_a_signature_date() {
        let b = blocks(&[
            "关于印发《新疆维吾尔自治区关于进一步",
            "做好稳就业工作的实施意见》的通知",
            "各州、市、县（市）人民政府：",
            "现印发你们，请认真贯彻执行。",
            "新疆维吾尔自治区人民政府",
            "二〇二〇年三月十九日",
        ]);
        let doc = segment(b, &Hints::default());
        assert_eq!(
            doc.title,
            "关于印发《新疆维吾尔自治区关于进一步做好稳就业工作的实施意见》的通知"
        );
        assert_eq!(doc.published, Some((d(2020, 3, 19), DateSource::Signature)));
        assert_eq!(doc.paragraphs.len(), 4);
    }

    #[test]
    fn a_signature_on_one_line_and_addressees_without_a_colon() {
        let b = blocks(&[
            "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知",
            "区政府各委、办、局，各管理局（管委会），各街道办事处、镇政府",
            "现将《阿里地区行政公署工作规则》印发给你们，请认真遵照执行。",
            "阿里地区行政公署 2021年11月9日",
        ]);
        assert!(looks_like_document(&b));
        let doc = segment(b, &Hints::default());
        assert_eq!(
            doc.title,
            "阿里地区行政公署关于印发《阿里地区行政公署工作规则》的通知"
        );
        assert_eq!(doc.meta.signed, Some(d(2021, 11, 9)));
        assert_eq!(doc.meta.issuer.as_deref(), Some("阿里地区行政公署"));
        assert_eq!(doc.published, Some((d(2021, 11, 9), DateSource::Signature)));
    }

    #[test]
    fn a_long_headline_naming_several_issuers() {
        let headline = "成都市发展和改革委员会 中共成都市委社会工作部 成都市规划和自然资源局 成都市住房和城乡建设局 关于印发成都市城市社区嵌入式服务设施建设工程实施方案的通知";
        let b = blocks(&[
            headline,
            "各区（市）县政府，市级有关部门：",
            "经市领导同意，现将实施方案印发给你们。",
        ]);
        assert!(looks_like_document(&b));
        let doc = segment(b, &Hints::default());
        assert_eq!(doc.title, compact(headline));
    }

    #[test]
    fn a_news_report_with_a_dateline() {
        let b = blocks(&[
            "宝丰：“二次创业”再出发",
            "2020年05月08日15:19",
            "来源:大河网",
            "大河网讯 (记者 蔡长伟 通讯员 李得胜)5月5日，宝丰县考察团来到叶县产业园区参观学习。",
            "宝丰县王堂村的孩子们在骑“共享单车”",
            "近年来，宝丰县持续践行县域治理“三起来”。",
        ]);
        assert!(looks_like_document(&b));
        let doc = segment(b, &Hints::default());
        assert_eq!(doc.title, "宝丰：“二次创业”再出发");
        assert_eq!(
            doc.published,
            Some((d(2020, 5, 8), DateSource::Publication))
        );
        assert_eq!(doc.paragraphs.len(), 3);
    }

    #[test]
    fn hints_from_a_web_page_win() {
        let b = blocks(&[
            "寿光市调度城市边界社区建设情况",
            "10月25日，寿光市召开会议。",
        ]);
        let hints = Hints {
            title: Some("寿光市调度城市边界社区建设情况".into()),
            meta_lines: vec!["发布时间：2021-10-29".into()],
        };
        let doc = segment(b, &hints);
        assert_eq!(doc.title, "寿光市调度城市边界社区建设情况");
        assert_eq!(doc.paragraphs, ["10月25日，寿光市召开会议。"]);
        assert_eq!(
            doc.published,
            Some((d(2021, 10, 29), DateSource::Publication))
        );
    }

    #[test]
    fn a_bulletin_is_not_a_document() {
        let b = blocks(&[
            "科创聚焦",
            "长三角绿色智能建造产教协同创新联盟在上海成立",
            "长三角绿色智能建造产教协同创新联盟日前在上海成立。",
            "江苏启动科技创新券试点",
            "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》。",
        ]);
        assert!(!looks_like_document(&b));
    }
}
