//! `[images]` and `[brand]` of site.toml, validated: the widths, quality
//! and formats images are processed to, and the brand the default theme
//! wears (logo, mark, colour with its derived shades, font). The colour
//! is checked for text contrast here (WCAG AA), so a brand that would make
//! unreadable links or buttons is an error naming the colour and its ratio.
//! Whether a brand file exists is checked once the theme is known
//! (`render/media.rs`), with the span kept here.

use std::ops::Range;

use serde::Serialize;
use toml::Spanned;

use super::Validator;
use super::raw::{RawBrand, RawImages};
use crate::diagnostic::Diagnostic;
use crate::images::{DEFAULT_QUALITY, DEFAULT_WIDTHS, ModernFormat};
use crate::util::color::{self, BLACK, Rgb, WHITE};
use crate::util::layout::CONFIG_FILE;

/// The widest the default theme shows a Markdown image, in CSS pixels:
/// its prose column (46rem).
pub(crate) const DEFAULT_DISPLAY_WIDTH: u32 = 736;

/// What an unreadable brand colour is replaced with while its error is
/// reported: the default theme's indigo.
const FALLBACK_COLOR: Rgb = Rgb(0x43, 0x38, 0xca);

/// The contrast text needs against its background (WCAG 2.x AA, normal
/// text): links and button labels are set in the brand colour.
pub(crate) const TEXT_CONTRAST: f64 = 4.5;

/// The contrast of a control's border (WCAG 2.x, non-text contrast).
const BORDER_CONTRAST: f64 = 3.0;

/// How images are processed (`[images]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImagesConfig {
    /// The widths of responsive sets, narrowest first.
    pub widths: Vec<u32>,
    /// Quality of lossy outputs, 1 to 100.
    pub quality: u8,
    /// The formats offered before the fallback, in `<source>` order
    /// (`["webp"]` unless `formats` says otherwise).
    pub formats: Vec<ModernFormat>,
    /// The widest a Markdown image is shown, for its `sizes`.
    pub display_width: u32,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: DEFAULT_WIDTHS.to_vec(),
            quality: DEFAULT_QUALITY,
            formats: vec![ModernFormat::WebP],
            display_width: DEFAULT_DISPLAY_WIDTH,
        }
    }
}

/// A file `[brand]` names: published from static/.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct BrandFile {
    /// As written: `static/logo.svg`.
    pub source: String,
    /// Its path in the output: `logo.svg`.
    pub output: String,
    /// Where site.toml names it.
    #[serde(skip)]
    pub span: Range<usize>,
}

/// The brand colour and the shades the theme derives from it, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Palette {
    /// Links, buttons, accents: at least 4.5:1 on white.
    pub brand: String,
    /// Hover and pressed states, and text on the light shades: at least
    /// 4.5:1 on `soft` and `tint`.
    pub strong: String,
    /// A light shade: selections, badges, the inverse button's hover.
    pub soft: String,
    /// The lightest shade: section backgrounds.
    pub tint: String,
    /// The lightest shade with 3:1 on white, for control borders.
    pub border: String,
    /// The focus ring: the strong shade.
    pub focus: String,
    /// Text on the brand colour.
    pub on_brand: String,
}

/// `[brand]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Brand {
    /// The full logo, shown instead of the mark and the site's title.
    pub logo: Option<BrandFile>,
    /// A square icon: beside the title, and the favicon.
    pub mark: Option<BrandFile>,
    /// The default Open Graph image of pages that name none.
    pub image: Option<BrandFile>,
    /// A font file to self-host; `None` for the system's fonts.
    pub font: Option<BrandFile>,
    /// The font file's CSS `format()`: `woff2`, `woff`, `truetype`,
    /// `opentype`.
    pub font_format: Option<&'static str>,
    /// The brand colour and its shades; `None` keeps the theme's own.
    pub palette: Option<Palette>,
}

impl Brand {
    /// Every file it names, with its key.
    pub(crate) fn files(&self) -> impl Iterator<Item = (&'static str, &BrandFile)> {
        [
            ("logo", &self.logo),
            ("mark", &self.mark),
            ("image", &self.image),
            ("font", &self.font),
        ]
        .into_iter()
        .filter_map(|(key, file)| file.as_ref().map(|f| (key, f)))
    }
}

