//! `due` and `stats`: today's counts, weak topics, the forecast and lab readiness.

use anyhow::{Context, Result};
use bokseup::cell::pad;
use bokseup::stats;
use chrono::{DateTime, FixedOffset};
use serde_json::json;
use std::collections::BTreeMap;
use std::process::ExitCode;

use super::ctx::Ctx;

pub(crate) fn due_cmd(ctx: &Ctx, json_out: bool) -> Result<ExitCode> {
    let store = ctx.open_to_count()?;
    let today = store.study_day(ctx.now()?);
    let q = store.queue(today);
    // (deck, chapter) → (title, new, learning, due)
    type Row<'a> = (&'a str, usize, usize, usize);
    let cards = store.cards();
    let mut rows: BTreeMap<(&str, &str), Row> = BTreeMap::new();
    // A chapter's cards come together (study order): its row is looked up
    // once per run of them.
    let mut last = None;
    for c in cards {
        let key = (&*c.deck, &*c.chapter);
        if last != Some(key) {
            rows.entry(key).or_insert((&c.chapter_title, 0, 0, 0));
            last = Some(key);
        }
    }
    let mut bump = |i: usize, which: usize| {
        let c = &cards[i];
        if let Some(r) = rows.get_mut(&(&*c.deck, &*c.chapter)) {
            match which {
                0 => r.1 += 1,
                1 => r.2 += 1,
                _ => r.3 += 1,
            }
        }
    };
    q.new.iter().for_each(|&i| bump(i, 0));
    q.learning.iter().for_each(|&i| bump(i, 1));
    q.due.iter().for_each(|&i| bump(i, 2));
    let total = q.counts();
    if json_out {
        let chapters: Vec<_> = rows
            .iter()
            .map(|((deck, ch), (title, n, l, d))| {
                json!({"deck": deck, "chapter": ch, "title": title, "new": n, "learning": l, "due": d})
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "date": today.to_string(),
                "chapters": chapters,
                "total": {"new": total.new, "learning": total.learning, "due": total.due},
            }))?
        );
    } else {
        outln!(
            "{today}  new {}  learning {}  due {}",
            total.new,
            total.learning,
            total.due
        );
        outln!(
            "  {:<7} {:<4} {:<40} {:>4} {:>4} {:>4}",
            "deck",
            "ch",
            "title",
            "new",
            "lrn",
            "due"
        );
        for ((deck, ch), (title, n, l, d)) in &rows {
            outln!(
                "  {deck:<7} {ch:<4} {} {n:>4} {l:>4} {d:>4}",
                pad(title, 40)
            );
        }
    }
    // The process ends here: its memory goes back to the system whole, so
    // the cards and states are not freed one by one (a read-only store
    // holds no lock and writes nothing when dropped).
    drop(rows);
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}

/// Tomorrow at 09:00, in `now`'s time zone.
pub(crate) fn tomorrow_morning(now: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    let day = now.date_naive() + chrono::Duration::days(1);
    let nine = day.and_hms_opt(9, 0, 0).unwrap_or_default();
    chrono::TimeZone::from_local_datetime(now.offset(), &nine)
        .single()
        .unwrap_or(now)
}

