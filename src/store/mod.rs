//! Everything that touches files of the data directory and the deck files.
//!
//! Every write is atomic: a temporary file in the same directory, written,
//! fsynced, renamed over the target, then the directory fsynced.

pub mod cards;
pub mod chapters;
pub mod decks;
pub mod journal;
pub mod lock;
pub mod merge;
pub mod replay;
pub mod settings;
pub mod snapshot;

use crate::deck::Card;
use crate::schedule::{self, CardState, queue};
use chrono::{DateTime, FixedOffset, NaiveDate};
use journal::{Event, Journal, Mode, TornTail};
use settings::AppSettings;
use std::collections::HashMap;
use std::path::PathBuf;

use crate::error::StoreError;
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically (temp file, fsync, rename, fsync dir).
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    sync_dir(dir).map_err(io)?;
    Ok(())
}

/// fsync a directory so a rename in it is durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// File names inside a data directory.
pub mod files {
    /// The review journal.
    pub const JOURNAL: &str = "journal.ron";
    /// Derived card states.
    pub const SNAPSHOT: &str = "snapshot.ron";
    /// User settings.
    pub const SETTINGS: &str = "settings.ron";
    /// Imported deck files.
    pub const DECKS: &str = "decks";
    /// The cards converted from the notes (binary).
    pub const CARDS: &str = "cards.bin";
    /// Cards no longer in any deck that have a history (so a card that
    /// comes back, even in another deck, finds its id again).
    pub const RETIRED: &str = "retired.ron";
    /// Chapters the learner set by hand, by card id (kept over re-conversion).
    pub const CHAPTERS: &str = "chapter-overrides.ron";
    /// What the converter keeps between starts (note fingerprints, each
    /// note's cards), as named files.
    pub const NOTES_CACHE: &str = "notes-cache";
}

/// The data directory from the environment: `BOKSEUP_DATA_DIR`, else the
/// platform data dir (`$XDG_DATA_HOME/bokseup` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("BOKSEUP_DATA_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "bokseup").map(|p| p.data_dir().to_path_buf())
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MergeReport {
    /// Events of the other journal that were new here.
    pub added: usize,
    /// Events both had (or the other file held twice).
    pub known: usize,
    /// Lines of the other file that were not taken, with why.
    pub skipped: Vec<merge::Skip>,
    /// Events whose id is known here with other content: neither is
    /// changed; each is listed with its line in the other file.
    pub conflicts: Vec<merge::Skip>,
}

/// One line of a card's history (see [`Store::history`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry<'a> {
    /// The card's event.
    pub event: &'a Event,
    /// When it was undone, if it was.
    pub undone_at: Option<DateTime<FixedOffset>>,
}

/// An open data directory: lock, settings, decks, journal and card states.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Held while the store may write; none when opened read-only.
    _lock: Option<lock::Lock>,
    /// The journal to append to; none when opened read-only.
    journal: Option<Journal>,
    events: Vec<Event>,
    settings: AppSettings,
    cards: Vec<Card>,
    index: HashMap<String, usize>,
    states: HashMap<String, CardState>,
    /// The states of [`Store::cards`] by card index (a copy of `states`,
    /// kept in step, so the queue is one sequential scan).
    by_index: Vec<Option<CardState>>,
    torn: Option<TornTail>,
    /// Bumped by every change to the events, states or settings.
    revision: u64,
    /// Bumped when the cards change (notes converted again).
    cards_revision: u64,
    /// Cards that left the decks with a history (see [`files::RETIRED`]).
    retired: Vec<Card>,
    /// Chapters set by hand (see [`files::CHAPTERS`]).
    chapters: chapters::Overrides,
    /// The chapters the notes give the cards whose chapter is set by hand.
    notes_chapters: HashMap<String, (std::sync::Arc<str>, std::sync::Arc<str>)>,
}

/// Prefix of the temporary files atomic writes make (tempfile's default);
/// one left by a killed process is removed at the next start.
const TEMP_PREFIX: &str = ".tmp";

