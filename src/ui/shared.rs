//! What every screen reads: the store, the settings, the notes the cards
//! follow, the clock, messages to show, and the figures kept between frames
//! (each with the store revision it was made for). Screens keep their own
//! state in their own struct; this is the rest.

use super::i18n::L;
use super::markdown;
use crate::store::Store;
use crate::store::settings::AppSettings;
use chrono::{DateTime, FixedOffset, NaiveDate};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::Receiver;

/// The clock the window uses (a fixed one in tests).
pub type Clock = Box<dyn Fn() -> DateTime<FixedOffset>>;

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

/// A value made on another thread (it takes a pass over every event: too
/// long for a frame), kept with the key it was made for. Asked for with
/// another key, it is made again in the background while the last one
/// made is still shown. One is made at a time: keys asked for meanwhile
/// (a lab time dragged through ten values) wait, and only the last one
/// asked is made next.
pub(super) struct MadeAside<K, V> {
    kept: Option<(K, V)>,
    making: Option<(K, Receiver<V>)>,
}

impl<K, V> Default for MadeAside<K, V> {
    fn default() -> Self {
        MadeAside {
            kept: None,
            making: None,
        }
    }
}

impl<K: PartialEq, V: Clone + Send + 'static> MadeAside<K, V> {
    /// The last value made, and whether it is for `key`. When it is not
    /// and nothing is being made, `prepare` is called (here: it takes what
    /// the work needs, cheaply) and the work it returns runs on another
    /// thread; the window is repainted when it is done.
    pub(super) fn get<W>(
        &mut self,
        ctx: &egui::Context,
        key: K,
        prepare: impl FnOnce() -> W,
    ) -> Option<(V, bool)>
    where
        W: FnOnce() -> V + Send + 'static,
    {
        if let Some((k, rx)) = self.making.take() {
            match rx.try_recv() {
                Ok(v) => self.kept = Some((k, v)),
                Err(std::sync::mpsc::TryRecvError::Empty) => self.making = Some((k, rx)),
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {}
            }
        }
        let fresh = self.kept.as_ref().is_some_and(|(k, _)| *k == key);
        if !fresh && self.making.is_none() {
            let work = prepare();
            let (tx, rx) = std::sync::mpsc::channel();
            let repaint = ctx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(work());
                repaint.request_repaint();
            });
            self.making = Some((key, rx));
        }
        self.kept.as_ref().map(|(_, v)| (v.clone(), fresh))
    }

    /// Is the value kept made for `key`?
    pub(super) fn is_made_for(&self, key: &K) -> bool {
        self.kept.as_ref().is_some_and(|(k, _)| k == key)
    }
}

/// Figures the screens show that take a pass over every card or event. A
/// frame is drawn on every mouse move, so they are kept between frames,
/// each with what it was made from: the store's revision (any answer, undo,
/// suspension or settings change), the study day, and what the screen asks.
#[derive(Default)]
pub(super) struct Views {
    /// Home: today's queue counts per chapter, and in all.
    pub(super) today: Memo<(u64, NaiveDate), Rc<super::home::Today>>,
    /// Home: days in a row with a review.
    pub(super) streak: Memo<(u64, NaiveDate), usize>,
    /// Drill: the readiness of each chapter for a lab time (by revision,
    /// cards revision, lab time and the quarter hour now).
    pub(super) readiness:
        MadeAside<(u64, u64, i64, i64), std::sync::Arc<Vec<crate::readiness::ChapterReadiness>>>,
    /// Weak topics: chapters, reviews per day, forecast (made on another
    /// thread: at a million events they take longer than a frame).
    pub(super) weak: MadeAside<super::weak::WeakKey, std::sync::Arc<WeakFigures>>,
    /// Cards per chapter, with titles (the cards change when the notes do:
    /// kept for the store's cards revision).
    pub(super) chapters: Memo<u64, Rc<ChapterCounts>>,
    /// Browse: the cards the query and filters match (found on another
    /// thread), with the cards revision they are indices of.
    pub(super) matches: MadeAside<super::browse::BrowseKey, (u64, std::sync::Arc<Vec<usize>>)>,
    /// Browse: how many cards no longer in the decks have a history.
    pub(super) removed: Memo<u64, usize>,
    /// Home: how many cards are unclassified (chapter `00`), by cards revision.
    pub(super) unclassified: Memo<u64, usize>,
    /// Browse: the selected card's history, read from the journal on
    /// another thread (for the store's revision and a card index).
    pub(super) history: MadeAside<(u64, usize), std::sync::Arc<Vec<crate::store::HistoryEntry>>>,
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

/// How many prepared card texts the window keeps before starting over.
const PREPARED_KEPT: usize = 512;

/// What every screen reads.
pub struct Shared {
    /// The data dir's store, or why it could not be opened (in words).
    pub(super) store: Result<Store, String>,
    /// The settings in force (the settings screen edits them; they are
    /// saved at once).
    pub(super) settings: AppSettings,
    /// The notes the cards come from (none: the cards were given as decks).
    pub(super) notes: Option<super::notes_link::NotesLink>,
    /// The sync folder the window follows, if one is set.
    pub(super) sync: Option<super::sync_link::SyncLink>,
    pub(super) clock: Clock,
    /// An error to show until dismissed.
    pub(super) error: Option<String>,
    /// Things to tell once (a torn journal tail moved aside, what a
    /// conversion changed), each dismissable.
    pub(super) notices: Vec<String>,
    pub(super) views: Views,
    /// Draws note text (apart, so it can draw while the store is read).
    pub(super) text: NoteText,
}

/// Draws note text: Markdown with images from the notes, and only
/// characters the fonts have.
#[derive(Default)]
pub(super) struct NoteText {
    /// The notes root: images are read from inside it.
    pub(super) notes_root: PathBuf,
    md: CommonMarkCache,
    /// Card Markdown as the viewer gets it (images resolved), by card id,
    /// text and note: resolving touches the disk, so it is done once.
    prepared: HashMap<(String, u64, String), Rc<String>>,
    /// Which characters the fonts can draw (asked once per character).
    glyphs: HashMap<char, bool>,
}

/// A hash of a text, to tell an edited card text from the one kept.
/// Was Ctrl+Z (⌘Z) pressed this frame? The key press is taken from the
/// input, and its own modifiers are read: a quick tap lets Ctrl go before
/// the frame is drawn, and then the frame's modifiers no longer show it.
pub(super) fn undo_pressed(ui: &egui::Ui) -> bool {
    let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
    ui.ctx().input_mut(|i| i.consume_shortcut(&undo))
}

fn text_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

impl Shared {
    /// Nothing opened yet.
    pub(super) fn new(clock: Clock) -> Shared {
        Shared {
            store: Err(String::new()),
            settings: AppSettings::default(),
            notes: None,
            sync: None,
            clock,
            error: None,
            notices: Vec::new(),
            views: Views::default(),
            text: NoteText::default(),
        }
    }

