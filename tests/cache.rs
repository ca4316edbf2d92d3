//! The cache (`cache.bin`) is derived and never believed over the journal:
//! whatever happened to the journal since it was written, a start gives
//! the states a whole replay of the journal gives.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::schedule::Grade;
use bokseup::session::Session;
use bokseup::store::journal::Event;
use bokseup::store::{Store, files, journal, replay, settings};
use common::{decks, kst, open};
use std::path::Path;

/// Answer `n` cards on day `d` (Good, Again for every third) and keep the
/// cache written as it stands after them.
fn answer(dir: &Path, d: u32, n: usize, save: bool) {
    let mut store = open(dir);
    let mut s = Session::review(&store, kst(d, 9, 0));
    for i in 0..n {
        let grade = if i % 3 == 2 {
            Grade::Again
        } else {
            Grade::Good
        };
        s.answer(&mut store, grade, kst(d, 9, i as u32)).unwrap();
    }
    if save {
        store.save_cache().unwrap();
    }
}

/// What a whole replay of the journal in `dir` gives.
fn replayed(dir: &Path) -> replay::States {
    let settings = settings::read(&dir.join(files::SETTINGS))
        .unwrap()
        .scheduling;
    let read = journal::read(&dir.join(files::JOURNAL)).unwrap();
    replay::replay(&read.events, &settings)
}

fn cache_written_at(dir: &Path) -> std::time::SystemTime {
    std::fs::metadata(dir.join(files::CACHE))
        .unwrap()
        .modified()
        .unwrap()
}

#[test]
fn answers_after_the_cache_are_applied_on_top_of_it() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    answer(dir.path(), 23, 9, false);
    let store = open(dir.path());
    assert_eq!(store.states(), &replayed(dir.path()));
    assert!(store.states().values().any(|s| s.reviews == 2));
}

#[test]
fn a_journal_edited_within_what_the_cache_covers_is_replayed() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    let before = open(dir.path()).states().clone();
    // The same length, one grade changed: only the checkpoint tells.
    let path = dir.path().join(files::JOURNAL);
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.rfind("grade:4").unwrap();
    let edited = format!("{}grade:1{}", &text[..at], &text[at + 7..]);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&path, edited).unwrap();
    let store = open(dir.path());
    assert_ne!(store.states(), &before);
    assert_eq!(store.states(), &replayed(dir.path()));
}

#[test]
fn an_undo_or_an_earlier_event_after_the_cache_is_replayed_whole() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    {
        let mut store = open(dir.path());
        let last = store.last_answer_of_day(store.study_day(kst(22, 10, 0)));
        let id = last.unwrap().id().clone();
        store.undo(&id, kst(22, 10, 0)).unwrap();
    }
    let store = open(dir.path());
    assert_eq!(store.states(), &replayed(dir.path()));
    drop(store);

    // An event older than the cache's latest (as a merge appends them).
    answer(dir.path(), 24, 3, true);
    let other = tempfile::tempdir().unwrap();
    answer(other.path(), 23, 5, false);
    let mut store = open(dir.path());
    store
        .merge(&other.path().join(files::JOURNAL), kst(24, 12, 0))
        .unwrap();
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.states(), &replayed(dir.path()));
}

#[test]
fn a_cache_of_other_scheduling_settings_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    answer(dir.path(), 27, 8, true);
    let before = open(dir.path()).states().clone();
    let mut store = open(dir.path());
    let mut s = store.settings().clone();
    s.scheduling.max_interval_days = 1;
    store.save_settings(s).unwrap();
    drop(store);
    let store = open(dir.path());
    assert_ne!(store.states(), &before);
    assert_eq!(store.states(), &replayed(dir.path()));
}

#[test]
fn a_journal_that_lost_what_the_cache_counted_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    let path = dir.path().join(files::JOURNAL);
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = &text[..text.trim_end().rfind('\n').unwrap() + 1];
    std::fs::write(&path, cut).unwrap();
    assert!(matches!(
        Store::open(dir.path(), Some(&decks())),
        Err(bokseup::error::StoreError::JournalShort { .. })
    ));
    // Nothing was written over it.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), cut);
}

