//! Opening a data dir: the lock, stale temporary files, the cache checked
//! against the journal (or a replay), the cards.

use super::{
    CACHE_REWRITE_AFTER, Store, TEMP_PREFIX, cache, cards, chapters, day_index, decks, files,
    journal, lock, replay, settings,
};
use crate::deck::Card;
use crate::error::StoreError;
use chrono::{DateTime, FixedOffset};
use journal::{Event, Journal};
use std::collections::HashMap;
use std::path::Path;

/// Remove temporary files a killed write left in the data dir and its deck
/// folder. Runs with the lock held, so no live write owns them.
pub(super) fn remove_stale_temp_files(dir: &Path) {
    for d in [
        dir.to_path_buf(),
        dir.join(files::DECKS),
        dir.join(files::NOTES_CACHE),
    ] {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let stale = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
                && e.file_type().is_ok_and(|t| t.is_file());
            if stale {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// Refuse a journal that lost events the cache says it had: fewer events,
/// or not the cache's last event at its place.
pub(super) fn check_coverage(
    journal_path: &Path,
    cache_path: &Path,
    covered: &cache::Coverage,
    events: &[Event],
) -> Result<(), StoreError> {
    if covered.events == 0 {
        return Ok(());
    }
    let found = events.len() as u64;
    let at_place = usize::try_from(covered.events - 1)
        .ok()
        .and_then(|i| events.get(i))
        .is_some_and(|e| *e.id() == covered.last_event);
    if found >= covered.events && at_place {
        return Ok(());
    }
    Err(StoreError::JournalShort {
        path: journal_path.to_path_buf(),
        cache: cache_path.to_path_buf(),
        expected: covered.events,
        found,
        last_event: covered.last_event.clone(),
        has_last: events.iter().any(|e| *e.id() == covered.last_event),
    })
}

/// Can `tail` (events appended after a cache whose latest event time is
/// `latest`) be applied on top of the cache's states one by one, in file
/// order? Only if it holds no undo and nothing dated before `latest`
/// (replay orders events by time, so an earlier one would come first).
pub(super) fn applies_in_order(tail: &[Event], latest: Option<DateTime<FixedOffset>>) -> bool {
    let mut last = latest;
    for e in tail {
        if matches!(e, Event::Undo { .. }) || last.is_some_and(|l| e.at() < l) {
            return false;
        }
        last = Some(e.at());
    }
    true
}

/// Take the events of `read` into `index`, the first being event number
/// `first` of the journal.
fn index_read(
    index: &mut day_index::DayIndex,
    read: &journal::Read,
    first: u64,
    settings: &crate::schedule::Settings,
) {
    for &(number, offset) in &read.marks {
        index.place(first + number, offset);
    }
    for (number, e) in (first..).zip(&read.events) {
        index.event(number, settings.study_day(e.at()));
    }
}

/// The retired cards kept in `dir` (none when the file is missing).
pub(super) fn read_retired(dir: &Path) -> Result<Vec<Card>, StoreError> {
    let path = dir.join(files::RETIRED);
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(decks::read_deck(&path)?.cards)
}

/// Cards of all decks in study order: the `course` deck first, then the
/// others by name; within a deck by chapter, note order within a chapter.
pub fn study_order(mut decks: Vec<crate::deck::Deck>) -> Vec<Card> {
    sort_for_study(&mut decks);
    let mut decks = decks.into_iter();
    let mut cards = decks.next().map(|d| d.cards).unwrap_or_default();
    for d in decks {
        cards.extend(d.cards);
    }
    cards
}

/// Sort decks and their cards into study order (in place; cheap when
/// they already are, as `cards.bin` keeps them).
pub(super) fn sort_for_study(decks: &mut [crate::deck::Deck]) {
    decks.sort_by(|a, b| {
        let key = |d: &crate::deck::Deck| d.name != crate::notes::COURSE_DECK;
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    for d in decks {
        if !d.cards.is_sorted_by(|a, b| a.chapter <= b.chapter) {
            d.cards.sort_by(|a, b| a.chapter.cmp(&b.chapter));
        }
    }
}

impl Store {
    /// Open `dir` (created if missing) to read and write: take the lock,
    /// remove stale temporary files, read settings, the cache and the
    /// journal, refuse a journal that lost events (before anything is
    /// written), import decks from `decks_src` if given, repair the
    /// journal's tail and rebuild the cache when stale.
    pub fn open(dir: &Path, decks_src: Option<&Path>) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let lock = lock::acquire(dir)?;
        remove_stale_temp_files(dir);
        Store::load(dir, decks_src, Some(lock), true)
    }

    /// Open `dir` only to read: no lock, nothing written (a torn journal
    /// tail is left where it is and not read; decks from `decks_src` are
    /// read in place, not imported). For the command line's `due` and
    /// `stats`, which then work while the window is open or on a
    /// read-only copy. Every write returns [`StoreError::ReadOnly`].
    pub fn open_read_only(dir: &Path, decks_src: Option<&Path>) -> Result<Store, StoreError> {
        Store::load(dir, decks_src, None, true)
    }

    /// [`Store::open_read_only`] for counting the queue (`due`): the
    /// readiness memory and the day index are not read, so
    /// [`Store::memory`] is empty and [`Store::history_since`] gives the
    /// whole journal.
    pub fn open_to_count(dir: &Path, decks_src: Option<&Path>) -> Result<Store, StoreError> {
        Store::load(dir, decks_src, None, false)
    }

    pub(super) fn load(
        dir: &Path,
        decks_src: Option<&Path>,
        lock: Option<lock::Lock>,
        figures: bool,
    ) -> Result<Store, StoreError> {
        let writable = lock.is_some();
        // What only reads does not show a card's text.
        let with_texts = writable;
        // The converted cards are read on another thread meanwhile (the
        // cache and the cards take about as long each).
        let cards_path = dir.join(files::CARDS);
        let cards_read = decks_src
            .is_none()
            .then(|| std::thread::spawn(move || cards::read(&cards_path, with_texts)));
        let settings = settings::read(&dir.join(files::SETTINGS))?;
        let key = cache::settings_key(&settings.scheduling);
        let cache_path = dir.join(files::CACHE);
        let cached = if figures {
            cache::read(&cache_path)
        } else {
            cache::read_counts(&cache_path)
        };
        let journal_path = dir.join(files::JOURNAL);
        let size = std::fs::metadata(&journal_path).map(|m| m.len()).ok();
        // The cache is used when the journal still holds what it covered
        // (length and checkpoint) and nothing appended needs a full replay.
        let covers = |c: &cache::Cache| {
            let bytes = c.coverage.bytes;
            size.is_some_and(|len| len >= bytes)
                && (bytes == 0
                    || cache::checkpoint(&journal_path, bytes).ok() == Some(c.coverage.checkpoint))
        };
        let mut from_cache = None;
        if let Some(c) = cached.as_ref().filter(|c| c.settings == key && covers(c)) {
            let tail = journal::read_from(&journal_path, c.coverage.bytes)?;
            let latest = c
                .latest
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok());
            if applies_in_order(&tail.events, latest) {
                from_cache = Some((tail, latest));
            }
        }
        let mut day_index = day_index::DayIndex::default();
        let mut has_figures = true;
        let cached_last = cached
            .as_ref()
            .map(|c| journal::EventId::new(&c.coverage.last_event))
            .filter(|id| !id.is_blank());
        let (read, from, rebuilt, states, memory, days, latest, count) = match (from_cache, cached)
        {
            (Some((tail, latest)), Some(c)) => {
                has_figures = c.figures.is_some();
                let cache::Figures {
                    mut memory,
                    day_index: kept,
                } = c.figures.unwrap_or_default();
                day_index = kept;
                if has_figures {
                    index_read(
                        &mut day_index,
                        &tail,
                        c.coverage.events,
                        &settings.scheduling,
                    );
                }
                let mut states = c.states;
                let mut days = c.answers_per_day;
                let mut latest = latest;
                for e in &tail.events {
                    if has_figures {
                        memory.note(e, &states, &settings.scheduling);
                    }
                    replay::apply(&mut states, e, &settings.scheduling);
                    if let Event::Review { at, .. } = e {
                        *days.entry(settings.scheduling.study_day(*at)).or_insert(0) += 1;
                    }
                    latest = Some(e.at());
                }
                let count = c.coverage.events + tail.events.len() as u64;
                let from = c.coverage.bytes;
                (tail, from, false, states, memory, days, latest, count)
            }
            (_, cached) => {
                // The whole journal: nothing missing that a cache counted.
                let read = journal::read(&journal_path)?;
                if let Some(c) = &cached {
                    check_coverage(&journal_path, &cache_path, &c.coverage, &read.events)?;
                }
                if read.exists && read.blank {
                    return Err(StoreError::JournalEmpty { path: journal_path });
                }
                index_read(&mut day_index, &read, 0, &settings.scheduling);
                let (states, memory) =
                    crate::readiness::replay_with_memory(&read.events, &settings.scheduling);
                let days = replay::answers_per_day(&read.events, &settings.scheduling);
                let latest = read.events.iter().map(Event::at).max();
                let count = read.events.len() as u64;
                (read, 0, true, states, memory, days, latest, count)
            }
        };
        let deck_dir = dir.join(files::DECKS);
        // Cards: deck files given (imported), else the cards converted from
        // the notes, else deck files imported earlier.
        let converted = || -> Result<Vec<crate::deck::Deck>, StoreError> {
            let read = match cards_read {
                Some(job) => job.join().unwrap_or(Ok(None))?,
                None => None,
            };
            match read {
                Some(decks) => Ok(decks),
                None => decks::read_decks(&deck_dir),
            }
        };
        let (journal, torn, decks) = if writable {
            let decks = match decks_src {
                Some(src) => {
                    decks::import(src, &deck_dir)?;
                    decks::read_decks(&deck_dir)?
                }
                None => converted()?,
            };
            let (journal, torn) = Journal::open(&journal_path, &read)?;
            (Some(journal), torn, decks)
        } else {
            let decks = match decks_src {
                Some(_) => decks::read_overlay(&deck_dir, decks_src)?,
                None => converted()?,
            };
            (None, None, decks)
        };
        let covered = from + read.complete as u64;
        let missing_newline = read.missing_newline;
        // The journal's last event (what the cache records it covers).
        let last_id = match read.events.last() {
            Some(e) => Some(e.id().clone()),
            None if rebuilt => None,
            None => cached_last,
        };
        // Events read beyond the cache are kept (an undo may need them);
        // a whole journal read for a replay is let go once replayed.
        let recent = if rebuilt { Vec::new() } else { read.events };
        let cards = study_order(decks);
        let mut store = Store {
            dir: dir.to_path_buf(),
            _lock: lock,
            journal,
            last_id,
            recent,
            event_count: count,
            answers_per_day: days,
            latest,
            before: HashMap::new(),
            settings,
            cards: cards.into(),
            index: std::cell::OnceCell::new(),
            states: states.into(),
            by_index: Vec::new(),
            memory: memory.into(),
            days: day_index,
            has_figures,
            torn,
            revision: 0,
            cards_revision: 0,
            retired: read_retired(dir)?,
            chapters: chapters::read(&dir.join(files::CHAPTERS))?,
            notes_chapters: HashMap::new(),
            has_texts: with_texts || decks_src.is_some() || !dir.join(files::CARDS).exists(),
        };
        store.sync_all();
        let stale = rebuilt || store.recent.len() >= CACHE_REWRITE_AFTER;
        if writable && stale {
            store.save_cache()?;
        } else if stale && !missing_newline {
            // What only reads refreshes the derived cache too, when no one
            // holds the data dir (a holder writes it itself) and the dir
            // can be written; otherwise it is left as it was.
            if let Some(_lock) = lock::try_acquire(dir) {
                let _ = store.write_cache(covered);
            }
        }
        Ok(store)
    }

    /// Read the cards' questions and answers if they were left out (a
    /// store open only to read does not read them at its start).
    pub fn ensure_texts(&mut self) -> Result<(), StoreError> {
        if self.has_texts {
            return Ok(());
        }
        if let Some(decks) = cards::read(&self.dir.join(files::CARDS), true)? {
            self.cards = study_order(decks).into();
            self.sync_all();
            self.cards_revision += 1;
        }
        self.has_texts = true;
        Ok(())
    }
}
