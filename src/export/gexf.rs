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

use super::text::escape;
use crate::graph::schema::{all_properties, PropType};
use crate::graph::{PolicyGraph, Value};

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
    // Node attributes: kind and key, then the declared properties.
    let mut node_attrs: Vec<(&str, &str)> = vec![("kind", "string"), ("key", "string")];
    node_attrs.extend(
        all_properties(true)
            .iter()
            .map(|d| (d.name, attr_type(d.ty))),
    );
    // Edge label, kind and weight are GEXF's own XML attributes.
    let edge_attrs: Vec<(&str, &str)> = all_properties(false)
        .iter()
        .map(|d| (d.name, attr_type(d.ty)))
        .collect();

    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">"#
    )?;
    writeln!(w, "  <meta>")?;
    writeln!(w, "    <creator>policygraph</creator>")?;
    writeln!(
        w,
        "    <description>Policy events of Chinese government bulletins</description>"
    )?;
    writeln!(w, "  </meta>")?;
    writeln!(
        w,
        r#"  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" timerepresentation="interval">"#
    )?;
    for (class, attrs) in [("node", &node_attrs), ("edge", &edge_attrs)] {
        writeln!(w, r#"    <attributes class="{class}" mode="static">"#)?;
        for (i, (title, ty)) in attrs.iter().enumerate() {
            writeln!(
                w,
                r#"      <attribute id="{i}" title="{title}" type="{ty}"/>"#
            )?;
        }
        writeln!(w, "    </attributes>")?;
    }

    writeln!(w, "    <nodes>")?;
    for node in graph.nodes() {
        write!(
            w,
            r#"      <node id="{}" label="{}""#,
            escape(&node.id),
            escape(&node.label)
        )?;
        interval(w, node.time.map(|d| (d, d)))?;
        writeln!(w, ">")?;
        writeln!(w, "        <attvalues>")?;
        for (i, (title, _)) in node_attrs.iter().enumerate() {
            let value = match *title {
                "kind" => Some(node.kind.label().to_string()),
                "key" => Some(node.key.clone()),
                name => node.prop(name).map(render),
            };
            if let Some(v) = value {
                writeln!(
                    w,
                    r#"          <attvalue for="{i}" value="{}"/>"#,
                    escape(&v)
                )?;
            }
        }
        writeln!(w, "        </attvalues>")?;
        writeln!(w, "      </node>")?;
    }
    writeln!(w, "    </nodes>")?;

    writeln!(w, "    <edges>")?;
    for (n, e) in graph.edges().into_iter().enumerate() {
        let kind = e.edge.kind.name();
        write!(
            w,
            r#"      <edge id="{n}" source="{}" target="{}" label="{kind}" kind="{kind}" weight="{}""#,
            escape(&e.source.id),
            escape(&e.target.id),
            e.edge.weight
        )?;
        interval(w, e.edge.time)?;
        let values: Vec<(usize, String)> = edge_attrs
            .iter()
            .enumerate()
            .filter_map(|(i, (title, _))| e.edge.prop(title).map(|v| (i, render(v))))
            .collect();
        if values.is_empty() {
            writeln!(w, "/>")?;
            continue;
        }
        writeln!(w, ">")?;
        writeln!(w, "        <attvalues>")?;
        for (i, v) in values {
            writeln!(
                w,
                r#"          <attvalue for="{i}" value="{}"/>"#,
                escape(&v)
            )?;
        }
        writeln!(w, "        </attvalues>")?;
        writeln!(w, "      </edge>")?;
    }
    writeln!(w, "    </edges>")?;
    writeln!(w, "  </graph>")?;
    writeln!(w, "</gexf>")
}

fn render(v: &Value) -> String {
    v.render("|")
}

fn interval(w: &mut dyn Write, time: Option<(NaiveDate, NaiveDate)>) -> io::Result<()> {
    if let Some((start, end)) = time {
        write!(
            w,
            r#" start="{}" end="{}""#,
            start.format("%Y-%m-%d"),
            end.format("%Y-%m-%d")
        )?;
    }
    Ok(())
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
