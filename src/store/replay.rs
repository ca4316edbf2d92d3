//! Replay: card states derived from the journal. Deterministic: events are
//! applied in canonical order (instant, then id), each id once, undone
//! events are left out, and every rule is a pure function of event, state and settings — so
//! two merged journals give the same states whatever their line order.

use super::journal::{Event, EventId, Mode};
use crate::schedule::{self, CardState, Settings};
use chrono::Duration;
use rustc_hash::FxHashSet;
use smol_str::SmolStr;

/// Card states by card id (ids are short: kept inline, no allocation;
/// hashed with a fast non-keyed hash, as ids are not chosen by a foe).
pub type States = rustc_hash::FxHashMap<SmolStr, CardState>;

fn entry<'a>(states: &'a mut States, card: &str) -> &'a mut CardState {
    states.entry(SmolStr::from(card)).or_default()
}

/// Apply one event to its card's state.
pub fn apply(states: &mut States, e: &Event, settings: &Settings) {
    match e {
        Event::Review {
            card,
            at,
            grade,
            mode,
            ..
        } => {
            // A drill is recorded but leaves the schedule alone.
            if *mode != Mode::Drill {
                let st = entry(states, card);
                *st = schedule::answer_quality(st, *grade, *at, settings, card);
            }
        }
        Event::Suspend { card, .. } => entry(states, card).suspended = true,
        Event::Unsuspend { card, .. } => {
            let st = entry(states, card);
            st.suspended = false;
        }
        Event::Bury { card, at, .. } => {
            let day = settings.study_day(*at) + Duration::days(1);
            entry(states, card).buried_until = Some(day);
        }
        Event::Undo { .. } => {}
    }
}

/// Events that count (neither undos nor undone), in journal order, each
/// id once (its first occurrence: a journal merged by an older version may
/// hold an event twice): for figures that do not depend on order
/// ([`effective`] sorts them too).
pub fn live(events: &[Event]) -> impl Iterator<Item = &Event> {
    live_among(events, |_| true)
}

/// The ids of the events undos cancelled.
pub fn undone(events: &[Event]) -> FxHashSet<&EventId> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Undo { of, .. } => Some(of),
            _ => None,
        })
        .collect()
}

/// [`live`] events for which `wanted` says yes — cheaper than filtering
/// `live`'s, as only those are told apart by id.
pub fn live_among<'a>(
    events: &'a [Event],
    wanted: impl Fn(&Event) -> bool + 'a,
) -> impl Iterator<Item = &'a Event> {
    let undone = undone(events);
    let mut seen: FxHashSet<&EventId> = FxHashSet::default();
    events.iter().filter(move |e| {
        !matches!(e, Event::Undo { .. })
            && wanted(e)
            && !undone.contains(e.id())
            && seen.insert(e.id())
    })
}

/// Events in canonical order (instant, then id) with undone ones removed,
/// each id once. A copy of an event is a copy of its line, instant and
/// all, so the sort (stable: file order among equals) puts it right after
/// the first occurrence, and only neighbours need comparing — no set of a
/// million ids. (Two different events given one id by hand, at different
/// instants, both count.)
pub fn effective(events: &[Event]) -> Vec<&Event> {
    let undone = undone(events);
    let mut live: Vec<&Event> = events
        .iter()
        .filter(|e| !matches!(e, Event::Undo { .. }) && !undone.contains(e.id()))
        .collect();
    live.sort_by(|a, b| a.at().cmp(&b.at()).then_with(|| a.id().cmp(b.id())));
    live.dedup_by(|later, first| later.id() == first.id());
    live
}

/// Answers that count (neither undos nor undone, each id once) per study day.
pub fn answers_per_day(
    events: &[Event],
    settings: &Settings,
) -> std::collections::BTreeMap<chrono::NaiveDate, u32> {
    let mut days = std::collections::BTreeMap::new();
    for e in live(events) {
        if let Event::Review { at, .. } = e {
            *days.entry(settings.study_day(*at)).or_insert(0) += 1;
        }
    }
    days
}

/// All card states from a journal.
pub fn replay(events: &[Event], settings: &Settings) -> States {
    let mut states = States::default();
    for e in effective(events) {
        apply(&mut states, e, settings);
    }
    states
}

/// One card's state from a journal.
pub fn replay_card(events: &[Event], card: &str, settings: &Settings) -> CardState {
    let mine: Vec<Event> = events
        .iter()
        .filter(|e| e.card().is_none_or(|c| c == card))
        .cloned()
        .collect();
    replay(&mine, settings).remove(card).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset};

    fn at(day: u32, hour: u32) -> DateTime<FixedOffset> {
        crate::test_time::kst(11, day, hour)
    }

    fn review(id: &str, card: &str, when: DateTime<FixedOffset>, grade: u8) -> Event {
        Event::Review {
            id: id.into(),
            card: card.into(),
            at: when,
            grade,
            mode: Mode::Normal,
            ms: 0,
        }
    }

    #[test]
    fn a_copied_event_counts_once_wherever_the_copy_is() {
        let s = Settings::default();
        let once = vec![
            review("1", "a", at(1, 9), 4),
            review("2", "b", at(1, 9), 4),
            review("3", "a", at(2, 9), 4),
        ];
        // The copies come later in the file (as an old merge appended
        // them), one of them after an event of the same instant.
        let mut copied = once.clone();
        copied.push(once[1].clone());
        copied.push(once[0].clone());
        copied.push(review("4", "a", at(3, 9), 1));
        copied.push(once[2].clone());
        let mut expected = once.clone();
        expected.push(review("4", "a", at(3, 9), 1));
        assert_eq!(effective(&copied), effective(&expected));
        assert_eq!(replay(&copied, &s), replay(&expected, &s));
        assert_eq!(replay(&copied, &s)["a"].reviews, 3);
        assert_eq!(live(&copied).count(), 4);
    }

    #[test]
    fn an_undone_event_and_its_copies_count_for_nothing() {
        let s = Settings::default();
        let events = vec![
            review("1", "a", at(1, 9), 4),
            review("2", "a", at(2, 9), 4),
            Event::Undo {
                id: "u".into(),
                at: at(2, 10),
                of: "2".into(),
            },
            review("2", "a", at(2, 9), 4),
        ];
        let states = replay(&events, &s);
        assert_eq!(states["a"].reviews, 1);
        assert_eq!(effective(&events).len(), 1);
    }
}
