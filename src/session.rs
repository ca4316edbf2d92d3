//! A review session without UI: today's queue or a chapter drill, reveal,
//! answer, undo, progress. The window drives one of these; tests drive it
//! directly. Time is passed in with every call.

use crate::error::StoreError;
use crate::schedule::{Grade, queue::shuffle};
use crate::store::Store;
use crate::store::journal::Mode;
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::collections::VecDeque;

/// Longest answer time recorded, milliseconds (a card left open counts this).
pub const MAX_ANSWER_MS: i64 = 60_000;
/// A card answered below Good comes back after this many other cards.
pub const REPEAT_GAP: usize = 3;

/// Order of a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrillOrder {
    /// Lowest ease and most lapses first; cards never reviewed last.
    WeakestFirst,
    /// As in the notes.
    NoteOrder,
    /// Shuffled with this seed.
    Random(u64),
}

/// What kind of session.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Today's scheduled reviews.
    Review,
    /// Going through chapters now.
    Drill {
        /// (deck, chapter) pairs.
        chapters: Vec<(String, String)>,
        /// Count the answers as reviews (apply SM-2).
        count_as_review: bool,
    },
}

#[derive(Debug, Clone)]
struct Answered {
    event: crate::store::journal::EventId,
    card: usize,
    grade: Grade,
    requeued: bool,
}

/// Progress through a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Answers given (repeats included).
    pub answered: usize,
    /// Cards still in the queue, the current one included.
    pub remaining: usize,
}

/// End-of-session figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Answers per button: Again, Hard, Good, Easy.
    pub grades: [usize; 4],
    /// Distinct cards answered.
    pub cards: usize,
}

/// A running session.
#[derive(Debug, Clone)]
pub struct Session {
    kind: Kind,
    day: NaiveDate,
    queue: VecDeque<usize>,
    current: Option<usize>,
    revealed: bool,
    shown_at: Option<DateTime<FixedOffset>>,
    answers: Vec<Answered>,
}

impl Session {
    /// Today's reviews: repeats, due cards, new cards, within the limits.
    pub fn review(store: &Store, now: DateTime<FixedOffset>) -> Session {
        let day = store.study_day(now);
        let q = store.queue(day);
        Session::with(Kind::Review, day, q.order().collect(), now)
    }

    /// A drill over the given cards (indices), in this order — the set the
    /// readiness figures chose for `chapters`.
    pub fn drill_cards(
        store: &Store,
        chapters: &[(String, String)],
        cards: Vec<usize>,
        count_as_review: bool,
        now: DateTime<FixedOffset>,
    ) -> Session {
        let day = store.study_day(now);
        let kind = Kind::Drill {
            chapters: chapters.to_vec(),
            count_as_review,
        };
        Session::with(kind, day, cards, now)
    }

