//! Card identity: normalised question text → stable id, and matching the
//! cards of a re-converted note to the cards it had before.
//!
//! An id is a hash of deck, kind and normalised question, so it does not
//! depend on a card's position. When a question is edited, the new card is
//! matched to the old one by similarity and inherits its id, so its review
//! history stays with it.

use crate::deck::{Card, CardId, CardKind};
use std::collections::{HashMap, HashSet};

/// Similarity (normalised Levenshtein over characters) from which an edited
/// question is taken for the same card.
pub const SIMILARITY_MIN: f64 = 0.75;
/// Shortest normalised question (characters) that may match by containment
/// (a word added or removed at either end).
pub const CONTAIN_MIN_CHARS: usize = 8;

/// Fold what does not change a question's meaning: case, whitespace, Markdown
/// marks, link targets, escapes and trailing punctuation.
pub fn normalise_question(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    // Bytes from `run` to `i` are kept as they are and not yet written:
    // most of a question is, so it is copied a run at a time.
    let mut run = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii() {
            if ASCII_KEPT[usize::from(c)] {
                i += 1;
                continue;
            }
            out.push_str(&s[run..i]);
            i += 1;
            match c {
                // `](url)` — drop the link target too.
                b']' => {
                    if b.get(i) == Some(&b'(')
                        && let Some(close) = memchr::memchr(b')', &b[i..])
                    {
                        i += close + 1;
                    }
                }
                b'*' | b'_' | b'`' | b'~' | b'=' | b'#' | b'>' | b'[' | b'\\' | b'!' => {}
                b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r' => push_space(&mut out),
                c => out.push(char::from(c.to_ascii_lowercase())),
            }
            run = i;
            continue;
        }
        // Hangul has no case: a run of it is kept as it is.
        if let Some(&[c1, c2]) = b.get(i + 1..i + 3)
            && is_hangul_utf8(c, c1, c2)
        {
            i += 3;
            while let Some(&[c0, c1, c2]) = b.get(i..i + 3)
                && is_hangul_utf8(c0, c1, c2)
            {
                i += 3;
            }
            continue;
        }
        out.push_str(&s[run..i]);
        let Some(ch) = s[i..].chars().next() else {
            break;
        };
        i += ch.len_utf8();
        run = i;
        if ch.is_whitespace() {
            push_space(&mut out);
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    out.push_str(&s[run..]);
    // No leading space is ever written: only the end needs trimming.
    let keep = out
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '?' | '？' | '.' | '!' | '。' | '…' | '~' | ',')
        })
        .len();
    out.truncate(keep);
    out
}

/// Are these the three UTF-8 bytes of a Hangul syllable (U+AC00–D7A3),
/// jamo (U+1100–11FF) or compatibility jamo (U+3130–318F)? Decided from
/// the bytes, without decoding the character.
fn is_hangul_utf8(c0: u8, c1: u8, c2: u8) -> bool {
    match c0 {
        // U+B000–CFFF: all syllables.
        0xEB | 0xEC => true,
        // U+A000–AFFF: syllables from U+AC00 (EA B0 80).
        0xEA => c1 >= 0xB0,
        // U+D000–DFFF: syllables up to U+D7A3 (ED 9E A3).
        0xED => c1 < 0x9E || (c1 == 0x9E && c2 <= 0xA3),
        // U+1100–11FF: E1 84 80 – E1 87 BF.
        0xE1 => (0x84..=0x87).contains(&c1),
        // U+3130–318F: E3 84 B0 – E3 86 8F.
        0xE3 => matches!((c1, c2), (0x84, 0xB0..) | (0x85, _) | (0x86, ..=0x8F)),
        _ => false,
    }
}

