//! The `[forms.<id>]` tables of site.toml: each form's provider, action,
//! success page, fields, fixed hidden inputs and renamed attribution
//! fields, checked against its provider's convention (`providers.rs`) and
//! validated into [`Form`]s. Whether `redirect` names a page the site builds
//! is checked later, when the pages are known (`site/form_pages.rs`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use toml::Spanned;

use super::raw::{RawField, RawForm};
use super::{Validator, humanize};
use crate::diagnostic::Diagnostic;
use crate::model::at_link::AtLink;
use crate::model::forms::{
    Field, FieldKind, Form, Provider, Redirect, RedirectTo, hidden_field_names,
};
use crate::model::providers::Problem;
use crate::util::url_safety::is_absolute_http;

type Pairs = BTreeMap<Spanned<String>, Spanned<String>>;

/// The pairs of an inline table with each key's span: the key written
/// last before its value (`oid = "…"` or `"oid" = "…"`), else the value's.
fn with_key_spans(source: &str, raw: BTreeMap<String, Spanned<String>>) -> Pairs {
    raw.into_iter()
        .map(|(key, value)| {
            let before = source.get(..value.span().start).unwrap_or_default();
            let span = before
                .rfind(key.as_str())
                .filter(|at| !before[at + key.len()..].contains('\n'))
                .map_or(value.span(), |at| at..at + key.len());
            (Spanned::new(span, key), value)
        })
        .collect()
}

/// One name a form sends, where it comes from, and where it was written
/// (`None` for names utmost adds itself).
struct Sent {
    name: String,
    what: String,
    span: Option<Range<usize>>,
}

