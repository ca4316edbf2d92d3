//! Statistics from the journal and card states: per chapter cards, due,
//! retention over 30 days, lapses, average ease, leeches and a weakness
//! score; reviews per day; a 30-day forecast of due cards.
//!
//! **Weakness** (0–1, higher = weaker) is the sum of 0.5 × (1 − retention
//! over 30 days), 0.3 × min(1, lapses per reviewed card) and
//! 0.2 × (2.5 − average EF) / 1.2. A chapter with no reviews in 30 days
//! counts retention 1 for this score.

use crate::deck::Card;
use crate::schedule::{CardState, Settings};
use crate::store::journal::{Event, Mode};
use crate::store::replay;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Days of history in retention.
pub const RETENTION_DAYS: i64 = 30;
/// Days in the forecast.
pub const FORECAST_DAYS: i64 = 30;

/// One chapter's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterStats {
    /// Deck.
    pub deck: String,
    /// Chapter id.
    pub chapter: String,
    /// Chapter title.
    pub title: String,
    /// Cards.
    pub cards: usize,
    /// Cards due today or overdue (reviewed cards only).
    pub due: usize,
    /// Share of normal reviews in the last 30 days answered Hard or better (q ≥ 3); `None` without reviews.
    pub retention_30d: Option<f64>,
    /// Reviews in the last 30 days.
    pub reviews_30d: usize,
    /// Lapses of all its cards.
    pub lapses: u32,
    /// Average EF of reviewed cards (`None` if none reviewed).
    pub avg_ef: Option<f64>,
    /// Leech cards.
    pub leeches: usize,
    /// Weakness score (see the module doc).
    pub weakness: f64,
}

/// Per-chapter statistics, weakest first.
pub fn chapters(
    cards: &[Card],
    states: &HashMap<String, CardState>,
    events: &[Event],
    today: NaiveDate,
    settings: &Settings,
) -> Vec<ChapterStats> {
    let mut chapter_of: HashMap<&str, (&str, &str)> = HashMap::new();
    let mut order: Vec<(String, String, String)> = Vec::new();
    let mut acc: BTreeMap<(String, String), ChapterStats> = BTreeMap::new();
    let mut ef_sum: BTreeMap<(String, String), (f64, usize)> = BTreeMap::new();
    let mut pass: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for c in cards {
        chapter_of.insert(&c.id.0, (&c.deck, &c.chapter));
        let key = (c.deck.to_string(), c.chapter.to_string());
        let e = acc.entry(key.clone()).or_insert_with(|| {
            order.push((
                c.deck.to_string(),
                c.chapter.to_string(),
                c.chapter_title.to_string(),
            ));
            ChapterStats {
                deck: c.deck.to_string(),
                chapter: c.chapter.to_string(),
                title: c.chapter_title.to_string(),
                cards: 0,
                due: 0,
                retention_30d: None,
                reviews_30d: 0,
                lapses: 0,
                avg_ef: None,
                leeches: 0,
                weakness: 0.0,
            }
        });
        e.cards += 1;
        if let Some(s) = states.get(c.id.0.as_str()) {
            if !s.is_new() {
                if s.due.is_some_and(|d| d <= today) && s.available(today) {
                    e.due += 1;
                }
                let f = ef_sum.entry(key.clone()).or_default();
                f.0 += s.sm2.ef;
                f.1 += 1;
            }
            e.lapses += s.lapses;
            if s.leech {
                e.leeches += 1;
            }
        }
    }
    let since = today - Duration::days(RETENTION_DAYS);
    for e in replay::effective(events) {
        if let Event::Review {
            card,
            at,
            grade,
            mode: Mode::Normal | Mode::DrillCounted,
            ..
        } = e
        {
            let day = settings.study_day(*at);
            if day <= since || day > today {
                continue;
            }
            if let Some((deck, ch)) = chapter_of.get(card.as_str()) {
                let p = pass.entry((deck.to_string(), ch.to_string())).or_default();
                p.1 += 1;
                if *grade >= 3 {
                    p.0 += 1;
                }
            }
        }
    }
    let mut out: Vec<ChapterStats> = acc
        .into_iter()
        .map(|(key, mut s)| {
            if let Some((ok, n)) = pass.get(&key) {
                s.reviews_30d = *n;
                s.retention_30d = (*n > 0).then(|| *ok as f64 / *n as f64);
            }
            let reviewed = ef_sum.get(&key).map_or(0, |f| f.1);
            s.avg_ef = ef_sum
                .get(&key)
                .and_then(|(sum, n)| (*n > 0).then(|| sum / *n as f64));
            let lapse_rate = if reviewed > 0 {
                (f64::from(s.lapses) / reviewed as f64).min(1.0)
            } else {
                0.0
            };
            let ease = s
                .avg_ef
                .map_or(0.0, |ef| ((2.5 - ef) / 1.2).clamp(0.0, 1.0));
            s.weakness =
                0.5 * (1.0 - s.retention_30d.unwrap_or(1.0)) + 0.3 * lapse_rate + 0.2 * ease;
            s
        })
        .collect();
    out.sort_by(|a, b| {
        b.weakness
            .total_cmp(&a.weakness)
            .then_with(|| (&a.deck, &a.chapter).cmp(&(&b.deck, &b.chapter)))
    });
    out
}

/// Cards due on each of the next [`FORECAST_DAYS`] days (day 0 includes overdue).
pub fn forecast(states: &HashMap<String, CardState>, today: NaiveDate) -> Vec<(NaiveDate, usize)> {
    let mut counts = vec![0usize; FORECAST_DAYS as usize];
    for s in states.values() {
        if s.suspended {
            continue;
        }
        if let Some(d) = s.due {
            let k = (d - today).num_days().max(0);
            if k < FORECAST_DAYS {
                counts[k as usize] += 1;
            }
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(k, n)| (today + Duration::days(k as i64), n))
        .collect()
}

/// Reviews (normal and drill) per study day over the last `days` days, oldest first.
pub fn reviews_per_day(
    events: &[Event],
    today: NaiveDate,
    days: i64,
    settings: &Settings,
) -> Vec<(NaiveDate, usize)> {
    let mut counts = vec![0usize; days.max(0) as usize];
    for e in replay::effective(events) {
        if let Event::Review { at, .. } = e {
            let back = (today - settings.study_day(*at)).num_days();
            if (0..days).contains(&back) {
                counts[(days - 1 - back) as usize] += 1;
            }
        }
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(k, n)| (today - Duration::days(days - 1 - k as i64), n))
        .collect()
}

/// Days in a row, ending today or yesterday, with at least one review.
pub fn streak(events: &[Event], today: NaiveDate, settings: &Settings) -> usize {
    let days: std::collections::HashSet<NaiveDate> = replay::effective(events)
        .into_iter()
        .filter(|e| matches!(e, Event::Review { .. }))
        .map(|e| settings.study_day(e.at()))
        .collect();
    let mut d = if days.contains(&today) {
        today
    } else {
        today - Duration::days(1)
    };
    let mut n = 0;
    while days.contains(&d) {
        n += 1;
        d -= Duration::days(1);
    }
    n
}
