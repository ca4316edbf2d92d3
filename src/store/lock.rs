//! One running instance per data directory: an OS file lock on `lock`,
//! held for the life of the [`Lock`], with the holder's pid written in it.

use crate::error::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// How many times a held lock is tried again before it is reported.
const LOCK_RETRIES: u32 = 10;
/// How long to wait between tries.
const LOCK_RETRY_WAIT: std::time::Duration = std::time::Duration::from_millis(30);

/// A held lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

/// Take the lock of `dir`, or say who holds it.
pub fn acquire(dir: &Path) -> Result<Lock, StoreError> {
    let path = dir.join("lock");
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    // A lock held a moment longer by a process that is closing (or by a
    // child process between its fork and its exec, which shares the open
    // file for that moment) is waited for, briefly.
    let mut tries = 0;
    let locked = loop {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) if tries < LOCK_RETRIES => {
                tries += 1;
                std::thread::sleep(LOCK_RETRY_WAIT);
            }
            other => break other,
        }
    };
    match locked {
        Ok(()) => {
            file.set_len(0).map_err(io)?;
            file.rewind().map_err(io)?;
            write!(file, "{}", std::process::id()).map_err(io)?;
            Ok(Lock { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            Err(StoreError::Locked {
                path,
                pid: if pid.trim().is_empty() {
                    "unknown".into()
                } else {
                    pid.trim().to_string()
                },
            })
        }
        Err(TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Take the lock of `dir` only if it is free at once (`None` when another
/// process holds it or the lock file cannot be opened for writing).
pub fn try_acquire(dir: &Path) -> Option<Lock> {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join("lock"))
        .ok()?;
    file.try_lock().ok()?;
    Some(Lock { _file: file })
}
