use super::fixtures::{self, date, entity, records};
use super::*;

fn graph() -> PolicyGraph {
    let gaz = fixtures::gazetteer();
    PolicyGraph::build(&records(), fixtures::lookup(&gaz))
}

fn list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::List(l)) => l.clone(),
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn one_node_per_entity_and_bulletin() {
    let g = graph();
    // Two bulletins although three articles.
    let bulletins: Vec<_> = g
        .nodes()
        .into_iter()
        .filter(|n| n.kind == NodeKind::Bulletin)
        .collect();
    assert_eq!(bulletins.len(), 2);
    assert_eq!(bulletins[0].id, "bulletin:000_5fd69a67e7dd1237");
    assert_eq!(bulletins[0].label, "长三角每周要讯 2020 年第 192 期");
    let sh = g.node(NodeKind::Region, "310000").unwrap();
    assert_eq!(sh.id, "region:310000");
    assert_eq!(sh.label, "上海市");
    assert_eq!(sh.prop("category"), Some(&Value::Str("province".into())));
}

#[test]
fn within_chain_reaches_the_province_through_unmentioned_regions() {
    let g = graph();
    // 东台市 → 盐城市 → 江苏省: 盐城 is named by no article.
    assert!(g
        .edge(
            EdgeKind::Within,
            (NodeKind::Region, "320981"),
            (NodeKind::Region, "320900")
        )
        .is_some());
    assert!(g
        .edge(
            EdgeKind::Within,
            (NodeKind::Region, "320900"),
            (NodeKind::Region, "320000")
        )
        .is_some());
    assert_eq!(g.node(NodeKind::Region, "320900").unwrap().label, "盐城市");
    // Zone → district → municipality.
    assert!(g
        .edge(
            EdgeKind::Within,
            (NodeKind::Region, "Z-LINGANG"),
            (NodeKind::Region, "310115")
        )
        .is_some());
    assert!(g
        .edge(
            EdgeKind::Within,
            (NodeKind::Region, "310115"),
            (NodeKind::Region, "310000")
        )
        .is_some());
    // Nothing above a province.
    let from_province = g
        .edges()
        .into_iter()
        .filter(|e| e.edge.kind == EdgeKind::Within && e.source.key == "310000")
        .count();
    assert_eq!(from_province, 0);
}

#[test]
fn ambiguous_regions_get_no_node_but_stay_on_the_article() {
    let g = graph();
    assert!(g.nodes().iter().all(|n| !n.key.starts_with('?')));
    let art = g
        .node(NodeKind::Article, "000_5fd69a67e7dd1237:02")
        .unwrap();
    assert_eq!(list(art.prop("unresolved_regions")), vec!["朝阳区"]);
}

#[test]
fn issuers_are_the_agencies_in_the_programs_sentence() {
    let g = graph();
    let program = (NodeKind::Program, "江苏省科技创新券试点方案");
    for agency in ["江苏省科学技术厅", "江苏省财政厅"] {
        let e = g
            .edge(EdgeKind::Issues, (NodeKind::Agency, agency), program)
            .unwrap();
        assert_eq!(e.prop("basis"), Some(&Value::Str("sentence".into())));
        assert_eq!(list(e.prop("articles")), vec!["003_fefd0e6c0ad8662e:05"]);
        assert_eq!(e.weight, 1);
    }
    let t = g.edge(
        EdgeKind::InstanceOf,
        program,
        (NodeKind::ProgramTemplate, "科技创新券试点方案"),
    );
    assert!(t.is_some());
    assert!(g
        .edge(
            EdgeKind::BelongsTo,
            (NodeKind::Agency, "江苏省财政厅"),
            (NodeKind::Region, "320000")
        )
        .is_some());
}

