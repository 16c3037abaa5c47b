//! The exports, loaded by the real clients researchers use: networkx,
//! python-igraph and Kuzu (Python), graphology-graphml and graphology-gexf
//! (Node). `tests/clients/setup.sh` installs them (once, cached under
//! `target/clients/`); a test FAILS, never skips, when they cannot be
//! installed or run.
//!
//! The input is synthetic records with nasty text (`<`, `&`, `]]>`, quotes,
//! commas, newlines, U+0001, U+FFFE) built the way the extractor builds them,
//! plus, when `output/` holds a pipeline run, that real output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use serde_json::{json, Value as Json};

use policygraph::export::{self, gexf, graphml, Format};
use policygraph::graph::schema::{all_properties, EdgeKind, NodeKind};
use policygraph::graph::{CopyEdge, PolicyGraph};
use policygraph::record::{
    Amount, Article, ArticleRecord, BulletinMeta, Entities, EntityRef, Field, RegionInfo, Span,
};

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where the tests write their exports: cargo's scratch directory for
/// integration tests (`target/tmp/interop/`), kept for inspection.
fn work_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("interop")
}

// --- clients -----------------------------------------------------------------

struct Clients {
    python: PathBuf,
    node_path: PathBuf,
}

/// Installs the clients once per test process (setup.sh itself takes a file
/// lock, so concurrent test processes share one install).
fn clients() -> &'static Clients {
    static CLIENTS: OnceLock<Result<Clients, String>> = OnceLock::new();
    let result = CLIENTS.get_or_init(|| {
        let cache = std::env::var_os("POLICYGRAPH_CLIENTS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| crate_dir().join("target/clients"));
        let out = Command::new("bash")
            .arg(crate_dir().join("tests/clients/setup.sh"))
            .arg(&cache)
            .output()
            .map_err(|e| format!("cannot run tests/clients/setup.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "tests/clients/setup.sh failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(Clients {
            python: cache.join("venv/bin/python"),
            node_path: cache.join("node/node_modules"),
        })
    });
    match result {
        Ok(c) => c,
        Err(e) => panic!("interop clients unavailable, so the exports are unverified:\n{e}"),
    }
}

fn run(mut cmd: Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}{stderr}",
        out.status
    );
    print!("{stdout}");
    stdout
}

fn python_check(check: &str, dir: &Path) -> String {
    let c = clients();
    let mut cmd = Command::new(&c.python);
    cmd.arg(crate_dir().join("tests/clients/check.py"))
        .arg(check)
        .arg(dir)
        .arg(dir.join("expect.json"));
    run(cmd, &format!("check.py {check} {}", dir.display()))
}

fn graphology_check(dir: &Path) -> String {
    let c = clients();
    let mut cmd = Command::new("node");
    cmd.env("NODE_PATH", &c.node_path)
        .arg(crate_dir().join("tests/clients/check_graphology.js"))
        .arg(dir)
        .arg(dir.join("expect.json"));
    run(cmd, &format!("check_graphology.js {}", dir.display()))
}

// --- synthetic input -----------------------------------------------------------

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn spans(field: Field, hay: &str, needle: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = hay[from..].find(needle) {
        let byte = from + at;
        let start = hay[..byte].chars().count();
        out.push(Span {
            field,
            start,
            end: start + needle.chars().count(),
        });
        from = byte + needle.len();
    }
    out
}

fn entity(title: &str, text: &str, id: &str, forms: &[&str]) -> EntityRef {
    let mut all: Vec<Span> = Vec::new();
    for f in forms {
        all.extend(spans(Field::Title, title, f));
        all.extend(spans(Field::Text, text, f));
    }
    all.sort();
    EntityRef {
        id: id.into(),
        name: id.trim_start_matches('?').into(),
        mentions: forms.iter().map(|s| s.to_string()).collect(),
        spans: all,
        ..EntityRef::default()
    }
}

fn program(title: &str, text: &str, name: &str, template: &str, forms: &[&str]) -> EntityRef {
    let mut e = entity(title, text, name, forms);
    e.kind = Some("document".into());
    e.template = Some(template.into());
    e
}

fn agency(title: &str, text: &str, name: &str, region: &str, forms: &[&str]) -> EntityRef {
    let mut e = entity(title, text, name, forms);
    e.kind = Some("province".into());
    e.parent = Some(region.into());
    e
}

fn amount(text: &str, surface: &str, yuan: i64) -> Amount {
    Amount {
        text: surface.into(),
        value_yuan: yuan,
        currency: "CNY".into(),
        qualifier: surface.starts_with("最高").then(|| "最高".to_string()),
        span: spans(Field::Text, text, surface).first().copied(),
    }
}

