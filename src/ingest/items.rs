//! Digest items: bulletins whose articles are numbered or bulleted
//! paragraphs rather than titled blocks listed in a contents.
//!
//! `1.` / `1、` / `NO.1` / `一、` numbering, bullets (`◆ △ ● ■ ★`) and the day
//! labels of a chronicle (`5日上午，…`, `2月20日 …`, `一日 …`, `是日`) each
//! start an item. Numbered items count only as one sequence 1, 2, 3 … that
//! never restarts, since numbered sub-headings inside articles restart at
//! 一 in each article. An item's marker is not part of its title; an item
//! whose text after the marker is a headline is titled by it, one that is
//! prose is an untitled article.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

/// The marker an item starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    /// `1.`, `1、`, `NO.1`, `一、`, `（一）`: with its number.
    Number(u32),
    /// A bullet.
    Bullet,
    /// A chronicle's day label (`5日上午，`), which news paragraphs also
    /// start with: an item only where nothing else is titled.
    Day,
}

static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?i:no)\s*\.?\s*(\d{1,2})\s*[.、．:：]?|(\d{1,2})\s*[、．.](?:[^\d]|$)|([一二三四五六七八九十]{1,3})\s*、|[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）])")
        .expect("valid regex")
});
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[◆◇△▲●■□★☆▶►▪•]").expect("valid regex"));
static DAY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // `2月20日…`: month and day, whatever follows
        r"^(?:\d{1,2}\s*月\s*\d{1,2}\s*(?:[—\-~至]\s*\d{1,2}\s*)?日",
        // `5日 …`, `2—9日 …`, `一日 …`, `是日 …`: a day alone, then a break
        r"|(?:\d{1,2}\s*(?:[—\-~至]\s*\d{1,2}\s*)?日|[一二三]?十?[一二三四五六七八九十]\s*日|是日|同日|当日)",
        r"(?:\s|上午|下午|晚|早|,|，|至|—|-))"
    ))
    .expect("valid regex")
});

/// The marker at the start of `text`, and the byte length it takes.
pub fn marker(text: &str) -> Option<(Marker, usize)> {
    if let Some(m) = BULLET.find(text) {
        return Some((Marker::Bullet, m.end()));
    }
    if let Some(c) = NUMBERED.captures(text) {
        let n = if let Some(d) = c.get(1).or(c.get(2)) {
            d.as_str().parse().ok()?
        } else {
            crate::calendar::chinese_number(c.get(3).or(c.get(4))?.as_str())?
        };
        // The number's own length, without the first character after it.
        let whole = c.get(0)?;
        let len = if c.get(2).is_some() {
            number_end(text)
        } else {
            whole.end()
        };
        return Some((Marker::Number(n), len));
    }
    DAY.is_match(text).then_some((Marker::Day, 0))
}

