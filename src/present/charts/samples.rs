//! Hand-made inputs for every chart and for the design-review report.
//!
//! They show how to fill each struct, feed the tests, the browser test and the sample
//! gallery (`cargo run --example chart_samples`). The numbers are plausible, not simulated.

use super::cdf::{CdfChart, CdfSeries};
use super::cost_bars::CostBarsChart;
use super::html_report::{
    Assumption, DesignReview, DisasterCell, Figure, Objective, StrategyAssumptions, StrategyRow,
    Trace,
};
use super::pareto::ParetoChart;
use super::timeline::{Marker, Span, SpanKind, TimelineChart};
use crate::analysis::pareto::StrategyPoint;
use crate::model::units::{HOUR, MINUTE, SECOND};

const STRATEGIES: [&str; 4] = [
    "Backup & restore",
    "Pilot light",
    "Warm standby",
    "Active/active",
];

/// A step CDF through `times_ms` (each one trial), reaching `final_share`.
fn step_cdf(times_ms: &[f64], final_share: f64) -> Vec<(f64, f64)> {
    let n = times_ms.len() as f64;
    let mut points = vec![(times_ms[0], 0.0)];
    for (i, t) in times_ms.iter().enumerate() {
        let before = points.last().map_or(0.0, |p| p.1);
        points.push((*t, before));
        points.push((*t, (i + 1) as f64 / n * final_share));
    }
    points
}

/// Recovery times (ms) of a few trials per strategy, fastest strategy last.
fn rto_trials() -> [Vec<f64>; 4] {
    let m = MINUTE as f64;
    [
        vec![
            4.0 * 60.0 * m,
            5.5 * 60.0 * m,
            7.0 * 60.0 * m,
            9.0 * 60.0 * m,
            14.0 * 60.0 * m,
        ],
        vec![35.0 * m, 42.0 * m, 50.0 * m, 64.0 * m, 95.0 * m],
        vec![6.0 * m, 7.5 * m, 9.0 * m, 11.0 * m, 19.0 * m],
        vec![40_000.0, 55_000.0, 70_000.0, 90_000.0, 150_000.0],
    ]
}

/// Four strategies' RTO CDFs; backup & restore ends at 92% (some trials never recovered).
pub fn cdf() -> CdfChart {
    let finals = [0.92, 1.0, 1.0, 1.0];
    let series = STRATEGIES
        .iter()
        .zip(rto_trials())
        .zip(finals)
        .map(|((label, times), share)| CdfSeries {
            label: label.to_string(),
            points: step_cdf(&times, share),
        })
        .collect();
    CdfChart {
        title: "Recovery time (RTO) by strategy".into(),
        x_label: "time to recover".into(),
        series,
        objective_ms: Some(HOUR as f64),
        objective_label: "RTO objective".into(),
        zero_label: None,
    }
}

/// Cost versus RTO p99, including a dominated variant and one that never recovers.
pub fn pareto() -> ParetoChart {
    let m = MINUTE as f64;
    let point = |label: &str, time: Option<f64>, usd: f64, meets: bool| StrategyPoint {
        label: label.into(),
        time_ms: time,
        monthly_usd: usd,
        meets_objectives: meets,
    };
    ParetoChart {
        title: "Monthly cost versus RTO p99".into(),
        x_label: "RTO p99".into(),
        points: vec![
            point("Backup & restore", None, 380.0, false),
            point("Pilot light", Some(95.0 * m), 1_900.0, false),
            point("Warm standby", Some(19.0 * m), 6_200.0, true),
            point("Warm standby, 2x pool", Some(24.0 * m), 8_900.0, true),
            point("Active/active", Some(2.5 * m), 14_800.0, true),
        ],
        objective_ms: Some(HOUR as f64),
    }
}

/// Cost by component for the four strategies.
pub fn cost_bars() -> CostBarsChart {
    let parts = |compute: f64, db: f64, backup: f64, network: f64| {
        vec![
            ("compute".to_string(), compute),
            ("database".to_string(), db),
            ("backups & snapshots".to_string(), backup),
            ("network & DNS".to_string(), network),
        ]
    };
    CostBarsChart {
        title: "Steady-state monthly cost by component".into(),
        strategies: vec![
            (STRATEGIES[0].into(), parts(120.0, 90.0, 150.0, 20.0)),
            (STRATEGIES[1].into(), parts(300.0, 1_200.0, 150.0, 250.0)),
            (STRATEGIES[2].into(), parts(3_100.0, 2_400.0, 150.0, 550.0)),
            (
                STRATEGIES[3].into(),
                parts(7_900.0, 4_800.0, 150.0, 1_950.0),
            ),
        ],
        increment_over: None,
    }
}

