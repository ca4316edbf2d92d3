//! Markdown → a block tree with source positions.
//!
//! An explicit state machine over pulldown-cmark's offset events: every
//! block-level start pushes a [`Block`] on a stack, its end closes it.
//! Closed blocks wait until their parent closes, then move as one run into
//! the note's block arena, so a block's children are a range of it; the
//! plain text of all paragraphs and headings goes into one buffer (only one
//! of them is open at a time): a few allocations per note, not several
//! per block. Inline content directly under a list item (tight lists have no
//! paragraph tags) is wrapped in a synthetic paragraph, so every item's
//! first child is the text of its bullet. Positions are byte ranges into the
//! normalised text (CRLF → LF, BOM removed), lines are 1-based.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::cell::Cell;
use std::ops::Range;

/// Deepest nesting of lists, items and quotes accepted in a note.
pub const MAX_DEPTH: usize = 64;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// `#`…`######` heading (or a `##Title` line read as one); its plain
    /// text is [`ParsedNote::text_of`].
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
    /// A paragraph (or the inline text of a tight item); its plain text
    /// (inline marks removed, line breaks as `\n`) is [`ParsedNote::text_of`].
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

/// A block with its position. Its children and plain text live in the
/// [`ParsedNote`] (one arena and one text buffer per note).
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Byte range in [`ParsedNote::text`]; its line is [`ParsedNote::line`].
    pub range: Range<usize>,
    /// Plain text of a paragraph or heading: a range of the note's text buffer.
    text: Range<u32>,
    /// Plain text of the block and all nested in it, as
    /// [`ParsedNote::collect_text`] without code gives it: a range of the
    /// note's text buffer.
    flat: Range<u32>,
    /// Nested blocks: a range of the note's block arena.
    children: Range<u32>,
}

impl Block {
    fn new(kind: BlockKind, range: Range<usize>) -> Self {
        Block {
            kind,
            range,
            text: 0..0,
            flat: 0..0,
            children: 0..0,
        }
    }
}

/// A parsed note: the normalised text and its block tree.
#[derive(Debug, Clone)]
pub struct ParsedNote<'a> {
    /// The note's text with CRLF/CR folded to LF and a leading BOM removed.
    pub text: Cow<'a, str>,
    /// Every block; a block's children are a contiguous run.
    arena: Vec<Block>,
    /// Where the top-level blocks are in `arena`.
    top: Range<u32>,
    /// Plain text of all paragraphs and headings, one after the other, each
    /// followed by a newline.
    plain: String,
    /// The last offset whose line was asked for, and that line: lines are
    /// counted when asked for (few blocks need one), from there.
    lines: Cell<LineCursor>,
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

fn span(r: &Range<u32>) -> Range<usize> {
    r.start as usize..r.end as usize
}

