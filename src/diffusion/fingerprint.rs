//! Text fingerprints: which articles may share a passage, and roughly where,
//! from a few numbers per article instead of its text.
//!
//! An article's fingerprints are the hashes of its shingles (runs of
//! [`SHINGLE`] letters and digits, punctuation and spaces dropped) whose
//! hash is 0 modulo [`SAMPLE`], with the character offset where each starts
//! ("0 mod p" sampling, as in Schleimer, Wilkerson and Aiken's winnowing
//! paper). The choice depends on the shingle alone, so a passage two
//! articles share yields the same fingerprints in both: about one per
//! [`SAMPLE`] characters, wherever it lies. The detector keeps these and
//! never the text, so memory grows with the number of articles, not with
//! their length (a 500-character article keeps about 30 fingerprints,
//! 8 bytes each, stored in about 5 by the corpus: [`encode`]).
//!
//! * [`candidates`] finds, for every article, the articles sharing at
//!   least [`MIN_SHARED`] fingerprints with it, through one sorted index of
//!   all fingerprints (fingerprints of more than `max_bucket` articles are
//!   boilerplate and skipped), keeping its [`MAX_PARTNERS`] best: work and
//!   output are linear in the corpus.
//! * [`align`] turns the fingerprints two articles share into passages:
//!   chains of shared fingerprints at about the same offset from each other
//!   (a copy that swaps 江苏省 for 浙江省 keeps the chain going).

use std::ops::Range;

use rayon::prelude::*;

use super::shingle::{fold, hash_chars, is_text_char, SHINGLE};

/// One shingle in [`SAMPLE`] is kept.
pub const SAMPLE: u64 = 16;
/// Fingerprints two articles must share to be compared.
pub const MIN_SHARED: u32 = 2;
/// Best partners kept per article.
pub const MAX_PARTNERS: usize = 8;
/// Largest distance, in characters, between two fingerprints of one passage.
pub const GAP: u32 = 3 * SAMPLE as u32;
/// Largest change of offset between two fingerprints of one passage (a
/// place name replaced by a longer or shorter one).
pub const SLACK: u32 = 8;
/// Shortest passage that counts as reuse, in characters.
pub const MIN_PASSAGE: u32 = 18;

/// A kept shingle: the upper half of its hash, and the character offset in
/// the article's text where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Print {
    pub hash: u32,
    pub pos: u32,
}

/// The fingerprints of a text, in text order, in one walk over it.
pub fn prints(text: &str) -> Vec<Print> {
    let mut out = Vec::new();
    // The last SHINGLE kept characters and their offsets, as a ring.
    let mut ring = ['\0'; SHINGLE];
    let mut at = [0u32; SHINGLE];
    let mut kept = 0usize;
    for (i, c) in text.chars().enumerate() {
        let c = fold(c);
        if !is_text_char(c) {
            continue;
        }
        ring[kept % SHINGLE] = c;
        at[kept % SHINGLE] = i as u32;
        kept += 1;
        if kept < SHINGLE {
            continue;
        }
        let first = kept % SHINGLE;
        let mut window = ['\0'; SHINGLE];
        for (k, w) in window.iter_mut().enumerate() {
            *w = ring[(first + k) % SHINGLE];
        }
        let h = hash_chars(&window);
        if h % SAMPLE == 0 {
            out.push(Print {
                hash: (h >> 32) as u32,
                pos: at[first],
            });
        }
    }
    out
}

