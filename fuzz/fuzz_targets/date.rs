//! The event-date resolver (`extract::date::event_date`, `find_dates`,
//! `resolve`, `calendar::parse_line`) on arbitrary title, body and bulletin date:
//! no panic, no hang (overflowing years, day 31 of a 30-day month, 2月29日).
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use policygraph::extract::date;
use policygraph::record::Field;

fuzz_target!(|data: &[u8]| {
    // Bytes 0..4: the bulletin date (absent when byte 0 is even); the rest:
    // title, a line feed, body.
    if data.len() < 4 {
        return;
    }
    let bulletin = (data[0] % 2 == 1)
        .then(|| {
            let year = if data[0] & 0x80 != 0 { i32::from(data[1]) * 1000 } else { 1990 + i32::from(data[1] % 60) };
            NaiveDate::from_ymd_opt(year, u32::from(data[2] % 12) + 1, u32::from(data[3] % 31) + 1)
        })
        .flatten();
    let text = String::from_utf8_lossy(&data[4..]);
    let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
    let _ = date::event_date(title, body, bulletin);
    let chars = body.chars().count();
    for m in date::find_dates(body, Field::Text) {
        assert!(m.span.start <= m.span.end && m.span.end <= chars, "span {:?} outside {chars} chars", m.span);
        assert!((1..=12).contains(&m.month) && (1..=31).contains(&m.day), "{m:?}");
        let _ = date::resolve(&m, bulletin);
    }
    let _ = policygraph::calendar::parse_line(title);
});
