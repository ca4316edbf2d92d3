//! A clock reading the unit tests share.

use chrono::{DateTime, FixedOffset, TimeZone};

/// `hour`:00 on 2026-`month`-`day` in Korea.
pub fn kst(month: u32, day: u32, hour: u32) -> DateTime<FixedOffset> {
    FixedOffset::east_opt(9 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, month, day, hour, 0, 0).single())
        .expect("valid time")
}