fn gazetteer() -> BTreeMap<String, RegionInfo> {
    let rows = [
        ("310000", "上海市", "province", None),
        ("310115", "浦东新区", "county", Some("310000")),
        ("320000", "江苏省", "province", None),
        ("320900", "盐城市", "city", Some("320000")),
        ("320981", "东台市", "county", Some("320900")),
        ("Z-LINGANG", "临港新片区", "zone", Some("310115")),
        ("Z-NASTY", "测试<区>&\"引号\"'单'", "zone", Some("320000")),
    ];
    rows.iter()
        .map(|(id, name, kind, parent)| {
            let info = RegionInfo {
                id: id.to_string(),
                name: name.to_string(),
                kind: kind.to_string(),
                parent: parent.map(str::to_string),
            };
            (id.to_string(), info)
        })
        .collect()
}

fn region(
    gaz: &BTreeMap<String, RegionInfo>,
    title: &str,
    text: &str,
    id: &str,
    forms: &[&str],
) -> EntityRef {
    let info = &gaz[id];
    let mut e = entity(title, text, id, forms);
    e.name = info.name.clone();
    e.kind = Some(info.kind.clone());
    e.parent = info.parent.clone();
    e
}

fn meta(day: Option<u32>, issue: &str) -> BulletinMeta {
    BulletinMeta {
        title: Some("长三角每周要讯".into()),
        issue: Some(issue.into()),
        publisher: Some("浙江省人民政府驻上海办事处".into()),
        date: day.map(|d| date(2020, 10, d)),
    }
}

const VOUCHER: &str = "江苏省科技创新券试点方案";
const NASTY_TITLE: &str = "“A&B” <测试> ]]> 'q' \"dq\", x\u{1}y\u{FFFE}z";
const NASTY_AGENCY: &str = "测试<局>&\"委员会\"";
const NASTY_PROGRAM: &str = "“一网通办”,\n改革;试点 ]]>";

fn records(gaz: &BTreeMap<String, RegionInfo>) -> Vec<ArticleRecord> {
    let mut out = Vec::new();

    let title = "江苏启动科技创新券试点";
    let text = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，首期安排资金最高 5000 万元。\n\
                江苏省科技创新券主要通过省级财政资金后补助的方式，对企业购买科技服务给予相应补助。盐城、东台率先试点。";
    out.push(ArticleRecord {
        article: Article {
            id: "003_fefd0e6c0ad8662e:05".into(),
            source: "corpus/sample/003_fefd0e6c0ad8662e.txt".into(),
            bulletin: meta(Some(16), "2020 年第 191 期"),
            section: Some("政策举措".into()),
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: Some(date(2020, 10, 12)),
            date_source: None,
            province: Some("江苏省".into()),
            regions: vec![
                region(gaz, title, text, "320000", &["江苏"]),
                region(gaz, title, text, "320900", &["盐城"]),
                region(gaz, title, text, "320981", &["东台"]),
            ],
            agencies: vec![
                agency(title, text, "江苏省科学技术厅", "320000", &["江苏省科技厅"]),
                agency(title, text, "江苏省财政厅", "320000", &["省财政厅"]),
            ],
            programs: vec![program(
                title,
                text,
                VOUCHER,
                "科技创新券试点方案",
                &[VOUCHER],
            )],
            amounts: vec![amount(text, "最高 5000 万元", 50_000_000)],
        },
    });

    let title = "上海临港新片区推出科技创新券";
    let text = "10 月 20 日，临港新片区管委会印发《临港新片区科技创新券试点方案》，对企业给予最高 100 万元补贴。\
                浦东新区、临港新片区将共同推进。朝阳区代表团参加。";
    let mut ambiguous = entity(title, text, "?朝阳区", &["朝阳区"]);
    ambiguous.candidates = vec!["110105".into(), "220104".into()];
    let mut committee = agency(
        title,
        text,
        "临港新片区管委会",
        "Z-LINGANG",
        &["临港新片区管委会"],
    );
    committee.kind = Some("zone".into());
    out.push(ArticleRecord {
        article: Article {
            id: "000_5fd69a67e7dd1237:02".into(),
            source: "corpus/sample/000_5fd69a67e7dd1237.txt".into(),
            bulletin: meta(Some(23), "2020 年第 192 期"),
            section: Some("产业动向".into()),
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: Some(date(2020, 10, 20)),
            date_source: None,
            province: Some("上海市".into()),
            regions: vec![
                region(gaz, title, text, "310000", &["上海"]),
                region(gaz, title, text, "Z-LINGANG", &["临港新片区"]),
                region(gaz, title, text, "310115", &["浦东新区"]),
                ambiguous,
            ],
            agencies: vec![committee],
            programs: vec![program(
                title,
                text,
                "临港新片区科技创新券试点方案",
                "科技创新券试点方案",
                &["临港新片区科技创新券试点方案"],
            )],
            amounts: vec![amount(text, "最高 100 万元", 1_000_000)],
        },
    });

    let title = NASTY_TITLE;
    let text = "第一行，含逗号, 和 \"引号\"\n测试<局>&\"委员会\"发布“一网通办”,\n改革;试点 ]]>，资金 3 亿元；\u{0}结束\u{FFFF}。测试区";
    let mut nasty_region = region(gaz, title, text, "Z-NASTY", &["测试区"]);
    nasty_region.mentions = vec!["测试区".into(), "a;b".into()];
    out.push(ArticleRecord {
        article: Article {
            id: "000_5fd69a67e7dd1237:03".into(),
            source: "corpus/sample/000_5fd69a67e7dd1237.txt".into(),
            bulletin: meta(Some(23), "2020 年第 192 期"),
            section: Some("a,b\n\"c\" & <d>".into()),
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: None,
            date_source: None,
            province: Some("江苏省".into()),
            regions: vec![nasty_region],
            agencies: vec![agency(
                title,
                text,
                NASTY_AGENCY,
                "Z-NASTY",
                &[NASTY_AGENCY],
            )],
            programs: vec![program(
                title,
                text,
                NASTY_PROGRAM,
                "一网通办",
                &[NASTY_PROGRAM],
            )],
            amounts: vec![amount(text, "3 亿元", 300_000_000)],
        },
    });

    // A bulletin that printed no date, an article without entities.
    out.push(ArticleRecord {
        article: Article {
            id: "004_41d73a1e40dfc479:01".into(),
            source: "corpus/sample/004_41d73a1e40dfc479.txt".into(),
            bulletin: BulletinMeta::default(),
            section: None,
            title: "无日期的文章".into(),
            text: "正文。".into(),
            ..Default::default()
        },
        entities: Entities::default(),
    });
    out
}

