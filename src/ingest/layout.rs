//! Physical lines → blocks: undo hard wrapping so that every block is one
//! paragraph, title or heading.
//!
//! Bulletins reach us after a trip through Word, PDF and text extraction.
//! Paragraphs are broken mid-sentence (at page ends, or at every line of a
//! PDF page), blank lines stand between every pair of lines, and PDF
//! extracts carry stray leading and trailing spaces. A title and a wrapped
//! fragment of a paragraph look alike: a short line without final
//! punctuation. The signals used, strongest first:
//!
//! * punctuation: a line ending in `，、：；（“` always continues; one ending in
//!   `。！？` (perhaps followed by a closing quote) ends its paragraph;
//! * trailing spaces: some PDF extractors end every hard line break with a
//!   space and soft wraps with nothing. When a file shows that pattern (most
//!   sentence-final lines carry a trailing space) it decides;
//! * width: in a hard-wrapped file every soft-wrapped line fills the column
//!   (its width is near the file's wrap width); a shorter line is a break;
//! * length and inner punctuation: in files whose paragraphs are long lines, a
//!   line longer than any title, or with a sentence-internal `，。；`, is a
//!   paragraph fragment.
//! * blank lines separate paragraphs only in files that do not put a blank
//!   line between every pair of lines.

use std::sync::LazyLock;

use regex::Regex;

/// The widest column, in display columns, a hard-wrapped file can have:
/// beyond it lines are paragraphs, not a page's column.
const WRAP_MAX: usize = 120;

/// Longest title we expect, in characters. Longer unpunctuated lines are
/// paragraph fragments.
pub const TITLE_MAX_CHARS: usize = 40;

/// One logical block: a paragraph, a title or a heading, re-joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text, trimmed; inner spaces as printed.
    pub text: String,
    /// 1-based line number where the block starts, for diagnostics.
    pub line: usize,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    number: usize,
    trailing_space: bool,
    blank_before: bool,
}

/// Split normalised text into blocks. Two passes over the lines, the first
/// to measure the file's [`Style`], the second to join: no per-line table
/// is kept, so a file of millions of short lines costs its blocks only.
pub fn blocks(text: &str) -> Vec<Block> {
    let style = Style::detect(physical_lines(text));
    let mut out: Vec<Block> = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut lines = physical_lines(text).peekable();
    while let Some(line) = lines.next() {
        if current.is_empty() {
            start = line.number;
            current.push_str(line.text);
        } else {
            push_joined(&mut current, line.text);
        }
        if !style.continues(&line, lines.peek()) {
            out.push(Block {
                text: std::mem::take(&mut current),
                line: start,
            });
        }
    }
    if !current.is_empty() {
        out.push(Block {
            text: current,
            line: start,
        });
    }
    out
}

/// Non-blank lines, trimmed, with page furniture (page numbers) removed.
fn physical_lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut blank_before = false;
    text.split('\n').enumerate().filter_map(move |(i, raw)| {
        let trimmed = raw.trim();
        if trimmed.is_empty() || is_page_number(trimmed) {
            blank_before = true;
            return None;
        }
        let line = Line {
            text: trimmed,
            number: i + 1,
            trailing_space: raw.ends_with([' ', '\t']),
            blank_before,
        };
        blank_before = false;
        Some(line)
    })
}

/// `3`, `- 3 -`, `—12—`, `第 3 页`, `3/20`: a page number on its own line.
fn is_page_number(line: &str) -> bool {
    let core = line.trim_matches(|c: char| matches!(c, '-' | '—' | '–' | ' '));
    let core = core
        .strip_prefix('第')
        .and_then(|s| s.strip_suffix('页'))
        .map(str::trim)
        .unwrap_or(core);
    let mut parts = core.splitn(2, '/');
    let first = parts.next().unwrap_or("");
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit());
    digits(first) && parts.next().map_or(true, |s| digits(s.trim()))
}

/// Join a continuation line onto a block: no space between Chinese
/// characters, one space between two Latin words.
fn push_joined(block: &mut String, next: &str) {
    let ends_alnum = block
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let starts_alnum = next
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if ends_alnum && starts_alnum {
        block.push(' ');
    }
    block.push_str(next);
}

/// What this file's layout tells us, measured once.
#[derive(Debug)]
struct Style {
    /// Trailing spaces mark hard breaks.
    trailing_marks_breaks: bool,
    /// Blank lines mark paragraph breaks.
    blank_marks_breaks: bool,
    /// The wrap width in display columns of a hard-wrapped file.
    wrap_width: Option<usize>,
}

