//! Synthetic corpora for benchmarks: bulletins recombined from real ones.
//!
//! Measuring throughput, memory and the copying detector on one sample
//! repeated would measure caches and duplicate handling, not the tool: the
//! graph would stop growing and the detector would face thousands of
//! duplicates. So a generated corpus is made of two kinds of article.
//!
//! * **Novel articles** (by default [`ADOPTION_PERCENT`] aside, about 90%):
//!   written clause by clause. Each sentence takes the clause count of a
//!   sample sentence; each clause is a sample clause drawn from anywhere in
//!   the pool (cut at `，；：`), so no two neighbouring clauses come from the
//!   same place, and every slot of the clause is filled anew ([`clause`]):
//!   places moved to the article's province and its cities (agency names
//!   written on a place are rebuilt with it), numbers, years and dates
//!   changed, words of a synonym group and adverbs before verbs varied
//!   (`corpus/synth/vocab.csv`), every 《document》 and “initiative” given a
//!   fresh name built from parts ([`names`]; a core is not reused while the
//!   parts last). A clause is used only if its fixed text runs at most
//!   [`clause::MAX_FIXED`] letters without a slot and two renderings share
//!   an 18-letter run (what the copying detector counts) with a chance of
//!   at most [`clause::MAX_COINCIDENCE`]: about 44% of the sample text
//!   qualifies, and two novel articles share only short runs. Each article
//!   takes its title, section and length from one sample article (its
//!   topic); only that article's clauses may bring a real instrument or a
//!   named institution (…中心), and a real instrument is kept in 30% of
//!   mentions and renamed otherwise, since the instrument dictionary was
//!   drawn from the samples themselves. A title naming an institution is
//!   written anew.
//! * **Adoptions** (about [`ADOPTION_PERCENT`]%): a novel article of another
//!   province, published one to 26 weeks earlier, re-issued with its
//!   province, cities and counties (so its agencies and program names)
//!   moved to a new province and its text otherwise kept; about a third
//!   keep one name of the original place, as real copies do. An original is
//!   copied at most [`MAX_COPIES`] times. The pairs are listed in
//!   `ADOPTIONS.csv` in the output directory (`original,copy` article ids as
//!   `policygraph build DIR` gives them, provinces, lag in days), so the
//!   detector's recall can be measured.
//!
//! Bulletins carry a fresh header and date (weekly), contents and sections;
//! one file in ten is GBK and one in ten has CRLF line ends. Output is a pure
//! function of the seed and the size.

mod clause;
mod names;
mod vocab;

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::record::Article;
use clause::{Bank, Local};
use names::Names;
use vocab::Vocab;

/// Percent of articles that re-issue an earlier article of another province.
pub const ADOPTION_PERCENT: u64 = 10;
/// Most copies of one original.
pub const MAX_COPIES: u8 = 3;
/// How far back (in bulletins, one a week) an original may lie.
const LAG_BULLETINS: usize = 26;
/// Percent of clauses an article takes from its topic article.
const TOPIC_PERCENT: u64 = 20;
/// Percent of adoptions that keep one name of the original place.
const LEFTOVER_PERCENT: u64 = 35;

/// A division name in its full and short forms (`江苏省`, `江苏`).
#[derive(Debug, Clone)]
pub struct Place {
    pub full: String,
    pub short: String,
}

/// A province, its prefecture-level cities and its county-level units.
#[derive(Debug, Clone)]
pub struct Province {
    pub place: Place,
    pub cities: Vec<Place>,
    pub counties: Vec<Place>,
}

/// What a generator run wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub articles: usize,
    /// Articles that re-issue an earlier one (listed in `ADOPTIONS.csv`).
    pub adoptions: usize,
    pub bytes: u64,
}