fn copies() -> Vec<CopyEdge> {
    vec![CopyEdge {
        from: "003_fefd0e6c0ad8662e:05".into(),
        to: "000_5fd69a67e7dd1237:02".into(),
        score: 0.87,
        confidence: "high".into(),
        lag_days: Some(8),
        signals: vec!["template".into(), "text_reuse".into()],
        evidence: "科技创新券试点方案\n“共享段落”, 320/390; 盐城".into(),
    }]
}

// --- expectations ----------------------------------------------------------------

fn attr_types(for_nodes: bool, gexf_types: bool) -> BTreeMap<String, String> {
    let ty = |t| {
        if gexf_types {
            gexf::attr_type(t)
        } else {
            graphml::attr_type(t)
        }
    };
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    if for_nodes {
        out.insert("kind".into(), "string".into());
        out.insert("key".into(), "string".into());
        if !gexf_types {
            out.insert("label".into(), "string".into());
        }
    } else if !gexf_types {
        out.insert("label".into(), "string".into());
        out.insert("kind".into(), "string".into());
    }
    for def in all_properties(for_nodes) {
        out.insert(def.name.to_string(), ty(def.ty).to_string());
    }
    out
}

fn expectations(
    nodes: &[(String, String, String)],
    edges: &[String],
    labels: BTreeMap<String, String>,
) -> Json {
    let mut node_kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, kind) in nodes {
        *node_kinds.entry(kind).or_default() += 1;
    }
    let mut edge_kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for kind in edges {
        *edge_kinds.entry(kind).or_default() += 1;
    }
    json!({
        "nodes": nodes.len(),
        "edges": edges.len(),
        "node_kinds": node_kinds,
        "edge_kinds": edge_kinds,
        "node_attrs": attr_types(true, false),
        "edge_attrs": attr_types(false, false),
        "gexf_node_attrs": attr_types(true, true),
        "gexf_edge_attrs": attr_types(false, true),
        "labels": labels,
    })
}

