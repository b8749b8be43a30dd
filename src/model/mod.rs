//! The domain's pure types and rules, with no I/O.

pub(crate) mod at_link;
pub(crate) mod attribution_script;
pub(crate) mod campaign;
pub(crate) mod forms;
pub(crate) mod providers;
pub(crate) mod variant;
