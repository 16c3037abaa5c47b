//! Agencies: a region (written, implied or inherited) plus an agency stem
//! from `dictionaries/agencies/stems.csv`, or a national body from
//! `national.csv`.
//!
//! The region of 江苏省科技厅 is written; that of 省科技厅 or 该省科技厅 is
//! the article's province; that of 市发改委 the article's city; and in
//! 上海市市场监管局会同该市发改委、经信委、商务委 the elided region of 经信委
//! and 商务委 is inherited from the agency before it in the list. The
//! canonical name spells the region out and expands the stem (江苏省科学技术厅),
//! so that every way of writing one body is one entity.

use super::gazetteer::{province_short, Gazetteer, Kind};
use super::lexicon::{Entry, Lexicon, Token};
use super::region::{RegionTok, Resolution, Role};
use super::rules::{starts_with_any, Rules};
use super::text::{is_han, Cover, Text};
use crate::record::EntityRef;

/// How a stem combines with what stands before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Right after the region: 江苏省 + 科技厅.
    Plain,
    /// With a free-form name between region and stem:
    /// 上海市 + 人工智能产业工作 + 领导小组.
    Open,
    /// Also after a port or airport: 洋山港 + 海事局.
    Port,
}

/// An agency stem.
#[derive(Clone, Debug)]
pub struct Stem {
    pub text: String,
    /// Canonical suffix (科学技术厅), or a template with `{region}` / `{short}`.
    pub canonical: String,
    pub mode: Mode,
}

/// Where an agency's region comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The region token at this index (into the region tokens).
    Explicit(usize),
    /// The article's province / city / district or county.
    Province,
    City,
    County,
    /// The agency at this index (an elided region in a list).
    Inherit(usize),
    /// A national body.
    National(u32),
    /// A port or airport written before the stem.
    Named(String),
}

/// One agency mention, before its region is known.
#[derive(Clone, Debug)]
pub struct Hit {
    pub field: usize,
    pub start: usize,
    pub end: usize,
    pub stem: Option<u32>,
    pub scope: Scope,
    /// Free-form name between region and stem (open stems).
    pub middle: String,
    /// A party committee's body (省委机构编制委员会办公室).
    pub party: bool,
    /// The party committee itself (嘉兴市委, 省委).
    pub committee: bool,
}

/// Positions (per field) of the agency stems, for organisation detection.
pub fn stem_starts(
    lex: &Lexicon,
    tokens: &[Vec<Token>; 2],
) -> [std::collections::HashSet<usize>; 2] {
    let mut out: [std::collections::HashSet<usize>; 2] = Default::default();
    for (f, toks) in tokens.iter().enumerate() {
        for t in toks {
            if lex
                .entries(t.pattern)
                .iter()
                .any(|e| matches!(e, Entry::Stem(_) | Entry::National(_)))
            {
                out[f].insert(t.start);
            }
        }
    }
    out
}

