//! Term | definition tables:
//!
//! ```markdown
//! | 용어 | 설명 |
//! | --- | --- |
//! | Pod | 컨테이너의 집합 |
//! | ReplicaSet | Pod 개수를 유지하는 컨트롤러 |
//! ```
//!
//! A table is a glossary when its first header names terms (`용어`, `개념`,
//! `명령어`, `옵션`, `term`, `command`, …) or its second names what they
//! mean (`설명`, `정의`, `의미`, `뜻`, `역할`, `description`, …). Each row is
//! a definition card: the first cell asks, the second answers; further
//! columns follow as `**header**: value` lines.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::Section;
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::text::{clean_question, is_placeholder, plain_text};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// First-column headers of a glossary.
const TERM_HEADERS: &[&str] = &[
    "용어",
    "개념",
    "명령어",
    "명령",
    "옵션",
    "키워드",
    "term",
    "terms",
    "concept",
    "command",
    "option",
    "keyword",
];
/// Second-column headers of a glossary.
const MEANING_HEADERS: &[&str] = &[
    "설명",
    "정의",
    "의미",
    "뜻",
    "역할",
    "description",
    "definition",
    "meaning",
    "explanation",
];

/// The rows of a table: each a list of cells (Markdown source), the header first.
fn rows(src: &str) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell_start = None;
    for (event, range) in Parser::new_ext(src, crate::notes::parse::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => cell_start = Some(range.clone()),
            Event::End(TagEnd::TableCell) => {
                if let (Some(r), Some(row)) = (cell_start.take(), rows.last_mut()) {
                    let cell = src[r].trim().trim_matches('|').trim();
                    row.push(cell.replace("\\|", "|"));
                }
            }
            _ => {}
        }
    }
    rows
}

/// Is this table a glossary?
pub fn is_glossary(note: &ParsedNote, b: &Block) -> bool {
    if b.kind != BlockKind::Table {
        return false;
    }
    let rows = rows(note.source(b));
    let Some(head) = rows.first().filter(|h| h.len() >= 2) else {
        return false;
    };
    let named =
        |cell: &str, list: &[&str]| list.contains(&plain_text(cell).to_lowercase().as_str());
    named(&head[0], TERM_HEADERS) || named(&head[1], MEANING_HEADERS)
}

/// Read the glossary tables of a section.
pub fn read(
    note: &ParsedNote,
    s: &Section,
    taken: &mut [bool],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let section = s.titles();
    for (k, b) in s.body.iter().enumerate() {
        if taken[k] || !is_glossary(note, b) {
            continue;
        }
        taken[k] = true;
        let rows = rows(note.source(b));
        let head = &rows[0];
        let first_line = note.line(b);
        // Rows start on the third line (header, delimiter row).
        for (i, row) in rows.iter().enumerate().skip(1) {
            let line = first_line + i + 1;
            let Some(term) = row.first() else { continue };
            let (question, tags) = clean_question(term);
            if question.is_empty() {
                continue;
            }
            let mut answer = row.get(1).cloned().unwrap_or_default();
            for (h, v) in head.iter().zip(row.iter()).skip(2) {
                if !v.is_empty() {
                    answer.push_str(&format!("  \n**{}**: {v}", plain_text(h)));
                }
            }
            let text = plain_text(&answer);
            if is_placeholder(&text) {
                found.unanswered(line, &question);
                continue;
            }
            let mut card = RawCard::new(CardKind::Definition, question, answer, &section, line);
            card.answer_text = text;
            card.tags = tags;
            cards.push(card);
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
    fn glossary_rows_are_definitions() {
        let f = read_all(
            "| 용어 | 설명 | 예 |\n| --- | --- | --- |\n| Pod | 컨테이너의 집합 | `nginx` |\n| `kubectl \\| grep` | 파이프 | |\n| 빈칸 | |\n\n| 용도 | 내용 |\n|---|---|\n| 개발 | Minikube |\n",
        );
        let qa: Vec<(&str, &str, usize)> = f
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str(), c.line))
            .collect();
        assert_eq!(
            qa,
            [
                ("Pod", "컨테이너의 집합  \n**예**: `nginx`", 3),
                ("`kubectl | grep`", "파이프", 4),
            ]
        );
        assert_eq!(f.unanswered.len(), 1);
    }
}
