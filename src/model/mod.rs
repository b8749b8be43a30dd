//! The domain's pure types and rules, with no I/O.

pub mod attribution_script;
pub mod campaign;
pub mod forms;
pub mod providers;
