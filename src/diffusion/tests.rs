//! The detector on hand-built records whose texts come from the sample
//! corpus (titles, paragraphs, dates and provinces as the bulletins print
//! them), so these tests do not depend on the extractors.

use super::features::{clean_key, looks_like_document};
use super::pair::shorten;
use super::table::Adoption;
use super::*;
use crate::record::{Article, BulletinMeta, Entities, EntityRef};

fn detector() -> Detector {
    Detector::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries"),
        Options::default(),
    )
    .unwrap()
}

fn region(id: &str, name: &str, mentions: &[&str]) -> EntityRef {
    EntityRef {
        id: id.into(),
        name: name.into(),
        mentions: mentions.iter().map(|m| m.to_string()).collect(),
        ..EntityRef::default()
    }
}

fn program(name: &str) -> EntityRef {
    EntityRef {
        id: name.into(),
        name: name.into(),
        mentions: vec![name.into()],
        ..EntityRef::default()
    }
}

fn rec(
    id: &str,
    title: &str,
    text: &str,
    province: Option<&str>,
    date: Option<(i32, u32, u32)>,
    regions: Vec<EntityRef>,
) -> ArticleRecord {
    ArticleRecord {
        article: Article {
            id: id.into(),
            source: format!("{}.txt", id.split(':').next().unwrap_or(id)),
            bulletin: BulletinMeta::default(),
            section: None,
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: date.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            province: province.map(str::to_string),
            regions,
            ..Entities::default()
        },
    }
}

// 000_5fd69a67e7dd1237:01, abridged.
fn shanghai_iot() -> ArticleRecord {
    let mut r = rec(
        "000_5fd69a67e7dd1237:01",
        "上海启用全国首家市域物联网运营中心",
        "10月21日，上海市“一网统管”市域物联网运营中心正式启用，标志着上海城市运行管理在全面数字化转型中迈入新阶段。\n\
围绕营造共享、开放、协作的生态系统，该运营中心致力于解决分散建设、运维管理不到位、数据非全量、共享不到位等问题，更好支撑“一网统管”，赋能城市运行管理。\n\
该运营中心作为上海市城市运行管理中心的重要组成部分，将建立城市治理数字化转型与数字孪生感知端建设的双向促进机制。",
        Some("上海市"),
        Some((2020, 10, 21)),
        vec![region("310000", "上海市", &["上海", "上海市"])],
    );
    r.entities.programs = vec![program("一网统管")];
    r
}

// 003_fefd0e6c0ad8662e:19, abridged.
fn chongqing_centre() -> ArticleRecord {
    let mut r = rec(
        "003_fefd0e6c0ad8662e:19",
        "重庆市新型智慧城市运行管理中心投运",
        "8 月 20 日，重庆市新型智慧城市运行管理中心(下称“运管中心”)建成投运，将作为该市智慧城市建设的“智能中枢”，以及实施“云长制”的平台载体，实现“一键、一屏、一网”统筹管理城市运行。\n\
今年内运管中心计划接入 120 个市级部门、区县及单位的业务系统。接下来，运管中心还将逐步实现“四个一网”管理功能，即一网统管，建设互联互通、高效协同的城市运行系统；一网通办，优化完善“渝快办”服务营商环境和市民办事功能。",
        Some("重庆市"),
        Some((2020, 8, 20)),
        vec![region("500000", "重庆市", &["重庆市"])],
    );
    r.entities.programs = vec![program("一网统管"), program("一网通办"), program("云长制")];
    r
}

// 001_36884ec9de0aea5a:03.
fn shanghai_insurance_blockchain() -> ArticleRecord {
    rec(
        "001_36884ec9de0aea5a:03",
        "上海成立保险区块链创新中心",
        "10月27日，由上海保险交易所联合行业共建的“保险区块链创新中心”在第二届陆家嘴国际再保险会议上正式成立。\n\
该中心以开放、共享、创新为理念，从技术研发、场景应用、制定标准三个方面赋能行业数字化转型，助力实现区块链跨机构、跨行业、跨地域的多场景技术创新与应用。该中心各参与方将以区块链再保险标准制定和应用为切入点，持续推进区块链技术在保险行业的规范化、规模化应用。",
        Some("上海市"),
        Some((2020, 10, 27)),
        vec![region("310000", "上海市", &["上海"])],
    )
}

