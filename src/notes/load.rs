//! Reading note files: the only I/O of the converter. Every error names the
//! file, and the line where one applies.

use crate::error::NoteError;
use std::io::Read;
use std::path::Path;

/// Largest note accepted, in bytes (16 MiB). Larger files are not notes.
pub const MAX_NOTE_BYTES: u64 = 16 * 1024 * 1024;

/// Read a note as UTF-8 text, refusing binary, empty, oversized and non-UTF-8 files.
pub fn read_note(path: &Path) -> Result<String, NoteError> {
    let io = |source| NoteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_NOTE_BYTES {
        return Err(NoteError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_NOTE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_NOTE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_NOTE_BYTES {
        return Err(NoteError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_NOTE_BYTES,
        });
    }
    decode(path, bytes)
}

/// Check and decode bytes read from `path`.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, NoteError> {
    let line_at = |offset: usize| bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(NoteError::Binary {
            path: path.to_path_buf(),
            line: line_at(pos),
        });
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(NoteError::NotUtf8 {
                path: path.to_path_buf(),
                line,
                offset,
            });
        }
    };
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(NoteError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}
