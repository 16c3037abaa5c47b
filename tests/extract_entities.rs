//! The entity extractors over hand-made articles built from passages of the
//! sample bulletins, and over a dictionary directory a researcher edited.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use policygraph::extract::Extractor;
use policygraph::record::{Article, BulletinMeta, Entities, EntityRef};

fn dictionaries() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries")
}

fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::from_dir(&dictionaries()).expect("bundled dictionaries load"))
}

fn article(title: &str, text: &str) -> Article {
    Article {
        id: "test:01".into(),
        source: "test.txt".into(),
        bulletin: BulletinMeta::default(),
        section: None,
        title: title.into(),
        text: text.into(),
        ..Default::default()
    }
}

fn extract(title: &str, text: &str) -> Entities {
    extractor().extract(&article(title, text))
}

fn ids(v: &[EntityRef]) -> Vec<&str> {
    v.iter().map(|e| e.id.as_str()).collect()
}

/// Copy the bundled dictionaries into a temporary directory a test may edit.
fn copy_dictionaries() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&dictionaries(), dir.path());
    dir
}

fn append(path: &Path, line: &str) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    writeln!(f, "{line}").unwrap();
}

#[test]
fn a_dictionary_line_adds_an_entity_without_touching_rust() {
    let text = "虹口区北外滩地区将建设一批项目，苏州湾片区同步推进。区商务委会同区住房保障局推行“楼宇经济”计划。";
    let title = "上海虹口推进北外滩开发";
    let before = extractor().extract(&article(title, text));
    assert!(
        before.regions.iter().all(|r| r.name != "苏州湾"),
        "{:?}",
        ids(&before.regions)
    );
    assert!(before
        .agencies
        .iter()
        .all(|a| !a.name.contains("住房保障局")));

    let dir = copy_dictionaries();
    append(
        &dir.path().join("regions/zones.csv"),
        "苏州湾,苏州湾,zone,320509,,,",
    );
    append(
        &dir.path().join("agencies/stems.csv"),
        "住房保障局,住房保障局,plain",
    );
    append(&dir.path().join("programs/initiatives.csv"), "楼宇经济,,");
    let ex = Extractor::from_dir(dir.path()).unwrap();
    let after = ex.extract(&article(title, text));
    assert!(
        after
            .regions
            .iter()
            .any(|r| r.id == "苏州湾" && r.mentions == ["苏州湾"]),
        "{:?}",
        ids(&after.regions)
    );
    assert!(
        ids(&after.agencies).contains(&"上海市虹口区住房保障局"),
        "{:?}",
        ids(&after.agencies)
    );
    assert!(
        ids(&after.programs).contains(&"楼宇经济"),
        "{:?}",
        ids(&after.programs)
    );
}

#[test]
fn a_malformed_line_is_an_error_naming_file_and_line() {
    let dir = copy_dictionaries();
    let stems = dir.path().join("agencies/stems.csv");
    let lines = std::fs::read_to_string(&stems).unwrap().lines().count();
    append(&stems, "数据资源局,数据资源局");
    let err = Extractor::from_dir(dir.path())
        .err()
        .expect("a missing column is an error")
        .to_string();
    assert!(
        err.contains("stems.csv") && err.contains(&format!(":{}:", lines + 1)),
        "{err}"
    );

    let dir = copy_dictionaries();
    append(
        &dir.path().join("regions/zones.csv"),
        ",无名区,zone,310000,,,",
    );
    let err = Extractor::from_dir(dir.path()).err().unwrap().to_string();
    assert!(
        err.contains("zones.csv") && err.contains("empty id"),
        "{err}"
    );

    let dir = copy_dictionaries();
    append(
        &dir.path().join("regions/zones.csv"),
        "临港新片区,临港新片区,zone,310000,,,",
    );
    let err = Extractor::from_dir(dir.path()).err().unwrap().to_string();
    assert!(
        err.contains("zones.csv") && err.contains("duplicate"),
        "{err}"
    );

    let dir = copy_dictionaries();
    append(
        &dir.path().join("regions/abbreviations.csv"),
        "申,319999,strong",
    );
    let err = Extractor::from_dir(dir.path()).err().unwrap().to_string();
    assert!(
        err.contains("abbreviations.csv") && err.contains("unknown region id"),
        "{err}"
    );
}

