//! Programs: named policy documents and initiatives.
//!
//! * 《…》 titles that end like a policy document (方案, 办法, 条例, 白皮书,
//!   协议 …) or are followed by one (《…》地方标准). Journals and newspapers
//!   are not programs. A short title that repeats the end of a full one
//!   (《通知》, 《办法》, 《指导意见》) is another mention of that one; a notice
//!   that publishes a document (关于印发〈X〉的通知) gives the notice and X.
//! * Quoted names (“一业一证”改革, “工伤保险专递”服务) when the quote is
//!   followed by a word that makes it an initiative, ends like a name of
//!   one, or is a known initiative; slogans and figures of speech
//!   (“最后一公里”, “塔基”) are listed in `words.csv` and never are.
//! * Known unquoted initiatives from `programs/initiatives.csv` (科技创新券).
//! * Named funds of a region (广东省质量提升发展基金, 省自然科学基金).
//!
//! Every program gets a template key: its name without jurisdictions, years,
//! editions and 暂行/试行, so that the same policy in two provinces shares it.

use std::collections::HashSet;

use regex::Regex;

use super::agency::{region_prefix, Place};
use super::gazetteer::Gazetteer;
use super::lexicon::{Entry, Lexicon, Token};
use super::region::{RegionTok, Resolution};
use super::rules::{ends_with_any, starts_with_any, Rules};
use super::text::{is_han, Cover, Text};
use crate::record::EntityRef;

/// Where a program's name gets a region from (named funds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    None,
    /// The region token starting at this position (field, start).
    Written(usize, usize),
    Province,
    City,
}

/// One program mention.
#[derive(Clone, Debug)]
pub struct Hit {
    pub field: usize,
    pub start: usize,
    pub end: usize,
    /// Name as found (normalised); for owned funds, the part after the region.
    pub name: String,
    pub document: bool,
    pub owner: Owner,
}

/// What the program pass found, including the spans inside which a place
/// name is part of another name.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub hits: Vec<Hit>,
    pub shields: [Vec<(usize, usize)>; 2],
}

/// Compiled patterns for template keys.
pub struct Templates {
    wrapper: Regex,
    years: Regex,
    editions: Regex,
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        // These patterns are constants; a failure here is a bug caught by tests.
        let re =
            |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("bad built-in pattern {p}: {e}"));
        Templates {
            wrapper: re(r"^(?:关于)?(?:印发|转发|发布)(?:修订后的)?[〈《<]?(.+?)[〉》>]?的通知$"),
            years: re(
                r"（\d{4}(?:\s*[-—–~至]\s*\d{4})?\s*年?度?）|\d{4}(?:[-—–~至]\d{4})?年度?|（\d{4}版）",
            ),
            editions: re(r"（?(?:试行|暂行|修订|修订版|征求意见稿)）?|\d+(?:\.\d+)?版|暂行|试行"),
        }
    }

    /// The template key of a program name: 江苏省科技创新券试点方案 →
    /// 科技创新券试点方案; 关于印发〈X〉的通知 → key of X.
    pub fn key(&self, lex: &Lexicon, rules: &Rules, name: &str) -> String {
        let mut s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        // Each rewrite runs only where it can match (the wrapper ends in
        // 的通知, years hold a digit, editions one of their words), so most
        // names are not copied again and again.
        if s.ends_with("的通知") {
            if let Some(c) = self.wrapper.captures(&s) {
                s = c[1].to_string();
            }
        }
        if s.contains(['〈', '〉', '《', '》', '“', '”', '"']) {
            s = s.replace(['〈', '〉', '《', '》', '“', '”', '"'], "");
        }
        if s.chars().any(char::is_numeric) {
            s = self.years.replace_all(&s, "").into_owned();
        }
        if ["试行", "暂行", "修订", "征求意见稿", "版"]
            .iter()
            .any(|w| s.contains(w))
        {
            s = self.editions.replace_all(&s, "").into_owned();
        }
        for w in &rules.template_drop {
            if s.contains(w.as_str()) {
                s = s.replace(w.as_str(), "");
            }
        }
        // Leading jurisdictions, possibly several (上海·深圳·青岛, 中国（上海）自由贸易试验区临港新片区).
        loop {
            let body = s.strip_prefix("关于").unwrap_or(&s);
            let lead = s.len() - body.len();
            match lex.prefix(body) {
                // Two characters at least: 浙 of 浙里办 is no jurisdiction.
                Some((n, p))
                    if n < body.len()
                        && body[..n].chars().count() >= 2
                        && lex.entries(p).iter().any(|e| matches!(e, Entry::Region(_))) =>
                {
                    let mut rest = &body[n..];
                    for sep in ["·", "、", "和", "与", "及"] {
                        if let Some(r) = rest.strip_prefix(sep) {
                            rest = r;
                            break;
                        }
                    }
                    let cut = lead + (body.len() - rest.len());
                    let next: String = format!("{}{}", &s[..lead], &s[cut..]);
                    if next == s {
                        break;
                    }
                    s = next;
                }
                _ => break,
            }
        }
        s.trim_matches(|c: char| c == '（' || c == '）' || c.is_whitespace())
            .to_string()
    }
}

