//! Exceedance curves (1 - CDF) on a log probability axis: "the share of disasters still
//! not recovered after x", or "the chance in a year of losing more than $x".
//!
//! On a linear CDF every difference between good strategies sits in the top 90-100%
//! band; on a log scale the 10%, 1% and 0.1% tails each get the same height, so the
//! strategies that meet a 99% objective and those that miss it separate. The objective is
//! a point (target time, 1 - confidence) and the shaded box above and right of it is the
//! miss zone: a curve enters it exactly when the strategy misses.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::labels::Placer;
use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::{Ticked, TimeAxis};
use super::{
    Chart, ChartError, FONT, LABEL_SIZE, REFERENCE, TICK_SIZE, dotted_segments, series_colour,
    series_dashes, titled,
};
use crate::present::format::{format_duration, percent_1dp, percent_trimmed, usd_short};

/// What the x axis measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum XUnit {
    /// Milliseconds, ticked as durations ("30m", "2h").
    #[default]
    Time,
    /// US dollars, ticked by decade ("$1k", "$10k").
    Usd,
}

/// Exceedance curves, one per strategy.
#[derive(Clone, Debug, Default)]
pub struct ExceedanceChart {
    /// Chart title.
    pub title: String,
    /// X axis label, e.g. "time to recover".
    pub x_label: String,
    /// Y axis label, e.g. "share of disasters not yet recovered".
    pub y_label: String,
    /// What x measures.
    pub unit: XUnit,
    /// One curve per strategy, drawn in palette order.
    pub series: Vec<ExceedanceSeries>,
    /// The objectives as points: at most `share` beyond `x`; one for every series, or
    /// one per series when the strategies' objectives differ.
    pub targets: Vec<Target>,
    /// When set, a "0" column left of the log axis shows each series' chance of
    /// exceeding zero (e.g. of losing any data at all), with this legend wording
    /// (e.g. "lose data"): a log axis cannot place zero.
    pub zero_label: Option<String>,
}

/// One strategy's exceedance step function.
#[derive(Clone, Debug, Default)]
pub struct ExceedanceSeries {
    /// Strategy name, on the curve and in the legend.
    pub label: String,
    /// (x, P(X > x)) ascending in x, positive x only; P holds until the next point.
    pub points: Vec<(f64, f64)>,
    /// P(X > 0).
    pub above_zero: f64,
}

impl ExceedanceSeries {
    /// From a step CDF (x, P(X <= x)) ascending in x, as the CDF charts draw it.
    pub fn from_cdf(label: impl Into<String>, cdf: &[(f64, f64)]) -> Self {
        let at_zero = (cdf.iter())
            .filter(|p| p.0 <= 0.0)
            .map(|p| p.1)
            .fold(0.0, f64::max);
        // A CDF summed from per-trial shares can end at 0.9999999999: that is all of it.
        let beyond = |f: f64| if 1.0 - f < 1e-9 { 0.0 } else { 1.0 - f };
        Self {
            label: label.into(),
            points: (cdf.iter())
                .filter(|p| p.0 > 0.0)
                .map(|&(x, f)| (x, beyond(f)))
                .collect(),
            above_zero: beyond(at_zero),
        }
    }

    /// The share still beyond the last point: outcomes that never happened (never
    /// recovered, data never restored), drawn to the right edge.
    fn tail(&self) -> f64 {
        self.points.last().map_or(self.above_zero, |p| p.1)
    }
}

/// The objective as a point on the chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Target {
    /// The objective's x (ms or USD).
    pub x: f64,
    /// The largest share allowed beyond it (1 - confidence).
    pub share: f64,
    /// How the legend names it, e.g. "RTO objective".
    pub label: String,
    /// The series it belongs to; `None`: every series.
    pub series: Option<usize>,
}

/// The x scale in chart coordinates.
enum Scale {
    Time(TimeAxis),
    /// log10 of USD.
    Usd {
        lo: f64,
        hi: f64,
    },
}

