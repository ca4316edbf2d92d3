//! Export to Anki on the bundled decks with a scripted history: the package
//! opens as an SQLite collection whose notes, decks, GUIDs and schedule
//! fields are what the store says; a second export keeps the same GUIDs
//! and ids; a chapter choice exports only that chapter.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::export::{Choice, export_apkg};
use bokseup::store::Store;
use bokseup::store::journal::Mode;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

fn decks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks")
}

fn kst(d: u32, h: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, d, h, 0, 0)
        .unwrap()
}

/// The collection inside a package, copied out to open it.
fn collection(apkg: &Path, into: &Path) -> (Connection, BTreeMap<String, String>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).unwrap()).unwrap();
    let mut bytes = Vec::new();
    zip.by_name("collection.anki2")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    let mut media = String::new();
    zip.by_name("media")
        .unwrap()
        .read_to_string(&mut media)
        .unwrap();
    let path = into.join("collection.anki2");
    std::fs::write(&path, bytes).unwrap();
    (
        Connection::open(path).unwrap(),
        serde_json::from_str(&media).unwrap(),
    )
}

/// (guid, deck name, type, queue, due, ivl, factor, reps, lapses, note id, card id) per note.
type Row = (String, String, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn rows(db: &Connection) -> BTreeMap<String, Row> {
    let decks: serde_json::Value = serde_json::from_str(
        &db.query_row("SELECT decks FROM col", [], |r| r.get::<_, String>(0))
            .unwrap(),
    )
    .unwrap();
    let mut stmt = db
        .prepare(
            "SELECT n.guid, c.did, c.type, c.queue, c.due, c.ivl, c.factor, c.reps, c.lapses, n.id, c.id
             FROM notes n JOIN cards c ON c.nid = n.id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let did: i64 = r.get(1)?;
        let deck = decks[did.to_string()]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok((
            r.get::<_, String>(0)?,
            deck,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
        ))
    })
    .unwrap()
    .map(|r| {
        let r = r.unwrap();
        (r.0.clone(), r)
    })
    .collect()
}

