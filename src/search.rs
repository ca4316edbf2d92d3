//! Finding cards by their text, as Browse does on every keystroke.
//!
//! A card matches when its question or its answer holds the query, in any
//! case (Unicode case folding), spaces around the query ignored; not a
//! text that runs from the end of one into the other. The cards' texts are
//! searched as they are: no folded copy of them is kept (at 100k cards such
//! a copy took 16 MB). A search over 100k cards takes 8–19 ms, so the
//! window runs it on another thread.

use crate::deck::Card;

/// What a query matches: built once, then asked of each card.
#[derive(Debug, Clone)]
pub struct Query {
    /// The query as a case-insensitive literal; none for a blank query
    /// (which every card matches).
    finder: Option<regex::Regex>,
    /// A query too long to search for matches no card.
    too_long: bool,
}

impl Query {
    /// The query `text` (spaces around it ignored).
    pub fn new(text: &str) -> Query {
        let text = text.trim();
        if text.is_empty() {
            return Query {
                finder: None,
                too_long: false,
            };
        }
        let finder = regex::RegexBuilder::new(&regex::escape(text))
            .case_insensitive(true)
            .build()
            .ok();
        Query {
            too_long: finder.is_none(),
            finder,
        }
    }

    /// Does `card` hold the query?
    pub fn matches(&self, card: &Card) -> bool {
        match &self.finder {
            Some(f) => f.is_match(&card.question) || f.is_match(&card.answer),
            None => !self.too_long,
        }
    }
}

/// Which of `cards` hold `query`, by index, in card order; every card for
/// a blank query.
pub fn search(cards: &[Card], query: &str) -> Vec<usize> {
    let query = Query::new(query);
    (0..cards.len())
        .filter(|&i| query.matches(&cards[i]))
        .collect()
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
        assert_eq!(search(&cards, "docker"), [0, 1]);
        assert_eq!(search(&cards, "  볼륨 "), [0]);
        assert_eq!(search(&cards, "파드에"), [2]);
        assert_eq!(search(&cards, "없는 말"), Vec::<usize>::new());
        assert_eq!(search(&cards, " "), [0, 1, 2]);
        // Signs a pattern would read as its own are plain text here.
        assert_eq!(search(&cards, "pod.?"), Vec::<usize>::new());
        assert_eq!(search(&cards, "?"), [0, 1, 2]);
        // Any case, beyond ASCII too.
        let greek = [card("ΣΙΓΜΑ", "-"), card("sigma", "-")];
        assert_eq!(search(&greek, "σιγμα"), [0]);
    }

    #[test]
    fn a_query_does_not_run_from_question_into_answer() {
        let cards = [card("끝", "시작 끝"), card("다음", "끝")];
        assert_eq!(search(&cards, "끝시작"), Vec::<usize>::new());
        assert_eq!(search(&cards, "끝\n시작"), Vec::<usize>::new());
        // Nor from one card into the next; a card found twice is listed once.
        assert_eq!(search(&cards, "끝다음"), Vec::<usize>::new());
        assert_eq!(search(&cards, "끝"), [0, 1]);
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
            assert_eq!(search(&cards, query), plain, "{query}");
        }
    }
}
