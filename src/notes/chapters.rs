//! Chapters: the user-editable chapter map (`decks/chapters.ron`) and the
//! classifier that gives every course card one chapter.
//!
//! Three signals, strongest first:
//!
//! 1. **Explicit references** — `Dockerfile p15`, `Docker_commmands P4`
//!    (typos within one edit), `Chapter2 교재`, `(Service 챕터)`,
//!    `06. Dockerfile Best practice`, `[Hands-on] 12_…`. A reference in the
//!    question wins over one in the answer; either wins over keywords.
//! 2. **Concept keywords** of each chapter (from the map), counted once per
//!    card, question hits weighted [`ChapterMap::question_weight`]× answer hits.
//!    A card whose keywords clearly name one chapter ([`CLEAR_SCORE`],
//!    [`CLEAR_RATIO`]) keeps it whatever its neighbours are.
//! 3. **Course order** — a Q&A log follows the lectures, so the chapters of
//!    consecutive questions rarely go back. A Viterbi pass over each note's
//!    cards adds [`ChapterMap::backward_penalty`] for every step back and
//!    [`ChapterMap::forward_step`] per chapter skipped forward; a question with
//!    no keyword therefore takes the chapter of its neighbours. A section
//!    heading that names a group (`## Docker`, `### Kubernetes`) limits its
//!    cards to that group's chapters.
//!
//! Chapter "unsorted" (`00`) is outside the order: a card goes there when
//! its own keywords (logistics, lab accounts, …) outweigh every chapter's.

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

/// One chapter of a deck's chapter system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    /// Id as shown and stored, e.g. `"10"`.
    pub id: String,
    /// Title, e.g. `Kubernetes_Service`.
    pub title: String,
    /// Names the course material uses for this chapter (`Dockerfile BP`, …),
    /// recognised before a page or `교재`/`챕터` marker.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Concept words and their weights. ASCII words match whole words,
    /// others match anywhere (Korean particles attach to words).
    #[serde(default)]
    pub keywords: Vec<(String, f32)>,
}

/// A named group of chapters a section heading may name (`Docker`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Group name.
    pub name: String,
    /// Words in a heading that name the group.
    pub aliases: Vec<String>,
    /// Chapter ids in the group.
    pub chapters: Vec<String>,
}

/// The chapter map of one deck, as stored in `decks/chapters.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChapterMap {
    /// File format version.
    pub version: u32,
    /// The deck it applies to.
    pub deck: String,
    /// Chapters in course order.
    pub chapters: Vec<Chapter>,
    /// The "unsorted" chapter (`00`) with its own keywords.
    pub unsorted: Chapter,
    /// Groups that section headings may name.
    #[serde(default)]
    pub groups: Vec<Group>,
    /// Score cost of a question going back one or more chapters.
    #[serde(default = "default_backward")]
    pub backward_penalty: f32,
    /// Score cost per chapter skipped going forward.
    #[serde(default = "default_forward")]
    pub forward_step: f32,
    /// Weight of a keyword found in the question, relative to one in the answer.
    #[serde(default = "default_question_weight")]
    pub question_weight: f32,
}

fn default_backward() -> f32 {
    2.5
}
fn default_forward() -> f32 {
    0.2
}
fn default_question_weight() -> f32 {
    3.0
}

/// How a chapter was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basis {
    /// An explicit reference in the question.
    QuestionReference,
    /// An explicit reference in the answer.
    AnswerReference,
    /// Keywords and course order.
    Keywords,
    /// The unsorted chapter's own keywords.
    Unsorted,
}

/// What the classifier sees of one card.
#[derive(Debug, Clone, Copy)]
pub struct CardText<'a> {
    /// Question (plain or Markdown).
    pub question: &'a str,
    /// Answer prose (code excluded).
    pub answer: &'a str,
    /// Heading path.
    pub section: &'a [String],
}

/// One keyword: which chapter (`None` = unsorted), its weight, and whether
/// it must stand as a whole word (an ASCII keyword).
struct Keyword {
    chapter: Option<usize>,
    weight: f32,
    whole_word: bool,
}

/// A chapter map ready to classify.
pub struct Classifier {
    /// The map.
    pub map: ChapterMap,
    /// Squashed aliases per chapter, as characters.
    aliases: Vec<Vec<Vec<char>>>,
    /// Every chapter's keywords, found together in one pass over a text
    /// (ASCII letters in any case).
    finder: AhoCorasick,
    keywords: Vec<Keyword>,
}

