//! The policy-event graph: one node per real-world entity, typed directed
//! edges between them, built from article records.
//!
//! The graph knows no file format (that is [`crate::export`]) and no text
//! extraction (that is [`crate::extract`]): it reads [`ArticleRecord`]s and a
//! region lookup, and answers in nodes and edges. [`schema`] lists every kind
//! of node and edge with its properties.
//!
//! Everything a reader sees comes out in a stable order: nodes sorted by kind
//! then key, edges by kind then source and target id, so the same records give
//! byte-identical exports.
//!
//! A corpus makes a graph larger than memory, so it is built as sorted
//! statements: [`GraphBuilder`] states what each record says (`codec.rs`),
//! `runs.rs` sorts the statements on disk, `merge.rs` folds those of one node
//! or edge, and [`GraphFile`] holds the result in export order, read by the
//! exports through [`Ordered`]. [`PolicyGraph`] is the same graph loaded into
//! petgraph, for graph algorithms and small corpora.
//!
//! [`ArticleRecord`]: crate::record::ArticleRecord

mod build;
mod codec;
mod file;
mod merge;
mod props;
pub(crate) mod runs;
pub mod schema;
mod sentences;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

pub use build::GraphBuilder;
pub use codec::EdgeRecord;
pub use file::GraphFile;
pub use props::Props;
pub use schema::{EdgeKind, ListRef, NodeKind, PropDef, PropRef, PropType, Value};

use crate::record::{ArticleRecord, RegionInfo};

/// A node: one entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Unique within the kind, stable across runs: the GB/T code of a region,
    /// the canonical name of an agency or program, the article id, …
    pub key: String,
    /// Unique across kinds: `prefix:key` (`region:310000`). The node id in
    /// every export.
    pub id: String,
    /// Display name (Gephi's label).
    pub label: String,
    /// Properties declared by [`NodeKind::properties`]; absent when unknown.
    pub props: Props,
    /// When the node exists on the timeline (articles and bulletins); `None`
    /// for entities that exist throughout.
    pub time: Option<NaiveDate>,
}

impl Node {
    /// A node to decode into.
    pub(crate) fn empty() -> Node {
        Node {
            kind: NodeKind::Article,
            key: String::new(),
            id: String::new(),
            label: String::new(),
            props: Props::new(),
            time: None,
        }
    }

    pub fn prop(&self, name: &str) -> Option<&Value> {
        self.props.get(name)
    }

    /// A property as exports read it, without copying.
    pub fn prop_ref(&self, name: &str) -> Option<PropRef<'_>> {
        self.props.get(name).map(Value::as_ref)
    }
}

/// An edge: one relationship, however often it was stated.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// How many times the relationship was stated (mentions, supporting
    /// articles); 1 for structural edges.
    pub weight: u32,
    /// Properties declared by [`EdgeKind::properties`]; absent when unknown.
    pub props: Props,
    /// The closed interval of dates of the articles that state the edge, for
    /// the GEXF timeline; `None` for timeless edges (`WITHIN`, …).
    pub time: Option<(NaiveDate, NaiveDate)>,
}

impl Edge {
    pub fn prop(&self, name: &str) -> Option<&Value> {
        self.props.get(name)
    }

    /// A property as exports read it, without copying.
    pub fn prop_ref(&self, name: &str) -> Option<PropRef<'_>> {
        self.props.get(name).map(Value::as_ref)
    }

    /// Widens the edge's interval to include `date`.
    fn extend_time(&mut self, date: Option<NaiveDate>) {
        if let Some(d) = date {
            self.time = Some(match self.time {
                None => (d, d),
                Some((a, b)) => (a.min(d), b.max(d)),
            });
        }
    }
}

/// An edge together with its end points, as exports read it.
#[derive(Clone, Copy, Debug)]
pub struct EdgeView<'g> {
    pub source: End<'g>,
    pub target: End<'g>,
    pub edge: &'g Edge,
}

/// One end of an edge: what an export needs of the node there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct End<'g> {
    pub kind: NodeKind,
    pub key: &'g str,
    pub id: &'g str,
}

impl<'g> End<'g> {
    fn of(node: &'g Node) -> End<'g> {
        End {
            kind: node.kind,
            key: &node.key,
            id: &node.id,
        }
    }
}

/// A graph read in export order, one element at a time: nodes by kind then
/// key, edges by kind, then source id, then target id. What the exports
/// read, whether the graph is in memory ([`PolicyGraph`], through
/// `export::Sorted`) or in a file ([`GraphFile`]).
pub trait Ordered: Sync {
    /// Calls `f` with each node of `kind` (of every kind if `None`).
    fn each_node(
        &self,
        kind: Option<NodeKind>,
        f: &mut dyn FnMut(&Node) -> std::io::Result<()>,
    ) -> std::io::Result<()>;

