//! The trace of one simulated disaster: what was happening when (a Gantt chart of
//! activity spans with instant markers), and under it, on the same time axis, the share
//! of requests that succeeded. Reviewers use it to see where recovery time goes.

use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{LegendEntry, Swatch, with_legend};
use super::time_axis::{Ticked, TimeAxis};
use super::{
    Chart, ChartError, FONT, LABEL_SIZE, REFERENCE, TICK_SIZE, dashed_segments, dotted_segments,
    titled,
};
use crate::present::format::{format_duration, percent_0dp};

/// One disaster's trace.
#[derive(Clone, Debug, Default)]
pub struct TimelineChart {
    /// Chart title, e.g. "Warm standby: typical (median) disaster".
    pub title: String,
    /// Activity spans; each distinct `row` gets one line, in first-seen order, top down.
    pub spans: Vec<Span>,
    /// Instants such as "alarm" or "recovered (RTO)".
    pub markers: Vec<Marker>,
    /// (time in ms, share of requests succeeding 0..=1), ascending in time.
    pub success: Vec<(f64, f64)>,
    /// The success share at which the service counts as recovered, e.g. 0.95.
    pub threshold: f64,
    /// The RTO objective, ms since the disaster began, drawn as a vertical line across
    /// both panels; `None`: not drawn.
    pub objective_ms: Option<f64>,
    /// The objective line's label, e.g. "RTO objective (30m)".
    pub objective_label: String,
    /// Where the trace was cut: spans ending there carry on past the chart and get a
    /// continuation mark. `None`: nothing was cut.
    pub cut_at_ms: Option<f64>,
}

/// An activity that lasted a while, e.g. "DB promotion" from 4m to 7.5m.
#[derive(Clone, Debug)]
pub struct Span {
    /// Row name, e.g. "region us-east-1 down".
    pub row: String,
    /// Start, in ms since the disaster began.
    pub start_ms: f64,
    /// End, in ms since the disaster began.
    pub end_ms: f64,
    /// What sort of activity it is; sets the colour.
    pub kind: SpanKind,
}

/// The sort of activity a span is, so the same sort has the same colour in every trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// The failure itself: a region, zone or component down.
    Fault,
    /// Noticing: health checks failing, alarms evaluating.
    Detection,
    /// Deciding to fail over: automation or a human on call.
    Decision,
    /// Moving traffic: DNS TTLs expiring, clients reconnecting.
    Traffic,
    /// Getting capacity: instances launching, warm pools scaling.
    Capacity,
    /// Data: database promotion, replication catch-up, restore from backup.
    Data,
    /// Failing back home after a promotion: planned, not part of the RTO.
    FailBack,
}

impl SpanKind {
    const ALL: [SpanKind; 7] = [
        SpanKind::Fault,
        SpanKind::Detection,
        SpanKind::Decision,
        SpanKind::Traffic,
        SpanKind::Capacity,
        SpanKind::Data,
        SpanKind::FailBack,
    ];

    /// The legend name.
    pub fn name(self) -> &'static str {
        match self {
            SpanKind::Fault => "fault",
            SpanKind::Detection => "detection",
            SpanKind::Decision => "decision",
            SpanKind::Traffic => "traffic",
            SpanKind::Capacity => "capacity",
            SpanKind::Data => "data",
            SpanKind::FailBack => "fail-back",
        }
    }

    /// Okabe-Ito colour for the kind; the fault is vermillion, the colour of trouble.
    pub fn colour(self) -> RGBColor {
        match self {
            SpanKind::Fault => RGBColor(0xD5, 0x5E, 0x00),
            SpanKind::Detection => RGBColor(0xE6, 0x9F, 0x00),
            SpanKind::Decision => RGBColor(0xCC, 0x79, 0xA7),
            SpanKind::Traffic => RGBColor(0x56, 0xB4, 0xE9),
            SpanKind::Capacity => RGBColor(0x00, 0x9E, 0x73),
            SpanKind::Data => RGBColor(0x00, 0x72, 0xB2),
            SpanKind::FailBack => RGBColor(0xF0, 0xE4, 0x42),
        }
    }
}

/// An instant worth pointing at, e.g. "alarm" or "recovered (RTO)".
#[derive(Clone, Debug)]
pub struct Marker {
    /// When, in ms since the disaster began.
    pub at_ms: f64,
    /// What happened.
    pub label: String,
}

