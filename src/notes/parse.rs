//! Markdown → a block tree with source positions.
//!
//! An explicit state machine over pulldown-cmark's offset events: every
//! block-level start pushes a [`Block`] on a stack, its end pops it into its
//! parent. Inline content directly under a list item (tight lists have no
//! paragraph tags) is wrapped in a synthetic paragraph, so every item's
//! first child is the text of its bullet. Positions are byte ranges into the
//! normalised text (CRLF → LF, BOM removed), lines are 1-based.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of lists, items and quotes accepted in a note.
pub const MAX_DEPTH: usize = 64;

/// What a block is.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// `#`…`######` heading (or a `##Title` line read as one) with its plain text.
    Heading {
        /// 1–6.
        level: u8,
        /// Plain text, inline marks removed.
        text: String,
    },
    /// A bullet or numbered list.
    List {
        /// Numbered list.
        ordered: bool,
    },
    /// A list item.
    Item {
        /// Visual column of the bullet marker (tabs count to the next multiple of 4).
        marker_col: usize,
    },
    /// A paragraph (or the inline text of a tight item), with its plain text.
    Paragraph {
        /// Plain text: inline marks removed, line breaks as `\n`.
        text: String,
    },
    /// A fenced or indented code block.
    Code {
        /// Info string's first word (`bash`, `mermaid`, …), may be empty.
        lang: String,
    },
    /// `>` quote.
    Quote,
    /// Raw HTML block.
    Html,
    /// GFM table.
    Table,
    /// `---` thematic break.
    Rule,
    /// Anything else (footnote definitions, metadata, …).
    Other,
}

/// A block with its children and position.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range in [`ParsedNote::text`].
    pub range: Range<usize>,
    /// 1-based line where it starts.
    pub line: usize,
    /// Nested blocks in order.
    pub children: Vec<Block>,
}

impl Block {
    fn new(kind: BlockKind, range: Range<usize>, line: usize) -> Self {
        Block {
            kind,
            range,
            line,
            children: Vec::new(),
        }
    }

    /// Plain text of a paragraph or heading; empty for other blocks.
    pub fn text(&self) -> &str {
        match &self.kind {
            BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } => text,
            _ => "",
        }
    }

    /// Plain text of this block and all nested paragraphs/headings/code, joined by newlines.
    pub fn plain_text(&self, note: &ParsedNote) -> String {
        self.collect_text(note, true)
    }

    /// Like [`Block::plain_text`] without code, HTML and tables: the writer's own words.
    pub fn prose_text(&self, note: &ParsedNote) -> String {
        self.collect_text(note, false)
    }

    fn collect_text(&self, note: &ParsedNote, with_code: bool) -> String {
        let mut out = String::new();
        let mut stack = vec![self];
        while let Some(b) = stack.pop() {
            match &b.kind {
                BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } => {
                    out.push_str(text);
                    out.push('\n');
                }
                BlockKind::Code { .. } | BlockKind::Html | BlockKind::Table if with_code => {
                    out.push_str(&note.text[b.range.clone()]);
                    out.push('\n');
                }
                _ => {}
            }
            stack.extend(b.children.iter().rev());
        }
        out
    }
}

/// A parsed note: the normalised text, its line index and its top-level blocks.
#[derive(Debug, Clone)]
pub struct ParsedNote<'a> {
    /// The note's text with CRLF/CR folded to LF and a leading BOM removed.
    pub text: Cow<'a, str>,
    /// Top-level blocks in order.
    pub blocks: Vec<Block>,
    line_starts: Vec<usize>,
}

/// Nesting passed [`MAX_DEPTH`] at this 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line.
    pub line: usize,
}

/// Fold line endings and drop a BOM so offsets and lines agree everywhere.
pub fn normalise(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

impl ParsedNote<'_> {
    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts[self.line_of(offset) - 1]
    }

    /// Visual column of `offset` in its line (tabs advance to the next multiple of 4).
    pub fn column(&self, offset: usize) -> usize {
        visual_width(&self.text[self.line_start(offset)..offset])
    }

    /// The source of a block from the start of its first line, trailing blank lines removed.
    pub fn source_lines(&self, range: Range<usize>) -> &str {
        let start = self.line_start(range.start.min(self.text.len()));
        self.text[start..range.end.max(start)].trim_end()
    }
}

