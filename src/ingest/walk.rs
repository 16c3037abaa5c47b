//! Command-line inputs → the files to read.
//!
//! Files named on the command line are read whatever their extension (by
//! their format: see [`super::format`]); directories are walked recursively,
//! in a fixed (sorted) order so that output is deterministic, for the
//! formats policygraph knows (`.txt`, `.html`/`.htm`, `.pdf`, `.docx`,
//! `.ofd`, and `.doc`, `.wps`, which are named and skipped with the command
//! that converts them). Every other file found (images, spreadsheets…) is
//! listed as not read, so that a researcher sees what the run left out;
//! hidden files and folders (`.git`, `.DS_Store`) and Office's lock files
//! (`~$报告.docx`) are not. Missing paths, unreadable directories and
//! symlink loops are reported, never fatal to the rest of the run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::format::Format;

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// How the file is named in the output: its file name, or its path
    /// relative to the directory that was walked.
    pub source: String,
    /// Prefix of its article ids: `source` without the `.txt` (other
    /// extensions stay, so that `a.txt` and `a.pdf` give different ids).
    pub id_stem: String,
}

/// A path that could not be used, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// What the command line's inputs hold.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, in order.
    pub files: Vec<InputFile>,
    /// Inputs that could not be used, and why.
    pub skipped: Vec<Skipped>,
    /// Files found in walked directories that are in no format policygraph
    /// reads (images, spreadsheets…), sorted: not read, but named.
    pub not_read: Vec<PathBuf>,
}

/// Expand inputs into files. Sources are made unique (a clash gets the full
/// path as given).
pub fn discover(inputs: &[PathBuf]) -> (Vec<InputFile>, Vec<Skipped>) {
    let found = discover_inputs(inputs);
    (found.files, found.skipped)
}

/// [`discover`], also naming the files of walked directories that are not read.
pub fn discover_inputs(inputs: &[PathBuf]) -> Discovery {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut not_read = Vec::new();
    let mut seen_sources = HashSet::new();
    let mut seen_paths = HashSet::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Err(e) => skipped.push(Skipped {
                path: input.clone(),
                reason: describe_io(&e),
            }),
            Ok(meta) if meta.is_dir() => walk_dir(
                input,
                &mut files,
                &mut skipped,
                &mut not_read,
                &mut seen_sources,
                &mut seen_paths,
            ),
            // Reading a pipe or a device could block or never end.
            Ok(meta) if !meta.is_file() => skipped.push(Skipped {
                path: input.clone(),
                reason: not_a_file(&meta.file_type()),
            }),
            Ok(_) => {
                let name = input.file_name().map_or_else(
                    || input.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                push(
                    input.clone(),
                    name,
                    &mut files,
                    &mut seen_sources,
                    &mut seen_paths,
                );
            }
        }
    }
    Discovery {
        files,
        skipped,
        not_read,
    }
}

/// Hidden files and folders, and the lock files Office leaves beside an
/// open document: never a researcher's document.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with("~$")
}

fn walk_dir(
    root: &Path,
    files: &mut Vec<InputFile>,
    skipped: &mut Vec<Skipped>,
    not_read: &mut Vec<PathBuf>,
    seen_sources: &mut HashSet<String>,
    seen_paths: &mut HashSet<PathBuf>,
) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                let reason = if let Some(ancestor) = e.loop_ancestor() {
                    format!(
                        "symbolic link loop: it leads back to {}",
                        ancestor.display()
                    )
                } else if let Some(io) = e.io_error() {
                    describe_io(io)
                } else {
                    e.to_string()
                };
                skipped.push(Skipped { path, reason });
            }
            Ok(entry) => {
                let kind = entry.file_type();
                if kind.is_dir() {
                    continue;
                }
                if Format::by_extension(entry.path()).is_none() {
                    not_read.push(entry.path().to_path_buf());
                    continue;
                }
                if !kind.is_file() {
                    skipped.push(Skipped {
                        path: entry.path().to_path_buf(),
                        reason: not_a_file(&kind),
                    });
                    continue;
                }
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let source = relative.to_string_lossy().replace('\\', "/");
                push(
                    entry.path().to_path_buf(),
                    source,
                    files,
                    seen_sources,
                    seen_paths,
                );
            }
        }
    }
}

