//! Recovery steps that fail and are retried (`recovery.*_failure`), against shares
//! worked out by hand. Every timing is fixed, so a trial's RTO is one value without
//! failures and moves by whole retry delays with them; each share is checked within 4
//! Monte Carlo standard errors, sqrt(P (1 - P) / n), of the binomial probability.
//!
//! Sources: EC2 refuses launches and starts of stopped instances when it lacks
//! capacity (InsufficientInstanceCapacity, sources.md#ec2-insufficient-capacity); the
//! DR whitepaper's static stability (sources.md#dr-static-stability): capacity already
//! running needs no launch.

use drsim::model::units::{DAY, HOUR, SECOND};
use drsim::model::*;
use drsim::sim::trial::TrialOutcome;

use crate::common::*;

const TRIALS: u64 = 10_000;

/// Every no-failure RTO below is under this (by hand: decision at 15 min, then at most
/// promotion 5 min or a restore of 80 min, launches 90 s, health checks and TTL a few
/// minutes); a retry adds `RETRY`, far beyond it.
const BOUND: Millis = 2 * HOUR;
const RETRY: Millis = 6 * HOUR;

fn retried(probability: f64) -> StepFailure {
    StepFailure {
        probability,
        retry_after: fixed(RETRY),
        max_attempts: None,
    }
}

/// Pilot light in us-west-2 (stack deployed, scaled to zero) with a read replica
/// promoted in 5 min: a region outage needs 4 launches (1000 rps / 250 rps).
fn pilot_light() -> Model {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::ScaledToZero;
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    model
}

fn share_above(outcomes: &[TrialOutcome], bound: Millis) -> f64 {
    let above = outcomes.iter().filter(|o| o.rto.is_none_or(|r| r > bound));
    above.count() as f64 / outcomes.len() as f64
}

fn assert_binomial(share: f64, exact: f64, what: &str) {
    let tol = 4.0 * (exact * (1.0 - exact) / TRIALS as f64).sqrt();
    assert!(
        (share - exact).abs() <= tol.max(1e-12),
        "{what}: {share} vs {exact} +- {tol}"
    );
}

fn warm_pool(state: WarmState) -> Option<WarmPool> {
    Some(WarmPool {
        size: 4,
        state,
        time_to_in_service: fixed(30 * SECOND),
    })
}

/// Without failures every RTO is under the bound; with each of the 4 launches refused
/// with p = 0.1 and retried 6 h later, the RTO passes the bound when any launch was
/// refused: 1 - 0.9^4 = 0.3439; and passes bound + retry when some launch was refused
/// twice: 1 - (1 - 0.1^2)^4 = 0.0394. So p90 lies among single retries: between the
/// retry and the retry plus the bound (the shifted quantile).
#[test]
fn refused_launches_delay_a_pilot_light_failover_by_their_retries() {
    let mut model = pilot_light();
    assert_eq!(share_above(&run(&model, TRIALS), BOUND), 0.0);
    model.recovery.launch_failure = retried(0.1);
    let outcomes = run(&model, TRIALS);
    assert_binomial(
        share_above(&outcomes, BOUND),
        1.0 - 0.9f64.powi(4),
        "one retry",
    );
    assert_binomial(
        share_above(&outcomes, BOUND + RETRY),
        1.0 - (1.0 - 0.01f64).powi(4),
        "two retries",
    );
    let mut rtos: Vec<Millis> = outcomes.iter().map(|o| o.rto.unwrap()).collect();
    rtos.sort_unstable();
    let p90 = rtos[(rtos.len() * 9) / 10];
    assert!((RETRY..RETRY + BOUND).contains(&p90), "p90 {p90}");
    let failed = outcomes.iter().filter(|o| o.recovery_failed()).count();
    assert_binomial(failed as f64 / TRIALS as f64, 0.3439, "failed_recoveries");
}

