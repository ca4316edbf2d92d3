//! Data safety under faults and bad input: deck files that try to write
//! elsewhere, a failing disk, a missing or emptied journal, copied data
//! dirs, duplicate and invalid events in a merge, stale temporary files,
//! read-only commands.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::error::StoreError;
use bokseup::schedule::Grade;
use bokseup::session::Session;
use bokseup::store::journal::{self, Event, Mode};
use bokseup::store::{Store, files};
use chrono::{DateTime, FixedOffset, TimeZone};
use common::{decks, kst, open};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Answer `n` cards Good on the 22nd, then save the cache (as closing
/// the window does).
fn review_some(dir: &Path, n: usize) -> Vec<String> {
    let mut store = open(dir);
    let mut s = Session::review(&store, kst(22, 9, 0));
    let mut cards = Vec::new();
    for i in 0..n {
        cards.push(store.cards()[s.current().unwrap()].id.0.to_string());
        s.answer(&mut store, Grade::Good, kst(22, 9, i as u32))
            .unwrap();
    }
    store.save_cache().unwrap();
    cards
}

fn journal_path(dir: &Path) -> PathBuf {
    dir.join(files::JOURNAL)
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bokseup"))
}

/// Every file under `dir` with its bytes, sorted by path.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.push((p, bytes));
            }
        }
    }
    out.sort();
    out
}

// 1. Deck files name their destination only through their file name.

#[test]
fn a_deck_named_like_a_path_cannot_overwrite_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 3);
    let before = std::fs::read(journal_path(dir.path())).unwrap();
    let src = tempfile::tempdir().unwrap();
    for (file, name) in [("evil.ron", "../journal"), ("far.ron", "../../outside")] {
        std::fs::write(
            src.path().join(file),
            format!("(version: 1, deck: \"{name}\", cards: [])"),
        )
        .unwrap();
        let err = Store::open(dir.path(), Some(src.path())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(file), "{msg}");
        assert!(msg.contains("not a plain name"), "{msg}");
        std::fs::remove_file(src.path().join(file)).unwrap();
    }
    assert_eq!(std::fs::read(journal_path(dir.path())).unwrap(), before);
    assert!(!dir.path().parent().unwrap().join("outside.ron").exists());
    // A well-formed deck under another file name lands under its file name.
    std::fs::copy(decks().join("book.ron"), src.path().join("mine.ron")).unwrap();
    let store = Store::open(dir.path(), Some(src.path())).unwrap();
    assert!(dir.path().join(files::DECKS).join("mine.ron").is_file());
    assert_eq!(store.read_history().unwrap().len(), 3);
}

// 3. A journal that went missing is refused while the cache says it held reviews.

fn assert_refused_untouched(dir: &Path, what: &str) {
    let snap = dir.join(files::CACHE);
    let before = tree(dir);
    let err = Store::open(dir, Some(&decks())).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains(&journal_path(dir).display().to_string()),
        "{what}: {msg}"
    );
    assert!(msg.contains("3 events"), "{what}: {msg}");
    assert!(msg.contains(&snap.display().to_string()), "{what}: {msg}");
    let mut after = tree(dir);
    // The lock file is the one thing an open may create.
    after.retain(|(p, _)| p.file_name().is_none_or(|n| n != "lock"));
    let mut before = before;
    before.retain(|(p, _)| p.file_name().is_none_or(|n| n != "lock"));
    assert_eq!(before, after, "{what}: files changed");
    // The command line says the same and exits with an error.
    let out = bin()
        .args(["--data-dir", dir.to_str().unwrap()])
        .args(["--decks", decks().to_str().unwrap(), "due"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "{what}: due succeeded");
}

