//! Bills worked out by hand, and each class of catalog error.
//!
//! Prices quoted in comments are those of `models/prices/aws-us-east-1.toml`
//! (730 h/month): m5.large 0.096/h, gp3 0.08/GB-month, NAT 0.045/h and 0.045/GB,
//! db.r6g.large RDS 0.225/h and Aurora 0.26/h.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::bill::monthly_bill;
use super::risk::{disaster_cost, expected_loss, risk_cost, weighted_quantile};
use crate::run::stats::{Limits, OutcomeStats};
use crate::sim::trial::TrialOutcome;

/// Statistics of hand-made trials: (disaster, RTO, RPO), at the model's loss rates.
fn stats_of(m: &Model, trials: &[(usize, Millis, Millis)]) -> OutcomeStats {
    let mut stats = OutcomeStats::new(m.disasters.len(), Limits::for_model(m));
    for &(disaster, rto, rpo) in trials {
        stats.add(&TrialOutcome {
            disaster,
            rto: Some(rto),
            rto_at: [None; crate::model::MAX_RTO_THRESHOLDS],
            detected: None,
            decided: None,
            rpo: Some(rpo),
            first_success: Some(0),
            full_capacity: Some(rto),
            outage: rto, // everything fails until the RTO
            events: 0,
            failback: None,
            unneeded_failover: false,
            failed_steps: crate::sim::trial::FailedSteps::NONE,
        });
    }
    stats
}
use super::*;
use crate::model::catalog::Catalog;
use crate::model::cost::{
    CostSettings, DEFAULT_CATALOG, Override, Prices, RawCostSection, validate,
};
use crate::model::units::{DAY, HOUR, MINUTE, SECOND};
use crate::model::*;

const CATALOG_TEXT: &str = include_str!("../../../models/prices/aws-us-east-1.toml");
const CATALOG_PATH: &str = "models/prices/aws-us-east-1.toml";

fn catalog() -> Catalog {
    Catalog::parse(Path::new(CATALOG_PATH), CATALOG_TEXT).unwrap()
}

/// The same catalog with a 30-day (720 h) month.
fn catalog_720() -> Catalog {
    let text = CATALOG_TEXT.replace("hours_per_month = 730", "hours_per_month = 720");
    let c = Catalog::parse(Path::new("720.toml"), &text).unwrap();
    assert_eq!(c.hours_per_month, 720.0);
    c
}

/// A global override of `key` as if written under `[cost.overrides]`.
fn ov(key: &str, price: f64) -> Override {
    Override {
        key: key.into(),
        price,
        field: crate::model::locate::format_path(&crate::model::locate::keys(&[
            "cost",
            "overrides",
            key,
        ])),
    }
}

fn settings() -> CostSettings {
    CostSettings::with_catalog(CATALOG_PATH.into())
}

fn fixed(ms: u64) -> Dist {
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

fn disaster(name: &str, kind: DisasterKind, per_year: f64, duration: Millis) -> Disaster {
    Disaster {
        name: name.into(),
        kind,
        per_year,
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

/// 1000 req/s of 20 KB on m5.large (250 req/s each); us-east-1 primary running 4,
/// us-west-2 standby running 4; Route 53 at 30 s; Multi-AZ db.r6g.large in us-east-1,
/// 100 GB changing 5 GB/day, 100 writes/s; 100 GB in S3, not replicated; hourly
/// backups kept 35 days, copied to us-west-2.
fn model() -> Model {
    Model {
        name: "cost-test".into(),
        description: String::new(),
        source: "models/cost-test.toml".into(),
        simulation: Simulation {
            trials: 100,
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
            region("us-east-1", Role::Primary, Deployment::Running, 4),
            region("us-west-2", Role::Standby, Deployment::Running, 4),
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
            failover_by: crate::model::FailoverBy::HealthCheck,
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
            control_plane: crate::model::Impairment::NEVER,
            recovery_region: crate::model::Impairment::NEVER,
            rollback: crate::model::Rollback::REDEPLOY,
            error_alarm: None,
        },
        disasters: vec![disaster(
            "region-outage",
            DisasterKind::RegionOutage,
            0.1,
            4 * HOUR,
        )],
        cost: CostSettings::with_catalog(PathBuf::from("models/prices/aws-us-east-1.toml")),
        ranges: Vec::new(),
        hybrid: None,
    }
}

fn assert_usd(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 0.005,
        "got {actual:.4} USD, expected {expected:.4}"
    );
}

fn lines<'b>(bill: &'b Bill, region: &str, component: &str) -> Vec<&'b LineItem> {
    bill.items
        .iter()
        .filter(|i| i.region.as_deref() == Some(region) && i.component == component)
        .collect()
}

