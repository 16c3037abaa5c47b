//! `neo4j/`: CSV files with neo4j-admin import headers, the `import.sh` that
//! imports them, and a `load.cypher` for a running server.
//!
//! One file per node label (`nodes_Region.csv`: `id:ID(Region),label,key,…,:LABEL`)
//! and per relationship type (`rels_MENTIONS.csv`:
//! `:START_ID(Article),:END_ID(Region),weight:int,…,:TYPE`). Each label has its
//! own id space, named after it, and each relationship type joins one label to
//! one other, so every `START_ID`/`END_ID` names the space its node is in.
//! Every file is written even when empty (header only), so the set of files,
//! and `import.sh`, are the same on every run.
//!
//! Arrays (`string[]`) use `;` as delimiter; a `;` inside an item is written as
//! the full-width `；` so it cannot split the item.

use std::io::{self, Write};

use super::out::Out;
use super::{ExportError, Sorted, Staging};
use crate::graph::schema::{EdgeKind, NodeKind, PropDef, PropType};
use crate::graph::{Ordered, PolicyGraph, PropRef};

/// The array delimiter of every `string[]` column.
pub const ARRAY_DELIMITER: char = ';';

/// Rows per transaction in `load.cypher`.
const BATCH: usize = 1000;

pub fn node_file(kind: NodeKind) -> String {
    format!("nodes_{}.csv", kind.label())
}

pub fn rel_file(kind: EdgeKind) -> String {
    format!("rels_{}.csv", kind.name())
}

/// The neo4j-admin type of a property type.
pub fn neo4j_type(ty: PropType) -> &'static str {
    match ty {
        PropType::Str => "string",
        PropType::Int => "int",
        PropType::Long => "long",
        PropType::Double => "double",
        PropType::Bool => "boolean",
        PropType::Date => "date",
        PropType::StrList => "string[]",
    }
}

/// A property's column header: `name` for strings, `name:type` otherwise.
fn column(def: &PropDef) -> String {
    match def.ty {
        PropType::Str => def.name.to_string(),
        ty => format!("{}:{}", def.name, neo4j_type(ty)),
    }
}

/// Writes every file into `sub` of the staging directory.
pub fn stage(graph: &PolicyGraph, staging: &mut Staging, sub: &str) -> Result<(), ExportError> {
    stage_sorted(&Sorted::new(graph), staging, sub)
}

/// [`stage`] for a graph already in export order (shared by every format).
pub fn stage_sorted(
    graph: &dyn Ordered,
    staging: &mut Staging,
    sub: &str,
) -> Result<(), ExportError> {
    for kind in NodeKind::ALL {
        staging.write(&format!("{sub}/{}", node_file(kind)), |w| {
            write_nodes(graph, kind, w)
        })?;
    }
    for kind in EdgeKind::ALL {
        staging.write(&format!("{sub}/{}", rel_file(kind)), |w| {
            write_rels(graph, kind, w)
        })?;
    }
    stage_scripts(staging, sub)
}

/// `import.sh` and `load.cypher`, into `sub` of the staging directory.
pub fn stage_scripts(staging: &mut Staging, sub: &str) -> Result<(), ExportError> {
    staging.write_executable(&format!("{sub}/import.sh"), |w| {
        w.write_all(import_script().as_bytes())
    })?;
    staging.write(&format!("{sub}/load.cypher"), |w| {
        w.write_all(load_cypher().as_bytes())
    })?;
    Ok(())
}

/// `nodes_KIND.csv`: the nodes of one label.
pub fn write_nodes(graph: &dyn Ordered, kind: NodeKind, w: &mut dyn Write) -> io::Result<()> {
    let props = kind.properties();
    let mut out = Out::new(w);
    out.raw("id:ID(").raw(kind.label()).raw("),label,key");
    for d in props {
        out.byte(b',').csv(&column(d));
    }
    out.raw(",:LABEL\n");
    let mut scratch = String::new();
    graph.each_node(Some(kind), &mut |node| {
        out.csv(&node.id)
            .byte(b',')
            .csv(&node.label)
            .byte(b',')
            .csv(&node.key);
        for d in props {
            out.byte(b',');
            cell(&mut out, node.prop_ref(d.name), &mut scratch);
        }
        out.byte(b',').raw(kind.label()).byte(b'\n');
        out.maybe_flush()
    })?;
    out.finish()
}