/// Strip trailing parentheticals: 管理办法（试行） → 管理办法.
fn strip_trailing_parens(s: &str) -> &str {
    let mut s = s;
    while s.ends_with('）') {
        match s.rfind('（') {
            Some(i) if i > 0 => s = &s[..i],
            _ => break,
        }
    }
    s
}

struct Bracket {
    field: usize,
    start: usize,
    end: usize,
    content: String,
    core: String,
    document: bool,
}

/// Find program mentions in title and body.
pub fn find(
    lex: &Lexicon,
    initiatives: &[String],
    rules: &Rules,
    texts: &[Text; 2],
    tokens: &[Vec<Token>; 2],
) -> Found {
    let mut found = Found::default();
    // 1. 《…》 titles.
    let mut brackets: Vec<Bracket> = Vec::new();
    for (field, text) in texts.iter().enumerate() {
        let mut i = 0;
        while i < text.len() {
            if text.chars[i] != '《' {
                i += 1;
                continue;
            }
            let close = (i + 1..text.len().min(i + 160))
                .take_while(|&k| text.chars[k] != '\n' && text.chars[k] != '《')
                .find(|&k| text.chars[k] == '》');
            let Some(close) = close else {
                i += 1;
                continue;
            };
            let (start, end) = (i + 1, close);
            found.shields[field].push((start, end));
            let content = text.slice(start, end);
            let core = strip_trailing_parens(&content).to_string();
            let publication = rules.publication.contains(&content)
                || ends_with_any(&core, &rules.publication_suffix).is_some();
            let after = &text.string[text.byte(close + 1)..];
            let document = !publication
                && !core.is_empty()
                && (ends_with_any(&core, &rules.doc_suffix).is_some()
                    || starts_with_any(after, &rules.doc_after).is_some());
            if !publication {
                brackets.push(Bracket {
                    field,
                    start,
                    end,
                    content,
                    core,
                    document,
                });
            }
            i = close + 1;
        }
    }
    // A short reference repeats the end of a longer title of the article:
    // index every short ending (up to 8 characters) of every full title.
    const SHORT: usize = 8;
    let mut endings: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (k, b) in brackets.iter().enumerate().filter(|(_, b)| b.document) {
        let chars: Vec<char> = b.core.chars().collect();
        for n in 1..=SHORT.min(chars.len().saturating_sub(1)) {
            endings
                .entry(chars[chars.len() - n..].iter().collect())
                .or_default()
                .push(k);
        }
    }
    let short_ref: Vec<bool> = brackets
        .iter()
        .map(|b| b.core.chars().count() <= SHORT && endings.contains_key(&b.core))
        .collect();
    for (bi, b) in brackets.iter().enumerate() {
        let is_type_word = rules.doc_suffix.contains(&b.core);
        let target = if short_ref[bi] {
            // The nearest full title before it, else the first after it.
            let full: Vec<usize> = endings
                .get(&b.core)
                .map(|v| v.iter().copied().filter(|&k| !short_ref[k]).collect())
                .unwrap_or_default();
            full.iter()
                .copied()
                .rfind(|&k| k < bi)
                .or_else(|| full.iter().copied().find(|&k| k > bi))
        } else {
            None
        };
        if let Some(t) = target {
            found.hits.push(Hit {
                field: b.field,
                start: b.start,
                end: b.end,
                name: brackets[t].content.clone(),
                document: true,
                owner: Owner::None,
            });
            continue;
        }
        if !b.document || is_type_word {
            continue;
        }
        found.hits.push(Hit {
            field: b.field,
            start: b.start,
            end: b.end,
            name: b.content.clone(),
            document: true,
            owner: Owner::None,
        });
        // 关于印发〈X〉的通知 also names X.
        for lead in ["关于印发", "印发", "关于转发", "转发"] {
            if let Some(rest) = b.content.strip_prefix(lead) {
                if let Some(inner) = rest.strip_suffix("的通知") {
                    let trimmed = inner
                        .trim_start_matches(['〈', '《', '<'])
                        .trim_end_matches(['〉', '》', '>']);
                    let skip_front = lead.chars().count()
                        + (inner.chars().count()
                            - inner.trim_start_matches(['〈', '《', '<']).chars().count());
                    let n = trimmed.chars().count();
                    if n >= 4 {
                        let s = b.start + skip_front;
                        found.hits.push(Hit {
                            field: b.field,
                            start: s,
                            end: s + n,
                            name: trimmed.to_string(),
                            document: true,
                            owner: Owner::None,
                        });
                    }
                }
                break;
            }
        }
    }
    let bracket_cover = Cover::new(&[
        brackets
            .iter()
            .filter(|b| b.field == 0)
            .map(|b| (b.start, b.end))
            .collect(),
        brackets
            .iter()
            .filter(|b| b.field == 1)
            .map(|b| (b.start, b.end))
            .collect(),
    ]);
    let in_bracket =
        |field: usize, pos: usize| bracket_cover.covering(field, pos, pos + 1).is_some();

    // 2. Quoted names.
    let mut pending: Vec<(usize, usize, usize, String)> = Vec::new();
    for (field, text) in texts.iter().enumerate() {
        let mut i = 0;
        while i < text.len() {
            let c = text.chars[i];
            let closer = match c {
                '“' => '”',
                '「' => '」',
                '"' => '"',
                _ => {
                    i += 1;
                    continue;
                }
            };
            let close = (i + 1..text.len().min(i + 40))
                .take_while(|&k| text.chars[k] != '\n')
                .find(|&k| text.chars[k] == closer);
            let Some(close) = close else {
                i += 1;
                continue;
            };
            let (start, end) = (i + 1, close);
            let i_open = i;
            i = close + 1;
            if in_bracket(field, start) || end <= start {
                continue;
            }
            found.shields[field].push((start, end));
            let content = text.slice(start, end);
            let n = content.chars().count();
            if !(2..=30).contains(&n)
                || content.contains(['，', '。', '；', '：', '、', ',', '+'])
                || rules.not_initiative.contains(&content)
            {
                continue;
            }
            let after = &text.string[text.byte(close + 1)..];
            let cue = starts_with_any(after, &rules.initiative_cue);
            let before = &text.string[..text.byte(i_open)];
            let cue_before = ends_with_any(before, &rules.initiative_cue_before).is_some();
            let version = content.ends_with('版')
                && content
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_digit());
            let known = lex
                .get(&content)
                .map(|p| {
                    lex.entries(p)
                        .iter()
                        .any(|e| matches!(e, Entry::Initiative(_)))
                })
                .unwrap_or(false);
            let suffix = ends_with_any(&content, &rules.initiative_suffix)
                .map(|s| n >= 4 || (s == "制" && n >= 3))
                .unwrap_or(false);
            let document = n >= 6
                && ends_with_any(&content, &rules.doc_suffix).is_some()
                && ends_with_any(before, &rules.doc_publish_verb).is_some();
            if known || cue.is_some() || cue_before || suffix || version || document {
                // Very short or numeric names take their noun along: “双百”行动, “1111”工程.
                let name = match cue {
                    Some(w)
                        if (n <= 2 || content.chars().all(|c| c.is_ascii_digit()))
                            && matches!(w, "行动" | "工程" | "计划" | "专项行动" | "行动计划") =>
                    {
                        format!("{content}{w}")
                    }
                    _ => content.clone(),
                };
                let name = if known {
                    canonical_initiative(lex, initiatives, &content).unwrap_or(name)
                } else {
                    name
                };
                found.hits.push(Hit {
                    field,
                    start,
                    end,
                    name,
                    document,
                    owner: Owner::None,
                });
            } else {
                pending.push((field, start, end, content));
            }
        }
    }
    // A quote that repeats an accepted name (“双百”, then “双百行动”清单).
    let keys: HashSet<String> = found
        .hits
        .iter()
        .filter(|h| !h.document)
        .map(|h| merge_key(&h.name))
        .collect();
    for (field, start, end, content) in pending {
        if keys.contains(&merge_key(&content)) {
            found.hits.push(Hit {
                field,
                start,
                end,
                name: content,
                document: false,
                owner: Owner::None,
            });
        }
    }
    let quoted = Cover::new(&found.shields);
    let in_quote_or_bracket =
        |_: &Found, field: usize, s: usize, e: usize| quoted.covering(field, s, e).is_some();

    // 3. Known initiatives, unquoted (科技创新券; 江苏省科技创新券 keeps its region in the surface).
    for (field, toks) in tokens.iter().enumerate() {
        for (k, t) in toks.iter().enumerate() {
            let Some(name) = lex.entries(t.pattern).iter().find_map(|e| {
                if let Entry::Initiative(_) = e {
                    canonical_initiative(lex, initiatives, &texts[field].slice(t.start, t.end))
                } else {
                    None
                }
            }) else {
                continue;
            };
            if in_quote_or_bracket(&found, field, t.start, t.end) {
                continue;
            }
            let mut start = t.start;
            if let Some(prev) = k.checked_sub(1).map(|j| &toks[j]) {
                if prev.end == t.start
                    && lex
                        .entries(prev.pattern)
                        .iter()
                        .any(|e| matches!(e, Entry::Region(_)))
                {
                    start = prev.start;
                    found.shields[field].push((prev.start, t.end));
                }
            }
            found.hits.push(Hit {
                field,
                start,
                end: t.end,
                name,
                document: false,
                owner: Owner::None,
            });
        }
    }

    // 4. Named funds of a region: 广东省质量提升发展基金, 省自然科学基金.
    let region_ends: [std::collections::HashMap<usize, usize>; 2] = [0, 1].map(|f| {
        tokens[f]
            .iter()
            .filter(|t| {
                lex.entries(t.pattern)
                    .iter()
                    .any(|e| matches!(e, Entry::Region(_)))
            })
            .map(|t| (t.end, t.start))
            .collect()
    });
    for (field, text) in texts.iter().enumerate() {
        let mut from = 0;
        while let Some(off) = text.string[text.byte(from)..].find("基金") {
            let at = text.char_at(text.byte(from) + off);
            from = at + 2;
            if in_quote_or_bracket(&found, field, at, at + 2) {
                continue;
            }
            for q in (at.saturating_sub(10)..at.saturating_sub(1)).rev() {
                let gap = text.slice(q, at);
                if !gap.chars().all(is_han)
                    || rules
                        .org_gap_breaker
                        .iter()
                        .any(|b| gap.contains(b.as_str()))
                {
                    break;
                }
                let region = region_ends[field].get(&q);
                let owner = if let Some(&start) = region {
                    Some((start, Owner::Written(field, start)))
                } else if q >= 1
                    && matches!(text.get(q - 1), Some('省' | '市'))
                    && !text
                        .before(q - 1)
                        .is_some_and(|c| rules.implicit_not_after.contains(&c))
                {
                    let owner = if text.get(q - 1) == Some('省') {
                        Owner::Province
                    } else {
                        Owner::City
                    };
                    Some((q - 1, owner))
                } else {
                    None
                };
                if let Some((start, owner)) = owner {
                    if gap.chars().count() >= 2 {
                        found.shields[field].push((start, at + 2));
                        found.hits.push(Hit {
                            field,
                            start,
                            end: at + 2,
                            name: format!("{gap}基金"),
                            document: false,
                            owner,
                        });
                    }
                    break;
                }
            }
        }
    }
    found
}

