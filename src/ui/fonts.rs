//! Bundled Korean fonts (NanumGothic, NanumGothicCoding; SIL OFL 1.1, see
//! `assets/fonts/OFL.txt`), added after egui's text fonts in both families
//! and before its icon and emoji fallbacks, so Hangul and the symbols
//! Korean notes use (※, ①) render the same on every machine, with no system
//! font lookup.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const GOTHIC: &[u8] = include_bytes!("../../assets/fonts/NanumGothic.ttf");
const CODING: &[u8] = include_bytes!("../../assets/fonts/NanumGothicCoding.ttf");

/// egui's last-resort fonts: icons and emoji.
const FALLBACKS: &[&str] = &["egui-icons", "NotoEmoji-Regular", "emoji-icon-font"];

/// egui's fonts plus the Korean ones, after egui's text fonts and before
/// its icon and emoji fallbacks.
pub fn definitions() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "nanum-gothic".into(),
        Arc::new(FontData::from_static(GOTHIC)),
    );
    fonts.font_data.insert(
        "nanum-coding".into(),
        Arc::new(FontData::from_static(CODING)),
    );
    // Arrows: NanumGothic draws their shafts a hairline thin (gone at text
    // size) and Ubuntu has none, so Hack's come first.
    for (family, ours) in [
        (
            FontFamily::Proportional,
            &["Hack", "nanum-gothic", "nanum-coding"][..],
        ),
        (FontFamily::Monospace, &["nanum-coding", "nanum-gothic"][..]),
    ] {
        if let Some(f) = fonts.families.get_mut(&family) {
            let at = f
                .iter()
                .position(|name| FALLBACKS.contains(&name.as_str()))
                .unwrap_or(f.len());
            f.splice(at..at, ours.iter().map(|&s| s.to_string()));
        }
    }
    fonts
}

/// Install the fonts in a context.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
