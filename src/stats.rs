//! Statistics from the journal and card states: per chapter cards, due,
//! retention over 30 days (the first answer of each card on each study
//! day, Hard or better counting as remembered), lapses, average ease, leeches and a weakness
//! score; reviews per day; a 30-day forecast of due cards.
//!
//! **Weakness** (0–1, higher = weaker) is the sum of 0.5 × (1 − retention
//! over 30 days), 0.3 × min(1, lapses per reviewed card) and
//! 0.2 × (2.5 − average EF) / 1.2. A chapter with no reviews in 30 days
//! counts retention 1 for this score.

use crate::deck::Card;
use crate::schedule::Settings;
use crate::store::journal::{Event, Mode};
use crate::store::replay;
use chrono::{Duration, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;

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

/// The first study day retention on `today` counts: `events` given to
/// [`chapters`] must hold every event from that day on (the journal's tail
/// from [`crate::store::Store::history_since`] will do).
pub fn retention_from(today: NaiveDate) -> NaiveDate {
    today - Duration::days(RETENTION_DAYS - 1)
}

/// Per-chapter statistics, weakest first. `events`: at least every event
/// from [`retention_from`] on, in journal order.
pub fn chapters(
    cards: &[Card],
    states: &crate::store::replay::States,
    events: &[Event],
    today: NaiveDate,
    settings: &Settings,
) -> Vec<ChapterStats> {
    let answers = first_answers_of_days(events, today, settings);
    // Chapters in the order first met, found by (deck, chapter).
    let mut slot: FxHashMap<(&str, &str), usize> = FxHashMap::default();
    let mut out: Vec<ChapterStats> = Vec::new();
    // Per chapter: sum of EF and number of reviewed cards; first answers
    // of a day in the window passed (q ≥ 3) and all of them.
    let mut ef_sum: Vec<(f64, usize)> = Vec::new();
    let mut pass: Vec<(usize, usize)> = Vec::new();
    for c in cards {
        let k = *slot.entry((&*c.deck, &*c.chapter)).or_insert_with(|| {
            out.push(ChapterStats {
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
            });
            ef_sum.push((0.0, 0));
            pass.push((0, 0));
            out.len() - 1
        });
        let e = &mut out[k];
        e.cards += 1;
        if let Some(s) = states.get(&*c.id.0) {
            if !s.is_new() {
                if s.due.is_some_and(|d| d <= today) && s.available(today) {
                    e.due += 1;
                }
                ef_sum[k].0 += s.sm2.ef;
                ef_sum[k].1 += 1;
            }
            e.lapses += s.lapses;
            if s.leech {
                e.leeches += 1;
            }
        }
        // The card's answers: side by side in the list sorted by card.
        let id = c.id.0.as_str();
        let from = answers.partition_point(|a| a.0 < id);
        for a in answers[from..].iter().take_while(|a| a.0 == id) {
            pass[k].1 += 1;
            if a.1 >= 3 {
                pass[k].0 += 1;
            }
        }
    }
    for (k, s) in out.iter_mut().enumerate() {
        let (ok, n) = pass[k];
        s.reviews_30d = n;
        s.retention_30d = (n > 0).then(|| ok as f64 / n as f64);
        let (sum, reviewed) = ef_sum[k];
        s.avg_ef = (reviewed > 0).then(|| sum / reviewed as f64);
        let lapse_rate = if reviewed > 0 {
            (f64::from(s.lapses) / reviewed as f64).min(1.0)
        } else {
            0.0
        };
        let ease = s
            .avg_ef
            .map_or(0.0, |ef| ((2.5 - ef) / 1.2).clamp(0.0, 1.0));
        s.weakness = 0.5 * (1.0 - s.retention_30d.unwrap_or(1.0)) + 0.3 * lapse_rate + 0.2 * ease;
    }
    out.sort_by(|a, b| {
        b.weakness
            .total_cmp(&a.weakness)
            .then_with(|| (&a.deck, &a.chapter).cmp(&(&b.deck, &b.chapter)))
    });
    out
}

/// The answers retention counts, as (card, grade), sorted by card: the
/// first answer of a card on each study day of the window (as Anki's
/// retention does: a card failed and repeated until Good in one session is
/// one failure, not a failure and a success), reviews and counted drills,
/// not undone.
fn first_answers_of_days<'a>(
    events: &'a [Event],
    today: NaiveDate,
    settings: &'a Settings,
) -> Vec<(&'a str, u8)> {
    let since = today - Duration::days(RETENTION_DAYS);
    let in_window = move |e: &Event| match e {
        Event::Review {
            at,
            mode: Mode::Normal | Mode::DrillCounted,
            ..
        } => {
            let day = settings.study_day(*at);
            since < day && day <= today
        }
        _ => false,
    };
    // By card, study day and time (a stable sort: the journal's order
    // among equal times); the first of each card and day counts.
    let mut answers: Vec<(&str, NaiveDate, chrono::DateTime<chrono::FixedOffset>, u8)> =
        replay::live_among(events, in_window)
            .filter_map(|e| match e {
                Event::Review {
                    card, at, grade, ..
                } => Some((card.as_str(), settings.study_day(*at), *at, *grade)),
                _ => None,
            })
            .collect();
    answers.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    answers.dedup_by(|later, first| (later.0, later.1) == (first.0, first.1));
    answers
        .into_iter()
        .map(|(card, _, _, grade)| (card, grade))
        .collect()
}

