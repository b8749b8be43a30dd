//! The `[forms.<id>]` tables of site.toml: each form's provider, action,
//! success page, fields, fixed hidden inputs and renamed attribution
//! fields, checked against its provider's convention (`model/providers.rs`) and
//! validated into [`Form`]s. Whether `redirect` names a page the site builds
//! is checked later, when the pages are known (`site/form_pages.rs`).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;

use super::Validator;
use super::form_names::with_key_spans;
use super::raw::RawForm;
use crate::diagnostic::Diagnostic;
use crate::model::at_link::AtLink;
use crate::model::forms::{Form, Provider, Redirect, RedirectTo};
use crate::model::providers::Problem;
use crate::util::url_safety::is_absolute_http;

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

    /// A problem of form `id` with its provider's convention, at `span`.
    pub(super) fn problem(&mut self, span: Range<usize>, id: &str, p: Problem) {
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
}

#[cfg(test)]
mod tests {
    use crate::source::config::parse;

    const SITE: &str = "title = \"T\"\nbase_url = \"https://x.example\"\n";

    /// Every error of a site.toml made of SITE and `forms`, rendered.
    fn errors(forms: &str) -> String {
        super::super::tests::errors(&format!("{SITE}{forms}")).concat()
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