/// SplitMix64: small, fast, and the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// Load provinces and cities from the GB/T 2260 tables under `dictionaries/divisions`.
pub fn load_provinces(divisions: &Path) -> io::Result<Vec<Province>> {
    let read = |name: &str| -> io::Result<Vec<Vec<String>>> {
        let mut reader = csv::Reader::from_path(divisions.join(name)).map_err(io::Error::other)?;
        reader
            .records()
            .map(|r| {
                r.map(|r| r.iter().map(str::to_string).collect())
                    .map_err(io::Error::other)
            })
            .collect()
    };
    let mut provinces: Vec<(String, Province)> = read("provinces.csv")?
        .into_iter()
        .map(|row| {
            (
                row[0].clone(),
                Province {
                    place: place(&row[1]),
                    cities: Vec::new(),
                    counties: Vec::new(),
                },
            )
        })
        .collect();
    for row in read("cities.csv")? {
        if row[1] == "市辖区" || row[1] == "县" || row[1].contains("直辖") {
            continue;
        }
        if let Some((_, p)) = provinces.iter_mut().find(|(code, _)| *code == row[2]) {
            p.cities.push(place(&row[1]));
        }
    }
    for row in read("areas.csv")? {
        if row[1] == "市辖区" {
            continue;
        }
        if let Some((_, p)) = provinces.iter_mut().find(|(code, _)| *code == row[3]) {
            p.counties.push(county(&row[1]));
        }
    }
    Ok(provinces.into_iter().map(|(_, p)| p).collect())
}

/// A county-level name and its short form (青浦区, 青浦).
fn county(full: &str) -> Place {
    let short = ["新区", "区", "县", "市", "旗"]
        .iter()
        .find_map(|s| {
            full.strip_suffix(s)
                .filter(|rest| rest.chars().count() >= 2)
        })
        .unwrap_or(full);
    Place {
        full: full.to_string(),
        short: short.to_string(),
    }
}

fn place(full: &str) -> Place {
    let mut short = full.to_string();
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "自治区",
        "特别行政区",
        "省",
        "市",
    ] {
        if let Some(s) = full.strip_suffix(suffix) {
            if s.chars().count() >= 2 {
                short = s.to_string();
                break;
            }
        }
    }
    Place {
        full: full.to_string(),
        short,
    }
}

/// A generated article kept as a possible original for adoptions.
struct Original {
    id: String,
    section: String,
    title: String,
    body: String,
    province: usize,
    /// Cities and counties it names (full, short).
    places: Vec<(String, String)>,
    date: NaiveDate,
    copies: u8,
}

/// One article of a bulletin being written.
struct Draft {
    section: String,
    title: String,
    body: String,
    /// For a novel article: what an adoption needs.
    original: Option<(usize, Vec<(String, String)>, NaiveDate)>,
    /// For an adoption: the original's id, provinces and date.
    adopted: Option<(String, usize, usize, NaiveDate, NaiveDate, bool)>,
}

/// Everything the generator reads, prepared once.
struct Generator<'a> {
    pool: &'a [Article],
    provinces: &'a [Province],
    vocab: &'a Vocab,
    bank: Bank,
    sections: Vec<String>,
    names: Names,
    recent: VecDeque<(usize, Vec<Original>)>,
}

/// Generate bulletins into `out` until about `target_bytes` are written,
/// and the list of planted adoptions into `out/ADOPTIONS.csv`.
pub fn generate(
    pool: &[Article],
    provinces: &[Province],
    target_bytes: u64,
    seed: u64,
    out: &Path,
) -> io::Result<Stats> {
    if pool.is_empty() || provinces.len() < 2 {
        return Err(io::Error::other(
            "the sample pool must not be empty and the province table needs two provinces",
        ));
    }
    let vocab = Vocab::bundled()?;
    let bank = Bank::new(pool, provinces, &vocab);
    if bank.openers.is_empty() || bank.inners.is_empty() {
        return Err(io::Error::other(
            "the sample pool has no clauses short enough to recombine",
        ));
    }
    let mut sections: Vec<String> = pool.iter().filter_map(|a| a.section.clone()).collect();
    sections.sort_unstable();
    sections.dedup();
    let mut gen = Generator {
        pool,
        provinces,
        vocab: &vocab,
        bank,
        sections,
        names: Names::default(),
        recent: VecDeque::new(),
    };

    std::fs::create_dir_all(out)?;
    let mut manifest = io::BufWriter::new(std::fs::File::create(out.join("ADOPTIONS.csv"))?);
    writeln!(
        manifest,
        "original,copy,original_province,copy_province,lag_days,leftover"
    )?;
    let mut rng = Rng::new(seed);
    let mut stats = Stats::default();
    let start = NaiveDate::from_ymd_opt(2015, 1, 2).unwrap_or_default();
    while stats.bytes < target_bytes {
        let n = stats.files;
        let date = start + Duration::days(7 * (n as i64 % 520) + (n as i64 / 520) % 7);
        let dir = out.join(format!("{:04}", n / 1000));
        if n % 1000 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        let stem = format!("{:04}/synth_{n:07}", n / 1000);
        let text = gen.bulletin(&stem, date, n, &mut rng, &mut stats, &mut manifest)?;
        let bytes: Vec<u8> = match n % 10 {
            3 => encoding_rs::GBK.encode(&text).0.into_owned(),
            7 => text.replace('\n', "\r\n").into_bytes(),
            _ => text.into_bytes(),
        };
        std::fs::write(dir.join(format!("synth_{n:07}.txt")), &bytes)?;
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
    }
    manifest.flush()?;
    Ok(stats)
}

