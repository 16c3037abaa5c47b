//! Monetary amounts: every sum of money an article states, as an exact
//! integer in its currency (yuan for CNY).
//!
//! The text is scanned once, left to right. At each numeral (Arabic, Chinese
//! or mixed, see [`numeral`]) a small grammar reads what
//! follows: an inner qualifier (`200 余万`), a multiplier (`万`, `亿`, `千万`,
//! `万亿`), a currency word (`元`, `美元`, …) and an outer qualifier (`以上`);
//! and what precedes: a qualifier (`最高`, `超过`, `近`) or a currency written
//! first (`人民币`). Every lookaround is bounded, and a numeral run is
//! skipped as a whole once read, so the scan is linear in the text whatever
//! it contains (ten million digits in a row included).
//!
//! What makes a number money:
//!
//! * a currency word after it: `50 亿元`, `5000万美元`, `近亿元`;
//! * or membership in a list or range whose unit is written once, with at
//!   least one member that has it: `500 万、800 万、1200 万` after
//!   `200 万元、` (each inherits 元); `10-30万元` (the `10` inherits 万 and 元);
//! * or, for a number with a multiplier and nothing after it (`1000万；`), a
//!   money word nearby in the same clause (`最高贷款额度为1000万`).
//!
//! Everything else is not an amount: `10%`, `50 万千瓦`, `44.19 万吨`,
//! `5000 亩`, `510万个`, `百亿级`, `千万级`; a Chinese numeral without a unit
//! (`二元结构`, `一元化`); a bare unit (`万元`, `亿元`) unless a qualifier makes
//! it a number (`近亿元`, `上亿元`; but not `数亿元`, which has no value).
//! Amounts below one unit (`0.1 元/千瓦时`) are dropped, since the value is an
//! integer; other fractional values are rounded half up.
//!
//! The words (currencies, qualifiers, money-context words and the longer
//! words that cancel them, like 签约 for 约 or 元旦 for 元) are data:
//! `dictionaries/amount_words.csv`, compiled in and loadable at run time.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::extract::numeral::{self, Decimal};
use crate::extract::DictError;
use crate::record::{Amount, Field, Span};

/// The word list's file name under `dictionaries/`.
pub const AMOUNT_WORDS_FILE: &str = "amount_words.csv";

/// The compiled-in copy of `dictionaries/amount_words.csv`.
const BUILTIN_WORDS: &str = include_str!("../../dictionaries/amount_words.csv");

/// How far (in characters) a `before` qualifier may stand from its number.
const QUALIFIER_WINDOW: usize = 10;
/// How far (in characters) a money-context word may stand before a bare number.
const CONTEXT_BEFORE: usize = 12;
/// How far (in characters) a money-context word may stand after a bare number.
const CONTEXT_AFTER: usize = 8;
/// How many spaces may stand between the parts of an amount (`5000 万 元`).
const MAX_SPACES: usize = 3;

/// Where a qualifier stands relative to its number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum QualifierPos {
    /// Before the number, touching it or a few characters away in the same
    /// clause (`最高资金扶持 1 亿元`).
    Before,
    /// Immediately before the number (one-character words like 约, 近).
    Adjacent,
    /// Immediately before a numeral that starts with its unit (`上亿元`).
    Bare,
    /// Between the number and its unit (`200 余万元`).
    Inside,
    /// After the unit (`1000万元及以下`).
    After,
}

/// The amount grammar's word lists.
#[derive(Clone, Debug, Default)]
pub struct AmountLexicon {
    /// Currency words written after the number, longest first.
    currencies: Vec<(String, String)>,
    /// Currency words written before the number (`人民币 5000 万`).
    currencies_before: Vec<(String, String)>,
    /// Qualifiers, longest first.
    qualifiers: Vec<(String, QualifierPos)>,
    /// Words that make a bare `1000万` money.
    context: Vec<String>,
    /// Longer words that cancel a currency or qualifier they overlap.
    not_words: Vec<String>,
    /// Indexes into `currencies` and `qualifiers` by first character, into
    /// `qualifiers` by last character, into `not_words` by first character,
    /// each keeping the longest-first order: a lookup tries only the words
    /// that can match there.
    currencies_by_first: HashMap<char, Vec<usize>>,
    qualifiers_by_first: HashMap<char, Vec<usize>>,
    qualifiers_by_last: HashMap<char, Vec<usize>>,
    not_words_by_first: HashMap<char, Vec<usize>>,
    /// The longest `not_word`, in bytes.
    longest_not_word: usize,
}

