//! Reading a long list from a binary file in one allocation.
//!
//! serde reserves at most 1 MiB for a list whose length a file announces
//! (a damaged length must not reserve gigabytes), so a list of 100k card
//! states is built by doubling: five reallocations, each copying the list
//! so far into fresh memory. The derived files (`cache.bin`, `cards.bin`)
//! announce their lists' lengths, so [`read`] reserves the whole list at
//! once, up to [`RESERVE_AT_MOST`] entries; a longer (or damaged) length
//! only starts smaller, and a list that ends early is an error as before.

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// The most entries reserved ahead of reading them.
pub const RESERVE_AT_MOST: usize = 1 << 22;

/// Use with `#[serde(deserialize_with = "whole_list::read")]`.
pub fn read<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct List<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let announced = seq.size_hint().unwrap_or(0);
            let mut out = Vec::with_capacity(announced.min(RESERVE_AT_MOST));
            while let Some(x) = seq.next_element()? {
                out.push(x);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(List(PhantomData))
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Holder {
        #[serde(deserialize_with = "super::read")]
        list: Vec<(u32, String)>,
    }

    #[test]
    fn a_list_reads_back_whole_and_a_cut_one_is_an_error() {
        let h = Holder {
            list: (0..50_000).map(|i| (i, format!("카드 {i}"))).collect(),
        };
        let bytes = postcard::to_stdvec(&h).unwrap();
        let back: Holder = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, h);
        assert_eq!(back.list.capacity(), 50_000);
        assert!(postcard::from_bytes::<Holder>(&bytes[..bytes.len() - 3]).is_err());
    }

    #[test]
    fn a_damaged_length_does_not_reserve_past_the_limit() {
        // A length of 2^40 announced for a list of two bytes.
        let mut bytes = Vec::new();
        let mut n: u64 = 1 << 40;
        while n >= 0x80 {
            bytes.push((n as u8) | 0x80);
            n >>= 7;
        }
        bytes.push(n as u8);
        bytes.extend([1, 0]);
        assert!(postcard::from_bytes::<Holder>(&bytes).is_err());
    }
}
