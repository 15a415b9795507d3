//! A readable text table: a heading with the run's settings, then a table of recovery
//! times and one of data loss, each with the overall row first and a row per disaster.

use std::fmt::Write as _;
use std::io;

use super::Exporter;
use crate::analysis::summary::{Figures, ObjectivesSummary, Quantiles, Summary};
use crate::present::format::{percent_interval, percent_trimmed, points, seconds_or_never};
use crate::present::table::{Align, text_table};
use crate::sim::trial::RecoveryStep;

/// Exports the summary as text tables.
pub struct TableExporter;

impl Exporter for TableExporter {
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>> {
        let mut text = render(summary);
        if let Some(cost) = &summary.cost {
            text.push('\n');
            text.push_str(&crate::present::cost::table(cost));
        }
        if let Some(u) = &summary.input_uncertainty {
            text.push('\n');
            text.push_str(&crate::present::sensitivity::uncertainty_table(u));
        }
        Ok(text.into_bytes())
    }
}

/// The whole report as text.
fn render(s: &Summary) -> String {
    let rto = rto_objective(&s.objectives);
    let rpo = seconds_or_never(Some(s.objectives.rpo_seconds));
    let confidence = percent_trimmed(s.objectives.confidence);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario    {} (drsim {})",
        s.scenario, s.drsim_version
    );
    let _ = writeln!(
        out,
        "trials      {} (seed {}), horizon {}",
        s.trials,
        s.seed,
        seconds_or_never(Some(s.horizon_seconds))
    );
    let _ = writeln!(
        out,
        "objectives  by default RTO <= {rto} and RPO <= {rpo}, each for {confidence} of a \
         disaster's occurrences; each disaster's own in the last table"
    );
    let _ = write!(
        out,
        "recovered   at {} of nominal request success",
        percent_trimmed(s.recovery_threshold)
    );
    if !s.rto_thresholds.is_empty() {
        let shares: Vec<String> = s
            .rto_thresholds
            .iter()
            .map(|&t| percent_trimmed(t))
            .collect();
        let _ = write!(out, "; RTO also timed at {}", shares.join(", "));
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "quantiles   nearest-rank, {} relative error; means over recovered trials only; \
         overall = weighted by disaster frequency",
        percent_trimmed(s.quantile_relative_error)
    );
    out.push('\n');
    out.push_str("Recovery time (RTO)\n");
    out.push_str(&metric_table(s, "P(RTO met)", "never recovered", |f| {
        (
            &f.rto_seconds,
            f.p_rto_met,
            f.p_rto_met_ci95,
            f.never_recovered,
        )
    }));
    out.push('\n');
    if !s.rto_thresholds.is_empty() {
        out.push_str("Recovery time by share of requests succeeding (p50 / p99)\n");
        out.push_str(&thresholds_table(s));
        out.push('\n');
    }
    if s.by_disaster
        .iter()
        .any(|d| d.rto_from_clock_seconds.is_some())
    {
        out.push_str("Recovery time from the objective's clock (what P(RTO met) counts)\n");
        out.push_str(&clock_table(s));
        out.push('\n');
    }
    out.push_str("Data loss (RPO)\n");
    out.push_str(&metric_table(s, "P(RPO met)", "data lost", |f| {
        (
            &f.rpo_seconds,
            f.p_rpo_met,
            f.p_rpo_met_ci95,
            f.data_unrecoverable,
        )
    }));
    out.push('\n');
    if s.by_disaster.iter().any(|d| d.figures.failback_needed > 0) {
        out.push_str(
            "Fail-back (planned: the writer moved home after a promotion or a restore \
             elsewhere; not in the RTO)\n",
        );
        out.push_str(&failback_table(s));
        out.push('\n');
    }
    if s.by_disaster
        .iter()
        .any(|d| d.figures.failed_recoveries > 0)
    {
        out.push_str(
            "Failed or stalled recovery steps (a launch refused, a deploy rolled back, a \
             promotion or restore failed, retried as the model says; or waiting for an \
             impaired control plane)\n",
        );
        out.push_str(&failed_recovery_table(s));
        out.push('\n');
    }
    out.push_str(
        "Objectives per disaster (met when P(RTO met) and P(RPO met) reach the confidence)\n",
    );
    out.push_str(&objectives_table(s));
    out.push('\n');
    let met = (s.by_disaster.iter())
        .filter(|d| d.figures.meets_objectives)
        .count();
    let verdict = if s.overall.meets_objectives {
        "yes"
    } else {
        "NO"
    };
    let _ = writeln!(
        out,
        "objectives met: {verdict} ({met} of {} disasters meet their own; {} of disasters by frequency)",
        s.by_disaster.len(),
        percent_trimmed(s.p_objectives_met),
    );
    out
}

