//! The open-class extractors (amounts, dates) on the bundled sample bulletins.
//!
//! These run on the raw sample files rather than on ingested articles, so
//! they test the patterns alone: every amount of each bulletin (checked by
//! hand against the text), the event date of articles located by their title,
//! and the bulletins' own date lines.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use policygraph::extract::amount::{self, AmountLexicon};
use policygraph::extract::date::{self, DateLexicon};
use policygraph::record::Field;

fn sample(stem: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/sample")
        .join(format!("{stem}.txt"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn dictionary(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("dictionaries")
        .join(name)
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const YI: i64 = 100_000_000;
const WAN: i64 = 10_000;

/// Every amount (value in yuan, all CNY) of each raw sample file, in order.
#[test]
fn every_amount_of_each_sample() {
    let expected: [(&str, Vec<i64>); 5] = [
        (
            "000_5fd69a67e7dd1237",
            vec![
                YI,
                5000 * WAN,
                3000 * WAN,
                2000 * WAN,
                // 首次超过 500 万元、…、50 亿元的
                500 * WAN,
                1000 * WAN,
                2000 * WAN,
                5000 * WAN,
                YI,
                5 * YI,
                10 * YI,
                50 * YI,
                // 分别给予 20 万元、…、500 万、800 万、1200 万的奖励
                20 * WAN,
                30 * WAN,
                50 * WAN,
                100 * WAN,
                200 * WAN,
                500 * WAN,
                800 * WAN,
                1200 * WAN,
                20 * WAN,
                60 * WAN,
                100,
                50 * YI,
                1000 * WAN,
                12 * YI,
            ],
        ),
        (
            "001_36884ec9de0aea5a",
            vec![
                120 * YI, // contents
                4 * YI,
                10 * YI,
                500 * YI,
                2000 * YI,
                200 * YI,
                50 * YI,
                120 * YI, // title
                120 * YI, // body
                4_162_000_000,
                505_000_000,
                3_808_000_000,
                2_810_000_000,
                716_000_000,
            ],
        ),
        (
            "002_490650ad3478054a",
            vec![
                5 * YI,
                10_000 * YI,
                5 * YI,
                5 * YI,
                1000 * WAN,
                300 * WAN,
                3000 * WAN,
            ],
        ),
        ("003_fefd0e6c0ad8662e", vec![YI, YI]),
        (
            "004_41d73a1e40dfc479",
            vec![51341 * YI, 30 * WAN, 100 * WAN, 80 * WAN, 50 * WAN],
        ),
    ];
    for (stem, want) in expected {
        let text = sample(stem);
        let found = amount::find_amounts(&text, Field::Text);
        let got: Vec<i64> = found.iter().map(|a| a.value_yuan).collect();
        assert_eq!(got, want, "{stem}");
        assert!(found.iter().all(|a| a.currency == "CNY"), "{stem}");
    }
}

#[test]
fn amounts_keep_qualifier_and_surface_form() {
    let text = sample("000_5fd69a67e7dd1237");
    let found = amount::find_amounts(&text, Field::Text);
    let by_text = |t: &str| {
        found
            .iter()
            .find(|a| a.text == t)
            .unwrap_or_else(|| panic!("no {t:?}"))
    };
    assert_eq!(by_text("最高 5000 万元").qualifier.as_deref(), Some("最高"));
    assert_eq!(by_text("超过12亿元").qualifier.as_deref(), Some("超过"));
    assert_eq!(
        by_text("1000万元及以下").qualifier.as_deref(),
        Some("及以下")
    );
    assert_eq!(by_text("1200 万").value_yuan, 12_000_000);
    assert_eq!(by_text("1200 万").qualifier, None);
    // Spans point at the surface form, in characters.
    for a in &found {
        let span = a.span.unwrap();
        let s: String = text
            .chars()
            .skip(span.start)
            .take(span.end - span.start)
            .collect();
        assert_eq!(s, a.text);
    }
    let text = sample("003_fefd0e6c0ad8662e");
    let found = amount::find_amounts(&text, Field::Text);
    assert!(found
        .iter()
        .all(|a| a.text == "近亿元" && a.qualifier.as_deref() == Some("近")));
}

#[test]
fn repeated_amounts_are_one_per_article() {
    let title = "山东省整合设立120亿元资金用于五大科技创新领域";
    let body = "近日，山东 2020 年省级科技创新发展资金配置框架建议正式出炉。按照该框架建议，年度整合设立的 120 亿元专项资金将集中用于重大关键技术攻关。一是安排重大关键技术攻关项目资金 41.62 亿元，占 34.68%。";
    let mut all = amount::find_amounts(title, Field::Title);
    all.extend(amount::find_amounts(body, Field::Text));
    assert_eq!(all.len(), 3);
    let deduped = amount::dedupe_amounts(all);
    assert_eq!(deduped.len(), 2);
    assert_eq!(deduped[0].span.unwrap().field, Field::Title);
    assert_eq!(deduped[1].value_yuan, 4_162_000_000);
}

#[test]
fn physical_quantities_and_percentages_of_the_samples_are_not_money() {
    for stem in [
        "000_5fd69a67e7dd1237",
        "001_36884ec9de0aea5a",
        "002_490650ad3478054a",
        "004_41d73a1e40dfc479",
    ] {
        let text = sample(stem);
        for a in amount::find_amounts(&text, Field::Text) {
            for unit in ["千瓦", "吨", "亩", "人次", "个", "%", "级"] {
                assert!(!a.text.contains(unit), "{stem}: {a:?}");
            }
        }
    }
}

/// The title and everything after it, for the article whose title line is `title`.
fn article<'a>(text: &'a str, title: &str) -> &'a str {
    let mut offset = 0;
    let mut found = None;
    for line in text.split_inclusive('\n') {
        if line.trim() == title {
            found = Some(offset + line.len()); // the last match: contents come first
        }
        offset += line.len();
    }
    &text[found.unwrap_or_else(|| panic!("no title {title:?}"))..]
}

/// The bulletin's date: the first line of the file that is a whole date.
fn bulletin_date(text: &str) -> Option<NaiveDate> {
    text.lines().find_map(policygraph::calendar::parse_line)
}

#[test]
fn bulletin_date_lines() {
    assert_eq!(
        bulletin_date(&sample("000_5fd69a67e7dd1237")),
        Some(d(2020, 10, 23))
    );
    assert_eq!(
        bulletin_date(&sample("001_36884ec9de0aea5a")),
        Some(d(2020, 10, 30))
    );
    assert_eq!(
        bulletin_date(&sample("002_490650ad3478054a")),
        Some(d(2020, 9, 25))
    );
    assert_eq!(bulletin_date(&sample("003_fefd0e6c0ad8662e")), None);
    assert_eq!(
        bulletin_date(&sample("004_41d73a1e40dfc479")),
        Some(d(2019, 7, 9))
    );
}

#[test]
fn event_dates_of_sample_articles() {
    type Articles<'a> = &'a [(&'a str, Option<NaiveDate>)];
    let cases: [(&str, Articles); 5] = [
        (
            "000_5fd69a67e7dd1237",
            &[
                ("上海启用全国首家市域物联网运营中心", Some(d(2020, 10, 21))),
                ("上海临港新片区 10 大政策助人工智能产业发展", None),
                (
                    "上海金山区发布特色产业发展指引首次提出“特色微园”",
                    Some(d(2020, 10, 19)),
                ),
                ("国际标准化长三角协作平台在上海启动", Some(d(2020, 10, 20))),
                ("江苏 50 万千瓦海上风电项目落地盐城", Some(d(2020, 10, 20))),
                ("上海发布十类场景防护须知", None),
                (
                    "长三角示范区气象保障系统明年全面建设",
                    Some(d(2020, 10, 20)),
                ),
                ("上海七部门联合制发告知书确保国家降电价政策落实到位", None),
                ("上海将推广试点参与式社区规划制度", Some(d(2020, 10, 21))),
                (
                    "上海首次发布标准化工作白皮书 多项创新实践领跑全国",
                    Some(d(2020, 10, 20)),
                ),
                ("上海市浦东新区五方面推进“一业一证”改革", None),
                ("上海推出智慧停车应用破解停车难问题", Some(d(2020, 10, 15))),
                ("山东将重点推进“六有”促进灵活就业", None),
                ("广东省多措并举破解小微企业融资“最后一公里”难题", None),
                ("深圳实施我国首个生态产品价值核算统计制度", None),
            ],
        ),
        (
            "001_36884ec9de0aea5a",
            &[
                (
                    "上海技术交易所开市 建成服务全国技术转移交易网络",
                    Some(d(2020, 10, 28)),
                ),
                (
                    "上海提出人工智能产业发展布局四点考虑",
                    Some(d(2020, 10, 29)),
                ),
                ("上海成立保险区块链创新中心", Some(d(2020, 10, 27))),
                ("浦东新区出台全国首个政务领域“区块链建设标准”", None),
                ("上海临港新片区大飞机园启动", Some(d(2020, 10, 23))),
                (
                    "长三角(上海)互联网医院投入运行 提升健康服务能级",
                    Some(d(2020, 10, 24)),
                ),
                ("上海立法为公共文化服务“立规矩”", None),
                (
                    "上海成立长三角投资公司服务一体化发展国家战略",
                    Some(d(2020, 10, 23)),
                ),
                ("江苏将对钢铁企业实施超低排放差别化电价政策", None),
                (
                    "上海宝山成立培训就业联盟 “拼单”培养技能人才",
                    Some(d(2020, 10, 26)),
                ),
                ("青岛市全国首创将对七类农业废弃物进行规范管理", None),
                ("广东建立败诉行政案件报告制度", None),
                ("天津海洋装备产业（人才）联盟成立", Some(d(2020, 10, 25))),
            ],
        ),
        (
            "002_490650ad3478054a",
            &[
                (
                    "上海举办首届全球金融科技大会“外滩大会”",
                    Some(d(2020, 9, 24)),
                ),
                (
                    "黄浦区出台外滩金融集聚带加快推进金融科技发展意见",
                    Some(d(2020, 9, 24)),
                ),
                ("上海启动 8 条商旅文联动专线促消费", Some(d(2020, 9, 19))),
                ("长三角首个“消费品召回直通车”开通", Some(d(2020, 9, 23))),
                (
                    "上海市出租车统一平台“申程出行”下周一正式上线",
                    Some(d(2020, 9, 28)),
                ),
                ("江苏打造百亿级省级农产品加工集中区", Some(d(2020, 9, 22))),
                ("江苏省发布八条政策意见促进汽车消费", None),
                ("江苏全国率先推出“工伤保险专递”服务", Some(d(2020, 9, 22))),
                (
                    "山东成立国内首家非营利性区域海洋经济团体联盟组织",
                    Some(d(2020, 9, 21)),
                ),
                ("广东设 5 亿元质量提升发展基金", None),
                (
                    "厦门港“港航信易贷”上线运营 系全国首创",
                    Some(d(2020, 9, 16)),
                ),
            ],
        ),
        (
            // No header: bare month/day dates cannot be given a year.
            "003_fefd0e6c0ad8662e",
            &[
                ("上海推出 42 条措施加快临港新片区建设", None),
                ("洋山港全模式套泊每年将释放产能近亿元", None),
                ("江苏启动科技创新券试点", None),
            ],
        ),
        (
            "004_41d73a1e40dfc479",
            &[
                ("长三角一体化发展步入认识高度统一、加快推进新阶段", None),
                ("长三角向高质量发展区域集群迈进", None),
                ("在福建银行服务民营企业贡献突出有奖", None),
            ],
        ),
    ];
    for (stem, articles) in cases {
        let text = sample(stem);
        let bulletin = bulletin_date(&text);
        for (title, want) in articles {
            let body = article(&text, title);
            let compact: String = title.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(
                date::event_date(&compact, body, bulletin),
                *want,
                "{stem}: {title}"
            );
        }
    }
}

#[test]
fn the_same_month_day_in_a_january_bulletin_is_last_year() {
    let body = "12 月 28 日，上海正式启用某平台。";
    assert_eq!(
        date::event_date("", body, Some(d(2020, 12, 31))),
        Some(d(2020, 12, 28))
    );
    assert_eq!(
        date::event_date("", body, Some(d(2021, 1, 8))),
        Some(d(2020, 12, 28))
    );
}

#[test]
fn dictionary_files_load_and_match_the_compiled_in_copies() {
    let amounts = AmountLexicon::from_path(&dictionary(amount::AMOUNT_WORDS_FILE)).unwrap();
    let dates = DateLexicon::from_path(&dictionary(date::DATE_WORDS_FILE)).unwrap();
    let text = sample("000_5fd69a67e7dd1237");
    assert_eq!(
        amounts.find(&text, Field::Text),
        amount::find_amounts(&text, Field::Text)
    );
    assert_eq!(
        dates.find(&text, Field::Text),
        date::find_dates(&text, Field::Text)
    );
    let err = AmountLexicon::from_path(Path::new("/nonexistent/amount_words.csv")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/amount_words.csv"));
}

#[test]
fn a_line_added_to_the_word_list_takes_effect() {
    let base = std::fs::read_to_string(dictionary(amount::AMOUNT_WORDS_FILE)).unwrap();
    let text = "引进外资 3000 万卢比";
    assert!(AmountLexicon::from_csv_str("base", &base)
        .unwrap()
        .find(text, Field::Text)
        .is_empty());
    let extended = format!("{base}卢比,currency,INR,Indian rupee\n");
    let found = AmountLexicon::from_csv_str("extended", &extended)
        .unwrap()
        .find(text, Field::Text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].value_yuan, found[0].currency.as_str()),
        (30_000_000, "INR")
    );
}

/// Cut every sample at many places (and glue pieces in the wrong order): the
/// finders never panic and every span stays inside its text.
#[test]
fn cut_and_spliced_samples_never_panic() {
    for stem in [
        "000_5fd69a67e7dd1237",
        "001_36884ec9de0aea5a",
        "002_490650ad3478054a",
        "003_fefd0e6c0ad8662e",
        "004_41d73a1e40dfc479",
    ] {
        let text = sample(stem);
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(53).collect();
        for w in bounds.windows(3) {
            let piece = &text[w[0]..w[2]];
            let spliced = format!("{}{}", &text[w[1]..w[2]], &text[w[0]..w[1]]);
            for s in [piece, spliced.as_str()] {
                let chars = s.chars().count();
                for a in amount::find_amounts(s, Field::Text) {
                    let span = a.span.unwrap();
                    assert!(span.start < span.end && span.end <= chars);
                }
                for m in date::find_dates(s, Field::Text) {
                    assert!(m.span.start < m.span.end && m.span.end <= chars);
                }
                let _ = date::event_date(s, s, Some(d(2020, 10, 23)));
                let _ = policygraph::calendar::parse_line(s);
            }
        }
    }
}

/// Single lines of ten million digits and of hundreds of thousands of
/// tokens: linear time (a quadratic scan would not finish).
#[test]
fn huge_lines_stay_fast() {
    let start = std::time::Instant::now();
    let digits = "1".repeat(10_000_000);
    assert!(amount::find_amounts(&digits, Field::Text).is_empty());
    assert!(date::find_dates(&digits, Field::Text).is_empty());
    let wan = "万元".repeat(300_000);
    assert!(amount::find_amounts(&wan, Field::Text).is_empty());
    let list = "1、".repeat(200_000) + "2万元";
    assert_eq!(amount::find_amounts(&list, Field::Text).len(), 200_001);
    let dates = "10月21日—26日，".repeat(200_000);
    assert_eq!(date::find_dates(&dates, Field::Text).len(), 200_000);
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}
