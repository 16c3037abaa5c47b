//! Regions: from matched names to resolved places.
//!
//! Three steps. [`collect`] turns every region match into a token with its
//! candidate places. [`mark_roles`] decides which matches are mentions of a
//! place at all: a name inside a 《document》, a quoted name, an organisation
//! (上海技术交易所, 国网安徽省电力公司) or a road (太原路) is not. [`resolve`]
//! picks, for each token, the place it stands for, using only what the
//! article itself says: the places it names unambiguously (anchors), the
//! sentence they stand in, the place named right before (南京市鼓楼区), the
//! places listed beside it (长春、吉林两市) and the article's province. When
//! that does not decide, the token stays unresolved with its candidates
//! rather than guessed.

use std::collections::{HashMap, HashSet};

use super::gazetteer::{FormKind, Gazetteer, Kind, Need, RegionSet};
use super::lexicon::{Entry, Lexicon, Token};
use super::rules::{starts_with_any, Rules};
use super::text::{is_han, Cover, Text};
use crate::record::EntityRef;

/// What a region match is, in its context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A mention of the place.
    Mention,
    /// Part of a name: document, quoted initiative, organisation, program.
    NameInternal,
    /// The region of an agency name (江苏省 of 江苏省科技厅).
    AgencyPrefix,
    /// Names a road (太原路).
    Road,
}

/// One place a token may stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cand {
    pub region: u32,
    pub need: Need,
    pub form: FormKind,
}

/// What a token was resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Not a place here (its conditions failed).
    Dropped,
    One(u32),
    /// Ambiguous: the places it may be.
    Many(Vec<u32>),
}

/// A region match.
#[derive(Clone, Debug)]
pub struct RegionTok {
    /// 0 = title, 1 = body.
    pub field: usize,
    pub start: usize,
    pub end: usize,
    pub cands: Vec<Cand>,
    pub role: Role,
    pub res: Resolution,
    /// Resolved to a place named without conditions (so it may vouch for
    /// other names): a token resolved through context never vouches for
    /// itself on the next pass.
    pub unconditional: bool,
}

impl RegionTok {
    /// The place, if resolved to one.
    pub fn one(&self) -> Option<u32> {
        match self.res {
            Resolution::One(r) => Some(r),
            _ => None,
        }
    }

    /// The places this token may still stand for.
    pub fn possible(&self) -> Vec<u32> {
        match &self.res {
            Resolution::One(r) => vec![*r],
            Resolution::Many(v) => v.clone(),
            Resolution::Dropped => Vec::new(),
        }
    }

    /// The place this token names whatever the context: its only candidate,
    /// named without conditions.
    fn definite(&self) -> Option<u32> {
        let first = self.cands.first()?;
        (first.need == Need::None && self.cands.iter().all(|c| c.region == first.region))
            .then_some(first.region)
    }
}

/// Tokens of both fields that name regions, in text order.
pub fn collect(lex: &Lexicon, g: &Gazetteer, tokens: &[Vec<Token>; 2]) -> Vec<RegionTok> {
    let mut out = Vec::new();
    for (field, toks) in tokens.iter().enumerate() {
        for t in toks {
            let mut cands: Vec<Cand> = Vec::new();
            for e in lex.entries(t.pattern) {
                if let Entry::Region(f) = *e {
                    let f = &g.forms[f as usize];
                    let c = Cand {
                        region: f.region,
                        need: f.need,
                        form: f.kind,
                    };
                    match cands.iter_mut().find(|x| x.region == c.region) {
                        // The same place by two forms: keep the easier condition.
                        Some(x) if c.need == Need::None => *x = c,
                        Some(_) => {}
                        None => cands.push(c),
                    }
                }
            }
            if !cands.is_empty() {
                out.push(RegionTok {
                    field,
                    start: t.start,
                    end: t.end,
                    cands,
                    role: Role::Mention,
                    res: Resolution::Dropped,
                    unconditional: false,
                });
            }
        }
    }
    out
}