#[test]
fn amounts_attach_to_the_program_or_agency_of_their_sentence() {
    let g = graph();
    // 最高 50 万元 is in the sentence after the one naming the programme, so
    // it stays on the article only.
    let ann = g
        .edge(
            EdgeKind::Announces,
            (NodeKind::Article, "003_fefd0e6c0ad8662e:05"),
            (NodeKind::Program, "江苏省科技创新券试点方案"),
        )
        .unwrap();
    assert_eq!(ann.prop("amount_yuan"), None);
    let art = g
        .node(NodeKind::Article, "003_fefd0e6c0ad8662e:05")
        .unwrap();
    assert_eq!(art.prop("amount_yuan"), Some(&Value::Int(500_000)));
    // 最高 1000 万元 shares a sentence with 临港新片区 (the committee).
    let acts = g
        .edge(
            EdgeKind::ActsIn,
            (NodeKind::Agency, "临港新片区管委会"),
            (NodeKind::Article, "000_5fd69a67e7dd1237:02"),
        )
        .unwrap();
    assert_eq!(acts.prop("amount_yuan"), Some(&Value::Int(10_000_000)));
    assert_eq!(list(acts.prop("amounts")), vec!["最高 1000 万元"]);
}

#[test]
fn amount_in_the_programs_sentence_goes_to_the_nearest_program() {
    let title = "t";
    let text = "省科技厅印发《甲方案》，给予 100 万元；并发布《乙办法》，另有 200 万元。";
    let mut rec = records().remove(0);
    rec.article.title = title.into();
    rec.article.text = text.into();
    rec.entities.programs = vec![
        entity(title, text, "甲方案", "甲方案", &["甲方案"]),
        entity(title, text, "乙办法", "乙办法", &["乙办法"]),
    ];
    rec.entities.agencies = vec![entity(
        title,
        text,
        "江苏省科学技术厅",
        "江苏省科学技术厅",
        &["省科技厅"],
    )];
    rec.entities.amounts = vec![
        fixtures::amount(text, "100 万元", 1_000_000),
        fixtures::amount(text, "200 万元", 2_000_000),
    ];
    let gaz = fixtures::gazetteer();
    let g = PolicyGraph::build(&[rec], fixtures::lookup(&gaz));
    let art = (NodeKind::Article, "003_fefd0e6c0ad8662e:05");
    let a = g
        .edge(EdgeKind::Announces, art, (NodeKind::Program, "甲方案"))
        .unwrap();
    let b = g
        .edge(EdgeKind::Announces, art, (NodeKind::Program, "乙办法"))
        .unwrap();
    assert_eq!(a.prop("amount_yuan"), Some(&Value::Int(1_000_000)));
    assert_eq!(b.prop("amount_yuan"), Some(&Value::Int(2_000_000)));
    // 乙办法 stands in a sentence (after ；) without the agency, and the
    // article has one agency: issued on the article's evidence.
    let issues = g
        .edge(
            EdgeKind::Issues,
            (NodeKind::Agency, "江苏省科学技术厅"),
            (NodeKind::Program, "乙办法"),
        )
        .unwrap();
    assert_eq!(issues.prop("basis"), Some(&Value::Str("article".into())));
}

#[test]
fn parallel_mentions_become_one_weighted_edge() {
    let mut recs = records();
    // Name 浦东新区 twice in one record, with a second surface form.
    let title = recs[1].article.title.clone();
    let text = recs[1].article.text.clone();
    let mut again = entity(&title, &text, "310115", "浦东新区", &["浦东新区"]);
    again.mentions = vec!["浦东".into()];
    recs[1].entities.regions.push(again);
    let gaz = fixtures::gazetteer();
    let g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let e = g
        .edge(
            EdgeKind::Mentions,
            (NodeKind::Article, "000_5fd69a67e7dd1237:02"),
            (NodeKind::Region, "310115"),
        )
        .unwrap();
    assert_eq!(e.weight, 2);
    assert_eq!(list(e.prop("mentions")), vec!["浦东新区", "浦东"]);
    let count = g
        .edges()
        .into_iter()
        .filter(|v| v.edge.kind == EdgeKind::Mentions && v.target.key == "310115")
        .count();
    assert_eq!(count, 1);
    // Weight counts spans: 临港新片区 is named twice in the body, once in the title.
    let zone = g
        .edge(
            EdgeKind::Mentions,
            (NodeKind::Article, "000_5fd69a67e7dd1237:02"),
            (NodeKind::Region, "Z-LINGANG"),
        )
        .unwrap();
    assert_eq!(zone.weight, 3);
    assert_eq!(zone.prop("in_title"), Some(&Value::Bool(true)));
}

