//! Resize operations with Zola's semantics (`resize_image`'s `op`), and the
//! crop-then-resize [`Plan`] each one makes for a source of a given size.
//! Pure arithmetic: the same integer and `f32` steps as Zola 0.22's
//! imageproc, so a template moved from Zola gets the same output sizes.
//!
//! - `scale`: exactly `width` x `height`, aspect ratio ignored.
//! - `fit_width`: `width` wide, height keeping the ratio (rounded down).
//! - `fit_height`: `height` high, width keeping the ratio (rounded down).
//! - `fit`: unchanged if it already fits in `width` x `height`; otherwise
//!   `fit_width` or `fit_height`, whichever keeps it inside the box.
//! - `fill` (the default): exactly `width` x `height`; the centre of the
//!   source with the target's ratio is cropped out first, unless the two
//!   ratios' scale factors differ by at most 0.1, when it only scales.
//!
//! Like Zola, `scale`, `fit_width`, `fit_height` and `fill` may enlarge;
//! `fit` never does.

/// One `op` with its sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ResizeOp {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

/// What to do to the (oriented) source: crop first, then resize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Plan {
    /// `(x, y, width, height)` of the part of the source to keep.
    pub crop: Option<(u32, u32, u32, u32)>,
    /// The output size, when it differs from the (cropped) source.
    pub resize: Option<(u32, u32)>,
}

impl ResizeOp {
    /// The operation `resize_image(op = ..., width = ..., height = ...)`
    /// names, `op` defaulting to `fill` as in Zola.
    pub(crate) fn from_args(
        op: Option<&str>,
        width: Option<u32>,
        height: Option<u32>,
    ) -> Result<Self, String> {
        let op = op.unwrap_or("fill");
        let need = |v: Option<u32>, name: &str| match v {
            None => Err(format!("op=\"{op}\" requires a `{name}` argument")),
            Some(0) => Err(format!("`{name}` must be at least 1 pixel")),
            Some(v) => Ok(v),
        };
        Ok(match op {
            "scale" => ResizeOp::Scale(need(width, "width")?, need(height, "height")?),
            "fit_width" => ResizeOp::FitWidth(need(width, "width")?),
            "fit_height" => ResizeOp::FitHeight(need(height, "height")?),
            "fit" => ResizeOp::Fit(need(width, "width")?, need(height, "height")?),
            "fill" => ResizeOp::Fill(need(width, "width")?, need(height, "height")?),
            other => {
                return Err(format!(
                    "unknown resize op \"{other}\": use scale, fit_width, fit_height, fit or fill"
                ));
            }
        })
    }

    /// The plan for a source of `(w, h)` pixels (after EXIF orientation).
    pub(crate) fn plan(self, (orig_w, orig_h): (u32, u32)) -> Plan {
        let resize = |w: u32, h: u32| Plan {
            crop: None,
            resize: Some((w, h)),
        };
        match self {
            ResizeOp::Scale(w, h) => resize(w, h),
            ResizeOp::FitWidth(w) => resize(w, mul_div(orig_h, w, orig_w)),
            ResizeOp::FitHeight(h) => resize(mul_div(orig_w, h, orig_h), h),
            ResizeOp::Fit(w, h) => {
                if orig_w <= w && orig_h <= h {
                    Plan::default()
                } else if u64::from(orig_w) * u64::from(h) > u64::from(orig_h) * u64::from(w) {
                    ResizeOp::FitWidth(w).plan((orig_w, orig_h))
                } else {
                    ResizeOp::FitHeight(h).plan((orig_w, orig_h))
                }
            }
            ResizeOp::Fill(w, h) => fill((orig_w, orig_h), (w, h)),
        }
    }

    /// A short, stable text for file-name hashes (`fill-1200x630`).
    pub(crate) fn key(self) -> String {
        match self {
            ResizeOp::Scale(w, h) => format!("scale-{w}x{h}"),
            ResizeOp::FitWidth(w) => format!("fit_width-{w}"),
            ResizeOp::FitHeight(h) => format!("fit_height-{h}"),
            ResizeOp::Fit(w, h) => format!("fit-{w}x{h}"),
            ResizeOp::Fill(w, h) => format!("fill-{w}x{h}"),
        }
    }
}

