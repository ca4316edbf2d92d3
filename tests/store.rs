//! Store and sessions on the bundled decks: same-day repeats, limits,
//! rollover, undo, drills, merge, lock, corrupt files, removed cards.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::error::StoreError;
use bokseup::schedule::Grade;
use bokseup::session::{DrillOrder, Session};
use bokseup::stats;
use bokseup::store::journal::Event;
use bokseup::store::{Store, files};
use chrono::{DateTime, FixedOffset};
use common::{decks, kst, open};
use std::path::Path;

#[test]
fn fresh_store_offers_twenty_new_cards_in_chapter_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    assert_eq!(store.cards().len(), 189);
    let q = store.queue(store.study_day(kst(22, 9, 0)));
    assert_eq!(q.counts().new, 20);
    let first = &store.cards()[q.new[0]];
    let lowest = store
        .cards()
        .iter()
        .filter(|c| &*c.deck == "course")
        .map(|c| c.chapter.clone())
        .min()
        .unwrap();
    assert_eq!((&*first.deck, &*first.chapter), ("course", &*lowest));
    let chapters: Vec<&str> = q.new.iter().map(|&i| &*store.cards()[i].chapter).collect();
    assert!(chapters.windows(2).all(|w| w[0] <= w[1]), "{chapters:?}");
}

#[test]
fn every_seed_card_is_found_by_its_id_and_no_other_id_is() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    for (i, c) in store.cards().iter().enumerate() {
        assert_eq!(store.card_index(&c.id.0), Some(i), "{}", c.id.0);
        // A prefix or an extension of a real id is not a card.
        assert_eq!(store.card_index(&format!("{}x", c.id.0)), None);
        assert_eq!(store.card_index(&c.id.0[..c.id.0.len() - 1]), None);
    }
    assert_eq!(store.card_index(""), None);
    assert_eq!(store.card_index("\u{10ffff}"), None);
}

#[test]
fn again_comes_back_the_same_day_without_a_second_sm2_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut s = Session::review(&store, kst(22, 9, 0));
    let first = s.current().unwrap();
    let id = store.cards()[first].id.0.to_string();
    s.answer(&mut store, Grade::Again, kst(22, 9, 1)).unwrap();
    let after_first = store.state(&id).unwrap().clone();
    assert_eq!(after_first.sm2.repetitions, 0);
    // It comes back after three other cards.
    for _ in 0..3 {
        assert_ne!(s.current(), Some(first));
        s.answer(&mut store, Grade::Good, kst(22, 9, 2)).unwrap();
    }
    assert_eq!(s.current(), Some(first));
    s.answer(&mut store, Grade::Hard, kst(22, 9, 3)).unwrap();
    assert_eq!(
        store.state(&id).unwrap().sm2,
        after_first.sm2,
        "no second step"
    );
    while s.current() != Some(first) {
        s.answer(&mut store, Grade::Good, kst(22, 9, 4)).unwrap();
    }
    s.answer(&mut store, Grade::Good, kst(22, 9, 5)).unwrap();
    let done = store.state(&id).unwrap();
    assert_eq!(done.sm2, after_first.sm2);
    assert!(!done.in_learning(store.study_day(kst(22, 9, 5))));
    assert_eq!(done.due, Some(store.study_day(kst(23, 9, 0))));
}

#[test]
fn new_limit_counts_cards_introduced_today_and_resets_at_rollover() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut s = Session::review(&store, kst(22, 23, 0));
    while !s.is_done() {
        s.answer(&mut store, Grade::Good, kst(22, 23, 30)).unwrap();
    }
    assert_eq!(s.summary().cards, 20);
    // 03:59 next morning is still the 22nd's study day: nothing new left.
    assert_eq!(
        Session::review(&store, kst(23, 3, 59)).progress().remaining,
        0
    );
    // 04:00 starts the 23rd: 20 new cards and the 20 due reviews.
    let s = Session::review(&store, kst(23, 4, 0));
    let q = store.queue(store.study_day(kst(23, 4, 0)));
    assert_eq!((q.counts().new, q.counts().due), (20, 20));
    assert_eq!(s.progress().remaining, 40);
    // The same instant seen from UTC (19:00 on the 22nd) is still the 22nd there.
    let utc = kst(23, 4, 0).with_timezone(&FixedOffset::east_opt(0).unwrap());
    assert_eq!(store.study_day(utc).to_string(), "2026-11-22");
}

