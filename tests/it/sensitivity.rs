//! `drsim sensitivity`: the ranking puts the input that decides the answer first, and
//! common random numbers make a swing's standard error smaller than independent runs'.

use std::path::Path;

use crate::common::*;
use drsim::analysis::compare::Scope;
use drsim::analysis::sensitivity::sensitivity;
use drsim::model::units::{DAY, MINUTE};
use drsim::model::*;
use drsim::run::simulate::RunSettings;

fn settings(trials: u64) -> RunSettings {
    RunSettings {
        trials: 0..trials,
        threads: 2,
        trials_csv: None,
    }
}

/// Latency injection in the two-region web app: health checks stay green, so the
/// route-away waits for detection 5 min + decision 10 min, then the Route 53 flip
/// [60 s, 90 s) and 99% of a 60 s TTL: RTO 17.0 to 17.5 min (see
/// `latency_injection_needs_people_to_drain_the_region`); the objective is 16 min, so
/// no trial meets it. Halving detection (14.5 min + flip + TTL < 16 min) or the
/// decision (12 min + ...) makes every trial meet it, doubling either none: swing -100
/// points. Halving the TTL or the check interval saves under a minute: still none meets
/// (swing 0), and backup timings cannot matter.
#[test]
fn the_inputs_that_decide_the_answer_come_first() {
    let mut model = web_app(disaster(DisasterKind::LatencyInjection, 7 * DAY));
    model.objectives.rto = 16 * MINUTE;
    model.simulation.trials = 2000;
    let scope = Scope::Overall;
    let result = sensitivity(
        &model,
        Path::new("test.toml"),
        None,
        &scope,
        &[],
        &settings(2000),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(
        result.base.p_rto_met, 0.0,
        "17.0-17.5 min never meets 16 min"
    );
    let top: Vec<&str> = result.inputs[..2].iter().map(|i| i.name.as_str()).collect();
    assert!(
        top.contains(&"recovery.detection") && top.contains(&"recovery.decision_time"),
        "{top:?}"
    );
    for input in &result.inputs[..2] {
        assert_eq!(input.at_low.p_rto_met, 1.0, "{}", input.name);
        assert_eq!(input.swing_p_rto_met, -1.0, "{}", input.name);
    }
    for name in ["routing.ttl", "routing.health_check_interval"] {
        let input = result.inputs.iter().find(|i| i.name == name).unwrap();
        assert_eq!(input.swing_p_rto_met, 0.0, "{name}");
    }
    let restore = (result.inputs.iter())
        .find(|i| i.name == "backups.restore_fixed")
        .unwrap();
    assert_eq!(restore.swing_p_rto_met, 0.0);
    assert_eq!(restore.swing_rto_p99_seconds, 0.0);
}

/// Mean RTO of `trials` trials of `model` with `seed`.
fn mean_rto_minutes(model: &Model, seed: u64, trials: u64) -> f64 {
    let mut m = model.clone();
    m.simulation.seed = seed;
    let rtos: Vec<f64> = run(&m, trials)
        .iter()
        .map(|o| o.rto.expect("recovered") as f64 / MINUTE as f64)
        .collect();
    rtos.iter().sum::<f64>() / rtos.len() as f64
}

/// The swing of the mean RTO when detection time doubles, measured 60 times: with the
/// same seed for both ends (common random numbers, as `drsim sensitivity` runs) and with
/// different seeds. In a latency injection the RTO is detection D + decision (fixed) +
/// Route 53 flip + TTL, and with common numbers both ends draw the same D_i and flip
/// phases, so the swing of a 200-trial mean is mean(2 D_i) - mean(D_i) = mean(D_i):
/// standard error sd(D)/sqrt(n). Independent ends give sqrt(4 + 1) sd(D)/sqrt(n) (plus
/// the flip phases' noise): the ratio is at most 1/sqrt(5) = 0.447. Each sample sd of 60
/// replications is off by about 1/sqrt(2 x 59) = 9%, their ratio by 13%: the bound
/// checked is 0.447 x (1 + 4 x 0.13) = 0.68.
#[test]
fn common_random_numbers_shrink_the_swing_standard_error() {
    let mut model = web_app(disaster(DisasterKind::LatencyInjection, 7 * DAY));
    model.recovery.detection = Dist::LogNormal {
        median: (5 * MINUTE) as f64,
        p95: (20 * MINUTE) as f64,
    };
    let mut doubled = model.clone();
    doubled.recovery.detection = model.recovery.detection.scaled(2.0);
    let (trials, replications) = (200, 60);
    let (mut crn, mut independent) = (Vec::new(), Vec::new());
    for r in 0..replications {
        let low = mean_rto_minutes(&model, r, trials);
        crn.push(mean_rto_minutes(&doubled, r, trials) - low);
        independent.push(mean_rto_minutes(&doubled, 1000 + r, trials) - low);
    }
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    let sd = |xs: &[f64]| {
        let m = mean(xs);
        (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
    };
    let (sd_crn, sd_independent) = (sd(&crn), sd(&independent));
    assert!(
        sd_crn < 0.68 * sd_independent,
        "CRN sd {sd_crn:.3} min vs independent {sd_independent:.3} min"
    );
    // Both estimate the same swing.
    let tolerance = 4.0 * sd_independent / (replications as f64).sqrt();
    assert!((mean(&crn) - mean(&independent)).abs() < tolerance);
}
