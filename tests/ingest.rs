//! Ingest on the bundled sample corpus: every article with its exact title
//! and section, and the same articles whatever the file's encoding, line
//! ends or character width.

use std::path::Path;

use policygraph::ingest::{self, Bulletin, SectionNames};

/// (file, [(section, title)]): read off the bulletins by hand, in order.
const EXPECTED: &[(&str, &[(Option<&str>, &str)])] = &[
    (
        "000_5fd69a67e7dd1237.txt",
        &[
            (Some("经济热点"), "上海启用全国首家市域物联网运营中心"),
            (Some("产业动向"), "上海临港新片区10大政策助人工智能产业发展"),
            (
                Some("产业动向"),
                "上海金山区发布特色产业发展指引首次提出“特色微园”",
            ),
            (Some("产业动向"), "国际标准化长三角协作平台在上海启动"),
            (Some("产业动向"), "江苏50万千瓦海上风电项目落地盐城"),
            (Some("政策举措"), "上海发布十类场景防护须知"),
            (Some("政策举措"), "长三角示范区气象保障系统明年全面建设"),
            (
                Some("政策举措"),
                "上海七部门联合制发告知书确保国家降电价政策落实到位",
            ),
            (Some("经验交流"), "上海将推广试点参与式社区规划制度"),
            (
                Some("经验交流"),
                "上海首次发布标准化工作白皮书多项创新实践领跑全国",
            ),
            (Some("经验交流"), "上海市浦东新区五方面推进“一业一证”改革"),
            (Some("经验交流"), "上海推出智慧停车应用破解停车难问题"),
            (Some("域外动态"), "山东将重点推进“六有”促进灵活就业"),
            (Some("域外动态"), "山东省明确新型智慧城市建设推进目标"),
            (Some("域外动态"), "山东省率先编制建筑节能示范文本"),
            (
                Some("域外动态"),
                "广东省多措并举破解小微企业融资“最后一公里”难题",
            ),
            (
                Some("域外动态"),
                "广东“双百行动”重大项目用地审批时间压缩75%",
            ),
            (Some("域外动态"), "深圳实施我国首个生态产品价值核算统计制度"),
        ],
    ),
    (
        "001_36884ec9de0aea5a.txt",
        &[
            (
                Some("科创聚焦"),
                "上海技术交易所开市建成服务全国技术转移交易网络",
            ),
            (Some("科创聚焦"), "上海提出人工智能产业发展布局四点考虑"),
            (Some("经济热点"), "上海成立保险区块链创新中心"),
            (
                Some("经济热点"),
                "浦东新区出台全国首个政务领域“区块链建设标准”",
            ),
            (Some("经济热点"), "江苏发布区块链产业发展计划"),
            (Some("产业动向"), "上海提出“十四五”期间节能“五新”发展思路"),
            (Some("产业动向"), "上海临港新片区大飞机园启动"),
            (
                Some("产业动向"),
                "长三角(上海)互联网医院投入运行提升健康服务能级",
            ),
            (Some("产业动向"), "我国首个海上风机塔AIS基站在上海建成"),
            (Some("产业动向"), "江苏发布方案推进20个省级信用管理行业示范"),
            (Some("政策举措"), "上海立法为公共文化服务“立规矩”"),
            (
                Some("政策举措"),
                "上海成立长三角投资公司服务一体化发展国家战略",
            ),
            (
                Some("政策举措"),
                "江苏将对钢铁企业实施超低排放差别化电价政策",
            ),
            (
                Some("经验交流"),
                "上海宝山成立培训就业联盟“拼单”培养技能人才",
            ),
            (
                Some("经验交流"),
                "上海启用国内首家实景式养老服务能力建设基地",
            ),
            (Some("经验交流"), "上海成立营商环境研究中心将定期发布白皮书"),
            (Some("经验交流"), "安徽建成全国首个省级大数据停电感知平台"),
            (
                Some("域外动态"),
                "山东省整合设立120亿元资金用于五大科技创新领域",
            ),
            (
                Some("域外动态"),
                "青岛市全国首创将对七类农业废弃物进行规范管理",
            ),
            (Some("域外动态"), "广东建立败诉行政案件报告制度"),
            (Some("域外动态"), "深圳出台19条措施加快电子商务发展"),
            (Some("域外动态"), "天津海洋装备产业（人才）联盟成立"),
        ],
    ),
    (
        "002_490650ad3478054a.txt",
        &[
            (Some("科创聚焦"), "上海举办首届全球金融科技大会“外滩大会”"),
            (
                Some("经济热点"),
                "黄浦区出台外滩金融集聚带加快推进金融科技发展意见",
            ),
            (Some("经济热点"), "上海、深圳、青岛开启工业互联网生态共建"),
            (Some("经济热点"), "上海启动8条商旅文联动专线促消费"),
            (Some("产业动向"), "长三角首个“消费品召回直通车”开通"),
            (
                Some("产业动向"),
                "上海市出租车统一平台“申程出行”下周一正式上线",
            ),
            (Some("产业动向"), "江苏打造百亿级省级农产品加工集中区"),
            (Some("政策举措"), "上海正式出台“食安封签”管理办法"),
            (Some("政策举措"), "江苏省发布八条政策意见促进汽车消费"),
            (Some("政策举措"), "江苏省在全国率先明确复垦责任及费用存取"),
            (
                Some("经验交流"),
                "长三角一体化示范区出台专业技术人员资格互认办法",
            ),
            (
                Some("经验交流"),
                "江苏首家首贷服务中心揭牌用数据分析破除首贷“歧视”",
            ),
            (Some("经验交流"), "江苏全国率先推出“工伤保险专递”服务"),
            (
                Some("经验交流"),
                "南京探索设立联合河湖长打破行政壁垒织密河湖防护网",
            ),
            (Some("经验交流"), "安徽闭环施策保证环保自动监测数据真实准确"),
            (Some("域外动态"), "山东出台全国首个推动工业设备上云文件"),
            (
                Some("域外动态"),
                "山东成立国内首家非营利性区域海洋经济团体联盟组织",
            ),
            (Some("域外动态"), "广东设5亿元质量提升发展基金"),
            (Some("域外动态"), "深圳前海成立数字贸易产业促进联盟"),
            (Some("域外动态"), "深圳企业接电平均不超过7天"),
            (Some("域外动态"), "厦门港“港航信易贷”上线运营系全国首创"),
        ],
    ),
    (
        "003_fefd0e6c0ad8662e.txt",
        &[
            (
                Some("科创聚焦"),
                "长三角绿色智能建造产教协同创新联盟在上海成立",
            ),
            (Some("科创聚焦"), "江苏启动科技创新券试点"),
            (Some("经济热点"), "上海推出42条措施加快临港新片区建设"),
            (Some("经济热点"), "洋山特殊综合保税区首创“径予放行”模式"),
            (
                Some("产业动向"),
                "长三角签署住房公积金一体化协议率先从9方面合作",
            ),
            (Some("产业动向"), "长三角一体化示范区涉税事项跨区域通办"),
            (Some("产业动向"), "上海成立影院金融服务平台"),
            (
                Some("产业动向"),
                "江苏出台限塑路线图年底前禁用不可降解塑料餐具",
            ),
            (Some("产业动向"), "苏州“八个一”工作模式培优做强产业链"),
            (
                Some("政策举措"),
                "上海海关正式上线全国首个“跨境贸易中介点评”网站",
            ),
            (Some("政策举措"), "江苏明确基层为民（便民）服务中心建设要求"),
            (Some("政策举措"), "江苏出台12条措施支持出口产品转内销"),
            (Some("经验交流"), "洋山港全模式套泊每年将释放产能近亿元"),
            (Some("经验交流"), "上海企业实现全国首批“数字化”银行开户"),
            (Some("经验交流"), "江苏推行交通信用“红黑名单”"),
            (Some("域外动态"), "山东省发布全国首个人事考试考务服务规范"),
            (
                Some("域外动态"),
                "广东发文推进中小学幼儿园跨市域跨县域集团化办学",
            ),
            (Some("域外动态"), "福建省构建全链条环境监管防线"),
            (Some("域外动态"), "重庆市新型智慧城市运行管理中心投运"),
        ],
    ),
    (
        "004_41d73a1e40dfc479.txt",
        &[
            (None, "长三角一体化发展步入认识高度统一、加快推进新阶段"),
            (None, "长三角向高质量发展区域集群迈进"),
            (None, "全国首个人工智能创新应用先导区在沪启动建设"),
            (None, "上海市推动科技创新资源互联互通和开放共享"),
            (None, "推动长三角成全国5G示范区"),
            (None, "长三角G60科创走廊人工智能产业联盟在上海松江成立"),
            (None, "在福建银行服务民营企业贡献突出有奖"),
        ],
    ),
];