/// Mark tokens that are part of a name or a road. `shields` are spans (per
/// field) of 《documents》 and quoted names; `other_starts` are the start
/// positions of agency-stem and program tokens (per field), where an
/// organisation name cannot continue.
pub fn mark_roles(
    toks: &mut [RegionTok],
    texts: &[Text; 2],
    rules: &Rules,
    shields: &Cover,
    stops: &[HashSet<usize>; 2],
) {
    let n = toks.len();
    for tok in toks.iter_mut() {
        let (field, start, end) = (tok.field, tok.start, tok.end);
        let text = &texts[field];
        if shields.inside(field, start, end) {
            tok.role = Role::NameInternal;
            continue;
        }
        // A road: 太原路, 南京东路 (but not 金山街道, a town).
        let mut k = end;
        if matches!(text.get(k), Some('东' | '西' | '南' | '北' | '中')) {
            k += 1;
        }
        let after = &text.string[text.byte(k)..];
        if !after.starts_with("街道") && starts_with_any(after, &rules.road_suffix).is_some() {
            tok.role = Role::Road;
            continue;
        }
        // Inside a name in parentheses: 长三角（上海）互联网医院.
        if start >= 2
            && text.get(start - 1) == Some('（')
            && text.get(end) == Some('）')
            && text.get(start - 2).is_some_and(is_han)
            && text.get(end + 1).is_some_and(is_han)
        {
            tok.role = Role::NameInternal;
            continue;
        }
    }
    // Organisations: a chain of places, then a few characters, then a suffix.
    let mut i = 0;
    while i < n {
        let field = toks[i].field;
        let mut j = i;
        while j + 1 < n && toks[j + 1].field == field && toks[j + 1].start == toks[j].end {
            j += 1;
        }
        if toks[i..=j].iter().all(|t| t.role == Role::Mention) {
            let text = &texts[field];
            if org_follows(text, toks[j].end, rules, &stops[field]) {
                for t in &mut toks[i..=j] {
                    t.role = Role::NameInternal;
                }
            }
        }
        i = j + 1;
    }
}

/// Does an organisation suffix (有限公司, 医院, 联盟) follow `pos` within a
/// few characters, with no word between that would end a name?
fn org_follows(text: &Text, pos: usize, rules: &Rules, stops: &HashSet<usize>) -> bool {
    const MAX_GAP: usize = 10;
    for k in 0..=MAX_GAP {
        let at = pos + k;
        if at >= text.len() {
            return false;
        }
        if k > 0 && stops.contains(&at) {
            return false;
        }
        let c = text.chars[at];
        if rules.org_suffix_first.contains(&c)
            && starts_with_any(&text.string[text.byte(at)..], &rules.org_suffix).is_some()
        {
            let gap = text.slice(pos, at);
            return !rules
                .org_gap_breaker
                .iter()
                .any(|b| gap.contains(b.as_str()));
        }
        if !(is_han(c) || c.is_ascii_alphanumeric() || matches!(c, '（' | '）' | '·')) {
            return false;
        }
    }
    false
}

/// Places the article names without ambiguity, and every unit above them.
#[derive(Clone, Debug, Default)]
pub struct Anchors {
    pub direct: RegionSet,
    pub support: RegionSet,
    /// Members of named zones (示范区 names 青浦, 吴江, 嘉善).
    pub members: RegionSet,
}

impl Anchors {
    pub fn add(&mut self, g: &Gazetteer, r: u32) {
        if !self.direct.insert(r) {
            return; // already named: its ancestors and members are in
        }
        for a in g.ancestors(r) {
            self.support.insert(a);
        }
        for &m in g.members.get(&r).map(Vec::as_slice).unwrap_or(&[]) {
            self.members.insert(m);
            for a in g.ancestors(m) {
                self.support.insert(a);
            }
        }
    }

    /// How strongly the anchors support `c`: 3 named itself, 2 its city (or
    /// a unit between) named, 1 its province named, 0 nothing.
    pub fn score(&self, g: &Gazetteer, c: u32) -> u8 {
        if self.direct.contains(&c) {
            return 3;
        }
        if self.members.contains(&c) {
            return 2;
        }
        let r = &g.regions[c as usize];
        let mut p = r.parent;
        let mut steps = 0;
        while let Some(x) = p {
            let k = g.regions[x as usize].kind;
            if k == Kind::Province && r.city != Some(x) {
                break;
            }
            if self.support.contains(&x) {
                return 2;
            }
            p = g.regions[x as usize].parent;
            steps += 1;
            if steps > 6 {
                break;
            }
        }
        match r.province {
            Some(pr) if self.support.contains(&pr) => 1,
            _ => 0,
        }
    }
}

