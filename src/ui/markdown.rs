//! Card Markdown → what the viewer shows. Images are resolved against the
//! note's folder: an existing file is shown, a missing or remote one becomes
//! its alt text or file name (never an error box). `<br>` becomes a line
//! break, `<img>` tags are treated like Markdown images.

use std::path::{Path, PathBuf};

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

fn image(alt: &str, src: &str, dir: &Path) -> String {
    let name = src.rsplit('/').next().unwrap_or(src);
    let label = if alt.trim().is_empty() {
        name
    } else {
        alt.trim()
    };
    if src.starts_with("http://") || src.starts_with("https://") {
        return format!("[그림: {label}]({src})");
    }
    let path = dir.join(src.trim_start_matches("./"));
    match std::fs::canonicalize(&path) {
        Ok(abs) if abs.is_file() => format!("![{label}](file://{})", abs.display()),
        _ => format!("*[그림: {label}]*"),
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
pub fn prepare(md: &str, dir: &Path) -> String {
    let md = &display_text(md);
    let mut out = String::with_capacity(md.len());
    let mut in_fence = false;
    for (i, line) in md.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        out.push_str(&rewrite_line(line, dir));
    }
    out
}

fn rewrite_line(line: &str, dir: &Path) -> String {
    let in_table = line.trim_start().starts_with('|');
    let mut out = String::new();
    let mut rest = line;
    loop {
        let md_img = rest.find("![");
        let html = find_ci(rest, "<img").or_else(|| find_ci(rest, "<br"));
        let next = match (md_img, html) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        out.push_str(&rest[..next]);
        let tail = &rest[next..];
        if let Some(after) = tail.strip_prefix("![") {
            // ![alt](src)
            if let Some(close) = tail.find("](")
                && let Some(end) = tail[close + 2..].find(')')
            {
                let alt = &tail[2..close];
                let src = tail[close + 2..close + 2 + end]
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                out.push_str(&image(alt, src, dir));
                rest = &tail[close + 3 + end..];
                continue;
            }
            out.push_str("![");
            rest = after;
        } else if let Some(end) = tail.find('>') {
            let tag = &tail[..=end];
            if tag.to_ascii_lowercase().starts_with("<br") {
                out.push_str(if in_table { " / " } else { "  \n" });
            } else {
                let src = attr(tag, "src").unwrap_or_default();
                let alt = attr(tag, "alt").unwrap_or_default();
                out.push_str(&image(&alt, &src, dir));
            }
            rest = &tail[end + 1..];
        } else {
            out.push_str(tail);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

fn attr(tag: &str, name: &str) -> Option<String> {
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

/// Only web links open in the browser.
pub fn allowed_url(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_images_become_their_name_and_existing_ones_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a.png"), b"png").unwrap();
        let out = prepare("x ![](./img/a.png) y ![](./img/missing.png)", dir.path());
        assert!(out.contains("![a.png](file://"), "{out}");
        assert!(out.ends_with("y *[그림: missing.png]*"), "{out}");
        let html = prepare(
            r#"- <img src="./images/day3/s.png" width="500">"#,
            dir.path(),
        );
        assert_eq!(html, "- *[그림: s.png]*");
        assert_eq!(prepare("a<br/>b", dir.path()), "a  \nb");
        assert_eq!(prepare("```\n<br/>\n```", dir.path()), "```\n<br/>\n```");
    }

    #[test]
    fn only_web_links_open() {
        assert!(allowed_url("https://kubernetes.io"));
        assert!(!allowed_url("file:///etc/passwd"));
        assert!(!allowed_url("javascript:alert(1)"));
    }
}
