//! Markdown notes → chapter-tagged cards.
//!
//! [`convert`] is pure: it takes note texts (already read by [`load`]) and the
//! previous decks, and returns decks and a report. The `convert` command of
//! the binary adds the file reading and the atomic deck writes.

pub mod chapters;
pub mod extract;
pub mod identity;
pub mod keywords;
pub mod load;
pub mod parse;
pub mod plain;

use crate::deck::{Card, CardKind, Deck, Source};
use chapters::{Basis, CardText, Classifier};
use extract::{NoteShape, Skipped, Unanswered, Warning};
use identity::ChangeReport;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

/// Deck of course Q&A logs.
pub const COURSE_DECK: &str = "course";
/// Deck of book and study notes.
pub const BOOK_DECK: &str = "book";
/// Chapter id of cards no chapter fits.
pub const UNSORTED_ID: &str = "00";
/// Title of the unsorted chapter.
pub const UNSORTED_TITLE: &str = "미분류";

/// One note's text, under the name its cards' sources will carry.
#[derive(Debug, Clone)]
pub struct NoteInput {
    /// Path as shown in sources and messages.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// What one note gave.
#[derive(Debug, Clone)]
pub struct NoteReport {
    /// Path as shown.
    pub name: String,
    /// How it was read.
    pub shape: NoteShape,
    /// Deck its cards went to.
    pub deck: String,
    /// Cards per kind.
    pub kinds: BTreeMap<CardKind, usize>,
    /// Questions without answers.
    pub unanswered: Vec<Unanswered>,
    /// What made no card.
    pub skipped: Vec<Skipped>,
    /// Remarks on form.
    pub warnings: Vec<Warning>,
    /// How each course card's chapter was decided (card line → basis).
    pub chapter_basis: Vec<(usize, Basis)>,
}

/// A note that could not be converted.
#[derive(Debug, Clone)]
pub struct NoteFailure {
    /// Path as shown.
    pub name: String,
    /// The error, naming file and line.
    pub message: String,
}

/// The result of converting a set of notes.
#[derive(Debug, Clone)]
pub struct Conversion {
    /// Decks in name order, cards in note order.
    pub decks: Vec<Deck>,
    /// One report per converted note.
    pub notes: Vec<NoteReport>,
    /// Notes that failed.
    pub failures: Vec<NoteFailure>,
    /// New / changed / kept / removed against the previous decks.
    pub changes: ChangeReport,
}

impl Conversion {
    /// All cards of all decks.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.decks.iter().flat_map(|d| d.cards.iter())
    }
}

/// Is `c` a Hangul syllable (가–힣)? They have no case: lower-casing them
/// (or ASCII) needs none of the Unicode case tables.
pub(crate) fn is_hangul_syllable(c: char) -> bool {
    ('가'..='힣').contains(&c)
}

/// Parse and extract one note; `Err` carries the message for a failure.
pub fn extract_note(name: &str, text: &str) -> Result<extract::Extracted, String> {
    let parsed = parse::parse(parse::normalise(text)).map_err(|e| {
        format!(
            "{name}:{}: nesting deeper than {} levels",
            e.line,
            parse::MAX_DEPTH
        )
    })?;
    Ok(extract::extract(parsed))
}

/// One note's cards, ready to merge.
struct NoteCards {
    report: NoteReport,
    chapter_titles: Vec<(u32, String)>,
    cards: Vec<Card>,
    /// Book chapter number of each card (its title is settled over all notes).
    book_chapters: Vec<Option<u32>>,
    /// Normalised question and identity hash of each card.
    keys: Vec<(String, u64)>,
}

