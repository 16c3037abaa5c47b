//! Nodes and edges as bytes: sort keys that put them in export order, and
//! payloads that carry them whole.
//!
//! A large corpus makes a graph larger than memory (millions of programs,
//! each named once), so the builder writes what each article says about a
//! node or an edge as a record, the records are sorted on disk
//! ([`super::runs`]), and the statements of one node or edge, adjacent
//! after the sort, are merged ([`super::merge`]). The key of a record is
//! the export order itself: nodes before edges, then the kind, then the
//! key (for an edge, the source's key and then the target's), then the
//! sequence number of the statement, so that merging sees statements in
//! input order whatever the number of threads.
//!
//! Property names are stored as their position in the kind's declared
//! properties ([`NodeKind::properties`]): a name the schema does not
//! declare cannot be stored (the graph tests check that none is set).

use std::io;

use chrono::NaiveDate;

use super::schema::{EdgeKind, NodeKind, PropDef, Value};
use super::{Edge, Node, Props};

/// First byte of a node's key.
pub(crate) const NODE: u8 = 0;
/// First byte of an edge's key.
pub(crate) const EDGE: u8 = 1;

/// Appends `s` so that the byte order of the encodings is the order of
/// the strings, and a string is never confused with its extensions: each
/// NUL byte becomes `00 FF`, and `00 01` ends the string.
fn push_ordered(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == 0) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(&[0, 0xFF]);
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
    out.extend_from_slice(&[0, 1]);
}

/// The sort key of a statement about node `kind`/`key`, the `seq`-th of the
/// run.
pub(crate) fn node_key(out: &mut Vec<u8>, kind: NodeKind, key: &str, seq: u64) {
    out.clear();
    out.push(NODE);
    out.push(kind as u8);
    push_ordered(out, key);
    out.extend_from_slice(&seq.to_be_bytes());
}

/// The sort key of a statement about an edge.
pub(crate) fn edge_key(out: &mut Vec<u8>, kind: EdgeKind, source: &str, target: &str, seq: u64) {
    out.clear();
    out.push(EDGE);
    out.push(kind as u8);
    push_ordered(out, source);
    push_ordered(out, target);
    out.extend_from_slice(&seq.to_be_bytes());
}

/// A sort key without its sequence number: equal for every statement of
/// one node or edge.
pub(crate) fn identity(key: &[u8]) -> &[u8] {
    &key[..key.len().saturating_sub(8)]
}

/// An edge with the keys of its end points, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRecord {
    pub source: String,
    pub target: String,
    pub edge: Edge,
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    push_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    out.extend_from_slice(&chrono::Datelike::num_days_from_ce(&d).to_le_bytes());
}

