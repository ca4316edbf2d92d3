//! The window, headless (egui_kittest): a full review with keys and buttons,
//! undo, the buttons' interval labels, a drill that leaves SM-2 state alone,
//! weak topics, Korean search in Browse, and the locked-data-dir screen.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::store::Store;
use bokseup::store::journal::Mode;
use bokseup::ui::app::{App, Screen};
use bokseup::ui::fonts;
use chrono::{DateTime, FixedOffset, TimeZone};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};

fn decks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks")
}

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .unwrap()
}

fn harness(store: Result<Store, bokseup::error::StoreError>) -> Harness<'static, App> {
    harness_at(store, now)
}

/// The window with its clock reading `clock`.
fn harness_at(
    store: Result<Store, bokseup::error::StoreError>,
    clock: fn() -> DateTime<FixedOffset>,
) -> Harness<'static, App> {
    let decks = decks();
    Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| App::new(cc, store, &decks, Box::new(clock)))
}

/// The first chapter Weak topics lists (the weakest).
fn first_weak_chapter(h: &Harness<'_, App>) -> String {
    h.query_all_by_label_contains("[")
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("[course]") || l.starts_with("[book]"))
        .unwrap()
}

/// The ids of a course chapter's cards.
fn course_chapter_ids(store: &Store, chapter: &str) -> Vec<String> {
    store
        .cards()
        .iter()
        .filter(|c| &*c.deck == "course" && &*c.chapter == chapter)
        .map(|c| c.id.0.to_string())
        .collect()
}

fn open(dir: &Path) -> Store {
    Store::open(dir, Some(&decks())).unwrap()
}

#[test]
fn a_review_with_keys_and_buttons_labels_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label_contains("복습 시작 (20)").click();
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
    // The session's first card, as Browse will list it.
    let first: String = {
        let app = h.state();
        let c = &app.store().unwrap().cards()[app.session().unwrap().current().unwrap()];
        bokseup::notes::text::plain_text(&c.question)
            .chars()
            .take(12)
            .collect()
    };
    // Space reveals; the buttons show the next intervals of a new card.
    h.key_press(Key::Space);
    h.run();
    assert!(h.state().session().unwrap().revealed());
    h.get_by_label("다시 <1분");
    h.get_by_label("어려움 <1분");
    h.get_by_label("좋음 1일");
    h.get_by_label("쉬움 1일");
    // Key 3 answers Good.
    h.key_press(Key::Num3);
    h.run();
    assert_eq!(h.state().session().unwrap().progress().answered, 1);
    assert!(!h.state().session().unwrap().revealed());
    // The button works too.
    h.get_by_label("답 보기 (Space)").click();
    h.run();
    h.get_by_label("쉬움 1일").click();
    h.run();
    assert_eq!(h.state().session().unwrap().progress().answered, 2);
    // Ctrl+Z undoes, twice.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session().unwrap().progress().answered, 0);
    assert!(h.state().store().unwrap().states().is_empty());
    // Finish the session with the keyboard: Again comes back until Good.
    let mut presses = 0;
    while !h.state().session().unwrap().is_done() && presses < 200 {
        h.key_press(Key::Enter);
        h.run();
        let k = if presses % 5 == 0 {
            Key::Num1
        } else {
            Key::Num3
        };
        h.key_press(k);
        h.run();
        presses += 1;
    }
    assert!(h.state().session().unwrap().is_done());
    h.get_by_label("세션 끝");
    let store = h.state().store().unwrap();
    assert_eq!(store.states().len(), 20);
    assert!(store.states().values().all(|s| s.repeat_day.is_none()));
    // A card's history names the button pressed, not the SM-2 quality.
    h.get_by_label("카드 찾기").click();
    until_listed(&mut h);
    h.get_by_label_contains(&first).click();
    step_until(&mut h, |h| {
        h.query_all_by_label_contains("복습 좋음").next().is_some()
    });
    assert_eq!(h.query_all_by_label_contains("q=").count(), 0);
    // It was the session's first card: its first answer, undone, is still
    // listed, marked as undone.
    assert_eq!(h.query_all_by_label_contains("되돌림").count(), 1);
}

