//! What a problem is about: the kinds a report counts its errors by, in
//! the pipeline's order, and the kind a file's problems usually are.

use std::path::Path;

use crate::util::layout::{CONFIG_FILE, CONTENT_DIR, EMBEDDED_THEME, TEMPLATES_DIR, THEMES_DIR};

/// What a problem is about, for the count at the end of a report. The
/// order is the pipeline's: the count lists kinds in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A command-line option (`--base-url`).
    Usage,
    /// site.toml.
    Config,
    /// A file of content/ that cannot be read or used as it is.
    Content,
    /// A page's front matter, or what it names (campaign, form, template…).
    FrontMatter,
    /// An `@/` link to no content file.
    Link,
    /// A shortcode call in Markdown.
    Shortcode,
    /// A template of the site or its theme.
    Template,
    /// Writing the output.
    Output,
}

impl Kind {
    /// The default for a file: what problems in it usually are.
    pub(super) fn of_path(path: &Path) -> Kind {
        let first = path.components().next().map(|c| c.as_os_str());
        match first.and_then(|c| c.to_str()) {
            Some(CONFIG_FILE) => Kind::Config,
            Some(CONTENT_DIR) => Kind::Content,
            Some(TEMPLATES_DIR | THEMES_DIR | EMBEDDED_THEME) => Kind::Template,
            Some(s) if s.starts_with("--") => Kind::Usage,
            _ => Kind::Output,
        }
    }

    /// `(singular, plural)`, as the count at the end of a report says them.
    pub(super) fn nouns(self) -> (&'static str, &'static str) {
        match self {
            Kind::Usage => ("command-line error", "command-line errors"),
            Kind::Config => ("site.toml error", "site.toml errors"),
            Kind::Content => ("content error", "content errors"),
            Kind::FrontMatter => ("front-matter error", "front-matter errors"),
            Kind::Link => ("broken link", "broken links"),
            Kind::Shortcode => ("shortcode error", "shortcode errors"),
            Kind::Template => ("template error", "template errors"),
            Kind::Output => ("output error", "output errors"),
        }
    }
}
