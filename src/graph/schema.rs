//! The graph's schema: which kinds of node and edge exist, and which typed
//! properties each carries.
//!
//! Every export declares its columns from these tables, not from the data, so a
//! property is always declared with the same type even when no node has it,
//! and the files of two runs have the same columns. The README's schema
//! section documents exactly these tables.

use std::fmt;

use chrono::NaiveDate;

/// A node's type: one per kind of real-world entity.
///
/// The declaration order is the order nodes appear in every export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// One issue of a bulletin (one source file).
    Bulletin,
    /// One article of a bulletin: a policy event.
    Article,
    /// A place: GB/T 2260 division, zone, macro-region or country.
    Region,
    /// A government or party body, by canonical name.
    Agency,
    /// A named policy or initiative, by canonical name.
    Program,
    /// The same kind of policy across jurisdictions, by template key.
    ProgramTemplate,
}

impl NodeKind {
    pub const ALL: [NodeKind; 6] = [
        NodeKind::Bulletin,
        NodeKind::Article,
        NodeKind::Region,
        NodeKind::Agency,
        NodeKind::Program,
        NodeKind::ProgramTemplate,
    ];

    /// The label: node type in every export (`Kind` column, Neo4j label).
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Bulletin => "Bulletin",
            NodeKind::Article => "Article",
            NodeKind::Region => "Region",
            NodeKind::Agency => "Agency",
            NodeKind::Program => "Program",
            NodeKind::ProgramTemplate => "ProgramTemplate",
        }
    }

    /// One line for the README.
    pub fn doc(self) -> &'static str {
        match self {
            NodeKind::Bulletin => "one issue of a bulletin (one source file)",
            NodeKind::Article => "one article: a policy event",
            NodeKind::Region => "a place: GB/T 2260 division, zone, macro-region or country",
            NodeKind::Agency => "a government or party body",
            NodeKind::Program => "a named policy document or initiative",
            NodeKind::ProgramTemplate => "the same kind of policy across jurisdictions",
        }
    }

    /// What the key is, for the README.
    pub fn key_doc(self) -> &'static str {
        match self {
            NodeKind::Bulletin => "source file stem (`000_5fd69a67e7dd1237`)",
            NodeKind::Article => "article id (`000_5fd69a67e7dd1237:03`)",
            NodeKind::Region => "GB/T 2260 code (`310115`), or the gazetteer's id for zones, macro-regions, countries",
            NodeKind::Agency => "canonical name (`江苏省科学技术厅`)",
            NodeKind::Program => "canonical name (`江苏省科技创新券试点方案`)",
            NodeKind::ProgramTemplate => "template key (`科技创新券试点方案`)",
        }
    }

    /// The prefix of the node's global id (`region:310000`), which keeps the
    /// id spaces of different kinds apart in formats with a single one.
    pub fn prefix(self) -> &'static str {
        match self {
            NodeKind::Bulletin => "bulletin",
            NodeKind::Article => "article",
            NodeKind::Region => "region",
            NodeKind::Agency => "agency",
            NodeKind::Program => "program",
            NodeKind::ProgramTemplate => "template",
        }
    }

    /// The properties of this kind of node, besides `id`, `label`, `kind`
    /// and `key` which every node has.
    pub fn properties(self) -> &'static [PropDef] {
        match self {
            NodeKind::Bulletin => BULLETIN_PROPS,
            NodeKind::Article => ARTICLE_PROPS,
            NodeKind::Region => REGION_PROPS,
            NodeKind::Agency => AGENCY_PROPS,
            NodeKind::Program => PROGRAM_PROPS,
            NodeKind::ProgramTemplate => TEMPLATE_PROPS,
        }
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A relationship type. Each joins exactly one kind of node to one other, so
/// a Neo4j relationship file has one start and one end id space.
///
/// The declaration order is the order edges appear in every export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// Article → Bulletin it is printed in.
    InBulletin,
    /// Article → Region where the event takes place: its province and the
    /// most specific place inside it.
    TakesPlaceIn,
    /// Article → Region it names (weight = occurrences).
    Mentions,
    /// Agency → Article it is named in (weight = occurrences).
    ActsIn,
    /// Agency → Region whose body it is.
    BelongsTo,
    /// Agency → Program it issues (named in the same sentence).
    Issues,
    /// Article → Program it announces or names (weight = occurrences).
    Announces,
    /// Program → ProgramTemplate it instantiates.
    InstanceOf,
    /// Region → Region it lies within.
    Within,
    /// Article → Article that copies its policy (added by diffusion).
    Copies,
}

