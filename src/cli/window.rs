//! The window, and the hidden answering loop the crash tests kill.

use anyhow::Result;
use bokseup::notes::folder::Source;
use bokseup::schedule::Grade;
use bokseup::session::Session;
use std::process::ExitCode;

use super::convert::classifier_in;
use super::ctx::Ctx;

/// Answer cards in a loop (grades cycle Good, Again, Easy, Hard), printing
/// `ack <event id>` after each answer is durable; with `cache_each`,
/// the cache is written after every answer too.
pub(crate) fn review_loop(ctx: &Ctx, count: u64, cache_each: bool) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let mut now = ctx.now()?;
    let grades = [Grade::Good, Grade::Again, Grade::Easy, Grade::Hard];
    let mut n = 0u64;
    while n < count {
        let mut session = Session::review(&store, now);
        if session.is_done() {
            // Nothing due: move the clock a day on.
            now += chrono::Duration::days(1);
            continue;
        }
        while let Some(card) = session.current() {
            if n >= count {
                break;
            }
            let g = grades[(n % 4) as usize];
            session.answer(&mut store, g, now)?;
            n += 1;
            let id = store
                .last_recorded()
                .map(|e| e.id().to_string())
                .unwrap_or_default();
            outln!("ack {id} {}", store.cards()[card].id);
            if cache_each {
                store.save_cache()?;
            }
            now += chrono::Duration::seconds(5);
        }
    }
    store.save_cache()?;
    Ok(ExitCode::SUCCESS)
}

/// The window, on the data dir and the notes: drawn at once, the data
/// opened in the background. Errors opening the data are shown in the
/// window, which then writes nothing.
pub(crate) fn window(ctx: &Ctx) -> Result<ExitCode> {
    let dir = ctx.dir()?;
    let clock = bokseup::ui::clock(ctx.now.as_ref().map(|_| ctx.now()).transpose()?);
    let ctx = ctx.clone();
    let open = Box::new(move || open_for_window(&ctx));
    bokseup::ui::run(&dir, open, clock).map_err(|e| anyhow::anyhow!("window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Open the data dir and bring its cards in step with the notes, for the
/// window: the store (or why it did not open), the notes it follows, and
/// what the start changed.
pub(crate) fn open_for_window(ctx: &Ctx) -> bokseup::ui::Opened {
    let as_store_error = |e: anyhow::Error| match e.downcast::<bokseup::error::StoreError>() {
        Ok(se) => se,
        Err(other) => bokseup::error::StoreError::Io {
            path: ctx.dir().unwrap_or_default(),
            source: std::io::Error::other(other.to_string()),
        },
    };
    let opened = ctx.open_with_notes(super::ctx::Access::Write);
    // What the start's conversion changed, to be said in the window.
    let notice = match &opened {
        Ok((_, Some(r))) => r.conversion.as_ref().and_then(|c| {
            let changes = &c.changes;
            let anything = !changes.new.is_empty()
                || !changes.changed.is_empty()
                || !changes.removed.is_empty();
            (anything && !r.changed.is_empty() && r.changed.len() < c.notes.len()
                || !changes.removed.is_empty())
            .then(|| bokseup::ui::notes_link::change_report(c, &r.changed, &r.removed, false))
        }),
        _ => None,
    };
    let store = opened.map(|(s, _)| s);
    let folder = match (&ctx.decks, &ctx.notes) {
        (Some(_), _) => None,
        (None, Some(n)) => Some(n.clone()),
        (None, None) => store
            .as_ref()
            .ok()
            .and_then(|s| s.settings().notes_folder.clone()),
    };
    let notes_root = ctx
        .decks
        .clone()
        .or_else(|| folder.clone())
        .unwrap_or_default();
    let notes = if ctx.decks.is_some() {
        Ok(None)
    } else {
        classifier_in(folder.as_deref()).map(|(classifier, key)| {
            let source = folder.map_or(Source::Bundled, Source::Folder);
            Some(bokseup::ui::notes_link::NotesLink::new(
                source, classifier, key,
            ))
        })
    };
    let (store, notes) = match (store, notes) {
        (Ok(store), Ok(notes)) => (Ok(store), notes),
        (Err(e), _) | (Ok(_), Err(e)) => (Err(as_store_error(e)), None),
    };
    bokseup::ui::Opened {
        store,
        notes_root,
        notes,
        notice,
    }
}
