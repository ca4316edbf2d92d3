//! Chapters the learner set by hand (`chapter-overrides.ron` in the data dir): a
//! card id → chapter id and title. They are laid over the chapters the
//! converter gives, every time the cards are loaded, so a correction
//! survives re-conversion and counts in drills and weak topics. Written
//! atomically; a file that does not parse is reported, never replaced.

use crate::deck::Card;
use crate::error::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// Card id → (chapter id, chapter title).
pub type Overrides = BTreeMap<String, (String, String)>;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    chapters: Overrides,
}

/// Read the overrides (none when the file is missing).
pub fn read(path: &Path) -> Result<Overrides, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Overrides::new()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let file: File = ron::from_str(&text).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: e.span.start.line,
        message: e.code.to_string(),
    })?;
    Ok(file.chapters)
}

/// Write the overrides atomically.
pub fn write(path: &Path, chapters: &Overrides) -> Result<(), StoreError> {
    let file = File {
        version: 1,
        chapters: chapters.clone(),
    };
    let text = ron::ser::to_string_pretty(&file, ron::ser::PrettyConfig::new()).unwrap_or_default();
    super::atomic_write(
        path,
        format!("// Chapters set by hand in bokseup, by card id.\n{text}\n").as_bytes(),
    )
}

/// Lay the overrides over the cards' chapters, keeping the chapter the
/// notes gave each card in `notes_chapters` (to go back to it).
pub fn apply(
    chapters: &Overrides,
    cards: &mut [Card],
    notes_chapters: &mut HashMap<String, (Arc<str>, Arc<str>)>,
) {
    if chapters.is_empty() {
        return;
    }
    for c in cards {
        if let Some((id, title)) = chapters.get(c.id.0.as_str()) {
            if *c.chapter != **id || *c.chapter_title != **title {
                notes_chapters.insert(
                    c.id.0.to_string(),
                    (c.chapter.clone(), c.chapter_title.clone()),
                );
            }
            c.chapter = id.as_str().into();
            c.chapter_title = title.as_str().into();
        }
    }
}
