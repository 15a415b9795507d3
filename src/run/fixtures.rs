//! Test fixtures shared by the run and analysis layers' unit tests: a minimal model and
//! fake trial outcomes whose statistics are known.

use crate::model::units::{HOUR, MINUTE, SECOND};
use crate::model::*;
use crate::run::stats::OutcomeStats;
use crate::sim::trial::{FailedSteps, TrialOutcome};

/// Every fixture disaster's objective: the fixture model's default objectives.
const FIXTURE_OBJECTIVE: Objective = Objective {
    rto: 15 * MINUTE,
    rpo: 5 * MINUTE,
    confidence: 0.9,
    clock: Clock::Disaster,
};

/// A minimal valid model with the given disasters (name, per year).
pub(crate) fn model(disasters: &[(&str, f64)]) -> Model {
    let fixed = Dist::Fixed(1000.0);
    let alb = Alb {
        interval: 10 * SECOND,
        healthy_threshold: 3,
        unhealthy_threshold: 2,
        deep_health_check: false,
    };
    let asg = Asg {
        instance_type: "m7g.large".into(),
        volume_gb: 20.0,
        min: 2,
        desired: 4,
        max: 8,
        launch_time: fixed.clone(),
        bootstrap_time: fixed.clone(),
        lifecycle_hook: fixed.clone(),
        health_check_grace: 60 * SECOND,
        health_check_type: AsgHealthCheck::Ec2,
        policy: ScalingPolicy::TargetTracking,
        cooldown: 60 * SECOND,
        scale_out_delay: fixed.clone(),
        warm_pool: None,
        root_volume: RootVolume::default(),
        ami_copy_time: None,
    };
    let region = |name: &str, role| Region {
        name: name.into(),
        site: SiteKind::Aws,
        role,
        azs: vec!["a".into(), "b".into()],
        deployment: Deployment::Running,
        alb: alb.clone(),
        asg: asg.clone(),
        nat: NatLayout::PerAz,
        weight: 1.0,
    };
    Model {
        name: "test-scenario".into(),
        description: "built by hand".into(),
        source: "test.toml".into(),
        simulation: Simulation {
            trials: 1000,
            seed: 42,
            horizon: 24 * HOUR,
            recovery_threshold: 0.99,
            rto_thresholds: Vec::new(),
        },
        objectives: Objectives {
            rto: 15 * MINUTE,
            rpo: 5 * MINUTE,
            confidence: 0.9,
            clock: Clock::Disaster,
        },
        workload: Workload {
            requests_per_second: 100.0,
            writes_per_second: 10.0,
            data_size_gb: 100.0,
            change_gb_per_day: 1.0,
            instance_capacity_rps: 50.0,
            needs_outbound: false,
            response_kb: 10.0,
            db_client: DbClient::default(),
        },
        regions: vec![
            region("us-east-1", Role::Primary),
            region("us-west-2", Role::Standby),
        ],
        routing: Routing {
            mode: RoutingMode::Failover,
            health_check: HealthCheck {
                interval: 10 * SECOND,
                failure_threshold: 3,
            },
            dns: None,
            propagation: fixed.clone(),
            failover_by: crate::model::FailoverBy::HealthCheck,
        },
        database: Database {
            kind: DbKind::MultiAz,
            instance_class: "db.r6g.large".into(),
            region: 0,
            az: 0,
            failover_time: fixed.clone(),
            repair_time: fixed.clone(),
            cross_region: CrossRegion::None,
            replication_lag: fixed.clone(),
            promotion_time: fixed.clone(),
            global_failover: GlobalFailover::Managed,
            dynamodb: None,
            failback_time: fixed.clone(),
        },
        object_storage: ObjectStorage {
            size_gb: 10.0,
            replication: ObjectReplication::None,
            replica_region: None,
            objects_per_second: 0.0,
            protection: ObjectProtection::Unmodelled,
        },
        backups: None,
        recovery: Recovery {
            detection: fixed.clone(),
            decision_time: fixed.clone(),
            automated: false,
            iac_network_time: fixed.clone(),
            iac_redeploy_time: fixed.clone(),
            nat_replacement_time: fixed.clone(),
            launch_failure: StepFailure::NEVER,
            iac_failure: StepFailure::NEVER,
            database_failure: StepFailure::NEVER,
            control_plane: crate::model::Impairment::NEVER,
            recovery_region: crate::model::Impairment::NEVER,
            rollback: crate::model::Rollback::REDEPLOY,
            error_alarm: None,
        },
        disasters: disasters
            .iter()
            .map(|&(name, per_year)| Disaster {
                name: name.into(),
                kind: DisasterKind::AzOutage,
                per_year,
                duration: fixed.clone(),
                region: 0,
                az: None,
                detection_delay: fixed.clone(),
                grey_share: 1.0,
                grey_fails_health_checks: false,
                decision: Default::default(),
                objective: FIXTURE_OBJECTIVE,
            })
            .collect(),
        cost: crate::model::cost::CostSettings::with_catalog("prices.toml".into()),
        ranges: Vec::new(),
        hybrid: None,
    }
}

/// A fake trial: disaster i % 2; disaster 0 recovers in 60 s + (i / 2) ms with no
/// data loss, disaster 1 never recovers one time in four and otherwise takes 1 h. Half
/// the requests fail until the RTO (2 h of full outage when never recovered). The first
/// two `rto_thresholds` shares are reached at half the RTO and at the RTO; the alarm
/// goes off at 10 s, the decision at 20 s. A recovery step failed in one trial in five
/// (see [`fake_failed_steps`]).
pub(crate) fn fake_outcome(trial: u64) -> TrialOutcome {
    let disaster = (trial % 2) as usize;
    let (rto, rpo) = if disaster == 0 {
        (Some(MINUTE + trial / 2), Some(0))
    } else if trial % 8 == 1 {
        (None, None)
    } else {
        (Some(HOUR), Some(10 * MINUTE))
    };
    let mut rto_at = [None; MAX_RTO_THRESHOLDS];
    rto_at[0] = rto.map(|r| r / 2);
    rto_at[1] = rto;
    TrialOutcome {
        disaster,
        rto,
        rto_at,
        detected: Some(10 * SECOND),
        decided: Some(20 * SECOND),
        rpo,
        first_success: rto.map(|r| r / 2),
        full_capacity: rto,
        outage: rto.map_or(2 * HOUR, |r| r / 2),
        events: 10,
        failback: None,
        unneeded_failover: false,
        failed_steps: fake_failed_steps(trial),
    }
}

/// A launch was refused in trials 1, 6, 11, ... (one in five); of those, one in three
/// (trials 1, 16, 31, ...) also waited for the control plane.
pub(crate) fn fake_failed_steps(trial: u64) -> FailedSteps {
    use crate::sim::trial::RecoveryStep::{ControlPlane, Launch};
    match (trial % 5, trial % 15) {
        (1, 1) => FailedSteps::NONE.with(Launch).with(ControlPlane),
        (1, _) => FailedSteps::NONE.with(Launch),
        _ => FailedSteps::NONE,
    }
}

pub(crate) fn fake_stats(model: &Model, trials: std::ops::Range<u64>) -> OutcomeStats {
    let limits = crate::run::stats::Limits::for_model(model);
    let mut stats = OutcomeStats::new(model.disasters.len(), limits);
    for t in trials {
        stats.add(&fake_outcome(t));
    }
    stats
}