/// Colour of the success line.
const SUCCESS: RGBColor = RGBColor(0x00, 0x00, 0x00);
/// Colour of marker lines: grey, so they guide the eye without hiding the bars.
const MARKER: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Dots per marker line per panel: dotted, unlike the dashed threshold, so the two
/// kinds of guide are told apart.
const MARKER_DOTS: usize = 40;
/// Colour of the objective line: a dark orange-brown, apart from the fault's vermillion
/// and the grey guides, and told apart in greyscale by its long dashes.
const OBJECTIVE: RGBColor = RGBColor(0xA8, 0x43, 0x00);
/// Dashes of the objective line per panel: long dashes, unlike the dotted markers.
const OBJECTIVE_DASHES: usize = 12;
/// Height of one line of marker labels, px, and the rows of headroom it takes.
const LABEL_LINE_PX: i32 = 28;
const LABEL_LINE_ROWS: f64 = 0.45;
/// Width of a label character, as a share of the font size (a sans-serif average).
const CHAR_WIDTH: f64 = 0.56;

impl TimelineChart {
    /// One legend for both panels: the span kinds in use, then the success line, the
    /// recovery threshold and the marker lines.
    fn legend(&self) -> Vec<LegendEntry> {
        let mut entries: Vec<LegendEntry> = SpanKind::ALL
            .into_iter()
            .filter(|k| self.spans.iter().any(|s| s.kind == *k))
            .map(|k| LegendEntry::new(k.name(), Swatch::Block(k.colour())))
            .collect();
        entries.push(LegendEntry::new(
            "requests succeeding",
            Swatch::Line(SUCCESS),
        ));
        let threshold = format!("recovered at {}", percent_0dp(self.threshold));
        entries.push(LegendEntry::new(threshold, Swatch::Dashed(REFERENCE)));
        if !self.markers.is_empty() {
            entries.push(LegendEntry::new("event", Swatch::Dotted(MARKER)));
        }
        if self.objective_ms.is_some() {
            let label = self.objective_label.clone();
            entries.push(LegendEntry::new(label, Swatch::Dashed(OBJECTIVE)));
        }
        if self.cut_spans().next().is_some() {
            entries.push(LegendEntry::new(
                "\u{25b6} continues past the chart",
                Swatch::Block(BLACK),
            ));
        }
        entries
    }

    /// Row names in first-seen order; a row whose spans all last no time would be an
    /// empty lane, so it is left out (the text log still lists it).
    pub fn rows(&self) -> Vec<String> {
        let mut rows: Vec<String> = Vec::new();
        for span in self.spans.iter().filter(|s| s.end_ms > s.start_ms) {
            if !rows.contains(&span.row) {
                rows.push(span.row.clone());
            }
        }
        rows
    }

    /// Spans that run on past the cut.
    fn cut_spans(&self) -> impl Iterator<Item = &Span> {
        let cut = self.cut_at_ms;
        (self.spans.iter())
            .filter(move |s| cut.is_some_and(|c| s.end_ms >= c && s.end_ms > s.start_ms))
    }

    /// The instants labelled above the bars: the markers, then the objective.
    fn labels(&self) -> Vec<(f64, String)> {
        let mut labels: Vec<(f64, String)> = (self.markers.iter())
            .map(|m| {
                (
                    m.at_ms,
                    format!("{} ({})", m.label, format_duration(m.at_ms)),
                )
            })
            .collect();
        if let Some(at) = self.objective_ms {
            labels.push((at, self.objective_label.clone()));
        }
        labels
    }

    /// The line of headroom each label goes on, so no two labels overlap: labels in
    /// time order, each on the first line where it clears the previous label by 12 px.
    /// `plot_px` is the plot's width in pixels, to turn text length into chart time.
    fn label_lines(&self, axis: &TimeAxis, plot_px: f64) -> Vec<usize> {
        let labels = self.labels();
        let (lo, hi) = (axis.x(0.0), axis.right_edge());
        let px = |x: f64| (x - lo) / (hi - lo) * plot_px;
        let mut order: Vec<usize> = (0..labels.len()).collect();
        order.sort_by(|&a, &b| labels[a].0.total_cmp(&labels[b].0));
        let mut line_ends: Vec<f64> = Vec::new();
        let mut lines = vec![0; labels.len()];
        for i in order {
            let (start, end) = label_extent(px(axis.x(labels[i].0)), &labels[i].1, plot_px);
            let line = match line_ends.iter().position(|&e| e + 12.0 <= start) {
                Some(line) => line,
                None => {
                    line_ends.push(f64::NEG_INFINITY);
                    line_ends.len() - 1
                }
            };
            line_ends[line] = end;
            lines[i] = line;
        }
        lines
    }

