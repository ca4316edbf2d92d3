//! Today's queue: cards to repeat today (answered below Good), then due
//! reviews (most overdue first, note order within a day), then new cards (in
//! note order, or shuffled with a seed of the study day), within the daily
//! limits less what was already done today.

use super::{CardState, NewOrder, Settings};
use chrono::{Datelike, NaiveDate};

/// Counts of a queue.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// New cards still allowed today.
    pub new: usize,
    /// Cards to repeat today.
    pub learning: usize,
    /// Reviews due (within the limit).
    pub due: usize,
}

impl Counts {
    /// All cards of the queue.
    pub fn total(&self) -> usize {
        self.new + self.learning + self.due
    }
}

/// Today's queue: indices into the card list given to [`build`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Cards to repeat today.
    pub learning: Vec<usize>,
    /// Due reviews.
    pub due: Vec<usize>,
    /// New cards.
    pub new: Vec<usize>,
}

impl Queue {
    /// Counts of each part.
    pub fn counts(&self) -> Counts {
        Counts {
            new: self.new.len(),
            learning: self.learning.len(),
            due: self.due.len(),
        }
    }

    /// The whole queue in presentation order.
    pub fn order(&self) -> impl Iterator<Item = usize> + '_ {
        self.learning
            .iter()
            .chain(self.due.iter())
            .chain(self.new.iter())
            .copied()
    }
}

/// Build the queue of `today` over cards given in note order, with their
/// states (`None` = never seen).
pub fn build(states: &[Option<CardState>], today: NaiveDate, settings: &Settings) -> Queue {
    let mut learning = Vec::new();
    let mut due: Vec<(NaiveDate, usize)> = Vec::new();
    let mut new = Vec::new();
    let mut new_done = 0usize;
    let mut reviews_done = 0usize;
    for (i, st) in states.iter().enumerate() {
        match st {
            None => new.push(i),
            Some(s) => {
                if s.introduced == Some(today) {
                    new_done += 1;
                } else if s.last_day == Some(today) {
                    reviews_done += 1;
                }
                if !s.available(today) {
                    continue;
                }
                if s.is_new() {
                    new.push(i);
                } else if s.in_learning(today) {
                    learning.push(i);
                } else if let Some(d) = s.due
                    && d <= today
                {
                    due.push((d, i));
                }
            }
        }
    }
    let review_room = (settings.reviews_per_day as usize).saturating_sub(reviews_done);
    let new_room = (settings.new_per_day as usize).saturating_sub(new_done);
    // Only the first `review_room` by (due day, note order) are shown: select, then sort those.
    if due.len() > review_room {
        if review_room == 0 {
            due.clear();
        } else {
            due.select_nth_unstable(review_room - 1);
            due.truncate(review_room);
        }
    }
    due.sort_unstable();
    let due: Vec<usize> = due.into_iter().map(|(_, i)| i).collect();
    if settings.new_order == NewOrder::Random {
        shuffle(&mut new, u64::from(today.num_days_from_ce().unsigned_abs()));
    }
    new.truncate(new_room);
    Queue { learning, due, new }
}

/// Fisher–Yates with a small fixed generator (xorshift64*), seeded.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    for i in (1..items.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        items.swap(i, (r % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn limits_subtract_what_was_done_today() {
        let s = Settings {
            new_per_day: 3,
            reviews_per_day: 2,
            ..Settings::default()
        };
        let done_new = CardState {
            introduced: Some(day(22)),
            last_day: Some(day(22)),
            due: Some(day(23)),
            ..CardState::default()
        };
        let due = CardState {
            introduced: Some(day(1)),
            last_day: Some(day(10)),
            due: Some(day(20)),
            ..CardState::default()
        };
        let states: Vec<Option<CardState>> = vec![
            Some(done_new),
            Some(due.clone()),
            Some(due.clone()),
            Some(due),
            None,
            None,
            None,
        ];
        let q = build(&states, day(22), &s);
        assert_eq!(q.due, [1, 2]);
        assert_eq!(q.new, [4, 5]);
    }

    #[test]
    fn suspended_and_buried_cards_wait() {
        let s = Settings::default();
        let base = CardState {
            introduced: Some(day(1)),
            last_day: Some(day(1)),
            due: Some(day(2)),
            ..CardState::default()
        };
        let sus = CardState {
            suspended: true,
            ..base.clone()
        };
        let bur = CardState {
            buried_until: Some(day(23)),
            ..base.clone()
        };
        let all = [Some(sus), Some(bur), Some(base)];
        let q = build(&all, day(22), &s);
        assert_eq!(q.due, [2]);
        let q = build(&all, day(23), &s);
        assert_eq!(q.due, [1, 2]);
    }

    #[test]
    fn random_new_order_is_fixed_per_day() {
        let s = Settings {
            new_order: NewOrder::Random,
            new_per_day: 100,
            ..Settings::default()
        };
        let states = vec![None; 50];
        let a = build(&states, day(22), &s);
        assert_eq!(a, build(&states, day(22), &s));
        assert_ne!(a.new, (0..50).collect::<Vec<_>>());
    }
}