#[test]
fn a_drill_leaves_the_schedule_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    show_drill(&mut h);
    h.get_by_label_contains("[course] 10 Kubernetes_Service")
        .click();
    h.run();
    h.get_by_label("기본: 복습 일정은 바뀌지 않습니다");
    h.get_by_label_contains("연습 시작 (3)").click();
    h.run();
    h.get_by_label("챕터 연습 — 복습 일정은 바뀌지 않습니다");
    for _ in 0..3 {
        h.key_press(Key::Space);
        h.run();
        h.get_by_label("좋음").click();
        h.run();
    }
    assert!(h.state().session().unwrap().is_done());
    let store = h.state().store().unwrap();
    assert!(store.states().is_empty(), "drill changed SM-2 state");
    assert_eq!(store.read_history().unwrap().len(), 3);
}

#[test]
fn weak_topics_lists_the_failed_chapter_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let ids = course_chapter_ids(&store, "10");
    let day1 = now() - chrono::Duration::days(3);
    let day2 = now() - chrono::Duration::days(2);
    for id in &ids {
        store.review(id, 4, Mode::Normal, day1, 2000).unwrap();
        store.review(id, 1, Mode::Normal, day2, 2000).unwrap();
    }
    let mut h = harness(Ok(store));
    h.run();
    show_weak_topics(&mut h);
    let first = first_weak_chapter(&h);
    assert_eq!(first, "[course] 10 Kubernetes_Service");
    h.get_by_label("50% (6)");
    // A click on the chapter drills it.
    h.get_by_label("[course] 10 Kubernetes_Service").click();
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
    assert_eq!(h.state().session().unwrap().progress().remaining, 3);
}

#[test]
fn browse_search_finds_a_korean_word() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label("카드 찾기").click();
    until_listed(&mut h);
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("가상화솔루션");
    // The search index is made on another thread.
    until_listed(&mut h);
    assert_eq!(
        h.get_by_role(egui::accesskit::Role::TextInput)
            .value()
            .as_deref(),
        Some("가상화솔루션")
    );
    h.get_by_label("1 / 189");
    h.get_by_label_contains("Hypervisor라는 레이어는").click();
    h.run();
    h.get_by_label_contains("가상머신(Virtual machine)을 제공해주기");
    h.get_by_label("보류").click();
    until_listed(&mut h);
    // The card's history (read on another thread) names what happened.
    h.get_by_label("보류 해제");
    step_until(&mut h, |h| h.query_by_label_contains(" 보류").is_some());
    let store = h.state().store().unwrap();
    assert_eq!(store.states().values().filter(|s| s.suspended).count(), 1);
}

#[test]
fn a_locked_data_dir_shows_an_error_screen() {
    let dir = tempfile::tempdir().unwrap();
    let _first = open(dir.path());
    let second = Store::open(dir.path(), Some(&decks()));
    assert!(second.is_err());
    let mut h = harness(second);
    h.run();
    h.get_by_label("복습 — 데이터를 열 수 없습니다");
    h.get_by_label_contains("다른 bokseup 창");
    h.get_by_label_contains(&dir.path().join("lock").display().to_string());
}

#[test]
fn screens_show_the_figures_of_the_latest_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label("연속 학습: 0일");
    // Each screen seen once before the answer, so each has figures to keep.
    show_weak_topics(&mut h);
    assert!(h.query_by_label("0% (1)").is_none());
    h.get_by_label("카드 찾기").click();
    until_listed(&mut h);
    h.get_by_label("학습 중").click();
    until_listed(&mut h);
    h.get_by_label("0 / 189");
    h.get_by_label("홈").click();
    h.run();
    h.get_by_label_contains("복습 시작 (20)").click();
    h.run();
    let (idx, chapter) = {
        let app = h.state();
        let idx = app.session().unwrap().current().unwrap();
        let c = &app.store().unwrap().cards()[idx];
        (
            idx,
            format!("[{}] {} {}", c.deck, c.chapter, c.chapter_title),
        )
    };
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Num1);
    h.run();
    assert_ne!(h.state().session().unwrap().current(), Some(idx));
    // Weak topics: the failed card's chapter first, retention 0% of 1.
    show_weak_topics(&mut h);
    let first = first_weak_chapter(&h);
    assert_eq!(first, chapter);
    h.get_by_label("0% (1)");
    // Browse, still filtered on learning cards: the failed card.
    h.get_by_label("카드 찾기").click();
    until_listed(&mut h);
    h.get_by_label("1 / 189");
    h.get_by_label("홈").click();
    h.run();
    h.get_by_label("연속 학습: 1일");
}

