//! Card identity: normalised question text → stable id, and matching the
//! cards of a re-converted note to the cards it had before.
//!
//! An id is a hash of deck, kind and normalised question, so it does not
//! depend on a card's position. When a question is edited, the new card is
//! matched to the old one by similarity and inherits its id, so its review
//! history stays with it.

use crate::deck::{Card, CardId, CardKind};
use std::borrow::Borrow;
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
        if c == ']' {
            // `](url)`: the link target goes too.
            if rest.starts_with('(')
                && let Some(close) = rest.find(')')
            {
                rest = &rest[close + 1..];
            }
        } else if matches!(
            c,
            '*' | '_' | '`' | '~' | '=' | '#' | '>' | '[' | '\\' | '!'
        ) {
            // A mark: left out.
        } else if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let end = out
        .trim_end_matches(|c: char| c.is_whitespace() || "?？.!。…~,".contains(c))
        .len();
    out.truncate(end);
    out
}

/// Hash of a card's identity: FNV-1a of its deck, kind and normalised
/// question, with `\x1f` after the deck and after the kind. (Ids of earlier
/// versions depend on exactly this.)
pub fn id_hash(deck: &str, kind: CardKind, normalised_question: &str) -> u64 {
    let text = format!("{deck}\x1f{}\x1f{normalised_question}", kind.as_str());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The id a card gets when it has no earlier identity: its [`id_hash`] in
/// 16 hexadecimal digits.
pub fn card_id(deck: &str, kind: CardKind, normalised_question: &str) -> CardId {
    CardId(format!("{:016x}", id_hash(deck, kind, normalised_question)).into())
}

/// How alike two normalised questions are, when alike enough to be one
/// card: `1 − edit distance / longer length` (over characters), raised to
/// [`SIMILARITY_MIN`] when the shorter (of at least [`CONTAIN_MIN_CHARS`])
/// is contained in the longer (a word added or removed at either end).
/// `None` below [`SIMILARITY_MIN`].
pub fn similarity(a: &str, b: &str) -> Option<f64> {
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let longest = ac.len().max(bc.len());
    if longest == 0 {
        return Some(1.0);
    }
    // Only distances that could still reach the threshold are worked out.
    let max_edits = ((1.0 - SIMILARITY_MIN) * longest as f64).floor() as usize + 1;
    let by_edits =
        levenshtein_within(&ac, &bc, max_edits).map_or(0.0, |d| 1.0 - d as f64 / longest as f64);
    let contained = ac.len().min(bc.len()) >= CONTAIN_MIN_CHARS
        && if ac.len() <= bc.len() {
            b.contains(a)
        } else {
            a.contains(b)
        };
    let s = if contained {
        by_edits.max(SIMILARITY_MIN)
    } else {
        by_edits
    };
    (s >= SIMILARITY_MIN).then_some(s)
}

/// Edit distance of `a` and `b` if it is at most `k` (Ukkonen's band: only
/// cells within `k` of the diagonal can stay within `k`).
fn levenshtein_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let far = usize::MAX / 2;
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { far }).collect();
    let mut cur = vec![far; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[0] = if i <= k { i } else { far };
        if lo > 1 {
            cur[lo - 1] = far;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if hi < m {
            cur[hi + 1] = far;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= k).then_some(prev[m])
}

/// Questions of at most this many characters are compared with every old
/// question; longer ones only with those sharing enough bigrams.
const SHORT_CHARS: usize = 8;

/// Character bigrams of a string with their counts.
fn bigrams(s: &str) -> HashMap<(char, char), u32> {
    let chars: Vec<char> = s.chars().collect();
    let mut grams = HashMap::new();
    for w in chars.windows(2) {
        *grams.entry((w[0], w[1])).or_insert(0) += 1;
    }
    grams
}

/// Fewest bigrams two strings of at most `longest` characters share when
/// similar enough by edit distance: each edit destroys at most two bigrams
/// of the `longest − 1` (the q-gram lemma). One edit of slack keeps float
/// rounding from ever excluding a real match.
fn bigram_bound(longest: usize) -> u32 {
    let max_edits = ((1.0 - SIMILARITY_MIN) * longest as f64).floor() as usize + 1;
    longest.saturating_sub(1).saturating_sub(2 * max_edits) as u32
}

/// Could two questions of `ca` and `cb` characters sharing `shared`
/// bigrams be similar enough? (A filter: it never says no to a pair
/// [`similarity`] accepts.)
fn may_be_similar(ca: usize, cb: usize, shared: u32) -> bool {
    let short = ca.min(cb);
    shared >= bigram_bound(ca.max(cb)) || (short >= CONTAIN_MIN_CHARS && shared + 1 >= short as u32)
}

/// Pair new cards not matched exactly (`matched_old[i]` is `None`) with
/// earlier cards of the same deck and kind not `used` yet whose question is
/// similar enough, best pairs first. Old questions are found through the
/// bigrams they share with the new one, so a note of thousands of cards is
/// not compared pair by pair.
fn match_edited(
    previous: &[&Card],
    cards: &[Card],
    norm_old: &[String],
    norm_new: &[String],
    used: &mut [bool],
    matched_old: &mut [Option<usize>],
) {
    let mut postings: HashMap<(char, char), Vec<(usize, u32)>> = HashMap::new();
    for (j, q) in norm_old.iter().enumerate() {
        if !used[j] {
            for (g, n) in bigrams(q) {
                postings.entry(g).or_default().push((j, n));
            }
        }
    }
    let chars_old: Vec<usize> = norm_old.iter().map(|q| q.chars().count()).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_some() {
            continue;
        }
        let chars_new = norm_new[i].chars().count();
        let candidates: Vec<usize> = if chars_new <= SHORT_CHARS {
            // Too short for the bigram bound to rule anything out.
            (0..previous.len()).collect()
        } else {
            let mut shared: HashMap<usize, u32> = HashMap::new();
            for (g, n) in bigrams(&norm_new[i]) {
                for &(j, m) in postings.get(&g).map_or(&[][..], Vec::as_slice) {
                    *shared.entry(j).or_insert(0) += n.min(m);
                }
            }
            shared
                .into_iter()
                .filter(|&(j, s)| may_be_similar(chars_new, chars_old[j], s))
                .map(|(j, _)| j)
                .collect()
        };
        for j in candidates {
            let o = &previous[j];
            if used[j] || o.deck != c.deck || o.kind != c.kind {
                continue;
            }
            if let Some(s) = similarity(&norm_new[i], &norm_old[j]) {
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

/// A normalised question without a place in brackets at its end.
fn without_place(q: &str) -> String {
    match q
        .strip_suffix(')')
        .and_then(|r| r.rfind(" (").map(|at| &q[..at]))
    {
        Some(bare) if !bare.is_empty() => bare.to_string(),
        _ => q.to_string(),
    }
}

/// A card's deck, kind, normalised question and note: the same question
/// from the same note.
type SameNote<'a> = (&'a str, CardKind, &'a str, Option<std::sync::Arc<str>>);

/// Give each new card its id: the previous card's id when the question is
/// the same or lightly edited (in the same deck), or the same in another
/// deck (a note moved to another folder), else a fresh one ([`card_id`]; a fresh id
/// already taken gets a `-2`, `-3`, … suffix). `cards` must have their deck
/// and kind set; ids are overwritten. `previous` are cards or references
/// to them (the store's cards are matched in place, not copied).
pub fn assign_ids<P: Borrow<Card>>(previous: &[P], cards: &mut [Card]) -> ChangeReport {
    let previous: Vec<&Card> = previous.iter().map(Borrow::borrow).collect();
    let mut report = ChangeReport::default();
    let norm_new: Vec<String> = cards
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    let norm_old: Vec<String> = previous
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    // The same question: an earlier card with it, from the same note first
    // (a question asked several times in one deck keeps each its own id).
    let file = |c: &Card| c.sources.first().map(|s| s.file.clone());
    let mut same_note: HashMap<SameNote, Vec<usize>> = HashMap::new();
    let mut same_deck: HashMap<(&str, CardKind, &str), Vec<usize>> = HashMap::new();
    for (j, c) in previous.iter().enumerate().rev() {
        same_note
            .entry((&c.deck, c.kind, &norm_old[j], file(c)))
            .or_default()
            .push(j);
        same_deck
            .entry((&c.deck, c.kind, &norm_old[j]))
            .or_default()
            .push(j);
    }
    let mut matched_old: Vec<Option<usize>> = vec![None; cards.len()];
    let mut used = vec![false; previous.len()];
    for (i, c) in cards.iter().enumerate() {
        let key = (&*c.deck, c.kind, norm_new[i].as_str(), file(c));
        if let Some(list) = same_note.get_mut(&key) {
            while let Some(j) = list.pop() {
                if !used[j] {
                    used[j] = true;
                    matched_old[i] = Some(j);
                    break;
                }
            }
        }
    }
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_some() {
            continue;
        }
        if let Some(list) = same_deck.get_mut(&(&*c.deck, c.kind, norm_new[i].as_str())) {
            while let Some(j) = list.pop() {
                if !used[j] {
                    used[j] = true;
                    matched_old[i] = Some(j);
                    break;
                }
            }
        }
    }
    // Edited questions, best pairs first.
    match_edited(
        &previous,
        cards,
        &norm_old,
        &norm_new,
        &mut used,
        &mut matched_old,
    );
    // A question that gained or lost a place in brackets at its end (two
    // cards of a deck asking the same are told apart so: `도커의 구조 (도커
    // 엔진)`) is the same question.
    let mut bare: HashMap<(&str, CardKind, String), Vec<usize>> = HashMap::new();
    for (j, c) in previous.iter().enumerate().rev() {
        if !used[j] {
            bare.entry((&c.deck, c.kind, without_place(&norm_old[j])))
                .or_default()
                .push(j);
        }
    }
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_some() {
            continue;
        }
        if let Some(list) = bare.get_mut(&(&*c.deck, c.kind, without_place(&norm_new[i]))) {
            while let Some(j) = list.pop() {
                if !used[j] {
                    used[j] = true;
                    matched_old[i] = Some(j);
                    break;
                }
            }
        }
    }
    // A note moved to another folder changes its cards' deck: the same
    // question of the same kind, not matched in its own deck, keeps its id.
    let mut moved: HashMap<(CardKind, &str), Vec<usize>> = HashMap::new();
    for (j, c) in previous.iter().enumerate().rev() {
        if !used[j] {
            moved.entry((c.kind, &norm_old[j])).or_default().push(j);
        }
    }
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_none()
            && let Some(j) = moved
                .get_mut(&(c.kind, norm_new[i].as_str()))
                .and_then(Vec::pop)
        {
            used[j] = true;
            matched_old[i] = Some(j);
        }
    }
    // Ids kept from earlier cards are taken first; fresh ids after them.
    let mut taken: HashSet<String> = matched_old
        .iter()
        .flatten()
        .map(|&j| previous[j].id.0.to_string())
        .collect();
    for (i, c) in cards.iter_mut().enumerate() {
        match matched_old[i] {
            Some(j) => {
                let o = &previous[j];
                c.id = o.id.clone();
                // A card whose note only moved it (lines added above it)
                // is kept, not changed: its notes are compared, not lines.
                let notes = |c: &Card| c.sources.iter().map(|s| s.file.clone()).collect::<Vec<_>>();
                let same = o.question == c.question
                    && o.answer == c.answer
                    && o.chapter == c.chapter
                    && notes(o) == notes(c)
                    && o.section == c.section;
                if same {
                    report.kept.push(c.id.clone());
                } else {
                    report.changed.push(c.id.clone());
                }
            }
            None => {
                let fresh = card_id(&c.deck, c.kind, &norm_new[i]).0.to_string();
                let id = if taken.contains(&fresh) {
                    (2..)
                        .map(|n| format!("{fresh}-{n}"))
                        .find(|id| !taken.contains(id))
                        .unwrap_or(fresh)
                } else {
                    fresh
                };
                taken.insert(id.clone());
                c.id = CardId(id.into());
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
        assert_eq!(normalise_question("\\$HOME 은 Ⓚ ÉTÉ!"), "$home 은 ⓚ été");
    }

    #[test]
    fn ids_of_earlier_versions_stay_the_same() {
        // Known values: cards already reviewed carry these ids.
        assert_eq!(
            card_id("course", CardKind::Qa, "볼륨이란").0,
            "1cc14611991eedde"
        );
        assert_eq!(
            card_id("book", CardKind::Definition, "pods").0,
            "02accf79b22b9185"
        );
        // The second is the bundled book deck's `**Pods**` card.
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
        assert!(similarity(&a, &b).is_some());
        let c = normalise_question("Helm chart의 구조는 어떻게 되나요?");
        assert!(similarity(&a, &c).is_none());
    }

    fn shared_bigrams(a: &str, b: &str) -> u32 {
        let gb = bigrams(b);
        bigrams(a)
            .iter()
            .map(|(g, n)| gb.get(g).map_or(0, |m| (*n).min(*m)))
            .sum()
    }

    proptest::proptest! {
        /// The bigram filter never drops a pair that `similarity` accepts.
        #[test]
        fn bigram_filter_keeps_every_similar_pair(
            a in "[가나다 ab]{9,40}",
            edits in proptest::collection::vec((0usize..40, 0u8..3, "[가나다 abc]"), 0..12),
        ) {
            let mut b: Vec<char> = a.chars().collect();
            for (at, op, c) in edits {
                let c = c.chars().next().unwrap_or('a');
                let at = at.min(b.len());
                match op {
                    0 => b.insert(at, c),
                    1 if at < b.len() => { b.remove(at); }
                    _ if at < b.len() => b[at] = c,
                    _ => b.push(c),
                }
            }
            let b: String = b.into_iter().collect();
            if similarity(&a, &b).is_some() {
                let shared = shared_bigrams(&a, &b);
                proptest::prop_assert!(
                    may_be_similar(a.chars().count(), b.chars().count(), shared),
                    "{a:?} {b:?} shared {shared}"
                );
            }
        }

        /// The banded distance agrees with the full one wherever it answers.
        #[test]
        fn banded_edit_distance_matches_full(
            a in "[가나 ab]{0,30}",
            b in "[가나 ab]{0,30}",
            k in 0usize..12,
        ) {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let full = strsim::levenshtein(&a, &b);
            proptest::prop_assert_eq!(levenshtein_within(&ac, &bc, k), (full <= k).then_some(full));
        }
    }

    /// A course Q&A card with this question, no id yet.
    fn card(q: &str) -> Card {
        Card::sample(q, "a")
    }

    #[test]
    fn edited_questions_keep_their_ids_among_many() {
        let mut old: Vec<Card> = (0..300)
            .map(|i| card(&format!("질문 번호 {i}번은 무엇을 뜻하나요?")))
            .collect();
        assign_ids::<Card>(&[], &mut old);
        let mut new: Vec<Card> = (0..300)
            .map(|i| {
                if i % 3 == 0 {
                    card(&format!("질문 번호 {i}번은 무엇을 뜻하는 걸까요?"))
                } else {
                    card(&format!("질문 번호 {i}번은 무엇을 뜻하나요?"))
                }
            })
            .collect();
        let report = assign_ids(&old, &mut new);
        assert_eq!(report.new.len(), 0, "{:?}", report.new);
        assert_eq!(report.removed.len(), 0);
        assert_eq!(report.changed.len(), 100);
        for (o, n) in old.iter().zip(&new) {
            assert_eq!(o.id, n.id, "{} / {}", o.question, n.question);
        }
    }

    #[test]
    fn taken_ids_get_a_numbered_suffix() {
        // The same question three times (unmerged): one id each.
        let mut cards = vec![card("볼륨은?"), card("볼륨은?"), card("볼륨은?")];
        let report = assign_ids::<Card>(&[], &mut cards);
        let base = card_id("course", CardKind::Qa, &normalise_question("볼륨은?"));
        let ids: Vec<String> = cards.iter().map(|c| c.id.0.to_string()).collect();
        assert_eq!(
            ids,
            [base.0.to_string(), format!("{base}-2"), format!("{base}-3")]
        );
        assert_eq!(report.new.len(), 3);
        // An earlier card kept under another question holds the fresh id of
        // a new one (and `-2` is taken too): the new card moves on to `-3`.
        let mut old = vec![card("네트워크는?"), card("포트는?")];
        old[0].id = base.clone();
        old[1].id = CardId(format!("{base}-2").into());
        let mut new = vec![card("네트워크는?"), card("포트는?"), card("볼륨은?")];
        let report = assign_ids(&old, &mut new);
        assert_eq!(report.kept.len(), 2);
        assert_eq!(new[0].id, base);
        assert_eq!(new[2].id.0, format!("{base}-3"));
        assert_eq!(report.new, [new[2].id.clone()]);
    }
}
