//! Conversion by page and variant (`leads report --visits`): leads divided
//! by visits for each version of a page, and a two-sided two-proportion
//! z-test of each variant against the page itself (`a`), said in plain
//! words. The test's normal approximation holds when each version expects
//! at least 5 leads and 5 visits without one under the pooled rate; below
//! that the verdict is "not enough data yet" and no p-value is given.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::attribution::visits::PageVariant;

/// One version of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct PageConversion {
    pub page: String,
    pub variant: String,
    pub visits: u64,
    pub leads: u64,
    /// Leads per visit; `None` without visits.
    pub conversion: Option<f64>,
}

/// A variant tested against the page itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct VariantTest {
    pub page: String,
    pub variant: String,
    pub baseline: String,
    /// Two-sided; `None` when there is not enough data for the test.
    pub p_value: Option<f64>,
    pub verdict: String,
}

/// The significance level of the verdicts.
const ALPHA: f64 = 0.05;
/// The fewest expected leads (and non-leads) per version for the test.
const MIN_EXPECTED: f64 = 5.0;

/// Every version that has visits or leads, by page then variant.
pub(crate) fn pages(
    visits: &BTreeMap<PageVariant, u64>,
    leads: &BTreeMap<PageVariant, u64>,
) -> Vec<PageConversion> {
    let mut keys: Vec<&PageVariant> = visits.keys().chain(leads.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|(page, variant)| {
            let key = (page.clone(), variant.clone());
            let v = visits.get(&key).copied().unwrap_or(0);
            let l = leads.get(&key).copied().unwrap_or(0);
            PageConversion {
                page: page.clone(),
                variant: variant.clone(),
                visits: v,
                leads: l,
                conversion: (v > 0).then(|| l as f64 / v as f64),
            }
        })
        .collect()
}

/// A test of each variant against `a`, for pages that have both.
pub(crate) fn tests(pages: &[PageConversion]) -> Vec<VariantTest> {
    let mut out = Vec::new();
    for base in pages.iter().filter(|p| p.variant == "a") {
        for other in pages
            .iter()
            .filter(|p| p.page == base.page && p.variant != "a")
        {
            let (p_value, verdict) = compare(base, other);
            out.push(VariantTest {
                page: base.page.clone(),
                variant: other.variant.clone(),
                baseline: "a".into(),
                p_value,
                verdict,
            });
        }
    }
    out
}

/// The p-value and verdict of `other` against `base`.
fn compare(base: &PageConversion, other: &PageConversion) -> (Option<f64>, String) {
    let (n1, x1, n2, x2) = (base.visits, base.leads, other.visits, other.leads);
    if x1 > n1 || x2 > n2 {
        return (
            None,
            "more leads than visits: check that the visits export covers the same dates".into(),
        );
    }
    let Some(p) = two_proportion_p(x1, n1, x2, n2) else {
        return (None, "not enough data yet".into());
    };
    let shown = round_p(p);
    let rate = |x: u64, n: u64| x as f64 / n as f64;
    let verdict = if p >= ALPHA {
        format!("no clear difference yet, {shown}")
    } else if rate(x2, n2) > rate(x1, n1) {
        format!("{} converts better, {shown}", other.variant)
    } else {
        format!("{} converts worse, {shown}", other.variant)
    };
    (Some(p), verdict)
}

/// `p = 0.012`; under a thousandth, `p < 0.001`.
fn round_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// The two-sided p-value of the pooled two-proportion z-test of `x1` of
/// `n1` against `x2` of `n2`; `None` when the samples are too small for
/// its normal approximation.
pub(crate) fn two_proportion_p(x1: u64, n1: u64, x2: u64, n2: u64) -> Option<f64> {
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let pooled = (x1 + x2) as f64 / (n1f + n2f);
    let enough = [n1f, n2f]
        .iter()
        .all(|n| n * pooled >= MIN_EXPECTED && n * (1.0 - pooled) >= MIN_EXPECTED);
    if !enough {
        return None;
    }
    let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
    let z = (x2 as f64 / n2f - x1 as f64 / n1f) / se;
    Some(erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0))
}

/// The complementary error function, to about 1.2e-7 relative error
/// (the Chebyshev fit of Numerical Recipes' `erfcc`): plenty for a
/// p-value shown to three decimals.
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_known_values() {
        for (x, want) in [
            (0.0, 1.0),
            (0.5, 0.479_500_122),
            (1.0, 0.157_299_207),
            (2.0, 0.004_677_735),
            (-1.0, 1.842_700_793),
        ] {
            assert!((erfc(x) - want).abs() < 1e-6, "erfc({x}) = {}", erfc(x));
        }
    }

    #[test]
    fn the_z_test_by_hand() {
        // 40 of 1000 against 70 of 1000: pooled 0.055, se = sqrt(0.055 *
        // 0.945 * 2 / 1000) = 0.010196, z = 0.03 / 0.010196 = 2.9424,
        // p = erfc(2.9424 / sqrt 2) = 0.00326.
        let p = two_proportion_p(40, 1000, 70, 1000).expect("enough data");
        assert!((p - 0.00326).abs() < 0.00001, "{p}");
        let same = two_proportion_p(50, 1000, 50, 1000).expect("enough data");
        assert!((same - 1.0).abs() < 1e-6);
        assert_eq!(two_proportion_p(1, 30, 3, 40), None, "too few leads");
        assert_eq!(two_proportion_p(5, 0, 3, 40), None);
    }

    fn version(variant: &str, visits: u64, leads: u64) -> PageConversion {
        PageConversion {
            page: "/spring/".into(),
            variant: variant.into(),
            visits,
            leads,
            conversion: Some(leads as f64 / visits as f64),
        }
    }

    #[test]
    fn verdicts_in_plain_words() {
        let a = version("a", 1000, 40);
        let verdict = |b| tests(&[a.clone(), b])[0].verdict.clone();
        assert_eq!(
            verdict(version("b", 1000, 70)),
            "b converts better, p = 0.003"
        );
        assert_eq!(
            verdict(version("b", 1000, 15)),
            "b converts worse, p < 0.001"
        );
        assert_eq!(
            verdict(version("b", 1000, 45)),
            "no clear difference yet, p = 0.579"
        );
        assert_eq!(verdict(version("b", 20, 1)), "not enough data yet");
        assert!(verdict(version("b", 5, 9)).starts_with("more leads than visits"));
        assert!(
            tests(&[version("b", 10, 1)]).is_empty(),
            "no baseline, no test"
        );
    }
}