/// Lower-case, without spaces, `_`, `-`, `.`, backticks and `*`: how
/// aliases are compared.
fn squash(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| !matches!(c, ' ' | '_' | '-' | '.' | '\t' | '\n' | '`' | '*'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Is `a` equal to `b`, or (with `tol` 1) one insertion, deletion or substitution away?
fn within_one_edit(a: &[char], b: &[char], tol: usize) -> bool {
    if tol == 0 || a.len().abs_diff(b.len()) > 1 {
        return a == b;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if prefix == a.len().min(b.len()) {
        return true;
    }
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => ra[1..] == rb[1..],
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

/// Is `h[s..e]` bounded by non-alphanumeric ASCII (or a text edge) on both sides?
fn is_word_at(h: &[u8], s: usize, e: usize) -> bool {
    let before = s == 0 || !h[s - 1].is_ascii_alphanumeric();
    let after = e >= h.len() || !h[e].is_ascii_alphanumeric();
    before && after
}

/// Does `needle` occur in `hay` as a whole word (ASCII) or anywhere (other scripts)?
/// Case is folded for ASCII only.
fn contains_word(hay: &str, needle: &str, ascii: bool) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return false;
    }
    (0..=h.len() - n.len()).any(|s| {
        h[s..s + n.len()].eq_ignore_ascii_case(n) && (!ascii || is_word_at(h, s, s + n.len()))
    })
}

impl Classifier {
    /// Prepare a map.
    pub fn new(map: ChapterMap) -> Self {
        let aliases = map
            .chapters
            .iter()
            .map(|c| c.aliases.iter().map(|a| squash(a)).collect())
            .collect();
        let mut patterns = Vec::new();
        let mut keywords = Vec::new();
        let chapters = map.chapters.iter().enumerate().map(|(i, c)| (Some(i), c));
        for (chapter, c) in chapters.chain(std::iter::once((None, &map.unsorted))) {
            for (k, w) in &c.keywords {
                let k = k.to_lowercase();
                if k.is_empty() {
                    continue;
                }
                keywords.push(Keyword {
                    chapter,
                    weight: *w,
                    whole_word: k.is_ascii(),
                });
                patterns.push(k);
            }
        }
        let finder = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&patterns)
            .unwrap_or_else(|e| panic!("keywords of the chapter map: {e}"));
        Classifier {
            map,
            aliases,
            finder,
            keywords,
        }
    }

    /// Parse a map from RON text.
    pub fn from_ron(text: &str) -> Result<Self, ron::error::SpannedError> {
        Ok(Self::new(ron::from_str(text)?))
    }

    /// The chapter map shipped with the program (same as `decks/chapters.ron`).
    pub fn bundled() -> Self {
        Self::from_ron(BUNDLED_MAP).unwrap_or_else(|e| {
            // The bundled file is checked by a test; this is unreachable in a release.
            panic!("bundled chapter map does not parse: {e}")
        })
    }

    /// Keyword scores of one card, added to `scores` (one per chapter);
    /// returns the unsorted chapter's. Each keyword counts once:
    /// [`ChapterMap::question_weight`]× in the question, else 1× in the answer.
    /// `hits` is scratch space.
    fn keyword_scores(&self, q: &str, a: &str, scores: &mut [f32]) -> f32 {
        // Each keyword once: in the question if it is there, else in the answer.
        let mut found: std::collections::BTreeMap<usize, bool> = std::collections::BTreeMap::new();
        for (text, in_question) in [(q, true), (a, false)] {
            for m in self.finder.find_overlapping_iter(text) {
                let k = m.pattern().as_usize();
                if !self.keywords[k].whole_word || is_word_at(text.as_bytes(), m.start(), m.end()) {
                    found.entry(k).or_insert(in_question);
                }
            }
        }
        let mut unsorted = 0.0;
        for (k, in_q) in found {
            let kw = &self.keywords[k];
            let s = if in_q {
                kw.weight * self.map.question_weight
            } else {
                kw.weight
            };
            match kw.chapter {
                Some(c) => scores[c] += s,
                None => unsorted += s,
            }
        }
        unsorted
    }

    /// Index of the chapter an explicit reference in `text` names.
    pub fn reference(&self, text: &str) -> Option<usize> {
        let by_id = |n: usize| {
            let id = format!("{n:02}");
            self.map.chapters.iter().position(|c| c.id == id)
        };
        let h = text.as_bytes();
        // The first of each kind of numbered reference, in text order; all
        // of them hold a number, so only the runs of digits are looked at.
        let mut numbered = None; // `NN_Title`, `NN. Title`, `[Hands-on] NN_…`
        let mut chapter = None; // `Chapter2`, `Chapter 2`
        let mut has_page = false; // `p15`, `P4`
        let mut at = 0;
        while let Some(j) = h[at..].iter().position(u8::is_ascii_digit).map(|p| at + p) {
            let k = j + h[j..].iter().take_while(|b| b.is_ascii_digit()).count();
            at = k;
            has_page |= j > 0 && h[j - 1].eq_ignore_ascii_case(&b'p');
            // Two digits alone (nothing word-like or `.` before them), `_` or
            // `.`, then a letter after any spaces.
            if numbered.is_none()
                && k - j == 2
                && k + 1 < h.len()
                && matches!(h[k], b'_' | b'.')
                && (j == 0
                    || !(h[j - 1].is_ascii_alphanumeric() || h[j - 1] >= 0x80 || h[j - 1] == b'.'))
            {
                let m = k + 1 + h[k + 1..].iter().take_while(|&&b| b == b' ').count();
                if h.get(m).is_some_and(u8::is_ascii_alphabetic) {
                    let n = usize::from(h[j] - b'0') * 10 + usize::from(h[j + 1] - b'0');
                    numbered = by_id(n);
                }
            }
            if chapter.is_none() {
                // `Chapter 2`, `ch13`, `Ch.13`, `교재 10장`.
                let before = text[..j].trim_end().trim_end_matches('.').to_lowercase();
                let word_before = |w: &str| {
                    before.ends_with(w)
                        && !before[..before.len() - w.len()]
                            .ends_with(|c: char| c.is_ascii_alphanumeric())
                };
                let after = &text[k..];
                let textbook_chapter = after.starts_with('장') && before.ends_with("교재");
                if word_before("chapter") || word_before("ch") || textbook_chapter {
                    chapter = text[j..k].parse().ok().and_then(by_id);
                }
            }
        }
        if numbered.is_some() {
            return numbered;
        }
        if chapter.is_some() {
            return chapter;
        }
        let number_after = |end: usize| {
            let after = text[end..].trim_start();
            let digits = after.bytes().take_while(u8::is_ascii_digit).count();
            after[..digits].parse().ok().and_then(by_id)
        };
        let mut has_marker = false;
        for (s, word) in text.match_indices("챕터") {
            has_marker = true;
            if let Some(ix) = number_after(s + word.len()) {
                return Some(ix);
            }
        }
        // Alias right before a page or material marker: `Dockerfile p15`, `Service 챕터`.
        if !has_page && !has_marker && !text.contains("교재") {
            return None;
        }
        let sq = squash(text);
        let mut best: Option<(usize, usize)> = None; // (alias length, chapter)
        for m in 0..sq.len() {
            let next = sq.get(m + 1).copied().unwrap_or_default();
            let marker = match sq[m] {
                'p' => next.is_ascii_digit(),
                '교' => next == '재',
                '챕' => next == '터',
                _ => false,
            };
            if !marker {
                continue;
            }
            for (ix, aliases) in self.aliases.iter().enumerate() {
                for alias in aliases {
                    let alen = alias.len();
                    if best.is_some_and(|(l, _)| alen <= l) {
                        continue;
                    }
                    let tol = if alen >= 8 { 1 } else { 0 };
                    for len in alen.saturating_sub(tol)..=alen + tol {
                        if len == 0 || len > m {
                            continue;
                        }
                        let before_ok = m - len == 0 || !sq[m - len - 1].is_ascii_alphanumeric();
                        if before_ok && within_one_edit(&sq[m - len..m], alias, tol) {
                            best = Some((alen, ix));
                            break;
                        }
                    }
                }
            }
        }
        best.map(|(_, ix)| ix)
    }

    fn allowed(&self, section: &[String]) -> Option<Vec<bool>> {
        for title in section.iter().rev() {
            for g in &self.map.groups {
                if g.aliases
                    .iter()
                    .any(|a| contains_word(title, a, a.is_ascii()))
                {
                    return Some(
                        self.map
                            .chapters
                            .iter()
                            .map(|c| g.chapters.contains(&c.id))
                            .collect(),
                    );
                }
            }
        }
        None
    }

    /// Does a course chapter's keyword or an explicit reference occur in
    /// this card's question or answer?
    pub fn names_a_topic(&self, c: &CardText) -> bool {
        let mut scores = vec![0.0; self.map.chapters.len()];
        self.keyword_scores(c.question, c.answer, &mut scores);
        scores.iter().any(|s| *s > 0.0)
            || self.reference(c.question).is_some()
            || self.reference(c.answer).is_some()
    }

    /// Is a Q&A log about this course: do at least half of its cards name
    /// one of its topics?
    pub fn fits(&self, cards: &[CardText]) -> bool {
        let naming = cards.iter().filter(|c| self.names_a_topic(c)).count();
        !cards.is_empty() && naming * 2 >= cards.len()
    }

    /// Chapter (index into [`ChapterMap::chapters`], or `None` for unsorted)
    /// of each card of one note, in note order.
    pub fn classify(&self, cards: &[CardText]) -> Vec<(Option<usize>, Basis)> {
        let n = self.map.chapters.len();
        let mut result: Vec<(Option<usize>, Basis)> = vec![(None, Basis::Unsorted); cards.len()];
        // Cards in the sequence (unsorted ones leave it) and their scores,
        // `n` per card: a fixed chapter's is one-hot.
        let mut seq: Vec<usize> = Vec::new();
        let mut emit: Vec<f32> = Vec::with_capacity(cards.len() * n);
        // Consecutive cards mostly share their section: decide its group once.
        let mut section: Option<&[String]> = None;
        let mut allowed: Option<Vec<bool>> = None;
        for (i, c) in cards.iter().enumerate() {
            if section != Some(c.section) {
                allowed = self.allowed(c.section);
                section = Some(c.section);
            }
            let ok = |ix: usize| allowed.as_ref().is_none_or(|v| v[ix]);
            let pinned = if let Some(ix) = self.reference(c.question).filter(|&ix| ok(ix)) {
                Some((ix, Basis::QuestionReference))
            } else {
                self.reference(c.answer)
                    .filter(|&ix| ok(ix))
                    .map(|ix| (ix, Basis::AnswerReference))
            };
            if let Some((ix, basis)) = pinned {
                result[i] = (Some(ix), basis);
                seq.push(i);
                emit.extend((0..n).map(|c| if c == ix { PINNED } else { f32::NEG_INFINITY }));
                continue;
            }
            let start = emit.len();
            emit.resize(start + n, 0.0);
            let scores = &mut emit[start..];
            let unsorted = self.keyword_scores(c.question, c.answer, scores);
            for (ix, s) in scores.iter_mut().enumerate() {
                if !ok(ix) {
                    *s = f32::NEG_INFINITY;
                }
            }
            let best = scores.iter().copied().fold(0.0f32, f32::max);
            if unsorted > 0.0 && unsorted >= best {
                result[i] = (None, Basis::Unsorted);
                emit.truncate(start);
                continue;
            }
            // A clear signal of the card's own: neighbours do not move it.
            if let Some(ix) = clear_winner(scores) {
                for (c, s) in scores.iter_mut().enumerate() {
                    *s = if c == ix { PINNED } else { f32::NEG_INFINITY };
                }
            }
            seq.push(i);
        }
        for (k, ix) in self.viterbi(&emit, seq.len()).into_iter().enumerate() {
            let i = seq[k];
            if !matches!(
                result[i].1,
                Basis::QuestionReference | Basis::AnswerReference
            ) {
                result[i] = (Some(ix), Basis::Keywords);
            }
        }
        result
    }

    /// Most likely chapter of each of `len` cards whose scores are `emit`
    /// (`n` per card), chapters moving forward through a note.
    fn viterbi(&self, emit: &[f32], len: usize) -> Vec<usize> {
        let n = self.map.chapters.len();
        if len == 0 || n == 0 {
            return Vec::new();
        }
        let trans = |from: usize, to: usize| -> f32 {
            if to < from {
                -self.map.backward_penalty
            } else {
                -self.map.forward_step * (to - from) as f32
            }
        };
        let first = &emit[..n];
        let first_allowed = first.iter().position(|s| s.is_finite()).unwrap_or(0);
        let mut score: Vec<f32> = (0..n).map(|c| first[c] + trans(first_allowed, c)).collect();
        // Best previous chapter, `n` per card (the first card's is itself).
        let mut back: Vec<usize> = Vec::with_capacity(len * n);
        back.extend(0..n);
        let mut next = vec![f32::NEG_INFINITY; n];
        // Chapters the path can be at (finite score): only they can lead on.
        let mut live: Vec<usize> = Vec::with_capacity(n);
        // Every transition's score, by chapter moved to, then from.
        let into: Vec<f32> = (0..n * n).map(|i| trans(i % n, i / n)).collect();
        for card in emit.chunks_exact(n).skip(1) {
            next.fill(f32::NEG_INFINITY);
            let from_start = back.len();
            back.resize(from_start + n, 0);
            let from = &mut back[from_start..];
            live.clear();
            live.extend((0..n).filter(|&f| score[f] > f32::NEG_INFINITY));
            for (to, into) in into.chunks_exact(n).enumerate() {
                if !card[to].is_finite() {
                    continue;
                }
                // The first best chapter to come from (the lowest on a tie).
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for &f in &live {
                    let s = score[f] + into[f];
                    if s > best {
                        best = s;
                        arg = f;
                    }
                }
                next[to] = best + card[to];
                from[to] = arg;
            }
            std::mem::swap(&mut score, &mut next);
        }
        let mut cur = (0..n)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let mut path = vec![0; len];
        for k in (0..len).rev() {
            path[k] = cur;
            cur = back[k * n + cur];
        }
        path
    }
}

/// Strong enough to pin the path, finite so transitions still count.
const PINNED: f32 = 1.0e4;

/// A keyword score a card's best chapter needs (3 = one keyword of weight
/// 1 in the question) …
pub const CLEAR_SCORE: f32 = 6.0;
/// … and how many times the runner-up's it must be, for the card's own
/// words to decide its chapter whatever its neighbours say.
pub const CLEAR_RATIO: f32 = 2.0;

/// The chapter whose keyword score is a clear signal (see [`CLEAR_SCORE`]).
fn clear_winner(scores: &[f32]) -> Option<usize> {
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&c| scores[c].is_finite())
        .collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let best = *order.first()?;
    let second = order.get(1).map_or(0.0, |&c| scores[c].max(0.0));
    (scores[best] >= CLEAR_SCORE && scores[best] >= CLEAR_RATIO * second).then_some(best)
}

