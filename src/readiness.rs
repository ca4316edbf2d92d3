//! "Am I ready for tomorrow's lab?" — the share of a chapter's cards the
//! learner would recall at a given time, and the fewest cards to drill to
//! reach a target.
//!
//! SM-2 stays the scheduler; this is a memory model beside it. Recall after
//! `t` days follows the power forgetting curve FSRS uses,
//! `R(t) = (1 + F·t/S)^C` with `F = 19/81`, `C = −0.5`, so that `S` is the
//! time at which recall falls to 90 %. A card's stability `S` comes from
//! its SM-2 interval `I` (the scheduler's own estimate of how long the
//! card holds): `S = k · I^p`. The two numbers `k` and `p` are fitted to
//! the learner's own reviews (maximum likelihood over every review that
//! followed an earlier one: the time since it, the interval the card had,
//! remembered or not); with fewer than [`MIN_SAMPLES`] such reviews, `k =
//! p = 1` (SM-2's intervals taken at their word: 90 % at the due day).
//!
//! Why not the FSRS model itself (the `fsrs` crate Anki uses): it needs a
//! machine-learning framework to build and its per-card memory states
//! depend on FSRS's own 19–21 weights, trained on Anki's review logs; a
//! learner of this app has a few thousand reviews of SM-2-scheduled cards.
//! Two numbers fitted to those reviews are what they can support, and the
//! calibration test (tests/readiness.rs) checks the result against
//! outcomes on a simulated learner. Cards never reviewed count as not
//! known (recall 0).

use crate::deck::Card;
use crate::schedule::{CardState, Settings};
use crate::store::journal::Event;
use crate::store::replay::{self, States};
use chrono::{DateTime, FixedOffset};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;
use std::collections::BTreeMap;

mod fit;
pub use fit::fit;

/// FSRS's curve constants: `R = (1 + F·t/S)^C`, `R(S) = 0.9`.
const F: f64 = 19.0 / 81.0;
const C: f64 = -0.5;

/// Fewer reviews than this: the curve is not fitted.
pub const MIN_SAMPLES: usize = 50;

/// At most this many (the latest) reviews are used to fit.
pub const MAX_SAMPLES: usize = 20_000;

/// The fitted memory model: stability `S = k · interval^p` days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curve {
    pub k: f64,
    pub p: f64,
    /// Reviews it was fitted on (0: not fitted).
    pub samples: usize,
}

impl Default for Curve {
    fn default() -> Self {
        Curve {
            k: 1.0,
            p: 1.0,
            samples: 0,
        }
    }
}

impl Curve {
    /// Stability of a card with SM-2 interval `interval` days.
    pub fn stability(&self, interval: f64) -> f64 {
        self.k * interval.max(1.0).powf(self.p)
    }

    /// Recall `days` after the last review of a card with interval `interval`.
    pub fn recall(&self, days: f64, interval: f64) -> f64 {
        (1.0 + F * days.max(0.0) / self.stability(interval)).powf(C)
    }
}

/// One review that followed an earlier one: what the model is fitted on.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// Days since the card's previous review.
    pub days: f64,
    /// The card's SM-2 interval then.
    pub interval: f64,
    /// Remembered (Hard or better).
    pub recalled: bool,
}

/// Each card's last review and the reviews to fit the curve on: what the
/// model reads. Derived from the journal like the card states, and kept
/// with them (the store brings it up to date event by event and keeps it
/// in its cache), so readiness never needs the whole history read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Memory {
    /// Card id → time of its last answer (any mode: a drill is a recall too).
    pub last: FxHashMap<SmolStr, DateTime<FixedOffset>>,
    /// Reviews to fit on, oldest first: at least the latest [`MAX_SAMPLES`]
    /// (at most twice as many: the older are let go in one go).
    pub samples: Vec<Sample>,
    /// How many such reviews the history holds (kept or not).
    pub samples_seen: usize,
}

