//! Crash safety: a child process answers cards in a loop and is killed with
//! SIGKILL at random moments. After every kill, every answer it acknowledged
//! is in the journal, the files parse, and a restart continues. A second
//! run kills it while it writes caches and imports changed decks: no
//! answer is lost and the next start leaves no temporary file behind.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::store::journal;
use bokseup::store::{Store, files};
use common::Dice;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const KILLS: usize = 60;

fn decks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks")
}

/// What one killed run printed.
struct Run {
    acked: Vec<String>,
    torn: bool,
    killed_mid_run: bool,
}

/// When to kill a run.
#[derive(Clone, Copy)]
enum Kill {
    /// This long after the process started: it may still be opening the
    /// data dir (importing decks, moving a torn tail aside).
    AfterStart(Duration),
    /// This long after its first acknowledged answer, however slow the
    /// start was: it is answering, and maybe writing a cache.
    AfterFirstAnswer(Duration),
}

/// Start `review-loop` on `dir`, kill it when `kill` says, and read what it said.
fn run_and_kill(dir: &Path, decks: &Path, extra: &[&str], kill: Kill) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bokseup"))
        .args(["--data-dir", dir.to_str().unwrap()])
        .args(["--decks", decks.to_str().unwrap()])
        .args(["--now", "2026-11-22T09:00:00+09:00", "review-loop"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stdout is read line by line on a thread, so the first answer can be
    // waited for.
    let stdout = child.stdout.take().unwrap();
    let (lines_tx, lines) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut out = Vec::new();
    match kill {
        Kill::AfterStart(after) => std::thread::sleep(after),
        Kill::AfterFirstAnswer(after) => {
            if let Ok(first) = lines.recv_timeout(Duration::from_secs(60)) {
                out.push(first);
            }
            std::thread::sleep(after);
        }
    }
    let killed_mid_run = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    out.extend(lines.try_iter());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("error:"), "{err}");
    Run {
        acked: out
            .iter()
            .filter_map(|l| l.strip_prefix("ack "))
            .map(|l| l.split(' ').next().unwrap().to_string())
            .collect(),
        torn: err.contains("incomplete last line"),
        killed_mid_run,
    }
}

/// Every acknowledged answer is in the journal, and the journal parses (a
/// torn last line is allowed: the next start moves it aside). A run killed
/// before its first answer leaves no journal at all.
fn assert_all_in_journal(dir: &Path, acked: &HashSet<String>) {
    let path = dir.join(files::JOURNAL);
    if !path.exists() {
        // Killed before the first answer was written: nothing acknowledged.
        assert!(acked.is_empty(), "answers acknowledged but no journal");
        return;
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let (events, _) = journal::parse(&path, &text).unwrap();
    let ids: HashSet<String> = events.iter().map(|e| e.id().to_string()).collect();
    for a in acked {
        assert!(ids.contains(a), "acknowledged {a} missing from the journal");
    }
}

/// Temporary files in the data dir or its deck folder.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    [dir.to_path_buf(), dir.join(files::DECKS)]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tmp"))
        })
        .collect()
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_answer() {
    let dir = tempfile::tempdir().unwrap();
    let decks = decks();
    let mut moments = Dice(0x5eed_1234_abcd_0001);
    let mut acked: HashSet<String> = HashSet::new();
    let mut torn = 0;
    let mut killed_mid_run = 0;
    for k in 0..KILLS {
        // Most kills land while it answers; every fourth may land in its start.
        let after = Duration::from_millis(10 + moments.next() % 150);
        let kill = if k % 4 == 0 {
            Kill::AfterStart(after)
        } else {
            Kill::AfterFirstAnswer(after)
        };
        let run = run_and_kill(dir.path(), &decks, &[], kill);
        torn += usize::from(run.torn);
        killed_mid_run += usize::from(run.killed_mid_run);
        acked.extend(run.acked);
        assert_all_in_journal(dir.path(), &acked);
    }
    // A restart continues from all of it.
    let store = Store::open(dir.path(), Some(&decks)).unwrap();
    assert!(store.read_history().unwrap().len() >= acked.len());
    assert!(!store.states().is_empty());
    drop(store);
    let out = Command::new(env!("CARGO_BIN_EXE_bokseup"))
        .args(["--data-dir", dir.path().to_str().unwrap()])
        .args(["--decks", decks.to_str().unwrap()])
        .args(["--now", "2026-11-22T09:00:00+09:00", "review-loop"])
        .args(["--count", "5"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 5);
    println!(
        "crash test: {KILLS} SIGKILLs ({killed_mid_run} while running), {} acknowledged answers all in the journal, {torn} torn tails moved aside",
        acked.len()
    );
    assert!(
        acked.len() > 50,
        "too few answers to mean anything: {}",
        acked.len()
    );
}

#[test]
fn sigkill_during_cache_writes_and_deck_imports_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A deck folder whose course deck changes before every run, so every
    // start imports it (a temporary file, then a rename, in the data dir).
    let src = tempfile::tempdir().unwrap();
    let course = std::fs::read_to_string(decks().join("course.ron")).unwrap();
    std::fs::copy(decks().join("book.ron"), src.path().join("book.ron")).unwrap();
    let mut moments = Dice(0x0dd_ba11_cafe_f00d);
    let mut acked: HashSet<String> = HashSet::new();
    let mut killed_mid_run = 0;
    let mut stale = 0;
    for k in 0..KILLS / 2 {
        std::fs::write(
            src.path().join("course.ron"),
            format!("// edition {k}\n{course}"),
        )
        .unwrap();
        // Every other kill lands in the start, while the changed deck is
        // imported; the others while it answers and writes caches.
        let after = Duration::from_millis(5 + moments.next() % 120);
        let kill = if k % 2 == 0 {
            Kill::AfterStart(after)
        } else {
            Kill::AfterFirstAnswer(after)
        };
        let run = run_and_kill(dir.path(), src.path(), &["--cache-each"], kill);
        killed_mid_run += usize::from(run.killed_mid_run);
        acked.extend(run.acked);
        assert_all_in_journal(dir.path(), &acked);
        // The next start: every answer there, no temporary file left.
        stale += temp_files(dir.path()).len();
        let store = Store::open(dir.path(), Some(src.path())).unwrap();
        let ids: HashSet<String> = store
            .read_history()
            .unwrap()
            .iter()
            .map(|e| e.id().to_string())
            .collect();
        assert!(acked.iter().all(|a| ids.contains(a)));
        assert_eq!(temp_files(dir.path()), Vec::<PathBuf>::new());
    }
    println!(
        "cache and import crash test: {} SIGKILLs ({killed_mid_run} while running), {} acknowledged answers all kept, {stale} temporary files left by kills and removed at the next start",
        KILLS / 2,
        acked.len()
    );
    assert!(acked.len() > 20, "too few answers: {}", acked.len());
}
