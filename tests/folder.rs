//! A learner's own notes folder: found from any working directory,
//! remembered, converted incrementally, followed while the window is open
//! (through the library's watcher), history kept through renames and moves,
//! and bad files reported without stopping the rest.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::folder::{self, Source, Watcher};
use bokseup::store::Store;
use bokseup::store::journal::Mode;
use chrono::{DateTime, FixedOffset, TimeZone};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/shapes")
            .join(name),
    )
    .unwrap()
}

fn kst(d: u32, h: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, d, h, 0, 0)
        .unwrap()
}

/// A notes folder with three notes: two at the top, one in `os/`.
fn notes_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qa.md"), fixture("5-qa-lines.md")).unwrap();
    std::fs::write(dir.path().join("osr.md"), fixture("6-osr.md")).unwrap();
    std::fs::create_dir_all(dir.path().join("os")).unwrap();
    std::fs::write(dir.path().join("os/details.md"), fixture("2-details-os.md")).unwrap();
    dir
}

fn refresh(source: &Source, store: &mut Store) -> folder::Refresh {
    let (classifier, key) = folder::chapter_map(None).unwrap();
    folder::refresh(source, &classifier, key, store).unwrap()
}

fn bin(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bokseup"));
    c.current_dir(cwd);
    c
}

#[test]
fn the_bundled_notes_work_from_any_working_directory() {
    let cwd = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = bin(cwd.path())
        .args(["--data-dir", data.path().to_str().unwrap()])
        .args(["--now", "2026-11-22T09:00:00+09:00", "due", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"]["new"], 20);
    let decks: Vec<&str> = v["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["deck"].as_str().unwrap())
        .collect();
    assert!(
        decks.contains(&"course") && decks.contains(&"book"),
        "{decks:?}"
    );
}

#[test]
fn the_notes_folder_is_remembered() {
    let cwd = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let notes = notes_folder();
    let run = |args: &[&str]| {
        let out = bin(cwd.path())
            .args(["--data-dir", data.path().to_str().unwrap()])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let report = run(&["--notes", notes.path().to_str().unwrap(), "convert"]);
    assert!(report.contains("new"), "{report}");
    // Later commands, without --notes, read the same folder.
    let due: serde_json::Value = serde_json::from_str(&run(&["due", "--json"])).unwrap();
    let decks: Vec<String> = due["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} / {}",
                c["deck"].as_str().unwrap(),
                c["chapter"].as_str().unwrap()
            )
        })
        .collect();
    let root = notes.path().canonicalize().unwrap();
    let root_deck = Source::Folder(root.clone()).root_deck();
    assert!(
        decks.contains(&format!("{root_deck} / 스터디 Q&A")),
        "{decks:?}"
    );
    assert!(
        decks.contains(&"os / 운영체제 면접 질문".to_string()),
        "{decks:?}"
    );
    assert!(!decks.iter().any(|d| d.starts_with("course")), "{decks:?}");
    let settings = std::fs::read_to_string(data.path().join("settings.ron")).unwrap();
    assert!(settings.contains(&root.display().to_string()), "{settings}");
    // Nothing changed: the second conversion reads no note.
    assert!(run(&["convert"]).contains("No note changed"));
}

#[test]
fn a_start_with_unchanged_notes_converts_nothing_and_an_edit_only_that_note() {
    let notes = notes_folder();
    let data = tempfile::tempdir().unwrap();
    let source = Source::Folder(notes.path().to_path_buf());
    let mut store = Store::open(data.path(), None).unwrap();
    let first = refresh(&source, &mut store);
    assert_eq!(first.changed.len(), 3);
    let cards = store.cards().to_vec();
    assert_eq!(cards.len(), 4 + 9 + 4);
    drop(store);
    // A new start: the notes are not read, the cards are the same.
    let mut store = Store::open(data.path(), None).unwrap();
    let again = refresh(&source, &mut store);
    assert!(again.changed.is_empty() && again.conversion.is_none());
    assert_eq!(store.cards(), &cards[..]);
    // One note edited: only it is converted again.
    let qa = notes.path().join("qa.md");
    let text = std::fs::read_to_string(&qa)
        .unwrap()
        .replace("작게 만들기", "가볍게 만들기");
    std::fs::write(&qa, text).unwrap();
    let edited = refresh(&source, &mut store);
    assert_eq!(edited.changed, ["qa.md"]);
    let c = edited.conversion.unwrap();
    assert_eq!(
        (
            c.changes.new.len(),
            c.changes.changed.len(),
            c.changes.removed.len()
        ),
        (0, 1, 0)
    );
    let ids: Vec<_> = store.cards().iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids, cards.iter().map(|c| c.id.clone()).collect::<Vec<_>>());
}

#[test]
fn history_follows_a_card_through_renames_moves_and_removal() {
    let notes = notes_folder();
    let data = tempfile::tempdir().unwrap();
    let source = Source::Folder(notes.path().to_path_buf());
    let mut store = Store::open(data.path(), None).unwrap();
    refresh(&source, &mut store);
    let find = |store: &Store, q: &str| {
        store.cards().iter().find(|c| c.question == q).map(|c| {
            (
                c.id.clone(),
                c.deck.to_string(),
                c.sources[0].file.to_string(),
            )
        })
    };
    let (id, _, _) = find(&store, "데드락의 네 가지 조건은?").unwrap();
    store
        .review(&id.0, 4, Mode::Normal, kst(20, 9), 3000)
        .unwrap();
    let state = store.state(&id.0).unwrap().clone();
    // Renamed in its folder.
    std::fs::rename(
        notes.path().join("os/details.md"),
        notes.path().join("os/운영체제.md"),
    )
    .unwrap();
    refresh(&source, &mut store);
    let (after, deck, file) = find(&store, "데드락의 네 가지 조건은?").unwrap();
    assert_eq!(
        (after.clone(), deck.as_str(), file.as_str()),
        (id.clone(), "os", "os/운영체제.md")
    );
    // Moved to another folder (another deck): the same card.
    std::fs::create_dir_all(notes.path().join("cs")).unwrap();
    std::fs::rename(
        notes.path().join("os/운영체제.md"),
        notes.path().join("cs/운영체제.md"),
    )
    .unwrap();
    refresh(&source, &mut store);
    let (after, deck, _) = find(&store, "데드락의 네 가지 조건은?").unwrap();
    assert_eq!((after, deck.as_str()), (id.clone(), "cs"));
    assert_eq!(store.state(&id.0), Some(&state));
    // Removed: the card leaves, its history stays; back: the history with it.
    let path = notes.path().join("cs/운영체제.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let without = text.replace(
        "<details><summary>데드락의 네 가지 조건은?</summary>\n상호 배제, 점유 대기, 비선점, 순환 대기\n</details>\n",
        "",
    );
    assert_ne!(without, text);
    std::fs::write(&path, &without).unwrap();
    refresh(&source, &mut store);
    assert!(find(&store, "데드락의 네 가지 조건은?").is_none());
    assert!(store.removed_cards().contains(&id.0.as_str()));
    std::fs::write(&path, &text).unwrap();
    refresh(&source, &mut store);
    assert_eq!(find(&store, "데드락의 네 가지 조건은?").unwrap().0, id);
    assert_eq!(store.state(&id.0), Some(&state));
}

#[test]
fn a_saved_note_is_seen_by_the_watcher() {
    let notes = notes_folder();
    let data = tempfile::tempdir().unwrap();
    let source = Source::Folder(notes.path().to_path_buf());
    let mut store = Store::open(data.path(), None).unwrap();
    refresh(&source, &mut store);
    let woken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let w = woken.clone();
    let watcher = Watcher::new(notes.path(), move || {
        w.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    })
    .unwrap();
    assert!(!watcher.changed());
    let mut text = std::fs::read_to_string(notes.path().join("osr.md")).unwrap();
    text.push_str("\n\n쿠버네티스의 etcd::클러스터 상태를 저장하는 키-값 저장소\n");
    std::fs::write(notes.path().join("osr.md"), text).unwrap();
    // Seen after the folder settles (a generous wait: a loaded machine).
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = false;
    while Instant::now() < deadline && !seen {
        std::thread::sleep(Duration::from_millis(50));
        seen = watcher.changed();
    }
    assert!(seen, "no change seen");
    assert!(woken.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    let r = refresh(&source, &mut store);
    assert_eq!(r.changed, ["osr.md"]);
    assert!(
        store
            .cards()
            .iter()
            .any(|c| c.question == "쿠버네티스의 etcd")
    );
}

#[cfg(unix)]
#[test]
fn bad_files_are_reported_and_the_rest_converts() {
    let notes = notes_folder();
    let root = notes.path();
    std::fs::write(root.join("latin1.md"), b"- caf\xe9?\n  - x\n").unwrap();
    std::fs::write(root.join("binary.md"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    let big = std::fs::File::create(root.join("big.md")).unwrap();
    big.set_len(bokseup::notes::load::MAX_NOTE_BYTES + 1)
        .unwrap();
    let status = Command::new("mkfifo")
        .arg(root.join("pipe.md"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink(root, root.join("os/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("nowhere.md"), root.join("dangling.md")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path(), None).unwrap();
    let started = Instant::now();
    let r = refresh(&Source::Folder(root.to_path_buf()), &mut store);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
    let messages: Vec<&str> = r.failures.iter().map(|f| f.message.as_str()).collect();
    let has = |file: &str, what: &str| {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(file) && m.contains(what)),
            "{file}: {what} not in {messages:#?}"
        )
    };
    has("latin1.md", "not UTF-8");
    has("binary.md", "binary");
    has("big.md", "too large");
    has("pipe.md", "not a regular file");
    has("loop", "loop");
    has("dangling.md", "cannot read");
    assert_eq!(store.cards().len(), 4 + 9 + 4);
}

/// The folder of a note, for the notes listed by [`folder::list`].
#[test]
fn notes_are_listed_with_the_deck_of_their_first_folder() {
    let notes = notes_folder();
    std::fs::create_dir_all(notes.path().join("os/deeper")).unwrap();
    std::fs::write(notes.path().join("os/deeper/x.md"), "# x\n").unwrap();
    std::fs::create_dir_all(notes.path().join(".obsidian")).unwrap();
    std::fs::write(notes.path().join(".obsidian/hidden.md"), "# no\n").unwrap();
    let (files, failures) = folder::list(&Source::Folder(notes.path().to_path_buf()));
    assert!(failures.is_empty(), "{failures:?}");
    let listed: Vec<(String, String)> = files
        .iter()
        .map(|f| (f.name.clone(), f.deck.clone()))
        .collect();
    let root_deck = Source::Folder(PathBuf::from(notes.path())).root_deck();
    assert_eq!(
        listed,
        [
            ("os/deeper/x.md".to_string(), "os".to_string()),
            ("os/details.md".to_string(), "os".to_string()),
            ("osr.md".to_string(), root_deck.clone()),
            ("qa.md".to_string(), root_deck),
        ]
    );
}

#[test]
fn a_chapter_set_by_hand_survives_reconversion_and_counts_in_drills() {
    use bokseup::session::{DrillOrder, Session};
    let notes = tempfile::tempdir().unwrap();
    std::fs::write(notes.path().join("k8s.md"), fixture("1-bullets-k8s.md")).unwrap();
    let data = tempfile::tempdir().unwrap();
    let source = Source::Folder(notes.path().to_path_buf());
    let mut store = Store::open(data.path(), None).unwrap();
    refresh(&source, &mut store);
    let card = |store: &Store| {
        store
            .cards()
            .iter()
            .find(|c| c.question.starts_with("initContainer"))
            .unwrap()
            .clone()
    };
    let before = card(&store);
    assert_eq!(&*before.deck, "course");
    assert_ne!(&*before.chapter, "09");
    store
        .set_chapter(
            &before.id.0,
            Some(("09".into(), "Kubernetes_Workload(2)".into())),
        )
        .unwrap();
    assert_eq!(&*card(&store).chapter, "09");
    // The note is edited and converted again; then a new start.
    let path = notes.path().join("k8s.md");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("준비 작업에", "준비 작업(DB 대기 등)에");
    std::fs::write(&path, text).unwrap();
    let r = refresh(&source, &mut store);
    assert!(r.conversion.is_some());
    assert_eq!(&*card(&store).chapter, "09");
    drop(store);
    let mut store = Store::open(data.path(), None).unwrap();
    refresh(&source, &mut store);
    let after = card(&store);
    assert_eq!(
        (after.id.clone(), &*after.chapter),
        (before.id.clone(), "09")
    );
    // A drill of chapter 08 holds it; weak topics count it there.
    let drill = Session::drill(
        &store,
        &[("course".into(), "09".into())],
        DrillOrder::NoteOrder,
        false,
        kst(22, 9),
    );
    let mut in_drill = false;
    let mut d = drill;
    while let Some(i) = d.current() {
        in_drill |= store.cards()[i].id == before.id;
        d.answer(&mut store, bokseup::schedule::Grade::Good, kst(22, 9))
            .unwrap();
    }
    assert!(in_drill);
    let today = store.study_day(kst(22, 9));
    let stats = bokseup::stats::chapters(
        store.cards(),
        store.states(),
        &store.read_history().unwrap(),
        today,
        &store.settings().scheduling,
    );
    let ch09 = stats
        .iter()
        .find(|s| s.deck == "course" && s.chapter == "09")
        .unwrap();
    let in_09 = store.cards().iter().filter(|c| &*c.chapter == "09").count();
    assert!(in_09 >= 1);
    assert_eq!(ch09.cards, in_09);
    // And back to the notes' chapter.
    store.set_chapter(&before.id.0, None).unwrap();
    assert_eq!(card(&store).chapter, before.chapter);
}
