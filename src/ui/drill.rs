//! Drill: pick chapters and an order; by default the schedule is not changed.

use super::app::{App, Command, OrderChoice};

impl App {
    pub(super) fn drill(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let chapters = self.chapter_counts();
        let labels = (
            self.t("연습할 챕터를 고르세요", "Pick chapters to drill"),
            self.t("약한 카드부터", "Weakest first"),
            self.t("노트 순서", "Note order"),
            self.t("무작위", "Random"),
            self.t(
                "복습으로 기록 (SM-2 일정 변경)",
                "Count as reviews (changes the SM-2 schedule)",
            ),
            self.t(
                "기본: 복습 일정은 바뀌지 않습니다",
                "By default the schedule is not changed",
            ),
            self.t("연습 시작", "Start drill"),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(labels.0);
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.drill_order, OrderChoice::Weakest, labels.1);
                ui.radio_value(&mut self.drill_order, OrderChoice::Note, labels.2);
                ui.radio_value(&mut self.drill_order, OrderChoice::Random, labels.3);
            });
            ui.checkbox(&mut self.drill_count, labels.4);
            if !self.drill_count {
                ui.label(egui::RichText::new(labels.5).weak());
            }
            let picked: Vec<(String, String)> = self.drill_pick.iter().cloned().collect();
            let n: usize = picked
                .iter()
                .filter_map(|k| chapters.get(k))
                .map(|v| v.1)
                .sum();
            if ui
                .add_enabled(
                    !picked.is_empty(),
                    egui::Button::new(format!("{} ({n})", labels.6)),
                )
                .clicked()
            {
                cmds.push(Command::StartDrill(picked));
            }
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for ((deck, ch), (title, count)) in chapters.iter() {
                    let key = (deck.clone(), ch.clone());
                    let mut on = self.drill_pick.contains(&key);
                    if ui
                        .checkbox(&mut on, format!("[{deck}] {ch} {title} ({count})"))
                        .changed()
                    {
                        if on {
                            self.drill_pick.insert(key);
                        } else {
                            self.drill_pick.remove(&key);
                        }
                    }
                }
            });
        });
    }
}
