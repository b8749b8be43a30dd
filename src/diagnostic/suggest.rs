//! "Did you mean": one wording for every name a user writes and utmost
//! looks up (a campaign, form, page, template, shortcode, form provider,
//! funnel stage, TOML key or theme), so that a typo is met with the same
//! help wherever it is made. [`nearest`] is the one rule for what is near
//! enough to suggest, and [`nearest_few`] picks the names to list when
//! none is; `Diagnostic::suggest` words its help here too.
//!
//! An unknown name is reported as "unknown form `demo-reqest`" with, as
//! help, the nearest known name ("did you mean `demo-request`?"); when no
//! known name is close, the known names themselves when they are few, else
//! where such names are declared.

/// A kind of name utmost looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Campaign,
    Form,
    /// A content file, named by an `@/` link.
    Page,
    Template,
    Shortcode,
    Stage,
    /// A key of a TOML table (site.toml, front matter).
    Key,
    Theme,
    /// A taxonomy of site.toml's `taxonomies` (`tags`).
    Taxonomy,
    /// A term of a taxonomy (a tag).
    Term,
    /// A feed's file name (`atom.xml`).
    FeedFile,
}

/// When no known name is close, at most this many are listed.
const LISTED: usize = 8;

impl Name {
    fn noun(self) -> &'static str {
        match self {
            Name::Campaign => "campaign",
            Name::Form => "form",
            Name::Page => "page",
            Name::Template => "template",
            Name::Shortcode => "shortcode",
            Name::Stage => "funnel stage",
            Name::Key => "key",
            Name::Theme => "theme",
            Name::Taxonomy => "taxonomy",
            Name::Term => "term",
            Name::FeedFile => "feed file",
        }
    }

    /// Where names of this kind come from, for when none is close.
    fn declared(self) -> &'static str {
        match self {
            Name::Campaign => "campaigns are declared in site.toml as `[campaigns.<id>]`",
            Name::Form => "forms are declared in site.toml as `[forms.<id>]`",
            Name::Page => "`@/` links name a file under content/, like `@/blog/_index.md`",
            Name::Template => "templates live in templates/ or themes/<theme>/templates/",
            Name::Shortcode => {
                "shortcodes live in templates/shortcodes/ or themes/<theme>/templates/shortcodes/"
            }
            Name::Stage => "the funnel stages are listed under `stage` in docs/reference.md",
            Name::Key => "this table takes no keys",
            Name::Theme => "themes live in themes/<name>/",
            Name::Taxonomy => {
                "taxonomies are declared in site.toml as `taxonomies = [{ name = \"…\" }]`"
            }
            Name::Term => "a term is made by the pages that name it in their front matter",
            Name::FeedFile => "feeds are written as `atom.xml` and `rss.xml`",
        }
    }

    /// How a name of this kind is written (`@/` before a page).
    fn quote(self, name: &str) -> String {
        match self {
            Name::Page => format!("`@/{name}`"),
            _ => format!("`{name}`"),
        }
    }
}

/// An unknown name: the message and the help that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unknown {
    /// The name as written.
    pub name: String,
    /// What kind of name it is.
    pub what: Name,
    pub message: String,
    pub help: String,
}

impl Unknown {
    /// `wrong`, a name of kind `what`, is not among `known`. Pages are
    /// given without `@/`, as paths relative to content/.
    pub(crate) fn new<'a>(
        what: Name,
        wrong: &str,
        known: impl IntoIterator<Item = &'a str>,
    ) -> Unknown {
        let known: Vec<&str> = known.into_iter().collect();
        let message = format!("unknown {} {}", what.noun(), what.quote(wrong));
        Unknown {
            name: wrong.to_string(),
            what,
            message,
            help: help(what, wrong, &known),
        }
    }
}

/// "did you mean `x`?", else the known names when few, else where they live.
pub(crate) fn help(what: Name, wrong: &str, known: &[&str]) -> String {
    let near = match what {
        Name::Page => nearest_path(wrong, known),
        _ => nearest(wrong, known.iter().copied()),
    };
    if let Some(name) = near {
        return did_you_mean(&what.quote(name));
    }
    // A table's keys are a short, fixed list: always worth showing.
    let listed = if what == Name::Key {
        usize::MAX
    } else {
        LISTED
    };
    match known.len() {
        0 => what.declared().to_string(),
        1 => format!("the only {} is {}", what.noun(), what.quote(known[0])),
        n if n <= listed => {
            let names: Vec<String> = known.iter().map(|k| what.quote(k)).collect();
            format!("known {}s: {}", what.noun(), names.join(", "))
        }
        _ => what.declared().to_string(),
    }
}

