//! Crash safety: a child process answers cards in a loop and is killed with
//! SIGKILL at random moments. After every kill, every answer it acknowledged
//! is in the journal, the files parse, and a restart continues.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::store::journal::{self, Event};
use bokseup::store::{Store, files};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const KILLS: usize = 60;

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_answer() {
    let dir = tempfile::tempdir().unwrap();
    let decks = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut rng: u64 = 0x5eed_1234_abcd_0001;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut acked: HashSet<String> = HashSet::new();
    let mut torn = 0;
    let mut killed_mid_run = 0;
    for _ in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bokseup"))
            .args([
                "--data-dir",
                dir.path().to_str().unwrap(),
                "--decks",
                decks.to_str().unwrap(),
            ])
            .args(["--now", "2026-11-22T09:00:00+09:00", "review-loop"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(10 + next() % 150));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        if err.contains("incomplete last line") {
            torn += 1;
        }
        assert!(!err.contains("error:"), "{err}");
        acked.extend(
            out.lines()
                .filter_map(|l| l.strip_prefix("ack "))
                .map(|l| l.split(' ').next().unwrap().to_string()),
        );
        // Every acknowledged answer is in the journal, and the journal parses
        // (a torn last line is allowed: the next start moves it aside).
        let path = dir.path().join(files::JOURNAL);
        let text = std::fs::read_to_string(&path).unwrap();
        let (events, _) = journal::parse(&path, &text).unwrap();
        let ids: HashSet<&str> = events.iter().map(Event::id).collect();
        for a in &acked {
            assert!(
                ids.contains(a.as_str()),
                "acknowledged {a} missing from the journal"
            );
        }
    }
    // A restart continues from all of it.
    let store = Store::open(dir.path(), Some(&decks)).unwrap();
    assert!(store.events().len() >= acked.len());
    assert!(!store.states().is_empty());
    drop(store);
    let out = Command::new(env!("CARGO_BIN_EXE_bokseup"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--decks",
            decks.to_str().unwrap(),
        ])
        .args([
            "--now",
            "2026-11-22T09:00:00+09:00",
            "review-loop",
            "--count",
            "5",
        ])
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
