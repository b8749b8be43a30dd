//! Deal amounts as CRMs export them: `1200`, `$1,200.50`, `1.200,50 €`,
//! `CHF 1'200.50`, `(300.00)`. The last `.` or `,` followed by one or two
//! digits is the decimal mark; every other separator groups thousands.
//! Amounts are kept in cents, so sums are exact.

/// An amount in cents, or why the text is not one.
pub(crate) fn parse_cents(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (negative, t) = match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) => (true, inner.trim()),
        None => (false, t),
    };
    let t = strip_currency(t);
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (!negative, rest.trim_start()),
        None => (negative, t),
    };
    let not_a_number = || format!("`{}` is not an amount", text.trim());
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(not_a_number());
    }
    let decimal = decimal_mark(t);
    // Digits since the last thousands separator: every group has three.
    let mut group: Option<u32> = None;
    let (mut units, mut cents, mut fraction_digits) = (0i64, 0i64, None::<u32>);
    for (i, c) in t.char_indices() {
        match (c, fraction_digits.as_mut()) {
            ('0'..='9', None) => {
                let d = i64::from(c as u8 - b'0');
                units = units
                    .checked_mul(10)
                    .and_then(|u| u.checked_add(d))
                    .ok_or_else(not_a_number)?;
                group = group.map(|g| g + 1);
            }
            ('0'..='9', Some(n)) => {
                let d = i64::from(c as u8 - b'0');
                if *n < 2 {
                    cents = cents * 10 + d;
                } else if *n == 2 && d >= 5 {
                    cents += 1; // sub-cent digits round
                }
                *n += 1;
            }
            ('.' | ',', None) if Some(i) == decimal => {
                if group.is_some_and(|g| g != 3) {
                    return Err(not_a_number());
                }
                fraction_digits = Some(0);
            }
            ('.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\'', None) => {
                if group.is_some_and(|g| g != 3) {
                    return Err(not_a_number());
                }
                group = Some(0);
            }
            _ => return Err(not_a_number()),
        }
    }
    if fraction_digits.is_none() && group.is_some_and(|g| g != 3) {
        return Err(not_a_number());
    }
    if fraction_digits == Some(1) {
        cents *= 10;
    }
    let total = units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .ok_or_else(not_a_number)?;
    Ok(if negative { -total } else { total })
}

/// The number without a currency symbol (`$`, `€`, `US$`) or ISO 4217
/// code (`EUR`) before or after it.
fn strip_currency(t: &str) -> &str {
    let symbol = |c: char| {
        matches!(
            c,
            '$' | '€'
                | '£'
                | '¥'
                | '₹'
                | '₩'
                | '₽'
                | '₺'
                | '₪'
                | '¢'
                | '฿'
                | '₫'
                | '₱'
                | '₦'
        )
    };
    let mut t = t.trim();
    for _ in 0..2 {
        t = t.trim_start_matches(symbol).trim_end_matches(symbol).trim();
        let code =
            |s: &str| s.len() <= 3 && !s.is_empty() && s.chars().all(|c| c.is_ascii_uppercase());
        if let Some((head, rest)) = t.split_once(|c: char| !c.is_ascii_uppercase())
            && code(head)
        {
            t = &t[head.len()..];
            let _ = rest;
        }
        if let Some(i) = t.rfind(|c: char| !c.is_ascii_uppercase())
            && code(&t[i + 1..])
        {
            t = &t[..=i];
        }
        t = t.trim();
    }
    t
}

/// Where the decimal mark is: the last `.` or `,` when it is the only one
/// of its kind and not followed by exactly three digits (`1,200` and
/// `1.200` group thousands), or when the other kind comes before it.
fn decimal_mark(t: &str) -> Option<usize> {
    let last = t.rfind(['.', ','])?;
    let mark = t[last..].chars().next()?;
    let other = if mark == '.' { ',' } else { '.' };
    if t[..last].contains(other) {
        return Some(last);
    }
    if t.matches(mark).count() > 1 {
        return None;
    }
    let after = t[last + 1..].chars().filter(char::is_ascii_digit).count();
    (after != 3).then_some(last)
}

/// Cents as a number of currency units, for output.
pub(crate) fn units(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Cents shown with a thousands separator and two decimals: `12,400.50`.
pub(crate) fn show(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let digits = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_ways_of_writing_an_amount() {
        for (text, cents) in [
            ("1200", 120_000),
            ("$1,200.50", 120_050),
            ("1.200,50", 120_050),
            ("1.200,50 €", 120_050),
            ("EUR 1 200,5", 120_050),
            ("CHF 1'200.50", 120_050),
            ("1,200", 120_000),
            ("1.200", 120_000),
            ("1,234,567", 123_456_700),
            ("12.5", 1_250),
            ("0,99", 99),
            ("1,200.005", 120_001),
            ("1200.5049", 120_050),
            ("(300.00)", -30_000),
            ("-45", -4_500),
            ("  7  ", 700),
            ("US$ 5", 500),
            ("5 USD", 500),
        ] {
            assert_eq!(parse_cents(text), Ok(cents), "{text}");
        }
    }

    #[test]
    fn what_is_not_an_amount() {
        for text in [
            "",
            "n/a",
            "TBD",
            "12abc",
            "1.2.3",
            "--3",
            "$",
            "99999999999999999999",
        ] {
            assert!(parse_cents(text).is_err(), "{text}");
        }
    }

    #[test]
    fn shown_with_grouping() {
        assert_eq!(show(120_050), "1,200.50");
        assert_eq!(show(99), "0.99");
        assert_eq!(show(-123_456_700), "-1,234,567.00");
        assert_eq!(units(120_050), 1200.5);
    }
}