/// ASCII bytes a normalised question keeps as they are: not a mark, not
/// whitespace, not an upper-case letter.
const ASCII_KEPT: [bool; 128] = {
    let mut kept = [false; 128];
    let mut c = 0;
    while c < 128 {
        kept[c] = !matches!(
            c as u8,
            b'*' | b'_'
                | b'`'
                | b'~'
                | b'='
                | b'#'
                | b'>'
                | b'['
                | b']'
                | b'\\'
                | b'!'
                | b' '
                | b'\t'
                | b'\n'
                | b'\x0B'
                | b'\x0C'
                | b'\r'
                | b'A'..=b'Z'
        );
        c += 1;
    }
    kept
};

/// One space for a run of whitespace, none at the start.
fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

/// FNV-1a: start and multiplier.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The hash state after a card's deck and kind (each followed by `\x1f`).
fn id_hash_prefix(deck: &str, kind: CardKind) -> u64 {
    let h = fnv(FNV_OFFSET, deck.as_bytes());
    let h = fnv(h, b"\x1f");
    fnv(fnv(h, kind.as_str().as_bytes()), b"\x1f")
}

/// Hash of a card's identity: deck, kind and normalised question (FNV-1a
/// of them, with `\x1f` after the deck and after the kind).
pub fn id_hash(deck: &str, kind: CardKind, normalised_question: &str) -> u64 {
    fnv(id_hash_prefix(deck, kind), normalised_question.as_bytes())
}

