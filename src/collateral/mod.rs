//! Feature, on top of a built site: printed collateral. One-pagers, their
//! QR codes and rep copies are pages like any other (`site/`, `render/`);
//! what only `build --pdf` does, printing them with Chromium, is here.

pub(crate) mod pdf;