impl AmountLexicon {
    /// The lexicon compiled into the binary from
    /// `dictionaries/amount_words.csv`.
    ///
    /// # Panics
    /// If that file, as compiled in, is malformed; a unit test guards this,
    /// and the message names the file and line.
    pub fn builtin() -> &'static AmountLexicon {
        static BUILTIN: OnceLock<AmountLexicon> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            match AmountLexicon::from_csv_str(AMOUNT_WORDS_FILE, BUILTIN_WORDS) {
                Ok(lexicon) => lexicon,
                Err(e) => panic!("compiled-in dictionary is invalid: {e}"),
            }
        })
    }

    /// Load the word list from a file (`dictionaries/amount_words.csv`).
    pub fn from_path(path: &Path) -> Result<AmountLexicon, DictError> {
        let data = std::fs::read_to_string(path).map_err(|source| DictError::Io {
            path: path.display().to_string(),
            source,
        })?;
        AmountLexicon::from_csv_str(&path.display().to_string(), &data)
    }

    /// Parse the word list: CSV with the header `word,kind,value,note`.
    /// `name` is used in error messages.
    pub fn from_csv_str(name: &str, data: &str) -> Result<AmountLexicon, DictError> {
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
        let expected = ["word", "kind", "value"];
        if headers.len() < 3 || headers.iter().take(3).ne(expected.iter().copied()) {
            return Err(invalid(
                1,
                format!(
                    "header must start with word,kind,value; found {:?}",
                    headers
                ),
            ));
        }
        let mut lexicon = AmountLexicon::default();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                invalid(line, e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let word = record.get(0).unwrap_or("").trim();
            let kind = record.get(1).unwrap_or("").trim();
            let value = record.get(2).unwrap_or("").trim();
            if word.is_empty() {
                return Err(invalid(line, "empty word".into()));
            }
            match kind {
                "currency" | "currency_before" => {
                    if value.len() != 3 || !value.bytes().all(|b| b.is_ascii_uppercase()) {
                        return Err(invalid(line, format!("currency {word}: value must be an ISO 4217 code, found {value:?}")));
                    }
                    let list = if kind == "currency" { &mut lexicon.currencies } else { &mut lexicon.currencies_before };
                    list.push((word.to_string(), value.to_string()));
                }
                "qualifier" => {
                    let pos = match value {
                        "before" => QualifierPos::Before,
                        "adjacent" => QualifierPos::Adjacent,
                        "bare" => QualifierPos::Bare,
                        "inside" => QualifierPos::Inside,
                        "after" => QualifierPos::After,
                        _ => {
                            return Err(invalid(
                                line,
                                format!("qualifier {word}: value must be before, adjacent, bare, inside or after, found {value:?}"),
                            ))
                        }
                    };
                    lexicon.qualifiers.push((word.to_string(), pos));
                }
                "context" => lexicon.context.push(word.to_string()),
                "not_word" => lexicon.not_words.push(word.to_string()),
                _ => {
                    return Err(invalid(
                        line,
                        format!("unknown kind {kind:?} (currency, currency_before, qualifier, context, not_word)"),
                    ))
                }
            }
        }
        if lexicon.currencies.is_empty() {
            return Err(invalid(0, "no currency word".into()));
        }
        // Longest first, so that 港元 wins over 元 and 不超过 over 超过.
        lexicon
            .currencies
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        lexicon
            .currencies_before
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        lexicon
            .qualifiers
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        lexicon.currencies_by_first =
            index_by(lexicon.currencies.iter().map(|(w, _)| w.chars().next()));
        lexicon.qualifiers_by_first =
            index_by(lexicon.qualifiers.iter().map(|(w, _)| w.chars().next()));
        lexicon.qualifiers_by_last = index_by(
            lexicon
                .qualifiers
                .iter()
                .map(|(w, _)| w.chars().next_back()),
        );
        lexicon.not_words_by_first = index_by(lexicon.not_words.iter().map(|w| w.chars().next()));
        lexicon.longest_not_word = lexicon.not_words.iter().map(String::len).max().unwrap_or(0);
        Ok(lexicon)
    }

    /// Every monetary amount in `text` (one field of an article), in text
    /// order, each with its span. Repeats are kept: see [`dedupe_amounts`].
    pub fn find(&self, text: &str, field: Field) -> Vec<Amount> {
        let tokens = self.tokens(text);
        let resolved = resolve_groups(text, tokens);
        let mut counter = CharCounter::default();
        let mut out = Vec::new();
        for t in resolved {
            let Some(currency) = t.currency else { continue };
            // Values below one unit are not representable as an integer.
            if t.value.integer_part().map_or(true, |i| i == 0) {
                continue;
            }
            let Some(value) = t.value.to_i64_rounded() else {
                continue;
            };
            let start = counter.char_offset(text, t.start);
            let end = counter.char_offset(text, t.end);
            out.push(Amount {
                text: text[t.start..t.end].to_string(),
                value_yuan: value,
                currency: currency.to_string(),
                qualifier: t.qualifier.map(str::to_string),
                span: Some(Span { field, start, end }),
            });
        }
        out
    }

    /// All candidate tokens, in text order.
    fn tokens<'a>(&'a self, text: &str) -> Vec<Token<'a>> {
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < text.len() {
            // Most characters start no numeral: skip them by their bytes.
            if !may_start_numeral(text.as_bytes(), i) {
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            if numeral::arabic_digit(c).is_some() || numeral::is_chinese_numeral_char(c) {
                let (token, next) = self.read_token(text, i);
                if let Some(t) = token {
                    tokens.push(t);
                }
                i = next.max(i + c.len_utf8());
            } else {
                i += c.len_utf8();
            }
        }
        tokens
    }

    /// Read the token whose numeral starts at byte `start`. Returns the token,
    /// if it is one, and where scanning resumes.
    fn read_token<'a>(&'a self, text: &str, start: usize) -> (Option<Token<'a>>, usize) {
        let rest = &text[start..];
        let prev = text[..start].chars().next_back();
        let arabic = rest
            .chars()
            .next()
            .and_then(numeral::arabic_digit)
            .is_some();
        let (scan, bare_unit) = if arabic {
            match numeral::scan_arabic(rest) {
                Some(s) => (s, false),
                None => return (None, start + 1),
            }
        } else {
            match numeral::scan_chinese(rest) {
                Some(s) => {
                    let run = &rest[..s.len];
                    // Digit-only Chinese (二元, 一元化) is never money.
                    if !run.chars().any(|c| numeral::chinese_unit(c).is_some()) {
                        return (None, start + s.len);
                    }
                    let first = run.chars().next().and_then(numeral::chinese_unit);
                    (s, first.is_some_and(|u| u >= 2))
                }
                None => return (None, start + 1),
            }
        };
        let num_end = start + scan.len;
        let skip = (None, num_end);
        // A number glued to Latin letters or digits is a code (G60, PM2.5, 5G).
        if arabic
            && prev.is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '.' | '_' | '．'))
        {
            return skip;
        }
        // Ordinals and vague counts: 第1000万, 数十亿, 几十万.
        if prev.is_some_and(|p| matches!(p, '第' | '数' | '几' | '好')) {
            return skip;
        }
        let Some(mut value) = scan.value else {
            return skip;
        };

        // Inner qualifier, multiplier, inner qualifier again (10余万, 10万余).
        let mut pos = num_end;
        let mut end = num_end;
        let mut inside: Option<&'a str> = None;
        let mut mult_exp: Option<u32> = None;
        for _ in 0..2 {
            let p = skip_spaces(text, pos);
            if inside.is_none() {
                if let Some(q) = self.qualifier_at(text, p, QualifierPos::Inside) {
                    inside = Some(q);
                    pos = p + q.len();
                    end = pos;
                    continue;
                }
            }
            if mult_exp.is_none() {
                if let Some((exp, len)) = numeral::scan_multiplier(&text[p..]) {
                    let Some(v) = value.times_pow10(exp) else {
                        return skip;
                    };
                    value = v;
                    mult_exp = Some(exp);
                    pos = p + len;
                    end = pos;
                    continue;
                }
            }
            break;
        }
        if arabic && end == num_end {
            // A Latin letter right after the digits: 5G, 3D.
            if text[num_end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            {
                return skip;
            }
        }
        // 1亿2000万: a second Arabic number with a smaller multiplier, no gap.
        if let Some(exp) = mult_exp.filter(|&e| e >= 8) {
            if end == pos && inside.is_none() {
                if let Some(s2) = numeral::scan_arabic(&text[end..]) {
                    if let (Some(v2), Some((exp2, len2))) =
                        (s2.value, numeral::scan_multiplier(&text[end + s2.len..]))
                    {
                        if exp2 < exp {
                            if let Some(sum) =
                                v2.times_pow10(exp2).and_then(|v2| value.checked_add(v2))
                            {
                                value = sum;
                                end += s2.len + len2;
                            }
                        }
                    }
                }
            }
        }
        let resume = end.max(num_end);

        // Currency after the number.
        let mut currency: Option<&'a str> = None;
        let p = skip_spaces(text, end);
        if let Some((word, code)) = self.currency_at(text, p) {
            // 10月1日元旦, 9月1日元: a date, not yen.
            let after_month = text[..trim_spaces_back(text, start)].ends_with('月');
            if !(word.starts_with('日') && after_month) {
                currency = Some(code);
                end = p + word.len();
                // 5000万元人民币: a second word naming the same currency.
                let p2 = skip_spaces(text, end);
                if let Some((w2, c2)) = self.currency_at(text, p2) {
                    if c2 == code {
                        end = p2 + w2.len();
                    }
                }
            }
        }
        // Currency before the number (人民币 5000 万).
        if currency.is_none() {
            let before = &text[..trim_spaces_back(text, start)];
            if let Some((_, code)) = self
                .currencies_before
                .iter()
                .find(|(w, _)| before.ends_with(w.as_str()))
            {
                currency = Some(code.as_str());
            }
        }
        if currency.is_none() {
            // A bare number must end at a clause boundary or a function word,
            // not run into a unit of measure (万千瓦, 万吨, 万个, %).
            let next = text[skip_spaces(text, end)..].chars().next();
            if !next.map_or(true, is_terminator) {
                return (None, resume);
            }
        }

        // Qualifiers before the number: touching it, or (multi-character
        // `before` words) a few characters away in the same clause.
        let mut token_start = start;
        let mut qualifier: Option<&'a str> = None;
        let qstart = trim_spaces_back(text, start);
        let adjacent = self.qualifier_ending_at(text, qstart, |pos| match pos {
            QualifierPos::Before | QualifierPos::Adjacent => true,
            QualifierPos::Bare => bare_unit,
            _ => false,
        });
        if let Some(word) = adjacent {
            qualifier = Some(word);
            token_start = qstart - word.len();
        }
        if bare_unit && qualifier.is_none() {
            // 万元, 亿元 alone are units (单位：万元), not numbers.
            return (None, resume);
        }
        if qualifier.is_none() {
            qualifier = self.distant_qualifier(text, qstart);
        }

        // Qualifier after the unit.
        let mut after: Option<&'a str> = None;
        let p = skip_spaces(text, end);
        if let Some(q) = self.qualifier_at(text, p, QualifierPos::After) {
            after = Some(q);
            end = p + q.len();
        }
        let context =
            currency.is_none() && mult_exp.is_some() && self.has_context(text, start, end);
        let token = Token {
            start: token_start,
            end,
            value,
            multiplier: mult_exp,
            currency,
            qualifier: qualifier.or(inside).or(after),
            prefix_qualifier: qualifier.is_some(),
            context,
        };
        (Some(token), end.max(resume))
    }

    /// The longest currency word at byte `pos` that no longer word cancels.
    fn currency_at<'a>(&'a self, text: &str, pos: usize) -> Option<(&'a str, &'a str)> {
        let rest = &text[pos..];
        let first = rest.chars().next()?;
        self.currencies_by_first
            .get(&first)?
            .iter()
            .map(|&i| &self.currencies[i])
            .find(|(w, _)| rest.starts_with(w.as_str()) && !self.blocked(text, pos, pos + w.len()))
            .map(|(w, c)| (w.as_str(), c.as_str()))
    }

    /// The longest qualifier of kind `kind` at byte `pos`.
    fn qualifier_at<'a>(&'a self, text: &str, pos: usize, kind: QualifierPos) -> Option<&'a str> {
        let rest = &text[pos..];
        let first = rest.chars().next()?;
        self.qualifiers_by_first
            .get(&first)?
            .iter()
            .map(|&i| &self.qualifiers[i])
            .find(|(w, k)| {
                *k == kind
                    && rest.starts_with(w.as_str())
                    && !self.blocked(text, pos, pos + w.len())
            })
            .map(|(w, _)| w.as_str())
    }

    /// The longest qualifier ending at byte `end` that `accept` takes and no
    /// longer word cancels.
    fn qualifier_ending_at(
        &self,
        text: &str,
        end: usize,
        accept: impl Fn(QualifierPos) -> bool,
    ) -> Option<&str> {
        let head = &text[..end];
        let last = head.chars().next_back()?;
        self.qualifiers_by_last
            .get(&last)?
            .iter()
            .map(|&i| &self.qualifiers[i])
            .find(|(w, pos)| {
                accept(*pos)
                    && head.ends_with(w.as_str())
                    && !self.blocked(text, end - w.len(), end)
            })
            .map(|(w, _)| w.as_str())
    }

    /// The nearest `before` qualifier ending within [`QUALIFIER_WINDOW`]
    /// characters before byte `pos`, in the same clause and with no other
    /// number in between (`最高资金扶持 1 亿元`, `最高可达300万元`).
    fn distant_qualifier<'a>(&'a self, text: &str, pos: usize) -> Option<&'a str> {
        for (i, c) in text[..pos].char_indices().rev().take(QUALIFIER_WINDOW) {
            if is_clause_break(c) || numeral::arabic_digit(c).is_some() {
                return None;
            }
            let end = i + c.len_utf8();
            if let Some(word) =
                self.qualifier_ending_at(text, end, |pos| pos == QualifierPos::Before)
            {
                return Some(word);
            }
        }
        None
    }

    /// Whether a money word stands near the bare number at `start..end`, in
    /// the same clause (`贷款额度为1000万`, `1200 万的奖励`).
    fn has_context(&self, text: &str, start: usize, end: usize) -> bool {
        let mut window_start = start;
        for (i, c) in text[..start].char_indices().rev().take(CONTEXT_BEFORE) {
            if is_clause_break(c) {
                break;
            }
            window_start = i;
        }
        let mut window_end = end;
        for (i, c) in text[end..].char_indices().take(CONTEXT_AFTER) {
            if is_clause_break(c) {
                break;
            }
            window_end = end + i + c.len_utf8();
        }
        let before = &text[window_start..start];
        let after = &text[end..window_end];
        self.context
            .iter()
            .any(|w| before.contains(w.as_str()) || after.contains(w.as_str()))
    }

    /// Whether a `not_word` overlaps the match at `start..end` without lying
    /// inside it: 签约 cancels the 约 of `签约 50 亿元`, 元旦 the 日元 of `1日元旦`.
    fn blocked(&self, text: &str, start: usize, end: usize) -> bool {
        if self.longest_not_word == 0 {
            return false;
        }
        let mut lo = start.saturating_sub(self.longest_not_word - 1);
        while !text.is_char_boundary(lo) {
            lo += 1;
        }
        for (offset, c) in text[lo..end.min(text.len())].char_indices() {
            let p = lo + offset;
            let Some(words) = self.not_words_by_first.get(&c) else {
                continue;
            };
            for w in words.iter().map(|&i| self.not_words[i].as_str()) {
                let inside = p >= start && p + w.len() <= end;
                if !inside && p + w.len() > start && text[p..].starts_with(w) {
                    return true;
                }
            }
        }
        false
    }
}

