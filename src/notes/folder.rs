//! The notes folder: which notes it holds, what changed since the last
//! conversion, and converting only that.
//!
//! * [`list`] walks the folder (sub-folders too; hidden ones such as
//!   `.obsidian` and `.git` are left out) for `*.md`, `*.markdown` and
//!   `*.txt` notes. A file that is not a regular file (a FIFO, a device),
//!   a symbolic link that points nowhere or back into a folder already
//!   walked is reported with its path, never opened, so nothing hangs.
//! * [`refresh`] (in `refresh.rs`, named here too) brings the cards in
//!   step with the notes, converting only the notes that changed.
//! * [`Watcher`] tells the window a note was saved.
//!
//! With no folder set, the example notes compiled into the program are the
//! notes ([`Source::Bundled`]). This is the one module of the converter that
//! does I/O: it reads notes and keeps its fingerprints and cache in the data
//! dir through the [`crate::store::Store`].

pub use super::refresh::{Prepared, Refresh, finish, prepare, refresh};

use super::chapters::Classifier;
use super::{NoteFailure, NoteInput, bundled, convert_note, load};
use crate::deck::Deck;
use std::collections::HashSet;
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
pub(super) fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
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
