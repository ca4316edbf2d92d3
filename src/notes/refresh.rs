//! Bringing the cards in step with the notes folder, converting only what
//! changed.
//!
//! [`refresh`] compares each note's fingerprint (size, modification time,
//! and — when those changed — a hash of its bytes) with the one kept in the
//! data dir. Unchanged notes are not read: their cards come from the
//! converter's cache. With nothing changed, a start reads no note at all.
//! Changed notes are converted again, all notes' cards merged, ids kept
//! against the cards of the last conversion, and the decks written.
//!
//! The window does the same in two steps: [`prepare`] on another thread
//! (no store: it reads the notes and the converter's files, converts,
//! matches ids and writes the new card files), then [`finish`] on the
//! frame, which takes the new cards in.

use super::chapters::Classifier;
use super::folder::{CONVERTER_VERSION, NoteFile, Source, fnv64, list};
use super::{Conversion, NoteCards, NoteFailure, NoteInput, convert_note};
use crate::error::StoreError;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// What is known of one note at the last conversion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fingerprint {
    size: u64,
    /// Modification time, nanoseconds since the epoch (0 for a bundled note).
    modified: u128,
    /// FNV-1a of its bytes.
    hash: u64,
    /// Why it could not be read or converted, if it could not.
    failure: Option<String>,
}

/// The fingerprints of the notes at the last conversion (kept in the data
/// dir, small: read at every start).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    converter: u32,
    /// The notes source it describes.
    source: String,
    /// Hash of the chapter map used.
    chapters: u64,
    /// How many cards the conversion gave (cards kept elsewhere that do
    /// not add up to it are converted again).
    cards: usize,
    notes: BTreeMap<String, Fingerprint>,
}

/// Every note's cards at the last conversion, by note (read only when a
/// note changed).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    converter: u32,
    /// Each note's content hash and cards.
    notes: BTreeMap<String, (u64, NoteCards)>,
}

/// Names of the converter's files among the store's cache files.
const INDEX_BLOB: &str = "index.bin";
const CACHE_BLOB: &str = "cards-by-note.bin";

/// What a refresh did.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    /// Notes read and converted again (new or changed).
    pub changed: Vec<String>,
    /// Notes gone since the last conversion.
    pub removed: Vec<String>,
    /// The new decks and report, when anything changed.
    pub conversion: Option<Conversion>,
    /// Notes that could not be read or converted (every refresh lists them).
    pub failures: Vec<NoteFailure>,
}

