//! A small two-region web application built in code, for behaviour tests whose expected
//! results are worked out by hand. Every timing is fixed unless a test varies it.
#![allow(dead_code)]

use drsim::model::units::{DAY, HOUR, MINUTE, SECOND};
use drsim::model::*;

/// Fixed duration in milliseconds.
pub fn fixed(ms: u64) -> Dist {
    Dist::Fixed(ms as f64)
}

fn region(name: &str, role: Role, deployment: Deployment, desired: u32) -> Region {
    Region {
        name: name.into(),
        site: SiteKind::Aws,
        role,
        azs: vec![format!("{name}a"), format!("{name}b")],
        deployment,
        alb: Alb {
            interval: 30 * SECOND,
            healthy_threshold: 5,
            unhealthy_threshold: 2,
            deep_health_check: true,
        },
        asg: Asg {
            instance_type: "m5.large".into(),
            volume_gb: 10.0,
            min: desired,
            desired,
            max: 12,
            launch_time: fixed(30 * SECOND),
            bootstrap_time: fixed(60 * SECOND),
            lifecycle_hook: fixed(0),
            health_check_grace: 300 * SECOND,
            health_check_type: AsgHealthCheck::Ec2,
            policy: ScalingPolicy::TargetTracking,
            cooldown: 300 * SECOND,
            scale_out_delay: fixed(120 * SECOND),
            warm_pool: None,
            root_volume: RootVolume::default(),
            ami_copy_time: None,
        },
        nat: NatLayout::PerAz,
        weight: 1.0,
    }
}

/// 1000 rps on instances of 250 rps; primary us-east-1 with 6 instances over 2 AZs;
/// standby us-west-2 running 6 instances (fully scaled); Route 53 failover 30 s x 3,
/// TTL 60 s, all clients honour the TTL; Multi-AZ database in the primary with no
/// cross-region copy; hourly backups copied in 10 min.
pub fn web_app(disaster: Disaster) -> Model {
    Model {
        name: "test".into(),
        description: String::new(),
        source: "test.toml".into(),
        simulation: Simulation {
            trials: 1000,
            seed: 7,
            horizon: 30 * DAY,
            recovery_threshold: 0.99,
            rto_thresholds: Vec::new(),
        },
        objectives: Objectives {
            rto: 15 * MINUTE,
            rpo: 15 * MINUTE,
            confidence: 0.99,
            clock: Clock::Disaster,
        },
        workload: Workload {
            requests_per_second: 1000.0,
            writes_per_second: 100.0,
            data_size_gb: 100.0,
            change_gb_per_day: 5.0,
            instance_capacity_rps: 250.0,
            needs_outbound: true,
            response_kb: 20.0,
            db_client: DbClient::default(),
        },
        regions: vec![
            region("us-east-1", Role::Primary, Deployment::Running, 6),
            region("us-west-2", Role::Standby, Deployment::Running, 6),
        ],
        routing: Routing {
            mode: RoutingMode::Failover,
            health_check: HealthCheck {
                interval: 30 * SECOND,
                failure_threshold: 3,
            },
            dns: Some(DnsCaching {
                ttl: 60 * SECOND,
                honour_share: 1.0,
                stale_hold: fixed(0),
            }),
            propagation: fixed(0),
            failover_by: drsim::model::FailoverBy::HealthCheck,
        },
        database: Database {
            kind: DbKind::MultiAz,
            instance_class: "db.r6g.large".into(),
            region: 0,
            az: 0,
            failover_time: fixed(90 * SECOND),
            repair_time: fixed(20 * MINUTE),
            cross_region: CrossRegion::None,
            replication_lag: fixed(SECOND),
            promotion_time: fixed(5 * MINUTE),
            global_failover: GlobalFailover::Managed,
            dynamodb: None,
            failback_time: fixed(HOUR),
        },
        object_storage: ObjectStorage {
            size_gb: 100.0,
            replication: ObjectReplication::None,
            replica_region: None,
            objects_per_second: 0.0,
            protection: ObjectProtection::Unmodelled,
        },
        backups: Some(Backups {
            schedule: Schedule::Every(HOUR),
            engine: BackupEngine::Rds,
            start_window: 0,
            region: 0,
            duration: fixed(0),
            copy: Some(BackupCopy {
                region: 1,
                duration: fixed(10 * MINUTE),
                log_lag: None,
                gb_per_hour: None,
                size: CopySize::Changes(5.0),
                one_at_a_time: true,
                fallback: None,
                other_account: false,
            }),
            retention: 35 * DAY,
            vault_lock: VaultLock::Off,
            point_in_time: None,
            restore_gb_per_hour: 100.0,
            restore_fixed: fixed(20 * MINUTE),
            fast_snapshot_restore: false,
        }),
        recovery: Recovery {
            detection: fixed(5 * MINUTE),
            decision_time: fixed(10 * MINUTE),
            automated: false,
            iac_network_time: fixed(0),
            iac_redeploy_time: fixed(30 * MINUTE),
            nat_replacement_time: fixed(10 * MINUTE),
            launch_failure: StepFailure::NEVER,
            iac_failure: StepFailure::NEVER,
            database_failure: StepFailure::NEVER,
            control_plane: drsim::model::Impairment::NEVER,
            recovery_region: drsim::model::Impairment::NEVER,
            rollback: drsim::model::Rollback::REDEPLOY,
            error_alarm: None,
        },
        disasters: vec![disaster],
        cost: drsim::model::cost::CostSettings::with_catalog(
            "models/prices/aws-us-east-1.toml".into(),
        ),
        ranges: Vec::new(),
        hybrid: None,
    }
}

/// A disaster of `kind` striking us-east-1 AZ a, lasting `duration`.
pub fn disaster(kind: DisasterKind, duration: Millis) -> Disaster {
    Disaster {
        name: kind.name().replace('_', "-"),
        kind,
        per_year: 1.0,
        duration: fixed(duration),
        region: 0,
        az: Some(0),
        detection_delay: fixed(2 * HOUR),
        grey_share: 1.0,
        grey_fails_health_checks: false,
        decision: Default::default(),
        objective: Objective {
            rto: 15 * MINUTE,
            rpo: 15 * MINUTE,
            confidence: 0.99,
            clock: Clock::Disaster,
        },
    }
}

/// Runs `n` trials and returns their outcomes.
pub fn run(model: &Model, n: u64) -> Vec<drsim::sim::trial::TrialOutcome> {
    let mut sim = drsim::sim::trial::TrialSimulator::new(model);
    (0..n).map(|t| sim.run(t)).collect()
}

/// Mean and the 4-sigma Monte Carlo tolerance of a sample, in the sample's unit.
pub fn mean_and_tolerance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, 4.0 * (var / n).sqrt())
}