impl Validator<'_> {
    pub(super) fn forms(
        &mut self,
        raw: BTreeMap<String, RawForm>,
        base_url: &str,
    ) -> BTreeMap<String, Form> {
        let mut out = BTreeMap::new();
        // Renamed names across all forms: `leads report` maps each back to
        // one attribution field, so a name must mean the same one everywhere.
        let mut renamed: HashMap<String, (String, String)> = HashMap::new();
        for (id, f) in raw {
            self.check_id("forms", &id);
            let form = self.form(&id, f, base_url);
            for (field, name) in &form.rename {
                let key = crate::util::exports::header_key(name);
                match renamed.get(&key) {
                    Some((other_field, other_form)) if other_field != field => {
                        let span = self.key_span("forms", &id);
                        self.error(
                            span,
                            format!("form `{id}` sends `{field}` as `{name}`, but form `{other_form}` sends `{other_field}` under that name"),
                        )
                        .help = Some("`leads report` reads a column back by its name: give each attribution field its own".into());
                    }
                    _ => {
                        renamed.insert(key, (field.clone(), id.clone()));
                    }
                }
            }
            out.insert(id, form);
        }
        out
    }

    fn form(&mut self, id: &str, mut f: RawForm, base_url: &str) -> Form {
        let raw_hidden = std::mem::take(&mut f.hidden);
        let raw_rename = std::mem::take(&mut f.rename);
        let (hidden_pairs, rename_pairs) = (
            with_key_spans(self.source, raw_hidden),
            with_key_spans(self.source, raw_rename),
        );
        let provider = self.provider(id, f.provider.as_ref());
        let header = self.key_span("forms", id);
        let mut action = f
            .action
            .map(|a| Spanned::new(a.span(), a.into_inner().trim().to_string()));
        if let Err(p) = provider.check_action(action.as_ref().map(|a| a.get_ref().as_str())) {
            let span = action.as_ref().map_or(header.clone(), Spanned::span);
            self.problem(span, id, p);
        }
        let mut written_redirect = f.redirect;
        // Netlify reads the form's `action` as its success page: the same
        // thing as `redirect`, checked the same way.
        if provider == Provider::Netlify
            && let Some(a) = action.take_if(|a| a.get_ref().starts_with('/'))
        {
            match &written_redirect {
                Some(r) if r.get_ref() != a.get_ref() => {
                    self.error(
                        a.span(),
                        format!("form `{id}`: Netlify shows the page at `action` after a submission, and `redirect` names another"),
                    )
                    .help = Some("give only `redirect`: utmost makes it the form's `action`".into());
                }
                Some(_) => {}
                None => written_redirect = Some(a),
            }
        }
        let redirect = written_redirect.and_then(|r| self.redirect(id, provider, r, base_url));
        if f.fields.is_empty() {
            self.error(header.clone(), format!("form `{id}` has no fields"));
        }
        let (fields, field_spans) = self.fields(id, provider, f.fields);
        let hidden = self.hidden(id, provider, &hidden_pairs);
        if let Err(p) = provider.check_hidden(
            action.as_ref().map(|a| a.get_ref().as_str()),
            hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        ) {
            let span = hidden_pairs.keys().next().map_or(header, Spanned::span);
            self.problem(span, id, p);
        }
        let rename = self.rename(id, provider, &rename_pairs);
        let form = Form {
            id: id.to_string(),
            action: action.map(Spanned::into_inner),
            provider,
            submit: f.submit,
            redirect,
            fields,
            hidden,
            rename,
        };
        self.check_collisions(&form, &field_spans, &hidden_pairs, &rename_pairs);
        form
    }

    fn problem(&mut self, span: Range<usize>, id: &str, p: Problem) {
        self.error(span, format!("form `{id}`: {}", p.message)).help = p.help;
    }

    fn provider(&mut self, id: &str, written: Option<&Spanned<String>>) -> Provider {
        let Some(name) = written else {
            return Provider::default();
        };
        if let Some(p) = Provider::from_name(name.get_ref()) {
            return p;
        }
        let names = Provider::ALL.map(Provider::name);
        let d = Diagnostic::at(
            super::CONFIG_FILE,
            self.source,
            name.span(),
            format!("form `{id}`: unknown provider `{}`", name.get_ref()),
        )
        .suggest(name.get_ref(), names);
        let help = format!(
            "providers are {}",
            names.map(|n| format!("`{n}`")).join(", ")
        );
        self.diagnostics.push(match d.help {
            Some(_) => d,
            None => d.with_help(help),
        });
        Provider::default()
    }

    /// `@/thanks.md` and `/thanks/` name a page of the site (looked up when
    /// the site is assembled); an absolute URL on another site is kept as it
    /// is where the provider can send visitors there.
    fn redirect(
        &mut self,
        id: &str,
        provider: Provider,
        r: Spanned<String>,
        base_url: &str,
    ) -> Option<Redirect> {
        let span = r.span();
        let written = r.into_inner().trim().to_string();
        let on_site = AtLink::parse(&written).is_some()
            || written.starts_with('/')
            || written
                .strip_prefix(base_url)
                .is_some_and(|p| p.is_empty() || p.starts_with('/'));
        let to = if on_site {
            RedirectTo::Unresolved
        } else if is_absolute_http(&written) && provider.redirects_off_site() {
            RedirectTo::Url(written.clone())
        } else if is_absolute_http(&written) {
            self.error(span, format!("form `{id}`: Netlify only shows pages of the site it deploys after a submission"))
                .help = Some("name a page of this site, like `redirect = \"@/thanks.md\"`".into());
            return None;
        } else {
            self.error(
                span,
                format!("form `{id}`: `redirect` must be an `@/` link or a path starting with `/`"),
            )
            .help = Some(
                "for example `redirect = \"@/thanks.md\"` or `redirect = \"/thanks/\"`".into(),
            );
            return None;
        };
        Some(Redirect { written, span, to })
    }

    /// The fields, and where each one's name is written.
    fn fields(
        &mut self,
        form: &str,
        provider: Provider,
        raw: Vec<RawField>,
    ) -> (Vec<Field>, Vec<Range<usize>>) {
        let mut out = Vec::new();
        let mut spans = Vec::new();
        for f in raw {
            let name = f.name.get_ref().clone();
            if self.check_name(form, provider, &name, f.name.span())
                && crate::model::forms::is_reserved(&name)
            {
                self.error(
                    f.name.span(),
                    format!("form `{form}`: field name `{name}` is reserved for attribution"),
                )
                .help = Some("utmost adds this hidden field itself; rename your field".into());
            }
            if f.kind == FieldKind::Select && f.options.is_empty() {
                self.error(
                    f.name.span(),
                    format!("form `{form}`: select field `{name}` needs `options`"),
                );
            }
            if f.kind != FieldKind::Select && !f.options.is_empty() {
                self.error(
                    f.name.span(),
                    format!("form `{form}`: only `select` fields take `options`"),
                );
            }
            spans.push(f.name.span());
            out.push(Field {
                label: f.label.unwrap_or_else(|| humanize(&name)),
                name,
                kind: f.kind,
                required: f.required,
                options: f.options,
                placeholder: f.placeholder,
            });
        }
        (out, spans)
    }

    /// Letters, digits, `_` and `-`, and a name the provider can store.
    fn check_name(
        &mut self,
        form: &str,
        provider: Provider,
        name: &str,
        span: Range<usize>,
    ) -> bool {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            self.error(
                span,
                format!(
                    "form `{form}`: field name `{name}` may only hold letters, digits, `_` and `-`"
                ),
            );
            return false;
        }
        if let Err(p) = provider.check_name(name) {
            self.problem(span, form, p);
            return false;
        }
        true
    }

    fn hidden(&mut self, form: &str, provider: Provider, raw: &Pairs) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, value) in raw {
            if !self.check_name(form, provider, name.get_ref(), name.span()) {
                continue;
            }
            if crate::model::forms::is_reserved(name.get_ref()) {
                self.error(
                    name.span(),
                    format!(
                        "form `{form}`: `{}` is an attribution field; the script fills it",
                        name.get_ref()
                    ),
                )
                .help = Some("to send it under another name, use `rename`".into());
                continue;
            }
            out.insert(name.get_ref().clone(), value.get_ref().clone());
        }
        out
    }

    fn rename(&mut self, form: &str, provider: Provider, raw: &Pairs) -> BTreeMap<String, String> {
        let attribution: Vec<String> = hidden_field_names().collect();
        let mut out = BTreeMap::new();
        for (field, name) in raw {
            if !attribution.contains(field.get_ref()) {
                let d = Diagnostic::at(
                    super::CONFIG_FILE,
                    self.source,
                    field.span(),
                    format!(
                        "form `{form}`: `rename` takes attribution fields, and `{}` is not one",
                        field.get_ref()
                    ),
                )
                .suggest(field.get_ref(), attribution.iter().map(String::as_str));
                let d = match d.help {
                    Some(_) => d,
                    None => d.with_help(
                        "fixed inputs go in `hidden`; your own fields are named in `fields`",
                    ),
                };
                self.diagnostics.push(d);
                continue;
            }
            if !self.check_name(form, provider, name.get_ref(), name.span()) {
                continue;
            }
            // A name that reads back as another attribution field would be
            // counted as that field by `leads report`.
            let key = crate::util::exports::header_key(name.get_ref());
            if let Some(other) = attribution
                .iter()
                .find(|a| *a != field.get_ref() && crate::util::exports::header_key(a) == key)
            {
                self.error(
                    name.span(),
                    format!(
                        "form `{form}`: `{}` would read back as the attribution field `{other}`",
                        name.get_ref()
                    ),
                );
                continue;
            }
            out.insert(field.get_ref().clone(), name.get_ref().clone());
        }
        out
    }

    /// No two inputs of a form may share a name: the backend would keep one.
    fn check_collisions(
        &mut self,
        form: &Form,
        field_spans: &[Range<usize>],
        hidden: &Pairs,
        rename: &Pairs,
    ) {
        let sent = sent_names(form, field_spans, hidden, rename);
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut reported = BTreeSet::new();
        for (i, s) in sent.iter().enumerate() {
            let Some(&first) = seen.get(s.name.as_str()) else {
                seen.insert(&s.name, i);
                continue;
            };
            let first = &sent[first];
            let Some(span) = s.span.clone().or_else(|| first.span.clone()) else {
                continue;
            };
            if !reported.insert(span.start) {
                continue;
            }
            let message = if first.what == s.what {
                format!(
                    "form `{}`: {} `{}` appears twice",
                    form.id,
                    s.what.trim_start_matches("a "),
                    s.name
                )
            } else {
                format!(
                    "form `{}` sends `{}` twice: as {} and as {}",
                    form.id, s.name, first.what, s.what
                )
            };
            self.error(span, message).help = Some(
                "a backend keeps only one value per name; give one of them another name".into(),
            );
        }
    }
}