fn with_warm_pool(state: WarmState) -> Model {
    let mut m = model();
    m.regions[0].asg.warm_pool = Some(WarmPool {
        size: 1,
        state,
        time_to_in_service: fixed(30 * SECOND),
    });
    m
}

// --- Warm pools: the two examples ---

#[test]
fn running_warm_m5_large_costs_69_12_in_a_720_hour_month() {
    // 0.096 USD/h x 720 h = 69.12 USD for the instance, plus its 10 GB volume.
    let bill = monthly_bill(
        &with_warm_pool(WarmState::Running),
        &settings(),
        &Prices::from(catalog_720()),
    )
    .unwrap();
    let pool = lines(&bill, "us-east-1", "warm-pool");
    assert_eq!(pool[0].unit, "hour");
    assert_usd(pool[0].monthly_usd, 69.12);
    assert_usd(pool[1].monthly_usd, 10.0 * 0.08);
}

#[test]
fn running_warm_m5_large_costs_70_08_with_the_catalogs_730_hours() {
    let c = catalog();
    assert_eq!(c.hours_per_month, 730.0);
    let bill = monthly_bill(
        &with_warm_pool(WarmState::Running),
        &settings(),
        &Prices::from(c),
    )
    .unwrap();
    // 0.096 x 730 = 70.08, + 10 GB x 0.08 = 0.80.
    assert_usd(bill.component_total("warm-pool"), 70.08 + 0.80);
}

#[test]
fn stopped_warm_instance_with_10_gb_at_0_10_costs_1_00() {
    // Stopped instances pay only EBS: 10 GB x 0.10 USD/GB-month, whatever the month length.
    let mut s = settings();
    s.overrides = vec![ov("ebs.gp3", 0.10)];
    for mut c in [catalog(), catalog_720()] {
        c.apply_overrides(&s.overrides, Path::new("model.toml"), &BTreeSet::new())
            .unwrap();
        let bill = monthly_bill(&with_warm_pool(WarmState::Stopped), &s, &Prices::from(c)).unwrap();
        assert_usd(bill.component_total("warm-pool"), 1.00);
    }
    // And at the catalog's own gp3 price, 0.08: 0.80.
    let bill = monthly_bill(
        &with_warm_pool(WarmState::Stopped),
        &settings(),
        &Prices::from(catalog()),
    )
    .unwrap();
    assert_usd(bill.component_total("warm-pool"), 0.80);
}

#[test]
fn hibernated_warm_instance_pays_ebs_for_volume_and_ram() {
    // m5.large has 8 GB RAM: (10 + 8) GB x 0.08 = 1.44.
    let bill = monthly_bill(
        &with_warm_pool(WarmState::Hibernated),
        &settings(),
        &Prices::from(catalog()),
    )
    .unwrap();
    assert_usd(bill.component_total("warm-pool"), 1.44);
}

#[test]
fn instances_in_service_pay_hours_and_volumes() {
    // Each region: 4 x 0.096 x 730 = 280.32 and 4 x 10 GB x 0.08 = 3.20.
    let bill = monthly_bill(&model(), &settings(), &Prices::from(catalog())).unwrap();
    for region in ["us-east-1", "us-west-2"] {
        assert_usd(lines(&bill, region, "ec2")[0].monthly_usd, 280.32);
        assert_usd(lines(&bill, region, "ebs")[0].monthly_usd, 3.20);
    }
}

#[test]
fn scaled_to_zero_and_not_deployed_regions_run_no_instances() {
    let mut m = model();
    m.regions[1].deployment = Deployment::ScaledToZero;
    let bill = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert!(lines(&bill, "us-west-2", "ec2").is_empty());
    assert!(!lines(&bill, "us-west-2", "alb").is_empty());
    m.regions[1].deployment = Deployment::NotDeployed;
    let bill = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    let west: Vec<_> = bill
        .items
        .iter()
        .filter(|i| i.region.as_deref() == Some("us-west-2"))
        .collect();
    assert!(west.iter().all(|i| i.component == "backup"), "{west:?}");
}

// --- NAT ---