impl EdgeKind {
    pub const ALL: [EdgeKind; 10] = [
        EdgeKind::InBulletin,
        EdgeKind::TakesPlaceIn,
        EdgeKind::Mentions,
        EdgeKind::ActsIn,
        EdgeKind::BelongsTo,
        EdgeKind::Issues,
        EdgeKind::Announces,
        EdgeKind::InstanceOf,
        EdgeKind::Within,
        EdgeKind::Copies,
    ];

    /// The relationship type as written in every export.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::InBulletin => "IN_BULLETIN",
            EdgeKind::TakesPlaceIn => "TAKES_PLACE_IN",
            EdgeKind::Mentions => "MENTIONS",
            EdgeKind::ActsIn => "ACTS_IN",
            EdgeKind::BelongsTo => "BELONGS_TO",
            EdgeKind::Issues => "ISSUES",
            EdgeKind::Announces => "ANNOUNCES",
            EdgeKind::InstanceOf => "INSTANCE_OF",
            EdgeKind::Within => "WITHIN",
            EdgeKind::Copies => "COPIES",
        }
    }

    /// One line for the README: what the edge means and which rule makes it.
    pub fn doc(self) -> &'static str {
        match self {
            EdgeKind::InBulletin => "the article is printed in the bulletin",
            EdgeKind::TakesPlaceIn => {
                "where the event happens: the article's province (`scope` = province) and the place inside it \
                 the article names most, if in the title or named twice (`scope` = locality)"
            }
            EdgeKind::Mentions => "the article names the region (weight = occurrences, title included)",
            EdgeKind::ActsIn => "the agency is named in the article (weight = occurrences)",
            EdgeKind::BelongsTo => "the agency is a body of the region",
            EdgeKind::Issues => {
                "the agency issues the program: named in the same sentence, or the article's only agency \
                 (weight = supporting articles)"
            }
            EdgeKind::Announces => "the article announces or names the program (weight = occurrences)",
            EdgeKind::InstanceOf => "the program is an instance of the template",
            EdgeKind::Within => "the region lies within the other, up to the province",
            EdgeKind::Copies => {
                "the later article copies the earlier one's policy (added by the diffusion stage)"
            }
        }
    }

    pub fn source(self) -> NodeKind {
        match self {
            EdgeKind::InBulletin
            | EdgeKind::TakesPlaceIn
            | EdgeKind::Mentions
            | EdgeKind::Announces
            | EdgeKind::Copies => NodeKind::Article,
            EdgeKind::ActsIn | EdgeKind::BelongsTo | EdgeKind::Issues => NodeKind::Agency,
            EdgeKind::InstanceOf => NodeKind::Program,
            EdgeKind::Within => NodeKind::Region,
        }
    }

    pub fn target(self) -> NodeKind {
        match self {
            EdgeKind::InBulletin => NodeKind::Bulletin,
            EdgeKind::TakesPlaceIn
            | EdgeKind::Mentions
            | EdgeKind::BelongsTo
            | EdgeKind::Within => NodeKind::Region,
            EdgeKind::ActsIn | EdgeKind::Copies => NodeKind::Article,
            EdgeKind::Issues | EdgeKind::Announces => NodeKind::Program,
            EdgeKind::InstanceOf => NodeKind::ProgramTemplate,
        }
    }

    /// The properties of this kind of edge, besides `label`, `kind` and
    /// `weight` which every edge has.
    pub fn properties(self) -> &'static [PropDef] {
        match self {
            EdgeKind::InBulletin => IN_BULLETIN_PROPS,
            EdgeKind::TakesPlaceIn => TAKES_PLACE_IN_PROPS,
            EdgeKind::Mentions => MENTIONS_PROPS,
            EdgeKind::ActsIn | EdgeKind::Announces => WITH_AMOUNT_PROPS,
            EdgeKind::BelongsTo | EdgeKind::InstanceOf | EdgeKind::Within => &[],
            EdgeKind::Issues => ISSUES_PROPS,
            EdgeKind::Copies => COPIES_PROPS,
        }
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a property: what every export declares it as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PropType {
    Str,
    /// Fits in 32 bits (Neo4j `int`, GraphML `int`).
    Int,
    /// 64 bits (Neo4j `long`, GraphML `long`): amounts in yuan.
    Long,
    Double,
    Bool,
    /// ISO 8601 calendar date.
    Date,
    /// A list of strings: a Neo4j `string[]`; joined with `|` where the
    /// format has no lists (GraphML, GEXF, the Gephi CSV).
    StrList,
}