    /// Calls `f` with each edge of `kind` (of every kind if `None`).
    fn each_edge(
        &self,
        kind: Option<EdgeKind>,
        f: &mut dyn FnMut(&EdgeView<'_>) -> std::io::Result<()>,
    ) -> std::io::Result<()>;
}

/// A `COPIES` finding to add with [`PolicyGraph::add_copies`]: the earlier
/// adopter's article (`from`) was copied by the later one's (`to`).
#[derive(Clone, Debug, PartialEq)]
pub struct CopyEdge {
    /// Article id of the earlier adopter.
    pub from: String,
    /// Article id of the later adopter.
    pub to: String,
    pub score: f64,
    /// `high`, `medium` or `low`.
    pub confidence: String,
    pub lag_days: Option<i64>,
    /// Which signals found the pair (`template`, `institution`, `text_reuse`,
    /// `foreign_names`, …).
    pub signals: Vec<String>,
    /// The shared term or passage, and any leftover foreign names.
    pub evidence: String,
}

impl CopyEdge {
    /// Checks what does not depend on the graph.
    fn check(&self) -> Result<(), GraphError> {
        if self.from == self.to {
            return Err(GraphError::SelfCopy(self.from.clone()));
        }
        if !self.score.is_finite() {
            return Err(GraphError::BadScore {
                from: self.from.clone(),
                to: self.to.clone(),
            });
        }
        if let Some(lag) = self.lag_days {
            if i32::try_from(lag).is_err() {
                return Err(GraphError::BadLag {
                    from: self.from.clone(),
                    to: self.to.clone(),
                    lag,
                });
            }
        }
        Ok(())
    }

    /// The edge, between articles dated `from_time` and `to_time`.
    fn into_edge(self, from_time: Option<NaiveDate>, to_time: Option<NaiveDate>) -> Edge {
        let mut edge = Edge {
            kind: EdgeKind::Copies,
            weight: 1,
            props: Props::new(),
            time: None,
        };
        edge.extend_time(from_time);
        edge.extend_time(to_time);
        if let Some(d) = to_time.or(from_time) {
            edge.props.insert("date", Value::Date(d));
        }
        edge.props.insert("score", Value::Double(self.score));
        edge.props.insert("confidence", Value::Str(self.confidence));
        if let Some(lag) = self.lag_days {
            edge.props.insert("lag_days", Value::Int(lag));
        }
        edge.props.insert("signals", Value::List(self.signals));
        edge.props.insert("evidence", Value::Str(self.evidence));
        edge
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GraphError {
    #[error("COPIES edge refers to article {0:?}, which is not in the graph")]
    UnknownArticle(String),
    #[error("COPIES edge from article {0:?} to itself")]
    SelfCopy(String),
    #[error("COPIES edge {from:?} -> {to:?} has a score that is not a finite number")]
    BadScore { from: String, to: String },
    #[error("COPIES edge {from:?} -> {to:?} has a lag of {lag} days, out of range")]
    BadLag { from: String, to: String, lag: i64 },
}

/// The policy-event graph.
#[derive(Clone, Debug, Default)]
pub struct PolicyGraph {
    graph: StableDiGraph<Node, Edge>,
    // Lookups only: never iterated, so their order cannot reach an export.
    /// Per node kind (in [`NodeKind::ALL`] order): key → node.
    node_index: [HashMap<String, NodeIndex>; NodeKind::ALL.len()],
    edge_index: HashMap<(EdgeKind, NodeIndex, NodeIndex), EdgeIndex, BuildHasherDefault<IdHasher>>,
}

impl PolicyGraph {
    /// Builds the graph of `records`; `region` looks a region id up in the
    /// gazetteer (`Extractor::region`) so that `WITHIN` edges reach the
    /// province even when an article names only the district.
    pub fn build<F>(records: &[ArticleRecord], region: F) -> PolicyGraph
    where
        F: Fn(&str) -> Option<RegionInfo>,
    {
        let mut builder = GraphBuilder::new(region);
        // In memory, nothing is written, so nothing can fail but a bug.
        for record in records {
            builder
                .add(record)
                .expect("building in memory does not fail");
        }
        let file = builder.finish().expect("building in memory does not fail");
        PolicyGraph::load(&file).expect("a graph built in memory reads back")
    }

    /// Loads a finished graph into memory.
    pub fn load(file: &GraphFile) -> std::io::Result<PolicyGraph> {
        let mut g = PolicyGraph::default();
        file.each_node(None, &mut |n| {
            let ix = g.graph.add_node(n.clone());
            g.node_index[n.kind as usize].insert(n.key.clone(), ix);
            Ok(())
        })?;
        file.each_edge(None, &mut |e| {
            let find = |end: &End<'_>| {
                g.node_ix(end.kind, end.key).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!(
                            "edge {} refers to node {}, which is not in the graph",
                            e.edge.kind, end.id
                        ),
                    )
                })
            };
            let (s, t) = (find(&e.source)?, find(&e.target)?);
            let ix = g.graph.add_edge(s, t, e.edge.clone());
            g.edge_index.insert((e.edge.kind, s, t), ix);
            Ok(())
        })?;
        Ok(g)
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Every node, sorted by kind then key.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
        nodes
    }

