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
        let en = self.draft.display.language == "en";
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
            ui.separator();
            notes_folder(ui, &mut self.folder_draft, &self.notes, en, cmds);
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
    let t = |ko: &'static str, e: &'static str| if en { e } else { ko };
    ui.heading(t("노트 폴더", "Notes folder"));
    match link {
        Some(l) => {
            ui.label(format!("{} {}", t("지금:", "Now:"), l.source.describe()));
            if let Some(e) = &l.watch_error {
                ui.colored_label(egui::Color32::from_rgb(220, 80, 80), e);
            }
        }
        None => {
            ui.label(t(
                "덱 파일에서 읽는 중입니다 (--decks).",
                "Reading deck files (--decks).",
            ));
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.add(
            egui::TextEdit::singleline(draft)
                .hint_text("~/notes")
                .desired_width(320.0),
        );
        if ui.button(t("이 폴더 사용", "Use this folder")).clicked() {
            let path = std::path::PathBuf::from(draft.trim());
            cmds.push(Command::SetNotesFolder(Some(path)));
        }
        if ui.button(t("폴더 선택…", "Choose…")).clicked() {
            cmds.push(Command::PickNotesFolder);
        }
        if ui.button(t("예제 노트로", "Bundled examples")).clicked() {
            draft.clear();
            cmds.push(Command::SetNotesFolder(None));
        }
    });
    ui.label(
        egui::RichText::new(t(
            "노트를 저장하면 카드가 곧바로 바뀝니다. 카드의 복습 기록은 질문이 같거나 조금 고쳐졌으면 그대로 남습니다.",
            "Saving a note updates its cards at once; a card keeps its history while its question stays the same or is lightly edited.",
        ))
        .weak(),
    );
}
