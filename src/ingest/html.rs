//! Saved web pages (`.html`, `.htm`): the headline, the info line under it,
//! and the main text, without the page around it.
//!
//! Government sites are built on a handful of content management systems
//! (TRS, Hanweb, UCAP…) that mark the article's container the same way
//! everywhere (`TRS_Editor`, `#zoom`, `UCAP-CONTENT`, `pages_content`…);
//! where none is found, the element that directly holds the most non-link
//! text is taken. Navigation, breadcrumbs, share bars, related links,
//! print/close buttons and footers are dropped by tag, by class or id, and
//! by the words they start with. The page is parsed by html5ever (the HTML5
//! algorithm browsers use), and every walk over its tree is iterative, so
//! depth never costs stack. html5ever itself takes time quadratic in the
//! depth of nesting, so a page nested past [`MAX_NESTING`] (100,000 deep
//! `<div>`s, say) is refused by name after a linear count on its bytes.

use std::collections::{HashMap, HashSet};

use ego_tree::{NodeId, NodeRef};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};
use scraper::{Html, Node};

use super::decode;
use super::format::FormatError;
use super::Extracted;

const FORMAT: &str = "HTML";

/// Deepest nesting of elements accepted. Real pages nest some tens of
/// elements deep; the HTML5 tree builder looks down the stack of open
/// elements at each new block, so a page nested 100,000 deep would take
/// hours there.
pub const MAX_NESTING: usize = 5_000;

/// Read a saved page.
pub fn read(bytes: &[u8]) -> Result<Extracted, FormatError> {
    if nesting(bytes) > MAX_NESTING {
        return Err(FormatError::damaged(
            FORMAT,
            format!("elements nested more than {MAX_NESTING} deep (a broken or hostile page)"),
        ));
    }
    let (text, encoding, warnings) = decode_page(bytes)?;
    let page = Html::parse_document(&text);
    drop(text);
    let stats = Stats::of(&page);
    let title = headline(&page, &stats);
    let container = content(&page, &stats);
    let info = info_line(&page, &stats, container);
    let mut skip: HashSet<NodeId> = HashSet::new();
    if let Some((id, _)) = &info {
        skip.insert(*id);
    }
    if let Some(id) = title.element {
        skip.insert(id);
    }
    let root = container.unwrap_or_else(|| page.tree.root().id());
    let Some(root) = page.tree.get(root) else {
        return Err(FormatError::Empty(FORMAT));
    };
    let mut text = text_of(root, &stats, &skip);
    let headline = title.text;
    // The headline often opens the content too.
    if let Some(h) = &headline {
        text = drop_first_line_if(text, |line| super::key_eq(line, &super::key(h)));
    }
    let mut meta_lines: Vec<String> = info.map(|(_, line)| line).into_iter().collect();
    if meta_lines.is_empty() {
        meta_lines.extend(meta_line(&page));
    }
    if text.trim().is_empty() && headline.is_none() {
        return Err(FormatError::Empty(FORMAT));
    }
    Ok(Extracted {
        text,
        title: headline,
        meta_lines,
        encoding,
        warnings,
    })
}

/// Decode by byte-order mark, then by the page's declared charset, then by
/// the detection `.txt` files go through. A page that declares UTF-8 but is
/// GBK (a common mistake of old sites) fails strict decoding and falls
/// through to detection.
fn decode_page(bytes: &[u8]) -> Result<(String, &'static str, Vec<String>), FormatError> {
    if Encoding::for_bom(bytes).is_none() {
        if let Some(declared) = declared_charset(bytes) {
            // GB2312 and GBK pages hold GB18030 characters more often than not.
            let declared = if declared == GBK { GB18030 } else { declared };
            if let Some(text) = declared.decode_without_bom_handling_and_without_replacement(bytes)
            {
                return Ok((text.into_owned(), label(declared), Vec::new()));
            }
        }
    }
    let decoded = decode::decode(bytes).map_err(|e| FormatError::damaged(FORMAT, e))?;
    Ok((
        decoded.text,
        decoded.encoding,
        decoded.warning.into_iter().collect(),
    ))
}

