//! Overlaid empirical CDFs of recovery time (or data loss), one curve per strategy.
//!
//! Read it as "by time x, this share of disasters had recovered": the further left and
//! the higher a curve, the better. A curve that ends below 100% had trials that never
//! recovered within the simulated horizon.

use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::{Ticked, TimeAxis};
use super::{
    Chart, ChartError, FONT, LABEL_SIZE, REFERENCE, TICK_SIZE, dashed_segments, series_colour,
    series_dashes, titled,
};
use crate::present::format::{format_duration, percent_0dp, percent_1dp};

/// Overlaid CDFs, one series per strategy.
#[derive(Clone, Debug, Default)]
pub struct CdfChart {
    /// Chart title, e.g. "Recovery time (RTO) by strategy".
    pub title: String,
    /// X axis label; the unit is implied by the readable tick labels, e.g. "time to recover".
    pub x_label: String,
    /// One curve per strategy, drawn in palette order.
    pub series: Vec<CdfSeries>,
    /// The objective (e.g. the RTO target) in milliseconds, drawn as a dashed vertical line.
    pub objective_ms: Option<f64>,
    /// What the objective line is called, e.g. "RTO objective".
    pub objective_label: String,
    /// When set (e.g. "lose no data"), each legend entry states the share of disasters at
    /// exactly zero: a log axis cannot draw that mass, and for data loss it is most of it.
    pub zero_label: Option<String>,
}

/// One strategy's step CDF.
#[derive(Clone, Debug, Default)]
pub struct CdfSeries {
    /// Strategy name shown in the legend.
    pub label: String,
    /// (time in ms, cumulative share 0..=1), ascending in time, already a step function.
    pub points: Vec<(f64, f64)>,
}

impl CdfSeries {
    /// The share reached at the end of the curve (1.0 when every trial recovered).
    pub fn final_share(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.1)
    }

    /// The share of disasters whose value is exactly zero (the curve's height at 0 ms).
    pub fn share_at_zero(&self) -> f64 {
        (self.points.iter())
            .filter(|p| p.0 <= 0.0)
            .map(|p| p.1)
            .fold(0.0, f64::max)
    }

    /// The legend text: the label, plus the share that never recovered when the curve
    /// stops short of 100% (otherwise a reader takes the flat end for a drawing bug).
    pub fn legend(&self) -> String {
        let missing = 1.0 - self.final_share();
        if missing > 0.0005 {
            format!("{} ({} never recovered)", self.label, percent_1dp(missing))
        } else {
            self.label.clone()
        }
    }

    /// [`Self::legend`] followed by the share at zero, e.g. "Pilot light: 98.0% lose no data".
    fn legend_with_zero(&self, zero_label: Option<&str>) -> String {
        match zero_label {
            Some(what) => format!(
                "{}: {} {what}",
                self.legend(),
                percent_1dp(self.share_at_zero())
            ),
            None => self.legend(),
        }
    }
}

impl CdfChart {
    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = (self.series.iter().enumerate())
            .map(|(i, s)| {
                let text = s.legend_with_zero(self.zero_label.as_deref());
                LegendEntry::new(text, Swatch::Line(series_colour(i)))
            })
            .collect();
        if let Some(objective) = self.objective_ms {
            let name = format!("{} {}", self.objective_label, format_duration(objective));
            entries.push(LegendEntry::new(name, Swatch::Dashed(REFERENCE)));
        }
        entries
    }

    fn time_axis(&self) -> TimeAxis {
        let times = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0));
        TimeAxis::covering(times.chain(self.objective_ms), false)
    }
}

impl Chart for CdfChart {
    fn title(&self) -> String {
        self.title.clone()
    }

    fn description(&self) -> String {
        let mut text = format!(
            "Cumulative share of disasters against {}, one curve per strategy: {}.",
            self.x_label,
            (self.series.iter())
                .map(|s| s.legend_with_zero(self.zero_label.as_deref()))
                .collect::<Vec<_>>()
                .join("; ")
        );
        if let Some(objective) = self.objective_ms {
            let _ = write!(
                text,
                " {} at {}.",
                self.objective_label,
                format_duration(objective)
            );
        }
        text
    }