/// Everything about one note that does not depend on the other notes.
fn convert_note(input: &NoteInput, classifier: &Classifier) -> Result<NoteCards, String> {
    let e = extract_note(&input.name, &input.text)?;
    let (deck, course) = match e.shape {
        NoteShape::QaLog => (COURSE_DECK, Some(course_chapters(classifier, &e))),
        NoteShape::Study => (BOOK_DECK, None),
    };
    // Strings every card of the note shares, made once.
    let deck_name: Arc<str> = Arc::from(deck);
    let file: Arc<str> = Arc::from(input.name.as_str());
    let mut course_names: Vec<Option<(Arc<str>, Arc<str>)>> =
        vec![None; classifier.map.chapters.len() + 1];
    let mut book_ids: Vec<(u32, Arc<str>)> = Vec::new();
    let mut unsorted: Option<(Arc<str>, Arc<str>)> = None;
    let no_title: Arc<str> = Arc::from("");
    let mut kinds = BTreeMap::new();
    let mut basis = Vec::new();
    let mut cards = Vec::with_capacity(e.cards.len());
    let mut book_chapters = Vec::with_capacity(e.cards.len());
    // Identity keys: normalised questions, then their hashes all at once.
    let norms: Vec<String> = e
        .cards
        .iter()
        .map(|c| identity::normalise_question(&c.question))
        .collect();
    let kinds_norms: Vec<(CardKind, &str)> = e
        .cards
        .iter()
        .zip(&norms)
        .map(|(c, n)| (c.kind, n.as_str()))
        .collect();
    let hashes = identity::id_hashes(deck, &kinds_norms);
    let keys: Vec<(String, u64)> = norms.into_iter().zip(hashes).collect();
    let mut course = course.map(Vec::into_iter);
    for (raw, &(_, hash)) in e.cards.into_iter().zip(&keys) {
        *kinds.entry(raw.kind).or_insert(0) += 1;
        let (chapter, chapter_title) = match course.as_mut().and_then(Iterator::next) {
            Some((ix, b)) => {
                basis.push((raw.line, b));
                book_chapters.push(None);
                let slot = ix.unwrap_or(classifier.map.chapters.len());
                course_names[slot]
                    .get_or_insert_with(|| {
                        let ch =
                            ix.map_or(&classifier.map.unsorted, |i| &classifier.map.chapters[i]);
                        (Arc::from(ch.id.as_str()), Arc::from(ch.title.as_str()))
                    })
                    .clone()
            }
            None => {
                book_chapters.push(raw.chapter_hint);
                match raw.chapter_hint {
                    Some(n) => {
                        let id = match book_ids.iter().find(|(k, _)| *k == n) {
                            Some((_, id)) => id.clone(),
                            None => {
                                let id: Arc<str> = Arc::from(format!("{n:02}"));
                                book_ids.push((n, id.clone()));
                                id
                            }
                        };
                        // The title is settled over all notes.
                        (id, no_title.clone())
                    }
                    None => unsorted
                        .get_or_insert_with(|| (Arc::from(UNSORTED_ID), Arc::from(UNSORTED_TITLE)))
                        .clone(),
                }
            }
        };
        cards.push(Card {
            id: identity::id_from_hash(hash),
            deck: deck_name.clone(),
            chapter,
            chapter_title,
            section: raw.section,
            kind: raw.kind,
            question: raw.question,
            answer: raw.answer,
            sources: smallvec::smallvec![Source {
                file: file.clone(),
                line: raw.line,
            }],
        });
    }
    Ok(NoteCards {
        report: NoteReport {
            name: input.name.clone(),
            shape: e.shape,
            deck: deck.to_string(),
            kinds,
            unanswered: e.unanswered,
            skipped: e.skipped,
            warnings: e.warnings,
            chapter_basis: basis,
        },
        chapter_titles: e.chapter_titles,
        cards,
        book_chapters,
        keys,
    })
}

/// Convert notes into decks. `previous` are the cards of the decks written
/// last time (for stable ids); `failures` from reading are passed through.
pub fn convert(
    inputs: &[NoteInput],
    classifier: &Classifier,
    previous: &[Card],
    mut failures: Vec<NoteFailure>,
) -> Conversion {
    // Per note (independent, so on every core): parse, extract, classify a
    // Q&A log's chapters, build the cards and their identity keys. Each
    // note's cards are merged as soon as it and the notes before it are done.
    let mut merged = Merged::default();
    let mut reports = Vec::with_capacity(inputs.len());
    // Book chapter titles from every book note's `N장) title` headings.
    let mut book_titles: BTreeMap<u32, Arc<str>> = BTreeMap::new();
    // Book cards (number in note order, chapter) whose chapter had no title yet.
    let mut untitled: Vec<(usize, u32)> = Vec::new();
    let per_note = |input: &NoteInput| convert_note(input, classifier);
    parallel_in_order(inputs, per_note, |input, result| match result {
        Ok(n) => {
            for (k, t) in &n.chapter_titles {
                if !t.is_empty() {
                    book_titles
                        .entry(*k)
                        .or_insert_with(|| Arc::from(t.as_str()));
                }
            }
            let cards = n.cards.into_iter().zip(n.book_chapters).zip(n.keys);
            for ((mut card, hint), (norm, hash)) in cards {
                // A book chapter's title is the first one the notes give (in
                // note order): known now, it is final; else it is settled
                // at the end.
                let title = hint.map(|k| (k, book_titles.get(&k)));
                if let Some((_, Some(t))) = title {
                    card.chapter_title = t.clone();
                }
                let added = merged.add(card, norm, hash);
                if let (Some(i), Some((k, None))) = (added, title) {
                    untitled.push((i, k));
                }
            }
            reports.push(n.report);
        }
        Err(message) => failures.push(NoteFailure {
            name: input.name.clone(),
            message,
        }),
    });
    // The other book cards' chapter titles, settled over all notes.
    for (i, k) in untitled {
        merged.card_mut(i).chapter_title = book_titles
            .entry(k)
            .or_insert_with(|| Arc::from(format!("{k}장")))
            .clone();
    }
    let Merged {
        mut decks,
        at,
        norms,
        hashes,
        ..
    } = merged;
    // The cards in note order over all decks, for their ids.
    let mut in_deck: Vec<_> = decks.iter_mut().map(|(_, d)| d.iter_mut()).collect();
    let mut cards: Vec<&mut Card> = at
        .iter()
        .filter_map(|&(d, _)| in_deck[d as usize].next())
        .collect();
    let changes = identity::assign_ids_normalised(previous, &mut cards, &norms, &hashes);
    drop(cards);
    decks.sort_by(|a, b| a.0.cmp(&b.0));
    Conversion {
        decks: decks
            .into_iter()
            .map(|(name, cards)| Deck {
                name: name.to_string(),
                cards,
            })
            .collect(),
        notes: reports,
        failures,
        changes,
    }
}

