//! `utmost leads report`: reading form submissions exported from a form
//! backend (CSV with a header row, or JSON Lines), attributing each to a
//! campaign of the registry under the first- or last-touch model, and
//! counting leads by source, medium, page, variant and rep.
//!
//! Reading and attribution are pure functions over [`Submission`]s; the
//! registry comes from the built site. Output formats live in `report.rs`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;

use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    First,
    Last,
}

/// One exported submission: its fields, and where it was read.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub file: String,
    pub line: u64,
    pub fields: HashMap<String, String>,
}

impl Submission {
    fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", |v| v.trim())
    }
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// Reads one export; unreadable rows are returned as [`Skipped`].
pub fn read_export(path: &Path, shown: &str) -> (Vec<Submission>, Vec<Skipped>) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                Vec::new(),
                vec![Skipped {
                    file: shown.into(),
                    line: 0,
                    reason: format!("cannot read the file: {e}"),
                }],
            );
        }
    };
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let json = match ext.as_deref() {
        Some("jsonl" | "ndjson" | "json") => true,
        Some("csv") => false,
        _ => bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'),
    };
    if json {
        read_json_lines(bytes, shown)
    } else {
        read_csv(bytes, shown)
    }
}

/// JSON Lines: one object per line; values other than strings are written
/// as JSON text, `null` as empty.
pub fn read_json_lines(bytes: &[u8], shown: &str) -> (Vec<Submission>, Vec<Skipped>) {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let skip = |reason: String| Skipped {
            file: shown.into(),
            line: line_no,
            reason,
        };
        let Ok(text) = std::str::from_utf8(line) else {
            skipped.push(skip("not valid UTF-8".into()));
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(map)) => {
                let fields = map
                    .into_iter()
                    .map(|(k, v)| {
                        let v = match v {
                            serde_json::Value::String(s) => s,
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        (k, v)
                    })
                    .collect();
                rows.push(Submission {
                    file: shown.into(),
                    line: line_no,
                    fields,
                });
            }
            Ok(_) => skipped.push(skip("not a JSON object".into())),
            Err(e) => skipped.push(skip(format!("invalid JSON: {e}"))),
        }
    }
    (rows, skipped)
}

/// CSV with a header row; quoted fields may hold commas and newlines.
pub fn read_csv(bytes: &[u8], shown: &str) -> (Vec<Submission>, Vec<Skipped>) {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            skipped.push(Skipped {
                file: shown.into(),
                line: 1,
                reason: format!("cannot read the header row: {}", csv_reason(&e)),
            });
            return (rows, skipped);
        }
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let fields = headers
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_string))
                    .collect();
                rows.push(Submission {
                    file: shown.into(),
                    line,
                    fields,
                });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                skipped.push(Skipped {
                    file: shown.into(),
                    line,
                    reason: csv_reason(&e),
                });
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
    }
    (rows, skipped)
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    }
}

/// Campaign matching ignores case and treats `-`, `_` and spaces alike.
pub fn match_key(value: &str) -> String {
    value
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .collect()
}

/// What attribution needs from the site: campaigns, pages and reps.
pub struct Registry {
    by_utm: HashMap<String, String>,
    by_id: HashMap<String, String>,
    page_campaign: HashMap<String, String>,
    reps: HashMap<String, String>,
}

impl Registry {
    pub fn new(site: &Site) -> Registry {
        let campaigns = site.config.campaigns.values();
        let page_campaign = site
            .outputs
            .iter()
            .filter_map(|o| {
                let campaign = site.entries[o.entry].campaign.clone()?;
                Some((site.url(&o.path), campaign))
            })
            .collect();
        Registry {
            by_utm: campaigns
                .clone()
                .map(|c| (match_key(&c.utm_campaign), c.id.clone()))
                .collect(),
            by_id: campaigns
                .map(|c| (match_key(&c.id), c.id.clone()))
                .collect(),
            page_campaign,
            reps: site
                .config
                .reps
                .keys()
                .map(|r| (match_key(r), r.clone()))
                .collect(),
        }
    }

    fn page(&self, landing: &str) -> Option<&String> {
        let path = page_path(landing);
        self.page_campaign.get(&path).or_else(|| {
            self.page_campaign
                .get(&format!("{}/", path.trim_end_matches('/')))
        })
    }
}

/// The path of a landing page given as a path or a full URL.
fn page_path(landing: &str) -> String {
    let without_origin = match landing.find("://") {
        Some(i) => landing[i + 3..]
            .find('/')
            .map_or("/", |j| &landing[i + 3 + j..]),
        None => landing,
    };
    without_origin
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string()
}

/// One submission's attribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The campaign id, or the raw value that matched nothing.
    pub campaign: Result<String, String>,
    pub source: String,
    pub medium: String,
    pub page: String,
    pub variant: String,
    pub rep: String,
}

