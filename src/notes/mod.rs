//! Markdown notes → chapter-tagged cards.
//!
//! [`convert`] is pure: it takes note texts (already read by [`load`]) and the
//! previous decks, and returns decks and a report. The `convert` command of
//! the binary adds the file reading and the atomic deck writes.

pub mod chapters;
pub mod extract;
pub mod identity;
pub mod load;
pub mod parse;

use crate::deck::{Card, CardId, CardKind, Deck, Source};
use chapters::{Basis, CardText, Classifier};
use extract::{NoteShape, RawCard, Skipped, Unanswered, Warning};
use identity::ChangeReport;
use std::collections::{BTreeMap, HashMap};

/// Deck of course Q&A logs.
pub const COURSE_DECK: &str = "course";
/// Deck of book and study notes.
pub const BOOK_DECK: &str = "book";
/// Chapter id of cards no chapter fits.
pub const UNSORTED_ID: &str = "00";
/// Title of the unsorted chapter.
pub const UNSORTED_TITLE: &str = "미분류";

/// One note's text, under the name its cards' sources will carry.
#[derive(Debug, Clone)]
pub struct NoteInput {
    /// Path as shown in sources and messages.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// What one note gave.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
pub struct NoteFailure {
    /// Path as shown.
    pub name: String,
    /// The error, naming file and line.
    pub message: String,
}

/// The result of converting a set of notes.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Decks in name order, cards in note order.
    pub decks: Vec<Deck>,
    /// One report per converted note.
    pub notes: Vec<NoteReport>,
    /// Notes that failed.
    pub failures: Vec<NoteFailure>,
    /// New / changed / kept / removed against the previous decks.
    pub changes: ChangeReport,
}

impl Conversion {
    /// All cards of all decks.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.decks.iter().flat_map(|d| d.cards.iter())
    }
}

/// Parse and extract one note; `Err` carries the message for a failure.
pub fn extract_note(name: &str, text: &str) -> Result<extract::Extracted, String> {
    let parsed = parse::parse(parse::normalise(text)).map_err(|e| {
        format!(
            "{name}:{}: nesting deeper than {} levels",
            e.line,
            parse::MAX_DEPTH
        )
    })?;
    Ok(extract::extract(parsed))
}

