//! The data stores of issue #17 (DynamoDB global tables and point-in-time recovery),
//! each checked against figures worked out by hand from the AWS pages cited in
//! docs/sources.md. Tolerances are 4 Monte Carlo standard errors of a share,
//! `4 sqrt(p (1 - p) / n)`, never tuned.

use std::path::{Path, PathBuf};

use drsim::analysis::cost::{load_prices, monthly_bill};
use drsim::model::load::load_model;
use drsim::model::units::{HOUR, SECOND};
use drsim::model::*;
use tempfile::TempDir;

use crate::common::run;

/// A model of the bundled web app (the three shared files) plus `body`, kept in a
/// temporary directory while it is loaded.
fn model_with(body: &str) -> Model {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let includes: Vec<String> = ["aws-timings.toml", "web-app.toml", "web-app-disasters.toml"]
        .iter()
        .map(|m| format!("'{}'", models.join(m).display()))
        .collect();
    let dir = TempDir::new().unwrap();
    let path: PathBuf = dir.path().join("scenario.toml");
    let text = format!("include = [{}]\n{body}\n", includes.join(", "));
    std::fs::write(&path, text).unwrap();
    load_model(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// Keeps only the disasters of `kind` in the model.
fn only(mut model: Model, kind: DisasterKind) -> Model {
    model.disasters.retain(|d| d.kind == kind);
    assert!(!model.disasters.is_empty(), "no {} disaster", kind.name());
    model
}

/// Share of `xs` that satisfy `pred`.
fn share<T>(xs: &[T], pred: impl Fn(&T) -> bool) -> f64 {
    xs.iter().filter(|x| pred(x)).count() as f64 / xs.len() as f64
}

/// 4 standard errors of a share `p` estimated from `n` trials.
fn tolerance(p: f64, n: usize) -> f64 {
    4.0 * (p * (1.0 - p) / n as f64).sqrt()
}

const GLOBAL_TABLE: &str = "[database]\nkind = \"dynamodb\"\ncross_region = \"multi_writer\"\nreplica_region = \"us-west-2\"\n";

// ---- DynamoDB global tables ----

/// A global table keeps taking writes in the other region when one is lost; the writes
/// not yet replicated are lost. sources.md#dynamodb-global-tables: changes are "typically
/// replicated to all other regions within a second", the default lag's median (1 s; p95
/// 10 s unsourced). One lag draw per trial is the RPO, so P(RPO <= 1 s) = 0.50 and
/// P(RPO <= 10 s) = 0.95, each within 4 standard errors. Nothing is promoted: no
/// promotion time, whatever the database defaults hold for other copies.
#[test]
fn dynamodb_global_table_region_outage_loses_only_the_replication_lag() {
    let model = only(model_with(GLOBAL_TABLE), DisasterKind::RegionOutage);
    assert_eq!(model.database.kind, DbKind::Dynamodb);
    assert_eq!(model.database.promotion_time, Dist::Fixed(0.0));
    let n = 4000;
    let rpos: Vec<Millis> = run(&model, n).iter().map(|o| o.rpo.expect("rpo")).collect();
    for (bound, p) in [(SECOND, 0.50), (10 * SECOND, 0.95)] {
        let got = share(&rpos, |&r| r <= bound);
        let tol = tolerance(p, rpos.len());
        assert!(
            (got - p).abs() < tol,
            "P(RPO <= {bound} ms) = {got}, expected {p} +- {tol}"
        );
    }
}

/// Corruption is replicated like any write (sources.md#dynamodb-global-tables), so the
/// global table does not help; point-in-time recovery does: "restore your table to any
/// point in time during the last 35 days" at second granularity
/// (sources.md#dynamodb-restore). With PITR every trial restores to under 1 s before the
/// corruption started; with daily backups only, the loss is the age of the last backup
/// before it, about uniform over the day: P(RPO > 1 h) = 23/24 = 0.96, whose lower
/// 4-standard-error bound at n = 500 is 0.92 (asserted: over 0.9).
#[test]
fn dynamodb_point_in_time_recovery_limits_corruption_loss_to_a_second() {
    let backups = "[backups]\nevery = \"24h\"\nregion = \"us-east-1\"\nretention = \"35d\"\n";
    let with_pitr = only(
        model_with(&format!("{GLOBAL_TABLE}{backups}point_in_time = \"1s\"\n")),
        DisasterKind::DataCorruption,
    );
    assert_eq!(
        with_pitr.backups.as_ref().unwrap().engine,
        BackupEngine::Dynamodb
    );
    // A trial whose corruption is found after the 14-day horizon (detection delay
    // lognormal, median 2 h, p95 24 h: rare) has no RPO yet; every other one is < 1 s.
    let outcomes = run(&with_pitr, 500);
    assert!(share(&outcomes, |o| o.rpo.is_some()) > 0.95);
    for o in outcomes.iter().filter(|o| o.rpo.is_some()) {
        assert!(o.rpo.unwrap() < SECOND, "{o:?}");
    }
    let without = only(
        model_with(&format!("{GLOBAL_TABLE}{backups}")),
        DisasterKind::DataCorruption,
    );
    let outcomes = run(&without, 500);
    let over_1h = share(&outcomes, |o| o.rpo.is_none_or(|r| r > HOUR));
    assert!(over_1h > 0.9, "{over_1h}");
}

/// The bill of a global table on demand, by hand from the us-east-1 catalog
/// (sources.md#price-dynamodb): 100 writes/s x 730 h x 3,600 s = 262.8 million writes a
/// month; each is one replicated write request unit in each of the 2 replicas at $0.625
/// per million (rWRU priced as WRU): 2 x $164.25; 200 GB stored in each replica at $0.25:
/// 2 x $50; 262.8 GB of 1 KB writes to us-west-2 at $0.02 per GB inter-region: $5.256;
/// PITR on 200 GB at $0.20: $40. No database instance anywhere.
#[test]
fn dynamodb_global_table_is_priced_as_dynamodb_not_as_instances() {
    let model = model_with(&format!(
        "{GLOBAL_TABLE}[backups]\nevery = \"24h\"\nregion = \"us-east-1\"\nretention = \"35d\"\npoint_in_time = \"1s\"\n"
    ));
    let prices = load_prices(&model).unwrap();
    let bill = monthly_bill(&model, &model.cost, &prices).unwrap();
    let total = |key: &str| -> f64 {
        (bill.items.iter())
            .filter(|i| i.price_item == key)
            .map(|i| i.monthly_usd)
            .sum()
    };
    let close = |got: f64, want: f64| assert!((got - want).abs() < 1e-6, "{got} != {want}");
    close(total("dynamodb.replicated_write_request"), 2.0 * 164.25);
    close(total("dynamodb.write_request"), 0.0);
    close(total("dynamodb.storage"), 2.0 * 50.0);
    close(total("dynamodb.pitr"), 40.0);
    let replication: f64 = (bill.items.iter())
        .filter(|i| i.component == "replication" && i.price_item == "transfer.inter_region")
        .map(|i| i.monthly_usd)
        .sum();
    close(replication, 5.256);
    for item in &bill.items {
        assert!(
            !item.price_item.starts_with("aurora.")
                && !item.price_item.starts_with("rds.")
                && !item.price_item.starts_with("db."),
            "{item:?}"
        );
    }
}

/// Provisioned: one (replicated) write capacity unit per write per second, 100 units x
/// 730 h x $0.00065 = $47.45 per replica; 40 reads/s as 40 read capacity units x 730 h x
/// $0.00013 = $3.796, in the home region only.
#[test]
fn dynamodb_provisioned_capacity_is_priced_per_unit_hour() {
    let model = model_with(&format!(
        "{GLOBAL_TABLE}capacity_mode = \"provisioned\"\nreads_per_second = 40\n"
    ));
    let prices = load_prices(&model).unwrap();
    let bill = monthly_bill(&model, &model.cost, &prices).unwrap();
    let lines = |key: &str| -> Vec<f64> {
        (bill.items.iter())
            .filter(|i| i.price_item == key)
            .map(|i| i.monthly_usd)
            .collect()
    };
    let close = |got: &[f64], want: &[f64]| {
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-6, "{got:?} != {want:?}");
        }
    };
    close(
        &lines("dynamodb.replicated_write_capacity"),
        &[47.45, 47.45],
    );
    close(&lines("dynamodb.read_capacity"), &[3.796]);
    close(&lines("dynamodb.replicated_write_request"), &[]);
}

