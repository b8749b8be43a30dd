//! sRGB colours as a theme needs them: `#rgb`/`#rrggbb` parsed and written,
//! WCAG 2.x relative luminance and contrast ratio, and mixing toward white
//! or black to derive shades. Pure arithmetic; the brand's palette built
//! from it is `source/config/brand.rs`'s.

/// An opaque sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

/// White, the default theme's page background.
pub(crate) const WHITE: Rgb = Rgb(255, 255, 255);
/// Black.
pub(crate) const BLACK: Rgb = Rgb(0, 0, 0);

impl Rgb {
    /// `#rgb` or `#rrggbb` (any case); `None` for anything else.
    pub(crate) fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).ok();
        let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// `#rrggbb`, lowercase.
    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2.x relative luminance, 0 (black) to 1 (white).
    pub(crate) fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }

    /// `self` moved toward `other` by `amount` (0: self, 1: other), per
    /// channel in sRGB, as CSS `color-mix(in srgb, …)` does.
    pub(crate) fn mix(self, other: Rgb, amount: f64) -> Rgb {
        let t = amount.clamp(0.0, 1.0);
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The WCAG 2.x contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The ratio as WCAG writes it, rounded down to two decimals so that a
/// colour shown as passing really passes: `4.49:1`.
pub(crate) fn ratio_text(ratio: f64) -> String {
    let floored = (ratio * 100.0).floor() / 100.0;
    format!("{floored:.2}:1")
}

/// The colour nearest `color` (mixed toward `toward` as little as
/// possible) whose contrast with `against` is at least `minimum`; `toward`
/// itself when none nearer is.
pub(crate) fn nearest_with_contrast(color: Rgb, toward: Rgb, against: Rgb, minimum: f64) -> Rgb {
    (0..=100)
        .map(|step| color.mix(toward, f64::from(step) / 100.0))
        .find(|c| contrast(*c, against) >= minimum)
        .unwrap_or(toward)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_hex() {
        assert_eq!(Rgb::parse("#4338CA"), Some(Rgb(0x43, 0x38, 0xca)));
        assert_eq!(Rgb::parse(" #fff "), Some(WHITE));
        assert_eq!(Rgb::parse("#0f0").map(Rgb::hex).as_deref(), Some("#00ff00"));
        for bad in ["4338ca", "#12345", "#ggg", "#1234567", "", "#", "#+1+2+3"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_is_wcags() {
        // The extremes, and values from WebAIM's contrast checker.
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        let indigo = Rgb::parse("#4338ca").unwrap();
        assert_eq!(ratio_text(contrast(indigo, WHITE)), "7.90:1");
        let grey = Rgb::parse("#767676").unwrap();
        assert_eq!(ratio_text(contrast(grey, WHITE)), "4.54:1");
        let yellow = Rgb::parse("#facc15").unwrap();
        assert_eq!(ratio_text(contrast(yellow, WHITE)), "1.53:1");
    }

    #[test]
    fn mixing_and_the_nearest_passing_shade() {
        assert_eq!(BLACK.mix(WHITE, 0.5), Rgb(128, 128, 128));
        assert_eq!(BLACK.mix(WHITE, 2.0), WHITE);
        let yellow = Rgb::parse("#facc15").unwrap();
        let dark = nearest_with_contrast(yellow, BLACK, WHITE, 4.5);
        assert!(contrast(dark, WHITE) >= 4.5);
        let step = (0..=100)
            .find(|s| yellow.mix(BLACK, f64::from(*s) / 100.0) == dark)
            .unwrap();
        let before = yellow.mix(BLACK, f64::from(step - 1) / 100.0);
        assert!(contrast(before, WHITE) < 4.5, "the nearest: {}", dark.hex());
    }
}
