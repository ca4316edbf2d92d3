#![allow(clippy::unwrap_used)]
use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, NoteInput};
use std::path::Path;
const TARGET_BYTES: usize = 10 * 1024 * 1024;
/// Copies of the five seed notes, every question made unique per copy so
/// that no two cards merge (as in a large real note set).
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

fn main() {
    let inputs = generated_notes();
    let classifier = Classifier::bundled();
    let mode = std::env::args().nth(1).unwrap_or_default();
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    for _ in 0..n {
        let t = std::time::Instant::now();
        if mode == "bare" {
            let mut e = 0;
            for i in &inputs {
                for x in pulldown_cmark::Parser::new_ext(&i.text, notes::parse::options())
                    .into_offset_iter()
                {
                    std::hint::black_box(&x);
                    e += 1;
                }
            }
            std::hint::black_box(e);
        } else {
            let c = notes::convert(&inputs, &classifier, &[], Vec::new());
            std::hint::black_box(c.cards().count());
        }
        eprintln!("{mode} {:?}", t.elapsed());
    }
}