#[test]
fn nat_per_az_pays_one_gateway_per_az_single_pays_one_plus_cross_az() {
    let mut m = model();
    let per_az = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    m.regions[0].nat = NatLayout::Single(0);
    let single = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    // Data: 1000 req/s x 20 KB x 0.5 = 10,000 KB/s = 0.01 GB/s; x 730 x 3600 s = 26,280 GB.
    let gb = 26_280.0;
    let east_nat = |b: &Bill| {
        lines(b, "us-east-1", "nat")
            .iter()
            .map(|i| i.monthly_usd)
            .collect::<Vec<_>>()
    };
    assert_eq!(east_nat(&per_az).len(), 2);
    assert_usd(east_nat(&per_az)[0], 2.0 * 0.045 * 730.0); // 65.70
    assert_usd(east_nat(&single)[0], 0.045 * 730.0); // 32.85
    assert_usd(east_nat(&per_az)[1], gb * 0.045); // 1182.60 either way
    assert_usd(east_nat(&single)[1], gb * 0.045);
    // Single NAT in AZ a: half the bytes come from AZ b, 0.01/GB each direction.
    let cross: Vec<_> = lines(&single, "us-east-1", "transfer")
        .into_iter()
        .filter(|i| i.price_item == "transfer.cross_az")
        .collect();
    assert_usd(cross[0].monthly_usd, gb * 0.5 * 0.01 * 2.0); // 262.80
    // The standby serves nothing: gateway hours only.
    assert_eq!(lines(&per_az, "us-west-2", "nat").len(), 1);
}

// --- ALB ---

#[test]
fn alb_lcus_follow_the_largest_dimension() {
    let s = settings();
    // 1000 req/s x 20 KB = 72 GB/h -> 72 LCU (connections: 100/s -> 4 LCU, 6000 -> 2 LCU).
    let (lcu, dim) = bill::alb_lcus(1000.0, 20.0, &s);
    assert_usd(lcu, 72.0);
    assert_eq!(dim, "processed bytes");
    // Tiny responses: 100 new connections/s / 25 = 4 LCU.
    assert_eq!(bill::alb_lcus(1000.0, 0.1, &s), (4.0, "new connections"));
    let bill = monthly_bill(&model(), &s, &Prices::from(catalog())).unwrap();
    let alb = lines(&bill, "us-east-1", "alb");
    assert_usd(alb[0].monthly_usd, 0.0225 * 730.0);
    assert_usd(alb[1].monthly_usd, 72.0 * 730.0 * 0.008);
}

// --- Route 53 and Global Accelerator ---

#[test]
fn route53_fast_health_checks_add_the_option_price() {
    let slow = monthly_bill(&model(), &settings(), &Prices::from(catalog())).unwrap();
    // Hosted zone 0.50 + two AWS endpoint checks at 0.50.
    assert_usd(slow.component_total("route53"), 0.50 + 2.0 * 0.50);
    let mut m = model();
    m.routing.health_check.interval = 10 * SECOND;
    let fast = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    // Each check: 0.50 + 1.00 for the fast interval = 1.50.
    assert_usd(
        fast.region_total(Some("us-east-1")) - slow.region_total(Some("us-east-1")),
        1.00,
    );
    assert_usd(fast.component_total("route53"), 0.50 + 2.0 * 1.50);
}

#[test]
fn on_premises_endpoint_is_checked_at_the_non_aws_price_and_priced_by_the_model() {
    let mut m = model();
    m.regions[0].site = SiteKind::OnPremises;
    m.routing.health_check.interval = 10 * SECOND;
    let mut s = settings();
    s.on_premises_monthly_usd = 5000.0;
    let bill = monthly_bill(&m, &s, &Prices::from(catalog())).unwrap();
    // Non-AWS check 0.75 + fast option 2.00.
    assert_usd(
        lines(&bill, "us-east-1", "route53")
            .iter()
            .map(|i| i.monthly_usd)
            .sum(),
        2.75,
    );
    assert_usd(bill.component_total("on-premises"), 5000.0);
    assert!(lines(&bill, "us-east-1", "ec2").is_empty());
}

#[test]
fn global_accelerator_pays_fixed_fee_and_premium_instead_of_route53() {
    let mut m = model();
    m.routing.dns = None;
    let bill = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert_usd(bill.component_total("route53"), 0.0);
    // 0.025 x 730 = 18.25; responses 1000 x 20 KB x 2,628,000 s = 52,560 GB x 0.015 = 788.40.
    assert_usd(bill.component_total("accelerator"), 18.25 + 788.40);
}

// --- Databases ---