    /// A drill over the cards of `chapters` (deck, chapter) — all of them,
    /// due or not. By default its answers leave SM-2 state untouched.
    pub fn drill(
        store: &Store,
        chapters: &[(String, String)],
        order: DrillOrder,
        count_as_review: bool,
        now: DateTime<FixedOffset>,
    ) -> Session {
        let day = store.study_day(now);
        let mut cards: Vec<usize> = store
            .cards()
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                chapters
                    .iter()
                    .any(|(d, ch)| **d == *c.deck && **ch == *c.chapter)
            })
            .filter(|(_, c)| store.state(&c.id.0).is_none_or(|s| !s.suspended))
            .map(|(i, _)| i)
            .collect();
        match order {
            DrillOrder::NoteOrder => {}
            DrillOrder::Random(seed) => shuffle(&mut cards, seed),
            DrillOrder::WeakestFirst => cards.sort_by(|&a, &b| {
                let key = |i: usize| {
                    let st = store.state(&store.cards()[i].id.0);
                    match st.filter(|s| !s.is_new()) {
                        Some(s) => (0, s.sm2.ef, u32::MAX - s.lapses),
                        None => (1, 0.0, 0),
                    }
                };
                let (ka, kb) = (key(a), key(b));
                ka.0.cmp(&kb.0)
                    .then(ka.1.total_cmp(&kb.1))
                    .then(ka.2.cmp(&kb.2))
            }),
        }
        Session::with(
            Kind::Drill {
                chapters: chapters.to_vec(),
                count_as_review,
            },
            day,
            cards,
            now,
        )
    }

    fn with(kind: Kind, day: NaiveDate, cards: Vec<usize>, now: DateTime<FixedOffset>) -> Session {
        let mut queue: VecDeque<usize> = cards.into();
        let current = queue.pop_front();
        Session {
            kind,
            day,
            queue,
            current,
            revealed: false,
            shown_at: current.map(|_| now),
            answers: Vec::new(),
        }
    }

    /// Kind of session.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// Study day it was started on.
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The card shown now (index into [`Store::cards`]); `None` when finished.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// Is the answer shown?
    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// Show the answer.
    pub fn reveal(&mut self) {
        if self.current.is_some() {
            self.revealed = true;
        }
    }

    /// Journal mode of this session's answers.
    pub fn mode(&self) -> Mode {
        match self.kind {
            Kind::Review => Mode::Normal,
            Kind::Drill {
                count_as_review: true,
                ..
            } => Mode::DrillCounted,
            Kind::Drill { .. } => Mode::Drill,
        }
    }

    /// Answer the current card (durable when this returns `Ok`). Below
    /// Good, the card comes back after [`REPEAT_GAP`] cards.
    pub fn answer(
        &mut self,
        store: &mut Store,
        grade: Grade,
        now: DateTime<FixedOffset>,
    ) -> Result<(), StoreError> {
        let Some(card) = self.current else {
            return Ok(());
        };
        let ms = self
            .shown_at
            .map_or(0, |t| (now - t).num_milliseconds().clamp(0, MAX_ANSWER_MS))
            as u32;
        let id = store.cards()[card].id.0.clone();
        let event = store.review(&id, grade.quality(), self.mode(), now, ms)?;
        let requeued = grade.quality() < 4;
        if requeued {
            let at = REPEAT_GAP.min(self.queue.len());
            self.queue.insert(at, card);
        }
        self.answers.push(Answered {
            event,
            card,
            grade,
            requeued,
        });
        self.current = self.queue.pop_front();
        self.revealed = false;
        self.shown_at = self.current.map(|_| now);
        Ok(())
    }

    /// Undo the last answer of this session (any number of steps back): the
    /// journal records the undo, the card is shown again.
    pub fn undo(
        &mut self,
        store: &mut Store,
        now: DateTime<FixedOffset>,
    ) -> Result<bool, StoreError> {
        let Some(last) = self.answers.last().cloned() else {
            return Ok(false);
        };
        store.undo(&last.event, now)?;
        self.answers.pop();
        if last.requeued
            && let Some(pos) = self.queue.iter().position(|&c| c == last.card)
        {
            self.queue.remove(pos);
        }
        if let Some(cur) = self.current {
            self.queue.push_front(cur);
        }
        self.current = Some(last.card);
        self.revealed = false;
        self.shown_at = Some(now);
        Ok(true)
    }

    /// Follow the store's cards after they changed (notes converted again
    /// while the session runs): `to_new` gives a card's new index from its
    /// old one, `None` when it is gone. Gone cards leave the queue (the
    /// current one is replaced by the next); nothing else changes, and the
    /// answers given so far can still be undone (but those to gone cards).
    pub fn remap(&mut self, to_new: impl Fn(usize) -> Option<usize>) {
        self.queue = self.queue.iter().filter_map(|&i| to_new(i)).collect();
        // An answer to a card that is gone can no longer be shown again.
        self.answers.retain_mut(|a| match to_new(a.card) {
            Some(i) => {
                a.card = i;
                true
            }
            None => false,
        });
        if let Some(cur) = self.current {
            match to_new(cur) {
                Some(i) => self.current = Some(i),
                None => {
                    self.current = self.queue.pop_front();
                    self.revealed = false;
                }
            }
        }
    }

    /// Can [`Session::undo`] do anything?
    pub fn can_undo(&self) -> bool {
        !self.answers.is_empty()
    }

    /// Answers given and cards remaining.
    pub fn progress(&self) -> Progress {
        Progress {
            answered: self.answers.len(),
            remaining: self.queue.len() + usize::from(self.current.is_some()),
        }
    }

    /// Finished?
    pub fn is_done(&self) -> bool {
        self.current.is_none()
    }

    /// Figures for the end-of-session screen.
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        let mut seen = std::collections::HashSet::new();
        for a in &self.answers {
            let k = Grade::ALL.iter().position(|g| *g == a.grade).unwrap_or(0);
            s.grades[k] += 1;
            seen.insert(a.card);
        }
        s.cards = seen.len();
        s
    }
}