/// Every character that can start a numeral (see [`numeral::arabic_digit`]
/// and [`numeral::is_chinese_numeral_char`]; a unit test checks the two agree).
const NUMERAL_CHARS: &str =
    "０１２３４５６７８９零〇○一壹二两兩贰貳三叁參四肆五伍六陆陸七柒八捌九玖十拾百佰千仟万萬亿億";

/// For each three-byte UTF-8 lead byte (E0..=EF), the second bytes that
/// begin a character of [`NUMERAL_CHARS`], as bits of (byte & 0x3F).
static NUMERAL_PAIRS: [u64; 16] = numeral_pairs(NUMERAL_CHARS);

const fn numeral_pairs(chars: &str) -> [u64; 16] {
    let b = chars.as_bytes();
    let mut out = [0u64; 16];
    let mut i = 0;
    while i + 2 < b.len() {
        // Every character of the list is three bytes long.
        out[(b[i] - 0xe0) as usize] |= 1 << (b[i + 1] & 0x3f);
        i += 3;
    }
    out
}

/// Can a numeral character start at byte `i` of `text`? Exact for ASCII;
/// for other characters a filter on the first two bytes, so that the scan
/// decodes only the few characters that may be numerals. Never true at a
/// continuation byte.
#[inline]
fn may_start_numeral(text: &[u8], i: usize) -> bool {
    let b = text[i];
    if b.is_ascii_digit() {
        return true;
    }
    if !(0xe0..=0xef).contains(&b) {
        return false;
    }
    text.get(i + 1)
        .is_some_and(|&b1| NUMERAL_PAIRS[(b - 0xe0) as usize] >> (b1 & 0x3f) & 1 == 1)
}

