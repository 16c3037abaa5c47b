//! The gazetteer: every known region with its parent links, and every name a
//! text may use for it (full names, short forms derived by rule, one-character
//! abbreviations, old names, curated aliases).
//!
//! Short forms are derived from the GB/T 2260 names rather than listed, so a
//! new table brings its short forms with it. Each name carries the condition
//! under which it counts as a mention ([`Need`]): a province's short form
//! always does, a county's short form only when the article is about its
//! city, because 金山 or 宝山 in an article about 山东 is a company or a
//! district of some other province, not the place.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A set of region indices with a cheap hash (indices are small integers).
pub type RegionSet = HashSet<u32, BuildHasherDefault<IndexHasher>>;

/// Hashes a `u32` index by one multiplication; enough for dense small keys.
#[derive(Default)]
pub struct IndexHasher(u64);

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

use super::dictionary::{Dictionaries, Level};
use crate::record::RegionInfo;

/// What kind of place a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Province,
    City,
    County,
    Town,
    Zone,
    Macro,
    Country,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Province => "province",
            Kind::City => "city",
            Kind::County => "county",
            Kind::Town => "town",
            Kind::Zone => "zone",
            Kind::Macro => "macro",
            Kind::Country => "country",
        }
    }

    /// Rank used to prefer the more prominent of two same-named places
    /// (lower is more prominent). Zones and macro-regions rank with cities.
    pub fn rank(self) -> u8 {
        match self {
            Kind::Province | Kind::Country => 0,
            Kind::City | Kind::Macro | Kind::Zone => 1,
            Kind::County => 2,
            Kind::Town => 3,
        }
    }
}

/// One region.
#[derive(Clone, Debug)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Index of the unit it lies within.
    pub parent: Option<u32>,
    /// Index of its province-level unit (itself for a province).
    pub province: Option<u32>,
    /// Index of its city-level unit (itself for a city; the municipality
    /// for a district of 上海, 北京, 天津, 重庆).
    pub city: Option<u32>,
}

/// How a name relates to its region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FormKind {
    Full,
    Short,
    /// One-character abbreviation; `strength` 2 stands alone after a cue
    /// (在沪), 1 only in a run of abbreviations (港澳), 0 only in a longer run.
    Abbr {
        strength: u8,
    },
    Old,
    Alias,
}

/// When a name counts as a mention of its region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Always (江苏, 苏州市, 浦东新区).
    None,
    /// When the region's city or parent is in the article's context, or the
    /// name directly follows an ancestor (上海宝山), or the name is unique and
    /// its province is in context (county and town short forms, town names).
    Context,
    /// Only directly after the name of its parent (阳泉市城区): the name is
    /// an ordinary word.
    Adjacent,
    /// A two-character full name (和县, 范县): like `Context`, and only where
    /// it does not end a longer word.
    Strict,
    /// The short form of a lesser place that a greater one shares (吉林 for
    /// 吉林市 beside 吉林省): only right after an ancestor, in a list of
    /// places of its own level, or with its city named in the article.
    Shadowed,
    /// Standing alone (not the end of a longer word) and with the region or
    /// its parent in context (示范区, 新片区).
    Bare,
    /// A short full name (应城市, 青浦区): where it does not end a longer
    /// word (适应城市), or with its province in context.
    Loose,
}

/// One name of one region.
#[derive(Clone, Debug)]
pub struct Form {
    pub text: String,
    pub region: u32,
    pub kind: FormKind,
    pub need: Need,
}

/// Regions and their names.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub regions: Vec<Region>,
    pub by_id: HashMap<String, u32>,
    pub forms: Vec<Form>,
    /// Zone → the units it is made of (示范区: 青浦, 吴江, 嘉善).
    pub members: HashMap<u32, Vec<u32>>,
}

/// Names in the division tables that stand for a missing level, not a place.
fn is_placeholder(name: &str) -> bool {
    matches!(
        name,
        "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
    )
}

