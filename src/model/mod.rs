//! The domain's pure types and rules, with no I/O, used by every stage
//! above: campaigns and tagged URLs, forms and the HTML that carries their
//! attribution fields, each form backend's convention, variant ids, `@/`
//! links, the attribution script every page carries, and the analytics
//! tool a site may load. Imports only
//! `util/` and `diagnostic/`.

pub(crate) mod analytics;
pub(crate) mod at_link;
pub(crate) mod attribution_script;
pub(crate) mod campaign;
pub(crate) mod csp;
pub(crate) mod forms;
pub(crate) mod page_scripts;
pub(crate) mod providers;
pub(crate) mod short_code;
pub(crate) mod variant;
