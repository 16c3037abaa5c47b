//! All-or-nothing writing of output files.
//!
//! Every file is written to a temporary name in its own directory (so the
//! final rename never crosses a file system), flushed to disk, and renamed
//! into place only when every file of the run has been written. A run that
//! fails part-way leaves the previous outputs as they were and no temporary
//! file behind.
//!
//! A run that is killed (SIGKILL, power loss) cannot clean up: its temporary
//! files stay. They are named `.NAME.policygraph-PID-N.tmp`, a shape no
//! user file has by chance, and the next run that writes into the same
//! directory removes those whose process `PID` is gone (checked in `/proc`;
//! on systems without it they are left for the user to delete). Files of a
//! run still going are never touched. A run killed during the final renames
//! (a few milliseconds) leaves some files new and some old, each complete.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::ExportError;

/// Files written under temporary names, waiting to be renamed into place.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// (temporary, final) paths.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Directories already cleared of stale temporary files.
    swept: Vec<PathBuf>,
}

impl Staging {
    /// Stages files for `dir`, creating it if needed.
    pub fn new(dir: &Path) -> Result<Staging, ExportError> {
        fs::create_dir_all(dir).map_err(|source| ExportError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut staging = Staging {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
            swept: Vec::new(),
        };
        staging.sweep(dir);
        Ok(staging)
    }

    /// Removes, once per directory, the temporary files killed runs left in
    /// `dir` (see [`remove_stale_temps`]).
    fn sweep(&mut self, dir: &Path) {
        if !self.swept.iter().any(|d| d == dir) {
            remove_stale_temps(dir);
            self.swept.push(dir.to_path_buf());
        }
    }

    /// Writes `rel` (a path relative to the output directory) with `write`,
    /// under a temporary name until [`Staging::commit`].
    pub fn write<F>(&mut self, rel: &str, write: F) -> Result<(), ExportError>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        self.write_mode(rel, false, write)
    }

    /// Like [`Staging::write`], for a script: executable where the platform
    /// has the notion.
    pub fn write_executable<F>(&mut self, rel: &str, write: F) -> Result<(), ExportError>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        self.write_mode(rel, true, write)
    }

    fn write_mode<F>(&mut self, rel: &str, executable: bool, write: F) -> Result<(), ExportError>
    where
        F: FnOnce(&mut dyn Write) -> io::Result<()>,
    {
        let (target, file) = self.stage(rel)?;
        let fail = |source| ExportError::Write {
            path: target.clone(),
            source,
        };
        if executable {
            make_executable(&file).map_err(fail)?;
        }
        write_and_sync(file, write).map_err(fail)
    }

    /// Opens `rel` to be written piece by piece (one record at a time, so
    /// the run need not hold them all), under a temporary name until
    /// [`Staging::commit`]. Call [`Streamed::finish`] before committing.
    pub fn open(&mut self, rel: &str) -> Result<Streamed, ExportError> {
        let (target, file) = self.stage(rel)?;
        Ok(Streamed {
            out: BufWriter::new(file),
            target,
        })
    }

    /// Creates the temporary file for `rel` and registers it, before
    /// anything is written, so that Drop removes it if anything fails.
    fn stage(&mut self, rel: &str) -> Result<(PathBuf, File), ExportError> {
        let target = self.dir.join(rel);
        let parent = target.parent().unwrap_or(&self.dir).to_path_buf();
        fs::create_dir_all(&parent).map_err(|source| ExportError::CreateDir {
            path: parent.clone(),
            source,
        })?;
        self.sweep(&parent);
        let (tmp, file) = create_temp(&target).map_err(|source| ExportError::Write {
            path: target.clone(),
            source,
        })?;
        self.staged.push((tmp, target.clone()));
        Ok((target, file))
    }

    /// Renames every staged file into place, in the order written, and
    /// returns the final paths.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, ExportError> {
        let staged = std::mem::take(&mut self.staged);
        let mut done = Vec::with_capacity(staged.len());
        let mut iter = staged.into_iter();
        while let Some((tmp, target)) = iter.next() {
            if let Err(source) = fs::rename(&tmp, &target) {
                let _ = fs::remove_file(&tmp);
                for (rest, _) in iter {
                    let _ = fs::remove_file(rest);
                }
                return Err(ExportError::Rename {
                    path: target,
                    source,
                });
            }
            done.push(target);
        }
        Ok(done)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// A staged file being written piece by piece; see [`Staging::open`].
#[derive(Debug)]
pub struct Streamed {
    out: BufWriter<File>,
    target: PathBuf,
}