impl Gazetteer {
    pub fn build(d: &Dictionaries) -> Gazetteer {
        let mut g = Gazetteer::default();
        let ethnic: Vec<&str> = {
            let mut v: Vec<&str> = d.words("ethnic").iter().map(String::as_str).collect();
            v.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            v
        };
        let empty = HashSet::new();
        let stop_short = d.stoplist.get("short").unwrap_or(&empty);
        let stop_city = d.stoplist.get("city").unwrap_or(&empty);
        let stop_full = d.stoplist.get("full").unwrap_or(&empty);

        // Placeholders: their children hang on the placeholder's parent.
        let placeholder: HashMap<&str, Option<&str>> = d
            .divisions
            .iter()
            .filter(|v| is_placeholder(&v.name))
            .map(|v| (v.code.as_str(), v.parent.as_deref()))
            .collect();
        let mut parent_codes: Vec<Option<String>> = Vec::new();
        for v in &d.divisions {
            if is_placeholder(&v.name) {
                continue;
            }
            let kind = match v.level {
                Level::Province => Kind::Province,
                Level::City => Kind::City,
                Level::County if is_zone_code(&v.code, &v.name) => Kind::Zone,
                Level::County => Kind::County,
                Level::Town if is_town_name(&v.name) => Kind::Town,
                Level::Town => continue,
            };
            if g.by_id.contains_key(&v.code) {
                continue; // the tables repeat no code, but never index one twice
            }
            // Parents skip placeholders: 浦东新区 lies within 上海市.
            let mut p = v.parent.as_deref();
            while let Some(code) = p {
                match placeholder.get(code) {
                    Some(up) => p = *up,
                    None => break,
                }
            }
            g.by_id.insert(v.code.clone(), g.regions.len() as u32);
            parent_codes.push(p.map(String::from));
            g.regions.push(Region {
                id: v.code.clone(),
                name: v.name.clone(),
                kind,
                parent: None,
                province: None,
                city: None,
            });
        }
        for (i, p) in parent_codes.into_iter().enumerate() {
            g.regions[i].parent = p.and_then(|p| g.by_id.get(&p).copied());
        }
        // Curated regions.
        let first_curated = g.regions.len();
        for c in &d.curated {
            let kind = match c.kind.as_str() {
                "zone" => Kind::Zone,
                "macro" => Kind::Macro,
                _ => Kind::Country,
            };
            let idx = g.regions.len() as u32;
            g.by_id.insert(c.id.clone(), idx);
            g.regions.push(Region {
                id: c.id.clone(),
                name: c.name.clone(),
                kind,
                parent: None,
                province: None,
                city: None,
            });
        }
        for (k, c) in d.curated.iter().enumerate() {
            g.regions[first_curated + k].parent =
                c.parent.as_ref().and_then(|p| g.by_id.get(p).copied());
        }
        // Ancestors.
        for i in 0..g.regions.len() {
            let (mut province, mut city) = (None, None);
            let mut cur = Some(i as u32);
            let mut steps = 0;
            while let Some(c) = cur {
                let r = &g.regions[c as usize];
                match r.kind {
                    Kind::Province => {
                        province.get_or_insert(c);
                        city.get_or_insert(c); // a municipality is its own city
                    }
                    Kind::City => {
                        city.get_or_insert(c);
                    }
                    _ => {}
                }
                cur = r.parent;
                steps += 1;
                if steps > 8 {
                    break; // a cycle in curated parents; stop rather than loop
                }
            }
            // A province is only its own "city" when it is a municipality.
            if g.regions[i].kind == Kind::Province && !is_municipality(&g.regions[i].name) {
                city = None;
            }
            g.regions[i].province = province;
            g.regions[i].city = city;
        }

        // Names.
        let mut forms = Vec::new();
        for (i, r) in g.regions.iter().enumerate() {
            let i = i as u32;
            match r.kind {
                Kind::Province => {
                    forms.push(Form {
                        text: r.name.clone(),
                        region: i,
                        kind: FormKind::Full,
                        need: Need::None,
                    });
                    if let Some(s) = province_short(&r.name, &ethnic) {
                        forms.push(Form {
                            text: s,
                            region: i,
                            kind: FormKind::Short,
                            need: Need::None,
                        });
                    }
                }
                Kind::City => {
                    forms.push(Form {
                        text: r.name.clone(),
                        region: i,
                        kind: FormKind::Full,
                        need: Need::None,
                    });
                    // 海南藏族自治州 is also written 海南州.
                    if r.name.ends_with("自治州") {
                        if let Some(s) = city_short(&r.name, &ethnic).filter(|s| !s.ends_with('州'))
                        {
                            forms.push(Form {
                                text: format!("{s}州"),
                                region: i,
                                kind: FormKind::Short,
                                need: Need::None,
                            });
                        }
                    }
                    if let Some(s) = city_short(&r.name, &ethnic) {
                        if !stop_city.contains(&s) {
                            forms.push(Form {
                                text: s,
                                region: i,
                                kind: FormKind::Short,
                                need: Need::None,
                            });
                        }
                    }
                }
                Kind::County => {
                    let need = if stop_full.contains(&r.name) {
                        Need::Adjacent
                    } else if r.name.chars().count() <= 2 {
                        Need::Strict
                    } else if r.name.chars().count() == 3 {
                        Need::Loose
                    } else {
                        Need::None
                    };
                    forms.push(Form {
                        text: r.name.clone(),
                        region: i,
                        kind: FormKind::Full,
                        need,
                    });
                    if let Some(s) = county_short(&r.name, &ethnic) {
                        if !stop_short.contains(&s) && need != Need::Adjacent {
                            forms.push(Form {
                                text: s,
                                region: i,
                                kind: FormKind::Short,
                                need: Need::Context,
                            });
                        }
                    }
                }
                Kind::Town => {
                    forms.push(Form {
                        text: r.name.clone(),
                        region: i,
                        kind: FormKind::Full,
                        need: Need::Context,
                    });
                    if let Some(s) = town_short(&r.name, &ethnic) {
                        if !stop_short.contains(&s) {
                            forms.push(Form {
                                text: s,
                                region: i,
                                kind: FormKind::Short,
                                need: Need::Context,
                            });
                        }
                    }
                }
                Kind::Zone if (i as usize) < first_curated => {
                    // Development zones in the division tables, and their usual
                    // short names (合肥高新技术产业开发区 → 合肥高新区).
                    forms.push(Form {
                        text: r.name.clone(),
                        region: i,
                        kind: FormKind::Full,
                        need: Need::None,
                    });
                    for (long, short) in [
                        ("高新技术产业开发区", "高新区"),
                        ("高新技术开发区", "高新区"),
                        ("经济技术开发区", "经开区"),
                    ] {
                        if let Some(stem) =
                            r.name.strip_suffix(long).filter(|s| s.chars().count() >= 2)
                        {
                            forms.push(Form {
                                text: format!("{stem}{short}"),
                                region: i,
                                kind: FormKind::Short,
                                need: Need::None,
                            });
                        }
                    }
                }
                Kind::Zone | Kind::Macro | Kind::Country => {}
            }
        }
        for (k, c) in d.curated.iter().enumerate() {
            let i = (first_curated + k) as u32;
            forms.push(Form {
                text: c.name.clone(),
                region: i,
                kind: FormKind::Full,
                need: Need::None,
            });
            for a in &c.aliases {
                forms.push(Form {
                    text: a.clone(),
                    region: i,
                    kind: FormKind::Alias,
                    need: Need::None,
                });
            }
            for a in &c.context_aliases {
                forms.push(Form {
                    text: a.clone(),
                    region: i,
                    kind: FormKind::Alias,
                    need: Need::Context,
                });
            }
            for a in &c.bare_aliases {
                forms.push(Form {
                    text: a.clone(),
                    region: i,
                    kind: FormKind::Alias,
                    need: Need::Bare,
                });
            }
        }
        for (abbr, id, strength) in &d.abbreviations {
            if let Some(&i) = g.by_id.get(id) {
                forms.push(Form {
                    text: abbr.clone(),
                    region: i,
                    kind: FormKind::Abbr {
                        strength: *strength,
                    },
                    need: Need::None,
                });
            }
        }
        for (old, id) in &d.old_names {
            if let Some(&i) = g.by_id.get(id) {
                forms.push(Form {
                    text: old.clone(),
                    region: i,
                    kind: FormKind::Old,
                    need: Need::None,
                });
            }
        }
        for (alias, id) in &d.aliases {
            if let Some(&i) = g.by_id.get(id) {
                forms.push(Form {
                    text: alias.clone(),
                    region: i,
                    kind: FormKind::Alias,
                    need: Need::None,
                });
            }
        }
        demote_shadowed_short_forms(&g.regions, &mut forms);
        g.forms = forms;
        for (zone, member) in &d.zone_members {
            if let (Some(&z), Some(&m)) = (g.by_id.get(zone), g.by_id.get(member)) {
                g.members.entry(z).or_default().push(m);
            }
        }
        g
    }

