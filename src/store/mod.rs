//! Everything that touches files of the data directory and the deck files.
//!
//! Every write is atomic: a temporary file in the same directory, written,
//! fsynced, renamed over the target, then the directory fsynced.

pub mod cache;
pub mod cards;
pub mod chapters;
pub mod decks;
pub mod journal;
pub mod lock;
pub mod merge;
pub mod replay;
pub mod settings;
pub mod sync;

use crate::deck::Card;
use crate::schedule::{self, CardState, queue};
use chrono::{DateTime, FixedOffset, NaiveDate};
use journal::{Event, Journal, Mode, TornTail};
use settings::AppSettings;
use std::collections::{BTreeMap, HashMap};
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

/// A history to read in the background (see [`Store::history_to_read`]).
#[derive(Debug, Clone)]
pub struct HistoryRead {
    /// The journal.
    pub journal: PathBuf,
    /// How many events it held when asked.
    pub events: u64,
}

impl HistoryRead {
    /// Read it (any thread): the journal's events, none when it cannot be read.
    pub fn read(&self) -> Vec<Event> {
        journal::read(&self.journal)
            .map(|r| r.events)
            .unwrap_or_default()
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
    /// Every event of the journal, read when first asked for: a start with
    /// a valid cache reads only the events appended after it.
    events: std::cell::OnceCell<Vec<Event>>,
    /// Events read at the start beyond the cache, and recorded since, in
    /// journal order.
    recent: Vec<Event>,
    /// How many events the journal holds.
    event_count: u64,
    /// Answers that count, per study day.
    answers_per_day: BTreeMap<NaiveDate, u32>,
    /// The latest event time applied to the states.
    latest: Option<DateTime<FixedOffset>>,
    /// For events recorded by this store: the card's state before them (an
    /// undo restores it without replaying the card's whole history).
    before: HashMap<String, (String, Option<CardState>)>,
    settings: AppSettings,
    cards: Vec<Card>,
    /// Card id → place in `cards`, made when first asked for (what only
    /// counts the queue never needs it).
    index: std::cell::OnceCell<rustc_hash::FxHashMap<smol_str::SmolStr, usize>>,
    states: crate::store::replay::States,
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
    /// Do the cards hold their questions and answers? (A store open only
    /// to read leaves them out until asked: see [`Store::ensure_texts`].)
    has_texts: bool,
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

/// Refuse a journal that lost events the cache says it had: fewer events,
/// or not the cache's last event at its place.
fn check_coverage(
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
        .is_some_and(|e| e.id() == covered.last_event);
    if found >= covered.events && at_place {
        return Ok(());
    }
    Err(StoreError::JournalShort {
        path: journal_path.to_path_buf(),
        cache: cache_path.to_path_buf(),
        expected: covered.events,
        found,
        last_event: covered.last_event.clone(),
        has_last: events.iter().any(|e| e.id() == covered.last_event),
    })
}

/// Can `tail` (events appended after a cache whose latest event time is
/// `latest`) be applied on top of the cache's states one by one, in file
/// order? Only if it holds no undo and nothing dated before `latest`
/// (replay orders events by time, so an earlier one would come first).
fn applies_in_order(tail: &[Event], latest: Option<DateTime<FixedOffset>>) -> bool {
    let mut last = latest;
    for e in tail {
        if matches!(e, Event::Undo { .. }) || last.is_some_and(|l| e.at() < l) {
            return false;
        }
        last = Some(e.at());
    }
    true
}

/// Events appended since the cache was written after which the next
/// writable start writes the cache again.
pub const CACHE_REWRITE_AFTER: usize = 1_000;

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
fn sort_for_study(decks: &mut [crate::deck::Deck]) {
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
        let cached = cache::read(&cache_path);
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
        let (read, from, rebuilt, states, days, latest, count) = match (from_cache, cached) {
            (Some((tail, latest)), Some(c)) => {
                let mut states = c.states;
                let mut days = c.answers_per_day;
                let mut latest = latest;
                for e in &tail.events {
                    replay::apply(&mut states, e, &settings.scheduling);
                    if let Event::Review { at, .. } = e {
                        *days.entry(settings.scheduling.study_day(*at)).or_insert(0) += 1;
                    }
                    latest = Some(e.at());
                }
                let count = c.coverage.events + tail.events.len() as u64;
                let from = c.coverage.bytes;
                (tail, from, false, states, days, latest, count)
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
                let states = replay::replay(&read.events, &settings.scheduling);
                let days = replay::answers_per_day(&read.events, &settings.scheduling);
                let latest = read.events.iter().map(Event::at).max();
                let count = read.events.len() as u64;
                (read, 0, true, states, days, latest, count)
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
        let (recent, all) = if rebuilt {
            (Vec::new(), Some(read.events))
        } else {
            (read.events, None)
        };
        let cards = study_order(decks);
        let events = std::cell::OnceCell::new();
        if let Some(all) = all {
            let _ = events.set(all);
        }
        let mut store = Store {
            dir: dir.to_path_buf(),
            _lock: lock,
            journal,
            events,
            recent,
            event_count: count,
            answers_per_day: days,
            latest,
            before: HashMap::new(),
            settings,
            cards,
            index: std::cell::OnceCell::new(),
            states,
            by_index: Vec::new(),
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
        if !writable {
            // Kept only while writing the cache: what only reads reads the
            // whole history again if it asks for it.
            store.events = std::cell::OnceCell::new();
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
            self.cards = study_order(decks);
            self.sync_all();
            self.cards_revision += 1;
        }
        self.has_texts = true;
        Ok(())
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
    pub fn set_decks(&mut self, mut decks: Vec<crate::deck::Deck>) -> Result<(), StoreError> {
        sort_for_study(&mut decks);
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
        self.has_texts = true;
        self.index = std::cell::OnceCell::new();
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
            && let Some(&i) = self.index().get(card)
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
        if let Some(&i) = self.index().get(id) {
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
        self.index().get(id).copied()
    }

    fn index(&self) -> &rustc_hash::FxHashMap<smol_str::SmolStr, usize> {
        self.index.get_or_init(|| {
            self.cards
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.0.clone(), i))
                .collect()
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

    /// Card ids with history that are in no deck now (kept; they come back
    /// with their history if the card returns).
    pub fn removed_cards(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .states
            .keys()
            .filter(|k| !self.index().contains_key(k.as_str()))
            .map(|k| k.as_str())
            .collect();
        v.sort_unstable();
        v
    }

    /// All journal events in file order (read from the journal the first
    /// time they are asked for, when the start used the cache).
    pub fn events(&self) -> &[Event] {
        self.events.get_or_init(|| {
            journal::read(&self.dir.join(files::JOURNAL))
                .map(|r| r.events)
                .unwrap_or_default()
        })
    }

    /// What to read, away from this store (another thread), to have the
    /// whole history without waiting for it: `None` when it is read
    /// already. Give what was read to [`Store::adopt_history`].
    pub fn history_to_read(&self) -> Option<HistoryRead> {
        (!self.events_loaded()).then(|| HistoryRead {
            journal: self.dir.join(files::JOURNAL),
            events: self.event_count,
        })
    }

    /// Take the events `read` found (the whole journal, read while this
    /// store went on recording): those it recorded since are added from
    /// its recent events. Ignored — the history is then read when asked
    /// for — when the history is read already or `events` cannot be what
    /// the journal held; `true` when taken.
    pub fn adopt_history(&mut self, read: &HistoryRead, mut events: Vec<Event>) -> bool {
        let found = events.len() as u64;
        if self.events_loaded() || found < read.events || found > self.event_count {
            return false;
        }
        let missing = usize::try_from(self.event_count - found).unwrap_or(usize::MAX);
        let Some(since) = self.recent.len().checked_sub(missing) else {
            return false;
        };
        events.extend(self.recent[since..].iter().cloned());
        let _ = self.events.set(events);
        true
    }

    /// The journal's last event since the cache: the last this store
    /// recorded, once it has recorded any.
    pub fn last_recorded(&self) -> Option<&Event> {
        self.recent.last()
    }

    /// Have all events been read (see [`Store::events`])?
    pub fn events_loaded(&self) -> bool {
        self.events.get().is_some()
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
    /// marked, as it stays in the journal).
    pub fn history(&self, card: &str) -> Vec<HistoryEntry<'_>> {
        let events = self.events();
        let mut entries: Vec<HistoryEntry<'_>> = events
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
        for e in events {
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
            let all = self.events();
            let states = replay::replay(all, &self.settings.scheduling);
            let days = replay::answers_per_day(all, &self.settings.scheduling);
            self.states = states;
            self.answers_per_day = days;
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

    /// The card and time of an event, looked up among the recent events
    /// first, then among all.
    fn find_event(&self, id: &str) -> Option<Event> {
        self.recent
            .iter()
            .rev()
            .find(|e| e.id() == id)
            .or_else(|| self.events().iter().rev().find(|e| e.id() == id))
            .cloned()
    }

    /// Append events durably, then apply them.
    fn record(&mut self, events: Vec<Event>) -> Result<(), StoreError> {
        self.journal()?.append(&events)?;
        self.revision += 1;
        for e in events {
            self.event_count += 1;
            if let Some(all) = self.events.get_mut() {
                all.push(e.clone());
            }
            match &e {
                Event::Undo { of, .. } => {
                    let undone = self.find_event(of);
                    self.recent.push(e.clone());
                    let Some(undone) = undone else { continue };
                    if let Event::Review { at, .. } = &undone {
                        let day = self.study_day(*at);
                        if let Some(n) = self.answers_per_day.get_mut(&day) {
                            *n = n.saturating_sub(1);
                        }
                    }
                    let Some(card) = undone.card().map(str::to_string) else {
                        continue;
                    };
                    let st = self.state_without(of, &card);
                    if st == CardState::default() {
                        self.states.remove(card.as_str());
                    } else {
                        self.states.insert(card.as_str().into(), st);
                    }
                    self.sync_card(&card);
                }
                _ => {
                    if let Some(card) = e.card() {
                        self.before.insert(
                            e.id().to_string(),
                            (card.to_string(), self.states.get(card).cloned()),
                        );
                    }
                    replay::apply(&mut self.states, &e, &self.settings.scheduling);
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
        }
        Ok(())
    }

    /// A card's state once event `undone` (just undone) is taken out: when
    /// this store recorded it, the state before it with the card's later
    /// recent events applied again; else the card's whole history replayed.
    fn state_without(&self, undone: &str, card: &str) -> CardState {
        let settings = &self.settings.scheduling;
        let Some((_, before)) = self.before.get(undone) else {
            return replay::replay_card(self.events(), card, settings);
        };
        // Only what was recorded after it matters: that card's events,
        // less those undone since.
        let Some(at) = self.recent.iter().rposition(|e| e.id() == undone) else {
            return replay::replay_card(self.events(), card, settings);
        };
        let later = &self.recent[at + 1..];
        let cancelled: std::collections::HashSet<&str> = later
            .iter()
            .filter_map(|e| match e {
                Event::Undo { of, .. } => Some(of.as_str()),
                _ => None,
            })
            .collect();
        let mut states: crate::store::replay::States = Default::default();
        if let Some(b) = before {
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
            card: card.into(),
            at,
            grade: quality.min(5),
            mode,
            ms,
        }])?;
        Ok(id)
    }

    /// The last answer of study day `today` that can still be undone (not
    /// undone already), newest first in journal order: among the recent
    /// events when one is there, else among all.
    pub fn last_answer_of_day(&self, today: NaiveDate) -> Option<&Event> {
        let find = |events: &'_ [Event]| -> Option<usize> {
            let undone: std::collections::HashSet<&str> = events
                .iter()
                .filter_map(|e| match e {
                    Event::Undo { of, .. } => Some(of.as_str()),
                    _ => None,
                })
                .collect();
            events.iter().rposition(|e| {
                matches!(e, Event::Review { .. })
                    && self.study_day(e.at()) == today
                    && !undone.contains(e.id())
            })
        };
        if let Some(k) = find(&self.recent) {
            return self.recent.get(k);
        }
        let all = self.events();
        find(all).and_then(|k| all.get(k))
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

    /// Write the cache of the current states (see [`cache`]), covering the
    /// whole journal as it is now.
    pub fn save_cache(&self) -> Result<(), StoreError> {
        let Some(journal) = self.journal.as_ref() else {
            return Err(StoreError::ReadOnly {
                path: self.dir.clone(),
            });
        };
        self.write_cache(journal.bytes())
    }

    /// Write the cache of the journal's first `bytes` (complete lines).
    fn write_cache(&self, bytes: u64) -> Result<(), StoreError> {
        let path = self.dir.join(files::JOURNAL);
        let checkpoint = cache::checkpoint(&path, bytes).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
        let last_event = match (self.recent.last(), self.events.get()) {
            (Some(e), _) => e.id().to_string(),
            (None, Some(all)) => all.last().map(|e| e.id().to_string()).unwrap_or_default(),
            // Nothing since a cache that covers everything: keep its last id.
            (None, None) => cache::read(&self.dir.join(files::CACHE))
                .map(|c| c.coverage.last_event)
                .unwrap_or_default(),
        };
        cache::write(
            &self.dir.join(files::CACHE),
            &cache::Cache {
                version: cache::CACHE_VERSION,
                settings: cache::settings_key(&self.settings.scheduling),
                coverage: cache::Coverage {
                    bytes,
                    events: self.event_count,
                    last_event,
                    checkpoint,
                },
                states: self.states.clone(),
                answers_per_day: self.answers_per_day.clone(),
                latest: self.latest.map(|t| t.to_rfc3339()),
            },
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
        self.merge_text(&String::from_utf8_lossy(&bytes), now)
    }

    /// [`Store::merge`] on a journal's text; nothing is written or
    /// replayed when it brings no new event.
    pub fn merge_text(
        &mut self,
        text: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        let incoming = merge::read_other(text, now);
        let mine = self.events().to_vec();
        let mut known: HashMap<&str, &Event> = mine.iter().map(|e| (e.id(), e)).collect();
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
        if new.is_empty() {
            return Ok(report);
        }
        let new: Vec<Event> = new.into_iter().cloned().collect();
        {
            self.journal()?.append(&new)?;
            self.event_count += new.len() as u64;
            if let Some(all) = self.events.get_mut() {
                all.extend(new.iter().cloned());
            }
            self.recent.extend(new);
        }
        self.revision += 1;
        let all = self.events();
        let states = replay::replay(all, &self.settings.scheduling);
        let days = replay::answers_per_day(all, &self.settings.scheduling);
        let latest = all.iter().map(Event::at).max();
        self.states = states;
        self.answers_per_day = days;
        self.latest = latest;
        self.sync_all();
        self.save_cache()?;
        Ok(report)
    }
}
