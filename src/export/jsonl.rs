//! `articles.jsonl`: one [`ArticleRecord`] per line, in input order.

use std::io::{self, Write};

use crate::record::ArticleRecord;

pub fn write(records: &[ArticleRecord], w: &mut dyn Write) -> io::Result<()> {
    for record in records {
        serde_json::to_writer(&mut *w, record)?;
        w.write_all(b"\n")?;
    }
    Ok(())
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