// ---- S3 versioning and Object Lock against ransomware ----

/// Hourly backups under Vault Lock, so the database always comes back from ransomware:
/// what happens to the objects decides whether the trial keeps its data.
const LOCKED_BACKUPS: &str =
    "[backups]\nevery = \"1h\"\nregion = \"us-east-1\"\nretention = \"35d\"\nvault_lock = true\n";

fn ransomware_with(object_storage: &str) -> Model {
    only(
        model_with(&format!("{LOCKED_BACKUPS}{object_storage}")),
        DisasterKind::Ransomware,
    )
}

/// Without versioning an overwritten or deleted object is gone (sources.md#s3-versioning),
/// and versioning alone does not help: the attacker deletes the versions it is allowed to
/// delete, and governance mode lets its administrator credentials bypass the lock
/// (sources.md#s3-object-lock). Every ransomware trial loses its data, although the
/// database itself is restored (its backups are vault-locked). Switched off (objects out
/// of the attack's reach) these trials keep their data: the control model shows it.
#[test]
fn ransomware_loses_objects_unless_a_compliance_lock_keeps_their_versions() {
    let control = run(&ransomware_with(""), 300);
    assert!(
        share(&control, |o| o.rpo.is_some()) > 0.9,
        "the database comes back"
    );
    for bucket in [
        "[object_storage]\nversioning = false\n",
        "[object_storage]\nversioning = true\nnoncurrent_expiration = \"30d\"\n",
        "[object_storage]\nversioning = true\n[object_storage.object_lock]\nmode = \"governance\"\nretention = \"365d\"\n",
    ] {
        for o in run(&ransomware_with(bucket), 300) {
            assert_eq!(o.rpo, None, "{bucket}: {o:?}");
        }
    }
}

