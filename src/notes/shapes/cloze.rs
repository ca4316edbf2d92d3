//! `==highlights==` as clozes: the sentence around a highlight, with the
//! highlight blanked out, asks for it.
//!
//! ```markdown
//! 도커 이미지는 ==읽기 전용== 레이어들로 이루어진다. 컨테이너는 …
//! ```
//! → `도커 이미지는 [...] 레이어들로 이루어진다.` / `읽기 전용`
//!
//! A cloze holds the sentence the highlight stands in (cut to
//! [`MAX_CLOZE_CHARS`] around it), not its whole paragraph, so a paragraph
//! with many highlights gives cards of bounded size. Other highlights in the
//! sentence are shown as plain text.

use super::RawCard;
use crate::deck::CardKind;
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::text::strip_marks;

/// Longest cloze question (characters, the blank included).
pub const MAX_CLOZE_CHARS: usize = 200;

/// Byte spans of `==text==` outside code spans (each span includes its marks).
pub fn highlight_spans(src: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut in_code = false;
    let mut open: Option<usize> = None;
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'=' if !in_code && bytes.get(i + 1) == Some(&b'=') => {
                match open.take() {
                    None => open = Some(i),
                    Some(s) => spans.push((s, i + 2)),
                }
                i += 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// Where the sentence holding `start..end` of `src` begins and ends: at a
/// line break, or after `.`, `?`, `!` or `。` followed by a space.
fn sentence_around(src: &str, start: usize, end: usize) -> (usize, usize) {
    let is_end = |s: &str, at: usize| {
        let rest = &s[at..];
        rest.starts_with('\n')
            || rest.starts_with('。')
            || ([". ", "? ", "! "].iter().any(|p| rest.starts_with(p)))
    };
    let mut from = 0;
    for (at, _) in src[..start].char_indices().rev() {
        if is_end(src, at) {
            from = at + src[at..].chars().next().map_or(1, char::len_utf8);
            break;
        }
    }
    let mut to = src.len();
    for (at, _) in src[end..].char_indices() {
        if is_end(src, end + at) {
            // The full stop stays with its sentence.
            let mark = &src[end + at..];
            to = end
                + at
                + if mark.starts_with('\n') {
                    0
                } else {
                    mark.chars().next().map_or(1, char::len_utf8)
                };
            break;
        }
    }
    (from, to)
}

/// The sentence (`from..to` of `src`) with the highlight `blank` replaced by
/// `[...]`, the other highlights unwrapped, cut to [`MAX_CLOZE_CHARS`]
/// around the blank.
fn cloze_question(
    src: &str,
    spans: &[(usize, usize)],
    blank: (usize, usize),
    from: usize,
    to: usize,
) -> String {
    let mut before = String::new();
    let mut at = from;
    for &(s, e) in spans.iter().filter(|(s, e)| *s >= from && *e <= blank.0) {
        before.push_str(&src[at..s]);
        before.push_str(&src[s + 2..e - 2]);
        at = e;
    }
    before.push_str(&src[at..blank.0]);
    let mut after = String::new();
    let mut at = blank.1;
    for &(s, e) in spans.iter().filter(|(s, e)| *s >= blank.1 && *e <= to) {
        after.push_str(&src[at..s]);
        after.push_str(&src[s + 2..e - 2]);
        at = e;
    }
    after.push_str(&src[at..to.max(at)]);
    // Keep about as much on each side of the blank.
    let side = (MAX_CLOZE_CHARS - "…[...]…".chars().count()) / 2;
    let before: String = if before.chars().count() > side {
        let skip = before.chars().count() - side;
        format!("…{}", before.chars().skip(skip).collect::<String>())
    } else {
        before
    };
    let after: String = if after.chars().count() > side {
        format!("{}…", after.chars().take(side).collect::<String>())
    } else {
        after
    };
    format!("{before}[...]{after}").trim().to_string()
}

/// Each `==highlight==` in the paragraphs of `b` (and nested in it) as a cloze card.
pub fn clozes(note: &ParsedNote, b: &Block, section: &[String], out: &mut Vec<RawCard>) {
    if !note.source(b).contains("==") {
        return;
    }
    if b.kind == BlockKind::Paragraph {
        let src = note.source(b).trim_end();
        let spans = highlight_spans(src);
        for &(s, e) in &spans {
            let hidden = src[s + 2..e - 2].trim();
            if strip_marks(hidden).is_empty() {
                continue;
            }
            let (from, to) = sentence_around(src, s, e);
            let question = cloze_question(src, &spans, (s, e), from, to);
            let line = note.line_at(b.range.start + s);
            out.push(RawCard::new(
                CardKind::Cloze,
                question,
                hidden.to_string(),
                section,
                line,
            ));
        }
    }
    for c in &b.children {
        clozes(note, c, section, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse::parse;

    fn all(md: &str) -> Vec<RawCard> {
        let note = parse(md).unwrap();
        let mut out = Vec::new();
        for b in &note.blocks {
            clozes(&note, b, &[], &mut out);
        }
        out
    }

    #[test]
    fn cloze_blanks_one_highlight_at_a_time() {
        let c = all("- ==a== 와 ==b== 는 다르다\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].question, "[...] 와 b 는 다르다");
        assert_eq!(c[0].answer, "a");
        assert_eq!(c[1].question, "a 와 [...] 는 다르다");
    }

    #[test]
    fn a_cloze_holds_its_sentence_not_its_paragraph() {
        let c = all("이미지는 ==읽기 전용== 이다. 컨테이너는 ==쓰기 가능== 레이어를 더한다. 끝.\n");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].question, "이미지는 [...] 이다.");
        assert_eq!(c[1].question, "컨테이너는 [...] 레이어를 더한다.");
        assert_eq!(c[1].line, 1);
    }

    #[test]
    fn a_hundred_highlights_give_a_hundred_small_cards() {
        let para: String = (0..100).map(|i| format!("항목 ==값{i}== 이다. ")).collect();
        let c = all(&para);
        assert_eq!(c.len(), 100);
        assert!(
            c.iter()
                .all(|c| c.question.chars().count() <= MAX_CLOZE_CHARS)
        );
        assert_eq!(c[42].question, "항목 [...] 이다.");
        // One long sentence: cut around the blank.
        let long: String = (0..100).map(|i| format!("==값{i}== 그리고 ")).collect();
        let c = all(&long);
        assert!(
            c.iter()
                .all(|c| c.question.chars().count() <= MAX_CLOZE_CHARS)
        );
    }

    #[test]
    fn highlights_in_code_are_not_clozes() {
        assert!(all("`a == b` 는 비교\n").is_empty());
        assert_eq!(highlight_spans("x ==a== `==b==`"), vec![(2, 7)]);
    }
}
