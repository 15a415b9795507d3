//! A tornado: how far each uncertain input, moved to the low and the high end of its
//! range, moves one answer (the probability of meeting the RTO objective), largest
//! swing on top. The inputs at the top are the ones worth pinning down.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::Ticked;
use super::{Chart, ChartError, FONT, LABEL_SIZE, REFERENCE, TICK_SIZE, series_colour, titled};
use crate::present::format::{percent_0dp, percent_1dp};

/// One answer against each input's low and high end.
#[derive(Clone, Debug, Default)]
pub struct TornadoChart {
    /// Chart title.
    pub title: String,
    /// What the bars measure, e.g. "P(RTO met)".
    pub measure: String,
    /// The answer with the model as written (0..=1).
    pub base: f64,
    /// One row per input, drawn top down in this order (largest swing first).
    pub rows: Vec<TornadoRow>,
}

/// One input's two ends.
#[derive(Clone, Debug, Default)]
pub struct TornadoRow {
    /// The input's name (its model key).
    pub name: String,
    /// The answer at the input's low end.
    pub at_low: f64,
    /// The answer at the input's high end.
    pub at_high: f64,
}

const LOW: usize = 0;
const HIGH: usize = 1;

impl TornadoChart {
    fn x_range(&self) -> (f64, f64) {
        let values = (self.rows.iter())
            .flat_map(|r| [r.at_low, r.at_high])
            .chain([self.base]);
        let lo = values.clone().fold(f64::INFINITY, f64::min);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.08).max(0.01);
        ((lo - pad).max(0.0), (hi + pad).min(1.0).max(lo + pad))
    }
}

/// Percent ticks at a round step, at most seven.
fn percent_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let step = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25]
        .into_iter()
        .find(|s| (hi - lo) / s <= 6.0)
        .unwrap_or(0.25);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

impl Chart for TornadoChart {
    fn size(&self) -> (u32, u32) {
        (1280, (220 + 56 * self.rows.len() as u32).max(420))
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn description(&self) -> String {
        let rows: Vec<String> = (self.rows.iter())
            .map(|r| {
                format!(
                    "{} {} at the low end, {} at the high end",
                    r.name,
                    percent_1dp(r.at_low),
                    percent_1dp(r.at_high)
                )
            })
            .collect();
        format!(
            "Tornado of {} (base {}), one bar per input, largest swing first: {}.",
            self.measure,
            percent_1dp(self.base),
            rows.join("; ")
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let legend = [
            LegendEntry::new("input at the low end", Swatch::Block(series_colour(LOW))),
            LegendEntry::new("input at the high end", Swatch::Block(series_colour(HIGH))),
            LegendEntry::new(
                format!("as modelled: {}", percent_1dp(self.base)),
                Swatch::Dashed(REFERENCE),
            ),
        ];
        let plot = with_legend(&titled(area, &self.title)?, &legend)?;
        let font = (FONT, TICK_SIZE).into_font().color(&BLACK);
        let widest = (self.rows.iter())
            .map(|r| plot.estimate_text_size(&r.name, &font).map_or(0, |s| s.0))
            .max()
            .unwrap_or(0);
        let (lo, hi) = self.x_range();
        let rows = self.rows.len().max(1) as f64;
        let centres: Vec<f64> = (0..self.rows.len()).map(|i| i as f64 + 0.5).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(widest + 30)
            .build_cartesian_2d(
                Ticked::new(lo..hi, percent_ticks(lo, hi)),
                Ticked::new(0.0..rows, centres),
            )?;
        // Row 0 on top: the y axis runs down the list.
        let name = |y: &f64| {
            let from_top = rows - y;
            (self.rows.get(from_top.floor() as usize)).map_or(String::new(), |r| r.name.clone())
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_desc(format!(
                "{} (the strategy as modelled: {})",
                self.measure,
                percent_1dp(self.base)
            ))
            .x_label_formatter(&|x| percent_0dp(*x))
            .y_label_formatter(&name)
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;
        let bar = |i: usize, value: f64, colour: RGBColor| {
            let y = rows - i as f64 - 0.5;
            let (a, b) = if value < self.base {
                (value, self.base)
            } else {
                (self.base, value)
            };
            Rectangle::new([(a, y - 0.3), (b, y + 0.3)], colour.filled())
        };
        chart.draw_series(
            (self.rows.iter().enumerate()).map(|(i, r)| bar(i, r.at_low, series_colour(LOW))),
        )?;
        chart.draw_series(
            (self.rows.iter().enumerate()).map(|(i, r)| bar(i, r.at_high, series_colour(HIGH))),
        )?;
        let dashes = super::dashed_segments((self.base, 0.0), (self.base, rows), 24);
        chart.draw_series(
            (dashes.into_iter())
                .map(|seg| PathElement::new(seg.to_vec(), REFERENCE.stroke_width(3))),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::render_svg;
    use crate::present::charts::test_svg::{count, parse, svg_colour, texts};

    fn sample() -> TornadoChart {
        TornadoChart {
            title: "What moves P(RTO met)".into(),
            measure: "P(RTO met)".into(),
            base: 0.992,
            rows: vec![
                TornadoRow {
                    name: "routing.stale_hold".into(),
                    at_low: 0.999,
                    at_high: 0.289,
                },
                TornadoRow {
                    name: "recovery.detection".into(),
                    at_low: 1.0,
                    at_high: 0.919,
                },
            ],
        }
    }

    #[test]
    fn one_bar_per_end_of_each_input_named_on_the_axis() {
        let chart = sample();
        let doc_text = render_svg(&chart).unwrap();
        let doc = parse(&doc_text);
        // Two rows, plus the legend swatch.
        assert_eq!(
            count(&doc, "rect", "fill", &svg_colour(series_colour(LOW))),
            3
        );
        assert_eq!(
            count(&doc, "rect", "fill", &svg_colour(series_colour(HIGH))),
            3
        );
        let texts = texts(&doc);
        for name in ["routing.stale_hold", "recovery.detection"] {
            assert!(texts.contains(&name.to_string()), "{texts:?}");
        }
    }

    #[test]
    fn ticks_are_round_percentages() {
        let labels: Vec<String> = percent_ticks(0.2, 1.0)
            .into_iter()
            .map(percent_0dp)
            .collect();
        assert_eq!(labels, ["20%", "40%", "60%", "80%", "100%"]);
    }
}
