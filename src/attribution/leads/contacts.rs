//! The lead each contact email stands for, kept while the leads are read
//! so that `--deals` can credit a deal to it. When one email has several
//! leads the model picks one: `first` the earliest, `last` the latest, by
//! submission time where the export has one (an ISO 8601 date, as Netlify,
//! Formspree, HubSpot and Salesforce export it), else by the order read.

use std::collections::HashMap;

use super::Model;

/// What a deal is credited to: its lead's campaign (`None` when the lead
/// is unattributed) and dimensions.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LeadRef {
    pub campaign: Option<String>,
    pub source: Option<String>,
    pub medium: Option<String>,
    pub page: Option<String>,
    pub variant: Option<String>,
    pub rep: Option<String>,
}

#[derive(Debug)]
struct Pick {
    time: Option<String>,
    order: u64,
    lead: LeadRef,
}

/// Contact email → the lead the model picks.
#[derive(Debug)]
pub(crate) struct Contacts {
    model: Model,
    by_email: HashMap<String, Pick>,
    read: u64,
}

/// An email as it is joined: trimmed, lowercase.
pub(crate) fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A sortable form of an ISO 8601 date or date-time (`2026-03-04`,
/// `2026-03-04 09:12`, `2026-04-01T10:00:00.000Z`): its digits, padded.
fn time_key(text: &str) -> Option<String> {
    let t = text.trim().as_bytes();
    let iso_date =
        t.len() >= 10 && t[..4].iter().all(u8::is_ascii_digit) && t[4] == b'-' && t[7] == b'-';
    if !iso_date {
        return None;
    }
    let mut digits: String = text
        .trim()
        .chars()
        .take_while(|c| !matches!(c, 'Z' | '+') && !c.is_alphabetic() || *c == 'T')
        .filter(char::is_ascii_digit)
        .take(17)
        .collect();
    while digits.len() < 17 {
        digits.push('0');
    }
    Some(digits)
}

impl Contacts {
    pub(crate) fn new(model: Model) -> Contacts {
        Contacts {
            model,
            by_email: HashMap::new(),
            read: 0,
        }
    }

    /// One more lead, submitted at `time` (empty when unknown).
    pub(crate) fn add(&mut self, email: &str, time: &str, lead: LeadRef) {
        let key = email_key(email);
        if key.is_empty() {
            return;
        }
        self.read += 1;
        let new = Pick {
            time: time_key(time),
            order: self.read,
            lead,
        };
        let model = self.model;
        match self.by_email.get_mut(&key) {
            Some(old) if replaces(model, &new, old) => *old = new,
            Some(_) => {}
            None => {
                self.by_email.insert(key, new);
            }
        }
    }

    /// The lead of a contact (an [`email_key`]).
    pub(crate) fn get(&self, email: &str) -> Option<&LeadRef> {
        self.by_email.get(email).map(|p| &p.lead)
    }
}

/// Whether the model prefers `new` to `old`.
fn replaces(model: Model, new: &Pick, old: &Pick) -> bool {
    let later = match (&new.time, &old.time) {
        (Some(n), Some(o)) if n != o => n > o,
        _ => new.order > old.order,
    };
    match model {
        Model::First => !later,
        Model::Last => later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(campaign: &str) -> LeadRef {
        LeadRef {
            campaign: Some(campaign.into()),
            ..LeadRef::default()
        }
    }

    #[test]
    fn times_sort_whatever_their_iso_spelling() {
        assert_eq!(time_key("2026-03-04").as_deref(), Some("20260304000000000"));
        assert!(time_key("2026-03-04 09:12") < time_key("2026-03-04T10:00:00.000Z"));
        assert!(time_key("2018-11-03T07:28:29.707632") > time_key("2018-11-03T07:28:29"));
        assert_eq!(time_key("4/1/2026 10:00 AM"), None);
        assert_eq!(time_key(""), None);
    }

    #[test]
    fn the_model_picks_by_time_then_by_order() {
        for (model, want) in [(Model::First, "early"), (Model::Last, "late")] {
            let mut c = Contacts::new(model);
            c.add("A@x.example ", "2026-05-02", lead("late"));
            c.add("a@x.example", "2026-05-01T23:00", lead("early"));
            c.add("a@x.example", "", lead("undated"));
            let got = c.get("a@x.example").and_then(|l| l.campaign.clone());
            // An undated lead is compared by order: it came last.
            let want = if model == Model::Last {
                "undated"
            } else {
                want
            };
            assert_eq!(got.as_deref(), Some(want), "{model:?}");
        }
        let mut c = Contacts::new(Model::First);
        c.add("b@x.example", "", lead("one"));
        c.add("b@x.example", "", lead("two"));
        assert_eq!(c.get("b@x.example"), Some(&lead("one")));
        c.add("", "", lead("nobody"));
        assert_eq!(c.get(""), None);
    }
}