/// `a * b / c` in 64 bits, rounded down as Zola does.
fn mul_div(a: u32, b: u32, c: u32) -> u32 {
    let v = u64::from(a) * u64::from(b) / u64::from(c.max(1));
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// Zola's `fill`: centre crop to the target ratio, then resize.
fn fill((orig_w, orig_h): (u32, u32), (w, h): (u32, u32)) -> Plan {
    const RATIO_EPSILON: f32 = 0.1;
    let factor_w = orig_w as f32 / w as f32;
    let factor_h = orig_h as f32 / h as f32;
    if (factor_w - factor_h).abs() <= RATIO_EPSILON {
        return Plan {
            crop: None,
            resize: Some((w, h)),
        };
    }
    let (crop_w, crop_h) = if factor_w < factor_h {
        (orig_w, (factor_w * h as f32).round() as u32)
    } else {
        ((factor_h * w as f32).round() as u32, orig_h)
    };
    // The clamp keeps the subtraction below from rounding past an edge.
    let (crop_w, crop_h) = (crop_w.clamp(1, orig_w), crop_h.clamp(1, orig_h));
    let (x, y) = ((orig_w - crop_w) / 2, (orig_h - crop_h) / 2);
    Plan {
        crop: Some((x, y, crop_w, crop_h)),
        resize: Some((w, h)),
    }
}

impl Plan {
    /// The output size for a source of `(w, h)`.
    pub(crate) fn output_size(&self, source: (u32, u32)) -> (u32, u32) {
        self.resize
            .or(self.crop.map(|(_, _, w, h)| (w, h)))
            .unwrap_or(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The cases of Zola 0.22's imageproc integration tests
    // (tests/resize_image.rs, a 300x380 source): same arguments, same sizes.
    #[test]
    fn zola_sizes() {
        let src = (300, 380);
        let size = |op: ResizeOp| op.plan(src).output_size(src);
        assert_eq!(size(ResizeOp::Scale(150, 150)), (150, 150));
        assert_eq!(size(ResizeOp::FitWidth(150)), (150, 190));
        assert_eq!(size(ResizeOp::FitHeight(190)), (150, 190));
        assert_eq!(size(ResizeOp::Fit(150, 200)), (150, 190));
        assert_eq!(size(ResizeOp::Fit(160, 180)), (142, 180));
        assert_eq!(size(ResizeOp::Fit(400, 400)), (300, 380));
        assert_eq!(size(ResizeOp::Fill(100, 200)), (100, 200));
        assert_eq!(size(ResizeOp::Fill(200, 100)), (200, 100));
        assert_eq!(ResizeOp::Fit(400, 400).plan(src), Plan::default());
        // And its documentation's examples.
        assert_eq!(size(ResizeOp::FitWidth(100)), (100, 126));
        assert_eq!(size(ResizeOp::FitHeight(150)), (118, 150));
        assert_eq!(size(ResizeOp::Fit(150, 150)), (118, 150));
    }

    #[test]
    fn fill_crops_the_centre_to_the_target_ratio() {
        // 3000x2000 to 1200x630: factors 2.5 and 3.17, crop the height.
        let plan = ResizeOp::Fill(1200, 630).plan((3000, 2000));
        assert_eq!(plan.crop, Some((0, 212, 3000, 1575)));
        assert_eq!(plan.resize, Some((1200, 630)));
        // A tall source to a square crops the height.
        let plan = ResizeOp::Fill(100, 100).plan((300, 380));
        assert_eq!(plan.crop, Some((0, 40, 300, 300)));
        // A wide source to a square crops the width.
        let plan = ResizeOp::Fill(100, 100).plan((400, 200));
        assert_eq!(plan.crop, Some((100, 0, 200, 200)));
    }

    #[test]
    fn fill_with_nearly_the_same_ratio_only_scales() {
        // Factors 2.5 and 2.53: within Zola's 0.1, so no crop.
        let plan = ResizeOp::Fill(1200, 790).plan((3000, 2000));
        assert_eq!(plan.crop, None);
        assert_eq!(plan.resize, Some((1200, 790)));
    }

    #[test]
    fn fit_picks_the_side_that_keeps_it_inside() {
        assert_eq!(
            ResizeOp::Fit(800, 800).plan((3000, 2000)).resize,
            Some((800, 533))
        );
        assert_eq!(
            ResizeOp::Fit(800, 800).plan((2000, 3000)).resize,
            Some((533, 800))
        );
        // Only one side too large still resizes.
        assert_eq!(
            ResizeOp::Fit(1000, 100).plan((500, 200)).resize,
            Some((250, 100))
        );
    }

    #[test]
    fn enlarging_is_allowed_except_for_fit() {
        assert_eq!(
            ResizeOp::FitWidth(600).plan((300, 380)).resize,
            Some((600, 760))
        );
        assert_eq!(ResizeOp::Fit(600, 760).plan((300, 380)).resize, None);
    }

    #[test]
    fn arguments_as_zola_reads_them() {
        assert_eq!(
            ResizeOp::from_args(None, Some(10), Some(20)),
            Ok(ResizeOp::Fill(10, 20))
        );
        assert_eq!(
            ResizeOp::from_args(Some("fit_width"), Some(10), None),
            Ok(ResizeOp::FitWidth(10))
        );
        assert_eq!(
            ResizeOp::from_args(Some("fit_height"), None, Some(7)),
            Ok(ResizeOp::FitHeight(7))
        );
        let err = ResizeOp::from_args(Some("fit"), Some(10), None).unwrap_err();
        assert_eq!(err, "op=\"fit\" requires a `height` argument");
        let err = ResizeOp::from_args(Some("crop"), Some(10), Some(10)).unwrap_err();
        assert!(err.starts_with("unknown resize op \"crop\""), "{err}");
        let err = ResizeOp::from_args(Some("scale"), Some(0), Some(10)).unwrap_err();
        assert_eq!(err, "`width` must be at least 1 pixel");
    }

    #[test]
    fn extreme_sizes_do_not_overflow() {
        let plan = ResizeOp::FitWidth(u32::MAX).plan((1, u32::MAX));
        assert_eq!(plan.resize, Some((u32::MAX, u32::MAX)));
        let plan = ResizeOp::Fill(1, 100_000).plan((100_000, 1));
        assert_eq!(plan.output_size((100_000, 1)), (1, 100_000));
    }
}
