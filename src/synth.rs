//! Synthetic corpora for benchmarks: bulletins recombined from real ones.
//!
//! Measuring throughput, memory and the copying detector on one sample
//! repeated would measure caches and duplicate handling, not the tool. So
//! every generated bulletin is new: a fresh header and date, articles drawn
//! from the sample pool with their place names moved to another province
//! (province, its cities), a share of their sentences swapped for sentences
//! of other articles of the same section, event dates moved next to the new
//! bulletin date, and some files saved as GBK or with CRLF line ends. Output
//! is a pure function of the seed and the size.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use chrono::{Duration, NaiveDate};

use crate::record::Article;

/// A division name in its full and short forms (`江苏省`, `江苏`).
#[derive(Debug, Clone)]
pub struct Place {
    pub full: String,
    pub short: String,
}

/// A province and its prefecture-level cities.
#[derive(Debug, Clone)]
pub struct Province {
    pub place: Place,
    pub cities: Vec<Place>,
}

/// What a generator run wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub files: usize,
    pub articles: usize,
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
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect()).map_err(io::Error::other))
            .collect()
    };
    let mut provinces: Vec<(String, Province)> = read("provinces.csv")?
        .into_iter()
        .map(|row| (row[0].clone(), Province { place: place(&row[1]), cities: Vec::new() }))
        .collect();
    for row in read("cities.csv")? {
        if row[1] == "市辖区" || row[1] == "县" || row[1].contains("直辖") {
            continue;
        }
        if let Some((_, p)) = provinces.iter_mut().find(|(code, _)| *code == row[2]) {
            p.cities.push(place(&row[1]));
        }
    }
    Ok(provinces.into_iter().map(|(_, p)| p).collect())
}

fn place(full: &str) -> Place {
    let mut short = full.to_string();
    for suffix in ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"] {
        if let Some(s) = full.strip_suffix(suffix) {
            if s.chars().count() >= 2 {
                short = s.to_string();
                break;
            }
        }
    }
    Place { full: full.to_string(), short }
}

/// One sample article cut into sentences.
struct Source<'a> {
    article: &'a Article,
    sentences: Vec<&'a str>,
    /// Index of the province it is about, if its title names one.
    province: Option<usize>,
}

/// Generate bulletins into `out` until about `target_bytes` are written.
pub fn generate(pool: &[Article], provinces: &[Province], target_bytes: u64, seed: u64, out: &Path) -> io::Result<Stats> {
    if pool.is_empty() || provinces.is_empty() {
        return Err(io::Error::other("the sample pool and the province table must not be empty"));
    }
    let sources: Vec<Source<'_>> = pool
        .iter()
        .map(|a| Source {
            article: a,
            sentences: sentences(&a.text),
            province: provinces.iter().position(|p| a.title.contains(&p.place.short)),
        })
        .collect();
    let mut sections: Vec<&str> = pool.iter().filter_map(|a| a.section.as_deref()).collect();
    sections.sort_unstable();
    sections.dedup();

    let mut rng = Rng::new(seed);
    let mut stats = Stats::default();
    let start = NaiveDate::from_ymd_opt(2015, 1, 2).unwrap_or_default();
    while stats.bytes < target_bytes {
        let n = stats.files;
        let date = start + Duration::days(7 * (n as i64 % 520) + (n as i64 / 520) % 7);
        let text = bulletin(&sources, &sections, provinces, date, n, &mut rng, &mut stats);
        let bytes: Vec<u8> = match n % 10 {
            3 => encoding_rs::GBK.encode(&text).0.into_owned(),
            7 => text.replace('\n', "\r\n").into_bytes(),
            _ => text.into_bytes(),
        };
        let dir = out.join(format!("{:04}", n / 1000));
        if n % 1000 == 0 {
            std::fs::create_dir_all(&dir)?;
        }
        let mut file = io::BufWriter::new(std::fs::File::create(dir.join(format!("synth_{n:07}.txt")))?);
        file.write_all(&bytes)?;
        file.flush()?;
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
    }
    Ok(stats)
}

