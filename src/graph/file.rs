//! The finished graph as one file of records in export order, read by the
//! exports one kind at a time.
//!
//! [`GraphFile::write`] takes the sorted statements ([`super::runs`]) and
//! folds the statements of each node and edge into one record
//! ([`super::merge`]); what is written is already in export order (nodes by
//! kind then key, edges by kind, source key, target key), so each export
//! reads it front to back with one buffer, however large the graph. The
//! file lives in the output directory, unlinked at creation, or in memory
//! for small graphs.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::codec::{self, EdgeRecord};
use super::runs;
use super::schema::{EdgeKind, NodeKind};
use super::{merge, EdgeView, End, Node, Ordered};

/// Bytes read at a time from the file.
const CHUNK: usize = 1 << 18;

/// The merged graph, in export order.
pub struct GraphFile {
    data: Backing,
    /// Byte range of each node kind's records, in [`NodeKind::ALL`] order.
    nodes: [(u64, u64); NodeKind::ALL.len()],
    /// Byte range of each edge kind's records, in [`EdgeKind::ALL`] order.
    edges: [(u64, u64); EdgeKind::ALL.len()],
    node_count: u64,
    edge_count: u64,
}

enum Backing {
    Memory(Vec<u8>),
    /// The path is removed when dropped where the file could not be
    /// unlinked at creation.
    File {
        file: File,
        _path: crate::scratch::TempPath,
    },
}

/// Where [`GraphFile::write`] puts the records.
enum Sink {
    Memory(Vec<u8>),
    File(BufWriter<File>, crate::scratch::TempPath),
}

impl Sink {
    fn put(&mut self, payload: &[u8]) -> io::Result<()> {
        let len = u32::try_from(payload.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "graph record over 4 GiB"))?;
        match self {
            Sink::Memory(v) => {
                v.extend_from_slice(&len.to_le_bytes());
                v.extend_from_slice(payload);
                Ok(())
            }
            Sink::File(w, _) => {
                w.write_all(&len.to_le_bytes())?;
                w.write_all(payload)
            }
        }
    }
}

/// The statements of the node or edge being merged.
struct Pending {
    identity: Vec<u8>,
    raw: Vec<u8>,
    /// Decoded once a second statement arrives.
    node: Option<Node>,
    edge: Option<EdgeRecord>,
    is_node: bool,
    kind: u8,
    live: bool,
}

