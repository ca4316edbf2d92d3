//! Scheduling: pure functions of (state, grade, time, settings, card id).
//! Nothing here reads a clock, a random generator or the disk.
//!
//! On top of SM-2 ([`sm2`]) bokseup adds, each with its default in
//! [`Settings`]:
//!
//! * **study day** — a day starts at the rollover hour (04:00) in the time
//!   zone of the timestamp, so a review at 01:00 counts for the day before;
//! * **same-day repeats** — a card answered below Good (q < 4) comes back in
//!   the same day's session until it gets q ≥ 4; only the first answer of a
//!   study day applies an SM-2 step (repeats, and a counted drill of a card
//!   answered earlier that day, do not);
//! * **fuzz** — intervals of [`FUZZ_MIN_DAYS`] days or more move by up to
//!   ±[`FUZZ_FRACTION`] (at least ±1 day), seeded by card id and repetition
//!   number, so replay is deterministic and cards added together spread out;
//! * **maximum interval**, **leech** flag after `leech_lapses` lapses
//!   (optionally suspending the card), **suspend** and **bury until tomorrow**.

pub mod queue;
pub mod sm2;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
pub use sm2::Sm2;

/// Intervals shorter than this many days are never fuzzed.
pub const FUZZ_MIN_DAYS: u64 = 3;
/// Largest fuzz, as a fraction of the interval.
pub const FUZZ_FRACTION: f64 = 0.05;

/// The four answer buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// Forgot: SM-2 quality 1.
    Again,
    /// Remembered with serious difficulty: quality 3.
    Hard,
    /// Remembered: quality 4.
    Good,
    /// Remembered easily: quality 5.
    Easy,
}

impl Grade {
    /// All four, in button order.
    pub const ALL: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

    /// SM-2 quality of the button.
    pub fn quality(self) -> u8 {
        match self {
            Grade::Again => 1,
            Grade::Hard => 3,
            Grade::Good => 4,
            Grade::Easy => 5,
        }
    }

    /// The button that gives SM-2 quality `q` (none for 0 and 2, which no
    /// button gives).
    pub fn from_quality(q: u8) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.quality() == q)
    }

    /// Button for a key 1–4.
    pub fn from_key(n: u8) -> Option<Grade> {
        Grade::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }
}

/// What to do with a leech.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LeechAction {
    /// Only flag it (shown in the window and in stats).
    #[default]
    Flag,
    /// Flag it and suspend it.
    Suspend,
}

/// Order of new cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum NewOrder {
    /// In note order (chapter order).
    #[default]
    NoteOrder,
    /// Shuffled, with a seed fixed per study day.
    Random,
}

/// Scheduling settings (all with defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// New cards introduced per study day.
    pub new_per_day: u32,
    /// Reviews per study day.
    pub reviews_per_day: u32,
    /// Hour (0–23, local time of the review) at which a study day starts.
    pub rollover_hour: u32,
    /// Longest interval in days.
    pub max_interval_days: u64,
    /// Lapses (failures of a learned card) that make a leech.
    pub leech_lapses: u32,
    /// What happens to a leech.
    pub leech_action: LeechAction,
    /// Order of new cards.
    pub new_order: NewOrder,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            new_per_day: 20,
            reviews_per_day: 200,
            rollover_hour: 4,
            max_interval_days: 36_500,
            leech_lapses: 8,
            leech_action: LeechAction::Flag,
            new_order: NewOrder::NoteOrder,
        }
    }
}

impl Settings {
    /// The study day a moment belongs to, in the moment's own time zone.
    pub fn study_day(&self, at: DateTime<FixedOffset>) -> NaiveDate {
        (at - Duration::hours(i64::from(self.rollover_hour.min(23)))).date_naive()
    }
}

/// Everything the scheduler knows about one card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CardState {
    /// SM-2 state.
    pub sm2: Sm2,
    /// Study day the card is due; `None` for a new card.
    pub due: Option<NaiveDate>,
    /// Scheduled interval in days after fuzz and limits.
    pub scheduled_days: u64,
    /// Times a learned card (repetitions > 0) was failed.
    pub lapses: u32,
    /// Reviews counted for SM-2.
    pub reviews: u32,
    /// Study day of the first review.
    pub introduced: Option<NaiveDate>,
    /// Study day of the last review (any mode).
    pub last_day: Option<NaiveDate>,
    /// Study day on which the card must still be repeated (answered below Good).
    pub repeat_day: Option<NaiveDate>,
    /// Suspended: never shown until unsuspended.
    pub suspended: bool,
    /// Buried: not shown before this study day.
    pub buried_until: Option<NaiveDate>,
    /// Lapsed too often.
    pub leech: bool,
}

impl CardState {
    /// Never reviewed.
    pub fn is_new(&self) -> bool {
        self.introduced.is_none()
    }

    /// Must be repeated today (same-day rule).
    pub fn in_learning(&self, today: NaiveDate) -> bool {
        self.repeat_day == Some(today)
    }

    /// Can be shown on `today` (not suspended, not buried).
    pub fn available(&self, today: NaiveDate) -> bool {
        !self.suspended && self.buried_until.is_none_or(|d| d <= today)
    }
}