/// A compliance lock longer than any decision keeps every version: the trials are those
/// of the model whose objects are out of reach, one for one (the lock draws nothing).
#[test]
fn a_compliance_lock_keeps_every_object_through_ransomware() {
    let locked = "[object_storage]\nversioning = true\n[object_storage.object_lock]\nmode = \"compliance\"\nretention = \"365d\"\n";
    assert_eq!(
        run(&ransomware_with(locked), 300),
        run(&ransomware_with(""), 300)
    );
}

/// A version is locked "for the duration of the retention period" only
/// (sources.md#s3-object-lock): with a 1-day retention the objects survive exactly in the
/// trials where people decide within a day of the attack. With detection lognormal,
/// median 12 h, p95 3 d (models/web-app-disasters.toml), P(detected within 24 h) =
/// Phi(ln 2 / (ln 6 / 1.645)) = Phi(0.636) = 0.738; the decision comes a little later,
/// so the share of surviving trials is at most that (4 standard errors: 0.05 at n = 1000).
#[test]
fn a_compliance_lock_protects_only_within_its_retention() {
    let locked = "[object_storage]\nversioning = true\n[object_storage.object_lock]\nmode = \"compliance\"\nretention = \"1d\"\n";
    let (model, control) = (ransomware_with(locked), ransomware_with(""));
    let (outcomes, baseline) = (run(&model, 1000), run(&control, 1000));
    for (o, b) in outcomes.iter().zip(&baseline) {
        let in_time = o.decided.is_some_and(|d| d < 24 * HOUR);
        assert_eq!(o.rpo, if in_time { b.rpo } else { None }, "{o:?}");
    }
    let kept = share(&outcomes, |o| o.rpo.is_some());
    assert!(
        kept < 0.738 + tolerance(0.738, 1000) && kept > 0.5,
        "{kept}"
    );
}

/// Versions cost S3 Standard storage for the daily change kept as noncurrent versions
/// (sources.md#s3-versioning: "Normal Amazon S3 rates apply for every version"): 5 GB a
/// day (workload.change_gb_per_day) x 30 days = 150 GB x $0.023 = $3.45; under a 90-day
/// lock they stay 90 days: 450 GB, $10.35.
#[test]
fn object_versions_are_billed_for_the_days_they_are_kept() {
    let versions = |bucket: &str| -> f64 {
        let model = model_with(bucket);
        let prices = load_prices(&model).unwrap();
        let bill = monthly_bill(&model, &model.cost, &prices).unwrap();
        (bill.items.iter())
            .filter(|i| i.description.starts_with("noncurrent versions"))
            .map(|i| i.monthly_usd)
            .sum()
    };
    let close = |got: f64, want: f64| assert!((got - want).abs() < 1e-9, "{got} != {want}");
    close(versions(""), 0.0);
    close(
        versions("[object_storage]\nversioning = true\nnoncurrent_expiration = \"30d\"\n"),
        3.45,
    );
    close(
        versions(
            "[object_storage]\nversioning = true\nnoncurrent_expiration = \"30d\"\n[object_storage.object_lock]\nmode = \"compliance\"\nretention = \"90d\"\n",
        ),
        10.35,
    );
}