/// `rels_KIND.csv`: the relationships of one type.
pub fn write_rels(graph: &dyn Ordered, kind: EdgeKind, w: &mut dyn Write) -> io::Result<()> {
    let props = kind.properties();
    let mut out = Out::new(w);
    out.raw(":START_ID(").raw(kind.source().label());
    out.raw("),:END_ID(")
        .raw(kind.target().label())
        .raw("),weight:int");
    for d in props {
        out.byte(b',').csv(&column(d));
    }
    out.raw(",:TYPE\n");
    let mut scratch = String::new();
    graph.each_edge(Some(kind), &mut |e| {
        out.csv(e.source.id).byte(b',').csv(e.target.id).byte(b',');
        out.uint(e.edge.weight.into());
        for d in props {
            out.byte(b',');
            cell(&mut out, e.edge.prop_ref(d.name), &mut scratch);
        }
        out.byte(b',').raw(kind.name()).byte(b'\n');
        out.maybe_flush()
    })?;
    out.finish()
}

/// One property cell: lists joined with the array delimiter, which inside
/// an item becomes the full-width `；`.
fn cell(out: &mut Out<'_>, v: Option<PropRef<'_>>, scratch: &mut String) {
    out.csv_value(v, ARRAY_DELIMITER_STR, Some("；"), scratch);
}

const ARRAY_DELIMITER_STR: &str = ";";

/// The `neo4j-admin database import full` script for exactly these files.
pub fn import_script() -> String {
    let mut s = String::from(
        "#!/bin/sh\n\
         # Imports the policy graph into a new Neo4j 5 database with neo4j-admin.\n\
         #   ./import.sh [DATABASE]      (default: neo4j; the database must be stopped)\n\
         # Set NEO4J_ADMIN to the neo4j-admin binary if it is not on PATH,\n\
         # e.g. NEO4J_ADMIN=$NEO4J_HOME/bin/neo4j-admin ./import.sh\n\
         # Written by policygraph; regenerated on every build.\n\
         set -eu\n\
         here=$(cd \"$(dirname \"$0\")\" && pwd)\n\
         db=${1:-neo4j}\n\
         exec \"${NEO4J_ADMIN:-neo4j-admin}\" database import full \\\n",
    );
    s.push_str("  --overwrite-destination=true \\\n");
    s.push_str(&format!("  --array-delimiter='{ARRAY_DELIMITER}' \\\n"));
    s.push_str("  --multiline-fields=true \\\n");
    s.push_str("  --id-type=string \\\n");
    for kind in NodeKind::ALL {
        s.push_str(&format!(
            "  --nodes={}=\"$here/{}\" \\\n",
            kind.label(),
            node_file(kind)
        ));
    }
    for kind in EdgeKind::ALL {
        s.push_str(&format!(
            "  --relationships={}=\"$here/{}\" \\\n",
            kind.name(),
            rel_file(kind)
        ));
    }
    s.push_str("  \"$db\"\n");
    s
}

/// Cypher for a running server: constraints first, then `LOAD CSV` with
/// `MERGE` in batched transactions, nodes before relationships.
pub fn load_cypher() -> String {
    let mut s = String::from(
        "// Loads the policy graph into a running Neo4j 5 server.\n\
         // 1. Copy the CSV files of this directory into the server's import directory.\n\
         // 2. cypher-shell -u neo4j -p PASSWORD -f load.cypher\n\
         // MERGE makes a second run update rather than duplicate.\n\
         // Written by policygraph; regenerated on every build.\n\n",
    );
    for kind in NodeKind::ALL {
        s.push_str(&format!(
            "CREATE CONSTRAINT {}_id IF NOT EXISTS FOR (n:{}) REQUIRE n.id IS UNIQUE;\n",
            kind.prefix(),
            kind.label()
        ));
    }
    for kind in NodeKind::ALL {
        let label = kind.label();
        let mut sets = vec![
            "n.label = row.label".to_string(),
            "n.key = row.key".to_string(),
        ];
        sets.extend(
            kind.properties()
                .iter()
                .map(|d| format!("n.{} = {}", d.name, convert(d))),
        );
        s.push_str(&format!(
            "\nLOAD CSV WITH HEADERS FROM 'file:///{}' AS row\n\
             CALL {{\n  WITH row\n  MERGE (n:{label} {{id: row.`id:ID({label})`}})\n  SET {}\n}} IN TRANSACTIONS OF {BATCH} ROWS;\n",
            node_file(kind),
            sets.join(",\n      ")
        ));
    }
    for kind in EdgeKind::ALL {
        let (src, dst) = (kind.source().label(), kind.target().label());
        let mut sets = vec!["r.weight = toInteger(row.`weight:int`)".to_string()];
        sets.extend(
            kind.properties()
                .iter()
                .map(|d| format!("r.{} = {}", d.name, convert(d))),
        );
        s.push_str(&format!(
            "\nLOAD CSV WITH HEADERS FROM 'file:///{}' AS row\n\
             CALL {{\n  WITH row\n  MATCH (s:{src} {{id: row.`:START_ID({src})`}})\n  MATCH (t:{dst} {{id: row.`:END_ID({dst})`}})\n  MERGE (s)-[r:{}]->(t)\n  SET {}\n}} IN TRANSACTIONS OF {BATCH} ROWS;\n",
            rel_file(kind),
            kind.name(),
            sets.join(",\n      ")
        ));
    }
    s
}

