//! The review journal: the source of truth. One RON event per line,
//! appended and fsynced before an answer is acknowledged.
//!
//! * Every event has a unique id: a version 7 UUID (the event's time in
//!   milliseconds, then random bits, monotonic within a process). Ids do not
//!   depend on any file of the data dir, so a copied data dir or a restored
//!   backup cannot issue an id twice. Journals written with the older
//!   `<device>-<sequence>` ids still load.
//! * A last line without its newline is either a whole event whose newline
//!   was not written (kept; the newline is added) or a torn append (a crash
//!   mid-write): that is moved to a side file next to the journal, reported,
//!   and the journal is cut back to its last complete line.
//! * Any other line that does not parse makes the whole journal unreadable:
//!   an error names the file and line, and nothing is ever written to it.
//! * A failed append (disk full, I/O error) is cut back to the last good
//!   length before anything else is written; if even that fails, the
//!   journal refuses every further write until it is opened again.
//!
//! Reading ([`read`]) never writes; [`Journal::open`] repairs the tail and
//! opens the file for appending. A journal that is a symbolic link is
//! followed (read and appended through), never replaced.

pub use super::event_id::EventId;
use crate::error::StoreError;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use std::fs::{File, OpenOptions};
use std::io::BufRead;
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
        id: EventId,
        /// Card id.
        card: SmolStr,
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
        id: EventId,
        /// When.
        at: DateTime<FixedOffset>,
        /// The id of the cancelled event.
        of: EventId,
    },
    /// Card taken out of reviews.
    Suspend {
        /// Unique event id.
        id: EventId,
        /// Card id.
        card: SmolStr,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Card back in reviews.
    Unsuspend {
        /// Unique event id.
        id: EventId,
        /// Card id.
        card: SmolStr,
        /// When.
        at: DateTime<FixedOffset>,
    },
    /// Card hidden until the next study day.
    Bury {
        /// Unique event id.
        id: EventId,
        /// Card id.
        card: SmolStr,
        /// When.
        at: DateTime<FixedOffset>,
    },
}

impl Event {
    /// The event's unique id.
    pub fn id(&self) -> &EventId {
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
    let scan = scan(path, text.as_bytes(), 0, 0)?;
    Ok((scan.events, scan.complete))
}

/// What [`scan`] finds.
struct Scan {
    /// Events of the complete lines.
    events: Vec<Event>,
    /// Places to start reading at (see [`Read::marks`]), offsets from the
    /// start of the input.
    marks: Vec<(u64, u64)>,
    /// Bytes of the complete lines.
    complete: usize,
    /// What follows the last newline.
    tail: Vec<u8>,
    /// Nothing but whitespace was read.
    blank: bool,
}

/// Read `input` a line at a time (the whole text is never held): the
/// events of its complete lines, and what follows the last newline. A
/// complete line that is not an event, or not UTF-8, is an error with its
/// line number (counted from 1, plus `lines_before`).
fn scan(
    path: &Path,
    mut input: impl BufRead,
    lines_before: usize,
    expected: usize,
) -> Result<Scan, StoreError> {
    let corrupt = |line: usize, message: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: lines_before + line,
        message,
    };
    let mut scan = Scan {
        events: Vec::with_capacity(expected),
        marks: Vec::new(),
        complete: 0,
        tail: Vec::new(),
        blank: true,
    };
    let mut buf = Vec::new();
    for n in 1.. {
        buf.clear();
        let read = input
            .read_until(b'\n', &mut buf)
            .map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if read == 0 {
            break;
        }
        scan.blank &= buf.iter().all(u8::is_ascii_whitespace);
        if buf.last() != Some(&b'\n') {
            scan.tail = std::mem::take(&mut buf);
            break;
        }
        let line = std::str::from_utf8(&buf).map_err(|_| corrupt(n, "not UTF-8".into()))?;
        if let Some(e) = parse_line(line).map_err(|m| corrupt(n, m))? {
            let number = scan.events.len() as u64;
            if number.is_multiple_of(MARK_EVERY) {
                scan.marks.push((number, scan.complete as u64));
            }
            scan.events.push(e);
        }
        scan.complete += read;
    }
    Ok(scan)
}

