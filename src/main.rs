//! The `bokseup` command: the window (no subcommand) and the command-line tools.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// `println!` that stops quietly when stdout is closed (`| head`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod cli;

use cli::ctx::Ctx;
use cli::{convert, report, share, window};

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
                convert::convert_folder_cmd(&ctx, json)
            } else {
                let out = out.unwrap_or_else(|| PathBuf::from("decks"));
                convert::convert_cmd(paths, &out, json)
            }
        }
        Some(Command::Due { json }) => report::due_cmd(&ctx, json),
        Some(Command::Stats { json, lab_at }) => report::stats_cmd(&ctx, json, lab_at.as_deref()),
        Some(Command::Export { apkg, chapter }) => share::export_cmd(&ctx, &apkg, chapter),
        Some(Command::Sync { folder }) => share::sync_cmd(&ctx, folder),
        Some(Command::Merge { other }) => share::merge_cmd(&ctx, &other),
        Some(Command::ReviewLoop { count, cache_each }) => {
            window::review_loop(&ctx, count, cache_each)
        }
        None => window::window(&ctx),
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
