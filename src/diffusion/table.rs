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
        let lists = corpus.adopters();
        let mut order: Vec<usize> = (0..corpus.features.len())
            .filter(|&f| {
                let feat = &corpus.features[f];
                lists.get(f).len() >= 2
                    && feat.prior * score::idf(feat.df as usize, n).sqrt() >= MIN_TERM
            })
            .collect();
        order.sort_by(|&x, &y| {
            let (fx, fy) = (&corpus.features[x], &corpus.features[y]);
            (corpus.key(fx), fx.signal).cmp(&(corpus.key(fy), fy.signal))
        });
        order
            .into_iter()
            .filter_map(move |f| adoption(corpus, f, lists.get(f).to_vec()))
    }
}

/// The adopters of feature `f` (article indices `list`), if of two places.
fn adoption(corpus: &Corpus, f: usize, mut list: Vec<u32>) -> Option<Adoption> {
    let mut places: Vec<u32> = list
        .iter()
        .filter_map(|&i| corpus.jurisdiction_id(i as usize))
        .collect();
    places.sort_unstable();
    places.dedup();
    if places.len() < 2 {
        return None;
    }
    let key = |i: u32| {
        let date = corpus.date(i as usize);
        (date.is_none(), date, corpus.id(i as usize))
    };
    list.sort_by(|&i, &j| key(i).cmp(&key(j)));
    let first_date = corpus.date(list[0] as usize);
    let adopters = list
        .iter()
        .map(|&i| {
            let i = i as usize;
            let date = corpus.date(i);
            let occ = corpus
                .occurrences(i)
                .iter()
                .find(|o| o.feature as usize == f);
            Adopter {
                article: corpus.id(i).to_string(),
                title: corpus.title(i).to_string(),
                place: corpus
                    .jurisdiction(i)
                    .map(|j| j.label())
                    .unwrap_or_default(),
                date,
                surface: occ
                    .map(|o| corpus.str(o.surface).to_string())
                    .unwrap_or_default(),
                lag_days: match (first_date, date) {
                    (Some(x), Some(y)) => Some((y - x).num_days()),
                    _ => None,
                },
            }
        })
        .collect();
    let feat = &corpus.features[f];
    Some(Adoption {
        instrument: corpus.key(feat).to_string(),
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
