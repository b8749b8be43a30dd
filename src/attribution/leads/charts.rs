//! The HTML report's charts: horizontal bar charts drawn as inline SVG by
//! utmost, so that the report requests nothing and prints as it shows.
//! Every bar carries its label and its number as text beside it, and the
//! chart is an image whose title names it; the same figures are in the
//! table under it, which is what assistive technology reads.

use crate::util::html::escape;

/// One bar: its label, its length, and the number shown beside it.
pub(crate) struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// How wide a chart is drawn: the whole column, or a third of it (with
/// short labels), so that its text keeps the size of the page's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    Wide,
    Narrow,
}

impl Size {
    /// The chart's width, its labels' width and its numbers' width.
    fn widths(self) -> (f64, f64, f64) {
        match self {
            Size::Wide => (640.0, 200.0, 110.0),
            Size::Narrow => (280.0, 60.0, 70.0),
        }
    }
}

const ROW: f64 = 26.0;
const BAR: f64 = 16.0;

/// A bar chart titled `title`, one row per bar, longest bar for the
/// largest value; `tone` is a CSS class (`leads`, `won`, `rate`,
/// `funnel`).
pub(crate) fn bars(title: &str, tone: &str, size: Size, bars: &[Bar]) -> String {
    let (width, label_width, number) = size.widths();
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len() as f64 + 8.0;
    let span = width - label_width - number;
    let mut svg = format!(
        "<svg class=\"chart {tone}\" role=\"img\" viewBox=\"0 0 {width} {height}\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>",
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let length = if max > 0.0 {
            (b.value.max(0.0) / max) * span
        } else {
            0.0
        };
        // A bar of a value above zero is never invisible.
        let length = if b.value > 0.0 { length.max(2.0) } else { 0.0 };
        let most = if size == Size::Wide { 30 } else { 8 };
        let label: String = b.label.chars().take(most).collect();
        let cut = if label.len() < b.label.len() {
            "…"
        } else {
            ""
        };
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{}{cut}</text><rect x=\"{label_width}\" y=\"{y}\" width=\"{length:.1}\" height=\"{BAR}\" rx=\"2\"/><text x=\"{nx:.1}\" y=\"{ty}\" class=\"n\">{}</text>",
            escape(&label),
            escape(&b.shown),
            lx = label_width - 8.0,
            ty = y + BAR - 3.0,
            nx = label_width + length + 6.0,
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            shown: format!("{value}"),
        }
    }

    #[test]
    fn the_largest_value_spans_the_chart_and_labels_are_escaped() {
        let svg = bars(
            "Leads <by> campaign",
            "leads",
            Size::Wide,
            &[bar("a&b", 10.0), bar("c", 5.0), bar("z", 0.0)],
        );
        assert!(svg.contains("<title>Leads &lt;by&gt; campaign</title>"));
        assert!(svg.contains(">a&amp;b</text>"));
        assert!(svg.contains("width=\"330.0\""), "{svg}");
        assert!(svg.contains("width=\"165.0\""));
        assert!(svg.contains("width=\"0.0\""), "zero is no bar");
        assert_eq!(svg.matches("<rect").count(), 3);
    }

    #[test]
    fn all_zero_draws_no_bar_lengths() {
        let svg = bars("t", "won", Size::Narrow, &[bar("a", 0.0)]);
        assert!(svg.contains("width=\"0.0\""));
    }
}
