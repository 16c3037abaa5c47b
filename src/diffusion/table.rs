//! The diffusion table: for every instrument or template named in more
//! than one place, its adopters in date order, the first adopter and each
//! one's lag. Unlike findings (pairs), the table lists every adopter however
//! common the instrument, so it is linear in the corpus.

use std::borrow::Borrow;
use std::io::{self, Write};

use chrono::NaiveDate;
use serde::Serialize;

use super::{score, Corpus, Detector, Signal, MIN_TERM};

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
    /// The diffusion table of a corpus: instruments of at least two
    /// places, not generic, sorted by name, made one instrument at a time
    /// (the table of a large corpus is written as it is made, never held).
    pub fn adoptions<'c>(&self, corpus: &'c Corpus) -> impl Iterator<Item = Adoption> + 'c {
        let n = corpus.len();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); corpus.features.len()];
        for (i, a) in corpus.articles.iter().enumerate() {
            if a.jurisdiction.is_some() {
                for o in &a.occurrences {
                    lists[o.feature as usize].push(i as u32);
                }
            }
        }
        let mut order: Vec<usize> = (0..corpus.features.len())
            .filter(|&f| {
                let feat = &corpus.features[f];
                lists[f].len() >= 2 && feat.prior * score::idf(feat.df, n).sqrt() >= MIN_TERM
            })
            .collect();
        order.sort_by(|&x, &y| {
            let (fx, fy) = (&corpus.features[x], &corpus.features[y]);
            (&fx.key, fx.signal).cmp(&(&fy.key, fy.signal))
        });
        order.into_iter().filter_map(move |f| adoption(corpus, f, std::mem::take(&mut lists[f])))
    }
}

/// The adopters of feature `f` (article indices `list`), if of two places.
fn adoption(corpus: &Corpus, f: usize, mut list: Vec<u32>) -> Option<Adoption> {
    let arts = &corpus.articles;
    let mut places: Vec<u32> = list.iter().filter_map(|&i| arts[i as usize].jurisdiction).collect();
    places.sort_unstable();
    places.dedup();
    if places.len() < 2 {
        return None;
    }
    let key = |i: u32| {
        let a = &arts[i as usize];
        (a.date.is_none(), a.date, &a.id)
    };
    list.sort_by(|&i, &j| key(i).cmp(&key(j)));
    let first_date = arts[list[0] as usize].date;
    let adopters = list
        .iter()
        .map(|&i| {
            let a = &arts[i as usize];
            let occ = a.occurrences.iter().find(|o| o.feature as usize == f);
            Adopter {
                article: a.id.clone(),
                title: a.title.clone(),
                place: corpus.jurisdiction(i as usize).map(|j| j.label()).unwrap_or_default(),
                date: a.date,
                surface: occ.map(|o| o.surface.clone()).unwrap_or_default(),
                lag_days: match (first_date, a.date) {
                    (Some(x), Some(y)) => Some((y - x).num_days()),
                    _ => None,
                },
            }
        })
        .collect();
    let feat = &corpus.features[f];
    Some(Adoption {
        instrument: feat.key.clone(),
        signal: feat.signal,
        adopters,
    })
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
pub fn write_csv(
    out: &mut dyn Write,
    adoptions: impl IntoIterator<Item = impl Borrow<Adoption>>,
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for a in adoptions {
        let a = a.borrow();
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
