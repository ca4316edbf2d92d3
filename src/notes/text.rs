//! Text rules every shape shares: marks, placeholders, question endings,
//! dedenting, Obsidian markup (`[[wikilinks]]`, `#tags`, `==highlights==`),
//! and a card side as one line of plain text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// First 80 characters of a text's first line, for reports.
pub fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let mut s: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        s.push('…');
    }
    s
}

/// Inline Markdown marks (`*`, `` ` ``, `=`, `_`, `~`) removed, trimmed.
pub fn strip_marks(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '*' | '`' | '=' | '_' | '~'))
        .collect::<String>()
        .trim()
        .to_string()
}

/// Is `c` an emoji or pictograph (left out of headings used as questions)?
pub fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
}

/// Is `c` a letter or digit?
pub fn is_letter(c: char) -> bool {
    c.is_alphanumeric()
}

/// Is this answer text only a placeholder (`...`, `…`, `-`) or nothing?
pub fn is_placeholder(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || matches!(c, '.' | '…' | '·' | '-' | '*' | '~' | '?'))
}

/// Words that stand for "left out" or "to be written".
const PLACEHOLDER_WORDS: &[&str] = &[
    "생략",
    "요약",
    "todo",
    "tbd",
    "추후 작성",
    "작성 예정",
    "작성중",
    "작성 중",
];

/// Is a short body only a placeholder word (`생략`, `TODO`, `(추후 작성)`)
/// or nothing at all?
pub fn is_placeholder_text(text: &str) -> bool {
    let text = text.trim();
    // Placeholders are a word or two; anything longer is content.
    if text.chars().count() > 64 {
        return false;
    }
    let kept: String = text
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '-' | '.' | '…' | '*'))
        .collect();
    let word = kept.trim().to_lowercase();
    word.is_empty() || PLACEHOLDER_WORDS.contains(&word.as_str())
}

/// Is `text`, without emoji, marks and colons, trimmed and lower-cased, one
/// of the words of `list`?
pub fn in_list(list: &[&str], text: &str) -> bool {
    let kept: String = text
        .chars()
        .filter(|&c| !(is_emoji(c) || matches!(c, '*' | '_' | '`' | ':' | '：')))
        .collect();
    let word = kept.trim().to_lowercase();
    list.contains(&word.as_str())
}

/// Korean question endings (a sentence ending in one of them asks).
const QUESTION_ENDINGS: &[&str] = &[
    "나요",
    "까요",
    "가요",
    "는지",
    "ㄴ지",
    "은지",
    "습니까",
    "인지",
    "하죠",
    "나여",
    "세요",
];

/// Does a bullet's or line's text read as a question: a `?` (or `？`)
/// anywhere, or a Korean question ending?
pub fn looks_like_question(text: &str) -> bool {
    let t = text.trim();
    if t.contains(['?', '？']) {
        return true;
    }
    let t = t.trim_end_matches(|c: char| c == '.' || c == '~' || c.is_whitespace());
    QUESTION_ENDINGS.iter().any(|e| t.ends_with(e))
}

/// Endings of a statement (`…있다.`, `…가능`, `…임`): a label that ends so
/// is a sentence, not a topic.
const SENTENCE_ENDINGS: &[&str] = &[
    "다", "음", "함", "됨", "임", "요", "것", "능", "듯", "네", "죠", "짐", "없음",
];

/// Does `text` end like a sentence (a full stop, or a statement ending)?
pub fn ends_like_sentence(text: &str) -> bool {
    let t = text
        .trim()
        .trim_end_matches(|c: char| c == '.' || c == '!' || c.is_whitespace());
    text.trim().ends_with('.') || SENTENCE_ENDINGS.iter().any(|e| t.ends_with(e))
}

/// Does Markdown hold an image (`![…](…)` or `<img>`)?
pub fn has_image(md: &str) -> bool {
    md.contains("![") || md.to_ascii_lowercase().contains("<img")
}

/// `src` with up to `cols` columns of leading whitespace removed from every
/// line (tabs count to the next multiple of 4).
pub fn dedent(src: &str, cols: usize) -> String {
    let mut out = String::with_capacity(src.len());
    for (i, line) in src.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut col = 0;
        let mut cut = 0;
        for (at, c) in line.char_indices() {
            if col >= cols {
                break;
            }
            match c {
                ' ' => col += 1,
                '\t' => col = (col / 4 + 1) * 4,
                _ => break,
            }
            cut = at + 1;
        }
        out.push_str(&line[cut..]);
    }
    out
}

/// Append one piece of an answer: pieces are separated by a blank line, a
/// piece loses its leading and trailing newlines, a blank one is dropped.
pub fn push_part(answer: &mut String, part: &str) {
    let part = part.trim_start_matches('\n').trim_end_matches('\n');
    if part.trim().is_empty() {
        return;
    }
    if !answer.is_empty() {
        answer.push_str("\n\n");
    }
    answer.push_str(part);
}

