//! Volumes: several issues of a bulletin in one file (an annual volume, a
//! merged download), split so that each issue is segmented on its own.
//!
//! An issue starts where a bulletin header starts (a masthead with its
//! issue number, see [`header`]) or where a table of contents starts after
//! articles. Each issue's lines are laid out again on their own, since the
//! issues of a merged file may come from different tools (one hard-wrapped
//! PDF extract among typed ones) and [`layout`] measures a file's style.

use super::header;
use super::layout::{self, Block};
use super::toc;

/// Split a file's blocks into issues; most files are one. `text` is the
/// normalised text the blocks were laid out from.
pub fn split(text: &str, blocks: Vec<Block>) -> Vec<Vec<Block>> {
    let starts = issue_starts(&blocks);
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

/// Indices of the blocks where an issue starts: 0, then every later
/// bulletin header, and every contents marker that follows body text.
fn issue_starts(blocks: &[Block]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut body_since = false;
    let mut i = 0;
    while i < blocks.len() {
        let text = &blocks[i].text;
        if i > 0 && body_since && starts_header(blocks, i) {
            starts.push(i);
            body_since = false;
            let (_, end) = header::parse(&blocks[i..]);
            i += end.max(1);
            continue;
        }
        if i > 0 && body_since && toc::is_marker(text) {
            starts.push(i);
            body_since = false;
        } else if layout::ends_sentence(text) || text.chars().nth(layout::TITLE_MAX_CHARS).is_some()
        {
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
        let issues = split(text, blocks);
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[1][0].text, "长三角每周要讯");
        assert_eq!(issues[1][0].line, 5);
    }

    #[test]
    fn one_issue_stays_whole() {
        let text =
            "长三角每周要讯\n2020 年第 192 期\n上海启用运营中心\n10月21日，运营中心正式启用。\n";
        assert_eq!(split(text, layout::blocks(text)).len(), 1);
    }
}