/// An error for each brand file that neither the site's static/ nor its
/// theme's holds (`statics`: output paths), at its key in site.toml.
pub(crate) fn missing_brand_files(
    brand: &Brand,
    text: &str,
    statics: impl Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    brand
        .files()
        .filter(|(_, f)| !statics(&f.output))
        .map(|(key, f)| {
            let message = format!("brand {key} `{}` does not exist", f.source);
            Diagnostic::at(CONFIG_FILE, text, f.span.clone(), message).with_help(format!(
                "put the file at {} (or in the theme's static/), or fix the path",
                f.source
            ))
        })
        .collect()
}

/// The shades of `brand`; it has passed [`TEXT_CONTRAST`] on white.
pub(crate) fn palette(brand: Rgb) -> Palette {
    let soft = brand.mix(WHITE, 0.85);
    let tint = brand.mix(WHITE, 0.93);
    // Darker than the brand, and dark enough on both light shades.
    let strong = color::nearest_with_contrast(brand.mix(BLACK, 0.18), BLACK, soft, TEXT_CONTRAST);
    let border = (0..=100)
        .rev()
        .map(|step| brand.mix(WHITE, f64::from(step) / 100.0))
        .find(|c| color::contrast(*c, WHITE) >= BORDER_CONTRAST)
        .unwrap_or(brand);
    Palette {
        brand: brand.hex(),
        strong: strong.hex(),
        soft: soft.hex(),
        tint: tint.hex(),
        border: border.hex(),
        focus: strong.hex(),
        on_brand: WHITE.hex(),
    }
}

/// Font files a browser reads, by extension, with their `format()`.
pub(crate) const FONT_FORMATS: [(&str, &str); 4] = [
    ("woff2", "woff2"),
    ("woff", "woff"),
    ("ttf", "truetype"),
    ("otf", "opentype"),
];