    pub fn get(&self, id: &str) -> Option<&Region> {
        self.by_id.get(id).map(|&i| &self.regions[i as usize])
    }

    pub fn info(&self, id: &str) -> Option<RegionInfo> {
        let r = self.get(id)?;
        Some(RegionInfo {
            id: r.id.clone(),
            name: r.name.clone(),
            kind: r.kind.as_str().to_string(),
            parent: r.parent.map(|p| self.regions[p as usize].id.clone()),
        })
    }

    /// Is `ancestor` the region itself or one of the units it lies within?
    pub fn within(&self, region: u32, ancestor: u32) -> bool {
        self.ancestors(region).any(|a| a == ancestor)
    }

    /// The region and every unit above it (at most eight: curated parents
    /// could form a cycle).
    pub fn ancestors(&self, region: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(Some(region), move |&c| self.regions[c as usize].parent).take(8)
    }
}

/// When one string is the short form of two places of different levels (吉林:
/// the province and 吉林市; 海南: the province and 海南藏族自治州), the
/// lesser place's form counts only in its context. Same-level clashes stay
/// ambiguous and are resolved (or not) per article.
fn demote_shadowed_short_forms(regions: &[Region], forms: &mut [Form]) {
    let mut best: HashMap<&str, u8> = HashMap::new();
    for f in forms.iter() {
        if f.need == Need::None && matches!(f.kind, FormKind::Short | FormKind::Full) {
            let rank = regions[f.region as usize].kind.rank();
            let e = best.entry(f.text.as_str()).or_insert(rank);
            *e = (*e).min(rank);
        }
    }
    let best: HashMap<String, u8> = best.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    for f in forms.iter_mut() {
        if f.need == Need::None && f.kind == FormKind::Short {
            if let Some(&b) = best.get(&f.text) {
                if regions[f.region as usize].kind.rank() > b {
                    f.need = Need::Shadowed;
                }
            }
        }
    }
}

