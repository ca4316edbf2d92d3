//! Bullet Q&A logs (the course's shape): top-level bullets are questions,
//! everything nested under one is its answer.
//!
//! ```markdown
//! ## Docker
//! - 볼륨은 어디에 저장되나요?
//!   - `/var/lib/docker/volumes` 아래입니다.
//! ```
//!
//! Under a heading, a top-level bullet is a question; everything nested
//! under it, plus code, images, quotes, paragraphs and *more-indented*
//! bullets that follow before the next question, heading or `---`, is its
//! answer. A bullet indented further than the question's own marker (one
//! space, or a list re-started after a code fence) belongs to the answer,
//! as its writer meant, even where CommonMark starts a sibling. Bullets of a
//! plan section (`## 강의 일정`, `## Schedule`) are not questions.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::text::{dedent, has_image, is_placeholder, looks_like_question, push_part};

/// Korean words of plan-section titles (matched anywhere: particles attach).
const PLAN_WORDS_KO: &[&str] = &["계획", "일정", "스케줄", "시간표", "커리큘럼", "목차"];
/// English words of plan-section titles (whole words, any case).
const PLAN_WORDS_EN: &[&str] = &["schedule", "plan", "curriculum", "agenda", "syllabus"];

/// Is a heading the title of a schedule or plan (whose bullets are not questions)?
pub fn is_plan_title(title: &str) -> bool {
    PLAN_WORDS_KO.iter().any(|w| title.contains(w))
        || title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| PLAN_WORDS_EN.iter().any(|w| word.eq_ignore_ascii_case(w)))
}

/// The text of an item's bullet (its first paragraph), if any.
fn bullet_text(item: &Block) -> &str {
    item.children.first().map_or("", |p| p.text.as_str())
}

/// Is the note a bullet Q&A log? At least 3 question bullets that have
/// answers, and half of all question-position bullets (outside plan
/// sections) read as questions. A bullet indented further than the one
/// before it is an answer line, not a question position.
pub fn is_log(note: &ParsedNote) -> bool {
    // Top-level items in order (column, text, has nested blocks); `None`
    // for any other block, which ends the item before it.
    let mut entries: Vec<Option<(usize, &str, bool)>> = Vec::new();
    let mut plan = false;
    for b in &note.blocks {
        match b.kind {
            BlockKind::Heading { .. } => {
                plan = is_plan_title(&b.text);
                entries.push(None);
            }
            _ if plan => {}
            BlockKind::List { .. } => {
                for item in &b.children {
                    entries.push(Some((
                        item.marker_col(),
                        bullet_text(item),
                        item.children.len() > 1,
                    )));
                }
            }
            _ => entries.push(None),
        }
    }
    let (mut total, mut questions, mut answered) = (0, 0, 0);
    let mut current: Option<usize> = None;
    for (i, e) in entries.iter().enumerate() {
        let Some((col, text, nested)) = e else {
            continue;
        };
        if current.is_some_and(|c| *col > c) {
            continue;
        }
        current = Some(*col);
        total += 1;
        if looks_like_question(text) {
            questions += 1;
            let followed = match entries.get(i + 1) {
                Some(Some((c, _, _))) => c > col,
                Some(None) => true,
                None => false,
            };
            if *nested || followed {
                answered += 1;
            }
        }
    }
    answered >= 3 && questions * 2 >= total
}

/// A question being read: its bullet and the answer pieces after it.
struct Open<'a> {
    item: &'a Block,
    col: usize,
    section: Vec<String>,
    /// Answer pieces after the item's own nesting: source ranges, each with
    /// the indent to remove.
    pieces: Vec<(std::ops::Range<usize>, usize)>,
    /// Their blocks, for the answer's plain text.
    extra: Vec<&'a Block>,
    /// The list the last piece came from (its items join one piece).
    last_list: Option<usize>,
}

/// Push `level`'s heading onto a heading path.
pub fn push_heading(path: &mut Vec<(u8, String)>, level: u8, text: &str) {
    while path.last().is_some_and(|(l, _)| *l >= level) {
        path.pop();
    }
    path.push((level, text.trim().to_string()));
}

/// The titles of a heading path.
pub fn titles(path: &[(u8, String)]) -> Vec<String> {
    path.iter().map(|(_, t)| t.clone()).collect()
}

/// Markdown of everything nested under an item after its first paragraph,
/// from the line after that paragraph, dedented to the left margin.
pub fn nested_source(note: &ParsedNote, item: &Block) -> String {
    let kids = &item.children;
    let Some(second) = kids.get(1) else {
        return String::new();
    };
    let mut start = note.line_start(second.range.start);
    if let Some(first) = kids.first()
        && start < first.range.end
    {
        // The nested block's range began on the bullet's own line.
        let end = note.text[..first.range.end].trim_end().len();
        start = note.line_end(end);
    }
    let end = item.range.end.max(start);
    dedent(note.text[start..end].trim_end(), note.indent_at(start))
}