    /// A linear axis from the disaster's start: a Gantt chart on a log axis would hide
    /// how long the first minutes take.
    fn time_axis(&self) -> TimeAxis {
        let spans = self.spans.iter().flat_map(|s| [s.start_ms, s.end_ms]);
        let markers = self.markers.iter().map(|m| m.at_ms);
        let success = self.success.iter().map(|p| p.0);
        let objective = self.objective_ms.into_iter();
        TimeAxis::covering(spans.chain(markers).chain(success).chain(objective), true)
    }

    /// Width for row names, so long names are not cut and the two panels line up.
    fn label_area(&self) -> u32 {
        let longest = self
            .rows()
            .iter()
            .map(|r| r.chars().count())
            .max()
            .unwrap_or(8);
        (longest as u32 * 13 + 40).clamp(170, 460)
    }
}

impl Chart for TimelineChart {
    fn size(&self) -> (u32, u32) {
        (1280, 800)
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn description(&self) -> String {
        let markers: Vec<String> = (self.markers.iter())
            .map(|m| format!("{} at {}", m.label, format_duration(m.at_ms)))
            .collect();
        format!(
            "Timeline of one simulated disaster: {} activity spans above, the share of \
             requests succeeding below (recovered at {}). {}.",
            self.spans.len(),
            percent_0dp(self.threshold),
            markers.join(", ")
        )
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let plot = with_legend(&titled(area, &self.title)?, &self.legend())?;
        let height = plot.dim_in_pixel().1;
        let (upper, lower) = plot.split_vertically(height * 56 / 100);
        let axis = self.time_axis();
        self.draw_gantt(&upper, &axis)?;
        self.draw_success(&lower, &axis)?;
        Ok(())
    }
}

impl TimelineChart {
    fn draw_gantt<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        axis: &TimeAxis,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let rows = self.rows();
        let n = rows.len().max(1);
        // Row i is drawn at y = n-1-i so the first row is on top.
        let y_of = |row: &str| (n - 1 - rows.iter().position(|r| r == row).unwrap_or(0)) as f64;
        let plot_px = f64::from(area.dim_in_pixel().0) - 60.0 - f64::from(self.label_area());
        let lines = self.label_lines(axis, plot_px);
        let line_count = lines.iter().max().map_or(0, |l| l + 1);
        let top = n as f64 - 0.5 + 0.2 + LABEL_LINE_ROWS * line_count as f64;
        let mut chart = ChartBuilder::on(area)
            .margin(20)
            .margin_right(40)
            .x_label_area_size(0)
            .y_label_area_size(self.label_area())
            .build_cartesian_2d(
                axis.ranged(),
                Ticked::new(-0.5..top, (0..n).map(|i| i as f64).collect()),
            )?;
        let row_name = |y: &f64| {
            let i = y.round() as usize;
            rows.get(n - 1 - i.min(n - 1)).cloned().unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_label_formatter(&row_name)
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        for kind in SpanKind::ALL {
            let spans: Vec<&Span> = (self.spans.iter())
                .filter(|s| s.kind == kind && s.end_ms > s.start_ms)
                .collect();
            if spans.is_empty() {
                continue;
            }
            let colour = kind.colour();
            chart.draw_series(spans.iter().map(|s| {
                let y = y_of(&s.row);
                let (x0, x1) = (axis.x(s.start_ms), axis.x(s.end_ms.max(s.start_ms)));
                Rectangle::new([(x0, y - 0.32), (x1, y + 0.32)], colour.filled())
            }))?;
        }

        // A triangle after each bar cut at the chart's end: it carries on.
        chart.draw_series(self.cut_spans().map(|s| {
            let (x, y) = (axis.x(s.end_ms), y_of(&s.row));
            EmptyElement::at((x, y))
                + Polygon::new(vec![(2, -12), (18, 0), (2, 12)], BLACK.filled())
        }))?;
        self.draw_marker_lines(&mut chart, axis, -0.5, top)?;
        self.draw_objective_line(&mut chart, axis, -0.5, top)?;
        // Labels sit in the headroom above the first row, each on its own line where
        // it would touch another (`label_lines`).
        let (lo, hi) = (axis.x(0.0), axis.right_edge());
        let labels = self.labels();
        chart.draw_series(labels.into_iter().zip(lines).map(|((at, text), line)| {
            let x = axis.x(at);
            let right_half = label_flipped((x - lo) / (hi - lo) * plot_px, &text, plot_px);
            let anchor = if right_half { HPos::Right } else { HPos::Left };
            let font = (FONT, LABEL_SIZE)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(anchor, VPos::Top));
            let dx = if right_half { -8 } else { 8 };
            let dy = 4 + line as i32 * LABEL_LINE_PX;
            EmptyElement::at((x, top)) + Text::new(text, (dx, dy), font)
        }))?;
        Ok(())
    }