#[test]
fn event_takes_place_in_the_province_and_its_most_named_place() {
    let g = graph();
    let art = (NodeKind::Article, "000_5fd69a67e7dd1237:02");
    let prov = g
        .edge(EdgeKind::TakesPlaceIn, art, (NodeKind::Region, "310000"))
        .unwrap();
    assert_eq!(prov.prop("scope"), Some(&Value::Str("province".into())));
    // 临港新片区 is in the title and named three times; 浦东新区 once.
    let local = g
        .edge(EdgeKind::TakesPlaceIn, art, (NodeKind::Region, "Z-LINGANG"))
        .unwrap();
    assert_eq!(local.prop("scope"), Some(&Value::Str("locality".into())));
    assert!(g
        .edge(EdgeKind::TakesPlaceIn, art, (NodeKind::Region, "310115"))
        .is_none());
    // The Jiangsu article names only its province: one edge.
    let jiangsu = g
        .edges()
        .into_iter()
        .filter(|e| {
            e.edge.kind == EdgeKind::TakesPlaceIn && e.source.key == "003_fefd0e6c0ad8662e:05"
        })
        .map(|e| e.target.key.to_string())
        .collect::<Vec<_>>();
    assert_eq!(jiangsu, vec!["320000"]);
    // No province, no place.
    assert!(g
        .edges()
        .iter()
        .all(|e| !(e.edge.kind == EdgeKind::TakesPlaceIn && e.source.key.ends_with(":03"))));
}

#[test]
fn a_passing_mention_is_not_where_the_event_happens() {
    let mut recs = records();
    let (title, text) = (
        recs[0].article.title.clone(),
        recs[0].article.text.clone() + "盐城等地已报名。",
    );
    recs[0].article.text = text.clone();
    let mut yancheng = entity(&title, &text, "320900", "盐城市", &["盐城"]);
    yancheng.kind = Some("city".into());
    recs[0].entities.regions.push(yancheng.clone());
    let gaz = fixtures::gazetteer();
    let g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let art = (NodeKind::Article, "003_fefd0e6c0ad8662e:05");
    assert!(g
        .edge(EdgeKind::Mentions, art, (NodeKind::Region, "320900"))
        .is_some());
    assert!(g
        .edge(EdgeKind::TakesPlaceIn, art, (NodeKind::Region, "320900"))
        .is_none());
    // Named twice, it is.
    let text = text + "盐城将率先发放。";
    recs[0].article.text = text.clone();
    *recs[0].entities.regions.last_mut().unwrap() = {
        let mut y = entity(&title, &text, "320900", "盐城市", &["盐城"]);
        y.kind = Some("city".into());
        y
    };
    let g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let e = g
        .edge(EdgeKind::TakesPlaceIn, art, (NodeKind::Region, "320900"))
        .unwrap();
    assert_eq!(e.prop("scope"), Some(&Value::Str("locality".into())));
}

#[test]
fn province_known_only_by_name_is_found_among_all_regions() {
    let mut recs = records();
    // The Jiangsu article without any region of its own: 江苏省 is known as
    // the parent of 东台市 from another article.
    recs[0].entities.regions.clear();
    let gaz = fixtures::gazetteer();
    let g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let e = g.edge(
        EdgeKind::TakesPlaceIn,
        (NodeKind::Article, "003_fefd0e6c0ad8662e:05"),
        (NodeKind::Region, "320000"),
    );
    assert!(e.is_some());
}

#[test]
fn article_and_edge_dates() {
    let g = graph();
    let a = g
        .node(NodeKind::Article, "000_5fd69a67e7dd1237:02")
        .unwrap();
    assert_eq!(a.time, Some(date(2020, 10, 20)));
    assert_eq!(a.prop("event_date"), Some(&Value::Date(date(2020, 10, 20))));
    assert_eq!(a.prop("published"), Some(&Value::Date(date(2020, 10, 23))));
    // Without an event date the bulletin date is the timeline date.
    let b = g
        .node(NodeKind::Article, "003_fefd0e6c0ad8662e:05")
        .unwrap();
    assert_eq!(b.time, Some(date(2020, 10, 16)));
    assert_eq!(b.prop("event_date"), None);
    let e = g
        .edge(
            EdgeKind::InBulletin,
            (NodeKind::Article, "000_5fd69a67e7dd1237:02"),
            (NodeKind::Bulletin, "000_5fd69a67e7dd1237"),
        )
        .unwrap();
    assert_eq!(e.time, Some((date(2020, 10, 20), date(2020, 10, 23))));
    assert_eq!(e.prop("position"), Some(&Value::Int(2)));
    let w = g
        .edge(
            EdgeKind::Within,
            (NodeKind::Region, "310115"),
            (NodeKind::Region, "310000"),
        )
        .unwrap();
    assert_eq!(w.time, None);
}

