//! What several test files share.

// Each test file uses a part of this.
#![allow(dead_code)]

/// A small xorshift generator: the same numbers on every run.
pub struct Dice(pub u64);

impl Dice {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next number as a fraction in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The bundled decks.
pub fn decks() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("decks")
}

/// A moment of November 2026 in Korea.
pub fn kst(d: u32, h: u32, m: u32) -> chrono::DateTime<chrono::FixedOffset> {
    use chrono::TimeZone;
    chrono::FixedOffset::east_opt(9 * 3600)
        .and_then(|o| o.with_ymd_and_hms(2026, 11, d, h, m, 0).single())
        .expect("a valid date")
}

/// A store on the bundled decks in `dir`.
pub fn open(dir: &std::path::Path) -> bokseup::store::Store {
    bokseup::store::Store::open(dir, Some(&decks())).expect("the store opens")
}