/// Anchors from the tokens `keep` accepts: those resolved to one place (or,
/// before resolution, with exactly one unconditional candidate).
pub fn anchors(g: &Gazetteer, toks: &[RegionTok], keep: impl Fn(&RegionTok) -> bool) -> Anchors {
    let mut a = Anchors::default();
    for t in toks.iter().filter(|t| keep(t)) {
        if let Some(r) = t.one().filter(|_| t.unconditional).or_else(|| t.definite()) {
            a.add(g, r);
        }
    }
    a
}

/// Resolve every token. `province` is the article's province once known:
/// then a name that needs context and lies in another province counts only
/// with support from its own sentence (临港 in a 天津 article is 天津's).
/// Run more than once: each pass sees the previous pass's results.
pub fn resolve(
    g: &Gazetteer,
    texts: &[Text; 2],
    rules: &Rules,
    toks: &mut [RegionTok],
    province: Option<u32>,
) {
    let usable = |t: &RegionTok| t.role != Role::Road;
    let mut article = anchors(g, toks, usable);
    if let Some(p) = province {
        article.add(g, p);
    }
    let results: Vec<Resolution> = (0..toks.len())
        .map(|i| resolve_one(g, texts, rules, toks, i, &article, province))
        .collect();
    for (t, r) in toks.iter_mut().zip(results) {
        t.unconditional = match r {
            Resolution::One(x) => t
                .cands
                .iter()
                .any(|c| c.region == x && matches!(c.need, Need::None | Need::Loose)),
            _ => false,
        };
        t.res = r;
    }
}

/// Anchors among the tokens around token `i` (at most [`NEAR`] on either
/// side) that stand in the same sentence, or the same clause.
fn near(g: &Gazetteer, texts: &[Text; 2], toks: &[RegionTok], i: usize, clause: bool) -> Anchors {
    const NEAR: usize = 40;
    let t = &toks[i];
    let text = &texts[t.field];
    let unit = |pos: usize| {
        if clause {
            text.clause(pos)
        } else {
            text.sentence(pos)
        }
    };
    let here = unit(t.start);
    let mut a = Anchors::default();
    let lo = i.saturating_sub(NEAR);
    let hi = (i + NEAR + 1).min(toks.len());
    for (j, o) in toks.iter().enumerate().take(hi).skip(lo) {
        if j == i || o.field != t.field || o.role == Role::Road || unit(o.start) != here {
            continue;
        }
        if let Some(r) = o.one().filter(|_| o.unconditional).or_else(|| o.definite()) {
            a.add(g, r);
        }
    }
    a
}