impl Style {
    fn detect<'a>(lines: impl Iterator<Item = Line<'a>>) -> Style {
        let (mut n, mut with_trailing, mut finals, mut final_with_trailing, mut blanks) =
            (0, 0, 0, 0, 0);
        // Widths up to the widest a wrapped column can be, one bucket each;
        // wider lines share the last bucket. Enough for the median and the
        // 90th percentile exactly where they matter (≤ WRAP_MAX).
        let mut widths = [0usize; WRAP_MAX + 2];
        for line in lines {
            n += 1;
            with_trailing += usize::from(line.trailing_space);
            if ends_sentence(line.text) {
                finals += 1;
                final_with_trailing += usize::from(line.trailing_space);
            }
            if n > 1 && line.blank_before {
                blanks += 1;
            }
            widths[width_capped(line.text, WRAP_MAX + 1)] += 1;
        }
        let trailing_marks_breaks = n >= 10
            && with_trailing * 10 >= n
            && with_trailing * 10 <= n * 9
            && final_with_trailing * 2 >= finals.max(1);
        let blank_marks_breaks = blanks * 10 < (n.saturating_sub(1)) * 6;

        // The k-th smallest width (0-based), from the buckets.
        let nth = |k: usize| {
            let mut seen = 0;
            widths.iter().position(|&count| {
                seen += count;
                seen > k
            })
        };
        // Hard-wrapped: most lines are about as wide as the widest common
        // line, and that width is a page column, not a paragraph.
        let wrap_width = match (n >= 10).then(|| (nth(n / 2), nth((n * 9 / 10).min(n - 1)))) {
            Some((Some(median), Some(p90))) if p90 <= WRAP_MAX && median * 10 >= p90 * 8 => {
                Some(p90)
            }
            _ => None,
        };
        Style {
            trailing_marks_breaks,
            blank_marks_breaks,
            wrap_width,
        }
    }

    /// Does the block that `line` ends continue on `next`?
    fn continues(&self, line: &Line<'_>, next: Option<&Line<'_>>) -> bool {
        let Some(next) = next else { return false };
        let text = line.text;
        if starts_with_closing(next.text) {
            return true;
        }
        // Info lines, breadcrumbs and document numbers stand alone, however
        // wide they are.
        if super::document::is_standalone(next.text) || super::document::is_standalone(text) {
            return false;
        }
        if ends_with_continuation(text) {
            return true;
        }
        // A digest's next item (`2、…`, `◆…`) starts a block of its own.
        if matches!(
            super::items::marker(next.text),
            Some((
                super::items::Marker::Number(_) | super::items::Marker::Bullet,
                _
            ))
        ) && !next.text.starts_with(char::is_numeric)
            || super::items::starts_numbered_item(next.text)
        {
            return false;
        }
        if self.trailing_marks_breaks {
            return !line.trailing_space;
        }
        if self.blank_marks_breaks && next.blank_before {
            return false;
        }
        if ends_sentence(text) {
            return false;
        }
        if let Some(wrap) = self.wrap_width {
            // A soft-wrapped line fills the column, give or take a few
            // narrow characters and a paragraph indent.
            return width(text) + 6 >= wrap;
        }
        if is_subheading(text) && text.chars().count() <= TITLE_MAX_CHARS {
            return false;
        }
        // A long headline naming several issuers (`…关于印发…的通知`) ends
        // where its document type does.
        if super::document::is_long_document_title(text) {
            return false;
        }
        !could_be_title(text)
    }
}

/// Does the line end a sentence: `。！？…` possibly followed by closing quotes
/// or brackets?
pub fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['”', '’', '」', '』', '）', ')', '"', '\'']);
    trimmed.ends_with(['。', '！', '？', '!', '?', '…'])
}

/// Punctuation after which a sentence must go on.
fn ends_with_continuation(text: &str) -> bool {
    text.ends_with([
        '，', '、', '：', '；', '（', '“', '《', '‘', '(', ',', '—', '-', '/', '+',
    ])
}

/// Punctuation a new paragraph never starts with.
fn starts_with_closing(text: &str) -> bool {
    text.starts_with([
        '，', '。', '、', '；', '：', '）', '》', '！', '？', ')', ',',
    ])
}

