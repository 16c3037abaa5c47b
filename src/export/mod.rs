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
pub mod out;
pub mod text;

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use atomic::{write_atomic, Staging, Streamed};

use crate::graph::schema::{EdgeKind, NodeKind, PropDef};
use crate::graph::{EdgeView, Node, Ordered, PolicyGraph};
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

/// The graph in export order (nodes by kind then key, edges by kind, source
/// and target id), sorted once for all the formats of a run.
pub struct Sorted<'g> {
    pub nodes: Vec<&'g Node>,
    pub edges: Vec<EdgeView<'g>>,
}

impl<'g> Sorted<'g> {
    pub fn new(graph: &'g PolicyGraph) -> Sorted<'g> {
        Sorted {
            nodes: graph.nodes(),
            edges: graph.edges(),
        }
    }
}

impl Ordered for Sorted<'_> {
    fn each_node(
        &self,
        kind: Option<NodeKind>,
        f: &mut dyn FnMut(&Node) -> io::Result<()>,
    ) -> io::Result<()> {
        run_of(&self.nodes, kind, |n| n.kind)
            .iter()
            .try_for_each(|n| f(n))
    }

    fn each_edge(
        &self,
        kind: Option<EdgeKind>,
        f: &mut dyn FnMut(&EdgeView<'_>) -> io::Result<()>,
    ) -> io::Result<()> {
        run_of(&self.edges, kind, |e| e.edge.kind)
            .iter()
            .try_for_each(f)
    }
}

/// The elements of `kind` (all if `None`) of `items` sorted by kind first:
/// one kind's are one run.
fn run_of<T, K: Ord + Copy>(items: &[T], kind: Option<K>, kind_of: impl Fn(&T) -> K) -> &[T] {
    match kind {
        None => items,
        Some(k) => {
            let from = items.partition_point(|x| kind_of(x) < k);
            let to = items.partition_point(|x| kind_of(x) <= k);
            &items[from..to]
        }
    }
}

/// For each node or edge kind, its properties in the order of a union
/// table ([`all_properties`](crate::graph::schema::all_properties)), each
/// with its position in that table: so a writer looks up only the
/// properties the kind can have, in column order.
pub(crate) struct PropOrder {
    by_kind: Vec<Vec<(usize, &'static str)>>,
}

impl PropOrder {
    fn new(union: &[PropDef], kinds: impl Iterator<Item = &'static [PropDef]>) -> PropOrder {
        let by_kind = kinds
            .map(|props| {
                let mut v: Vec<(usize, &'static str)> = props
                    .iter()
                    .filter_map(|d| {
                        union
                            .iter()
                            .position(|u| u.name == d.name)
                            .map(|u| (u, d.name))
                    })
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        PropOrder { by_kind }
    }

    pub(crate) fn nodes(union: &[PropDef]) -> PropOrder {
        PropOrder::new(union, NodeKind::ALL.iter().map(|k| k.properties()))
    }

    pub(crate) fn edges(union: &[PropDef]) -> PropOrder {
        PropOrder::new(union, EdgeKind::ALL.iter().map(|k| k.properties()))
    }

    pub(crate) fn of_node(&self, kind: NodeKind) -> &[(usize, &'static str)] {
        let i = NodeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        &self.by_kind[i]
    }

    pub(crate) fn of_edge(&self, kind: EdgeKind) -> &[(usize, &'static str)] {
        let i = EdgeKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        &self.by_kind[i]
    }
}

/// Stages the graph formats among `formats` (all but `jsonl`, which callers
/// that stream records write themselves with [`jsonl::write_record`]), one
/// file after the other. See [`stage_graph_with`] to use more threads.
pub fn stage_graph(
    graph: &PolicyGraph,
    staging: &mut Staging,
    formats: &[Format],
) -> Result<(), ExportError> {
    stage_graph_with(graph, staging, formats, 1)
}

/// One file of a graph export: its path under the output directory and
/// what writes it.
struct Job<'a> {
    rel: String,
    write: Box<dyn Fn(&mut dyn Write) -> io::Result<()> + Send + Sync + 'a>,
}

/// [`stage_graph`] on up to `threads` threads (0: one per core): the files
/// are independent, so each is written whole by one thread and the bytes do
/// not depend on the number. The graph is sorted once for all of them.
pub fn stage_graph_with(
    graph: &PolicyGraph,
    staging: &mut Staging,
    formats: &[Format],
    threads: usize,
) -> Result<(), ExportError> {
    if !formats.iter().any(|f| *f != Format::Jsonl) {
        return Ok(());
    }
    stage_ordered(&Sorted::new(graph), staging, formats, threads)
}

/// [`stage_graph_with`] for a graph already in export order: in memory
/// ([`Sorted`]) or in a file ([`crate::graph::GraphFile`]).
pub fn stage_ordered(
    sorted: &dyn Ordered,
    staging: &mut Staging,
    formats: &[Format],
    threads: usize,
) -> Result<(), ExportError> {
    if !formats.iter().any(|f| *f != Format::Jsonl) {
        return Ok(());
    }
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let want = |f: Format| formats.contains(&f);
    if want(Format::Graphml) {
        jobs.push(Job {
            rel: "graph.graphml".into(),
            write: Box::new(move |w| graphml::write_sorted(sorted, w)),
        });
    }
    if want(Format::Gexf) {
        jobs.push(Job {
            rel: "graph.gexf".into(),
            write: Box::new(move |w| gexf::write_sorted(sorted, w)),
        });
    }
    if want(Format::Csv) {
        jobs.push(Job {
            rel: "nodes.csv".into(),
            write: Box::new(move |w| csv::write_nodes_sorted(sorted, w)),
        });
        jobs.push(Job {
            rel: "edges.csv".into(),
            write: Box::new(move |w| csv::write_edges_sorted(sorted, w)),
        });
    }
    if want(Format::Neo4j) {
        for kind in NodeKind::ALL {
            let rel = format!("neo4j/{}", neo4j::node_file(kind));
            jobs.push(Job {
                rel,
                write: Box::new(move |w| neo4j::write_nodes(sorted, kind, w)),
            });
        }
        for kind in EdgeKind::ALL {
            let rel = format!("neo4j/{}", neo4j::rel_file(kind));
            jobs.push(Job {
                rel,
                write: Box::new(move |w| neo4j::write_rels(sorted, kind, w)),
            });
        }
    }
    // Staged in the order of the list (the order files are renamed in and
    // reported), then the two small Neo4j scripts.
    let mut files = Vec::with_capacity(jobs.len());
    for j in &jobs {
        files.push(staging.open(&j.rel)?);
    }
    if want(Format::Neo4j) {
        neo4j::stage_scripts(staging, "neo4j")?;
    }
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(jobs.len());
    let results: Vec<io::Result<()>> = if threads <= 1 {
        jobs.iter()
            .zip(&mut files)
            .map(|(j, f)| (j.write)(f.writer()))
            .collect()
    } else {
        // Files handed out one at a time in list order (the large XML
        // files first), each written whole by the thread that takes it.
        let slots: Vec<std::sync::Mutex<(Option<io::Result<()>>, &mut Streamed)>> = files
            .iter_mut()
            .map(|f| std::sync::Mutex::new((None, f)))
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(j) = jobs.get(i) else { break };
                    let mut slot = slots[i].lock().unwrap_or_else(|p| p.into_inner());
                    let result = (j.write)(slot.1.writer());
                    slot.0 = Some(result);
                });
            }
        });
        slots
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .0
                    .unwrap_or(Ok(()))
            })
            .collect()
    };
    for (file, result) in files.into_iter().zip(results) {
        result.map_err(|e| file.error(e))?;
        file.finish()?;
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

    /// More threads, the same files in the same staging order.
    #[test]
    fn threads_do_not_change_the_bytes() {
        let (g, _) = graph();
        let mut outputs = Vec::new();
        for threads in [1, 3, 0] {
            let dir = tempfile::tempdir().unwrap();
            let mut staging = Staging::new(dir.path()).unwrap();
            stage_graph_with(&g, &mut staging, &Format::ALL, threads).unwrap();
            let written = staging.commit().unwrap();
            let files: Vec<(PathBuf, Vec<u8>)> = written
                .iter()
                .map(|p| {
                    (
                        p.strip_prefix(dir.path()).unwrap().to_path_buf(),
                        fs::read(p).unwrap(),
                    )
                })
                .collect();
            assert_eq!(files.len(), 4 + 6 + 10 + 2);
            outputs.push(files);
        }
        assert_eq!(outputs[0], outputs[1]);
        assert_eq!(outputs[0], outputs[2]);
    }

    /// The graph file a build streams from and the same graph loaded into
    /// memory give the same bytes in every format.
    #[test]
    fn a_graph_file_exports_like_the_graph_in_memory() {
        let gaz = fixtures::gazetteer();
        let sort = tempfile::tempdir().unwrap();
        let mut builder =
            crate::graph::GraphBuilder::spilling_in(sort.path(), 1024, fixtures::lookup(&gaz));
        for r in fixtures::records() {
            builder.add(&r).unwrap();
        }
        let file = builder.finish().unwrap();
        let loaded = PolicyGraph::load(&file).unwrap();
        let export = |from_file: bool| {
            let dir = tempfile::tempdir().unwrap();
            let mut staging = Staging::new(dir.path()).unwrap();
            if from_file {
                stage_ordered(&file, &mut staging, &Format::ALL, 2).unwrap();
            } else {
                stage_graph_with(&loaded, &mut staging, &Format::ALL, 2).unwrap();
            }
            let written = staging.commit().unwrap();
            written
                .iter()
                .map(|p| {
                    (
                        p.strip_prefix(dir.path()).unwrap().to_path_buf(),
                        fs::read(p).unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        };
        let (a, b) = (export(true), export(false));
        assert_eq!(a.len(), 4 + 6 + 10 + 2);
        assert!(a.iter().any(|(_, bytes)| bytes.len() > 1000));
        assert_eq!(a, b);
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
