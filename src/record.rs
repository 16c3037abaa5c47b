//! The article record: what `ingest` produces and `extract` extends, one JSON
//! object per line of `articles.jsonl`.
//!
//! These types are the contract between stages and with users (the gold files
//! of `policygraph eval` have the same shape), so fields are only ever added.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The header of one bulletin issue. Every field is `None` where the bulletin
/// does not print it (PDF extracts often lose the whole header).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinMeta {
    /// Masthead, e.g. `长三角每周要讯`.
    pub title: Option<String>,
    /// Issue number as printed, e.g. `2020 年第 192 期` or `2019 年第 24 期（总第 44 期）`.
    pub issue: Option<String>,
    /// Issuing office, e.g. `浙江省人民政府驻上海办事处`.
    pub publisher: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
}

/// One article of a bulletin: the unit every later stage works on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the source file's stem and the article's 1-based position,
    /// e.g. `000_5fd69a67e7dd1237:03`. Same input, same id.
    pub id: String,
    /// The source file, as given on the command line (or relative to the
    /// directory that was walked).
    pub source: String,
    pub bulletin: BulletinMeta,
    /// The section heading the article stands under (`经济热点`, …), if any.
    pub section: Option<String>,
    /// The title exactly as printed, whitespace removed.
    pub title: String,
    /// The body: paragraphs re-joined (hard wraps removed), separated by `\n`.
    pub text: String,
    /// The day the article's bulletin, page or document was issued: its
    /// issue header, the page's `发布时间` line, or the signature date
    /// under the issuer. Kept apart from the event date ([`Entities::date`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// Where [`Article::published`] was printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_source: Option<DateSource>,
    /// The day a chronicle's or digest's item is filed under (`一日 …`,
    /// `是日 …`, `2月20日 …`), resolved against its issue's month: the
    /// item's event date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_date: Option<NaiveDate>,
    /// What a single document (notice, plan, news report) prints about
    /// itself above or below its text; `None` for bulletin articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentMeta>,
}

/// Where a date came from: what the article says happened (`event`), the
/// page's or document's publication line (`publication`), the date under
/// the issuer's signature (`signature`), or the bulletin's issue header
/// (`bulletin`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateSource {
    Event,
    Publication,
    Signature,
    Bulletin,
}

impl DateSource {
    /// The name used in every export.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Event => "event",
            DateSource::Publication => "publication",
            DateSource::Signature => "signature",
            DateSource::Bulletin => "bulletin",
        }
    }
}

/// The metadata lines of a single document, parsed into fields, as printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Document number, e.g. `粤府办〔2023〕12号`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The `来源` (source) line: the office or newspaper it came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The issuer printed in the signature block or a `发文机关` line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Author or reporters (`作者`, `记者`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The date under the issuer's signature: the day the document was
    /// issued, the event of a notice that states no other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<NaiveDate>,
}

impl DocumentMeta {
    pub fn is_empty(&self) -> bool {
        self == &DocumentMeta::default()
    }
}

/// Which part of an article a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Text,
}

/// Where a mention was found: character (not byte) offsets into the article's
/// `title` or `text`, end exclusive, so `text.chars().skip(start).take(end - start)`
/// is the surface form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub field: Field,
    pub start: usize,
    pub end: usize,
}

/// A resolved entity (region, agency or program) as mentioned in one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EntityRef {
    /// Canonical id: GB/T 2260 code for divisions, a curated id for zones,
    /// macro-regions and countries, the canonical name for agencies and programs.
    pub id: String,
    /// Canonical name (`江苏省科学技术厅`, `上海市`, `科技创新券试点方案`).
    pub name: String,
    /// Every distinct surface form used for it in this article, in order of
    /// first appearance (`["省科技厅", "江苏省科技厅"]`).
    pub mentions: Vec<String>,
    /// Every occurrence, in text order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spans: Vec<Span>,
    /// Region: `province`, `city`, `county`, `town`, `zone`, `macro`, `country`.
    /// Agency: `national`, `province`, `city`, `county`, `zone`.
    /// Program: `document`, `initiative`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Region: the id of the unit it lies within. Agency: the id of its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Program: the template key (jurisdiction, years and versions removed),
    /// shared by the same kind of policy in different places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Region: when a name is ambiguous and the context does not decide, the
    /// ids it may stand for (and `id` is then `?` + the name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
}

/// A monetary amount.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// The surface form, unit included where it was written (`最高 5000 万元`).
    pub text: String,
    /// Integer value in units of `currency` (yuan for CNY).
    pub value_yuan: i64,
    /// ISO 4217 code: `CNY`, `USD`, `EUR`, …
    pub currency: String,
    /// `最高`, `超过`, `累计`, `预计`, `约`, `近`, … as written, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// What the extractors found in one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    /// Event date, if the article states one (resolved against the bulletin date).
    pub date: Option<NaiveDate>,
    /// Where the timeline date ([`Entities::timeline_date`]) comes from: the
    /// event date when there is one, else the publication date's source;
    /// `None` when the article has no date at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    /// Canonical full name of the province-level unit where the event takes
    /// place (`江苏省`); `None` for multi-province events or where unknown.
    pub province: Option<String>,
    #[serde(default)]
    pub regions: Vec<EntityRef>,
    #[serde(default)]
    pub agencies: Vec<EntityRef>,
    #[serde(default)]
    pub programs: Vec<EntityRef>,
    #[serde(default)]
    pub amounts: Vec<Amount>,
}

impl ArticleRecord {
    /// The date the article stands at on a timeline: the event date, else
    /// the publication date (records written before `published` existed
    /// carry it only as the bulletin's date).
    pub fn timeline_date(&self) -> Option<NaiveDate> {
        self.entities
            .date
            .or(self.article.published)
            .or(self.article.bulletin.date)
    }
}

/// One line of `articles.jsonl`: the article and what was extracted from it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleRecord {
    #[serde(flatten)]
    pub article: Article,
    #[serde(flatten)]
    pub entities: Entities,
}

/// A region as the gazetteer knows it: what the graph needs to draw
/// `WITHIN` edges up to the province.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionInfo {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub parent: Option<String>,
}
