//! Volumes: several issues of a bulletin in one file (an annual volume, a
//! merged download), split so that each issue is segmented on its own.
//!
//! An issue starts where a bulletin header starts (a masthead with its
//! issue number, see [`header`]) or where a table of contents starts after
//! articles. Each issue's lines are laid out again on their own, since the
//! issues of a merged file may come from different tools (one hard-wrapped
//! PDF extract among typed ones) and [`layout`] measures a file's style.

use std::collections::HashMap;

use super::document;
use super::header;
use super::layout::{self, Block};
use super::sections::SectionNames;
use super::{key_within, toc};

/// Split a file's blocks into issues; most files are one. `text` is the
/// normalised text the blocks were laid out from.
pub fn split(text: &str, blocks: Vec<Block>, sections: &SectionNames) -> Vec<Vec<Block>> {
    let starts = issue_starts(&blocks, sections);
    if starts.len() <= 1 {
        return vec![blocks];
    }
    // Line numbers (1-based) where each issue starts; the first issue takes
    // whatever stands before the second.
    let lines: Vec<usize> = starts.iter().map(|&i| blocks[i].line).collect();
    drop(blocks);
    let mut out = Vec::with_capacity(lines.len());
    let all: Vec<&str> = text.split('\n').collect();
    for (k, &start) in lines.iter().enumerate() {
        let from = if k == 0 { 0 } else { start - 1 };
        let to = lines.get(k + 1).map_or(all.len(), |&next| next - 1);
        let part = all[from..to].join("\n");
        let mut chunk = layout::blocks(&part);
        for b in &mut chunk {
            b.line += from;
        }
        if !chunk.is_empty() {
            out.push(chunk);
        }
    }
    out
}

/// Files joined without a final line break (`cat a.txt b.txt`) glue the
/// next file's first line, often a section heading, onto the last sentence
/// of the previous one: `…3000万元。 科创聚焦 `. Such a heading goes back onto
/// a line of its own. Only a known section name after a sentence end and a
/// space is taken back, so prose is never cut.
pub fn unglue<'a>(text: &'a str, sections: &SectionNames) -> std::borrow::Cow<'a, str> {
    let longest = sections.longest();
    if longest == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut cuts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        // The last run of non-space characters, if it is short.
        if let Some(space) = body.rfind([' ', '\t']) {
            let tail = &body[space + 1..];
            let head = body[..space].trim_end();
            if !tail.is_empty()
                && tail.chars().count() <= longest
                && sections.contains(tail)
                && layout::ends_sentence(head)
            {
                cuts.push(offset + space);
            }
        }
        offset += line.len();
    }
    if cuts.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + cuts.len());
    let mut from = 0;
    for cut in cuts {
        out.push_str(&text[from..cut]);
        out.push('\n');
        from = cut;
    }
    out.push_str(&text[from..]);
    std::borrow::Cow::Owned(out)
}

/// Indices of the blocks where an issue starts: 0, then every later
/// bulletin header, every contents marker that follows body text, and every
/// known section heading printed once more than an issue prints it (in
/// its contents and over its articles): the next issue, header lost.
fn issue_starts(blocks: &[Block], sections: &SectionNames) -> Vec<usize> {
    let mut starts = vec![0];
    let mut body_since = false;
    let mut has_toc = false;
    let mut headings: HashMap<String, usize> = HashMap::new();
    let mut i = 0;
    while i < blocks.len() {
        let text = &blocks[i].text;
        if i > 0 && body_since && starts_header(blocks, i) {
            // A saved page's own title (`四川要闻2023年第8期…`) and info line
            // above the masthead belong to the issue they announce.
            let (meta, _) = header::parse(&blocks[i..]);
            let masthead = meta.title.unwrap_or_default();
            let last = starts.last().copied().unwrap_or(0);
            let mut from = i;
            while from > last + 1 && i - from < 3 {
                let above = &blocks[from - 1].text;
                let compact: String = above.split_whitespace().collect();
                if document::is_standalone(above)
                    || (!masthead.is_empty() && compact.starts_with(&masthead))
                {
                    from -= 1;
                } else {
                    break;
                }
            }
            starts.push(from);
            body_since = false;
            has_toc = false;
            headings.clear();
            let (_, end) = header::parse(&blocks[i..]);
            i += end.max(1);
            continue;
        }
        let heading = key_within(text, sections.longest()).filter(|k| sections.contains(k));
        if let Some(k) = heading {
            let seen = headings.entry(k).or_default();
            *seen += 1;
            if body_since && *seen > 1 + usize::from(has_toc) {
                starts.push(i);
                body_since = false;
                has_toc = false;
                let k = key_within(text, sections.longest()).unwrap_or_default();
                headings.clear();
                headings.insert(k, 1);
            }
        } else if i > 0 && body_since && toc::is_marker(text) {
            starts.push(i);
            body_since = false;
            has_toc = true;
            headings.clear();
        } else if toc::is_marker(text) {
            has_toc = true;
        } else if layout::ends_sentence(text) || text.contains('。') {
            body_since = true;
        }
        i += 1;
    }
    starts
}

/// A masthead with its issue number (and perhaps a date and publisher)
/// starts at block `i`.
fn starts_header(blocks: &[Block], i: usize) -> bool {
    // Only a short line can be a masthead: most blocks are turned down here.
    if blocks[i].text.chars().nth(24).is_some() {
        return false;
    }
    let (meta, end) = header::parse(&blocks[i..]);
    end >= 2 && meta.title.is_some() && meta.issue.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_issues_in_one_file() {
        let text = "长三角每周要讯\n2020 年第 192 期\n上海启用运营中心\n10月21日，运营中心正式启用。\n长三角每周要讯\n2020 年第 193 期\n上海技术交易所开市\n10月28日，上海技术交易所正式开市。\n";
        let blocks = layout::blocks(text);
        let issues = split(text, blocks, &SectionNames::default());
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[1][0].text, "长三角每周要讯");
        assert_eq!(issues[1][0].line, 5);
    }

    #[test]
    fn a_heading_glued_to_the_last_sentence_gets_its_line_back() {
        let sections = SectionNames::from_names(["科创聚焦"]);
        assert_eq!(
            unglue("最高3000万元。 科创聚焦 \n下一行", &sections),
            "最高3000万元。\n 科创聚焦 \n下一行"
        );
        assert!(matches!(
            unglue("江苏 科创聚焦 \n", &sections),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn one_issue_stays_whole() {
        let text =
            "长三角每周要讯\n2020 年第 192 期\n上海启用运营中心\n10月21日，运营中心正式启用。\n";
        assert_eq!(
            split(text, layout::blocks(text), &SectionNames::default()).len(),
            1
        );
    }
}
