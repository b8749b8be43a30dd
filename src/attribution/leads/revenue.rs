//! Deals credited to the campaigns of their leads (`leads report
//! --deals`): each deal goes to the lead its contact email picks under the
//! model (`contacts.rs`), and so to that lead's campaign, page, variant,
//! source, medium and rep. Won deals count by those dimensions; open and
//! lost ones by campaign. Amounts are summed in cents and shown in units.

use std::collections::{BTreeMap, HashMap};

use serde::{Serialize, Serializer};

use super::contacts::{Contacts, LeadRef};
use super::{CampaignLeads, NONE};
use crate::attribution::deals::{Deal, Stage, amount};

/// How many deals, and their sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub(crate) struct Money {
    pub deals: u64,
    #[serde(serialize_with = "cents_as_units")]
    pub amount: i64,
}

impl Money {
    fn add(&mut self, cents: i64) {
        self.deals += 1;
        self.amount += cents;
    }
}

/// A campaign's deals (flattened into its object of the JSON report).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct CampaignDeals {
    pub won: Money,
    pub open: Money,
    pub lost: Money,
    #[serde(serialize_with = "map_as_units")]
    pub won_by_rep: BTreeMap<String, i64>,
    #[serde(serialize_with = "map_as_units")]
    pub won_by_variant: BTreeMap<String, i64>,
    #[serde(serialize_with = "map_as_units")]
    pub won_by_page: BTreeMap<String, i64>,
    #[serde(serialize_with = "map_as_units")]
    pub won_by_source: BTreeMap<String, i64>,
    #[serde(serialize_with = "map_as_units")]
    pub won_by_medium: BTreeMap<String, i64>,
    /// By `source / medium` (for the HTML report).
    #[serde(skip)]
    pub won_by_channel: BTreeMap<String, i64>,
}

impl CampaignDeals {
    /// The won amounts by dimension, named as the report names them.
    pub(crate) fn won_by(&self) -> [(&'static str, &BTreeMap<String, i64>); 5] {
        [
            ("source", &self.won_by_source),
            ("medium", &self.won_by_medium),
            ("page", &self.won_by_page),
            ("variant", &self.won_by_variant),
            ("rep", &self.won_by_rep),
        ]
    }

    fn credit(&mut self, deal: &Deal, lead: &LeadRef) {
        match deal.stage {
            Stage::Open => self.open.add(deal.cents),
            Stage::Lost => self.lost.add(deal.cents),
            Stage::Won => {
                self.won.add(deal.cents);
                for (sums, value) in [
                    (&mut self.won_by_rep, &lead.rep),
                    (&mut self.won_by_variant, &lead.variant),
                    (&mut self.won_by_page, &lead.page),
                    (&mut self.won_by_source, &lead.source),
                    (&mut self.won_by_medium, &lead.medium),
                ] {
                    *sums
                        .entry(value.as_deref().unwrap_or(NONE).to_string())
                        .or_default() += deal.cents;
                }
                let channel = super::channel(lead.source.as_deref(), lead.medium.as_deref());
                *self.won_by_channel.entry(channel).or_default() += deal.cents;
            }
        }
    }
}

/// What the join of deals to leads found overall.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct DealsSummary {
    /// Every deal read.
    pub deals: u64,
    /// Deals whose email matched no lead.
    pub unmatched_deals: u64,
    /// Deals whose lead is attributed to no campaign.
    pub unattributed_deals: u64,
    /// Every won deal, matched or not.
    pub won: Money,
    /// The stage names counted as open pipeline, with how many deals.
    pub open_stages: BTreeMap<String, u64>,
}

/// Credits every deal to its lead's campaign in `campaigns`.
pub(crate) fn credit(
    campaigns: &mut [CampaignLeads],
    contacts: &Contacts,
    deals: &[Deal],
    open_stages: BTreeMap<String, u64>,
) -> DealsSummary {
    let index: HashMap<String, usize> = campaigns
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    for c in campaigns.iter_mut() {
        c.deals = Some(CampaignDeals::default());
    }
    let mut summary = DealsSummary {
        deals: deals.len() as u64,
        open_stages,
        ..DealsSummary::default()
    };
    for deal in deals {
        if deal.stage == Stage::Won {
            summary.won.add(deal.cents);
        }
        let Some(lead) = contacts.get(&deal.email) else {
            summary.unmatched_deals += 1;
            continue;
        };
        let campaign = lead.campaign.as_deref().and_then(|id| index.get(id));
        match campaign.and_then(|&i| campaigns[i].deals.as_mut()) {
            Some(c) => c.credit(deal, lead),
            None => summary.unattributed_deals += 1,
        }
    }
    summary
}

fn cents_as_units<S: Serializer>(cents: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(amount::units(*cents))
}

fn map_as_units<S: Serializer>(map: &BTreeMap<String, i64>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(map.iter().map(|(k, v)| (k, amount::units(*v))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::leads::{Attribution, Model};

    fn deal(email: &str, cents: i64, stage: Stage) -> Deal {
        Deal {
            email: email.into(),
            cents,
            stage,
        }
    }

    #[test]
    fn deals_go_to_the_campaign_and_dimensions_of_their_lead() {
        let mut contacts = Contacts::new(Model::Last);
        let spring = Attribution {
            campaign: Ok("spring".into()),
            source: None,
            medium: None,
            page: None,
            variant: Some("b"),
            rep: Some("ana".into()),
        };
        contacts.add("a@x.example", "", &spring);
        let unattributed = Attribution {
            campaign: Err(None),
            rep: None,
            ..spring
        };
        contacts.add("u@x.example", "", &unattributed);
        let mut campaigns = vec![CampaignLeads {
            id: "spring".into(),
            ..CampaignLeads::default()
        }];
        let deals = [
            deal("a@x.example", 100_000, Stage::Won),
            deal("a@x.example", 50_050, Stage::Won),
            deal("a@x.example", 7_000, Stage::Open),
            deal("a@x.example", 1, Stage::Lost),
            deal("u@x.example", 9, Stage::Won),
            deal("nobody@x.example", 5, Stage::Won),
        ];
        let summary = credit(&mut campaigns, &contacts, &deals, BTreeMap::new());
        assert_eq!(
            (
                summary.deals,
                summary.unmatched_deals,
                summary.unattributed_deals
            ),
            (6, 1, 1)
        );
        assert_eq!(
            summary.won,
            Money {
                deals: 4,
                amount: 150_064
            }
        );
        let c = campaigns[0].deals.as_ref().expect("credited");
        assert_eq!(
            c.won,
            Money {
                deals: 2,
                amount: 150_050
            }
        );
        assert_eq!(
            c.open,
            Money {
                deals: 1,
                amount: 7_000
            }
        );
        assert_eq!(c.lost.deals, 1);
        assert_eq!(c.won_by_rep["ana"], 150_050);
        assert_eq!(c.won_by_variant["b"], 150_050);
        assert_eq!(c.won_by_source["(none)"], 150_050);
        let json = serde_json::to_value(c).expect("serialises");
        assert_eq!(json["won"]["amount"], 1500.5);
        assert_eq!(json["won_by_rep"]["ana"], 1500.5);
    }
}
