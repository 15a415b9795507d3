//! From simulation results to charts and the design review: empirical CDFs from the
//! statistics, the comparison charts, a trial's trace as a timeline, the strategies'
//! key assumptions with their sources, and the [`DesignReview`] itself.

use std::path::{Path, PathBuf};

use crate::analysis::compare::{Block, Comparison, Scope, StrategyResult, StrategyRun};
use crate::analysis::pareto::StrategyPoint;
use crate::analysis::sensitivity::Sensitivity;
use crate::model::catalog::Catalog;
use crate::model::describe;
use crate::model::load::Sources;
use crate::model::{DbKind, Deployment, Model, ObjectReplication, SiteKind, VaultLock};
use crate::present::Format;
use crate::present::charts::cdf::{CdfChart, CdfSeries};
use crate::present::charts::cost_bars::CostBarsChart;
use crate::present::charts::exceedance::{ExceedanceChart, ExceedanceSeries, Target, XUnit};
use crate::present::charts::html_report::{
    Assumption, ComparisonTable, DesignReview, DisasterCell, Download, Figure, NearMiss, Objective,
    ShareTimes, StrategyAssumptions, StrategyRow, Trace as ReportTrace,
};
use crate::present::charts::pareto::ParetoChart;
use crate::present::charts::timeline::{Marker, Span, SpanKind, TimelineChart};
use crate::present::charts::tornado::{TornadoChart, TornadoRow};
use crate::present::charts::{ChartError, ChartFormat, render, render_svg};
use crate::present::format::{
    format_duration, percent_0dp, percent_1dp, percent_trimmed, thousands, usd_whole,
};
use crate::run::stats::{DisasterStats, Metric, OutcomeStats};
use crate::sim::service::success_curve;
use crate::sim::trace::{Mark, Phase, Trace};
use crate::sim::trial::{TrialOutcome, TrialSimulator};

/// Which measured duration a CDF shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Recovery time.
    Rto,
    /// Data-loss window.
    Rpo,
}

impl Measure {
    fn metric(self, d: &DisasterStats) -> &Metric {
        match self {
            Measure::Rto => &d.rto,
            Measure::Rpo => &d.rpo,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Measure::Rto => "RTO",
            Measure::Rpo => "RPO",
        }
    }

    /// The objective line of a chart of `runs` in `disaster` (all disasters if `None`):
    /// only when every run's every disaster in scope has the same one, since each
    /// disaster of each strategy is judged against its own, and, for the RTO, counts it
    /// from the disaster as the chart does (not from the alarm or the decision).
    fn objective_ms(self, runs: &[StrategyRun], disaster: Option<&str>) -> Option<f64> {
        let mut objectives = runs.iter().flat_map(|run| {
            (run.model.disasters.iter())
                .filter(|d| disaster.is_none_or(|name| d.name == name))
                .map(|d| match self {
                    Measure::Rto => d.objective.clock.is_disaster().then_some(d.objective.rto),
                    Measure::Rpo => Some(d.objective.rpo),
                })
        });
        let first = objectives.next()??;
        objectives.all(|o| o == Some(first)).then_some(first as f64)
    }
}

/// Most points a CDF curve keeps: enough for a smooth curve, few enough that a report
/// with a dozen charts stays small.
const CDF_POINTS: usize = 400;

/// The empirical CDF (ms, share) of `measure` over the disasters of `model`: one
/// disaster (`only`), or all weighted by frequency. Each stratum's recorded values count
/// for its weight divided by its trials, so outcomes that never happened (`None`) keep
/// the curve below 1.
pub fn cdf_points(
    model: &Model,
    stats: &OutcomeStats,
    measure: Measure,
    only: Option<usize>,
) -> Vec<(f64, f64)> {
    let mut steps: Vec<(u64, f64)> = Vec::new();
    let weights = model.disaster_weights();
    for (i, d) in stats.disasters().iter().enumerate() {
        let weight = match only {
            Some(k) if k != i => continue,
            Some(_) => 1.0,
            None => weights[i],
        };
        let metric = measure.metric(d);
        if metric.total() == 0 {
            continue;
        }
        let per_trial = weight / metric.total() as f64;
        for value in metric.histogram.iter_recorded() {
            let share = value.count_at_value() as f64 * per_trial;
            steps.push((value.value_iterated_to(), share));
        }
    }
    steps.sort_by_key(|s| s.0);
    let mut points = Vec::with_capacity(steps.len() + 1);
    let mut cumulative = 0.0;
    if let Some(first) = steps.first() {
        points.push((first.0 as f64, 0.0));
    }
    for (ms, share) in steps {
        cumulative += share;
        points.push((ms as f64, cumulative.min(1.0)));
    }
    thin(points)
}

/// Keeps at most about [`CDF_POINTS`] points: those where the share rose by a step's
/// worth since the last kept one, plus the last.
fn thin(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if points.len() <= CDF_POINTS {
        return points;
    }
    let step = 1.0 / CDF_POINTS as f64;
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(CDF_POINTS + 2);
    for (i, p) in points.iter().enumerate() {
        let last = i + 1 == points.len();
        match kept.last() {
            Some(k) if !last && p.1 - k.1 < step => {}
            _ => kept.push(*p),
        }
    }
    kept
}

/// A CDF chart of `measure`, one series per run, in `scope`.
pub fn cdf_chart(runs: &[StrategyRun], measure: Measure, scope: &Scope) -> CdfChart {
    let series = runs
        .iter()
        .map(|run| CdfSeries {
            label: run.model.name.clone(),
            points: cdf_points(&run.model, &run.stats, measure, scope.index_in(&run.model)),
        })
        .collect();
    let what = match measure {
        Measure::Rto => "Recovery time (RTO)",
        Measure::Rpo => "Data-loss window (RPO)",
    };
    CdfChart {
        title: format!("{what}: {}", scope.title()),
        x_label: match measure {
            Measure::Rto => "time to recover".into(),
            Measure::Rpo => "data lost (time window)".into(),
        },
        series,
        objective_ms: measure.objective_ms(runs, scope.disaster()),
        objective_label: format!("{} objective", measure.name()),
        zero_label: match measure {
            Measure::Rto => None,
            Measure::Rpo => Some("of disasters lose no data".into()),
        },
    }
}

/// Components drawn apart in the cost bars; the rest are summed as "other". The palette
/// has seven colours, so more components would share colours and read ambiguously.
const COST_COMPONENTS: usize = 6;

