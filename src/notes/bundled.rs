//! The example notes shipped inside the program (`decks/notes/`), used when
//! no notes folder is set, so the app works from any directory and after
//! `cargo install`.

/// One bundled note: its path under the notes root and its text.
#[derive(Debug, Clone, Copy)]
pub struct BundledNote {
    /// Path relative to the bundled notes root (`book/book-notes.md`).
    pub path: &'static str,
    /// The note's text.
    pub text: &'static str,
}

/// Name of the bundled notes root, the deck of notes at its top level that
/// are not course logs.
pub const ROOT_NAME: &str = "notes";

/// The five example notes: three course Q&A logs, and two book notes in `book/`.
pub const NOTES: [BundledNote; 5] = [
    BundledNote {
        path: "course-t2-23-2.md",
        text: include_str!("../../decks/notes/course-t2-23-2.md"),
    },
    BundledNote {
        path: "course-t3-23-3.md",
        text: include_str!("../../decks/notes/course-t3-23-3.md"),
    },
    BundledNote {
        path: "course-t3-23-5.md",
        text: include_str!("../../decks/notes/course-t3-23-5.md"),
    },
    BundledNote {
        path: "book/book-notes.md",
        text: include_str!("../../decks/notes/book/book-notes.md"),
    },
    BundledNote {
        path: "book/book-study-log.md",
        text: include_str!("../../decks/notes/book/book-study-log.md"),
    },
];