#[test]
fn undo_goes_back_any_number_of_steps_and_replay_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut s = Session::review(&store, kst(22, 9, 0));
    let before: Vec<_> = store
        .cards()
        .iter()
        .map(|c| store.state(&c.id.0).cloned())
        .collect();
    let grades = [
        Grade::Good,
        Grade::Again,
        Grade::Easy,
        Grade::Hard,
        Grade::Good,
    ];
    for (i, g) in grades.iter().enumerate() {
        s.answer(&mut store, *g, kst(22, 9, i as u32 + 1)).unwrap();
    }
    for i in 0..5 {
        assert!(s.undo(&mut store, kst(22, 10, i)).unwrap());
    }
    assert!(!s.undo(&mut store, kst(22, 10, 9)).unwrap());
    let after: Vec<_> = store
        .cards()
        .iter()
        .map(|c| store.state(&c.id.0).cloned())
        .collect();
    assert_eq!(before, after);
    assert_eq!(s.progress().answered, 0);
    assert_eq!(s.progress().remaining, 20);
    // 5 reviews + 5 undos are in the journal; a restart replays to the same states.
    assert_eq!(store.read_history().unwrap().len(), 10);
    drop(store);
    let store = open(dir.path());
    let replayed: Vec<_> = store
        .cards()
        .iter()
        .map(|c| store.state(&c.id.0).cloned())
        .collect();
    assert_eq!(before, replayed);
}

#[test]
fn drill_leaves_sm2_state_untouched_unless_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let ch = vec![("course".to_string(), "10".to_string())];
    let mut d = Session::drill(&store, &ch, DrillOrder::NoteOrder, false, kst(22, 9, 0));
    assert_eq!(d.progress().remaining, 3);
    let mut n = 0;
    while !d.is_done() && n < 10 {
        d.answer(&mut store, Grade::Again, kst(22, 9, 1)).unwrap();
        d.answer(&mut store, Grade::Good, kst(22, 9, 2)).unwrap();
        n += 1;
    }
    assert!(d.is_done());
    assert!(store.states().is_empty(), "drill changed SM-2 state");
    assert!(store.read_history().unwrap().len() >= 6);
    let mut c = Session::drill(&store, &ch, DrillOrder::WeakestFirst, true, kst(22, 9, 0));
    c.answer(&mut store, Grade::Good, kst(22, 9, 3)).unwrap();
    assert_eq!(store.states().len(), 1);
}

#[test]
fn weak_topics_rank_the_failed_chapter_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // Learn every course card of chapters 02 and 10 on the 1st, review on the 2nd:
    // pass chapter 02, fail chapter 10.
    let ids = |store: &Store, ch: &str| -> Vec<String> {
        store
            .cards()
            .iter()
            .filter(|c| &*c.deck == "course" && &*c.chapter == ch)
            .map(|c| c.id.0.to_string())
            .collect()
    };
    let (c02, c10) = (ids(&store, "02"), ids(&store, "10"));
    for id in c02.iter().chain(&c10) {
        store
            .review(
                id,
                4,
                bokseup::store::journal::Mode::Normal,
                kst(1, 9, 0),
                1000,
            )
            .unwrap();
    }
    for id in &c02 {
        store
            .review(
                id,
                4,
                bokseup::store::journal::Mode::Normal,
                kst(2, 9, 0),
                1000,
            )
            .unwrap();
    }
    for id in &c10 {
        store
            .review(
                id,
                1,
                bokseup::store::journal::Mode::Normal,
                kst(2, 9, 0),
                1000,
            )
            .unwrap();
    }
    let today = store.study_day(kst(3, 9, 0));
    let st = stats::chapters(
        store.cards(),
        store.states(),
        &store.read_history().unwrap(),
        today,
        &store.settings().scheduling,
    );
    assert_eq!(
        (st[0].deck.as_str(), st[0].chapter.as_str()),
        ("course", "10")
    );
    assert_eq!(st[0].lapses as usize, c10.len());
    assert_eq!(st[0].retention_30d, Some(0.5));
    let ch02 = st
        .iter()
        .find(|s| &*s.chapter == "02" && &*s.deck == "course")
        .unwrap();
    assert_eq!(ch02.retention_30d, Some(1.0));
    let fc = stats::forecast(store.states(), today);
    assert_eq!(fc.len(), 30);
    assert_eq!(
        fc[0].1,
        c10.len(),
        "failed cards are due (overdue) on day 0"
    );
}