/// Steady monthly cost of each run, stacked by component: the six largest components
/// over all runs, the rest as "other".
pub fn cost_bars_chart(runs: &[StrategyRun]) -> CostBarsChart {
    let mut totals: Vec<(String, f64)> = Vec::new();
    for run in runs {
        for (component, usd) in &run.cost().by_component {
            match totals.iter_mut().find(|(c, _)| c == component) {
                Some(total) => total.1 += usd,
                None => totals.push((component.clone(), *usd)),
            }
        }
    }
    totals.sort_by(|a, b| b.1.total_cmp(&a.1));
    let keep: Vec<&str> = if totals.len() > COST_COMPONENTS + 1 {
        totals[..COST_COMPONENTS]
            .iter()
            .map(|(c, _)| c.as_str())
            .collect()
    } else {
        totals.iter().map(|(c, _)| c.as_str()).collect()
    };
    let strategies = runs
        .iter()
        .map(|run| {
            let by = &run.cost().by_component;
            let mut parts: Vec<(String, f64)> = (keep.iter())
                .map(|c| (c.to_string(), by.get(*c).copied().unwrap_or(0.0)))
                .collect();
            let other: f64 = (by.iter())
                .filter(|(c, _)| !keep.contains(&c.as_str()))
                .map(|(_, usd)| usd)
                .sum();
            if other > 0.0 {
                parts.push(("other".into(), other));
            }
            (run.model.name.clone(), parts)
        })
        .collect();
    CostBarsChart {
        title: "Steady monthly cost by component".into(),
        strategies,
        increment_over: None,
    }
}

/// What each run's steady bill adds over the cheapest run's, by component: the six
/// components that add most over all runs, the rest as "other". A component every
/// strategy pays alike (internet egress) adds nothing and drops out.
pub fn dr_increment_chart(runs: &[StrategyRun]) -> CostBarsChart {
    let Some(base) = runs
        .iter()
        .min_by(|a, b| a.cost().monthly_usd.total_cmp(&b.cost().monthly_usd))
    else {
        return CostBarsChart::default();
    };
    let base_cost = &base.cost().by_component;
    let added = |run: &StrategyRun| -> Vec<(String, f64)> {
        let by = &run.cost().by_component;
        let mut names: Vec<&String> = by.keys().chain(base_cost.keys()).collect();
        names.sort();
        names.dedup();
        (names.into_iter())
            .map(|c| {
                let get =
                    |m: &std::collections::BTreeMap<String, f64>| m.get(c).copied().unwrap_or(0.0);
                (c.clone(), get(by) - get(base_cost))
            })
            .filter(|(_, usd)| usd.abs() >= 0.005)
            .collect()
    };
    let mut totals: Vec<(String, f64)> = Vec::new();
    for run in runs {
        for (component, usd) in added(run) {
            match totals.iter_mut().find(|(c, _)| *c == component) {
                Some(total) => total.1 += usd.max(0.0),
                None => totals.push((component, usd.max(0.0))),
            }
        }
    }
    totals.retain(|t| t.1 > 0.0);
    totals.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let keep: Vec<String> = (totals.iter().take(COST_COMPONENTS))
        .map(|t| t.0.clone())
        .collect();
    let strategies = (runs.iter())
        .map(|run| {
            let parts = added(run);
            let mut shown: Vec<(String, f64)> = (keep.iter())
                .map(|c| {
                    let usd = parts.iter().find(|p| &p.0 == c).map_or(0.0, |p| p.1);
                    (c.clone(), usd)
                })
                .collect();
            let other: f64 = (parts.iter())
                .filter(|p| !keep.contains(&p.0))
                .map(|p| p.1)
                .sum();
            if other != 0.0 {
                shown.push(("other".into(), other));
            }
            (run.model.name.clone(), shown)
        })
        .collect();
    CostBarsChart {
        title: format!(
            "What each strategy adds to the steady bill over {}",
            base.model.name
        ),
        strategies,
        increment_over: Some(base.model.name.clone()),
    }
}

/// File-name form of a disaster name (letters, digits, `-`, `_`; others become `-`).
pub fn file_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The comparison charts with their file stems: per disaster the exceedance curves and
/// (where the strategies differ) cost against the p99, the DR increment, the loss
/// exceedance, the cost breakdown, then the CDFs of the main scope (and of the region
/// outage block).
pub fn comparison_figures(runs: &[StrategyRun], comparison: &Comparison) -> Vec<(String, Figure)> {
    // What decides first: each disaster's tail against its objective, what the DR
    // design costs, the loss it risks; the overall CDFs and the whole bill last.
    let mut figures = decision_figures(runs);
    figures.extend(disaster_paretos(runs));
    figures.push((
        "dr-increment".into(),
        Figure::CostBars(dr_increment_chart(runs)),
    ));
    figures.push((
        "loss-exceedance".into(),
        Figure::Exceedance(loss_exceedance_chart(runs)),
    ));
    figures.push((
        "cost-breakdown".into(),
        Figure::CostBars(cost_bars_chart(runs)),
    ));
    for block in std::iter::once(&comparison.main).chain(&comparison.by_disaster) {
        let (scope, suffix) = match &block.disaster {
            None => (Scope::Overall, String::new()),
            Some(name) => (
                Scope::Disaster(name.clone()),
                format!("-{}", file_part(name)),
            ),
        };
        for measure in [Measure::Rto, Measure::Rpo] {
            let stem = format!("{}-cdf{suffix}", measure.name().to_lowercase());
            figures.push((stem, Figure::Cdf(cdf_chart(runs, measure, &scope))));
        }
    }
    figures
}

/// Cost against RTO p99 (and RPO p99) of each disaster that tells the strategies
/// apart, judged on that disaster's objective: over all disasters the p99 is set by the
/// slowest kind (corruption found days later), whatever the DR design.
pub fn disaster_paretos(runs: &[StrategyRun]) -> Vec<(String, Figure)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let mut figures = Vec::new();
    for (k, d) in first.model.disasters.iter().enumerate() {
        for measure in [Measure::Rto, Measure::Rpo] {
            let chart = disaster_pareto(runs, measure, &d.name);
            if !tells_apart(&chart) {
                continue;
            }
            let stem = format!(
                "cost-vs-{}-p99-{}",
                measure.name().to_lowercase(),
                file_part(&first.model.disasters[k].name)
            );
            figures.push((stem, Figure::Pareto(chart)));
        }
    }
    figures
}

/// Whether a disaster's points differ: one strategy meets its objective and another
/// not, or one p99 is at least twice another (or never reached where another is).
fn tells_apart(chart: &ParetoChart) -> bool {
    let points = &chart.points;
    let verdicts =
        points.iter().any(|p| p.meets_objectives) && points.iter().any(|p| !p.meets_objectives);
    let times: Vec<Option<f64>> = points.iter().map(|p| p.time_ms).collect();
    let fastest = times
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    let spread = times
        .iter()
        .any(|t| t.is_none_or(|t| t > 2.0 * fastest.max(1.0)));
    verdicts || (spread && fastest.is_finite())
}