/// Static stability: a warm pool kept Running needs no launch, so refused launches
/// leave its region-outage RTO exactly as without failures (the same trials, draw for
/// draw); a Stopped pool must start its instances, which EC2 can refuse like a cold
/// launch, so its RTO passes the bound in 1 - 0.9^4 of the trials.
#[test]
fn a_running_warm_pool_keeps_the_rto_when_launches_fail_and_a_stopped_one_does_not() {
    let mut running = pilot_light();
    running.regions[1].asg.warm_pool = warm_pool(WarmState::Running);
    let before = run(&running, TRIALS);
    running.recovery.launch_failure = retried(0.1);
    assert_eq!(run(&running, TRIALS), before, "a running pool is immune");
    assert_eq!(share_above(&before, BOUND), 0.0);

    let mut stopped = pilot_light();
    stopped.regions[1].asg.warm_pool = warm_pool(WarmState::Stopped);
    assert_eq!(share_above(&run(&stopped, TRIALS), BOUND), 0.0);
    stopped.recovery.launch_failure = retried(0.1);
    let outcomes = run(&stopped, TRIALS);
    assert_binomial(
        share_above(&outcomes, BOUND),
        1.0 - 0.9f64.powi(4),
        "stopped pool",
    );
}

/// Warm standby already running its full fleet launches nothing: immune. An AZ outage
/// does not strain launch capacity (only a region outage does).
#[test]
fn running_capacity_and_other_disasters_meet_no_refused_launch() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    let before = run(&model, 2000);
    model.recovery.launch_failure = retried(0.5);
    assert_eq!(run(&model, 2000), before);
    let mut az = web_app(disaster(DisasterKind::AzOutage, 4 * HOUR));
    let before = run(&az, 2000);
    az.recovery.launch_failure = retried(0.5);
    assert_eq!(run(&az, 2000), before);
}

/// Backup and restore: nothing deployed in us-west-2, so infrastructure as code builds
/// the network and then the stack, each failing with p = 0.2 and rolled back, retried
/// 6 h later: the RTO passes the bound when either failed, 1 - 0.8^2 = 0.36.
#[test]
fn failed_deployments_delay_a_backup_restore_failover() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    assert_eq!(share_above(&run(&model, TRIALS), BOUND), 0.0);
    model.recovery.iac_failure = retried(0.2);
    let outcomes = run(&model, TRIALS);
    assert_binomial(share_above(&outcomes, BOUND), 1.0 - 0.8f64.powi(2), "IaC");
}

/// The promotion of the read replica fails with p = 0.25 and is retried 6 h later: the
/// RTO passes the bound with probability p and the bound plus a retry with p^2. With
/// `max_attempts = 1` people give up after a failure: never recovered with p.
#[test]
fn failed_promotions_are_retried_or_given_up() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    assert_eq!(share_above(&run(&model, TRIALS), BOUND), 0.0);
    model.recovery.database_failure = retried(0.25);
    let outcomes = run(&model, TRIALS);
    assert_binomial(share_above(&outcomes, BOUND), 0.25, "one retry");
    assert_binomial(share_above(&outcomes, BOUND + RETRY), 0.0625, "two retries");
    model.recovery.database_failure.max_attempts = Some(1);
    let outcomes = run(&model, TRIALS);
    let never = outcomes.iter().filter(|o| o.rto.is_none()).count();
    assert_binomial(never as f64 / TRIALS as f64, 0.25, "given up");
}

