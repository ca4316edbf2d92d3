//! Headings that ask, answered by what follows:
//!
//! ```markdown
//! ### Q. 컨테이너와 VM의 차이는?
//! 컨테이너는 커널을 공유하고 …
//! #### 예시           ← part of the answer
//! ## 2. 쿠버네티스란?  ← the next question
//! ```
//!
//! A heading asks when it starts with `Q.`/`Q:`/`Q1.`, ends with a `?` or a
//! Korean question ending, or ends like a term being asked for (`…란`,
//! `…이란`, `…무엇인가`, `…차이`, `…차이점`). Its answer is everything up to
//! the next heading of the same or a higher level, sub-headings included.
//! Book chapter headings (`1장) 도커란?`) name chapters and are not asked.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::{Section, chapter_heading};
use crate::notes::parse::ParsedNote;
use crate::notes::text::{
    clean_question, is_placeholder, is_placeholder_text, looks_like_question, plain_text,
};

/// Endings of a heading that names what is asked for.
const ASKING_ENDINGS: &[&str] = &["란", "이란", "무엇인가", "무엇일까", "차이", "차이점"];

/// The heading's text without a question marker or numbering (`Q.`, `Q1)`,
/// `1.`, `2)`), and whether it had a question marker.
fn strip_marker(title: &str) -> (&str, bool) {
    let t = title.trim();
    for q in ["Q", "q", "질문"] {
        if let Some(rest) = t.strip_prefix(q) {
            if let Some(r) = after_number(rest) {
                return (r, true);
            }
            if let Some(r) = rest.strip_prefix(' ') {
                return (r.trim_start(), true);
            }
        }
    }
    match after_number(t) {
        Some(r) if t.starts_with(|c: char| c.is_ascii_digit()) => (r, false),
        _ => (t, false),
    }
}

/// `s` without a leading number and its `.`, `)` or `:` (`1.`, `12)`).
fn after_number(s: &str) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &s[digits..];
    match rest.chars().next() {
        Some('.' | ')' | ':') => Some(rest[1..].trim_start()),
        _ => None,
    }
}

/// Does this heading ask?
pub fn asks(title: &str) -> bool {
    if chapter_heading(title).is_some() {
        return false;
    }
    let (text, marked) = strip_marker(title);
    let text = text.trim_end_matches(['.', ' ']);
    !text.is_empty()
        && (marked || looks_like_question(text) || ASKING_ENDINGS.iter().any(|e| text.ends_with(e)))
}

/// The card of a section whose heading asks: `end` is the byte offset where
/// its answer stops (the next heading of the same or a higher level).
pub fn read(note: &ParsedNote, s: &Section, end: usize, found: &mut Found) -> Option<RawCard> {
    let heading = s.heading?;
    let line = note.line(heading);
    let (text, _) = strip_marker(&heading.text);
    let (question, tags) = clean_question(text);
    let start = note.line_end(heading.range.end.saturating_sub(1).max(heading.range.start));
    let answer = note.text[start.min(end)..end].trim().to_string();
    let answer_text = plain_text(&answer);
    if is_placeholder(&answer_text) || is_placeholder_text(&answer_text) {
        found.unanswered(line, &question);
        return None;
    }
    let parents: Vec<String> = s.titles().into_iter().rev().skip(1).rev().collect();
    let mut card = RawCard::new(CardKind::Qa, question, answer, &parents, line);
    card.answer_text = answer_text;
    card.tags = tags;
    Some(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_that_ask() {
        for t in [
            "Q. 컨테이너와 VM의 차이는?",
            "Q1) 왜 쓰나",
            "1. 쿠버네티스란?",
            "도커 이미지란",
            "프로세스와 스레드의 차이",
            "볼륨은 어디에 저장되나요",
            "DNS는 무엇인가",
        ] {
            assert!(asks(t), "{t}");
        }
        for t in [
            "1장) 도커란?",
            "설치",
            "4.3.1 도커 컴포즈",
            "Day 3 (7/30)",
            "Quick start",
            "Q&A",
        ] {
            assert!(!asks(t), "{t}");
        }
        assert_eq!(strip_marker("Q. 무엇?").0, "무엇?");
        assert_eq!(strip_marker("2) 무엇?").0, "무엇?");
    }
}
