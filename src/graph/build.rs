//! Building the graph from article records, one record at a time.
//!
//! What each kind of edge means, and which rule makes it, is documented on
//! [`EdgeKind`] and in the README's schema section; the rules that need a
//! decision are here:
//!
//! - Unresolved ambiguous regions (id `?name`) get no node: a node would stand
//!   for no real place. Their names are kept on the article
//!   (`unresolved_regions`), and the candidates stay in `articles.jsonl`.
//! - An amount attaches to the program named nearest to it in the same
//!   sentence, else to the agency named nearest to it in the same sentence
//!   (the `amounts`/`amount_yuan` of that `ANNOUNCES` or `ACTS_IN` edge); every
//!   amount is also listed on the article.
//! - An agency `ISSUES` a program when both are named in one sentence; when no
//!   agency shares a sentence with the program and the article names exactly
//!   one agency, that agency (`basis` = `article`).
//! - `TAKES_PLACE_IN`: the article's province, and the place inside it the
//!   article names most (a title mention first, then more mentions, then the
//!   more specific place, then the first named), if it is in the title or
//!   named at least twice.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use petgraph::stable_graph::NodeIndex;

use super::schema::{EdgeKind, NodeKind, Value};
use super::sentences::Sentences;
use super::{Edge, PolicyGraph, Props};
use crate::record::{Amount, ArticleRecord, EntityRef, Field, RegionInfo, Span};

/// Longest chain of `WITHIN` links followed upwards: guards against a cycle
/// in a hand-edited gazetteer (town → county → city → province is 3).
const MAX_DEPTH: usize = 8;

/// How often a place inside the province must be named (unless it is in
/// the title) to count as where the event happens: a single passing mention
/// (`盐城、东台率先试点` in a province-wide programme) does not.
const MIN_LOCALITY_MENTIONS: u32 = 2;

/// Builds a [`PolicyGraph`] from records added one by one (so a caller can
/// stream them), with a region lookup for the `WITHIN` chain.
pub struct GraphBuilder<F> {
    graph: PolicyGraph,
    lookup: F,
    /// Lookup answers, so each id is looked up once.
    cache: BTreeMap<String, Option<RegionInfo>>,
    /// What the records themselves say about regions the lookup does not know.
    seen: BTreeMap<String, RegionInfo>,
    /// Regions whose `WITHIN` chain is already in the graph.
    chained: BTreeSet<String>,
    /// `TAKES_PLACE_IN` waits for [`GraphBuilder::finish`]: the province is
    /// given by name, and its id may only be known from later records.
    places: Vec<Place>,
}

/// Where one article's event may take place, resolved in `finish`.
struct Place {
    article: NodeIndex,
    province: String,
    date: Option<NaiveDate>,
    candidates: Vec<Candidate>,
}

/// A region an article names, with what ranks it as the event's place.
struct Candidate {
    node: NodeIndex,
    /// The region and its ancestors, nearest first.
    chain: Vec<String>,
    in_title: bool,
    count: u32,
    first: (Field, usize),
}

/// One resolved entity of the record being added, with the sentences it is
/// named in.
struct Named {
    node: NodeIndex,
    spans: Vec<Span>,
}