/// `HTML (GBK)`, `HTML (UTF-8)`: how the page was read.
fn label(encoding: &'static Encoding) -> &'static str {
    if encoding == UTF_8 {
        "HTML (UTF-8)"
    } else if encoding == GB18030 {
        "HTML (GB18030)"
    } else {
        "HTML"
    }
}

/// The charset a page declares in its first 4 KB (`<meta charset=gbk>` or
/// `content="text/html; charset=gb2312"`), read as ASCII bytes.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&head[from..], b"charset") {
        let mut i = from + at + b"charset".len();
        from = i;
        while i < head.len() && matches!(head[i], b' ' | b'=' | b'"' | b'\'') {
            i += 1;
        }
        let end = head[i..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
            .map_or(head.len(), |n| i + n);
        if let Some(encoding) = Encoding::for_label(&head[i..end]) {
            return Some(encoding);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// How deep the page's elements nest at most, counted on the bytes: start
/// tags minus end tags, leaving out void elements (`<br>`), self-closed
/// ones (`<x/>`), tags the parser closes by itself (`<p>`, `<li>`, `<td>`…),
/// comments, and the contents of scripts and styles. An estimate, linear
/// in the page's size, to keep hostile pages from the tree builder.
fn nesting(bytes: &[u8]) -> usize {
    let mut depth = 0usize;
    let mut max = 0;
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'<', &bytes[i..]) {
        i += at + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(&bytes[i..], b"-->").map_or(bytes.len(), |n| i + n + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let len = bytes[start..]
            .iter()
            .take(16)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = bytes[start..start + len].to_ascii_lowercase();
        let end = memchr::memchr(b'>', &bytes[start..]).map_or(bytes.len(), |n| start + n);
        let self_closed = end > 0 && bytes.get(end - 1) == Some(&b'/');
        i = end.min(bytes.len());
        if matches!(
            name.as_slice(),
            b"br"
                | b"img"
                | b"meta"
                | b"link"
                | b"input"
                | b"hr"
                | b"area"
                | b"base"
                | b"col"
                | b"embed"
                | b"param"
                | b"source"
                | b"track"
                | b"wbr"
                | b"p"
                | b"li"
                | b"td"
                | b"th"
                | b"tr"
                | b"option"
                | b"dt"
                | b"dd"
                | b"thead"
                | b"tbody"
                | b"tfoot"
                | b"colgroup"
                | b"rb"
                | b"rt"
                | b"rp"
                | b"optgroup"
        ) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closed {
            if matches!(name.as_slice(), b"script" | b"style") {
                let close: &[u8] = if name == b"script" {
                    b"</script"
                } else {
                    b"</style"
                };
                i = bytes[i..]
                    .windows(close.len())
                    .position(|w| w.eq_ignore_ascii_case(close))
                    .map_or(bytes.len(), |n| i + n);
                continue;
            }
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// What is known of each node's text, gathered in one pass from the leaves
/// up: its length, how much of it is link text, and how it starts.
struct Stats {
    nodes: HashMap<NodeId, Stat>,
    /// Nodes inside a dropped element (navigation, footer…), or dropped.
    dropped: HashSet<NodeId>,
}

#[derive(Default, Clone)]
struct Stat {
    chars: usize,
    link_chars: usize,
    /// The first characters of the text, whitespace removed.
    head: String,
}

/// Characters of a node's text kept in [`Stat::head`].
const HEAD: usize = 12;

impl Stats {
    fn of(page: &Html) -> Stats {
        // Post-order without recursion: each node is pushed, then popped
        // once its children are done.
        let mut nodes: HashMap<NodeId, Stat> = HashMap::new();
        let mut stack: Vec<(NodeRef<Node>, bool)> = vec![(page.tree.root(), false)];
        while let Some((node, done)) = stack.pop() {
            if !done {
                stack.push((node, true));
                for child in node.children() {
                    stack.push((child, false));
                }
                continue;
            }
            let mut stat = Stat::default();
            match node.value() {
                Node::Text(t) => {
                    stat.chars = t.chars().filter(|c| !c.is_whitespace()).count();
                    stat.head = t
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .take(HEAD)
                        .collect();
                }
                Node::Element(e) if is_invisible(e.name()) => {}
                _ => {
                    for child in node.children() {
                        if let Some(c) = nodes.get(&child.id()) {
                            stat.chars += c.chars;
                            stat.link_chars += c.link_chars;
                            let room = HEAD - stat.head.chars().count();
                            stat.head.extend(c.head.chars().take(room));
                        }
                    }
                    if let Node::Element(e) = node.value() {
                        if e.name() == "a" {
                            stat.link_chars = stat.chars;
                        }
                    }
                }
            }
            nodes.insert(node.id(), stat);
        }
        let mut stats = Stats {
            nodes,
            dropped: HashSet::new(),
        };
        // Pre-order: a dropped element drops everything under it.
        let mut stack = vec![(page.tree.root(), false)];
        while let Some((node, dropped)) = stack.pop() {
            let dropped = dropped || stats.is_boilerplate(node);
            if dropped {
                stats.dropped.insert(node.id());
            }
            for child in node.children() {
                stack.push((child, dropped));
            }
        }
        stats
    }

    fn get(&self, node: NodeRef<Node>) -> Stat {
        self.nodes.get(&node.id()).cloned().unwrap_or_default()
    }

    /// Page furniture, not article text.
    fn is_boilerplate(&self, node: NodeRef<Node>) -> bool {
        let Node::Element(e) = node.value() else {
            return false;
        };
        if is_invisible(e.name())
            || matches!(
                e.name(),
                "nav"
                    | "header"
                    | "footer"
                    | "aside"
                    | "form"
                    | "button"
                    | "select"
                    | "input"
                    | "textarea"
                    | "iframe"
            )
        {
            return true;
        }
        let marked = e.id().into_iter().chain(e.classes()).any(|name| {
            let name = name.to_ascii_lowercase();
            BOILERPLATE_NAMES.iter().any(|b| name.contains(b))
        });
        if marked {
            return true;
        }
        let stat = self.get(node);
        BOILERPLATE_HEADS.iter().any(|h| stat.head.starts_with(h))
            && (stat.chars <= 300 || stat.link_chars * 2 >= stat.chars)
    }
}

/// Elements whose text is never shown.
fn is_invisible(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "noscript" | "template" | "head" | "title" | "svg" | "object"
    )
}

/// Parts of class names and ids that mark page furniture.
const BOILERPLATE_NAMES: &[&str] = &[
    "share",
    "bdshare",
    "print",
    "close",
    "breadcrumb",
    "crumb",
    "location",
    "position",
    "dqwz",
    "related",
    "xgwz",
    "xglj",
    "xgxx",
    "footer",
    "nav",
    "menu",
    "toolbar",
    "fontsize",
    "font-size",
    "zihao",
    "qrcode",
    "erweima",
    "copyright",
    "topbar",
    "top-bar",
    "skip",
];

/// How page furniture starts (whitespace removed).
const BOILERPLATE_HEADS: &[&str] = &[
    "当前位置",
    "您的位置",
    "您现在的位置",
    "现在位置",
    "所在位置",
    "相关链接",
    "相关阅读",
    "相关文件",
    "相关新闻",
    "相关稿件",
    "相关信息",
    "分享到",
    "打印本页",
    "【打印",
    "【关闭",
    "关闭窗口",
    "【字体",
    "字号",
    "网站标识码",
    "主办：",
    "主办:",
    "主办单位",
    "版权所有",
    "Copyright",
    "copyright",
    "©",
];

/// The headline, and the element it was read from if it is on the page.
struct Headline {
    text: Option<String>,
    element: Option<NodeId>,
}

/// The headline: `ArticleTitle`, then `og:title`, then the first `<h1>`
/// (outside navigation), then `<title>` without the site name after it.
fn headline(page: &Html, stats: &Stats) -> Headline {
    let meta = |names: &[&str]| -> Option<String> {
        page.tree.root().descendants().find_map(|n| {
            let Node::Element(e) = n.value() else {
                return None;
            };
            if e.name() != "meta" {
                return None;
            }
            let key = e.attr("name").or_else(|| e.attr("property"))?;
            names
                .iter()
                .any(|name| key.eq_ignore_ascii_case(name))
                .then(|| e.attr("content").map(clean_line))
                .flatten()
                .filter(|s| !s.is_empty())
        })
    };
    if let Some(text) = meta(&["ArticleTitle"]).or_else(|| meta(&["og:title"])) {
        // The same words on the page are the headline element.
        let element = page.tree.root().descendants().find(|n| {
            matches!(n.value(), Node::Element(e) if matches!(e.name(), "h1" | "h2" | "h3" | "div" | "p" | "td"))
                && stats.get(*n).chars <= text.chars().count() + 4
                && super::key_eq(&collect_text(*n, 400), &super::key(&text))
        });
        return Headline {
            text: Some(text),
            element: element.map(|n| n.id()),
        };
    }
    for tag in ["h1", "h2"] {
        let found = page.tree.root().descendants().find(|n| {
            matches!(n.value(), Node::Element(e) if e.name() == tag)
                && !stats.dropped.contains(&n.id())
                && stats.get(*n).chars >= 4
                && stats.get(*n).chars <= 200
        });
        if let Some(n) = found {
            return Headline {
                text: Some(clean_line(&collect_text(n, 1000))),
                element: Some(n.id()),
            };
        }
    }
    // `<title>` is invisible text: its own text nodes, not collect_text's.
    let title = page
        .tree
        .root()
        .descendants()
        .find_map(|n| match n.value() {
            Node::Element(e) if e.name() == "title" => {
                let own: String = n
                    .children()
                    .filter_map(|c| match c.value() {
                        Node::Text(t) => Some(&**t),
                        _ => None,
                    })
                    .collect();
                Some(clean_line(&own))
            }
            _ => None,
        });
    Headline {
        text: title.map(|t| strip_site_name(&t)).filter(|t| !t.is_empty()),
        element: None,
    }
}

/// `关于…的通知_江苏省人民政府` → `关于…的通知`.
fn strip_site_name(title: &str) -> String {
    let cut = ["_", "|", " - ", "－", "——", " — "]
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|at| (at, sep.len())))
        .max();
    match cut {
        Some((at, len)) if at > 0 && title[at + len..].chars().count() <= 30 => {
            title[..at].trim().to_string()
        }
        _ => title.to_string(),
    }
}

/// The article's container: the first CMS marker with text, else the
/// element that directly holds the most non-link text.
fn content(page: &Html, stats: &Stats) -> Option<NodeId> {
    for marker in CONTENT_MARKERS {
        let best = page
            .tree
            .root()
            .descendants()
            .filter(|n| !stats.dropped.contains(&n.id()))
            .filter(|n| match n.value() {
                Node::Element(e) => match marker {
                    Marker::Id(id) => e.id().is_some_and(|x| x.eq_ignore_ascii_case(id)),
                    Marker::Class(class) => e.classes().any(|c| c.eq_ignore_ascii_case(class)),
                },
                _ => false,
            })
            .map(|n| (stats.get(n), n.id()))
            .filter(|(s, _)| s.chars - s.link_chars.min(s.chars) >= 20)
            .max_by_key(|(s, _)| s.chars - s.link_chars.min(s.chars));
        if let Some((_, id)) = best {
            return Some(id);
        }
    }
    densest(page, stats)
}

enum Marker {
    Id(&'static str),
    Class(&'static str),
}

/// Containers of the article text in the CMSs of government sites.
const CONTENT_MARKERS: &[Marker] = &[
    Marker::Class("TRS_Editor"),
    Marker::Class("TRS_UEDITOR"),
    Marker::Id("zoom"),
    Marker::Id("UCAP-CONTENT"),
    Marker::Class("UCAP-CONTENT"),
    Marker::Class("pages_content"),
    Marker::Id("pages_content"),
    Marker::Class("article-content"),
    Marker::Class("article_content"),
    Marker::Id("article-content"),
    Marker::Class("xxgk_content"),
    Marker::Class("xxgk-content"),
    Marker::Id("xxgk_content"),
    Marker::Class("content_text"),
    Marker::Id("content_text"),
    Marker::Class("bt-article"),
    Marker::Id("fontzoom"),
];

/// The element whose own children (paragraphs, text, inline elements)
/// carry the most non-link text.
fn densest(page: &Html, stats: &Stats) -> Option<NodeId> {
    page.tree
        .root()
        .descendants()
        .filter(|n| matches!(n.value(), Node::Element(e) if matches!(e.name(), "div" | "td" | "section" | "article" | "main" | "body" | "center" | "font")))
        .filter(|n| !stats.dropped.contains(&n.id()))
        .map(|n| {
            let own: usize = n
                .children()
                .filter(|c| !stats.dropped.contains(&c.id()))
                .filter(|c| match c.value() {
                    Node::Text(_) => true,
                    Node::Element(e) => matches!(
                        e.name(),
                        "p" | "span" | "font" | "strong" | "b" | "br" | "h2" | "h3" | "h4" | "table" | "tbody" | "ul" | "ol" | "blockquote" | "pre"
                    ),
                    _ => false,
                })
                .map(|c| {
                    let s = stats.get(c);
                    s.chars - s.link_chars.min(s.chars)
                })
                .sum();
            (own, n.id())
        })
        .filter(|(own, _)| *own > 0)
        .max_by_key(|(own, _)| *own)
        .map(|(_, id)| id)
}

/// The info line under the headline (`发布时间：2023-06-09 来源：…`): the
/// shortest element, outside furniture, whose text holds a publication date
/// or source label, with the page's buttons taken out of it.
fn info_line(page: &Html, stats: &Stats, container: Option<NodeId>) -> Option<(NodeId, String)> {
    // Inside the article, `时间：` is more likely the text's own.
    let inside: HashSet<NodeId> = container
        .and_then(|c| page.tree.get(c))
        .map(|c| c.descendants().map(|n| n.id()).collect())
        .unwrap_or_default();
    let found = page.tree.root().descendants().find(|n| {
        let Node::Text(t) = n.value() else {
            return false;
        };
        INFO_LABELS.iter().any(|label| t.contains(label))
            && !stats.dropped.contains(&n.id())
            && !inside.contains(&n.id())
    })?;
    // The nearest ancestor that is a whole line (a block), if short.
    let mut element = found.parent()?;
    for _ in 0..4 {
        let is_block = matches!(element.value(), Node::Element(e) if is_block(e.name()));
        if is_block {
            break;
        }
        match element.parent() {
            Some(p) => element = p,
            None => break,
        }
    }
    if stats.get(element).chars > 300 {
        return None;
    }
    let line = strip_ui_words(&clean_line(&collect_text(element, 2000)));
    (!line.is_empty()).then_some((element.id(), line))
}

/// Labels that start a publication date or source in an info line.
const INFO_LABELS: &[&str] = &[
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "信息来源",
    "来源：",
    "来源:",
    "时间：",
];

/// The info line without the page's buttons: everything from `字号` on,
/// and words such as `打印`, `关闭`, `分享`, `收藏`.
fn strip_ui_words(line: &str) -> String {
    let line = match line.find("字号") {
        Some(at) => &line[..at],
        None => line,
    };
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c| matches!(c, '【' | '】' | '[' | ']' | '|' | '｜'));
            !w.is_empty()
                && !UI_WORDS.iter().any(|u| w.starts_with(u))
                && !matches!(w, "大" | "中" | "小")
        })
        .collect();
    words.join(" ")
}

const UI_WORDS: &[&str] = &[
    "打印",
    "关闭",
    "分享",
    "收藏",
    "浏览次数",
    "阅读次数",
    "点击数",
    "访问量",
    "字体",
    "纠错",
    "我要纠错",
    "保存",
    "扫一扫",
];

/// `ContentSource` and `PubDate` metadata as an info line, where the page
/// prints none.
fn meta_line(page: &Html) -> Option<String> {
    let mut date = None;
    let mut source = None;
    for n in page.tree.root().descendants() {
        let Node::Element(e) = n.value() else {
            continue;
        };
        if e.name() != "meta" {
            continue;
        }
        let (Some(name), Some(value)) = (e.attr("name"), e.attr("content")) else {
            continue;
        };
        let value = clean_line(value);
        if value.is_empty() {
            continue;
        }
        let name = name.to_ascii_lowercase();
        if date.is_none()
            && matches!(
                name.as_str(),
                "pubdate" | "publishdate" | "firstpublishedtime"
            )
        {
            date = Some(value);
        } else if source.is_none() && name == "contentsource" {
            source = Some(value);
        }
    }
    let mut parts = Vec::new();
    if let Some(date) = date {
        parts.push(format!("发布时间：{date}"));
    }
    if let Some(source) = source {
        parts.push(format!("来源：{source}"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// Elements that start a new line or paragraph.
fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "pre"
            | "center"
            | "address"
            | "hr"
            | "body"
            | "html"
            | "figure"
            | "figcaption"
            | "caption"
    )
}

/// The text under `node`, up to `max` bytes, whitespace as it is. Looks
/// at no more than a few thousand nodes: it is asked of headlines and info
/// lines, never of a whole page, and must stay cheap on a hostile one.
fn collect_text(node: NodeRef<Node>, max: usize) -> String {
    let mut out = String::new();
    for n in node.descendants().take(4096) {
        if let Node::Text(t) = n.value() {
            if n.ancestors()
                .take(2)
                .any(|a| matches!(a.value(), Node::Element(e) if is_invisible(e.name())))
            {
                continue;
            }
            out.push_str(t);
            if out.len() >= max {
                break;
            }
        }
    }
    out
}

/// Whitespace runs (including full-width spaces and `&nbsp;`) as one space, trimmed.
fn clean_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of the content: blocks and table rows as paragraphs (blank
/// lines between), `<br>` as a line break, table cells separated by tabs.
fn text_of(root: NodeRef<Node>, stats: &Stats, skip: &HashSet<NodeId>) -> String {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave(&'a str),
    }
    let mut out = Text::default();
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(tag) => match tag {
                "td" | "th" => out.push_raw('\t'),
                _ if is_block(tag) => out.paragraph(),
                _ => {}
            },
            Step::Enter(node) => {
                if skip.contains(&node.id())
                    || (node.id() != root.id() && stats.dropped.contains(&node.id()))
                {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => out.push_text(t),
                    Node::Element(e) => {
                        let tag = e.name();
                        if is_invisible(tag) {
                            continue;
                        }
                        if tag == "br" {
                            out.line();
                            continue;
                        }
                        if is_block(tag) {
                            out.paragraph();
                        }
                        stack.push(Step::Leave(tag));
                        let children: Vec<_> = node.children().collect();
                        for child in children.into_iter().rev() {
                            stack.push(Step::Enter(child));
                        }
                    }
                    _ => {
                        let children: Vec<_> = node.children().collect();
                        for child in children.into_iter().rev() {
                            stack.push(Step::Enter(child));
                        }
                    }
                }
            }
        }
    }
    out.finish()
}

/// Text being laid out: lines trimmed, whitespace runs collapsed, blank
/// lines only between paragraphs.
#[derive(Default)]
struct Text {
    lines: Vec<String>,
    line: String,
    /// A space is due before the next text.
    space: bool,
}

impl Text {
    fn push_text(&mut self, t: &str) {
        for (i, word) in t
            .split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
            .enumerate()
        {
            if i > 0 {
                self.space = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.space && !self.line.is_empty() {
                self.line.push(' ');
            }
            self.space = false;
            self.line.push_str(word);
        }
    }

    fn push_raw(&mut self, c: char) {
        self.line.push(c);
        self.space = false;
    }

    /// End the line (`<br>`).
    fn line(&mut self) {
        let line = self.line.trim().to_string();
        self.line.clear();
        self.space = false;
        if !line.is_empty() {
            self.lines.push(line);
        } else if self.lines.last().is_some_and(|l| !l.is_empty()) {
            // `<br><br>`: a paragraph break.
            self.lines.push(String::new());
        }
    }

    /// End the paragraph.
    fn paragraph(&mut self) {
        self.line();
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> String {
        self.line();
        while self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        self.lines.join("\n")
    }
}

/// `text` without its first non-blank line if `matches` says so.
fn drop_first_line_if(text: String, matches: impl Fn(&str) -> bool) -> String {
    let trimmed = text.trim_start();
    let (first, rest) = trimmed.split_once('\n').unwrap_or((trimmed, ""));
    if matches(first) {
        rest.trim_start().to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="ArticleTitle" content="关于开展2023年度科技创新券申报工作的通知">
<meta name="PubDate" content="2023-06-09 15:30">
<meta name="ContentSource" content="江苏省科学技术厅">
<title>关于开展2023年度科技创新券申报工作的通知_江苏省人民政府</title>
<script>var x = "发布时间：不要";</script><style>.a{}</style></head>
<body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li></ul></div>
<div class="bread">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 通知公告</div>
<div class="article">
<h1>关于开展2023年度科技创新券申报工作的通知</h1>
<div class="info">发布时间：2023-06-09 15:30 &nbsp; 来源：江苏省科学技术厅 &nbsp; 字号：<a>大</a> <a>中</a> <a>小</a> <a>【打印】</a></div>
<div id="zoom"><div class="TRS_Editor">
<p>各设区市科技局：</p>
<p>　　为贯彻落实《江苏省科技创新券试点方案》，现将有关事项<br>通知如下。</p>
<table><tr><td>地区</td><td>额度</td></tr><tr><td>南京市</td><td>500万元</td></tr></table>
</div></div>
<div class="bdsharebuttonbox">分享到：<a>微信</a><a>微博</a></div>
<div class="xglj"><h3>相关链接</h3><ul><li><a>江苏省科技厅关于另一件事的通知</a></li></ul></div>
</div>
<div class="footer">主办：江苏省人民政府办公厅 网站标识码：3200000000 苏ICP备05009136号</div>
</body></html>"#;

    #[test]
    fn a_government_page_gives_headline_info_line_and_text_only() {
        let bytes = encoding_rs::GBK.encode(PAGE).0;
        let got = read(&bytes).unwrap();
        assert_eq!(
            got.title.as_deref(),
            Some("关于开展2023年度科技创新券申报工作的通知")
        );
        assert_eq!(
            got.meta_lines,
            ["发布时间：2023-06-09 15:30 来源：江苏省科学技术厅"]
        );
        assert_eq!(
            got.text,
            "各设区市科技局：\n\n为贯彻落实《江苏省科技创新券试点方案》，现将有关事项\n通知如下。\n\n地区\t额度\n\n南京市\t500万元"
        );
        assert_eq!(got.encoding, "HTML (GB18030)");
    }

    #[test]
    fn without_markers_the_densest_block_is_the_text_and_title_loses_the_site_name() {
        let page = "<html><head><title>某市关于促进发展的若干意见 - 某市人民政府门户网站</title></head><body>\
            <div><a>首页</a> <a>新闻</a> <a>政务</a></div>\
            <div><p>第一段正文内容，足够长的一句话。</p><p>第二段正文内容，也是足够长的一句话。</p></div>\
            <div>主办：某市人民政府办公室</div></body></html>";
        let got = read(page.as_bytes()).unwrap();
        assert_eq!(got.title.as_deref(), Some("某市关于促进发展的若干意见"));
        assert_eq!(
            got.text,
            "第一段正文内容，足够长的一句话。\n\n第二段正文内容，也是足够长的一句话。"
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let depth = 100_000;
        let mut page = String::from("<html><body>");
        for _ in 0..depth {
            page.push_str("<div><b>");
        }
        let err = read(page.as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("nested more than 5000 deep"),
            "{err}"
        );
        assert_eq!(nesting(b"<html><body><p>a<p>b<br><img/><!-- <div> --><script>if (a<b) {}</script></body></html>"), 2);
    }

    #[test]
    fn nesting_within_the_limit_is_walked_without_recursion() {
        let depth = MAX_NESTING - 10;
        let mut page = String::from("<html><body>");
        for _ in 0..depth {
            page.push_str("<div>");
        }
        page.push_str("深处的正文");
        for _ in 0..depth {
            page.push_str("</div>");
        }
        let got = read(page.as_bytes()).unwrap();
        assert_eq!(got.text, "深处的正文");
    }

    #[test]
    fn charset_declarations_are_found() {
        assert_eq!(declared_charset(b"<meta charset=\"GBK\">"), Some(GBK));
        assert_eq!(
            declared_charset(b"<meta content='text/html; charset=gb2312'>"),
            Some(GBK)
        );
        assert_eq!(declared_charset(b"<meta charset=\"nonsense\">"), None);
        assert_eq!(
            strip_ui_words("发布时间：2023-06-09 来源：省政府办公厅 字号：大 中 小"),
            "发布时间：2023-06-09 来源：省政府办公厅"
        );
        assert_eq!(
            strip_ui_words("日期：2023-06-09 【打印】 【关闭】 分享到"),
            "日期：2023-06-09"
        );
    }
}