/// Could this line be a title (or heading) by its length and punctuation?
/// Titles are short and have no sentence punctuation inside.
pub fn could_be_title(text: &str) -> bool {
    text.chars().count() <= TITLE_MAX_CHARS
        && !text.contains(['，', '。', '；'])
        && !has_late_colon(text)
}

/// Titles put a colon only after a short lead (`张江：…`, `一图读懂：…`); a
/// colon late in a line introduces an enumeration in prose
/// (`《告知书》主要包括以下四方面内容：一是…`).
fn has_late_colon(text: &str) -> bool {
    text.chars()
        .position(|c| c == '：' || c == ':')
        .is_some_and(|i| i > 12)
}

static SUBHEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[一二三四五六七八九十]{1,3}\s*[、是，,.．:：]",
        r"|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]",
        r"|\d{1,2}\s*[、.．)）](?:\D|$)",
        r"|第[一二三四五六七八九十\d]{1,3}[，、是条章节部分]",
        r"|[①-⑳]",
        r"|(?:首先|其次|再次|最后|此外|另外|同时)[，、])"
    ))
    .expect("valid regex")
});

/// A numbered sub-heading inside an article: body, never a title.
pub fn is_subheading(text: &str) -> bool {
    SUBHEADING.is_match(text)
}

/// Display width: East Asian wide characters count two columns.
pub fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// [`width`], but no more than `cap`: stops reading a long line there.
fn width_capped(text: &str, cap: usize) -> usize {
    let mut w = 0;
    for c in text.chars() {
        w += if is_wide(c) { 2 } else { 1 };
        if w >= cap {
            return cap;
        }
    }
    w
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        blocks(input).into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn page_numbers_are_furniture() {
        for s in ["3", "- 3 -", "—12—", "第 3 页", "3/20"] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["2020", "3 月", "第 192 期", "12345"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn long_fragment_joins_across_blank_line() {
        // From sample 000: a paragraph broken at a page end.
        let input = "该运营中心作为上海市城市运行管理中心的重要组成部分，将建立城市治理数字化转型与数字孪生感知端建设的双向促进机制，以实战应用场\n\n景需求为导向有效带动相关产业的快速发展。\n\n产业动向\n\n上海临港新片区 10 大政策助人工智能产业发展\n\n日前，临港新片区管理委员会发布通知。\n";
        assert_eq!(
            texts(input),
            [
                "该运营中心作为上海市城市运行管理中心的重要组成部分，将建立城市治理数字化转型与数字孪生感知端建设的双向促进机制，以实战应用场景需求为导向有效带动相关产业的快速发展。",
                "产业动向",
                "上海临港新片区 10 大政策助人工智能产业发展",
                "日前，临港新片区管理委员会发布通知。",
            ]
        );
    }

    #[test]
    fn comma_end_always_continues() {
        let input = "近日，江苏省科技厅、\n\n省财政厅联合印发方案。\n";
        assert_eq!(texts(input), ["近日，江苏省科技厅、省财政厅联合印发方案。"]);
    }

    #[test]
    fn trailing_space_marks_hard_breaks_in_pdf_extracts() {
        // The shape of sample 003: every line hard-wrapped, blank lines
        // between them, hard breaks marked by a trailing space.
        let mut input = String::from(" 科创聚焦 \n\n");
        for _ in 0..4 {
            input.push_str("江苏启动科技创新券试点 \n\n");
            input.push_str("近日，江苏省科技厅、省财政厅联合印发《江苏省科技\n\n");
            input.push_str("创新券试点方案》，启动科技创新券试点工作。江苏省科技\n\n");
            input.push_str("创新券主要通过省级财政资金后补助的方式给予补助。 \n\n");
        }
        let blocks = texts(&input);
        assert_eq!(blocks[0], "科创聚焦");
        assert_eq!(blocks[1], "江苏启动科技创新券试点");
        assert_eq!(
            blocks[2],
            "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。江苏省科技创新券主要通过省级财政资金后补助的方式给予补助。"
        );
        assert_eq!(blocks.len(), 9);
    }

    #[test]
    fn latin_words_split_over_lines_keep_a_space() {
        let input = "The pilot scheme now covers the cities of Shanghai and\n\nZhejiang, with more to come.\n";
        assert_eq!(
            texts(input),
            ["The pilot scheme now covers the cities of Shanghai and Zhejiang, with more to come."]
        );
    }

    #[test]
    fn width_counts_cjk_double() {
        assert_eq!(width("上海 10"), 7);
    }
}
