//! What several statements of one node or edge make together.
//!
//! The builder states what each article says about a node or an edge (see
//! [`super::codec`]); statements of the same node or edge meet after the
//! sort, in input order, and are folded here, one rule per kind:
//!
//! - An article (stated again only when two records share an id) takes the
//!   later record's properties and time, as re-adding it always did.
//! - Other nodes keep what was first said of them, and take from later
//!   statements only properties still unknown (a program's template, say).
//! - `ISSUES` gathers the supporting articles, its weight is their number,
//!   its basis `sentence` if any article names both in one sentence.
//! - `COPIES` keeps the finding with the higher score (the earlier on a tie).
//! - Structural edges (`BELONGS_TO`, `INSTANCE_OF`, `WITHIN`) are one fact.
//! - The edges of one article (`MENTIONS`, `ACTS_IN`, `ANNOUNCES`, …) add
//!   up their weights; their lists gain new items in first-seen order, the
//!   date is the earliest, `in_title` is true if any says so, `amount_yuan`
//!   the largest.

use super::schema::{EdgeKind, NodeKind, Value};
use super::{Edge, Node};

/// Folds a later statement of the same node into `acc`.
pub(crate) fn node(acc: &mut Node, later: Node) {
    if acc.kind == NodeKind::Article {
        acc.time = later.time;
        for (name, value) in later.props.iter() {
            acc.props.insert(name, value.clone());
        }
    } else {
        for (name, value) in later.props.iter() {
            if !acc.props.contains_key(name) {
                acc.props.insert(name, value.clone());
            }
        }
    }
}

/// Folds a later statement of the same edge into `acc`.
pub(crate) fn edge(acc: &mut Edge, later: Edge) {
    match acc.kind {
        EdgeKind::Copies => {
            let score = |e: &Edge| match e.prop("score") {
                Some(Value::Double(x)) => *x,
                _ => f64::NEG_INFINITY,
            };
            if score(&later) > score(acc) {
                *acc = later;
            }
        }
        EdgeKind::BelongsTo | EdgeKind::InstanceOf | EdgeKind::Within => {}
        EdgeKind::Issues => {
            let mut articles = take_list(acc, "articles");
            if let Some(Value::List(more)) = later.prop("articles") {
                for id in more {
                    if let Err(at) = articles.binary_search(id) {
                        articles.insert(at, id.clone());
                    }
                }
            }
            acc.weight = articles.len() as u32;
            acc.props.insert("articles", Value::List(articles));
            let sentence =
                |e: &Edge| matches!(e.prop("basis"), Some(Value::Str(b)) if b == "sentence");
            if !sentence(acc) {
                if let Some(b) = later.prop("basis") {
                    acc.props.insert("basis", b.clone());
                }
            }
            widen(acc, later.time);
            if let Some((first, _)) = acc.time {
                acc.props.insert("date", Value::Date(first));
            }
        }
        EdgeKind::InBulletin | EdgeKind::TakesPlaceIn => {
            widen(acc, later.time);
            let date = min_date(acc, &later);
            for (name, value) in later.props.iter() {
                acc.props.insert(name, value.clone());
            }
            put_date(acc, date);
        }
        EdgeKind::Mentions | EdgeKind::ActsIn | EdgeKind::Announces => {
            acc.weight = acc.weight.saturating_add(later.weight);
            widen(acc, later.time);
            let date = min_date(acc, &later);
            for (name, value) in later.props.iter() {
                match (name, value) {
                    (_, Value::List(items)) => {
                        let mut list = take_list(acc, name);
                        for item in items {
                            if !list.contains(item) {
                                list.push(item.clone());
                            }
                        }
                        acc.props.insert(name, Value::List(list));
                    }
                    ("in_title", Value::Bool(b)) => {
                        let was = matches!(acc.prop("in_title"), Some(Value::Bool(true)));
                        acc.props.insert("in_title", Value::Bool(was || *b));
                    }
                    ("amount_yuan", Value::Int(n)) => {
                        let max = match acc.prop("amount_yuan") {
                            Some(Value::Int(old)) => (*old).max(*n),
                            _ => *n,
                        };
                        acc.props.insert("amount_yuan", Value::Int(max));
                    }
                    _ => {
                        acc.props.insert(name, value.clone());
                    }
                }
            }
            put_date(acc, date);
        }
    }
}

fn take_list(e: &mut Edge, name: &str) -> Vec<String> {
    match e.props.remove(name) {
        Some(Value::List(l)) => l,
        _ => Vec::new(),
    }
}