/// The course chapter map shipped in `decks/chapters.ron`.
pub const BUNDLED_MAP: &str = include_str!("../../decks/chapters.ron");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_map_parses_with_fifteen_chapters() {
        let c = Classifier::bundled();
        assert_eq!(c.map.chapters.len(), 15);
        assert_eq!(c.map.unsorted.id, "00");
    }

    #[test]
    fn explicit_references_are_found_through_typos() {
        let c = Classifier::bundled();
        let id = |s: &str| c.reference(s).map(|ix| c.map.chapters[ix].id.clone());
        assert_eq!(id("Docker_commmands P4 백그라운드"), Some("02".into()));
        assert_eq!(id("Dockerfile p15 `COPY`"), Some("05".into()));
        assert_eq!(id("Dockerfile BP p5에서"), Some("06".into()));
        assert_eq!(id("Chapter2 교재 4페이지에서"), Some("02".into()));
        assert_eq!(
            id("수업 중 얘기하는 DNS는 (Service 챕터)"),
            Some("10".into())
        );
        assert_eq!(id("[Hands-on] 12_Kubernetes_ConfigMaps"), Some("12".into()));
        assert_eq!(id("IP 10.0.3.56 에서"), None);
        assert_eq!(id("ch13 실습에서"), Some("13".into()));
        assert_eq!(id("Ch. 9 예제"), Some("09".into()));
        assert_eq!(id("교재 10장 그림"), Some("10".into()));
        assert_eq!(id("touch13 파일"), None);
        assert_eq!(id("10장 뒤에"), None);
        assert_eq!(id("그냥 질문입니다"), None);
    }

    #[test]
    fn ascii_keywords_match_whole_words() {
        assert!(contains_word("use pv now", "pv", true));
        assert!(!contains_word("use pvc now", "pv", true));
        assert!(contains_word("bind mount를", "mount", true));
    }

    #[test]
    fn a_question_without_keywords_follows_its_neighbours() {
        let c = Classifier::bundled();
        let sec = vec!["Kubernetes".to_string()];
        let cards = [
            CardText {
                question: "Ingress 는 뭔가요?",
                answer: "",
                section: &sec,
            },
            CardText {
                question: "그럼 그건 왜 그런가요?",
                answer: "",
                section: &sec,
            },
            CardText {
                question: "ingress controller 는?",
                answer: "",
                section: &sec,
            },
        ];
        let r = c.classify(&cards);
        let ids: Vec<_> = r
            .iter()
            .map(|(ix, _)| c.map.chapters[ix.unwrap()].id.as_str())
            .collect();
        assert_eq!(ids, ["10", "10", "10"]);
    }
}