impl ParsedNote<'_> {
    /// Top-level blocks in order.
    pub fn blocks(&self) -> &[Block] {
        &self.arena[span(&self.top)]
    }

    /// Nested blocks of `b`, in order.
    pub fn children(&self, b: &Block) -> &[Block] {
        &self.arena[span(&b.children)]
    }

    /// Plain text of a paragraph or heading; empty for other blocks.
    pub fn text_of(&self, b: &Block) -> &str {
        &self.plain[span(&b.text)]
    }

    /// Where the plain text of the blocks from `first` to `last`, which
    /// follow one another in the note, stands in the plain text buffer
    /// ([`ParsedNote::plain_text`]): what [`ParsedNote::collect_text`] without
    /// code appends for each of them, without a copy. (Not for a paragraph
    /// read as a heading by [`ParsedNote::make_heading`]: its text there is
    /// the whole line.)
    pub fn flat_range(&self, first: &Block, last: &Block) -> Range<u32> {
        first.flat.start..last.flat.end.max(first.flat.start)
    }

    /// A range of the plain text buffer (empty if out of it).
    pub fn plain_text(&self, range: &Range<u32>) -> &str {
        self.plain.get(span(range)).unwrap_or_default()
    }

    /// The buffer of all plain text (see [`ParsedNote::flat_range`]), taken out of the note.
    pub fn take_plain(&mut self) -> String {
        std::mem::take(&mut self.plain)
    }

    /// Read the top-level paragraph at `index` as a heading of `level`
    /// whose text is the part `title` (byte range) of the paragraph's text.
    pub fn make_heading(&mut self, index: usize, level: u8, title: Range<usize>) {
        let i = self.top.start as usize + index;
        let b = &mut self.arena[i];
        let len = b.text.len();
        let (s, e) = (title.start.min(len) as u32, title.end.min(len) as u32);
        b.kind = BlockKind::Heading { level };
        b.text = b.text.start + s..b.text.start + e.max(s);
    }

    /// Append the plain text of `b` and everything nested in it to `out`, a
    /// line per paragraph or heading; code, HTML and tables as written only
    /// `with_code` (without them: the writer's own words).
    pub fn collect_text(&self, b: &Block, with_code: bool, out: &mut String) {
        match b.kind {
            BlockKind::Paragraph | BlockKind::Heading { .. } => {
                out.push_str(self.text_of(b));
                out.push('\n');
            }
            BlockKind::Code | BlockKind::Html | BlockKind::Table if with_code => {
                out.push_str(&self.text[b.range.clone()]);
                out.push('\n');
            }
            _ => {}
        }
        for c in self.children(b) {
            self.collect_text(c, with_code, out);
        }
    }

    /// 1-based line where `b` starts.
    pub fn line(&self, b: &Block) -> usize {
        self.line_at(b.range.start)
    }

    /// 1-based line of `offset` in the text: the line breaks between it and
    /// the offset asked about last are counted (offsets mostly come in
    /// text order, so each byte is looked at about once).
    pub fn line_at(&self, offset: usize) -> usize {
        let cursor = self.lines.get().moved_to(self.text.as_bytes(), offset);
        self.lines.set(cursor);
        cursor.line
    }

    /// Byte offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        line_start(self.text.as_bytes(), offset)
    }

    /// Visual column of `offset` in its line (tabs advance to the next multiple of 4).
    pub fn column(&self, offset: usize) -> usize {
        visual_width(&self.text[self.line_start(offset)..offset])
    }

    /// Visual column of the first non-blank character from `offset` on (its indent,
    /// for an offset at the start of a line).
    pub fn indent_at(&self, offset: usize) -> usize {
        self.column(skip_ws(&self.text, offset))
    }
}

