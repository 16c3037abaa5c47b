//! Arabic and Chinese numerals, parsed exactly.
//!
//! Amounts are judged by their exact value in yuan, so nothing here touches
//! floating point: a number is a [`Decimal`] (an integer mantissa and a count
//! of decimal places) and the multipliers 十 百 千 万 亿 are powers of ten, so
//! `30.24万` is `3024 / 10² × 10⁴ = 302400` with no rounding error.
//!
//! Two kinds of entry point:
//!
//! * whole-string parsers ([`parse_number`], [`parse_arabic`],
//!   [`parse_chinese`], [`parse_multiplier`]) for a string that should be
//!   nothing but a numeral;
//! * prefix scanners ([`scan_arabic`], [`scan_chinese`], [`scan_multiplier`])
//!   used by the amount and date finders: they report how far the numeral
//!   *syntactically* extends even when its value is absurd (forty digits), so
//!   that a caller can skip the whole run at once and stay linear in the
//!   length of its text.
//!
//! Overflow and malformed input give `None`; nothing here panics.

/// More integer digits than this is not a number anyone writes in a bulletin
/// (and would not fit the arithmetic below): the run is skipped as a whole.
const MAX_INT_DIGITS: usize = 20;
/// Decimal places kept; `0.123456789012` is already absurd for money.
const MAX_FRACTION_DIGITS: usize = 12;

/// An exact non-negative decimal number: `mantissa / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    mantissa: u128,
    scale: u32,
}

impl Decimal {
    /// A whole number.
    pub fn from_int(n: u128) -> Decimal {
        Decimal {
            mantissa: n,
            scale: 0,
        }
    }

    /// `mantissa / 10^scale`; `None` if `10^scale` does not fit.
    pub fn new(mantissa: u128, scale: u32) -> Option<Decimal> {
        pow10(scale)?;
        Some(Decimal { mantissa, scale })
    }

    /// Whether the value is exactly zero.
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Whether the value has no fractional part.
    pub fn is_integer(self) -> bool {
        match pow10(self.scale) {
            Some(p) => self.mantissa % p == 0,
            None => false,
        }
    }

    /// The value times `10^exp` (a multiplier such as 万 = 10⁴), exact.
    pub fn times_pow10(self, exp: u32) -> Option<Decimal> {
        if exp <= self.scale {
            return Some(Decimal {
                mantissa: self.mantissa,
                scale: self.scale - exp,
            });
        }
        let mantissa = self.mantissa.checked_mul(pow10(exp - self.scale)?)?;
        Some(Decimal { mantissa, scale: 0 })
    }

    /// The exact sum (`1亿` + `2000万` for `1亿2000万`).
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let scale = self.scale.max(other.scale);
        let a = self.mantissa.checked_mul(pow10(scale - self.scale)?)?;
        let b = other.mantissa.checked_mul(pow10(scale - other.scale)?)?;
        Some(Decimal {
            mantissa: a.checked_add(b)?,
            scale,
        })
    }

    /// The integer part (the value rounded down), if `10^scale` fits.
    pub fn integer_part(self) -> Option<u128> {
        Some(self.mantissa / pow10(self.scale)?)
    }

    /// The value rounded to the nearest integer (halves away from zero), if
    /// it fits an `i64`.
    pub fn to_i64_rounded(self) -> Option<i64> {
        let p = pow10(self.scale)?;
        let mut q = self.mantissa / p;
        let r = self.mantissa % p;
        if r.checked_mul(2)? >= p && r != 0 {
            q = q.checked_add(1)?;
        }
        i64::try_from(q).ok()
    }
}

/// `10^exp` as a `u128`, if it fits.
fn pow10(exp: u32) -> Option<u128> {
    10u128.checked_pow(exp)
}

/// The value of an Arabic digit, ASCII or full-width (`０`–`９`: normalised
/// upstream, but a numeral parser should not depend on that).
pub fn arabic_digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The value of a Chinese digit, including the financial forms (壹贰叁…), the
/// traditional ones and the zeros 零 〇 ○.
pub fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '兩' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

/// The power of ten of a Chinese unit character: 十 1, 百 2, 千 3, 万 4, 亿 8.
pub fn chinese_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 1,
        '百' | '佰' => 2,
        '千' | '仟' => 3,
        '万' | '萬' => 4,
        '亿' | '億' => 8,
        _ => return None,
    })
}

