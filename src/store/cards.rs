//! The cards converted from the notes (`cards.bin` in the data dir), in a
//! compact binary form (postcard) so a start with 100k cards reads them in
//! milliseconds. It is derived from the notes: one that is missing, of
//! another layout or does not decode is simply converted again.

use crate::deck::Deck;
use crate::error::StoreError;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Version of the file's layout.
pub const CARDS_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    decks: Vec<Deck>,
}

/// The decks kept in `path` (`None` when there is no file).
pub fn read(path: &Path) -> Result<Option<Vec<Deck>>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    match postcard::from_bytes::<File>(&bytes) {
        Ok(f) if f.version == CARDS_VERSION => Ok(Some(f.decks)),
        // Another layout or damaged: derived data, rebuilt from the notes.
        _ => Ok(None),
    }
}

/// Keep `decks` in `path`, atomically.
pub fn write(path: &Path, decks: &[Deck]) -> Result<(), StoreError> {
    let file = File {
        version: CARDS_VERSION,
        decks: decks.to_vec(),
    };
    let bytes = postcard::to_stdvec(&file).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    super::atomic_write(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decks_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cards.bin");
        let decks = crate::store::decks::read_decks(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks"),
        )
        .unwrap();
        write(&path, &decks).unwrap();
        assert_eq!(read(&path).unwrap(), Some(decks));
        std::fs::write(&path, b"garbage").unwrap();
        assert_eq!(read(&path).unwrap(), None);
    }
}