/// Deterministic fuzz for `interval` days, from card id and repetition number.
pub fn fuzzed_interval(interval: u64, card: &str, repetitions: u32) -> u64 {
    if interval < FUZZ_MIN_DAYS {
        return interval;
    }
    let spread = ((interval as f64 * FUZZ_FRACTION).round() as u64).max(1);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in card.bytes().chain(repetitions.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // splitmix finaliser for a well-spread value
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    let offset = (h % (2 * spread + 1)) as i64 - spread as i64;
    (interval as i64 + offset).max(1) as u64
}

/// The state after answering `grade` at `at`.
///
/// The first answer of a study day applies one SM-2 step; later answers the
/// same day (repeats of a card answered below Good) only clear the repeat
/// flag once the card gets Good or Easy.
pub fn answer(
    state: &CardState,
    grade: Grade,
    at: DateTime<FixedOffset>,
    settings: &Settings,
    card: &str,
) -> CardState {
    answer_quality(state, grade.quality(), at, settings, card)
}

/// [`answer`] with a raw SM-2 quality 0–5.
pub fn answer_quality(
    state: &CardState,
    q: u8,
    at: DateTime<FixedOffset>,
    settings: &Settings,
    card: &str,
) -> CardState {
    let today = settings.study_day(at);
    let mut s = state.clone();
    // Only a study day's first answer steps SM-2: repeats below Good, and a
    // counted drill of a card already answered today, do not.
    let repeat = s.last_day == Some(today);
    if !repeat {
        let before = s.sm2;
        s.sm2 = sm2::step(before, q);
        if q < 3 && before.repetitions > 0 {
            s.lapses += 1;
            if s.lapses >= settings.leech_lapses {
                s.leech = true;
                if settings.leech_action == LeechAction::Suspend {
                    s.suspended = true;
                }
            }
        }
        let days = fuzzed_interval(s.sm2.interval, card, s.sm2.repetitions)
            .min(settings.max_interval_days.max(1));
        s.scheduled_days = days;
        s.due = today.checked_add_signed(Duration::days(days as i64));
        s.reviews += 1;
        if s.introduced.is_none() {
            s.introduced = Some(today);
        }
    }
    s.repeat_day = if q < 4 { Some(today) } else { None };
    s.last_day = Some(today);
    s.buried_until = None;
    s
}

/// What each button would do: the four next states at once (for labels).
pub fn next_states(
    state: &CardState,
    at: DateTime<FixedOffset>,
    settings: &Settings,
    card: &str,
) -> [CardState; 4] {
    Grade::ALL.map(|g| answer(state, g, at, settings, card))
}

/// When a card comes back after an answer (the window words it in its language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Repeated in today's session.
    ThisSession,
    /// Due again in this many study days (0: later today).
    Days(i64),
}

/// When a card in state `after` comes back, seen on `today`.
pub fn until(after: &CardState, today: NaiveDate) -> Until {
    if after.repeat_day == Some(today) {
        return Until::ThisSession;
    }
    Until::Days(after.due.map_or(0, |d| (d - today).num_days().max(0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<FixedOffset> {
        FixedOffset::east_opt(9 * 3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 22, h, 0, 0)
            .unwrap()
    }

    #[test]
    fn buttons_are_found_from_their_quality() {
        for g in Grade::ALL {
            assert_eq!(Grade::from_quality(g.quality()), Some(g));
        }
        assert_eq!(Grade::from_quality(0), None);
        assert_eq!(Grade::from_quality(2), None);
    }

    #[test]
    fn repeats_on_the_same_day_do_not_step_sm2_again() {
        let s = Settings::default();
        let a = answer(&CardState::default(), Grade::Again, at(9), &s, "c");
        assert!(a.in_learning(s.study_day(at(9))));
        let b = answer(&a, Grade::Again, at(10), &s, "c");
        assert_eq!(b.sm2, a.sm2);
        let c = answer(&b, Grade::Good, at(11), &s, "c");
        assert_eq!(c.sm2, a.sm2);
        assert!(!c.in_learning(s.study_day(at(11))));
        assert_eq!(c.reviews, 1);
    }

    #[test]
    fn a_second_answer_the_same_day_does_not_step_sm2_again() {
        let s = Settings::default();
        let a = answer(&CardState::default(), Grade::Good, at(9), &s, "c");
        assert_eq!(a.due, Some(s.study_day(at(9)) + Duration::days(1)));
        // A counted drill 25 seconds later.
        let b = answer(&a, Grade::Good, at(9) + Duration::seconds(25), &s, "c");
        assert_eq!((b.sm2, b.due, b.reviews), (a.sm2, a.due, 1));
        // The next day's answer steps again.
        let c = answer(&b, Grade::Good, at(9) + Duration::days(1), &s, "c");
        assert_eq!(c.sm2.repetitions, 2);
    }

    #[test]
    fn study_day_rolls_over_at_four_local_time() {
        let s = Settings::default();
        assert_eq!(s.study_day(at(3)).to_string(), "2026-11-21");
        assert_eq!(s.study_day(at(4)).to_string(), "2026-11-22");
        // The same instant in UTC is still the 21st there at 19:00.
        let utc = at(4).with_timezone(&FixedOffset::east_opt(0).unwrap());
        assert_eq!(s.study_day(utc).to_string(), "2026-11-21");
    }

    #[test]
    fn fuzz_is_deterministic_and_bounded() {
        for i in 0..200u64 {
            let id = format!("card{i}");
            let f = fuzzed_interval(100, &id, 4);
            assert_eq!(f, fuzzed_interval(100, &id, 4));
            assert!((95..=105).contains(&f));
            assert_eq!(fuzzed_interval(2, &id, 4), 2);
        }
    }

    #[test]
    fn lapses_make_a_leech() {
        let s = Settings {
            leech_action: LeechAction::Suspend,
            ..Settings::default()
        };
        let mut st = CardState::default();
        let mut t = at(9);
        for _ in 0..8 {
            st = answer(&st, Grade::Good, t, &s, "c");
            t += Duration::days(1);
            st = answer(&st, Grade::Again, t, &s, "c");
            t += Duration::days(1);
        }
        assert_eq!(st.lapses, 8);
        assert!(st.leech && st.suspended);
    }
}