/// Steady cost against one disaster's `measure` p99, each strategy marked by whether it
/// meets that disaster's objective.
pub fn disaster_pareto(runs: &[StrategyRun], measure: Measure, disaster: &str) -> ParetoChart {
    let points = (runs.iter())
        .filter_map(|run| {
            let d = (run.summary.by_disaster.iter()).find(|d| d.disaster == disaster)?;
            let quantiles = match measure {
                Measure::Rto => &d.figures.rto_seconds,
                Measure::Rpo => &d.figures.rpo_seconds,
            };
            Some(StrategyPoint {
                label: run.model.name.clone(),
                time_ms: quantiles.p99.map(|s| s * 1000.0),
                monthly_usd: run.cost().monthly_usd,
                meets_objectives: d.figures.meets_objectives,
            })
        })
        .collect();
    ParetoChart {
        title: format!(
            "Steady monthly cost versus {} p99: {disaster}",
            measure.name()
        ),
        x_label: format!("{} p99 of {disaster}", measure.name()),
        points,
        objective_ms: measure.objective_ms(runs, Some(disaster)),
    }
}

/// The loss-exceedance curve of each run: the chance in a year that some disaster
/// costs more than $x (downtime and lost data, the per-trial losses of the risk cost).
/// Disasters strike as independent Poisson processes at their `per_year` rates, so the
/// chance is `1 - exp(-sum_k per_year_k * P(loss_k > x))`; several disasters in one
/// year that each cost less than x are not added up (an occurrence, not an aggregate,
/// exceedance: a lower bound on the chance that the year's total exceeds x).
pub fn loss_exceedance_chart(runs: &[StrategyRun]) -> ExceedanceChart {
    let series = (runs.iter())
        .map(|run| ExceedanceSeries {
            label: run.model.name.clone(),
            points: loss_exceedance(&run.model, &run.stats),
            above_zero: 1.0,
        })
        .collect();
    ExceedanceChart {
        title: "Loss exceedance: the chance in a year of a disaster costing more than x".into(),
        x_label: "loss of one disaster (downtime and lost data)".into(),
        y_label: "chance per year".into(),
        unit: XUnit::Usd,
        series,
        targets: Vec::new(),
        zero_label: None,
    }
}

/// (USD, chance per year that some disaster loses more) at each recorded loss value.
fn loss_exceedance(model: &Model, stats: &OutcomeStats) -> Vec<(f64, f64)> {
    // Per disaster: its rate and its (loss in cents, trials at or below it) steps.
    let strata: Vec<LossStratum> = (stats.disasters().iter())
        .zip(&model.disasters)
        .filter(|(d, _)| d.loss.total() > 0)
        .map(|(d, disaster)| {
            let mut at_or_below = 0;
            let steps = (d.loss.histogram.iter_recorded())
                .map(|v| {
                    at_or_below += v.count_at_value();
                    (v.value_iterated_to(), at_or_below)
                })
                .collect();
            (disaster.per_year, d.loss.total(), steps)
        })
        .collect();
    let mut xs: Vec<u64> = (strata.iter())
        .flat_map(|s| s.2.iter().map(|v| v.0))
        .filter(|cents| *cents > 0)
        .collect();
    xs.sort_unstable();
    xs.dedup();
    let points: Vec<(f64, f64)> = (xs.into_iter())
        .map(|x| (x as f64 / 100.0, chance_above(&strata, x)))
        .collect();
    thin_exceedance(points)
}

/// One disaster kind for [`chance_above`]: its rate a year, its trials, and its
/// (loss in cents, trials at or below it) steps, ascending.
type LossStratum = (f64, u64, Vec<(u64, u64)>);

/// The chance in a year that some disaster loses more than `cents`:
/// `1 - exp(-sum_k per_year_k * P(loss_k > cents))`.
fn chance_above(strata: &[LossStratum], cents: u64) -> f64 {
    let rate: f64 = (strata.iter())
        .map(|(per_year, total, steps)| {
            let below = steps.partition_point(|v| v.0 <= cents);
            let at_or_below = below.checked_sub(1).map_or(0, |i| steps[i].1);
            per_year * (total - at_or_below) as f64 / *total as f64
        })
        .sum();
    1.0 - (-rate).exp()
}

/// At most about [`CDF_POINTS`] points, keeping one wherever the chance fell by a
/// step's worth in log terms since the last kept one, plus the last.
fn thin_exceedance(points: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    if points.len() <= CDF_POINTS {
        return points;
    }
    let step = 6.0 / CDF_POINTS as f64;
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(CDF_POINTS + 2);
    for (i, p) in points.iter().enumerate() {
        let last = i + 1 == points.len();
        let log = |q: f64| q.max(1e-12).log10();
        match kept.last() {
            Some(k) if !last && log(k.1) - log(p.1) < step => {}
            _ => kept.push(*p),
        }
    }
    kept
}

/// The charts that show where strategies differ on each disaster's own objective:
/// per disaster, the RTO exceedance and (where any strategy loses data) the RPO
/// exceedance.
pub fn decision_figures(runs: &[StrategyRun]) -> Vec<(String, Figure)> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let mut figures = Vec::new();
    for d in &first.model.disasters {
        for measure in [Measure::Rto, Measure::Rpo] {
            let chart = exceedance_chart(runs, measure, &d.name);
            let loses_data = chart.series.iter().any(|s| s.above_zero > 0.0);
            if measure == Measure::Rpo && !loses_data {
                continue;
            }
            let stem = format!(
                "{}-exceedance-{}",
                measure.name().to_lowercase(),
                file_part(&d.name)
            );
            figures.push((stem, Figure::Exceedance(chart)));
        }
    }
    figures
}

/// Each run's objective on `disaster` as a target point (time, 1 - confidence): one
/// for all when they agree, else one per run (an RTO counted from the alarm or the
/// decision has no point on a chart timed from the disaster).
fn targets(runs: &[StrategyRun], measure: Measure, disaster: &str) -> Vec<Target> {
    let each: Vec<Option<(f64, f64)>> = (runs.iter())
        .map(|run| {
            let only = std::slice::from_ref(run);
            let d = run.model.disasters.iter().find(|d| d.name == disaster)?;
            let x = measure.objective_ms(only, Some(disaster))?;
            Some((x, 1.0 - d.objective.confidence))
        })
        .collect();
    let target = |(x, share): (f64, f64), series| Target {
        x,
        share,
        label: format!("{} objective", measure.name()),
        series,
    };
    match each.first() {
        Some(Some(first)) if each.iter().all(|e| e == &Some(*first)) => {
            vec![target(*first, None)]
        }
        _ => (each.into_iter().enumerate())
            .filter_map(|(i, e)| e.map(|e| target(e, Some(i))))
            .collect(),
    }
}

