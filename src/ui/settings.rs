//! Settings: new/day, reviews/day, rollover hour, theme, text size,
//! language; saved atomically to `settings.ron` in the data dir.

use super::app::Command;
use super::i18n::L;
use super::shared::Shared;

/// The settings screen's state: the notes folder as typed, and whether the
/// last change was saved.
#[derive(Default)]
pub struct SettingsScreen {
    pub(super) folder_draft: String,
    pub(super) saved: bool,
}

impl SettingsScreen {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let tr = |l| shared.tr(l);
        let l = (
            tr(L::NewCardsPerDay),
            tr(L::ReviewsPerDay),
            tr(L::DayStartsAtHour),
            tr(L::Theme),
            tr(L::Dark),
            tr(L::Light),
            tr(L::TextSize),
            tr(L::Language),
            tr(L::SavedAlready),
        );
        let applied = tr(L::ChangesApplyAtOnce);
        let stored = shared.store.as_ref().ok().map(|s| s.settings().clone());
        let saved = self.saved;
        let en = shared.english();
        egui::CentralPanel::default().show(ui, |ui| {
            let d = &mut shared.settings;
            egui::Grid::new("settings").num_columns(2).show(ui, |ui| {
                ui.label(l.0);
                ui.add(egui::DragValue::new(&mut d.scheduling.new_per_day).range(0..=9999));
                ui.end_row();
                ui.label(l.1);
                ui.add(egui::DragValue::new(&mut d.scheduling.reviews_per_day).range(0..=99999));
                ui.end_row();
                ui.label(l.2);
                ui.add(egui::DragValue::new(&mut d.scheduling.rollover_hour).range(0..=23));
                ui.end_row();
                ui.label(l.3);
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.display.theme, "dark".to_string(), l.4);
                    ui.radio_value(&mut d.display.theme, "light".to_string(), l.5);
                });
                ui.end_row();
                ui.label(l.6);
                ui.add(egui::Slider::new(&mut d.display.text_scale, 0.8..=1.6));
                ui.end_row();
                ui.label(l.7);
                ui.horizontal(|ui| {
                    ui.radio_value(&mut d.display.language, "ko".to_string(), "한국어");
                    ui.radio_value(&mut d.display.language, "en".to_string(), "English");
                });
                ui.end_row();
            });
            // Changes apply at once, saved atomically (a drag when it ends).
            let changed = Some(&*d) != stored.as_ref();
            if changed && !ui.ctx().egui_is_using_pointer() {
                cmds.push(Command::SaveSettings);
            }
            ui.label(egui::RichText::new(if saved && !changed { l.8 } else { applied }).weak());
            ui.separator();
            notes_folder(ui, &mut self.folder_draft, &shared.notes, en, cmds);
            ui.separator();
            ui.heading(L::SyncFolder.text(en));
            match &shared.sync {
                Some(link) => {
                    ui.label(link.folder.display().to_string());
                    if let Some(e) = &link.watch_error {
                        ui.colored_label(egui::Color32::from_rgb(220, 80, 80), e);
                    }
                }
                None => {
                    ui.label(egui::RichText::new(L::NoSyncFolder.text(en)).weak());
                }
            }
        });
    }
}

/// The notes folder: where it is, and changing it.
fn notes_folder(
    ui: &mut egui::Ui,
    draft: &mut String,
    link: &Option<super::notes_link::NotesLink>,
    en: bool,
    cmds: &mut Vec<Command>,
) {
    let tr = |l: L| l.text(en);
    ui.heading(tr(L::NotesFolder));
    match link {
        Some(l) => {
            ui.label(format!("{} {}", tr(L::Now), l.source.describe()));
            if let Some(e) = &l.watch_error {
                ui.colored_label(egui::Color32::from_rgb(220, 80, 80), e);
            }
        }
        None => {
            ui.label(tr(L::ReadingDeckFilesDecks));
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::TextEdit::singleline(draft)
                .hint_text("~/notes")
                .desired_width(320.0),
        );
        if ui.button(tr(L::UseThisFolder)).clicked() {
            let path = std::path::PathBuf::from(draft.trim());
            cmds.push(Command::SetNotesFolder(Some(path)));
        }
        if ui.button(tr(L::Choose)).clicked() {
            cmds.push(Command::PickNotesFolder);
        }
        if ui.button(tr(L::BundledExamples)).clicked() {
            draft.clear();
            cmds.push(Command::SetNotesFolder(None));
        }
    });
    ui.label(egui::RichText::new(tr(L::SavingANoteUpdatesItsCards)).weak());
}
