//! The window's link to a sync folder (see [`crate::store::sync`]): it
//! watches the folder, takes in other devices' answers when their files
//! change, and appends this device's new answers to its own file after
//! each change here. A sync that fails is shown; the review goes on.

use super::app::App;
use super::i18n::L;
use crate::notes::folder::Watcher;
use std::path::PathBuf;

/// A sync folder the window follows.
pub struct SyncLink {
    /// The shared folder.
    pub folder: PathBuf,
    watcher: Option<Watcher>,
    /// Why the folder is not watched, if it is not.
    pub watch_error: Option<String>,
    /// The store revision last synced.
    synced: Option<u64>,
}

impl SyncLink {
    /// The sync folder remembered in `data_dir` (none: no sync).
    pub fn remembered(data_dir: &std::path::Path) -> Option<SyncLink> {
        let state = crate::store::sync::read_state(data_dir).ok()?;
        Some(SyncLink {
            folder: state.folder?,
            watcher: None,
            watch_error: None,
            synced: None,
        })
    }
}

impl App {
    /// Sync when another device's file changed or when this device
    /// recorded something since the last sync.
    pub(super) fn follow_sync(&mut self, ctx: &egui::Context) {
        let now = self.shared.now();
        let english = self.shared.english();
        let shared = &mut self.shared;
        let (Some(link), Ok(store)) = (shared.sync.as_mut(), shared.store.as_mut()) else {
            return;
        };
        if link.watcher.is_none() && link.watch_error.is_none() {
            let ctx = ctx.clone();
            match Watcher::new(&link.folder, move || ctx.request_repaint()) {
                Ok(w) => link.watcher = Some(w),
                Err(e) => link.watch_error = Some(e),
            }
        }
        let theirs = link.watcher.as_ref().is_some_and(Watcher::changed);
        let mine = link.synced != Some(store.revision());
        if !(theirs || mine) || store.read_only() {
            return;
        }
        match store.sync(&link.folder, now) {
            Ok(r) => {
                if r.pulled > 0 {
                    shared.notices.push(format!(
                        "{} ({})",
                        L::AnswersFromOtherDevices.text(english),
                        r.pulled
                    ));
                }
            }
            Err(e) => shared.error = Some(super::app::explain(&e)),
        }
        link.synced = Some(store.revision());
    }
}