/// Find agency mentions. Region tokens used as an agency's region are
/// marked [`Role::AgencyPrefix`].
#[allow(clippy::too_many_arguments)]
pub fn find(
    lex: &Lexicon,
    stems: &[Stem],
    rules: &Rules,
    texts: &[Text; 2],
    tokens: &[Vec<Token>; 2],
    regions: &mut [RegionTok],
    shields: &Cover,
) -> Vec<Hit> {
    let mut hits: Vec<Hit> = Vec::new();
    let at = Positions::new(regions);
    for (field, toks) in tokens.iter().enumerate() {
        let text = &texts[field];
        for t in toks {
            if shields.covering(field, t.start, t.end).is_some() {
                continue;
            }
            let entries = lex.entries(t.pattern);
            if let Some(n) = entries.iter().find_map(|e| {
                if let Entry::National(n) = e {
                    Some(*n)
                } else {
                    None
                }
            }) {
                // A branch named after a place: 人行福州中心支行.
                let mut branch = None;
                if let Some(ri) = at.starting(field, t.end) {
                    let rest = &text.string[text.byte(regions[ri].end)..];
                    if let Some(b) = starts_with_any(rest, &rules.agency_branch) {
                        let r = &regions[ri];
                        branch = Some((r.end + b.chars().count(), text.slice(r.start, r.end) + b));
                        regions[ri].role = Role::AgencyPrefix;
                    }
                }
                let (end, middle) = branch.unwrap_or((t.end, String::new()));
                hits.push(Hit {
                    field,
                    start: t.start,
                    end,
                    stem: None,
                    scope: Scope::National(n),
                    middle,
                    party: false,
                    committee: false,
                });
                continue;
            }
            let Some(s) = entries.iter().find_map(|e| {
                if let Entry::Stem(s) = e {
                    Some(*s)
                } else {
                    None
                }
            }) else {
                continue;
            };
            let stem = &stems[s as usize];
            if let Some(hit) = prefix(rules, stem, s, field, text, t, regions, &at, &hits) {
                if rules
                    .not_agency_before
                    .iter()
                    .any(|w| text.ends_with_at(hit.start, w))
                {
                    continue;
                }
                if let Scope::Explicit(ri) = hit.scope {
                    let mut k = ri;
                    loop {
                        regions[k].role = Role::AgencyPrefix;
                        if k == 0
                            || regions[k - 1].field != field
                            || regions[k - 1].end != regions[k].start
                        {
                            break;
                        }
                        k -= 1;
                    }
                }
                hits.push(hit);
            }
        }
        committees(rules, field, text, regions, &at, shields, &mut hits);
    }
    hits
}

/// Party committees themselves: 嘉兴市委、市政府 (written region), 省委、省政府
/// (the article's province). The committee must end there: 省委组织部 is
/// a stem's business.
fn committees(
    rules: &Rules,
    field: usize,
    text: &Text,
    regions: &mut [RegionTok],
    at: &Positions,
    shields: &Cover,
    hits: &mut Vec<Hit>,
) {
    let ends_here = |pos: usize| {
        text.get(pos)
            .map_or(true, |c| !is_han(c) || "和与及".contains(c))
    };
    let shielded = |pos: usize| shields.covering(field, pos, pos + 1).is_some();
    for ri in 0..regions.len() {
        let r = &regions[ri];
        if r.field != field || r.role != Role::Mention || shielded(r.start) {
            continue;
        }
        if matches!(text.get(r.end - 1), Some('省' | '市' | '区' | '县'))
            && text.get(r.end) == Some('委')
            && ends_here(r.end + 1)
        {
            let start = regions[chain_start(regions, ri)].start;
            hits.push(Hit {
                field,
                start,
                end: r.end + 1,
                stem: None,
                scope: Scope::Explicit(ri),
                middle: String::new(),
                party: true,
                committee: true,
            });
            let mut k = ri;
            loop {
                regions[k].role = Role::AgencyPrefix;
                if k == 0 || regions[k - 1].field != field || regions[k - 1].end != regions[k].start
                {
                    break;
                }
                k -= 1;
            }
        }
    }
    for (marker, scope) in [("省委", Scope::Province), ("市委", Scope::City)] {
        let mut from = 0;
        while let Some(off) = text.string[text.byte(from)..].find(marker) {
            let pos = text.char_at(text.byte(from) + off);
            from = pos + 2;
            let before = text.before(pos);
            if shielded(pos)
                || !ends_here(pos + 2)
                || before.is_some_and(|c| {
                    rules.implicit_not_after.contains(&c) || c.is_ascii_alphanumeric()
                })
                || at.ending_any(field, pos + 1).is_some()
            {
                continue;
            }
            hits.push(Hit {
                field,
                start: pos,
                end: pos + 2,
                stem: None,
                scope: scope.clone(),
                middle: String::new(),
                party: true,
                committee: true,
            });
        }
    }
}

/// Region tokens by where they start and end.
struct Positions {
    starts: super::text::FastMap<(usize, usize), usize>,
    ends: super::text::FastMap<(usize, usize), usize>,
}

impl Positions {
    fn new(regions: &[RegionTok]) -> Positions {
        let mut p = Positions {
            starts: Default::default(),
            ends: Default::default(),
        };
        for (i, r) in regions.iter().enumerate() {
            p.starts.insert((r.field, r.start), i);
            p.ends.insert((r.field, r.end), i);
        }
        p
    }

