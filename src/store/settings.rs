//! User settings (`settings.ron`): scheduling and display. Written
//! atomically; a file that does not parse is reported and never replaced.

use crate::error::StoreError;
use crate::schedule::Settings;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the settings file this build writes.
pub const SETTINGS_VERSION: u32 = 1;

/// Display preferences (the window reads them; nothing here draws).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Display {
    /// `dark` or `light`.
    pub theme: String,
    /// Text scale, 0.8–1.6.
    pub text_scale: f32,
    /// `ko` or `en`.
    pub language: String,
}

impl Default for Display {
    fn default() -> Self {
        Display {
            theme: "dark".into(),
            text_scale: 1.0,
            language: "ko".into(),
        }
    }
}

/// Everything in `settings.ron`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct AppSettings {
    /// File version.
    pub version: u32,
    /// Scheduling.
    pub scheduling: Settings,
    /// Display.
    pub display: Display,
    /// The learner's notes folder (none: the bundled example notes).
    pub notes_folder: Option<std::path::PathBuf>,
}

/// Read settings; a missing file gives the defaults.
pub fn read(path: &Path) -> Result<AppSettings, StoreError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AppSettings::default()),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let s: AppSettings = ron::from_str(&text).map_err(|e| StoreError::Corrupt {
        path: path.to_path_buf(),
        line: e.span.start.line,
        message: e.code.to_string(),
    })?;
    if s.version > SETTINGS_VERSION {
        return Err(StoreError::Version {
            path: path.to_path_buf(),
            found: s.version,
            supported: SETTINGS_VERSION,
        });
    }
    Ok(s)
}

/// Write settings atomically.
pub fn write(path: &Path, s: &AppSettings) -> Result<(), StoreError> {
    let mut s = s.clone();
    s.version = SETTINGS_VERSION;
    let text = ron::ser::to_string_pretty(&s, ron::ser::PrettyConfig::new()).unwrap_or_default();
    super::atomic_write(path, format!("{text}\n").as_bytes())
}
