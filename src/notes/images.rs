//! Images of a note: where a card's image paths lead, and which of them may
//! be read (only files inside the notes root, of bounded size); the raw
//! HTML a note may hold, cut into pieces; how card Markdown is read to be
//! shown. The window and the Anki export both read cards through this.

use std::path::{Path, PathBuf};

/// How a card's Markdown is read to be shown (in the window and in an
/// export), so both see the same structure.
pub fn display_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_DEFINITION_LIST
}

/// Largest image file read, bytes.
pub const MAX_IMAGE_BYTES: u64 = 16 * 1024 * 1024;

/// Where a card's note lives, to resolve relative image paths.
pub fn note_dir(decks_dir: &Path, source_file: &str) -> PathBuf {
    let p = Path::new(source_file);
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        decks_dir.join(p)
    };
    full.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The folder a note's images must stay inside: the notes root for a note
/// named relative to it, else the note's own folder.
pub fn notes_root(decks_dir: &Path, source_file: &str) -> PathBuf {
    if Path::new(source_file).is_absolute() {
        note_dir(decks_dir, source_file)
    } else {
        decks_dir.to_path_buf()
    }
}

/// Where a card's images may come from.
#[derive(Debug, Clone)]
pub struct ImageDirs<'a> {
    /// The note's folder: relative paths start here.
    pub note: &'a Path,
    /// Nothing outside this folder is read.
    pub root: &'a Path,
}

/// The file an image source names, if it may be shown: a relative path
/// that resolves inside the root, to a file of at most [`MAX_IMAGE_BYTES`].
pub fn resolve_image(src: &str, dirs: &ImageDirs<'_>) -> Option<PathBuf> {
    let src = src.trim();
    let refused = src.is_empty()
        || src.contains(':')
        || src.starts_with('/')
        || src.starts_with('\\')
        || Path::new(src).is_absolute();
    if refused {
        return None;
    }
    let root = std::fs::canonicalize(dirs.root).ok()?;
    let abs = std::fs::canonicalize(dirs.note.join(src)).ok()?;
    let meta = std::fs::metadata(&abs).ok()?;
    (abs.starts_with(&root) && meta.is_file() && meta.len() <= MAX_IMAGE_BYTES).then_some(abs)
}

/// The value of attribute `name` in an HTML tag (`<img src="…">`).
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next()?;
    if quote == '"' || quote == '\'' {
        let end = rest[1..].find(quote)?;
        Some(rest[1..=end].to_string())
    } else {
        Some(rest.split([' ', '>', '/']).next()?.to_string())
    }
}

/// A piece of the raw HTML a note may hold, as the window and the export
/// both read it: text, a line break, an image, or another tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HtmlPiece<'a> {
    /// Text between tags (or after an unclosed `<`).
    Text(&'a str),
    /// `<br>`, `<br/>`.
    LineBreak,
    /// `<img src=… alt=…>`.
    Image { src: String, alt: String },
    /// Any other tag, whole.
    Tag(&'a str),
}

/// Raw HTML cut into its pieces, in order.
pub fn html_pieces(html: &str) -> Vec<HtmlPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let tail = &rest[open..];
        let Some(end) = tail.find('>') else {
            break;
        };
        if open > 0 {
            out.push(HtmlPiece::Text(&rest[..open]));
        }
        let tag = &tail[..=end];
        let lower = tag.to_ascii_lowercase();
        out.push(if lower.starts_with("<br") {
            HtmlPiece::LineBreak
        } else if lower.starts_with("<img") {
            HtmlPiece::Image {
                src: attr(tag, "src").unwrap_or_default(),
                alt: attr(tag, "alt").unwrap_or_default(),
            }
        } else {
            HtmlPiece::Tag(tag)
        });
        rest = &tail[end + 1..];
    }
    if !rest.is_empty() {
        out.push(HtmlPiece::Text(rest));
    }
    out
}