/// A disk that is full: every write fails after putting half its bytes down.
#[derive(Debug)]
struct FullDisk(Box<dyn bokseup::store::journal::JournalFile>);

impl bokseup::store::journal::JournalFile for FullDisk {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.write_all(&bytes[..bytes.len() / 2])?;
        Err(std::io::ErrorKind::StorageFull.into())
    }
    fn sync_data(&mut self) -> std::io::Result<()> {
        self.0.sync_data()
    }
    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        self.0.set_len(len)
    }
}

#[test]
fn an_answer_that_could_not_be_written_is_shown_as_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    store.wrap_journal_file(|f| Box::new(FullDisk(f)));
    let mut h = harness(Ok(store));
    h.run();
    h.get_by_label_contains("복습 시작 (20)").click();
    h.run();
    let first = h.state().session().unwrap().current();
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Num3);
    h.run();
    h.get_by_label_contains("답을 저장하지 못했습니다");
    h.get_by_label_contains("cut back to its last complete line");
    assert_eq!(
        h.query_all_by_label_contains("cannot open the data")
            .count(),
        0
    );
    // The card is still there, unanswered.
    let s = h.state().session().unwrap();
    assert_eq!((s.current(), s.progress().answered), (first, 0));
    assert_eq!(h.state().store().unwrap().event_count(), 0);
}

#[test]
fn a_torn_journal_tail_is_announced_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(dir.path()));
    let j = dir.path().join(bokseup::store::files::JOURNAL);
    let mut text = std::fs::read_to_string(&j).unwrap();
    text.push_str("Review(id:\"x\",card:\"ab");
    std::fs::write(&j, text).unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label_contains("중단된 쓰기의 마지막 줄(22 바이트, 2번째 줄)");
    h.get_by_label_contains("journal.ron.torn-1");
    h.get_by_label_contains("중단된 쓰기 조각 1개");
}

/// A harness over `store` whose window is `w`×`h` points.
fn harness_sized(store: Store, w: f32, h: f32, english: bool) -> Harness<'static, App> {
    let decks = decks();
    let mut store = store;
    if english {
        let mut s = store.settings().clone();
        s.display.language = "en".into();
        store.save_settings(s).unwrap();
    }
    Harness::builder()
        .with_size(egui::vec2(w, h))
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| App::new(cc, Ok(store), &decks, Box::new(now)))
}

/// A data dir whose only deck holds one card with a long answer (200 lines).
fn long_answer_store(dir: &Path) -> (Store, tempfile::TempDir) {
    use bokseup::deck::{Card, CardId, CardKind, Deck, Source};
    let src = tempfile::tempdir().unwrap();
    let answer: String = (1..=200)
        .map(|i| format!("- 줄 {i}: EXPOSE 설명\n"))
        .collect();
    let deck = Deck {
        name: "course".into(),
        cards: vec![Card {
            id: CardId::from("long"),
            deck: "course".into(),
            chapter: "05".into(),
            chapter_title: "Dockerfile".into(),
            section: vec!["Docker".to_string()].into(),
            kind: CardKind::Qa,
            question: "EXPOSE는 무엇을 하나요?".into(),
            answer,
            sources: smallvec::smallvec![Source {
                file: "notes/x.md".into(),
                line: 1,
            }],
            tags: Vec::new(),
        }],
    };
    bokseup::store::decks::write_deck(src.path(), &deck).unwrap();
    (Store::open(dir, Some(src.path())).unwrap(), src)
}

