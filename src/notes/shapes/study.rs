//! Study notes: definitions, label bullets with their explanation, and
//! headings explained by a short body.
//!
//! ```markdown
//! #### 6장) 쿠버네티스 시작하기
//! - **Pods** : ==컨테이너의 집합==          ← definition
//! - 롤링 업데이트                            ← label with nested explanation
//!   - 포드를 하나씩 새 버전으로 바꾼다
//! ### 5.2 쿠버네티스 버전 선택               ← explained heading
//! 버전 업데이트가 매우 빨라 …
//! ```
//!
//! Precision over quantity: template headings, placeholders, study-plan
//! metadata, to-do lists and image- or table-only bodies make no card and
//! are reported as skipped.

use super::{Found, RawCard};
use crate::deck::CardKind;
use crate::notes::outline::{
    Section, chapter_heading, clean_heading, is_date_heading, is_template_heading, progress_chapter,
};
use crate::notes::parse::{Block, BlockKind, ParsedNote};
use crate::notes::shapes::qa_log::nested_source;
use crate::notes::text::{
    ends_like_sentence, has_image, in_list, is_placeholder_text, looks_like_question, strip_marks,
};

/// Headings whose bullets are a to-do list, not knowledge.
const TODO_HEADINGS: &[&str] = &["적용해볼 내용", "적용할 내용", "todo", "할 일", "해볼 것"];

/// Labels too generic to be a question without their context.
const GENERIC_LABELS: &[&str] = &[
    "핵심 개념",
    "실습 내용",
    "배운 내용",
    "적용해볼 내용",
    "요약",
    "정리",
    "참고",
    "예시",
    "예제",
    "주의사항",
    "사용법",
    "구성",
    "결론",
    "기타",
    "메모",
    "todo",
    "실제 구성",
    "대체 사용법",
    "검증 스크립트",
    "yaml",
];

/// Keys of study-plan metadata bullets (`**기간**: …`).
const METADATA_KEYS: &[&str] = &[
    "기간",
    "목표",
    "일일 학습시간",
    "학습시간",
    "진도",
    "날짜",
    "장소",
    "시간",
    "범위",
    "교재",
    "참여자",
];

/// Longest plain text (characters) of a heading body that still makes one section card.
pub const SECTION_MAX_CHARS: usize = 1_500;
/// Shortest plain text (characters) of a heading body that makes a section card.
pub const SECTION_MIN_CHARS: usize = 20;
/// Longest term (characters) of a `term : definition` bullet.
pub const TERM_MAX_CHARS: usize = 40;

/// Split `term : def` / `term - def` (the first separator outside code
/// spans: a colon before a space or the end of the line, or a dash between
/// spaces); the definition goes on with the item's other lines.
pub fn split_definition(src: &str) -> Option<(String, String)> {
    let first_line = src.lines().next()?;
    let mut in_code = false;
    let mut sep = None;
    let chars: Vec<(usize, char)> = first_line.char_indices().collect();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if c == '`' {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let before = k.checked_sub(1).map(|p| chars[p].1);
        let colon = matches!(c, ':' | '：') && next.is_none_or(char::is_whitespace);
        let dash = matches!(c, '-' | '–' | '—') && before == Some(' ') && next == Some(' ');
        if colon || dash {
            sep = Some((at, at + c.len_utf8()));
            break;
        }
    }
    let (s, e) = sep?;
    let term = first_line[..s].trim();
    let rest = src.get(first_line.len() + 1..).unwrap_or("");
    let rest = rest.strip_suffix('\n').unwrap_or(rest);
    let def = if src.len() > first_line.len() + 1 {
        format!("{}\n{rest}", first_line[e..].trim())
    } else {
        first_line[e..].to_string()
    };
    let def = def.trim();
    let plain_term = strip_marks(term);
    let term_chars = plain_term.chars().count();
    if term_chars == 0 || term_chars > TERM_MAX_CHARS || strip_marks(def).chars().count() < 2 {
        return None;
    }
    if plain_term.contains('[')
        || plain_term.contains("http")
        || (ends_like_sentence(&plain_term) && term_chars > 15)
    {
        return None;
    }
    Some((term.to_string(), def.to_string()))
}