    fn dashes(&self) -> Vec<(RGBColor, &'static str)> {
        series_dashes(self.series.len())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let plot = with_legend(&titled(area, &self.title)?, &self.legend())?;
        let axis = self.time_axis();
        let y_ticks = vec![0.0, 0.25, 0.5, 0.75, 1.0];
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(axis.ranged(), Ticked::new(0.0..1.04, y_ticks))?;
        let x_desc = axis.description(&self.x_label);
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc("share of disasters")
            .x_label_formatter(&|x| axis.label(*x))
            .y_label_formatter(&|y| percent_0dp(*y))
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        for (i, series) in self.series.iter().enumerate() {
            let colour = series_colour(i);
            let points = series
                .points
                .iter()
                .map(|(ms, share)| (axis.x(*ms), *share));
            chart.draw_series(LineSeries::new(points, colour.stroke_width(4)))?;
        }

        if let Some(objective) = self.objective_ms {
            let x = axis.x(objective);
            let dashes = dashed_segments((x, 0.0), (x, 1.04), 24);
            chart.draw_series(
                dashes
                    .into_iter()
                    .map(|seg| PathElement::new(seg.to_vec(), REFERENCE.stroke_width(3))),
            )?;
            let font = (FONT, LABEL_SIZE).into_font().color(&REFERENCE);
            let name = format!("{} {}", self.objective_label, format_duration(objective));
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, 0.02))
                    + Text::new(
                        name,
                        (10, -10),
                        font.pos(Pos::new(HPos::Left, VPos::Bottom)),
                    ),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::test_svg::{parse, polyline_lengths, svg_colour, texts};
    use crate::present::charts::{PALETTE, render_svg};

    fn step_cdf(times_s: &[f64], final_share: f64) -> Vec<(f64, f64)> {
        let n = times_s.len() as f64;
        let mut points = vec![(times_s[0] * 1000.0, 0.0)];
        for (i, t) in times_s.iter().enumerate() {
            let before = points.last().unwrap().1;
            points.push((t * 1000.0, before));
            points.push((t * 1000.0, (i + 1) as f64 / n * final_share));
        }
        points
    }

    pub(crate) fn sample() -> CdfChart {
        CdfChart {
            title: "Recovery time by strategy".into(),
            x_label: "time to recover".into(),
            series: vec![
                CdfSeries {
                    label: "Active/active".into(),
                    points: step_cdf(&[20.0, 35.0, 60.0, 90.0], 1.0),
                },
                CdfSeries {
                    label: "Warm standby".into(),
                    points: step_cdf(&[300.0, 480.0, 600.0, 900.0], 1.0),
                },
                CdfSeries {
                    label: "Pilot light".into(),
                    points: step_cdf(&[1800.0, 2400.0, 3000.0, 5400.0], 1.0),
                },
                CdfSeries {
                    label: "Backup & restore".into(),
                    points: step_cdf(&[14_400.0, 28_800.0, 43_200.0, 86_400.0], 0.9),
                },
            ],
            objective_ms: Some(3_600_000.0),
            objective_label: "RTO objective".into(),
            zero_label: None,
        }
    }

    #[test]
    fn one_curve_per_strategy_plus_dashed_objective() {
        let chart = sample();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        for (i, series) in chart.series.iter().enumerate() {
            let lines = polyline_lengths(&doc, &svg_colour(PALETTE[i]));
            // The curve itself (every point) and its legend sample (two points).
            assert_eq!(lines.len(), 2, "series {i}: {lines:?}");
            assert!(
                lines.contains(&series.points.len()),
                "series {i}: {lines:?}"
            );
        }
        let dashes = polyline_lengths(&doc, &svg_colour(REFERENCE));
        assert_eq!(dashes.len(), 24 + 3, "24 dashes and a dashed legend sample");
        let texts = texts(&doc);
        assert!(texts.contains(&"RTO objective 1h".to_string()), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("log scale")), "{texts:?}");
    }

    #[test]
    fn a_curve_ending_below_one_says_how_many_never_recovered() {
        let chart = sample();
        assert_eq!(chart.series[0].legend(), "Active/active");
        assert_eq!(
            chart.series[3].legend(),
            "Backup & restore (10.0% never recovered)"
        );
        let svg = render_svg(&chart).unwrap();
        assert!(svg.contains("Backup &amp; restore (10.0% never recovered)"));
    }

    #[test]
    fn a_zero_label_states_each_series_share_at_zero() {
        let mut chart = sample();
        // Three of four disasters lose nothing: the curve jumps to 75% at 0 ms.
        chart.series[0].points = step_cdf(&[0.0, 0.0, 0.0, 60.0], 1.0);
        chart.zero_label = Some("lose no data".into());
        assert_eq!(chart.series[0].share_at_zero(), 0.75);
        assert_eq!(chart.series[1].share_at_zero(), 0.0);
        let svg = render_svg(&chart).unwrap();
        assert!(svg.contains("Active/active: 75.0% lose no data"), "{svg}");
        assert!(svg.contains("Warm standby: 0.0% lose no data"));
        chart.zero_label = None;
        assert!(!render_svg(&chart).unwrap().contains("lose no data"));
    }

    #[test]
    fn narrow_range_stays_linear() {
        let mut chart = sample();
        chart.series.truncate(2);
        chart.objective_ms = Some(600_000.0);
        assert!(!chart.time_axis().log);
        let svg = render_svg(&chart).unwrap();
        assert!(!svg.contains("log scale"));
    }
}