/// `drsim trace` shows the refused launch, the wait and the retry.
#[test]
fn the_trace_shows_the_failed_attempt_and_the_retry() {
    let mut model = pilot_light();
    model.recovery.launch_failure = retried(0.5);
    let mut sim = drsim::sim::trial::TrialSimulator::new(&model);
    let trial = (0..100)
        .find(|&t| sim.run(t).recovery_failed())
        .expect("half the launches fail");
    let (outcome, trace) = sim.trace(trial);
    assert!(outcome.recovery_failed());
    let text = trace.text();
    for expected in [
        "cold launch refused (insufficient capacity or throttling): attempt 1 fails",
        "cold launch refused (insufficient capacity or throttling): attempt 1 failed; retry in 6h",
        "wait before retrying",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

/// Backup and restore again: the restore from the copied backup (20 min + 100 GB at
/// 100 GB/h) fails with p = 0.25 and is retried 6 h later; the stack (30 min) does not
/// fail. The RTO passes the bound with probability 0.25.
#[test]
fn failed_restores_are_retried() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    model.recovery.database_failure = retried(0.25);
    let outcomes = run(&model, TRIALS);
    assert_binomial(share_above(&outcomes, BOUND), 0.25, "restore");
}

/// The summary of `model` over `n` trials.
fn summary(model: &Model, n: u64) -> drsim::analysis::summary::Summary {
    let limits = drsim::run::stats::Limits::for_model(model);
    let mut stats = drsim::run::stats::OutcomeStats::new(model.disasters.len(), limits);
    for o in run(model, n) {
        stats.add(&o);
    }
    drsim::analysis::summary::Summary::new(model, &stats)
}

/// `actual` (s) lies within `[low, high]` (ms) widened by the histograms' 0.1%
/// (QUANTILE_RELATIVE_ERROR).
fn assert_quantile(actual: Option<f64>, (low, high): (Millis, Millis), what: &str) {
    let actual = actual.expect("recovered") * 1000.0;
    assert!(
        actual >= low as f64 * 0.999 && actual <= high as f64 * 1.001,
        "{what}: {actual} ms not in [{low}, {high}]"
    );
}

/// The mixture's quantiles, by hand. Pilot light launches 4 instances at the decision
/// (15 min), each refused with p = 0.2 and retried 6 h later; all 4 are needed (1000
/// rps at 250 each, 99% threshold) and the replica is promoted at once. Without a
/// refusal a trial recovers at R0 (the launches, then health checks and clients
/// moving: within the range of the same trials run without failures). With M >= 1
/// refusals at most of any launch, the routing has long moved when the last instance
/// comes: the RTO is the decision, a launch (30 s + 60 s bootstrap) and its first ALB
/// check (a phase of up to 30 s), plus M x 6 h: 990 s to 1020 s + M x 6 h.
/// P(M <= m) = (1 - p^(m+1))^4: 0.4096, 0.8493, 0.9684, 0.9936 for m = 0..3. So p50
/// is at M = 1 and p99 at M = 3 (0.9684 < 0.99 <= 0.9936: 4.5 standard errors from
/// 0.99 at 10,000 trials, sqrt(0.0064 x 0.9936 / 10,000) = 0.0008). Split by failure:
/// the trials without a refusal take R0; among those with one (0.5904), P(M = 1) =
/// (0.8493 - 0.4096) / 0.5904 = 0.745, so their median is at M = 1. With launches
/// that never fail, p99 is within R0 and no trial counts as failed.
#[test]
fn refused_launches_give_the_mixture_quantiles_worked_out_by_hand() {
    let mut model = pilot_light();
    // The replica is promoted at once: the launches decide the RTO.
    model.database.promotion_time = fixed(0);
    let clean = summary(&model, TRIALS);
    let r0: Vec<Millis> = run(&model, TRIALS).iter().map(|o| o.rto.unwrap()).collect();
    let r0 = (*r0.iter().min().unwrap(), *r0.iter().max().unwrap());
    let plus = |m: Millis| (990 * SECOND + m * RETRY, 1020 * SECOND + m * RETRY);
    let f = &clean.by_disaster[0].figures;
    assert_quantile(f.rto_seconds.p99, r0, "p99 without failures");
    assert_eq!(f.failed_recoveries, 0);
    model.recovery.launch_failure = retried(0.2);
    let s = summary(&model, TRIALS);
    let f = &s.by_disaster[0].figures;
    assert_quantile(f.rto_seconds.p50, plus(1), "p50");
    assert_quantile(f.rto_seconds.p99, plus(3), "p99");
    let split = &f.rto_by_failed_recovery_seconds;
    assert_quantile(split.clean.p50, r0, "p50 without a refusal");
    assert_quantile(split.clean.p99, r0, "p99 without a refusal");
    assert_quantile(split.failed.p50, plus(1), "p50 with a refusal");
    assert_binomial(f.failed_recovery_share, 1.0 - 0.8f64.powi(4), "failed");
    let by_step = f.failed_recovery_share_by_step;
    assert_eq!(by_step.launch, f.failed_recovery_share);
    assert_eq!(
        (by_step.iac, by_step.database, by_step.control_plane),
        (0.0, 0.0, 0.0)
    );
}

/// Backup and restore with the network and the stack each rolled back with p = 0.2
/// (and no other failure): the summary puts every failed trial under "iac", none under
/// the other steps; share 1 - 0.8^2 = 0.36.
#[test]
fn failed_deployments_are_counted_under_iac() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    model.recovery.iac_failure = retried(0.2);
    let f = summary(&model, TRIALS).by_disaster[0].figures.clone();
    let by_step = f.failed_recovery_share_by_step;
    assert_binomial(by_step.iac, 0.36, "iac");
    assert_eq!(by_step.iac, f.failed_recovery_share);
    assert_eq!(
        (by_step.launch, by_step.database, by_step.control_plane),
        (0.0, 0.0, 0.0)
    );
}