#[test]
fn multi_az_doubles_the_instance_and_storage_price() {
    let mut m = model();
    m.database.kind = DbKind::Single;
    let single = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    m.database.kind = DbKind::MultiAz;
    let multi = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert_usd(single.component_total("database"), 0.225 * 730.0); // 164.25
    assert_usd(multi.component_total("database"), 2.0 * 0.225 * 730.0); // 328.50
    assert_usd(single.component_total("db-storage"), 100.0 * 0.115);
    assert_usd(multi.component_total("db-storage"), 2.0 * 100.0 * 0.115);
}

#[test]
fn aurora_global_adds_a_secondary_cluster_and_replicated_write_io() {
    let mut m = model();
    m.database.kind = DbKind::Aurora;
    let local = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    // Writer + replica: 2 x 0.26 x 730 = 379.60; 100 GB x 0.10; 100 writes/s x 2,628,000 s
    // = 262.8 million I/O x 0.20 = 52.56.
    assert_usd(local.component_total("database"), 379.60);
    assert_usd(local.component_total("db-storage"), 10.0 + 52.56);
    m.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
    let global = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert_usd(
        lines(&global, "us-west-2", "database")[0].monthly_usd,
        0.26 * 730.0,
    ); // 189.80
    assert_usd(
        lines(&global, "us-west-2", "db-storage")[0].monthly_usd,
        10.0,
    );
    assert_usd(
        lines(&global, "us-west-2", "replication")[0].monthly_usd,
        52.56,
    );
    assert_usd(global.total() - local.total(), 189.80 + 10.0 + 52.56);
}

#[test]
fn read_replica_pays_an_instance_storage_and_change_transfer() {
    let mut m = model();
    m.database.cross_region = CrossRegion::ReadReplica { region: 1 };
    let bill = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert_usd(lines(&bill, "us-west-2", "database")[0].monthly_usd, 164.25);
    // 5 GB/day x 730/24 days = 152.083 GB x 0.02.
    assert_usd(
        lines(&bill, "us-east-1", "replication")[0].monthly_usd,
        5.0 * 730.0 / 24.0 * 0.02,
    );
}

// --- S3 ---

#[test]
fn s3_replication_pays_the_replica_transfer_and_rtc() {
    let mut m = model();
    m.object_storage.replication = ObjectReplication::Crr {
        lag: fixed(SECOND),
        max_lag: 48 * 3_600_000,
        rtc: true,
    };
    m.object_storage.replica_region = Some(1);
    let mut s = settings();
    s.object_change_gb_per_day = Some(2.4);
    let bill = monthly_bill(&m, &s, &Prices::from(catalog())).unwrap();
    assert_usd(bill.component_total("s3"), 2.0 * 100.0 * 0.023);
    // 2.4 GB/day x 30.4167 days = 73 GB x (0.02 + 0.015) = 2.555.
    let replication: f64 = lines(&bill, "us-east-1", "replication")
        .iter()
        .map(|i| i.monthly_usd)
        .sum();
    assert_usd(replication, 73.0 * 0.035);
}

// --- Backups ---

#[test]
fn backups_store_a_full_plus_incrementals_and_copies_double_it() {
    // 100 GB + 5 GB/day x 35 days = 275 GB x 0.05 = 13.75 in each region;
    // copy transfer: 5 GB/day x 730/24 days x 0.02 = 3.0417.
    assert_eq!(bill::backup_stored_gb(100.0, 5.0, 35.0), 275.0);
    let bill = monthly_bill(&model(), &settings(), &Prices::from(catalog())).unwrap();
    let east = lines(&bill, "us-east-1", "backup");
    assert_usd(east[0].monthly_usd, 13.75);
    assert_usd(east[1].monthly_usd, 5.0 * 730.0 / 24.0 * 0.02);
    assert_usd(lines(&bill, "us-west-2", "backup")[0].monthly_usd, 13.75);
    let mut m = model();
    m.backups.as_mut().unwrap().copy = None;
    let uncopied = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    assert_usd(uncopied.component_total("backup"), 13.75);
}

/// Aurora snapshot copies are full copies (docs/sources.md#aurora-copy-snapshot: "always
/// full copies"): daily copies of 100 GB move 100 GB x 730/24 days = 3,041.7 GB a month
/// across, x 0.02 (backup.cross_region_copy, us-east-1) = 60.83, where copying the
/// changes would move 5 GB a day (3.04).
#[test]
fn full_backup_copies_pay_the_whole_data_each_time() {
    let mut m = model();
    let backups = m.backups.as_mut().unwrap();
    backups.schedule = Schedule::Every(DAY);
    backups.copy.as_mut().unwrap().size = CopySize::Full(100.0);
    let bill = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    let east = lines(&bill, "us-east-1", "backup");
    assert_usd(east[1].monthly_usd, 100.0 * 730.0 / 24.0 * 0.02);
    assert!(east[1].description.contains("full copies"), "{:?}", east[1]);
}