impl Memory {
    /// Take in event `e`, given the card states just before it (the
    /// event is applied to them after): an answer is its card's last
    /// review, and a sample when it is the first of its study day after an
    /// earlier answer. Returns the sample it added.
    pub fn note(&mut self, e: &Event, states: &States, settings: &Settings) -> Option<Sample> {
        let Event::Review {
            card, at, grade, ..
        } = e
        else {
            return None;
        };
        let mut added = None;
        if let Some(prev) = self.last.get(card.as_str())
            && settings.study_day(*prev) != settings.study_day(*at)
        {
            let interval = states
                .get(card.as_str())
                .map_or(1, |s| s.scheduled_days.max(1));
            let sample = Sample {
                days: (*at - *prev).num_seconds() as f64 / 86_400.0,
                interval: interval as f64,
                recalled: *grade >= 3,
            };
            self.samples_seen += 1;
            self.samples.push(sample);
            added = Some(sample);
        }
        self.last.insert(card.clone(), *at);
        // Only the latest are fitted on: the older are let go on the way
        // (a year of reviews would hold a million).
        if self.samples.len() == 2 * MAX_SAMPLES {
            self.samples.drain(..MAX_SAMPLES);
        }
        added
    }

    /// Take back what [`Memory::note`] did for an answer of `card` now
    /// undone: the card's last answer is `last` (the latest still
    /// standing; none when none is), and the sample the answer added, if
    /// given, is taken out.
    pub fn forget(
        &mut self,
        card: &str,
        last: Option<DateTime<FixedOffset>>,
        sample: Option<Sample>,
    ) {
        match last {
            Some(at) => self.last.insert(card.into(), at),
            None => self.last.remove(card),
        };
        if let Some(s) = sample
            && let Some(k) = self.samples.iter().rposition(|kept| *kept == s)
        {
            self.samples.remove(k);
            self.samples_seen = self.samples_seen.saturating_sub(1);
        }
    }
}

/// Walk the journal once in replay order: every card's state (as
/// [`replay::replay`] gives them) and the memory model.
pub fn replay_with_memory(events: &[Event], settings: &Settings) -> (States, Memory) {
    let mut states = States::default();
    let mut memory = Memory::default();
    for e in replay::effective(events) {
        memory.note(e, &states, settings);
        replay::apply(&mut states, e, settings);
    }
    (states, memory)
}

/// The memory model of a journal, with the latest [`MAX_SAMPLES`] samples.
pub fn memory(events: &[Event], settings: &Settings) -> Memory {
    let mut out = replay_with_memory(events, settings).1;
    let older = out.samples.len().saturating_sub(MAX_SAMPLES);
    out.samples.drain(..older);
    out
}

/// A card's recall at `at`, from its last answer (`last`) and state (0 for
/// a card never answered).
pub fn card_recall(
    curve: &Curve,
    last: Option<&DateTime<FixedOffset>>,
    state: Option<&CardState>,
    at: DateTime<FixedOffset>,
) -> f64 {
    match (last, state) {
        (Some(last), Some(s)) => {
            let days = (at - *last).num_seconds() as f64 / 86_400.0;
            curve.recall(days, s.scheduled_days.max(1) as f64)
        }
        _ => 0.0,
    }
}

/// Recall at `at` of a card drilled (answered correctly) at `now`: a fresh
/// review with an interval of at least a day.
pub fn recall_after_drill(
    curve: &Curve,
    state: Option<&CardState>,
    now: DateTime<FixedOffset>,
    at: DateTime<FixedOffset>,
) -> f64 {
    let days = (at - now).num_seconds() as f64 / 86_400.0;
    curve.recall(days, state.map_or(1, |s| s.scheduled_days.max(1)) as f64)
}

/// One chapter's readiness.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterReadiness {
    pub deck: String,
    pub chapter: String,
    pub title: String,
    /// Cards (suspended ones left out).
    pub cards: usize,
    /// Predicted share recalled now and at the chosen time, 0–1.
    pub now: f64,
    pub at: f64,
    /// The fewest cards to drill now for 90 % / 95 % at the chosen time,
    /// as indices into the cards, most gain first (`None`: not reachable
    /// by drilling now).
    pub drill_90: Option<Vec<usize>>,
    pub drill_95: Option<Vec<usize>>,
    /// The most drilling now can reach at the chosen time, 0–1: every card
    /// whose recall then it raises drilled (`drill_all`, most gain first).
    pub best: f64,
    pub drill_all: Vec<usize>,
}