impl Streamed {
    /// The writer; errors from it are reported by the caller with
    /// [`Streamed::error`] so they name the file.
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// An error while writing this file, naming it.
    pub fn error(&self, source: io::Error) -> ExportError {
        ExportError::Write {
            path: self.target.clone(),
            source,
        }
    }

    /// Flushes and syncs the file; it is renamed into place at commit.
    pub fn finish(self) -> Result<(), ExportError> {
        let target = self.target;
        let file = self.out.into_inner().map_err(|e| ExportError::Write {
            path: target.clone(),
            source: e.into_error(),
        })?;
        file.sync_all().map_err(|source| ExportError::Write {
            path: target,
            source,
        })
    }
}

/// Writes one file atomically: a temporary file in the same directory,
/// renamed over `path` only if `write` succeeds.
pub fn write_atomic<F>(path: &Path, write: F) -> Result<(), ExportError>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| ExportError::Write {
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a file name"),
        })?;
    let mut staging = Staging::new(dir)?;
    staging.write(name, write)?;
    staging.commit().map(|_| ())
}

/// What marks a temporary file as ours: `.NAME` + this + `PID-N.tmp`.
const TEMP_MARK: &str = ".policygraph-";

/// A new file beside `target`, named `.NAME.policygraph-PID-N.tmp` (hidden,
/// ignored by the repository's `*.tmp` rule, and recognisable by
/// [`stale_temp_pid`] once its process is gone).
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let parent = target.parent().unwrap_or(Path::new("."));
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".{name}{TEMP_MARK}{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The process id in a name [`create_temp`] made, or `None` for any other
/// name: `.` + a non-empty NAME + `.policygraph-` + digits + `-` + digits +
/// `.tmp`.
fn stale_temp_pid(file_name: &str) -> Option<u32> {
    let inner = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (name, ids) = inner.rsplit_once(TEMP_MARK)?;
    let (pid, n) = ids.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if name.is_empty() || !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` may still be running. Only a definite "no" lets a
/// temporary file be removed, so without `/proc` the answer is yes.
fn may_be_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Removes the temporary files in `dir` (not below it) that a killed run
/// left: named by [`create_temp`], regular files, their process gone.
/// Returns how many were removed; errors are ignored (a file that cannot be
/// removed is harmless: it has no final name).
fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(stale_temp_pid) else {
            continue;
        };
        if !entry.file_type().is_ok_and(|t| t.is_file()) || may_be_running(pid) {
            continue;
        }
        if fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn make_executable(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = file.metadata()?.permissions();
    perms.set_mode(perms.mode() | 0o111);
    file.set_permissions(perms)
}

#[cfg(not(unix))]
fn make_executable(_: &File) -> io::Result<()> {
    Ok(())
}

fn write_and_sync<F>(file: File, write: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    let mut out = BufWriter::new(file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temps(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn streamed_file_appears_only_at_commit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("articles.jsonl");
        fs::write(&path, "old").unwrap();
        let mut staging = Staging::new(dir.path()).unwrap();
        let mut streamed = staging.open("articles.jsonl").unwrap();
        streamed.writer().write_all(b"{\"a\":1}\n").unwrap();
        streamed.finish().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        staging.commit().unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"a\":1}\n");
        assert!(temps(dir.path()).is_empty());
        // Dropped without commit: the old file stays, no temp is left.
        let mut staging = Staging::new(dir.path()).unwrap();
        let mut streamed = staging.open("articles.jsonl").unwrap();
        streamed.writer().write_all(b"half").unwrap();
        drop(streamed);
        drop(staging);
        assert_eq!(fs::read_to_string(&path).unwrap(), "{\"a\":1}\n");
        assert!(temps(dir.path()).is_empty());
    }

    #[test]
    fn failing_writer_leaves_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.graphml");
        fs::write(&path, "old").unwrap();
        let err = write_atomic(&path, |w| {
            w.write_all(b"half a fi")?;
            Err(io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("graph.graphml"), "{err}");
        assert!(err.to_string().contains("disk on fire"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert!(temps(dir.path()).is_empty());
    }

    #[test]
    fn one_failure_keeps_every_file_of_the_run_old() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "old a").unwrap();
        fs::write(dir.path().join("b.csv"), "old b").unwrap();
        let mut staging = Staging::new(dir.path()).unwrap();
        staging.write("a.csv", |w| w.write_all(b"new a")).unwrap();
        assert!(staging
            .write("b.csv", |_| Err(io::Error::other("boom")))
            .is_err());
        drop(staging);
        assert_eq!(
            fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old a"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("b.csv")).unwrap(),
            "old b"
        );
        assert!(temps(dir.path()).is_empty());
    }

    #[test]
    fn commit_replaces_and_creates_subdirectories() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.csv"), "old").unwrap();
        let mut staging = Staging::new(dir.path()).unwrap();
        staging.write("a.csv", |w| w.write_all(b"new")).unwrap();
        staging.write("neo4j/x.csv", |w| w.write_all(b"x")).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("a.csv")).unwrap(),
            "old",
            "nothing moves before commit"
        );
        let done = staging.commit().unwrap();
        assert_eq!(
            done,
            vec![dir.path().join("a.csv"), dir.path().join("neo4j/x.csv")]
        );
        assert_eq!(fs::read_to_string(dir.path().join("a.csv")).unwrap(), "new");
        assert_eq!(
            fs::read_to_string(dir.path().join("neo4j/x.csv")).unwrap(),
            "x"
        );
        assert!(temps(dir.path()).is_empty());
    }

    #[test]
    fn only_names_made_by_create_temp_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let (tmp, _file) = create_temp(&dir.path().join("graph.gexf")).unwrap();
        let name = tmp.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".graph.gexf.policygraph-"), "{name}");
        assert_eq!(stale_temp_pid(name), Some(std::process::id()));
        assert_eq!(
            stale_temp_pid(".nodes_Region.csv.policygraph-77-0.tmp"),
            Some(77)
        );
        for other in [
            "graph.gexf",
            ".graph.gexf.tmp",
            ".graph.gexf.12.0.tmp",
            ".policygraph-12-0.tmp",
            ".x.policygraph-12.tmp",
            ".x.policygraph--0.tmp",
            ".x.policygraph-12-.tmp",
            ".x.policygraph-1a-0.tmp",
            "x.policygraph-12-0.tmp",
            ".x.policygraph-12-0.tmp.bak",
            ".policygraph-texts-12-99.tmp",
        ] {
            assert_eq!(stale_temp_pid(other), None, "{other}");
        }
    }

    /// Linux: process ids stop at 2^22 (`PID_MAX_LIMIT`), so a higher one
    /// names a process that cannot be running.
    #[cfg(target_os = "linux")]
    #[test]
    fn stale_temps_of_dead_runs_are_removed_others_kept() {
        const DEAD: u32 = (1 << 22) + 1;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("neo4j")).unwrap();
        let stale = [
            format!(".articles.jsonl.policygraph-{DEAD}-0.tmp"),
            format!("neo4j/.rels_COPIES.csv.policygraph-{DEAD}-17.tmp"),
        ];
        let kept = [
            // A run still going: this process, and init.
            format!(".graph.gexf.policygraph-{}-3.tmp", std::process::id()),
            ".graph.gexf.policygraph-1-3.tmp".to_string(),
            // Files that are not ours.
            ".graph.gexf.12.0.tmp".to_string(),
            "notes.tmp".to_string(),
            format!("neo4j/import.sh.policygraph-{DEAD}-1.tmp"),
        ];
        for name in stale.iter().chain(&kept) {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        // A directory with a temporary name is not a file: kept.
        fs::create_dir(dir.path().join(format!(".d.policygraph-{DEAD}-2.tmp"))).unwrap();

        let mut staging = Staging::new(dir.path()).unwrap();
        assert!(
            !dir.path().join(&stale[0]).exists(),
            "swept when the run starts"
        );
        assert!(
            dir.path().join(&stale[1]).exists(),
            "neo4j/ is not written yet"
        );
        staging
            .write("neo4j/nodes.csv", |w| w.write_all(b"n"))
            .unwrap();
        assert!(
            !dir.path().join(&stale[1]).exists(),
            "swept before the first file in neo4j/"
        );
        staging.commit().unwrap();
        for name in &kept {
            assert!(dir.path().join(name).exists(), "{name} was removed");
        }
        assert!(dir
            .path()
            .join(format!(".d.policygraph-{DEAD}-2.tmp"))
            .is_dir());
    }

    #[test]
    fn unwritable_directory_is_a_clear_error() {
        // A path below a regular file can never be a directory (unlike
        // permissions, this holds for root too).
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plain");
        fs::write(&file, "").unwrap();
        let err = Staging::new(&file.join("out")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("cannot create output directory"), "{msg}");
        assert!(msg.contains("plain/out"), "{msg}");
    }
}
