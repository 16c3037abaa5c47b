//! MinHash signatures of text windows and locality-sensitive hashing by
//! banding: the pairs of articles that may share a passage, found in time
//! near-linear in the corpus instead of comparing every pair.
//!
//! A copied passage is usually a part of both articles, so whole-article
//! similarity would miss it: each article is cut into overlapping windows of
//! [`WINDOW`] shingles (half a window apart, so any passage of 1.5 windows
//! lies wholly inside one window of each text), and each window gets a
//! signature of [`BANDS`] × [`ROWS`] minimum hashes. Two windows whose
//! shingle sets have Jaccard similarity `s` agree on a whole band with
//! probability `s^ROWS` and land in a common bucket with probability
//! `1 - (1 - s^ROWS)^BANDS`: 0.98 at s = 0.8, 0.77 at s = 0.6, 0.03 at
//! s = 0.2. Buckets holding more than `max_bucket` articles are boilerplate
//! every article shares and are skipped, which also bounds the work.

use rayon::prelude::*;

use super::shingle::mix;

/// Shingles per window.
pub const WINDOW: usize = 48;
/// Start-to-start distance of windows.
pub const STRIDE: usize = WINDOW / 2;
/// Bands per signature.
pub const BANDS: usize = 12;
/// Minimum hashes per band.
pub const ROWS: usize = 4;
const HASHES: usize = BANDS * ROWS;

/// Articles a packed key can name (24 bits).
pub const MAX_ARTICLES: usize = 1 << 24;

/// Seeds of the hash family, one per row of the signature (SplitMix64 of
/// 1, 2, …: fixed, so signatures are the same in every run).
fn seeds() -> [u64; HASHES] {
    let mut s = [0u64; HASHES];
    for (i, v) in s.iter_mut().enumerate() {
        *v = mix(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(i as u64 + 1));
    }
    s
}