/// The synthetic graph, exported once per test process into
/// `target/tmp/interop/synthetic` (deterministic, so concurrent processes write
/// the same bytes), with its `expect.json`.
fn synthetic() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let gaz = gazetteer();
        let records = records(&gaz);
        let mut graph = PolicyGraph::build(&records, |id: &str| gaz.get(id).cloned());
        assert_eq!(graph.add_copies(copies()).unwrap(), 1);
        let dir = work_dir().join("synthetic");
        export::write_all(&graph, &records, &dir, &Format::ALL).unwrap();

        let nodes: Vec<(String, String, String)> = graph
            .nodes()
            .iter()
            .map(|n| (n.id.clone(), n.label.clone(), n.kind.label().to_string()))
            .collect();
        let edges: Vec<String> = graph
            .edges()
            .iter()
            .map(|e| e.edge.kind.name().to_string())
            .collect();
        // Every kind of node and edge occurs, so every file and table is exercised.
        for kind in NodeKind::ALL {
            assert!(
                nodes.iter().any(|n| n.2 == kind.label()),
                "fixture lacks {kind}"
            );
        }
        for kind in EdgeKind::ALL {
            assert!(
                edges.iter().any(|e| e == kind.name()),
                "fixture lacks {kind}"
            );
        }
        let cleaned_title = NASTY_TITLE.replace(['\u{1}', '\u{FFFE}'], "");
        let labels: BTreeMap<String, String> = [
            ("article:000_5fd69a67e7dd1237:03".to_string(), cleaned_title),
            (format!("agency:{NASTY_AGENCY}"), NASTY_AGENCY.to_string()),
            (
                format!("program:{NASTY_PROGRAM}"),
                NASTY_PROGRAM.to_string(),
            ),
            ("region:Z-NASTY".to_string(), gaz["Z-NASTY"].name.clone()),
            ("region:320900".to_string(), "盐城市".to_string()),
        ]
        .into_iter()
        .collect();
        let mut exp = expectations(&nodes, &edges, labels);
        let mut issuers = vec!["江苏省科学技术厅".to_string(), "江苏省财政厅".to_string()];
        issuers.sort();
        exp["must_see_attrs"] = json!([
            "amount_yuan",
            "in_title",
            "score",
            "lag_days",
            "position",
            "date",
            "amounts",
            "mentions",
            "signals"
        ]);
        let copy = &copies()[0];
        exp["facts"] = json!({
            "issuers": [{"program": VOUCHER, "agencies": issuers}],
            "copies": [{
                "from": copy.from, "to": copy.to, "lag_days": copy.lag_days,
                "signals": copy.signals, "confidence": copy.confidence, "evidence": copy.evidence,
            }],
            "amounts": [{"article": "003_fefd0e6c0ad8662e:05", "program": VOUCHER,
                         "amount_yuan": 50_000_000, "amounts": ["最高 5000 万元"]}],
            "within": [{"region": "320981", "province": "江苏省"}],
        });
        let exp = serde_json::to_string_pretty(&exp).unwrap();
        export::write_atomic(&dir.join("expect.json"), |w| w.write_all(exp.as_bytes())).unwrap();
        dir
    })
}

// --- the checks -------------------------------------------------------------------

#[test]
fn graphml_loads_in_networkx_and_igraph() {
    let out = python_check("graphml", synthetic());
    assert!(out.contains("read_graphml") && out.contains("Read_GraphML"));
}

#[test]
fn gexf_loads_in_networkx_with_its_timeline() {
    let out = python_check("gexf", synthetic());
    assert!(out.contains("read_gexf"));
}

#[test]
fn graphml_and_gexf_load_in_graphology() {
    let out = graphology_check(synthetic());
    assert!(out.contains("graphology-graphml") && out.contains("graphology-gexf"));
}

#[test]
fn gephi_csv_is_directed_and_complete() {
    python_check("csv", synthetic());
}

#[test]
fn neo4j_files_follow_import_rules_and_load_into_kuzu() {
    let out = python_check("neo4j", synthetic());
    assert!(
        out.contains("kuzu") && out.contains("4 facts hold"),
        "{out}"
    );
}

