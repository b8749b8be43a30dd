//! FNV-1a, for the keys that decide what a rebuild may reuse. Keys are
//! short and kept in memory only, so a simple fast hash does; SipHash's
//! flooding resistance buys nothing here and cost 9 ms a rebuild at 10,000
//! pages.

use std::hash::{BuildHasherDefault, Hash, Hasher};

#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// For maps keyed by output paths.
pub(crate) type FnvBuild = BuildHasherDefault<Fnv>;

/// A set of keys.
pub(crate) type FnvSet<T> = std::collections::HashSet<T, FnvBuild>;

/// The hash of `items`, in order.
pub(crate) fn hash_of<T: Hash>(items: impl IntoIterator<Item = T>) -> u64 {
    let mut h = Fnv::default();
    for item in items {
        item.hash(&mut h);
    }
    h.finish()
}