/// The events of the journal at `path`, from byte `from` on (the start of
/// a line), whose line `wanted` says yes to (only those lines are parsed),
/// in file order: a lookup of one card or one event, without a million
/// events in memory. Lines that are not events and an unfinished last line
/// are passed over (opening the store reads the whole journal and reports
/// them); a missing journal has none.
pub fn read_where(
    path: &Path,
    from: u64,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<Event>, StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(from)).map_err(io)?;
    let mut input = std::io::BufReader::new(file);
    let mut found = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf).map_err(io)? == 0 {
            break;
        }
        let whole = buf.last() == Some(&b'\n');
        if let Ok(line) = std::str::from_utf8(&buf)
            && whole
            && wanted(line)
            && let Ok(Some(e)) = parse_line(line)
        {
            found.push(e);
        }
    }
    Ok(found)
}

/// The events of card `card`, and every undo (which names no card), in
/// file order (see [`read_where`]).
pub fn read_card(path: &Path, card: &str) -> Result<Vec<Event>, StoreError> {
    let quoted = quoted(card);
    let finder = memchr::memmem::Finder::new(quoted.as_bytes());
    let lines = read_where(path, 0, |line| {
        line.trim_start().starts_with("Undo") || finder.find(line.as_bytes()).is_some()
    })?;
    Ok(lines
        .into_iter()
        .filter(|e| e.card().is_none_or(|c| c == card))
        .collect())
}

/// The last event with id `id` in the journal from byte `from` on (see
/// [`read_where`]).
pub fn find(path: &Path, from: u64, id: &EventId) -> Result<Option<Event>, StoreError> {
    let quoted = id.with_text(quoted);
    let finder = memchr::memmem::Finder::new(quoted.as_bytes());
    let lines = read_where(path, from, |line| finder.find(line.as_bytes()).is_some())?;
    Ok(lines.into_iter().rev().find(|e| e.id() == id))
}

/// `text` as a RON string, as the journal writes it (quotes, escapes).
fn quoted(text: &str) -> String {
    ron::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

/// One line: `Ok(None)` for a blank or comment line.
pub fn parse_line(line: &str) -> Result<Option<Event>, String> {
    let l = line.trim();
    if l.is_empty() || l.starts_with("//") {
        return Ok(None);
    }
    ron::from_str(l).map(Some).map_err(|e| e.code.to_string())
}

/// How many events apart the places a reader can start at are kept
/// (see [`Read::marks`]).
pub const MARK_EVERY: u64 = 4096;

/// A journal as read from disk, before anything is repaired.
#[derive(Debug)]
pub struct Read {
    /// Was there a file?
    pub exists: bool,
    /// Its events, in file order.
    pub events: Vec<Event>,
    /// Places to start reading at: for every [`MARK_EVERY`]-th event read
    /// (the first included), its number among the events read and the
    /// byte offset of its line in the file.
    pub marks: Vec<(u64, u64)>,
    /// Bytes of the file that hold complete lines (the last event included
    /// when only its newline is missing).
    pub complete: usize,
    /// The last event is whole but its newline was never written.
    pub missing_newline: bool,
    /// Bytes after the last complete line that are not an event (a torn
    /// append), with the line they start on.
    pub torn: Option<(Vec<u8>, usize)>,
    /// The file holds nothing but whitespace (not even the header).
    pub blank: bool,
}

/// Read the journal at `path` without writing anything. A symbolic link is
/// followed; one that points nowhere is an error (its target is named),
/// never taken for a missing journal.
pub fn read(path: &Path) -> Result<Read, StoreError> {
    read_from(path, 0)
}

/// Lines (1-based) before byte `offset` of the file at `path`, counted when
/// a message needs one.
fn lines_before(path: &Path, offset: u64) -> usize {
    let bytes = std::fs::read(path).unwrap_or_default();
    let end = (offset as usize).min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count()
}

/// [`read`] of the part of the journal from byte `offset` on (the end of a
/// complete line): what was appended after a cache was written. Offsets in
/// the result are from the start of the file.
pub fn read_from(path: &Path, offset: u64) -> Result<Read, StoreError> {
    read_expecting(path, offset, 0)
}

/// [`read_from`], with room made at once for the `expected` events the
/// caller knows the file holds (a list of a million events grown by
/// doubling would copy itself and hold two copies at its peak).
pub fn read_expecting(path: &Path, offset: u64, expected: u64) -> Result<Read, StoreError> {
    let expected = usize::try_from(expected)
        .unwrap_or(0)
        .min(super::whole_list::RESERVE_AT_MOST);
    let io = |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(target) = std::fs::read_link(path) {
                let target = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
                return Err(StoreError::DanglingLink {
                    path: path.to_path_buf(),
                    target,
                });
            }
            return Ok(Read {
                exists: false,
                events: Vec::new(),
                marks: Vec::new(),
                complete: 0,
                missing_newline: false,
                torn: None,
                blank: false,
            });
        }
        Err(e) => return Err(io(e)),
    };
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset)).map_err(io)?;
    // Line numbers in messages count the lines before `offset` too (read
    // only when there is a message).
    let scan = scan(path, std::io::BufReader::new(file), 0, expected).map_err(|e| match e {
        StoreError::Corrupt {
            path,
            line,
            message,
        } if offset > 0 => StoreError::Corrupt {
            line: line + lines_before(&path, offset),
            path,
            message,
        },
        other => other,
    })?;
    let Scan {
        mut events,
        marks,
        mut complete,
        tail,
        blank,
    } = scan;
    let marks = marks
        .into_iter()
        .map(|(number, at)| (number, offset + at))
        .collect();
    let mut missing_newline = false;
    let mut torn = None;
    if !tail.is_empty() {
        match std::str::from_utf8(&tail).map(parse_line) {
            Ok(Ok(Some(e))) => {
                events.push(e);
                complete += tail.len();
                missing_newline = true;
            }
            // A comment or blank remainder is part of no event.
            Ok(Ok(None)) => complete += tail.len(),
            // Not UTF-8 (a character cut in two) or not an event: torn.
            _ => {
                let line = lines_before(path, offset + complete as u64) + 1;
                torn = Some((tail, line));
            }
        }
    }
    Ok(Read {
        exists: true,
        blank: offset == 0 && blank,
        events,
        marks,
        complete: offset as usize + complete,
        missing_newline,
        torn,
    })
}

