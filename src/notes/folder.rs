//! The notes folder: which notes it holds, what changed since the last
//! conversion, and converting only that.
//!
//! * [`list`] walks the folder (sub-folders too; hidden ones such as
//!   `.obsidian` and `.git` are left out) for `*.md`, `*.markdown` and
//!   `*.txt` notes. A file that is not a regular file (a FIFO, a device),
//!   a symbolic link that points nowhere or back into a folder already
//!   walked is reported with its path, never opened, so nothing hangs.
//! * [`refresh`] compares each note's fingerprint (size, modification time,
//!   and — when those changed — a hash of its bytes) with the one kept in
//!   the data dir. Unchanged notes are not read: their cards come from the
//!   per-note cache. With nothing changed, a start reads no note at all.
//!   Changed notes are converted again, all notes' cards merged, ids kept
//!   against the cards of the last conversion, and the decks written.
//!
//! With no folder set, the example notes compiled into the program are the
//! notes ([`Source::Bundled`]). This is the one module of the converter that
//! does I/O: it reads notes and keeps its fingerprints and cache in the data
//! dir through the [`Store`].

use super::chapters::Classifier;
use super::{Conversion, NoteCards, NoteFailure, NoteInput, bundled, convert_note, load};
use crate::deck::Deck;
use crate::error::StoreError;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Bumped whenever the converter's rules change, so cached cards are made
/// again from the notes.
pub const CONVERTER_VERSION: u32 = 3;

/// File extensions of notes.
pub const NOTE_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Where the notes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The example notes compiled into the program.
    Bundled,
    /// A folder of the learner's.
    Folder(PathBuf),
}

impl Source {
    /// The deck of notes at the top of the folder that are not course logs:
    /// the folder's own name.
    pub fn root_deck(&self) -> String {
        match self {
            Source::Bundled => bundled::ROOT_NAME.to_string(),
            Source::Folder(p) => deck_name(
                &p.canonicalize()
                    .unwrap_or_else(|_| p.clone())
                    .file_name()
                    .map_or("notes".into(), |n| n.to_string_lossy().into_owned()),
            ),
        }
    }

    /// How it is named in reports and the settings screen.
    pub fn describe(&self) -> String {
        match self {
            Source::Bundled => "(예제 노트 / bundled example notes)".to_string(),
            Source::Folder(p) => p.display().to_string(),
        }
    }
}

/// A folder name as a deck name: one plain file name (no `/`, `\`, `:`,
/// no leading `.`).
pub fn deck_name(folder: &str) -> String {
    let name: String = folder
        .trim()
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '\0') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim_start_matches('.').trim();
    if name.is_empty() || name == "chapters" {
        "notes".to_string()
    } else {
        name.chars().take(60).collect()
    }
}

/// A note found in the notes folder.
#[derive(Debug, Clone)]
pub struct NoteFile {
    /// Path relative to the notes root, with `/` between folders.
    pub name: String,
    /// The deck it goes to unless it is a course log: its first folder
    /// under the root, or the root's deck.
    pub deck: String,
    place: Place,
}

#[derive(Debug, Clone)]
enum Place {
    Disk(PathBuf),
    Bundled(&'static str),
}

impl NoteFile {
    /// Where it is on disk (none for a bundled note).
    pub fn path(&self) -> Option<&Path> {
        match &self.place {
            Place::Disk(p) => Some(p),
            Place::Bundled(_) => None,
        }
    }

