//! Plain data shared by every layer: cards, decks and where a card came from.
//!
//! Nothing here knows about parsing, storage or the window.

use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use std::fmt;
use std::sync::Arc;

/// A card's stable identity: a short hash of its deck, kind and normalised
/// question (see [`crate::notes::identity`]), kept across edits of the note.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CardId(pub smol_str::SmolStr);

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for CardId {
    fn from(s: &str) -> Self {
        CardId(s.into())
    }
}

/// How a card was made from its note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CardKind {
    /// A question bullet with its answer (course Q&A logs, or a bullet with
    /// nested explanation in study notes).
    Qa,
    /// `term : definition` — the question is the term.
    Definition,
    /// A heading whose short body explains it — the question is the heading.
    Section,
    /// A `==highlight==` blanked out of its sentence.
    Cloze,
}

impl CardKind {
    /// Lower-case name used in JSON output and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Qa => "qa",
            CardKind::Definition => "definition",
            CardKind::Section => "section",
            CardKind::Cloze => "cloze",
        }
    }

    /// Every kind, in report order.
    pub const ALL: [CardKind; 4] = [
        CardKind::Qa,
        CardKind::Definition,
        CardKind::Section,
        CardKind::Cloze,
    ];
}

/// A place in a note: file path (as the converter saw it) and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// Path of the note, relative to the deck directory when it lies inside it.
    pub file: Arc<str>,
    /// 1-based line of the question (or heading) in that file.
    pub line: usize,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One flashcard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Stable identity (kept when the question is lightly edited).
    pub id: CardId,
    /// Deck name, e.g. `course` or `book`.
    pub deck: Arc<str>,
    /// Chapter id within the deck, e.g. `"10"`; `"00"` is "unsorted".
    pub chapter: Arc<str>,
    /// Chapter title, e.g. `Kubernetes_Service`.
    pub chapter_title: Arc<str>,
    /// Heading path of the question in its note, outermost first (shared by
    /// the cards of one section).
    pub section: Arc<[String]>,
    /// How the card was made.
    pub kind: CardKind,
    /// The prompt, Markdown as written in the note.
    pub question: String,
    /// The answer, Markdown as written in the note (dedented).
    pub answer: String,
    /// Where the question stands; several when notes repeat it (the first
    /// is kept in the card itself: most cards have one).
    pub sources: SmallVec<[Source; 1]>,
    /// Tags the note gave the card (Obsidian `#tags` of its question).
    #[serde(default)]
    pub tags: Vec<String>,
}

#[cfg(test)]
impl Card {
    /// A course Q&A card of chapter 01, with no id and no source, for tests.
    pub(crate) fn sample(question: &str, answer: &str) -> Card {
        Card {
            id: CardId::from(""),
            deck: "course".into(),
            chapter: "01".into(),
            chapter_title: "".into(),
            section: Arc::new([]),
            kind: CardKind::Qa,
            question: question.into(),
            answer: answer.into(),
            sources: SmallVec::new(),
            tags: Vec::new(),
        }
    }
}

/// Chapter id of cards no chapter fits ("unclassified").
pub const UNSORTED_CHAPTER: &str = "00";

/// How many cards no chapter fits.
pub fn unclassified<'a>(cards: impl IntoIterator<Item = &'a Card>) -> usize {
    cards
        .into_iter()
        .filter(|c| &*c.chapter == UNSORTED_CHAPTER)
        .count()
}

/// A named group of cards that share one chapter system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deck {
    /// Deck name (`course`, `book`, …).
    pub name: String,
    /// Cards in note order.
    pub cards: Vec<Card>,
}

/// Cards per chapter: (deck, chapter id) → (chapter title, number of cards),
/// in deck and chapter order. The title is the first card's.
pub fn chapter_counts<'a>(
    cards: impl IntoIterator<Item = &'a Card>,
) -> std::collections::BTreeMap<(String, String), (String, usize)> {
    let mut chapters = std::collections::BTreeMap::new();
    for c in cards {
        chapters
            .entry((c.deck.to_string(), c.chapter.to_string()))
            .or_insert((c.chapter_title.to_string(), 0))
            .1 += 1;
    }
    chapters
}
