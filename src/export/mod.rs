//! Exports: the graph (and the records) written in the formats researchers
//! open, all from the same [`PolicyGraph`], all deterministic.
//!
//! Exports know no extraction: they read the graph's nodes and edges in its
//! stable order and its [`schema`](crate::graph::schema) for the declared
//! columns. Each format is one module:
//!
//! | format    | files                                   | for                         |
//! |-----------|-----------------------------------------|-----------------------------|
//! | `graphml` | `graph.graphml`                         | Gephi, networkx, igraph     |
//! | `gexf`    | `graph.gexf` (with a timeline)          | Gephi, networkx, graphology |
//! | `csv`     | `nodes.csv`, `edges.csv`                | Gephi's spreadsheet import  |
//! | `neo4j`   | `neo4j/*.csv`, `import.sh`, `load.cypher` | neo4j-admin, a running Neo4j |
//! | `jsonl`   | `articles.jsonl`                        | the records themselves      |
//!
//! [`write_all`] writes every file of a run under a temporary name and
//! renames them into place only when all are written (see [`atomic`]).

pub mod atomic;
pub mod csv;
pub mod diffusion_csv;
pub mod gexf;
pub mod graphml;
pub mod jsonl;
pub mod neo4j;
pub mod text;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use atomic::{write_atomic, Staging, Streamed};

use crate::graph::PolicyGraph;
use crate::record::ArticleRecord;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot create output directory {}: {source}", path.display())]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot move {} into place: {source}", path.display())]
    Rename { path: PathBuf, source: io::Error },
    #[error("unknown export format {0:?} (expected a comma-separated list of graphml, gexf, csv, neo4j, jsonl, or all)")]
    UnknownFormat(String),
}

/// An export format, as named by `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Graphml,
    Gexf,
    Csv,
    Neo4j,
    Jsonl,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Graphml,
        Format::Gexf,
        Format::Csv,
        Format::Neo4j,
        Format::Jsonl,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Csv => "csv",
            Format::Neo4j => "neo4j",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses a `--format` value: names separated by commas, `all` for
    /// every format. Returns each format once, in [`Format::ALL`] order.
    pub fn parse_list(spec: &str) -> Result<Vec<Format>, ExportError> {
        let mut out = Vec::new();
        for part in spec.split(',').map(str::trim) {
            if part.eq_ignore_ascii_case("all") {
                out.extend(Format::ALL);
            } else {
                out.push(part.parse()?);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl FromStr for Format {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<Format, ExportError> {
        let s = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| ExportError::UnknownFormat(s.to_string()))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Writes `formats` of `graph` (and `records`, for `jsonl`) into `dir`,
/// creating it if needed. Either every file is replaced or, on error, none
/// is. Returns the paths written.
pub fn write_all(
    graph: &PolicyGraph,
    records: &[ArticleRecord],
    dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>, ExportError> {
    let mut staging = Staging::new(dir)?;
    if formats.contains(&Format::Jsonl) {
        staging.write(jsonl::FILE, |w| jsonl::write(records, w))?;
    }
    stage_graph(graph, &mut staging, formats)?;
    staging.commit()
}

/// Stages the graph formats among `formats` (all but `jsonl`, which callers
/// that stream records write themselves with [`jsonl::write_record`]).
pub fn stage_graph(graph: &PolicyGraph, staging: &mut Staging, formats: &[Format]) -> Result<(), ExportError> {
    for format in Format::ALL {
        if !formats.contains(&format) {
            continue;
        }
        match format {
            Format::Graphml => staging.write("graph.graphml", |w| graphml::write(graph, w))?,
            Format::Gexf => staging.write("graph.gexf", |w| gexf::write(graph, w))?,
            Format::Csv => {
                staging.write("nodes.csv", |w| csv::write_nodes(graph, w))?;
                staging.write("edges.csv", |w| csv::write_edges(graph, w))?;
            }
            Format::Neo4j => neo4j::stage(graph, staging, "neo4j")?,
            Format::Jsonl => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixtures;
    use std::fs;

    fn graph() -> (PolicyGraph, Vec<ArticleRecord>) {
        let gaz = fixtures::gazetteer();
        let records = fixtures::records();
        (
            PolicyGraph::build(&records, fixtures::lookup(&gaz)),
            records,
        )
    }

    #[test]
    fn parses_format_lists() {
        assert_eq!(
            Format::parse_list("graphml,gexf").unwrap(),
            vec![Format::Graphml, Format::Gexf]
        );
        assert_eq!(
            Format::parse_list(" Neo4j , csv,csv").unwrap(),
            vec![Format::Csv, Format::Neo4j]
        );
        assert_eq!(Format::parse_list("all").unwrap(), Format::ALL.to_vec());
        let err = Format::parse_list("graphml,dot").unwrap_err();
        assert!(err.to_string().contains("\"dot\""), "{err}");
        assert!(Format::parse_list("").is_err());
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>().unwrap(), f);
        }
    }

    /// Same input, byte-identical files: two separate builds and writes.
    #[test]
    fn deterministic_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (g1, r1) = graph();
        let (g2, r2) = graph();
        let w1 = write_all(&g1, &r1, a.path(), &Format::ALL).unwrap();
        let w2 = write_all(&g2, &r2, b.path(), &Format::ALL).unwrap();
        assert_eq!(w1.len(), w2.len());
        assert!(w1.len() >= 5 + 2 + 10);
        for (p1, p2) in w1.iter().zip(&w2) {
            assert_eq!(
                p1.strip_prefix(a.path()).unwrap(),
                p2.strip_prefix(b.path()).unwrap()
            );
            assert_eq!(
                fs::read(p1).unwrap(),
                fs::read(p2).unwrap(),
                "{} differs",
                p1.display()
            );
        }
    }

    #[test]
    fn writes_only_the_chosen_formats() {
        let dir = tempfile::tempdir().unwrap();
        let (g, r) = graph();
        let written = write_all(
            &g,
            &r,
            &dir.path().join("new/out"),
            &[Format::Csv, Format::Jsonl],
        )
        .unwrap();
        let names: Vec<_> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(names, vec!["articles.jsonl", "nodes.csv", "edges.csv"]);
    }

    #[test]
    fn unwritable_output_dir_is_reported_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("output");
        fs::write(&blocker, "a file where the directory should be").unwrap();
        let (g, r) = graph();
        let err = write_all(&g, &r, &blocker, &Format::ALL).unwrap_err();
        assert!(matches!(err, ExportError::CreateDir { .. }), "{err:?}");
        assert!(err.to_string().contains("output"), "{err}");
    }
}
