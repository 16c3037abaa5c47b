//! What an article offers for comparison: the instrument types it names
//! (from the dictionary, and institution names found by their endings) and
//! its programs' template keys, each with how often and where it is named.
//! Instruments are found in the simplified shadow of the text, so an article
//! printed in traditional script offers the same ones.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::record::{ArticleRecord, EntityRef, Field};
use crate::script;

use super::instruments::{name_before, widen_left};
use super::{places, Detector, Signal};

impl Detector {
    /// The instrument and program features of one article.
    pub(super) fn raw_features(&self, r: &ArticleRecord) -> Vec<RawOccurrence> {
        let mut out = Vec::new();
        let list = self.instruments.all();
        // Place names that may open an instrument's name: the regions'
        // forms, and the article's province in full and short form (a place
        // written only inside a name is not a region mention).
        let province = r.entities.province.as_deref().unwrap_or("");
        let short = places::short_name(province);
        // Instruments are found in the simplified shadow of the text (a
        // traditional text names 創新券 for 创新券): places too, then.
        let shadows: Vec<Cow<'_, str>> = r
            .entities
            .regions
            .iter()
            .flat_map(|g| g.mentions.iter().map(|m| script::simplified(m)))
            .collect();
        let mut places: Vec<&str> = shadows.iter().map(|m| m.as_ref()).collect();
        places.extend([province, short]);
        // Per instrument: mentions, in the title?, and the most telling
        // surface (a title form, else one with a place name before it).
        let mut seen: BTreeMap<usize, (u32, bool, String, bool)> = BTreeMap::new();
        // Institution names found by their endings: name → (type, count, in title).
        let mut names: BTreeMap<String, (usize, u32, bool)> = BTreeMap::new();
        for (printed, in_title) in [(&r.article.title, true), (&r.article.text, false)] {
            // Borrowed, no copy, unless the text is in traditional script.
            let source = &*script::simplified(printed);
            for h in self.instruments.find(source) {
                // Names are read back from the hit over a few characters:
                // the text is never copied whole (it may be 200 MB).
                let (chars, start, end) = window(source, h.byte_start, h.byte_end, LOOK_BACK);
                let chars = &chars[..];
                if list[h.instrument].is_name_ending() {
                    let Some(name) = name_before(chars, start, end, LOOK_BACK, &places) else {
                        continue;
                    };
                    if self.generic.specific_part(&name).chars().count() < 2 {
                        continue;
                    }
                    let e = names.entry(name).or_insert((h.instrument, 0, in_title));
                    e.1 += 1;
                    e.2 |= in_title;
                    continue;
                }
                let surface = widen_left(chars, start, end, 8, &places);
                let anchored = surface.chars().count() > end - start;
                let e =
                    seen.entry(h.instrument)
                        .or_insert((0, in_title, surface.clone(), anchored));
                e.0 += 1;
                if anchored && !e.3 {
                    (e.2, e.3) = (surface, true);
                }
                e.1 |= in_title;
            }
        }
        for (i, (count, in_title, surface, _)) in seen {
            let ins = &list[i];
            out.push(RawOccurrence {
                signal: Signal::Instrument,
                key: ins.name.clone(),
                prior: ins.specificity,
                document: false,
                count,
                in_title,
                surface,
                local: false,
            });
        }
        for (name, (i, count, in_title)) in names {
            out.push(RawOccurrence {
                signal: Signal::Instrument,
                key: name.clone(),
                prior: list[i].specificity,
                document: false,
                count,
                in_title,
                surface: name,
                local: false,
            });
        }
        for p in &r.entities.programs {
            let name = clean_key(&p.name);
            let key = p
                .template
                .as_deref()
                .map(clean_key)
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| name.clone());
            let specific = self.generic.specific_part(&key).chars().count();
            if specific < 2 || self.generic.contains(&key) {
                continue;
            }
            // A program that is wholly an instrument form (“一网通办”) is that
            // instrument, whose curated weight knows how common it is.
            let len = key.chars().count();
            if self
                .instruments
                .find(&key)
                .iter()
                .any(|h| h.start == 0 && h.end == len)
            {
                continue;
            }
            let document = match p.kind.as_deref() {
                Some(k) => k == "document",
                None => looks_like_document(&key),
            };
            let base = if document { 0.85 } else { 0.75 };
            let (count, in_title) = program_occurrences(p, r);
            out.push(RawOccurrence {
                signal: Signal::Template,
                prior: base * (specific as f64 / 4.0).min(1.0),
                document,
                count,
                in_title,
                surface: p
                    .mentions
                    .first()
                    .cloned()
                    .unwrap_or_else(|| p.name.clone()),
                local: key != name,
                key,
            });
        }
        out
    }
}

/// Characters before a hit that can belong to the name it ends.
const LOOK_BACK: usize = 12;

/// The characters of `text` from up to `before` characters ahead of the
/// byte range `start..end` to its end, and the range's character offsets
/// in them.
fn window(text: &str, start: usize, end: usize, before: usize) -> (Vec<char>, usize, usize) {
    let head = &text[..start];
    let from = head
        .char_indices()
        .rev()
        .take(before)
        .last()
        .map_or(start, |(b, _)| b);
    let chars: Vec<char> = text[from..end].chars().collect();
    let at = head[from..].chars().count();
    let len = chars.len();
    (chars, at, len)
}

/// A feature occurrence before numbering.
#[derive(Clone, Debug, PartialEq)]
pub struct RawOccurrence {
    pub signal: Signal,
    pub key: String,
    pub prior: f64,
    pub document: bool,
    pub count: u32,
    pub in_title: bool,
    pub surface: String,
    pub local: bool,
}

/// A program name or template as a key: brackets, quotes and spaces removed.
pub(super) fn clean_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"《》〈〉“”\"'‘’「」".contains(*c))
        .collect()
}

/// A title that names a document type (方案, 意见, 办法 …), for programs
/// whose kind the extractor did not give.
pub(super) fn looks_like_document(key: &str) -> bool {
    const ENDINGS: [&str; 24] = [
        "方案",
        "意见",
        "办法",
        "规定",
        "条例",
        "计划",
        "规划",
        "通知",
        "措施",
        "政策",
        "标准",
        "规范",
        "协议",
        "白皮书",
        "指引",
        "指南",
        "细则",
        "纲要",
        "清单",
        "目录",
        "决定",
        "文本",
        "宣言",
        "制度",
    ];
    let k =
        key.trim_end_matches(|c: char| !c.is_alphabetic() || c.is_ascii() || "版年）)".contains(c));
    ENDINGS.iter().any(|e| k.ends_with(e))
}

/// How often a program is named in an article, and whether in its title.
fn program_occurrences(p: &EntityRef, r: &ArticleRecord) -> (u32, bool) {
    if !p.spans.is_empty() {
        let in_title = p.spans.iter().any(|s| s.field == Field::Title);
        return (p.spans.len() as u32, in_title);
    }
    let in_title = p
        .mentions
        .iter()
        .any(|m| !m.is_empty() && r.article.title.contains(m.as_str()));
    let count: usize = p
        .mentions
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| r.article.text.matches(m.as_str()).count())
        .sum();
    (count.max(1) as u32, in_title)
}
