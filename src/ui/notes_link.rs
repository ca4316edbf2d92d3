//! The window's link to the notes: it watches the notes folder and, when a
//! note is saved, brings the cards in step (through
//! [`crate::notes::folder::refresh`]) without disturbing the review in
//! progress, and says what changed.

use super::app::App;
use crate::deck::CardId;
use crate::notes::Conversion;
use crate::notes::chapters::Classifier;
use crate::notes::folder::{self, Source, Watcher};
use std::path::PathBuf;

/// Where the window's cards come from.
pub struct NotesLink {
    /// The notes.
    pub source: Source,
    /// The course chapter map and its key.
    pub classifier: Classifier,
    /// Identifies the chapter map (see [`folder::refresh`]).
    pub key: u64,
    watcher: Option<Watcher>,
    /// Why the folder is not watched, if it is not.
    pub watch_error: Option<String>,
}

impl NotesLink {
    /// A link to `source`, not watched yet.
    pub fn new(source: Source, classifier: Classifier, key: u64) -> NotesLink {
        NotesLink {
            source,
            classifier,
            key,
            watcher: None,
            watch_error: None,
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
    /// Watch the notes and convert them again when one is saved.
    pub(super) fn follow_notes(&mut self, ctx: &egui::Context) {
        let Some(link) = self.shared.notes.as_mut() else {
            return;
        };
        link.watch(ctx);
        if link.watcher.as_ref().is_some_and(Watcher::changed) {
            self.reload_notes();
        }
    }

    /// Convert the notes that changed and follow the new cards (the session
    /// keeps its place; cards that are gone leave it).
    pub fn reload_notes(&mut self) {
        let shared = &mut self.shared;
        let (Some(link), Ok(store)) = (shared.notes.as_ref(), shared.store.as_mut()) else {
            return;
        };
        let old: Vec<CardId> = store.cards().iter().map(|c| c.id.clone()).collect();
        match folder::refresh(&link.source, &link.classifier, link.key, store) {
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
