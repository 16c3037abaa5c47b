//! Same input, same bytes: the committed `output/` is what the run command
//! produces now, and the number of threads changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(inputs: &[&Path], out: &Path, threads: usize) {
    let result = Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .arg("build")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

fn assert_same(expected: &Path, got: &Path, hint: &str) {
    let (a, b) = (files(expected), files(got));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{hint}"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{} differs: {hint}", name.display());
    }
}

#[test]
fn committed_output_is_what_the_run_command_writes() {
    let out = tempfile::tempdir().unwrap();
    build(&[], out.path(), 0);
    assert_same(
        &root().join("output"),
        out.path(),
        "output/ is stale: regenerate it with `cargo run --release -- build` and commit it",
    );
}

#[test]
fn one_thread_and_many_give_byte_identical_output() {
    // A corpus with more files than threads, generated from the samples.
    let corpus = tempfile::tempdir().unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .args(["synth", "--size", "600K", "--seed", "7", "-o"])
        .arg(corpus.path().join("c"))
        .status()
        .unwrap();
    assert!(status.success());
    let inputs = [corpus.path().join("c"), root().join("corpus/sample")];
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let (one, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build(&inputs, one.path(), 1);
    build(&inputs, many.path(), 4);
    assert!(files(one.path()).len() >= 5);
    assert_same(
        one.path(),
        many.path(),
        "--threads 1 and --threads 4 differ",
    );
}
