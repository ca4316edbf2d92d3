//! The window's frames while reviewing, headless: the CPU time of one
//! frame (the app's drawing and egui's layout) on a store of the bundled
//! notes and 100k more cards. Frames that show something new are the
//! costly ones: a new card, an answer revealed (its Markdown and code laid
//! out), the next card after an answer; a frame where nothing changed
//! shows what every repaint costs.

// Bench code: a failing unwrap is a failing bench.
#![allow(clippy::unwrap_used)]

use bokseup::deck::{Card, CardId, CardKind, Deck, Source};
use bokseup::store::Store;
use bokseup::ui::app::{App, Command, Screen};
use chrono::{DateTime, FixedOffset, TimeZone};
use criterion::{Criterion, criterion_group, criterion_main};
use egui::Key;
use egui_kittest::Harness;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn extra_cards() -> usize {
    if std::env::var_os("BOKSEUP_BENCH_SMOKE").is_some() {
        1_000
    } else {
        100_000
    }
}

fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).single())
        .expect("valid time")
}

/// A deck folder: the bundled decks and a generated one of many cards.
fn decks(dir: &Path) -> PathBuf {
    let out = dir.join("decks");
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    for d in bokseup::store::decks::read_decks(&bundled).unwrap() {
        bokseup::store::decks::write_deck(&out, &d).unwrap();
    }
    let cards = (0..extra_cards())
        .map(|i| Card {
            id: CardId(format!("gen{i:012x}").into()),
            deck: "generated".into(),
            chapter: format!("{:02}", 1 + i % 15).into(),
            chapter_title: "Generated".into(),
            section: vec!["Q&A".into()].into(),
            kind: CardKind::Qa,
            question: format!("질문 {i}: 컨테이너 네트워크는 어떻게 동작하나요?"),
            answer: format!("- 답 {i}\n- 브리지와 `veth` 쌍"),
            sources: smallvec::smallvec![Source {
                file: "generated.md".into(),
                line: i + 1,
            }],
            tags: Vec::new(),
        })
        .collect();
    let deck = Deck {
        name: "generated".into(),
        cards,
    };
    bokseup::store::decks::write_deck(&out, &deck).unwrap();
    out
}

fn window(store: Store) -> Harness<'static, App> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut h = Harness::builder()
        .with_size(egui::vec2(1100.0, 760.0))
        .with_context_setup(bokseup::ui::fonts::install)
        .build_eframe(move |cc| App::new(cc, Ok(store), &root, Box::new(now)));
    h.run();
    h
}

/// The bundled card whose answer is longest (a long code block).
fn longest(store: &Store) -> (String, (String, String)) {
    let c = store
        .cards()
        .iter()
        .filter(|c| &*c.deck != "generated")
        .max_by_key(|c| c.answer.len())
        .unwrap();
    (
        c.id.0.to_string(),
        (c.deck.to_string(), c.chapter.to_string()),
    )
}

/// The time of `iters` frames, each drawn after `before` (not timed).
fn each_after(
    h: &mut Harness<'static, App>,
    iters: u64,
    mut before: impl FnMut(&mut Harness<'static, App>),
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        before(h);
        let t = Instant::now();
        h.step();
        total += t.elapsed();
    }
    total
}

fn frames(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let src = decks(tmp.path());
    let store = Store::open(&tmp.path().join("data"), Some(&src)).unwrap();
    let (id, chapter) = longest(&store);
    let mut h = window(store);
    let drill_longest = Command::StartDrillCards(chapter, vec![id]);

    let mut g = c.benchmark_group("frame");
    g.sample_size(20);
    g.bench_function("home, nothing changed", |b| {
        h.state_mut().apply(Command::Go(Screen::Home));
        h.run();
        b.iter(|| h.step());
    });
    g.bench_function("review: the longest answer revealed", |b| {
        b.iter_custom(|iters| {
            each_after(&mut h, iters, |h| {
                h.state_mut().apply(drill_longest.clone());
                h.run();
                h.key_press(Key::Space);
            })
        });
    });
    g.bench_function("review: the longest answer, nothing changed", |b| {
        h.state_mut().apply(drill_longest.clone());
        h.run();
        h.key_press(Key::Space);
        h.run();
        b.iter(|| h.step());
    });
    // A drill of every bundled chapter: real cards one after the other
    // (a drill can go on past today's limits).
    let bundled: Vec<(String, String)> = {
        let store = h.state().store().unwrap();
        let mut pairs: Vec<_> = store
            .cards()
            .iter()
            .filter(|c| &*c.deck != "generated")
            .map(|c| (c.deck.to_string(), c.chapter.to_string()))
            .collect();
        pairs.dedup();
        pairs
    };
    g.bench_function("review: an answer, then the next card", |b| {
        b.iter_custom(|iters| {
            each_after(&mut h, iters, |h| {
                if h.state().session().is_none_or(|s| s.is_done()) {
                    h.state_mut().apply(Command::StartDrill(bundled.clone()));
                    h.run();
                }
                h.key_press(Key::Space);
                h.run();
                h.key_press(Key::Num3);
            })
        });
    });
    g.bench_function("browse, nothing changed", |b| {
        h.state_mut().apply(Command::Go(Screen::Browse));
        h.run();
        b.iter(|| h.step());
    });
    g.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