/// Every name a form sends: its provider's inputs first, then what utmost
/// adds, then what the user wrote (so a clash points at the user's line).
fn sent_names(
    form: &Form,
    field_spans: &[Range<usize>],
    hidden: &Pairs,
    rename: &Pairs,
) -> Vec<Sent> {
    let span_of = |pairs: &Pairs, key: &str, value: bool| {
        pairs
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(k, v)| if value { v.span() } else { k.span() })
    };
    let mut sent: Vec<Sent> = Vec::new();
    for name in form.provider.own_fields() {
        sent.push(Sent {
            name: name.into(),
            what: format!("the {} convention's own field", form.provider.name()),
            span: None,
        });
    }
    for field in hidden_field_names() {
        let span = span_of(rename, &field, true);
        sent.push(Sent {
            name: form.sent_name(&field).to_string(),
            what: format!("the attribution field `{field}`"),
            span,
        });
    }
    // A field named like an attribution field is reported as reserved.
    let own = form.fields.iter().zip(field_spans);
    for (f, span) in own.filter(|(f, _)| !crate::model::forms::is_reserved(&f.name)) {
        sent.push(Sent {
            name: f.name.clone(),
            what: "a field".into(),
            span: Some(span.clone()),
        });
    }
    for name in form.hidden.keys() {
        sent.push(Sent {
            name: name.clone(),
            what: "a fixed hidden input".into(),
            span: span_of(hidden, name, false),
        });
    }
    sent
}

