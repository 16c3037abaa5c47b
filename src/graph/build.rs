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
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use petgraph::stable_graph::NodeIndex;

use super::codec;
use super::file::GraphFile;
use super::runs::RunSorter;
use super::schema::{EdgeKind, NodeKind, Value};
use super::sentences::Sentences;
use super::{CopyEdge, Edge, GraphError, PolicyGraph, Props};
use crate::record::{Amount, ArticleRecord, EntityRef, Field, RegionInfo, Span};

/// Longest chain of `WITHIN` links followed upwards: guards against a cycle
/// in a hand-edited gazetteer (town → county → city → province is 3).
const MAX_DEPTH: usize = 8;

/// How often a place inside the province must be named (unless it is in
/// the title) to count as where the event happens: a single passing mention
/// (`盐城、东台率先试点` in a province-wide programme) does not.
const MIN_LOCALITY_MENTIONS: u32 = 2;

/// Builds the graph from records added one by one (so a caller can stream
/// them), with a region lookup for the `WITHIN` chain.
///
/// Each record is turned into nodes and edges in a small scratch graph,
/// whose contents are then stated as sorted records (`codec.rs`) and
/// the scratch cleared: memory holds what one article says, the regions
/// and a little per article (a digest of its id and its date, for `COPIES`), never the
/// graph. [`GraphBuilder::finish`] sorts the statements (on disk when
/// built with [`GraphBuilder::spilling_in`]) and merges them into a
/// [`GraphFile`]; [`PolicyGraph::build`] loads that into memory.
pub struct GraphBuilder<F> {
    /// What the record being added says; empty between records.
    graph: PolicyGraph,
    lookup: F,
    /// Lookup answers, so each id is looked up once.
    cache: BTreeMap<String, Option<RegionInfo>>,
    /// What the records themselves say about regions the lookup does not know.
    seen: BTreeMap<String, RegionInfo>,
    /// Regions whose `WITHIN` chain is already in the graph.
    chained: BTreeSet<String>,
    /// Every region node stated so far: key → (label, category). Bounded
    /// by the gazetteer; gives the provinces by name in `finish`.
    regions: BTreeMap<String, (String, Option<String>)>,
    /// `TAKES_PLACE_IN` of the articles whose province is known only by
    /// name and not through their regions: resolved in `finish`, as the
    /// province's node may be stated by a later record. Kept compact, with
    /// names numbered in `names`: one per article of a large corpus.
    places: Vec<Deferred>,
    names: Names,
    /// Places of the record being added, with their province's key.
    ready: Vec<(Place, String)>,
    /// Every article's date (`None` when undated), for `COPIES` edges, by
    /// a 128-bit digest of its id ([`id_digest`]): a third of the memory
    /// of the ids themselves, one entry per article of the corpus.
    articles: HashMap<u128, Option<NaiveDate>>,
    sorter: RunSorter,
    /// Where the sorted runs and the finished graph go; `None`: memory.
    dir: Option<PathBuf>,
    /// Sequence number of the next statement.
    seq: u64,
    key: Vec<u8>,
    payload: Vec<u8>,
}

/// Where one article's event may take place.
struct Place {
    article: String,
    province: String,
    date: Option<NaiveDate>,
    candidates: Vec<Candidate>,
}

/// A [`Place`] left for `finish`, its strings numbered.
struct Deferred {
    article: Box<str>,
    province: u32,
    date: Option<NaiveDate>,
    candidates: Box<[Kept]>,
}

/// A [`Candidate`] of a [`Deferred`] place.
struct Kept {
    key: u32,
    chain: Box<[u32]>,
    in_title: bool,
    count: u32,
    first: (Field, usize),
}

/// Region ids and province names, numbered: a few thousand, however
/// many articles name them.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Names {
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.index.get(name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), n);
        n
    }

    fn name(&self, n: u32) -> String {
        self.names[n as usize].clone()
    }
}

impl Deferred {
    fn new(place: &Place, names: &mut Names) -> Deferred {
        let candidates = place
            .candidates
            .iter()
            .map(|c| Kept {
                key: names.number(&c.key),
                chain: c.chain.iter().map(|id| names.number(id)).collect(),
                in_title: c.in_title,
                count: c.count,
                first: c.first,
            })
            .collect();
        Deferred {
            article: place.article.as_str().into(),
            province: names.number(&place.province),
            date: place.date,
            candidates,
        }
    }

    fn place(&self, names: &Names) -> Place {
        Place {
            article: self.article.to_string(),
            province: names.name(self.province),
            date: self.date,
            candidates: self
                .candidates
                .iter()
                .map(|k| Candidate {
                    node: NodeIndex::end(),
                    key: names.name(k.key),
                    chain: k.chain.iter().map(|&n| names.name(n)).collect(),
                    in_title: k.in_title,
                    count: k.count,
                    first: k.first,
                })
                .collect(),
        }
    }
}

