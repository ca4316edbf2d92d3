//! Block tree → raw cards.
//!
//! A note is read in one of two shapes, recognised from its content:
//!
//! * **Q&A log** — most top-level bullets are questions (a `?` or a Korean
//!   question ending). Under a heading, a top-level bullet is a question;
//!   everything nested under it, plus code, images, quotes, paragraphs and
//!   *more-indented* bullets that follow before the next question, heading or
//!   `---`, is its answer. A bullet indented further than the question's own
//!   marker (1 space, or a list re-started after a code fence) belongs to the
//!   answer, as its writer meant, even where CommonMark would start a sibling.
//! * **Study notes** — definitions (`term : def`, `term - def`,
//!   `**term**` + text), label bullets with nested explanation, short
//!   explained headings, and `==highlights==` as clozes. Precision over
//!   quantity: template headings, placeholders, metadata, to-do lists and
//!   image- or table-only bodies make no card and are listed as skipped.
//!
//! Chapters are assigned later ([`crate::notes::chapters`]); here a study
//! note only records the chapter its own structure gives (`N장)`, `4.3.1`,
//! `📖 진도`).

use super::parse::{Block, BlockKind, ParsedNote};
use crate::deck::CardKind;
use std::borrow::Cow;
use std::sync::Arc;

/// How a note is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteShape {
    /// Questions with nested answers (course logs).
    QaLog,
    /// Study notes (book notes, study logs).
    Study,
}

/// A card before its deck, id and chapter are settled.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCard {
    /// How it was made.
    pub kind: CardKind,
    /// Prompt (Markdown).
    pub question: String,
    /// Answer (Markdown, dedented).
    pub answer: String,
    /// Plain text of the answer, for classifying a Q&A log's card by
    /// chapter ([`Extracted::answer_text`]): a range of the note's plain
    /// text; empty for study-note cards, whose chapter comes from the
    /// note's own structure.
    pub answer_text: std::ops::Range<u32>,
    /// Heading path.
    pub section: Arc<[String]>,
    /// 1-based line of the question.
    pub line: usize,
    /// Chapter number given by the note's own structure (study notes).
    pub chapter_hint: Option<u32>,
}

/// A question with no answer (or only `...`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unanswered {
    /// 1-based line.
    pub line: usize,
    /// The question text.
    pub question: String,
}

/// Something that made no card, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// 1-based line.
    pub line: usize,
    /// Why no card was made.
    pub reason: &'static str,
    /// The start of the text.
    pub text: String,
}

/// A remark on the note's form (the note is still converted).
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// 1-based line.
    pub line: usize,
    /// What was noticed.
    pub message: String,
}

/// Everything one note gave.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// Shape the note was read as.
    pub shape: NoteShape,
    /// Cards in note order.
    pub cards: Vec<RawCard>,
    /// Questions without an answer.
    pub unanswered: Vec<Unanswered>,
    /// What made no card.
    pub skipped: Vec<Skipped>,
    /// Remarks.
    pub warnings: Vec<Warning>,
    /// `N장) title` headings found (chapter number, title).
    pub chapter_titles: Vec<(u32, String)>,
    /// The note's plain text, which the cards' answer texts are ranges of.
    pub plain: String,
}

impl Extracted {
    /// Plain text of a card's answer (empty for study-note cards).
    pub fn answer_text(&self, card: &RawCard) -> &str {
        let r = &card.answer_text;
        self.plain
            .get(r.start as usize..r.end as usize)
            .unwrap_or_default()
    }
}

/// Section titles of schedules and plans: their bullets are not questions.
/// Korean words match anywhere (particles attach) …
const PLAN_WORDS_KO: &[&str] = &["계획", "일정", "스케줄", "시간표", "커리큘럼", "목차"];
/// The first three bytes (a syllable) of each of them, as a number.
const PLAN_WORD_LEADS: [u32; PLAN_WORDS_KO.len()] = {
    let mut leads = [0; PLAN_WORDS_KO.len()];
    let mut k = 0;
    while k < leads.len() {
        let w = PLAN_WORDS_KO[k].as_bytes();
        leads[k] = u32::from_be_bytes([0, w[0], w[1], w[2]]);
        k += 1;
    }
    leads
};
/// … English ones as whole words, any case.
const PLAN_WORDS_EN: &[&str] = &["schedule", "plan", "curriculum", "agenda", "syllabus"];

/// Headings of a study-log template: not topics of their own.
const TEMPLATE_HEADINGS: &[&str] = &[
    "핵심 개념",
    "실습 내용",
    "배운 내용",
    "적용해볼 내용",
    "적용할 내용",
    "스터디 개요",
    "회고",
    "느낀 점",
    "todo",
];

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

/// Bodies that stand for "left out".
const PLACEHOLDERS: &[&str] = &["생략", "요약", "todo", "tbd", "추후 작성", "작성 예정"];

/// Longest plain text (characters) of a heading body that still makes one section card.
pub const SECTION_MAX_CHARS: usize = 1_500;
/// Shortest plain text (characters) of a heading body that makes a section card.
pub const SECTION_MIN_CHARS: usize = 20;
/// Longest term (characters) of a `term : definition` bullet.
pub const TERM_MAX_CHARS: usize = 40;
/// Longest label (characters) of a bullet that asks for its nested explanation.
pub const LABEL_MAX_CHARS: usize = 60;

/// Read a parsed note in the shape its content shows.
pub fn extract(mut note: ParsedNote) -> Extracted {
    let mut warnings = Vec::new();
    fix_headings(&mut note, &mut warnings);
    let (shape, plans) = detect_shape(&note);
    let mut out = Extracted {
        shape,
        cards: Vec::new(),
        unanswered: Vec::new(),
        skipped: Vec::new(),
        warnings,
        chapter_titles: Vec::new(),
        plain: String::new(),
    };
    match shape {
        NoteShape::QaLog => extract_qa(&note, note.blocks(), &plans, &mut out),
        NoteShape::Study => extract_study(&note, note.blocks(), &mut out),
    }
    // Whatever the rules above missed: never a card with nothing to ask or answer.
    out.cards
        .retain(|c| !c.question.trim().is_empty() && !c.answer.trim().is_empty());
    out.plain = note.take_plain();
    out
}

