//! Export to Anki: the cards (all, or some chapters) with their schedule,
//! as an `.apkg` package for Anki, AnkiDroid and AnkiMobile.
//!
//! * [`html`] — card Markdown → HTML, images collected as media.
//! * [`apkg`] — the SQLite collection and the zip around it.
//!
//! The schedule is carried over card by card ([`anki_schedule`]): a
//! reviewed card keeps its interval, ease, due date, reviews and lapses; a
//! new card stays new (in study order); a suspended one stays suspended.

pub mod apkg;
pub mod html;

use crate::deck::Card;
use crate::error::StoreError;
use crate::notes::images::{ImageDirs, note_dir, notes_root};
use crate::schedule::CardState;
use crate::store::Store;
use apkg::{Creation, Note, Sched};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use std::path::Path;

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Chapters to export (`10`, or `course:10` for one deck's); empty: all.
    pub chapters: Vec<String>,
}

impl Choice {
    fn includes(&self, card: &Card) -> bool {
        self.chapters.is_empty()
            || self.chapters.iter().any(|c| match c.split_once(':') {
                Some((deck, ch)) => *deck == *card.deck && *ch == *card.chapter,
                None => *c == *card.chapter,
            })
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    /// Notes (one card each).
    pub notes: usize,
    /// Of them, never reviewed / reviewed / suspended.
    pub new: usize,
    pub reviewed: usize,
    pub suspended: usize,
    /// Anki decks (one per chapter).
    pub decks: usize,
    /// Image files carried.
    pub media: usize,
}

/// Anki's schedule fields for a card in `state` on `today`, with review
/// days counted from `created` and `position` its place among new cards.
pub fn anki_schedule(
    state: Option<&CardState>,
    today: NaiveDate,
    created: NaiveDate,
    position: i64,
) -> Sched {
    let hidden = |s: &CardState, queue: i64| {
        if s.suspended {
            -1
        } else if s.buried_until.is_some_and(|d| d > today) {
            -3
        } else {
            queue
        }
    };
    match state {
        Some(s) if !s.is_new() => {
            // A card to repeat today is due today; others on their day.
            let day = if s.in_learning(today) {
                today
            } else {
                s.due.unwrap_or(today)
            };
            Sched {
                kind: 2,
                queue: hidden(s, 2),
                due: (day - created).num_days(),
                ivl: s.scheduled_days.max(1) as i64,
                factor: (s.sm2.ef * 1000.0).round() as i64,
                reps: i64::from(s.reviews),
                lapses: i64::from(s.lapses),
            }
        }
        _ => Sched {
            kind: 0,
            queue: state.map_or(0, |s| hidden(s, 0)),
            due: position,
            ivl: 0,
            factor: 0,
            reps: 0,
            lapses: 0,
        },
    }
}

/// The collection's creation: the earliest day a card is due (or today),
/// at the hour study days start.
fn creation(store: &Store, cards: &[&Card], now: DateTime<FixedOffset>) -> Creation {
    let today = store.study_day(now);
    let day = cards
        .iter()
        .filter_map(|c| store.state(&c.id.0)?.due)
        .fold(today, NaiveDate::min);
    let rollover = store.settings().scheduling.rollover_hour;
    let start = day.and_time(NaiveTime::from_hms_opt(rollover, 0, 0).unwrap_or_default());
    let at = now
        .offset()
        .from_local_datetime(&start)
        .single()
        .unwrap_or(now);
    Creation { day, at, rollover }
}

/// An Anki tag from a heading or `#tag`: no spaces, no `::` inside a level.
fn tag_text(s: &str) -> String {
    s.trim()
        .trim_start_matches('#')
        .replace("::", ":")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// Export the chosen cards of `store` (texts read) to `out`, reading
/// images from `notes_folder` (none: bundled notes, no images).
pub fn export_apkg(
    store: &Store,
    notes_folder: Option<&Path>,
    choice: &Choice,
    now: DateTime<FixedOffset>,
    out: &Path,
) -> Result<Exported, StoreError> {
    let io = |source| StoreError::Io {
        path: out.to_path_buf(),
        source,
    };
    let today = store.study_day(now);
    let cards: Vec<&Card> = store
        .cards()
        .iter()
        .filter(|c| choice.includes(c))
        .collect();
    let created = creation(store, &cards, now);
    let highlighter = html::Highlighter::default();
    let mut media = html::Media::default();
    let mut summary = Exported::default();
    let mut notes = Vec::with_capacity(cards.len());
    for (position, card) in cards.iter().enumerate() {
        let state = store.state(&card.id.0);
        let sched = anki_schedule(state, today, created.day, position as i64 + 1);
        match (sched.kind, sched.queue) {
            (_, -1) => summary.suspended += 1,
            (0, _) => summary.new += 1,
            _ => summary.reviewed += 1,
        }
        let file = card
            .sources
            .first()
            .map(|s| s.file.clone())
            .unwrap_or_default();
        let (note_folder, root) = match notes_folder {
            Some(folder) => (note_dir(folder, &file), notes_root(folder, &file)),
            None => Default::default(),
        };
        let dirs = notes_folder.map(|_| ImageDirs {
            note: &note_folder,
            root: &root,
        });
        let mut images = html::Images {
            dirs,
            media: &mut media,
        };
        let front = html::to_html(&card.question, &mut images, &highlighter);
        let back = html::to_html(&card.answer, &mut images, &highlighter);
        let title = card.chapter_title.replace("::", ":");
        let mut tags: Vec<String> = card.tags.iter().map(|t| tag_text(t)).collect();
        if !card.section.is_empty() {
            let path: Vec<String> = card.section.iter().map(|h| tag_text(h)).collect();
            tags.push(format!("section::{}", path.join("::")));
        }
        tags.retain(|t| !t.is_empty());
        notes.push(Note {
            guid: format!("bokseup:{}", card.id.0),
            deck: format!("bokseup::{}::{} {title}", card.deck, card.chapter),
            tags,
            front,
            back,
            sort_text: crate::notes::text::plain_text(&card.question),
            sched,
        });
    }
    summary.notes = notes.len();
    summary.decks = notes
        .iter()
        .map(|n| n.deck.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    summary.media = media.files.len();
    // The collection is made in a temporary folder, zipped into a
    // temporary file beside `out`, then renamed over it.
    let work = tempfile::tempdir().map_err(io)?;
    let collection = work.path().join("collection.anki2");
    apkg::write_collection(&collection, &notes, &created)
        .map_err(|e| io(std::io::Error::other(e.to_string())))?;
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    let file = apkg::zip_package(tmp.as_file(), &collection, &media).map_err(io)?;
    file.sync_all().map_err(io)?;
    // Readable by others, as a file the user saves (a temporary file is not).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644)).map_err(io)?;
    }
    tmp.persist(out).map_err(|e| io(e.error))?;
    crate::store::sync_dir(dir).map_err(io)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Sm2;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn reviewed_new_suspended_and_buried_cards_map_to_anki() {
        let today = day("2026-11-22");
        let created = day("2026-11-01");
        let reviewed = CardState {
            sm2: Sm2 {
                ef: 2.36,
                interval: 6,
                repetitions: 2,
            },
            due: Some(day("2026-11-25")),
            scheduled_days: 6,
            lapses: 1,
            reviews: 4,
            introduced: Some(day("2026-11-10")),
            last_day: Some(day("2026-11-19")),
            ..CardState::default()
        };
        let s = anki_schedule(Some(&reviewed), today, created, 7);
        assert_eq!(
            s,
            Sched {
                kind: 2,
                queue: 2,
                due: 24,
                ivl: 6,
                factor: 2360,
                reps: 4,
                lapses: 1
            }
        );
        let suspended = CardState {
            suspended: true,
            ..reviewed.clone()
        };
        assert_eq!(anki_schedule(Some(&suspended), today, created, 7).queue, -1);
        let buried = CardState {
            buried_until: Some(day("2026-11-23")),
            ..reviewed.clone()
        };
        assert_eq!(anki_schedule(Some(&buried), today, created, 7).queue, -3);
        let again_today = CardState {
            repeat_day: Some(today),
            ..reviewed
        };
        assert_eq!(anki_schedule(Some(&again_today), today, created, 7).due, 21);
        let new = anki_schedule(None, today, created, 7);
        assert_eq!((new.kind, new.queue, new.due, new.factor), (0, 0, 7, 0));
        let new_suspended = CardState {
            suspended: true,
            ..CardState::default()
        };
        assert_eq!(
            anki_schedule(Some(&new_suspended), today, created, 7).queue,
            -1
        );
    }
}