/// One declared property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PropDef {
    pub name: &'static str,
    pub ty: PropType,
    /// One line for the README.
    pub doc: &'static str,
}

const fn p(name: &'static str, ty: PropType, doc: &'static str) -> PropDef {
    PropDef { name, ty, doc }
}

/// A property value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Double(f64),
    Bool(bool),
    Date(NaiveDate),
    List(Vec<String>),
}

/// A property value borrowed from the graph: how exports read values
/// without building a string for each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PropRef<'a> {
    Str(&'a str),
    Int(i64),
    Double(f64),
    Bool(bool),
    Date(NaiveDate),
    List(ListRef<'a>),
}

/// A borrowed list of strings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ListRef<'a>(&'a [String]);

impl<'a> ListRef<'a> {
    pub fn iter(self) -> impl Iterator<Item = &'a str> {
        self.0.iter().map(String::as_str)
    }

    pub fn len(self) -> usize {
        self.0.len()
    }

    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> From<&'a [String]> for ListRef<'a> {
    fn from(items: &'a [String]) -> ListRef<'a> {
        ListRef(items)
    }
}

impl Value {
    /// The value borrowed, for exports.
    pub fn as_ref(&self) -> PropRef<'_> {
        match self {
            Value::Str(s) => PropRef::Str(s),
            Value::Int(i) => PropRef::Int(*i),
            Value::Double(x) => PropRef::Double(*x),
            Value::Bool(b) => PropRef::Bool(*b),
            Value::Date(d) => PropRef::Date(*d),
            Value::List(l) => PropRef::List(ListRef(l)),
        }
    }

    /// The value as one string, lists joined with `sep`: how formats without
    /// typed lists carry it. Doubles use Rust's shortest round-trip form, so
    /// the text is the same on every run.
    pub fn render(&self, sep: &str) -> String {
        match self {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Double(x) => x.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::List(items) => items.join(sep),
        }
    }

    /// Whether the value fits the declared type.
    pub fn fits(&self, ty: PropType) -> bool {
        match (self, ty) {
            (Value::Str(_), PropType::Str) => true,
            (Value::Int(i), PropType::Int) => i32::try_from(*i).is_ok(),
            (Value::Int(_), PropType::Long) => true,
            (Value::Double(x), PropType::Double) => x.is_finite(),
            (Value::Bool(_), PropType::Bool) => true,
            (Value::Date(_), PropType::Date) => true,
            (Value::List(_), PropType::StrList) => true,
            _ => false,
        }
    }
}

use PropType::{Bool, Date, Double, Int, Long, Str, StrList};

const BULLETIN_PROPS: &[PropDef] = &[
    p("title", Str, "masthead, e.g. 长三角每周要讯"),
    p("issue", Str, "issue number as printed"),
    p("publisher", Str, "issuing office"),
    p("date", Date, "publication date"),
    p("source", Str, "source file as given to the tool"),
];
const ARTICLE_PROPS: &[PropDef] = &[
    p("title", Str, "title as printed"),
    p("section", Str, "section heading the article stands under"),
    p(
        "date",
        Date,
        "event date, else the publication date (the timeline date)",
    ),
    p("event_date", Date, "event date stated by the article"),
    p(
        "published",
        Date,
        "publication date: bulletin header, page info line or signature",
    ),
    p(
        "date_source",
        Str,
        "where the timeline date comes from: event, publication, signature or bulletin",
    ),
    p(
        "doc_number",
        Str,
        "document number, e.g. 粤府办〔2023〕12号",
    ),
    p(
        "doc_source",
        Str,
        "the source (来源) line of a page or document",
    ),
    p("issuer", Str, "issuer printed in the signature block"),
    p(
        "province",
        Str,
        "province-level unit where the event takes place",
    ),
    p("source", Str, "source file as given to the tool"),
    p("amounts", StrList, "every monetary amount, as written"),
    p("amount_yuan", Long, "largest amount in CNY, in yuan"),
    p(
        "unresolved_regions",
        StrList,
        "ambiguous place names left unresolved",
    ),
];
const REGION_PROPS: &[PropDef] = &[
    p("name", Str, "canonical name"),
    p(
        "category",
        Str,
        "province, city, county, town, zone, macro or country",
    ),
];
const AGENCY_PROPS: &[PropDef] = &[
    p("name", Str, "canonical name"),
    p("category", Str, "national, province, city, county or zone"),
];
const PROGRAM_PROPS: &[PropDef] = &[
    p("name", Str, "canonical name"),
    p("category", Str, "document or initiative"),
    p("template", Str, "template key shared across jurisdictions"),
];
const TEMPLATE_PROPS: &[PropDef] = &[p("name", Str, "the template key")];

const EDGE_DATE: PropDef = p(
    "date",
    Date,
    "earliest timeline date of the articles that state the edge",
);
const IN_BULLETIN_PROPS: &[PropDef] = &[
    EDGE_DATE,
    p("position", Int, "1-based position in the bulletin"),
];
const TAKES_PLACE_IN_PROPS: &[PropDef] = &[
    EDGE_DATE,
    p(
        "scope",
        Str,
        "province, or locality for the place inside it",
    ),
];
const MENTIONS_PROPS: &[PropDef] = &[
    EDGE_DATE,
    p("mentions", StrList, "surface forms as written"),
    p("in_title", Bool, "named in the title"),
];
const WITH_AMOUNT_PROPS: &[PropDef] = &[
    EDGE_DATE,
    p("mentions", StrList, "surface forms as written"),
    p(
        "amounts",
        StrList,
        "amounts stated in the same sentence, as written",
    ),
    p(
        "amount_yuan",
        Long,
        "largest of those amounts in CNY, in yuan",
    ),
];
const ISSUES_PROPS: &[PropDef] = &[
    EDGE_DATE,
    p(
        "basis",
        Str,
        "sentence (named together) or article (the article's only agency)",
    ),
    p(
        "articles",
        StrList,
        "ids of the articles that support the edge",
    ),
];
const COPIES_PROPS: &[PropDef] = &[
    p(
        "date",
        Date,
        "timeline date of the later article: when the copy appeared",
    ),
    p("score", Double, "combined evidence score"),
    p("confidence", Str, "high, medium or low"),
    p(
        "lag_days",
        Int,
        "days from the earlier article to the later one",
    ),
    p("signals", StrList, "signals that found the pair"),
    p("evidence", Str, "shared term or passage"),
];

/// The README's schema section: every node and edge type with its
/// properties, generated from these tables so the two cannot drift apart.
pub fn markdown() -> String {
    let mut s = String::new();
    s.push_str("Node types (every node also has `id` = `prefix:key`, `label`, `kind` = its type, `key`):\n\n");
    s.push_str("| type | what | id | key |\n| --- | --- | --- | --- |\n");
    for k in NodeKind::ALL {
        s.push_str(&format!(
            "| `{}` | {} | `{}:…` | {} |\n",
            k.label(),
            k.doc(),
            k.prefix(),
            k.key_doc()
        ));
    }
    s.push_str("\nNode properties (absent where unknown):\n\n| type | property | value | meaning |\n| --- | --- | --- | --- |\n");
    for k in NodeKind::ALL {
        for d in k.properties() {
            s.push_str(&format!(
                "| `{}` | `{}` | {} | {} |\n",
                k.label(),
                d.name,
                type_doc(d.ty),
                d.doc
            ));
        }
    }
    s.push_str("\nEdge types (all directed; every edge also has `label` = `kind` = its type and an integer `weight`, 1 unless stated):\n\n");
    s.push_str("| type | from → to | meaning |\n| --- | --- | --- |\n");
    for k in EdgeKind::ALL {
        s.push_str(&format!(
            "| `{}` | {} → {} | {} |\n",
            k.name(),
            k.source().label(),
            k.target().label(),
            k.doc()
        ));
    }
    s.push_str(
        "\nEdge properties:\n\n| type | property | value | meaning |\n| --- | --- | --- | --- |\n",
    );
    for k in EdgeKind::ALL {
        for d in k.properties() {
            s.push_str(&format!(
                "| `{}` | `{}` | {} | {} |\n",
                k.name(),
                d.name,
                type_doc(d.ty),
                d.doc
            ));
        }
    }
    s
}

fn type_doc(ty: PropType) -> &'static str {
    match ty {
        PropType::Str => "string",
        PropType::Int => "integer",
        PropType::Long => "integer (64-bit)",
        PropType::Double => "number",
        PropType::Bool => "boolean",
        PropType::Date => "date (`YYYY-MM-DD`)",
        PropType::StrList => "list of strings",
    }
}

