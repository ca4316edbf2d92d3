//! The eframe app: which screen is shown, the commands the screens send, and
//! applying them once per frame. The UI only reads the [`Store`] and a
//! [`Session`]; every schedule change goes through them.

use super::i18n::L;
use super::markdown;
use crate::error::StoreError;
use crate::schedule::Grade;
use crate::search::SearchIndex;
use crate::session::{DrillOrder, Session};
use crate::store::Store;
use crate::store::settings::AppSettings;
use chrono::{DateTime, FixedOffset, NaiveDate};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::Receiver;

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

/// Drill order as chosen in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderChoice {
    /// Weakest first.
    Weakest,
    /// Note order.
    Note,
    /// Random.
    Random,
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
    /// Save the settings draft.
    SaveSettings,
    /// Set a card's chapter by hand (none: back to the notes' chapter).
    SetChapter(String, Option<(String, String)>),
    /// Read the notes from this folder (none: the bundled example notes).
    SetNotesFolder(Option<PathBuf>),
    /// Ask for a notes folder with the system's folder picker.
    PickNotesFolder,
}

/// Which cards Browse lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Every card.
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

/// A value made from data that seldom changes, kept with the key it was made
/// for and made again only when asked for with another key.
pub(super) struct Memo<K, V>(Option<(K, V)>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(None)
    }
}

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// The value kept for `key`, if it is for `key`.
    pub(super) fn kept(&self, key: &K) -> Option<V> {
        self.0
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Keep `value` for `key` (instead of what was kept) and return it.
    pub(super) fn keep(&mut self, key: K, value: V) -> V {
        self.0 = Some((key, value.clone()));
        value
    }

    /// The value for `key`: the one kept, or a new one from `make`.
    pub(super) fn get(&mut self, key: K, make: impl FnOnce() -> V) -> V {
        match self.kept(&key) {
            Some(v) => v,
            None => self.keep(key, make()),
        }
    }
}

/// What Browse lists: the store's revision, the study day, the query and the filters.
pub(super) type BrowseKey = (
    u64,
    NaiveDate,
    String,
    Option<(String, String)>,
    StateFilter,
);

/// Figures the screens show that take a pass over every card or event. A
/// frame is drawn on every mouse move, so they are kept between frames,
/// each with what it was made from: the store's revision (any answer, undo,
/// suspension or settings change), the study day, and what the screen asks.
#[derive(Default)]
pub(super) struct Views {
    /// Home: days in a row with a review.
    pub(super) streak: Memo<(u64, NaiveDate), usize>,
    /// Weak topics: chapters, reviews per day, forecast.
    pub(super) weak: Memo<(u64, NaiveDate), Rc<WeakFigures>>,
    /// Cards per chapter, with titles (the cards change when the notes do:
    /// kept for the store's cards revision).
    pub(super) chapters: Memo<u64, Rc<ChapterCounts>>,
    /// Browse: the cards' folded texts, and what the query and filters match.
    pub(super) search: Memo<u64, Rc<SearchIndex>>,
    pub(super) matches: Memo<BrowseKey, Rc<Vec<usize>>>,
    /// Browse: how many cards no longer in the decks have a history.
    pub(super) removed: Memo<u64, usize>,
    /// Home: how many cards are unclassified (chapter `00`), by cards revision.
    pub(super) unclassified: Memo<u64, usize>,
    /// Browse: the selected card's history lines (for a card index and
    /// whether they are in English).
    pub(super) history: Memo<(u64, usize, bool), Rc<HistoryLines>>,
}

/// Weak topics' figures.
pub(super) struct WeakFigures {
    pub(super) rows: Vec<crate::stats::ChapterStats>,
    pub(super) history: Vec<(NaiveDate, usize)>,
    pub(super) forecast: Vec<(NaiveDate, usize)>,
}

/// A card's history as Browse shows it: a line per event, each with whether
/// it was undone.
pub(super) type HistoryLines = Vec<(String, bool)>;

/// (deck, chapter id) → (title, number of cards), as [`crate::deck::chapter_counts`] gives.
pub(super) type ChapterCounts = std::collections::BTreeMap<(String, String), (String, usize)>;

/// A hash of a text, to tell an edited card text from the one kept.
fn text_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// How many prepared card texts the window keeps before starting over.
const PREPARED_KEPT: usize = 512;

/// The clock the window uses (a fixed one in tests).
pub type Clock = Box<dyn Fn() -> DateTime<FixedOffset>>;

/// The data being opened in the background: what brings it, and since when.
pub struct Loading {
    from: std::sync::mpsc::Receiver<super::Opened>,
    since: std::time::Instant,
}

