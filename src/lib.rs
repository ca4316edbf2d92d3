//! bokseup (복습): spaced-repetition flashcards from Korean Markdown study notes.
//!
//! Layers (arrows point down only):
//!
//! * [`notes`] — Markdown notes → chapter-tagged cards with stable ids.
//! * [`deck`] — plain data: cards, decks, sources.
//! * [`store`] — deck files, the review journal and its cache; atomic writes.
//!
//! Nothing in the library core imports the window toolkit.

pub mod cell;
pub mod deck;
pub mod error;
pub mod export;
pub mod notes;
pub mod readiness;
pub mod schedule;
pub mod search;
pub mod session;
pub mod stats;
pub mod store;
pub mod ui;

#[cfg(test)]
mod test_time;

/// Converting a note set builds and drops many small strings on every core;
/// the system allocator spends more time freeing them (across threads) than
/// the converter spends making them. jemalloc keeps per-thread caches; it
/// is built to give freed pages back to the system at once (see
/// `.cargo/config.toml`), so what the window did a moment ago does not stay
/// in its memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