/// `**term**` opening a paragraph whose following lines explain it (Obsidian style).
pub fn split_bold_lead(src: &str) -> Option<(String, String)> {
    let inner = src.trim_start().strip_prefix("**")?;
    let end = inner.find("**")?;
    let term = inner[..end].trim();
    let after = &inner[end + 2..];
    let rest = after.trim_start_matches([' ', ':', '：']).trim();
    if term.is_empty() || rest.is_empty() || term.chars().count() > TERM_MAX_CHARS {
        return None;
    }
    // The explanation must start on the next line (else `**a** text` is a sentence).
    if !after.trim_start_matches([' ', '\t']).starts_with('\n') {
        return None;
    }
    Some((format!("**{term}**"), rest.to_string()))
}

/// Why a body makes no card when it is only a table, images or nothing:
/// fewer than two letters of the writer's own words and no code.
pub fn only_media<'b>(
    blocks: impl IntoIterator<Item = &'b Block>,
    note: &ParsedNote,
) -> Option<&'static str> {
    let mut letters = 0;
    let mut table = false;
    let mut image = false;
    let mut stack: Vec<&Block> = blocks.into_iter().collect();
    while let Some(b) = stack.pop() {
        match b.kind {
            BlockKind::Table => table = true,
            BlockKind::Code => return None,
            BlockKind::Html => {
                let src = note.source(b);
                if src.to_ascii_lowercase().contains("<img") {
                    image = true;
                } else {
                    letters += src.chars().filter(|c| c.is_alphanumeric()).count();
                }
            }
            BlockKind::Paragraph | BlockKind::Heading { .. } => {
                image |= has_image(note.source(b));
                letters += b.text.chars().filter(|c| c.is_alphanumeric()).count();
            }
            _ => {}
        }
        if letters >= 2 {
            return None;
        }
        stack.extend(b.children.iter());
    }
    Some(if table {
        "table-only body"
    } else if image {
        "image-only body"
    } else {
        "empty body"
    })
}

/// Longest answer (lines) a bullet's card takes when most of it is code: a
/// longer one is split into the cards its nested bullets make.
pub const MAX_CODE_ANSWER_LINES: usize = 30;

/// What a bullet gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gave {
    /// A card (or, nested in it, several).
    Card,
    /// Something reported as skipped.
    Skipped,
    /// Nothing: a plain statement, or a generic label.
    Nothing,
}

/// Is most of this Markdown (more than half its lines) inside code fences?
fn mostly_code(md: &str) -> bool {
    let mut in_fence = false;
    let mut code = 0;
    let mut total = 0;
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            code += 1;
        } else if in_fence {
            code += 1;
        }
        total += 1;
    }
    code * 2 > total
}

