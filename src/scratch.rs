//! Temporary files beside the outputs: the graph's sorted runs, the merged
//! graph and the copying detector's texts.
//!
//! Each is created in the output directory (on the disk that will hold the
//! outputs, not in a small `/tmp`) and unlinked at once where the system
//! allows, so it lives until closed and a killed run leaves nothing behind.
//! Where a file cannot be unlinked while open, the returned [`TempPath`]
//! removes it when dropped.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Makes the names of temporary files unique within the process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file name still to remove (where the file could not be unlinked while
/// open).
pub(crate) struct TempPath(Option<PathBuf>);

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Some(p) = &self.0 {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A new, empty file `.policygraph-WHAT-PID-N.tmp` in `dir`, open for
/// reading and writing, unlinked at once where the system allows.
pub(crate) fn unlinked_file_in(dir: &Path, what: &str) -> io::Result<(File, TempPath)> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = dir.join(format!(
        ".policygraph-{what}-{}-{n}.tmp",
        std::process::id()
    ));
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display())))?;
    let path = TempPath(if cfg!(unix) && std::fs::remove_file(&path).is_ok() {
        None
    } else {
        Some(path)
    });
    Ok((file, path))
}

/// Fills `buf` from `file` at `offset`, without moving a shared cursor (so
/// several readers can share one file).
#[cfg(unix)]
pub(crate) fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
pub(crate) fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn files_are_unlinked_at_once_and_read_back_by_offset() {
        let dir = tempfile::tempdir().unwrap();
        let (mut a, _pa) = unlinked_file_in(dir.path(), "test").unwrap();
        let (b, _pb) = unlinked_file_in(dir.path(), "test").unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        a.write_all(b"hello world").unwrap();
        let mut buf = [0u8; 5];
        read_exact_at(&a, &mut buf, 6).unwrap();
        assert_eq!(&buf, b"world");
        assert!(read_exact_at(&a, &mut buf, 8).is_err(), "past the end");
        drop(b);
    }

    #[test]
    fn a_missing_directory_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such");
        let err = unlinked_file_in(&missing, "runs").err().unwrap();
        assert!(err.to_string().contains("cannot create"), "{err}");
        assert!(err.to_string().contains(".policygraph-runs-"), "{err}");
    }
}