/// A warm-standby regional failover taking about 19 minutes.
pub fn timeline() -> TimelineChart {
    let s = SECOND as f64;
    let m = MINUTE as f64;
    let span = |row: &str, start: f64, end: f64, kind: SpanKind| Span {
        row: row.into(),
        start_ms: start,
        end_ms: end,
        kind,
    };
    let recovered = 19.0 * m;
    TimelineChart {
        title: "Warm standby: bad (p99) disaster".into(),
        spans: vec![
            span("region us-east-1 down", 0.0, 25.0 * m, SpanKind::Fault),
            span(
                "health check failing",
                10.0 * s,
                3.0 * m,
                SpanKind::Detection,
            ),
            span("decision (on-call)", 3.0 * m, 8.0 * m, SpanKind::Decision),
            span("warm pool launches", 8.0 * m, 12.5 * m, SpanKind::Capacity),
            span("DB promotion", 8.0 * m, 11.0 * m, SpanKind::Data),
            span("DNS clients moving", 11.0 * m, 19.5 * m, SpanKind::Traffic),
        ],
        markers: vec![
            Marker {
                at_ms: 3.0 * m,
                label: "alarm".into(),
            },
            Marker {
                at_ms: recovered,
                label: "recovered (RTO)".into(),
            },
        ],
        success: success_curve(recovered),
        threshold: 0.95,
        objective_ms: None,
        objective_label: String::new(),
        cut_at_ms: None,
    }
}

/// Requests succeeding: none during the outage, climbing as DNS caches expire.
fn success_curve(recovered_ms: f64) -> Vec<(f64, f64)> {
    let m = MINUTE as f64;
    let mut curve = vec![(0.0, 1.0), (1.0, 0.0), (11.0 * m, 0.0)];
    let climb = recovered_ms - 11.0 * m;
    for step in 1..=16 {
        let t = 11.0 * m + climb * step as f64 / 16.0;
        let share = 0.95 * (step as f64 / 16.0).powf(0.7);
        curve.push((t, share));
    }
    curve.push((21.0 * m, 0.99));
    curve.push((25.0 * m, 1.0));
    curve
}

/// Cost versus RPO p99: a log time axis (seconds to a day).
pub fn rpo_pareto() -> ParetoChart {
    let m = MINUTE as f64;
    let mut rpo_pareto = pareto();
    rpo_pareto.title = "Monthly cost versus RPO p99".into();
    rpo_pareto.x_label = "RPO p99".into();
    rpo_pareto.objective_ms = Some(5.0 * m);
    let rpo = [
        Some(24.0 * 60.0 * m),
        Some(30_000.0),
        Some(30_000.0),
        Some(40_000.0),
        Some(4_000.0),
    ];
    for (point, rpo) in rpo_pareto.points.iter_mut().zip(rpo) {
        point.time_ms = rpo;
    }

    rpo_pareto
}