/// Read the bullets of a Q&A log into cards.
pub fn extract(note: &ParsedNote, found: &mut Found) {
    let mut path: Vec<(u8, String)> = Vec::new();
    let mut plan = false;
    let mut open: Option<Open> = None;
    for b in &note.blocks {
        match b.kind {
            BlockKind::Heading { level } => {
                finish(note, open.take(), found);
                push_heading(&mut path, level, &b.text);
                plan = is_plan_title(&b.text);
            }
            BlockKind::Rule => finish(note, open.take(), found),
            BlockKind::List { .. } => {
                for item in &b.children {
                    if plan {
                        continue;
                    }
                    let col = item.marker_col();
                    match open.as_mut() {
                        Some(q) if col > q.col => {
                            // A more-indented bullet: part of the answer;
                            // items of one list stay one piece.
                            match q.pieces.last_mut() {
                                Some(last) if q.last_list == Some(b.range.start) => {
                                    last.0.end = item.range.end;
                                }
                                _ => q
                                    .pieces
                                    .push((note.line_start(item.range.start)..item.range.end, col)),
                            }
                            q.extra.push(item);
                            q.last_list = Some(b.range.start);
                        }
                        _ => {
                            finish(note, open.take(), found);
                            open = Some(Open {
                                item,
                                col,
                                section: titles(&path),
                                pieces: Vec::new(),
                                extra: Vec::new(),
                                last_list: None,
                            });
                        }
                    }
                }
            }
            _ => {
                if let Some(q) = open.as_mut() {
                    let start = note.line_start(b.range.start);
                    q.pieces.push((start..b.range.end, note.indent_at(start)));
                    q.extra.push(b);
                    q.last_list = None;
                }
            }
        }
    }
    finish(note, open.take(), found);
}

fn finish(note: &ParsedNote, q: Option<Open>, found: &mut Found) {
    let Some(q) = q else { return };
    let item = q.item;
    let line = note.line(item);
    let first = match item.children.first() {
        Some(p) if p.kind == BlockKind::Paragraph => p,
        _ => {
            found.skip(
                line,
                "bullet without question text",
                note.source(item).trim(),
            );
            return;
        }
    };
    let mut answer = String::new();
    push_part(&mut answer, &nested_source(note, item));
    for (range, indent) in &q.pieces {
        push_part(
            &mut answer,
            &dedent(note.text[range.clone()].trim_end(), *indent),
        );
    }
    let answer_text = note.text_of_blocks(
        item.children[1..].iter().chain(q.extra.iter().copied()),
        false,
    );
    if is_placeholder(&answer_text) && !has_image(&answer) {
        found.unanswered(line, &first.text);
        return;
    }
    let mut card = RawCard::new(
        CardKind::Qa,
        note.source(first).trim().to_string(),
        answer,
        &q.section,
        line,
    );
    card.answer_text = answer_text;
    found.cards.push(card);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse::parse;

    fn ex(s: &str) -> Found {
        let note = parse(s).unwrap();
        let mut f = Found::default();
        extract(&note, &mut f);
        f
    }

    const QA: &str = "## Docker\n\n- 질문 하나인가요?\n  - 답 하나\n\n- 질문 둘인가요?\n  - 답 둘\n\n- 질문 셋인가요?\n  - 답 셋\n";

    #[test]
    fn a_log_is_recognised_from_content() {
        assert!(is_log(&parse(QA).unwrap()));
        assert!(!is_log(
            &parse("# T\n\n- 용어 : 정의\n- 다른 것\n").unwrap()
        ));
    }

    #[test]
    fn placeholder_answer_is_unanswered() {
        let e = ex(&format!("{QA}\n- 네 번째인가요?\n  - ...\n"));
        assert_eq!(e.cards.len(), 3);
        assert_eq!(e.unanswered.len(), 1);
        assert_eq!(e.unanswered[0].line, 12);
    }

    #[test]
    fn one_space_sub_items_belong_to_the_answer() {
        let e = ex("## A\n- 하나인가요?\n - 답\n- 둘인가요?\n - 답\n- 셋인가요?\n - 답\n");
        assert_eq!(e.cards.len(), 3, "{:?}", e.cards);
        assert_eq!(e.cards[0].answer, "- 답");
    }

    #[test]
    fn code_fence_between_question_and_answer_bullets() {
        let src = format!("{QA}\n- 넷인가요?\n```\n- not\n# not\n```\n  - 답 넷\n");
        let e = ex(&src);
        assert_eq!(e.cards.len(), 4);
        let last = &e.cards[3];
        assert!(last.answer.contains("```\n- not\n# not\n```"));
        assert!(last.answer.ends_with("- 답 넷"));
    }

    #[test]
    fn plan_titles() {
        for t in [
            "MSP T3 강의계획",
            "스터디 일정표",
            "Schedule",
            "PLAN-B",
            "목차",
            "커리큘럼!",
        ] {
            assert!(is_plan_title(t), "{t}");
        }
        for t in [
            "Docker 기초",
            "plans",
            "explanation",
            "계",
            "일 정",
            "Kubernetes Service",
        ] {
            assert!(!is_plan_title(t), "{t}");
        }
    }
}