fn visual_width(s: &str) -> usize {
    if !s.contains('\t') {
        return s.chars().count();
    }
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

/// An open block and where its children start among the pending ones.
struct Open {
    block: Block,
    first_child: usize,
}

/// Builds the tree: closed blocks wait in `pending` until their parent
/// closes, then move as one run into `arena`.
struct Builder {
    arena: Vec<Block>,
    pending: Vec<Block>,
    stack: Vec<Open>,
    plain: String,
}

impl Builder {
    fn open(&mut self, mut block: Block) {
        let at = self.plain.len() as u32;
        block.text = at..at;
        block.flat = at..at;
        self.stack.push(Open {
            block,
            first_child: self.pending.len(),
        });
    }

    fn close(&mut self) {
        if let Some(Open {
            mut block,
            first_child,
        }) = self.stack.pop()
        {
            if matches!(block.kind, BlockKind::Paragraph | BlockKind::Heading { .. }) {
                block.text.end = self.plain.len() as u32;
                self.plain.push('\n');
            } else {
                block.text = 0..0;
            }
            block.flat.end = self.plain.len() as u32;
            if first_child < self.pending.len() {
                let start = self.arena.len() as u32;
                self.arena.extend(self.pending.drain(first_child..));
                block.children = start..self.arena.len() as u32;
            }
            self.pending.push(block);
        }
    }

    /// A block with no children of its own, closed at once.
    fn leaf(&mut self, mut block: Block) {
        let at = self.plain.len() as u32;
        block.flat = at..at;
        self.pending.push(block);
    }

    fn top(&mut self) -> Option<&mut Block> {
        self.stack.last_mut().map(|o| &mut o.block)
    }

    fn top_kind(&self) -> Option<BlockKind> {
        self.stack.last().map(|o| o.block.kind)
    }

    /// Close a synthetic paragraph opened for a tight item's inline text.
    fn close_synthetic(&mut self) {
        let n = self.stack.len();
        if n >= 2
            && self.stack[n - 1].block.kind == BlockKind::Paragraph
            && matches!(self.stack[n - 2].block.kind, BlockKind::Item { .. })
        {
            self.close();
        }
    }

    /// Inline content directly under an item (tight list): open a synthetic paragraph.
    fn open_inline(&mut self, range: Range<usize>) {
        if matches!(self.top_kind(), Some(BlockKind::Item { .. })) {
            self.open(Block::new(BlockKind::Paragraph, range));
        }
    }

    fn extend_to(&mut self, end: usize) {
        if let Some(b) = self.top() {
            b.range.end = b.range.end.max(end);
        }
    }

    fn push_text(&mut self, t: &str, end: usize) {
        if let Some(Open { block, .. }) = self.stack.last_mut() {
            if matches!(block.kind, BlockKind::Paragraph | BlockKind::Heading { .. }) {
                self.plain.push_str(t);
            }
            block.range.end = block.range.end.max(end);
        }
    }
}

/// Parse already-normalised text (see [`normalise`]) into a block tree.
pub fn parse(text: Cow<'_, str>) -> Result<ParsedNote<'_>, TooDeep> {
    let mut note = ParsedNote {
        text,
        arena: Vec::new(),
        top: 0..0,
        plain: String::new(),
        lines: Cell::new(LineCursor { at: 0, line: 1 }),
    };
    let mut t = Builder {
        arena: Vec::with_capacity(note.text.len() / 40 + 1),
        // Top-level blocks wait here until the end: a few per hundred bytes.
        pending: Vec::with_capacity(note.text.len() / 100 + 16),
        stack: Vec::new(),
        // Plain text is the source without its marks and indents, plus a
        // newline per paragraph: never longer than the source but for
        // a few decoded entities, so room for all of it is made once.
        plain: String::with_capacity(note.text.len() + 64),
    };
    let text_ref: &str = &note.text;
    let mut pending_err = None;

    for (event, range) in Parser::new_ext(text_ref, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                // Nested lists and items may start at the newline before their marker.
                let range = if matches!(tag, Tag::List(_) | Tag::Item) {
                    let mut start = range.start;
                    let bytes = text_ref.as_bytes();
                    while start < range.end && matches!(bytes[start], b'\n' | b' ' | b'\t') {
                        start += 1;
                    }
                    start..range.end
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
                        t.open(Block::new(kind, range));
                        if t.stack.len() > MAX_DEPTH {
                            pending_err = Some(TooDeep {
                                line: note.line_at(at),
                            });
                            break;
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
                    let tag = h.trim_start().as_bytes();
                    let is_break = tag.len() >= 3 && tag[..3].eq_ignore_ascii_case(b"<br");
                    t.push_text(if is_break { "\n" } else { "" }, range.end);
                }
            }
            Event::SoftBreak | Event::HardBreak => t.push_text("\n", range.end),
            Event::Rule => {
                t.close_synthetic();
                t.leaf(Block::new(BlockKind::Rule, range));
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) => {}
        }
    }
    if let Some(err) = pending_err {
        return Err(err);
    }
    while !t.stack.is_empty() {
        t.close();
    }
    let start = t.arena.len() as u32;
    t.arena.append(&mut t.pending);
    note.top = start..t.arena.len() as u32;
    note.arena = t.arena;
    note.plain = t.plain;
    Ok(note)
}

/// An offset of a text and its line, from which the line of another
/// offset is found by counting the line breaks between the two.
#[derive(Debug, Clone, Copy)]
struct LineCursor {
    /// The offset …
    at: usize,
    /// … and its 1-based line.
    line: usize,
}

impl LineCursor {
    /// The cursor at `offset` of `text` (the text this one is an offset of).
    fn moved_to(self, text: &[u8], offset: usize) -> Self {
        let offset = offset.min(text.len());
        let line = if offset >= self.at {
            self.line + count_newlines(&text[self.at..offset])
        } else {
            self.line - count_newlines(&text[offset..self.at])
        };
        LineCursor { at: offset, line }
    }
}

/// Number of `\n` in `bytes`.
fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// Byte offset where the line holding `offset` starts.
fn line_start(bytes: &[u8], offset: usize) -> usize {
    let offset = offset.min(bytes.len());
    memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1)
}

