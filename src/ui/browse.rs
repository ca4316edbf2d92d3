//! Browse: search (Korean too), filter by chapter and state, a card's
//! detail with its history; suspend / unsuspend / bury.

use super::app::Command;
use super::i18n::L;
use super::shared::{ChapterCounts, HistoryLines, Shared};
use crate::schedule::Grade;
use crate::search::Query;
use crate::store::journal::{Event, Mode};
use chrono::NaiveDate;
use std::sync::Arc;

/// Narrowest the card list of Browse gets, points.
pub const BROWSE_LIST_MIN: f32 = 280.0;

/// Which cards Browse lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StateFilter {
    /// Every card.
    #[default]
    All,
    /// Never reviewed.
    New,
    /// To repeat today.
    Learning,
    /// Reviewed at least once.
    Review,
    /// Suspended.
    Suspended,
    /// Leeches.
    Leech,
}

/// What Browse lists: the store's revision and cards revision, the study
/// day, the query and the filters.
pub(super) type BrowseKey = (
    u64,
    u64,
    NaiveDate,
    String,
    Option<(String, String)>,
    StateFilter,
);

/// The cards Browse lists (indices into `cards`, in card order): those
/// that hold `query` and pass the filters.
fn listed(
    cards: &[crate::deck::Card],
    states: &crate::store::replay::States,
    today: NaiveDate,
    query: &str,
    chapter: Option<&(String, String)>,
    filter: StateFilter,
) -> Vec<usize> {
    let query = Query::new(query);
    (0..cards.len())
        .filter(|&i| {
            let c = &cards[i];
            chapter.is_none_or(|(d, ch)| **d == *c.deck && **ch == *c.chapter)
        })
        .filter(|&i| {
            let st = states.get(cards[i].id.0.as_str());
            match filter {
                StateFilter::All => true,
                StateFilter::New => st.is_none_or(|s| s.is_new()),
                StateFilter::Learning => st.is_some_and(|s| s.in_learning(today)),
                StateFilter::Review => st.is_some_and(|s| !s.is_new()),
                StateFilter::Suspended => st.is_some_and(|s| s.suspended),
                StateFilter::Leech => st.is_some_and(|s| s.leech),
            }
        })
        .filter(|&i| query.matches(&cards[i]))
        .collect()
}

/// The browse screen's state: the query, the filters and the selected card.
#[derive(Default)]
pub struct BrowseScreen {
    search: String,
    filter_chapter: Option<(String, String)>,
    filter_state: StateFilter,
    /// The card shown on the right (an index into the store's cards).
    pub(super) selected: Option<usize>,
}

impl BrowseScreen {
    /// What Browse lists now (see [`BrowseKey`]).
    fn key(&self, store: &crate::store::Store, today: NaiveDate) -> BrowseKey {
        (
            store.revision(),
            store.cards_revision(),
            today,
            self.search.trim().to_string(),
            self.filter_chapter.clone(),
            self.filter_state,
        )
    }

    /// The cards Browse lists (indices into the store's cards), found on
    /// another thread when the query, the filters, the study day or the
    /// store change, and whether they are found for what is asked now (if
    /// not, they are the last found, and the search runs). None before
    /// the first search, or while the last found are of other cards.
    fn matches(&self, shared: &mut Shared, ctx: &egui::Context) -> Option<(Arc<Vec<usize>>, bool)> {
        let now = shared.now();
        let store = shared.store.as_ref().ok()?;
        let today = store.study_day(now);
        let key = self.key(store, today);
        let cards_revision = store.cards_revision();
        let ((found_in, found), fresh) = shared.views.matches.get(ctx, key.clone(), || {
            let cards = store.shared_cards();
            let states = store.shared_states();
            let (_, _, _, query, chapter, filter) = key;
            move || {
                let found = listed(&cards, &states, today, &query, chapter.as_ref(), filter);
                (cards_revision, Arc::new(found))
            }
        })?;
        (found_in == cards_revision).then_some((found, fresh))
    }

    /// Is the list found for the query and filters as they are now? (It
    /// is found on another thread.)
    pub(super) fn search_ready(&self, shared: &Shared) -> bool {
        shared.store.as_ref().is_ok_and(|store| {
            let key = self.key(store, store.study_day(shared.now()));
            shared.views.matches.is_made_for(&key)
        })
    }

