//! Markdown notes → chapter-tagged cards.
//!
//! [`convert`] is pure: it takes note texts (already read by [`load`] or
//! [`folder`]) and the previous cards, and returns decks and a report.
//! Per note: parse ([`parse`]), read its shapes ([`shape`], [`shapes`]),
//! settle deck and chapters; then over all notes: merge repeated questions
//! ([`merge`]) and give every card its stable id ([`identity`]).
//!
//! A note's deck and chapters:
//! * a bullet Q&A log about the course (most of its questions name a course
//!   topic) goes to the `course` deck, chaptered by [`chapters::Classifier`];
//! * any other note goes to the deck of its folder (the first folder under
//!   the notes root; notes at the root go to the root's deck), chaptered by
//!   its own structure: `N장)` / `4.3.1` / `📖 진도` numbering where the
//!   book has it, else the note's title.

pub mod bundled;
pub mod chapters;
pub mod folder;

pub mod identity;
pub mod images;
pub mod load;
pub mod merge;
pub mod outline;
pub mod parse;
pub mod refresh;
pub mod shape;
pub mod shapes;
pub mod text;

use crate::deck::{Card, CardKind, Deck, Source};
use chapters::{Basis, CardText, Classifier};
use identity::ChangeReport;
use serde::{Deserialize, Serialize};
use shape::NoteShape;
use shapes::{Skipped, Unanswered, Warning};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Deck of course Q&A logs.
pub const COURSE_DECK: &str = "course";
/// Chapter id of cards no chapter fits.
pub const UNSORTED_ID: &str = crate::deck::UNSORTED_CHAPTER;
/// Title of the unsorted chapter.
pub const UNSORTED_TITLE: &str = "미분류";

/// One note's text, under the name its cards' sources will carry.
#[derive(Debug, Clone)]
pub struct NoteInput {
    /// Path as shown in sources and messages.
    pub name: String,
    /// The deck of the note unless it is a course log: its folder's.
    pub deck: String,
    /// The file name without extension (the chapter of a note without a
    /// title or numbering).
    pub stem: String,
    /// The whole text.
    pub text: String,
}

impl NoteInput {
    /// A note named `name` in the deck `deck`, its stem taken from the name.
    pub fn new(name: &str, deck: &str, text: String) -> NoteInput {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
        NoteInput {
            name: name.to_string(),
            deck: deck.to_string(),
            stem,
            text,
        }
    }
}

/// What one note gave.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteReport {
    /// Path as shown.
    pub name: String,
    /// How it was read.
    pub shape: NoteShape,
    /// Deck its cards went to.
    pub deck: String,
    /// Cards per kind.
    pub kinds: BTreeMap<CardKind, usize>,
    /// Questions without answers.
    pub unanswered: Vec<Unanswered>,
    /// What made no card.
    pub skipped: Vec<Skipped>,
    /// Remarks on form.
    pub warnings: Vec<Warning>,
    /// How each course card's chapter was decided (card line → basis).
    pub chapter_basis: Vec<(usize, Basis)>,
}

/// A note that could not be converted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteFailure {
    /// Path as shown.
    pub name: String,
    /// The error, naming file and line.
    pub message: String,
}

/// The result of converting a set of notes.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Decks in name order, cards in note order (none in what
    /// [`crate::notes::refresh::finish`] returns: the store took them).
    pub decks: Vec<Deck>,
    /// One report per converted note.
    pub notes: Vec<NoteReport>,
    /// Notes that failed.
    pub failures: Vec<NoteFailure>,
    /// New / changed / kept / removed against the previous cards.
    pub changes: ChangeReport,
}

impl Conversion {
    /// All cards of all decks.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.decks.iter().flat_map(|d| d.cards.iter())
    }
}

/// One note's cards, before merging: deck, chapter and sources set, no id yet.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoteCards {
    /// The note's report.
    pub report: NoteReport,
    /// Its cards.
    pub cards: Vec<Card>,
    /// `N장) title` headings it holds (numbered chapters' titles).
    pub chapter_titles: Vec<(u32, String)>,
}

