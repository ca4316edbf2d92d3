//! The window's link to the notes: it watches the notes folder and, when a
//! note is saved, brings the cards in step without disturbing the review
//! in progress, and says what changed. The conversion runs on another
//! thread ([`crate::notes::folder::prepare`]); only setting the new cards
//! in the store ([`crate::notes::folder::finish`]) is done on the frame.

use super::app::App;
use crate::deck::CardId;
use crate::error::StoreError;
use crate::notes::Conversion;
use crate::notes::chapters::Classifier;
use crate::notes::folder::{self, Prepared, Refresh, Source, Watcher};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

/// Where the window's cards come from.
pub struct NotesLink {
    /// The notes.
    pub source: Source,
    /// The course chapter map and its key.
    pub classifier: Arc<Classifier>,
    /// Identifies the chapter map (see [`folder::refresh`]).
    pub key: u64,
    watcher: Option<Watcher>,
    /// Why the folder is not watched, if it is not.
    pub watch_error: Option<String>,
    /// A conversion running on another thread.
    pending: Option<Pending>,
    /// The notes changed since the last conversion started.
    changed: bool,
}

/// A conversion on another thread (it writes the new card files too).
struct Pending {
    result: Receiver<Result<Prepared, StoreError>>,
}

impl NotesLink {
    /// A link to `source`, not watched yet.
    pub fn new(source: Source, classifier: Classifier, key: u64) -> NotesLink {
        NotesLink {
            source,
            classifier: Arc::new(classifier),
            key,
            watcher: None,
            watch_error: None,
            pending: None,
            changed: false,
        }
    }

    /// Start watching a notes folder (once), waking the window on a change.
    fn watch(&mut self, ctx: &egui::Context) {
        let Source::Folder(root) = &self.source else {
            return;
        };
        if self.watcher.is_some() || self.watch_error.is_some() {
            return;
        }
        let ctx = ctx.clone();
        match Watcher::new(root, move || ctx.request_repaint()) {
            Ok(w) => self.watcher = Some(w),
            Err(e) => self.watch_error = Some(e),
        }
    }
}

/// The lines of a change report: counts, then each new question without an
/// answer and each skipped item with its file and line (the first few).
pub fn change_report(c: &Conversion, changed: &[String], removed: &[String], en: bool) -> String {
    let (new, changed_cards, gone) = (
        c.changes.new.len(),
        c.changes.changed.len(),
        c.changes.removed.len(),
    );
    let mut lines = vec![if en {
        format!(
            "Notes changed ({} saved, {} removed): {new} new cards, {changed_cards} changed, {gone} removed (their history is kept).",
            changed.len(),
            removed.len()
        )
    } else {
        format!(
            "노트가 바뀌었습니다 (저장 {}, 삭제 {}): 새 카드 {new}, 바뀐 카드 {changed_cards}, 없어진 카드 {gone} (기록은 남습니다).",
            changed.len(),
            removed.len()
        )
    }];
    const SHOWN: usize = 8;
    let mut details = Vec::new();
    for n in c.notes.iter().filter(|n| changed.contains(&n.name)) {
        for u in &n.unanswered {
            let what = if en { "no answer" } else { "답 없음" };
            details.push(format!(
                "  {}:{}: {what} — {}",
                n.name,
                u.line,
                crate::notes::text::excerpt(&u.question)
            ));
        }
        for s in &n.skipped {
            details.push(format!(
                "  {}:{}: {} — {}",
                n.name, s.line, s.reason, s.text
            ));
        }
    }
    for f in &c.failures {
        details.push(format!("  {}", f.message));
    }
    let more = details.len().saturating_sub(SHOWN);
    lines.extend(details.into_iter().take(SHOWN));
    if more > 0 {
        lines.push(if en {
            format!("  … and {more} more (bokseup convert lists them all)")
        } else {
            format!("  … 외 {more}개 (bokseup convert 로 모두 볼 수 있습니다)")
        });
    }
    lines.join("\n")
}

impl App {
    /// Watch the notes; when one is saved, convert them again on another
    /// thread, and take the new cards once converted.
    pub(super) fn follow_notes(&mut self, ctx: &egui::Context) {
        let Some(link) = self.shared.notes.as_mut() else {
            return;
        };
        link.watch(ctx);
        if link.watcher.as_ref().is_some_and(Watcher::changed) {
            link.changed = true;
        }
        self.take_converted();
        let Some(link) = self.shared.notes.as_mut() else {
            return;
        };
        if link.changed && link.pending.is_none() {
            link.changed = false;
            self.convert_in_background(ctx);
        }
    }