/// Chapter (index in the map, `None` for unsorted) of each card of a Q&A log.
fn course_chapters(
    classifier: &Classifier,
    note: &extract::Extracted,
) -> Vec<(Option<usize>, Basis)> {
    let texts: Vec<CardText> = note
        .cards
        .iter()
        .map(|c| CardText {
            question: &c.question,
            answer: note.answer_text(c),
            section: &c.section,
        })
        .collect();
    classifier.classify(&texts)
}

/// Cards with the same question (same deck and kind, same normalised text)
/// asked in several notes merged into one card with several sources; each
/// different answer is kept, one after the other.
#[derive(Default)]
struct Merged {
    /// Cards by deck (decks in the order first met), each deck's in note order.
    decks: Vec<(Arc<str>, Vec<Card>)>,
    /// Where each card (in note order over all decks) is: its deck and its place there.
    at: Vec<(u32, u32)>,
    /// Normalised question and identity hash of each card.
    norms: Vec<String>,
    hashes: Vec<u64>,
    /// Identity hash → first card with it; then a chain through cards sharing the hash.
    first: HashMap<u64, usize, BuildIdHasher>,
    next_same: Vec<Option<usize>>,
    /// Per card that took in another: where its distinct answers stand in
    /// its answer, each with its [`answer_hash`] (so a new answer is only
    /// compared, byte for byte, with the ones that may be equal to it).
    answers: Vec<Vec<(std::ops::Range<usize>, u64)>>,
}

impl Merged {
    fn card(&self, i: usize) -> &Card {
        let (d, p) = self.at[i];
        &self.decks[d as usize].1[p as usize]
    }

    fn card_mut(&mut self, i: usize) -> &mut Card {
        let (d, p) = self.at[i];
        &mut self.decks[d as usize].1[p as usize]
    }

    /// Add a card: merged into an earlier one with the same question, or
    /// kept as a new one (its number in note order returned).
    fn add(&mut self, c: Card, norm: String, hash: u64) -> Option<usize> {
        let mut same = self.first.get(&hash).copied();
        while let Some(i) = same {
            let held = self.card(i);
            if self.norms[i] == norm && held.deck == c.deck && held.kind == c.kind {
                self.merge_into(i, c);
                return None;
            }
            same = self.next_same[i];
        }
        let i = self.at.len();
        self.next_same.push(self.first.insert(hash, i));
        // Decks are few: found by a look at each.
        let same_deck =
            |(name, _): &(Arc<str>, Vec<Card>)| Arc::ptr_eq(name, &c.deck) || *name == c.deck;
        let d = match self.decks.iter().position(same_deck) {
            Some(d) => d,
            None => {
                self.decks.push((c.deck.clone(), Vec::new()));
                self.decks.len() - 1
            }
        };
        let cards = &mut self.decks[d].1;
        self.at.push((d as u32, cards.len() as u32));
        cards.push(c);
        self.norms.push(norm);
        self.hashes.push(hash);
        self.answers.push(Vec::new());
        Some(i)
    }