#[cfg(test)]
mod tests {
    use crate::source::config::parse;

    const SITE: &str = "title = \"T\"\nbase_url = \"https://x.example\"\n";

    /// Every error of a site.toml made of SITE and `forms`, rendered.
    fn errors(forms: &str) -> String {
        match parse(&format!("{SITE}{forms}")) {
            Ok(_) => String::new(),
            Err(d) => d.iter().map(|d| d.render(false)).collect(),
        }
    }

    const EMAIL: &str = "fields = [ { name = \"email\", type = \"email\" } ]\n";

    #[test]
    fn provider_typo_is_named_with_a_suggestion() {
        let e = errors(&format!(
            "[forms.demo]\naction = \"https://f.example\"\nprovider = \"hubspott\"\n{EMAIL}"
        ));
        assert!(
            e.contains("form `demo`: unknown provider `hubspott`"),
            "{e}"
        );
        assert!(e.contains("did you mean `hubspot`?"), "{e}");
        assert!(e.contains("--> site.toml:5:12"), "{e}");
        assert!(!e.contains("unknown variant"), "{e}");
        let far = errors(&format!(
            "[forms.demo]\naction = \"/x\"\nprovider = \"zapier\"\n{EMAIL}"
        ));
        assert!(
            far.contains(
                "providers are `generic`, `formspree`, `netlify`, `hubspot`, `salesforce`"
            ),
            "{far}"
        );
    }

    #[test]
    fn netlify_refuses_an_absolute_action_and_takes_a_path() {
        let e = errors(&format!(
            "[forms.demo]\nprovider = \"netlify\"\naction = \"https://forms.example/x\"\n{EMAIL}"
        ));
        assert!(
            e.contains("a Netlify form cannot post to another site"),
            "{e}"
        );
        assert!(e.contains("--> site.toml:5:10"), "{e}");
        let c = parse(&format!(
            "{SITE}[forms.demo]\nprovider = \"netlify\"\naction = \"/thanks/\"\n{EMAIL}"
        ))
        .unwrap();
        let form = &c.forms["demo"];
        assert_eq!(form.action, None, "the path is the success page");
        assert_eq!(form.redirect.as_ref().unwrap().written, "/thanks/");
        let both = errors(&format!(
            "[forms.demo]\nprovider = \"netlify\"\naction = \"/a/\"\nredirect = \"/b/\"\n{EMAIL}"
        ));
        assert!(both.contains("`redirect` names another"), "{both}");
        let off_site = errors(&format!(
            "[forms.demo]\nprovider = \"netlify\"\nredirect = \"https://else.example/\"\n{EMAIL}"
        ));
        assert!(
            off_site.contains("Netlify only shows pages of the site it deploys"),
            "{off_site}"
        );
    }