/// Convert one note (independent of every other note).
pub fn convert_note(input: &NoteInput, classifier: &Classifier) -> Result<NoteCards, String> {
    let e = shape::extract_text(&input.name, &input.text)?;
    let raw = e.found.cards;
    let texts: Vec<CardText> = raw
        .iter()
        .map(|c| CardText {
            question: &c.question,
            answer: &c.answer_text,
            section: &c.section,
        })
        .collect();
    let course = e.shape == NoteShape::QaLog && classifier.fits(&texts);
    let chapters: Vec<(Arc<str>, Arc<str>, Option<Basis>)> = if course {
        classifier
            .classify(&texts)
            .into_iter()
            .map(|(ix, basis)| {
                let ch = ix.map_or(&classifier.map.unsorted, |i| &classifier.map.chapters[i]);
                (
                    Arc::from(ch.id.as_str()),
                    Arc::from(ch.title.as_str()),
                    Some(basis),
                )
            })
            .collect()
    } else {
        // The note's own structure: numbering, else its title.
        let title = e.title.clone().unwrap_or_else(|| input.stem.clone());
        raw.iter()
            .map(|c| match c.chapter_hint {
                Some(n) => (Arc::from(format!("{n:02}")), Arc::from(""), None),
                None => (Arc::from(title.as_str()), Arc::from(""), None),
            })
            .collect()
    };
    let deck: Arc<str> = Arc::from(if course {
        COURSE_DECK
    } else {
        input.deck.as_str()
    });
    let file: Arc<str> = Arc::from(input.name.as_str());
    let mut kinds = BTreeMap::new();
    let mut basis = Vec::new();
    let mut cards = Vec::with_capacity(raw.len());
    for (c, (chapter, chapter_title, b)) in raw.into_iter().zip(chapters) {
        *kinds.entry(c.kind).or_insert(0) += 1;
        if let Some(b) = b {
            basis.push((c.line, b));
        }
        cards.push(Card {
            id: crate::deck::CardId::from(""),
            deck: deck.clone(),
            chapter,
            chapter_title,
            section: c.section.into(),
            kind: c.kind,
            question: c.question,
            answer: c.answer,
            sources: smallvec::smallvec![Source {
                file: file.clone(),
                line: c.line,
            }],
            tags: c.tags,
        });
    }
    Ok(NoteCards {
        report: NoteReport {
            name: input.name.clone(),
            shape: e.shape,
            deck: deck.to_string(),
            kinds,
            unanswered: e.found.unanswered,
            skipped: e.found.skipped,
            warnings: e.found.warnings,
            chapter_basis: basis,
        },
        cards,
        chapter_titles: e.chapter_titles,
    })
}

/// Merge notes' cards into decks and give every card its id against the
/// `previous` cards. Numbered chapters take the first title a note of their
/// deck gives them (`N장) title`), else `N장`.
pub fn assemble<P: std::borrow::Borrow<Card>>(
    notes: Vec<NoteCards>,
    previous: &[P],
    failures: Vec<NoteFailure>,
) -> Conversion {
    let mut titles: BTreeMap<(Arc<str>, u32), Arc<str>> = BTreeMap::new();
    for n in &notes {
        if let Some(deck) = n.cards.first().map(|c| c.deck.clone()) {
            for (k, t) in &n.chapter_titles {
                if !t.is_empty() {
                    titles
                        .entry((deck.clone(), *k))
                        .or_insert_with(|| Arc::from(t.as_str()));
                }
            }
        }
    }
    let mut merged = merge::Merged::default();
    let mut reports = Vec::with_capacity(notes.len());
    for n in notes {
        for mut card in n.cards {
            if card.chapter_title.is_empty()
                && &*card.deck != COURSE_DECK
                && let Ok(k) = card.chapter.parse::<u32>()
            {
                card.chapter_title = titles
                    .get(&(card.deck.clone(), k))
                    .cloned()
                    .unwrap_or_else(|| Arc::from(format!("{k}장")));
            }
            merged.add(card);
        }
        reports.push(n.report);
    }
    let mut cards = merged.into_cards();
    merge::tell_apart(&mut cards);
    let changes = identity::assign_ids(previous, &mut cards);
    let mut by_deck: BTreeMap<String, Vec<Card>> = BTreeMap::new();
    for c in cards {
        by_deck.entry(c.deck.to_string()).or_default().push(c);
    }
    Conversion {
        decks: by_deck
            .into_iter()
            .map(|(name, cards)| Deck { name, cards })
            .collect(),
        notes: reports,
        failures,
        changes,
    }
}