/// The help for a name that is near a known one, `quoted` as it is written.
pub(crate) fn did_you_mean(quoted: &str) -> String {
    format!("did you mean {quoted}?")
}

/// The known name closest to `wrong`, if any is close enough to be a typo.
pub(crate) fn nearest<'a>(
    wrong: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (edit_distance(wrong, k), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// When no name is near enough to be a typo: up to `few` of `known`, those
/// sharing the longest beginning with `wrong` first, then those of the
/// nearest length.
pub(crate) fn nearest_few(wrong: &str, mut known: Vec<String>, few: usize) -> Vec<String> {
    let shared = |k: &str| {
        k.chars()
            .zip(wrong.chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    known.sort_by_key(|k| (std::cmp::Reverse(shared(k)), k.len().abs_diff(wrong.len())));
    known.truncate(few);
    known
}

/// The content path closest to `wrong`: a typo in the whole path, else a
/// typo in the file name alone (the right file in another folder).
fn nearest_path<'a>(wrong: &str, known: &[&'a str]) -> Option<&'a str> {
    if let Some(path) = nearest(wrong, known.iter().copied()) {
        return Some(path);
    }
    fn file(p: &str) -> &str {
        p.rsplit('/').next().unwrap_or(p)
    }
    let name = file(wrong);
    let mut same: Vec<&str> = known.iter().copied().filter(|k| file(k) == name).collect();
    if same.len() == 1 {
        return same.pop();
    }
    let files = known.iter().map(|k| file(k));
    let near = nearest(name, files)?;
    let mut found = known.iter().copied().filter(|k| file(k) == near);
    match (found.next(), found.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// Edit distance over characters, ignoring case, a swap of two
/// neighbours counting as one edit (optimal string alignment): `nmae` is
/// one edit from `name`, as a typist would count it.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let mut d = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                d = d.min(before[j - 1] + 1);
            }
            current.push(d);
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let known = ["title", "description", "campaign"];
        assert_eq!(nearest("titel", known), Some("title"));
        assert_eq!(nearest("campain", known), Some("campaign"));
        assert_eq!(nearest("zzz", known), None);
        assert_eq!(edit_distance("nmae", "name"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn one_wording_for_every_name() {
        let u = Unknown::new(Name::Form, "demo-reqest", ["demo-request", "newsletter"]);
        assert_eq!(u.message, "unknown form `demo-reqest`");
        assert_eq!(u.help, "did you mean `demo-request`?");
        let u = Unknown::new(Name::Campaign, "zzz", ["spring", "evergreen"]);
        assert_eq!(u.help, "known campaigns: `spring`, `evergreen`");
        let u = Unknown::new(Name::Form, "zzz", []);
        assert_eq!(u.help, "forms are declared in site.toml as `[forms.<id>]`");
        let u = Unknown::new(Name::Key, "zzz", ["paper"]);
        assert_eq!(u.help, "the only key is `paper`");
    }

    #[test]
    fn lists_the_names_sharing_the_longest_beginning_first() {
        let known = ["/about/", "/thanks/", "/thanks-b/", "/", "/t/"].map(String::from);
        assert_eq!(
            nearest_few("/thank-you/", known.to_vec(), 3),
            ["/thanks-b/", "/thanks/", "/t/"]
        );
    }

    #[test]
    fn pages_suggest_the_nearest_content_path() {
        let known = [
            "_index.md",
            "blog/pricing-per-truck.md",
            "blog/_index.md",
            "pricing.md",
        ];
        let u = Unknown::new(Name::Page, "blog/pricing-per-trucks.md", known);
        assert_eq!(u.message, "unknown page `@/blog/pricing-per-trucks.md`");
        assert_eq!(u.help, "did you mean `@/blog/pricing-per-truck.md`?");
        // The right file in another folder.
        let u = Unknown::new(Name::Page, "pricing-per-truck.md", known);
        assert_eq!(u.help, "did you mean `@/blog/pricing-per-truck.md`?");
        let u = Unknown::new(Name::Page, "nothing-like-it.md", known);
        assert_eq!(
            u.help,
            "known pages: `@/_index.md`, `@/blog/pricing-per-truck.md`, `@/blog/_index.md`, `@/pricing.md`"
        );
    }
}