/// Whether `c` can be part of a Chinese numeral run (digit or unit).
pub fn is_chinese_numeral_char(c: char) -> bool {
    chinese_digit(c).is_some() || chinese_unit(c).is_some()
}

/// The outcome of a prefix scan: how many bytes the numeral spans, and its
/// value where it has a sensible one. `len` is meaningful even when `value` is
/// `None`, so callers can skip a malformed or absurd run in one step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scanned<T> {
    pub value: Option<T>,
    pub len: usize,
}

/// Scan an Arabic numeral at the start of `s`: digits, optional thousands
/// separators (`1,200`: a comma followed by exactly three digits), optional
/// fraction (`30.24`, full-width `．` accepted). `None` if `s` does not start
/// with a digit.
pub fn scan_arabic(s: &str) -> Option<Scanned<Decimal>> {
    let mut chars = s.char_indices().peekable();
    let mut mantissa: u128 = 0;
    let mut int_digits = 0usize;
    let mut too_long = false;
    let mut end = 0;
    // Integer part with optional thousands groups.
    while let Some(&(i, c)) = chars.peek() {
        if let Some(d) = arabic_digit(c) {
            int_digits += 1;
            if int_digits <= MAX_INT_DIGITS {
                mantissa = mantissa * 10 + u128::from(d);
            } else {
                too_long = true;
            }
            end = i + c.len_utf8();
            chars.next();
        } else if c == ',' && int_digits > 0 && group_of_three(&s[i + 1..]) {
            // `,ddd` followed by a non-digit or another separator.
            chars.next();
        } else {
            break;
        }
    }
    if int_digits == 0 {
        return None;
    }
    // Fraction.
    let mut scale = 0usize;
    if let Some(&(i, c)) = chars.peek() {
        let after = &s[i + c.len_utf8()..];
        if (c == '.' || c == '．') && after.chars().next().and_then(arabic_digit).is_some() {
            chars.next();
            while let Some(&(j, c)) = chars.peek() {
                let Some(d) = arabic_digit(c) else { break };
                scale += 1;
                if scale <= MAX_FRACTION_DIGITS {
                    mantissa = mantissa * 10 + u128::from(d);
                } else {
                    too_long = true;
                }
                end = j + c.len_utf8();
                chars.next();
            }
        }
    }
    // At most 20 + 12 digits: the mantissa above cannot overflow a u128.
    let value = if too_long {
        None
    } else {
        Decimal::new(mantissa, scale as u32)
    };
    Some(Scanned { value, len: end })
}

/// Parse a whole string as an Arabic numeral (`1,200`, `30.24`, `１２３`).
pub fn parse_arabic(s: &str) -> Option<Decimal> {
    let scan = scan_arabic(s)?;
    if scan.len != s.len() {
        return None;
    }
    scan.value
}

/// Whether `s` starts with exactly three digits not followed by a fourth.
fn group_of_three(s: &str) -> bool {
    let mut it = s.chars();
    for _ in 0..3 {
        match it.next() {
            Some(c) if arabic_digit(c).is_some() => {}
            _ => return false,
        }
    }
    !matches!(it.next(), Some(c) if arabic_digit(c).is_some())
}

/// Scan a multiplier at the start of `s`: one of `[十百千]? 万? 亿?` (at least
/// one unit), e.g. `万`, `亿`, `千万`, `百亿`, `万亿`. Returns the power of ten
/// and the bytes consumed; stops before a unit that would break that order
/// (`万千瓦` → `万`, leaving `千瓦`).
pub fn scan_multiplier(s: &str) -> Option<(u32, usize)> {
    let mut exp = 0;
    let mut len = 0;
    // Stage 0: a small unit may come; 1: 万 may come; 2: 亿 may come; 3: done.
    let mut stage = 0;
    for c in s.chars() {
        let Some(u) = chinese_unit(c) else { break };
        let ok = match u {
            1..=3 => stage == 0,
            4 => stage <= 1,
            8 => stage <= 2,
            _ => false,
        };
        if !ok {
            break;
        }
        stage = match u {
            1..=3 => 1,
            4 => 2,
            _ => 3,
        };
        exp += u;
        len += c.len_utf8();
    }
    (len > 0).then_some((exp, len))
}

/// Parse a whole string as a multiplier (`千万` → 7).
pub fn parse_multiplier(s: &str) -> Option<u32> {
    match scan_multiplier(s) {
        Some((exp, len)) if len == s.len() => Some(exp),
        _ => None,
    }
}