    /// A card's history as Browse shows it: a line per event, each with
    /// whether it was undone (shown struck through).
    fn history_lines(shared: &Shared, entries: &[crate::store::HistoryEntry]) -> HistoryLines {
        entries
            .iter()
            .map(|h| {
                let e = &h.event;
                let what = match e {
                    Event::Review {
                        grade, mode, ms, ..
                    } => format!(
                        "{} {} {:.1}s",
                        match mode {
                            Mode::Normal => shared.tr(L::Review),
                            Mode::Drill => shared.tr(L::Drill2),
                            Mode::DrillCounted => shared.tr(L::DrillCounted),
                        },
                        // The button pressed; a quality no button gives, as a number.
                        Grade::from_quality(*grade).map_or_else(
                            || format!("q={grade}"),
                            |g| shared.grade_name(g).to_string()
                        ),
                        f64::from(*ms) / 1000.0
                    ),
                    Event::Undo { .. } => shared.tr(L::Undo).to_string(),
                    Event::Suspend { .. } => shared.tr(L::Suspended).to_string(),
                    Event::Unsuspend { .. } => shared.tr(L::Unsuspended).to_string(),
                    Event::Bury { .. } => shared.tr(L::Buried).to_string(),
                };
                // The undo's time; its date too when it was another day.
                let undone = h.undone_at.map_or_else(String::new, |u| {
                    let when = if u.date_naive() == e.at().date_naive() {
                        u.format("%H:%M")
                    } else {
                        u.format("%Y-%m-%d %H:%M")
                    };
                    format!(" · {} {when}", shared.tr(L::Undone))
                });
                let line = format!("{} {what}{undone}", e.at().format("%Y-%m-%d %H:%M"));
                (line, h.undone_at.is_some())
            })
            .collect()
    }

    /// The chapters a card of `deck` can be put in: those its cards are in,
    /// and for the course deck every chapter of the chapter map.
    fn deck_chapters(shared: &Shared, deck: &str, counts: &ChapterCounts) -> Vec<(String, String)> {
        let mut all: std::collections::BTreeMap<String, String> = counts
            .iter()
            .filter(|((d, _), _)| d == deck)
            .map(|((_, c), (t, _))| (c.clone(), t.clone()))
            .collect();
        if deck == crate::notes::COURSE_DECK
            && let Some(link) = &shared.notes
        {
            let map = &link.classifier.map;
            for ch in map.chapters.iter().chain(std::iter::once(&map.unsorted)) {
                all.entry(ch.id.clone()).or_insert_with(|| ch.title.clone());
            }
        }
        all.into_iter().collect()
    }

