//! SM-2 against the reference implementation, and scheduling invariants.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::schedule::{self, CardState, Grade, Settings, sm2};
use bokseup::store::journal::{Event, Mode};
use bokseup::store::replay;
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;

#[test]
fn sm2_agrees_with_supermemo2_on_every_step_of_10000_sequences() {
    let text = include_str!("fixtures/sm2_vectors.txt");
    let (mut sequences, mut steps, mut mismatches) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (grades, expect) = line.split_once('|').unwrap();
        let mut s = sm2::Sm2::default();
        for (q, e) in grades.split(' ').zip(expect.split(';')) {
            s = sm2::step(s, q.parse().unwrap());
            let mut f = e.split(',');
            let ef: f64 = f.next().unwrap().parse().unwrap();
            let interval: u64 = f.next().unwrap().parse().unwrap();
            let reps: u32 = f.next().unwrap().parse().unwrap();
            if s.ef.to_bits() != ef.to_bits() || s.interval != interval || s.repetitions != reps {
                mismatches += 1;
            }
            steps += 1;
        }
        sequences += 1;
    }
    println!("supermemo2 vectors: {sequences} sequences, {steps} steps, {mismatches} mismatches");
    assert!(sequences >= 10_000);
    assert_eq!(mismatches, 0);
}

#[test]
fn buttons_map_to_qualities_1_3_4_5() {
    let q: Vec<u8> = Grade::ALL.iter().map(|g| g.quality()).collect();
    assert_eq!(q, [1, 3, 4, 5]);
    assert_eq!(Grade::from_key(3), Some(Grade::Good));
    assert_eq!(Grade::from_key(5), None);
}

fn at(day: i64, hour: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 1, 1, hour, 0, 0)
        .unwrap()
        + Duration::days(day)
}

/// Review a card on successive due days with these grades.
fn history(grades: &[u8], card: &str) -> CardState {
    let s = Settings::default();
    let mut st = CardState::default();
    let mut t = at(0, 9);
    for &q in grades {
        st = schedule::answer_quality(&st, q, t, &s, card);
        // Next review on its due day (or the next day for a repeat).
        let next = st.due.unwrap();
        let today = s.study_day(t);
        t += Duration::days((next - today).num_days().max(1));
    }
    st
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn ef_stays_at_least_1_3_and_intervals_at_least_1(grades in proptest::collection::vec(0u8..=5, 1..30)) {
        let st = history(&grades, "card");
        prop_assert!(st.sm2.ef >= sm2::MIN_EF);
        prop_assert!(st.sm2.interval >= 1);
        prop_assert!(st.scheduled_days >= 1);
    }

    #[test]
    fn easy_ge_good_ge_hard_ge_again(grades in proptest::collection::vec(0u8..=5, 0..20), id in "[a-f0-9]{16}") {
        let st = history(&grades, &id);
        let t = at(400, 10);
        let next = schedule::next_states(&st, t, &Settings::default(), &id);
        let days: Vec<u64> = next.iter().map(|s| s.scheduled_days).collect();
        // A repeat today never steps SM-2, so only compare first answers of a day.
        if st.last_day != Some(Settings::default().study_day(t)) {
            prop_assert!(days[3] >= days[2], "{days:?}");
            prop_assert!(days[2] >= days[1], "{days:?}");
            prop_assert!(days[1] >= days[0], "{days:?}");
        }
    }

    #[test]
    fn failing_always_resets(grades in proptest::collection::vec(0u8..=5, 0..20), q in 0u8..3) {
        let st = history(&grades, "c");
        let after = schedule::answer_quality(&st, q, at(500, 9), &Settings::default(), "c");
        prop_assert_eq!(after.sm2.repetitions, 0);
        prop_assert_eq!(after.sm2.interval, 1);
    }

    #[test]
    fn replay_is_deterministic_whatever_the_line_order(
        grades in proptest::collection::vec((0u8..=5, 0usize..4, 0i64..40), 1..60),
        seed in any::<u64>(),
    ) {
        let cards = ["a", "b", "c", "d"];
        let events: Vec<Event> = grades.iter().enumerate().map(|(i, (q, c, d))| Event::Review {
            id: format!("dev-{i}").into(),
            card: cards[*c].into(),
            at: at(*d, 9) + Duration::seconds(i as i64),
            grade: *q,
            mode: Mode::Normal,
            ms: 1000,
        }).collect();
        let s = Settings::default();
        let a = replay::replay(&events, &s);
        let mut shuffled = events.clone();
        bokseup::schedule::queue::shuffle(&mut shuffled, seed);
        prop_assert_eq!(a, replay::replay(&shuffled, &s));
    }
}
