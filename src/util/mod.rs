//! Leaves: small helpers that know nothing of sites, pages or campaigns.

pub mod exports;
pub mod fnv;
pub mod html;
pub mod http;
pub mod layout;
pub mod progress;
#[cfg(test)]
pub mod serde_keys;
pub mod slug;
pub mod tabular;
pub mod terminal_text;
pub mod url_safety;
