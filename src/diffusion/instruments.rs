//! Institution and instrument types from a dictionary: a city operations
//! centre, a science-and-technology innovation voucher, a river-chief
//! system, named however each place names it.
//!
//! `dictionaries/instruments.csv` lists each type once with the surface
//! forms that name it (`城市运行管理中心|城运中心|运管中心`); all forms of all
//! types compile into one leftmost-longest aho-corasick automaton, so an
//! article is scanned once whatever the size of the dictionary, and a form
//! inside a longer name still counts (`新型智慧城市运行管理中心` contains
//! `城市运行管理中心`). Adding a line adds a type on the next run.

use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use std::collections::BTreeMap;

use crate::extract::dictionary::csv_records;
use crate::extract::DictError;

/// One institution or instrument type.
#[derive(Clone, Debug, PartialEq)]
pub struct Instrument {
    /// Stable English id (`city_operations_centre`).
    pub id: String,
    /// Canonical Chinese name, shown in evidence and `diffusion.csv`.
    pub name: String,
    /// `institution`, `instrument`, `reform`, `standard`, `service`, …, or
    /// `name`: the patterns are the last words of institution names
    /// (`中心`, `平台`, `基地`), and each match stands for the whole name
    /// written before it (see [`name_before`]), so that the same named
    /// institution in two places pairs them even when no line lists it.
    pub kind: String,
    /// Prior weight in 0..=1: how telling a shared mention is before rarity
    /// in the corpus is counted (a named centre type: high; a reform slogan
    /// every province repeats: lower).
    pub specificity: f64,
    /// Surface forms, each a literal.
    pub patterns: Vec<String>,
}

/// One occurrence of an instrument in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Instruments::all`].
    pub instrument: usize,
    /// Character offsets of the matched form.
    pub start: usize,
    pub end: usize,
    /// Byte offsets of the matched form.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// The compiled dictionary.
#[derive(Clone, Debug)]
pub struct Instruments {
    list: Vec<Instrument>,
    /// Pattern index → instrument index.
    owner: Vec<usize>,
    automaton: Option<AhoCorasick>,
}

impl Instruments {
    /// Load `instruments.csv` (columns `id,name,kind,specificity,patterns`,
    /// patterns separated by `|`). Errors name the file and line.
    pub fn load(path: &Path) -> Result<Instruments, DictError> {
        let name = path.display().to_string();
        let mut list = Vec::new();
        for (line, row) in csv_records(path, csv::ReaderBuilder::new().comment(Some(b'#')))? {
            let bad = |message: String| DictError::Invalid {
                path: name.clone(),
                line,
                message,
            };
            if row.len() != 5 {
                return Err(bad(format!(
                    "expected 5 columns (id,name,kind,specificity,patterns), found {}",
                    row.len()
                )));
            }
            let specificity: f64 = row[3]
                .trim()
                .parse()
                .map_err(|_| bad(format!("specificity {:?} is not a number", &row[3])))?;
            if !(0.0..=1.0).contains(&specificity) {
                return Err(bad(format!("specificity {specificity} is outside 0..1")));
            }
            let patterns: Vec<String> = row[4]
                .split('|')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            let id = row[0].trim();
            if id.is_empty() || patterns.is_empty() {
                return Err(bad(
                    "an instrument needs an id and at least one pattern".into()
                ));
            }
            if list.iter().any(|i: &Instrument| i.id == id) {
                return Err(bad(format!("duplicate id {id:?}")));
            }
            list.push(Instrument {
                id: id.to_string(),
                name: row[1].trim().to_string(),
                kind: row[2].trim().to_string(),
                specificity,
                patterns,
            });
        }
        Instruments::new(list).map_err(|message| DictError::Invalid {
            path: name,
            line: 0,
            message,
        })
    }

