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

/// A data file (journal, snapshot, settings, deck) that could not be used.
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