/// Every property declared on any node kind (`for_nodes`) or edge kind, in
/// first-declared order, once each. Formats with one attribute table per
/// element class (GraphML keys, GEXF attributes, CSV columns) declare these.
pub fn all_properties(for_nodes: bool) -> Vec<PropDef> {
    let lists: Vec<&'static [PropDef]> = if for_nodes {
        NodeKind::ALL.iter().map(|k| k.properties()).collect()
    } else {
        EdgeKind::ALL.iter().map(|k| k.properties()).collect()
    };
    let mut out: Vec<PropDef> = Vec::new();
    for def in lists.into_iter().flatten() {
        if !out.iter().any(|d| d.name == def.name) {
            out.push(*def);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A property name shared by several kinds must have one type, or the
    /// union tables of GraphML and the CSV would declare a wrong type.
    #[test]
    fn shared_property_names_have_one_type() {
        for for_nodes in [true, false] {
            let union = all_properties(for_nodes);
            let lists: Vec<&[PropDef]> = if for_nodes {
                NodeKind::ALL.iter().map(|k| k.properties()).collect()
            } else {
                EdgeKind::ALL.iter().map(|k| k.properties()).collect()
            };
            for def in lists.into_iter().flatten() {
                let declared = union.iter().find(|d| d.name == def.name).unwrap();
                assert_eq!(declared.ty, def.ty, "property {} has two types", def.name);
            }
        }
    }

    /// Names every element already has, and names Gephi or networkx treat
    /// specially, must not be declared as ordinary properties.
    #[test]
    fn no_reserved_property_names() {
        let reserved = [
            "id", "label", "kind", "key", "weight", "start", "end", "type",
        ];
        for for_nodes in [true, false] {
            for def in all_properties(for_nodes) {
                assert!(!reserved.contains(&def.name), "reserved name {}", def.name);
            }
        }
    }

    #[test]
    fn names_are_unique() {
        let mut labels: Vec<_> = NodeKind::ALL.iter().map(|k| k.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), NodeKind::ALL.len());
        let mut names: Vec<_> = EdgeKind::ALL.iter().map(|k| k.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), EdgeKind::ALL.len());
    }

    /// README.md, once it carries the schema between the markers, must carry
    /// exactly the schema of the code.
    #[test]
    fn readme_schema_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md is part of the repository");
        let (begin, end) = ("<!-- schema:begin -->\n", "<!-- schema:end -->");
        let start = readme
            .find(begin)
            .expect("README.md documents the schema between schema markers");
        let stop = readme[start..].find(end).expect("schema:end marker") + start;
        assert_eq!(
            &readme[start + begin.len()..stop],
            markdown(),
            "README schema is stale: paste schema::markdown()"
        );
    }

    #[test]
    fn markdown_lists_every_type_and_property() {
        let md = markdown();
        for k in NodeKind::ALL {
            assert!(md.contains(&format!("| `{}` |", k.label())));
        }
        for k in EdgeKind::ALL {
            assert!(md.contains(&format!("| `{}` |", k.name())));
            for d in k.properties() {
                assert!(md.contains(&format!("| `{}` | `{}` |", k.name(), d.name)));
            }
        }
    }

    #[test]
    fn value_fits_and_renders() {
        assert!(Value::Int(5).fits(PropType::Int));
        assert!(!Value::Int(5_000_000_000).fits(PropType::Int));
        assert!(Value::Int(5_000_000_000).fits(PropType::Long));
        assert!(!Value::Double(f64::NAN).fits(PropType::Double));
        assert_eq!(Value::List(vec!["a".into(), "b".into()]).render("|"), "a|b");
        let d = NaiveDate::from_ymd_opt(2020, 10, 3).unwrap();
        assert_eq!(Value::Date(d).render("|"), "2020-10-03");
        assert_eq!(Value::Double(0.5).render("|"), "0.5");
    }
}

#[cfg(test)]
mod print_schema {
    /// `cargo test --lib print_schema -- --ignored --nocapture` prints the
    /// README's schema block.
    #[test]
    #[ignore]
    fn print_schema() {
        print!("{}", super::markdown());
    }
}
