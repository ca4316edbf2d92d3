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
//!    card, question hits weighted [`QUESTION_WEIGHT`]× answer hits.
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

use serde::{Deserialize, Serialize};

/// Weight of a keyword found in the question, relative to one in the answer.
pub const QUESTION_WEIGHT: f32 = 3.0;

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
}

fn default_backward() -> f32 {
    2.5
}
fn default_forward() -> f32 {
    0.2
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

struct Compiled {
    keywords: Vec<(String, f32, bool)>,
    aliases: Vec<String>,
}

/// A chapter map ready to classify.
pub struct Classifier {
    /// The map.
    pub map: ChapterMap,
    compiled: Vec<Compiled>,
    unsorted: Compiled,
}

fn compile(ch: &Chapter) -> Compiled {
    Compiled {
        keywords: ch
            .keywords
            .iter()
            .map(|(k, w)| {
                let k = k.to_lowercase();
                let ascii = k.is_ascii();
                (k, *w, ascii)
            })
            .collect(),
        aliases: ch.aliases.iter().map(|a| squash(a)).collect(),
    }
}

/// Lower-case, without spaces, `_`, `-` and `.`: how aliases are compared.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\t' | '\n' | '`' | '*'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn contains_word(hay: &str, needle: &str, ascii: bool) -> bool {
    if !ascii {
        return hay.contains(needle);
    }
    let bytes = hay.as_bytes();
    let mut from = 0;
    while let Some(pos) = hay[from..].find(needle) {
        let s = from + pos;
        let e = s + needle.len();
        let before = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
        let after = e >= bytes.len() || !bytes[e].is_ascii_alphanumeric();
        if before && after {
            return true;
        }
        from = s + needle.len().max(1);
        while from < hay.len() && !hay.is_char_boundary(from) {
            from += 1;
        }
        if from >= hay.len() {
            break;
        }
    }
    false
}

