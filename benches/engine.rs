//! The engine at scale: 100k cards and a 1M-event journal. Answer one card
//! durably (and undo it), build today's queue, the weak-topic figures,
//! chapter readiness, the streak, a text search; replay the journal, load the cache, open a store
//! from its cache.

use bokseup::deck::{Card, CardId, CardKind, Deck, Source};
use bokseup::schedule::Settings;
use bokseup::search;
use bokseup::store::journal::{self, Event, Mode};
use bokseup::store::{Store, cache, cards, files, replay};
use bokseup::{readiness, stats};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;

/// How many times smaller the collection is in the smoke run CI makes
/// (`BOKSEUP_BENCH_SMOKE` set: it only checks that every bench runs).
fn shrink() -> usize {
    if std::env::var_os("BOKSEUP_BENCH_SMOKE").is_some() {
        100
    } else {
        1
    }
}

fn cards_count() -> usize {
    100_000 / shrink()
}

fn events_count() -> usize {
    1_000_000 / shrink()
}

fn start() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single())
        .expect("valid time")
}

/// A data dir with a 100k-card deck and a 1M-event journal of daily
/// sessions over those cards.
fn build(dir: &Path) {
    let cards = (0..cards_count())
        .map(|i| Card {
            id: CardId(format!("{i:016x}").into()),
            deck: "course".into(),
            chapter: format!("{:02}", 1 + i % 15).into(),
            chapter_title: "Chapter".into(),
            section: vec!["Q&A".into()].into(),
            kind: CardKind::Qa,
            question: format!("질문 {i} 은 무엇인가요?"),
            answer: format!("- 답 {i}"),
            sources: smallvec::smallvec![Source {
                file: "notes/big.md".into(),
                line: i + 1,
            }],
            tags: Vec::new(),
        })
        .collect();
    // As the converter keeps them.
    cards::write(
        &dir.join(files::CARDS),
        &[Deck {
            name: "course".into(),
            cards,
        }],
    )
    .expect("cards");
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(dir.join(files::JOURNAL)).expect("journal"));
    writeln!(out, "{}", journal::HEADER).expect("write");
    let t0 = start();
    // Event ids as the app makes them.
    let ids = journal::IdMaker::default();
    for n in 0..events_count() {
        // ~3,300 answers a day for 300 days, cycling through the cards.
        let at = t0 + Duration::days((n / 3_334) as i64) + Duration::seconds((n % 3_334) as i64);
        let e = Event::Review {
            id: ids.next(at),
            card: format!("{:016x}", (n * 7919) % cards_count()).into(),
            at,
            grade: [4, 4, 5, 3, 1][n % 5],
            mode: Mode::Normal,
            ms: 4_000,
        };
        writeln!(out, "{}", e.to_line()).expect("write");
    }
    out.flush().expect("flush");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    build(dir.path());
    let t = std::time::Instant::now();
    let mut store = Store::open(dir.path(), None).expect("open");
    eprintln!(
        "open with 100k cards and 1M events (parse + replay + cache write): {:.2?}",
        t.elapsed()
    );
    let now = start() + Duration::days(301);
    let today = store.study_day(now);
    let settings = Settings::default();
    let mut g = c.benchmark_group("engine");
    g.sample_size(20);
    g.bench_function("queue_100k_cards", |b| {
        b.iter(|| black_box(store.queue(today).counts()))
    });
    let ids: Vec<String> = store
        .cards()
        .iter()
        .take(5_000)
        .map(|c| c.id.0.to_string())
        .collect();
    let mut k = 0;
    g.bench_function("answer_one_card_durably", |b| {
        b.iter(|| {
            k = (k + 1) % ids.len();
            store
                .review(&ids[k], 4, Mode::Normal, now, 3_000)
                .expect("review")
        })
    });
    // The floor: one line appended to a file and fdatasynced.
    let mut floor = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.path().join("floor.ron"))
        .expect("floor");
    g.bench_function("bare_append_and_fdatasync_one_line", |b| {
        b.iter(|| {
            floor
                .write_all(b"Review(id:\"01a22d0e-2f10-703b-be6d-cd7f18e9ab98\",card:\"865422cf249f88f9\",at:\"2026-12-01T00:23:54+09:00\",grade:4,mode:Normal,ms:5000)\n")
                .expect("write");
            floor.sync_data().expect("sync")
        })
    });
    let mut u = 0;
    g.bench_function("answer_and_undo_one_card_durably", |b| {
        b.iter(|| {
            u = (u + 1) % ids.len();
            let id = store
                .review(&ids[u], 4, Mode::Normal, now, 3_000)
                .expect("review");
            store.undo(&id, now).expect("undo")
        })
    });
    // What the window's screens compute: kept between frames, made again
    // after every answer.
    let sched = store.settings().scheduling.clone();
    // Weak topics: the journal's last 30 days read (on the screen's
    // thread), then the figures.
    g.bench_function("weak_topics_100k_cards_1m_events", |b| {
        b.iter(|| {
            let tail = store
                .history_since(stats::retention_from(today))
                .map(|t| t.read().expect("tail"))
                .unwrap_or_default();
            let rows = stats::chapters(store.cards(), store.states(), &tail, today, &sched);
            let per_day = stats::reviews_per_day(store.answers_per_day(), today, 30);
            let forecast = stats::forecast(store.states(), today);
            black_box((rows.len(), per_day.len(), forecast.len()))
        })
    });
    // The Drill screen: each chapter's readiness for a lab tomorrow, from
    // the memory model the store keeps and the curve fitted to it (both
    // made again at each change, as the window does).
    let lab = now + Duration::days(1);
    g.bench_function("readiness_100k_cards", |b| {
        b.iter(|| {
            let memory = store.memory();
            let curve = readiness::fit(&memory.samples);
            let rows = readiness::chapters(store.cards(), store.states(), memory, &curve, now, lab);
            black_box(rows.len())
        })
    });
    g.bench_function("fit_the_curve_20k_reviews", |b| {
        b.iter(|| black_box(readiness::fit(&store.memory().samples).samples))
    });
    g.bench_function("streak_1m_events", |b| {
        b.iter(|| black_box(stats::streak(store.answers_per_day(), today)))
    });
    // Browse: a search over every card's question and answer (on another
    // thread in the window), a Korean query and one in another case.
    g.bench_function("search_100k_cards", |b| {
        b.iter(|| black_box(search::search(store.cards(), "무엇인가요? 12").len()))
    });
    g.bench_function("search_100k_cards_any_case", |b| {
        b.iter(|| black_box(search::search(store.cards(), "DOCKER").len()))
    });
    // Browse: one card's history, read from the 1M-event journal (only
    // the lines that name it are parsed).
    let card = store.cards()[7].id.0.to_string();
    g.bench_function("card_history_1m_events", |b| {
        b.iter(|| black_box(store.history(&card).len()))
    });
    let events = store.read_history().expect("history");
    g.sample_size(10);
    g.bench_function("replay_1m_events", |b| {
        b.iter(|| black_box(replay::replay(&events, &settings).len()))
    });
    let jpath = dir.path().join(files::JOURNAL);
    let jtext = std::fs::read_to_string(&jpath).expect("journal");
    g.bench_function("parse_1m_event_journal", |b| {
        b.iter(|| black_box(journal::parse(&jpath, &jtext).map(|(e, _)| e.len())))
    });
    store.save_cache().expect("cache");
    let cache_path = dir.path().join(files::CACHE);
    g.bench_function("load_cache_100k_states", |b| {
        b.iter(|| black_box(cache::read(&cache_path).map(|c| c.states.len())))
    });
    // A start: the cache, the journal's lines after it, the 100k cards.
    g.bench_function("open_from_cache_100k_cards_1m_events", |b| {
        b.iter(|| {
            let s = Store::open_read_only(dir.path(), None).expect("open");
            black_box(s.queue(today).counts())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
