//! Weak topics: chapters ranked by weakness (retention over 30 days, lapses,
//! average ease, leeches); a click drills the chapter. Plots of reviews per
//! day, the 30-day forecast and retention per chapter.

use super::app::{App, Command, WeakFigures};
use crate::stats;
use egui_plot::{Bar, BarChart, Plot};
use std::rc::Rc;

impl App {
    pub(super) fn weak(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let now = (self.clock)();
        let Ok(store) = self.store.as_ref() else {
            return;
        };
        let today = store.study_day(now);
        let figures = self.views.weak.get((store.revision(), today), || {
            let sched = &store.settings().scheduling;
            Rc::new(WeakFigures {
                rows: stats::chapters(store.cards(), store.states(), store.events(), today, sched),
                history: stats::reviews_per_day(store.events(), today, 30, sched),
                forecast: stats::forecast(store.states(), today),
            })
        });
        let WeakFigures {
            rows,
            history,
            forecast,
        } = &*figures;
        let heads = [
            self.t("챕터", "Chapter"),
            self.t("카드", "Cards"),
            self.t("복습", "Due"),
            self.t("기억률(30일)", "Retention 30d"),
            self.t("잊음", "Lapses"),
            self.t("평균 난이도", "Avg ease"),
            self.t("거머리", "Leeches"),
            self.t("약함", "Weakness"),
        ];
        let drill_hint = self.t(
            "챕터를 누르면 바로 연습합니다",
            "Click a chapter to drill it",
        );
        let (t_hist, t_fc, t_ret) = (
            self.t("하루 복습 수 (30일)", "Reviews per day (30 days)"),
            self.t("앞으로 30일 복습 예정", "Due in the next 30 days"),
            self.t("챕터별 기억률", "Retention per chapter"),
        );
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.label(egui::RichText::new(drill_hint).weak());
                egui::Grid::new("weak").striped(true).show(ui, |ui| {
                    for h in heads {
                        ui.strong(h);
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
                let bars: Vec<Bar> = history
                    .iter()
                    .enumerate()
                    .map(|(i, (_, n))| Bar::new(i as f64 - 29.0, *n as f64))
                    .collect();
                bar_plot("history", 0.0).show(ui, |p| p.bar_chart(BarChart::new(t_hist, bars)));
                ui.strong(t_fc);
                let bars: Vec<Bar> = forecast
                    .iter()
                    .enumerate()
                    .map(|(i, (_, n))| Bar::new(i as f64, *n as f64))
                    .collect();
                bar_plot("forecast", 0.0).show(ui, |p| p.bar_chart(BarChart::new(t_fc, bars)));
                ui.strong(t_ret);
                let bars: Vec<Bar> = rows
                    .iter()
                    .filter(|r| r.retention_30d.is_some())
                    .enumerate()
                    .map(|(i, r)| {
                        Bar::new(i as f64, r.retention_30d.unwrap_or(0.0) * 100.0)
                            .name(format!("[{}] {}", r.deck, r.chapter))
                    })
                    .collect();
                bar_plot("retention", 100.0).show(ui, |p| p.bar_chart(BarChart::new(t_ret, bars)));
            });
        });
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
