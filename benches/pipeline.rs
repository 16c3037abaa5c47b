//! End-to-end throughput, per-stage time, peak memory, and the aho-corasick
//! limit, on synthetic corpora of 10 MB, 100 MB and 1 GB.
//!
//! ```sh
//! cargo bench --bench pipeline                      # 10M,100M,1G
//! cargo bench --bench pipeline -- --sizes 10M,100M  # a subset
//! cargo bench --bench pipeline -- --sizes 10M --stages-only  # no end-to-end runs
//! cargo bench --bench pipeline -- --sizes 10M --stages-only --cpu --repeat 3
//! ```
//!
//! `--cpu` times the in-process stages by CPU time, `--repeat N` keeps the
//! fastest of N runs, `--kind nfa|dfa` picks the extractor's automaton.
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
//! * time per stage, in process, one thread: read, decode, normalise +
//!   segment, extract, graph building and each export format
//!   (`--stages-only` skips the end-to-end runs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use policygraph::diffusion::{Corpus, Detector, Options as DiffusionOptions};
use policygraph::export::{self, Format, Staging};
use policygraph::graph::GraphBuilder;
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
    let stages_only = args.iter().any(|a| a == "--stages-only");
    // `--repeat N`: run the in-process stages N times and keep the fastest
    // (timings on a shared machine are noisy; also handy under `perf record`).
    if args.iter().any(|a| a == "--cpu") {
        CPU_TIME.store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let repeat: usize = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .map(|n| n.parse().expect("--repeat N"))
        .unwrap_or(1)
        .max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("bench-data");
    println!("machine: {}", machine());
    if CPU_TIME.load(std::sync::atomic::Ordering::Relaxed) {
        println!("stage times: thread CPU time (--cpu)");
    }
    for size in sizes.split(',') {
        let bytes = parse_size(size);
        let dir = data.join(size);
        ensure_corpus(root, &dir, bytes);
        println!("\n== {size} corpus: {} ==", dir.display());
        bench_size(root, &dir, stages_only, repeat);
    }
}

