//! Drill: pick chapters and an order; by default the schedule is not changed.

use super::app::Command;
use super::i18n::L;
use super::shared::Shared;
use crate::session::DrillOrder;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeSet;

/// Drill order as chosen in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderChoice {
    /// Weakest first.
    #[default]
    Weakest,
    /// Note order.
    Note,
    /// Random.
    Random,
}

impl OrderChoice {
    /// The session's order (a random one seeded by the time it starts).
    pub fn to_session(self, now: DateTime<FixedOffset>) -> DrillOrder {
        match self {
            OrderChoice::Weakest => DrillOrder::WeakestFirst,
            OrderChoice::Note => DrillOrder::NoteOrder,
            OrderChoice::Random => DrillOrder::Random(now.timestamp() as u64),
        }
    }
}

/// The drill screen's state: the chapters ticked, the order, and whether
/// the answers count as reviews.
#[derive(Default)]
pub struct DrillScreen {
    pick: BTreeSet<(String, String)>,
    pub(super) order: OrderChoice,
    pub(super) count: bool,
}

impl DrillScreen {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let chapters = shared.chapter_counts();
        let tr = |l| shared.tr(l);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(tr(L::PickChaptersToDrill));
            ui.horizontal_wrapped(|ui| {
                ui.radio_value(&mut self.order, OrderChoice::Weakest, tr(L::WeakestFirst));
                ui.radio_value(&mut self.order, OrderChoice::Note, tr(L::NoteOrder));
                ui.radio_value(&mut self.order, OrderChoice::Random, tr(L::Random));
            });
            ui.checkbox(&mut self.count, tr(L::CountAsReviewsChangesTheSM));
            // One line either way, so the list below does not jump.
            let hint = if self.count {
                tr(L::DrillAnswersChangeTheSchedule)
            } else {
                tr(L::ByDefaultTheScheduleIsNot)
            };
            ui.add(egui::Label::new(egui::RichText::new(hint).weak()).truncate());
            let picked: Vec<(String, String)> = self.pick.iter().cloned().collect();
            let n: usize = picked
                .iter()
                .filter_map(|k| chapters.get(k))
                .map(|v| v.1)
                .sum();
            let start = egui::Button::new(format!("{} ({n})", tr(L::StartDrill)));
            if ui.add_enabled(!picked.is_empty(), start).clicked() {
                cmds.push(Command::StartDrill(picked));
            }
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                for ((deck, ch), (title, count)) in chapters.iter() {
                    let key = (deck.clone(), ch.clone());
                    let mut on = self.pick.contains(&key);
                    if ui
                        .checkbox(&mut on, format!("[{deck}] {ch} {title} ({count})"))
                        .changed()
                    {
                        if on {
                            self.pick.insert(key);
                        } else {
                            self.pick.remove(&key);
                        }
                    }
                }
            });
        });
    }
}
