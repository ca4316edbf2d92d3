//! Review: question, answer on Space/Enter, four grade buttons labelled with
//! their next interval (keys 1–4), Ctrl+Z undo, progress, summary.

use super::app::{App, Command, Screen};
use crate::schedule::{self, Grade};
use crate::session::Kind;
use egui::Key;

impl App {
    fn keys(&self, ui: &egui::Ui, revealed: bool, cmds: &mut Vec<Command>) {
        ui.input(|i| {
            if i.modifiers.command && i.key_pressed(Key::Z) {
                cmds.push(Command::Undo);
                return;
            }
            if !revealed && (i.key_pressed(Key::Space) || i.key_pressed(Key::Enter)) {
                cmds.push(Command::Reveal);
            }
            if revealed {
                for (k, g) in [
                    (Key::Num1, Grade::Again),
                    (Key::Num2, Grade::Hard),
                    (Key::Num3, Grade::Good),
                    (Key::Num4, Grade::Easy),
                ] {
                    if i.key_pressed(k) {
                        cmds.push(Command::Answer(g));
                    }
                }
            }
        });
    }

    pub(super) fn review(&mut self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let now = (self.clock)();
        let (Ok(store), Some(session)) = (self.store.as_ref(), self.session.as_ref()) else {
            cmds.push(Command::Go(Screen::Home));
            return;
        };
        let revealed = session.revealed();
        self.keys(ui, revealed, cmds);
        let progress = session.progress();
        let drill = matches!(session.kind(), Kind::Drill { .. });
        let counted = matches!(
            session.kind(),
            Kind::Drill {
                count_as_review: true,
                ..
            }
        );
        let Some(idx) = session.current() else {
            let s = session.summary();
            let can_undo = session.can_undo();
            let title = self.t("세션 끝", "Session complete");
            let names = Grade::ALL.map(|g| self.grade_name(g));
            let (home, undo) = (self.t("홈으로", "Home"), self.t("되돌리기", "Undo"));
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading(title);
                ui.label(format!(
                    "{} {}",
                    s.cards,
                    self.t("장 / 답변", "cards / answers")
                ));
                for (n, name) in s.grades.iter().zip(names) {
                    ui.label(format!("{name}: {n}"));
                }
                ui.horizontal(|ui| {
                    if ui.button(home).clicked() {
                        cmds.push(Command::Go(Screen::Home));
                    }
                    if can_undo && ui.button(undo).clicked() {
                        cmds.push(Command::Undo);
                    }
                });
            });
            return;
        };
        let card = store.cards()[idx].clone();
        let today = store.study_day(now);
        let before = store.state(&card.id.0).cloned().unwrap_or_default();
        let next = store.next_states(&card.id.0, now);
        let names = Grade::ALL.map(|g| self.grade_name(g));
        let total = progress.answered + progress.remaining;
        egui::Panel::top("progress").show(ui, |ui| {
            let frac = if total == 0 {
                1.0
            } else {
                progress.answered as f32 / total as f32
            };
            ui.add(egui::ProgressBar::new(frac).text(format!("{} / {total}", progress.answered)));
            if drill {
                ui.label(if counted {
                    self.t(
                        "챕터 연습 — 복습으로 기록됨 (일정이 바뀝니다)",
                        "Drill — counted as reviews",
                    )
                } else {
                    self.t(
                        "챕터 연습 — 복습 일정은 바뀌지 않습니다",
                        "Drill — the schedule is not changed",
                    )
                });
            }
        });
        egui::Panel::bottom("grades").show(ui, |ui| {
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if revealed {
                    for (k, (g, name)) in Grade::ALL.iter().zip(names).enumerate() {
                        let label = if drill && !counted {
                            name.to_string()
                        } else {
                            format!(
                                "{name} {}",
                                schedule::interval_label(&before, &next[k], today)
                            )
                        };
                        let b = egui::Button::new(egui::RichText::new(label).size(18.0))
                            .min_size(egui::vec2(120.0, 40.0));
                        if ui.add(b).on_hover_text(format!("{}", k + 1)).clicked() {
                            cmds.push(Command::Answer(*g));
                        }
                    }
                } else {
                    let b = egui::Button::new(
                        egui::RichText::new(self.t("답 보기 (Space)", "Show answer (Space)"))
                            .size(18.0),
                    )
                    .min_size(egui::vec2(200.0, 40.0));
                    if ui.add(b).clicked() {
                        cmds.push(Command::Reveal);
                    }
                }
                if session.can_undo()
                    && ui
                        .button(self.t("되돌리기 (Ctrl+Z)", "Undo (Ctrl+Z)"))
                        .clicked()
                {
                    cmds.push(Command::Undo);
                }
            });
            ui.add_space(6.0);
        });
        let src = card
            .sources
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let file = card
            .sources
            .first()
            .map(|s| s.file.clone())
            .unwrap_or_default();
        let header = format!(
            "[{}] {} {} · {} · {src}",
            card.deck,
            card.chapter,
            card.chapter_title,
            card.section.join(" › ")
        );
        let header = self.shown(ui.ctx(), &header);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.label(egui::RichText::new(header).small().weak());
                    if before.leech {
                        ui.colored_label(
                            egui::Color32::from_rgb(220, 80, 80),
                            self.t("거머리 카드 (자주 잊음)", "Leech"),
                        );
                    }
                    ui.add_space(6.0);
                    self.markdown(ui, &format!("q-{}", card.id), &card.question, &file, 22.0);
                    if revealed {
                        ui.separator();
                        self.markdown(ui, &format!("a-{}", card.id), &card.answer, &file, 17.0);
                    }
                });
        });
    }
}