/// Positions in a word list grouped by a character of the word (its first or
/// last), keeping the list's order.
fn index_by(keys: impl Iterator<Item = Option<char>>) -> HashMap<char, Vec<usize>> {
    let mut index: HashMap<char, Vec<usize>> = HashMap::new();
    for (i, key) in keys.enumerate() {
        if let Some(c) = key {
            index.entry(c).or_default().push(i);
        }
    }
    index
}

/// Every monetary amount in `text` (one field of an article), in text order,
/// using the compiled-in word list. `span` offsets are characters into `text`.
/// Every occurrence is returned; use [`dedupe_amounts`] for one per value.
pub fn find_amounts(text: &str, field: Field) -> Vec<Amount> {
    AmountLexicon::builtin().find(text, field)
}

/// One amount per distinct (value, currency), the first occurrence kept, in
/// order: "repeated identical amounts in one article are one". Pass the
/// title's amounts before the body's.
pub fn dedupe_amounts(amounts: Vec<Amount>) -> Vec<Amount> {
    let mut seen = std::collections::HashSet::new();
    amounts
        .into_iter()
        .filter(|a| seen.insert((a.value_yuan, a.currency.clone())))
        .collect()
}

/// A candidate amount before lists and ranges are resolved.
#[derive(Clone, Debug)]
struct Token<'a> {
    /// Byte range of the surface form (adjacent qualifiers included).
    start: usize,
    end: usize,
    value: Decimal,
    /// Power of ten of the multiplier written with it, if any.
    multiplier: Option<u32>,
    currency: Option<&'a str>,
    qualifier: Option<&'a str>,
    /// Whether `qualifier` stands before the number (and so may be shared by
    /// the rest of a list: 最高20万元、60万元).
    prefix_qualifier: bool,
    /// A bare number with a multiplier next to a money word.
    context: bool,
}