    /// The window's time now.
    pub(super) fn now(&self) -> DateTime<FixedOffset> {
        (self.clock)()
    }

    /// Korean or English text, as the settings say.
    pub(super) fn tr(&self, l: L) -> &'static str {
        l.text(self.english())
    }

    /// Is the window in English?
    pub(super) fn english(&self) -> bool {
        self.settings.display.language == "en"
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

    /// Cards per chapter, with titles.
    pub(super) fn chapter_counts(&mut self) -> Rc<ChapterCounts> {
        let Ok(store) = self.store.as_ref() else {
            return Rc::default();
        };
        self.views.chapters.get(store.cards_revision(), || {
            Rc::new(crate::deck::chapter_counts(store.cards()))
        })
    }
}

impl NoteText {
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
}

#[cfg(test)]
mod tests {
    use super::MadeAside;
    use std::sync::mpsc;

    /// Ask `made` for `key` until its value for `key` is there (the work
    /// runs on another thread).
    fn wait_for(made: &mut MadeAside<u32, u32>, ctx: &egui::Context, key: u32) -> u32 {
        for _ in 0..1000 {
            if let Some((v, true)) = made.get(ctx, key, || || unreachable!("asked once")) {
                return v;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the value for {key} never came");
    }

    #[test]
    fn a_value_is_made_on_another_thread_and_the_last_one_is_shown_meanwhile() {
        let ctx = egui::Context::default();
        let mut made: MadeAside<u32, u32> = MadeAside::default();
        // The work waits for the test: asking does not.
        let (go, wait) = mpsc::channel::<()>();
        let first = made.get(&ctx, 1, move || {
            move || {
                let _ = wait.recv();
                10
            }
        });
        assert_eq!(first, None);
        assert!(!made.is_made_for(&1));
        go.send(()).unwrap();
        assert_eq!(wait_for(&mut made, &ctx, 1), 10);
        // Another key: the last value, marked as not for it, until the new one is made.
        let (go, wait) = mpsc::channel::<()>();
        let meanwhile = made.get(&ctx, 2, move || {
            move || {
                let _ = wait.recv();
                20
            }
        });
        assert_eq!(meanwhile, Some((10, false)));
        // A third key asked for while the second is made waits its turn.
        let waiting = made.get(&ctx, 3, || -> fn() -> u32 { unreachable!("one at a time") });
        assert_eq!(waiting, Some((10, false)));
        go.send(()).unwrap();
        assert_eq!(wait_for(&mut made, &ctx, 2), 20);
        assert!(made.is_made_for(&2));
        // Then it is made.
        let third = made.get(&ctx, 3, || || 30);
        assert_eq!(third, Some((20, false)));
        assert_eq!(wait_for(&mut made, &ctx, 3), 30);
    }
}
