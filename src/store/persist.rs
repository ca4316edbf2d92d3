//! Files beside the journal: the cache, the converter's blobs, the
//! settings, pieces of torn writes.

use super::{Store, TEMP_PREFIX, cache, files, journal, replay, settings};
use crate::error::StoreError;
use settings::AppSettings;
use std::path::PathBuf;

impl Store {
    /// A file the converter keeps in the data dir (see [`files::NOTES_CACHE`]),
    /// if it is there.
    pub fn cache_blob(&self, name: &str) -> Option<Vec<u8>> {
        super::cache_blob_in(&self.dir, name)
    }

    /// Keep a file for the converter (atomically); nothing is written when
    /// the store is open only to read.
    pub fn put_cache_blob(&self, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        if self.read_only() {
            return Ok(());
        }
        super::put_cache_blob_in(&self.dir, name, bytes)
    }

    /// Remove the converter's files for which `keep` says no.
    pub fn retain_cache_blobs(&self, keep: &dyn Fn(&str) -> bool) -> Result<(), StoreError> {
        if self.read_only() {
            return Ok(());
        }
        let dir = self.dir.join(files::NOTES_CACHE);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !keep(&name) && !name.starts_with(TEMP_PREFIX) {
                std::fs::remove_file(e.path()).map_err(|source| StoreError::Io {
                    path: e.path(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// Write the cache of the current states (see [`cache`]), covering the
    /// whole journal as it is now.
    pub fn save_cache(&self) -> Result<(), StoreError> {
        let Some(journal) = self.journal.as_ref() else {
            return Err(StoreError::ReadOnly {
                path: self.dir.clone(),
            });
        };
        self.write_cache(journal.bytes())
    }

    /// Write the cache of the journal's first `bytes` (complete lines);
    /// nothing from a store opened only to count (it has no figures to
    /// keep).
    pub(super) fn write_cache(&self, bytes: u64) -> Result<(), StoreError> {
        if !self.has_figures {
            return Ok(());
        }
        let path = self.dir.join(files::JOURNAL);
        let checkpoint = cache::checkpoint(&path, bytes).map_err(|source| StoreError::Io {
            path: path.clone(),
            source,
        })?;
        let last_event = self
            .last_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        cache::write(
            &self.dir.join(files::CACHE),
            &cache::Cache {
                version: cache::CACHE_VERSION,
                settings: cache::settings_key(&self.settings.scheduling),
                coverage: cache::Coverage {
                    bytes,
                    events: self.event_count,
                    last_event,
                    checkpoint,
                },
                states: (*self.states).clone(),
                answers_per_day: self.answers_per_day.clone(),
                latest: self.latest.map(|t| t.to_rfc3339()),
                figures: Some(cache::Figures {
                    memory: (*self.memory).clone(),
                    day_index: self.days.clone(),
                }),
            },
        )
    }

    /// Change and save settings (atomically); states are replayed when the
    /// scheduling part changed.
    pub fn save_settings(&mut self, s: AppSettings) -> Result<(), StoreError> {
        settings::write(&self.dir.join(files::SETTINGS), &s)?;
        let replay_needed = s.scheduling != self.settings.scheduling;
        self.settings = s;
        self.revision += 1;
        if replay_needed {
            let all = self.read_history()?;
            let all = all.as_slice();
            let (states, memory) =
                crate::readiness::replay_with_memory(all, &self.settings.scheduling);
            let days = replay::answers_per_day(all, &self.settings.scheduling);
            self.states = states.into();
            self.memory = memory.into();
            // The study days may start at another hour now.
            self.days.clear_days();
            for (number, e) in (0..).zip(all) {
                self.days
                    .event(number, self.settings.scheduling.study_day(e.at()));
            }
            self.answers_per_day = days;
            self.sync_all();
        }
        Ok(())
    }

    /// Side files holding torn journal tails moved aside, now or earlier
    /// (`journal.ron.torn-N`), in name order.
    pub fn torn_files(&self) -> Vec<PathBuf> {
        let prefix = format!("{}{}", files::JOURNAL, journal::TORN_SUFFIX);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        found.sort();
        found
    }
}
