//! Full calendar dates as Chinese documents print them, for every stage
//! that reads dates (ingest's header, info and signature lines; extract's
//! event dates).
//!
//! The forms: `2022-05-18`, `2022/5/18`, `2022.05.18`, `2022年5月18日`
//! (spaces allowed anywhere), `二〇二二年五月十八日` and `二○二二年…` (the
//! ring `○` that typewriters used for zero), each optionally followed by a
//! time of day (`15:30`, `15:30:02`, `15时30分`) that is read past but not kept.
//! Only full dates live here: a bare `5月18日` needs a year from context,
//! which is the extractor's business.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// One full date found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    /// Byte range of the date (and its time of day, if any) in the text.
    pub start: usize,
    pub end: usize,
}

/// Digits (ASCII) or Chinese numerals for the year, month and day.
static FULL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:",
        // 2022-05-18, 2022/5/18, 2022.05.18 (not inside a longer number)
        r"(?P<y1>\d{4})\s*(?P<sep>[-/.])\s*(?P<m1>\d{1,2})\s*[-/.]\s*(?P<d1>\d{1,2})(?:\s*日)?",
        r"|(?P<y2>\d{4})\s*年\s*(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*[日号]",
        r"|(?P<y3>[一二〇○零０Ｏ〇三四五六七八九]{4})\s*年\s*(?P<m3>[一二三四五六七八九十]{1,3})\s*月\s*(?P<d3>[一二三四五六七八九十]{1,4})\s*日",
        r")",
        // a time of day, read past
        r"(?:\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|\d{1,2}\s*时(?:\s*\d{1,2}\s*分)?))?",
    ))
    .expect("valid regex")
});

/// Every full date in `text`, in order.
pub fn find_all(text: &str) -> Vec<FoundDate> {
    let mut out = Vec::new();
    // Dates have a digit or a Chinese numeral year; most lines have neither.
    for c in FULL.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        // `12022-05-18` or `2022-05-189`: part of a longer number.
        let before = text[..whole.start()].chars().next_back();
        let after = text[whole.end()..].chars().next();
        if before.is_some_and(|b| b.is_ascii_digit())
            || (after.is_some_and(|a| a.is_ascii_digit()) && c.name("sep").is_some())
        {
            continue;
        }
        if let Some(date) = date_of(&c) {
            out.push(FoundDate {
                date,
                start: whole.start(),
                end: whole.end(),
            });
        }
    }
    out
}

/// The first full date in `text`.
pub fn find_first(text: &str) -> Option<FoundDate> {
    find_all(text).into_iter().next()
}

/// `text` is one full date and nothing else but brackets, spaces, a time of
/// day and a weekday: `2020 年 10 月 23 日`, `（2019年7月9日）`,
/// `2023-06-09 15:30`, `二〇二三年六月七日`, `2014年10月17日(星期五)`.
pub fn parse_line(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 40 {
        return None;
    }
    let found = find_first(text)?;
    let rest = format!("{}{}", &text[..found.start], &text[found.end..]);
    let rest = WEEKDAY.replace_all(&rest, "");
    rest.chars()
        .all(|c| {
            c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '[' | ']' | '【' | '】')
        })
        .then_some(found.date)
}

static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:星期|周|礼拜)[一二三四五六日天]").expect("valid regex"));

/// Arabic digits, ASCII or full-width (`２０２０`), as a number.
fn number(s: &str) -> Option<i32> {
    s.chars().try_fold(0i32, |n, c| {
        let d = c
            .to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))?;
        n.checked_mul(10)?.checked_add(d as i32)
    })
}

fn small(s: &str) -> Option<u32> {
    u32::try_from(number(s)?).ok()
}

