//! `bokseup convert` as a user runs it: bad input, exit codes, JSON output,
//! deck files on disk.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bokseup"))
}

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/notes")
}

fn run(args: &[&str], cwd: &Path) -> Output {
    bin().args(args).current_dir(cwd).output().expect("runs")
}

/// Copy a folder of notes, sub-folders included.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn good_note() -> String {
    std::fs::read_to_string(seeds_dir().join("course-t3-23-3.md")).unwrap()
}

#[test]
fn bad_files_are_reported_by_name_and_the_rest_still_converts() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("good.md"), good_note()).unwrap();
    std::fs::write(notes.join("empty.md"), "  \n\n").unwrap();
    std::fs::write(notes.join("latin1.md"), b"- caf\xe9?\n  - x\n").unwrap();
    std::fs::write(notes.join("binary.md"), b"\x89PNG\r\n\x1a\n\x00\x00\x00").unwrap();
    let deep: String = (0..1000)
        .map(|i| format!("{}- x\n", "  ".repeat(i)))
        .collect();
    std::fs::write(notes.join("deep.md"), deep).unwrap();
    let big = "- 큰 파일인가요?\n  - 네\n".repeat(50 * 1024 * 1024 / 30);
    std::fs::write(notes.join("big.md"), big).unwrap();
    std::fs::create_dir_all(notes.join("folder.md")).unwrap();
    let missing = notes.join("missing.md");

    let out = run(
        &[
            "convert",
            notes.join("good.md").to_str().unwrap(),
            notes.join("empty.md").to_str().unwrap(),
            notes.join("latin1.md").to_str().unwrap(),
            notes.join("binary.md").to_str().unwrap(),
            notes.join("deep.md").to_str().unwrap(),
            notes.join("big.md").to_str().unwrap(),
            missing.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON object");
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(errors.len(), 6, "{errors:#?}");
    let has = |needle: &str, what: &str| {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(needle) && e.contains(what)),
            "no error for {needle} saying {what}: {errors:#?}"
        )
    };
    has("empty.md", "empty note");
    has("latin1.md:1", "not UTF-8");
    has("binary.md:3", "binary file");
    has("deep.md:", "nesting deeper than");
    has("big.md", "too large");
    has("missing.md", "cannot read");
    assert_eq!(v["cards"].as_array().unwrap().len(), 13);
    assert!(dir.path().join("course.ron").exists());
}

#[test]
fn a_folder_passed_as_a_note_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("folder.md");
    std::fs::create_dir_all(&f).unwrap();
    std::fs::write(dir.path().join("a.md"), good_note()).unwrap();
    // A folder argument is searched for notes; an unreadable path is reported.
    let out = run(
        &[
            "convert",
            dir.path().to_str().unwrap(),
            "/nonexistent/x.md",
            "--out",
            dir.path().to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("/nonexistent/x.md: cannot read"),
        "{stdout}"
    );
    assert!(stdout.contains("course  01"), "{stdout}");
}

#[test]
fn json_has_the_documented_shape_on_the_seed_notes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "convert",
            seeds_dir().to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
            "--json",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cards = v["cards"].as_array().unwrap();
    let course = cards.iter().filter(|c| c["deck"] == "course").count();
    assert_eq!(course, 101);
    for c in cards {
        for key in [
            "id",
            "deck",
            "chapter",
            "chapter_title",
            "kind",
            "question",
            "answer",
        ] {
            assert!(c[key].is_string(), "{key} in {c}");
        }
        let src = c["sources"][0].as_str().unwrap();
        let (file, line) = src.rsplit_once(':').unwrap();
        assert!(
            file.ends_with(".md") && line.parse::<usize>().unwrap() > 0,
            "{src}"
        );
    }
    let unanswered = v["unanswered"].as_array().unwrap();
    assert_eq!(unanswered.len(), 6);
    assert!(
        unanswered
            .iter()
            .all(|u| u["file"].is_string() && u["line"].is_u64() && u["question"].is_string())
    );
    assert!(
        v["chapters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["chapter"] == "10")
    );
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["line"] == 22)
    );
    assert_eq!(v["errors"].as_array().unwrap().len(), 0);
}

#[test]
fn re_converting_the_bundled_decks_reports_everything_kept() {
    let dir = tempfile::tempdir().unwrap();
    let decks = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    for f in ["course.ron", "book.ron", "chapters.ron"] {
        std::fs::copy(decks.join(f), dir.path().join(f)).unwrap();
    }
    copy_tree(&seeds_dir(), &dir.path().join("notes"));
    let out = run(
        &["convert", "--out", dir.path().to_str().unwrap(), "--json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["changes"]["new"], 0,
        "the committed decks are up to date with the notes"
    );
    assert_eq!(v["changes"]["changed"], 0);
    assert_eq!(v["changes"]["removed"], 0);
    let committed = std::fs::read_to_string(decks.join("course.ron")).unwrap();
    let written = std::fs::read_to_string(dir.path().join("course.ron")).unwrap();
    assert_eq!(committed, written);
}

#[test]
fn the_chapter_table_stays_in_line_with_korean_titles() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = seeds_dir();
    let out = run(
        &[
            "convert",
            seeds.to_str().unwrap(),
            "--out",
            dir.path().to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .skip_while(|l| *l != "Chapters:")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(rows.len() > 15, "{text}");
    assert!(
        rows.iter().any(|r| r.contains("도커 엔진")),
        "book chapters are listed: {text}"
    );
    // Every row ends with its count, right-aligned under `cards`.
    let widths: Vec<usize> = rows.iter().map(|r| bokseup::cell::width(r)).collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{rows:#?}");
}