impl Generator<'_> {
    /// One bulletin: header, contents, sections and articles.
    fn bulletin(
        &mut self,
        stem: &str,
        date: NaiveDate,
        n: usize,
        rng: &mut Rng,
        stats: &mut Stats,
        manifest: &mut impl Write,
    ) -> io::Result<String> {
        const MASTHEADS: [&str; 4] = [
            "长三角每周要讯",
            "长三角改革动态",
            "区域合作简报",
            "政策信息快报",
        ];
        let office = &self.provinces[rng.below(self.provinces.len())].place.full;
        let count = 12 + rng.below(11);
        // Distinct topics: a bulletin does not print one story twice.
        let mut topics: Vec<usize> = Vec::with_capacity(count);
        while topics.len() < count.min(self.pool.len()) {
            let i = rng.below(self.pool.len());
            if !topics.contains(&i) {
                topics.push(i);
            }
        }
        let mut drafts: Vec<Draft> = Vec::with_capacity(topics.len());
        for &topic in &topics {
            let event = date - Duration::days(1 + rng.below(10) as i64);
            let draft = match rng
                .chance(ADOPTION_PERCENT)
                .then(|| self.adopt(event, &drafts, rng))
                .flatten()
            {
                Some(d) => d,
                None => self.novel(topic, event, rng),
            };
            drafts.push(draft);
        }
        let rank = |s: &str| self.sections.iter().position(|x| x == s);
        drafts.sort_by(|a, b| rank(&a.section).cmp(&rank(&b.section)));
        stats.articles += drafts.len();

        let mut out = String::with_capacity(32 * 1024);
        let _ = write!(
            out,
            "\n{}\n\n{} 年第 {} 期\n\n{}人民政府驻上海办事处\n\n{} 年 {} 月 {} 日\n\n目 录\n\n",
            MASTHEADS[n % MASTHEADS.len()],
            date.format("%Y"),
            1 + n % 52,
            office,
            date.format("%Y"),
            date.format("%-m"),
            date.format("%-d"),
        );
        let mut last_section = "";
        for (page, d) in drafts.iter().enumerate() {
            if d.section != last_section {
                let _ = write!(out, "{}\n\n", d.section);
                last_section = &d.section;
            }
            let _ = write!(out, "{} {}\n\n", d.title, 3 + page);
        }
        let mut originals = Vec::new();
        let mut last: Option<String> = None;
        for (i, d) in drafts.into_iter().enumerate() {
            if last.as_deref() != Some(d.section.as_str()) {
                let _ = write!(out, "{}\n\n", d.section);
                last = Some(d.section.clone());
            }
            let _ = write!(out, "{}\n\n{}\n\n", d.title, d.body);
            let id = format!("{stem}:{:02}", i + 1);
            if let Some((from, from_province, to_province, from_date, to_date, leftover)) =
                &d.adopted
            {
                stats.adoptions += 1;
                writeln!(
                    manifest,
                    "{from},{id},{},{},{},{}",
                    self.provinces[*from_province].place.full,
                    self.provinces[*to_province].place.full,
                    (*to_date - *from_date).num_days(),
                    leftover
                )?;
            }
            if let Some((province, places, event)) = d.original {
                originals.push(Original {
                    id,
                    section: d.section,
                    title: d.title,
                    body: d.body,
                    province,
                    places,
                    date: event,
                    copies: 0,
                });
            }
        }
        self.recent.push_back((n, originals));
        while self
            .recent
            .front()
            .is_some_and(|(m, _)| m + LAG_BULLETINS < n + 1)
        {
            self.recent.pop_front();
        }
        Ok(out)
    }

    /// A novel article on the topic of sample article `topic`.
    fn novel(&mut self, topic: usize, event: NaiveDate, rng: &mut Rng) -> Draft {
        let province = rng.below(self.provinces.len());
        let mut local = Local::new(self.provinces, self.vocab, province, event);
        let bank = &self.bank;
        let source = &self.pool[topic];
        let section = source
            .section
            .clone()
            .or_else(|| self.sections.first().cloned())
            .unwrap_or_else(|| "综合".into());
        let mut title = String::new();
        local.render(&bank.titles[topic], &mut self.names, rng, &mut title);
        let mut title: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        // A title that names an institution would name the same one in
        // every article on the topic: name a new one instead.
        let v = self.vocab;
        if let Some(ending) = v.name_endings.iter().find(|e| title.contains(e.as_str())) {
            let place = &self.provinces[province].place.short;
            let verb = &v.title_verbs[rng.below(v.title_verbs.len())];
            title = format!("{place}{verb}{}{ending}", self.names.initiative(v, rng));
        }

        let own = &bank.by_article[topic];
        let sentences = usize::from(bank.lengths[topic]).max(3);
        let sentences = sentences - sentences / 5 + rng.below(sentences / 5 * 2 + 1);
        let mut body = String::with_capacity(sentences * 60);
        for s in 0..sentences {
            let k = usize::from(bank.shapes[rng.below(bank.shapes.len())]).max(1);
            for j in 0..k {
                let id = if rng.chance(TOPIC_PERCENT) && !own.is_empty() {
                    let id = own[rng.below(own.len())];
                    let c = &bank.clauses[id as usize];
                    // A topic clause with a long fixed run would repeat in
                    // every article on the topic: only instruments may.
                    c.usable().then_some(id)
                } else {
                    None
                };
                let id = id.unwrap_or_else(|| {
                    let list = if j == 0 { &bank.openers } else { &bank.inners };
                    list[rng.below(list.len())]
                });
                let clause = &bank.clauses[id as usize];
                local.render(clause, &mut self.names, rng, &mut body);
                if j + 1 < k {
                    body.push(match clause.punct {
                        Some(p @ ('，' | '；' | '：')) => p,
                        _ => '，',
                    });
                } else {
                    body.push(match clause.punct {
                        Some(p @ ('！' | '？')) => p,
                        _ => '。',
                    });
                }
            }
            if s + 1 < sentences && rng.chance(25) {
                body.push_str("\n\n");
            }
        }
        let body = redate(&body, event);
        let places = std::mem::take(&mut local.written);
        Draft {
            section,
            title,
            body,
            original: Some((province, places, event)),
            adopted: None,
        }
    }

    /// An earlier novel article of another province re-issued in a new
    /// one, or `None` when no original is at hand.
    fn adopt(&mut self, event: NaiveDate, drafts: &[Draft], rng: &mut Rng) -> Option<Draft> {
        let candidates: usize = self.recent.iter().map(|(_, o)| o.len()).sum();
        if candidates == 0 {
            return None;
        }
        let mut k = rng.below(candidates);
        let (bi, oi) = self.recent.iter().enumerate().find_map(|(bi, (_, list))| {
            if k < list.len() {
                Some((bi, k))
            } else {
                k -= list.len();
                None
            }
        })?;
        let original = &mut self.recent[bi].1[oi];
        if original.copies >= MAX_COPIES || original.date + Duration::days(7) > event {
            return None;
        }
        let n = self.provinces.len();
        let to = (original.province + 1 + rng.below(n - 1)) % n;
        let title = relocate_names(
            &original.title,
            original.province,
            &original.places,
            to,
            self.provinces,
            None,
            rng,
        );
        if drafts.iter().any(|d| d.title == title) {
            return None;
        }
        original.copies += 1;
        // Leave one name of the original place in the body, now and then.
        let keep = if rng.chance(LEFTOVER_PERCENT) {
            let from = &self.provinces[original.province].place;
            let names: Vec<&str> = original
                .places
                .iter()
                .map(|(f, _)| f.as_str())
                .chain([from.full.as_str()])
                .filter(|f| original.body.contains(f))
                .collect();
            (!names.is_empty()).then(|| names[rng.below(names.len())].to_string())
        } else {
            None
        };
        let body = relocate_names(
            &original.body,
            original.province,
            &original.places,
            to,
            self.provinces,
            keep.as_deref(),
            rng,
        );
        let body = redate(&body, event);
        Some(Draft {
            section: original.section.clone(),
            title,
            body,
            original: None,
            adopted: Some((
                original.id.clone(),
                original.province,
                to,
                original.date,
                event,
                keep.is_some(),
            )),
        })
    }
}

