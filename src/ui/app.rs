//! The eframe app: which screen is shown, the commands the screens send, and
//! applying them once per frame. Each screen is a struct with its own state
//! and `ui()` (in its own file); what they all read is [`Shared`]. The UI
//! only reads the [`Store`] and a [`Session`]; every schedule change goes
//! through them, in [`App::apply`].

use super::browse::BrowseScreen;
use super::drill::DrillScreen;
use super::home::HomeScreen;
use super::i18n::L;
use super::markdown;
use super::review::ReviewScreen;
use super::settings::SettingsScreen;
use super::shared::{Clock, Shared};
use super::weak::WeakScreen;
use crate::error::StoreError;
use crate::schedule::Grade;
use crate::session::Session;
use crate::store::Store;
use std::path::{Path, PathBuf};

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Today's counts and the review button.
    Home,
    /// A review or drill session.
    Review,
    /// Choosing chapters to drill.
    Drill,
    /// Chapters ranked by weakness, with plots.
    Weak,
    /// Search and filter all cards.
    Browse,
    /// Settings.
    Settings,
}

/// Something a screen asks for; applied after the frame is drawn.
#[must_use]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show a screen.
    Go(Screen),
    /// Start today's reviews.
    StartReview,
    /// Start a drill over these (deck, chapter) pairs.
    StartDrill(Vec<(String, String)>),
    /// Drill these cards (by id) of a chapter: the set readiness chose.
    StartDrillCards((String, String), Vec<String>),
    /// Show the answer.
    Reveal,
    /// Answer the current card.
    Answer(Grade),
    /// Undo the last answer.
    Undo,
    /// Suspend a card (by id).
    Suspend(String),
    /// Unsuspend a card.
    Unsuspend(String),
    /// Bury a card until tomorrow.
    Bury(String),
    /// Save the settings as they are now.
    SaveSettings,
    /// Set a card's chapter by hand (none: back to the notes' chapter).
    SetChapter(String, Option<(String, String)>),
    /// Read the notes from this folder (none: the bundled example notes).
    SetNotesFolder(Option<PathBuf>),
    /// Ask for a notes folder with the system's folder picker.
    PickNotesFolder,
}

/// The data being opened in the background: what brings it, and since when.
pub struct Loading {
    from: std::sync::mpsc::Receiver<super::Opened>,
    since: std::time::Instant,
}

/// The application: the screens, what they share, and the data still
/// being opened.
pub struct App {
    pub(super) shared: Shared,
    /// Set while the data is opened in the background.
    loading: Option<Loading>,
    /// The theme and text size in force (applied again when changed).
    applied_display: Option<(String, u32)>,
    screen: Screen,
    home: HomeScreen,
    pub(super) review: ReviewScreen,
    drill: DrillScreen,
    weak: WeakScreen,
    pub(super) browse: BrowseScreen,
    pub(super) settings: SettingsScreen,
}

/// Plain words for an error that stops the app from using its data.
pub fn explain(e: &StoreError) -> String {
    match e {
        StoreError::Locked { path, pid } => format!(
            "이 데이터 폴더는 다른 bokseup 창(pid {pid})이 쓰고 있습니다. 그 창을 닫고 다시 여세요.\n\
             The data folder is in use by another bokseup window.\n잠금 파일: {}",
            path.display()
        ),
        StoreError::Corrupt { .. } => format!(
            "파일을 읽을 수 없습니다. 아무것도 덮어쓰지 않았습니다. 파일을 고치거나 백업에서 되살린 뒤 다시 여세요.\n\
             A file could not be read; nothing was written.\n{e}"
        ),
        StoreError::NotSaved { .. } | StoreError::WritesStopped { .. } => format!(
            "답을 저장하지 못했습니다. 이 답은 기록되지 않았으니 다시 답하세요.\n\
             The answer was not saved; answer the card again.\n{e}"
        ),
        StoreError::JournalShort { .. }
        | StoreError::JournalEmpty { .. }
        | StoreError::DanglingLink { .. } => format!(
            "복습 기록(journal)의 일부가 없습니다. 아무것도 쓰지 않았습니다.\n\
             Reviews are missing from the journal; nothing was written.\n{e}"
        ),
        StoreError::Io { .. } => {
            format!("파일을 읽거나 쓰지 못했습니다 / A file could not be read or written:\n{e}")
        }
        _ => format!("데이터를 열 수 없습니다 / cannot open the data:\n{e}"),
    }
}

