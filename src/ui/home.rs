//! Home: today's counts per chapter, the review button, streak, key hints.

use super::app::{App, Command};
use super::i18n::L;
use crate::stats;
use std::collections::BTreeMap;

impl App {
    pub(super) fn home(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let now = (self.clock)();
        let Ok(store) = self.store.as_ref() else {
            return;
        };
        let today = store.study_day(now);
        let q = store.queue(today);
        let counts = q.counts();
        let done = store
            .states()
            .values()
            .filter(|s| s.last_day == Some(today))
            .count();
        let unclassified = self.views.unclassified.get(store.cards_revision(), || {
            crate::deck::unclassified(store.cards())
        });
        let streak = self.views.streak.get((store.revision(), today), || {
            stats::streak(store.answers_per_day(), today)
        });
        let mut per: BTreeMap<(String, String), (String, usize, usize, usize)> = BTreeMap::new();
        let cards = store.cards();
        for (list, k) in [(&q.new, 0), (&q.learning, 1), (&q.due, 2)] {
            for &i in list {
                let c = &cards[i];
                let e = per
                    .entry((c.deck.to_string(), c.chapter.to_string()))
                    .or_insert((c.chapter_title.to_string(), 0, 0, 0));
                match k {
                    0 => e.1 += 1,
                    1 => e.2 += 1,
                    _ => e.3 += 1,
                }
            }
        }
        let (l_new, l_lrn, l_due, l_done) = (
            self.tr(L::New),
            self.tr(L::Learning),
            self.tr(L::Due2),
            self.tr(L::Done),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(8.0);
            ui.label(egui::RichText::new(format!("{today}")).weak());
            ui.horizontal(|ui| {
                for (label, n, color) in [
                    (l_new, counts.new, egui::Color32::from_rgb(80, 140, 230)),
                    (l_lrn, counts.learning, egui::Color32::from_rgb(220, 90, 70)),
                    (l_due, counts.due, egui::Color32::from_rgb(70, 170, 90)),
                    (l_done, done, egui::Color32::GRAY),
                ] {
                    ui.vertical(|ui| {
                        ui.label(egui::RichText::new(n.to_string()).size(30.0).color(color));
                        ui.label(label);
                    });
                    ui.add_space(24.0);
                }
            });
            ui.add_space(8.0);
            let label = if counts.total() > 0 {
                format!("{} ({})", self.tr(L::StartReview), counts.total())
            } else {
                self.tr(L::AllDoneForToday).to_string()
            };
            let button = egui::Button::new(egui::RichText::new(label).size(20.0))
                .shortcut_text(self.tr(L::SpaceKey));
            let start = ui.add_enabled(counts.total() > 0, button).clicked()
                || (counts.total() > 0
                    && ui.input(|i| {
                        i.key_pressed(egui::Key::Space) || i.key_pressed(egui::Key::Enter)
                    }));
            if start {
                cmds.push(Command::StartReview);
            }
            ui.add_space(4.0);
            ui.label(format!(
                "{}: {streak}{}",
                self.tr(L::Streak),
                self.tr(L::Days)
            ));
            if unclassified > 0 {
                ui.label(format!(
                    "{unclassified} {}",
                    self.tr(L::CardsAreUnclassified00SetTheir)
                ));
            }
            ui.label(egui::RichText::new(self.tr(L::KeysSpaceEnterReveal1Again)).weak());
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("home-chapters")
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong(self.tr(L::Chapter));
                        ui.strong(l_new);
                        ui.strong(l_lrn);
                        ui.strong(l_due);
                        ui.end_row();
                        for ((deck, ch), (title, n, l, d)) in &per {
                            ui.label(format!("[{deck}] {ch} {title}"));
                            ui.label(n.to_string());
                            ui.label(l.to_string());
                            ui.label(d.to_string());
                            ui.end_row();
                        }
                    });
            });
        });
    }
}
