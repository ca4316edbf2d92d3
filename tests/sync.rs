//! Sync through a shared folder, two and three devices on the bundled
//! decks. Each device has its own copy of the folder; a simulated sync tool
//! copies files between the copies in a shuffled order, sometimes only
//! partly (a torn last line). Devices answer on different days and sync
//! whenever they like. At the end, after the tool has copied everything,
//! every device holds the same events, once each, and the same states.

// Test code: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

mod common;

use bokseup::store::Store;
use bokseup::store::journal::{Event, Mode};
use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use common::Dice;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn decks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks")
}

fn day(n: i64, hour: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 1, hour, 0, 0)
        .unwrap()
        + Duration::days(n)
}

struct Device {
    data: tempfile::TempDir,
    /// This device's copy of the shared folder.
    folder: tempfile::TempDir,
    store: Store,
}

impl Device {
    fn new() -> Device {
        let data = tempfile::tempdir().unwrap();
        let store = Store::open(data.path(), Some(&decks())).unwrap();
        Device {
            data,
            folder: tempfile::tempdir().unwrap(),
            store,
        }
    }

    /// Answer `n` cards of today's queue (grades cycling), as a learner would.
    fn answer(&mut self, n: usize, at: DateTime<FixedOffset>, dice: &mut Dice) -> usize {
        let today = self.store.study_day(at);
        let q = self.store.queue(today);
        let picks: Vec<String> = q
            .learning
            .iter()
            .chain(&q.due)
            .chain(&q.new)
            .take(n)
            .map(|&i| self.store.cards()[i].id.0.to_string())
            .collect();
        for (k, id) in picks.iter().enumerate() {
            let grade = [1, 3, 4, 5][(dice.next() % 4) as usize];
            let when = at + Duration::seconds(k as i64 * 20);
            self.store
                .review(id, grade, Mode::Normal, when, 3000)
                .unwrap();
        }
        picks.len()
    }

    fn sync(&mut self, now: DateTime<FixedOffset>) -> bokseup::store::sync::SyncReport {
        self.store.sync(self.folder.path(), now).unwrap()
    }

    fn event_ids(&self) -> Vec<String> {
        self.store
            .read_history()
            .unwrap()
            .iter()
            .map(|e| e.id().to_string())
            .collect()
    }

    fn states(&self) -> BTreeMap<String, String> {
        self.store
            .states()
            .iter()
            .map(|(k, v)| (k.to_string(), format!("{v:?}")))
            .collect()
    }
}