    fn starting(&self, field: usize, pos: usize) -> Option<usize> {
        self.starts.get(&(field, pos)).copied()
    }

    fn ending_any(&self, field: usize, pos: usize) -> Option<usize> {
        self.ends.get(&(field, pos)).copied()
    }
}

/// The region token of `field` that ends exactly at `pos` and is no road.
fn region_ending_at(
    regions: &[RegionTok],
    at: &Positions,
    field: usize,
    pos: usize,
) -> Option<usize> {
    at.ending_any(field, pos)
        .filter(|&i| regions[i].role != Role::Road)
}

/// The first token of the chain of places ending with token `i` (上海 青浦区).
fn chain_start(regions: &[RegionTok], mut i: usize) -> usize {
    while i > 0
        && regions[i - 1].field == regions[i].field
        && regions[i - 1].end == regions[i].start
    {
        i -= 1;
    }
    i
}

/// Skip back over a people's congress session number (十五届, 第十三届).
fn skip_session(text: &Text, pos: usize) -> usize {
    if text.before(pos) != Some('届') {
        return pos;
    }
    let mut k = pos - 1;
    let digits = k;
    while k > 0
        && text
            .get(k - 1)
            .is_some_and(|c| "一二三四五六七八九十百零〇0123456789".contains(c))
    {
        k -= 1;
    }
    if k == digits {
        return pos;
    }
    if text.before(k) == Some('第') {
        k -= 1;
    }
    k
}

#[allow(clippy::too_many_arguments)]
fn prefix(
    rules: &Rules,
    stem: &Stem,
    s: u32,
    field: usize,
    text: &Text,
    t: &Token,
    regions: &[RegionTok],
    at: &Positions,
    hits: &[Hit],
) -> Option<Hit> {
    let hit = |start: usize, scope: Scope, middle: String, party: bool| Hit {
        field,
        start,
        end: t.end,
        stem: Some(s),
        scope,
        middle,
        party,
        committee: false,
    };
    let mut p = t.start;
    if stem.canonical.contains("人民代表大会") {
        p = skip_session(text, p);
    }
    // Written region, possibly a party committee (广东省委机构编制委员会办公室).
    if let Some(ri) = region_ending_at(regions, at, field, p) {
        return Some(hit(
            regions[chain_start(regions, ri)].start,
            Scope::Explicit(ri),
            String::new(),
            false,
        ));
    }
    if text.before(p) == Some('委') {
        if let Some(ri) = region_ending_at(regions, at, field, p - 1) {
            return Some(hit(
                regions[chain_start(regions, ri)].start,
                Scope::Explicit(ri),
                String::new(),
                true,
            ));
        }
    }
    // A free-form name between region and stem.
    if stem.mode == Mode::Open {
        const MAX: usize = 12;
        for q in (p.saturating_sub(MAX)..p).rev() {
            let gap = text.slice(q, p);
            if !gap
                .chars()
                .all(|c| is_han(c) || c.is_ascii_alphanumeric() || matches!(c, '“' | '”' | '"'))
            {
                break;
            }
            if rules
                .org_gap_breaker
                .iter()
                .any(|b| gap.contains(b.as_str()))
            {
                break;
            }
            if let Some(ri) = region_ending_at(regions, at, field, q) {
                return Some(hit(
                    regions[chain_start(regions, ri)].start,
                    Scope::Explicit(ri),
                    gap,
                    false,
                ));
            }
            if let Some((m, scope, _)) = implicit_marker(rules, text, q) {
                return Some(hit(q - m, scope, gap, false));
            }
        }
    }
    // A port: 洋山港海事局.
    if stem.mode == Mode::Port {
        let before = text.slice(p.saturating_sub(8), p);
        if before.ends_with('港') || before.ends_with("港区") || before.ends_with("机场") {
            let mut q = p;
            while q > 0 && p - q < 8 && text.get(q - 1).is_some_and(is_han) {
                q -= 1;
            }
            if p - q >= 2 {
                let name = text.slice(q, p);
                return Some(hit(q, Scope::Named(name), String::new(), false));
            }
        }
    }
    // An implied region: 省科技厅, 该市发改委, 省委机构编制委员会办公室.
    if let Some((m, scope, party)) = implicit_marker(rules, text, p) {
        return Some(hit(p - m, scope, String::new(), party));
    }
    // An elided region in a list: 该市发改委、经信委.
    for sep in &rules.list_sep {
        if text.ends_with_at(p, sep) {
            let q = p - sep.chars().count();
            // Hits come in text order: only the last can end right here.
            if let Some(j) = hits
                .len()
                .checked_sub(1)
                .filter(|&j| hits[j].field == field && hits[j].end == q)
            {
                if !matches!(hits[j].scope, Scope::National(_)) {
                    return Some(hit(p, Scope::Inherit(j), String::new(), false));
                }
            }
        }
    }
    None
}

