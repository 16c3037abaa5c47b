//! `nodes.csv` and `edges.csv` in Gephi's spreadsheet-import convention.
//!
//! Nodes: `Id,Label,Kind,Key,` then every node property. Edges:
//! `Source,Target,Type,Kind,Label,Weight,` then every edge property. Gephi
//! reads `Type` as the edge's direction, so it is always `Directed`; the
//! relationship type is in `Kind` (Gephi's edge type) and `Label`. UTF-8,
//! RFC 4180 quoting by the csv crate; lists joined with `|`; empty cells for
//! absent values.

use std::io::{self, Write};

use super::text::clean;
use crate::graph::schema::all_properties;
use crate::graph::{PolicyGraph, Value};

pub fn write_nodes(graph: &PolicyGraph, w: &mut dyn Write) -> io::Result<()> {
    let props = all_properties(true);
    let mut out = ::csv::Writer::from_writer(w);
    let mut header = vec!["Id", "Label", "Kind", "Key"];
    header.extend(props.iter().map(|d| d.name));
    out.write_record(&header)?;
    for node in graph.nodes() {
        let mut row = vec![
            clean(&node.id).into_owned(),
            clean(&node.label).into_owned(),
        ];
        row.push(node.kind.label().to_string());
        row.push(clean(&node.key).into_owned());
        row.extend(props.iter().map(|d| cell(node.prop(d.name))));
        out.write_record(&row)?;
    }
    out.flush()
}

pub fn write_edges(graph: &PolicyGraph, w: &mut dyn Write) -> io::Result<()> {
    let props = all_properties(false);
    let mut out = ::csv::Writer::from_writer(w);
    let mut header = vec!["Source", "Target", "Type", "Kind", "Label", "Weight"];
    header.extend(props.iter().map(|d| d.name));
    out.write_record(&header)?;
    for e in graph.edges() {
        let kind = e.edge.kind.name().to_string();
        let mut row = vec![
            clean(&e.source.id).into_owned(),
            clean(&e.target.id).into_owned(),
            "Directed".to_string(),
            kind.clone(),
            kind,
            e.edge.weight.to_string(),
        ];
        row.extend(props.iter().map(|d| cell(e.edge.prop(d.name))));
        out.write_record(&row)?;
    }
    out.flush()
}

fn cell(v: Option<&Value>) -> String {
    v.map(|v| clean(&v.render("|")).into_owned())
        .unwrap_or_default()
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
