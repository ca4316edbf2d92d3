//! Settings: new/day, reviews/day, rollover hour, theme, text size,
//! language; saved atomically to `settings.ron` in the data dir.

use super::app::{App, Command};

impl App {
    pub(super) fn settings(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let l = (
            self.t("하루 새 카드", "New cards per day"),
            self.t("하루 복습 한도", "Reviews per day"),
            self.t("하루 시작 시각", "Day starts at (hour)"),
            self.t("테마", "Theme"),
            self.t("어둡게", "Dark"),
            self.t("밝게", "Light"),
            self.t("글자 크기", "Text size"),
            self.t("언어", "Language"),
            self.t("저장", "Save"),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            let d = &mut self.draft;
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
            if ui.button(l.8).clicked() {
                cmds.push(Command::SaveSettings);
            }
        });
    }
}
