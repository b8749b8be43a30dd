//! The lead each contact email stands for, kept while the leads are read
//! so that `--deals` can credit a deal to it. When one email has several
//! leads the model picks one: `first` the earliest, `last` the latest, by
//! submission time where the export has one (an ISO 8601 date, as Netlify,
//! Formspree, HubSpot and Salesforce export it), else by the order read.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::{Attribution, Model};

/// What a deal is credited to: its lead's campaign (`None` when the lead
/// is unattributed) and dimensions. The values are shared: a report has
/// few distinct ones and many leads.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LeadRef {
    pub campaign: Option<Rc<str>>,
    pub source: Option<Rc<str>>,
    pub medium: Option<Rc<str>>,
    pub page: Option<Rc<str>>,
    pub variant: Option<Rc<str>>,
    pub rep: Option<Rc<str>>,
}

#[derive(Debug)]
struct Pick {
    time: Option<u64>,
    order: u64,
    lead: LeadRef,
}

/// Contact email → the lead the model picks.
#[derive(Debug)]
pub(crate) struct Contacts {
    model: Model,
    by_email: HashMap<String, Pick>,
    read: u64,
    /// Every distinct value of a [`LeadRef`], kept once.
    values: HashSet<Rc<str>>,
}

/// An email as it is joined: trimmed, lowercase.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A sortable form of an ISO 8601 date or date-time (`2026-03-04`,
/// `2026-03-04 09:12`, `2026-04-01T10:00:00.000Z`): its first 17 digits
/// (to the millisecond), padded, as a number.
fn time_key(text: &str) -> Option<u64> {
    let text = text.trim();
    let t = text.as_bytes();
    let iso_date =
        t.len() >= 10 && t[..4].iter().all(u8::is_ascii_digit) && t[4] == b'-' && t[7] == b'-';
    if !iso_date {
        return None;
    }
    let digits = text
        .chars()
        .take_while(|c| !matches!(c, 'Z' | '+') && !c.is_alphabetic() || *c == 'T')
        .filter_map(|c| c.to_digit(10))
        .take(17);
    let (mut key, mut n) = (0u64, 0);
    for d in digits {
        key = key * 10 + u64::from(d);
        n += 1;
    }
    Some(key * 10u64.pow(17 - n))
}

impl Contacts {
    pub(crate) fn new(model: Model) -> Contacts {
        Contacts {
            model,
            by_email: HashMap::new(),
            read: 0,
            values: HashSet::new(),
        }
    }

    /// One more lead, submitted at `time` (empty when unknown).
    pub(crate) fn add(&mut self, email: &str, time: &str, a: &Attribution<'_>) {
        let key = email_key(email);
        if key.is_empty() {
            return;
        }
        self.read += 1;
        let (time, order) = (time_key(time), self.read);
        let kept = match self.by_email.get(&key) {
            Some(old) => replaces(self.model, (time, order), (old.time, old.order)),
            None => true,
        };
        if kept {
            let lead = self.lead_ref(a);
            self.by_email.insert(key, Pick { time, order, lead });
        }
    }

    /// The shared copy of `value`.
    fn intern(&mut self, value: Option<&str>) -> Option<Rc<str>> {
        let value = value?;
        if let Some(shared) = self.values.get(value) {
            return Some(shared.clone());
        }
        let shared: Rc<str> = Rc::from(value);
        self.values.insert(shared.clone());
        Some(shared)
    }

    /// What a deal of the lead `a` is credited to.
    fn lead_ref(&mut self, a: &Attribution<'_>) -> LeadRef {
        LeadRef {
            campaign: self.intern(a.campaign.as_deref().ok()),
            source: self.intern(a.source),
            medium: self.intern(a.medium),
            page: self.intern(a.page),
            variant: self.intern(a.variant),
            rep: self.intern(a.rep.as_deref()),
        }
    }

    /// The lead of a contact (an [`email_key`]).
    pub(crate) fn get(&self, email: &str) -> Option<&LeadRef> {
        self.by_email.get(email).map(|p| &p.lead)
    }
}

/// Whether the model prefers the lead `new` to `old`, each given by its
/// submission time and the order it was read in.
fn replaces(model: Model, new: (Option<u64>, u64), old: (Option<u64>, u64)) -> bool {
    let later = match (new.0, old.0) {
        (Some(n), Some(o)) if n != o => n > o,
        _ => new.1 > old.1,
    };
    match model {
        Model::First => !later,
        Model::Last => later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(campaign: &str) -> Attribution<'_> {
        Attribution {
            campaign: Ok(campaign.into()),
            source: None,
            medium: None,
            page: None,
            variant: None,
            rep: None,
        }
    }

    fn campaign_of(c: &Contacts, email: &str) -> Option<String> {
        c.get(email)
            .and_then(|l| l.campaign.as_deref().map(str::to_string))
    }

    #[test]
    fn times_sort_whatever_their_iso_spelling() {
        assert_eq!(time_key("2026-03-04"), Some(20260304000000000));
        assert!(time_key("2026-03-04 09:12") < time_key("2026-03-04T10:00:00.000Z"));
        assert!(time_key("2018-11-03T07:28:29.707632") > time_key("2018-11-03T07:28:29"));
        assert_eq!(time_key("4/1/2026 10:00 AM"), None);
        assert_eq!(time_key(""), None);
    }

    #[test]
    fn the_model_picks_by_time_then_by_order() {
        for (model, want) in [(Model::First, "early"), (Model::Last, "late")] {
            let mut c = Contacts::new(model);
            c.add("A@x.example ", "2026-05-02", &lead("late"));
            c.add("a@x.example", "2026-05-01T23:00", &lead("early"));
            c.add("a@x.example", "", &lead("undated"));
            let got = campaign_of(&c, "a@x.example");
            // An undated lead is compared by order: it came last.
            let want = if model == Model::Last {
                "undated"
            } else {
                want
            };
            assert_eq!(got.as_deref(), Some(want), "{model:?}");
        }
        let mut c = Contacts::new(Model::First);
        c.add("b@x.example", "", &lead("one"));
        c.add("b@x.example", "", &lead("two"));
        assert_eq!(campaign_of(&c, "b@x.example").as_deref(), Some("one"));
        c.add("", "", &lead("nobody"));
        assert_eq!(c.get(""), None);
    }
}
