//! Recording: answers, undo, suspend and bury, each appended durably to the
//! journal, then the card's state brought up to date.

use super::{Store, chapters, journal, replay};
use crate::error::StoreError;
use crate::schedule::{self, CardState};
use chrono::{DateTime, FixedOffset, NaiveDate};
use journal::{Event, EventId, Journal, Mode};

/// What an undo needs of the event it cancels (see
/// [`Store::look_up_undone`]).
struct Undone {
    /// The event (none when the journal does not hold it).
    event: Option<Event>,
    /// Its card's events and the undos, when this store did not record it.
    history: Option<Vec<Event>>,
}

/// What an event recorded by this store changed, kept so an undo can take
/// it back without the card's whole history.
#[derive(Debug, Clone)]
pub(super) struct Before {
    /// The card's state before it.
    state: Option<CardState>,
    /// The card's last answer before it.
    last: Option<DateTime<FixedOffset>>,
    /// The readiness sample it added.
    sample: Option<crate::readiness::Sample>,
}

impl Store {
    /// The journal, to write to; an error when opened read-only.
    pub(super) fn journal(&mut self) -> Result<&mut Journal, StoreError> {
        self.journal.as_mut().ok_or_else(|| StoreError::ReadOnly {
            path: self.dir.clone(),
        })
    }

    /// Is this store open only for reading?
    pub fn read_only(&self) -> bool {
        self.journal.is_none()
    }

    /// Write the journal through `wrap(file)` from now on: a test puts a
    /// failing disk here. Does nothing on a read-only store.
    pub fn wrap_journal_file(
        &mut self,
        wrap: impl FnOnce(Box<dyn journal::JournalFile>) -> Box<dyn journal::JournalFile>,
    ) {
        if let Some(j) = self.journal.as_mut() {
            j.wrap_file(wrap);
        }
    }

    pub(super) fn sync_all(&mut self) {
        chapters::apply(
            &self.chapters,
            std::sync::Arc::make_mut(&mut self.cards).as_mut_slice(),
            &mut self.notes_chapters,
        );
        self.by_index = self
            .cards
            .iter()
            .map(|c| self.states.get(c.id.0.as_str()).cloned())
            .collect();
    }

    pub(super) fn sync_card(&mut self, id: &str) {
        if let Some(i) = self.card_index(id) {
            self.by_index[i] = self.states.get(id).cloned();
        }
    }

    /// An event, looked up among the recent events first, then in the
    /// journal's tail from study day `day` on (an undo reaches back over
    /// its study day: the event is found there without reading the rest),
    /// then in the whole journal.
    pub(super) fn find_event(
        &self,
        id: &EventId,
        day: NaiveDate,
    ) -> Result<Option<Event>, StoreError> {
        if let Some(e) = self.recent.iter().rev().find(|e| e.id() == id) {
            return Ok(Some(e.clone()));
        }
        let path = self.dir.join(super::files::JOURNAL);
        let from = self.history_since(day).map_or(0, |tail| tail.from.1);
        match journal::find(&path, from, id)? {
            None if from > 0 => journal::find(&path, 0, id),
            found => Ok(found),
        }
    }

    /// What an undo of event `of` needs from the journal: the event, and
    /// when this store did not record it, its card's history. Read before
    /// the undo is written, so a journal that cannot be read takes no undo.
    fn look_up_undone(
        &self,
        of: &EventId,
        at: DateTime<FixedOffset>,
    ) -> Result<Undone, StoreError> {
        let event = self.find_event(of, self.study_day(at))?;
        let history = match event.as_ref().and_then(Event::card) {
            Some(card) if self.recorded_here(of).is_none() => Some(journal::read_card(
                &self.dir.join(super::files::JOURNAL),
                card,
            )?),
            _ => None,
        };
        Ok(Undone { event, history })
    }