/// 1 - CDF of `measure` on one disaster, one curve per run, with the objective as a
/// target point.
pub fn exceedance_chart(runs: &[StrategyRun], measure: Measure, disaster: &str) -> ExceedanceChart {
    let scope = Scope::Disaster(disaster.to_string());
    let series = (runs.iter())
        .map(|run| {
            let cdf = cdf_points(&run.model, &run.stats, measure, scope.index_in(&run.model));
            ExceedanceSeries::from_cdf(run.model.name.clone(), &cdf)
        })
        .collect();
    let (title, x_label, y_label, zero_label) = match measure {
        Measure::Rto => (
            format!("Still down after x: {disaster}"),
            "time since the disaster",
            "share of disasters not yet recovered",
            None,
        ),
        Measure::Rpo => (
            format!("Data lost beyond x: {disaster}"),
            "data lost (time window)",
            "share of disasters losing more",
            Some("lose data".to_string()),
        ),
    };
    ExceedanceChart {
        title,
        x_label: x_label.into(),
        y_label: y_label.into(),
        unit: XUnit::Time,
        series,
        targets: targets(runs, measure, disaster),
        zero_label,
    }
}

/// Writes each figure as `dir/<stem>.<ext>` (atomically), returning the paths.
pub fn write_figures(
    figures: &[(String, Figure)],
    format: ChartFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>, ChartError> {
    std::fs::create_dir_all(dir).map_err(|source| ChartError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::with_capacity(figures.len());
    for (stem, figure) in figures {
        let path = dir.join(format!("{stem}.{}", format.extension()));
        write_figure(figure, format, &path)?;
        written.push(path);
    }
    Ok(written)
}

fn write_figure(figure: &Figure, format: ChartFormat, path: &Path) -> Result<(), ChartError> {
    match figure {
        Figure::Cdf(chart) => render(chart, format, path),
        Figure::Pareto(chart) => render(chart, format, path),
        Figure::CostBars(chart) => render(chart, format, path),
        Figure::Timeline(chart) => render(chart, format, path),
        Figure::Exceedance(chart) => render(chart, format, path),
        Figure::Svg { .. } => Err(ChartError::PreRendered),
    }
}

/// The colour class of a span: the simulator's phase of recovery.
pub fn span_kind(phase: Phase) -> SpanKind {
    match phase {
        Phase::Fault => SpanKind::Fault,
        Phase::Detection => SpanKind::Detection,
        Phase::Decision => SpanKind::Decision,
        Phase::Traffic => SpanKind::Traffic,
        Phase::Capacity => SpanKind::Capacity,
        Phase::Data => SpanKind::Data,
        Phase::FailBack => SpanKind::FailBack,
    }
}

/// The label of a timeline marker.
fn marker_label(mark: Mark) -> &'static str {
    match mark {
        Mark::Alarm => "alarm",
        Mark::Recovered => "recovered (RTO)",
        Mark::NotRecovered => "not recovered",
        Mark::FullCapacity => "full capacity",
    }
}

/// One traced trial as a timeline chart.
pub fn timeline(model: &Model, trace: &Trace, title: String) -> TimelineChart {
    // Pieces after the end would be sampled up to the next piece, hours on: cut them
    // so the last shown piece is sampled up to the end.
    let shown = Trace {
        pieces: (trace.pieces.iter())
            .filter(|(at, _)| *at < trace.end)
            .cloned()
            .collect(),
        ..trace.clone()
    };
    // The trace ends a fifth past recovery: a fail-back hours later would squash the
    // way to recovery into a sliver at the left.
    let spans = (trace.spans.iter())
        .filter(|s| s.start < trace.end)
        .map(|s| Span {
            row: s.row.clone(),
            start_ms: s.start as f64,
            end_ms: s.end.min(trace.end) as f64,
            kind: span_kind(s.phase),
        })
        .collect();
    let markers = (trace.log.iter())
        .filter(|note| note.at <= trace.end)
        .filter_map(|note| {
            note.mark.map(|mark| Marker {
                at_ms: note.at as f64,
                label: marker_label(mark).into(),
            })
        })
        .collect();
    TimelineChart {
        title,
        spans,
        markers,
        success: (success_curve(&shown.pieces, shown.end, &model.routing).into_iter())
            .map(|(t, share)| (t as f64, share))
            .collect(),
        threshold: model.simulation.recovery_threshold,
        objective_ms: None,
        objective_label: String::new(),
        cut_at_ms: Some(trace.end as f64),
    }
}

/// The trial index of the `occurrence`-th trial (from 0) of disaster `disaster`: trial
/// `i` simulates disaster `i % K`, so it is `disaster + occurrence * K`.
pub fn trial_index(model: &Model, disaster: usize, occurrence: u64) -> u64 {
    disaster as u64 + occurrence * model.disasters.len() as u64
}

/// Runs every trial of disaster `disaster` among the model's trials and returns the
/// trial indices at the median and the 99th percentile of RTO (never recovered ranks
/// last).
pub fn typical_and_bad_trials(model: &Model, disaster: usize) -> (u64, u64) {
    let k = model.disasters.len() as u64;
    let mut simulator = TrialSimulator::new(model);
    let mut outcomes: Vec<(u64, TrialOutcome)> = (disaster as u64..model.simulation.trials)
        .step_by(k as usize)
        .map(|i| (i, simulator.run(i)))
        .collect();
    outcomes.sort_by_key(|(i, o)| (o.rto.unwrap_or(u64::MAX), *i));
    let at = |q: f64| {
        let rank = ((q * outcomes.len() as f64).ceil() as usize).clamp(1, outcomes.len());
        outcomes[rank - 1].0
    };
    if outcomes.is_empty() {
        return (disaster as u64, disaster as u64);
    }
    (at(0.5), at(0.99))
}

/// A strategy's key parameters, each with the file, line and comment that set it.
pub fn assumptions(model: &Model, sources: &Sources) -> StrategyAssumptions {
    let mut parameters = Vec::new();
    let mut add = |name: String, value: String, paths: &[&[&str]]| {
        parameters.push(Assumption {
            name,
            value,
            source: source_of(sources, paths),
        });
    };
    for region in &model.regions {
        let r = region.name.as_str();
        let deployment = match region.deployment {
            Deployment::Running => "running",
            Deployment::ScaledToZero => "scaled to zero (pilot light)",
            Deployment::NotDeployed => "not deployed (rebuilt by IaC)",
        };
        add(
            format!("{r}: deployment"),
            deployment.into(),
            &[&["regions", r, "deployment"]],
        );
        let g = &region.asg;
        add(
            format!("{r}: Auto Scaling group"),
            describe::asg_size(g),
            &[&["regions", r, "asg", "desired"], &["regions", r, "asg"]],
        );
        if let Some(pool) = &g.warm_pool {
            add(
                format!("{r}: warm pool"),
                describe::warm_pool(pool),
                &[&["regions", r, "asg", "warm_pool"]],
            );
        }
    }
    let routing = &model.routing;
    add(
        "routing".into(),
        format!(
            "{} {}",
            describe::routing_kind(routing),
            describe::routing_mode(routing.mode)
        ),
        &[&["routing", "kind"], &["routing", "mode"], &["routing"]],
    );
    add(
        "routing health check".into(),
        format!("{} failures", describe::health_check(routing)),
        &[
            &["routing", "health_check_interval"],
            &["routing", "failure_threshold"],
        ],
    );
    if let Some(dns) = &routing.dns {
        add(
            "DNS TTL".into(),
            format_duration(dns.ttl as f64),
            &[&["routing", "ttl"]],
        );
        add(
            "clients honouring the TTL".into(),
            format!(
                "{} (others hold {})",
                percent_0dp(dns.honour_share),
                dns.stale_hold.describe()
            ),
            &[
                &["routing", "clients_honouring_ttl"],
                &["routing", "stale_hold"],
            ],
        );
    }
    let db = &model.database;
    let db_kind = match db.kind {
        DbKind::Single => format!(
            "single {}, repair {}",
            db.instance_class,
            db.repair_time.describe()
        ),
        DbKind::MultiAz => format!(
            "Multi-AZ {}, failover {}",
            db.instance_class,
            db.failover_time.describe()
        ),
        DbKind::Aurora => format!(
            "Aurora {}, failover {}",
            db.instance_class,
            db.failover_time.describe()
        ),
        DbKind::Dynamodb => format!("DynamoDB table, failover {}", db.failover_time.describe()),
    };
    add("database".into(), db_kind, &[&["database", "kind"]]);
    let copy = match describe::cross_region_copy(&db.cross_region) {
        None => "none".to_string(),
        Some((what, region)) => {
            let mut text = format!(
                "{what} in {}, lag {}",
                model.regions[region].name,
                db.replication_lag.describe()
            );
            if let Some(promotion) = describe::promotion(db) {
                text.push_str(&format!(", {promotion}"));
            }
            text
        }
    };
    add(
        "database cross-region copy".into(),
        copy,
        &[&["database", "cross_region"]],
    );
    let s3 = match &model.object_storage.replication {
        ObjectReplication::None => "not replicated".to_string(),
        ObjectReplication::Crr { lag, max_lag, rtc } => format!(
            "cross-region replication{}, lag {} (at most {})",
            if *rtc { " with RTC" } else { "" },
            lag.describe(),
            format_duration(*max_lag as f64)
        ),
    };
    add(
        "object storage".into(),
        s3,
        &[&["object_storage", "replication"]],
    );
    match &model.backups {
        None => add("backups".into(), "none".into(), &[&["backups"]]),
        Some(b) => {
            add(
                "backup schedule".into(),
                format!(
                    "{} in {}",
                    describe::schedule(&b.schedule),
                    model.regions[b.region].name
                ),
                &[&["backups", "every"], &["backups", "at"], &["backups"]],
            );
            add(
                "backup copy".into(),
                (b.copy.as_ref()).map_or("none".into(), |c| describe::backup_copy(model, c)),
                &[
                    &["backups", "copy_to"],
                    &["backups", "copy_duration"],
                    &["backups", "copy_gb_per_hour"],
                ],
            );
            add(
                "backup retention".into(),
                format_duration(b.retention as f64),
                &[&["backups", "retention"]],
            );
            add(
                "Vault Lock".into(),
                match b.vault_lock {
                    VaultLock::Off => "off",
                    VaultLock::Governance => "on",
                    VaultLock::Compliance => "on (compliance mode)",
                }
                .into(),
                &[&["backups", "vault_lock"]],
            );
            add(
                "point-in-time recovery".into(),
                b.point_in_time.map_or("off".into(), describe::log_interval),
                &[&["backups", "point_in_time"]],
            );
            add(
                "restore speed".into(),
                describe::restore_speed(b),
                &[
                    &["backups", "restore_gb_per_hour"],
                    &["backups", "restore_fixed"],
                ],
            );
        }
    }
    let rec = &model.recovery;
    add(
        "detection".into(),
        rec.detection.describe(),
        &[&["recovery", "detection"]],
    );
    add(
        "failover decision".into(),
        if rec.automated {
            "automated".into()
        } else {
            format!("human, {}", rec.decision_time.describe())
        },
        &[&["recovery", "automated"], &["recovery", "decision_time"]],
    );
    add(
        "IaC network".into(),
        rec.iac_network_time.describe(),
        &[&["recovery", "iac_network_time"]],
    );
    add(
        "IaC redeploy".into(),
        rec.iac_redeploy_time.describe(),
        &[&["recovery", "iac_redeploy_time"]],
    );
    StrategyAssumptions {
        strategy: model.name.clone(),
        parameters,
    }
}

/// Where the first of `paths` that the model wrote was written ("file:line: comment"),
/// else "built-in default".
fn source_of(sources: &Sources, paths: &[&[&str]]) -> String {
    (paths.iter())
        .find_map(|path| sources.describe(path))
        .unwrap_or_else(|| "built-in default".into())
}

/// The inputs that turn recovery times into money, each with its source: how often each
/// disaster happens, what an hour down and an hour of lost writes cost, and the price
/// catalogs (with the date they were read) that priced the bill.
pub fn money_inputs(run: &StrategyRun, sources: &Sources) -> StrategyAssumptions {
    let model = &run.model;
    let mut parameters: Vec<Assumption> = (model.disasters.iter())
        .map(|d| Assumption {
            name: format!("{} frequency", d.name),
            value: format!("{} a year", d.per_year),
            source: source_of(sources, &[&["disasters", &d.name, "per_year"]]),
        })
        .collect();
    let cost = &model.cost;
    for (name, usd, unit, key) in [
        (
            "downtime cost",
            cost.downtime_usd_per_hour,
            "per hour of full outage (times the RTO)",
            "downtime_usd_per_hour",
        ),
        (
            "data-loss cost",
            cost.data_loss_usd_per_hour,
            "per hour of writes lost (times the RPO)",
            "data_loss_usd_per_hour",
        ),
    ] {
        parameters.push(Assumption {
            name: name.into(),
            value: format!("{} {unit}", usd_whole(usd)),
            source: source_of(sources, &[&["cost", key]]),
        });
    }
    let (catalogs, files) = catalogs_read(model);
    let written = [&["cost", "catalogs"][..], &["cost", "catalog"]];
    parameters.push(Assumption {
        name: "price catalogs".into(),
        value: catalogs,
        source: (written.iter().find_map(|path| sources.describe(path)))
            .unwrap_or_else(|| format!("chosen by region name: {files}")),
    });
    if !cost.overrides.is_empty() || !cost.region_overrides.is_empty() {
        let count =
            cost.overrides.len() + cost.region_overrides.values().map(Vec::len).sum::<usize>();
        parameters.push(Assumption {
            name: "price overrides".into(),
            value: format!("{count} prices replaced"),
            source: source_of(sources, &[&["cost", "overrides"]]),
        });
    }
    StrategyAssumptions {
        strategy: model.name.clone(),
        parameters,
    }
}

/// "aws-us-east-1 (us-east-1, read 2026-11-23); ...": the catalog of each AWS region and
/// the date its prices were read ("not readable" where the file cannot be read now),
/// and the catalog files.
fn catalogs_read(model: &Model) -> (String, String) {
    let mut read: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    for region in model.regions.iter().filter(|r| r.site == SiteKind::Aws) {
        let path = model.cost.catalog_for(&region.name);
        let text = match path.as_deref().map(Catalog::load) {
            Some(Ok(c)) => format!("{} ({}, read {})", c.name, region.name, c.read_on),
            _ => format!("{}: catalog not readable", region.name),
        };
        read.push(text);
        if let Some(path) = path.map(|p| p.display().to_string())
            && !files.contains(&path)
        {
            files.push(path);
        }
    }
    (read.join("; "), files.join(", "))
}

/// Turns a comparison row of `run` into the report's row.
fn report_row(row: &StrategyResult, run: &StrategyRun) -> StrategyRow {
    let ms = |s: Option<f64>| s.map(|s| s * 1000.0);
    StrategyRow {
        name: row.name.clone(),
        rto_p50_ms: ms(row.rto_seconds.p50),
        rto_p90_ms: ms(row.rto_seconds.p90),
        rto_p99_ms: ms(row.rto_seconds.p99),
        rto_by_threshold: (row.rto_by_threshold_seconds.iter())
            .map(|t| ShareTimes {
                share: t.threshold,
                p50_ms: ms(t.seconds.p50),
                p99_ms: ms(t.seconds.p99),
            })
            .collect(),
        rpo_p50_ms: ms(row.rpo_seconds.p50),
        rpo_p99_ms: ms(row.rpo_seconds.p99),
        p_rto_met: row.p_rto_met,
        p_rpo_met: row.p_rpo_met,
        steady_monthly_usd: row.monthly_usd,
        risk_adjusted_monthly_usd: row.risk_adjusted_monthly_usd,
        on_pareto_front: row.on_pareto_front,
        meets_objectives: row.meets_objectives,
        expected_loss_monthly_usd: run.cost().expected_loss_monthly_usd.unwrap_or(0.0),
        by_disaster: disaster_cells(run),
    }
}

/// Each disaster of `run` against its own objective.
fn disaster_cells(run: &StrategyRun) -> Vec<DisasterCell> {
    (run.summary.by_disaster.iter())
        .map(|d| {
            let f = &d.figures;
            DisasterCell {
                disaster: d.disaster.clone(),
                per_year: d.per_year,
                weight: d.weight,
                objective: objective_text(&d.objective),
                confidence: d.objective.confidence,
                p_rto_met: f.p_rto_met,
                p_rto_met_ci95: f.p_rto_met_ci95,
                p_rpo_met: f.p_rpo_met,
                p_rpo_met_ci95: f.p_rpo_met_ci95,
                rto_p99_ms: f.rto_seconds.p99.map(|s| s * 1000.0),
                trials: d.trials,
                never_recovered: f.never_recovered,
                data_unrecoverable: f.data_unrecoverable,
                failed_recovery_share: f.failed_recovery_share,
                meets: f.meets_objectives,
            }
        })
        .collect()
}

/// "RTO 30m, RPO 5m, in 95% of occurrences" (with the RTO's clock when not the
/// disaster's start).
fn objective_text(o: &crate::analysis::summary::ObjectivesSummary) -> String {
    format!(
        "RTO {}{}, RPO {}, in {} of occurrences",
        format_duration(o.rto_seconds * 1000.0),
        o.clock.after_rto(),
        format_duration(o.rpo_seconds * 1000.0),
        percent_trimmed(o.confidence)
    )
}

/// The report's rows of a block's `rows` (one per run, in run order).
fn report_rows(rows: &[StrategyResult], runs: &[StrategyRun]) -> Vec<StrategyRow> {
    rows.iter()
        .zip(runs)
        .map(|(row, run)| report_row(row, run))
        .collect()
}

/// A further comparison block of `runs` as a report table.
fn comparison_table(block: &Block, runs: &[StrategyRun]) -> ComparisonTable {
    ComparisonTable {
        heading: match &block.disaster {
            Some(name) => format!("Disaster {name} only"),
            None => "All disasters".into(),
        },
        strategies: report_rows(&block.strategies, runs),
        recommended: (block.recommended.as_ref())
            .and_then(|name| block.strategies.iter().position(|s| &s.name == name)),
        recommendation: block.recommendation.clone(),
    }
}

/// One row per disaster of the first model: its objective, or each strategy's when they
/// differ (each strategy is judged against its own model's).
fn objective_rows(runs: &[StrategyRun]) -> Vec<Objective> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let target = objective_text;
    (first.summary.by_disaster.iter())
        .map(|d| {
            let each: Vec<(&str, &crate::analysis::summary::ObjectivesSummary)> = (runs.iter())
                .filter_map(|run| {
                    (run.summary.by_disaster.iter())
                        .find(|e| e.disaster == d.disaster)
                        .map(|e| (run.model.name.as_str(), &e.objective))
                })
                .collect();
            let same = each.iter().all(|(_, o)| *o == &d.objective);
            Objective {
                name: d.disaster.clone(),
                target: if same {
                    target(&d.objective)
                } else {
                    (each.iter())
                        .map(|(name, o)| format!("{name}: {}", target(o)))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
                note: format!("{}, {} a year", d.kind.replace('_', " "), d.per_year),
            }
        })
        .collect()
}

/// What the report needs besides the runs: provenance and the sources of each model.
pub struct ReportContext<'a> {
    /// The exact command line.
    pub command_line: String,
    /// Today, as shown (YYYY-MM-DD).
    pub generated_on: String,
    /// Each run's sources, in run order.
    pub sources: &'a [Sources],
}