/// The year and month a chronicle's day labels count in: from a period
/// line or title (`（2011年6月）`, `2022年7月大事记`, `2023年2月20日—2月26日`).
pub fn year_month(text: &str) -> Option<(i32, u32)> {
    let c = YEAR_MONTH.captures(text)?;
    let year = c[1].parse().ok()?;
    let month = c[2].parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月").expect("valid regex"));

/// The day a chronicle's item is filed under, from its label: `2月20日`,
/// `5日`, `2—9日` (the first day), `一日`, or `是日`/`同日` (the previous
/// item's). `at` is the year and month the days count in; a label with a
/// month moves it.
pub fn item_day(
    text: &str,
    at: &mut Option<(i32, u32)>,
    previous: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let m = DAY.find(text)?;
    let label = m.as_str();
    if label.starts_with(['是', '同', '当']) {
        return previous;
    }
    let (year, mut month) = (*at)?;
    let day = if let Some((mon, rest)) = label.split_once('月') {
        month = mon.trim().parse().ok()?;
        *at = Some((year, month));
        rest
    } else {
        label
    };
    let digits: String = day
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let day = if digits.is_empty() {
        crate::calendar::chinese_number(day.trim_start().split('日').next()?.trim())?
    } else {
        digits.parse().ok()?
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    // A chronicle runs forward: a day before the previous item's means the
    // next month.
    match previous {
        Some(p) if date < p && p.month() == month => None,
        _ => Some(date),
    }
}

/// `2004年`: a chronicle's year heading.
pub fn year_heading(text: &str) -> Option<i32> {
    let t = text.trim().strip_suffix('年')?.trim();
    let year: i32 = t.parse().ok()?;
    (t.len() == 4 && (1900..=2100).contains(&year)).then_some(year)
}

/// `一月`, `6月`: a chronicle's month heading.
pub fn month_heading(text: &str) -> Option<u32> {
    let t = text.trim().strip_suffix('月')?;
    let month = t
        .parse()
        .ok()
        .or_else(|| crate::calendar::chinese_number(t))?;
    (1..=12).contains(&month).then_some(month)
}

/// `2、…` or `NO.2 …` with a headline after it: a numbered item, never the
/// tail of a wrapped sentence (`…共\n2.5亿元` has no `、` and no headline).
pub fn starts_numbered_item(text: &str) -> bool {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits) && text[digits..].starts_with('、')
        || text.starts_with("NO.")
        || text.starts_with("No.")
}

/// `12、…` → the length of `12、`.
fn number_end(text: &str) -> usize {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &text[digits..];
    let spaces = rest.len() - rest.trim_start().len();
    let mark = rest.trim_start().chars().next().map_or(0, char::len_utf8);
    digits + spaces + mark
}

/// Which of `texts` start items, if the texts are a digest of items: at
/// least two items, the first before any other prose, numbered items in one
/// unbroken sequence from 1.
pub fn starts(
    texts: &[&str],
    is_prose: impl Fn(&str) -> bool,
    is_title: impl Fn(&str) -> bool,
) -> Option<Vec<usize>> {
    let mut numbered = Vec::new();
    let mut bulleted = Vec::new();
    let mut days = Vec::new();
    let mut first_prose = None;
    let mut titled = false;
    for (i, t) in texts.iter().enumerate() {
        match marker(t) {
            Some((Marker::Number(n), _)) => numbered.push((i, n)),
            Some((Marker::Bullet, _)) => bulleted.push(i),
            Some((Marker::Day, _)) => days.push(i),
            None => {
                titled |= is_title(t)
                    && t.chars().nth(8).is_some()
                    && texts.get(i + 1).is_some_and(|n| is_prose(n));
                if first_prose.is_none() && is_prose(t) {
                    first_prose = Some(i);
                }
            }
        }
    }
    let before_prose = |i: usize| first_prose.map_or(true, |p| i < p);
    let sequence = !numbered.is_empty()
        && numbered
            .iter()
            .enumerate()
            .all(|(k, &(_, n))| n as usize == k + 1);
    if numbered.len() >= 2 && sequence && bulleted.is_empty() && before_prose(numbered[0].0) {
        return Some(numbered.into_iter().map(|(i, _)| i).collect());
    }
    // A chronicle mixes day labels and bullets (`一日 …`, `△…`).
    if !titled {
        bulleted.extend(days);
        bulleted.sort_unstable();
    }
    if bulleted.len() >= 2 && numbered.len() < 2 && before_prose(bulleted[0]) {
        return Some(bulleted);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(t: &str) -> bool {
        t.contains('。')
    }

    fn title(t: &str) -> bool {
        !t.contains('。')
    }

    #[test]
    fn markers() {
        assert_eq!(
            marker("1、中印国际象棋对抗赛在我区落下帷幕"),
            Some((Marker::Number(1), 4))
        );
        assert_eq!(marker("NO.2 上海出台新政"), Some((Marker::Number(2), 5)));
        assert_eq!(marker("三、扇面向外"), Some((Marker::Number(3), 6)));
        assert_eq!(
            marker("◆5日上午，三垛镇召开会议。"),
            Some((Marker::Bullet, 3))
        );
        assert_eq!(marker("2月20日 省发展改革委公布。"), Some((Marker::Day, 0)));
        assert_eq!(marker("1.1编制目的"), None);
        assert_eq!(marker("2020年上海市"), None);
    }

    #[test]
    fn chronicle_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let mut at = year_month("（2011年6月）");
        assert_eq!(at, Some((2011, 6)));
        let first = item_day("一日 省委书记会见来宾。", &mut at, None);
        assert_eq!(first, d(2011, 6, 1));
        assert_eq!(item_day("是日 省长出席会议。", &mut at, first), first);
        assert_eq!(
            item_day("2—9日 展演周举行。", &mut at, first),
            d(2011, 6, 2)
        );
        assert_eq!(item_day("7月3日 会议召开。", &mut at, first), d(2011, 7, 3));
        assert_eq!(
            item_day("7月14—18日 电影展举行。", &mut at, first),
            d(2011, 7, 14)
        );
        assert_eq!(at, Some((2011, 7)));
        assert_eq!(year_heading("2004年"), Some(2004));
        assert_eq!(year_heading("2004年1月"), None);
        assert_eq!(month_heading("二月"), Some(2));
        assert_eq!(month_heading("12月"), Some(12));
        assert_eq!(month_heading("十三月"), None);
    }

    #[test]
    fn numbered_digest_and_restarting_subheadings() {
        let digest = [
            "要闻",
            "1、全区重点项目集中推进",
            "2、中印国际象棋对抗赛在我区落下帷幕",
            "3、全区会议召开",
        ];
        assert_eq!(starts(&digest, prose, title), Some(vec![1, 2, 3]));
        let article = [
            "江苏出台方案",
            "近日，江苏印发方案。",
            "一、总体要求",
            "一是。",
            "二、主要任务",
            "浙江出台方案",
            "一、总体要求",
        ];
        assert_eq!(starts(&article, prose, title), None);
        let restart = ["一、甲", "二、乙", "一、丙"];
        assert_eq!(starts(&restart, prose, title), None);
    }

    #[test]
    fn bulleted_and_chronicle_items() {
        let texts = [
            "要闻简报",
            "◆9月24日，篮球赛开赛。",
            "◆9月23日，我县召开调度会。",
        ];
        assert_eq!(starts(&texts, prose, title), Some(vec![1, 2]));
        let chronicle = [
            "一日 省委书记会见来宾。",
            "△全省铁路建设工作会议在济南召开。",
            "二日 省长出席会议。",
        ];
        assert_eq!(starts(&chronicle, prose, title), Some(vec![0, 1, 2]));
        // News bodies start with a date too: not items where titles stand.
        let news = [
            "上海启用物联网运营中心",
            "10月21日，运营中心正式启用。",
            "江苏启动创新券试点",
            "10月22日，江苏启动试点。",
        ];
        assert_eq!(starts(&news, prose, title), None);
    }
}
