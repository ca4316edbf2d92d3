//! Review: question, answer on Space/Enter, four grade buttons labelled with
//! their next interval (keys 1–4), Ctrl+Z undo, progress, summary.

use super::app::{Command, Screen};
use super::i18n::L;
use super::shared::Shared;
use crate::deck::Card;
use crate::schedule::{self, Grade};
use crate::session::{Kind, Session};
use egui::Key;
use std::rc::Rc;

/// The review screen's state: the session, how the card is scrolled, and
/// the card shown (copied out of the store once, not every frame).
#[derive(Default)]
pub struct ReviewScreen {
    pub(super) session: Option<Session>,
    scroll: Scroll,
    /// The card shown: its index, the store's cards revision, the card.
    card: Option<(usize, u64, Rc<Card>)>,
}

impl ReviewScreen {
    /// Keys of the review screen: Space/Enter reveal (and Space then
    /// scrolls a long answer a page at a time), 1–4 answer, Ctrl+Z undoes,
    /// PageUp/PageDown, arrows and j/k scroll.
    fn keys(&self, ui: &egui::Ui, revealed: bool, cmds: &mut Vec<Command>) -> f32 {
        let page = (self.scroll.page - LINE_STEP).max(LINE_STEP);
        let mut delta = 0.0;
        if super::shared::undo_pressed(ui) {
            cmds.push(Command::Undo);
            return delta;
        }
        ui.input(|i| {
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
                if i.key_pressed(Key::Space) {
                    delta += page;
                }
            }
            for (k, d) in [
                (Key::PageDown, page),
                (Key::PageUp, -page),
                (Key::ArrowDown, LINE_STEP),
                (Key::ArrowUp, -LINE_STEP),
                (Key::J, LINE_STEP),
                (Key::K, -LINE_STEP),
            ] {
                if i.key_pressed(k) {
                    delta += d;
                }
            }
        });
        delta
    }

    /// How far the card is scrolled (for tests and the keys above).
    pub(super) fn scroll_offset(&self) -> f32 {
        self.scroll.offset
    }

    /// The card at `idx`, copied out of the store when it changed.
    fn card(&mut self, store: &crate::store::Store, idx: usize) -> Rc<Card> {
        let revision = store.cards_revision();
        match &self.card {
            Some((i, r, c)) if *i == idx && *r == revision => c.clone(),
            _ => {
                let c = Rc::new(store.cards()[idx].clone());
                self.card = Some((idx, revision, c.clone()));
                c
            }
        }
    }

    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let now = shared.now();
        let (Ok(store), Some(session)) = (shared.store.as_ref(), self.session.as_ref()) else {
            cmds.push(Command::Go(Screen::Home));
            return;
        };
        let revealed = session.revealed();
        let delta = self.keys(ui, revealed, cmds);
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
            let english = shared.english();
            let title = shared.tr(L::SessionComplete);
            let names = Grade::ALL.map(|g| shared.grade_name(g));
            let (home, undo) = (shared.tr(L::Home2), shared.tr(L::Undo2));
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading(title);
                let answers: usize = s.grades.iter().sum();
                ui.label(if english {
                    format!("{} cards, {answers} answers", s.cards)
                } else {
                    format!("카드 {}장, 답 {answers}번", s.cards)
                });
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
        let can_undo = session.can_undo();
        let card = self.card(store, idx);
        let today = store.study_day(now);
        let leech = store.state(&card.id.0).is_some_and(|s| s.leech);
        let next = store.next_states(&card.id.0, now);
        let names = Grade::ALL.map(|g| shared.grade_name(g));
        let english = shared.english();
        let tr = |l| shared.tr(l);
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
                    tr(L::DrillCountedAsReviews)
                } else {
                    tr(L::DrillTheScheduleIsNotChanged)
                });
            }
        });
        egui::Panel::bottom("grades").show(ui, |ui| {
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                if revealed {
                    for (k, (g, name)) in Grade::ALL.iter().zip(names).enumerate() {
                        let label = if drill && !counted {
                            name.to_string()
                        } else {
                            format!(
                                "{name} {}",
                                super::i18n::until_text(schedule::until(&next[k], today), english)
                            )
                        };
                        let b = egui::Button::new(egui::RichText::new(label).size(18.0))
                            .min_size(egui::vec2(120.0, 40.0));
                        if ui.add(b).on_hover_text(format!("{}", k + 1)).clicked() {
                            cmds.push(Command::Answer(*g));
                        }
                    }
                } else {
                    let b =
                        egui::Button::new(egui::RichText::new(tr(L::ShowAnswerSpace)).size(18.0))
                            .min_size(egui::vec2(200.0, 40.0));
                    if ui.add(b).clicked() {
                        cmds.push(Command::Reveal);
                    }
                }
                if can_undo && ui.button(tr(L::UndoCtrlZ)).clicked() {
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
        let leech_label = tr(L::Leech2);
        let header = shared.text.shown(ui.ctx(), &header);
        // A new card, or its answer just shown: from the top.
        let shown = (idx, revealed);
        if self.scroll.card != Some(shown) {
            self.scroll = Scroll {
                card: Some(shown),
                page: self.scroll.page,
                ..Scroll::default()
            };
        }
        let target =
            (delta != 0.0).then(|| (self.scroll.offset + delta).clamp(0.0, self.scroll.max));
        let out = egui::CentralPanel::default().show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical()
                .id_salt("review-card")
                .auto_shrink([false, false]);
            if let Some(t) = target {
                area = area.vertical_scroll_offset(t);
            }
            area.show(ui, |ui| {
                ui.label(egui::RichText::new(header).size(13.0).weak());
                if leech {
                    ui.colored_label(egui::Color32::from_rgb(220, 80, 80), leech_label);
                }
                ui.add_space(6.0);
                shared
                    .text
                    .markdown(ui, &format!("q-{}", card.id), &card.question, &file, 22.0);
                if revealed {
                    ui.separator();
                    shared
                        .text
                        .markdown(ui, &format!("a-{}", card.id), &card.answer, &file, 17.0);
                }
            })
        });
        let area = out.inner;
        self.scroll.offset = area.state.clamped_offset().y;
        self.scroll.page = area.inner_rect.height();
        self.scroll.max = (area.content_size.y - area.inner_rect.height()).max(0.0);
    }
}

/// One arrow or j/k press scrolls this many points.
const LINE_STEP: f32 = 40.0;

/// Where the card on the review screen is scrolled to.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Scroll {
    /// The card (and whether its answer was shown) it is for.
    card: Option<(usize, bool)>,
    /// Offset from the top, points.
    offset: f32,
    /// Largest offset (content height less the visible height).
    max: f32,
    /// Visible height.
    page: f32,
}