/// A region an article names, with what ranks it as the event's place.
struct Candidate {
    /// The region's node in the scratch graph, while its record is added.
    node: NodeIndex,
    key: String,
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
    /// A builder that keeps everything in memory: for small corpora and
    /// tests.
    pub fn new(lookup: F) -> GraphBuilder<F> {
        GraphBuilder::with(lookup, RunSorter::in_memory(), None)
    }

    /// A builder that sorts on disk, in unlinked temporary files in `dir`,
    /// holding at most about `budget` bytes of statements in memory.
    pub fn spilling_in(dir: &Path, budget: usize, lookup: F) -> GraphBuilder<F> {
        GraphBuilder::with(
            lookup,
            RunSorter::spilling_in(dir, budget),
            Some(dir.to_path_buf()),
        )
    }

    fn with(lookup: F, sorter: RunSorter, dir: Option<PathBuf>) -> GraphBuilder<F> {
        GraphBuilder {
            graph: PolicyGraph::default(),
            lookup,
            cache: BTreeMap::new(),
            seen: BTreeMap::new(),
            chained: BTreeSet::new(),
            regions: BTreeMap::new(),
            places: Vec::new(),
            names: Names::default(),
            ready: Vec::new(),
            articles: HashMap::new(),
            sorter,
            dir,
            seq: 0,
            key: Vec::new(),
            payload: Vec::new(),
        }
    }

    /// Adds one record: its bulletin, the article, and every entity it names.
    /// Fails only when a temporary file cannot be written.
    pub fn add(&mut self, record: &ArticleRecord) -> io::Result<()> {
        self.state(record);
        self.articles
            .insert(id_digest(&record.article.id), record.timeline_date());
        self.drain()?;
        for (place, province) in std::mem::take(&mut self.ready) {
            self.place(&place, &province)?;
        }
        Ok(())
    }

    /// Writes the statements buffered for sorting to disk and frees their
    /// memory: for a pause in adding (the build's copying detection).
    pub fn release(&mut self) -> io::Result<()> {
        self.sorter.release()
    }

    /// How many statements about nodes and edges were made so far.
    pub fn statements(&self) -> u64 {
        self.sorter.count()
    }

    /// States what the scratch graph holds, in its order, and clears it.
    fn drain(&mut self) -> io::Result<()> {
        let g = std::mem::take(&mut self.graph);
        for node in g.graph.node_weights() {
            codec::node_key(&mut self.key, node.kind, &node.key, self.seq);
            self.seq += 1;
            self.payload.clear();
            codec::encode_node(&mut self.payload, node);
            self.sorter.push(&self.key, &self.payload)?;
        }
        for e in petgraph::visit::IntoEdgeReferences::edge_references(&g.graph) {
            use petgraph::visit::EdgeRef;
            let (s, t) = (&g.graph[e.source()].key, &g.graph[e.target()].key);
            self.state_edge(s, t, e.weight())?;
        }
        Ok(())
    }

    fn state_edge(&mut self, source: &str, target: &str, edge: &Edge) -> io::Result<()> {
        codec::edge_key(&mut self.key, edge.kind, source, target, self.seq);
        self.seq += 1;
        self.payload.clear();
        codec::encode_edge(&mut self.payload, source, target, edge);
        self.sorter.push(&self.key, &self.payload)
    }

    /// States `COPIES` edges found by the diffusion stage. All are checked
    /// before any is stated, so a bad finding (a [`GraphError`], as an
    /// error of kind `InvalidInput`) states none. A pair given twice keeps
    /// the finding with the higher score.
    pub fn add_copies<I>(&mut self, copies: I) -> io::Result<()>
    where
        I: IntoIterator<Item = CopyEdge>,
    {
        let copies: Vec<CopyEdge> = copies.into_iter().collect();
        let mut times = Vec::with_capacity(copies.len());
        for c in &copies {
            let time = |id: &str| {
                self.articles
                    .get(&id_digest(id))
                    .copied()
                    .ok_or_else(|| GraphError::UnknownArticle(id.to_string()))
            };
            let checked = time(&c.from)
                .and_then(|from| Ok((from, time(&c.to)?)))
                .and_then(|t| c.check().map(|_| t));
            times.push(checked.map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?);
        }
        for (c, (from, to)) in copies.into_iter().zip(times) {
            let (source, target) = (c.from.clone(), c.to.clone());
            let edge = c.into_edge(from, to);
            self.state_edge(&source, &target, &edge)?;
        }
        Ok(())
    }