    /// Compile a list (for tests and callers with their own data).
    pub fn new(list: Vec<Instrument>) -> Result<Instruments, String> {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (i, ins) in list.iter().enumerate() {
            for p in &ins.patterns {
                patterns.push(p.clone());
                owner.push(i);
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                // A few hundred patterns: the DFA is small and scans every
                // article's text about twice as fast as the NFA.
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&patterns)
                    .map_err(|e| format!("cannot compile the instrument patterns: {e}"))?,
            )
        };
        Ok(Instruments {
            list,
            owner,
            automaton,
        })
    }

    pub fn all(&self) -> &[Instrument] {
        &self.list
    }

    /// Every occurrence in `text`, in text order, with character offsets;
    /// a form inside a longer form of the same type is not counted again.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        // Byte offsets → character offsets: overlapping matches come in
        // order of their end, so one walk of the text counts characters.
        let mut raw: Vec<(usize, usize, usize, usize, usize)> = Vec::new();
        let (mut byte_at, mut chars_before) = (0usize, 0usize);
        for m in ac.find_overlapping_iter(text) {
            chars_before += text[byte_at..m.end()].chars().count();
            byte_at = m.end();
            let len = text[m.start()..m.end()].chars().count();
            let end = chars_before;
            raw.push((
                end - len,
                end,
                self.owner[m.pattern().as_usize()],
                m.start(),
                m.end(),
            ));
        }
        // Longest first at each start, then drop same-type nested forms.
        raw.sort_by_key(|&(s, e, i, _, _)| (s, std::cmp::Reverse(e), i));
        let mut hits: Vec<Hit> = Vec::with_capacity(raw.len());
        let mut reach: BTreeMap<usize, usize> = BTreeMap::new();
        for (start, end, instrument, byte_start, byte_end) in raw {
            let covered = reach.get(&instrument).is_some_and(|&r| end <= r);
            if covered {
                continue;
            }
            reach.insert(instrument, end);
            hits.push(Hit {
                instrument,
                start,
                end,
                byte_start,
                byte_end,
            });
        }
        hits
    }
}

impl Instrument {
    /// Whether the patterns are name endings (kind `name`).
    pub fn is_name_ending(&self) -> bool {
        self.kind == "name"
    }
}

/// Words that open a sentence's predicate: a name never spans them.
pub const VERBS: [&str; 30] = [
    "启动", "启用", "成立", "出台", "推出", "发布", "建成", "设立", "印发", "开展", "实施", "推进",
    "明确", "打造", "探索", "推行", "上线", "开通", "率先", "全面", "加快", "建立", "首创", "投运",
    "揭牌", "组建", "筹建", "建设", "依托", "通过",
];

/// Leading words of a name that say nothing about the institution.
const MODIFIERS: [&str; 22] = [
    "全国首个",
    "全国首家",
    "国内首个",
    "国内首家",
    "全国第一家",
    "国内第一家",
    "第一家",
    "第一个",
    "首个",
    "首家",
    "首批",
    "一批",
    "一个",
    "国家级",
    "省级",
    "市级",
    "区级",
    "县级",
    "全国",
    "国内",
    "全省",
    "全市",
];

/// The institution name that ends with a name-ending hit (`首贷服务中心`,
/// `营商环境研究中心`): the characters before it back to punctuation, a
/// function word, a digit or a verb, at most `max`, without leading place
/// names and modifiers (`江苏首家`, `全国首个`). `None` when too little is
/// left to name anything (the bare ending and up to two characters:
/// `数据中心`).
pub fn name_before(
    chars: &[char],
    start: usize,
    end: usize,
    max: usize,
    places: &[&str],
) -> Option<String> {
    let mut s = start;
    while s > 0 && start - s < max {
        let c = chars[s - 1];
        if !c.is_alphanumeric()
            || c.is_ascii_digit()
            || "的和与及等为在是将由对把从向以并或了个其该各到于被即作".contains(c)
        {
            break;
        }
        s -= 1;
    }
    let mut name: String = chars[s..end].iter().collect();
    // After the last verb that ends before the ending.
    let ending_at = name.len()
        - chars[start..end]
            .iter()
            .map(|c| c.len_utf8())
            .sum::<usize>();
    if let Some(cut) = VERBS
        .iter()
        .filter_map(|v| name[..ending_at].rfind(v).map(|b| b + v.len()))
        .max()
    {
        name = name[cut..].to_string();
    }
    loop {
        let before = name.len();
        for p in places
            .iter()
            .chain(MODIFIERS.iter())
            .filter(|p| !p.is_empty())
        {
            if let Some(rest) = name.strip_prefix(p) {
                name = rest.to_string();
            }
        }
        if name.len() == before {
            break;
        }
    }
    (name.chars().count() >= end - start + 3).then_some(name)
}

