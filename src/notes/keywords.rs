//! Finding a chapter map's keywords in a card's text.
//!
//! Which keywords occur in a text, where a keyword occurs when the text
//! holds its bytes with ASCII letters in any case, and an ASCII keyword must
//! also stand as a whole word (no ASCII letter or digit right before or
//! after it). Korean particles attach to words, so other keywords match
//! anywhere.
//!
//! The text is read once, a character at a time, and only a few keywords are
//! compared at each place:
//!
//! * an ASCII keyword that starts with a letter or digit can only start
//!   where a word (a run of ASCII letters and digits) starts, and that word
//!   must be exactly as long as the keyword's own first word: keywords are
//!   filed by their first character and the length of their first word;
//! * any other ASCII keyword is filed under its first character;
//! * a keyword with Hangul is filed under its least common syllable (by
//!   `COMMON_SYLLABLES`), with the number of bytes before it, so that
//!   `서비스` is only tried where a `비` stands (not at every `서` and `스`,
//!   which particles and common words use too), and `run뒤에` only where a
//!   `뒤` stands, not at every `r`;
//! * a keyword with other non-ASCII characters is filed under the first of them.

use std::collections::BTreeMap;
use std::ops::Range;

/// A keyword: its number, where its text stands in [`KeywordIndex::bytes`],
/// how many bytes of it come before the character it is filed under, its
/// last byte (a quick first test) and whether it must be a whole word.
#[derive(Debug, Clone, Copy)]
struct Entry {
    keyword: u32,
    start: u32,
    back: u32,
    len: u32,
    last: u8,
    whole_word: bool,
    /// Does it hold an ASCII letter (else it is compared byte for byte)?
    fold: bool,
}

/// First Hangul syllable (가).
const HANGUL_FIRST: u32 = 0xAC00;
/// Number of Hangul syllables (가…힣).
const HANGUL_COUNT: usize = 11_172;
/// Words of a bit set with a bit per Hangul syllable.
const HANGUL_WORDS: usize = HANGUL_COUNT.div_ceil(64);
/// First words up to this many bytes have a table slot of their own; longer
/// ones share the last slot.
const MAX_WORD: usize = 32;
/// ASCII letters and digits: 36 first characters of a word.
const WORD_FIRSTS: usize = 36;

/// The keywords of a map, filed for [`KeywordIndex::find`].
#[derive(Debug, Clone)]
pub struct KeywordIndex {
    /// Keywords in lists, one list after the other.
    entries: Vec<Entry>,
    /// The keywords' texts, one after the other.
    bytes: Vec<u8>,
    /// Lists (ranges of `entries`) by number; list 0 is empty.
    spans: Vec<Range<u32>>,
    /// ASCII keywords starting with a letter or digit, by first character
    /// (see [`word_slot`]) and first word length.
    by_word: Vec<u32>,
    /// ASCII keywords starting with another ASCII byte, by that byte.
    by_ascii: [u32; 128],
    /// Keywords with Hangul (not all ASCII), by their least common syllable.
    by_hangul: Vec<u32>,
    /// Bit per syllable: is any keyword filed under it (a small table
    /// consulted before the large one).
    hangul_starts: Box<[u64; HANGUL_WORDS]>,
    /// Other keywords (not all ASCII, no Hangul) by their first non-ASCII
    /// character, sorted by it.
    by_other: Vec<(char, u32)>,
}

/// Hangul syllables that are common in any Korean text (particles, verb
/// endings, frequent parts of words), the most common first. A keyword is
/// tried only where its least common syllable stands: a syllable not listed
/// here is less common than any listed one.
const COMMON_SYLLABLES: &str = "이다는의에하고을가로지서기사리한자도를어수시나인대아들으정해일적게\
    부만있것주상전제원보면장회세우국중과동성소라위구경방스와거요러히니내되화르분치문\
    비계행공조관연용진신실무물개생까습데었했할된될및또더때그저";

/// Where a keyword with Hangul is filed: the byte offset of its least
/// common syllable (the first of them on a tie) and the syllable's index.
fn rarest_syllable(text: &str) -> Option<(usize, usize)> {
    // Unlisted syllables first; then the later in the list, the rarer.
    let commonness = |c: char| {
        COMMON_SYLLABLES
            .chars()
            .position(|x| x == c)
            .map_or(0, |r| usize::MAX - r)
    };
    text.char_indices()
        .filter_map(|(at, c)| Some((at, hangul_at(&text.as_bytes()[at..])?, c)))
        .min_by_key(|&(_, _, c)| commonness(c))
        .map(|(at, s, _)| (at, s))
}

/// Slot of an ASCII letter or digit among the first characters of a word.
fn word_slot(b: u8) -> usize {
    match b {
        b'0'..=b'9' => usize::from(b - b'0'),
        _ => 10 + usize::from(b.to_ascii_lowercase() - b'a'),
    }
}