    /// Read its text.
    pub fn read(&self) -> Result<String, String> {
        match &self.place {
            Place::Disk(p) => load::read_note(p).map_err(|e| e.to_string()),
            Place::Bundled(text) => Ok(text.to_string()),
        }
    }
}

/// The deck of a note named `name` (relative to the root).
fn deck_of(name: &str, root_deck: &str) -> String {
    match name.split_once('/') {
        Some((folder, _)) => deck_name(folder),
        None => root_deck.to_string(),
    }
}

fn is_note_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| NOTE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Walk `dir` (a folder under `root`) for notes.
fn walk(
    dir: &Path,
    root: &Path,
    root_deck: &str,
    seen: &mut HashSet<PathBuf>,
    files: &mut Vec<NoteFile>,
    failures: &mut Vec<NoteFailure>,
) {
    let fail = |failures: &mut Vec<NoteFailure>, path: &Path, message: String| {
        failures.push(NoteFailure {
            name: path.display().to_string(),
            message: format!("{}: {message}", path.display()),
        })
    };
    match dir.canonicalize() {
        Ok(real) if !seen.insert(real.clone()) => {
            fail(
                failures,
                dir,
                "a link back into a folder already read (a loop); skipped".into(),
            );
            return;
        }
        Ok(_) => {}
        Err(e) => {
            fail(failures, dir, format!("cannot read: {e}"));
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            fail(failures, dir, format!("cannot read: {e}"));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(file_name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if file_name.starts_with('.') {
            continue;
        }
        // Follows links: a link's target decides.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                if is_note_name(&file_name) {
                    fail(failures, &path, format!("cannot read: {e}"));
                }
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, root, root_deck, seen, files, failures);
        } else if is_note_name(&file_name) {
            if !meta.is_file() {
                fail(
                    failures,
                    &path,
                    "not a regular file (a FIFO, socket or device); skipped".into(),
                );
                continue;
            }
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push(NoteFile {
                deck: deck_of(&name, root_deck),
                name,
                place: Place::Disk(path),
            });
        }
    }
}

/// The notes of `source`, in name order, and what could not be listed.
pub fn list(source: &Source) -> (Vec<NoteFile>, Vec<NoteFailure>) {
    let root_deck = source.root_deck();
    match source {
        Source::Bundled => (
            bundled::NOTES
                .iter()
                .map(|n| NoteFile {
                    name: n.path.to_string(),
                    deck: deck_of(n.path, &root_deck),
                    place: Place::Bundled(n.text),
                })
                .collect(),
            Vec::new(),
        ),
        Source::Folder(root) => {
            let mut files = Vec::new();
            let mut failures = Vec::new();
            walk(
                root,
                root,
                &root_deck,
                &mut HashSet::new(),
                &mut files,
                &mut failures,
            );
            (files, failures)
        }
    }
}

/// Notes under each of `paths` (a note file, or a folder walked as a notes
/// root), for a one-off conversion; each note's deck is taken relative to
/// the path it was found under.
pub fn list_paths(paths: &[PathBuf]) -> (Vec<(NoteFile, PathBuf)>, Vec<NoteFailure>) {
    let mut out = Vec::new();
    let mut failures = Vec::new();
    for p in paths {
        if p.is_dir() {
            let source = Source::Folder(p.clone());
            let (files, f) = list(&source);
            out.extend(files.into_iter().map(|f| (f, p.clone())));
            failures.extend(f);
        } else {
            let parent = p.parent().map(Path::to_path_buf).unwrap_or_default();
            let root_deck = Source::Folder(if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent.clone()
            })
            .root_deck();
            let name = p
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            out.push((
                NoteFile {
                    name,
                    deck: root_deck,
                    place: Place::Disk(p.clone()),
                },
                parent,
            ));
        }
    }
    (out, failures)
}

/// FNV-1a of some bytes: a note's content fingerprint.
fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

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

/// [`look`] and [`convert_found`] in one go, away from the store (for
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

