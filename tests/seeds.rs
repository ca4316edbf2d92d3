//! The converter on the five real seed notes under `decks/notes/`.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::deck::{Card, CardKind};
use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, Conversion, NoteInput};

/// The five seed notes, as the program bundles them, named as they are
/// under `decks/` (`notes/course-t2-23-2.md`, `notes/book/book-notes.md`).
fn seed_inputs() -> Vec<NoteInput> {
    let (files, failures) = notes::folder::list(&notes::folder::Source::Bundled);
    assert!(failures.is_empty());
    assert_eq!(files.len(), 5);
    files
        .iter()
        .map(|f| NoteInput::new(&format!("notes/{}", f.name), &f.deck, f.read().unwrap()))
        .collect()
}

fn convert_seeds() -> Conversion {
    notes::convert(&seed_inputs(), &Classifier::bundled(), &[], vec![])
}

fn cards_of<'a>(c: &'a Conversion, note: &str) -> Vec<&'a Card> {
    c.cards()
        .filter(|card| card.sources.iter().any(|s| s.file.ends_with(note)))
        .collect()
}

#[test]
fn course_logs_give_the_exact_card_and_unanswered_counts() {
    let c = convert_seeds();
    let expect = [
        ("course-t3-23-3.md", 13, 1),
        ("course-t2-23-2.md", 71, 1),
        ("course-t3-23-5.md", 17, 4),
    ];
    for (note, cards, unanswered) in expect {
        let report = c.notes.iter().find(|n| n.name.ends_with(note)).unwrap();
        assert_eq!(&*report.deck, "course", "{note}");
        assert_eq!(report.kinds.values().sum::<usize>(), cards, "{note} cards");
        assert_eq!(report.unanswered.len(), unanswered, "{note} unanswered");
    }
    let t2 = c
        .notes
        .iter()
        .find(|n| n.name.ends_with("course-t2-23-2.md"))
        .unwrap();
    assert_eq!(t2.unanswered[0].line, 464);
    let t5 = c
        .notes
        .iter()
        .find(|n| n.name.ends_with("course-t3-23-5.md"))
        .unwrap();
    let lines: Vec<usize> = t5.unanswered.iter().map(|u| u.line).collect();
    assert_eq!(lines, [20, 62, 138, 140]);
}

#[test]
fn answers_keep_code_images_and_continuations() {
    let c = convert_seeds();
    let t2 = cards_of(&c, "course-t2-23-2.md");
    // Images at column 0 after a blank line belong to the Killercoda answer.
    let killer = t2
        .iter()
        .find(|c| c.question.contains("Killercoda"))
        .unwrap();
    assert!(killer.answer.contains("![](./img/killercoda_port_2.png)"));
    // A fenced block at column 0 and an indented bullet after it stay with the klog question.
    let klog = t2
        .iter()
        .find(|c| c.question.contains("kubectl logs"))
        .unwrap();
    assert!(klog.answer.contains("```bash\nLmmdd hh:mm:ss"));
    assert!(klog.answer.contains("- 참고로 아래 nginx의 로그는"));
    assert!(
        klog.answer
            .contains("controlplane $ kubectl logs kube-scheduler")
    );
    // Code fence content never becomes questions: no question starts with a shell prompt.
    assert!(t2.iter().all(|c| !c.question.starts_with("ubuntu")));
    // Nested answer bullets are dedented to the left margin.
    let hyper = t2
        .iter()
        .find(|c| c.question.starts_with("Hypervisor"))
        .unwrap();
    assert!(hyper.answer.starts_with("- 가상머신"), "{}", hyper.answer);
    assert_eq!(hyper.sources[0].line, 14);
    assert_eq!(
        &hyper.section[..],
        [
            "Docker & Kubernetes 노트 (MSP T2 23-2차) (●'◡'●)",
            "Q&A",
            "Docker"
        ]
    );
}

#[test]
fn plan_section_bullets_are_not_cards() {
    let c = convert_seeds();
    let t3 = cards_of(&c, "course-t3-23-3.md");
    assert!(t3.iter().all(|c| !c.question.contains("일차")));
    assert_eq!(t3[0].sources[0].line, 35);
}

