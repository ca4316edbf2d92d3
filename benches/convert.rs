//! Converter throughput on ≥ 10 MB of generated notes in the seed style,
//! beside a bare pulldown-cmark parse of the same text.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, NoteInput};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// At least this many bytes of notes.
const TARGET_BYTES: usize = 10 * 1024 * 1024;

/// Copies of the five seed notes with every top-level bullet made unique
/// per copy; the rest (nested bullets, headings, highlights) repeats across
/// copies, so the repeated cards are merged as questions asked in several
/// real notes are.
fn generated_notes() -> Vec<NoteInput> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/notes");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("decks/notes")
        .filter_map(|e| e.ok())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).expect("seed reads"))
        })
        .collect();
    seeds.sort();
    let mut out = Vec::new();
    let mut total = 0;
    let mut copy = 0;
    while total < TARGET_BYTES {
        for (name, text) in &seeds {
            let text: String = text
                .lines()
                .map(|l| {
                    if let Some(rest) = l.strip_prefix("- ") {
                        format!("- {rest} (#{copy})\n")
                    } else {
                        format!("{l}\n")
                    }
                })
                .collect();
            total += text.len();
            out.push(NoteInput {
                name: format!("gen/{copy}-{name}"),
                text,
            });
        }
        copy += 1;
    }
    out
}

fn bench(c: &mut Criterion) {
    let inputs = generated_notes();
    let bytes: usize = inputs.iter().map(|n| n.text.len()).sum();
    let classifier = Classifier::bundled();
    let mut g = c.benchmark_group("notes");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bare_pulldown_cmark_parse", |b| {
        b.iter(|| {
            let mut events = 0usize;
            for n in &inputs {
                let parser = pulldown_cmark::Parser::new_ext(&n.text, notes::parse::options());
                for (e, r) in parser.into_offset_iter() {
                    black_box((&e, &r));
                    events += 1;
                }
            }
            black_box(events)
        })
    });
    g.bench_function("parse_and_extract", |b| {
        b.iter(|| {
            let mut cards = 0;
            for n in &inputs {
                if let Ok(e) = notes::extract_note(&n.name, black_box(&n.text)) {
                    cards += e.cards.len();
                }
            }
            black_box(cards)
        })
    });
    // The conversion is timed, not the freeing of its cards afterwards.
    g.bench_function("convert", |b| {
        b.iter_with_large_drop(|| notes::convert(black_box(&inputs), &classifier, &[], Vec::new()))
    });
    // Re-conversion against the decks of the first one, with the question
    // bullets on every tenth line edited: ids kept by exact and similar matching.
    let previous: Vec<_> = notes::convert(&inputs, &classifier, &[], Vec::new())
        .cards()
        .cloned()
        .collect();
    let edited: Vec<NoteInput> = inputs
        .iter()
        .map(|n| NoteInput {
            name: n.name.clone(),
            text: n
                .text
                .lines()
                .enumerate()
                .map(|(i, l)| match l.strip_prefix("- ") {
                    Some(rest) if i % 10 == 0 => format!("- 다시 {rest}\n"),
                    _ => format!("{l}\n"),
                })
                .collect(),
        })
        .collect();
    g.bench_function("reconvert_with_edits", |b| {
        b.iter(|| {
            let c = notes::convert(black_box(&edited), &classifier, &previous, Vec::new());
            black_box((c.changes.kept.len(), c.changes.changed.len()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
