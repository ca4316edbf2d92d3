//! Bundled Korean fonts (NanumGothic, NanumGothicCoding; SIL OFL 1.1, see
//! `assets/fonts/OFL.txt`), added after egui's own fonts in both families so
//! Hangul renders the same on every machine, with no system font lookup.

use egui::{FontData, FontDefinitions, FontFamily};
use std::sync::Arc;

const GOTHIC: &[u8] = include_bytes!("../../assets/fonts/NanumGothic.ttf");
const CODING: &[u8] = include_bytes!("../../assets/fonts/NanumGothicCoding.ttf");

/// egui's fonts plus the Korean ones, lowest priority.
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
    if let Some(f) = fonts.families.get_mut(&FontFamily::Proportional) {
        f.push("nanum-gothic".into());
        f.push("nanum-coding".into());
    }
    if let Some(f) = fonts.families.get_mut(&FontFamily::Monospace) {
        f.push("nanum-coding".into());
        f.push("nanum-gothic".into());
    }
    fonts
}

/// Install the fonts in a context.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(definitions());
}