    /// What one record says, into the scratch graph.
    fn state(&mut self, record: &ArticleRecord) {
        let article = &record.article;
        let ents = &record.entities;
        let time = record.timeline_date();

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
                title
                    .get_or_init(|| Sentences::new(&article.title))
                    .index(s.start),
            ),
            Field::Text => (
                Field::Text,
                text.get_or_init(|| Sentences::new(&article.text))
                    .index(s.start),
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
                    key: self.graph.graph[node].key.clone(),
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
            let place = Place {
                article: article.id.clone(),
                province: province.clone(),
                date: time,
                candidates,
            };
            match self.province_by_chain(&place) {
                Some(Some(province)) => self.ready.push((place, province)),
                // Known only by name, or its node not stated yet: it may
                // come with a later record.
                Some(None) | None => {
                    let deferred = Deferred::new(&place, &mut self.names);
                    self.places.push(deferred);
                }
            }
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

    /// Resolves the places left for the end, sorts every statement and
    /// merges them into the finished graph.
    pub fn finish(mut self) -> io::Result<GraphFile> {
        // Province names to ids, for articles that name no place inside
        // their province (or name it only in an agency's name).
        let mut provinces: BTreeMap<&str, &str> = BTreeMap::new();
        for (key, (label, category)) in &self.regions {
            if category.as_deref() == Some("province") {
                // Keys come in order: the first of a name is the smallest.
                provinces.entry(label.as_str()).or_insert(key.as_str());
            }
        }
        let provinces: BTreeMap<String, String> = provinces
            .into_iter()
            .map(|(l, k)| (l.to_string(), k.to_string()))
            .collect();
        let places = std::mem::take(&mut self.places);
        for deferred in places {
            let place = deferred.place(&self.names);
            let province = match self.province_by_chain(&place) {
                Some(found) => found,
                None => provinces.get(&place.province).cloned(),
            };
            if let Some(province) = province {
                self.place(&place, &province)?;
            }
        }
        let sorted = self.sorter.finish()?;
        GraphFile::write(sorted, self.dir.as_deref())
    }

    /// States the `TAKES_PLACE_IN` edges of one article: its province, and
    /// the place inside it that the article names most.
    fn place(&mut self, place: &Place, province_key: &str) -> io::Result<()> {
        let mut edge = Edge {
            kind: EdgeKind::TakesPlaceIn,
            weight: 1,
            props: Props::new(),
            time: None,
        };
        edge.extend_time(place.date);
        set_date(&mut edge, place.date);
        edge.props.insert("scope", Value::Str("province".into()));
        self.state_edge(&place.article, province_key, &edge)?;

        let best = place
            .candidates
            .iter()
            .filter(|c| {
                c.key != province_key && c.chain.iter().skip(1).any(|id| id == province_key)
            })
            .filter(|c| c.in_title || c.count >= MIN_LOCALITY_MENTIONS)
            .min_by(|a, b| {
                (
                    !a.in_title,
                    std::cmp::Reverse(a.count),
                    std::cmp::Reverse(a.chain.len()),
                    a.first,
                    &a.key,
                )
                    .cmp(&(
                        !b.in_title,
                        std::cmp::Reverse(b.count),
                        std::cmp::Reverse(b.chain.len()),
                        b.first,
                        &b.key,
                    ))
            });
        if let Some(best) = best {
            edge.props.insert("scope", Value::Str("locality".into()));
            let key = best.key.clone();
            self.state_edge(&place.article, &key, &edge)?;
        }
        Ok(())
    }

    /// The key of the article's province found through the article's own
    /// regions: `None` if no region leads to a province of that name,
    /// `Some(None)` if one does but its node has not been stated yet.
    fn province_by_chain(&mut self, place: &Place) -> Option<Option<String>> {
        for c in &place.candidates {
            for id in &c.chain {
                let Some(info) = self.info(id) else { continue };
                if info.name == place.province && info.kind == "province" {
                    return Some(self.regions.contains_key(id).then(|| id.clone()));
                }
            }
        }
        None
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
        if let Some(d) = a.published.or(a.bulletin.date) {
            props.insert("published", Value::Date(d));
        }
        if let Some(source) = record.entities.date_source {
            props.insert("date_source", Value::Str(source.as_str().into()));
        }
        if let Some(doc) = &a.document {
            put_str(props, "doc_number", doc.number.as_deref());
            put_str(props, "doc_source", doc.source.as_deref());
            put_str(props, "issuer", doc.issuer.as_deref());
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
            if !self.regions.contains_key(&info.id) {
                let node = &self.graph.graph[ix];
                let category = (!info.kind.is_empty()).then(|| info.kind.clone());
                self.regions
                    .insert(info.id.clone(), (node.label.clone(), category));
            }
        }
        ix
    }
}

/// Two independent 64-bit SipHash digests of an article id: two ids of a
/// million-article corpus share one with a probability of about 1e-27, so
/// the digest stands for the id (it never leaves the process).
fn id_digest(id: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let mut a = std::hash::DefaultHasher::new();
    id.hash(&mut a);
    let mut b = std::hash::DefaultHasher::new();
    (0x5eed_u32, id).hash(&mut b);
    ((a.finish() as u128) << 64) | b.finish() as u128
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
    fn id_digests_differ_between_ids_and_agree_for_one() {
        let ids: Vec<String> = (0..20_000)
            .map(|i| format!("{:04}/synth_{i:07}:{:02}", i % 97, i % 31))
            .collect();
        let digests: std::collections::HashSet<u128> = ids.iter().map(|id| id_digest(id)).collect();
        assert_eq!(digests.len(), ids.len());
        assert_eq!(
            id_digest("000_5fd69a67e7dd1237:03"),
            id_digest(&"000_5fd69a67e7dd1237:03".to_string())
        );
        assert_ne!(id_digest("a"), id_digest("b"));
    }

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