fn sections() -> SectionNames {
    SectionNames::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/sections.csv"))
        .unwrap()
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/sample")
            .join(name),
    )
    .unwrap()
}

fn parse(bytes: &[u8], name: &str) -> Bulletin {
    ingest::parse_bytes(bytes, name, name.trim_end_matches(".txt"), &sections()).unwrap()
}

#[test]
fn every_sample_article_has_its_exact_title_and_section() {
    for (file, expected) in EXPECTED {
        let bulletin = parse(&sample(file), file);
        let got: Vec<(Option<&str>, &str)> = bulletin
            .articles
            .iter()
            .map(|a| (a.section.as_deref(), a.title.as_str()))
            .collect();
        assert_eq!(&got, expected, "{file}");
        for a in &bulletin.articles {
            assert!(!a.text.is_empty(), "{file}: {} has no body", a.title);
        }
    }
}

#[test]
fn contents_lines_and_subheadings_never_become_articles() {
    for (file, _) in EXPECTED {
        let bulletin = parse(&sample(file), file);
        for a in &bulletin.articles {
            assert!(
                !a.title.starts_with(['一', '二', '三', '四', '五', '-']),
                "{file}: {}",
                a.title
            );
            assert!(
                !a.title.ends_with(|c: char| c.is_ascii_digit()) || a.title.ends_with("5G"),
                "{file}: {}",
                a.title
            );
        }
    }
}

