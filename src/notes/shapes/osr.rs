//! The card syntax of Obsidian's spaced-repetition plugin, which learners
//! already write:
//!
//! ```markdown
//! 컨테이너 런타임::containerd, CRI-O          ← one card
//! Pod:::쿠버네티스 배포의 가장 작은 단위      ← two cards, both ways
//! 롤링 업데이트의 장점은
//! ?
//! 중단 없이 새 버전으로 바꾼다                ← a card over several lines
//! ```
//!
//! (`==cloze==` highlights are read by [`super::cloze`].) A separator in a
//! code span, or `::` between two ASCII word characters (`std::vec`,
//! `a::b`), is not one.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::Section;
use crate::notes::parse::{BlockKind, ParsedNote};
use crate::notes::text::{clean_question, plain_text};

/// Where a line's `::` or `:::` separator is (outside code spans), and
/// whether it is the two-way one.
fn separator(line: &str) -> Option<(usize, usize, bool)> {
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b':' if !in_code && bytes.get(i + 1) == Some(&b':') => {
                let len = if bytes.get(i + 2) == Some(&b':') {
                    3
                } else {
                    2
                };
                let word =
                    |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
                let between_words =
                    word(i.checked_sub(1).and_then(|p| bytes.get(p))) && word(bytes.get(i + len));
                if !between_words {
                    return Some((i, i + len, len == 3));
                }
                i += len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Is this paragraph written in the plugin's syntax?
pub fn is_osr(src: &str) -> bool {
    src.lines()
        .any(|l| separator(l).is_some() || matches!(l.trim(), "?" | "??"))
}

fn card(question: &str, answer: &str, section: &[String], line: usize) -> Option<RawCard> {
    let (q, tags) = clean_question(question.trim());
    let answer = answer.trim();
    if q.is_empty() || plain_text(answer).is_empty() {
        return None;
    }
    let mut c = RawCard::new(CardKind::Qa, q, answer.to_string(), section, line);
    c.answer_text = plain_text(answer);
    c.tags = tags;
    Some(c)
}

/// Read the plugin's cards from a section's paragraphs.
pub fn read(
    note: &ParsedNote,
    s: &Section,
    taken: &mut [bool],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let section = s.titles();
    for (k, b) in s.body.iter().enumerate() {
        if taken[k] || b.kind != BlockKind::Paragraph || !is_osr(note.source(b)) {
            continue;
        }
        taken[k] = true;
        let first_line = note.line(b);
        let lines: Vec<&str> = note.source(b).lines().collect();
        // A `?` / `??` line splits the whole paragraph into question and answer.
        if let Some(split) = lines.iter().position(|l| matches!(l.trim(), "?" | "??")) {
            let both = lines[split].trim() == "??";
            let question = lines[..split].join("\n");
            let answer = lines[split + 1..].join("\n");
            match card(&question, &answer, &section, first_line) {
                Some(c) => {
                    cards.push(c);
                    if both && let Some(back) = card(&answer, &question, &section, first_line) {
                        cards.push(back);
                    }
                }
                None => found.unanswered(first_line, &question),
            }
            continue;
        }
        for (i, line) in lines.iter().enumerate() {
            let Some((s, e, both)) = separator(line) else {
                continue;
            };
            let (q, a) = (&line[..s], &line[e..]);
            match card(q, a, &section, first_line + i) {
                Some(c) => {
                    cards.push(c);
                    if both && let Some(back) = card(a, q, &section, first_line + i) {
                        cards.push(back);
                    }
                }
                None => found.unanswered(first_line + i, q),
            }
        }
    }
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
    fn one_line_two_way_and_multi_line_cards() {
        let f = read_all(
            "컨테이너 런타임::containerd, CRI-O\nPod:::가장 작은 배포 단위\n\n롤링 업데이트의 장점은\n?\n중단 없이 바꾼다\n\n`std::vec` 과 a::b 는 카드가 아니다\n",
        );
        let qa: Vec<(&str, &str, usize)> = f
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str(), c.line))
            .collect();
        assert_eq!(
            qa,
            [
                ("컨테이너 런타임", "containerd, CRI-O", 1),
                ("Pod", "가장 작은 배포 단위", 2),
                ("가장 작은 배포 단위", "Pod", 2),
                ("롤링 업데이트의 장점은", "중단 없이 바꾼다", 4),
            ]
        );
    }

    #[test]
    fn an_empty_side_is_unanswered() {
        let f = read_all("빈 답::\n");
        assert!(f.cards.is_empty());
        assert_eq!(f.unanswered.len(), 1);
    }
}
