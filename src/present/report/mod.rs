//! Report formats: one module per format behind one trait, as in hyperfine's `export/`.
//!
//! Every format prints the same [`Summary`]; per-trial rows have their own writer in
//! [`crate::run::trials_csv`].

mod csv;
mod json;
mod table;

use std::io;

use crate::analysis::summary::Summary;
use crate::present::Format;

pub use self::csv::CsvExporter;
pub use self::json::JsonExporter;
pub use self::table::TableExporter;

/// Turns a summary into the bytes of one format.
pub trait Exporter {
    /// The summary in this format.
    fn serialize(&self, summary: &Summary) -> io::Result<Vec<u8>>;
}

impl Format {
    /// The exporter of this format.
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Table => Box::new(TableExporter),
            Format::Json => Box::new(JsonExporter),
            Format::Csv => Box::new(CsvExporter),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::fixtures::{fake_stats, model};

    fn summary() -> Summary {
        let model = model(&[("az-outage", 9.0), ("region-outage", 1.0)]);
        Summary::new(&model, &fake_stats(&model, 0..4000))
    }

    fn text(format: Format) -> String {
        String::from_utf8(format.exporter().serialize(&summary()).unwrap()).unwrap()
    }

    const FIGURE_KEYS: [&str; 21] = [
        "rto_seconds",
        "rpo_seconds",
        "first_success_seconds",
        "full_capacity_seconds",
        "p_rto_met",
        "p_rto_met_ci95",
        "p_rpo_met",
        "p_rpo_met_ci95",
        "never_recovered",
        "data_unrecoverable",
        "failback_needed",
        "failback_seconds",
        "unneeded_failovers",
        "failed_recoveries",
        "failed_recovery_share",
        "failed_recovery_share_by_step",
        "rto_by_failed_recovery_seconds",
        "meets_objectives",
        "events",
        // Keys of `Quantiles`, checked on rto_seconds below.
        "mean",
        "p99",
    ];

    fn keys(value: &serde_json::Value) -> Vec<&str> {
        value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn json_has_the_documented_keys_in_a_stable_order() {
        let json = text(Format::Json);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let head = [
            "drsim_version",
            "scenario",
            "trials",
            "seed",
            "horizon_seconds",
            "recovery_threshold",
            "quantile_relative_error",
            "objectives",
            "p_objectives_met",
        ];
        let mut expected: Vec<&str> = head.to_vec();
        expected.extend(&FIGURE_KEYS[..19]);
        expected.push("by_disaster");
        // serde_json's map is sorted unless preserve_order: check the text order instead.
        let positions: Vec<usize> = expected
            .iter()
            .map(|k| {
                json.find(&format!("\n  \"{k}\":"))
                    .unwrap_or_else(|| panic!("no key {k}"))
            })
            .collect();
        assert!(positions.is_sorted(), "keys out of order: {expected:?}");
        assert_eq!(keys(&value).len(), expected.len());
        assert_eq!(
            keys(&value["rto_seconds"]),
            ["max", "mean", "p50", "p90", "p95", "p99"]
        );
        assert_eq!(
            keys(&value["objectives"]),
            ["confidence", "rpo_seconds", "rto_seconds"]
        );
        assert_eq!(value["quantile_relative_error"], 0.001);
        let by_disaster = value["by_disaster"].as_array().unwrap();
        let names: Vec<&str> = by_disaster
            .iter()
            .map(|d| d["disaster"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["az-outage", "region-outage"]);
        for d in by_disaster {
            for key in [
                "kind",
                "per_year",
                "weight",
                "trials",
                "objective",
                "shortfall",
            ]
            .iter()
            .chain(&FIGURE_KEYS[..19])
            {
                assert!(d.get(key).is_some(), "by_disaster lacks {key}");
            }
        }
        // Region outages never recover one time in four: p90 is "never" (null).
        assert!(by_disaster[1]["rto_seconds"]["p90"].is_null());
        assert_eq!(by_disaster[1]["never_recovered"], 500);
        assert_eq!(value["p_rto_met_ci95"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn csv_has_the_overall_row_then_one_row_per_disaster() {
        let csv = text(Format::Csv);
        let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let names: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
        assert_eq!(names, ["overall", "az-outage", "region-outage"]);
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert_eq!(&rows[2][column("rto_p90_s")], "");
        assert_eq!(&rows[2][column("rto_p50_s")], "3600");
        assert_eq!(&rows[0][column("trials")], "4000");
        assert!(rows.iter().all(|r| r.len() == header.len()));
    }

    /// A model timing two more shares and counting the region outage's RTO from the
    /// alarm: every format shows both, and a model without them shows neither (the
    /// other tests here).
    #[test]
    fn rto_shares_and_clocks_appear_in_every_format() {
        let mut model = model(&[("az-outage", 9.0), ("region-outage", 1.0)]);
        model.simulation.rto_thresholds = vec![0.5, 0.9];
        model.disasters[1].objective.clock = crate::model::Clock::Detection;
        let summary = Summary::new(&model, &fake_stats(&model, 0..4000));
        let text = |format: Format| {
            String::from_utf8(format.exporter().serialize(&summary).unwrap()).unwrap()
        };
        let table = text(Format::Table);
        for needle in [
            "RTO also timed at 50%, 90%",
            "Recovery time by share of requests succeeding (p50 / p99)",
            "50% p50  50% p99  90% p50  90% p99",
            "Recovery time from the objective's clock",
            "15m from detection",
        ] {
            assert!(table.contains(needle), "no {needle:?} in\n{table}");
        }
        let json: serde_json::Value = serde_json::from_str(&text(Format::Json)).unwrap();
        assert_eq!(json["rto_thresholds"], serde_json::json!([0.5, 0.9]));
        let region = &json["by_disaster"][1];
        assert_eq!(region["objective"]["clock"], "detection");
        // fake_outcome: 1 h RTO, alarm at 10 s: 59 m 50 s from the alarm.
        assert_eq!(region["rto_from_clock_seconds"]["p50"], 3590.0);
        assert_eq!(region["rto_by_threshold_seconds"][1]["threshold"], 0.9);
        assert!(
            json["by_disaster"][0]
                .get("rto_from_clock_seconds")
                .is_none()
        );
        let csv = text(Format::Csv);
        let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        assert!(column("rto_max_s") < column("rto_at_50_mean_s"));
        assert!(column("rto_at_90_max_s") < column("rpo_mean_s"));
        assert_eq!(&rows[2][column("rto_at_50_p50_s")], "1800");
        assert_eq!(&rows[2][column("clock")], "detection");
        assert_eq!(&rows[2][column("rto_from_clock_p50_s")], "3590");
        assert_eq!(&rows[1][column("clock")], "");
        assert!(rows.iter().all(|r| r.len() == header.len()));
    }

    #[test]
    fn table_states_the_run_and_shows_never() {
        let table = text(Format::Table);
        for needle in [
            "test-scenario",
            "seed 42",
            "0.1% relative error",
            "by default RTO <= 15m and RPO <= 5m, each for 90% of a disaster's occurrences",
            "never",
            "P(RTO met)",
            "Objectives per disaster",
            // Region outages: P(RTO met) 0 and P(RPO met) 0 against 90%.
            "NO, 90.0 points short",
            "objectives met: NO (1 of 2 disasters meet their own; 90% of disasters by frequency)",
        ] {
            assert!(table.contains(needle), "no {needle:?} in\n{table}");
        }
        let az = table.find("  az-outage").unwrap();
        let region = table.find("  region-outage").unwrap();
        assert!(
            table.find("  overall").unwrap() < az && az < region,
            "{table}"
        );
    }
}