#[allow(clippy::too_many_arguments)]
fn resolve_one(
    g: &Gazetteer,
    texts: &[Text; 2],
    rules: &Rules,
    toks: &[RegionTok],
    i: usize,
    article: &Anchors,
    province: Option<u32>,
) -> Resolution {
    let t = &toks[i];
    // Most names stand for one place without conditions (上海, 江苏省).
    if let Some(r) = t.definite() {
        return Resolution::One(r);
    }
    let text = &texts[t.field];
    // The place named right before (上海宝山, 南京市鼓楼区).
    let prev: Vec<u32> = match i.checked_sub(1).map(|j| &toks[j]) {
        Some(p) if p.field == t.field && p.end == t.start => {
            let v = p.possible();
            if v.is_empty() {
                p.cands.iter().map(|c| c.region).collect()
            } else {
                v
            }
        }
        _ => Vec::new(),
    };
    let adjacent = |c: u32| prev.iter().any(|&p| p != c && g.within(c, p));
    let listed = list_kinds(g, text, toks, i);
    let single = {
        let mut v: Vec<u32> = t.cands.iter().map(|c| c.region).collect();
        v.dedup();
        v.len() == 1
    };
    let left_ok = match text.before(t.start) {
        None => true,
        Some(c) => {
            !(is_han(c) || c.is_ascii_alphanumeric())
                || rules.function_char.contains(&c)
                || i.checked_sub(1)
                    .is_some_and(|j| toks[j].field == t.field && toks[j].end == t.start)
        }
    };
    let kept: Vec<Cand> = t
        .cands
        .iter()
        .copied()
        .filter(|c| {
            let s = article.score(g, c.region);
            let adj = adjacent(c.region);
            let reg = &g.regions[c.region as usize];
            // Outside the article's province, a conditional name needs its own clause.
            let foreign = matches!(
                c.need,
                Need::Context | Need::Shadowed | Need::Strict | Need::Bare
            ) && province.is_some()
                && reg.province.is_some()
                && reg.province != province;
            let needed = if reg.kind == Kind::Town { 2 } else { 1 };
            if foreign
                && !adj
                && !article.members.contains(&c.region)
                && near(g, texts, toks, i, true).score(g, c.region) < needed
            {
                return false;
            }
            match c.need {
                Need::None => true,
                // A town's county or city must be named outright (not merely
                // lie in a zone or province the article names).
                Need::Context if reg.kind == Kind::Town => {
                    adj || g.ancestors(c.region).skip(1).any(|a| {
                        let k = g.regions[a as usize].kind;
                        (k != Kind::Province || reg.city == Some(a)) && article.direct.contains(&a)
                    })
                }
                Need::Context => adj || s >= 2 || (s >= 1 && single),
                Need::Shadowed => adj || s >= 2 || listed.contains(&reg.kind),
                Need::Strict => left_ok && (adj || s >= 2),
                Need::Adjacent => adj,
                Need::Bare => left_ok && s >= 2,
                Need::Loose => left_ok || s >= 1,
            }
        })
        .collect();
    let mut regions: Vec<u32> = Vec::new();
    for c in &kept {
        if !regions.contains(&c.region) {
            regions.push(c.region);
        }
    }
    // A town named after its county (东台镇 in 东台市): the name is the county's.
    let all = regions.clone();
    regions.retain(|&r| {
        g.regions[r as usize].kind != Kind::Town || !all.iter().any(|&o| o != r && g.within(r, o))
    });
    if regions.len() <= 1 {
        return regions
            .first()
            .map_or(Resolution::Dropped, |&r| Resolution::One(r));
    }
    // 1. Right after an ancestor.
    let adj: Vec<u32> = regions.iter().copied().filter(|&r| adjacent(r)).collect();
    if adj.len() == 1 {
        return Resolution::One(adj[0]);
    }
    if adj.len() > 1 {
        regions = adj;
    }
    // 2. In a list of places of one kind.
    if !listed.is_empty() {
        let same: Vec<u32> = regions
            .iter()
            .copied()
            .filter(|&r| listed.contains(&g.regions[r as usize].kind))
            .collect();
        if same.len() == 1 {
            return Resolution::One(same[0]);
        }
    }
    // 3. Places named in the same sentence, then in the article; a tie
    //    between places of different levels goes to the higher one.
    let sentence = near(g, texts, toks, i, false);
    for a in [&sentence, article] {
        let scores: Vec<u8> = regions.iter().map(|&r| a.score(g, r)).collect();
        let best = scores.iter().copied().max().unwrap_or(0);
        if best > 0 {
            let top: Vec<u32> = regions
                .iter()
                .zip(&scores)
                .filter(|(_, &s)| s == best)
                .map(|(&r, _)| r)
                .collect();
            if top.len() == 1 {
                return Resolution::One(top[0]);
            }
            regions = top;
        }
    }
    // 4. The one markedly more prominent place, if there is one (西安 the
    //    city over a district's short form; a county over a town).
    let best_rank = regions
        .iter()
        .map(|&r| g.regions[r as usize].kind.rank())
        .min()
        .unwrap_or(0);
    let top: Vec<u32> = regions
        .iter()
        .copied()
        .filter(|&r| g.regions[r as usize].kind.rank() == best_rank)
        .collect();
    if top.len() == 1 {
        return Resolution::One(top[0]);
    }
    Resolution::Many(regions)
}

