//! Changing the cards: new decks from a conversion (cards that leave keep
//! their history as retired cards), chapters set by hand.

use super::open::sort_for_study;
use super::{Store, atomic_write, cards, chapters, decks, files, study_order};
use crate::deck::Card;
use crate::error::StoreError;

/// Keep `decks` (put in study order) as the cards of the data dir `dir`:
/// the files [`Store::set_decks`] writes, written where no store is at
/// hand (a thread converting for the window, which then adopts them).
pub fn write_decks(
    dir: &std::path::Path,
    decks: &mut [crate::deck::Deck],
) -> Result<(), StoreError> {
    sort_for_study(decks);
    cards::write(&dir.join(files::CARDS), decks)
}

impl Store {
    /// Replace every deck with `decks` (converted from the notes): written
    /// to the data dir (deck files no longer given are removed) unless the
    /// store is open only to read, and the cards reloaded. A card's history
    /// stays with its id whether or not it is in a deck.
    pub fn set_decks(&mut self, mut decks: Vec<crate::deck::Deck>) -> Result<(), StoreError> {
        if !self.read_only() {
            write_decks(&self.dir, &mut decks)?;
        }
        self.adopt_decks(decks)
    }

    /// Take `decks` as the cards, already kept in the data dir by
    /// [`write_decks`] (on another thread): what [`Store::set_decks`] does
    /// but write the card files.
    pub fn adopt_decks(&mut self, mut decks: Vec<crate::deck::Deck>) -> Result<(), StoreError> {
        sort_for_study(&mut decks);
        // Cards leaving the decks with a history are kept as retired.
        let now_in: rustc_hash::FxHashSet<&str> = decks
            .iter()
            .flat_map(|d| d.cards.iter().map(|c| c.id.0.as_str()))
            .collect();
        let mut retired: Vec<Card> = self
            .retired
            .iter()
            .chain(self.cards.iter())
            .filter(|c| {
                !now_in.contains(c.id.0.as_str()) && self.states.contains_key(c.id.0.as_str())
            })
            .cloned()
            .collect();
        let mut seen = rustc_hash::FxHashSet::default();
        retired.retain(|c| seen.insert(c.id.clone()));
        if retired != self.retired && !self.read_only() {
            let deck = crate::deck::Deck {
                name: "retired".into(),
                cards: retired.clone(),
            };
            atomic_write(
                &self.dir.join(files::RETIRED),
                decks::to_ron(&deck).as_bytes(),
            )?;
        }
        self.retired = retired;
        let old = std::mem::replace(&mut self.cards, study_order(decks).into());
        // Freeing tens of thousands of cards (each a handful of
        // allocations) took a window's frame: it is done on another thread.
        std::thread::spawn(move || drop(old));
        self.has_texts = true;
        self.index = std::cell::OnceCell::new();
        self.sync_all();
        self.revision += 1;
        self.cards_revision += 1;
        Ok(())
    }

    /// Set a card's chapter by hand (`chapter` id and `title` of its deck's
    /// chapter system), kept in the data dir over re-conversion; `None`
    /// goes back to the chapter the notes give.
    pub fn set_chapter(
        &mut self,
        card: &str,
        chapter: Option<(String, String)>,
    ) -> Result<(), StoreError> {
        if self.read_only() {
            return Err(StoreError::ReadOnly {
                path: self.dir.clone(),
            });
        }
        let mut next = self.chapters.clone();
        match chapter {
            Some(ch) => {
                next.insert(card.to_string(), ch);
            }
            None => {
                next.remove(card);
            }
        }
        chapters::write(&self.dir.join(files::CHAPTERS), &next)?;
        // Back to the notes' chapter.
        if !next.contains_key(card)
            && let Some(i) = self.card_index(card)
            && let Some((chapter, title)) = self.notes_chapters.remove(card)
        {
            let card = &mut std::sync::Arc::make_mut(&mut self.cards)[i];
            card.chapter = chapter;
            card.chapter_title = title;
        }
        self.chapters = next;
        self.sync_all();
        self.revision += 1;
        self.cards_revision += 1;
        Ok(())
    }

    /// Chapters set by hand, by card id.
    pub fn chapter_overrides(&self) -> &chapters::Overrides {
        &self.chapters
    }

    /// Cards that left the decks with a history (their last content).
    pub fn retired_cards(&self) -> &[Card] {
        &self.retired
    }

    /// Card ids with history that are in no deck now (kept; they come back
    /// with their history if the card returns).
    pub fn removed_cards(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .states
            .keys()
            .filter(|k| self.card_index(k).is_none())
            .map(|k| k.as_str())
            .collect();
        v.sort_unstable();
        v
    }
}