/// Every article of the sample corpus: spans point at their surface forms,
/// ids are unique per article, resolved regions are known to the gazetteer,
/// and the province is a province-level full name.
#[test]
fn sample_corpus_invariants() {
    let ex = extractor();
    let sections =
        policygraph::ingest::SectionNames::load(&dictionaries().join("sections.csv")).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sample");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut articles = 0;
    let mut regions = 0;
    for path in files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bulletin = policygraph::ingest::read_file(&path, &name, &stem, &sections).unwrap();
        for a in &bulletin.articles {
            articles += 1;
            let e = ex.extract(a);
            let title: Vec<char> = a.title.chars().collect();
            let text: Vec<char> = a.text.chars().collect();
            for (kind, list) in [
                ("region", &e.regions),
                ("agency", &e.agencies),
                ("program", &e.programs),
            ] {
                let mut seen = std::collections::HashSet::new();
                for x in list {
                    assert!(seen.insert(&x.id), "{}: {kind} {} twice", a.title, x.id);
                    assert!(
                        !x.spans.is_empty() && !x.mentions.is_empty(),
                        "{}: {kind} {}",
                        a.title,
                        x.id
                    );
                    for sp in &x.spans {
                        let chars = if sp.field == policygraph::record::Field::Title {
                            &title
                        } else {
                            &text
                        };
                        let s: String = chars[sp.start..sp.end].iter().collect();
                        assert!(
                            x.mentions.contains(&s),
                            "{}: {kind} {} span {s:?} not among {:?}",
                            a.title,
                            x.id,
                            x.mentions
                        );
                    }
                }
            }
            for r in &e.regions {
                regions += 1;
                if r.id.starts_with('?') {
                    assert!(r.candidates.len() >= 2, "{}: {}", a.title, r.id);
                } else {
                    assert!(
                        ex.region(&r.id).is_some(),
                        "{}: unknown region {}",
                        a.title,
                        r.id
                    );
                }
            }
            if let Some(p) = &e.province {
                assert!(PROVINCES.contains(&p.as_str()), "{}: province {p}", a.title);
            }
        }
    }
    assert!(
        articles >= 80 && regions >= 150,
        "{articles} articles, {regions} regions"
    );
}

const PROVINCES: &[&str] = &[
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
];

/// How long building the extractor takes (run with `--nocapture` to see it).
#[test]
fn build_time_is_reported() {
    let t = std::time::Instant::now();
    let ex = Extractor::from_dir(&dictionaries()).unwrap();
    eprintln!(
        "Extractor::from_dir: {:?} ({} patterns, {:?}, {} KB automaton)",
        t.elapsed(),
        ex.pattern_count(),
        ex.automaton_kind(),
        ex.automaton_memory() / 1000
    );
    assert!(ex.pattern_count() > 50_000);
}

#[test]
#[ignore]
fn compare_automaton_kinds() {
    use policygraph::extract::AhoCorasickKind;
    let text: String =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/sample"))
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .collect();
    let a = article("", &text);
    let mut results = Vec::new();
    for kind in [
        AhoCorasickKind::NoncontiguousNFA,
        AhoCorasickKind::ContiguousNFA,
        AhoCorasickKind::DFA,
    ] {
        let t = std::time::Instant::now();
        let ex = Extractor::from_dir_with(&dictionaries(), Some(kind)).unwrap();
        let built = t.elapsed();
        let t = std::time::Instant::now();
        let mut e = None;
        for _ in 0..5 {
            e = Some(ex.extract(&a));
        }
        eprintln!(
            "{kind:?}: build {built:?}, {} patterns, {} MB, extract x5 {:?}",
            ex.pattern_count(),
            ex.automaton_memory() / 1_000_000,
            t.elapsed()
        );
        results.push(e.unwrap());
    }
    // The automaton kind changes speed and memory, never what is found.
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}

/// Prints what the extractor finds in the articles of `$PG_ARTICLES` (lines
/// of `title<TAB>text`): a reading aid for checking new kinds of text.
#[test]
#[ignore]
fn print_articles_from_env() {
    let Ok(path) = std::env::var("PG_ARTICLES") else {
        return;
    };
    for line in std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let (title, text) = line.split_once('\t').unwrap_or((line, ""));
        let e = extract(title, text);
        assert!(e
            .regions
            .iter()
            .chain(&e.agencies)
            .chain(&e.programs)
            .all(|x| x.spans.len() >= x.mentions.len()));
        println!("## {title}  [{}]", e.province.as_deref().unwrap_or("-"));
        for (k, v) in [("R", &e.regions), ("A", &e.agencies), ("P", &e.programs)] {
            for x in v {
                let extra = if x.candidates.is_empty() {
                    String::new()
                } else {
                    format!(" {:?}", x.candidates)
                };
                let t = x
                    .template
                    .as_ref()
                    .map(|t| format!(" <{t}>"))
                    .unwrap_or_default();
                println!("  {k} {} {:?}{extra}{t}", x.name, x.mentions);
            }
        }
    }
}

#[test]
#[ignore]
fn build_phases() {
    use policygraph::extract::{dictionary::Dictionaries, gazetteer::Gazetteer};
    let t = std::time::Instant::now();
    let d = Dictionaries::load(&dictionaries()).unwrap();
    let t1 = t.elapsed();
    let g = Gazetteer::build(&d);
    let t2 = t.elapsed();
    let _ = Extractor::from_dir(&dictionaries()).unwrap();
    eprintln!(
        "load {t1:?}, gazetteer {:?} ({} forms), whole build {:?}",
        t2 - t1,
        g.forms.len(),
        t.elapsed() - t2
    );
    assert!(g.forms.len() > g.regions.len());
}

#[test]
#[ignore]
fn time_big_text() {
    let Ok(path) = std::env::var("PG_BIG") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let ex = extractor();
    let t = std::time::Instant::now();
    let e = ex.extract(&article("", &text));
    let spans: usize = e
        .regions
        .iter()
        .chain(&e.agencies)
        .chain(&e.programs)
        .map(|x| x.spans.len())
        .sum();
    eprintln!(
        "{} bytes: {:?}, {} regions, {} spans",
        text.len(),
        t.elapsed(),
        e.regions.len(),
        spans
    );
    assert!(spans > 0);
}
