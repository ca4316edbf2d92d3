//! The `.apkg` file Anki, AnkiDroid and AnkiMobile import: a zip holding
//! `collection.anki2` (an SQLite collection in Anki's schema 11, which
//! every Anki version still reads), a `media` map (`{"0": "name.png"}`)
//! and the media files named `0`, `1`, ….
//!
//! One note type ("bokseup", fields Front/Back, one card); one deck per
//! chapter; notes carry a GUID made from the card id, so importing a second
//! export updates the same notes instead of adding copies.

use super::html::Media;
use chrono::{DateTime, FixedOffset, NaiveDate};
use rusqlite::{Connection, params};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The note type's id (any fixed number: a second export reuses it).
pub const NOTETYPE_ID: i64 = 1_700_000_000_001;

/// Anki's fields for one card's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sched {
    /// `type`: 0 new, 2 review.
    pub kind: i64,
    /// `queue`: 0 new, 2 review, -1 suspended, -3 buried.
    pub queue: i64,
    /// `due`: a new card's position; a review card's day, counted from the
    /// collection's creation day.
    pub due: i64,
    /// Interval, days.
    pub ivl: i64,
    /// Ease × 1000 (0 for a new card).
    pub factor: i64,
    /// Reviews.
    pub reps: i64,
    /// Times forgotten.
    pub lapses: i64,
}

/// One note (and its one card) as exported.
#[derive(Debug, Clone)]
pub struct Note {
    /// Stable across exports: made from the card id.
    pub guid: String,
    /// Anki deck name (`::` between levels).
    pub deck: String,
    /// Anki tags (no spaces).
    pub tags: Vec<String>,
    /// Question and answer as HTML.
    pub front: String,
    pub back: String,
    /// The question as plain text (Anki sorts and checks duplicates on it).
    pub sort_text: String,
    pub sched: Sched,
}

/// When the collection was made: its day (review due days count from it),
/// as a timestamp at the start of that study day, and the local offset.
#[derive(Debug, Clone, Copy)]
pub struct Creation {
    pub day: NaiveDate,
    pub at: DateTime<FixedOffset>,
    /// Hour a study day starts.
    pub rollover: u32,
}

/// A number from a text: the first 8 bytes of its SHA-1, as Anki makes
/// its note checksums (`csum`) and as ids are made here.
fn sha1_prefix(s: &str, bytes: usize) -> u64 {
    let digest = sha1_smol::Sha1::from(s).digest().bytes();
    digest[..bytes]
        .iter()
        .fold(0u64, |n, &b| (n << 8) | u64::from(b))
}

/// A positive 53-bit id from a text (stable, so a re-export writes the same ids).
fn id_from(s: &str) -> i64 {
    (sha1_prefix(s, 7) & ((1 << 53) - 1)) as i64 + 1
}

const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// How the cards look in Anki.
const CSS: &str = ".card { font-family: sans-serif; font-size: 18px; text-align: left; \
color: black; background-color: white; }\n\
table { border-collapse: collapse; } td, th { border: 1px solid #aaa; padding: 2px 6px; }\n\
pre { padding: 6px; overflow-x: auto; font-size: 15px; }";

/// The note type: Front and Back, one card showing the front, then both.
fn notetype(now: i64) -> serde_json::Value {
    let field = |name: &str, ord: i64| {
        json!({"name": name, "ord": ord, "sticky": false, "rtl": false,
               "font": "Arial", "size": 20, "media": []})
    };
    json!({
        "id": NOTETYPE_ID, "name": "bokseup", "type": 0, "mod": now, "usn": -1,
        "sortf": 0, "did": 1, "tags": [], "vers": [],
        "flds": [field("Front", 0), field("Back", 1)],
        "tmpls": [{
            "name": "Card 1", "ord": 0, "did": null, "bqfmt": "", "bafmt": "",
            "qfmt": "{{Front}}",
            "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"
        }],
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": [[0, "any", [0]]]
    })
}

