"""Loads policygraph's exports with real Python clients and checks them.

Usage: check.py {graphml,gexf,csv,neo4j} OUTDIR EXPECT.json

EXPECT.json (written by tests/interop.rs) holds what the graph contains:
  nodes, edges                  total counts
  node_kinds, edge_kinds        counts per node label / relationship type
  node_attrs, edge_attrs        GraphML attr.type of every declared attribute
  gexf_node_attrs, gexf_edge_attrs   GEXF type of every declared attribute
  labels                        {node id: exact label} to compare text
  facts                         optional: issuers, copies (see check_kuzu)

Exits non-zero with a message on the first failed check; prints one line
per passed client on stdout.
"""

import csv
import datetime
import json
import math
import os
import re
import shlex
import sys
import tempfile
from collections import Counter, defaultdict

PY_TYPES = {
    "string": (str,),
    "int": (int,),
    "integer": (int,),
    "long": (int,),
    "double": (float,),
    "float": (float,),
    "boolean": (bool,),
}


class Failed(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failed(msg)


def check_eq(got, want, what):
    if got != want:
        raise Failed(f"{what}: got {got!r}, want {want!r}")


def check_nx_types(items, declared, what):
    """Every attribute present has the Python type of its declared type,
    and every declared attribute occurs on at least one element."""
    seen = set()
    for data in items:
        for name, value in data.items():
            if name not in declared:
                continue
            seen.add(name)
            types = PY_TYPES[declared[name]]
            # bool is an int in Python: an int attribute must not be a bool.
            ok = isinstance(value, types) and not (
                types != (bool,) and isinstance(value, bool)
            )
            check(ok, f"{what} attribute {name}={value!r} is not {declared[name]}")
    return seen


def check_graphml_networkx(path, exp):
    import networkx as nx

    g = nx.read_graphml(path)
    check(g.is_directed(), "networkx: GraphML graph is not directed")
    check_eq(g.number_of_nodes(), exp["nodes"], "networkx GraphML node count")
    check_eq(g.number_of_edges(), exp["edges"], "networkx GraphML edge count")
    kinds = Counter(d.get("kind") for _, d in g.nodes(data=True))
    check_eq(dict(kinds), exp["node_kinds"], "networkx GraphML node kinds")
    rels = Counter(d.get("kind") for _, _, d in g.edges(data=True))
    check_eq(dict(rels), exp["edge_kinds"], "networkx GraphML edge kinds")
    for n, d in g.nodes(data=True):
        check("label" in d and "kind" in d, f"networkx: node {n} lacks label or kind")
    for u, v, d in g.edges(data=True):
        check(d.get("label") == d.get("kind"), f"networkx: edge {u}->{v} label != kind")
        check(isinstance(d.get("weight"), float), f"networkx: edge {u}->{v} weight not a double")
    seen = check_nx_types((d for _, d in g.nodes(data=True)), exp["node_attrs"], "networkx node")
    seen |= check_nx_types((d for _, _, d in g.edges(data=True)), exp["edge_attrs"], "networkx edge")
    for want in exp.get("must_see_attrs", []):
        check(want in seen, f"networkx: attribute {want} never present")
    for node, label in exp["labels"].items():
        check_eq(g.nodes[node]["label"], label, f"networkx GraphML label of {node}")
    print(f"networkx {nx.__version__} read_graphml: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


def check_graphml_igraph(path, exp):
    import igraph

    g = igraph.Graph.Read_GraphML(path)
    check(g.is_directed(), "igraph: graph is not directed")
    check_eq(g.vcount(), exp["nodes"], "igraph node count")
    check_eq(g.ecount(), exp["edges"], "igraph edge count")
    vattrs = set(g.vs.attributes())
    eattrs = set(g.es.attributes())
    for name in exp["node_attrs"]:
        check(name in vattrs, f"igraph: vertex attribute {name} missing")
    for name in exp["edge_attrs"]:
        check(name in eattrs, f"igraph: edge attribute {name} missing")
    check_eq(dict(Counter(g.vs["kind"])), exp["node_kinds"], "igraph node kinds")
    check_eq(dict(Counter(g.es["kind"])), exp["edge_kinds"], "igraph edge kinds")
    # igraph keeps numbers as floats (NaN where absent), booleans as bools,
    # strings as str ("" where absent).
    for attrs, seq, what in ((exp["node_attrs"], g.vs, "vertex"), (exp["edge_attrs"], g.es, "edge")):
        for name, ty in attrs.items():
            for value in seq[name]:
                if ty == "string":
                    check(isinstance(value, str), f"igraph {what} {name}={value!r} not a string")
                elif ty == "boolean":
                    check(isinstance(value, bool) or value is None, f"igraph {what} {name}={value!r} not a boolean")
                else:
                    check(isinstance(value, (int, float)) and not isinstance(value, bool),
                          f"igraph {what} {name}={value!r} not a number")
    # igraph (through libxml2) returns a `&` in an XML attribute as the text
    # `&#38;`: a known igraph quirk that touches only the `id` attribute of
    # nodes whose key holds a `&`. Edges still join the right vertices.
    by_id = {v["id"].replace("&#38;", "&"): v for v in g.vs}
    for node, label in exp["labels"].items():
        check_eq(by_id[node]["label"], label, f"igraph label of {node}")
    amounts = [x for x in g.vs["amount_yuan"] if not math.isnan(x)]
    if "amount_yuan" in exp.get("must_see_attrs", []):
        check(amounts and all(float(x).is_integer() for x in amounts), "igraph: amount_yuan values")
    print(f"python-igraph {igraph.__version__} Read_GraphML: {g.vcount()} vertices, {g.ecount()} edges")


def check_gexf_networkx(path, exp):
    import networkx as nx

    g = nx.read_gexf(path)
    check(g.is_directed(), "networkx: GEXF graph is not directed")
    check_eq(g.graph.get("mode"), "dynamic", "networkx GEXF mode")
    check_eq(g.number_of_nodes(), exp["nodes"], "networkx GEXF node count")
    check_eq(g.number_of_edges(), exp["edges"], "networkx GEXF edge count")
    check_eq(dict(Counter(d.get("kind") for _, d in g.nodes(data=True))), exp["node_kinds"], "networkx GEXF node kinds")
    check_eq(dict(Counter(d.get("label") for _, _, d in g.edges(data=True))), exp["edge_kinds"], "networkx GEXF edge labels")
    seen = check_nx_types((d for _, d in g.nodes(data=True)), exp["gexf_node_attrs"], "networkx GEXF node")
    seen |= check_nx_types((d for _, _, d in g.edges(data=True)), exp["gexf_edge_attrs"], "networkx GEXF edge")
    for want in exp.get("must_see_attrs", []):
        check(want in seen, f"networkx GEXF: attribute {want} never present")
    dated = 0
    for n, d in g.nodes(data=True):
        if d.get("kind") == "Article" and "date" in d:
            check_eq((d.get("start"), d.get("end")), (d["date"], d["date"]), f"networkx GEXF interval of {n}")
            datetime.date.fromisoformat(d["start"])
            dated += 1
        if "start" in d or "end" in d:
            check("start" in d and "end" in d, f"networkx GEXF: {n} has half an interval")
            check(d["start"] <= d["end"], f"networkx GEXF: {n} interval reversed")
    for u, v, d in g.edges(data=True):
        if "start" in d or "end" in d:
            check("start" in d and "end" in d and d["start"] <= d["end"], f"networkx GEXF: edge {u}->{v} interval")
    check(dated > 0 or exp["node_kinds"].get("Article", 0) == 0, "networkx GEXF: no dated article")
    for node, label in exp["labels"].items():
        check_eq(g.nodes[node]["label"], label, f"networkx GEXF label of {node}")
    text = open(path, encoding="utf-8").read()
    check("timestamp=" not in text and "timestamps=" not in text, "GEXF mixes timestamps with intervals")
    print(f"networkx {nx.__version__} read_gexf: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {dated} dated articles")


def check_gephi_csv(outdir, exp):
    with open(os.path.join(outdir, "nodes.csv"), newline="", encoding="utf-8") as f:
        nodes = list(csv.DictReader(f))
    with open(os.path.join(outdir, "edges.csv"), newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        edges = list(reader)
    check_eq(header[:6], ["Source", "Target", "Type", "Kind", "Label", "Weight"], "edges.csv header")
    check_eq(len(nodes), exp["nodes"], "nodes.csv rows")
    check_eq(len(edges), exp["edges"], "edges.csv rows")
    ids = {n["Id"] for n in nodes}
    check_eq(len(ids), len(nodes), "nodes.csv unique ids")
    check_eq(dict(Counter(n["Kind"] for n in nodes)), exp["node_kinds"], "nodes.csv kinds")
    check_eq(dict(Counter(e["Kind"] for e in edges)), exp["edge_kinds"], "edges.csv kinds")
    for e in edges:
        check_eq(e["Type"], "Directed", "edges.csv Type (direction)")
        check(e["Source"] in ids and e["Target"] in ids, f"edges.csv: dangling edge {e['Source']} -> {e['Target']}")
        float(e["Weight"])
    by_id = {n["Id"]: n for n in nodes}
    for node, label in exp["labels"].items():
        check_eq(by_id[node]["Label"], label, f"nodes.csv label of {node}")
    print(f"csv: nodes.csv {len(nodes)} rows, edges.csv {len(edges)} rows, all Directed")


# --- Neo4j -------------------------------------------------------------------

NEO4J_TYPES = {"int", "long", "float", "double", "boolean", "byte", "short", "char", "string",
               "date", "localtime", "time", "localdatetime", "datetime", "duration", "point"}
SPECIAL = re.compile(r"^(?P<name>[^:]*):(?P<field>ID|START_ID|END_ID)(\((?P<space>[^)]*)\))?$")


def parse_value(ty, text, delim):
    """Raises ValueError unless `text` parses as neo4j-admin type `ty`."""
    if ty.endswith("[]"):
        for item in text.split(delim):
            parse_value(ty[:-2], item, delim)
        return
    if ty in ("int", "long", "short", "byte"):
        bits = {"int": 32, "long": 64, "short": 16, "byte": 8}[ty]
        v = int(text)
        if not -(2 ** (bits - 1)) <= v < 2 ** (bits - 1):
            raise ValueError(f"{v} out of {ty} range")
    elif ty in ("float", "double"):
        float(text)
    elif ty == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not a boolean")
    elif ty == "date":
        datetime.date.fromisoformat(text)
    elif ty == "char":
        if len(text) != 1:
            raise ValueError(f"{text!r} is not a char")


def parse_header(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    cols = []
    for h in header:
        m = SPECIAL.match(h)
        if m:
            cols.append({"name": m["name"], "role": m["field"], "space": m["space"], "type": "string"})
        elif h in (":LABEL", ":TYPE", ":IGNORE"):
            cols.append({"name": "", "role": h[1:], "space": None, "type": "string"})
        else:
            name, _, ty = h.partition(":")
            ty = ty or "string"
            check(ty.removesuffix("[]") in NEO4J_TYPES, f"{os.path.basename(path)}: unknown type in header {h!r}")
            check(name != "", f"{os.path.basename(path)}: property column without a name: {h!r}")
            cols.append({"name": name, "role": "prop", "space": None, "type": ty})
    for i, row in enumerate(rows, start=2):
        check_eq(len(row), len(header), f"{os.path.basename(path)} line {i} field count")
    return header, cols, rows


def import_args(script):
    """The --nodes and --relationships arguments of import.sh, and its options."""
    text = script.replace("\\\n", " ")
    line = next(l for l in text.splitlines() if "database import full" in l)
    args = shlex.split(line.replace('"$here/', '"'))
    nodes, rels, opts = [], [], {}
    for a in args:
        if a.startswith("--nodes="):
            label, _, f = a[len("--nodes="):].partition("=")
            nodes.append((label, f))
        elif a.startswith("--relationships="):
            ty, _, f = a[len("--relationships="):].partition("=")
            rels.append((ty, f))
        elif a.startswith("--"):
            k, _, v = a.partition("=")
            opts[k] = v
    return nodes, rels, opts


def check_neo4j_rules(d, exp):
    """neo4j-admin's header rules, checked on the files import.sh names."""
    script = open(os.path.join(d, "import.sh"), encoding="utf-8").read()
    check(os.access(os.path.join(d, "import.sh"), os.X_OK), "import.sh is not executable")
    nodes, rels, opts = import_args(script)
    delim = opts.get("--array-delimiter", ";")
    check_eq(len(delim), 1, "array delimiter length")
    for opt in ("--overwrite-destination", "--multiline-fields"):
        check(opt in opts, f"import.sh lacks {opt}")
    named = sorted(f for _, f in nodes + rels)
    present = sorted(f for f in os.listdir(d) if f.endswith(".csv"))
    check_eq(named, present, "CSV files named by import.sh vs present")

    ids = defaultdict(set)  # id space -> ids
    node_files = {}
    for label, f in nodes:
        header, cols, rows = parse_header(os.path.join(d, f))
        id_cols = [i for i, c in enumerate(cols) if c["role"] == "ID"]
        check_eq(len(id_cols), 1, f"{f}: number of :ID columns")
        space = cols[id_cols[0]]["space"]
        check(space, f"{f}: :ID without an id space")
        check_eq(space, label, f"{f}: id space vs label given by import.sh")
        lab = [i for i, c in enumerate(cols) if c["role"] == "LABEL"]
        ids.setdefault(space, set())
        for row in rows:
            v = row[id_cols[0]]
            check(v != "", f"{f}: empty id")
            check(v not in ids[space], f"{f}: duplicate id {v!r} in space {space}")
            ids[space].add(v)
            for i in lab:
                check(label in row[i].split(delim), f"{f}: :LABEL {row[i]!r} lacks {label}")
            check_values(f, cols, row, delim)
        node_files[label] = (f, cols, len(rows))
    rel_files = {}
    for ty, f in rels:
        header, cols, rows = parse_header(os.path.join(d, f))
        roles = Counter(c["role"] for c in cols)
        check_eq((roles["START_ID"], roles["END_ID"]), (1, 1), f"{f}: START_ID/END_ID columns")
        check(roles["ID"] == 0, f"{f}: relationship file with an :ID column")
        s = next(i for i, c in enumerate(cols) if c["role"] == "START_ID")
        e = next(i for i, c in enumerate(cols) if c["role"] == "END_ID")
        t = [i for i, c in enumerate(cols) if c["role"] == "TYPE"]
        for i in (s, e):
            check(cols[i]["space"] in ids, f"{f}: id space {cols[i]['space']!r} has no node file")
        for row in rows:
            check(row[s] in ids[cols[s]["space"]], f"{f}: START_ID {row[s]!r} not in {cols[s]['space']}")
            check(row[e] in ids[cols[e]["space"]], f"{f}: END_ID {row[e]!r} not in {cols[e]['space']}")
            for i in t:
                check_eq(row[i], ty, f"{f}: :TYPE")
            check_values(f, cols, row, delim)
        rel_files[ty] = (f, cols, len(rows), cols[s]["space"], cols[e]["space"])
    counts = {k: v[2] for k, v in node_files.items() if v[2]}
    check_eq(counts, exp["node_kinds"], "Neo4j node rows per label")
    counts = {k: v[2] for k, v in rel_files.items() if v[2]}
    check_eq(counts, exp["edge_kinds"], "Neo4j relationship rows per type")
    check_load_cypher(d, node_files, rel_files)
    print(f"neo4j-admin header rules: {len(node_files)} node files, {len(rel_files)} relationship files, all ids resolve")
    return node_files, rel_files


def check_values(f, cols, row, delim):
    for c, v in zip(cols, row):
        if c["role"] == "prop" and v != "":
            try:
                parse_value(c["type"], v, delim)
            except ValueError as err:
                raise Failed(f"{f}: {c['name']}:{c['type']} value {v!r}: {err}")


def split_statements(text):
    """Cypher statements: split at `;` outside quotes, backticks and comments."""
    out, cur, quote, i = [], [], None, 0
    while i < len(text):
        c = text[i]
        if quote:
            cur.append(c)
            if c == "\\" and quote != "`" and i + 1 < len(text):
                cur.append(text[i + 1])
                i += 1
            elif c == quote:
                quote = None
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif c in "'\"`":
            quote = c
            cur.append(c)
        elif c == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    check(quote is None, "load.cypher: unterminated quote")
    rest = "".join(cur).strip()
    check(rest == "", f"load.cypher: statement without a closing semicolon: {rest[:60]!r}")
    return [s.strip() for s in out if s.strip()]


def check_load_cypher(d, node_files, rel_files):
    """Every LOAD CSV names a shipped file and only columns it has;
    constraints come before the first load."""
    text = open(os.path.join(d, "load.cypher"), encoding="utf-8").read()
    statements = split_statements(text)
    first_load = text.find("LOAD CSV")
    check(first_load > text.rfind("CREATE CONSTRAINT"), "load.cypher: constraint after a LOAD CSV")
    for label in node_files:
        check(re.search(rf"FOR \(n:{label}\) REQUIRE n\.id IS UNIQUE", text), f"load.cypher: no constraint on {label}")
    loaded = set()
    for stmt in statements:
        m = re.search(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)'", stmt)
        if not m:
            continue
        f = m[1]
        check(os.path.exists(os.path.join(d, f)), f"load.cypher loads missing {f}")
        with open(os.path.join(d, f), newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        for col in re.findall(r"row\.`([^`]+)`|row\.(\w+)", stmt):
            name = col[0] or col[1]
            check(name in header, f"load.cypher: {f} has no column {name!r}")
        check("IN TRANSACTIONS" in stmt, f"load.cypher: {f} not loaded in batches")
        loaded.add(f)
    shipped = {v[0] for v in node_files.values()} | {v[0] for v in rel_files.values()}
    check_eq(sorted(loaded), sorted(shipped), "files loaded by load.cypher")


KUZU_TYPES = {"string": "STRING", "int": "INT32", "long": "INT64", "double": "DOUBLE", "float": "FLOAT",
              "boolean": "BOOLEAN", "date": "DATE", "short": "INT16", "byte": "INT8"}


def kuzu_type(ty):
    if ty.endswith("[]"):
        return KUZU_TYPES[ty[:-2]] + "[]"
    return KUZU_TYPES[ty]


def kuzu_expr(col, ty, delim):
    if ty == "string":
        return col
    if ty.endswith("[]"):
        inner = ty[:-2]
        split = f"string_split({col}, '{delim}')"
        if inner != "string":
            split = f"list_transform({split}, x -> CAST(x AS {KUZU_TYPES[inner]}))"
        return f"CASE WHEN {col} IS NULL THEN NULL ELSE {split} END"
    return f"CAST({col} AS {kuzu_type(ty)})"


def check_kuzu(d, exp, node_files, rel_files):
    """Loads the Neo4j CSVs into Kuzu (an embedded Cypher database) as they
    are, typed by their headers, and queries them."""
    import kuzu

    delim = ";"
    with tempfile.TemporaryDirectory() as tmp:
        db = kuzu.Database(os.path.join(tmp, "db"))
        conn = kuzu.Connection(db)

        def load(f, cols, keep):
            path = os.path.join(d, f).replace("'", "''")
            names = [f"c{i}" for i in range(len(cols))]
            schema = ", ".join(f"{n} STRING" for n in names)
            exprs = [kuzu_expr(names[i], cols[i]["type"], delim) for i in keep]
            return (f"LOAD WITH HEADERS ({schema}) FROM '{path}' (header=true, parallel=false) "
                    f"RETURN {', '.join(exprs)}")

        for label, (f, cols, _) in node_files.items():
            keep = [i for i, c in enumerate(cols) if c["role"] in ("ID", "prop")]
            defs = ", ".join(f"`{cols[i]['name'] or 'id'}` {kuzu_type(cols[i]['type'])}" for i in keep)
            pk = cols[keep[0]]["name"] or "id"
            conn.execute(f"CREATE NODE TABLE `{label}`({defs}, PRIMARY KEY(`{pk}`))")
            conn.execute(f"COPY `{label}` FROM ({load(f, cols, keep)})")
        for ty, (f, cols, _, src, dst) in rel_files.items():
            s = next(i for i, c in enumerate(cols) if c["role"] == "START_ID")
            e = next(i for i, c in enumerate(cols) if c["role"] == "END_ID")
            props = [i for i, c in enumerate(cols) if c["role"] == "prop"]
            defs = "".join(f", `{cols[i]['name']}` {kuzu_type(cols[i]['type'])}" for i in props)
            conn.execute(f"CREATE REL TABLE `{ty}`(FROM `{src}` TO `{dst}`{defs})")
            conn.execute(f"COPY `{ty}` FROM ({load(f, cols, [s, e] + props)})")

        def rows(q, params=None):
            r = conn.execute(q, params or {})
            out = []
            while r.has_next():
                out.append(r.get_next())
            return out

        for label, n in exp["node_kinds"].items():
            check_eq(rows(f"MATCH (n:`{label}`) RETURN count(n)")[0][0], n, f"Kuzu count of {label}")
        for ty, n in exp["edge_kinds"].items():
            check_eq(rows(f"MATCH ()-[r:`{ty}`]->() RETURN count(r)")[0][0], n, f"Kuzu count of {ty}")
        total = rows("MATCH (n) RETURN count(n)")[0][0]
        check_eq(total, exp["nodes"], "Kuzu total nodes")
        total = rows("MATCH ()-[r]->() RETURN count(r)")[0][0]
        check_eq(total, exp["edges"], "Kuzu total relationships")
        facts = exp.get("facts", {})
        for fact in facts.get("issuers", []):
            got = rows("MATCH (a:Agency)-[:ISSUES]->(p:Program) WHERE p.name = $name RETURN a.name ORDER BY a.name",
                       {"name": fact["program"]})
            check_eq([r[0] for r in got], fact["agencies"], f"Kuzu: issuers of {fact['program']}")
        for fact in facts.get("copies", []):
            got = rows("MATCH (a:Article)-[c:COPIES]->(b:Article) WHERE a.key = $from AND b.key = $to "
                       "RETURN c.lag_days, c.signals, c.confidence, c.evidence",
                       {"from": fact["from"], "to": fact["to"]})
            check_eq([list(r) for r in got], [[fact["lag_days"], fact["signals"], fact["confidence"], fact["evidence"]]],
                     f"Kuzu: COPIES {fact['from']} -> {fact['to']}")
        for fact in facts.get("amounts", []):
            got = rows("MATCH (a:Article)-[r:ANNOUNCES]->(p:Program) WHERE a.key = $art AND p.name = $program "
                       "RETURN r.amount_yuan, r.amounts", {"art": fact["article"], "program": fact["program"]})
            check_eq([list(r) for r in got], [[fact["amount_yuan"], fact["amounts"]]], f"Kuzu: amount of {fact['program']}")
        for fact in facts.get("within", []):
            got = rows("MATCH (a:Region)-[:WITHIN*1..5]->(p:Region) WHERE a.key = $region AND p.category = 'province' "
                       "RETURN p.name", {"region": fact["region"]})
            check_eq([r[0] for r in got], [fact["province"]], f"Kuzu: province of {fact['region']}")
        for node, label in exp["labels"].items():
            kind = node.split(":", 1)[0]
            table = {"bulletin": "Bulletin", "article": "Article", "region": "Region", "agency": "Agency",
                     "program": "Program", "template": "ProgramTemplate"}[kind]
            got = rows(f"MATCH (n:`{table}`) WHERE n.id = $id RETURN n.label", {"id": node})
            check_eq(got, [[label]], f"Kuzu label of {node}")
        print(f"kuzu {kuzu.__version__}: loaded {exp['nodes']} nodes and {exp['edges']} relationships; "
              f"{sum(len(v) for v in facts.values())} facts hold")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    what, outdir, expect = sys.argv[1:]
    with open(expect, encoding="utf-8") as f:
        exp = json.load(f)
    try:
        if what == "graphml":
            check_graphml_networkx(os.path.join(outdir, "graph.graphml"), exp)
            check_graphml_igraph(os.path.join(outdir, "graph.graphml"), exp)
        elif what == "gexf":
            check_gexf_networkx(os.path.join(outdir, "graph.gexf"), exp)
        elif what == "csv":
            check_gephi_csv(outdir, exp)
        elif what == "neo4j":
            d = os.path.join(outdir, "neo4j")
            node_files, rel_files = check_neo4j_rules(d, exp)
            check_kuzu(d, exp, node_files, rel_files)
        else:
            sys.exit(f"unknown check {what!r}")
    except Failed as err:
        print(f"FAILED: {err}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