    #[test]
    fn hubspot_and_salesforce_follow_their_conventions() {
        let hs = errors(&format!(
            "[forms.demo]\nprovider = \"hubspot\"\naction = \"https://forms.hubspot.com/uploads/form/v2/62515/xyz\"\nhidden = {{ _subject = \"x\" }}\n{EMAIL}"
        ));
        assert!(hs.contains("the form GUID `xyz`"), "{hs}");
        assert!(hs.contains("HubSpot cannot store `_subject`"), "{hs}");
        let sf = errors(&format!(
            "[forms.demo]\nprovider = \"salesforce\"\naction = \"https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8\"\n{EMAIL}"
        ));
        assert!(sf.contains("needs the org id in a hidden `oid`"), "{sf}");
        let ok = parse(&format!(
            "{SITE}[forms.demo]\nprovider = \"salesforce\"\naction = \"https://webto.salesforce.com/servlet/servlet.WebToLead?encoding=UTF-8\"\nhidden = {{ oid = \"00D5e000000AbCd\" }}\nrename = {{ utm_campaign = \"00N5e00000AbCdE\" }}\n{EMAIL}"
        ))
        .unwrap();
        assert_eq!(
            ok.forms["demo"].sent_name("utm_campaign"),
            "00N5e00000AbCdE"
        );
        assert_eq!(ok.forms["demo"].hidden["oid"], "00D5e000000AbCd");
    }

    #[test]
    fn hidden_and_rename_are_checked() {
        let e = errors(&format!(
            "[forms.demo]\naction = \"/x\"\nhidden = {{ utm_source = \"x\", email = \"y\" }}\nrename = {{ utm_campain = \"a\", utm_term = \"utm-source\", utm_id = \"email\" }}\n{EMAIL}"
        ));
        assert!(
            e.contains("`utm_source` is an attribution field; the script fills it"),
            "{e}"
        );
        assert!(
            e.contains("`rename` takes attribution fields, and `utm_campain` is not one"),
            "{e}"
        );
        assert!(e.contains("did you mean `utm_campaign`?"), "{e}");
        assert!(
            e.contains("`utm-source` would read back as the attribution field `utm_source`"),
            "{e}"
        );
        assert!(
            e.contains("sends `email` twice: as the attribution field `utm_id` and as a field"),
            "{e}"
        );
        assert!(
            e.contains(
                "sends `email` twice: as the attribution field `utm_id` and as a fixed hidden input"
            ),
            "{e}"
        );
        let twice = errors(
            "[forms.demo]\naction = \"/x\"\nfields = [ { name = \"a\" }, { name = \"a\" } ]\n",
        );
        assert!(
            twice.contains("form `demo`: field `a` appears twice"),
            "{twice}"
        );
        assert!(
            twice.contains("--> site.toml:5:37"),
            "the second one: {twice}"
        );
        let hp = errors(&format!(
            "[forms.demo]\naction = \"/x\"\nhidden = {{ _hp = \"1\" }}\n{EMAIL}"
        ));
        assert!(hp.contains("sends `_hp` twice: as the generic convention's own field and as a fixed hidden input"), "{hp}");
        let subject = parse(&format!(
            "{SITE}[forms.demo]\naction = \"https://formspree.io/f/x\"\nprovider = \"formspree\"\nhidden = {{ _subject = \"New lead\" }}\n{EMAIL}"
        ));
        assert!(
            subject.is_ok(),
            "Formspree's `_subject` goes through `hidden`"
        );
    }

    #[test]
    fn a_renamed_name_means_one_field_in_every_form() {
        let e = errors(&format!(
            "[forms.a]\naction = \"/x\"\nrename = {{ utm_campaign = \"campaign\" }}\n{EMAIL}[forms.b]\naction = \"/x\"\nrename = {{ utm_source = \"campaign\" }}\n{EMAIL}"
        ));
        assert!(e.contains("form `b` sends `utm_source` as `campaign`, but form `a` sends `utm_campaign` under that name"), "{e}");
    }

    #[test]
    fn redirect_is_an_at_link_a_path_or_another_site() {
        let e = errors(&format!(
            "[forms.demo]\naction = \"/x\"\nredirect = \"thanks\"\n{EMAIL}"
        ));
        assert!(
            e.contains("`redirect` must be an `@/` link or a path starting with `/`"),
            "{e}"
        );
        let c = parse(&format!(
            "{SITE}[forms.a]\naction = \"/x\"\nredirect = \"@/thanks.md\"\n{EMAIL}[forms.b]\naction = \"/x\"\nredirect = \"https://cal.example/book\"\n{EMAIL}"
        ))
        .unwrap();
        assert_eq!(
            c.forms["a"].redirect.as_ref().unwrap().to,
            crate::model::forms::RedirectTo::Unresolved
        );
        assert_eq!(
            c.forms["b"].redirect.as_ref().unwrap().to,
            crate::model::forms::RedirectTo::Url("https://cal.example/book".into())
        );
    }
}
