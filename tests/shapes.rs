//! Each way of writing questions, on notes written the way other learners
//! write them (`tests/fixtures/shapes/`): the exact questions and answers
//! each gives, its questions without answers, decks and chapters from the
//! note's own structure, and no junk card from any fixture.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::deck::Card;
use bokseup::notes::chapters::Classifier;
use bokseup::notes::{self, Conversion, NoteInput};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shapes")
}

fn convert(file: &str) -> Conversion {
    let text = std::fs::read_to_string(fixtures().join(file)).unwrap();
    notes::convert(
        &[NoteInput::new(file, "shapes", text)],
        &Classifier::bundled(),
        &[],
        vec![],
    )
}

/// The note `file` gives exactly these cards (line, question, answer), in
/// note order, and reports exactly these lines as questions without answers.
fn check(file: &str, cards: &[(usize, &str, &str)], unanswered: &[usize]) {
    let c = convert(file);
    let got: Vec<(usize, &str, &str)> = c
        .cards()
        .map(|c| (c.sources[0].line, c.question.as_str(), c.answer.as_str()))
        .collect();
    assert_eq!(got, cards, "{file}");
    let lines: Vec<usize> = c.notes[0].unanswered.iter().map(|u| u.line).collect();
    assert_eq!(lines, unanswered, "{file}: unanswered");
    assert!(c.failures.is_empty(), "{file}: {:?}", c.failures);
}

#[test]
fn fixture_bullets_interview() {
    check(
        "1-bullets-interview.md",
        &[
            (
                3,
                "JVM의 메모리 구조는 어떻게 되나요?",
                "* Method Area, Heap, Stack, PC Register, Native Method Stack",
            ),
            (
                5,
                "GC는 언제 일어나나요?",
                "* Eden 영역이 가득 차면 Minor GC가 일어납니다.\n* Old 영역이 가득 차면 Major GC가 일어납니다.",
            ),
            (
                8,
                "String과 StringBuilder의 차이는?",
                "* String은 불변, StringBuilder는 가변입니다.",
            ),
        ],
        &[10],
    );
}

#[test]
fn fixture_bullets_k8s() {
    check(
        "1-bullets-k8s.md",
        &[
            (
                5,
                "Pod 안의 컨테이너들은 무엇을 공유하나요?",
                "- 네트워크 네임스페이스(IP, 포트)와 볼륨을 공유합니다.\n- 그래서 `localhost`로 서로 통신할 수 있습니다.",
            ),
            (
                9,
                "Pod가 재시작되면 IP도 바뀌나요?",
                "- 네, Pod IP는 고정되지 않습니다.\n- 고정된 주소가 필요하면 Service를 씁니다.",
            ),
            (
                13,
                "initContainer는 언제 쓰나요?",
                "- 메인 컨테이너보다 먼저 실행되어야 하는 준비 작업에 씁니다.\n\n```yaml\ninitContainers:\n- name: wait-db\n  image: busybox\n```\n\n- 위처럼 `- name:` 으로 시작하는 줄도 답의 일부입니다.",
            ),
            (
                24,
                "ClusterIP와 NodePort의 차이는 뭔가요?",
                "- ClusterIP는 클러스터 안에서만 접근됩니다.\n- NodePort는 각 노드의 포트로 외부에 공개합니다.",
            ),
        ],
        &[28],
    );
}

#[test]
fn fixture_details_network() {
    check(
        "2-details-network.md",
        &[(
            3,
            "TCP 3-way handshake를 설명해 주세요.",
            "1. 클라이언트가 SYN을 보냅니다.\n2. 서버가 SYN+ACK로 답합니다.\n3. 클라이언트가 ACK를 보냅니다.\n\n```\nClient --SYN--> Server\n```",
        )],
        &[],
    );
}

#[test]
fn fixture_details_os() {
    check(
        "2-details-os.md",
        &[
            (
                5,
                "프로세스와 스레드의 차이는?",
                "프로세스는 **독립된 메모리 공간**을 가집니다.\n\n- 스레드는 프로세스 안에서 Heap, Data, Code 영역을 공유합니다.\n- 스레드마다 Stack은 따로 가집니다.",
            ),
            (
                15,
                "컨텍스트 스위칭이란?",
                "CPU가 실행 중인 프로세스의 상태(PCB)를 저장하고 다른 프로세스의 상태를 불러오는 것입니다.\n\n<details>\n<summary>PCB에는 무엇이 들어 있나요?</summary>\n\nPID, 프로그램 카운터, 레지스터, 메모리 정보\n\n</details>",
            ),
            (
                20,
                "PCB에는 무엇이 들어 있나요?",
                "PID, 프로그램 카운터, 레지스터, 메모리 정보",
            ),
            (
                29,
                "데드락의 네 가지 조건은?",
                "상호 배제, 점유 대기, 비선점, 순환 대기",
            ),
        ],
        &[33],
    );
}

