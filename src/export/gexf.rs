//! GEXF 1.3 with a timeline, for Gephi (and networkx, graphology).
//!
//! The graph is `mode="dynamic"` with `timeformat="date"` and
//! `timerepresentation="interval"`: articles and bulletins carry their date
//! as a closed interval `start` = `end`, edges made by articles the interval
//! of the dates of the articles that state them (a `COPIES` edge spans from
//! the earlier article to the later one), and entities that exist throughout
//! (regions, agencies, programs) carry no time. Only intervals, never
//! timestamps: Gephi refuses a file that mixes the two.
//!
//! The relationship type is each edge's `label` and GEXF `kind` (Gephi's
//! edge type); attributes are declared with numeric ids and typed titles.

use std::io::{self, Write};

use chrono::NaiveDate;

use super::out::Out;
use super::{PropOrder, Sorted};
use crate::graph::schema::{all_properties, PropType};
use crate::graph::{Ordered, PolicyGraph};

/// The GEXF attribute type of a property type. Dates are strings: not every
/// reader knows GEXF 1.3's date type, and networkx rejects it.
pub fn attr_type(ty: PropType) -> &'static str {
    match ty {
        PropType::Str | PropType::Date | PropType::StrList => "string",
        PropType::Int => "integer",
        PropType::Long => "long",
        PropType::Double => "double",
        PropType::Bool => "boolean",
    }
}

pub fn write(graph: &PolicyGraph, w: &mut dyn Write) -> io::Result<()> {
    write_sorted(&Sorted::new(graph), w)
}

