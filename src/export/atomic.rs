//! All-or-nothing writing of output files.
//!
//! Every file is written to a temporary name in its own directory (so the
//! final rename never crosses a file system), flushed to disk, and renamed
//! into place only when every file of the run has been written. A run that
//! fails part-way leaves the previous outputs as they were and no temporary
//! file behind.

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
}

impl Staging {
    /// Stages files for `dir`, creating it if needed.
    pub fn new(dir: &Path) -> Result<Staging, ExportError> {
        fs::create_dir_all(dir).map_err(|source| ExportError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
        })
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
        let fail = |source| ExportError::Write { path: target.clone(), source };
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
        Ok(Streamed { out: BufWriter::new(file), target })
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
        ExportError::Write { path: self.target.clone(), source }
    }

    /// Flushes and syncs the file; it is renamed into place at commit.
    pub fn finish(self) -> Result<(), ExportError> {
        let target = self.target;
        let file = self
            .out
            .into_inner()
            .map_err(|e| ExportError::Write { path: target.clone(), source: e.into_error() })?;
        file.sync_all().map_err(|source| ExportError::Write { path: target, source })
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

/// A new file beside `target`, named `.NAME.PID.N.tmp` (hidden, and ignored
/// by the repository's `*.tmp` rule).
fn create_temp(target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let parent = target.parent().unwrap_or(Path::new("."));
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = parent.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
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
