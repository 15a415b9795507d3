//! A readable text table: a heading with the run's settings, then a table of recovery
//! times and one of data loss, each with the overall row first and a row per disaster.

use std::fmt::Write as _;
use std::io;

use super::Exporter;
use crate::analysis::summary::{Figures, Quantiles, Summary};
use crate::model::units::format_duration;

/// Exports the summary as text tables.
pub struct TableExporter;

impl Exporter for TableExporter {
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>> {
        let mut text = render(summary);
        if let Some(cost) = &summary.cost {
            text.push('\n');
            text.push_str(&cost.render(crate::analysis::cost::format::Format::Table));
        }
        Ok(text.into_bytes())
    }
}

/// The whole report as text.
fn render(s: &Summary) -> String {
    let rto = duration(Some(s.objectives.rto_seconds));
    let rpo = duration(Some(s.objectives.rpo_seconds));
    let confidence = percent(s.objectives.confidence);
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
        duration(Some(s.horizon_seconds))
    );
    let _ = writeln!(
        out,
        "objectives  RTO <= {rto} and RPO <= {rpo}, each for {confidence} of disasters"
    );
    let _ = writeln!(
        out,
        "recovered   at {} of nominal request success",
        percent(s.recovery_threshold)
    );
    let _ = writeln!(
        out,
        "quantiles   nearest-rank, {} relative error; means over recovered trials only; \
         overall = weighted by disaster frequency",
        percent(s.quantile_relative_error)
    );
    out.push('\n');
    out.push_str("Recovery time (RTO)\n");
    out.push_str(&metric_table(
        s,
        &format!("P(RTO <= {rto})"),
        "never recovered",
        |f| {
            (
                &f.rto_seconds,
                f.p_rto_met,
                f.p_rto_met_ci95,
                f.never_recovered,
            )
        },
    ));
    out.push('\n');
    out.push_str("Data loss (RPO)\n");
    out.push_str(&metric_table(
        s,
        &format!("P(RPO <= {rpo})"),
        "data lost",
        |f| {
            (
                &f.rpo_seconds,
                f.p_rpo_met,
                f.p_rpo_met_ci95,
                f.data_unrecoverable,
            )
        },
    ));
    out.push('\n');
    let verdict = if s.overall.meets_objectives {
        "yes"
    } else {
        "NO"
    };
    let _ = writeln!(
        out,
        "objectives met: {verdict} (P(RTO <= {rto}) = {}, P(RPO <= {rpo}) = {}, required {confidence})",
        percent(s.overall.p_rto_met),
        percent(s.overall.p_rpo_met),
    );
    out
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
    align(&rows)
}

fn row(name: &str, weight: f64, trials: u64, figures: &Figures, pick: Pick) -> Vec<String> {
    let (q, p, [lo, hi], none) = pick(figures);
    let mut cells = vec![name.to_string(), percent(weight), trials.to_string()];
    cells.push(
        q.mean
            .map_or_else(|| "-".to_string(), |m| duration(Some(m))),
    );
    cells.extend([q.p50, q.p90, q.p95, q.p99, q.max].map(duration));
    cells.push(percent(p));
    cells.push(interval(lo, hi));
    cells.push(none.to_string());
    cells
}

/// Columns padded to their widest cell: the first left-aligned, the others right-aligned.
fn align(rows: &[Vec<String>]) -> String {
    let columns = rows[0].len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::from("  ");
        for (c, cell) in r.iter().enumerate() {
            if c == 0 {
                let _ = write!(line, "{cell:<w$}", w = widths[c]);
            } else {
                let _ = write!(line, "  {cell:>w$}", w = widths[c]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Seconds in human units; `None` is "never".
fn duration(seconds: Option<f64>) -> String {
    seconds.map_or_else(|| "never".to_string(), |s| format_duration(s * 1000.0))
}

/// A share as a percentage: two decimals, fewer when they are zeros ("99%", "99.5%").
fn percent(share: f64) -> String {
    percent_to(share, 2)
}

fn percent_to(share: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", share * 100.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// A confidence interval, with as many decimals (2 to 4) as it takes for a narrow
/// interval not to print as "[90%, 90%]".
fn interval(lo: f64, hi: f64) -> String {
    let (lo, hi) = (2..=4)
        .map(|d| (percent_to(lo, d), percent_to(hi, d)))
        .find(|(l, h)| l != h)
        .unwrap_or_else(|| (percent(lo), percent(hi)));
    format!("[{lo}, {hi}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_drop_trailing_zeros() {
        assert_eq!(percent(0.99), "99%");
        assert_eq!(percent(0.995), "99.5%");
        assert_eq!(percent(0.001), "0.1%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.123456), "12.35%");
    }

    #[test]
    fn narrow_intervals_get_the_decimals_they_need() {
        assert_eq!(interval(0.5, 0.75), "[50%, 75%]");
        assert_eq!(interval(0.898747, 0.901253), "[89.87%, 90.13%]");
        assert_eq!(interval(0.89995, 0.90004), "[89.995%, 90.004%]");
        assert_eq!(interval(1.0, 1.0), "[100%, 100%]");
    }
}
