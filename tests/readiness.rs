//! Lab readiness on a simulated learner: 3,000 cards in 15 chapters, a year
//! of daily reviews scheduled by SM-2, each answer drawn from the card's
//! true memory (a forgetting curve with its own stability, which grows on
//! each recall by an amount that depends on the card's difficulty and on
//! how hard the recall was, and falls on a lapse). The model is fitted on
//! the first 300 days and judged on the last 65: predicted recall, in bins,
//! against what the learner actually recalled. Then the drill set for a lab
//! tomorrow reaches 95 % with fewer cards than drilling in note order.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::deck::{Card, CardId, CardKind};
use bokseup::readiness;
use bokseup::schedule::Settings;
use bokseup::store::journal::{Event, Mode};
use bokseup::store::replay::{self, States};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use common::Dice;
use std::collections::HashMap;
use std::sync::Arc;

const CARDS: usize = 3000;
const DAYS: i64 = 365;

/// The learner's true memory of a card (unknown to the model).
#[derive(Clone, Copy)]
struct Truth {
    /// 0.6 (easy) … 1.8 (hard).
    difficulty: f64,
    /// Days until recall falls to 90 % (an exponential curve, not the
    /// model's power curve).
    stability: f64,
    last: Option<DateTime<FixedOffset>>,
}

impl Truth {
    fn recall(&self, at: DateTime<FixedOffset>) -> f64 {
        match self.last {
            None => 0.0,
            Some(last) => {
                let days = (at - last).num_seconds() as f64 / 86_400.0;
                0.9f64.powf(days / self.stability)
            }
        }
    }

    fn answered(&mut self, at: DateTime<FixedOffset>, recalled: bool, r: f64) {
        if self.last.is_none() {
            self.stability = 0.8 / self.difficulty;
        } else if recalled {
            self.stability *= 1.0 + (1.2 + 2.5 * (1.0 - r)) / self.difficulty;
        } else {
            self.stability = (self.stability * 0.25).max(0.4);
        }
        self.last = Some(at);
    }
}

fn start() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .unwrap()
}

fn card_id(i: usize) -> String {
    format!("c{i:04}")
}

/// A year of reviews: events, and (at each review) the true recall.
fn simulate(dice: &mut Dice) -> (Vec<Event>, HashMap<String, Truth>) {
    let settings = Settings::default();
    let mut truths: HashMap<String, Truth> = (0..CARDS)
        .map(|i| {
            let t = Truth {
                difficulty: 0.6 + 1.2 * dice.unit(),
                stability: 1.0,
                last: None,
            };
            (card_id(i), t)
        })
        .collect();
    let mut states = States::default();
    let mut events = Vec::new();
    let mut introduced = 0;
    let mut n = 0u64;
    for day in 0..DAYS {
        let morning =
            start() + Duration::days(day) + Duration::minutes((dice.unit() * 120.0) as i64);
        let today = settings.study_day(morning);
        let mut todo: Vec<String> = states
            .iter()
            .filter(|(_, s)| s.due.is_some_and(|d| d <= today))
            .map(|(id, _)| id.to_string())
            .collect();
        todo.sort();
        for _ in 0..10 {
            if introduced < CARDS {
                todo.push(card_id(introduced));
                introduced += 1;
            }
        }
        let mut at = morning;
        let mut again = Vec::new();
        for (round, list) in [todo, Vec::new()].into_iter().enumerate() {
            let list = if round == 0 {
                list
            } else {
                std::mem::take(&mut again)
            };
            for id in list {
                at += Duration::seconds(20);
                let truth = truths.get_mut(&id).unwrap();
                let r = truth.recall(at);
                let recalled = if truth.last.is_none() {
                    dice.unit() < 0.5
                } else {
                    dice.unit() < r
                };
                let grade = match (recalled, r) {
                    (false, _) => 1,
                    (true, r) if r < 0.75 => 3,
                    (true, r) if r > 0.97 => 5,
                    _ => 4,
                };
                truth.answered(at, recalled, r);
                n += 1;
                let e = Event::Review {
                    id: format!("e{n:07}").into(),
                    card: id.as_str().into(),
                    at,
                    grade,
                    mode: Mode::Normal,
                    ms: 3000,
                };
                replay::apply(&mut states, &e, &settings);
                events.push(e);
                if !recalled && round == 0 {
                    again.push(id);
                }
            }
            at += Duration::minutes(30);
        }
    }
    (events, truths)
}

fn cards() -> Vec<Card> {
    (0..CARDS)
        .map(|i| Card {
            id: CardId(card_id(i).into()),
            deck: "course".into(),
            chapter: format!("{:02}", i % 15 + 1).into(),
            chapter_title: format!("chapter {}", i % 15 + 1).into(),
            section: Arc::new([]),
            kind: CardKind::Qa,
            question: format!("question {i}"),
            answer: String::new(),
            sources: Default::default(),
            tags: Vec::new(),
        })
        .collect()
}

