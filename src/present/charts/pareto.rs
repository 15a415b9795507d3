//! Monthly cost against a recovery-time percentile (RTO p99, or RPO p99), with the
//! Pareto front: the strategies no other strategy beats on both cost and time.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::{Ticked, TimeAxis};
use super::{
    Chart, ChartError, FONT, LABEL_SIZE, REFERENCE, TICK_SIZE, dashed_segments, titled, usd_ticks,
};
use crate::analysis::pareto::{StrategyPoint, pareto_front};
use crate::present::format::{format_duration, usd_short};

/// Cost versus time, one point per strategy.
#[derive(Clone, Debug, Default)]
pub struct ParetoChart {
    /// Chart title, e.g. "Cost versus RTO p99".
    pub title: String,
    /// X axis label, e.g. "RTO p99".
    pub x_label: String,
    /// One point per strategy.
    pub points: Vec<StrategyPoint>,
    /// The time objective in milliseconds, drawn as a dashed vertical line.
    pub objective_ms: Option<f64>,
}

/// The staircase through the front, in data coordinates (ms, USD): from each point right
/// to the next point's time, then down to its cost; everything above and right of it is
/// dominated.
pub fn front_staircase(points: &[StrategyPoint], front: &[usize]) -> Vec<(f64, f64)> {
    let mut steps = Vec::with_capacity(front.len() * 2);
    for (k, &i) in front.iter().enumerate() {
        let (time, cost) = (
            points[i].time_ms.unwrap_or(f64::INFINITY),
            points[i].monthly_usd,
        );
        if k > 0 {
            let previous_cost = steps.last().map_or(cost, |p: &(f64, f64)| p.1);
            steps.push((time, previous_cost));
        }
        steps.push((time, cost));
    }
    steps
}

const MEETS: RGBColor = RGBColor(0x00, 0x9E, 0x73); // Okabe-Ito bluish green
const MISSES: RGBColor = RGBColor(0xD5, 0x5E, 0x00); // Okabe-Ito vermillion
const FRONT: RGBColor = RGBColor(0x00, 0x72, 0xB2); // Okabe-Ito blue

impl ParetoChart {
    /// Legend entries for the marks actually drawn.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries = Vec::new();
        if self.points.iter().any(|p| p.meets_objectives) {
            entries.push(LegendEntry::new("meets objectives", Swatch::Dot(MEETS)));
        }
        if self.points.iter().any(|p| !p.meets_objectives) {
            entries.push(LegendEntry::new(
                "misses objectives",
                Swatch::Triangle(MISSES),
            ));
        }
        if pareto_front(&self.points).len() > 1 {
            entries.push(LegendEntry::new("Pareto front", Swatch::Line(FRONT)));
        }
        if let Some(objective) = self.objective_ms {
            let name = format!("objective {}", format_duration(objective));
            entries.push(LegendEntry::new(name, Swatch::Dashed(REFERENCE)));
        }
        entries
    }

    fn time_axis(&self) -> TimeAxis {
        let times = self.points.iter().filter_map(|p| p.time_ms);
        TimeAxis::covering(times.chain(self.objective_ms), false)
    }

    /// The cost axis: from a round step below the cheapest (zero when that is within
    /// a third of the dearest) to the top, with its ticks; strategies that differ by a
    /// few hundred dollars on a $9k bill would otherwise sit on one line at the top.
    fn usd_axis(&self) -> (f64, f64, Vec<f64>) {
        let max = self.max_usd();
        let min = (self.points.iter())
            .map(|p| p.monthly_usd)
            .fold(f64::INFINITY, f64::min);
        if !min.is_finite() || min < max / 3.0 {
            return (0.0, max, usd_ticks(max));
        }
        let rough = (max - min * 0.9).max(1.0);
        let step = usd_ticks(rough).get(1).copied().unwrap_or(rough);
        let lo = ((min * 0.95) / step).floor() * step;
        let ticks = (0..)
            .map(|k| lo + k as f64 * step)
            .take_while(|t| *t <= max)
            .collect();
        (lo, max, ticks)
    }

    fn max_usd(&self) -> f64 {
        let max = self
            .points
            .iter()
            .map(|p| p.monthly_usd)
            .fold(0.0, f64::max);
        if max > 0.0 { max * 1.18 } else { 100.0 }
    }
}

impl Chart for ParetoChart {
    fn title(&self) -> String {
        self.title.clone()
    }

