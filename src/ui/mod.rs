//! The window (egui + eframe). It reads a [`crate::store::Store`] and a
//! [`crate::session::Session`] and sends [`app::Command`]s; it never computes
//! a schedule.

pub mod app;
mod browse;
mod drill;
pub mod fonts;
mod home;
pub mod markdown;
mod review;
mod settings;
mod weak;

use crate::error::StoreError;
use crate::store::Store;
use std::path::Path;

/// Open the window over `store` (or the error that kept it from opening).
pub fn run(store: Result<Store, StoreError>, decks_dir: &Path) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("복습 bokseup")
            .with_inner_size([1100.0, 760.0]),
        ..Default::default()
    };
    let decks = decks_dir.to_path_buf();
    eframe::run_native(
        "bokseup",
        options,
        Box::new(move |cc| {
            Ok(Box::new(app::App::new(
                cc,
                store,
                &decks,
                Box::new(|| chrono::Local::now().fixed_offset()),
            )))
        }),
    )
}
