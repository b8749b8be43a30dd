//! Whether a deal is won, lost or still open, from its stage's name.
//! HubSpot exports the stage's label (`Closed Won`) or its internal name
//! (`closedwon`); Salesforce its `StageName` (`Closed Won`, `Closed
//! Lost`). Names are matched loosely (case, spaces and punctuation
//! ignored), against `[attribution] won_stages` and `lost_stages` when
//! site.toml sets them; any other stage is open pipeline.

use std::collections::HashSet;

/// Where a deal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    Won,
    Lost,
    Open,
}

/// The stage names that close a deal.
#[derive(Debug, Clone)]
pub(crate) struct Stages {
    won: HashSet<String>,
    lost: HashSet<String>,
}

/// The defaults: HubSpot's and Salesforce's closing stages, and the words.
const WON: [&str; 3] = ["closedwon", "closed won", "won"];
const LOST: [&str; 3] = ["closedlost", "closed lost", "lost"];

/// A stage name as it is matched: lowercase letters and digits only.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Stages {
    /// The stages site.toml names, each list replacing its default.
    pub(crate) fn new(won: Option<&[String]>, lost: Option<&[String]>) -> Stages {
        let set = |given: Option<&[String]>, default: &[&str]| match given {
            Some(names) => names.iter().map(|n| key(n)).collect(),
            None => default.iter().map(|n| key(n)).collect(),
        };
        Stages {
            won: set(won, &WON),
            lost: set(lost, &LOST),
        }
    }

    pub(crate) fn classify(&self, name: &str) -> Stage {
        let k = key(name);
        if self.won.contains(&k) {
            Stage::Won
        } else if self.lost.contains(&k) {
            Stage::Lost
        } else {
            Stage::Open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_names_match_loosely() {
        let s = Stages::new(None, None);
        for won in ["Closed Won", "closedwon", "CLOSED_WON", " won "] {
            assert_eq!(s.classify(won), Stage::Won, "{won}");
        }
        for lost in ["Closed Lost", "closed-lost", "Lost"] {
            assert_eq!(s.classify(lost), Stage::Lost, "{lost}");
        }
        for open in ["Appointment Scheduled", "Prospecting", "", "Won back?"] {
            assert_eq!(s.classify(open), Stage::Open, "{open}");
        }
    }

    #[test]
    fn site_toml_replaces_a_list() {
        let won = vec!["Signed".to_string(), "Paid in full".to_string()];
        let s = Stages::new(Some(&won), None);
        assert_eq!(s.classify("signed"), Stage::Won);
        assert_eq!(s.classify("PAID IN FULL"), Stage::Won);
        assert_eq!(
            s.classify("Closed Won"),
            Stage::Open,
            "the default is replaced"
        );
        assert_eq!(
            s.classify("Closed Lost"),
            Stage::Lost,
            "the other list stays"
        );
    }
}