/// The design review of `runs`: table, figures, assumptions, and the typical and bad
/// region-outage traces of the recommended strategy.
pub fn design_review(
    runs: &[StrategyRun],
    comparison: &Comparison,
    context: &ReportContext<'_>,
) -> DesignReview {
    let objectives = objective_rows(runs);
    let main = &comparison.main;
    let recommended = (main.recommended.as_ref())
        .and_then(|name| main.strategies.iter().position(|s| &s.name == name));
    let figures = comparison_figures(runs, comparison)
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    let traces = recommended.map_or(Vec::new(), |i| report_traces(&runs[i], comparison));
    let mut figures: Vec<Figure> = figures;
    let tornado = recommended.map(|i| tornado_figure(&runs[i], comparison, context.sources.get(i)));
    let (tornado, deciding_input) = tornado.map_or((None, None), |(f, d)| (Some(f), d));
    figures.extend(tornado);
    DesignReview {
        title: format!("Disaster-recovery design review: {}", names(runs)),
        generated_on: context.generated_on.clone(),
        seed: comparison.seed,
        trials: comparison.trials,
        command_line: context.command_line.clone(),
        objectives,
        strategies: report_rows(&main.strategies, runs),
        recommended,
        recommendation: main.recommendation.clone(),
        by_disaster: comparison
            .by_disaster
            .iter()
            .map(|block| comparison_table(block, runs))
            .collect(),
        figures,
        assumptions: runs
            .iter()
            .zip(context.sources)
            .map(|(run, sources)| assumptions(&run.model, sources))
            .collect(),
        money_inputs: (runs.iter().zip(context.sources))
            .map(|(run, sources)| money_inputs(run, sources))
            .collect(),
        near_miss: near_miss(runs, main, recommended),
        downloads: downloads(runs),
        traces,
        deciding_input,
    }
}