pub(crate) fn stats_cmd(ctx: &Ctx, json_out: bool, lab_at: Option<&str>) -> Result<ExitCode> {
    let store = ctx.open_read_only()?;
    let now = ctx.now()?;
    let today = store.study_day(now);
    let lab = match lab_at {
        Some(s) => DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--lab-at {s}: not RFC 3339"))?,
        None => tomorrow_morning(now),
    };
    let sched = &store.settings().scheduling;
    let tail = store.history_since(stats::retention_from(today));
    let events = tail.map(|t| t.read()).transpose()?.unwrap_or_default();
    let chapters = stats::chapters(store.cards(), store.states(), &events, today, sched);
    let forecast = stats::forecast(store.states(), today);
    let memory = store.memory();
    let curve = bokseup::readiness::fit(&memory.samples);
    let ready =
        bokseup::readiness::chapters(store.cards(), store.states(), memory, &curve, now, lab);
    if json_out {
        let ch: Vec<_> = chapters
            .iter()
            .map(|c| {
                json!({"deck": c.deck, "chapter": c.chapter, "title": c.title, "cards": c.cards, "due": c.due,
                       "retention_30d": c.retention_30d, "reviews_30d": c.reviews_30d, "lapses": c.lapses,
                       "avg_ef": c.avg_ef, "leeches": c.leeches, "weakness": c.weakness})
            })
            .collect();
        let fc: Vec<_> = forecast
            .iter()
            .map(|(d, n)| json!({"date": d.to_string(), "due": n}))
            .collect();
        let count = |s: &Option<Vec<usize>>| s.as_ref().map(Vec::len);
        let rd: Vec<_> = ready
            .iter()
            .map(|r| {
                json!({"deck": r.deck, "chapter": r.chapter, "title": r.title, "cards": r.cards,
                       "recall_now": r.now, "recall_at_lab": r.at,
                       "drill_for_90": count(&r.drill_90), "drill_for_95": count(&r.drill_95),
                       "best_at_lab": r.best, "drill_for_best": r.drill_all.len()})
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&json!({"chapters": ch, "forecast": fc,
                "cards": store.cards().len(),
                "unclassified": bokseup::deck::unclassified(store.cards()),
                "readiness": {"lab_at": lab.to_rfc3339(), "model": {"k": curve.k, "p": curve.p,
                    "fitted_on_reviews": curve.samples}, "chapters": rd}}))?
        );
    } else {
        outln!("Weak topics (weakest first), {today}:");
        outln!(
            "  {:<7} {:<4} {:<36} {:>5} {:>4} {:>9} {:>6} {:>5} {:>6} {:>8}",
            "deck",
            "ch",
            "title",
            "cards",
            "due",
            "retention",
            "lapses",
            "ease",
            "leech",
            "weakness"
        );
        for c in &chapters {
            let ret = c
                .retention_30d
                .map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0));
            let ef = c.avg_ef.map_or("-".to_string(), |e| format!("{e:.2}"));
            outln!(
                "  {:<7} {:<4} {} {:>5} {:>4} {:>9} {:>6} {:>5} {:>6} {:>8.3}",
                c.deck,
                c.chapter,
                pad(&c.title, 36),
                c.cards,
                c.due,
                ret,
                c.lapses,
                ef,
                c.leeches,
                c.weakness
            );
        }
        let next: Vec<String> = forecast
            .iter()
            .take(7)
            .map(|(_, n)| n.to_string())
            .collect();
        outln!("Due in the next 7 days: {}", next.join(" "));
        outln!(
            "Readiness for {} (predicted recall now → then; cards to drill for 90% / 95%):",
            lab.format("%Y-%m-%d %H:%M")
        );
        let count = |s: &Option<Vec<usize>>| s.as_ref().map_or("-".into(), |v| v.len().to_string());
        for r in &ready {
            // Out of reach: the most drilling all of them gives (rounded down).
            let best = if r.drill_90.is_none() && !r.drill_all.is_empty() {
                format!(
                    "  (all {}: {:.0}%)",
                    r.drill_all.len(),
                    (r.best * 100.0).floor()
                )
            } else {
                String::new()
            };
            outln!(
                "  {:<7} {:<4} {} {:>4.0}% → {:>4.0}%  {:>4} / {:>4}{best}",
                r.deck,
                r.chapter,
                pad(&r.title, 36),
                r.now * 100.0,
                r.at * 100.0,
                count(&r.drill_90),
                count(&r.drill_95)
            );
        }
        let unclassified = bokseup::deck::unclassified(store.cards());
        if unclassified > 0 {
            outln!(
                "Unclassified cards (chapter 00): {unclassified} — set their chapter in Browse."
            );
        }
    }
    // As in `due`: the process ends, its memory is not freed piece by piece.
    std::mem::forget((ready, chapters, events));
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}