#[test]
fn what_only_reads_refreshes_a_stale_cache_unless_the_dir_is_held() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    answer(dir.path(), 23, 9, false);
    let cache = dir.path().join(files::CACHE);
    // Held by a writer: a reader writes nothing.
    let held = open(dir.path());
    std::fs::remove_file(&cache).unwrap();
    let ro = Store::open_read_only(dir.path(), Some(&decks())).unwrap();
    assert!(!cache.exists());
    assert_eq!(ro.states(), &replayed(dir.path()));
    drop((ro, held));
    // Free: the reader leaves a cache that the next start uses.
    let ro = Store::open_read_only(dir.path(), Some(&decks())).unwrap();
    let written = cache_written_at(dir.path());
    assert_eq!(ro.states(), &replayed(dir.path()));
    let again = Store::open_read_only(dir.path(), Some(&decks())).unwrap();
    assert_eq!(cache_written_at(dir.path()), written);
    assert_eq!(again.states(), ro.states());
    // The history is still there when asked for.
    let all = again.read_history().unwrap();
    assert_eq!(all.len() as u64, again.event_count());
    assert!(all.iter().all(|e| !matches!(e, Event::Undo { .. })));
}

/// The readiness memory a whole replay of the journal in `dir` gives.
fn replayed_memory(dir: &Path) -> bokseup::readiness::Memory {
    let settings = settings::read(&dir.join(files::SETTINGS))
        .unwrap()
        .scheduling;
    let read = journal::read(&dir.join(files::JOURNAL)).unwrap();
    bokseup::readiness::replay_with_memory(&read.events, &settings).1
}

#[test]
fn the_readiness_memory_follows_answers_drills_and_undos_as_a_replay_would() {
    use bokseup::store::journal::Mode;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let ids: Vec<String> = store.cards()[..40]
        .iter()
        .map(|c| c.id.0.to_string())
        .collect();
    let good = Grade::Good.quality();
    let again = Grade::Again.quality();
    // Ten days of answers over the seed cards: every card Good or Again,
    // every fifth a drill; some answers undone at once, one card's only
    // answer undone, a card suspended.
    for d in 1..=10 {
        for (n, id) in ids.iter().enumerate() {
            let at = kst(d, 9, n as u32);
            let mode = if n % 5 == 4 {
                Mode::Drill
            } else {
                Mode::Normal
            };
            let grade = if (n + d as usize).is_multiple_of(4) {
                again
            } else {
                good
            };
            let e = store.review(id, grade, mode, at, 0).unwrap();
            if (n + d as usize).is_multiple_of(7) {
                store.undo(&e, kst(d, 10, n as u32)).unwrap();
            }
        }
    }
    let only = store.cards()[41].id.0.to_string();
    let e = store
        .review(&only, good, Mode::Normal, kst(11, 9, 0), 0)
        .unwrap();
    store.undo(&e, kst(11, 9, 1)).unwrap();
    store.suspend(&ids[3], kst(11, 9, 2)).unwrap();
    let kept = store.memory().clone();
    let whole = replayed_memory(dir.path());
    assert_eq!(kept, whole);
    assert!(kept.samples.len() > 200 && !kept.last.contains_key(only.as_str()));
    // Read back from the cache at the next start: the same.
    store.save_cache().unwrap();
    drop(store);
    let written = cache_written_at(dir.path());
    let store = open(dir.path());
    assert_eq!(*store.memory(), whole);
    // Answers after the cache are taken in on top of it at the next start.
    drop(store);
    answer(dir.path(), 12, 5, false);
    let store = open(dir.path());
    assert_eq!(*store.memory(), replayed_memory(dir.path()));
    assert_eq!(cache_written_at(dir.path()), written, "the cache was used");
}

#[test]
fn undoing_an_answer_of_an_earlier_session_gives_its_card_its_last_answer_back() {
    use bokseup::store::journal::Mode;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let card = store.cards()[0].id.0.to_string();
    let good = Grade::Good.quality();
    store
        .review(&card, good, Mode::Normal, kst(1, 9, 0), 0)
        .unwrap();
    let later = store
        .review(&card, good, Mode::Normal, kst(3, 9, 0), 0)
        .unwrap();
    store.save_cache().unwrap();
    drop(store);
    let mut store = open(dir.path());
    assert_eq!(store.memory().last[card.as_str()], kst(3, 9, 0));
    // The answer to undo is the day's last, found in the journal's tail.
    let last = store.last_answer_of_day(store.study_day(kst(3, 10, 0)));
    assert_eq!(last.as_ref().map(|e| e.id()), Some(&later));
    store.undo(&later, kst(3, 10, 0)).unwrap();
    assert_eq!(store.states(), &replayed(dir.path()));
    assert_eq!(store.memory().last[card.as_str()], kst(1, 9, 0));
    assert_eq!(
        store.memory().last,
        replayed_memory(dir.path()).last,
        "every card's last answer as a replay gives it"
    );
}