/// Fast snapshot restore is billed per DSU-hour per AZ (docs/sources.md#price-ebs:
/// $0.75): one snapshot in one AZ of the copy's region all month, 730 h x 0.75 = 547.50.
#[test]
fn fast_snapshot_restore_bills_a_dsu_hour_every_hour() {
    let mut m = model();
    let without = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    let backups = m.backups.as_mut().unwrap();
    backups.engine = BackupEngine::Ebs;
    backups.fast_snapshot_restore = true;
    let with = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap();
    let west = |b: &Bill| -> f64 {
        lines(b, "us-west-2", "backup")
            .iter()
            .map(|l| l.monthly_usd)
            .sum()
    };
    assert_usd(west(&with) - west(&without), 730.0 * 0.75);
}

// --- Totals ---

#[test]
fn totals_by_region_and_component_add_up_to_the_bill() {
    let bill = monthly_bill(&model(), &settings(), &Prices::from(catalog())).unwrap();
    let by_region: f64 = bill.by_region().iter().map(|(_, v)| v).sum();
    let by_component: f64 = bill.by_component().iter().map(|(_, v)| v).sum();
    assert_usd(by_region, bill.total());
    assert_usd(by_component, bill.total());
    assert!(bill.by_region().iter().any(|(r, _)| r == "global"));
    let priced_elsewhere = "us-west-2: priced with catalog aws-us-east-1 (us-east-1 prices)";
    assert!(
        bill.notes.iter().any(|n| n == priced_elsewhere),
        "{:?}",
        bill.notes
    );
}

/// The four strategies of the AWS DR whitepaper, on the same workload.
fn strategy(name: &str) -> Model {
    let mut m = model();
    match name {
        "backup-restore" => m.regions[1].deployment = Deployment::NotDeployed,
        "pilot-light" => {
            m.regions[1].deployment = Deployment::ScaledToZero;
            m.database.cross_region = CrossRegion::ReadReplica { region: 1 };
        }
        "warm-standby" => {
            m.regions[1].asg.desired = 1;
            m.database.cross_region = CrossRegion::ReadReplica { region: 1 };
        }
        _ => {
            m.routing.mode = RoutingMode::ActiveActive;
            m.regions[1].role = Role::Active;
            m.regions[0].role = Role::Active;
            m.database.kind = DbKind::Aurora;
            m.database.cross_region = CrossRegion::AuroraGlobal { region: 1 };
        }
    }
    m
}

#[test]
fn steady_cost_rises_from_backup_restore_to_active_active() {
    let costs: Vec<f64> = [
        "backup-restore",
        "pilot-light",
        "warm-standby",
        "active-active",
    ]
    .iter()
    .map(|s| {
        monthly_bill(&strategy(s), &settings(), &Prices::from(catalog()))
            .unwrap()
            .total()
    })
    .collect();
    assert!(costs.windows(2).all(|w| w[0] < w[1]), "{costs:?}");
}

// --- Disaster-time cost and expected loss ---

#[test]
fn pilot_light_region_outage_pays_the_scale_out_while_it_lasts() {
    let m = strategy("pilot-light");
    let costs = disaster_cost(&m, &Prices::from(catalog())).unwrap();
    // ceil(1000 / 250) = 4 instances for 4 h: 16 x 0.096 = 1.536, volumes
    // 4 x 10 GB x 4/730 month x 0.08 = 0.0175; 0.1 per year -> / 12 per month.
    let one = 16.0 * 0.096 + 40.0 * 4.0 / 730.0 * 0.08;
    assert_usd(costs[0].per_occurrence_usd, one);
    assert_usd(costs[0].monthly_usd, 0.1 / 12.0 * one);
    // Active/active with enough survivors adds nothing.
    let mut aa = strategy("active-active");
    aa.regions[1].asg.desired = 4;
    assert_usd(
        disaster_cost(&aa, &Prices::from(catalog())).unwrap()[0].per_occurrence_usd,
        0.0,
    );
}