/// Move a generated text from province `from` to `to`: the province's full
/// and short names and each city or county it names (to one of `to`'s).
/// `keep`: a name whose last occurrence stays as it was.
fn relocate_names(
    text: &str,
    from: usize,
    places: &[(String, String)],
    to: usize,
    provinces: &[Province],
    keep: Option<&str>,
    rng: &mut Rng,
) -> String {
    let (head, kept, tail) = match keep.and_then(|k| text.rfind(k).map(|i| (k, i))) {
        Some((k, i)) => (&text[..i], k, &text[i + k.len()..]),
        None => (text, "", ""),
    };
    let target = &provinces[to];
    let list = if target.cities.is_empty() {
        &target.counties
    } else {
        &target.cities
    };
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (full, short) in places {
        if let Some(new) = list.get(rng.below(list.len().max(1))) {
            pairs.push((full.as_str(), new.full.clone()));
            if short != full && short.chars().count() >= 2 {
                pairs.push((short.as_str(), new.short.clone()));
            }
        }
    }
    let source = &provinces[from].place;
    pairs.push((source.full.as_str(), target.place.full.clone()));
    pairs.push((source.short.as_str(), target.place.short.clone()));
    let swap = |s: &str| -> String {
        let mut out = s.to_string();
        for (old, new) in &pairs {
            if out.contains(old) {
                out = out.replace(old, new);
            }
        }
        out
    };
    let mut out = swap(head);
    out.push_str(kept);
    if !tail.is_empty() {
        out.push_str(&swap(tail));
    }
    out
}

