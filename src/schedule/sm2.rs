//! One SM-2 step, exactly as Wozniak described it and as the reference
//! implementation (`supermemo2` 3.0.1) computes it:
//!
//! * quality `q` 0–5; `q < 3` → repetitions 0, interval 1;
//! * else I(1) = 1, I(2) = 6, I(n) = ceil(I(n−1) · EF) with the EF held
//!   *before* this review, and repetitions + 1;
//! * EF' = EF + (0.1 − (5−q)(0.08 + (5−q)·0.02)), floor 1.3, after every review.

use serde::{Deserialize, Serialize};

/// Starting easiness factor of a new card.
pub const INITIAL_EF: f64 = 2.5;
/// Lowest easiness factor.
pub const MIN_EF: f64 = 1.3;

/// The SM-2 part of a card's state.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sm2 {
    /// Successful reviews in a row.
    pub repetitions: u32,
    /// Last interval in days (unfuzzed).
    pub interval: u64,
    /// Easiness factor.
    pub ef: f64,
}

impl Default for Sm2 {
    fn default() -> Self {
        Sm2 {
            repetitions: 0,
            interval: 0,
            ef: INITIAL_EF,
        }
    }
}

/// Apply one review of quality `q` (0–5; larger values count as 5).
pub fn step(s: Sm2, q: u8) -> Sm2 {
    let q = q.min(5);
    let (interval, repetitions) = if q < 3 {
        (1, 0)
    } else {
        let interval = match s.repetitions {
            0 => 1,
            1 => 6,
            _ => (s.interval as f64 * s.ef).ceil() as u64,
        };
        (interval, s.repetitions + 1)
    };
    let d = f64::from(5 - q);
    let mut ef = s.ef + (0.1 - d * (0.08 + d * 0.02));
    if ef < MIN_EF {
        ef = MIN_EF;
    }
    Sm2 {
        repetitions,
        interval,
        ef,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_three_good_reviews_give_1_6_then_ceil_interval_times_ef() {
        let a = step(Sm2::default(), 4);
        assert_eq!((a.interval, a.repetitions), (1, 1));
        let b = step(a, 4);
        assert_eq!((b.interval, b.repetitions), (6, 2));
        let c = step(b, 4);
        assert_eq!(c.interval, (6.0 * b.ef).ceil() as u64);
    }

    #[test]
    fn failing_resets_repetitions_and_interval() {
        let s = Sm2 {
            repetitions: 5,
            interval: 40,
            ef: 2.2,
        };
        let f = step(s, 2);
        assert_eq!((f.repetitions, f.interval), (0, 1));
        assert!(f.ef < s.ef);
    }

    #[test]
    fn ef_never_drops_below_1_3() {
        let mut s = Sm2::default();
        for _ in 0..20 {
            s = step(s, 0);
        }
        assert_eq!(s.ef, MIN_EF);
    }
}
