//! `convert`: notes → cards, for the notes folder or a one-off set of files, and its report.

use anyhow::Result;
use bokseup::cell::pad;
use bokseup::notes::chapters::Classifier;
use bokseup::notes::folder::{self};
use bokseup::notes::{self, Conversion, NoteFailure, NoteInput};
use bokseup::store::decks;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::ctx::Ctx;

/// Path as stored in card sources: relative to the deck folder when inside it.
pub(crate) fn source_name(file: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, o) = (abs(file), abs(out));
    match f.strip_prefix(&o) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => file.to_string_lossy().into_owned(),
    }
}

/// The chapter map in `dir` (`chapters.ron`), else the bundled one; and a
/// key that changes with it.
pub(crate) fn classifier_in(dir: Option<&Path>) -> Result<(Classifier, u64)> {
    folder::chapter_map(dir).map_err(|e| anyhow::anyhow!(e))
}

/// A one-off conversion of the notes under `paths` into deck files in `out`.
pub(crate) fn convert_cmd(paths: Vec<PathBuf>, out: &Path, json_out: bool) -> Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![out.join("notes")]
    } else {
        paths
    };
    let (files, mut failures) = folder::list_paths(&paths);
    let mut inputs = Vec::new();
    for (f, root) in &files {
        let path = f
            .path()
            .map_or_else(|| root.join(&f.name), Path::to_path_buf);
        let name = source_name(&path, out);
        match f.read() {
            Ok(text) => inputs.push(NoteInput::new(&name, &f.deck, text)),
            Err(message) => failures.push(NoteFailure { name, message }),
        }
    }
    let (classifier, _) = classifier_in(Some(out))?;
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
        print_report(&conversion, &written_decks, &out.display().to_string());
    }
    Ok(if conversion.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `convert` with no paths: the notes folder into the data dir.
pub(crate) fn convert_folder_cmd(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let (store, refresh) = ctx.open_with_notes(super::ctx::Access::Write)?;
    let Some(refresh) = refresh else {
        outln!("--decks given: nothing to convert");
        return Ok(ExitCode::SUCCESS);
    };
    let failures = !refresh.failures.is_empty();
    match &refresh.conversion {
        Some(c) if json_out => outln!("{}", serde_json::to_string_pretty(&conversion_json(c))?),
        Some(c) => {
            let names: Vec<String> = c.decks.iter().map(|d| d.name.clone()).collect();
            print_report(
                c,
                &names,
                &store
                    .dir()
                    .join(bokseup::store::files::CARDS)
                    .display()
                    .to_string(),
            );
        }
        None if json_out => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({"changes": "none", "cards": store.cards().len(),
                "errors": refresh.failures.iter().map(|f| json!({"file": f.name, "message": f.message})).collect::<Vec<_>>()}))?
        ),
        None => {
            outln!(
                "No note changed since the last conversion: {} cards.",
                store.cards().len()
            );
            for f in &refresh.failures {
                outln!("  {}", f.message);
            }
        }
    }
    Ok(if failures {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(crate) fn conversion_json(c: &Conversion) -> serde_json::Value {
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
    let chapters = bokseup::deck::chapter_counts(c.cards());
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

pub(crate) fn print_report(c: &Conversion, written: &[String], out: &str) {
    outln!("Notes:");
    for n in &c.notes {
        let kinds: Vec<String> = n
            .kinds
            .iter()
            .map(|(k, v)| format!("{} {v}", k.as_str()))
            .collect();
        outln!(
            "  {} {:<6} {:>4} cards ({}), {} unanswered, {} skipped",
            pad(&n.name, 32),
            n.deck,
            n.kinds.values().sum::<usize>(),
            kinds.join(", "),
            n.unanswered.len(),
            n.skipped.len()
        );
    }
    let table = bokseup::deck::chapter_counts(c.cards());
    outln!("\nChapters:");
    outln!("  {:<7} {:<4} {:<40} {:>5}", "deck", "ch", "title", "cards");
    for ((deck, ch), (title, n)) in &table {
        outln!("  {deck:<7} {ch:<4} {} {n:>5}", pad(title, 40));
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
                notes::text::excerpt(&u.question)
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
        "\nCards: {} new, {} changed, {} kept, {} removed. Decks {} written to {}.",
        c.changes.new.len(),
        c.changes.changed.len(),
        c.changes.kept.len(),
        c.changes.removed.len(),
        written.join(", "),
        out
    );
}