#[test]
fn two_machines_merged_both_ways_give_identical_states() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    {
        let mut sa = open(a.path());
        let mut sb = open(b.path());
        let mut s = Session::review(&sa, kst(20, 9, 0));
        for i in 0..12 {
            let g = [Grade::Good, Grade::Again, Grade::Easy][i % 3];
            s.answer(&mut sa, g, kst(20, 9, i as u32)).unwrap();
        }
        let mut s = Session::review(&sb, kst(21, 20, 0));
        for i in 0..9 {
            let g = [Grade::Hard, Grade::Good][i % 2];
            s.answer(&mut sb, g, kst(21, 20, i as u32)).unwrap();
        }
        s.undo(&mut sb, kst(21, 21, 0)).unwrap();
        let card = sa.cards()[5].id.0.to_string();
        sa.suspend(&card, kst(20, 10, 0)).unwrap();
    }
    let ja = a.path().join(files::JOURNAL);
    let jb = b.path().join(files::JOURNAL);
    let copy_a = std::fs::read(&ja).unwrap();
    let other_a = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(other_a.path(), &copy_a).unwrap();
    let mut sa = open(a.path());
    let r = sa.merge(&jb, kst(22, 9, 0)).unwrap();
    assert_eq!(r.added, 10);
    let mut sb = open(b.path());
    sb.merge(other_a.path(), kst(22, 9, 0)).unwrap();
    assert_eq!(sa.states(), sb.states());
    assert_eq!(
        sa.read_history().unwrap().len(),
        sb.read_history().unwrap().len()
    );
    // Merging again adds nothing.
    assert_eq!(sa.merge(&jb, kst(22, 9, 0)).unwrap().added, 0);
}

#[test]
fn second_instance_gets_a_clear_lock_error() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    match Store::open(dir.path(), Some(&decks())) {
        Err(StoreError::Locked { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
        other => panic!("expected a lock error, got {other:?}"),
    }
}

fn review_some(dir: &Path, n: usize) {
    let mut store = open(dir);
    let mut s = Session::review(&store, kst(22, 9, 0));
    for i in 0..n {
        s.answer(&mut store, Grade::Good, kst(22, 9, i as u32))
            .unwrap();
    }
}

#[test]
fn a_torn_line_that_cuts_a_korean_character_is_kept_aside_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 2);
    let j = dir.path().join(files::JOURNAL);
    let mut bytes = std::fs::read(&j).unwrap();
    let cut = &"Suspend(id:\"x-1\",card:\"복습".as_bytes()[..27];
    assert!(std::str::from_utf8(cut).is_err());
    bytes.extend_from_slice(cut);
    std::fs::write(&j, &bytes).unwrap();
    let store = open(dir.path());
    let torn = store.torn_tail().expect("torn tail reported");
    assert_eq!(std::fs::read(&torn.side_file).unwrap(), cut);
    assert_eq!(store.read_history().unwrap().len(), 2);
}

#[test]
fn torn_last_line_is_kept_aside_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 4);
    let j = dir.path().join(files::JOURNAL);
    let mut bytes = std::fs::read(&j).unwrap();
    bytes.extend_from_slice(b"Review(id:\"x-9\",card:\"ab");
    std::fs::write(&j, &bytes).unwrap();
    let store = open(dir.path());
    let torn = store.torn_tail().expect("torn tail reported");
    assert_eq!(
        std::fs::read(&torn.side_file).unwrap(),
        b"Review(id:\"x-9\",card:\"ab"
    );
    assert_eq!(torn.line, 6);
    assert_eq!(store.read_history().unwrap().len(), 4);
    assert_eq!(store.states().len(), 4);
}

#[test]
fn garbage_journal_is_an_error_with_line_and_is_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 3);
    let j = dir.path().join(files::JOURNAL);
    let text = std::fs::read_to_string(&j).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = "Review(id: garbage";
    let broken = lines.join("\n") + "\n";
    std::fs::write(&j, &broken).unwrap();
    let err = Store::open(dir.path(), Some(&decks())).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&format!("{}:3:", j.display())), "{msg}");
    assert!(msg.contains("left untouched"));
    assert_eq!(std::fs::read_to_string(&j).unwrap(), broken);
    // Truncated in the middle of the file (not at its end) is the same error.
    let cut = &text[..text.len() / 2];
    let cut = format!(
        "{}\n",
        cut.rsplit_once('\n').unwrap().0.to_string() + "\nReview(id:\"oops"
    );
    std::fs::write(&j, &cut).unwrap();
    assert!(Store::open(dir.path(), Some(&decks())).is_err());
    assert_eq!(std::fs::read_to_string(&j).unwrap(), cut);
}