/// Scan a maximal run of Chinese numeral characters at the start of `s` (with
/// `点` as a decimal point when a digit follows it) and parse it. `None` if
/// `s` does not start with such a character.
pub fn scan_chinese(s: &str) -> Option<Scanned<Decimal>> {
    let mut len = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let decimal_point = c == '点'
            && len > 0
            && chars
                .peek()
                .is_some_and(|&(_, n)| chinese_digit(n).is_some());
        if is_chinese_numeral_char(c) || decimal_point {
            len = i + c.len_utf8();
        } else {
            break;
        }
    }
    if len == 0 {
        return None;
    }
    Some(Scanned {
        value: parse_chinese(&s[..len]),
        len,
    })
}

/// Parse a whole string as a Chinese numeral: 十 (10), 二十五, 一千二百,
/// 三千五百万, 两亿, 一亿二千万, 一万亿, 一百零五, financial forms (壹仟贰佰),
/// the colloquial elided last unit (一万五 = 15000, 两千五 = 2500), a decimal
/// point (一点五亿 is *not* handled here, see [`parse_number`]; 一点五 = 1.5),
/// and digit-by-digit strings without units (二〇二〇 = 2020, as in years).
pub fn parse_chinese(s: &str) -> Option<Decimal> {
    if s.is_empty() {
        return None;
    }
    if let Some((int, frac)) = s.split_once('点') {
        let int = if int.is_empty() {
            0
        } else {
            chinese_integer(int)?
        };
        let mut mantissa = int;
        let mut scale = 0u32;
        for c in frac.chars() {
            let d = chinese_digit(c)?;
            if scale as usize >= MAX_FRACTION_DIGITS {
                return None;
            }
            mantissa = mantissa.checked_mul(10)?.checked_add(u128::from(d))?;
            scale += 1;
        }
        if scale == 0 {
            return None;
        }
        return Decimal::new(mantissa, scale);
    }
    chinese_integer(s).map(Decimal::from_int)
}

/// The integer value of a Chinese numeral without a decimal point.
fn chinese_integer(s: &str) -> Option<u128> {
    // Digit-by-digit (二〇二〇): no unit at all, more than one digit.
    if s.chars().all(|c| chinese_digit(c).is_some()) {
        let mut n: u128 = 0;
        let mut count = 0;
        for c in s.chars() {
            count += 1;
            if count > MAX_INT_DIGITS {
                return None;
            }
            n = n * 10 + u128::from(chinese_digit(c)?);
        }
        return Some(n);
    }
    // Positional with units. `high`: completed 亿 groups; `mid`: the 万 group
    // since the last 亿; `section`: below 万; `digit`: a digit awaiting its unit.
    let mut high: u128 = 0;
    let mut mid: u128 = 0;
    let mut section: u128 = 0;
    let mut digit: Option<u128> = None;
    let mut last_small: Option<u32> = None;
    let mut last_big: Option<u32> = None;
    let mut zero_seen = false;
    for (i, c) in s.char_indices() {
        let first = i == 0;
        if let Some(d) = chinese_digit(c) {
            if d == 0 {
                zero_seen = true;
                if digit.is_some() {
                    return None;
                }
                continue;
            }
            if digit.is_some() {
                return None; // two digits without a unit: 一二百
            }
            digit = Some(u128::from(d));
        } else if let Some(u) = chinese_unit(c) {
            match u {
                1..=3 => {
                    if last_small.is_some_and(|l| u >= l) {
                        return None; // 十百, 百百
                    }
                    // A bare small unit only opens a numeral (十, 百万); 万千 is not one.
                    let n = match digit.take() {
                        Some(d) => d,
                        None if first => 1,
                        None => return None,
                    };
                    section = section.checked_add(n.checked_mul(pow10(u)?)?)?;
                    last_small = Some(u);
                }
                4 => {
                    if mid != 0 || last_big == Some(4) {
                        return None; // 一万二万
                    }
                    let mut group = section.checked_add(digit.take().unwrap_or(0))?;
                    if group == 0 {
                        if high != 0 {
                            return None; // 一亿万
                        }
                        group = 1; // 万 alone, 万亿
                    }
                    mid = group.checked_mul(10_000)?;
                    section = 0;
                    last_small = None;
                    last_big = Some(4);
                }
                _ => {
                    let mut group = mid
                        .checked_add(section)?
                        .checked_add(digit.take().unwrap_or(0))?;
                    if group == 0 {
                        if high != 0 {
                            return None; // 亿亿
                        }
                        group = 1; // 亿 alone
                    }
                    high = high.checked_add(group)?.checked_mul(100_000_000)?;
                    mid = 0;
                    section = 0;
                    last_small = None;
                    last_big = Some(8);
                }
            }
            zero_seen = false;
        } else {
            return None;
        }
    }
    // A trailing digit: its own value, or the elided next unit down
    // (一千二 = 1200, 一万五 = 15000) when no 零 stands before it.
    let trailing = match digit {
        None => 0,
        Some(d) if zero_seen => d,
        Some(d) => {
            let exp = match (last_small, last_big) {
                (Some(u), _) => u - 1,
                (None, Some(b)) if section == 0 => b - 1,
                _ => 0,
            };
            d.checked_mul(pow10(exp)?)?
        }
    };
    high.checked_add(mid)?
        .checked_add(section)?
        .checked_add(trailing)
}

