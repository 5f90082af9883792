//! The geometry of the profile chart: one horizontal bar per principle and factor on the
//! 0–4 maturity scale, computed here and drawn by the SVG template, so that every
//! coordinate is tested in Rust and the template only places what it is given.

use serde::Serialize;

/// The width of the whole chart, in SVG units (CSS pixels at 100 %).
pub const CHART_WIDTH: f64 = 720.0;
/// The room on the left for the sections' labels.
const LABEL_WIDTH: f64 = 300.0;
/// The room on the right for the score and the coverage.
const VALUE_WIDTH: f64 = 110.0;
/// The height of one section's row.
const ROW_HEIGHT: f64 = 22.0;
/// The height of a bar within its row.
const BAR_HEIGHT: f64 = 14.0;
/// The room above the first row for the scale's labels.
const TOP: f64 = 22.0;
/// The room below the last row.
const BOTTOM: f64 = 8.0;
/// The highest level of the maturity scale.
pub const SCALE_MAX: f64 = 4.0;
/// Characters of a label drawn in the chart; the table behind it has the whole title.
const LABEL_CHARS: usize = 44;

/// One section as the chart needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    /// The label on the left, e.g. "Factor 3 Toetsing".
    pub label: String,
    /// The score on the 0–4 scale; `None` when nothing was answered.
    pub value: Option<f64>,
    /// The text on the right after the score, e.g. "7/9".
    pub coverage: String,
    /// A principle (drawn in one colour) rather than a factor (another).
    pub principle: bool,
}

/// The chart, ready to draw: every coordinate in SVG units, rounded to a tenth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarChart {
    /// The width of the SVG.
    pub width: f64,
    /// The height of the SVG.
    pub height: f64,
    /// Where the plot area starts (level 0).
    pub plot_left: f64,
    /// The width of the plot area (level 0 to [`SCALE_MAX`]).
    pub plot_width: f64,
    /// The top of the plot area.
    pub plot_top: f64,
    /// The bottom of the plot area.
    pub plot_bottom: f64,
    /// Where the score and coverage texts start.
    pub value_x: f64,
    /// The scale's levels with their positions.
    pub ticks: Vec<Tick>,
    /// One bar per row, in the rows' order.
    pub bars: Vec<Bar>,
}

/// One level of the scale: a grid line and its label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    /// Its horizontal position.
    pub x: f64,
    /// Its label ("0" to "4").
    pub label: String,
}

/// One section's bar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// The label drawn, shortened to fit.
    pub label: String,
    /// The whole label, for the bar's tooltip.
    pub title: String,
    /// Its left edge (level 0).
    pub x: f64,
    /// Its top edge.
    pub y: f64,
    /// Its length: 0 when nothing was answered.
    pub width: f64,
    /// Its thickness.
    pub height: f64,
    /// The baseline of its texts.
    pub text_y: f64,
    /// The score as shown, e.g. "2.35", or "–" when nothing was answered.
    pub value: String,
    /// The coverage text, e.g. "7/9".
    pub coverage: String,
    /// `principle`, `factor` or `missing`: the class that gives its colour.
    pub class: &'static str,
}