/// Move the first `M月D日` of the text to the event date.
fn redate(text: &str, event: NaiveDate) -> String {
    let Some(day) = text.find('日') else {
        return text.to_string();
    };
    let Some(month) = text[..day].rfind('月') else {
        return text.to_string();
    };
    let digits_start = text[..month]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ' ')
        .last()
        .map_or(month, |(i, _)| i);
    let between = &text[month + '月'.len_utf8()..day];
    if digits_start == month
        || !between.trim().chars().all(|c| c.is_ascii_digit())
        || between.trim().is_empty()
    {
        return text.to_string();
    }
    format!(
        "{}{}月{}{}",
        &text[..digits_start],
        event.format("%-m"),
        event.format("%-d"),
        &text[day..]
    )
}

/// Split into sentences, keeping the final punctuation.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '！' | '？' | '\n') {
            let end = i + c.len_utf8();
            let s = text[start..end].trim();
            if !s.is_empty() {
                out.push(&text[start..end]);
            }
            start = end;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(&text[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provinces() -> Vec<Province> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/divisions");
        load_provinces(&dir).unwrap()
    }

    #[test]
    fn provinces_and_short_names() {
        let p = provinces();
        assert_eq!(p.len(), 31);
        let js = p.iter().find(|p| p.place.full == "江苏省").unwrap();
        assert_eq!(js.place.short, "江苏");
        assert!(js.cities.iter().any(|c| c.short == "苏州"));
        let gx = p.iter().find(|p| p.place.full == "广西壮族自治区").unwrap();
        assert_eq!(gx.place.short, "广西");
    }

    #[test]
    fn redate_moves_the_first_date() {
        let d = NaiveDate::from_ymd_opt(2021, 3, 4).unwrap();
        assert_eq!(
            redate("10月21日，上海启用。11月1日", d),
            "3月4日，上海启用。11月1日"
        );
        assert_eq!(redate("10 月 21 日，上海", d), "3月4日，上海");
        assert_eq!(redate("近日，上海", d), "近日，上海");
    }

    #[test]
    fn generation_is_deterministic_and_reaches_the_size() {
        let pool = vec![Article {
            section: Some("经济热点".into()),
            title: "江苏启动科技创新券试点".into(),
            text: "近日，江苏省科技厅印发方案。苏州市率先试点。\n预计每年可为企业节省成本。".into(),
            ..Article::default()
        }];
        let p = provinces();
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = generate(&pool, &p, 20_000, 7, a.path()).unwrap();
        let sb = generate(&pool, &p, 20_000, 7, b.path()).unwrap();
        assert_eq!(sa, sb);
        assert!(sa.bytes >= 20_000);
        let first = std::fs::read(a.path().join("0000/synth_0000000.txt")).unwrap();
        assert_eq!(
            first,
            std::fs::read(b.path().join("0000/synth_0000000.txt")).unwrap()
        );
        let text = String::from_utf8(first).unwrap();
        assert!(text.contains("目 录"));
    }
}
