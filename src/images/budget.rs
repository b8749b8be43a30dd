//! A bound on the memory that decoded images and AVIF encoders take at
//! once. The work on each source asks for its decoded size plus what its
//! AVIF encoders hold (`run.rs`) before it starts, and gives it back when
//! done; work that would go past the budget waits, unless nothing else
//! holds a share (so one large image always proceeds). With N threads and
//! camera photographs this changes nothing; with several 100-megapixel
//! images it keeps a build from holding them all at once.

use std::sync::{Condvar, Mutex, PoisonError};

/// The default budget: 1 GiB of decoded pixels and encoder state.
pub(crate) const DEFAULT_BUDGET: u64 = 1 << 30;

#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

/// A share of the budget, given back on drop.
#[derive(Debug)]
pub(crate) struct Share<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub(crate) fn new(limit: u64) -> Self {
        Budget {
            limit,
            in_use: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit (or nothing else is in use), then takes them.
    pub(crate) fn take(&self, bytes: u64) -> Share<'_> {
        let mut in_use = self.in_use.lock().unwrap_or_else(PoisonError::into_inner);
        while *in_use > 0 && in_use.saturating_add(bytes) > self.limit {
            in_use = self
                .freed
                .wait(in_use)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *in_use += bytes;
        Share {
            budget: self,
            bytes,
        }
    }

    #[cfg(test)]
    fn in_use(&self) -> u64 {
        *self.in_use.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Share<'_> {
    fn drop(&mut self) {
        let mut in_use = self
            .budget
            .in_use
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *in_use -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn shares_are_given_back() {
        let budget = Budget::new(100);
        let a = budget.take(60);
        assert_eq!(budget.in_use(), 60);
        drop(a);
        assert_eq!(budget.in_use(), 0);
    }

    #[test]
    fn one_share_larger_than_the_budget_still_proceeds_alone() {
        let budget = Budget::new(10);
        let big = budget.take(1000);
        assert_eq!(budget.in_use(), 1000);
        drop(big);
    }

    #[test]
    fn concurrent_takers_never_exceed_the_budget() {
        let budget = Budget::new(100);
        let peak = AtomicU64::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..50 {
                        let share = budget.take(40);
                        peak.fetch_max(budget.in_use(), Ordering::SeqCst);
                        std::thread::yield_now();
                        drop(share);
                    }
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100);
        assert_eq!(budget.in_use(), 0);
    }
}
