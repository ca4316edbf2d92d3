//! A note's own structure: its sections (a heading and the blocks up to the
//! next heading), heading paths, and the chapter numbering a book's notes
//! carry (`2장) 도커 엔진`, `4.3.1 …`, `📖 진도: 2.2, 2.3`), from which
//! notes that are not course logs take their chapters.

use super::parse::{Block, BlockKind, ParsedNote};
use super::text::is_emoji;

/// A heading and the blocks under it, up to the next heading of any level.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The heading (none for the blocks before the first one).
    pub heading: Option<&'a Block>,
    /// Titles of the headings above and including this one: (level, title).
    pub path: Vec<(u8, String)>,
    /// The blocks under it.
    pub body: &'a [Block],
    /// Index of the heading among the note's top-level blocks.
    pub index: usize,
}

impl Section<'_> {
    /// The heading's level (0 for the part before any heading).
    pub fn level(&self) -> u8 {
        self.heading.and_then(Block::heading_level).unwrap_or(0)
    }

    /// The heading's text (empty for the part before any heading).
    pub fn title(&self) -> &str {
        self.heading.map_or("", |h| h.text.trim())
    }

    /// The titles of the heading path.
    pub fn titles(&self) -> Vec<String> {
        self.path.iter().map(|(_, t)| t.clone()).collect()
    }
}

/// The note's top-level blocks split into sections.
pub fn sections(note: &ParsedNote) -> Vec<Section<'_>> {
    let blocks = &note.blocks;
    let mut out = Vec::new();
    let mut path: Vec<(u8, String)> = Vec::new();
    let mut open = Section {
        heading: None,
        path: Vec::new(),
        body: &[],
        index: 0,
    };
    let mut start = 0;
    for (k, b) in blocks.iter().enumerate() {
        if let BlockKind::Heading { level } = b.kind {
            open.body = &blocks[start..k];
            while path.last().is_some_and(|(l, _)| *l >= level) {
                path.pop();
            }
            path.push((level, b.text.trim().to_string()));
            let next = Section {
                heading: Some(b),
                path: path.clone(),
                body: &[],
                index: k,
            };
            out.push(std::mem::replace(&mut open, next));
            start = k + 1;
        }
    }
    open.body = &blocks[start..];
    out.push(open);
    out
}

/// Leading ASCII digits of `t`.
fn leading_digits(t: &str) -> &str {
    &t[..t.bytes().take_while(u8::is_ascii_digit).count()]
}

/// `N장) title` → (N, title).
pub fn chapter_heading(text: &str) -> Option<(u32, String)> {
    let t = text.trim();
    let digits = leading_digits(t);
    if digits.is_empty() {
        return None;
    }
    let rest = t[digits.len()..].trim_start().strip_prefix('장')?;
    let title = rest.trim_start_matches([')', '.', ':', ' ', ']']).trim();
    Some((digits.parse().ok()?, title.to_string()))
}

/// `4.3.1 title` → 4 (a numbered heading of the book).
pub fn numbered_heading(text: &str) -> Option<u32> {
    let t = text.trim();
    let digits = leading_digits(t);
    let rest = &t[digits.len()..];
    let numbered = !digits.is_empty()
        && rest.starts_with('.')
        && rest[1..].starts_with(|c: char| c.is_ascii_digit());
    numbered.then(|| digits.parse().ok()).flatten()
}

/// Chapter named by a `📖 진도: 2.2, 2.3 / 21~109p` line: the first `N장`
/// or `N.M` after `진도`.
pub fn progress_chapter(text: &str) -> Option<u32> {
    let (_, rest) = text.split_once("진도")?;
    let mut rest = rest;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let digits = leading_digits(&rest[start..]);
        let after = &rest[start + digits.len()..];
        if after.starts_with('장')
            || (after.starts_with('.') && numbered_heading(&rest[start..]).is_some())
        {
            return digits.parse().ok();
        }
        rest = after;
    }
    None
}

/// A heading as a question: book numbering (`4.3.1`, `2장)`) and emoji left out.
pub fn clean_heading(text: &str) -> String {
    let t = text.trim();
    if let Some((_, title)) = chapter_heading(t)
        && !title.is_empty()
    {
        return title;
    }
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let kept: String = t.chars().filter(|c| !is_emoji(*c)).collect();
    kept.trim().to_string()
}

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

/// Is this a heading of a study-log template (`핵심 개념`, `배운 내용`)?
pub fn is_template_heading(title: &str) -> bool {
    super::text::in_list(TEMPLATE_HEADINGS, title)
}

/// The topic a heading names, for telling cards apart: none for a template
/// heading or a bare date; the part after ` - ` of a dated one (`Day 3
/// (7/30) - 도커 엔진` → `도커 엔진`); else the heading without numbering.
pub fn topic(title: &str) -> Option<String> {
    if is_template_heading(title) {
        return None;
    }
    let topic = if is_date_heading(title) {
        title.split_once(" - ")?.1.to_string()
    } else {
        clean_heading(title)
    };
    let topic = super::text::plain_text(&topic);
    (!topic.is_empty()).then_some(topic)
}

/// A study-log date heading (`Day 3 (7/30) - …`, `Week 1`, `7/28 …`) is not a topic.
pub fn is_date_heading(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let first = t.split_whitespace().next().unwrap_or("");
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    starts("day ")
        || starts("week")
        || (first.contains('/') && first.chars().all(|c| c.is_ascii_digit() || c == '/'))
}

/// The chapter number a section's own structure gives: the innermost `N장)`
/// or `4.3.1` heading of its path, else the progress chapter in force.
pub fn chapter_hint(path: &[(u8, String)], progress: Option<u32>) -> Option<u32> {
    let mut hint = progress;
    for (_, t) in path {
        if let Some((n, _)) = chapter_heading(t) {
            hint = Some(n);
        } else if let Some(n) = numbered_heading(t) {
            hint = Some(n);
        }
    }
    hint
}

/// The note's title: its first level-1 heading, when it has exactly one.
pub fn title(note: &ParsedNote) -> Option<String> {
    let mut h1 = note
        .blocks
        .iter()
        .filter(|b| b.heading_level() == Some(1))
        .map(|b| super::text::clean_question(&clean_heading(&b.text)).0);
    match (h1.next(), h1.next()) {
        (Some(t), None) if !t.is_empty() => Some(t),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(progress_chapter("진도 없음"), None);
    }

    #[test]
    fn headings_lose_numbering_and_emoji() {
        assert_eq!(clean_heading("4.3.1 도커 컴포즈"), "도커 컴포즈");
        assert_eq!(clean_heading("2장) 도커 엔진"), "도커 엔진");
        assert_eq!(clean_heading("📌 핵심 개념"), "핵심 개념");
        assert!(is_date_heading("Day 3 (7/30) - 볼륨"));
        assert!(is_date_heading("### 7/28 월"));
        assert!(!is_date_heading("도커 볼륨"));
    }
}