#[test]
fn a_missing_or_emptied_journal_is_refused_and_nothing_is_written() {
    for what in ["missing", "empty", "blank", "cut"] {
        let dir = tempfile::tempdir().unwrap();
        review_some(dir.path(), 3);
        let j = journal_path(dir.path());
        let text = std::fs::read_to_string(&j).unwrap();
        match what {
            "missing" => std::fs::remove_file(&j).unwrap(),
            "empty" => std::fs::write(&j, "").unwrap(),
            "blank" => std::fs::write(&j, "\n\n  \n").unwrap(),
            _ => {
                // Cut in the middle of its second event.
                let lines: Vec<&str> = text.lines().collect();
                let cut = format!("{}\n{}\n{}", lines[0], lines[1], &lines[2][..20]);
                std::fs::write(&j, cut).unwrap();
            }
        }
        assert_refused_untouched(dir.path(), what);
    }
}

#[cfg(unix)]
#[test]
fn a_dangling_symlinked_journal_is_refused_and_a_live_one_followed() {
    let dir = tempfile::tempdir().unwrap();
    let sync = tempfile::tempdir().unwrap();
    let real = sync.path().join("journal.ron");
    // A journal moved into a sync folder, linked from the data dir: answers
    // go through the link into the real file.
    drop(open(dir.path()));
    std::fs::rename(journal_path(dir.path()), &real).unwrap();
    std::os::unix::fs::symlink(&real, journal_path(dir.path())).unwrap();
    let cards = review_some(dir.path(), 3);
    assert_eq!(cards.len(), 3);
    assert!(
        std::fs::symlink_metadata(journal_path(dir.path()))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    // Unmounted: the link dangles. Refused, and the link stays a link.
    let moved = sync.path().join("elsewhere.ron");
    std::fs::rename(&real, &moved).unwrap();
    let err = Store::open(dir.path(), Some(&decks())).unwrap_err();
    assert!(
        err.to_string().contains(&real.display().to_string()),
        "{err}"
    );
    assert!(
        std::fs::symlink_metadata(journal_path(dir.path()))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!real.exists());
    // Mounted again: it opens with all three answers.
    std::fs::rename(&moved, &real).unwrap();
    assert_eq!(open(dir.path()).read_history().unwrap().len(), 3);
}

#[test]
fn a_valid_last_event_without_its_newline_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 3);
    let j = journal_path(dir.path());
    let text = std::fs::read_to_string(&j).unwrap();
    std::fs::write(&j, text.trim_end_matches('\n')).unwrap();
    let store = open(dir.path());
    assert!(store.torn_tail().is_none());
    assert_eq!(store.read_history().unwrap().len(), 3);
    drop(store);
    assert_eq!(std::fs::read_to_string(&j).unwrap(), text);
    let side = dir.path().join("journal.ron.torn-1");
    assert!(!side.exists());
}

// 4. Event ids stay unique when a data dir is copied.

#[test]
fn a_copied_data_dir_keeps_every_answer_when_merged_both_ways() {
    let a = tempfile::tempdir().unwrap();
    review_some(a.path(), 2);
    let b = tempfile::tempdir().unwrap();
    for (p, bytes) in tree(a.path()) {
        let rel = p.strip_prefix(a.path()).unwrap();
        let to = b.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, bytes).unwrap();
    }
    let answer = |dir: &Path, day: u32, n: usize| {
        let mut store = open(dir);
        let mut s = Session::review(&store, kst(day, 9, 0));
        for i in 0..n {
            s.answer(&mut store, Grade::Good, kst(day, 9, i as u32))
                .unwrap();
        }
    };
    answer(a.path(), 23, 5);
    answer(b.path(), 24, 4);
    let ja = tempfile::NamedTempFile::new().unwrap();
    std::fs::copy(journal_path(a.path()), ja.path()).unwrap();
    let mut sa = open(a.path());
    let ra = sa.merge(&journal_path(b.path()), kst(25, 9, 0)).unwrap();
    assert_eq!(ra.added, 4);
    let mut sb = open(b.path());
    let rb = sb.merge(ja.path(), kst(25, 9, 0)).unwrap();
    assert_eq!(rb.added, 5);
    assert_eq!(sa.read_history().unwrap().len(), 11);
    assert_eq!(sa.states(), sb.states());
}

// 5 and 6. A merge applies each event once and checks what it takes.

