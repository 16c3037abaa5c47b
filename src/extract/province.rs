//! The province of an article: where the event mainly takes place.
//!
//! The title says it best (上海发布…, 深圳实施…): places named in the title
//! decide, then the regions of agencies named in the title, then places that
//! the title names only inside an organisation's name (天津海洋装备产业联盟,
//! still 天津's), then the body. Several provinces in the title, or a
//! Yangtze-Delta title whose body speaks of 三省一市, make a multi-province
//! event: `None`. Where the bulletin is published (a Zhejiang office in
//! Shanghai) is not evidence and is never looked at.

use std::collections::HashMap;

use super::agency::Place;
use super::gazetteer::{Gazetteer, Kind};
use super::region::{RegionTok, Role};
use super::rules::Rules;
use super::text::Text;

/// The province a region lies in; `None` for countries and for zones and
/// macro-regions spanning several provinces.
fn province_of(g: &Gazetteer, r: u32) -> Option<u32> {
    g.regions[r as usize].province
}

fn spans_provinces(g: &Gazetteer, r: u32) -> bool {
    let reg = &g.regions[r as usize];
    matches!(reg.kind, Kind::Macro | Kind::Zone) && reg.province.is_none()
}

fn distinct(v: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

/// Decide the article's province. `agency_regions` are the written regions
/// of agencies: (field, region).
pub fn decide(
    g: &Gazetteer,
    rules: &Rules,
    texts: &[Text; 2],
    regions: &[RegionTok],
    agency_regions: &[(usize, u32)],
) -> Option<u32> {
    let title: Vec<&RegionTok> = regions
        .iter()
        .filter(|t| t.field == 0 && t.one().is_some())
        .collect();
    let mentions: Vec<u32> = title
        .iter()
        .filter(|t| t.role == Role::Mention)
        .filter_map(|t| t.one())
        .collect();
    let multi = mentions.iter().any(|&r| spans_provinces(g, r));
    let provinces = distinct(mentions.iter().filter_map(|&r| province_of(g, r)));
    match provinces.len() {
        1 => return Some(provinces[0]),
        0 => {}
        _ => return None,
    }
    let provinces = distinct(
        agency_regions
            .iter()
            .filter(|(f, _)| *f == 0)
            .filter_map(|&(_, r)| province_of(g, r)),
    );
    match provinces.len() {
        1 => return Some(provinces[0]),
        0 => {}
        _ => return None,
    }
    if !multi {
        let inside = distinct(
            title
                .iter()
                .filter(|t| t.role != Role::Mention && t.role != Role::Road)
                .filter_map(|t| t.one())
                .filter_map(|r| province_of(g, r)),
        );
        if inside.len() == 1 {
            return Some(inside[0]);
        }
    }
    // The body: a clear majority of the places and agencies it names.
    let body = &texts[1];
    if rules
        .multi_province
        .iter()
        .any(|w| body.string.contains(w.as_str()))
    {
        return None;
    }
    let mut counts: HashMap<u32, usize> = HashMap::new();
    let mut total = 0;
    let body_regions = regions
        .iter()
        .filter(|t| t.field == 1 && t.role == Role::Mention)
        .filter_map(|t| t.one());
    let body_agencies = agency_regions
        .iter()
        .filter(|(f, _)| *f == 1)
        .map(|&(_, r)| r);
    for r in body_regions.chain(body_agencies) {
        if let Some(p) = province_of(g, r) {
            *counts.entry(p).or_default() += 1;
            total += 1;
        }
    }
    let (&best, &n) = counts
        .iter()
        .max_by_key(|(&p, &n)| (n, std::cmp::Reverse(p)))?;
    if n * 5 >= total * 3 {
        Some(best)
    } else {
        None
    }
}

/// The article's province, city and county, for implied regions (该市, 省).
pub fn place(g: &Gazetteer, regions: &[RegionTok], province: Option<u32>) -> Place {
    let is_municipality = |r: u32| g.regions[r as usize].city == Some(r);
    let mut place = Place {
        province,
        ..Place::default()
    };
    if let Some(p) = province.filter(|&p| is_municipality(p)) {
        place.city = Some(p);
    }
    let in_province = |r: u32| province.map_or(true, |p| g.regions[r as usize].province == Some(p));
    for field in [0, 1] {
        if place.city.is_none() {
            let cities = distinct(
                regions
                    .iter()
                    .filter(|t| t.field == field)
                    .filter_map(|t| t.one())
                    .filter(|&r| in_province(r))
                    .filter_map(|r| g.regions[r as usize].city),
            );
            if cities.len() == 1 {
                place.city = Some(cities[0]);
            }
        }
    }
    let counties = distinct(
        regions
            .iter()
            .filter(|t| t.field == 0)
            .filter_map(|t| t.one())
            .filter(|&r| g.regions[r as usize].kind == Kind::County),
    );
    if counties.len() == 1 {
        place.county = Some(counties[0]);
    }
    place
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{extract, extractor};
    use crate::record::{Article, BulletinMeta};

    fn province(title: &str, text: &str) -> Option<String> {
        extract(title, text).province
    }

    #[test]
    fn the_title_decides_first() {
        assert_eq!(
            province("深圳实施我国首个生态产品价值核算统计制度", "").as_deref(),
            Some("广东省")
        );
        assert_eq!(
            province("洋山特殊综合保税区首创“径予放行”模式", "").as_deref(),
            Some("上海市")
        );
        assert_eq!(
            province(
                "上海、深圳、青岛开启工业互联网生态共建",
                "上海市工业互联网协会"
            ),
            None
        );
        assert_eq!(
            province("全国首个人工智能创新应用先导区在沪启动建设", "").as_deref(),
            Some("上海市")
        );
        assert_eq!(
            province("上海海关正式上线全国首个“跨境贸易中介点评”网站", "").as_deref(),
            Some("上海市")
        );
        assert_eq!(
            province("天津海洋装备产业（人才）联盟成立", "涵盖京、津、沪等地区").as_deref(),
            Some("天津市")
        );
    }

    #[test]
    fn delta_titles_look_at_the_body() {
        assert_eq!(
            province(
                "长三角一体化示范区出台专业技术人员资格互认办法",
                "执委会会同上海、江苏、浙江两省一市人社部门联合出台办法。"
            ),
            None
        );
        assert_eq!(
            province(
                "长三角首个“消费品召回直通车”开通",
                "11 家企业成为首批上海消费品召回直通企业。上海市场监管部门已在开发平台。"
            ),
            Some("上海市".into())
        );
        assert_eq!(
            province(
                "推动长三角成全国 5G 示范区",
                "江苏省政府办公厅已下发了通知。江苏从省级层面进行了部署。"
            ),
            Some("江苏省".into())
        );
    }

    #[test]
    fn the_bulletins_own_office_is_no_evidence() {
        let article = Article {
            id: "t:01".into(),
            source: "t.txt".into(),
            bulletin: BulletinMeta {
                publisher: Some("浙江省人民政府驻上海办事处".into()),
                ..BulletinMeta::default()
            },
            section: None,
            title: "安徽建成全国首个省级大数据停电感知平台".into(),
            text: "目前该平台已在安徽省 16 个市、52 个县开展试点应用。".into(),
            ..Default::default()
        };
        assert_eq!(
            extractor().extract(&article).province.as_deref(),
            Some("安徽省")
        );
    }
}