/// The cards of one bullet (and, below a plain bullet, of its nested
/// bullets): a definition; or (`top`) a bullet with a nested explanation —
/// a label, a question or a statement — whose explanation is the answer.
pub fn item_cards(
    note: &ParsedNote,
    item: &Block,
    section: &[String],
    top: bool,
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) -> Gave {
    let kids = &item.children;
    let Some(first) = kids.first() else {
        return Gave::Nothing;
    };
    if first.kind != BlockKind::Paragraph {
        return Gave::Nothing;
    }
    let src = note.source(first).trim();
    let rest = &kids[1..];
    let line = note.line(item);
    let join = |a: String, b: &str| {
        if b.trim().is_empty() {
            a
        } else if a.trim().is_empty() {
            b.to_string()
        } else {
            format!("{a}\n\n{b}")
        }
    };
    // Definitions: `term : def`, `term - def`, `**term**` + next line.
    if let Some((term, def)) = split_definition(src).or_else(|| split_bold_lead(src)) {
        if in_list(METADATA_KEYS, &term) {
            found.skip(line, "study-plan metadata", src);
            return Gave::Skipped;
        }
        if !in_list(GENERIC_LABELS, &term) && !is_placeholder_text(&strip_marks(&def)) {
            let answer = join(def, &nested_source(note, item));
            cards.push(RawCard::new(
                CardKind::Definition,
                term,
                answer,
                section,
                line,
            ));
            return Gave::Card;
        }
    }
    // A bullet with a nested explanation: a label, a question, or a
    // statement the explanation goes on with.
    let label = strip_marks(&first.text);
    if top && !rest.is_empty() && !label.is_empty() && !in_list(GENERIC_LABELS, &label) {
        if let Some(reason) = only_media(rest, note) {
            found.skip(line, reason, &label);
            return Gave::Skipped;
        }
        if is_placeholder_text(&note.text_of_blocks(rest, true)) {
            found.skip(line, "placeholder answer", &label);
            return Gave::Skipped;
        }
        let answer = nested_source(note, item);
        let lines = answer.lines().count();
        if lines <= MAX_CODE_ANSWER_LINES || !mostly_code(&answer) {
            let mut card = RawCard::new(CardKind::Qa, src.to_string(), answer, section, line);
            card.from_statement = ends_like_sentence(&label) && !looks_like_question(&label);
            cards.push(card);
            return Gave::Card;
        }
        found.skip(
            line,
            "answer too long for one card (mostly code): its nested bullets are cards where they can be",
            &label,
        );
        for child in rest {
            if let BlockKind::List { .. } = child.kind {
                for sub in &child.children {
                    item_cards(note, sub, section, true, cards, found);
                }
            }
        }
        return Gave::Skipped;
    }
    // Nested definitions stay self-contained; look for them below.
    let before = cards.len();
    for child in rest {
        if let BlockKind::List { .. } = child.kind {
            for sub in &child.children {
                item_cards(note, sub, section, false, cards, found);
            }
        }
    }
    if cards.len() > before {
        Gave::Card
    } else {
        Gave::Nothing
    }
}

/// Is a bullet a plain statement: one paragraph, nothing nested?
fn is_statement(item: &Block) -> bool {
    item.children.len() == 1 && item.children[0].kind == BlockKind::Paragraph
}

/// The cards of a list's bullets. A plain statement after a bold term
/// explained on its next line (`- **도커 볼륨 (-v)**` then `- 즉, 컨테이너가
/// 삭제되어도 …`) goes on with that term's answer.
fn list_cards(
    note: &ParsedNote,
    list: &Block,
    section: &[String],
    cards: &mut Vec<RawCard>,
    found: &mut Found,
) {
    let mut last: Option<usize> = None;
    for item in &list.children {
        let before = cards.len();
        let bold_term = item
            .children
            .first()
            .is_some_and(|p| split_bold_lead(note.source(p).trim()).is_some());
        match item_cards(note, item, section, true, cards, found) {
            Gave::Card if cards.len() == before + 1 && bold_term => last = Some(before),
            Gave::Card | Gave::Skipped => last = None,
            Gave::Nothing => {
                if let Some(i) = last.filter(|_| is_statement(item)) {
                    let src = note.source(&item.children[0]).trim();
                    if !src.is_empty()
                        && super::super::text::plain_text(src)
                            .chars()
                            .any(char::is_alphanumeric)
                    {
                        let a = &mut cards[i].answer;
                        a.push_str(if a.ends_with('\n') { "" } else { "\n" });
                        a.push_str(&format!("- {src}"));
                    }
                }
            }
        }
    }
}

/// Why a heading and its body make no card though the body is of a card's
/// size: the body is mostly `#tags`, or one line hardly longer than the
/// heading (which then already says what the body does).
fn gives_nothing_more(question: &str, body: &str) -> Option<&'static str> {
    let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
    let tag_lines = lines
        .iter()
        .filter(|l| {
            let (rest, tags) =
                super::super::text::split_tags(l.trim_start_matches(['-', '*', ' ']));
            !tags.is_empty() && !rest.chars().any(char::is_alphanumeric)
        })
        .count();
    if tag_lines * 3 >= lines.len() {
        return Some("a list of tags, not an answer");
    }
    let plain = super::super::text::plain_text(body);
    let one_line = !body.trim().contains('\n');
    if one_line && plain.chars().count() * 2 < question.chars().count() * 3 {
        return Some("the heading already says what its one line does");
    }
    None
}