#[test]
fn a_duplicated_event_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let card = store.cards()[0].id.0.to_string();
    drop(store);
    let e = Event::Review {
        id: "0195f0e0-0000-7000-8000-000000000001".into(),
        card: card.as_str().into(),
        at: kst(20, 9, 0),
        grade: 4,
        mode: Mode::Normal,
        ms: 1000,
    };
    let other = tempfile::NamedTempFile::new().unwrap();
    let line = e.to_line();
    std::fs::write(
        other.path(),
        format!("{}\n{line}\n{line}\n{line}\n", journal::HEADER),
    )
    .unwrap();
    let mut store = open(dir.path());
    let r = store.merge(other.path(), kst(22, 9, 0)).unwrap();
    assert_eq!(r.added, 1);
    assert_eq!(store.read_history().unwrap().len(), 1);
    assert_eq!(store.state(&card).unwrap().sm2.repetitions, 1);
    drop(store);
    // The same three lines in the journal itself: still applied once.
    let j = journal_path(dir.path());
    let mut text = std::fs::read_to_string(&j).unwrap();
    text.push_str(&format!("{line}\n{line}\n"));
    std::fs::write(&j, text).unwrap();
    std::fs::remove_file(dir.path().join(files::CACHE)).unwrap();
    let store = open(dir.path());
    assert_eq!(store.state(&card).unwrap().sm2.repetitions, 1);
}

#[test]
fn a_merge_skips_invalid_events_with_their_line_and_takes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let ids: Vec<String> = store.cards()[..6]
        .iter()
        .map(|c| c.id.0.to_string())
        .collect();
    drop(store);
    let review = |n: u32, card: &str, at: DateTime<FixedOffset>, grade: u8| {
        Event::Review {
            id: format!("0195f0e0-0000-7000-8000-00000000000{n}").into(),
            card: card.into(),
            at,
            grade,
            mode: Mode::Normal,
            ms: 1000,
        }
        .to_line()
    };
    let far = FixedOffset::east_opt(0)
        .unwrap()
        .with_ymd_and_hms(2099, 1, 1, 0, 0, 0)
        .unwrap();
    let lines = [
        journal::HEADER.to_string(),
        review(1, &ids[0], kst(20, 9, 0), 4), // line 2: good
        review(2, &ids[1], far, 4),           // line 3: future
        review(3, &ids[2], kst(20, 9, 0), 9), // line 4: grade out of range
        review(4, "", kst(20, 9, 0), 4),      // line 5: empty card
        "Review(id: oops".to_string(),        // line 6: does not parse
        review(5, &ids[3], kst(21, 9, 0), 5), // line 7: good
    ];
    let torn = review(6, &ids[4], kst(21, 9, 0), 4);
    let text = lines.join("\n") + "\n" + &torn[..torn.len() / 2];
    let other = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(other.path(), text).unwrap();
    let mut store = open(dir.path());
    let r = store.merge(other.path(), kst(22, 9, 0)).unwrap();
    assert_eq!(r.added, 2);
    let skipped: Vec<usize> = r.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [3, 4, 5, 6, 8], "{:?}", r.skipped);
    assert!(r.skipped[0].reason.contains("future"), "{:?}", r.skipped);
    assert!(
        r.skipped[4].reason.contains("incomplete"),
        "{:?}",
        r.skipped
    );
    assert!(store.state(&ids[0]).is_some());
    assert!(store.state(&ids[1]).is_none());
    assert!(store.state(&ids[2]).is_none());
    assert!(store.state(&ids[3]).is_some());
    assert!(store.state(&ids[4]).is_none());
}

#[test]
fn the_same_id_with_other_content_is_reported_not_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 1);
    let text = std::fs::read_to_string(journal_path(dir.path())).unwrap();
    let mine: Event = ron::from_str(text.lines().nth(1).unwrap()).unwrap();
    let Event::Review { id, card, at, .. } = mine else {
        panic!("not a review")
    };
    let theirs = Event::Review {
        id: id.clone(),
        card,
        at,
        grade: 1,
        mode: Mode::Normal,
        ms: 10,
    };
    let other = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        other.path(),
        format!("{}\n{}\n", journal::HEADER, theirs.to_line()),
    )
    .unwrap();
    let mut store = open(dir.path());
    let r = store.merge(other.path(), kst(22, 9, 0)).unwrap();
    assert_eq!((r.added, r.known), (0, 0));
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(r.conflicts[0].line, 2);
    assert!(r.conflicts[0].reason.contains(&id.to_string()));
}