#[test]
fn fixture_headings_db() {
    check(
        "3-headings-db.md",
        &[
            (
                1,
                "인덱스란",
                "검색 속도를 높이기 위해 컬럼 값을 정렬해 둔 자료구조입니다.",
            ),
            (
                5,
                "트랜잭션 격리 수준은 무엇인가",
                "- READ UNCOMMITTED\n- READ COMMITTED\n- REPEATABLE READ\n- SERIALIZABLE",
            ),
        ],
        &[12],
    );
}

#[test]
fn fixture_headings_docker() {
    check(
        "3-headings-docker.md",
        &[
            (
                3,
                "컨테이너란?",
                "호스트 OS의 커널을 공유하면서 격리된 환경에서 실행되는 프로세스입니다.\n\n### 예시\n\n`docker run -d nginx` 로 nginx 컨테이너를 실행합니다.",
            ),
            (
                11,
                "이미지와 컨테이너의 차이",
                "이미지는 읽기 전용 템플릿이고, 컨테이너는 이미지에 쓰기 가능한 레이어를 더한 실행 인스턴스입니다.",
            ),
            (
                15,
                "설치 방법",
                "Docker Desktop을 내려받아 설치합니다. 리눅스에서는 패키지 관리자로 설치합니다.",
            ),
            (
                19,
                "볼륨은 어디에 저장되나요?",
                "기본은 `/var/lib/docker/volumes` 아래입니다.\n\n#### 볼륨과 바인드 마운트는 무엇이 다른가요?\n\n볼륨은 도커가 관리하고, 바인드 마운트는 호스트 경로를 직접 씁니다.",
            ),
        ],
        &[],
    );
}

#[test]
fn fixture_numbered_os() {
    check(
        "4-numbered-os.md",
        &[
            (
                3,
                "프로세스란 무엇인가요?",
                "실행 중인 프로그램으로, 운영체제로부터 자원을 할당받는 작업의 단위입니다.",
            ),
            (
                5,
                "컨텍스트 스위칭이란?",
                "- CPU가 다른 프로세스로 넘어갈 때 상태를 저장하고 복원하는 과정입니다.\n\n잦으면 오버헤드가 커집니다.",
            ),
            (
                9,
                "세마포어는 무엇인가요?",
                "공유 자원에 접근할 수 있는 프로세스의 수를 제한하는 정수 변수입니다.\n\n```c\nsem_wait(&s);\nsem_post(&s);\n```",
            ),
        ],
        &[18],
    );
}

#[test]
fn fixture_numbered_steps() {
    check(
        "4-numbered-steps.md",
        &[
            (
                1,
                "쿠버네티스 설치 순서",
                "1. swap을 끈다\n2. 컨테이너 런타임을 설치한다\n3. kubeadm으로 클러스터를 초기화한다",
            ),
            (
                9,
                "swap을 꺼야 하는 이유는?",
                "kubelet이 swap이 켜진 노드에서는 기본으로 실행되지 않기 때문입니다.",
            ),
            (
                11,
                "kubeadm init 다음에는 무엇을 하나요?",
                "CNI 플러그인을 설치합니다.",
            ),
        ],
        &[],
    );
}

#[test]
fn fixture_qa_lines() {
    check(
        "5-qa-lines.md",
        &[
            (
                3,
                "이미지와 컨테이너의 차이는?",
                "이미지는 읽기 전용 템플릿이고,\n컨테이너는 그 이미지를 실행한 인스턴스입니다.",
            ),
            (
                7,
                "볼륨은 어디에 있나요?",
                "`/var/lib/docker/volumes` 아래에 있습니다.\n\n- `docker volume inspect` 로 확인할 수 있습니다.",
            ),
            (
                13,
                "레이어 캐시는 언제 깨지나요?",
                "그 줄의 명령이나 복사한 파일이 바뀌면 그 레이어부터 다시 만듭니다.\n\n```bash\n# Q: 코드 안의 이 줄은 질문이 아닙니다\necho \"A: 답도 아닙니다\"\n```",
            ),
            (
                21,
                "멀티 스테이지 빌드는 왜 쓰나요?",
                "빌드 도구를 최종 이미지에서 빼서 이미지를 작게 만들기 위해서입니다.",
            ),
        ],
        &[24],
    );
}

