//! The files a page's HTML names that the build makes for it (processed
//! images, fingerprinted assets), recorded while the page renders, so that
//! the output holds exactly the files its pages name, and a rebuild that
//! reuses a page still publishes them.
//!
//! Template functions cannot be handed a page's own collector (Tera passes
//! them only the template's context), so the collector is the rendering
//! thread's: [`collect`] opens one around a render and returns what was
//! recorded in it. Collectors nest (a render that waits on work stealing
//! in between renders another page inside), each taking only its own.

use std::cell::RefCell;

thread_local! {
    static OPEN: RefCell<Vec<Vec<String>>> = const { RefCell::new(Vec::new()) };
}

/// Runs `render`, returning its result and the output paths recorded
/// during it, sorted and without repeats.
pub(crate) fn collect<T>(render: impl FnOnce() -> T) -> (T, Vec<String>) {
    OPEN.with(|open| open.borrow_mut().push(Vec::new()));
    let result = render();
    let mut used = OPEN
        .with(|open| open.borrow_mut().pop())
        .unwrap_or_default();
    used.sort_unstable();
    used.dedup();
    (result, used)
}

/// Records that the HTML being rendered names the build's file `output`
/// (`processed_images/hero.….webp`); nothing outside [`collect`].
pub(crate) fn record(output: String) {
    OPEN.with(|open| {
        if let Some(current) = open.borrow_mut().last_mut() {
            current.push(output);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collector_takes_what_was_recorded_inside_it() {
        record("outside".into());
        let (((), inner), outer) = collect(|| {
            record("b".into());
            let inner = collect(|| record("inner".into()));
            record("a".into());
            record("b".into());
            inner
        });
        assert_eq!(outer, ["a", "b"]);
        assert_eq!(inner, ["inner"]);
    }
}