/// Cards due on each of the next [`FORECAST_DAYS`] days (day 0 includes overdue).
pub fn forecast(
    states: &crate::store::replay::States,
    today: NaiveDate,
) -> Vec<(NaiveDate, usize)> {
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

/// Answers per study day for the `days` days up to `today`, oldest first,
/// from the answers that count per day ([`crate::store::Store::answers_per_day`]).
pub fn reviews_per_day(
    answers: &BTreeMap<NaiveDate, u32>,
    today: NaiveDate,
    days: i64,
) -> Vec<(NaiveDate, usize)> {
    (0..days.max(0))
        .rev()
        .map(|back| {
            let day = today - Duration::days(back);
            (day, answers.get(&day).copied().unwrap_or(0) as usize)
        })
        .collect()
}

/// Days in a row, ending today or yesterday, with at least one answer that
/// counts.
pub fn streak(answers: &BTreeMap<NaiveDate, u32>, today: NaiveDate) -> usize {
    let answered = |d: NaiveDate| answers.get(&d).is_some_and(|n| *n > 0);
    let mut day = if answered(today) {
        today
    } else {
        today - Duration::days(1)
    };
    let mut n = 0;
    while answered(day) {
        n += 1;
        day -= Duration::days(1);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::CardId;
    use chrono::{DateTime, FixedOffset, TimeZone};

    /// 2026-03-`day` `hour`:00 in Seoul.
    fn at(day: u32, hour: u32) -> DateTime<FixedOffset> {
        crate::test_time::kst(3, day, hour)
    }

    fn today(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).expect("valid date")
    }

    fn review(id: &str, card: &str, when: DateTime<FixedOffset>, grade: u8, mode: Mode) -> Event {
        Event::Review {
            id: id.into(),
            card: card.into(),
            at: when,
            grade,
            mode,
            ms: 1000,
        }
    }

    fn undo(id: &str, of: &str, when: DateTime<FixedOffset>) -> Event {
        Event::Undo {
            id: id.into(),
            at: when,
            of: of.into(),
        }
    }

    fn card(id: &str, chapter: &str) -> Card {
        Card {
            id: CardId(id.into()),
            chapter: chapter.into(),
            chapter_title: format!("Chapter {chapter}").into(),
            ..Card::sample(&format!("{id}?"), "-")
        }
    }

    #[test]
    fn a_streak_counts_days_in_a_row_ending_today_or_yesterday() {
        let s = Settings::default();
        // Reviews on the 3rd, 5th, 6th and 7th (02:00 on the 8th is still
        // the 7th's study day); the 4th is a gap.
        let events = vec![
            review("a1", "a", at(3, 9), 4, Mode::Normal),
            review("a2", "a", at(5, 9), 4, Mode::Normal),
            review("a3", "a", at(6, 23), 1, Mode::Drill),
            review("a4", "a", at(8, 2), 4, Mode::Normal),
        ];
        let days = replay::answers_per_day(&events, &s);
        assert_eq!(streak(&days, today(7)), 3);
        // Nothing yet on the 8th: the streak up to yesterday still counts.
        assert_eq!(streak(&days, today(8)), 3);
        // Nothing on the 8th and the 9th: broken.
        assert_eq!(streak(&days, today(9)), 0);
        assert_eq!(streak(&BTreeMap::new(), today(5)), 0);
    }

    #[test]
    fn an_undone_review_counts_for_no_figure() {
        let s = Settings::default();
        let events = vec![
            review("a1", "a", at(6, 9), 4, Mode::Normal),
            review("a2", "a", at(7, 9), 1, Mode::Normal),
            undo("u1", "a2", at(7, 9)),
            review("a3", "a", at(7, 10), 4, Mode::Normal),
            review("b1", "b", at(7, 11), 1, Mode::Normal),
            undo("u2", "b1", at(7, 11)),
        ];
        let days = replay::answers_per_day(&events, &s);
        assert_eq!(streak(&days, today(7)), 2);
        let per_day = reviews_per_day(&days, today(7), 3);
        assert_eq!(per_day, vec![(today(5), 0), (today(6), 1), (today(7), 1)]);
        // Only b's review was on the 7th: without it, no streak reaches today.
        let only_b: Vec<Event> = events[4..].to_vec();
        assert_eq!(streak(&replay::answers_per_day(&only_b, &s), today(7)), 0);
        let rows = chapters(
            &[card("a", "01"), card("b", "02")],
            &Default::default(),
            &events,
            today(7),
            &s,
        );
        let by = |ch: &str| rows.iter().find(|r| r.chapter == ch).expect("chapter");
        assert_eq!(by("01").reviews_30d, 2);
        assert_eq!(by("01").retention_30d, Some(1.0));
        assert_eq!(by("02").reviews_30d, 0);
        assert_eq!(by("02").retention_30d, None);
    }

    #[test]
    fn retention_counts_the_last_thirty_study_days_of_normal_and_counted_reviews() {
        let s = Settings::default();
        let old = FixedOffset::east_opt(9 * 3600)
            .and_then(|tz| tz.with_ymd_and_hms(2026, 2, 5, 9, 0, 0).single())
            .expect("valid time");
        let events = vec![
            // 30 days before the 7th of March: outside the window.
            review("o", "a", old, 1, Mode::Normal),
            review("a1", "a", at(6, 9), 4, Mode::Normal),
            review("a2", "a", at(7, 9), 2, Mode::DrillCounted),
            // A drill that was not counted is not a review of the schedule.
            review("a3", "a", at(7, 10), 1, Mode::Drill),
            // After today: not counted.
            review("a4", "a", at(8, 9), 1, Mode::Normal),
            review("c1", "c", at(7, 9), 5, Mode::Normal),
        ];
        let cards = [card("a", "01"), card("b", "01"), card("c", "03")];
        let rows = chapters(&cards, &Default::default(), &events, today(7), &s);
        assert_eq!(rows.len(), 2);
        // Chapter 01 passed one of two: the weaker, listed first.
        assert_eq!(rows[0].chapter, "01");
        assert_eq!(rows[0].cards, 2);
        assert_eq!(rows[0].title, "Chapter 01");
        assert_eq!(rows[0].reviews_30d, 2);
        assert_eq!(rows[0].retention_30d, Some(0.5));
        assert!((rows[0].weakness - 0.25).abs() < 1e-9);
        assert_eq!(rows[1].chapter, "03");
        assert_eq!(rows[1].retention_30d, Some(1.0));
        assert_eq!(rows[1].weakness, 0.0);
    }
}