impl Scale {
    fn x(&self, v: f64) -> f64 {
        match self {
            Scale::Time(axis) => axis.x(v),
            Scale::Usd { lo, .. } => {
                if v > 0.0 {
                    v.log10().max(*lo)
                } else {
                    *lo
                }
            }
        }
    }

    fn bounds(&self) -> (f64, f64) {
        match self {
            Scale::Time(axis) => axis.ranged_bounds(),
            Scale::Usd { lo, hi } => (*lo, *hi),
        }
    }

    fn log(&self) -> bool {
        match self {
            Scale::Time(axis) => axis.log,
            Scale::Usd { .. } => true,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        match self {
            Scale::Time(axis) => axis.ticks(),
            Scale::Usd { lo, hi } => (lo.ceil() as i32..=hi.floor() as i32)
                .map(f64::from)
                .collect(),
        }
    }

    fn label(&self, x: f64) -> String {
        match self {
            Scale::Time(axis) => axis.label(x),
            Scale::Usd { .. } => usd_short(10f64.powf(x).round()),
        }
    }

    fn value_text(&self, v: f64) -> String {
        match self {
            Scale::Time(_) => format_duration(v),
            Scale::Usd { .. } => usd_short(v),
        }
    }
}

/// The smallest share the y axis shows.
const MIN_FLOOR: f64 = 1e-5;

/// A decade as a percentage: "10%", "1%", "0.01%".
fn decade_label(log_share: f64) -> String {
    percent_trimmed(10f64.powf(log_share))
}

impl ExceedanceChart {
    /// How to read it, for the figure caption.
    pub fn caption(&self) -> String {
        let mut text = String::from(match self.unit {
            XUnit::Time => {
                "The share of outcomes beyond each value, on a log scale so the 10%, 1% and \
                 0.1% tails get equal room: lower and further left is better. A curve that \
                 runs to the right edge never got there in some trials."
            }
            XUnit::Usd => {
                "The chance in a year that some disaster costs more than each amount, from \
                 the disasters' frequencies and each simulated disaster's loss (downtime and \
                 lost data at the model's rates): lower and further left is better. Several \
                 disasters in one year are not added up, so the chance that the year's total \
                 exceeds an amount is at least this."
            }
        });
        match self.shared_target() {
            Some(_) => text.push_str(
                " The cross is the objective (its time, and the share allowed beyond it); a \
                 curve that enters the shaded box misses it.",
            ),
            None if !self.targets.is_empty() => text.push_str(
                " Each strategy has its own objective, a cross in its colour and with its \
                 name (at the objective's time, and the share allowed beyond it): a strategy \
                 meets it when its curve passes below its cross.",
            ),
            None => {}
        }
        if self.zero_label.is_some() {
            text.push_str(
                " The \"0\" column left of the break is each strategy's chance of losing any \
                 data at all.",
            );
        }
        text
    }

    fn scale(&self) -> Scale {
        let values = (self.series.iter())
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .chain(self.targets.iter().map(|t| t.x));
        match self.unit {
            XUnit::Time => Scale::Time(TimeAxis::covering(values, false)),
            XUnit::Usd => {
                let positive: Vec<f64> = values.filter(|v| *v > 0.0 && v.is_finite()).collect();
                let min = positive.iter().copied().fold(f64::INFINITY, f64::min);
                let max = positive.iter().copied().fold(0.0, f64::max);
                let (min, max) = if max > 0.0 { (min, max) } else { (1.0, 1e3) };
                Scale::Usd {
                    lo: min.log10().floor().min(max.log10() - 1.0),
                    hi: (max * 1.5).log10(),
                }
            }
        }
    }

    /// The lowest decade shown: the smallest positive share drawn (the Monte Carlo
    /// resolution, one trial in the sample) or the target, at least 1% and at most
    /// [`MIN_FLOOR`].
    fn floor(&self) -> f64 {
        let smallest = (self.series.iter())
            .flat_map(|s| s.points.iter().map(|p| p.1).chain([s.above_zero]))
            .chain(self.targets.iter().map(|t| t.share))
            .filter(|p| *p > 0.0)
            .fold(0.01, f64::min)
            .max(MIN_FLOOR);
        10f64.powf(smallest.log10().floor())
    }

