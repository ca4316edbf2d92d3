//! One module per way of writing a question, each "detect + extract": it
//! says whether some blocks of a note are written its way, and turns them
//! into cards. [`crate::notes::shape`] decides which shape reads which part
//! of a note.

pub mod cloze;
pub mod details;
pub mod heading_q;
pub mod numbered;
pub mod osr;
pub mod qa_lines;
pub mod qa_log;
pub mod study;
pub mod table;

use crate::deck::CardKind;

/// A card before its deck, id and chapter are settled.
#[derive(Debug, Clone, PartialEq)]
pub struct RawCard {
    /// How it was made.
    pub kind: CardKind,
    /// Prompt (Markdown).
    pub question: String,
    /// Answer (Markdown, dedented).
    pub answer: String,
    /// Plain text of the answer without code (what the chapter classifier
    /// reads for a course card).
    pub answer_text: String,
    /// Heading path.
    pub section: Vec<String>,
    /// 1-based line of the question.
    pub line: usize,
    /// Chapter number given by the note's own structure (`N장)`, `4.3.1`,
    /// `📖 진도`).
    pub chapter_hint: Option<u32>,
    /// Obsidian `#tags` taken out of the question.
    pub tags: Vec<String>,
    /// Made from a statement bullet with a nested explanation: a weaker
    /// card, left out where its section makes a card of its own.
    pub from_statement: bool,
}

impl RawCard {
    /// A card of `kind` at `line` under `section`, nothing else known yet.
    pub fn new(
        kind: CardKind,
        question: String,
        answer: String,
        section: &[String],
        line: usize,
    ) -> RawCard {
        RawCard {
            kind,
            question,
            answer,
            answer_text: String::new(),
            section: section.to_vec(),
            line,
            chapter_hint: None,
            tags: Vec::new(),
            from_statement: false,
        }
    }
}

/// A question with no answer (empty, `...`, `TODO`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Unanswered {
    /// 1-based line.
    pub line: usize,
    /// The question text.
    pub question: String,
}

/// Something that made no card, and why.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// 1-based line.
    pub line: usize,
    /// Why no card was made.
    pub reason: String,
    /// The start of the text.
    pub text: String,
}

/// A remark on the note's form (the note is still converted).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Warning {
    /// 1-based line.
    pub line: usize,
    /// What was noticed.
    pub message: String,
}

/// What the shapes found in one note.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Cards in note order.
    pub cards: Vec<RawCard>,
    /// Questions without an answer.
    pub unanswered: Vec<Unanswered>,
    /// What made no card.
    pub skipped: Vec<Skipped>,
    /// Remarks.
    pub warnings: Vec<Warning>,
}

impl Found {
    /// Report a question without an answer.
    pub fn unanswered(&mut self, line: usize, question: &str) {
        self.unanswered.push(Unanswered {
            line,
            question: question.trim().to_string(),
        });
    }

    /// Report something that made no card.
    pub fn skip(&mut self, line: usize, reason: &'static str, text: &str) {
        self.skipped.push(Skipped {
            line,
            reason: reason.to_string(),
            text: super::text::excerpt(text),
        });
    }
}
