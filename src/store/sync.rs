//! Sync through a shared folder (Syncthing, Dropbox, iCloud Drive, a git
//! repo): each device appends only to its own file there,
//! `journal-<device>.ron`, and reads everyone else's, taking the union of
//! events by id (as `merge` does). No file is written by two devices, so a
//! sync tool never makes a conflict copy. The data dir (journal, cache,
//! lock) stays local; `sync.ron` there remembers the device id, how much of
//! the local journal is already in the device's file, and the other files
//! as last read (skipped while unchanged).
//!
//! A file that is half-synced ends in an incomplete line: it is read up to
//! its last complete line, and the rest is read again next time.

use super::{MergeReport, Store, atomic_write};
use crate::error::StoreError;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The file in the data dir that remembers the sync.
pub const SYNC_STATE: &str = "sync.ron";

/// What `sync.ron` holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncState {
    /// This device's id: its file is `journal-<device>.ron`.
    pub device: String,
    /// The folder the rest is about.
    pub folder: Option<PathBuf>,
    /// Bytes of the local journal already appended to the device's file.
    pub pushed: u64,
    /// The device's file's size after the last append (another size: the
    /// file was replaced or cut, and everything is appended again).
    pub own_len: u64,
    /// Other devices' files as last read: name → (complete bytes, modified ns).
    pub seen: BTreeMap<String, (u64, i128)>,
}

/// What one sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    /// This device's file in the folder.
    pub own_file: PathBuf,
    /// Other devices' files read (changed since last time).
    pub read: usize,
    /// Events they held that were new here.
    pub pulled: usize,
    /// Lines appended to this device's file.
    pub pushed: usize,
    /// Files that ended in an incomplete line (read again next time).
    pub incomplete: Vec<PathBuf>,
    /// Lines not taken, with file and why.
    pub skipped: Vec<(PathBuf, super::merge::Skip)>,
}

/// The name of a device's file.
pub fn device_file(device: &str) -> String {
    format!("journal-{device}.ron")
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Read `sync.ron` in `dir` (a new device id when missing).
pub fn read_state(dir: &Path) -> Result<SyncState, StoreError> {
    let path = dir.join(SYNC_STATE);
    match std::fs::read_to_string(&path) {
        Ok(text) => ron::from_str(&text).map_err(|e| StoreError::Corrupt {
            path: path.clone(),
            line: e.span.start.line,
            message: e.code.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SyncState {
            device: uuid::Uuid::now_v7().simple().to_string(),
            ..SyncState::default()
        }),
        Err(e) => Err(io(&path)(e)),
    }
}

fn write_state(dir: &Path, state: &SyncState) -> Result<(), StoreError> {
    let text = ron::ser::to_string_pretty(state, ron::ser::PrettyConfig::new()).unwrap_or_default();
    atomic_write(&dir.join(SYNC_STATE), format!("{text}\n").as_bytes())
}

/// `bytes` up to and including its last newline.
fn complete_lines(bytes: &[u8]) -> &[u8] {
    match bytes.iter().rposition(|&b| b == b'\n') {
        Some(i) => &bytes[..=i],
        None => &[],
    }
}

/// When a file was last modified, in ns (0 when unknown).
fn modified_ns(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

impl Store {
    /// Sync with `folder`: take the other devices' new events, then append
    /// this device's new journal lines to its own file there (fsynced).
    pub fn sync(
        &mut self,
        folder: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<SyncReport, StoreError> {
        std::fs::create_dir_all(folder).map_err(io(folder))?;
        let mut state = read_state(self.dir())?;
        let before = state.clone();
        if state.folder.as_deref() != Some(folder) {
            // Another folder: everything is pushed and read again there.
            state.folder = Some(folder.to_path_buf());
            state.pushed = 0;
            state.seen.clear();
        }
        let own = device_file(&state.device);
        let mut report = SyncReport {
            own_file: folder.join(&own),
            ..SyncReport::default()
        };
        self.pull(folder, &own, now, &mut state, &mut report)?;
        report.pushed = self.push(&report.own_file, &mut state)?;
        if state != before {
            write_state(self.dir(), &state)?;
        }
        Ok(report)
    }

    /// Read every other device's file that changed since last time.
    fn pull(
        &mut self,
        folder: &Path,
        own: &str,
        now: DateTime<FixedOffset>,
        state: &mut SyncState,
        report: &mut SyncReport,
    ) -> Result<(), StoreError> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .map_err(io(folder))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("journal-") && n.ends_with(".ron") && n != own)
            .collect();
        names.sort();
        for name in names {
            let path = folder.join(&name);
            let Ok(meta) = std::fs::metadata(&path) else {
                continue; // gone meanwhile: read next time
            };
            if !meta.is_file() {
                continue;
            }
            // A file read whole last time (all of it complete lines) and of
            // the same size and time since is not read again: after each
            // answer, the others' files are only looked at.
            if state.seen.get(&name) == Some(&(meta.len(), modified_ns(&meta))) {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let complete = complete_lines(&bytes);
            let mark = (complete.len() as u64, modified_ns(&meta));
            if complete.len() < bytes.len() {
                report.incomplete.push(path.clone());
            }
            if state.seen.get(&name) == Some(&mark) {
                continue;
            }
            let MergeReport {
                added,
                skipped,
                conflicts,
                ..
            } = self.merge_text(&String::from_utf8_lossy(complete), now)?;
            report.read += 1;
            report.pulled += added;
            report.skipped.extend(
                skipped
                    .into_iter()
                    .chain(conflicts)
                    .map(|s| (path.clone(), s)),
            );
            state.seen.insert(name, mark);
        }
        Ok(())
    }

    /// Append the local journal's lines not yet in `own_file` to it; the
    /// number of lines appended.
    fn push(&mut self, own_file: &Path, state: &mut SyncState) -> Result<usize, StoreError> {
        let journal = self.dir().join(super::files::JOURNAL);
        let mut local = std::fs::File::open(&journal).map_err(io(&journal))?;
        let len = local.metadata().map_err(io(&journal))?.len();
        let own_len = std::fs::metadata(own_file).map_or(0, |m| m.len());
        if state.pushed > len || own_len != state.own_len || own_len == 0 {
            // The device's file is not as this device left it: append all
            // again (events already there are taken once by id).
            state.pushed = 0;
        }
        local
            .seek(SeekFrom::Start(state.pushed))
            .map_err(io(&journal))?;
        let mut new = Vec::new();
        local.read_to_end(&mut new).map_err(io(&journal))?;
        let new = complete_lines(&new);
        if new.is_empty() {
            return Ok(0);
        }
        let mut out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(own_file)
            .map_err(io(own_file))?;
        // A write cut short before leaves a line without its end: end it,
        // so the first line appended now stays a line of its own.
        let size = out.metadata().map_err(io(own_file))?.len();
        if size > 0 {
            let mut last = [0u8];
            out.seek(SeekFrom::Start(size - 1)).map_err(io(own_file))?;
            out.read_exact(&mut last).map_err(io(own_file))?;
            if last[0] != b'\n' {
                out.write_all(b"\n").map_err(io(own_file))?;
            }
        }
        out.write_all(new).map_err(io(own_file))?;
        out.sync_data().map_err(io(own_file))?;
        state.pushed += new.len() as u64;
        state.own_len = out.metadata().map_err(io(own_file))?.len();
        Ok(new.iter().filter(|&&b| b == b'\n').count())
    }
}