// 001_36884ec9de0aea5a:05, abridged.
fn jiangsu_blockchain_plan() -> ArticleRecord {
    let mut r = rec(
        "001_36884ec9de0aea5a:05",
        "江苏发布区块链产业发展计划",
        "江苏省日前印发《江苏省区块链产业发展行动计划》。\n\
一是建设基于区块链的新型基础设施，到 2023 年建设 5 个通用性强、用户量大的自主安全可靠的底层平台。四是打造创新创业平台，到 2023 年，建设 10 个以上省级区块链创新服务平台、5 个以上区块链研究应用中心。五是着力培育壮大企业，培育 10 家以上具有全国影响力的区块链骨干企业。",
        Some("江苏省"),
        None,
        vec![region("320000", "江苏省", &["江苏省"])],
    );
    r.entities.programs = vec![EntityRef {
        template: Some("区块链产业发展行动计划".into()),
        ..program("江苏省区块链产业发展行动计划")
    }];
    r
}

// 003_fefd0e6c0ad8662e:02.
const JIANGSU_VOUCHER: &str = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。\
江苏省科技创新券主要通过省级财政资金后补助的方式，对企业购买科技服务给予相应补助。试点方案要求拟参与省创新券的设区市、县（市）及省级以上高新区，\
提供 1：1 联动资助，预计每年可为企业节省最高约 50%的成本。";

fn jiangsu_voucher() -> ArticleRecord {
    let mut r = rec(
        "003_fefd0e6c0ad8662e:02",
        "江苏启动科技创新券试点",
        JIANGSU_VOUCHER,
        Some("江苏省"),
        None,
        vec![region("320000", "江苏省", &["江苏省", "江苏"])],
    );
    r.entities.programs = vec![
        EntityRef {
            template: Some("科技创新券试点方案".into()),
            ..program("江苏省科技创新券试点方案")
        },
        program("科技创新券"),
    ];
    r
}

#[test]
fn an_article_in_traditional_script_offers_the_features_of_its_simplified_form() {
    let simplified = shanghai_insurance_blockchain();
    let mut traditional = simplified.clone();
    traditional.article.title = "上海成立保險區塊鏈創新中心".into();
    traditional.article.text = "10月27日，由上海保險交易所聯合行業共建的“保險區塊鏈創新中心”在第二屆陸家嘴國際再保險會議上正式成立。\n\
該中心以開放、共享、創新為理念，從技術研發、場景應用、制定標準三個方面賦能行業數字化轉型，助力實現區塊鏈跨機構、跨行業、跨地域的多場景技術創新與應用。該中心各參與方將以區塊鏈再保險標準制定和應用為切入點，持續推進區塊鏈技術在保險行業的規範化、規模化應用。".into();
    assert_eq!(
        crate::script::simplified(&traditional.article.text),
        simplified.article.text
    );
    let d = detector();
    let features = d.raw_features(&simplified);
    assert!(!features.is_empty());
    assert_eq!(d.raw_features(&traditional), features);
}

