//! What every data command shares: the data dir, the notes, `--now`, and
//! opening the store in step with the notes.

use anyhow::{Context, Result};
use bokseup::notes::folder::{self, Source};
use bokseup::store::Store;
use chrono::{DateTime, FixedOffset};
use std::path::PathBuf;

use super::convert::classifier_in;

/// Options every data command shares.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) data_dir: Option<PathBuf>,
    pub(crate) notes: Option<PathBuf>,
    pub(crate) decks: Option<PathBuf>,
    pub(crate) now: Option<String>,
}

/// How a command opens the data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// To record: the lock is taken.
    Write,
    /// Only to read.
    Read,
    /// Only to count the queue (see [`Store::open_to_count`]).
    Count,
}

impl Ctx {
    pub(crate) fn dir(&self) -> Result<PathBuf> {
        match &self.data_dir {
            Some(d) => Ok(d.clone()),
            None => bokseup::store::default_data_dir()
                .context("no data directory: pass --data-dir or set BOKSEUP_DATA_DIR"),
        }
    }

    /// Open the data dir (unless to write: nothing written, no lock taken)
    /// and bring its cards in step with the notes; `None` as the refresh
    /// when `--decks` gave the cards.
    pub(crate) fn open_with_notes(
        &self,
        access: Access,
    ) -> Result<(Store, Option<folder::Refresh>)> {
        let dir = self.dir()?;
        let decks = self.decks.as_deref();
        let read_only = access != Access::Write;
        let mut store = match access {
            Access::Count => Store::open_to_count(&dir, decks)?,
            Access::Read => Store::open_read_only(&dir, decks)?,
            Access::Write => {
                let store = Store::open(&dir, decks)?;
                if let Some(t) = store.torn_tail() {
                    eprintln!(
                        "warning: {}:{}: an incomplete last line ({} bytes, from an interrupted write) was moved to {}",
                        dir.join(bokseup::store::files::JOURNAL).display(),
                        t.line,
                        t.bytes,
                        t.side_file.display()
                    );
                }
                store
            }
        };
        if decks.is_some() {
            return Ok((store, None));
        }
        if let Some(notes) = &self.notes {
            if !notes.is_dir() {
                anyhow::bail!("--notes {}: not a folder", notes.display());
            }
            let notes = notes.canonicalize().unwrap_or_else(|_| notes.clone());
            if !read_only && store.settings().notes_folder.as_ref() != Some(&notes) {
                let mut s = store.settings().clone();
                s.notes_folder = Some(notes.clone());
                store.save_settings(s)?;
            }
        }
        let folder = self
            .notes
            .clone()
            .or_else(|| store.settings().notes_folder.clone());
        let source = match folder {
            Some(f) => Source::Folder(f),
            None => Source::Bundled,
        };
        let root = match &source {
            Source::Folder(f) => Some(f.as_path()),
            Source::Bundled => None,
        };
        let (classifier, key) = classifier_in(root)?;
        let refresh = folder::refresh(&source, &classifier, key, &mut store)?;
        for f in &refresh.failures {
            eprintln!("warning: {}", f.message);
        }
        Ok((store, Some(refresh)))
    }

    /// The data dir, only to read.
    pub(crate) fn open_read_only(&self) -> Result<Store> {
        Ok(self.open_with_notes(Access::Read)?.0)
    }

    /// The data dir, only to count the queue (see [`Store::open_to_count`]).
    pub(crate) fn open_to_count(&self) -> Result<Store> {
        Ok(self.open_with_notes(Access::Count)?.0)
    }

    pub(crate) fn open(&self) -> Result<Store> {
        Ok(self.open_with_notes(Access::Write)?.0)
    }

    pub(crate) fn now(&self) -> Result<DateTime<FixedOffset>> {
        match &self.now {
            Some(s) => {
                DateTime::parse_from_rfc3339(s).with_context(|| format!("--now {s}: not RFC 3339"))
            }
            None => Ok(chrono::Local::now().fixed_offset()),
        }
    }
}