fn widen(e: &mut Edge, other: Option<(chrono::NaiveDate, chrono::NaiveDate)>) {
    if let Some((a, b)) = other {
        e.time = Some(match e.time {
            None => (a, b),
            Some((x, y)) => (x.min(a), y.max(b)),
        });
    }
}

fn min_date(a: &Edge, b: &Edge) -> Option<chrono::NaiveDate> {
    let date = |e: &Edge| match e.prop("date") {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    match (date(a), date(b)) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn put_date(e: &mut Edge, date: Option<chrono::NaiveDate>) {
    if let Some(d) = date {
        e.props.insert("date", Value::Date(d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Props;
    use chrono::NaiveDate;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 3, day).unwrap()
    }

    fn edge(kind: EdgeKind, weight: u32, props: &[(&'static str, Value)], day: u32) -> Edge {
        let mut p = Props::new();
        for (n, v) in props {
            p.insert(n, v.clone());
        }
        Edge {
            kind,
            weight,
            props: p,
            time: Some((d(day), d(day))),
        }
    }

    fn list(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn issues_gather_articles_and_keep_the_stronger_basis() {
        let mut acc = edge(
            EdgeKind::Issues,
            1,
            &[
                ("articles", list(&["b:2"])),
                ("basis", Value::Str("sentence".into())),
                ("date", Value::Date(d(9))),
            ],
            9,
        );
        let later = edge(
            EdgeKind::Issues,
            1,
            &[
                ("articles", list(&["a:1"])),
                ("basis", Value::Str("article".into())),
                ("date", Value::Date(d(3))),
            ],
            3,
        );
        super::edge(&mut acc, later);
        assert_eq!(acc.prop("articles"), Some(&list(&["a:1", "b:2"])));
        assert_eq!(acc.weight, 2);
        assert_eq!(acc.prop("basis"), Some(&Value::Str("sentence".into())));
        assert_eq!(acc.prop("date"), Some(&Value::Date(d(3))));
        assert_eq!(acc.time, Some((d(3), d(9))));
    }

    #[test]
    fn copies_keep_the_higher_score_and_the_first_on_a_tie() {
        let mut acc = edge(
            EdgeKind::Copies,
            1,
            &[
                ("score", Value::Double(0.5)),
                ("evidence", Value::Str("x".into())),
            ],
            1,
        );
        super::edge(
            &mut acc,
            edge(
                EdgeKind::Copies,
                1,
                &[
                    ("score", Value::Double(0.5)),
                    ("evidence", Value::Str("y".into())),
                ],
                1,
            ),
        );
        assert_eq!(acc.prop("evidence"), Some(&Value::Str("x".into())));
        super::edge(
            &mut acc,
            edge(
                EdgeKind::Copies,
                1,
                &[
                    ("score", Value::Double(0.9)),
                    ("evidence", Value::Str("z".into())),
                ],
                1,
            ),
        );
        assert_eq!(acc.prop("evidence"), Some(&Value::Str("z".into())));
    }

    #[test]
    fn article_edges_add_up() {
        let mut acc = edge(
            EdgeKind::Announces,
            2,
            &[
                ("mentions", list(&["创新券"])),
                ("amount_yuan", Value::Int(5)),
                ("date", Value::Date(d(5))),
            ],
            5,
        );
        let later = edge(
            EdgeKind::Announces,
            1,
            &[
                ("mentions", list(&["创新券", "券"])),
                ("amount_yuan", Value::Int(3)),
                ("date", Value::Date(d(2))),
            ],
            2,
        );
        super::edge(&mut acc, later);
        assert_eq!(acc.weight, 3);
        assert_eq!(acc.prop("mentions"), Some(&list(&["创新券", "券"])));
        assert_eq!(acc.prop("amount_yuan"), Some(&Value::Int(5)));
        assert_eq!(acc.prop("date"), Some(&Value::Date(d(2))));
    }

    #[test]
    fn entities_keep_what_was_said_first() {
        let mut props = Props::new();
        props.insert("name", Value::Str("甲".into()));
        let mut acc = Node {
            kind: NodeKind::Program,
            key: "k".into(),
            id: "program:k".into(),
            label: "甲".into(),
            props,
            time: None,
        };
        let mut later = acc.clone();
        later.props.insert("name", Value::Str("乙".into()));
        later.props.insert("template", Value::Str("券".into()));
        node(&mut acc, later);
        assert_eq!(acc.prop("name"), Some(&Value::Str("甲".into())));
        assert_eq!(acc.prop("template"), Some(&Value::Str("券".into())));
    }
}
