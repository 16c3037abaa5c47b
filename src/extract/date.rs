//! Dates: the event date of an article, and the bulletin's own date line.
//!
//! **Which date is the event.** News items in these digests open with the day
//! the thing happened: `10月21日，上海市…启用`, `从10月21日召开的…会议上获悉`,
//! `…启动仪式10月23日举行`, `10月20日获悉`. So the event date is the first
//! date in the body's *lead sentence* (its first paragraph up to the first
//! `。！？`), else the first date in the title, else none. Dates later in the
//! body are about other things and are never used. A date is skipped when
//! its context says it is not an event: an in-force date (`自 2021 年 1 月 1
//! 日起执行`, `将于明年1月1日起施行`), a deadline (`于11月15日之前`), a cut-off
//! (`截至今年4月15日`). 日前 / 近日 / month-only dates (`7 月以来`) give none.
//! A range (`9 月 24 日—26 日`) gives its first day.
//!
//! **Which year.** A year written out (`2018年12月1日`, `二〇二〇年`) is used as
//! written; a relative one (今年, 去年, 明年) counts from the bulletin's year.
//! A bare month and day takes the year that puts it in the one-year window
//! ending [`GRACE_DAYS`] after the bulletin date: the latest such date no
//! more than two months after publication. So a 2020-10-23 bulletin's
//! `10月21日` is 2020-10-21, a December bulletin's `12 月 28 日` the same year,
//! a January bulletin's `12 月 28 日` the year before, and an October
//! bulletin announcing `12月1日` keeps the current year. Without a bulletin
//! date (a PDF extract that lost its header) a bare month and day gives
//! `None`: there is no principled year to give it.
//!
//! The cue words are data: `dictionaries/date_words.csv`.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate};

use crate::extract::numeral;
use crate::extract::DictError;
use crate::record::{Field, Span};

/// The cue-word list's file name under `dictionaries/`.
pub const DATE_WORDS_FILE: &str = "date_words.csv";

const BUILTIN_WORDS: &str = include_str!("../../dictionaries/date_words.csv");

/// How many days after the bulletin date a bare month and day may fall
/// (events the bulletin announces: `将于 9 月 28 日正式上线`).
pub const GRACE_DAYS: u64 = 60;

/// How many spaces may stand between the parts of a date (`10 月 19 日`).
const MAX_SPACES: usize = 3;

/// Years outside this range are not bulletin dates.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The date grammar's cue words.
#[derive(Clone, Debug, Default)]
pub struct DateLexicon {
    /// Words right after a date that make it no event (起, 前, 之前), longest first.
    not_event_after: Vec<String>,
    /// Words right before a date that make it no event (截至, 自), longest first.
    not_event_before: Vec<String>,
    /// 今年 0, 去年 -1, 明年 1, …, longest first.
    relative_years: Vec<(String, i32)>,
}

/// One date as written in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    /// The whole date as written, a range's second half included.
    pub span: Span,
    /// The year as written, if it was.
    pub year: Option<i32>,
    /// The year relative to the bulletin's (今年 0, 去年 -1), if so written.
    pub relative_year: Option<i32>,
    pub month: u32,
    pub day: u32,
    /// An in-force date, a deadline or a cut-off, not an event.
    pub not_event: bool,
}

