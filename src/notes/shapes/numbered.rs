//! Numbered questions:
//!
//! ```markdown
//! 1. 프로세스란 무엇인가요?
//!    실행 중인 프로그램입니다.
//! 2. 컨텍스트 스위칭이란?
//!    - CPU가 …
//!
//!    추가 설명 문단
//! ```
//!
//! A numbered list is a list of questions when most of its items read as
//! questions. An item's answer is the rest of its first paragraph (lines
//! after the question's line), what is nested in it, and the blocks after
//! the list up to the next numbered question, heading or `---`. An item
//! that does not ask continues the answer before it.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::Section;
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::shapes::qa_log::nested_source;
use crate::notes::text::{
    clean_question, dedent, is_placeholder, is_placeholder_text, looks_like_question, plain_text,
    push_part,
};

/// An item's question line: the first line of its first paragraph.
fn question_line(note: &ParsedNote, item: &Block) -> Option<(String, String)> {
    let first = item
        .children
        .first()
        .filter(|p| p.kind == BlockKind::Paragraph)?;
    let src = note.source(first);
    let (q, rest) = src.split_once('\n').unwrap_or((src, ""));
    Some((q.trim().to_string(), rest.to_string()))
}

/// Is this a numbered list of questions?
pub fn is_question_list(note: &ParsedNote, b: &Block) -> bool {
    if b.kind != (BlockKind::List { ordered: true }) {
        return false;
    }
    let asking = b
        .children
        .iter()
        .filter(|item| question_line(note, item).is_some_and(|(q, _)| looks_like_question(&q)))
        .count();
    asking > 0 && asking * 2 > b.children.len()
}

/// A question being read.
struct Open {
    question: String,
    line: usize,
    answer: String,
}

fn finish(open: Option<Open>, section: &[String], cards: &mut Vec<RawCard>, found: &mut Found) {
    let Some(o) = open else { return };
    let (question, tags) = clean_question(&o.question);
    let text = plain_text(&o.answer);
    if is_placeholder(&text) || is_placeholder_text(&text) {
        found.unanswered(o.line, &question);
        return;
    }
    let mut card = RawCard::new(CardKind::Qa, question, o.answer, section, o.line);
    card.answer_text = text;
    card.tags = tags;
    cards.push(card);
}

/// Read the numbered questions of a section's top-level blocks.
pub fn read(
    note: &ParsedNote,
    s: &Section,
    taken: &mut [bool],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let section = s.titles();
    let mut open: Option<Open> = None;
    for (k, b) in s.body.iter().enumerate() {
        if taken[k] {
            finish(open.take(), &section, cards, found);
            continue;
        }
        if is_question_list(note, b) {
            taken[k] = true;
            for item in &b.children {
                let Some((q, rest)) = question_line(note, item) else {
                    continue;
                };
                let nested = nested_source(note, item);
                if looks_like_question(&q) {
                    finish(open.take(), &section, cards, found);
                    let mut answer = String::new();
                    push_part(
                        &mut answer,
                        &dedent(
                            &rest,
                            note.indent_at(note.line_end(item.range.start).min(item.range.end)),
                        ),
                    );
                    push_part(&mut answer, &nested);
                    open = Some(Open {
                        question: q,
                        line: note.line(item),
                        answer,
                    });
                } else if let Some(o) = open.as_mut() {
                    let src = &note.text[note.line_start(item.range.start)..item.range.end];
                    push_part(&mut o.answer, &dedent(src.trim_end(), item.marker_col()));
                }
            }
            continue;
        }
        match (&b.kind, open.as_mut()) {
            (BlockKind::Rule | BlockKind::Heading { .. }, _) => {
                finish(open.take(), &section, cards, found)
            }
            (_, Some(o)) => {
                taken[k] = true;
                let start = note.line_start(b.range.start);
                push_part(
                    &mut o.answer,
                    &dedent(
                        note.text[start..b.range.end].trim_end(),
                        note.indent_at(start),
                    ),
                );
            }
            (_, None) => {}
        }
    }
    finish(open, &section, cards, found);
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
    fn numbered_questions_take_their_lines_nesting_and_paragraphs() {
        let f = read_all(
            "## OS\n\n1. 프로세스란 무엇인가요?\n   실행 중인 프로그램입니다.\n2. 컨텍스트 스위칭이란?\n   - CPU가 다른 프로세스로 넘어감\n\n   추가 설명\n3. 세마포어는?\n\n별도 문단의 답\n\n```c\nsem_wait(&s);\n```\n",
        );
        let qa: Vec<(&str, &str)> = f
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str()))
            .collect();
        assert_eq!(
            qa,
            [
                ("프로세스란 무엇인가요?", "실행 중인 프로그램입니다."),
                (
                    "컨텍스트 스위칭이란?",
                    "- CPU가 다른 프로세스로 넘어감\n\n추가 설명"
                ),
                ("세마포어는?", "별도 문단의 답\n\n```c\nsem_wait(&s);\n```"),
            ]
        );
        assert_eq!(f.cards[1].line, 5);
    }

    #[test]
    fn steps_are_not_questions() {
        let f = read_all("1. 설치한다\n2. 실행한다\n3. 확인한다?\n");
        assert!(f.cards.is_empty());
    }
}
