//! The domain's pure types and rules, with no I/O, used by every stage
//! above: campaigns and tagged URLs, forms and the HTML that carries their
//! attribution fields, each form backend's convention, variant ids, `@/`
//! links, and the attribution script every page carries. Imports only
//! `util/` and `diagnostic/`.

pub(crate) mod at_link;
pub(crate) mod attribution_script;
pub(crate) mod campaign;
pub(crate) mod csp;
pub(crate) mod forms;
pub(crate) mod providers;
pub(crate) mod short_code;
pub(crate) mod variant;
