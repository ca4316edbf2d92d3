//! Fuzzing the journal parser and the merge with proptest: valid journals
//! cut, spliced, duplicated and sprinkled with random bytes, and random
//! text. None may panic; what is read must be what a plain reading of the
//! lines gives. `cargo test` runs a short smoke (proptest's default number
//! of cases); set `PROPTEST_CASES` for a long run (it sets every test's
//! number of cases), the merge through a data dir on disk apart with fewer:
//! `PROPTEST_CASES=1000000 cargo test --release --test fuzz -- --skip a_merge_of_any`,
//! then `PROPTEST_CASES=2000 cargo test --release --test fuzz a_merge_of_any`.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::store::journal::{self, Event, EventId, Mode};
use bokseup::store::{Store, files, merge};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use proptest::prelude::*;
use std::path::Path;

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .unwrap()
}

/// A plausible event: one of a few cards and ids, so duplicates happen;
/// sometimes in the future, with a bad grade or an empty card.
fn event() -> impl Strategy<Value = Event> {
    (
        0u8..6,
        0u32..40,
        0usize..5,
        -400i64..400,
        0u8..8,
        prop_oneof![
            Just(Mode::Normal),
            Just(Mode::Drill),
            Just(Mode::DrillCounted)
        ],
    )
        .prop_map(|(kind, id, card, hours, grade, mode)| {
            let id: EventId = format!("0195f0e0-0000-7000-8000-{id:012}").into();
            let card = ["c0", "c1", "c2", "", "한국어-카드"][card].to_string();
            let at = now() + Duration::hours(hours);
            match kind {
                0..=2 => Event::Review {
                    id,
                    card: card.into(),
                    at,
                    grade,
                    mode,
                    ms: 1000,
                },
                3 => Event::Undo {
                    id,
                    at,
                    of: format!("0195f0e0-0000-7000-8000-{:012}", grade).into(),
                },
                4 => Event::Suspend {
                    id,
                    card: card.into(),
                    at,
                },
                _ => Event::Bury {
                    id,
                    card: card.into(),
                    at,
                },
            }
        })
}

/// A change to a journal's text.
#[derive(Debug, Clone)]
enum Mutation {
    /// Cut the text at a fraction of its length.
    Cut(f64),
    /// Insert bytes (as lossy UTF-8) at a fraction of the length.
    Insert(f64, Vec<u8>),
    /// Repeat a line.
    RepeatLine(usize),
    /// Drop a line.
    DropLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0f64).prop_map(Mutation::Cut),
        ((0.0..1.0f64), proptest::collection::vec(any::<u8>(), 1..12))
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
        (0usize..50).prop_map(Mutation::RepeatLine),
        (0usize..50).prop_map(Mutation::DropLine),
    ]
}

fn char_floor(s: &str, at: f64) -> usize {
    let mut i = ((s.len() as f64) * at) as usize;
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i.min(s.len())
}

fn apply(text: &str, m: &Mutation) -> String {
    match m {
        Mutation::Cut(at) => text[..char_floor(text, *at)].to_string(),
        Mutation::Insert(at, bytes) => {
            let i = char_floor(text, *at);
            format!(
                "{}{}{}",
                &text[..i],
                String::from_utf8_lossy(bytes),
                &text[i..]
            )
        }
        Mutation::RepeatLine(n) | Mutation::DropLine(n) => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let k = n % lines.len();
            if matches!(m, Mutation::RepeatLine(_)) {
                lines.insert(k, lines[k]);
            } else {
                lines.remove(k);
            }
            lines.concat()
        }
    }
}

fn journal_text(events: &[Event]) -> String {
    let mut t = format!("{}\n", journal::HEADER);
    for e in events {
        t.push_str(&e.to_line());
        t.push('\n');
    }
    t
}

fn mutated_journal() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(event(), 0..30),
        proptest::collection::vec(mutation(), 0..4),
    )
        .prop_map(|(events, muts)| muts.iter().fold(journal_text(&events), |t, m| apply(&t, m)))
}

proptest! {
    #[test]
    fn parsing_any_journal_text_never_panics_and_keeps_whole_lines(text in mutated_journal()) {
        if let Ok((events, complete)) = journal::parse(Path::new("j.ron"), &text) {
            prop_assert!(complete <= text.len());
            let lines = text[..complete].lines().filter(|l| {
                let l = l.trim();
                !l.is_empty() && !l.starts_with("//")
            }).count();
            prop_assert_eq!(events.len(), lines);
        }
    }

    #[test]
    fn random_bytes_never_panic_the_parser_or_the_merge_reader(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = journal::parse(Path::new("j.ron"), &text);
        let r = merge::read_other(&text, now());
        prop_assert!(r.events.len() + r.skipped.len() <= text.lines().count());
    }

    #[test]
    fn the_merge_reader_accounts_for_every_line(text in mutated_journal()) {
        let r = merge::read_other(&text, now());
        let meaningful = text.lines().filter(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with("//")
        }).count();
        prop_assert_eq!(r.events.len() + r.skipped.len(), meaningful);
        for (_, e) in &r.events {
            prop_assert!(merge::problem(e, now()).is_none());
        }
    }
}

proptest! {
    // Each case opens a data dir on disk: fewer of them.
    #![proptest_config(ProptestConfig {
        cases: ProptestConfig::default().cases.min(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_merge_of_any_file_keeps_the_store_consistent(mine in proptest::collection::vec(event(), 0..10), theirs in mutated_journal()) {
        let dir = tempfile::tempdir().unwrap();
        let mine: Vec<Event> = mine.into_iter().filter(|e| merge::problem(e, now()).is_none()).collect();
        std::fs::write(dir.path().join(files::JOURNAL), journal_text(&mine)).unwrap();
        let other = dir.path().join("other.ron");
        std::fs::write(&other, &theirs).unwrap();
        let mut store = match Store::open(dir.path(), None) {
            Ok(s) => s,
            Err(e) => return Err(TestCaseError::fail(format!("own journal refused: {e}"))),
        };
        let before = store.read_history().unwrap().len();
        let r = store.merge(&other, now()).unwrap();
        prop_assert_eq!(store.read_history().unwrap().len(), before + r.added);
        // Each id once in the journal after the merge (ours may repeat one).
        let states = store.states().clone();
        drop(store);
        let again = Store::open(dir.path(), None).unwrap();
        prop_assert_eq!(again.states(), &states);
        // Merging the same file again adds nothing.
        let mut again = again;
        prop_assert_eq!(again.merge(&other, now()).unwrap().added, 0);
    }
}