/// Pairs `(i, j)`, `i < j`, of articles that share at least [`MIN_SHARED`]
/// fingerprints outside buckets of more than `max_bucket` articles and pass
/// `keep`: each article's [`MAX_PARTNERS`] best, sorted, each pair once.
pub fn candidates<P: AsRef<[Print]> + Sync>(
    prints: &[P],
    max_bucket: usize,
    keep: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(u32, u32)> {
    let get = |i: usize, out: &mut Vec<Print>| {
        out.clear();
        out.extend_from_slice(prints[i].as_ref());
    };
    candidates_by(prints.len(), get, max_bucket, keep)
}

/// [`candidates`] of `n` articles whose fingerprints `prints` writes, by
/// index, into a buffer (the corpus keeps them encoded, [`encode`]).
pub fn candidates_by(
    n: usize,
    prints: impl Fn(usize, &mut Vec<Print>) + Sync,
    max_bucket: usize,
    keep: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(u32, u32)> {
    // (hash << 32) | article, each (hash, article) once: one sort groups
    // them. Filled in place, at its final size: it is the largest array of
    // the stage (8 bytes a fingerprint).
    let mut buffer = Vec::new();
    let total: usize = (0..n)
        .map(|i| {
            prints(i, &mut buffer);
            buffer.len()
        })
        .sum();
    let mut index: Vec<u64> = Vec::with_capacity(total);
    for i in 0..n {
        let from = index.len();
        prints(i, &mut buffer);
        index.extend(buffer.iter().map(|p| (p.hash as u64) << 32 | i as u64));
        index[from..].sort_unstable();
        let mut kept = from;
        for x in from..index.len() {
            if kept == from || index[kept - 1] != index[x] {
                index[kept] = index[x];
                kept += 1;
            }
        }
        index.truncate(kept);
    }
    index.par_sort_unstable();
    let directory = Directory::new(&index);
    let mut pairs: Vec<(u32, u32)> = (0..n)
        .into_par_iter()
        .flat_map_iter(|i| {
            let mut buffer = Vec::new();
            prints(i, &mut buffer);
            let mut hashes: Vec<u32> = buffer.iter().map(|p| p.hash).collect();
            hashes.sort_unstable();
            hashes.dedup();
            let mut others: Vec<u32> = Vec::new();
            for h in hashes {
                let bucket = directory.bucket(&index, h);
                if bucket.len() < 2 || bucket.len() > max_bucket {
                    continue;
                }
                others.extend(
                    bucket
                        .iter()
                        .map(|e| *e as u32)
                        .filter(|&j| j as usize != i && keep(i, j as usize)),
                );
            }
            others.sort_unstable();
            let mut counted: Vec<(u32, u32)> = others
                .chunk_by(|a, b| a == b)
                .map(|run| (run.len() as u32, run[0]))
                .filter(|(n, _)| *n >= MIN_SHARED)
                .collect();
            // Most shared first; ties to the nearer article in input order.
            counted.sort_unstable_by_key(|&(n, j)| (std::cmp::Reverse(n), j.abs_diff(i as u32), j));
            counted.truncate(MAX_PARTNERS);
            counted
                .into_iter()
                .map(move |(_, j)| ((i as u32).min(j), (i as u32).max(j)))
        })
        .collect();
    drop((index, directory));
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs.shrink_to_fit();
    pairs
}

/// Fingerprints as bytes, about 5 a fingerprint instead of 8: each hash
/// as 4 bytes, then the offset from the one before (wrapping) as a
/// variable-length integer, 7 bits a byte — fingerprints are about
/// [`SAMPLE`] characters apart, so that is one byte. The corpus keeps
/// millions; [`decode`] gives them back exactly.
pub fn encode(prints: &[Print], out: &mut Vec<u8>) {
    let mut last = 0u32;
    for p in prints {
        out.extend_from_slice(&p.hash.to_le_bytes());
        let mut d = p.pos.wrapping_sub(last);
        last = p.pos;
        while d >= 0x80 {
            out.push((d as u8 & 0x7f) | 0x80);
            d >>= 7;
        }
        out.push(d as u8);
    }
}

/// The fingerprints [`encode`] wrote, appended to `out` (a truncated
/// tail is dropped).
pub fn decode(mut bytes: &[u8], out: &mut Vec<Print>) {
    let mut last = 0u32;
    while bytes.len() > 4 {
        let hash = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        bytes = &bytes[4..];
        let (mut d, mut shift) = (0u32, 0u32);
        let mut done = false;
        while let Some((&b, rest)) = bytes.split_first() {
            bytes = rest;
            d |= ((b & 0x7f) as u32).checked_shl(shift).unwrap_or(0);
            shift += 7;
            if b & 0x80 == 0 {
                done = true;
                break;
            }
        }
        if !done {
            return;
        }
        last = last.wrapping_add(d);
        out.push(Print { hash, pos: last });
    }
}

/// Where each value of a hash's top 16 bits starts in the sorted index,
/// so a lookup searches a slice of a few entries instead of the whole
/// index.
struct Directory(Vec<u32>);

impl Directory {
    fn new(index: &[u64]) -> Directory {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for e in index {
            starts[(e >> 48) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        Directory(starts)
    }

    /// The entries of `index` with hash `h`.
    fn bucket<'i>(&self, index: &'i [u64], h: u32) -> &'i [u64] {
        let top = (h >> 16) as usize;
        let slice = &index[self.0[top] as usize..self.0[top + 1] as usize];
        let lo = slice.partition_point(|e| (e >> 32) < h as u64);
        let hi = lo + slice[lo..].partition_point(|e| (e >> 32) == h as u64);
        &slice[lo..hi]
    }
}

/// Passages two texts share, estimated from their fingerprints: each side's
/// character ranges, in order of the second text, pairwise matching.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overlap {
    pub a: Vec<Range<usize>>,
    pub b: Vec<Range<usize>>,
}

impl Overlap {
    /// Characters of the second text inside a shared passage.
    pub fn shared_b(&self) -> usize {
        self.b.iter().map(|r| r.len()).sum()
    }

    /// The longest passage of the second text, and its match in the first.
    pub fn longest(&self) -> Option<(Range<usize>, Range<usize>)> {
        let i = (0..self.b.len())
            .max_by_key(|&i| (self.b[i].len(), std::cmp::Reverse(self.b[i].start)))?;
        Some((self.a[i].clone(), self.b[i].clone()))
    }

    pub fn is_empty(&self) -> bool {
        self.b.is_empty()
    }
}

/// Chain the fingerprints `a` and `b` share into passages: matches in the
/// order of `b`, each continuing the chain before it when it lies at most
/// [`GAP`] characters further in both texts and its offset differs by at
/// most [`SLACK`]. A chain covers its first to its last shingle; chains of
/// one fingerprint, or shorter than [`MIN_PASSAGE`], are not reuse.
pub fn align(a: &[Print], b: &[Print]) -> Overlap {
    let mut by_hash: Vec<Print> = a.to_vec();
    by_hash.sort_unstable();
    // (pos in b, pos in a) of every shared fingerprint.
    let mut matches: Vec<(u32, u32)> = Vec::new();
    for p in b {
        let lo = by_hash.partition_point(|q| q.hash < p.hash);
        for q in by_hash[lo..].iter().take_while(|q| q.hash == p.hash) {
            matches.push((p.pos, q.pos));
        }
    }
    matches.sort_unstable();
    let mut out = Overlap::default();
    let mut chain: Option<(u32, u32, u32, u32, usize)> = None; // b start, a start, b last, a last, length
    let close = |out: &mut Overlap, c: Option<(u32, u32, u32, u32, usize)>| {
        if let Some((bs, as_, bl, al, n)) = c {
            let (rb, ra) = (
                bs as usize..(bl as usize + SHINGLE),
                as_ as usize..(al as usize + SHINGLE),
            );
            if n >= 2 && rb.len() >= MIN_PASSAGE as usize && ra.len() >= MIN_PASSAGE as usize {
                out.a.push(ra);
                out.b.push(rb);
            }
        }
    };
    for &(pb, pa) in &matches {
        match &mut chain {
            Some((_, _, bl, al, n))
                if pb > *bl
                    && pb - *bl <= GAP
                    && pa > *al
                    && pa - *al <= GAP
                    && (pb - *bl).abs_diff(pa - *al) <= SLACK =>
            {
                (*bl, *al, *n) = (pb, pa, *n + 1);
            }
            Some((_, _, bl, _, _)) if pb == *bl => {} // another copy of one shingle
            _ => {
                close(&mut out, chain.take());
                chain = Some((pb, pa, pb, pa, 1));
            }
        }
    }
    close(&mut out, chain);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // 003_fefd0e6c0ad8662e (江苏启动科技创新券试点) and
    // 001_36884ec9de0aea5a (江苏发布区块链产业发展计划), paragraphs.
    const VOUCHER: &str = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。\
江苏省科技创新券主要通过省级财政资金后补助的方式，对企业购买科技服务给予相应补助。创新券面向全省科技型中小企业，\
用于购买高校、科研院所和科技服务机构提供的研发设计、检验检测、技术转移等科技服务，单个企业每年补助额度最高可达十万元。";
    const BLOCKCHAIN: &str = "一是建设基于区块链的新型基础设施，到 2023 年建设 5 个通用性强、用户量大的自主安全可靠的底层平台，\
若干个面向政务、司法、金融、民生、工业等重点领域的行业链。二是突破关键核心技术，到 2023 年组织开展各层次关键技术攻关\
项目不少于 10 个。三是加快标准规范研制，到 2023 年制定并发布团体及以上标准规范不少于 5 项。";

    #[test]
    fn prints_are_sampled_positioned_and_stable() {
        let ps = prints(VOUCHER);
        assert_eq!(ps, prints(VOUCHER));
        let n = VOUCHER.chars().count();
        // About one in SAMPLE shingles, at real offsets, in text order.
        assert!(ps.len() >= 3 && ps.len() * 4 < n, "{} of {n}", ps.len());
        assert!(ps.windows(2).all(|w| w[0].pos < w[1].pos));
        assert!(ps.iter().all(|p| (p.pos as usize) < n));
        assert!(prints("五个字而已").is_empty());
        // Punctuation and width do not change a shingle.
        let plain: String = VOUCHER
            .chars()
            .filter(|c| !"，、。《》".contains(*c))
            .collect();
        let hashes = |ps: Vec<Print>| ps.into_iter().map(|p| p.hash).collect::<Vec<_>>();
        assert_eq!(hashes(prints(&plain)), hashes(prints(VOUCHER)));
    }

    #[test]
    fn encoded_prints_decode_exactly() {
        let mut ps = prints(VOUCHER);
        // Far apart, and out of order (any list survives).
        ps.push(Print {
            hash: u32::MAX,
            pos: 1 << 30,
        });
        ps.push(Print { hash: 0, pos: 3 });
        let mut bytes = Vec::new();
        encode(&ps, &mut bytes);
        assert!(
            bytes.len() < ps.len() * 7,
            "{} bytes for {}",
            bytes.len(),
            ps.len()
        );
        let mut back = Vec::new();
        decode(&bytes, &mut back);
        assert_eq!(back, ps);
        // A cut tail loses only the fingerprint it cuts.
        back.clear();
        decode(&bytes[..bytes.len() - 1], &mut back);
        assert_eq!(back, ps[..ps.len() - 1]);
        back.clear();
        decode(&[], &mut back);
        assert!(back.is_empty());
    }

    #[test]
    fn a_copy_with_other_names_is_one_passage() {
        let copy = format!(
            "为加快科技成果转化，浙江省近日出台新举措。{}",
            VOUCHER.replace("江苏省", "浙江省")
        );
        let o = align(&prints(VOUCHER), &prints(&copy));
        assert!(!o.is_empty());
        let (ra, rb) = o.longest().unwrap();
        // The chain runs across the replaced names: most of both texts.
        let n = VOUCHER.chars().count();
        assert!(ra.len() * 10 > n * 6, "{ra:?} of {n}");
        assert!(rb.start >= 15, "the new opening is not shared: {rb:?}");
        assert!(align(&prints(VOUCHER), &prints(BLOCKCHAIN)).is_empty());
    }

    #[test]
    fn candidates_pair_copies_and_skip_boilerplate() {
        let copy = VOUCHER.replace("江苏省", "浙江省");
        let all: Vec<Box<[Print]>> = [VOUCHER, &copy, BLOCKCHAIN]
            .iter()
            .map(|t| prints(t).into_boxed_slice())
            .collect();
        assert_eq!(candidates(&all, 32, |_, _| true), vec![(0, 1)]);
        assert!(candidates(&all, 32, |_, _| false).is_empty());
        // A bucket of two articles is over a cap of one.
        assert!(candidates(&all, 1, |_, _| true).is_empty());
    }

    #[test]
    fn partners_are_capped() {
        let texts: Vec<String> = (0..20).map(|i| format!("第{i}篇。{VOUCHER}")).collect();
        let all: Vec<Box<[Print]>> = texts.iter().map(|t| prints(t).into_boxed_slice()).collect();
        let pairs = candidates(&all, 64, |_, _| true);
        assert!(!pairs.is_empty());
        for i in 0..20u32 {
            let mine = pairs.iter().filter(|(a, b)| *a == i || *b == i).count();
            // Its own best, and those that chose it.
            assert!(mine <= 2 * MAX_PARTNERS, "{i}: {mine}");
        }
        assert!(pairs.len() <= 20 * MAX_PARTNERS);
    }
}
