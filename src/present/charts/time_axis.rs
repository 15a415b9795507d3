//! A time axis in milliseconds with ticks at durations people say ("5m", "1h", "2d").
//!
//! The chart coordinate is either the time itself or its log10; keeping one `f64`
//! coordinate type for both lets every chart share one drawing path.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::model::units::{DAY, HOUR, MINUTE, SECOND, format_duration};

/// Whether a time axis spanning `min_ms..=max_ms` should be logarithmic: when the largest
/// value is more than 100 times the smallest positive one, a linear axis would crush the
/// fast strategies into the first pixels.
pub fn use_log_scale(min_ms: f64, max_ms: f64) -> bool {
    min_ms > 0.0 && max_ms.is_finite() && max_ms / min_ms > 100.0
}

/// Durations a tick may fall on, in milliseconds, ascending.
fn nice_durations() -> Vec<f64> {
    let ms: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];
    let rest = [
        SECOND,
        2 * SECOND,
        5 * SECOND,
        10 * SECOND,
        15 * SECOND,
        30 * SECOND,
        MINUTE,
        2 * MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        15 * MINUTE,
        30 * MINUTE,
        HOUR,
        2 * HOUR,
        3 * HOUR,
        6 * HOUR,
        12 * HOUR,
        DAY,
        2 * DAY,
        3 * DAY,
        7 * DAY,
        14 * DAY,
        30 * DAY,
        60 * DAY,
        90 * DAY,
        180 * DAY,
        365 * DAY,
    ];
    ms.into_iter().chain(rest.map(|d| d as f64)).collect()
}

/// Most ticks an axis shows: more and the labels collide at slide size.
const MAX_TICKS: usize = 9;

/// A time axis: its scale and its range in chart coordinates.
#[derive(Clone, Debug)]
pub(crate) struct TimeAxis {
    /// True when chart coordinates are log10(ms).
    pub log: bool,
    lo: f64,
    hi: f64,
}

impl TimeAxis {
    /// The axis title: `label`, said to be on a log scale when it is.
    pub fn description(&self, label: &str) -> String {
        if self.log {
            format!("{label} (log scale)")
        } else {
            label.to_string()
        }
    }

    /// An axis covering every value in `values` (non-finite and non-positive values
    /// are ignored for the log decision); `force_linear` is for charts whose time starts
    /// at zero, such as a timeline.
    pub fn covering(values: impl IntoIterator<Item = f64>, force_linear: bool) -> Self {
        let finite: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        let min_pos = finite
            .iter()
            .copied()
            .filter(|v| *v > 0.0)
            .fold(f64::INFINITY, f64::min);
        let max = finite.iter().copied().fold(0.0, f64::max);
        let max = if max > 0.0 { max } else { SECOND as f64 };
        if !force_linear && use_log_scale(min_pos, max) {
            // A little room either side so points are not drawn on the frame.
            Self {
                log: true,
                lo: (min_pos / 1.4).log10(),
                hi: (max * 1.4).log10(),
            }
        } else {
            Self {
                log: false,
                lo: 0.0,
                hi: max * 1.06,
            }
        }
    }

    /// The chart coordinate of a time; on a log axis, zero and below pin to the left edge.
    pub fn x(&self, ms: f64) -> f64 {
        if self.log {
            if ms > 0.0 {
                ms.log10().max(self.lo)
            } else {
                self.lo
            }
        } else {
            ms
        }
    }

    /// The time at a chart coordinate.
    pub fn ms(&self, x: f64) -> f64 {
        if self.log { 10f64.powf(x) } else { x }
    }

    /// The chart-coordinate range with ticks on readable durations, for plotters.
    pub fn ranged(&self) -> Ticked {
        Ticked::new(self.lo..self.hi, self.ticks())
    }

    /// The right edge of the axis.
    pub fn right_edge(&self) -> f64 {
        self.hi
    }

