//! Short-link codes: the `<code>` of `/go/<code>/`, which people read off
//! a banner, hear in a podcast or type from a printout.
//!
//! A derived code is six characters of an alphabet without the characters
//! people confuse (no `0`/`o`, `1`/`l`/`i`) and without capitals, so a code
//! read aloud or typed in any case is the same code. It is a hash of what
//! the link is (its key: campaign, page, channel, rep), FNV-1a over the
//! key's bytes, so the same link has the same code on every build and
//! every machine. A code someone chose (`short = "spring"`) is checked
//! here too; the site decides which link gets which code and settles
//! collisions (`site/short_links.rs`).

use crate::util::fnv::Fnv;
use std::hash::Hasher;

/// The characters of a derived code: lowercase letters and digits, less
/// `0 o 1 l i`, which are read one for another.
pub(crate) const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// How many characters a derived code has: 31^6 is about 887 million
/// codes, so at 10,000 links a collision (settled by the site) is rare.
pub(crate) const DERIVED_LEN: usize = 6;

/// The longest code someone may choose.
const MAX_CHOSEN: usize = 40;

/// `len` characters of [`ALPHABET`] from `key`; `attempt` > 0 gives the
/// next candidates when an earlier one is taken.
pub(crate) fn derive(key: &str, attempt: u32, len: usize) -> String {
    let mut h = Fnv::default();
    h.write(key.as_bytes());
    if attempt > 0 {
        h.write(&attempt.to_le_bytes());
    }
    let mut n = h.finish();
    let base = ALPHABET.len() as u64;
    (0..len)
        .map(|_| {
            let c = ALPHABET[(n % base) as usize];
            n /= base;
            char::from(c)
        })
        .collect()
}

/// Whether a chosen code can be a URL segment typed in any case: lowercase
/// letters, digits and single `-` between them. `Err` says what is wrong.
pub(crate) fn check_chosen(code: &str) -> Result<(), String> {
    if code.is_empty() {
        return Err("is empty".into());
    }
    if code.len() > MAX_CHOSEN {
        return Err(format!("is longer than {MAX_CHOSEN} characters"));
    }
    if code.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(
            "has capitals: codes are typed in any case, so they are written in lowercase".into(),
        );
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
    if !code.bytes().all(allowed) {
        return Err("may hold only lowercase letters, digits and `-`".into());
    }
    if code.starts_with('-') || code.ends_with('-') || code.contains("--") {
        return Err("has a `-` at an end or two in a row".into());
    }
    Ok(())
}

/// A readable part of a code from an id or a UTM value: ASCII lowercase
/// letters and digits, any other run one `-` (`paid_social` →
/// `paid-social`); empty when nothing is left.
pub(crate) fn part(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_stable_and_readable() {
        let code = derive("print|/fleet/", 0, 6);
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        assert_ne!(code, derive("print|/fleet/", 1, 6));
        assert_ne!(code, derive("print|/fleet/jane/", 0, 6));
    }

    #[test]
    fn derived_codes_do_not_change_between_releases() {
        // Fixed values: codes are printed on paper, so a change here breaks
        // every QR code already handed out.
        assert_eq!(derive("", 0, 6), "k7e2k2");
        assert_eq!(
            derive("print|spring|collateral/brief.md||jane", 0, 6),
            "xzwvuw"
        );
    }

    #[test]
    fn the_alphabet_has_no_confusable_characters() {
        for c in b"01ilo" {
            assert!(!ALPHABET.contains(c), "{}", char::from(*c));
        }
        assert!(ALPHABET.iter().all(|b| !b.is_ascii_uppercase()));
        assert_eq!(ALPHABET.len(), 31);
    }

    #[test]
    fn parts_are_ascii_segments() {
        assert_eq!(part("paid_social"), "paid-social");
        assert_eq!(part("LinkedIn Ads!"), "linkedin-ads");
        assert_eq!(part("été"), "t");
        assert_eq!(part("__"), "");
    }

    #[test]
    fn chosen_codes_are_lowercase_segments() {
        assert_eq!(check_chosen("spring"), Ok(()));
        assert_eq!(check_chosen("spring-2026"), Ok(()));
        assert!(check_chosen("Spring").unwrap_err().contains("capitals"));
        assert!(check_chosen("spr ing").is_err());
        assert!(check_chosen("-spring").is_err());
        assert!(check_chosen("a--b").is_err());
        assert!(check_chosen("").is_err());
        assert!(check_chosen("a/b").is_err());
        assert!(check_chosen(&"a".repeat(41)).is_err());
    }
}