#[test]
fn a_long_answer_scrolls_from_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _src) = long_answer_store(dir.path());
    let mut h = harness_sized(store, 1100.0, 760.0, false);
    h.run();
    // Space on Home starts the review; Space shows the answer.
    h.key_press(Key::Space);
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
    h.key_press(Key::Space);
    h.run();
    h.run();
    assert!(h.state().session().unwrap().revealed());
    assert_eq!(h.state().review_scroll(), 0.0);
    // Space on a revealed long answer scrolls a page; PageDown too.
    h.key_press(Key::Space);
    h.run();
    h.run();
    let after_space = h.state().review_scroll();
    assert!(after_space > 300.0, "{after_space}");
    h.key_press(Key::PageDown);
    h.run();
    h.run();
    let after_page = h.state().review_scroll();
    assert!(after_page > after_space, "{after_page}");
    // Up, k and PageUp scroll back; j and Down forward.
    h.key_press(Key::K);
    h.run();
    h.run();
    assert!(h.state().review_scroll() < after_page);
    h.key_press(Key::PageUp);
    h.key_press(Key::PageUp);
    h.key_press(Key::PageUp);
    h.run();
    h.run();
    assert_eq!(h.state().review_scroll(), 0.0);
    h.key_press(Key::J);
    h.key_press(Key::ArrowDown);
    h.run();
    h.run();
    assert!(h.state().review_scroll() > 0.0);
    // Space never answers: the card is still there.
    assert_eq!(h.state().session().unwrap().progress().answered, 0);
}

#[test]
fn space_on_home_starts_the_review_and_the_button_shows_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label_contains("복습 시작 (20)");
    assert!(h.query_all_by_label_contains("Space").count() >= 1);
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
}

#[test]
fn the_browse_list_keeps_its_width_after_an_empty_search() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.get_by_label("카드 찾기").click();
    until_listed(&mut h);
    let row = |h: &Harness<'_, App>| {
        h.query_all_by_label_contains("[course] 01")
            .next()
            .unwrap()
            .rect()
            .width()
    };
    let before = row(&h);
    h.get_by_role(egui::accesskit::Role::TextInput).click();
    h.run();
    h.get_by_role(egui::accesskit::Role::TextInput)
        .type_text("zzzz");
    until_listed(&mut h);
    h.get_by_label("0 / 189");
    for _ in 0..4 {
        h.key_press(Key::Backspace);
        until_listed(&mut h);
    }
    h.run();
    h.get_by_label("189 / 189");
    let after = row(&h);
    assert!(after >= before - 1.0 && after > 250.0, "{before} → {after}");
}

#[test]
fn a_counted_drill_of_a_card_answered_today_does_not_step_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.key_press(Key::Space);
    h.run();
    let (id, chapter) = {
        let app = h.state();
        let c = &app.store().unwrap().cards()[app.session().unwrap().current().unwrap()];
        (
            c.id.0.to_string(),
            format!("[{}] {} {}", c.deck, c.chapter, c.chapter_title),
        )
    };
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Num3);
    h.run();
    let after_review = h.state().store().unwrap().state(&id).cloned().unwrap();
    let tomorrow = h.state().store().unwrap().study_day(now()) + chrono::Duration::days(1);
    assert_eq!(after_review.due, Some(tomorrow));
    // Drill its chapter, counted, and answer it Good again.
    show_drill(&mut h);
    h.get_by_label_contains(&chapter).click();
    h.run();
    h.get_by_label_contains("복습으로 기록").click();
    h.run();
    h.get_by_label_contains("연습 시작").click();
    h.run();
    for _ in 0..200 {
        let done = {
            let app = h.state();
            let s = app.session().unwrap();
            s.current().is_none()
        };
        if done {
            break;
        }
        h.key_press(Key::Space);
        h.run();
        h.key_press(Key::Num3);
        h.run();
    }
    let after_drill = h.state().store().unwrap().state(&id).cloned().unwrap();
    assert_eq!(
        after_drill.due,
        Some(tomorrow),
        "a second SM-2 step the same day"
    );
    assert_eq!(after_drill.sm2, after_review.sm2);
}

