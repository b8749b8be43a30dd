//! Template functions' errors for unknown names (a form, a page…): Tera
//! passes a function's error on as text alone, so the name and its "did
//! you mean" are kept aside here, per thread, for the error report.

use std::cell::RefCell;

use crate::diagnostic::{Name, Unknown};

thread_local! {
    /// The unknown name a template function failed on.
    static UNKNOWN: RefCell<Option<Unknown>> = const { RefCell::new(None) };
}

/// A template function's error for an unknown name, its help kept aside.
pub(super) fn unknown_name<'a>(
    what: Name,
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> tera::Error {
    unknown_error(Unknown::new(what, wrong, known))
}

/// A template function's error for `unknown`, its help kept aside.
pub(super) fn unknown_error(unknown: Unknown) -> tera::Error {
    let error = tera::Error::message(&unknown.message);
    UNKNOWN.with(|u| *u.borrow_mut() = Some(unknown));
    error
}

/// The unknown name this thread's last function failed on, taken.
pub(super) fn take() -> Option<Unknown> {
    UNKNOWN.with(|u| u.borrow_mut().take())
}
