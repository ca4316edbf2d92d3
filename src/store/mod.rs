//! Everything that touches files of the data directory and the deck files.
//!
//! Every write is atomic: a temporary file in the same directory, written,
//! fsynced, renamed over the target, then the directory fsynced.
//!
//! [`Store`] and its read-only accessors are here; what it does, by concern:
//! opening (`open.rs`), recording answers, undo, suspend, bury
//! (`record.rs`), new decks and chapters set by hand (`deck_change.rs`),
//! the cache, blobs and settings files (`persist.rs`), taking in another
//! journal (`merging.rs`), a shared sync folder ([`sync`]). The file
//! formats: [`journal`], [`cache`], [`cards`], [`decks`], [`settings`].

pub mod cache;
pub mod cards;
pub mod chapters;
pub mod day_index;
pub mod decks;
pub mod journal;
pub mod lock;
pub mod merge;
pub mod replay;
pub mod settings;
pub mod sync;

mod deck_change;
mod event_id;
mod merging;
mod open;
mod persist;
mod record;
pub(crate) mod whole_list;

pub use deck_change::write_decks;
pub use open::study_order;

use crate::deck::Card;
use crate::schedule::{CardState, queue};
use chrono::{DateTime, FixedOffset, NaiveDate};
use journal::{Event, EventId, Journal, TornTail};
use settings::AppSettings;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::error::StoreError;
use std::io::Write;
use std::path::Path;

/// A file kept for the converter in the data dir `dir` (by plain name;
/// none when missing): what [`Store::cache_blob`] reads, for a thread
/// that has no store.
pub fn cache_blob_in(dir: &Path, name: &str) -> Option<Vec<u8>> {
    if !decks::plain_name(name) {
        return None;
    }
    std::fs::read(dir.join(files::NOTES_CACHE).join(name)).ok()
}

/// Keep a file for the converter in the data dir `dir` (atomically; a name
/// that is not plain is ignored): what [`Store::put_cache_blob`] writes,
/// for a thread that has no store.
pub fn put_cache_blob_in(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
    if !decks::plain_name(name) {
        return Ok(());
    }
    atomic_write(&dir.join(files::NOTES_CACHE).join(name), bytes)
}

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

/// A part of the journal to read on any thread (see
/// [`Store::history_since`]; the whole of it: [`Store::read_history`]).
#[derive(Debug, Clone)]
pub struct HistoryRead {
    /// The journal.
    pub journal: PathBuf,
    /// How many events it held when asked.
    pub events: u64,
    /// Where reading starts: the number of the event there and its byte
    /// offset (0, 0: the whole journal).
    pub from: (u64, u64),
}

impl HistoryRead {
    /// Read it (any thread): the journal's events from where it starts.
    pub fn read(&self) -> Result<Vec<Event>, StoreError> {
        let (first, offset) = self.from;
        let expected = self.events.saturating_sub(first);
        journal::read_expecting(&self.journal, offset, expected).map(|r| r.events)
    }
}