/// An implicit-region marker ending at `pos`: (its length, scope, party?).
fn implicit_marker(rules: &Rules, text: &Text, pos: usize) -> Option<(usize, Scope, bool)> {
    let lists: [(&[String], Scope); 3] = [
        (&rules.implicit_province, Scope::Province),
        (&rules.implicit_city, Scope::City),
        (&rules.implicit_county, Scope::County),
    ];
    let mut best: Option<(usize, Scope, bool)> = None;
    for (words, scope) in lists {
        for w in words {
            if !text.ends_with_at(pos, w) {
                continue;
            }
            let len = w.chars().count();
            let start = pos - len;
            let before = text.before(start);
            let ok = if len > 1 && !matches!(w.as_str(), "省委" | "市委" | "区委" | "县委")
            {
                true
            } else {
                let first = w.chars().next().unwrap_or(' ');
                match before {
                    None => true,
                    Some(c) if matches!(first, '区' | '县') => {
                        !(is_han(c) || c.is_ascii_alphanumeric())
                            || rules.function_char.contains(&c)
                    }
                    Some(c) => !rules.implicit_not_after.contains(&c) && !c.is_ascii_alphanumeric(),
                }
            };
            if ok && best.as_ref().map_or(true, |b| len > b.0) {
                best = Some((len, scope.clone(), w.ends_with('委')));
            }
        }
    }
    best
}

/// What the article says about where it is, for implied regions.
#[derive(Clone, Copy, Debug, Default)]
pub struct Place {
    pub province: Option<u32>,
    pub city: Option<u32>,
    pub county: Option<u32>,
}

/// The name an agency's region lends it: 江苏省, 苏州市吴江区, 临港新片区.
pub fn region_prefix(g: &Gazetteer, r: u32) -> String {
    let reg = &g.regions[r as usize];
    match reg.kind {
        Kind::County | Kind::Town => match reg.parent {
            Some(p) => format!("{}{}", region_prefix(g, p), reg.name),
            None => reg.name.clone(),
        },
        _ => reg.name.clone(),
    }
}

/// An agency's level, from its region's kind.
fn level(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Province) => "province",
        Some(Kind::City) => "city",
        Some(Kind::County | Kind::Town) => "county",
        Some(Kind::Zone | Kind::Macro) => "zone",
        Some(Kind::Country) => "national",
        None => "local",
    }
}