fn bench_size(root: &Path, dir: &Path, stages_only: bool, repeat: usize) {
    let dictionaries = root.join("dictionaries");
    let t = now();
    // `--kind nfa|dfa`: the extractor's automaton (default: the extractor's own choice).
    let kind = match arg_value("--kind").as_deref() {
        Some("nfa") => Some(aho_corasick::AhoCorasickKind::ContiguousNFA),
        Some("dfa") => Some(aho_corasick::AhoCorasickKind::DFA),
        Some(other) => panic!("--kind nfa|dfa, not {other}"),
        None => None,
    };
    let resources = Resources {
        extractor: policygraph::extract::Extractor::from_dir_with(&dictionaries, kind)
            .expect("dictionaries load"),
        sections: SectionNames::load(&dictionaries.join("sections.csv")).expect("sections load"),
    };
    let load_time = now() - t;
    let (files, _) = ingest::discover(&[dir.to_path_buf()]);

    // Stage 1: read + decode.
    let t = now();
    let raw: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(&f.path).expect("read"))
        .collect();
    let read_time = now() - t;
    let total_bytes: u64 = raw.iter().map(|b| b.len() as u64).sum();
    let (texts, decode_time) = fastest(repeat, || {
        raw.iter()
            .map(|b| decode::decode(b).expect("decode").text)
            .collect::<Vec<String>>()
    });
    drop(raw);

    // The limit: one AC pass over the same (decoded, UTF-8) bytes.
    let limit = (0..repeat)
        .map(|k| ac_limit(&resources, &texts, k == 0))
        .min()
        .expect("repeat >= 1");

    // Stage 2: normalise + layout + segment.
    let (articles, segment_time) = fastest(repeat, || {
        let mut articles = Vec::new();
        for (text, file) in texts.iter().zip(&files) {
            let bulletin =
                ingest::parse_text(text, &file.source, &file.id_stem, &resources.sections);
            articles.extend(bulletin.articles);
        }
        articles
    });
    drop(texts);

    // Stage 3: extract.
    let (entities, extract_time) = fastest(repeat, || {
        articles
            .iter()
            .map(|article| resources.extractor.extract(article))
            .collect::<Vec<_>>()
    });
    let records: Vec<policygraph::record::ArticleRecord> = articles
        .into_iter()
        .zip(entities)
        .map(|(article, entities)| policygraph::record::ArticleRecord { article, entities })
        .collect();

    // Stage 4: graph building, sorted on disk as `build` does.
    let sort_dir = tempfile::tempdir().expect("temporary directory");
    let t = now();
    let mut builder = GraphBuilder::spilling_in(sort_dir.path(), 64 << 20, |id: &str| {
        resources.extractor.region(id)
    });
    for record in &records {
        builder.add(record).expect("graph statements written");
    }
    let graph = builder.finish().expect("graph sorted");
    let graph_time = now() - t;

    // Stage 5: copying detection, on one thread like the stages above.
    let detector =
        Detector::load(&dictionaries, DiffusionOptions::default()).expect("detector loads");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");
    let (sketch_time, candidates_time, score_time, pairs, findings) = one.install(|| {
        let t = now();
        let mut corpus = Corpus::new();
        for record in &records {
            corpus.push(detector.sketch(record));
        }
        let sketch_time = now() - t;
        let t = now();
        let candidates = detector.candidates(&corpus);
        let candidates_time = now() - t;
        let t = now();
        let findings = detector
            .score(&corpus, &candidates, &records[..])
            .expect("texts in memory");
        (
            sketch_time,
            candidates_time,
            now() - t,
            candidates.len(),
            findings.len(),
        )
    });

    // Stage 5: each export format, staged into a temporary directory (and
    // dropped uncommitted, so the temporary files are removed).
    let out = tempfile::tempdir().expect("temporary directory");
    let mut export_times = Vec::new();
    {
        let mut staging = Staging::new(out.path()).expect("staging");
        for format in Format::ALL {
            let t = now();
            if format == Format::Jsonl {
                staging
                    .write(export::jsonl::FILE, |w| export::jsonl::write(&records, w))
                    .expect("jsonl export");
            } else {
                export::stage_ordered(&graph, &mut staging, &[format], 1).expect("export");
            }
            export_times.push((format, (now() - t)));
        }
    }

    let mb = total_bytes as f64 / 1e6;
    println!(
        "input: {} files, {:.1} MB, {} articles",
        files.len(),
        mb,
        records.len()
    );
    println!(
        "dictionaries + automaton build: {:.3} s ({}, {:.1} MB)",
        load_time.as_secs_f64(),
        kind_name(resources.extractor.automaton_kind()),
        resources.extractor.automaton_memory() as f64 / 1e6
    );
    println!(
        "limit (AC scan, 1 thread, {}): {:.1} MB/s",
        limit.1,
        mb / limit.0.as_secs_f64()
    );
    stage("read", read_time, mb);
    stage("decode", decode_time, mb);
    stage("normalise + segment", segment_time, mb);
    stage("extract", extract_time, mb);
    let ingest_time = read_time + decode_time + segment_time + extract_time;
    stage("read .. extract", ingest_time, mb);
    println!(
        "  (read .. extract: {:.2} × the limit's time)",
        ingest_time.as_secs_f64() / limit.0.as_secs_f64()
    );
    stage("diffusion: sketch", sketch_time, mb);
    stage("diffusion: candidates", candidates_time, mb);
    stage("diffusion: score", score_time, mb);
    println!("  ({pairs} candidate pairs, {findings} findings)");
    stage("graph", graph_time, mb);
    for (format, time) in &export_times {
        stage(&format!("export {format}"), *time, mb);
    }

    if stages_only {
        return;
    }
    for threads in [1usize, 0] {
        let run = end_to_end(dir, threads);
        let label = if threads == 1 {
            "1 thread".to_string()
        } else {
            format!("{} threads", cores())
        };
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

/// `--cpu`: time stages by this thread's CPU time rather than by the wall
/// clock (steadier on a machine shared with other work).
static CPU_TIME: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The current time on the chosen clock, from an arbitrary origin.
fn now() -> Duration {
    static ORIGIN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    if CPU_TIME.load(std::sync::atomic::Ordering::Relaxed) {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: a valid pointer to a local timespec.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
    } else {
        ORIGIN.get_or_init(Instant::now).elapsed()
    }
}

/// Run `f` `n` times; its last result and the fastest time.
fn fastest<T>(n: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        drop(out.take()); // free the previous result before the next run
        let t = now();
        let v = f();
        best = best.min(now() - t);
        out = Some(v);
    }
    (out.expect("n >= 1"), best)
}

