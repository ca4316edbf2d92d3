//! Which shapes a note holds, by its content, and which shape reads which
//! part of it.
//!
//! A note whose bullets are mostly questions with nested answers is a
//! **Q&A log** ([`shapes::qa_log`](super::shapes::qa_log)) and is read as one. Any other note is
//! read section by section (a heading and the blocks up to the next one):
//!
//! 1. a heading that asks ([`shapes::heading_q`](super::shapes::heading_q)) takes everything up to
//!    the next heading of its level as its answer;
//! 2. otherwise the section's blocks go, in this order, to `<details>`
//!    ([`shapes::details`](super::shapes::details)), `Q:`/`A:` lines ([`shapes::qa_lines`](super::shapes::qa_lines)),
//!    numbered questions ([`shapes::numbered`](super::shapes::numbered)), the spaced-repetition
//!    plugin's `::` and `?` cards ([`shapes::osr`](super::shapes::osr)) and glossary tables
//!    ([`shapes::table`](super::shapes::table)); each takes the blocks it reads;
//! 3. the blocks left are study notes ([`shapes::study`](super::shapes::study): definitions,
//!    labels with explanations, an explained heading) and highlights
//!    ([`shapes::cloze`](super::shapes::cloze)).
//!
//! Last, anything that is not a question — an id (`DOCKER-003`), a bare
//! number, a list of links, a table of contents — is dropped and reported.

use super::outline::{self, Section, chapter_heading, progress_chapter};
use super::parse::{Block, BlockKind, ParsedNote};
use super::shapes::{
    Found, RawCard, Warning, cloze, details, heading_q, numbered, osr, qa_lines, qa_log, study,
    table,
};
use super::text::{clean_answer, clean_question, excerpt, plain_text};
use crate::deck::CardKind;

/// How a note is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NoteShape {
    /// Questions with nested answers (a bullet Q&A log).
    QaLog,
    /// Any other note: read section by section.
    Notes,
}

/// Everything one note gave.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// How the note was read.
    pub shape: NoteShape,
    /// Cards, questions without answers, skipped items, remarks.
    pub found: Found,
    /// `N장) title` headings found (chapter number, title).
    pub chapter_titles: Vec<(u32, String)>,
    /// The note's title (its one level-1 heading), if it has one.
    pub title: Option<String>,
}

/// `##Title` written without a space is meant as a heading (`#tag` is a
/// tag): its level and title.
fn pseudo_heading(b: &Block, note: &ParsedNote) -> Option<(u8, String)> {
    if b.kind != BlockKind::Paragraph {
        return None;
    }
    let src = note.source(b).trim();
    if src.contains('\n') {
        return None;
    }
    let hashes = src.bytes().take_while(|&c| c == b'#').count();
    let rest = &src[hashes..];
    if !(2..=6).contains(&hashes) || rest.is_empty() || rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((
        hashes as u8,
        b.text.trim_start_matches('#').trim().to_string(),
    ))
}

/// Turn top-level `##Title` paragraphs into headings (with a warning).
fn fix_headings(note: &mut ParsedNote, warnings: &mut Vec<Warning>) {
    for i in 0..note.blocks.len() {
        if let Some((level, title)) = pseudo_heading(&note.blocks[i], note) {
            let line = note.line(&note.blocks[i]);
            let b = &mut note.blocks[i];
            b.kind = BlockKind::Heading { level };
            b.text = title;
            warnings.push(Warning {
                line,
                message: format!(
                    "heading without a space after '#' read as a heading: {}",
                    excerpt(&b.text)
                ),
            });
        }
    }
}

/// Why a question is not one, if it is not.
fn not_a_question(question: &str) -> Option<&'static str> {
    let plain = plain_text(question);
    let t = plain.trim();
    if t.is_empty() {
        return Some("empty question");
    }
    if t.chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace())
    {
        return Some("a number, not a question");
    }
    // An id such as `DOCKER-003`, `Q-12`, `ISSUE_7`.
    let id_like = t.split(['-', '_']).count() >= 2
        && !t.contains(' ')
        && t.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && t.chars().any(|c| c.is_ascii_digit());
    if id_like {
        return Some("an id, not a question");
    }
    let lower = t.to_lowercase();
    if [
        "목차",
        "table of contents",
        "contents",
        "toc",
        "[toc]",
        "back to top",
        "맨 위로",
    ]
    .contains(&lower.as_str())
    {
        return Some("a table of contents");
    }
    // Nothing but links: navigation (`← 이전 | 다음 →`, a list of links).
    let src = question.trim();
    if src.contains("](") {
        let mut rest = src.to_string();
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find("](").map(|c| open + c) else {
                break;
            };
            let Some(end) = rest[close..].find(')').map(|e| close + e) else {
                break;
            };
            rest.replace_range(open..=end, "");
        }
        if rest.chars().all(|c| !c.is_alphanumeric()) {
            return Some("links only (navigation)");
        }
    }
    None
}

/// The end (byte offset) of the answer of a heading question at top-level
/// block `index` of `level`: the next heading of the same or a higher level.
fn heading_answer_end(note: &ParsedNote, index: usize, level: u8) -> usize {
    note.blocks[index + 1..]
        .iter()
        .find(|b| b.heading_level().is_some_and(|l| l <= level))
        .map_or(note.text.len(), |b| note.line_start(b.range.start))
}

