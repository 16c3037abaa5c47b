//! Compact storage for the corpus the detector keeps: a million articles'
//! sketches must fit in a few hundred megabytes, so nothing per article is
//! a heap allocation of its own (each costs a pointer, a length, a
//! capacity and the allocator's rounding, more than most of the data).
//!
//! * [`Flat`] holds one slice per article in one vector, with the end of
//!   each (4 bytes per article);
//! * [`FlatStr`] does the same for one string per article (ids, titles);
//! * [`Interner`] numbers distinct strings (feature keys and surfaces, most
//!   of which recur across articles) and stores each once.
//!
//! Offsets are `u32`: 4 G items of one kind would take tens of gigabytes,
//! far beyond what a corpus that fits in memory holds. Past that, an
//! article's slice is stored empty rather than the process aborting.

/// Grow `v` to hold `more` items, by an eighth when full rather than by
/// doubling: the vectors here live until the end and are the bulk of the
/// corpus, so slack costs more than the extra copies (large blocks are
/// moved by the allocator without copying anyway).
pub fn reserve<T>(v: &mut Vec<T>, more: usize) {
    if v.capacity() - v.len() < more {
        v.reserve_exact(more.max(v.len() / 8).max(64));
    }
}

/// One slice of `T` per article, in article order.
#[derive(Clone, Debug)]
pub struct Flat<T> {
    items: Vec<T>,
    ends: Vec<u32>,
}

impl<T> Default for Flat<T> {
    fn default() -> Flat<T> {
        Flat {
            items: Vec::new(),
            ends: Vec::new(),
        }
    }
}

impl<T: Clone> Flat<T> {
    /// Append the next article's slice.
    pub fn push(&mut self, items: &[T]) {
        let end = u32::try_from(self.items.len() + items.len());
        if let Ok(end) = end {
            reserve(&mut self.items, items.len());
            self.items.extend_from_slice(items);
            reserve(&mut self.ends, 1);
            self.ends.push(end);
        } else {
            self.push(&[]);
        }
    }
}

impl<T> Flat<T> {
    /// Slices given as one array and the end of each, non-decreasing and
    /// within it (else the slices past the first bad end are empty).
    pub fn from_parts(items: Vec<T>, mut ends: Vec<u32>) -> Flat<T> {
        let mut last = 0;
        for e in ends.iter_mut() {
            if *e < last || *e as usize > items.len() {
                *e = last;
            }
            last = *e;
        }
        Flat { items, ends }
    }

    /// Article `i`'s slice (empty past the end).
    pub fn get(&self, i: usize) -> &[T] {
        let Some(&end) = self.ends.get(i) else {
            return &[];
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.items[start as usize..end as usize]
    }

    /// Articles.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Items of all articles.
    pub fn items(&self) -> usize {
        self.items.len()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<T>() + self.ends.capacity() * 4
    }
}

/// One string per article, in article order, in one buffer.
#[derive(Clone, Debug, Default)]
pub struct FlatStr {
    text: String,
    ends: Vec<u32>,
}

impl FlatStr {
    /// Append the next article's string.
    pub fn push(&mut self, s: &str) {
        let s = if u32::try_from(self.text.len() + s.len()).is_ok() {
            s
        } else {
            ""
        };
        reserve_str(&mut self.text, s.len());
        self.text.push_str(s);
        reserve(&mut self.ends, 1);
        self.ends.push(self.text.len() as u32);
    }

    /// Article `i`'s string (empty past the end).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        // Ends are pushed after whole strings: always char boundaries.
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * 4
    }
}

fn reserve_str(s: &mut String, more: usize) {
    if s.capacity() - s.len() < more {
        s.reserve_exact(more.max(s.len() / 8).max(256));
    }
}

/// Distinct strings, numbered in order of first appearance (so numbers do
/// not depend on hashing), each stored once in one buffer; looked up
/// through an open-addressing table of numbers (4 bytes a slot).
#[derive(Clone, Debug, Default)]
pub struct Interner {
    /// String number `id` is the `id`-th.
    strings: FlatStr,
    /// `id + 1` of the string hashing there, 0 for none; a power of two
    /// long, at most three quarters full (a few probes a lookup).
    slots: Vec<u32>,
}

impl Interner {
    pub fn new() -> Interner {
        Interner::default()
    }

    /// The number of `s`, given it now if it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if (self.strings.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = hash(s) as usize & mask;
        loop {
            match self.slots[at] {
                0 => break,
                id if self.get(id - 1) == s => return id - 1,
                _ => at = (at + 1) & mask,
            }
        }
        if u32::try_from(self.strings.text.len() + s.len()).is_err() {
            // Beyond 4 GB of distinct strings: the empty string stands in.
            return self.intern("");
        }
        let id = self.strings.len() as u32;
        self.strings.push(s);
        self.slots[at] = id + 1;
        id
    }

    /// The string numbered `id` (empty for a number never given).
    pub fn get(&self, id: u32) -> &str {
        self.strings.get(id as usize)
    }

    /// Distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Heap bytes held: by the strings, and by the lookup table.
    pub fn heap_bytes(&self) -> (usize, usize) {
        (self.strings.heap_bytes(), self.slots.capacity() * 4)
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        self.slots = vec![0; size];
        let mask = size - 1;
        for id in 0..self.strings.len() as u32 {
            let mut at = hash(self.get(id)) as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = id + 1;
        }
    }
}

/// FNV-1a, then mixed so the low bits (the slot) depend on every byte.
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_keeps_each_articles_slice() {
        let mut f: Flat<u32> = Flat::default();
        f.push(&[1, 2]);
        f.push(&[]);
        f.push(&[3]);
        assert_eq!(f.len(), 3);
        assert_eq!(f.get(0), &[1, 2]);
        assert!(f.get(1).is_empty());
        assert_eq!(f.get(2), &[3]);
        assert!(f.get(3).is_empty());
        assert_eq!(f.items(), 3);
        let g = Flat::from_parts(vec![7u32, 8, 9], vec![1, 0, 3, 5]);
        assert_eq!(
            (g.get(0), g.get(1), g.get(2), g.get(3)),
            (&[7][..], &[][..], &[8, 9][..], &[][..])
        );
    }

    #[test]
    fn flat_strings_round_trip() {
        let mut s = FlatStr::default();
        for t in ["江苏启动科技创新券试点", "", "浙江发布区块链产业发展计划"]
        {
            s.push(t);
        }
        assert_eq!(s.get(0), "江苏启动科技创新券试点");
        assert_eq!(s.get(1), "");
        assert_eq!(s.get(2), "浙江发布区块链产业发展计划");
        assert_eq!(s.get(9), "");
    }

    #[test]
    fn interner_numbers_in_order_of_first_appearance() {
        let mut i = Interner::new();
        let words: Vec<String> = (0..500).map(|k| format!("城市运行管理中心{k}")).collect();
        for (k, w) in words.iter().enumerate() {
            assert_eq!(i.intern(w), k as u32);
        }
        // Again, across the table's growth: the same numbers.
        for (k, w) in words.iter().enumerate() {
            assert_eq!(i.intern(w), k as u32);
            assert_eq!(i.get(k as u32), w);
        }
        assert_eq!(i.len(), 500);
        assert_eq!(i.intern(""), 500);
        assert_eq!(i.get(500), "");
        assert_eq!(i.get(9999), "");
    }
}
