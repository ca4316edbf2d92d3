//! An event's id as kept in memory. The journal writes ids as text; the
//! ids this app makes are UUIDs, which are held in their 16 bytes instead
//! of a 36-byte string on the heap (a million events' history is 48 MB
//! smaller). Any other text (ids written by hand, by older versions or by
//! another tool) is kept as written. The text is what counts: two ids are
//! equal when their texts are, and they sort as their texts do.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// An event's id (see the module doc).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EventId(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// A UUID whose text is its lowercase hyphenated form.
    Uuid(uuid::Uuid),
    /// Any other text.
    Text(Box<str>),
}

/// The length of a hyphenated UUID's text.
const UUID_TEXT: usize = uuid::fmt::Hyphenated::LENGTH;

impl EventId {
    /// The id of a UUID (what [`super::journal::IdMaker`] makes).
    pub fn from_uuid(id: uuid::Uuid) -> EventId {
        EventId(Repr::Uuid(id))
    }

    /// The id with this text. A UUID is held as one only when writing it
    /// back gives this very text (lowercase, hyphenated), so the text is
    /// never changed.
    pub fn new(text: &str) -> EventId {
        if text.len() == UUID_TEXT
            && let Ok(id) = uuid::Uuid::try_parse(text)
            && id.hyphenated().encode_lower(&mut [0; UUID_TEXT]) == text
        {
            return EventId(Repr::Uuid(id));
        }
        EventId(Repr::Text(text.into()))
    }

    /// Call `f` with the id's text (made on the stack for a UUID).
    pub fn with_text<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        match &self.0 {
            Repr::Uuid(id) => f(id.hyphenated().encode_lower(&mut [0; UUID_TEXT])),
            Repr::Text(t) => f(t),
        }
    }

    /// Is the id empty or only blanks (never the case of a UUID)?
    pub fn is_blank(&self) -> bool {
        self.with_text(|t| t.trim().is_empty())
    }
}

impl From<&str> for EventId {
    fn from(text: &str) -> EventId {
        EventId::new(text)
    }
}

impl From<String> for EventId {
    fn from(text: String) -> EventId {
        EventId::new(&text)
    }
}

impl PartialEq<str> for EventId {
    fn eq(&self, other: &str) -> bool {
        self.with_text(|t| t == other)
    }
}

impl PartialEq<&str> for EventId {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for EventId {
    fn eq(&self, other: &String) -> bool {
        *self == *other.as_str()
    }
}

impl Ord for EventId {
    fn cmp(&self, other: &EventId) -> Ordering {
        match (&self.0, &other.0) {
            // Lowercase hex sorts as the bytes it stands for, and the
            // hyphens stand at the same places: the order of the texts.
            (Repr::Uuid(a), Repr::Uuid(b)) => a.cmp(b),
            _ => self.with_text(|a| other.with_text(|b| a.cmp(b))),
        }
    }
}

impl PartialOrd for EventId {
    fn partial_cmp(&self, other: &EventId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_text(|t| f.write_str(t))
    }
}

impl fmt::Debug for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_text(|t| fmt::Debug::fmt(t, f))
    }
}

impl Serialize for EventId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_text(|t| s.serialize_str(t))
    }
}

impl<'de> Deserialize<'de> for EventId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<EventId, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = EventId;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an event id (a string)")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EventId, E> {
                Ok(EventId::new(v))
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_held_in_its_bytes_and_any_other_text_as_written() {
        let uuid = "019ad991-c380-706d-84c8-47bec2a8dec3";
        assert!(matches!(EventId::new(uuid).0, Repr::Uuid(_)));
        // Upper case, no hyphens, braces: a UUID to a parser, but kept as
        // written, as the journal has it.
        for other in [
            "019AD991-C380-706D-84C8-47BEC2A8DEC3",
            "019ad991c380706d84c847bec2a8dec3",
            "{019ad991-c380-706d-84c8-47bec2a8dec3}",
            "laptop-17",
            "",
        ] {
            let id = EventId::new(other);
            assert!(matches!(id.0, Repr::Text(_)), "{other}");
            assert_eq!(id.to_string(), other);
        }
        assert_eq!(EventId::new(uuid).to_string(), uuid);
        assert_eq!(EventId::new(uuid), *uuid);
        assert!(EventId::new(" ").is_blank() && !EventId::new(uuid).is_blank());
    }

    #[test]
    fn ids_sort_as_their_texts() {
        let texts = [
            "019ad991-c380-706d-84c8-47bec2a8dec3",
            "019ad991-c380-706d-84c8-47bec2a8dec4",
            "019ad991-c380-706d-84c8-47bec2a8dec",
            "019ad991-c380-706d-84c8-47bec2a8dec3x",
            "019AD991-c380-706d-84c8-47bec2a8dec3",
            "0",
            "laptop-2",
            "a",
            "f0000000-0000-7000-8000-000000000000",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(EventId::new(a).cmp(&EventId::new(b)), a.cmp(b), "{a} {b}");
                assert_eq!(EventId::new(a) == EventId::new(b), a == b);
            }
        }
    }

    #[test]
    fn the_journal_text_is_unchanged() {
        let line = r#"("019ad991-c380-706d-84c8-47bec2a8dec3","dev-1")"#;
        let ids: (EventId, EventId) = ron::from_str(line).unwrap();
        assert_eq!(ron::to_string(&ids).unwrap(), line);
    }
}
