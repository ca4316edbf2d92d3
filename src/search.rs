//! Finding cards by their text, as Browse does on every keystroke.
//!
//! Each card's question and answer are folded to lower case once, when the
//! index is made; a search then only scans the folded texts for the folded
//! query. A card matches when its question or its answer holds the query
//! (not a text that runs from the end of one into the other).

use crate::deck::Card;
use memchr::memmem::Finder;

/// The cards' texts folded to lower case, in card order.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Every card's question and answer, lower-cased, one after the other,
    /// each followed by a NUL (which no query holds, so no match runs from
    /// one text into the next). One string, not two per card: at 100k
    /// cards that is 7 MB less.
    folded: String,
    /// Where each card's texts end in `folded`.
    ends: Vec<usize>,
}

impl SearchIndex {
    /// Fold the texts of `cards`.
    pub fn new(cards: &[Card]) -> SearchIndex {
        let size: usize = cards
            .iter()
            .map(|c| c.question.len() + c.answer.len() + 2)
            .sum();
        let mut folded = String::with_capacity(size);
        let mut ends = Vec::with_capacity(cards.len());
        for c in cards {
            for text in [&c.question, &c.answer] {
                folded.push_str(&text.to_lowercase());
                folded.push('\0');
            }
            ends.push(folded.len());
        }
        SearchIndex { folded, ends }
    }

    /// Number of cards indexed.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Is the index empty?
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Which cards hold `query` (any case, spaces around it ignored), by
    /// index, in card order; every card for a blank query.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let query = query.trim().to_lowercase();
        if query.is_empty() {
            return (0..self.len()).collect();
        }
        if query.contains('\0') {
            return Vec::new();
        }
        let finder = Finder::new(query.as_bytes());
        let text = self.folded.as_bytes();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(at) = finder.find(&text[from..]) {
            let card = self.ends.partition_point(|&end| end <= from + at);
            found.push(card);
            // On after this card's texts.
            from = self.ends[card];
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(question: &str, answer: &str) -> Card {
        Card::sample(question, answer)
    }

    #[test]
    fn finds_korean_and_any_case_in_question_or_answer() {
        let cards = [
            card("Docker 볼륨이란?", "- 데이터를 남기는 곳"),
            card("Pod란?", "- 컨테이너 묶음, DOCKER 아님"),
            card("서비스란?", "- 파드에 닿는 길"),
        ];
        let index = SearchIndex::new(&cards);
        assert_eq!(index.len(), 3);
        assert_eq!(index.search("docker"), [0, 1]);
        assert_eq!(index.search("  볼륨 "), [0]);
        assert_eq!(index.search("파드에"), [2]);
        assert_eq!(index.search("없는 말"), Vec::<usize>::new());
        assert_eq!(index.search(" "), [0, 1, 2]);
    }

    #[test]
    fn a_query_does_not_run_from_question_into_answer() {
        let index = SearchIndex::new(&[card("끝", "시작 끝"), card("다음", "끝")]);
        assert_eq!(index.search("끝시작"), Vec::<usize>::new());
        assert_eq!(index.search("끝\n시작"), Vec::<usize>::new());
        // Nor from one card into the next; a card found twice is listed once.
        assert_eq!(index.search("끝다음"), Vec::<usize>::new());
        assert_eq!(index.search("끝"), [0, 1]);
        assert_eq!(index.search("끝\0"), Vec::<usize>::new());
    }

    #[test]
    fn finds_the_bundled_cards_a_plain_scan_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
        let cards: Vec<Card> = crate::store::decks::read_decks(&dir)
            .expect("bundled decks")
            .into_iter()
            .flat_map(|d| d.cards)
            .collect();
        assert!(cards.len() > 150, "{} cards", cards.len());
        let index = SearchIndex::new(&cards);
        for query in [
            "도커",
            "Kubernetes",
            "pod",
            "볼륨",
            "이미지",
            "EXPOSE",
            "네트워크",
        ] {
            let q = query.to_lowercase();
            let plain: Vec<usize> = (0..cards.len())
                .filter(|&i| {
                    cards[i].question.to_lowercase().contains(&q)
                        || cards[i].answer.to_lowercase().contains(&q)
                })
                .collect();
            assert!(!plain.is_empty(), "{query}");
            assert_eq!(index.search(query), plain, "{query}");
        }
    }
}
