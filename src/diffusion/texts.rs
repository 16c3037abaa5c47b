//! Article texts spilled to a temporary file while a corpus streams past,
//! so the few the detector needs at the end (the texts of findings that
//! share a passage, for their evidence) can be read back without holding
//! the corpus in memory.
//!
//! The file is made in a directory the caller chooses (the output
//! directory, on the same disk as the outputs) and unlinked at once on
//! Unix: it takes no name in the directory, and a killed run leaves
//! nothing behind.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::Texts;

/// Writes texts one after another; [`SpillWriter::finish`] makes them
/// readable.
pub struct SpillWriter {
    out: BufWriter<File>,
    /// End offset of each text.
    ends: Vec<u64>,
    len: u64,
    path: crate::scratch::TempPath,
}

impl SpillWriter {
    /// A new, empty spill file in `dir`.
    pub fn create_in(dir: &Path) -> io::Result<SpillWriter> {
        let (file, path) = crate::scratch::unlinked_file_in(dir, "texts")?;
        Ok(SpillWriter {
            out: BufWriter::with_capacity(1 << 20, file),
            ends: Vec::new(),
            len: 0,
            path,
        })
    }

    /// Append the next article's text.
    pub fn push(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())?;
        self.len += text.len() as u64;
        self.ends.push(self.len);
        Ok(())
    }

    /// Flush and switch to reading.
    pub fn finish(self) -> io::Result<Spill> {
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        Ok(Spill {
            file,
            ends: self.ends,
            _path: self.path,
        })
    }
}

/// Texts written by a [`SpillWriter`], read back by article index.
pub struct Spill {
    file: File,
    ends: Vec<u64>,
    _path: crate::scratch::TempPath,
}

impl Spill {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

impl Texts for Spill {
    fn text(&self, article: usize) -> io::Result<Cow<'_, str>> {
        let end = *self
            .ends
            .get(article)
            .ok_or_else(|| io::Error::other(format!("no article {article} in the spill file")))?;
        let start = if article == 0 {
            0
        } else {
            self.ends[article - 1]
        };
        let mut buf = vec![0u8; (end - start) as usize];
        crate::scratch::read_exact_at(&self.file, &mut buf, start)?;
        String::from_utf8(buf).map(Cow::Owned).map_err(|_| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "spill file corrupted: not UTF-8",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_by_index_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = SpillWriter::create_in(dir.path()).unwrap();
        for t in ["上海启用市域物联网运营中心", "", "江苏省科技创新券 <&>"] {
            w.push(t).unwrap();
        }
        let spill = w.finish().unwrap();
        assert_eq!(spill.len(), 3);
        assert_eq!(spill.text(2).unwrap(), "江苏省科技创新券 <&>");
        assert_eq!(spill.text(0).unwrap(), "上海启用市域物联网运营中心");
        assert_eq!(spill.text(1).unwrap(), "");
        assert!(spill.text(3).is_err());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "unlinked at once"
        );
    }

    #[test]
    fn an_unwritable_directory_is_an_error_naming_it() {
        let e = SpillWriter::create_in(Path::new("/nonexistent/policygraph"))
            .err()
            .unwrap();
        assert!(e.to_string().contains("/nonexistent/policygraph"), "{e}");
    }
}