/// How two neighbouring tokens are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joint {
    List,
    Range,
}

/// The joint between two tokens, if only a list or range separator (and
/// spaces) stands between them.
fn joint(gap: &str) -> Option<Joint> {
    let g = gap.trim_matches(is_space);
    match g {
        "、" | "和" | "及" | "或" | "与" | "以及" => Some(Joint::List),
        "-" | "－" | "–" | "—" | "——" | "~" | "～" | "至" | "到" => Some(Joint::Range),
        _ => None,
    }
}

/// Resolve lists and ranges whose unit is written once, then drop what is
/// still not money.
fn resolve_groups<'a>(text: &str, tokens: Vec<Token<'a>>) -> Vec<Token<'a>> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut group: Vec<Token<'a>> = Vec::new();
    let mut joints: Vec<Joint> = Vec::new();
    for t in tokens {
        if let Some(last) = group.last() {
            let j = if t.start >= last.end {
                joint(&text[last.end..t.start])
            } else {
                None
            };
            match j {
                Some(j) => joints.push(j),
                None => {
                    out.extend(resolve_group(std::mem::take(&mut group), &joints));
                    joints.clear();
                }
            }
        }
        group.push(t);
    }
    out.extend(resolve_group(group, &joints));
    out
}

/// One list or range: members without a unit take it from the nearest member
/// that has one (the following one on a tie, as in `10-30万元`).
fn resolve_group<'a>(mut group: Vec<Token<'a>>, joints: &[Joint]) -> Vec<Token<'a>> {
    let n = group.len();
    // A money word next to any member makes the whole list money
    // (500 万、800 万、1200 万的奖励).
    if group.iter().any(|t| t.context) {
        for t in group
            .iter_mut()
            .filter(|t| t.currency.is_none() && t.multiplier.is_some())
        {
            t.currency = Some("CNY");
        }
    }
    if n > 1 && group.iter().any(|t| t.currency.is_some()) {
        let snapshot: Vec<(Option<&'a str>, Option<u32>)> =
            group.iter().map(|t| (t.currency, t.multiplier)).collect();
        // Nearest member with a unit on each side, in two linear passes.
        let mut left: Vec<Option<usize>> = vec![None; n];
        let mut last = None;
        for i in 0..n {
            left[i] = last;
            if snapshot[i].0.is_some() {
                last = Some(i);
            }
        }
        let mut right: Vec<Option<usize>> = vec![None; n];
        last = None;
        for i in (0..n).rev() {
            right[i] = last;
            if snapshot[i].0.is_some() {
                last = Some(i);
            }
        }
        for i in 0..n {
            if group[i].currency.is_some() {
                continue;
            }
            let donor = match (left[i], right[i]) {
                (Some(l), Some(r)) => Some(if r - i <= i - l { r } else { l }),
                (l, r) => r.or(l),
            };
            let Some(k) = donor else { continue };
            let (currency, multiplier) = snapshot[k];
            if group[i].multiplier.is_none() {
                // 10-30万元: the 10 is 10万.
                match multiplier.and_then(|m| group[i].value.times_pow10(m)) {
                    Some(v) => {
                        group[i].value = v;
                        group[i].multiplier = multiplier;
                    }
                    None if multiplier.is_some() => continue,
                    None => {}
                }
            }
            group[i].currency = currency;
        }
    }
    // A list shares the qualifier written before its first member.
    if n > 1 && joints.iter().all(|&j| j == Joint::List) && group[0].prefix_qualifier {
        let q = group[0].qualifier;
        for t in group.iter_mut().skip(1) {
            if t.qualifier.is_none() {
                t.qualifier = q;
            }
        }
    }
    group.retain(|t| t.currency.is_some());
    group
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}' | '\u{a0}')
}

