//! CSV: the overall row, then one row per disaster, every figure in its own column.
//! An empty cell is a `None` ("never", or no trials).

use std::io;

use super::Exporter;
use crate::analysis::summary::{Figures, ObjectivesSummary, Quantiles, Summary};
use crate::present::table::csv_bytes;

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
            figures: &summary.overall,
        };
        let by_disaster = summary.by_disaster.iter().map(|d| Row {
            disaster: &d.disaster,
            kind: &d.kind,
            per_year: d.per_year,
            weight: d.weight,
            trials: d.trials,
            objective: Some(&d.objective),
            figures: &d.figures,
        });
        let rows = std::iter::once(overall)
            .chain(by_disaster)
            .map(|r| r.cells());
        csv_bytes(std::iter::once(header()).chain(rows))
    }
}

fn header() -> Vec<String> {
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
        for q in [
            &f.rto_seconds,
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
        ]);
        cells
    }
}

fn quantile_cells(q: &Quantiles) -> [String; 6] {
    [q.mean, q.p50, q.p90, q.p95, q.p99, q.max]
        .map(|v| v.map(|s| s.to_string()).unwrap_or_default())
}
