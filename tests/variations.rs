//! Q&A log variations the seed notes do not show, and identity across edits
//! of the real seed notes.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::deck::Card;
use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, NoteInput};
use proptest::prelude::*;

fn convert(name: &str, text: &str) -> notes::Conversion {
    notes::convert(
        &[NoteInput::new(name, "notes", text.into())],
        &Classifier::bundled(),
        &[],
        vec![],
    )
}

const VARIANTS: &str = "\
# Kubernetes Q&A

## [Kubernetes](https://kubernetes.io) 서비스

* Service의 port와 targetPort 차이는 뭔가요?
   * port는 서비스가 받는 포트입니다.
   * targetPort는 Pod의 포트입니다.

* ClusterIP 는 외부에서 접근되나요?
    1. 아니오, 클러스터 내부 전용입니다.
    2. 외부 공개는 NodePort나 LoadBalancer를 씁니다.

* Ingress 예시가 있나요?
```yaml
kind: Ingress
# 주석
- not a question
---
```
  * 위 YAML처럼 작성합니다.

* DNS 이름은 어떻게 되나요?

서비스 이름.네임스페이스.svc.cluster.local 형식입니다.

> 참고: CoreDNS가 담당합니다.

* 변수는 \\$HOME 이나 my\\_var 처럼 이스케이프하나요?
  * 네, 마크다운에서는 그렇습니다.

* 아직 답이 없는 질문인가요?
  * …";

#[test]
fn variant_log_gives_one_card_per_answered_question() {
    for (label, text) in [
        ("lf", VARIANTS.to_string()),
        ("crlf", VARIANTS.replace('\n', "\r\n")),
        ("final newline", format!("{VARIANTS}\n")),
    ] {
        let c = convert("v.md", &text);
        let cards: Vec<&Card> = c.cards().collect();
        assert_eq!(cards.len(), 5, "{label}: {:#?}", cards);
        assert_eq!(c.notes[0].unanswered.len(), 1, "{label}");
        assert_eq!(c.notes[0].unanswered[0].line, 31, "{label}");
        let ingress = cards
            .iter()
            .find(|c| c.question.contains("Ingress"))
            .unwrap();
        assert!(ingress.answer.contains("- not a question"), "{label}");
        assert!(
            ingress.answer.ends_with("* 위 YAML처럼 작성합니다."),
            "{label}: {}",
            ingress.answer
        );
        let dns = cards.iter().find(|c| c.question.contains("DNS")).unwrap();
        assert!(dns.answer.contains("svc.cluster.local"));
        assert!(dns.answer.contains("> 참고"));
        let cluster = cards
            .iter()
            .find(|c| c.question.contains("ClusterIP"))
            .unwrap();
        assert!(
            cluster.answer.starts_with("1. 아니오"),
            "{}",
            cluster.answer
        );
        let esc = cards
            .iter()
            .find(|c| c.question.contains("이스케이프"))
            .unwrap();
        assert!(esc.question.contains("\\$HOME"));
        assert_eq!(cards[0].section[1], "Kubernetes 서비스");
        assert_eq!(cards[0].sources[0].line, 5);
        for card in &cards {
            assert_eq!(&*card.chapter, "10", "{label}: {}", card.question);
        }
    }
}

fn seed(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("decks/notes")
            .join(name),
    )
    .unwrap()
}

fn ids_by_line(c: &notes::Conversion) -> std::collections::HashMap<usize, String> {
    c.cards()
        .map(|card| (card.sources[0].line, card.id.0.to_string()))
        .collect()
}