#[test]
fn bodies_are_rejoined_across_wraps() {
    // 003 is a PDF extract hard-wrapped mid-sentence.
    let bulletin = parse(
        &sample("003_fefd0e6c0ad8662e.txt"),
        "003_fefd0e6c0ad8662e.txt",
    );
    let voucher = bulletin
        .articles
        .iter()
        .find(|a| a.title == "江苏启动科技创新券试点")
        .unwrap();
    assert!(voucher.text.starts_with("近日，江苏省科技厅、省财政厅联合印发《江苏省科技创新券试点方案》，启动科技创新券试点工作。"));
    assert_eq!(voucher.text.lines().count(), 1);
    // 000 breaks paragraphs at page ends, across blank lines.
    let bulletin = parse(
        &sample("000_5fd69a67e7dd1237.txt"),
        "000_5fd69a67e7dd1237.txt",
    );
    let first = &bulletin.articles[0];
    assert!(first.text.contains("以实战应用场景需求为导向"));
    assert!(bulletin.articles.iter().all(|a| !a.text.contains("转供\n")));
}

#[test]
fn bulletin_headers() {
    let b = parse(&sample("000_5fd69a67e7dd1237.txt"), "000.txt");
    assert_eq!(b.meta.title.as_deref(), Some("长三角每周要讯"));
    assert_eq!(b.meta.issue.as_deref(), Some("2020 年第 192 期"));
    assert_eq!(
        b.meta.publisher.as_deref(),
        Some("浙江省人民政府驻上海办事处")
    );
    assert_eq!(
        b.meta.date.map(|d| d.to_string()).as_deref(),
        Some("2020-10-23")
    );
    let b = parse(&sample("004_41d73a1e40dfc479.txt"), "004.txt");
    assert_eq!(b.meta.title.as_deref(), Some("长三角改革动态"));
    assert_eq!(b.meta.issue.as_deref(), Some("2019 年第 24 期; 总第 44 期"));
    assert_eq!(
        b.meta.publisher.as_deref(),
        Some("山西省人民政府驻上海办事处")
    );
    assert_eq!(
        b.meta.date.map(|d| d.to_string()).as_deref(),
        Some("2019-07-09")
    );
    let b = parse(&sample("003_fefd0e6c0ad8662e.txt"), "003.txt");
    assert_eq!(b.meta, Default::default());
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

/// ASCII digits, `%` and `.` → their full-width forms.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '%' | '.' | 'A'..='Z' | 'a'..='z' => {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            }
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

#[test]
fn encodings_line_ends_and_widths_yield_the_same_articles() {
    for (file, _) in EXPECTED {
        let original = sample(file);
        let text = String::from_utf8(original.clone()).unwrap();
        let reference = parse(&original, file).articles;
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        assert!(!unmappable);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(&original);
        let variants: Vec<(&str, Vec<u8>)> = vec![
            ("GBK", gbk.into_owned()),
            ("UTF-16LE", utf16(&text, true)),
            ("UTF-16BE", utf16(&text, false)),
            ("UTF-8 BOM", bom),
            ("CRLF", text.replace('\n', "\r\n").into_bytes()),
            ("CR", text.replace('\n', "\r").into_bytes()),
            ("full-width", full_width(&text).into_bytes()),
        ];
        for (name, bytes) in variants {
            let articles = parse(&bytes, file).articles;
            assert_eq!(articles.len(), reference.len(), "{file} as {name}");
            for (a, r) in articles.iter().zip(&reference) {
                assert_eq!(
                    (&a.title, &a.section),
                    (&r.title, &r.section),
                    "{file} as {name}"
                );
                // Ideographic spaces become plain ones: compare without spaces.
                let squeeze =
                    |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                assert_eq!(
                    squeeze(&a.text),
                    squeeze(&r.text),
                    "{file} as {name}: {}",
                    a.title
                );
            }
        }
    }
}

#[test]
fn ids_are_stable_and_unique() {
    let a = parse(
        &sample("001_36884ec9de0aea5a.txt"),
        "001_36884ec9de0aea5a.txt",
    );
    let b = parse(
        &sample("001_36884ec9de0aea5a.txt"),
        "001_36884ec9de0aea5a.txt",
    );
    let ids: Vec<&str> = a.articles.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(
        ids,
        b.articles.iter().map(|x| x.id.as_str()).collect::<Vec<_>>()
    );
    assert_eq!(ids[0], "001_36884ec9de0aea5a:01");
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
}

/// A volume: the five samples in one file (as `cat` joins them, without a
/// line break between files) are their 87 articles, each issue on its own
/// with the titles, sections and dates it has alone.
#[test]
fn the_samples_concatenated_are_five_issues_of_87_articles() {
    let mut joined = Vec::new();
    let mut alone = Vec::new();
    for (name, _) in EXPECTED {
        let bytes = sample(name);
        joined.extend_from_slice(&bytes);
        alone.push(parse(&bytes, name));
    }
    let volume = parse(&joined, "volume.txt");
    assert_eq!(volume.articles.len(), 87);
    let mut at = 0;
    for (k, single) in alone.iter().enumerate() {
        let stem = if k == 0 {
            "volume".to_string()
        } else {
            format!("volume#{}", k + 1)
        };
        for (i, a) in single.articles.iter().enumerate() {
            let v = &volume.articles[at];
            assert_eq!(v.id, format!("{stem}:{:02}", i + 1));
            assert_eq!(
                (&v.title, &v.section),
                (&a.title, &a.section),
                "issue {}",
                k + 1
            );
            assert_eq!(v.bulletin, a.bulletin, "issue {}", k + 1);
            assert_eq!(v.published, a.published);
            at += 1;
        }
    }
}