fn push_props(out: &mut Vec<u8>, props: &Props, declared: &[PropDef]) {
    let at = out.len();
    out.push(0);
    let mut n = 0u8;
    for (name, value) in props.iter() {
        let Some(ix) = declared.iter().position(|d| d.name == name) else {
            debug_assert!(false, "property {name} is not declared");
            continue;
        };
        out.push(ix as u8);
        match value {
            Value::Str(s) => {
                out.push(0);
                push_str(out, s);
            }
            Value::Int(i) => {
                out.push(1);
                out.extend_from_slice(&i.to_le_bytes());
            }
            Value::Double(x) => {
                out.push(2);
                out.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            Value::Bool(b) => {
                out.push(3);
                out.push(*b as u8);
            }
            Value::Date(d) => {
                out.push(4);
                push_date(out, *d);
            }
            Value::List(items) => {
                out.push(5);
                push_varint(out, items.len() as u64);
                for item in items {
                    push_str(out, item);
                }
            }
        }
        n += 1;
    }
    out[at] = n;
}

/// Appends the payload of `node`.
pub(crate) fn encode_node(out: &mut Vec<u8>, node: &Node) {
    out.push(node.kind as u8);
    push_str(out, &node.key);
    push_str(out, &node.label);
    match node.time {
        None => out.push(0),
        Some(d) => {
            out.push(1);
            push_date(out, d);
        }
    }
    push_props(out, &node.props, node.kind.properties());
}

/// Appends the payload of an edge from `source` to `target` (keys).
pub(crate) fn encode_edge(out: &mut Vec<u8>, source: &str, target: &str, edge: &Edge) {
    out.push(edge.kind as u8);
    push_str(out, source);
    push_str(out, target);
    push_varint(out, edge.weight as u64);
    match edge.time {
        None => out.push(0),
        Some((a, b)) => {
            out.push(1);
            push_date(out, a);
            push_date(out, b);
        }
    }
    push_props(out, &edge.props, edge.kind.properties());
}

/// Reads a payload; every read is checked, so damaged bytes are an error,
/// never a panic.
struct Reader<'a> {
    buf: &'a [u8],
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("damaged graph record: {what}"),
    )
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> io::Result<u8> {
        let (&b, rest) = self.buf.split_first().ok_or_else(|| corrupt("truncated"))?;
        self.buf = rest;
        Ok(b)
    }

    fn bytes(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if self.buf.len() < n {
            return Err(corrupt("truncated"));
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    fn varint(&mut self) -> io::Result<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= ((b & 0x7F) as u64) << shift;
            if b < 0x80 {
                return Ok(n);
            }
        }
        Err(corrupt("varint too long"))
    }

    fn str(&mut self) -> io::Result<&'a str> {
        let n = usize::try_from(self.varint()?).map_err(|_| corrupt("length"))?;
        std::str::from_utf8(self.bytes(n)?).map_err(|_| corrupt("not UTF-8"))
    }

    fn date(&mut self) -> io::Result<NaiveDate> {
        let days = i32::from_le_bytes(self.array()?);
        NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| corrupt("date"))
    }

    fn props(&mut self, declared: &'static [PropDef], props: &mut Props) -> io::Result<()> {
        props.clear();
        let n = self.byte()?;
        for _ in 0..n {
            let def = declared
                .get(self.byte()? as usize)
                .ok_or_else(|| corrupt("property"))?;
            let value = match self.byte()? {
                0 => Value::Str(self.str()?.to_string()),
                1 => Value::Int(i64::from_le_bytes(self.array()?)),
                2 => Value::Double(f64::from_bits(u64::from_le_bytes(self.array()?))),
                3 => Value::Bool(self.byte()? != 0),
                4 => Value::Date(self.date()?),
                5 => {
                    let len = self.varint()?;
                    let mut items = Vec::with_capacity(len.min(1024) as usize);
                    for _ in 0..len {
                        items.push(self.str()?.to_string());
                    }
                    Value::List(items)
                }
                _ => return Err(corrupt("value type")),
            };
            props.insert(def.name, value);
        }
        Ok(())
    }
}

fn node_kind(b: u8) -> io::Result<NodeKind> {
    NodeKind::ALL
        .get(b as usize)
        .copied()
        .ok_or_else(|| corrupt("node kind"))
}

fn edge_kind(b: u8) -> io::Result<EdgeKind> {
    EdgeKind::ALL
        .get(b as usize)
        .copied()
        .ok_or_else(|| corrupt("edge kind"))
}

/// Reads a node payload into `node`, reusing its strings.
pub(crate) fn decode_node_into(buf: &[u8], node: &mut Node) -> io::Result<()> {
    let mut r = Reader { buf };
    node.kind = node_kind(r.byte()?)?;
    node.key.clear();
    node.key.push_str(r.str()?);
    node.id.clear();
    node.id.push_str(node.kind.prefix());
    node.id.push(':');
    node.id.push_str(&node.key);
    node.label.clear();
    node.label.push_str(r.str()?);
    node.time = match r.byte()? {
        0 => None,
        _ => Some(r.date()?),
    };
    r.props(node.kind.properties(), &mut node.props)
}

pub(crate) fn decode_node(buf: &[u8]) -> io::Result<Node> {
    let mut node = Node::empty();
    decode_node_into(buf, &mut node)?;
    Ok(node)
}

/// Reads an edge payload into `rec`, reusing its strings.
pub(crate) fn decode_edge_into(buf: &[u8], rec: &mut EdgeRecord) -> io::Result<()> {
    let mut r = Reader { buf };
    rec.edge.kind = edge_kind(r.byte()?)?;
    rec.source.clear();
    rec.source.push_str(r.str()?);
    rec.target.clear();
    rec.target.push_str(r.str()?);
    rec.edge.weight = u32::try_from(r.varint()?).map_err(|_| corrupt("weight"))?;
    rec.edge.time = match r.byte()? {
        0 => None,
        _ => Some((r.date()?, r.date()?)),
    };
    r.props(rec.edge.kind.properties(), &mut rec.edge.props)
}

