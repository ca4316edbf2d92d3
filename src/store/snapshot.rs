//! The snapshot (`snapshot.ron`): card states derived from the journal, so
//! a start need not replay it. It records how many events it covers, the
//! last one's id and the scheduling settings it was computed with; if any
//! differs from the journal read at start it is stale and rebuilt. It is
//! never trusted over the journal.
//!
//! Unlike decks and the journal it stores [`CardState`] as it is: it is a
//! cache, and one of an unknown shape is simply rebuilt.

use super::journal::Event;
use crate::error::StoreError;
use crate::schedule::{CardState, Settings};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// Version of the snapshot format.
pub const SNAPSHOT_VERSION: u32 = 1;

/// A snapshot as read from disk.
#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    /// Format version.
    pub version: u32,
    /// Events of the journal it covers.
    pub events: u64,
    /// Id of the last of them.
    pub last_event: String,
    /// Scheduling settings used (RON).
    pub settings: String,
    /// States by card id.
    pub states: HashMap<String, CardState>,
}

fn settings_key(s: &Settings) -> String {
    ron::to_string(s).unwrap_or_default()
}

impl Snapshot {
    /// Does it describe exactly this journal under these settings?
    pub fn matches(&self, events: &[Event], settings: &Settings) -> bool {
        self.version == SNAPSHOT_VERSION
            && self.events == events.len() as u64
            && self.last_event == events.last().map(Event::id).unwrap_or("")
            && self.settings == settings_key(settings)
    }
}

/// Read a snapshot; `Ok(None)` when there is none or it does not parse
/// (a stale cache is rebuilt, not an error).
pub fn read(path: &Path) -> Result<Option<Snapshot>, StoreError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(ron::from_str(&text).ok()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Parse snapshot text (for benchmarks and tests).
pub fn parse(text: &str) -> Option<Snapshot> {
    ron::from_str(text).ok()
}

/// Write a snapshot atomically.
pub fn write(
    path: &Path,
    events: &[Event],
    settings: &Settings,
    states: &HashMap<String, CardState>,
) -> Result<(), StoreError> {
    let snap = SnapshotRef {
        version: SNAPSHOT_VERSION,
        events: events.len() as u64,
        last_event: events.last().map(Event::id).unwrap_or(""),
        settings: settings_key(settings),
        states,
    };
    let text = ron::to_string(&snap).unwrap_or_default();
    super::atomic_write(path, text.as_bytes())
}

#[derive(Serialize)]
struct SnapshotRef<'a> {
    version: u32,
    events: u64,
    last_event: &'a str,
    settings: String,
    states: &'a HashMap<String, CardState>,
}
