//! `nodes.csv` and `edges.csv` in Gephi's spreadsheet-import convention.
//!
//! Nodes: `Id,Label,Kind,Key,` then every node property. Edges:
//! `Source,Target,Type,Kind,Label,Weight,` then every edge property. Gephi
//! reads `Type` as the edge's direction, so it is always `Directed`; the
//! relationship type is in `Kind` (Gephi's edge type) and `Label`. UTF-8,
//! RFC 4180 quoting by the csv crate; lists joined with `|`; empty cells for
//! absent values.

use std::io::{self, Write};

use super::out::Out;
use super::{PropOrder, Sorted};
use crate::graph::schema::{all_properties, PropDef};
use crate::graph::Ordered;
use crate::graph::{PolicyGraph, PropRef};

pub fn write_nodes(graph: &PolicyGraph, w: &mut dyn Write) -> io::Result<()> {
    write_nodes_sorted(&Sorted::new(graph), w)
}

pub fn write_edges(graph: &PolicyGraph, w: &mut dyn Write) -> io::Result<()> {
    write_edges_sorted(&Sorted::new(graph), w)
}

/// `nodes.csv` of a graph already in export order.
pub fn write_nodes_sorted(graph: &dyn Ordered, w: &mut dyn Write) -> io::Result<()> {
    let props = all_properties(true);
    let order = PropOrder::nodes(&props);
    let mut out = Out::new(w);
    out.raw("Id,Label,Kind,Key");
    header(&mut out, &props);
    let mut scratch = String::new();
    graph.each_node(None, &mut |node| {
        out.csv(&node.id).byte(b',').csv(&node.label).byte(b',');
        out.raw(node.kind.label()).byte(b',').csv(&node.key);
        cells(
            &mut out,
            props.len(),
            order.of_node(node.kind),
            |name| node.prop_ref(name),
            &mut scratch,
        );
        out.maybe_flush()
    })?;
    out.finish()
}

/// `edges.csv` of a graph already in export order.
pub fn write_edges_sorted(graph: &dyn Ordered, w: &mut dyn Write) -> io::Result<()> {
    let props = all_properties(false);
    let order = PropOrder::edges(&props);
    let mut out = Out::new(w);
    out.raw("Source,Target,Type,Kind,Label,Weight");
    header(&mut out, &props);
    let mut scratch = String::new();
    graph.each_edge(None, &mut |e| {
        let kind = e.edge.kind.name();
        out.csv(e.source.id).byte(b',').csv(e.target.id);
        out.raw(",Directed,")
            .raw(kind)
            .byte(b',')
            .raw(kind)
            .byte(b',');
        out.uint(e.edge.weight.into());
        cells(
            &mut out,
            props.len(),
            order.of_edge(e.edge.kind),
            |name| e.edge.prop_ref(name),
            &mut scratch,
        );
        out.maybe_flush()
    })?;
    out.finish()
}

/// The property names, after the fixed columns, and the line end.
fn header(out: &mut Out<'_>, props: &[PropDef]) {
    for d in props {
        out.byte(b',').csv(d.name);
    }
    out.byte(b'\n');
}

/// The `columns` property cells of one row (empty where absent, lists
/// joined with `|`) and the line end; `present` lists the columns the
/// element's kind can fill, in column order.
fn cells<'a>(
    out: &mut Out<'_>,
    columns: usize,
    present: &[(usize, &'static str)],
    get: impl Fn(&str) -> Option<PropRef<'a>>,
    scratch: &mut String,
) {
    let mut at = 0;
    for &(column, name) in present {
        if let Some(v) = get(name) {
            while at <= column {
                out.byte(b',');
                at += 1;
            }
            out.csv_value(Some(v), "|", None, scratch);
        }
    }
    while at < columns {
        out.byte(b',');
        at += 1;
    }
    out.byte(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixtures;

    fn graph() -> PolicyGraph {
        let gaz = fixtures::gazetteer();
        PolicyGraph::build(&fixtures::records(), fixtures::lookup(&gaz))
    }

    fn read(bytes: Vec<u8>) -> (Vec<String>, Vec<Vec<String>>) {
        let mut r = ::csv::Reader::from_reader(bytes.as_slice());
        let header = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        (header, rows)
    }

    #[test]
    fn nodes_round_trip_with_nasty_text() {
        let g = graph();
        let mut buf = Vec::new();
        write_nodes(&g, &mut buf).unwrap();
        let (header, rows) = read(buf);
        assert_eq!(&header[..4], ["Id", "Label", "Kind", "Key"]);
        assert_eq!(rows.len(), g.node_count());
        let nasty = rows
            .iter()
            .find(|r| r[0] == "article:000_5fd69a67e7dd1237:03")
            .unwrap();
        assert_eq!(nasty[1], "“A&B” <测试> ]]> 'q' \"dq\", xy");
        let section = header.iter().position(|h| h == "section").unwrap();
        assert_eq!(nasty[section], "a,b\n\"c\"");
    }

    #[test]
    fn edges_are_directed_and_typed_by_kind() {
        let g = graph();
        let mut buf = Vec::new();
        write_edges(&g, &mut buf).unwrap();
        let (header, rows) = read(buf);
        assert_eq!(
            &header[..6],
            ["Source", "Target", "Type", "Kind", "Label", "Weight"]
        );
        assert_eq!(rows.len(), g.edge_count());
        assert!(rows.iter().all(|r| r[2] == "Directed"));
        assert!(rows.iter().any(|r| r[3] == "ISSUES" && r[4] == "ISSUES"));
        let zone = rows
            .iter()
            .find(|r| {
                r[0] == "article:000_5fd69a67e7dd1237:02"
                    && r[1] == "region:Z-LINGANG"
                    && r[3] == "MENTIONS"
            })
            .unwrap();
        assert_eq!(zone[5], "3");
    }
}