impl GraphFile {
    /// Merges `sorted` into a graph kept in memory (`dir` `None`) or in an
    /// unlinked file in `dir`.
    pub(crate) fn write(mut sorted: runs::Sorted, dir: Option<&Path>) -> io::Result<GraphFile> {
        let mut sink = match dir {
            None => Sink::Memory(Vec::new()),
            Some(dir) => {
                let (file, path) = crate::scratch::unlinked_file_in(dir, "graph")?;
                Sink::File(BufWriter::with_capacity(CHUNK, file), path)
            }
        };
        let mut file = GraphFile {
            data: Backing::Memory(Vec::new()),
            nodes: [(0, 0); NodeKind::ALL.len()],
            edges: [(0, 0); EdgeKind::ALL.len()],
            node_count: 0,
            edge_count: 0,
        };
        let mut at = 0u64;
        let mut p = Pending {
            identity: Vec::new(),
            raw: Vec::new(),
            node: None,
            edge: None,
            is_node: true,
            kind: 0,
            live: false,
        };
        let mut scratch = Vec::new();
        while let Some((key, payload)) = sorted.next()? {
            if key.len() < 10 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "damaged graph record: key",
                ));
            }
            let identity = codec::identity(key);
            if p.live && identity == p.identity.as_slice() {
                if p.is_node {
                    let later = codec::decode_node(payload)?;
                    let acc = match p.node.as_mut() {
                        Some(acc) => acc,
                        None => p.node.insert(codec::decode_node(&p.raw)?),
                    };
                    merge::node(acc, later);
                } else {
                    let later = codec::decode_edge(payload)?;
                    let acc = match p.edge.as_mut() {
                        Some(acc) => acc,
                        None => p.edge.insert(codec::decode_edge(&p.raw)?),
                    };
                    merge::edge(&mut acc.edge, later.edge);
                }
                continue;
            }
            if p.live {
                at += file.flush(&mut p, &mut sink, &mut scratch, at)?;
            }
            p.identity.clear();
            p.identity.extend_from_slice(identity);
            p.raw.clear();
            p.raw.extend_from_slice(payload);
            p.is_node = key[0] == codec::NODE;
            p.kind = key[1];
            p.live = true;
        }
        if p.live {
            file.flush(&mut p, &mut sink, &mut scratch, at)?;
        }
        file.data = match sink {
            Sink::Memory(v) => Backing::Memory(v),
            Sink::File(w, path) => Backing::File {
                file: w.into_inner().map_err(|e| e.into_error())?,
                _path: path,
            },
        };
        Ok(file)
    }

    /// Writes the pending node or edge; returns the bytes written.
    fn flush(
        &mut self,
        p: &mut Pending,
        sink: &mut Sink,
        scratch: &mut Vec<u8>,
        at: u64,
    ) -> io::Result<u64> {
        let payload: &[u8] = if let Some(node) = p.node.take() {
            scratch.clear();
            codec::encode_node(scratch, &node);
            scratch
        } else if let Some(rec) = p.edge.take() {
            scratch.clear();
            codec::encode_edge(scratch, &rec.source, &rec.target, &rec.edge);
            scratch
        } else {
            &p.raw
        };
        sink.put(payload)?;
        let end = at + 4 + payload.len() as u64;
        let range = if p.is_node {
            self.node_count += 1;
            self.nodes.get_mut(p.kind as usize)
        } else {
            self.edge_count += 1;
            self.edges.get_mut(p.kind as usize)
        };
        let range = range.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "damaged graph record: kind")
        })?;
        if range.0 == range.1 {
            range.0 = at;
        }
        range.1 = end;
        p.live = false;
        Ok(end - at)
    }

    pub fn node_count(&self) -> u64 {
        self.node_count
    }

    pub fn edge_count(&self) -> u64 {
        self.edge_count
    }

    /// Calls `f` with each record payload in `range`, in order.
    fn each_record(
        &self,
        range: (u64, u64),
        f: &mut dyn FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        match &self.data {
            Backing::Memory(v) => {
                let mut rest = v.get(range.0 as usize..range.1 as usize).unwrap_or(&[]);
                while !rest.is_empty() {
                    let (payload, tail) = split_record(rest)?;
                    f(payload)?;
                    rest = tail;
                }
                Ok(())
            }
            Backing::File { file, .. } => {
                let mut buf: Vec<u8> = Vec::with_capacity(CHUNK);
                let (mut pos, end) = range;
                let mut start = 0usize;
                while pos < end || start < buf.len() {
                    // Whole records in the buffer first.
                    let mut rest = &buf[start..];
                    while let Some(n) = record_len(rest) {
                        if rest.len() < 4 + n {
                            break;
                        }
                        f(&rest[4..4 + n])?;
                        start += 4 + n;
                        rest = &buf[start..];
                    }
                    if pos >= end {
                        if start < buf.len() {
                            return Err(io::Error::new(
                                io::ErrorKind::InvalidData,
                                "damaged graph file: truncated",
                            ));
                        }
                        break;
                    }
                    // Keep the partial record and read on.
                    buf.drain(..start);
                    start = 0;
                    let want = record_len(&buf).map_or(CHUNK, |n| (4 + n).max(CHUNK));
                    let have = buf.len();
                    let take = (want.saturating_sub(have)).max(1).min((end - pos) as usize);
                    buf.resize(have + take, 0);
                    crate::scratch::read_exact_at(file, &mut buf[have..], pos)?;
                    pos += take as u64;
                }
                Ok(())
            }
        }
    }
}

fn record_len(buf: &[u8]) -> Option<usize> {
    let len: [u8; 4] = buf.get(..4)?.try_into().ok()?;
    Some(u32::from_le_bytes(len) as usize)
}

fn split_record(buf: &[u8]) -> io::Result<(&[u8], &[u8])> {
    let n = record_len(buf)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "damaged graph file"))?;
    if buf.len() < 4 + n {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "damaged graph file: truncated",
        ));
    }
    Ok((&buf[4..4 + n], &buf[4 + n..]))
}

impl Ordered for GraphFile {
    fn each_node(
        &self,
        kind: Option<NodeKind>,
        f: &mut dyn FnMut(&Node) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut node = Node::empty();
        for k in NodeKind::ALL {
            if kind.is_some_and(|want| want != k) {
                continue;
            }
            self.each_record(self.nodes[k as usize], &mut |payload| {
                codec::decode_node_into(payload, &mut node)?;
                f(&node)
            })?;
        }
        Ok(())
    }

    fn each_edge(
        &self,
        kind: Option<EdgeKind>,
        f: &mut dyn FnMut(&EdgeView<'_>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut rec = EdgeRecord::empty();
        let (mut source_id, mut target_id) = (String::new(), String::new());
        for k in EdgeKind::ALL {
            if kind.is_some_and(|want| want != k) {
                continue;
            }
            self.each_record(self.edges[k as usize], &mut |payload| {
                codec::decode_edge_into(payload, &mut rec)?;
                let (s, t) = (rec.edge.kind.source(), rec.edge.kind.target());
                set_id(&mut source_id, s, &rec.source);
                set_id(&mut target_id, t, &rec.target);
                f(&EdgeView {
                    source: End {
                        kind: s,
                        key: &rec.source,
                        id: &source_id,
                    },
                    target: End {
                        kind: t,
                        key: &rec.target,
                        id: &target_id,
                    },
                    edge: &rec.edge,
                })
            })?;
        }
        Ok(())
    }
}

fn set_id(id: &mut String, kind: NodeKind, key: &str) {
    id.clear();
    id.push_str(kind.prefix());
    id.push(':');
    id.push_str(key);
}