    pub(super) fn ui(&mut self, ui: &mut egui::Ui, shared: &mut Shared, cmds: &mut Vec<Command>) {
        let (matches, searching) = match self.matches(shared, ui.ctx()) {
            Some((found, fresh)) => (found, !fresh),
            None => (Arc::default(), true),
        };
        let chapters = shared.chapter_counts();
        let en = shared.english();
        let key = self.selected.and_then(|i| {
            let store = shared.store.as_ref().ok()?;
            (i < store.cards().len()).then(|| (store.revision(), i))
        });
        // The selected card's history, read from the journal on another
        // thread (its lines only: the rest is not parsed) for the store's
        // revision; until it comes, that it is being read.
        let made = match (key, shared.store.as_ref()) {
            (Some(key), Ok(store)) => shared.views.history.get(ui.ctx(), key, || {
                let read = store.history_of(&store.cards()[key.1].id.0);
                move || Arc::new(read.read())
            }),
            _ => None,
        };
        let history: HistoryLines = match (key, made) {
            (None, _) => Vec::new(),
            (Some(_), Some((entries, true))) => Self::history_lines(shared, &entries),
            (Some(_), _) => vec![(shared.tr(L::ReadingTheHistory).to_string(), false)],
        };
        let removed = match shared.store.as_ref() {
            Ok(store) => shared
                .views
                .removed
                .get(store.revision(), || store.removed_cards().len()),
            Err(_) => 0,
        };
        let Ok(store) = shared.store.as_ref() else {
            return;
        };
        let tr = |l| shared.tr(l);
        let all = tr(L::AllChapters);
        let chapter_label = tr(L::Chapter);
        let filters = [
            (StateFilter::All, tr(L::All)),
            (StateFilter::New, tr(L::New)),
            (StateFilter::Learning, tr(L::Learning)),
            (StateFilter::Review, tr(L::Review2)),
            (StateFilter::Suspended, tr(L::Suspended2)),
            (StateFilter::Leech, tr(L::Leech)),
        ];
        let hint = tr(L::SearchQuestionAnswer);
        egui::Panel::top("browse-filters").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text(hint)
                        .desired_width(260.0),
                );
                let current = self
                    .filter_chapter
                    .as_ref()
                    .map_or(all.to_string(), |(d, c)| format!("[{d}] {c}"));
                egui::ComboBox::from_label(chapter_label)
                    .selected_text(current)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.filter_chapter, None, all);
                        for ((d, c), (title, _)) in chapters.iter() {
                            ui.selectable_value(
                                &mut self.filter_chapter,
                                Some((d.clone(), c.clone())),
                                format!("[{d}] {c} {title}"),
                            );
                        }
                    });
                for (f, label) in filters {
                    ui.radio_value(&mut self.filter_state, f, label);
                }
            });
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{} / {}{}",
                    matches.len(),
                    store.cards().len(),
                    if removed > 0 {
                        format!(" · {removed} removed cards keep their history")
                    } else {
                        String::new()
                    }
                ));
                // After the count, so that it does not move while a
                // search runs (a few ms a keystroke).
                if searching {
                    ui.spinner();
                    ui.label(tr(L::Searching));
                }
            });
        });
        // Never narrower than a readable row (an empty search once left it
        // at its content's width, kept across restarts).
        egui::Panel::left("browse-list")
            .default_size(380.0)
            .min_size(BROWSE_LIST_MIN)
            .show(ui, |ui| {
                // One line of body text per row: the rows are laid out at
                // that height, so the visible ones are the ones drawn.
                let row = ui.text_style_height(&egui::TextStyle::Body);
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show_rows(ui, row, matches.len(), |ui, range| {
                        for &i in &matches[range] {
                            let c = &store.cards()[i];
                            let plain = super::markdown::display_text(
                                &crate::notes::text::plain_text(&c.question),
                            );
                            let label =
                                egui::Label::new(format!("[{}] {} {plain}", c.deck, c.chapter))
                                    .truncate();
                            let selected = self.selected == Some(i);
                            let row = ui.add(label.sense(egui::Sense::click()));
                            if selected {
                                ui.painter().rect_stroke(
                                    row.rect,
                                    2.0,
                                    (1.0, ui.visuals().selection.bg_fill),
                                    egui::StrokeKind::Outside,
                                );
                            }
                            if row.clicked() {
                                self.selected = Some(i);
                            }
                        }
                    });
            });
        let Some(i) = self.selected.filter(|&i| i < store.cards().len()) else {
            egui::CentralPanel::default().show(ui, |_| {});
            return;
        };
        let card = &store.cards()[i];
        let st = store.state(&card.id.0).cloned();
        let overridden = store.chapter_overrides().contains_key(card.id.0.as_str());
        let deck_chapters = Self::deck_chapters(shared, &card.deck, &chapters);
        let (l_reset, l_by_hand) = (tr(L::BackToTheNotesChapter), tr(L::SetByHand));
        let (l_sus, l_unsus, l_bury, l_hist) = (
            tr(L::Suspend),
            tr(L::Unsuspend),
            tr(L::BuryUntilTomorrow),
            tr(L::History),
        );
        let file = card
            .sources
            .first()
            .map(|s| s.file.clone())
            .unwrap_or_default();
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.label(
                    egui::RichText::new(format!(
                        "[{}] {} {} · {}",
                        card.deck,
                        card.chapter,
                        card.chapter_title,
                        card.sources
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .size(12.0)
                    .weak(),
                );
                ui.horizontal_wrapped(|ui| {
                    // The chapter, correctable by hand (kept over re-conversion).
                    let by_hand = overridden;
                    egui::ComboBox::new("card-chapter", chapter_label)
                        .selected_text(format!("{} {}", card.chapter, card.chapter_title))
                        .show_ui(ui, |ui| {
                            for (c, t) in &deck_chapters {
                                if ui
                                    .selectable_label(*c == *card.chapter, format!("{c} {t}"))
                                    .clicked()
                                    && *c != *card.chapter
                                {
                                    cmds.push(Command::SetChapter(
                                        card.id.0.to_string(),
                                        Some((c.clone(), t.clone())),
                                    ));
                                }
                            }
                            if by_hand && ui.selectable_label(false, l_reset).clicked() {
                                cmds.push(Command::SetChapter(card.id.0.to_string(), None));
                            }
                        });
                    if by_hand {
                        ui.label(egui::RichText::new(l_by_hand).weak());
                    }
                    if st.as_ref().is_some_and(|s| s.suspended) {
                        if ui.button(l_unsus).clicked() {
                            cmds.push(Command::Unsuspend(card.id.0.to_string()));
                        }
                    } else if ui.button(l_sus).clicked() {
                        cmds.push(Command::Suspend(card.id.0.to_string()));
                    }
                    if ui.button(l_bury).clicked() {
                        cmds.push(Command::Bury(card.id.0.to_string()));
                    }
                });
                if let Some(s) = &st {
                    let due = s.due.map_or("-".into(), |d| d.to_string());
                    ui.label(if en {
                        format!(
                            "ease {:.2} · {} in a row · due {due} · forgotten {} times{}",
                            s.sm2.ef,
                            s.sm2.repetitions,
                            s.lapses,
                            if s.leech { " · leech" } else { "" }
                        )
                    } else {
                        format!(
                            "용이도 {:.2} · 연속 정답 {}번 · 다음 복습 {due} · 잊은 횟수 {}{}",
                            s.sm2.ef,
                            s.sm2.repetitions,
                            s.lapses,
                            if s.leech { " · 거머리 카드" } else { "" }
                        )
                    });
                }
                ui.separator();
                shared
                    .text
                    .markdown(ui, &format!("bq-{}", card.id), &card.question, &file, 18.0);
                ui.separator();
                shared
                    .text
                    .markdown(ui, &format!("ba-{}", card.id), &card.answer, &file, 15.0);
                ui.separator();
                ui.strong(l_hist);
                for (line, undone) in history.iter() {
                    if *undone {
                        ui.label(egui::RichText::new(line).strikethrough().weak());
                    } else {
                        ui.label(line);
                    }
                }
            });
        });
    }
}