#[test]
fn expected_loss_weights_each_disasters_mean_by_its_frequency() {
    let mut m = model();
    m.disasters = vec![
        disaster("az", DisasterKind::AzOutage, 2.0, HOUR),
        disaster("region", DisasterKind::RegionOutage, 0.5, 4 * HOUR),
    ];
    let mut s = settings();
    s.downtime_usd_per_hour = 1000.0;
    s.data_loss_usd_per_hour = 5000.0;
    m.cost = s.clone();
    let stats = stats_of(&m, &[(0, HOUR, 0), (0, 3 * HOUR, 0), (1, 10 * HOUR, HOUR)]);
    let loss = expected_loss(&crate::analysis::context::SummaryContext::of(&m), &stats);
    // az: mean RTO 2 h -> 2000 USD, 2/year -> 333.33/month.
    // region: 10 h x 1000 + 1 h x 5000 = 15000 USD, 0.5/year -> 625.00/month.
    assert_usd(loss.by_disaster[0].mean_loss_usd, 2000.0);
    assert_usd(loss.by_disaster[0].monthly_usd, 2.0 / 12.0 * 2000.0);
    assert_usd(loss.by_disaster[1].mean_loss_usd, 15_000.0);
    assert_usd(loss.expected_loss_monthly_usd, 333.333 + 625.0);
    // Weights 1, 1 (az trials) and 0.5 (region): 99% of 2.5 is only reached by 15000.
    assert_usd(loss.tail_loss_p99_usd, 15_000.0);
    assert_usd(loss.by_disaster[0].p99_loss_usd, 3000.0);

    let bill = monthly_bill(&m, &s, &Prices::from(catalog())).unwrap();
    let failover = disaster_cost(&m, &Prices::from(catalog())).unwrap();
    let risk = risk_cost(&bill, &failover, &loss);
    let disaster_monthly: f64 = failover.iter().map(|d| d.monthly_usd).sum();
    assert_usd(
        risk.risk_adjusted_monthly_usd,
        bill.total() + disaster_monthly + 958.333,
    );
    assert_eq!(risk.by_disaster.len(), 2);
}

#[test]
fn weighted_quantile_is_the_smallest_value_reaching_the_share() {
    let values: Vec<(f64, f64)> = (1..=100).map(|v| (f64::from(v), 1.0)).collect();
    assert_eq!(weighted_quantile(values, 0.99), 99.0);
    assert_eq!(weighted_quantile(vec![(5.0, 1.0), (1.0, 99.0)], 0.99), 1.0);
    assert_eq!(weighted_quantile(Vec::new(), 0.99), 0.0);
}

// --- Catalog errors ---

fn parse_err(text: &str) -> CostError {
    Catalog::parse(Path::new("bad.toml"), text).unwrap_err()
}

const HEADER: &str =
    "[catalog]\nname = \"t\"\ncurrency = \"USD\"\nhours_per_month = 730\nread_on = 2026-11-23\n";

#[test]
fn missing_instance_type_names_the_model_item_and_the_catalog() {
    let mut m = model();
    m.regions[0].asg.instance_type = "m7i.large".into();
    let err = monthly_bill(&m, &settings(), &Prices::from(catalog())).unwrap_err();
    assert_eq!(err.file, Path::new("models/cost-test.toml"));
    assert_eq!(
        err.item.as_deref(),
        Some("regions.us-east-1.asg.instance_type")
    );
    let text = err.to_string();
    assert!(
        text.contains("m7i.large: not in models/prices/aws-us-east-1.toml"),
        "{text}"
    );
    assert!(text.contains("m5.large, m5.xlarge"), "{text}");
}

#[test]
fn negative_price_names_file_line_and_item() {
    let err = parse_err(&format!(
        "{HEADER}\n[nat.hour]\nprice = -0.045\nunit = \"USD/hour\"\nsource = \"x\"\n"
    ));
    assert_eq!(err.line_col, Some((8, 9)));
    assert_eq!(err.item.as_deref(), Some("nat.hour.price"));
    assert!(
        err.to_string()
            .starts_with("bad.toml:8:9: nat.hour.price: price -0.045 must be zero or more"),
        "{err}"
    );
}

#[test]
fn unknown_unit_is_refused_with_a_suggestion() {
    let err = parse_err(&format!(
        "{HEADER}\n[nat.hour]\nprice = 0.045\nunit = \"USD/hr\"\nsource = \"x\"\n"
    ));
    assert_eq!(err.line_col, Some((9, 8)));
    assert_eq!(err.item.as_deref(), Some("nat.hour.unit"));
    assert!(
        err.message
            .contains("unknown unit `USD/hr`; did you mean `USD/hour`?"),
        "{err}"
    );
}

#[test]
fn price_with_the_wrong_unit_is_refused() {
    let err = parse_err(&format!(
        "{HEADER}\n[nat.data]\nprice = 0.045\nunit = \"USD/hour\"\nsource = \"x\"\n"
    ));
    assert_eq!(err.item.as_deref(), Some("nat.data.unit"));
    assert!(err.message.contains("drsim prices it in `USD/GB`"), "{err}");
}