    /// Where "never recovers" points go: just inside the right edge, so the marker is
    /// not cut in half by the frame.
    pub fn never_x(&self) -> f64 {
        self.hi - (self.hi - self.lo) * 0.02
    }

    /// (left, right) edges in chart coordinates.
    pub fn ranged_bounds(&self) -> (f64, f64) {
        (self.lo, self.hi)
    }

    /// Tick positions in chart coordinates, on readable durations.
    pub fn ticks(&self) -> Vec<f64> {
        let (lo, hi) = (self.ms(self.lo), self.ms(self.hi));
        let ticks = if self.log {
            log_ticks(lo, hi)
        } else {
            linear_ticks(lo, hi)
        };
        ticks.into_iter().map(|ms| self.x(ms)).collect()
    }

    /// The tick label for a chart coordinate.
    pub fn label(&self, x: f64) -> String {
        // Rounded: 10^log10(1 day) comes back a hair under a day and would print "24h".
        let ms = self.ms(x).round();
        if ms.abs() < 0.5 {
            "0".to_string()
        } else if self.log {
            format_duration(ms)
        } else {
            in_step_unit(ms, linear_step(self.lo, self.hi))
        }
    }
}

/// Decades and the units people think in; a log axis prefers these.
const ROUND: [f64; 12] = [
    1.0,
    10.0,
    100.0,
    SECOND as f64,
    10.0 * SECOND as f64,
    MINUTE as f64,
    10.0 * MINUTE as f64,
    HOUR as f64,
    DAY as f64,
    7.0 * DAY as f64,
    30.0 * DAY as f64,
    365.0 * DAY as f64,
];

/// Between the round ones, for shorter ranges.
const HALF_ROUND: [f64; 8] = [
    5.0 * SECOND as f64,
    30.0 * SECOND as f64,
    5.0 * MINUTE as f64,
    30.0 * MINUTE as f64,
    3.0 * HOUR as f64,
    6.0 * HOUR as f64,
    12.0 * HOUR as f64,
    3.0 * DAY as f64,
];

/// Ticks for a log axis over `lo..=hi`: round and half-round durations when they fit,
/// round ones alone when those would crowd, and any nice duration (thinned) when the
/// range is too short to hold three round ones.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let inside = |d: &f64| *d >= lo && *d <= hi;
    let mut both: Vec<f64> = ROUND
        .iter()
        .chain(&HALF_ROUND)
        .copied()
        .filter(inside)
        .collect();
    both.sort_by(f64::total_cmp);
    let round: Vec<f64> = ROUND.iter().copied().filter(inside).collect();
    if both.len() >= 3 && both.len() <= MAX_TICKS {
        return both;
    }
    if round.len() >= 3 {
        return thin_log(round, lo, hi);
    }
    thin_log(
        nice_durations().into_iter().filter(inside).collect(),
        lo,
        hi,
    )
}

/// Keeps ticks at least 1/MAX_TICKS of the axis apart in log space.
fn thin_log(ticks: Vec<f64>, lo: f64, hi: f64) -> Vec<f64> {
    let gap = (hi.log10() - lo.log10()) / MAX_TICKS as f64;
    let mut kept: Vec<f64> = Vec::new();
    for d in ticks {
        if kept
            .last()
            .is_none_or(|last| d.log10() - last.log10() >= gap * 0.999)
        {
            kept.push(d);
        }
    }
    kept
}

/// The smallest nice step that gives at most MAX_TICKS ticks over `lo..=hi`.
fn linear_step(lo: f64, hi: f64) -> f64 {
    let span = (hi - lo).max(1.0);
    nice_durations()
        .into_iter()
        .find(|step| span / step <= MAX_TICKS as f64 - 1.0)
        .unwrap_or_else(|| (span / (MAX_TICKS as f64 - 1.0)).ceil())
}