/// Hangul syllable index of the three bytes at the start of `h`, if they are one.
fn hangul_at(h: &[u8]) -> Option<usize> {
    if h.len() < 3 || !(0xEA..=0xED).contains(&h[0]) {
        return None;
    }
    let c = (u32::from(h[0] & 0x0F) << 12) | (u32::from(h[1] & 0x3F) << 6) | u32::from(h[2] & 0x3F);
    let i = c.checked_sub(HANGUL_FIRST)? as usize;
    (i < HANGUL_COUNT).then_some(i)
}

impl KeywordIndex {
    /// File `keywords` (already lower-cased; empty ones are never found);
    /// [`KeywordIndex::find`] reports them by their position here.
    pub fn new<'a>(keywords: impl IntoIterator<Item = &'a str>) -> Self {
        #[derive(PartialEq, Eq, PartialOrd, Ord)]
        enum Key {
            Word(usize),
            Ascii(u8),
            Hangul(usize),
            Other(char),
        }
        let mut all_bytes = Vec::new();
        let mut filed: BTreeMap<Key, Vec<Entry>> = BTreeMap::new();
        for (k, text) in keywords.into_iter().enumerate() {
            let whole_word = text.is_ascii();
            let bytes = text.as_bytes();
            let Some(&first) = bytes.first() else {
                continue;
            };
            let (key, back) = if whole_word && first.is_ascii_alphanumeric() {
                let word = bytes
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let slot = word_slot(first) * (MAX_WORD + 1) + word.min(MAX_WORD);
                (Key::Word(slot), 0)
            } else if whole_word {
                (Key::Ascii(first), 0)
            } else if let Some((back, i)) = rarest_syllable(text) {
                (Key::Hangul(i), back)
            } else {
                // Not all ASCII: some character is not.
                let Some((back, c)) = text.char_indices().find(|(_, c)| !c.is_ascii()) else {
                    continue;
                };
                (Key::Other(c), back)
            };
            filed.entry(key).or_default().push(Entry {
                keyword: k as u32,
                start: all_bytes.len() as u32,
                back: back as u32,
                len: bytes.len() as u32,
                last: bytes[bytes.len() - 1].to_ascii_lowercase(),
                whole_word,
                fold: bytes.iter().any(u8::is_ascii_alphabetic),
            });
            all_bytes.extend_from_slice(bytes);
        }
        let mut index = KeywordIndex {
            entries: Vec::new(),
            bytes: all_bytes,
            spans: std::iter::once(0..0).collect(),
            by_word: vec![0; WORD_FIRSTS * (MAX_WORD + 1)],
            by_ascii: [0; 128],
            by_hangul: Vec::new(),
            hangul_starts: Box::new([0; HANGUL_WORDS]),
            by_other: Vec::new(),
        };
        for (key, list) in filed {
            let start = index.entries.len() as u32;
            index.entries.extend(list);
            let n = index.spans.len() as u32;
            index.spans.push(start..index.entries.len() as u32);
            match key {
                Key::Word(slot) => index.by_word[slot] = n,
                Key::Ascii(b) => index.by_ascii[usize::from(b)] = n,
                Key::Hangul(i) => {
                    if index.by_hangul.is_empty() {
                        index.by_hangul = vec![0; HANGUL_COUNT];
                    }
                    index.by_hangul[i] = n;
                    index.hangul_starts[i / 64] |= 1 << (i % 64);
                }
                Key::Other(c) => index.by_other.push((c, n)),
            }
        }
        index
    }

    /// Call `found` with the number of every keyword occurrence in `text`
    /// (a keyword found twice is reported twice).
    pub fn find(&self, text: &str, mut found: impl FnMut(usize)) {
        let h = text.as_bytes();
        let mut i = 0;
        while i < h.len() {
            let b = h[i];
            if b >= 0x80 {
                // The first byte of a character of two to four bytes.
                if let Some(s) = hangul_at(&h[i..]) {
                    // A bit set only where a list is.
                    if self.hangul_starts[s / 64] & (1 << (s % 64)) != 0 {
                        self.check(h, self.by_hangul[s], i, &mut found);
                    }
                    i += 3;
                    continue;
                }
                let len = match b {
                    0xF0..=0xFF => 4,
                    0xE0..=0xEF => 3,
                    _ => 2,
                };
                if !self.by_other.is_empty()
                    && let Some(c) = text.get(i..).and_then(|t| t.chars().next())
                    && let Ok(at) = self.by_other.binary_search_by(|(o, _)| o.cmp(&c))
                {
                    self.check(h, self.by_other[at].1, i, &mut found);
                }
                i += len;
                continue;
            }
            if b.is_ascii_alphanumeric() {
                // A whole word: only keywords of its first letter and length can start here.
                let len = h[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let list = self.by_word[word_slot(b) * (MAX_WORD + 1) + len.min(MAX_WORD)];
                if list != 0 {
                    self.check(h, list, i, &mut found);
                }
                i += len;
                continue;
            }
            let list = self.by_ascii[usize::from(b)];
            if list != 0 {
                self.check(h, list, i, &mut found);
            }
            i += 1;
        }
    }

    /// Report the keywords of `list` that occur in `h` with their filing
    /// character at `i`.
    #[inline]
    fn check(&self, h: &[u8], list: u32, i: usize, found: &mut impl FnMut(usize)) {
        let span = &self.spans[list as usize];
        for e in &self.entries[span.start as usize..span.end as usize] {
            let Some(at) = i.checked_sub(e.back as usize) else {
                continue;
            };
            let end = at + e.len as usize;
            if end > h.len() || h[end - 1].to_ascii_lowercase() != e.last {
                continue;
            }
            let text = &self.bytes[e.start as usize..(e.start + e.len) as usize];
            let same = if e.fold {
                h[at..end].eq_ignore_ascii_case(text)
            } else {
                h[at..end] == *text
            };
            if same && (!e.whole_word || is_word_at(h, at, end)) {
                found(e.keyword as usize);
            }
        }
    }
}

