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

/// Open the window over `store` (or the error that kept it from opening);
/// images are read from inside `notes_root`; with `notes`, the cards
/// follow the notes while the window is open.
pub fn run(
    store: Result<Store, StoreError>,
    data_dir: &Path,
    notes_root: &Path,
    notes: Option<notes_link::NotesLink>,
    clock: app::Clock,
    notice: Option<String>,
) -> eframe::Result {
    let options = native_options(data_dir);
    let root = notes_root.to_path_buf();
    eframe::run_native(
        "bokseup",
        options,
        Box::new(move |cc| {
            let mut app = app::App::new(cc, store, &root, clock);
            app.notices.extend(notice);
            Ok(Box::new(match notes {
                Some(link) => app.with_notes(link),
                None => app,
            }))
        }),
    )
}

/// The window's clock: the real one, or (for scripted runs, `--now`) one
/// that starts at `start` and runs on from there at the real pace.
pub fn clock(start: Option<chrono::DateTime<chrono::FixedOffset>>) -> app::Clock {
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
