//! Deals exported from a CRM, read for `leads report --deals`: each row's
//! contact email, amount, stage and close date, whatever the file's format
//! (`util/exports/`, the same reader and header matching as the leads).
//!
//! The headers are the CRMs' own:
//! - HubSpot's deal export (knowledge.hubspot.com/import-and-export/
//!   export-records): `Record ID`, `Deal Name`, `Deal Stage`, `Amount`,
//!   `Close Date`; the contact comes from "include associated records"
//!   (`Associated Contact`) or from a contact email column added to the
//!   view (`Associated Contact Email`, `Email`). Whatever the cell holds
//!   around it (a name, `Name (email)`, several contacts joined by `;`),
//!   the first email address in it is the deal's contact.
//! - Salesforce's opportunity report with its contact (help.salesforce.com,
//!   "Opportunities with Contact Roles"): `Opportunity ID`, `Opportunity
//!   Name`, `Stage`, `Amount`, `Close Date`, `Contact: Email`; its API
//!   names (`StageName`, `CloseDate`) are matched too.
//!
//! A row that cannot be used is skipped with its file, line and reason,
//! never dropped silently; so is a second row of the same deal.

pub(crate) mod amount;
pub(crate) mod stage;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::attribution::Findings;
use crate::diagnostic::Diagnostic;
use crate::util::exports::{self, Columns, Skipped, Summary};
pub(crate) use stage::{Stage, Stages};

/// One deal, read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Deal {
    /// The contact's email, trimmed and lowercase.
    pub email: String,
    pub cents: i64,
    pub stage: Stage,
}

/// Every deal of the files, with what reading them found.
#[derive(Debug, Default)]
pub(crate) struct Deals {
    pub deals: Vec<Deal>,
    /// The stage names counted as open pipeline, with their counts.
    pub open_stages: BTreeMap<String, u64>,
    pub found: Findings,
}

const EMAIL: usize = 0;
const AMOUNT: usize = 1;
const STAGE: usize = 2;
const CLOSE: usize = 3;
const ID: usize = 4;
const NAME: usize = 5;

/// The columns of a deals export, under the CRMs' headers.
fn columns() -> Columns {
    Columns::with_aliases(
        &[
            "email",
            "amount",
            "stage",
            "close_date",
            "deal_id",
            "deal_name",
        ],
        &[
            ("Associated Contact", "email"),
            ("Associated Contact Email", "email"),
            ("Contact Email", "email"),
            ("Contact: Email", "email"),
            ("Email Address", "email"),
            ("Deal Amount", "amount"),
            ("Opportunity Amount", "amount"),
            ("Deal Stage", "stage"),
            ("dealstage", "stage"),
            ("StageName", "stage"),
            ("Stage Name", "stage"),
            ("Opportunity Stage", "stage"),
            ("Close Date", "close_date"),
            ("closedate", "close_date"),
            ("Record ID", "deal_id"),
            ("Deal ID", "deal_id"),
            ("hs_object_id", "deal_id"),
            ("Opportunity ID", "deal_id"),
            ("Id", "deal_id"),
            ("Deal Name", "deal_name"),
            ("dealname", "deal_name"),
            ("Opportunity Name", "deal_name"),
            ("Name", "deal_name"),
        ],
    )
}

/// The first email address in a cell: `ana@x.example`, `Ana Lima
/// (ana@x.example)`, `<ana@x.example>; ben@y.example`.
pub(crate) fn first_email(cell: &str) -> Option<String> {
    cell.split(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '(' | ')' | '<' | '>' | '"'))
        .find(|part| {
            let at = part.find('@');
            at.is_some_and(|i| i > 0 && i + 1 < part.len())
        })
        .map(|e| e.trim_matches(['.', '\'']).to_lowercase())
}

/// Reads every deals export.
pub(crate) fn read(files: &[PathBuf], stages: &Stages) -> Deals {
    let columns = columns();
    let mut out = Deals::default();
    for file in files {
        let shown = file.display().to_string();
        // Where each deal was first seen, by its id (or its whole row).
        let mut seen: HashMap<String, u64> = HashMap::new();
        let read = exports::read(file, &shown, &columns, &mut |item| match item {
            Ok(row) => match deal(&row.cells, stages) {
                Ok(d) => {
                    let key = identity(&row.cells);
                    if let Some(first) = seen.get(&key) {
                        out.found.skipped.push(Skipped {
                            file: shown.clone(),
                            line: row.line,
                            reason: format!("the same deal as line {first}; counted once"),
                        });
                        return;
                    }
                    seen.insert(key, row.line);
                    if d.stage == Stage::Open {
                        *out.open_stages
                            .entry(row.cells[STAGE].trim().to_string())
                            .or_default() += 1;
                    }
                    out.deals.push(d);
                }
                Err(reason) => out.found.skipped.push(Skipped {
                    file: shown.clone(),
                    line: row.line,
                    reason,
                }),
            },
            Err(skipped) => out.found.skipped.push(skipped),
        });
        match read {
            Ok(summary) => out
                .found
                .warnings
                .extend(missing_columns(file, &summary, &columns)),
            Err(message) => out.found.errors.push(Diagnostic::file(file, message)),
        }
    }
    out
}

