//! Faults around a run, through the real binary: a run killed midway, a
//! disk that fills up while outputs are written, malformed dictionaries,
//! and a dictionary of a million entries. Everything is generated here at
//! test time, in temporary directories.
//!
//! The promise under test (README, "Bad input, exit codes and fuzzing"):
//! outputs are replaced all together or not at all, so a killed or failed
//! run leaves the previous outputs byte for byte and never a half-written
//! file under a final name; the temporary files a killed run could not
//! remove are removed by the next run; a bad dictionary stops the run
//! before any work and before the output directory is touched.
//!
//! Linux only: SIGKILL, wait4 (a child's peak memory), statvfs, and a tmpfs
//! mount (root only; skipped with a printed reason where not permitted).
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_dir() -> PathBuf {
    manifest().join("corpus/sample")
}

/// One sample bulletin (7 articles): a small "previous run".
const SMALL: &str = "004_41d73a1e40dfc479.txt";

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    /// Exit code, if it exited.
    code: Option<i32>,
    /// The signal that ended it, if one did.
    signal: Option<i32>,
    stderr: String,
    wall: Duration,
    /// Peak resident memory (wait4's ru_maxrss), in bytes.
    peak_rss: u64,
}

impl Run {
    fn assert_code(&self, code: i32) {
        assert_eq!(self.code, Some(code), "exit code; stderr:\n{}", self.stderr);
    }
}

/// A started `policygraph` child, reaped with wait4 to learn its peak memory.
struct Child {
    pid: libc::pid_t,
    start: Instant,
    log: tempfile::NamedTempFile,
}

impl Child {
    // The child is reaped by wait4 in `Child::reap`, which `std` cannot see.
    #[allow(clippy::zombie_processes)]
    fn spawn<S: AsRef<OsStr>>(args: &[S]) -> Child {
        let log = tempfile::NamedTempFile::new().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_policygraph"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.reopen().unwrap())
            .spawn()
            .unwrap();
        Child {
            pid: child.id() as libc::pid_t,
            start: Instant::now(),
            log,
        }
    }

    /// The child's end, if it has ended (`block`: wait for it).
    fn reap(&self, block: bool) -> Option<Run> {
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if block { 0 } else { libc::WNOHANG };
        let r = unsafe { libc::wait4(self.pid, &mut status, flags, &mut usage) };
        assert!(r >= 0, "wait4: {}", std::io::Error::last_os_error());
        (r == self.pid).then(|| Run {
            code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
            signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
            stderr: std::fs::read_to_string(self.log.path()).unwrap(),
            wall: self.start.elapsed(),
            peak_rss: usage.ru_maxrss as u64 * 1024,
        })
    }

    fn kill(&self) -> Run {
        unsafe { libc::kill(self.pid, libc::SIGKILL) };
        self.reap(true).unwrap()
    }

