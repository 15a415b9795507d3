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

/// The latency injection of `the_inputs_that_decide_the_answer_come_first` with
/// `recovery.detection` given the range 1 min to 20 min in the model: RTO = detection +
/// decision 10 min + [119.4 s, 149.4 s) (`latency_injection_needs_people_to_drain_the_region`).
fn latency_with_detection_range() -> Model {
    use drsim::model::ranges::{Bound, InputRange};
    let mut model = web_app(disaster(DisasterKind::LatencyInjection, 7 * DAY));
    model.ranges.push(InputRange {
        key: "recovery.detection".into(),
        low: Bound::Value(MINUTE as f64),
        high: Bound::Value((20 * MINUTE) as f64),
    });
    model.simulation.trials = 2000;
    model
}

/// Asserts an RTO p99 (seconds) lies in RTO = `detection_s` + [719.4 s, 749.4 s], within
/// the histograms' 0.1% relative error.
fn assert_rto_p99(rto: Option<f64>, detection_s: f64, what: &str) {
    let rto = rto.expect("recovered");
    let (lo, hi) = (detection_s + 719.4, detection_s + 749.4);
    assert!(
        (lo * 0.999..=hi * 1.001).contains(&rto),
        "{what}: RTO p99 {rto} s outside [{lo}, {hi}]"
    );
}

/// A range in the model replaces the default x0.5 / x2: detection is tried at exactly
/// 1 min and 20 min (the default would try 2.5 min and 10 min), so RTO p99 is in
/// 60 s + [719.4, 749.4] and 1200 s + [719.4, 749.4].
#[test]
fn sensitivity_varies_an_input_over_the_models_range() {
    let model = latency_with_detection_range();
    let names = ["recovery.detection".to_string()];
    let result = sensitivity(
        &model,
        Path::new("test.toml"),
        None,
        &Scope::Overall,
        &names,
        &settings(2000),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(
        result.runs, 3,
        "the base and the two ends of the one input asked for"
    );
    let detection = &result.inputs[0];
    assert_eq!(
        (detection.low.as_str(), detection.high.as_str()),
        ("1m", "20m")
    );
    assert!(detection.range_from_model);
    let table = drsim::present::sensitivity::table(&result);
    assert!(table.contains("1m / 20m (m)"), "{table}");
    assert_rto_p99(detection.at_low.rto_p99_seconds, 60.0, "low");
    assert_rto_p99(detection.at_high.rto_p99_seconds, 1200.0, "high");
}

/// The outer design on a model whose RTO grows with its one ranged input: 4 draws put
/// detection at the centres of 4 strata of [1 min, 20 min], t = 0.125, 0.375, 0.625,
/// 0.875, i.e. 202.5 s, 487.5 s, 772.5 s, 1057.5 s, so the draws' RTO p99 lowest,
/// median (lower middle) and highest are 202.5 s, 487.5 s and 1057.5 s plus [719.4 s,
/// 749.4 s]. Against a 20 min objective only the first draw meets it (its RTO is below
/// 951.9 s; the second's is above 1206.9 s): P(RTO met) 0 / 0 / 1 over the draws. The
/// written model (detection 5 min) gives 300 s + [719.4 s, 749.4 s] in every block, all
/// meeting 20 min: that random spread is narrow, the input's wide. The same seed gives
/// the same result on 1 and 2 threads; a model without ranges gives none.
#[test]
fn the_answer_over_an_input_range_is_told_apart_from_random_spread() {
    use drsim::analysis::pipeline::Evaluation;
    use drsim::analysis::sensitivity::answer;
    use drsim::analysis::uncertainty::input_uncertainty;
    let mut model = latency_with_detection_range();
    model.objectives.rto = 20 * MINUTE;
    model.disasters[0].objective.rto = 20 * MINUTE;
    let file = Path::new("test.toml");
    let run = Evaluation::prepare(model.clone(), file)
        .unwrap()
        .price()
        .unwrap()
        .simulate(&settings(2000), |_| {})
        .unwrap();
    let nominal = answer(&run, &Scope::Overall);
    let result = input_uncertainty(&model, file, &nominal, &settings(2000), 4)
        .unwrap()
        .expect("the model has a range");
    assert_eq!((result.draws, result.trials_per_draw), (4, 500));
    let rto = &result.figures[0];
    assert_eq!(rto.figure, "rto_p99_seconds");
    assert_rto_p99(rto.nominal, 300.0, "as written");
    assert_rto_p99(rto.input_uncertainty.min, 202.5, "lowest draw");
    assert_rto_p99(rto.input_uncertainty.median, 487.5, "median draw");
    assert_rto_p99(rto.input_uncertainty.max, 1057.5, "highest draw");
    assert_rto_p99(rto.random_spread.min, 300.0, "lowest block");
    assert_rto_p99(rto.random_spread.max, 300.0, "highest block");
    let met = &result.figures[1];
    assert_eq!(met.figure, "p_rto_met");
    let s = met.input_uncertainty;
    assert_eq!((s.min, s.median, s.max), (Some(0.0), Some(0.0), Some(1.0)));
    assert_eq!(
        (met.random_spread.min, met.random_spread.max),
        (Some(1.0), Some(1.0))
    );
    let one_thread = RunSettings {
        threads: 1,
        ..settings(2000)
    };
    let again = input_uncertainty(&model, file, &nominal, &one_thread, 4).unwrap();
    assert_eq!(again.as_ref(), Some(&result));
    model.ranges.clear();
    assert_eq!(
        input_uncertainty(&model, file, &nominal, &settings(2000), 4).unwrap(),
        None
    );
}

/// Common random numbers across draws: with a range of zero width every draw is the
/// same model on the same trials, so the input uncertainty has no width at all, while
/// blocks of independent trials spread (the Route 53 checkers' phases differ).
#[test]
fn draws_share_their_trials() {
    use drsim::analysis::sensitivity::Answer;
    use drsim::analysis::uncertainty::input_uncertainty;
    use drsim::model::ranges::Bound;
    let mut model = latency_with_detection_range();
    let five = Bound::Value((5 * MINUTE) as f64);
    (model.ranges[0].low, model.ranges[0].high) = (five, five);
    let nominal = Answer {
        rto_p99_seconds: None,
        p_rto_met: 0.0,
        rpo_p99_seconds: None,
        risk_adjusted_monthly_usd: 0.0,
    };
    let file = Path::new("test.toml");
    let result = input_uncertainty(&model, file, &nominal, &settings(2000), 4)
        .unwrap()
        .unwrap();
    let rto = &result.figures[0];
    assert_eq!(rto.input_uncertainty.min, rto.input_uncertainty.max);
    assert_ne!(rto.random_spread.min, rto.random_spread.max);
}

/// The loader's list of inputs that take a range and the sensitivity's inputs agree on
/// every bundled scenario (the health check interval is 10 s or 30 s, so it has none).
#[test]
fn every_input_sensitivity_varies_takes_a_range() {
    use drsim::analysis::sensitivity::inputs;
    use drsim::model::load::load_model;
    use drsim::model::ranges::takes_range;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with("-space.toml") {
            continue; // an optimize space, not a model
        }
        let model = load_model(&path).unwrap();
        for input in inputs(&model, None) {
            let key = match input.name.ends_with("warm_pool_times") {
                true => format!("{}.stopped", input.name),
                false => input.name.clone(),
            };
            let expected = input.name != "routing.health_check_interval";
            assert_eq!(takes_range(&key), expected, "{key} in {}", model.name);
        }
    }
}