#[test]
fn misspelt_item_gets_a_suggestion_and_its_line() {
    let err = parse_err(&format!(
        "{HEADER}\n[nat.hours]\nprice = 0.045\nunit = \"USD/hour\"\nsource = \"x\"\n"
    ));
    assert_eq!(err.line_col.map(|l| l.0), Some(7));
    assert_eq!(err.item.as_deref(), Some("nat.hours"));
    assert!(err.message.contains("did you mean `nat.hour`?"), "{err}");
}

#[test]
fn unknown_group_and_field_are_refused_by_the_parser_with_a_line() {
    let err = parse_err(&format!("{HEADER}\n[ec3.\"m5.large\"]\nprice = 1\n"));
    assert_eq!(err.line_col.map(|l| l.0), Some(7));
    assert!(err.message.contains("ec3"), "{err}");
    let err = parse_err(&format!(
        "{HEADER}\n[nat.hour]\nprice = 1\nunit = \"USD/hour\"\nsource = \"x\"\ncolour = 1\n"
    ));
    assert_eq!(err.line_col.map(|l| l.0), Some(11));
}

#[test]
fn ec2_type_without_ram_is_refused() {
    let err = parse_err(&format!(
        "{HEADER}\n[ec2.\"m5.large\"]\nprice = 0.096\nunit = \"USD/hour\"\nsource = \"x\"\n"
    ));
    assert_eq!(err.item.as_deref(), Some("ec2.m5.large"));
    assert!(err.message.contains("ram_gb"), "{err}");
}

#[test]
fn odd_month_length_is_refused() {
    let err = parse_err(&HEADER.replace("730", "30"));
    assert_eq!(err.item.as_deref(), Some("catalog.hours_per_month"));
    assert_eq!(err.line_col, Some((4, 19)));
}

#[test]
fn missing_fixed_price_names_the_catalog_and_what_needs_it() {
    let text = CATALOG_TEXT.replace("[nat.hour]", "[nat.not_hour_at_all]");
    assert!(Catalog::parse(Path::new("x.toml"), &text).is_err());
    let text = CATALOG_TEXT.replace(
        "[nat.hour]\nprice = 0.045\nunit = \"USD/hour\"",
        "[nat.data_x]\nprice = 0.045\nunit = \"USD/hour\"",
    );
    let err = Catalog::parse(Path::new("x.toml"), &text).unwrap_err();
    assert!(err.message.contains("did you mean"), "{err}");
}

// --- The shipped catalog, overrides and settings ---

#[test]
fn shipped_catalog_has_every_known_item_with_a_source_and_date() {
    let c = catalog();
    for key in catalog::fixed_keys() {
        let item = c
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from the shipped catalog"));
        assert!(!item.source.is_empty());
        assert_eq!(item.read_on, "2026-11-23");
    }
    for ty in ["m5.large", "t3.medium", "c5.large", "m5.xlarge"] {
        assert!(c.get(&format!("ec2.{ty}")).unwrap().ram_gb.is_some());
    }
    assert!(
        c.get("db.aurora_replicated_write_io")
            .unwrap()
            .source
            .starts_with("unsourced")
    );
    assert!(c.get("aurora.db.r6g.large").is_some() && c.get("rds.db.r6g.large").is_some());
}

#[test]
fn overrides_replace_one_price_and_refuse_unknown_items() {
    let mut c = catalog();
    c.apply_overrides(
        &[ov("ec2.m5.large", 0.09)],
        Path::new("m.toml"),
        &BTreeSet::new(),
    )
    .unwrap();
    assert_eq!(c.get("ec2.m5.large").unwrap().price, 0.09);
    assert_eq!(
        c.get("ec2.m5.large").unwrap().overridden_by.as_deref(),
        Some("m.toml")
    );
    let err = c
        .apply_overrides(
            &[ov("nat.hours", 0.05)],
            Path::new("m.toml"),
            &BTreeSet::new(),
        )
        .unwrap_err();
    assert_eq!(err.item.as_deref(), Some("cost.overrides.\"nat.hours\""));
    assert!(err.message.contains("did you mean `nat.hour`?"), "{err}");
    let err = c
        .apply_overrides(
            &[ov("nat.hour", -1.0)],
            Path::new("m.toml"),
            &BTreeSet::new(),
        )
        .unwrap_err();
    assert!(err.message.contains("zero or more"));
}