    /// The "0" column's x in chart coordinates, left of the log axis, if drawn.
    fn zero_x(&self, scale: &Scale) -> Option<f64> {
        self.zero_label.as_ref()?;
        let (lo, hi) = scale.bounds();
        Some(if scale.log() {
            lo - (hi - lo) * 0.06
        } else {
            lo
        })
    }

    /// The one objective every series shares, if so.
    fn shared_target(&self) -> Option<&Target> {
        match self.targets.as_slice() {
            [only] if only.series.is_none() => Some(only),
            _ => None,
        }
    }

    /// "objective: at most 1% beyond 15m", or the strategy's name for its own.
    fn target_text(&self, t: &Target, scale: &Scale) -> String {
        let whose = (t.series.and_then(|i| self.series.get(i)))
            .map_or("objective".into(), |s| s.label.clone());
        format!(
            "{whose}: at most {} beyond {}",
            percent_trimmed(t.share),
            scale.value_text(t.x)
        )
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = (self.series.iter().enumerate())
            .map(|(i, s)| {
                let text = match &self.zero_label {
                    Some(what) => format!("{}: {} {what}", s.label, percent_1dp(s.above_zero)),
                    None => s.label.clone(),
                };
                LegendEntry::new(text, Swatch::Line(series_colour(i)))
            })
            .collect();
        if let Some(t) = self.shared_target() {
            entries.push(LegendEntry::new(
                format!("{}: miss zone", t.label),
                Swatch::Block(MISS_ZONE),
            ));
        }
        entries
    }

    /// The step path of one series in chart coordinates (x, log10 share), from the
    /// zero column (or the first point) to where it drops below the floor, or to the
    /// right edge when a share never ends (never recovered).
    fn path(&self, s: &ExceedanceSeries, scale: &Scale, floor: f64) -> Vec<(f64, f64)> {
        let y = |p: f64| p.max(floor).log10();
        let mut path = Vec::with_capacity(2 * s.points.len() + 2);
        let mut last = match self.zero_x(scale) {
            Some(x0) => {
                path.push((x0, y(s.above_zero)));
                s.above_zero
            }
            None => 1.0,
        };
        for &(x, p) in &s.points {
            let x = scale.x(x);
            path.push((x, y(last)));
            path.push((x, y(p)));
            last = p;
            if p < floor {
                return path;
            }
        }
        if s.tail() >= floor {
            path.push((scale.bounds().1, y(s.tail())));
        }
        path
    }

    /// Where a series' name goes: the last point of its path still above the floor.
    fn label_anchor(path: &[(f64, f64)], floor: f64) -> Option<(f64, f64)> {
        let floor = floor.log10();
        (path.iter().rev())
            .find(|p| p.1 > floor + 1e-9)
            .or(path.last())
            .copied()
    }
}

/// Light vermillion: the region where a curve misses the objective.
const MISS_ZONE: RGBColor = RGBColor(0xF6, 0xD5, 0xC2);

impl Chart for ExceedanceChart {
    fn description(&self) -> String {
        let mut text = format!(
            "Exceedance curves on a log scale: {} against {}, one curve per strategy \
             ({}).",
            self.y_label,
            self.x_label,
            (self.series.iter())
                .map(|s| s.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let scale = self.scale();
        for t in &self.targets {
            text.push_str(&format!(" {}.", self.target_text(t, &scale)));
        }
        text
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn dashes(&self) -> Vec<(RGBColor, &'static str)> {
        series_dashes(self.series.len())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let plot = with_legend(&titled(area, &self.title)?, &self.legend())?;
        let scale = self.scale();
        let floor = self.floor();
        let (lo, hi) = scale.bounds();
        let zero_x = self.zero_x(&scale);
        let left = zero_x.map_or(lo, |z| z - (hi - lo) * 0.03);
        let mut x_ticks = scale.ticks();
        if let Some(z) = zero_x.filter(|_| scale.log()) {
            x_ticks.insert(0, z);
        }
        let y_lo = floor.log10() - 0.15;
        let y_ticks: Vec<f64> = (floor.log10().round() as i32..=0).map(f64::from).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(130)
            .build_cartesian_2d(
                Ticked::new(left..hi, x_ticks),
                Ticked::new(y_lo..0.12, y_ticks),
            )?;
        let is_zero = |x: f64| zero_x.is_some_and(|z| (x - z).abs() < 1e-9);
        let x_desc = match (self.unit, scale.log()) {
            (XUnit::Time, true) | (XUnit::Usd, _) => format!("{} (log scale)", self.x_label),
            (XUnit::Time, false) => self.x_label.clone(),
        };
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(format!("{} (log scale)", self.y_label))
            .x_label_formatter(&|x| {
                if is_zero(*x) {
                    "0".into()
                } else {
                    scale.label(*x)
                }
            })
            .y_label_formatter(&|y| decade_label(*y))
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        if let Some(t) = self.shared_target() {
            let (x, y) = (scale.x(t.x), t.share.max(floor).log10());
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, y), (hi, 0.12)],
                MISS_ZONE.filled(),
            )))?;
        }
        if let (Some(z), true) = (zero_x, scale.log()) {
            // The axis break between the "0" column and the log axis.
            let gap = (z + lo) / 2.0;
            let dots = dotted_segments((gap, y_lo), (gap, 0.12), 30);
            chart.draw_series(
                (dots.into_iter())
                    .map(|seg| PathElement::new(seg.to_vec(), REFERENCE.stroke_width(1))),
            )?;
        }