/// The sync tool: copy every file of `from`'s folder into `to`'s, in a
/// shuffled order; with `partial`, some copies stop inside a line.
fn copy_files(from: &Device, to: &Device, dice: &mut Dice, partial: bool) -> usize {
    let mut torn = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(from.folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let n = files.len();
    for i in 0..n {
        files.swap(i, (dice.next() % n as u64) as usize);
    }
    for f in files {
        let name = f.file_name().unwrap();
        let target = to.folder.path().join(name);
        // Files only grow: the tool never puts an older (shorter) copy over
        // a newer one (so a device's own file is only written by it).
        let source_len = std::fs::metadata(&f).unwrap().len();
        if std::fs::metadata(&target).is_ok_and(|t| t.len() >= source_len) {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        let cut = if partial && dice.next().is_multiple_of(3) && bytes.len() > 10 {
            torn += 1;
            bytes.len() - 1 - (dice.next() as usize % (bytes.len() / 2))
        } else {
            bytes.len()
        };
        std::fs::write(&target, &bytes[..cut]).unwrap();
    }
    torn
}

/// Copy everything between every pair, completely, until nothing changes.
fn settle(devices: &mut [Device], now: DateTime<FixedOffset>, dice: &mut Dice) {
    for _ in 0..2 {
        for d in devices.iter_mut() {
            d.sync(now);
        }
        for i in 0..devices.len() {
            for j in 0..devices.len() {
                if i != j {
                    copy_files(&devices[i], &devices[j], dice, false);
                }
            }
        }
    }
    for d in devices.iter_mut() {
        d.sync(now);
    }
}

fn converge(n_devices: usize, seed: u64) {
    let mut dice = Dice(seed);
    let mut devices: Vec<Device> = (0..n_devices).map(|_| Device::new()).collect();
    let mut answered = 0;
    let mut torn = 0;
    let mut incomplete_seen = 0;
    for d in 0..12 {
        // Each day some devices answer, at different hours.
        for (k, dev) in devices.iter_mut().enumerate() {
            if !dice.next().is_multiple_of(3) {
                let at = day(d, 8 + 3 * k as u32);
                answered += dev.answer(3 + (dice.next() % 6) as usize, at, &mut dice);
                if dice.next().is_multiple_of(2) {
                    incomplete_seen += dev.sync(at + Duration::hours(1)).incomplete.len();
                }
            }
        }
        // The sync tool copies some files, some of them partly.
        for _ in 0..n_devices {
            let i = (dice.next() % n_devices as u64) as usize;
            let j = (dice.next() % n_devices as u64) as usize;
            if i != j {
                torn += copy_files(&devices[i], &devices[j], &mut dice, true);
            }
        }
    }
    settle(&mut devices, day(12, 23), &mut dice);
    let first_ids: BTreeSet<String> = devices[0].event_ids().into_iter().collect();
    for dev in &devices {
        let ids = dev.event_ids();
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(ids.len(), unique.len(), "an event taken twice");
        assert_eq!(unique, first_ids, "devices hold different events");
        assert_eq!(dev.states(), devices[0].states(), "states differ");
    }
    assert_eq!(first_ids.len(), answered, "an answer lost");
    // A restart of each device gives the same states from its own journal.
    for dev in devices {
        let before = dev.states();
        let Device { data, store, .. } = dev;
        drop(store);
        let reopened = Store::open(data.path(), Some(&decks())).unwrap();
        let after: BTreeMap<String, String> = reopened
            .states()
            .iter()
            .map(|(k, v)| (k.to_string(), format!("{v:?}")))
            .collect();
        assert_eq!(after, before);
    }
    println!(
        "{n_devices} devices: {answered} answers over 12 days, {torn} partial copies, \
         {incomplete_seen} incomplete files met; all converged"
    );
    assert!(torn > 0, "the test made no partial copy");
}

#[test]
fn two_devices_converge() {
    converge(2, 0x1234_5678_9abc_def1);
}

#[test]
fn three_devices_converge_whatever_the_copy_order() {
    for seed in [
        0xfeed_beef_0000_0001,
        0x0bad_cafe_0000_0002,
        0x5eed_5eed_5eed_0003,
    ] {
        converge(3, seed);
    }
}

#[test]
fn a_half_synced_file_is_read_to_its_last_complete_line_and_again_later() {
    let mut dice = Dice(42);
    let mut a = Device::new();
    let mut b = Device::new();
    a.answer(6, day(0, 9), &mut dice);
    a.sync(day(0, 10));
    let own = std::fs::read_dir(a.folder.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("journal-"))
        .unwrap();
    let bytes = std::fs::read(&own).unwrap();
    // Half of the file reaches b: its header line, three complete events
    // and part of a fourth.
    let lines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let cut = lines[3] + 1 + 15;
    std::fs::write(
        b.folder.path().join(own.file_name().unwrap()),
        &bytes[..cut],
    )
    .unwrap();
    let r = b.sync(day(0, 11));
    assert_eq!((r.pulled, r.incomplete.len()), (3, 1));
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    // The rest arrives.
    std::fs::write(b.folder.path().join(own.file_name().unwrap()), &bytes).unwrap();
    let r = b.sync(day(0, 12));
    assert_eq!((r.pulled, r.incomplete.len()), (3, 0));
    assert_eq!(b.store.read_history().unwrap().len(), 6);
    assert!(
        b.store
            .read_history()
            .unwrap()
            .iter()
            .all(|e| matches!(e, Event::Review { .. }))
    );
    // b's own file now holds b's journal, a's file was never written by b.
    assert_eq!(std::fs::read(&own).unwrap(), bytes);
}
