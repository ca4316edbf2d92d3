//! Collapsible Q&A of interview repositories:
//!
//! ```markdown
//! <details>
//! <summary>프로세스와 스레드의 차이는?</summary>
//!
//! 프로세스는 …
//! - 스레드는 …
//!
//! </details>
//! ```
//!
//! The summary is the question; everything up to the matching
//! `</details>` is the answer, as written. A `<details>` nested in an
//! answer stays in it and is a card of its own too.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::Section;
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::text::{dedent, is_placeholder, plain_text};

/// Does HTML source open a `<details>`?
fn opens(src: &str) -> usize {
    src.to_ascii_lowercase().matches("<details").count()
}

/// How many `</details>` it closes.
fn closes(src: &str) -> usize {
    src.to_ascii_lowercase().matches("</details").count()
}

/// Byte range of the text inside the first `<summary>…</summary>` of `src`,
/// and where the summary ends.
fn summary(src: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let lower = src.to_ascii_lowercase();
    let open = lower.find("<summary")?;
    let start = open + lower[open..].find('>')? + 1;
    let close = start + lower[start..].find("</summary")?;
    let end = close + lower[close..].find('>').map_or(0, |i| i + 1);
    Some((start..close, end))
}

/// Read the `<details>` of a section's top-level blocks. Blocks used are
/// marked in `taken`.
pub fn read(
    note: &ParsedNote,
    s: &Section,
    taken: &mut [bool],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let section = s.titles();
    let body = s.body;
    let mut k = 0;
    while k < body.len() {
        if taken[k] || body[k].kind != BlockKind::Html || opens(note.source(&body[k])) == 0 {
            k += 1;
            continue;
        }
        // Blocks up to the one that closes every `<details>` opened so far.
        let mut depth = 0isize;
        let mut last = k;
        for (j, b) in body.iter().enumerate().skip(k) {
            let src = note.source(b);
            if b.kind == BlockKind::Html || b.kind == BlockKind::Paragraph {
                depth += opens(src) as isize - closes(src) as isize;
            }
            last = j;
            if depth <= 0 {
                break;
            }
        }
        let from = body[k].range.start;
        let to = body[last].range.end;
        for t in &mut taken[k..=last] {
            *t = true;
        }
        cards_in(note, from, to, &section, cards, found);
        k = last + 1;
    }
}

/// Cards of every `<details>` in `note.text[from..to]` (nested ones too).
fn cards_in(
    note: &ParsedNote,
    from: usize,
    to: usize,
    section: &[String],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let text = &note.text[from..to];
    let lower = text.to_ascii_lowercase();
    let mut search = 0;
    while let Some(at) = lower[search..].find("<details").map(|i| search + i) {
        search = at + 8;
        // The matching close: count nested opens and closes after it.
        let mut depth = 0;
        let mut end = None;
        let mut i = at;
        while i < lower.len() {
            if lower[i..].starts_with("<details") {
                depth += 1;
                i += 8;
            } else if lower[i..].starts_with("</details") {
                depth -= 1;
                if depth == 0 {
                    end = Some(i);
                    break;
                }
                i += 9;
            } else {
                i += lower[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let end = end.unwrap_or(text.len());
        let inner = &text[at..end];
        let line = note.line_at(from + at);
        let Some((q, after)) = summary(inner) else {
            found.skip(line, "<details> without a <summary>", inner);
            continue;
        };
        let question = plain_text(inner[q].trim());
        let body = inner[after..].trim_matches('\n');
        let answer = dedent(body, note.indent_at(note.line_start(from + at + after)))
            .trim()
            .to_string();
        if question.is_empty() {
            found.skip(line, "<details> with an empty <summary>", inner);
            continue;
        }
        if is_placeholder(&plain_text(&answer)) {
            found.unanswered(line, &question);
            continue;
        }
        let mut card = RawCard::new(CardKind::Qa, question, answer.clone(), section, line);
        card.answer_text = plain_text(&answer);
        cards.push(card);
    }
}

/// Is this top-level block part of a `<details>`? (For shapes that run
/// after this one.)
pub fn is_details(note: &ParsedNote, b: &Block) -> bool {
    b.kind == BlockKind::Html && opens(note.source(b)) > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::outline::sections;
    use crate::notes::parse::parse;

    fn read_all(md: &str) -> Found {
        let note = parse(md).unwrap();
        let mut found = Found::default();
        for s in sections(&note) {
            let mut taken = vec![false; s.body.len()];
            let mut cards = Vec::new();
            read(&note, &s, &mut taken, &mut cards, &mut found);
            found.cards.extend(cards);
        }
        found
    }

    #[test]
    fn summary_is_the_question_and_the_rest_the_answer() {
        let f = read_all(
            "## OS\n\n<details>\n<summary>프로세스와 스레드의 차이는?</summary>\n\n프로세스는 **독립된** 메모리를 가집니다.\n\n- 스레드는 공유합니다.\n\n</details>\n\n<details><summary><b>데드락</b>이란?</summary>\n서로 기다리는 상태\n</details>\n",
        );
        assert_eq!(f.cards.len(), 2, "{:?}", f);
        assert_eq!(f.cards[0].question, "프로세스와 스레드의 차이는?");
        assert_eq!(
            f.cards[0].answer,
            "프로세스는 **독립된** 메모리를 가집니다.\n\n- 스레드는 공유합니다."
        );
        assert_eq!(f.cards[0].line, 3);
        assert_eq!(f.cards[1].question, "데드락이란?");
        assert_eq!(f.cards[1].answer, "서로 기다리는 상태");
    }

    #[test]
    fn an_empty_answer_is_reported() {
        let f = read_all("<details>\n<summary>TLB란?</summary>\n\n</details>\n");
        assert!(f.cards.is_empty());
        assert_eq!(f.unanswered.len(), 1);
        assert_eq!(f.unanswered[0].line, 1);
    }
}