fn visual_width(s: &str) -> usize {
    let mut col = 0;
    for c in s.chars() {
        if c == '\t' {
            col = (col / 4 + 1) * 4;
        } else {
            col += 1;
        }
    }
    col
}

/// The Markdown dialect of the notes: GitHub/Obsidian flavour.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Parse already-normalised text (see [`normalise`]) into a block tree.
pub fn parse(text: Cow<'_, str>) -> Result<ParsedNote<'_>, TooDeep> {
    let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
    line_starts.push(0);
    line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    let mut note = ParsedNote {
        text,
        blocks: Vec::new(),
        line_starts,
    };
    let mut root: Vec<Block> = Vec::new();
    // Open blocks; the last is the innermost.
    let mut stack: Vec<Block> = Vec::new();
    let text_ref: &str = &note.text;
    let mut events = Parser::new_ext(text_ref, options()).into_offset_iter();
    let mut pending_err = None;

    let close = |stack: &mut Vec<Block>, root: &mut Vec<Block>| {
        if let Some(b) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.children.push(b),
                None => root.push(b),
            }
        }
    };
    // Close a synthetic paragraph opened for a tight item's inline text.
    let close_synthetic = |stack: &mut Vec<Block>, root: &mut Vec<Block>| {
        let synthetic = matches!(
            stack.last(),
            Some(Block {
                kind: BlockKind::Paragraph { .. },
                ..
            })
        ) && stack.len() >= 2
            && matches!(stack[stack.len() - 2].kind, BlockKind::Item { .. });
        if synthetic {
            close(stack, root);
        }
    };

    for (event, range) in events.by_ref() {
        let line = note_line(&note.line_starts, range.start);
        match event {
            Event::Start(tag) => {
                // Nested lists and items may start at the newline before their marker.
                let (range, line) = if matches!(tag, Tag::List(_) | Tag::Item) {
                    let mut start = range.start;
                    let bytes = text_ref.as_bytes();
                    while start < range.end && matches!(bytes[start], b'\n' | b' ' | b'\t') {
                        start += 1;
                    }
                    (start..range.end, note_line(&note.line_starts, start))
                } else {
                    (range, line)
                };
                let kind = match tag {
                    Tag::Paragraph => Some(BlockKind::Paragraph {
                        text: String::new(),
                    }),
                    Tag::Heading { level, .. } => Some(BlockKind::Heading {
                        level: level as u8,
                        text: String::new(),
                    }),
                    Tag::BlockQuote(_) => Some(BlockKind::Quote),
                    Tag::CodeBlock(kind) => Some(BlockKind::Code {
                        lang: match kind {
                            CodeBlockKind::Fenced(info) => {
                                info.split_whitespace().next().unwrap_or("").to_string()
                            }
                            CodeBlockKind::Indented => String::new(),
                        },
                    }),
                    Tag::HtmlBlock => Some(BlockKind::Html),
                    Tag::List(first) => Some(BlockKind::List {
                        ordered: first.is_some(),
                    }),
                    Tag::Item => {
                        let start = skip_ws(text_ref, range.start);
                        Some(BlockKind::Item {
                            marker_col: visual_width(
                                &text_ref[note_line_start(&note.line_starts, start)..start],
                            ),
                        })
                    }
                    Tag::Table(_) => Some(BlockKind::Table),
                    Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_) | Tag::DefinitionList => {
                        Some(BlockKind::Other)
                    }
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        close_synthetic(&mut stack, &mut root);
                        stack.push(Block::new(kind, range, line));
                        if stack.len() > MAX_DEPTH {
                            pending_err = Some(TooDeep { line });
                            break;
                        }
                    }
                    None => open_inline(&mut stack, range, line),
                }
            }
            Event::End(end) => match end {
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
                | TagEnd::MetadataBlock(_)
                | TagEnd::DefinitionList => {
                    if matches!(end, TagEnd::Item) {
                        close_synthetic(&mut stack, &mut root);
                    }
                    if let Some(b) = stack.last_mut() {
                        b.range.end = b.range.end.max(range.end);
                    }
                    close(&mut stack, &mut root);
                }
                _ => {
                    if let Some(b) = stack.last_mut() {
                        b.range.end = b.range.end.max(range.end);
                    }
                }
            },
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                open_inline(&mut stack, range.clone(), line);
                push_text(&mut stack, &t, range.end);
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let in_html_block = matches!(stack.last(), Some(b) if b.kind == BlockKind::Html);
                if in_html_block {
                    if let Some(b) = stack.last_mut() {
                        b.range.end = b.range.end.max(range.end);
                    }
                } else {
                    open_inline(&mut stack, range.clone(), line);
                    let is_break = h.trim_start().to_ascii_lowercase().starts_with("<br");
                    push_text(&mut stack, if is_break { "\n" } else { "" }, range.end);
                }
            }
            Event::SoftBreak | Event::HardBreak => push_text(&mut stack, "\n", range.end),
            Event::Rule => {
                close_synthetic(&mut stack, &mut root);
                let b = Block::new(BlockKind::Rule, range, line);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(b),
                    None => root.push(b),
                }
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) => {}
        }
    }
    drop(events);
    if let Some(err) = pending_err {
        return Err(err);
    }
    while !stack.is_empty() {
        close(&mut stack, &mut root);
    }
    note.blocks = root;
    Ok(note)
}

