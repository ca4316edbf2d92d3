//! Markdown → a block tree with source positions.
//!
//! An explicit state machine over pulldown-cmark's offset events: every
//! block-level start opens a [`Block`] on a stack, its end closes it and
//! hands it to its parent. Inline content directly under a list item (tight
//! lists have no paragraph tags) is wrapped in a synthetic paragraph, so
//! every item's first child is the text of its bullet. Positions are byte
//! ranges into the normalised text (CRLF → LF, BOM removed); lines are
//! 1-based.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Deepest nesting of lists, items and quotes accepted in a note.
pub const MAX_DEPTH: usize = 64;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `#`…`######` heading (or a `##Title` line read as one).
    Heading {
        /// 1–6.
        level: u8,
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
    /// A paragraph (or the inline text of a tight item).
    Paragraph,
    /// A fenced or indented code block.
    Code,
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

/// A block with its position, plain text and nested blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range in [`ParsedNote::text`].
    pub range: Range<usize>,
    /// Plain text of a paragraph or heading (inline marks removed, line
    /// breaks as `\n`); empty for other blocks.
    pub text: String,
    /// Nested blocks, in order.
    pub children: Vec<Block>,
}

impl Block {
    fn new(kind: BlockKind, range: Range<usize>) -> Self {
        Block {
            kind,
            range,
            text: String::new(),
            children: Vec::new(),
        }
    }

    /// Is this a paragraph or heading (a block with plain text)?
    pub fn has_text(&self) -> bool {
        matches!(self.kind, BlockKind::Paragraph | BlockKind::Heading { .. })
    }

    /// Heading level, for a heading.
    pub fn heading_level(&self) -> Option<u8> {
        match self.kind {
            BlockKind::Heading { level } => Some(level),
            _ => None,
        }
    }

    /// Marker column, for a list item.
    pub fn marker_col(&self) -> usize {
        match self.kind {
            BlockKind::Item { marker_col } => marker_col,
            _ => 0,
        }
    }
}

/// A parsed note: the normalised text and its block tree.
#[derive(Debug, Clone)]
pub struct ParsedNote {
    /// The note's text with CRLF/CR folded to LF and a leading BOM removed.
    pub text: String,
    /// Top-level blocks, in order.
    pub blocks: Vec<Block>,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

/// Nesting passed [`MAX_DEPTH`] at this 1-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// 1-based line.
    pub line: usize,
}