/// Kinds of the places listed right beside token `i` (separated by 、 or ，).
fn list_kinds(g: &Gazetteer, text: &Text, toks: &[RegionTok], i: usize) -> Vec<Kind> {
    let t = &toks[i];
    let mut kinds = Vec::new();
    let mut look = |o: &RegionTok, gap: (usize, usize)| {
        if o.field != t.field || !is_list_gap(text, gap.0, gap.1) {
            return;
        }
        if let Some(r) = o.one().or_else(|| o.definite()) {
            kinds.push(g.regions[r as usize].kind);
        }
    };
    if let Some(p) = i.checked_sub(1).map(|j| &toks[j]) {
        look(p, (p.end, t.start));
    }
    if let Some(nx) = toks.get(i + 1) {
        look(nx, (t.end, nx.start));
    }
    kinds
}

/// Is the one character between two list items a list separator?
pub fn is_list_gap(text: &Text, a_end: usize, b_start: usize) -> bool {
    b_start == a_end + 1 && matches!(text.get(a_end), Some('、' | '，' | ','))
}

/// The regions of the article: one entry per place (or per unresolved name),
/// with every surface form and span, in order of first mention.
pub fn entities(g: &Gazetteer, texts: &[Text; 2], toks: &[RegionTok]) -> Vec<EntityRef> {
    let mut out: Vec<EntityRef> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for t in toks.iter().filter(|t| t.role == Role::Mention) {
        let text = &texts[t.field];
        let surface = text.surface(t.start, t.end);
        let span = text.span(t.start, t.end);
        let (id, name, kind, parent, candidates) = match &t.res {
            Resolution::Dropped => continue,
            Resolution::One(r) => {
                let reg = &g.regions[*r as usize];
                let parent = reg.parent.map(|p| g.regions[p as usize].id.clone());
                (
                    reg.id.clone(),
                    reg.name.clone(),
                    Some(reg.kind.as_str().to_string()),
                    parent,
                    Vec::new(),
                )
            }
            Resolution::Many(v) => {
                let name = text.slice(t.start, t.end);
                let ids: Vec<String> = v
                    .iter()
                    .map(|&r| g.regions[r as usize].id.clone())
                    .collect();
                (format!("?{name}"), name, None, None, ids)
            }
        };
        match index.get(&id).map(|&k| &mut out[k]) {
            Some(e) => {
                if !e.mentions.contains(&surface) {
                    e.mentions.push(surface);
                }
                e.spans.push(span);
                for c in candidates {
                    if !e.candidates.contains(&c) {
                        e.candidates.push(c);
                    }
                }
            }
            None => {
                index.insert(id.clone(), out.len());
                out.push(EntityRef {
                    id,
                    name,
                    mentions: vec![surface],
                    spans: vec![span],
                    kind,
                    parent,
                    template: None,
                    candidates,
                })
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::extract::testutil::{extract, find, ids};

    fn regions(title: &str, text: &str) -> Vec<String> {
        extract(title, text)
            .regions
            .iter()
            .map(|e| e.id.clone())
            .collect()
    }

    #[test]
    fn abbreviation_lists_name_provinces() {
        let r = regions("", "10月20日，国际标准化长三角协作平台在上海启动。该协作平台是由沪苏浙皖三省一市市场监管部门共同创设。");
        for id in ["长三角", "310000", "320000", "330000", "340000"] {
            assert!(r.iter().any(|x| x == id), "{id} missing from {r:?}");
        }
        let r = regions("", "在原先上海 15 家三级医院和松江区、金山区的社区卫生服务中心、苏浙皖 3 省 8 个试点统筹区的基础上");
        for id in ["320000", "330000", "340000", "310117", "310116"] {
            assert!(r.iter().any(|x| x == id), "{id} missing from {r:?}");
        }
        let r = regions(
            "天津海洋装备产业（人才）联盟成立",
            "该联盟首批成员单位88家，涵盖京、津、沪等地区的海洋装备领域知名企业",
        );
        assert_eq!(r, ["110000", "120000", "310000"]);
        let e = extract("全国首个人工智能创新应用先导区在沪启动建设", "");
        assert_eq!(ids(&e.regions), ["310000"]);
        assert_eq!(e.regions[0].mentions, ["沪"]);
        let e = extract(
            "",
            "推动沪浙两地主要领导人共同见证，沪上众多科创市场主体积极参与",
        );
        assert_eq!(ids(&e.regions), ["310000", "330000"]);
    }

    #[test]
    fn abbreviation_characters_inside_words_are_not_places() {
        let r = regions("", "按照晋级补差原则分别给予奖励。京东、拼多多、宜家等企业。每人津贴不高于100元。大厦建成。新晋企业。");
        assert!(r.is_empty(), "{r:?}");
    }

    #[test]
    fn chaoyang_beijing_changchun_or_the_city() {
        let e = extract("", "朝阳区推出新政。");
        let c = find(&e.regions, "?朝阳区").expect("unresolved 朝阳区");
        assert_eq!(c.candidates, ["110105", "220104"]);
        assert_eq!(regions("", "北京市朝阳区推出新政。"), ["110000", "110105"]);
        assert_eq!(regions("", "长春市朝阳区推出新政。"), ["220100", "220104"]);
        assert_eq!(
            regions("", "吉林省长春市下辖的朝阳区推出新政。")[2],
            "220104"
        );
        assert_eq!(regions("", "辽宁朝阳市推出新政。"), ["210000", "211300"]);
        assert!(regions("", "大力发展朝阳产业。").is_empty());
    }

    #[test]
    fn the_two_gulou_districts_of_jiangsu() {
        let e = extract(
            "江苏推进老旧小区改造",
            "江苏省住建厅日前表示，鼓楼区率先完成改造。",
        );
        let g = find(&e.regions, "?鼓楼区").expect("unresolved 鼓楼区");
        assert_eq!(g.candidates, ["320106", "320302"], "narrowed to 江苏's two");
        assert_eq!(
            regions("", "南京市鼓楼区率先完成改造。"),
            ["320100", "320106"]
        );
        assert_eq!(
            regions("", "徐州鼓楼区率先完成改造。"),
            ["320300", "320302"]
        );
        let r = regions("南京推进老旧小区改造", "鼓楼区率先完成改造。");
        assert!(r.contains(&"320106".to_string()), "{r:?}");
    }

    #[test]
    fn jilin_province_or_city() {
        assert_eq!(
            regions("", "吉林、黑龙江、辽宁三省签署协议。"),
            ["220000", "230000", "210000"]
        );
        assert_eq!(regions("", "吉林市出台措施。"), ["220200"]);
        assert_eq!(regions("", "吉林省出台措施。"), ["220000"]);
        assert_eq!(
            regions("", "长春、吉林两市签署协议。"),
            ["220100", "220200"]
        );
        assert_eq!(regions("", "吉林出台措施。"), ["220000"]);
    }

    #[test]
    fn xian_the_city_or_liaoyuan_district() {
        assert_eq!(regions("", "西安出台措施。"), ["610100"]);
        assert_eq!(regions("", "辽源市西安区出台措施。"), ["220400", "220403"]);
        let r = regions("辽源推进城市更新", "西安率先试点。");
        assert_eq!(r, ["220400", "220403"]);
    }

    #[test]
    fn hainan_province_or_prefecture() {
        assert_eq!(regions("", "海南出台自贸港政策。"), ["460000"]);
        assert_eq!(regions("", "青海省海南州出台措施。"), ["630000", "632500"]);
        assert_eq!(
            regions("", "青海、海南等省出台措施。"),
            ["630000", "460000"]
        );
        assert!(regions("", "海南大学发布报告。").is_empty());
    }

    #[test]
    fn chengqu_only_after_its_city() {
        assert!(regions("", "老城区和主城区的城区道路。").is_empty());
        assert_eq!(regions("", "阳泉市城区出台措施。"), ["140300", "140302"]);
    }

    #[test]
    fn renamed_units_map_to_the_current_one() {
        let e = extract("", "襄樊、莱芜市两地。");
        assert_eq!(ids(&e.regions), ["420600", "370116"]);
        assert_eq!(e.regions[1].mentions, ["莱芜市"]);
    }

    #[test]
    fn names_inside_other_names_are_not_mentions() {
        for text in [
            "由复旦大学附属中山医院共同建设",
            "海南大学",
            "沿太原路步行",
            "近日，《江苏省区块链产业发展行动计划》印发。",
            "国网安徽省电力公司与中国移动安徽公司合作",
            "上海技术交易所正式开市",
            "长三角投资（上海）有限公司挂牌",
            "南方电网深圳供电局",
            "全国、国内、该市、我国",
        ] {
            let r = regions("", text);
            assert!(r.is_empty(), "{text}: {r:?}");
        }
        // 江苏省 of an agency is the agency's.
        let e = extract("", "江苏省科技厅、省财政厅联合印发通知。");
        assert!(e.regions.is_empty(), "{:?}", ids(&e.regions));
        assert_eq!(e.agencies.len(), 2);
    }

    #[test]
    fn county_short_forms_need_their_city() {
        let r = regions(
            "山东出台全国首个推动工业设备上云文件",
            "招引华为、阿里、金山、东方国信等国内知名云平台公司在山东落地。",
        );
        assert_eq!(r, ["370000"]);
        let e = extract(
            "上海宝山成立培训就业联盟",
            "10月26日，上海宝山区成立培训就业联盟。宝山区此次率先成立的联盟。",
        );
        assert_eq!(ids(&e.regions), ["310000", "310113"]);
        assert_eq!(
            find(&e.regions, "310113").unwrap().mentions,
            ["宝山", "宝山区"]
        );
        let r = regions("", "适应城市日常管理的需求。");
        assert!(r.is_empty(), "应城市 inside 适应城市: {r:?}");
    }

    #[test]
    fn towns_zones_macro_regions_countries() {
        let e = extract(
            "",
            "打造张江、金桥、临港等特色产业集聚区，在浦东新区先行先试。",
        );
        let names: Vec<&str> = e.regions.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["张江镇", "金桥镇", "临港新片区", "浦东新区"]);
        let r = regions(
            "",
            "两辆跑车在洋山特殊综保区享受政策，洋山特殊综合保税区首创径予放行模式。",
        );
        assert_eq!(r, ["洋山特殊综合保税区"]);
        let r = regions("", "推动珠三角地区与粤东粤西粤北地区加强合作。胶东五市将全方位合作。来自美国硅谷的加速器。");
        assert_eq!(r, ["珠三角", "粤东粤西粤北", "胶东", "美国"]);
        assert!(regions("", "由国家能源集团与法国电力集团合资建设").is_empty());
    }

    #[test]
    fn bare_shifanqu_needs_the_delta_in_context() {
        let e = extract(
            "长三角一体化示范区出台办法",
            "针对示范区专业技术人员，调入示范区的人员。",
        );
        let z = find(&e.regions, "长三角生态绿色一体化发展示范区").unwrap();
        assert_eq!(z.mentions, ["长三角一体化示范区", "示范区"]);
        assert!(regions("推动长三角成全国 5G 示范区", "")
            .iter()
            .all(|r| r != "长三角生态绿色一体化发展示范区"));
    }

    #[test]
    fn spans_point_at_the_surface() {
        let text =
            "近日，长三角 g60 科创走廊加快人工智能产业体系建设，上海青浦、浙江嘉善、江苏吴江相交。";
        let e = extract("", text);
        let chars: Vec<char> = text.chars().collect();
        assert!(!e.regions.is_empty());
        for r in &e.regions {
            for (sp, m) in r.spans.iter().zip(&r.mentions) {
                let s: String = chars[sp.start..sp.end].iter().collect();
                assert_eq!(&s, m);
            }
        }
        let g60 = find(&e.regions, "G60科创走廊").unwrap();
        assert_eq!(g60.mentions, ["g60 科创走廊"]);
        for id in ["310118", "330421", "320509"] {
            assert!(
                find(&e.regions, id).is_some(),
                "{id}: {:?}",
                ids(&e.regions)
            );
        }
    }
}