impl DateLexicon {
    /// The lexicon compiled in from `dictionaries/date_words.csv`.
    ///
    /// # Panics
    /// If that file, as compiled in, is malformed (a unit test guards this).
    pub fn builtin() -> &'static DateLexicon {
        static BUILTIN: OnceLock<DateLexicon> = OnceLock::new();
        BUILTIN.get_or_init(
            || match DateLexicon::from_csv_str(DATE_WORDS_FILE, BUILTIN_WORDS) {
                Ok(lexicon) => lexicon,
                Err(e) => panic!("compiled-in dictionary is invalid: {e}"),
            },
        )
    }

    /// Load the cue words from a file (`dictionaries/date_words.csv`).
    pub fn from_path(path: &Path) -> Result<DateLexicon, DictError> {
        let data = std::fs::read_to_string(path).map_err(|source| DictError::Io {
            path: path.display().to_string(),
            source,
        })?;
        DateLexicon::from_csv_str(&path.display().to_string(), &data)
    }

    /// Parse the cue words: CSV with the header `word,kind,value,note`.
    pub fn from_csv_str(name: &str, data: &str) -> Result<DateLexicon, DictError> {
        let invalid = |line: u64, message: String| DictError::Invalid {
            path: name.to_string(),
            line,
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(data.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| invalid(1, e.to_string()))?
            .clone();
        if headers.len() < 3 || headers.iter().take(3).ne(["word", "kind", "value"]) {
            return Err(invalid(
                1,
                format!(
                    "header must start with word,kind,value; found {:?}",
                    headers
                ),
            ));
        }
        let mut lexicon = DateLexicon::default();
        for record in reader.records() {
            let record =
                record.map_err(|e| invalid(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = record.position().map_or(0, |p| p.line());
            let word = record.get(0).unwrap_or("").trim();
            let kind = record.get(1).unwrap_or("").trim();
            let value = record.get(2).unwrap_or("").trim();
            if word.is_empty() {
                return Err(invalid(line, "empty word".into()));
            }
            match kind {
                "not_event_after" => lexicon.not_event_after.push(word.to_string()),
                "not_event_before" => lexicon.not_event_before.push(word.to_string()),
                "relative_year" => {
                    let offset = value
                        .parse::<i32>()
                        .ok()
                        .filter(|o| o.abs() <= 10)
                        .ok_or_else(|| invalid(line, format!("relative_year {word}: value must be a small integer, found {value:?}")))?;
                    lexicon.relative_years.push((word.to_string(), offset));
                }
                _ => {
                    return Err(invalid(
                        line,
                        format!(
                        "unknown kind {kind:?} (not_event_after, not_event_before, relative_year)"
                    ),
                    ))
                }
            }
        }
        lexicon
            .not_event_after
            .sort_by_key(|w| std::cmp::Reverse(w.len()));
        lexicon
            .not_event_before
            .sort_by_key(|w| std::cmp::Reverse(w.len()));
        lexicon
            .relative_years
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        Ok(lexicon)
    }

    /// Every date with at least a month and a day in `text`, in text order.
    pub fn find(&self, text: &str, field: Field) -> Vec<DateMention> {
        let mut out = Vec::new();
        let mut counter = CharCounter::default();
        let mut resume = 0;
        for (m, _) in text.match_indices('月') {
            if m < resume {
                continue; // the second half of a range already read
            }
            let Some(found) = self.read_date(text, m) else {
                continue;
            };
            resume = found.end;
            let start = counter.char_offset(text, found.start);
            let end = counter.char_offset(text, found.end);
            out.push(DateMention {
                span: Span { field, start, end },
                year: found.year,
                relative_year: found.relative_year,
                month: found.month,
                day: found.day,
                not_event: found.not_event,
            });
        }
        out
    }

    /// The event date of an article: see the module documentation.
    pub fn event_date(
        &self,
        title: &str,
        text: &str,
        bulletin: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        // A speech or report gives its day under the title:
        // `——2022年12月27日在…会议上`, `（2022年1月5日）`.
        if let Some(date) = subtitle_date(text) {
            return Some(date);
        }
        let lead = lead_sentence(text);
        let first = self
            .find(lead, Field::Text)
            .into_iter()
            .find(|m| !m.not_event);
        // `2022-05-18` and the other numeric forms, where they come first.
        let numeric = crate::calendar::find_all(lead).into_iter().find(|f| {
            let (before, after) = (lead[..f.start].trim_end(), lead[f.end..].trim_start());
            !lead[f.start..f.end].contains('月')
                && !self
                    .not_event_before
                    .iter()
                    .any(|w| before.ends_with(w.as_str()))
                && !self
                    .not_event_after
                    .iter()
                    .any(|w| after.starts_with(w.as_str()))
        });
        if let Some(f) = numeric {
            let first_at = first.as_ref().map(|m| char_to_byte(lead, m.span.start));
            if first_at.map_or(true, |at| f.start < at) {
                return Some(f.date);
            }
        }
        // Without a publication date, the year the article names (`2023年迎国庆`)
        // is the year of its bare month and day.
        let bulletin = bulletin.or_else(|| stated_year(title).or_else(|| stated_year(text)));
        if let Some(first) = first {
            return resolve(&first, bulletin);
        }
        // `5日上午，…`: a digest item's day, in the month of its issue.
        if let Some(date) = leading_day(lead, bulletin) {
            return Some(date);
        }
        let first = self
            .find(title, Field::Title)
            .into_iter()
            .find(|m| !m.not_event)?;
        resolve(&first, bulletin)
    }

    /// Read the date whose 月 stands at byte `m`.
    fn read_date(&self, text: &str, m: usize) -> Option<RawDate> {
        // Month: digits right before 月.
        let month_end = trim_spaces_back(text, m);
        let (month, month_start) = number_before(text, month_end, 2)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        // Day: digits and 日/号 after 月.
        let after_month = m + '月'.len_utf8();
        let (day, mut end) = day_after(text, after_month)?;
        // Year: `2020 年`, `二〇二〇年`, or 今年/去年/明年.
        let mut start = month_start;
        let mut year = None;
        let mut relative_year = None;
        let before = trim_spaces_back(text, month_start);
        if text[..before].ends_with('年') {
            let year_end = trim_spaces_back(text, before - '年'.len_utf8());
            if let Some((y, y_start)) = year_before(text, year_end) {
                year = Some(y);
                start = y_start;
            } else if let Some((word, offset)) = self
                .relative_years
                .iter()
                .find(|(w, _)| text[..before].ends_with(w.as_str()))
            {
                relative_year = Some(*offset);
                start = before - word.len();
            }
        }
        // A range: 9 月 24 日—26 日, 9月30日至10月2日.
        if let Some(range_end) = range_end(text, end) {
            end = range_end;
        }
        let after = &text[skip_spaces(text, end)..];
        let before = &text[..trim_spaces_back(text, start)];
        let not_event = self
            .not_event_after
            .iter()
            .any(|w| after.starts_with(w.as_str()))
            || self
                .not_event_before
                .iter()
                .any(|w| before.ends_with(w.as_str()));
        Some(RawDate {
            start,
            end,
            year,
            relative_year,
            month,
            day,
            not_event,
        })
    }
}

/// A date as read, in byte offsets.
struct RawDate {
    start: usize,
    end: usize,
    year: Option<i32>,
    relative_year: Option<i32>,
    month: u32,
    day: u32,
    not_event: bool,
}

/// Every date with a month and a day in `text`, using the compiled-in cue words.
pub fn find_dates(text: &str, field: Field) -> Vec<DateMention> {
    DateLexicon::builtin().find(text, field)
}

/// The event date an article states, resolved against the bulletin date
/// (see the module documentation for the rules).
pub fn event_date(title: &str, text: &str, bulletin: Option<NaiveDate>) -> Option<NaiveDate> {
    DateLexicon::builtin().event_date(title, text, bulletin)
}

/// The calendar date a mention stands for, given the bulletin date.
pub fn resolve(m: &DateMention, bulletin: Option<NaiveDate>) -> Option<NaiveDate> {
    if let Some(y) = m.year {
        return ymd(y, m.month, m.day);
    }
    if let Some(offset) = m.relative_year {
        return ymd(bulletin?.year().checked_add(offset)?, m.month, m.day);
    }
    resolve_month_day(m.month, m.day, bulletin?)
}

/// A bare month and day: the latest such date no more than [`GRACE_DAYS`]
/// after the bulletin date.
pub fn resolve_month_day(month: u32, day: u32, bulletin: NaiveDate) -> Option<NaiveDate> {
    let limit = bulletin.checked_add_days(Days::new(GRACE_DAYS))?;
    // 2月29日 may need to look back up to four years for a leap year; the
    // window is one year, so a date more than a year back is no answer.
    (bulletin.year() - 1..=bulletin.year() + 1)
        .rev()
        .filter_map(|y| ymd(y, month, day))
        .find(|d| *d <= limit)
        .filter(|d| limit.signed_duration_since(*d).num_days() < 366)
}

/// A four-digit year, Arabic (`2020`) or Chinese digit by digit (`二〇二〇`).
fn parse_year(s: &str) -> Option<i32> {
    if s.chars().count() != 4 {
        return None;
    }
    let all_arabic = s.chars().all(|c| numeral::arabic_digit(c).is_some());
    let all_chinese = s.chars().all(|c| numeral::chinese_digit(c).is_some());
    if !all_arabic && !all_chinese {
        return None;
    }
    let v = numeral::parse_number(s)?.to_i64_rounded()?;
    let y = i32::try_from(v).ok()?;
    YEARS.contains(&y).then_some(y)
}

/// A month or day number: Arabic (`9`, `09`, `２４`) or Chinese (`二十三`).
fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.chars().count() > 3 {
        return None;
    }
    let ok = s.chars().all(|c| numeral::arabic_digit(c).is_some())
        || s.chars()
            .all(|c| numeral::chinese_digit(c).is_some() || matches!(c, '十' | '拾'));
    if !ok {
        return None;
    }
    let d = numeral::parse_number(s)?;
    if !d.is_integer() {
        return None;
    }
    u32::try_from(d.to_i64_rounded()?)
        .ok()
        .filter(|&v| (1..=31).contains(&v))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The number (at most `max_chars` digits, Arabic or Chinese) ending at byte
/// `end`, and where it starts; `None` if longer (`123月` is no month).
fn number_before(text: &str, end: usize, max_chars: usize) -> Option<(u32, usize)> {
    let head = &text[..end];
    let last = head.chars().next_back()?;
    let arabic = numeral::arabic_digit(last).is_some();
    let is_part = |c: char| {
        if arabic {
            numeral::arabic_digit(c).is_some()
        } else {
            numeral::chinese_digit(c).is_some() || matches!(c, '十' | '拾')
        }
    };
    let mut start = end;
    let mut count = 0;
    for (i, c) in head.char_indices().rev() {
        if !is_part(c) {
            break;
        }
        count += 1;
        // Chinese needs one more character for the same numbers (十二).
        if count > if arabic { max_chars } else { max_chars + 1 } {
            return None;
        }
        start = i;
    }
    if count == 0 {
        return None;
    }
    // A run longer than a month or day (`2020月`) or glued to a Latin
    // letter or decimal point (`V2.10月`) is something else.
    if head[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
    {
        return None;
    }
    Some((small_number(&text[start..end])?, start))
}

/// A four-digit year ending at byte `end`, and where it starts.
fn year_before(text: &str, end: usize) -> Option<(i32, usize)> {
    let head = &text[..end];
    let mut start = end;
    for (n, (i, c)) in head.char_indices().rev().enumerate() {
        if n == 4 {
            if numeral::arabic_digit(c).is_some() || numeral::chinese_digit(c).is_some() {
                return None;
            }
            break;
        }
        start = i;
    }
    Some((parse_year(&text[start..end])?, start))
}

/// The day after a 月 at byte `pos` (spaces allowed, then digits, then 日 or
/// 号), and the byte after the 日.
fn day_after(text: &str, pos: usize) -> Option<(u32, usize)> {
    let p = skip_spaces(text, pos);
    let rest = &text[p..];
    let first = rest.chars().next()?;
    let arabic = numeral::arabic_digit(first).is_some();
    let mut len = 0;
    for (n, c) in rest.chars().enumerate() {
        let part = if arabic {
            numeral::arabic_digit(c).is_some()
        } else {
            numeral::chinese_digit(c).is_some() || matches!(c, '十' | '拾')
        };
        if !part {
            break;
        }
        if n >= 3 {
            return None;
        }
        len += c.len_utf8();
    }
    if len == 0 {
        return None;
    }
    let day = small_number(&rest[..len])?;
    let q = skip_spaces(text, p + len);
    let unit = text[q..].chars().next()?;
    if unit != '日' && unit != '号' {
        return None;
    }
    Some((day, q + unit.len_utf8()))
}

/// The end of a range's second half after a date ending at byte `pos`
/// (`—26 日`, `至10月2日`), if there is one.
fn range_end(text: &str, pos: usize) -> Option<usize> {
    let p = skip_spaces(text, pos);
    let rest = &text[p..];
    let sep = ["——", "—", "－", "-", "–", "~", "～", "至", "到"]
        .into_iter()
        .find(|s| rest.starts_with(s))?;
    let mut q = skip_spaces(text, p + sep.len());
    // An optional month: 至10月2日.
    if let Some(i) = text[q..]
        .char_indices()
        .take(4)
        .find(|&(_, c)| c == '月')
        .map(|(i, _)| i)
    {
        let m_end = q + i;
        if let Some((month, m_start)) = number_before(text, trim_spaces_back(text, m_end), 2) {
            if m_start == q && (1..=12).contains(&month) {
                q = m_end + '月'.len_utf8();
            }
        }
    }
    day_after(text, q).map(|(_, end)| end)
}

/// The date of a speech's or report's subtitle line, printed before the
/// first paragraph of prose: `——2022年12月27日在…会议上`, `（2022年1月5日）`.
fn subtitle_date(text: &str) -> Option<NaiveDate> {
    for para in text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(6)
    {
        if para.contains(['。', '！', '？']) || para.chars().nth(60).is_some() {
            return None;
        }
        if para.starts_with(['—', '（', '(', '-']) {
            if let Some(f) = crate::calendar::find_first(para) {
                return Some(f.date);
            }
        }
    }
    None
}

/// `5日，…` or `12日上午，…` at the start of the lead: the day of the month
/// the issue came out in, or of the month before when that day is still to
/// come.
fn leading_day(lead: &str, issued: Option<NaiveDate>) -> Option<NaiveDate> {
    let issued = issued?;
    let digits = lead.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 || !lead[digits..].starts_with('日') {
        return None;
    }
    let day: u32 = lead[..digits].parse().ok()?;
    let this_month = NaiveDate::from_ymd_opt(issued.year(), issued.month(), day);
    match this_month {
        Some(d) if d <= issued => Some(d),
        _ => {
            let (y, m) = if issued.month() == 1 {
                (issued.year() - 1, 12)
            } else {
                (issued.year(), issued.month() - 1)
            };
            NaiveDate::from_ymd_opt(y, m, day)
        }
    }
}

/// The last day of the first year an article names (`2023年`), as the
/// date its bare months and days are resolved against.
fn stated_year(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find('年').map(|i| from + i) {
        let digits = bytes[..i]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let before = bytes[..i - digits].last();
        if digits == 4 && !before.is_some_and(u8::is_ascii_digit) {
            let year: i32 = text[i - 4..i].parse().ok()?;
            if (1949..=2100).contains(&year) {
                return NaiveDate::from_ymd_opt(year, 12, 31);
            }
        }
        from = i + '年'.len_utf8();
        if from > 4096 {
            break;
        }
    }
    None
}

/// The byte offset of character `chars` in `text`.
fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| i)
}

/// The lead sentence: the first non-empty paragraph up to its first `。！？`.
fn lead_sentence(text: &str) -> &str {
    // Short lines without a sentence before the first paragraph (a deck
    // under the headline, a byline, a page's caption) are passed over.
    let mut paras = text.split('\n').map(str::trim).filter(|p| !p.is_empty());
    let first = paras.next().unwrap_or("");
    let is_lead = |p: &str| p.contains(['。', '！', '？']) || p.chars().nth(40).is_some();
    let para = if is_lead(first) {
        first
    } else {
        text.split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .take(4)
            .find(|p| is_lead(p))
            .unwrap_or(first)
    };
    match para.find(['。', '！', '？']) {
        Some(i) => &para[..i],
        None => para,
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

fn skip_spaces(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[pos..].chars().take(MAX_SPACES) {
        if !is_space(c) {
            break;
        }
        p += c.len_utf8();
    }
    p
}

fn trim_spaces_back(text: &str, pos: usize) -> usize {
    let mut p = pos;
    for c in text[..pos].chars().rev().take(MAX_SPACES) {
        if !is_space(c) {
            break;
        }
        p -= c.len_utf8();
    }
    p
}

/// Byte → character offsets, linear when called in text order.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn char_offset(&mut self, text: &str, byte: usize) -> usize {
        if byte >= self.byte {
            self.chars += text[self.byte..byte].chars().count();
        } else {
            self.chars -= text[byte..self.byte].chars().count();
        }
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ev(title: &str, text: &str, bulletin: Option<NaiveDate>) -> Option<NaiveDate> {
        event_date(title, text, bulletin)
    }

    #[test]
    fn builtin_words_are_valid() {
        let l = DateLexicon::from_csv_str(DATE_WORDS_FILE, BUILTIN_WORDS).unwrap();
        assert!(l.not_event_after.iter().any(|w| w == "起"));
        assert!(l
            .relative_years
            .iter()
            .any(|(w, o)| w == "去年" && *o == -1));
    }

    #[test]
    fn date_at_the_start_of_the_body() {
        let b = Some(d(2020, 10, 23));
        assert_eq!(
            ev(
                "上海启用全国首家市域物联网运营中心",
                "10月21日，上海市“一网统管”市域物联网运营中心正式启用。",
                b
            ),
            Some(d(2020, 10, 21))
        );
        assert_eq!(
            ev(
                "",
                "10 月 19 日，上海金山区正式发布《金山区特色产业发展指引》。",
                b
            ),
            Some(d(2020, 10, 19))
        );
        assert_eq!(
            ev(
                "",
                "10月20日获悉，“长三角示范区气象保障系统”明年进入全面建设阶段。",
                b
            ),
            Some(d(2020, 10, 20))
        );
        assert_eq!(
            ev("", "从10月21日召开的社区治理与社区规划融合推进工作会议上获悉，参与式社区规划制度将推广试点。", b),
            Some(d(2020, 10, 21))
        );
    }

    #[test]
    fn date_inside_the_lead_sentence() {
        let b = Some(d(2020, 10, 30));
        assert_eq!(
            ev("", "上海市航空航天产业特色园区授牌暨临港新片区大飞机园启动仪式10月23日举行。临港新片区大飞机园位于…", b),
            Some(d(2020, 10, 23))
        );
        assert_eq!(
            ev(
                "",
                "长三角（上海）互联网医院 10 月 24 日投入运行。该互联网医院由…共同建设",
                b
            ),
            Some(d(2020, 10, 24))
        );
        // An announced event a few days after the bulletin.
        assert_eq!(
            ev(
                "",
                "由上海市政府主导…上海市出租车统一平台——“申程出行”，将于 9 月 28 日正式上线。",
                Some(d(2020, 9, 25))
            ),
            Some(d(2020, 9, 28))
        );
    }

    #[test]
    fn ranges_give_the_first_day() {
        assert_eq!(
            ev(
                "",
                "首届全球金融科技大会“外滩大会”将于2020年9月24日—26日在上海市黄浦世博园区举行。",
                Some(d(2020, 9, 25))
            ),
            Some(d(2020, 9, 24))
        );
        assert_eq!(
            ev(
                "",
                "9 月 24 日—26 日，大会在上海举行。",
                Some(d(2020, 9, 25))
            ),
            Some(d(2020, 9, 24))
        );
        let m = find_dates("9月30日至10月2日举行", Field::Text);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].month, m[0].day, m[0].span.end), (9, 30, 11));
    }

    #[test]
    fn year_resolution() {
        // December bulletin, 12 月 28 日: same year.
        assert_eq!(
            resolve_month_day(12, 28, d(2020, 12, 30)),
            Some(d(2020, 12, 28))
        );
        // January bulletin, 12 月 28 日: the year before.
        assert_eq!(
            resolve_month_day(12, 28, d(2021, 1, 8)),
            Some(d(2020, 12, 28))
        );
        // December bulletin announcing 1 月 5 日: next year.
        assert_eq!(
            resolve_month_day(1, 5, d(2020, 12, 20)),
            Some(d(2021, 1, 5))
        );
        // October bulletin announcing 12 月 1 日: this year.
        assert_eq!(
            resolve_month_day(12, 1, d(2020, 10, 23)),
            Some(d(2020, 12, 1))
        );
        // October bulletin, 1 月 5 日: earlier this year.
        assert_eq!(
            resolve_month_day(1, 5, d(2020, 10, 23)),
            Some(d(2020, 1, 5))
        );
        // 2 月 29 日 in a window without one.
        assert_eq!(resolve_month_day(2, 29, d(2021, 6, 1)), None);
        assert_eq!(
            resolve_month_day(2, 29, d(2020, 6, 1)),
            Some(d(2020, 2, 29))
        );
        assert_eq!(resolve_month_day(4, 31, d(2020, 6, 1)), None);
    }

    #[test]
    fn explicit_and_relative_years() {
        let b = Some(d(2019, 7, 9));
        assert_eq!(
            ev(
                "",
                "2018年12月1日，上海、杭州、宁波三座城市率先试点互联互通。",
                b
            ),
            Some(d(2018, 12, 1))
        );
        assert_eq!(
            ev(
                "",
                "2018年12月1日，上海、杭州、宁波三座城市率先试点互联互通。",
                None
            ),
            Some(d(2018, 12, 1))
        );
        assert_eq!(
            ev("", "去年12月28日，某平台上线。", Some(d(2020, 3, 1))),
            Some(d(2019, 12, 28))
        );
        assert_eq!(
            ev("", "二〇二〇年十月二十一日，会议召开。", None),
            Some(d(2020, 10, 21))
        );
        let m = find_dates("2020 年 11 月 1 日", Field::Text);
        assert_eq!((m[0].year, m[0].month, m[0].day), (Some(2020), 11, 1));
        assert_eq!((m[0].span.start, m[0].span.end), (0, 15));
    }

    #[test]
    fn numeric_dates_subtitles_and_leading_days() {
        assert_eq!(
            ev("", "2023-06-07，全省会议在长沙召开。", None),
            Some(d(2023, 6, 7))
        );
        assert_eq!(
            ev(
                "",
                "政府工作报告\n——2022年12月27日在张湾区第十届人民代表大会第二次会议上\n各位代表：",
                None
            ),
            Some(d(2022, 12, 27))
        );
        assert_eq!(
            ev(
                "",
                "（2022年1月5日）\n各位代表：\n现在，我代表旗人民政府向大会报告工作。",
                None
            ),
            Some(d(2022, 1, 5))
        );
        assert_eq!(
            ev("", "5日，记者团到定安采访。", Some(d(2011, 12, 8))),
            Some(d(2011, 12, 5))
        );
        assert_eq!(
            ev("", "28日，记者团到定安采访。", Some(d(2011, 12, 8))),
            Some(d(2011, 11, 28))
        );
        assert_eq!(ev("", "将于 2021-01-01 起施行。", None), None);
    }

    #[test]
    fn not_the_event() {
        let b = Some(d(2020, 10, 30));
        assert_eq!(
            ev("", "近日，江苏省发展改革委同省生态环境厅印发《关于…的通知》，自 2021 年 1 月 1 日起执行。", b),
            None
        );
        assert_eq!(
            ev(
                "",
                "日前，《青岛市农业废弃物管理暂行办法》审议通过，将于 2020 年 11 月 1 日起施行。",
                b
            ),
            None
        );
        assert_eq!(
            ev("", "《上海市公共文化服务保障与促进条例》日前经表决通过正式出炉。该条例将于明年1月1日起施行。", b),
            None
        );
        assert_eq!(
            ev("", "上海市市场监管局会同…制定《告知书》，明确要求各层级转供电主体于11月15日之前，将红利传导至终端用户。", b),
            None
        );
        assert_eq!(
            ev(
                "",
                "截至今年4月15日，长三角异地住院直接结算总量已达27.3万人次。",
                b
            ),
            None
        );
        assert_eq!(ev("", "日前，临港新片区管理委员会发布通知。", b), None);
        assert_eq!(
            ev("", "近日获悉，上海市浦东新区积极推进“一业一证”改革。", b),
            None
        );
        assert_eq!(
            ev("", "7 月以来，江苏省交通运输厅发布并实施多个重头文件。", b),
            None
        );
        assert_eq!(ev("", "到2022年，所有市和80%的县达到标准。", b), None);
    }

    #[test]
    fn later_dates_in_the_body_are_ignored() {
        let text = "自 2018 年以来，长三角区域一体化发展步入新阶段。\n上海、杭州、宁波于 2018 年 12 月 1 日起实现互联互通。\n2018年9月28日，9个城市成为试点。";
        assert_eq!(
            ev("长三角一体化发展步入新阶段", text, Some(d(2019, 7, 9))),
            None
        );
    }

    #[test]
    fn title_is_the_fallback() {
        assert_eq!(
            ev(
                "上海10月21日启用运营中心",
                "日前，上海市运营中心正式启用。",
                Some(d(2020, 10, 23))
            ),
            Some(d(2020, 10, 21))
        );
    }

    #[test]
    fn no_bulletin_date_no_year() {
        assert_eq!(ev("", "8 月 20 日，上海发布《行动方案》。", None), None);
        // A year the article names stands in for the bulletin's.
        assert_eq!(
            ev("", "9月24日，2023年迎国庆篮球赛开赛。", None),
            Some(d(2023, 9, 24))
        );
    }

    #[test]
    fn not_dates() {
        assert!(find_dates("三个月内完成，123月5日，V2.10月3日", Field::Text).is_empty());
        assert!(find_dates("13月1日，10月32日，0月5日", Field::Text).is_empty());
        assert!(find_dates("9 月底", Field::Text).is_empty());
    }

    #[test]
    fn garbage_never_panics() {
        let alphabet: Vec<char> = "0123456789年月日号—-至起前今去明十二〇一 ，。\n自截"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let bulletins = [
            None,
            Some(d(2020, 1, 1)),
            Some(d(1900, 1, 1)),
            Some(d(2200, 12, 31)),
        ];
        for k in 0..3000 {
            let len = (seed % 30) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let _ = event_date(&s, &s, bulletins[k % bulletins.len()]);
            let _ = crate::calendar::parse_line(&s);
            let chars = s.chars().count();
            for m in find_dates(&s, Field::Text) {
                assert!(
                    m.span.start < m.span.end && m.span.end <= chars,
                    "{s:?}: {m:?}"
                );
            }
        }
    }

    #[test]
    fn long_inputs_stay_linear() {
        let months = "月".repeat(1_000_000);
        assert!(find_dates(&months, Field::Text).is_empty());
        let dates = "10月21日，".repeat(200_000);
        assert_eq!(find_dates(&dates, Field::Text).len(), 200_000);
        let digits = format!("{}月1日", "1".repeat(1_000_000));
        assert!(find_dates(&digits, Field::Text).is_empty());
        assert_eq!(
            event_date("", &dates, Some(d(2020, 10, 23))),
            Some(d(2020, 10, 21))
        );
    }
}