/// What the journal is written through: the OS file, or (in tests) a
/// wrapper that fails on purpose, as a full disk would.
pub trait JournalFile: Send + std::fmt::Debug {
    /// Write all of `bytes` at the end of the file.
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Make what was written durable.
    fn sync_data(&mut self) -> std::io::Result<()>;
    /// Cut the file back to `len` bytes, durably.
    fn set_len(&mut self, len: u64) -> std::io::Result<()>;
}

impl JournalFile for File {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Write::write_all(self, bytes)
    }

    fn sync_data(&mut self) -> std::io::Result<()> {
        File::sync_data(self)
    }

    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        File::set_len(self, len)?;
        File::sync_all(self)
    }
}

/// Makes event ids: version 7 UUIDs from the event's time, monotonic
/// within this process even when the clock repeats or goes back.
#[derive(Debug, Default)]
pub struct IdMaker(uuid::ContextV7);

impl IdMaker {
    /// A fresh unique id for an event at `at`.
    pub fn next(&self, at: DateTime<FixedOffset>) -> EventId {
        let ms = at.timestamp_millis().max(0) as u64;
        let ts = uuid::Timestamp::from_unix(&self.0, ms / 1000, (ms % 1000) as u32 * 1_000_000);
        EventId::from_uuid(uuid::Uuid::new_v7(ts))
    }
}

/// An open journal file, ready to append.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Box<dyn JournalFile>,
    /// Bytes of complete, acknowledged lines.
    len: u64,
    /// Why writes stopped (a failed append that could not be cut back).
    stopped: Option<String>,
    ids: IdMaker,
}

