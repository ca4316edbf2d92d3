//! Makes a realistic collection for measuring bokseup at scale: a notes
//! folder of course-style Korean Q&A logs (questions with nested answers,
//! some with code blocks, across the 15 chapters) holding `--cards` cards,
//! and a data dir whose journal holds ten reviews per card spread over a
//! year of study days (a session a day, SM-2-like intervals, some lapses).
//!
//! ```text
//! bokseup-gen --cards 100000 --notes /tmp/c100k/notes --data-dir /tmp/c100k/data
//! ```

use anyhow::{Context, Result};
use bokseup::notes::folder::{self, Source};
use bokseup::store::journal::{self, Event, IdMaker, Mode};
use bokseup::store::{Store, files};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use clap::Parser;
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Make a notes folder and a journal of reviews for benchmarks")]
struct Args {
    /// Cards to make.
    #[arg(long, default_value_t = 1_000)]
    cards: usize,
    /// Reviews per card in the journal.
    #[arg(long, default_value_t = 10)]
    reviews_per_card: usize,
    /// Where the notes go (created).
    #[arg(long)]
    notes: PathBuf,
    /// The data dir (created; its journal is replaced).
    #[arg(long)]
    data_dir: PathBuf,
}

/// Topics of the 15 chapters, a few words each, to make questions of.
const TOPICS: [&[&str]; 15] = [
    &[
        "컨테이너와 VM",
        "커널 namespace",
        "cgroup",
        "이미지 레이어",
        "OverlayFS",
    ],
    &[
        "docker run -d",
        "docker exec",
        "docker logs",
        "docker pull",
        "docker tag",
    ],
    &[
        "volume",
        "bind mount",
        "tmpfs",
        "docker volume create",
        "영속 데이터",
    ],
    &[
        "bridge 네트워크",
        "docker0",
        "host 네트워크",
        "-p 포트 게시",
        "macvlan",
    ],
    &[
        "Dockerfile의 RUN",
        "CMD와 ENTRYPOINT",
        "EXPOSE",
        "COPY와 ADD",
        "WORKDIR",
    ],
    &[
        "build context",
        ".dockerignore",
        "멀티 스테이지 빌드",
        "alpine 이미지",
        "빌드 캐시",
    ],
    &[
        "control plane",
        "kubelet",
        "etcd",
        "kubectl apply",
        "선언형 관리",
    ],
    &[
        "Pod phase",
        "readinessProbe",
        "livenessProbe",
        "init container",
        "restartPolicy",
    ],
    &[
        "ReplicaSet",
        "Deployment",
        "DaemonSet",
        "StatefulSet",
        "CronJob",
    ],
    &[
        "ClusterIP",
        "NodePort",
        "LoadBalancer",
        "Ingress",
        "클러스터 DNS",
    ],
    &[
        "PersistentVolume",
        "PVC",
        "StorageClass",
        "emptyDir",
        "hostPath",
    ],
    &[
        "ConfigMap",
        "Secret",
        "requests와 limits",
        "LimitRange",
        "ResourceQuota",
    ],
    &[
        "RollingUpdate",
        "maxSurge",
        "rollback",
        "Blue/Green",
        "Canary",
    ],
    &[
        "HPA",
        "metrics-server",
        "kubectl top",
        "minReplicas",
        "수평 확장",
    ],
    &[
        "Helm chart",
        "values.yaml",
        "helm install",
        "helm upgrade",
        "Chart.yaml",
    ],
];

const ASKS: [&str; 6] = [
    "는 언제 쓰나요?",
    "의 기본값은 무엇인가요?",
    "를 쓰면 무엇이 달라지나요?",
    "에서 자주 하는 실수는 무엇인가요?",
    "와 비슷한 것과의 차이는 뭔가요?",
    "를 확인하는 방법이 있나요?",
];

