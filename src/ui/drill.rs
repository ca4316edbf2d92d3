//! Drill: pick chapters and an order; by default the schedule is not changed.

use super::app::Command;
use super::i18n::L;
use super::shared::Shared;
use crate::readiness::{self, ChapterReadiness};
use crate::session::DrillOrder;
use chrono::{DateTime, FixedOffset, TimeZone};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

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

/// The drill screen's state: the chapters ticked, the order, whether the
/// answers count as reviews, and when the lab is (days from now, hour).
pub struct DrillScreen {
    pick: BTreeSet<(String, String)>,
    pub(super) order: OrderChoice,
    pub(super) count: bool,
    lab_days: i64,
    lab_hour: u32,
}

impl Default for DrillScreen {
    fn default() -> Self {
        DrillScreen {
            pick: BTreeSet::new(),
            order: OrderChoice::default(),
            count: false,
            lab_days: 1,
            lab_hour: 9,
        }
    }
}

/// Chapter readiness for the lab at `lab`, made on another thread for the
/// store's revision, its cards and the lab time: the last made, and whether
/// it is for them (none before the first is made).
fn readiness(
    shared: &mut Shared,
    ctx: &egui::Context,
    lab: DateTime<FixedOffset>,
) -> Option<(Arc<Vec<ChapterReadiness>>, bool)> {
    let now = shared.now();
    let store = shared.store.as_ref().ok()?;
    let key = readiness_key(store, now, lab);
    shared.views.readiness.get(ctx, key, || {
        let cards = store.shared_cards();
        let states = store.shared_states();
        let memory = store.shared_memory();
        move || {
            // The curve is fitted again with every change (tens of ms at
            // 20,000 reviews).
            let curve = readiness::fit(&memory.samples);
            Arc::new(readiness::chapters(
                &cards, &states, &memory, &curve, now, lab,
            ))
        }
    })
}

/// The key readiness for the lab at `lab` is made for, as of `now`.
fn readiness_key(
    store: &crate::store::Store,
    now: DateTime<FixedOffset>,
    lab: DateTime<FixedOffset>,
) -> (u64, u64, i64, i64) {
    (
        store.revision(),
        store.cards_revision(),
        lab.timestamp(),
        now.timestamp() / 900,
    )
}

/// Is readiness for the screen's lab time made for the store as it is now?
/// (It is made on another thread.)
pub(super) fn readiness_ready(screen: &DrillScreen, shared: &Shared) -> bool {
    let now = shared.now();
    let lab = lab_time(now, screen.lab_days, screen.lab_hour);
    shared.store.as_ref().is_ok_and(|store| {
        let key = readiness_key(store, now, lab);
        shared.views.readiness.is_made_for(&key)
    })
}

/// `days` from now at `hour` o'clock, in the clock's time zone.
fn lab_time(now: DateTime<FixedOffset>, days: i64, hour: u32) -> DateTime<FixedOffset> {
    let day = now.date_naive() + chrono::Duration::days(days);
    let at = day.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
    now.offset()
        .from_local_datetime(&at)
        .single()
        .unwrap_or(now)
}

impl DrillScreen {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let chapters = shared.chapter_counts();
        let lab = lab_time(shared.now(), self.lab_days, self.lab_hour);
        let ready = readiness(shared, ui.ctx(), lab);
        // Figures of before a change are shown until the new ones come, but
        // their drill buttons wait for them.
        let fresh = ready.as_ref().is_some_and(|(_, fresh)| *fresh);
        let by_chapter: BTreeMap<(&str, &str), &ChapterReadiness> = ready
            .iter()
            .flat_map(|(r, _)| r.iter())
            .map(|r| ((r.deck.as_str(), r.chapter.as_str()), r))
            .collect();
        let ids = |set: &[usize]| -> Vec<String> {
            shared.store.as_ref().map_or(Vec::new(), |s| {
                set.iter()
                    .filter_map(|&i| s.cards().get(i))
                    .map(|c| c.id.0.to_string())
                    .collect()
            })
        };
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
            ui.horizontal_wrapped(|ui| {
                let at = ui.label(tr(L::LabAt));
                ui.add(egui::DragValue::new(&mut self.lab_days).range(0..=60))
                    .labelled_by(at.id);
                let days = ui.label(tr(L::DaysFromNow));
                ui.add(egui::DragValue::new(&mut self.lab_hour).range(0..=23))
                    .labelled_by(days.id);
                ui.label(tr(L::OClock));
                ui.label(egui::RichText::new(lab.format("(%Y-%m-%d %H:%M)").to_string()).weak());
            });
            let explained = match &ready {
                Some(_) => tr(L::ReadinessExplained),
                None => tr(L::Counting),
            };
            ui.horizontal(|ui| {
                if !fresh {
                    ui.spinner();
                }
                ui.add(egui::Label::new(egui::RichText::new(explained).weak()).wrap());
            });
            ui.separator();
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("drill-chapters")
                    .striped(true)
                    .show(ui, |ui| {
                        for ((deck, ch), (title, count)) in chapters.iter() {
                            let key = (deck.clone(), ch.clone());
                            let mut on = self.pick.contains(&key);
                            if ui
                                .checkbox(&mut on, format!("[{deck}] {ch} {title} ({count})"))
                                .changed()
                            {
                                if on {
                                    self.pick.insert(key.clone());
                                } else {
                                    self.pick.remove(&key);
                                }
                            }
                            match by_chapter.get(&(deck.as_str(), ch.as_str())) {
                                Some(r) => {
                                    ui.label(format!(
                                        "{:.0}% → {:.0}%",
                                        r.now * 100.0,
                                        r.at * 100.0
                                    ));
                                    if r.drill_90.is_none() && r.drill_all.is_empty() {
                                        ui.label(egui::RichText::new(tr(L::OutOfReach)).weak());
                                    } else if r.drill_90.is_none() {
                                        // The most within reach, rounded down
                                        // (89.6 % is not 90 %).
                                        let label = format!(
                                            "{} {:.0}% ({})",
                                            tr(L::DrillAll),
                                            (r.best * 100.0).floor(),
                                            r.drill_all.len()
                                        );
                                        let button = ui
                                            .add_enabled(fresh, egui::Button::new(label))
                                            .on_hover_text(tr(L::NinetyOutOfReach));
                                        if button.clicked() {
                                            cmds.push(Command::StartDrillCards(
                                                key.clone(),
                                                ids(&r.drill_all),
                                            ));
                                        }
                                    }
                                    for (target, set) in [(90, &r.drill_90), (95, &r.drill_95)] {
                                        match set {
                                            Some(set) if set.is_empty() => {
                                                ui.label(format!("≥ {target}%"));
                                            }
                                            Some(set) => {
                                                let label = format!(
                                                    "{} {target}% ({})",
                                                    tr(L::DrillTo),
                                                    set.len()
                                                );
                                                let button = egui::Button::new(label);
                                                if ui.add_enabled(fresh, button).clicked() {
                                                    cmds.push(Command::StartDrillCards(
                                                        key.clone(),
                                                        ids(set),
                                                    ));
                                                }
                                            }
                                            None if target == 95 && r.drill_90.is_some() => {
                                                ui.label(egui::RichText::new("95%: -").weak())
                                                    .on_hover_text(tr(L::OutOfReach));
                                            }
                                            None => {}
                                        }
                                    }
                                }
                                None => {
                                    ui.label("");
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        });
    }
}
