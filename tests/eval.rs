//! `policygraph eval` and its library as a researcher uses them: tiny gold
//! and prediction files written to a temporary directory, scored by the
//! matching rules of corpus/gold/README.md.

use std::path::{Path, PathBuf};
use std::process::Command;

use policygraph::eval::{self, Kind};

const FILE: &str = "000_5fd69a67e7dd1237.txt";

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn policygraph() -> Command {
    Command::new(env!("CARGO_BIN_EXE_policygraph"))
}

/// Gold: two articles, the way corpus/gold/sample.gold.jsonl writes them
/// (no id, bulletin or text; optional items marked).
fn gold_lines() -> Vec<String> {
    vec![
        format!(
            r#"{{"source": "{FILE}", "title": "上海七部门联合制发告知书确保国家降电价政策落实到位", "section": "政策举措", "date": null, "province": "上海市",
              "regions": [{{"id": "310000", "name": "上海市", "mentions": ["上海"]}}],
              "agencies": [{{"id": "上海市发展和改革委员会", "name": "上海市发展和改革委员会", "mentions": ["该市发改委", "市发展改革委"]}},
                           {{"id": "上海市房屋管理局", "name": "上海市房屋管理局", "mentions": ["房管局"]}}],
              "programs": [{{"id": "告知书", "name": "关于限时将国家降低工商业电价优惠政策红利传导至终端用户的告知书", "mentions": ["告知书"]}}],
              "amounts": []}}"#
        )
        .replace('\n', " "),
        format!(
            r#"{{"source": "{FILE}", "title": "上海临港新片区 10 大政策助人工智能产业发展", "section": "产业动向", "date": null, "date_optional": true, "province": "上海市",
              "regions": [{{"id": "310000", "name": "上海市", "mentions": ["上海"]}}, {{"id": "临港新片区", "name": "临港新片区", "mentions": ["临港新片区"]}},
                          {{"id": "中国", "name": "中国", "mentions": ["中国"], "optional": true}}],
              "agencies": [], "programs": [],
              "amounts": [{{"text": "最高 5000 万元", "value_yuan": 50000000, "currency": "CNY", "qualifier": "最高"}},
                          {{"text": "百亿级", "value_yuan": 10000000000, "currency": "CNY", "qualifier": null, "optional": true}}]}}"#
        )
        .replace('\n', " "),
    ]
}

/// Predictions in the full articles.jsonl shape (id, bulletin, text, spans,
/// kinds: all ignored by the scoring).
fn pred_line(
    title: &str,
    date: &str,
    regions: &str,
    agencies: &str,
    programs: &str,
    amounts: &str,
) -> String {
    format!(
        r#"{{"id": "000_5fd69a67e7dd1237:01", "source": "corpus/sample/{FILE}", "bulletin": {{"title": "长三角每周要讯", "issue": null, "publisher": null, "date": "2020-10-23"}}, "section": "政策举措", "title": "{title}", "text": "……", "date": {date}, "province": "上海市", "regions": [{regions}], "agencies": [{agencies}], "programs": [{programs}], "amounts": [{amounts}]}}"#
    )
}

#[test]
fn agency_matched_through_a_shared_mention_and_an_optional_item_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(dir.path(), "gold.jsonl", &gold_lines());
    let pred = write(
        dir.path(),
        "pred.jsonl",
        &[
            pred_line(
                "上海七部门联合制发告知书确保国家降电价政策落实到位",
                "null",
                r#"{"id": "310000", "name": "上海市", "mentions": ["上海"], "spans": [{"field": "title", "start": 0, "end": 2}], "kind": "province"}"#,
                // Named differently from the gold, but the surface form 该市发改委 is shared.
                r#"{"id": "上海市发改委", "name": "上海市发改委", "mentions": ["该市发改委"]}, {"id": "国网上海电力", "name": "国网上海电力", "mentions": ["国网上海电力"]}"#,
                r#"{"id": "x", "name": "《关于限时将国家降低工商业电价优惠政策红利传导至终端用户的告知书》", "mentions": []}"#,
                "",
            ),
            pred_line(
                "上海临港新片区10大政策助人工智能产业发展",
                r#""2020-10-23""#,
                r#"{"id": "310000", "name": "上海市", "mentions": ["上海"]}, {"id": "临港新片区", "name": "临港新片区", "mentions": ["新片区"]}, {"id": "中国", "name": "中国", "mentions": ["中国"]}"#,
                "",
                "",
                r#"{"text": "5000 万元", "value_yuan": 50000000, "currency": "CNY", "qualifier": "最高"}, {"text": "10%", "value_yuan": 10, "currency": "CNY"}"#,
            ),
        ],
    );

    let report = eval::evaluate(
        &eval::load_jsonl(&gold).unwrap(),
        &eval::load_jsonl(&pred).unwrap(),
    );
    assert_eq!(
        (
            report.articles.exact,
            report.articles.missing,
            report.articles.extra
        ),
        (2, 0, 0)
    );

    // 上海 ×2 and 临港新片区 hit; the optional 中国 neither counts nor costs.
    let r = report.counts(Kind::Regions);
    assert_eq!((r.tp, r.fp, r.fn_, r.optional), (3, 0, 0, 1));
    // 发改委 hits through its mention; 房管局 is missed; the power company is a false positive.
    let a = report.counts(Kind::Agencies);
    assert_eq!((a.tp, a.fp, a.fn_), (1, 1, 1));
    // The book-title brackets around the predicted name do not matter.
    let p = report.counts(Kind::Programs);
    assert_eq!((p.tp, p.fp, p.fn_), (1, 0, 0));
    // 5000 万 hits; the percentage taken for money is a false positive.
    let m = report.counts(Kind::Amounts);
    assert_eq!((m.tp, m.fp, m.fn_), (1, 1, 0));
    assert!((a.precision() - 0.5).abs() < 1e-9 && (a.recall() - 0.5).abs() < 1e-9);

    // The second article's date is optional in the gold: only the first is scored.
    assert_eq!((report.date.correct, report.date.total), (1, 1));
    assert_eq!((report.province.correct, report.province.total), (2, 2));

    let details = report.details().to_string();
    assert!(
        details.contains("agencies missed: 上海市房屋管理局 (房管局)"),
        "{details}"
    );
    assert!(
        details.contains("agencies false positives: 国网上海电力"),
        "{details}"
    );
    assert!(
        details.contains("amounts false positives: 10 (10%)"),
        "{details}"
    );
}

