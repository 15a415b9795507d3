//! Control-plane impairment and the failover path (`routing.failover_by`,
//! `recovery.control_plane`). AWS advises data-plane operations when availability is
//! important, as a control plane (create, update, delete) may become unavailable during
//! disruptive events (sources.md#data-plane-static-stability): health-check failover is
//! data plane, editing records through the API is control plane. Every timing is fixed,
//! so each RTO is worked out by hand.

use drsim::model::units::{DAY, HOUR, MINUTE, SECOND};
use drsim::model::*;

use crate::common::*;

const TRIALS: u64 = 200;
/// The impairment, from the disaster's start: far beyond the decision (5 min detection
/// + 10 min decision in `web_app`).
const IMPAIRED: Millis = 2 * HOUR;
const DECIDED: Millis = 15 * MINUTE;

/// Warm standby in us-west-2 with a replica promoted instantly: the decision at 15 min
/// gates the data, so routing decides the RTO only through when clients move.
fn warm_standby(failover_by: FailoverBy) -> Model {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    model.database.promotion_time = fixed(0);
    model.routing.failover_by = failover_by;
    model
}

fn impaired(model: &mut Model) {
    model.recovery.control_plane = Impairment {
        probability: 1.0,
        impaired_for: fixed(IMPAIRED),
    };
}

fn rtos(model: &Model) -> Vec<Millis> {
    run(model, TRIALS)
        .iter()
        .map(|o| o.rto.expect("the failover completes"))
        .collect()
}

/// Record edits wait for the control plane: clients start moving at the impairment's
/// end (2 h), not at the decision (15 min), and the TTL-honouring clients (all of them
/// here) spread over one 60 s TTL, so 99% have moved 59.4 s later. Every trial:
/// 2 h + 0.99 x 60 s = 7 259 400 ms. Without the impairment the same model recovers
/// well within it (the decision at 15 min plus a few minutes).
#[test]
fn record_change_failover_waits_for_an_impaired_control_plane() {
    let mut model = warm_standby(FailoverBy::RecordChange);
    let unimpaired = rtos(&model);
    assert!(
        unimpaired
            .iter()
            .all(|&r| r > DECIDED && r < DECIDED + 10 * MINUTE)
    );
    impaired(&mut model);
    let ttl_move = (0.99 * 60.0 * SECOND as f64) as Millis;
    for rto in rtos(&model) {
        assert_eq!(rto, IMPAIRED + ttl_move);
    }
}

/// Health-check failover (data plane) does not touch the control plane: the same
/// impairment leaves every trial's RTO as it was.
#[test]
fn health_check_failover_ignores_an_impaired_control_plane() {
    let mut model = warm_standby(FailoverBy::HealthCheck);
    let unimpaired = rtos(&model);
    impaired(&mut model);
    assert_eq!(rtos(&model), unimpaired);
}

/// Only a region outage impairs the control plane: an AZ outage with record edits
/// recovers as without the impairment.
#[test]
fn an_az_outage_leaves_the_control_plane_alone() {
    let mut model = warm_standby(FailoverBy::RecordChange);
    model.disasters = vec![disaster(DisasterKind::AzOutage, 7 * DAY)];
    let unimpaired = run(&model, TRIALS);
    impaired(&mut model);
    let with = run(&model, TRIALS);
    let rto = |o: &[drsim::sim::trial::TrialOutcome]| o.iter().map(|o| o.rto).collect::<Vec<_>>();
    assert_eq!(rto(&with), rto(&unimpaired));
}

/// Backup and restore (nothing deployed in us-west-2, health-check failover): after the
/// decision at 15 min infrastructure as code builds the network and deploys the stack,
/// both control-plane actions. With the control plane impaired for 2 h from the
/// disaster's start, IaC starts at 2 h instead of 15 min: every trial's RTO moves by
/// exactly 2 h - 15 min (every timing fixed; the restore, 20 min + 100 GB at 100 GB/h
/// = 80 min from the decision, then ends before the stack: 15 min + 80 min < 2 h +
/// 30 min). Each trial counts a control-plane stall.
#[test]
fn infrastructure_as_code_waits_for_an_impaired_control_plane() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    let unimpaired = rtos(&model);
    impaired(&mut model);
    let outcomes = run(&model, TRIALS);
    for (o, before) in outcomes.iter().zip(&unimpaired) {
        assert_eq!(o.rto.unwrap(), before + IMPAIRED - DECIDED);
        assert!(
            o.failed_steps
                .contains(drsim::sim::trial::RecoveryStep::ControlPlane)
        );
    }
}

/// Pilot light (stack deployed, scaled to zero; replica promoted in 0): the 4 launches
/// are control-plane actions (RunInstances) and wait for the impairment to end; a warm
/// pool kept Running hands over instances already running (data plane: static
/// stability) and keeps its RTO, trial for trial, and counts no stall. By hand: the
/// launches start at the decision (15 min) without the impairment, at 2 h with it, so
/// the cold pilot light's RTO moves by 2 h - 15 min.
#[test]
fn launches_wait_for_an_impaired_control_plane_but_a_running_warm_pool_does_not() {
    let mut cold = warm_standby(FailoverBy::HealthCheck);
    cold.regions[1].deployment = Deployment::ScaledToZero;
    let unimpaired = rtos(&cold);
    impaired(&mut cold);
    for (after, before) in rtos(&cold).iter().zip(&unimpaired) {
        assert_eq!(*after, before + IMPAIRED - DECIDED);
    }
    let mut running = warm_standby(FailoverBy::HealthCheck);
    running.regions[1].deployment = Deployment::ScaledToZero;
    running.regions[1].asg.warm_pool = Some(WarmPool {
        size: 4,
        state: WarmState::Running,
        time_to_in_service: fixed(30 * SECOND),
    });
    let before = run(&running, TRIALS);
    impaired(&mut running);
    let after = run(&running, TRIALS);
    assert_eq!(after, before, "a running pool needs no control plane");
    assert!(after.iter().all(|o| !o.recovery_failed()));
}

/// Global Accelerator (no DNS: the accelerator dials traffic by endpoint health, a data
/// plane) with the standby already running: nothing waits for the control plane, so an
/// impairment leaves every trial's RTO as it was.
#[test]
fn global_accelerator_ignores_an_impaired_control_plane() {
    let mut model = warm_standby(FailoverBy::HealthCheck);
    model.routing.dns = None;
    let unimpaired = rtos(&model);
    impaired(&mut model);
    assert_eq!(rtos(&model), unimpaired);
}

/// `drsim trace` shows what waited for the control plane, on its own row, until the
/// impairment's end (backup and restore: the network's deploy).
#[test]
fn the_trace_shows_the_wait_for_the_control_plane() {
    let mut model = web_app(disaster(DisasterKind::RegionOutage, 7 * DAY));
    model.regions[1].deployment = Deployment::NotDeployed;
    impaired(&mut model);
    let (outcome, trace) = drsim::sim::trial::TrialSimulator::new(&model).trace(0);
    assert!(
        outcome
            .failed_steps
            .contains(drsim::sim::trial::RecoveryStep::ControlPlane)
    );
    let text = trace.text();
    assert!(
        text.contains("infrastructure as code: waiting for the control plane"),
        "{text}"
    );
}