#[test]
fn interval_labels_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(open(dir.path()), 1100.0, 760.0, true);
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.get_by_label("Again <1m");
    h.get_by_label("Good 1d");
    h.get_by_label("Easy 1d");
    assert_eq!(h.query_all_by_label_contains("일").count(), 0);
}

#[test]
fn undo_reaches_an_answer_after_leaving_review_and_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    press(
        &mut h,
        &[Key::Space, Key::Space, Key::Num3, Key::Space, Key::Num4],
    );
    assert_eq!(h.state().store().unwrap().states().len(), 2);
    // Home, then Ctrl+Z: the last answer is undone.
    h.get_by_label("홈").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().store().unwrap().states().len(), 1);
    h.get_by_label_contains("답을 되돌렸습니다");
    drop(h);
    // A restart: the day's other answer can still be undone, in review.
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().store().unwrap().states().is_empty());
    assert_eq!(h.state().session().unwrap().progress().remaining, 20);
}

/// Press each key in turn, a frame after each.
fn press(h: &mut Harness<'static, App>, keys: &[Key]) {
    for &k in keys {
        h.key_press(k);
        h.run();
    }
}

/// A quick tap of Ctrl+Z: Ctrl is let go before the frame is drawn, so
/// the frame's modifiers show no Ctrl and only the key press carries it.
fn quick_ctrl_z(h: &mut Harness<'static, App>) {
    let key = |pressed| egui::Event::Key {
        key: Key::Z,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    };
    h.input_mut().events.extend([
        egui::Event::ModifiersChanged(Modifiers::COMMAND),
        key(true),
        key(false),
        egui::Event::ModifiersChanged(Modifiers::NONE),
    ]);
    h.run();
}

#[test]
fn a_quick_ctrl_z_undoes_in_review_and_on_home() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(Ok(open(dir.path())));
    h.run();
    press(
        &mut h,
        &[Key::Space, Key::Space, Key::Num3, Key::Space, Key::Num3],
    );
    assert_eq!(h.state().session().unwrap().progress().answered, 2);
    quick_ctrl_z(&mut h);
    assert_eq!(h.state().session().unwrap().progress().answered, 1);
    h.get_by_label("홈").click();
    h.run();
    quick_ctrl_z(&mut h);
    assert!(h.state().store().unwrap().states().is_empty());
    // A Z typed without Ctrl undoes nothing.
    press(&mut h, &[Key::Space, Key::Space, Key::Num3, Key::Z]);
    assert_eq!(h.state().store().unwrap().states().len(), 1);
}

#[test]
fn retention_counts_each_cards_first_answer_of_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let ids = course_chapter_ids(&store, "10");
    let day1 = now() - chrono::Duration::days(3);
    let day2 = now() - chrono::Duration::days(2);
    for (k, id) in ids.iter().enumerate() {
        store.review(id, 4, Mode::Normal, day1, 2000).unwrap();
        // Day 2: the first card is failed, then repeated until Good.
        if k == 0 {
            store.review(id, 1, Mode::Normal, day2, 2000).unwrap();
            store
                .review(
                    id,
                    1,
                    Mode::Normal,
                    day2 + chrono::Duration::minutes(2),
                    2000,
                )
                .unwrap();
            store
                .review(
                    id,
                    4,
                    Mode::Normal,
                    day2 + chrono::Duration::minutes(5),
                    2000,
                )
                .unwrap();
        }
    }
    // First answers: 3 on day 1 (all Good), 1 on day 2 (Again): 3 of 4.
    let mut h = harness(Ok(store));
    h.run();
    show_weak_topics(&mut h);
    h.get_by_label("75% (4)");
}

#[test]
fn the_window_runs_on_the_given_clock() {
    let start = FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2031, 3, 9, 10, 0, 0)
        .unwrap();
    let clock = bokseup::ui::clock(Some(start));
    let t = clock();
    assert!(t >= start && t - start < chrono::Duration::seconds(5));
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let decks = decks();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| App::new(cc, Ok(store), &decks, clock));
    h.run();
    h.get_by_label("2031-03-09");
}

