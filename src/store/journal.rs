//! The review journal: the source of truth. One RON event per line,
//! appended and fsynced before an answer is acknowledged.
//!
//! * Every event has a unique id `<device>-<sequence>`, so journals of two
//!   machines merge by union of ids.
//! * A last line without its newline is a torn append (a crash mid-write):
//!   it is moved to a side file next to the journal, reported, and the
//!   journal is cut back to its last complete line. Nothing else is dropped.
//! * Any other line that does not parse makes the whole journal unreadable:
//!   an error names the file and line, and nothing is ever written to it.

use crate::error::StoreError;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// First line of a journal file.
pub const HEADER: &str = "// bokseup review journal, version 1: one event per line, append only";

/// How a review was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// A scheduled review: applies SM-2.
    Normal,
    /// A chapter drill: recorded, leaves SM-2 state untouched.
    Drill,
    /// A chapter drill the user chose to count as reviews: applies SM-2.
    DrillCounted,
}

/// One journal event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// An answer.
    Review {
        /// Unique event id.
        id: String,
        /// Card id.
        card: String,
        /// When, with the local offset of the machine.
        at: DateTime<FixedOffset>,
        /// SM-2 quality 0–5 (buttons give 1, 3, 4, 5).
        grade: u8,
        /// Normal review or drill.
        mode: Mode,
        /// Time spent on the card, milliseconds.
        ms: u32,
    },
    /// Cancels an earlier event.
    Undo {
        /// Unique event id.
        id: String,
        /// When.
        at: DateTime<FixedOffset>,
        /// The id of the cancelled event.
        of: String,
    },
    /// Card taken out of reviews.
    Suspend {
        /// Unique event id.
        id: String,
        /// Card id.
        card: String,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Card back in reviews.
    Unsuspend {
        /// Unique event id.
        id: String,
        /// Card id.
        card: String,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Card hidden until the next study day.
    Bury {
        /// Unique event id.
        id: String,
        /// Card id.
        card: String,
        /// When.
        at: DateTime<FixedOffset>,
    },
}

impl Event {
    /// The event's unique id.
    pub fn id(&self) -> &str {
        match self {
            Event::Review { id, .. }
            | Event::Undo { id, .. }
            | Event::Suspend { id, .. }
            | Event::Unsuspend { id, .. }
            | Event::Bury { id, .. } => id,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<FixedOffset> {
        match self {
            Event::Review { at, .. }
            | Event::Undo { at, .. }
            | Event::Suspend { at, .. }
            | Event::Unsuspend { at, .. }
            | Event::Bury { at, .. } => *at,
        }
    }

    /// The card it concerns (none for an undo).
    pub fn card(&self) -> Option<&str> {
        match self {
            Event::Review { card, .. }
            | Event::Suspend { card, .. }
            | Event::Unsuspend { card, .. }
            | Event::Bury { card, .. } => Some(card),
            Event::Undo { .. } => None,
        }
    }

    /// One line of RON, without the newline.
    pub fn to_line(&self) -> String {
        ron::to_string(self).unwrap_or_default()
    }
}

/// A torn last line that was moved aside.
#[derive(Debug, Clone, PartialEq)]
pub struct TornTail {
    /// The side file now holding the bytes.
    pub side_file: PathBuf,
    /// How many bytes.
    pub bytes: usize,
    /// Line number it had in the journal.
    pub line: usize,
}

/// Parse journal text. `Err` names the line; a torn tail is not an error
/// here but returned as the byte offset where complete lines end.
pub fn parse(path: &Path, text: &str) -> Result<(Vec<Event>, usize), StoreError> {
    let complete = match text.rfind('\n') {
        Some(i) => i + 1,
        None => 0,
    };
    let mut events = Vec::new();
    for (i, line) in text[..complete].lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("//") {
            continue;
        }
        let ev: Event = ron::from_str(l).map_err(|e| StoreError::Corrupt {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.code.to_string(),
        })?;
        events.push(ev);
    }
    Ok((events, complete))
}

/// An open journal file, ready to append.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
    device: String,
    next_seq: u64,
}

impl Journal {
    /// Open (or create) the journal at `path`, read all its events, and move
    /// a torn last line aside.
    pub fn open(
        path: &Path,
        device: &str,
    ) -> Result<(Journal, Vec<Event>, Option<TornTail>), StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
                let offset = e.utf8_error().valid_up_to();
                StoreError::Corrupt {
                    path: path.to_path_buf(),
                    line: super::line_of(&String::from_utf8_lossy(e.as_bytes()), offset),
                    message: "not UTF-8".into(),
                }
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                super::atomic_write(path, format!("{HEADER}\n").as_bytes())?;
                format!("{HEADER}\n")
            }
            Err(e) => return Err(io(e)),
        };
        let (events, complete) = parse(path, &text)?;
        let mut torn = None;
        if complete < text.len() {
            let tail = &text[complete..];
            let side = side_path(path);
            super::atomic_write(&side, tail.as_bytes())?;
            let f = OpenOptions::new().write(true).open(path).map_err(io)?;
            f.set_len(complete as u64).map_err(io)?;
            f.sync_all().map_err(io)?;
            torn = Some(TornTail {
                side_file: side,
                bytes: tail.len(),
                line: super::line_of(&text, complete),
            });
        }
        let file = OpenOptions::new().append(true).open(path).map_err(io)?;
        let prefix = format!("{device}-");
        let next_seq = events
            .iter()
            .filter_map(|e| e.id().strip_prefix(&prefix)?.parse::<u64>().ok())
            .max()
            .map_or(1, |m| m + 1);
        Ok((
            Journal {
                path: path.to_path_buf(),
                file,
                device: device.to_string(),
                next_seq,
            },
            events,
            torn,
        ))
    }

    /// A fresh unique event id of this device.
    pub fn next_id(&mut self) -> String {
        let id = format!("{}-{}", self.device, self.next_seq);
        self.next_seq += 1;
        id
    }

    /// Append events and fsync: when this returns `Ok`, they are durable.
    pub fn append(&mut self, events: &[Event]) -> Result<(), StoreError> {
        let mut buf = String::new();
        for e in events {
            buf.push_str(&e.to_line());
            buf.push('\n');
        }
        let io = |source| StoreError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(buf.as_bytes()).map_err(io)?;
        self.file.sync_data().map_err(io)?;
        Ok(())
    }

    /// Path of the journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A side file name for a torn tail that does not overwrite an earlier one.
fn side_path(path: &Path) -> PathBuf {
    let stem = path
        .file_name()
        .map_or("journal".into(), |n| n.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| dir.join(format!("{stem}.torn-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.torn")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_is_one_line_of_ron_and_round_trips() {
        let e = Event::Review {
            id: "ab12-7".into(),
            card: "c\n1".into(),
            at: DateTime::parse_from_rfc3339("2026-11-22T09:14:03+09:00").unwrap(),
            grade: 4,
            mode: Mode::Normal,
            ms: 5300,
        };
        let line = e.to_line();
        assert!(!line.contains('\n'));
        assert!(line.starts_with("Review("));
        assert_eq!(ron::from_str::<Event>(&line).unwrap(), e);
    }

    #[test]
    fn garbage_line_names_its_line() {
        let text = format!("{HEADER}\nnot an event\n");
        let err = parse(Path::new("j.ron"), &text).unwrap_err();
        assert!(err.to_string().starts_with("j.ron:2:"), "{err}");
    }
}
