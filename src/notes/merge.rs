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

/// What makes two cards the same question.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    deck: String,
    kind: CardKind,
    /// The section path (empty in the course deck).
    section: Vec<String>,
    question: String,
}

fn key(c: &Card) -> Key {
    Key {
        deck: c.deck.to_string(),
        kind: c.kind,
        section: if &*c.deck == COURSE_DECK {
            Vec::new()
        } else {
            c.section.to_vec()
        },
        question: normalise_question(&c.question),
    }
}

/// Cards merged so far, in the order first met.
#[derive(Default)]
pub struct Merged {
    cards: Vec<Card>,
    by_key: HashMap<Key, usize>,
    /// The distinct answers each card holds (trimmed).
    answers: Vec<Vec<String>>,
}

impl Merged {
    /// Add a card: merged into an earlier one with the same question, or
    /// kept as a new one.
    pub fn add(&mut self, c: Card) {
        let k = key(&c);
        let Some(&i) = self.by_key.get(&k) else {
            self.by_key.insert(k, self.cards.len());
            self.answers.push(vec![c.answer.trim().to_string()]);
            self.cards.push(c);
            return;
        };
        let answer = c.answer.trim();
        let target = &mut self.cards[i];
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