fn modified_nanos(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// A converter file of the data dir `dir`, decoded (none when missing or
/// unreadable: it is rebuilt).
fn read_blob<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Option<T> {
    postcard::from_bytes(&crate::store::cache_blob_in(dir, name)?).ok()
}

fn write_blob<T: Serialize>(store: &Store, name: &str, value: &T) -> Result<(), StoreError> {
    match postcard::to_stdvec(value) {
        Ok(bytes) => store.put_cache_blob(name, &bytes),
        // Nothing here fails to encode; a cache not kept is rebuilt.
        Err(_) => Ok(()),
    }
}

/// [`write_blob`] where no store is at hand (the data dir `dir` is open to
/// write by the caller's store).
fn write_blob_in<T: Serialize>(dir: &Path, name: &str, value: &T) -> Result<(), StoreError> {
    match postcard::to_stdvec(value) {
        Ok(bytes) => crate::store::put_cache_blob_in(dir, name, &bytes),
        Err(_) => Ok(()),
    }
}

/// What a look at the notes found against the last conversion.
struct Found {
    files: Vec<NoteFile>,
    /// Per note: its text if it must be converted again.
    texts: Vec<Option<String>>,
    index: Index,
    refresh: Refresh,
    failures: Vec<NoteFailure>,
    /// Nothing changed: the cards stay as they are.
    unchanged: bool,
}

/// Look at the notes of `source`: each note's size and time against the
/// fingerprints of the data dir `dir` (whose decks hold `cards` cards);
/// the text of a note that changed is read.
fn look(source: &Source, chapters_key: u64, dir: &Path, cards: usize) -> Found {
    let (files, mut failures) = list(source);
    let old: Index = read_blob(dir, INDEX_BLOB)
        .filter(|i: &Index| {
            i.converter == CONVERTER_VERSION
                && i.source == source.describe()
                && i.chapters == chapters_key
                && i.cards == cards
        })
        .unwrap_or_default();
    let mut index = Index {
        converter: CONVERTER_VERSION,
        source: source.describe(),
        chapters: chapters_key,
        cards: 0,
        notes: BTreeMap::new(),
    };
    let mut refresh = Refresh::default();
    let mut texts: Vec<Option<String>> = Vec::with_capacity(files.len());
    for f in &files {
        let known = old.notes.get(&f.name);
        let (size, modified) = match f.path().map(std::fs::metadata) {
            Some(Ok(m)) => (m.len(), modified_nanos(&m)),
            _ => (0, 0),
        };
        // Size and time unchanged: not read at all (a bundled note is in
        // memory: hashed).
        if f.path().is_some()
            && let Some(k) = known.filter(|k| k.size == size && k.modified == modified)
        {
            index.notes.insert(f.name.clone(), k.clone());
            texts.push(None);
            continue;
        }
        let read = f.read();
        let hash = read.as_ref().map_or(0, |t| fnv64(t.as_bytes()));
        let failure = read.as_ref().err().cloned();
        let unchanged =
            failure.is_none() && known.is_some_and(|k| k.hash == hash && k.failure.is_none());
        index.notes.insert(
            f.name.clone(),
            Fingerprint {
                size,
                modified,
                hash,
                failure,
            },
        );
        if unchanged {
            texts.push(None);
        } else {
            refresh.changed.push(f.name.clone());
            texts.push(read.ok());
        }
    }
    refresh.removed = old
        .notes
        .keys()
        .filter(|k| !index.notes.contains_key(*k))
        .cloned()
        .collect();
    let unchanged =
        refresh.changed.is_empty() && refresh.removed.is_empty() && !old.notes.is_empty();
    if unchanged {
        for (name, fp) in &index.notes {
            if let Some(message) = &fp.failure {
                failures.push(NoteFailure {
                    name: name.clone(),
                    message: message.clone(),
                });
            }
        }
    }
    Found {
        files,
        texts,
        index,
        refresh,
        failures,
        unchanged,
    }
}

/// A refresh worked out, ready for [`finish`]: the slow part of bringing
/// the cards in step (reading the notes and the converter's cache,
/// converting, matching ids), done without the store so that the window
/// can do it on another thread.
pub struct Prepared {
    refresh: Refresh,
    /// The fingerprints and the per-note cards to keep, when the cards
    /// changed.
    keep: Option<(Index, Cache)>,
    /// The new cards and the converter's files are in the data dir
    /// already ([`prepare`] wrote them).
    written: bool,
}

/// Convert the notes `found` changed, reuse the cached cards of the others,
/// and give every card its id against `previous` (the store's `cards`
/// cards, then its retired ones, with their texts).
fn convert_found(
    found: Found,
    classifier: &Classifier,
    dir: &Path,
    previous: &[&crate::deck::Card],
    cards: usize,
) -> Prepared {
    let Found {
        files,
        texts,
        mut index,
        mut refresh,
        mut failures,
        unchanged,
    } = found;
    if unchanged {
        refresh.failures = failures;
        return Prepared {
            refresh,
            keep: None,
            written: false,
        };
    }
    let mut cache: Cache = read_blob(dir, CACHE_BLOB)
        .filter(|c: &Cache| c.converter == CONVERTER_VERSION)
        .unwrap_or_default();
    let mut notes: Vec<NoteCards> = Vec::with_capacity(files.len());
    let mut kept = Cache {
        converter: CONVERTER_VERSION,
        notes: BTreeMap::new(),
    };
    for (f, text) in files.iter().zip(texts) {
        let fp = index.notes.get_mut(&f.name);
        let hash = fp.as_ref().map_or(0, |fp| fp.hash);
        if let Some(message) = fp.as_ref().and_then(|fp| fp.failure.clone()) {
            failures.push(NoteFailure {
                name: f.name.clone(),
                message,
            });
            continue;
        }
        let cached = if text.is_none() {
            cache.notes.remove(&f.name).filter(|(h, _)| *h == hash)
        } else {
            None
        };
        let result = match cached {
            Some((_, cards)) => Ok(cards),
            None => text
                .map_or_else(|| f.read(), Ok)
                .and_then(|text| convert_note(&NoteInput::new(&f.name, &f.deck, text), classifier)),
        };
        match result {
            Ok(cards) => {
                kept.notes.insert(f.name.clone(), (hash, cards.clone()));
                notes.push(cards);
            }
            Err(message) => {
                if let Some(fp) = index.notes.get_mut(&f.name) {
                    fp.failure = Some(message.clone());
                }
                failures.push(NoteFailure {
                    name: f.name.clone(),
                    message,
                });
            }
        }
    }
    let mut conversion = super::assemble(notes, previous, failures.clone());
    // Removed: cards that were in the decks until now (not retired ones).
    let current: HashSet<&str> = previous[..cards.min(previous.len())]
        .iter()
        .map(|c| c.id.0.as_str())
        .collect();
    conversion
        .changes
        .removed
        .retain(|id| current.contains(id.0.as_str()));
    refresh.failures = failures;
    refresh.conversion = Some(conversion);
    Prepared {
        refresh,
        keep: Some((index, kept)),
        written: false,
    }
}

/// Look at the notes and convert what changed, away from the store (for
/// another thread): `cards` and `retired` are the store's cards and
/// retired cards, with their texts, as they were taken. When the cards
/// changed, their files and the converter's are written to the data dir
/// `dir` (open to write by the caller's store) here too, so that
/// [`finish`] only takes the new cards in.
pub fn prepare(
    source: &Source,
    classifier: &Classifier,
    chapters_key: u64,
    dir: &Path,
    cards: &[crate::deck::Card],
    retired: &[crate::deck::Card],
) -> Result<Prepared, StoreError> {
    let found = look(source, chapters_key, dir, cards.len());
    let previous: Vec<&crate::deck::Card> = cards.iter().chain(retired).collect();
    let mut prepared = convert_found(found, classifier, dir, &previous, cards.len());
    if let (Some((index, kept)), Some(conversion)) =
        (&mut prepared.keep, &mut prepared.refresh.conversion)
    {
        crate::store::write_decks(dir, &mut conversion.decks)?;
        index.cards = conversion.cards().count();
        write_blob_in(dir, CACHE_BLOB, kept)?;
        write_blob_in(dir, INDEX_BLOB, index)?;
        prepared.written = true;
    }
    Ok(prepared)
}

/// Give the prepared decks to the store (written to the data dir unless it
/// is open only to read, or [`prepare`] wrote them) and keep the
/// converter's files. The conversion returned has no decks: its cards are
/// the store's now (the window reports only what changed, and copying
/// every card for that took its frame).
pub fn finish(prepared: Prepared, store: &mut Store) -> Result<Refresh, StoreError> {
    let Prepared {
        mut refresh,
        keep,
        written,
    } = prepared;
    let (Some((mut index, kept)), Some(conversion)) = (keep, refresh.conversion.as_mut()) else {
        return Ok(refresh);
    };
    let decks = std::mem::take(&mut conversion.decks);
    if written {
        store.adopt_decks(decks)?;
    } else {
        store.set_decks(decks)?;
        index.cards = store.cards().len();
        write_blob(store, CACHE_BLOB, &kept)?;
        write_blob(store, INDEX_BLOB, &index)?;
    }
    store.retain_cache_blobs(&|name: &str| name == INDEX_BLOB || name == CACHE_BLOB)?;
    Ok(refresh)
}

/// Bring the store's decks in step with the notes of `source`: convert the
/// notes that changed, reuse the cached cards of the others, and set the
/// new decks in the store (written to the data dir unless it is open only
/// to read). `chapters_key` identifies the chapter map (a changed map
/// converts every note again).
pub fn refresh(
    source: &Source,
    classifier: &Classifier,
    chapters_key: u64,
    store: &mut Store,
) -> Result<Refresh, StoreError> {
    let found = look(source, chapters_key, store.dir(), store.cards().len());
    if found.unchanged {
        return Ok(convert_found(found, classifier, store.dir(), &[], 0).refresh);
    }
    // Earlier cards, and those that left with a history: a card that comes
    // back finds its id (by its question: read it if left out).
    store.ensure_texts()?;
    let previous: Vec<&crate::deck::Card> =
        store.cards().iter().chain(store.retired_cards()).collect();
    let prepared = convert_found(
        found,
        classifier,
        store.dir(),
        &previous,
        store.cards().len(),
    );
    // The report lists the cards as converted: they are kept for it.
    let decks = prepared
        .refresh
        .conversion
        .as_ref()
        .map(|c| c.decks.clone());
    let mut refresh = finish(prepared, store)?;
    if let (Some(c), Some(decks)) = (refresh.conversion.as_mut(), decks) {
        c.decks = decks;
    }
    Ok(refresh)
}