/// A whole design review: four strategies, every chart, two traces.
pub fn design_review() -> DesignReview {
    let m = MINUTE as f64;
    let row =
        |name: &str, rto: [Option<f64>; 3], rpo: [Option<f64>; 2], p: [f64; 2], usd: [f64; 2]| {
            StrategyRow {
                name: name.into(),
                rto_p50_ms: rto[0],
                rto_p90_ms: rto[1],
                rto_p99_ms: rto[2],
                rto_by_threshold: Vec::new(),
                rpo_p50_ms: rpo[0],
                rpo_p99_ms: rpo[1],
                p_rto_met: p[0],
                p_rpo_met: p[1],
                steady_monthly_usd: usd[0],
                risk_adjusted_monthly_usd: usd[1],
                on_pareto_front: false,
                meets_objectives: false,
                expected_loss_monthly_usd: usd[1] - usd[0],
                by_disaster: vec![DisasterCell {
                    disaster: "region-outage".into(),
                    per_year: 0.05,
                    weight: 0.004,
                    objective: "RTO 1h, RPO 15m, in 99% of occurrences".into(),
                    confidence: 0.99,
                    p_rto_met: p[0],
                    p_rto_met_ci95: [(p[0] - 0.004).max(0.0), (p[0] + 0.004).min(1.0)],
                    p_rpo_met: p[1],
                    p_rpo_met_ci95: [(p[1] - 0.004).max(0.0), (p[1] + 0.004).min(1.0)],
                    rto_p99_ms: rto[2],
                    trials: 10_000,
                    never_recovered: if rto[2].is_none() { 150 } else { 0 },
                    data_unrecoverable: 0,
                    failed_recovery_share: if rto[2].is_none() { 0.25 } else { 0.0 },
                    meets: p[0] >= 0.99 && p[1] >= 0.99,
                }],
            }
        };
    let mut strategies = vec![
        row(
            STRATEGIES[0],
            [Some(330.0 * m), Some(600.0 * m), None],
            [Some(12.0 * 60.0 * m), Some(24.0 * 60.0 * m)],
            [0.0, 0.02],
            [380.0, 2_950.0],
        ),
        row(
            STRATEGIES[1],
            [Some(48.0 * m), Some(70.0 * m), Some(95.0 * m)],
            [Some(5_000.0), Some(30_000.0)],
            [0.62, 0.99],
            [1_900.0, 2_600.0],
        ),
        row(
            STRATEGIES[2],
            [Some(9.0 * m), Some(12.0 * m), Some(19.0 * m)],
            [Some(5_000.0), Some(30_000.0)],
            [1.0, 0.99],
            [6_200.0, 6_300.0],
        ),
        row(
            STRATEGIES[3],
            [Some(70_000.0), Some(95_000.0), Some(150_000.0)],
            [Some(1_000.0), Some(4_000.0)],
            [1.0, 1.0],
            [14_800.0, 14_810.0],
        ),
    ];
    for (i, s) in strategies.iter_mut().enumerate() {
        s.on_pareto_front = i != 0;
        s.meets_objectives = i >= 2;
    }
    let mut bad = timeline();
    bad.title = "Warm standby: bad (p99) disaster".into();
    let mut typical = timeline();
    typical.title = "Warm standby: typical (median) disaster".into();
    typical.spans[2].end_ms = 4.0 * m;
    typical.spans[3].start_ms = 4.0 * m;
    typical.spans[3].end_ms = 8.0 * m;
    typical.spans[4].start_ms = 4.0 * m;
    typical.spans[4].end_ms = 6.0 * m;
    typical.spans[5].start_ms = 6.0 * m;
    typical.spans[5].end_ms = 9.5 * m;
    typical.spans[0].end_ms = 20.0 * m;
    typical.markers[1].at_ms = 9.0 * m;
    typical.success = vec![
        (0.0, 1.0),
        (1.0, 0.0),
        (6.0 * m, 0.0),
        (7.0 * m, 0.5),
        (8.0 * m, 0.85),
        (9.0 * m, 0.95),
        (10.0 * m, 0.99),
        (20.0 * m, 1.0),
    ];

    let rpo_pareto = rpo_pareto();

    DesignReview {
        title: "Checkout service: regional DR options".into(),
        generated_on: "2026-11-23 18:00 UTC".into(),
        seed: 42,
        trials: 10_000,
        command_line:
            "drsim run models/checkout.toml --seed 42 --trials 10000 --report out/review.html"
                .into(),
        objectives: vec![
            Objective {
                name: "RTO".into(),
                target: "1h at 99% of disasters".into(),
                note: "checkout must take orders again within an hour".into(),
            },
            Objective {
                name: "RPO".into(),
                target: "5m at 99% of disasters".into(),
                note: "orders older than 5 minutes must never be lost".into(),
            },
        ],
        strategies,
        recommended: Some(2),
        recommendation: "Warm standby meets both objectives at the lowest risk-adjusted cost"
            .into(),
        by_disaster: Vec::new(),
        figures: vec![
            Figure::Cdf(cdf()),
            Figure::Pareto(pareto()),
            Figure::Pareto(rpo_pareto),
            Figure::CostBars(cost_bars()),
        ],
        assumptions: STRATEGIES
            .iter()
            .map(|name| StrategyAssumptions {
                strategy: name.to_string(),
                parameters: vec![
                    Assumption {
                        name: "DNS TTL".into(),
                        value: "60s".into(),
                        source: "Route 53 record in models/checkout.toml".into(),
                    },
                    Assumption {
                        name: "on-call decision time".into(),
                        value: "lognormal, median 4m, p95 15m".into(),
                        source: "incident reviews 2025".into(),
                    },
                    Assumption {
                        name: "snapshot interval".into(),
                        value: "1h".into(),
                        source: "AWS Backup plan".into(),
                    },
                ],
            })
            .collect(),
        traces: vec![
            Trace {
                heading: "Typical (median) disaster".into(),
                chart: typical,
                log: String::new(),
            },
            Trace {
                heading: "Bad (p99) disaster".into(),
                chart: bad,
                log: String::new(),
            },
        ],
        money_inputs: Vec::new(),
        near_miss: None,
        downloads: Vec::new(),
        deciding_input: None,
    }
}