/// A province-level unit named 市 is a municipality (北京市, 上海市): it is
/// its own city.
fn is_municipality(name: &str) -> bool {
    name.ends_with('市')
}

/// Development zones and other non-standard units in the county table
/// (codes xxxx7x, names like 经济技术开发区).
fn is_zone_code(code: &str, name: &str) -> bool {
    code.as_bytes().get(4) == Some(&b'7')
        || name.ends_with("开发区")
        || name.ends_with("管理区")
        || name.ends_with("管委会")
        || name.ends_with("委员会")
}

/// Towns and streets worth naming: 镇, 乡, 街道 (not farms, prisons, companies).
fn is_town_name(name: &str) -> bool {
    name.chars().count() >= 3
        && (name.ends_with('镇') || name.ends_with('乡') || name.ends_with("街道"))
}

/// Strip trailing ethnic names (土家族苗族) while at least two characters remain.
fn strip_ethnic(mut s: &str, ethnic: &[&str]) -> String {
    'outer: loop {
        for e in ethnic {
            if let Some(rest) = s.strip_suffix(e) {
                if rest.chars().count() >= 2 {
                    s = rest;
                    continue 'outer;
                }
            }
        }
        return s.to_string();
    }
}

fn strip_any<'a>(name: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes
        .iter()
        .find_map(|suf| name.strip_suffix(suf))
        .filter(|rest| rest.chars().count() >= 2)
}

/// 江苏省 → 江苏, 上海市 → 上海, 广西壮族自治区 → 广西, 香港特别行政区 → 香港.
pub fn province_short(name: &str, ethnic: &[&str]) -> Option<String> {
    if let Some(rest) = name.strip_suffix("自治区") {
        return Some(strip_ethnic(rest, ethnic)).filter(|s| s.chars().count() >= 2);
    }
    strip_any(name, &["特别行政区", "省", "市"]).map(String::from)
}

/// 苏州市 → 苏州, 阿里地区 → 阿里, 兴安盟 → 兴安, 延边朝鲜族自治州 → 延边.
pub fn city_short(name: &str, ethnic: &[&str]) -> Option<String> {
    if let Some(rest) = name.strip_suffix("自治州") {
        return Some(strip_ethnic(rest, ethnic)).filter(|s| s.chars().count() >= 2);
    }
    strip_any(name, &["地区", "市", "盟"]).map(String::from)
}

/// 浦东新区 → 浦东, 常熟市 → 常熟, 长阳土家族自治县 → 长阳; none for 沛县.
pub fn county_short(name: &str, ethnic: &[&str]) -> Option<String> {
    for suf in ["自治县", "自治旗"] {
        if let Some(rest) = name.strip_suffix(suf) {
            return Some(strip_ethnic(rest, ethnic)).filter(|s| s.chars().count() >= 2);
        }
    }
    strip_any(name, &["新区", "林区", "特区", "区", "县", "市", "旗"]).map(String::from)
}

