//! The diffusion table: for every instrument or template named in more
//! than one place, its adopters in date order, the first adopter and each
//! one's lag. Unlike findings (pairs), the table lists every adopter however
//! common the instrument, so it is linear in the corpus.

use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use crate::record::ArticleRecord;

use super::{score, Detector, Prepared, Signal, MIN_TERM};

/// One instrument and who adopted it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Adoption {
    /// Instrument name or template key.
    pub instrument: String,
    pub signal: Signal,
    /// Earliest first (undated last, then by article id).
    pub adopters: Vec<Adopter>,
}

/// One article naming the instrument.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Adopter {
    pub article: String,
    pub title: String,
    /// Jurisdiction label (`江苏省`, `江苏省南京市`).
    pub place: String,
    pub date: Option<NaiveDate>,
    /// The name as this article writes it.
    pub surface: String,
    /// Days after the first adopter, when both are dated.
    pub lag_days: Option<i64>,
}

impl Detector {
    /// The diffusion table of a prepared corpus: instruments of at least two
    /// places, not generic, sorted by name.
    pub fn adoptions(&self, records: &[ArticleRecord], prepared: &Prepared) -> Vec<Adoption> {
        let n = prepared.articles.len();
        let mut lists: Vec<Vec<usize>> = vec![Vec::new(); prepared.features.len()];
        for (i, a) in prepared.articles.iter().enumerate() {
            if a.jurisdiction.is_some() {
                for o in &a.occurrences {
                    lists[o.feature as usize].push(i);
                }
            }
        }
        let mut out = Vec::new();
        for (f, mut list) in lists.into_iter().enumerate() {
            let feat = &prepared.features[f];
            if list.len() < 2 || feat.prior * score::idf(feat.df, n).sqrt() < MIN_TERM {
                continue;
            }
            let arts = &prepared.articles;
            let mut places: Vec<String> = list
                .iter()
                .filter_map(|&i| arts[i].jurisdiction.as_ref().map(|j| j.label()))
                .collect();
            places.sort();
            places.dedup();
            if places.len() < 2 {
                continue;
            }
            list.sort_by(|&i, &j| {
                (arts[i].date.is_none(), arts[i].date, &records[i].article.id).cmp(&(
                    arts[j].date.is_none(),
                    arts[j].date,
                    &records[j].article.id,
                ))
            });
            let first_date = arts[list[0]].date;
            let adopters = list
                .iter()
                .map(|&i| {
                    let occ = arts[i].occurrences.iter().find(|o| o.feature as usize == f);
                    Adopter {
                        article: records[i].article.id.clone(),
                        title: records[i].article.title.clone(),
                        place: arts[i]
                            .jurisdiction
                            .as_ref()
                            .map(|j| j.label())
                            .unwrap_or_default(),
                        date: arts[i].date,
                        surface: occ.map(|o| o.surface.clone()).unwrap_or_default(),
                        lag_days: match (first_date, arts[i].date) {
                            (Some(a), Some(b)) => Some((b - a).num_days()),
                            _ => None,
                        },
                    }
                })
                .collect();
            out.push(Adoption {
                instrument: feat.key.clone(),
                signal: feat.signal,
                adopters,
            });
        }
        out.sort_by(|a, b| (&a.instrument, a.signal).cmp(&(&b.instrument, b.signal)));
        out
    }
}

/// Header of `diffusion.csv`.
pub const HEADER: [&str; 12] = [
    "instrument",
    "signal",
    "rank",
    "place",
    "date",
    "article",
    "title",
    "surface",
    "first_adopter",
    "first_place",
    "first_date",
    "lag_days",
];

/// Write the table as CSV: one row per adopter, in date order within each
/// instrument; `rank` 1 is the first adopter.
pub fn write_csv(out: &mut dyn Write, adoptions: &[Adoption]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for a in adoptions {
        let Some(first) = a.adopters.first() else {
            continue;
        };
        for (rank, ad) in a.adopters.iter().enumerate() {
            w.write_record([
                a.instrument.as_str(),
                a.signal.as_str(),
                &(rank + 1).to_string(),
                &ad.place,
                &date(ad.date),
                &ad.article,
                &ad.title,
                &ad.surface,
                &first.article,
                &first.place,
                &date(first.date),
                &ad.lag_days.map(|l| l.to_string()).unwrap_or_default(),
            ])?;
        }
    }
    w.flush()
}