/// `##Title` written without a space is meant as a heading; `#tag` is a tag.
/// Gives the level and the title's byte range in the paragraph's text.
fn pseudo_heading(b: &Block, note: &ParsedNote) -> Option<(u8, std::ops::Range<usize>)> {
    if b.kind != BlockKind::Paragraph {
        return None;
    }
    let src = note.text[b.range.clone()].trim();
    if src.contains('\n') {
        return None;
    }
    let hashes = src.bytes().take_while(|&c| c == b'#').count();
    if !(2..=6).contains(&hashes) {
        return None;
    }
    let rest = &src[hashes..];
    if rest.starts_with(char::is_whitespace) || rest.is_empty() {
        return None;
    }
    let text = note.text_of(b);
    let title = text.trim_start_matches('#').trim();
    let start = title.as_ptr() as usize - text.as_ptr() as usize;
    Some((hashes as u8, start..start + title.len()))
}

/// Turn top-level `##Title` paragraphs into headings (with a warning).
fn fix_headings(note: &mut ParsedNote, warnings: &mut Vec<Warning>) {
    let fixes: Vec<(usize, u8, std::ops::Range<usize>)> = note
        .blocks()
        .iter()
        .enumerate()
        .filter_map(|(i, b)| pseudo_heading(b, note).map(|(l, t)| (i, l, t)))
        .collect();
    for (i, level, title) in fixes {
        note.make_heading(i, level, title);
        let b = &note.blocks()[i];
        warnings.push(Warning {
            line: note.line(b),
            message: format!(
                "heading without a space after '#' read as a heading: {}",
                excerpt(note.text_of(b))
            ),
        });
    }
}

fn is_plan_title(title: &str) -> bool {
    // One look at each byte: ASCII words are compared whole; a Korean
    // word is tried where a three-byte character starts, and only if that
    // character is the word's first.
    let b = title.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let len = b[i..]
                .iter()
                .take_while(|x| x.is_ascii_alphanumeric())
                .count();
            let word = &b[i..i + len];
            if (4..=10).contains(&len)
                && PLAN_WORDS_EN
                    .iter()
                    .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
            {
                return true;
            }
            i += len;
            continue;
        }
        if (0xE0..0xF0).contains(&c)
            && let Some(&[c1, c2]) = b.get(i + 1..i + 3)
            && PLAN_WORD_LEADS.contains(&u32::from_be_bytes([0, c, c1, c2]))
            && PLAN_WORDS_KO
                .iter()
                .any(|w| b[i..].starts_with(w.as_bytes()))
        {
            return true;
        }
        i += 1;
    }
    false
}

/// Does a bullet's text read as a question?
pub fn looks_like_question(text: &str) -> bool {
    let t = text.trim();
    // `?` or a full-width `？` (EF BC 9F), both found by their first byte in one pass.
    let b = t.as_bytes();
    if memchr::memchr2_iter(b'?', 0xEF, b)
        .any(|i| b[i] == b'?' || b[i..].starts_with("？".as_bytes()))
    {
        return true;
    }
    let t = t.trim_end_matches(|c: char| c == '.' || c == '~' || c.is_whitespace());
    const ENDINGS: &[&str] = &[
        "나요",
        "까요",
        "가요",
        "는지",
        "ㄴ지",
        "은지",
        "습니까",
        "인지",
        "하죠",
        "나여",
        "세요",
    ];
    ENDINGS.iter().any(|e| t.ends_with(e))
}

/// A Q&A log: at least 3 question bullets that have answers, and half of
/// all question-position bullets (outside plan sections) read as questions.
/// A bullet indented further than the one before it is an answer line, not
/// a question position (as in [`extract_qa`]). Also tells, for each
/// top-level heading in order, whether it is a plan section's.
fn detect_shape(note: &ParsedNote) -> (NoteShape, Vec<bool>) {
    // Flatten top-level blocks: Some((col, text, nested)) for items, None for others.
    let mut entries: Vec<Option<(usize, &str, bool)>> = Vec::new();
    let mut plan = false;
    let mut plans = Vec::new();
    // `##Title` paragraphs are headings by now (see `fix_headings`).
    for b in note.blocks() {
        if let BlockKind::Heading { .. } = b.kind {
            plan = is_plan_title(note.text_of(b));
            plans.push(plan);
            entries.push(None);
            continue;
        }
        if plan {
            continue;
        }
        match b.kind {
            BlockKind::List { .. } => {
                for item in note.children(b) {
                    let col = match item.kind {
                        BlockKind::Item { marker_col } => marker_col,
                        _ => 0,
                    };
                    let kids = note.children(item);
                    let text = kids.first().map_or("", |p| note.text_of(p));
                    entries.push(Some((col, text, kids.len() > 1)));
                }
            }
            _ => entries.push(None),
        }
    }
    let mut total = 0usize;
    let mut questions = 0usize;
    let mut answered = 0usize;
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
    let shape = if answered >= 3 && questions * 2 >= total {
        NoteShape::QaLog
    } else {
        NoteShape::Study
    };
    (shape, plans)
}

// ---------------------------------------------------------------- Q&A logs

struct OpenQuestion<'a> {
    item: &'a Block,
    col: usize,
    section: Arc<[String]>,
    /// Extra answer pieces after the item: byte ranges (merged when adjacent items).
    chunks: Vec<(std::ops::Range<usize>, usize)>,
    /// Blocks of those pieces, for plain text.
    extra: Vec<&'a Block>,
    last_list: Option<usize>,
}

fn heading_path_push<'a>(path: &mut Vec<(u8, &'a str)>, level: u8, text: &'a str) {
    while path.last().is_some_and(|(l, _)| *l >= level) {
        path.pop();
    }
    path.push((level, text.trim()));
}

fn path_titles(path: &[(u8, &str)]) -> Arc<[String]> {
    path.iter().map(|(_, t)| t.to_string()).collect()
}