/// The cards of one section of a note that is not a Q&A log.
fn section_cards(note: &ParsedNote, s: &Section, found: &mut Found) -> Vec<RawCard> {
    let mut taken = vec![false; s.body.len()];
    let mut cards = Vec::new();
    details::read(note, s, &mut taken, &mut cards, found);
    qa_lines::read(note, s, &mut taken, &mut cards, found);
    numbered::read(note, s, &mut taken, &mut cards, found);
    osr::read(note, s, &mut taken, &mut cards, found);
    table::read(note, s, &mut taken, &mut cards, found);
    let rest: Vec<&Block> = s
        .body
        .iter()
        .zip(&taken)
        .filter(|(b, t)| !**t && !details::is_details(note, b))
        .map(|(b, _)| b)
        .collect();
    let study = study::section_cards(note, s, &rest, cards.len(), found);
    cards.extend(study);
    let section = s.titles();
    for b in &rest {
        cloze::clozes(note, b, &section, &mut cards);
    }
    cards.sort_by_key(|c| c.line);
    cards
}

/// Read a note that is not a Q&A log, section by section.
fn read_sections(note: &ParsedNote, found: &mut Found, chapter_titles: &mut Vec<(u32, String)>) {
    // Progress chapters (`📖 진도`) by heading level, reset by a heading at or above it.
    let mut progress: Vec<(u8, u32)> = Vec::new();
    // After a heading question: its sub-sections are part of its answer.
    let mut inside: Option<u8> = None;
    for s in outline::sections(note) {
        let level = s.level();
        if let Some(l) = inside {
            if s.heading.is_some() && level > l {
                continue;
            }
            inside = None;
        }
        if let Some((n, title)) = chapter_heading(s.title()) {
            chapter_titles.push((n, title));
        }
        progress.retain(|(l, _)| *l < level);
        for b in s.body {
            if let Some(n) = progress_chapter(&b.text) {
                progress.push((level, n));
            }
        }
        let hint = outline::chapter_hint(&s.path, progress.last().map(|(_, n)| *n));
        let mut cards = if s.heading.is_some() && heading_q::asks(s.title()) {
            inside = Some(level);
            let end = heading_answer_end(note, s.index, level);
            heading_q::read(note, &s, end, found).into_iter().collect()
        } else {
            section_cards(note, &s, found)
        };
        for c in &mut cards {
            c.chapter_hint = hint;
        }
        found.cards.extend(cards);
    }
}

/// `- Why …? → …` inside an answer: its own card, asked with the card's
/// question as context (`Pods: Why not docker container?`).
fn why_pairs(card: &RawCard) -> Vec<RawCard> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let parent = plain_text(&card.question);
    for line in card.answer.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) else {
            continue;
        };
        if in_fence {
            continue;
        }
        let arrow = ["&rarr;", "→", "->", "=>"]
            .iter()
            .filter_map(|a| item.find(a).map(|at| (at, a.len())))
            .min();
        let Some((at, len)) = arrow else { continue };
        let (q, a) = (item[..at].trim(), item[at + len..].trim());
        if !q.ends_with(['?', '？']) || a.is_empty() {
            continue;
        }
        let (q, tags) = clean_question(q);
        let mut c = RawCard::new(
            CardKind::Qa,
            format!("{parent}: {q}"),
            clean_answer(a),
            &card.section,
            card.line,
        );
        c.chapter_hint = card.chapter_hint;
        c.tags = tags;
        out.push(c);
    }
    out
}

/// The cards of a note that is not a Q&A log, tidied: Obsidian markup shown
/// as what it means (questions without `#tags`, which become the card's
/// tags), and `Why …? → …` pairs in answers made cards of their own.
fn tidy(cards: Vec<RawCard>) -> Vec<RawCard> {
    let mut out = Vec::with_capacity(cards.len());
    for mut c in cards {
        let (q, tags) = clean_question(&c.question);
        c.question = q;
        c.tags.extend(tags);
        c.answer = clean_answer(&c.answer);
        let pairs = why_pairs(&c);
        out.push(c);
        out.extend(pairs);
    }
    out
}

/// Read a parsed note in the shapes its content shows.
pub fn extract(mut note: ParsedNote) -> Extracted {
    let mut found = Found::default();
    fix_headings(&mut note, &mut found.warnings);
    let mut chapter_titles = Vec::new();
    let shape = if qa_log::is_log(&note) {
        qa_log::extract(&note, &mut found);
        NoteShape::QaLog
    } else {
        read_sections(&note, &mut found, &mut chapter_titles);
        found.cards = tidy(std::mem::take(&mut found.cards));
        NoteShape::Notes
    };
    let cards = std::mem::take(&mut found.cards);
    for c in cards {
        if let Some(reason) = not_a_question(&c.question) {
            found.skip(c.line, reason, &c.question);
        } else if c.answer.trim().is_empty() {
            found.unanswered(c.line, &c.question);
        } else {
            found.cards.push(c);
        }
    }
    Extracted {
        shape,
        title: outline::title(&note),
        found,
        chapter_titles,
    }
}

/// Parse and extract one note's text; `Err` is the message of a note that
/// cannot be read (too deep), naming `name` and the line.
pub fn extract_text(name: &str, text: &str) -> Result<Extracted, String> {
    let note = super::parse::parse(text).map_err(|e| {
        format!(
            "{name}:{}: nesting deeper than {} levels",
            e.line,
            super::parse::MAX_DEPTH
        )
    })?;
    Ok(extract(note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_numbers_links_and_contents_are_not_questions() {
        for q in [
            "DOCKER-003",
            "12",
            "3.",
            "[이전](a.md) | [다음](b.md)",
            "목차",
            "",
        ] {
            assert!(not_a_question(q).is_some(), "{q}");
        }
        for q in [
            "Pod",
            "[Killercoda](https://x) 에서 포트접속 방법은?",
            "K8S-101 강의의 범위는?",
        ] {
            assert!(not_a_question(q).is_none(), "{q}");
        }
    }
}