/// Convert notes into decks. `previous` are the cards of the decks written
/// last time (for stable ids); `failures` from reading are passed through.
pub fn convert(
    inputs: &[NoteInput],
    classifier: &Classifier,
    previous: &[Card],
    mut failures: Vec<NoteFailure>,
) -> Conversion {
    // Per note (independent, so on every core): parse, extract, and for a
    // Q&A log classify its cards' chapters.
    let per_note = parallel_map(inputs, |input| {
        extract_note(&input.name, &input.text).map(|e| {
            let chapters =
                (e.shape == NoteShape::QaLog).then(|| course_chapters(classifier, &e.cards));
            (e, chapters)
        })
    });
    let mut extracted = Vec::new();
    for (input, result) in inputs.iter().zip(per_note) {
        match result {
            Ok(e) => extracted.push((input, e)),
            Err(message) => failures.push(NoteFailure {
                name: input.name.clone(),
                message,
            }),
        }
    }
    // Book chapter titles from every book note's `N장) title` headings.
    let mut book_titles: BTreeMap<u32, String> = BTreeMap::new();
    for (_, (e, _)) in &extracted {
        for (n, t) in &e.chapter_titles {
            if !t.is_empty() {
                book_titles.entry(*n).or_insert_with(|| t.clone());
            }
        }
    }
    let mut cards: Vec<Card> = Vec::new();
    let mut reports = Vec::new();
    for (input, (e, course)) in extracted {
        let deck = match e.shape {
            NoteShape::QaLog => COURSE_DECK,
            NoteShape::Study => BOOK_DECK,
        };
        let chapters: Vec<(String, String, Option<Basis>)> = match course {
            Some(chapters) => chapters,
            None => e
                .cards
                .iter()
                .map(|c| book_chapter(c.chapter_hint, &book_titles))
                .collect(),
        };
        let mut kinds = BTreeMap::new();
        let mut basis = Vec::new();
        for (raw, (chapter, chapter_title, b)) in e.cards.into_iter().zip(chapters) {
            *kinds.entry(raw.kind).or_insert(0) += 1;
            if let Some(b) = b {
                basis.push((raw.line, b));
            }
            cards.push(Card {
                id: CardId(String::new()),
                deck: deck.to_string(),
                chapter,
                chapter_title,
                section: raw.section,
                kind: raw.kind,
                question: raw.question,
                answer: raw.answer,
                sources: vec![Source {
                    file: input.name.clone(),
                    line: raw.line,
                }],
            });
        }
        reports.push(NoteReport {
            name: input.name.clone(),
            shape: e.shape,
            deck: deck.to_string(),
            kinds,
            unanswered: e.unanswered,
            skipped: e.skipped,
            warnings: e.warnings,
            chapter_basis: basis,
        });
    }
    let (mut cards, normalised) = merge_repeats(cards);
    let changes = identity::assign_ids_normalised(previous, &mut cards, &normalised);
    let mut by_deck: BTreeMap<String, Vec<Card>> = BTreeMap::new();
    for c in cards {
        by_deck.entry(c.deck.clone()).or_default().push(c);
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

fn course_chapters(
    classifier: &Classifier,
    cards: &[RawCard],
) -> Vec<(String, String, Option<Basis>)> {
    let texts: Vec<CardText> = cards
        .iter()
        .map(|c| CardText {
            question: &c.question,
            answer: &c.answer_text,
            section: &c.section,
        })
        .collect();
    classifier
        .classify(&texts)
        .into_iter()
        .map(|(ix, basis)| match ix {
            Some(ix) => {
                let ch = &classifier.map.chapters[ix];
                (ch.id.clone(), ch.title.clone(), Some(basis))
            }
            None => (
                classifier.map.unsorted.id.clone(),
                classifier.map.unsorted.title.clone(),
                Some(basis),
            ),
        })
        .collect()
}

fn book_chapter(
    hint: Option<u32>,
    titles: &BTreeMap<u32, String>,
) -> (String, String, Option<Basis>) {
    match hint {
        Some(n) => (
            format!("{n:02}"),
            titles.get(&n).cloned().unwrap_or_else(|| format!("{n}장")),
            None,
        ),
        None => (UNSORTED_ID.to_string(), UNSORTED_TITLE.to_string(), None),
    }
}

/// The same question (same deck and kind, same normalised text) asked in
/// several notes becomes one card with several sources; differing answers
/// are kept one after the other.
fn merge_repeats(cards: Vec<Card>) -> (Vec<Card>, Vec<String>) {
    let mut out: Vec<Card> = Vec::with_capacity(cards.len());
    let mut normalised: Vec<String> = Vec::with_capacity(cards.len());
    let mut index: HashMap<(String, CardKind, String), usize> = HashMap::new();
    for c in cards {
        let norm = identity::normalise_question(&c.question);
        let key = (c.deck.clone(), c.kind, norm);
        match index.get(&key) {
            Some(&i) => {
                let first = &mut out[i];
                if first.answer.trim() != c.answer.trim() {
                    first.answer = format!(
                        "{}\n\n---\n\n*{}*\n\n{}",
                        first.answer.trim_end(),
                        c.sources[0],
                        c.answer.trim()
                    );
                }
                first.sources.extend(c.sources);
            }
            None => {
                normalised.push(key.2.clone());
                index.insert(key, out.len());
                out.push(c);
            }
        }
    }
    (out, normalised)
}

/// `f` over `items` on up to [`std::thread::available_parallelism`] threads, results in order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, text: &str) -> NoteInput {
        NoteInput {
            name: name.into(),
            text: text.into(),
        }
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
        assert_eq!(cards[0].sources.len(), 2);
        assert_eq!(cards[0].sources[1].to_string(), "b.md:3");
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
}