#[test]
fn book_notes_give_cards_of_every_kind_and_no_empty_ones() {
    let c = convert_seeds();
    let book: Vec<&Card> = c.cards().filter(|c| &*c.deck == "book").collect();
    for kind in CardKind::ALL {
        let n = book.iter().filter(|c| c.kind == kind).count();
        assert!(n >= 3, "{kind:?}: {n}");
    }
    for card in &book {
        assert!(!card.question.trim().is_empty(), "{card:?}");
        assert!(!card.answer.trim().is_empty(), "{card:?}");
        assert!(
            &*card.chapter != "00",
            "book card without chapter: {card:?}"
        );
    }
    let q = |s: &str| book.iter().find(|c| c.question == s);
    let pods = q("**Pods**").expect("definition of Pods");
    assert_eq!(pods.kind, CardKind::Definition);
    assert!(pods.answer.starts_with("**컨테이너의 집합**"));
    assert!(pods.answer.contains("컨테이너 application의 기본 단위"));
    assert_eq!(&*pods.chapter, "06");
    let stop = q("STOPSIGNAL 명령어").expect("section card for STOPSIGNAL");
    assert_eq!(stop.kind, CardKind::Section);
    assert_eq!(&*stop.chapter, "02");
    let compose = q("도커 컴포즈를 사용하는 이유").expect("section card 4.1");
    assert_eq!(&*compose.chapter, "04");
    assert_eq!(&*compose.chapter_title, "도커 컴포즈");
    let cloze = book
        .iter()
        .find(|c| c.kind == CardKind::Cloze && c.answer == "Pods를 관리하는 컨트롤러")
        .expect("cloze");
    assert_eq!(cloze.question, "**Replica Set** : [...]");
}

#[test]
fn book_notes_make_no_junk_cards() {
    let c = convert_seeds();
    let junk = [
        "생략",
        "요약",
        "기간",
        "목표",
        "일일 학습시간",
        "핵심 개념",
        "실습 내용",
        "배운 내용",
        "적용해볼 내용",
    ];
    for card in c.cards().filter(|c| &*c.deck == "book") {
        let q = card.question.replace("**", "");
        assert!(!junk.contains(&q.trim()), "junk card: {card:?}");
        assert!(
            !card.answer.trim().starts_with("<img"),
            "image-only: {card:?}"
        );
    }
    let log = c
        .notes
        .iter()
        .find(|n| n.name.ends_with("book-study-log.md"))
        .unwrap();
    let reasons: Vec<&str> = log.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons.contains(&"study-plan metadata"));
    assert!(reasons.contains(&"to-do list"));
    assert!(reasons.contains(&"placeholder body"));
    assert!(reasons.contains(&"table-only body"));
    // No card from the to-do list of Day 2.
    assert!(c.cards().all(|c| !c.question.contains("골든 이미지")));
}

#[derive(serde::Deserialize)]
struct Label {
    file: String,
    line: usize,
    chapter: String,
    question: String,
}

#[test]
fn chapter_accuracy_on_hand_labels_is_at_least_90_percent() {
    let c = convert_seeds();
    let labels: Vec<Label> =
        serde_json::from_str(include_str!("chapter_labels.json")).expect("labels parse");
    assert_eq!(labels.len(), 101);
    let note_of = |f: &str| match f {
        "seed:000" => "course-t3-23-3.md",
        "seed:001" => "course-t2-23-2.md",
        "seed:002" => "course-t3-23-5.md",
        other => panic!("unknown label file {other}"),
    };
    let mut right = 0;
    let mut wrong = Vec::new();
    for l in &labels {
        let note = note_of(&l.file);
        let card = c
            .cards()
            .find(|c| {
                c.sources
                    .iter()
                    .any(|s| s.file.ends_with(note) && s.line == l.line)
            })
            .unwrap_or_else(|| panic!("no card at {note}:{}", l.line));
        if *card.chapter == l.chapter {
            right += 1;
        } else {
            wrong.push(format!(
                "  {note}:{} want {} got {}: {}",
                l.line, l.chapter, card.chapter, l.question
            ));
        }
    }
    let accuracy = right as f64 / labels.len() as f64;
    println!(
        "chapter accuracy: {right}/{} = {:.1}%",
        labels.len(),
        accuracy * 100.0
    );
    for w in &wrong {
        println!("{w}");
    }
    assert!(
        accuracy >= 0.90,
        "chapter accuracy {:.1}% < 90%",
        accuracy * 100.0
    );
}

fn book_cards(c: &Conversion) -> Vec<&Card> {
    c.cards().filter(|c| &*c.deck == "book").collect()
}

fn book_card<'a>(c: &'a Conversion, question_has: &str) -> &'a Card {
    book_cards(c)
        .into_iter()
        .find(|c| c.question.contains(question_has))
        .unwrap_or_else(|| panic!("no book card asking {question_has:?}"))
}

#[test]
fn a_statement_bullet_keeps_its_nested_explanation() {
    let c = convert_seeds();
    let pid = book_card(&c, "상태 관측에 문제가 생길 수 있다");
    assert!(
        pid.answer.contains("**PID 1**") && pid.answer.contains("exec \"$@\""),
        "{}",
        pid.answer
    );
    let leave = book_card(&c, "`docker swarm leave` 명령어로 가능");
    assert!(leave.answer.contains("docker swarm leave --force"));
    let moves = book_card(&c, "매니저에서 워커로의 이동");
    assert!(
        moves.answer.contains("docker node promote") && moves.answer.contains("docker node demote")
    );
    let secret = book_card(&c, "`secret`, `config` 기능을 제공한다");
    assert!(secret.answer.contains("민감한 정보"));
    let mac = book_card(&c, "MacOS에서는 이보다 좀 더 복잡한");
    assert!(mac.answer.contains("bridge102") && mac.answer.contains("veth pairs"));
    // Statements after a bold term go on with its answer.
    let volume = book_card(&c, "**도커 볼륨 (-v)**");
    assert!(volume.answer.contains("**stateless**") && volume.answer.contains("데이터는 보존된다"));
}