#[test]
fn predicted_recall_is_calibrated_and_the_drill_set_beats_note_order() {
    let settings = Settings::default();
    let mut dice = Dice(0x2026_1203_0009_0001);
    let (events, truths) = simulate(&mut dice);
    let cut = start() + Duration::days(300);
    let (train, test): (Vec<Event>, Vec<Event>) =
        events.iter().cloned().partition(|e| e.at() < cut);
    let curve = readiness::fit(&readiness::memory(&train, &settings).samples);
    assert!(curve.samples >= 1000, "{curve:?}");
    // Judge on the reviews after day 300, each predicted from the history
    // before it (the model's figures for the whole year, the samples after
    // the cut).
    let all = readiness::memory(&events, &settings);
    let after = all.samples_seen - readiness::memory(&train, &settings).samples_seen;
    assert!(
        after <= all.samples.len(),
        "the kept samples hold those after the cut"
    );
    let judged = &all.samples[all.samples.len() - after..];
    assert!(!test.is_empty() && judged.len() > 1500, "{}", judged.len());
    let mut bins: Vec<(f64, f64, usize)> = vec![(0.0, 0.0, 0); 10];
    for s in judged {
        let p = curve.recall(s.days, s.interval);
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += p;
        bins[b].1 += f64::from(u8::from(s.recalled));
        bins[b].2 += 1;
    }
    let mut table = String::from("predicted bin | mean predicted | observed | reviews\n");
    let mut checked = 0;
    for (b, (p, o, n)) in bins.iter().enumerate() {
        if *n == 0 {
            continue;
        }
        let (mp, mo) = (p / *n as f64, o / *n as f64);
        table.push_str(&format!(
            "{}-{}% | {:.1}% | {:.1}% | {n}\n",
            b * 10,
            b * 10 + 10,
            mp * 100.0,
            mo * 100.0
        ));
        if *n >= 100 {
            checked += 1;
            assert!(
                (mp - mo).abs() <= 0.05,
                "bin {b}: predicted {mp:.3}, observed {mo:.3}\n{table}"
            );
        }
    }
    println!(
        "fitted k = {:.3}, p = {:.3} on {} reviews\n{table}",
        curve.k, curve.p, curve.samples
    );
    assert!(checked >= 2, "too few bins with enough reviews\n{table}");

    // The model against the truth at the end of the year, per chapter.
    let states = replay::replay(&events, &settings);
    let cards = cards();
    // Three weeks without a review, then a lab tomorrow morning.
    let now = start() + Duration::days(DAYS + 21) + Duration::hours(3);
    let lab = now + Duration::hours(21);
    let fitted = readiness::fit(&all.samples);
    let rows = readiness::chapters(&cards, &states, &all, &fitted, now, lab);
    assert_eq!(rows.len(), 15);
    for r in &rows {
        let ids: Vec<&Card> = cards.iter().filter(|c| *c.chapter == *r.chapter).collect();
        let truth: f64 = ids
            .iter()
            .map(|c| truths[c.id.0.as_str()].recall(lab))
            .sum::<f64>()
            / ids.len() as f64;
        assert!(
            (r.at - truth).abs() < 0.08,
            "chapter {}: predicted {:.3}, true {truth:.3}",
            r.chapter,
            r.at
        );
    }
    // Drilling the chosen set versus drilling in note order, to 95 % (the
    // chapters stand above 90 % already).
    let mut fewer = 0;
    let mut total_chosen = 0;
    let mut total_note_order = 0;
    for r in &rows {
        let rec = readiness::chapter_recall(
            &cards, &states, &all, &fitted, "course", &r.chapter, now, lab,
        );
        let chosen = readiness::drill_set(&rec.cards, &rec.at, &rec.after_drill, 0.95).unwrap();
        // Note order: the chapter's cards as they stand, until 95 % is reached.
        let mut sum: f64 = rec.at.iter().sum();
        let need = 0.95 * rec.cards.len() as f64;
        let mut note_order = 0;
        for k in 0..rec.cards.len() {
            if sum >= need {
                break;
            }
            sum += rec.after_drill[k] - rec.at[k];
            note_order += 1;
        }
        // The chosen set really reaches the target.
        let mut after: f64 = rec.at.iter().sum();
        for (k, i) in rec.cards.iter().enumerate() {
            if chosen.contains(i) {
                after += rec.after_drill[k] - rec.at[k];
            }
        }
        assert!(after >= need - 1e-9);
        assert!(chosen.len() <= note_order);
        fewer += usize::from(chosen.len() < note_order);
        total_chosen += chosen.len();
        total_note_order += note_order;
        assert_eq!(Some(&chosen), r.drill_95.as_ref());
    }
    println!(
        "to 95 % by tomorrow: {total_chosen} cards drilled as chosen, {total_note_order} in note order (15 chapters, fewer in {fewer})"
    );
    assert!(fewer >= 10, "{fewer}");
}
