//! Weak topics: chapters ranked by weakness (retention over 30 days, lapses,
//! average ease, leeches); a click drills the chapter. Plots of reviews per
//! day, the 30-day forecast and retention per chapter.

use super::app::Command;
use super::i18n::L;
use super::shared::{Shared, WeakFigures};
use crate::stats;
use egui_plot::{Bar, BarChart, Plot};
use std::sync::Arc;

/// The weak-topics screen (it keeps no state of its own: its figures are
/// made on another thread and kept in [`Shared`], see [`figures_key`]).
pub struct WeakScreen;

impl WeakScreen {
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let now = shared.now();
        let Ok(store) = shared.store.as_ref() else {
            return;
        };
        let today = store.study_day(now);
        let made = shared
            .views
            .weak
            .get(ui.ctx(), figures_key(store, today), || {
                figures_work(store, today)
            });
        let Some((figures, fresh)) = made else {
            let text = shared.tr(L::Counting);
            egui::CentralPanel::default().show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(text);
                });
            });
            return;
        };
        let WeakFigures {
            rows,
            history,
            forecast,
        } = &*figures;
        let tr = |l| shared.tr(l);
        let heads = [
            tr(L::Chapter),
            tr(L::Cards),
            tr(L::Due2),
            tr(L::Retention30d),
            tr(L::Lapses),
            tr(L::AvgEase),
            tr(L::Leeches),
            tr(L::Weakness),
        ];
        let drill_hint = tr(L::ClickAChapterToDrillIt);
        let no_data = tr(L::NoReviewsYet);
        let retention_tip = tr(L::RetentionCountsFirstAnswers);
        let (t_hist, t_fc, t_ret) = (
            tr(L::ReviewsPerDay30Days),
            tr(L::DueInTheNext30Days),
            tr(L::RetentionPerChapter),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(drill_hint).weak());
                    // Figures of before the last change, while the new ones are made.
                    if !fresh {
                        ui.spinner();
                    }
                });
                egui::Grid::new("weak").striped(true).show(ui, |ui| {
                    for (k, h) in heads.iter().enumerate() {
                        let head = ui.strong(*h);
                        if k == 3 {
                            head.on_hover_text(retention_tip);
                        }
                    }
                    ui.end_row();
                    for r in rows {
                        let label = format!("[{}] {} {}", r.deck, r.chapter, r.title);
                        if ui.link(label).clicked() {
                            cmds.push(Command::StartDrill(vec![(
                                r.deck.clone(),
                                r.chapter.clone(),
                            )]));
                        }
                        ui.label(r.cards.to_string());
                        ui.label(r.due.to_string());
                        ui.label(r.retention_30d.map_or("-".into(), |v| {
                            format!("{:.0}% ({})", v * 100.0, r.reviews_30d)
                        }));
                        ui.label(r.lapses.to_string());
                        ui.label(r.avg_ef.map_or("-".into(), |v| format!("{v:.2}")));
                        ui.label(r.leeches.to_string());
                        ui.label(format!("{:.2}", r.weakness));
                        ui.end_row();
                    }
                });
                ui.separator();
                ui.strong(t_hist);
                if history.iter().all(|(_, n)| *n == 0) {
                    ui.label(egui::RichText::new(no_data).weak());
                } else {
                    let bars: Vec<Bar> = history
                        .iter()
                        .enumerate()
                        .map(|(i, (_, n))| Bar::new(i as f64 - 29.0, *n as f64))
                        .collect();
                    bar_plot("history", 0.0)
                        .include_x(-29.5)
                        .include_x(0.5)
                        .show(ui, |p| p.bar_chart(BarChart::new(t_hist, bars)));
                }
                ui.strong(t_fc);
                if forecast.iter().all(|(_, n)| *n == 0) {
                    ui.label(egui::RichText::new(no_data).weak());
                } else {
                    let bars: Vec<Bar> = forecast
                        .iter()
                        .enumerate()
                        .map(|(i, (_, n))| Bar::new(i as f64, *n as f64))
                        .collect();
                    bar_plot("forecast", 0.0)
                        .include_x(-0.5)
                        .include_x(29.5)
                        .show(ui, |p| p.bar_chart(BarChart::new(t_fc, bars)));
                }
                ui.strong(t_ret);
                let reviewed: Vec<&stats::ChapterStats> =
                    rows.iter().filter(|r| r.retention_30d.is_some()).collect();
                if reviewed.is_empty() {
                    ui.label(egui::RichText::new(no_data).weak());
                } else {
                    let names: Vec<String> = reviewed.iter().map(|r| r.chapter.clone()).collect();
                    let bars: Vec<Bar> = reviewed
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            Bar::new(i as f64, r.retention_30d.unwrap_or(0.0) * 100.0)
                                .name(format!("[{}] {} {}", r.deck, r.chapter, r.title))
                        })
                        .collect();
                    // Each bar is labelled with its chapter below it.
                    bar_plot("retention", 100.0)
                        .include_x(-0.5)
                        .include_x(names.len() as f64 - 0.5)
                        .x_axis_formatter(move |mark, _| {
                            let i = mark.value.round();
                            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                                names.get(i as usize).cloned().unwrap_or_default()
                            } else {
                                String::new()
                            }
                        })
                        .show(ui, |p| p.bar_chart(BarChart::new(t_ret, bars)));
                }
            });
        });
    }
}

/// What the figures are made for: the store's events and states
/// (revision), its cards (cards revision) and the study day.
pub(super) fn figures_key(store: &crate::store::Store, today: chrono::NaiveDate) -> WeakKey {
    (store.revision(), store.cards_revision(), today)
}

/// See [`figures_key`].
pub(super) type WeakKey = (u64, u64, chrono::NaiveDate);

/// What the figures are made from, taken without a copy, and the work of
/// making them (on another thread, which reads the journal's tail of the
/// last 30 days: the whole history is not needed).
fn figures_work(
    store: &crate::store::Store,
    today: chrono::NaiveDate,
) -> impl FnOnce() -> Arc<WeakFigures> + Send + 'static {
    let cards = store.shared_cards();
    let states = store.shared_states();
    let tail = store.history_since(stats::retention_from(today));
    let sched = store.settings().scheduling.clone();
    let history = stats::reviews_per_day(store.answers_per_day(), today, 30);
    move || {
        // A journal that cannot be read here counts nothing (opening it
        // again reports why).
        let events = tail.and_then(|t| t.read().ok()).unwrap_or_default();
        Arc::new(WeakFigures {
            rows: stats::chapters(&cards, &states, &events, today, &sched),
            history,
            forecast: stats::forecast(&states, today),
        })
    }
}

/// A fixed (no drag, zoom or scroll) bar plot whose y axis reaches at least `y_max`.
fn bar_plot(id: &str, y_max: f64) -> Plot<'_> {
    Plot::new(id)
        .height(140.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(y_max)
}
