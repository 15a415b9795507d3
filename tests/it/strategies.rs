//! The four bundled strategies against the same region outage come out ordered as the
//! AWS DR whitepaper says (docs/sources.md#dr-whitepaper), in RTO and in RPO, and their
//! steady cost rises in the same order. Comparisons of means allow 4 standard errors of
//! the difference, estimated from the samples.

use drsim::model::load::load_model;
use drsim::model::units::{HOUR, MINUTE};
use drsim::model::{DisasterKind, Model};
use drsim::sim::trial::TrialSimulator;
use std::path::Path;

const STRATEGIES: [&str; 4] = [
    "backup-restore",
    "pilot-light",
    "warm-standby",
    "active-active",
];
const TRIALS: u64 = 2000;

fn scenario(name: &str) -> Model {
    load_model(Path::new(&format!("scenarios/{name}.toml"))).expect("bundled scenario loads")
}

/// RTO and RPO samples (ms) of `TRIALS` region outages of the primary.
fn region_outages(model: &Model) -> (Vec<f64>, Vec<f64>) {
    let k = model.disasters.len() as u64;
    let index = model
        .disasters
        .iter()
        .position(|d| d.kind == DisasterKind::RegionOutage)
        .expect("every scenario has a region outage") as u64;
    let mut sim = TrialSimulator::new(model);
    let (mut rto, mut rpo) = (Vec::new(), Vec::new());
    for i in 0..TRIALS {
        let outcome = sim.run(index + i * k);
        rto.push(outcome.rto.expect("recovers within the horizon") as f64);
        rpo.push(outcome.rpo.expect("some copy survives") as f64);
    }
    (rto, rpo)
}

fn mean_and_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn median(xs: &[f64]) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// `a` is larger than `b` beyond Monte Carlo error.
fn clearly_above(a: &[f64], b: &[f64]) -> bool {
    let ((ma, sa), (mb, sb)) = (mean_and_se(a), mean_and_se(b));
    ma - mb > 4.0 * (sa * sa + sb * sb).sqrt()
}

/// `a` is not larger than `b` beyond Monte Carlo error.
fn not_above(a: &[f64], b: &[f64]) -> bool {
    let ((ma, sa), (mb, sb)) = (mean_and_se(a), mean_and_se(b));
    ma - mb <= 4.0 * (sa * sa + sb * sb).sqrt()
}

#[test]
fn region_outage_rto_and_rpo_follow_the_whitepaper_order() {
    let runs: Vec<(Vec<f64>, Vec<f64>)> = STRATEGIES
        .iter()
        .map(|s| region_outages(&scenario(s)))
        .collect();
    let [br, pl, ws, aa] = [&runs[0], &runs[1], &runs[2], &runs[3]];
    // RTO: hours > tens of minutes > minutes > about a minute or less.
    assert!(
        clearly_above(&br.0, &pl.0) && clearly_above(&pl.0, &ws.0) && clearly_above(&ws.0, &aa.0)
    );
    assert!(median(&br.0) >= HOUR as f64, "backup & restore takes hours");
    assert!(
        (10.0 * MINUTE as f64..HOUR as f64).contains(&median(&pl.0)),
        "pilot light: tens of minutes"
    );
    assert!(
        median(&ws.0) < 30.0 * MINUTE as f64,
        "warm standby: minutes"
    );
    assert!(
        median(&aa.0) <= MINUTE as f64,
        "active/active: about a minute or less"
    );
    // RPO of the database tier (the whitepaper's ordering is about the data store's
    // copy): backups lose most, an async replica less, Aurora Global seconds; a
    // multi-writer store loses no more than that. Object storage is left out: backup &
    // restore and pilot light both use plain S3 CRR, whose oldest pending object (hours
    // old at a write a second) dominates both of their losses alike.
    let db: Vec<Vec<f64>> = STRATEGIES
        .iter()
        .map(|s| {
            let mut model = scenario(s);
            model.object_storage.replication = drsim::model::ObjectReplication::None;
            model.object_storage.replica_region = None;
            region_outages(&model).1
        })
        .collect();
    let [br, pl, ws, aa] = [&db[0], &db[1], &db[2], &db[3]];
    assert!(clearly_above(br, pl) && clearly_above(pl, ws));
    assert!(not_above(aa, ws));
}

#[test]
fn steady_monthly_cost_rises_with_the_strategy() {
    let bills: Vec<f64> = STRATEGIES
        .iter()
        .map(|s| {
            drsim::analysis::cost::report(&scenario(s), None)
                .expect("catalog prices every scenario")
                .monthly_usd
        })
        .collect();
    assert!(bills.windows(2).all(|w| w[0] < w[1]), "{bills:?}");
}

/// Static stability (sources.md#data-plane-static-stability): the bundled warm standby
/// meets refused launches and control-plane impairments by default
/// (models/aws-timings.toml). Its pool, kept `running`, hands over instances that are
/// already running, which needs neither EC2 capacity nor the control plane, so its
/// region-outage RTOs are those of the same model with both switched off, trial for
/// trial. The same pool `stopped` must start its instances (a launch): refused launches
/// and impairments delay it, and it meets the 30-minute objective in clearly fewer
/// trials (by more than 4 standard errors of the difference of two shares).
#[test]
fn a_running_warm_pool_keeps_warm_standbys_rto_when_launches_fail() {
    use drsim::model::{Impairment, StepFailure, WarmState};
    let running = scenario("warm-standby");
    assert!(running.recovery.launch_failure.probability > 0.0);
    assert!(running.recovery.control_plane.probability > 0.0);
    let states = |m: &Model| {
        (m.regions.iter())
            .filter_map(|r| r.asg.warm_pool.as_ref().map(|p| p.state))
            .collect::<Vec<_>>()
    };
    assert_eq!(states(&running), [WarmState::Running]);
    // Only the state changes (the time to InService stays): only the launch differs.
    let mut stopped = running.clone();
    for pool in (stopped.regions.iter_mut()).filter_map(|r| r.asg.warm_pool.as_mut()) {
        pool.state = WarmState::Stopped;
    }
    let mut calm = running.clone();
    calm.recovery.launch_failure = StepFailure::NEVER;
    calm.recovery.control_plane = Impairment::NEVER;
    let (rto_running, _) = region_outages(&running);
    assert_eq!(
        rto_running,
        region_outages(&calm).0,
        "a running pool is immune"
    );
    let (rto_stopped, _) = region_outages(&stopped);
    let met = |xs: &[f64]| xs.iter().filter(|&&x| x <= (30 * MINUTE) as f64).count() as f64;
    let n = TRIALS as f64;
    let (p_running, p_stopped) = (met(&rto_running) / n, met(&rto_stopped) / n);
    let se = ((p_running * (1.0 - p_running) + p_stopped * (1.0 - p_stopped)) / n).sqrt();
    assert!(
        p_running - p_stopped > 4.0 * se,
        "running {p_running} vs stopped {p_stopped} (se {se})"
    );
}