/// Is a section's heading a topic of its own (not a template heading, a
/// date, or a chapter heading without a title)?
pub fn is_topic(s: &Section) -> bool {
    let title = s.title();
    s.heading.is_some()
        && !clean_heading(title).is_empty()
        && !is_template_heading(title)
        && !is_date_heading(title)
        && chapter_heading(title).is_none_or(|(_, t)| !t.is_empty())
}

/// The study cards of a section's blocks `body` (those no other shape
/// took), given that other shapes found `others` cards in it.
pub fn section_cards(
    note: &ParsedNote,
    s: &Section,
    body: &[&Block],
    others: usize,
    found: &mut Found,
) -> Vec<RawCard> {
    let title = s.title();
    let heading_line = s.heading.map_or(1, |h| note.line(h));
    let section = s.titles();
    if body.is_empty() {
        return Vec::new();
    }
    if in_list(TODO_HEADINGS, title) {
        found.skip(heading_line, "to-do list", title);
        return Vec::new();
    }
    let mut cards: Vec<RawCard> = Vec::new();
    for b in body {
        if let BlockKind::List { .. } = b.kind {
            list_cards(note, b, &section, &mut cards, found);
        }
    }
    // Statement cards give way to their section's own card.
    let counted = cards.iter().filter(|c| !c.from_statement).count();
    if counted + others < 2 && is_topic(s) {
        let body: Vec<&Block> = body
            .iter()
            .copied()
            .filter(|b| progress_chapter(&b.text).is_none())
            .collect();
        let body_text = note.text_of_blocks(body.iter().copied(), true);
        let body_chars = body_text.chars().filter(|c| !c.is_whitespace()).count();
        if is_placeholder_text(&body_text) {
            found.skip(heading_line, "placeholder body", title);
            cards.clear();
        } else if let Some(reason) = only_media(body.iter().copied(), note) {
            found.skip(heading_line, reason, title);
            cards.clear();
        } else if (SECTION_MIN_CHARS..=SECTION_MAX_CHARS).contains(&body_chars) && others == 0 {
            let question = clean_heading(title);
            let start = note.line_start(body[0].range.start);
            let end = body.last().map_or(start, |b| b.range.end);
            let answer = note.text[start..end].trim().to_string();
            match gives_nothing_more(&question, &answer) {
                // The section's own bullets still make their cards.
                Some(reason) => found.skip(heading_line, reason, title),
                None => {
                    cards = vec![RawCard::new(
                        CardKind::Section,
                        question,
                        answer,
                        &section,
                        heading_line,
                    )];
                }
            }
        } else if cards.is_empty() && others == 0 && body_chars > SECTION_MAX_CHARS {
            found.skip(
                heading_line,
                "body too long for one card and no card-shaped bullets",
                title,
            );
        }
    }
    cards
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_ignore_colons_in_code() {
        assert_eq!(split_definition("`docker create -it ubuntu:24.04`"), None);
        assert_eq!(
            split_definition("**Pods** : ==컨테이너의 집합=="),
            Some(("**Pods**".into(), "==컨테이너의 집합==".into()))
        );
        assert_eq!(
            split_definition("PVC - 사용자가 PV에 하는 요청"),
            Some(("PVC".into(), "사용자가 PV에 하는 요청".into()))
        );
        assert_eq!(split_definition("see https://x.y/z"), None);
    }

    #[test]
    fn a_bold_lead_needs_its_explanation_on_the_next_line() {
        assert_eq!(
            split_bold_lead("**Master Node**\n클러스터를 관리"),
            Some(("**Master Node**".into(), "클러스터를 관리".into()))
        );
        assert_eq!(split_bold_lead("**굵게** 쓴 문장"), None);
    }
}