    /// Append event `e` durably, then apply it (an undo with what
    /// [`Store::look_up_undone`] read for it).
    fn record(&mut self, e: Event, undone: Option<Undone>) -> Result<(), StoreError> {
        let offset = self.journal()?.bytes();
        self.journal()?.append(std::slice::from_ref(&e))?;
        self.revision += 1;
        self.days.place(self.event_count, offset);
        let day = self.study_day(e.at());
        self.days.event(self.event_count, day);
        self.event_count += 1;
        self.last_id = Some(e.id().clone());
        match &e {
            Event::Undo { of, .. } => {
                self.recent.push(e.clone());
                let Some(Undone {
                    event: Some(undone),
                    mut history,
                }) = undone
                else {
                    return Ok(());
                };
                // The card's history read before this undo now ends with it.
                if let Some(h) = history.as_mut() {
                    h.push(e.clone());
                }
                if let Event::Review { at, .. } = &undone {
                    let day = self.study_day(*at);
                    if let Some(n) = self.answers_per_day.get_mut(&day) {
                        *n = n.saturating_sub(1);
                    }
                }
                let Some(card) = undone.card().map(str::to_string) else {
                    return Ok(());
                };
                let st = self.state_without(of, &card, history.as_deref());
                if st == CardState::default() {
                    self.states_mut().remove(card.as_str());
                } else {
                    self.states_mut().insert(card.as_str().into(), st);
                }
                if matches!(undone, Event::Review { .. }) {
                    self.memory_without(of, &card, history.as_deref());
                }
                self.sync_card(&card);
            }
            _ => {
                let last = e.card().and_then(|c| self.memory.last.get(c).copied());
                let sample = std::sync::Arc::make_mut(&mut self.memory).note(
                    &e,
                    &self.states,
                    &self.settings.scheduling,
                );
                if let Some(card) = e.card() {
                    let before = Before {
                        state: self.states.get(card).cloned(),
                        last,
                        sample,
                    };
                    self.before.insert(e.id().clone(), before);
                }
                let states = std::sync::Arc::make_mut(&mut self.states);
                replay::apply(states, &e, &self.settings.scheduling);
                if let Event::Review { at, .. } = &e {
                    let day = self.study_day(*at);
                    *self.answers_per_day.entry(day).or_insert(0) += 1;
                }
                self.latest = self.latest.max(Some(e.at()));
                if let Some(card) = e.card() {
                    let card = card.to_string();
                    self.sync_card(&card);
                }
                self.recent.push(e);
            }
        }
        Ok(())
    }

    /// What event `undone` changed and its place among the recent events,
    /// when this store recorded it.
    fn recorded_here(&self, undone: &EventId) -> Option<(&Before, usize)> {
        let before = self.before.get(undone)?;
        let at = self.recent.iter().rposition(|e| e.id() == undone)?;
        Some((before, at))
    }

    /// A card's state once event `undone` (just undone) is taken out: when
    /// this store recorded it, the state before it with the card's later
    /// recent events applied again; else the card's `history` (its events
    /// and the undos) replayed.
    pub(super) fn state_without(
        &self,
        undone: &EventId,
        card: &str,
        history: Option<&[Event]>,
    ) -> CardState {
        let settings = &self.settings.scheduling;
        let Some((before, at)) = self.recorded_here(undone) else {
            return replay::replay_card(history.unwrap_or_default(), card, settings);
        };
        // Only what was recorded after it matters: that card's events,
        // less those undone since.
        let later = &self.recent[at + 1..];
        let cancelled = replay::undone(later);
        let mut states: crate::store::replay::States = Default::default();
        if let Some(b) = &before.state {
            states.insert(card.into(), b.clone());
        }
        let after = later
            .iter()
            .filter(|e| e.card() == Some(card) && !cancelled.contains(e.id()));
        for e in after {
            replay::apply(&mut states, e, settings);
        }
        states.remove(card).unwrap_or_default()
    }