    /// Waits for the end, killing the child after `limit` (a hang).
    fn wait(self, limit: Duration) -> Run {
        loop {
            if let Some(run) = self.reap(false) {
                return run;
            }
            if self.start.elapsed() > limit {
                let run = self.kill();
                panic!(
                    "still running after {limit:?}: a hang; stderr:\n{}",
                    run.stderr
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn policygraph<S: AsRef<OsStr>>(args: &[S]) -> Run {
    Child::spawn(args).wait(Duration::from_secs(600))
}

fn build(inputs: &[&Path], out: &Path) -> Run {
    let mut args: Vec<&OsStr> = vec!["build".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend(["-o".as_ref(), out.as_os_str()]);
    policygraph(&args)
}

/// Every file under `dir` (relative path → bytes). Symbolic links and
/// directories are not files; a test that expects neither sees them here as
/// a missing or extra entry.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Which output file a temporary file of run `pid` stands for: its name is
/// `.NAME.policygraph-PID-N.tmp` (src/export/atomic.rs).
fn temp_of(path: &Path, pid: libc::pid_t) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (target, n) = inner.split_once(&format!(".policygraph-{pid}-"))?;
    n.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| target.to_string())
}

/// Asserts `after` is `before` plus temporary files of run `pid` only, and
/// returns the output names those stand for (sorted).
fn only_temps_added(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
    pid: libc::pid_t,
) -> Vec<String> {
    for (path, bytes) in before {
        let now = after
            .get(path)
            .unwrap_or_else(|| panic!("{} is gone", path.display()));
        assert!(
            now == bytes,
            "{} changed ({} bytes, was {})",
            path.display(),
            now.len(),
            bytes.len()
        );
    }
    let mut temps = Vec::new();
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        match temp_of(path, pid) {
            Some(target) => temps.push(target),
            None => panic!(
                "{} appeared: not a temporary file of run {pid}",
                path.display()
            ),
        }
    }
    temps.sort();
    temps
}

/// A file a user keeps in the output directory, some shaped like
/// temporary files of other programs: no run may remove or change them.
const USER_FILES: &[(&str, &str)] = &[
    ("notes.txt", "mine"),
    (".notes.tmp", "mine too"),
    (
        ".graph.gexf.12.0.tmp",
        "an older temporary name, or another tool's",
    ),
    ("neo4j/README.local", "kept"),
];

fn put_user_files(dir: &Path) {
    for (name, text) in USER_FILES {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Starts `build CORPUS -o OUT`, waits until `ready` says the run has got
/// far enough (it sees the output directory's files), and kills it with
/// SIGKILL at once. Returns the killed run and its process id.
fn kill_when(
    corpus: &Path,
    out: &Path,
    what: &str,
    ready: impl Fn(&Path, libc::pid_t) -> bool,
) -> (Run, libc::pid_t) {
    let child = Child::spawn(&[
        OsStr::new("build"),
        corpus.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
    ]);
    loop {
        if ready(out, child.pid) {
            let run = child.kill();
            assert_eq!(
                run.signal,
                Some(libc::SIGKILL),
                "the run ended before it was killed; stderr:\n{}",
                run.stderr
            );
            eprintln!("killed {what} after {:.2} s", run.wall.as_secs_f64());
            return (run, child.pid);
        }
        if let Some(run) = child.reap(false) {
            panic!(
                "the run ended before {what} (exit {:?}); stderr:\n{}",
                run.code, run.stderr
            );
        }
        if child.start.elapsed() > Duration::from_secs(600) {
            child.kill();
            panic!("{what} never happened in 600 s");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The size of run `pid`'s temporary file for output `target` in `dir`, if
/// there is one.
fn temp_size(dir: &Path, pid: libc::pid_t, target: &str) -> Option<u64> {
    std::fs::read_dir(dir).ok()?.flatten().find_map(|e| {
        (temp_of(&e.path(), pid).as_deref() == Some(target))
            .then(|| e.metadata().map_or(0, |m| m.len()))
    })
}

/// SIGKILL twice, at two stages of a run over a generated corpus (several
/// seconds in a debug build): while article records stream into
/// articles.jsonl, and while the graph files are written. Each time every
/// previous output is byte-identical and nothing but temporary files of the
/// killed run was added. The next run removes the stale temporary files of
/// killed runs (and nothing else) and its outputs equal a fresh build's.
#[test]
fn a_killed_run_leaves_previous_outputs_intact_and_the_next_run_cleans_up() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    policygraph(&[
        OsStr::new("synth"),
        OsStr::new("--size"),
        OsStr::new("4M"),
        OsStr::new("-o"),
        corpus.as_os_str(),
    ])
    .assert_code(0);

    // The previous run's outputs, beside the user's own files.
    let out = work.path().join("out");
    put_user_files(&out);
    build(&[&sample_dir()], &out).assert_code(0);
    let before = snapshot(&out);
    assert!(before.len() > 20, "a previous run writes every format");

    // 1. While records stream: the articles.jsonl temporary file has data.
    let (_, first) = kill_when(&corpus, &out, "while writing articles.jsonl", |dir, pid| {
        temp_size(dir, pid, "articles.jsonl").is_some_and(|n| n > 0)
    });
    let temps = only_temps_added(&before, &snapshot(&out), first);
    assert_eq!(temps, ["articles.jsonl"]);

    // 2. While the graph is written: graph.gexf has begun (the graph
    // formats are opened together and written in parallel, so others may
    // have begun too). This run also removed the first one's temporary
    // file when it started.
    let (_, second) = kill_when(&corpus, &out, "while writing graph.gexf", |dir, pid| {
        temp_size(dir, pid, "graph.gexf").is_some()
    });
    let temps = only_temps_added(&before, &snapshot(&out), second);
    for target in [
        "articles.jsonl",
        "diffusion.csv",
        "graph.graphml",
        "graph.gexf",
    ] {
        assert!(
            temps.iter().any(|t| t == target),
            "no temporary {target} in {temps:?}"
        );
    }

    // 3. The next run succeeds and leaves exactly a fresh build's outputs
    // and the user's files: no stale temporary file of either killed run.
    let run = build(&[&sample_dir()], &out);
    run.assert_code(0);
    let fresh = work.path().join("fresh");
    put_user_files(&fresh);
    build(&[&sample_dir()], &fresh).assert_code(0);
    let (after, fresh) = (snapshot(&out), snapshot(&fresh));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "files after the clean-up run"
    );
    for (path, bytes) in &fresh {
        assert!(
            after[path] == *bytes,
            "{} differs from a fresh build",
            path.display()
        );
    }
}

/// A tmpfs mounted for the life of a test (root only).
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `bytes` at `dir`, or says why it cannot.
    fn mount(dir: &Path, bytes: u64) -> Result<Tmpfs, String> {
        if unsafe { libc::geteuid() } != 0 {
            return Err("not root: cannot mount a tmpfs".into());
        }
        std::fs::create_dir_all(dir).unwrap();
        let result = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !result.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&result.stderr).trim()
            ));
        }
        Ok(Tmpfs(dir.to_path_buf()))
    }

    /// Free bytes for an ordinary user of the file system.
    fn free(&self) -> u64 {
        let path = std::ffi::CString::new(self.0.as_os_str().as_encoded_bytes()).unwrap();
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::statvfs(path.as_ptr(), &mut st) }, 0);
        st.f_bavail as u64 * st.f_frsize as u64
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The disk fills up while the outputs are written: on a small tmpfs that
/// holds a previous run's outputs, a ballast file leaves just `slack` bytes
/// free, so the build of the sample corpus runs out of space in the file
/// named. Exit code 2, one error line naming that file and saying there is
/// no space left, the previous outputs byte-identical, no temporary file
/// left. Two places: while articles.jsonl streams (the first write), and in
/// graph.gexf (after articles.jsonl, diffusion.csv and graph.graphml were
/// written in full under temporary names). /dev/full cannot stand in: every
/// output is a new temporary file renamed over its final name, so a
/// symbolic link to /dev/full there is replaced, never written through.
#[test]
fn a_full_disk_is_named_exit_2_and_previous_outputs_stay() {
    let work = tempfile::tempdir().unwrap();
    // Sizes of a complete build, on an ordinary disk.
    let reference = work.path().join("reference");
    build(&[&sample_dir()], &reference).assert_code(0);
    let size = |name: &str| std::fs::metadata(reference.join(name)).unwrap().len();
    // A previous run's outputs (a smaller input, so they differ from what
    // the failing run would write).
    let previous = work.path().join("previous");
    put_user_files(&previous);
    build(&[&sample_dir().join(SMALL)], &previous).assert_code(0);
    let before = snapshot(&previous);
    let previous_bytes: u64 = before.values().map(|b| b.len() as u64).sum();

    let gexf_slack = size("articles.jsonl")
        + size("diffusion.csv")
        + size("graph.graphml")
        + size("graph.gexf") / 2;
    for (i, (slack, failing)) in [(16 << 10, "articles.jsonl"), (gexf_slack, "graph.gexf")]
        .into_iter()
        .enumerate()
    {
        // Room for the previous outputs (a page a file at worst), the slack,
        // and the ballast.
        let mount = work.path().join(format!("mnt{i}"));
        let disk = match Tmpfs::mount(
            &mount,
            previous_bytes + 4096 * before.len() as u64 + slack + (1 << 20),
        ) {
            Ok(disk) => disk,
            Err(reason) => {
                eprintln!(
                    "SKIPPED a_full_disk_is_named_exit_2_and_previous_outputs_stay: {reason}"
                );
                return;
            }
        };
        let out = mount.join("out");
        copy_tree(&previous, &out);
        let ballast = disk.free().checked_sub(slack).expect("tmpfs too small");
        std::fs::write(mount.join("ballast"), vec![0u8; ballast as usize]).unwrap();
        let free = disk.free();
        assert!(
            free <= slack && free + (64 << 10) > slack,
            "free {free}, wanted {slack}"
        );

        let run = build(&[&sample_dir()], &out);
        run.assert_code(2);
        // The graph formats are written in parallel: with the disk full
        // part-way through them, whichever output finds it full is named.
        let lines: Vec<&str> = run.stderr.lines().collect();
        let exact = format!(
            "policygraph: error: cannot write {}: No space left on device (os error 28)",
            out.join(failing).display()
        );
        let named_output = |l: &str| {
            l.strip_prefix(&format!(
                "policygraph: error: cannot write {}/",
                out.display()
            ))
            .and_then(|rest| rest.strip_suffix(": No space left on device (os error 28)"))
            .is_some_and(|file| before.keys().any(|k| k.ends_with(file)))
        };
        let ok = lines.len() == 1
            && (lines[0] == exact || (failing == "graph.gexf" && named_output(lines[0])));
        assert!(ok, "with {slack} bytes free: {lines:?}");
        let after = snapshot(&out);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "files after the failed run"
        );
        for (path, bytes) in &before {
            assert!(after[path] == *bytes, "{} changed", path.display());
        }
        // The space the failed run took is all given back.
        assert!(
            disk.free() >= free,
            "free {} after the run, {free} before",
            disk.free()
        );
    }
}

