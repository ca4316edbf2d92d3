//! Card Markdown → HTML for Anki: tables, lists and links as pulldown-cmark
//! writes them, code blocks highlighted (inline colours, so no stylesheet
//! is needed on the phone), images from the notes folder carried as media
//! files. Raw HTML in a note is shown as text except `<br>` and `<img>`:
//! an exported deck runs no script and loads nothing from the notes' HTML.

use crate::notes::images::{HtmlPiece, ImageDirs, display_options, html_pieces, resolve_image};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::path::PathBuf;
use syntect::highlighting::{Theme, ThemeSet};
use syntect::parsing::SyntaxSet;

/// Image files the exported cards show: the file's name in the package,
/// and where it is read from.
#[derive(Debug, Default)]
pub struct Media {
    /// (name in the package, file on disk), in the order first used.
    pub files: Vec<(String, PathBuf)>,
    by_path: HashMap<PathBuf, String>,
}

impl Media {
    /// The package name of the image at `path` (added when first seen).
    /// Names keep the file's own name behind a hash of its path, so two
    /// notes' `image.png` stay apart.
    fn name_for(&mut self, path: PathBuf) -> String {
        if let Some(n) = self.by_path.get(&path) {
            return n.clone();
        }
        let base = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("bokseup-{:08x}-{base}", path_hash(&path));
        self.by_path.insert(path.clone(), name.clone());
        self.files.push((name.clone(), path));
        name
    }
}

/// A short stable hash of a path (FNV-1a, 32 bits).
fn path_hash(path: &std::path::Path) -> u32 {
    path.to_string_lossy().bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Highlights code blocks; loaded once per export.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: Theme,
}

impl Default for Highlighter {
    fn default() -> Self {
        let mut themes = ThemeSet::load_defaults().themes;
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            theme: themes.remove("InspiredGitHub").unwrap_or_default(),
        }
    }
}

impl Highlighter {
    /// A code block as HTML: highlighted when its language is known, else
    /// plain and escaped.
    fn block(&self, lang: &str, code: &str) -> String {
        let syntax = (!lang.is_empty())
            .then(|| self.syntaxes.find_syntax_by_token(lang))
            .flatten();
        match syntax.and_then(|s| {
            syntect::html::highlighted_html_for_string(code, &self.syntaxes, s, &self.theme).ok()
        }) {
            Some(html) => html,
            None => format!("<pre><code>{}</code></pre>\n", escape(code)),
        }
    }
}

/// Text safe inside HTML.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Where images are read from, and where they go.
pub struct Images<'a> {
    /// The note's folder and the notes root (none: bundled notes, whose
    /// images are not on disk).
    pub dirs: Option<ImageDirs<'a>>,
    /// The media files collected so far.
    pub media: &'a mut Media,
}

impl Images<'_> {
    /// An `<img>` for `src`, or its name as text when it cannot be read.
    fn img(&mut self, src: &str, alt: &str) -> String {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return format!("<img src=\"{}\" alt=\"{}\">", escape(src), escape(alt));
        }
        match self.dirs.as_ref().and_then(|d| resolve_image(src, d)) {
            Some(path) => {
                let name = self.media.name_for(path);
                format!("<img src=\"{}\" alt=\"{}\">", escape(&name), escape(alt))
            }
            None => {
                let name = src.rsplit('/').next().unwrap_or(src);
                let label = if alt.trim().is_empty() { name } else { alt };
                format!("<i>[그림: {}]</i>", escape(label))
            }
        }
    }

    /// A piece of raw HTML: `<br>` kept, `<img>` carried, the rest as text.
    fn raw(&mut self, html: &str) -> String {
        html_pieces(html)
            .into_iter()
            .map(|piece| match piece {
                HtmlPiece::Text(t) | HtmlPiece::Tag(t) => escape(t),
                HtmlPiece::LineBreak => "<br>".to_string(),
                HtmlPiece::Image { src, alt } => self.img(&src, &alt),
            })
            .collect()
    }
}

/// Card Markdown as HTML.
pub fn to_html(md: &str, images: &mut Images<'_>, highlighter: &Highlighter) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    // A code block being read: its language and text.
    let mut code: Option<(String, String)> = None;
    // An image being read: its destination and alt text.
    let mut image: Option<(String, String)> = None;
    for event in Parser::new_ext(md, display_options()) {
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, text)) = code.take() {
                        events.push(Event::Html(highlighter.block(&lang, &text).into()));
                    }
                }
                Event::Text(t) => text.push_str(&t),
                _ => {}
            }
            continue;
        }
        if let Some((_, alt)) = image.as_mut() {
            match event {
                Event::End(TagEnd::Image) => {
                    if let Some((dest, alt)) = image.take() {
                        events.push(Event::Html(images.img(&dest, &alt).into()));
                    }
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.to_string(), String::new()));
            }
            Event::Html(h) => events.push(Event::Html(CowStr::from(images.raw(&h)))),
            Event::InlineHtml(h) => events.push(Event::InlineHtml(CowStr::from(images.raw(&h)))),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let mut media = Media::default();
        let mut images = Images {
            dirs: None,
            media: &mut media,
        };
        to_html(md, &mut images, &Highlighter::default())
    }

    #[test]
    fn tables_code_and_raw_html() {
        let t = html("| a | b |\n|---|---|\n| 1 | 2 |");
        assert!(t.contains("<table>") && t.contains("<td>2</td>"), "{t}");
        let c = html("```yaml\nkind: Service\n```");
        assert!(c.contains("<pre style=") && c.contains("Service"), "{c}");
        let plain = html("```\n<b>x</b>\n```");
        assert!(plain.contains("&lt;b&gt;x&lt;/b&gt;"), "{plain}");
        let raw = html("a<br>b <script>alert(1)</script>");
        assert!(raw.contains("<br>") && !raw.contains("<script>"), "{raw}");
        let missing = html("![도식](./img/a.png)");
        assert!(missing.contains("[그림: 도식]"), "{missing}");
    }

    #[test]
    fn images_in_the_notes_become_media_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a.png"), b"png").unwrap();
        let mut media = Media::default();
        let mut images = Images {
            dirs: Some(ImageDirs {
                note: dir.path(),
                root: dir.path(),
            }),
            media: &mut media,
        };
        let hl = Highlighter::default();
        let a = to_html("![](./img/a.png) <img src=\"img/a.png\">", &mut images, &hl);
        assert_eq!(media.files.len(), 1);
        let name = &media.files[0].0;
        assert!(name.ends_with("-a.png"));
        assert_eq!(a.matches(name.as_str()).count(), 2, "{a}");
    }
}