/// `[[target]]`, `[[target|shown]]` and `[[target#heading]]` as the words a
/// reader sees (`shown`, else `target`).
pub fn wikilinks_to_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("[[") {
        let Some(close) = rest[open + 2..].find("]]") else {
            break;
        };
        out.push_str(&rest[..open]);
        let inner = &rest[open + 2..open + 2 + close];
        let shown = match inner.split_once('|') {
            Some((_, alias)) => alias,
            None => inner.split('#').next().unwrap_or(inner),
        };
        out.push_str(shown.trim());
        rest = &rest[open + 2 + close + 2..];
    }
    out.push_str(rest);
    out
}

/// Is `word` (what follows a `#`) an Obsidian tag? A tag has a letter and
/// no spaces; `#1` or `#` before a space is not one.
fn is_tag_word(word: &str) -> bool {
    !word.is_empty()
        && word.chars().any(|c| c.is_alphabetic())
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
}

/// Obsidian `#tags` of an inline text (outside code spans), and the text
/// without them (spaces folded).
pub fn split_tags(s: &str) -> (String, Vec<String>) {
    let mut kept = String::with_capacity(s.len());
    let mut tags = Vec::new();
    let mut in_code = false;
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        }
        let at_word_start = kept.is_empty() || kept.ends_with(char::is_whitespace);
        if c == '#' && !in_code && at_word_start {
            let word: String = rest[1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
                .collect();
            if is_tag_word(&word) {
                tags.push(word.clone());
                rest = &rest[1 + word.len()..];
                continue;
            }
        }
        kept.push(c);
        rest = &rest[c.len_utf8()..];
    }
    let folded = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    (folded, tags)
}

/// A question as a reader should see it: wikilinks as their words, tags
/// left out (they are the card's tags), `==` highlight marks removed.
pub fn clean_question(q: &str) -> (String, Vec<String>) {
    let q = wikilinks_to_text(q).replace("==", "");
    split_tags(&q)
}

/// An answer as the viewer should show it: outside code, `[[wikilinks]]`
/// as their words, `==highlights==` as bold, `#tags` as their word; a
/// `mermaid` block kept as a code block, labelled as a diagram.
pub fn clean_answer(md: &str) -> String {
    let mut out = String::with_capacity(md.len() + 16);
    let mut in_fence = false;
    for (i, line) in md.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            if !in_fence
                && t.trim_start_matches(['`', '~'])
                    .trim()
                    .eq_ignore_ascii_case("mermaid")
            {
                let indent = &line[..line.len() - t.len()];
                out.push_str(&format!("{indent}*다이어그램 (mermaid)*\n\n"));
            }
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        if in_fence {
            out.push_str(line);
            continue;
        }
        out.push_str(&clean_inline(line));
    }
    out
}