/// The cards to drill now so the chapter's mean recall at `at` reaches
/// `target`, fewest first: the cards whose drill gains the most. `None`
/// when even drilling all of them falls short.
pub fn drill_set(
    cards: &[usize],
    recall_at: &[f64],
    after_drill: &[f64],
    target: f64,
) -> Option<Vec<usize>> {
    fewest(
        cards,
        recall_at,
        after_drill,
        &by_gain(recall_at, after_drill),
        target,
    )
}

/// [`drill_set`], with the cards' order by gain ([`by_gain`]) given.
fn fewest(
    cards: &[usize],
    recall_at: &[f64],
    after_drill: &[f64],
    by_gain: &[usize],
    target: f64,
) -> Option<Vec<usize>> {
    let n = cards.len();
    if n == 0 {
        return Some(Vec::new());
    }
    let mut sum: f64 = recall_at.iter().sum();
    let need = target * n as f64;
    let mut chosen = Vec::new();
    for &i in by_gain {
        if sum >= need - 1e-9 {
            return Some(chosen);
        }
        sum += after_drill[i] - recall_at[i];
        chosen.push(cards[i]);
    }
    (sum >= need - 1e-9).then_some(chosen)
}

/// The cards a drill now would raise at the lab (positions in
/// `recall_at`), most gain first.
fn by_gain(recall_at: &[f64], after_drill: &[f64]) -> Vec<usize> {
    let gain = |i: usize| after_drill[i] - recall_at[i];
    let mut order: Vec<usize> = (0..recall_at.len()).filter(|&i| gain(i) > 0.0).collect();
    order.sort_by(|&a, &b| gain(b).total_cmp(&gain(a)).then(a.cmp(&b)));
    order
}

/// What a chapter's cards would recall: at `at` as they are, and at `at`
/// if drilled at `now` (indices into `cards`, suspended cards left out).
pub struct ChapterRecall {
    pub cards: Vec<usize>,
    pub now: Vec<f64>,
    pub at: Vec<f64>,
    pub after_drill: Vec<f64>,
}

/// Recall figures of the cards of (`deck`, `chapter`).
#[allow(clippy::too_many_arguments)]
pub fn chapter_recall(
    cards: &[Card],
    states: &States,
    memory: &Memory,
    curve: &Curve,
    deck: &str,
    chapter: &str,
    now: DateTime<FixedOffset>,
    at: DateTime<FixedOffset>,
) -> ChapterRecall {
    let mine = cards
        .iter()
        .enumerate()
        .filter(|(_, c)| *c.deck == *deck && *c.chapter == *chapter)
        .map(|(i, _)| i);
    recall_of(cards, mine, states, memory, curve, now, at)
}

/// Recall figures of the cards at places `mine` in `cards`.
fn recall_of(
    cards: &[Card],
    mine: impl Iterator<Item = usize>,
    states: &States,
    memory: &Memory,
    curve: &Curve,
    now: DateTime<FixedOffset>,
    at: DateTime<FixedOffset>,
) -> ChapterRecall {
    let mut out = ChapterRecall {
        cards: Vec::new(),
        now: Vec::new(),
        at: Vec::new(),
        after_drill: Vec::new(),
    };
    for i in mine {
        let c = &cards[i];
        let state = states.get(c.id.0.as_str());
        if state.is_some_and(|s| s.suspended) {
            continue;
        }
        let last = memory.last.get(c.id.0.as_str());
        out.cards.push(i);
        out.now.push(card_recall(curve, last, state, now));
        out.at.push(card_recall(curve, last, state, at));
        out.after_drill
            .push(recall_after_drill(curve, state, now, at));
    }
    out
}