    /// Take an undone answer of `card` out of the memory model: when this
    /// store recorded it, the card's last answer before it or a later one
    /// still standing, and the sample it added; else the card's last answer
    /// still standing in its `history` (a sample an answer of an earlier
    /// session added stays until the next full replay).
    fn memory_without(&mut self, undone: &EventId, card: &str, history: Option<&[Event]>) {
        let last_standing = |events: &[Event]| {
            let cancelled = replay::undone(events);
            events
                .iter()
                .filter(|e| {
                    matches!(e, Event::Review { .. })
                        && e.card() == Some(card)
                        && !cancelled.contains(e.id())
                })
                .map(Event::at)
                .max()
        };
        let (last, sample) = match self.recorded_here(undone) {
            Some((b, at)) => (b.last.max(last_standing(&self.recent[at + 1..])), b.sample),
            None => (last_standing(history.unwrap_or_default()), None),
        };
        std::sync::Arc::make_mut(&mut self.memory).forget(card, last, sample);
    }

    /// Record an answer (durable when this returns); returns its event id.
    pub fn review(
        &mut self,
        card: &str,
        quality: u8,
        mode: Mode,
        at: DateTime<FixedOffset>,
        ms: u32,
    ) -> Result<EventId, StoreError> {
        self.record_new(at, |id| Event::Review {
            id,
            card: card.into(),
            at,
            grade: quality.min(5),
            mode,
            ms,
        })
    }

    /// Record the event `make` builds with a fresh id for time `at`;
    /// returns the id.
    fn record_new(
        &mut self,
        at: DateTime<FixedOffset>,
        make: impl FnOnce(EventId) -> Event,
    ) -> Result<EventId, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(make(id.clone()), None)?;
        Ok(id)
    }

    /// The last answer of study day `today` that can still be undone (not
    /// undone already), newest first in journal order: among the recent
    /// events when one is there, else among the journal's events of that
    /// day (read from its tail).
    pub fn last_answer_of_day(&self, today: NaiveDate) -> Option<Event> {
        let find = |events: &[Event]| -> Option<Event> {
            let undone = replay::undone(events);
            events
                .iter()
                .rev()
                .find(|e| {
                    matches!(e, Event::Review { .. })
                        && self.study_day(e.at()) == today
                        && !undone.contains(e.id())
                })
                .cloned()
        };
        find(&self.recent).or_else(|| find(&self.history_since(today)?.read().ok()?))
    }

    /// Cancel an earlier event (recorded as an event itself).
    pub fn undo(&mut self, of: &EventId, at: DateTime<FixedOffset>) -> Result<EventId, StoreError> {
        let undone = self.look_up_undone(of, at)?;
        let id = self.journal()?.next_id(at);
        let e = Event::Undo {
            id: id.clone(),
            at,
            of: of.clone(),
        };
        self.record(e, Some(undone))?;
        Ok(id)
    }

    /// Suspend a card.
    pub fn suspend(
        &mut self,
        card: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<EventId, StoreError> {
        self.record_new(at, |id| Event::Suspend {
            id,
            card: card.into(),
            at,
        })
    }

    /// Unsuspend a card.
    pub fn unsuspend(
        &mut self,
        card: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<EventId, StoreError> {
        self.record_new(at, |id| Event::Unsuspend {
            id,
            card: card.into(),
            at,
        })
    }

    /// Bury a card until the next study day.
    pub fn bury(&mut self, card: &str, at: DateTime<FixedOffset>) -> Result<EventId, StoreError> {
        self.record_new(at, |id| Event::Bury {
            id,
            card: card.into(),
            at,
        })
    }

    /// What each button would do for a card now.
    pub fn next_states(&self, card: &str, at: DateTime<FixedOffset>) -> [CardState; 4] {
        let st = self.states.get(card).cloned().unwrap_or_default();
        schedule::next_states(&st, at, &self.settings.scheduling, card)
    }
}
