//! `policygraph synth` through the binary: the corpus is a pure function of
//! the seed, and the adoptions it plants (ADOPTIONS.csv) are what the
//! copying detector finds, while novel articles are not copies of each other.
//! Only the command line and its output files are used, not the library.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policygraph"))
}

fn synth(size: &str, seed: &str, dir: &Path) {
    let status = bin()
        .args(["synth", "--size", size, "--seed", seed, "-o"])
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success(), "synth failed");
}

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        out.insert(
            entry.strip_prefix(dir).unwrap().to_path_buf(),
            std::fs::read(&entry).unwrap(),
        );
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let t = tempfile::tempdir().unwrap();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    synth("200K", "5", &a);
    synth("200K", "5", &b);
    synth("200K", "6", &c);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert!(fa.len() > 5);
    assert!(fa == fb, "the same seed gave different files");
    assert!(fa != fc, "another seed gave the same files");
    let bytes: usize = fa
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|x| x == "txt"))
        .map(|(_, b)| b.len())
        .sum();
    assert!(
        (200 * 1024..230 * 1024).contains(&bytes),
        "{bytes} bytes for 200K"
    );
}

/// Split one CSV line (no quoted commas in the columns read here).
fn cols(line: &str) -> Vec<&str> {
    line.split(',').collect()
}

#[test]
fn planted_adoptions_are_found_and_novel_articles_are_not_copies() {
    let t = tempfile::tempdir().unwrap();
    let corpus = t.path().join("corpus");
    let out = t.path().join("out");
    synth("500K", "11", &corpus);
    let status = bin()
        .arg("build")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .args(["--threads", "2"])
        .status()
        .unwrap();
    assert!(status.success(), "build failed");

    let manifest = std::fs::read_to_string(corpus.join("ADOPTIONS.csv")).unwrap();
    let planted: Vec<(String, String)> = manifest
        .lines()
        .skip(1)
        .map(|l| {
            let c = cols(l);
            (c[0].to_string(), c[1].to_string())
        })
        .collect();
    assert!(
        planted.len() >= 15,
        "only {} adoptions planted",
        planted.len()
    );
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for (o, _) in &planted {
        *copies.entry(o.as_str()).or_default() += 1;
    }
    assert!(
        copies.values().all(|&n| n <= 3),
        "an original was copied more than three times"
    );

    // Article ids in the manifest are the ids build gives.
    let jsonl = std::fs::read_to_string(out.join("articles.jsonl")).unwrap();
    let ids: HashSet<String> = jsonl
        .lines()
        .filter_map(|l| {
            l.strip_prefix("{\"id\":\"")
                .and_then(|r| r.split('"').next())
                .map(String::from)
        })
        .collect();
    for (o, c) in &planted {
        assert!(
            ids.contains(o) && ids.contains(c),
            "{o} or {c} is no article of the build"
        );
    }

    let edges = std::fs::read_to_string(out.join("edges.csv")).unwrap();
    let header = cols(edges.lines().next().unwrap());
    let signals = header.iter().position(|h| *h == "signals").unwrap();
    let mut found = HashSet::new();
    let mut text_reuse = Vec::new();
    for line in edges.lines().skip(1) {
        let c = cols(line);
        if c.get(3) != Some(&"COPIES") {
            continue;
        }
        let a = c[0].trim_start_matches("article:").to_string();
        let b = c[1].trim_start_matches("article:").to_string();
        if c.get(signals).is_some_and(|s| s.contains("text_reuse")) {
            text_reuse.push((a.clone(), b.clone()));
        }
        found.insert((a.clone(), b.clone()));
        found.insert((b, a));
    }
    let hit = planted.iter().filter(|p| found.contains(*p)).count();
    assert!(
        hit * 10 >= planted.len() * 7,
        "only {hit} of {} planted adoptions found",
        planted.len()
    );

    // Text reuse between articles unrelated by construction is rare.
    let original: HashMap<&str, &str> = planted
        .iter()
        .map(|(o, c)| (c.as_str(), o.as_str()))
        .collect();
    let related = |a: &str, b: &str| {
        original.get(b) == Some(&a)
            || original.get(a) == Some(&b)
            || original.get(a).is_some_and(|o| original.get(b) == Some(o))
    };
    let stray = text_reuse.iter().filter(|(a, b)| !related(a, b)).count();
    assert!(
        stray * 4 <= planted.len(),
        "{stray} text-reuse findings between unrelated articles ({} planted)",
        planted.len()
    );
}