/// One line of an answer outside code blocks, cleaned as [`clean_answer`] says
/// (code spans are left as they are).
fn clean_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (k, part) in line.split('`').enumerate() {
        if k > 0 {
            out.push('`');
        }
        if k % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let part = wikilinks_to_text(part);
        // `==x==` → `**x**`: the marks come in pairs.
        let part = part.replace("==", "**");
        let mut rest = part.as_str();
        while let Some(c) = rest.chars().next() {
            let at_word_start =
                out.is_empty() || out.ends_with(char::is_whitespace) || out.ends_with(['(', '/']);
            if c == '#' && at_word_start {
                let word: String = rest[1..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
                    .collect();
                if is_tag_word(&word) {
                    out.push_str(&word);
                    rest = &rest[1 + word.len()..];
                    continue;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// `md` as one line of plain text: the words of links and images without
/// their targets, entities and escapes decoded, emphasis, `==highlight==`
/// marks and HTML tags left out, an ordered item's number kept, and every
/// line break or block boundary one space.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    };
    // The next number of each open list (`None` for a bullet list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let md = wikilinks_to_text(md);
    for event in Parser::new_ext(&md, super::parse::options()) {
        match event {
            Event::Text(t) => push_words(&mut out, &t.replace("==", "")),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push_words(&mut out, &t)
            }
            Event::Start(Tag::List(first)) => lists.push(first),
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                space(&mut out);
                if let Some(Some(n)) = lists.last_mut() {
                    out.push_str(&format!("{n}. "));
                    *n += 1;
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => space(&mut out),
            Event::End(_) | Event::Start(_) => {
                // A boundary between blocks or table cells is a space; one
                // between inline spans (emphasis, links) is not.
                if !matches!(
                    event,
                    Event::Start(
                        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }
                    ) | Event::End(
                        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                    )
                ) {
                    space(&mut out);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                if h.trim_start().to_ascii_lowercase().starts_with("<br") {
                    space(&mut out);
                }
            }
            Event::TaskListMarker(_) | Event::FootnoteReference(_) => {}
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    out
}

/// Append `text` with each run of whitespace as one space.
fn push_words(out: &mut String, text: &str) {
    for (i, word) in text.split_whitespace().enumerate() {
        let gap = i > 0 || (text.starts_with(char::is_whitespace) && !out.is_empty());
        if gap && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str(word);
    }
    if text.ends_with(char::is_whitespace) && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_is_left_out_of_plain_text() {
        for (md, plain) in [
            (
                "[Killercoda](https://killercoda.com/) 에서 포트접속 방법은?",
                "Killercoda 에서 포트접속 방법은?",
            ),
            (
                "deployment 삭제 &rarr; pod 삭제 &rarr; **stateless**",
                "deployment 삭제 → pod 삭제 → stateless",
            ),
            ("`docker run` 의 `-d` 옵션은?", "docker run 의 -d 옵션은?"),
            ("이미지는 ==읽기 전용== 레이어", "이미지는 읽기 전용 레이어"),
            ("a == b 인가요?", "a b 인가요?"),
            (r"\_id 와 \$HOME", "_id 와 $HOME"),
            ("첫 줄\n둘째 줄<br>셋째", "첫 줄 둘째 줄 셋째"),
            ("![도커 구조](img/arch.png) 설명", "도커 구조 설명"),
            ("3. 볼륨\n4. 네트워크", "3. 볼륨 4. 네트워크"),
            (
                "# 제목\n\n> 인용\n\n| a | b |\n|---|---|\n| 1 | 2 |",
                "제목 인용 a b 1 2",
            ),
            ("*강조*된 _말_", "강조된 말"),
            (
                "[[Pod 라이프사이클|라이프사이클]] 참고",
                "라이프사이클 참고",
            ),
            ("  ", ""),
        ] {
            assert_eq!(plain_text(md), plain, "{md}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_one_plain_line_without_double_spaces(md in "[a-c가 \n*_`=#>\\[\\]()!<br>&;.1-]{0,40}") {
            let p = plain_text(&md);
            proptest::prop_assert!(!p.contains('\n') && !p.contains("  "), "{:?}", p);
            proptest::prop_assert_eq!(p.trim(), p.as_str());
        }
    }

    #[test]
    fn placeholders_are_short_words_for_left_out() {
        for t in [" (생략) ", "TODO", "...", "- 추후 작성", "**TBD**", ""] {
            assert!(is_placeholder_text(t), "{t}");
        }
        assert!(!is_placeholder_text("생략하지 않은 설명"));
        assert!(is_placeholder("... …"));
        assert!(!is_placeholder("네"));
    }

    #[test]
    fn lists_ignore_case_marks_emoji_and_colons() {
        assert!(in_list(&["핵심 개념", "todo"], "📌 **핵심 개념**:"));
        assert!(in_list(&["todo"], "TODO"));
        assert!(!in_list(&["todo"], "todos"));
    }

    #[test]
    fn questions_are_told_by_mark_or_ending() {
        for q in [
            "볼륨은 무엇인가요",
            "왜 그런가요?",
            "차이가 뭔지?",
            "맞습니까.",
        ] {
            assert!(looks_like_question(q), "{q}");
        }
        for s in ["볼륨은 데이터를 남긴다.", "Pods", "설치 방법"] {
            assert!(!looks_like_question(s), "{s}");
        }
    }

    #[test]
    fn dedent_keeps_relative_nesting() {
        assert_eq!(dedent("  - a\n    - b", 2), "- a\n  - b");
        assert_eq!(dedent("\t- a", 4), "- a");
        assert_eq!(dedent(" x\n  y", 2), "x\ny");
    }

    #[test]
    fn answers_show_obsidian_markup_as_what_it_means() {
        assert_eq!(
            clean_answer(
                "- #Pod / #ReplicaSet 는 ==중요== [[Pod|포드]] `#not` #1\n```bash\n# comment ==x==\n```"
            ),
            "- Pod / ReplicaSet 는 **중요** 포드 `#not` #1\n```bash\n# comment ==x==\n```"
        );
        assert_eq!(
            clean_answer("구조\n```mermaid\ngraph TD\n```"),
            "구조\n*다이어그램 (mermaid)*\n\n```mermaid\ngraph TD\n```"
        );
    }

    #[test]
    fn obsidian_markup_reads_as_words() {
        assert_eq!(
            wikilinks_to_text("see [[Pod]] and [[a/b#c|here]]"),
            "see Pod and here"
        );
        assert_eq!(
            split_tags("K8s 필수 요소 #Pod / #ReplicaSet 와 `#not` #1"),
            (
                "K8s 필수 요소 / 와 `#not` #1".to_string(),
                vec!["Pod".to_string(), "ReplicaSet".to_string()]
            )
        );
        assert_eq!(
            clean_question("==컨테이너== 는 [[Pod]] #tag"),
            ("컨테이너 는 Pod".to_string(), vec!["tag".to_string()])
        );
    }
}