/// A launch-failure probability is an input once switched on, a step that cannot fail
/// is not. Pilot light in us-west-2 (4 launches, replica promoted at once), each launch
/// refused with p = 0.2 and retried 6 h later, objective 2 h: a trial meets it exactly
/// when no launch is refused, (1 - p)^4. Halved and doubled, p = 0.1 and 0.4 give 0.6561
/// and 0.1296: a swing of -0.5265, within 4 standard errors of the two ends' shares
/// (sqrt(0.6561 x 0.3439 / 4000 + 0.1296 x 0.8704 / 4000) = 0.0092). The retry delay
/// halved (3 h) or doubled still misses 2 h: no swing at all.
#[test]
fn failure_probabilities_are_inputs_once_switched_on() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::ScaledToZero;
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    model.database.promotion_time = fixed(0);
    model.disasters[0].objective.rto = 2 * drsim::model::units::HOUR;
    model.recovery.launch_failure = StepFailure {
        probability: 0.2,
        retry_after: fixed(6 * drsim::model::units::HOUR),
        max_attempts: None,
    };
    let result = sensitivity(
        &model,
        Path::new("test.toml"),
        None,
        &Scope::Overall,
        &[],
        &settings(4000),
        |_, _| {},
    )
    .unwrap();
    let find = |name: &str| result.inputs.iter().find(|i| i.name == name);
    let p = find("recovery.launch_failure.probability").expect("an input");
    assert_eq!((p.low.as_str(), p.high.as_str()), ("0.1", "0.4"));
    let expected = 0.6f64.powi(4) - 0.9f64.powi(4);
    assert!(
        (p.swing_p_rto_met - expected).abs() < 4.0 * 0.0092,
        "{} vs {expected}",
        p.swing_p_rto_met
    );
    assert_eq!(result.inputs[0].name, p.name, "it decides the answer");
    let retry = find("recovery.launch_failure.retry_after").expect("an input");
    assert_eq!(retry.swing_p_rto_met, 0.0);
    assert!(find("recovery.iac_failure.probability").is_none());
    assert!(find("recovery.control_plane.probability").is_none());
}