/// Writes the graph already put in export order (shared by every format).
pub fn write_sorted(graph: &dyn Ordered, w: &mut dyn Write) -> io::Result<()> {
    // Node attributes: kind and key, then the declared properties.
    let node_props = all_properties(true);
    let mut node_attrs: Vec<(&str, &str)> = vec![("kind", "string"), ("key", "string")];
    node_attrs.extend(node_props.iter().map(|d| (d.name, attr_type(d.ty))));
    // Edge label, kind and weight are GEXF's own XML attributes.
    let edge_props = all_properties(false);
    let edge_attrs: Vec<(&str, &str)> = edge_props
        .iter()
        .map(|d| (d.name, attr_type(d.ty)))
        .collect();
    let mut out = Out::new(w);

    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.raw(r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#);
    out.raw("\n  <meta>\n    <creator>policygraph</creator>\n");
    out.raw(
        "    <description>Policy events of Chinese government bulletins</description>\n  </meta>\n",
    );
    out.raw(r#"  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" timerepresentation="interval">"#);
    out.byte(b'\n');
    for (class, attrs) in [("node", &node_attrs), ("edge", &edge_attrs)] {
        out.raw(r#"    <attributes class=""#)
            .raw(class)
            .raw("\" mode=\"static\">\n");
        for (i, (title, ty)) in attrs.iter().enumerate() {
            out.raw(r#"      <attribute id=""#).uint(i as u64);
            out.raw(r#"" title=""#)
                .raw(title)
                .raw(r#"" type=""#)
                .raw(ty)
                .raw("\"/>\n");
        }
        out.raw("    </attributes>\n");
    }

    // `          <attvalue for="N" value="` for each attribute, once.
    let open = |i: usize| format!(r#"          <attvalue for="{i}" value=""#);
    let node_open: Vec<String> = (0..node_attrs.len()).map(open).collect();
    let edge_open: Vec<String> = (0..edge_attrs.len()).map(open).collect();
    let node_order = PropOrder::nodes(&node_props);
    let edge_order = PropOrder::edges(&edge_props);
    const CLOSE: &str = "\"/>\n";

    out.raw("    <nodes>\n");
    graph.each_node(None, &mut |node| {
        out.raw(r#"      <node id=""#).xml(&node.id);
        out.raw(r#"" label=""#).xml(&node.label).byte(b'"');
        interval(&mut out, node.time.map(|d| (d, d)));
        out.raw(">\n        <attvalues>\n");
        out.raw(&node_open[0]).raw(node.kind.label()).raw(CLOSE);
        out.raw(&node_open[1]).xml(&node.key).raw(CLOSE);
        for &(u, name) in node_order.of_node(node.kind) {
            if let Some(v) = node.prop_ref(name) {
                out.raw(&node_open[u + 2]).xml_value(v).raw(CLOSE);
            }
        }
        out.raw("        </attvalues>\n      </node>\n");
        out.maybe_flush()
    })?;
    out.raw("    </nodes>\n");

    out.raw("    <edges>\n");
    let mut n = 0u64;
    graph.each_edge(None, &mut |e| {
        let kind = e.edge.kind.name();
        out.raw(r#"      <edge id=""#).uint(n);
        n += 1;
        out.raw(r#"" source=""#).xml(e.source.id);
        out.raw(r#"" target=""#).xml(e.target.id);
        out.raw(r#"" label=""#)
            .raw(kind)
            .raw(r#"" kind=""#)
            .raw(kind);
        out.raw(r#"" weight=""#)
            .uint(e.edge.weight.into())
            .byte(b'"');
        interval(&mut out, e.edge.time);
        let mut any = false;
        for &(u, name) in edge_order.of_edge(e.edge.kind) {
            if let Some(v) = e.edge.prop_ref(name) {
                if !any {
                    out.raw(">\n        <attvalues>\n");
                    any = true;
                }
                out.raw(&edge_open[u]).xml_value(v).raw(CLOSE);
            }
        }
        if any {
            out.raw("        </attvalues>\n      </edge>\n");
        } else {
            out.raw("/>\n");
        }
        out.maybe_flush()
    })?;
    out.raw("    </edges>\n  </graph>\n</gexf>\n");
    out.finish()
}

fn interval(out: &mut Out<'_>, time: Option<(NaiveDate, NaiveDate)>) {
    if let Some((start, end)) = time {
        out.raw(r#" start=""#)
            .date(start)
            .raw(r#"" end=""#)
            .date(end)
            .byte(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixtures;

    fn output() -> String {
        let gaz = fixtures::gazetteer();
        let g = PolicyGraph::build(&fixtures::records(), fixtures::lookup(&gaz));
        let mut out = Vec::new();
        write(&g, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header_is_dynamic_gexf_1_3_with_dates() {
        let out = output();
        assert!(out.contains(r#"xmlns="http://gexf.net/1.3""#));
        assert!(out.contains(r#"version="1.3""#));
        assert!(out.contains(r#"mode="dynamic" timeformat="date""#));
    }

    #[test]
    fn intervals_only_never_timestamps() {
        let out = output();
        assert!(!out.contains("timestamp=\"") && !out.contains("timestamps=\""));
        // The Lingang article: event date 2020-10-20.
        assert!(out.contains(r#"<node id="article:000_5fd69a67e7dd1237:02" label="上海临港新片区 10 大政策助人工智能产业发展" start="2020-10-20" end="2020-10-20">"#));
        // Its MENTIONS edge carries the same date; WITHIN carries none.
        let mention = out
            .lines()
            .find(|l| l.contains(r#"source="article:000_5fd69a67e7dd1237:02" target="region:310115" label="MENTIONS""#))
            .unwrap();
        assert!(
            mention.contains(r#"start="2020-10-20" end="2020-10-20""#),
            "{mention}"
        );
        let within = out
            .lines()
            .find(|l| l.contains(r#"label="WITHIN""#))
            .unwrap();
        assert!(!within.contains("start="), "{within}");
        // Every start has an end.
        assert_eq!(
            out.matches(" start=\"").count(),
            out.matches(" end=\"").count()
        );
    }

    #[test]
    fn attvalues_refer_to_declared_attributes() {
        let out = output();
        let node_decl = out
            .split(r#"<attributes class="node""#)
            .nth(1)
            .unwrap()
            .split("</attributes>")
            .next()
            .unwrap();
        let n_node = node_decl.matches("<attribute ").count();
        let edge_decl = out
            .split(r#"<attributes class="edge""#)
            .nth(1)
            .unwrap()
            .split("</attributes>")
            .next()
            .unwrap();
        let n_edge = edge_decl.matches("<attribute ").count();
        let nodes = out
            .split("<nodes>")
            .nth(1)
            .unwrap()
            .split("</nodes>")
            .next()
            .unwrap();
        let edges = out
            .split("<edges>")
            .nth(1)
            .unwrap()
            .split("</edges>")
            .next()
            .unwrap();
        for (part, n) in [(nodes, n_node), (edges, n_edge)] {
            for line in part.lines().filter(|l| l.contains("<attvalue ")) {
                let id: usize = line.split('"').nth(1).unwrap().parse().unwrap();
                assert!(id < n, "{line}");
            }
        }
        assert!(!out.contains('\u{1}') && !out.contains('\u{FFFF}'));
    }
}