/// One question with its nested answer (every fifth with a code block).
fn qa(n: usize, chapter: usize) -> String {
    let topics = TOPICS[chapter];
    let topic = topics[n % topics.len()];
    let ask = ASKS[(n / topics.len()) % ASKS.len()];
    let mut s = format!(
        "- {topic}{ask} (질문 {n})\n  - {topic}에 대한 답 {n}입니다.\n  - 실습에서 확인해 봅니다.\n"
    );
    if n.is_multiple_of(5) {
        s.push_str(&format!("  ```bash\n  kubectl get pods -l app=web-{n}\n  docker ps --filter name=web-{n}\n  ```\n"));
    }
    s
}

fn start() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2025, 12, 1, 20, 0, 0).single())
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset())
}

fn main() -> Result<()> {
    let args = Args::parse();
    // Notes: a log per 500 questions, chapters in course order within it.
    std::fs::create_dir_all(&args.notes).with_context(|| args.notes.display().to_string())?;
    let per_note = 500;
    let mut made = 0;
    let mut note = 0;
    while made < args.cards {
        let count = per_note.min(args.cards - made);
        let mut text = format!("# 스터디 Q&A {note}\n\n");
        for chapter in 0..15 {
            let share: Vec<usize> = (made..made + count).filter(|n| n % 15 == chapter).collect();
            if share.is_empty() {
                continue;
            }
            let group = if chapter < 6 { "Docker" } else { "Kubernetes" };
            text.push_str(&format!("## {group} {}\n\n", chapter + 1));
            for n in share {
                text.push_str(&qa(n, chapter));
            }
            text.push('\n');
        }
        std::fs::write(args.notes.join(format!("log-{note:04}.md")), text)?;
        made += count;
        note += 1;
    }
    // Cards, converted as the app does.
    let mut store = Store::open(&args.data_dir, None)?;
    let (classifier, key) = folder::chapter_map(Some(&args.notes)).map_err(anyhow::Error::msg)?;
    let r = folder::refresh(
        &Source::Folder(args.notes.clone()),
        &classifier,
        key,
        &mut store,
    )?;
    let ids: Vec<String> = store.cards().iter().map(|c| c.id.0.to_string()).collect();
    // The data dir remembers its notes, as `--notes` makes it do.
    let mut settings = store.settings().clone();
    settings.notes_folder = Some(args.notes.canonicalize()?);
    store.save_settings(settings)?;
    drop(store);
    eprintln!(
        "{} notes, {} cards ({} failures)",
        note,
        ids.len(),
        r.failures.len()
    );
    // A year of daily sessions: each card introduced once, then reviewed at
    // growing intervals, one in eight answers a lapse.
    let events_wanted = ids.len() * args.reviews_per_card;
    let days = 365;
    let per_day = events_wanted.div_ceil(days);
    let maker = IdMaker::default();
    let path = args.data_dir.join(files::JOURNAL);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, "{}", journal::HEADER)?;
    let mut written = 0;
    let mut k = 0usize;
    for day in 0..days {
        let morning = start() + Duration::days(day as i64);
        for i in 0..per_day {
            if written == events_wanted {
                break;
            }
            // Cards cycle so each gets about `reviews_per_card` answers.
            let card = &ids[(k * 7919) % ids.len()];
            k += 1;
            let grade = if k.is_multiple_of(8) {
                1
            } else if k.is_multiple_of(5) {
                5
            } else {
                4
            };
            let at = morning + Duration::seconds(i as i64 * 6);
            let e = Event::Review {
                id: maker.next(at),
                card: card.as_str().into(),
                at,
                grade,
                mode: Mode::Normal,
                ms: 4_000 + (k % 7) as u32 * 1_000,
            };
            writeln!(out, "{}", e.to_line())?;
            written += 1;
        }
    }
    out.flush()?;
    out.get_ref().sync_all()?;
    // The states are derived again at the next start.
    let _ = std::fs::remove_file(args.data_dir.join(files::CACHE));
    eprintln!("{written} events over {days} days in {}", path.display());
    Ok(())
}