    fn merge_into(&mut self, i: usize, c: Card) {
        let (d, p) = self.at[i];
        let target = &mut self.decks[d as usize].1[p as usize];
        let held = &mut self.answers[i];
        if held.is_empty() {
            let start = target.answer.len() - target.answer.trim_start().len();
            let end = target.answer.trim_end().len().max(start);
            held.push((start..end, answer_hash(&target.answer[start..end])));
        }
        let answer = c.answer.trim();
        let hash = answer_hash(answer);
        let same = |(r, h): &(std::ops::Range<usize>, u64)| {
            *h == hash && r.len() == answer.len() && &target.answer[r.clone()] == answer
        };
        if !held.iter().any(same) {
            let keep = target.answer.trim_end().len();
            target.answer.truncate(keep);
            let source = &c.sources[0];
            // Writing to a `String` cannot fail.
            let _ = write!(target.answer, "\n\n---\n\n*{source}*\n\n");
            let start = target.answer.len();
            target.answer.push_str(answer);
            held.push((start..target.answer.len(), hash));
        }
        target.sources.extend(c.sources);
    }
}

/// A quick hash of an answer, eight bytes at a time: answers with different
/// hashes differ (equal hashes are confirmed byte for byte).
fn answer_hash(s: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes = s.as_bytes();
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(23) ^ w).wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    (h.rotate_left(23) ^ u64::from_le_bytes(last)).wrapping_mul(K)
}

type BuildIdHasher = std::hash::BuildHasherDefault<identity::HashIdHasher>;

/// `f` over `items` on up to [`std::thread::available_parallelism`] threads;
/// `consume` gets each item with its result, in item order, on the calling
/// thread, each as soon as it and the ones before it are ready (so consuming
/// overlaps the work still running). Threads take the next item as they
/// become free, so a slower core (shared machines) does less; the calling
/// thread is one of them and consumes between its own items.
fn parallel_in_order<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(&T, R),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        items.iter().for_each(|item| consume(item, f(item)));
        return;
    }
    let next = AtomicUsize::new(0);
    // Results that came before their turn, by item.
    let mut ready: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let mut consumed = 0;
    let mut drain = |ready: &mut Vec<Option<R>>| {
        while let Some(r) = ready.get_mut(consumed).and_then(Option::take) {
            consume(&items[consumed], r);
            consumed += 1;
        }
    };
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 1..threads {
            let tx = tx.clone();
            let (next, f) = (&next, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
        // Only the workers send: when they are all done, `recv` fails.
        drop(tx);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            ready[i] = Some(f(item));
            while let Ok((k, r)) = rx.try_recv() {
                ready[k] = Some(r);
            }
            drain(&mut ready);
        }
        // A worker that panicked sends nothing more; the scope re-raises its panic.
        while let Ok((k, r)) = rx.recv() {
            ready[k] = Some(r);
            drain(&mut ready);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, text: &str) -> NoteInput {
        NoteInput {
            name: name.into(),
            text: text.into(),
        }
    }

    const LOG: &str = "## Docker\n\n- 볼륨은 무엇인가요?\n  - 데이터를 남기는 곳\n\n- 브릿지 네트워크는 뭔가요?\n  - L2\n\n- Dockerfile의 EXPOSE는 뭔가요?\n  - 포트 표시\n";

    #[test]
    fn repeated_question_is_one_card_with_two_sources() {
        let c = convert(
            &[input("a.md", LOG), input("b.md", LOG)],
            &Classifier::bundled(),
            &[],
            vec![],
        );
        let cards: Vec<_> = c.cards().collect();
        assert_eq!(cards.len(), 3);
        assert_eq!(cards[0].sources.len(), 2);
        assert_eq!(cards[0].sources[1].to_string(), "b.md:3");
    }

    #[test]
    fn each_different_answer_is_kept_once() {
        let note = |answer: &str| LOG.replace("데이터를 남기는 곳", answer);
        let notes: Vec<NoteInput> = ["가", "나", "가", "나 ", "다", "가"]
            .iter()
            .enumerate()
            .map(|(i, a)| input(&format!("n{i}.md"), &note(a)))
            .collect();
        let c = convert(&notes, &Classifier::bundled(), &[], vec![]);
        let cards: Vec<_> = c.cards().collect();
        assert_eq!(cards.len(), 3);
        assert_eq!(cards[0].sources.len(), 6);
        assert_eq!(
            cards[0].answer,
            "- 가\n\n---\n\n*n1.md:3*\n\n- 나\n\n---\n\n*n4.md:3*\n\n- 다"
        );
    }

    #[test]
    fn failures_do_not_stop_other_notes() {
        let deep: String = (0..300)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let c = convert(
            &[input("deep.md", &deep), input("a.md", LOG)],
            &Classifier::bundled(),
            &[],
            vec![],
        );
        assert_eq!(c.failures.len(), 1);
        assert!(c.failures[0].message.starts_with("deep.md:"));
        assert_eq!(c.cards().count(), 3);
    }
}
