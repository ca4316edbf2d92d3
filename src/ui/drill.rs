//! Drill: pick chapters and an order; by default the schedule is not changed.

use super::app::{App, Command, OrderChoice};
use super::i18n::L;

impl App {
    pub(super) fn drill(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let chapters = self.chapter_counts();
        let labels = (
            self.tr(L::PickChaptersToDrill),
            self.tr(L::WeakestFirst),
            self.tr(L::NoteOrder),
            self.tr(L::Random),
            self.tr(L::CountAsReviewsChangesTheSM),
            self.tr(L::ByDefaultTheScheduleIsNot),
            self.tr(L::StartDrill),
            self.tr(L::DrillAnswersChangeTheSchedule),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(labels.0);
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.drill_order, OrderChoice::Weakest, labels.1);
                ui.radio_value(&mut self.drill_order, OrderChoice::Note, labels.2);
                ui.radio_value(&mut self.drill_order, OrderChoice::Random, labels.3);
            });
            ui.checkbox(&mut self.drill_count, labels.4);
            // One line either way, so the list below does not jump.
            ui.label(
                egui::RichText::new(if self.drill_count { labels.7 } else { labels.5 }).weak(),
            );
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