/// Trials per variant of the report's tornado: the base and two ends of some thirty
/// inputs run in about two seconds on two cores, and a swing of a few points stands
/// out of the Monte Carlo noise (the variants share random numbers).
pub const TORNADO_TRIALS: u64 = 2_000;

/// The tornado of `run` (the recommended strategy) on the region outage (else all
/// disasters): what moves its P(RTO met), ten inputs at most; and a sentence naming the
/// input that moves it most, for the decision on screen one.
fn tornado_figure(
    run: &StrategyRun,
    comparison: &Comparison,
    sources: Option<&Sources>,
) -> (Figure, Option<String>) {
    let scope = (comparison.by_disaster.first())
        .and_then(|b| b.disaster.clone())
        .map_or(Scope::Overall, Scope::Disaster);
    let settings = crate::run::simulate::RunSettings {
        trials: 0..TORNADO_TRIALS,
        threads: 0,
        trials_csv: None,
    };
    let result = crate::analysis::sensitivity::sensitivity(
        &run.model,
        &run.file,
        sources,
        &scope,
        &[],
        &settings,
        |_, _| {},
    );
    let s = match result {
        Ok(s) => s,
        Err(e) => {
            let figure = Figure::Svg {
                caption: format!(
                    "The sensitivity of {} could not be run: {e}",
                    run.model.name
                ),
                svg: String::new(),
            };
            return (figure, None);
        }
    };
    let deciding = deciding_input(&s, &scope);
    let chart = TornadoChart {
        title: format!("What moves {}'s P(RTO met): {}", s.scenario, scope.title()),
        measure: "P(RTO met)".into(),
        base: s.base.p_rto_met,
        rows: (s.inputs.iter().take(10))
            .map(|i| TornadoRow {
                name: i.name.clone(),
                at_low: i.at_low.p_rto_met,
                at_high: i.at_high.p_rto_met,
            })
            .collect(),
    };
    let caption = format!(
        "Each input moved to the low and the high end of its range, all else as modelled: \
         the further a bar reaches from the dashed line, the more that input decides whether \
         {} meets its objective. {} runs of {} trials each with common random numbers (seed \
         {}); `drsim sensitivity` gives the full table.",
        s.scenario,
        s.runs,
        thousands(s.trials),
        s.seed
    );
    let figure = match render_svg(&chart) {
        Ok(svg) => Figure::Svg { caption, svg },
        Err(e) => Figure::Svg {
            caption: format!("{caption} (not drawn: {e})"),
            svg: String::new(),
        },
    };
    (figure, deciding)
}