/// The canonical name of a known initiative written as `s` (an alias maps to its name).
fn canonical_initiative(lex: &Lexicon, initiatives: &[String], s: &str) -> Option<String> {
    let p = lex.get(s)?;
    lex.entries(p).iter().find_map(|e| {
        if let Entry::Initiative(i) = e {
            initiatives.get(*i as usize).cloned()
        } else {
            None
        }
    })
}

/// Names that differ only by a trailing noun are one initiative (双百, 双百行动).
pub fn merge_key(name: &str) -> String {
    for w in ["专项行动", "行动", "工程", "计划"] {
        if let Some(rest) = name.strip_suffix(w) {
            if rest.chars().count() >= 2 {
                return rest.to_string();
            }
        }
    }
    name.to_string()
}

/// Build the program entities. `regions` resolve the owners of named funds.
#[allow(clippy::too_many_arguments)]
pub fn entities(
    g: &Gazetteer,
    lex: &Lexicon,
    rules: &Rules,
    templates: &Templates,
    texts: &[Text; 2],
    regions: &[RegionTok],
    found: &Found,
    place: Place,
) -> Vec<EntityRef> {
    let mut out: Vec<EntityRef> = Vec::new();
    // Index by name and by merge key (for initiatives), to stay linear.
    let mut by_name: std::collections::HashMap<String, usize> = Default::default();
    let mut by_key: std::collections::HashMap<String, usize> = Default::default();
    for h in &found.hits {
        let owner =
            match &h.owner {
                Owner::None => Some(String::new()),
                Owner::Written(f, s) => regions
                    .iter()
                    .find(|r| r.field == *f && r.start == *s)
                    .map(|r| match &r.res {
                        Resolution::One(x) => region_prefix(g, *x),
                        _ => texts[r.field].slice(r.start, r.end),
                    }),
                Owner::Province => place.province.map(|r| region_prefix(g, r)),
                Owner::City => place.city.map(|r| region_prefix(g, r)),
            };
        let Some(owner) = owner else { continue };
        let name = format!("{owner}{}", h.name);
        let text = &texts[h.field];
        let surface = text.surface(h.start, h.end);
        let span = text.span(h.start, h.end);
        let key = merge_key(&name);
        let existing = by_name
            .get(&name)
            .or_else(|| if h.document { None } else { by_key.get(&key) })
            .copied();
        match existing {
            Some(i) => {
                let e = &mut out[i];
                if !e.mentions.contains(&surface) {
                    e.mentions.push(surface);
                }
                e.spans.push(span);
                // Prefer the fuller name (双百行动 over 双百).
                if name.chars().count() > e.name.chars().count() && merge_key(&e.name) == key {
                    e.name = name.clone();
                    e.id = name.clone();
                    e.template = Some(templates.key(lex, rules, &name));
                    by_name.insert(name, i);
                }
            }
            None => {
                by_name.insert(name.clone(), out.len());
                if !h.document {
                    by_key.insert(key.clone(), out.len());
                }
                out.push(EntityRef {
                    id: name.clone(),
                    template: Some(templates.key(lex, rules, &name)),
                    name,
                    mentions: vec![surface],
                    spans: vec![span],
                    kind: Some(if h.document { "document" } else { "initiative" }.to_string()),
                    parent: None,
                    candidates: Vec::new(),
                })
            }
        }
    }
    // A quoted short form of a longer initiative named in the article
    // (“直通车” after “消费品召回直通车”) is that initiative.
    let mut i = 0;
    while i < out.len() {
        let short = &out[i];
        let target = (short.kind.as_deref() == Some("initiative"))
            .then(|| {
                out.iter().position(|o| {
                    o.kind.as_deref() == Some("initiative")
                        && o.name.chars().count() > short.name.chars().count()
                        && o.name.ends_with(&short.name)
                })
            })
            .flatten();
        match target {
            Some(t) => {
                let short = out.remove(i);
                let t = if t > i { t - 1 } else { t };
                for m in short.mentions {
                    if !out[t].mentions.contains(&m) {
                        out[t].mentions.push(m);
                    }
                }
                out[t].spans.extend(short.spans);
                out[t].spans.sort();
            }
            None => i += 1,
        }
    }
    // In order of first mention.
    out.sort_by_key(|e| e.spans.iter().min().copied());
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{extract, extractor, find, ids};

    #[test]
    fn documents_short_references_and_notices() {
        let e = extract(
            "江苏发布方案推进 20 个省级信用管理行业示范",
            "近日，江苏省信用办出台《关于印发〈江苏省重点领域信用监管示范工程实施方案〉的通知》。《通知》明确了主要任务。",
        );
        assert_eq!(
            ids(&e.programs),
            [
                "关于印发〈江苏省重点领域信用监管示范工程实施方案〉的通知",
                "江苏省重点领域信用监管示范工程实施方案"
            ]
        );
        assert_eq!(
            e.programs[0].mentions,
            [
                "关于印发〈江苏省重点领域信用监管示范工程实施方案〉的通知",
                "通知"
            ]
        );
        assert_eq!(
            e.programs[1].template.as_deref(),
            Some("重点领域信用监管示范工程实施方案")
        );
        assert_eq!(
            e.programs[0].template.as_deref(),
            Some("重点领域信用监管示范工程实施方案")
        );
        let e = extract(
            "上海正式出台“食安封签”管理办法",
            "规范性文件《上海市餐饮外卖食品封签使用管理办法（试行）》正式发布。《管理办法》是全国第一个规范性法律文件。《办法》规定了责任。",
        );
        assert_eq!(
            ids(&e.programs),
            ["上海市餐饮外卖食品封签使用管理办法（试行）"]
        );
        assert_eq!(
            e.programs[0].mentions,
            [
                "上海市餐饮外卖食品封签使用管理办法（试行）",
                "管理办法",
                "办法"
            ]
        );
        assert_eq!(e.programs[0].kind.as_deref(), Some("document"));
    }

    #[test]
    fn journals_are_no_programs_and_standards_after_titles_are() {
        let e = extract("", "在《自然》《科学》《细胞》等顶级国际刊物上发表论文。《人民日报》报道。《食品和食用农产品信息追溯》地方标准拟联合实施。");
        assert_eq!(ids(&e.programs), ["食品和食用农产品信息追溯"]);
    }

    #[test]
    fn quoted_initiatives_but_not_slogans() {
        let e = extract(
            "上海市浦东新区五方面推进“一业一证”改革",
            "原则上鼓励“野蛮生长”，做大全区特色产业的“塔基”；破解小微企业融资“最后一公里”难题。企业在“一网通办”平台搜索。",
        );
        assert_eq!(ids(&e.programs), ["一业一证", "一网通办"]);
        let e = extract(
            "广东“双百行动”重大项目用地审批时间压缩 75%",
            "部署开展了“百日攻坚”专项行动（下称“双百”行动），纳入“双百”行动重大项目清单，对纳入“双百行动”清单项目。",
        );
        let p = find(&e.programs, "双百行动").expect("双百行动");
        assert_eq!(p.mentions, ["双百行动", "双百"]);
        let e = extract(
            "江苏全国率先推出“工伤保险专递”服务",
            "发布“市民新冠肺炎防控十类场景个人防护须知”。实施“云长制”。",
        );
        assert_eq!(
            ids(&e.programs),
            [
                "工伤保险专递",
                "市民新冠肺炎防控十类场景个人防护须知",
                "云长制"
            ]
        );
        assert_eq!(e.programs[1].kind.as_deref(), Some("document"));
    }

    #[test]
    fn known_initiatives_and_named_funds() {
        let e = extract(
            "江苏启动科技创新券试点",
            "江苏省科技创新券主要通过省级财政资金后补助的方式，推广河长制经验。",
        );
        assert_eq!(ids(&e.programs), ["科技创新券", "河长制"]);
        assert_eq!(e.programs[0].mentions, ["科技创新券", "江苏省科技创新券"]);
        assert!(e
            .regions
            .iter()
            .all(|r| r.mentions.iter().all(|m| m != "江苏省")));
        let e = extract(
            "广东设 5 亿元质量提升发展基金",
            "省级设立 5 亿元的广东省质量提升发展基金。",
        );
        assert_eq!(ids(&e.programs), ["广东省质量提升发展基金"]);
        let e = extract("山东省整合设立资金", "发挥省自然科学基金支撑作用。");
        assert_eq!(ids(&e.programs), ["山东省自然科学基金"]);
    }

    #[test]
    fn template_keys_drop_jurisdictions_years_and_editions() {
        let ex = extractor();
        for (name, key) in [
            ("江苏省科技创新券试点方案", "科技创新券试点方案"),
            (
                "中国（上海）自由贸易试验区临港新片区集聚发展人工智能产业若干政策",
                "集聚发展人工智能产业若干政策",
            ),
            (
                "关于以“五个重要”为统领加快临港新片区建设的行动方案（2020-2022 年）",
                "关于以五个重要为统领加快临港新片区建设的行动方案",
            ),
            ("青岛市农业废弃物管理暂行办法", "农业废弃物管理办法"),
            ("上海·深圳·青岛生态共建联合宣言", "生态共建联合宣言"),
            (
                "建筑节能设计专篇示范文本（2020版）",
                "建筑节能设计专篇示范文本",
            ),
            (
                "2018 年度长三角地区跨界突发环境事件应急联动工作计划",
                "跨界突发环境事件应急联动工作计划",
            ),
            (
                "关于印发〈江苏省重点领域信用监管示范工程实施方案〉的通知",
                "重点领域信用监管示范工程实施方案",
            ),
            (
                "关于促进我省汽车消费政策意见的通知",
                "关于促进汽车消费政策意见的通知",
            ),
            ("营商环境 3.0 版", "营商环境"),
            ("浙里办", "浙里办"),
        ] {
            assert_eq!(ex.template_key(name), key, "{name}");
        }
        assert_eq!(
            ex.template_key("江苏省科技创新券试点方案"),
            ex.template_key("浙江省科技创新券试点方案（2021—2023年）")
        );
    }
}