impl<F> GraphBuilder<F>
where
    F: Fn(&str) -> Option<RegionInfo>,
{
    pub fn new(lookup: F) -> GraphBuilder<F> {
        GraphBuilder {
            graph: PolicyGraph::default(),
            lookup,
            cache: BTreeMap::new(),
            seen: BTreeMap::new(),
            chained: BTreeSet::new(),
            places: Vec::new(),
        }
    }

    /// Adds one record: its bulletin, the article, and every entity it names.
    pub fn add(&mut self, record: &ArticleRecord) {
        let article = &record.article;
        let ents = &record.entities;
        let time = ents.date.or(article.bulletin.date);

        let bulletin = self.add_bulletin(record);
        let art = self.add_article(record, time);
        {
            let position = article
                .id
                .rsplit_once(':')
                .and_then(|(_, n)| n.parse::<i64>().ok())
                .filter(|n| i32::try_from(*n).is_ok());
            let bulletin_date = article.bulletin.date;
            let e = self.graph.edge_mut(EdgeKind::InBulletin, art, bulletin);
            e.weight = 1;
            e.extend_time(time);
            e.extend_time(bulletin_date);
            set_date(e, time);
            if let Some(n) = position {
                e.props.insert("position", Value::Int(n));
            }
        }

        for r in &ents.regions {
            if !r.id.is_empty() && !r.id.starts_with('?') && !self.seen.contains_key(&r.id) {
                let info = RegionInfo {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    kind: r.kind.clone().unwrap_or_default(),
                    parent: r.parent.clone(),
                };
                self.seen.entry(r.id.clone()).or_insert(info);
            }
        }

        // Sentence boundaries only when a rule needs them (a program or a
        // placed amount): the scan covers the whole text.
        let (title, text) = (OnceCell::new(), OnceCell::new());
        let sentence = |s: &Span| match s.field {
            Field::Title => (
                Field::Title,
                title.get_or_init(|| Sentences::new(&article.title)).index(s.start),
            ),
            Field::Text => (
                Field::Text,
                text.get_or_init(|| Sentences::new(&article.text)).index(s.start),
            ),
        };

        // Regions: MENTIONS, and candidates for TAKES_PLACE_IN.
        let mut unresolved: Vec<String> = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        for r in &ents.regions {
            if r.id.starts_with('?') {
                let name = if r.name.is_empty() {
                    &r.id[1..]
                } else {
                    r.name.as_str()
                };
                push_unique(&mut unresolved, name);
                continue;
            }
            let Some(node) = self.region_node(&r.id) else {
                continue;
            };
            let count = occurrences(r);
            let in_title = r.spans.iter().any(|s| s.field == Field::Title);
            let e = self.graph.edge_mut(EdgeKind::Mentions, art, node);
            e.weight += count;
            e.extend_time(time);
            set_date(e, time);
            merge_list(e, "mentions", &r.mentions);
            let was = matches!(e.props.get("in_title"), Some(Value::Bool(true)));
            e.props.insert("in_title", Value::Bool(was || in_title));
            let first = r
                .spans
                .iter()
                .map(|s| (s.field, s.start))
                .min()
                .unwrap_or((Field::Text, usize::MAX));
            match candidates.iter_mut().find(|c| c.node == node) {
                Some(c) => {
                    c.count += count;
                    c.in_title |= in_title;
                    c.first = c.first.min(first);
                }
                None => candidates.push(Candidate {
                    node,
                    chain: self.chain(&r.id),
                    in_title,
                    count,
                    first,
                }),
            }
        }
        if !unresolved.is_empty() {
            self.graph.graph[art]
                .props
                .insert("unresolved_regions", Value::List(unresolved));
        }
        if let Some(province) = &ents.province {
            self.places.push(Place {
                article: art,
                province: province.clone(),
                date: time,
                candidates,
            });
        }

        // Agencies: ACTS_IN, BELONGS_TO.
        let mut agencies: Vec<Named> = Vec::new();
        for a in &ents.agencies {
            if a.id.is_empty() || a.id.starts_with('?') {
                continue;
            }
            let (node, new) = self.graph.upsert_node(NodeKind::Agency, &a.id, &a.name);
            if new {
                self.set_entity_props(node, a);
            }
            let e = self.graph.edge_mut(EdgeKind::ActsIn, node, art);
            e.weight += occurrences(a);
            e.extend_time(time);
            set_date(e, time);
            merge_list(e, "mentions", &a.mentions);
            if let Some(parent) = a
                .parent
                .as_deref()
                .filter(|p| !p.is_empty() && !p.starts_with('?'))
            {
                if let Some(region) = self.region_node(parent) {
                    self.graph
                        .edge_mut(EdgeKind::BelongsTo, node, region)
                        .weight = 1;
                }
            }
            push_named(&mut agencies, node, &a.spans);
        }

        // Programs: ANNOUNCES, INSTANCE_OF.
        let mut programs: Vec<Named> = Vec::new();
        for p in &ents.programs {
            if p.id.is_empty() || p.id.starts_with('?') {
                continue;
            }
            let (node, new) = self.graph.upsert_node(NodeKind::Program, &p.id, &p.name);
            if new {
                self.set_entity_props(node, p);
            }
            let e = self.graph.edge_mut(EdgeKind::Announces, art, node);
            e.weight += occurrences(p);
            e.extend_time(time);
            set_date(e, time);
            merge_list(e, "mentions", &p.mentions);
            if let Some(template) = p.template.as_deref().filter(|t| !t.is_empty()) {
                if !self.graph.graph[node].props.contains_key("template") {
                    self.graph.graph[node]
                        .props
                        .insert("template", Value::Str(template.to_string()));
                }
                let (t, new) =
                    self.graph
                        .upsert_node(NodeKind::ProgramTemplate, template, template);
                if new {
                    self.graph.graph[t]
                        .props
                        .insert("name", Value::Str(template.to_string()));
                }
                self.graph.edge_mut(EdgeKind::InstanceOf, node, t).weight = 1;
            }
            push_named(&mut programs, node, &p.spans);
        }

        // ISSUES: agency and program in one sentence, else the only agency.
        for p in &programs {
            let p_sentences: BTreeSet<_> = p.spans.iter().map(sentence).collect();
            let mut issuers: Vec<(NodeIndex, &'static str)> = agencies
                .iter()
                .filter(|a| a.spans.iter().any(|s| p_sentences.contains(&sentence(s))))
                .map(|a| (a.node, "sentence"))
                .collect();
            if issuers.is_empty() && agencies.len() == 1 {
                issuers.push((agencies[0].node, "article"));
            }
            for (agency, basis) in issuers {
                let e = self.graph.edge_mut(EdgeKind::Issues, agency, p.node);
                let mut articles = match e.props.remove("articles") {
                    Some(Value::List(l)) => l,
                    _ => Vec::new(),
                };
                if let Err(at) = articles.binary_search(&article.id) {
                    articles.insert(at, article.id.clone());
                }
                e.weight = articles.len() as u32;
                e.props.insert("articles", Value::List(articles));
                let stronger =
                    matches!(e.props.get("basis"), Some(Value::Str(b)) if b == "sentence");
                e.props.insert(
                    "basis",
                    Value::Str(if stronger { "sentence" } else { basis }.to_string()),
                );
                e.extend_time(time);
                if let Some((first, _)) = e.time {
                    e.props.insert("date", Value::Date(first));
                }
            }
        }

        // Amounts: on the article, and on the nearest program or agency of
        // the same sentence.
        let texts: Vec<String> = ents.amounts.iter().map(|a| a.text.clone()).collect();
        if !texts.is_empty() {
            let props = &mut self.graph.graph[art].props;
            props.insert("amounts", Value::List(dedup(texts)));
            if let Some(max) = max_yuan(ents.amounts.iter()) {
                props.insert("amount_yuan", Value::Int(max));
            }
        }
        for amount in &ents.amounts {
            let Some(span) = amount.span else { continue };
            let here = sentence(&span);
            let nearest = |named: &[Named]| {
                named
                    .iter()
                    .filter_map(|n| {
                        n.spans
                            .iter()
                            .filter(|s| sentence(s) == here)
                            .map(|s| s.start.abs_diff(span.start))
                            .min()
                            .map(|d| (d, n.node))
                    })
                    .min()
                    .map(|(_, node)| node)
            };
            let edge = if let Some(p) = nearest(&programs) {
                self.graph.edge_mut(EdgeKind::Announces, art, p)
            } else if let Some(a) = nearest(&agencies) {
                self.graph.edge_mut(EdgeKind::ActsIn, a, art)
            } else {
                continue;
            };
            attach_amount(edge, amount);
        }
    }

    /// Resolves the places of events and returns the graph.
    pub fn finish(mut self) -> PolicyGraph {
        // Province names to ids, for articles that name no place inside
        // their province (or name it only in an agency's name).
        let mut provinces: BTreeMap<String, NodeIndex> = BTreeMap::new();
        for ix in self.graph.graph.node_indices() {
            let n = &self.graph.graph[ix];
            if n.kind == NodeKind::Region
                && matches!(n.prop("category"), Some(Value::Str(c)) if c == "province")
            {
                let entry = provinces.entry(n.label.clone()).or_insert(ix);
                if self.graph.graph[*entry].key > n.key {
                    *entry = ix;
                }
            }
        }
        let places = std::mem::take(&mut self.places);
        for place in places {
            let Some(province) = self.province_of(&place, &provinces) else {
                continue;
            };
            let province_key = self.graph.graph[province].key.clone();
            let e = self
                .graph
                .edge_mut(EdgeKind::TakesPlaceIn, place.article, province);
            e.weight = 1;
            e.extend_time(place.date);
            set_date(e, place.date);
            e.props.insert("scope", Value::Str("province".into()));

            let best = place
                .candidates
                .iter()
                .filter(|c| {
                    c.node != province && c.chain.iter().skip(1).any(|id| *id == province_key)
                })
                .filter(|c| c.in_title || c.count >= MIN_LOCALITY_MENTIONS)
                .min_by(|a, b| {
                    (
                        !a.in_title,
                        std::cmp::Reverse(a.count),
                        std::cmp::Reverse(a.chain.len()),
                        a.first,
                    )
                        .cmp(&(
                            !b.in_title,
                            std::cmp::Reverse(b.count),
                            std::cmp::Reverse(b.chain.len()),
                            b.first,
                        ))
                        .then_with(|| {
                            self.graph.graph[a.node]
                                .key
                                .cmp(&self.graph.graph[b.node].key)
                        })
                });
            if let Some(best) = best {
                let e = self
                    .graph
                    .edge_mut(EdgeKind::TakesPlaceIn, place.article, best.node);
                e.weight = 1;
                e.extend_time(place.date);
                set_date(e, place.date);
                e.props.insert("scope", Value::Str("locality".into()));
            }
        }
        self.graph
    }

    /// The node of the article's province: one the article's own regions
    /// lead to, else any province node of that name.
    fn province_of(
        &mut self,
        place: &Place,
        provinces: &BTreeMap<String, NodeIndex>,
    ) -> Option<NodeIndex> {
        for c in &place.candidates {
            for id in &c.chain {
                let Some(info) = self.info(id) else { continue };
                if info.name == place.province && info.kind == "province" {
                    return self.graph.node_ix(NodeKind::Region, id);
                }
            }
        }
        provinces.get(&place.province).copied()
    }

    fn add_bulletin(&mut self, record: &ArticleRecord) -> NodeIndex {
        let a = &record.article;
        let key = bulletin_key(&a.id, &a.source);
        let meta = &a.bulletin;
        let label = match (&meta.title, &meta.issue) {
            (Some(t), Some(i)) => format!("{t} {i}"),
            (Some(t), None) => t.clone(),
            (None, Some(i)) => i.clone(),
            (None, None) => key.clone(),
        };
        let (ix, new) = self.graph.upsert_node(NodeKind::Bulletin, &key, &label);
        if new {
            let node = &mut self.graph.graph[ix];
            node.time = meta.date;
            let props = &mut node.props;
            put_str(props, "title", meta.title.as_deref());
            put_str(props, "issue", meta.issue.as_deref());
            put_str(props, "publisher", meta.publisher.as_deref());
            if let Some(d) = meta.date {
                props.insert("date", Value::Date(d));
            }
            put_str(props, "source", Some(&a.source));
        }
        ix
    }

    fn add_article(&mut self, record: &ArticleRecord, time: Option<NaiveDate>) -> NodeIndex {
        let a = &record.article;
        let (ix, _) = self.graph.upsert_node(NodeKind::Article, &a.id, &a.title);
        let node = &mut self.graph.graph[ix];
        node.time = time;
        let props = &mut node.props;
        put_str(props, "title", Some(&a.title));
        put_str(props, "section", a.section.as_deref());
        if let Some(d) = time {
            props.insert("date", Value::Date(d));
        }
        if let Some(d) = record.entities.date {
            props.insert("event_date", Value::Date(d));
        }
        if let Some(d) = a.bulletin.date {
            props.insert("bulletin_date", Value::Date(d));
        }
        put_str(props, "province", record.entities.province.as_deref());
        put_str(props, "source", Some(&a.source));
        ix
    }

    fn set_entity_props(&mut self, node: NodeIndex, e: &EntityRef) {
        let props = &mut self.graph.graph[node].props;
        put_str(props, "name", Some(&e.name));
        put_str(props, "category", e.kind.as_deref());
    }

    /// What is known about region `id`: the gazetteer first, else what a
    /// record said about it.
    fn info(&mut self, id: &str) -> Option<RegionInfo> {
        if !self.cache.contains_key(id) {
            let found = (self.lookup)(id);
            self.cache.insert(id.to_string(), found);
        }
        self.cache[id]
            .clone()
            .or_else(|| self.seen.get(id).cloned())
    }

    /// The region and its ancestors up to the province, nearest first.
    fn chain(&mut self, id: &str) -> Vec<String> {
        let mut chain = vec![id.to_string()];
        let mut current = self.info(id);
        while let Some(info) = current {
            if info.kind == "province" || chain.len() > MAX_DEPTH {
                break;
            }
            let Some(parent) = info.parent.filter(|p| !p.is_empty() && !p.starts_with('?')) else {
                break;
            };
            if chain.contains(&parent) {
                break;
            }
            current = self.info(&parent);
            if current.is_none() {
                break;
            }
            chain.push(parent);
        }
        chain
    }

    /// The node of region `id` and the `WITHIN` edges up to its province;
    /// `None` if nothing is known about the id.
    fn region_node(&mut self, id: &str) -> Option<NodeIndex> {
        // Seen before, chain and all: the node, without copying its info.
        if self.chained.contains(id) && matches!(self.cache.get(id), Some(Some(i)) if i.id == id) {
            if let Some(ix) = self.graph.node_ix(NodeKind::Region, id) {
                return Some(ix);
            }
        }
        let info = self.info(id)?;
        let node = self.region_from_info(&info);
        if self.chained.insert(id.to_string()) {
            let chain = self.chain(id);
            let mut child = node;
            for parent_id in chain.iter().skip(1) {
                let Some(parent_info) = self.info(parent_id) else {
                    break;
                };
                let parent = self.region_from_info(&parent_info);
                self.graph.edge_mut(EdgeKind::Within, child, parent).weight = 1;
                if !self.chained.insert(parent_id.clone()) {
                    break; // the rest of the chain is already there
                }
                child = parent;
            }
        }
        Some(node)
    }

    fn region_from_info(&mut self, info: &RegionInfo) -> NodeIndex {
        let (ix, new) = self
            .graph
            .upsert_node(NodeKind::Region, &info.id, &info.name);
        if new {
            let props = &mut self.graph.graph[ix].props;
            put_str(props, "name", Some(&info.name));
            put_str(props, "category", Some(&info.kind));
        }
        ix
    }
}

/// The bulletin a record belongs to: its id without the article number
/// (`000_5fd69a67e7dd1237:03` → `000_5fd69a67e7dd1237`), which does not
/// depend on how the source path was spelled; else the source file's stem.
fn bulletin_key(article_id: &str, source: &str) -> String {
    if let Some((stem, _)) = article_id.rsplit_once(':') {
        if !stem.is_empty() {
            return stem.to_string();
        }
    }
    let name = source.rsplit(['/', '\\']).next().unwrap_or(source);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

/// How often an entity is named: its spans, or (for records without spans,
/// like hand-written gold files) its distinct surface forms.
fn occurrences(e: &EntityRef) -> u32 {
    let n = if e.spans.is_empty() {
        e.mentions.len().max(1)
    } else {
        e.spans.len()
    };
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn push_named(named: &mut Vec<Named>, node: NodeIndex, spans: &[Span]) {
    match named.iter_mut().find(|n| n.node == node) {
        Some(n) => n.spans.extend_from_slice(spans),
        None => named.push(Named {
            node,
            spans: spans.to_vec(),
        }),
    }
}

fn put_str(props: &mut Props, name: &'static str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        props.insert(name, Value::Str(v.to_string()));
    }
}

/// Sets an edge's `date` to the earliest date of the articles stating it.
fn set_date(e: &mut Edge, date: Option<NaiveDate>) {
    if let Some(d) = date {
        match e.props.get("date") {
            Some(Value::Date(old)) if *old <= d => {}
            _ => {
                e.props.insert("date", Value::Date(d));
            }
        }
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// Appends the new items of `items` to the list property `name`, keeping
/// first-seen order.
fn merge_list(e: &mut Edge, name: &'static str, items: &[String]) {
    let mut list = match e.props.remove(name) {
        Some(Value::List(l)) => l,
        _ => Vec::new(),
    };
    for item in items {
        push_unique(&mut list, item);
    }
    e.props.insert(name, Value::List(list));
}

fn dedup(items: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(items.len());
    for item in &items {
        push_unique(&mut out, item);
    }
    out
}

/// The largest CNY amount, in yuan.
fn max_yuan<'a>(amounts: impl Iterator<Item = &'a Amount>) -> Option<i64> {
    amounts
        .filter(|a| a.currency == "CNY")
        .map(|a| a.value_yuan)
        .max()
}

fn attach_amount(e: &mut Edge, amount: &Amount) {
    merge_list(e, "amounts", std::slice::from_ref(&amount.text));
    if amount.currency == "CNY" {
        let max = match e.props.get("amount_yuan") {
            Some(Value::Int(old)) => (*old).max(amount.value_yuan),
            _ => amount.value_yuan,
        };
        e.props.insert("amount_yuan", Value::Int(max));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulletin_key_prefers_the_article_id() {
        assert_eq!(
            bulletin_key("000_5fd69a67e7dd1237:03", "corpus/x.txt"),
            "000_5fd69a67e7dd1237"
        );
        assert_eq!(
            bulletin_key("noindex", "corpus/sample/001_ab.txt"),
            "001_ab"
        );
        assert_eq!(bulletin_key(":3", "b"), "b");
    }
}
