//! Home: today's counts per chapter, the review button, streak, key hints.

use super::app::Command;
use super::i18n::L;
use super::shared::Shared;
use crate::schedule::queue::Counts as QueueCounts;
use crate::stats;
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The home screen (it keeps no state of its own).
pub struct HomeScreen;

/// Today's queue as Home shows it: counts in all, cards answered today, and
/// (new, learning, due) per (deck, chapter) with the chapter's title.
pub(super) struct Today {
    counts: QueueCounts,
    done: usize,
    per: BTreeMap<(String, String), (String, usize, usize, usize)>,
}

impl Today {
    fn of(store: &Store, today: NaiveDate) -> Today {
        let q = store.queue(today);
        let done = store
            .states()
            .values()
            .filter(|s| s.last_day == Some(today))
            .count();
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
        Today {
            counts: q.counts(),
            done,
            per,
        }
    }
}

impl HomeScreen {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let now = shared.now();
        let Ok(store) = shared.store.as_ref() else {
            return;
        };
        let today = store.study_day(now);
        // Made again only after an answer, an undo or a new study day.
        let figures = shared.views.today.get((store.revision(), today), || {
            Rc::new(Today::of(store, today))
        });
        let Today { counts, done, per } = &*figures;
        let (counts, done) = (*counts, *done);
        let unclassified = shared.views.unclassified.get(store.cards_revision(), || {
            crate::deck::unclassified(store.cards())
        });
        let streak = shared.views.streak.get((store.revision(), today), || {
            stats::streak(store.answers_per_day(), today)
        });
        let tr = |l| shared.tr(l);
        let (l_new, l_lrn, l_due, l_done) = (tr(L::New), tr(L::Learning), tr(L::Due2), tr(L::Done));
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
                format!("{} ({})", tr(L::StartReview), counts.total())
            } else {
                tr(L::AllDoneForToday).to_string()
            };
            let button = egui::Button::new(egui::RichText::new(label).size(20.0))
                .shortcut_text(tr(L::SpaceKey));
            let start = ui.add_enabled(counts.total() > 0, button).clicked()
                || (counts.total() > 0
                    && ui.input(|i| {
                        i.key_pressed(egui::Key::Space) || i.key_pressed(egui::Key::Enter)
                    }));
            if start {
                cmds.push(Command::StartReview);
            }
            ui.add_space(4.0);
            ui.label(format!("{}: {streak}{}", tr(L::Streak), tr(L::Days)));
            if unclassified > 0 {
                ui.label(format!(
                    "{unclassified} {}",
                    tr(L::CardsAreUnclassified00SetTheir)
                ));
            }
            ui.label(egui::RichText::new(tr(L::KeysSpaceEnterReveal1Again)).weak());
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("home-chapters")
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong(tr(L::Chapter));
                        ui.strong(l_new);
                        ui.strong(l_lrn);
                        ui.strong(l_due);
                        ui.end_row();
                        for ((deck, ch), (title, n, l, d)) in per {
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
