//! `articles.jsonl`: one [`ArticleRecord`] per line, in input order.

use std::io::{self, Write};

use crate::record::ArticleRecord;

/// The file name in the output directory.
pub const FILE: &str = "articles.jsonl";

pub fn write(records: &[ArticleRecord], w: &mut dyn Write) -> io::Result<()> {
    records
        .iter()
        .try_for_each(|record| write_record(record, w))
}

/// One record, one line: for callers that stream records as they come.
pub fn write_record(record: &ArticleRecord, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixtures;

    #[test]
    fn one_record_per_line_round_trips() {
        let records = fixtures::records();
        let mut buf = Vec::new();
        write(&records, &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        let back: Vec<ArticleRecord> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, records, "newlines in text are escaped, order is kept");
    }
}
