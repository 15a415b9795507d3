//! Monthly cost per strategy as bars stacked by component (compute, database, backups...),
//! so a reviewer sees both the total and what drives it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::Ticked;
use super::{Chart, ChartError, FONT, LABEL_SIZE, TICK_SIZE, series_colour, titled, usd_ticks};
use crate::present::format::usd_short;

/// Stacked monthly cost bars, one bar per strategy.
#[derive(Clone, Debug, Default)]
pub struct CostBarsChart {
    /// Chart title, e.g. "Steady-state monthly cost".
    pub title: String,
    /// (strategy label, [(component, USD per month)]) in display order, left to right.
    pub strategies: Vec<(String, Vec<(String, f64)>)>,
    /// When set, the bars are what each strategy adds over this baseline strategy, per
    /// component: a cost every strategy pays alike (internet egress) drops out. Savings
    /// (negative parts) are not drawn but are netted in the signed total over each bar.
    pub increment_over: Option<String>,
}

impl CostBarsChart {
    /// Every component name in first-seen order; a component keeps its colour in every
    /// bar because the colour comes from this list, not from its position in one bar.
    pub fn components(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for (_, parts) in &self.strategies {
            for (component, _) in parts {
                if !seen.contains(component) {
                    seen.push(component.clone());
                }
            }
        }
        seen
    }

    fn max_total(&self) -> f64 {
        self.strategies
            .iter()
            .map(|(_, parts)| parts.iter().map(|p| p.1.max(0.0)).sum::<f64>())
            .fold(0.0, f64::max)
    }
}

/// Share of each slot a bar fills; the rest is the gap between bars.
const BAR_WIDTH: f64 = 0.6;

impl Chart for CostBarsChart {
    fn title(&self) -> String {
        self.title.clone()
    }

    fn description(&self) -> String {
        let bars: Vec<String> = (self.strategies.iter())
            .map(|(name, parts)| format!("{name} {}", self.total_text(parts)))
            .collect();
        format!(
            "Bars of monthly cost per strategy, stacked by component ({}): {}.",
            self.components().join(", "),
            bars.join(", ")
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let legend: Vec<LegendEntry> = (self.components().into_iter().enumerate())
            .map(|(c, name)| LegendEntry::new(name, Swatch::Block(series_colour(c))))
            .collect();
        let plot = with_legend(&titled(area, &self.title)?, &legend)?;
        let bars = self.strategies.len().max(1) as f64;
        // Room above the tallest bar for its total label.
        let top = if self.max_total() > 0.0 {
            self.max_total() * 1.15
        } else {
            100.0
        };
        let centres: Vec<f64> = (0..self.strategies.len()).map(|i| i as f64 + 0.5).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .x_label_area_size(80)
            .y_label_area_size(130)
            .build_cartesian_2d(
                Ticked::new(0.0..bars, centres),
                Ticked::new(0.0..top, usd_ticks(top)),
            )?;
        let strategy_name = |x: &f64| {
            let index = x.floor() as usize;
            self.strategies
                .get(index)
                .map_or(String::new(), |s| s.0.clone())
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .y_desc(match self.increment_over {
                None => "cost (USD / month)".to_string(),
                Some(ref base) => format!("added over {base} (USD / month)"),
            })
            .x_desc("strategy")
            .x_label_formatter(&strategy_name)
            .y_label_formatter(&|y| usd_short(*y))
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        let components = self.components();
        for (c, component) in components.iter().enumerate() {
            let colour = series_colour(c);
            let segments = self.segments(c, component);
            chart.draw_series(
                segments
                    .into_iter()
                    .map(|(x0, y0, x1, y1)| Rectangle::new([(x0, y0), (x1, y1)], colour.filled())),
            )?;
        }

        let total_font = (FONT, LABEL_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        chart.draw_series(self.strategies.iter().enumerate().map(|(i, (_, parts))| {
            let stacked: f64 = parts.iter().map(|p| p.1.max(0.0)).sum();
            Text::new(
                self.total_text(parts),
                (i as f64 + 0.5, stacked),
                total_font.clone(),
            )
        }))?;
        Ok(())
    }
}

impl CostBarsChart {
    /// The label over a bar: its total, or for increments the net difference with its
    /// sign ("+$1.2k", "$0").
    fn total_text(&self, parts: &[(String, f64)]) -> String {
        match self.increment_over {
            None => usd_short(parts.iter().map(|p| p.1.max(0.0)).sum()),
            Some(_) => {
                let net: f64 = parts.iter().map(|p| p.1).sum();
                if net.round() > 0.0 {
                    format!("+{}", usd_short(net))
                } else if net.round() < 0.0 {
                    format!("-{}", usd_short(-net))
                } else {
                    "$0".into()
                }
            }
        }
    }

    /// The rectangles (x0, y0, x1, y1) of one component across all bars, stacked in
    /// component order so every bar has the same layering. Zero and negative amounts
    /// (credits) draw nothing.
    fn segments(&self, component_index: usize, component: &str) -> Vec<(f64, f64, f64, f64)> {
        let order = self.components();
        self.strategies
            .iter()
            .enumerate()
            .filter_map(|(i, (_, parts))| {
                let amount = |name: &str| {
                    parts
                        .iter()
                        .filter(|p| p.0 == name)
                        .map(|p| p.1.max(0.0))
                        .sum::<f64>()
                };
                let below: f64 = order[..component_index].iter().map(|n| amount(n)).sum();
                let height = amount(component);
                let x0 = i as f64 + 0.5 - BAR_WIDTH / 2.0;
                (height > 0.0).then_some((x0, below, x0 + BAR_WIDTH, below + height))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::render_svg;
    use crate::present::charts::samples;
    use crate::present::charts::test_svg::{count, parse, svg_colour, texts};

    #[test]
    fn one_rectangle_per_strategy_and_component_with_stable_colours() {
        let chart = samples::cost_bars();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let components = chart.components();
        assert_eq!(components.len(), 4);
        for (c, _) in components.iter().enumerate() {
            // One segment per strategy plus the legend swatch.
            let rects = count(&doc, "rect", "fill", &svg_colour(series_colour(c)));
            assert_eq!(rects, chart.strategies.len() + 1, "component {c}");
        }
        let texts = texts(&doc);
        for (name, _) in &chart.strategies {
            assert!(texts.contains(name), "{name} missing from {texts:?}");
        }
        assert!(texts.iter().any(|t| t == "cost (USD / month)"));
    }

    #[test]
    fn components_stack_in_the_same_order_in_every_bar() {
        let chart = CostBarsChart {
            title: "t".into(),
            strategies: vec![
                (
                    "a".into(),
                    vec![("db".into(), 10.0), ("compute".into(), 5.0)],
                ),
                (
                    "b".into(),
                    vec![("compute".into(), 7.0), ("db".into(), 1.0)],
                ),
            ],
            increment_over: None,
        };
        assert_eq!(chart.components(), vec!["db", "compute"]);
        let compute = chart.segments(1, "compute");
        assert_eq!(compute[0].1, 10.0, "compute sits on top of db in bar a");
        assert_eq!(compute[1].1, 1.0, "and in bar b");
        assert_eq!(compute[1].3, 8.0);
    }
}