/// One row per disaster: its objective, both probabilities with their intervals, and
/// whether (or by how much it falls short) it meets it.
fn objectives_table(s: &Summary) -> String {
    let mut rows = vec![
        [
            "disaster",
            "weight",
            "RTO",
            "RPO",
            "confidence",
            "P(RTO met)",
            "95% CI",
            "P(RPO met)",
            "95% CI",
            "met",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for d in &s.by_disaster {
        let f = &d.figures;
        let [rto_lo, rto_hi] = f.p_rto_met_ci95;
        let [rpo_lo, rpo_hi] = f.p_rpo_met_ci95;
        let met = if f.meets_objectives {
            "yes".to_string()
        } else {
            format!("NO, {} short", points(d.shortfall))
        };
        rows.push(vec![
            d.disaster.clone(),
            percent_trimmed(d.weight),
            rto_objective(&d.objective),
            seconds_or_never(Some(d.objective.rpo_seconds)),
            percent_trimmed(d.objective.confidence),
            percent_trimmed(f.p_rto_met),
            percent_interval(rto_lo, rto_hi),
            percent_trimmed(f.p_rpo_met),
            percent_interval(rpo_lo, rpo_hi),
            met,
        ]);
    }
    text_table(&rows, "  ", &[Align::Left])
}

/// An RTO objective, with its clock when it is not the disaster's start: "2d from
/// detection".
fn rto_objective(o: &ObjectivesSummary) -> String {
    format!(
        "{}{}",
        seconds_or_never(Some(o.rto_seconds)),
        o.clock.after_rto()
    )
}

/// The RTO at each share of `rto_thresholds`, side by side: p50 and p99 per share, the
/// overall row first.
fn thresholds_table(s: &Summary) -> String {
    let mut header = vec!["disaster".to_string(), "weight".to_string()];
    for &share in &s.rto_thresholds {
        let share = percent_trimmed(share);
        header.extend([format!("{share} p50"), format!("{share} p99")]);
    }
    let row = |name: &str, weight: f64, f: &Figures| {
        let mut cells = vec![name.to_string(), percent_trimmed(weight)];
        for t in &f.rto_by_threshold_seconds {
            cells.extend([t.seconds.p50, t.seconds.p99].map(seconds_or_never));
        }
        cells
    };
    let mut rows = vec![header, row("overall", 1.0, &s.overall)];
    rows.extend((s.by_disaster.iter()).map(|d| row(&d.disaster, d.weight, &d.figures)));
    text_table(&rows, "  ", &[Align::Left])
}

/// The RTO counted from each disaster's own clock, for the disasters whose objective
/// counts it from the alarm or the decision.
fn clock_table(s: &Summary) -> String {
    let header = [
        "disaster",
        "from",
        "mean",
        "p50",
        "p90",
        "p95",
        "p99",
        "max",
        "objective",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    for d in &s.by_disaster {
        let Some(q) = &d.rto_from_clock_seconds else {
            continue;
        };
        let mut cells = vec![d.disaster.clone(), d.objective.clock.name().to_string()];
        cells.push(
            q.mean
                .map_or_else(|| "-".to_string(), |m| seconds_or_never(Some(m))),
        );
        cells.extend([q.p50, q.p90, q.p95, q.p99, q.max].map(seconds_or_never));
        cells.push(seconds_or_never(Some(d.objective.rto_seconds)));
        rows.push(cells);
    }
    text_table(&rows, "  ", &[Align::Left])
}

/// One row per disaster needing a fail-back: how often (count and share of its trials),
/// how often the failover was not needed (the failure ended first), and how long the
/// fail-back takes.
fn failback_table(s: &Summary) -> String {
    let mut rows = vec![
        [
            "disaster",
            "trials",
            "fail-back needed",
            "unneeded failovers",
            "p50",
            "p90",
            "p99",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let share = |count: u64, trials: u64| {
        let p = if trials == 0 {
            0.0
        } else {
            count as f64 / trials as f64
        };
        format!("{count} ({})", percent_trimmed(p))
    };
    for d in (s.by_disaster.iter()).filter(|d| d.figures.failback_needed > 0) {
        let f = &d.figures;
        let q = &f.failback_seconds;
        let mut cells = vec![
            d.disaster.clone(),
            d.trials.to_string(),
            share(f.failback_needed, d.trials),
            share(f.unneeded_failovers, d.trials),
        ];
        cells.extend([q.p50, q.p90, q.p99].map(seconds_or_never));
        rows.push(cells);
    }
    text_table(&rows, "  ", &[Align::Left])
}

/// One row per disaster in which some recovery step failed or stalled: in how many
/// trials, which step (a trial may count under several), and the RTO with and without.
fn failed_recovery_table(s: &Summary) -> String {
    let mut rows = vec![
        [
            "disaster",
            "trials",
            "some step failed",
            "launch",
            "iac",
            "database",
            "control plane",
            "RTO p50/p99 failed",
            "RTO p50/p99 not",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let p50_p99 =
        |q: &Quantiles| format!("{} / {}", seconds_or_never(q.p50), seconds_or_never(q.p99));
    for d in (s.by_disaster.iter()).filter(|d| d.figures.failed_recoveries > 0) {
        let f = &d.figures;
        let mut cells = vec![
            d.disaster.clone(),
            d.trials.to_string(),
            format!(
                "{} ({})",
                f.failed_recoveries,
                percent_trimmed(f.failed_recovery_share)
            ),
        ];
        let by_step = &f.failed_recovery_share_by_step;
        cells.extend(RecoveryStep::ALL.map(|step| percent_trimmed(by_step.get(step))));
        let split = &f.rto_by_failed_recovery_seconds;
        cells.extend([p50_p99(&split.failed), p50_p99(&split.clean)]);
        rows.push(cells);
    }
    text_table(&rows, "  ", &[Align::Left])
}

/// What one table shows of a row's figures: quantiles, probability met, its interval and
/// the count of trials without a value.
type Pick = fn(&Figures) -> (&Quantiles, f64, [f64; 2], u64);

fn metric_table(s: &Summary, p_label: &str, none_label: &str, pick: Pick) -> String {
    let mut rows = vec![
        [
            "disaster", "weight", "trials", "mean", "p50", "p90", "p95", "p99", "max", p_label,
            "95% CI", none_label,
        ]
        .map(String::from)
        .to_vec(),
    ];
    rows.push(row("overall", 1.0, s.trials, &s.overall, pick));
    for d in &s.by_disaster {
        rows.push(row(&d.disaster, d.weight, d.trials, &d.figures, pick));
    }
    // The first column (names) left-aligned, the figures right-aligned.
    text_table(&rows, "  ", &[Align::Left])
}

fn row(name: &str, weight: f64, trials: u64, figures: &Figures, pick: Pick) -> Vec<String> {
    let (q, p, [lo, hi], none) = pick(figures);
    let mut cells = vec![
        name.to_string(),
        percent_trimmed(weight),
        trials.to_string(),
    ];
    cells.push(
        q.mean
            .map_or_else(|| "-".to_string(), |m| seconds_or_never(Some(m))),
    );
    cells.extend([q.p50, q.p90, q.p95, q.p99, q.max].map(seconds_or_never));
    cells.push(percent_trimmed(p));
    cells.push(percent_interval(lo, hi));
    cells.push(none.to_string());
    cells
}