/// Is `h[s..e]` bounded by non-alphanumeric ASCII (or a text edge) on both sides?
pub fn is_word_at(h: &[u8], s: usize, e: usize) -> bool {
    let before = s == 0 || !h[s - 1].is_ascii_alphanumeric();
    let after = e >= h.len() || !h[e].is_ascii_alphanumeric();
    before && after
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every occurrence, found by trying each keyword at each character.
    fn plain(keywords: &[&str], text: &str) -> Vec<usize> {
        let h = text.as_bytes();
        let mut out = Vec::new();
        for (at, _) in text.char_indices() {
            for (k, kw) in keywords.iter().enumerate() {
                let end = at + kw.len();
                if !kw.is_empty()
                    && h.get(at..end)
                        .is_some_and(|w| w.eq_ignore_ascii_case(kw.as_bytes()))
                    && (!kw.is_ascii() || is_word_at(h, at, end))
                {
                    out.push(k);
                }
            }
        }
        out.sort_unstable();
        out
    }

    fn indexed(keywords: &[&str], text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        KeywordIndex::new(keywords.iter().copied()).find(text, |k| out.push(k));
        out.sort_unstable();
        out
    }

    const KEYWORDS: &[&str] = &[
        "pv",
        "pvc",
        "docker run",
        "run",
        "r/w",
        "library/",
        ".dockerignore",
        "k8s가 죽",
        "run뒤에",
        "볼륨",
        "볼륨 마운트",
        "마운트",
        "서비스",
        "하나의 서비스가",
        "이다",
        "ｐｏｄ",
        "é",
        "",
        "run",
    ];

    #[test]
    fn finds_what_trying_every_place_finds() {
        for text in [
            "PV와 PVC, pvcs, a-pv-b, 2pv",
            "Docker Run 후 docker  run, dockerrun, RUN뒤에 run",
            "R/W 레이어, r/wx, library/nginx, mylibrary/x",
            "the .dockerignore file, x.dockerignore, .DockerIgnore",
            "K8S가 죽으면 볼륨 마운트를 다시 볼륨마운트",
            "서비스 하나의 서비스가 서비스서비스가 이다이다 다이다",
            "ｐｏｄ와 café, 😀 é",
            "",
            "pv",
        ] {
            assert_eq!(indexed(KEYWORDS, text), plain(KEYWORDS, text), "{text}");
        }
    }

    #[test]
    fn finds_the_bundled_keywords_as_trying_every_place_does_in_the_seed_notes() {
        let map: crate::notes::chapters::ChapterMap =
            ron::from_str(crate::notes::chapters::BUNDLED_MAP).expect("bundled map");
        let lowered: Vec<String> = map
            .chapters
            .iter()
            .chain([&map.unsorted])
            .flat_map(|c| c.keywords.iter().map(|(k, _)| k.to_lowercase()))
            .collect();
        let keywords: Vec<&str> = lowered.iter().map(String::as_str).collect();
        let index = KeywordIndex::new(keywords.iter().copied());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/notes");
        let mut texts = 0;
        let mut hits = 0;
        for entry in std::fs::read_dir(dir).expect("seed notes") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("note");
            let e = crate::notes::extract_note("seed", &text).expect("converts");
            for c in &e.cards {
                for t in [c.question.as_str(), c.answer.as_str(), e.answer_text(c)] {
                    let mut found = Vec::new();
                    index.find(t, |k| found.push(k));
                    found.sort_unstable();
                    assert_eq!(found, plain(&keywords, t), "{t}");
                    texts += 1;
                    hits += found.len();
                }
            }
        }
        assert!(texts > 500 && hits > 1000, "{texts} texts, {hits} hits");
    }

    proptest! {
        #[test]
        fn any_text_any_keywords(
            keywords in proptest::collection::vec("[a-cA-C1 /.가나비스é]{0,4}", 0..12),
            text in "[a-cA-C1 /.가나비스é😀]{0,60}",
        ) {
            let keywords: Vec<String> = keywords.iter().map(|k| k.to_lowercase()).collect();
            let keywords: Vec<&str> = keywords.iter().map(String::as_str).collect();
            prop_assert_eq!(indexed(&keywords, &text), plain(&keywords, &text));
        }
    }
}
