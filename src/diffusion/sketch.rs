//! What the detector keeps of one article: a sketch of a few hundred bytes
//! made while the article streams past, so that copying is detected across
//! a corpus of any size without holding its text.

use chrono::NaiveDate;

use crate::record::{ArticleRecord, EntityRef, Field};

use super::features::RawOccurrence;
use super::fingerprint::{self, Print};
use super::leftover::char_ranges;
use super::places::{Jurisdiction, PlaceRef};
use super::Detector;

/// One article, reduced to what copying detection needs.
#[derive(Clone, Debug)]
pub struct Sketch {
    pub id: String,
    pub title: String,
    pub jurisdiction: Option<Jurisdiction>,
    /// Event date, else bulletin date.
    pub date: Option<NaiveDate>,
    pub occurrences: Vec<RawOccurrence>,
    /// Text fingerprints (empty when text reuse is off).
    pub prints: Vec<Print>,
    /// Regions and agencies of places outside the article's jurisdiction,
    /// where its text names them: the only names leftover detection asks
    /// about (a copy keeping the original's names, or a joint event).
    pub foreign: Vec<ForeignName>,
    /// Characters of the text.
    pub chars: u32,
}

/// A name of another place, at a character range of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignName {
    pub start: u32,
    pub end: u32,
    /// As written.
    pub surface: String,
    pub place: PlaceRef,
}

impl Detector {
    /// The sketch of one article: pure, so articles are sketched in
    /// parallel as they are extracted.
    pub fn sketch(&self, r: &ArticleRecord) -> Sketch {
        let jurisdiction = self.places.jurisdiction(r);
        let text = &r.article.text;
        let foreign = match &jurisdiction {
            Some(j) => self.foreign_names(r, j),
            None => Vec::new(),
        };
        Sketch {
            id: r.article.id.clone(),
            title: r.article.title.clone(),
            date: r.timeline_date(),
            occurrences: self.raw_features(r),
            prints: if self.options.text_reuse {
                fingerprint::prints(text)
            } else {
                Vec::new()
            },
            foreign,
            chars: text.chars().count().min(u32::MAX as usize) as u32,
            jurisdiction,
        }
    }

    fn foreign_names(&self, r: &ArticleRecord, own: &Jurisdiction) -> Vec<ForeignName> {
        let mut out = Vec::new();
        for e in r.entities.regions.iter().chain(&r.entities.agencies) {
            let Some(place) = self.places.of_entity(e, r) else {
                continue;
            };
            if own.contains(&place) {
                continue;
            }
            for (start, end, surface) in text_mentions(e, r) {
                out.push(ForeignName {
                    start: start as u32,
                    end: end as u32,
                    surface,
                    place: place.clone(),
                });
            }
        }
        out.sort_by_key(|n| (n.start, n.end));
        out.dedup();
        out
    }
}

/// Where an entity is named in the text, as character ranges: its spans,
/// or, for records without spans (made by hand), its mentions found in the
/// text.
fn text_mentions(e: &EntityRef, r: &ArticleRecord) -> Vec<(usize, usize, String)> {
    let text = &r.article.text;
    if !e.spans.is_empty() {
        let spans: Vec<_> = e.spans.iter().filter(|s| s.field == Field::Text).collect();
        if spans.is_empty() {
            return Vec::new();
        }
        // Spans are in text order: one walk gives every surface.
        let mut out = Vec::with_capacity(spans.len());
        let mut chars = text.chars();
        let mut at = 0usize;
        for s in spans {
            if s.start < at || s.end < s.start {
                continue;
            }
            let surface: String = chars
                .by_ref()
                .skip(s.start - at)
                .take(s.end - s.start)
                .collect();
            at = s.start + surface.chars().count();
            out.push((s.start, s.end, surface));
        }
        return out;
    }
    e.mentions
        .iter()
        .filter(|m| !m.is_empty())
        .flat_map(|m| {
            char_ranges(text, m)
                .into_iter()
                .map(move |r| (r.start, r.end, m.clone()))
        })
        .collect()
}
