//! Card Markdown → what the viewer shows.
//!
//! Images are rewritten on the parsed Markdown (pulldown-cmark events with
//! their source ranges), so code blocks, indented fences and reference-style
//! images are seen exactly as the viewer will see them. An image is shown
//! only when its path, relative to the note's folder, resolves (symbolic
//! links and `..` followed) to a file inside the notes root and no larger
//! than [`MAX_IMAGE_BYTES`]; absolute paths and `file:` URLs are refused.
//! Anything else becomes its alt text or file name (never an error box); a
//! web image becomes a link. `<br>` becomes a line break, `<img>` tags are
//! treated like Markdown images.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::ops::Range;

use crate::notes::images::{HtmlPiece, display_options, html_pieces};
pub use crate::notes::images::{
    ImageDirs, MAX_IMAGE_BYTES, attr, note_dir, notes_root, resolve_image,
};

fn is_web(src: &str) -> bool {
    let lower = src.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Text safe inside `[…]` and `*…*`.
fn label_text(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '[' | ']' | '*' | '_' | '`' | '\n'))
        .collect()
}

fn image(alt: &str, src: &str, dirs: &ImageDirs<'_>) -> String {
    let src = src.trim();
    let name = src.rsplit('/').next().unwrap_or(src);
    let label = label_text(if alt.trim().is_empty() {
        name
    } else {
        alt.trim()
    });
    if is_web(src) {
        return format!("[그림: {label}](<{}>)", src.replace('>', "%3E"));
    }
    match resolve_image(src, dirs) {
        Some(abs) => format!("![{label}](<file://{}>)", abs.display()),
        None => format!("*[그림: {label}]*"),
    }
}

/// Fullwidth forms of U+FF61–U+FF9F (halfwidth katakana and punctuation),
/// which the bundled fonts draw; the halfwidth ones they do not.
const FULLWIDTH_KANA: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

/// Text as displayed: characters the bundled fonts lack are replaced by
/// equivalents they have (halfwidth katakana → fullwidth).
pub fn display_text(s: &str) -> String {
    s.chars()
        .map(|c| match c as u32 {
            0xFF61..=0xFF9F => FULLWIDTH_KANA
                .chars()
                .nth((c as u32 - 0xFF61) as usize)
                .unwrap_or(c),
            0x25E1 => '_',
            _ => c,
        })
        .collect()
}

/// Rewrite images and HTML line breaks for display.
pub fn prepare(md: &str, dirs: &ImageDirs<'_>) -> String {
    let md = &display_text(md);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut table_depth = 0usize;
    let mut list_depth = 0usize;
    // An image being read: its source range, destination and alt text.
    let mut open_image: Option<(Range<usize>, String, String)> = None;
    for (event, range) in Parser::new_ext(md, display_options()).into_offset_iter() {
        if let Some((_, _, alt)) = open_image.as_mut() {
            match event {
                Event::End(TagEnd::Image) => {
                    if let Some((r, dest, alt)) = open_image.take() {
                        edits.push((r, image(&alt, &dest, dirs)));
                    }
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            continue;
        }
        match event {
            // A table inside a list item is drawn beside the item's text;
            // it is moved out of the list, full width, below the item.
            Event::Start(Tag::Table(_)) if list_depth > 0 => {
                edits.push((range.clone(), table_out_of_list(&md[range], dirs)));
            }
            Event::Start(Tag::List(_)) => list_depth += 1,
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Table(_)) => table_depth += 1,
            Event::End(TagEnd::Table) => table_depth = table_depth.saturating_sub(1),
            Event::Start(Tag::Image { dest_url, .. }) => {
                open_image = Some((range, dest_url.to_string(), String::new()));
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let rewritten = rewrite_html(&html, table_depth > 0, dirs);
                if rewritten != *html {
                    edits.push((range, rewritten));
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(md.len());
    let mut at = 0;
    for (r, text) in edits {
        if r.start < at {
            continue;
        }
        out.push_str(&md[at..r.start]);
        out.push_str(&text);
        at = r.end;
    }
    out.push_str(&md[at..]);
    out
}

/// A table's source taken out of a list item: its lines without the item's
/// indentation, on lines of their own, rewritten as any table is.
fn table_out_of_list(table: &str, dirs: &ImageDirs<'_>) -> String {
    let lines: Vec<&str> = table.lines().map(str::trim_start).collect();
    format!("\n\n{}\n\n", prepare(&lines.join("\n"), dirs).trim_end())
}

/// `<img>` and `<br>` tags in a piece of HTML, rewritten; other HTML is left.
fn rewrite_html(html: &str, in_table: bool, dirs: &ImageDirs<'_>) -> String {
    html_pieces(html)
        .into_iter()
        .map(|piece| match piece {
            HtmlPiece::Text(t) | HtmlPiece::Tag(t) => t.to_string(),
            HtmlPiece::LineBreak => (if in_table { " / " } else { "  \n" }).to_string(),
            HtmlPiece::Image { src, alt } => image(&alt, &src, dirs),
        })
        .collect()
}

/// Only web links open in the browser.
pub fn allowed_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn dirs(p: &Path) -> ImageDirs<'_> {
        ImageDirs { note: p, root: p }
    }

    #[test]
    fn missing_images_become_their_name_and_existing_ones_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a.png"), b"png").unwrap();
        let d = dirs(dir.path());
        let out = prepare("x ![](./img/a.png) y ![](./img/missing.png)", &d);
        assert!(out.contains("![a.png](<file://"), "{out}");
        assert!(out.ends_with("y *[그림: missing.png]*"), "{out}");
        let html = prepare(r#"- <img src="./images/day3/s.png" width="500">"#, &d);
        assert_eq!(html, "- *[그림: s.png]*");
        assert_eq!(prepare("a<br/>b", &d), "a  \nb");
        assert_eq!(prepare("```\n<br/>\n```", &d), "```\n<br/>\n```");
        assert_eq!(
            prepare("| a<br>b |\n|---|\n| c |", &d),
            "| a / b |\n|---|\n| c |"
        );
        // A table inside a list item comes out of the list, whole.
        let listed = prepare(
            "- 구분\n  | a | b |\n  | --- | --- |\n  | 1<br>2 | 3 |\n\n- 다음",
            &d,
        );
        assert_eq!(
            listed,
            "- 구분\n  \n\n| a | b |\n| --- | --- |\n| 1 / 2 | 3 |\n\n\n- 다음"
        );
    }

    #[test]
    fn only_web_links_open() {
        assert!(allowed_url("https://kubernetes.io"));
        assert!(!allowed_url("file:///etc/passwd"));
        assert!(!allowed_url("javascript:alert(1)"));
    }
}
