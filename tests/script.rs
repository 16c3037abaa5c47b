//! Traditional script through the real binary: the same bulletin printed in
//! simplified script (UTF-8), in traditional script (UTF-8) and in
//! traditional script saved as Big5 yields the same articles and the same
//! entities; titles and mentions stay as printed in each file's script.

use std::path::Path;
use std::process::Command;

use policygraph::script;

const SIMPLIFIED: &str = "长三角每周要讯

2020 年第 192 期

江苏省科技厅印发《江苏省科技创新券试点方案》

近日，江苏省科技厅印发《江苏省科技创新券试点方案》，苏州、无锡率先试点，对科技型中小企业给予最高 50 万元补助。

上海市发展和改革委员会发布通知

上海市发展和改革委员会发布通知，临港新片区启动建设，浦东新区将设立 10 亿元产业基金。
";

const TRADITIONAL: &str = "長三角每週要訊

2020 年第 192 期

江蘇省科技廳印發《江蘇省科技創新券試點方案》

近日，江蘇省科技廳印發《江蘇省科技創新券試點方案》，蘇州、無錫率先試點，對科技型中小企業給予最高 50 萬元補助。

上海市發展和改革委員會發布通知

上海市發展和改革委員會發布通知，臨港新片區啟動建設，浦東新區將設立 10 億元產業基金。
";

fn articles(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("articles.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Entity ids of one kind, in order.
fn ids(article: &serde_json::Value, kind: &str) -> Vec<String> {
    article[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn traditional_script_and_big5_give_the_entities_of_simplified_script() {
    // The two texts differ only in script.
    assert_eq!(script::simplified(TRADITIONAL), SIMPLIFIED);
    let (big5, _, unmappable) = encoding_rs::BIG5.encode(TRADITIONAL);
    assert!(!unmappable);
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("a_simplified.txt"), SIMPLIFIED).unwrap();
    std::fs::write(input.path().join("b_traditional.txt"), TRADITIONAL).unwrap();
    std::fs::write(input.path().join("c_big5.txt"), &big5).unwrap();
    let result = Command::new(env!("CARGO_BIN_EXE_policygraph"))
        .arg("build")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    let all = articles(out.path());
    let of = |source: &str| -> Vec<&serde_json::Value> {
        all.iter().filter(|a| a["source"] == source).collect()
    };
    let (simp, trad, big5) = (
        of("a_simplified.txt"),
        of("b_traditional.txt"),
        of("c_big5.txt"),
    );
    assert_eq!(simp.len(), 2, "{all:#?}");
    assert_eq!((trad.len(), big5.len()), (2, 2));
    for ((s, t), b) in simp.iter().zip(&trad).zip(&big5) {
        // Titles and texts as printed, each in its own script.
        assert_eq!(t["title"], b["title"]);
        assert_eq!(t["text"], b["text"]);
        let title = t["title"].as_str().unwrap();
        assert_eq!(script::simplified(title), s["title"].as_str().unwrap());
        for kind in ["regions", "agencies", "programs"] {
            assert_eq!(ids(s, kind), ids(t, kind), "{kind} of {}", s["title"]);
            assert_eq!(ids(s, kind), ids(b, kind), "{kind} of {}", s["title"]);
        }
        assert_eq!(s["province"], t["province"]);
        assert_eq!(s["date"], t["date"]);
    }
    let first = &trad[0];
    let program = &first["programs"][0];
    assert_eq!(program["name"], "江苏省科技创新券试点方案");
    assert_eq!(program["mentions"][0], "江蘇省科技創新券試點方案");
    let agency = &first["agencies"][0];
    assert_eq!(agency["id"], "江苏省科学技术厅");
    assert_eq!(agency["mentions"][0], "江蘇省科技廳");
}