/// Fold line endings and drop a BOM so offsets and lines agree everywhere.
pub fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Visual width of `s` (tabs advance to the next multiple of 4).
pub fn visual_width(s: &str) -> usize {
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

impl ParsedNote {
    /// The Markdown source of `b`.
    pub fn source(&self, b: &Block) -> &str {
        &self.text[b.range.clone()]
    }

    /// Append the plain text of `b` and everything nested in it to `out`, a
    /// line per paragraph or heading; code, HTML and tables as written only
    /// `with_code` (without them: the writer's own words).
    pub fn collect_text(&self, b: &Block, with_code: bool, out: &mut String) {
        match b.kind {
            BlockKind::Paragraph | BlockKind::Heading { .. } => {
                out.push_str(&b.text);
                out.push('\n');
            }
            BlockKind::Code | BlockKind::Html | BlockKind::Table if with_code => {
                out.push_str(self.source(b));
                out.push('\n');
            }
            _ => {}
        }
        for c in &b.children {
            self.collect_text(c, with_code, out);
        }
    }

    /// [`ParsedNote::collect_text`] of several blocks, as a new string.
    pub fn text_of_blocks<'b>(
        &self,
        blocks: impl IntoIterator<Item = &'b Block>,
        with_code: bool,
    ) -> String {
        let mut out = String::new();
        for b in blocks {
            self.collect_text(b, with_code, &mut out);
        }
        out
    }

    /// 1-based line where `b` starts.
    pub fn line(&self, b: &Block) -> usize {
        self.line_at(b.range.start)
    }

    /// 1-based line of `offset` in the text.
    pub fn line_at(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.line_starts[self.line_at(offset).max(1) - 1]
    }

    /// Byte offset just after the line holding `offset` (past its newline).
    pub fn line_end(&self, offset: usize) -> usize {
        self.line_starts
            .get(self.line_at(offset))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// Visual column of `offset` in its line.
    pub fn column(&self, offset: usize) -> usize {
        visual_width(&self.text[self.line_start(offset)..offset])
    }

    /// Visual column of the first non-blank character from `offset` on.
    pub fn indent_at(&self, offset: usize) -> usize {
        let rest = &self.text[offset..];
        let blank = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        self.column(offset + blank)
    }
}

/// The Markdown dialect of the notes: GitHub/Obsidian flavour, with YAML
/// front matter (`---` … `---` at the top) read as metadata.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Builds the tree: open blocks on a stack; a closed block goes to its
/// parent's children (or the top level).
struct Builder {
    stack: Vec<Block>,
    top: Vec<Block>,
}

impl Builder {
    fn close(&mut self) {
        if let Some(b) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(b),
                None => self.top.push(b),
            }
        }
    }

    fn top_kind(&self) -> Option<BlockKind> {
        self.stack.last().map(|b| b.kind)
    }

    /// Is the open block the synthetic paragraph of a tight item?
    fn in_synthetic(&self) -> bool {
        let n = self.stack.len();
        n >= 2
            && self.stack[n - 1].kind == BlockKind::Paragraph
            && matches!(self.stack[n - 2].kind, BlockKind::Item { .. })
    }

    fn close_synthetic(&mut self) {
        if self.in_synthetic() {
            self.close();
        }
    }

    /// Inline content directly under an item (tight list): open a synthetic paragraph.
    fn open_inline(&mut self, range: Range<usize>) {
        if matches!(self.top_kind(), Some(BlockKind::Item { .. })) {
            self.stack.push(Block::new(BlockKind::Paragraph, range));
        }
    }

    fn extend_to(&mut self, end: usize) {
        if let Some(b) = self.stack.last_mut() {
            b.range.end = b.range.end.max(end);
        }
    }

    fn push_text(&mut self, t: &str, end: usize) {
        if let Some(b) = self.stack.last_mut() {
            if b.has_text() {
                b.text.push_str(t);
            }
            b.range.end = b.range.end.max(end);
        }
    }
}

