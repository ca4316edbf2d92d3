//! Reading another machine's journal for a merge. Unlike our own journal,
//! it is not trusted: every line is checked, a bad one is skipped and
//! reported with its line, and the rest is taken.
//!
//! An event is refused when it does not parse, has an empty id or card id,
//! a grade outside SM-2's 0–5, or a time more than [`MAX_AHEAD_HOURS`] after
//! now (a wrong clock or a crafted file would otherwise pin a card to 2099)
//! or before [`EARLIEST_YEAR`]. A last line without its newline that does
//! not parse is a half-synced or torn write and is skipped the same way.

use super::journal::{self, Event};
use chrono::{DateTime, Datelike, Duration, FixedOffset};

/// How far ahead of now an event may be dated (clocks of two machines
/// disagree a little), hours.
pub const MAX_AHEAD_HOURS: i64 = 24;
/// Events dated before this year are refused.
pub const EARLIEST_YEAR: i32 = 2000;

/// A line of the other file that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// 1-based line in the other file.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// The other file's usable events, each with its line, and what was skipped.
#[derive(Debug, Default)]
pub struct Incoming {
    /// Events that passed the checks, in file order.
    pub events: Vec<(usize, Event)>,
    /// Lines that did not.
    pub skipped: Vec<Skip>,
}

/// What is wrong with an event received at `now`, if anything.
pub fn problem(e: &Event, now: DateTime<FixedOffset>) -> Option<String> {
    if e.id().is_blank() {
        return Some("empty event id".into());
    }
    if e.card().is_some_and(|c| c.trim().is_empty()) {
        return Some("empty card id".into());
    }
    if let Event::Undo { of, .. } = e
        && of.is_blank()
    {
        return Some("an undo of no event".into());
    }
    if let Event::Review { grade, .. } = e
        && *grade > 5
    {
        return Some(format!("grade {grade} outside 0–5"));
    }
    let at = e.at();
    if at > now + Duration::hours(MAX_AHEAD_HOURS) {
        return Some(format!("dated in the future ({at})"));
    }
    if at.year() < EARLIEST_YEAR {
        return Some(format!("dated before {EARLIEST_YEAR} ({at})"));
    }
    None
}

/// Read another journal's text: every event that parses and passes
/// [`problem`], and a [`Skip`] for every other non-blank line.
pub fn read_other(text: &str, now: DateTime<FixedOffset>) -> Incoming {
    let mut incoming = Incoming::default();
    let ends_with_newline = text.ends_with('\n');
    let count = text.lines().count();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let last_unfinished = number == count && !ends_with_newline;
        match journal::parse_line(line) {
            Ok(None) => {}
            Ok(Some(e)) => match problem(&e, now) {
                None => incoming.events.push((number, e)),
                Some(reason) => incoming.skipped.push(Skip {
                    line: number,
                    reason,
                }),
            },
            Err(message) => incoming.skipped.push(Skip {
                line: number,
                reason: if last_unfinished {
                    "an incomplete last line (a write or sync still under way?)".into()
                } else {
                    format!("does not parse ({message})")
                },
            }),
        }
    }
    incoming
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::journal::Mode;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn review(grade: u8, when: &str) -> Event {
        Event::Review {
            id: "e1".into(),
            card: "c".into(),
            at: at(when),
            grade,
            mode: Mode::Normal,
            ms: 0,
        }
    }

    #[test]
    fn an_event_a_day_ahead_passes_and_one_further_does_not() {
        let now = at("2026-11-22T09:00:00+09:00");
        assert_eq!(problem(&review(4, "2026-11-23T08:59:00+09:00"), now), None);
        assert!(problem(&review(4, "2026-11-23T09:01:00+09:00"), now).is_some());
        assert!(problem(&review(4, "1999-12-31T09:00:00+09:00"), now).is_some());
        assert!(problem(&review(6, "2026-11-22T09:00:00+09:00"), now).is_some());
    }

    #[test]
    fn blank_and_comment_lines_are_not_skips() {
        let now = at("2026-11-22T09:00:00+09:00");
        let text = format!("{}\n\n// note\n", journal::HEADER);
        let r = read_other(&text, now);
        assert!(r.events.is_empty() && r.skipped.is_empty());
    }
}