#[test]
fn cost_section_is_validated_with_defaults() {
    let raw: RawCostSection = toml::from_str(
        "catalog = \"prices/other.toml\"\ndowntime_usd_per_hour = 20000\n[overrides]\n\"ec2.m5.large\" = 0.09\nnat.hour = 0.05\n",
    )
    .unwrap();
    let s = validate(Some(raw), Path::new("models/a.toml"), &[]).unwrap();
    assert_eq!(s.catalog, Path::new("models/prices/other.toml"));
    assert_eq!(s.downtime_usd_per_hour, 20_000.0);
    let written: Vec<(&str, f64)> = s
        .overrides
        .iter()
        .map(|o| (o.key.as_str(), o.price))
        .collect();
    assert_eq!(written, vec![("ec2.m5.large", 0.09), ("nat.hour", 0.05)]);
    assert_eq!(s.nat_share_of_response_bytes, 0.5);
    let raw: RawCostSection = toml::from_str("data_loss_usd_per_hour = -1\n").unwrap();
    assert_eq!(
        validate(Some(raw), Path::new("a.toml"), &[]).unwrap_err().0,
        crate::model::locate::keys(&["cost", "data_loss_usd_per_hour"])
    );
    assert!(toml::from_str::<RawCostSection>("downtime_per_hour = 1\n").is_err());
    let raw: RawCostSection = toml::from_str("[overrides]\n\"nat.hours\" = 1\n").unwrap();
    assert!(
        validate(Some(raw), Path::new("a.toml"), &[])
            .unwrap_err()
            .1
            .contains("did you mean `nat.hour`?")
    );
}

#[test]
fn default_settings_find_the_shipped_catalog() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = CostSettings::default_for(&manifest.join("models/scenarios/x.toml"));
    assert_eq!(s.catalog, manifest.join(DEFAULT_CATALOG));
    assert_eq!(
        s.load_catalog(Path::new("x.toml")).unwrap().name,
        "aws-us-east-1"
    );
}

#[test]
fn backup_restore_region_outage_builds_the_region_and_restores_from_the_copy() {
    let m = strategy("backup-restore");
    let cost = &disaster_cost(&m, &Prices::from(catalog())).unwrap()[0];
    // For 4 h in us-west-2: 4 x m5.large (1.536) + volumes (40 GB x 4/730 x 0.08),
    // ALB (4 x 0.0225), 2 NAT (8 x 0.045), restored db.r6g.large (4 x 0.225); the
    // restore reads the copy already in us-west-2 (no transfer) at 0 USD/GB.
    let expected = 1.536 + 40.0 * 4.0 / 730.0 * 0.08 + 0.09 + 0.36 + 0.90;
    assert_usd(cost.per_occurrence_usd, expected);
    assert!(cost.items.iter().all(|i| i.region == "us-west-2"));
    assert!(!cost.items.iter().any(|i| i.description.contains("moved")));
}

#[test]
fn ransomware_restores_from_the_copy_unless_vault_locked() {
    let mut m = model();
    m.disasters = vec![disaster("ransomware", DisasterKind::Ransomware, 0.05, 0)];
    // 100 GB of backup moved from us-west-2 at 0.02 = 2.00.
    assert_usd(
        disaster_cost(&m, &Prices::from(catalog())).unwrap()[0].per_occurrence_usd,
        2.0,
    );
    m.backups.as_mut().unwrap().vault_lock = VaultLock::Governance;
    assert_usd(
        disaster_cost(&m, &Prices::from(catalog())).unwrap()[0].per_occurrence_usd,
        0.0,
    );
}

#[test]
fn report_with_trials_fills_every_risk_figure() {
    let mut m = model();
    m.source = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/test.toml");
    let mut s = CostSettings::default_for(&m.source);
    s.downtime_usd_per_hour = 1200.0;
    m.cost = s;
    let stats = stats_of(&m, &[(0, HOUR / 2, 0)]);
    let report = report(&m, Some(&stats)).unwrap();
    // 0.5 h x 1200 = 600 per outage, 0.1 a year: 5.00 per month.
    assert_usd(report.expected_loss_monthly_usd.unwrap(), 5.0);
    assert_usd(report.tail_loss_p99_usd.unwrap(), 600.0);
    let total = report.monthly_usd + report.disaster_monthly_usd.unwrap() + 5.0;
    assert_usd(report.risk_adjusted_monthly_usd.unwrap(), total);
    assert_eq!(report.by_disaster[0].loss.as_ref().unwrap().trials, 1);
}