/// The distinct band keys of every window of one text (given its shingle
/// hashes), each a 40-bit hash of (band number, its rows' minima).
pub fn band_keys(shingles: &[u64]) -> Vec<u64> {
    if shingles.is_empty() {
        return Vec::new();
    }
    let seeds = seeds();
    // Each window's minima are computed from its shingles directly: a
    // shingle in two overlapping windows is hashed twice, which costs less
    // than a table of 48 values per shingle (about 60 times the text's size
    // for a long article).
    let mut keys = Vec::new();
    for w in windows(shingles.len()) {
        let mut mins = [u32::MAX; HASHES];
        for &h in &shingles[w] {
            for (m, s) in mins.iter_mut().zip(&seeds) {
                *m = (*m).min((mix(h ^ s) >> 32) as u32);
            }
        }
        for (band, rows) in mins.chunks(ROWS).enumerate() {
            let mut h = band as u64 + 1;
            for &r in rows {
                h = mix(h.rotate_left(17) ^ r as u64);
            }
            keys.push(h >> 24);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Window ranges over `n` shingles: every `STRIDE`, the last one flush
/// with the end; one window when the text is shorter than a window.
fn windows(n: usize) -> Vec<std::ops::Range<usize>> {
    if n <= WINDOW {
        return std::iter::once(0..n).collect();
    }
    let mut out: Vec<_> = (0..)
        .map(|i| i * STRIDE)
        .take_while(|s| s + WINDOW < n)
        .map(|s| s..s + WINDOW)
        .collect();
    out.push(n - WINDOW..n);
    out
}

/// Article pairs `(i, j)`, `i < j`, that share a band key in a bucket of at
/// most `max_bucket` articles and pass `keep`; sorted, each once.
pub fn candidate_pairs(
    keys: &[Vec<u64>],
    max_bucket: usize,
    keep: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(u32, u32)> {
    let n = keys.len().min(MAX_ARTICLES);
    // (40-bit key << 24) | article: one sort groups the buckets.
    let mut entries: Vec<u64> = keys[..n]
        .iter()
        .enumerate()
        .flat_map(|(i, ks)| ks.iter().map(move |k| (k << 24) | i as u64))
        .collect();
    entries.par_sort_unstable();
    let buckets: Vec<&[u64]> = entries
        .chunk_by(|x, y| x >> 24 == y >> 24)
        .filter(|b| b.len() >= 2)
        .collect();
    let mut pairs: Vec<(u32, u32)> = buckets
        .par_iter()
        .filter(|b| b.len() <= max_bucket)
        .flat_map_iter(|b| {
            let articles: Vec<u32> = b.iter().map(|e| (e & 0xFF_FFFF) as u32).collect();
            let mut out = Vec::new();
            for (x, &i) in articles.iter().enumerate() {
                for &j in &articles[x + 1..] {
                    if i != j && keep(i as usize, j as usize) {
                        out.push((i.min(j), i.max(j)));
                    }
                }
            }
            out
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

#[cfg(test)]
mod tests {
    use super::super::shingle::Normalized;
    use super::*;

    // Paragraphs of 003_fefd0e6c0ad8662e (重庆市新型智慧城市运行管理中心投运) and
    // 001_36884ec9de0aea5a (江苏发布区块链产业发展计划).
    const CHONGQING: &str = "该运管中心由该市大数据发展局与数字重庆公司联合建设，具体功能为“三中心一平台”，即数据资源中心、\
监测预警中心、调度指挥中心和综合赋能平台。其中，数据资源中心通过汇聚全市各类政务数据资源，深度挖掘数据价值；\
监测预警中心依托对业务系统的管理能力和数据资源分析，实现对城市运行监测分析、预测预警；调度指挥中心通过建立协同\
指挥调动联动方式，实现对城市突发事件应急处置调度。";
    const JIANGSU: &str = "一是建设基于区块链的新型基础设施，到 2023 年建设 5 个通用性强、用户量大的自主安全可靠的底层平台，\
若干个面向政务、司法、金融、民生、工业等重点领域的行业链。二是突破关键核心技术，到 2023 年组织开展各层次关键技术攻关\
项目不少于 10 个。三是加快标准规范研制，到 2023 年制定并发布团体及以上标准规范不少于 5 项。";

    fn keys(text: &str) -> Vec<u64> {
        band_keys(&Normalized::new(text).shingles())
    }

    #[test]
    fn windows_cover_the_text() {
        assert_eq!(windows(10), vec![0..10]);
        assert_eq!(windows(WINDOW), vec![0..WINDOW]);
        let w = windows(100);
        assert_eq!(w.first(), Some(&(0..WINDOW)));
        assert_eq!(w.last(), Some(&(100 - WINDOW..100)));
        assert!(w.windows(2).all(|p| p[1].start - p[0].start <= STRIDE));
    }

    #[test]
    fn a_copied_passage_collides_unrelated_text_does_not() {
        // A Sichuan article that reuses Chongqing's paragraph with its own names,
        // inside text of its own.
        let copy = format!(
            "四川省近日召开全省数字政府建设推进会，部署下一阶段重点任务。{}会议要求各地抓好落实。",
            CHONGQING.replace("重庆", "四川")
        );
        let all = vec![keys(CHONGQING), keys(&copy), keys(JIANGSU)];
        let pairs = candidate_pairs(&all, 50, |_, _| true);
        assert_eq!(pairs, vec![(0, 1)]);
        // `keep` filters, e.g. pairs of one province.
        assert!(candidate_pairs(&all, 50, |_, _| false).is_empty());
        // Buckets above the cap are skipped.
        assert!(candidate_pairs(&all, 1, |_, _| true).is_empty());
    }

    #[test]
    fn keys_are_stable() {
        assert_eq!(keys(CHONGQING), keys(CHONGQING));
        assert!(keys("").is_empty());
        assert!(keys(CHONGQING).iter().all(|k| *k < 1 << 40));
    }
}
