//! How well the course chapters are found, measured honestly on the three
//! bundled Q&A logs and their hand labels (`tests/chapter_labels.json`):
//!
//! * plain accuracy: the shipped chapter map on all 101 labelled questions;
//! * leave-one-cohort-out: the map's three numbers (backward penalty,
//!   forward step, question weight) tuned on two logs, scored on the third,
//!   each log in turn; the keywords are never tuned on the logs.
//!
//! Both are printed (`cargo test --test chapters -- --nocapture`), with the
//! confusions that remain.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::chapters::{CardText, ChapterMap, Classifier};
use bokseup::notes::shape::extract_text;
use bokseup::notes::shapes::RawCard;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Label {
    file: String,
    line: usize,
    chapter: String,
    runner_up: Option<String>,
    question: String,
}

fn labels() -> Vec<Label> {
    serde_json::from_str(include_str!("chapter_labels.json")).unwrap()
}

/// The three course logs (label file name → note), as bundled.
fn logs() -> Vec<(&'static str, Vec<RawCard>)> {
    let text = |name: &str| {
        bokseup::notes::bundled::NOTES
            .iter()
            .find(|n| n.path == name)
            .unwrap()
            .text
    };
    [
        ("seed:000", "course-t3-23-3.md"),
        ("seed:001", "course-t2-23-2.md"),
        ("seed:002", "course-t3-23-5.md"),
    ]
    .into_iter()
    .map(|(label, name)| (label, extract_text(name, text(name)).unwrap().found.cards))
    .collect()
}

/// The chapter id the classifier gives each card of one log.
fn chapters_of(c: &Classifier, cards: &[RawCard]) -> Vec<String> {
    let texts: Vec<CardText> = cards
        .iter()
        .map(|r| CardText {
            question: &r.question,
            answer: &r.answer_text,
            section: &r.section,
        })
        .collect();
    c.classify(&texts)
        .into_iter()
        .map(|(ix, _)| ix.map_or(c.map.unsorted.id.clone(), |i| c.map.chapters[i].id.clone()))
        .collect()
}

/// (right, asked, wrong ones as (line, wanted, got, runner-up, question)) on the labels of `files`.
type Score = (
    usize,
    usize,
    Vec<(String, usize, String, String, Option<String>, String)>,
);

fn score(c: &Classifier, logs: &[(&str, Vec<RawCard>)], labels: &[Label], files: &[&str]) -> Score {
    let mut right = 0;
    let mut asked = 0;
    let mut wrong = Vec::new();
    for (file, cards) in logs.iter().filter(|(f, _)| files.contains(f)) {
        let got = chapters_of(c, cards);
        for l in labels.iter().filter(|l| l.file == *file) {
            let k = cards
                .iter()
                .position(|r| r.line == l.line)
                .unwrap_or_else(|| panic!("no card at {file}:{}", l.line));
            asked += 1;
            if got[k] == l.chapter {
                right += 1;
            } else {
                wrong.push((
                    file.to_string(),
                    l.line,
                    l.chapter.clone(),
                    got[k].clone(),
                    l.runner_up.clone(),
                    l.question.clone(),
                ));
            }
        }
    }
    (right, asked, wrong)
}

/// The settings tried when tuning: backward penalty, forward step, question weight.
fn grid() -> Vec<(f32, f32, f32)> {
    let mut g = Vec::new();
    for back in [0.5, 1.0, 1.5, 2.5, 4.0] {
        for fwd in [0.0, 0.1, 0.2, 0.4] {
            for q in [1.0, 2.0, 3.0, 5.0] {
                g.push((back, fwd, q));
            }
        }
    }
    g
}

fn with(map: &ChapterMap, (back, fwd, q): (f32, f32, f32)) -> Classifier {
    let mut m = map.clone();
    m.backward_penalty = back;
    m.forward_step = fwd;
    m.question_weight = q;
    Classifier::new(m)
}

#[test]
fn chapter_accuracy_plain_and_leave_one_cohort_out() {
    let labels = labels();
    assert_eq!(labels.len(), 101);
    let logs = logs();
    let shipped = Classifier::bundled();
    let files = ["seed:000", "seed:001", "seed:002"];
    let (right, asked, wrong) = score(&shipped, &logs, &labels, &files);
    let plain = right as f64 / asked as f64;
    println!(
        "plain accuracy (shipped map): {right}/{asked} = {:.1}%",
        plain * 100.0
    );
    let mut confusions: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (file, line, want, got, runner_up, q) in &wrong {
        *confusions.entry((want.clone(), got.clone())).or_default() += 1;
        let ru = runner_up.as_deref().unwrap_or("-");
        println!("  {file}:{line} want {want} got {got} (runner-up {ru}): {q}");
    }
    println!("  confusions (wanted → got): {confusions:?}");
    // Leave one cohort out.
    let mut loco_right = 0;
    let mut loco_asked = 0;
    for held in files {
        let train: Vec<&str> = files.iter().copied().filter(|f| *f != held).collect();
        let best = grid()
            .into_iter()
            .max_by_key(|&p| score(&with(&shipped.map, p), &logs, &labels, &train).0)
            .unwrap();
        let (r, a, _) = score(&with(&shipped.map, best), &logs, &labels, &[held]);
        println!("  held out {held}: tuned {best:?} on the other two, {r}/{a} right");
        loco_right += r;
        loco_asked += a;
    }
    let loco = loco_right as f64 / loco_asked as f64;
    let on_all = grid()
        .into_iter()
        .max_by_key(|&p| score(&with(&shipped.map, p), &logs, &labels, &files).0)
        .unwrap();
    println!(
        "  (the best settings on all three logs: {on_all:?}; shipped: {:?})",
        (
            shipped.map.backward_penalty,
            shipped.map.forward_step,
            shipped.map.question_weight
        )
    );
    println!(
        "leave-one-cohort-out accuracy: {loco_right}/{loco_asked} = {:.1}%",
        loco * 100.0
    );
    assert!(plain >= 0.90, "plain accuracy {:.1}% < 90%", plain * 100.0);
    assert!(
        loco >= 0.85,
        "leave-one-cohort-out accuracy {:.1}% < 85%",
        loco * 100.0
    );
}

/// Every phrase of the chapter map is course vocabulary, not a bundled
/// question's wording: none occurs in exactly one bundled question, unless
/// the course's own description of its chapters (`decks/chapters.md`) uses it.
#[test]
fn no_keyword_exists_for_one_bundled_question() {
    let map = Classifier::bundled().map;
    let scope = include_str!("../decks/chapters.md").to_lowercase();
    let questions: Vec<String> = logs()
        .into_iter()
        .flat_map(|(_, cards)| cards.into_iter().map(|c| c.question.to_lowercase()))
        .collect();
    let mut single = Vec::new();
    for ch in map.chapters.iter().chain(std::iter::once(&map.unsorted)) {
        for (k, _) in &ch.keywords {
            let k = k.to_lowercase();
            let n = questions.iter().filter(|q| q.contains(&k)).count();
            if n == 1 && !scope.contains(&k) {
                single.push(format!("{} {k:?}", ch.id));
            }
        }
    }
    assert!(
        single.is_empty(),
        "keywords found in only one bundled question: {single:?}"
    );
}
