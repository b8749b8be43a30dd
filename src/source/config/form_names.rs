//! The names a form sends: its own fields, its fixed hidden inputs and its
//! attribution fields under the names `rename` gives them; each a name its
//! provider can store, none reserved for attribution by mistake, and no
//! two alike (a backend keeps one value per name).

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;

use super::raw::RawField;
use super::{Validator, humanize};
use crate::diagnostic::Diagnostic;
use crate::model::forms::{Field, FieldKind, Form, Provider, hidden_field_names};

pub(super) type Pairs = BTreeMap<Spanned<String>, Spanned<String>>;

/// The pairs of an inline table with each key's span: the key written
/// last before its value (`oid = "…"` or `"oid" = "…"`), else the value's.
pub(super) fn with_key_spans(source: &str, raw: BTreeMap<String, Spanned<String>>) -> Pairs {
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
    /// The fields, and where each one's name is written.
    pub(super) fn fields(
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
    pub(super) fn check_name(
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

    pub(super) fn hidden(
        &mut self,
        form: &str,
        provider: Provider,
        raw: &Pairs,
    ) -> BTreeMap<String, String> {
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

    pub(super) fn rename(
        &mut self,
        form: &str,
        provider: Provider,
        raw: &Pairs,
    ) -> BTreeMap<String, String> {
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
    pub(super) fn check_collisions(
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