#[test]
fn a_small_window_wraps_instead_of_clipping() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_sized(open(dir.path()), 480.0, 320.0, true);
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Space);
    h.run();
    let easy = h.get_by_label("Easy 1d").rect();
    assert!(easy.right() <= 480.0 + 0.5, "{easy:?}");
}

/// Open Weak topics and wait for its figures of the store as it is now
/// (they are made on another thread).
fn show_weak_topics(h: &mut Harness<'_, App>) {
    h.get_by_label("약한 주제").click();
    step_until(h, |h| h.state().weak_figures_ready());
    h.run();
}

/// Open the Drill screen and wait for its readiness figures of the store
/// as it is now (they are made on another thread).
fn show_drill(h: &mut Harness<'_, App>) {
    h.get_by_label("챕터 연습").click();
    step_until(h, |h| h.state().readiness_ready());
    h.run();
}

/// Step `h` until `done` holds (at most ~10 s): work in the background
/// arrives between frames.
/// Wait until Browse lists what its query and filters ask for (it
/// searches on another thread), then settle.
fn until_listed(h: &mut Harness<'_, App>) {
    step_until(h, |h| h.state().search_ready());
    h.run();
}

fn step_until(h: &mut Harness<'_, App>, done: impl Fn(&Harness<'_, App>) -> bool) {
    for _ in 0..1000 {
        h.step();
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the window did not get there");
}

#[test]
fn the_window_draws_at_once_then_shows_readiness_and_weak_topics() {
    let dir = tempfile::tempdir().unwrap();
    // A history that the start reads from the cache, not the journal.
    {
        let mut store = open(dir.path());
        let ids: Vec<String> = store
            .cards()
            .iter()
            .filter(|c| &*c.deck == "course" && &*c.chapter == "10")
            .map(|c| c.id.0.to_string())
            .collect();
        for id in &ids {
            let day1 = now() - chrono::Duration::days(3);
            let day2 = now() - chrono::Duration::days(2);
            store.review(id, 4, Mode::Normal, day1, 2000).unwrap();
            store.review(id, 1, Mode::Normal, day2, 2000).unwrap();
        }
        store.save_cache().unwrap();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| App::loading(cc, rx, Box::new(now)));
    h.step();
    h.get_by_label_contains("불러오는 중");
    assert!(h.state().store().is_none());
    let store = open(dir.path());
    tx.send(bokseup::ui::Opened {
        store: Ok(store),
        notes_root: decks(),
        notes: None,
        notice: None,
    })
    .unwrap();
    step_until(&mut h, |h| h.state().store().is_some());
    // Readiness needs no history: the store's memory came with the cache.
    // Chapter 10, answered Again two days ago, stands above 0 % now.
    show_drill(&mut h);
    let row = readiness_labels(&h);
    assert!(row.iter().any(|l| !l.starts_with("0%")), "{row:?}");
    // Nor do weak topics: they read the journal's last 30 days on their
    // own thread.
    h.get_by_label("약한 주제").click();
    step_until(&mut h, |h| h.query_by_label("50% (6)").is_some());
    assert_eq!(h.state().screen(), Screen::Weak);
    assert_eq!(h.state().store().unwrap().event_count(), 6);
}

#[test]
fn the_window_takes_in_another_devices_answers_while_open() {
    // Two devices share a folder; this window is device b's.
    let shared = tempfile::tempdir().unwrap();
    let a_dir = tempfile::tempdir().unwrap();
    let b_dir = tempfile::tempdir().unwrap();
    let mut a = open(a_dir.path());
    let mut b = open(b_dir.path());
    b.sync(shared.path(), now()).unwrap();
    let b_file = b.sync(shared.path(), now()).unwrap().own_file;
    drop(b);
    let mut h = harness(Ok(open(b_dir.path())));
    h.step();
    let due_before = h.state().store().unwrap().read_history().unwrap().len();
    assert_eq!(due_before, 0);
    // Device a answers three cards and syncs; its file appears in the folder.
    let ids: Vec<String> = a
        .cards()
        .iter()
        .take(3)
        .map(|c| c.id.0.to_string())
        .collect();
    for id in &ids {
        a.review(
            id,
            4,
            Mode::Normal,
            now() - chrono::Duration::hours(1),
            2000,
        )
        .unwrap();
    }
    a.sync(shared.path(), now()).unwrap();
    step_until(&mut h, |h| {
        h.state().store().unwrap().read_history().unwrap().len() == 3
    });
    h.step();
    h.get_by_label_contains("다른 기기에서 한 답을 가져왔습니다 (3)");
    let store = h.state().store().unwrap();
    assert!(
        ids.iter()
            .all(|id| store.state(id).is_some_and(|s| !s.is_new()))
    );
    // An answer made in this window goes to this device's own file.
    h.get_by_label_contains("복습 시작").click();
    h.run();
    h.key_press(egui::Key::Space);
    h.run();
    h.key_press(egui::Key::Num3);
    h.run();
    let own = std::fs::read_to_string(&b_file).unwrap();
    assert_eq!(
        own.lines().filter(|l| l.starts_with("Review")).count(),
        4,
        "{own}"
    );
}

/// The Drill screen's readiness figures, `now% → then%`, one per chapter.
fn readiness_labels(h: &Harness<'_, App>) -> Vec<String> {
    h.query_all_by_label_contains("% → ")
        .filter_map(|n| n.accesskit_node().value())
        .collect()
}

/// The two percentages of a readiness figure.
fn percents(label: &str) -> (f64, f64) {
    let (now, then) = label.split_once(" → ").unwrap();
    let pct = |s: &str| s.trim_end_matches('%').parse::<f64>().unwrap();
    (pct(now), pct(then))
}

#[test]
fn the_drill_screen_shows_readiness_and_drills_the_chosen_cards() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    // A chapter (one whose card count no other chapter has, so its button
    // is told apart) answered Good six days ago: remembered less by tomorrow.
    let counts = bokseup::deck::chapter_counts(store.cards());
    let (chapter, _) = counts
        .iter()
        .filter(|(_, (_, n))| counts.values().filter(|(_, m)| m == n).count() == 1)
        .max_by_key(|(_, (_, n))| *n)
        .unwrap();
    let ids: Vec<String> = store
        .cards()
        .iter()
        .filter(|c| (c.deck.to_string(), c.chapter.to_string()) == *chapter)
        .map(|c| c.id.0.to_string())
        .collect();
    for id in &ids {
        store
            .review(id, 4, Mode::Normal, now() - chrono::Duration::days(6), 2000)
            .unwrap();
    }
    let mut h = harness(Ok(store));
    h.step();
    show_drill(&mut h);
    // Answered six days ago with a one-day interval: about 78 % now, lower
    // tomorrow at 09:00; never-answered chapters stand at 0 %.
    let row = readiness_labels(&h);
    assert!(row.iter().any(|l| l == "0% → 0%"), "{row:?}");
    let ten = row.iter().find(|l| !l.starts_with("0%")).unwrap().clone();
    let (now_pct, then_pct) = percents(&ten);
    assert!(now_pct > then_pct && now_pct > 60.0, "{ten}");
    // Its 90 % button drills every card of the chapter (all equally far gone).
    h.get_by_label(&format!("연습: 90% ({})", ids.len()))
        .click();
    h.run();
    let app = h.state();
    assert_eq!(app.screen(), Screen::Review);
    assert_eq!(app.session().unwrap().progress().remaining, ids.len());
    // Drilled now (Good each): the chapter stands near 100 % now and
    // higher than before tomorrow; no other chapter moved.
    for _ in 0..ids.len() {
        h.key_press(egui::Key::Space);
        h.run();
        h.key_press(egui::Key::Num3);
        h.run();
    }
    show_drill(&mut h);
    let after = readiness_labels(&h)
        .into_iter()
        .find(|l| !l.starts_with("0%"))
        .unwrap();
    let (a_now, a_then) = percents(&after);
    assert!(a_now >= 99.0 && a_then > then_pct, "{ten} then {after}");
}

