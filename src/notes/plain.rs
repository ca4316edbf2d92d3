//! A card side's Markdown as one line of plain text, for lists and tables:
//! what a reader sees of it, without the syntax.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

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
    for event in Parser::new_ext(md, super::parse::options()) {
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
    fn markdown_syntax_is_left_out() {
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
            ("  ", ""),
        ] {
            assert_eq!(plain_text(md), plain, "{md}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_one_line_without_double_spaces(md in "[a-c가 \n*_`=#>\\[\\]()!<br>&;.1-]{0,40}") {
            let p = plain_text(&md);
            proptest::prop_assert!(!p.contains('\n') && !p.contains("  "), "{:?}", p);
            proptest::prop_assert_eq!(p.trim(), p.as_str());
        }
    }

    #[test]
    fn the_bundled_cards_read_as_plain_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
        let cards: Vec<crate::deck::Card> = crate::store::decks::read_decks(&dir)
            .expect("bundled decks")
            .into_iter()
            .flat_map(|d| d.cards)
            .collect();
        let mut links = 0;
        for c in &cards {
            let p = plain_text(&c.question);
            assert!(!p.trim().is_empty(), "{}", c.question);
            assert!(!p.contains('\n') && !p.contains("  "), "{p}");
            for syntax in ["](", "&rarr;", "**", "&gt;", "<br"] {
                assert!(!p.contains(syntax), "{p}");
            }
            links += usize::from(c.question.contains("]("));
        }
        assert!(links > 0, "no question with a link");
    }
}
