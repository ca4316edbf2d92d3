//! The `bokseup` command: the window (no subcommand) and the command-line tools.

use anyhow::{Context, Result};
use bokseup::cell::pad;
use bokseup::notes::chapters::Classifier;
use bokseup::notes::folder::{self, Source};
use bokseup::notes::{self, Conversion, NoteFailure, NoteInput};
use bokseup::schedule::Grade;
use bokseup::session::Session;
use bokseup::stats;
use bokseup::store::{Store, decks};
use chrono::{DateTime, FixedOffset};
use clap::{Parser, Subcommand};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` that stops quietly when stdout is closed (`| head`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Parser, Debug)]
#[command(
    name = "bokseup",
    version,
    about = "복습 — spaced repetition for Markdown study notes"
)]
struct Cli {
    /// Data directory (journal, cache, settings). Default: $BOKSEUP_DATA_DIR,
    /// else the platform data dir ($XDG_DATA_HOME/bokseup).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Your notes folder (remembered in the settings). Without one, the
    /// bundled example notes are used.
    #[arg(long, global = true)]
    notes: Option<PathBuf>,
    /// Read ready-made deck files (RON) from this folder instead of the notes.
    #[arg(long, global = true, hide = true)]
    decks: Option<PathBuf>,
    /// Pretend it is this moment (RFC 3339), for scripted runs.
    #[arg(long, global = true, hide = true)]
    now: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Convert the notes folder into the data dir's decks (only changed notes
    /// are read), or, given paths, convert those notes into deck files in `--out`.
    Convert {
        /// Note files or folders, for a one-off conversion into `--out`.
        paths: Vec<PathBuf>,
        /// Where a one-off conversion's deck files go (default: decks/; with
        /// no paths, the notes are read from OUT/notes).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print one JSON object on stdout instead of the tables.
        #[arg(long)]
        json: bool,
    },
    /// Today's counts (new / learning / due) per chapter.
    Due {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Weak topics: chapters ranked by weakness, a 30-day forecast, and
    /// each chapter's readiness for a lab (recall predicted now and then,
    /// and the fewest cards to drill for 90 % / 95 %).
    Stats {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// When the lab is (RFC 3339; default: tomorrow 09:00).
        #[arg(long, value_name = "TIME")]
        lab_at: Option<String>,
    },
    /// Export the cards with their schedule as an Anki package (.apkg), for
    /// Anki, AnkiDroid and AnkiMobile. A second export updates the same notes.
    Export {
        /// The package to write.
        #[arg(long, value_name = "FILE")]
        apkg: PathBuf,
        /// Only this chapter (`10`, or `course:10`); repeat for more.
        #[arg(long, value_name = "CH")]
        chapter: Vec<String>,
    },
    /// Sync through a shared folder (Syncthing, Dropbox, a git repo…): this
    /// device appends to its own file there and reads the others'. The
    /// folder is remembered; the window syncs with it while open.
    Sync {
        /// The shared folder (default: the one used last).
        folder: Option<PathBuf>,
    },
    /// Merge another device's journal into this data directory (union of events).
    Merge {
        /// The other journal file.
        other: PathBuf,
    },
    /// Answer due cards in a loop, printing each durable answer (used by the crash test).
    #[command(hide = true)]
    ReviewLoop {
        /// Stop after this many answers.
        #[arg(long, default_value_t = u64::MAX)]
        count: u64,
        /// Write the cache after every answer.
        #[arg(long)]
        cache_each: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx {
        data_dir: cli.data_dir.clone(),
        notes: cli.notes.clone(),
        decks: cli.decks.clone(),
        now: cli.now.clone(),
    };
    let result = match cli.command {
        Some(Command::Convert { paths, out, json }) => {
            if paths.is_empty() && out.is_none() {
                convert_folder_cmd(&ctx, json)
            } else {
                let out = out.unwrap_or_else(|| PathBuf::from("decks"));
                convert_cmd(paths, &out, json)
            }
        }
        Some(Command::Due { json }) => due_cmd(&ctx, json),
        Some(Command::Stats { json, lab_at }) => stats_cmd(&ctx, json, lab_at.as_deref()),
        Some(Command::Export { apkg, chapter }) => export_cmd(&ctx, &apkg, chapter),
        Some(Command::Sync { folder }) => sync_cmd(&ctx, folder),
        Some(Command::Merge { other }) => merge_cmd(&ctx, &other),
        Some(Command::ReviewLoop { count, cache_each }) => review_loop(&ctx, count, cache_each),
        None => window(&ctx),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", error_text(&e));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes, each cause left out when the text before it
/// already says it (our errors name the OS message themselves).
fn error_text(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text
}

/// Path as stored in card sources: relative to the deck folder when inside it.
fn source_name(file: &Path, out: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (f, o) = (abs(file), abs(out));
    match f.strip_prefix(&o) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => file.to_string_lossy().into_owned(),
    }
}

/// The chapter map in `dir` (`chapters.ron`), else the bundled one; and a
/// key that changes with it.
fn classifier_in(dir: Option<&Path>) -> Result<(Classifier, u64)> {
    folder::chapter_map(dir).map_err(|e| anyhow::anyhow!(e))
}

/// A one-off conversion of the notes under `paths` into deck files in `out`.
fn convert_cmd(paths: Vec<PathBuf>, out: &Path, json_out: bool) -> Result<ExitCode> {
    let paths = if paths.is_empty() {
        vec![out.join("notes")]
    } else {
        paths
    };
    let (files, mut failures) = folder::list_paths(&paths);
    let mut inputs = Vec::new();
    for (f, root) in &files {
        let path = f
            .path()
            .map_or_else(|| root.join(&f.name), Path::to_path_buf);
        let name = source_name(&path, out);
        match f.read() {
            Ok(text) => inputs.push(NoteInput::new(&name, &f.deck, text)),
            Err(message) => failures.push(NoteFailure { name, message }),
        }
    }
    let (classifier, _) = classifier_in(Some(out))?;
    let previous: Vec<_> = decks::read_decks(out)?
        .into_iter()
        .flat_map(|d| d.cards)
        .collect();
    let conversion = notes::convert(&inputs, &classifier, &previous, failures);
    let written_decks: Vec<String> = conversion.decks.iter().map(|d| d.name.clone()).collect();
    for deck in &conversion.decks {
        decks::write_deck(out, deck)?;
    }
    // Decks that no longer get cards are left as they are: their history matters.
    if json_out {
        outln!(
            "{}",
            serde_json::to_string_pretty(&conversion_json(&conversion))?
        );
    } else {
        print_report(&conversion, &written_decks, &out.display().to_string());
    }
    Ok(if conversion.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `convert` with no paths: the notes folder into the data dir.
fn convert_folder_cmd(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let (store, refresh) = ctx.open_with_notes(false)?;
    let Some(refresh) = refresh else {
        outln!("--decks given: nothing to convert");
        return Ok(ExitCode::SUCCESS);
    };
    let failures = !refresh.failures.is_empty();
    match &refresh.conversion {
        Some(c) if json_out => outln!("{}", serde_json::to_string_pretty(&conversion_json(c))?),
        Some(c) => {
            let names: Vec<String> = c.decks.iter().map(|d| d.name.clone()).collect();
            print_report(
                c,
                &names,
                &store
                    .dir()
                    .join(bokseup::store::files::CARDS)
                    .display()
                    .to_string(),
            );
        }
        None if json_out => outln!(
            "{}",
            serde_json::to_string_pretty(&json!({"changes": "none", "cards": store.cards().len(),
                "errors": refresh.failures.iter().map(|f| json!({"file": f.name, "message": f.message})).collect::<Vec<_>>()}))?
        ),
        None => {
            outln!(
                "No note changed since the last conversion: {} cards.",
                store.cards().len()
            );
            for f in &refresh.failures {
                outln!("  {}", f.message);
            }
        }
    }
    Ok(if failures {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn conversion_json(c: &Conversion) -> serde_json::Value {
    let cards: Vec<_> = c
        .cards()
        .map(|card| {
            json!({
                "id": card.id.0,
                "deck": card.deck,
                "chapter": card.chapter,
                "chapter_title": card.chapter_title,
                "section": card.section,
                "kind": card.kind.as_str(),
                "question": card.question,
                "answer": card.answer,
                "sources": card.sources.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unanswered: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.unanswered
                .iter()
                .map(move |u| json!({"file": n.name, "line": u.line, "question": u.question}))
        })
        .collect();
    let chapters = bokseup::deck::chapter_counts(c.cards());
    let chapters: Vec<_> = chapters
        .into_iter()
        .map(|((deck, ch), (title, n))| json!({"deck": deck, "chapter": ch, "title": title, "cards": n}))
        .collect();
    let warnings: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.warnings
                .iter()
                .map(move |w| json!({"file": n.name, "line": w.line, "message": w.message}))
        })
        .collect();
    let skipped: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| {
            n.skipped.iter().map(move |s| {
                json!({"file": n.name, "line": s.line, "reason": s.reason, "text": s.text})
            })
        })
        .collect();
    let notes: Vec<_> = c
        .notes
        .iter()
        .map(|n| {
            let kinds: BTreeMap<&str, usize> =
                n.kinds.iter().map(|(k, v)| (k.as_str(), *v)).collect();
            json!({"file": n.name, "deck": n.deck, "shape": format!("{:?}", n.shape), "cards": kinds,
                   "unanswered": n.unanswered.len(), "skipped": n.skipped.len()})
        })
        .collect();
    let errors: Vec<_> = c
        .failures
        .iter()
        .map(|f| json!({"file": f.name, "message": f.message}))
        .collect();
    json!({
        "cards": cards,
        "unanswered": unanswered,
        "chapters": chapters,
        "warnings": warnings,
        "errors": errors,
        "notes": notes,
        "skipped": skipped,
        "changes": {
            "new": c.changes.new.len(),
            "changed": c.changes.changed.len(),
            "kept": c.changes.kept.len(),
            "removed": c.changes.removed.len(),
        },
    })
}

fn print_report(c: &Conversion, written: &[String], out: &str) {
    outln!("Notes:");
    for n in &c.notes {
        let kinds: Vec<String> = n
            .kinds
            .iter()
            .map(|(k, v)| format!("{} {v}", k.as_str()))
            .collect();
        outln!(
            "  {} {:<6} {:>4} cards ({}), {} unanswered, {} skipped",
            pad(&n.name, 32),
            n.deck,
            n.kinds.values().sum::<usize>(),
            kinds.join(", "),
            n.unanswered.len(),
            n.skipped.len()
        );
    }
    let table = bokseup::deck::chapter_counts(c.cards());
    outln!("\nChapters:");
    outln!("  {:<7} {:<4} {:<40} {:>5}", "deck", "ch", "title", "cards");
    for ((deck, ch), (title, n)) in &table {
        outln!("  {deck:<7} {ch:<4} {} {n:>5}", pad(title, 40));
    }
    let unanswered: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.unanswered.iter().map(move |u| (n, u)))
        .collect();
    if !unanswered.is_empty() {
        outln!("\nUnanswered (no card):");
        for (n, u) in unanswered {
            outln!(
                "  {}:{}: {}",
                n.name,
                u.line,
                notes::text::excerpt(&u.question)
            );
        }
    }
    let skipped: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.skipped.iter().map(move |s| (n, s)))
        .collect();
    if !skipped.is_empty() {
        outln!("\nSkipped:");
        for (n, s) in skipped {
            outln!("  {}:{}: {} — {}", n.name, s.line, s.reason, s.text);
        }
    }
    let warnings: Vec<_> = c
        .notes
        .iter()
        .flat_map(|n| n.warnings.iter().map(move |w| (n, w)))
        .collect();
    if !warnings.is_empty() {
        outln!("\nWarnings:");
        for (n, w) in warnings {
            outln!("  {}:{}: {}", n.name, w.line, w.message);
        }
    }
    if !c.failures.is_empty() {
        outln!("\nErrors:");
        for f in &c.failures {
            outln!("  {}", f.message);
        }
    }
    outln!(
        "\nCards: {} new, {} changed, {} kept, {} removed. Decks {} written to {}.",
        c.changes.new.len(),
        c.changes.changed.len(),
        c.changes.kept.len(),
        c.changes.removed.len(),
        written.join(", "),
        out
    );
}

/// Options every data command shares.
#[derive(Clone)]
struct Ctx {
    data_dir: Option<PathBuf>,
    notes: Option<PathBuf>,
    decks: Option<PathBuf>,
    now: Option<String>,
}

impl Ctx {
    fn dir(&self) -> Result<PathBuf> {
        match &self.data_dir {
            Some(d) => Ok(d.clone()),
            None => bokseup::store::default_data_dir()
                .context("no data directory: pass --data-dir or set BOKSEUP_DATA_DIR"),
        }
    }

    /// Open the data dir (only to read: nothing written, no lock taken) and
    /// bring its cards in step with the notes; `None` as the refresh when
    /// `--decks` gave the cards.
    fn open_with_notes(&self, read_only: bool) -> Result<(Store, Option<folder::Refresh>)> {
        let dir = self.dir()?;
        let decks = self.decks.as_deref();
        let mut store = if read_only {
            Store::open_read_only(&dir, decks)?
        } else {
            let store = Store::open(&dir, decks)?;
            if let Some(t) = store.torn_tail() {
                eprintln!(
                    "warning: {}:{}: an incomplete last line ({} bytes, from an interrupted write) was moved to {}",
                    dir.join(bokseup::store::files::JOURNAL).display(),
                    t.line,
                    t.bytes,
                    t.side_file.display()
                );
            }
            store
        };
        if decks.is_some() {
            return Ok((store, None));
        }
        if let Some(notes) = &self.notes {
            if !notes.is_dir() {
                anyhow::bail!("--notes {}: not a folder", notes.display());
            }
            let notes = notes.canonicalize().unwrap_or_else(|_| notes.clone());
            if !read_only && store.settings().notes_folder.as_ref() != Some(&notes) {
                let mut s = store.settings().clone();
                s.notes_folder = Some(notes.clone());
                store.save_settings(s)?;
            }
        }
        let folder = self
            .notes
            .clone()
            .or_else(|| store.settings().notes_folder.clone());
        let source = match folder {
            Some(f) => Source::Folder(f),
            None => Source::Bundled,
        };
        let root = match &source {
            Source::Folder(f) => Some(f.as_path()),
            Source::Bundled => None,
        };
        let (classifier, key) = classifier_in(root)?;
        let refresh = folder::refresh(&source, &classifier, key, &mut store)?;
        for f in &refresh.failures {
            eprintln!("warning: {}", f.message);
        }
        Ok((store, Some(refresh)))
    }

    /// The data dir, only to read.
    fn open_read_only(&self) -> Result<Store> {
        Ok(self.open_with_notes(true)?.0)
    }

    fn open(&self) -> Result<Store> {
        Ok(self.open_with_notes(false)?.0)
    }

    fn now(&self) -> Result<DateTime<FixedOffset>> {
        match &self.now {
            Some(s) => {
                DateTime::parse_from_rfc3339(s).with_context(|| format!("--now {s}: not RFC 3339"))
            }
            None => Ok(chrono::Local::now().fixed_offset()),
        }
    }
}

fn due_cmd(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let store = ctx.open_read_only()?;
    let today = store.study_day(ctx.now()?);
    let q = store.queue(today);
    // (deck, chapter) → (title, new, learning, due)
    type Row = (std::sync::Arc<str>, usize, usize, usize);
    let mut rows: BTreeMap<(std::sync::Arc<str>, std::sync::Arc<str>), Row> = BTreeMap::new();
    for c in store.cards() {
        rows.entry((c.deck.clone(), c.chapter.clone()))
            .or_insert_with(|| (c.chapter_title.clone(), 0, 0, 0));
    }
    let cards = store.cards();
    let mut bump = |i: usize, which: usize| {
        let c = &cards[i];
        if let Some(r) = rows.get_mut(&(c.deck.clone(), c.chapter.clone())) {
            match which {
                0 => r.1 += 1,
                1 => r.2 += 1,
                _ => r.3 += 1,
            }
        }
    };
    q.new.iter().for_each(|&i| bump(i, 0));
    q.learning.iter().for_each(|&i| bump(i, 1));
    q.due.iter().for_each(|&i| bump(i, 2));
    let total = q.counts();
    if json_out {
        let chapters: Vec<_> = rows
            .iter()
            .map(|((deck, ch), (title, n, l, d))| {
                json!({"deck": deck, "chapter": ch, "title": title, "new": n, "learning": l, "due": d})
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "date": today.to_string(),
                "chapters": chapters,
                "total": {"new": total.new, "learning": total.learning, "due": total.due},
            }))?
        );
    } else {
        outln!(
            "{today}  new {}  learning {}  due {}",
            total.new,
            total.learning,
            total.due
        );
        outln!(
            "  {:<7} {:<4} {:<40} {:>4} {:>4} {:>4}",
            "deck",
            "ch",
            "title",
            "new",
            "lrn",
            "due"
        );
        for ((deck, ch), (title, n, l, d)) in &rows {
            outln!(
                "  {deck:<7} {ch:<4} {} {n:>4} {l:>4} {d:>4}",
                pad(title, 40)
            );
        }
    }
    // The process ends here: its memory goes back to the system whole, so
    // the cards and states are not freed one by one (a read-only store
    // holds no lock and writes nothing when dropped).
    drop(rows);
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}

/// Tomorrow at 09:00, in `now`'s time zone.
fn tomorrow_morning(now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let day = now.date_naive() + chrono::Duration::days(1);
    let nine = day.and_hms_opt(9, 0, 0).unwrap_or_default();
    chrono::TimeZone::from_local_datetime(now.offset(), &nine)
        .single()
        .unwrap_or(now)
}

fn stats_cmd(ctx: &Ctx, json_out: bool, lab_at: Option<&str>) -> Result<ExitCode> {
    let store = ctx.open_read_only()?;
    let now = ctx.now()?;
    let today = store.study_day(now);
    let lab = match lab_at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--lab-at {s}: not RFC 3339"))?,
        None => tomorrow_morning(now),
    };
    let sched = &store.settings().scheduling;
    let chapters = stats::chapters(store.cards(), store.states(), store.events(), today, sched);
    let forecast = stats::forecast(store.states(), today);
    let memory = bokseup::readiness::memory(store.events(), sched);
    let curve = bokseup::readiness::fit(&memory.samples);
    let ready =
        bokseup::readiness::chapters(store.cards(), store.states(), &memory, &curve, now, lab);
    if json_out {
        let ch: Vec<_> = chapters
            .iter()
            .map(|c| {
                json!({"deck": c.deck, "chapter": c.chapter, "title": c.title, "cards": c.cards, "due": c.due,
                       "retention_30d": c.retention_30d, "reviews_30d": c.reviews_30d, "lapses": c.lapses,
                       "avg_ef": c.avg_ef, "leeches": c.leeches, "weakness": c.weakness})
            })
            .collect();
        let fc: Vec<_> = forecast
            .iter()
            .map(|(d, n)| json!({"date": d.to_string(), "due": n}))
            .collect();
        let count = |s: &Option<Vec<usize>>| s.as_ref().map(Vec::len);
        let rd: Vec<_> = ready
            .iter()
            .map(|r| {
                json!({"deck": r.deck, "chapter": r.chapter, "title": r.title, "cards": r.cards,
                       "recall_now": r.now, "recall_at_lab": r.at,
                       "drill_for_90": count(&r.drill_90), "drill_for_95": count(&r.drill_95)})
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({"chapters": ch, "forecast": fc,
                "cards": store.cards().len(),
                "unclassified": bokseup::deck::unclassified(store.cards()),
                "readiness": {"lab_at": lab.to_rfc3339(), "model": {"k": curve.k, "p": curve.p,
                    "fitted_on_reviews": curve.samples}, "chapters": rd}}))?
        );
    } else {
        outln!("Weak topics (weakest first), {today}:");
        outln!(
            "  {:<7} {:<4} {:<36} {:>5} {:>4} {:>9} {:>6} {:>5} {:>6} {:>8}",
            "deck",
            "ch",
            "title",
            "cards",
            "due",
            "retention",
            "lapses",
            "ease",
            "leech",
            "weakness"
        );
        for c in &chapters {
            let ret = c
                .retention_30d
                .map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0));
            let ef = c.avg_ef.map_or("-".to_string(), |e| format!("{e:.2}"));
            outln!(
                "  {:<7} {:<4} {} {:>5} {:>4} {:>9} {:>6} {:>5} {:>6} {:>8.3}",
                c.deck,
                c.chapter,
                pad(&c.title, 36),
                c.cards,
                c.due,
                ret,
                c.lapses,
                ef,
                c.leeches,
                c.weakness
            );
        }
        let next: Vec<String> = forecast
            .iter()
            .take(7)
            .map(|(_, n)| n.to_string())
            .collect();
        outln!("Due in the next 7 days: {}", next.join(" "));
        outln!(
            "Readiness for {} (predicted recall now → then; cards to drill for 90% / 95%):",
            lab.format("%Y-%m-%d %H:%M")
        );
        let count = |s: &Option<Vec<usize>>| s.as_ref().map_or("-".into(), |v| v.len().to_string());
        for r in &ready {
            outln!(
                "  {:<7} {:<4} {} {:>4.0}% → {:>4.0}%  {:>4} / {:>4}",
                r.deck,
                r.chapter,
                pad(&r.title, 36),
                r.now * 100.0,
                r.at * 100.0,
                count(&r.drill_90),
                count(&r.drill_95)
            );
        }
        let unclassified = bokseup::deck::unclassified(store.cards());
        if unclassified > 0 {
            outln!(
                "Unclassified cards (chapter 00): {unclassified} — set their chapter in Browse."
            );
        }
    }
    // As in `due`: the process ends, its memory is not freed piece by piece.
    std::mem::forget((memory, ready, chapters));
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}

fn export_cmd(ctx: &Ctx, out: &Path, chapters: Vec<String>) -> Result<ExitCode> {
    let mut store = ctx.open_read_only()?;
    store.ensure_texts()?;
    let folder = if ctx.decks.is_some() {
        None
    } else {
        ctx.notes
            .clone()
            .or_else(|| store.settings().notes_folder.clone())
    };
    let choice = bokseup::export::Choice { chapters };
    let e = bokseup::export::export_apkg(&store, folder.as_deref(), &choice, ctx.now()?, out)?;
    if e.notes == 0 {
        eprintln!("warning: no card matched; the package is empty");
    }
    outln!(
        "wrote {}: {} notes ({} reviewed, {} new, {} suspended) in {} decks, {} images",
        out.display(),
        e.notes,
        e.reviewed,
        e.new,
        e.suspended,
        e.decks,
        e.media
    );
    Ok(ExitCode::SUCCESS)
}

fn sync_cmd(ctx: &Ctx, folder: Option<PathBuf>) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let folder = match folder {
        Some(f) => f,
        None => bokseup::store::sync::read_state(store.dir())?
            .folder
            .context("no sync folder yet: bokseup sync FOLDER")?,
    };
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    let r = store.sync(&folder, ctx.now()?)?;
    outln!(
        "synced with {}: {} events taken from {} files, {} lines added to {}",
        folder.display(),
        r.pulled,
        r.read,
        r.pushed,
        r.own_file.display()
    );
    for p in &r.incomplete {
        outln!(
            "  {}: ends in an incomplete line (still syncing?); read again next time",
            p.display()
        );
    }
    for (p, s) in &r.skipped {
        outln!("  {}:{}: {}", p.display(), s.line, s.reason);
    }
    Ok(ExitCode::SUCCESS)
}

fn merge_cmd(ctx: &Ctx, other: &Path) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let r = store.merge(other, ctx.now()?)?;
    outln!(
        "merged {}: {} new events, {} already known, {} lines skipped, {} conflicting ids",
        other.display(),
        r.added,
        r.known,
        r.skipped.len(),
        r.conflicts.len()
    );
    for s in r.skipped.iter().chain(&r.conflicts) {
        outln!("  {}:{}: {}", other.display(), s.line, s.reason);
    }
    Ok(ExitCode::SUCCESS)
}

/// Answer cards in a loop (grades cycle Good, Again, Easy, Hard), printing
/// `ack <event id>` after each answer is durable; with `cache_each`,
/// the cache is written after every answer too.
fn review_loop(ctx: &Ctx, count: u64, cache_each: bool) -> Result<ExitCode> {
    let mut store = ctx.open()?;
    let mut now = ctx.now()?;
    let grades = [Grade::Good, Grade::Again, Grade::Easy, Grade::Hard];
    let mut n = 0u64;
    while n < count {
        let mut session = Session::review(&store, now);
        if session.is_done() {
            // Nothing due: move the clock a day on.
            now += chrono::Duration::days(1);
            continue;
        }
        while let Some(card) = session.current() {
            if n >= count {
                break;
            }
            let g = grades[(n % 4) as usize];
            session.answer(&mut store, g, now)?;
            n += 1;
            let id = store
                .last_recorded()
                .map(|e| e.id().to_string())
                .unwrap_or_default();
            outln!("ack {id} {}", store.cards()[card].id);
            if cache_each {
                store.save_cache()?;
            }
            now += chrono::Duration::seconds(5);
        }
    }
    store.save_cache()?;
    Ok(ExitCode::SUCCESS)
}

/// The window, on the data dir and the notes: drawn at once, the data
/// opened in the background. Errors opening the data are shown in the
/// window, which then writes nothing.
fn window(ctx: &Ctx) -> Result<ExitCode> {
    let dir = ctx.dir()?;
    let clock = bokseup::ui::clock(ctx.now.as_ref().map(|_| ctx.now()).transpose()?);
    let ctx = ctx.clone();
    let open = Box::new(move || open_for_window(&ctx));
    bokseup::ui::run(&dir, open, clock).map_err(|e| anyhow::anyhow!("window: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// Open the data dir and bring its cards in step with the notes, for the
/// window: the store (or why it did not open), the notes it follows, and
/// what the start changed.
fn open_for_window(ctx: &Ctx) -> bokseup::ui::Opened {
    let as_store_error = |e: anyhow::Error| match e.downcast::<bokseup::error::StoreError>() {
        Ok(se) => se,
        Err(other) => bokseup::error::StoreError::Io {
            path: ctx.dir().unwrap_or_default(),
            source: std::io::Error::other(other.to_string()),
        },
    };
    let opened = ctx.open_with_notes(false);
    // What the start's conversion changed, to be said in the window.
    let notice = match &opened {
        Ok((_, Some(r))) => r.conversion.as_ref().and_then(|c| {
            let changes = &c.changes;
            let anything = !changes.new.is_empty()
                || !changes.changed.is_empty()
                || !changes.removed.is_empty();
            (anything && !r.changed.is_empty() && r.changed.len() < c.notes.len()
                || !changes.removed.is_empty())
            .then(|| bokseup::ui::notes_link::change_report(c, &r.changed, &r.removed, false))
        }),
        _ => None,
    };
    let store = opened.map(|(s, _)| s);
    let folder = match (&ctx.decks, &ctx.notes) {
        (Some(_), _) => None,
        (None, Some(n)) => Some(n.clone()),
        (None, None) => store
            .as_ref()
            .ok()
            .and_then(|s| s.settings().notes_folder.clone()),
    };
    let notes_root = ctx
        .decks
        .clone()
        .or_else(|| folder.clone())
        .unwrap_or_default();
    let notes = if ctx.decks.is_some() {
        Ok(None)
    } else {
        classifier_in(folder.as_deref()).map(|(classifier, key)| {
            let source = folder.map_or(Source::Bundled, Source::Folder);
            Some(bokseup::ui::notes_link::NotesLink::new(
                source, classifier, key,
            ))
        })
    };
    let (store, notes) = match (store, notes) {
        (Ok(store), Ok(notes)) => (Ok(store), notes),
        (Err(e), _) | (Ok(_), Err(e)) => (Err(as_store_error(e)), None),
    };
    bokseup::ui::Opened {
        store,
        notes_root,
        notes,
        notice,
    }
}
