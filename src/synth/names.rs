//! Fresh program names: document titles and quoted initiatives built from
//! parts, each core (the name without its place and years) used once per
//! corpus while the part lists last, as real programs mostly are new.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use super::vocab::Vocab;
use super::Rng;

/// Tries before a core that was already used is accepted again.
const TRIES: usize = 8;

/// Hands out program names and remembers which cores it gave.
#[derive(Debug, Default)]
pub struct Names {
    used: HashSet<u64>,
}

impl Names {
    /// A document title (without 《》): `{jurisdiction}{lead}{topic}{aspect}{type}{edition}`.
    pub fn document(&mut self, v: &Vocab, jurisdiction: &str, year: i32, rng: &mut Rng) -> String {
        let mut core = String::new();
        for _ in 0..TRIES {
            core.clear();
            let lead = !v.doc_leads.is_empty() && rng.chance(30);
            if lead {
                core.push_str(pick(&v.doc_leads, rng));
            }
            core.push_str(pick(&v.doc_topics, rng));
            if rng.chance(25) {
                core.push_str(pick(&v.doc_topics, rng));
            }
            core.push_str(pick(&v.doc_aspects, rng));
            if lead {
                core.push('的');
            }
            core.push_str(pick(&v.doc_types, rng));
            if self.fresh(&core) {
                break;
            }
        }
        let edition = match rng.below(10) {
            0 | 1 => format!("（{}—{}年）", year, year + 2),
            2 => "（试行）".to_string(),
            _ => String::new(),
        };
        format!("{jurisdiction}{core}{edition}")
    }

    /// An initiative name (without quotes): two parts and a tail, so that
    /// `name_part`² × `name_tail` names exist.
    pub fn initiative(&mut self, v: &Vocab, rng: &mut Rng) -> String {
        let mut name = String::new();
        for _ in 0..TRIES {
            name.clear();
            let a = pick(&v.name_parts, rng);
            let mut b = pick(&v.name_parts, rng);
            if a == b {
                b = pick(&v.name_parts, rng);
            }
            name.push_str(a);
            name.push_str(b);
            if rng.chance(60) {
                name.push_str(pick(&v.name_tails, rng));
            }
            if self.fresh(&name) {
                break;
            }
        }
        name
    }

    /// Whether `core` is new; remembers it either way.
    fn fresh(&mut self, core: &str) -> bool {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        core.hash(&mut h);
        self.used.insert(h.finish())
    }
}

fn pick<'a>(list: &'a [String], rng: &mut Rng) -> &'a str {
    list.get(rng.below(list.len())).map_or("", String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_new_and_well_formed() {
        let v = Vocab::bundled().unwrap();
        let mut names = Names::default();
        let mut rng = Rng::new(1);
        let mut seen = HashSet::new();
        for _ in 0..2000 {
            let d = names.document(&v, "湖南省", 2021, &mut rng);
            assert!(d.starts_with("湖南省"));
            assert!(v.doc_types.iter().any(|t| d.contains(t.as_str())), "{d}");
            let core = d
                .trim_start_matches("湖南省")
                .split('（')
                .next()
                .unwrap()
                .to_string();
            assert!(seen.insert(core), "a document core came twice: {d}");
            let i = names.initiative(&v, &mut rng);
            assert!(i.chars().count() >= 3, "{i}");
            assert!(seen.insert(i.clone()), "an initiative came twice: {i}");
        }
    }
}