/// A copy of the bundled dictionaries a test may edit.
fn copy_dictionaries(to: &Path) {
    copy_tree(&manifest().join("dictionaries"), to);
}

fn append(path: &Path, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}

/// A malformed line in each kind of dictionary file the build reads: the
/// run stops at start-up with exactly one line,
/// `policygraph: error: cannot load dictionaries from DIR: FILE:LINE: REASON`,
/// exit code 2, before any work (a missing input among the inputs is never
/// reported) and before any output is touched (the output directory, which
/// the run would create, does not exist afterwards).
///
/// Each case appends one line to one file (so LINE is the file's line count
/// plus one), or for the JSON table cuts the file short. Checks a file does
/// not make (duplicate rows of `regions/stoplist.csv`, a set; duplicate
/// zone members) are not listed; `amount_words.csv` and `date_words.csv`
/// are compiled into the binary, not read from `--dictionaries`.
#[test]
fn a_malformed_dictionary_line_stops_the_run_before_any_work() {
    // (file, appended line, what the reason says)
    const CASES: &[(&str, &str, &str)] = &[
        (
            "sections.csv",
            "科创聚焦,多余",
            "found record with 2 fields",
        ),
        ("sections.csv", "\u{3000}", "empty name"),
        (
            "sections.csv",
            "科创聚焦",
            "duplicate name 科创聚焦 (first on line 2)",
        ),
        (
            "divisions/provinces.csv",
            "99",
            "expected 2 columns (code,name), found 1",
        ),
        ("divisions/provinces.csv", "99,\"\"", "empty name"),
        (
            "divisions/provinces.csv",
            "11,\"北京市\"",
            "duplicate code \"11\" (first on line 2)",
        ),
        (
            "divisions/cities.csv",
            "9901,\"某市\"",
            "expected 3 columns (code,name,provinceCode), found 2",
        ),
        ("divisions/cities.csv", "9901,\"\",99", "empty name"),
        (
            "divisions/cities.csv",
            "1101,\"市辖区\",11",
            "duplicate code \"1101\" (first on line 2)",
        ),
        (
            "divisions/areas.csv",
            "990101,\"某区\",9901",
            "expected 4 columns",
        ),
        ("divisions/areas.csv", "990101,\"\",9901,99", "empty name"),
        (
            "divisions/areas.csv",
            "110101,\"东城区\",1101,11",
            "duplicate code \"110101\" (first on line 2)",
        ),
        (
            "divisions/streets.csv",
            "990101001,\"某街道\",990101,99",
            "expected 5 columns",
        ),
        (
            "divisions/streets.csv",
            "990101001,\"\",990101,99,9901",
            "empty name",
        ),
        (
            "divisions/streets.csv",
            "110101001,\"东华门街道\",110101,11,1101",
            "duplicate code \"110101001\" (first on line 2)",
        ),
        (
            "regions/zones.csv",
            "某新区,某新区,zone,310000,,",
            "expected 7 columns",
        ),
        ("regions/zones.csv", "某新区,,zone,310000,,,", "empty name"),
        (
            "regions/zones.csv",
            "临港新片区,临港新片区,zone,310000,,,",
            "duplicate id \"临港新片区\" (first on line 2)",
        ),
        (
            "regions/macro_regions.csv",
            "某地区,某地区,macro,,",
            "expected 7 columns",
        ),
        ("regions/macro_regions.csv", ",某地区,macro,,,,", "empty id"),
        (
            "regions/macro_regions.csv",
            "长三角,长三角,macro,,,,",
            "duplicate id \"长三角\" (first on line 2)",
        ),
        (
            "regions/countries.csv",
            "某国,某国,country",
            "expected 7 columns",
        ),
        ("regions/countries.csv", "某国,,country,,,,", "empty name"),
        (
            "regions/countries.csv",
            "美国,美国,country,,,,",
            "duplicate id \"美国\" (first on line 2)",
        ),
        (
            "regions/abbreviations.csv",
            "申,310000",
            "expected 3 columns",
        ),
        (
            "regions/abbreviations.csv",
            ",310000,strong",
            "empty abbreviation",
        ),
        (
            "regions/abbreviations.csv",
            "京,110000,strong",
            "duplicate abbreviation \"京\" (first on line 2)",
        ),
        (
            "regions/old_names.csv",
            "某旧名,420600",
            "expected 4 columns",
        ),
        ("regions/old_names.csv", ",420600,,", "empty old name"),
        (
            "regions/old_names.csv",
            "襄樊市,420600,2010-11-26,",
            "duplicate old name \"襄樊市\" (first on line 2)",
        ),
        ("regions/aliases.csv", "沪城,310000", "expected 3 columns"),
        ("regions/aliases.csv", ",310000,x", "empty alias"),
        (
            "regions/aliases.csv",
            "申城,310000,",
            "duplicate alias \"申城\" (first on line 2)",
        ),
        (
            "regions/zone_members.csv",
            "长三角生态绿色一体化发展示范区,310118",
            "expected 3 columns",
        ),
        (
            "regions/zone_members.csv",
            "长三角生态绿色一体化发展示范区,,x",
            "unknown region id \"\"",
        ),
        ("regions/stoplist.csv", "资源,short", "expected 3 columns"),
        ("regions/stoplist.csv", ",short,x", "empty word"),
        ("blockers.csv", "中山医院,hospital", "expected 3 columns"),
        ("blockers.csv", ",hospital,x", "empty word"),
        (
            "blockers.csv",
            "中山医院,hospital,",
            "duplicate word \"中山医院\" (first on line 2)",
        ),
        (
            "agencies/stems.csv",
            "数据资源局,数据资源局",
            "expected 3 columns",
        ),
        ("agencies/stems.csv", ",人民政府,plain", "empty stem"),
        (
            "agencies/stems.csv",
            "人民政府,人民政府,plain",
            "duplicate stem \"人民政府\" (first on line 2)",
        ),
        ("agencies/national.csv", "某部,某,某", "expected 2 columns"),
        ("agencies/national.csv", ",某部", "empty name"),
        (
            "agencies/national.csv",
            "国务院,",
            "duplicate name \"国务院\" (first on line 2)",
        ),
        ("programs/initiatives.csv", "某某制,", "expected 3 columns"),
        ("programs/initiatives.csv", ",某某制,x", "empty name"),
        (
            "programs/initiatives.csv",
            "科技创新券,,",
            "duplicate name \"科技创新券\" (first on line 2)",
        ),
        ("words.csv", "ethnic,蒙古族", "expected 3 columns"),
        ("words.csv", "ethnic,,x", "empty word"),
        ("words.csv", ",蒙古族,x", "empty list name"),
        (
            "words.csv",
            "ethnic,蒙古族,",
            "duplicate word \"蒙古族\" in list ethnic (first on line 2)",
        ),
        (
            "instruments.csv",
            "some_id,某中心,institution,0.9",
            "found record with 4 fields",
        ),
        (
            "instruments.csv",
            ",某中心,institution,0.9,某中心",
            "an instrument needs an id",
        ),
        ("generic_terms.csv", ",vocabulary", "empty term"),
    ];
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join(SMALL),
        std::fs::read(sample_dir().join(SMALL)).unwrap(),
    )
    .unwrap();
    let missing = input.join("no-such-file.txt");

    let check = |dir: &Path, file: &str, line: u64, reason: &str| {
        let out = dir.join("out");
        let run = policygraph(&[
            OsStr::new("build"),
            input.as_os_str(),
            missing.as_os_str(),
            OsStr::new("--dictionaries"),
            dir.as_os_str(),
            OsStr::new("-o"),
            out.as_os_str(),
        ]);
        let start = format!(
            "policygraph: error: cannot load dictionaries from {}: {}:{line}: ",
            dir.display(),
            dir.join(file).display()
        );
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert!(
            lines.len() == 1 && lines[0].starts_with(&start) && lines[0].contains(reason),
            "{file}: expected one line\n  {start}…{reason}…\nin stderr:\n{}",
            run.stderr
        );
        run.assert_code(2);
        assert!(!out.exists(), "{file}: the output directory was created");
    };

    // Two workers, each with its own copy of the dictionaries, restoring
    // the file after each case.
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for w in 0..2 {
            let (next, work, check) = (&next, work.path(), &check);
            scope.spawn(move || {
                let dir = work.join(format!("dictionaries{w}"));
                copy_dictionaries(&dir);
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(file, bad, reason)) = CASES.get(i) else {
                        break;
                    };
                    let path = dir.join(file);
                    let original = std::fs::read(&path).unwrap();
                    let lines = original.iter().filter(|&&b| b == b'\n').count() as u64;
                    assert_eq!(
                        original.last(),
                        Some(&b'\n'),
                        "{file} ends with a line break"
                    );
                    append(&path, bad);
                    check(&dir, file, lines + 1, reason);
                    std::fs::write(&path, &original).unwrap();
                }
            });
        }
    });

    // The division table in JSON, cut short: the line where it ends.
    let dir = work.path().join("dictionaries0");
    let path = dir.join("divisions/HK-MO-TW.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: String = text.lines().take(5).map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, cut).unwrap();
    check(&dir, "divisions/HK-MO-TW.json", 6, "EOF while parsing");
}