/// Resolve every hit's region and build the agency entities.
pub fn entities(
    g: &Gazetteer,
    stems: &[Stem],
    national: &[String],
    texts: &[Text; 2],
    regions: &[RegionTok],
    hits: &[Hit],
    place: Place,
) -> Vec<EntityRef> {
    // Resolve scopes in order (an inherited scope points backwards).
    let mut resolved: Vec<Option<(Option<u32>, String)>> = Vec::with_capacity(hits.len());
    for h in hits {
        let r = match &h.scope {
            Scope::Explicit(ri) => match &regions[*ri].res {
                Resolution::One(r) => Some((Some(*r), region_prefix(g, *r))),
                // Not a place after all (定和 in 核定和海关): not an agency either.
                Resolution::Dropped => None,
                Resolution::Many(_) => {
                    let t = &regions[*ri];
                    Some((None, texts[t.field].slice(t.start, t.end)))
                }
            },
            Scope::Province => place.province.map(|r| (Some(r), region_prefix(g, r))),
            Scope::City => place.city.map(|r| (Some(r), region_prefix(g, r))),
            Scope::County => place.county.map(|r| (Some(r), region_prefix(g, r))),
            Scope::Inherit(j) => resolved.get(*j).cloned().flatten(),
            Scope::National(_) => Some((None, String::new())),
            Scope::Named(name) => Some((None, name.clone())),
        };
        resolved.push(r);
    }
    let mut out: Vec<EntityRef> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    for (h, r) in hits.iter().zip(&resolved) {
        let Some((region, prefix)) = r else { continue };
        let (canonical, kind) = match (&h.scope, h.stem) {
            _ if h.committee => (
                format!("中共{prefix}委员会"),
                level(region.map(|r| g.regions[r as usize].kind)).to_string(),
            ),
            (Scope::National(n), _) => (
                format!("{}{}", national[*n as usize], h.middle),
                "national".to_string(),
            ),
            (_, Some(s)) => {
                let stem = &stems[s as usize];
                let mut body = format!("{}{}", h.middle, stem.canonical);
                let name = if body.contains("{region}") || body.contains("{short}") {
                    let short = region
                        .and_then(|r| province_short(&g.regions[r as usize].name, &[]))
                        .unwrap_or_else(|| prefix.clone());
                    body = body.replace("{region}", prefix).replace("{short}", &short);
                    body
                } else if h.party {
                    format!("中共{prefix}委{body}")
                } else {
                    format!("{prefix}{body}")
                };
                (
                    name,
                    level(region.map(|r| g.regions[r as usize].kind)).to_string(),
                )
            }
            _ => continue,
        };
        let text = &texts[h.field];
        let surface = text.surface(h.start, h.end);
        let span = text.span(h.start, h.end);
        match index.get(&canonical).map(|&k| &mut out[k]) {
            Some(e) => {
                if !e.mentions.contains(&surface) {
                    e.mentions.push(surface);
                }
                e.spans.push(span);
            }
            None => {
                index.insert(canonical.clone(), out.len());
                out.push(EntityRef {
                    id: canonical.clone(),
                    name: canonical,
                    mentions: vec![surface],
                    spans: vec![span],
                    kind: Some(kind),
                    parent: region.map(|r| g.regions[r as usize].id.clone()),
                    template: None,
                    candidates: Vec::new(),
                })
            }
        }
    }
    // In order of first mention.
    out.sort_by_key(|e| e.spans.iter().min().copied());
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{extract, find, ids};

    #[test]
    fn elided_regions_in_a_list_inherit_the_previous_one() {
        let e = extract(
            "上海七部门联合制发告知书确保国家降电价政策落实到位",
            "上海市市场监管局会同该市发改委、经信委、商务委、国资委、房管局和国网上海电力等7家单位制定告知书。明确了市市场监管局、市发展改革委和市电力公司等单位的分工。",
        );
        assert_eq!(
            ids(&e.agencies),
            [
                "上海市市场监督管理局",
                "上海市发展和改革委员会",
                "上海市经济和信息化委员会",
                "上海市商务委员会",
                "上海市国有资产监督管理委员会",
                "上海市房屋管理局"
            ]
        );
        assert_eq!(
            find(&e.agencies, "上海市市场监督管理局").unwrap().mentions,
            ["上海市市场监管局", "市市场监管局"]
        );
        assert_eq!(
            find(&e.agencies, "上海市发展和改革委员会")
                .unwrap()
                .mentions,
            ["该市发改委", "市发展改革委"]
        );
        assert_eq!(
            find(&e.agencies, "上海市经济和信息化委员会")
                .unwrap()
                .mentions,
            ["经信委"]
        );
        let a = find(&e.agencies, "上海市房屋管理局").unwrap();
        assert_eq!(
            (a.kind.as_deref(), a.parent.as_deref()),
            (Some("province"), Some("310000"))
        );
    }

    #[test]
    fn implied_province_is_the_articles() {
        let e = extract(
            "江苏启动科技创新券试点",
            "近日，江苏省科技厅、省财政厅联合印发试点方案。省科技厅表示将加强指导。",
        );
        assert_eq!(ids(&e.agencies), ["江苏省科学技术厅", "江苏省财政厅"]);
        assert_eq!(e.agencies[0].mentions, ["江苏省科技厅", "省科技厅"]);
        let e = extract(
            "山东出台全国首个推动工业设备上云文件",
            "山东省工信厅会同该省发改委、科技厅、财政厅等 12 个单位出台文件。",
        );
        assert_eq!(
            ids(&e.agencies),
            [
                "山东省工业和信息化厅",
                "山东省发展和改革委员会",
                "山东省科学技术厅",
                "山东省财政厅"
            ]
        );
        // With no province to lend, 省科技厅 is left out rather than guessed.
        let e = extract("", "省科技厅表示将加强指导。");
        assert!(e.agencies.is_empty(), "{:?}", ids(&e.agencies));
        // 各省, 全市 are no markers.
        let e = extract("江苏推进改革", "各省发改委和全市财政局。");
        assert!(e.agencies.is_empty(), "{:?}", ids(&e.agencies));
    }

    #[test]
    fn congresses_groups_party_bodies_customs_and_centres() {
        let e = extract("上海立法", "《上海市公共文化服务保障与促进条例》日前经上海市十五届人大常委会二十六次会议表决通过。");
        assert_eq!(ids(&e.agencies), ["上海市人民代表大会常务委员会"]);
        assert_eq!(e.agencies[0].mentions, ["上海市十五届人大常委会"]);
        let e = extract(
            "",
            "10月29日召开的上海市人工智能产业工作领导小组会议提出四点考虑。",
        );
        assert_eq!(ids(&e.agencies), ["上海市人工智能产业工作领导小组"]);
        let e = extract(
            "广东发文推进集团化办学",
            "广东省教育厅、省委机构编制委员会办公室、省财政厅、省人社厅联合下发意见。",
        );
        assert_eq!(
            ids(&e.agencies),
            [
                "广东省教育厅",
                "中共广东省委机构编制委员会办公室",
                "广东省财政厅",
                "广东省人力资源和社会保障厅"
            ]
        );
        let e = extract(
            "",
            "上海市青浦区税务局、苏州市吴江区税务局、嘉善县税务局联合签署清单。",
        );
        assert_eq!(
            ids(&e.agencies),
            [
                "国家税务总局上海市青浦区税务局",
                "国家税务总局苏州市吴江区税务局",
                "国家税务总局嘉兴市嘉善县税务局"
            ]
        );
        let e = extract(
            "",
            "8月20日，洋山港海事局组织开展试验。上海海关正式上线网站。",
        );
        assert_eq!(ids(&e.agencies), ["洋山港海事局", "上海海关"]);
        let e = extract(
            "",
            "福建省金融办、省财政厅、人行福州中心支行、福建银保监局联合出台办法。",
        );
        assert_eq!(
            ids(&e.agencies),
            [
                "福建省地方金融监督管理局",
                "福建省财政厅",
                "中国人民银行福州中心支行",
                "中国银行保险监督管理委员会福建监管局"
            ]
        );
        let e = extract("", "由上海青浦区政府与复旦大学附属中山医院共同建设。上海市城市运行管理中心的重要组成部分。");
        assert_eq!(
            ids(&e.agencies),
            ["上海市青浦区人民政府", "上海市城市运行管理中心"]
        );
        let e = extract("", "嘉兴市委、市政府近日召开会议。");
        assert_eq!(ids(&e.agencies), ["中共嘉兴市委员会", "嘉兴市人民政府"]);
    }

    #[test]
    fn national_bodies_and_what_is_no_agency() {
        let e = extract(
            "",
            "工信部、上海市政府要求先导区积极探索。积极争取交通运输部支持。",
        );
        assert_eq!(
            ids(&e.agencies),
            ["工业和信息化部", "上海市人民政府", "交通运输部"]
        );
        for text in [
            "积极配合交通部门采取的防控措施",
            "国网上海电力、南方电网深圳供电局",
            "上海技术交易所、上海保险交易所、上海市工业互联网协会",
            "三省一市市场监管部门共同创设",
            "各级邮政分公司累计收寄",
        ] {
            let e = extract("上海推进改革", text);
            assert!(e.agencies.is_empty(), "{text}: {:?}", ids(&e.agencies));
        }
    }
}