/// File names inside a data directory.
pub mod files {
    /// The review journal.
    pub const JOURNAL: &str = "journal.ron";
    /// Derived card states and answers per day (see [`super::cache`]).
    pub const CACHE: &str = "cache.bin";
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
pub struct HistoryEntry {
    /// The card's event.
    pub event: Event,
    /// When it was undone, if it was.
    pub undone_at: Option<DateTime<FixedOffset>>,
}

/// A card's history to read on any thread (see [`Store::history_of`]).
#[derive(Debug, Clone)]
pub struct CardHistoryRead {
    journal: PathBuf,
    card: String,
}

impl CardHistoryRead {
    /// Read it: the lines of the journal that name the card, and the
    /// undos (the rest of the journal is not parsed); none when the
    /// journal cannot be read.
    pub fn read(&self) -> Vec<HistoryEntry> {
        let events = journal::read_card(&self.journal, &self.card).unwrap_or_default();
        let (undos, mine): (Vec<Event>, Vec<Event>) = events
            .into_iter()
            .partition(|e| matches!(e, Event::Undo { .. }));
        let mut entries: Vec<HistoryEntry> = mine
            .into_iter()
            .map(|event| HistoryEntry {
                event,
                undone_at: None,
            })
            .collect();
        for u in &undos {
            if let Event::Undo { of, at, .. } = u
                && let Some(entry) = entries.iter_mut().find(|e| e.event.id() == of)
            {
                // The first undo counts (a merged journal may hold two).
                entry.undone_at.get_or_insert(*at);
            }
        }
        entries
    }
}

/// An open data directory: lock, settings, decks, journal and card states.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Held while the store may write; none when opened read-only.
    _lock: Option<lock::Lock>,
    /// The journal to append to; none when opened read-only.
    journal: Option<Journal>,
    /// The id of the journal's last event (none while it has none).
    last_id: Option<EventId>,
    /// Events read at the start beyond the cache, and recorded since, in
    /// journal order. (The whole history is not kept: what needs more
    /// reads it from the journal, see [`Store::read_history`],
    /// [`Store::history_since`] and [`Store::history`].)
    recent: Vec<Event>,
    /// How many events the journal holds.
    event_count: u64,
    /// Answers that count, per study day.
    answers_per_day: BTreeMap<NaiveDate, u32>,
    /// The latest event time applied to the states.
    latest: Option<DateTime<FixedOffset>>,
    /// For events recorded by this store: what they changed (an undo
    /// restores it without replaying the card's whole history).
    before: HashMap<EventId, record::Before>,
    settings: AppSettings,
    /// Shared with a conversion running on another thread (see
    /// [`Store::shared_cards`]); changed in place when not shared.
    cards: std::sync::Arc<Vec<Card>>,
    /// The places in `cards` sorted by card id (see [`Store::card_index`]),
    /// made when first asked for (what only counts the queue never needs
    /// it). A sorted list: 4 bytes a card, where a map by id took 40.
    index: std::cell::OnceCell<Vec<u32>>,
    /// Shared with work on another thread (see [`Store::shared_states`]);
    /// changed in place when not shared.
    states: std::sync::Arc<crate::store::replay::States>,
    /// The states of [`Store::cards`] by card index (a copy of `states`,
    /// kept in step, so the queue is one sequential scan).
    by_index: Vec<Option<CardState>>,
    /// Each card's last answer and the reviews the readiness curve is
    /// fitted on, kept like the states (see [`crate::readiness::Memory`]).
    memory: std::sync::Arc<crate::readiness::Memory>,
    /// Where the journal's study days start (see [`day_index`]).
    days: day_index::DayIndex,
    /// Were `memory` and `days` read (not by a store opened only to count,
    /// see [`Store::open_to_count`])?
    has_figures: bool,
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
    /// Do the cards hold their questions and answers? (A store open only
    /// to read leaves them out until asked: see [`Store::ensure_texts`].)
    has_texts: bool,
}

/// Prefix of the temporary files atomic writes make (tempfile's default);
/// one left by a killed process is removed at the next start.
const TEMP_PREFIX: &str = ".tmp";

/// Events appended since the cache was written after which the next
/// writable start writes the cache again.
pub const CACHE_REWRITE_AFTER: usize = 1_000;

impl Store {
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

    /// The cards, shared without a copy (for work on another thread, such
    /// as converting a saved note, which matches the new cards with them).
    pub fn shared_cards(&self) -> std::sync::Arc<Vec<Card>> {
        std::sync::Arc::clone(&self.cards)
    }

    /// Index of a card in [`Store::cards`].
    pub fn card_index(&self, id: &str) -> Option<usize> {
        let by_id = self.by_id();
        let at = by_id.partition_point(|&i| self.cards[i as usize].id.0.as_str() < id);
        let i = *by_id.get(at)? as usize;
        (self.cards[i].id.0 == id).then_some(i)
    }