fn date_of(c: &regex::Captures<'_>) -> Option<NaiveDate> {
    let (y, m, d) = if let (Some(y), Some(m), Some(d)) = (c.name("y1"), c.name("m1"), c.name("d1"))
    {
        (number(y.as_str())?, small(m.as_str())?, small(d.as_str())?)
    } else if let (Some(y), Some(m), Some(d)) = (c.name("y2"), c.name("m2"), c.name("d2")) {
        (number(y.as_str())?, small(m.as_str())?, small(d.as_str())?)
    } else {
        let (y, m, d) = (c.name("y3")?, c.name("m3")?, c.name("d3")?);
        (
            chinese_year(y.as_str())?,
            chinese_number(m.as_str())?,
            chinese_number(d.as_str())?,
        )
    };
    if !(1900..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `二〇二二` → 2022: one numeral a digit.
fn chinese_year(s: &str) -> Option<i32> {
    let mut year = 0i32;
    for c in s.chars() {
        year = year * 10 + digit(c)? as i32;
    }
    (1900..=2100).contains(&year).then_some(year)
}

/// `十八` → 18, `二十` → 20, `三十一` → 31, `五` → 5, `十` → 10.
pub fn chinese_number(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' | 'Ｏ' | '０' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn every_common_form() {
        for (s, want) in [
            ("2022-05-18", d(2022, 5, 18)),
            ("2022/5/18", d(2022, 5, 18)),
            ("2022.05.18", d(2022, 5, 18)),
            ("2022年5月18日", d(2022, 5, 18)),
            ("2022 年 5 月 18 日", d(2022, 5, 18)),
            ("二〇二二年五月十八日", d(2022, 5, 18)),
            ("二○二三年十二月三十一日", d(2023, 12, 31)),
            ("2023-06-09 15:30", d(2023, 6, 9)),
            ("2020年03月25日 11:31", d(2020, 3, 25)),
            ("（2019年7月9日）", d(2019, 7, 9)),
            ("2014年10月17日(星期五)", d(2014, 10, 17)),
            ("2020年05月08日15:19", d(2020, 5, 8)),
        ] {
            assert_eq!(parse_line(s), Some(want), "{s}");
        }
    }

    #[test]
    fn dates_inside_lines() {
        let found = find_all("来源:新疆政府网 发布时间:2020年03月25日 11:31 浏览次数:");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].date, d(2020, 3, 25));
        assert_eq!(
            find_first("发布日期：2022-02-11 19:15").map(|f| f.date),
            Some(d(2022, 2, 11))
        );
    }

    #[test]
    fn full_date_lines_as_bulletins_print_them() {
        assert_eq!(parse_line("2020 年 10 月 23 日"), Some(d(2020, 10, 23)));
        assert_eq!(parse_line("2019年7月9日"), Some(d(2019, 7, 9)));
        assert_eq!(parse_line("  2019 年 7 月 9 日  "), Some(d(2019, 7, 9)));
        assert_eq!(parse_line("２０２０年１０月２３日"), Some(d(2020, 10, 23)));
        assert_eq!(parse_line("二〇二〇年十月二十三日"), Some(d(2020, 10, 23)));
        assert_eq!(parse_line("二零一九年七月九日"), Some(d(2019, 7, 9)));
        assert_eq!(parse_line("2020-10-23"), Some(d(2020, 10, 23)));
        assert_eq!(parse_line("2020.10.23"), Some(d(2020, 10, 23)));
        assert_eq!(
            parse_line("2020年10月23日（星期五）"),
            Some(d(2020, 10, 23))
        );
        assert_eq!(parse_line("2020年10月23日 星期五"), Some(d(2020, 10, 23)));
        assert_eq!(parse_line("2020年10月25日星期日"), Some(d(2020, 10, 25)));
        assert_eq!(parse_line("(2019 年 7 月 9 日)"), Some(d(2019, 7, 9)));
        assert_eq!(parse_line("（2020年10月30日）"), Some(d(2020, 10, 30)));
        assert_eq!(parse_line("2020年10月23日发布"), None);
        assert_eq!(parse_line("2020 年第 192 期"), None);
        assert_eq!(parse_line("2020年2月30日"), None);
        assert_eq!(parse_line("10月23日"), None);
        assert_eq!(parse_line("浙江省人民政府驻上海办事处"), None);
        assert_eq!(parse_line("99999年1月1日"), None);
        assert_eq!(parse_line(""), None);
    }

    #[test]
    fn not_dates() {
        for s in [
            "2020 年第 192 期",
            "12022-05-18",
            "2022-13-01",
            "10月21日",
            "2019年",
            "第2022.5.18号文",
        ] {
            assert_eq!(parse_line(s), None, "{s}");
        }
        assert!(find_all("电话：0371-6555-1234").is_empty());
        assert_eq!(parse_line("2020 年 10 月 23 日，上海启用"), None);
    }
}
