//! Leaves: small helpers that know nothing of sites, pages or campaigns.

pub(crate) mod exports;
pub(crate) mod fnv;
pub(crate) mod html;
pub(crate) mod http;
pub(crate) mod layout;
pub(crate) mod progress;
#[cfg(test)]
pub(crate) mod serde_keys;
pub(crate) mod slug;
pub(crate) mod tabular;
pub(crate) mod terminal_text;
pub(crate) mod url_safety;
