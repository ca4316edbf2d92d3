//! The `bokseup` command: the window (no subcommand) and the command-line tools.

use anyhow::{Context, Result};
use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, Conversion, NoteFailure, NoteInput};
use bokseup::store::decks;
use clap::{Parser, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` that stops quietly when stdout is closed (`| head`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "bokseup",
    version,
    about = "복습 — spaced repetition for Markdown study notes"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Turn Markdown notes into chapter-tagged card decks (RON files).
    Convert {
        /// Note files or folders (default: decks/notes/).
        paths: Vec<PathBuf>,
        /// Where the deck files go (default: decks/).
        #[arg(long, default_value = "decks")]
        out: PathBuf,
        /// Print one JSON object on stdout instead of the tables.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Convert { paths, out, json }) => convert_cmd(paths, &out, json),
        None => summary(Path::new("decks")),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Collect `*.md` (and `*.markdown`, `*.txt`) files under the given paths, sorted.
fn note_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| {
                            f.is_file()
                                && f.extension()
                                    .is_some_and(|e| e == "md" || e == "markdown" || e == "txt")
                        })
                        .collect()
                })
                .unwrap_or_default();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
}

/// Path as stored in card sources: relative to the deck folder when inside it.
fn source_name(file: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, o) = (abs(file), abs(out));
    match f.strip_prefix(&o) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => file.to_string_lossy().into_owned(),
    }
}

fn convert_cmd(paths: Vec<PathBuf>, out: &Path, json_out: bool) -> Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![out.join("notes")]
    } else {
        paths
    };
    let files = note_files(&paths);
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for f in &files {
        let name = source_name(f, out);
        match notes::load::read_note(f) {
            Ok(text) => inputs.push(NoteInput { name, text }),
            Err(e) => failures.push(NoteFailure {
                name,
                message: e.to_string(),
            }),
        }
    }
    let map_path = out.join("chapters.ron");
    let classifier = if map_path.exists() {
        let text = std::fs::read_to_string(&map_path)
            .with_context(|| format!("{}: cannot read", map_path.display()))?;
        Classifier::from_ron(&text).map_err(|e| {
            anyhow::anyhow!("{}:{}: {}", map_path.display(), e.span.start.line, e.code)
        })?
    } else {
        Classifier::bundled()
    };
    let previous: Vec<_> = decks::read_decks(out)?
        .into_iter()
        .flat_map(|d| d.cards)
        .collect();
    let conversion = notes::convert(&inputs, &classifier, &previous, failures);
    let written_decks: Vec<String> = conversion.decks.iter().map(|d| d.name.clone()).collect();
    for deck in &conversion.decks {
        decks::write_deck(out, deck)?;
    }
    // Decks that no longer get cards are left as they are: their history matters.
    if json_out {
        outln!(
            "{}",
            serde_json::to_string_pretty(&conversion_json(&conversion))?
        );
    } else {
        print_report(&conversion, &written_decks, out);
    }
    Ok(if conversion.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn conversion_json(c: &Conversion) -> serde_json::Value {
    let cards: Vec<_> = c
        .cards()
        .map(|card| {
            json!({
                "id": card.id.0,
                "deck": card.deck,
                "chapter": card.chapter,
                "chapter_title": card.chapter_title,
                "section": card.section,
                "kind": card.kind.as_str(),
                "question": card.question,
                "answer": card.answer,
                "sources": card.sources.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unanswered: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.unanswered
                .iter()
                .map(move |u| json!({"file": n.name, "line": u.line, "question": u.question}))
        })
        .collect();
    let mut chapters: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    for card in c.cards() {
        chapters
            .entry((card.deck.clone(), card.chapter.clone()))
            .or_insert((card.chapter_title.clone(), 0))
            .1 += 1;
    }
    let chapters: Vec<_> = chapters
        .into_iter()
        .map(|((deck, ch), (title, n))| json!({"deck": deck, "chapter": ch, "title": title, "cards": n}))
        .collect();
    let warnings: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.warnings
                .iter()
                .map(move |w| json!({"file": n.name, "line": w.line, "message": w.message}))
        })
        .collect();
    let skipped: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.skipped.iter().map(move |s| {
                json!({"file": n.name, "line": s.line, "reason": s.reason, "text": s.text})
            })
        })
        .collect();
    let notes: Vec<_> = c
        .notes
        .iter()
        .map(|n| {
            let kinds: BTreeMap<&str, usize> =
                n.kinds.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            json!({"file": n.name, "deck": n.deck, "shape": format!("{:?}", n.shape), "cards": kinds,
                   "unanswered": n.unanswered.len(), "skipped": n.skipped.len()})
        })
        .collect();
    let errors: Vec<_> = c
        .failures
        .iter()
        .map(|f| json!({"file": f.name, "message": f.message}))
        .collect();
    json!({
        "cards": cards,
        "unanswered": unanswered,
        "chapters": chapters,
        "warnings": warnings,
        "errors": errors,
        "notes": notes,
        "skipped": skipped,
        "changes": {
            "new": c.changes.new.len(),
            "changed": c.changes.changed.len(),
            "kept": c.changes.kept.len(),
            "removed": c.changes.removed.len(),
        },
    })
}

fn print_report(c: &Conversion, written: &[String], out: &Path) {
    outln!("Notes:");
    for n in &c.notes {
        let kinds: Vec<String> = n
            .kinds
            .iter()
            .map(|(k, v)| format!("{} {v}", k.as_str()))
            .collect();
        outln!(
            "  {:<32} {:<6} {:>4} cards ({}), {} unanswered, {} skipped",
            n.name,
            n.deck,
            n.kinds.values().sum::<usize>(),
            kinds.join(", "),
            n.unanswered.len(),
            n.skipped.len()
        );
    }
    let mut table: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    for card in c.cards() {
        table
            .entry((card.deck.clone(), card.chapter.clone()))
            .or_insert((card.chapter_title.clone(), 0))
            .1 += 1;
    }
    outln!("\nChapters:");
    outln!("  {:<7} {:<4} {:<40} {:>5}", "deck", "ch", "title", "cards");
    for ((deck, ch), (title, n)) in &table {
        outln!("  {deck:<7} {ch:<4} {title:<40} {n:>5}");
    }
    let unanswered: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.unanswered.iter().map(move |u| (n, u)))
        .collect();
    if !unanswered.is_empty() {
        outln!("\nUnanswered (no card):");
        for (n, u) in unanswered {
            outln!(
                "  {}:{}: {}",
                n.name,
                u.line,
                notes::extract::excerpt(&u.question)
            );
        }
    }
    let skipped: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.skipped.iter().map(move |s| (n, s)))
        .collect();
    if !skipped.is_empty() {
        outln!("\nSkipped:");
        for (n, s) in skipped {
            outln!("  {}:{}: {} — {}", n.name, s.line, s.reason, s.text);
        }
    }
    let warnings: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.warnings.iter().map(move |w| (n, w)))
        .collect();
    if !warnings.is_empty() {
        outln!("\nWarnings:");
        for (n, w) in warnings {
            outln!("  {}:{}: {}", n.name, w.line, w.message);
        }
    }
    if !c.failures.is_empty() {
        outln!("\nErrors:");
        for f in &c.failures {
            outln!("  {}", f.message);
        }
    }
    outln!(
        "\nCards: {} new, {} changed, {} kept, {} removed. Wrote {} in {}.",
        c.changes.new.len(),
        c.changes.changed.len(),
        c.changes.kept.len(),
        c.changes.removed.len(),
        written
            .iter()
            .map(|d| format!("{d}.ron"))
            .collect::<Vec<_>>()
            .join(", "),
        out.display()
    );
}

/// Until the window exists: a summary of the bundled decks.
fn summary(dir: &Path) -> Result<ExitCode> {
    let decks = decks::read_decks(dir)?;
    for d in &decks {
        let mut by_ch: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
        for c in &d.cards {
            by_ch.entry(&c.chapter).or_insert((&c.chapter_title, 0)).1 += 1;
        }
        outln!("deck {} — {} cards", d.name, d.cards.len());
        for (ch, (title, n)) in by_ch {
            outln!("  {ch} {title:<40} {n:>4}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