/// Remove temporary files a killed write left in the data dir and its deck
/// folder. Runs with the lock held, so no live write owns them.
fn remove_stale_temp_files(dir: &Path) {
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

/// Refuse a journal that lost events the snapshot says it had: fewer
/// events, or not the snapshot's last event at its place.
fn check_coverage(
    journal_path: &Path,
    snapshot_path: &Path,
    snap: Option<&snapshot::Snapshot>,
    read: &journal::Read,
) -> Result<(), StoreError> {
    let Some(snap) = snap.filter(|s| s.events > 0) else {
        return Ok(());
    };
    let found = read.events.len() as u64;
    let at_place = usize::try_from(snap.events - 1)
        .ok()
        .and_then(|i| read.events.get(i))
        .is_some_and(|e| e.id() == snap.last_event);
    if found >= snap.events && at_place {
        return Ok(());
    }
    Err(StoreError::JournalShort {
        path: journal_path.to_path_buf(),
        snapshot: snapshot_path.to_path_buf(),
        expected: snap.events,
        found,
        last_event: snap.last_event.clone(),
        has_last: read.events.iter().any(|e| e.id() == snap.last_event),
    })
}

/// The retired cards kept in `dir` (none when the file is missing).
fn read_retired(dir: &Path) -> Result<Vec<Card>, StoreError> {
    let path = dir.join(files::RETIRED);
    if !path.exists() {
        return Ok(Vec::new());
    }
    Ok(decks::read_deck(&path)?.cards)
}

/// Cards of all decks in study order: the `course` deck first, then the
/// others by name; within a deck by chapter, note order within a chapter.
pub fn study_order(mut decks: Vec<crate::deck::Deck>) -> Vec<Card> {
    decks.sort_by_key(|d| (d.name != crate::notes::COURSE_DECK, d.name.clone()));
    let mut cards = Vec::new();
    for mut d in decks {
        d.cards.sort_by(|a, b| a.chapter.cmp(&b.chapter));
        cards.extend(d.cards);
    }
    cards
}

impl Store {
    /// Open `dir` (created if missing) to read and write: take the lock,
    /// remove stale temporary files, read settings, the snapshot and the
    /// journal, refuse a journal that lost events (before anything is
    /// written), import decks from `decks_src` if given, repair the
    /// journal's tail and rebuild the snapshot when stale.
    pub fn open(dir: &Path, decks_src: Option<&Path>) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let lock = lock::acquire(dir)?;
        remove_stale_temp_files(dir);
        Store::load(dir, decks_src, Some(lock))
    }

    /// Open `dir` only to read: no lock, nothing written (a torn journal
    /// tail is left where it is and not read; decks from `decks_src` are
    /// read in place, not imported). For the command line's `due` and
    /// `stats`, which then work while the window is open or on a
    /// read-only copy. Every write returns [`StoreError::ReadOnly`].
    pub fn open_read_only(dir: &Path, decks_src: Option<&Path>) -> Result<Store, StoreError> {
        Store::load(dir, decks_src, None)
    }

    fn load(
        dir: &Path,
        decks_src: Option<&Path>,
        lock: Option<lock::Lock>,
    ) -> Result<Store, StoreError> {
        let writable = lock.is_some();
        let settings = settings::read(&dir.join(files::SETTINGS))?;
        let snap_path = dir.join(files::SNAPSHOT);
        let snap = snapshot::read(&snap_path)?;
        let journal_path = dir.join(files::JOURNAL);
        let read = journal::read(&journal_path)?;
        check_coverage(&journal_path, &snap_path, snap.as_ref(), &read)?;
        if read.exists && read.blank {
            return Err(StoreError::JournalEmpty { path: journal_path });
        }
        let deck_dir = dir.join(files::DECKS);
        // Cards: deck files given (imported), else the cards converted from
        // the notes, else deck files imported earlier.
        let converted = || -> Result<Vec<crate::deck::Deck>, StoreError> {
            match cards::read(&dir.join(files::CARDS))? {
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
        let cards = study_order(decks);
        let events = read.events;
        let states = match snap {
            Some(snap) if snap.matches(&events, &settings.scheduling) => snap.states,
            // Missing, stale or unreadable: the journal is the truth.
            _ => {
                let states = replay::replay(&events, &settings.scheduling);
                if writable {
                    snapshot::write(&snap_path, &events, &settings.scheduling, &states)?;
                }
                states
            }
        };
        let index = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.0.to_string(), i))
            .collect();
        let mut store = Store {
            dir: dir.to_path_buf(),
            _lock: lock,
            journal,
            events,
            settings,
            cards,
            index,
            states,
            by_index: Vec::new(),
            torn,
            revision: 0,
            cards_revision: 0,
            retired: read_retired(dir)?,
            chapters: chapters::read(&dir.join(files::CHAPTERS))?,
            notes_chapters: HashMap::new(),
        };
        store.sync_all();
        Ok(store)
    }

    /// The journal, to write to; an error when opened read-only.
    fn journal(&mut self) -> Result<&mut Journal, StoreError> {
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

    /// A file the converter keeps in the data dir (see [`files::NOTES_CACHE`]),
    /// if it is there.
    pub fn cache_blob(&self, name: &str) -> Option<Vec<u8>> {
        if !decks::plain_name(name) {
            return None;
        }
        std::fs::read(self.dir.join(files::NOTES_CACHE).join(name)).ok()
    }

    /// Keep a file for the converter (atomically); nothing is written when
    /// the store is open only to read.
    pub fn put_cache_blob(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if self.read_only() || !decks::plain_name(name) {
            return Ok(());
        }
        atomic_write(&self.dir.join(files::NOTES_CACHE).join(name), bytes)
    }

    /// Remove the converter's files for which `keep` says no.
    pub fn retain_cache_blobs(&self, keep: &dyn Fn(&str) -> bool) -> Result<(), StoreError> {
        if self.read_only() {
            return Ok(());
        }
        let dir = self.dir.join(files::NOTES_CACHE);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep(&name) && !name.starts_with(TEMP_PREFIX) {
                std::fs::remove_file(e.path()).map_err(|source| StoreError::Io {
                    path: e.path(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// Replace every deck with `decks` (converted from the notes): written
    /// to the data dir (deck files no longer given are removed) unless the
    /// store is open only to read, and the cards reloaded. A card's history
    /// stays with its id whether or not it is in a deck.
    pub fn set_decks(&mut self, decks: Vec<crate::deck::Deck>) -> Result<(), StoreError> {
        if !self.read_only() {
            cards::write(&self.dir.join(files::CARDS), &decks)?;
        }
        // Cards leaving the decks with a history are kept as retired.
        let now_in: std::collections::HashSet<&str> = decks
            .iter()
            .flat_map(|d| d.cards.iter().map(|c| c.id.0.as_str()))
            .collect();
        let mut retired: Vec<Card> = self
            .retired
            .iter()
            .chain(self.cards.iter())
            .filter(|c| {
                !now_in.contains(c.id.0.as_str()) && self.states.contains_key(c.id.0.as_str())
            })
            .cloned()
            .collect();
        let mut seen = std::collections::HashSet::new();
        retired.retain(|c| seen.insert(c.id.clone()));
        if retired != self.retired && !self.read_only() {
            let deck = crate::deck::Deck {
                name: "retired".into(),
                cards: retired.clone(),
            };
            atomic_write(
                &self.dir.join(files::RETIRED),
                decks::to_ron(&deck).as_bytes(),
            )?;
        }
        self.retired = retired;
        self.cards = study_order(decks);
        self.index = self
            .cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.0.to_string(), i))
            .collect();
        self.sync_all();
        self.revision += 1;
        self.cards_revision += 1;
        Ok(())
    }

    /// Set a card's chapter by hand (`chapter` id and `title` of its deck's
    /// chapter system), kept in the data dir over re-conversion; `None`
    /// goes back to the chapter the notes give.
    pub fn set_chapter(
        &mut self,
        card: &str,
        chapter: Option<(String, String)>,
    ) -> Result<(), StoreError> {
        if self.read_only() {
            return Err(StoreError::ReadOnly {
                path: self.dir.clone(),
            });
        }
        let mut next = self.chapters.clone();
        match chapter {
            Some(ch) => {
                next.insert(card.to_string(), ch);
            }
            None => {
                next.remove(card);
            }
        }
        chapters::write(&self.dir.join(files::CHAPTERS), &next)?;
        // Back to the notes' chapter.
        if !next.contains_key(card)
            && let Some(&i) = self.index.get(card)
            && let Some((chapter, title)) = self.notes_chapters.remove(card)
        {
            self.cards[i].chapter = chapter;
            self.cards[i].chapter_title = title;
        }
        self.chapters = next;
        self.sync_all();
        self.revision += 1;
        self.cards_revision += 1;
        Ok(())
    }

    /// Chapters set by hand, by card id.
    pub fn chapter_overrides(&self) -> &chapters::Overrides {
        &self.chapters
    }

    /// Cards that left the decks with a history (their last content).
    pub fn retired_cards(&self) -> &[Card] {
        &self.retired
    }

    /// Side files holding torn journal tails moved aside, now or earlier
    /// (`journal.ron.torn-N`), in name order.
    pub fn torn_files(&self) -> Vec<PathBuf> {
        let prefix = format!("{}{}", files::JOURNAL, journal::TORN_SUFFIX);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    }

    fn sync_all(&mut self) {
        chapters::apply(&self.chapters, &mut self.cards, &mut self.notes_chapters);
        self.by_index = self
            .cards
            .iter()
            .map(|c| self.states.get(c.id.0.as_str()).cloned())
            .collect();
    }

    fn sync_card(&mut self, id: &str) {
        if let Some(&i) = self.index.get(id) {
            self.by_index[i] = self.states.get(id).cloned();
        }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A torn journal tail found (and moved aside) at open.
    pub fn torn_tail(&self) -> Option<&TornTail> {
        self.torn.as_ref()
    }

    /// Cards in study order.
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// Index of a card in [`Store::cards`].
    pub fn card_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A card's state (`None` for a card never touched).
    pub fn state(&self, id: &str) -> Option<&CardState> {
        self.states.get(id)
    }

    /// Every state, including cards no longer in any deck.
    pub fn states(&self) -> &HashMap<String, CardState> {
        &self.states
    }

    /// Card ids with history that are in no deck now (kept; they come back
    /// with their history if the card returns).
    pub fn removed_cards(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .states
            .keys()
            .filter(|k| !self.index.contains_key(k.as_str()))
            .map(String::as_str)
            .collect();
        v.sort_unstable();
        v
    }

    /// All journal events in file order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A card's history, in journal order: its events, each with the time
    /// of the undo that cancelled it (an undone answer stays in the history,
    /// marked, as it stays in the journal).
    pub fn history(&self, card: &str) -> Vec<HistoryEntry<'_>> {
        let mut entries: Vec<HistoryEntry<'_>> = self
            .events
            .iter()
            .filter(|e| e.card() == Some(card))
            .map(|event| HistoryEntry {
                event,
                undone_at: None,
            })
            .collect();
        let place: HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(k, e)| (e.event.id(), k))
            .collect();
        for e in &self.events {
            if let Event::Undo { of, at: when, .. } = e
                && let Some(&k) = place.get(of.as_str())
            {
                // The first undo counts (a merged journal may hold two).
                entries[k].undone_at.get_or_insert(*when);
            }
        }
        entries
    }

    /// A number that changes whenever the events, the card states or the
    /// settings change: what is computed from them can be kept until then.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A number that changes whenever the cards change (a note edited and
    /// converted again): what is computed from the cards alone can be kept
    /// until then.
    pub fn cards_revision(&self) -> u64 {
        self.cards_revision
    }

    /// Settings.
    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }

    /// Change and save settings (atomically); states are replayed when the
    /// scheduling part changed.
    pub fn save_settings(&mut self, s: AppSettings) -> Result<(), StoreError> {
        settings::write(&self.dir.join(files::SETTINGS), &s)?;
        let replay_needed = s.scheduling != self.settings.scheduling;
        self.settings = s;
        self.revision += 1;
        if replay_needed {
            self.states = replay::replay(&self.events, &self.settings.scheduling);
            self.sync_all();
        }
        Ok(())
    }

    /// The study day of a moment under the current settings.
    pub fn study_day(&self, at: DateTime<FixedOffset>) -> NaiveDate {
        self.settings.scheduling.study_day(at)
    }

    /// Today's queue over [`Store::cards`].
    pub fn queue(&self, today: NaiveDate) -> queue::Queue {
        queue::build(&self.by_index, today, &self.settings.scheduling)
    }

    /// Append events durably, then apply them.
    fn record(&mut self, events: Vec<Event>) -> Result<(), StoreError> {
        self.journal()?.append(&events)?;
        self.revision += 1;
        for e in events {
            match &e {
                Event::Undo { of, .. } => {
                    let card = self
                        .events
                        .iter()
                        .find(|x| x.id() == of)
                        .and_then(|x| x.card().map(str::to_string));
                    self.events.push(e);
                    if let Some(card) = card {
                        let st =
                            replay::replay_card(&self.events, &card, &self.settings.scheduling);
                        if st == CardState::default() {
                            self.states.remove(&card);
                        } else {
                            self.states.insert(card.clone(), st);
                        }
                        self.sync_card(&card);
                    }
                }
                _ => {
                    replay::apply(&mut self.states, &e, &self.settings.scheduling);
                    if let Some(card) = e.card() {
                        let card = card.to_string();
                        self.sync_card(&card);
                    }
                    self.events.push(e);
                }
            }
        }
        Ok(())
    }

    /// Record an answer (durable when this returns); returns its event id.
    pub fn review(
        &mut self,
        card: &str,
        quality: u8,
        mode: Mode,
        at: DateTime<FixedOffset>,
        ms: u32,
    ) -> Result<String, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(vec![Event::Review {
            id: id.clone(),
            card: card.to_string(),
            at,
            grade: quality.min(5),
            mode,
            ms,
        }])?;
        Ok(id)
    }

    /// The last answer of study day `today` that can still be undone (not
    /// undone already), newest first in journal order.
    pub fn last_answer_of_day(&self, today: NaiveDate) -> Option<&Event> {
        let undone: std::collections::HashSet<&str> = self
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Undo { of, .. } => Some(of.as_str()),
                _ => None,
            })
            .collect();
        self.events.iter().rev().find(|e| {
            matches!(e, Event::Review { .. })
                && self.study_day(e.at()) == today
                && !undone.contains(e.id())
        })
    }

    /// Cancel an earlier event (recorded as an event itself).
    pub fn undo(&mut self, of: &str, at: DateTime<FixedOffset>) -> Result<String, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(vec![Event::Undo {
            id: id.clone(),
            at,
            of: of.to_string(),
        }])?;
        Ok(id)
    }

    /// Suspend a card.
    pub fn suspend(&mut self, card: &str, at: DateTime<FixedOffset>) -> Result<String, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(vec![Event::Suspend {
            id: id.clone(),
            card: card.into(),
            at,
        }])?;
        Ok(id)
    }

    /// Unsuspend a card.
    pub fn unsuspend(
        &mut self,
        card: &str,
        at: DateTime<FixedOffset>,
    ) -> Result<String, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(vec![Event::Unsuspend {
            id: id.clone(),
            card: card.into(),
            at,
        }])?;
        Ok(id)
    }

    /// Bury a card until the next study day.
    pub fn bury(&mut self, card: &str, at: DateTime<FixedOffset>) -> Result<String, StoreError> {
        let id = self.journal()?.next_id(at);
        self.record(vec![Event::Bury {
            id: id.clone(),
            card: card.into(),
            at,
        }])?;
        Ok(id)
    }

    /// What each button would do for a card now.
    pub fn next_states(&self, card: &str, at: DateTime<FixedOffset>) -> [CardState; 4] {
        let st = self.states.get(card).cloned().unwrap_or_default();
        schedule::next_states(&st, at, &self.settings.scheduling, card)
    }

    /// Write the snapshot of the current states.
    pub fn save_snapshot(&self) -> Result<(), StoreError> {
        if self.read_only() {
            return Err(StoreError::ReadOnly {
                path: self.dir.clone(),
            });
        }
        snapshot::write(
            &self.dir.join(files::SNAPSHOT),
            &self.events,
            &self.settings.scheduling,
            &self.states,
        )
    }

    /// Union with another journal, read at `now`: its valid events unknown
    /// here are appended (fsynced), then every state is replayed. Lines
    /// that are not valid events are skipped and reported (see
    /// [`merge::problem`]); an event id is taken at most once, and one
    /// known here with other content is reported, not taken.
    pub fn merge(
        &mut self,
        other: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        let bytes = std::fs::read(other).map_err(|source| StoreError::Io {
            path: other.to_path_buf(),
            source,
        })?;
        let incoming = merge::read_other(&String::from_utf8_lossy(&bytes), now);
        let mut known: HashMap<&str, &Event> = self.events.iter().map(|e| (e.id(), e)).collect();
        let mut report = MergeReport {
            skipped: incoming.skipped,
            ..MergeReport::default()
        };
        let mut new: Vec<&Event> = Vec::new();
        for (line, e) in &incoming.events {
            match known.get(e.id()) {
                Some(&mine) if mine == e => report.known += 1,
                Some(_) => report.conflicts.push(merge::Skip {
                    line: *line,
                    reason: format!(
                        "event {} is known here with other content; neither was changed",
                        e.id()
                    ),
                }),
                None => {
                    known.insert(e.id(), e);
                    new.push(e);
                }
            }
        }
        report.added = new.len();
        let new: Vec<Event> = new.into_iter().cloned().collect();
        if !new.is_empty() {
            self.journal()?.append(&new)?;
            self.events.extend(new);
        }
        self.revision += 1;
        self.states = replay::replay(&self.events, &self.settings.scheduling);
        self.sync_all();
        self.save_snapshot()?;
        Ok(report)
    }
}