#[test]
fn garbage_cache_is_rebuilt_from_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 5);
    let expected = open(dir.path()).states().clone();
    let snap = dir.path().join(files::CACHE);
    std::fs::write(&snap, "(((garbage").unwrap();
    let store = open(dir.path());
    assert_eq!(store.states(), &expected);
    drop(store);
    // Truncated cache: same.
    let text = std::fs::read(&snap).unwrap();
    std::fs::write(&snap, &text[..text.len() / 3]).unwrap();
    assert_eq!(open(dir.path()).states(), &expected);
}

#[test]
fn garbage_settings_are_an_error_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 1);
    let p = dir.path().join(files::SETTINGS);
    let bad = "(version: 1,\n scheduling: (new_per_day: \"many\"),\n)";
    std::fs::write(&p, bad).unwrap();
    let msg = Store::open(dir.path(), Some(&decks()))
        .unwrap_err()
        .to_string();
    assert!(msg.contains(&format!("{}:2:", p.display())), "{msg}");
    assert_eq!(std::fs::read_to_string(&p).unwrap(), bad);
}

#[test]
fn settings_round_trip_and_change_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut s = store.settings().clone();
    s.scheduling.new_per_day = 5;
    store.save_settings(s).unwrap();
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.settings().scheduling.new_per_day, 5);
    assert_eq!(store.queue(store.study_day(kst(22, 9, 0))).counts().new, 5);
}

#[test]
fn a_card_removed_from_the_decks_keeps_its_history_and_gets_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    for f in ["course.ron", "book.ron"] {
        std::fs::copy(decks().join(f), src.path().join(f)).unwrap();
    }
    let id;
    {
        let mut store = Store::open(dir.path(), Some(src.path())).unwrap();
        let mut s = Session::review(&store, kst(22, 9, 0));
        id = store.cards()[s.current().unwrap()].id.0.to_string();
        s.answer(&mut store, Grade::Easy, kst(22, 9, 1)).unwrap();
    }
    let full = std::fs::read_to_string(src.path().join("course.ron")).unwrap();
    let deck = bokseup::store::decks::from_ron(Path::new("course.ron"), &full).unwrap();
    let mut smaller = deck.clone();
    smaller.cards.retain(|c| c.id.0 != id);
    bokseup::store::decks::write_deck(src.path(), &smaller).unwrap();
    let kept = {
        let store = Store::open(dir.path(), Some(src.path())).unwrap();
        assert!(store.card_index(&id).is_none());
        assert_eq!(store.removed_cards(), [id.as_str()]);
        store.state(&id).unwrap().clone()
    };
    bokseup::store::decks::write_deck(src.path(), &deck).unwrap();
    let store = Store::open(dir.path(), Some(src.path())).unwrap();
    assert!(store.card_index(&id).is_some());
    assert_eq!(store.state(&id), Some(&kept));
    assert!(store.removed_cards().is_empty());
}

#[test]
fn a_cards_history_keeps_an_undone_answer_marked_with_its_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let mut s = Session::review(&store, kst(22, 9, 0));
    let first = s.current().unwrap();
    let id = store.cards()[first].id.0.to_string();
    s.answer(&mut store, Grade::Good, kst(22, 9, 1)).unwrap();
    assert!(s.undo(&mut store, kst(22, 9, 2)).unwrap());
    // The undo shows the card again: this time it is answered Easy.
    assert_eq!(s.current(), Some(first));
    s.answer(&mut store, Grade::Easy, kst(22, 9, 3)).unwrap();
    store.suspend(&id, kst(22, 9, 4)).unwrap();
    // Another card's answer is not in this card's history.
    s.answer(&mut store, Grade::Good, kst(22, 9, 5)).unwrap();
    let lines = |store: &Store| -> Vec<(u8, Option<DateTime<FixedOffset>>, bool)> {
        store
            .history(&id)
            .iter()
            .map(|h| match &h.event {
                Event::Review { grade, .. } => (*grade, h.undone_at, false),
                e => {
                    assert!(matches!(e, Event::Suspend { .. }), "{e:?}");
                    (0, h.undone_at, true)
                }
            })
            .collect()
    };
    let expected = vec![
        (Grade::Good.quality(), Some(kst(22, 9, 2)), false),
        (Grade::Easy.quality(), None, false),
        (0, None, true),
    ];
    assert_eq!(lines(&store), expected);
    // The same after a restart, from the journal alone.
    drop(store);
    let store = open(dir.path());
    assert_eq!(lines(&store), expected);
}
