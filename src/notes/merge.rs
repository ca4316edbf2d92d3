//! Repeated questions: the same question asked in several notes becomes one
//! card with several sources, each different answer kept, one after the
//! other.
//!
//! Only where it is the same question in the same place: within one deck,
//! with the same kind and the same section path — except in the course
//! deck, whose cohorts' logs ask the same questions under their own
//! headings, so there the section is not compared. Two notes in different
//! folders (decks) never touch each other's cards.

use crate::deck::{Card, CardKind};
use crate::notes::COURSE_DECK;
use crate::notes::identity::normalise_question;
use std::collections::HashMap;
use std::sync::Arc;

/// What makes two cards the same question (the names shared, not copied).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    deck: Arc<str>,
    kind: CardKind,
    /// The section path (empty in the course deck).
    section: Arc<[String]>,
    question: String,
}

fn key(c: &Card) -> Key {
    Key {
        deck: c.deck.clone(),
        kind: c.kind,
        section: if &*c.deck == COURSE_DECK {
            Arc::new([])
        } else {
            c.section.clone()
        },
        question: normalise_question(&c.question),
    }
}

/// Cards merged so far, in the order first met.
#[derive(Default)]
pub struct Merged {
    cards: Vec<Card>,
    by_key: HashMap<Key, usize>,
    /// The distinct answers each card holds (trimmed); filled only once a
    /// second card joins it (most cards are asked once).
    answers: Vec<Vec<String>>,
}

impl Merged {
    /// Add a card: merged into an earlier one with the same question, or
    /// kept as a new one.
    pub fn add(&mut self, c: Card) {
        let k = key(&c);
        let Some(&i) = self.by_key.get(&k) else {
            self.by_key.insert(k, self.cards.len());
            self.answers.push(Vec::new());
            self.cards.push(c);
            return;
        };
        let answer = c.answer.trim();
        let target = &mut self.cards[i];
        if self.answers[i].is_empty() {
            self.answers[i].push(target.answer.trim().to_string());
        }
        if !self.answers[i].iter().any(|a| a == answer) {
            let keep = target.answer.trim_end().len();
            target.answer.truncate(keep);
            target
                .answer
                .push_str(&format!("\n\n---\n\n*{}*\n\n{answer}", c.sources[0]));
            self.answers[i].push(answer.to_string());
        }
        target.sources.extend(c.sources);
        for t in c.tags {
            if !target.tags.contains(&t) {
                target.tags.push(t);
            }
        }
    }

    /// The merged cards, in the order first met.
    pub fn into_cards(self) -> Vec<Card> {
        self.cards
    }
}

/// Cards of one deck asking the same question in different places (`도커의
/// 구조` as a definition in one note and a label in another) are told apart:
/// each question gets the title of its own section, `도커의 구조 (2장 도커 엔진)`.
/// The course deck's repeated questions are merged instead.
pub fn tell_apart(cards: &mut [Card]) {
    let mut by_question: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, c) in cards.iter().enumerate() {
        if &*c.deck != COURSE_DECK {
            by_question
                .entry((c.deck.to_string(), normalise_question(&c.question)))
                .or_default()
                .push(i);
        }
    }
    for same in by_question.into_values().filter(|v| v.len() > 1) {
        let places: Vec<Option<String>> = same
            .iter()
            .map(|&i| {
                let c = &cards[i];
                let q = normalise_question(&c.question);
                c.section
                    .iter()
                    .rev()
                    .filter_map(|t| crate::notes::outline::topic(t))
                    .find(|p| normalise_question(p) != q)
            })
            .collect();
        let distinct: std::collections::HashSet<&Option<String>> = places.iter().collect();
        if distinct.len() < places.len() {
            continue;
        }
        for (&i, p) in same.iter().zip(&places) {
            if let Some(p) = p {
                let q = cards[i].question.trim_end().to_string();
                cards[i].question = format!("{q} ({p})");
            }
        }
    }
}
