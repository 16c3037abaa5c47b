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
//! [`ArticleRecord`]: crate::record::ArticleRecord

mod build;
mod props;
pub mod schema;
mod sentences;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

pub use build::GraphBuilder;
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
    pub source: &'g Node,
    pub target: &'g Node,
    pub edge: &'g Edge,
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
        for record in records {
            builder.add(record);
        }
        builder.finish()
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
        let bound = self.graph.node_indices().map(|ix| ix.index() + 1).max().unwrap_or(0);
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
                    source: &self.graph[e.source()],
                    target: &self.graph[e.target()],
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
            if s == t {
                return Err(GraphError::SelfCopy(c.from.clone()));
            }
            if !c.score.is_finite() {
                return Err(GraphError::BadScore {
                    from: c.from.clone(),
                    to: c.to.clone(),
                });
            }
            if let Some(lag) = c.lag_days {
                if i32::try_from(lag).is_err() {
                    return Err(GraphError::BadLag {
                        from: c.from.clone(),
                        to: c.to.clone(),
                        lag,
                    });
                }
            }
            ends.push((s, t));
        }
        let before = self.edge_count();
        for (c, (s, t)) in copies.into_iter().zip(ends) {
            if let Some(e) = self.edge_index.get(&(EdgeKind::Copies, s, t)) {
                let old = match self.graph[*e].prop("score") {
                    Some(Value::Double(x)) => *x,
                    _ => f64::NEG_INFINITY,
                };
                if c.score <= old {
                    continue;
                }
            }
            let (from_time, to_time) = (self.graph[s].time, self.graph[t].time);
            let edge = self.edge_mut(EdgeKind::Copies, s, t);
            edge.weight = 1;
            edge.props.clear();
            edge.time = None;
            edge.extend_time(from_time);
            edge.extend_time(to_time);
            if let Some(d) = to_time.or(from_time) {
                edge.props.insert("date", Value::Date(d));
            }
            edge.props.insert("score", Value::Double(c.score));
            edge.props.insert("confidence", Value::Str(c.confidence));
            if let Some(lag) = c.lag_days {
                edge.props.insert("lag_days", Value::Int(lag));
            }
            edge.props.insert("signals", Value::List(c.signals));
            edge.props.insert("evidence", Value::Str(c.evidence));
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