    /// Every edge, sorted by kind, then source id, then target id (unique:
    /// parallel statements of one relationship are one edge).
    pub fn edges(&self) -> Vec<EdgeView<'_>> {
        // Rank the nodes by id once, then sort edges by integers: the same
        // order as comparing the id strings, since ids are unique.
        let bound = self
            .graph
            .node_indices()
            .map(|ix| ix.index() + 1)
            .max()
            .unwrap_or(0);
        let mut by_id: Vec<NodeIndex> = self.graph.node_indices().collect();
        by_id.sort_unstable_by(|a, b| self.graph[*a].id.cmp(&self.graph[*b].id));
        let mut rank = vec![0u32; bound];
        for (r, ix) in by_id.iter().enumerate() {
            rank[ix.index()] = r as u32;
        }
        let mut keyed: Vec<(u128, EdgeView<'_>)> = (&self.graph)
            .edge_references()
            .map(|e| {
                let key = ((e.weight().kind as u128) << 64)
                    | ((rank[e.source().index()] as u128) << 32)
                    | rank[e.target().index()] as u128;
                let view = EdgeView {
                    source: End::of(&self.graph[e.source()]),
                    target: End::of(&self.graph[e.target()]),
                    edge: e.weight(),
                };
                (key, view)
            })
            .collect();
        keyed.sort_unstable_by_key(|(k, _)| *k);
        keyed.into_iter().map(|(_, v)| v).collect()
    }

    /// The node of `kind` with `key`, if any.
    pub fn node(&self, kind: NodeKind, key: &str) -> Option<&Node> {
        let ix = self.node_ix(kind, key)?;
        Some(&self.graph[ix])
    }

    /// The edge of `kind` between two nodes, if any.
    pub fn edge(
        &self,
        kind: EdgeKind,
        source: (NodeKind, &str),
        target: (NodeKind, &str),
    ) -> Option<&Edge> {
        let s = self.node_ix(source.0, source.1)?;
        let t = self.node_ix(target.0, target.1)?;
        let e = self.edge_index.get(&(kind, s, t))?;
        Some(&self.graph[*e])
    }

    /// The underlying petgraph, for graph algorithms.
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }

    /// Adds `COPIES` edges found by the diffusion stage. All are checked
    /// before any is added, so an error leaves the graph as it was. A pair
    /// given twice keeps the finding with the higher score. Returns how many
    /// edges the graph gained.
    pub fn add_copies<I>(&mut self, copies: I) -> Result<usize, GraphError>
    where
        I: IntoIterator<Item = CopyEdge>,
    {
        let copies: Vec<CopyEdge> = copies.into_iter().collect();
        let mut ends = Vec::with_capacity(copies.len());
        for c in &copies {
            let find = |id: &str| {
                self.node_ix(NodeKind::Article, id)
                    .ok_or_else(|| GraphError::UnknownArticle(id.to_string()))
            };
            let (s, t) = (find(&c.from)?, find(&c.to)?);
            c.check()?;
            ends.push((s, t));
        }
        let before = self.edge_count();
        for (c, (s, t)) in copies.into_iter().zip(ends) {
            let edge = c.into_edge(self.graph[s].time, self.graph[t].time);
            // The rule a sorted build applies: the higher score wins.
            match self.edge_index.get(&(EdgeKind::Copies, s, t)) {
                Some(&e) => merge::edge(&mut self.graph[e], edge),
                None => *self.edge_mut(EdgeKind::Copies, s, t) = edge,
            }
        }
        Ok(self.edge_count() - before)
    }

    /// The index of the node of `kind` with `key`, if any.
    fn node_ix(&self, kind: NodeKind, key: &str) -> Option<NodeIndex> {
        self.node_index[kind as usize].get(key).copied()
    }

    /// The node of `kind` with `key`, created with `label` if new.
    fn upsert_node(&mut self, kind: NodeKind, key: &str, label: &str) -> (NodeIndex, bool) {
        if let Some(ix) = self.node_ix(kind, key) {
            return (ix, false);
        }
        let node = Node {
            kind,
            key: key.to_string(),
            id: format!("{}:{}", kind.prefix(), key),
            label: if label.is_empty() {
                key.to_string()
            } else {
                label.to_string()
            },
            props: Props::new(),
            time: None,
        };
        let ix = self.graph.add_node(node);
        self.node_index[kind as usize].insert(key.to_string(), ix);
        (ix, true)
    }

    /// The edge of `kind` from `s` to `t`, created with weight 0 if new.
    fn edge_mut(&mut self, kind: EdgeKind, s: NodeIndex, t: NodeIndex) -> &mut Edge {
        debug_assert_eq!(self.graph[s].kind, kind.source());
        debug_assert_eq!(self.graph[t].kind, kind.target());
        let ix = match self.edge_index.get(&(kind, s, t)) {
            Some(ix) => *ix,
            None => {
                let edge = Edge {
                    kind,
                    weight: 0,
                    props: Props::new(),
                    time: None,
                };
                let ix = self.graph.add_edge(s, t, edge);
                self.edge_index.insert((kind, s, t), ix);
                ix
            }
        };
        &mut self.graph[ix]
    }
}

/// A hasher for the edge index, whose keys are small integers (kind and two
/// node indices): a multiply-rotate per word instead of SipHash. The index
/// is only looked up, never iterated, so its order cannot reach an export.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests;
