//! End-to-end throughput, per-stage time, peak memory, and the aho-corasick
//! limit, on synthetic corpora of 10 MB, 100 MB and 1 GB.
//!
//! ```sh
//! cargo bench --bench pipeline                      # 10M,100M,1G
//! cargo bench --bench pipeline -- --sizes 10M,100M  # a subset
//! ```
//!
//! Corpora are generated (deterministically, by `policygraph synth`'s code)
//! into `bench-data/<size>/` the first time and reused after; they are never
//! committed. For each size, in one run:
//!
//! * the limit: one plain leftmost-longest aho-corasick scan of the same
//!   bytes with the extractor's own region + agency + program patterns, one
//!   thread, faster of the NFA and DFA kinds;
//! * end-to-end `policygraph build` (the release binary, as a user runs it)
//!   with `--threads 1` and with all cores: wall time, MB/s, articles/s and
//!   peak RSS (from `wait4`);
//! * time per stage, in process, one thread.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use policygraph::ingest::{self, decode, SectionNames};
use policygraph::pipeline::Resources;
use policygraph::synth;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sizes = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
        .unwrap_or("10M,100M,1G");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("bench-data");
    println!("machine: {}", machine());
    for size in sizes.split(',') {
        let bytes = parse_size(size);
        let dir = data.join(size);
        ensure_corpus(root, &dir, bytes);
        println!("\n== {size} corpus: {} ==", dir.display());
        bench_size(root, &dir);
    }
}

fn bench_size(root: &Path, dir: &Path) {
    let dictionaries = root.join("dictionaries");
    let t = Instant::now();
    let resources = Resources::load(&dictionaries).expect("dictionaries load");
    let load_time = t.elapsed();
    let (files, _) = ingest::discover(&[dir.to_path_buf()]);

    // Stage 1: read + decode.
    let t = Instant::now();
    let raw: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(&f.path).expect("read")).collect();
    let read_time = t.elapsed();
    let total_bytes: u64 = raw.iter().map(|b| b.len() as u64).sum();
    let t = Instant::now();
    let texts: Vec<String> = raw.iter().map(|b| decode::decode(b).expect("decode").text).collect();
    let decode_time = t.elapsed();
    drop(raw);

    // The limit: one AC pass over the same (decoded, UTF-8) bytes.
    let limit = ac_limit(&resources, &texts);

    // Stage 2: normalise + layout + segment.
    let t = Instant::now();
    let mut articles = Vec::new();
    for (text, file) in texts.iter().zip(&files) {
        let bulletin = ingest::parse_text(text, &file.source, &file.id_stem, &resources.sections);
        articles.extend(bulletin.articles);
    }
    let segment_time = t.elapsed();
    drop(texts);

    // Stage 3: extract.
    let t = Instant::now();
    let records: Vec<policygraph::record::ArticleRecord> = articles
        .into_iter()
        .map(|article| {
            let entities = resources.extractor.extract(&article);
            policygraph::record::ArticleRecord { article, entities }
        })
        .collect();
    let extract_time = t.elapsed();

    let mb = total_bytes as f64 / 1e6;
    println!("input: {} files, {:.1} MB, {} articles", files.len(), mb, records.len());
    println!("dictionaries + automaton build: {:.3} s", load_time.as_secs_f64());
    println!("limit (AC scan, 1 thread, {}): {:.1} MB/s", limit.1, mb / limit.0.as_secs_f64());
    stage("read", read_time, mb);
    stage("decode", decode_time, mb);
    stage("normalise + segment", segment_time, mb);
    stage("extract", extract_time, mb);

    for threads in [1usize, 0] {
        let run = end_to_end(dir, threads);
        let label = if threads == 1 { "1 thread".to_string() } else { format!("{} threads", cores()) };
        println!(
            "end-to-end build, {label}: {:.2} s, {:.1} MB/s, {:.0} articles/s, peak RSS {:.0} MB, {:.2} × limit",
            run.wall.as_secs_f64(),
            mb / run.wall.as_secs_f64(),
            records.len() as f64 / run.wall.as_secs_f64(),
            run.max_rss_kb as f64 / 1024.0,
            (mb / run.wall.as_secs_f64()) / (mb / limit.0.as_secs_f64()),
        );
    }
}

fn stage(name: &str, time: Duration, mb: f64) {
    println!("  stage {name:<22} {:>8.3} s {:>8.1} MB/s", time.as_secs_f64(), mb / time.as_secs_f64());
}

/// Time one leftmost-longest scan with each automaton kind; keep the faster.
fn ac_limit(resources: &Resources, texts: &[String]) -> (Duration, &'static str) {
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    let patterns = resources.extractor.patterns();
    let mut best: Option<(Duration, &'static str)> = None;
    for (kind, name) in [(AhoCorasickKind::ContiguousNFA, "contiguous NFA"), (AhoCorasickKind::DFA, "DFA")] {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(patterns)
            .expect("automaton builds");
        let t = Instant::now();
        let mut matches = 0usize;
        for text in texts {
            matches += ac.find_iter(text.as_bytes()).count();
        }
        let time = t.elapsed();
        std::hint::black_box(matches);
        if best.is_none_or(|(b, _)| time < b) {
            best = Some((time, name));
        }
    }
    best.expect("two kinds measured")
}

struct Run {
    wall: Duration,
    max_rss_kb: i64,
}

/// Run the release binary as a user would and measure it with `wait4`.
fn end_to_end(dir: &Path, threads: usize) -> Run {
    let out = std::env::temp_dir().join(format!("policygraph-bench-{}", std::process::id()));
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(&out)
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--quiet")
        .spawn()
        .expect("policygraph runs");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    assert!(pid > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1, "build failed: {status}");
    let _ = std::fs::remove_dir_all(&out);
    Run { wall, max_rss_kb: usage.ru_maxrss }
}

fn ensure_corpus(root: &Path, dir: &PathBuf, bytes: u64) {
    if dir.join("COMPLETE").exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create bench-data");
    let dictionaries = root.join("dictionaries");
    let sections = SectionNames::load(&dictionaries.join("sections.csv")).expect("sections");
    let provinces = synth::load_provinces(&dictionaries.join("divisions")).expect("divisions");
    let (files, _) = ingest::discover(&[root.join("corpus/sample")]);
    let mut pool = Vec::new();
    for f in &files {
        pool.extend(ingest::read_file(&f.path, &f.source, &f.id_stem, &sections).expect("sample").articles);
    }
    let t = Instant::now();
    let stats = synth::generate(&pool, &provinces, bytes, 2020, dir).expect("generate");
    std::fs::write(dir.join("COMPLETE"), format!("{stats:?}\n")).expect("marker");
    println!("generated {} in {:.1} s: {stats:?}", dir.display(), t.elapsed().as_secs_f64());
}

fn parse_size(s: &str) -> u64 {
    let (n, unit) = s.split_at(s.len() - 1);
    let n: u64 = n.parse().expect("size like 10M");
    n * match unit {
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => panic!("size like 10M, 100M, 1G"),
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpu}, {} cores", cores())
}