/// "The input that most moves this answer: ..." from the tornado's top row, or `None`
/// when no input moves P(RTO met) at all.
fn deciding_input(s: &Sensitivity, scope: &Scope) -> Option<String> {
    let top = s.inputs.first().filter(|i| i.swing_p_rto_met != 0.0)?;
    let unsourced = if top.unsourced { ", unsourced" } else { "" };
    Some(format!(
        "The input that most moves this answer: {} (modelled {}{unsourced}): {} P(RTO met) \
         {} as modelled, {} at {} and {} at {} ({} runs of {} trials; see the tornado).",
        top.name,
        top.value,
        scope.title(),
        percent_1dp(s.base.p_rto_met),
        percent_1dp(top.at_low.p_rto_met),
        top.low,
        percent_1dp(top.at_high.p_rto_met),
        top.high,
        s.runs,
        thousands(s.trials),
    ))
}

/// The strategies' names, e.g. "backup-restore, pilot-light and warm-standby".
fn names(runs: &[StrategyRun]) -> String {
    let names: Vec<&str> = runs.iter().map(|r| r.model.name.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// Typical (median RTO) and bad (p99 RTO) traces of the region outage (else the main
/// scope's disaster, else the first disaster) for one strategy.
fn report_traces(run: &StrategyRun, comparison: &Comparison) -> Vec<ReportTrace> {
    let model = &run.model;
    let name = (comparison.by_disaster.first())
        .and_then(|b| b.disaster.clone())
        .or_else(|| comparison.main.disaster.clone());
    let disaster = name
        .and_then(|n| model.disasters.iter().position(|d| d.name == n))
        .unwrap_or(0);
    let disaster_name = &model.disasters[disaster].name;
    let (typical, bad) = typical_and_bad_trials(model, disaster);
    let mut simulator = TrialSimulator::new(model);
    [("Typical (median RTO)", typical), ("Bad (p99 RTO)", bad)]
        .into_iter()
        .map(|(what, trial)| {
            let (_, trace) = simulator.trace(trial);
            let heading = format!("{}: {what} {disaster_name}, trial {trial}", model.name);
            ReportTrace {
                chart: timeline(model, &trace, heading.clone()),
                heading,
                log: trace.text(),
            }
        })
        .collect()
}

/// Each run's summary as `drsim run --format json` and `--format csv` print it (same
/// seed and trials; a model with input ranges adds its input-uncertainty draws there).
pub fn downloads(runs: &[StrategyRun]) -> Vec<Download> {
    let mut files = Vec::with_capacity(runs.len() * 2);
    for run in runs {
        let name = file_part(&run.model.name);
        for (format, ext, media_type, description) in [
            (
                Format::Json,
                "json",
                "application/json",
                "every figure, overall and per disaster",
            ),
            (
                Format::Csv,
                "csv",
                "text/csv",
                "the overall row, then one row per disaster",
            ),
        ] {
            let bytes = format.exporter().serialize(&run.summary);
            let content = bytes.map_or_else(
                |e| format!("not written: {e}"),
                |b| String::from_utf8_lossy(&b).into_owned(),
            );
            files.push(Download {
                file_name: format!("{name}.summary.{ext}"),
                media_type: media_type.into(),
                description: description.into(),
                content,
            });
        }
    }
    files
}

/// The strategy that nearly meets and the disaster it misses most (compare's worst
/// miss): when nothing meets, the comparison's nearest miss; else, of the strategies
/// cheaper to run than the recommended one that miss, the one missing by least. Its
/// trace is at the objective's confidence quantile of the measure that falls short
/// (RTO or RPO): a trial that misses the objective.
fn near_miss(runs: &[StrategyRun], main: &Block, recommended: Option<usize>) -> Option<NearMiss> {
    let chosen = &main.strategies[recommended?];
    let (index, why_this) = if chosen.meets_objectives {
        let (i, s) = (main.strategies.iter().enumerate())
            .filter(|(_, s)| s.monthly_usd < chosen.monthly_usd)
            .filter_map(|(i, s)| s.worst_miss.as_ref().map(|m| (i, s, m.shortfall)))
            .min_by(|a, b| a.2.total_cmp(&b.2))
            .map(|(i, s, _)| (i, s))?;
        (
            i,
            format!(
                "{} is the cheaper strategy that comes closest ({} a month less than {}, \
                 recommended)",
                s.name,
                usd_whole(chosen.monthly_usd - s.monthly_usd),
                chosen.name
            ),
        )
    } else {
        (recommended?, format!("{} is the nearest miss", chosen.name))
    };
    let miss = main.strategies[index].worst_miss.as_ref()?;
    let run = &runs[index];
    let disaster = (run.model.disasters.iter()).position(|d| d.name == miss.disaster)?;
    let measure = match miss.measure.as_str() {
        "RPO" => Measure::Rpo,
        _ => Measure::Rto,
    };
    let o = &run.model.disasters[disaster].objective;
    let why = format!(
        "{why_this}. It misses {}: P({} met) {} against {}, so its {} trace at the {} \
         of {} shows how the objective is missed. {}",
        miss.disaster,
        miss.measure,
        percent_1dp(miss.p_met),
        percent_trimmed(miss.confidence),
        miss.disaster,
        percentile(miss.confidence),
        miss.measure,
        match measure {
            Measure::Rto => "The dashed vertical line is the RTO objective.".to_string(),
            Measure::Rpo => format!(
                "The RPO is the window of writes lost before the disaster, stated in the \
                 chart's title (objective {}).",
                format_duration(o.rpo as f64)
            ),
        }
    );
    let trial = trial_at(&run.model, disaster, measure, miss.confidence);
    Some(NearMiss {
        why,
        traces: vec![objective_trace(run, disaster, trial, measure)],
    })
}

/// "95th percentile" of a share 0.95.
fn percentile(q: f64) -> String {
    format!("{}th percentile", percent_trimmed(q).trim_end_matches('%'))
}

/// The trial of disaster `disaster` at quantile `q` of `measure` (never recovered and
/// data unrecoverable rank last).
pub fn trial_at(model: &Model, disaster: usize, measure: Measure, q: f64) -> u64 {
    let k = model.disasters.len();
    let mut simulator = TrialSimulator::new(model);
    let mut outcomes: Vec<(u64, u64)> = (disaster as u64..model.simulation.trials)
        .step_by(k)
        .map(|i| {
            let o = simulator.run(i);
            let value = match measure {
                Measure::Rto => o.rto,
                Measure::Rpo => o.rpo,
            };
            (value.unwrap_or(u64::MAX), i)
        })
        .collect();
    if outcomes.is_empty() {
        return disaster as u64;
    }
    outcomes.sort_unstable();
    let rank = ((q * outcomes.len() as f64).ceil() as usize).clamp(1, outcomes.len());
    outcomes[rank - 1].1
}

/// One trial of `run` traced with its disaster's RTO objective drawn on the timeline and
/// its RPO (and objective) in the title.
fn objective_trace(
    run: &StrategyRun,
    disaster: usize,
    trial: u64,
    measure: Measure,
) -> ReportTrace {
    let model = &run.model;
    let d = &model.disasters[disaster];
    let (outcome, trace) = TrialSimulator::new(model).trace(trial);
    let rpo = match outcome.rpo {
        Some(ms) => format_duration(ms as f64),
        None => "all data (no copy survived)".into(),
    };
    let heading = format!(
        "{}: {} at the {} of {}, trial {trial}: RPO {rpo} (objective {})",
        model.name,
        d.name,
        percentile(d.objective.confidence),
        measure.name(),
        format_duration(d.objective.rpo as f64)
    );
    let mut chart = timeline(model, &trace, heading.clone());
    // The RTO objective line, when the RTO is what falls short or the line lands on the
    // trace: a distant line for a missed RPO would squash the recovery to a sliver.
    let on_trace = d.objective.rto <= trace.end;
    if d.objective.clock.is_disaster() && (measure == Measure::Rto || on_trace) {
        chart.objective_ms = Some(d.objective.rto as f64);
        chart.objective_label = format!(
            "RTO objective ({})",
            format_duration(d.objective.rto as f64)
        );
    }
    ReportTrace {
        chart,
        heading,
        log: trace.text(),
    }
}

/// Today's date in UTC as YYYY-MM-DD, from the system clock (civil-from-days).
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_from_days((secs / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
pub fn date_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Backups at set times of day read as those times ("daily, 2 times" before), and
    /// a value the model did not write is a built-in default.
    #[test]
    fn daily_backups_read_as_times_of_day() {
        use crate::model::units::{DAY, HOUR, MINUTE};
        use crate::model::{BackupEngine, Backups, Dist, Schedule};
        let mut model = crate::run::fixtures::model(&[("region-outage", 1.0)]);
        model.backups = Some(Backups {
            schedule: Schedule::DailyAt(vec![3 * HOUR, 15 * HOUR + 30 * MINUTE]),
            engine: BackupEngine::Rds,
            start_window: 0,
            region: 0,
            duration: Dist::Fixed(0.0),
            copy: None,
            retention: 35 * DAY,
            vault_lock: VaultLock::Off,
            point_in_time: None,
            restore_gb_per_hour: 100.0,
            restore_fixed: Dist::Fixed(0.0),
            fast_snapshot_restore: false,
        });
        let found = assumptions(&model, &Sources::default());
        let schedule = (found.parameters.iter())
            .find(|p| p.name == "backup schedule")
            .unwrap();
        let region = &model.regions[0].name;
        assert_eq!(
            schedule.value,
            format!("daily at 03:00, 15:30 UTC in {region}")
        );
        assert_eq!(schedule.source, "built-in default");
    }

    /// Two kinds: A once a year, losing 0, 1, 2 or 3 dollars (one trial each); B twice a
    /// year, losing 0 or 10 dollars. Above $1.50: A half the time, B half the time, so
    /// the rate is 1 x 0.5 + 2 x 0.5 = 1.5 a year and the chance 1 - e^-1.5 = 0.77687.
    /// Above $5 only B: rate 1, chance 1 - e^-1 = 0.63212; above $10 nothing.
    #[test]
    fn loss_exceedance_combines_the_disasters_as_poisson_processes() {
        let a: LossStratum = (1.0, 4, vec![(0, 1), (100, 2), (200, 3), (300, 4)]);
        let b: LossStratum = (2.0, 2, vec![(0, 1), (1000, 2)]);
        let strata = [a, b];
        assert!((chance_above(&strata, 150) - 0.776_870).abs() < 1e-6);
        assert!((chance_above(&strata, 500) - 0.632_121).abs() < 1e-6);
        assert!((chance_above(&strata, 200) - (1.0 - (-1.25f64).exp())).abs() < 1e-12);
        assert_eq!(chance_above(&strata, 1000), 0.0);
    }

    #[test]
    fn dates_from_day_counts() {
        assert_eq!(date_from_days(0), "1970-01-01");
        assert_eq!(date_from_days(11_016), "2000-02-29");
        assert_eq!(date_from_days(20_415), "2025-11-23");
    }
}
