//! Moving reviews between places: `export` (Anki), `sync` (a shared folder), `merge` (a journal file).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::ctx::Ctx;

pub(crate) fn export_cmd(ctx: &Ctx, out: &Path, chapters: Vec<String>) -> Result<ExitCode> {
    let mut store = ctx.open_read_only()?;
    store.ensure_texts()?;
    let folder = if ctx.decks.is_some() {
        None
    } else {
        ctx.notes
            .clone()
            .or_else(|| store.settings().notes_folder.clone())
    };
    let choice = bokseup::export::Choice { chapters };
    let e = bokseup::export::export_apkg(&store, folder.as_deref(), &choice, ctx.now()?, out)?;
    if e.notes == 0 {
        eprintln!("warning: no card matched; the package is empty");
    }
    outln!(
        "wrote {}: {} notes ({} reviewed, {} new, {} suspended) in {} decks, {} images",
        out.display(),
        e.notes,
        e.reviewed,
        e.new,
        e.suspended,
        e.decks,
        e.media
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn sync_cmd(ctx: &Ctx, folder: Option<PathBuf>) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let folder = match folder {
        Some(f) => f,
        None => bokseup::store::sync::read_state(store.dir())?
            .folder
            .context("no sync folder yet: bokseup sync FOLDER")?,
    };
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    let r = store.sync(&folder, ctx.now()?)?;
    outln!(
        "synced with {}: {} events taken from {} files, {} lines added to {}",
        folder.display(),
        r.pulled,
        r.read,
        r.pushed,
        r.own_file.display()
    );
    for p in &r.incomplete {
        outln!(
            "  {}: ends in an incomplete line (still syncing?); read again next time",
            p.display()
        );
    }
    for (p, s) in &r.skipped {
        outln!("  {}:{}: {}", p.display(), s.line, s.reason);
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn merge_cmd(ctx: &Ctx, other: &Path) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let r = store.merge(other, ctx.now()?)?;
    outln!(
        "merged {}: {} new events, {} already known, {} lines skipped, {} conflicting ids",
        other.display(),
        r.added,
        r.known,
        r.skipped.len(),
        r.conflicts.len()
    );
    for s in r.skipped.iter().chain(&r.conflicts) {
        outln!("  {}:{}: {}", other.display(), s.line, s.reason);
    }
    Ok(ExitCode::SUCCESS)
}