#[test]
fn fixture_osr() {
    check(
        "6-osr.md",
        &[
            (3, "컨테이너 런타임", "containerd, CRI-O"),
            (4, "Pod", "쿠버네티스 배포의 가장 작은 단위"),
            (4, "쿠버네티스 배포의 가장 작은 단위", "Pod"),
            (5, "`kubectl get pods -A`", "모든 네임스페이스의 Pod 목록"),
            (
                7,
                "롤링 업데이트의 장점은",
                "중단 없이 새 버전으로 바꿀 수 있다",
            ),
            (
                11,
                "DaemonSet과 Deployment",
                "DaemonSet은 노드마다 하나, Deployment는 지정한 개수",
            ),
            (
                11,
                "DaemonSet은 노드마다 하나, Deployment는 지정한 개수",
                "DaemonSet과 Deployment",
            ),
            (15, "이미지는 [...] 레이어들이다.", "읽기 전용"),
            (
                15,
                "컨테이너는 그 위에 [...] 레이어를 더한다.",
                "쓰기 가능한",
            ),
        ],
        &[],
    );
}

#[test]
fn fixture_tables() {
    check(
        "7-tables.md",
        &[
            (
                5,
                "`kubectl get`",
                "리소스 목록을 봅니다  \n**예시**: `kubectl get pods`",
            ),
            (
                6,
                "`kubectl describe`",
                "리소스의 상세 정보와 이벤트를 봅니다",
            ),
            (
                7,
                "`kubectl logs`",
                "컨테이너 로그를 봅니다  \n**예시**: `kubectl logs -f web`",
            ),
            (
                13,
                "HPA",
                "CPU 사용률 등에 따라 Pod 수를 늘리고 줄이는 오토스케일러",
            ),
            (14, "PVC", "사용자가 스토리지를 요청하는 오브젝트"),
        ],
        &[],
    );
}

#[test]
fn fixture_mixed_til() {
    check(
        "8-mixed-til.md",
        &[
            (
                10,
                "Pod Phase는 무엇인가요?",
                "Pending, Running, Succeeded, Failed, Unknown 다섯 가지입니다.",
            ),
            (16, "**Waiting**", "아직 시작하지 않은 상태"),
            (17, "**Running**", "실행 중인 상태"),
            (18, "**Terminated**", "실행을 마친 상태"),
            (
                20,
                "Running Phase와 Running 컨테이너 상태는 같은 것인가요?",
                "아닙니다. Phase는 Pod 전체의 요약이고, 컨테이너 상태는 컨테이너 하나의 상태입니다.",
            ),
        ],
        &[],
    );
}

#[test]
fn decks_and_chapters_come_from_the_note_itself() {
    let chapters = |file: &str| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = convert(file)
            .cards()
            .map(|c| (c.deck.to_string(), c.chapter.to_string()))
            .collect();
        v.dedup();
        v
    };
    // A bullet log about the course's topics keeps the course chapters.
    assert!(
        chapters("1-bullets-k8s.md")
            .iter()
            .all(|(d, ch)| d == "course" && ch != "00")
    );
    // A bullet log about something else stays in its folder's deck.
    assert_eq!(
        chapters("1-bullets-interview.md"),
        [("shapes".to_string(), "1-bullets-interview".to_string())]
    );
    // A note with one title: its chapter is the title (tags left out).
    assert_eq!(
        chapters("6-osr.md"),
        [("shapes".to_string(), "쿠버네티스 용어 카드".to_string())]
    );
    // Front matter is not a heading.
    assert_eq!(
        chapters("8-mixed-til.md"),
        [("shapes".to_string(), "TIL: Pod 라이프사이클".to_string())]
    );
}

#[test]
fn skipped_items_are_reported_with_their_line_and_reason() {
    let c = convert("7-tables.md");
    let skipped: Vec<(usize, &str)> = c.notes[0]
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.as_str()))
        .collect();
    assert_eq!(skipped, [(16, "table-only body")]);
    let c = convert("8-mixed-til.md");
    assert!(
        c.notes[0]
            .skipped
            .iter()
            .any(|s| s.reason == "a table of contents")
    );
}

/// What no card may ask: nothing, a bare number, an id such as `DOCKER-003`,
/// or only links.
fn junk(card: &Card) -> Option<&'static str> {
    let q = bokseup::notes::text::plain_text(&card.question);
    let q = q.trim();
    if q.is_empty() {
        return Some("empty");
    }
    if q.chars()
        .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace())
    {
        return Some("a number");
    }
    let upper_id = q.contains(['-', '_'])
        && !q.contains(' ')
        && q.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if upper_id {
        return Some("an id");
    }
    let without_links = card
        .question
        .split("](")
        .skip(1)
        .map(|rest| rest.split_once(')').map_or("", |(_, after)| after))
        .collect::<String>();
    if card.question.contains("](") && !without_links.chars().any(char::is_alphanumeric) {
        let before_first = card.question.split('[').next().unwrap_or("");
        if !before_first.chars().any(char::is_alphanumeric) {
            return Some("links only");
        }
    }
    None
}