#[test]
fn the_package_holds_every_card_with_its_schedule_and_keeps_its_ids() {
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open(data.path(), Some(&decks())).unwrap();
    store.ensure_texts().unwrap();
    let ids: Vec<String> = store.cards().iter().map(|c| c.id.0.to_string()).collect();
    // A scripted history: six cards answered on 11-20, two of them again
    // on 11-21; one answered Again; one suspended, one buried today.
    for (k, id) in ids.iter().take(6).enumerate() {
        let q = if k == 3 { 1 } else { 4 };
        store.review(id, q, Mode::Normal, kst(20, 9), 5000).unwrap();
    }
    for id in ids.iter().take(2) {
        store.review(id, 5, Mode::Normal, kst(21, 9), 4000).unwrap();
    }
    store.suspend(&ids[4], kst(22, 8)).unwrap();
    store.suspend(&ids[100], kst(22, 8)).unwrap();
    store.bury(&ids[5], kst(22, 8)).unwrap();
    let now = kst(22, 10);
    let out = tempfile::tempdir().unwrap();
    let apkg = out.path().join("bokseup.apkg");
    let e = export_apkg(&store, None, &Choice::default(), now, &apkg).unwrap();
    assert_eq!(e.notes, store.cards().len());
    // Reviewed: five (one of the six is suspended); suspended: that one and
    // a new card.
    assert_eq!((e.reviewed, e.suspended), (5, 2));
    assert_eq!(e.new, store.cards().len() - 7);

    let (db, media) = collection(&apkg, out.path());
    assert!(media.is_empty(), "bundled notes carry no image files");
    let crt: i64 = db
        .query_row("SELECT crt FROM col", [], |r| r.get(0))
        .unwrap();
    let created = DateTime::from_timestamp(crt, 0)
        .unwrap()
        .with_timezone(&FixedOffset::east_opt(9 * 3600).unwrap())
        .date_naive();
    let got = rows(&db);
    assert_eq!(got.len(), store.cards().len());
    let fields: String = db
        .query_row("SELECT flds FROM notes LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fields.split('\u{1f}').count(), 2);
    // Every card is there under its GUID, in its chapter's deck.
    let today = store.study_day(now);
    for (i, card) in store.cards().iter().enumerate() {
        let r = &got[&format!("bokseup:{}", card.id.0)];
        assert_eq!(
            r.1,
            format!(
                "bokseup::{}::{} {}",
                card.deck,
                card.chapter,
                card.chapter_title.replace("::", ":")
            )
        );
        match store.state(&card.id.0) {
            Some(s) if !s.is_new() => {
                assert_eq!(r.2, 2, "a reviewed card is a review card");
                let due = if s.in_learning(today) {
                    today
                } else {
                    s.due.unwrap()
                };
                assert_eq!(
                    created + Duration::days(r.4),
                    due,
                    "due date of {}",
                    card.id
                );
                assert_eq!(r.5, s.scheduled_days.max(1) as i64);
                assert_eq!(r.6, (s.sm2.ef * 1000.0).round() as i64);
                assert_eq!((r.7, r.8), (i64::from(s.reviews), i64::from(s.lapses)));
            }
            _ => {
                assert_eq!(
                    (r.2, r.4, r.6, r.7),
                    (0, i as i64 + 1, 0, 0),
                    "new card {i}"
                );
            }
        }
    }
    let queue = |i: usize| got[&format!("bokseup:{}", ids[i])].3;
    assert_eq!((queue(4), queue(100), queue(5), queue(0)), (-1, -1, -3, 2));
    // The card answered Good on 11-20 and Easy on 11-21 is due later than
    // the one answered Again on 11-20 (due 11-21, overdue now).
    let due = |i: usize| created + Duration::days(got[&format!("bokseup:{}", ids[i])].4);
    assert!(due(0) > today && due(3) <= today, "{} {}", due(0), due(3));
    assert_eq!(due(3), NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    // Decks: one per chapter of the cards.
    let chapters: BTreeSet<(String, String)> = store
        .cards()
        .iter()
        .map(|c| (c.deck.to_string(), c.chapter.to_string()))
        .collect();
    assert_eq!(e.decks, chapters.len());

    // A second export, a day later: the same GUIDs, note ids and card ids.
    let again = out.path().join("again.apkg");
    export_apkg(&store, None, &Choice::default(), kst(23, 10), &again).unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let (db2, _) = collection(&again, dir2.path());
    let got2 = rows(&db2);
    assert_eq!(
        got.values().map(|r| (&r.0, r.9, r.10)).collect::<Vec<_>>(),
        got2.values().map(|r| (&r.0, r.9, r.10)).collect::<Vec<_>>()
    );

    // One chapter only.
    let ch = store.cards()[0].chapter.to_string();
    let deck = store.cards()[0].deck.to_string();
    let one = out.path().join("one.apkg");
    let choice = Choice {
        chapters: vec![format!("{deck}:{ch}")],
    };
    let e1 = export_apkg(&store, None, &choice, now, &one).unwrap();
    let expected = store
        .cards()
        .iter()
        .filter(|c| *c.deck == *deck && *c.chapter == *ch)
        .count();
    assert_eq!((e1.notes, e1.decks), (expected, 1));
}

#[test]
fn images_of_a_notes_folder_travel_as_media_and_code_is_highlighted() {
    let notes = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(notes.path().join("images")).unwrap();
    std::fs::write(notes.path().join("images/svc.png"), b"\x89PNG fake").unwrap();
    std::fs::write(
        notes.path().join("k8s.md"),
        "# Service\n\n- Service의 역할은?\n  - 파드 앞의 고정 주소 ![svc](./images/svc.png)\n  - 예시\n    ```yaml\n    kind: Service\n    ```\n",
    )
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let apkg = out.path().join("notes.apkg");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_bokseup"))
        .args(["--data-dir", data.path().to_str().unwrap()])
        .args(["--notes", notes.path().to_str().unwrap()])
        .args(["--now", "2026-11-22T09:00:00+09:00", "export", "--apkg"])
        .arg(&apkg)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(said.contains("1 images"), "{said}");
    let (db, media) = collection(&apkg, out.path());
    assert_eq!(media.len(), 1);
    let name = &media["0"];
    assert!(name.ends_with("svc.png"), "{name}");
    let back: String = db
        .query_row("SELECT flds FROM notes", [], |r| r.get(0))
        .unwrap();
    assert!(back.contains(&format!("<img src=\"{name}\"")), "{back}");
    assert!(back.contains("<pre style="), "code is highlighted: {back}");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&apkg).unwrap()).unwrap();
    let mut png = Vec::new();
    zip.by_name("0").unwrap().read_to_end(&mut png).unwrap();
    assert_eq!(png, b"\x89PNG fake");
}