const NONE: &str = "(none)";

fn or_none(value: &str) -> String {
    if value.is_empty() {
        NONE.to_string()
    } else {
        value.to_string()
    }
}

/// Attributes one submission under `model` (DESIGN.md's rules).
pub fn attribute(row: &Submission, model: Model, registry: &Registry) -> Attribution {
    let prefix = match model {
        Model::First => "ft_",
        Model::Last => "",
    };
    let utm = row.get(&format!("{prefix}utm_campaign"));
    let campaign = if !utm.is_empty() {
        registry
            .by_utm
            .get(&match_key(utm))
            .or_else(|| registry.by_id.get(&match_key(utm)))
            .cloned()
            .ok_or_else(|| utm.to_string())
    } else {
        let landing = row.get("ft_landing_page");
        let from_landing = (model == Model::First && !landing.is_empty())
            .then(|| registry.page(landing))
            .flatten();
        match from_landing {
            Some(c) => Ok(c.clone()),
            None => {
                let id = row.get("campaign_id");
                registry
                    .by_id
                    .get(&match_key(id))
                    .cloned()
                    .ok_or_else(|| or_none(id))
            }
        }
    };
    let content = row.get(&format!("{prefix}utm_content"));
    Attribution {
        campaign,
        source: or_none(row.get(&format!("{prefix}utm_source"))),
        medium: or_none(row.get(&format!("{prefix}utm_medium"))),
        page: or_none(row.get("page")),
        variant: or_none(row.get("variant")),
        rep: registry
            .reps
            .get(&match_key(content))
            .cloned()
            .unwrap_or_else(|| NONE.to_string()),
    }
}

/// Leads of one campaign, by dimension.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CampaignLeads {
    pub id: String,
    pub leads: u64,
    pub by_source: BTreeMap<String, u64>,
    pub by_medium: BTreeMap<String, u64>,
    pub by_page: BTreeMap<String, u64>,
    pub by_variant: BTreeMap<String, u64>,
    pub by_rep: BTreeMap<String, u64>,
}

/// The whole report (its JSON form is DESIGN.md's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub model: Model,
    pub total: u64,
    pub unattributed: u64,
    /// The raw campaign values that matched nothing, with their counts.
    pub unattributed_values: BTreeMap<String, u64>,
    pub campaigns: Vec<CampaignLeads>,
    pub skipped: Vec<Skipped>,
}