// 8. Smaller holes.

#[test]
fn stale_temporary_files_are_removed_at_start() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 1);
    let stale = [
        dir.path().join(".tmpAbC123"),
        dir.path().join(files::DECKS).join(".tmpXyZ789"),
    ];
    for p in &stale {
        std::fs::write(p, b"half a cache").unwrap();
    }
    let store = open(dir.path());
    for p in &stale {
        assert!(!p.exists(), "{} left behind", p.display());
    }
    assert_eq!(store.read_history().unwrap().len(), 1);
}

#[test]
fn due_and_stats_read_without_the_lock_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 4);
    // The window (or another command) holds the data dir.
    let held = open(dir.path());
    let before = tree(dir.path());
    for cmd in ["due", "stats"] {
        let out = bin()
            .args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["--decks", decks().to_str().unwrap()])
            .args(["--now", "2026-11-23T09:00:00+09:00", cmd, "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(tree(dir.path()), before);
    drop(held);
}

#[test]
fn an_io_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let out = bin()
        .args(["--data-dir", file.join("data").to_str().unwrap(), "due"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("Not a directory").count(), 1, "{err}");
}

#[test]
fn a_failed_open_reports_store_errors_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    review_some(dir.path(), 1);
    std::fs::write(journal_path(dir.path()), "").unwrap();
    match Store::open(dir.path(), Some(&decks())) {
        Err(StoreError::JournalShort {
            expected, found, ..
        }) => {
            assert_eq!((expected, found), (1, 0))
        }
        other => panic!("expected a short journal, got {other:?}"),
    }
}

// 2. A failed append leaves no half line behind.

/// A disk that fills up on demand: while `full`, a write puts half its
/// bytes down and fails, as `write(2)` does on a full disk; `stuck` makes
/// cutting back fail too.
#[derive(Debug)]
struct FullDisk {
    inner: Box<dyn journal::JournalFile>,
    full: std::sync::Arc<std::sync::atomic::AtomicBool>,
    stuck: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl journal::JournalFile for FullDisk {
    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        if self.full.load(Ordering::SeqCst) {
            self.inner.write_all(&bytes[..bytes.len() / 2])?;
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        self.inner.write_all(bytes)
    }
    fn sync_data(&mut self) -> std::io::Result<()> {
        self.inner.sync_data()
    }
    fn set_len(&mut self, len: u64) -> std::io::Result<()> {
        if self.stuck.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(std::io::ErrorKind::StorageFull.into());
        }
        self.inner.set_len(len)
    }
}

type Flags = (
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    std::sync::Arc<std::sync::atomic::AtomicBool>,
);

fn failing_disk(store: &mut Store) -> Flags {
    let full = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stuck = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (f, s) = (full.clone(), stuck.clone());
    store.wrap_journal_file(move |inner| {
        Box::new(FullDisk {
            inner,
            full: f,
            stuck: s,
        })
    });
    (full, stuck)
}

#[test]
fn a_failed_append_is_cut_back_and_the_answer_not_acknowledged() {
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let (full, _) = failing_disk(&mut store);
    let mut s = Session::review(&store, kst(22, 9, 0));
    s.answer(&mut store, Grade::Good, kst(22, 9, 1)).unwrap();
    let second = s.current().unwrap();
    full.store(true, Ordering::SeqCst);
    let err = s
        .answer(&mut store, Grade::Easy, kst(22, 9, 2))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("not saved"), "{msg}");
    assert!(msg.contains("cut back"), "{msg}");
    // Not acknowledged: the same card is still shown, nothing changed.
    assert_eq!(s.current(), Some(second));
    assert_eq!(s.progress().answered, 1);
    assert_eq!(store.read_history().unwrap().len(), 1);
    assert!(store.state(&store.cards()[second].id.0).is_none());
    // Space is free again: the answer goes in on a line of its own.
    full.store(false, Ordering::SeqCst);
    s.answer(&mut store, Grade::Easy, kst(22, 9, 3)).unwrap();
    drop(store);
    let store = open(dir.path());
    assert_eq!(store.read_history().unwrap().len(), 2);
    assert!(store.torn_tail().is_none());
    assert!(store.state(&store.cards()[second].id.0).is_some());
}

