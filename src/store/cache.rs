//! The cache (`cache.bin`): what the journal's events come to — each card's
//! state, the number of answers per study day, the readiness model's
//! memory (each card's last answer, the latest reviews to fit on) and where
//! each study day starts in the journal (see [`super::day_index`]) — so a
//! start reads only the events appended since it was written, not the
//! whole journal.
//!
//! It is derived and never trusted over the journal. It records the
//! journal's length in bytes it covers, how many events those bytes hold,
//! the last one's id, and a checkpoint: a hash of the covered bytes'
//! last [`CHECKPOINT_BYTES`]. At a start it is used only when the journal
//! is at least that long and the checkpoint matches; otherwise the journal
//! is read whole and the cache rebuilt. Binary (postcard): a cache of
//! another layout, or one that does not decode, is simply rebuilt.

use super::replay::States;
use crate::error::StoreError;
use crate::schedule::{CardState, Sm2};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// Version of the cache layout.
pub const CACHE_VERSION: u32 = 5;
/// How many bytes before the covered end the checkpoint hashes.
pub const CHECKPOINT_BYTES: u64 = 64 * 1024;

/// What part of the journal a cache covers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Bytes of the journal covered (complete lines).
    pub bytes: u64,
    /// Events in those bytes.
    pub events: u64,
    /// Id of the last of them ("" for none).
    pub last_event: String,
    /// FNV-1a of the covered bytes' last [`CHECKPOINT_BYTES`].
    pub checkpoint: u64,
}

/// A card's state as the cache keeps it: dates as day numbers (the
/// domain type's dates are text in serde, slow to read 100k of).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Compact {
    repetitions: u32,
    interval: u64,
    ef: f64,
    due: Option<i32>,
    scheduled_days: u64,
    lapses: u32,
    reviews: u32,
    introduced: Option<i32>,
    last_day: Option<i32>,
    repeat_day: Option<i32>,
    suspended: bool,
    buried_until: Option<i32>,
    leech: bool,
}

fn day_number(d: Option<NaiveDate>) -> Option<i32> {
    d.map(|d| chrono::Datelike::num_days_from_ce(&d))
}

fn from_day_number(n: Option<i32>) -> Option<NaiveDate> {
    n.and_then(NaiveDate::from_num_days_from_ce_opt)
}

impl From<&CardState> for Compact {
    fn from(s: &CardState) -> Compact {
        Compact {
            repetitions: s.sm2.repetitions,
            interval: s.sm2.interval,
            ef: s.sm2.ef,
            due: day_number(s.due),
            scheduled_days: s.scheduled_days,
            lapses: s.lapses,
            reviews: s.reviews,
            introduced: day_number(s.introduced),
            last_day: day_number(s.last_day),
            repeat_day: day_number(s.repeat_day),
            suspended: s.suspended,
            buried_until: day_number(s.buried_until),
            leech: s.leech,
        }
    }
}

impl From<Compact> for CardState {
    fn from(c: Compact) -> CardState {
        CardState {
            sm2: Sm2 {
                repetitions: c.repetitions,
                interval: c.interval,
                ef: c.ef,
            },
            due: from_day_number(c.due),
            scheduled_days: c.scheduled_days,
            lapses: c.lapses,
            reviews: c.reviews,
            introduced: from_day_number(c.introduced),
            last_day: from_day_number(c.last_day),
            repeat_day: from_day_number(c.repeat_day),
            suspended: c.suspended,
            buried_until: from_day_number(c.buried_until),
            leech: c.leech,
        }
    }
}

/// The cache as kept on disk. Its states are a list of (card id, compact
/// state): written from the map as such a list (`S` a `Vec`), read
/// straight into the map (`S` = [`StatesIn`]). Postcard writes a struct
/// as its fields one after the other, so the head is the file's first
/// bytes, and [`read_counts`] reads only it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct File<S> {
    head: Head<S>,
    last_answers: Vec<(smol_str::SmolStr, Moment)>,
    samples: Vec<crate::readiness::Sample>,
    samples_seen: u64,
    day_index: super::day_index::DayIndex,
}

