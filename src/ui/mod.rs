//! The window (egui + eframe). It reads a [`crate::store::Store`] and a
//! [`crate::session::Session`] and sends [`app::Command`]s; it never computes
//! a schedule.

pub mod app;
mod browse;
mod drill;
pub mod fonts;
mod home;
pub mod i18n;
pub mod markdown;
pub mod notes_link;
mod review;
mod settings;
pub mod shared;
pub mod sync_link;
mod weak;

use crate::error::StoreError;
use crate::store::Store;
use std::path::Path;

/// File in the data dir where the window keeps its layout (panel widths,
/// window size), so it is kept per data dir, under its lock.
pub const WINDOW_STATE: &str = "window.ron";

/// The window's options for the data dir `data_dir`.
pub fn native_options(data_dir: &Path) -> eframe::NativeOptions {
    eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("복습 bokseup")
            .with_inner_size([1100.0, 760.0])
            .with_min_inner_size([640.0, 480.0]),
        persistence_path: Some(data_dir.join(WINDOW_STATE)),
        ..Default::default()
    }
}

/// What the window works on, once opened: the store (or the error that
/// kept it from opening), the notes root images are read from, the notes
/// the cards follow (none when decks were given), and what the start
/// changed, to be said.
pub struct Opened {
    /// The data dir's store.
    pub store: Result<Store, StoreError>,
    /// Images are read from inside it.
    pub notes_root: std::path::PathBuf,
    /// The notes the cards follow while the window is open.
    pub notes: Option<notes_link::NotesLink>,
    /// Said once at the start.
    pub notice: Option<String>,
}

/// Open the window on `data_dir` at once and the data in the background
/// (`open` runs off the UI thread; the window shows that it is loading
/// until it is done).
pub fn run(
    data_dir: &Path,
    open: Box<dyn FnOnce() -> Opened + Send>,
    clock: shared::Clock,
) -> eframe::Result {
    let options = native_options(data_dir);
    eframe::run_native(
        "bokseup",
        options,
        Box::new(move |cc| {
            let (tx, rx) = std::sync::mpsc::channel();
            let repaint = cc.egui_ctx.clone();
            std::thread::spawn(move || {
                // The window may be gone: then nobody waits for this.
                let _ = tx.send(open());
                repaint.request_repaint();
            });
            Ok(Box::new(app::App::loading(cc, rx, clock)))
        }),
    )
}

/// The window's clock: the real one, or (for scripted runs, `--now`) one
/// that starts at `start` and runs on from there at the real pace.
pub fn clock(start: Option<chrono::DateTime<chrono::FixedOffset>>) -> shared::Clock {
    match start {
        None => Box::new(|| chrono::Local::now().fixed_offset()),
        Some(start) => {
            let began = std::time::Instant::now();
            Box::new(move || {
                start + chrono::Duration::from_std(began.elapsed()).unwrap_or_default()
            })
        }
    }
}