fn note_line(line_starts: &[usize], offset: usize) -> usize {
    match line_starts.binary_search(&offset) {
        Ok(i) => i + 1,
        Err(i) => i,
    }
}

fn note_line_start(line_starts: &[usize], offset: usize) -> usize {
    line_starts[note_line(line_starts, offset) - 1]
}

fn skip_ws(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    while offset < bytes.len() && (bytes[offset] == b' ' || bytes[offset] == b'\t') {
        offset += 1;
    }
    offset
}

/// Inline content directly under an item (tight list): open a synthetic paragraph.
fn open_inline(stack: &mut Vec<Block>, range: Range<usize>, line: usize) {
    if let Some(Block {
        kind: BlockKind::Item { .. },
        ..
    }) = stack.last()
    {
        stack.push(Block::new(
            BlockKind::Paragraph {
                text: String::new(),
            },
            range,
            line,
        ));
    }
}

fn push_text(stack: &mut [Block], t: &str, end: usize) {
    if let Some(b) = stack.last_mut() {
        if let BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } = &mut b.kind {
            text.push_str(t);
        }
        b.range.end = b.range.end.max(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ParsedNote<'_> {
        parse(normalise(s)).unwrap()
    }

    #[test]
    fn tight_item_text_becomes_first_paragraph() {
        let n = p("- question?\n  - answer\n");
        let item = &n.blocks[0].children[0];
        assert_eq!(item.children[0].text(), "question?");
        assert!(matches!(item.children[1].kind, BlockKind::List { .. }));
    }

    #[test]
    fn code_fence_content_is_not_structure() {
        let n = p("```\n- not an item\n# not a heading\n```\n");
        assert_eq!(n.blocks.len(), 1);
        assert!(matches!(n.blocks[0].kind, BlockKind::Code { .. }));
    }

    #[test]
    fn crlf_and_lines_agree() {
        let n = p("# A\r\n\r\n- q\r\n  - a\r\n");
        assert_eq!(n.blocks[1].line, 3);
        assert_eq!(n.blocks[0].text(), "A");
    }

    #[test]
    fn marker_column_counts_tabs() {
        let n = p("   - x\n");
        let item = &n.blocks[0].children[0];
        assert_eq!(item.kind, BlockKind::Item { marker_col: 3 });
    }

    #[test]
    fn deep_nesting_is_an_error_with_line() {
        let mut s = String::new();
        for i in 0..200 {
            s.push_str(&" ".repeat(i * 2));
            s.push_str("- x\n");
        }
        let err = parse(normalise(&s)).unwrap_err();
        assert!(err.line > 1 && err.line < 200);
    }

    #[test]
    fn heading_text_keeps_link_words() {
        let n = p("## See [Docker](https://x.y) notes\n");
        assert_eq!(n.blocks[0].text(), "See Docker notes");
    }
}