/// The cache's first fields: what counting the queue needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Head<S> {
    version: u32,
    settings: String,
    coverage: Coverage,
    states: S,
    answers_per_day: Vec<(i32, u32)>,
    latest: Option<String>,
}

/// A moment as the cache keeps it: seconds and nanoseconds since the
/// epoch, and the offset from UTC in seconds (text would be slow to read
/// 100k of).
type Moment = (i64, u32, i32);

fn moment(t: &DateTime<FixedOffset>) -> Moment {
    (
        t.timestamp(),
        t.timestamp_subsec_nanos(),
        t.offset().local_minus_utc(),
    )
}

fn from_moment((secs, nanos, offset): Moment) -> Option<DateTime<FixedOffset>> {
    let utc = DateTime::from_timestamp(secs, nanos)?;
    Some(utc.with_timezone(&FixedOffset::east_opt(offset)?))
}

/// The cache's list of states, read into the map entry by entry, with room
/// for the whole list made at once (see [`super::whole_list`]): no list of
/// 100k entries in between, and no growing of the map.
#[derive(Debug)]
struct StatesIn(States);

impl<'de> Deserialize<'de> for StatesIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<StatesIn, D::Error> {
        struct List;
        impl<'de> serde::de::Visitor<'de> for List {
            type Value = StatesIn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of card states")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StatesIn, A::Error> {
                let announced = seq.size_hint().unwrap_or(0);
                let mut states = States::with_capacity_and_hasher(
                    announced.min(super::whole_list::RESERVE_AT_MOST),
                    Default::default(),
                );
                while let Some((id, c)) = seq.next_element::<(smol_str::SmolStr, Compact)>()? {
                    states.insert(id, c.into());
                }
                Ok(StatesIn(states))
            }
        }
        d.deserialize_seq(List)
    }
}

/// What the cache holds.
#[derive(Debug, Clone)]
pub struct Cache {
    /// Layout version.
    pub version: u32,
    /// The scheduling settings the states were computed with (RON).
    pub settings: String,
    /// The journal part it covers.
    pub coverage: Coverage,
    /// States by card id.
    pub states: crate::store::replay::States,
    /// Answers that count (not undone) per study day.
    pub answers_per_day: BTreeMap<NaiveDate, u32>,
    /// The latest event time applied, as RFC 3339 (events appended later
    /// with an earlier time need a full replay).
    pub latest: Option<String>,
    /// The readiness model's memory and where the journal's study days
    /// start: none when read by [`read_counts`].
    pub figures: Option<Figures>,
}

/// What figures need beyond the states (see [`Cache::figures`]).
#[derive(Debug, Clone, Default)]
pub struct Figures {
    /// The readiness model's memory.
    pub memory: crate::readiness::Memory,
    /// Where the journal's study days start.
    pub day_index: super::day_index::DayIndex,
}