#[test]
fn operations_centres_in_two_places_are_a_pair() {
    let records = vec![shanghai_iot(), chongqing_centre()];
    let findings = detector().detect(&records);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    // Chongqing's centre opened first (8-20), Shanghai's IoT centre on 10-21.
    assert_eq!(
        (f.from.as_str(), f.to.as_str()),
        ("003_fefd0e6c0ad8662e:19", "000_5fd69a67e7dd1237:01")
    );
    assert_eq!(f.order, Order::Date);
    assert_eq!(f.lag_days, Some(62));
    assert_eq!(
        (f.from_place.as_str(), f.to_place.as_str()),
        ("重庆市", "上海市")
    );
    assert!(f.signals.contains(&Signal::Instrument), "{:?}", f.signals);
    let centre = f
        .evidence
        .terms
        .iter()
        .find(|t| t.key == "城市运行管理中心")
        .expect("the centre is the evidence");
    assert_eq!(centre.from_surface, "重庆市新型智慧城市运行管理中心");
    assert_eq!(centre.to_surface, "上海市城市运行管理中心");
    assert!(
        f.evidence.terms.iter().any(|t| t.key == "一网统管"),
        "{:?}",
        f.evidence.terms
    );
    assert!(f.confidence >= Confidence::Medium, "{f:#?}");
    let summary = f.evidence.summary();
    assert!(
        summary.contains("重庆市新型智慧城市运行管理中心 / 上海市城市运行管理中心"),
        "{summary}"
    );
}

#[test]
fn two_unrelated_blockchain_articles_stay_out() {
    let records = vec![shanghai_insurance_blockchain(), jiangsu_blockchain_plan()];
    assert_eq!(detector().detect(&records), Vec::new());
}

#[test]
fn one_province_is_not_diffusion() {
    let mut other = chongqing_centre();
    other.entities.province = Some("上海市".into());
    other.entities.regions = vec![region("310000", "上海市", &["上海市"])];
    assert!(detector().detect(&[shanghai_iot(), other]).is_empty());
}

#[test]
fn copied_text_with_leftover_names_is_found_and_directed() {
    // A Zhejiang article copied from Jiangsu's, names swapped except one
    // 江苏省 left behind; neither is dated.
    let copied = JIANGSU_VOUCHER
        .replacen("江苏省", "浙江省", 2)
        .replace("省创新券", "浙江创新券");
    assert!(
        copied.contains("江苏省科技创新券主要"),
        "one 江苏省 is left behind"
    );
    let copy = rec(
        "009_copy:01",
        "浙江启动科技创新券试点",
        &format!("为加快科技成果转化，浙江省近日出台新举措。{copied}"),
        Some("浙江省"),
        None,
        vec![
            region("330000", "浙江省", &["浙江省"]),
            region("320000", "江苏省", &["江苏省"]),
        ],
    );
    let records = vec![copy, jiangsu_voucher()];
    let findings = detector().detect(&records);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        (f.from.as_str(), f.to.as_str()),
        ("003_fefd0e6c0ad8662e:02", "009_copy:01")
    );
    assert_eq!(f.order, Order::LeftoverNames);
    assert_eq!(f.lag_days, None);
    assert_eq!(f.evidence.leftover_names, vec!["江苏省".to_string()]);
    assert!(
        f.signals.contains(&Signal::TextReuse) && f.signals.contains(&Signal::LeftoverNames),
        "{:?}",
        f.signals
    );
    assert!(f.signals.contains(&Signal::Instrument), "{:?}", f.signals);
    assert_eq!(f.confidence, Confidence::High);
    let p = f.evidence.passage.as_ref().unwrap();
    assert!(
        p.shared_chars * 10 > p.total_chars * 7,
        "{} of {}",
        p.shared_chars,
        p.total_chars
    );
    assert_eq!(p.total_chars, records[0].article.text.chars().count());
    assert!(
        p.text.contains("主要通过省级财政资金后补助的方式"),
        "{}",
        p.text
    );
    let summary = f.evidence.summary();
    assert!(
        summary.contains(&format!(
            "passage {} of {} chars",
            p.shared_chars, p.total_chars
        )),
        "{summary}"
    );
    assert!(summary.contains("leftover names 江苏省"), "{summary}");
}

#[test]
fn same_day_ties_go_by_id_and_say_so() {
    let mut a = shanghai_iot();
    let mut b = chongqing_centre();
    a.entities.date = NaiveDate::from_ymd_opt(2020, 9, 1);
    b.entities.date = NaiveDate::from_ymd_opt(2020, 9, 1);
    let f = &detector().detect(&[a, b])[0];
    assert_eq!(f.order, Order::Tie);
    assert_eq!(f.lag_days, Some(0));
    assert_eq!(f.from, "000_5fd69a67e7dd1237:01");
}