/// Lays out the chart of `rows`, top to bottom. Scores outside the scale are drawn at
/// its ends; a score that is not a number counts as not answered.
pub fn bar_chart(rows: &[ChartRow]) -> BarChart {
    let plot_left = LABEL_WIDTH;
    let plot_width = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let bars: Vec<Bar> = (0u32..)
        .zip(rows)
        .map(|(number, row)| {
            let top = TOP + f64::from(number) * ROW_HEIGHT;
            let value = row.value.filter(|value| value.is_finite());
            let width = value.map_or(0.0, |value| {
                value.clamp(0.0, SCALE_MAX) / SCALE_MAX * plot_width
            });
            Bar {
                label: shorten(&row.label, LABEL_CHARS),
                title: row.label.clone(),
                x: plot_left,
                y: tenth(top + (ROW_HEIGHT - BAR_HEIGHT) / 2.0),
                width: tenth(width),
                height: BAR_HEIGHT,
                text_y: tenth(top + ROW_HEIGHT / 2.0 + 4.0),
                value: value.map_or_else(|| "–".to_owned(), |value| format!("{value:.2}")),
                coverage: row.coverage.clone(),
                class: match (value, row.principle) {
                    (None, _) => "missing",
                    (Some(_), true) => "principle",
                    (Some(_), false) => "factor",
                },
            }
        })
        .collect();
    let rows_height = ROW_HEIGHT * f64::from(u32::try_from(rows.len()).unwrap_or(u32::MAX));
    let ticks = (0u8..=4)
        .map(|level| Tick {
            x: tenth(plot_left + f64::from(level) / SCALE_MAX * plot_width),
            label: level.to_string(),
        })
        .collect();
    BarChart {
        width: CHART_WIDTH,
        height: tenth(TOP + rows_height + BOTTOM),
        plot_left,
        plot_width,
        plot_top: TOP,
        plot_bottom: tenth(TOP + rows_height),
        value_x: tenth(plot_left + plot_width + 8.0),
        ticks,
        bars,
    }
}

/// A coordinate rounded to a tenth, so the SVG is short and the same on every platform.
fn tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// `text` cut to `chars` characters, ending in "…" when cut.
pub(super) fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(chars.saturating_sub(1)).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: Option<f64>) -> ChartRow {
        ChartRow {
            label: "Factor 1 Visie".to_owned(),
            value,
            coverage: "1/2".to_owned(),
            principle: false,
        }
    }

    #[test]
    fn bars_are_proportional_to_the_score() {
        let chart = bar_chart(&[row(Some(0.0)), row(Some(2.0)), row(Some(4.0))]);
        let widths: Vec<f64> = chart.bars.iter().map(|bar| bar.width).collect();
        assert_eq!(widths, [0.0, chart.plot_width / 2.0, chart.plot_width]);
        assert!(chart.bars.iter().all(|bar| bar.x == chart.plot_left));
        assert_eq!(chart.ticks.len(), 5);
        assert_eq!(
            chart.ticks.last().map(|tick| tick.x),
            Some(chart.plot_left + chart.plot_width)
        );
    }

    #[test]
    fn rows_stack_without_overlap_inside_the_chart() {
        let chart = bar_chart(&vec![row(Some(1.0)); 17]);
        for pair in chart.bars.windows(2) {
            let [upper, lower] = pair else { unreachable!() };
            assert!(upper.y + upper.height <= lower.y);
        }
        let last = chart.bars.last().map_or(0.0, |bar| bar.y + bar.height);
        assert!(last <= chart.plot_bottom && chart.plot_bottom <= chart.height);
        assert!(chart.value_x + 100.0 <= chart.width);
    }

    #[test]
    fn missing_and_out_of_scale_scores() {
        let chart = bar_chart(&[
            row(None),
            row(Some(f64::NAN)),
            row(Some(7.0)),
            row(Some(-1.0)),
        ]);
        let classes: Vec<&str> = chart.bars.iter().map(|bar| bar.class).collect();
        assert_eq!(classes, ["missing", "missing", "factor", "factor"]);
        let widths: Vec<f64> = chart.bars.iter().map(|bar| bar.width).collect();
        assert_eq!(widths, [0.0, 0.0, chart.plot_width, 0.0]);
        assert_eq!(chart.bars.first().map(|bar| bar.value.as_str()), Some("–"));
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_the_title() {
        let long = "x".repeat(100);
        let chart = bar_chart(&[ChartRow {
            label: long.clone(),
            ..row(Some(1.0))
        }]);
        let bar = chart.bars.first().cloned();
        assert_eq!(
            bar.as_ref().map(|bar| bar.label.chars().count()),
            Some(LABEL_CHARS)
        );
        assert_eq!(bar.map(|bar| bar.title), Some(long));
        assert_eq!(bar_chart(&[]).bars.len(), 0);
    }
}