/// FNV-1a of some bytes.
fn fnv64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The checkpoint of the journal at `path` for its first `len` bytes.
pub fn checkpoint(path: &Path, len: u64) -> std::io::Result<u64> {
    let from = len.saturating_sub(CHECKPOINT_BYTES);
    let mut f = std::fs::File::open(path)?;
    f.seek(SeekFrom::Start(from))?;
    let mut buf = Vec::with_capacity((len - from) as usize);
    f.take(len - from).read_to_end(&mut buf)?;
    if (buf.len() as u64) < len - from {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(fnv64(&buf))
}

/// Read the cache (`None` when missing, of another layout, or damaged).
pub fn read(path: &Path) -> Option<Cache> {
    let bytes = std::fs::read(path).ok()?;
    let f = postcard::from_bytes::<File<StatesIn>>(&bytes)
        .ok()
        .filter(|f| f.head.version == CACHE_VERSION)?;
    // Room made at once (a map grown by doubling would rehash 100k ids).
    let mut last =
        rustc_hash::FxHashMap::with_capacity_and_hasher(f.last_answers.len(), Default::default());
    for (card, at) in f.last_answers {
        last.insert(card, from_moment(at)?);
    }
    let figures = Figures {
        memory: crate::readiness::Memory {
            last,
            samples: f.samples,
            samples_seen: usize::try_from(f.samples_seen).ok()?,
        },
        day_index: f.day_index,
    };
    Some(cache_of(f.head, Some(figures)))
}

/// [`read`] of what counting the queue needs: the states and answers per
/// day, not the figures (at 100k cards, a sixth of the time and 11 MB
/// less for `due`).
pub fn read_counts(path: &Path) -> Option<Cache> {
    let bytes = std::fs::read(path).ok()?;
    let head = postcard::from_bytes::<Head<StatesIn>>(&bytes)
        .ok()
        .filter(|h| h.version == CACHE_VERSION)?;
    Some(cache_of(head, None))
}

fn cache_of(head: Head<StatesIn>, figures: Option<Figures>) -> Cache {
    Cache {
        version: head.version,
        settings: head.settings,
        coverage: head.coverage,
        states: head.states.0,
        answers_per_day: days_from_numbers(head.answers_per_day),
        latest: head.latest,
        figures,
    }
}

fn days_from_numbers(days: Vec<(i32, u32)>) -> BTreeMap<NaiveDate, u32> {
    days.into_iter()
        .filter_map(|(d, n)| Some((from_day_number(Some(d))?, n)))
        .collect()
}

/// Write the cache atomically.
pub fn write(path: &Path, cache: &Cache) -> Result<(), StoreError> {
    let empty = Figures::default();
    let figures = cache.figures.as_ref().unwrap_or(&empty);
    let head = Head {
        version: cache.version,
        settings: cache.settings.clone(),
        coverage: cache.coverage.clone(),
        states: cache
            .states
            .iter()
            .map(|(k, s)| (k, Compact::from(s)))
            .collect::<Vec<_>>(),
        answers_per_day: cache
            .answers_per_day
            .iter()
            .filter_map(|(d, n)| Some((day_number(Some(*d))?, *n)))
            .collect(),
        latest: cache.latest.clone(),
    };
    let file = File {
        head,
        last_answers: figures
            .memory
            .last
            .iter()
            .map(|(card, at)| (card.clone(), moment(at)))
            .collect(),
        samples: figures.memory.samples.clone(),
        samples_seen: figures.memory.samples_seen as u64,
        day_index: figures.day_index.clone(),
    };
    let bytes = postcard::to_stdvec(&file).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    super::atomic_write(path, &bytes)
}

/// The key of scheduling settings (states depend on them).
pub fn settings_key(s: &crate::schedule::Settings) -> String {
    ron::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.bin");
        let day = NaiveDate::from_ymd_opt(2026, 11, 22);
        let state = CardState {
            due: day,
            introduced: day,
            last_day: day,
            lapses: 2,
            ..CardState::default()
        };
        let cache = Cache {
            version: CACHE_VERSION,
            settings: "s".into(),
            coverage: Coverage::default(),
            states: [("c".into(), state.clone())].into_iter().collect(),
            answers_per_day: [(day.unwrap(), 3)].into_iter().collect(),
            latest: None,
            figures: Some(Figures {
                memory: crate::readiness::Memory {
                    last: [("c".into(), crate::test_time::kst(11, 22, 9))]
                        .into_iter()
                        .collect(),
                    samples: vec![crate::readiness::Sample {
                        days: 1.5,
                        interval: 3.0,
                        recalled: true,
                    }],
                    samples_seen: 7,
                },
                day_index: Default::default(),
            }),
        };
        write(&path, &cache).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.states["c"], state);
        assert_eq!(back.answers_per_day, cache.answers_per_day);
        let (kept, back_figures) = (cache.figures.unwrap(), back.figures.unwrap());
        assert_eq!(back_figures.memory, kept.memory);
        assert_eq!(
            back_figures.memory.last["c"].offset(),
            kept.memory.last["c"].offset()
        );
        // What counting reads: the same states, no figures.
        let counts = read_counts(&path).unwrap();
        assert_eq!(counts.states["c"], state);
        assert!(counts.figures.is_none());
        std::fs::write(&path, b"(((garbage").unwrap();
        assert!(read(&path).is_none());
    }
}