/// Multiples of the linear step inside `lo..=hi`.
fn linear_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let step = linear_step(lo, hi);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// Formats a tick at `ms` in the largest unit it reaches that the step divides into
/// quarters or better ("3.5h", not "210m"; "45m" below the hour), so a reader never
/// converts minutes to hours in their head.
fn in_step_unit(ms: f64, step: f64) -> String {
    let units = [(DAY, "d"), (HOUR, "h"), (MINUTE, "m"), (SECOND, "s")];
    for (size, name) in units {
        let size = size as f64;
        let quarters = ms / size * 4.0;
        if ms >= size && step >= size / 4.0 && (quarters - quarters.round()).abs() < 1e-9 {
            let value = (quarters.round() / 4.0).to_string();
            return format!("{value}{name}");
        }
    }
    format_duration(ms)
}

/// A linear `f64` axis with exactly the ticks given.
///
/// plotters' own `with_key_points` drops the f64 formatter, so the mesh cannot be drawn
/// with it; this small range does the same job.
#[derive(Clone, Debug)]
pub(crate) struct Ticked {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ticked {
    /// A range with ticks at `ticks` (those outside the range are dropped).
    pub fn new(range: Range<f64>, ticks: Vec<f64>) -> Self {
        let inside = |t: &f64| *t >= range.start - 1e-9 && *t <= range.end + 1e-9;
        let ticks = ticks.into_iter().filter(inside).collect();
        Self { range, ticks }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        let share = if span > 0.0 {
            (value - self.range.start) / span
        } else {
            0.0
        };
        limit.0 + (share * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_only_beyond_a_hundredfold_range() {
        assert!(use_log_scale(1_000.0, 200_000.0));
        assert!(!use_log_scale(1_000.0, 100_000.0));
        assert!(!use_log_scale(0.0, 1e9), "no positive minimum, no log");
        assert!(TimeAxis::covering([30_000.0, 5.0 * DAY as f64], false).log);
        assert!(!TimeAxis::covering([60_000.0, 3_600_000.0], false).log);
        assert!(!TimeAxis::covering([1.0, 1e9], true).log);
    }

    #[test]
    fn linear_ticks_fall_on_readable_durations() {
        let axis = TimeAxis::covering([0.0, 40.0 * MINUTE as f64], true);
        let labels: Vec<String> = axis.ticks().iter().map(|x| axis.label(*x)).collect();
        assert_eq!(labels, ["0", "10m", "20m", "30m", "40m"]);
        let axis = TimeAxis::covering([0.0, 100.0 * MINUTE as f64], true);
        let labels: Vec<String> = axis.ticks().iter().map(|x| axis.label(*x)).collect();
        assert_eq!(
            labels,
            ["0", "15m", "30m", "45m", "1h", "1.25h", "1.5h", "1.75h"]
        );
    }

    /// The Pareto chart of the four bundled strategies read "210m" for three and a half
    /// hours.
    #[test]
    fn linear_ticks_past_the_hour_read_in_hours() {
        let axis = TimeAxis::covering([0.0, 220.0 * MINUTE as f64], true);
        let labels: Vec<String> = axis.ticks().iter().map(|x| axis.label(*x)).collect();
        assert_eq!(
            labels,
            ["0", "30m", "1h", "1.5h", "2h", "2.5h", "3h", "3.5h"]
        );
    }

    #[test]
    fn log_ticks_span_the_range_without_crowding() {
        let axis = TimeAxis::covering([10_000.0, 2.0 * DAY as f64], false);
        let ticks = axis.ticks();
        assert!(ticks.len() >= 4 && ticks.len() <= MAX_TICKS, "{ticks:?}");
        let labels: Vec<String> = ticks.iter().map(|x| axis.label(*x)).collect();
        assert!(labels.contains(&"1h".to_string()), "{labels:?}");
        assert!(labels.contains(&"1d".to_string()), "{labels:?}");
        assert!(ticks.windows(2).all(|w| w[0] < w[1]));
    }
}