/// A million-entry dictionary (`regions/zones.csv` with 1,000,000 more
/// zones, each with a name and an alias: two million patterns in the
/// automaton, against about 60,000 bundled) loads and the sample corpus
/// builds with it, in bounded memory. Prints the wall time and peak memory
/// beside a run with the bundled dictionaries. The names are made of rare
/// characters so no article mentions them: the outputs must be those of the
/// bundled dictionaries, byte for byte.
// Minutes in a debug build: run it with
// `cargo test --release --test faults -- --ignored million`.
#[test]
#[ignore = "slow in a debug build: run with --release -- --ignored"]
fn a_million_entry_dictionary_loads_in_bounded_memory() {
    const ENTRIES: usize = 1_000_000;
    /// Resident memory allowed: far above what it takes (see README), far
    /// below what a per-entry blow-up (kilobytes an entry) would take.
    const MAX_RSS: u64 = 4 << 30;
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("dictionaries");
    copy_dictionaries(&dir);
    {
        use std::io::Write;
        let rare: Vec<char> =
            "鼗鼙鼯鼷鼹齄齑齇齈齉齌齍齎齏齐齒齓齔齕齖齗齘齙齚齛齜齝齞齟齠齡齢齣齤齥齦齧齨齩齪"
                .chars()
                .collect();
        let name = |mut i: usize, suffix: &str| {
            let mut s = String::from("龘");
            for _ in 0..4 {
                s.push(rare[i % rare.len()]);
                i /= rare.len();
            }
            s.push_str(suffix);
            s
        };
        assert!(rare.len().pow(4) >= ENTRIES);
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("regions/zones.csv"))
            .unwrap();
        let mut w = std::io::BufWriter::new(file);
        for i in 0..ENTRIES {
            let (n, alias) = (name(i, "区"), name(i, "片区"));
            writeln!(w, "{n},{n},zone,310000,{alias},,").unwrap();
        }
    }
    let bundled_out = work.path().join("bundled");
    let baseline = build(&[&sample_dir()], &bundled_out);
    baseline.assert_code(0);
    let out = work.path().join("out");
    let run = policygraph(&[
        OsStr::new("build"),
        sample_dir().as_os_str(),
        OsStr::new("--dictionaries"),
        dir.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
    ]);
    eprintln!(
        "{ENTRIES} extra zones: {:.1} s, peak RSS {} MB; bundled dictionaries: {:.1} s, peak RSS {} MB",
        run.wall.as_secs_f64(),
        run.peak_rss >> 20,
        baseline.wall.as_secs_f64(),
        baseline.peak_rss >> 20
    );
    run.assert_code(0);
    // The same summary: files, articles, findings.
    let summary = |run: &Run| {
        run.stderr
            .lines()
            .last()
            .and_then(|l| l.split_once("; wrote"))
            .map(|(s, _)| s.to_string())
    };
    assert_eq!(summary(&run), summary(&baseline), "{}", run.stderr);
    assert!(run.peak_rss < MAX_RSS, "peak RSS {} MB", run.peak_rss >> 20);
    let (got, want) = (snapshot(&out), snapshot(&bundled_out));
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &want {
        assert!(
            got[path] == *bytes,
            "{} differs from the bundled dictionaries' build",
            path.display()
        );
    }
}