/// A checker that passes everything proves nothing: break a file and watch
/// each client notice.
#[test]
fn checks_catch_broken_exports() {
    let src = synthetic();
    let dir = work_dir().join("broken");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(src, &dir);
    // A relationship pointing at a node that does not exist.
    let rel = dir.join("neo4j/rels_MENTIONS.csv");
    let mut text = std::fs::read_to_string(&rel).unwrap();
    text.push_str("article:nope,region:310000,1,,,,MENTIONS\n");
    std::fs::write(&rel, text).unwrap();
    // A GraphML edge dropped.
    let gml = dir.join("graph.graphml");
    let text = std::fs::read_to_string(&gml).unwrap();
    let start = text.find("<edge ").unwrap();
    let end = start + text[start..].find("</edge>").unwrap() + "</edge>".len();
    std::fs::write(&gml, format!("{}{}", &text[..start], &text[end..])).unwrap();

    for (check, needle) in [
        ("neo4j", "START_ID 'article:nope'"),
        ("graphml", "edge count"),
    ] {
        let c = clients();
        let out = Command::new(&c.python)
            .arg(crate_dir().join("tests/clients/check.py"))
            .arg(check)
            .arg(&dir)
            .arg(dir.join("expect.json"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "check {check} passed a broken export"
        );
        assert!(stderr.contains(needle), "check {check}: {stderr}");
    }
    let out = Command::new("node")
        .env("NODE_PATH", &clients().node_path)
        .arg(crate_dir().join("tests/clients/check_graphology.js"))
        .arg(&dir)
        .arg(dir.join("expect.json"))
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "graphology check passed a broken GraphML"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The pipeline's real output (`cargo run -- build` writes `output/`), when
/// there is one: expectations come from its `nodes.csv` and `edges.csv`, so
/// every format must agree with the spreadsheet export.
#[test]
fn real_output_loads_in_every_client() {
    let output = crate_dir().join("output");
    if !output.join("graph.graphml").exists() || !output.join("nodes.csv").exists() {
        eprintln!(
            "no pipeline output in {}: checked the synthetic graph only",
            output.display()
        );
        return;
    }
    let read = |name: &str| -> Vec<Vec<String>> {
        let mut r = csv::Reader::from_path(output.join(name)).unwrap();
        r.records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let nodes: Vec<(String, String, String)> = read("nodes.csv")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    let edges: Vec<String> = read("edges.csv")
        .into_iter()
        .map(|r| r[3].clone())
        .collect();
    let labels: BTreeMap<String, String> = nodes
        .iter()
        .step_by((nodes.len() / 7).max(1))
        .map(|(id, label, _)| (id.clone(), label.clone()))
        .collect();
    let exp = expectations(&nodes, &edges, labels);
    // The checkers read OUTDIR/expect.json: work on a copy, never write into output/.
    let dir = work_dir().join("real");
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&output, &dir);
    std::fs::write(
        dir.join("expect.json"),
        serde_json::to_string_pretty(&exp).unwrap(),
    )
    .unwrap();
    for check in ["graphml", "gexf", "csv", "neo4j"] {
        python_check(check, &dir);
    }
    graphology_check(&dir);
}

/// The pipeline's real records (`output/articles.jsonl`, whatever stage has
/// written it): the graph built from them, exported and loaded by every
/// client, so real titles and real volumes go through the same checks.
#[test]
fn real_records_export_loads_in_every_client() {
    let jsonl = crate_dir().join("output/articles.jsonl");
    let Ok(text) = std::fs::read_to_string(&jsonl) else {
        eprintln!("no {}: checked the synthetic graph only", jsonl.display());
        return;
    };
    let records: Vec<ArticleRecord> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| {
                panic!(
                    "{} line {}: not an ArticleRecord: {e}",
                    jsonl.display(),
                    i + 1
                )
            })
        })
        .collect();
    assert!(!records.is_empty());
    // Without the gazetteer: regions are known from what the records say.
    let graph = PolicyGraph::build(&records, |_: &str| None);
    let dir = work_dir().join("real-records");
    let _ = std::fs::remove_dir_all(&dir);
    export::write_all(&graph, &records, &dir, &Format::ALL).unwrap();
    let nodes: Vec<(String, String, String)> = graph
        .nodes()
        .iter()
        .map(|n| (n.id.clone(), n.label.clone(), n.kind.label().to_string()))
        .collect();
    let edges: Vec<String> = graph
        .edges()
        .iter()
        .map(|e| e.edge.kind.name().to_string())
        .collect();
    let labels: BTreeMap<String, String> = graph
        .nodes()
        .iter()
        .step_by((nodes.len() / 7).max(1))
        .map(|n| {
            (
                n.id.clone(),
                policygraph::export::text::clean(&n.label).into_owned(),
            )
        })
        .collect();
    let exp = expectations(&nodes, &edges, labels);
    std::fs::write(
        dir.join("expect.json"),
        serde_json::to_string_pretty(&exp).unwrap(),
    )
    .unwrap();
    for check in ["graphml", "gexf", "csv", "neo4j"] {
        python_check(check, &dir);
    }
    graphology_check(&dir);
    // articles.jsonl round-trips: the same records, in the same order.
    let back = std::fs::read_to_string(dir.join("articles.jsonl")).unwrap();
    let back: Vec<ArticleRecord> = back
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, records);
}