    /// The objective's vertical line from `y0` to `y1`, in long dashes.
    fn draw_objective_line<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
        axis: &TimeAxis,
        y0: f64,
        y1: f64,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let Some(at) = self.objective_ms else {
            return Ok(());
        };
        let x = axis.x(at);
        let dashes = dashed_segments((x, y0), (x, y1), OBJECTIVE_DASHES);
        chart.draw_series(
            dashes
                .into_iter()
                .map(|seg| PathElement::new(seg.to_vec(), OBJECTIVE.stroke_width(3))),
        )?;
        Ok(())
    }

    fn draw_success<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        axis: &TimeAxis,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let mut chart = ChartBuilder::on(area)
            .margin(20)
            .margin_top(0)
            .margin_right(40)
            .x_label_area_size(80)
            .y_label_area_size(self.label_area())
            .build_cartesian_2d(
                axis.ranged(),
                Ticked::new(0.0..1.08, vec![0.0, 0.25, 0.5, 0.75, 1.0]),
            )?;
        chart
            .configure_mesh()
            .x_desc("time since the disaster began")
            .y_desc("requests OK")
            .x_label_formatter(&|x| axis.label(*x))
            .y_label_formatter(&|y| percent_0dp(*y))
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .bold_line_style(RGBColor(0xDD, 0xDD, 0xDD))
            .draw()?;

        self.draw_marker_lines(&mut chart, axis, 0.0, 1.08)?;
        self.draw_objective_line(&mut chart, axis, 0.0, 1.08)?;
        let (lo, hi) = (axis.x(0.0), axis.right_edge());
        let threshold = dashed_segments((lo, self.threshold), (hi, self.threshold), 40);
        chart.draw_series(
            threshold
                .into_iter()
                .map(|seg| PathElement::new(seg.to_vec(), REFERENCE.stroke_width(3))),
        )?;
        let line = self.success.iter().map(|(ms, share)| (axis.x(*ms), *share));
        chart.draw_series(LineSeries::new(line, SUCCESS.stroke_width(4)))?;
        Ok(())
    }

    /// A dashed vertical line per marker from `y0` to `y1`.
    fn draw_marker_lines<DB: DrawingBackend>(
        &self,
        chart: &mut ChartContext<'_, DB, Cartesian2d<Ticked, Ticked>>,
        axis: &TimeAxis,
        y0: f64,
        y1: f64,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let dashes = self.markers.iter().flat_map(|m| {
            let x = axis.x(m.at_ms);
            dotted_segments((x, y0), (x, y1), MARKER_DOTS)
        });
        chart.draw_series(
            dashes.map(|seg| PathElement::new(seg.to_vec(), MARKER.stroke_width(2))),
        )?;
        Ok(())
    }
}

/// Whether a label at `x_px` reads leftwards from its line: when it would run past the
/// plot's right edge otherwise.
fn label_flipped(x_px: f64, text: &str, plot_px: f64) -> bool {
    x_px + 8.0 + text_px(text) > plot_px
}

/// The pixel extent of a label drawn at `x_px` (left or right of its line).
fn label_extent(x_px: f64, text: &str, plot_px: f64) -> (f64, f64) {
    let width = text_px(text);
    if label_flipped(x_px, text, plot_px) {
        (x_px - 8.0 - width, x_px)
    } else {
        (x_px, x_px + 8.0 + width)
    }
}

/// The estimated width of a label, px.
fn text_px(text: &str) -> f64 {
    text.chars().count() as f64 * f64::from(LABEL_SIZE) * CHAR_WIDTH
}