#[test]
fn every_value_fits_its_declared_type() {
    let g = graph();
    for n in g.nodes() {
        for (name, v) in n.props.iter() {
            let def = n.kind.properties().iter().find(|d| d.name == name);
            let def = def.unwrap_or_else(|| panic!("{} has undeclared property {name}", n.kind));
            assert!(v.fits(def.ty), "{}.{name} = {v:?}", n.kind);
        }
    }
    for e in g.edges() {
        assert_eq!(e.source.kind, e.edge.kind.source());
        assert_eq!(e.target.kind, e.edge.kind.target());
        for (name, v) in e.edge.props.iter() {
            let def = e.edge.kind.properties().iter().find(|d| d.name == name);
            let def =
                def.unwrap_or_else(|| panic!("{} has undeclared property {name}", e.edge.kind));
            assert!(v.fits(def.ty), "{}.{name} = {v:?}", e.edge.kind);
        }
    }
}

#[test]
fn order_is_stable_and_independent_of_insertion() {
    let g1 = graph();
    let mut recs = records();
    recs.reverse();
    let gaz = fixtures::gazetteer();
    let g2 = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let ids = |g: &PolicyGraph| g.nodes().iter().map(|n| n.id.clone()).collect::<Vec<_>>();
    let eids = |g: &PolicyGraph| {
        g.edges()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {}",
                    e.edge.kind, e.source.id, e.target.id, e.edge.weight
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&g1), ids(&g2));
    assert_eq!(eids(&g1), eids(&g2));
    let kinds: Vec<_> = g1.nodes().iter().map(|n| n.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn add_copies_validates_then_adds_and_keeps_the_best() {
    let mut g = graph();
    let copy = |from: &str, to: &str, score: f64| CopyEdge {
        from: from.into(),
        to: to.into(),
        score,
        confidence: "high".into(),
        lag_days: Some(4),
        signals: vec!["template".into(), "text_reuse".into()],
        evidence: "科技创新券".into(),
    };
    let a = "003_fefd0e6c0ad8662e:05";
    let b = "000_5fd69a67e7dd1237:02";
    let before = g.edge_count();
    let err = g
        .add_copies([copy(a, b, 0.9), copy(a, "nope", 0.5)])
        .unwrap_err();
    assert_eq!(err, GraphError::UnknownArticle("nope".into()));
    assert_eq!(g.edge_count(), before, "a rejected batch adds nothing");
    assert!(matches!(
        g.add_copies([copy(a, a, 0.5)]),
        Err(GraphError::SelfCopy(_))
    ));
    assert!(matches!(
        g.add_copies([copy(a, b, f64::NAN)]),
        Err(GraphError::BadScore { .. })
    ));

    assert_eq!(
        g.add_copies([copy(a, b, 0.5), copy(a, b, 0.9), copy(a, b, 0.7)]),
        Ok(1)
    );
    let e = g
        .edge(
            EdgeKind::Copies,
            (NodeKind::Article, a),
            (NodeKind::Article, b),
        )
        .unwrap();
    assert_eq!(e.prop("score"), Some(&Value::Double(0.9)));
    assert_eq!(e.prop("lag_days"), Some(&Value::Int(4)));
    assert_eq!(list(e.prop("signals")), vec!["template", "text_reuse"]);
    assert_eq!(e.time, Some((date(2020, 10, 16), date(2020, 10, 20))));
    assert_eq!(e.prop("date"), Some(&Value::Date(date(2020, 10, 20))));
}

#[test]
fn records_without_spans_still_count_mentions() {
    let mut recs = records();
    for r in &mut recs[0].entities.regions {
        r.spans.clear();
    }
    let gaz = fixtures::gazetteer();
    let g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    let e = g
        .edge(
            EdgeKind::Mentions,
            (NodeKind::Article, "003_fefd0e6c0ad8662e:05"),
            (NodeKind::Region, "320000"),
        )
        .unwrap();
    assert_eq!(e.weight, 1);
    assert_eq!(e.prop("in_title"), Some(&Value::Bool(false)));
}

/// Every node and edge of a graph file, as exports read them.
fn dump(file: &GraphFile) -> (Vec<Node>, Vec<(String, String, Edge)>) {
    let mut nodes = Vec::new();
    file.each_node(None, &mut |n| {
        nodes.push(n.clone());
        Ok(())
    })
    .unwrap();
    let mut edges = Vec::new();
    file.each_edge(None, &mut |e| {
        edges.push((
            e.source.id.to_string(),
            e.target.id.to_string(),
            e.edge.clone(),
        ));
        Ok(())
    })
    .unwrap();
    (nodes, edges)
}

#[test]
fn a_graph_sorted_on_disk_is_the_graph_sorted_in_memory() {
    let gaz = fixtures::gazetteer();
    // The fixtures again under other ids: more statements than the budget.
    let mut all = records();
    for round in 1..4 {
        for r in records() {
            let mut r = r.clone();
            r.article.id = format!("{}{round}", r.article.id);
            all.push(r);
        }
    }
    let mut memory = GraphBuilder::new(fixtures::lookup(&gaz));
    let dir = tempfile::tempdir().unwrap();
    let mut disk = GraphBuilder::spilling_in(dir.path(), 512, fixtures::lookup(&gaz));
    for r in &all {
        memory.add(r).unwrap();
        disk.add(r).unwrap();
    }
    let (memory, disk) = (memory.finish().unwrap(), disk.finish().unwrap());
    assert!(disk.node_count() > 10 && disk.edge_count() > 20);
    assert_eq!(dump(&memory), dump(&disk));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "temporary files are unlinked"
    );
    // And the same as loading it into memory and sorting it there.
    let loaded = PolicyGraph::load(&disk).unwrap();
    let ids: Vec<String> = loaded.nodes().iter().map(|n| n.id.clone()).collect();
    assert_eq!(
        ids,
        dump(&disk)
            .0
            .iter()
            .map(|n| n.id.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(loaded.edge_count() as u64, disk.edge_count());
}

#[test]
fn an_article_given_twice_is_one_node_with_its_statements_merged() {
    let gaz = fixtures::gazetteer();
    let mut recs = records();
    let again = recs[0].clone();
    recs.push(again);
    let once = PolicyGraph::build(&records(), fixtures::lookup(&gaz));
    let twice = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    assert_eq!(once.node_count(), twice.node_count());
    assert_eq!(once.edge_count(), twice.edge_count());
    let id = recs[0].article.id.as_str();
    let mentions = |g: &PolicyGraph| -> Vec<u32> {
        g.edges()
            .iter()
            .filter(|e| e.edge.kind == EdgeKind::Mentions && e.source.key == id)
            .map(|e| e.edge.weight)
            .collect()
    };
    let (a, b) = (mentions(&once), mentions(&twice));
    assert!(!a.is_empty());
    assert_eq!(
        b,
        a.iter().map(|w| w * 2).collect::<Vec<_>>(),
        "weights add up"
    );
}

#[test]
fn copies_stated_by_the_builder_match_those_added_in_memory() {
    let gaz = fixtures::gazetteer();
    let recs = records();
    let copy = CopyEdge {
        from: recs[0].article.id.clone(),
        to: recs[1].article.id.clone(),
        score: 0.75,
        confidence: "high".into(),
        lag_days: Some(3),
        signals: vec!["template".into()],
        evidence: "创新券".into(),
    };
    let mut g = PolicyGraph::build(&recs, fixtures::lookup(&gaz));
    g.add_copies([copy.clone()]).unwrap();
    let mut b = GraphBuilder::new(fixtures::lookup(&gaz));
    for r in &recs {
        b.add(r).unwrap();
    }
    let mut unknown = copy.clone();
    unknown.to = "nowhere:01".into();
    let err = b.add_copies([copy.clone(), unknown]).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("nowhere:01"), "{err}");
    b.add_copies([copy]).unwrap();
    let file = b.finish().unwrap();
    let loaded = PolicyGraph::load(&file).unwrap();
    let edge = |g: &PolicyGraph| {
        g.edge(
            EdgeKind::Copies,
            (NodeKind::Article, &recs[0].article.id),
            (NodeKind::Article, &recs[1].article.id),
        )
        .cloned()
    };
    assert!(edge(&g).is_some());
    assert_eq!(edge(&g), edge(&loaded));
}