/// Byte index after at most [`MAX_SPACES`] spaces from `pos`.
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

/// Byte index before at most [`MAX_SPACES`] spaces ending at `pos`.
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

/// Punctuation that ends a clause: qualifiers and money words do not reach
/// across it.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '！'
            | '？'
            | '：'
            | '、'
            | ','
            | ';'
            | '!'
            | '?'
            | ':'
            | '\n'
            | '\r'
            | '（'
            | '）'
            | '('
            | ')'
            | '“'
            | '”'
            | '《'
            | '》'
            | '"'
    )
}

/// Whether `c` may follow a bare number that is money: punctuation or a
/// function word, not a unit of measure or a percent sign.
fn is_terminator(c: char) -> bool {
    if matches!(
        c,
        '的' | '以' | '及' | '左' | '或' | '和' | '与' | '至' | '到' | '、'
    ) {
        return true;
    }
    if matches!(
        c,
        '%' | '％' | '‰' | '°' | '℃' | '.' | '．' | '·' | '㎡' | '/' | '×'
    ) {
        return false;
    }
    !c.is_alphanumeric()
}

/// Converts byte offsets to character offsets, moving forward or backward
/// from the last conversion, so converting offsets in text order is linear.
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

    #[test]
    fn the_numeral_filter_passes_every_numeral_character_and_few_others() {
        for c in ('\0'..='\u{FFFF}')
            .filter(|c| numeral::arabic_digit(*c).is_some() || numeral::is_chinese_numeral_char(*c))
        {
            let s = c.to_string();
            assert!(may_start_numeral(s.as_bytes(), 0), "{c}");
            if !c.is_ascii() {
                assert!(NUMERAL_CHARS.contains(c), "{c} missing from NUMERAL_CHARS");
            }
        }
        let text = "上海市经济和信息化委员会发布通知，推进长三角一体化发展";
        let passed = (0..text.len())
            .filter(|&i| may_start_numeral(text.as_bytes(), i))
            .count();
        assert!(passed < text.chars().count() / 2, "{passed}");
        assert!(!(0..text.len())
            .any(|i| !text.is_char_boundary(i) && may_start_numeral(text.as_bytes(), i)));
    }

    /// (value, currency, qualifier, text) of every amount found.
    fn found(text: &str) -> Vec<(i64, String, Option<String>, String)> {
        find_amounts(text, Field::Text)
            .into_iter()
            .map(|a| (a.value_yuan, a.currency, a.qualifier, a.text))
            .collect()
    }

    fn values(text: &str) -> Vec<i64> {
        find_amounts(text, Field::Text)
            .into_iter()
            .map(|a| a.value_yuan)
            .collect()
    }

    fn one(text: &str, value: i64, qualifier: Option<&str>, surface: &str) {
        let got = found(text);
        assert_eq!(
            got,
            vec![(
                value,
                "CNY".to_string(),
                qualifier.map(str::to_string),
                surface.to_string()
            )],
            "in {text:?}"
        );
    }

    #[test]
    fn builtin_word_list_is_valid() {
        let l = AmountLexicon::from_csv_str(AMOUNT_WORDS_FILE, BUILTIN_WORDS).unwrap();
        assert!(l.currencies.iter().any(|(w, c)| w == "美元" && c == "USD"));
        assert!(l.context.iter().any(|w| w == "贷款"));
    }

    #[test]
    fn simple_amounts_from_the_samples() {
        one(
            "对认定为国家重点实验室、国家级企业技术中心的，最高资金扶持 1 亿元。",
            100_000_000,
            Some("最高"),
            "1 亿元",
        );
        one(
            "给予项目人工智能改造部分投资额 10%-30%的资金支持，最高 5000 万元。",
            50_000_000,
            Some("最高"),
            "最高 5000 万元",
        );
        one(
            "省财政统筹安排 50 亿元资金支持全省政府性融资担保机构建设",
            5_000_000_000,
            None,
            "50 亿元",
        );
        one(
            "批量产品累计发放“三农”、小微企业贷款金额超过12亿元。",
            1_200_000_000,
            Some("超过"),
            "超过12亿元",
        );
        one(
            "年度整合设立的 120 亿元专项资金将集中用于",
            12_000_000_000,
            None,
            "120 亿元",
        );
        one(
            "一是安排重大关键技术攻关项目资金 41.62 亿元，占 34.68%",
            4_162_000_000,
            None,
            "41.62 亿元",
        );
        one(
            "长三角投资（上海）有限公司 10 月 23 日正式挂牌，注册资金 50 亿元，",
            5_000_000_000,
            None,
            "50 亿元",
        );
        one(
            "拟入场企业意向技术采购金额4亿元，",
            400_000_000,
            None,
            "4亿元",
        );
        one(
            "每年累计可为港航企业释放产能近亿元。",
            100_000_000,
            Some("近"),
            "近亿元",
        );
        one(
            "今年一季度三省一市 GDP 总量达到 51341 亿元，继续保持",
            5_134_100_000_000,
            None,
            "51341 亿元",
        );
        one("每人每年不高于100元。", 100, Some("不高于"), "不高于100元");
        one(
            "价值 30 万元以上的大型科学仪器",
            300_000,
            Some("以上"),
            "30 万元以上",
        );
        one(
            "带动1万亿元以上资本进入农业农村",
            1_000_000_000_000,
            Some("以上"),
            "1万亿元以上",
        );
        one(
            "省级设立 5 亿元的广东省质量提升发展基金",
            500_000_000,
            None,
            "5 亿元",
        );
    }

    #[test]
    fn chinese_numerals() {
        one("投资一千二百万元建设", 12_000_000, None, "一千二百万元");
        one("计划投入两亿元，", 200_000_000, None, "两亿元");
        one("总投资十亿元", 1_000_000_000, None, "十亿元");
        one("拨付三千五百万元", 35_000_000, None, "三千五百万元");
        one("获得0.5 亿元融资", 50_000_000, None, "0.5 亿元");
        one("设立1.5亿元基金", 150_000_000, None, "1.5亿元");
        one("补助3千万元", 30_000_000, None, "3千万元");
        one("投资壹仟万元", 10_000_000, None, "壹仟万元");
    }

    #[test]
    fn list_with_unit_written_once() {
        let text = "按照晋级补差原则分别给予 20 万元、30 万元、50 万元、100 万元、200 万元、500 万、800 万、1200 万的奖励。";
        assert_eq!(
            values(text),
            vec![200_000, 300_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 8_000_000, 12_000_000]
        );
        let a = find_amounts(text, Field::Text);
        assert_eq!(a[5].text, "500 万");
        assert!(a.iter().all(|a| a.currency == "CNY"));
        // Unit 元 implied by the money word after the list alone.
        assert_eq!(
            values("分别给予500 万、800 万、1200 万的奖励"),
            vec![5_000_000, 8_000_000, 12_000_000]
        );
    }

    #[test]
    fn list_shares_its_qualifier() {
        let got = found("个人、合伙创业，可分别申请最高20万元、60万元的创业担保贷款");
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].0, got[1].0), (200_000, 600_000));
        assert_eq!(got[0].2.as_deref(), Some("最高"));
        assert_eq!(got[1].2.as_deref(), Some("最高"));
        assert_eq!(got[1].3, "60万元");
        let text = "对人工智能企业主营业务收入首次超过 500 万元、1000 万元、2000 万元、5000 万元、1 亿元、5 亿元、10 亿元、50 亿元的";
        let got = found(text);
        assert_eq!(got.len(), 8);
        assert!(got.iter().all(|g| g.2.as_deref() == Some("超过")));
        assert_eq!(got[7].0, 5_000_000_000);
        assert_eq!(
            values("分别奖励 100 万元、80 万元、50 万元。"),
            vec![1_000_000, 800_000, 500_000]
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(values("补贴1000万-2000万元"), vec![10_000_000, 20_000_000]);
        assert_eq!(values("奖励10-30万元"), vec![100_000, 300_000]);
        assert_eq!(values("奖励10～30万元"), vec![100_000, 300_000]);
        assert_eq!(values("投资5000万元至1亿元"), vec![50_000_000, 100_000_000]);
        let a = find_amounts("奖励10-30万元", Field::Text);
        assert_eq!(a[0].text, "10");
        assert_eq!(a[1].text, "30万元");
    }

    #[test]
    fn bare_amount_in_money_context() {
        one(
            "最高贷款额度为1000万；邮储银行",
            10_000_000,
            Some("最高"),
            "1000万",
        );
        assert_eq!(values("授信金额最高可达300万元，"), vec![3_000_000]);
        assert_eq!(
            found("授信金额最高可达300万元")[0].2.as_deref(),
            Some("最高")
        );
        // Without a money word a bare number is not money.
        assert!(values("覆盖上海89万个公共泊位").is_empty());
        assert!(values("人口达到1000万。").is_empty());
    }

    #[test]
    fn qualifiers() {
        one(
            "1000万元及以下的业务",
            10_000_000,
            Some("及以下"),
            "1000万元及以下",
        );
        one(
            "预计投资总额超过 200 亿元。",
            20_000_000_000,
            Some("超过"),
            "超过 200 亿元",
        );
        one("约 50 亿元", 5_000_000_000, Some("约"), "约 50 亿元");
        one("累计投入逾10亿元", 1_000_000_000, Some("逾"), "逾10亿元");
        one("投资200余万元", 2_000_000, Some("余"), "200余万元");
        one("投资1000多万元", 10_000_000, Some("多"), "1000多万元");
        one("投资10万余元", 100_000, Some("余"), "10万余元");
        one("融资上亿元", 100_000_000, Some("上"), "上亿元");
        one(
            "投资不超过 500 万元",
            5_000_000,
            Some("不超过"),
            "不超过 500 万元",
        );
        // 签约 is not 约.
        one("现场签约 50 亿元", 5_000_000_000, None, "50 亿元");
        // 预计 does not reach past another number.
        one(
            "预计 2025 年产业规模达到 500 亿元",
            50_000_000_000,
            None,
            "500 亿元",
        );
    }

    #[test]
    fn other_currencies() {
        let got =
            found("吸引外资5000万美元，另有300万欧元、20亿日元和1亿港元，以及50万英镑、100万港币");
        let pairs: Vec<(i64, &str)> = got.iter().map(|g| (g.0, g.1.as_str())).collect();
        assert_eq!(
            pairs,
            vec![
                (50_000_000, "USD"),
                (3_000_000, "EUR"),
                (2_000_000_000, "JPY"),
                (100_000_000, "HKD"),
                (500_000, "GBP"),
                (1_000_000, "HKD")
            ]
        );
        one("注册资本5000万元人民币", 50_000_000, None, "5000万元人民币");
        one("注册资本人民币5000万，", 50_000_000, None, "5000万");
        // A date before 元旦 is not yen.
        assert!(values("将于1月1日元旦起施行").is_empty());
        assert!(values("10月1日元宵").is_empty());
    }

    #[test]
    fn not_amounts() {
        for text in [
            "给予项目人工智能改造部分投资额 10%-30%的资金支持",
            "江苏 50 万千瓦海上风电项目落地盐城",
            "两个项目预计年发电量 14 亿千瓦时，可节约标煤 44.19 万吨",
            "预下达新一轮国土空间规划城乡建设用地规模 5000 亩",
            "长三角异地住院直接结算总量已达27.3万人次",
            "第一批共计有近百类超过510万个可共享数据的物联感知设备",
            "覆盖的学生数不超过 1.5 万人。",
            "落实自设立之日起 5 年内减按 15%税率征收企业所得税的政策",
            "打造一批五十亿级和百亿级的省级农产品加工集中区",
            "通过布设千万级社会治理神经元感知节点",
            "“0”元上云及个性化定制等服务产品",
            "淮南—南京—上海 1000 千伏特高压交流输电工程",
            "实现全国首次跨省 5g 视频通话互联",
            "上汽集团浦口基地 ep22 纯电动乘用车生产线",
            "长三角区域 41 个城市 PM2.5 平均浓度比 2017 年下降 10.2%",
            "单位：万元",
            "数亿元资金",
            "城乡二元结构，一元化管理",
            "打造千亿元级产业集群",
            "提供 1：1 联动资助",
            "“十四五”期间",
            "2018年、2019年分别降低一般工商业电价10%",
            "对涉及环保处罚的近万家失信企业",
        ] {
            assert!(found(text).is_empty(), "{text:?} gave {:?}", found(text));
        }
    }

    #[test]
    fn compound_and_sub_yuan() {
        one("投资1亿2000万元", 120_000_000, None, "1亿2000万元");
        one("每度电加价1.5元", 2, None, "1.5元");
        assert!(values("每千瓦时加价0.1元").is_empty());
    }

    #[test]
    fn spans_are_char_offsets() {
        let text = "上海设立120亿元资金，另投资一千二百万元。";
        let a = find_amounts(text, Field::Title);
        assert_eq!(a.len(), 2);
        for a in &a {
            let span = a.span.unwrap();
            assert_eq!(span.field, Field::Title);
            let s: String = text
                .chars()
                .skip(span.start)
                .take(span.end - span.start)
                .collect();
            assert_eq!(s, a.text);
        }
        assert_eq!(a[0].span.unwrap().start, 4);
    }

    #[test]
    fn dedupe_keeps_first_per_value_and_currency() {
        let a = find_amounts("最高 5000 万元；另 5000 万元，5000万美元", Field::Text);
        assert_eq!(a.len(), 3);
        let d = dedupe_amounts(a);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].qualifier.as_deref(), Some("最高"));
        assert_eq!(d[1].currency, "USD");
    }

    #[test]
    fn word_list_errors_name_the_line() {
        let bad = "word,kind,value,note\n元,currency,CNY,\n美元,currency,usd,\n";
        let err = AmountLexicon::from_csv_str("x.csv", bad)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.csv:3:"), "{err}");
        let bad = "word,kind,value\n元,currency,CNY\n最高,qualifier,somewhere\n";
        assert!(AmountLexicon::from_csv_str("x.csv", bad)
            .unwrap_err()
            .to_string()
            .contains(":3:"));
        let bad = "word,kind\n元,currency\n";
        assert!(AmountLexicon::from_csv_str("x.csv", bad).is_err());
    }

    #[test]
    fn a_dictionary_line_adds_a_currency() {
        let base = "word,kind,value,note\n元,currency,CNY,\n";
        let l = AmountLexicon::from_csv_str("t.csv", base).unwrap();
        assert!(l.find("投资500万卢比", Field::Text).is_empty());
        let l =
            AmountLexicon::from_csv_str("t.csv", &format!("{base}卢比,currency,INR,\n")).unwrap();
        let a = l.find("投资500万卢比", Field::Text);
        assert_eq!(
            (a[0].value_yuan, a[0].currency.as_str()),
            (5_000_000, "INR")
        );
    }

    #[test]
    fn garbage_never_panics() {
        // A deterministic pseudo-random walk over characters that matter.
        let alphabet: Vec<char> =
            "0123456789.,，、-—~％%万亿千百十元美日月约近最高超过以上余多人民币签零〇一两三九 \n的资金贷款级个吨".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let len = (seed % 40) as usize;
            let mut s = String::new();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            let chars = s.chars().count();
            for a in find_amounts(&s, Field::Text) {
                let span = a.span.unwrap();
                assert!(span.start < span.end && span.end <= chars, "{s:?}: {a:?}");
                let sub: String = s
                    .chars()
                    .skip(span.start)
                    .take(span.end - span.start)
                    .collect();
                assert_eq!(sub, a.text);
                assert!(a.value_yuan >= 1);
            }
        }
    }

    #[test]
    fn long_inputs_stay_linear() {
        let digits = "9".repeat(2_000_000);
        assert!(find_amounts(&digits, Field::Text).is_empty());
        let many = "投资1万元、".repeat(100_000);
        assert_eq!(find_amounts(&many, Field::Text).len(), 100_000);
        let chinese = "万".repeat(1_000_000);
        assert!(find_amounts(&chinese, Field::Text).is_empty());
        let spaces = format!("5{}万元", " ".repeat(1_000_000));
        assert!(find_amounts(&spaces, Field::Text).is_empty());
    }
}