#[test]
fn when_a_failed_append_cannot_be_cut_back_writes_stop_until_reopened() {
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(dir.path());
    let (full, stuck) = failing_disk(&mut store);
    let mut s = Session::review(&store, kst(22, 9, 0));
    s.answer(&mut store, Grade::Good, kst(22, 9, 1)).unwrap();
    full.store(true, Ordering::SeqCst);
    stuck.store(true, Ordering::SeqCst);
    let err = s
        .answer(&mut store, Grade::Good, kst(22, 9, 2))
        .unwrap_err();
    assert!(err.to_string().contains("started again"), "{err}");
    full.store(false, Ordering::SeqCst);
    stuck.store(false, Ordering::SeqCst);
    // Even with space again, nothing is glued onto the half line.
    let err = s
        .answer(&mut store, Grade::Good, kst(22, 9, 3))
        .unwrap_err();
    assert!(matches!(err, StoreError::WritesStopped { .. }), "{err}");
    drop(store);
    // The next start moves the half line aside and keeps the first answer.
    let store = open(dir.path());
    assert_eq!(store.read_history().unwrap().len(), 1);
    assert!(store.torn_tail().is_some());
    assert_eq!(store.torn_files().len(), 1);
}

// 7. Images come only from inside the notes folder, and not too large.

#[test]
fn images_outside_the_notes_folder_are_never_read() {
    use bokseup::ui::markdown::{ImageDirs, MAX_IMAGE_BYTES, prepare};
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    std::fs::write(&secret, b"not for the window").unwrap();
    let root = tempfile::tempdir().unwrap();
    let note = root.path().join("notes");
    std::fs::create_dir_all(note.join("img")).unwrap();
    std::fs::write(note.join("img/ok.png"), b"png").unwrap();
    std::fs::write(root.path().join("shared.png"), b"png").unwrap();
    let big = std::fs::File::create(note.join("img/big.png")).unwrap();
    big.set_len(MAX_IMAGE_BYTES + 1).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, note.join("img/link.png")).unwrap();
    let dirs = ImageDirs {
        note: &note,
        root: root.path(),
    };
    let s = secret.display().to_string();
    let rel = format!("../{}", Path::new(&s).strip_prefix("/").unwrap().display());
    let tries = [
        format!("![]({})", s),                           // absolute
        format!("![](file://{s})"),                      // file URL
        format!("![](../../../../../../../../{rel})"),   // climbing out
        format!("![x][r]\n\n[r]: file://{s}"),           // reference style
        format!("<img src=\"file://{s}\">"),             // HTML
        format!("- a\n  ````\n  x\n  ````\n  ![]({s})"), // after an indented fence
        "![](img/big.png)".to_string(),                  // too large
        "![](img/link.png)".to_string(),                 // a link pointing out
    ];
    for md in &tries {
        let out = prepare(md, &dirs);
        // No image is left for the viewer to load (a reference definition
        // may stay: without an image using it, it shows nothing).
        assert!(!out.contains("!["), "{md:?} → {out:?}");
        assert!(!out.contains("<img"), "{md:?} → {out:?}");
    }
    // Inside the root: the note's own image and one a folder up both load.
    let out = prepare("![](img/ok.png) ![](../shared.png)", &dirs);
    assert_eq!(out.matches("file://").count(), 2, "{out}");
    // A fence shows its text as it is, images included.
    let fenced = "```\n![](img/ok.png)\n```";
    assert_eq!(prepare(fenced, &dirs), fenced);
}

#[test]
fn the_window_keeps_its_layout_inside_the_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let options = bokseup::ui::native_options(dir.path());
    let file = options.persistence_path.unwrap();
    assert_eq!(file.parent(), Some(dir.path()));
}