    /// Start converting the notes on another thread, from a copy of the
    /// store's cards.
    fn convert_in_background(&mut self, ctx: &egui::Context) {
        let shared = &mut self.shared;
        let (Some(link), Ok(store)) = (shared.notes.as_mut(), shared.store.as_mut()) else {
            return;
        };
        // Earlier cards are matched by their questions.
        if let Err(e) = store.ensure_texts() {
            shared.error = Some(super::app::explain(&e));
            return;
        }
        let (cards, retired) = (store.shared_cards(), store.retired_cards().to_vec());
        let dir = store.dir().to_path_buf();
        let (source, classifier, key) = (link.source.clone(), link.classifier.clone(), link.key);
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let prepared = folder::prepare(&source, &classifier, key, &dir, &cards, &retired);
            // Let go of the store's cards before it takes the new ones
            // (else it would copy them to change them).
            drop(cards);
            let _ = tx.send(prepared);
            repaint.request_repaint();
        });
        link.pending = Some(Pending { result: rx });
    }

    /// Take a background conversion's cards if it has finished (chapters
    /// set by hand meanwhile are laid over them as over any new cards).
    fn take_converted(&mut self) {
        let shared = &mut self.shared;
        let (Some(link), Ok(store)) = (shared.notes.as_mut(), shared.store.as_mut()) else {
            return;
        };
        let Some(pending) = &link.pending else {
            return;
        };
        let prepared = match pending.result.try_recv() {
            Ok(p) => p,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                link.pending = None;
                return;
            }
        };
        link.pending = None;
        let old: Vec<CardId> = store.cards().iter().map(|c| c.id.clone()).collect();
        let result = prepared.and_then(|p| folder::finish(p, store));
        self.show_refresh(&old, result);
    }

    /// Wait for a conversion running in the background and take its cards:
    /// it writes the card files, so nothing else may write them before.
    fn settle_conversion(&mut self) {
        let Some(pending) = self.shared.notes.as_mut().and_then(|l| l.pending.take()) else {
            return;
        };
        let Ok(prepared) = pending.result.recv() else {
            return;
        };
        let Ok(store) = self.shared.store.as_mut() else {
            return;
        };
        let old: Vec<CardId> = store.cards().iter().map(|c| c.id.clone()).collect();
        let result = prepared.and_then(|p| folder::finish(p, store));
        self.show_refresh(&old, result);
    }

    /// Convert the notes that changed now, on this thread, and follow the
    /// new cards (the session keeps its place; cards that are gone leave
    /// it).
    pub fn reload_notes(&mut self) {
        self.settle_conversion();
        let shared = &mut self.shared;
        let (Some(link), Ok(store)) = (shared.notes.as_ref(), shared.store.as_mut()) else {
            return;
        };
        let old: Vec<CardId> = store.cards().iter().map(|c| c.id.clone()).collect();
        let result = folder::refresh(&link.source, &link.classifier, link.key, store);
        self.show_refresh(&old, result);
    }

    /// Follow what a refresh did: the session keeps its place over the new
    /// cards (`old` are the cards before it), and the change is reported.
    fn show_refresh(&mut self, old: &[CardId], result: Result<Refresh, crate::error::StoreError>) {
        let shared = &mut self.shared;
        let Ok(store) = shared.store.as_ref() else {
            return;
        };
        match result {
            Ok(r) => {
                if let Some(c) = &r.conversion {
                    if let Some(s) = self.review.session.as_mut() {
                        s.remap(|i| old.get(i).and_then(|id| store.card_index(&id.0)));
                    }
                    self.browse.selected = None;
                    let en = shared.settings.display.language == "en";
                    shared
                        .notices
                        .push(change_report(c, &r.changed, &r.removed, en));
                }
            }
            Err(e) => shared.error = Some(super::app::explain(&e)),
        }
    }

    /// Point the window at another notes folder (none: the bundled example
    /// notes): saved in the settings, cards converted, folder watched.
    pub(super) fn set_notes_folder(&mut self, folder: Option<PathBuf>) -> Result<(), String> {
        if let Some(f) = &folder
            && !f.is_dir()
        {
            return Err(format!("{}: not a folder", f.display()));
        }
        let folder = folder.map(|f| f.canonicalize().unwrap_or(f));
        self.settle_conversion();
        let Ok(store) = self.shared.store.as_mut() else {
            return Ok(());
        };
        let mut s = store.settings().clone();
        s.notes_folder = folder.clone();
        store.save_settings(s).map_err(|e| e.to_string())?;
        self.shared.settings.notes_folder = folder.clone();
        let (classifier, key) = folder::chapter_map(folder.as_deref())?;
        let source = folder.map_or(Source::Bundled, Source::Folder);
        self.shared.notes = Some(NotesLink::new(source, classifier, key));
        self.shared.text.notes_root = match &self.shared.notes {
            Some(NotesLink {
                source: Source::Folder(f),
                ..
            }) => f.clone(),
            _ => PathBuf::new(),
        };
        self.reload_notes();
        Ok(())
    }
}