    fn description(&self) -> String {
        let front = pareto_front(&self.points);
        let points: Vec<String> = (self.points.iter().enumerate())
            .map(|(i, p)| {
                format!(
                    "{} {} at {}{}{}",
                    p.label,
                    usd_short(p.monthly_usd),
                    p.time_ms.map_or("never".into(), format_duration),
                    if p.meets_objectives {
                        ", meets"
                    } else {
                        ", misses"
                    },
                    if front.contains(&i) {
                        ", on the front"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        format!(
            "Scatter of monthly cost against {}, one point per strategy: {}.",
            self.x_label,
            points.join("; ")
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let plot = with_legend(&titled(area, &self.title)?, &self.legend())?;
        let axis = self.time_axis();
        let (min_usd, max_usd, usd_ticks) = self.usd_axis();
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(130)
            .build_cartesian_2d(axis.ranged(), Ticked::new(min_usd..max_usd, usd_ticks))?;
        let x_desc = axis.description(&self.x_label);
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc("cost (USD / month)")
            .x_label_formatter(&|x| axis.label(*x))
            .y_label_formatter(&|y| usd_short(*y))
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        let front = pareto_front(&self.points);
        if front.len() > 1 {
            let stairs = front_staircase(&self.points, &front);
            let stairs = stairs.into_iter().map(|(ms, usd)| (axis.x(ms), usd));
            chart.draw_series(LineSeries::new(stairs, FRONT.stroke_width(3)))?;
        }

        if let Some(objective) = self.objective_ms {
            let x = axis.x(objective);
            let dashes = dashed_segments((x, min_usd), (x, max_usd), 24);
            chart.draw_series(
                dashes
                    .into_iter()
                    .map(|seg| PathElement::new(seg.to_vec(), REFERENCE.stroke_width(3))),
            )?;
        }

        self.draw_points(&mut chart, &axis)?;
        Ok(())
    }
}

type TimeCostChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

impl ParetoChart {
    /// Draws each strategy as a marker with its label beside it; the legend gets one
    /// entry per marker kind actually used.
    fn draw_points<DB: DrawingBackend>(
        &self,
        chart: &mut TimeCostChart<'_, DB>,
        axis: &TimeAxis,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let label_font = (FONT, LABEL_SIZE).into_font().color(&BLACK);
        let meets: Vec<&StrategyPoint> =
            self.points.iter().filter(|p| p.meets_objectives).collect();
        let misses: Vec<&StrategyPoint> =
            self.points.iter().filter(|p| !p.meets_objectives).collect();
        let position = |p: &StrategyPoint| {
            (
                p.time_ms.map_or(axis.never_x(), |ms| axis.x(ms)),
                p.monthly_usd,
            )
        };
        if !meets.is_empty() {
            chart.draw_series(
                meets
                    .iter()
                    .map(|p| Circle::new(position(p), 11, MEETS.filled())),
            )?;
        }
        if !misses.is_empty() {
            chart.draw_series(
                misses
                    .iter()
                    .map(|p| TriangleMarker::new(position(p), 13, MISSES.stroke_width(4))),
            )?;
        }
        let (lo, hi) = (axis.ranged_bounds().0, axis.right_edge());
        // Pixel boxes of the labels placed so far: two strategies with nearly the same
        // cost and time would otherwise print their names on top of each other.
        // Markers count as placed, so no label covers another strategy's point.
        let mut placed: Vec<[i32; 4]> = (self.points.iter())
            .map(|p| {
                let (x, y) = chart.backend_coord(&position(p));
                [x - 14, y - 14, x + 14, y + 14]
            })
            .collect();
        let mut labels = Vec::with_capacity(self.points.len());
        let (_, y_range) = chart.plotting_area().get_pixel_range();
        for p in &self.points {
            let at = position(p);
            // Labels sit above the point, clear of the front's horizontal step; in the
            // right quarter they extend leftwards so they stay on the chart.
            let leftwards = at.0 > lo + (hi - lo) * 0.75;
            let text = match p.time_ms {
                None => format!("{} (never recovers) \u{2192}", p.label),
                Some(_) => p.label.clone(),
            };
            let (h, dx) = if leftwards {
                (HPos::Right, -10)
            } else {
                (HPos::Left, 10)
            };
            let (px, py) = chart.backend_coord(&at);
            // A rough width: sans-serif averages a little over half the size per glyph.
            let width = (text.chars().count() as f64 * f64::from(LABEL_SIZE) * 0.58) as i32;
            let height = LABEL_SIZE as i32;
            let left = if leftwards { px + dx - width } else { px + dx };
            // Above first; then below; then further away on either side.
            let candidates = [
                (-12, VPos::Bottom),
                (16, VPos::Top),
                (-12 - height - 4, VPos::Bottom),
                (16 + height + 4, VPos::Top),
            ];
            let boxed = |(dy, v): (i32, VPos)| {
                let top = match v {
                    VPos::Bottom => py + dy - height,
                    _ => py + dy,
                };
                [left, top, left + width, top + height]
            };
            let own = [px - 14, py - 14, px + 14, py + 14];
            let overlaps = |b: &[i32; 4]| {
                (placed.iter())
                    .filter(|o| **o != own)
                    .any(|o| b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3])
            };
            // Inside the plot: below it are the tick labels.
            let inside = |b: &[i32; 4]| b[1] >= y_range.start && b[3] <= y_range.end;
            let (dy, v) = (candidates.iter().copied())
                .find(|c| inside(&boxed(*c)) && !overlaps(&boxed(*c)))
                .or_else(|| candidates.iter().copied().find(|c| inside(&boxed(*c))))
                .unwrap_or(candidates[0]);
            placed.push(boxed((dy, v)));
            let font = label_font.clone().pos(Pos::new(h, v));
            labels.push(EmptyElement::at(at) + Text::new(text, (dx, dy), font));
        }
        chart.draw_series(labels)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::render_svg;
    use crate::present::charts::test_svg::{count, parse, polyline_lengths, svg_colour, texts};

    fn point(label: &str, minutes: Option<f64>, usd: f64, meets: bool) -> StrategyPoint {
        StrategyPoint {
            label: label.into(),
            time_ms: minutes.map(|m| m * 60_000.0),
            monthly_usd: usd,
            meets_objectives: meets,
        }
    }

    pub(crate) fn sample() -> ParetoChart {
        ParetoChart {
            title: "Cost versus RTO p99".into(),
            x_label: "RTO p99".into(),
            points: vec![
                point("Backup & restore", Some(720.0), 400.0, false),
                point("Pilot light", Some(90.0), 2_100.0, false),
                point("Warm standby", Some(15.0), 6_500.0, true),
                point("Warm standby (oversized)", Some(20.0), 9_000.0, true),
                point("Active/active", Some(1.5), 14_000.0, true),
                point("Cold copy only", None, 150.0, false),
            ],
            objective_ms: Some(3_600_000.0),
        }
    }

    #[test]
    fn front_excludes_dominated_and_never_recovering_points() {
        let chart = sample();
        // Oversized warm standby is slower AND dearer than warm standby: dominated.
        // Cold copy is cheapest but never recovers: not a trade-off.
        assert_eq!(pareto_front(&chart.points), vec![4, 2, 1, 0]);
    }

    #[test]
    fn front_edge_cases() {
        assert!(pareto_front(&[]).is_empty());
        let same = vec![
            point("a", Some(10.0), 100.0, true),
            point("b", Some(10.0), 100.0, true),
        ];
        assert_eq!(pareto_front(&same), vec![0, 1], "ties dominate neither way");
        let equal_time = vec![
            point("cheap", Some(10.0), 100.0, true),
            point("dear", Some(10.0), 200.0, true),
        ];
        assert_eq!(pareto_front(&equal_time), vec![0]);
    }

    #[test]
    fn staircase_steps_right_then_down() {
        let points = vec![
            point("fast", Some(1.0), 300.0, true),
            point("slow", Some(10.0), 100.0, true),
        ];
        let stairs = front_staircase(&points, &pareto_front(&points));
        assert_eq!(
            stairs,
            vec![(60_000.0, 300.0), (600_000.0, 300.0), (600_000.0, 100.0)]
        );
    }

    #[test]
    fn every_strategy_is_drawn_and_labelled() {
        let chart = sample();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let meets = chart.points.iter().filter(|p| p.meets_objectives).count();
        // One filled circle per meeting strategy plus the legend sample.
        assert_eq!(count(&doc, "circle", "fill", &svg_colour(MEETS)), meets + 1);
        // The front: one polyline with 2 points per front member less one, plus legend.
        let front = polyline_lengths(&doc, &svg_colour(FRONT));
        assert_eq!(front.len(), 2, "{front:?}");
        assert!(front.contains(&(2 * 4 - 1)), "{front:?}");
        let texts = texts(&doc);
        for p in &chart.points {
            assert!(texts.iter().any(|t| t.starts_with(&p.label)), "{}", p.label);
        }
        assert!(texts.contains(&"Cold copy only (never recovers) \u{2192}".to_string()));
        assert!(texts.contains(&"objective 1h".to_string()), "{texts:?}");
    }
}