#[test]
fn rarity_discounts_an_instrument_everyone_has() {
    // The same two articles, alone and then among 40 articles of other
    // provinces that all name 一网统管 and 城市运行管理中心.
    let d = detector();
    let pair = vec![shanghai_iot(), chongqing_centre()];
    let alone = d.detect(&pair)[0].score;
    let provinces = [
        "北京市",
        "天津市",
        "河北省",
        "山西省",
        "辽宁省",
        "吉林省",
        "浙江省",
        "安徽省",
        "福建省",
        "江西省",
    ];
    let codes = [
        "110000", "120000", "130000", "140000", "210000", "220000", "330000", "340000", "350000",
        "360000",
    ];
    let mut crowd = pair.clone();
    for i in 0..40 {
        let mut r = rec(
            &format!("crowd:{i:02}"),
            "推进城市运行管理中心建设",
            "全面推进“一网统管”，建设城市运行管理中心，提升城市治理水平。",
            Some(provinces[i % 10]),
            Some((2020, 9, 1 + (i % 28) as u32)),
            vec![region(
                codes[i % 10],
                provinces[i % 10],
                &[provinces[i % 10]],
            )],
        );
        r.entities.programs = vec![program("一网统管")];
        crowd.push(r);
    }
    let findings = d.detect(&crowd);
    let in_crowd = findings
        .iter()
        .find(|f| f.from == "003_fefd0e6c0ad8662e:19" && f.to == "000_5fd69a67e7dd1237:01")
        .map_or(0.0, |f| f.score);
    assert!(
        in_crowd < alone * 0.75,
        "alone {alone}, in the crowd {in_crowd}"
    );
    // 42 articles of the instrument exceed no cap here (max_df 64), but with
    // a cap of 10 each adopter links to at most `chain` earlier ones.
    let capped = Detector {
        options: Options {
            max_df: 10,
            min_score: 0.0,
            ..Options::default()
        },
        ..d.clone()
    };
    let corpus = capped.corpus(&crowd);
    let cands = capped.candidates(&corpus);
    assert!(
        cands.len() <= crowd.len() * capped.options.chain,
        "{} candidates",
        cands.len()
    );
}