/// The trace as a text log: one line per span start and end and per marker, in time
/// order (at the same instant: ends, then markers, then starts, which is how the
/// simulator's events chain), with readable times.
pub fn timeline_text(chart: &TimelineChart) -> String {
    let mut events: Vec<(f64, u8, String)> = Vec::new();
    for span in &chart.spans {
        events.push((span.start_ms, 2, format!("{} starts", span.row)));
        let took = format_duration((span.end_ms - span.start_ms).max(0.0));
        events.push((span.end_ms, 0, format!("{} ends (took {took})", span.row)));
    }
    for marker in &chart.markers {
        events.push((marker.at_ms, 1, marker.label.clone()));
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut text = String::new();
    for (at, _, what) in events {
        let clock = if at.abs() < 0.5 {
            "0s".to_string()
        } else {
            format_duration(at)
        };
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{:>8}  {what}", format!("+{clock}"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::charts::render_svg;
    use crate::present::charts::samples;
    use crate::present::charts::test_svg::{count, parse, polyline_lengths, svg_colour, texts};

    #[test]
    fn one_bar_per_span_and_rows_labelled() {
        let chart = samples::timeline();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let mut bars = 0;
        for kind in SpanKind::ALL {
            let spans = chart.spans.iter().filter(|s| s.kind == kind).count();
            let rects = count(&doc, "rect", "fill", &svg_colour(kind.colour()));
            // Each span's bar, plus one legend swatch for each kind in use.
            let expected = if spans > 0 { spans + 1 } else { 0 };
            assert_eq!(rects, expected, "{kind:?}");
            bars += spans;
        }
        assert_eq!(bars, chart.spans.len());
        let texts = texts(&doc);
        for row in chart.rows() {
            assert!(texts.contains(&row), "row {row} missing: {texts:?}");
        }
        for m in &chart.markers {
            assert!(texts.iter().any(|t| t.starts_with(&m.label)), "{}", m.label);
        }
    }

    #[test]
    fn success_line_and_threshold_share_the_time_axis() {
        let chart = samples::timeline();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let success = polyline_lengths(&doc, &svg_colour(SUCCESS));
        assert!(success.contains(&chart.success.len()), "{success:?}");
        let threshold = polyline_lengths(&doc, &svg_colour(REFERENCE));
        assert_eq!(
            threshold.len(),
            40 + 3,
            "40 dashes and a dashed legend sample"
        );
        let marker_dashes = polyline_lengths(&doc, &svg_colour(MARKER));
        assert_eq!(
            marker_dashes.len(),
            chart.markers.len() * MARKER_DOTS * 2 + 5,
            "both panels, legend"
        );
    }

    /// The sample with four markers crowded into the first two minutes, labels long
    /// enough to collide if drawn on one line, and the RTO objective at 15m.
    fn crowded() -> TimelineChart {
        let m = 60_000.0;
        let mut chart = samples::timeline();
        chart.markers = [
            "alarm",
            "decision taken",
            "promotion started",
            "DNS updated",
        ]
        .iter()
        .enumerate()
        .map(|(i, label)| Marker {
            at_ms: (1.0 + 0.2 * i as f64) * m,
            label: (*label).into(),
        })
        .collect();
        chart.objective_ms = Some(15.0 * m);
        chart.objective_label = "RTO objective (15m)".into();
        chart
    }

    /// The label texts in the SVG with their estimated pixel extents (x0, x1, y).
    fn label_boxes(svg: &str, labels: &[String]) -> Vec<(f64, f64, f64, String)> {
        let doc = parse(svg);
        (doc.descendants())
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| {
                let text = n.text()?.trim().to_string();
                labels.contains(&text).then_some(())?;
                let x: f64 = n.attribute("x")?.parse().ok()?;
                let y: f64 = n.attribute("y")?.parse().ok()?;
                let width = text_px(&text);
                let (x0, x1) = match n.attribute("text-anchor") {
                    Some("end") => (x - width, x),
                    Some("middle") => (x - width / 2.0, x + width / 2.0),
                    _ => (x, x + width),
                };
                Some((x0, x1, y, text))
            })
            .collect()
    }

    /// Labels of instants close in time go on separate lines: measured in the SVG, no
    /// two label boxes on one line overlap. Drawn on one line (the old stagger of two)
    /// the four labels within 0.6m overlap.
    #[test]
    fn marker_labels_never_overlap() {
        let chart = crowded();
        let svg = render_svg(&chart).unwrap();
        let labels: Vec<String> = chart.labels().into_iter().map(|l| l.1).collect();
        let mut boxes = label_boxes(&svg, &labels);
        // The legend names the objective line first; the label is the later text.
        let legend = boxes.iter().position(|b| b.3 == chart.objective_label);
        boxes.remove(legend.unwrap());
        assert_eq!(boxes.len(), labels.len(), "{boxes:?}");
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let same_line = (a.2 - b.2).abs() < f64::from(LABEL_SIZE);
                let apart = a.1 <= b.0 || b.1 <= a.0;
                assert!(!same_line || apart, "{a:?} overlaps {b:?}");
            }
        }
        let lines: std::collections::BTreeSet<i64> =
            boxes.iter().map(|b| b.2.round() as i64).collect();
        assert!(lines.len() >= 4, "crowded labels need 4 lines: {lines:?}");
    }

    /// The objective is a long-dashed line in both panels (and the legend), labelled,
    /// and the time axis reaches it even when the trace ends sooner.
    #[test]
    fn objective_line_crosses_both_panels() {
        let mut chart = crowded();
        chart.objective_ms = Some(60.0 * 60_000.0);
        chart.objective_label = "RTO objective (1h)".into();
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let dashes = polyline_lengths(&doc, &svg_colour(OBJECTIVE));
        assert_eq!(dashes.len(), 2 * OBJECTIVE_DASHES + 3, "two panels, legend");
        assert!(texts(&doc).contains(&"RTO objective (1h)".to_string()));
        assert!(texts(&doc).iter().any(|t| t == "60m"), "axis reaches 1h");
        chart.objective_ms = None;
        let svg = render_svg(&chart).unwrap();
        assert!(polyline_lengths(&parse(&svg), &svg_colour(OBJECTIVE)).is_empty());
    }

    /// Bars cut at the chart's end carry a triangle; a row whose spans last no time is
    /// no lane.
    #[test]
    fn cut_bars_are_marked_and_empty_rows_dropped() {
        let mut chart = samples::timeline();
        chart.spans.push(Span {
            row: "instant row".into(),
            start_ms: 60_000.0,
            end_ms: 60_000.0,
            kind: SpanKind::Data,
        });
        let end = chart.spans.iter().map(|s| s.end_ms).fold(0.0, f64::max);
        chart.cut_at_ms = Some(end);
        let svg = render_svg(&chart).unwrap();
        let doc = parse(&svg);
        let triangles = count(&doc, "polygon", "fill", "#000000");
        assert_eq!(triangles, 1, "one bar reaches the cut");
        assert!(!texts(&doc).contains(&"instant row".to_string()));
        assert!(!chart.rows().contains(&"instant row".to_string()));
        assert!(timeline_text(&chart).contains("instant row starts"));
        chart.cut_at_ms = None;
        let svg = render_svg(&chart).unwrap();
        assert_eq!(count(&parse(&svg), "polygon", "fill", "#000000"), 0);
    }

    #[test]
    fn text_log_is_in_time_order_with_readable_times() {
        let chart = TimelineChart {
            title: "t".into(),
            spans: vec![
                Span {
                    row: "region down".into(),
                    start_ms: 0.0,
                    end_ms: 3_600_000.0,
                    kind: SpanKind::Fault,
                },
                Span {
                    row: "health check failing".into(),
                    start_ms: 10_000.0,
                    end_ms: 90_000.0,
                    kind: SpanKind::Detection,
                },
                Span {
                    row: "decision".into(),
                    start_ms: 90_000.0,
                    end_ms: 390_000.0,
                    kind: SpanKind::Decision,
                },
            ],
            markers: vec![Marker {
                at_ms: 90_000.0,
                label: "alarm".into(),
            }],
            success: vec![],
            threshold: 0.95,
            ..Default::default()
        };
        let log = timeline_text(&chart);
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(
            lines,
            vec![
                "     +0s  region down starts",
                "    +10s  health check failing starts",
                "   +1.5m  health check failing ends (took 1.3m)",
                "   +1.5m  alarm",
                "   +1.5m  decision starts",
                "   +6.5m  decision ends (took 5m)",
                "     +1h  region down ends (took 1h)",
            ]
        );
    }
}
