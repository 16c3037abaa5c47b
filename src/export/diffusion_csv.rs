//! `diffusion.csv`: for every instrument or program template named in more
//! than one place, one row per adopting article in date order, with the
//! first adopter and each adopter's lag after it.
//!
//! | column | meaning |
//! | --- | --- |
//! | `instrument` | instrument type (`城市运行管理中心`) or template key (`科技创新券试点方案`) |
//! | `signal` | `instrument` (dictionary) or `template` (program) |
//! | `rank` | 1 for the first adopter, then in date order (undated last) |
//! | `place` | the adopter's jurisdiction (`江苏省`, `江苏省南京市`, `上海市、江苏省`) |
//! | `date` | event date, else bulletin date (empty when unknown) |
//! | `article`, `title` | the adopting article |
//! | `surface` | the name as the article writes it |
//! | `first_adopter`, `first_place`, `first_date` | rank 1's article, place and date |
//! | `lag_days` | days after the first adopter (empty when either is undated) |
//!
//! Written all at once or not at all: a temporary file in the same
//! directory, renamed into place (see [`super::atomic`]).

use std::io::{self, Write};
use std::path::Path;

use crate::diffusion::table::{self, Adoption};

use super::{write_atomic, ExportError, Staging};

/// The file name in the output directory.
pub const FILE: &str = "diffusion.csv";

/// Write the table to any writer, one instrument at a time.
pub fn write(adoptions: impl IntoIterator<Item = Adoption>, w: &mut dyn Write) -> io::Result<()> {
    table::write_csv(w, adoptions)
}

/// Write `path` atomically (temporary file + rename in its directory).
pub fn write_file(
    adoptions: impl IntoIterator<Item = Adoption>,
    path: &Path,
) -> Result<(), ExportError> {
    write_atomic(path, |w| write(adoptions, w))
}

/// Stage `diffusion.csv` with the other outputs of a run, to be renamed into
/// place with them at [`Staging::commit`].
pub fn stage(
    adoptions: impl IntoIterator<Item = Adoption>,
    staging: &mut Staging,
) -> Result<(), ExportError> {
    staging.write(FILE, |w| write(adoptions, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diffusion::table::Adopter;
    use crate::diffusion::Signal;
    use chrono::NaiveDate;

    fn table() -> Vec<Adoption> {
        let adopter =
            |article: &str, place: &str, date: Option<(i32, u32, u32)>, lag: Option<i64>| Adopter {
                article: article.into(),
                title: format!("{place}的标题, with a comma"),
                place: place.into(),
                date: date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
                surface: "城市运行管理中心".into(),
                lag_days: lag,
            };
        vec![Adoption {
            instrument: "城市运行管理中心".into(),
            signal: Signal::Instrument,
            adopters: vec![
                adopter("003:19", "重庆市", Some((2020, 8, 20)), Some(0)),
                adopter("000:01", "上海市", Some((2020, 10, 21)), Some(62)),
                adopter("004:02", "上海市、江苏省", None, None),
            ],
        }]
    }

    #[test]
    fn rows_in_date_order_with_first_adopter_and_lags() {
        let mut buf = Vec::new();
        write(table(), &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header, table::HEADER.to_vec());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1][2], "2");
        assert_eq!(&rows[1][3], "上海市");
        assert_eq!(&rows[1][8], "003:19");
        assert_eq!(&rows[1][11], "62");
        assert_eq!(&rows[2][4], "", "undated adopter");
        assert_eq!(&rows[2][11], "", "no lag without a date");
        assert_eq!(
            &rows[0][6], "重庆市的标题, with a comma",
            "quoted fields survive"
        );
    }

    #[test]
    fn written_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE);
        std::fs::write(&path, "old").unwrap();
        write_file(table(), &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("instrument,signal,rank"), "{text}");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        // Staged: nothing moves before commit.
        let mut staging = Staging::new(dir.path()).unwrap();
        stage(Vec::new(), &mut staging).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            table::HEADER.join(",") + "\n"
        );
    }
}
