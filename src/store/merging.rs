//! Taking in another journal's events by id (the `merge` command and sync).

use super::{MergeReport, Store, journal, merge, replay};
use crate::error::StoreError;
use chrono::{DateTime, FixedOffset};
use journal::{Event, EventId};
use std::collections::HashMap;
use std::path::Path;

impl Store {
    /// Union with another journal, read at `now`: its valid events unknown
    /// here are appended (fsynced), then every state is replayed. Lines
    /// that are not valid events are skipped and reported (see
    /// [`merge::problem`]); an event id is taken at most once, and one
    /// known here with other content is reported, not taken.
    pub fn merge(
        &mut self,
        other: &Path,
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        let bytes = std::fs::read(other).map_err(|source| StoreError::Io {
            path: other.to_path_buf(),
            source,
        })?;
        self.merge_text(&String::from_utf8_lossy(&bytes), now)
    }

    /// [`Store::merge`] on a journal's text; nothing is written or
    /// replayed when it brings no new event.
    pub fn merge_text(
        &mut self,
        text: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<MergeReport, StoreError> {
        let incoming = merge::read_other(text, now);
        let mut report = MergeReport {
            skipped: incoming.skipped,
            ..MergeReport::default()
        };
        // The whole history, read for this merge and let go after it.
        let mut all = self.read_history()?;
        // The events new here, copied out before anything is written.
        let new: Vec<Event> = {
            let mut known: HashMap<&EventId, &Event> = all.iter().map(|e| (e.id(), e)).collect();
            let mut new: Vec<&Event> = Vec::new();
            for (line, e) in &incoming.events {
                match known.get(e.id()) {
                    Some(&mine) if mine == e => report.known += 1,
                    Some(_) => report.conflicts.push(merge::Skip {
                        line: *line,
                        reason: format!(
                            "event {} is known here with other content; neither was changed",
                            e.id()
                        ),
                    }),
                    None => {
                        known.insert(e.id(), e);
                        new.push(e);
                    }
                }
            }
            new.into_iter().cloned().collect()
        };
        report.added = new.len();
        if new.is_empty() {
            return Ok(report);
        }
        {
            let offset = self.journal()?.bytes();
            self.journal()?.append(&new)?;
            self.days.place(self.event_count, offset);
            for (number, e) in (self.event_count..).zip(&new) {
                let day = self.study_day(e.at());
                self.days.event(number, day);
            }
            self.event_count += new.len() as u64;
            self.last_id = new.last().map(|e| e.id().clone());
            all.extend(new.iter().cloned());
            self.recent.extend(new);
        }
        self.revision += 1;
        let all = all.as_slice();
        let (states, memory) = crate::readiness::replay_with_memory(all, &self.settings.scheduling);
        let days = replay::answers_per_day(all, &self.settings.scheduling);
        let latest = all.iter().map(Event::at).max();
        self.states = states.into();
        self.memory = memory.into();
        self.answers_per_day = days;
        self.latest = latest;
        self.sync_all();
        self.save_cache()?;
        Ok(report)
    }
}