/// `plans`: for each heading of `blocks` in order, is it a plan section's
/// (see [`detect_shape`]).
fn extract_qa(note: &ParsedNote, blocks: &[Block], plans: &[bool], out: &mut Extracted) {
    let mut plans = plans.iter();
    let mut path: Vec<(u8, &str)> = Vec::new();
    // The heading path's titles, shared by the questions under it (made
    // at the first of them).
    let mut titles: Option<Arc<[String]>> = None;
    let mut plan = false;
    let mut open: Option<OpenQuestion> = None;
    for b in blocks {
        match &b.kind {
            BlockKind::Heading { level } => {
                finish(note, open.take(), out);
                let text = note.text_of(b);
                heading_path_push(&mut path, *level, text);
                titles = None;
                plan = plans.next().copied().unwrap_or_else(|| is_plan_title(text));
            }
            BlockKind::Rule => finish(note, open.take(), out),
            BlockKind::List { .. } => {
                for item in note.children(b) {
                    let col = match item.kind {
                        BlockKind::Item { marker_col } => marker_col,
                        _ => 0,
                    };
                    if plan {
                        continue;
                    }
                    match open.as_mut() {
                        Some(q) if col > q.col => {
                            let start = note.line_start(item.range.start);
                            if q.last_list == Some(b.range.start) {
                                if let Some(last) = q.chunks.last_mut() {
                                    last.0.end = item.range.end;
                                }
                            } else {
                                q.chunks.push((start..item.range.end, col));
                            }
                            q.extra.push(item);
                            q.last_list = Some(b.range.start);
                        }
                        _ => {
                            finish(note, open.take(), out);
                            open = Some(OpenQuestion {
                                item,
                                col,
                                section: titles.get_or_insert_with(|| path_titles(&path)).clone(),
                                chunks: Vec::new(),
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
                    let indent = note.indent_at(start);
                    q.chunks.push((start..b.range.end, indent));
                    q.extra.push(b);
                    q.last_list = None;
                }
            }
        }
    }
    finish(note, open.take(), out);
}

/// Markdown of everything nested under an item after its first paragraph,
/// from the line after that paragraph, dedented to the left margin.
fn nested_source(note: &ParsedNote, item: &Block) -> String {
    let mut out = String::new();
    nested_source_into(note, item, &mut out);
    out
}

/// [`nested_source`], appended to `out`.
fn nested_source_into(note: &ParsedNote, item: &Block, out: &mut String) {
    let kids = note.children(item);
    let Some(second) = kids.get(1) else {
        return;
    };
    let mut start = note.line_start(second.range.start);
    if let Some(first) = kids.first()
        && start < first.range.end
    {
        // The nested block's range began on the bullet's own line.
        let end = note.text[..first.range.end].trim_end().len();
        start = note.text[end..]
            .find('\n')
            .map_or(note.text.len(), |i| end + i + 1);
    }
    let end = item.range.end.max(start);
    let indent = note.indent_at(start);
    dedent_into(note.text[start..end].trim_end(), indent, out);
}

/// Append `src` to `out` with up to `cols` columns of leading whitespace
/// removed from every line. Runs of lines with nothing to remove are
/// copied in one piece.
fn dedent_into(src: &str, cols: usize, out: &mut String) {
    out.reserve(src.len());
    if cols == 0 {
        out.push_str(src);
        return;
    }
    let b = src.as_bytes();
    // Start of the part of `src` not yet copied.
    let mut from = 0;
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', b).map(|i| i + 1));
    for line in starts {
        let mut col = 0;
        let mut cut = line;
        while col < cols {
            match b.get(cut) {
                Some(b' ') => col += 1,
                Some(b'\t') => col = (col / 4 + 1) * 4,
                _ => break,
            }
            cut += 1;
        }
        if cut > line {
            // Spaces and tabs are ASCII: both are character boundaries.
            out.push_str(&src[from..line]);
            from = cut;
        }
    }
    out.push_str(&src[from..]);
}

/// Append one piece of an answer: `write` adds it to the end of `answer`;
/// the piece loses its leading and trailing newlines, a blank piece is
/// dropped, and pieces are separated by a blank line.
fn push_part(answer: &mut String, write: impl FnOnce(&mut String)) {
    let mark = answer.len();
    if !answer.is_empty() {
        answer.push_str("\n\n");
    }
    let start = answer.len();
    write(answer);
    let part = &answer[start..];
    if part.trim().is_empty() {
        answer.truncate(mark);
        return;
    }
    let lead = part.len() - part.trim_start_matches('\n').len();
    let keep = part.trim_end_matches('\n').len();
    answer.truncate(start + keep);
    answer.drain(start..start + lead);
}

/// Is this answer text only a placeholder (`...`, `…`) or nothing?
pub fn is_placeholder(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || matches!(c, '.' | '…' | '·' | '-' | '*' | '~' | '?'))
}

fn has_image(md: &str) -> bool {
    md.contains("![") || contains_ignore_ascii_case(md, "<img")
}

/// Does `hay` hold `needle` (ASCII, starting with a byte that is not a
/// letter), whatever the case of its letters?
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.first().is_some_and(|&first| {
        memchr::memchr_iter(first, h).any(|i| {
            h.get(i..i + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
        })
    })
}

fn finish(note: &ParsedNote, q: Option<OpenQuestion>, out: &mut Extracted) {
    let Some(q) = q else { return };
    let item = q.item;
    let kids = note.children(item);
    let first = match kids.first() {
        Some(p) if p.kind == BlockKind::Paragraph => p,
        _ => {
            out.skipped.push(Skipped {
                line: note.line(item),
                reason: "bullet without question text",
                text: excerpt(note.text[item.range.clone()].trim()),
            });
            return;
        }
    };
    // Both are about as long as the source they come from (dedenting and
    // plain text mostly drop characters): room for it is made once.
    let bound = item.range.len() + q.chunks.iter().map(|(r, _)| r.len() + 2).sum::<usize>();
    let mut answer = String::with_capacity(bound);
    if kids.len() > 1 {
        push_part(&mut answer, |a| nested_source_into(note, item, a));
    }
    for (range, indent) in &q.chunks {
        let src = note.text[range.clone()].trim_end();
        push_part(&mut answer, |a| dedent_into(src, *indent, a));
    }
    // The answer's blocks follow one another: their plain text is one
    // piece of the note's.
    let first_block = kids.get(1).or_else(|| q.extra.first().copied());
    let last_block = q.extra.last().copied().or_else(|| kids[1..].last());
    let answer_range = match (first_block, last_block) {
        (Some(first), Some(last)) => note.flat_range(first, last),
        _ => 0..0,
    };
    let answer_text = note.plain_text(&answer_range);
    #[cfg(debug_assertions)]
    {
        let mut collected = String::new();
        for b in kids[1..].iter().chain(q.extra.iter().copied()) {
            note.collect_text(b, false, &mut collected);
        }
        debug_assert_eq!(
            answer_text,
            collected,
            "answer text at line {}",
            note.line(item)
        );
    }
    if is_placeholder(answer_text) && !has_image(&answer) {
        out.unanswered.push(Unanswered {
            line: note.line(item),
            question: note.text_of(first).trim().to_string(),
        });
        return;
    }
    out.cards.push(RawCard {
        kind: CardKind::Qa,
        question: note.text[first.range.clone()].trim().to_string(),
        answer,
        answer_text: answer_range,
        section: q.section,
        line: note.line(item),
        chapter_hint: None,
    });
}

// ------------------------------------------------------------- study notes

/// A heading and the blocks under it, up to the next heading of any level.
struct Section<'a> {
    heading: Option<&'a Block>,
    path: Vec<(u8, &'a str)>,
    body: &'a [Block],
}

/// Leading ASCII digits of `t`, if any.
fn leading_digits(t: &str) -> &str {
    &t[..t.bytes().take_while(u8::is_ascii_digit).count()]
}

/// `N장) title` → (N, title).
pub fn chapter_heading(text: &str) -> Option<(u32, String)> {
    chapter_heading_str(text).map(|(n, t)| (n, t.to_string()))
}

/// [`chapter_heading`], with the title borrowed.
fn chapter_heading_str(text: &str) -> Option<(u32, &str)> {
    let t = text.trim();
    let digits = leading_digits(t);
    if digits.is_empty() {
        return None;
    }
    let rest = t[digits.len()..].trim_start();
    let rest = rest.strip_prefix('장')?;
    let title = rest.trim_start_matches([')', '.', ':', ' ', ']']).trim();
    Some((digits.parse().ok()?, title))
}

/// `4.3.1 title` → 4 (a numbered heading of the book).
fn numbered_heading(text: &str) -> Option<u32> {
    let t = text.trim();
    let digits = leading_digits(t);
    if digits.is_empty() {
        return None;
    }
    let rest = &t.as_bytes()[digits.len()..];
    (rest.first() == Some(&b'.') && rest.get(1).is_some_and(u8::is_ascii_digit))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Chapter named by a `📖 진도: 2.2, 2.3 / 21~109p` line: the first one.
fn progress_chapter(text: &str) -> Option<u32> {
    let idx = memchr::memmem::find(text.as_bytes(), "진도".as_bytes())?;
    let rest = &text.as_bytes()[idx + "진도".len()..];
    let mut i = 0;
    while i < rest.len() {
        if rest[i].is_ascii_digit() {
            let start = i;
            while i < rest.len() && rest[i].is_ascii_digit() {
                i += 1;
            }
            let n = &text[idx + "진도".len() + start..idx + "진도".len() + i];
            let after = &rest[i..];
            if after.starts_with("장".as_bytes())
                || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_digit))
            {
                return n.parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Remove book numbering (`4.3.1`, `2장)`) and emoji from a heading for use as a question.
fn clean_heading(text: &str) -> Cow<'_, str> {
    let t = text.trim();
    let t = match chapter_heading_str(t) {
        Some((_, title)) if !title.is_empty() => return Cow::Borrowed(title),
        _ => t,
    };
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if !t.chars().any(is_emoji) {
        return Cow::Borrowed(t.trim());
    }
    let kept: String = t.chars().filter(|c| !is_emoji(*c)).collect();
    Cow::Owned(kept.trim().to_string())
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
}

/// Is `text`, without emoji, marks and colons, trimmed and lower-cased,
/// one of the words of `list`? Decided in a small buffer, stopping as soon
/// as it is longer than the longest word.
fn in_list(list: &[&str], text: &str) -> bool {
    // Most texts are in no list, and their first kept character tells.
    let first = text.chars().find(|&c| {
        !(is_emoji(c) || matches!(c, '*' | '_' | '`' | ':' | '：') || c.is_whitespace())
    });
    let Some(first) = first else {
        return list.iter().any(|w| w.is_empty());
    };
    let lower = if first.is_ascii() || super::is_hangul_syllable(first) {
        first.to_ascii_lowercase()
    } else {
        first.to_lowercase().next().unwrap_or(first)
    };
    if !list.iter().any(|w| w.starts_with(lower)) {
        return false;
    }
    const CAP: usize = 64;
    let max = list.iter().map(|w| w.len()).max().unwrap_or(0).min(CAP);
    let mut out = [0u8; CAP];
    let mut len = 0;
    // Whitespace seen after some text, written only if more text follows.
    let mut pending = [0u8; CAP];
    let mut pending_len = 0;
    // Characters are encoded in place (no copies of a few bytes each).
    for c in text.chars() {
        if is_emoji(c) || matches!(c, '*' | '_' | '`' | ':' | '：') {
            continue;
        }
        if c.is_whitespace() {
            if len > 0 {
                let n = c.len_utf8();
                if pending_len + n > max {
                    return false;
                }
                c.encode_utf8(&mut pending[pending_len..pending_len + n]);
                pending_len += n;
            }
            continue;
        }
        if len + pending_len > max {
            return false;
        }
        if pending_len > 0 {
            out[len..len + pending_len].copy_from_slice(&pending[..pending_len]);
            len += pending_len;
            pending_len = 0;
        }
        let mut push = |c: char| {
            let n = c.len_utf8();
            if len + n > max {
                return false;
            }
            c.encode_utf8(&mut out[len..len + n]);
            len += n;
            true
        };
        let fits = if c.is_ascii() || super::is_hangul_syllable(c) {
            // ASCII, and Hangul syllables (no case).
            push(c.to_ascii_lowercase())
        } else {
            c.to_lowercase().all(&mut push)
        };
        if !fits {
            return false;
        }
    }
    list.iter().any(|w| w.as_bytes() == &out[..len])
}

/// Is `c` a letter or digit? (Hangul syllables and ASCII answered without
/// the Unicode tables.)
fn is_letter(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || super::is_hangul_syllable(c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// A study-log date heading (`Day 3 (7/30) - …`, `Week 1`, `7/28 …`) is not a topic.
fn is_date_heading(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !is_letter(c));
    let first = t.split_whitespace().next().unwrap_or("");
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("day ")
        || starts("week")
        || (first.contains('/') && first.chars().all(|c| c.is_ascii_digit() || c == '/'))
}

fn ends_like_sentence(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(|c: char| c == '.' || c == '!' || c.is_whitespace());
    const ENDS: &[&str] = &[
        "다", "음", "함", "됨", "임", "요", "것", "능", "됨", "듯", "네", "죠", "짐", "없음",
    ];
    text.trim().ends_with('.') || ENDS.iter().any(|e| t.ends_with(e))
}

/// Split `term : def` / `term - def` in Markdown source, ignoring separators in code spans and URLs.
fn split_definition(src: &str) -> Option<(String, String)> {
    let first_line = src.lines().next()?;
    // The first separator outside code spans (so `a:b` in backticks never splits).
    // Only the bytes that start a separator or a code span are looked at:
    // `:`, `-`, a backtick, and the first bytes of `：` (EF) and `–`, `—` (E2).
    let bytes = first_line.as_bytes();
    let mut in_code = false;
    let mut sep: Option<(usize, usize)> = None; // byte range of the separator
    // Is the byte at `i` a separator (outside code)? Toggles code spans.
    let mut is_sep = |i: usize| {
        if bytes[i] == b'`' {
            in_code = !in_code;
            return false;
        }
        if in_code {
            return false;
        }
        let mut chars = first_line[i..].chars();
        let Some(c) = chars.next() else { return false };
        let next = chars.next();
        let end = i + c.len_utf8();
        // A colon before a space or the end; a dash between spaces (the
        // space before it outside a code span: a span ends with a backtick).
        let colon = (c == ':' || c == '：') && next.is_none_or(char::is_whitespace);
        let dash =
            matches!(c, '-' | '–' | '—') && i > 0 && bytes[i - 1] == b' ' && next == Some(' ');
        if colon || dash {
            sep = Some((i, end));
        }
        colon || dash
    };
    // Lines without wide characters (most) are searched for the three ASCII bytes at once.
    if memchr::memchr2(0xEF, 0xE2, bytes).is_some() {
        let special = |&i: &usize| matches!(bytes[i], b':' | b'-' | b'`' | 0xEF | 0xE2);
        let _ = (0..bytes.len()).filter(special).any(&mut is_sep);
    } else {
        let _ = memchr::memchr3_iter(b':', b'-', b'`', bytes).any(&mut is_sep);
    }
    let (s, e) = sep?;
    let term = first_line[..s].trim();
    // The definition goes on with the item's other lines (a last newline dropped).
    let rest = src.get(first_line.len() + 1..).unwrap_or("");
    let rest = rest.strip_suffix('\n').unwrap_or(rest);
    let def: Cow<str> = if src.len() > first_line.len() + 1 {
        Cow::Owned(format!("{}\n{rest}", first_line[e..].trim()))
    } else {
        Cow::Borrowed(&first_line[e..])
    };
    let def = def.trim();
    let plain_term = strip_marks_cow(term);
    let tlen = plain_term.chars().count();
    if tlen == 0 || tlen > TERM_MAX_CHARS || !has_two_plain_chars(def) {
        return None;
    }
    if plain_term.contains('[')
        || plain_term.contains("http")
        || ends_like_sentence(&plain_term) && plain_term.chars().count() > 15
    {
        return None;
    }
    Some((term.to_string(), def.to_string()))
}

/// `**term**` opening a paragraph whose remaining lines explain it (Obsidian style).
fn split_bold_lead(src: &str) -> Option<(String, String)> {
    let s = src.trim_start();
    let inner = s.strip_prefix("**")?;
    let end = inner.find("**")?;
    let term = inner[..end].trim();
    let rest = inner[end + 2..].trim_start_matches([' ', ':', '：']).trim();
    if term.is_empty() || rest.is_empty() || term.chars().count() > TERM_MAX_CHARS {
        return None;
    }
    // The explanation must start on the next line (else `**a** text` is a sentence).
    if !inner[end + 2..]
        .trim_start_matches([' ', '\t'])
        .starts_with('\n')
    {
        return None;
    }
    Some((format!("**{term}**"), rest.to_string()))
}

/// Is [`strip_marks`] of `s` at least two characters long? It is when `s`
/// has two characters that are neither marks nor whitespace (trimming keeps
/// everything from the first to the last of them), and only then.
fn has_two_plain_chars(s: &str) -> bool {
    s.chars()
        .filter(|&c| !matches!(c, '*' | '`' | '=' | '_' | '~') && !c.is_whitespace())
        .nth(1)
        .is_some()
}

/// Plain text of inline Markdown: marks removed.
pub fn strip_marks(s: &str) -> String {
    strip_marks_cow(s).into_owned()
}

/// [`strip_marks`], borrowed when there is no mark to remove.
fn strip_marks_cow(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    let is_mark = |b: &u8| matches!(b, b'*' | b'`' | b'=' | b'_' | b'~');
    let Some(first) = s.bytes().position(|b| is_mark(&b)) else {
        return Cow::Borrowed(s);
    };
    // The marks are ASCII: cutting at them keeps whole characters.
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut last = first + 1;
    for (i, b) in s.bytes().enumerate().skip(last) {
        if is_mark(&b) {
            out.push_str(&s[last..i]);
            last = i + 1;
        }
    }
    out.push_str(&s[last..]);
    let end = out.trim_end().len();
    out.truncate(end);
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    Cow::Owned(out)
}

fn only_media<'b>(
    blocks: impl IntoIterator<Item = &'b Block>,
    note: &ParsedNote,
) -> Option<&'static str> {
    // Letters seen (two are enough to be content).
    let mut letters = 0usize;
    let mut count = |s: &str| {
        letters += s
            .chars()
            .filter(|&c| is_letter(c))
            .take(2 - letters)
            .count();
        letters >= 2
    };
    let mut table = false;
    let mut image = false;
    let mut stack: Vec<&Block> = blocks.into_iter().collect();
    while let Some(b) = stack.pop() {
        match b.kind {
            BlockKind::Table => table = true,
            BlockKind::Html => {
                let src = &note.text[b.range.clone()];
                if contains_ignore_ascii_case(src, "<img") {
                    image = true;
                } else if count(src) {
                    return None;
                }
            }
            BlockKind::Code => return None,
            BlockKind::Paragraph | BlockKind::Heading { .. } => {
                if has_image(&note.text[b.range.clone()]) {
                    image = true;
                }
                if count(note.text_of(b)) {
                    return None;
                }
            }
            _ => {}
        }
        stack.extend(note.children(b).iter());
    }
    if table {
        Some("table-only body")
    } else if image {
        Some("image-only body")
    } else {
        Some("empty body")
    }
}

fn is_placeholder_text(text: &str) -> bool {
    // Placeholders are a word or two; anything longer is content.
    let text = text.trim();
    if text.len() > 64 {
        return false;
    }
    // Lower-cased in a small buffer: lower-casing makes a text at most one
    // and a half times as long (`İ` → `i̇`), so 64 bytes fit.
    let mut buf = [0u8; 128];
    let mut len = 0;
    let mut push = |c: char| {
        let n = c.len_utf8();
        c.encode_utf8(&mut buf[len..len + n]);
        len += n;
    };
    for c in text.chars() {
        if matches!(c, '(' | ')' | '[' | ']' | '-' | '.' | '…' | '*') {
            continue;
        }
        // ASCII and Hangul (no case) skip the Unicode case tables.
        if c.is_ascii() || super::is_hangul_syllable(c) {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    std::str::from_utf8(&buf[..len]).is_ok_and(|t| placeholder_word(t.trim()))
}

/// Is `t` (trimmed, lower-cased) empty or one of the placeholder words?
fn placeholder_word(t: &str) -> bool {
    t.is_empty() || PLACEHOLDERS.contains(&t)
}

fn extract_study(note: &ParsedNote, blocks: &[Block], out: &mut Extracted) {
    // Split into sections: the blocks before the first heading, then each
    // heading with the blocks up to the next one.
    let mut sections: Vec<Section> = Vec::new();
    let mut path: Vec<(u8, &str)> = Vec::new();
    let mut open = Section {
        heading: None,
        path: Vec::new(),
        body: &[],
    };
    let mut start = 0;
    for (k, b) in blocks.iter().enumerate() {
        if let BlockKind::Heading { level } = b.kind {
            open.body = &blocks[start..k];
            let text = note.text_of(b);
            heading_path_push(&mut path, level, text);
            if let Some((n, title)) = chapter_heading(text) {
                out.chapter_titles.push((n, title));
            }
            let next = Section {
                heading: Some(b),
                path: path.clone(),
                body: &[],
            };
            sections.push(std::mem::replace(&mut open, next));
            start = k + 1;
        }
    }
    open.body = &blocks[start..];
    sections.push(open);
    // Progress chapter (`📖 진도`) by heading level, reset by a heading at or above it.
    let mut progress: Vec<(u8, u32)> = Vec::new();
    // Cards are made with this heading path, and given their section's own
    // once it is known that the section has cards.
    let unset: Arc<[String]> = Arc::new([]);
    for s in &sections {
        let level = s.path.last().map(|(l, _)| *l).unwrap_or(0);
        progress.retain(|(l, _)| *l < level);
        for b in s.body {
            if let Some(n) = progress_chapter(note.text_of(b)) {
                progress.push((level, n));
            }
        }
        let mut hint = progress.last().map(|(_, n)| *n);
        for (_, t) in &s.path {
            if let Some((n, _)) = chapter_heading_str(t) {
                hint = Some(n);
            } else if let Some(n) = numbered_heading(t) {
                hint = Some(n);
            }
        }
        let first_new = out.cards.len();
        study_section(note, s, hint, &unset, out);
        if out.cards.len() > first_new {
            let section = path_titles(&s.path);
            for c in &mut out.cards[first_new..] {
                c.section = section.clone();
            }
        }
    }
}

/// The cards of one section, with `section` (a placeholder) as their heading path.
fn study_section(
    note: &ParsedNote,
    s: &Section,
    hint: Option<u32>,
    section: &Arc<[String]>,
    out: &mut Extracted,
) {
    let title = s
        .heading
        .map(|h| note.text_of(h).trim())
        .unwrap_or_default();
    let heading_line = s.heading.map(|h| note.line(h)).unwrap_or(1);
    if s.body.is_empty() {
        return;
    }
    if in_list(TODO_HEADINGS, title) {
        out.skipped.push(Skipped {
            line: heading_line,
            reason: "to-do list",
            text: excerpt(title),
        });
        return;
    }
    let mut candidates: Vec<RawCard> = Vec::new();
    let mut clozes: Vec<RawCard> = Vec::new();
    for b in s.body {
        if let BlockKind::List { .. } = b.kind {
            for item in note.children(b) {
                study_item(
                    note,
                    item,
                    section,
                    hint,
                    &mut candidates,
                    &mut out.skipped,
                    true,
                );
            }
        }
        collect_clozes(note, b, section, hint, &mut clozes);
    }
    let topic = s.heading.is_some()
        && !clean_heading(title).is_empty()
        && !in_list(TEMPLATE_HEADINGS, title)
        && !is_date_heading(title)
        && chapter_heading_str(title).is_none_or(|(_, t)| !t.is_empty());
    if candidates.len() < 2 && topic {
        let body: Vec<&Block> = s
            .body
            .iter()
            .filter(|b| progress_chapter(note.text_of(b)).is_none())
            .collect();
        let mut body_text = String::with_capacity(body.iter().map(|b| b.range.len() + 1).sum());
        for b in &body {
            note.collect_text(b, true, &mut body_text);
        }
        // Counted up to one past the longest body a card takes.
        let body_chars = count_non_blank(&body_text, SECTION_MAX_CHARS + 1);
        if is_placeholder_text(&body_text) {
            out.skipped.push(Skipped {
                line: heading_line,
                reason: "placeholder body",
                text: excerpt(title),
            });
            candidates.clear();
        } else if let Some(reason) = only_media(body.iter().copied(), note) {
            out.skipped.push(Skipped {
                line: heading_line,
                reason,
                text: excerpt(title),
            });
            candidates.clear();
        } else if (SECTION_MIN_CHARS..=SECTION_MAX_CHARS).contains(&body_chars) {
            let start = note.line_start(body[0].range.start);
            let end = body.last().map(|b| b.range.end).unwrap_or(start);
            candidates = vec![RawCard {
                kind: CardKind::Section,
                question: clean_heading(title).into_owned(),
                answer: note.text[start..end].trim().to_string(),
                answer_text: 0..0,
                section: section.clone(),
                line: heading_line,
                chapter_hint: hint,
            }];
        } else if candidates.is_empty() && body_chars > SECTION_MAX_CHARS {
            out.skipped.push(Skipped {
                line: heading_line,
                reason: "body too long for one card and no card-shaped bullets",
                text: excerpt(title),
            });
        }
    }
    // Cards of earlier sections all come before this heading: order this one's.
    let first_new = out.cards.len();
    out.cards.extend(candidates);
    out.cards.extend(clozes);
    out.cards[first_new..].sort_by_key(|c| c.line);
}

fn study_item(
    note: &ParsedNote,
    item: &Block,
    section: &Arc<[String]>,
    hint: Option<u32>,
    cards: &mut Vec<RawCard>,
    skipped: &mut Vec<Skipped>,
    top: bool,
) {
    let kids = note.children(item);
    let Some(first) = kids.first() else {
        return;
    };
    if first.kind != BlockKind::Paragraph {
        return;
    }
    let src = note.text[first.range.clone()].trim();
    let rest = &kids[1..];
    // Built only for bullets that become cards.
    let rest_md = || {
        if rest.is_empty() {
            String::new()
        } else {
            nested_source(note, item)
        }
    };
    let rest_text = || -> String {
        let mut out = String::with_capacity(rest.iter().map(|b| b.range.len() + 1).sum());
        for b in rest {
            note.collect_text(b, true, &mut out);
        }
        out
    };
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
            skipped.push(Skipped {
                line: note.line(item),
                reason: "study-plan metadata",
                text: excerpt(src),
            });
            return;
        }
        if !in_list(GENERIC_LABELS, &term) && !is_placeholder_text(&strip_marks_cow(&def)) {
            cards.push(RawCard {
                kind: CardKind::Definition,
                question: term,
                answer: join(def, &rest_md()),
                answer_text: 0..0,
                section: section.clone(),
                line: note.line(item),
                chapter_hint: hint,
            });
            return;
        }
    }
    // A label (or question) bullet with nested explanation.
    if top && !rest.is_empty() {
        let label = strip_marks_cow(note.text_of(first));
        let is_label = (label.chars().count() <= LABEL_MAX_CHARS && !ends_like_sentence(&label))
            || looks_like_question(&label);
        if is_label && !in_list(GENERIC_LABELS, &label) && !label.is_empty() {
            if let Some(reason) = only_media(rest, note) {
                skipped.push(Skipped {
                    line: note.line(item),
                    reason,
                    text: excerpt(&label),
                });
                return;
            }
            let rest_text = rest_text();
            if is_placeholder_text(&rest_text) {
                skipped.push(Skipped {
                    line: note.line(item),
                    reason: "placeholder answer",
                    text: excerpt(&label),
                });
                return;
            }
            cards.push(RawCard {
                kind: CardKind::Qa,
                question: src.to_string(),
                answer: rest_md(),
                answer_text: 0..0,
                section: section.clone(),
                line: note.line(item),
                chapter_hint: hint,
            });
            return;
        }
    }
    // Nested definitions stay self-contained; look for them below.
    for child in &kids[1..] {
        if let BlockKind::List { .. } = child.kind {
            for sub in note.children(child) {
                study_item(note, sub, section, hint, cards, skipped, false);
            }
        }
    }
}

/// Each `==highlight==` in a paragraph becomes a cloze: the sentence with it blanked.
fn collect_clozes(
    note: &ParsedNote,
    b: &Block,
    section: &Arc<[String]>,
    hint: Option<u32>,
    out: &mut Vec<RawCard>,
) {
    // Most blocks have no highlight at all: one look at their whole text.
    if memchr::memmem::find(note.text[b.range.clone()].as_bytes(), b"==").is_none() {
        return;
    }
    let mut stack = vec![b];
    while let Some(b) = stack.pop() {
        if let BlockKind::Paragraph = b.kind {
            let src = note.text[b.range.clone()].trim();
            let spans = highlight_spans(src);
            for (i, (s, e)) in spans.iter().enumerate() {
                let hidden = src[s + 2..e - 2].trim();
                if strip_marks_cow(hidden).is_empty() {
                    continue;
                }
                let mut q = String::new();
                let mut last = 0;
                for (j, (s2, e2)) in spans.iter().enumerate() {
                    q.push_str(&src[last..*s2]);
                    if i == j {
                        q.push_str("[...]");
                    } else {
                        q.push_str(&src[s2 + 2..e2 - 2]);
                    }
                    last = *e2;
                }
                q.push_str(&src[last..]);
                out.push(RawCard {
                    kind: CardKind::Cloze,
                    question: q.trim().to_string(),
                    answer: hidden.to_string(),
                    answer_text: 0..0,
                    section: section.clone(),
                    line: note.line_at(b.range.start + s),
                    chapter_hint: hint,
                });
            }
        }
        stack.extend(note.children(b).iter().rev());
    }
}

/// Byte spans of `==text==` outside code spans.
fn highlight_spans(src: &str) -> Vec<(usize, usize)> {
    let bytes = src.as_bytes();
    let mut spans = Vec::new();
    let mut in_code = false;
    let mut open: Option<usize> = None;
    // Past the second `=` of a pair: it starts nothing.
    let mut skip_to = 0;
    for i in memchr::memchr2_iter(b'`', b'=', bytes) {
        if i < skip_to {
            continue;
        }
        if bytes[i] == b'`' {
            in_code = !in_code;
        } else if !in_code && bytes.get(i + 1) == Some(&b'=') {
            match open {
                None => open = Some(i),
                Some(s) => {
                    spans.push((s, i + 2));
                    open = None;
                }
            }
            skip_to = i + 2;
        }
    }
    spans
}

/// Number of characters of `s` that are not whitespace, counted up to `cap`.
fn count_non_blank(s: &str, cap: usize) -> usize {
    let mut n = 0;
    for (k, chunk) in s.as_bytes().chunks(4096).enumerate() {
        // Bytes that start a character and are not ASCII blanks (a loop the
        // compiler turns into vector code) …
        let starts: usize = chunk
            .iter()
            .map(|&x| {
                let continuation = x & 0xC0 == 0x80;
                // Space, or tab, line feed, vertical tab, form feed, carriage return.
                let blank = (x == b' ') | (x.wrapping_sub(b'\t') < 5);
                u32::from(!(continuation | blank))
            })
            .sum::<u32>() as usize;
        // … less the few non-ASCII blanks (U+0085, U+00A0, U+1680,
        // U+2000…U+205F, U+3000), whose first byte is one of these.
        let base = k * 4096;
        let blanks = memchr::memchr3_iter(0xC2, 0xE1, 0xE2, chunk)
            .chain(memchr::memchr_iter(0xE3, chunk))
            .filter(|&i| {
                s[base + i..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
            })
            .count();
        n += starts - blanks;
        if n >= cap {
            return cap;
        }
    }
    n
}

/// First 80 characters of a line, for reports.
pub fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut s: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::parse::{normalise, parse};
    use proptest::prelude::*;

    /// What a plan title is, said plainly: a Korean plan word anywhere, or
    /// an English one as a whole ASCII word in any case.
    fn plan_title_plainly(title: &str) -> bool {
        PLAN_WORDS_KO.iter().any(|w| title.contains(w))
            || title
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| PLAN_WORDS_EN.iter().any(|w| word.eq_ignore_ascii_case(w)))
    }

    proptest! {
        #[test]
        fn two_plain_chars_as_stripping_counts_them(s in "[ *`=_~a가\u{3000}\t]{0,8}") {
            prop_assert_eq!(has_two_plain_chars(&s), strip_marks(&s).chars().count() >= 2);
        }
    }

    /// [`in_list`] said plainly: the text without emoji, marks and colons,
    /// trimmed and lower-cased, is one of the words.
    fn in_list_plainly(list: &[&str], text: &str) -> bool {
        let kept: String = text
            .chars()
            .filter(|&c| !(is_emoji(c) || matches!(c, '*' | '_' | '`' | ':' | '：')))
            .collect();
        let lower = kept.trim().to_lowercase();
        list.contains(&lower.as_str())
    }

    proptest! {
        #[test]
        fn in_list_as_said_plainly(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("핵심 개념"), Just("요약"), Just("TODO"), Just("todo"), Just("**"),
                    Just(" "), Just(":"), Just("📖"), Just("적용해볼"), Just(" 내용"), Just("Yaml"),
                    Just("x"), Just("İ"), Just("\u{3000}"), Just("기간"), Just("_"),
                ],
                0..5,
            )
        ) {
            let text: String = parts.concat();
            for list in [GENERIC_LABELS, TODO_HEADINGS, METADATA_KEYS, TEMPLATE_HEADINGS, PLACEHOLDERS] {
                prop_assert_eq!(in_list(list, &text), in_list_plainly(list, &text), "{:?}", text);
            }
        }
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

    proptest! {
        #[test]
        fn plan_title_as_said_plainly(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("계획"), Just("일정"), Just("스케줄"), Just("시간"), Just("표"),
                    Just("커리큘럼"), Just("목"), Just("차"), Just("plan"), Just("Agenda"),
                    Just("x"), Just(" "), Just("-"), Just("é"), Just("2"), Just("syllabus"),
                ],
                0..8,
            )
        ) {
            let title: String = parts.concat();
            prop_assert_eq!(is_plan_title(&title), plan_title_plainly(&title));
        }
    }

    #[test]
    fn non_blank_count_is_the_count_of_non_whitespace_characters() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/notes");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .expect("seed notes")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("note"))
            .collect();
        // Non-ASCII blanks, and characters cut by the 4096-byte steps.
        texts.push("a\u{a0}b\u{3000}c\u{2003}d\u{85}e 가\t→…\r\n".repeat(500));
        for t in &texts {
            let n = t.chars().filter(|c| !c.is_whitespace()).count();
            assert_eq!(count_non_blank(t, usize::MAX), n);
            assert_eq!(count_non_blank(t, 1_500), n.min(1_500));
        }
    }

    fn ex(s: &str) -> Extracted {
        extract(parse(normalise(s)).unwrap())
    }

    const QA: &str = "## Docker\n\n- 질문 하나인가요?\n  - 답 하나\n\n- 질문 둘인가요?\n  - 답 둘\n\n- 질문 셋인가요?\n  - 답 셋\n";

    #[test]
    fn qa_log_is_recognised_from_content() {
        assert_eq!(ex(QA).shape, NoteShape::QaLog);
        assert_eq!(
            ex("# T\n\n- 용어 : 정의\n- 다른 것\n").shape,
            NoteShape::Study
        );
    }

    #[test]
    fn placeholder_check_fits_any_short_text() {
        // Lower-casing makes no character more than one and a half times as long.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let lower: usize = c.to_lowercase().map(char::len_utf8).sum();
            assert!(2 * lower <= 3 * c.len_utf8(), "{c:?}");
        }
        for c in ['İ', 'Ⱥ', 'K', '가', 'A'] {
            let t: String = std::iter::repeat_n(c, 64 / c.len_utf8()).collect();
            assert!(!is_placeholder_text(&t), "{t}");
        }
        for t in [" (생략) ", "TODO", "...", "- 추후 작성", "**TBD**"] {
            assert!(is_placeholder_text(t), "{t}");
        }
        assert!(!is_placeholder_text("생략하지 않은 설명"));
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
    fn plan_section_items_are_not_questions() {
        let e = ex(&format!("##계획\n- 1일차\n  - 이론 : x\n\n{QA}"));
        assert_eq!(e.cards.len(), 3);
        assert_eq!(e.warnings.len(), 1);
    }

    #[test]
    fn dedent_keeps_relative_nesting() {
        let dedent = |src: &str, cols: usize| {
            let mut out = String::new();
            dedent_into(src, cols, &mut out);
            out
        };
        assert_eq!(dedent("  - a\n    - b", 2), "- a\n  - b");
        assert_eq!(dedent("\t- a", 4), "- a");
    }

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
    fn cloze_blanks_one_highlight_at_a_time() {
        let e = ex("# T\n\n- ==a== 와 ==b== 는 다르다\n");
        let clozes: Vec<_> = e
            .cards
            .iter()
            .filter(|c| c.kind == CardKind::Cloze)
            .collect();
        assert_eq!(clozes.len(), 2);
        assert_eq!(clozes[0].question, "[...] 와 b 는 다르다");
        assert_eq!(clozes[0].answer, "a");
    }

    #[test]
    fn chapter_structure_is_read() {
        assert_eq!(
            chapter_heading("2장) 도커 엔진"),
            Some((2, "도커 엔진".into()))
        );
        assert_eq!(numbered_heading("4.3.1 도커 컴포즈"), Some(4));
        assert_eq!(numbered_heading("4장"), None);
        assert_eq!(progress_chapter("📖 진도: 2.2, 2.3 / 21~109p"), Some(2));
        assert_eq!(progress_chapter("📖 진도: 1장 + 2.1 / 1~20p"), Some(1));
    }
}