#[test]
fn output_does_not_depend_on_input_order() {
    let d = detector();
    let records = vec![
        shanghai_iot(),
        chongqing_centre(),
        jiangsu_voucher(),
        jiangsu_blockchain_plan(),
        shanghai_insurance_blockchain(),
    ];
    let mut reversed = records.clone();
    reversed.reverse();
    let strip = |fs: Vec<Finding>| {
        fs.into_iter()
            .map(|f| (f.from, f.to, f.score, f.evidence.summary()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(d.detect(&records)), strip(d.detect(&reversed)));
}

#[test]
fn findings_become_copies_edges() {
    let f = detector()
        .detect(&[shanghai_iot(), chongqing_centre()])
        .remove(0);
    let e = CopyEdge::from(&f);
    assert_eq!(
        (e.from.as_str(), e.to.as_str()),
        (f.from.as_str(), f.to.as_str())
    );
    assert_eq!(e.score, f.score);
    assert_eq!(e.confidence, f.confidence.as_str());
    assert_eq!(e.lag_days, Some(62));
    assert!(
        e.signals.contains(&"instrument".to_string()),
        "{:?}",
        e.signals
    );
    assert_eq!(e.evidence, f.evidence.summary());
}

#[test]
fn adoption_table_lists_adopters_in_date_order() {
    let d = detector();
    let records = vec![shanghai_iot(), chongqing_centre(), jiangsu_voucher()];
    let corpus = d.corpus(&records);
    let table: Vec<Adoption> = d.adoptions(&corpus).collect();
    let centre = table
        .iter()
        .find(|a| a.instrument == "城市运行管理中心")
        .expect("in the table");
    let order: Vec<(&str, Option<i64>)> = centre
        .adopters
        .iter()
        .map(|a| (a.place.as_str(), a.lag_days))
        .collect();
    assert_eq!(order, vec![("重庆市", Some(0)), ("上海市", Some(62))]);
    // An instrument of one place only is not diffusion.
    assert!(table.iter().all(|a| a.instrument != "科技创新券"));
    let mut csv = Vec::new();
    table::write_csv(&mut csv, &table).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("instrument,signal,rank,place,date,article,title,surface,first_adopter,first_place,first_date,lag_days\n"));
    assert!(
        csv.contains("城市运行管理中心,instrument,2,上海市,2020-10-21,000_5fd69a67e7dd1237:01,上海启用全国首家市域物联网运营中心,上海市城市运行管理中心,003_fefd0e6c0ad8662e:19,重庆市,2020-08-20,62\n"),
        "{csv}"
    );
}

#[test]
fn document_kinds() {
    assert!(looks_like_document("科技创新券试点方案"));
    assert!(looks_like_document("建筑节能设计专篇示范文本（2020版）"));
    assert!(!looks_like_document("一网通办"));
    assert_eq!(
        clean_key("《江苏省 科技创新券试点方案》"),
        "江苏省科技创新券试点方案"
    );
    assert_eq!(
        shorten(&"一二三四五六七八九十".chars().collect::<Vec<_>>(), 4),
        "一二…九十"
    );
}

#[test]
fn a_named_institution_no_line_lists_pairs_two_places() {
    // 003_fefd0e6c0ad8662e:07, and a Zhejiang article setting up the same platform.
    let shanghai = rec(
        "003_fefd0e6c0ad8662e:07",
        "上海成立影院金融服务平台",
        "8 月 17 日，上海影院金融服务平台正式成立。该平台由上海市电影发行放映行业协会联合东方惠金、滨江小贷、建设银行、招商银行等共同成立，为影院发展提供全方位保障。",
        Some("上海市"),
        Some((2020, 8, 17)),
        vec![region("310000", "上海市", &["上海"])],
    );
    let zhejiang = rec(
        "010_zj:01",
        "浙江推出影院金融服务平台",
        "近日，浙江影院金融服务平台上线，通过预售观影券帮助影院解决现金流问题，全省影院均可加盟。",
        Some("浙江省"),
        Some((2020, 9, 30)),
        vec![region("330000", "浙江省", &["浙江"])],
    );
    let d = detector();
    assert!(
        d.instruments
            .all()
            .iter()
            .all(|i| !i.patterns.iter().any(|p| p.contains("影院"))),
        "not a listed type"
    );
    let findings = d.detect(&[shanghai.clone(), zhejiang.clone()]);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0].evidence.terms[0].key, "影院金融服务平台");
    assert_eq!(
        (findings[0].from.as_str(), findings[0].lag_days),
        ("003_fefd0e6c0ad8662e:07", Some(44))
    );
    // A generic name (公共服务平台) pairs nothing.
    let mut a = shanghai;
    let mut b = zhejiang;
    a.article.title = "上海建设公共服务平台".into();
    a.article.text = "上海将建设一批公共服务平台，支持企业发展。".into();
    b.article.title = "浙江建设公共服务平台".into();
    b.article.text = "浙江将建设一批公共服务平台，支持企业发展。".into();
    assert!(d.detect(&[a, b]).is_empty());
}