/// Offsets where lines start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Parse a note's text (normalised here, see [`normalise`]) into a block tree.
pub fn parse(text: &str) -> Result<ParsedNote, TooDeep> {
    let text = normalise(text);
    let mut note = ParsedNote {
        line_starts: line_starts(&text),
        text,
        blocks: Vec::new(),
    };
    let mut t = Builder {
        stack: Vec::new(),
        top: Vec::new(),
    };
    let src = note.text.as_str();
    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                // Nested lists and items may start at the newline before their marker.
                let range = if matches!(tag, Tag::List(_) | Tag::Item) {
                    let skipped = src[range.clone()].len()
                        - src[range.clone()]
                            .trim_start_matches(['\n', ' ', '\t'])
                            .len();
                    range.start + skipped..range.end
                } else {
                    range
                };
                let kind = match tag {
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::Heading { level, .. } => Some(BlockKind::Heading { level: level as u8 }),
                    Tag::BlockQuote(_) => Some(BlockKind::Quote),
                    Tag::CodeBlock(_) => Some(BlockKind::Code),
                    Tag::HtmlBlock => Some(BlockKind::Html),
                    Tag::List(first) => Some(BlockKind::List {
                        ordered: first.is_some(),
                    }),
                    Tag::Item => Some(BlockKind::Item {
                        marker_col: note.indent_at(range.start),
                    }),
                    Tag::Table(_) => Some(BlockKind::Table),
                    Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_) | Tag::DefinitionList => {
                        Some(BlockKind::Other)
                    }
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        t.close_synthetic();
                        let at = range.start;
                        t.stack.push(Block::new(kind, range));
                        if t.stack.len() > MAX_DEPTH {
                            return Err(TooDeep {
                                line: note.line_at(at),
                            });
                        }
                    }
                    None => t.open_inline(range),
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
                        t.close_synthetic();
                    }
                    t.extend_to(range.end);
                    t.close();
                }
                _ => t.extend_to(range.end),
            },
            Event::Text(s) | Event::Code(s) | Event::InlineMath(s) | Event::DisplayMath(s) => {
                t.open_inline(range.clone());
                t.push_text(&s, range.end);
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                if t.top_kind() == Some(BlockKind::Html) {
                    t.extend_to(range.end);
                } else {
                    t.open_inline(range.clone());
                    let is_break = h.trim_start().to_ascii_lowercase().starts_with("<br");
                    t.push_text(if is_break { "\n" } else { "" }, range.end);
                }
            }
            Event::SoftBreak | Event::HardBreak => t.push_text("\n", range.end),
            Event::Rule => {
                t.close_synthetic();
                t.stack.push(Block::new(BlockKind::Rule, range));
                t.close();
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) => {}
        }
    }
    while !t.stack.is_empty() {
        t.close();
    }
    note.blocks = t.top;
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ParsedNote {
        parse(s).unwrap()
    }

    #[test]
    fn tight_item_text_becomes_first_paragraph() {
        let n = p("- question?\n  - answer\n");
        let item = &n.blocks[0].children[0];
        assert_eq!(item.children[0].text, "question?");
        assert!(matches!(item.children[1].kind, BlockKind::List { .. }));
    }

    #[test]
    fn code_fence_content_is_not_structure() {
        let n = p("```\n- not an item\n# not a heading\n```\n");
        assert_eq!(n.blocks.len(), 1);
        assert_eq!(n.blocks[0].kind, BlockKind::Code);
    }

    #[test]
    fn normalised_text_drops_bom_and_folds_line_ends() {
        for (text, folded, lines) in [
            (
                "# A\r\n\r\n- q\r\n  - a\r\n",
                "# A\n\n- q\n  - a\n",
                vec![1, 3],
            ),
            ("\u{feff}- q\n  - a\n", "- q\n  - a\n", vec![1]),
            ("a\rb\n", "a\nb\n", vec![1]),
            ("x", "x", vec![1]),
            ("", "", vec![]),
        ] {
            let n = p(text);
            assert_eq!(n.text, folded);
            assert_eq!(
                n.blocks.iter().map(|b| n.line(b)).collect::<Vec<_>>(),
                lines,
                "{text:?}"
            );
        }
    }

    #[test]
    fn marker_column_counts_tabs() {
        let n = p("   - x\n");
        assert_eq!(
            n.blocks[0].children[0].kind,
            BlockKind::Item { marker_col: 3 }
        );
        let n = p("- a\n\t- x\n");
        let nested = &n.blocks[0].children[0].children[1];
        assert_eq!(nested.children[0].kind, BlockKind::Item { marker_col: 4 });
    }

    #[test]
    fn deep_nesting_is_an_error_with_line() {
        let mut s = String::new();
        for i in 0..200 {
            s.push_str(&" ".repeat(i * 2));
            s.push_str("- x\n");
        }
        let err = parse(&s).unwrap_err();
        assert!(err.line > 1 && err.line < 200);
    }

    /// Every block of `blocks`, depth first.
    fn all_blocks<'n>(blocks: &'n [Block], out: &mut Vec<&'n Block>) {
        for b in blocks {
            out.push(b);
            all_blocks(&b.children, out);
        }
    }

    /// Each block's line is one more than the line breaks before it.
    fn lines_are_counted(text: &str) {
        let n = p(text);
        let line_of = |o: usize| 1 + n.text[..o].matches('\n').count();
        let mut blocks = Vec::new();
        all_blocks(&n.blocks, &mut blocks);
        for b in blocks {
            assert_eq!(n.line(b), line_of(b.range.start), "{b:?}");
            let start = n.line_start(b.range.start);
            assert!(start == 0 || n.text.as_bytes()[start - 1] == b'\n');
            assert!(!n.text[start..b.range.start].contains('\n'));
        }
    }

    #[test]
    fn block_lines_are_the_line_breaks_before_them_in_the_seed_notes() {
        for text in crate::notes::bundled::NOTES.iter().map(|n| n.text) {
            lines_are_counted(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn block_lines_are_the_line_breaks_before_them(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "- ", "  ", "\n", "\r\n", "# ", "```", "> ", "1. ", "a", "가", "**", "\t", "---",
                ]),
                0..80,
            )
        ) {
            lines_are_counted(&parts.concat());
        }
    }

    #[test]
    fn heading_text_keeps_link_words() {
        let n = p("## See [Docker](https://x.y) notes\n");
        assert_eq!(n.blocks[0].text, "See Docker notes");
    }
}