#[test]
fn no_fixture_and_no_seed_note_gives_a_junk_question() {
    let mut inputs = Vec::new();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        inputs.push(NoteInput::new(
            &name,
            "shapes",
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    let (seeds, _) = notes::folder::list(&notes::folder::Source::Bundled);
    for f in seeds {
        inputs.push(NoteInput::new(&f.name, &f.deck, f.read().unwrap()));
    }
    let c = notes::convert(&inputs, &Classifier::bundled(), &[], vec![]);
    assert!(c.cards().count() > 220, "{}", c.cards().count());
    for card in c.cards() {
        assert_eq!(junk(card), None, "{card:?}");
        assert!(!card.answer.trim().is_empty(), "{card:?}");
    }
}

#[test]
fn a_hundred_highlights_give_a_hundred_clozes_of_their_own_sentences() {
    let para: String = (0..100)
        .map(|i| format!("항목 {i}의 값은 ==값 {i}== 이다. "))
        .collect();
    let c = notes::convert(
        &[NoteInput::new(
            "h.md",
            "notes",
            format!("# 하이라이트\n\n{para}\n"),
        )],
        &Classifier::bundled(),
        &[],
        vec![],
    );
    let clozes: Vec<&Card> = c.cards().collect();
    assert_eq!(clozes.len(), 100);
    assert_eq!(clozes[7].question, "항목 7의 값은 [...] 이다.");
    assert_eq!(clozes[7].answer, "값 7");
    let total: usize = clozes.iter().map(|c| c.question.len()).sum();
    assert!(total < 100 * 60, "{total} bytes of questions");
}

#[test]
fn fixture_qa_lines_interview() {
    check(
        "5-qa-lines-interview.md",
        &[
            (
                3,
                "HTTP와 HTTPS의 차이는?",
                "HTTPS는 TLS로 암호화한 HTTP입니다.",
            ),
            (
                6,
                "REST란?",
                "자원을 URI로 나타내고 HTTP 메서드로 다루는 아키텍처 스타일입니다.\n\n> 참고: Roy Fielding의 논문",
            ),
            (
                14,
                "이 줄은 구분선 다음의 질문입니다. 답은?",
                "구분선은 답을 끝냅니다.",
            ),
        ],
        &[],
    );
}

#[test]
fn fixture_osr_docker() {
    check(
        "6-osr-docker.md",
        &[
            (3, "docker ps -a", "멈춘 컨테이너까지 모든 컨테이너 목록"),
            (4, "docker image prune", "쓰지 않는 이미지를 지운다"),
            (4, "쓰지 않는 이미지를 지운다", "docker image prune"),
            (
                6,
                "EXPOSE는 무엇을 하나요?",
                "컨테이너가 듣는 포트를 **문서로** 남긴다.\n실제로 포트를 열지는 않는다 (`-p` 가 연다).",
            ),
        ],
        &[],
    );
}

#[test]
fn fixture_tables_options() {
    check(
        "7-tables-options.md",
        &[
            (5, "`-d`", "백그라운드에서 실행"),
            (6, "`-p 8080:80`", "호스트 8080을 컨테이너 80에 연결"),
            (7, "`--rm`", "종료하면 컨테이너를 지움"),
        ],
        &[],
    );
}

#[test]
fn converting_other_notes_alongside_changes_no_seed_card() {
    let (seeds, _) = notes::folder::list(&notes::folder::Source::Bundled);
    let seed_inputs: Vec<NoteInput> = seeds
        .iter()
        .map(|f| NoteInput::new(&f.name, &f.deck, f.read().unwrap()))
        .collect();
    let alone = notes::convert(&seed_inputs, &Classifier::bundled(), &[], vec![]);
    let mut all = seed_inputs.clone();
    for e in std::fs::read_dir(fixtures()).unwrap() {
        let p = e.unwrap().path();
        // Another folder of notes: its own deck.
        let name = format!("interview/{}", p.file_name().unwrap().to_string_lossy());
        all.push(NoteInput::new(
            &name,
            "interview",
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    let together = notes::convert(&all, &Classifier::bundled(), &[], vec![]);
    for card in alone.cards() {
        let same = together.cards().find(|c| c.id == card.id);
        assert_eq!(same, Some(card), "{}", card.question);
    }
}