/// Counts `rows` under `model`. Every registry campaign is listed, with
/// zero leads where it has none.
pub fn report(
    rows: &[Submission],
    skipped: Vec<Skipped>,
    model: Model,
    registry: &Registry,
    campaign_ids: &[String],
) -> Report {
    let mut campaigns: BTreeMap<&str, CampaignLeads> = campaign_ids
        .iter()
        .map(|id| {
            (
                id.as_str(),
                CampaignLeads {
                    id: id.clone(),
                    ..CampaignLeads::default()
                },
            )
        })
        .collect();
    let mut unattributed_values = BTreeMap::new();
    let mut unattributed = 0;
    for row in rows {
        let a = attribute(row, model, registry);
        let id = match &a.campaign {
            Ok(id) => id,
            Err(raw) => {
                unattributed += 1;
                *unattributed_values.entry(raw.clone()).or_insert(0) += 1;
                continue;
            }
        };
        let Some(c) = campaigns.get_mut(id.as_str()) else {
            continue;
        };
        c.leads += 1;
        for (map, key) in [
            (&mut c.by_source, &a.source),
            (&mut c.by_medium, &a.medium),
            (&mut c.by_page, &a.page),
            (&mut c.by_variant, &a.variant),
            (&mut c.by_rep, &a.rep),
        ] {
            *map.entry(key.clone()).or_insert(0) += 1;
        }
    }
    let mut campaigns: Vec<CampaignLeads> = campaigns.into_values().collect();
    campaigns.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.id.cmp(&b.id)));
    Report {
        model,
        total: rows.len() as u64,
        unattributed,
        unattributed_values,
        campaigns,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        Registry {
            by_utm: map(&[
                ("spring_launch_2026", "spring-launch"),
                ("evergreen", "evergreen"),
            ]),
            by_id: map(&[
                ("spring_launch", "spring-launch"),
                ("evergreen", "evergreen"),
            ]),
            page_campaign: map(&[("/spring/", "spring-launch"), ("/", "evergreen")]),
            reps: map(&[("ana", "ana")]),
        }
    }

    fn row(pairs: &[(&str, &str)]) -> Submission {
        Submission {
            file: "x.csv".into(),
            line: 2,
            fields: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn last_touch_matches_utm_campaign_loosely_then_campaign_id() {
        let r = registry();
        let a = attribute(
            &row(&[
                ("utm_campaign", "Spring-Launch 2026"),
                ("campaign_id", "evergreen"),
            ]),
            Model::Last,
            &r,
        );
        assert_eq!(a.campaign, Ok("spring-launch".into()));
        let a = attribute(
            &row(&[("utm_campaign", ""), ("campaign_id", "spring-launch")]),
            Model::Last,
            &r,
        );
        assert_eq!(a.campaign, Ok("spring-launch".into()));
        let a = attribute(
            &row(&[
                ("utm_campaign", "black_friday"),
                ("campaign_id", "evergreen"),
            ]),
            Model::Last,
            &r,
        );
        assert_eq!(
            a.campaign,
            Err("black_friday".into()),
            "a non-matching utm_campaign is unattributed, raw value kept"
        );
        let a = attribute(&row(&[]), Model::Last, &r);
        assert_eq!(a.campaign, Err("(none)".into()));
    }

    #[test]
    fn first_touch_uses_ft_fields_then_landing_page_then_campaign_id() {
        let r = registry();
        let a = attribute(
            &row(&[
                ("ft_utm_campaign", "SPRING_LAUNCH_2026"),
                ("utm_campaign", "evergreen"),
            ]),
            Model::First,
            &r,
        );
        assert_eq!(a.campaign, Ok("spring-launch".into()));
        let a = attribute(
            &row(&[
                ("ft_landing_page", "https://acme.example/spring/?gclid=1"),
                ("campaign_id", "evergreen"),
            ]),
            Model::First,
            &r,
        );
        assert_eq!(a.campaign, Ok("spring-launch".into()));
        let a = attribute(
            &row(&[
                ("ft_landing_page", "/nowhere/"),
                ("campaign_id", "evergreen"),
            ]),
            Model::First,
            &r,
        );
        assert_eq!(a.campaign, Ok("evergreen".into()));
    }

    #[test]
    fn rep_comes_from_utm_content_of_the_model() {
        let r = registry();
        let last = row(&[
            ("utm_campaign", "evergreen"),
            ("utm_content", "Ana"),
            ("ft_utm_content", "bob"),
        ]);
        assert_eq!(attribute(&last, Model::Last, &r).rep, "ana");
        assert_eq!(attribute(&last, Model::First, &r).rep, "(none)");
    }

    #[test]
    fn reads_csv_with_bom_quotes_and_newlines() {
        let text = "\u{feff}email,utm_campaign,note\na@x.example,evergreen,\"multi\nline, with comma\"\nbad,row\nb@x.example,evergreen,ok\n";
        let (rows, skipped) = read_csv(text.trim_start_matches('\u{feff}').as_bytes(), "leads.csv");
        assert_eq!(rows.len(), 2, "{skipped:?}");
        assert_eq!(rows[0].get("note"), "multi\nline, with comma");
        assert_eq!(rows[1].line, 5);
        assert_eq!(
            skipped,
            vec![Skipped {
                file: "leads.csv".into(),
                line: 4,
                reason: "2 fields where the header has 3".into()
            }]
        );
    }

    #[test]
    fn reads_json_lines_and_skips_bad_lines() {
        let text = b"{\"utm_campaign\":\"evergreen\",\"n\":3,\"x\":null}\n\nnot json\n[1]\n{\"utm_campaign\":\"evergreen\"}\n";
        let (rows, skipped) = read_json_lines(text, "leads.jsonl");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].get("n"), "3");
        assert_eq!(rows[0].get("x"), "");
        assert_eq!(rows[1].line, 5);
        assert_eq!(
            skipped.iter().map(|s| s.line).collect::<Vec<_>>(),
            vec![3, 4]
        );
        assert!(skipped[0].reason.starts_with("invalid JSON"));
    }

    #[test]
    fn counts_by_dimension() {
        let r = registry();
        let rows = vec![
            row(&[
                ("utm_campaign", "spring_launch_2026"),
                ("utm_source", "linkedin"),
                ("variant", "b"),
                ("page", "/spring/b/"),
            ]),
            row(&[
                ("utm_campaign", "spring_launch_2026"),
                ("utm_source", "newsletter"),
                ("variant", "a"),
                ("page", "/spring/"),
            ]),
            row(&[("utm_campaign", "nope")]),
        ];
        let ids = vec!["evergreen".to_string(), "spring-launch".to_string()];
        let report = report(&rows, vec![], Model::Last, &r, &ids);
        assert_eq!(report.total, 3);
        assert_eq!(report.unattributed, 1);
        assert_eq!(report.unattributed_values["nope"], 1);
        let spring = &report.campaigns[0];
        assert_eq!(spring.id, "spring-launch");
        assert_eq!(spring.leads, 2);
        assert_eq!(spring.by_source["linkedin"], 1);
        assert_eq!(spring.by_variant["b"], 1);
        assert_eq!(spring.by_medium["(none)"], 2);
        assert_eq!(report.campaigns[1].leads, 0, "every campaign is listed");
    }
}