/// A deck in Anki's schema 11.
fn deck(id: i64, name: &str, now: i64) -> serde_json::Value {
    json!({
        "id": id, "name": name, "mod": now, "usn": -1, "desc": "", "dyn": 0, "conf": 1,
        "collapsed": false, "browserCollapsed": false, "extendNew": 0, "extendRev": 0,
        "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0]
    })
}

/// The default deck options.
fn deck_options(now: i64) -> serde_json::Value {
    json!({"1": {
        "id": 1, "name": "Default", "mod": now, "usn": -1, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500, "order": 1,
                "perDay": 20, "bury": false},
        "rev": {"perDay": 200, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "fuzz": 0.05,
                "bury": false, "hardFactor": 1.2},
        "lapse": {"delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8, "leechAction": 1}
    }})
}

/// Write `notes` into a new collection file at `path`.
pub fn write_collection(path: &Path, notes: &[Note], created: &Creation) -> rusqlite::Result<()> {
    let now = created.at.timestamp().max(0);
    let now_ms = now * 1000;
    let mut db = Connection::open(path)?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    // Decks: the default one, then one per name, ids made from the name.
    let mut decks = BTreeMap::new();
    decks.insert("1".to_string(), deck(1, "Default", now));
    let mut deck_ids = BTreeMap::new();
    for n in notes {
        let id = *deck_ids
            .entry(n.deck.clone())
            .or_insert_with(|| id_from(&format!("deck:{}", n.deck)));
        decks.insert(id.to_string(), deck(id, &n.deck, now));
    }
    let conf = json!({
        "nextPos": notes.len() + 1, "estTimes": true, "activeDecks": [1], "sortType": "noteFld",
        "timeLim": 0, "sortBackwards": false, "addToCur": true, "curDeck": 1, "newSpread": 0,
        "dueCounts": true, "curModel": NOTETYPE_ID, "collapseTime": 1200,
        "rollover": created.rollover,
        // Minutes west of UTC, as Anki keeps it.
        "creationOffset": -created.at.offset().local_minus_utc() / 60,
        "schedVer": 2
    });
    let models = json!({ NOTETYPE_ID.to_string(): notetype(now) });
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            created.at.timestamp(),
            now_ms,
            conf.to_string(),
            models.to_string(),
            serde_json::Value::Object(decks.into_iter().collect()).to_string(),
            deck_options(now).to_string(),
        ],
    )?;
    {
        let mut add_note =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?;
        let mut add_card = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, 0, 0, 0, '')",
        )?;
        for n in notes {
            let nid = id_from(&format!("note:{}", n.guid));
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            let csum = sha1_prefix(&n.sort_text, 4) as i64;
            add_note.execute(params![
                nid,
                n.guid,
                NOTETYPE_ID,
                now,
                tags,
                format!("{}\u{1f}{}", n.front, n.back),
                n.sort_text,
                csum
            ])?;
            let s = &n.sched;
            add_card.execute(params![
                id_from(&format!("card:{}", n.guid)),
                nid,
                deck_ids[&n.deck],
                now,
                s.kind,
                s.queue,
                s.due,
                s.ivl,
                s.factor,
                s.reps,
                s.lapses
            ])?;
        }
    }
    tx.commit()?;
    db.close().map_err(|(_, e)| e)
}

/// The package: the collection file, the media map and the media files,
/// zipped into `out` (a writer the caller makes durable).
pub fn zip_package<W: Write + std::io::Seek>(
    out: W,
    collection: &Path,
    media: &Media,
) -> Result<W, std::io::Error> {
    use zip::write::SimpleFileOptions;
    let zip_err = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(out);
    zip.start_file("collection.anki2", options)
        .map_err(zip_err)?;
    std::io::copy(&mut std::fs::File::open(collection)?, &mut zip)?;
    let map: serde_json::Map<String, serde_json::Value> = media
        .files
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (i.to_string(), json!(name)))
        .collect();
    zip.start_file("media", options).map_err(zip_err)?;
    zip.write_all(serde_json::Value::Object(map).to_string().as_bytes())?;
    for (i, (_, path)) in media.files.iter().enumerate() {
        zip.start_file(i.to_string(), options).map_err(zip_err)?;
        std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
    }
    zip.finish().map_err(zip_err)
}