#[test]
fn a_heading_that_gives_the_answer_away_is_no_question() {
    let c = convert_seeds();
    for q in [
        "쿠버네티스 리소스의 관리와 설정",
        "Docker Desktop on Mac / Windows 쿠버네티스 사용",
    ] {
        assert!(book_cards(&c).iter().all(|card| card.question != q), "{q}");
    }
    let skipped: Vec<(usize, &str)> = c
        .notes
        .iter()
        .flat_map(|n| n.skipped.iter().map(|s| (s.line, s.reason.as_str())))
        .collect();
    assert!(
        skipped.contains(&(78, "a list of tags, not an answer")),
        "{skipped:?}"
    );
    assert!(
        skipped.contains(&(602, "the heading already says what its one line does")),
        "{skipped:?}"
    );
    // The section's own definition bullet is still a card.
    assert_eq!(
        book_card(&c, "Configmap, Secret").answer,
        "설정 값을 포드에 전달"
    );
}

#[test]
fn a_long_block_of_code_is_not_one_card_and_diagrams_are_labelled() {
    let c = convert_seeds();
    for card in book_cards(&c) {
        let lines = card.answer.lines().count();
        assert!(
            lines <= 30 || !card.answer.contains("```yaml"),
            "{}: {lines} lines",
            card.question
        );
        assert!(!card.question.contains("```"));
        if let Some(at) = card.answer.find("```mermaid") {
            assert!(
                card.answer[..at]
                    .trim_end()
                    .ends_with("*다이어그램 (mermaid)*"),
                "{}",
                card.question
            );
        }
    }
    assert!(
        book_cards(&c)
            .iter()
            .all(|card| card.question != "서비스 정의")
    );
    let depends = book_card(&c, "`links`와 `depends_on`은 컨테이너의 가동만을 확인");
    assert!(depends.answer.contains("sync_script.sh"));
    let diagrams = book_cards(&c)
        .iter()
        .filter(|card| card.answer.contains("*다이어그램 (mermaid)*"))
        .count();
    assert!(diagrams >= 2, "{diagrams}");
}

#[test]
fn obsidian_markup_is_shown_as_what_it_means() {
    let c = convert_seeds();
    let tag = |s: &str| {
        s.split_whitespace()
            .any(|w| w.starts_with('#') && w.chars().nth(1).is_some_and(char::is_alphabetic))
    };
    for card in book_cards(&c) {
        assert!(
            !card.question.contains("[[") && !card.question.contains("=="),
            "{}",
            card.question
        );
        assert!(!tag(&card.question), "{}", card.question);
        let prose: String = card
            .answer
            .split("```")
            .step_by(2)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            !prose.contains("[[") && !prose.contains("=="),
            "{}: {}",
            card.question,
            card.answer
        );
    }
    // A wikilink shows its words; a tag its word.
    assert!(
        book_card(&c, "**컨테이너를 외부에 노출**")
            .answer
            .contains("포트포워딩.excalidraw")
    );
    assert!(
        book_card(&c, "**Pods**")
            .answer
            .contains("리눅스 Namespace")
    );
    assert_eq!(
        book_card(&c, "**Replica Set**").answer.lines().next(),
        Some("**Pods를 관리하는 컨트롤러**")
    );
}

#[test]
fn why_pairs_inside_a_definition_are_cards_of_their_own() {
    let c = convert_seeds();
    let pods = book_card(&c, "Pods: Why not docker container?");
    assert!(pods.answer.starts_with("리눅스 Namespace 를 공유하는"));
    assert_eq!(&*pods.chapter, "06");
    book_card(&c, "Deployment: Why Replica Set 있는데 deployment를 쓰나?");
}

#[test]
fn no_two_book_cards_ask_the_same_thing() {
    let c = convert_seeds();
    let mut seen = std::collections::HashMap::new();
    for card in book_cards(&c) {
        let q = notes::identity::normalise_question(&card.question);
        if let Some(other) = seen.insert(q.clone(), card.question.clone()) {
            panic!("{other:?} and {:?} ask the same", card.question);
        }
    }
    assert!(
        book_cards(&c)
            .iter()
            .any(|c| c.question == "**도커의 구조** (도커 엔진)")
    );
    assert!(
        book_cards(&c)
            .iter()
            .any(|c| c.question == "도커의 구조 (도커파일과 도커 데몬)")
    );
}