impl Journal {
    /// Open the journal read as `read` for appending: create it when
    /// missing, add a missing last newline, move a torn tail aside.
    pub fn open(path: &Path, read: &Read) -> Result<(Journal, Option<TornTail>), StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if !read.exists {
            super::atomic_write(path, format!("{HEADER}\n").as_bytes())?;
        }
        let mut torn = None;
        if let Some((tail, line)) = &read.torn {
            let side = side_path(path);
            super::atomic_write(&side, tail)?;
            let f = OpenOptions::new().write(true).open(path).map_err(io)?;
            f.set_len(read.complete as u64).map_err(io)?;
            f.sync_all().map_err(io)?;
            torn = Some(TornTail {
                side_file: side,
                bytes: tail.len(),
                line: *line,
            });
        }
        let mut file = OpenOptions::new().append(true).open(path).map_err(io)?;
        if read.missing_newline {
            Write::write_all(&mut file, b"\n").map_err(io)?;
            file.sync_data().map_err(io)?;
        }
        let len = file.metadata().map_err(io)?.len();
        Ok((
            Journal {
                path: path.to_path_buf(),
                file: Box::new(file),
                len,
                stopped: None,
                ids: IdMaker::default(),
            },
            torn,
        ))
    }

    /// A fresh unique event id for an event at `at`.
    pub fn next_id(&self, at: DateTime<FixedOffset>) -> EventId {
        self.ids.next(at)
    }

    /// Append events and fsync: when this returns `Ok`, they are durable.
    /// On failure nothing of them stays in the file.
    pub fn append(&mut self, events: &[Event]) -> Result<(), StoreError> {
        if let Some(why) = &self.stopped {
            return Err(StoreError::WritesStopped {
                path: self.path.clone(),
                why: why.clone(),
            });
        }
        let mut buf = String::new();
        for e in events {
            buf.push_str(&e.to_line());
            buf.push('\n');
        }
        let written = self
            .file
            .write_all(buf.as_bytes())
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += buf.len() as u64;
                Ok(())
            }
            Err(source) => {
                let cut_back = self.file.set_len(self.len);
                if let Err(cut) = &cut_back {
                    self.stopped = Some(format!(
                        "an answer could not be written ({source}) nor taken back ({cut})"
                    ));
                }
                Err(StoreError::NotSaved {
                    path: self.path.clone(),
                    source,
                    cut_back: cut_back.is_ok(),
                })
            }
        }
    }

    /// Write through `wrap(file)` from now on (tests put a failing disk here).
    pub fn wrap_file(&mut self, wrap: impl FnOnce(Box<dyn JournalFile>) -> Box<dyn JournalFile>) {
        let file = std::mem::replace(&mut self.file, Box::new(NoFile));
        self.file = wrap(file);
    }

    /// Bytes of complete, acknowledged lines in the journal.
    pub fn bytes(&self) -> u64 {
        self.len
    }

    /// Path of the journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Stands in for the file for the moment [`Journal::wrap_file`] swaps it.
#[derive(Debug)]
struct NoFile;

impl JournalFile for NoFile {
    fn write_all(&mut self, _: &[u8]) -> std::io::Result<()> {
        Err(std::io::ErrorKind::NotConnected.into())
    }
    fn sync_data(&mut self) -> std::io::Result<()> {
        Err(std::io::ErrorKind::NotConnected.into())
    }
    fn set_len(&mut self, _: u64) -> std::io::Result<()> {
        Err(std::io::ErrorKind::NotConnected.into())
    }
}

/// Suffix of the side files torn tails are moved to (`journal.ron.torn-N`).
pub const TORN_SUFFIX: &str = ".torn-";

/// A side file name for a torn tail that does not overwrite an earlier one.
fn side_path(path: &Path) -> PathBuf {
    let stem = path
        .file_name()
        .map_or("journal".into(), |n| n.to_string_lossy().into_owned());
    let dir = path.parent().unwrap_or(Path::new("."));
    (1..)
        .map(|n| dir.join(format!("{stem}{TORN_SUFFIX}{n}")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
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

    #[test]
    fn ids_are_unique_and_ordered_even_at_one_instant() {
        let ids = IdMaker::default();
        let at = DateTime::parse_from_rfc3339("2026-11-22T09:14:03+09:00").unwrap();
        let made: Vec<String> = (0..1000).map(|_| ids.next(at).to_string()).collect();
        assert!(made.windows(2).all(|w| w[0] < w[1]));
        // Another maker (a copied data dir, another process) shares none.
        let other = IdMaker::default();
        let theirs: std::collections::HashSet<String> =
            (0..1000).map(|_| other.next(at).to_string()).collect();
        assert!(made.iter().all(|id| !theirs.contains(id)));
    }
}