/// The application.
pub struct App {
    pub(super) store: Result<Store, String>,
    /// Set while the data is opened in the background.
    loading: Option<Loading>,
    /// Set while the whole review history is read in the background (the
    /// start read only the cache; weak topics and card histories need it).
    history: Option<(
        crate::store::HistoryRead,
        Receiver<Vec<crate::store::journal::Event>>,
    )>,
    /// The notes root: images are read from inside it.
    pub(super) notes_root: PathBuf,
    /// The notes the cards come from (none: the cards were given as decks).
    pub(super) notes: Option<super::notes_link::NotesLink>,
    /// The notes folder as typed in Settings.
    pub(super) folder_draft: String,
    pub(super) screen: Screen,
    pub(super) session: Option<Session>,
    pub(super) md: CommonMarkCache,
    pub(super) clock: Clock,
    pub(super) error: Option<String>,
    /// Things to tell once (a torn journal tail moved aside, what a
    /// conversion changed), each dismissable.
    pub notices: Vec<String>,
    pub(super) drill_pick: BTreeSet<(String, String)>,
    pub(super) drill_order: OrderChoice,
    pub(super) drill_count: bool,
    pub(super) search: String,
    pub(super) filter_chapter: Option<(String, String)>,
    pub(super) filter_state: StateFilter,
    pub(super) selected: Option<usize>,
    pub(super) draft: AppSettings,
    applied_display: Option<(String, u32)>,
    pub(super) views: Views,
    /// The settings were saved (the screen says so).
    pub(super) settings_saved: bool,
    /// How the card on the review screen is scrolled.
    pub(super) scroll: super::review::Scroll,
    /// Card Markdown as the viewer gets it (images resolved), by card id,
    /// text and note: resolving touches the disk, so it is done once.
    prepared: std::collections::HashMap<(String, u64, String), Rc<String>>,
    /// Which characters the fonts can draw (asked once per character).
    glyphs: std::collections::HashMap<char, bool>,
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
            store: Err(String::new()),
            loading: None,
            history: None,
            notes_root: PathBuf::new(),
            notes: None,
            folder_draft: String::new(),
            screen: Screen::Home,
            session: None,
            md: CommonMarkCache::default(),
            clock,
            error: None,
            notices: Vec::new(),
            drill_pick: BTreeSet::new(),
            drill_order: OrderChoice::Weakest,
            drill_count: false,
            search: String::new(),
            filter_chapter: None,
            filter_state: StateFilter::All,
            selected: None,
            draft: AppSettings::default(),
            applied_display: None,
            views: Views::default(),
            scroll: Default::default(),
            settings_saved: false,
            prepared: std::collections::HashMap::new(),
            glyphs: std::collections::HashMap::new(),
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
    fn still_loading(&mut self, ctx: &egui::Context) -> bool {
        let Some(loading) = &self.loading else {
            return false;
        };
        let opened = match loading.from.try_recv() {
            Ok(opened) => opened,
            Err(std::sync::mpsc::TryRecvError::Empty) => return true,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.loading = None;
                self.store = Err("데이터를 여는 중 멈췄습니다 / opening the data stopped".into());
                return false;
            }
        };
        self.loading = None;
        self.adopt(opened);
        self.read_history_in_background(ctx);
        false
    }

    /// Start reading the whole review history in the background, if the
    /// store has not read it.
    fn read_history_in_background(&mut self, ctx: &egui::Context) {
        let Some(read) = self.store.as_ref().ok().and_then(Store::history_to_read) else {
            return;
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let job = read.clone();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(job.read());
            repaint.request_repaint();
        });
        self.history = Some((read, rx));
    }

    /// Take the history read in the background once it has arrived.
    fn take_history(&mut self) {
        let Some((read, rx)) = &self.history else {
            return;
        };
        match rx.try_recv() {
            Ok(events) => {
                if let Ok(store) = self.store.as_mut() {
                    store.adopt_history(read, events);
                }
                self.history = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.history = None,
        }
    }

    /// Is the whole history still being read in the background? (What
    /// needs it then says so instead of reading it on the frame.)
    pub(super) fn history_pending(&self) -> bool {
        self.history.is_some()
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
        self.draft = store
            .as_ref()
            .map(|s| s.settings().clone())
            .unwrap_or_default();
        self.folder_draft = self
            .draft
            .notes_folder
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.notices = store.as_ref().map(journal_notices).unwrap_or_default();
        self.notices.extend(notice);
        self.store = store.map_err(|e| explain(&e));
        self.notes_root = notes_root;
        self.notes = notes;
    }

    /// Keep the cards in step with `link`'s notes while the window is open.
    pub fn with_notes(mut self, link: super::notes_link::NotesLink) -> App {
        self.notes = Some(link);
        self
    }

    /// Cards per chapter, with titles.
    pub(super) fn chapter_counts(&mut self) -> Rc<ChapterCounts> {
        let Ok(store) = self.store.as_ref() else {
            return Rc::default();
        };
        self.views.chapters.get(store.cards_revision(), || {
            Rc::new(crate::deck::chapter_counts(store.cards()))
        })
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// The running session, if any.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The store, if it opened.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref().ok()
    }

    /// Korean or English text, as the settings say.
    pub(super) fn tr(&self, l: L) -> &'static str {
        l.text(self.english())
    }

    /// Is the window in English?
    pub(super) fn english(&self) -> bool {
        self.draft.display.language == "en"
    }

    /// Name of an answer button, as the settings say.
    pub(super) fn grade_name(&self, g: crate::schedule::Grade) -> &'static str {
        use crate::schedule::Grade;
        match g {
            Grade::Again => self.tr(L::Again),
            Grade::Hard => self.tr(L::Hard),
            Grade::Good => self.tr(L::Good),
            Grade::Easy => self.tr(L::Easy),
        }
    }

    /// Note text as it can be drawn: known substitutions, then `?` for any
    /// character no bundled font has (never a missing-glyph box).
    pub(super) fn shown(&mut self, ctx: &egui::Context, s: &str) -> String {
        let s = markdown::display_text(s);
        let font = egui::FontId::proportional(14.0);
        let glyphs = &mut self.glyphs;
        s.chars()
            .map(|c| {
                if c.is_ascii() || c.is_control() {
                    return c;
                }
                let ok = *glyphs
                    .entry(c)
                    .or_insert_with(|| ctx.fonts_mut(|f| f.has_glyph(&font, c)));
                if ok { c } else { '?' }
            })
            .collect()
    }

    /// Render card Markdown for the note at `source_file`.
    pub(super) fn markdown(
        &mut self,
        ui: &mut egui::Ui,
        id: &str,
        md: &str,
        source_file: &str,
        size: f32,
    ) {
        let key = (id.to_string(), text_hash(md), source_file.to_string());
        let text = match self.prepared.get(&key) {
            Some(t) => t.clone(),
            None => {
                let note = markdown::note_dir(&self.notes_root, source_file);
                let root = markdown::notes_root(&self.notes_root, source_file);
                let shown = self.shown(ui.ctx(), md);
                let dirs = markdown::ImageDirs {
                    note: &note,
                    root: &root,
                };
                let t = Rc::new(markdown::prepare(&shown, &dirs));
                if self.prepared.len() > PREPARED_KEPT {
                    self.prepared.clear();
                }
                self.prepared.insert(key, t.clone());
                t
            }
        };
        ui.push_id(id, |ui| {
            let styles = &mut ui.style_mut().text_styles;
            styles.insert(egui::TextStyle::Body, egui::FontId::proportional(size));
            styles.insert(
                egui::TextStyle::Monospace,
                egui::FontId::monospace(size - 2.0),
            );
            CommonMarkViewer::new().show(ui, &mut self.md, text.as_str());
        });
    }

    fn apply_display(&mut self, ctx: &egui::Context) {
        let d = &self.draft.display;
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

    fn apply(&mut self, cmd: Command) {
        let now = (self.clock)();
        let english = self.english();
        let Ok(store) = self.store.as_mut() else {
            return;
        };
        let result = match cmd {
            Command::Go(s) => {
                if s != Screen::Review {
                    self.session = None;
                }
                self.screen = s;
                Ok(())
            }
            Command::StartReview => {
                self.session = Some(Session::review(store, now));
                self.screen = Screen::Review;
                Ok(())
            }
            Command::StartDrill(chapters) => {
                let order = match self.drill_order {
                    OrderChoice::Weakest => DrillOrder::WeakestFirst,
                    OrderChoice::Note => DrillOrder::NoteOrder,
                    OrderChoice::Random => DrillOrder::Random(now.timestamp() as u64),
                };
                self.session = Some(Session::drill(
                    store,
                    &chapters,
                    order,
                    self.drill_count,
                    now,
                ));
                self.screen = Screen::Review;
                Ok(())
            }
            Command::Reveal => {
                if let Some(s) = self.session.as_mut() {
                    s.reveal();
                }
                Ok(())
            }
            Command::Answer(g) => match self.session.as_mut() {
                Some(s) if s.revealed() => s.answer(store, g, now),
                _ => Ok(()),
            },
            // Undo reaches back over the whole study day, on any screen and
            // after a restart: the session's own answers first, then the
            // day's last answer in the journal.
            Command::Undo => match self.session.as_mut().filter(|s| s.can_undo()) {
                Some(s) => s.undo(store, now).map(|_| ()),
                None => {
                    let today = store.study_day(now);
                    let last = store
                        .last_answer_of_day(today)
                        .and_then(|e| Some((e.id().to_string(), e.card()?.to_string())));
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
                                self.notices.push(format!(
                                    "{}: {}",
                                    L::UndoneAnswer.text(english),
                                    crate::notes::text::excerpt(&question)
                                ));
                                if self.screen == Screen::Review {
                                    self.session = Some(Session::review(store, now));
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
                    self.notices
                        .push(L::BuriedUntilTomorrow.text(english).to_string());
                }
                buried
            }
            Command::SaveSettings => {
                let saved = store.save_settings(self.draft.clone());
                self.settings_saved = saved.is_ok();
                saved
            }
            Command::SetChapter(card, chapter) => store.set_chapter(&card, chapter),
            Command::SetNotesFolder(folder) => {
                if let Err(e) = self.set_notes_folder(folder) {
                    self.error = Some(e);
                }
                Ok(())
            }
            Command::PickNotesFolder => {
                if let Some(folder) = rfd::FileDialog::new().pick_folder() {
                    self.folder_draft = folder.display().to_string();
                    if let Err(e) = self.set_notes_folder(Some(folder)) {
                        self.error = Some(e);
                    }
                }
                Ok(())
            }
        };
        if let Err(e) = result {
            self.error = Some(explain(&e));
        }
    }

    fn top_bar(&self, ui: &mut egui::Ui, cmds: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            ui.heading("복습");
            ui.separator();
            let tabs = [
                (Screen::Home, self.tr(L::Home)),
                (Screen::Drill, self.tr(L::Drill)),
                (Screen::Weak, self.tr(L::WeakTopics)),
                (Screen::Browse, self.tr(L::Browse)),
                (Screen::Settings, self.tr(L::Settings)),
            ];
            for (screen, label) in tabs {
                if ui.selectable_label(self.screen == screen, label).clicked() {
                    cmds.push(Command::Go(screen));
                }
            }
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.still_loading(&ctx) {
            self.loading_screen(ui);
            return;
        }
        self.take_history();
        self.apply_display(&ctx);
        self.follow_notes(&ctx);
        let mut cmds = Vec::new();
        if let Err(message) = &self.store {
            let message = message.clone();
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("복습 — 데이터를 열 수 없습니다");
                ui.add_space(12.0);
                ui.label(egui::RichText::new(message).size(16.0));
            });
            return;
        }
        egui::Panel::top("nav").show(ui, |ui| self.top_bar(ui, &mut cmds));
        if let Some(err) = self.error.clone() {
            egui::Panel::top("error").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.colored_label(egui::Color32::from_rgb(220, 80, 80), err);
                    if ui.button("✖").clicked() {
                        self.error = None;
                    }
                });
            });
        }
        let mut dismissed = None;
        for (i, note) in self.notices.iter().enumerate() {
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
            self.notices.remove(i);
        }
        // Ctrl+Z undoes the day's last answer from any screen (but where a
        // text field has the keyboard: there it undoes typing).
        let typing = ctx.memory(|m| m.focused().is_some());
        if self.screen != Screen::Review
            && !typing
            && ui.input(|i| i.modifiers.command && i.key_pressed(egui::Key::Z))
        {
            cmds.push(Command::Undo);
        }
        match self.screen {
            Screen::Home => self.home(ui, &mut cmds),
            Screen::Review => self.review(ui, &mut cmds),
            Screen::Drill => self.drill(ui, &mut cmds),
            Screen::Weak => self.weak(ui, &mut cmds),
            Screen::Browse => self.browse(ui, &mut cmds),
            Screen::Settings => self.settings(ui, &mut cmds),
        }
        for c in cmds {
            self.apply(c);
        }
        // Links open in the browser only when clicked, and only web links.
        ctx.output_mut(|o| {
            o.commands.retain(|c| match c {
                egui::OutputCommand::OpenUrl(u) => markdown::allowed_url(&u.url),
                _ => true,
            })
        });
    }

    fn on_exit(&mut self) {
        if let Ok(store) = &self.store {
            let _ = store.save_cache();
        }
    }
}