pub(crate) fn decode_edge(buf: &[u8]) -> io::Result<EdgeRecord> {
    let mut rec = EdgeRecord::empty();
    decode_edge_into(buf, &mut rec)?;
    Ok(rec)
}

impl EdgeRecord {
    pub(crate) fn empty() -> EdgeRecord {
        EdgeRecord {
            source: String::new(),
            target: String::new(),
            edge: Edge {
                kind: EdgeKind::InBulletin,
                weight: 0,
                props: Props::new(),
                time: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn keys_sort_like_the_strings_they_hold() {
        let words = [
            "",
            "a",
            "a\0",
            "a\0b",
            "a\u{1}",
            "ab",
            "b",
            "上海",
            "上海市",
            "\0",
        ];
        let mut by_string: Vec<&str> = words.to_vec();
        by_string.sort();
        let mut by_key: Vec<(Vec<u8>, &str)> = words
            .iter()
            .map(|w| {
                let mut k = Vec::new();
                node_key(&mut k, NodeKind::Program, w, 7);
                (k, *w)
            })
            .collect();
        by_key.sort();
        assert_eq!(
            by_key.into_iter().map(|(_, w)| w).collect::<Vec<_>>(),
            by_string
        );
    }

    #[test]
    fn edge_keys_order_by_source_then_target_and_nodes_come_first() {
        let key = |s: &str, t: &str| {
            let mut k = Vec::new();
            edge_key(&mut k, EdgeKind::Mentions, s, t, 0);
            k
        };
        assert!(
            key("a", "z") < key("ab", "a"),
            "source decides before target"
        );
        assert!(key("a", "b") < key("a", "c"));
        let mut n = Vec::new();
        node_key(&mut n, NodeKind::ProgramTemplate, "zzz", u64::MAX);
        assert!(n < key("", ""));
        assert_eq!(
            identity(&key("a", "b")),
            identity(&{
                let mut k = Vec::new();
                edge_key(&mut k, EdgeKind::Mentions, "a", "b", 99);
                k
            })
        );
    }

    #[test]
    fn nodes_and_edges_round_trip() {
        let mut props = Props::new();
        props.insert("title", Value::Str("关于\"创新券\"的通知".into()));
        props.insert("date", Value::Date(d(2020, 12, 11)));
        props.insert("amounts", Value::List(vec!["5亿元".into(), String::new()]));
        props.insert("amount_yuan", Value::Int(-500_000_000));
        let node = Node {
            kind: NodeKind::Article,
            key: "000_5fd69a67e7dd1237:03".into(),
            id: "article:000_5fd69a67e7dd1237:03".into(),
            label: "标题".into(),
            props,
            time: Some(d(2020, 12, 1)),
        };
        let mut buf = Vec::new();
        encode_node(&mut buf, &node);
        assert_eq!(decode_node(&buf).unwrap(), node);

        let mut props = Props::new();
        props.insert("score", Value::Double(0.8125));
        props.insert("signals", Value::List(vec!["template".into()]));
        props.insert("lag_days", Value::Int(31));
        let rec = EdgeRecord {
            source: "a:1".into(),
            target: "b:2".into(),
            edge: Edge {
                kind: EdgeKind::Copies,
                weight: 1,
                props,
                time: Some((d(2020, 1, 1), d(2020, 2, 1))),
            },
        };
        buf.clear();
        encode_edge(&mut buf, &rec.source, &rec.target, &rec.edge);
        assert_eq!(decode_edge(&buf).unwrap(), rec);
    }

    #[test]
    fn damaged_payloads_are_errors_not_panics() {
        let mut props = Props::new();
        props.insert("in_title", Value::Bool(true));
        let edge = Edge {
            kind: EdgeKind::Mentions,
            weight: 3,
            props,
            time: None,
        };
        let mut buf = Vec::new();
        encode_edge(&mut buf, "s", "t", &edge);
        for cut in 0..buf.len() {
            assert!(decode_edge(&buf[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = buf.clone();
        bad[0] = 200;
        assert_eq!(
            decode_edge(&bad).unwrap_err().kind(),
            io::ErrorKind::InvalidData
        );
    }
}