#[test]
fn weak_topics_from_the_journals_tail_are_those_of_the_whole_journal() {
    use bokseup::stats;
    use bokseup::store::journal::Mode;
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = open(dir.path())
        .cards()
        .iter()
        .map(|c| c.id.0.to_string())
        .collect();
    let day = |d: i64| kst(1, 9, 0) - chrono::Duration::days(31) + chrono::Duration::days(d);
    // Two months of answers over the seed cards, 200 a day, some undone
    // at once, written as a journal; answers of a second device in the
    // first month are kept apart, to be merged later.
    let mut mine = vec![journal::HEADER.to_string()];
    let mut other = vec![journal::HEADER.to_string()];
    let mut dice = common::Dice(7);
    for d in 0..60 {
        for k in 0..200 {
            let at = day(d) + chrono::Duration::seconds(k * 20);
            let card = &ids[dice.next() as usize % ids.len()];
            let e = Event::Review {
                id: format!("{d}-{k}").into(),
                card: card.as_str().into(),
                at,
                grade: if dice.unit() < 0.2 { 1 } else { 4 },
                mode: Mode::Normal,
                ms: 0,
            };
            let line = ron::to_string(&e).unwrap();
            if d < 30 && k % 4 == 0 {
                other.push(line);
                continue;
            }
            mine.push(line);
            if k % 9 == 0 {
                let undo = Event::Undo {
                    id: format!("{d}-{k}-undo").into(),
                    at: at + chrono::Duration::seconds(5),
                    of: e.id().clone(),
                };
                mine.push(ron::to_string(&undo).unwrap());
            }
        }
    }
    std::fs::write(dir.path().join(files::JOURNAL), mine.join("\n") + "\n").unwrap();
    let check = |store: &Store, when| {
        let today = store.study_day(when);
        let sched = &store.settings().scheduling;
        let read = store.history_since(stats::retention_from(today)).unwrap();
        let tail = read.read().unwrap();
        let whole = journal::read(&store.dir().join(files::JOURNAL))
            .unwrap()
            .events;
        let from_tail = stats::chapters(store.cards(), store.states(), &tail, today, sched);
        let from_whole = stats::chapters(store.cards(), store.states(), &whole, today, sched);
        assert_eq!(from_tail, from_whole);
        assert!(from_whole.iter().any(|c| c.reviews_30d > 0));
        (read.from.0, tail.len(), whole.len())
    };
    let mut store = open(dir.path());
    let (first, tail, whole) = check(&store, day(59));
    assert!(first > 0 && tail < whole, "{first}: {tail} of {whole}");
    // The other device's older events land at the end of the journal.
    let merged = store
        .merge_text(&(other.join("\n") + "\n"), day(60))
        .unwrap();
    assert!(merged.added > 1000);
    for d in [59, 45, 30, 10] {
        check(&store, day(d));
    }
    // From a start that used the cache, then an answer after it.
    drop(store);
    let mut store = open(dir.path());
    store.review(&ids[1], 1, Mode::Normal, day(60), 0).unwrap();
    let (first, tail, whole) = check(&store, day(60));
    assert!(first > 0 && tail < whole, "{first}: {tail} of {whole}");
    // Undos of answers this store did not record: one of the day before,
    // in the tail the lookup reads first, and one of fifty days before,
    // found in the whole journal after it.
    for (n, of) in ["59-1", "10-1"].into_iter().enumerate() {
        let at = day(60) + chrono::Duration::minutes(1 + n as i64);
        store.undo(&of.into(), at).unwrap();
    }
    assert_eq!(store.states(), &replayed(dir.path()));
    assert_eq!(store.memory().last, replayed_memory(dir.path()).last);
}

#[test]
fn a_store_opened_to_count_reads_the_states_and_no_figures() {
    let dir = tempfile::tempdir().unwrap();
    answer(dir.path(), 22, 12, true);
    answer(dir.path(), 23, 9, false);
    let full = Store::open_read_only(dir.path(), Some(&decks())).unwrap();
    let counting = Store::open_to_count(dir.path(), Some(&decks())).unwrap();
    assert_eq!(counting.states(), full.states());
    assert_eq!(counting.answers_per_day(), full.answers_per_day());
    let today = full.study_day(kst(23, 12, 0));
    assert_eq!(counting.queue(today).counts(), full.queue(today).counts());
    assert!(!full.memory().last.is_empty());
    assert!(counting.memory().last.is_empty());
    // Without the day index, the tail asked for is the whole journal.
    let since = full.study_day(kst(23, 0, 0));
    let tail = full.history_since(since).unwrap().read().unwrap();
    let whole = counting.history_since(since).unwrap().read().unwrap();
    assert!(
        tail.len() <= whole.len() && whole.len() == 21,
        "{}",
        whole.len()
    );
    // It leaves the cache as it was.
    let written = cache_written_at(dir.path());
    drop(counting);
    let _again = Store::open_to_count(dir.path(), Some(&decks())).unwrap();
    assert_eq!(cache_written_at(dir.path()), written);
}