impl Validator<'_> {
    pub(super) fn images(&mut self, raw: RawImages) -> ImagesConfig {
        let RawImages {
            widths,
            quality,
            formats,
            display_width,
        } = raw;
        let mut config = ImagesConfig::default();
        if let Some(widths) = widths {
            config.widths = self.widths(&widths);
        }
        if let Some(q) = quality {
            match u8::try_from(*q.get_ref()) {
                Ok(q @ 1..=100) => config.quality = q,
                _ => {
                    self.error(q.span(), "`quality` must be between 1 and 100");
                }
            }
        }
        if let Some(formats) = formats {
            config.formats = self.image_formats(formats.get_ref());
        }
        if let Some(w) = display_width {
            match u32::try_from(*w.get_ref()) {
                Ok(w @ 1..=10_000) => config.display_width = w,
                _ => {
                    self.error(w.span(), "`display_width` must be 1 to 10000 pixels");
                }
            }
        }
        config
    }

    /// `formats`, in order, each once.
    fn image_formats(&mut self, names: &[Spanned<String>]) -> Vec<ModernFormat> {
        let mut formats = Vec::new();
        for name in names {
            match ModernFormat::from_name(name.get_ref()) {
                Some(f) if formats.contains(&f) => {
                    let message = format!("`{}` is listed twice", name.get_ref());
                    self.error(name.span(), message);
                }
                Some(f) => formats.push(f),
                None => {
                    let message = format!("unknown image format `{}`", name.get_ref());
                    self.error(name.span(), message).help = Some(
                        "`formats` takes `avif` and `webp`, best first (or `[]` for the original format only, which is always kept as the fallback)".into(),
                    );
                }
            }
        }
        formats
    }

    fn widths(&mut self, widths: &Spanned<Vec<i64>>) -> Vec<u32> {
        let mut out: Vec<u32> = widths
            .get_ref()
            .iter()
            .filter_map(|&w| u32::try_from(w).ok().filter(|w| (1..=10_000).contains(w)))
            .collect();
        if out.len() != widths.get_ref().len() || out.is_empty() {
            self.error(
                widths.span(),
                "`widths` must list widths of 1 to 10000 pixels",
            )
            .help = Some("for example `widths = [480, 800, 1200, 1600, 2000]`".into());
            return DEFAULT_WIDTHS.to_vec();
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub(super) fn brand(&mut self, raw: RawBrand) -> Brand {
        let RawBrand {
            logo,
            mark,
            image,
            color,
            font,
        } = raw;
        let palette = color.map(|c| palette(self.brand_color(&c)));
        let font = font.filter(|f| f.get_ref() != "system");
        let font_format = font.as_ref().and_then(|f| self.font_format(f));
        Brand {
            logo: logo.map(|f| self.brand_file(f, "logo")),
            mark: mark.map(|f| self.brand_file(f, "mark")),
            image: image.map(|f| self.brand_file(f, "image")),
            font: font.map(|f| self.brand_file(f, "font")),
            font_format,
            palette,
        }
    }

    /// The colour, which must be readable as text on white (and white
    /// text on it): an error names its ratio and a shade that passes.
    fn brand_color(&mut self, written: &Spanned<String>) -> Rgb {
        let Some(rgb) = Rgb::parse(written.get_ref()) else {
            let message = format!("`{}` is not a colour", written.get_ref());
            self.error(written.span(), message).help =
                Some("write it as `#rrggbb` or `#rgb`, for example `color = \"#4338ca\"`".into());
            return FALLBACK_COLOR;
        };
        let ratio = color::contrast(rgb, WHITE);
        if ratio < TEXT_CONTRAST {
            let passing = color::nearest_with_contrast(rgb, BLACK, WHITE, TEXT_CONTRAST);
            let message = format!(
                "the brand colour {} has a contrast ratio of {} with white; links and button labels need at least 4.5:1 (WCAG AA)",
                rgb.hex(),
                color::ratio_text(ratio)
            );
            self.error(written.span(), message).help = Some(format!(
                "a darker shade of it passes: `color = \"{}\"` ({})",
                passing.hex(),
                color::ratio_text(color::contrast(passing, WHITE))
            ));
            return passing;
        }
        rgb
    }

    fn font_format(&mut self, font: &Spanned<String>) -> Option<&'static str> {
        let ext = font
            .get_ref()
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase());
        let format = FONT_FORMATS
            .iter()
            .find(|(e, _)| Some(*e) == ext.as_deref())
            .map(|(_, f)| *f);
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/');
        if format.is_some() && !font.get_ref().chars().all(plain) {
            self.error(
                font.span(),
                "a font file's path may hold only letters, digits, `.`, `-`, `_` and `/`",
            )
            .help = Some("it is written into the pages' CSS: rename the file".into());
            return None;
        }
        if format.is_none() {
            self.error(
                font.span(),
                "`font` must be a .woff2, .woff, .ttf or .otf file, or \"system\"",
            )
            .help = Some("WOFF2 is the smallest: most fonts are offered in it".into());
        }
        format
    }

    /// A brand file, which must be in static/ (it is published from there).
    fn brand_file(&mut self, written: Spanned<String>, key: &str) -> BrandFile {
        let span = written.span();
        let source = written.into_inner();
        let output = source
            .trim_start_matches("./")
            .strip_prefix("static/")
            .filter(|rest| {
                !rest.is_empty()
                    && rest
                        .split('/')
                        .all(|part| !part.is_empty() && part != "." && part != "..")
            });
        let Some(output) = output.map(str::to_string) else {
            self.error(
                span.clone(),
                format!("`{key}` must name a file in static/, like `\"static/{key}.svg\"`"),
            )
            .help =
                Some("brand files are published from static/ (the site's or its theme's)".into());
            return BrandFile {
                output: source.clone(),
                source,
                span,
            };
        };
        BrandFile {
            source,
            output,
            span,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::config::parse;

    const MINIMAL: &str = "title = \"T\"\nbase_url = \"https://x.example/\"\n";

    fn errors(extra: &str) -> String {
        super::super::tests::errors(&format!("{MINIMAL}{extra}")).concat()
    }

    #[test]
    fn images_default_and_validate() {
        let c = parse(MINIMAL).unwrap();
        assert_eq!(c.images, ImagesConfig::default());
        let c = parse(&format!(
            "{MINIMAL}[images]\nwidths = [800, 400, 800]\nquality = 60\nformats = []\n"
        ))
        .unwrap();
        assert_eq!(c.images.widths, [400, 800]);
        assert_eq!((c.images.quality, c.images.formats), (60, vec![]));
        let c = parse(&format!(
            "{MINIMAL}[images]\nformats = [\"avif\", \"webp\"]\n"
        ))
        .unwrap();
        let order = [ModernFormat::Avif, ModernFormat::WebP];
        assert_eq!(c.images.formats, order);
        let e = errors("[images]\nformats = [\"webp\", \"webp\"]\n");
        assert!(e.contains("`webp` is listed twice"), "{e}");
        let e = errors("[images]\nwidths = [0]\nquality = 101\nformats = [\"heic\"]\n");
        assert!(e.contains("`widths` must list widths"), "{e}");
        assert!(e.contains("`quality` must be between 1 and 100"), "{e}");
        assert!(e.contains("unknown image format `heic`"), "{e}");
    }

    #[test]
    fn a_low_contrast_brand_colour_is_an_error_with_its_ratio() {
        let e = errors("[brand]\ncolor = \"#facc15\"\n");
        assert!(
            e.contains("the brand colour #facc15 has a contrast ratio of 1.53:1 with white"),
            "{e}"
        );
        assert!(e.contains("site.toml:4:9"), "{e}");
        assert!(
            e.contains("a darker shade of it passes: `color = \"#"),
            "{e}"
        );
        let e = errors("[brand]\ncolor = \"indigo\"\n");
        assert!(e.contains("`indigo` is not a colour"), "{e}");
    }

    #[test]
    fn derived_shades_keep_text_readable() {
        for written in ["#4338ca", "#767676", "#0f766e", "#b91c1c", "#000000"] {
            let brand = Rgb::parse(written).unwrap();
            let p = palette(brand);
            let c =
                |a: &str, b: &str| color::contrast(Rgb::parse(a).unwrap(), Rgb::parse(b).unwrap());
            assert!(c(&p.brand, "#ffffff") >= TEXT_CONTRAST, "{written}");
            assert!(c(&p.strong, &p.soft) >= TEXT_CONTRAST, "{written} {p:?}");
            assert!(c(&p.strong, &p.tint) >= TEXT_CONTRAST, "{written} {p:?}");
            assert!(c(&p.on_brand, &p.strong) >= TEXT_CONTRAST, "{written}");
            assert!(c(&p.border, "#ffffff") >= BORDER_CONTRAST, "{written}");
        }
    }

    #[test]
    fn brand_files_come_from_static() {
        let c = parse(&format!(
            "{MINIMAL}[brand]\nlogo = \"static/img/logo.svg\"\nfont = \"system\"\n"
        ))
        .unwrap();
        let logo = c.brand.logo.unwrap();
        assert_eq!(
            (logo.source.as_str(), logo.output.as_str()),
            ("static/img/logo.svg", "img/logo.svg")
        );
        assert_eq!(c.brand.font, None);
        assert_eq!(c.brand.palette, None, "the theme's own colours");
        let c = parse(&format!(
            "{MINIMAL}[brand]\nfont = \"static/f/Brand.WOFF2\"\nmark = \"static/m.png\"\n"
        ))
        .unwrap();
        assert_eq!(c.brand.font_format, Some("woff2"));
        let d = missing_brand_files(&c.brand, &c.text, |out| out == "m.png");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].render(false)
                .contains("brand font `static/f/Brand.WOFF2` does not exist"),
            "{}",
            d[0].render(false)
        );
        let e = errors("[brand]\nmark = \"content/mark.svg\"\nfont = \"static/brand.eot\"\n");
        assert!(e.contains("`mark` must name a file in static/"), "{e}");
        assert!(e.contains("`font` must be a .woff2"), "{e}");
        let e = errors("[brand]\nlogo = \"static/../site.toml\"\n");
        assert!(e.contains("`logo` must name a file in static/"), "{e}");
    }
}