/// [`id_hash`] of each of many cards of one deck (kind and normalised
/// question). Four are computed side by side: each byte of one hash waits
/// for the multiplication before it, and the four chains overlap.
pub fn id_hashes(deck: &str, cards: &[(CardKind, &str)]) -> Vec<u64> {
    let prefixes = CardKind::ALL.map(|k| id_hash_prefix(deck, k));
    let prefix = |kind: CardKind| {
        let at = CardKind::ALL.iter().position(|&k| k == kind);
        at.map_or_else(|| id_hash_prefix(deck, kind), |i| prefixes[i])
    };
    let mut out = Vec::with_capacity(cards.len());
    for group in cards.chunks(4) {
        let mut h = [0u64; 4];
        let mut text: [&[u8]; 4] = [&[]; 4];
        for (lane, &(kind, q)) in group.iter().enumerate() {
            h[lane] = prefix(kind);
            text[lane] = q.as_bytes();
        }
        let longest = text.iter().map(|t| t.len()).max().unwrap_or(0);
        for i in 0..longest {
            for lane in 0..4 {
                if let Some(&b) = text[lane].get(i) {
                    h[lane] = (h[lane] ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
            }
        }
        out.extend_from_slice(&h[..group.len()]);
    }
    out
}

/// The id a card gets when it has no earlier identity.
pub fn card_id(deck: &str, kind: CardKind, normalised_question: &str) -> CardId {
    id_from_hash(id_hash(deck, kind, normalised_question))
}

/// The id a card with identity hash `h` ([`id_hash`]) gets when it has no
/// earlier identity: the hash in 16 hexadecimal digits.
pub fn id_from_hash(h: u64) -> CardId {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut digits = [0u8; 16];
    for (k, d) in digits.iter_mut().enumerate() {
        *d = HEX[(h >> ((15 - k) * 4)) as usize & 0xF];
    }
    // Hex digits are ASCII; sixteen of them are kept inline (no allocation).
    CardId(smol_str::SmolStr::new_inline(
        std::str::from_utf8(&digits).unwrap_or_default(),
    ))
}

/// Hasher for keys that are already well-mixed 64-bit hashes ([`id_hash`]).
#[derive(Default)]
pub(crate) struct HashIdHasher(u64);

impl std::hash::Hasher for HashIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// How alike two normalised questions are, 0.0–1.0.
pub fn similarity(a: &str, b: &str) -> f64 {
    let lev = strsim::normalized_levenshtein(a, b);
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    if short.chars().count() >= CONTAIN_MIN_CHARS && long.contains(short) {
        lev.max(SIMILARITY_MIN)
    } else {
        lev
    }
}

/// A cheap test that rules out most pairs before [`similarity`]: character
/// counts too far apart for the edit distance, and neither containing the other.
fn could_be_similar(a: &str, ca: usize, b: &str, cb: usize) -> bool {
    let (short, long) = if ca <= cb { (ca, cb) } else { (cb, ca) };
    // Edit distance ≥ the length difference, so similarity ≤ short / long.
    if short as f64 >= long as f64 * SIMILARITY_MIN {
        return true;
    }
    short >= CONTAIN_MIN_CHARS
        && if ca <= cb {
            b.contains(a)
        } else {
            a.contains(b)
        }
}

/// [`similarity`] of two questions (also given as characters) when it is at
/// least [`SIMILARITY_MIN`], found with a banded edit distance.
fn similar_enough(a: &str, ac: &[char], b: &str, bc: &[char]) -> Option<f64> {
    let longest = ac.len().max(bc.len());
    if longest == 0 {
        return Some(1.0);
    }
    let max_edits = ((1.0 - SIMILARITY_MIN) * longest as f64).floor() as usize + 1;
    let lev = levenshtein_within(ac, bc, max_edits)
        .map(|d| 1.0 - d as f64 / longest as f64)
        .unwrap_or(0.0);
    let contained = ac.len().min(bc.len()) >= CONTAIN_MIN_CHARS
        && if ac.len() <= bc.len() {
            b.contains(a)
        } else {
            a.contains(b)
        };
    let s = if contained {
        lev.max(SIMILARITY_MIN)
    } else {
        lev
    };
    (s >= SIMILARITY_MIN).then_some(s)
}

/// Edit distance of `a` and `b` if it is at most `k` (Ukkonen's band: only
/// cells within `k` of the diagonal can stay within `k`).
fn levenshtein_within(a: &[char], b: &[char], k: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > k {
        return None;
    }
    let far = usize::MAX / 2;
    let mut prev: Vec<usize> = (0..=m).map(|j| if j <= k { j } else { far }).collect();
    let mut cur = vec![far; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(k).max(1);
        let hi = (i + k).min(m);
        cur[0] = if i <= k { i } else { far };
        if lo > 1 {
            cur[lo - 1] = far;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if hi < m {
            cur[hi + 1] = far;
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[m] <= k).then_some(prev[m])
}

/// Questions of at most this many characters are compared with every old
/// question; longer ones only with those sharing enough bigrams.
const SHORT_CHARS: usize = 8;

/// Character bigrams of a string with their counts, sorted.
fn bigrams(s: &str) -> Vec<(u64, u32)> {
    let chars: Vec<char> = s.chars().collect();
    let mut grams: Vec<u64> = chars
        .windows(2)
        .map(|w| (u64::from(u32::from(w[0])) << 32) | u64::from(u32::from(w[1])))
        .collect();
    grams.sort_unstable();
    let mut out: Vec<(u64, u32)> = Vec::with_capacity(grams.len());
    for g in grams {
        match out.last_mut() {
            Some((h, n)) if *h == g => *n += 1,
            _ => out.push((g, 1)),
        }
    }
    out
}

/// Fewest bigrams two strings of at most `longest` characters share when
/// similar enough by edit distance: each edit destroys at most two bigrams
/// of the `longest − 1` (the q-gram lemma). One edit of slack keeps float
/// rounding in [`similarity`] from ever excluding a real match.
fn bigram_bound(longest: usize) -> u32 {
    let max_edits = ((1.0 - SIMILARITY_MIN) * longest as f64).floor() as usize + 1;
    longest.saturating_sub(1).saturating_sub(2 * max_edits) as u32
}

/// Old questions by the bigrams they contain.
struct BigramIndex {
    postings: HashMap<u64, Vec<(usize, u32)>>,
}

impl BigramIndex {
    /// Index the questions not `used` yet.
    fn new(questions: &[String], used: &[bool]) -> Self {
        let mut postings: HashMap<u64, Vec<(usize, u32)>> = HashMap::new();
        for (j, q) in questions.iter().enumerate() {
            if used[j] {
                continue;
            }
            for (g, n) in bigrams(q) {
                postings.entry(g).or_default().push((j, n));
            }
        }
        BigramIndex { postings }
    }

    /// `shared[j]` += bigrams `q` shares with old question `j` (as multisets);
    /// `touched` lists every `j` that shares one.
    fn count_shared(&self, q: &str, shared: &mut [u32], touched: &mut Vec<usize>) {
        for (g, n) in bigrams(q) {
            for &(j, m) in self.postings.get(&g).map_or(&[][..], Vec::as_slice) {
                if shared[j] == 0 {
                    touched.push(j);
                }
                shared[j] += n.min(m);
            }
        }
    }
}

/// Pair cards not matched exactly (`matched_old[i]` is `None`) with earlier
/// cards not `used` yet whose question is similar enough, best pairs first.
fn match_edited(
    previous: &[Card],
    cards: &[&mut Card],
    norm_old: &[String],
    norm_new: &[String],
    used: &mut [bool],
    matched_old: &mut [Option<usize>],
) {
    let chars_new: Vec<usize> = norm_new.iter().map(|n| n.chars().count()).collect();
    let chars_old: Vec<usize> = norm_old.iter().map(|n| n.chars().count()).collect();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let index = BigramIndex::new(norm_old, used);
    let old_chars: Vec<Vec<char>> = norm_old
        .iter()
        .zip(used.iter())
        .map(|(q, &u)| if u { Vec::new() } else { q.chars().collect() })
        .collect();
    let mut shared = vec![0u32; previous.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (i, c) in cards.iter().enumerate() {
        if matched_old[i].is_some() {
            continue;
        }
        let new_chars: Vec<char> = norm_new[i].chars().collect();
        let mut consider = |j: usize| {
            let o = &previous[j];
            if used[j] || o.deck != c.deck || o.kind != c.kind {
                return;
            }
            if !could_be_similar(&norm_new[i], chars_new[i], &norm_old[j], chars_old[j]) {
                return;
            }
            if let Some(s) = similar_enough(&norm_new[i], &new_chars, &norm_old[j], &old_chars[j]) {
                pairs.push((s, i, j));
            }
        };
        if chars_new[i] <= SHORT_CHARS {
            // Too short for the bigram bound to exclude anything: look at all.
            (0..previous.len()).for_each(&mut consider);
            continue;
        }
        index.count_shared(&norm_new[i], &mut shared, &mut touched);
        for &j in &touched {
            let (ca, cb) = (chars_new[i], chars_old[j]);
            let short = ca.min(cb) as u32;
            if shared[j] >= bigram_bound(ca.max(cb))
                || (short as usize >= CONTAIN_MIN_CHARS && shared[j] + 1 >= short)
            {
                consider(j);
            }
        }
        for &j in &touched {
            shared[j] = 0;
        }
        touched.clear();
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in pairs {
        if matched_old[i].is_none() && !used[j] {
            used[j] = true;
            matched_old[i] = Some(j);
        }
    }
}

/// What re-conversion did to the cards of the previous decks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChangeReport {
    /// Cards that did not exist before.
    pub new: Vec<CardId>,
    /// Cards that kept their id but whose question, answer, chapter or sources changed.
    pub changed: Vec<CardId>,
    /// Cards unchanged.
    pub kept: Vec<CardId>,
    /// Earlier cards with no counterpart now (their history is kept by the store).
    pub removed: Vec<CardId>,
}

/// Give each new card its id: the previous card's id when the question is
/// the same or lightly edited, else a fresh one. `cards` must have their
/// deck and kind set; ids are overwritten.
pub fn assign_ids(previous: &[Card], cards: &mut [Card]) -> ChangeReport {
    let norm_new: Vec<String> = cards
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    let hash_new: Vec<u64> = cards
        .iter()
        .zip(&norm_new)
        .map(|(c, n)| id_hash(&c.deck, c.kind, n))
        .collect();
    for (c, &h) in cards.iter_mut().zip(&hash_new) {
        c.id = id_from_hash(h);
    }
    let mut cards: Vec<&mut Card> = cards.iter_mut().collect();
    assign_ids_normalised(previous, &mut cards, &norm_new, &hash_new)
}

/// [`assign_ids`] with the new cards' normalised questions and their
/// [`id_hash`] computed, and their fresh ids ([`id_from_hash`]) in place;
/// the cards in order, wherever they are kept.
pub fn assign_ids_normalised(
    previous: &[Card],
    cards: &mut [&mut Card],
    norm_new: &[String],
    hash_new: &[u64],
) -> ChangeReport {
    let mut report = ChangeReport::default();
    let norm_old: Vec<String> = previous
        .iter()
        .map(|c| normalise_question(&c.question))
        .collect();
    let mut exact: HashMap<(&str, CardKind, &str), usize> = HashMap::new();
    for (i, c) in previous.iter().enumerate() {
        exact.entry((&c.deck, c.kind, &norm_old[i])).or_insert(i);
    }
    let mut matched_old: Vec<Option<usize>> = vec![None; cards.len()];
    let mut used = vec![false; previous.len()];
    for (i, c) in cards.iter().enumerate() {
        if let Some(&j) = exact.get(&(&*c.deck, c.kind, norm_new[i].as_str()))
            && !used[j]
        {
            used[j] = true;
            matched_old[i] = Some(j);
        }
    }
    // Edited questions: best pairs first (only when some earlier card is left).
    if used.contains(&false) {
        match_edited(
            previous,
            cards,
            &norm_old,
            norm_new,
            &mut used,
            &mut matched_old,
        );
    }
    // Ids taken so far: fresh ids without a suffix by their hash (no id
    // with a `-` suffix and no other hash has the same 16 digits), all the
    // others (earlier cards' ids, suffixed ids) by their text.
    let mut fresh_taken: HashSet<u64, std::hash::BuildHasherDefault<HashIdHasher>> =
        HashSet::with_capacity_and_hasher(cards.len(), Default::default());
    let other_taken: HashSet<&str> = matched_old
        .iter()
        .flatten()
        .map(|&j| previous[j].id.0.as_str())
        .collect();
    let mut suffixed: HashSet<String> = HashSet::new();
    for (i, c) in cards.iter_mut().enumerate() {
        match matched_old[i] {
            Some(j) => {
                let o = &previous[j];
                c.id = o.id.clone();
                let same = o.question == c.question
                    && o.answer == c.answer
                    && o.chapter == c.chapter
                    && o.sources == c.sources
                    && o.section == c.section;
                if same {
                    report.kept.push(c.id.clone());
                } else {
                    report.changed.push(c.id.clone());
                }
            }
            None => {
                // `c.id` is the fresh id of `hash_new[i]`.
                let h = hash_new[i];
                if !other_taken.contains(c.id.0.as_str()) && fresh_taken.insert(h) {
                    report.new.push(c.id.clone());
                    continue;
                }
                let mut n = 2;
                let id = loop {
                    let id = format!("{}-{n}", c.id);
                    if !other_taken.contains(id.as_str()) && !suffixed.contains(&id) {
                        break id;
                    }
                    n += 1;
                };
                suffixed.insert(id.clone());
                c.id = CardId(id.into());
                report.new.push(c.id.clone());
            }
        }
    }
    for (j, o) in previous.iter().enumerate() {
        if !used[j] {
            report.removed.push(o.id.clone());
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hangul_is_told_from_its_bytes_for_every_three_byte_character() {
        for cp in 0x800..=0xFFFF_u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(
                is_hangul_utf8(b[0], b[1], b[2]),
                matches!(cp, 0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F),
                "U+{cp:04X}"
            );
        }
    }

    #[test]
    fn normalisation_folds_marks_space_and_trailing_punctuation() {
        assert_eq!(
            normalise_question("  `docker run`을   실행하면 **pull**은?? "),
            "docker run을 실행하면 pull은"
        );
        assert_eq!(
            normalise_question("[Killercoda](https://killercoda.com/) 에서"),
            "killercoda 에서"
        );
    }

    /// What normalising means, a character at a time.
    fn normalise_plainly(s: &str) -> String {
        let mut out = String::new();
        let mut i = 0;
        while let Some(c) = s[i..].chars().next() {
            i += c.len_utf8();
            if c == ']' {
                if s[i..].starts_with('(')
                    && let Some(close) = s[i..].find(')')
                {
                    i += close + 1;
                }
            } else if "*_`~=#>[\\!".contains(c) {
            } else if c.is_whitespace() {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.extend(c.to_lowercase());
            }
        }
        let end = out.trim_end_matches(|c: char| c.is_whitespace() || "?？.!。…~,".contains(c));
        end.to_string()
    }

    proptest::proptest! {
        #[test]
        fn normalising_is_what_it_means(s in "[가힣뷁ᄀㄱ aZz09\t\n\u{0B}\u{3000}*_`~=#>\\\\!\\[\\]()?？.,。…Ꙁꙁ\u{212A}Éé😀]{0,40}") {
            proptest::prop_assert_eq!(normalise_question(&s), normalise_plainly(&s));
        }
    }

    #[test]
    fn hashes_side_by_side_are_the_single_hashes() {
        // Known value: ids of earlier versions must not change.
        assert_eq!(
            card_id("course", CardKind::Qa, "볼륨이란").0,
            format!("{:016x}", {
                let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                for b in "course\x1fqa\x1f볼륨이란".bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
                }
                h
            })
        );
        let texts: Vec<String> = (0..11)
            .map(|n| "볼륨 마운트 x".chars().cycle().take(n * 3).collect())
            .collect();
        for count in 0..texts.len() {
            let cards: Vec<(CardKind, &str)> = texts[..count]
                .iter()
                .enumerate()
                .map(|(i, t)| (CardKind::ALL[i % 4], t.as_str()))
                .collect();
            let single: Vec<u64> = cards.iter().map(|&(k, t)| id_hash("book", k, t)).collect();
            assert_eq!(id_hashes("book", &cards), single);
        }
    }

    #[test]
    fn id_depends_on_text_not_position() {
        let a = card_id("course", CardKind::Qa, "같은 질문");
        assert_eq!(a, card_id("course", CardKind::Qa, "같은 질문"));
        assert_ne!(a, card_id("book", CardKind::Qa, "같은 질문"));
        assert_eq!(a.0.len(), 16);
    }

    #[test]
    fn typo_fix_is_similar_enough() {
        let a = normalise_question("Volume 만들 때 용량은 지정할 수 있나요?");
        let b = normalise_question("Volume을 만들 때 용량을 지정할 수 있나요?");
        assert!(similarity(&a, &b) >= SIMILARITY_MIN);
        let c = normalise_question("Helm chart의 구조는 어떻게 되나요?");
        assert!(similarity(&a, &c) < SIMILARITY_MIN);
    }

    fn shared_bigrams(a: &str, b: &str) -> u32 {
        let (ga, gb) = (bigrams(a), bigrams(b));
        ga.iter()
            .map(|(g, n)| {
                gb.iter()
                    .find(|(h, _)| h == g)
                    .map_or(0, |(_, m)| (*n).min(*m))
            })
            .sum()
    }

    proptest::proptest! {
        /// The bigram filter never drops a pair that `similarity` accepts.
        #[test]
        fn bigram_filter_keeps_every_similar_pair(
            a in "[가나다 ab]{9,40}",
            edits in proptest::collection::vec((0usize..40, 0u8..3, "[가나다 abc]"), 0..12),
        ) {
            let mut b: Vec<char> = a.chars().collect();
            for (at, op, c) in edits {
                let c = c.chars().next().unwrap_or('a');
                let at = at.min(b.len());
                match op {
                    0 => b.insert(at, c),
                    1 if at < b.len() => { b.remove(at); }
                    _ if at < b.len() => b[at] = c,
                    _ => b.push(c),
                }
            }
            let b: String = b.into_iter().collect();
            let (ca, cb) = (a.chars().count(), b.chars().count());
            if similarity(&a, &b) >= SIMILARITY_MIN {
                let shared = shared_bigrams(&a, &b);
                let short = ca.min(cb) as u32;
                proptest::prop_assert!(
                    shared >= bigram_bound(ca.max(cb))
                        || (short as usize >= CONTAIN_MIN_CHARS && shared + 1 >= short),
                    "{a:?} {b:?} shared {shared}"
                );
            }
        }
    }

    /// A course Q&A card with this question, no id yet.
    fn card(q: &str) -> Card {
        Card::sample(q, "a")
    }

    #[test]
    fn edited_questions_keep_their_ids_among_many() {
        let mut old: Vec<Card> = (0..300)
            .map(|i| card(&format!("질문 번호 {i}번은 무엇을 뜻하나요?")))
            .collect();
        assign_ids(&[], &mut old);
        let mut new: Vec<Card> = (0..300)
            .map(|i| {
                if i % 3 == 0 {
                    card(&format!("질문 번호 {i}번은 무엇을 뜻하는 걸까요?"))
                } else {
                    card(&format!("질문 번호 {i}번은 무엇을 뜻하나요?"))
                }
            })
            .collect();
        let report = assign_ids(&old, &mut new);
        assert_eq!(report.new.len(), 0, "{:?}", report.new);
        assert_eq!(report.removed.len(), 0);
        assert_eq!(report.changed.len(), 100);
        for (o, n) in old.iter().zip(&new) {
            assert_eq!(o.id, n.id, "{} / {}", o.question, n.question);
        }
    }

    #[test]
    fn taken_ids_get_a_numbered_suffix() {
        // The same question three times (unmerged): one id each.
        let mut cards = vec![card("볼륨은?"), card("볼륨은?"), card("볼륨은?")];
        let report = assign_ids(&[], &mut cards);
        let base = card_id("course", CardKind::Qa, &normalise_question("볼륨은?"));
        let ids: Vec<String> = cards.iter().map(|c| c.id.0.to_string()).collect();
        assert_eq!(
            ids,
            [base.0.to_string(), format!("{base}-2"), format!("{base}-3")]
        );
        assert_eq!(report.new.len(), 3);
        // An earlier card kept under another question holds the fresh id of
        // a new one (and `-2` is taken too): the new card moves on to `-3`.
        let mut old = vec![card("네트워크는?"), card("포트는?")];
        old[0].id = base.clone();
        old[1].id = CardId(format!("{base}-2").into());
        let mut new = vec![card("네트워크는?"), card("포트는?"), card("볼륨은?")];
        let report = assign_ids(&old, &mut new);
        assert_eq!(report.kept.len(), 2);
        assert_eq!(new[0].id, base);
        assert_eq!(new[2].id.0, format!("{base}-3"));
        assert_eq!(report.new, [new[2].id.clone()]);
    }

    proptest::proptest! {
        /// The banded distance agrees with the full one wherever it answers.
        #[test]
        fn banded_edit_distance_matches_full(
            a in "[가나 ab]{0,30}",
            b in "[가나 ab]{0,30}",
            k in 0usize..12,
        ) {
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let full = strsim::levenshtein(&a, &b);
            let banded = levenshtein_within(&ac, &bc, k);
            proptest::prop_assert_eq!(banded, (full <= k).then_some(full));
            let s = similarity(&a, &b);
            let fast = similar_enough(&a, &ac, &b, &bc);
            proptest::prop_assert_eq!(fast, (s >= SIMILARITY_MIN).then_some(s));
        }
    }
}