impl Classifier {
    /// Prepare a map.
    pub fn new(map: ChapterMap) -> Self {
        let compiled = map.chapters.iter().map(compile).collect();
        let unsorted = compile(&map.unsorted);
        Classifier {
            map,
            compiled,
            unsorted,
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

    fn keyword_score(c: &Compiled, q: &str, a: &str) -> f32 {
        let mut s = 0.0;
        for (k, w, ascii) in &c.keywords {
            if contains_word(q, k, *ascii) {
                s += w * QUESTION_WEIGHT;
            } else if contains_word(a, k, *ascii) {
                s += w;
            }
        }
        s
    }

    /// Index of the chapter an explicit reference in `text` names.
    pub fn reference(&self, text: &str) -> Option<usize> {
        let by_id = |n: u32| {
            let id = format!("{n:02}");
            self.map.chapters.iter().position(|c| c.id == id)
        };
        // `NN_Title`, `NN. Title`, `[Hands-on] NN_…`
        let chars: Vec<char> = text.chars().collect();
        for i in 0..chars.len().saturating_sub(3) {
            let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
            if boundary
                && chars[i].is_ascii_digit()
                && chars[i + 1].is_ascii_digit()
                && matches!(chars[i + 2], '_' | '.')
            {
                let mut j = i + 3;
                while j < chars.len() && chars[j] == ' ' {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_alphabetic() {
                    let n = (chars[i] as u32 - '0' as u32) * 10 + (chars[i + 1] as u32 - '0' as u32);
                    if let Some(ix) = by_id(n) {
                        return Some(ix);
                    }
                }
            }
        }
        // `Chapter2`, `Chapter 2`, `챕터 2`
        let lower = text.to_lowercase();
        for marker in ["chapter", "챕터", "ch."] {
            let mut from = 0;
            while let Some(p) = lower[from..].find(marker) {
                let after = &lower[from + p + marker.len()..];
                let digits: String = after
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(n) = digits.parse::<u32>() {
                    if let Some(ix) = by_id(n) {
                        return Some(ix);
                    }
                }
                from += p + marker.len();
            }
        }
        // Alias right before a page or material marker: `Dockerfile p15`, `Service 챕터`.
        let sq: Vec<char> = squash(text).chars().collect();
        let mut best: Option<(usize, usize)> = None; // (alias length, chapter)
        for m in 0..sq.len() {
            let is_page = (sq[m] == 'p') && sq.get(m + 1).is_some_and(char::is_ascii_digit);
            let is_word = sq[m..].starts_with(&['교', '재']) || sq[m..].starts_with(&['챕', '터']);
            if !(is_page || is_word) {
                continue;
            }
            for (ix, c) in self.compiled.iter().enumerate() {
                for alias in &c.aliases {
                    let a: Vec<char> = alias.chars().collect();
                    let tol = if a.len() >= 8 { 1 } else { 0 };
                    for len in a.len().saturating_sub(tol)..=a.len() + tol {
                        if len == 0 || len > m {
                            continue;
                        }
                        let cand: String = sq[m - len..m].iter().collect();
                        let before_ok = m - len == 0 || !sq[m - len - 1].is_ascii_alphanumeric();
                        if before_ok && strsim::levenshtein(&cand, alias) <= tol {
                            if best.is_none_or(|(l, _)| a.len() > l) {
                                best = Some((a.len(), ix));
                            }
                        }
                    }
                }
            }
        }
        best.map(|(_, ix)| ix)
    }

    fn allowed(&self, section: &[String]) -> Option<Vec<bool>> {
        for title in section.iter().rev() {
            let t = title.to_lowercase();
            for g in &self.map.groups {
                if g.aliases.iter().any(|a| contains_word(&t, &a.to_lowercase(), a.is_ascii())) {
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

    /// Chapter (index into [`ChapterMap::chapters`], or `None` for unsorted)
    /// of each card of one note, in note order.
    pub fn classify(&self, cards: &[CardText]) -> Vec<(Option<usize>, Basis)> {
        let n = self.map.chapters.len();
        let mut result: Vec<(Option<usize>, Basis)> = vec![(None, Basis::Unsorted); cards.len()];
        // Per card: fixed chapter or score vector; unsorted cards leave the sequence.
        let mut seq: Vec<(usize, Vec<f32>)> = Vec::new();
        for (i, c) in cards.iter().enumerate() {
            let q = c.question.to_lowercase();
            let a = c.answer.to_lowercase();
            let allowed = self.allowed(c.section);
            let ok = |ix: usize| allowed.as_ref().is_none_or(|v| v[ix]);
            if let Some(ix) = self.reference(c.question).filter(|&ix| ok(ix)) {
                result[i] = (Some(ix), Basis::QuestionReference);
                seq.push((i, one_hot(n, ix)));
                continue;
            }
            if let Some(ix) = self.reference(c.answer).filter(|&ix| ok(ix)) {
                result[i] = (Some(ix), Basis::AnswerReference);
                seq.push((i, one_hot(n, ix)));
                continue;
            }
            let scores: Vec<f32> = (0..n)
                .map(|ix| {
                    if ok(ix) {
                        Self::keyword_score(&self.compiled[ix], &q, &a)
                    } else {
                        f32::NEG_INFINITY
                    }
                })
                .collect();
            let best = scores.iter().copied().fold(0.0f32, f32::max);
            let unsorted = Self::keyword_score(&self.unsorted, &q, &a);
            if unsorted > 0.0 && unsorted >= best {
                result[i] = (None, Basis::Unsorted);
                continue;
            }
            seq.push((i, scores));
        }
        for (k, ix) in self.viterbi(&seq).into_iter().enumerate() {
            let i = seq[k].0;
            if !matches!(
                result[i].1,
                Basis::QuestionReference | Basis::AnswerReference
            ) {
                result[i] = (Some(ix), Basis::Keywords);
            }
        }
        result
    }

    fn viterbi(&self, seq: &[(usize, Vec<f32>)]) -> Vec<usize> {
        let n = self.map.chapters.len();
        if seq.is_empty() || n == 0 {
            return Vec::new();
        }
        let trans = |from: usize, to: usize| -> f32 {
            if to < from {
                -self.map.backward_penalty
            } else {
                -self.map.forward_step * (to - from) as f32
            }
        };
        let first_allowed = seq[0].1.iter().position(|s| s.is_finite()).unwrap_or(0);
        let mut score: Vec<f32> = (0..n)
            .map(|c| seq[0].1[c] + trans(first_allowed, c))
            .collect();
        let mut back: Vec<Vec<usize>> = Vec::with_capacity(seq.len());
        back.push((0..n).collect());
        for (_, emit) in &seq[1..] {
            let mut next = vec![f32::NEG_INFINITY; n];
            let mut from = vec![0usize; n];
            for to in 0..n {
                if !emit[to].is_finite() {
                    continue;
                }
                for f in 0..n {
                    let s = score[f] + trans(f, to);
                    if s > next[to] {
                        next[to] = s;
                        from[to] = f;
                    }
                }
                next[to] += emit[to];
            }
            score = next;
            back.push(from);
        }
        let mut cur = (0..n)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let mut path = vec![0; seq.len()];
        for k in (0..seq.len()).rev() {
            path[k] = cur;
            cur = back[k][cur];
        }
        path
    }
}

/// Strong enough to pin the path, finite so transitions still count.
const PINNED: f32 = 1.0e4;

fn one_hot(n: usize, ix: usize) -> Vec<f32> {
    (0..n)
        .map(|c| if c == ix { PINNED } else { f32::NEG_INFINITY })
        .collect()
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
        assert_eq!(id("수업 중 얘기하는 DNS는 (Service 챕터)"), Some("10".into()));
        assert_eq!(id("[Hands-on] 12_Kubernetes_ConfigMaps"), Some("12".into()));
        assert_eq!(id("IP 10.0.3.56 에서"), None);
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
            CardText { question: "Ingress 는 뭔가요?", answer: "", section: &sec },
            CardText { question: "그럼 그건 왜 그런가요?", answer: "", section: &sec },
            CardText { question: "ingress controller 는?", answer: "", section: &sec },
        ];
        let r = c.classify(&cards);
        let ids: Vec<_> = r.iter().map(|(ix, _)| c.map.chapters[ix.unwrap()].id.as_str()).collect();
        assert_eq!(ids, ["10", "10", "10"]);
    }
}