        let mut placer = Placer::default();
        let (px0, py0) = chart.backend_coord(&(left, 0.12));
        let (px1, py1) = chart.backend_coord(&(hi, y_lo));
        let bounds = [px0, py0, px1, py1];
        let mut anchors = Vec::new();
        for (i, s) in self.series.iter().enumerate() {
            let colour = series_colour(i);
            let path = self.path(s, &scale, floor);
            chart.draw_series(LineSeries::new(
                path.iter().copied(),
                colour.stroke_width(4),
            ))?;
            if let Some(z) = zero_x {
                let at = (z, s.above_zero.max(floor).log10());
                chart.draw_series(std::iter::once(Circle::new(at, 8, colour.filled())))?;
                let (x, y) = chart.backend_coord(&at);
                placer.take([x - 9, y - 9, x + 9, y + 9]);
            }
            anchors.push(Self::label_anchor(&path, floor));
        }
        let crosses: Vec<_> = (self.targets.iter())
            .map(|t| (t, (scale.x(t.x), t.share.max(floor).log10())))
            .collect();
        for (t, at) in &crosses {
            let colour = t.series.map_or(REFERENCE, series_colour);
            chart.draw_series(std::iter::once(Cross::new(*at, 12, colour.stroke_width(4))))?;
            let (x, y) = chart.backend_coord(at);
            placer.take([x - 13, y - 13, x + 13, y + 13]);
        }
        for (t, at) in crosses {
            // Per strategy, the cross carries the name; the description has the rest.
            let text = match t.series.and_then(|i| self.series.get(i)) {
                Some(s) => s.label.clone(),
                None => self.target_text(t, &scale),
            };
            self.draw_label(&mut chart, &mut placer, text, at, bounds, true)?;
        }
        for (s, anchor) in self.series.iter().zip(anchors) {
            if let Some(at) = anchor {
                let text = s.label.clone();
                self.draw_label(&mut chart, &mut placer, text, at, bounds, false)?;
            }
        }
        Ok(())
    }
}

type LogChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Ticked, Ticked>>;