fn skip_ws(text: &str, mut offset: usize) -> usize {
    let bytes = text.as_bytes();
    while offset < bytes.len() && (bytes[offset] == b' ' || bytes[offset] == b'\t') {
        offset += 1;
    }
    offset
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
        let item = &n.children(&n.blocks()[0])[0];
        assert_eq!(n.text_of(&n.children(item)[0]), "question?");
        assert!(matches!(n.children(item)[1].kind, BlockKind::List { .. }));
    }

    #[test]
    fn code_fence_content_is_not_structure() {
        let n = p("```\n- not an item\n# not a heading\n```\n");
        assert_eq!(n.blocks().len(), 1);
        assert_eq!(n.blocks()[0].kind, BlockKind::Code);
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
            // Only a text with a CR is copied.
            assert_eq!(matches!(n.text, Cow::Borrowed(_)), !text.contains('\r'));
            assert_eq!(
                n.blocks().iter().map(|b| n.line(b)).collect::<Vec<_>>(),
                lines,
                "{text:?}"
            );
        }
    }

    #[test]
    fn crlf_and_lines_agree() {
        let n = p("# A\r\n\r\n- q\r\n  - a\r\n");
        assert_eq!(n.line(&n.blocks()[1]), 3);
        assert_eq!(n.text_of(&n.blocks()[0]), "A");
    }

    #[test]
    fn marker_column_counts_tabs() {
        let n = p("   - x\n");
        let item = &n.children(&n.blocks()[0])[0];
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

    /// Every block of `n`, depth first.
    fn all_blocks<'n>(n: &'n ParsedNote, blocks: &'n [Block], out: &mut Vec<&'n Block>) {
        for b in blocks {
            out.push(b);
            all_blocks(n, n.children(b), out);
        }
    }

    /// Each block's line is one more than the line breaks before it; a
    /// line starts after the line break before it.
    fn lines_are_counted(text: &str) {
        let n = p(text);
        let bytes = n.text.as_bytes();
        let line_of = |o: usize| 1 + bytes[..o].iter().filter(|&&b| b == b'\n').count();
        let mut blocks = Vec::new();
        all_blocks(&n, n.blocks(), &mut blocks);
        for b in blocks {
            assert_eq!(n.line(b), line_of(b.range.start), "{b:?}");
            for o in [
                b.range.start,
                (b.range.start + b.range.end) / 2,
                b.range.end,
            ] {
                let o = (0..=o)
                    .rev()
                    .find(|&o| n.text.is_char_boundary(o))
                    .unwrap_or(0);
                assert_eq!(n.line_at(o), line_of(o), "{b:?} at {o}");
                let start = n.line_start(o);
                assert!(start == 0 || bytes[start - 1] == b'\n');
                assert!(!bytes[start..o].contains(&b'\n'));
            }
        }
    }

    #[test]
    fn line_cursor_moves_both_ways() {
        let text = b"a\nbb\n\nccc\nd";
        let mut lines = LineCursor { at: 0, line: 1 };
        for (offset, line) in [
            (0, 1),
            (5, 3),
            (10, 5),
            (2, 2),
            (7, 4),
            (1, 1),
            (99, 5),
            (6, 4),
        ] {
            lines = lines.moved_to(text, offset);
            assert_eq!(lines.line, line, "offset {offset}");
        }
    }

    #[test]
    fn block_lines_are_the_line_breaks_before_them_in_the_seed_notes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/notes");
        let mut notes = 0;
        for entry in std::fs::read_dir(dir).expect("seed notes") {
            lines_are_counted(
                &std::fs::read_to_string(entry.expect("entry").path()).expect("note"),
            );
            notes += 1;
        }
        assert_eq!(notes, 5);
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
        assert_eq!(n.text_of(&n.blocks()[0]), "See Docker notes");
    }
}
