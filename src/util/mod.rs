//! Leaves, the lowest layer: helpers that know nothing of sites, pages or
//! campaigns and import nothing of utmost but each other. HTML escaping,
//! slugs, the rules every URL obeys, the names of a site's files, hashing,
//! dates in UTC, tables and CSV, opening the user's browser, text made
//! safe for a terminal, the progress bar; an
//! HTTP server for builds served from memory; and the reader of files
//! exported from other systems (it is handed the columns it looks for);
//! text made safe for XML.

pub(crate) mod clock;
pub(crate) mod color;
pub(crate) mod exports;
pub(crate) mod fnv;
pub(crate) mod html;
pub(crate) mod http;
pub(crate) mod layout;
pub(crate) mod names;
pub(crate) mod open;
pub(crate) mod progress;
#[cfg(test)]
pub(crate) mod serde_keys;
pub(crate) mod slug;
pub(crate) mod tabular;
pub(crate) mod tags;
pub(crate) mod terminal_text;
pub(crate) mod url_safety;
pub(crate) mod xml;