fn stage(name: &str, time: Duration, mb: f64) {
    println!(
        "  stage {name:<22} {:>8.3} s {:>8.1} MB/s",
        time.as_secs_f64(),
        mb / time.as_secs_f64()
    );
}

/// Time one leftmost-longest scan with each automaton kind; keep the faster.
fn ac_limit(resources: &Resources, texts: &[String], verbose: bool) -> (Duration, &'static str) {
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
    let patterns = resources.extractor.patterns();
    let mut best: Option<(Duration, &'static str)> = None;
    for (kind, name) in [
        (AhoCorasickKind::ContiguousNFA, "contiguous NFA"),
        (AhoCorasickKind::DFA, "DFA"),
    ] {
        let t = now();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(kind))
            .build(patterns)
            .expect("automaton builds");
        if verbose {
            println!(
                "limit automaton, {name}: {} patterns, built in {:.3} s, {:.1} MB",
                patterns.len(),
                (now() - t).as_secs_f64(),
                ac.memory_usage() as f64 / 1e6
            );
        }
        let t = now();
        let mut matches = 0usize;
        for text in texts {
            matches += ac.find_iter(text.as_bytes()).count();
        }
        let time = now() - t;
        std::hint::black_box(matches);
        if best.is_none_or(|(b, _)| time < b) {
            best = Some((time, name));
        }
    }
    best.expect("two kinds measured")
}

/// The value after `name` on the command line.
fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn kind_name(kind: aho_corasick::AhoCorasickKind) -> &'static str {
    match kind {
        aho_corasick::AhoCorasickKind::NoncontiguousNFA => "noncontiguous NFA",
        aho_corasick::AhoCorasickKind::ContiguousNFA => "contiguous NFA",
        aho_corasick::AhoCorasickKind::DFA => "DFA",
        _ => "other automaton",
    }
}

struct Run {
    wall: Duration,
    max_rss_kb: i64,
}

/// Run the release binary as a user would; wall time, and peak RSS as the
/// child's own high-water mark.
///
/// Not `wait4`'s `ru_maxrss`: on Linux a child's maximum includes the
/// address space it was spawned from, so it reported this benchmark's own
/// memory (all the records of the stage timings) instead of the build's.
/// `VmHWM` in `/proc/PID/status` belongs to the exec'd program alone; it
/// only grows, so reading it every 10 ms misses at most the last 10 ms.
fn end_to_end(dir: &Path, threads: usize) -> Run {
    let out = std::env::temp_dir().join(format!("policygraph-bench-{}", std::process::id()));
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(&out)
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--quiet")
        .spawn()
        .expect("policygraph runs");
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0i64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        match child.try_wait().expect("wait for the build") {
            Some(status) => break status,
            None => std::thread::sleep(Duration::from_millis(10)),
        }
    };
    let wall = t.elapsed();
    assert!(
        status.code().is_some_and(|c| c <= 1),
        "build failed: {status}"
    );
    let _ = std::fs::remove_dir_all(&out);
    Run {
        wall,
        max_rss_kb: peak_kb,
    }
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
        pool.extend(
            ingest::read_file(&f.path, &f.source, &f.id_stem, &sections)
                .expect("sample")
                .articles,
        );
    }
    let t = Instant::now();
    let stats = synth::generate(&pool, &provinces, bytes, 2020, dir).expect("generate");
    std::fs::write(dir.join("COMPLETE"), format!("{stats:?}\n")).expect("marker");
    println!(
        "generated {} in {:.1} s: {stats:?}",
        dir.display(),
        t.elapsed().as_secs_f64()
    );
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
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cpu}, {} cores", cores())
}
