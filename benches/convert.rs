//! Converter throughput on ≥ 10 MB of generated notes in the seed style,
//! beside a bare pulldown-cmark parse of the same text, and the ratio of
//! the two measured in interleaved rounds ([`paired_ratio`]).

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, NoteInput};
use criterion::{Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

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

/// Every event (with its source range) of a plain pulldown-cmark parse of
/// every note, in the converter's Markdown dialect; the number of events.
fn bare_parse(inputs: &[NoteInput]) -> usize {
    let mut events = 0usize;
    for n in inputs {
        let parser = pulldown_cmark::Parser::new_ext(&n.text, notes::parse::options());
        for (e, r) in parser.into_offset_iter() {
            black_box((&e, &r));
            events += 1;
        }
    }
    black_box(events)
}

fn bench(c: &mut Criterion, inputs: &[NoteInput]) {
    let bytes: usize = inputs.iter().map(|n| n.text.len()).sum();
    let classifier = Classifier::bundled();
    let mut g = c.benchmark_group("notes");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bare_pulldown_cmark_parse", |b| {
        b.iter(|| bare_parse(inputs))
    });
    g.bench_function("parse_and_extract", |b| {
        b.iter(|| {
            let mut cards = 0;
            for n in inputs {
                if let Ok(e) = notes::extract_note(&n.name, black_box(&n.text)) {
                    cards += e.cards.len();
                }
            }
            black_box(cards)
        })
    });
    // The conversion is timed, not the freeing of its cards afterwards.
    g.bench_function("convert", |b| {
        b.iter_with_large_drop(|| notes::convert(black_box(inputs), &classifier, &[], Vec::new()))
    });
    // Re-conversion against the decks of the first one, with the question
    // bullets on every tenth line edited: ids kept by exact and similar matching.
    let previous: Vec<_> = notes::convert(inputs, &classifier, &[], Vec::new())
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

/// Rounds of the interleaved comparison, after [`PAIRED_WARM_UP`] untimed ones.
const PAIRED_ROUNDS: usize = 31;
/// Rounds run first and not counted.
const PAIRED_WARM_UP: usize = 3;

/// The converter's throughput relative to the bare parse, measured in
/// rounds that time one bare parse and one conversion of all the notes
/// back to back (in alternating order). A shared machine's speed drifts
/// over seconds, by more than the difference looked for; two figures taken
/// one after the other, as criterion's are, drift apart with it, while the
/// two halves of one round see the same machine. Prints the median ratio
/// of the rounds and its spread.
fn paired_ratio(inputs: &[NoteInput]) {
    let classifier = Classifier::bundled();
    let time_bare = || {
        let t = Instant::now();
        bare_parse(inputs);
        t.elapsed().as_secs_f64()
    };
    let time_convert = || {
        let t = Instant::now();
        let c = notes::convert(black_box(inputs), &classifier, &[], Vec::new());
        let took = t.elapsed().as_secs_f64();
        // Its output is freed after the clock stops, as in `notes/convert`.
        drop(c);
        took
    };
    let mut rounds = Vec::with_capacity(PAIRED_ROUNDS);
    for round in 0..PAIRED_WARM_UP + PAIRED_ROUNDS {
        let (bare, convert) = if round % 2 == 0 {
            let b = time_bare();
            (b, time_convert())
        } else {
            let c = time_convert();
            (time_bare(), c)
        };
        if round >= PAIRED_WARM_UP {
            rounds.push((bare, convert));
        }
    }
    // Quartile `q` (0 = least, 2 = median, 4 = greatest) of some figures.
    let quartile = |figures: &mut dyn Iterator<Item = f64>, q: usize| {
        let mut v: Vec<f64> = figures.collect();
        v.sort_by(f64::total_cmp);
        v[(v.len() - 1) * q / 4]
    };
    let ratio = |q| quartile(&mut rounds.iter().map(|(b, c)| b / c), q);
    println!(
        "notes/paired_ratio: convert at {:.3}x the bare parse's throughput \
         (median of {} interleaved rounds; quartiles {:.3} / {:.3}, range {:.3} to {:.3}); \
         medians bare {:.1} ms, convert {:.1} ms",
        ratio(2),
        rounds.len(),
        ratio(1),
        ratio(3),
        ratio(0),
        ratio(4),
        quartile(&mut rounds.iter().map(|r| r.0), 2) * 1e3,
        quartile(&mut rounds.iter().map(|r| r.1), 2) * 1e3,
    );
}

/// Criterion's benchmarks, then (under `cargo bench`, unless a filter
/// leaves it out) the interleaved ratio, on the same notes.
fn main() {
    let inputs = generated_notes();
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &inputs);
    criterion.final_summary();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let benching = args.iter().any(|a| a == "--bench");
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let wanted = filters.is_empty()
        || filters
            .iter()
            .any(|f| "notes/paired_ratio".contains(f.as_str()));
    if benching && wanted {
        paired_ratio(&inputs);
    }
}
