//! CSV: the overall row, then one row per disaster, every figure in its own column.
//! An empty cell is a `None` ("never", or no trials). A model with `rto_thresholds`
//! adds `rto_at_SHARE_STAT_s` columns after the RTO's (SHARE in percent, e.g.
//! `rto_at_90_p99_s`); one whose objectives count the RTO from another clock adds
//! `clock` and `rto_from_clock_STAT_s` at the end (empty where the clock is the
//! disaster's start, and on the overall row).

use std::io;

use super::Exporter;
use crate::analysis::summary::{Figures, ObjectivesSummary, Quantiles, Summary};
use crate::present::format::percent_trimmed;
use crate::present::table::csv_bytes;
use crate::sim::trial::RecoveryStep;

/// Exports the summary as CSV.
pub struct CsvExporter;

const METRICS: [&str; 5] = ["rto", "rpo", "first_success", "full_capacity", "failback"];
const STATISTICS: [&str; 6] = ["mean", "p50", "p90", "p95", "p99", "max"];

impl Exporter for CsvExporter {
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>> {
        let total_per_year = summary.by_disaster.iter().map(|d| d.per_year).sum::<f64>();
        let overall = Row {
            disaster: "overall",
            kind: "",
            per_year: total_per_year,
            weight: 1.0,
            trials: summary.trials,
            objective: None,
            from_clock: None,
            figures: &summary.overall,
        };
        let by_disaster = summary.by_disaster.iter().map(|d| Row {
            disaster: &d.disaster,
            kind: &d.kind,
            per_year: d.per_year,
            weight: d.weight,
            trials: d.trials,
            objective: Some(&d.objective),
            from_clock: d.rto_from_clock_seconds.as_ref(),
            figures: &d.figures,
        });
        let clocked = (summary.by_disaster.iter()).any(|d| d.rto_from_clock_seconds.is_some());
        let rows = std::iter::once(overall).chain(by_disaster).map(|r| {
            let mut cells = r.cells();
            if clocked {
                cells.extend(r.clock_cells());
            }
            cells
        });
        let mut header = header(&summary.rto_thresholds);
        if clocked {
            header.push("clock".into());
            header.extend(STATISTICS.map(|s| format!("rto_from_clock_{s}_s")));
        }
        csv_bytes(std::iter::once(header).chain(rows))
    }
}

fn header(rto_thresholds: &[f64]) -> Vec<String> {
    let mut header: Vec<String> = [
        "disaster",
        "kind",
        "per_year",
        "weight",
        "trials",
        "rto_objective_s",
        "rpo_objective_s",
        "confidence",
    ]
    .map(String::from)
    .into();
    for metric in METRICS {
        header.extend(STATISTICS.map(|s| format!("{metric}_{s}_s")));
        if metric == "rto" {
            for &share in rto_thresholds {
                let percent = percent_trimmed(share);
                let percent = percent.trim_end_matches('%');
                header.extend(STATISTICS.map(|s| format!("rto_at_{percent}_{s}_s")));
            }
        }
    }
    header.extend(
        [
            "p_rto_met",
            "p_rto_met_lo",
            "p_rto_met_hi",
            "p_rpo_met",
            "p_rpo_met_lo",
            "p_rpo_met_hi",
            "never_recovered",
            "data_unrecoverable",
            "meets_objectives",
            "events",
            "failback_needed",
            "unneeded_failovers",
            "failed_recoveries",
            "failed_recovery_share",
        ]
        .map(String::from),
    );
    header.extend(RecoveryStep::ALL.map(|step| format!("failed_{}_share", step.name())));
    header.extend(
        [
            "rto_failed_p50_s",
            "rto_failed_p99_s",
            "rto_clean_p50_s",
            "rto_clean_p99_s",
        ]
        .map(String::from),
    );
    header
}

struct Row<'a> {
    disaster: &'a str,
    kind: &'a str,
    per_year: f64,
    weight: f64,
    trials: u64,
    /// The disaster's own objective; `None` on the overall row (each disaster has its own).
    objective: Option<&'a ObjectivesSummary>,
    /// The RTO from the objective's clock, when that is not the disaster's start.
    from_clock: Option<&'a Quantiles>,
    figures: &'a Figures,
}

impl Row<'_> {
    fn cells(&self) -> Vec<String> {
        let f = self.figures;
        let mut cells = vec![
            self.disaster.to_string(),
            self.kind.to_string(),
            self.per_year.to_string(),
            self.weight.to_string(),
            self.trials.to_string(),
        ];
        match self.objective {
            Some(o) => cells.extend([
                o.rto_seconds.to_string(),
                o.rpo_seconds.to_string(),
                o.confidence.to_string(),
            ]),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
        cells.extend(quantile_cells(&f.rto_seconds));
        for t in &f.rto_by_threshold_seconds {
            cells.extend(quantile_cells(&t.seconds));
        }
        for q in [
            &f.rpo_seconds,
            &f.first_success_seconds,
            &f.full_capacity_seconds,
            &f.failback_seconds,
        ] {
            cells.extend(quantile_cells(q));
        }
        let [rto_lo, rto_hi] = f.p_rto_met_ci95;
        let [rpo_lo, rpo_hi] = f.p_rpo_met_ci95;
        cells.extend([
            f.p_rto_met.to_string(),
            rto_lo.to_string(),
            rto_hi.to_string(),
            f.p_rpo_met.to_string(),
            rpo_lo.to_string(),
            rpo_hi.to_string(),
            f.never_recovered.to_string(),
            f.data_unrecoverable.to_string(),
            f.meets_objectives.to_string(),
            f.events.to_string(),
            f.failback_needed.to_string(),
            f.unneeded_failovers.to_string(),
            f.failed_recoveries.to_string(),
            f.failed_recovery_share.to_string(),
        ]);
        let by_step = &f.failed_recovery_share_by_step;
        cells.extend(RecoveryStep::ALL.map(|step| by_step.get(step).to_string()));
        let split = &f.rto_by_failed_recovery_seconds;
        for q in [&split.failed, &split.clean] {
            cells.extend([q.p50, q.p99].map(|v| v.map_or_else(String::new, |v| v.to_string())));
        }
        cells
    }
}

impl Row<'_> {
    /// The `clock` and `rto_from_clock_*` cells.
    fn clock_cells(&self) -> Vec<String> {
        let clock = match (self.from_clock, self.objective) {
            (Some(_), Some(o)) => o.clock.name().to_string(),
            _ => String::new(),
        };
        let mut cells = vec![clock];
        match self.from_clock {
            Some(q) => cells.extend(quantile_cells(q)),
            None => cells.extend(std::iter::repeat_n(String::new(), STATISTICS.len())),
        }
        cells
    }
}

fn quantile_cells(q: &Quantiles) -> [String; 6] {
    [q.mean, q.p50, q.p90, q.p95, q.p99, q.max]
        .map(|v| v.map(|s| s.to_string()).unwrap_or_default())
}