/// Readiness of every chapter at `at`, as of `now`.
pub fn chapters(
    cards: &[Card],
    states: &States,
    memory: &Memory,
    curve: &Curve,
    now: DateTime<FixedOffset>,
    at: DateTime<FixedOffset>,
) -> Vec<ChapterReadiness> {
    // Each chapter's title and cards, in one pass over the cards.
    let mut chapters: BTreeMap<(&str, &str), (&str, Vec<usize>)> = BTreeMap::new();
    for (i, c) in cards.iter().enumerate() {
        chapters
            .entry((&c.deck, &c.chapter))
            .or_insert_with(|| (&c.chapter_title, Vec::new()))
            .1
            .push(i);
    }
    chapters
        .into_iter()
        .map(|((deck, chapter), (title, mine))| {
            let r = recall_of(cards, mine.into_iter(), states, memory, curve, now, at);
            let n = r.cards.len();
            let mean = |v: &[f64]| {
                if n == 0 {
                    0.0
                } else {
                    v.iter().sum::<f64>() / n as f64
                }
            };
            let order = by_gain(&r.at, &r.after_drill);
            let fewest_for = |target| fewest(&r.cards, &r.at, &r.after_drill, &order, target);
            // Each card at its best: drilled when that raises it.
            let best: Vec<f64> =
                r.at.iter()
                    .zip(&r.after_drill)
                    .map(|(a, d)| a.max(*d))
                    .collect();
            ChapterReadiness {
                cards: n,
                now: mean(&r.now),
                at: mean(&r.at),
                drill_90: fewest_for(0.90),
                drill_95: fewest_for(0.95),
                best: mean(&best),
                drill_all: order.iter().map(|&i| r.cards[i]).collect(),
                deck: deck.to_string(),
                chapter: chapter.to_string(),
                title: title.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curve_gives_90_percent_at_the_stability() {
        let c = Curve::default();
        assert!((c.recall(10.0, 10.0) - 0.9).abs() < 1e-9);
        assert!(c.recall(0.0, 10.0) > 0.999);
        assert!(c.recall(30.0, 10.0) < c.recall(20.0, 10.0));
    }

    #[test]
    fn only_the_latest_samples_are_kept() {
        // One card answered daily for longer than the kept samples, failed
        // every seventh day: a sample for every answer but the first.
        let answers = 2 * MAX_SAMPLES + 1_234;
        let start = crate::test_time::kst(1, 1, 9);
        let events: Vec<Event> = (0..answers)
            .map(|n| Event::Review {
                id: format!("e{n:06}").into(),
                card: "c".into(),
                at: start + chrono::Duration::days(n as i64),
                grade: if n % 7 == 0 { 1 } else { 4 },
                mode: crate::store::journal::Mode::Normal,
                ms: 0,
            })
            .collect();
        let m = memory(&events, &Settings::default());
        assert_eq!(m.samples.len(), MAX_SAMPLES);
        assert_eq!(m.samples_seen, answers - 1);
        let latest = answers - MAX_SAMPLES..answers;
        let expected: Vec<bool> = latest.map(|n| n % 7 != 0).collect();
        let kept: Vec<bool> = m.samples.iter().map(|s| s.recalled).collect();
        assert_eq!(kept, expected);
        assert!(m.samples.iter().all(|s| (s.days - 1.0).abs() < 1e-9));
    }

    #[test]
    fn the_drill_set_takes_the_biggest_gains_first() {
        let cards = [10, 11, 12, 13];
        let at = [0.9, 0.2, 0.5, 0.0];
        let after = [0.97, 0.97, 0.97, 0.97];
        // Mean 0.4; 90 % needs 3.6: cards 13 (+0.97), 11 (+0.77), 12 (+0.47).
        assert_eq!(drill_set(&cards, &at, &after, 0.9), Some(vec![13, 11, 12]));
        assert_eq!(drill_set(&cards, &at, &after, 0.99), None);
        assert_eq!(drill_set(&cards, &[0.95; 4], &after, 0.9), Some(vec![]));
        // Only cards a drill raises are worth it, most gain first.
        assert_eq!(by_gain(&[0.9, 0.2, 0.99, 0.0], &after), vec![3, 1, 0]);
    }
}