/// 朱家角镇 → 朱家角, 陆家嘴街道 → 陆家嘴; none for road-named streets
/// (南京东路街道: 南京东路 is the road).
pub fn town_short(name: &str, ethnic: &[&str]) -> Option<String> {
    if let Some(rest) = name.strip_suffix("民族乡") {
        return Some(strip_ethnic(rest, ethnic)).filter(|s| s.chars().count() >= 2);
    }
    if let Some(rest) = name.strip_suffix("街道") {
        if rest.ends_with('路') || rest.ends_with('街') {
            return None;
        }
        return Some(rest.to_string()).filter(|s| s.chars().count() >= 2);
    }
    strip_any(name, &["新镇", "镇", "乡"]).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ETHNIC: &[&str] = &["土家族", "苗族", "朝鲜族", "藏族", "壮族", "回族", "维吾尔"];

    #[test]
    fn short_forms_by_rule() {
        assert_eq!(province_short("江苏省", ETHNIC).as_deref(), Some("江苏"));
        assert_eq!(province_short("上海市", ETHNIC).as_deref(), Some("上海"));
        assert_eq!(
            province_short("广西壮族自治区", ETHNIC).as_deref(),
            Some("广西")
        );
        assert_eq!(
            province_short("新疆维吾尔自治区", ETHNIC).as_deref(),
            Some("新疆")
        );
        assert_eq!(city_short("苏州市", ETHNIC).as_deref(), Some("苏州"));
        assert_eq!(
            city_short("恩施土家族苗族自治州", ETHNIC).as_deref(),
            Some("恩施")
        );
        assert_eq!(
            city_short("海南藏族自治州", ETHNIC).as_deref(),
            Some("海南")
        );
        assert_eq!(county_short("浦东新区", ETHNIC).as_deref(), Some("浦东"));
        assert_eq!(county_short("常熟市", ETHNIC).as_deref(), Some("常熟"));
        assert_eq!(county_short("沛县", ETHNIC), None);
        assert_eq!(town_short("朱家角镇", ETHNIC).as_deref(), Some("朱家角"));
        assert_eq!(town_short("南京东路街道", ETHNIC), None);
    }

    fn gazetteer() -> Gazetteer {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
        Gazetteer::build(&Dictionaries::load(&dir).unwrap())
    }

    #[test]
    fn parents_skip_placeholders_and_municipalities_are_cities() {
        let g = gazetteer();
        let pudong = g.get("310115").unwrap();
        assert_eq!(g.regions[pudong.parent.unwrap() as usize].id, "310000");
        assert_eq!(g.regions[pudong.city.unwrap() as usize].id, "310000");
        let wuzhong = g.get("320506").unwrap();
        assert_eq!(g.regions[wuzhong.parent.unwrap() as usize].id, "320500");
        assert_eq!(g.regions[wuzhong.province.unwrap() as usize].id, "320000");
        assert_eq!(g.info("320500").unwrap().parent.as_deref(), Some("320000"));
        assert_eq!(g.info("洋山特殊综合保税区").unwrap().kind, "zone");
        assert!(g.get("310100").is_none(), "市辖区 is not a place");
    }

    #[test]
    fn lesser_places_sharing_a_short_form_need_context() {
        let g = gazetteer();
        let need = |text: &str, id: &str| {
            let i = g.by_id[id];
            g.forms
                .iter()
                .find(|f| f.text == text && f.region == i)
                .map(|f| f.need)
        };
        assert_eq!(need("吉林", "220000"), Some(Need::None));
        assert_eq!(need("吉林", "220200"), Some(Need::Shadowed));
        assert_eq!(need("海南", "460000"), Some(Need::None));
        assert_eq!(need("海南", "632500"), Some(Need::Shadowed));
        assert_eq!(need("海南州", "632500"), Some(Need::None));
        assert_eq!(need("西安", "610100"), Some(Need::None));
        assert_eq!(need("西安", "220403"), Some(Need::Context));
        assert_eq!(need("城区", "140302"), Some(Need::Adjacent));
        assert_eq!(need("浦东", "310115"), Some(Need::Context));
        assert_eq!(need("和县", "340523"), Some(Need::Strict));
        assert_eq!(need("襄樊", "420600"), Some(Need::None));
    }
}
