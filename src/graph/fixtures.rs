//! Small records for the graph's and the exports' unit tests, modelled on
//! articles of the sample corpus, with spans computed from the text rather
//! than written by hand.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::record::{
    Amount, Article, ArticleRecord, BulletinMeta, Entities, EntityRef, Field, RegionInfo, Span,
};

/// Every occurrence of `needle` in `hay`, as character spans.
pub(crate) fn spans(field: Field, hay: &str, needle: &str) -> Vec<Span> {
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

/// An entity named in `text` (and `title`) by the given surface forms.
pub(crate) fn entity(title: &str, text: &str, id: &str, name: &str, forms: &[&str]) -> EntityRef {
    let mut all = Vec::new();
    for f in forms {
        all.extend(spans(Field::Title, title, f));
        all.extend(spans(Field::Text, text, f));
    }
    all.sort();
    EntityRef {
        id: id.into(),
        name: name.into(),
        mentions: forms.iter().map(|s| s.to_string()).collect(),
        spans: all,
        ..EntityRef::default()
    }
}

pub(crate) fn amount(text: &str, surface: &str, yuan: i64) -> Amount {
    Amount {
        text: surface.into(),
        value_yuan: yuan,
        currency: "CNY".into(),
        qualifier: None,
        span: spans(Field::Text, text, surface).first().copied(),
    }
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn bulletin(day: u32) -> BulletinMeta {
    BulletinMeta {
        title: Some("长三角每周要讯".into()),
        issue: Some("2020 年第 192 期".into()),
        publisher: Some("浙江省人民政府驻上海办事处".into()),
        date: Some(date(2020, 10, day)),
    }
}

/// The gazetteer the fixtures use.
pub(crate) fn gazetteer() -> BTreeMap<String, RegionInfo> {
    let rows = [
        ("310000", "上海市", "province", None),
        ("310115", "浦东新区", "county", Some("310000")),
        ("310116", "金山区", "county", Some("310000")),
        ("320000", "江苏省", "province", None),
        ("320900", "盐城市", "city", Some("320000")),
        ("320981", "东台市", "county", Some("320900")),
        ("Z-LINGANG", "临港新片区", "zone", Some("310115")),
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

pub(crate) fn lookup(
    gaz: &BTreeMap<String, RegionInfo>,
) -> impl Fn(&str) -> Option<RegionInfo> + '_ {
    move |id| gaz.get(id).cloned()
}

fn region(title: &str, text: &str, id: &str, forms: &[&str]) -> EntityRef {
    let gaz = gazetteer();
    let info = &gaz[id];
    let mut e = entity(title, text, id, &info.name, forms);
    e.kind = Some(info.kind.clone());
    e.parent = info.parent.clone();
    e
}

/// Three articles of two bulletins: a Jiangsu programme with its issuers, a
/// Shanghai zone policy with an amount, and one of nasty text.
pub(crate) fn records() -> Vec<ArticleRecord> {
    let mut out = Vec::new();

    let title = "江苏启动科技创新券试点";
    let text = "近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。\n\
                江苏省科技创新券主要通过省级财政资金后补助的方式，对企业购买科技服务给予相应补助，单个企业最高 50 万元。";
    let mut voucher = entity(
        title,
        text,
        "江苏省科技创新券试点方案",
        "江苏省科技创新券试点方案",
        &["江苏省科技创新券试点方案"],
    );
    voucher.kind = Some("document".into());
    voucher.template = Some("科技创新券试点方案".into());
    let mut sti = entity(
        title,
        text,
        "江苏省科学技术厅",
        "江苏省科学技术厅",
        &["江苏省科技厅"],
    );
    sti.kind = Some("province".into());
    sti.parent = Some("320000".into());
    let mut fin = entity(title, text, "江苏省财政厅", "江苏省财政厅", &["省财政厅"]);
    fin.kind = Some("province".into());
    fin.parent = Some("320000".into());
    out.push(ArticleRecord {
        article: Article {
            id: "003_fefd0e6c0ad8662e:05".into(),
            source: "corpus/sample/003_fefd0e6c0ad8662e.txt".into(),
            bulletin: bulletin(16),
            section: Some("政策举措".into()),
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: None,
            date_source: None,
            province: Some("江苏省".into()),
            regions: vec![region(title, text, "320000", &["江苏"])],
            agencies: vec![sti, fin],
            programs: vec![voucher],
            amounts: vec![amount(text, "最高 50 万元", 500_000)],
        },
    });

    let title = "上海临港新片区 10 大政策助人工智能产业发展";
    let text = "10 月 20 日，临港新片区发布人工智能产业政策，对新落户企业给予最高 1000 万元奖励。\
                浦东新区、临港新片区将共同推进。朝阳区代表团参加。";
    let mut zone = region(title, text, "Z-LINGANG", &["临港新片区"]);
    zone.kind = Some("zone".into());
    let mut ambiguous = entity(title, text, "?朝阳区", "朝阳区", &["朝阳区"]);
    ambiguous.candidates = vec!["110105".into(), "220104".into()];
    let mut committee = entity(
        title,
        text,
        "临港新片区管委会",
        "临港新片区管委会",
        &["临港新片区"],
    );
    committee.parent = Some("Z-LINGANG".into());
    out.push(ArticleRecord {
        article: Article {
            id: "000_5fd69a67e7dd1237:02".into(),
            source: "corpus/sample/000_5fd69a67e7dd1237.txt".into(),
            bulletin: bulletin(23),
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
                region(title, text, "310000", &["上海"]),
                zone,
                region(title, text, "310115", &["浦东新区"]),
                ambiguous,
            ],
            agencies: vec![committee],
            programs: vec![],
            amounts: vec![amount(text, "最高 1000 万元", 10_000_000)],
        },
    });

    let title = "“A&B” <测试> ]]> 'q' \"dq\", x\u{1}y\u{FFFE}";
    let text = "第一行，含逗号\n第二行 \"引号\" & <尖括号> ]]>；\u{0}结束\u{FFFF}。";
    out.push(ArticleRecord {
        article: Article {
            id: "000_5fd69a67e7dd1237:03".into(),
            source: "corpus/sample/000_5fd69a67e7dd1237.txt".into(),
            bulletin: bulletin(23),
            section: Some("a,b\n\"c\"".into()),
            title: title.into(),
            text: text.into(),
            ..Default::default()
        },
        entities: Entities {
            date: None,
            date_source: None,
            province: None,
            regions: vec![region(title, text, "320981", &["东台"])],
            agencies: vec![],
            programs: vec![],
            amounts: vec![],
        },
    });
    out
}