fn push(
    path: PathBuf,
    mut source: String,
    files: &mut Vec<InputFile>,
    seen_sources: &mut HashSet<String>,
    seen_paths: &mut HashSet<PathBuf>,
) {
    // The same file reached twice (named and walked, or through a link).
    let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    if !seen_paths.insert(canonical) {
        return;
    }
    if !seen_sources.insert(source.clone()) {
        source = path.to_string_lossy().replace('\\', "/");
        seen_sources.insert(source.clone());
    }
    // `.txt` files' ids never had the extension (`a:01`); other formats keep
    // theirs (`a.pdf:01`), so that `a.txt` and `a.pdf` side by side (the
    // same notice saved twice) still give unique ids.
    let id_stem = source
        .strip_suffix(".txt")
        .or_else(|| source.strip_suffix(".TXT"))
        .unwrap_or(&source)
        .to_string();
    files.push(InputFile {
        path,
        source,
        id_stem,
    });
}

/// Why a path that is neither a file nor a directory is not read.
fn not_a_file(kind: &std::fs::FileType) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let what = if kind.is_fifo() {
            "a named pipe"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else {
            "a special file"
        };
        format!("not a regular file: it is {what}")
    }
    #[cfg(not(unix))]
    {
        let _ = kind;
        "not a regular file".to_string()
    }
}

/// io errors in the words a researcher would use.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_txt_only_and_reports_missing_paths() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("b.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a.TXT"), "x").unwrap();
        std::fs::write(dir.path().join("sub/c.txt"), "x").unwrap();
        std::fs::write(dir.path().join("notes.md"), "x").unwrap();
        let missing = dir.path().join("nope");
        let (files, skipped) = discover(&[dir.path().to_path_buf(), missing.clone()]);
        let sources: Vec<&str> = files.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(sources, ["a.TXT", "b.txt", "sub/c.txt"]);
        assert_eq!(files[2].id_stem, "sub/c");
        assert_eq!(
            skipped,
            [Skipped {
                path: missing,
                reason: "no such file or directory".into()
            }]
        );
    }

    #[test]
    fn formats_are_walked_other_files_named_hidden_ones_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        for name in [
            "a.txt",
            "b.html",
            "c.HTM",
            "d.pdf",
            "e.docx",
            "f.doc",
            "g.wps",
            "h.ofd",
            "photo.jpg",
            "table.xlsx",
            ".DS_Store",
            "~$e.docx",
            ".git/config.txt",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found = discover_inputs(&[dir.path().to_path_buf()]);
        let sources: Vec<&str> = found.files.iter().map(|f| f.source.as_str()).collect();
        assert_eq!(
            sources,
            ["a.txt", "b.html", "c.HTM", "d.pdf", "e.docx", "f.doc", "g.wps", "h.ofd"]
        );
        let stems: Vec<&str> = found.files.iter().map(|f| f.id_stem.as_str()).collect();
        assert_eq!(stems[..2], ["a", "b.html"]);
        assert!(found.skipped.is_empty());
        assert_eq!(
            found.not_read,
            [dir.path().join("photo.jpg"), dir.path().join("table.xlsx")]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_not_followed_forever() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        std::fs::write(dir.path().join("d/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("d/loop")).unwrap();
        let (files, skipped) = discover(&[dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1);
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("loop"), "{:?}", skipped);
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_reported_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo is needed for this test"
        );
        let (files, skipped) = discover(&[dir.path().to_path_buf(), "/dev/null".into()]);
        assert!(files.is_empty(), "{files:?}");
        assert_eq!(
            skipped,
            [
                Skipped {
                    path: fifo,
                    reason: "not a regular file: it is a named pipe".into()
                },
                Skipped {
                    path: "/dev/null".into(),
                    reason: "not a regular file: it is a device".into()
                },
            ]
        );
    }

    #[test]
    fn same_file_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x").unwrap();
        let (files, _) = discover(&[file.clone(), dir.path().to_path_buf()]);
        assert_eq!(files.len(), 1);
    }
}