/// Convert notes into decks. `previous` are the cards of the decks written
/// last time (for stable ids); `failures` from reading are passed through.
pub fn convert(
    inputs: &[NoteInput],
    classifier: &Classifier,
    previous: &[Card],
    mut failures: Vec<NoteFailure>,
) -> Conversion {
    let mut notes = Vec::with_capacity(inputs.len());
    for input in inputs {
        match convert_note(input, classifier) {
            Ok(n) => notes.push(n),
            Err(message) => failures.push(NoteFailure {
                name: input.name.clone(),
                message,
            }),
        }
    }
    assemble(notes, previous, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, text: &str) -> NoteInput {
        NoteInput::new(name, "notes", text.into())
    }

    const LOG: &str = "## Docker\n\n- 볼륨은 무엇인가요?\n  - 데이터를 남기는 곳\n\n- 브릿지 네트워크는 뭔가요?\n  - L2\n\n- Dockerfile의 EXPOSE는 뭔가요?\n  - 포트 표시\n";

    #[test]
    fn repeated_question_is_one_card_with_two_sources() {
        let c = convert(
            &[input("a.md", LOG), input("b.md", LOG)],
            &Classifier::bundled(),
            &[],
            vec![],
        );
        let cards: Vec<_> = c.cards().collect();
        assert_eq!(cards.len(), 3);
        assert_eq!(&*cards[0].deck, COURSE_DECK);
        assert_eq!(cards[0].sources.len(), 2);
        assert_eq!(cards[0].sources[1].to_string(), "b.md:3");
    }

    #[test]
    fn each_different_answer_is_kept_once() {
        let note = |answer: &str| LOG.replace("데이터를 남기는 곳", answer);
        let notes: Vec<NoteInput> = ["가", "나", "가", "나 ", "다", "가"]
            .iter()
            .enumerate()
            .map(|(i, a)| input(&format!("n{i}.md"), &note(a)))
            .collect();
        let c = convert(&notes, &Classifier::bundled(), &[], vec![]);
        let cards: Vec<_> = c.cards().collect();
        assert_eq!(cards.len(), 3);
        assert_eq!(cards[0].sources.len(), 6);
        assert_eq!(
            cards[0].answer,
            "- 가\n\n---\n\n*n1.md:3*\n\n- 나\n\n---\n\n*n4.md:3*\n\n- 다"
        );
    }

    #[test]
    fn failures_do_not_stop_other_notes() {
        let deep: String = (0..300)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let c = convert(
            &[input("deep.md", &deep), input("a.md", LOG)],
            &Classifier::bundled(),
            &[],
            vec![],
        );
        assert_eq!(c.failures.len(), 1);
        assert!(c.failures[0].message.starts_with("deep.md:"));
        assert_eq!(c.cards().count(), 3);
    }

    #[test]
    fn the_same_question_in_two_sections_of_other_notes_stays_two_cards() {
        let note = "# 용어\n\n## CI/CD\n\n- **CI/CD** : 지속적 통합과 배포\n\n## 도구\n\n- **CI/CD** : Jenkins, GitHub Actions\n";
        let c = convert(&[input("a.md", note)], &Classifier::bundled(), &[], vec![]);
        let cards: Vec<_> = c.cards().collect();
        assert_eq!(cards.len(), 2, "{cards:?}");
        assert_ne!(cards[0].id, cards[1].id);
    }
}
