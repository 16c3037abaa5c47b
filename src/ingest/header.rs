//! The bulletin header: masthead, issue number, publisher, publication date.
//!
//! Headers are a handful of short lines before the table of contents:
//!
//! ```text
//! 长三角改革动态
//! (2019 年第 24 期)
//! 山西省人民政府驻上海办事处
//! (山西省长三角招商局)
//! 合作部
//! (总第 44 期)
//! ```
//!
//! Each line is recognised by its shape, not its position, because offices
//! order them differently and PDF extracts often lose some or all of them.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::layout::Block;
use crate::record::BulletinMeta;

/// How many leading blocks may belong to the header.
const MAX_HEADER_BLOCKS: usize = 12;

static ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（]?\s*((?:\d{4}\s*年\s*)?(?:总\s*)?第\s*\d+\s*期(?:\s*[(（]\s*总\s*第\s*\d+\s*期\s*[)）])?)\s*[)）]?$")
        .expect("valid regex")
});
/// The period an issue covers: `2023年2月20日—2月26日`, `（2011年6月）`.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[(（]?\s*\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日\s*[—\-~至－]+\s*(?:\d{4}\s*年)?\s*(?:\d{1,2}\s*月)?\s*\d{1,2}\s*日)?\s*[)）]?$")
        .expect("valid regex")
});
static MASTHEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(要讯|动态|简报|快报|信息|参阅|通讯|专报|周报|月报|旬报|摘编|要情|参考|通报|内参|汇编|资讯|观察|要闻|快讯|大事记|纪事|周刊|专刊)$")
        .expect("valid regex")
});
static PUBLISHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(办事处|人民政府|办公厅|办公室|招商局|委员会|研究室|研究中心|编辑部|合作部|主办|编印|联络处)")
        .expect("valid regex")
});

/// Where a bulletin header starts among the first few blocks (a saved page
/// may print its own title and info line above the masthead): its index,
/// the header and the index of the first block after it.
pub fn find(blocks: &[Block]) -> Option<(usize, BulletinMeta, usize)> {
    for start in 0..blocks.len().min(6) {
        // Only a short line can be a masthead.
        if blocks[start].text.chars().nth(24).is_some() {
            continue;
        }
        let (meta, end) = parse(&blocks[start..]);
        if meta.title.is_some() && meta.issue.is_some() {
            return Some((start, meta, start + end));
        }
    }
    None
}

/// Is this a digest's masthead word (`要闻`, `大事记`, `简报` …) at the end
/// of a short line?
pub fn is_masthead(text: &str) -> bool {
    let text = crate::script::simplified(text);
    let text = text.as_ref();
    text.chars().nth(40).is_none()
        && MASTHEAD.is_match(
            text.trim_end_matches([')', '）'])
                .trim_end_matches(|c: char| c.is_ascii_digit() || "年月()（）".contains(c)),
        )
}

/// The parsed header and the index of the first block after it.
pub fn parse(blocks: &[Block]) -> (BulletinMeta, usize) {
    let mut meta = BulletinMeta::default();
    let mut issues: Vec<String> = Vec::new();
    let mut end = 0;
    for (i, block) in blocks.iter().enumerate().take(MAX_HEADER_BLOCKS) {
        // Mastheads and publishers in traditional script read as simplified.
        let folded = crate::script::simplified(&block.text);
        let text = folded.as_ref();
        // What is kept is kept as printed.
        let printed = block.text.as_str();
        let chars = text.chars().count();
        if let Some(c) = ISSUE.captures(text) {
            issues.push(c[1].to_string());
        } else if let Some(date) = parse_date_line(text) {
            meta.date.get_or_insert(date);
        } else if PERIOD.is_match(text.trim()) {
            // The days or month an issue covers: not its date.
        } else if meta.title.is_none()
            && issues.is_empty()
            && meta.publisher.is_none()
            && chars <= 20
            && !text.contains(['，', '。'])
            && (MASTHEAD.is_match(text)
                || blocks.get(i + 1).is_some_and(|b| ISSUE.is_match(&b.text)))
        {
            meta.title = Some(compact(printed));
        } else if chars <= 40 && PUBLISHER.is_match(text) && !text.contains(['，', '。']) {
            let name = printed.trim_matches(['(', ')', '（', '）']).trim();
            meta.publisher.get_or_insert_with(|| name.to_string());
        } else if chars <= 30
            && is_parenthesised(text)
            && (meta.publisher.is_some() || !issues.is_empty())
        {
            // A sub-line of the publisher, e.g. `(山西省长三角招商局)`.
        } else {
            break;
        }
        end = i + 1;
    }
    if meta.title.is_none() && issues.is_empty() && meta.publisher.is_none() {
        // A lone date line is no header; leave it to the body.
        return (BulletinMeta::default(), 0);
    }
    if !issues.is_empty() {
        meta.issue = Some(issues.join("; "));
    }
    (meta, end)
}