#[test]
fn a_lab_out_of_reach_offers_to_drill_every_card_and_says_how_far_that_goes() {
    let dir = tempfile::tempdir().unwrap();
    // An hour earlier than the other tests: the lab (tomorrow 09:00) is
    // 25 hours away.
    let mut h = harness_at(Ok(open(dir.path())), || now() - chrono::Duration::hours(1));
    h.step();
    show_drill(&mut h);
    // Nothing answered: a card learned now holds 90 % for a day, 89.6 %
    // by the lab, so 90 % is out of reach; each chapter offers all its
    // cards and says how far that goes.
    assert!(h.query_by_label_contains("연습: 90%").is_none());
    let offers: Vec<String> = h
        .query_all_by_label_contains("모두 연습: 89% (")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    let chapters = bokseup::deck::chapter_counts(h.state().store().unwrap().cards());
    assert_eq!(offers.len(), chapters.len(), "{offers:?}");
    let (_, (_, n)) = chapters
        .iter()
        .find(|(k, _)| k.0 == "course" && k.1 == "10")
        .unwrap();
    let label = offers
        .iter()
        .find(|l| l.ends_with(&format!("({n})")))
        .unwrap()
        .clone();
    h.get_all_by_label(&label).next().unwrap().click();
    h.run();
    assert_eq!(h.state().screen(), Screen::Review);
    assert_eq!(h.state().session().unwrap().progress().remaining, *n);
}