    /// The places in [`Store::cards`] sorted by card id, made when first
    /// asked for.
    fn by_id(&self) -> &[u32] {
        self.index.get_or_init(|| {
            // Sorted as copies of the ids side by side (short ids are held
            // inline), which is much faster than comparing them in place.
            let mut ids: Vec<(smol_str::SmolStr, u32)> = (self.cards.iter())
                .zip(0..)
                .map(|(c, i)| (c.id.0.clone(), i))
                .collect();
            ids.sort_unstable();
            ids.into_iter().map(|(_, i)| i).collect()
        })
    }

    /// A card's state (`None` for a card never touched).
    pub fn state(&self, id: &str) -> Option<&CardState> {
        self.states.get(id)
    }

    /// Every state, including cards no longer in any deck.
    pub fn states(&self) -> &crate::store::replay::States {
        &self.states
    }

    /// The card states, shared without a copy (for figures made on another
    /// thread).
    pub fn shared_states(&self) -> std::sync::Arc<crate::store::replay::States> {
        std::sync::Arc::clone(&self.states)
    }

    fn states_mut(&mut self) -> &mut crate::store::replay::States {
        std::sync::Arc::make_mut(&mut self.states)
    }

    /// Each card's last answer and the reviews the readiness curve is
    /// fitted on, as of every event of the journal (empty in a store opened
    /// only to count).
    pub fn memory(&self) -> &crate::readiness::Memory {
        &self.memory
    }

    /// [`Store::memory`], shared without a copy (for figures made on
    /// another thread).
    pub fn shared_memory(&self) -> std::sync::Arc<crate::readiness::Memory> {
        std::sync::Arc::clone(&self.memory)
    }

    /// Every event of the journal in file order, read from it now (what
    /// the window does never needs them all: see [`Store::history_since`]
    /// and [`Store::history`]).
    pub fn read_history(&self) -> Result<Vec<Event>, StoreError> {
        self.whole_history().read()
    }

    /// The whole journal as it is now, to read.
    fn whole_history(&self) -> HistoryRead {
        HistoryRead {
            journal: self.dir.join(files::JOURNAL),
            events: self.event_count,
            from: (0, 0),
        }
    }

    /// The journal's tail that holds every event of study day `since` or
    /// later (and some before, which the reader filters out), to read on
    /// any thread; `None` when no event is of such a day. Undos of those
    /// events come after them, so they are in it too.
    pub fn history_since(&self, since: NaiveDate) -> Option<HistoryRead> {
        let from = match self.has_figures {
            true => self.days.start_of(since)?,
            false => (0, 0),
        };
        Some(HistoryRead {
            journal: self.dir.join(files::JOURNAL),
            events: self.event_count,
            from,
        })
    }

    /// The journal's last event since the cache: the last this store
    /// recorded, once it has recorded any.
    pub fn last_recorded(&self) -> Option<&Event> {
        self.recent.last()
    }

    /// How many events the journal holds.
    pub fn event_count(&self) -> u64 {
        self.event_count
    }

    /// Answers that count (not undone), per study day.
    pub fn answers_per_day(&self) -> &BTreeMap<NaiveDate, u32> {
        &self.answers_per_day
    }

    /// A card's history, in journal order: its events, each with the time
    /// of the undo that cancelled it (an undone answer stays in the history,
    /// marked, as it stays in the journal). Read from the journal now (see
    /// [`Store::history_of`] to read it on another thread).
    pub fn history(&self, card: &str) -> Vec<HistoryEntry> {
        self.history_of(card).read()
    }

    /// [`Store::history`], to read on any thread.
    pub fn history_of(&self, card: &str) -> CardHistoryRead {
        CardHistoryRead {
            journal: self.dir.join(files::JOURNAL),
            card: card.to_string(),
        }
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

    /// The study day of a moment under the current settings.
    pub fn study_day(&self, at: DateTime<FixedOffset>) -> NaiveDate {
        self.settings.scheduling.study_day(at)
    }

    /// Today's queue over [`Store::cards`].
    pub fn queue(&self, today: NaiveDate) -> queue::Queue {
        queue::build(&self.by_index, today, &self.settings.scheduling)
    }
}
