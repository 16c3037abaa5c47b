//! GraphML, as Gephi, networkx, igraph and graphology read it.
//!
//! Gephi's pitfalls avoided: every `<key>` has `for` and `attr.type`; key ids
//! are `n_NAME`/`e_NAME` (Gephi takes the yEd ids `d3`/`d7` for labels and an
//! edge key named `id` for the edge id); no graph-level keys; lists are
//! joined with `|`; `label` on nodes and edges; `edgedefault="directed"`.

use std::io::{self, Write};

use super::out::Out;
use super::{PropOrder, Sorted};
use crate::graph::schema::{all_properties, PropType};
use crate::graph::{Ordered, PolicyGraph};

/// The GraphML `attr.type` of a property type. Dates are ISO 8601 strings:
/// GraphML has no date type.
pub fn attr_type(ty: PropType) -> &'static str {
    match ty {
        PropType::Str | PropType::Date | PropType::StrList => "string",
        PropType::Int => "int",
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
    let node_props = all_properties(true);
    let edge_props = all_properties(false);
    let mut out = Out::new(w);

    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.raw(r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#);
    out.byte(b'\n');
    let key = |out: &mut Out<'_>, class: &str, name: &str, ty: &str| {
        out.raw(r#"  <key id=""#)
            .raw(&class[..1])
            .byte(b'_')
            .raw(name);
        out.raw(r#"" for=""#)
            .raw(class)
            .raw(r#"" attr.name=""#)
            .raw(name);
        out.raw(r#"" attr.type=""#).raw(ty).raw("\"/>\n");
    };
    for name in ["label", "kind", "key"] {
        key(&mut out, "node", name, "string");
    }
    for def in &node_props {
        key(&mut out, "node", def.name, attr_type(def.ty));
    }
    key(&mut out, "edge", "label", "string");
    key(&mut out, "edge", "kind", "string");
    key(&mut out, "edge", "weight", "double");
    for def in &edge_props {
        key(&mut out, "edge", def.name, attr_type(def.ty));
    }

    // `      <data key="n_NAME">` for each property, once.
    let open = |class: char, name: &str| format!(r#"      <data key="{class}_{name}">"#);
    let node_open: Vec<String> = node_props.iter().map(|d| open('n', d.name)).collect();
    let edge_open: Vec<String> = edge_props.iter().map(|d| open('e', d.name)).collect();
    let node_order = PropOrder::nodes(&node_props);
    let edge_order = PropOrder::edges(&edge_props);
    const CLOSE: &str = "</data>\n";

    out.raw("  <graph id=\"policygraph\" edgedefault=\"directed\">\n");
    graph.each_node(None, &mut |node| {
        out.raw("    <node id=\"").xml(&node.id).raw("\">\n");
        out.raw(r#"      <data key="n_label">"#)
            .xml(&node.label)
            .raw(CLOSE);
        out.raw(r#"      <data key="n_kind">"#)
            .raw(node.kind.label())
            .raw(CLOSE);
        out.raw(r#"      <data key="n_key">"#)
            .xml(&node.key)
            .raw(CLOSE);
        for &(u, name) in node_order.of_node(node.kind) {
            if let Some(v) = node.prop_ref(name) {
                out.raw(&node_open[u]).xml_value(v).raw(CLOSE);
            }
        }
        out.raw("    </node>\n");
        out.maybe_flush()
    })?;
    let mut i = 0u64;
    graph.each_edge(None, &mut |e| {
        let kind = e.edge.kind.name();
        out.raw("    <edge id=\"e").uint(i);
        i += 1;
        out.raw("\" source=\"").xml(e.source.id);
        out.raw("\" target=\"").xml(e.target.id).raw("\">\n");
        out.raw(r#"      <data key="e_label">"#)
            .raw(kind)
            .raw(CLOSE);
        out.raw(r#"      <data key="e_kind">"#).raw(kind).raw(CLOSE);
        out.raw(r#"      <data key="e_weight">"#)
            .uint(e.edge.weight.into())
            .raw(CLOSE);
        for &(u, name) in edge_order.of_edge(e.edge.kind) {
            if let Some(v) = e.edge.prop_ref(name) {
                out.raw(&edge_open[u]).xml_value(v).raw(CLOSE);
            }
        }
        out.raw("    </edge>\n");
        out.maybe_flush()
    })?;
    out.raw("  </graph>\n</graphml>\n");
    out.finish()
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
    fn declares_every_key_with_for_and_type() {
        let out = output();
        let keys: Vec<&str> = out
            .lines()
            .filter(|l| l.trim_start().starts_with("<key "))
            .collect();
        assert!(keys.len() > 10);
        for k in &keys {
            assert!(
                k.contains(r#" for="node""#) || k.contains(r#" for="edge""#),
                "{k}"
            );
            assert!(k.contains(" attr.type=\""), "{k}");
            assert!(!k.contains(r#"for="graph""#));
        }
        assert!(
            out.contains(r#"<key id="n_label" for="node" attr.name="label" attr.type="string"/>"#)
        );
        assert!(
            out.contains(r#"<key id="e_label" for="edge" attr.name="label" attr.type="string"/>"#)
        );
        assert!(out.contains(
            r#"<key id="n_amount_yuan" for="node" attr.name="amount_yuan" attr.type="long"/>"#
        ));
        assert!(out.contains(r#"edgedefault="directed""#));
        // Every data element refers to a declared key.
        for line in out.lines().filter(|l| l.contains("<data key=")) {
            let id = line.split('"').nth(1).unwrap();
            assert!(
                out.contains(&format!(r#"<key id="{id}""#)),
                "undeclared {id}"
            );
        }
    }

    #[test]
    fn nasty_text_is_escaped_and_cleaned() {
        let out = output();
        assert!(
            out.contains("“A&amp;B” &lt;测试&gt; ]]&gt; &apos;q&apos; &quot;dq&quot;, xy"),
            "title"
        );
        assert!(
            out.contains("a,b&#10;&quot;c&quot;"),
            "section with newline"
        );
        assert!(!out.contains('\u{1}') && !out.contains('\u{FFFE}'));
        assert!(!out.contains("]]>"));
    }

    #[test]
    fn lists_are_joined() {
        let out = output();
        assert!(out.contains(r#"<data key="e_articles">003_fefd0e6c0ad8662e:05</data>"#));
        assert!(out.contains(r#"<data key="n_unresolved_regions">朝阳区</data>"#));
    }
}