/// Parse a whole string as a number, Arabic, Chinese or mixed, with an
/// optional multiplier and spaces between number and multiplier: `1.5亿`,
/// `5000 万`, `3千万`, `30.24万`, `一千二百万`, `两亿`, `1,200`, `一点五亿`.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if let Some(scan) = scan_arabic(s) {
        let value = scan.value?;
        let rest = s[scan.len..].trim_start();
        if rest.is_empty() {
            return Some(value);
        }
        let exp = parse_multiplier(rest)?;
        return value.times_pow10(exp);
    }
    // Chinese: a decimal point takes the multiplier after its digits
    // (一点五亿), which the positional reading cannot express.
    if let Some((int, rest)) = s.split_once('点') {
        let digits_end = rest
            .char_indices()
            .find(|&(_, c)| chinese_digit(c).is_none())
            .map_or(rest.len(), |(i, _)| i);
        let (frac, unit) = rest.split_at(digits_end);
        let value = parse_chinese(&format!("{int}点{frac}"))?;
        if unit.trim().is_empty() {
            return Some(value);
        }
        return value.times_pow10(parse_multiplier(unit.trim())?);
    }
    parse_chinese(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(s: &str) -> Option<i64> {
        parse_number(s).and_then(Decimal::to_i64_rounded)
    }

    #[test]
    fn arabic() {
        assert_eq!(int("1"), Some(1));
        assert_eq!(int("0.5"), Some(1)); // rounds half up
        assert_eq!(parse_number("0.5"), Decimal::new(5, 1));
        assert_eq!(int("1,200"), Some(1200));
        assert_eq!(int("1,234,567"), Some(1_234_567));
        assert_eq!(int("51341"), Some(51341));
        assert_eq!(int("１２３"), Some(123));
        assert_eq!(int("３０．２４万"), Some(302_400));
        assert_eq!(int("1,2"), None);
        assert_eq!(int("1,2345"), None);
        assert_eq!(int("1."), None);
        assert_eq!(parse_arabic("30.24"), Decimal::new(3024, 2));
        assert_eq!(parse_arabic("1,200"), Some(Decimal::from_int(1200)));
        assert_eq!(parse_arabic("30.24万"), None);
        assert_eq!(parse_arabic(""), None);
    }

    #[test]
    fn mixed_forms_are_exact() {
        assert_eq!(int("30.24万"), Some(302_400));
        assert_eq!(int("41.62 亿"), Some(4_162_000_000));
        assert_eq!(int("1.5亿"), Some(150_000_000));
        assert_eq!(int("5000万"), Some(50_000_000));
        assert_eq!(int("5000 万"), Some(50_000_000));
        assert_eq!(int("3千万"), Some(30_000_000));
        assert_eq!(int("1万亿"), Some(1_000_000_000_000));
        assert_eq!(int("0.5亿"), Some(50_000_000));
        assert_eq!(int("28.1 亿"), Some(2_810_000_000));
        assert_eq!(int("0.123456789012亿"), Some(12_345_679)); // rounded once, at the end
        assert_eq!(int("5000万亿亿"), None);
        assert_eq!(int("5万千"), None);
    }

    #[test]
    fn chinese() {
        assert_eq!(int("零"), Some(0));
        assert_eq!(int("〇"), Some(0));
        assert_eq!(int("十"), Some(10));
        assert_eq!(int("二十五"), Some(25));
        assert_eq!(int("十五万"), Some(150_000));
        assert_eq!(int("一千二百"), Some(1200));
        assert_eq!(int("一千二百万"), Some(12_000_000));
        assert_eq!(int("三千五百万"), Some(35_000_000));
        assert_eq!(int("两亿"), Some(200_000_000));
        assert_eq!(int("一亿二千万"), Some(120_000_000));
        assert_eq!(int("一万亿"), Some(1_000_000_000_000));
        assert_eq!(int("万亿"), Some(1_000_000_000_000));
        assert_eq!(int("亿"), Some(100_000_000));
        assert_eq!(int("百亿"), Some(10_000_000_000));
        assert_eq!(int("一百零五"), Some(105));
        assert_eq!(int("一千零五十"), Some(1050));
        assert_eq!(int("一万五"), Some(15_000));
        assert_eq!(int("两千五"), Some(2500));
        assert_eq!(int("一亿五"), Some(150_000_000));
        assert_eq!(int("一亿零五"), Some(100_000_005));
        assert_eq!(int("壹仟贰佰"), Some(1200));
        assert_eq!(int("叁拾"), Some(30));
        assert_eq!(int("二〇二〇"), Some(2020));
        assert_eq!(int("二零一九"), Some(2019));
        assert_eq!(parse_number("一点五"), Decimal::new(15, 1));
        assert_eq!(int("一点五亿"), Some(150_000_000));
    }

    #[test]
    fn malformed_chinese() {
        assert_eq!(int("十百"), None);
        assert_eq!(int("百百"), None);
        assert_eq!(int("一二百"), None);
        assert_eq!(int("一万二万"), None);
        assert_eq!(int("亿亿"), None);
        assert_eq!(int("十四五"), None); // 十四 then a bare digit: a plan name, not a number
        assert_eq!(int("万千"), None);
        assert_eq!(int(""), None);
        assert_eq!(int("点"), None);
    }

    #[test]
    fn scanners_report_extent() {
        let s = scan_arabic("50 万千瓦").unwrap();
        assert_eq!((s.value, s.len), (Some(Decimal::from_int(50)), 2));
        assert_eq!(scan_multiplier("万千瓦"), Some((4, 3)));
        assert_eq!(scan_multiplier("千万元"), Some((7, 6)));
        assert_eq!(scan_multiplier("万亿元"), Some((12, 6)));
        assert_eq!(scan_multiplier("元"), None);
        let s = scan_chinese("一千二百万元").unwrap();
        assert_eq!(s.len, "一千二百万".len());
        assert_eq!(s.value.and_then(Decimal::to_i64_rounded), Some(12_000_000));
        let s = scan_chinese("一点一滴").unwrap();
        assert_eq!(s.len, "一点一".len());
        assert_eq!(scan_chinese("元"), None);
        assert_eq!(scan_arabic("abc"), None);
        assert_eq!(scan_arabic("1,200元").unwrap().len, 5);
        assert_eq!(scan_arabic("1,20元").unwrap().len, 1);
    }

    #[test]
    fn absurd_input_gives_none_and_full_extent() {
        let digits = "9".repeat(100_000);
        let s = scan_arabic(&digits).unwrap();
        assert_eq!(s.value, None);
        assert_eq!(s.len, digits.len());
        assert_eq!(int(&"9".repeat(19)), None); // > i64::MAX
        assert_eq!(int("99999999999亿"), None);
        assert_eq!(int("9223372036854775807"), Some(i64::MAX));
        let cn = "九".repeat(100);
        assert_eq!(int(&cn), None);
        assert_eq!(int(&"亿".repeat(40)), None);
        assert_eq!(int(&"九千九百九十九万".repeat(5)), None);
    }

    #[test]
    fn decimal_arithmetic() {
        let a = Decimal::new(3024, 2).unwrap();
        assert!(!a.is_integer());
        assert_eq!(a.times_pow10(4).unwrap(), Decimal::from_int(302_400));
        assert!(a.times_pow10(4).unwrap().is_integer());
        let sum = Decimal::from_int(100_000_000)
            .checked_add(Decimal::new(5, 1).unwrap())
            .unwrap();
        assert_eq!(sum.to_i64_rounded(), Some(100_000_001));
        assert_eq!(Decimal::new(1, 200), None);
        assert!(Decimal::from_int(0).is_zero());
    }
}