/// What the window says at start about the journal: a torn tail moved aside
/// at this start, and side files of earlier ones still beside the journal.
pub fn journal_notices(store: &Store) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(t) = store.torn_tail() {
        notes.push(format!(
            "중단된 쓰기의 마지막 줄({} 바이트, {}번째 줄)을 {} 로 옮겼습니다. 다른 기록은 모두 그대로입니다. \
             / An interrupted last line was moved aside; every other review is kept.",
            t.bytes,
            t.line,
            t.side_file.display()
        ));
    }
    let side = store.torn_files();
    if !side.is_empty() {
        notes.push(format!(
            "기록 폴더에 중단된 쓰기 조각 {}개가 보관되어 있습니다 ({}). 확인한 뒤 지워도 됩니다. \
             / Pieces of interrupted writes kept beside the journal: {}.",
            side.len(),
            store.dir().display(),
            side.len()
        ));
    }
    notes
}

impl App {
    /// An app over an opened store (or the error that prevented opening it).
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        store: Result<Store, StoreError>,
        notes_root: &Path,
        clock: Clock,
    ) -> App {
        let mut app = App::empty(cc, clock);
        app.adopt(super::Opened {
            store,
            notes_root: notes_root.to_path_buf(),
            notes: None,
            notice: None,
        });
        app
    }

    /// An app with no data yet.
    fn empty(cc: &eframe::CreationContext<'_>, clock: Clock) -> App {
        super::fonts::install(&cc.egui_ctx);
        egui_extras::install_image_loaders(&cc.egui_ctx);
        App {
            shared: Shared::new(clock),
            loading: None,
            applied_display: None,
            screen: Screen::Home,
            home: HomeScreen,
            review: ReviewScreen::default(),
            drill: DrillScreen::default(),
            weak: WeakScreen,
            browse: BrowseScreen::default(),
            settings: SettingsScreen::default(),
        }
    }

    /// An app whose data arrives from `from` (opened in the background);
    /// it shows that it is loading until then.
    pub fn loading(
        cc: &eframe::CreationContext<'_>,
        from: std::sync::mpsc::Receiver<super::Opened>,
        clock: Clock,
    ) -> App {
        let mut app = App::empty(cc, clock);
        app.loading = Some(Loading {
            from,
            since: std::time::Instant::now(),
        });
        app
    }

    /// Take the opened data if it has arrived; `true` while still loading.
    fn still_loading(&mut self) -> bool {
        let Some(loading) = &self.loading else {
            return false;
        };
        let opened = match loading.from.try_recv() {
            Ok(opened) => opened,
            Err(std::sync::mpsc::TryRecvError::Empty) => return true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.loading = None;
                self.shared.store =
                    Err("데이터를 여는 중 멈췄습니다 / opening the data stopped".into());
                return false;
            }
        };
        self.loading = None;
        self.adopt(opened);
        false
    }

    /// What the window shows while the data is opened: that it is being
    /// opened, for how long so far.
    fn loading_screen(&self, ui: &mut egui::Ui) {
        let secs = self
            .loading
            .as_ref()
            .map_or(0.0, |l| l.since.elapsed().as_secs_f32());
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.add(egui::Spinner::new().size(32.0));
                ui.add_space(12.0);
                ui.heading("복습 기록과 카드를 불러오는 중…");
                ui.label("Loading the reviews and cards…");
                ui.label(egui::RichText::new(format!("{secs:.1} s")).weak());
            });
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(100));
    }

    /// Work on `opened` from now on.
    fn adopt(&mut self, opened: super::Opened) {
        let super::Opened {
            store,
            notes_root,
            notes,
            notice,
        } = opened;
        let shared = &mut self.shared;
        shared.settings = store
            .as_ref()
            .map(|s| s.settings().clone())
            .unwrap_or_default();
        self.settings.folder_draft = shared
            .settings
            .notes_folder
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        shared.sync = store
            .as_ref()
            .ok()
            .and_then(|s| super::sync_link::SyncLink::remembered(s.dir()));
        shared.notices = store.as_ref().map(journal_notices).unwrap_or_default();
        shared.notices.extend(notice);
        shared.store = store.map_err(|e| explain(&e));
        shared.text.notes_root = notes_root;
        shared.notes = notes;
    }

    /// Keep the cards in step with `link`'s notes while the window is open.
    pub fn with_notes(mut self, link: super::notes_link::NotesLink) -> App {
        self.shared.notes = Some(link);
        self
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The running session, if any.
    pub fn session(&self) -> Option<&Session> {
        self.review.session.as_ref()
    }

    /// The store, if it opened.
    pub fn store(&self) -> Option<&Store> {
        self.shared.store.as_ref().ok()
    }

    /// Are Weak topics' figures made for the store as it is now? (They
    /// are made on another thread.)
    pub fn weak_figures_ready(&self) -> bool {
        self.store().is_some_and(|store| {
            let today = store.study_day(self.shared.now());
            let key = super::weak::figures_key(store, today);
            self.shared.views.weak.is_made_for(&key)
        })
    }

    /// Is the Drill screen's readiness made for the store as it is now and
    /// the lab time chosen? (It is made on another thread.)
    pub fn readiness_ready(&self) -> bool {
        super::drill::readiness_ready(&self.drill, &self.shared)
    }

    /// Has Browse found the cards its query and filters ask for? (It
    /// searches on another thread.)
    pub fn search_ready(&self) -> bool {
        self.browse.search_ready(&self.shared)
    }

    /// How far the card on the review screen is scrolled.
    pub fn review_scroll(&self) -> f32 {
        self.review.scroll_offset()
    }

    /// Messages shown until dismissed (a torn tail moved aside, what a
    /// conversion changed, an undo from another screen).
    pub fn notices(&self) -> &[String] {
        &self.shared.notices
    }

    fn apply_display(&mut self, ctx: &egui::Context) {
        let d = &self.shared.settings.display;
        let key = (d.theme.clone(), (d.text_scale * 100.0).round() as u32);
        if self.applied_display.as_ref() != Some(&key) {
            ctx.set_theme(if d.theme == "light" {
                egui::Theme::Light
            } else {
                egui::Theme::Dark
            });
            ctx.set_zoom_factor(d.text_scale.clamp(0.7, 2.0));
            self.applied_display = Some(key);
        }
    }

    /// Carry out what a screen asked for (tests and benches drive the
    /// window this way too).
    pub fn apply(&mut self, cmd: Command) {
        let now = self.shared.now();
        let english = self.shared.english();
        let Ok(store) = self.shared.store.as_mut() else {
            return;
        };
        let result = match cmd {
            Command::Go(s) => {
                if s != Screen::Review {
                    self.review.session = None;
                }
                self.screen = s;
                Ok(())
            }
            Command::StartReview => {
                self.review.session = Some(Session::review(store, now));
                self.screen = Screen::Review;
                Ok(())
            }
            Command::StartDrill(chapters) => {
                let order = self.drill.order.to_session(now);
                self.review.session = Some(Session::drill(
                    store,
                    &chapters,
                    order,
                    self.drill.count,
                    now,
                ));
                self.screen = Screen::Review;
                Ok(())
            }
            Command::StartDrillCards(chapter, ids) => {
                let cards = ids.iter().filter_map(|id| store.card_index(id)).collect();
                self.review.session = Some(Session::drill_cards(
                    store,
                    &[chapter],
                    cards,
                    self.drill.count,
                    now,
                ));
                self.screen = Screen::Review;
                Ok(())
            }
            Command::Reveal => {
                if let Some(s) = self.review.session.as_mut() {
                    s.reveal();
                }
                Ok(())
            }
            Command::Answer(g) => match self.review.session.as_mut() {
                Some(s) if s.revealed() => s.answer(store, g, now),
                _ => Ok(()),
            },
            // Undo reaches back over the whole study day, on any screen and
            // after a restart: the session's own answers first, then the
            // day's last answer in the journal.
            Command::Undo => match self.review.session.as_mut().filter(|s| s.can_undo()) {
                Some(s) => s.undo(store, now).map(|_| ()),
                None => {
                    let today = store.study_day(now);
                    let last = store
                        .last_answer_of_day(today)
                        .and_then(|e| Some((e.id().clone(), e.card()?.to_string())));
                    match last {
                        Some((event, card)) => {
                            let undone = store.undo(&event, now).map(|_| ());
                            if undone.is_ok() {
                                let question = store
                                    .card_index(&card)
                                    .map(|i| {
                                        crate::notes::text::plain_text(&store.cards()[i].question)
                                    })
                                    .unwrap_or_default();
                                self.shared.notices.push(format!(
                                    "{}: {}",
                                    L::UndoneAnswer.text(english),
                                    crate::notes::text::excerpt(&question)
                                ));
                                if self.screen == Screen::Review {
                                    self.review.session = Some(Session::review(store, now));
                                }
                            }
                            undone
                        }
                        None => Ok(()),
                    }
                }
            },
            Command::Suspend(id) => store.suspend(&id, now).map(|_| ()),
            Command::Unsuspend(id) => store.unsuspend(&id, now).map(|_| ()),
            Command::Bury(id) => {
                let buried = store.bury(&id, now).map(|_| ());
                if buried.is_ok() {
                    self.shared
                        .notices
                        .push(L::BuriedUntilTomorrow.text(english).to_string());
                }
                buried
            }
            Command::SaveSettings => {
                let saved = store.save_settings(self.shared.settings.clone());
                self.settings.saved = saved.is_ok();
                saved
            }
            Command::SetChapter(card, chapter) => store.set_chapter(&card, chapter),
            Command::SetNotesFolder(folder) => {
                if let Err(e) = self.set_notes_folder(folder) {
                    self.shared.error = Some(e);
                }
                Ok(())
            }
            Command::PickNotesFolder => {
                if let Some(folder) = rfd::FileDialog::new().pick_folder() {
                    self.settings.folder_draft = folder.display().to_string();
                    if let Err(e) = self.set_notes_folder(Some(folder)) {
                        self.shared.error = Some(e);
                    }
                }
                Ok(())
            }
        };
        if let Err(e) = result {
            self.shared.error = Some(explain(&e));
        }
    }

    fn top_bar(&self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        let tr = |l| self.shared.tr(l);
        ui.horizontal_wrapped(|ui| {
            ui.heading("복습");
            ui.separator();
            let tabs = [
                (Screen::Home, tr(L::Home)),
                (Screen::Drill, tr(L::Drill)),
                (Screen::Weak, tr(L::WeakTopics)),
                (Screen::Browse, tr(L::Browse)),
                (Screen::Settings, tr(L::Settings)),
            ];
            for (screen, label) in tabs {
                if ui.selectable_label(self.screen == screen, label).clicked() {
                    cmds.push(Command::Go(screen));
                }
            }
        });
    }

    /// The error and the notices, each with a button that dismisses it.
    fn messages(&mut self, ui: &mut egui::Ui) {
        let shared = &mut self.shared;
        if let Some(err) = shared.error.clone() {
            egui::Panel::top("error").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.colored_label(egui::Color32::from_rgb(220, 80, 80), err);
                    if ui.button("✖").clicked() {
                        shared.error = None;
                    }
                });
            });
        }
        let mut dismissed = None;
        for (i, note) in shared.notices.iter().enumerate() {
            egui::Panel::top(("notice", i)).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(egui::Color32::from_rgb(220, 170, 60), note);
                    if ui.button("✖").clicked() {
                        dismissed = Some(i);
                    }
                });
            });
        }
        if let Some(i) = dismissed {
            shared.notices.remove(i);
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.still_loading() {
            self.loading_screen(ui);
            return;
        }
        self.apply_display(&ctx);
        self.follow_notes(&ctx);
        let mut cmds = Vec::new();
        if let Err(message) = &self.shared.store {
            let message = message.clone();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("복습 — 데이터를 열 수 없습니다");
                ui.add_space(12.0);
                ui.label(egui::RichText::new(message).size(16.0));
            });
            return;
        }
        egui::Panel::top("nav").show(ui, |ui| self.top_bar(ui, &mut cmds));
        self.messages(ui);
        // Ctrl+Z undoes the day's last answer from any screen (but where a
        // text field has the keyboard: there it undoes typing).
        let typing = ctx.memory(|m| m.focused().is_some());
        if self.screen != Screen::Review && !typing && super::shared::undo_pressed(ui) {
            cmds.push(Command::Undo);
        }
        let shared = &mut self.shared;
        match self.screen {
            Screen::Home => self.home.ui(ui, shared, &mut cmds),
            Screen::Review => self.review.ui(ui, shared, &mut cmds),
            Screen::Drill => self.drill.ui(ui, shared, &mut cmds),
            Screen::Weak => self.weak.ui(ui, shared, &mut cmds),
            Screen::Browse => self.browse.ui(ui, shared, &mut cmds),
            Screen::Settings => self.settings.ui(ui, shared, &mut cmds),
        }
        for c in cmds {
            self.apply(c);
        }
        self.follow_sync(&ctx);
        // Links open in the browser only when clicked, and only web links.
        ctx.output_mut(|o| {
            o.commands.retain(|c| match c {
                egui::OutputCommand::OpenUrl(u) => markdown::allowed_url(&u.url),
                _ => true,
            })
        });
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        if let Ok(store) = &self.shared.store {
            let _ = store.save_cache();
        }
    }
}