/// One bulletin: header, contents, sections and articles.
fn bulletin(
    sources: &[Source<'_>],
    sections: &[&str],
    provinces: &[Province],
    date: NaiveDate,
    n: usize,
    rng: &mut Rng,
    stats: &mut Stats,
) -> String {
    const MASTHEADS: [&str; 4] = ["长三角每周要讯", "长三角改革动态", "区域合作简报", "政策信息快报"];
    let office = &provinces[rng.below(provinces.len())].place.full;
    let count = 12 + rng.below(11);
    // Distinct sample articles: a bulletin does not print one story twice.
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    while picked.len() < count.min(sources.len()) {
        let i = rng.below(sources.len());
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    let mut articles: Vec<(String, String, String)> =
        picked.iter().map(|&i| article(&sources[i], sources, sections, provinces, date, rng)).collect();
    articles.sort_by(|a, b| sections.iter().position(|s| *s == a.0).cmp(&sections.iter().position(|s| *s == b.0)));
    stats.articles += articles.len();

    let mut out = String::new();
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
    for (page, (section, title, _)) in articles.iter().enumerate() {
        if section != last_section {
            let _ = write!(out, "{section}\n\n");
            last_section = section;
        }
        let _ = write!(out, "{title} {}\n\n", 3 + page);
    }
    last_section = "";
    for (section, title, body) in &articles {
        if section != last_section {
            let _ = write!(out, "{section}\n\n");
            last_section = section;
        }
        let _ = write!(out, "{title}\n\n{body}\n\n");
    }
    out
}

/// One article: a sample article moved to another province, with some of
/// its sentences swapped for sentences of the same section.
fn article(
    base: &Source<'_>,
    sources: &[Source<'_>],
    sections: &[&str],
    provinces: &[Province],
    date: NaiveDate,
    rng: &mut Rng,
) -> (String, String, String) {
    let section = base.article.section.as_deref().unwrap_or_else(|| sections.first().copied().unwrap_or("综合"));
    let same_section: Vec<&Source<'_>> =
        sources.iter().filter(|s| s.article.section.as_deref() == Some(section) && !s.sentences.is_empty()).collect();
    let target = &provinces[rng.below(provinces.len())];
    let from = base.province.map(|i| &provinces[i]);

    let mut body = String::new();
    for (i, sentence) in base.sentences.iter().enumerate() {
        let sentence = if i > 0 && rng.chance(30) && !same_section.is_empty() {
            let other = same_section[rng.below(same_section.len())];
            other.sentences[rng.below(other.sentences.len())]
        } else {
            sentence
        };
        body.push_str(sentence);
        if rng.chance(25) {
            body.push_str("\n\n");
        }
    }
    let mut title = base.article.title.clone();
    if let Some(from) = from {
        title = relocate(&title, from, target, rng);
        body = relocate(&body, from, target, rng);
    }
    let event = date - Duration::days(1 + rng.below(10) as i64);
    let body = redate(&body, event);
    (section.to_string(), title, body)
}

/// Move a text from one province to another: full names, then short names,
/// then the province's cities to random cities of the target.
fn relocate(text: &str, from: &Province, to: &Province, rng: &mut Rng) -> String {
    let mut out = text.replace(&from.place.full, &to.place.full).replace(&from.place.short, &to.place.short);
    for city in &from.cities {
        if out.contains(&city.short) && !to.cities.is_empty() {
            let new = &to.cities[rng.below(to.cities.len())];
            out = out.replace(&city.full, &new.full).replace(&city.short, &new.short);
        }
    }
    out
}

/// Move the first `M月D日` of the text to the event date.
fn redate(text: &str, event: NaiveDate) -> String {
    let Some(day) = text.find('日') else { return text.to_string() };
    let Some(month) = text[..day].rfind('月') else { return text.to_string() };
    let digits_start = text[..month]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == ' ')
        .last()
        .map_or(month, |(i, _)| i);
    let between = &text[month + '月'.len_utf8()..day];
    if digits_start == month || !between.trim().chars().all(|c| c.is_ascii_digit()) || between.trim().is_empty() {
        return text.to_string();
    }
    format!("{}{}月{}{}", &text[..digits_start], event.format("%-m"), event.format("%-d"), &text[day..])
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
        assert_eq!(redate("10月21日，上海启用。11月1日", d), "3月4日，上海启用。11月1日");
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
        assert_eq!(first, std::fs::read(b.path().join("0000/synth_0000000.txt")).unwrap());
        let text = String::from_utf8(first).unwrap();
        assert!(text.contains("目 录"));
    }
}
