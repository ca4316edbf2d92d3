//! Question and answer lines:
//!
//! ```markdown
//! Q: 이미지와 컨테이너의 차이는?
//! A: 이미지는 읽기 전용 템플릿, 컨테이너는 그 실행 인스턴스입니다.
//!
//! **Q.** 볼륨은 어디에 있나요?
//!
//! **A.** `/var/lib/docker/volumes` 아래입니다.
//! - 더 볼 것: `docker volume inspect`
//! ```
//!
//! A line starting with `Q:`, `Q.`, `Q1.`, `질문:` (bold or not) opens a
//! question; one starting with `A:`, `A.`, `답:`, `답변:` opens its answer,
//! which goes on over the following lines and blocks until the next
//! question line, heading or `---`. Lines inside code blocks are never
//! markers: code blocks are read as blocks, not as lines.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::Section;
use crate::notes::parse::{BlockKind, ParsedNote};
use crate::notes::text::{
    clean_question, dedent, is_placeholder, is_placeholder_text, plain_text, push_part,
};

/// Which marker a line starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Question,
    Answer,
}

/// The marker a line starts with, and the rest of the line.
fn marker(line: &str) -> Option<(Marker, &str)> {
    let t = line.trim_start();
    let (t, bold) = match t.strip_prefix("**") {
        Some(r) => (r, true),
        None => (t, false),
    };
    for (words, m) in [
        (&["Q", "q", "질문"][..], Marker::Question),
        (&["A", "a", "답변", "답"][..], Marker::Answer),
    ] {
        for w in words {
            let Some(rest) = t.strip_prefix(w) else {
                continue;
            };
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let rest = &rest[digits..];
            let Some(sep) = rest
                .chars()
                .next()
                .filter(|c| matches!(c, ':' | '.' | ')' | '：'))
            else {
                continue;
            };
            let mut rest = &rest[sep.len_utf8()..];
            if bold {
                rest = rest.strip_prefix("**").unwrap_or(rest);
            }
            if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                return Some((m, rest.trim()));
            }
        }
    }
    None
}

/// Does any line of this paragraph start with a marker?
fn has_marker(src: &str) -> bool {
    src.lines().any(|l| marker(l).is_some())
}

/// A question being read.
struct Open {
    question: String,
    line: usize,
    answer: Option<String>,
}

fn finish(open: Option<Open>, section: &[String], cards: &mut Vec<RawCard>, found: &mut Found) {
    let Some(o) = open else { return };
    let (question, tags) = clean_question(o.question.trim());
    let answer = o.answer.unwrap_or_default();
    let text = plain_text(&answer);
    if is_placeholder(&text) || is_placeholder_text(&text) {
        found.unanswered(o.line, &question);
        return;
    }
    let mut card = RawCard::new(CardKind::Qa, question, answer, section, o.line);
    card.answer_text = text;
    card.tags = tags;
    cards.push(card);
}

/// Read the Q/A lines of a section's top-level blocks.
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
        let src = note.source(b);
        if b.kind == BlockKind::Paragraph && has_marker(src) {
            taken[k] = true;
            let first_line = note.line(b);
            for (i, line) in src.lines().enumerate() {
                match marker(line) {
                    Some((Marker::Question, rest)) => {
                        finish(open.take(), &section, cards, found);
                        open = Some(Open {
                            question: rest.to_string(),
                            line: first_line + i,
                            answer: None,
                        });
                    }
                    Some((Marker::Answer, rest)) => {
                        if let Some(o) = open.as_mut() {
                            o.answer = Some(rest.to_string());
                        }
                    }
                    None => match open.as_mut() {
                        Some(Open {
                            answer: Some(a), ..
                        }) => {
                            a.push('\n');
                            a.push_str(line.trim());
                        }
                        Some(o) => {
                            o.question.push(' ');
                            o.question.push_str(line.trim());
                        }
                        None => {}
                    },
                }
            }
            continue;
        }
        match (&b.kind, open.as_mut()) {
            (BlockKind::Rule | BlockKind::Heading { .. }, _) => {
                finish(open.take(), &section, cards, found)
            }
            (
                _,
                Some(Open {
                    answer: Some(a), ..
                }),
            ) => {
                taken[k] = true;
                let start = note.line_start(b.range.start);
                push_part(
                    a,
                    &dedent(
                        note.text[start..b.range.end].trim_end(),
                        note.indent_at(start),
                    ),
                );
            }
            _ => {}
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
    fn markers_in_their_common_forms() {
        assert_eq!(marker("Q: 무엇?"), Some((Marker::Question, "무엇?")));
        assert_eq!(marker("**Q.** 무엇?"), Some((Marker::Question, "무엇?")));
        assert_eq!(marker("Q1. 무엇?"), Some((Marker::Question, "무엇?")));
        assert_eq!(marker("A) 이것"), Some((Marker::Answer, "이것")));
        assert_eq!(marker("답변: 이것"), Some((Marker::Answer, "이것")));
        assert_eq!(marker("Quality: 좋음"), None);
        assert_eq!(marker("A.B 테스트"), None);
    }

    #[test]
    fn answers_run_until_the_next_question() {
        let f = read_all(
            "Q: 이미지와 컨테이너의 차이는?\nA: 이미지는 템플릿입니다.\n컨테이너는 인스턴스입니다.\n\n**Q.** 볼륨은 어디에?\n\n**A.** `/var/lib/docker/volumes`\n\n- 더 볼 것\n\n```\nQ: 코드 안의 줄\n```\n\nQ: 답 없는 질문?\n",
        );
        let qa: Vec<(&str, &str)> = f
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str()))
            .collect();
        assert_eq!(
            qa,
            [
                (
                    "이미지와 컨테이너의 차이는?",
                    "이미지는 템플릿입니다.\n컨테이너는 인스턴스입니다."
                ),
                (
                    "볼륨은 어디에?",
                    "`/var/lib/docker/volumes`\n\n- 더 볼 것\n\n```\nQ: 코드 안의 줄\n```"
                ),
            ]
        );
        assert_eq!(f.unanswered.len(), 1);
        assert_eq!(f.unanswered[0].line, 15);
    }
}
