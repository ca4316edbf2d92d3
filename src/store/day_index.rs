//! Where the journal's study days start, so what needs only the last weeks
//! (weak topics' 30-day retention) reads the journal's tail instead of a
//! million events.
//!
//! The journal is in the order events were written, not in time order (a
//! merge appends another device's older events), so a study day's events
//! are not one stretch of the file. What holds is simpler: every event of
//! day `d` or later comes at or after the first such event in the file. The
//! index keeps, for each study day, the number of the first event of that
//! day, and places to start reading (an event's number and its line's byte
//! offset) every [`MARK_EVERY`] events.

use super::journal::MARK_EVERY;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// See the module doc.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayIndex {
    /// (event number, byte offset of its line), in file order.
    marks: Vec<(u64, u64)>,
    /// Study day → the number of its first event in the file.
    first: BTreeMap<NaiveDate, u64>,
}

impl DayIndex {
    /// Event number `number` has its line at byte `offset`: kept as a place
    /// to start reading when it is [`MARK_EVERY`] events past the last.
    pub fn place(&mut self, number: u64, offset: u64) {
        if self
            .marks
            .last()
            .is_none_or(|&(last, _)| number >= last + MARK_EVERY)
        {
            self.marks.push((number, offset));
        }
    }

    /// Event number `number` is of study day `day`.
    pub fn event(&mut self, number: u64, day: NaiveDate) {
        self.first.entry(day).or_insert(number);
    }

    /// Forget the days (the study day's start hour changed); the places
    /// stay.
    pub fn clear_days(&mut self) {
        self.first.clear();
    }

    /// Where to start reading to meet every event of study day `since` or
    /// later: the number of the event there and its byte offset; `None`
    /// when no event is of such a day.
    pub fn start_of(&self, since: NaiveDate) -> Option<(u64, u64)> {
        let first = self.first.range(since..).map(|(_, &n)| n).min()?;
        let before = self.marks.partition_point(|&(n, _)| n <= first);
        Some(before.checked_sub(1).map_or((0, 0), |k| self.marks[k]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("a date")
    }

    #[test]
    fn reading_starts_at_the_last_place_before_the_first_event_of_the_days() {
        let mut ix = DayIndex::default();
        // 10,000 events, 100 bytes each, 1,000 a day from Nov 1; then a
        // merge appends events of Nov 2 again at the end.
        for n in 0..10_000u64 {
            ix.place(n, n * 100);
            ix.event(n, day(1 + (n / 1000) as u32));
        }
        ix.place(10_000, 1_000_000);
        ix.event(10_000, day(2));
        assert_eq!(ix.marks, vec![(0, 0), (4096, 409_600), (8192, 819_200)]);
        // Nov 9's first event is number 8,000: read from the place before.
        assert_eq!(ix.start_of(day(9)), Some((4096, 409_600)));
        assert_eq!(ix.start_of(day(10)), Some((8192, 819_200)));
        // Nov 2 or later: from event 1,000 on, the merged ones included.
        assert_eq!(ix.start_of(day(2)), Some((0, 0)));
        assert_eq!(ix.start_of(day(11)), None);
    }
}