/// One row as a deal, or why it cannot be one.
fn deal(cells: &[String], stages: &Stages) -> Result<Deal, String> {
    let contact = cells[EMAIL].trim();
    let email = first_email(contact).ok_or_else(|| {
        if contact.is_empty() {
            "this deal has no contact email, so it cannot be joined to a lead".to_string()
        } else {
            format!("`{contact}` holds no email address, so this deal cannot be joined to a lead")
        }
    })?;
    let amount = cells[AMOUNT].trim();
    // A deal not yet priced (HubSpot leaves `Amount` empty) is worth 0.
    let cents = if amount.is_empty() {
        0
    } else {
        amount::parse_cents(amount)?
    };
    Ok(Deal {
        email,
        cents,
        stage: stages.classify(&cells[STAGE]),
    })
}

/// What makes two rows the same deal: the CRM's id, else every cell.
fn identity(cells: &[String]) -> String {
    let id = cells[ID].trim();
    if id.is_empty() {
        let parts = [EMAIL, AMOUNT, STAGE, CLOSE, NAME].map(|i| cells[i].trim().to_lowercase());
        format!("row\u{0}{}", parts.join("\u{0}"))
    } else {
        format!("id\u{0}{id}")
    }
}

/// A warning for each column the join needs that the file lacks.
fn missing_columns(file: &Path, summary: &Summary, columns: &Columns) -> Vec<Diagnostic> {
    let has = |i: usize| summary.has(columns, i);
    let mut out = Vec::new();
    for (i, what, effect) in [
        (
            EMAIL,
            "contact email column (`Contact: Email`, `Associated Contact`, `Email`)",
            "none of its deals can be joined to a lead",
        ),
        (
            AMOUNT,
            "`Amount` column",
            "its deals count with an amount of 0",
        ),
        (
            STAGE,
            "stage column (`Deal Stage`, `Stage`)",
            "every deal in it counts as open",
        ),
    ] {
        if summary.rows > 0 && !has(i) {
            let message = format!(
                "this deals export has no {what}, so {effect}; its headers are {}",
                summary.shown_headers()
            );
            out.push(Diagnostic::file(file, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_email_in_the_crms_cells() {
        assert_eq!(first_email(" Ana@X.example "), Some("ana@x.example".into()));
        assert_eq!(
            first_email("Ana Lima (ana@x.example);Ben Ode (ben@y.example)"),
            Some("ana@x.example".into())
        );
        assert_eq!(first_email("<ben@y.example>"), Some("ben@y.example".into()));
        assert_eq!(first_email("Ana Lima"), None);
        assert_eq!(first_email("@"), None);
    }

    fn cells(pairs: &[(usize, &str)]) -> Vec<String> {
        let mut c = vec![String::new(); 6];
        for (i, v) in pairs {
            c[*i] = v.to_string();
        }
        c
    }

    #[test]
    fn a_row_becomes_a_deal_or_a_reason() {
        let s = Stages::new(None, None);
        let d = deal(
            &cells(&[
                (EMAIL, "a@x.example"),
                (AMOUNT, "$1,200.50"),
                (STAGE, "Closed Won"),
            ]),
            &s,
        );
        assert_eq!(
            d,
            Ok(Deal {
                email: "a@x.example".into(),
                cents: 120_050,
                stage: Stage::Won
            })
        );
        let unpriced = deal(&cells(&[(EMAIL, "a@x.example"), (STAGE, "Qualified")]), &s);
        assert_eq!(unpriced.map(|d| (d.cents, d.stage)), Ok((0, Stage::Open)));
        let bad = deal(&cells(&[(EMAIL, "a@x.example"), (AMOUNT, "lots")]), &s);
        assert_eq!(bad, Err("`lots` is not an amount".into()));
        assert!(deal(&cells(&[(AMOUNT, "5")]), &s).is_err_and(|e| e.contains("no contact email")));
    }

    #[test]
    fn a_deal_is_the_same_by_id_or_by_every_cell() {
        let a = cells(&[(ID, "1"), (AMOUNT, "5")]);
        let b = cells(&[(ID, "1"), (AMOUNT, "6")]);
        assert_eq!(identity(&a), identity(&b));
        let c = cells(&[(EMAIL, "a@x"), (AMOUNT, "5")]);
        let d = cells(&[(EMAIL, "A@x "), (AMOUNT, "5")]);
        let e = cells(&[(EMAIL, "a@x"), (AMOUNT, "6")]);
        assert_eq!(identity(&c), identity(&d));
        assert_ne!(identity(&c), identity(&e));
    }
}