impl ExceedanceChart {
    fn draw_label<DB: DrawingBackend>(
        &self,
        chart: &mut LogChart<'_, DB>,
        placer: &mut Placer,
        text: String,
        at: (f64, f64),
        bounds: [i32; 4],
        over: bool,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let font = (FONT, LABEL_SIZE)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let (w, h) = chart.plotting_area().estimate_text_size(&text, &font)?;
        let (size, anchor) = ((w as i32, h as i32), chart.backend_coord(&at));
        let placed = if over {
            placer.place_over(size, anchor, bounds)
        } else {
            placer.place(size, anchor, bounds)
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Text::new(text, placed.offset, font),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::render_svg;
    use crate::present::charts::test_svg::{parse, texts};

    /// 1000 trials: 900 recover at 1m, 90 at 10m, 9 at 1h, 1 never.
    fn series(label: &str, scale: f64) -> ExceedanceSeries {
        let m = 60_000.0 * scale;
        let cdf = [(m, 0.0), (m, 0.9), (10.0 * m, 0.99), (60.0 * m, 0.999)];
        ExceedanceSeries::from_cdf(label, &cdf)
    }

    fn sample() -> ExceedanceChart {
        ExceedanceChart {
            title: "Not yet recovered".into(),
            x_label: "time since the disaster".into(),
            y_label: "share not recovered".into(),
            unit: XUnit::Time,
            series: vec![series("fast", 1.0), series("slow", 3.0)],
            targets: vec![Target {
                x: 900_000.0,
                share: 0.01,
                label: "RTO objective".into(),
                series: None,
            }],
            zero_label: None,
        }
    }

    #[test]
    fn exceedance_is_one_minus_the_cdf() {
        let s = series("a", 1.0);
        assert_eq!(s.points[0], (60_000.0, 1.0));
        assert_eq!(s.points[1], (60_000.0, 0.09999999999999998));
        assert!((s.tail() - 0.001).abs() < 1e-12, "one trial in 1000 never");
        assert_eq!(s.above_zero, 1.0);
    }

    /// Instance failures lose no data, but their CDF, summed from per-trial shares,
    /// reached 0.9999999999999 at zero: the report drew an RPO chart of "0.0% lose data"
    /// with its axis down to 0.001%.
    #[test]
    fn float_noise_at_the_top_of_a_cdf_is_nothing_beyond() {
        let s = ExceedanceSeries::from_cdf("a", &[(0.0, 0.0), (0.0, 1.0 - 1e-13)]);
        assert_eq!(s.above_zero, 0.0);
    }

    #[test]
    fn the_floor_reaches_the_smallest_share_drawn() {
        // 0.001 never recovered: the axis must go down to 0.1%.
        assert_eq!(sample().floor(), 0.001);
        let mut shallow = sample();
        shallow.series.clear();
        shallow.targets.clear();
        assert_eq!(shallow.floor(), 0.01, "1% is always shown");
    }

    #[test]
    fn a_never_recovered_share_runs_to_the_right_edge() {
        let chart = sample();
        let scale = chart.scale();
        let path = chart.path(&chart.series[0], &scale, chart.floor());
        let last = *path.last().unwrap();
        assert_eq!(last.0, scale.bounds().1);
        assert!((last.1 - (-3.0)).abs() < 1e-9, "at 0.1%: {last:?}");
    }

    #[test]
    fn target_and_labels_are_drawn() {
        let svg = render_svg(&sample()).unwrap();
        let doc = parse(&svg);
        let texts = texts(&doc);
        assert!(
            texts.contains(&"objective: at most 1% beyond 15m".to_string()),
            "{texts:?}"
        );
        assert!(texts.contains(&"fast".to_string()) && texts.contains(&"slow".to_string()));
        for decade in ["100%", "10%", "1%", "0.1%"] {
            assert!(texts.contains(&decade.to_string()), "{decade}: {texts:?}");
        }
    }

    #[test]
    fn the_zero_column_shows_the_share_above_zero() {
        let mut chart = sample();
        // 98% lose nothing, 2% lose 5m.
        chart.series = vec![ExceedanceSeries::from_cdf(
            "a",
            &[(0.0, 0.0), (0.0, 0.98), (300_000.0, 1.0)],
        )];
        chart.zero_label = Some("lose data".into());
        assert!((chart.series[0].above_zero - 0.02).abs() < 1e-12);
        let svg = render_svg(&chart).unwrap();
        let texts = texts(&parse(&svg));
        assert!(texts.contains(&"0".to_string()), "{texts:?}");
        assert!(
            texts.contains(&"a: 2.0% lose data".to_string()),
            "{texts:?}"
        );
    }
}