/// A whole block that is a full date in any printed form: `2020 年 10 月
/// 23 日`, `(2019年7月9日)`, `2022-05-18`, `二〇二二年五月十八日`.
pub fn parse_date_line(text: &str) -> Option<NaiveDate> {
    crate::calendar::parse_line(text)
}

fn is_parenthesised(text: &str) -> bool {
    (text.starts_with('(') || text.starts_with('（'))
        && (text.ends_with(')') || text.ends_with('）'))
}

/// Masthead titles are printed letter-spaced at times: `长 三 角 每 周 要 讯`.
fn compact(text: &str) -> String {
    text.split_whitespace().collect()
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

    #[test]
    fn weekly_digest_header() {
        let b = blocks(&[
            "长三角每周要讯",
            "2020 年第 192 期",
            "浙江省人民政府驻上海办事处",
            "2020 年 10 月 23 日",
            "目 录",
        ]);
        let (meta, end) = parse(&b);
        assert_eq!(meta.title.as_deref(), Some("长三角每周要讯"));
        assert_eq!(meta.issue.as_deref(), Some("2020 年第 192 期"));
        assert_eq!(
            meta.publisher.as_deref(),
            Some("浙江省人民政府驻上海办事处")
        );
        assert_eq!(meta.date, NaiveDate::from_ymd_opt(2020, 10, 23));
        assert_eq!(end, 4);
    }

    #[test]
    fn header_with_total_issue_and_sub_lines() {
        let b = blocks(&[
            "长三角改革动态",
            "(2019 年第 24 期)",
            "山西省人民政府驻上海办事处",
            "(山西省长三角招商局)",
            "合作部",
            "(总第 44 期)",
            "目 录",
        ]);
        let (meta, end) = parse(&b);
        assert_eq!(meta.title.as_deref(), Some("长三角改革动态"));
        assert_eq!(meta.issue.as_deref(), Some("2019 年第 24 期; 总第 44 期"));
        assert_eq!(
            meta.publisher.as_deref(),
            Some("山西省人民政府驻上海办事处")
        );
        assert_eq!(meta.date, None);
        assert_eq!(end, 6);
    }

    #[test]
    fn no_header_in_a_pdf_extract() {
        let b = blocks(&[
            "科创聚焦",
            "长三角绿色智能建造产教协同创新联盟在上海成立",
            "长三角绿色智能建造产教协同创新联盟日前在上海成立。",
        ]);
        assert_eq!(parse(&b), (BulletinMeta::default(), 0));
    }

    #[test]
    fn date_lines() {
        assert_eq!(
            parse_date_line("2019 年 7 月 9 日"),
            NaiveDate::from_ymd_opt(2019, 7, 9)
        );
        assert_eq!(
            parse_date_line("（2020年10月30日）"),
            NaiveDate::from_ymd_opt(2020, 10, 30)
        );
        assert_eq!(parse_date_line("2020 年 13 月 1 日"), None);
        assert_eq!(parse_date_line("10月21日，上海启用"), None);
    }
}

#[cfg(test)]
mod period_tests {
    use super::*;

    #[test]
    fn a_page_title_above_a_masthead_with_a_period() {
        let lines = [
            "四川要闻2023年第8期(总第232期)( 2023年2月20日—2023年2月26日)",
            "来源:四川省人民政府网 发布时间:2023-03-13 14:51:14",
            "四川要闻",
            "2023年第8期(总第232期)",
            "2023年2月20日—2月26日",
            "2月20日四川省高速公路项目招商推介会在成都举行。",
        ];
        let b: Vec<Block> = lines
            .iter()
            .enumerate()
            .map(|(i, t)| Block {
                text: t.to_string(),
                line: i + 1,
            })
            .collect();
        let (meta, end) = parse(&b);
        assert_eq!((meta, end), (BulletinMeta::default(), 0));
        let (at, meta, end) = find(&b).unwrap();
        assert_eq!((at, end), (2, 5));
        assert_eq!(meta.date, None);
    }
}
