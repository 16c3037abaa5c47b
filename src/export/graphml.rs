//! GraphML, as Gephi, networkx, igraph and graphology read it.
//!
//! Gephi's pitfalls avoided: every `<key>` has `for` and `attr.type`; key ids
//! are `n_NAME`/`e_NAME` (Gephi takes the yEd ids `d3`/`d7` for labels and an
//! edge key named `id` for the edge id); no graph-level keys; lists are
//! joined with `|`; `label` on nodes and edges; `edgedefault="directed"`.

use std::io::{self, Write};

use super::text::escape;
use crate::graph::schema::{all_properties, PropType};
use crate::graph::{PolicyGraph, Value};

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
    let node_props = all_properties(true);
    let edge_props = all_properties(false);

    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let key = |w: &mut dyn Write, class: &str, name: &str, ty: &str| {
        writeln!(
            w,
            r#"  <key id="{}_{name}" for="{class}" attr.name="{name}" attr.type="{ty}"/>"#,
            &class[..1]
        )
    };
    for name in ["label", "kind", "key"] {
        key(w, "node", name, "string")?;
    }
    for def in &node_props {
        key(w, "node", def.name, attr_type(def.ty))?;
    }
    key(w, "edge", "label", "string")?;
    key(w, "edge", "kind", "string")?;
    key(w, "edge", "weight", "double")?;
    for def in &edge_props {
        key(w, "edge", def.name, attr_type(def.ty))?;
    }

    writeln!(w, r#"  <graph id="policygraph" edgedefault="directed">"#)?;
    for node in graph.nodes() {
        writeln!(w, r#"    <node id="{}">"#, escape(&node.id))?;
        data(w, "n_label", &node.label)?;
        data(w, "n_kind", node.kind.label())?;
        data(w, "n_key", &node.key)?;
        for def in &node_props {
            if let Some(v) = node.prop(def.name) {
                data(w, &format!("n_{}", def.name), &render(v))?;
            }
        }
        writeln!(w, "    </node>")?;
    }
    for (i, e) in graph.edges().into_iter().enumerate() {
        writeln!(
            w,
            r#"    <edge id="e{i}" source="{}" target="{}">"#,
            escape(&e.source.id),
            escape(&e.target.id)
        )?;
        data(w, "e_label", e.edge.kind.name())?;
        data(w, "e_kind", e.edge.kind.name())?;
        data(w, "e_weight", &e.edge.weight.to_string())?;
        for def in &edge_props {
            if let Some(v) = e.edge.prop(def.name) {
                data(w, &format!("e_{}", def.name), &render(v))?;
            }
        }
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}

/// A value as GraphML text: lists joined with `|`.
fn render(v: &Value) -> String {
    v.render("|")
}

fn data(w: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(w, r#"      <data key="{key}">{}</data>"#, escape(value))
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