/// Copy a folder (the bundled notes) into `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_folder(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_saved_note_is_converted_in_the_background_and_the_review_keeps_its_place() {
    use bokseup::notes::folder::{self, Source};
    let notes = tempfile::tempdir().unwrap();
    copy_folder(&decks().join("notes"), notes.path());
    let data = tempfile::tempdir().unwrap();
    let source = Source::Folder(notes.path().to_path_buf());
    let (classifier, key) = folder::chapter_map(Some(notes.path())).unwrap();
    let mut store = Store::open(data.path(), None).unwrap();
    folder::refresh(&source, &classifier, key, &mut store).unwrap();
    let before = store.cards().len();
    let root = notes.path().to_path_buf();
    let link = bokseup::ui::notes_link::NotesLink::new(source, classifier, key);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(fonts::install)
        .build_eframe(move |cc| App::new(cc, Ok(store), &root, Box::new(now)).with_notes(link));
    h.run();
    h.get_by_label_contains("복습 시작 (20)").click();
    h.run();
    let current = |h: &Harness<'_, App>| {
        let app = h.state();
        let i = app.session().unwrap().current().unwrap();
        app.store().unwrap().cards()[i].id.clone()
    };
    let shown = current(&h);
    // A question is added to the course note, as an editor saves it.
    let note = notes.path().join("course-t2-23-2.md");
    let text = std::fs::read_to_string(&note).unwrap().replacen(
        "### Docker\n\n",
        "### Docker\n\n- 이미지 다이제스트는 무엇인가요?\n  - 이미지 내용의 sha256 해시입니다.\n\n",
        1,
    );
    std::fs::write(&note, text).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while h.state().store().unwrap().cards().len() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the saved note's card never arrived"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.step();
    }
    let store = h.state().store().unwrap();
    assert_eq!(store.cards().len(), before + 1);
    assert!(
        store
            .cards()
            .iter()
            .any(|c| c.question.contains("이미지 다이제스트"))
    );
    assert!(
        h.state()
            .notices()
            .iter()
            .any(|n| n.contains("새 카드 1, 바뀐 카드 0")),
        "{:?}",
        h.state().notices()
    );
    // The review goes on with the card it showed.
    assert_eq!(current(&h), shown);
    // The conversion thread kept the new cards in the data dir: a start
    // from it has them without converting again.
    let reopened = Store::open_read_only(data.path(), None).unwrap();
    assert_eq!(reopened.cards().len(), before + 1);
}