#[test]
fn findings_stream_in_order_and_stop_at_an_error() {
    let d = detector();
    let records = vec![
        shanghai_iot(),
        chongqing_centre(),
        shanghai_insurance_blockchain(),
        jiangsu_blockchain_plan(),
        jiangsu_voucher(),
    ];
    let corpus = d.corpus(&records);
    let candidates = d.candidates(&corpus);
    let all = d.score(&corpus, &candidates, &records[..]).unwrap();
    assert!(!all.is_empty());
    let mut streamed = Vec::new();
    let n = d
        .score_each(&corpus, &candidates, &records[..], |f| {
            streamed.push(f);
            Ok(())
        })
        .unwrap();
    assert_eq!((n, &streamed), (all.len(), &all));
    // The first error ends the stream and is returned.
    let mut seen = 0;
    let err = d
        .score_each(&corpus, &candidates, &records[..], |_| {
            seen += 1;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
    assert_eq!((seen, err.to_string().as_str()), (1, "disk full"));
}

#[test]
fn corpus_reads_back_what_was_pushed() {
    let d = detector();
    let records = vec![jiangsu_voucher(), chongqing_centre(), shanghai_iot()];
    let corpus = d.corpus(&records);
    for (i, r) in records.iter().enumerate() {
        let s = d.sketch(r);
        assert_eq!(
            (corpus.id(i), corpus.title(i)),
            (s.id.as_str(), s.title.as_str())
        );
        assert_eq!((corpus.date(i), corpus.chars(i)), (s.date, s.chars));
        assert_eq!(corpus.prints(i), s.prints);
        assert_eq!(corpus.jurisdiction(i), s.jurisdiction.as_ref());
        let names: Vec<(u32, u32, &str)> = corpus
            .foreign(i)
            .iter()
            .map(|n| (n.start, n.end, corpus.str(n.surface)))
            .collect();
        let want: Vec<(u32, u32, &str)> = s
            .foreign
            .iter()
            .map(|n| (n.start, n.end, n.surface.as_str()))
            .collect();
        assert_eq!(names, want);
        // Each raw feature is among the article's, by key and signal.
        for o in &s.occurrences {
            assert!(corpus.occurrences(i).iter().any(|c| {
                let f = &corpus.features[c.feature as usize];
                f.signal == o.signal && corpus.key(f) == o.key
            }));
        }
    }
    let total: usize = corpus.heap_bytes().iter().map(|(_, b)| b).sum();
    assert!(total > 0);
}

/// Heap bytes per article of a corpus read from the `articles.jsonl` named
/// by `PG_MEMORY_JSONL` (run with `--ignored --nocapture`): what each part
/// of the corpus and of the candidate and scoring stages costs.
#[test]
#[ignore]
fn memory_per_article() {
    let Ok(path) = std::env::var("PG_MEMORY_JSONL") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let records: Vec<ArticleRecord> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    drop(text);
    let d = detector();
    let corpus = d.corpus(&records);
    let n = corpus.len() as f64;
    let parts = corpus.heap_bytes();
    for (k, v) in &parts {
        eprintln!("{k:24} {:8.1} B/article", *v as f64 / n);
    }
    let total: usize = parts.iter().map(|(_, v)| v).sum();
    eprintln!(
        "{:24} {:8.1} B/article ({} articles, {} features)",
        "corpus total",
        total as f64 / n,
        corpus.len(),
        corpus.features.len()
    );
    let count = |f: &dyn Fn(usize) -> usize| (0..corpus.len()).map(f).sum::<usize>() as f64 / n;
    eprintln!(
        "per article: {:.1} occurrences, {:.1} prints, {:.1} foreign, {:.1} title bytes, {:.1} id bytes",
        count(&|i| corpus.occurrences(i).len()),
        count(&|i| corpus.prints(i).len()),
        count(&|i| corpus.foreign(i).len()),
        count(&|i| corpus.title(i).len()),
        count(&|i| corpus.id(i).len())
    );
    let candidates = d.candidates(&corpus);
    eprintln!(
        "candidates: {:.1} per article, {} B each",
        candidates.len() as f64 / n,
        std::mem::size_of::<Candidate>()
    );
    let scored = candidates
        .iter()
        .filter(|c| d.score_pair(&corpus, **c, false).is_some())
        .count();
    eprintln!(
        "scored: {:.2} per article, {} B each",
        scored as f64 / n,
        std::mem::size_of::<Ranked>()
    );
    let findings = d.score(&corpus, &candidates, &records[..]).unwrap();
    eprintln!("findings: {}", findings.len());
    assert!(total > 0);
}
