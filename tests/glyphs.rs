//! Every character the window may show from the bundled decks has a glyph in
//! the bundled fonts (after the display substitutions), so nothing renders
//! as a missing-glyph box.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use bokseup::notes::text::plain_text;
use bokseup::store::decks;
use bokseup::ui::{fonts, markdown};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn bundled_fonts_cover_every_character_of_the_decks_and_the_interface() {
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    // Fonts load on the first pass.
    let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
    out.textures_delta.clear();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let mut chars = BTreeSet::new();
    for d in decks::read_decks(&dir).unwrap() {
        for c in d.cards {
            for text in [
                c.question,
                c.answer,
                c.chapter_title.to_string(),
                c.section.join(" "),
            ] {
                chars.extend(markdown::display_text(&text).chars());
                // Entities (`&rarr;`) as they are drawn, decoded.
                chars.extend(markdown::display_text(&plain_text(&text)).chars());
            }
        }
    }
    // Interface symbols.
    chars.extend("🗐✔✖›·—<>".chars());
    let missing: Vec<String> = ctx.fonts_mut(|f| {
        chars
            .iter()
            .filter(|c| !c.is_control())
            .filter(|&&c| {
                !f.has_glyph(&egui::FontId::proportional(14.0), c)
                    || !f.has_glyph(&egui::FontId::monospace(14.0), c)
            })
            .map(|c| format!("{c} U+{:04X}", *c as u32))
            .collect()
    });
    println!("{} distinct characters checked", chars.len());
    assert!(missing.is_empty(), "no glyph for: {missing:?}");
}
