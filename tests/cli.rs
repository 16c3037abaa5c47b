//! The `policygraph build` command as a user runs it: bad files among good
//! ones are named with a reason, the good ones still come out, exit codes.

use std::path::Path;
use std::process::Command;

fn policygraph() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policygraph"))
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/sample")
            .join(name),
    )
    .unwrap()
}

fn article_count(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("articles.jsonl"))
        .unwrap()
        .lines()
        .count()
}

#[test]
fn bad_files_are_named_and_good_ones_still_come_out() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(
        input.path().join("a_good.txt"),
        sample("000_5fd69a67e7dd1237.txt"),
    )
    .unwrap();
    std::fs::write(input.path().join("b_empty.txt"), b"").unwrap();
    std::fs::write(
        input.path().join("c_scan.txt"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    )
    .unwrap();
    let mut garbage = Vec::new();
    for i in 0..2000u32 {
        garbage.extend_from_slice("上海".as_bytes());
        garbage.push(0x80 | (i % 64) as u8);
    }
    std::fs::write(input.path().join("d_garbage.txt"), garbage).unwrap();
    std::fs::write(
        input.path().join("e_good.txt"),
        sample("004_41d73a1e40dfc479.txt"),
    )
    .unwrap();

    let result = policygraph()
        .arg("build")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("b_empty.txt: the file is empty"),
        "{stderr}"
    );
    assert!(
        // A PDF named .txt is read as a PDF (this one is cut short).
        stderr.contains("c_scan.txt: not a readable PDF file: "),
        "{stderr}"
    );
    assert!(stderr.contains("d_garbage.txt: undecodable"), "{stderr}");
    assert!(stderr.contains("read 2 of 5 file(s)"), "{stderr}");
    assert!(stderr.contains("skipped 3"), "{stderr}");
    assert_eq!(article_count(out.path()), 18 + 7);
}

#[test]
fn nothing_readable_is_exit_2_and_writes_nothing() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("empty.txt"), b"").unwrap();
    let result = policygraph()
        .arg("build")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(!out.path().join("articles.jsonl").exists());

    let missing = input.path().join("no-such-dir");
    let result = policygraph()
        .arg("build")
        .arg(&missing)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("no such file or directory"));
}

#[test]
fn default_input_is_the_bundled_sample_corpus() {
    let out = tempfile::tempdir().unwrap();
    let result = policygraph()
        .arg("build")
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert_eq!(article_count(out.path()), 87);
}

#[test]
fn help_explains_the_command() {
    let result = policygraph().args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success());
    assert!(help.contains("--output"));
    assert!(help.contains("directory walked recursively for *.txt"));
}