/// The name a hit stands in, for evidence: the matched form widened to the
/// left to the nearest place name of the article written just before it
/// (`上海市城市运行管理中心`, `重庆市新型智慧城市运行管理中心`), through at most
/// `max` characters, no punctuation or function word and no verb of
/// launching (`江苏启动科技创新券` is a sentence, not a name); the form itself
/// when no place name is that close.
pub fn widen_left(chars: &[char], start: usize, end: usize, max: usize, places: &[&str]) -> String {
    let mut s = start;
    while s > 0 && start - s < max {
        let c = chars[s - 1];
        let stop = !c.is_alphanumeric()
            || c.is_ascii_digit()
            || "的和与及等为在是将由对把从向以并或了个其该各到于被即作".contains(c);
        if stop {
            break;
        }
        s -= 1;
    }
    let prefix: String = chars[s..start].iter().collect();
    let anchor = places
        .iter()
        .filter(|p| !p.is_empty())
        .filter_map(|p| prefix.find(p).map(|b| (b, b + p.len())))
        .filter(|&(_, e)| !VERBS.iter().any(|v| prefix[e..].contains(v)))
        .map(|(b, _)| b)
        .min()
        .map(|byte| s + prefix[..byte].chars().count());
    chars[anchor.unwrap_or(start)..end].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Instruments {
        Instruments::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/instruments.csv"),
        )
        .unwrap()
    }

    /// The listed types found (name endings left out).
    fn ids(dict: &Instruments, text: &str) -> Vec<String> {
        dict.find(text)
            .iter()
            .map(|h| &dict.all()[h.instrument])
            .filter(|i| !i.is_name_ending())
            .map(|i| i.id.clone())
            .collect()
    }

    #[test]
    fn longer_names_contain_the_type() {
        let d = bundled();
        let chongqing = "8 月 20 日，重庆市新型智慧城市运行管理中心(下称“运管中心”)建成投运";
        let shanghai = "该运营中心作为上海市城市运行管理中心的重要组成部分";
        let a = ids(&d, chongqing);
        let b = ids(&d, shanghai);
        assert!(a.contains(&"city_operations_centre".to_string()), "{a:?}");
        assert_eq!(b, vec!["city_operations_centre".to_string()]);
        // The full name and its short form are two mentions of one type.
        assert_eq!(
            a.iter().filter(|i| *i == "city_operations_centre").count(),
            2
        );
        // A form nested in a longer form of the same type counts once.
        assert_eq!(
            ids(&d, "启动科技创新券试点"),
            vec!["innovation_voucher".to_string()]
        );
    }

    #[test]
    fn offsets_are_characters_and_widen_to_the_name() {
        let d = bundled();
        let text = "该运营中心作为上海市城市运行管理中心的重要组成部分";
        let hits = d.find(text);
        let chars: Vec<char> = text.chars().collect();
        let h = hits
            .iter()
            .find(|h| d.all()[h.instrument].id == "city_operations_centre")
            .unwrap();
        // The same text also ends a name with 中心.
        assert!(hits.iter().any(|h| d.all()[h.instrument].is_name_ending()));
        assert_eq!(
            chars[h.start..h.end].iter().collect::<String>(),
            "城市运行管理中心"
        );
        assert_eq!(
            widen_left(&chars, h.start, h.end, 8, &["上海", "上海市"]),
            "上海市城市运行管理中心"
        );
        assert_eq!(
            widen_left(&chars, h.start, h.end, 8, &["北京"]),
            "城市运行管理中心"
        );
        let title: Vec<char> = "江苏启动科技创新券试点".chars().collect();
        assert_eq!(widen_left(&title, 4, 9, 8, &["江苏"]), "科技创新券");
        let text = "8 月 20 日，重庆市新型智慧城市运行管理中心投运";
        let chars: Vec<char> = text.chars().collect();
        let hits = d.find(text);
        let h = hits
            .iter()
            .find(|h| d.all()[h.instrument].id == "city_operations_centre")
            .unwrap();
        assert_eq!(
            widen_left(&chars, h.start, h.end, 8, &["重庆市"]),
            "重庆市新型智慧城市运行管理中心"
        );
        // Names nest: the same text is also a 新型智慧城市 measure.
        assert!(hits
            .iter()
            .any(|h| d.all()[h.instrument].id == "new_smart_city"));
    }

    #[test]
    fn vouchers_and_one_stop_services() {
        let d = bundled();
        assert!(
            ids(&d, "江苏省科学技术厅联合印发《江苏省科技创新券试点方案》")
                .contains(&"innovation_voucher".to_string())
        );
        assert!(
            ids(&d, "苏州、上海两地率先推出政府“科技创新券”两地通用政策")
                .contains(&"innovation_voucher".to_string())
        );
        assert_eq!(
            ids(&d, "推进基层政务服务“一网通办”"),
            vec!["one_network_services".to_string()]
        );
        // Generic vocabulary is not an instrument.
        assert!(ids(&d, "加快区块链技术和人工智能推动长三角一体化高质量发展").is_empty());
    }

    #[test]
    fn names_before_name_endings() {
        let name = |text: &str, ending: &str, places: &[&str]| {
            let chars: Vec<char> = text.chars().collect();
            let at = text
                .find(ending)
                .map(|b| text[..b].chars().count())
                .unwrap();
            name_before(&chars, at, at + ending.chars().count(), 12, places)
        };
        // 002_490650ad3478054a:12 and 001_36884ec9de0aea5a:16.
        assert_eq!(
            name("江苏首家首贷服务中心揭牌", "中心", &["江苏"]).as_deref(),
            Some("首贷服务中心")
        );
        assert_eq!(
            name(
                "由上海立信会计金融学院组建的上海营商环境研究中心（智库）",
                "中心",
                &["上海"]
            )
            .as_deref(),
            Some("营商环境研究中心")
        );
        assert_eq!(
            name("上海成立营商环境研究中心", "中心", &["上海"]).as_deref(),
            Some("营商环境研究中心")
        );
        // Too little is left to name anything.
        assert_eq!(name("将建设数据中心", "中心", &[]), None);
        assert_eq!(name("该中心", "中心", &[]), None);
    }

    #[test]
    fn bad_lines_are_reported_with_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("instruments.csv");
        std::fs::write(&path, "id,name,kind,specificity,patterns\na,甲,institution,0.5,甲中心\nb,乙,institution,high,乙中心\n")
            .unwrap();
        let err = Instruments::load(&path).unwrap_err().to_string();
        assert!(err.contains("instruments.csv:3"), "{err}");
        assert!(err.contains("\"high\""), "{err}");
    }

    #[test]
    fn a_new_line_adds_a_type() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("instruments.csv");
        let mut csv = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/instruments.csv"),
        )
        .unwrap();
        assert!(ids(
            &Instruments::load(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("dictionaries/instruments.csv")
                    .as_path()
            )
            .unwrap(),
            "港航信易贷"
        )
        .iter()
        .all(|i| i != "port_credit_loan"));
        csv.push_str("port_credit_loan,港航信易贷,instrument,0.9,港航信易贷\n");
        std::fs::write(&path, csv).unwrap();
        assert!(
            ids(&Instruments::load(&path).unwrap(), "“港航信易贷”正式上线")
                .contains(&"port_credit_loan".to_string())
        );
    }
}
