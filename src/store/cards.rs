//! The cards converted from the notes, kept in the data dir in a compact
//! binary form (postcard), in two files so that what does not show a card
//! (`due`, `stats`) reads 100k cards in milliseconds:
//!
//! * `cards.bin` — each card's id, deck, chapter, section, kind, sources
//!   and tags, with the strings many cards share (decks, chapters,
//!   sections, note paths) held once in a table;
//! * `card-texts.bin` — each card's question and answer, in the same order.
//!
//! Both are derived from the notes: a pair that is missing, of another
//! layout, or does not decode is simply converted again.

use crate::deck::{Card, CardId, CardKind, Deck, Source};
use crate::error::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Version of the files' layout.
pub const CARDS_VERSION: u32 = 2;

/// Where a card's question and answer are kept, beside `cards.bin`.
pub const TEXTS: &str = "card-texts.bin";

#[derive(Serialize, Deserialize)]
struct Head {
    id: smol_str::SmolStr,
    chapter: u32,
    title: u32,
    section: u32,
    kind: CardKind,
    /// (note path, line).
    sources: smallvec::SmallVec<[(u32, u32); 1]>,
    tags: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Heads {
    version: u32,
    /// Every shared string once.
    strings: Vec<String>,
    /// Section paths, as string numbers.
    sections: Vec<Vec<u32>>,
    /// The decks.
    decks: Vec<DeckHeads>,
}

/// A deck in `cards.bin`: its name (string number) and its cards.
#[derive(Serialize, Deserialize)]
struct DeckHeads {
    name: u32,
    #[serde(deserialize_with = "super::whole_list::read")]
    cards: Vec<Head>,
}

#[derive(Serialize, Deserialize)]
struct Texts {
    version: u32,
    /// (question, answer) of each card, deck by deck.
    #[serde(deserialize_with = "super::whole_list::read")]
    texts: Vec<(String, String)>,
}

/// Numbers for strings and section paths, each kept once.
#[derive(Default)]
struct Table {
    strings: Vec<String>,
    numbers: HashMap<String, u32>,
    sections: Vec<Vec<u32>>,
    section_numbers: HashMap<Vec<u32>, u32>,
}

impl Table {
    fn string(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.numbers.get(s) {
            return n;
        }
        let n = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.numbers.insert(s.to_string(), n);
        n
    }

    fn section(&mut self, path: &[String]) -> u32 {
        let key: Vec<u32> = path.iter().map(|t| self.string(t)).collect();
        if let Some(&n) = self.section_numbers.get(&key) {
            return n;
        }
        let n = self.sections.len() as u32;
        self.sections.push(key.clone());
        self.section_numbers.insert(key, n);
        n
    }
}

/// The decks kept in `path` (and the texts beside it, `with_texts`; else
/// every question and answer is left empty). `None` when there are none.
pub fn read(path: &Path, with_texts: bool) -> Result<Option<Vec<Deck>>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let Some(heads) = postcard::from_bytes::<Heads>(&bytes)
        .ok()
        .filter(|h| h.version == CARDS_VERSION)
    else {
        return Ok(None);
    };
    let mut texts = if with_texts {
        let texts_path = path.with_file_name(TEXTS);
        let decoded = std::fs::read(&texts_path)
            .ok()
            .and_then(|b| postcard::from_bytes::<Texts>(&b).ok())
            .filter(|t| t.version == CARDS_VERSION);
        let Some(t) = decoded else {
            return Ok(None);
        };
        Some(t.texts.into_iter())
    } else {
        None
    };
    let strings: Vec<Arc<str>> = heads
        .strings
        .iter()
        .map(|s| Arc::from(s.as_str()))
        .collect();
    let text = |n: u32| {
        strings
            .get(n as usize)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    };
    let sections: Vec<Arc<[String]>> = heads
        .sections
        .iter()
        .map(|p| p.iter().map(|&n| text(n).to_string()).collect())
        .collect();
    let mut decks = Vec::with_capacity(heads.decks.len());
    for DeckHeads { name, cards } in heads.decks {
        let deck = text(name);
        let cards = cards
            .into_iter()
            .map(|h| {
                let (question, answer) =
                    texts.as_mut().and_then(Iterator::next).unwrap_or_default();
                Card {
                    id: CardId(h.id),
                    deck: deck.clone(),
                    chapter: text(h.chapter),
                    chapter_title: text(h.title),
                    section: sections
                        .get(h.section as usize)
                        .cloned()
                        .unwrap_or_else(|| Arc::new([])),
                    kind: h.kind,
                    question,
                    answer,
                    sources: h
                        .sources
                        .into_iter()
                        .map(|(file, line)| Source {
                            file: text(file),
                            line: line as usize,
                        })
                        .collect(),
                    tags: h.tags,
                }
            })
            .collect();
        decks.push(Deck {
            name: deck.to_string(),
            cards,
        });
    }
    Ok(Some(decks))
}

/// Keep `decks` in `path` and their texts beside it, atomically (the
/// texts first: a heads file always has its texts).
pub fn write(path: &Path, decks: &[Deck]) -> Result<(), StoreError> {
    let mut table = Table::default();
    let mut texts = Vec::new();
    let mut out = Vec::with_capacity(decks.len());
    for d in decks {
        let name = table.string(&d.name);
        let cards = d
            .cards
            .iter()
            .map(|c| {
                texts.push((c.question.clone(), c.answer.clone()));
                Head {
                    id: c.id.0.clone(),
                    chapter: table.string(&c.chapter),
                    title: table.string(&c.chapter_title),
                    section: table.section(&c.section),
                    kind: c.kind,
                    sources: c
                        .sources
                        .iter()
                        .map(|s| (table.string(&s.file), s.line as u32))
                        .collect(),
                    tags: c.tags.clone(),
                }
            })
            .collect();
        out.push(DeckHeads { name, cards });
    }
    let encode = |what: Result<Vec<u8>, postcard::Error>| {
        what.map_err(|e| StoreError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })
    };
    let texts = encode(postcard::to_stdvec(&Texts {
        version: CARDS_VERSION,
        texts,
    }))?;
    super::atomic_write(&path.with_file_name(TEXTS), &texts)?;
    let heads = encode(postcard::to_stdvec(&Heads {
        version: CARDS_VERSION,
        strings: table.strings,
        sections: table.sections,
        decks: out,
    }))?;
    super::atomic_write(path, &heads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decks_round_trip_with_and_without_their_texts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cards.bin");
        let decks = crate::store::decks::read_decks(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks"),
        )
        .unwrap();
        write(&path, &decks).unwrap();
        assert_eq!(read(&path, true).unwrap(), Some(decks.clone()));
        let heads = read(&path, false).unwrap().unwrap();
        assert_eq!(heads[0].cards[3].id, decks[0].cards[3].id);
        assert_eq!(heads[0].cards[3].chapter, decks[0].cards[3].chapter);
        assert!(heads[0].cards[3].question.is_empty());
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(read(&path, true).unwrap(), None);
    }
}
