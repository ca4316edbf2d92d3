//! Card identity: normalised question text → stable id, and matching the
//! cards of a re-converted note to the cards it had before.
//!
//! An id is a hash of deck, kind and normalised question, so it does not
//! depend on a card's position. When a question is edited, the new card is
//! matched to the old one by similarity and inherits its id, so its review
//! history stays with it.

use crate::deck::{Card, CardId, CardKind};
use std::collections::{HashMap, HashSet};

/// Similarity (normalised Levenshtein over characters) from which an edited
/// question is taken for the same card.
pub const SIMILARITY_MIN: f64 = 0.75;
/// Shortest normalised question (characters) that may match by containment
/// (a word added or removed at either end).
pub const CONTAIN_MIN_CHARS: usize = 8;

/// Fold what does not change a question's meaning: case, whitespace, Markdown
/// marks, link targets, escapes and trailing punctuation.
pub fn normalise_question(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        // `](url)` — drop the link target.
        if c == ']'
            && rest.starts_with('(')
            && let Some(close) = rest.find(')')
        {
            rest = &rest[close + 1..];
            continue;
        }
        match c {
            '*' | '_' | '`' | '~' | '=' | '#' | '>' | '[' | ']' | '\\' | '!' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            // Hangul has no case: skip the Unicode case tables.
            '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' => {
                out.push(c)
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    let trimmed = out.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '?' | '？' | '.' | '!' | '。' | '…' | '~' | ',')
    });
    trimmed.trim().to_string()
}

/// Hash of a card's identity: deck, kind and normalised question.
pub fn id_hash(deck: &str, kind: CardKind, normalised_question: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let parts: [&[u8]; 5] = [
        deck.as_bytes(),
        b"\x1f",
        kind.as_str().as_bytes(),
        b"\x1f",
        normalised_question.as_bytes(),
    ];
    for part in parts {
        for b in part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The id a card gets when it has no earlier identity.
pub fn card_id(deck: &str, kind: CardKind, normalised_question: &str) -> CardId {
    id_from_hash(id_hash(deck, kind, normalised_question))
}

fn id_from_hash(h: u64) -> CardId {
    CardId(format!("{h:016x}"))
}

/// How alike two normalised questions are, 0.0–1.0.
pub fn similarity(a: &str, b: &str) -> f64 {
    let lev = strsim::normalized_levenshtein(a, b);
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if short.chars().count() >= CONTAIN_MIN_CHARS && long.contains(short) {
        lev.max(SIMILARITY_MIN)
    } else {
        lev
    }
}

/// What re-conversion did to the cards of the previous decks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeReport {
    /// Cards that did not exist before.
    pub new: Vec<CardId>,
    /// Cards that kept their id but whose question, answer, chapter or sources changed.
    pub changed: Vec<CardId>,
    /// Cards unchanged.
    pub kept: Vec<CardId>,
    /// Earlier cards with no counterpart now (their history is kept by the store).
    pub removed: Vec<CardId>,
}

/// Give each new card its id: the previous card's id when the question is
/// the same or lightly edited, else a fresh one. `cards` must have their
/// deck and kind set; ids are overwritten.
pub fn assign_ids(previous: &[Card], cards: &mut [Card]) -> ChangeReport {
    let norm_new: Vec<String> = cards
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    let hash_new: Vec<u64> = cards
        .iter()
        .zip(&norm_new)
        .map(|(c, n)| id_hash(&c.deck, c.kind, n))
        .collect();
    assign_ids_normalised(previous, cards, &norm_new, &hash_new)
}

/// [`assign_ids`] with the new cards' normalised questions and their
/// [`id_hash`] already computed.
pub fn assign_ids_normalised(
    previous: &[Card],
    cards: &mut [Card],
    norm_new: &[String],
    hash_new: &[u64],
) -> ChangeReport {
    let mut report = ChangeReport::default();
    let norm_old: Vec<String> = previous
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    let mut exact: HashMap<(&str, CardKind, &str), usize> = HashMap::new();
    for (i, c) in previous.iter().enumerate() {
        exact.entry((&c.deck, c.kind, &norm_old[i])).or_insert(i);
    }
    let mut matched_old: Vec<Option<usize>> = vec![None; cards.len()];
    let mut used = vec![false; previous.len()];
    for (i, c) in cards.iter().enumerate() {
        if let Some(&j) = exact.get(&(c.deck.as_str(), c.kind, norm_new[i].as_str()))
            && !used[j]
        {
            used[j] = true;
            matched_old[i] = Some(j);
        }
    }
    // Edited questions: best pairs first.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_some() {
            continue;
        }
        for (j, o) in previous.iter().enumerate() {
            if used[j] || o.deck != c.deck || o.kind != c.kind {
                continue;
            }
            let s = similarity(&norm_new[i], &norm_old[j]);
            if s >= SIMILARITY_MIN {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in pairs {
        if matched_old[i].is_none() && !used[j] {
            used[j] = true;
            matched_old[i] = Some(j);
        }
    }
    let mut taken: HashSet<CardId> = matched_old
        .iter()
        .flatten()
        .map(|&j| previous[j].id.clone())
        .collect();
    for (i, c) in cards.iter_mut().enumerate() {
        match matched_old[i] {
            Some(j) => {
                let o = &previous[j];
                c.id = o.id.clone();
                let same = o.question == c.question
                    && o.answer == c.answer
                    && o.chapter == c.chapter
                    && o.sources == c.sources
                    && o.section == c.section;
                if same {
                    report.kept.push(c.id.clone());
                } else {
                    report.changed.push(c.id.clone());
                }
            }
            None => {
                let base = id_from_hash(hash_new[i]);
                let mut id = base.clone();
                let mut n = 2;
                while taken.contains(&id) {
                    id = CardId(format!("{base}-{n}"));
                    n += 1;
                }
                taken.insert(id.clone());
                c.id = id;
                report.new.push(c.id.clone());
            }
        }
    }
    for (j, o) in previous.iter().enumerate() {
        if !used[j] {
            report.removed.push(o.id.clone());
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_marks_space_and_trailing_punctuation() {
        assert_eq!(
            normalise_question("  `docker run`을   실행하면 **pull**은?? "),
            "docker run을 실행하면 pull은"
        );
        assert_eq!(
            normalise_question("[Killercoda](https://killercoda.com/) 에서"),
            "killercoda 에서"
        );
    }

    #[test]
    fn id_depends_on_text_not_position() {
        let a = card_id("course", CardKind::Qa, "같은 질문");
        assert_eq!(a, card_id("course", CardKind::Qa, "같은 질문"));
        assert_ne!(a, card_id("book", CardKind::Qa, "같은 질문"));
        assert_eq!(a.0.len(), 16);
    }

    #[test]
    fn typo_fix_is_similar_enough() {
        let a = normalise_question("Volume 만들 때 용량은 지정할 수 있나요?");
        let b = normalise_question("Volume을 만들 때 용량을 지정할 수 있나요?");
        assert!(similarity(&a, &b) >= SIMILARITY_MIN);
        let c = normalise_question("Helm chart의 구조는 어떻게 되나요?");
        assert!(similarity(&a, &c) < SIMILARITY_MIN);
    }
}