#[test]
fn a_missing_article_costs_its_entities_and_an_extra_one_its_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(dir.path(), "gold.jsonl", &gold_lines());
    let pred = write(
        dir.path(),
        "pred.jsonl",
        &[pred_line(
            "上海发布十类场景防护须知",
            "null",
            r#"{"id": "310000", "name": "上海市", "mentions": ["上海"]}"#,
            "",
            "",
            "",
        )],
    );
    let report = eval::evaluate(
        &eval::load_jsonl(&gold).unwrap(),
        &eval::load_jsonl(&pred).unwrap(),
    );
    assert_eq!((report.articles.gold, report.articles.pred), (2, 1));
    assert_eq!(
        (
            report.articles.exact,
            report.articles.missing,
            report.articles.extra
        ),
        (0, 2, 1)
    );
    let r = report.counts(Kind::Regions);
    assert_eq!((r.tp, r.fp, r.fn_), (0, 1, 3));
    assert_eq!(report.counts(Kind::Amounts).fn_, 1);
    // Nothing paired, so no field is scored.
    assert_eq!(report.date.total, 0);
    let details = report.details().to_string();
    assert!(details.contains("MISSING ARTICLE"), "{details}");
    assert!(details.contains("EXTRA ARTICLE"), "{details}");
}

#[test]
fn a_malformed_line_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = gold_lines();
    lines.push(String::new());
    lines.push(r#"{"source": "x.txt", "regions": []}"#.to_string());
    let path = write(dir.path(), "gold.jsonl", &lines);
    let err = eval::load_jsonl(&path).unwrap_err().to_string();
    assert!(err.contains("gold.jsonl:4"), "{err}");
    assert!(err.contains("title"), "{err}");
}

#[test]
fn the_command_prints_the_table_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(dir.path(), "gold.jsonl", &gold_lines());
    let pred = write(dir.path(), "pred.jsonl", &gold_lines());
    let out = policygraph()
        .arg("eval")
        .arg("--gold")
        .arg(&gold)
        .arg("--pred")
        .arg(&pred)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("titles matched 2 exactly"), "{stdout}");
    let row = stdout.lines().find(|l| l.starts_with("regions")).unwrap();
    assert!(row.ends_with("1.000   1.000  1.000         1"), "{row}");
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("province") && l.contains("2/2")),
        "{stdout}"
    );

    // --per-article on a perfect prediction lists nothing before the table.
    let out = policygraph()
        .args(["eval", "--per-article", "--gold"])
        .arg(&gold)
        .arg("--pred")
        .arg(&pred)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("articles:"));
}

#[test]
fn the_command_fails_cleanly_without_predictions() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(dir.path(), "gold.jsonl", &gold_lines());
    let out = policygraph()
        .arg("eval")
        .arg("--gold")
        .arg(&gold)
        .arg("--pred")
        .arg(dir.path().join("nope.jsonl"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nope.jsonl"), "{stderr}");
}

/// The shipped gold file reads, covers the five samples, and scores itself perfectly.
#[test]
fn the_bundled_gold_file_scores_itself_perfectly() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/gold/sample.gold.jsonl");
    let gold = eval::load_jsonl(&path).unwrap();
    let files: std::collections::BTreeSet<&str> = gold.iter().map(|a| a.source.as_str()).collect();
    assert_eq!(files.len(), 5, "{files:?}");
    let report = eval::evaluate(&gold, &gold);
    assert_eq!(report.articles.exact, gold.len());
    for kind in Kind::ALL {
        let c = report.counts(kind);
        assert!(c.tp > 0 && c.fp == 0 && c.fn_ == 0, "{kind:?}: {c:?}");
    }
}