#[test]
fn re_conversion_keeps_ids_of_unchanged_and_lightly_edited_questions() {
    let name = "notes/course-t2-23-2.md";
    let original = seed("course-t2-23-2.md");
    let first = convert(name, &original);
    let before: Vec<Card> = first.cards().cloned().collect();
    let ids = ids_by_line(&first);

    let edited = original
        // typo fix
        .replace("Hypervisor라는 레이어는 어떤 역할을 해주는건가요?", "Hypervisor라는 레이어는 어떤 역할을 해 주는 건가요?")
        // added word
        .replace("- Volume 만들 때 용량은 지정할 수 있나요?", "- Docker Volume 만들 때 용량은 지정할 수 있나요?")
        // answer edited, question unchanged
        .replace("  - 위의 레이어가 우선합니다.", "  - 위의 레이어가 우선합니다. (OverlayFS)")
        // removed question (and its answer)
        .replace("- 현업에서는 Volume을 더 많이 사용하나요?\n  - Kubernetes를 통해서 사용하는 경우가 많기 때문에, Kubernetes의 Volume을 사용합니다. (내일 배우게됩니다.)\n", "")
        // a brand-new question
        .replace("### Kubernetes\n", "### Kubernetes\n\n- Kubernetes의 etcd는 무엇을 저장하나요?\n  - 클러스터의 모든 상태를 저장합니다.\n");
    let second = notes::convert(
        &[NoteInput::new(name, "notes", edited)],
        &Classifier::bundled(),
        &before,
        vec![],
    );
    let find = |c: &notes::Conversion, q: &str| {
        c.cards()
            .find(|card| card.question.contains(q))
            .unwrap()
            .id
            .0
            .clone()
    };
    assert_eq!(
        find(&second, "해 주는 건가요"),
        ids[&14],
        "typo fix keeps id"
    );
    assert_eq!(
        find(&second, "Docker Volume 만들 때"),
        ids[&158],
        "added word keeps id"
    );
    assert_eq!(
        find(&second, "같은 경로의 같은 이름"),
        ids[&38],
        "answer edit keeps id"
    );
    let etcd = find(&second, "etcd는 무엇을");
    assert!(
        before.iter().all(|c| c.id.0 != etcd),
        "new question gets a new id"
    );
    let ch = &second.changes;
    assert_eq!(ch.new.len(), 1, "{ch:?}");
    assert_eq!(ch.removed.len(), 1, "{ch:?}");
    assert_eq!(ch.removed[0].0, ids[&185]);
    // 3 edited cards; the cards after removed or added lines only moved
    // (their lines are new, their content is not): kept.
    assert_eq!(ch.changed.len(), 3, "{ch:?}");
    assert_eq!(ch.kept.len() + ch.changed.len(), 70);
}

#[test]
fn converting_twice_keeps_every_card() {
    let name = "notes/course-t3-23-5.md";
    let text = seed("course-t3-23-5.md");
    let first = convert(name, &text);
    let before: Vec<Card> = first.cards().cloned().collect();
    let second = notes::convert(
        &[NoteInput::new(name, "notes", text)],
        &Classifier::bundled(),
        &before,
        vec![],
    );
    assert_eq!(second.changes.kept.len(), 17);
    assert!(second.changes.new.is_empty() && second.changes.changed.is_empty());
    assert!(second.changes.removed.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parser_never_panics_on_arbitrary_text(s in "\\PC*") {
        let _ = notes::shape::extract_text("p.md", &s);
    }

    #[test]
    fn parser_never_panics_on_markdown_like_text(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("- q?".to_string()), Just("  - a".to_string()), Just(" - a".to_string()),
                Just("```".to_string()), Just("## H".to_string()), Just("##H".to_string()),
                Just("---".to_string()), Just("> q".to_string()), Just("1. x".to_string()),
                Just("\t- t".to_string()), Just("==hi== : x".to_string()), Just("**t** : d".to_string()),
                Just(String::new()), "[ -~가-힣]{0,12}",
            ],
            0..40,
        )
    ) {
        let text = lines.join("\n");
        if let Ok(e) = notes::shape::extract_text("p.md", &text) {
            for c in &e.found.cards {
                prop_assert!(!c.question.trim().is_empty());
                prop_assert!(c.line >= 1 && c.line <= text.lines().count().max(1));
            }
        }
    }
}
