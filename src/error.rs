//! Error types of the library. The binary wraps them with `anyhow`.

use std::path::PathBuf;
use thiserror::Error;

/// A note that could not be turned into cards.
#[derive(Debug, Error)]
pub enum NoteError {
    /// The file could not be read at all.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// Bytes that are not UTF-8.
    #[error("{path}:{line}: not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// A NUL byte: this is a binary file, not a note.
    #[error("{path}:{line}: binary file (NUL byte), not a Markdown note")]
    Binary {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first NUL byte.
        line: usize,
    },
    /// Nothing but whitespace.
    #[error("{path}: empty note")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// Larger than [`crate::notes::load::MAX_NOTE_BYTES`].
    #[error("{path}: too large ({size} bytes; a note may have at most {limit} bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// Lists or quotes nested deeper than [`crate::notes::parse::MAX_DEPTH`].
    #[error("{path}:{line}: nesting deeper than {limit} levels")]
    TooDeep {
        /// The file.
        path: PathBuf,
        /// 1-based line where the limit was passed.
        line: usize,
        /// The limit.
        limit: usize,
    },
}

/// A data file (journal, cache, settings, deck) that could not be used.
#[derive(Debug, Error)]
pub enum StoreError {
    /// I/O failure on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file does not parse; it is left untouched.
    #[error("{path}:{line}: cannot read this file ({message}); it was left untouched")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Another instance holds the data directory.
    #[error("{path}: the data directory is in use by another bokseup (pid {pid}); close it first")]
    Locked {
        /// The lock file.
        path: PathBuf,
        /// Process id written by the holder, if known.
        pid: String,
    },
    /// The journal is a symbolic link to a file that does not exist.
    #[error(
        "{path}: links to {target}, which does not exist (a sync folder or drive not mounted?); nothing was written"
    )]
    DanglingLink {
        /// The journal's path.
        path: PathBuf,
        /// Where the link points.
        target: PathBuf,
    },
    /// The journal holds fewer events than the cache says it covered, or
    /// not the last of them: reviews went missing.
    #[error(
        "{path}: the journal holds {found} events, but {cache} records {expected} events (the last one {last_event}){missing}; reviews are missing (a sync folder not mounted, an old backup?). Nothing was written. Put the full journal back; or, to accept the journal as it is, delete {cache}"
    , missing = if *has_last { "" } else { ", which the journal does not hold" })]
    JournalShort {
        /// The journal.
        path: PathBuf,
        /// The cache that says more.
        cache: PathBuf,
        /// Events the cache covered.
        expected: u64,
        /// Events found in the journal.
        found: u64,
        /// Id of the last event the cache covered.
        last_event: String,
        /// Does the journal hold that event at all?
        has_last: bool,
    },
    /// The journal is empty: not even its header line.
    #[error(
        "{path}: the journal is empty (it always holds at least its header line); nothing was written. Restore it from a backup, or delete it to start a new history"
    )]
    JournalEmpty {
        /// The journal.
        path: PathBuf,
    },
    /// An append failed: the answer was not saved.
    #[error("{path}: the answer was not saved: {source}{after}", after = if *cut_back {
        "; the journal was cut back to its last complete line"
    } else {
        "; the journal could not be cut back, so nothing more will be written until bokseup is started again"
    })]
    NotSaved {
        /// The journal.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
        /// Was the file cut back to its last good length?
        cut_back: bool,
    },
    /// Writes were stopped by an earlier failure.
    #[error(
        "{path}: not saved: writing stopped after an earlier failure ({why}); start bokseup again"
    )]
    WritesStopped {
        /// The journal.
        path: PathBuf,
        /// The earlier failure.
        why: String,
    },
    /// The data dir was opened only to read.
    #[error("{path}: opened read-only; nothing can be written")]
    ReadOnly {
        /// The data directory.
        path: PathBuf,
    },
    /// A deck whose name cannot be a file name.
    #[error(
        "deck name {name:?} is not a plain name (one file name: no /, \\ or leading .); nothing was written"
    )]
    BadDeckName {
        /// The name.
        name: String,
    },
    /// A file written by a newer version.
    #[error("{path}: version {found} is newer than this program understands ({supported})")]
    Version {
        /// The file.
        path: PathBuf,
        /// Version found in the file.
        found: u32,
        /// Highest version this build reads.
        supported: u32,
    },
}