/// Set the prepared decks in the store (written to the data dir unless it
/// is open only to read, or [`prepare`] wrote them) and keep the
/// converter's files.
pub fn finish(prepared: Prepared, store: &mut Store) -> Result<Refresh, StoreError> {
    let Prepared {
        refresh,
        keep,
        written,
    } = prepared;
    let (Some((mut index, kept)), Some(conversion)) = (keep, &refresh.conversion) else {
        return Ok(refresh);
    };
    if written {
        store.adopt_decks(conversion.decks.clone())?;
    } else {
        store.set_decks(conversion.decks.clone())?;
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
    finish(prepared, store)
}

/// The course chapter map a notes folder brings (`chapters.ron` at its
/// top), else the bundled one; with a key that changes with the map's text
/// (a changed map converts every note again). `Err` names the file and line
/// of a map that does not parse.
pub fn chapter_map(folder: Option<&Path>) -> Result<(Classifier, u64), String> {
    let path = folder
        .map(|f| f.join("chapters.ron"))
        .filter(|p| p.is_file());
    let text = match &path {
        Some(p) => {
            std::fs::read_to_string(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?
        }
        None => super::chapters::BUNDLED_MAP.to_string(),
    };
    let classifier = Classifier::from_ron(&text).map_err(|e| {
        let shown = path
            .as_ref()
            .map_or("chapters.ron".into(), |p| p.display().to_string());
        format!("{shown}:{}: {}", e.span.start.line, e.code)
    })?;
    Ok((classifier, fnv64(text.as_bytes())))
}

/// How long the folder must be quiet before a change is reported: an
/// editor's save (often several writes) counts once.
pub const SETTLE: std::time::Duration = std::time::Duration::from_millis(300);

/// Watches a notes folder while the window is open; [`Watcher::changed`]
/// says whether a note changed since it was last asked.
pub struct Watcher {
    _debouncer: notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    changed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Watcher {
    /// Watch `root` (sub-folders too); `wake` is called (from another
    /// thread) after each settled change, e.g. to redraw the window.
    pub fn new(root: &Path, wake: impl Fn() + Send + 'static) -> Result<Watcher, String> {
        use notify_debouncer_mini::notify::RecursiveMode;
        let changed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = changed.clone();
        let given = root.to_path_buf();
        let watched = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut debouncer = notify_debouncer_mini::new_debouncer(
            SETTLE,
            move |events: notify_debouncer_mini::DebounceEventResult| {
                // Anything but hidden files and folders (`.obsidian`, an
                // editor's swap file): a note, or a folder moved or removed.
                let notes_changed = events.is_ok_and(|events| {
                    events.iter().any(|e| {
                        let rel = e
                            .path
                            .strip_prefix(&given)
                            .or_else(|_| e.path.strip_prefix(&watched))
                            .unwrap_or(Path::new(""));
                        !rel.components()
                            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
                    })
                });
                if notes_changed {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                    wake();
                }
            },
        )
        .map_err(|e| format!("{}: cannot watch: {e}", root.display()))?;
        debouncer
            .watcher()
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| format!("{}: cannot watch: {e}", root.display()))?;
        Ok(Watcher {
            _debouncer: debouncer,
            changed,
        })
    }

    /// Did a note change since the last call?
    pub fn changed(&self) -> bool {
        self.changed
            .swap(false, std::sync::atomic::Ordering::SeqCst)
    }
}

/// The decks a conversion of `source` gives, without a store (for tests
/// and one-off runs).
pub fn convert_all(source: &Source, classifier: &Classifier) -> (Vec<Deck>, Vec<NoteFailure>) {
    let (files, mut failures) = list(source);
    let mut notes = Vec::new();
    for f in &files {
        match f
            .read()
            .and_then(|text| convert_note(&NoteInput::new(&f.name, &f.deck, text), classifier))
        {
            Ok(n) => notes.push(n),
            Err(message) => failures.push(NoteFailure {
                name: f.name.clone(),
                message,
            }),
        }
    }
    let c = super::assemble::<crate::deck::Card>(notes, &[], Vec::new());
    (c.decks, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decks_come_from_the_first_folder() {
        assert_eq!(deck_of("a.md", "vault"), "vault");
        assert_eq!(deck_of("Docker/basics/a.md", "vault"), "Docker");
        assert_eq!(deck_name(".hidden"), "hidden");
        assert_eq!(deck_name("a:b"), "a-b");
        assert!(crate::store::decks::plain_name(&deck_name("../x")));
    }

    #[test]
    fn the_bundled_notes_are_listed_with_their_decks() {
        let (files, failures) = list(&Source::Bundled);
        assert!(failures.is_empty());
        let decks: Vec<(&str, &str)> = files
            .iter()
            .map(|f| (f.name.as_str(), f.deck.as_str()))
            .collect();
        assert!(decks.contains(&("book/book-notes.md", "book")));
        assert!(decks.contains(&("course-t2-23-2.md", "notes")));
    }
}