/// The Cypher expression reading a property's column with its type.
fn convert(def: &PropDef) -> String {
    let col = format!("row.`{}`", column(def));
    match def.ty {
        PropType::Str => col,
        PropType::Int | PropType::Long => format!("toInteger({col})"),
        PropType::Double => format!("toFloat({col})"),
        PropType::Bool => format!("toBoolean({col})"),
        PropType::Date => format!("date({col})"),
        PropType::StrList => format!("split({col}, '{ARRAY_DELIMITER}')"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::fixtures;
    use std::collections::BTreeSet;

    #[test]
    fn import_script_names_every_file_once() {
        let script = import_script();
        for kind in NodeKind::ALL {
            let arg = format!("--nodes={}=\"$here/{}\"", kind.label(), node_file(kind));
            assert_eq!(script.matches(&arg).count(), 1, "{arg}");
        }
        for kind in EdgeKind::ALL {
            let arg = format!(
                "--relationships={}=\"$here/{}\"",
                kind.name(),
                rel_file(kind)
            );
            assert_eq!(script.matches(&arg).count(), 1, "{arg}");
        }
        assert!(script.contains("database import full"));
        assert!(script.contains("--array-delimiter=';'"));
        assert!(script.contains("--overwrite-destination=true"));
    }

    #[test]
    fn load_cypher_creates_constraints_before_loading() {
        let cypher = load_cypher();
        let first_load = cypher.find("LOAD CSV").unwrap();
        let last_constraint = cypher.rfind("CREATE CONSTRAINT").unwrap();
        assert!(last_constraint < first_load);
        assert_eq!(
            cypher.matches("IN TRANSACTIONS OF").count(),
            NodeKind::ALL.len() + EdgeKind::ALL.len()
        );
        assert!(cypher.contains("r.amount_yuan = toInteger(row.`amount_yuan:long`)"));
        assert!(cypher.contains("r.signals = split(row.`signals:string[]`, ';')"));
    }

    #[test]
    fn every_relationship_end_exists_in_its_id_space() {
        let dir = tempfile::tempdir().unwrap();
        let gaz = fixtures::gazetteer();
        let g = PolicyGraph::build(&fixtures::records(), fixtures::lookup(&gaz));
        let mut staging = Staging::new(dir.path()).unwrap();
        stage(&g, &mut staging, "neo4j").unwrap();
        staging.commit().unwrap();
        let read = |name: &str| {
            let mut r = ::csv::Reader::from_path(dir.path().join("neo4j").join(name)).unwrap();
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
            let rows: Vec<Vec<String>> = r
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            (header, rows)
        };
        let mut ids = std::collections::BTreeMap::new();
        for kind in NodeKind::ALL {
            let (header, rows) = read(&node_file(kind));
            assert_eq!(header[0], format!("id:ID({})", kind.label()));
            assert_eq!(header.iter().filter(|h| h.contains(":ID(")).count(), 1);
            let set: BTreeSet<String> = rows.iter().map(|r| r[0].clone()).collect();
            assert_eq!(set.len(), rows.len(), "duplicate ids in {kind}");
            ids.insert(kind.label().to_string(), set);
        }
        let mut total = 0;
        for kind in EdgeKind::ALL {
            let (header, rows) = read(&rel_file(kind));
            let space = |h: &str| {
                h.split('(')
                    .nth(1)
                    .unwrap()
                    .trim_end_matches(')')
                    .to_string()
            };
            let (s, t) = (space(&header[0]), space(&header[1]));
            for row in &rows {
                assert!(
                    ids[&s].contains(&row[0]),
                    "{kind}: missing start {}",
                    row[0]
                );
                assert!(ids[&t].contains(&row[1]), "{kind}: missing end {}", row[1]);
                assert_eq!(row.last().unwrap(), kind.name());
            }
            total += rows.len();
        }
        assert_eq!(total, g.edge_count());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("neo4j/import.sh"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o111, 0o111, "import.sh is executable");
        }
    }

    #[test]
    fn array_items_cannot_split_on_the_delimiter() {
        let cell_text = |v: Option<&crate::graph::Value>| {
            let mut buf = Vec::new();
            let mut out = Out::new(&mut buf);
            cell(&mut out, v.map(|v| v.as_ref()), &mut String::new());
            out.finish().unwrap();
            String::from_utf8(buf).unwrap()
        };
        let v = crate::graph::Value::List(vec!["a;b".into(), "c".into()]);
        assert_eq!(cell_text(Some(&v)), "a；b;c");
        assert_eq!(cell_text(None), "");
        assert_eq!(ARRAY_DELIMITER_STR, ARRAY_DELIMITER.to_string());
    }
}
