//! The converter: a start with an unchanged notes folder of 2,000 notes
//! (nothing is read), the same with one note edited (that note converted
//! again, the others' cards from the cache), the five seed notes converted
//! whole, and a paragraph with 100 `==highlights==` converted and converted
//! again after a one-word edit.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::chapters::Classifier;
use bokseup::notes::folder::{self, Source};
use bokseup::notes::{self, NoteInput};
use bokseup::store::Store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// Notes in the generated folder (20 in the smoke run CI makes, with
/// `BOKSEUP_BENCH_SMOKE` set: it only checks that every bench runs).
fn notes_count() -> usize {
    if std::env::var_os("BOKSEUP_BENCH_SMOKE").is_some() {
        20
    } else {
        2_000
    }
}

/// A folder of [`notes_count`] notes: copies of the five seed notes, each copy's
/// top-level bullets and headings made its own, 400 per sub-folder.
fn write_folder(root: &Path) {
    let (seeds, _) = folder::list(&Source::Bundled);
    let seeds: Vec<(String, String)> = seeds
        .iter()
        .map(|f| (f.name.replace('/', "-"), f.read().unwrap()))
        .collect();
    for n in 0..notes_count() {
        let (name, text) = &seeds[n % seeds.len()];
        let text: String = text
            .lines()
            .map(|l| match l.strip_prefix("- ") {
                Some(rest) => format!("- {rest} ({n})\n"),
                None if l.starts_with('#') => format!("{l} {n}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        let dir = root.join(format!("part{}", n / 400));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{n:04}-{name}")), text).unwrap();
    }
}

/// A note with one paragraph of 100 highlights; `edited`: one word of its
/// 51st sentence changed.
fn highlights(edited: bool) -> String {
    let sentences: String = (0..100)
        .map(|i| {
            let word = if edited && i == 50 {
                "수치는"
            } else {
                "값은"
            };
            format!("항목 {i}의 {word} ==값 {i}== 이다. ")
        })
        .collect();
    format!("# 하이라이트\n\n{sentences}\n")
}

fn bench(c: &mut Criterion) {
    let classifier = Classifier::bundled();
    let notes_dir = tempfile::tempdir().unwrap();
    write_folder(notes_dir.path());
    let source = Source::Folder(notes_dir.path().to_path_buf());
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path(), None).unwrap();
    let t = std::time::Instant::now();
    let first = folder::refresh(&source, &classifier, 1, &mut store).unwrap();
    eprintln!(
        "first conversion of {} notes ({} cards): {:.2?}",
        notes_count(),
        store.cards().len(),
        t.elapsed()
    );
    assert_eq!(first.changed.len(), notes_count());

    let mut g = c.benchmark_group("notes");
    g.sample_size(10);
    g.bench_function("refresh_unchanged_2000_notes", |b| {
        b.iter(|| {
            let r = folder::refresh(&source, &classifier, 1, &mut store).unwrap();
            assert!(r.conversion.is_none());
            black_box(r)
        })
    });
    let edited = notes_dir.path().join("part0/0000-course-t2-23-2.md");
    let mut round = 0;
    g.bench_function("refresh_one_note_edited_of_2000", |b| {
        b.iter(|| {
            round += 1;
            let mut text = std::fs::read_to_string(&edited).unwrap();
            text.push_str(&format!("\n- 새 질문 {round}인가요?\n  - 네\n"));
            std::fs::write(&edited, text).unwrap();
            let r = folder::refresh(&source, &classifier, 1, &mut store).unwrap();
            assert_eq!(r.changed.len(), 1);
            black_box(r)
        })
    });
    // What the window does on its frame when a note is saved: share the
    // cards with the conversion thread, later give the converted cards to
    // the store (the conversion itself runs on the other thread).
    g.bench_function("one_note_edited_of_2000_on_the_window_frame", |b| {
        b.iter_custom(|iters| {
            let mut on_frame = std::time::Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                let mut text = std::fs::read_to_string(&edited).unwrap();
                text.push_str(&format!("\n- 새 질문 {round}인가요?\n  - 네\n"));
                std::fs::write(&edited, text).unwrap();
                let t = std::time::Instant::now();
                let (cards, retired) = (store.shared_cards(), store.retired_cards().to_vec());
                on_frame += t.elapsed();
                let dir = store.dir().to_path_buf();
                let prepared =
                    folder::prepare(&source, &classifier, 1, &dir, &cards, &retired).unwrap();
                drop(cards);
                let t = std::time::Instant::now();
                let r = folder::finish(prepared, &mut store).unwrap();
                on_frame += t.elapsed();
                assert_eq!(r.changed.len(), 1);
            }
            on_frame
        })
    });
    let seeds: Vec<NoteInput> = folder::list(&Source::Bundled)
        .0
        .iter()
        .map(|f| NoteInput::new(&f.name, &f.deck, f.read().unwrap()))
        .collect();
    g.bench_function("convert_the_five_seed_notes", |b| {
        b.iter(|| notes::convert(black_box(&seeds), &classifier, &[], Vec::new()))
    });
    let note = [NoteInput::new("h.md", "notes", highlights(false))];
    g.bench_function("highlights_100_convert", |b| {
        b.iter(|| notes::convert(black_box(&note), &classifier, &[], Vec::new()))
    });
    let previous: Vec<_> = notes::convert(&note, &classifier, &[], Vec::new())
        .cards()
        .cloned()
        .collect();
    let edited_note = [NoteInput::new("h.md", "notes", highlights(true))];
    g.bench_function("highlights_100_reconvert_after_an_edit", |b| {
        b.iter(|| notes::convert(black_box(&edited_note), &classifier, &previous, Vec::new()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