// ---- EBS root volumes: lazy loading and fast snapshot restore ----

/// Pilot light: the standby region's instances are all cold launches, the data is not
/// in the lost region, so capacity decides the RTO.
fn pilot_light_outage(root_volume: RootVolume) -> Model {
    let mut model = crate::common::web_app(crate::common::disaster(
        DisasterKind::RegionOutage,
        7 * drsim::model::units::DAY,
    ));
    model.regions[1].deployment = Deployment::ScaledToZero;
    model.database.region = 1;
    model.regions[1].asg.root_volume = root_volume;
    model
}

/// A root volume made from the AMI's snapshot loads its blocks from S3 on first read
/// (sources.md#ebs-initialize: "increased I/O latency and decreased performance" until
/// downloaded): 2.5 GB read at boot at 150 GB/h add 2.5 / 150 h = 60 s to every cold
/// launch. Every instance is later by the same 60 s and nothing else is drawn, so each
/// trial's RTO is exactly 60 s later. With fast snapshot restore the volume is "fully
/// initialized at creation": the trials are those without the reads, one for one.
#[test]
fn lazy_loading_delays_cold_launches_unless_fast_snapshot_restore_is_on() {
    let lazy = RootVolume {
        boot_read_gb: 2.5,
        lazy_load_gb_per_hour: 150.0,
        fast_snapshot_restore: false,
    };
    assert_eq!(lazy.hydration_delay(), 60 * SECOND);
    let base = run(&pilot_light_outage(RootVolume::default()), 300);
    let slow = run(&pilot_light_outage(lazy), 300);
    for (b, s) in base.iter().zip(&slow) {
        assert_eq!(s.rto.unwrap(), b.rto.unwrap() + 60 * SECOND, "{b:?}\n{s:?}");
    }
    let fsr = RootVolume {
        fast_snapshot_restore: true,
        ..lazy
    };
    assert_eq!(run(&pilot_light_outage(fsr), 300), base);
}

/// FSR on the AMI's snapshot costs one DSU-hour per hour in each AZ of the region
/// (sources.md#price-ebs: $0.75 per DSU-hour per AZ): 2 AZs x 730 h x $0.75 = $1,095.
#[test]
fn fast_snapshot_restore_on_the_ami_is_billed_per_az_hour() {
    let model = model_with("[regions.us-west-2.asg]\nfast_snapshot_restore = true\n");
    assert_eq!(model.regions[1].azs.len(), 2);
    let prices = load_prices(&model).unwrap();
    let bill = monthly_bill(&model, &model.cost, &prices).unwrap();
    let fsr: Vec<_> = (bill.items.iter())
        .filter(|i| i.price_item == "ebs.fast_snapshot_restore")
        .collect();
    assert_eq!(fsr.len(), 1, "{fsr:?}");
    assert_eq!(fsr[0].region.as_deref(), Some("us-west-2"));
    assert!((fsr[0].monthly_usd - 1095.0).abs() < 1e-9, "{fsr:?}");
}

// ---- AMIs copied across regions ----

/// An instance launches only from an AMI in its own region (an AMI is a regional
/// resource, sources.md#ami-copy): in a recovery region without a copy, the first cold
/// launch starts one (CopyImage) and every cold launch waits for it. With a fixed
/// 10-minute copy started when the first launch would have started, every instance is
/// 10 minutes later and nothing else is drawn differently but the copy: each trial's
/// RTO is exactly 600 s later. Without the key (the AMI is there) the trials are
/// unchanged.
#[test]
fn a_recovery_region_without_the_ami_waits_for_its_copy() {
    let base = run(&pilot_light_outage(RootVolume::default()), 300);
    let mut missing = pilot_light_outage(RootVolume::default());
    missing.regions[1].asg.ami_copy_time = Some(Dist::Fixed((10 * 60 * SECOND) as f64));
    for (b, m) in base.iter().zip(&run(&missing, 300)) {
        assert_eq!(
            m.rto.unwrap(),
            b.rto.unwrap() + 600 * SECOND,
            "{b:?}\n{m:?}"
        );
    }
}
